// The product's sections: one list drives the side menu, the routes and the
// breadcrumbs. Labels and descriptions live in the locale files under
// `section.<key>.title` / `section.<key>.desc`.
import type { Component } from 'vue'
import {
  Bell,
  Coin,
  DataBoard,
  Files,
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
} from '@element-plus/icons-vue'

export interface Section {
  /** Stable key: i18n key suffix, route name, `data-test` suffix. */
  key: string
  /** Path segment under its parent (no leading slash). */
  path: string
  icon?: Component
  children?: Section[]
}

export const sections: Section[] = [
  { key: 'cockpit', path: 'cockpit', icon: DataBoard },
  { key: 'projects', path: 'projects', icon: Files },
  { key: 'enterprises', path: 'enterprises', icon: OfficeBuilding },
  { key: 'nodes', path: 'nodes', icon: Histogram },
  { key: 'problems', path: 'problems', icon: Tickets },
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
      { key: 'orgUnits', path: 'org-units' },
      { key: 'users', path: 'users' },
      { key: 'roles', path: 'roles' },
      { key: 'sessions', path: 'sessions' },
      { key: 'apiTokens', path: 'api-tokens' },
      { key: 'calendar', path: 'calendar' },
      { key: 'auditLog', path: 'audit-log' },
      { key: 'loginLog', path: 'login-log' },
    ],
  },
]

export const HOME_PATH = '/cockpit'
