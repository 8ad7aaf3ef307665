// 系统管理 / 工作日历: the shipped 2026 calendar on the page, a day set off by
// clicking it (the year's working-day count and the server's working-day
// arithmetic change together), a .csv import with 预检, and 恢复默认.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

/** Steps the page's year with the arrows until it shows `year`. */
async function showYear(page, year) {
  for (let i = 0; i < 20; i++) {
    const shown = Number(await page.locator(`${dt('calendar-year')} input`).inputValue())
    if (shown === year) break
    await page.locator(dt(shown < year ? 'calendar-next' : 'calendar-prev')).click()
  }
  await page.locator(dt(`day-${year}-01-01`)).waitFor()
}

async function kindOf(page, date) {
  return page.locator(dt(`day-${date}`)).getAttribute('data-kind')
}

async function waitForKind(page, date, kind) {
  const deadline = Date.now() + 5_000
  let now = ''
  while ((now = await kindOf(page, date)) !== kind) {
    if (Date.now() > deadline) throw new Error(`${date} is ${now}, expected ${kind}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function nextWorkingDay(page, from) {
  const res = await page.request.get(`${baseUrl}/api/v1/calendar/working-days?from=${from}&n=1`)
  assert.equal(res.status(), 200)
  return (await res.json()).date
}

describe('working-day calendar', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('2026 as shipped, a day set off, the count and the arithmetic follow, then back', () =>
    withPage(browser, 'calendar', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/system/calendar`)
      await showYear(page, 2026)

      assert.equal(await kindOf(page, '2026-02-14'), 'workday', '2026-02-14 is a swapped working Saturday')
      assert.equal(await kindOf(page, '2026-02-16'), 'holiday', '春节')
      assert.equal(await kindOf(page, '2026-03-07'), 'weekend')
      await textOf(page.locator(dt('calendar-working-days')), '248')
      await textOf(page.locator(dt('calendar-overrides')), /春节调休上班/)

      // 2026-02-28 is a swapped Saturday; the next working day is Monday 03-02.
      assert.equal(await nextWorkingDay(page, '2026-02-28'), '2026-03-02')

      await page.locator(dt('day-2026-03-02')).click()
      const dialog = page.locator(dt('calendar-day-dialog'))
      await dialog.waitFor()
      assert.ok(await page.locator(`${dt('kind-workday')} input`).isDisabled(), 'a Monday cannot be a swapped working day')
      await page.locator(dt('calendar-day-name')).fill('临时放假')
      await page.locator(dt('calendar-day-save')).click()
      await dialog.waitFor({ state: 'hidden' })

      await waitForKind(page, '2026-03-02', 'holiday')
      await textOf(page.locator(dt('calendar-working-days')), '247')
      await textOf(page.locator(dt('calendar-overrides')), /2026-03-02.*临时放假/)
      assert.equal(await nextWorkingDay(page, '2026-02-28'), '2026-03-03', 'the endpoint agrees with the page')
      const year = await (await page.request.get(`${baseUrl}/api/v1/calendar?year=2026`)).json()
      assert.equal(year.working_days, 247)

      // 恢复默认 from the list, confirmed.
      await page.locator(dt('reset-2026-03-02')).click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await waitForKind(page, '2026-03-02', 'working')
      await textOf(page.locator(dt('calendar-working-days')), '248')
      assert.equal(await nextWorkingDay(page, '2026-02-28'), '2026-03-02')

      assert.deepEqual(unexpectedErrors(errors), [])
    }))

  test('a year imported from a .csv with 预检', () =>
    withPage(browser, 'calendar-import', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/system/calendar`)
      await showYear(page, 2027)
      assert.equal(await kindOf(page, '2027-01-01'), 'working', 'nothing loaded for 2027 yet')
      await page.locator(dt('calendar-empty')).waitFor()

      await page.locator(dt('calendar-import')).click()
      await page.locator(dt('import-file')).setInputFiles({
        name: '2027.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('date,kind,name\n2027-01-01,holiday,元旦\n2027-02-07,workday,春节调休上班\n'),
      })
      await page.locator(dt('import-check')).click()
      await textOf(page.locator(dt('import-summary')), /预检通过/)
      await page.locator(dt('import-run')).click()
      await textOf(page.locator(dt('import-summary')), /导入完成/)
      await page.locator(dt('import-close')).click()

      await waitForKind(page, '2027-01-01', 'holiday')
      assert.equal(await kindOf(page, '2027-02-07'), 'workday')
      await textOf(page.locator(dt('calendar-working-days')), '261') // 261 weekdays − 1 + 1

      assert.deepEqual(unexpectedErrors(errors), [])
    }))
})
