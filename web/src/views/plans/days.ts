// Calendar days as integers for drawing: "YYYY-MM-DD" ↔ days since
// 1970-01-01 (UTC, so no time zone or DST ever shifts a day), and whether a
// day is a rest day given the calendar's overrides (放假 holidays, 调休上班
// working weekends). The plan's own dates always come from the server; this
// is for the Gantt's scale and shading, and for the template preview.

export type DayKind = 'holiday' | 'workday'

export interface DayOverride {
  date: string
  kind: DayKind
}

const MS_PER_DAY = 86_400_000

export function toDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return Math.round(Date.UTC(y!, m! - 1, d!) / MS_PER_DAY)
}

export function fromDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (day + 4) % 7 // 1970-01-01 was a Thursday
}

export function isWeekend(day: number): boolean {
  const w = weekday(day)
  return w === 0 || w === 6
}

/** Overrides by day number. */
export function overrideMap(overrides: readonly DayOverride[]): Map<number, DayKind> {
  return new Map(overrides.map((o) => [toDay(o.date), o.kind]))
}

export function isRestDay(day: number, overrides: Map<number, DayKind>): boolean {
  const kind = overrides.get(day)
  if (kind) return kind === 'holiday'
  return isWeekend(day)
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: number, overrides: Map<number, DayKind>): number {
  let d = day
  while (isRestDay(d, overrides)) d++
  return d
}

/**
 * The day `n` working days after working day `day` (n ≥ 0; `day` itself
 * when n is 0). For the template preview only.
 */
export function addWorkingDays(day: number, n: number, overrides: Map<number, DayKind>): number {
  let d = nextWorkingDay(day, overrides)
  for (let left = n; left > 0; left--) d = nextWorkingDay(d + 1, overrides)
  return d
}

/** Today in China (the server's calendar day), "YYYY-MM-DD". */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}
