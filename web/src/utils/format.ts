// Display formats shared by the pages.

/**
 * "2026-03-01T09:30:00+08:00" → "2026-03-01 09:30". The server sends China
 * time with its offset, which is what the users mean by a time, so the
 * string is cut rather than converted to the browser's zone.
 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value)
  return m ? `${m[1]} ${m[2]}` : value
}
