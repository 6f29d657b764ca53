// bench/cmp_sheetjs.mjs FILE: read the first sheet of an .xlsx with SheetJS
// (npm xlsx, whole workbook in memory, dense mode) and print "cells N", the
// number of non-empty cells.  Timed by bench/run.sh against
// `biebsync check --cells` (issue 3).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const XLSX = require('xlsx');

const file = process.argv[2];
if (!file) {
	console.error('usage: node bench/cmp_sheetjs.mjs FILE.xlsx');
	process.exit(2);
}
const wb = XLSX.read(readFileSync(file), { type: 'buffer', dense: true });
const ws = wb.Sheets[wb.SheetNames[0]];
let cells = 0;
// dense: rows in ws['!data'] (0.19 on) or in ws itself (0.18, the last on npm)
const rows = ws['!data'] || (Array.isArray(ws) ? ws : []);
for (const row of rows) {
	if (!row) continue;
	for (const c of row) if (c && c.v !== undefined && c.v !== '') cells++;
}
console.log(`cells ${cells}`);
