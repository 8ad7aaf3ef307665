// /api/v1/enterprises (docs/api-projects.md "Enterprises 企业库"): the
// project owners' files, in the caller's data scope (out of scope = 404).
import { downloadFile, http, type Page } from './http'

export interface EnterpriseContact {
  name: string
  /** 职务 */
  title: string
  phone: string
}

export interface Enterprise {
  id: number
  name: string
  /** 统一社会信用代码 (18 characters, GB 32100-2015). */
  credit_code: string
  /** A code of the 行业 dictionary. */
  industry: string
  industry_label: string
  org_unit_id: number
  org_unit_name: string
  address: string
  legal_representative: string
  /** 规上企业 */
  above_scale: boolean
  contacts: EnterpriseContact[]
  tags: string[]
  version: number
  created_at: string
  updated_at: string
}

export interface EnterpriseFields {
  name: string
  credit_code: string
  industry: string
  org_unit_id: number
  address: string
  legal_representative: string
  above_scale: boolean
  contacts: EnterpriseContact[]
  tags: string[]
}

export interface EnterpriseQuery {
  /** Name or credit code. */
  keyword?: string
  /** This unit and its subtree. */
  org_unit_id?: number
  industry?: string
  above_scale?: boolean
  tag?: string
  page?: number
  page_size?: number
}

/** At most this many contacts (and tags) per enterprise. */
export const MAX_CONTACTS = 20
export const MAX_TAGS = 20

export function listEnterprises(query: EnterpriseQuery, signal?: AbortSignal): Promise<Page<Enterprise>> {
  return http.get<Page<Enterprise>>('/enterprises', { query: { ...query }, signal })
}

/** 导出 Excel with the list's filters (paging aside); resolves to the file name saved. */
export function exportEnterprises(query: Omit<EnterpriseQuery, 'page' | 'page_size'>): Promise<string> {
  return downloadFile('/enterprises/export', { ...query }, 'enterprises.xlsx')
}

export function getEnterprise(id: number): Promise<Enterprise> {
  return http.get<Enterprise>(`/enterprises/${id}`)
}

export function createEnterprise(input: EnterpriseFields): Promise<Enterprise> {
  return http.post<Enterprise>('/enterprises', input)
}

export function updateEnterprise(id: number, changes: Partial<EnterpriseFields> & { version: number }): Promise<Enterprise> {
  return http.patch<Enterprise>(`/enterprises/${id}`, changes)
}
