// The screenshots of the user guide for schools (docs/handleiding.md),
// taken in a real Chromium on a real server, so that `make test` keeps them
// true to the pages: a teacher's first login, a ParnasSys export uploaded,
// checked, confirmed and undone, a file with errors, a file that looks like
// another school's, the history and Mijn gegevens.  The test also checks
// that the guide shows every screenshot taken here and no other.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';

import { goodPassword, startServer } from './lib/server.mjs';
import { PHONE, follow, launch, look, openPage, submit } from './lib/browser.mjs';
import { cliApply, parnassysXlsx, students, studentsCsv } from './lib/upload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const GUIDE = join(here, '..', 'docs', 'handleiding.md');
const IMG = join(here, '..', 'docs', 'handleiding');
const SIZE = { width: 1024, height: 720 };
const T = { timeout: 180000 };

let srv;
let browser;
let dir;
const taken = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-guide-'));
  mkdirSync(IMG, { recursive: true });
  [srv, browser] = await Promise.all([
    startServer({
      config: {
        library: {
          name: 'Bibliotheek Rivierenland', contact_name: 'Marieke de Boer, Bibliotheek op school',
          phone: '0344 123 456', email: 'bibliotheekopschool@example.nl',
        },
        imports: { processing_days: '5' },
      },
      schools: [{ name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' }],
    }),
    launch(),
  ]);
});

after(async () => {
  await browser?.close();
  srv?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A screenshot for the guide: the window, or one element of the page. */
async function picture(page, name, locator) {
  await page.waitForLoadState('load');
  const file = join(IMG, `${name}.png`);
  if (locator) await page.locator(locator).first().screenshot({ path: file });
  else await page.screenshot({ path: file });
  taken.push(`${name}.png`);
}

async function upload(page, name, buffer) {
  await page.goto(`${srv.url}/docent/upload`);
  await page.setInputFiles('#bestand', { name, buffer });
  await submit(page, '#upload-form button[type=submit]');
}

test('the guide\'s screenshots, from a real school year', T, async () => {
  // the school's roster of last year, imported by the library
  const lastYear = students(24, { start: 1001, groups: ['Groep 3', 'Groep 4', 'Groep 5', 'Groep 6', 'Groep 7', 'Groep 8'] });
  const file = join(dir, 'vorig-jaar.csv');
  writeFileSync(file, studentsCsv(lastYear));
  assert.equal(cliApply(srv, 'regenboog', file).code, 0);
  const user = srv.addUser({ school: 'regenboog', username: 'juf.anna' });

  const { context, page, problems } = await openPage(browser, { viewport: SIZE });
  try {
    // logging in for the first time
    await page.goto(`${srv.url}/aanmelden`);
    await picture(page, '01-aanmelden');
    await page.fill('#gebruikersnaam', user.username);
    await page.fill('#wachtwoord', user.otp);
    await submit(page, 'form[action="/aanmelden"] button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/wachtwoord-wijzigen');
    await picture(page, '02-eigen-wachtwoord');
    const password = goodPassword();
    await page.fill('#huidig', user.otp);
    await page.fill('#nieuw', password);
    await page.fill('#herhaal', password);
    await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
    await page.goto(`${srv.url}/`);
    await picture(page, '03-start');

    // uploading this year's ParnasSys export
    await follow(page, 'nav.menu a[href="/docent/upload"]');
    await picture(page, '04-upload');
    const thisYear = lastYear.filter((s) => s.group !== 'Groep 8')
      .map((s) => ({ ...s, group: `Groep ${Number(s.group.slice(6)) + 1}` }));
    thisYear.push(...students(30, { start: 2001, groups: ['Groep 3'] }).slice(24));
    await upload(page, 'Leerlingen ParnasSys.xlsx', parnassysXlsx(thisYear));
    assert.equal(await page.textContent('h1'), 'Controleer de wijzigingen');
    await look(page, 'guide-controleren');
    await picture(page, '05-controleren');
    await picture(page, '06-beslissen', 'section.decide');
    await picture(page, '07-groepen', 'table.moves');
    await page.click('details.changes > summary');
    await picture(page, '08-leerlingen', 'details.changes');
    await page.setViewportSize(PHONE);
    await picture(page, '09-telefoon');
    await page.setViewportSize(SIZE);

    // confirming, and undoing
    await submit(page, 'form[action$="/bevestigen"] button[type=submit]');
    assert.equal(await page.textContent('h1'), 'De wijzigingen zijn doorgevoerd');
    await picture(page, '10-doorgevoerd');
    await follow(page, 'a[href$="/ongedaan-maken"]');
    await picture(page, '11-ongedaan-maken');
    await submit(page, 'form[action$="/ongedaan-maken"] button[type=submit]');
    await picture(page, '12-teruggedraaid', 'section.top');
    await follow(page, 'nav.menu a[href="/docent/imports"]');
    await picture(page, '13-eerdere-uploads');

    // a file with errors, and a file that is not the whole school's
    const broken = thisYear.slice(0, 8).map((s) => ({ ...s }));
    broken[3].number = broken[1].number;
    broken[5].birth = '2016-02-31';
    await upload(page, 'leerlingen.csv', studentsCsv(broken));
    assert.equal(await page.textContent('h1'), 'Dit bestand kan niet worden ingelezen');
    await picture(page, '14-fouten');
    await upload(page, 'groep 5.csv', studentsCsv(thisYear.filter((s) => s.group === 'Groep 5')));
    assert.equal(await page.locator('.alert[role=alert]').count(), 1, 'the guard trips');
    await picture(page, '15-ander-bestand');

    // Mijn gegevens
    await follow(page, 'nav.menu a[href="/mijn-gegevens"]');
    await picture(page, '16-mijn-gegevens');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the guide shows every screenshot, and each one it shows exists', () => {
  const guide = readFileSync(GUIDE, 'utf8');
  const shown = [...guide.matchAll(/!\[[^\]]+\]\(handleiding\/([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual([...shown].sort(), [...taken].sort(), 'the guide and the screenshots agree');
  const files = readdirSync(IMG).filter((f) => f.endsWith('.png')).sort();
  assert.deepEqual(files, [...taken].sort(), 'no stale screenshots in docs/handleiding/');
});
