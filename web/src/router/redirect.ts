import type { LocationQueryValue } from 'vue-router'
import { HOME_PATH } from './sections'

export const LOGIN_PATH = '/login'
export const CHANGE_PASSWORD_PATH = '/account/password'
/** Where users bound to an enterprise live (the enterprise portal). */
export const PORTAL_PATH = '/portal'

/**
 * The `redirect` query parameter, if it is a path inside this app (never
 * another origin: "//evil", "/\\evil", "https:…") and not a sign-in page.
 */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return null
  const path = raw.split(/[?#]/)[0]
  if (path === LOGIN_PATH || path === CHANGE_PASSWORD_PATH) return null
  return raw
}

/** Where to go once signed in (and the password is in order). */
export function afterSignIn(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  return safeRedirect(value) ?? HOME_PATH
}

/** `{ redirect }` for a login / change-password link back to `fullPath`; empty for home. */
export function redirectQuery(fullPath: string): Record<string, string> {
  return fullPath === HOME_PATH || fullPath === '/' || !safeRedirect(fullPath) ? {} : { redirect: fullPath }
}
