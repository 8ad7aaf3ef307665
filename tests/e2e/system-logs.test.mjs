// 系统管理: 登录日志 and 操作日志 (filters, before/after, 校验完整性, 导出
// Excel), 在线用户 (强制下线 ends another browser's session), API 令牌 (the
// secret shown once, usable with Authorization: Bearer until revoked) and
// the menu following permissions. run.mjs gives this file its own fresh
// server and node:test runs the tests in order: the first one is the admin's
// first sign-in, and signs out at its end so that the second sees only its
// own two sessions.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import {
  ADMIN_LOGIN,
  ADMIN_NEW_PASSWORD,
  baseUrl,
  dt,
  fillLogin,
  initialAdminPassword,
  launchBrowser,
  markAdminPasswordChanged,
  signIn,
  textOf,
  unexpectedErrors,
  withPage,
} from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** Opens 系统管理 in the side menu and clicks its entry `key`. */
async function openSystemPage(page, key, path) {
  const entry = page.locator(dt(`menu-${key}`))
  if (!(await entry.isVisible())) await page.locator(`${dt('menu-system')} .el-sub-menu__title`).click()
  await entry.click()
  await page.waitForURL(`${baseUrl}/system/${path}`)
}

/** The rows of the table `name` (Element Plus renders them as tr.el-table__row). */
const rows = (page, name) => page.locator(`${dt(name)} .el-table__body-wrapper tr.el-table__row`)

/** Confirms the open ElMessageBox. */
async function confirmBox(page, label) {
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button--primary', { hasText: label }).click()
  await box.waitFor({ state: 'hidden' })
}

async function api(method, p, { token, body } = {}) {
  const headers = { Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(`${baseUrl}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text }
}

const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'

describe('系统管理: logs, online users, API tokens', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('登录日志 and 操作日志 show the first sign-in, the password change and the chain is intact', () =>
    withPage(browser, 'logs', async (page, errors) => {
      // A wrong password first, then the forced first change.
      await page.goto(`${baseUrl}/login`)
      await fillLogin(page, ADMIN_LOGIN, 'Not-the-Passw0rd')
      await page.locator(dt('login-error')).waitFor()
      await fillLogin(page, ADMIN_LOGIN, initialAdminPassword())
      await page.waitForURL(`${baseUrl}/account/password`)
      await page.locator(dt('pwd-old')).fill(initialAdminPassword())
      await page.locator(dt('pwd-new')).fill(ADMIN_NEW_PASSWORD)
      await page.locator(dt('pwd-confirm')).fill(ADMIN_NEW_PASSWORD)
      await page.locator(dt('pwd-submit')).click()
      await page.waitForURL(`${baseUrl}/cockpit`)
      markAdminPasswordChanged()

      // 登录日志, newest first: the sign-in, then the failed attempt with its reason.
      await openSystemPage(page, 'loginLog', 'login-log')
      const logins = rows(page, 'loginlog-table')
      await logins.nth(1).waitFor()
      assert.equal(await logins.count(), 2)
      await textOf(logins.nth(0).locator(dt('loginlog-result')), '成功')
      await textOf(logins.nth(0).locator(dt('loginlog-login')), 'admin')
      await textOf(logins.nth(0).locator(dt('loginlog-reason')), /^登录成功/)
      await textOf(logins.nth(1).locator(dt('loginlog-result')), '失败')
      await textOf(logins.nth(1).locator(dt('loginlog-reason')), /密码错误/)
      // The result filter.
      await page.locator(dt('loginlog-filter-result')).click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^失败$/ }).click()
      await page.locator(dt('loginlog-search')).click()
      await textOf(page.locator(`${dt('loginlog-pager')} .el-pagination__total`), /共 1 条/)
      assert.equal(await logins.count(), 1)
      await textOf(logins.nth(0).locator(dt('loginlog-result')), '失败')

      // 操作日志: the password change, opened to its before/after.
      await openSystemPage(page, 'auditLog', 'audit-log')
      const entry = rows(page, 'audit-table').filter({ hasText: '修改密码' })
      await entry.waitFor()
      await textOf(entry.locator(dt('audit-login')), 'admin')
      await textOf(entry.locator(dt('audit-summary')), /password/)
      await entry.click()
      const detail = page.locator(dt('audit-detail'))
      await detail.waitFor()
      const change = detail.locator(dt('audit-change-password'))
      await textOf(change.locator(dt('audit-before')), '（无）')
      await textOf(change.locator(dt('audit-after')), '(changed)')
      await textOf(detail.locator(dt('audit-hash')), /^[0-9a-f]{64}$/)
      assert.notEqual((await detail.locator(dt('audit-request-id')).innerText()).trim(), '—', 'the request id is shown')

      // 校验完整性.
      await page.locator(dt('audit-verify')).click()
      const verdict = page.locator(dt('audit-verify-result'))
      await textOf(verdict, /^完整（\d+ 条）$/)
      assert.match(await verdict.getAttribute('class'), /el-alert--success/)

      // 导出 Excel: a real .xlsx (a zip: "PK").
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(dt('audit-export')).click()])
      assert.match(download.suggestedFilename(), /^操作日志-\d{8}\.xlsx$/)
      const bytes = await fs.readFile(await download.path())
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')
      // …and the export is itself in the log.
      await page.locator(dt('audit-search')).click()
      await rows(page, 'audit-table').filter({ hasText: '导出' }).first().waitFor()

      // Signed out, so that only the next test's sessions are online.
      await page.locator(dt('user-menu')).click()
      await page.locator(dt('logout')).click()
      await page.waitForURL(`${baseUrl}/login`)
      assertNoErrors(errors, [ME_401, [401, '/api/v1/auth/login']])
    }))

  test('强制下线 in 在线用户 sends the other browser to the login page', async () => {
    const a = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const b = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', userAgent: FIREFOX_UA })
    const errors = []
    try {
      const [pageA, pageB] = await Promise.all([a.newPage(), b.newPage()])
      for (const p of [pageA, pageB]) {
        p.setDefaultTimeout(10_000)
        p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      }
      await Promise.all([signIn(pageA), signIn(pageB)])
      await pageB.goto(`${baseUrl}/cockpit`)
      await pageB.locator(dt('user-menu')).waitFor()

      await pageA.goto(`${baseUrl}/system/sessions`)
      const sessions = rows(pageA, 'sessions-table')
      await sessions.nth(1).waitFor()
      assert.equal(await sessions.count(), 2, 'both browsers are online')
      const mine = sessions.filter({ has: pageA.locator(dt('session-current')) })
      assert.equal(await mine.count(), 1, 'one session is tagged 当前会话')
      assert.equal(await mine.locator(dt('session-revoke')).count(), 0, 'no 强制下线 on the current session')
      const other = sessions.filter({ hasText: 'Firefox 128' })
      await textOf(other.locator(dt('session-login')), 'admin')
      await textOf(other.locator(dt('session-browser')), 'Firefox 128 · Windows')

      await other.locator(dt('session-revoke')).click()
      await confirmBox(pageA, '强制下线')
      await textOf(pageA.locator(dt('sessions-count')), '共 1 个在线会话')
      assert.equal(await sessions.count(), 1)

      // B's next step asks the server, which no longer knows the session.
      await pageB.locator(`${dt('menu-system')} .el-sub-menu__title`).click()
      await pageB.locator(dt('menu-loginLog')).click()
      await pageB.waitForURL((url) => url.pathname === '/login')
      await textOf(pageB.locator(dt('login-notice')), /登录已失效/)
      assert.deepEqual(errors, [])
    } finally {
      await a.close()
      await b.close()
    }
  })

  test('API 令牌: the secret is shown once, works as a Bearer token, and stops when revoked', () =>
    withPage(browser, 'api-tokens', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/system/api-tokens`)
      await page.locator(dt('tokens-table')).waitFor()
      await page.locator(dt('tokens-create')).click()
      const dialog = page.locator(dt('token-dialog'))
      await dialog.waitFor()
      await dialog.locator(dt('token-form-name')).fill('市平台对接')
      await dialog.locator(dt('perm-org:read')).click()
      await dialog.locator(dt('token-form-submit')).click()

      const secretDialog = page.locator(dt('token-secret-dialog'))
      await secretDialog.waitFor()
      await textOf(secretDialog.locator(dt('token-secret-warning')), /只显示这一次/)
      const secret = await secretDialog.locator(dt('token-secret')).inputValue()
      assert.match(secret, /^zbt_/)

      // The token reads what it was given, and nothing else.
      assert.equal((await api('GET', '/api/v1/org-units', { token: secret })).status, 200)
      assert.equal((await api('GET', '/api/v1/users', { token: secret })).status, 403)

      await secretDialog.locator(dt('token-secret-done')).click()
      await secretDialog.waitFor({ state: 'hidden' })
      const deadline = Date.now() + 5_000
      while ((await page.content()).includes(secret)) {
        assert.ok(Date.now() < deadline, 'the secret is gone from the page once its dialog is closed')
        await new Promise((r) => setTimeout(r, 100))
      }

      const row = rows(page, 'tokens-table').filter({ hasText: '市平台对接' })
      await textOf(row.locator(dt('token-state')), '有效')
      await row.locator(dt('token-revoke')).click()
      await confirmBox(page, '撤销')
      await textOf(row.locator(dt('token-state')), '已撤销')
      assert.equal(await row.locator(dt('token-revoke')).count(), 0)
      assert.equal((await api('GET', '/api/v1/org-units', { token: secret })).status, 401)
      assertNoErrors(errors)
    }))

  test('the menu shows only what a user may open; other pages say 无权访问', () =>
    withPage(browser, 'no-permission', async (page, errors) => {
      // A read-only user (组织机构 and 用户 reads), created and given a password through the API.
      const admin = await signIn(page)
      const csrf = { 'X-CSRF-Token': admin.csrf_token }
      const roles = await (await page.request.get(`${baseUrl}/api/v1/roles`)).json()
      const readonly = roles.items.find((r) => r.code === 'readonly')
      const created = await page.request.post(`${baseUrl}/api/v1/users`, {
        headers: csrf,
        data: { login: 'reader', display_name: '只读用户', org_unit_id: admin.user.org_unit_id, role_ids: [readonly.id] },
      })
      assert.equal(created.status(), 201, await created.text())
      const { initial_password } = await created.json()
      await page.request.post(`${baseUrl}/api/v1/auth/logout`, { headers: csrf })
      const first = await page.request.post(`${baseUrl}/api/v1/auth/login`, { data: { username: 'reader', password: initial_password } })
      const changed = await page.request.post(`${baseUrl}/api/v1/auth/password`, {
        headers: { 'X-CSRF-Token': (await first.json()).csrf_token },
        data: { old_password: initial_password, new_password: 'Zb!Ro-Pass-2026' },
      })
      assert.equal(changed.status(), 204, await changed.text())

      await page.goto(`${baseUrl}/system`)
      await page.waitForURL(`${baseUrl}/system/org-units`)
      await page.locator(dt('page-orgUnits')).waitFor()
      for (const key of ['orgUnits', 'users', 'calendar']) assert.ok(await page.locator(dt(`menu-${key}`)).isVisible(), key)
      for (const key of ['roles', 'sessions', 'apiTokens', 'auditLog', 'loginLog']) {
        assert.equal(await page.locator(dt(`menu-${key}`)).count(), 0, `${key} is not in the menu`)
      }
      await page.goto(`${baseUrl}/system/audit-log`)
      await textOf(page.locator(`${dt('no-permission')} ${dt('page-title')}`), '无权访问')
      await textOf(page.locator(dt('no-permission')), /您没有“操作日志”的访问权限/)
      assertNoErrors(errors)
    }))
})
