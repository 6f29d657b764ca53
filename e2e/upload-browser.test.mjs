// "Upload Leerlingbestand" in a real Chromium (issue 5): the whole journey
// of a docent with and without JavaScript (log in, open the upload page,
// download the voorbeeldbestand and upload it, read the preview, confirm,
// upload a ParnasSys export, confirm, open the history, undo after the
// confirmation step), a file with errors, a guard that needs its checkbox,
// a zip bomb, a student whose name is HTML, drag-and-drop with the progress
// bar, phone-sized screens, and the library's read-only view.
//
// Every page is screenshotted into e2e/artifacts/upload-*.png and checked
// with axe-core (no serious or critical violations).  Any console error,
// uncaught exception, CSP violation, dialog, failed request or unexpected
// HTTP error fails the test.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServer } from './lib/server.mjs';
import {
  ARTIFACTS, counts, follow, launch, logIn, look, openPage, submit, tableRows,
} from './lib/browser.mjs';
import {
  cliApply, imports, parnassysXlsx, roster, students, studentsCsv, zipBombXlsx,
} from './lib/upload.mjs';

const T = { timeout: 90000 };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EVIL = '<img src=x onerror=alert(1)>';

const SCHOOLS = [
  { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' }, // journey with JavaScript
  { name: 'Basisschool \'t Kompas', brin: '34CD', slug: 'kompas' }, // journey without
  { name: 'De Vlieger', brin: '56EF', slug: 'vlieger' }, // errors, zip bomb
  { name: 'De Wilgen', brin: '78GH', slug: 'wilgen' }, // guard
  { name: 'De Linde', brin: '90IJ', slug: 'linde' }, // HTML in names, drag-and-drop
  { name: 'De Eik', brin: '11KL', slug: 'eik' }, // keyboard only
];

let srv;
let browser;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-upload-browser-'));
  [srv, browser] = await Promise.all([
    startServer({ config: { imports: { max_upload: '2m' } }, schools: SCHOOLS }),
    launch(),
  ]);
});

after(async () => {
  await browser?.close();
  srv?.kill(); // only after a failure: the last test stops it with assertions
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const path = (page) => new URL(page.url()).pathname;

/** Choose a file in the form and press "Bestand controleren"; wait for the page that follows. */
async function sendFile(page, file) {
  await page.setInputFiles('#bestand', file);
  await submit(page, '#upload-form button[type=submit]');
}

/** The students of a preview table (opened first): [[nr, naam, geboren, groep, (was)]]. */
async function changeRows(page, kind) {
  const d = page.locator('details.changes', { has: page.locator('summary', { hasText: new RegExp(`^${kind} \\(`) }) });
  assert.equal(await d.count(), 1, `a table "${kind}"`);
  await d.locator('summary').click();
  return d.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
}

/** The roster as { number: group } from the admin command line. */
const groupsOf = (slug) => Object.fromEntries(roster(srv, slug).map((s) => [s.leerlingnummer, s.groep]));

/**
 * The whole journey of a docent; js says whether JavaScript runs.  Every
 * page is looked at (screenshot + axe) under the prefix.
 */
async function journey(slug, js, prefix) {
  const user = srv.addUser({ school: slug, username: `juf.${slug}` });
  const { context, page, problems } = await openPage(browser, { js });
  try {
    // log in (the first password leads to Start), look at Start
    await logIn(page, srv.url, user, { look: `${prefix}-01-aanmelden`, phone: js });
    await look(page, `${prefix}-02-start-na-wachtwoord`);
    await follow(page, 'nav.menu a[href="/"]');
    await look(page, `${prefix}-03-start`);

    // Docent menu → Upload Leerlingbestand
    await follow(page, 'nav.menu a[href="/docent/upload"]');
    assert.equal(await page.textContent('h1'), 'Upload Leerlingbestand');
    assert.match(await page.textContent('main'), /Leerlingnummer.*Naam.*Geboortedatum.*Groep/s);
    assert.match(await page.textContent('.avg'), /AVG/);
    assert.equal(await page.locator('label[for=bestand]').count(), 1, 'the file field has a label');
    await look(page, `${prefix}-04-upload`, { phone: true });

    // download the voorbeeldbestand and upload it as it is
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/docent/voorbeeldbestand.xlsx"]'),
    ]);
    assert.equal(download.suggestedFilename(), 'voorbeeldbestand.xlsx');
    const example = join(dir, `${slug}-voorbeeldbestand.xlsx`);
    await download.saveAs(example);
    assert.equal(readFileSync(example).subarray(0, 2).toString(), 'PK', 'the example is an .xlsx (zip)');
    await sendFile(page, example);
    assert.match(path(page), /^\/docent\/import\/\d+$/);
    assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
    assert.match(await page.textContent('main'), /Er is nog niets gewijzigd/);
    const details = await page.textContent('dl.details');
    assert.match(details, /voorbeeldbestand\.xlsx/);
    assert.match(details, /xlsx/);
    assert.match(details, /Kolomnamen op rij\s*1/);
    const c1 = await counts(page);
    assert.equal(c1.new, 5, `counts ${JSON.stringify(c1)}`);
    assert.equal(c1.left, undefined, 'kinds that do not occur are not listed');
    assert.equal(await page.locator('figure.chart svg[role=img] rect').count() > 5, true, 'a chart of the groups');
    const fresh = await changeRows(page, 'nieuw');
    assert.deepEqual(fresh.map((r) => r[0]), ['1001', '1002', '1003', '1004', '1005']);
    assert.deepEqual(fresh[1].slice(0, 2), ['1002', 'Daan van den Berg']);
    assert.match(fresh[1][2], /^02-11-\d{4}$/);
    assert.equal(fresh[1][3], 'Groep 4');
    assert.equal(await page.textContent('ul.issues + p'), 'Geen fouten of waarschuwingen.',
      'the example file reads without a single warning');
    assert.equal(roster(srv, slug).length, 0, 'a preview changes nothing');
    await look(page, `${prefix}-05-voorbeeld-controleren`, { phone: true });

    // confirm: the result
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    assert.equal((await counts(page)).new, 5);
    assert.equal(await page.locator('form[action$="/bevestigen"]').count(), 0, 'no second confirmation');
    const first = roster(srv, slug);
    assert.equal(first.length, 5);
    await look(page, `${prefix}-06-voorbeeld-doorgevoerd`);

    // next year: a ParnasSys export (titles above the header, split names,
    // a BSN column): everyone moves up, groep 8 left, two newcomers
    const now = first.map((s) => ({
      number: s.leerlingnummer, roepnaam: s.roepnaam, tussenvoegsel: s.tussenvoegsel,
      achternaam: s.achternaam, birth: s.geboortedatum, group: s.groep,
    }));
    const next = now.filter((s) => s.group !== 'Groep 8').map((s) => {
      const m = /^Groep (\d)(\w?)$/.exec(s.group);
      if (s.number === '1003' || !m) return s; // Fenna stays in her group
      return { ...s, group: `Groep ${Number(m[1]) + 1}${m[2]}` };
    });
    next.push(...students(2, { start: 2001, groups: ['Groep 1'] }));
    const pfile = join(dir, `${slug}-Leerlingen ParnasSys.xlsx`);
    writeFileSync(pfile, parnassysXlsx(next));
    await follow(page, 'nav.menu a[href="/docent/upload"]');
    await sendFile(page, pfile);
    assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
    const pdetails = await page.textContent('dl.details');
    assert.match(pdetails, /Herkend als\s*ParnasSys/);
    assert.match(pdetails, /Kolomnamen op rij\s*4/);
    const c2 = await counts(page);
    assert.deepEqual([c2.new, c2.left, c2.moved, c2.unchanged], [2, 1, 3, 1],
      `counts ${JSON.stringify(c2)}`);
    const moved = await changeRows(page, 'nieuwe groep');
    const daan = moved.find((r) => r[0] === '1002');
    assert.deepEqual([daan[1], daan[3]], ['Daan van den Berg', 'Groep 5']);
    assert.match(daan[4], /^groep: Groep 4 → Groep 5\b/, 'what changes: the group, old and new');
    const left = await changeRows(page, 'uitgeschreven');
    assert.deepEqual(left.map((r) => r[0]), ['1005']);
    await page.click('details.file > summary');
    const mapping = await tableRows(page, 'details.file tbody tr');
    assert.deepEqual(mapping.find((r) => r[1] === 'BSN'), ['H', 'BSN', 'niet opgeslagen (BSN)']);
    assert.deepEqual(mapping.find((r) => r[1] === 'Voorvoegsel'), ['C', 'Voorvoegsel', 'tussenvoegsel']);
    await look(page, `${prefix}-07-parnassys-controleren`, { phone: true });
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    const applied = groupsOf(slug);
    assert.equal(applied['1002'], 'Groep 5');
    assert.equal(applied['2001'], 'Groep 1');
    assert.equal(applied['1005'], undefined, 'groep 8 left');
    await look(page, `${prefix}-08-parnassys-doorgevoerd`);

    // the history: both uploads, newest first
    await follow(page, 'nav.menu a[href="/docent/imports"]');
    assert.equal(await page.textContent('h1'), 'Eerdere uploads');
    const hist = await tableRows(page, 'main table tbody tr');
    assert.equal(hist.length, 2);
    assert.match(hist[0][2], /Leerlingen ParnasSys\.xlsx/);
    assert.equal(hist[0][3], 'doorgevoerd');
    assert.equal(hist[0][4], '2 nieuw, 1 uitgeschreven, 3 overige wijzigingen');
    assert.match(hist[1][2], /voorbeeldbestand\.xlsx/);
    await look(page, `${prefix}-09-eerdere-uploads`, { phone: js });

    // undo the last one, after its confirmation step
    await follow(page, 'main table tbody tr:first-child a');
    await follow(page, 'a[href$="/ongedaan-maken"]');
    assert.equal(await page.textContent('h1'), 'Upload ongedaan maken?');
    assert.deepEqual(groupsOf(slug)['1002'], 'Groep 5', 'the confirmation page changes nothing');
    await look(page, `${prefix}-10-ongedaan-maken-bevestigen`);
    await submit(page, 'form[action$="/ongedaan-maken"] button[type=submit]');
    assert.equal(await page.textContent('h1'), 'Deze upload is ongedaan gemaakt');
    assert.match(await page.textContent('.banner.ok'), /^Teruggedraaid: de leerlingenlijst is weer zoals op \d\d-\d\d-\d{4} \d\d:\d\d\.$/);
    const undone = groupsOf(slug);
    assert.deepEqual(undone, Object.fromEntries(first.map((s) => [s.leerlingnummer, s.groep])),
      'the roster is as after the first upload');
    await look(page, `${prefix}-11-ongedaan-gemaakt`);
    await follow(page, 'nav.menu a[href="/docent/imports"]');
    assert.equal((await tableRows(page, 'main table tbody tr'))[0][3], 'ongedaan gemaakt');

    assert.deepEqual(problems, [], 'no console errors, CSP violations, dialogs or failed requests');
  } finally {
    await context.close();
  }
}

test('the whole journey of a docent, with JavaScript', T, async () => {
  await journey('regenboog', true, 'upload-js');
});

test('the whole journey of a docent, without JavaScript', T, async () => {
  await journey('kompas', false, 'upload-nojs');
});

test('the export guides and the login help', T, async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    for (const [guide, title] of [['parnassys', 'ParnasSys'], ['esis', 'ESIS'], ['dotcom', 'Dotcom']]) {
      await page.goto(`${srv.url}/help/${guide}`);
      assert.equal(await page.textContent('h1'), `Overzicht maken in ${title}`);
      await look(page, `upload-help-${guide}`);
    }
    await page.goto(`${srv.url}/help/aanmelden`);
    await look(page, 'upload-help-aanmelden');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a file with errors: row and pupil named, Bevestigen absent when blocked', T, async () => {
  const user = srv.addUser({ school: 'vlieger' });
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, user);
    const list = students(6);
    list[3].number = list[1].number; // a duplicate number: blocks
    list[4].birth = '2015-02-31'; // an impossible date
    await page.goto(`${srv.url}/docent/upload`);
    await sendFile(page, { name: 'fouten.csv', mimeType: 'text/csv', buffer: studentsCsv(list) });
    assert.equal(await page.textContent('h1'), 'Dit bestand kan niet worden ingelezen');
    assert.match(await page.textContent('.blocked'), /^Er is niets gewijzigd\. Los de fouten hieronder op/);
    assert.equal(await page.textContent('p.status'), 'Status: niet ingelezen – 2 fouten');
    assert.equal(await page.locator('ul.summary').count(), 0, 'no summary of changes for a file that is not read in');
    const issues = await page.$$eval('ul.issues li.issue-error', (lis) => lis.map((li) => li.textContent));
    // each line leads with the row and the pupil (issue 10); a duplicate names both
    const who = (s) => [s.roepnaam, s.tussenvoegsel, s.achternaam].filter(Boolean).join(' ');
    assert.ok(issues.some((t) => t.includes(`rij 5 – ${who(list[3])} (1002): dit leerlingnummer staat meer dan eens`)
      && t.includes(`(zie rij 3: ${who(list[1])})`)), `the duplicate, row 5:\n${issues.join('\n')}`);
    assert.ok(issues.some((t) => t.includes(`rij 6 – ${who(list[4])} (${list[4].number}): geboortedatum 31-02-2015 bestaat niet`)),
      `the date, row 6:\n${issues.join('\n')}`);
    assert.equal(await page.locator('form[action$="/bevestigen"]').count(), 0, 'no Bevestigen when blocked');
    assert.equal(await page.locator('button', { hasText: 'Bevestigen' }).count(), 0);
    assert.equal(await page.locator('main a.button[href="/docent/upload"]').count(), 1, 'a way to upload it again');
    await look(page, 'upload-fouten-geblokkeerd', { phone: true });

    // the report as .xlsx
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href$="/rapport.xlsx"]'),
    ]);
    assert.match(download.suggestedFilename(), /^meldingen-upload-\d+\.xlsx$/);
    const report = join(dir, 'rapport.xlsx');
    await download.saveAs(report);
    assert.equal(readFileSync(report).subarray(0, 2).toString(), 'PK');

    // confirming it anyway (a forged POST) is refused and changes nothing
    const id = path(page).split('/').pop();
    const csrf = await page.getAttribute('form[action="/afmelden"] input[name=csrf]', 'value');
    const forced = await page.request.post(`${srv.url}/docent/import/${id}/bevestigen`, {
      form: { csrf }, headers: { Origin: srv.url }, maxRedirects: 0,
    });
    assert.equal(forced.status(), 422);
    assert.equal(roster(srv, 'vlieger').length, 0);

    // an error that does not block: the row's student is kept, Bevestigen is there
    const ok = students(4, { start: 3001 });
    ok[2].birth = '2015-02-31';
    await page.goto(`${srv.url}/docent/upload`);
    await sendFile(page, { name: 'een-fout.csv', mimeType: 'text/csv', buffer: studentsCsv(ok) });
    assert.equal(await page.locator('.blocked').count(), 0);
    const one = await page.$$eval('ul.issues li.issue-error', (lis) => lis.map((li) => li.textContent));
    assert.ok(one.some((t) => t.includes(`rij 4 – ${who(ok[2])} (3003): geboortedatum 31-02-2015 bestaat niet`)), one.join('\n'));
    assert.equal(await page.locator('form[action$="/bevestigen"] button', { hasText: 'Bevestigen' }).count(), 1);
    await look(page, 'upload-fouten-niet-geblokkeerd');
    // cancel: back on the upload page with a notice, nothing applied
    await submit(page, 'form[action$="/annuleren"] button[type=submit]');
    assert.equal(path(page), '/docent/upload');
    assert.match(await page.textContent('.notice'), /geannuleerd/);
    await look(page, 'upload-geannuleerd');
    assert.equal(roster(srv, 'vlieger').length, 0);
    // the second upload replaced the first (blocked) preview; then it was cancelled
    assert.deepEqual(imports(srv, 'vlieger').map((i) => i.state).sort(), ['cancelled', 'cancelled']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a guard needs its checkbox: without it an error summary, with it applied', T, async () => {
  const whole = students(30, { start: 4001 });
  const file = join(dir, 'wilgen.csv');
  writeFileSync(file, studentsCsv(whole));
  const r = cliApply(srv, 'wilgen', file);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const user = srv.addUser({ school: 'wilgen' });
  const { context, page, problems, expect } = await openPage(browser);
  try {
    await logIn(page, srv.url, user);
    await page.goto(`${srv.url}/docent/upload`);
    const oneGroup = whole.filter((s) => s.group === 'Groep 7');
    await sendFile(page, { name: 'groep7.csv', mimeType: 'text/csv', buffer: studentsCsv(oneGroup) });
    // a red alert at the top, the same text first in the errors card
    const alert = await page.textContent('section.top .alert[role=alert]');
    assert.match(alert, /^Dit lijkt niet het bestand van De Wilgen: maar 6 van de 30 leerlingen van de school staan erin\. Er worden ook 24 van de 30 leerlingen mee uitgeschreven\./);
    assert.equal(await page.textContent('ul.issues li:first-child'), `Let op ${alert}`);
    // Annuleren is the main button, "Toch bevestigen" with the checkbox the other
    assert.equal(await page.textContent('.decide button.primary'), 'Annuleren');
    assert.equal(await page.textContent('.decide form[action$="/bevestigen"] button.secondary'), 'Toch bevestigen');
    assert.equal(await page.locator('label[for=zeker]').count(), 1, 'the checkbox has a label');
    await look(page, 'upload-controle-nodig');

    // Bevestigen without the tick: 422, an error summary that leads to the checkbox
    expect(422, page.url().replace(srv.url, '') + '/bevestigen');
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    assert.match(await page.textContent('.error-summary'), /Vink eerst aan/);
    assert.equal(roster(srv, 'wilgen').length, 30);
    assert.equal(groupsOf('wilgen')['4001'], 'Groep 3a', 'nothing applied');
    await look(page, 'upload-controle-vergeten');
    await page.click('.error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'zeker', 'the summary leads to the checkbox');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#zeker'), true, 'the checkbox works with the keyboard');
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    assert.equal(Object.keys(groupsOf('wilgen')).length, 6);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

for (const js of [true, false]) {
  test(`a zip bomb ends on a friendly error page (${js ? 'with' : 'without'} JavaScript)`, T, async () => {
    const user = srv.addUser({ school: 'vlieger' });
    const { context, page, problems, expect } = await openPage(browser, { js });
    try {
      await logIn(page, srv.url, user);
      const before = imports(srv, 'vlieger').length;
      await page.goto(`${srv.url}/docent/upload`);
      const bomb = zipBombXlsx({ inflated: 256 << 20 });
      assert.ok(bomb.length < 2 << 20, 'below the upload limit: the content is what is refused');
      expect(422, '/docent/upload');
      await page.setInputFiles('#bestand', { name: 'leerlingen.xlsx', mimeType: XLSX, buffer: bomb });
      if (js) {
        // the script shows the refusal the server sent in place (no navigation)
        await page.click('#upload-form button[type=submit]');
        await page.waitForSelector('.error-summary', { timeout: 30000 });
      } else {
        await submit(page, '#upload-form button[type=submit]');
      }
      assert.equal(await page.textContent('h1'), 'Upload Leerlingbestand');
      assert.match(await page.textContent('.error-summary'), /veiligheidsredenen/);
      assert.equal(await page.locator('#bestand').count(), 1, 'the form is there to try again');
      await look(page, `upload-zipbom-${js ? 'js' : 'nojs'}`);
      assert.equal(imports(srv, 'vlieger').length, before, 'no import recorded');
      // the form on the error page works: the next (good) file gets its preview
      await sendFile(page, { name: 'goed.csv', mimeType: 'text/csv', buffer: studentsCsv(students(2, { start: 5201 })) });
      assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
      assert.equal(imports(srv, 'vlieger').length, before + 1);
      srv.assertHealthy();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

for (const js of [true, false]) {
  test(`a file over the upload limit ends on the friendly 413 page (${js ? 'with' : 'without'} JavaScript)`, T, async () => {
    const user = srv.addUser({ school: 'vlieger' });
    const { context, page, problems, expect } = await openPage(browser, { js });
    try {
      await logIn(page, srv.url, user);
      const before = imports(srv, 'vlieger').length;
      await page.goto(`${srv.url}/docent/upload`);
      expect(413, '/docent/upload');
      await page.setInputFiles('#bestand', { name: 'groot.csv', mimeType: 'text/csv', buffer: Buffer.alloc(3 << 20, 'a;b;c\n') });
      if (js) {
        await page.click('#upload-form button[type=submit]');
        await page.waitForSelector('h1:text("Bestand te groot")', { timeout: 30000 });
      } else {
        await submit(page, '#upload-form button[type=submit]');
      }
      assert.equal(await page.textContent('h1'), 'Bestand te groot');
      assert.match(await page.textContent('main'), /Grootste bestand: 2 MB/);
      await look(page, `upload-te-groot-${js ? 'js' : 'nojs'}`);
      await follow(page, 'main a[href="/docent/upload"]');
      assert.equal(await page.textContent('h1'), 'Upload Leerlingbestand');
      assert.equal(imports(srv, 'vlieger').length, before, 'no import recorded');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('everything works with the keyboard alone, in reading order', T, async () => {
  const user = srv.addUser({ school: 'eik' });
  const { context, page, problems } = await openPage(browser);
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} ${(e.textContent || e.value || '').trim().slice(0, 40)}` : '';
  });
  try {
    await logIn(page, srv.url, user);
    await page.goto(`${srv.url}/docent/upload`);
    // the skip link comes first and leads into the content
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^a Naar de inhoud/);
    await page.keyboard.press('Enter');
    assert.match(await focused(), /^main#inhoud/);
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^input#bestand/, 'the file field first');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^button Bestand controleren/);
    await page.setInputFiles('#bestand', { name: 'toetsenbord.csv', mimeType: 'text/csv', buffer: studentsCsv(students(4, { start: 5101 })) });
    await page.focus('#upload-form button[type=submit]');
    await Promise.all([page.waitForURL(/\/docent\/import\/\d+$/), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');

    // on the preview: Tab reaches the decision right after the summary
    // and the file's details, then the tables (opened with Enter)
    const seen = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      seen.push(f);
      if (/^summary nieuw/.test(f)) {
        await page.keyboard.press('Enter');
        assert.equal(await page.$eval('details.changes', (d) => d.open), true, 'Enter opens the table');
        break;
      }
    }
    // (a file without warnings: "Groep 5/6" is no warning any more, so
    // there is no report to download)
    const order = ['summary Details van het bestand', 'button Bevestigen', 'button Annuleren', 'summary Alle groepen', 'summary nieuw']
      .map((w) => seen.findIndex((f) => f.startsWith(w)));
    assert.ok(order.every((i) => i >= 0), `all reached:\n${seen.join('\n')}`);
    assert.deepEqual([...order].sort((x, y) => x - y), order, `reading order:\n${seen.join('\n')}`);
    await page.focus('form[action$="/bevestigen"] button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test(`a student named ${EVIL} is shown as text`, T, async () => {
  const user = srv.addUser({ school: 'linde' });
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, user);
    const list = students(3, { start: 5001 });
    list[0].roepnaam = EVIL;
    list[1].achternaam = '"><script>alert(2)</script>';
    list[2].group = 'Groep 4 <svg onload=alert(3)>';
    await page.goto(`${srv.url}/docent/upload`);
    await sendFile(page, { name: `${EVIL}.csv`, mimeType: 'text/csv', buffer: studentsCsv(list) });
    assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
    const rows = await changeRows(page, 'nieuw');
    assert.equal(rows[0][1], `${EVIL} Jansen`);
    assert.match(rows[1][1], /"><script>alert\(2\)<\/script>$/);
    assert.equal(rows[2][3], 'Groep 4 <svg onload=alert(3)>');
    assert.match(await page.textContent('dl.details'), /<img src=x onerror=alert\(1\)>\.csv/);
    assert.match(await page.textContent('figure.chart'), /Groep 4 <svg onload=alert\(3\)>/);
    const injected = () => page.evaluate(() => document.querySelectorAll('main img, main script, main svg svg, [onerror], [onload]').length);
    assert.equal(await injected(), 0, 'no element made from the names');
    await look(page, 'upload-html-in-naam');
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    await follow(page, 'nav.menu a[href="/docent/imports"]');
    assert.match(await page.textContent('main table'), /<img src=x onerror=alert\(1\)>\.csv/);
    assert.equal(await injected(), 0);
    assert.deepEqual(problems, [], 'no dialog fired');
  } finally {
    await context.close();
  }
});

test('drag-and-drop and the progress bar (JavaScript)', T, async () => {
  const user = srv.addUser({ school: 'linde' });
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, user);
    await page.goto(`${srv.url}/docent/upload`);
    assert.equal(await page.isVisible('#progress'), false, 'no progress bar before uploading');
    assert.equal(await page.getAttribute('#dropzone', 'class'), 'dropzone enhanced');
    // drop a file on the zone, as a file manager would
    const csv = studentsCsv(students(3, { start: 5001 })).toString();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'gesleept.csv', { type: 'text/csv' }));
      const zone = document.getElementById('dropzone');
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.wasOver = zone.classList.contains('over');
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, csv);
    assert.equal(await page.evaluate(() => window.wasOver), true, 'the zone lights up while dragging');
    assert.equal(await page.evaluate(() => document.getElementById('bestand').files[0]?.name), 'gesleept.csv');
    assert.equal(await page.getAttribute('#dropzone', 'class'), 'dropzone enhanced');

    // hold the upload until the progress bar has been seen
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/docent/upload', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    const nav = page.waitForURL(/\/docent\/import\/\d+$/);
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#progress', { state: 'visible' });
    assert.equal(await page.isDisabled('#upload-form button[type=submit]'), true, 'no second click while uploading');
    await page.screenshot({ path: join(ARTIFACTS, 'upload-voortgang.png') });
    release();
    await nav;
    await page.unroute('**/docent/upload');
    assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
    assert.match(await page.textContent('dl.details'), /gesleept\.csv/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// (uses the uploads of the tests above: De Wilgen's applied guard upload)
test('library staff see every school\'s last upload and open it read-only', T, async () => {
  const user = srv.addUser({ role: 'bibliotheek', username: 'bieb.lezer' });
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, user);
    await follow(page, 'nav.menu a[href="/"]');
    const rows = await tableRows(page, 'main table tbody tr');
    assert.equal(rows.length, SCHOOLS.length);
    // name, BRIN, pupils, last applied upload (a date, linked), open previews, accounts
    const wilgen = rows.find((r) => r[0] === 'De Wilgen');
    assert.ok(wilgen, `De Wilgen in ${JSON.stringify(rows)}`);
    assert.match(wilgen[3], /^\d\d-\d\d-\d{4} \d\d:\d\d$/, `the last applied upload of De Wilgen: ${wilgen}`);
    await look(page, 'upload-bibliotheek-start', { phone: true });
    await follow(page, 'main table tbody tr:has-text("De Wilgen") a[href^="/docent/import/"]');
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    assert.equal(await page.locator('main form').count(), 0, 'no buttons for library staff');
    assert.equal(await page.locator('a[href$="/ongedaan-maken"]').count(), 0);
    await look(page, 'upload-bibliotheek-upload');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the upload browser tests\' server stops cleanly', T, async () => {
  await srv.stop();
});
