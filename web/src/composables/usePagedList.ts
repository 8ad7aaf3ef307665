// One paged server list (a page of `items` and the `total`), as the
// management pages show them with <ElPagination>: load, search from page 1,
// page and page-size changes. When answers overtake each other, only the
// newest request's answer is shown.
import { ref, type Ref } from 'vue'
import { useApiError } from './useApiError'

export interface PageOf<T> {
  items: T[]
  total: number
}

export function usePagedList<T>(fetch: (page: number, pageSize: number) => Promise<PageOf<T>>, pageSizeDefault = 20) {
  const { messageOf } = useApiError()
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(pageSizeDefault)
  const loading = ref(false)
  /** The server's message when the last load failed (shown in the empty table). */
  const loadError = ref('')
  let latest = 0

  async function load(): Promise<void> {
    const mine = ++latest
    loading.value = true
    loadError.value = ''
    try {
      const answer = await fetch(page.value, pageSize.value)
      if (mine !== latest) return
      items.value = answer.items
      total.value = answer.total
    } catch (e) {
      if (mine !== latest) return
      items.value = []
      total.value = 0
      loadError.value = messageOf(e)
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  /** From the first page, e.g. after the filters changed. */
  function search(): Promise<void> {
    page.value = 1
    return load()
  }

  function onPage(p: number): Promise<void> {
    page.value = p
    return load()
  }

  function onPageSize(size: number): Promise<void> {
    pageSize.value = size
    page.value = 1
    return load()
  }

  return { items, total, page, pageSize, loading, loadError, load, search, onPage, onPageSize }
}
