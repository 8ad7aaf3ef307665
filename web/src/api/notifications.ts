// /api/v1/notifications (docs/api-problems.md "Notifications 站内消息"): the
// signed-in user's own inbox, newest first, with the unread count the header
// bell shows.
import { http, type Page } from './http'

export interface Notification {
  id: number
  kind: string
  title: string
  body: string
  entity_type: string | null
  entity_id: number | null
  created_at: string
  read_at: string | null
}

export type NotificationPage = Page<Notification> & { unread: number }

export function listNotifications(query: { unread?: boolean; page?: number; page_size?: number }): Promise<NotificationPage> {
  return http.get<NotificationPage>('/notifications', { query: { ...query, unread: query.unread || undefined } })
}

export async function unreadCount(): Promise<number> {
  const answer = await http.get<{ unread: number }>('/notifications/unread-count')
  return answer.unread
}

export function markRead(id: number): Promise<void> {
  return http.post<void>(`/notifications/${id}/read`)
}

export async function markAllRead(): Promise<number> {
  const answer = await http.post<{ updated: number }>('/notifications/read-all')
  return answer.updated
}

/** Where a click on a notice goes in the app (null: nowhere of its own). */
export function notificationLink(n: Notification): string | null {
  if (n.entity_type === 'problem' && n.entity_id) return `/problems/${n.entity_id}`
  return null
}
