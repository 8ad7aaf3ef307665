// /api/v1/calendar (docs/api-schedule.md "Working-day calendar 工作日历"):
// the overrides of the normal week — 放假 holidays and 调休上班 working
// weekends — by year or range; every signed-in user reads them.
import { http } from './http'

export type CalendarDayKind = 'holiday' | 'workday'

export interface CalendarDay {
  date: string
  kind: CalendarDayKind
  name: string
}

export interface CalendarRange {
  from: string
  to: string
  /** The overrides in range, sorted. */
  days: CalendarDay[]
  /** Counted over the whole range. */
  working_days: number
  rest_days: number
}

/** One year, or `from`…`to` (at most 3 years). */
export function getCalendar(query: { year: number } | { from: string; to: string }): Promise<CalendarRange> {
  return http.get<CalendarRange>('/calendar', { query })
}

/** Makes `date` a 放假 day or a 调休上班 (weekend) day; needs calendar:write. */
export function setCalendarDay(date: string, kind: CalendarDayKind, name: string): Promise<CalendarDay> {
  return http.put<CalendarDay>(`/calendar/days/${date}`, { kind, name })
}

/** Back to the normal week for `date` (恢复默认); needs calendar:write. */
export function clearCalendarDay(date: string): Promise<void> {
  return http.delete<void>(`/calendar/days/${date}`)
}

/** The calendar .csv import (date,kind,name; UTF-8 or GBK) for ImportDialog: no template, the file's shape is shown instead. */
export const CALENDAR_IMPORT = { import: '/calendar/import' } as const

