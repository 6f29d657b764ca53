// The databases the e2e helpers give a server (issue 14): a SQLite file by
// default, a fresh PostgreSQL database with { db: 'postgresql' }, and one
// database shared by two `biebsync serve` processes (startServers), as two
// machines behind a load balancer.  What is checked is what a user sees
// over HTTP, plus the rows in the database the helper says it used.
//
// The PostgreSQL cases wait for the backend (pgSkipReason: no
// src/store/pg.c yet, or PostgreSQL not installed) and say so as skipped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

import {
  activeUser, assertRedirect, pgSkipReason, startServer, startServers, textOf,
} from './lib/server.mjs';

const school = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const pgSkip = pgSkipReason();

for (const db of ['sqlite', 'postgresql']) {
  const skip = (db === 'postgresql' && pgSkip) || false;

  test(`${db}: a server keeps its schools and accounts in its own database`, { skip }, async () => {
    const a = await startServer({ db, schools: [school] });
    const b = await startServer({ db });
    try {
      assert.equal(a.db, db);
      assert.match(a.dbUrl, db === 'sqlite' ? /^sqlite:\// : /^postgresql:\/\//);
      assert.notEqual(a.dbUrl, b.dbUrl);
      // PostgreSQL: nothing in a file beside the server
      assert.equal(existsSync(a.dbPath), db === 'sqlite');
      const user = await activeUser(a, { school: 'regenboog' });
      const home = await user.client.get('/');
      assert.equal(home.status, 200);
      assert.match(textOf(home.body), /Upload Leerlingbestand/);
      assert.equal(a.sql("SELECT slug FROM schools WHERE slug = 'regenboog'").trim(), 'regenboog');
      assert.equal(a.sql(`SELECT count(*) FROM accounts WHERE username = '${user.username}'`).trim(), '1');
      // the other server's database is another one
      assert.equal(b.sql('SELECT count(*) FROM schools WHERE slug = \'regenboog\'').trim(), '0');
      const r = b.admin('school', 'list');
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /Regenboog/);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test(`${db}: two servers on one database share the login`, { skip }, async () => {
    const group = await startServers(2, { db, schools: [school] });
    try {
      const [a, b] = group.servers;
      assert.equal(a.dbUrl, group.dbUrl);
      assert.equal(b.dbUrl, group.dbUrl);
      assert.notEqual(a.port, b.port);
      // made through the first server's command line, seen by the second
      const r = b.admin('school', 'list');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Regenboog/);
      // a session made on a opens pages on b ...
      const user = await activeUser(a, { school: 'regenboog' });
      const onB = b.client();
      for (const [k, v] of user.client.jar) onB.setCookie(k, v);
      const home = await onB.get('/');
      assert.equal(home.status, 200);
      assert.match(textOf(home.body), /Upload Leerlingbestand/);
      // ... which a visitor without it does not see
      assertRedirect(await b.client().get('/'), '/aanmelden', 'no session');
      // logging out on b ends the session on a too
      assertRedirect(await onB.logout(), '/aanmelden?afgemeld=1', 'logout on b');
      assertRedirect(await user.client.get('/'), '/aanmelden', 'the session ended on the other server');
      await group.stop();
    } catch (e) {
      group.kill();
      throw e;
    }
  });
}
