// Guessing a password after login, and guessing in parallel (issue 12,
// points 1 and 6), against a real server: the current password on
// /wachtwoord-wijzigen and /tweestaps/uit is throttled and audited like a
// login (per account, on the login's own counter) and a burst of wrong
// ones ends the session, with the reason on Aanmelden; thirty wrong logins
// for one user sent at once get at most the limit checked, and the right
// password is refused until the lockout has passed.  What is checked is
// read from the audit log in the database and from the answers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import {
  activeUser, assertRedirect, csrfOf, goodPassword, setUpTwoStep, sleep, textOf, withServer,
} from './lib/server.mjs';

const T = { timeout: 240000 };
const REGENBOOG = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const LIMIT = 5;

function sql(srv, query) {
  const r = spawnSync('sqlite3', [srv.dbPath, query], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

const accountId = (srv, username) => Number(sql(srv, `SELECT id FROM accounts WHERE username = '${username}'`));
const auditCount = (srv, event, username, extra = '') =>
  Number(sql(srv, `SELECT count(*) FROM audit_log WHERE event = '${event}'
    AND account_id = ${accountId(srv, username)} ${extra}`));

describe('the current password after login', () => {
  const config = { login: { max_failures_account: LIMIT, lockout: '60s' } };

  test('sixty wrong current passwords: the limit checked and audited, then 429 and the session ended', T, async () => {
    await withServer({ config, schools: [REGENBOOG] }, async (srv) => {
      const u = await activeUser(srv, { school: 'regenboog' });
      const other = srv.client(); // a second session of the same account
      assertRedirect(await other.login(u.username, u.password), '/');
      const c = u.client;
      const session = c.cookie('biebsync');
      const csrf = csrfOf((await c.get('/mijn-gegevens')).body);
      const answers = [];
      for (let i = 1; i <= 60; i++) {
        c.setCookie('biebsync', session); // an attacker keeps the cookie
        const res = await c.request('/wachtwoord-wijzigen', {
          form: { csrf, huidig: `gok-${i}-wachtwoord`, nieuw: 'nieuw-wachtwoord-1234', herhaal: 'nieuw-wachtwoord-1234' },
        });
        answers.push(res);
      }
      for (let i = 0; i < LIMIT - 1; i++) {
        assert.equal(answers[i].status, 422, `wrong password ${i + 1}`);
        assert.match(textOf(answers[i].body), /Het huidige wachtwoord klopt niet/);
      }
      const ended = answers[LIMIT - 1];
      assert.equal(ended.status, 429, 'the try that reaches the limit');
      assert.match(textOf(ended.body), /Je bent afgemeld, omdat het huidige wachtwoord te vaak verkeerd is ingevuld/);
      assert.match(ended.body, /<form method="post" action="\/aanmelden"/, 'the answer is the login page');
      assert.ok(ended.cookies.some((k) => k.name === 'biebsync' && (k.value === '' || k.attrs['max-age'] === '0')),
        'the session cookie is cleared');
      for (const [i, res] of answers.entries())
        if (i >= LIMIT) assert.notEqual(res.status, 422, `try ${i + 1} was not checked`);
      assert.equal(auditCount(srv, 'password_check_failed', u.username, "AND detail = 'password change'"), LIMIT,
        'every checked try audited, and no more than the limit checked');
      assert.equal(auditCount(srv, 'session_ended', u.username), 1);
      c.setCookie('biebsync', session);
      assertRedirect(await c.get('/mijn-gegevens'), '/aanmelden', 'the session is gone on the server');

      // the account is now throttled everywhere: the other session is not
      // even checked with the right password, and the login refuses it
      const fresh = goodPassword();
      const throttled = await other.changePassword(u.password, fresh, fresh, { formPage: '/mijn-gegevens' });
      assert.equal(throttled.status, 429);
      assert.match(textOf(throttled.body), /Het huidige wachtwoord is te vaak verkeerd ingevuld\. Wacht een kwartier/);
      assert.equal(auditCount(srv, 'password_check_throttled', u.username), 1);
      assert.equal((await other.get('/mijn-gegevens')).status, 200, 'one throttled try does not end that session');
      assert.equal((await srv.client().login(u.username, u.password)).status, 429, 'the login is throttled too');
      assert.equal(auditCount(srv, 'password_changed', u.username), 1, 'only the first password change happened');
    });
  });

  test('turning two-step login off: wrong passwords audited, throttled on the login counter', T, async () => {
    await withServer({ config, schools: [REGENBOOG] }, async (srv) => {
      const u = await activeUser(srv, { school: 'regenboog' });
      await setUpTwoStep(u.client, u.username);
      const off = (password) => u.client.postForm('/tweestaps/uit', { huidig: password }, { formPage: '/mijn-gegevens' });
      const wrong = await off('niet-mijn-wachtwoord');
      assert.equal(wrong.status, 422);
      assert.match(textOf(wrong.body), /Dit wachtwoord klopt niet\. Tweestapsverificatie staat nog aan\./);
      assert.equal(auditCount(srv, 'password_check_failed', u.username, "AND detail = 'turning off two-step login'"), 1);
      // wrong logins elsewhere fill the same counter
      for (let i = 0; i < LIMIT - 1; i++)
        assert.equal((await srv.client().login(u.username, `fout-${i}-wachtwoord`)).status, 200);
      const right = await off(u.password);
      assert.equal(right.status, 429, 'the right password is not checked now');
      assert.match(textOf(right.body), /te vaak verkeerd ingevuld/);
      assert.notEqual(sql(srv, `SELECT totp_secret FROM accounts WHERE username = '${u.username}'`), '',
        'two-step login stays on');
      assert.equal(auditCount(srv, 'password_check_throttled', u.username,
        "AND detail = 'turning off two-step login'"), 1);
    });
  });
});

describe('guessing in parallel', () => {
  test('thirty wrong logins at once get at most the limit checked; the right password waits for the lockout', T, async () => {
    const lockout = 5;
    const config = { login: { max_failures_account: LIMIT, lockout: `${lockout}s` } };
    await withServer({ config, schools: [REGENBOOG] }, async (srv) => {
      const u = srv.addUser({ school: 'regenboog' });
      const clients = [];
      for (let i = 0; i < 30; i++) {
        const c = srv.client();
        clients.push({ c, csrf: (await c.getForm('/aanmelden')).csrf });
      }
      const answers = await Promise.all(clients.map(({ c, csrf }, i) =>
        c.request('/aanmelden', { form: { csrf, gebruikersnaam: u.username, wachtwoord: `gok-${i}-wachtwoord` } })));
      const checked = answers.filter((r) => r.status === 200).length;
      const throttled = answers.filter((r) => r.status === 429).length;
      assert.equal(checked + throttled, 30, `statuses: ${answers.map((r) => r.status).join(' ')}`);
      assert.ok(checked >= 1 && checked <= LIMIT, `${checked} guesses checked, at most ${LIMIT} allowed`);
      assert.equal(auditCount(srv, 'login_failed', u.username), checked, 'one audit row per checked guess');
      assert.equal(auditCount(srv, 'login_throttled', u.username), throttled);

      const right = await srv.client().login(u.username, u.otp);
      assert.equal(right.status, 429, 'the right password is refused while locked');
      await sleep((lockout + 1.2) * 1000); // whole seconds: past the lockout of the last failure
      assertRedirect(await srv.client().login(u.username, u.otp), '/wachtwoord-wijzigen', 'after the lockout');
    });
  });
});
