// The project list's filters, sort, page and chosen columns outlive the page
// component, so going into a project and back finds the list as it was left.
// The columns are also kept in localStorage for the next visit.
import { reactive, watch } from 'vue'
import type { StartKind } from '@/api/projects'

export interface ListFilters {
  q: string
  org_unit_id: number | null
  stage: string[]
  level: string[]
  category: string[]
  board: string[]
  project_type: string[]
  leader_user_id: number | null
  responsible_unit_id: number | null
  /** "YYYY" from the year picker. */
  year: string
  /** 万元, as typed. */
  min_wan: string
  max_wan: string
  planned_started: [string, string] | null
  start_kind: StartKind | ''
}

export function emptyFilters(): ListFilters {
  return {
    q: '',
    org_unit_id: null,
    stage: [],
    level: [],
    category: [],
    board: [],
    project_type: [],
    leader_user_id: null,
    responsible_unit_id: null,
    year: '',
    min_wan: '',
    max_wan: '',
    planned_started: null,
    start_kind: '',
  }
}

export const listState = reactive({
  filters: emptyFilters(),
  /** The API's `sort` ("-total_investment"); '' is the server's default (-updated_at). */
  sort: '',
  page: 1,
  pageSize: 20,
  moreFilters: false,
})

// ---- columns ---------------------------------------------------------------------------

export const COLUMN_KEYS = [
  'code',
  'enterprise',
  'org_unit',
  'stage',
  'level',
  'category',
  'board',
  'project_type',
  'total_investment',
  'year_plan',
  'planned_started_on',
  'actual_started_on',
  'planned_completed_on',
  'leader',
  'responsible_unit',
  'liaisons',
  'tags',
  'updated_at',
] as const
export type ColumnKey = (typeof COLUMN_KEYS)[number]

export const DEFAULT_COLUMNS: ColumnKey[] = [
  'code',
  'enterprise',
  'org_unit',
  'stage',
  'level',
  'total_investment',
  'year_plan',
  'planned_started_on',
  'leader',
  'responsible_unit',
  'updated_at',
]

const COLUMNS_STORAGE_KEY = 'zb.projects.columns'

function storedColumns(): ColumnKey[] {
  try {
    const raw = JSON.parse(window.localStorage.getItem(COLUMNS_STORAGE_KEY) ?? 'null') as unknown
    if (Array.isArray(raw)) return COLUMN_KEYS.filter((k) => raw.includes(k))
  } catch {
    // unreadable or storage disabled: the default
  }
  return [...DEFAULT_COLUMNS]
}

export const columnState = reactive({ visible: storedColumns() })

watch(
  () => [...columnState.visible],
  (visible) => {
    try {
      window.localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(visible))
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  },
)
