// The lists the project pages choose from and label with: the server's
// enumerations (建设阶段, 项目级别, 项目类型, zh and en labels) and the
// configurable dictionaries 产业板块 and 项目类别. Loaded once per page load
// and shared by every project page; labels follow the UI language.
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { getEnumerations, type EnumItem } from '@/api/projects'
import { listDictItems, type DictItem } from '@/api/dictionaries'

const stages = ref<EnumItem[]>([])
const levels = ref<EnumItem[]>([])
const types = ref<EnumItem[]>([])
const boards = ref<DictItem[]>([])
const categories = ref<DictItem[]>([])
let loading: Promise<void> | null = null

function load(): Promise<void> {
  loading ??= Promise.all([getEnumerations(), listDictItems('board'), listDictItems('category')])
    .then(([e, b, c]) => {
      stages.value = e.project_stage
      levels.value = e.project_level
      types.value = e.project_type
      boards.value = b
      categories.value = c
    })
    .catch((e: unknown) => {
      loading = null // try again next time
      throw e
    })
  return loading
}

export interface Option {
  code: string
  label: string
}

export function useProjectDicts() {
  const { locale } = useI18n()
  const en = computed(() => locale.value === 'en')

  const options = (items: EnumItem[]): Option[] => items.map((i) => ({ code: i.code, label: en.value ? i.label_en : i.label }))
  const stageOptions = computed(() => options(stages.value))
  const levelOptions = computed(() => options(levels.value))
  const typeOptions = computed(() => options(types.value))
  const boardOptions = computed<Option[]>(() => boards.value.map((d) => ({ code: d.code, label: d.label })))
  const categoryOptions = computed<Option[]>(() => categories.value.map((d) => ({ code: d.code, label: d.label })))

  function labelIn(items: EnumItem[], code: string | null | undefined): string {
    if (!code) return ''
    const item = items.find((i) => i.code === code)
    return item ? (en.value ? item.label_en : item.label) : code
  }

  return {
    load,
    stageOptions,
    levelOptions,
    typeOptions,
    boardOptions,
    categoryOptions,
    stageLabel: (code: string | null | undefined) => labelIn(stages.value, code),
    levelLabel: (code: string | null | undefined) => labelIn(levels.value, code),
    typeLabel: (code: string | null | undefined) => labelIn(types.value, code),
    boardLabel: (code: string | null | undefined) => (code ? (boards.value.find((d) => d.code === code)?.label ?? code) : ''),
    categoryLabel: (code: string | null | undefined) =>
      code ? (categories.value.find((d) => d.code === code)?.label ?? code) : '',
  }
}
