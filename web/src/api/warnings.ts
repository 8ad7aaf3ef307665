// /api/v1/warnings (docs/api-schedule.md "Warnings 预警"): the projects'
// red/yellow/green warnings over the caller's scope with the project list's
// filters, their counts, and the thresholds they are computed with.
import { http, type Query } from './http'
import type { ProjectFilter, ProjectStage } from './projects'
import type { WarningColour } from './gantt'

export interface WarningItem {
  project: {
    id: number
    code: string
    name: string
    org_unit_name: string
    level_label: string
    stage: ProjectStage
  }
  /** null: the project has no plan (无计划). */
  colour: WarningColour | null
  /** In words, e.g. "施工许可 已逾期 6 个工作日"; the server's order (red first). */
  reasons: string[]
  red_nodes: number
  yellow_nodes: number
}

/** Over the whole filtered scope (the colour filter aside). */
export interface WarningCounts {
  red: number
  yellow: number
  green: number
  none: number
}

export interface WarningPage {
  items: WarningItem[]
  total: number
  counts: WarningCounts
}

export interface WarningFilter extends Omit<ProjectFilter, 'sort'> {
  /** `red`, `yellow`, `green`, `none`: a comma list on the wire. */
  colour?: string[]
  sort?: string
}

export async function listWarnings(filter: WarningFilter & { page?: number; page_size?: number }, signal?: AbortSignal): Promise<WarningPage> {
  const query: Query = { ...filter, colour: filter.colour?.length ? filter.colour.join(',') : undefined }
  const page = await http.get<WarningPage>('/warnings', { query, signal })
  // A colour no project has is left out of the counts: it counts 0.
  const c: Partial<WarningCounts> = page.counts ?? {}
  return { ...page, counts: { red: c.red ?? 0, yellow: c.yellow ?? 0, green: c.green ?? 0, none: c.none ?? 0 } }
}

/** The thresholds (working days unless said otherwise). */
export interface WarningThresholds {
  /** A node's slack at or under this many working days → yellow. */
  slack_yellow: number
  /** A node due within this many working days → yellow. */
  due_soon: number
  /** Not started this many months after the planned start → red. */
  not_started_red_months: number
  /** 在建: reported progress behind time progress by this many points → yellow… */
  lag_yellow_points: number
  /** …by this many → red. */
  lag_red_points: number
}

export interface WarningSettings extends WarningThresholds {
  version: number
  updated_at?: string
}

export function getWarningSettings(): Promise<WarningSettings> {
  return http.get<WarningSettings>('/warnings/settings')
}

/** `template:write`; 409 `version_conflict` when someone saved in between; recomputes every warning. */
export function updateWarningSettings(input: WarningThresholds & { version: number }): Promise<WarningSettings> {
  return http.put<WarningSettings>('/warnings/settings', input)
}
