// Sign-in gate: the auth store is loaded (GET /auth/me) before the first
// navigation; pages need a session unless their route is `meta.public`; a
// forced password change keeps the user on /account/password. API answers
// that mean "session gone" (401) or "change your password first" (403) come
// here from api/http.ts.
import type { RouteLocationNormalized, Router } from 'vue-router'
import { setPasswordChangeHandler, setUnauthenticatedHandler } from '@/api/http'
import { useAuthStore } from '@/stores/auth'
import { afterSignIn, CHANGE_PASSWORD_PATH, LOGIN_PATH, PORTAL_PATH, redirectQuery } from './redirect'

/** Starts loading the lazy components `to` will render (import() caches the module). */
function preloadPages(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    for (const component of Object.values(record.components ?? {})) {
      // A lazy page is `() => import(…)`; a component object is already loaded.
      if (typeof component !== 'function' || 'props' in component) continue
      try {
        const loading = (component as () => unknown)()
        if (loading instanceof Promise) loading.catch(() => undefined) // the router reports it on its own load
      } catch {
        // not a loader after all
      }
    }
  }
}

export function installAuthGuard(router: Router): void {
  const auth = useAuthStore()

  router.beforeEach(async (to) => {
    // GET /auth/me leaves first (its fetch starts synchronously); the target
    // page's code loads while it is on its way, not after it (the router
    // would fetch a lazy page only once the guard is through); a page the
    // user may not see is fetched for nothing, harmlessly.
    const signedIn = auth.ensureLoaded()
    preloadPages(to)
    to.meta.prefetch?.()
    await signedIn
    if (to.meta.public) {
      // Signed in already: the login page has nothing to offer.
      if (to.path === LOGIN_PATH && auth.signedIn) {
        return auth.mustChangePassword
          ? { path: CHANGE_PASSWORD_PATH, query: to.query, replace: true }
          : { path: afterSignIn(to.query.redirect), replace: true }
      }
      return true
    }
    if (!auth.signedIn) return { path: LOGIN_PATH, query: redirectQuery(to.fullPath), replace: true }
    if (auth.mustChangePassword && to.path !== CHANGE_PASSWORD_PATH) {
      return { path: CHANGE_PASSWORD_PATH, query: redirectQuery(to.fullPath), replace: true }
    }
    // An enterprise user lives in the portal; officials never need it.
    const inPortal = to.path === PORTAL_PATH || to.path.startsWith(`${PORTAL_PATH}/`)
    const enterpriseUser = !!auth.user?.enterprise_id
    if (enterpriseUser && !inPortal && to.path !== CHANGE_PASSWORD_PATH) return { path: PORTAL_PATH, replace: true }
    if (!enterpriseUser && inPortal) return { path: '/', replace: true }
    return true
  })

  setUnauthenticatedHandler(() => {
    // Idle or absolute timeout, revoked, logged out elsewhere.
    const current = router.currentRoute.value
    if (!auth.signedIn && current.path === LOGIN_PATH) return
    auth.clear('expired')
    if (current.path !== LOGIN_PATH) void router.replace({ path: LOGIN_PATH, query: redirectQuery(current.fullPath) })
  })

  setPasswordChangeHandler(() => {
    auth.mustChangePassword = true
    const current = router.currentRoute.value
    if (current.path !== CHANGE_PASSWORD_PATH) {
      void router.replace({ path: CHANGE_PASSWORD_PATH, query: redirectQuery(current.fullPath) })
    }
  })
}
