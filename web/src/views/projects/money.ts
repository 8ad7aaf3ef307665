// Money on the project pages. The API carries integer yuan; people type and
// read 万元 (tables), totals in 亿元. Typed amounts are converted from the
// decimal string itself — never through a float — so "12345.6789" 万元 is
// exactly 123456789 yuan.

const YUAN_PER_WAN = 10_000
const YUAN_PER_YI = 100_000_000

/** At most four decimals of 万元 (one yuan). */
const WAN_PATTERN = /^(\d{1,12})(?:\.(\d{0,4}))?$/

/**
 * "1,234.5" 万元 → 12345000 yuan; '' → null; not a non-negative amount with
 * at most four decimals → undefined (the caller names the field).
 */
export function wanToYuan(text: string): number | null | undefined {
  const s = text.replace(/[,，\s]/g, '')
  if (s === '') return null
  const m = WAN_PATTERN.exec(s)
  if (!m) return undefined
  const whole = Number(m[1])
  const fraction = Number((m[2] ?? '').padEnd(4, '0'))
  return whole * YUAN_PER_WAN + fraction
}

/** yuan → the exact 万元 string for an input ("12345.6789", "500", "0.5"). */
export function yuanToWanText(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return ''
  const whole = Math.floor(yuan / YUAN_PER_WAN)
  const fraction = String(yuan % YUAN_PER_WAN).padStart(4, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : String(whole)
}

const wanFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** yuan → "1,234.50" (万元, two decimals for reading). */
export function formatWan(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return ''
  return wanFormat.format(yuan / YUAN_PER_WAN)
}

/** yuan → "12.35" (亿元, two decimals). */
export function formatYi(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return ''
  return wanFormat.format(yuan / YUAN_PER_YI)
}
