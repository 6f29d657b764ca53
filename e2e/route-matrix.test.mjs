// Every route × role × library organisation (issue 11): the route table is
// read from src/web/app.c, so a new route is in this matrix the day it is
// added (and a route with an id of a kind the matrix does not know fails
// it).  Two libraries, each with a school, a teacher, an upload and pupils,
// and a library user each.  For every route, with the other library's ids:
//   - the other library's user gets 404, GET and POST alike (with a valid
//     CSRF token and plausible fields), exactly as for an id that does not
//     exist, and nothing in the other library changes (its API keys
//     neither);
//   - a teacher gets 403 on library routes and 404 on another school's
//     uploads; an anonymous visitor is sent to Aanmelden.
// As a control, the own library's user gets 200 on every GET route with
// its own ids, so the 404s are not a page that is always missing.
// Last, every POST route is sent as its own users with their own ids: no
// password may be hashed and no file read on an HTTP thread (issue 12,
// point 3), so a form that does so without the HEAVY mark in the route
// table fails here (the server logs it; assertHealthy() fails on that).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { activeUser, csrfOf, setUpTwoStep, startServer } from './lib/server.mjs';
import { cliApply, students, studentsCsv, upload, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 300000 };
const here = dirname(fileURLToPath(import.meta.url));

/** The routes of src/web/app.c: [{ method, path, access }]. */
function routes() {
  const src = readFileSync(join(here, '..', 'src', 'web', 'app.c'), 'utf8');
  const table = /static const struct route routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
  assert.ok(table, 'the route table in src/web/app.c');
  const found = [...table[1].matchAll(/\{\s*HTTP_(GET|POST),\s*"([^"]+)",\s*ACCESS_(\w+)/g)]
    .map((m) => ({ method: m[1], path: m[2], access: m[3] }));
  assert.ok(found.length >= 20, `only ${found.length} routes read`);
  return found;
}

/** What the id in a path names, by the path's start. */
const KINDS = [
  ['/docent/import/#', 'import'],
  ['/bibliotheek/school/#', 'school'],
  ['/bibliotheek/account/#', 'account'],
  ['/bibliotheek/leerling/#', 'pupil'],
  ['/bibliotheek/api-sleutel/#', 'token'],
];

function kindOf(path) {
  const k = KINDS.find(([prefix]) => path.startsWith(prefix));
  assert.ok(k, `${path}: an id of a kind this matrix does not know; add it to KINDS`);
  return k[1];
}

let srv;
let dir;
const lib = {}; // 'a' | 'b' -> { user, teacher, ids: { school, account, import, pupil } }

function sql(query) {
  const r = spawnSync('sqlite3', [srv.dbPath, query], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

/** Everything of library b that a forged request could change. */
function snapshotOf(slug) {
  return sql(`SELECT s.name, s.brin, s.contact_name, s.contact_email, s.roster_version,
      (SELECT group_concat(username || disabled || must_change || pwhash || totp_secret, ',') FROM accounts WHERE school_id = s.id),
      (SELECT group_concat(number || roepnaam || achternaam || active, ',') FROM students WHERE school_id = s.id),
      (SELECT group_concat(id || state, ',') FROM imports WHERE school_id = s.id),
      (SELECT name || contact_name || contact_phone || contact_email FROM libraries WHERE id = s.library_id),
      (SELECT group_concat(id || name || revoked, ',') FROM api_tokens WHERE library_id = s.library_id)
    FROM schools s WHERE slug = '${slug}'`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-matrix-'));
  srv = await startServer({ schools: [{ name: 'OBS Het Anker', brin: '41AB', slug: 'anker' }] });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Oost', '--slug', 'oost').code, 0);
  srv.addSchool({ name: 'De Zonnewijzer', brin: '42AB', slug: 'zonnewijzer', library: 'oost' });
  for (const [key, library, slug, start] of [['a', 'bibliotheek', 'anker', 1001], ['b', 'oost', 'zonnewijzer', 5001]]) {
    const file = join(dir, `${slug}.csv`);
    writeFileSync(file, studentsCsv(students(8, { start })));
    assert.equal(cliApply(srv, slug, file).code, 0, 'a roster to look at');
    const teacher = await activeUser(srv, { school: slug, username: `juf-${slug}` });
    const upload = await uploadPreview(teacher.client, `${slug}.csv`, studentsCsv(students(9, { start })));
    const user = await activeUser(srv, { role: 'bibliotheek', library, username: `bieb-${key}` });
    const school = Number(sql(`SELECT id FROM schools WHERE slug = '${slug}'`));
    const made = await user.client.postForm('/bibliotheek/api-sleutels', { naam: `Wise ${key}` });
    assert.equal(made.status, 200, 'an API key to look at');
    lib[key] = {
      user,
      teacher,
      ids: {
        school,
        account: Number(sql(`SELECT id FROM accounts WHERE username = 'juf-${slug}'`)),
        import: upload,
        pupil: Number(sql(`SELECT min(id) FROM students WHERE school_id = ${school}`)),
        token: Number(sql(`SELECT id FROM api_tokens WHERE name = 'Wise ${key}'`)),
      },
    };
  }
});

after(() => {
  srv?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const withId = (path, ids) => path.replace('#', String(ids[kindOf(path)]));

/** Plausible values for any form field a route may declare. */
const FIELDS = {
  zeker: 'ja', naam: 'Overgenomen', brin: '99ZZ', gebruikersnaam: 'overgenomen', email: 'x@example.org',
  telefoon: '0101234567', contact: 'Iemand', contactnaam: 'Iemand', code: '123456', bevestig: 'ja', wachtwoord: 'x', huidig: 'x',
};

async function post(client, path, csrf) {
  return client.request(path, { form: { csrf, ...FIELDS } });
}

test('the other library\'s user gets 404 on every route with an id, GET and POST, and nothing changes', T, async () => {
  const before = snapshotOf('zonnewijzer');
  const { csrf } = await lib.a.user.client.getForm('/');
  const tried = [];
  for (const r of routes().filter((x) => x.path.includes('#') && ['LIBRARY', 'USER'].includes(x.access))) {
    const path = withId(r.path, lib.b.ids);
    const res = r.method === 'GET' ? await lib.a.user.client.get(path) : await post(lib.a.user.client, path, csrf);
    assert.equal(res.status, 404, `${r.method} ${path} as library a: ${res.status} ${res.body.slice(0, 300)}`);
    const missing = withId(r.path, { school: 999999, account: 999999, import: 999999, pupil: 999999, token: 999999 });
    const none = r.method === 'GET' ? await lib.a.user.client.get(missing) : await post(lib.a.user.client, missing, csrf);
    assert.equal(none.status, 404, `${r.method} ${missing}`);
    assert.equal(res.body.replace(/\d+/g, ''), none.body.replace(/\d+/g, ''), `${path}: the same page as for an id that does not exist`);
    tried.push(`${r.method} ${r.path}`);
  }
  assert.ok(tried.length >= 5, `routes tried: ${tried}`);
  assert.equal(snapshotOf('zonnewijzer'), before, 'library b\'s school, accounts, pupils and uploads are unchanged');
});

test('a teacher gets 403 on every library route and 404 on another school\'s uploads', T, async () => {
  const { csrf } = await lib.a.teacher.client.getForm('/');
  for (const r of routes().filter((x) => x.access === 'LIBRARY')) {
    for (const ids of [lib.a.ids, lib.b.ids]) {
      const path = r.path.includes('#') ? withId(r.path, ids) : r.path;
      const res = r.method === 'GET' ? await lib.a.teacher.client.get(path) : await post(lib.a.teacher.client, path, csrf);
      assert.equal(res.status, 403, `${r.method} ${path} as a teacher`);
    }
  }
  for (const r of routes().filter((x) => x.path.startsWith('/docent/import/#'))) {
    const path = withId(r.path, lib.b.ids);
    const res = r.method === 'GET' ? await lib.a.teacher.client.get(path) : await post(lib.a.teacher.client, path, csrf);
    assert.equal(res.status, 404, `${r.method} ${path} as another school's teacher`);
  }
});

test('an anonymous visitor is sent to Aanmelden on every route that needs a login', T, async () => {
  const anon = srv.client();
  const { csrf } = await anon.getForm('/aanmelden');
  for (const r of routes().filter((x) => x.access !== 'PUBLIC')) {
    const path = r.path.includes('#') ? withId(r.path, lib.a.ids) : r.path;
    const res = r.method === 'GET' ? await anon.get(path) : await post(anon, path, csrf);
    assert.equal(res.status, 303, `${r.method} ${path} anonymous`);
    assert.equal(res.headers.location, '/aanmelden', `${r.method} ${path} anonymous`);
  }
});

test('control: the own library\'s user gets 200 on every library GET route with its own ids', T, async () => {
  for (const r of routes().filter((x) => x.method === 'GET' && ['LIBRARY', 'USER'].includes(x.access))) {
    const path = r.path.includes('#') ? withId(r.path, lib.a.ids) : r.path;
    // the library's pages and the uploads it may read (the account pages
    // of any user are the account tests' business)
    if (!path.startsWith('/bibliotheek/') && !path.startsWith('/docent/import/')) continue;
    const res = await lib.a.user.client.get(path);
    assert.equal(res.status, 200, `GET ${path} as the own library: ${res.status} ${res.body.slice(0, 300)}`);
  }
  assert.ok(csrfOf((await lib.a.user.client.get('/')).body), 'a page with a form');
});

test('every form, posted as its own users, hashes and reads files only on the worker pool', T, async () => {
  // a teacher of library a's school with two-step login on, so that
  // turning it off checks the password
  const teacher = await activeUser(srv, { school: 'anker', username: 'juf-werk' });
  await setUpTwoStep(teacher.client, teacher.username);
  const library = lib.a.user;
  const anon = srv.client();
  const pending = srv.client();
  assert.equal((await pending.login(library.username, library.password, { code: false })).headers.location, '/aanmelden/code');
  const who = {
    PUBLIC: { client: anon, csrf: (await anon.getForm('/aanmelden')).csrf },
    PENDING: { client: pending, csrf: (await pending.getForm('/aanmelden/code')).csrf },
    USER: { client: teacher.client, csrf: (await teacher.client.getForm('/')).csrf },
    DOCENT: { client: teacher.client, csrf: (await teacher.client.getForm('/')).csrf },
    LIBRARY: { client: library.client, csrf: (await library.client.getForm('/')).csrf },
  };
  // logging out last: it ends the teacher's session
  const posts = routes().filter((r) => r.method === 'POST')
    .sort((a, b) => (a.path === '/afmelden') - (b.path === '/afmelden'));
  assert.ok(posts.length >= 10, `POST routes: ${posts.length}`);
  const seen = [];
  for (const r of posts) {
    const { client, csrf } = who[r.access];
    const path = r.path.includes('#') ? withId(r.path, lib.a.ids) : r.path;
    const res = path === '/docent/upload'
      ? await upload(client, 'leerlingen.csv', studentsCsv(students(8, { start: 1001 })), { csrf })
      : await post(client, path, csrf);
    assert.ok(res.status < 500, `POST ${path} as ${r.access}: ${res.status}`);
    seen.push(`${r.path} ${res.status}`);
  }
  // "heavy work on a request thread" in the log fails this
  srv.assertHealthy();
  assert.match(srv.logs(), /login failed|login ok|password ok/, 'a login was checked');
});
