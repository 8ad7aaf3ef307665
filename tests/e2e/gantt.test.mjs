// e2e-init: --demo
// 挂图作战 and 预警 on the demo database (`zhuanban init --demo`: 300 projects
// over 莱山区 with node plans): the portfolio Gantt groups every project by
// unit with the red/yellow counts /api/v1/warnings gives, filters to red
// (every row red, red on the canvas), zooms, exports PNGs of the visible
// range and of everything (one file, however tall), prepares the print, and
// a row opens its project; 预警 shows the API's counts, a card filters, a
// row opens its project, the thresholds dialog saves and tells a stale
// version plainly; a 镇街 user sees only their own projects.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
const JJZ_PASSWORD = 'Zb!e2e-Town-2026'
/** The PNG export's title band and scale (ganttExport.ts, ganttModel.ts). */
const PNG_TOP = 40 + 48
const ROW_H = 28

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

async function apiGet(page, path) {
  const res = await page.request.get(`${baseUrl}${path}`)
  assert.equal(res.status(), 200, `${path}: ${res.status()} ${await res.text()}`)
  return res.json()
}

/** The API's warning counts over the signed-in user's scope, and their sum. */
async function warningCounts(page) {
  const { counts: c } = await apiGet(page, '/api/v1/warnings?page_size=1')
  const counts = { red: c.red ?? 0, yellow: c.yellow ?? 0, green: c.green ?? 0, none: c.none ?? 0 } // a colour nobody has is left out
  return { ...counts, total: counts.red + counts.yellow + counts.green + counts.none }
}

const nextFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))

/**
 * Scrolls the chart from top to bottom a screen at a time, as a user would,
 * and returns the data-* of every line matching `selector` that came on
 * screen (by data-id or data-label).
 */
async function scrollThrough(page, selector) {
  return page.evaluate(
    async ([sel, frames]) => {
      const nextFrames = new Function(`return (${frames})()`)
      const el = document.querySelector('[data-test="gantt-scroll"]')
      const seen = new Map()
      el.scrollTop = 0
      await nextFrames()
      for (;;) {
        for (const n of el.querySelectorAll(sel)) seen.set(n.dataset.id ?? n.dataset.label, { ...n.dataset })
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break
        el.scrollTop += el.clientHeight - 80
        await nextFrames()
      }
      el.scrollTop = 0
      await nextFrames()
      return [...seen.values()]
    },
    [selector, nextFrames.toString()],
  )
}

/** Pixels of the chart's canvas with exactly these RGB colours. */
async function canvasPixels(page, colours) {
  return page.evaluate(
    async ([list, frames]) => {
      await new Function(`return (${frames})()`)()
      const c = document.querySelector('[data-test="gantt-canvas"]')
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      const counts = list.map(() => 0)
      for (let i = 0; i < data.length; i += 4) {
        list.forEach(([r, g, b], k) => {
          if (data[i] === r && data[i + 1] === g && data[i + 2] === b) counts[k]++
        })
      }
      return counts
    },
    [colours, nextFrames.toString()],
  )
}

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature')
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR')
  assert.equal(bytes.subarray(bytes.length - 8, bytes.length - 4).toString('latin1'), 'IEND', 'the PNG is complete')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

async function pickWarning(page, label) {
  await page.locator(dt('gantt-filter-warning')).click()
  await page.locator('.gantt-warning-popper:visible .el-select-dropdown__item', { hasText: label }).click()
  await page.keyboard.press('Escape')
}

describe('挂图作战 · 预警', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('the portfolio Gantt: every project grouped by unit, red/yellow as the warnings say; red only; export, print; a row opens its project', () =>
    withPage(browser, 'gantt-portfolio', async (page, errors) => {
      await signIn(page)
      const counts = await warningCounts(page)
      assert.ok(counts.total >= 300, `the demo has its projects (${counts.total})`)
      assert.ok(counts.red > 0 && counts.yellow > 0, `the demo has red and yellow projects (${JSON.stringify(counts)})`)
      const gantt = await apiGet(page, '/api/v1/gantt?group=unit')
      assert.equal(gantt.rows.length, counts.total, 'the Gantt has every project the warnings count')

      await page.goto(`${baseUrl}/cockpit`)
      await page.locator(dt('menu-nodes')).click()
      await page.waitForURL(`${baseUrl}/nodes`)
      await textOf(page.locator(dt('page-title')), '挂图作战')
      await textOf(page.locator(dt('gantt-summary')), new RegExp(`共 ${counts.total} 个项目`))
      await textOf(page.locator(dt('gantt-count-red')), `红 ${counts.red}`)
      await textOf(page.locator(dt('gantt-count-yellow')), `黄 ${counts.yellow}`)
      await page.locator(dt('gantt-row')).first().waitFor()
      assert.equal(await page.evaluate(() => performance.getEntriesByName('gantt-rows-painted').length), 1, 'the page marks its first paint')

      // Grouped by unit: folded, the headers add up to the API's counts.
      await page.locator(dt('gantt-fold')).click()
      await page.locator(dt('gantt-row')).first().waitFor({ state: 'detached' })
      const groups = await scrollThrough(page, dt('gantt-group'))
      assert.ok(groups.length > 1, `several units (${groups.length})`)
      const sum = (key) => groups.reduce((n, g) => n + Number(g[key]), 0)
      assert.equal(sum('count'), counts.total)
      assert.equal(sum('red'), counts.red)
      assert.equal(sum('yellow'), counts.yellow)
      // A group header unfolds its own rows only.
      const first = page.locator(dt('gantt-group')).first()
      const firstCount = Number(await first.getAttribute('data-count'))
      await first.click()
      await page.locator(dt('gantt-row')).first().waitFor()
      const shown = Math.min(firstCount, await page.locator(dt('gantt-row')).count())
      assert.ok(shown > 0 && shown <= firstCount)
      await page.locator(dt('gantt-unfold')).click()

      // Red only: the summary, every row on the way down, and red on the canvas.
      await pickWarning(page, '红色预警')
      await textOf(page.locator(dt('gantt-summary')), new RegExp(`共 ${counts.red} 个项目`))
      const redRows = await scrollThrough(page, dt('gantt-row'))
      assert.equal(redRows.length, counts.red, 'every red project came on screen')
      assert.deepEqual([...new Set(redRows.map((r) => r.colour))], ['red'])
      const [redBar, redMark, greenBar] = await canvasPixels(page, [
        [252, 211, 211],
        [245, 108, 108],
        [209, 237, 196],
      ])
      assert.ok(redBar + redMark > 0, 'red bars or markers are drawn')
      assert.equal(greenBar, 0, 'no green plan bar')
      const redGroups = (await scrollThrough(page, dt('gantt-group'))).length

      // Zooms redraw without trouble.
      for (const zoom of ['week', 'quarter', 'month']) {
        await page.locator(`${dt(`gantt-zoom-${zoom}`)}`).click()
        await page.evaluate(nextFrames)
      }

      // PNG of what is on screen, then of everything (taller than one band).
      const today = gantt.today
      const onScreen = await page.locator(`${dt('gantt-scroll')} .gantt-line`).count()
      await page.locator(dt('gantt-export-button')).click()
      let [download] = await Promise.all([page.waitForEvent('download'), page.locator(`${dt('gantt-export-visible')}:visible`).click()])
      assert.equal(download.suggestedFilename(), `挂图作战_${today}.png`)
      assert.equal(pngSize(await fs.readFile(await download.path())).height, PNG_TOP + onScreen * ROW_H)
      await page.locator('.el-message--success', { hasText: `挂图作战_${today}.png` }).first().waitFor()

      await page.locator(dt('gantt-export-button')).click()
      ;[download] = await Promise.all([page.waitForEvent('download'), page.locator(`${dt('gantt-export-all')}:visible`).click()])
      const all = pngSize(await fs.readFile(await download.path()))
      assert.equal(all.height, PNG_TOP + (redGroups + counts.red) * ROW_H, 'every red project and its group in one PNG')
      assert.ok(all.width > 430)

      // 打印: one page image per 30 lines in a print-only container, gone after printing.
      await page.evaluate(() => {
        window.print = () => {
          window.__printedPages = document.querySelectorAll('[data-test="gantt-print-pages"] img').length
        }
      })
      await page.locator(dt('gantt-print-button')).click()
      await page.locator(`${dt('gantt-print-all')}:visible`).click()
      await page.waitForFunction(() => window.__printedPages !== undefined)
      assert.equal(await page.evaluate(() => window.__printedPages), Math.ceil((redGroups + counts.red) / 30))
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
      await page.locator(dt('gantt-print-pages')).waitFor({ state: 'detached' })

      // A row opens its project; back, the chart is as it was left.
      const row = page.locator(dt('gantt-row')).first()
      const id = await row.getAttribute('data-id')
      const name = await row.locator(dt('gantt-row-name')).innerText()
      await row.click()
      await page.waitForURL(`${baseUrl}/projects/${id}`)
      await textOf(page.locator(dt('page-title')), name)
      await page.goBack()
      await textOf(page.locator(dt('gantt-summary')), new RegExp(`共 ${counts.red} 个项目`))
      assertNoErrors(errors)
    }))

  test('预警: the counts are the API\'s; a card filters; reasons listed; a row opens its project', () =>
    withPage(browser, 'warnings-page', async (page, errors) => {
      await signIn(page)
      const counts = await warningCounts(page)
      await page.goto(`${baseUrl}/cockpit`)
      await page.locator(dt('menu-warnings')).click()
      await page.waitForURL(`${baseUrl}/warnings`)
      await textOf(page.locator(dt('page-title')), '预警')
      for (const colour of ['red', 'yellow', 'green', 'none']) {
        await textOf(page.locator(`${dt(`warning-card-${colour}`)} ${dt('warning-card-count')}`), String(counts[colour]))
      }
      await textOf(page.locator(`${dt('warnings-pager')} .el-pagination__total`), new RegExp(`共 ${counts.total} 条`))

      await page.locator(dt('warning-card-red')).click()
      await textOf(page.locator(`${dt('warnings-pager')} .el-pagination__total`), new RegExp(`共 ${counts.red} 条`))
      const colours = await page.locator(dt('warning-colour')).evaluateAll((els) => els.map((e) => e.dataset.colour))
      assert.ok(colours.length > 0)
      assert.deepEqual([...new Set(colours)], ['red'])
      const reasons = await page.locator(dt('warning-reasons')).first().innerText()
      assert.ok(reasons.trim().length > 0, 'a red project says why')

      const link = page.locator(dt('warning-project')).first()
      const name = await link.innerText()
      await link.click()
      await page.waitForURL(/\/projects\/\d+$/)
      await textOf(page.locator(dt('page-title')), name)
      assertNoErrors(errors)
    }))

  test('预警阈值: saved from the dialog; a change made meanwhile is told plainly and shown', () =>
    withPage(browser, 'warnings-settings', async (page, errors) => {
      const admin = await signIn(page)
      const before = await apiGet(page, '/api/v1/warnings/settings')
      await page.goto(`${baseUrl}/warnings`)
      const summary = page.locator(dt('warnings-thresholds'))
      await textOf(summary, new RegExp(`${before.due_soon} 个工作日内到期`))

      await page.locator(dt('warnings-settings')).click()
      const dialog = page.locator(`${dt('warnings-settings-dialog')}:visible`)
      await dialog.waitFor()
      const dueSoon = page.locator(`${dt('settings-due_soon')} input`)
      await dueSoon.fill(String(before.due_soon + 2))
      await page.locator(dt('settings-save')).click()
      await page.locator('.el-message--success', { hasText: '阈值已保存' }).waitFor()
      await dialog.waitFor({ state: 'hidden' })
      await textOf(summary, new RegExp(`${before.due_soon + 2} 个工作日内到期`))

      // Someone else saves while the dialog is open.
      await page.locator(dt('warnings-settings')).click()
      await dialog.waitFor()
      const current = await apiGet(page, '/api/v1/warnings/settings')
      const res = await page.request.put(`${baseUrl}/api/v1/warnings/settings`, {
        headers: { 'X-CSRF-Token': admin.csrf_token },
        data: { ...Object.fromEntries(['slack_yellow', 'not_started_red_months', 'lag_yellow_points', 'lag_red_points'].map((k) => [k, current[k]])), due_soon: before.due_soon, version: current.version },
      })
      assert.equal(res.status(), 200, await res.text())
      await dueSoon.fill(String(before.due_soon + 5))
      await page.locator(dt('settings-save')).click()
      await page.locator('.el-message--error', { hasText: '阈值已被他人修改' }).waitFor()
      assert.equal(await dueSoon.inputValue(), String(before.due_soon), "the dialog shows the other person's value")
      await page.locator(dt('settings-cancel')).click()
      assertNoErrors(errors, [ME_401, [409, '/api/v1/warnings/settings']])
    }))

  test('a 镇街 user sees only the projects of their subdistrict on 挂图作战', () =>
    withPage(browser, 'gantt-scope', async (page, errors) => {
      const initial = JSON.parse(process.env.ZB_E2E_DEMO_PASSWORDS || '{}').jjz
      assert.ok(initial, 'init --demo printed the jjz password')
      const login = await page.request.post(`${baseUrl}/api/v1/auth/login`, { data: { username: 'jjz', password: initial } })
      assert.equal(login.status(), 200)
      const change = await page.request.post(`${baseUrl}/api/v1/auth/password`, {
        headers: { 'X-CSRF-Token': (await login.json()).csrf_token },
        data: { old_password: initial, new_password: JJZ_PASSWORD },
      })
      assert.equal(change.status(), 204, await change.text())
      await signIn(page, { login: 'jjz', password: JJZ_PASSWORD })
      const counts = await warningCounts(page)
      assert.ok(counts.total > 0 && counts.total < 300, `jjz sees some projects, not all (${counts.total})`)

      await page.goto(`${baseUrl}/nodes`)
      await textOf(page.locator(dt('gantt-summary')), new RegExp(`共 ${counts.total} 个项目`))
      const rows = await scrollThrough(page, dt('gantt-row'))
      assert.equal(rows.length, counts.total)
      const units = [...new Set(rows.map((r) => r.unit))]
      const own = ['解甲庄街道', '北山社区', '枣山社区'] // the subdistrict and its communities (seed)
      assert.ok(units.length > 0 && units.every((u) => own.includes(u)), `only 解甲庄 and below: ${units}`)
      assertNoErrors(errors)
    }))
})
