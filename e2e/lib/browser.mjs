// Browser helpers for the upload tests: Debian's Chromium through
// playwright-core, pages that record everything that would mean a broken
// page (console errors and warnings, uncaught exceptions, CSP violations,
// failed requests, unexpected HTTP errors, dialogs), screenshots into
// e2e/artifacts/, and axe-core accessibility checks.
//
// axe-core is evaluated through the DevTools protocol (page.evaluate),
// which the page's Content-Security-Policy does not govern: the pages keep
// their strict policy (no inline script, no bypassCSP) while axe runs, so
// a CSP violation still fails the test.  page.addScriptTag({ content })
// would be an inline script and is blocked by `default-src 'self'`.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { freshCode, goodPassword, rememberTwoStep, totpCode, totpStep, twoStepSecret } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const ARTIFACTS = join(here, '..', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

let axeSource = null;
const noScript = new WeakSet(); // pages of contexts with JavaScript off

/** Launch headless Chromium (the caller closes it). */
export async function launch() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A fresh context (nl-NL) and page.  opts.js false turns JavaScript off,
 * opts.viewport sets the size.  Returns { context, page, problems, expect }:
 * problems collects everything that went wrong; expect(status, path) marks
 * one HTTP error answer as intended (a 422 for a refused file, ...).
 */
export async function openPage(browser, { js = true, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({
    viewport, locale: 'nl-NL', javaScriptEnabled: js, acceptDownloads: true,
  });
  const page = await context.newPage();
  if (!js) noScript.add(page);
  page.setDefaultTimeout(20000);
  page.setDefaultNavigationTimeout(30000);
  const problems = [];
  const expected = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      // the browser's own line for an HTTP error answer: judged below
      if (/Failed to load resource: the server responded with a status of/.test(m.text())) return;
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog ${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('requestfailed', (r) => {
    // a request cut short by the next navigation (the favicon of a page
    // left at once) is not a fault of the page
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const path = new URL(r.url()).pathname;
    const i = expected.findIndex((e) => e.status === r.status() && (e.path === undefined || e.path === path));
    if (i >= 0) expected.splice(i, 1);
    else problems.push(`HTTP ${r.status()} for ${r.request().method()} ${path}`);
  });
  if (js) {
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
  }
  return {
    context, page, problems,
    expect: (status, path) => expected.push({ status, path }),
  };
}

/** Full-page screenshot e2e/artifacts/NAME.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Run axe-core on the page; returns the serious and critical violations
 * as readable lines (empty when none).  In a context with JavaScript off
 * axe cannot finish (its timers never fire) and null is returned: those
 * pages are the same server HTML that the JavaScript journey checks (the
 * script only adds a class that no style uses).
 */
export async function axeViolations(page) {
  if (noScript.has(page)) return null;
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`);
}

/**
 * Look at a page: a screenshot under NAME, an axe run that must find no
 * serious or critical violations, and (opts.phone) the same at phone size
 * with a check that nothing is wider than the screen.
 */
export async function look(page, name, opts = {}) {
  await page.waitForLoadState('load');
  await shot(page, name);
  // the focus order is the reading order: no positive tabindex anywhere
  const positive = await page.$$eval('[tabindex]', (els) => els.filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(positive, [], `${name}: a positive tabindex changes the focus order`);
  const found = await axeViolations(page);
  if (found !== null) assert.deepEqual(found, [], `axe on ${name} (${page.url()})`);
  if (opts.phone) {
    const before = page.viewportSize();
    await page.setViewportSize(PHONE);
    await shot(page, `${name}-telefoon`);
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((el) => {
          if (el.closest('.table-wrap')) return false; // scrolls on its own
          if (el.closest('.skip, .sr-only')) return false; // off-screen on purpose
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > w + 1 || r.left < -1);
        })
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
    });
    assert.deepEqual(overflow, [], `${name} at 390x844: elements wider than the screen`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= PHONE.width, `${name} at 390x844 scrolls sideways (${scroll}px wide)`);
    const small = await axeViolations(page);
    if (small !== null) assert.deepEqual(small, [], `axe on ${name} at phone size`);
    await page.setViewportSize(before);
  }
}

/** Click a submit button (or link) and wait for the page that follows. */
export async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/** Follow a link and wait for the page. */
export async function follow(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/**
 * On the two-step setup page (/tweestaps): type over the key's code, confirm,
 * and continue from the recovery codes page.  Remembers the secret for
 * later logins and returns { secret, recovery }.  opts.look: screenshot +
 * axe the setup page and the codes page under that name.
 */
export async function setUpTwoStep(page, srvUrl, username, opts = {}) {
  assert.equal(new URL(page.url()).pathname, '/tweestaps', 'on the two-step setup page');
  if (opts.look) await look(page, `${opts.look}-instellen`, { phone: opts.phone });
  const secret = (await page.textContent('#sleutel')).replace(/\s+/g, '');
  const step = totpStep();
  await page.fill('#code', totpCode(secret, step * 30));
  await submit(page, 'form[action="/tweestaps"] button[type=submit]');
  const recovery = await page.$$eval('ol.recovery-codes code', (cs) => cs.map((c) => c.textContent));
  assert.equal(recovery.length, 10, 'ten recovery codes');
  if (opts.look) await look(page, `${opts.look}-herstelcodes`, { phone: opts.phone });
  rememberTwoStep(srvUrl, username, secret, step);
  await follow(page, 'a.button.primary');
  return { secret, recovery };
}

/** On /aanmelden/code: enter a fresh code of the account the helpers set up. */
export async function enterCode(page, srvUrl, username) {
  await page.fill('#code', await freshCode(srvUrl, username));
  await submit(page, 'form[action="/aanmelden/code"] button[type=submit]');
}

/**
 * Log in as a new account (one-time password, then a chosen password) in
 * the browser; the page ends on Start, with the notice that the password
 * was changed.  A library account sets up two-step login on the way
 * (user.totp gets the secret).  Returns the password.
 * opts.look: screenshot + axe the login page under that name.
 */
export async function logIn(page, srvUrl, user, opts = {}) {
  await page.goto(`${srvUrl}/aanmelden`);
  if (opts.look) await look(page, opts.look, { phone: opts.phone });
  await page.fill('#gebruikersnaam', user.username);
  await page.fill('#wachtwoord', user.otp);
  await submit(page, 'form[action="/aanmelden"] button[type=submit]');
  if (new URL(page.url()).pathname === '/aanmelden/code' && twoStepSecret(srvUrl, user.username))
    await enterCode(page, srvUrl, user.username);
  assert.equal(new URL(page.url()).pathname, '/wachtwoord-wijzigen', 'the one-time password must be replaced');
  const password = goodPassword();
  await page.fill('#huidig', user.otp);
  await page.fill('#nieuw', password);
  await page.fill('#herhaal', password);
  await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
  if (new URL(page.url()).pathname === '/tweestaps')
    user.totp = (await setUpTwoStep(page, srvUrl, user.username)).secret;
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/?wachtwoord=gewijzigd');
  assert.match(await page.textContent('.notice'), /Je wachtwoord is gewijzigd\./);
  return password;
}

/** The cells of the table rows matched by selector, as text. */
export function tableRows(page, selector) {
  return page.$$eval(selector, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
}

/**
 * The summary of a preview or result, { kind: n } for every kind it names
 * (kinds as in the JSON: new, left, moved, ...); the number must also be
 * the one the sentence says.
 */
export async function counts(page) {
  const items = await page.$$eval('ul.summary li', (lis) => lis.map((li) => [li.dataset.kind, li.dataset.count, li.textContent]));
  for (const [kind, n, text] of items) assert.ok(text.includes(n), `the sentence for ${kind} says ${n}: ${text}`);
  return Object.fromEntries(items.map(([k, n]) => [k, Number(n)]));
}
