// The change feed as a library system uses it (issue 13): clients that
// follow GET /api/v1/changes page by page while schools import, undo and
// apply at the same time end with exactly the roster the database holds,
// compared after every step; none misses or doubles an entry.
//
//  - "from the start": a library-wide client that began before the first
//    import and replays every entry of the library;
//  - "from a snapshot": a client per school that read the roster with its
//    cursor, then follows that school's entries;
//  - the curl example of the docs (docs/examples/feed-sync.sh, curl + jq),
//    run as a library system would run it from cron.
//
// The roster "the database holds" is `biebsync admin roster export`, a
// separate process reading the database, not the API.  Applies and undos
// run as separate `biebsync` processes on the same database, two at once
// with BIEBSYNC_TEST_APPLY_DELAY_US so that they overlap while the clients
// poll.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './lib/server.mjs';
import { makeSchool, nextYear, parnassysXlsx } from '../tests/fixtures/gen.mjs';
import { biebsync, biebsyncAsync } from '../tests/import/lib.mjs';

const SCHOOLS = ['klimop', 'eik'];
const FIELDS = ['leerlingnummer', 'roepnaam', 'tussenvoegsel', 'achternaam', 'geboortedatum', 'groep', 'jaargroep'];
const pick = (p) => Object.fromEntries(FIELDS.map((f) => [f, p[f]]));
const byNumber = (a, b) => (a.leerlingnummer < b.leerlingnummer ? -1 : a.leerlingnummer > b.leerlingnummer ? 1 : 0);

/** A follower of the feed: a copy of rosters by pupil id. */
class Follower {
  constructor(api, { school = null, cursor = null, pupils = [] } = {}) {
    this.api = api;
    this.school = school;
    this.cursor = cursor;
    this.seen = new Set();
    this.pupils = new Map(pupils.map((p) => [p.id, { ...pick(p), school }]));
    this.entries = 0;
  }

  /** Read pages until the feed says there is no more. */
  async sync(limit = 7) {
    for (;;) {
      const q = new URLSearchParams({ limit: String(limit) });
      if (this.school) q.set('school', this.school);
      if (this.cursor !== null) q.set('since', this.cursor);
      const page = await this.api(`/api/v1/changes?${q}`);
      for (const c of page.changes) {
        assert.ok(!this.seen.has(c.cursor), `entry ${c.cursor} came twice`);
        this.seen.add(c.cursor);
        this.entries++;
        if (this.school) assert.equal(c.school, this.school);
        if (c.pupil === null) continue; // erased since
        if (c.after === null) this.pupils.delete(c.pupil);
        else this.pupils.set(c.pupil, { ...pick(c.after), school: c.school });
      }
      assert.equal(page.next, page.changes.length ? page.changes.at(-1).cursor : (this.cursor ?? page.next));
      this.cursor = page.next;
      if (!page.more) return;
      assert.equal(page.changes.length, limit, 'a page that says more is full');
    }
  }

  roster(school) {
    return [...this.pupils.values()].filter((p) => p.school === school).map(pick).sort(byNumber);
  }
}

describe('api: the change feed', () => {
  let srv;
  let token;
  let files;
  const cli = (args, opts) => biebsync([...args, '--config', srv.configPath, '--db', srv.dbUrl], opts);
  const cliAsync = (args, opts) =>
    biebsyncAsync([...args, '--config', srv.configPath, '--db', srv.dbUrl], opts);

  async function api(path) {
    const res = await fetch(srv.url + path, { headers: { Authorization: `Bearer ${token}` } });
    const body = await res.text();
    assert.equal(res.status, 200, `${path}: ${body}`);
    return JSON.parse(body);
  }

  /** The roster as the database holds it (another process reads it). */
  function held(school) {
    const r = cli(['admin', 'roster', 'export', '--school', school, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).map(pick).sort(byNumber);
  }

  function ok(r, what) {
    assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}`);
    return r;
  }
  const apply = (school, file) => ok(cli(['import', '--school', school, file, '--apply']), `apply ${file}`);
  const undo = (school) => ok(cli(['admin', 'import', 'undo', '--school', school]), `undo ${school}`);

  let fromStart;
  const snapshots = {};

  async function check(what) {
    await fromStart.sync();
    for (const s of SCHOOLS) {
      await snapshots[s].sync(11);
      const want = held(s);
      assert.deepEqual(fromStart.roster(s), want, `${what}: the library-wide client, ${s}`);
      assert.deepEqual(snapshots[s].roster(s), want, `${what}: the client of ${s}`);
    }
  }

  before(async () => {
    srv = await startServer({
      // the clients poll without pause: no rate limit in the way
      config: { api: { rate: 100000, burst: 100000 } },
      schools: [
        { name: 'OBS De Klimop', brin: '22KL', slug: 'klimop' },
        { name: 'De Eik', brin: '23EI', slug: 'eik' },
      ],
    });
    const r = srv.admin('token', 'add', '--library', 'bibliotheek', '--name', 'feed test');
    assert.equal(r.code, 0, r.stderr);
    token = /bbs_[A-Za-z0-9_-]{43}/.exec(r.stdout)[0];
    files = {};
    let seed = 70;
    for (const s of SCHOOLS) {
      const y1 = makeSchool({ seed: seed++, size: 60 });
      const y2 = nextYear(y1, { seed: seed++ });
      const y3 = nextYear(y2, { seed: seed++, firstNumber: 95001 });
      files[s] = [y1, y2, y3].map((list, i) => {
        const f = join(srv.dir, `${s}-${i + 1}.xlsx`);
        parnassysXlsx(f, list);
        return f;
      });
    }
    fromStart = new Follower(api);
  });

  after(async () => {
    if (srv) await srv.stop();
  });

  test('followers stay in step through imports, undos and concurrent applies', async () => {
    await fromStart.sync();
    assert.equal(fromStart.entries, 0);
    for (const s of SCHOOLS) {
      const r = await api(`/api/v1/schools/${s}/roster`);
      snapshots[s] = new Follower(api, { school: s, cursor: r.cursor, pupils: r.pupils });
    }
    apply('klimop', files.klimop[0]);
    await check('year 1 of klimop');
    apply('eik', files.eik[0]);
    await check('year 1 of eik');
    apply('klimop', files.klimop[1]);
    await check('year 2 of klimop');
    undo('klimop');
    await check('year 2 of klimop undone');
    apply('klimop', files.klimop[1]);
    await check('year 2 of klimop again');

    // a late client starts from a snapshot taken now
    const r = await api('/api/v1/schools/klimop/roster');
    const late = new Follower(api, { school: 'klimop', cursor: r.cursor, pupils: r.pupils });

    // two schools apply at once (each stretched to overlap) while every
    // client polls without pause
    const slow = { env: { BIEBSYNC_TEST_APPLY_DELAY_US: '8000' } };
    const runs = [
      cliAsync(['import', '--school', 'klimop', files.klimop[2], '--apply'], slow),
      cliAsync(['import', '--school', 'eik', files.eik[1], '--apply'], slow),
    ];
    let done = false;
    const all = Promise.all(runs.map((x) => x.done)).then((rs) => {
      done = true;
      return rs;
    });
    let polls = 0;
    while (!done) {
      await fromStart.sync(5);
      await late.sync(3);
      polls++;
    }
    for (const x of await all) assert.equal(x.status, 0, x.stderr);
    assert.ok(polls > 1, 'the clients polled while the applies ran');
    await check('year 3 of klimop and year 2 of eik at once');
    await late.sync();
    assert.deepEqual(late.roster('klimop'), held('klimop'), 'the late client');

    // an undo and an apply at once
    const both = [
      cliAsync(['admin', 'import', 'undo', '--school', 'klimop'], slow),
      cliAsync(['import', '--school', 'eik', files.eik[2], '--apply'], slow),
    ];
    while ((await Promise.race([Promise.all(both.map((x) => x.done)), new Promise((res) => setTimeout(res, 20))])) === undefined) {
      await fromStart.sync(5);
    }
    for (const x of await Promise.all(both.map((b) => b.done))) assert.equal(x.status, 0, x.stderr);
    await check('undo of klimop and year 3 of eik at once');

    // an erasure (AVG): the pupil leaves every copy
    const victim = held('eik')[0].leerlingnummer;
    ok(cli(['admin', 'pupil', 'erase', '--school', 'eik', '--number', victim]), 'erase');
    await check('a pupil erased');
    assert.ok(!fromStart.roster('eik').some((p) => p.leerlingnummer === victim));
    assert.ok(fromStart.entries > 300, `entries seen: ${fromStart.entries}`);
  });

  test('the curl example of the docs keeps its copy in step', () => {
    const dir = join(srv.dir, 'sync');
    const run = () => {
      const r = spawnSync('sh', ['docs/examples/feed-sync.sh', 'eik', dir], {
        cwd: join(dirname(fileURLToPath(import.meta.url)), '..'),
        env: { ...process.env, BIEBSYNC_URL: srv.url, BIEBSYNC_TOKEN: token },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const copy = () => {
      const r = spawnSync('jq', ['[.[]]', join(dir, 'roster.json')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).map(pick).sort(byNumber);
    };
    assert.match(run(), /roster read: \d+ pupils/);
    assert.deepEqual(copy(), held('eik'));
    undo('eik');
    const out = run();
    assert.match(out, / undo /);
    assert.deepEqual(copy(), held('eik'));
    apply('eik', files.eik[2]);
    assert.match(run(), / apply /);
    assert.deepEqual(copy(), held('eik'));
    assert.equal(run(), '', 'nothing new: nothing printed');
    assert.deepEqual(copy(), held('eik'));
  });
});
