// Two-step login (issue 11, part 4): codes computed here with RFC 6238
// (lib/server.mjs totpCode), never read from the server.  A login with a
// code and a new session id; a code used twice; wrong codes refused,
// audited and throttled with the password counter; recovery codes good
// once; a library account that reaches no page before it has set two-step
// login up; the setup, recovery-code and code pages in the browser (axe,
// screenshots); a teacher turning it on and off under Mijn gegevens; the
// library (not another library) resetting a teacher's second step; the
// command line doing the same.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  activeUser, assertRedirect, csrfOf, freshCode, goodPassword, setUpTwoStep, startServer, textOf,
  totpCode, totpStep,
} from './lib/server.mjs';
import { enterCode, follow, launch, logIn, look, openPage, setUpTwoStep as setUpInBrowser, submit } from './lib/browser.mjs';

const T = { timeout: 240000 };
const here = dirname(fileURLToPath(import.meta.url));

let srv;
let browser;

function sql(query) {
  const r = spawnSync('sqlite3', [srv.dbPath, query], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

const accountId = (username) => Number(sql(`SELECT id FROM accounts WHERE username = '${username}'`));
const secretInDb = (username) => sql(`SELECT totp_secret FROM accounts WHERE username = '${username}'`);
const recoveryInDb = (username) =>
  Number(sql(`SELECT count(*) FROM recovery_codes WHERE account_id = ${accountId(username)}`));
const auditCount = (event, username, extra = '') =>
  Number(sql(`SELECT count(*) FROM audit_log WHERE event = '${event}' AND account_id = ${accountId(username)} ${extra}`));

/** A teacher of De Regenboog with two-step login set up: { client, username, password, totp, recovery }. */
async function teacherWithTwoStep() {
  const u = await activeUser(srv, { school: 'regenboog' });
  const { secret, recovery } = await setUpTwoStep(u.client, u.username);
  return { ...u, totp: secret, recovery };
}

/** A six-digit code that is none of the codes of the window around now. */
function wrongCodeFor(secret) {
  const now = totpStep();
  const taken = new Set([-1, 0, 1, 2].map((d) => totpCode(secret, (now + d) * 30)));
  for (let i = 0; ; i++) {
    const c = String(123456 + i * 7919).slice(-6);
    if (!taken.has(c)) return c;
  }
}

before(async () => {
  srv = await startServer({
    schools: [{ name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' }],
  });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Oost', '--slug', 'oost').code, 0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (srv) await srv.stop();
});

describe('logging in with two-step login', () => {
  test('a computed code logs in, with a new session id; before it only the code page is open', T, async () => {
    const u = await teacherWithTwoStep();
    const c = srv.client();
    assertRedirect(await c.login(u.username, u.password, { code: false }), '/aanmelden/code', 'password right');
    const pending = c.cookie('biebsync');
    assert.ok(pending, 'a pending session cookie');
    assertRedirect(await c.get('/mijn-gegevens'), '/aanmelden', 'a pending session reaches no page');
    assertRedirect(await c.get('/docent/upload'), '/aanmelden');
    const form = await c.get('/aanmelden/code');
    assert.equal(form.status, 200);
    assert.match(textOf(form.body), /Code uit je app Je wachtwoord klopt\./);
    const res = await c.enterCode(await freshCode(srv.url, u.username));
    assertRedirect(res, '/', 'the right code');
    assert.notEqual(c.cookie('biebsync'), pending, 'a new session id after the second step');
    assert.equal((await c.get('/mijn-gegevens')).status, 200);
    assertRedirect(await c.get('/aanmelden/code'), '/', 'the code page is for pending sessions only');
    assert.equal(auditCount('login_ok', u.username, "AND detail = 'two-step'"), 1, 'the login is audited once, after the code');
  });

  test('a code that was used is refused: "Deze code is al gebruikt; wacht op de volgende"', T, async () => {
    const u = await teacherWithTwoStep();
    const code = await freshCode(srv.url, u.username);
    const first = srv.client();
    await first.login(u.username, u.password, { code: false });
    assertRedirect(await first.enterCode(code), '/');
    const second = srv.client();
    assertRedirect(await second.login(u.username, u.password, { code: false }), '/aanmelden/code');
    const replay = await second.enterCode(code);
    assert.equal(replay.status, 200);
    assert.match(textOf(replay.body), /Deze code is al gebruikt; wacht op de volgende\./);
    assertRedirect(await second.get('/mijn-gegevens'), '/aanmelden', 'still not logged in');
    assert.equal(auditCount('totp_failed', u.username, "AND detail = 'code used before'"), 1);
  });

  test('wrong codes are refused, audited, and throttled together with wrong passwords', T, async () => {
    const u = await teacherWithTwoStep();
    const c = srv.client();
    await c.login(u.username, u.password, { code: false });
    for (let i = 0; i < 3; i++) {
      const res = await c.enterCode(wrongCodeFor(u.totp));
      assert.equal(res.status, 200);
      assert.match(textOf(res.body), /Deze code klopt niet\./);
    }
    // two wrong passwords count on the same counter (5 per account)
    for (let i = 0; i < 2; i++)
      assert.match(textOf((await srv.client().login(u.username, 'fout-wachtwoord-123', { code: false })).body),
        /klopt niet|onjuist|verkeerd/i);
    const right = await c.enterCode(await freshCode(srv.url, u.username));
    assert.equal(right.status, 429, 'the right code is not even checked now');
    assert.match(textOf(right.body), /Er is te vaak een verkeerde code of een verkeerd wachtwoord gebruikt/);
    assertRedirect(await c.get('/mijn-gegevens'), '/aanmelden');
    assert.equal((await srv.client().login(u.username, u.password, { code: false })).status, 429,
      'and the password login is throttled as well');
    assert.equal(auditCount('totp_failed', u.username), 3, 'every wrong code audited');
    assert.equal(auditCount('login_failed', u.username), 2);
    assert.ok(auditCount('login_throttled', u.username) >= 2, 'the throttled tries audited');
  });

  test('a recovery code logs in once, not twice; the count goes down', T, async () => {
    const u = await teacherWithTwoStep();
    assert.equal(recoveryInDb(u.username), 10);
    assert.ok(!sql(`SELECT group_concat(hash) FROM recovery_codes WHERE account_id = ${accountId(u.username)}`)
      .includes(u.recovery[0].replace('-', '')), 'stored hashed');
    const c = srv.client();
    await c.login(u.username, u.password, { code: false });
    // typed carelessly: upper case, a space for the dash
    const res = await c.enterCode(u.recovery[0].toUpperCase().replace('-', ' '));
    assertRedirect(res, '/mijn-gegevens?herstelcode=gebruikt', 'a recovery code');
    const details = textOf((await c.get(res.headers.location)).body);
    assert.match(details, /Je hebt je aangemeld met een herstelcode\. Die code werkt nu niet meer\./);
    assert.match(details, /Tweestapsverificatie staat aan\. Je hebt nog 9 herstelcodes over\./);
    assert.equal(auditCount('recovery_code_used', u.username, "AND detail = 'left=9'"), 1);

    const again = srv.client();
    await again.login(u.username, u.password, { code: false });
    const twice = await again.enterCode(u.recovery[0]);
    assert.equal(twice.status, 200);
    assert.match(textOf(twice.body), /Deze code klopt niet\./);
    assertRedirect(await again.enterCode(u.recovery[1]), '/mijn-gegevens?herstelcode=gebruikt', 'another one works');
    assert.equal(recoveryInDb(u.username), 8);
  });
});

describe('library accounts must set up two-step login', () => {
  test('no page before the setup, whatever the route; after it the pages open', T, async () => {
    const u = srv.addUser({ role: 'bibliotheek', library: 'bibliotheek' });
    const c = srv.client();
    assertRedirect(await c.login(u.username, u.otp), '/wachtwoord-wijzigen', 'first the one-time password');
    const password = goodPassword();
    assertRedirect(await c.changePassword(u.otp, password), '/?wachtwoord=gewijzigd');
    assertRedirect(await c.get('/?wachtwoord=gewijzigd'), '/tweestaps?wachtwoord=gewijzigd');

    const src = readFileSync(join(here, '..', 'src', 'web', 'app.c'), 'utf8');
    const table = /static const struct route routes\[\] = \{([\s\S]*?)\n\};/.exec(src)[1];
    const routes = [...table.matchAll(/\{\s*HTTP_(GET|POST),\s*"([^"]+)",\s*ACCESS_(\w+),\s*(true|false)/g)]
      .map((m) => ({ method: m[1], path: m[2].replace(/#/g, '1'), access: m[3], otpOk: m[4] === 'true' }))
      .filter((r) => !r.otpOk && !r.path.startsWith('/tweestaps'));
    assert.ok(routes.length >= 15, `${routes.length} routes`);
    const csrf = csrfOf((await c.get('/tweestaps')).body);
    for (const r of routes) {
      const res = r.method === 'GET' ? await c.get(r.path) : await c.request(r.path, { form: { csrf } });
      assertRedirect(res, '/tweestaps', `${r.method} ${r.path} before the setup`);
    }
    assert.equal(secretInDb(u.username), '', 'nothing set up yet');

    const { res } = await setUpTwoStep(c, u.username, { after: '?wachtwoord=gewijzigd' });
    assert.equal(res.headers['cache-control'], 'no-store', 'the recovery codes are never cached');
    assert.match(res.body, /href="\/\?wachtwoord=gewijzigd"/, 'on to Start with the password notice');
    assert.equal((await c.get('/')).status, 200);
    assert.equal((await c.get('/bibliotheek/logboek')).status, 200);
    assert.equal(auditCount('totp_enabled', u.username), 1);
    const details = textOf((await c.get('/mijn-gegevens')).body);
    assert.match(details, /Voor bibliotheekmedewerkers staat tweestapsverificatie altijd aan\./);
    const off = await c.postForm('/tweestaps/uit', { huidig: password }, { formPage: '/mijn-gegevens' });
    assert.equal(off.status, 403, 'a library account cannot turn it off');
    assert.notEqual(secretInDb(u.username), '');
  });
});

describe('in the browser', () => {
  test('setup (QR code, key), recovery codes and the code page: axe-clean, desktop and phone', T, async () => {
    const user = srv.addUser({ role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-totp' });
    const { page, context, problems, expect } = await openPage(browser);
    try {
      await page.goto(`${srv.url}/aanmelden`);
      await page.fill('#gebruikersnaam', user.username);
      await page.fill('#wachtwoord', user.otp);
      await submit(page, 'form[action="/aanmelden"] button[type=submit]');
      const password = goodPassword();
      await page.fill('#huidig', user.otp);
      await page.fill('#nieuw', password);
      await page.fill('#herhaal', password);
      await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/tweestaps');
      assert.equal(await page.textContent('.notice[role=status]'), 'Je wachtwoord is gewijzigd. Stel nu nog tweestapsverificatie in.');
      assert.equal(await page.textContent('svg.qr title'), 'QR-code om deze website aan je app toe te voegen');
      assert.equal(await page.$$eval('svg.qr path', (ps) => ps.length), 1, 'one path of rectangles');
      assert.match(await page.textContent('#sleutel'), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the key in groups of four');

      // a wrong code first: the page says so next to the field
      await page.fill('#code', '000000' === totpCode((await page.textContent('#sleutel')).replace(/ /g, '')) ? '111111' : '000000');
      expect(422, '/tweestaps');
      await submit(page, 'form[action="/tweestaps"] button[type=submit]');
      assert.match(await page.textContent('#code-fout'), /Deze code klopt niet/);
      await look(page, 'totp-instellen-fout');

      await setUpInBrowser(page, srv.url, user.username, { look: 'totp', phone: true });
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/?wachtwoord=gewijzigd');

      await submit(page, 'nav.menu form[action="/afmelden"] button');
      await page.fill('#gebruikersnaam', user.username);
      await page.fill('#wachtwoord', password);
      await submit(page, 'form[action="/aanmelden"] button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/aanmelden/code');
      await look(page, 'totp-code', { phone: true });
      await page.fill('#code', '12345');
      await submit(page, 'form[action="/aanmelden/code"] button[type=submit]');
      assert.match(await page.textContent('.error-summary'), /Deze code klopt niet/);
      await look(page, 'totp-code-fout');
      await enterCode(page, srv.url, user.username);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a teacher turns two-step login on and off under Mijn gegevens', T, async () => {
    const user = srv.addUser({ school: 'regenboog' });
    const { page, context, problems, expect } = await openPage(browser);
    try {
      const password = await logIn(page, srv.url, user);
      await page.goto(`${srv.url}/mijn-gegevens`);
      assert.match(await page.textContent('#tweestaps'), /Tweestapsverificatie staat uit\./);
      await look(page, 'totp-mijn-gegevens-uit');
      await follow(page, '#tweestaps a[href="/tweestaps"]');
      await setUpInBrowser(page, srv.url, user.username);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.notEqual(secretInDb(user.username), '');

      await page.goto(`${srv.url}/mijn-gegevens`);
      assert.match(await page.textContent('#tweestaps'), /Je hebt nog 10 herstelcodes over\./);
      await page.fill('#uit-wachtwoord', 'niet-mijn-wachtwoord');
      expect(422, '/tweestaps/uit');
      await submit(page, 'form[action="/tweestaps/uit"] button[type=submit]');
      assert.match(await page.textContent('#uit-fout'), /Dit wachtwoord klopt niet\. Tweestapsverificatie staat nog aan\./);
      await look(page, 'totp-mijn-gegevens-aan-fout');
      assert.notEqual(secretInDb(user.username), '', 'still on');
      await page.fill('#uit-wachtwoord', password);
      await submit(page, 'form[action="/tweestaps/uit"] button[type=submit]');
      assert.match(await page.textContent('#tweestaps .notice'), /Tweestapsverificatie staat nu uit\./);
      assert.equal(secretInDb(user.username), '');
      assert.equal(recoveryInDb(user.username), 0);
      assert.equal(auditCount('totp_disabled', user.username), 1);
      assert.deepEqual(problems, []);

      const c = srv.client();
      assertRedirect(await c.login(user.username, password, { code: false }), '/', 'no code asked any more');
    } finally {
      await context.close();
    }
  });
});

describe('resetting someone else\'s second step', () => {
  test('the library resets a teacher\'s; another library gets 404 and changes nothing', T, async () => {
    const teacher = await teacherWithTwoStep();
    const west = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek' });
    const east = await activeUser(srv, { role: 'bibliotheek', library: 'oost' });
    const id = accountId(teacher.username);
    const school = Number(sql("SELECT id FROM schools WHERE slug = 'regenboog'"));
    const path = `/bibliotheek/account/${id}/tweestaps-herstellen`;

    const other = await east.client.postForm(path, {}, { formPage: '/mijn-gegevens' });
    assert.equal(other.status, 404, 'another library\'s account is as missing as a missing one');
    assert.equal((await east.client.postForm('/bibliotheek/account/999999/tweestaps-herstellen', {},
      { formPage: '/mijn-gegevens' })).status, 404);
    assert.equal(secretInDb(teacher.username), teacher.totp);
    assert.equal(recoveryInDb(teacher.username), 10);
    assert.equal((await teacher.client.get('/mijn-gegevens')).status, 200, 'the teacher is still logged in');

    assertRedirect(await west.client.postForm(path, {}, { formPage: '/mijn-gegevens' }),
      `/bibliotheek/school/${school}?tweestaps=1`, 'back to the school');
    assert.match(textOf((await west.client.get(`/bibliotheek/school/${school}?tweestaps=1`)).body),
      /tweestapsverificatie is hersteld/, 'the school page says it is done');
    assert.equal(secretInDb(teacher.username), '');
    assert.equal(recoveryInDb(teacher.username), 0);
    assertRedirect(await teacher.client.get('/mijn-gegevens'), '/aanmelden', 'the teacher\'s sessions ended');
    assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE event = 'totp_reset' AND actor = '${west.username}'
      AND detail = 'account ${id}'`)), 1, 'audited with who did it');
    assertRedirect(await srv.client().login(teacher.username, teacher.password), '/', 'a login without a code');
  });

  test('admin user reset-two-step --username does the same from the command line', T, async () => {
    const teacher = await teacherWithTwoStep();
    const r = srv.admin('user', 'reset-two-step', '--username', teacher.username);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Tweestapsverificatie van ${teacher.username} is hersteld`));
    assert.equal(secretInDb(teacher.username), '');
    assert.equal(recoveryInDb(teacher.username), 0);
    assertRedirect(await teacher.client.get('/mijn-gegevens'), '/aanmelden', 'logged out everywhere');
    assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE event = 'totp_reset' AND actor = 'cli'
      AND detail = 'account ${accountId(teacher.username)}'`)), 1);
    assertRedirect(await srv.client().login(teacher.username, teacher.password), '/', 'a login without a code');

    const unknown = srv.admin('user', 'reset-two-step', '--username', 'niemand');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /niemand/);
    assert.equal(srv.admin('user', 'reset-two-step').code, 2, 'a usage error');
  });
});
