// "Upload Leerlingbestand" over HTTP (issue 5): CSRF on confirm, cancel and
// undo; a double confirm applies once; confirming after the roster changed
// fails cleanly; every /docent/* route for four visitors (not logged in,
// the school's docent, another school's docent, library staff) answers as
// it should and changes nothing it should not; uploads over the limit get
// the friendly 413 page and leave no import behind.  What changed is always
// checked through the admin command line (roster export, import list).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CSP, activeUser, assertRedirect, csrfOf, rawConnection, startServer, textOf, within,
} from './lib/server.mjs';
import {
  cliApply, imports, movedUp, multipart, roster, students, studentsCsv, upload, uploadPreview,
} from './lib/upload.mjs';

const T = { timeout: 30000 };
const MAX_UPLOAD = 100 * 1024;
const A = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const B = { name: 'Basisschool \'t Kompas', brin: '34CD', slug: 'kompas' };
const EVIL_ORIGIN = 'https://evil.example';

let srv;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-upload-http-'));
  srv = await startServer({ config: { imports: { max_upload: '100k' } }, schools: [A, B] });
});

after(() => {
  srv?.kill(); // only after a failure: the last test stops it with assertions
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Everything the command line sees of both schools. */
function snapshot() {
  return {
    rosterA: roster(srv, A.slug), importsA: imports(srv, A.slug).map(({ id, state }) => ({ id, state })),
    rosterB: roster(srv, B.slug), importsB: imports(srv, B.slug).map(({ id, state }) => ({ id, state })),
  };
}

const stateOf = (slug, id) => imports(srv, slug).find((i) => i.id === id)?.state;

/** The csrf token of a logged-in client (from a page everyone can open). */
async function tokenOf(client) {
  return (await client.getForm('/mijn-gegevens')).csrf;
}

/** A roster as { number: group }. */
const groups = (r) => Object.fromEntries(r.map((s) => [s.leerlingnummer, s.groep]));

/** Apply a student list through the command line, as another program would. */
function applyByCli(slug, list, name) {
  const file = join(dir, name);
  writeFileSync(file, studentsCsv(list));
  const r = cliApply(srv, slug, file);
  assert.equal(r.code, 0, `import --apply: ${r.stdout}\n${r.stderr}`);
}

describe('CSRF on confirm, cancel and undo', () => {
  let docent;
  let other; // another school's docent: a valid token, but not this session's

  before(async () => {
    docent = await activeUser(srv, { school: A.slug });
    other = await activeUser(srv, { school: B.slug });
  });

  /** The ways a forged POST can look; each must get 403 and change nothing. */
  async function forgeries(client) {
    const right = await tokenOf(client);
    return [
      ['no token', {}, {}],
      ['an empty token', { csrf: '' }, {}],
      ['a wrong token', { csrf: right.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, {}],
      ['another session\'s token', { csrf: await tokenOf(other.client) }, {}],
      ['the right token from a foreign Origin', { csrf: right }, { origin: EVIL_ORIGIN }],
      ['the right token, Sec-Fetch-Site cross-site', { csrf: right },
        { headers: { 'Sec-Fetch-Site': 'cross-site' }, origin: null }],
      ['the right token, a foreign Referer and no Origin', { csrf: right },
        { headers: { Referer: `${EVIL_ORIGIN}/docent/upload` }, origin: null }],
    ];
  }

  async function assertForgeriesRefused(path, what) {
    const before_ = snapshot();
    for (const [how, form, opts] of await forgeries(docent.client)) {
      const res = await docent.client.request(path, { ...opts, form });
      assert.equal(res.status, 403, `${what} with ${how}: status`);
      assert.match(textOf(res.body), /Formulier verlopen/, `${what} with ${how}: the page says why`);
    }
    assert.deepEqual(snapshot(), before_, `${what}: nothing changed`);
  }

  test('a forged confirm or cancel is refused with 403 and changes nothing', T, async () => {
    const id = await uploadPreview(docent.client, 'lijst.csv', studentsCsv(students(8)));
    await assertForgeriesRefused(`/docent/import/${id}/bevestigen`, 'confirm');
    await assertForgeriesRefused(`/docent/import/${id}/annuleren`, 'cancel');
    assert.equal(stateOf(A.slug, id), 'preview');
    assert.deepEqual(roster(srv, A.slug), []);
    // with the right token the same request works
    const ok = await docent.client.postForm(`/docent/import/${id}/bevestigen`, {}, { formPage: `/docent/import/${id}` });
    assertRedirect(ok, `/docent/import/${id}`, 'the real confirm');
    assert.equal(stateOf(A.slug, id), 'applied');
    assert.equal(roster(srv, A.slug).length, 8);
  });

  test('a forged undo is refused with 403 and changes nothing', T, async () => {
    const list = students(8).map(movedUp);
    const id = await uploadPreview(docent.client, 'volgend-jaar.csv', studentsCsv(list));
    const ok = await docent.client.postForm(`/docent/import/${id}/bevestigen`, {}, { formPage: `/docent/import/${id}` });
    assertRedirect(ok, `/docent/import/${id}`);
    const applied = roster(srv, A.slug);
    assert.deepEqual(groups(applied), Object.fromEntries(list.map((s) => [s.number, s.group])));
    await assertForgeriesRefused(`/docent/import/${id}/ongedaan-maken`, 'undo');
    assert.equal(stateOf(A.slug, id), 'applied');
    // the real undo, from its confirmation page
    const page = await docent.client.get(`/docent/import/${id}/ongedaan-maken`);
    assert.equal(page.status, 200);
    assert.deepEqual(roster(srv, A.slug), applied, 'the confirmation page changes nothing');
    const undo = await docent.client.postForm(`/docent/import/${id}/ongedaan-maken`, {}, { csrf: csrfOf(page.body) });
    assertRedirect(undo, `/docent/import/${id}`);
    assert.equal(stateOf(A.slug, id), 'undone');
    assert.deepEqual(groups(roster(srv, A.slug)), groups(students(8).map((s) => ({ leerlingnummer: s.number, groep: s.group }))));
  });
});

describe('confirming', () => {
  let docent;

  before(async () => {
    docent = await activeUser(srv, { school: A.slug });
  });

  test('a double confirm applies once', T, async () => {
    const start = roster(srv, A.slug);
    const list = [...students(8).map(movedUp).map(movedUp), ...students(3, { start: 7001 })];
    const id = await uploadPreview(docent.client, 'dubbel.csv', studentsCsv(list));
    const { csrf } = await docent.client.getForm(`/docent/import/${id}`);
    const path = `/docent/import/${id}/bevestigen`;
    // two clicks at once (a double click, two tabs) ...
    const both = await Promise.all([
      docent.client.request(path, { form: { csrf } }),
      docent.client.request(path, { form: { csrf } }),
    ]);
    for (const res of both) assertRedirect(res, `/docent/import/${id}`, 'each confirm');
    // ... and once more afterwards (Back, then the button again)
    assertRedirect(await docent.client.request(path, { form: { csrf } }), `/docent/import/${id}`, 'a late confirm');
    assert.equal(stateOf(A.slug, id), 'applied');
    const after_ = roster(srv, A.slug);
    assert.deepEqual(groups(after_), Object.fromEntries(list.map((s) => [s.number, s.group])));
    assert.equal(after_.length, list.length, `one application: ${start.length} students before`);
    const audit = srv.admin('audit', '--school', A.slug, '--limit', '1000').stdout;
    const appliedRows = audit.split('\n').filter((l) => /\bimport_applied\b/.test(l) && l.endsWith(`import ${id}`));
    assert.equal(appliedRows.length, 1, `one audit row for one application:\n${audit}`);
    const page = await docent.client.get(`/docent/import/${id}`);
    assert.match(textOf(page.body), /De wijzigingen zijn doorgevoerd/);
    assert.doesNotMatch(page.body, /action="[^"]*\/bevestigen"/, 'no confirm button on the result');
  });

  test('confirming after the roster changed fails cleanly: 409, nothing applied', T, async () => {
    const list = students(12, { start: 8001 });
    const earlier = roster(srv, A.slug);
    applyByCli(A.slug, students(5, { start: 9001 }), 'tussendoor.csv');
    const id = await uploadPreview(docent.client, 'oud-overzicht.csv', studentsCsv(list));
    const { csrf } = await docent.client.getForm(`/docent/import/${id}`);
    // meanwhile the roster changes behind the preview's back: the library
    // undoes its import (a new import would replace the open preview)
    assert.equal(srv.admin('import', 'undo', '--school', A.slug).code, 0);
    const changed = roster(srv, A.slug);
    const res = await docent.client.request(`/docent/import/${id}/bevestigen`, { form: { csrf } });
    assert.equal(res.status, 409);
    assert.match(textOf(res.body), /gewijzigd sinds dit overzicht is gemaakt\. Er is niets doorgevoerd/);
    assert.doesNotMatch(res.body, /action="[^"]*\/bevestigen"/, 'no button that can only fail again');
    assert.match(res.body, /<a href="\/docent\/upload">/, 'the error summary leads to a new upload');
    assert.deepEqual(roster(srv, A.slug), changed, 'nothing applied');
    assert.deepEqual(changed, earlier, 'the undo brought back the earlier roster');
    assert.notEqual(stateOf(A.slug, id), 'applied');
  });

  test('a guard needs zeker=ja; a blocked file cannot be confirmed at all', T, async () => {
    const { client } = await activeUser(srv, { school: B.slug });
    const whole = students(30, { start: 6001 });
    applyByCli(B.slug, whole, 'kompas.csv');
    const id = await uploadPreview(client, 'een-groep.csv', studentsCsv(whole.slice(0, 5)));
    const { csrf } = await client.getForm(`/docent/import/${id}`);
    const path = `/docent/import/${id}/bevestigen`;
    for (const zeker of [undefined, '', 'nee', 'JA']) {
      const form = zeker === undefined ? { csrf } : { csrf, zeker };
      const res = await client.request(path, { form });
      assert.equal(res.status, 422, `zeker=${zeker}`);
      assert.match(textOf(res.body), /Vink eerst aan/);
      assert.match(res.body, /<a href="#zeker">/);
      assert.match(res.body, /id="zeker"/, 'the link leads somewhere');
    }
    assert.equal(roster(srv, B.slug).length, 30);
    assertRedirect(await client.request(path, { form: { csrf, zeker: 'ja' } }), `/docent/import/${id}`);
    assert.equal(roster(srv, B.slug).length, 5);

    const dup = students(4, { start: 6101 });
    dup[2].number = dup[1].number;
    const blocked = await uploadPreview(client, 'dubbel-nummer.csv', studentsCsv(dup));
    const res = await client.request(`/docent/import/${blocked}/bevestigen`, { form: { csrf, zeker: 'ja' } });
    assert.equal(res.status, 422);
    assert.equal(stateOf(B.slug, blocked), 'preview');
    assert.equal(roster(srv, B.slug).length, 5);
  });
});

describe('every /docent route for four visitors', () => {
  let a; // docent of school A
  let b; // docent of school B
  let lib; // library staff
  let preview; // an import of A still in preview
  let applied; // A's last applied import
  let bImport; // one of B's imports

  before(async () => {
    a = await activeUser(srv, { school: A.slug });
    b = await activeUser(srv, { school: B.slug });
    lib = await activeUser(srv, { role: 'bibliotheek' });
    const base = students(6, { start: 10001 });
    applied = await uploadPreview(a.client, 'matrix.csv', studentsCsv(base));
    assertRedirect(await a.client.postForm(`/docent/import/${applied}/bevestigen`, {},
      { formPage: `/docent/import/${applied}` }), `/docent/import/${applied}`);
    preview = await uploadPreview(a.client, 'matrix-2.csv', studentsCsv(base.map(movedUp)));
    bImport = await uploadPreview(b.client, 'van-b.csv', studentsCsv(students(2, { start: 11001 })));
  });

  const GETS = (id) => [
    '/docent/upload', '/docent/voorbeeldbestand.xlsx', '/docent/imports', `/docent/import/${id}`,
    `/docent/import/${id}/rapport.xlsx`, `/docent/import/${id}/ongedaan-maken`,
  ];
  const POSTS = (id) => [
    `/docent/import/${id}/bevestigen`, `/docent/import/${id}/annuleren`, `/docent/import/${id}/ongedaan-maken`,
  ];
  const perImport = (path) => /\/docent\/import\//.test(path);

  test('not logged in: every route, GET and POST, is sent to Aanmelden', T, async () => {
    const before_ = snapshot();
    const anon = srv.client();
    for (const id of [preview, applied]) {
      for (const path of GETS(id)) assertRedirect(await anon.get(path), '/aanmelden', `GET ${path}`);
      for (const path of [...POSTS(id), '/docent/upload'])
        assertRedirect(await anon.request(path, { form: { csrf: 'x'.repeat(43), zeker: 'ja' } }), '/aanmelden', `POST ${path}`);
    }
    const file = multipart({ csrf: 'x'.repeat(43) }, { filename: 'a.csv', data: studentsCsv(students(2)) });
    assertRedirect(await anon.request('/docent/upload', { body: file.body, headers: { 'Content-Type': file.contentType } }),
      '/aanmelden', 'POST /docent/upload (multipart)');
    assert.deepEqual(snapshot(), before_);
  });

  test('the school\'s own docent: every page answers 200', T, async () => {
    for (const path of GETS(applied)) {
      const res = await a.client.get(path);
      assert.equal(res.status, 200, `GET ${path}`);
      assert.equal(res.headers['content-security-policy'], CSP, `GET ${path}: CSP`);
      assert.equal(res.headers['cache-control'], 'no-store', `GET ${path}: no-store`);
      if (path.endsWith('.xlsx')) {
        assert.match(res.headers['content-type'], /spreadsheetml/);
        assert.match(res.headers['content-disposition'], /^attachment; filename="[^"]+\.xlsx"$/);
      }
    }
    for (const path of GETS(preview).filter(perImport).filter((p) => !p.endsWith('ongedaan-maken')))
      assert.equal((await a.client.get(path)).status, 200, `GET ${path}`);
    // undo is only for the last applied import
    const notLast = await a.client.get(`/docent/import/${preview}/ongedaan-maken`);
    assert.equal(notLast.status, 409);
    assert.match(textOf(notLast.body), /Alleen de laatste doorgevoerde upload/);
    // ids that are not A's
    for (const id of [bImport, 999999, 0]) {
      for (const path of GETS(id).filter(perImport)) {
        const res = await a.client.get(path);
        assert.equal(res.status, 404, `GET ${path}`);
      }
    }
  });

  test('another school\'s docent: A\'s ids answer 404, GET and POST, and nothing changes', T, async () => {
    const before_ = snapshot();
    const csrf = await tokenOf(b.client);
    for (const id of [preview, applied]) {
      for (const path of GETS(id)) {
        const res = await b.client.get(path);
        if (perImport(path)) {
          assert.equal(res.status, 404, `GET ${path}`);
          assert.doesNotMatch(res.body, /matrix/, `GET ${path}: nothing of A's import`);
        } else {
          assert.equal(res.status, 200, `GET ${path} (B's own page)`);
        }
      }
      for (const path of POSTS(id)) {
        const res = await b.client.request(path, { form: { csrf, zeker: 'ja' } });
        assert.equal(res.status, 404, `POST ${path}`);
      }
    }
    const history = await b.client.get('/docent/imports');
    assert.doesNotMatch(history.body, /matrix/, 'A\'s uploads are not in B\'s history');
    assert.deepEqual(snapshot(), before_);
  });

  test('library staff: imports read-only (200 without buttons), docent pages and POSTs 403', T, async () => {
    const before_ = snapshot();
    const csrf = await tokenOf(lib.client);
    for (const id of [preview, applied, bImport]) {
      for (const path of GETS(id)) {
        const res = await lib.client.get(path);
        const readable = perImport(path) && !path.endsWith('ongedaan-maken') || path.endsWith('voorbeeldbestand.xlsx');
        assert.equal(res.status, readable ? 200 : 403, `GET ${path}`);
        if (path === `/docent/import/${id}`) {
          assert.doesNotMatch(res.body, /<form[^>]*action="\/docent\/import/, `GET ${path}: no buttons`);
          assert.doesNotMatch(res.body, /ongedaan-maken/, `GET ${path}: no undo`);
        }
      }
      for (const path of POSTS(id)) {
        const res = await lib.client.request(path, { form: { csrf, zeker: 'ja' } });
        assert.equal(res.status, 403, `POST ${path}`);
      }
    }
    const file = multipart({ csrf }, { filename: 'a.csv', data: studentsCsv(students(2)) });
    const up = await lib.client.request('/docent/upload', { body: file.body, headers: { 'Content-Type': file.contentType } });
    assert.equal(up.status, 403, 'POST /docent/upload');
    const home = await lib.client.get('/');
    assert.match(home.body, new RegExp(`<a href="/docent/import/${applied}">`), 'the home page links A\'s last applied upload');
    const uploads = await lib.client.get('/bibliotheek/imports');
    assert.match(uploads.body, new RegExp(`<a href="/docent/import/${preview}"`), 'the uploads page links the open preview');
    assert.deepEqual(snapshot(), before_);
  });
});

describe('uploads that are refused', () => {
  let docent;

  before(async () => {
    docent = await activeUser(srv, { school: B.slug });
  });

  test('over the limit with Content-Length: the friendly 413 page, no import recorded', T, async () => {
    const before_ = imports(srv, B.slug);
    const big = Buffer.alloc(MAX_UPLOAD + 80 * 1024, 'a;b;c\n');
    const res = await upload(docent.client, 'groot.csv', big);
    assert.equal(res.status, 413);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['content-security-policy'], CSP);
    const text = textOf(res.body);
    assert.match(text, /Bestand te groot/);
    assert.match(text, /Er is niets gewijzigd/);
    assert.match(text, /Grootste bestand: 100 kB/, 'the limit in words a person can use');
    assert.match(res.body, /<a href="\/docent\/upload">/);
    assert.match(text, /Basisschool 't Kompas/, 'still the logged-in page layout');
    assert.deepEqual(imports(srv, B.slug), before_, 'no import recorded');
    srv.assertHealthy();
  });

  test('a body that grows past the limit without Content-Length is cut off, no import recorded', T, async () => {
    const before_ = imports(srv, B.slug);
    const csrf = (await docent.client.getForm('/docent/upload')).csrf;
    const conn = await rawConnection(srv.port);
    const boundary = 'xyzzy';
    await conn.write(`POST /docent/upload HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\n`
      + `Cookie: ${docent.client.cookieHeader()}\r\nOrigin: ${srv.url}\r\n`
      + `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="groot.csv"\r\n\r\n`;
    await conn.write(`${Buffer.byteLength(head).toString(16)}\r\n${head}\r\n`);
    const chunk = 'a;b;c\n'.repeat(2000);
    for (let sent = 0; sent < 3 * MAX_UPLOAD && !conn.sock.destroyed; sent += chunk.length)
      if (!(await conn.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))) break;
    // the end of the body, if the server still reads: past the limit it
    // drops the rest and answers 413 when the body ends
    if (!conn.sock.destroyed) await conn.write('0\r\n\r\n');
    await within(conn.closed, 10000, 'the server closes the connection');
    assert.ok(conn.status() === 413 || conn.status() === null, `status ${conn.status()}`);
    assert.deepEqual(imports(srv, B.slug), before_, 'no import recorded');
    srv.assertHealthy();
  });

  test('just over the limit in the file but within the form\'s framing: refused, no import recorded', T, async () => {
    const before_ = imports(srv, B.slug);
    const res = await upload(docent.client, 'net-te-groot.csv', Buffer.alloc(MAX_UPLOAD + 1024, 'a;b;c\n'));
    assert.ok(res.status === 413 || res.status === 422, `status ${res.status}`);
    assert.match(textOf(res.body), /groot|grote/i);
    assert.deepEqual(imports(srv, B.slug), before_);
  });

  test('no file, a PDF: 422 with a Dutch message, no import recorded', T, async () => {
    const before_ = imports(srv, B.slug);
    const { csrf } = await docent.client.getForm('/docent/upload');
    const empty = multipart({ csrf }, null);
    const none = await docent.client.request('/docent/upload', { body: empty.body, headers: { 'Content-Type': empty.contentType } });
    assert.equal(none.status, 422);
    assert.match(textOf(none.body), /Kies eerst een bestand/);
    const pdf = await upload(docent.client, 'leerlingen.pdf', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'));
    assert.equal(pdf.status, 422);
    assert.match(textOf(pdf.body), /PDF/);
    assert.match(pdf.body, /<a href="#bestand">/, 'the error summary leads to the file field');
    assert.deepEqual(imports(srv, B.slug), before_);
  });

  test('a chosen file of 0 bytes is named as empty; nothing chosen is "choose a file"; NUL bytes are binary', T, async () => {
    const before_ = imports(srv, B.slug);
    // what a browser sends when nothing was chosen: a file part without a name or bytes
    const { csrf } = await docent.client.getForm('/docent/upload');
    const blank = multipart({ csrf }, { filename: '', data: '' });
    const none = await docent.client.request('/docent/upload', { body: blank.body, headers: { 'Content-Type': blank.contentType } });
    assert.equal(none.status, 422);
    assert.match(textOf(none.body), /Kies eerst een bestand/);

    const empty = await upload(docent.client, 'leerlingen groep 8.csv', Buffer.alloc(0));
    assert.equal(empty.status, 422);
    assert.match(textOf(empty.body), /Het bestand leerlingen groep 8\.csv is leeg\. Upload het leerlingbestand/);
    assert.doesNotMatch(textOf(empty.body), /Kies eerst een bestand/);
    assert.match(empty.body, /<a href="#bestand">/, 'the error summary leads to the file field');

    // the name is the uploader's text: escaped, without its folder
    const odd = await upload(docent.client, 'C:\\Users\\juf\\<lijst & co>.csv', Buffer.alloc(0));
    assert.equal(odd.status, 422);
    assert.match(odd.body, /Het bestand &lt;lijst &amp; co&gt;\.csv is leeg\./);

    const english = await upload(docent.client, 'empty.csv', Buffer.alloc(0), { headers: { 'Accept-Language': 'en' } });
    assert.equal(english.status, 422);
    assert.match(textOf(english.body), /The file empty\.csv is empty\./);

    const zeros = await upload(docent.client, 'nullen.csv', Buffer.alloc(2048));
    assert.equal(zeros.status, 422);
    assert.match(textOf(zeros.body), /binair bestand/);
    assert.doesNotMatch(textOf(zeros.body), /leeg/);
    assert.deepEqual(imports(srv, B.slug), before_, 'no import recorded');
  });

  test('an upload without a valid token is refused before the file is read', T, async () => {
    const before_ = imports(srv, B.slug);
    for (const [how, opts] of [['no token', { csrf: null }], ['a wrong token', { csrf: 'x'.repeat(43) }],
      ['a foreign Origin', { origin: EVIL_ORIGIN }]]) {
      const res = await upload(docent.client, 'lijst.csv', studentsCsv(students(3)), opts);
      assert.equal(res.status, 403, how);
    }
    assert.deepEqual(imports(srv, B.slug), before_);
  });
});

test('the upload HTTP tests\' server stops cleanly', T, async () => {
  await srv.stop();
});
