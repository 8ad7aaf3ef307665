// The page of each section that has one, by section key (router/sections.ts).
// Sections missing here show the "under construction" page.
import type { RouteComponent } from 'vue-router'

type Lazy = () => Promise<RouteComponent>

export const sectionViews: Record<string, Lazy> = {
  orgUnits: () => import('@/views/system/OrgUnitsPage.vue'),
  users: () => import('@/views/system/UsersPage.vue'),
  roles: () => import('@/views/system/RolesPage.vue'),
  sessions: () => import('@/views/system/SessionsPage.vue'),
  apiTokens: () => import('@/views/system/ApiTokensPage.vue'),
  auditLog: () => import('@/views/system/AuditLogPage.vue'),
  loginLog: () => import('@/views/system/LoginLogPage.vue'),
  enterprises: () => import('@/views/enterprises/EnterprisesPage.vue'),
  dictionaries: () => import('@/views/system/DictionariesPage.vue'),
  calendar: () => import('@/views/system/CalendarPage.vue'),
  projects: () => import('@/views/projects/ProjectsPage.vue'),
  teams: () => import('@/views/teams/TeamsPage.vue'),
  nodes: () => import('@/views/gantt/PortfolioGanttPage.vue'),
  warnings: () => import('@/views/warnings/WarningsPage.vue'),
  nodeTemplates: () => import('@/views/plans/NodeTemplatesPage.vue'),
  problems: () => import('@/views/problems/ProblemsPage.vue'),
  inbox: () => import('@/views/inbox/InboxPage.vue'),
}

/**
 * What a section's page can start asking for before it exists: the guard
 * calls it as the navigation begins, alongside GET /auth/me and the page's
 * code (router/guard.ts). The portfolio Gantt's first screen.
 */
export const sectionPrefetch: Record<string, () => void> = {
  nodes: () => void import('@/views/gantt/firstScreen').then((m) => m.prefetchFirstScreen()),
}
