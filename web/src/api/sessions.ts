// /api/v1/sessions (docs/api-identity.md "Online users"): sessions still
// valid now, of users in the caller's data scope, and forced logout.
import { http, type Page } from './http'

export interface OnlineSession {
  /** Opaque handle (the stored SHA-256 of the cookie); cannot sign anyone in. */
  id: string
  user_id: number
  login: string
  display_name: string
  ip: string
  user_agent: string
  created_at: string
  last_seen_at: string
  /** The caller's own session. */
  current: boolean
}

export async function listSessions(signal?: AbortSignal): Promise<OnlineSession[]> {
  const page = await http.get<Page<OnlineSession>>('/sessions', { signal })
  return page.items
}

/** 强制下线: that browser's next request is 401. */
export function revokeSession(id: string): Promise<void> {
  return http.delete(`/sessions/${encodeURIComponent(id)}`)
}
