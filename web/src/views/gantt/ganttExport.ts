// The portfolio Gantt on paper and as a picture, for the weekly meeting:
// 导出 PNG draws the chosen lines with the left columns over the whole time
// range in bands and streams them into one PNG (pngStream.ts), however many
// rows; 打印 draws one image per page (the scale repeated on each), puts them
// in a print-only container and calls window.print() with a landscape page.
import { drawChart, type ChartCalendar, type LeftText, type ScaleLabels } from './ganttDraw'
import { HEADER_H, LEFT_W, ROW_H, type Line, type Zoom } from './ganttModel'
import { encodePng } from './pngStream'

export interface ExportInput {
  lines: readonly Line[]
  calendar: ChartCalendar
  from: number
  to: number
  /** The zoom on screen: the export keeps it unless the picture would be too wide. */
  zoom: Zoom
  labels: ScaleLabels
  left: LeftText
  /** The first line of the picture, e.g. "挂图作战 · 2026-11-24 · 在建 · 红". */
  title: string
}

const TITLE_H = 40
const BAND_H = 1024

/** The scale: as on screen when it fits `maxWidth`, squeezed (and a coarser zoom) when not. */
function scale(input: ExportInput, ppdOnScreen: number, maxWidth: number): { ppd: number; zoom: Zoom; width: number } {
  const days = input.to - input.from + 1
  const ppd = Math.min(ppdOnScreen, maxWidth / days)
  const zoom: Zoom = ppd >= 12 ? 'week' : ppd >= 2.5 ? (input.zoom === 'quarter' ? 'quarter' : 'month') : 'quarter'
  return { ppd, zoom, width: Math.ceil(LEFT_W + days * ppd) }
}

function draw(
  ctx: CanvasRenderingContext2D,
  input: ExportInput,
  s: { ppd: number; zoom: Zoom; width: number },
  height: number,
  scrollTop: number,
  headerH: number,
): void {
  drawChart(
    ctx,
    { width: s.width, height, lines: input.lines, scrollTop, dayStart: input.from, left: LEFT_W, ppd: s.ppd, zoom: s.zoom, headerH, hover: -1 },
    input.calendar,
    input.labels,
    input.left,
  )
}

function drawTitle(ctx: CanvasRenderingContext2D, title: string, width: number): void {
  ctx.fillStyle = '#fff'
  ctx.fillRect(0, 0, width, TITLE_H)
  ctx.fillStyle = '#303133'
  ctx.font = '600 16px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'left'
  ctx.fillText(title, 12, TITLE_H / 2)
}

/** The whole picture as a PNG blob; `progress` gets 0…1. */
export async function chartPng(input: ExportInput, ppdOnScreen: number, progress?: (done: number) => void): Promise<Blob> {
  const s = scale(input, ppdOnScreen, 6000)
  const height = TITLE_H + HEADER_H + input.lines.length * ROW_H
  const band = document.createElement('canvas')
  band.width = s.width
  band.height = Math.min(BAND_H, height)
  const ctx = band.getContext('2d', { willReadFrequently: true })!
  const top = TITLE_H + HEADER_H
  return encodePng(
    s.width,
    height,
    BAND_H,
    async (y, h) => {
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      ctx.clearRect(0, 0, band.width, band.height)
      if (y < top) {
        // The title and the scale are in this band: draw from the top, shifted up by y.
        ctx.setTransform(1, 0, 0, 1, 0, -y)
        drawTitle(ctx, input.title, s.width)
        ctx.setTransform(1, 0, 0, 1, 0, TITLE_H - y)
        draw(ctx, input, s, y + h - TITLE_H, 0, HEADER_H)
      } else {
        draw(ctx, input, s, h, y - top, 0)
      }
      // Let the page breathe between bands (the progress shows).
      await new Promise((r) => setTimeout(r, 0))
      return ctx.getImageData(0, 0, s.width, h)
    },
    (rows) => progress?.(rows / height),
  )
}

/** Saves a blob under `name` through a link click. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

// ---- print ---------------------------------------------------------------------------------

/** Lines per printed A4 landscape page at the printed scale. */
const LINES_PER_PAGE = 30
/** Wide enough to read once the page shrinks it to ~1050 CSS px. */
const PRINT_MAX_WIDTH = 1650

const PRINT_CSS = `
@page { size: A4 landscape; margin: 8mm; }
@media screen { .zb-gantt-print { display: none; } }
@media print {
  body > *:not(.zb-gantt-print) { display: none !important; }
  html, body { height: auto !important; overflow: visible !important; background: #fff !important; }
  .zb-gantt-print { display: block; }
  .zb-gantt-print h1 { margin: 0 0 4mm; font-size: 14pt; }
  .zb-gantt-print figure { margin: 0; break-inside: avoid; }
  .zb-gantt-print figure + figure { break-before: page; }
  .zb-gantt-print img { display: block; width: 100%; }
}`

/**
 * Draws the pages, then opens the browser's print dialog (print or save as
 * PDF). The page images are dropped after printing. Resolves once the dialog
 * is open (or done, where print() blocks).
 */
export async function printChart(input: ExportInput, ppdOnScreen: number, progress?: (done: number) => void): Promise<void> {
  const s = scale(input, ppdOnScreen, PRINT_MAX_WIDTH)
  const dpr = 2 // crisp on paper
  const pages = Math.max(1, Math.ceil(input.lines.length / LINES_PER_PAGE))
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d')!
  const urls: string[] = []
  const container = document.createElement('div')
  container.className = 'zb-gantt-print'
  container.dataset.test = 'gantt-print-pages'
  const h1 = document.createElement('h1')
  h1.textContent = input.title
  container.appendChild(h1)
  for (let p = 0; p < pages; p++) {
    const count = Math.min(LINES_PER_PAGE, input.lines.length - p * LINES_PER_PAGE)
    const height = HEADER_H + Math.max(count, 0) * ROW_H
    canvas.width = s.width * dpr
    canvas.height = height * dpr
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    draw(ctx, input, s, height, p * LINES_PER_PAGE * ROW_H, HEADER_H)
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'))
    if (!blob) throw new Error('canvas.toBlob failed')
    const url = URL.createObjectURL(blob)
    urls.push(url)
    const figure = document.createElement('figure')
    const img = document.createElement('img')
    img.src = url
    img.alt = `${input.title} (${p + 1}/${pages})`
    figure.appendChild(img)
    container.appendChild(figure)
    progress?.((p + 1) / pages)
  }
  const style = document.createElement('style')
  style.textContent = PRINT_CSS
  document.head.appendChild(style)
  document.body.appendChild(container)
  await Promise.all([...container.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)))

  const cleanUp = () => {
    container.remove()
    style.remove()
    for (const url of urls) URL.revokeObjectURL(url)
  }
  window.addEventListener('afterprint', cleanUp, { once: true })
  window.print()
}
