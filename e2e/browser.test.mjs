// Browser end-to-end tests: Debian's Chromium, headless, driven by
// playwright-core, against a real `biebsync serve`.  A school user logs in
// with a one-time password, chooses a password, looks around and logs out;
// a library user sees the schools.  Full-page screenshots of every step go
// to e2e/artifacts/ (git-ignored) for a human to look at.  Any console
// error, page error or Content-Security-Policy violation fails the test.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { goodPassword, startServer } from './lib/server.mjs';
import { logIn } from './lib/browser.mjs';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const T = { timeout: 60000 };

let srv;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  srv = await startServer({
    schools: [
      { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' },
      { name: 'Basisschool \'t Kompas', brin: '34CD', slug: 'kompas' },
    ],
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  srv?.kill(); // only after a failure: the last test stops it with assertions
});

/**
 * A fresh browser context and page that records everything that would mean
 * a broken page: console errors and warnings, uncaught exceptions, CSP
 * violations, failed requests and HTTP errors, and the headers of POSTs.
 */
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  const posts = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push({ url: r.url(), headers: r.allHeaders() });
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { context, page, problems, posts };
}

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Submit the form the given button is in, and wait for the page that follows. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(button)]);
}

test('a docent logs in with a one-time password, chooses a password, looks around and logs out', T, async (t) => {
  const user = srv.addUser({ school: 'regenboog', username: 'juf.anna' });
  const { context, page, problems, posts } = await openPage();
  try {
    // 1. the login page
    await page.goto(`${srv.url}/`);
    assert.equal(new URL(page.url()).pathname, '/aanmelden', 'anonymous visitors land on Aanmelden');
    assert.equal(await page.textContent('h1'), 'Aanmelden');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.ok(await page.isVisible('label[for=gebruikersnaam]'));
    await shot(page, '01-aanmelden');

    // 2. log in with the one-time password: sent to the change page
    await page.fill('#gebruikersnaam', user.username);
    await page.fill('#wachtwoord', user.otp);
    await submit(page, 'form[action="/aanmelden"] button[type=submit]');
    const loginPost = await posts[0].headers;
    t.diagnostic(`login POST headers: origin=${loginPost.origin} sec-fetch-site=${loginPost['sec-fetch-site']}`
      + ` referer=${loginPost.referer ?? '(none)'} content-type=${loginPost['content-type']}`);
    assert.notEqual(await page.textContent('h1'), 'Formulier verlopen',
      `the login POST was refused as cross-site; headers: ${JSON.stringify(loginPost)}`);
    assert.equal(new URL(page.url()).pathname, '/wachtwoord-wijzigen');
    assert.match(await page.textContent('h1'), /Kies je eigen wachtwoord/);
    assert.equal(await page.locator('nav.menu a').count(), 0, 'no links in the menu yet');
    assert.equal(await page.locator('nav.menu form[action="/afmelden"] button').count(), 1, 'but one can log out');
    await shot(page, '02-eenmalig-wachtwoord-vervangen');

    // 3. a refused choice: the error summary
    await page.fill('#huidig', user.otp);
    await page.fill('#nieuw', 'wachtwoord12345');
    await page.fill('#herhaal', 'wachtwoord12345');
    await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
    assert.match(await page.textContent('.error-summary'), /veel gebruikt/);
    await shot(page, '03-wachtwoord-geweigerd');
    problems.splice(0, problems.length, ...problems.filter((p) => !/\b422\b/.test(p))); // the refusal itself

    // 4. a good choice: on to Start with a notice
    const password = goodPassword();
    await page.fill('#huidig', user.otp);
    await page.fill('#nieuw', password);
    await page.fill('#herhaal', password);
    await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.match(await page.textContent('.notice'), /Je wachtwoord is gewijzigd\. Je kunt nu het leerlingbestand uploaden\./);
    await shot(page, '04-wachtwoord-gewijzigd');

    // 5. the home page with the school's name
    await Promise.all([page.waitForNavigation(), page.click('nav.menu a[href="/"]')]);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.notice').count(), 0, 'the notice only right after the change');
    assert.match(await page.textContent('main'), /OBS De Regenboog/);
    assert.match(await page.textContent('header'), /OBS De Regenboog/);
    await shot(page, '05-start');

    // 6. Mijn gegevens from the menu
    await Promise.all([page.waitForNavigation(), page.click('nav.menu a[href="/mijn-gegevens"]')]);
    assert.equal(await page.textContent('h1'), 'Mijn gegevens');
    const details = await page.textContent('dl.details');
    assert.match(details, /juf\.anna/);
    assert.match(details, /OBS De Regenboog/);
    await shot(page, '06-mijn-gegevens');

    // 7. log out
    await submit(page, 'nav.menu form[action="/afmelden"] button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/aanmelden');
    assert.match(await page.textContent('main'), /Je bent afgemeld\./);
    await shot(page, '07-afgemeld');
    const cookies = await context.cookies();
    assert.equal(cookies.filter((c) => c.name === 'biebsync').length, 0, 'the session cookie is gone');

    // after logging out, Back does not bring the account's pages back
    await page.goto(`${srv.url}/mijn-gegevens`);
    assert.equal(new URL(page.url()).pathname, '/aanmelden');

    for (const p of await Promise.all(posts.map((x) => x.headers)))
      assert.equal(p['sec-fetch-site'], 'same-origin', 'Chromium marks our own forms same-origin');
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await context.close();
  }
});

test('a library user sees the schools; the pages switch to English', T, async () => {
  const user = srv.addUser({ role: 'bibliotheek', username: 'bieb.medewerker' });
  const { context, page, problems } = await openPage();
  try {
    await logIn(page, srv.url, user);
    await Promise.all([page.waitForNavigation(), page.click('nav.menu a[href="/"]')]);
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows.map((r) => r.slice(0, 2)).sort(),
      [['Basisschool \'t Kompas', '34CD'], ['OBS De Regenboog', '12AB']]);
    await shot(page, '08-bibliotheek-start');

    await Promise.all([page.waitForNavigation(), page.click('footer a[href="/taal/en"]')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await shot(page, '09-library-home-english');
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await context.close();
  }
});

test('the browser tests\' server stops cleanly', T, async () => {
  await srv.stop();
});
