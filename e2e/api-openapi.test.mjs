// The OpenAPI 3.1 document the API serves (/api/v1/openapi.json) against
// the implementation: the document is valid OpenAPI 3.1 (an independent
// validator), every route the C code serves (src/api/api.c's table) is
// documented and nothing else is, and every documented operation is
// called against a real server with real data (applied uploads, a pupil
// erased, another library, a revoked token, a token past its burst): each
// answer's status must be documented and its body valid against the
// documented JSON Schema (ajv, draft 2020-12), documented headers present.
// Paths under /api/v1 that are not documented answer 404 JSON.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';

import { Client, startServer } from './lib/server.mjs';
import { cliApply, movedUp, students, studentsCsv } from './lib/upload.mjs';

const T = { timeout: 120000 };
const here = dirname(fileURLToPath(import.meta.url));
const BURST = 400; // per token: the run below stays under it, but for the token it exhausts

let srv;
let dir;
let doc;
let ajv;
const tokens = {};
const seen = new Map(); // operationId -> Set of statuses checked

const ID = 'https://biebsync.invalid/openapi.json';

/** Resolve a local $ref of the document. */
function deref(node) {
  while (node && node.$ref) {
    assert.ok(node.$ref.startsWith('#/'), node.$ref);
    node = node.$ref.slice(2).split('/').reduce((o, k) => o[k], doc);
  }
  return node;
}

/** The operation of a documented path: { path, op }. */
function operation(operationId) {
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      if (method === 'get' && op.operationId === operationId) return { path, op };
  throw new Error(`no operation ${operationId}`);
}

/**
 * Call operationId with path parameters params and query, as token; check
 * the answer against the document; return it.
 */
async function call(operationId, { params = {}, query = '', token, headers = {}, want } = {}) {
  const { path, op } = operation(operationId);
  const url = path.replace(/\{(\w+)\}/g, (_, k) => params[k]) + query;
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await new Client(srv.url).get(url, { headers: h });
  if (want !== undefined) assert.equal(res.status, want, `${operationId} ${url}: ${res.body}`);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${operationId}: status ${res.status} is not documented`);
  const r = deref(documented);
  for (const name of Object.keys(r.headers ?? {}))
    assert.ok(res.headers[name.toLowerCase()] !== undefined, `${operationId} ${res.status}: header ${name}`);
  if (res.status === 304) {
    assert.equal(res.body, '');
  } else {
    const ctype = res.headers['content-type'].split(';')[0];
    const media = r.content?.[ctype];
    assert.ok(media, `${operationId} ${res.status}: content type ${ctype} is not documented`);
    const body = ctype === 'application/json' ? JSON.parse(res.body) : res.body;
    const where = documented.$ref ? documented.$ref.slice(1) : `/paths/${pointer(path)}/get/responses/${res.status}`;
    const validate = schemaAt(`${where}/content/${pointer(ctype)}/schema`);
    assert.ok(validate(body), `${operationId} ${res.status}: ${JSON.stringify(validate.errors)}\n${res.body.slice(0, 500)}`);
  }
  if (!seen.has(operationId)) seen.set(operationId, new Set());
  seen.get(operationId).add(res.status);
  return res;
}

const pointer = (path) => path.replace(/~/g, '~0').replace(/\//g, '~1');

const compiled = new Map();

/** The validator of the schema at a JSON pointer of the document. */
function schemaAt(ptr) {
  if (!compiled.has(ptr)) compiled.set(ptr, ajv.compile({ $ref: `${ID}#${ptr}` }));
  return compiled.get(ptr);
}

before(async () => {
  doc = JSON.parse(readFileSync(join(here, '../data/openapi.json'), 'utf8'));
  dir = mkdtempSync(join(tmpdir(), 'biebsync-openapi-'));
  srv = await startServer({
    schools: [{ name: 'OBS Het Anker', brin: '51AB', slug: 'anker' }],
    config: { api: { rate: 1, burst: BURST } },
  });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Noord', '--slug', 'noord').code, 0);
  srv.addSchool({ name: 'De Vuurtoren', brin: '52AB', slug: 'vuurtoren', library: 'noord' });
  const add = (library, name) => {
    const r = srv.admin('token', 'add', '--library', library, '--name', name);
    assert.equal(r.code, 0, r.stderr);
    return { id: Number(/API-sleutel (\d+)/.exec(r.stdout)[1]), secret: r.stdout.trim().split('\n').at(-1) };
  };
  tokens.ok = add('bibliotheek', 'Wise');
  tokens.spent = add('bibliotheek', 'Leeg');
  tokens.revoked = add('bibliotheek', 'Oud');
  assert.equal(srv.admin('token', 'revoke', String(tokens.revoked.id)).code, 0);
  // real data: an enrolment, a year later (moved, left, new), an erasure
  const list = students(12, { start: 1001 });
  const f1 = join(dir, '1.csv');
  const f2 = join(dir, '2.csv');
  writeFileSync(f1, studentsCsv(list));
  writeFileSync(f2, studentsCsv([...list.slice(0, 9).map(movedUp), ...students(2, { start: 2001 })]));
  assert.equal(cliApply(srv, 'anker', f1).code, 0);
  assert.equal(cliApply(srv, 'anker', f2).code, 0);
  assert.equal(srv.admin('pupil', 'erase', '--school', 'anker', '--number', '1002').code, 0);
  assert.equal(cliApply(srv, 'vuurtoren', f1).code, 0);

  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, ID);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the document served is the one in data/ and valid OpenAPI 3.1', T, async () => {
  const res = await call('getOpenApi', { want: 200 });
  assert.deepEqual(JSON.parse(res.body), doc);
  const v = new Validator();
  const result = await v.validate(structuredClone(doc));
  assert.equal(v.version, '3.1');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 1));
  assert.ok(doc.components.securitySchemes.bearer, 'the security scheme');
  assert.ok(doc.components.schemas.Error, 'the error body');
});

test('every route of src/api/api.c is documented, and only those', T, () => {
  const src = readFileSync(join(here, '../src/api/api.c'), 'utf8');
  const table = src.slice(src.indexOf('routes[] = {'), src.indexOf('};', src.indexOf('routes[] = {')));
  const routes = [...table.matchAll(/\{\s*"([^"]+)"/g)].map((m) => m[1]).sort();
  assert.ok(routes.length >= 7);
  assert.deepEqual(Object.keys(doc.paths).sort(), routes);
  for (const item of Object.values(doc.paths))
    assert.deepEqual(Object.keys(item).filter((k) => k !== 'parameters'), ['get'], 'read-only: GET only');
});

test('every operation answers as documented with real data', T, async () => {
  const ok = tokens.ok.secret;
  const schools = JSON.parse((await call('listSchools', { token: ok, want: 200 })).body);
  assert.deepEqual(schools.schools.map((s) => s.slug), ['anker']);
  await call('listSchools', { token: tokens.revoked.secret, want: 401 });

  await call('getSchool', { params: { slug: 'anker' }, token: ok, want: 200 });
  await call('getSchool', { params: { slug: 'vuurtoren' }, token: ok, want: 404 });
  await call('getSchool', { params: { slug: 'anker' }, want: 401 });

  const roster = await call('getRoster', { params: { slug: 'anker' }, token: ok, want: 200 });
  assert.equal(JSON.parse(roster.body).pupils.length, 10);
  await call('getRoster', { params: { slug: 'anker' }, token: ok, headers: { 'If-None-Match': roster.headers.etag }, want: 304 });
  await call('getRoster', { params: { slug: 'vuurtoren' }, token: ok, want: 404 });
  await call('getRoster', { params: { slug: 'anker' }, token: 'bbs_nope', want: 401 });

  const imports = JSON.parse((await call('listImports', { params: { slug: 'anker' }, token: ok, want: 200 })).body);
  assert.deepEqual(imports.imports.map((i) => i.state), ['applied', 'applied']);
  await call('listImports', { params: { slug: 'vuurtoren' }, token: ok, want: 404 });
  await call('listImports', { params: { slug: 'anker' }, want: 401 });

  for (const format of ['csv', 'json', 'schoolwise', 'oneroster'])
    await call('exportRoster', { params: { slug: 'anker', format }, token: ok, want: 200 });
  await call('exportRoster', { params: { slug: 'vuurtoren', format: 'csv' }, token: ok, want: 404 });
  await call('exportRoster', { params: { slug: 'anker', format: 'xlsx' }, token: ok, want: 404 });
  await call('exportRoster', { params: { slug: 'anker', format: 'csv' }, want: 401 });

  const feed = JSON.parse((await call('listChanges', { token: ok, want: 200 })).body);
  const events = new Set(feed.changes.map((e) => e.event));
  assert.ok(events.has('apply') && events.has('erase'), 'applies and an erasure in the feed');
  assert.ok(feed.changes.some((e) => e.before === null) && feed.changes.some((e) => e.after === null));
  await call('listChanges', { token: ok, query: '?limit=2&school=anker&since=0.0', want: 200 });
  await call('listChanges', { token: ok, query: '?since=nope', want: 400 });
  await call('listChanges', { token: ok, query: '?limit=5000', want: 400 });
  await call('listChanges', { token: ok, query: '?school=vuurtoren', want: 404 });
  await call('listChanges', { want: 401 });

  // a token past its burst: every operation that needs one answers 429
  const spent = tokens.spent.secret;
  for (let i = 0; i < BURST; i++) await new Client(srv.url).get('/api/v1/schools', { headers: { Authorization: `Bearer ${spent}` } });
  const limited = async (operationId, params = {}) => {
    for (let i = 0; i < 10; i++) {
      const res = await call(operationId, { params, token: spent });
      if (res.status === 429) return;
      assert.equal(res.status, 200);
    }
    assert.fail(`${operationId}: no 429 past the burst`);
  };
  await limited('listSchools');
  await limited('getSchool', { slug: 'anker' });
  await limited('getRoster', { slug: 'anker' });
  await limited('listImports', { slug: 'anker' });
  await limited('exportRoster', { slug: 'anker', format: 'csv' });
  await limited('listChanges');

  // every documented status but the server's own failures was seen
  for (const item of Object.values(doc.paths)) {
    const op = item.get;
    for (const status of Object.keys(op.responses).filter((s) => s !== '500' && s !== '503'))
      assert.ok(seen.get(op.operationId)?.has(Number(status)), `${op.operationId} ${status} was checked`);
  }
});

test('paths under /api/v1 that are not documented answer 404 JSON', T, async () => {
  const validate = schemaAt('/components/schemas/Error');
  for (const path of ['/api/v1', '/api/v1/', '/api/v1/school', '/api/v1/schools/', '/api/v1/schools/anker/',
    '/api/v1/schools/anker/roster/1', '/api/v1/schools/ANKER', '/api/v1/schools/anker/export',
    '/api/v1/changes/1', '/api/v1/openapi.yaml', '/api/v2/schools', '/api/']) {
    const res = await new Client(srv.url).get(path, { headers: { Authorization: `Bearer ${tokens.ok.secret}` } });
    assert.equal(res.status, 404, path);
    assert.match(res.headers['content-type'], /^application\/json/, path);
    const body = JSON.parse(res.body);
    assert.ok(validate(body), `${path}: ${JSON.stringify(validate.errors)}`);
    assert.equal(body.error, 'not_found', path);
  }
});
