// bench/cmp_exceljs.mjs FILE: read the first sheet of an .xlsx with exceljs's
// streaming reader (ExcelJS.stream.xlsx.WorkbookReader, shared strings and
// styles cached, as dates need the styles) and print "cells N", the number
// of non-empty cells.  Timed by bench/run.sh (issue 3).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ExcelJS = require('exceljs');

const file = process.argv[2];
if (!file) {
	console.error('usage: node bench/cmp_exceljs.mjs FILE.xlsx');
	process.exit(2);
}
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
	entries: 'emit',
	sharedStrings: 'cache',
	styles: 'cache',
	hyperlinks: 'ignore',
	worksheets: 'emit',
});
let cells = 0;
for await (const ws of reader) {
	for await (const row of ws) {
		row.eachCell({ includeEmpty: false }, () => {
			cells++;
		});
	}
	break; // the first sheet
}
console.log(`cells ${cells}`);
