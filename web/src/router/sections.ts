// The product's sections: one list drives the side menu, the routes and the
// breadcrumbs. Labels and descriptions live in the locale files under
// `section.<key>.title` / `section.<key>.desc`.
import type { Component } from 'vue'
import {
  Bell,
  Coin,
  DataBoard,
  Files,
  Flag,
  Histogram,
  House,
  MapLocation,
  Microphone,
  OfficeBuilding,
  Promotion,
  Setting,
  Service,
  Stamp,
  Tickets,
  Trophy,
  Warning,
} from '@element-plus/icons-vue'

export interface Section {
  /** Stable key: i18n key suffix, route name, `data-test` suffix. */
  key: string
  /** Path segment under its parent (no leading slash). */
  path: string
  icon?: Component
  /**
   * Permission (src/domain/permissions.h) needed to see this entry: the menu
   * hides it without, and the page shows "no permission" when opened by URL.
   */
  permission?: string
  children?: Section[]
}

export const sections: Section[] = [
  { key: 'cockpit', path: 'cockpit', icon: DataBoard },
  { key: 'projects', path: 'projects', icon: Files, permission: 'project:read' },
  { key: 'teams', path: 'teams', icon: Flag, permission: 'project:read' },
  { key: 'enterprises', path: 'enterprises', icon: OfficeBuilding, permission: 'enterprise:read' },
  { key: 'nodes', path: 'nodes', icon: Histogram, permission: 'project:read' },
  { key: 'warnings', path: 'warnings', icon: Warning, permission: 'project:read' },
  { key: 'problems', path: 'problems', icon: Tickets, permission: 'problem:read' },
  { key: 'services', path: 'services', icon: Service },
  { key: 'approvals', path: 'approvals', icon: Stamp },
  { key: 'reports', path: 'reports', icon: Coin },
  { key: 'meetings', path: 'meetings', icon: Microphone },
  { key: 'assessment', path: 'assessment', icon: Trophy },
  { key: 'attraction', path: 'attraction', icon: Promotion },
  { key: 'resources', path: 'resources', icon: House },
  { key: 'land', path: 'land', icon: MapLocation },
  { key: 'inbox', path: 'inbox', icon: Bell },
  {
    key: 'system',
    path: 'system',
    icon: Setting,
    children: [
      { key: 'orgUnits', path: 'org-units', permission: 'org:read' },
      { key: 'users', path: 'users', permission: 'user:read' },
      { key: 'roles', path: 'roles', permission: 'role:read' },
      { key: 'dictionaries', path: 'dictionaries' },
      { key: 'sessions', path: 'sessions', permission: 'session:read' },
      { key: 'apiTokens', path: 'api-tokens', permission: 'token:manage' },
      { key: 'calendar', path: 'calendar' },
      { key: 'nodeTemplates', path: 'node-templates' },
      { key: 'auditLog', path: 'audit-log', permission: 'audit:read' },
      { key: 'loginLog', path: 'login-log', permission: 'loginlog:read' },
    ],
  },
]

export const HOME_PATH = '/cockpit'

/**
 * The sections a user with `can` may see: entries lacking their permission
 * are left out, and so is a group left with no entries.
 */
export function visibleSections(can: (permission: string) => boolean, list: Section[] = sections): Section[] {
  const out: Section[] = []
  for (const section of list) {
    if (section.permission && !can(section.permission)) continue
    if (section.children) {
      const children = visibleSections(can, section.children)
      if (children.length) out.push({ ...section, children })
    } else {
      out.push(section)
    }
  }
  return out
}
