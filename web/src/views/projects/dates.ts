// Dates on the project pages are China calendar days ("YYYY-MM-DD"), as the
// server keeps them, whatever the browser's time zone.

const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Today in China, "YYYY-MM-DD". */
export function chinaToday(): string {
  return chinaDay.format(new Date())
}

/** This year in China. */
export function chinaYear(): number {
  return Number(chinaToday().slice(0, 4))
}

/** For date pickers: a day after today in China cannot be chosen. */
export function isAfterToday(day: Date): boolean {
  const d = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`
  return d > chinaToday()
}
