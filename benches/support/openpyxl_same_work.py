#!/usr/bin/env python3
"""The same work as xxgk's Excel benchmark, done with openpyxl, timed in this process.

    python3 openpyxl_same_work.py <dir of .xlsx>

Read: open every workbook (cached values) and collect every non-empty cell of every sheet.
Write: for every workbook, build a new one with the same sheets, cell values, merged ranges,
column widths and frozen panes (what xxgk's writer puts into its form, minus validation and
conditional formats) and save it to bytes. Prints {"read_s": …, "write_s": …, "files": …}.
"""
import io
import json
import os
import sys
import time

import openpyxl

d = sys.argv[1]
files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".xlsx"))

t = time.perf_counter()
books = []
for f in files:
    wb = openpyxl.load_workbook(f, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        cells = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        merges = [str(m) for m in ws.merged_cells.ranges]
        widths = {k: v.width for k, v in ws.column_dimensions.items()}
        sheets.append((ws.title, cells, merges, widths, ws.freeze_panes))
    books.append(sheets)
read_s = time.perf_counter() - t

t = time.perf_counter()
total = 0
for sheets in books:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, cells, merges, widths, freeze in sheets:
        ws = wb.create_sheet(title)
        for r, c, v in cells:
            ws.cell(r, c, v)
        for m in merges:
            ws.merge_cells(m)
        for k, w in widths.items():
            ws.column_dimensions[k].width = w
        ws.freeze_panes = freeze
        ws.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    total += len(buf.getvalue())
write_s = time.perf_counter() - t
print(json.dumps({"read_s": read_s, "write_s": write_s, "files": len(files), "bytes_written": total}))
