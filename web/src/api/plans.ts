// A project's node plan (docs/api-schedule.md "A project's plan", "Node
// templates", "Attachments"): 倒排工期 from target dates, 预测 from today and
// the actual dates, 机动时间 and the critical path, all computed by the
// server; the plan is read with project:read and edited with project:write,
// progress needs node:progress, templates template:write. Dates are
// "YYYY-MM-DD"; durations and lags are working days (工作日).
import { http } from './http'

// ---- templates -------------------------------------------------------------------

/** The lifecycle event a node marks ('' for none). */
export const NODE_EVENTS = ['signed', 'started', 'completed', 'operating'] as const
export type NodeEvent = (typeof NODE_EVENTS)[number] | ''

export interface TemplateNode {
  /** Short stable identifier unique in the template: [a-z0-9_]{1,32}. */
  key: string
  name: string
  duration: number
  /** ⇔ duration == 0 */
  milestone: boolean
  event: NodeEvent
}

export interface TemplateLink {
  /** Keys of the template's nodes. */
  from: string
  to: string
  lag: number
}

export interface NodeTemplate {
  id: number
  name: string
  category: string
  category_label: string
  description: string
  is_default: boolean
  /** Absent in the list (which carries node_count). */
  nodes?: TemplateNode[]
  links?: TemplateLink[]
  node_count?: number
  version: number
  created_at: string
  updated_at: string
}

export interface TemplateFields {
  name: string
  category: string
  description: string
  nodes: TemplateNode[]
  links: TemplateLink[]
  /** Makes it its category's default (the server unmarks the previous one). */
  is_default?: boolean
}

export async function listTemplates(category?: string): Promise<NodeTemplate[]> {
  const answer = await http.get<{ items: NodeTemplate[] }>('/node-templates', { query: { category } })
  return answer.items
}

export function getTemplate(id: number): Promise<NodeTemplate> {
  return http.get<NodeTemplate>(`/node-templates/${id}`)
}

export function createTemplate(fields: TemplateFields): Promise<NodeTemplate> {
  return http.post<NodeTemplate>('/node-templates', fields)
}

export function updateTemplate(id: number, fields: TemplateFields & { version: number }): Promise<NodeTemplate> {
  return http.put<NodeTemplate>(`/node-templates/${id}`, fields)
}

export function deleteTemplate(id: number): Promise<void> {
  return http.delete(`/node-templates/${id}`)
}

// ---- a project's plan ------------------------------------------------------------

export type Colour = 'green' | 'yellow' | 'red'
export type NodeStatus = 'not_started' | 'in_progress' | 'done'

export interface PlanNode {
  id: number
  key: string
  name: string
  duration: number
  milestone: boolean
  event: NodeEvent
  /** 目标日期: must be done by. */
  target: string | null
  actual_start: string | null
  actual_finish: string | null
  /** 倒排: null when no target constrains the node. */
  latest_start: string | null
  latest_finish: string | null
  /** 预测 (= actual when done). */
  forecast_start: string
  forecast_finish: string
  /** 机动时间 in working days (negative = late); null when unconstrained. */
  slack: number | null
  critical: boolean
  status: NodeStatus
  /** null when done or unconstrained. */
  colour: Colour | null
  /** The warning in words, e.g. "施工许可 已逾期 6 个工作日". */
  reason: string
  sort: number
}

/** Links between plan nodes, by node id. */
export interface PlanLink {
  from: number
  to: number
  lag: number
}

export interface TargetForecast {
  node_id: number
  target: string
  forecast: string
  /** Working days beyond the target; 0 on time. */
  slip: number
}

export type ProblemKind = 'target_passed' | 'cannot_fit' | 'conflicting_targets'

export interface PlanProblem {
  kind: ProblemKind
  node_ids: number[]
  message: string
}

export interface ProjectWarning {
  colour: Colour | null
  reasons: string[]
  red_nodes: number
  yellow_nodes: number
  computed_on: string
}

export interface Plan {
  project_id: number
  version: number
  template_id: number | null
  template_name: string | null
  today: string
  nodes: PlanNode[]
  links: PlanLink[]
  targets: TargetForecast[]
  problems: PlanProblem[]
  warning: ProjectWarning | null
}

/** A node as PUT sends it: `id` keeps an existing node (and its progress). */
export interface PlanNodeInput {
  id?: number
  key?: string
  name: string
  duration: number
  milestone?: boolean
  event: NodeEvent
  target: string | null
}

/** In PUT, a new node is named by its index in `nodes` as "#3". */
export interface PlanLinkInput {
  from: number | string
  to: number | string
  lag: number
}

const planPath = (projectId: number) => `/projects/${projectId}/plan`

export function getPlan(projectId: number): Promise<Plan> {
  return http.get<Plan>(planPath(projectId))
}

/** Makes the plan from a template (the category's default when none is named). */
export function createPlan(projectId: number, templateId?: number, replace = false): Promise<Plan> {
  return http.post<Plan>(planPath(projectId), { template_id: templateId, ...(replace ? { replace } : {}) })
}

export function updatePlan(projectId: number, input: { nodes: PlanNodeInput[]; links: PlanLinkInput[]; version: number }): Promise<Plan> {
  return http.put<Plan>(planPath(projectId), input)
}

export function patchPlanNode(
  projectId: number,
  nodeId: number,
  changes: { target?: string | null; duration?: number; name?: string; version: number },
): Promise<Plan> {
  return http.patch<Plan>(`${planPath(projectId)}/nodes/${nodeId}`, changes)
}

export function deletePlan(projectId: number, version: number): Promise<void> {
  return http.delete(planPath(projectId), { body: { version } })
}

// ---- progress (填报进度) -----------------------------------------------------------

export interface Attachment {
  id: number
  filename: string
  content_type: string
  size: number
  sha256: string
  uploaded_at: string
}

export interface ProgressInput {
  /** Omitted: unchanged; null: cleared (with a note saying why). */
  started_on?: string | null
  finished_on?: string | null
  note?: string
  attachment_ids?: number[]
}

/** A file as a progress entry lists it. */
export interface AttachmentRef {
  id: number
  filename: string
  content_type: string
  size: number
  url: string
}

export interface ProgressEntry {
  id: number
  started_on: string | null
  finished_on: string | null
  note: string
  attachments: AttachmentRef[]
  user_id: number
  user_name: string
  at: string
}

export function recordProgress(projectId: number, nodeId: number, input: ProgressInput): Promise<Plan> {
  return http.post<Plan>(`${planPath(projectId)}/nodes/${nodeId}/progress`, input)
}

export async function listProgress(projectId: number, nodeId: number): Promise<ProgressEntry[]> {
  const answer = await http.get<{ items: ProgressEntry[] }>(`${planPath(projectId)}/nodes/${nodeId}/progress`)
  return answer.items
}

/** Uploads one file (unattached until a progress entry names its id). */
export function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData()
  form.append('file', file, file.name)
  return http.post<Attachment>('/attachments', form)
}

/** Where the browser fetches an attachment (the session cookie goes along). */
export function attachmentUrl(id: number): string {
  return `/api/v1/attachments/${id}`
}
