// `biebsync admin library` and --library (issue 11): library organisations
// on the command line, against a real database.  With one library the
// option may be left out; with two it must be given, and every refusal
// says what to do and changes nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';

const T = { timeout: 60000 };
let srv;

before(async () => {
  srv = await startServer({ schools: [{ name: 'OBS Eén', brin: '51AB', slug: 'een' }] });
});

after(() => srv?.kill());

test('a database starts with one library, which --library may leave out', T, () => {
  const list = srv.admin('library', 'list');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^bibliotheek\s+Bibliotheek$/m);
  const schools = srv.admin('school', 'list');
  assert.match(schools.stdout, /^een\s+51AB\s+bibliotheek\s+OBS Eén$/m);
});

test('a second library; then school add and user add must name one', T, () => {
  const add = srv.admin('library', 'add', '--name', 'Bibliotheek Zuid-West');
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /Bibliotheek aangemaakt: Bibliotheek Zuid-West \(slug bibliotheek-zuid-west\)/);
  const twice = srv.admin('library', 'add', '--name', 'Nog een', '--slug', 'bibliotheek-zuid-west');
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /er is al een bibliotheek met slug 'bibliotheek-zuid-west'; kies een andere met --slug/);
  const bad = srv.admin('library', 'add', '--name', 'X', '--slug', 'Met Spaties');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /ongeldige bibliotheek/);

  const choose = srv.admin('school', 'add', '--name', 'De Twee', '--brin', '52AB');
  assert.equal(choose.code, 2);
  assert.match(choose.stderr, /er zijn meerdere bibliotheken; kies er een met --library/);
  const unknown = srv.admin('school', 'add', '--name', 'De Twee', '--brin', '52AB', '--library', 'nergens');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /geen bibliotheek met slug 'nergens'/);
  const school = srv.admin('school', 'add', '--name', 'De Twee', '--brin', '52AB', '--library', 'bibliotheek-zuid-west');
  assert.equal(school.code, 0, school.stderr);
  const only = srv.admin('school', 'list', '--library', 'bibliotheek-zuid-west');
  assert.match(only.stdout, /^de-twee\s+52AB\s+bibliotheek-zuid-west\s+De Twee$/m);
  assert.doesNotMatch(only.stdout, /OBS Eén/);

  const user = srv.admin('user', 'add', '--username', 'zw-bieb', '--role', 'bibliotheek');
  assert.equal(user.code, 2);
  assert.match(user.stderr, /kies er een met --library/);
  assert.equal(srv.admin('user', 'add', '--username', 'zw-bieb', '--role', 'bibliotheek',
    '--library', 'bibliotheek-zuid-west').code, 0);
  // a teacher's library is their school's: no option needed
  assert.equal(srv.admin('user', 'add', '--username', 'juf-twee', '--role', 'docent', '--school', 'de-twee').code, 0);

  const audit = srv.admin('audit', '--library', 'bibliotheek-zuid-west');
  assert.equal(audit.code, 0, audit.stderr);
  const events = audit.stdout.trim().split('\n').map((l) => l.split(/\s+/)[1]).sort();
  assert.deepEqual(events, ['account_created', 'account_created', 'library_created', 'school_created'],
    `the new library's rows (itself, its school, two accounts) and none of the first library's: ${audit.stdout}`);
  const first = srv.admin('audit', '--library', 'bibliotheek');
  assert.doesNotMatch(first.stdout, /library 2|juf-twee/, 'the first library\'s log holds none of them');
});
