import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import AppLayout from '@/layouts/AppLayout.vue'
import { useAuthStore } from '@/stores/auth'
import { HOME_PATH, sections, visibleSections, type Section } from './sections'
import { CHANGE_PASSWORD_PATH, LOGIN_PATH, PORTAL_PATH } from './redirect'
import { installAuthGuard } from './guard'
import { sectionPrefetch, sectionViews } from './views'

declare module 'vue-router' {
  interface RouteMeta {
    /** Key of the section (i18n `section.<key>`), shown in menu, title and breadcrumbs. */
    section?: string
    /** Reachable without a session (the login page). */
    public?: boolean
    /** i18n key of the tab title for pages outside the sections. */
    title?: string
    /** Permission the page needs; without it the shell shows "no permission" instead. */
    permission?: string
    /** Starts the page's first request early (router/views.ts sectionPrefetch). */
    prefetch?: () => void
  }
}

// A section shows its own view (router/views.ts) once it exists, the "under
// construction" page until then.
const SectionPage = () => import('@/views/SectionPage.vue')
const NotFound = () => import('@/views/NotFound.vue')
const LoginPage = () => import('@/views/LoginPage.vue')
const ChangePassword = () => import('@/views/account/ChangePassword.vue')

function toRoute(section: Section): RouteRecordRaw {
  if (section.children?.length) {
    const children = section.children
    // The group's own path opens its first entry the user may see. A
    // `beforeEnter` rather than a `redirect`: it runs after the global guard
    // has loaded the user. (The component is never shown.)
    const firstVisible = () => {
      const auth = useAuthStore()
      const first = visibleSections(auth.can, children)[0] ?? children[0]!
      return { path: `/${section.path}/${first.path}`, replace: true }
    }
    return {
      path: section.path,
      meta: { section: section.key },
      children: [{ path: '', component: SectionPage, beforeEnter: firstVisible }, ...children.map(toRoute)],
    }
  }
  const component = sectionViews[section.key] ?? SectionPage
  return {
    path: section.path,
    name: section.key,
    component,
    meta: { section: section.key, permission: section.permission, prefetch: sectionPrefetch[section.key] },
  }
}

export const routes: RouteRecordRaw[] = [
  { path: LOGIN_PATH, name: 'login', component: LoginPage, meta: { public: true, title: 'login.title' } },
  { path: CHANGE_PASSWORD_PATH, name: 'changePassword', component: ChangePassword, meta: { title: 'password.title' } },
  // The enterprise portal: users bound to an enterprise see only this (guard.ts).
  {
    path: PORTAL_PATH,
    component: () => import('@/layouts/PortalLayout.vue'),
    meta: { title: 'portal.title' },
    children: [
      { path: '', redirect: `${PORTAL_PATH}/requests` },
      { path: 'projects', component: () => import('@/views/portal/PortalProjects.vue'), meta: { title: 'portal.tabs.projects' } },
      { path: 'requests', component: () => import('@/views/portal/PortalRequests.vue'), meta: { title: 'portal.tabs.requests' } },
      { path: 'requests/:id(\\d+)', component: () => import('@/views/portal/PortalRequestDetail.vue'), meta: { title: 'portal.tabs.requests' } },
      { path: 'submit', component: () => import('@/views/portal/PortalSubmit.vue'), meta: { title: 'portal.tabs.submit' } },
    ],
  },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', redirect: HOME_PATH },
      ...sections.map(toRoute),
      // One project; under 项目库 in the breadcrumbs and the tab title.
      {
        path: 'projects/:id(\\d+)',
        name: 'projectDetail',
        component: () => import('@/views/projects/ProjectDetailPage.vue'),
        meta: { section: 'projects', permission: 'project:read' },
      },
      // 问题台账: the figures and one item, under 问题台账.
      {
        path: 'problems/stats',
        name: 'problemStats',
        component: () => import('@/views/problems/ProblemStatsPage.vue'),
        meta: { section: 'problems', permission: 'problem:read' },
      },
      {
        path: 'problems/:id(\\d+)',
        name: 'problemDetail',
        component: () => import('@/views/problems/ProblemDetailPage.vue'),
        meta: { section: 'problems', permission: 'problem:read' },
      },
      { path: ':pathMatch(.*)*', name: 'notFound', component: NotFound },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

// Needs the Pinia instance: main.ts installs Pinia before the router.
export function setUpRouter(): typeof router {
  installAuthGuard(router)
  return router
}
