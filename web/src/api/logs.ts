// The audit log (操作日志) and login log (登录日志), docs/api-identity.md:
// filtered, paged lists newest first, Excel exports with the same filters,
// and the audit hash chain's integrity check.
import { downloadFile, http, type Page } from './http'

/** `from` / `to`: `YYYY-MM-DD` China days, `to` inclusive. */
export interface TimeRange {
  from?: string
  to?: string
}

export interface Paging {
  page: number
  page_size: number
}

// ---- audit log -------------------------------------------------------------

export interface AuditChanges {
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
}

export interface AuditEntry {
  seq: number
  at: string
  user_id: number | null
  login: string
  ip: string
  request_id: string
  /** create, update, change_password, logout, revoke, export… */
  action: string
  /** org_unit, user, role, session, api_token… */
  entity_type: string
  entity_id: string
  /** A string only should the stored JSON ever not parse. */
  changes: AuditChanges | string | null
  hash: string
  prev_hash: string
}

export interface AuditFilter extends TimeRange {
  login?: string
  entity_type?: string
  entity_id?: string
  action?: string
}

export interface AuditVerifyResult {
  entries: number
  intact: boolean
  /** Why the chain is broken (the first bad entry); empty when intact. */
  message: string
}

export function listAuditLog(filter: AuditFilter & Paging, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  return http.get<Page<AuditEntry>>('/audit-log', { query: { ...filter }, signal })
}

/** Saves the filtered entries as .xlsx; 422 beyond 50 000 rows. */
export function exportAuditLog(filter: AuditFilter): Promise<string> {
  return downloadFile('/audit-log/export', { ...filter }, 'audit-log.xlsx')
}

export function verifyAuditLog(): Promise<AuditVerifyResult> {
  return http.get<AuditVerifyResult>('/audit-log/verify')
}

// ---- login log -------------------------------------------------------------

export type LoginResult = 'success' | 'failure'

export interface LoginLogEntry {
  id: number
  at: string
  login: string
  user_id: number | null
  ip: string
  user_agent: string
  result: LoginResult
  reason: string
  /** The reason in the UI's words. */
  reason_label: string
}

export interface LoginLogFilter extends TimeRange {
  login?: string
  result?: LoginResult
}

export function listLoginLog(filter: LoginLogFilter & Paging, signal?: AbortSignal): Promise<Page<LoginLogEntry>> {
  return http.get<Page<LoginLogEntry>>('/login-log', { query: { ...filter }, signal })
}

export function exportLoginLog(filter: LoginLogFilter): Promise<string> {
  return downloadFile('/login-log/export', { ...filter }, 'login-log.xlsx')
}
