// e2e-init: --demo
// 问题台账 · 诉求清单 end to end, in Chromium, on the demo district: an
// enterprise user (bound to a demo enterprise) submits a request in the
// portal; the admin (the bureau) 交办 it to 自然资源局 from 问题台账; the
// department's user sees the unread bell, opens the item from it, 签收 and
// 办结 with a result; the admin 销号; the enterprise rates it 满意 in the
// portal; and 问题统计 (今年) counts one more problem solved than the API
// said before. run.mjs gives this file its own fresh server.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
const DEPARTMENT = '自然资源局'
const ENTERPRISE_LOGIN = 'qiye1'
const DEPARTMENT_LOGIN = 'zrzy2'
const PASSWORD = 'Zb!e2e-Problem-2026'
/** The portal is used on phones. */
const PHONE = { width: 375, height: 740 }
const TITLE = '厂区北侧地块用地指标尚未落实'
const RESULT = '已协调自然资源局调剂用地指标 30 亩，企业已完成摘牌'

const chinaToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
)
const YEAR = chinaToday.slice(0, 4)

/** Filled as the tests go. */
let problemId = 0
let resolvedBefore = -1

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** The admin's API calls through the page's cookie jar. */
async function adminApi(page) {
  const admin = await signIn(page)
  const headers = { 'X-CSRF-Token': admin.csrf_token }
  const check = async (res, path) => {
    assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`)
    return res.status() === 204 ? undefined : res.json()
  }
  return {
    admin,
    post: async (path, data) => check(await page.request.post(`${baseUrl}${path}`, { headers, data }), path),
    get: async (path) => check(await page.request.get(`${baseUrl}${path}`), path),
    logout: async () => page.request.post(`${baseUrl}/api/v1/auth/logout`, { headers }),
  }
}

/** A new account's first sign-in: the initial password replaced by PASSWORD (through the API). */
async function activate(page, login, initial) {
  const res = await page.request.post(`${baseUrl}/api/v1/auth/login`, { data: { username: login, password: initial } })
  assert.equal(res.status(), 200, await res.text())
  const change = await page.request.post(`${baseUrl}/api/v1/auth/password`, {
    headers: { 'X-CSRF-Token': (await res.json()).csrf_token },
    data: { old_password: initial, new_password: PASSWORD },
  })
  assert.equal(change.status(), 204, await change.text())
}

/** Opens the action `name` on the item page, lets `fill` fill its dialog, and submits. */
async function act(page, name, fill = async () => {}) {
  await page.locator(dt(`action-${name}`)).click()
  const dialog = page.locator(`${dt('action-dialog')}:visible`)
  await dialog.waitFor()
  await fill(dialog)
  await dialog.locator(dt('action-submit')).click()
  await dialog.waitFor({ state: 'hidden' })
}

describe('问题台账', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('setup: an enterprise user and a department user; the figures before', () =>
    withPage(browser, 'problems-setup', async (page) => {
      const api = await adminApi(page)
      const enterprise = (await api.get('/api/v1/enterprises?page_size=1')).items[0]
      assert.ok(enterprise, 'the demo has enterprises')
      const units = (await api.get('/api/v1/org-units')).items
      const roles = (await api.get('/api/v1/roles')).items
      const role = (code) => roles.find((r) => r.code === code).id
      const ent = await api.post('/api/v1/users', {
        login: ENTERPRISE_LOGIN,
        display_name: '企业联络员',
        org_unit_id: enterprise.org_unit_id ?? api.admin.user.org_unit_id,
        role_ids: [role('enterprise')],
        enterprise_id: enterprise.id,
      })
      const dept = await api.post('/api/v1/users', {
        login: DEPARTMENT_LOGIN,
        display_name: '自然资源局经办人',
        org_unit_id: units.find((u) => u.name === DEPARTMENT).id,
        role_ids: [role('department')],
      })
      const stats = await api.get(`/api/v1/problems/stats?group=unit&from=${YEAR}-01-01&to=${YEAR}-12-31`)
      resolvedBefore = stats.total.resolved
      await api.logout()
      await activate(page, ENTERPRISE_LOGIN, ent.initial_password)
      await activate(page, DEPARTMENT_LOGIN, dept.initial_password)
    }))

  test('the enterprise user lands in the portal and submits a request', () =>
    withPage(
      browser,
      'problems-portal-submit',
      async (page, errors) => {
        await page.setViewportSize(PHONE)
        await signIn(page, { login: ENTERPRISE_LOGIN, password: PASSWORD })
        await page.goto(`${baseUrl}/`)
        await page.waitForURL(`${baseUrl}/portal/requests`)
        assert.equal(await page.locator(dt('side-menu')).count(), 0, 'no admin menu in the portal')
        await page.locator(dt('portal-tab-submit')).click()
        await page.locator(dt('portal-category')).click()
        await page.locator('.portal-category-popper:visible .el-select-dropdown__item', { hasText: '用地' }).first().click()
        await page.locator(dt('portal-title')).fill(TITLE)
        await page.locator(dt('portal-description')).fill('项目二期需新增用地 30 亩，指标至今未落实，影响年内开工。')
        await page.locator(dt('portal-submit-button')).click()
        await page.waitForURL(/\/portal\/requests\/\d+$/)
        problemId = Number(new URL(page.url()).pathname.split('/').pop())
        await textOf(page.locator(dt('portal-request-title')), TITLE)
        await textOf(page.locator(dt('problem-status')), '待受理')
        // The list has it too.
        await page.locator(dt('portal-tab-requests')).click()
        await textOf(page.locator(dt('portal-request')).filter({ hasText: TITLE }), new RegExp(`${TITLE}.*待受理`))
        assertNoErrors(errors)
      },
    ))

  test('the bureau finds it in 问题台账 and 交办 it to the department', () =>
    withPage(browser, 'problems-assign', async (page, errors) => {
      assert.ok(problemId, 'the enterprise submitted the request')
      await signIn(page)
      await page.goto(`${baseUrl}/problems`)
      await page.locator(dt('problems-q')).fill(TITLE)
      await page.locator(dt('problems-search')).click()
      await textOf(page.locator(dt('status-tab-pending')), /待受理 [1-9]/)
      const row = page.locator(`${dt('problems-table')} tr.el-table__row`).filter({ hasText: TITLE })
      await textOf(row, /待受理/)
      await row.locator(dt('problem-title')).click()
      await page.waitForURL(`${baseUrl}/problems/${problemId}`)
      await textOf(page.locator(dt('problem-detail-title')), TITLE)
      await act(page, 'assign', async (dialog) => {
        await dialog.locator(dt('deadline-hint')).waitFor()
        await dialog.locator(dt('action-lead_unit_id')).click()
        await page.locator(`.org-unit-select-popper:visible ${dt(`org-option-${DEPARTMENT}`)}`).click()
        await dialog.locator(dt('action-comment')).fill('请于时限内协调落实用地指标')
      })
      await textOf(page.locator(`${dt('page-problem-detail')} ${dt('problem-status')}`), '已交办')
      await textOf(page.locator(dt('problem-lead-unit')), DEPARTMENT)
      await page.locator(dt('timeline-assign')).waitFor()
      assertNoErrors(errors)
    }))

  test('the department user sees the bell, opens the item from it, 签收 and 办结', () =>
    withPage(browser, 'problems-department', async (page, errors) => {
      await signIn(page, { login: DEPARTMENT_LOGIN, password: PASSWORD })
      await page.goto(`${baseUrl}/cockpit`)
      await textOf(page.locator(`${dt('inbox-unread')} .el-badge__content`), /^[1-9]\d*$/)
      await page.locator(dt('inbox-bell')).click()
      await page.locator(`${dt('inbox-item')}:visible`).filter({ hasText: TITLE }).first().click()
      await page.waitForURL(`${baseUrl}/problems/${problemId}`)
      await act(page, 'start')
      await textOf(page.locator(`${dt('page-problem-detail')} ${dt('problem-status')}`), '办理中')
      await act(page, 'resolve', async (dialog) => {
        await dialog.locator(dt('action-result')).fill(RESULT)
      })
      await textOf(page.locator(`${dt('page-problem-detail')} ${dt('problem-status')}`), '已办结')
      await textOf(page.locator(dt('problem-result')), RESULT)
      // A department cannot verify its own item: no 销号 here.
      assert.equal(await page.locator(dt('action-close')).count(), 0)
      assertNoErrors(errors)
    }))

  test('the bureau 销号', () =>
    withPage(browser, 'problems-close', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/problems/${problemId}`)
      await act(page, 'close')
      await textOf(page.locator(`${dt('page-problem-detail')} ${dt('problem-status')}`), '已销号')
      await page.locator(dt('timeline-close')).waitFor()
      assertNoErrors(errors)
    }))

  test('the enterprise rates it 满意 in the portal', () =>
    withPage(
      browser,
      'problems-rate',
      async (page, errors) => {
        await page.setViewportSize(PHONE)
        await signIn(page, { login: ENTERPRISE_LOGIN, password: PASSWORD })
        await page.goto(`${baseUrl}/portal/requests/${problemId}`)
        await textOf(page.locator(dt('problem-status')), '已销号')
        await page.locator(dt('timeline-resolve')).waitFor()
        await page.locator(dt('rate-satisfied')).click()
        await page.locator(dt('rate-submit')).click()
        await textOf(page.locator(dt('portal-satisfaction')), '满意')
        assertNoErrors(errors)
      },
    ))

  test('时限设置: the bureau sets 用地 to 25 working days', () =>
    withPage(browser, 'problems-settings', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/problems`)
      await page.locator(dt('problems-settings')).click()
      const dialog = page.locator(`${dt('problem-settings-dialog')}:visible`)
      await dialog.locator(`${dt('sla-land')} input`).fill('25')
      await dialog.locator(dt('problem-settings-save')).click()
      await page.locator('.el-message--success', { hasText: '时限设置已保存' }).waitFor()
      const settings = await (await page.request.get(`${baseUrl}/api/v1/problems/settings`)).json()
      assert.equal(settings.sla_days.land, 25)
      assertNoErrors(errors)
    }))

  test('问题统计 (今年) counts one more problem solved for enterprises', () =>
    withPage(browser, 'problems-stats', async (page, errors) => {
      assert.ok(resolvedBefore >= 0, 'the setup read the figures')
      await signIn(page)
      await page.goto(`${baseUrl}/problems`)
      await page.locator(dt('problems-stats')).click()
      await page.waitForURL(`${baseUrl}/problems/stats`)
      await page.locator(dt('preset-year')).click()
      await textOf(page.locator(`${dt('stat-resolved')} ${dt('stat-value')}`), String(resolvedBefore + 1))
      assertNoErrors(errors)
    }))
})
