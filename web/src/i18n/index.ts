import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import zhCN from './locales/zh-CN'
import en from './locales/en'
import type { Messages } from './messages'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

/** localStorage key holding the user's chosen UI language. */
export const LOCALE_STORAGE_KEY = 'zb.locale'

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(LOCALE_STORAGE_KEY)
    return isLocale(value) ? value : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE // storage disabled: stay on the default
  }
}

/**
 * Plain messages (no `{}` placeholder, `@` link or `|` plural) as message
 * functions returning their text: vue-i18n would otherwise run its message
 * compiler on each one the first time it is shown — a few hundred of them as
 * the shell and a page mount, on the way to the first paint (the portfolio
 * Gantt's, bench/gantt_paint.mjs). Messages with syntax stay strings and are
 * compiled as before.
 */
function plainAsFunctions<T>(messages: T): T {
  const one = (value: unknown): unknown =>
    typeof value === 'string'
      ? /[{}@|%]/.test(value)
        ? value
        : () => value
      : Array.isArray(value)
        ? value.map(one)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v)]))
          : value
  return one(messages) as T
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': plainAsFunctions(zhCN), en: plainAsFunctions(en) },
})

const elementLocales = { 'zh-CN': elZhCn, en: elEn } as const

/** Element Plus' own strings (pagination, date pickers…) follow the UI language. */
export const elementLocale = computed(() => elementLocales[i18n.global.locale.value])

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/** Switches the UI language and remembers the choice for the next visit. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

document.documentElement.lang = i18n.global.locale.value
