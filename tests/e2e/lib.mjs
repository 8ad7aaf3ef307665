// Shared helpers for the browser tests: Debian's Chromium through
// playwright-core (resolved from web/node_modules), one isolated browser
// context per test, error collection and screenshots on failure.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '../..')

export const baseUrl = (() => {
  const url = process.env.ZB_E2E_BASE_URL
  if (!url) throw new Error('ZB_E2E_BASE_URL is not set: run the suite through tests/e2e/run.mjs')
  return url.replace(/\/$/, '')
})()

/** playwright-core from web/node_modules; throws (fails the test) if missing. */
export function playwright() {
  const require = createRequire(path.join(REPO, 'web/package.json'))
  return require('playwright-core')
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Launches headless Chromium. Playwright gives the browser a fresh temporary
 * user-data dir of its own and removes it on close.
 */
export async function launchBrowser() {
  const { chromium } = playwright()
  return chromium.launch({
    executablePath: process.env.ZB_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  })
}

/**
 * A fresh context (own cookies and localStorage) and page. `errors` collects
 * uncaught page errors and console errors; tests assert it stays empty.
 */
export async function openPage(browser, { locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url || 'no url'})`)
  })
  return { context, page, errors }
}

/** `data-test` selector. */
export const dt = (name) => `[data-test="${name}"]`

/**
 * Runs `fn(page)`; on failure saves a full-page screenshot to /tmp and
 * rethrows with its path. Always closes the context.
 */
export async function withPage(browser, name, fn, options) {
  const { context, page, errors } = await openPage(browser, options)
  try {
    await fn(page, errors)
  } catch (e) {
    const file = path.join('/tmp', `zb-e2e-${name.replace(/[^\w-]+/g, '_')}-${Date.now()}.png`)
    try {
      await page.screenshot({ path: file, fullPage: true })
      e.message += `\n  screenshot: ${file} (at ${page.url()})`
    } catch (shotError) {
      e.message += `\n  (no screenshot: ${shotError.message})`
    }
    if (errors.length) e.message += `\n  page errors:\n    ${errors.join('\n    ')}`
    throw e
  } finally {
    await context.close()
  }
}

// ---- text polling --------------------------------------------------------------

/** Polls a locator's text until it matches (playwright-core has no `expect`). */
export async function textOf(locator, expected, timeout = 5_000) {
  const deadline = Date.now() + timeout
  let text = ''
  for (;;) {
    text = ((await locator.first().innerText({ timeout })) ?? '').replace(/\s+/g, ' ').trim()
    const ok = expected instanceof RegExp ? expected.test(text) : text === expected
    if (ok) return text
    if (Date.now() > deadline) throw new Error(`text ${JSON.stringify(text)} does not match ${expected}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// ---- console errors ------------------------------------------------------------

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Chromium logs every non-2xx fetch as a console error ("Failed to load
 * resource: the server responded with a status of 401 (Unauthorized)", with
 * the resource's URL as location). This drops exactly those for the given
 * `[status, path]` pairs — e.g. the 401 of `GET /api/v1/auth/me` while
 * signed out — and keeps everything else.
 */
export function unexpectedErrors(errors, allowed = [[401, '/api/v1/auth/me']]) {
  const patterns = allowed.map(
    ([status, p]) =>
      new RegExp(`^console\\.error: Failed to load resource: the server responded with a status of ${status} .*\\(${escapeRegExp(baseUrl + p)}\\)$`),
  )
  return errors.filter((e) => !patterns.some((re) => re.test(e)))
}

// ---- signing in ------------------------------------------------------------------

export const ADMIN_LOGIN = 'admin'
/** What the tests change the admin's initial password to (meets the policy). */
export const ADMIN_NEW_PASSWORD = 'Zb!e2e-Pass-2026'

/** The admin's one-time password printed by `zhuanban init` (run.mjs passes it on). */
export function initialAdminPassword() {
  const pw = process.env.ZB_E2E_ADMIN_PASSWORD
  if (!pw) throw new Error('ZB_E2E_ADMIN_PASSWORD is not set: run the suite through tests/e2e/run.mjs')
  return pw
}

// run.mjs gives every test file its own fresh server, so within a file this
// flag is the truth: false until a test (or ensureAdminPasswordChanged) has
// changed the initial password.
let adminPasswordChanged = false

/** For a test that changed the admin's password itself, through the UI. */
export function markAdminPasswordChanged() {
  adminPasswordChanged = true
}

async function api(method, p, { body, cookie, csrf } = {}) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (cookie) headers.Cookie = cookie
  if (csrf) headers['X-CSRF-Token'] = csrf
  const res = await fetch(`${baseUrl}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let json
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, json, text, headers: res.headers }
}

/**
 * Makes sure the admin's initial password has been replaced by
 * ADMIN_NEW_PASSWORD (through the API: login, then POST /auth/password).
 * Idempotent; never makes a failed login attempt when the flag is right.
 */
export async function ensureAdminPasswordChanged() {
  if (adminPasswordChanged) return
  const login = await api('POST', '/api/v1/auth/login', {
    body: { username: ADMIN_LOGIN, password: initialAdminPassword() },
  })
  if (login.status !== 200) {
    throw new Error(`admin login with the initial password answered ${login.status}: ${login.text}`)
  }
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0])
    .filter((c) => c.startsWith('zb_session='))
    .join('; ')
  if (!cookie) throw new Error('the login answer set no zb_session cookie')
  if (login.json?.must_change_password) {
    const change = await api('POST', '/api/v1/auth/password', {
      body: { old_password: initialAdminPassword(), new_password: ADMIN_NEW_PASSWORD },
      cookie,
      csrf: login.json.csrf_token,
    })
    if (change.status !== 204) throw new Error(`changing the admin password answered ${change.status}: ${change.text}`)
  }
  const me = await api('GET', '/api/v1/auth/me', { cookie })
  if (me.status === 200) {
    await api('POST', '/api/v1/auth/logout', { cookie, csrf: me.json?.csrf_token })
  }
  adminPasswordChanged = true
}

/**
 * Signs the page's browser context in as admin through the API
 * (`page.request` shares the context's cookie jar), changing the initial
 * password first if needed. Returns the login answer.
 */
export async function signIn(page, { login = ADMIN_LOGIN, password = ADMIN_NEW_PASSWORD } = {}) {
  if (login === ADMIN_LOGIN && password === ADMIN_NEW_PASSWORD) await ensureAdminPasswordChanged()
  const res = await page.request.post(`${baseUrl}/api/v1/auth/login`, { data: { username: login, password } })
  if (res.status() !== 200) throw new Error(`sign-in as ${login} answered ${res.status()}: ${await res.text()}`)
  const body = await res.json()
  if (body.must_change_password) throw new Error(`${login} must still change the password`)
  return body
}

/** Fills the login form and presses Enter (the form submits on Enter). */
export async function fillLogin(page, username, password) {
  await page.locator(dt('login-username')).fill(username)
  await page.locator(dt('login-password')).fill(password)
  await page.locator(dt('login-password')).press('Enter')
}
