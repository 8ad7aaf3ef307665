// The one way the web app talks to the zhuanban server (`/api/v1`, see
// shared API.md). A thin fetch wrapper:
//   - JSON in and out, cookies sent same-origin;
//   - every non-2xx answer becomes an `ApiError` parsed from the error
//     envelope {"error":{"code","message","field"}};
//   - unsafe methods carry `X-CSRF-Token` once the auth store has called
//     `setCsrfToken()` (from the login / me answer);
//   - a 401 (session gone) and a 403 "须先修改密码" (password change required)
//     go to handlers the router installs (see router/guard.ts).

/** Error codes from the server's one table (API.md). */
export type ApiErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'version_conflict'
  | 'already_exists'
  | 'invalid_transition'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  /** Client-side: the request never got an HTTP answer (offline, aborted, DNS…). */
  | 'network_error'
  /** Client-side: a non-2xx answer without the JSON error envelope (e.g. a proxy's 502 page). */
  | 'bad_response'

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string | null }
}

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly code: ApiErrorCode | (string & {}),
    message: string,
    /** The offending input field, for `validation_failed` and friends. */
    readonly field?: string,
    /** The parsed JSON body, e.g. the current record with `version_conflict`. */
    readonly body?: unknown,
  ) {
    super(message)
  }

  is(code: ApiErrorCode): boolean {
    return this.code === code
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue | readonly QueryValue[]>

export interface RequestOptions {
  query?: Query
  /** Sent as JSON unless it is FormData / Blob / string (sent as is). */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /**
   * `false`: a 401 / password-change 403 is only thrown, not routed to the
   * handlers — for the sign-in calls themselves (`/auth/me` while signed out,
   * a wrong password, logging out).
   */
  authRedirect?: boolean
}

export const API_BASE = '/api/v1'

// ---- hooks -----------------------------------------------------------------

let csrfToken: string | null = null

/** Called by the auth store after login / `GET /auth/me`; `null` on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

type UnauthenticatedHandler = (error: ApiError) => void
let onUnauthenticated: UnauthenticatedHandler | null = null

/** Lets the router send the user to the sign-in page on a 401. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler | null): void {
  onUnauthenticated = handler
}

type PasswordChangeHandler = (error: ApiError) => void
let onPasswordChangeRequired: PasswordChangeHandler | null = null

/** Lets the router send the user to the change-password page on a 403 that asks for it. */
export function setPasswordChangeHandler(handler: PasswordChangeHandler | null): void {
  onPasswordChangeRequired = handler
}

/** The server admits only /auth/me, /auth/password and /auth/logout until the password is changed. */
export function isPasswordChangeRequired(error: ApiError): boolean {
  return error.status === 403 && error.message.includes('修改密码')
}

// ---- core ------------------------------------------------------------------

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') || path.startsWith('http') ? path : API_BASE + path
  if (!query) return url
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue
      params.append(key, String(v))
    }
  }
  const qs = params.toString()
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    typeof body === 'string' ||
    body instanceof FormData ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer
  )
}

async function parseError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '')
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  const envelope = (parsed as Partial<ApiErrorBody> | undefined)?.error
  if (envelope && typeof envelope.code === 'string') {
    return new ApiError(
      res.status,
      envelope.code,
      typeof envelope.message === 'string' && envelope.message ? envelope.message : envelope.code,
      envelope.field ?? undefined,
      parsed,
    )
  }
  return new ApiError(res.status, 'bad_response', `HTTP ${res.status} ${res.statusText}`.trim(), undefined, parsed)
}

/** A lost session or a required password change goes to the router's handlers. */
function routeAuthError(error: ApiError): void {
  if (error.status === 401) onUnauthenticated?.(error)
  else if (isPasswordChangeRequired(error)) onPasswordChangeRequired?.(error)
}

/**
 * Sends one request to the API and returns the parsed JSON answer
 * (`undefined` for 204 or an empty body). Throws `ApiError` otherwise.
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const upper = method.toUpperCase()
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.body !== undefined) {
    if (isRawBody(options.body)) {
      body = options.body
    } else {
      body = JSON.stringify(options.body)
      headers['Content-Type'] ??= 'application/json'
    }
  }
  // CSRF hook: cookie sessions must echo the token on unsafe methods.
  if (csrfToken && UNSAFE_METHODS.has(upper)) headers['X-CSRF-Token'] = csrfToken

  return answerOf<T>(
    fetch(buildUrl(path, options.query), {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    }),
    options,
  )
}

/**
 * The parsed answer of a fetch already started (by `request`, or by
 * public/early.js before the app's code arrived): as `request` returns it,
 * with its errors.
 */
export async function answerOf<T>(response: Promise<Response>, options: Pick<RequestOptions, 'authRedirect'> = {}): Promise<T> {
  let res: Response
  try {
    res = await response
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e))
  }

  if (!res.ok) {
    const error = await parseError(res)
    if (options.authRedirect !== false) routeAuthError(error)
    throw error
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(res.status, 'bad_response', 'Invalid JSON in response')
  }
}

/** `attachment; filename*=UTF-8''%E7%99%BB….xlsx` or `filename="x.xlsx"` → the name. */
function attachmentName(disposition: string | null): string | null {
  if (!disposition) return null
  const encoded = /filename\*\s*=\s*utf-8''([^;]+)/i.exec(disposition)
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]!.trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition)
  return plain ? plain[1]!.trim() : null
}

/**
 * Downloads a file the API answers (an Excel export): fetched with the
 * session cookie, then saved by the browser under the server's file name
 * (`Content-Disposition`), `fallbackName` without one. A refusal is an
 * `ApiError` like any other (e.g. 422 "too many rows, narrow the filter"), so
 * the page can show the server's message. Returns the file name.
 */
export async function downloadFile(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  let res: Response
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e))
  }
  if (!res.ok) {
    const error = await parseError(res)
    routeAuthError(error)
    throw error
  }
  const name = attachmentName(res.headers.get('Content-Disposition')) ?? fallbackName
  const url = URL.createObjectURL(await res.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The browser has taken the file by then; the URL only holds memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return name
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
}

/** A list answer: `{"items":[…],"total":…,"page":…,"page_size":…,"facets":{…}}`. */
export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
  facets?: Record<string, unknown>
}
