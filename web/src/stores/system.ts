import { defineStore } from 'pinia'
import { ref } from 'vue'
import { getSystemInfo, type SystemInfo } from '@/api/system'

/** What the server says about itself; `null` until known or if it failed. */
export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | null>(null)
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= getSystemInfo()
      .then((value) => {
        info.value = value && typeof value.version === 'string' ? value : null
      })
      .catch(() => {
        info.value = null // the header then simply shows nothing
      })
    return loading
  }

  return { info, load }
})
