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
