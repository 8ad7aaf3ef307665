import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus: components are imported where used (tree-shaken); the
// stylesheet is loaded whole (~350 kB raw, ~45 kB gzip) so every component is styled.
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { setUpRouter } from './router'

const app = createApp(App).use(createPinia()).use(i18n)
// The router's guard uses the auth store, so Pinia comes first; the first
// navigation waits for GET /auth/me.
app.use(setUpRouter()).mount('#app')
