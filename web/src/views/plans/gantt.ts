// What the project Gantt (PlanGantt.vue) draws, and how a plan becomes that.
// The same component draws a template's preview, so the rows are plain dates.
import type { Colour, Plan, TemplateLink, TemplateNode } from '@/api/plans'
import { getCalendar } from '@/api/calendar'
import { addWorkingDays, fromDay, nextWorkingDay, overrideMap, toDay, type DayOverride } from './days'

export interface GanttRow {
  id: number
  name: string
  milestone: boolean
  critical: boolean
  colour: Colour | null
  /** 计划: latest start → latest finish (倒排); null when no target constrains it. */
  plan: { start: string; finish: string } | null
  /** 预测 (the actual dates once done). */
  forecast: { start: string; finish: string }
  /** 实际: started (finish null while in progress), or null when not started. */
  actual: { start: string | null; finish: string | null } | null
  target: string | null
}

export interface GanttLink {
  from: number
  to: number
}

export const ZOOMS = ['day', 'week', 'month'] as const
export type Zoom = (typeof ZOOMS)[number]

/** Pixels per calendar day at each zoom. */
export const DAY_WIDTH: Record<Zoom, number> = { day: 22, week: 7, month: 2.2 }

export function rowsOfPlan(plan: Plan): GanttRow[] {
  return plan.nodes.map((n) => ({
    id: n.id,
    name: n.name,
    milestone: n.milestone,
    critical: n.critical,
    colour: n.colour,
    plan: n.latest_start && n.latest_finish ? { start: n.latest_start, finish: n.latest_finish } : null,
    forecast: { start: n.forecast_start, finish: n.forecast_finish },
    actual: n.actual_start || n.actual_finish ? { start: n.actual_start, finish: n.actual_finish } : null,
    target: n.target,
  }))
}

/**
 * The days the chart spans: every date it draws, plus today, with a margin
 * on both sides (more after, where targets get dragged), whole months.
 */
export function ganttRange(rows: readonly GanttRow[], today: string | null): { from: string; to: string } {
  const days: number[] = []
  const add = (d: string | null | undefined) => d && days.push(toDay(d))
  add(today)
  for (const r of rows) {
    add(r.plan?.start)
    add(r.plan?.finish)
    add(r.forecast.start)
    add(r.forecast.finish)
    add(r.actual?.start)
    add(r.actual?.finish)
    add(r.target)
  }
  if (!days.length) days.push(toDay(new Date().toISOString().slice(0, 10)))
  const first = fromDay(Math.min(...days) - 14)
  const last = fromDay(Math.max(...days) + 45)
  // From the first of the month to the end of the month.
  const from = `${first.slice(0, 7)}-01`
  const [y, m] = last.split('-').map(Number)
  const to = fromDay(toDay(`${m === 12 ? y! + 1 : y}-${String(m === 12 ? 1 : m! + 1).padStart(2, '0')}-01`) - 1)
  return { from, to }
}

/** The calendar answers at most 3 years a request. */
const MAX_SPAN = 3 * 365

/** The calendar's overrides (放假, 调休上班) from `from` to `to`, for the shading. */
export async function loadOverrides(from: string, to: string): Promise<DayOverride[]> {
  const out: DayOverride[] = []
  for (let start = toDay(from); start <= toDay(to); start += MAX_SPAN) {
    const end = Math.min(start + MAX_SPAN - 1, toDay(to))
    const answer = await getCalendar({ from: fromDay(start), to: fromDay(end) })
    out.push(...answer.days.map((d) => ({ date: d.date, kind: d.kind })))
  }
  return out
}

/**
 * A template's network drawn from `start` for its preview: each node as
 * early as its predecessors allow (finish-to-start plus lag, in working
 * days on the given calendar). Null when the links form a cycle or name a
 * missing key (the server names those when saving). The project's real
 * dates always come from the server's scheduler.
 */
export function previewRows(
  nodes: readonly TemplateNode[],
  links: readonly TemplateLink[],
  start: string,
  overrides: readonly DayOverride[],
): { rows: GanttRow[]; links: GanttLink[] } | null {
  const cal = overrideMap(overrides)
  const index = new Map(nodes.map((n, i) => [n.key, i]))
  const preds = nodes.map(() => [] as { from: number; lag: number }[])
  for (const l of links) {
    const from = index.get(l.from)
    const to = index.get(l.to)
    if (from === undefined || to === undefined) return null
    preds[to]!.push({ from, lag: l.lag })
  }
  // Slots: a task starting on working day s with duration D finishes on the
  // (D−1)th working day after s; its successors may start D working days
  // after s. A milestone sits on its day (start = finish = boundary).
  const startDay = new Array<number | undefined>(nodes.length)
  const boundary = new Array<number | undefined>(nodes.length)
  const state = new Array<0 | 1 | 2>(nodes.length).fill(0) // unvisited / visiting / done
  const origin = nextWorkingDay(toDay(start), cal)
  const visit = (i: number): boolean => {
    if (state[i] === 2) return true
    if (state[i] === 1) return false // a cycle
    state[i] = 1
    let s = origin
    for (const p of preds[i]!) {
      if (!visit(p.from)) return false
      s = Math.max(s, addWorkingDays(boundary[p.from]!, p.lag, cal))
    }
    startDay[i] = s
    boundary[i] = addWorkingDays(s, Math.max(0, nodes[i]!.duration), cal)
    state[i] = 2
    return true
  }
  for (let i = 0; i < nodes.length; i++) if (!visit(i)) return null
  const rows = nodes.map((n, i) => {
    const s = startDay[i]!
    const finish = n.duration > 0 ? addWorkingDays(s, n.duration - 1, cal) : s
    return {
      id: i,
      name: n.name || n.key,
      milestone: n.duration === 0,
      critical: false,
      colour: null,
      plan: null,
      forecast: { start: fromDay(s), finish: fromDay(finish) },
      actual: null,
      target: null,
    }
  })
  return { rows, links: links.map((l) => ({ from: index.get(l.from)!, to: index.get(l.to)! })) }
}
