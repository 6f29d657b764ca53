// What the HTTP fuzz targets found (issue 12, point 9: fuzz/fuzz_form.c,
// fuzz/fuzz_multipart.c, fuzz/fuzz_request.c), each as an attacker sees it
// over real HTTP against a real server.  A urlencoded form body with a NUL
// byte was parsed up to the NUL and the rest dropped without a word (the
// login below then succeeded); now such a body is refused whole with 400,
// as a multipart text part holding a NUL already was.  A multipart part
// with an empty file name (filename="", which is "not a file" in http.h)
// was held up to the body limit instead of the 4 KiB of a text part; now
// it is capped like one, and past the cap the upload is 400.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { activeUser, assertRedirect, csrfOf, startServer } from './lib/server.mjs';
import { studentsCsv, students } from './lib/upload.mjs';

const T = { timeout: 60000 };
const SCHOOL = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };

let srv;

before(async () => {
  srv = await startServer({ schools: [SCHOOL] });
});

after(async () => {
  await srv.stop();
});

/** POST the login form of a fresh visitor with body built from its csrf. */
async function postLogin(build) {
  const c = srv.client();
  const { csrf } = await c.getForm('/aanmelden');
  const res = await c.request('/aanmelden', {
    body: build(csrf),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return { c, res };
}

describe('a urlencoded form body with a NUL byte', () => {
  test('is refused with 400 and nothing in it is acted on', T, async () => {
    const u = await activeUser(srv, { school: 'regenboog' });
    const fields = (csrf) => `gebruikersnaam=${u.username}&wachtwoord=${encodeURIComponent(u.password)}`
      + `&csrf=${csrf}`;

    // The same body without the NUL logs in: the refusal is the NUL's.
    const plain = await postLogin((csrf) => Buffer.from(fields(csrf)));
    assertRedirect(plain.res, '/', 'the login without a NUL byte');

    for (const [what, build] of [
      ['a NUL after the last field', (csrf) => Buffer.concat([Buffer.from(fields(csrf)), Buffer.from([0]),
        Buffer.from('&gebruikersnaam=iemand')])],
      ['a NUL inside a value', (csrf) => Buffer.from(fields(csrf).replace('gebruikersnaam=', 'gebruikersnaam=\0'))],
    ]) {
      const { c, res } = await postLogin(build);
      assert.equal(res.status, 400, `${what}: status (body: ${res.body.slice(0, 200)})`);
      assert.equal(c.cookie('biebsync'), undefined, `${what}: no session`);
    }
  });
});

describe('a multipart part with an empty file name', () => {
  const BOUNDARY = '----WebKitFormBoundaryePkpFF7tjBAqx29L';
  const TEXT_MAX = 4096; // HTTP_PART_TEXT_MAX

  /** An upload of a good file with one more part, as a browser would send it. */
  const body = (csrf, extra) => Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="opmerking"${extra.filename}\r\n\r\n`),
    Buffer.from(extra.data),
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="bestand"; filename="leerlingen.csv"\r\n`
      + 'Content-Type: text/csv\r\n\r\n'),
    Buffer.from(studentsCsv(students(3))),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

  test('is a text part: past 4 KiB the upload is 400, within it the upload goes on', T, async () => {
    const u = await activeUser(srv, { school: 'regenboog' });
    const post = async (extra) => {
      const page = await u.client.get('/docent/upload');
      assert.equal(page.status, 200, 'GET /docent/upload');
      return u.client.request('/docent/upload', {
        body: body(csrfOf(page.body), extra),
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
    };
    const big = 'x'.repeat(TEXT_MAX + 904);

    let res = await post({ filename: '', data: big });
    assert.equal(res.status, 400, 'a text part past the cap (no file name)');
    res = await post({ filename: '; filename=""', data: big });
    assert.equal(res.status, 400, `a part with filename="" past the text cap (body: ${res.body.slice(0, 200)})`);
    res = await post({ filename: '; filename=""', data: 'x'.repeat(TEXT_MAX - 96) });
    assert.equal(res.status, 303, 'a part with filename="" within the cap: the upload goes on');
  });
});
