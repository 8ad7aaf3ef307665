import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

const COLLAPSE_KEY = 'zb.menuCollapsed'

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(COLLAPSE_KEY) === '1'
  } catch {
    return false
  }
}

/** UI state of the shell: the side menu's collapsed state, remembered. */
export const useAppStore = defineStore('app', () => {
  const menuCollapsed = ref(readCollapsed())

  function toggleMenu(): void {
    menuCollapsed.value = !menuCollapsed.value
  }

  watch(menuCollapsed, (value) => {
    try {
      window.localStorage.setItem(COLLAPSE_KEY, value ? '1' : '0')
    } catch {
      // storage disabled
    }
  })

  return { menuCollapsed, toggleMenu }
})
