// Signing in: the forced first change of the admin's initial password, wrong
// passwords, logout, deep links while signed out, a session that ends under
// the user's feet, the lockout. run.mjs gives this file its own fresh server,
// and node:test runs a file's tests in order, so the first test really is the
// admin's first sign-in. The last test locks the admin account.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ADMIN_LOGIN,
  ADMIN_NEW_PASSWORD,
  baseUrl,
  dt,
  fillLogin,
  initialAdminPassword,
  launchBrowser,
  markAdminPasswordChanged,
  signIn,
  textOf,
  unexpectedErrors,
  withPage,
} from './lib.mjs'

const ME_401 = [401, '/api/v1/auth/me']

function assertNoErrors(errors, allowed = [ME_401]) {
  assert.deepEqual(unexpectedErrors(errors, allowed), [], 'no page errors or unexpected console errors')
}

/** The JSON error envelope of the next answer to `method path`, after `action`. */
async function serverError(page, method, p, action) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === p),
    action(),
  ])
  const body = await res.json()
  assert.ok(body?.error?.message, `${method} ${p} answered ${res.status()} with an error message`)
  return { status: res.status(), ...body.error }
}

describe('signing in', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  test('first sign-in as admin is forced to change the initial password', () =>
    withPage(browser, 'first-login', async (page, errors) => {
      await page.goto(`${baseUrl}/`)
      await page.waitForURL(`${baseUrl}/login`)
      await textOf(page.locator(dt('login-page')), /首次登录须修改初始密码/)
      await fillLogin(page, ADMIN_LOGIN, initialAdminPassword())

      await page.waitForURL(`${baseUrl}/account/password`)
      await textOf(page.locator(dt('pwd-forced-banner')), '初始密码或已过期的密码须修改后才能继续使用')
      assert.equal(await page.locator(dt('pwd-back')).count(), 0, 'no way back while forced')
      assert.equal(await page.locator(dt('user-menu')).count(), 0, 'no shell while forced')
      assert.equal(await page.locator(dt('pwd-logout')).count(), 1, '退出登录 is the way out')

      // The guard keeps the user here: a deep link, a reload.
      await page.goto(`${baseUrl}/projects`)
      await page.waitForURL((url) => url.pathname === '/account/password' && url.searchParams.get('redirect') === '/projects')
      await page.locator(dt('pwd-forced-banner')).waitFor()
      await page.goto(`${baseUrl}/account/password`)
      await page.locator(dt('pwd-forced-banner')).waitFor()

      // A weak new password: the server's policy message on the field.
      const weak = 'abcdefgh'
      await page.locator(dt('pwd-old')).fill(initialAdminPassword())
      await page.locator(dt('pwd-new')).fill(weak)
      await page.locator(dt('pwd-confirm')).fill(weak)
      assert.equal(await page.locator(dt('pwd-rule-length')).getAttribute('data-state'), 'ok')
      assert.equal(await page.locator(dt('pwd-rule-classes')).getAttribute('data-state'), 'bad')
      const policy = await serverError(page, 'POST', '/api/v1/auth/password', () =>
        page.locator(dt('pwd-submit')).click(),
      )
      assert.equal(policy.status, 422)
      assert.equal(policy.field, 'new_password')
      await textOf(page.locator(`${dt('pwd-new-item')} .el-form-item__error`), policy.message)
      assert.equal(page.url(), `${baseUrl}/account/password`)

      // A good one: on to the cockpit, signed in, the banner gone for good.
      await page.locator(dt('pwd-new')).fill(ADMIN_NEW_PASSWORD)
      await page.locator(dt('pwd-confirm')).fill(ADMIN_NEW_PASSWORD)
      await page.locator(dt('pwd-confirm')).press('Enter')
      await page.waitForURL(`${baseUrl}/cockpit`)
      markAdminPasswordChanged()
      await textOf(page.locator(dt('page-title')), '驾驶舱')
      await page.locator(dt('user-menu')).waitFor()
      await page.reload()
      await textOf(page.locator(dt('page-title')), '驾驶舱')
      assertNoErrors(errors, [ME_401, [422, '/api/v1/auth/password']])
    }))

  test('a wrong password shows the server message', () =>
    withPage(browser, 'wrong-password', async (page, errors) => {
      await page.goto(`${baseUrl}/login`)
      // Empty fields are caught before asking the server.
      await page.locator(dt('login-submit')).click()
      await textOf(page.locator('.el-form-item__error').first(), '请输入用户名')
      assert.equal(await page.locator(dt('login-error')).count(), 0)

      const wrong = await serverError(page, 'POST', '/api/v1/auth/login', () =>
        fillLogin(page, ADMIN_LOGIN, 'Wrong-Passw0rd'),
      )
      assert.equal(wrong.status, 401)
      await textOf(page.locator(dt('login-error')), wrong.message)
      assert.equal(new URL(page.url()).pathname, '/login')
      assert.equal(await page.locator(dt('login-password')).inputValue(), '', 'the password is cleared')

      // …and the right one still works.
      await fillLogin(page, ADMIN_LOGIN, ADMIN_NEW_PASSWORD)
      await page.waitForURL(`${baseUrl}/cockpit`)
      assertNoErrors(errors, [ME_401, [401, '/api/v1/auth/login']])
    }))

  test('the login page speaks English', () =>
    withPage(browser, 'login-en', async (page, errors) => {
      await page.goto(`${baseUrl}/login`)
      await page.locator(dt('lang-en')).click()
      await textOf(page.locator(dt('login-submit')), 'Sign in')
      await textOf(page.locator(dt('login-page')), /The initial password must be changed at first sign-in/)
      assert.equal(await page.getAttribute('html', 'lang'), 'en')
      assert.match(await page.title(), /^Sign in · zhuanban/)
      assertNoErrors(errors)
    }))

  test('signed in: /login goes to the cockpit; 修改密码 from the user menu can be left', () =>
    withPage(browser, 'signed-in', async (page, errors) => {
      const session = await signIn(page)
      await page.goto(`${baseUrl}/login`)
      await page.waitForURL(`${baseUrl}/cockpit`)
      await textOf(page.locator(dt('user-menu')), session.user.display_name)

      await page.goto(`${baseUrl}/problems`)
      await page.locator(dt('user-menu')).click()
      await page.locator(dt('change-password')).click()
      await page.waitForURL((url) => url.pathname === '/account/password' && url.searchParams.get('redirect') === '/problems')
      assert.equal(await page.locator(dt('pwd-forced-banner')).count(), 0, 'no banner when not forced')
      // The server checks the old password.
      await page.locator(dt('pwd-old')).fill('Not-the-0ld-one')
      await page.locator(dt('pwd-new')).fill('Another!Pass-2026')
      await page.locator(dt('pwd-confirm')).fill('Another!Pass-2026')
      const wrongOld = await serverError(page, 'POST', '/api/v1/auth/password', () =>
        page.locator(dt('pwd-submit')).click(),
      )
      assert.equal(wrongOld.field, 'old_password')
      await textOf(page.locator(`${dt('pwd-old-item')} .el-form-item__error`), wrongOld.message)
      await page.locator(dt('pwd-back')).click()
      await page.waitForURL(`${baseUrl}/problems`)
      assertNoErrors(errors, [[422, '/api/v1/auth/password']])
    }))

  test('logout returns to /login and a reload stays there', () =>
    withPage(browser, 'logout', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/cockpit`)
      await page.locator(dt('user-menu')).click()
      await page.locator(dt('logout')).click()
      await page.waitForURL(`${baseUrl}/login`)
      await page.locator(dt('login-username')).waitFor()
      await page.reload()
      await page.locator(dt('login-username')).waitFor()
      assert.equal(page.url(), `${baseUrl}/login`)
      // The session is gone on the server too.
      assert.equal((await page.request.get(`${baseUrl}/api/v1/auth/me`)).status(), 401)
      await page.goto(`${baseUrl}/cockpit`)
      await page.waitForURL(`${baseUrl}/login`)
      assertNoErrors(errors)
    }))

  test('a deep link while signed out goes through /login and lands on the link', () =>
    withPage(browser, 'deep-link-login', async (page, errors) => {
      await page.goto(`${baseUrl}/system/org-units?tab=tree`)
      await page.waitForURL(
        (url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/system/org-units?tab=tree',
      )
      await fillLogin(page, ADMIN_LOGIN, ADMIN_NEW_PASSWORD)
      await page.waitForURL(`${baseUrl}/system/org-units?tab=tree`)
      await textOf(page.locator(dt('page-title')), '组织机构')
      // Only paths inside the app are followed.
      await page.goto(`${baseUrl}/login?redirect=//example.com/x`)
      await page.waitForURL(`${baseUrl}/cockpit`)
      assertNoErrors(errors)
    }))

  test('a session ended elsewhere sends the next request to /login with a notice', () =>
    withPage(browser, 'session-gone', async (page, errors) => {
      await signIn(page)
      await page.goto(`${baseUrl}/cockpit`)
      await page.locator(dt('user-menu')).waitFor()
      // Logged out from elsewhere (same cookie, its own CSRF token).
      const me = await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()
      const out = await page.request.post(`${baseUrl}/api/v1/auth/logout`, {
        headers: { 'X-CSRF-Token': me.csrf_token },
      })
      assert.equal(out.status(), 204)

      await page.locator(dt('user-menu')).click()
      await page.locator(dt('change-password')).click()
      await page.locator(dt('pwd-old')).fill(ADMIN_NEW_PASSWORD)
      await page.locator(dt('pwd-new')).fill('Another!Pass-2026')
      await page.locator(dt('pwd-confirm')).fill('Another!Pass-2026')
      await page.locator(dt('pwd-submit')).click()
      await page.waitForURL((url) => url.pathname === '/login')
      await textOf(page.locator(dt('login-notice')), '登录已失效,请重新登录')
      await fillLogin(page, ADMIN_LOGIN, ADMIN_NEW_PASSWORD)
      await page.waitForURL(`${baseUrl}/cockpit`)
      assertNoErrors(errors, [[401, '/api/v1/auth/password']])
    }))

  // Last: it locks the admin account.
  test('repeated wrong passwords lock the account, with the server message as is', () =>
    withPage(browser, 'lockout', async (page, errors) => {
      await page.goto(`${baseUrl}/login`)
      let last
      for (let i = 0; i < 6; i++) {
        last = await serverError(page, 'POST', '/api/v1/auth/login', () =>
          fillLogin(page, ADMIN_LOGIN, `Wrong-Passw0rd-${i}`),
        )
        await textOf(page.locator(dt('login-error')), last.message)
      }
      assert.match(last.message, /锁定|频繁/, 'after six wrong passwords the account is locked (or rate-limited)')
      // Even the right password is refused now, with the server's message shown.
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
        fillLogin(page, ADMIN_LOGIN, ADMIN_NEW_PASSWORD),
      ])
      assert.notEqual(res.status(), 200, 'a locked account refuses even the right password')
      const locked = (await res.json()).error
      await textOf(page.locator(dt('login-error')), locked.message)
      assert.equal(new URL(page.url()).pathname, '/login')
      assertNoErrors(errors, [ME_401, [401, '/api/v1/auth/login'], [429, '/api/v1/auth/login']])
    }))
})
