// The requests web/early.js started before the app's code arrived (GET
// /auth/me; on /nodes the chart's first screen), taken once by the code that
// would otherwise send them.

interface Early {
  at: number
  answers: Record<string, Promise<Response> | undefined>
}

declare global {
  interface Window {
    __zbEarly?: Early
  }
}

/** Not taken after this: the app asks again (it has been running a while). */
const FRESH_MS = 10_000

/** The response early.js started for exactly `url` (a path with its query), once; null if none. */
export function takeEarly(url: string): Promise<Response> | null {
  const early = window.__zbEarly
  const answer = early?.answers[url]
  if (!early || !answer) return null
  early.answers[url] = undefined
  return Date.now() - early.at < FRESH_MS ? answer : null
}
