#!/usr/bin/env node
// End-to-end runner. For EACH test file: `zhuanban init` a fresh SQLite
// database (reading the admin's one-time password from its output), start
// `zhuanban serve` on it on a free loopback port with the built web app, wait
// for /healthz, run the file with node's test runner in Debian's Chromium
// (driven by playwright-core from web/node_modules), stop the server. Every
// file thus starts from a brand-new admin who must change the password, and
// no file depends on another having run before it.
//
//   ZB_BINARY=build/zhuanban ZB_WEB_ROOT=web/dist node tests/e2e/run.mjs [file.test.mjs…]
//
// Optional: ZB_CHROMIUM (default /usr/bin/chromium), ZB_E2E_KEEP=1 keeps the
// temp dir (database, server log). Missing Chromium or playwright-core is a
// failure, never a skip.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '../..')
const HEALTH_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000

function fail(message) {
  console.error(`e2e: ${message}`)
  process.exit(1)
}

function requireEnv(name) {
  const value = process.env[name]
  if (!value) fail(`${name} is not set (see the header of tests/e2e/run.mjs)`)
  return path.resolve(value)
}

// ---- preconditions: fail loudly, never skip ---------------------------------

const binary = requireEnv('ZB_BINARY')
const webRoot = requireEnv('ZB_WEB_ROOT')
if (!fs.existsSync(binary)) fail(`ZB_BINARY ${binary} does not exist (build the server first)`)
if (!fs.existsSync(path.join(webRoot, 'index.html')))
  fail(`ZB_WEB_ROOT ${webRoot} has no index.html (run \`npm run build\` in web/)`)

try {
  createRequire(path.join(REPO, 'web/package.json')).resolve('playwright-core')
} catch {
  fail('playwright-core is not installed: run `npm ci` in web/ (it is a devDependency there)')
}
const chromium = process.env.ZB_CHROMIUM || '/usr/bin/chromium'
try {
  fs.accessSync(chromium, fs.constants.X_OK)
} catch {
  fail(`Chromium not found at ${chromium}: apt-get install chromium (or set ZB_CHROMIUM)`)
}

const requested = process.argv.slice(2)
const testFiles = (
  requested.length
    ? requested.map((f) => path.resolve(f))
    : fs
        .readdirSync(HERE)
        .filter((f) => f.endsWith('.test.mjs'))
        .sort()
        .map((f) => path.join(HERE, f))
)
if (testFiles.length === 0) fail(`no *.test.mjs files in ${HERE}`)
for (const f of testFiles) if (!fs.existsSync(f)) fail(`test file ${f} does not exist`)

/** The line `zhuanban init` prints once; the admin login is `admin`. */
const ADMIN_PASSWORD_LINE = /^admin password \(shown once\): (\S+)\s*$/m
/** With `--demo`, one such line per demo account. */
const DEMO_PASSWORD_LINE = /^demo user (\S+) \(.*\) password \(shown once\): (\S+)\s*$/gm

/**
 * A test file that wants the demo organisation and project library says so
 * near its top with the line `// e2e-init: --demo`; the others get a bare
 * `zhuanban init`.
 */
function initArgs(testFile) {
  const head = fs.readFileSync(testFile, 'utf8').slice(0, 4000)
  return /^\/\/ e2e-init: --demo\s*$/m.test(head) ? ['--demo'] : []
}

// ---- helpers -----------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function waitForHealth(url, server) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`server exited (code ${server.exitCode}, signal ${server.signalCode}) before /healthz answered`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (res.status === 200) return
      last = `HTTP ${res.status}`
    } catch (e) {
      last = e.cause?.code ?? e.message
    }
    await sleep(100)
  }
  throw new Error(`/healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`)
}

function signalServer(server, signal) {
  try {
    process.kill(-server.pid, signal) // the whole process group
  } catch {
    server.kill(signal)
  }
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.pid === undefined) return resolve()
    if (server.exitCode !== null || server.signalCode !== null) {
      signalServer(server, 'SIGTERM') // leftovers of a wrapper that exited
      return resolve()
    }
    const timer = setTimeout(() => {
      console.error('e2e: server ignored SIGTERM, sending SIGKILL')
      signalServer(server, 'SIGKILL')
    }, STOP_TIMEOUT_MS)
    server.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    signalServer(server, 'SIGTERM')
  })
}

/** Runs a command to completion, capturing its output. */
function capture(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => out.push(d))
    child.on('error', (e) => resolve({ code: 1, output: `cannot start ${cmd}: ${e.message}` }))
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(out).toString('utf8') }),
    )
  })
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    child.on('error', (e) => {
      console.error(`e2e: cannot start ${cmd}: ${e.message}`)
      resolve(1)
    })
  })
}

// ---- main --------------------------------------------------------------------

/**
 * One test file against its own fresh server. Returns the exit code; throws
 * (with the server output) when the server cannot be set up.
 */
async function runFile(testFile) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zb-e2e-'))
  const db = `sqlite:${path.join(tmp, 'e2e.db')}`
  const serverLog = []
  let server = null
  let stopping = false

  const dumpServerLog = () => {
    const text = Buffer.concat(serverLog).toString('utf8').trimEnd()
    console.error(`---- server output ----\n${text || '(empty)'}\n-----------------------`)
  }
  const cleanup = async () => {
    stopping = true
    if (server) await stopServer(server)
    if (process.env.ZB_E2E_KEEP) {
      fs.writeFileSync(path.join(tmp, 'server.log'), Buffer.concat(serverLog))
      console.error(`e2e: kept ${tmp}`)
    } else {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  }
  activeCleanup = cleanup

  try {
    // 1. A fresh database with the admin's one-time password.
    const initCommand = ['init', '--db', db, ...initArgs(testFile)]
    console.log(`e2e: ${binary} ${initCommand.join(' ')}`)
    const init = await capture(binary, initCommand, { cwd: tmp })
    serverLog.push(Buffer.from(`$ zhuanban ${initCommand.join(' ')}\n${init.output}\n`))
    if (init.code !== 0) throw new Error(`\`zhuanban init\` failed with exit code ${init.code}`)
    const match = ADMIN_PASSWORD_LINE.exec(init.output)
    if (!match)
      throw new Error('`zhuanban init` printed no line "admin password (shown once): <password>"; cannot sign in')
    const adminPassword = match[1]
    const demoPasswords = Object.fromEntries([...init.output.matchAll(DEMO_PASSWORD_LINE)].map((m) => [m[1], m[2]]))

    // 2. The server.
    const port = await freePort()
    const baseUrl = `http://127.0.0.1:${port}`
    const serverArgs = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', webRoot]
    console.log(`e2e: ${binary} ${serverArgs.join(' ')}`)
    // Own process group, so a wrapper script and its children stop together.
    server = spawn(binary, serverArgs, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    server.stdout.on('data', (d) => serverLog.push(d))
    server.stderr.on('data', (d) => serverLog.push(d))
    server.on('error', (e) => serverLog.push(Buffer.from(`spawn error: ${e.message}\n`)))
    server.on('exit', (code, signal) => {
      if (!stopping) console.error(`e2e: server exited unexpectedly (code ${code}, signal ${signal})`)
    })
    await waitForHealth(`${baseUrl}/healthz`, server)

    // 3. The tests.
    console.log(`e2e: server up at ${baseUrl}; running ${path.relative(REPO, testFile)}`)
    let code = await run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', testFile], {
      ...process.env,
      ZB_E2E_BASE_URL: baseUrl,
      ZB_E2E_ADMIN_PASSWORD: adminPassword,
      ZB_E2E_DEMO_PASSWORDS: JSON.stringify(demoPasswords),
      ZB_CHROMIUM: chromium,
    })
    if (server.exitCode !== null || server.signalCode !== null) {
      console.error('e2e: the server died during the tests')
      code ||= 1
    }
    if (code !== 0) dumpServerLog()
    return code
  } catch (e) {
    console.error(`e2e: ${path.relative(REPO, testFile)}: ${e.message}`)
    dumpServerLog()
    return 1
  } finally {
    await cleanup()
    activeCleanup = null
  }
}

let activeCleanup = null
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await activeCleanup?.()
    process.exit(130)
  })
}

const failed = []
for (const file of testFiles) {
  if ((await runFile(file)) !== 0) failed.push(path.relative(REPO, file))
}
if (failed.length) console.error(`e2e: FAILED: ${failed.join(', ')}`)
else console.log(`e2e: all ${testFiles.length} file(s) passed`)
process.exit(failed.length ? 1 : 0)
