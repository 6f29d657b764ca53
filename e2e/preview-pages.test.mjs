// The preview and result pages as a teacher reads them (issue 10), in a
// real Chromium with and without JavaScript, at desktop size and at
// 390x844: the plain-language summary with the file's details folded
// away, the moves from group to group and the chart with "Groep 3"
// labels, the decision near the top, one open preview per school (a new
// upload replaces it and says so; the start and upload pages point to
// it), the green result banner with what happens next, the undo banner
// with the summary struck through, a file that cannot be read in ("niet
// ingelezen – N fouten" on the page and in the history), a guard's red
// alert above the decision, and tables that become stacked cards on a
// phone.  Every page is screenshotted (e2e/artifacts/preview-*.png) and
// checked with axe-core.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import {
  DESKTOP, PHONE, counts, follow, launch, logIn, look, openPage, submit, tableRows,
} from './lib/browser.mjs';
import { cliApply, imports, roster, students, studentsCsv } from './lib/upload.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const T = { timeout: 120000 };
const GROUPS = ['3', '4', '5', '6', '7', '8']; // as ESIS writes them
const SCHOOLS = [
  { name: 'OBS Het Anker', brin: '21AB', slug: 'anker' }, // with JavaScript
  { name: 'De Boomgaard', brin: '22AB', slug: 'boomgaard' }, // without
  { name: 'De Kleine Prins', brin: '23AB', slug: 'prins' }, // a file that cannot be read in
];

let srv;
let browser;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-preview-'));
  [srv, browser] = await Promise.all([
    startServer({ config: { imports: { processing_days: '5' } }, schools: SCHOOLS }),
    launch(),
  ]);
});

after(async () => {
  await browser?.close();
  srv?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const path = (page) => new URL(page.url()).pathname;
/** The text of what sel matches as a reader sees it (visible elements; spaces between blocks). */
const text = async (page, sel) => (await page.innerText(sel)).replace(/\s+/g, ' ').trim();

/** Year 1 (30 students, 5 per group) applied by the library; year 2: groep 8 leaves, the rest moves up, 4 new in groep 3. */
function years(start) {
  const year1 = students(30, { start, groups: GROUPS });
  const year2 = year1.filter((s) => s.group !== '8').map((s) => ({ ...s, group: String(Number(s.group) + 1) }));
  // newcomers with names and birth dates of their own (students() repeats them every 12)
  year2.push(...students(35, { start: start + 70, groups: ['3'] }).slice(31));
  return { year1, year2 };
}

async function upload(page, name, buffer) {
  await page.goto(`${srv.url}/docent/upload`);
  await page.setInputFiles('#bestand', { name, mimeType: 'text/csv', buffer });
  await submit(page, '#upload-form button[type=submit]');
}

/** The decision's first button is within reach: its top on a 390x844 screen. */
async function decisionTopOnPhone(page) {
  await page.setViewportSize(PHONE);
  const box = await page.locator('.decide button').first().boundingBox();
  await page.setViewportSize(DESKTOP);
  return box.y;
}

for (const js of [true, false]) {
  const slug = js ? 'anker' : 'boomgaard';
  const school = js ? 'OBS Het Anker' : 'De Boomgaard';
  const shot = (name) => `preview-${js ? 'js' : 'nojs'}-${name}`;

  describe(`a school year, ${js ? 'with' : 'without'} JavaScript`, () => {
    let context;
    let page;
    let problems;
    let y;

    before(async () => {
      y = years(js ? 6001 : 7001);
      const file = join(dir, `${slug}-jaar1.csv`);
      writeFileSync(file, studentsCsv(y.year1));
      const r = cliApply(srv, slug, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      ({ context, page, problems } = await openPage(browser, { js }));
      await logIn(page, srv.url, srv.addUser({ school: slug }));
    });

    after(async () => {
      assert.deepEqual(problems, [], 'no console errors, CSP violations, dialogs or failed requests');
      await context?.close();
    });

    test('the preview opens with plain sentences, the details folded away, the decision near the top', T, async () => {
      await upload(page, 'leerlingen-2027.csv', studentsCsv(y.year2));
      assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
      const sentences = await page.$$eval('ul.summary li', (lis) => lis.map((li) => li.textContent));
      assert.deepEqual(sentences, [
        '4 nieuwe leerlingen worden ingeschreven',
        '5 leerlingen van Groep 8 worden uitgeschreven',
        '25 leerlingen gaan naar een nieuwe groep',
      ], 'kinds with 0 are not listed');
      assert.deepEqual(await counts(page), { new: 4, left: 5, moved: 25 });
      // the technical facts are there, folded away
      assert.equal(await page.$eval('details.file', (d) => d.open), false);
      assert.equal(await page.textContent('details.file > summary'), 'Details van het bestand');
      assert.match(await page.textContent('details.file dl'), /Bestandleerlingen-2027\.csv/);
      assert.equal(await page.isVisible('details.file dl'), false);
      assert.equal(await text(page, 'p.status'), 'Status: nog niet bevestigd');
      // where the groups go, with "Groep" in front of ESIS's bare numbers
      const moves = await tableRows(page, 'table.moves tbody tr');
      assert.deepEqual(moves, [
        ['Groep 3', '→', 'Groep 4', '5'], ['Groep 4', '→', 'Groep 5', '5'], ['Groep 5', '→', 'Groep 6', '5'],
        ['Groep 6', '→', 'Groep 7', '5'], ['Groep 7', '→', 'Groep 8', '5'],
      ]);
      const labels = await page.$$eval('figure.chart svg text[font-weight]', (ts) => ts.map((t) => t.textContent));
      assert.deepEqual(labels, ['Groep 3', 'Groep 4', 'Groep 5', 'Groep 6', 'Groep 7', 'Groep 8']);
      const size = await page.$eval('figure.chart svg text[font-weight]', (t) => t.getBoundingClientRect().height);
      assert.ok(size >= 15, `the chart's labels are readable (${size}px high)`);
      // the decision comes before the lists: in reach without scrolling far
      const top = await decisionTopOnPhone(page);
      assert.ok(top < 2 * PHONE.height, `Bevestigen starts at ${top}px on a phone`);
      assert.equal(await page.textContent('.decide button.primary'), 'Bevestigen');
      assert.equal(await page.textContent('.decide button.secondary'), 'Annuleren');
      await look(page, shot('01-controleren'), { phone: true });
      // the lists of students become stacked cards on a phone
      await page.click('details.changes:has(summary:text("nieuwe groep")) > summary');
      await page.setViewportSize(PHONE);
      const card = await page.$eval('details.changes[open] table.stack tbody tr', (tr) => {
        const td = tr.cells[1];
        return { tr: getComputedStyle(tr).display, label: getComputedStyle(td, '::before').content };
      });
      assert.deepEqual(card, { tr: 'block', label: '"Naam"' });
      await page.setViewportSize(DESKTOP);
      assert.equal(await page.$eval('details.changes[open] table.stack tbody tr', (tr) => getComputedStyle(tr).display), 'table-row');
      await look(page, shot('02-lijsten-open'), { phone: true });
    });

    test('a new upload replaces the open preview and says so; Start and Upload point to it', T, async () => {
      const first = Number(path(page).split('/').pop());
      await follow(page, 'nav.menu a[href="/"]');
      assert.match(await text(page, '.banner.open'), /^Je upload van \d\d-\d\d-\d{4} \d\d:\d\d \(leerlingen-2027\.csv\) is nog niet bevestigd\. Er is nog niets gewijzigd\./);
      assert.equal(await page.getAttribute('.banner.open a', 'href'), `/docent/import/${first}`);
      await look(page, shot('03-start-open-upload'), { phone: true });
      await follow(page, 'nav.menu a[href="/docent/upload"]');
      assert.match(await text(page, '.banner.open'), /Een nieuw bestand vervangt deze upload\./);

      await upload(page, 'leerlingen-2027-goed.csv', studentsCsv(y.year2));
      const second = Number(path(page).split('/').pop());
      assert.notEqual(second, first);
      assert.equal(await text(page, '.notice[role=status]'), 'Je vorige upload was nog niet bevestigd. Die is vervangen door deze upload.');
      const states = Object.fromEntries(imports(srv, slug).map((i) => [i.id, i.state]));
      assert.equal(states[first], 'cancelled');
      assert.equal(states[second], 'preview');
      assert.equal(Object.values(states).filter((s) => s === 'preview').length, 1, 'one open preview per school');
      await page.goto(`${srv.url}/docent/import/${first}`);
      assert.equal(await page.textContent('h1'), 'Deze upload is geannuleerd');
      assert.equal(await page.locator('.decide').count(), 0);
      await page.goto(`${srv.url}/docent/import/${second}`);
    });

    test('confirming: a green banner says what happened and what happens next', T, async () => {
      await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
      assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
      const banner = await text(page, '.banner.ok[role=status]');
      assert.match(banner, new RegExp(`^Klaar: de leerlingenlijst van ${school} is bijgewerkt op \\d\\d-\\d\\d-\\d{4} \\d\\d:\\d\\d\\. `
        + 'De bibliotheek neemt de nieuwe leerlingenlijst binnen 5 werkdagen over in het bibliotheeksysteem\\. Je hoeft verder niets te doen\\.$'));
      assert.deepEqual(await page.$$eval('ul.summary li', (lis) => lis.map((li) => li.textContent)), [
        '4 nieuwe leerlingen zijn ingeschreven',
        '5 leerlingen van Groep 8 zijn uitgeschreven',
        '25 leerlingen zijn naar een nieuwe groep gegaan',
      ]);
      assert.equal(await page.locator('.decide').count(), 0, 'no decision any more');
      assert.equal(await text(page, 'p.status'), 'Status: doorgevoerd');
      assert.equal(roster(srv, slug).filter((s) => s.groep === '3').length, 4);
      await look(page, shot('04-doorgevoerd'), { phone: true });
      await follow(page, 'nav.menu a[href="/"]');
      assert.equal(await page.locator('.banner.open').count(), 0, 'nothing open any more');
    });

    test('undo: the list is back as it was, the counts shown as undone', T, async () => {
      await follow(page, 'nav.menu a[href="/docent/imports"]');
      await follow(page, 'main table tbody tr:first-child a');
      await follow(page, 'a[href$="/ongedaan-maken"]');
      await submit(page, 'form[action$="/ongedaan-maken"] button[type=submit]');
      assert.equal(await page.textContent('h1'), 'Deze upload is ongedaan gemaakt');
      // the list is as it was when this upload's preview was made
      const created = /(\d\d-\d\d-\d{4} \d\d:\d\d)/.exec(await page.textContent('details.file dl'))[1];
      assert.equal(await text(page, '.banner.ok'), `Teruggedraaid: de leerlingenlijst is weer zoals op ${created}.`);
      assert.equal(await text(page, 'p.lead'), 'Deze wijzigingen zijn teruggedraaid:');
      const struck = await page.$$eval('ul.summary li', (lis) => lis.map((li) => li.querySelector('del')?.textContent));
      assert.deepEqual(struck, [
        '4 nieuwe leerlingen zijn ingeschreven',
        '5 leerlingen van Groep 8 zijn uitgeschreven',
        '25 leerlingen zijn naar een nieuwe groep gegaan',
      ]);
      const now = roster(srv, slug);
      assert.deepEqual(now.map((s) => s.leerlingnummer).sort(), y.year1.map((s) => s.number).sort());
      await look(page, shot('05-teruggedraaid'), { phone: true });
    });

    test('the history: statuses in words, stacked cards on a phone', T, async () => {
      await follow(page, 'nav.menu a[href="/docent/imports"]');
      const rows = await tableRows(page, 'main table tbody tr');
      assert.deepEqual(rows.map((r) => r[3]), ['ongedaan gemaakt', 'geannuleerd', 'doorgevoerd']);
      await page.setViewportSize(PHONE);
      const labels = await page.$eval('main table tbody tr', (tr) => [...tr.cells].slice(0, 5).map((td) => getComputedStyle(td, '::before').content));
      assert.deepEqual(labels, ['"Wanneer"', '"Door"', '"Bestand"', '"Status"', '"Wijzigingen"']);
      await page.setViewportSize(DESKTOP);
      await look(page, shot('06-eerdere-uploads'), { phone: true });
    });

    test('a file of one group: a red alert at the top, Annuleren as the main button', T, async () => {
      await upload(page, 'groep-5.csv', studentsCsv(y.year1.filter((s) => s.group === '5')));
      const alert = await text(page, 'section.top .alert[role=alert]');
      assert.equal(alert, `Dit lijkt niet het bestand van ${school}: maar 5 van de 30 leerlingen van de school staan erin. `
        + 'Er worden ook 25 van de 30 leerlingen mee uitgeschreven. Kijk of je het bestand van de hele school hebt gekozen.');
      assert.equal(await text(page, 'ul.issues li:first-child'), `Let op ${alert}`, 'the same text in the errors card');
      const alertBox = await page.locator('section.top .alert').boundingBox();
      const decideBox = await page.locator('.decide').boundingBox();
      assert.ok(alertBox.y < decideBox.y, 'the alert comes before the decision');
      assert.deepEqual(await page.$$eval('.decide button', (bs) => bs.map((b) => [b.className, b.textContent])),
        [['primary', 'Annuleren'], ['secondary', 'Toch bevestigen']]);
      assert.equal(await page.locator('.decide input#zeker[type=checkbox]').count(), 1);
      assert.ok(await decisionTopOnPhone(page) < 2 * PHONE.height, 'the decision is in reach on a phone');
      await look(page, shot('07-ander-bestand'), { phone: true });
      await submit(page, '.decide button.primary');
      assert.equal(path(page), '/docent/upload');
      assert.equal(roster(srv, slug).length, 30, 'nothing changed');
    });
  });
}

test('a file that cannot be read in says so, on the page and in the history', T, async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, srv.addUser({ school: 'prins' }));
    const list = students(6);
    list[3].number = list[1].number; // a duplicate number: blocks
    list[4].birth = '2015-02-31'; // an impossible date
    await upload(page, 'kapot.csv', studentsCsv(list));
    assert.equal(await page.textContent('h1'), 'Dit bestand kan niet worden ingelezen');
    assert.equal(await text(page, 'p.status'), 'Status: niet ingelezen – 2 fouten');
    assert.doesNotMatch(await text(page, 'main'), /nog niet bevestigd/);
    assert.equal(await page.locator('.decide').count(), 0);
    assert.equal(await page.textContent('main a.button.primary[href="/docent/upload"]'), 'Terug naar Upload Leerlingbestand');
    await look(page, 'preview-niet-ingelezen', { phone: true });
    await follow(page, 'nav.menu a[href="/"]');
    assert.equal(await page.locator('.banner.open').count(), 0, 'a file that cannot be read in is nothing to confirm');
    await follow(page, 'nav.menu a[href="/docent/imports"]');
    const rows = await tableRows(page, 'main table tbody tr');
    assert.equal(rows[0][3], 'niet ingelezen – 2 fouten');
    assert.equal(rows[0][4], '', 'no counts for a file that was not read in');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('in English: the same sentences', T, async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await logIn(page, srv.url, srv.addUser({ school: 'anker' }));
    await page.goto(`${srv.url}/taal/en`);
    await upload(page, 'students.csv', studentsCsv(years(6001).year2));
    assert.equal(await page.textContent('h1'), 'Check the changes');
    assert.deepEqual(await page.$$eval('ul.summary li', (lis) => lis.map((li) => li.textContent)), [
      '4 new students are enrolled',
      '5 students of Group 8 are unenrolled',
      '25 students move to a new group',
    ]);
    assert.equal(await page.textContent('details.file > summary'), 'Details of the file');
    await look(page, 'preview-english');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
