// How a page tells the user what the server refused: the message on the form
// field the server names (ApiError.field), a plain "changed by someone else,
// refresh" for a stale version, a toast for everything else.
import { reactive, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { isApiError } from '@/api/http'

export interface ReportOptions {
  /** Form fields that can show a server message under themselves. */
  fields?: readonly string[]
  /** What to say for a 409 version_conflict (the page's own wording). */
  stale?: string
}

export function useApiError() {
  const { t } = useI18n()
  /** Server messages by field name, for `<ElFormItem :error="fieldErrors.x">`. */
  const fieldErrors = reactive<Record<string, string>>({})

  /** The server's message, or the network notice when no answer came. */
  function messageOf(e: unknown): string {
    if (isApiError(e) && e.code !== 'network_error' && e.code !== 'bad_response') return e.message
    return t('login.networkError')
  }

  function clearFieldErrors(): void {
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key]
  }

  /** Drops a field's server message as soon as the user edits that field of `form`. */
  function clearOnEdit(form: object): void {
    const snapshot = () => JSON.parse(JSON.stringify(form)) as Record<string, unknown>
    watch(snapshot, (now, before) => {
      for (const key of Object.keys(now)) {
        if (JSON.stringify(now[key]) !== JSON.stringify(before[key])) delete fieldErrors[key]
      }
    })
  }

  /**
   * Shows `e` where it belongs. Returns true when it was a stale version (the
   * caller usually reloads). A 401 needs nothing: the router already went to
   * the login page.
   */
  function report(e: unknown, options: ReportOptions = {}): boolean {
    if (isApiError(e) && e.status === 401) return false
    if (isApiError(e) && e.is('version_conflict')) {
      ElMessage.error(options.stale ?? e.message)
      return true
    }
    if (isApiError(e) && e.field && options.fields?.includes(e.field)) {
      fieldErrors[e.field] = e.message
      return false
    }
    ElMessage.error(messageOf(e))
    return false
  }

  return { fieldErrors, messageOf, clearFieldErrors, clearOnEdit, report }
}
