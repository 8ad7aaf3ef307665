// The Gantt scale's labels in the UI language (2026年3月 / Mar 2026, 一季度 / Q1).
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { ScaleLabels } from './ganttDraw'

export function useScaleLabels() {
  const { t, locale } = useI18n()
  return computed<ScaleLabels>(() => {
    void locale.value // relabel on a language switch
    return {
      year: (y) => t('gantt.scale.year', { y }),
      month: (y, m) => t('gantt.scale.month', { y, m: t(`gantt.scale.months.${m - 1}`) }),
      monthShort: (m) => t(`gantt.scale.months.${m - 1}`),
      quarter: (q) => t(`gantt.scale.quarters.${q - 1}`),
    }
  })
}
