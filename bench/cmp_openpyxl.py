#!/usr/bin/env python3
"""bench/cmp_openpyxl.py FILE: read the first sheet of an .xlsx with openpyxl
in read-only mode (Debian python3-openpyxl) and print "cells N", the number
of non-empty cells.  Timed by bench/run.sh (issue 3)."""
import sys

from openpyxl import load_workbook

if len(sys.argv) != 2:
    sys.exit("usage: python3 bench/cmp_openpyxl.py FILE.xlsx")
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb.worksheets[0]
cells = 0
for row in ws.iter_rows(values_only=True):
    for v in row:
        if v is not None and v != "":
            cells += 1
wb.close()
print(f"cells {cells}")
