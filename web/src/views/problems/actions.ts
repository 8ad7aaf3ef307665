// What each workflow action asks for (docs/api-problems.md, the actions
// table): the action dialog draws these fields; `required` ones are checked
// before sending (the server checks again and names the field).
import type { ProblemAction } from '@/api/problems'

export type FieldKind = 'textarea' | 'date' | 'unit' | 'units' | 'user' | 'grant' | 'satisfaction' | 'internal'

export interface ActionField {
  name: string
  kind: FieldKind
  required?: boolean
}

export const ACTION_FIELDS: Record<ProblemAction, ActionField[]> = {
  assign: [
    { name: 'lead_unit_id', kind: 'unit', required: true },
    { name: 'co_unit_ids', kind: 'units' },
    { name: 'handler_id', kind: 'user' },
    { name: 'deadline', kind: 'date' },
    { name: 'comment', kind: 'textarea' },
  ],
  on_spot: [
    { name: 'result', kind: 'textarea', required: true },
    { name: 'date', kind: 'date' },
  ],
  start: [{ name: 'comment', kind: 'textarea' }],
  return: [{ name: 'reason', kind: 'textarea', required: true }],
  extend: [
    { name: 'new_deadline', kind: 'date', required: true },
    { name: 'reason', kind: 'textarea', required: true },
  ],
  extend_decide: [
    { name: 'grant', kind: 'grant', required: true },
    { name: 'comment', kind: 'textarea' },
  ],
  resolve: [
    { name: 'result', kind: 'textarea', required: true },
    { name: 'date', kind: 'date' },
  ],
  close: [{ name: 'comment', kind: 'textarea' }],
  reopen: [{ name: 'reason', kind: 'textarea', required: true }],
  rate: [
    { name: 'satisfaction', kind: 'satisfaction', required: true },
    { name: 'comment', kind: 'textarea' },
  ],
  escalate: [{ name: 'reason', kind: 'textarea', required: true }],
  supervise: [
    { name: 'instruction', kind: 'textarea', required: true },
    { name: 'respond_by', kind: 'date' },
  ],
  supervise_respond: [{ name: 'response', kind: 'textarea', required: true }],
  agenda: [
    { name: 'meeting_on', kind: 'date' },
    { name: 'comment', kind: 'textarea' },
  ],
  agenda_decide: [
    { name: 'decision', kind: 'textarea', required: true },
    { name: 'bound_unit_ids', kind: 'units' },
  ],
  comment: [
    { name: 'comment', kind: 'textarea', required: true },
    { name: 'internal', kind: 'internal' },
  ],
}

/** The main path first (the primary button), the rest after it. */
export const PRIMARY_ACTIONS: ReadonlySet<ProblemAction> = new Set(['assign', 'start', 'resolve', 'close', 'rate', 'extend_decide', 'supervise_respond', 'agenda_decide'])
