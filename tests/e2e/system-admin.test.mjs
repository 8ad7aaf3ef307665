// 系统管理 in the browser: the admin builds a bit of the org tree and two town
// users through the pages, one of those users signs in (forced change of the
// one-time password) and sees only their own town and what is below it, and
// the role editor saves a 自定义单位 role. run.mjs gives this file its own
// fresh server; node:test runs the tests in order and later ones use what
// earlier ones created.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, dt, fillLogin, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ROOT = '本级单位' // `zhuanban init` names the root unit so
const TOWN = '测试镇'
const VILLAGE = '测试村'
const OTHER_TOWN = '其他镇'
const TOWN_USER = 'town.user'
const OTHER_USER = 'other.user'
const TOWN_USER_NEW_PASSWORD = 'Zb!Town-Pass-2026'

/** Filled by the first test: the one-time password the users page showed. */
let townUserPassword = ''

function assertNoErrors(errors) {
  assert.deepEqual(unexpectedErrors(errors), [], 'no page errors or unexpected console errors')
}

/** The open dialog with `data-test=name` (Element Plus keeps closed ones in the DOM). */
function dialog(page, name) {
  return page.locator(`${dt(name)}:visible`)
}

/** Opens an org-unit tree-select and picks the unit called `name`. */
async function pickUnit(page, selectName, name) {
  await page.locator(dt(selectName)).click()
  await page.locator(`.org-unit-select-popper:visible ${dt(`org-option-${name}`)}`).click()
}

/** Fills and submits the org unit dialog; waits for the new row. */
async function createUnit(page, open, { name, code }) {
  await open()
  const form = dialog(page, 'org-dialog')
  await form.waitFor()
  await page.locator(dt('org-form-name')).fill(name)
  await page.locator(dt('org-form-code')).fill(code)
  await page.locator(dt('org-form-submit')).click()
  await form.waitFor({ state: 'hidden' })
  await page.locator(dt(`org-row-${name}`)).waitFor()
}

/** Creates a user through the dialog and returns the one-time password it shows. */
async function createUser(page, { login, name, mobile, unit, role }) {
  await page.locator(dt('users-create')).click()
  const form = dialog(page, 'user-dialog')
  await form.waitFor()
  await page.locator(dt('user-form-login')).fill(login)
  await page.locator(dt('user-form-name')).fill(name)
  await page.locator(dt('user-form-mobile')).fill(mobile)
  await pickUnit(page, 'user-form-unit', unit)
  await page.locator(dt('user-form-roles')).click()
  await page.locator('.user-role-popper:visible .el-select-dropdown__item', { hasText: role }).click()
  await form.locator('.el-dialog__title').click() // closes the multi-select's dropdown
  await page.locator(dt('user-form-submit')).click()

  const shown = dialog(page, 'password-dialog')
  await shown.waitFor()
  await textOf(shown, /只显示这一次.*首次登录时须修改密码/)
  const password = await page.locator(`${dt('initial-password')}:visible`).inputValue()
  assert.ok(password.length >= 8, `a one-time password is shown for ${login}`)
  await page.locator(`${dt('password-done')}:visible`).click()
  await shown.waitFor({ state: 'hidden' })
  await page.locator(dt(`user-row-${login}`)).waitFor()
  return password
}

describe('系统管理: org units, users and roles', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('admin creates 测试镇 (and a village, and a second town), then a 镇街园区 user in it', () =>
    withPage(browser, 'admin-org-users', async (page, errors) => {
      await signIn(page) // the helper makes the forced first change of the admin password
      await page.goto(`${baseUrl}/system/org-units`)
      await textOf(page.locator(dt('page-title')), '组织机构')
      await page.locator(dt(`org-row-${ROOT}`)).waitFor()

      // 新增单位: the root is the default parent, 镇街 the default kind under a 区县.
      await createUnit(page, () => page.locator(dt('org-create')).click(), { name: TOWN, code: 'E2E-TOWN' })
      const townRow = page.locator('.el-table__row', { has: page.locator(dt(`org-row-${TOWN}`)) })
      await textOf(townRow.locator('[data-kind]'), '镇街')
      // 新增下级 on a row: a village under the town, another town under the root.
      await createUnit(page, () => page.locator(`${dt(`org-actions-${TOWN}`)} ${dt('org-add-child')}`).click(), {
        name: VILLAGE,
        code: 'E2E-VILLAGE',
      })
      const villageRow = page.locator('.el-table__row', { has: page.locator(dt(`org-row-${VILLAGE}`)) })
      await textOf(villageRow.locator('[data-kind]'), '村社')
      await createUnit(page, () => page.locator(`${dt(`org-actions-${ROOT}`)} ${dt('org-add-child')}`).click(), {
        name: OTHER_TOWN,
        code: 'E2E-OTHER',
      })

      // The users page: a user in each town, both 镇街园区.
      await page.goto(`${baseUrl}/system/users`)
      await textOf(page.locator(dt('page-title')), '用户管理')
      await page.locator(dt('user-row-admin')).waitFor()
      townUserPassword = await createUser(page, {
        login: TOWN_USER,
        name: '张镇长',
        mobile: '13800000001',
        unit: TOWN,
        role: '镇街园区',
      })
      await createUser(page, { login: OTHER_USER, name: '李镇长', mobile: '13800000002', unit: OTHER_TOWN, role: '镇街园区' })
      const row = page.locator('.el-table__row', { has: page.locator(dt(`user-row-${TOWN_USER}`)) })
      await textOf(row, /张镇长.*13800000001.*测试镇.*镇街园区.*正常/)

      // Clicking a unit in the tree lists that unit and below only.
      await page.locator(dt(`users-tree-${OTHER_TOWN}`)).click()
      await page.locator(dt('users-unit-chip')).waitFor()
      await page.locator(dt(`user-row-${TOWN_USER}`)).waitFor({ state: 'detached' })
      await page.locator(dt(`user-row-${OTHER_USER}`)).waitFor()
      assert.equal(await page.locator(dt('user-row-admin')).count(), 0, 'the root unit’s admin is not in 其他镇')
      assertNoErrors(errors)
    }))

  test('the town user changes the one-time password and sees only 测试镇 and below', () =>
    withPage(browser, 'town-user-scope', async (page, errors) => {
      assert.ok(townUserPassword, 'the previous test read the one-time password')
      await page.goto(`${baseUrl}/login`)
      await fillLogin(page, TOWN_USER, townUserPassword)
      await page.waitForURL((url) => url.pathname === '/account/password')
      await page.locator(dt('pwd-forced-banner')).waitFor()
      await page.locator(dt('pwd-old')).fill(townUserPassword)
      await page.locator(dt('pwd-new')).fill(TOWN_USER_NEW_PASSWORD)
      await page.locator(dt('pwd-confirm')).fill(TOWN_USER_NEW_PASSWORD)
      await page.locator(dt('pwd-submit')).click()
      await page.waitForURL(`${baseUrl}/cockpit`)

      // Users: their own town's tree and users; nobody from the root or 其他镇.
      await page.goto(`${baseUrl}/system/users`)
      await page.locator(dt(`user-row-${TOWN_USER}`)).waitFor()
      await page.locator(dt(`users-tree-${TOWN}`)).waitFor()
      await page.locator(dt(`users-tree-${VILLAGE}`)).waitFor()
      for (const hidden of [ROOT, OTHER_TOWN]) {
        assert.equal(await page.locator(dt(`users-tree-${hidden}`)).count(), 0, `${hidden} is not in the tree`)
      }
      for (const hidden of ['admin', OTHER_USER]) {
        assert.equal(await page.locator(dt(`user-row-${hidden}`)).count(), 0, `${hidden} is not listed`)
      }
      assert.equal(await page.locator(dt('users-create')).count(), 0, 'no 新增用户 without user:write')

      // Org units: 测试镇 at the top, its village below, nothing else.
      await page.goto(`${baseUrl}/system/org-units`)
      await page.locator(dt(`org-row-${TOWN}`)).waitFor()
      await page.locator(dt(`org-row-${VILLAGE}`)).waitFor()
      for (const hidden of [ROOT, OTHER_TOWN]) {
        assert.equal(await page.locator(dt(`org-row-${hidden}`)).count(), 0, `${hidden} is not listed`)
      }
      assert.equal(await page.locator(dt('org-create')).count(), 0, 'no 新增单位 without org:write')
      assertNoErrors(errors)
    }))

  test('the role editor saves a 自定义单位 role with two permissions; 系统管理员 is read-only', () =>
    withPage(browser, 'role-editor', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/system/roles`)
      await textOf(page.locator(dt('page-title')), '角色权限')
      await page.locator(dt('role-row-admin')).waitFor()

      await page.locator(dt('roles-create')).click()
      const form = dialog(page, 'role-dialog')
      await form.waitFor()
      await page.locator(dt('role-form-name')).fill('园区督查')
      await page.locator(dt('role-form-code')).fill('park_inspector')
      await page.locator(dt('role-form-remark')).fill('只看测试镇和测试村')
      await page.locator(dt('role-scope-option-custom')).click()
      const tick = (tree, name) =>
        page.locator(`${dt(tree)} .el-tree-node__content:has(${dt(name)}) > .el-checkbox`).click()
      await tick('role-form-units', `role-unit-${TOWN}`)
      await tick('role-form-units', `role-unit-${VILLAGE}`)
      await tick('role-form-permissions', 'role-perm-project:read')
      await tick('role-form-permissions', 'role-perm-problem:read')
      await page.locator(dt('role-form-submit')).click()
      await form.waitFor({ state: 'hidden' })

      await page.locator(dt('role-row-park_inspector')).waitFor()
      await textOf(page.locator(dt('role-scope-park_inspector')), '自定义单位')
      // What was saved: exactly the ticked units and permissions.
      const res = await page.request.get(`${baseUrl}/api/v1/roles`)
      assert.equal(res.status(), 200)
      const saved = (await res.json()).items.find((r) => r.code === 'park_inspector')
      const units = await (await page.request.get(`${baseUrl}/api/v1/org-units`)).json()
      const idOf = (name) => units.items.find((u) => u.name === name).id
      assert.deepEqual([...saved.permissions].sort(), ['problem:read', 'project:read'])
      assert.deepEqual([...saved.custom_unit_ids].sort((a, b) => a - b), [idOf(TOWN), idOf(VILLAGE)].sort((a, b) => a - b))
      assert.equal(saved.data_scope, 'custom')

      // The built-in administrator: 查看, no way to save.
      await textOf(page.locator(`${dt('role-actions-admin')} ${dt('role-edit')}`), '查看')
      await page.locator(`${dt('role-actions-admin')} ${dt('role-edit')}`).click()
      await dialog(page, 'role-dialog').waitFor()
      await page.locator(`${dt('role-readonly-note')}:visible`).waitFor()
      assert.equal(await page.locator(`${dt('role-form-submit')}:visible`).count(), 0, 'no 保存 for 系统管理员')
      assertNoErrors(errors)
    }))
})
