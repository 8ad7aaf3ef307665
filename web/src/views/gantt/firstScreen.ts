// The portfolio Gantt's first screen of rows (GET /gantt?limit=…), asked
// for as early as the app can: the router's guard starts it when /nodes is
// where it is going (router/views.ts), while GET /auth/me and the page's
// code are on their way, and the page takes that answer instead of asking
// again once it is set up — a few hundred ms sooner on a slow machine
// (bench/gantt_paint.mjs; docs/performance.md "Portfolio Gantt").
import { getGantt, type Gantt, type GanttFilter } from '@/api/gantt'
import { ganttFilter } from './ganttState'

/** Rows in the first answer: more than a screen (~30 lines at 900 px). */
export const FIRST_ROWS = 60
/** An early answer older than this is not taken (a navigation that went elsewhere). */
const FRESH_MS = 10_000

let early: { key: string; at: number; answer: Promise<Gantt> } | null = null

const keyOf = (filter: GanttFilter) => JSON.stringify(filter)

/** Starts asking for the first screen of the chart as its filters stand. */
export function prefetchFirstScreen(): void {
  const filter = ganttFilter()
  // Not routed to the sign-in handlers: the guard decides where an unsigned
  // user goes, and the page asks again if this failed.
  const answer = getGantt(filter, undefined, FIRST_ROWS, false)
  answer.catch(() => undefined)
  early = { key: keyOf(filter), at: Date.now(), answer }
}

/** The first screen for `filter`: the early answer when it is for the same filter, else a new request. */
export function firstScreen(filter: GanttFilter, signal: AbortSignal): Promise<Gantt> {
  const mine = early
  early = null
  if (mine && mine.key === keyOf(filter) && Date.now() - mine.at < FRESH_MS) {
    return mine.answer.catch(() => getGantt(filter, signal, FIRST_ROWS))
  }
  return getGantt(filter, signal, FIRST_ROWS)
}
