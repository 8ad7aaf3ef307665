// /api/v1/problems (docs/api-problems.md): the 问题台账 · 诉求清单 — items
// in the caller's data scope (an enterprise user: only its own), the workflow
// (one POST of an action per step, with `version`), the timeline, the
// figures (统计), the settings (SLA days per category), and the ledger in and
// out of Excel. Dates "YYYY-MM-DD"; day counts are working days.
import { downloadFile, http, type Page, type Query } from './http'
import type { NamedRef } from './projects'
import type { DictItem } from './dictionaries'

/** A moment: RFC 3339 elsewhere in the API; the problem routes answer epoch milliseconds. */
export type Timestamp = string | number

export const PROBLEM_STATUSES = ['pending', 'returned', 'assigned', 'in_progress', 'resolved', 'closed'] as const
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number]
/** Not 已办结 / 已销号. */
export const OPEN_STATUSES: readonly ProblemStatus[] = ['pending', 'returned', 'assigned', 'in_progress']

export const PROBLEM_SOURCES = ['enterprise', 'visit', 'meeting', 'leader', 'other'] as const
export type ProblemSource = (typeof PROBLEM_SOURCES)[number]
export const URGENCIES = ['normal', 'urgent', 'critical'] as const
export type Urgency = (typeof URGENCIES)[number]
export const LEVELS = ['town', 'county', 'city'] as const
export type ProblemLevel = (typeof LEVELS)[number]
export const SATISFACTIONS = ['satisfied', 'basic', 'unsatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]

export const PROBLEM_ACTIONS = [
  'assign',
  'on_spot',
  'start',
  'return',
  'extend',
  'extend_decide',
  'resolve',
  'close',
  'reopen',
  'rate',
  'escalate',
  'supervise',
  'supervise_respond',
  'agenda',
  'agenda_decide',
  'comment',
] as const
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number]

export interface Extension {
  id: number
  old_deadline: string | null
  new_deadline: string
  reason: string
  status: 'pending' | 'granted' | 'refused'
  requested_by: number | null
  requested_by_name: string | null
  requested_at: Timestamp
  decided_by: number | null
  decided_by_name: string | null
  decided_at: Timestamp | null
  decision_note: string | null
}

/** A 督办单: open while `responded_at` is null. */
export interface Supervision {
  id: number
  instruction: string
  respond_by: string | null
  issued_by: number | null
  issued_by_name: string | null
  issued_at: Timestamp
  response: string | null
  responded_by: number | null
  responded_by_name: string | null
  responded_at: Timestamp | null
}

export interface AgendaEntry {
  id: number
  meeting_on: string | null
  comment: string | null
  submitted_by: number | null
  submitted_by_name: string | null
  submitted_at: Timestamp
  decision: string | null
  bound_unit_ids: number[]
  decided_by: number | null
  decided_at: Timestamp | null
}

export interface Problem {
  id: number
  code: string
  title: string
  description: string
  category: string
  category_label: string
  enterprise_id: number | null
  enterprise_name: string | null
  project_id: number | null
  project_code: string | null
  project_name: string | null
  source: ProblemSource
  source_label: string
  urgency: Urgency
  urgency_label: string
  raised_by: number | null
  raised_by_name: string | null
  raised_on: string
  created_at: Timestamp
  org_unit_id: number
  org_unit_name: string
  coord_unit_id: number
  coord_unit_name: string
  level: ProblemLevel
  level_label: string
  lead_unit_id: number | null
  lead_unit_name: string | null
  co_unit_ids: number[]
  co_units: NamedRef[]
  handler_id: number | null
  handler_name: string | null
  status: ProblemStatus
  status_label: string
  assigned_on: string | null
  deadline: string | null
  original_deadline: string | null
  overdue: boolean
  overdue_days: number
  resolved_on: string | null
  result: string | null
  resolve_days: number | null
  closed_on: string | null
  on_spot: boolean
  escalated: boolean
  escalation_count: number
  supervised: boolean
  on_agenda: boolean
  extension_pending: boolean
  satisfaction: Satisfaction | null
  satisfaction_label: string | null
  rated_on: string | null
  reopen_count: number
  /** Only on GET /problems/{id}: the actions the caller may take now. */
  allowed_actions?: ProblemAction[]
  extensions?: Extension[]
  supervisions?: Supervision[]
  agenda?: AgendaEntry[]
  version: number
  updated_at: Timestamp
}

export interface FacetCount {
  value: string
  label?: string
  count: number
}

export interface ProblemFacets {
  status?: FacetCount[]
  category?: FacetCount[]
  level?: FacetCount[]
  source?: FacetCount[]
}

/** The list's filters (also the export's and the figures'). */
export interface ProblemFilter {
  q?: string
  status?: string[]
  category?: string
  source?: string
  urgency?: string
  level?: string
  org_unit_id?: number
  lead_unit_id?: number
  enterprise_id?: number
  project_id?: number
  overdue?: boolean
  escalated?: boolean
  supervised?: boolean
  on_agenda?: boolean
  on_spot?: boolean
  satisfaction?: string
  raised_from?: string
  raised_to?: string
  mine?: 'handler' | 'unit'
  sort?: string
}

/** The filters as a query: lists comma-joined, unset values dropped. */
function toQuery(filter: ProblemFilter): Query {
  const q: Query = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      if (value.length) q[key] = value.join(',')
    } else q[key] = value as string | number | boolean
  }
  return q
}

export type ProblemPage = Page<Problem> & { facets?: ProblemFacets }

export function listProblems(filter: ProblemFilter & { page?: number; page_size?: number; facets?: boolean }): Promise<ProblemPage> {
  return http.get<ProblemPage>('/problems', { query: toQuery(filter) })
}

export function getProblem(id: number): Promise<Problem> {
  return http.get<Problem>(`/problems/${id}`)
}

export interface NewProblem {
  title: string
  description: string
  category: string
  enterprise_id: number | null
  project_id: number | null
  source?: ProblemSource
  urgency?: Urgency
  raised_on?: string
  attachment_ids?: number[]
}

export function createProblem(input: NewProblem): Promise<Problem> {
  return http.post<Problem>('/problems', input)
}

export function updateProblem(
  id: number,
  changes: { title?: string; description?: string; category?: string; urgency?: Urgency; version: number },
): Promise<Problem> {
  return http.patch<Problem>(`/problems/${id}`, changes)
}

export interface TimelineAttachment {
  id: number
  filename: string
  content_type: string
  size: number
}

export interface TimelineEntry {
  id: number
  at: Timestamp
  user_id: number | null
  user_name: string | null
  action: string
  action_label: string
  from_status: ProblemStatus | null
  to_status: ProblemStatus | null
  comment: string | null
  internal: boolean
  data: Record<string, unknown> | null
  attachments: TimelineAttachment[]
}

export async function getTimeline(id: number): Promise<TimelineEntry[]> {
  const answer = await http.get<{ items: TimelineEntry[] }>(`/problems/${id}/timeline`)
  return answer.items
}

/** One workflow step: `action`, `version` and the action's own fields (the contract's table). */
export interface ActionInput {
  action: ProblemAction
  version: number
  [field: string]: unknown
}

export function actOn(id: number, input: ActionInput): Promise<Problem> {
  return http.post<Problem>(`/problems/${id}/actions`, input)
}

// ---- figures 统计 ------------------------------------------------------------------------

export type StatsGroup = 'unit' | 'category' | 'level' | 'month'

export interface Figures {
  raised: number
  open: number
  overdue: number
  resolved: number
  closed: number
  resolve_rate: number | null
  on_time_rate: number | null
  avg_days: number | null
  p90_days: number | null
  satisfaction_rate: number | null
  rated: number
  satisfied: number
  basic: number
  unsatisfied: number
  escalated: number
  on_spot: number
}

export interface StatsRow extends Figures {
  key: string
  label: string
}

export interface ProblemStats {
  group: StatsGroup
  from: string | null
  to: string | null
  rows: StatsRow[]
  total: Figures
}

export function getStats(query: { group: StatsGroup; from?: string; to?: string } & ProblemFilter): Promise<ProblemStats> {
  return http.get<ProblemStats>('/problems/stats', { query: toQuery(query) })
}

// ---- settings ------------------------------------------------------------------------------

export interface ProblemSettings {
  sla_days: Record<string, number>
  default_sla_days: number
  auto_escalate_days: number
  version: number
}

export function getSettings(): Promise<ProblemSettings> {
  return http.get<ProblemSettings>('/problems/settings')
}

export function saveSettings(settings: ProblemSettings): Promise<ProblemSettings> {
  return http.put<ProblemSettings>('/problems/settings', settings)
}

// ---- Excel ---------------------------------------------------------------------------------

export function exportProblems(filter: ProblemFilter): Promise<string> {
  return downloadFile('/problems/export', toQuery(filter), 'problems.xlsx')
}

// ---- the category dictionary ------------------------------------------------------------------

/** 问题类别 (dictionary `problem_category`), active items in their order. */
export async function listProblemCategories(): Promise<DictItem[]> {
  const page = await http.get<Page<DictItem>>('/dict-items', { query: { type: 'problem_category' } })
  return page.items
}
