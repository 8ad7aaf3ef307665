/**
 * Runs `fn` once the main thread is idle, `timeout` ms later at the latest:
 * for what a page's first paint need not wait for (the header's server
 * version and unread count as the shell mounts).
 */
export function whenIdle(fn: () => void, timeout = 2000): void {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(() => fn(), { timeout })
  else setTimeout(fn, 1)
}
