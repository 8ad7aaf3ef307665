// /api/v1/users (docs/api-identity.md "Users"): accounts in the caller's data
// scope. Creating a user or resetting a password answers the one-time
// initial password, which the user must change at first sign-in.
import { http, type Page } from './http'

export interface UserRole {
  id: number
  code: string
  name: string
}

export interface User {
  id: number
  login: string
  display_name: string
  mobile: string
  email: string
  org_unit_id: number
  org_unit_name: string
  /** 企业 users: the enterprise they act for (the enterprise library arrives with issue 4). */
  enterprise_id: number | null
  active: boolean
  /** Locked by failed sign-ins until `locked_until`. */
  locked: boolean
  locked_until: string | null
  must_change_password: boolean
  password_changed_at: string | null
  roles: UserRole[]
  role_ids: number[]
  version: number
  created_at: string
  updated_at: string
}

export interface UserFields {
  display_name: string
  mobile: string
  email: string
  org_unit_id: number
  role_ids: number[]
  enterprise_id: number | null
  active: boolean
}

export interface NewUser extends UserFields {
  login: string
}

export interface UserQuery {
  /** This unit and its subtree. */
  org_unit_id?: number
  /** Matches login, name or mobile. */
  keyword?: string
  active?: boolean
  page?: number
  page_size?: number
}

export interface InitialPassword {
  initial_password: string
}

export function listUsers(query: UserQuery, signal?: AbortSignal): Promise<Page<User>> {
  return http.get<Page<User>>('/users', { query: { ...query }, signal })
}

export function getUser(id: number): Promise<User> {
  return http.get<User>(`/users/${id}`)
}

export function createUser(input: NewUser): Promise<User & InitialPassword> {
  return http.post<User & InitialPassword>('/users', input)
}

/** Deactivating signs the user out everywhere. */
export function updateUser(id: number, changes: Partial<UserFields> & { version: number }): Promise<User> {
  return http.patch<User>(`/users/${id}`, changes)
}

/** A new one-time password; the user's sessions are revoked. */
export function resetPassword(id: number): Promise<InitialPassword> {
  return http.post<InitialPassword>(`/users/${id}/reset-password`, {})
}

/** Clears the failure count and the lock. */
export function unlockUser(id: number): Promise<User> {
  return http.post<User>(`/users/${id}/unlock`, {})
}
