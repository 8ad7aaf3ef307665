// The app shell: menu, language, deep links and reloads (server SPA
// fallback), the 404 page — with no page or console errors anywhere. Every
// test signs in first (through the API; the helper changes the admin's
// initial password once per server).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, dt, launchBrowser, signIn, textOf, withPage } from './lib.mjs'

function assertNoErrors(errors) {
  assert.deepEqual(errors, [], 'no uncaught page errors or console errors')
}

describe('app shell', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('/ lands on /cockpit with the zh-CN menu', () =>
    withPage(browser, 'cockpit-zh', async (page, errors) => {
      await signIn(page)
      const res = await page.goto(`${baseUrl}/`)
      assert.equal(res.status(), 200)
      await page.waitForURL(`${baseUrl}/cockpit`)
      const menu = page.locator(dt('side-menu'))
      await menu.waitFor()
      for (const label of ['驾驶舱', '项目库', '企业库', '挂图作战', '预警', '问题台账', '服务记录', '审批代办', '投资填报',
        '调度会议', '考评排名', '招商引资', '资源台账', '征迁调度', '消息中心', '系统管理']) {
        assert.ok((await menu.textContent()).includes(label), `menu shows ${label}`)
      }
      await textOf(page.locator(dt('page-title')), '驾驶舱')
      await textOf(page.locator(dt('breadcrumb')), '驾驶舱')
      await textOf(page.locator(dt('product-name')), '专班 · 重点项目服务平台')
      await textOf(page.locator(dt('under-construction')), '建设中')
      assert.match(await page.locator(dt('page-desc')).textContent(), /开工率/)
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
      assert.match(await page.title(), /驾驶舱/)
      // The server's own version, from GET /api/v1/system/info.
      await textOf(page.locator(dt('server-version')), /v\d+\.\d+\.\d+/)
      assertNoErrors(errors)
    }))

  test('the side menu navigates between sections', () =>
    withPage(browser, 'menu-nav', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/cockpit`)
      await page.locator(dt('menu-problems')).click()
      await page.waitForURL(`${baseUrl}/problems`)
      await textOf(page.locator(dt('page-title')), '问题台账')
      await textOf(page.locator(dt('breadcrumb')), '问题台账')
      assert.match(await page.locator(dt('menu-problems')).getAttribute('class'), /is-active/)
      // A group opens and its child navigates.
      await page.locator(`${dt('menu-system')} .el-sub-menu__title`).click()
      await page.locator(dt('menu-users')).click()
      await page.waitForURL(`${baseUrl}/system/users`)
      await textOf(page.locator(dt('page-title')), '用户管理')
      // Collapsing the menu keeps it usable.
      await page.locator(dt('menu-toggle')).click()
      await page.locator(`${dt('side-menu')}.el-menu--collapse`).waitFor()
      await page.locator(dt('menu-toggle')).click()
      await page.locator(`${dt('side-menu')}:not(.el-menu--collapse)`).waitFor()
      assertNoErrors(errors)
    }))

  test('switching to English changes the labels and survives a reload', () =>
    withPage(browser, 'lang-en', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/cockpit`)
      await textOf(page.locator(dt('menu-projects')), '项目库')
      await page.locator(dt('lang-en')).click()
      await textOf(page.locator(dt('menu-projects')), 'Projects')
      await textOf(page.locator(dt('menu-problems')), 'Problem ledger')
      await textOf(page.locator(dt('page-title')), 'Cockpit')
      await textOf(page.locator(dt('product-name')), 'zhuanban · Key Project Service Platform')
      await textOf(page.locator(dt('under-construction')), 'Under construction')
      assert.equal(await page.getAttribute('html', 'lang'), 'en')

      await page.reload()
      await textOf(page.locator(dt('menu-projects')), 'Projects')
      await textOf(page.locator(dt('page-title')), 'Cockpit')
      assert.equal(await page.evaluate(() => localStorage.getItem('zb.locale')), 'en')

      await page.locator(dt('lang-zh-CN')).click()
      await textOf(page.locator(dt('menu-projects')), '项目库')
      await page.reload()
      await textOf(page.locator(dt('menu-projects')), '项目库')
      assertNoErrors(errors)
    }))

  test('a deep link renders its page, and so does a reload of it', () =>
    withPage(browser, 'deep-link', async (page, errors) => {
      await signIn(page)
      for (const load of [() => page.goto(`${baseUrl}/system/org-units`), () => page.reload()]) {
        const res = await load()
        assert.equal(res.status(), 200, 'the server answers the SPA for a deep link')
        assert.equal(page.url(), `${baseUrl}/system/org-units`)
        await textOf(page.locator(dt('page-title')), '组织机构')
        await textOf(page.locator(dt('breadcrumb')), /^系统管理\s*\/\s*组织机构$/)
        assert.match(await page.locator(dt('menu-orgUnits')).getAttribute('class'), /is-active/)
        assert.ok(await page.locator(dt('menu-orgUnits')).isVisible(), 'the 系统管理 group is open')
      }
      assertNoErrors(errors)
    }))

  test('the header shows no version when /api/v1/system/info fails', () =>
    withPage(browser, 'info-fails', async (page, errors) => {
      await signIn(page)
      await page.route('**/api/v1/system/info', (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal', message: 'boom' } }),
        }),
      )
      await page.goto(`${baseUrl}/cockpit`)
      await textOf(page.locator(dt('page-title')), '驾驶舱')
      await page.waitForLoadState('networkidle')
      assert.equal(await page.locator(dt('server-version')).count(), 0)
      // The browser itself logs the failed request; nothing else may go wrong.
      assertNoErrors(errors.filter((e) => !/status of 500/.test(e)))
    }))

  test('an unknown path shows the 404 page with a way home', () =>
    withPage(browser, 'not-found', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/no/such/page`)
      await page.locator(dt('not-found')).waitFor()
      await textOf(page.locator(dt('page-title')), '未找到页面')
      await textOf(page.locator(dt('breadcrumb')), '未找到页面')
      assert.match(await page.locator(dt('not-found')).textContent(), /\/no\/such\/page/)
      await page.locator(dt('not-found-home')).click()
      await page.waitForURL(`${baseUrl}/cockpit`)
      await textOf(page.locator(dt('page-title')), '驾驶舱')
      assertNoErrors(errors)
    }))
})
