// HTTP-level end-to-end tests: a real `biebsync serve` process, spoken to
// with node:http (and raw sockets where node:http would not send the bytes
// we want).  Most tests share one server with a fresh account each; tests
// that need another configuration (throttling, timeouts, TLS, shutdown)
// start their own.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CSP, activeUser, assertRedirect, csrfOf, goodPassword, makeCertificate, rawConnection, sleep,
  startServer, textOf, withServer, within,
} from './lib/server.mjs';

const T = { timeout: 30000 };
const FORM_LIMIT = 16 * 1024;

const REGENBOOG = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const XSS_NAME = '<script>alert(1)</script>';
const XSS = { name: XSS_NAME, brin: '99XS', slug: 'xss' };

const LOGIN_FAILED = 'Gebruikersnaam of wachtwoord onjuist';
const CSRF_REFUSED = 'Formulier verlopen';

/** A username that does not exist and has the same length as name. */
const unknownLike = (name) => 'q'.repeat(name.length);

/** body with the username typed into the form replaced by a placeholder. */
const normalise = (body, username) => body.split(`value="${username}"`).join('value="USERNAME"');

/** The headers of a response without the ones that differ per request. */
function stableHeaders(res) {
  const h = { ...res.headers };
  delete h.date;
  return h;
}

/** POST a login with the csrf of an already fetched form. */
function postLogin(client, csrf, username, password, opts = {}) {
  return client.request('/aanmelden', { ...opts, form: { csrf, gebruikersnaam: username, wachtwoord: password } });
}

/** Assert that username can log in with password (in a fresh client) and land on target. */
async function assertCanLogIn(srv, username, password, target = '/') {
  const res = await srv.client().login(username, password);
  assertRedirect(res, target, `login of ${username}`);
}

/** Assert that username cannot log in with password. */
async function assertCannotLogIn(srv, username, password) {
  const res = await srv.client().login(username, password);
  assert.equal(res.status, 200, `failed login of ${username}`);
  assert.match(textOf(res.body), new RegExp(LOGIN_FAILED));
}

let srv; // the server shared by the tests of this file that need nothing special

before(async () => {
  srv = await startServer({
    config: { server: { form_limit: '16k' } },
    schools: [REGENBOOG, XSS],
  });
});

after(() => {
  srv?.kill(); // only after a failure: the last test stops it with assertions
});

describe('basics', () => {
  test('GET /healthz answers 200 "ok"', T, async () => {
    const res = await srv.client().get('/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.trim(), 'ok');
    assert.match(res.headers['content-type'], /^text\/plain/);
  });

  test('an anonymous visitor of / is sent to /aanmelden', T, async () => {
    assertRedirect(await srv.client().get('/'), '/aanmelden');
    assertRedirect(await srv.client().get('/mijn-gegevens'), '/aanmelden');
  });

  test('the login page is Dutch and has the form with a csrf field', T, async () => {
    const res = await srv.client().get('/aanmelden');
    assert.equal(res.status, 200);
    assert.match(res.body, /<html lang="nl">/);
    assert.match(res.body, /<form method="post" action="\/aanmelden"/);
    assert.match(res.body, /name="gebruikersnaam"/);
    assert.match(res.body, /name="wachtwoord" type="password"/);
    assert.match(csrfOf(res.body), /^[A-Za-z0-9_-]{43}$/);
    assert.match(textOf(res.body), /Hoe moet ik aanmelden\?/);
  });

  test('a docent logs in (after replacing the one-time password) and sees the school on the home page', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    const home = await client.get('/');
    assert.equal(home.status, 200);
    const text = textOf(home.body);
    assert.match(text, /OBS De Regenboog/);
    assert.match(text, /Welkom/);
    assert.match(text, /Afmelden/);
    // one school's user sees nothing of the other school
    assert.doesNotMatch(home.body, /99XS|alert\(1\)/);
  });

  test('the username is not case-sensitive at login', T, async () => {
    const { username, password } = await activeUser(srv, { school: 'regenboog', prefix: 'Juf.Case' });
    await assertCanLogIn(srv, username.toUpperCase(), password);
    await assertCanLogIn(srv, username.toLowerCase(), password);
  });

  test('a library (bibliotheek) account sees the list of schools', T, async () => {
    const { client } = await activeUser(srv, { role: 'bibliotheek' });
    const home = await within(client.get('/'), 10000, 'GET / as bibliotheek');
    assert.equal(home.status, 200);
    assert.match(home.body, /<table class="stack schools">/);
    // name (a link to the school's page), BRIN, pupils
    const rows = [...home.body.matchAll(/<tr><th scope="row"[^>]*><a href="\/bibliotheek\/school\/(\d+)">(.*?)<\/a><\/th><td[^>]*>(.*?)<\/td><td class="num"[^>]*>(\d+)<\/td>/g)]
      .map((m) => m.slice(2, 5));
    assert.deepEqual(rows.find((r) => r[1] === '12AB'), ['OBS De Regenboog', '12AB', '0']);
    assert.ok(rows.find((r) => r[1] === '99XS'), 'the second school is listed too');
    const details = await client.get('/mijn-gegevens');
    assert.equal(details.status, 200);
  });
});

describe('failed logins look alike', () => {
  test('a wrong password and an unknown user give identical pages', T, async () => {
    const { username } = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const wrong = await postLogin(c, csrf, username, 'niet-het-goede-wachtwoord');
    const unknown = await postLogin(c, csrf, unknownLike(username), 'niet-het-goede-wachtwoord');
    assert.equal(wrong.status, 200);
    assert.match(textOf(wrong.body), new RegExp(LOGIN_FAILED));
    assert.equal(unknown.status, wrong.status);
    assert.deepEqual(stableHeaders(unknown), stableHeaders(wrong));
    assert.equal(normalise(unknown.body, unknownLike(username)), normalise(wrong.body, username));
    assert.equal(c.cookie('biebsync'), undefined, 'no session after a failed login');
  });

  test('a disabled account gets the same failure page, and its sessions end', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const r = srv.admin('user', 'disable', username);
    assert.equal(r.code, 0, r.stderr);
    assertRedirect(await client.get('/'), '/aanmelden', 'the session of the disabled account');

    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const disabled = await postLogin(c, csrf, username, password); // the right password
    const unknown = await postLogin(c, csrf, unknownLike(username), password);
    assert.equal(disabled.status, 200);
    assert.match(textOf(disabled.body), new RegExp(LOGIN_FAILED));
    assert.deepEqual(stableHeaders(disabled), stableHeaders(unknown));
    assert.equal(normalise(disabled.body, username), normalise(unknown.body, unknownLike(username)));
  });

  test('empty fields are refused with 422 and a Dutch message', T, async () => {
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const res = await postLogin(c, csrf, '', '');
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /Vul je pasnummer of gebruikersnaam en je wachtwoord in/);
  });

  test('the typed username is shown back escaped', T, async () => {
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const evil = '"><img src=x onerror=alert(1)>';
    const res = await postLogin(c, csrf, evil, 'wat-dan-ook-123');
    assert.equal(res.status, 200);
    assert.ok(res.body.includes('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'), 'escaped in the value attribute');
    assert.ok(!res.body.includes('<img src=x'), 'no injected element');
  });
});

describe('login throttling', () => {
  const config = { login: { max_failures_account: 3, lockout: '60s', max_failures_address: 100000 } };

  test('after max_failures_account failures the account gets 429, even with the right password', T, async () => {
    await withServer({ config, schools: [REGENBOOG] }, async (s) => {
      const victim = s.addUser({ school: 'regenboog' });
      const other = s.addUser({ school: 'regenboog' });
      const c = s.client();
      const { csrf } = await c.getForm('/aanmelden');
      for (let i = 1; i <= 3; i++) {
        const res = await postLogin(c, csrf, victim.username, `fout-${i}-wachtwoord`);
        assert.equal(res.status, 200, `failure ${i} is an ordinary failure`);
      }
      const right = await postLogin(c, csrf, victim.username, victim.otp);
      assert.equal(right.status, 429, 'the right password is refused while locked');
      assert.match(textOf(right.body), /te vaak een verkeerd wachtwoord/);
      assert.equal(c.cookie('biebsync'), undefined, 'no session');
      const upper = await postLogin(c, csrf, victim.username.toUpperCase(), victim.otp);
      assert.equal(upper.status, 429, 'the lock ignores the username\'s case');
      // the lock is per account: another account on the same address logs in
      await assertCanLogIn(s, other.username, other.otp, '/wachtwoord-wijzigen');
    });
  });

  test('an unknown username is throttled identically', T, async () => {
    await withServer({ config, schools: [REGENBOOG] }, async (s) => {
      const known = s.addUser({ school: 'regenboog' });
      const unknown = unknownLike(known.username);
      const c = s.client();
      const { csrf } = await c.getForm('/aanmelden');
      for (let i = 1; i <= 3; i++) {
        assert.equal((await postLogin(c, csrf, known.username, `fout-${i}-wachtwoord`)).status, 200);
        assert.equal((await postLogin(c, csrf, unknown, `fout-${i}-wachtwoord`)).status, 200);
      }
      const a = await postLogin(c, csrf, known.username, known.otp);
      const b = await postLogin(c, csrf, unknown, known.otp);
      assert.equal(a.status, 429);
      assert.equal(b.status, 429);
      assert.deepEqual(stableHeaders(b), stableHeaders(a));
      assert.equal(normalise(b.body, unknown), normalise(a.body, known.username));
    });
  });
  test('the lock lifts after the lockout time', T, async () => {
    await withServer({ config: { login: { max_failures_account: 2, lockout: '2s' } }, schools: [REGENBOOG] }, async (s) => {
      const u = s.addUser({ school: 'regenboog' });
      const c = s.client();
      const { csrf } = await c.getForm('/aanmelden');
      for (let i = 1; i <= 2; i++) assert.equal((await postLogin(c, csrf, u.username, `fout-${i}-wachtwoord`)).status, 200);
      assert.equal((await postLogin(c, csrf, u.username, u.otp)).status, 429);
      await sleep(3100); // timestamps are whole seconds: >= 2 s after the last failure
      assertRedirect(await postLogin(c, csrf, u.username, u.otp), '/wachtwoord-wijzigen', 'after the lockout');
    });
  });

  test('max_failures_address throttles one address across usernames', T, async () => {
    const config = { login: { max_failures_account: 1000, max_failures_address: 4, lockout: '60s' } };
    await withServer({ config, schools: [REGENBOOG] }, async (s) => {
      const u = s.addUser({ school: 'regenboog' });
      const c = s.client();
      const { csrf } = await c.getForm('/aanmelden');
      for (let i = 1; i <= 4; i++)
        assert.equal((await postLogin(c, csrf, `gok${i}`, 'wat-dan-ook-123')).status, 200, `guess ${i}`);
      const res = await postLogin(c, csrf, u.username, u.otp);
      assert.equal(res.status, 429, 'a fifth attempt from the address is throttled, whatever the name');
      assert.match(textOf(res.body), /te vaak een verkeerd wachtwoord/);
    });
  });
});

describe('CSRF: refused POSTs change nothing', () => {
  // A 43-character token that is well-formed but was never issued.
  const FORGED = 'A'.repeat(43);

  test('changing the password without a csrf token is 403 and the old password still works', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const fresh = goodPassword();
    const res = await client.request('/wachtwoord-wijzigen', { form: { huidig: password, nieuw: fresh, herhaal: fresh } });
    assert.equal(res.status, 403);
    assert.match(textOf(res.body), new RegExp(CSRF_REFUSED));
    await assertCanLogIn(srv, username, password);
    await assertCannotLogIn(srv, username, fresh);
  });

  test('changing the password with a wrong token is 403 (forged, or another session\'s)', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const someoneElse = await activeUser(srv, { school: 'regenboog' });
    const theirs = (await someoneElse.client.getForm('/mijn-gegevens')).csrf;
    const mine = (await client.getForm('/mijn-gegevens')).csrf;
    assert.notEqual(theirs, mine);
    const fresh = goodPassword();
    for (const csrf of [FORGED, theirs, mine.slice(0, -1), `${mine}x`, '']) {
      const res = await client.request('/wachtwoord-wijzigen', { form: { csrf, huidig: password, nieuw: fresh, herhaal: fresh } });
      assert.equal(res.status, 403, `token ${JSON.stringify(csrf)}`);
    }
    await assertCanLogIn(srv, username, password);
    await assertCannotLogIn(srv, username, fresh);
  });

  test('the right token from a foreign Origin, Sec-Fetch-Site or Referer is 403', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const { csrf } = await client.getForm('/mijn-gegevens');
    const fresh = goodPassword();
    const form = { csrf, huidig: password, nieuw: fresh, herhaal: fresh };
    const attempts = [
      { origin: 'http://evil.example' },
      { origin: srv.url.replace('127.0.0.1', 'localhost') }, // same host, other origin
      { origin: srv.url, headers: { 'Sec-Fetch-Site': 'cross-site' } },
      { origin: srv.url, headers: { 'Sec-Fetch-Site': 'same-site' } },
      { origin: null, headers: { Referer: 'http://evil.example/form' } },
      { origin: null, headers: { Referer: `${srv.url}.evil.example/` } },
    ];
    for (const a of attempts) {
      const res = await client.request('/wachtwoord-wijzigen', { form, ...a });
      assert.equal(res.status, 403, `refused: ${JSON.stringify(a)}`);
    }
    await assertCanLogIn(srv, username, password);
    await assertCannotLogIn(srv, username, fresh);
    // the same form from our own origin is accepted (the refusals were not about something else)
    const ok = await client.request('/wachtwoord-wijzigen', { form, headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assertRedirect(ok, '/mijn-gegevens?gewijzigd=1', 'the change from our own origin');
  });

  test('Origin null without Sec-Fetch-Site (older Safari under no-referrer) is decided by the token', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const { csrf } = await client.getForm('/mijn-gegevens');
    const fresh = goodPassword();
    const refused = await client.request('/wachtwoord-wijzigen', { form: { csrf: FORGED, huidig: password, nieuw: fresh, herhaal: fresh }, origin: 'null' });
    assert.equal(refused.status, 403, 'a forged token with Origin null');
    await assertCanLogIn(srv, username, password);
    const ok = await client.request('/wachtwoord-wijzigen', { form: { csrf, huidig: password, nieuw: fresh, herhaal: fresh }, origin: 'null' });
    assertRedirect(ok, '/mijn-gegevens?gewijzigd=1', 'the right token with Origin null');
  });

  test('logging out without a valid token or from a foreign origin is 403 and the session stays', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    const { csrf } = await client.getForm('/mijn-gegevens');
    const session = client.cookie('biebsync');
    for (const a of [{ form: {} }, { form: { csrf: FORGED } }, { form: { csrf }, origin: 'http://evil.example' }]) {
      const res = await client.request('/afmelden', a);
      assert.equal(res.status, 403, JSON.stringify(a));
      assert.equal(client.cookie('biebsync'), session, 'the cookie is kept');
      assert.equal((await client.get('/')).status, 200, 'still logged in');
    }
    assertRedirect(await client.request('/afmelden', { form: { csrf } }), '/aanmelden?afgemeld=1', 'a proper logout');
  });

  test('a login POST without the pre-login cookie, or from a foreign origin, is 403 and starts no session', T, async () => {
    const u = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const foreign = await postLogin(c, csrf, u.username, u.otp, { origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(c.cookie('biebsync'), undefined);
    const pre = c.cookie('biebsync_pre');
    c.setCookie('biebsync_pre', null);
    const noCookie = await postLogin(c, csrf, u.username, u.otp);
    assert.equal(noCookie.status, 403);
    assert.equal(c.cookie('biebsync'), undefined);
    c.setCookie('biebsync_pre', pre);
    assert.equal((await postLogin(c, 'B'.repeat(43), u.username, u.otp)).status, 403, 'wrong token');
    // with everything right the same login works
    assertRedirect(await postLogin(c, csrf, u.username, u.otp), '/wachtwoord-wijzigen');
  });

  test('a form without Content-Type application/x-www-form-urlencoded is refused (415)', T, async () => {
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const res = await c.request('/aanmelden', {
      body: JSON.stringify({ csrf, gebruikersnaam: 'x', wachtwoord: 'y' }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(res.status, 415);
  });
});

describe('sessions', () => {
  test('the session id is new at every login and is not the pre-login cookie', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const first = client.cookie('biebsync');
    assert.match(first, /^[A-Za-z0-9_-]{43}$/);
    assertRedirect(await client.logout(), '/aanmelden?afgemeld=1');
    assert.equal(client.cookie('biebsync'), undefined, 'logout clears the cookie');

    const { res: form } = await client.getForm('/aanmelden');
    const pre = client.cookie('biebsync_pre');
    assert.ok(pre, 'the login form sets a pre-login cookie');
    assert.match(textOf(form.body), /Je bent afgemeld\.|Aanmelden/);
    const login = await client.login(username, password);
    assertRedirect(login, '/');
    const second = client.cookie('biebsync');
    assert.ok(second);
    assert.notEqual(second, first, 'new session id');
    assert.notEqual(second, pre, 'the pre-login cookie did not become the session');
    assert.equal(client.cookie('biebsync_pre'), undefined, 'the pre-login cookie is removed at login');
    assert.ok(login.cookies.some((c) => c.name === 'biebsync_pre' && c.attrs['max-age'] === '0'));
  });

  test('a session cookie planted before login is replaced, not adopted', T, async () => {
    const { username, password } = await activeUser(srv, { school: 'regenboog' });
    const c = srv.client();
    const planted = 'C'.repeat(43);
    c.setCookie('biebsync', planted);
    assertRedirect(await c.login(username, password), '/');
    assert.notEqual(c.cookie('biebsync'), planted);
    const attacker = srv.client();
    attacker.setCookie('biebsync', planted);
    assertRedirect(await attacker.get('/'), '/aanmelden', 'the planted id is not a session');
  });

  test('a logged-out session cookie replayed is rejected', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    const session = client.cookie('biebsync');
    const { csrf } = await client.getForm('/mijn-gegevens');
    assertRedirect(await client.logout(), '/aanmelden?afgemeld=1');
    const replay = srv.client();
    replay.setCookie('biebsync', session);
    assertRedirect(await replay.get('/'), '/aanmelden', 'GET / with the old cookie');
    assertRedirect(await replay.get('/mijn-gegevens'), '/aanmelden', 'GET /mijn-gegevens with the old cookie');
    assertRedirect(await replay.request('/afmelden', { form: { csrf } }), '/aanmelden', 'POST with the old cookie and token');
  });

  test('an idle session expires after sessions.idle_timeout, and activity keeps it alive', T, async () => {
    await withServer({ config: { sessions: { idle_timeout: '2s' } }, schools: [REGENBOOG] }, async (s) => {
      const { client } = await activeUser(s, { school: 'regenboog' });
      // requests 1 s apart keep the session (last use - now never exceeds 2 s)
      for (let i = 0; i < 3; i++) {
        await sleep(1000);
        assert.equal((await client.get('/mijn-gegevens')).status, 200, `active after ${i + 1} s`);
      }
      await sleep(3300); // timestamps are whole seconds: 3.3 s idle is always > 2 s
      assertRedirect(await client.get('/mijn-gegevens'), '/aanmelden', 'after 3.3 s idle');
      assertRedirect(await client.get('/'), '/aanmelden');
    });
  });

  test('a session ends after sessions.absolute_timeout even when active', T, async () => {
    await withServer({ config: { sessions: { absolute_timeout: '3s' } }, schools: [REGENBOOG] }, async (s) => {
      const { client } = await activeUser(s, { school: 'regenboog' });
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 8000) {
        await sleep(500);
        status = (await client.get('/')).status;
      }
      const lived = Date.now() - started;
      assert.equal(status, 303, 'the session ended');
      assert.ok(lived >= 2000 && lived <= 5500, `ended after ${lived} ms (expected 3-4 s after login)`);
    });
  });
});

describe('passwords', () => {
  test('changing the password ends the user\'s other sessions but keeps the current one', T, async () => {
    const { client: a, username, password } = await activeUser(srv, { school: 'regenboog' });
    const b = srv.client();
    assertRedirect(await b.login(username, password), '/');
    const other = srv.addUser({ school: 'regenboog' }); // another user's session is not touched
    const o = srv.client();
    assertRedirect(await o.login(other.username, other.otp), '/wachtwoord-wijzigen');

    const fresh = goodPassword();
    const res = await a.changePassword(password, fresh, fresh, { formPage: '/mijn-gegevens' });
    assertRedirect(res, '/mijn-gegevens?gewijzigd=1');
    const page = await a.get('/mijn-gegevens?gewijzigd=1');
    assert.equal(page.status, 200, 'the current session continues');
    assert.match(textOf(page.body), /Je wachtwoord is gewijzigd\./);
    assertRedirect(await b.get('/'), '/aanmelden', 'the other session of the same user ended');
    assertRedirect(await o.get('/'), '/wachtwoord-wijzigen', 'another user\'s session is untouched');
    await assertCannotLogIn(srv, username, password);
    await assertCanLogIn(srv, username, fresh);
  });

  test('with a one-time password every page redirects to /wachtwoord-wijzigen until it is changed', T, async () => {
    const u = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    const second = srv.client(); // a second session, also with the one-time password
    assertRedirect(await c.login(u.username, u.otp), '/wachtwoord-wijzigen');
    assertRedirect(await second.login(u.username, u.otp), '/wachtwoord-wijzigen');
    for (const path of ['/', '/mijn-gegevens', '/mijn-gegevens?gewijzigd=1'])
      assertRedirect(await c.get(path), '/wachtwoord-wijzigen', `GET ${path}`);
    const page = await c.get('/wachtwoord-wijzigen');
    assert.equal(page.status, 200);
    assert.match(textOf(page.body), /Kies je eigen wachtwoord/);
    assert.doesNotMatch(page.body, /href="\/mijn-gegevens"/, 'no menu links while the one-time password is in use');
    assert.match(page.body, /<form method="post" action="\/afmelden">/, 'but logging out is possible');
    assert.equal((await c.get('/help/aanmelden')).status, 200, 'help stays reachable');

    assert.equal((await c.changePassword(u.otp, u.otp)).status, 422, 'keeping the one-time password is refused');
    const fresh = goodPassword();
    assertRedirect(await c.changePassword(u.otp, fresh), '/?wachtwoord=gewijzigd');
    assert.equal((await c.get('/')).status, 200);
    assertRedirect(await c.get('/wachtwoord-wijzigen'), '/mijn-gegevens', 'the forced page is done');
    assertRedirect(await second.get('/wachtwoord-wijzigen'), '/aanmelden', 'the other one-time session ended');
    await assertCannotLogIn(srv, u.username, u.otp);
    await assertCanLogIn(srv, u.username, fresh);
  });

  test('admin user reset-password gives a new one-time password and ends existing sessions', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    assert.equal((await client.get('/')).status, 200);
    const otp = srv.resetPassword(username);
    assert.match(otp, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    assertRedirect(await client.get('/'), '/aanmelden', 'the existing session ended');
    await assertCannotLogIn(srv, username, password);
    const c = srv.client();
    assertRedirect(await c.login(username, otp), '/wachtwoord-wijzigen');
    assertRedirect(await c.get('/'), '/wachtwoord-wijzigen');
  });

  test('admin user list shows which accounts still have a one-time password', T, async () => {
    const fresh = srv.addUser({ school: 'regenboog' });
    const { username: active } = await activeUser(srv, { school: 'regenboog' });
    const listed = srv.admin('user', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${fresh.username}\\s+docent\\s+regenboog\\s.*eenmalig wachtwoord$`, 'm'));
    assert.match(listed.stdout, new RegExp(`^${active}\\s+docent\\s+regenboog\\s.*actief$`, 'm'));
  });

  test('weak new passwords are refused with 422 and a Dutch reason, and nothing changes', T, async () => {
    const username = `meester.jansen${process.pid % 100}`;
    const u = srv.addUser({ school: 'regenboog', username });
    const c = srv.client();
    assertRedirect(await c.login(u.username, u.otp), '/wachtwoord-wijzigen');
    const cases = [
      ['kort-1', /te kort.*minstens 12 tekens/],
      ['wachtwoord12345', /veel gebruikt/],
      [`${username}-fietst-naar-school`, /bevat je gebruikersnaam/],
      ['ik zit op OBS De Regenboog!', /naam van je school/],
      ['abababababababab', /herhaalt steeds dezelfde tekens/],
    ];
    for (const [fresh, reason] of cases) {
      const res = await c.changePassword(u.otp, fresh);
      assert.equal(res.status, 422, fresh);
      assert.match(res.body, /<html lang="nl">/);
      const text = textOf(res.body);
      assert.match(text, /Er ging iets mis/, fresh);
      assert.match(text, reason, fresh);
      assert.match(text, /Kies je eigen wachtwoord/, 'the forced page is shown again');
    }
    const mismatch = await c.changePassword(u.otp, goodPassword(), goodPassword());
    assert.equal(mismatch.status, 422);
    assert.match(textOf(mismatch.body), /niet gelijk/);
    const wrongCurrent = await c.changePassword('fout-huidig-wachtwoord', 'een-prima-nieuw-wachtwoord');
    assert.equal(wrongCurrent.status, 422);
    // on the forced page the current password is the one-time password
    assert.match(textOf(wrongCurrent.body), /eenmalige wachtwoord klopt niet/);
    // nothing changed: still a one-time password, and it still works
    assertRedirect(await c.get('/'), '/wachtwoord-wijzigen');
    await assertCanLogIn(srv, u.username, u.otp, '/wachtwoord-wijzigen');
  });

  test('a refused change on Mijn gegevens shows that page again with 422', T, async () => {
    const { client, username, password } = await activeUser(srv, { school: 'regenboog' });
    const res = await client.changePassword(password, 'wachtwoord12345', 'wachtwoord12345', { formPage: '/mijn-gegevens' });
    assert.equal(res.status, 422);
    const text = textOf(res.body);
    assert.match(text, /Mijn gegevens/);
    assert.match(text, /veel gebruikt/);
    assert.match(res.body, /href="#nieuw"/, 'the error links to the field');
    await assertCanLogIn(srv, username, password);
  });
});

describe('security headers and cookies', () => {
  function assertSecurityHeaders(res, what, { cacheable = false } = {}) {
    const h = res.headers;
    assert.equal(h['content-security-policy'], CSP, `${what}: CSP`);
    assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
    assert.equal(h.server, undefined, `${what}: no Server header`);
    assert.equal(h['x-powered-by'], undefined, `${what}: no X-Powered-By`);
    assert.equal(h['strict-transport-security'], undefined, `${what}: no HSTS without TLS`);
    if (cacheable) assert.doesNotMatch(h['cache-control'] ?? '', /no-store/, `${what}: cacheable`);
    else assert.equal(h['cache-control'], 'no-store', `${what}: Cache-Control`);
  }

  test('every response carries the security headers', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    const anon = srv.client();
    const checks = [
      ['login page', await anon.get('/aanmelden')],
      ['redirect', await anon.get('/')],
      ['home', await client.get('/')],
      ['mijn gegevens', await client.get('/mijn-gegevens')],
      ['help', await anon.get('/help/aanmelden')],
      ['healthz', await anon.get('/healthz')],
      ['404', await anon.get('/bestaat-niet')],
      ['405', await anon.request('/', { method: 'PUT', body: '' })],
      ['403', await client.request('/afmelden', { form: {} })],
      ['HEAD', await anon.request('/aanmelden', { method: 'HEAD' })],
    ];
    const big = await rawConnection(srv.port);
    await big.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${FORM_LIMIT + 1}\r\n\r\n`);
    await within(big.closed, 10000, '413 response');
    assert.equal(big.status(), 413);
    checks.push(['413', { status: 413, headers: big.headers() }]);
    const expected = { '404': 404, '405': 405, '403': 403, '413': 413, redirect: 303 };
    for (const [what, res] of checks) {
      assert.equal(res.status, expected[what] ?? 200, `${what}: status`);
      assertSecurityHeaders(res, what);
    }
    const css = await anon.get('/static/style.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'], /^text\/css/);
    assertSecurityHeaders(css, 'static css', { cacheable: true });
    assert.equal((await anon.get('/static/bestaat-niet.css')).status, 404);
  });

  test('pages have no inline script or style (the CSP would block them)', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    for (const path of ['/', '/mijn-gegevens', '/help/aanmelden']) {
      const res = await client.get(path);
      assert.doesNotMatch(res.body, /<script|<style|\sstyle=|\son[a-z]+=/i, path);
    }
    const login = await srv.client().get('/aanmelden');
    assert.doesNotMatch(login.body, /<script|<style|\sstyle=|\son[a-z]+=/i, '/aanmelden');
  });

  test('cookies are HttpOnly, SameSite=Strict, Path=/ and not Secure without TLS', T, async () => {
    const u = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    const form = await c.get('/aanmelden');
    const login = await c.login(u.username, u.otp);
    const { csrf } = await c.getForm('/wachtwoord-wijzigen');
    const logout = await c.request('/afmelden', { form: { csrf } });
    const lang = await c.get('/taal/en');
    const seen = [...form.cookies, ...login.cookies, ...logout.cookies, ...lang.cookies];
    const names = new Set(seen.map((x) => x.name));
    for (const n of ['biebsync_pre', 'biebsync']) assert.ok(names.has(n), `cookie ${n} was set`);
    assert.equal(seen.filter((x) => x.name.startsWith('__Host-')).length, 0, 'no __Host- prefix without TLS');
    for (const ck of seen) {
      assert.equal(ck.attrs.httponly, true, `${ck.raw}: HttpOnly`);
      assert.equal(ck.attrs.samesite, 'Strict', `${ck.raw}: SameSite=Strict`);
      assert.equal(ck.attrs.path, '/', `${ck.raw}: Path=/`);
      assert.equal(ck.attrs.secure, undefined, `${ck.raw}: no Secure without TLS`);
      assert.equal(ck.attrs.domain, undefined, `${ck.raw}: no Domain`);
    }
    const session = login.cookies.find((x) => x.name === 'biebsync');
    assert.equal(session.attrs['max-age'], undefined, 'the session cookie lasts as long as the browser');
    const ended = logout.cookies.find((x) => x.name === 'biebsync');
    assert.equal(ended.attrs['max-age'], '0', 'logout removes the cookie');
  });

  test('the language switch sets a cookie and the pages turn English', T, async () => {
    const c = srv.client();
    assertRedirect(await c.get('/taal/en'), '/');
    const en = await c.get('/aanmelden');
    assert.match(en.body, /<html lang="en">/);
    assert.match(textOf(en.body), /How do I log in\?/);
    assertRedirect(await c.get('/taal/nl'), '/');
    assert.match((await c.get('/aanmelden')).body, /<html lang="nl">/);
  });
});

describe('escaping', () => {
  test('a school named <script>alert(1)</script> is shown as text to its docent and the library', T, async () => {
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
    const { client: docent } = await activeUser(srv, { school: 'xss' });
    const { client: library } = await activeUser(srv, { role: 'bibliotheek' });
    for (const [who, c, path] of [['docent', docent, '/'], ['docent', docent, '/mijn-gegevens'], ['bibliotheek', library, '/']]) {
      const res = await within(c.get(path), 10000, `${who} GET ${path}`);
      assert.equal(res.status, 200, `${who} ${path}`);
      assert.ok(res.body.includes(escaped), `${who} ${path}: the name appears escaped`);
      assert.ok(!res.body.includes(XSS_NAME), `${who} ${path}: never raw`);
      assert.doesNotMatch(res.body, /<script/i, `${who} ${path}: no script element at all`);
      assert.ok(textOf(res.body).includes(XSS_NAME), `${who} ${path}: the reader sees the name as typed`);
    }
  });
});

describe('methods and limits', () => {
  test('PUT, DELETE and PATCH are 405; a wrong method on a known page is 405 with Allow', T, async () => {
    const c = srv.client();
    for (const [method, path] of [['PUT', '/'], ['DELETE', '/aanmelden'], ['PATCH', '/mijn-gegevens'], ['PUT', '/bestaat-niet']]) {
      const res = await c.request(path, { method, body: '' });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.ok(res.headers.allow, `${method} ${path}: Allow`);
    }
    const post = await c.request('/mijn-gegevens', { form: {} });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const get = await c.get('/afmelden');
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  test('malformed forms are 400 and reach no handler', T, async () => {
    const u = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    const good = `csrf=${csrf}&gebruikersnaam=${u.username}&wachtwoord=${encodeURIComponent(u.otp)}`;
    const bad = {
      'a bad escape': `${good}&x=%zz`,
      'an encoded NUL': `csrf=${csrf}&gebruikersnaam=${u.username}%00&wachtwoord=${u.otp}`,
      'a field sent twice': `${good}&wachtwoord=nog-een`,
      'a control character': `csrf=${csrf}&gebruikersnaam=${u.username}%01&wachtwoord=${u.otp}`,
      'invalid UTF-8': `csrf=${csrf}&gebruikersnaam=${u.username}%ff&wachtwoord=${u.otp}`,
      'an overlong field': `csrf=${csrf}&gebruikersnaam=${'a'.repeat(257)}&wachtwoord=${u.otp}`,
    };
    for (const [what, body] of Object.entries(bad)) {
      const res = await c.request('/aanmelden', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 400, what);
      assert.equal(c.cookie('biebsync'), undefined, `${what}: no session`);
    }
    // undeclared fields are ignored, and the right form still works
    const res = await c.request('/aanmelden', { body: `${good}&extra=1`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assertRedirect(res, '/wachtwoord-wijzigen', 'the well-formed login');
  });

  test('a logged-in visitor of /aanmelden is sent home', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    assertRedirect(await client.get('/aanmelden'), '/');
  });

  test('a POST whose Content-Length exceeds form_limit is 413 before the body is sent', T, async () => {
    const conn = await rawConnection(srv.port);
    await conn.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${FORM_LIMIT + 1}\r\n\r\n`);
    // no body follows: the server must answer from the headers alone
    await within(conn.closed, 10000, 'answer to the oversized Content-Length');
    assert.equal(conn.status(), 413);
    assert.equal(conn.headers().connection, 'close');
  });

  test('a body of exactly form_limit bytes is read (not 413)', T, async () => {
    const c = srv.client();
    const { csrf } = await c.getForm('/aanmelden');
    let body = `csrf=${csrf}&gebruikersnaam=niemand&wachtwoord=x&pad=`;
    body += 'a'.repeat(FORM_LIMIT - body.length);
    assert.equal(body.length, FORM_LIMIT);
    const res = await c.request('/aanmelden', { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 200, 'an ordinary failed login');
    assert.match(textOf(res.body), new RegExp(LOGIN_FAILED));
  });

  test('a chunked POST body that grows past form_limit is refused without being read', T, async (t) => {
    const conn = await rawConnection(srv.port);
    await conn.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = 'a'.repeat(4096);
    let sent = 0;
    while (conn.status() === null && sent < FORM_LIMIT * 4 && !conn.sock.destroyed) {
      if (!(await conn.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))) break;
      sent += chunk.length;
      await sleep(5);
    }
    if (conn.status() === null && !conn.sock.destroyed) await conn.write('0\r\n\r\n'); // end of body
    await within(conn.closed, 10000, 'answer to the growing chunked body');
    const status = conn.status();
    // Past the limit the server keeps nothing.  libmicrohttpd 0.9.75 cannot
    // queue a response while a body is being received, so it drops what
    // follows and answers 413 when the body ends; a body that goes on for
    // another limit's worth has its connection closed without an answer
    // (e2e/hardening-http.test.mjs has the 413).  Anything else (a page, a
    // 400) means the body was read.
    assert.ok(status === 413 || (status === null && sent <= 2 * FORM_LIMIT + 2 * chunk.length),
      `refused after ${sent} bytes, status ${status}: ${conn.received().slice(0, 200)}`);
    if (status === null) t.diagnostic(`connection closed without a 413 after ${sent} bytes`);
    assert.equal((await srv.client().get('/healthz')).status, 200, 'the server is fine afterwards');
  });

  test('the server still works after the refused requests', T, async () => {
    const { client } = await activeUser(srv, { school: 'regenboog' });
    assert.equal((await client.get('/')).status, 200);
    srv.assertHealthy();
  });
});

describe('TLS', () => {
  test('with --tls-cert/--tls-key cookies are __Host- and Secure, and HSTS is sent', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'biebsync-e2e-cert-'));
    try {
      const tls = makeCertificate(dir);
      assert.ok(tls, 'openssl is needed for this test (apt-get install openssl)');
      await withServer({ tls, schools: [REGENBOOG] }, async (s) => {
        assert.equal(s.scheme, 'https', 'the log line says https');
        const u = s.addUser({ school: 'regenboog' });
        const c = s.client();
        const form = await c.get('/aanmelden');
        assert.equal(form.status, 200);
        assert.equal(form.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
        assert.equal(form.headers['content-security-policy'], CSP);
        const pre = form.cookies.find((x) => x.name === '__Host-biebsync_pre');
        assert.ok(pre, `pre-login cookie with the __Host- prefix: ${form.headers['set-cookie']}`);
        const login = await c.login(u.username, u.otp);
        assertRedirect(login, '/wachtwoord-wijzigen', 'login over TLS');
        const session = login.cookies.find((x) => x.name === '__Host-biebsync');
        assert.ok(session, `session cookie with the __Host- prefix: ${login.headers['set-cookie']}`);
        for (const ck of [pre, session]) {
          assert.equal(ck.attrs.secure, true, `${ck.raw}: Secure`);
          assert.equal(ck.attrs.path, '/', `${ck.raw}: Path=/`);
          assert.equal(ck.attrs.domain, undefined, `${ck.raw}: no Domain (required by __Host-)`);
          assert.equal(ck.attrs.httponly, true);
          assert.equal(ck.attrs.samesite, 'Strict');
        }
        assert.equal((await c.get('/wachtwoord-wijzigen')).status, 200, 'the session works over TLS');
        // the unprefixed name is not accepted as the session under TLS
        const plain = s.client();
        plain.setCookie('biebsync', c.cookie('__Host-biebsync'));
        assertRedirect(await plain.get('/wachtwoord-wijzigen'), '/aanmelden', 'unprefixed cookie');
        // an http:// Origin is foreign to an https server
        const d = s.client();
        const { csrf } = await d.getForm('/aanmelden');
        const foreign = await postLogin(d, csrf, u.username, u.otp, { origin: s.url.replace('https:', 'http:') });
        assert.equal(foreign.status, 403);
        // plain HTTP on the TLS port gets no page
        const raw = await rawConnection(s.port);
        await raw.write(`GET /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`);
        await within(raw.closed, 10000, 'plain HTTP to the TLS port');
        assert.doesNotMatch(raw.received(), /Aanmelden/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shutdown', () => {
  test('a request in flight when SIGTERM arrives is still answered', T, async () => {
    await withServer({ schools: [REGENBOOG] }, async (s) => {
      const u = s.addUser({ school: 'regenboog' });
      const c = s.client();
      const { csrf } = await c.getForm('/aanmelden');
      const body = `csrf=${csrf}&gebruikersnaam=${u.username}&wachtwoord=${u.otp}`;
      const conn = await rawConnection(s.port);
      await conn.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: ${s.url}\r\n`
        + `Cookie: ${c.cookieHeader()}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
        + `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
      await sleep(300); // the server has the headers: the request is in flight
      s.proc.kill('SIGTERM');
      await sleep(300);
      assert.equal(s.proc.exitCode, null, 'still running while a request is unfinished');
      await conn.write(body.slice(10));
      await within(conn.closed, 10000, 'the answer to the request in flight');
      assert.equal(conn.status(), 303, conn.received().slice(0, 300));
      assert.match(conn.received(), /Location: \/wachtwoord-wijzigen/);
      const { code } = await within(s.exited, 10000, 'exit after the request in flight');
      assert.equal(code, 0);
      assert.match(s.logs(), /SIGTERM received/);
    });
  });

  test('SIGTERM stops the shared server: exit status 0, port closed, no sanitizer reports', T, async () => {
    const port = srv.port;
    const status = await srv.stop();
    assert.deepEqual(status, { code: 0, signal: null });
    assert.match(srv.logs(), /serve: stopped/);
    await assert.rejects(rawConnection(port), /ECONNREFUSED/);
  });
});
