// The portfolio Gantt's model: days as integers, the zoom levels, and the
// rows grouped (by unit or level) and flattened into the list of lines the
// chart virtualises — group headers and project rows, one fixed height each.
import { R, type GanttRow } from '@/api/gantt'

// ---- days ----------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000

/** "YYYY-MM-DD" → days since 1970-01-01 (a calendar day, no time zone); NaN for null. */
export function dayNum(date: string | null | undefined): number {
  if (!date) return NaN
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS_PER_DAY
}

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export function dayIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7
}

/** Year and month (1–12) and day of month of a day number. */
export function ymd(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * MS_PER_DAY)
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() }
}

/** The first day of a month (m may run past 12 or below 1). */
export function monthStart(y: number, m: number): number {
  return Date.UTC(y, m - 1, 1) / MS_PER_DAY
}

// ---- zoom ----------------------------------------------------------------------------

export type Zoom = 'week' | 'month' | 'quarter'
export const ZOOMS: readonly Zoom[] = ['week', 'month', 'quarter']

/** Pixels per day: 周 shows each day, 月 each month, 季 each quarter. */
export const PX_PER_DAY: Record<Zoom, number> = { week: 18, month: 4, quarter: 1.4 }

// ---- lines ---------------------------------------------------------------------------

export const ROW_H = 28
export const HEADER_H = 48
/** The fixed left columns: 项目名称, 单位, 级别. */
export const LEFT_COLS = [
  { key: 'name', width: 230 },
  { key: 'unit', width: 120 },
  { key: 'level', width: 72 },
] as const
export const LEFT_W = LEFT_COLS.reduce((w, c) => w + c.width, 0)

export type GroupBy = 'unit' | 'level'

export interface Group {
  key: string
  label: string
  rows: GanttRow[]
  red: number
  yellow: number
}

/** One line of the chart: a group header or a project. */
export type Line = { group: Group; row: null } | { group: Group; row: GanttRow }

/**
 * Rows by unit or level, each group in the order its first row came (the
 * server's order); `order` (e.g. the levels highest first) puts the labels it
 * knows first, in its order.
 */
export function groupRows(rows: readonly GanttRow[], by: GroupBy, order: readonly string[] = []): Group[] {
  const column = by === 'unit' ? R.unit : R.level
  const groups = new Map<string, Group>()
  for (const row of rows) {
    const label = row[column] || ''
    let group = groups.get(label)
    if (!group) {
      group = { key: `${by}:${label}`, label, rows: [], red: 0, yellow: 0 }
      groups.set(label, group)
    }
    group.rows.push(row)
    if (row[R.colour] === 'red') group.red++
    else if (row[R.colour] === 'yellow') group.yellow++
  }
  const list = [...groups.values()]
  if (!order.length) return list
  const rank = (g: Group) => {
    const i = order.indexOf(g.label)
    return i < 0 ? order.length : i
  }
  return list.sort((a, b) => rank(a) - rank(b)) // stable: unknown labels keep the server's order
}

/** The lines shown: every group's header, and its rows unless it is collapsed. */
export function flatten(groups: readonly Group[], collapsed: ReadonlySet<string>): Line[] {
  const lines: Line[] = []
  for (const group of groups) {
    lines.push({ group, row: null })
    if (collapsed.has(group.key)) continue
    for (const row of group.rows) lines.push({ group, row })
  }
  return lines
}
