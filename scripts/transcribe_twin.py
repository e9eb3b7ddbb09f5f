"""Transcribe an archive text whose HTML twin (the same report's page) is already transcribed.

Finds each row's printed run in the text, cuts it into the row's cells in every way the form
allows (no leading zeros, a total equals its parts, only 本年增/减 may be negative) and writes the
text's transcription: the twin's value for a cell on which every reading agrees, `?` for any other.
Independent of xxgk. Usage:
    python3 scripts/transcribe_twin.py fixtures/corpus/002_pingtan_2021.txt \
        tests/expected/020_pingtan_2021.txt tests/expected/002_pingtan_2021.txt 002_pingtan_2021
"""
import re, sys, itertools
txt_path, twin_path, out_path, stem = sys.argv[1:5]
t = open(txt_path, encoding='utf-8').read()
rows = []
header = []
for line in open(twin_path, encoding='utf-8'):
    s = line.rstrip('\n')
    if s.startswith('#') or not s.strip():
        continue
    body, _, comment = s.partition(' #')
    k, _, v = body.partition(' = ')
    k = k.strip()
    if k in ('edition', 'agency'):
        header.append((k, v.strip()))
        continue
    rows.append((k, v.split(), comment.strip()))

def groups(path, n):
    if path == 'review_litigation':
        return [(0, 5), (5, 10), (10, 15)]
    if path.startswith('applications.') and n == 7:
        return [(0, 7)]
    return []

def signed(path, n):
    # the 2019 form's 本年增/减 column (second of items 五, 六, 八) is the only one that may be negative
    if any(path.endswith(x) for x in ('administrative_licensing', 'other_external_services',
            'administrative_penalty', 'administrative_compulsion', 'administrative_fees')) and n in (2, 3):
        return {1}
    return set()

def ok(parts, gs, sg=frozenset()):
    if any(p < 0 and j not in sg for j, p in enumerate(parts)):
        return False
    for a, b in gs:
        if sum(parts[a:b-1]) != parts[b-1]:
            return False
    return True

def splits(tok, k):
    # all ways to cut digit string tok into k numbers without leading zeros
    if k == 1:
        if re.fullmatch(r'0|-?[1-9]\d*(\.\d+)?|0\.\d+', tok):
            yield [tok]
        return
    for i in range(1, len(tok)):
        head = tok[:i]
        if not re.fullmatch(r'0|-?[1-9]\d*(\.\d+)?|0\.\d+', head):
            continue
        for rest in splits(tok[i:], k - 1):
            yield [head] + rest

def readings(tokens, n, gs, sg):
    out = []
    def rec(i, acc):
        if len(out) > 50:
            return
        if i == len(tokens):
            if len(acc) == n:
                nums = [float(x) for x in acc]
                if ok(nums, gs, sg):
                    out.append(list(acc))
            return
        left = n - len(acc)
        for k in range(1, left - (len(tokens) - i - 1) + 1):
            for sp in splits(tokens[i], k):
                rec(i + 1, acc + sp)
    rec(0, [])
    return out

pos = max(t.find('第二十条第'), 0)  # the table starts here; prose before it names the rows too
res = []
for path, vals, label in rows:
    n = len(vals)
    if path == 'review_litigation':
        m = re.compile(r'[0-9][0-9 ]{13,}[0-9]').search(t, t.find('行政复议', pos))
    else:
        lab = label.split('（区分处理')[0] if label else None
        if path.endswith('art20_item9.centralized_procurement'):
            lab = '政府集中采购'
        i = t.find(lab, pos)
        assert i >= 0, (path, lab)
        m = re.compile(r'[0-9-][0-9. -]*').search(t, i + len(lab))
    run = m.group(0).strip()
    if run.endswith('.'):
        run = run[:-2].strip()  # the next row's list number ("2.属于…") glued on
    pos = m.start() + len(run)
    tokens = run.split()
    want = [v for v in vals]
    digits = ''.join(tokens)
    assert digits == ''.join(want), (path, run, want)
    rs = readings(tokens, n, groups(path, n), signed(path, n))
    norm = lambda xs: [str(float(x)) for x in xs]
    assert any(norm(r) == norm(want) for r in rs), (path, run, want, rs[:3])
    # a cell is printed when every reading of the run agrees on it
    cells = [want[j] if len({float(r[j]) for r in rs}) == 1 else '?' for j in range(n)]
    res.append((path, cells, label, run, len(rs)))

with open(out_path, 'w', encoding='utf-8') as f:
    f.write(f"# {stem} — the archive's text rendition of the report whose page is {twin_path.split('/')[-1].replace('.txt','.html')}.\n")
    f.write("# Every row's printed run was found in the text and cut into the row's cells in every way the form allows\n")
    f.write("# (no leading zeros; a total equals its parts; only 本年增/减 may be negative): a cell on which every reading agrees has the page's value, any other is `?`\n")
    f.write("# (the flattening glued the cells; xxgk must leave them null and warn). Made by scripts/transcribe_twin.py.\n")
    for k, v in header:
        f.write(f"{k} = {v}\n")
    for path, vals, label, run, nr in res:
        c = f"   # {label} | printed {run!r}" + (f" | {nr} readings" if nr > 1 else '')
        f.write(f"{path} = {' '.join(vals)}{c}\n")
print(stem, sum(1 for r in res if r[4] > 1), 'ambiguous rows of', len(res))
