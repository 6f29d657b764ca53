// API keys in the library's web area (issue 13, point 1), against a real
// server with two library organisations.  A library user makes a key in
// the browser and reads its secret from the page that answers the form;
// the secret is on that page only: not in a URL, a cookie, a log line,
// the database, the list of keys or any other page, where the key shows
// by its prefix, with who made it and when it was last used.  An empty or too long name is refused next to the field.
// The key is revoked after a confirmation page, and both steps are in the
// library's logboek.  The other library's user gets 404 for this
// library's key and cannot see it; a teacher gets 403; a form posted
// without the CSRF token or from another site changes nothing.  The list,
// the shown-once page and the confirmation are screenshotted
// (e2e/artifacts/bieb-api-*.png) and checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { activeUser, csrfOf, startServer, textOf } from './lib/server.mjs';
import { follow, launch, logIn, look, openPage, submit, tableRows } from './lib/browser.mjs';

const T = { timeout: 180000 };

let srv;
let browser;
let west; // { context, page, problems, expect } of the first library's user
let westUser;
let north; // the second library's user (HTTP)
let teacher; // a school account of the first library (HTTP)
const made = {}; // what the journey made: the secret, its key's id

const path = (page) => new URL(page.url()).pathname;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** The ids of the keys on a list page, by name: { name: id }. */
function keyIds(body) {
  const row = /<tr id="sleutel-(\d+)"[^>]*><th scope="row"[^>]*>([^<]*)<\/th>/g;
  return Object.fromEntries([...body.matchAll(row)].map((m) => [m[2], Number(m[1])]));
}

/** The text of the row of the key named name on a list page ('' when none). */
function rowOf(body, name) {
  const rows = [...body.matchAll(/<tr id="sleutel-\d+"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]));
  return rows.find((r) => r.startsWith(`${name} `)) ?? '';
}

/** An HTTP client that is the browser's logged-in library user. */
async function westClient() {
  const c = srv.client();
  for (const k of await west.context.cookies()) c.setCookie(k.name, k.value);
  return c;
}

/** The bytes of the database and its write-ahead log. */
function databaseBytes() {
  return [srv.dbPath, `${srv.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
}

before(async () => {
  srv = await startServer({ schools: [{ name: 'OBS Het Anker', brin: '31AB', slug: 'anker' }] });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Noord', '--slug', 'noord').code, 0);
  srv.addSchool({ name: 'De Vuurtoren', brin: '32AB', slug: 'vuurtoren', library: 'noord' });
  north = await activeUser(srv, { role: 'bibliotheek', library: 'noord', username: 'bieb-noord' });
  teacher = await activeUser(srv, { school: 'anker', username: 'juf-anker' });
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
  test('the menu leads to API-sleutels: no keys yet, and a form to make one', T, async () => {
    const { page } = west;
    await follow(page, 'nav.menu a[href="/bibliotheek/api-sleutels"]');
    assert.equal(await page.textContent('h1'), 'API-sleutels');
    const text = textOf(await page.content());
    assert.match(text, /Je bibliotheek heeft nog geen API-sleutels/);
    assert.match(text, /alleen lezen/);
    assert.equal(await page.textContent('label[for="naam"]'), 'Waarvoor is de sleutel?');
    assert.equal(await page.locator('form[action="/bibliotheek/api-sleutels"] input[name=csrf]').count(), 1);
    await look(page, 'bieb-api-01-geen-sleutels', { phone: true });
  });

  test('an empty name is refused next to the field, and so is one that is too long', T, async () => {
    const { page, expect } = west;
    await page.$eval('form.form', (f) => f.setAttribute('novalidate', ''));
    await page.fill('#naam', '   ');
    expect(422, '/bibliotheek/api-sleutels');
    await submit(page, 'form.form button[type=submit]');
    const summary = await page.$$eval('.error-summary li a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(summary, [['#naam', 'Vul in waarvoor de sleutel is, bijvoorbeeld “Wise koppeling”.']]);
    assert.match(await page.textContent('#naam-fout'), /Vul in waarvoor de sleutel is/);
    assert.equal(await page.getAttribute('#naam', 'aria-invalid'), 'true');
    await look(page, 'bieb-api-01b-naam-leeg');
    const long = 'Wise koppeling voor de provinciale bibliotheekcentrale en alle vestigingen in de regio Utrecht-West, versie twee';
    assert.ok(long.length > 100);
    await page.$eval('form.form', (f) => f.setAttribute('novalidate', ''));
    await page.$eval('#naam', (i) => i.removeAttribute('maxlength'));
    await page.fill('#naam', long);
    expect(422, '/bibliotheek/api-sleutels');
    await submit(page, 'form.form button[type=submit]');
    assert.match(await page.textContent('#naam-fout'), /Die naam is te lang: gebruik hooguit 100 tekens/);
    assert.equal(await page.inputValue('#naam'), long, 'what was typed stays');
    assert.match(textOf(await page.content()), /nog geen API-sleutels/, 'no key was made');
  });

  test('making a key shows its secret once, in the answer to the form, with what it reads and a curl example', T, async () => {
    const { page } = west;
    await page.fill('#naam', 'Wise koppeling');
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click('form.form button[type=submit]'),
    ]);
    assert.equal(response.status(), 200);
    assert.equal(response.request().method(), 'POST', 'the answer to the POST, not a redirect');
    assert.equal(response.request().redirectedFrom(), null);
    assert.equal(response.headers()['cache-control'], 'no-store');
    assert.equal(response.headers()['set-cookie'], undefined, 'no cookie is set');
    assert.equal(path(page), '/bibliotheek/api-sleutels');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.textContent('h1'), 'Je nieuwe API-sleutel');
    assert.match(await page.textContent('.notice'), /De API-sleutel “Wise koppeling” is aangemaakt/);
    made.secret = (await page.textContent('code#sleutel')).trim();
    assert.match(made.secret, /^bbs_[A-Za-z0-9_-]{43}$/);
    const text = textOf(await page.content());
    assert.match(text, /Je ziet hem alleen op deze pagina/);
    assert.match(text, /de leerlingenlijsten van alle scholen van Bibliotheek/);
    assert.match(text, /net als met een wachtwoord/);
    assert.equal((await page.textContent('pre.example')).trim(),
      `curl -H "Authorization: Bearer ${made.secret}" ${srv.url}/api/v1/schools`);
    // one click selects the whole key
    assert.equal(await page.$eval('code#sleutel', (c) => getComputedStyle(c).userSelect), 'all');
    await page.click('code#sleutel');
    assert.equal(await page.evaluate(() => String(window.getSelection())), made.secret);
    await look(page, 'bieb-api-02-sleutel-eenmalig', { phone: true });
  });

  test('the list shows the key by its prefix, who made it and that it was never used; the secret is nowhere else', T, async () => {
    const { page } = west;
    await follow(page, 'a.button.primary[href="/bibliotheek/api-sleutels"]');
    const rows = await tableRows(page, 'table.tokens tbody tr');
    assert.equal(rows.length, 1);
    const [name, key, created, used, state] = rows[0];
    assert.equal(name, 'Wise koppeling');
    assert.equal(key, `${made.secret.slice(0, 12)}…`);
    assert.match(created, /^\d{1,2}-\d{1,2}-\d{4} \d{2}:\d{2} door bieb-west$/);
    assert.equal(used, 'nog nooit');
    assert.equal(state, 'In gebruik');
    made.id = keyIds(await page.content())['Wise koppeling'];
    assert.ok(made.id > 0);
    // the key works on the API, for this library's schools, and the use
    // shows as its last use
    const api = await fetch(`${srv.url}/api/v1/schools`, { headers: { Authorization: `Bearer ${made.secret}` } });
    assert.equal(api.status, 200);
    const slugs = (await api.json()).schools.map((x) => x.slug);
    assert.deepEqual(slugs, ['anker'], 'its own library\'s schools only');
    await page.reload();
    assert.match((await tableRows(page, 'table.tokens tbody tr'))[0][3], /^\d{1,2}-\d{1,2}-\d{4} \d{2}:\d{2}$/);
    await look(page, 'bieb-api-03-lijst', { phone: true });
    // not on any page, not in the logs, not stored; nor its hash on a page
    const rest = made.secret.slice(12);
    const c = await westClient();
    for (const p of ['/', '/bibliotheek/api-sleutels', `/bibliotheek/api-sleutel/${made.id}/intrekken`,
      '/bibliotheek/logboek', '/bibliotheek/imports', '/bibliotheek/organisatie', '/mijn-gegevens']) {
      const res = await c.get(p);
      assert.equal(res.status, 200, p);
      assert.ok(!res.body.includes(rest), `${p} holds the secret`);
      assert.ok(!res.body.includes(sha256(made.secret)), `${p} holds the secret's hash`);
    }
    assert.ok(!srv.logs().includes(rest), 'the secret is never logged');
    assert.ok(!databaseBytes().includes(rest), 'the secret is not stored, only its hash');
    for (const k of await west.context.cookies()) assert.ok(!k.value.includes(rest), `cookie ${k.name}`);
  });

  test('the page is English after the language switch, and Dutch again after switching back', T, async () => {
    const { page } = west;
    await follow(page, 'footer a[lang="en"]');
    assert.equal(path(page), '/bibliotheek/api-sleutels');
    assert.equal(await page.textContent('h1'), 'API keys');
    const [row] = await tableRows(page, 'table.tokens tbody tr');
    assert.match(row[2], / by bieb-west$/);
    assert.equal(row[4], 'In use');
    assert.equal(await page.textContent('label[for="naam"]'), 'What is the key for?');
    await follow(page, 'footer a[lang="nl"]');
    assert.equal(await page.textContent('h1'), 'API-sleutels');
  });

  test('revoking asks first; "Niet intrekken" keeps the key, "Ja, intrekken" revokes it', T, async () => {
    const { page } = west;
    await follow(page, `tr#sleutel-${made.id} a[href="/bibliotheek/api-sleutel/${made.id}/intrekken"]`);
    assert.equal(await page.textContent('h1'), 'API-sleutel intrekken');
    const text = textOf(await page.content());
    assert.match(text, /Weet je zeker dat je de API-sleutel “Wise koppeling” wilt intrekken\?/);
    assert.ok(text.includes(`${made.secret.slice(0, 12)}…`), 'the key by its prefix');
    assert.match(text, /kan daarna meteen geen leerlinggegevens meer lezen/);
    await look(page, 'bieb-api-04-intrekken', { phone: true });
    await follow(page, 'a:has-text("Niet intrekken")');
    assert.equal(path(page), '/bibliotheek/api-sleutels');
    assert.equal((await tableRows(page, 'table.tokens tbody tr'))[0][4], 'In gebruik');
    await follow(page, `tr#sleutel-${made.id} a:has-text("Intrekken")`);
    await submit(page, 'form.form button.danger');
    assert.equal(path(page), '/bibliotheek/api-sleutels');
    assert.match(await page.textContent('.notice'), /De API-sleutel is ingetrokken/);
    const [row] = await tableRows(page, 'table.tokens tbody tr');
    assert.equal(row[0], 'Wise koppeling');
    assert.match(row[4], /^Ingetrokken op \d{1,2}-\d{1,2}-\d{4} \d{2}:\d{2}$/);
    assert.equal(await page.locator(`tr#sleutel-${made.id} a`).count(), 0, 'no revoke button any more');
    await look(page, 'bieb-api-05-ingetrokken');
    const api = await fetch(`${srv.url}/api/v1/schools`, { headers: { Authorization: `Bearer ${made.secret}` } });
    assert.equal(api.status, 401, 'a revoked key reads nothing');
  });

  test('a revoked key cannot be revoked again', T, async () => {
    const c = await westClient();
    const confirm = await c.get(`/bibliotheek/api-sleutel/${made.id}/intrekken`);
    assert.equal(confirm.status, 409);
    assert.match(textOf(confirm.body), /Deze API-sleutel is al ingetrokken/);
    const csrf = csrfOf((await c.get('/bibliotheek/api-sleutels')).body);
    const res = await c.request(`/bibliotheek/api-sleutel/${made.id}/intrekken`, { form: { csrf } });
    assert.equal(res.status, 409);
  });

  test('making and revoking are in the library\'s logboek', T, async () => {
    const { page } = west;
    await follow(page, 'nav.menu a[href="/bibliotheek/logboek"]');
    const rows = await tableRows(page, 'table.audit tbody tr');
    const kinds = rows.map((r) => r[1]);
    assert.ok(kinds.includes('API-sleutel aangemaakt'), `${kinds}`);
    assert.ok(kinds.includes('API-sleutel ingetrokken'), `${kinds}`);
    assert.ok(!(await page.content()).includes(made.secret.slice(12)));
    assert.deepEqual(west.problems, [], 'no console errors, CSP violations or unexpected HTTP errors');
  });
});

describe('over HTTP', () => {
  test('the other library\'s key: not listed, and 404 for its id, exactly as for an id that does not exist', T, async () => {
    const nc = north.client;
    let res = await nc.postForm('/bibliotheek/api-sleutels', { naam: 'Aura Noord' });
    assert.equal(res.status, 200);
    assert.match(textOf(res.body), /De API-sleutel “Aura Noord” is aangemaakt/);
    const northSecret = /<code id="sleutel"[^>]*>([^<]+)<\/code>/.exec(res.body)[1];
    const northId = keyIds((await nc.get('/bibliotheek/api-sleutels')).body)['Aura Noord'];
    assert.ok(northId > 0);
    const c = await westClient();
    const list = await c.get('/bibliotheek/api-sleutels');
    assert.doesNotMatch(textOf(list.body), /Aura Noord/);
    assert.ok(!list.body.includes(northSecret.slice(0, 12)));
    const confirm = await c.get(`/bibliotheek/api-sleutel/${northId}/intrekken`);
    assert.equal(confirm.status, 404);
    const missing = await c.get('/bibliotheek/api-sleutel/999999/intrekken');
    assert.equal(missing.status, 404);
    assert.equal(textOf(confirm.body), textOf(missing.body));
    assert.doesNotMatch(textOf(confirm.body), /Aura/);
    const csrf = csrfOf(list.body);
    res = await c.request(`/bibliotheek/api-sleutel/${northId}/intrekken`, { form: { csrf } });
    assert.equal(res.status, 404);
    assert.equal(textOf(res.body), textOf(missing.body));
    assert.match(rowOf((await nc.get('/bibliotheek/api-sleutels')).body, 'Aura Noord'), / In gebruik /,
      'still in use for its own library');
  });

  test('a school account gets 403 on every API-sleutels page', T, async () => {
    const tc = teacher.client;
    const csrf = csrfOf((await tc.get('/')).body);
    assert.equal((await tc.get('/bibliotheek/api-sleutels')).status, 403);
    assert.equal((await tc.get(`/bibliotheek/api-sleutel/${made.id}/intrekken`)).status, 403);
    const res = await tc.request('/bibliotheek/api-sleutels', { form: { csrf, naam: 'Van de school' } });
    assert.equal(res.status, 403);
    assert.ok(!/<code id="sleutel"/.test(res.body));
    assert.equal((await tc.request(`/bibliotheek/api-sleutel/${made.id}/intrekken`, { form: { csrf } })).status, 403);
    assert.doesNotMatch(textOf((await (await westClient()).get('/bibliotheek/api-sleutels')).body), /Van de school/);
  });

  test('a form posted without the CSRF token, or from another site, makes and revokes nothing', T, async () => {
    const c = await westClient();
    let res = await c.postForm('/bibliotheek/api-sleutels', { naam: 'Koha' });
    assert.equal(res.status, 200);
    const id = keyIds((await c.get('/bibliotheek/api-sleutels')).body).Koha;
    const csrf = csrfOf((await c.get('/bibliotheek/api-sleutels')).body);
    res = await c.request('/bibliotheek/api-sleutels', { form: { naam: 'Vals zonder token' } });
    assert.equal(res.status, 403);
    assert.ok(!/<code id="sleutel"/.test(res.body), 'no secret in the refusal');
    res = await c.request('/bibliotheek/api-sleutels', { form: { csrf, naam: 'Vals van elders' }, origin: 'https://aanvaller.example' });
    assert.equal(res.status, 403);
    res = await c.request(`/bibliotheek/api-sleutel/${id}/intrekken`, { form: {} });
    assert.equal(res.status, 403);
    res = await c.request(`/bibliotheek/api-sleutel/${id}/intrekken`, { form: { csrf: 'x'.repeat(43) } });
    assert.equal(res.status, 403);
    const body = (await c.get('/bibliotheek/api-sleutels')).body;
    assert.doesNotMatch(textOf(body), /Vals/);
    assert.match(rowOf(body, 'Koha'), / In gebruik /, 'Koha is still in use');
  });

  test('the server stays healthy', T, async () => {
    srv.assertHealthy();
  });
});
