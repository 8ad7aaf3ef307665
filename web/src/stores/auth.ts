import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type { CurrentUser, SessionInfo } from '@/api/auth'
import { isApiError, setCsrfToken } from '@/api/http'

/** Why the login page is shown, when it is not the user's own choice. */
export type SignInNotice = 'expired' | 'passwordChanged' | null

/**
 * The signed-in user. Loaded once by `GET /auth/me` before the first
 * navigation (router guard); set by login, cleared by logout or any 401.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<CurrentUser | null>(null)
  const csrfToken = ref<string | null>(null)
  const mustChangePassword = ref(false)
  const passwordExpiresAt = ref<string | null>(null)
  /** Shown on the login page (session expired, password changed elsewhere…). */
  const notice = ref<SignInNotice>(null)

  const signedIn = computed(() => user.value !== null)
  const permissions = computed(() => new Set(user.value?.permissions ?? []))

  function apply(info: SessionInfo): void {
    user.value = info.user
    csrfToken.value = info.csrf_token
    mustChangePassword.value = info.must_change_password
    passwordExpiresAt.value = info.password_expires_at
    notice.value = null
    setCsrfToken(info.csrf_token)
  }

  /** Forgets the session locally (the server side is already gone or being ended). */
  function clear(reason: SignInNotice = null): void {
    user.value = null
    csrfToken.value = null
    mustChangePassword.value = false
    passwordExpiresAt.value = null
    notice.value = reason
    setCsrfToken(null)
  }

  let loading: Promise<void> | null = null

  /** `GET /auth/me`: who is signed in (a 401 simply means nobody). */
  function refresh(): Promise<void> {
    loading = authApi
      .getMe()
      .then(apply)
      .catch((e: unknown) => {
        // 401: not signed in. Anything else (server down…): treat as signed
        // out too — the login page then shows the server's answer on submit.
        if (!isApiError(e) || e.status !== 401) console.warn('auth/me failed', e)
        clear(notice.value)
      })
    return loading
  }

  /** The first call asks the server; later calls reuse that answer. */
  function ensureLoaded(): Promise<void> {
    return loading ?? refresh()
  }

  async function login(username: string, password: string): Promise<void> {
    apply(await authApi.login(username, password))
    loading = Promise.resolve()
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      // Already gone on the server (401) or unreachable: sign out locally anyway.
    } finally {
      clear()
      loading = Promise.resolve()
    }
  }

  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await authApi.changePassword(oldPassword, newPassword)
    mustChangePassword.value = false
    // The server may rotate the session (and its CSRF token) or end it.
    await refresh()
    if (!user.value) notice.value = 'passwordChanged'
  }

  function can(permission: string): boolean {
    return permissions.value.has(permission)
  }

  return {
    user,
    csrfToken,
    mustChangePassword,
    passwordExpiresAt,
    notice,
    signedIn,
    apply,
    clear,
    refresh,
    ensureLoaded,
    login,
    logout,
    changePassword,
    can,
  }
})
