// /api/v1/org-units (docs/api-identity.md "Org units"): the organisation
// tree in the caller's data scope.
import { http, type Page } from './http'
import { buildTree, type TreeNode } from '@/utils/tree'

export const ORG_UNIT_KINDS = ['city', 'county', 'zone', 'town', 'village', 'department'] as const
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number]

export interface OrgUnit {
  id: number
  parent_id: number | null
  name: string
  short_name: string
  code: string
  kind: OrgUnitKind
  /** zh-CN label of `kind` (the UI uses its own per language). */
  kind_label: string
  sort_order: number
  active: boolean
  /** "/1/5/12/": the ids from the root down to this unit. */
  path: string
  version: number
  created_at: string
  updated_at: string
}

export type OrgUnitNode = TreeNode<OrgUnit>

export interface OrgUnitFields {
  name: string
  short_name: string
  code: string
  sort_order: number
}

export interface NewOrgUnit extends OrgUnitFields {
  parent_id: number | null
  kind: OrgUnitKind
}

export interface OrgUnitQuery {
  /** Only this unit and its subtree. */
  root?: number
  include_inactive?: boolean
}

/** Units in scope, parents before children (the whole list: no paging). */
export async function listOrgUnits(query: OrgUnitQuery = {}, signal?: AbortSignal): Promise<OrgUnit[]> {
  const page = await http.get<Page<OrgUnit>>('/org-units', { query: { ...query }, signal })
  return page.items
}

/** The units in scope as a tree (see utils/tree.ts). */
export async function loadOrgTree(query: OrgUnitQuery = {}, signal?: AbortSignal): Promise<OrgUnitNode[]> {
  return buildTree(await listOrgUnits(query, signal))
}

export function getOrgUnit(id: number): Promise<OrgUnit> {
  return http.get<OrgUnit>(`/org-units/${id}`)
}

export function createOrgUnit(input: NewOrgUnit): Promise<OrgUnit> {
  return http.post<OrgUnit>('/org-units', input)
}

export function updateOrgUnit(id: number, changes: Partial<OrgUnitFields> & { version: number }): Promise<OrgUnit> {
  return http.patch<OrgUnit>(`/org-units/${id}`, changes)
}

export function moveOrgUnit(id: number, parentId: number, version: number): Promise<OrgUnit> {
  return http.post<OrgUnit>(`/org-units/${id}/move`, { parent_id: parentId, version })
}

/** 409 `conflict` while the unit still has active sub-units or users. */
export function deactivateOrgUnit(id: number, version: number): Promise<OrgUnit> {
  return http.post<OrgUnit>(`/org-units/${id}/deactivate`, { version })
}

/** 409 while the parent is inactive. */
export function activateOrgUnit(id: number, version: number): Promise<OrgUnit> {
  return http.post<OrgUnit>(`/org-units/${id}/activate`, { version })
}
