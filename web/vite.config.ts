import { readFileSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * web/early.js into the build, run by index.html before the app's code: it
 * starts GET /auth/me and, on /nodes, the portfolio Gantt's first screen of
 * rows and loading the page's code (the files listed here: the page's chunk,
 * the first-screen module and every chunk and stylesheet they import), so
 * that the page can mount as soon as the app starts (bench/gantt_paint.mjs).
 */
function earlyRequests(): Plugin {
  return {
    name: 'zb-early-requests',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []))
      const byName = new Map(chunks.map((c) => [c.fileName, c]))
      const files = new Set<string>()
      const visit = (fileName: string) => {
        const chunk = byName.get(fileName)
        if (!chunk || files.has(fileName)) return
        files.add(fileName)
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css)
        for (const dep of chunk.imports) visit(dep)
      }
      for (const module of ['/src/views/gantt/PortfolioGanttPage.vue', '/src/views/gantt/firstScreen.ts']) {
        const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(module)) ?? chunks.find((c) => c.moduleIds.some((id) => id.endsWith(module)))
        if (!chunk) this.error(`earlyRequests: no chunk for ${module}`)
        visit(chunk.fileName)
      }
      const html = bundle['index.html']
      if (!html || html.type !== 'asset' || typeof html.source !== 'string') this.error('earlyRequests: no index.html')
      const index = html.source
      // Those index.html loads anyway (the app's entry and what it imports) are left out.
      const list = [...files].map((f) => `/${f}`).filter((f) => !index.includes(`"${f}"`))
      const source = readFileSync(fileURLToPath(new URL('./early.js', import.meta.url)), 'utf8').replace('__NODES_FILES__', JSON.stringify(list))
      const fileName = this.getFileName(this.emitFile({ type: 'asset', name: 'early.js', source }))
      // Async: it runs as soon as it has arrived, not after the stylesheet as a deferred script would.
      html.source = index.replace('<script type="module"', `<script async src="/${fileName}"></script>\n    <script type="module"`)
    },
  }
}

// The API server `npm run dev` proxies to: `zhuanban serve --listen 127.0.0.1:8080`.
const apiTarget = process.env.ZB_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue(), earlyRequests()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n bundler flags: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
    },
  },
  build: {
    // Served by the C++ binary from --web-root; hashed assets under dist/assets/.
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Element Plus and ECharts are large libraries; see README for sizes.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks, named so the bundle report reads plainly.
        // Element Plus has no chunk of its own: its components go with the
        // pages that import them, so a page loads only its own (the
        // portfolio Gantt's first paint ~0.1 s sooner than with one 622 KB
        // chunk evaluated before any page).
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/, priority: 3 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
})
