// The library's schools and accounts in the browser (issue 11), against a
// real server with two library organisations: a library user adds a
// school and an account, prints the one-time-password letter, the teacher
// logs in with it and must choose a password; the library resets a
// forgotten password (the old one stops working), disables and enables an
// account, gets every problem of a refused form next to its field, edits
// its own name and contact (which its schools then see on the login help)
// and adds a colleague.  The other library's user gets a 404 for every
// school and account URL of this library, and nothing changes.  Every new
// page is screenshotted (e2e/artifacts/bieb-*.png) and checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { activeUser, assertRedirect, csrfOf, goodPassword, startServer, textOf } from './lib/server.mjs';
import { ARTIFACTS, follow, launch, logIn, look, openPage, submit, tableRows } from './lib/browser.mjs';

const T = { timeout: 180000 };

const CONFIG_CONTACT = { contact_name: 'Servicepunt Provincie', phone: '0800 123 45 67', email: 'hulp@provincie.example' };

let srv;
let browser;
let west; // { context, page, problems, expect } of the first library's user
let westUser; // { username, otp } of that user
let north; // the second library's user (HTTP)
const made = {}; // what the journey made: school id, account name, passwords

const path = (page) => new URL(page.url()).pathname;

/** Log in over HTTP; true when the password was accepted. */
async function accepted(username, password) {
  const res = await srv.client().login(username, password);
  return res.status === 303;
}

before(async () => {
  srv = await startServer({
    config: { library: CONFIG_CONTACT },
    schools: [{ name: 'OBS Het Anker', brin: '31AB', slug: 'anker' }],
  });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Noord', '--slug', 'noord').code, 0);
  srv.addSchool({ name: 'De Vuurtoren', brin: '32AB', slug: 'vuurtoren', library: 'noord' });
  north = await activeUser(srv, { role: 'bibliotheek', library: 'noord', username: 'bieb-noord' });
  browser = await launch();
  west = await openPage(browser);
  westUser = srv.addUser({ role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-west' });
  await logIn(west.page, srv.url, westUser);
});

after(async () => {
  await browser?.close();
  srv?.kill();
});

describe('a library user in the browser', () => {
  test('the start page lists the library\'s own schools with their figures and a button to add one', T, async () => {
    const { page } = west;
    await page.goto(`${srv.url}/`);
    assert.equal(await page.textContent('h1'), 'Scholen');
    const rows = await tableRows(page, 'table.schools tbody tr');
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['OBS Het Anker', '31AB', '0']],
      'name, BRIN, pupils of the own school; nothing of the other library');
    assert.equal(rows[0][3], 'nog geen', 'no upload applied yet');
    assert.doesNotMatch(textOf(await page.content()), /biebsync admin|Vuurtoren/);
    await look(page, 'bieb-01-scholen', { phone: true });
  });

  test('adding a school with mistakes shows every problem next to its field, and keeps what was typed', T, async () => {
    const { page, expect } = west;
    await follow(page, 'a[href="/bibliotheek/school/nieuw"]');
    assert.equal(await page.textContent('h1'), 'School toevoegen');
    await look(page, 'bieb-02-school-toevoegen', { phone: true });
    await page.fill('#naam', '  ');
    await page.fill('#brin', 'AB12');
    await page.fill('#telefoon', 'bel maar');
    await page.fill('#email', 'juf-at-school');
    // the browser's own checks would stop the form: let the server judge
    await page.$eval('form.form', (f) => f.setAttribute('novalidate', ''));
    expect(422, '/bibliotheek/school/nieuw');
    await submit(page, 'form.form button[type=submit]');
    const summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(summary.map(([href]) => href), ['#naam', '#brin', '#telefoon', '#email']);
    assert.match(summary[1][1], /2 cijfers en dan 2 letters, bijvoorbeeld 12AB/);
    assert.match(summary[2][1], /030 123 45 67/);
    assert.match(summary[3][1], /naam@school\.nl/);
    assert.equal(await page.getAttribute('#brin', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#telefoon'), 'bel maar', 'what was typed stays');
    assert.match(await page.getAttribute('#email', 'aria-describedby'), /email-fout/);
    await look(page, 'bieb-03-school-fouten', { phone: true });
  });

  test('a school with a good name and BRIN is added; its page shows the details and has no account yet', T, async () => {
    const { page } = west;
    await page.fill('#naam', 'OBS De Klimop');
    await page.fill('#brin', '45cd');
    await page.fill('#contactnaam', 'Juf Ans Bakker');
    await page.fill('#telefoon', '030 765 43 21');
    await page.fill('#email', 'ans@klimop.example');
    await submit(page, 'form.form button[type=submit]');
    assert.match(path(page), /^\/bibliotheek\/school\/\d+$/);
    made.school = Number(path(page).split('/').pop());
    assert.equal(await page.textContent('h1'), 'OBS De Klimop');
    assert.match(await page.textContent('.notice'), /De school is toegevoegd/);
    const text = textOf(await page.content());
    assert.match(text, /BRIN-nummer 45CD/, 'the BRIN in capitals');
    assert.match(text, /Korte naam obs-de-klimop/);
    assert.match(text, /Juf Ans Bakker/);
    assert.match(text, /Deze school heeft nog geen account/);
    assert.equal(await page.locator(`a[href="/bibliotheek/imports?school=${made.school}"]`).count(), 1);
    assert.equal(await page.locator(`a[href="/bibliotheek/school/${made.school}/leerlingen"]`).count(), 1);
    await look(page, 'bieb-04-school', { phone: true });
  });

  test('editing the school: the form holds the school as it is; a change is saved and audited', T, async () => {
    const { page } = west;
    await follow(page, `a[href="/bibliotheek/school/${made.school}/bewerken"]`);
    assert.equal(await page.inputValue('#naam'), 'OBS De Klimop');
    assert.equal(await page.inputValue('#brin'), '45CD');
    await look(page, 'bieb-05-school-wijzigen', { phone: true });
    await page.fill('#telefoon', '030 111 22 33');
    await submit(page, 'form.form button[type=submit]');
    assert.equal(path(page), `/bibliotheek/school/${made.school}`);
    assert.match(await page.textContent('.notice'), /opgeslagen/);
    assert.match(textOf(await page.content()), /030 111 22 33/);
  });

  test('adding an account suggests a username from the school and shows the one-time password once, with a letter', T, async () => {
    const { page } = west;
    await follow(page, `a[href="/bibliotheek/school/${made.school}/account-nieuw"]`);
    assert.equal(await page.inputValue('#gebruikersnaam'), 'obs-de-klimop');
    await look(page, 'bieb-06-account-toevoegen', { phone: true });
    await page.fill('#gebruikersnaam', 'juf-ans');
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click('form.form button[type=submit]'),
    ]);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.equal(path(page), `/bibliotheek/school/${made.school}/account-nieuw`, 'the answer to the POST: no password in a URL');
    assert.match(await page.textContent('.notice'), /Het account juf-ans is aangemaakt/);
    made.account = 'juf-ans';
    made.otp = (await page.textContent('.letter code.otp')).trim();
    assert.match(made.otp, /^\S{4}-\S{4}-\S{4}-\S{4}$/);
    const letter = textOf(await page.$eval('.letter', (el) => el.outerHTML));
    assert.match(letter, /Voor OBS De Klimop/);
    assert.ok(letter.includes(`${srv.url}/aanmelden?school=obs-de-klimop`), `the site's address in: ${letter}`);
    assert.match(letter, /Pasnummer\/Gebruikersnaam juf-ans/);
    assert.ok(letter.includes(`Eenmalig wachtwoord ${made.otp}`));
    assert.match(letter, /Kies meteen een eigen wachtwoord van minstens 12 tekens/);
    assert.match(letter, /Servicepunt Provincie/, 'the library has no contact of its own yet: the configured one');
    assert.ok(!srv.logs().includes(made.otp), 'the password is never logged');
    await look(page, 'bieb-07-eenmalig-wachtwoord', { phone: true });
  });

  test('"Brief afdrukken" prints, and the print view is the letter alone', T, async () => {
    const { page } = west;
    await page.evaluate(() => {
      window.printed = 0;
      window.print = () => { window.printed++; };
    });
    await page.click('button[data-print]');
    assert.equal(await page.evaluate(() => window.printed), 1, 'the button calls window.print()');
    await page.emulateMedia({ media: 'print' });
    try {
      const shown = await page.evaluate(() => ['header.site', '.menubar', 'footer.site', '.no-print', '.letter']
        .map((s) => getComputedStyle(document.querySelector(s)).display !== 'none'));
      assert.deepEqual(shown, [false, false, false, false, true]);
      await page.screenshot({ path: `${ARTIFACTS}/bieb-08-brief-afdrukken.png`, fullPage: true });
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  test('the teacher logs in with the password from the letter and must choose a new one', T, async () => {
    const teacher = await openPage(browser);
    try {
      made.password = await logIn(teacher.page, srv.url, { username: made.account, otp: made.otp });
      assert.equal(await teacher.page.textContent('.school'), 'OBS De Klimop');
      assert.deepEqual(teacher.problems, []);
    } finally {
      await teacher.context.close();
    }
    const { page } = west;
    await page.goto(`${srv.url}/bibliotheek/school/${made.school}`);
    const rows = await tableRows(page, 'table.accounts tbody tr');
    assert.equal(rows.length, 1);
    assert.equal(rows[0][0], 'juf-ans');
    assert.notEqual(rows[0][1], 'nog nooit', 'the last login is shown');
    assert.equal(rows[0][2], 'Actief');
    assert.equal(rows[0][3], 'Uit', 'two-step login is off');
    await look(page, 'bieb-09-school-met-account', { phone: true });
  });

  test('a forgotten password: the library sets a new one-time password and the old password stops working', T, async () => {
    const { page } = west;
    assert.ok(await accepted(made.account, made.password));
    await submit(page, `tr:has-text("juf-ans") form[action$="/wachtwoord"] button`);
    assert.match(await page.textContent('.notice'), /nieuw eenmalig wachtwoord/);
    const fresh = (await page.textContent('.letter code.otp')).trim();
    assert.notEqual(fresh, made.otp);
    assert.equal(await accepted(made.account, made.password), false, 'the old password no longer works');
    const c = srv.client();
    assertRedirect(await c.login(made.account, fresh), '/wachtwoord-wijzigen', 'the new one-time password must be replaced');
    made.password = goodPassword();
    assertRedirect(await c.changePassword(fresh, made.password), '/?wachtwoord=gewijzigd');
  });

  test('disabling stops the account logging in; enabling lets it in again', T, async () => {
    const { page } = west;
    await page.goto(`${srv.url}/bibliotheek/school/${made.school}`);
    await submit(page, 'tr:has-text("juf-ans") form[action$="/uitzetten"] button');
    assert.match(await page.textContent('.notice'), /uitgezet/);
    assert.equal((await tableRows(page, 'table.accounts tbody tr'))[0][2], 'Uitgezet');
    assert.equal(await accepted(made.account, made.password), false);
    await look(page, 'bieb-10-account-uitgezet');
    await submit(page, 'tr:has-text("juf-ans") form[action$="/aanzetten"] button');
    assert.match(await page.textContent('.notice'), /weer aangezet/);
    assert.ok(await accepted(made.account, made.password));
  });

  test('an account with two-step login on shows it, with the form to reset the second step', T, async () => {
    const { page } = west;
    const r = spawnSync('sqlite3', [srv.dbPath, `UPDATE accounts SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'juf-ans'`],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, r.stderr);
    await page.goto(`${srv.url}/bibliotheek/school/${made.school}`);
    assert.equal((await tableRows(page, 'table.accounts tbody tr'))[0][3], 'Aan');
    const form = page.locator('tr:has-text("juf-ans") form[action$="/tweestaps-herstellen"]');
    assert.equal(await form.count(), 1);
    assert.match(await form.getAttribute('action'), /^\/bibliotheek\/account\/\d+\/tweestaps-herstellen$/);
    assert.equal(await form.locator('input[name=csrf]').count(), 1);
    assert.match(await form.locator('button').textContent(), /Tweestaps herstellen/);
    await look(page, 'bieb-10b-account-tweestaps');
    spawnSync('sqlite3', [srv.dbPath, `UPDATE accounts SET totp_secret = '' WHERE username = 'juf-ans'`]);
  });

  test('every action is in the library\'s audit log', T, async () => {
    const { page } = west;
    await page.goto(`${srv.url}/bibliotheek/logboek?school=${made.school}`);
    const kinds = (await tableRows(page, 'table.audit tbody tr')).map((r) => r[1]);
    for (const k of ['School toegevoegd', 'Schoolgegevens gewijzigd', 'Account aangemaakt', 'Nieuw eenmalig wachtwoord',
      'Account uitgeschakeld', 'Account ingeschakeld'])
      assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  });

  test('Onze bibliotheek: name and contact are saved, and the library\'s schools see the contact when logging in', T, async () => {
    const { page, expect } = west;
    await follow(page, 'nav.menu a[href="/bibliotheek/organisatie"]');
    assert.equal(await page.textContent('h1'), 'Onze bibliotheek');
    assert.deepEqual((await tableRows(page, 'table.accounts tbody tr')).map((r) => r[0]), ['bieb-west (jij)'],
      'the library\'s own accounts; not the other library\'s');
    await look(page, 'bieb-11-organisatie', { phone: true });
    await page.fill('#email', 'geen adres');
    expect(422, '/bibliotheek/organisatie');
    await page.$eval('form.form', (f) => f.setAttribute('novalidate', ''));
    await submit(page, 'form.form button[type=submit]');
    assert.deepEqual(await page.$$eval('.error-summary li a', (as) => as.map((a) => a.getAttribute('href'))), ['#email']);
    await page.fill('#naam', 'Bibliotheek West');
    await page.fill('#contactnaam', 'Marieke de Boer, mediacoach');
    await page.fill('#telefoon', '0344 12 34 56');
    await page.fill('#email', 'marieke@west.example');
    await submit(page, 'form.form button[type=submit]');
    assert.match(await page.textContent('.notice'), /opgeslagen/);
    assert.equal(await page.inputValue('#naam'), 'Bibliotheek West');
    // a visitor from the letter's link sees this library's contact ...
    const anon = srv.client();
    for (const p of ['/aanmelden?school=obs-de-klimop', '/help/aanmelden?school=obs-de-klimop']) {
      const t = textOf((await anon.get(p)).body);
      assert.match(t, /Marieke de Boer, mediacoach/, p);
      assert.match(t, /0344 12 34 56/, p);
      assert.doesNotMatch(t, /Servicepunt Provincie/, p);
    }
    // ... the teacher logged in too; a visitor who names no school, or a
    // school of a library without a contact, the configured one
    const t = textOf((await anon.get('/help/aanmelden')).body);
    assert.match(t, /Servicepunt Provincie/);
    assert.match(textOf((await anon.get('/help/aanmelden?school=vuurtoren')).body), /Servicepunt Provincie/);
    const teacher = srv.client();
    assert.equal((await teacher.login(made.account, made.password)).status, 303);
    assert.match(textOf((await teacher.get('/help/aanmelden')).body), /marieke@west\.example/);
  });

  test('a colleague\'s library account is added from Onze bibliotheek, with its own letter', T, async () => {
    const { page } = west;
    await follow(page, 'a[href="/bibliotheek/organisatie/account-nieuw"]');
    assert.match(await page.inputValue('#gebruikersnaam'), /^bibliotheek/);
    await page.fill('#gebruikersnaam', 'bieb-collega');
    await submit(page, 'form.form button[type=submit]');
    const otp = (await page.textContent('.letter code.otp')).trim();
    assert.match(textOf(await page.$eval('.letter', (el) => el.outerHTML)), /Voor Bibliotheek West/);
    const c = srv.client();
    assertRedirect(await c.login('bieb-collega', otp), '/wachtwoord-wijzigen');
    await page.goto(`${srv.url}/bibliotheek/organisatie`);
    assert.deepEqual((await tableRows(page, 'table.accounts tbody tr')).map((r) => r[0]).sort(),
      ['bieb-collega', 'bieb-west (jij)']);
    assert.equal(await page.locator('tr:has-text("bieb-west") form').count(), 0, 'no buttons on the own account');
    assert.deepEqual(west.problems, [], 'no console errors, CSP violations or unexpected HTTP errors');
  });
});

describe('over HTTP', () => {
  test('a taken username and a bad one are refused with how to fix them', T, async () => {
    const c = srv.client();
    assert.equal((await c.login(made.account, made.password)).status, 303); // a teacher: 403 on library pages
    assert.equal((await c.get(`/bibliotheek/school/${made.school}`)).status, 403);
    const lib = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek' });
    const form = await lib.client.get(`/bibliotheek/school/${made.school}/account-nieuw`);
    const csrf = csrfOf(form.body);
    let res = await lib.client.request(`/bibliotheek/school/${made.school}/account-nieuw`, { form: { csrf, gebruikersnaam: 'JUF-ANS' } });
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /Deze gebruikersnaam bestaat al/);
    res = await lib.client.request(`/bibliotheek/school/${made.school}/account-nieuw`, { form: { csrf, gebruikersnaam: 'juf ans!' } });
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /alleen letters, cijfers en \. _ @ -/);
    res = await lib.client.request('/bibliotheek/school/nieuw', { form: { csrf, naam: 'OBS De Klimop', brin: '45CD' } });
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /Er is al een school met zo'n naam/);
    // without the token nothing happens
    res = await lib.client.request('/bibliotheek/school/nieuw', { form: { naam: 'Zonder token', brin: '46CD' } });
    assert.equal(res.status, 403);
    assert.doesNotMatch(textOf((await lib.client.get('/')).body), /Zonder token/);
    // one's own account is not reset or disabled here
    const me = /<tr id="account-(\d+)"><th scope="row"[^>]*>([^<]*)<\/th>/g;
    const ids = Object.fromEntries([...(await lib.client.get('/bibliotheek/organisatie')).body.matchAll(me)].map((m) => [m[2].trim(), m[1]]));
    const mine = ids[`${lib.username} (jij)`] ?? ids[lib.username];
    assert.ok(mine, `own row in ${JSON.stringify(ids)}`);
    res = await lib.client.request(`/bibliotheek/account/${mine}/uitzetten`, { form: { csrf } });
    assert.equal(res.status, 403);
    assert.match(textOf(res.body), /Je eigen account kun je niet uitzetten/);
  });

  test('the other library\'s user gets 404 on every school and account URL of this library, and nothing changes', T, async () => {
    const lib = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek' });
    const page = await lib.client.get(`/bibliotheek/school/${made.school}`);
    const account = /<tr id="account-(\d+)"/.exec(page.body)[1];
    const csrf = csrfOf((await north.client.get('/')).body);
    const gets = [`/bibliotheek/school/${made.school}`, `/bibliotheek/school/${made.school}/bewerken`,
      `/bibliotheek/school/${made.school}/account-nieuw`];
    for (const p of gets) assert.equal((await north.client.get(p)).status, 404, `GET ${p}`);
    const posts = [
      [`/bibliotheek/school/${made.school}/bewerken`, { naam: 'Overgenomen', brin: '99ZZ' }],
      [`/bibliotheek/school/${made.school}/account-nieuw`, { gebruikersnaam: 'indringer' }],
      [`/bibliotheek/account/${account}/wachtwoord`, {}],
      [`/bibliotheek/account/${account}/uitzetten`, {}],
      [`/bibliotheek/account/${account}/aanzetten`, {}],
    ];
    for (const [p, fields] of posts) {
      const res = await north.client.request(p, { form: { csrf, ...fields } });
      assert.equal(res.status, 404, `POST ${p}`);
      assert.doesNotMatch(textOf(res.body), /Klimop|juf-ans/, 'the 404 reveals nothing');
    }
    // a missing id answers exactly the same
    const missing = await north.client.get('/bibliotheek/school/999999');
    assert.equal(missing.status, 404);
    assert.equal(textOf(missing.body), textOf((await north.client.get(`/bibliotheek/school/${made.school}`)).body));
    assert.ok(await accepted(made.account, made.password), 'the teacher\'s password still works');
    const after = textOf((await lib.client.get(`/bibliotheek/school/${made.school}`)).body);
    assert.match(after, /OBS De Klimop/);
    assert.doesNotMatch(after, /indringer|Overgenomen|Uitgezet/);
    assert.doesNotMatch(textOf((await north.client.get('/')).body), /Klimop|Anker/, 'the other library\'s start page');
  });

  test('the server stays healthy', T, async () => {
    srv.assertHealthy();
  });
});
