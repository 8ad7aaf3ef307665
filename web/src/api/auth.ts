import { takeEarly } from './earlyRequests'
import { answerOf, buildUrl, http } from './http'

// Sign-in (API.md "auth"): a session cookie (`zb_session`, HttpOnly,
// SameSite=Strict) plus a CSRF token the client echoes on unsafe methods.

export interface RoleRef {
  code: string
  name: string
}

export interface CurrentUser {
  id: number
  login: string
  display_name: string
  org_unit_id: number
  org_unit_name: string
  /** Set for 企业 users: the enterprise they act for (they see the portal, not the admin shell). */
  enterprise_id: number | null
  roles: RoleRef[]
  permissions: string[]
}

/** `POST /auth/login` and `GET /auth/me` answer the same body. */
export interface SessionInfo {
  user: CurrentUser
  csrf_token: string
  must_change_password: boolean
  /** RFC 3339, or null when the password does not expire. */
  password_expires_at: string | null
}

export function login(username: string, password: string): Promise<SessionInfo> {
  // A wrong password is a 401 the login page shows, not a lost session.
  return http.post<SessionInfo>('/auth/login', { username, password }, { authRedirect: false })
}

export function getMe(): Promise<SessionInfo> {
  // The first call takes the request web/early.js started as the page loaded.
  const early = takeEarly(buildUrl('/auth/me'))
  if (early) return answerOf<SessionInfo>(early, { authRedirect: false })
  return http.get<SessionInfo>('/auth/me', { authRedirect: false })
}

export function logout(): Promise<void> {
  return http.post<void>('/auth/logout', undefined, { authRedirect: false })
}

export function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  return http.post<void>('/auth/password', { old_password: oldPassword, new_password: newPassword })
}
