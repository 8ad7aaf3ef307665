// /api/v1/api-tokens (docs/api-identity.md "API tokens", src/api/api_tokens.cc):
// the caller's own tokens for integrations. The secret is answered once, by
// the create call, and never again.
import { http, type Page } from './http'

export type ApiTokenState = 'active' | 'expired' | 'revoked'

export interface ApiToken {
  id: number
  name: string
  permissions: string[]
  /** RFC 3339; null: never expires. Valid through the day chosen. */
  expires_at: string | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  state: ApiTokenState
}

export interface NewApiToken {
  name: string
  /** A subset of the caller's own permissions. */
  permissions: string[]
  /** `YYYY-MM-DD`, the last day the token works; omitted: no expiry. */
  expires_at?: string
}

/** The created token plus its secret (`zbt_…`), shown this once. */
export interface CreatedApiToken extends ApiToken {
  token: string
}

export async function listApiTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const page = await http.get<Page<ApiToken>>('/api-tokens', { signal })
  return page.items
}

export function createApiToken(input: NewApiToken): Promise<CreatedApiToken> {
  return http.post<CreatedApiToken>('/api-tokens', input)
}

export function revokeApiToken(id: number): Promise<void> {
  return http.delete(`/api-tokens/${id}`)
}
