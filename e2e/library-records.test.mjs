// The library's records (issue 11): the uploads of all its schools and the
// audit log with its filters, as a library user reads them, against a real
// server with two library organisations.  A library sees its own schools'
// uploads and log lines only; another library's school or account in a
// filter is a 404, like an import of another library's school.  The pages
// are screenshotted (e2e/artifacts/records-*.png) and checked with axe.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { activeUser, startServer, textOf } from './lib/server.mjs';
import { launch, logIn, look, openPage, tableRows } from './lib/browser.mjs';
import { students, studentsCsv, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 120000 };

let srv;
let browser;
let north; // the second library's user (HTTP)
let west; // the first library's user (HTTP)
const ids = {}; // school slug -> id, import name -> id

/** The <option value="ID">NAME</option> pairs of the select with this id. */
function options(body, id) {
  const select = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(body);
  assert.ok(select, `select #${id}`);
  return [...select[1].matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ id: Number(m[1]), name: m[2] }));
}

/** The audit table's rows as [when, kind, by, school, details, address]. */
function auditRows(body) {
  const tbody = /<table class="stack audit">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body);
  assert.ok(tbody, 'the audit table');
  return [...tbody[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
    .map((td) => textOf(td[1])));
}

before(async () => {
  srv = await startServer({
    schools: [{ name: 'OBS Het Anker', brin: '31AB', slug: 'anker' }],
  });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Noord', '--slug', 'noord').code, 0);
  srv.addSchool({ name: 'De Vuurtoren', brin: '32AB', slug: 'vuurtoren', library: 'noord' });
  // a teacher of each school uploads a file (left as a preview)
  for (const [slug, start] of [['anker', 1001], ['vuurtoren', 2001]]) {
    const teacher = await activeUser(srv, { school: slug, username: `juf-${slug}` });
    ids[slug + '-import'] = await uploadPreview(teacher.client, `${slug}.csv`, studentsCsv(students(12, { start })));
  }
  west = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-west' });
  north = await activeUser(srv, { role: 'bibliotheek', library: 'noord', username: 'bieb-noord' });
  for (const [who, name] of [[west, 'anker'], [north, 'vuurtoren']]) {
    const page = await who.client.get('/bibliotheek/imports');
    assert.equal(page.status, 200);
    const schools = options(page.body, 'school');
    assert.deepEqual(schools.map((s) => s.name), [name === 'anker' ? 'OBS Het Anker' : 'De Vuurtoren'],
      'the school filter offers the own library\'s schools only');
    ids[name] = schools[0].id;
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  srv?.kill();
});

describe('uploads of the library\'s schools', () => {
  test('each library sees its own schools\' uploads, with the school named, and nothing of the other', T, async () => {
    const page = await west.client.get('/bibliotheek/imports');
    const text = textOf(page.body);
    assert.match(text, /OBS Het Anker/);
    assert.match(text, /anker\.csv/);
    assert.doesNotMatch(text, /vuurtoren\.csv|De Vuurtoren/);
    const other = await north.client.get('/bibliotheek/imports');
    assert.match(textOf(other.body), /vuurtoren\.csv/);
    assert.doesNotMatch(textOf(other.body), /anker\.csv/);
  });

  test('filtering on a school of another library is a 404, and so is a nonsense id', T, async () => {
    assert.equal((await west.client.get(`/bibliotheek/imports?school=${ids.vuurtoren}`)).status, 404);
    assert.equal((await west.client.get('/bibliotheek/imports?school=abc')).status, 404);
    const own = await west.client.get(`/bibliotheek/imports?school=${ids.anker}`);
    assert.equal(own.status, 200);
    assert.match(textOf(own.body), /anker\.csv/);
  });

  test('an upload is read-only for the library, in its own words; another library\'s is a 404', T, async () => {
    const res = await west.client.get(`/docent/import/${ids['anker-import']}`);
    assert.equal(res.status, 200);
    const text = textOf(res.body);
    assert.match(text, /OBS Het Anker/);
    assert.match(text, /De school heeft deze upload nog niet bevestigd\. Er is nog niets veranderd\./);
    assert.doesNotMatch(res.body, /action="[^"]*\/(bevestigen|annuleren)"/, 'no decision for library staff');
    assert.match(res.body, new RegExp(`href="/bibliotheek/imports\\?school=${ids.anker}"`), 'back to the school\'s uploads');
    assert.equal((await west.client.get(`/docent/import/${ids['vuurtoren-import']}`)).status, 404);
    assert.equal((await west.client.get(`/docent/import/${ids['vuurtoren-import']}/rapport.xlsx`)).status, 404);
    assert.equal((await north.client.get(`/docent/import/${ids['anker-import']}`)).status, 404);
  });
});

describe('the audit log', () => {
  test('shows the own library\'s lines in Dutch words, not another library\'s', T, async () => {
    const res = await west.client.get('/bibliotheek/logboek');
    assert.equal(res.status, 200);
    const text = textOf(res.body);
    assert.match(text, /Bestand geüpload/);
    assert.match(text, /juf-anker/);
    assert.match(text, /Aangemeld/);
    assert.doesNotMatch(text, /juf-vuurtoren|bieb-noord/);
    const accounts = options(res.body, 'account').map((a) => a.name);
    assert.ok(accounts.includes('juf-anker') && accounts.includes('bieb-west'), `accounts: ${accounts}`);
    assert.ok(!accounts.includes('juf-vuurtoren') && !accounts.includes('bieb-noord'));
  });

  test('filters by kind, account, school and period', T, async () => {
    const accounts = options((await west.client.get('/bibliotheek/logboek')).body, 'account');
    const juf = accounts.find((a) => a.name === 'juf-anker').id;
    const kind = auditRows((await west.client.get('/bibliotheek/logboek?soort=import_preview')).body);
    assert.deepEqual(kind.map((r) => [r[1], r[2], r[3]]), [['Bestand geüpload', 'juf-anker', 'OBS Het Anker']]);
    const mine = auditRows((await west.client.get(`/bibliotheek/logboek?account=${juf}`)).body);
    assert.ok(mine.length >= 3, `lines of juf-anker: ${mine.length}`); // created, logged in, changed password, uploaded
    assert.ok(mine.every((r) => r[2] === 'juf-anker' || r[4].includes(`account ${juf}`)), JSON.stringify(mine));
    const school = auditRows((await west.client.get(`/bibliotheek/logboek?school=${ids.anker}&soort=login_ok`)).body);
    assert.ok(school.length >= 1 && school.every((r) => r[1] === 'Aangemeld' && r[3] === 'OBS Het Anker'), JSON.stringify(school));
    const today = new Date();
    const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const tomorrow = new Date(today.getTime() + 86400000);
    const none = await west.client.get(`/bibliotheek/logboek?van=${day(tomorrow)}`);
    assert.match(textOf(none.body), /Er zijn geen regels die bij deze keuze passen/);
    const todays = auditRows((await west.client.get(`/bibliotheek/logboek?van=${day(today)}&tot=${day(today)}`)).body);
    assert.ok(todays.some((r) => r[1] === 'Bestand geüpload'));
    const bad = await west.client.get('/bibliotheek/logboek?van=2026-02-31');
    assert.equal(bad.status, 200);
    assert.match(textOf(bad.body), /Een datum klopt niet en is niet gebruikt/);
    assert.match(textOf(bad.body), /Bestand geüpload/, 'the log is shown without the bad date');
  });

  test('another library\'s school or account in a filter is a 404', T, async () => {
    const theirs = options((await north.client.get('/bibliotheek/logboek')).body, 'account');
    const juf = theirs.find((a) => a.name === 'juf-vuurtoren').id;
    assert.equal((await west.client.get(`/bibliotheek/logboek?account=${juf}`)).status, 404);
    assert.equal((await west.client.get(`/bibliotheek/logboek?school=${ids.vuurtoren}`)).status, 404);
    assert.equal((await west.client.get('/bibliotheek/logboek?voor=-1')).status, 404);
  });

  test('a long log comes in pages of 100 lines, the next page keeping the filters', T, async () => {
    for (let i = 0; i < 105; i++) srv.addUser({ school: 'anker', username: `extra-${i}` });
    const first = await west.client.get('/bibliotheek/logboek?soort=account_created');
    assert.equal(auditRows(first.body).length, 100);
    const next = /href="(\/bibliotheek\/logboek\?voor=\d+&amp;soort=account_created)"/.exec(first.body);
    assert.ok(next, 'a link to older lines with the kind kept');
    const second = await west.client.get(next[1].replace(/&amp;/g, '&'));
    const more = auditRows(second.body);
    assert.ok(more.length >= 5 && more.length < 100, `second page: ${more.length} lines`);
    assert.ok(more.every((r) => r[1] === 'Account aangemaakt'));
    assert.doesNotMatch(textOf(second.body), /Oudere regels/);
  });
});

describe('in the browser', () => {
  test('the uploads, an upload and the audit log: screenshots and axe, desktop and phone', T, async () => {
    const { page, context } = await openPage(browser);
    try {
      await logIn(page, srv.url, srv.addUser({ role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-browser' }));
      await page.goto(`${srv.url}/bibliotheek/imports`);
      await look(page, 'records-uploads', { phone: true });
      const rows = await tableRows(page, 'table.stack tbody tr');
      assert.equal(rows[0][0], 'OBS Het Anker');
      await page.click('a[href^="/docent/import/"]');
      await page.waitForLoadState('load');
      await look(page, 'records-upload', { phone: true });
      await page.goto(`${srv.url}/bibliotheek/logboek`);
      await page.selectOption('#soort', 'import_preview');
      await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
      assert.match(page.url(), /soort=import_preview/);
      await look(page, 'records-audit', { phone: true });
      const kinds = await tableRows(page, 'table.audit tbody tr');
      assert.ok(kinds.length > 0 && kinds.every((r) => r[1] === 'Bestand geüpload'), JSON.stringify(kinds));
    } finally {
      await context.close();
    }
  });
});
