// 企业库 and 数据字典 in the browser: the admin files an enterprise (a wrong
// check character in the 统一社会信用代码 is named under the field, the right
// code saves), edits it (a contact and a tag show in the table); maintains a
// 产业板块 item (add, relabel, retire); and a 镇街园区 user of another town
// neither lists nor opens that enterprise. run.mjs gives this file its own
// fresh server; node:test runs the tests in order.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { baseUrl, dt, fillLogin, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
const TOWN = '甲镇'
const OTHER_TOWN = '乙镇'
const NAME = '闽侯精密机械有限公司'
/** A published valid code (check character 3); the wrong one ends in 0. */
const CREDIT_CODE = '91350100M000100Y43'
const WRONG_CODE = '91350100m000100y40'
const OTHER_USER = 'yi.user'
const OTHER_PASSWORD = 'Zb!Yi-Pass-2026'

/** Filled by the first test. */
let enterpriseId = 0

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** The open dialog with `data-test=name` (Element Plus keeps closed ones in the DOM). */
const dialog = (page, name) => page.locator(`${dt(name)}:visible`)

/** The error Element Plus shows under the form item holding `data-test=name`. */
const fieldError = (page, name) =>
  page.locator('.el-form-item:visible', { has: page.locator(dt(name)) }).locator('.el-form-item__error')

/** The rows of the table `name`. */
const rows = (page, name) => page.locator(`${dt(name)} .el-table__body-wrapper tr.el-table__row`)

/** Admin's API calls through the page's cookie jar. */
async function adminApi(page) {
  const admin = await signIn(page)
  const headers = { 'X-CSRF-Token': admin.csrf_token }
  return {
    admin,
    async post(path, data) {
      const res = await page.request.post(`${baseUrl}${path}`, { headers, data })
      assert.ok(res.status() < 300, `${path}: ${res.status()} ${await res.text()}`)
      return res.json()
    },
    async get(path) {
      const res = await page.request.get(`${baseUrl}${path}`)
      assert.equal(res.status(), 200, `${path}: ${await res.text()}`)
      return res.json()
    },
    logout: () => page.request.post(`${baseUrl}/api/v1/auth/logout`, { headers }),
  }
}

describe('企业库 and 数据字典', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('admin files an enterprise: the check character is named under the field, then it is saved and edited', () =>
    withPage(browser, 'enterprise-create', async (page, errors) => {
      const api = await adminApi(page)
      for (const [name, code] of [
        [TOWN, 'E2E-JIA'],
        [OTHER_TOWN, 'E2E-YI'],
      ]) {
        await api.post('/api/v1/org-units', { parent_id: api.admin.user.org_unit_id, name, short_name: name, code, kind: 'town', sort_order: 10 })
      }

      await page.goto(`${baseUrl}/enterprises`)
      await textOf(page.locator(dt('page-title')), '企业库')
      await textOf(page.locator(`${dt('enterprises-pager')} .el-pagination__total`), /共 0 条/)

      // 新增企业 with a wrong check character (typed in lower case: upper-cased as typed).
      await page.locator(dt('enterprises-create')).click()
      const form = dialog(page, 'enterprise-dialog')
      await form.waitFor()
      await page.locator(dt('enterprise-form-name')).fill(NAME)
      await page.locator(dt('enterprise-form-credit-code')).fill(WRONG_CODE)
      assert.equal(await page.locator(dt('enterprise-form-credit-code')).inputValue(), WRONG_CODE.toUpperCase())
      await page.locator(dt('enterprise-form-industry')).click()
      await page.locator('.enterprise-industry-popper:visible .el-select-dropdown__item', { hasText: /^制造业$/ }).click()
      await page.locator(dt('enterprise-form-unit')).click()
      await page.locator(`.org-unit-select-popper:visible ${dt(`org-option-${TOWN}`)}`).click()
      await page.locator(dt('enterprise-form-legal')).fill('陈建国')
      await page.locator(dt('enterprise-form-submit')).click()
      await textOf(fieldError(page, 'enterprise-form-credit-code'), /校验位.*应为 3/)
      assert.ok(await form.isVisible(), 'the dialog stays open')

      // The right code: saved, listed.
      await page.locator(dt('enterprise-form-credit-code')).fill(CREDIT_CODE)
      await fieldError(page, 'enterprise-form-credit-code').waitFor({ state: 'detached' }) // gone once the field is edited
      await page.locator(dt('enterprise-form-submit')).click()
      await form.waitFor({ state: 'hidden' })
      const row = rows(page, 'enterprises-table').filter({ hasText: NAME })
      await row.waitFor()
      await textOf(row.locator(dt('enterprise-credit-code')), CREDIT_CODE)
      await textOf(row.locator(dt('enterprise-industry')), '制造业')
      assert.match(await row.innerText(), new RegExp(TOWN))
      await textOf(page.locator(`${dt('enterprises-pager')} .el-pagination__total`), /共 1 条/)

      // 修改: a contact and a tag.
      await row.locator(dt('enterprise-edit')).click()
      await form.waitFor()
      await page.locator(`${dt('enterprise-dialog')}:visible ${dt('contact-add')}`).click()
      const contact = page.locator(`${dt('enterprise-contact-row-0')}:visible`)
      await contact.locator(dt('contact-name')).fill('林晓')
      await contact.locator(dt('contact-title')).fill('办公室主任')
      await contact.locator(dt('contact-phone')).fill('0591-88881234')
      await page.locator(dt('enterprise-form-tags')).click()
      await page.keyboard.type('专精特新')
      await page.keyboard.press('Enter')
      await form.locator('.el-dialog__title').click() // closes the tag dropdown
      await page.locator(dt('enterprise-form-submit')).click()
      await form.waitFor({ state: 'hidden' })
      await textOf(row.locator(dt('enterprise-contact')), /^林晓\s*0591-88881234$/)
      await textOf(row.locator(dt('enterprise-tags')), '专精特新')

      // The file in the drawer.
      await row.locator(dt('enterprise-name')).click()
      const drawer = page.locator('.el-drawer:visible')
      await textOf(drawer.locator('.el-drawer__header'), NAME)
      await textOf(drawer.locator(`${dt('enterprise-drawer-contacts')} .el-table__body`), /林晓\s*办公室主任\s*0591-88881234/)
      assert.match(await drawer.innerText(), /陈建国/)

      const listed = await api.get(`/api/v1/enterprises?keyword=${encodeURIComponent(CREDIT_CODE)}`)
      assert.equal(listed.items.length, 1)
      enterpriseId = listed.items[0].id

      // 导出 Excel: a real workbook named for the day.
      await page.keyboard.press('Escape')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(dt('enterprises-export')).click()])
      assert.match(download.suggestedFilename(), /^企业库-\d{8}\.xlsx$/)
      const bytes = await fs.readFile(await download.path())
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')
      assertNoErrors(errors, [ME_401, [422, '/api/v1/enterprises']])
    }))

  test('数据字典: admin adds a 产业板块 item, relabels it and retires it', () =>
    withPage(browser, 'dictionaries', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/system/dictionaries`)
      await textOf(page.locator(dt('page-title')), '数据字典')
      await page.locator(dt('dict-tab-board')).click()
      const table = rows(page, 'dict-table')
      await table.filter({ hasText: '新一代信息技术' }).waitFor()

      // A code already in the dictionary: the server's message under 编码.
      await page.locator(dt('dict-create')).click()
      const form = dialog(page, 'dict-dialog')
      await form.waitFor()
      await page.locator(dt('dict-form-code')).fill('it')
      await page.locator(dt('dict-form-label')).fill('低碳产业')
      await page.locator(dt('dict-form-submit')).click()
      await textOf(fieldError(page, 'dict-form-code'), /已在该字典中/)
      await page.locator(dt('dict-form-code')).fill('low_carbon')
      await page.locator(dt('dict-form-submit')).click()
      await form.waitFor({ state: 'hidden' })
      const item = table.filter({ has: page.locator(dt('dict-code'), { hasText: /^low_carbon$/ }) })
      await textOf(item.locator(dt('dict-label')), '低碳产业')

      // 修改: the code is shown, not editable; the label changes.
      await item.locator(dt('dict-edit')).click()
      await form.waitFor()
      assert.equal(await page.locator(`${dt('dict-dialog')}:visible ${dt('dict-form-code')}`).count(), 0, 'no code input when editing')
      await textOf(form.locator('.form-hint'), /编码创建后不可修改/)
      await page.locator(dt('dict-form-label')).fill('绿色低碳')
      await page.locator(dt('dict-form-submit')).click()
      await form.waitFor({ state: 'hidden' })
      await textOf(item.locator(dt('dict-label')), '绿色低碳')

      // 停用: gone from the list, back (as 停用) with 显示停用.
      await item.locator(dt('dict-retire')).click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      await box.locator('.el-message-box__btns .el-button--primary', { hasText: '确定' }).click()
      await item.waitFor({ state: 'detached' })
      await page.locator(dt('dict-show-inactive')).click()
      await textOf(item.locator(dt('dict-status')), '停用')
      await item.locator(dt('dict-restore')).waitFor()
      assertNoErrors(errors, [ME_401, [409, '/api/v1/dict-items']])
    }))

  test('a 镇街园区 user of another town lists no enterprise and cannot open it', () =>
    withPage(browser, 'enterprise-scope', async (page, errors) => {
      assert.ok(enterpriseId, 'the first test filed the enterprise')
      const api = await adminApi(page)
      const units = await api.get('/api/v1/org-units')
      const roles = await api.get('/api/v1/roles')
      const created = await api.post('/api/v1/users', {
        login: OTHER_USER,
        display_name: '乙镇用户',
        org_unit_id: units.items.find((u) => u.name === OTHER_TOWN).id,
        role_ids: [roles.items.find((r) => r.code === 'town').id],
      })
      await api.logout()

      await page.goto(`${baseUrl}/login`)
      await fillLogin(page, OTHER_USER, created.initial_password)
      await page.waitForURL((url) => url.pathname === '/account/password')
      await page.locator(dt('pwd-old')).fill(created.initial_password)
      await page.locator(dt('pwd-new')).fill(OTHER_PASSWORD)
      await page.locator(dt('pwd-confirm')).fill(OTHER_PASSWORD)
      await page.locator(dt('pwd-submit')).click()
      await page.waitForURL(`${baseUrl}/cockpit`)

      await page.locator(dt('menu-enterprises')).click()
      await page.waitForURL(`${baseUrl}/enterprises`)
      await textOf(page.locator(`${dt('enterprises-pager')} .el-pagination__total`), /共 0 条/)
      await textOf(page.locator(dt('enterprises-empty')), '暂无企业')
      const res = await page.request.get(`${baseUrl}/api/v1/enterprises/${enterpriseId}`)
      assert.equal(res.status(), 404, await res.text())
      assertNoErrors(errors)
    }))
})
