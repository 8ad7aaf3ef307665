// /api/v1/teams (docs/api-projects.md "专班 Teams"): named teams of users
// (one 组长, 副组长, 组员) that serve one or more projects.
import { http, type Page } from './http'

export const TEAM_ROLES = ['leader', 'deputy', 'member'] as const
/** 组长 / 副组长 / 组员 */
export type TeamRole = (typeof TEAM_ROLES)[number]

export interface TeamMember {
  user_id: number
  name: string
  org_unit_name: string
  role: TeamRole
}

export interface TeamProject {
  id: number
  code: string
  name: string
}

export interface Team {
  id: number
  name: string
  remark: string
  members: TeamMember[]
  /** The projects it serves that the caller may see (on the single read). */
  projects?: TeamProject[]
  project_count: number
  version: number
  created_at: string
  updated_at: string
}

export interface TeamFields {
  name: string
  remark: string
  members: { user_id: number; role: TeamRole }[]
}

export interface TeamQuery {
  keyword?: string
  page?: number
  page_size?: number
}

export function listTeams(query: TeamQuery, signal?: AbortSignal): Promise<Page<Team>> {
  return http.get<Page<Team>>('/teams', { query: { ...query }, signal })
}

export function getTeam(id: number): Promise<Team> {
  return http.get<Team>(`/teams/${id}`)
}

export function createTeam(input: TeamFields): Promise<Team> {
  return http.post<Team>('/teams', input)
}

export function updateTeam(id: number, changes: Partial<TeamFields> & { version: number }): Promise<Team> {
  return http.patch<Team>(`/teams/${id}`, changes)
}

/** 409 while it still serves projects. */
export function deleteTeam(id: number): Promise<void> {
  return http.delete(`/teams/${id}`)
}
