// /api/v1/dict-items (docs/api-projects.md "Dictionaries"): the configurable
// dictionaries 行业, 产业板块 and 项目类别. Everyone signed in reads them;
// dict:write adds, relabels, reorders and retires items. Codes never change.
import { http, type Page } from './http'

export const DICT_TYPES = ['industry', 'board', 'category'] as const
export type DictType = (typeof DICT_TYPES)[number]

export interface DictItem {
  id: number
  dict_type: DictType
  code: string
  label: string
  sort_order: number
  active: boolean
  version: number
  created_at: string
  updated_at: string
}

export interface NewDictItem {
  dict_type: DictType
  code: string
  label: string
  sort_order: number
}

export interface DictItemChanges {
  label?: string
  sort_order?: number
  /** false retires the item (停用), true brings it back. */
  active?: boolean
  version: number
}

/** The items of one dictionary in sort order (the whole list: no paging). */
export async function listDictItems(type: DictType, includeInactive = false): Promise<DictItem[]> {
  const page = await http.get<Page<DictItem>>('/dict-items', { query: { type, include_inactive: includeInactive || undefined } })
  return page.items
}

export function createDictItem(input: NewDictItem): Promise<DictItem> {
  return http.post<DictItem>('/dict-items', input)
}

export function updateDictItem(id: number, changes: DictItemChanges): Promise<DictItem> {
  return http.patch<DictItem>(`/dict-items/${id}`, changes)
}
