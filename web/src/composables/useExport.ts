// An 导出 Excel button: busy while the file downloads, a toast when it is
// saved, the server's message (e.g. "too many rows, narrow the filter") when not.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { useApiError } from './useApiError'

export function useExport(download: () => Promise<unknown>, savedMessage: () => string) {
  const { report } = useApiError()
  const exporting = ref(false)

  async function exportExcel(): Promise<void> {
    exporting.value = true
    try {
      await download()
      ElMessage.success(savedMessage())
    } catch (e) {
      report(e)
    } finally {
      exporting.value = false
    }
  }

  return { exporting, exportExcel }
}
