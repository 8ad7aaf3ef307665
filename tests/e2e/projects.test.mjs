// 项目库 in the browser: the admin files an enterprise and a project through
// the pages (amounts typed in 万元 arrive as exact yuan), opens it, moves it
// 签约 → 在建 through 变更阶段 (only the allowed stages offered; the timeline
// and the actual 开工 date follow), filters the list and clicks a facet chip,
// exports the 项目台账, imports a file (预检 lists a bad row; the clean file
// is imported and the list shows the change), resolves an edit conflict by
// 覆盖, and runs a 专班 serving the project. run.mjs gives this file its own
// fresh server; node:test runs the tests in order.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
const TOWN = '甲镇'
const OTHER_TOWN = '乙镇'
const DEPARTMENT = '发改局'
const LEADER = '王建华'
const ENTERPRISE = '烟台蓝海新材料有限公司'
/** A published valid 统一社会信用代码. */
const CREDIT_CODE = '91350100M000100Y43'
const PROJECT = '蓝海新材料年产5万吨高性能复合材料项目'
const OTHER_PROJECT = '乙镇文旅综合体项目'
const IMPORTED_PROJECT = '甲镇智能装备产业园项目'

/** China's calendar day and year, as the server keeps dates. */
const chinaToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
  new Date(),
)
const YEAR = Number(chinaToday.slice(0, 4))
const CODE = `XM-${YEAR}-0001`

/** Filled as the tests go. */
let projectId = 0
let leaderId = 0

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** The open dialog with `data-test=name` (Element Plus keeps closed ones in the DOM). */
const dialog = (page, name) => page.locator(`${dt(name)}:visible`)

/** The rows of the table `name`. */
const rows = (page, name) => page.locator(`${dt(name)} .el-table__body-wrapper tr.el-table__row`)

/** Clicks the option `label` of the open select whose dropdown has `popper` as class. */
async function pick(page, popper, label) {
  await page.locator(`.${popper}:visible .el-select-dropdown__item`, { hasText: label }).first().click()
}

/** Admin's API calls through the page's cookie jar. */
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
    patch: async (path, data) => check(await page.request.patch(`${baseUrl}${path}`, { headers, data }), path),
    get: async (path) => check(await page.request.get(`${baseUrl}${path}`), path),
  }
}

describe('项目库', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('admin files an enterprise and a project, opens it and moves it 签约 → 在建', () =>
    withPage(browser, 'project-create', async (page, errors) => {
      const api = await adminApi(page)
      const root = api.admin.user.org_unit_id
      for (const [name, code, kind] of [
        [TOWN, 'E2E-JIA', 'town'],
        [OTHER_TOWN, 'E2E-YI', 'town'],
        [DEPARTMENT, 'E2E-FGJ', 'department'],
      ]) {
        await api.post('/api/v1/org-units', { parent_id: root, name, short_name: name, code, kind, sort_order: 10 })
      }
      const roles = await api.get('/api/v1/roles')
      const leader = await api.post('/api/v1/users', {
        login: 'wang.jh',
        display_name: LEADER,
        org_unit_id: root,
        role_ids: [roles.items.find((r) => r.code === 'leader').id],
      })
      leaderId = leader.id

      // The enterprise, through the enterprise page.
      await page.goto(`${baseUrl}/enterprises`)
      await page.locator(dt('enterprises-create')).click()
      const entForm = dialog(page, 'enterprise-dialog')
      await entForm.waitFor()
      await page.locator(dt('enterprise-form-name')).fill(ENTERPRISE)
      await page.locator(dt('enterprise-form-credit-code')).fill(CREDIT_CODE)
      await page.locator(dt('enterprise-form-unit')).click()
      await page.locator(`.org-unit-select-popper:visible ${dt(`org-option-${TOWN}`)}`).click()
      await page.locator(dt('enterprise-form-submit')).click()
      await entForm.waitFor({ state: 'hidden' })
      await rows(page, 'enterprises-table').filter({ hasText: ENTERPRISE }).waitFor()

      // 项目库 from the menu: empty.
      await page.locator(dt('menu-projects')).click()
      await page.waitForURL(`${baseUrl}/projects`)
      await textOf(page.locator(dt('page-title')), '项目库')
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 0 条/)

      // 新增项目.
      await page.locator(dt('projects-create')).click()
      const form = dialog(page, 'project-dialog')
      await form.waitFor()
      await page.locator(dt('project-form-name')).fill(PROJECT)
      await page.locator(dt('project-form-enterprise')).click()
      await page.keyboard.type('蓝海')
      await page.locator(`.enterprise-select-popper:visible ${dt(`enterprise-option-${ENTERPRISE}`)}`).click()
      await page.locator(dt('project-form-unit')).click()
      await page.locator(`.org-unit-select-popper:visible ${dt(`org-option-${TOWN}`)}`).click()
      await page.locator(dt('project-form-category')).click()
      await pick(page, 'project-category-popper', /^制造业$/)
      await page.locator(dt('project-form-level')).click()
      await pick(page, 'project-level-popper', /^市重点$/)
      await page.locator(dt('project-form-type')).click()
      await pick(page, 'project-type-popper', /^新建$/)
      // Not an amount: named under the field, nothing sent.
      await page.locator(dt('project-form-investment')).fill('1.23456')
      await page.locator(dt('project-form-submit')).click()
      await textOf(form.locator('.el-form-item', { has: page.locator(dt('project-form-investment')) }).locator('.el-form-item__error'), /最多 4 位小数/)
      await page.locator(dt('project-form-investment')).fill('12345.6789')
      await page.locator(dt('project-form-content')).fill('建设高性能复合材料生产线 6 条及配套研发中心')
      await page.locator(dt('project-form-leader')).click()
      await page.keyboard.type('王')
      await page.locator(`.user-select-popper:visible ${dt(`user-option-${LEADER}`)}`).click()
      await page.locator(dt('project-form-department')).click()
      await pick(page, 'project-department-popper', DEPARTMENT)
      await page.locator(dt('plan-add')).click()
      await page.locator(`${dt('plan-row-0')} ${dt('plan-amount')}`).fill('5000')
      await page.locator(`${dt('plan-row-0')} ${dt('plan-goal-start')}`).click()
      await page.locator(dt('project-form-submit')).click()
      await form.waitFor({ state: 'hidden' })

      const row = rows(page, 'projects-table').filter({ hasText: PROJECT })
      await row.waitFor()
      await textOf(row.locator(dt('project-code')), CODE)
      await textOf(row.locator(dt('project-investment')), '12,345.68')
      await textOf(row.locator(dt('stage-tag')), '谋划')
      // 万元 typed, yuan stored — exactly.
      const listed = await api.get(`/api/v1/projects?q=${encodeURIComponent(CODE)}`)
      assert.equal(listed.items.length, 1)
      projectId = listed.items[0].id
      assert.equal(listed.items[0].total_investment, 123456789)
      assert.deepEqual(
        listed.items[0].plans.map((p) => [p.year, p.planned_investment, p.goal_start]),
        [[YEAR, 50000000, true]],
      )

      // The project page: header and 四个一.
      await row.locator(dt('project-name')).click()
      await page.waitForURL(`${baseUrl}/projects/${projectId}`)
      await textOf(page.locator(dt('page-title')), PROJECT)
      await textOf(page.locator(dt('project-code')), CODE)
      await textOf(page.locator(`${dt('project-stage')}`), '谋划')
      await textOf(page.locator(dt('four-ones-enterprise')), ENTERPRISE)
      await textOf(page.locator(dt('four-ones-list')), '问题清单 (即将上线)')
      await textOf(page.locator(dt('four-ones-leader')), LEADER)
      await textOf(page.locator(dt('breadcrumb')), '项目库')

      // 变更阶段 → 签约: only the allowed stages are offered.
      await page.locator(dt('project-transition')).click()
      const move = dialog(page, 'transition-dialog')
      await move.waitFor()
      assert.equal(await move.locator(dt('transition-to-planning')).count(), 0, 'not to the stage it is in')
      await move.locator(dt('transition-to-signed')).click()
      await move.locator(dt('transition-note')).fill('签订投资协议')
      await move.locator(dt('transition-submit')).click()
      await move.waitFor({ state: 'hidden' })
      await textOf(page.locator(dt('project-stage')), '签约')

      // → 在建, dated today by default; 谋划 and 签约 are behind it now.
      await page.locator(dt('project-transition')).click()
      await move.waitFor()
      assert.equal(await move.locator(dt('transition-to-planning')).count(), 0)
      assert.equal(await move.locator(dt('transition-to-signed')).count(), 0)
      assert.equal(await move.locator(`${dt('transition-date')} input`).inputValue(), chinaToday)
      await move.locator(dt('transition-to-under_construction')).click()
      await move.locator(dt('transition-submit')).click()
      await move.waitFor({ state: 'hidden' })
      await textOf(page.locator(dt('project-stage')), '在建')
      await textOf(page.locator(dt('project-actual-started')), chinaToday)
      await textOf(page.locator(`${dt('timetable-started')} ${dt('timetable-actual')}`), chinaToday)

      // 生命周期: both moves on the timeline, oldest first, with the note.
      await page.locator('.el-tabs__item', { hasText: '生命周期' }).click()
      const timeline = page.locator(`${dt('stage-timeline')} ${dt('stage-event')}`)
      await timeline.nth(1).waitFor()
      assert.equal(await timeline.count(), 2)
      assert.match(await timeline.nth(0).innerText(), /谋划[\s\S]*签约[\s\S]*签订投资协议/)
      assert.match(await timeline.nth(1).innerText(), new RegExp(`${chinaToday}[\\s\\S]*签约[\\s\\S]*在建`))

      // 变更记录: the creation and the moves, newest first.
      await page.locator('.el-tabs__item', { hasText: '变更记录' }).click()
      const history = rows(page, 'project-history')
      await history.first().waitFor()
      assert.ok((await history.count()) >= 3, 'created and moved twice')
      assert.match(await history.first().innerText(), /在建/)
      assertNoErrors(errors)
    }))

  test('the list filters by keyword and facet chip, and exports what it shows', () =>
    withPage(browser, 'project-list', async (page, errors) => {
      assert.ok(projectId, 'the first test filed the project')
      const api = await adminApi(page)
      const units = await api.get('/api/v1/org-units')
      await api.post('/api/v1/projects', {
        name: OTHER_PROJECT,
        org_unit_id: units.items.find((u) => u.name === OTHER_TOWN).id,
        level: 'county',
        total_investment: 300000000,
      })

      await page.goto(`${baseUrl}/projects`)
      const table = rows(page, 'projects-table')
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 2 条/)
      // 总投资 12,345.6789 + 30,000 万元 = 4.23 亿元; the project moved to 在建 today started this year.
      await textOf(page.locator(dt('projects-summary')), new RegExp(`共 2 个项目，总投资 4\\.23 亿元.*${YEAR} 年开工 1`))

      // A facet chip: 在建 (1) filters; clicked again, it lets go.
      const chip = page.locator(dt('facet-stage-under_construction'))
      await textOf(chip, /在建\s*1/)
      await chip.click()
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 1 条/)
      await table.filter({ hasText: PROJECT }).waitFor()
      assert.match(await chip.getAttribute('class'), /active/)
      // The other stages keep their counts (a facet ignores its own filter).
      await textOf(page.locator(dt('facet-stage-planning')), /谋划\s*1/)
      await chip.click()
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 2 条/)

      // A unit chip.
      await page.locator(dt(`facet-org_unit-${units.items.find((u) => u.name === OTHER_TOWN).id}`)).click()
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 1 条/)
      await table.filter({ hasText: OTHER_PROJECT }).waitFor()
      await page.locator(dt('projects-reset')).click()
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 2 条/)

      // The keyword: a substring of the name.
      await page.locator(dt('projects-q')).fill('复合材料')
      await page.locator(dt('projects-q')).press('Enter')
      await textOf(page.locator(`${dt('projects-pager')} .el-pagination__total`), /共 1 条/)
      await table.filter({ hasText: PROJECT }).waitFor()

      // 导出 Excel with that filter: a real workbook.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(dt('projects-export')).click()])
      assert.match(download.suggestedFilename(), /\.xlsx$/)
      const bytes = await fs.readFile(await download.path())
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')

      // The chosen columns survive a reload.
      await page.locator(dt('projects-columns')).click()
      await page.locator(`${dt('column-tags')}`).click()
      await page.reload()
      await page.locator(`${dt('projects-table')} th`, { hasText: '标签' }).waitFor()
      assertNoErrors(errors)
    }))

  test('导入: 预检 lists the bad row, the clean file is imported and the list shows it', () =>
    withPage(browser, 'project-import', async (page, errors) => {
      assert.ok(projectId, 'the first test filed the project')
      await signIn(page)
      await page.goto(`${baseUrl}/projects`)
      await page.locator(dt('projects-import')).click()
      const box = dialog(page, 'import-dialog')
      await box.waitFor()
      assert.ok(await box.locator(dt('import-run')).isDisabled(), '导入 waits for a clean 预检')

      // The template downloads.
      const [template] = await Promise.all([page.waitForEvent('download'), box.locator(dt('import-template')).click()])
      assert.equal((await fs.readFile(await template.path())).subarray(0, 2).toString('latin1'), 'PK')

      // Row 2 updates the project's 总投资, row 3 creates one — with an amount that is not one.
      const header = '项目编号,项目名称,属地,总投资(万元)\n'
      const bad = `${header}${CODE},${PROJECT},${TOWN},20000\n,${IMPORTED_PROJECT},${TOWN},八百万\n`
      await box.locator(dt('import-file')).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
      await textOf(box.locator(dt('import-file-name')), 'bad.csv')
      await box.locator(dt('import-check')).click()
      const problems = box.locator(`${dt('import-errors')} .el-table__body tr`)
      await problems.first().waitFor()
      const problem = problems.filter({ hasText: '总投资(万元)' }).first()
      assert.match(await problem.innerText(), /^\s*3\s+总投资\(万元\)/)
      assert.ok(await box.locator(dt('import-run')).isDisabled(), 'a file with problems is not imported')

      // The corrected file: 预检 passes, then 导入.
      const good = `${header}${CODE},${PROJECT},${TOWN},20000\n,${IMPORTED_PROJECT},${TOWN},800\n`
      await box.locator(dt('import-file')).setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
      await box.locator(dt('import-check')).click()
      await textOf(box.locator(dt('import-summary')), /预检通过：共 2 行，将新增 1 个、更新 1 个/)
      await box.locator(dt('import-run')).click()
      await textOf(box.locator(dt('import-summary')), /导入完成：共 2 行，新增 1 个，更新 1 个/)
      await box.locator(dt('import-close')).click()
      await box.waitFor({ state: 'hidden' })

      const table = rows(page, 'projects-table')
      await textOf(table.filter({ hasText: PROJECT }).locator(dt('project-investment')), '20,000.00')
      await textOf(table.filter({ hasText: IMPORTED_PROJECT }).locator(dt('project-investment')), '800.00')
      assertNoErrors(errors, [ME_401, [422, '/api/v1/projects/import?dry_run=true']])
    }))

  test('an edit that crossed someone else’s says what changed; 覆盖 saves it over theirs', () =>
    withPage(browser, 'project-conflict', async (page, errors) => {
      const api = await adminApi(page)
      await page.goto(`${baseUrl}/projects/${projectId}`)
      await textOf(page.locator(dt('page-title')), PROJECT)
      await page.locator(dt('project-edit')).click()
      const form = dialog(page, 'project-dialog')
      await form.waitFor()
      assert.equal(await page.locator(dt('project-form-investment')).inputValue(), '20000')

      // Meanwhile, someone else sets the 建设地点.
      const current = await api.get(`/api/v1/projects/${projectId}`)
      await api.patch(`/api/v1/projects/${projectId}`, { address: '莱山经济开发区蓝海路 8 号', version: current.version })

      await page.locator(dt('project-form-investment')).fill('21000.5')
      await page.locator(dt('project-form-submit')).click()
      const conflict = form.locator(dt('project-conflict'))
      await textOf(conflict.locator('.el-alert__title'), '该项目已被他人修改')
      await textOf(conflict.locator(dt('project-conflict-fields')), /建设地点：— → 莱山经济开发区蓝海路 8 号/)
      await conflict.locator(dt('project-conflict-overwrite')).click()
      await form.waitFor({ state: 'hidden' })
      await textOf(page.locator(dt('project-basic-investment')), '21,000.50')
      const saved = await api.get(`/api/v1/projects/${projectId}`)
      assert.equal(saved.total_investment, 210005000)
      assert.equal(saved.address, '莱山经济开发区蓝海路 8 号', 'their change stays: only mine was sent')
      assertNoErrors(errors, [ME_401, [409, `/api/v1/projects/${projectId}`]])
    }))

  test('专班: created with one 组长, serving the project, not deleted while it does', () =>
    withPage(browser, 'teams', async (page, errors) => {
      assert.ok(leaderId, 'the first test created the leader')
      await signIn(page)
      await page.goto(`${baseUrl}/teams`)
      await textOf(page.locator(dt('page-title')), '专班')
      await page.locator(dt('teams-create')).click()
      const form = dialog(page, 'team-dialog')
      await form.waitFor()
      await page.locator(dt('team-form-name')).fill('蓝海新材料项目专班')
      await form.locator(`${dt('team-member-row-0')} ${dt('member-user')}`).click()
      await page.keyboard.type('王')
      await page.locator(`.user-select-popper:visible ${dt(`user-option-${LEADER}`)}`).click()
      // A second 组长 is refused before anything is sent.
      await form.locator(dt('member-add')).click()
      await form.locator(`${dt('team-member-row-1')} ${dt('member-role')}`).click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^组长$/ }).click()
      await form.locator(`${dt('team-member-row-1')} ${dt('member-user')}`).click()
      await page.keyboard.type('admin')
      await page.locator(`.user-select-popper:visible ${dt('user-option-系统管理员')}`).click()
      await form.locator(dt('team-form-submit')).click()
      await textOf(form.locator('.el-form-item', { has: page.locator(dt('team-form-members')) }).locator('.el-form-item__error'), '专班须有且只有一名组长')
      await form.locator(`${dt('team-member-row-1')} ${dt('member-role')}`).click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: /^组员$/ }).click()
      await form.locator(dt('team-form-submit')).click()
      await form.waitFor({ state: 'hidden' })
      const team = rows(page, 'teams-table').filter({ hasText: '蓝海新材料项目专班' })
      await textOf(team.locator(dt('team-leader')), LEADER)
      await textOf(team.locator(dt('team-project-count')), '0')

      // The project takes the team (its form), and shows it with its members.
      await page.goto(`${baseUrl}/projects/${projectId}`)
      await page.locator(dt('project-edit')).click()
      const projectForm = dialog(page, 'project-dialog')
      await projectForm.waitFor()
      await page.locator(dt('project-form-teams')).click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '蓝海新材料项目专班' }).click()
      await projectForm.locator('.el-dialog__title').click() // closes the dropdown
      await page.locator(dt('project-form-submit')).click()
      await projectForm.waitFor({ state: 'hidden' })
      await page.locator('.el-tabs__item', { hasText: '包保与专班' }).click()
      const block = page.locator('[data-test^="project-team-"]')
      await textOf(block.locator('.team-link'), '蓝海新材料项目专班')
      assert.match(await block.innerText(), new RegExp(`组长\\s*${LEADER}`))

      // Deleting it while it serves the project: refused, the server says why.
      await page.goto(`${baseUrl}/teams`)
      await textOf(team.locator(dt('team-project-count')), '1')
      await team.locator(dt('team-delete')).click()
      await page.locator('.el-message-box .el-button--primary').click()
      await page.locator('.el-message--error').waitFor()
      await team.waitFor()
      const teamId = (await page.request.get(`${baseUrl}/api/v1/teams`).then((r) => r.json())).items[0].id
      assertNoErrors(errors, [ME_401, [409, `/api/v1/teams/${teamId}`]])
    }))
})
