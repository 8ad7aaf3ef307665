// e2e-init: --demo
// 问题台账 导入 in Chromium, on the demo district: the bureau (the admin)
// opens 导入 on 问题台账, 预检 of a small .csv with one bad row lists that
// row and column and imports nothing; the corrected file passes 预检, is
// imported, and its items appear in 问题台账 with the file's status.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
/** Both titles carry it, so one search finds the imported items among the demo's. */
const MARK = '台账导入'
const PENDING = `${MARK}：园区道路断头路未打通`
const CLOSED = `${MARK}：厂房消防验收排队久`
const dialog = (page, name) => page.locator(`${dt(name)}:visible`)

function assertNoErrors(errors, allowed) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

describe('问题台账 导入', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('预检 names the bad row and column; the corrected file is imported and listed', () =>
    withPage(browser, 'problem-import', async (page, errors) => {
      await signIn(page)
      const enterprise = (await (await page.request.get(`${baseUrl}/api/v1/enterprises?page_size=1`)).json()).items[0]
      assert.ok(enterprise, 'the demo has enterprises')
      await page.goto(`${baseUrl}/problems`)
      await page.locator(dt('problems-import')).click()
      const box = dialog(page, 'import-dialog')
      await box.waitFor()

      const header = '问题,企业,类别,提出时间,责任单位,状态,办理结果,办结时间\n'
      const firstRow = `${PENDING},${enterprise.name},规划设计,2026-01-05,,,,\n`
      const bad = `${header}${firstRow}${CLOSED},${enterprise.name},审批手续,2026-01-06,自然资源局,已销号,,\n`
      await box.locator(dt('import-file')).setInputFiles({ name: 'ledger.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
      await textOf(box.locator(dt('import-file-name')), 'ledger.csv')
      await box.locator(dt('import-check')).click()
      const problems = box.locator(`${dt('import-errors')} .el-table__body tr`)
      await problems.first().waitFor()
      assert.match(await problems.filter({ hasText: '办理结果' }).first().innerText(), /^\s*3\s+办理结果/)
      assert.ok(await box.locator(dt('import-run')).isDisabled(), 'a file with problems is not imported')

      const good = `${header}${firstRow}${CLOSED},${enterprise.name},审批手续,2026-01-06,自然资源局,已销号,已协调提前验收,2026-01-20\n`
      await box.locator(dt('import-file')).setInputFiles({ name: 'ledger-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
      await box.locator(dt('import-check')).click()
      await textOf(box.locator(dt('import-summary')), /预检通过：共 2 行，将新增 2 个/)
      await box.locator(dt('import-run')).click()
      await textOf(box.locator(dt('import-summary')), /导入完成：共 2 行，新增 2 个/)
      await box.locator(dt('import-close')).click()
      await box.waitFor({ state: 'hidden' })

      await page.locator(dt('problems-q')).fill(MARK)
      await page.locator(dt('problems-search')).click()
      const rows = page.locator(`${dt('problems-table')} tr.el-table__row`)
      await textOf(rows.filter({ hasText: PENDING }), /待受理/)
      await textOf(rows.filter({ hasText: CLOSED }), /已销号/)
      assertNoErrors(errors, [ME_401, [422, '/api/v1/problems/import?dry_run=true']])
    }))
})
