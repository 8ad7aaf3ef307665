// /api/v1/gantt (docs/api-schedule.md "Gantt 挂图作战"): every project in the
// caller's scope matching the project list's filters, uncapped, for the
// portfolio Gantt. Rows and nodes are arrays on the wire (10 000 rows stay
// small); they are kept as these tuples — the page reads only the rows on
// screen, through the R / N indexes below. `limit` asks for a first screen
// of rows only (`total` still counts them all).
import { takeEarly } from './earlyRequests'
import { answerOf, buildUrl, http, type Query } from './http'
import type { ProjectFilter } from './projects'

/** A warning colour; `null` (or anything else) on a row: no plan / not computed. */
export type WarningColour = 'red' | 'yellow' | 'green'
export const WARNING_COLOURS = ['red', 'yellow', 'green'] as const
/** The project list's `warning` filter values (`none`: no plan). */
export type WarningFilterValue = WarningColour | 'none'
export const WARNING_FILTER_VALUES = ['red', 'yellow', 'green', 'none'] as const

/** `[name, event, latest_finish, forecast_finish, actual_finish, colour]` */
export type GanttNode = [
  name: string,
  event: string,
  latest_finish: string | null,
  forecast_finish: string | null,
  actual_finish: string | null,
  colour: WarningColour | null,
]

/** `[id, code, name, unit_name, level_label, stage, colour, plan_start, plan_finish, forecast_finish, nodes]` */
export type GanttRow = [
  id: number,
  code: string,
  name: string,
  unit_name: string,
  level_label: string,
  stage: string,
  colour: WarningColour | null,
  plan_start: string | null,
  plan_finish: string | null,
  forecast_finish: string | null,
  nodes: GanttNode[],
]

/** Positions in a GanttRow. */
export const R = {
  id: 0,
  code: 1,
  name: 2,
  unit: 3,
  level: 4,
  stage: 5,
  colour: 6,
  planStart: 7,
  planFinish: 8,
  forecastFinish: 9,
  nodes: 10,
} as const

/** Positions in a GanttNode. */
export const N = { name: 0, event: 1, latest: 2, forecast: 3, actual: 4, colour: 5 } as const

export interface CalendarOverride {
  date: string
  /** `holiday` 放假, `workday` 调休上班 */
  kind: 'holiday' | 'workday'
}

export interface Gantt {
  /** The server's today (China time), "YYYY-MM-DD". */
  today: string
  from: string
  to: string
  /** Holidays and swapped working days between `from` and `to`. */
  overrides: CalendarOverride[]
  /** Every matching row, however many `rows` holds (`limit`). */
  total: number
  rows: GanttRow[]
}

export type GanttGroup = 'unit' | 'level'

export interface GanttFilter extends Omit<ProjectFilter, 'sort'> {
  group?: GanttGroup
  /** Comma list on the wire. */
  warning?: WarningFilterValue[]
}

/**
 * `limit`: only the first rows (a first screen); all of them without it.
 * `authRedirect`: as http.ts' request option.
 */
export function getGantt(filter: GanttFilter, signal?: AbortSignal, limit?: number, authRedirect?: boolean): Promise<Gantt> {
  const query: Query = { ...filter, warning: filter.warning?.length ? filter.warning.join(',') : undefined, limit }
  // The first screen of /nodes opened directly was asked for by web/early.js already.
  const early = takeEarly(buildUrl('/gantt', query))
  if (early) return answerOf<Gantt>(early, { authRedirect })
  return http.get<Gantt>('/gantt', { query, signal, authRedirect })
}
