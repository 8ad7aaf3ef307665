// /api/v1/roles and /api/v1/permissions (docs/api-identity.md "Roles and
// permissions"): what a role may do (permissions) and on which records (its
// data scope).
import { http, type Page } from './http'

/** In the order the role editor shows them. */
export const DATA_SCOPES = ['all', 'unit_and_below', 'unit', 'self', 'custom'] as const
export type DataScope = (typeof DATA_SCOPES)[number]

export interface Role {
  id: number
  code: string
  name: string
  /** Created by `zhuanban init`; cannot be deleted (系统管理员 cannot be changed either). */
  builtin: boolean
  data_scope: DataScope
  data_scope_label: string
  remark: string
  permissions: string[]
  /** The exact units a `custom` scope covers. */
  custom_unit_ids: number[]
  user_count: number
  version: number
  created_at: string
  updated_at: string
}

export interface RoleFields {
  name: string
  data_scope: DataScope
  remark: string
  permissions: string[]
  custom_unit_ids: number[]
}

export interface NewRole extends RoleFields {
  code: string
}

export interface Permission {
  code: string
  label: string
}

export interface PermissionGroup {
  group: string
  label: string
  permissions: Permission[]
}

/** The built-in administrator role: read-only in the editor. */
export const ADMIN_ROLE_CODE = 'admin'
/** The built-in 企业 role: its users are bound to an enterprise. */
export const ENTERPRISE_ROLE_CODE = 'enterprise'

/** Every role, with `user_count`. */
export async function listRoles(signal?: AbortSignal): Promise<Role[]> {
  const page = await http.get<Page<Role>>('/roles', { signal })
  return page.items
}

export function getRole(id: number): Promise<Role> {
  return http.get<Role>(`/roles/${id}`)
}

/** The permission catalogue for the editor, grouped. */
export async function listPermissionGroups(signal?: AbortSignal): Promise<PermissionGroup[]> {
  const answer = await http.get<{ groups: PermissionGroup[] }>('/permissions', { signal })
  return answer.groups
}

export function createRole(input: NewRole): Promise<Role> {
  return http.post<Role>('/roles', input)
}

export function updateRole(id: number, changes: Partial<RoleFields> & { version: number }): Promise<Role> {
  return http.patch<Role>(`/roles/${id}`, changes)
}

/** 409 for a built-in role or one still held by users. */
export function deleteRole(id: number): Promise<void> {
  return http.delete(`/roles/${id}`)
}
