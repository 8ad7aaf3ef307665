// /api/v1/projects (docs/api-projects.md "Projects 项目库"): the project
// library in the caller's data scope (out of scope = 404) — the filtered list
// with its facets and counts, one project, create and versioned edit, the
// lifecycle moves and their history, the 变更记录, and the 项目台账 in and out
// of Excel. Money is integer yuan on the wire; dates "YYYY-MM-DD".
import { downloadFile, http, type Page, type Query } from './http'

// ---- enumerations (/api/v1/dictionaries) -------------------------------------------

export const PROJECT_STAGES = [
  'planning',
  'negotiating',
  'signed',
  'preparing',
  'under_construction',
  'completed',
  'operating',
  'suspended',
  'terminated',
] as const
export type ProjectStage = (typeof PROJECT_STAGES)[number]

export interface EnumItem {
  code: string
  label: string
  label_en: string
}

/** The server's enumerations with their zh and en labels. */
export interface Enumerations {
  org_unit_kind: EnumItem[]
  data_scope: EnumItem[]
  project_stage: EnumItem[]
  project_type: EnumItem[]
  project_level: EnumItem[]
}

export function getEnumerations(): Promise<Enumerations> {
  return http.get<Enumerations>('/dictionaries')
}

// ---- the record --------------------------------------------------------------------

export interface ProjectPlan {
  year: number
  /** 年度计划投资, yuan. */
  planned_investment: number
  /** 年内开工 / 竣工 / 投产 */
  goal_start: boolean
  goal_complete: boolean
  goal_operate: boolean
}

export interface NamedRef {
  id: number
  name: string
}

/** The eight 计划/实际 dates, in the order of the lifecycle. */
export const PROJECT_DATE_FIELDS = [
  'planned_signed_on',
  'actual_signed_on',
  'planned_started_on',
  'actual_started_on',
  'planned_completed_on',
  'actual_completed_on',
  'planned_operating_on',
  'actual_operating_on',
] as const
export type ProjectDateField = (typeof PROJECT_DATE_FIELDS)[number]

export interface Project {
  id: number
  code: string
  name: string
  /** 建设单位 */
  enterprise_id: number | null
  enterprise_name: string | null
  /** 属地 */
  org_unit_id: number
  org_unit_name: string
  /** 产业板块, 项目类别: dictionary codes ('' when not set). */
  board: string
  board_label: string
  category: string
  category_label: string
  level: string
  project_type: string
  stage: ProjectStage
  suspended_from: ProjectStage | null
  stage_since: string | null
  allowed_transitions: ProjectStage[]
  /** yuan */
  total_investment: number
  construction_content: string
  address: string
  lng: number | null
  lat: number | null
  planned_signed_on: string | null
  actual_signed_on: string | null
  planned_started_on: string | null
  actual_started_on: string | null
  planned_completed_on: string | null
  actual_completed_on: string | null
  planned_operating_on: string | null
  actual_operating_on: string | null
  /** 包保领导 */
  leader_user_id: number | null
  leader_name: string | null
  /** 责任部门 */
  responsible_unit_id: number | null
  responsible_unit_name: string | null
  /** 包联人员 */
  liaisons: NamedRef[]
  /** 专班 */
  teams: NamedRef[]
  tags: string[]
  plans: ProjectPlan[]
  created_by: number | null
  version: number
  created_at: string
  updated_at: string
}

/** What a form writes (POST: all of it; PATCH: what changed, plus `version`). */
export interface ProjectFields {
  /** Empty on create: the server generates XM-年份-序号. */
  code: string
  name: string
  enterprise_id: number | null
  org_unit_id: number
  board: string
  category: string
  level: string
  project_type: string
  total_investment: number
  construction_content: string
  address: string
  lng: number | null
  lat: number | null
  planned_signed_on: string | null
  planned_started_on: string | null
  planned_completed_on: string | null
  planned_operating_on: string | null
  leader_user_id: number | null
  responsible_unit_id: number | null
  liaison_ids: number[]
  team_ids: number[]
  tags: string[]
  plans: ProjectPlan[]
}

// ---- the list ----------------------------------------------------------------------

export type StartKind = 'started' | 'resumed' | 'started_or_resumed'

/** The columns the server sorts on (`-` before one: descending). */
export const SORTABLE_COLUMNS = [
  'code',
  'name',
  'total_investment',
  'stage',
  'level',
  'org_unit_name',
  'planned_started_on',
  'actual_started_on',
  'planned_completed_on',
  'updated_at',
  'created_at',
] as const

/** List filters (docs/api-projects.md "List filters"); arrays are OR within one filter. */
export interface ProjectFilter {
  q?: string
  org_unit_id?: number
  stage?: string[]
  level?: string[]
  category?: string[]
  board?: string[]
  project_type?: string[]
  leader_user_id?: number
  responsible_unit_id?: number
  enterprise_id?: number
  team_id?: number
  tag?: string
  year?: number
  /** yuan, inclusive */
  min_investment?: number
  max_investment?: number
  planned_started_on_from?: string
  planned_started_on_to?: string
  start_kind?: StartKind
  start_year?: number
  sort?: string
}

export interface FacetCount {
  value: string
  count: number
}

export interface UnitFacetCount {
  value: number
  label: string
  count: number
}

/** Each count ignores its own filter, so the other values stay clickable. */
export interface ProjectFacets {
  stage: FacetCount[]
  level: FacetCount[]
  category: FacetCount[]
  org_unit: UnitFacetCount[]
}

/** For the filtered set: total investment (yuan) and 开工 / 复工 / 开复工 in `year`. */
export interface ProjectCounts {
  total_investment: number
  started: number
  resumed: number
  started_or_resumed: number
  year: number
}

export interface ProjectPage extends Omit<Page<Project>, 'facets'> {
  facets?: ProjectFacets
  counts?: ProjectCounts
}

function filterQuery(filter: ProjectFilter): Query {
  return { ...filter }
}

export function listProjects(
  filter: ProjectFilter & { page?: number; page_size?: number; facets?: boolean },
  signal?: AbortSignal,
): Promise<ProjectPage> {
  return http.get<ProjectPage>('/projects', { query: filterQuery(filter), signal })
}

/** 项目台账 with the list's filters (paging aside); resolves to the file name saved. */
export function exportProjects(filter: ProjectFilter): Promise<string> {
  return downloadFile('/projects/export', filterQuery(filter), 'projects.xlsx')
}

// ---- one project -------------------------------------------------------------------

export function getProject(id: number): Promise<Project> {
  return http.get<Project>(`/projects/${id}`)
}

export function createProject(input: ProjectFields): Promise<Project> {
  return http.post<Project>('/projects', input)
}

/** 409 `version_conflict` carries the current record as `current` (ApiError.body). */
export function updateProject(id: number, changes: Partial<ProjectFields> & { version: number }): Promise<Project> {
  return http.patch<Project>(`/projects/${id}`, changes)
}

export interface TransitionInput {
  /** Stage code. */
  to: string
  /** "YYYY-MM-DD", not in the future nor before the current stage's date. */
  date: string
  note: string
  version: number
}

/** 409 `invalid_transition` names the stages allowed. */
export function transitionProject(id: number, input: TransitionInput): Promise<Project> {
  return http.post<Project>(`/projects/${id}/transitions`, input)
}

export interface StageEvent {
  id: number
  from_stage: ProjectStage | null
  to_stage: ProjectStage
  on_date: string
  note: string
  user_id: number | null
  user_name: string | null
  at: string
}

/** Oldest first. */
export async function listStageEvents(id: number): Promise<StageEvent[]> {
  return (await http.get<{ items: StageEvent[] }>(`/projects/${id}/stage-events`)).items
}

export interface HistoryEntry {
  id: number
  at: string
  user_id: number | null
  user_name: string | null
  action: string
  /** {before, after} of the fields that changed (before is absent on create); a stage change adds its note. */
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown>; note?: string } | string | null
}

/** 变更记录 from the audit log, newest first (the latest 200). */
export async function listProjectHistory(id: number): Promise<HistoryEntry[]> {
  return (await http.get<{ items: HistoryEntry[] }>(`/projects/${id}/history`, { query: { page_size: 200 } })).items
}

// ---- pickers: 包保 choices across the district, whatever the caller's data scope ------------

export interface PickedUser {
  id: number
  name: string
  login: string
  org_unit_name: string
}

/** Active officials (no enterprise accounts) matching a name, login or mobile; at most 50. */
export async function pickUsers(keyword?: string, pageSize = 20): Promise<PickedUser[]> {
  return (await http.get<{ items: PickedUser[] }>('/pickers/users', { query: { keyword, page_size: pageSize } })).items
}

export interface PickedDepartment {
  id: number
  name: string
  parent_name: string
}

/** Every active 部门 of the district, for 责任部门. */
export async function pickDepartments(): Promise<PickedDepartment[]> {
  return (await http.get<{ items: PickedDepartment[] }>('/pickers/departments')).items
}

// ---- Excel import (the dialog is components/ImportDialog.vue) -------------------------

export const PROJECT_IMPORT = { template: '/projects/import-template', import: '/projects/import' } as const
