// How the 问题台账 pages show an item's state: the status tag's colour, the
// category dictionary (问题类别, editable like the other dictionaries), and a
// rate as a percentage.
import { ref } from 'vue'
import { listProblemCategories, type ProblemStatus, type Timestamp } from '@/api/problems'
import { formatDateTime } from '@/utils/format'
import type { DictItem } from '@/api/dictionaries'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** 待受理 amber, 已退回 red, 已交办/办理中 blue, 已办结 green, 已销号 grey. */
export const STATUS_TAG: Record<ProblemStatus, TagType> = {
  pending: 'warning',
  returned: 'danger',
  assigned: 'primary',
  in_progress: 'primary',
  resolved: 'success',
  closed: 'info',
}

/** The board's columns, in the order an item moves through them. */
export const BOARD_STATUSES: readonly ProblemStatus[] = ['pending', 'returned', 'assigned', 'in_progress', 'resolved', 'closed']

// One load per page visit is enough: the dictionary rarely changes.
const categories = ref<DictItem[]>([])
let loading: Promise<void> | null = null

export function useProblemCategories() {
  function load(): Promise<void> {
    loading ??= listProblemCategories()
      .then((items) => {
        categories.value = items
      })
      .catch((e: unknown) => {
        loading = null
        throw e
      })
    return loading
  }
  const categoryLabel = (code: string) => categories.value.find((c) => c.code === code)?.label ?? code
  return { categories, load, categoryLabel }
}

/** 0.9234 → "92.3%"; null (no denominator) → "—". */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`
}

/** China's calendar day (the server keeps dates in China time). */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}

/** "YYYY-MM-DD HH:mm" in China time, from an RFC 3339 string or epoch milliseconds. */
export function formatAt(value: Timestamp | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'string') return formatDateTime(value)
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(value))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}
