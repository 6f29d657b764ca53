// Account, login and help in a real Chromium (issue 10, points 9 and 10):
//  - replacing a one-time password: every problem shown at once, next to
//    its field and in a summary at the top; the right one-time password
//    stays filled in (that answer only); success leads to Start with a
//    notice;
//  - "Wachtwoord vergeten?" on the login page and the help pages with the
//    library's contact details from the configuration, and a plain
//    sentence when none are configured; the throttled login links to them;
//  - the help page on uploading and reading the overview, linked from the
//    help page in the menu and from the upload page;
//  - the language switch returns to the page it was clicked on, never to
//    another site;
//  - no internal words (the program's name, "kopregel", "soort bestand",
//    "code") on the pages a school or library user reads.
//
// Every journey runs at desktop size and at 390x844, with JavaScript and
// without.  Every page is screenshotted into e2e/artifacts/account-*.png
// and checked with axe-core (no serious or critical violations; see
// lib/browser.mjs for the pages without JavaScript).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { activeUser, assertRedirect, goodPassword, startServer, textOf } from './lib/server.mjs';
import { DESKTOP, PHONE, follow, launch, logIn, look, openPage, submit } from './lib/browser.mjs';
import { students, studentsCsv, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 90000 };
const CONTACT = {
  contact_name: 'Marieke de Vries, mediacoach',
  phone: '0344 12 34 56',
  email: 'scholen@bieb-rivierenland.example',
};
const VARIANTS = [
  { name: 'desktop', js: true, viewport: DESKTOP },
  { name: 'telefoon', js: true, viewport: PHONE },
  { name: 'desktop-zonder-js', js: false, viewport: DESKTOP },
  { name: 'telefoon-zonder-js', js: false, viewport: PHONE },
];
const JARGON = /biebsync|kopregel|soort bestand|\bcode\b/i;

let srv; // with contact details
let bare; // without
let browser;

before(async () => {
  [srv, bare, browser] = await Promise.all([
    startServer({
      config: {
        library: { name: 'Bibliotheek Rivierenland', ...CONTACT },
        login: { max_failures_account: 3, lockout: '60s' },
      },
      schools: [{ name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' }],
    }),
    startServer({ schools: [{ name: 'De Vlieger', brin: '56EF', slug: 'vlieger' }] }),
    launch(),
  ]);
});

after(async () => {
  await browser?.close();
  srv?.kill(); // only after a failure: the last test stops them with assertions
  bare?.kill();
});

const path = (page) => new URL(page.url()).pathname;

/** Log in with the one-time password; the page ends on /wachtwoord-wijzigen. */
async function logInOtp(page, server, user) {
  await page.goto(`${server.url}/aanmelden`);
  await page.fill('#gebruikersnaam', user.username);
  await page.fill('#wachtwoord', user.otp);
  await submit(page, 'form[action="/aanmelden"] button[type=submit]');
  assert.equal(path(page), '/wachtwoord-wijzigen');
}

/** The error summary's links: [[href, text]]. */
const summaryLinks = (page) => page.$$eval('.error-summary a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));

/** How a password field presents itself: value, invalid, and the texts it is described by. */
function fieldState(page, id) {
  return page.$eval(`#${id}`, (el) => ({
    value: el.value,
    invalid: el.getAttribute('aria-invalid'),
    described: (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
      .map((d) => document.getElementById(d)?.textContent ?? `(no #${d})`),
  }));
}

/** The contact details as shown in the first address.contact. */
async function contactShown(page) {
  const a = page.locator('address.contact').first();
  return {
    text: (await a.textContent()).replace(/\s+/g, ' '),
    tel: await a.locator('a[href^="tel:"]').getAttribute('href'),
    mail: await a.locator('a[href^="mailto:"]').getAttribute('href'),
  };
}

describe('replacing a one-time password', () => {
  for (const v of VARIANTS) {
    test(`every problem at once, the one-time password kept, then Start (${v.name})`, T, async () => {
      const user = srv.addUser({ school: 'regenboog' });
      const { context, page, problems, expect } = await openPage(browser, { js: v.js, viewport: v.viewport });
      const prefix = `account-${v.name}`;
      try {
        await logInOtp(page, srv, user);
        await look(page, `${prefix}-01-eenmalig-wachtwoord`, { phone: true });

        // 1. a wrong one-time password, a common new one and a repeat that differs
        expect(422, '/wachtwoord-wijzigen');
        await page.fill('#huidig', 'niet-het-eenmalige-wachtwoord');
        await page.fill('#nieuw', 'wachtwoord12345');
        await page.fill('#herhaal', 'wachtwoord123456');
        await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
        assert.match(await page.textContent('h1'), /Kies je eigen wachtwoord/);
        const links = await summaryLinks(page);
        assert.deepEqual(links.map((l) => l[0]), ['#huidig', '#nieuw', '#herhaal'], 'all three in one answer, in form order');
        assert.match(links[0][1], /eenmalige wachtwoord klopt niet/);
        assert.match(links[1][1], /veel gebruikt/);
        assert.match(links[2][1], /niet gelijk/);
        const reasons = { huidig: /eenmalige wachtwoord klopt niet/, nieuw: /veel gebruikt/, herhaal: /niet gelijk/ };
        for (const [id, reason] of Object.entries(reasons)) {
          const f = await fieldState(page, id);
          assert.equal(f.invalid, 'true', `#${id} aria-invalid`);
          assert.match(f.described[0], reason, `#${id} is described by its error first`);
          assert.equal(f.value, '', `#${id} is empty: a wrong one-time password is typed again`);
        }
        assert.match((await fieldState(page, 'nieuw')).described[1], /Minstens 12 tekens/, 'and then by the hint');
        await look(page, `${prefix}-02-alle-fouten`, { phone: true });
        // the summary leads to the field
        await page.click('.error-summary a[href="#nieuw"]');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'nieuw', 'the link focuses the field');

        // 2. the right one-time password, a new one the policy refuses
        expect(422, '/wachtwoord-wijzigen');
        await page.fill('#huidig', user.otp);
        await page.fill('#nieuw', 'wachtwoord12345');
        await page.fill('#herhaal', 'wachtwoord12345');
        await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
        assert.deepEqual((await summaryLinks(page)).map((l) => l[0]), ['#nieuw']);
        const kept = await fieldState(page, 'huidig');
        assert.equal(kept.value, user.otp, 'the one-time password stays filled in');
        assert.equal(kept.invalid, null, 'and is not marked wrong');
        assert.equal((await fieldState(page, 'nieuw')).value, '', 'the new one is typed again');
        assert.equal((await fieldState(page, 'herhaal')).value, '', 'and its repeat');
        assert.equal((await fieldState(page, 'herhaal')).invalid, null);
        await look(page, `${prefix}-03-eenmalig-wachtwoord-bewaard`, { phone: true });

        // 3. only the new password typed again: on to Start with the notice
        const password = goodPassword();
        await page.fill('#nieuw', password);
        await page.fill('#herhaal', password);
        await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
        assert.equal(path(page), '/');
        assert.equal(new URL(page.url()).search, '?wachtwoord=gewijzigd');
        assert.equal(await page.textContent('.notice[role=status]'),
          'Je wachtwoord is gewijzigd. Je kunt nu het leerlingbestand uploaden.');
        assert.equal(await page.locator('nav.menu a[href="/docent/upload"]').count(), 1, 'the menu is open now');
        await look(page, `${prefix}-04-start-na-wachtwoord`, { phone: true });
        assert.deepEqual(problems, [], 'no console errors, CSP violations or unexpected HTTP errors');
      } finally {
        await context.close();
      }
    });
  }

  test('library staff also land on Start with a notice (without the upload sentence)', T, async () => {
    const user = srv.addUser({ role: 'bibliotheek' });
    const { context, page, problems } = await openPage(browser, { js: true, viewport: DESKTOP });
    try {
      await logIn(page, srv.url, user);
      assert.equal(await page.textContent('.notice[role=status]'), 'Je wachtwoord is gewijzigd.');
      assert.ok((await page.$$eval('th', (ths) => ths.map((t) => t.textContent))).includes('Laatst doorgevoerde upload'));
      assert.equal(await page.locator('a[href="/bibliotheek/school/nieuw"]').textContent(), 'School toevoegen');
      await look(page, 'account-bibliotheek-start-na-wachtwoord', { phone: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the current password is re-rendered escaped, only on the refused answer (HTTP)', T, async () => {
    const u = srv.addUser({ school: 'regenboog' });
    const c = srv.client();
    assertRedirect(await c.login(u.username, u.otp), '/wachtwoord-wijzigen');
    const tricky = 'a"><b>vet</b>&amp;-kasteel-zeilboot';
    assertRedirect(await c.changePassword(u.otp, tricky), '/?wachtwoord=gewijzigd');
    const home = await c.get('/?wachtwoord=gewijzigd');
    assert.match(textOf(home.body), /Je wachtwoord is gewijzigd\. Je kunt nu het leerlingbestand uploaden\./);
    assert.doesNotMatch(textOf((await c.get('/')).body), /Je wachtwoord is gewijzigd/, 'no notice without the flag');

    const res = await c.changePassword(tricky, 'wachtwoord12345', 'wachtwoord12345', { formPage: '/mijn-gegevens' });
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /Mijn gegevens/, 'a later change stays on Mijn gegevens');
    assert.ok(res.body.includes('value="a&quot;&gt;&lt;b&gt;vet&lt;/b&gt;&amp;amp;-kasteel-zeilboot"'),
      'the current password comes back escaped');
    assert.ok(!res.body.includes('<b>vet</b>'), 'never as markup');
    assert.ok(!/value="wachtwoord12345"/.test(res.body), 'the new one never comes back');
    const again = await c.get('/mijn-gegevens');
    assert.doesNotMatch(again.body, /<input[^>]*id="huidig"[^>]*value=/, 'a GET never fills in a password');
    const fresh = goodPassword();
    assertRedirect(await c.changePassword(tricky, fresh, fresh, { formPage: '/mijn-gegevens' }), '/mijn-gegevens?gewijzigd=1');
  });
});

describe('Wachtwoord vergeten? and the contact details', () => {
  for (const v of VARIANTS) {
    test(`the login page and the help page show the library's contact details (${v.name})`, T, async () => {
      const { context, page, problems } = await openPage(browser, { js: v.js, viewport: v.viewport });
      const prefix = `account-${v.name}`;
      try {
        await page.goto(`${srv.url}/aanmelden`);
        assert.equal(await page.textContent('#wachtwoord-vergeten h2'), 'Wachtwoord vergeten?');
        assert.match(await page.textContent('#wachtwoord-vergeten'), /Vraag de bibliotheek om een nieuw eenmalig wachtwoord/);
        const c = await contactShown(page);
        assert.match(c.text, /Marieke de Vries, mediacoach/);
        assert.match(c.text, /Telefoon: 0344 12 34 56/);
        assert.match(c.text, /E-mail: scholen@bieb-rivierenland\.example/);
        assert.equal(c.tel, 'tel:0344123456', 'the link dials the digits');
        assert.equal(c.mail, 'mailto:scholen@bieb-rivierenland.example');
        await look(page, `${prefix}-05-aanmelden-wachtwoord-vergeten`, { phone: true });

        await follow(page, 'a[href="/help/aanmelden"]');
        assert.equal(await page.textContent('h1'), 'Hoe moet ik aanmelden?');
        assert.match((await contactShown(page)).text, /Marieke de Vries/);
        assert.match(await page.textContent('main'), /Waarom niet gewoon mailen\?/);
        await look(page, `${prefix}-06-help-aanmelden`, { phone: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('without contact details the pages say plainly to contact the library, with no empty lines', T, async () => {
    for (const v of [VARIANTS[0], VARIANTS[3]]) {
      const { context, page, problems } = await openPage(browser, { js: v.js, viewport: v.viewport });
      try {
        for (const p of ['/aanmelden', '/help/aanmelden', '/help/uploaden']) {
          await page.goto(`${bare.url}${p}`);
          const main = await page.textContent('main');
          assert.match(main, /Vraag de bibliotheek om een nieuw eenmalig wachtwoord|Neem contact op met de bibliotheek/, p);
          assert.doesNotMatch(main, /Telefoon|E-mail:/, `${p}: no empty contact lines`);
          assert.equal(await page.locator('address').count(), 0, `${p}: no empty address`);
        }
        await page.goto(`${bare.url}/aanmelden`);
        await look(page, `account-${v.name}-07-aanmelden-zonder-contact`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });

  test('a throttled login links to the contact details', T, async () => {
    const victim = srv.addUser({ school: 'regenboog' });
    for (const v of [VARIANTS[0], VARIANTS[3]]) {
      const { context, page, problems, expect } = await openPage(browser, { js: v.js, viewport: v.viewport });
      try {
        await page.goto(`${srv.url}/aanmelden`);
        for (let i = 0; i < 4; i++) {
          if (i >= 3 || v !== VARIANTS[0]) expect(429, '/aanmelden');
          await page.fill('#gebruikersnaam', victim.username);
          await page.fill('#wachtwoord', `fout-${i}-wachtwoord`);
          await submit(page, 'form[action="/aanmelden"] button[type=submit]');
          if (v !== VARIANTS[0]) break; // already locked by the first round
        }
        assert.match(await page.textContent('.error-summary'), /te vaak een verkeerd wachtwoord/);
        await page.click('.error-summary a[href="#wachtwoord-vergeten"]');
        assert.equal(new URL(page.url()).hash, '#wachtwoord-vergeten');
        assert.match((await contactShown(page)).text, /Telefoon: 0344 12 34 56/);
        await look(page, `account-${v.name}-08-aanmelden-te-vaak`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
});

describe('help on uploading and reading the overview', () => {
  for (const v of VARIANTS) {
    test(`reached from the help page and the upload page, in Dutch and English (${v.name})`, T, async () => {
      const { context, page, problems } = await openPage(browser, { js: v.js, viewport: v.viewport });
      const prefix = `account-${v.name}`;
      try {
        // anonymous: from "Hoe moet ik aanmelden?" (the menu's Help page)
        await page.goto(`${srv.url}/help/aanmelden`);
        await follow(page, '.more-help a[href="/help/uploaden"]');
        assert.equal(await page.textContent('h1'), 'Uploaden en het overzicht lezen');
        const headings = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent));
        for (const h of ['1. Welk bestand?', '2. Uploaden', '3. Het overzicht lezen', '4. Een extra controle',
          '5. Bevestigen of annuleren', '6. Ongedaan maken', 'Vragen?'])
          assert.ok(headings.includes(h), `heading ${h} in ${headings}`);
        const main = await page.textContent('main');
        for (const word of [/Uitgeschreven/, /Nieuwe groep/, /Fouten en waarschuwingen/, /rode melding/, /Annuleren/, /Bevestigen/, /Ongedaan maken/])
          assert.match(main, word);
        assert.doesNotMatch(main, JARGON);
        for (const guide of ['parnassys', 'esis', 'dotcom'])
          assert.ok(await page.locator(`main a[href="/help/${guide}"]`).count() >= 1, `a link to the ${guide} guide`);
        assert.match((await contactShown(page)).text, /Marieke de Vries/);
        await look(page, `${prefix}-09-help-uploaden`, { phone: true });

        // the language switch keeps the page
        await follow(page, 'footer a[lang=en]');
        assert.equal(path(page), '/help/uploaden');
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.equal(await page.textContent('h1'), 'Uploading and reading the overview');
        assert.match((await contactShown(page)).text, /Phone: 0344 12 34 56/);
        await look(page, `${prefix}-10-help-upload-english`, { phone: true });
        await follow(page, 'footer a[lang=nl]');
        assert.equal(path(page), '/help/uploaden');
        assert.equal(await page.getAttribute('html', 'lang'), 'nl');

        // logged in: from the upload page, and back
        const user = srv.addUser({ school: 'regenboog' });
        await logIn(page, srv.url, user);
        await follow(page, 'nav.menu a[href="/docent/upload"]');
        await follow(page, 'main a[href="/help/uploaden"]');
        assert.equal(await page.textContent('h1'), 'Uploaden en het overzicht lezen');
        await follow(page, 'main a[href="/docent/upload"]');
        assert.equal(path(page), '/docent/upload');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the language switch stays on the same page', () => {
  for (const v of VARIANTS) {
    test(`a GET page, a POST's answer, and back (${v.name})`, T, async () => {
      const { context, page, problems, expect } = await openPage(browser, { js: v.js, viewport: v.viewport });
      try {
        // a POST's answer (a failed login) returns to its GET page
        await page.goto(`${srv.url}/aanmelden`);
        await page.fill('#gebruikersnaam', `niemand-${v.name}`);
        await page.fill('#wachtwoord', 'een-verkeerd-wachtwoord');
        await submit(page, 'form[action="/aanmelden"] button[type=submit]');
        assert.equal(await page.getAttribute('footer a', 'href'), '/taal/en?terug=/aanmelden');
        await follow(page, 'footer a[lang=en]');
        assert.equal(path(page), '/aanmelden');
        assert.equal(await page.textContent('h1'), 'Log in');
        assert.match(await page.textContent('#wachtwoord-vergeten'), /Ask the library for a new one-time password/);
        await look(page, `account-${v.name}-11-log-in-english`);
        await follow(page, 'footer a[lang=nl]');

        // a refused password change (POST /wachtwoord-wijzigen, 422) returns to the form
        const user = srv.addUser({ school: 'regenboog' });
        await logInOtp(page, srv, user);
        expect(422, '/wachtwoord-wijzigen');
        await page.fill('#huidig', user.otp);
        await page.fill('#nieuw', 'wachtwoord12345');
        await page.fill('#herhaal', 'wachtwoord12345');
        await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
        await follow(page, 'footer a[lang=en]');
        assert.equal(path(page), '/wachtwoord-wijzigen');
        assert.equal(await page.textContent('h1'), 'Choose your own password');
        assert.equal(await page.inputValue('#huidig'), '', 'the GET page after the switch holds no password');
        const password = goodPassword();
        await page.fill('#huidig', user.otp);
        await page.fill('#nieuw', password);
        await page.fill('#herhaal', password);
        await submit(page, 'form[action="/wachtwoord-wijzigen"] button[type=submit]');
        assert.equal(await page.textContent('.notice'), 'Your password has been changed. You can now upload the student list.');

        // a page deep in the site
        await follow(page, 'nav.menu a[href="/docent/imports"]');
        await follow(page, 'footer a[lang=nl]');
        assert.equal(path(page), '/docent/imports');
        assert.equal(await page.getAttribute('html', 'lang'), 'nl');
        await follow(page, 'footer a[lang=en]');
        assert.equal(path(page), '/docent/imports');
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('the switch never leads to another site (HTTP)', T, async () => {
    const c = srv.client();
    const cases = [
      ['/docent/imports', '/docent/imports'],
      ['/help/uploaden', '/help/uploaden'],
      ['/docent/import/12', '/docent/import/12'],
      ['//evil.example', '/'],
      ['//evil.example/docent', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example/', '/'],
      ['javascript:alert(1)', '/'],
      ['/docent/imports?x=1', '/'],
      ['/a\r\nSet-Cookie: x=1', '/'],
      ['docent/imports', '/'],
      ['', '/'],
    ];
    for (const [back, want] of cases) {
      const res = await c.get(`/taal/en?terug=${encodeURIComponent(back)}`);
      assertRedirect(res, want, `terug=${JSON.stringify(back)}`);
      assert.equal(res.cookies.find((x) => x.name === 'lang')?.value, 'en', 'the language is still switched');
    }
    assertRedirect(await c.get('/taal/nl'), '/', 'without terug: the start page');
    assert.equal(textOf((await c.get('/help/uploaden')).body).includes('English'), true);
    // every page's switch carries its own path; the start page and unknown paths none
    assert.match((await c.get('/help/esis')).body, /href="\/taal\/en\?terug=\/help\/esis"/);
    assert.match((await c.get('/aanmelden')).body, /href="\/taal\/en\?terug=\/aanmelden"/);
    assert.match((await c.get('/bestaat-niet')).body, /href="\/taal\/en"/);
  });
});

test('no internal words on the pages a school or library user reads (HTTP)', T, async () => {
  const { client: docent } = await activeUser(srv, { school: 'regenboog' });
  const { client: library } = await activeUser(srv, { role: 'bibliotheek' });
  const id = await uploadPreview(docent, 'leerlingen.csv', studentsCsv(students(6)));
  const pages = [
    [docent, '/'], [docent, '/mijn-gegevens'], [docent, '/docent/upload'], [docent, '/docent/imports'],
    [docent, `/docent/import/${id}`], [docent, '/help/aanmelden'], [docent, '/help/uploaden'],
    [docent, '/help/parnassys'], [docent, '/help/esis'], [docent, '/help/dotcom'], [srv.client(), '/aanmelden'],
  ];
  for (const [c, p] of pages) {
    const res = await c.get(p);
    assert.equal(res.status, 200, p);
    assert.doesNotMatch(textOf(res.body), JARGON, p);
  }
  const preview = textOf((await docent.get(`/docent/import/${id}`)).body);
  assert.match(preview, /Bestandstype/);
  assert.match(preview, /Kolomnamen op rij 1/);
  // library staff: plain words too, and no command line to type
  const home = textOf((await library.get('/')).body);
  assert.match(home, /School toevoegen/);
  assert.doesNotMatch(home, JARGON);
});

test('the servers stop cleanly', T, async () => {
  await Promise.all([srv.stop(), bare.stop()]);
});
