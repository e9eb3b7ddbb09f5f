"""Transcribe a legacy 统计表 from an archive text: rows are `label unit values`, the values either
space-separated or glued by the flattening. Each row's run is cut into the table's columns in
every way (no leading zeros); a cell on which every reading agrees is written, any other is `?`.
Independent of xxgk. Usage:
    python3 scripts/transcribe_legacy.py fixtures/corpus/005_pingtan_2015.txt \
        tests/expected/005_pingtan_2015.txt 005_pingtan_2015
"""
import re, sys
src, out, stem = sys.argv[1:4]
t = open(src, encoding='utf-8').read()
h = re.search(r'指标名称\s*计量\s*单位\s*(\d{4})\s*年度\s*历年累计', t)
assert h, 'no header'
cols = [f'{h.group(1)}年度', '历年累计']
body = t[h.end():]
end = body.find('附件下载')
body = body[:end] if end >= 0 else body
NUM = r'0|[1-9]\d*(?:\.\d+)?'
rows = []
pos = 0
row_re = re.compile(r'\s*(?P<label>.+?)\s*(?P<unit>条|件|元)(?=\s*\d)(?P<run>[\d ]*)')
while True:
    m = row_re.match(body, pos)
    if not m:
        break
    label, unit, run = m.group('label'), m.group('unit'), m.group('run')
    nxt = m.end()
    if nxt < len(body) and body[nxt] in '、.' and run.rstrip():
        # the next row's list number ("2、政府公报公开数") glued on: it starts the next label
        run = run.rstrip()[:-1]
        nxt = m.start('run') + len(run)
    rows.append((label.strip(), unit, run.strip()))
    pos = nxt
rest = body[pos:].strip()
assert not re.search(r'\d', rest), f'unread: {rest[:80]!r}'

def splits(tok, k):
    if k == 1:
        if re.fullmatch(NUM, tok):
            yield [tok]
        return
    for i in range(1, len(tok)):
        if re.fullmatch(NUM, tok[:i]):
            for r in splits(tok[i:], k - 1):
                yield [tok[:i]] + r

def readings(tokens, n):
    out = []
    def rec(i, acc):
        if i == len(tokens):
            if len(acc) == n:
                out.append(acc)
            return
        for k in range(1, n - len(acc) + 1):
            for sp in splits(tokens[i], k):
                rec(i + 1, acc + sp)
    rec(0, [])
    return out

with open(out, 'w', encoding='utf-8') as f:
    f.write(f"# {stem} — the legacy 统计表 as the archive's text prints it, one row per indicator in printed order:\n")
    f.write("# `@label = values` (label as printed). Each row's run was cut into the two columns in every way\n")
    f.write("# (no leading zeros): a cell on which every reading agrees is written, any other is `?` (glued or\n")
    f.write("# missing in the source; xxgk must leave it null and warn). Made by scripts/transcribe_legacy.py.\n")
    f.write("edition = legacy\n")
    f.write(f"columns = {' '.join(cols)}\n")
    amb = 0
    for label, unit, run in rows:
        rs = readings(run.split(), 2)
        cells = [rs[0][j] if rs and len({r[j] for r in rs}) == 1 else '?' for j in range(2)]
        amb += '?' in cells
        note = '' if len(rs) == 1 else (f' | {len(rs)} readings' if rs else ' | fewer values than columns')
        f.write(f"@{label} = {' '.join(cells)}   # {unit} | printed {run!r}{note}\n")
print(stem, len(rows), 'rows', amb, 'with ?')
