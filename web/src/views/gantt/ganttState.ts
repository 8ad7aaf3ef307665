// The portfolio Gantt's filters, grouping, zoom, folded groups and scroll
// position outlive the page, so opening a project and coming back finds the
// chart as it was left.
import { reactive } from 'vue'
import type { GanttFilter, WarningFilterValue } from '@/api/gantt'
import type { GroupBy, Zoom } from './ganttModel'

export interface GanttFilters {
  q: string
  org_unit_id: number | null
  stage: string[]
  level: string[]
  category: string[]
  project_type: string[]
  warning: WarningFilterValue[]
}

export function emptyGanttFilters(): GanttFilters {
  return { q: '', org_unit_id: null, stage: [], level: [], category: [], project_type: [], warning: [] }
}

export const ganttState = reactive({
  filters: emptyGanttFilters(),
  group: 'unit' as GroupBy,
  zoom: 'month' as Zoom,
  /** Group keys folded. */
  collapsed: [] as string[],
  /** Where the chart was scrolled to; null: today. */
  scroll: null as { top: number; left: number } | null,
})

/** The query the chart asks for: the filters as set, and the grouping. */
export function ganttFilter(): GanttFilter {
  const filters = ganttState.filters
  const list = <T>(values: T[]) => (values.length ? [...values] : undefined)
  return {
    q: filters.q.trim() || undefined,
    org_unit_id: filters.org_unit_id ?? undefined,
    stage: list(filters.stage),
    level: list(filters.level),
    category: list(filters.category),
    project_type: list(filters.project_type),
    warning: list(filters.warning),
    group: ganttState.group,
  }
}
