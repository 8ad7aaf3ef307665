import type zhCN from './locales/zh-CN'

/** The message schema: zh-CN is the source; every other locale must match it. */
export type Messages = typeof zhCN
