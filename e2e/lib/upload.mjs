// Helpers for the "Upload Leerlingbestand" tests (e2e/upload*.test.mjs):
// small student-list files made in the test itself (CSV, and .xlsx through
// a minimal zip writer, so no fixture generator or LibreOffice is needed),
// a zip bomb, multipart/form-data bodies, and the admin command line's view
// of a school's roster and imports.  Built on lib/server.mjs, whose API is
// unchanged.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { deflateRawSync, constants as zc } from 'node:zlib';

import { assertNoSanitizerReport, csrfOf } from './server.mjs';

/* --- zip ------------------------------------------------------------------ */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of a list of buffers (as zip wants it). */
export function crc32(...bufs) {
  let c = 0xffffffff;
  for (const b of bufs) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// crc32_combine() of zlib: the CRC of A followed by B from crc(A), crc(B)
// and B's length, by squaring the "append a zero bit" operator over GF(2).
function gf2Times(mat, vec) {
  let sum = 0;
  for (let i = 0; vec; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i];
  return sum >>> 0;
}
function gf2Square(square, mat) {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n]);
}
export function crc32Combine(crc1, crc2, len2) {
  if (len2 <= 0) return crc1;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four
  do {
    gf2Square(even, odd);
    if (len2 & 1) crc1 = gf2Times(even, crc1);
    len2 = Math.floor(len2 / 2);
    if (len2 === 0) break;
    gf2Square(odd, even);
    if (len2 & 1) crc1 = gf2Times(odd, crc1);
    len2 = Math.floor(len2 / 2);
  } while (len2 !== 0);
  return (crc1 ^ crc2) >>> 0;
}

/**
 * A zip archive of entries [{ name, data }] (deflated), or entries with a
 * ready-made { name, deflated, size, crc } (for streams built elsewhere,
 * such as the bomb below).
 */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = e.deflated ?? deflateRawSync(Buffer.from(e.data));
    const size = e.size ?? Buffer.byteLength(e.data);
    const crc = e.crc ?? crc32(Buffer.from(e.data));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/* --- xlsx ------------------------------------------------------------------- */

const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;');

/** Column letters of a 0-based index. */
export function colName(i) {
  let s = '';
  for (i += 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

function workbookParts(sheetXml) {
  return [
    { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '</Types>' },
    { name: '_rels/.rels', data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
      + '</Relationships>' },
    { name: 'xl/workbook.xml', data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      + '<sheets><sheet name="Leerlingen" sheetId="1" r:id="rId1"/></sheets></workbook>' },
    { name: 'xl/_rels/workbook.xml.rels', data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + '</Relationships>' },
    { name: 'xl/worksheets/sheet1.xml', ...sheetXml },
  ];
}

/**
 * An .xlsx with one sheet "Leerlingen" whose rows are arrays of cells;
 * strings become inline strings, numbers number cells, null an empty cell.
 */
export function xlsx(rows) {
  let xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  rows.forEach((row, r) => {
    xml += `<row r="${r + 1}">`;
    row.forEach((v, c) => {
      const ref = `${colName(c)}${r + 1}`;
      if (v === null || v === undefined || v === '') return;
      if (typeof v === 'number') xml += `<c r="${ref}"><v>${v}</v></c>`;
      else xml += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
    });
    xml += '</row>';
  });
  xml += '</sheetData></worksheet>';
  return zip(workbookParts({ data: xml }));
}

/**
 * A zip bomb dressed as an .xlsx: a valid workbook whose sheet XML
 * inflates to `inflated` bytes (default 1 GiB, far beyond every limit)
 * from a few hundred kilobytes.  The deflate stream is one fully flushed
 * chunk repeated (a full flush ends on a byte boundary with no history,
 * so copies can be concatenated), closed by an empty final block.
 */
export function zipBombXlsx({ inflated = 1 << 30, chunk = 16 << 20 } = {}) {
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + '<row r="1"><c r="A1" t="inlineStr"><is><t>Leerlingnummer</t></is></c></row>');
  const pad = Buffer.alloc(chunk, 0x20); // whitespace between elements: well-formed
  const copies = Math.ceil(inflated / chunk);
  const first = deflateRawSync(head, { finishFlush: zc.Z_FULL_FLUSH });
  const body = deflateRawSync(pad, { level: 9, finishFlush: zc.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0)); // the final (empty) block
  const deflated = Buffer.concat([first, ...Array(copies).fill(body), last]);
  let crc = crc32(head);
  const padCrc = crc32(pad);
  for (let i = 0; i < copies; i++) crc = crc32Combine(crc, padCrc, chunk);
  const size = head.length + copies * chunk;
  return zip(workbookParts({ deflated, size, crc }));
}

/* --- student lists ----------------------------------------------------------- */

/**
 * n invented students: { number, roepnaam, tussenvoegsel, achternaam,
 * birth: 'jjjj-mm-dd', group }.  Deterministic from start.
 */
export function students(n, { start = 1001, groups = ['Groep 3a', 'Groep 4', 'Groep 5/6', 'Groep 7', 'Groep 8'] } = {}) {
  const first = ['Zoë', 'Daan', 'Fenna', 'Sem', 'Anouk', 'Noah', 'Jaïr', 'Lieke', 'Mila', 'Luuk', 'Tess', 'Finn'];
  const prefix = ['', 'van', 'de', 'van der', '', "'t", '', 'van den'];
  const last = ['Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i % groups.length];
    const year = new Date().getFullYear() - 6 - ((i * 7) % 6); // 5 to 11 years old
    out.push({
      number: String(start + i),
      roepnaam: first[i % first.length],
      tussenvoegsel: prefix[i % prefix.length],
      achternaam: last[(i * 5) % last.length],
      birth: `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 3) % 28)).padStart(2, '0')}`,
      group: g,
    });
  }
  return out;
}

const dmy = (iso) => iso.split('-').reverse().join('-');

/** A plain CSV (";", UTF-8): Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep. */
export function studentsCsv(list) {
  const q = (s) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep'];
  for (const s of list)
    lines.push([s.number, s.roepnaam, s.tussenvoegsel, s.achternaam, dmy(s.birth), s.group].map(q).join(';'));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * A ParnasSys-style export as .xlsx: title rows above the header, the name
 * split in Roepnaam / Voorvoegsel / Achternaam, a Jaargroep and a BSN
 * column (never stored), student numbers as number cells.
 */
export function parnassysXlsx(list, { school = 'OBS De Regenboog' } = {}) {
  const rows = [
    [`Leerlingen ${school}`],
    ['Overzicht aangemaakt door ParnasSys'],
    [],
    ['Leerlingnummer', 'Roepnaam', 'Voorvoegsel', 'Achternaam', 'Geboortedatum', 'Groep', 'Jaargroep', 'BSN'],
  ];
  list.forEach((s, i) => {
    // the jaargroep of a combination group ("Groep 5/6") is left empty, as
    // for a roster read from a file without a Jaargroep column
    const j = /^\D*(\d)\D*$/.exec(s.group);
    rows.push([Number(s.number), s.roepnaam, s.tussenvoegsel, s.achternaam, dmy(s.birth), s.group,
      j ? Number(j[1]) : null, String(100000000 + i * 7919)]);
  });
  return xlsx(rows);
}

/** A student moved up one group ("Groep 5/6" stays put: a combination group). */
export function movedUp(s) {
  const m = /^Groep (\d)([a-z]?)$/.exec(s.group);
  if (!m || m[1] === '8') return s;
  return { ...s, group: `Groep ${Number(m[1]) + 1}${m[2]}` };
}

/* --- multipart ------------------------------------------------------------------ */

/**
 * A multipart/form-data body: fields { name: value } and a file
 * { field, filename, data, type }.  Returns { body, contentType }.
 */
export function multipart(fields, file) {
  const boundary = `----biebsync-e2e-${Math.random().toString(16).slice(2)}`;
  const parts = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'bestand'}"; `
      + `filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(Buffer.from(file.data));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Upload a file as the upload form does (csrf from /docent/upload unless
 * given).  Returns the response; on success a 303 to /docent/import/ID.
 */
export async function upload(client, filename, data, opts = {}) {
  let csrf = opts.csrf;
  if (csrf === undefined) {
    const page = await client.get('/docent/upload');
    assert.equal(page.status, 200, 'GET /docent/upload');
    csrf = csrfOf(page.body);
  }
  const { body, contentType } = multipart(csrf === null ? {} : { csrf }, { filename, data });
  return client.request('/docent/upload', {
    method: 'POST', body, headers: { 'Content-Type': contentType, ...(opts.headers ?? {}) },
    ...('origin' in opts ? { origin: opts.origin } : {}),
  });
}

/** The import id of a redirect to /docent/import/ID. */
export function importIdOf(res) {
  assert.equal(res.status, 303, `expected a redirect to the preview, got ${res.status}: ${res.body.slice(0, 500)}`);
  // (?vervangen=1: the upload replaced the school's open preview)
  const m = /^\/docent\/import\/(\d+)(\?vervangen=1)?$/.exec(res.headers.location ?? '');
  assert.ok(m, `Location ${res.headers.location}`);
  return Number(m[1]);
}

/** Upload and return the new import's id (asserting the 303). */
export async function uploadPreview(client, filename, data) {
  return importIdOf(await upload(client, filename, data));
}

/* --- the command line's view ------------------------------------------------------ */

/** The school's roster as `admin roster export --format json` prints it. */
export function roster(srv, slug) {
  const r = srv.admin('roster', 'export', '--school', slug, '--format', 'json');
  assert.equal(r.code, 0, `roster export: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The school's imports as `admin import list` prints them: [{ id, state, line }]. */
export function imports(srv, slug) {
  const r = srv.admin('import', 'list', '--school', slug);
  assert.equal(r.code, 0, `import list: ${r.stderr}`);
  return r.stdout.split('\n').map((line) => {
    const m = /^\s*(\d+)\s.*?\b(preview|applied|cancelled|expired|undone)\b/.exec(line);
    return m ? { id: Number(m[1]), state: m[2], line } : null;
  }).filter(Boolean);
}

/** `biebsync import --school SLUG FILE --apply` against the server's database. */
export function cliApply(srv, slug, file) {
  const r = spawnSync(srv.proc.spawnfile, ['import', '--school', slug, file, '--apply', '--config', srv.configPath,
    '--db', srv.dbUrl], { encoding: 'utf8', timeout: 20000, env: { ...process.env, BIEBSYNC_LANG: 'nl' } });
  assertNoSanitizerReport(r.stderr ?? '', 'biebsync import --apply');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
