// Started as index.html is parsed, before the app's code has arrived (a
// classic async script; vite.config.ts `earlyRequests` copies it into the
// build with the portfolio Gantt's file list): GET /auth/me, which every
// page waits for, and on /nodes the chart's first screen of rows and the
// page's code. The app takes these answers (src/api/earlyRequests.ts) instead of
// asking again; without this file (npm run dev) it simply asks itself.
;(function () {
  var early = { at: Date.now(), answers: {} }
  function ask(url) {
    early.answers[url] = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    early.answers[url].catch(function () {}) // taken, or not, by the app
  }
  ask('/api/v1/auth/me')
  if (location.pathname === '/nodes') {
    // The query the chart asks for first with its filters as they start (src/views/gantt/firstScreen.ts).
    ask('/api/v1/gantt?group=unit&limit=60')
    var files = __NODES_FILES__
    for (var i = 0; i < files.length; i++) {
      var link = document.createElement('link')
      var css = /\.css$/.test(files[i])
      link.rel = css ? 'stylesheet' : 'modulepreload'
      if (!css) link.crossOrigin = ''
      link.href = files[i]
      document.head.appendChild(link)
    }
  }
  window.__zbEarly = early
})()
