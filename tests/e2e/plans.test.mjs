// 节点计划 (倒排工期) in the browser: the admin opens a fresh 制造业 project
// (a planned 开工 date far ahead, filed through the API), generates its plan
// from the category's default template on the project page, checks a
// computed 倒排 date against the API, sets a tight 开工 target through
// 编辑计划 (a blank name refused on its cell; the warning turns from green
// to red or yellow, with its reason and the cannot-fit problem above the
// table; an edit crossing someone else's is told plainly), records 土地摘牌/供地 as
// finished late through 填报进度 with a photo (a PNG made here) and sees it
// in the history as a thumbnail, counts the Gantt's bars, milestones, links
// and critical rows against the plan, drags the 开工 target marker, and on
// 系统管理 › 节点模板 edits a duration, copies a template, makes the copy
// the default and back, and deletes it. run.mjs gives this file its own
// fresh server; node:test runs the tests in order.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { baseUrl, dt, launchBrowser, signIn, textOf, unexpectedErrors, withPage } from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']
const PROJECT = '蓝海新材料年产5万吨高性能复合材料项目'

/** China's calendar day, as the server keeps dates, shifted by `days`. */
function chinaDay(days = 0) {
  const d = new Date(Date.now() + days * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}
const TODAY = chinaDay()

/** A small valid PNG (solid colour) for the photo upload. */
function png(width = 8, height = 8, rgb = [200, 60, 40]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => {
    let c = 0xffffffff
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())])
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** The open dialog with `data-test=name` (Element Plus keeps closed ones in the DOM). */
const dialog = (page, name) => page.locator(`${dt(name)}:visible`)

/** The body rows of the table `name`. */
const rows = (page, name) => page.locator(`${dt(name)} .el-table__body-wrapper tr.el-table__row`)

/** The plan table's row of the node called `name`. */
const nodeRow = (page, name) =>
  rows(page, 'plan-table').filter({ has: page.locator(dt('node-name'), { hasText: new RegExp(`^${name}$`) }) })

/** The input inside (or carrying) `data-test=name`. */
const inputOf = (name) => `${dt(name)} input, input${dt(name)}`

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

/** Types a date into an Element Plus date picker and confirms it. */
async function typeDate(page, selector, date) {
  const input = page.locator(selector).first()
  await input.click()
  await input.fill(date)
  await input.press('Enter')
}

let projectId = 0

describe('节点计划', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('admin generates a plan from the 工业 template, sets the 开工 target, records a late node and reads the Gantt', () =>
    withPage(browser, 'plan-flow', async (page, errors) => {
      const api = await adminApi(page)
      const root = api.admin.user.org_unit_id
      // 开工 planned far ahead: the generated plan has room and is green.
      const project = await api.post('/api/v1/projects', {
        name: PROJECT,
        org_unit_id: root,
        category: 'manufacturing',
        planned_started_on: chinaDay(420),
      })
      projectId = project.id
      const templates = await api.get('/api/v1/node-templates?category=manufacturing')
      const industrial = templates.items.find((x) => x.is_default)
      assert.ok(industrial, 'a default 制造业 template ships with init')

      // No plan yet: the category's default template is preselected.
      await page.goto(`${baseUrl}/projects/${projectId}?tab=nodePlan`)
      await page.locator(dt('plan-none')).waitFor()
      await textOf(page.locator(`${dt('plan-template')} .el-select__placeholder`), industrial.name)
      await page.locator(dt('plan-generate')).click()
      await page.locator(dt('plan-table')).waitFor()

      let plan = await api.get(`/api/v1/projects/${projectId}/plan`)
      assert.equal(plan.template_id, industrial.id)
      assert.equal(await rows(page, 'plan-table').count(), plan.nodes.length)
      const byName = (p, name) => p.nodes.find((n) => n.name === name)
      const start = byName(plan, '开工')
      const permit = byName(plan, '施工许可')
      assert.equal(start.target, project.planned_started_on, "applying the template targets 开工 at the project's planned date")
      // The page shows the server's 倒排 dates.
      await textOf(nodeRow(page, '开工').locator(dt('node-target')), start.target)
      await textOf(nodeRow(page, '施工许可').locator(dt('node-latest-finish')), permit.latest_finish)
      await textOf(nodeRow(page, '施工许可').locator(dt('node-latest-start')), permit.latest_start)
      await textOf(nodeRow(page, '施工许可').locator(dt('node-forecast-finish')), permit.forecast_finish)
      assert.equal(await page.locator(dt('plan-warning')).getAttribute('data-colour'), 'green')

      // 编辑计划: 开工 no later than a month from now — too soon for the permits.
      const tight = chinaDay(30)
      await page.locator(dt('plan-edit')).click()
      await page.locator(dt('plan-editor')).waitFor()
      const sorted = [...plan.nodes].sort((a, b) => a.sort - b.sort)
      const startIndex = sorted.findIndex((n) => n.name === '开工')
      // A blank name: the server's refusal lands on that cell, nothing is saved.
      const permitRow = rows(page, 'plan-editor-table').nth(sorted.findIndex((n) => n.name === '施工许可'))
      await permitRow.locator(inputOf('edit-name')).fill('')
      await page.locator(dt('edit-save')).click()
      await textOf(permitRow.locator(dt('edit-error')), /节点名称/)
      await permitRow.locator(inputOf('edit-name')).fill('施工许可')
      await typeDate(page, `${dt(`edit-target-${startIndex}`)} input`, tight)
      await page.locator(dt('edit-save')).click()
      await page.locator(dt('plan-editor')).waitFor({ state: 'detached' })
      await textOf(nodeRow(page, '开工').locator(dt('node-target')), tight)
      plan = await api.get(`/api/v1/projects/${projectId}/plan`)
      assert.equal(byName(plan, '开工').target, tight)
      await textOf(nodeRow(page, '施工许可').locator(dt('node-latest-finish')), byName(plan, '施工许可').latest_finish)
      await page.locator(dt('plan-problem-cannot_fit')).first().waitFor()
      assert.ok(['red', 'yellow'].includes(plan.warning.colour), `warning ${JSON.stringify(plan.warning)}`)
      assert.equal(await page.locator(dt('plan-warning')).getAttribute('data-colour'), plan.warning.colour)
      assert.ok(plan.warning.reasons.length > 0)
      await textOf(page.locator(dt('plan-warning-reasons')), plan.warning.reasons.join('；'))
      // 开工 shows its slip.
      await textOf(page.locator(dt('plan-target')).filter({ hasText: '开工' }), /推迟 \d+ 个工作日/)

      // Someone else changes the plan while it is being edited: said plainly, the page reloads.
      await page.locator(dt('plan-edit')).click()
      await page.locator(dt('plan-editor')).waitFor()
      await api.patch(`/api/v1/projects/${projectId}/plan/nodes/${byName(plan, '施工许可').id}`, { duration: 12, version: plan.version })
      await page.locator(dt('edit-save')).click()
      await page.locator('.el-message--error', { hasText: '节点计划已被他人修改，请刷新后重试' }).waitFor()
      await page.locator(dt('plan-editor')).waitFor({ state: 'detached' })
      await textOf(nodeRow(page, '施工许可').locator('td').nth(2), '12')
      plan = await api.get(`/api/v1/projects/${projectId}/plan`)

      // 填报进度: 土地摘牌/供地 started four months ago, finished yesterday — late.
      const land = byName(plan, '土地摘牌/供地')
      assert.ok(land.latest_finish < chinaDay(-1), `土地 must have been due before yesterday (${land.latest_finish})`)
      await nodeRow(page, '土地摘牌/供地').locator(dt('node-progress')).click()
      const form = dialog(page, 'progress-dialog')
      await form.waitFor()
      await typeDate(page, `${dt('progress-started')} input`, chinaDay(-120))
      await typeDate(page, `${dt('progress-finished')} input`, chinaDay(-1))
      await form.locator(dt('progress-note')).fill('土地摘牌延误，已完成供地')
      await form.locator(`${dt('progress-photos')} input[type=file]`).setInputFiles({ name: '供地现场.png', mimeType: 'image/png', buffer: png() })
      await form.locator('.el-upload-list__item.is-success').waitFor()
      await form.locator(dt('progress-submit')).click()
      await form.waitFor({ state: 'hidden' })
      await textOf(nodeRow(page, '土地摘牌/供地').locator(dt('node-actual-finish')), chinaDay(-1))
      await textOf(nodeRow(page, '土地摘牌/供地').locator(dt('node-status')), '已完成')
      plan = await api.get(`/api/v1/projects/${projectId}/plan`)
      assert.equal(byName(plan, '土地摘牌/供地').actual_finish, chinaDay(-1))
      assert.ok(['red', 'yellow'].includes(plan.warning.colour))
      await textOf(page.locator(dt('plan-warning-reasons')), plan.warning.reasons.join('；'))
      // A reason names a node late or a target slipping.
      assert.match(plan.warning.reasons.join(' '), /逾期|推迟|不足|已过/)

      // The history shows the entry with its photo, served by the API.
      await nodeRow(page, '土地摘牌/供地').locator(dt('node-progress')).click()
      await form.waitFor()
      const entry = form.locator(dt('progress-entry')).first()
      await textOf(entry, /土地摘牌延误，已完成供地/)
      const thumb = entry.locator(`${dt('progress-thumb')} img`)
      await thumb.waitFor()
      await page.waitForFunction((img) => img.complete && img.naturalWidth === 8, await thumb.elementHandle())
      await page.keyboard.press('Escape')
      await form.waitFor({ state: 'hidden' })

      // The Gantt: one forecast bar per task, diamonds for milestones, the
      // 倒排 bars where a target constrains, one actual bar, every link, the
      // critical rows, today, rest days.
      const gantt = page.locator(dt('plan-gantt'))
      await gantt.scrollIntoViewIfNeeded()
      const tasks = plan.nodes.filter((n) => !n.milestone)
      const count = (name) => gantt.locator(dt(name)).count()
      assert.equal(await count('gantt-bar-forecast'), tasks.length)
      assert.equal(await count('gantt-milestone'), plan.nodes.length - tasks.length)
      assert.equal(await count('gantt-bar-plan'), tasks.filter((n) => n.latest_start).length)
      assert.equal(await count('gantt-bar-actual'), 1)
      assert.equal(await count('gantt-link'), plan.links.length)
      const critical = plan.nodes.filter((n) => n.critical)
      assert.ok(critical.length > 0, 'the plan has a critical path')
      assert.equal(await count('gantt-critical-row'), critical.length)
      for (const n of critical) assert.equal(await gantt.locator(`${dt(`gantt-row-${n.id}`)}[data-critical="true"]`).count(), 1)
      assert.equal(await count('gantt-today'), 1)
      assert.ok((await count('gantt-rest-day')) > 0, 'weekends are shaded')
      // The calendar's holidays are shaded and its 调休上班 weekends marked
      // (the chart spans at least 100 days either side of today here).
      const calendar = await api.get(`/api/v1/calendar?from=${chinaDay(-100)}&to=${chinaDay(100)}`)
      const datesOf = (name, extra = '') => gantt.locator(`${dt(name)}${extra}`).evaluateAll((els) => els.map((e) => e.getAttribute('data-date')))
      const holidays = await datesOf('gantt-rest-day', '[data-holiday="true"]')
      const workdays = await datesOf('gantt-workday')
      for (const d of calendar.days) {
        const weekend = [0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay())
        if (d.kind === 'holiday') assert.ok(holidays.includes(d.date), `holiday ${d.date} shaded`)
        if (d.kind === 'workday' && weekend) assert.ok(workdays.includes(d.date), `调休上班 ${d.date} marked`)
      }

      // Drag the 开工 target marker ~3 weeks later (week zoom: 7 px a day).
      const startNode = byName(plan, '开工')
      const marker = gantt.locator(dt(`gantt-target-${startNode.id}`))
      await marker.scrollIntoViewIfNeeded()
      const box = await marker.boundingBox()
      const y = box.y + box.height / 2
      await page.mouse.move(box.x + box.width / 2, y)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width / 2 + 70, y, { steps: 5 })
      await page.mouse.move(box.x + box.width / 2 + 147, y, { steps: 5 })
      await page.mouse.up()
      await page.locator('.el-message--success', { hasText: '已将「开工」的目标日期设为' }).waitFor()
      const moved = await api.get(`/api/v1/projects/${projectId}/plan`)
      const newTarget = byName(moved, '开工').target
      assert.ok(newTarget > startNode.target, `dragged later: ${startNode.target} → ${newTarget}`)
      await textOf(nodeRow(page, '开工').locator(dt('node-target')), newTarget)

      // The refusals on the way: the plan asked for before it existed, the
      // blank name, the stale edit.
      const planPath = `/api/v1/projects/${projectId}/plan`
      assertNoErrors(errors, [ME_401, [404, planPath], [422, planPath], [409, planPath]])
    }))

  test('the 节点模板 page lists the templates by category, edits a duration, copies, sets the default and deletes', () =>
    withPage(browser, 'node-templates', async (page, errors) => {
      const api = await adminApi(page)
      const list = await api.get('/api/v1/node-templates')
      const industrial = list.items.find((x) => x.category === 'manufacturing' && x.is_default)

      await page.goto(`${baseUrl}/system`)
      await page.locator(dt('menu-nodeTemplates')).click()
      await page.waitForURL(`${baseUrl}/system/node-templates`)
      await textOf(page.locator(dt('page-title')), '节点模板')
      await rows(page, 'templates-table').first().waitFor()
      assert.equal(await rows(page, 'templates-table').count(), list.items.length)
      assert.equal(await page.locator(dt('template-default')).count(), list.items.filter((x) => x.is_default).length)

      const templateRow = (name) =>
        rows(page, 'templates-table').filter({ has: page.locator(dt('template-row-name'), { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) })
      const row = templateRow(industrial.name)
      await row.locator(dt('template-edit')).click()
      const form = dialog(page, 'template-dialog')
      await form.waitFor()
      const full = await api.get(`/api/v1/node-templates/${industrial.id}`)
      // The preview draws the network: a bar per task.
      assert.equal(await form.locator(`${dt('template-preview')} ${dt('gantt-bar-forecast')}`).count(), full.nodes.filter((n) => n.duration > 0).length)

      const i = full.nodes.findIndex((n) => n.key === 'permit')
      assert.ok(i >= 0, 'the 工业 template has 施工许可 (permit)')
      const duration = form.locator(`${dt('template-nodes')} .el-table__body-wrapper tr.el-table__row`).nth(i).locator(inputOf('template-node-duration'))
      await duration.fill(String(full.nodes[i].duration + 2))
      await duration.press('Tab')
      await form.locator(dt('template-submit')).click()
      await form.waitFor({ state: 'hidden' })
      await page.locator('.el-message--success', { hasText: industrial.name }).waitFor()
      const saved = await api.get(`/api/v1/node-templates/${industrial.id}`)
      assert.equal(saved.nodes[i].duration, full.nodes[i].duration + 2)
      assert.equal(saved.version, full.version + 1)

      // 复制: the copy is saved under its own name and made the 制造业
      // default; the original is made the default again and the copy deleted.
      const copyName = `${industrial.name}（副本）`
      await row.locator(dt('template-copy')).click()
      await form.waitFor()
      assert.equal(await form.locator(inputOf('template-name')).inputValue(), copyName)
      await form.locator(dt('template-submit')).click()
      await form.waitFor({ state: 'hidden' })
      const copyRow = templateRow(copyName)
      await copyRow.waitFor()
      await copyRow.locator(dt('template-set-default')).click()
      await copyRow.locator(dt('template-default')).waitFor()
      const defaults = async () =>
        (await api.get('/api/v1/node-templates?category=manufacturing')).items.filter((x) => x.is_default).map((x) => x.name)
      assert.deepEqual(await defaults(), [copyName])
      await row.locator(dt('template-set-default')).click()
      await row.locator(dt('template-default')).waitFor()
      assert.deepEqual(await defaults(), [industrial.name])
      await copyRow.locator(dt('template-delete')).click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await copyRow.waitFor({ state: 'detached' })
      assert.equal((await api.get('/api/v1/node-templates')).items.length, list.items.length)

      assertNoErrors(errors)
    }))
})
