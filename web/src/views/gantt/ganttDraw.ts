// Draws the portfolio Gantt's timeline on a 2D canvas: the scale, weekends
// and holidays shaded, the today line, and per project its plan bar, the slip
// to its forecast finish and its key nodes. The page draws only the lines on
// screen (the left columns are DOM there); the PNG export and the print draw
// slices of every line, with the left columns as canvas text.
import { N, R, type GanttRow, type WarningColour } from '@/api/gantt'
import { dayNum, LEFT_COLS, LEFT_W, monthStart, ROW_H, weekday, ymd, type Line, type Zoom } from './ganttModel'

export const COLOURS: Record<WarningColour | 'none', { main: string; light: string }> = {
  red: { main: '#f56c6c', light: '#fcd3d3' },
  yellow: { main: '#e6a23c', light: '#f8e3c5' },
  green: { main: '#67c23a', light: '#d1edc4' },
  none: { main: '#909399', light: '#e4e7ed' },
}

export function colourOf(colour: string | null | undefined): { main: string; light: string } {
  return colour === 'red' || colour === 'yellow' || colour === 'green' ? COLOURS[colour] : COLOURS.none
}

const INK = '#303133'
const TEXT = '#606266'
const GRID = '#ebeef5'
const GRID_STRONG = '#dcdfe6'
const WEEKEND = '#f4f5f8'
const HOLIDAY = '#fdeeee'
const GROUP_BG = '#eef3fa'
const HOVER_BG = '#ecf5ff'
const TODAY = '#e04343'
const FONT = '12px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'

export interface ChartCalendar {
  today: number
  overrides: ReadonlyMap<number, 'holiday' | 'workday'>
}

/** Scale labels in the UI language. */
export interface ScaleLabels {
  year: (y: number) => string
  month: (y: number, m: number) => string
  monthShort: (m: number) => string
  quarter: (q: number) => string
}

/** What the left columns say, for the export (the page shows them as DOM). */
export interface LeftText {
  titles: readonly string[]
  group: (line: Line) => string
}

export interface ChartView {
  /** CSS pixels of the drawing. */
  width: number
  height: number
  lines: readonly Line[]
  /** Pixels scrolled into the lines: line i's top is headerH + i·ROW_H − scrollTop. */
  scrollTop: number
  /** The day (may be fractional) at x = left. */
  dayStart: number
  /** Where the timeline starts: 0 on the page, LEFT_W with the left columns drawn. */
  left: number
  ppd: number
  zoom: Zoom
  /** 0 to draw no scale (a slice continuing the one above). */
  headerH: number
  /** Hovered line, −1 for none. */
  hover: number
}

/** x of the start of a day. */
const xOf = (v: ChartView, day: number) => v.left + (day - v.dayStart) * v.ppd

function isRestDay(cal: ChartCalendar, day: number): boolean {
  const o = cal.overrides.get(day)
  if (o) return o === 'holiday'
  const w = weekday(day)
  return w === 0 || w === 6
}

/** The lines at least partly in view: [first, end). */
export function visibleRange(v: ChartView): [number, number] {
  const first = Math.max(0, Math.floor(v.scrollTop / ROW_H))
  const end = Math.min(v.lines.length, Math.ceil((v.scrollTop + v.height - v.headerH) / ROW_H))
  return [first, Math.max(first, end)]
}

/** Period boundaries of a zoom's lower tier in [from, to]: [day, label] pairs. */
function periods(zoom: Zoom, from: number, to: number, labels: ScaleLabels): { day: number; label: string; major: boolean }[] {
  const out: { day: number; label: string; major: boolean }[] = []
  if (zoom === 'week') {
    for (let d = Math.floor(from); d <= to; d++) {
      const { d: dom } = ymd(d)
      out.push({ day: d, label: String(dom), major: dom === 1 })
    }
    return out
  }
  const step = zoom === 'month' ? 1 : 3
  const start = ymd(Math.floor(from))
  let m = zoom === 'month' ? start.m : start.m - ((start.m - 1) % 3)
  let y = start.y
  for (;;) {
    const day = monthStart(y, m)
    if (day > to) break
    const mm = ((m - 1) % 12) + 1
    const label = zoom === 'month' ? labels.monthShort(mm) : labels.quarter((mm - 1) / 3 + 1)
    out.push({ day, label, major: mm === 1 })
    m += step
    if (m > 12) {
      m -= 12
      y++
    }
  }
  return out
}

/** Upper tier: months (周) or years (月, 季). */
function upperPeriods(zoom: Zoom, from: number, to: number, labels: ScaleLabels): { day: number; label: string }[] {
  const out: { day: number; label: string }[] = []
  const start = ymd(Math.floor(from))
  if (zoom === 'week') {
    for (let y = start.y, m = start.m; ; m++) {
      if (m > 12) {
        m = 1
        y++
      }
      const day = monthStart(y, m)
      if (day > to) break
      out.push({ day, label: labels.month(y, m) })
    }
  } else {
    for (let y = start.y; ; y++) {
      const day = monthStart(y, 1)
      if (day > to) break
      out.push({ day, label: labels.year(y) })
    }
  }
  return out
}

function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath()
  ctx.moveTo(x, y - r)
  ctx.lineTo(x + r, y)
  ctx.lineTo(x, y + r)
  ctx.lineTo(x - r, y)
  ctx.closePath()
}

/** Text cut to `max` pixels with an ellipsis. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text
  let lo = 0
  let hi = text.length
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (ctx.measureText(text.slice(0, mid) + '…').width <= max) lo = mid
    else hi = mid - 1
  }
  return text.slice(0, lo) + '…'
}

/** One project's bars and markers, centred on y. */
function drawRow(ctx: CanvasRenderingContext2D, v: ChartView, row: GanttRow, y: number, minX: number, maxX: number): void {
  const c = colourOf(row[R.colour])
  const start = dayNum(row[R.planStart])
  const finish = dayNum(row[R.planFinish])
  const forecast = dayNum(row[R.forecastFinish])
  const clip = (x: number) => Math.min(maxX + 2, Math.max(minX - 2, x))

  // Plan bar (计划开始 → 计划完成).
  if (!Number.isNaN(start) && !Number.isNaN(finish) && finish >= start) {
    const x0 = clip(xOf(v, start))
    const x1 = clip(xOf(v, finish + 1))
    if (x1 > minX && x0 < maxX) {
      ctx.fillStyle = c.light
      ctx.fillRect(x0, y - 5, x1 - x0, 10)
      ctx.strokeStyle = c.main
      ctx.lineWidth = 1
      ctx.strokeRect(x0 + 0.5, y - 4.5, Math.max(0, x1 - x0 - 1), 9)
    }
  }
  // The forecast finish: the slip past the plan as a solid run, then a tick.
  if (!Number.isNaN(forecast)) {
    const xf = xOf(v, forecast + 1)
    if (!Number.isNaN(finish) && forecast > finish) {
      const x0 = clip(xOf(v, finish + 1))
      const x1 = clip(xf)
      if (x1 > minX && x0 < maxX) {
        ctx.fillStyle = c.main
        ctx.globalAlpha = 0.55
        ctx.fillRect(x0, y - 3, x1 - x0, 6)
        ctx.globalAlpha = 1
      }
    }
    if (xf >= minX && xf <= maxX) {
      ctx.fillStyle = c.main
      ctx.fillRect(Math.round(xf) - 1, y - 8, 2, 16)
    }
  }
  // Key nodes: done → dark at the actual date; otherwise a hollow marker at
  // the latest (倒排) date and a diamond in the node's colour at the forecast,
  // joined by a red line when the forecast is past the latest.
  for (const node of row[R.nodes]) {
    const actual = dayNum(node[N.actual])
    if (!Number.isNaN(actual)) {
      const x = xOf(v, actual + 0.5)
      if (x < minX - 6 || x > maxX + 6) continue
      diamond(ctx, x, y, 5)
      ctx.fillStyle = INK
      ctx.fill()
      continue
    }
    const latest = dayNum(node[N.latest])
    const fc = dayNum(node[N.forecast])
    const xl = xOf(v, latest + 0.5)
    const xc = xOf(v, fc + 0.5)
    if (!Number.isNaN(latest) && !Number.isNaN(fc) && fc > latest && Math.max(xl, xc) > minX && Math.min(xl, xc) < maxX) {
      ctx.strokeStyle = COLOURS.red.main
      ctx.lineWidth = 1
      ctx.beginPath()
      ctx.moveTo(clip(xl), y + 0.5)
      ctx.lineTo(clip(xc), y + 0.5)
      ctx.stroke()
    }
    if (!Number.isNaN(latest) && xl >= minX - 6 && xl <= maxX + 6) {
      diamond(ctx, xl, y, 5)
      ctx.fillStyle = '#fff'
      ctx.fill()
      ctx.strokeStyle = TEXT
      ctx.lineWidth = 1.2
      ctx.stroke()
    }
    if (!Number.isNaN(fc) && xc >= minX - 6 && xc <= maxX + 6) {
      diamond(ctx, xc, y, 5)
      ctx.fillStyle = colourOf(node[N.colour]).main
      ctx.fill()
    }
  }
}

/**
 * Draws the view into ctx (already scaled to CSS pixels). With `left` > 0
 * the left columns are drawn too, from `leftText`.
 */
export function drawChart(
  ctx: CanvasRenderingContext2D,
  v: ChartView,
  cal: ChartCalendar,
  labels: ScaleLabels,
  leftText?: LeftText,
): void {
  const { width, height, headerH } = v
  const minX = v.left
  const maxX = width
  const dayEnd = v.dayStart + (maxX - minX) / v.ppd
  ctx.save()
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, width, height)
  ctx.font = FONT
  ctx.textBaseline = 'middle'

  ctx.save()
  ctx.beginPath()
  ctx.rect(minX, headerH, maxX - minX, height - headerH)
  ctx.clip()

  // Weekends (at the 周 zoom, where a day is wide enough to read) and holidays.
  const firstDay = Math.floor(v.dayStart)
  for (let d = firstDay; d <= dayEnd; d++) {
    const o = cal.overrides.get(d)
    const rest = v.ppd >= 10 ? isRestDay(cal, d) : o === 'holiday'
    if (!rest) continue
    ctx.fillStyle = o === 'holiday' ? HOLIDAY : WEEKEND
    ctx.fillRect(xOf(v, d), headerH, Math.max(1, v.ppd), height - headerH)
  }

  // Line bands: group headers, the hovered row, the row separators.
  const [first, end] = visibleRange(v)
  for (let i = first; i < end; i++) {
    const top = headerH + i * ROW_H - v.scrollTop
    const line = v.lines[i]!
    if (!line.row) {
      ctx.fillStyle = GROUP_BG
      ctx.fillRect(0, top, width, ROW_H)
    } else if (i === v.hover) {
      ctx.fillStyle = HOVER_BG
      ctx.fillRect(0, top, width, ROW_H)
    }
    ctx.fillStyle = GRID
    ctx.fillRect(0, top + ROW_H - 1, width, 1)
  }

  // Period lines.
  for (const p of periods(v.zoom, v.dayStart, dayEnd, labels)) {
    if (v.zoom === 'week' && !p.major && weekday(p.day) !== 1) continue
    ctx.fillStyle = p.major ? GRID_STRONG : GRID
    ctx.fillRect(Math.round(xOf(v, p.day)), headerH, 1, height - headerH)
  }

  // Today.
  const xt = Math.round(xOf(v, cal.today + 0.5))
  if (xt >= minX && xt <= maxX) {
    ctx.fillStyle = TODAY
    ctx.fillRect(xt, headerH, 1.5, height - headerH)
  }

  for (let i = first; i < end; i++) {
    const line = v.lines[i]!
    if (line.row) drawRow(ctx, v, line.row, headerH + i * ROW_H - v.scrollTop + ROW_H / 2, minX, maxX)
  }
  ctx.restore()

  if (headerH > 0) drawScale(ctx, v, cal, labels, dayEnd)
  if (v.left > 0 && leftText) drawLeft(ctx, v, leftText, first, end)
  ctx.restore()
}

function drawScale(ctx: CanvasRenderingContext2D, v: ChartView, cal: ChartCalendar, labels: ScaleLabels, dayEnd: number): void {
  const { width, headerH } = v
  const minX = v.left
  const mid = headerH / 2
  ctx.save()
  ctx.beginPath()
  ctx.rect(minX, 0, width - minX, headerH)
  ctx.clip()
  ctx.fillStyle = '#f5f7fa'
  ctx.fillRect(minX, 0, width - minX, headerH)
  ctx.textAlign = 'left'

  // Upper tier: its label stays in view while its period is.
  const upper = upperPeriods(v.zoom, v.dayStart, dayEnd, labels)
  for (let i = 0; i < upper.length; i++) {
    const x0 = xOf(v, upper[i]!.day)
    const x1 = i + 1 < upper.length ? xOf(v, upper[i + 1]!.day) : width
    ctx.fillStyle = GRID_STRONG
    ctx.fillRect(Math.round(x0), 0, 1, headerH)
    ctx.fillStyle = INK
    const label = upper[i]!.label
    const w = ctx.measureText(label).width
    const x = Math.min(Math.max(x0, minX) + 6, x1 - w - 6)
    if (x1 - x0 > w + 8) ctx.fillText(label, x, mid / 2 + 1)
  }

  // Lower tier: days, months or quarters.
  const lower = periods(v.zoom, v.dayStart, dayEnd, labels)
  ctx.textAlign = 'center'
  for (let i = 0; i < lower.length; i++) {
    const p = lower[i]!
    const x0 = xOf(v, p.day)
    const x1 = i + 1 < lower.length ? xOf(v, lower[i + 1]!.day) : v.zoom === 'week' ? x0 + v.ppd : width
    let ink = TEXT
    if (v.zoom === 'week') {
      const o = cal.overrides.get(p.day)
      const rest = isRestDay(cal, p.day)
      if (rest) {
        ctx.fillStyle = o === 'holiday' ? HOLIDAY : '#eceef2'
        ctx.fillRect(x0, mid, v.ppd, mid)
      }
      ink = o === 'holiday' ? COLOURS.red.main : o === 'workday' ? '#409eff' : rest ? '#a8abb2' : TEXT
    }
    ctx.fillStyle = GRID_STRONG
    ctx.fillRect(Math.round(x0), mid, 1, mid)
    ctx.fillStyle = ink
    if (x1 - x0 >= ctx.measureText(p.label).width + 2) ctx.fillText(p.label, (x0 + x1) / 2, mid + mid / 2 + 1)
  }
  ctx.fillStyle = GRID_STRONG
  ctx.fillRect(minX, mid, width - minX, 1)
  ctx.fillRect(minX, headerH - 1, width - minX, 1)

  const xt = xOf(v, cal.today + 0.5)
  if (xt >= minX && xt <= width) {
    ctx.fillStyle = TODAY
    diamond(ctx, xt, headerH - 5, 4)
    ctx.fill()
  }
  ctx.restore()
}

/** The left columns as canvas text (export and print). */
function drawLeft(ctx: CanvasRenderingContext2D, v: ChartView, text: LeftText, first: number, end: number): void {
  const { headerH } = v
  ctx.save()
  ctx.beginPath()
  ctx.rect(0, 0, LEFT_W, v.height)
  ctx.clip()
  ctx.textAlign = 'left'
  if (headerH > 0) {
    ctx.fillStyle = '#f5f7fa'
    ctx.fillRect(0, 0, LEFT_W, headerH)
    ctx.fillStyle = INK
    ctx.font = `600 ${FONT}`
    let x = 0
    LEFT_COLS.forEach((col, i) => {
      ctx.fillText(text.titles[i] ?? '', x + 8, headerH / 2)
      x += col.width
    })
    ctx.font = FONT
    ctx.fillStyle = GRID_STRONG
    ctx.fillRect(0, headerH - 1, LEFT_W, 1)
  }
  for (let i = first; i < end; i++) {
    const line = v.lines[i]!
    const top = headerH + i * ROW_H - v.scrollTop
    const y = top + ROW_H / 2
    ctx.fillStyle = line.row ? '#fff' : GROUP_BG
    ctx.fillRect(0, top, LEFT_W, ROW_H)
    ctx.fillStyle = GRID
    ctx.fillRect(0, top + ROW_H - 1, LEFT_W, 1)
    if (!line.row) {
      ctx.fillStyle = INK
      ctx.font = `600 ${FONT}`
      ctx.fillText(fitText(ctx, text.group(line), LEFT_W - 16), 8, y)
      ctx.font = FONT
      continue
    }
    const row = line.row
    ctx.fillStyle = colourOf(row[R.colour]).main
    ctx.beginPath()
    ctx.arc(14, y, 4, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = INK
    let x = 0
    const cells = [row[R.name], row[R.unit], row[R.level]]
    LEFT_COLS.forEach((col, c) => {
      const pad = c === 0 ? 24 : 8
      ctx.fillText(fitText(ctx, cells[c] ?? '', col.width - pad - 6), x + pad, y)
      x += col.width
    })
  }
  ctx.fillStyle = GRID_STRONG
  ctx.fillRect(LEFT_W - 1, 0, 1, v.height)
  ctx.restore()
}

/** The node of `row` nearest x (within 6 px), for the tooltip. */
export function nodeAt(v: ChartView, row: GanttRow, x: number): number {
  let best = -1
  let bestDist = 7
  row[R.nodes].forEach((node, i) => {
    for (const date of [node[N.actual], node[N.forecast], node[N.latest]]) {
      const d = dayNum(date)
      if (Number.isNaN(d)) continue
      const dist = Math.abs(xOf(v, d + 0.5) - x)
      if (dist < bestDist) {
        bestDist = dist
        best = i
      }
    }
  })
  return best
}
