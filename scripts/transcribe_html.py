"""Transcribe a report page's tables with BeautifulSoup (independent of xxgk): every data row's
value cells in printed order, blank cells `_`. `form` names a transcription of the same edition
whose row paths (in printed order) this page's rows are matched to, one for one, or `legacy` for
a legacy 统计表 (transcribed by its printed labels). Usage:
    python3 scripts/transcribe_html.py fixtures/corpus/001_shanghai-szfbgt_2019.html \
        tests/expected/001_shanghai-szfbgt_2019.txt 001_shanghai-szfbgt_2019 tests/expected/025_pingtan_2019.txt
"""
import re, sys
from bs4 import BeautifulSoup
src, out, stem, form = sys.argv[1:5]
s = BeautifulSoup(open(src, 'rb').read(), 'lxml')
rows = []
for tb in s.find_all('table'):
    if tb.find('table'):
        continue
    for tr in tb.find_all('tr'):
        cells = [c.get_text(' ', strip=True).replace('\xa0', '').strip() for c in tr.find_all(['td', 'th'])]
        rows.append(cells)
NUM = re.compile(r'^-?\d+(\.\d+)?(元|万元)?$')
def val(c):
    if c == '':
        return '_'
    assert NUM.match(c), c
    return re.sub(r'(元|万元)$', '', c)
with open(out, 'w', encoding='utf-8') as f:
    if form == 'legacy':
        hdr = next(r for r in rows if r and r[0] == '指标名称')
        f.write(f"# {stem} — the legacy 统计表 transcribed from the page's HTML table with BeautifulSoup (an independent\n")
        f.write("# reader): `@label = values` in printed order (label as printed). Made by scripts/transcribe_html.py.\n")
        f.write("edition = legacy\n")
        f.write(f"columns = {' '.join(hdr[2:])}\n")
        for r in rows:
            if r and r[0] != '指标名称':
                f.write(f"@{r[0]} = {' '.join(val(c) for c in r[2:])}   # {r[1]}\n")
    else:
        paths = []
        edition = None
        for line in open(form, encoding='utf-8'):
            b = line.split(' #')[0].strip()
            if b.startswith('edition = '):
                edition = b.split(' = ')[1]
            elif ' = ' in b and not b.startswith('agency'):
                k, v = b.split(' = ')
                paths.append((k, len(v.split())))
        data = []
        for r in rows:
            # a data row ends in value cells: numbers or blanks after its label cells
            vals = []
            for c in reversed(r):
                if c == '' or NUM.match(c):
                    vals.append(c)
                else:
                    break
            vals.reverse()
            if vals and any(v != '' for v in vals) or (vals and len(r) > len(vals)):
                data.append((r[:len(r) - len(vals)], vals))
        assert len(data) == len(paths), (len(data), len(paths))
        f.write(f"# {stem} — transcribed from the page's HTML tables with BeautifulSoup (an independent reader), rows in\n")
        f.write(f"# printed order matched to the {edition} form's rows; blank cells `_`. Made by scripts/transcribe_html.py.\n")
        f.write(f"edition = {edition}\n")
        for (labels, vals), (p, n) in zip(data, paths):
            assert len(vals) == n, (p, labels, vals, n)
            f.write(f"{p} = {' '.join(val(c) for c in vals)}   # {labels[-1][:24] if labels else ''}\n")
print(stem, 'done')
