#!/usr/bin/env python3
"""Build the independent-tool fixtures in fixtures/built/ from the seed reports.

Run from the repository root after `cargo build --release`:

    python3 scripts/make_fixtures.py

Needs openpyxl, python-docx (PyPI) and LibreOffice (`soffice`). Every file is made by a tool
other than xxgk's writers, from the numbers xxgk read out of the seed texts:

* agency-style workbooks written with openpyxl (one sheet, sections stacked, label columns not
  merged, some numbers stored as text, totals as =SUM formulas), recalculated by LibreOffice so
  the formulas carry cached values; a workbook with several reports on several sheets;
* Word documents written with python-docx (merged cells through gridSpan/vMerge, section 三 split
  over two Word tables);
* LibreOffice conversions of xxgk's own workbook to .xls, .ods, Excel 2003 XML and HTML.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import docx
import openpyxl
from docx.shared import Pt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "built")
XXGK = os.path.join(ROOT, "target", "release", "xxgk")
SEEDS = ["000", "001", "002", "003", "004"]

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "public_welfare_org", "legal_service_agency", "other_org", "total"]
APPLICANT_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
OUTCOMES = ["upheld", "corrected", "other_outcome", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def seed_json(name):
    path = os.path.join(ROOT, "fixtures", "seeds", name + ".txt")
    out = subprocess.run([XXGK, "convert", path, "-o", "-", "-q"], check=True,
                         capture_output=True).stdout
    return json.loads(out)


def s3_rows(r):
    """(level-1 label, level-2 label, level-3 label, cells dict) in form order."""
    a = r["applications"]
    res = a["results"]
    rows = [("一、本年新收政府信息公开申请数量", None, None, a["new_applications"]),
            ("二、上年结转政府信息公开申请数量", None, None, a["carried_over_from_previous_year"]),
            ("三、本年度办理结果", "（一）予以公开", None, res["granted"]),
            (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, res["partially_granted"])]
    groups = [("（三）不予公开", "denied", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                                      "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                                      "7.属于行政执法案卷", "8.属于行政查询事项"]),
              ("（四）无法提供", "unable_to_provide", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                                               "3.补正后申请内容仍不明确"]),
              ("（五）不予处理", "not_processed", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                                           "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"])]
    for title, key, labels in groups:
        for i, (k, v) in enumerate(res[key].items()):
            rows.append((None, title if i == 0 else None, labels[i], v))
    oh = res["other_handling"]
    if r["edition"] == "2021":
        labels = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
        for i, (k, v) in enumerate(oh.items()):
            rows.append((None, "（六）其他处理" if i == 0 else None, labels[i], v))
    else:
        rows.append((None, "（六）其他处理", None, oh))
    rows.append((None, "（七）总计", None, res["total"]))
    rows.append(("四、结转下年度继续办理", None, None, a["carried_forward_to_next_year"]))
    return rows


def s2_tables(r):
    p = r["proactive_disclosure"]
    if r["edition"] == "2021":
        return [("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                 [("规章", p["art20_item1"]["rules"]), ("行政规范性文件", p["art20_item1"]["normative_documents"])]),
                ("第二十条第（五）项", ["信息内容", "本年处理决定数量"],
                 [("行政许可", p["art20_item5"]["administrative_licensing"])]),
                ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
                 [("行政处罚", p["art20_item6"]["administrative_penalty"]),
                  ("行政强制", p["art20_item6"]["administrative_compulsion"])]),
                ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
                 [("行政事业性收费", p["art20_item8"]["administrative_fees"])])]
    unit = {"yuan": "（单位：元）", "10k_yuan": "（单位：万元）"}.get(
        p["art20_item9"]["centralized_procurement"].get("total_amount_unit"), "")
    proc = dict(p["art20_item9"]["centralized_procurement"])
    proc.pop("total_amount_unit", None)
    return [("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
             [("规章", p["art20_item1"]["rules"]), ("规范性文件", p["art20_item1"]["normative_documents"])]),
            ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政许可", p["art20_item5"]["administrative_licensing"]),
              ("其他对外管理服务事项", p["art20_item5"]["other_external_services"])]),
            ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
             [("行政处罚", p["art20_item6"]["administrative_penalty"]),
              ("行政强制", p["art20_item6"]["administrative_compulsion"])]),
            ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
             [("行政事业性收费", p["art20_item8"]["administrative_fees"])]),
            ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额" + unit],
             [("政府集中采购", proc)])]


def as_cell(v, text=False):
    """A JSON cell as an openpyxl value; some numbers as text, as agencies often type them."""
    if v is None:
        return None
    if isinstance(v, (int, float)) and text:
        return str(v)
    return v


def agency_sheet(ws, r, origin_row=3, origin_col=2):
    """Lay a report out the way an agency might: sections stacked, unmerged row labels."""
    row = origin_row
    c0 = origin_col
    ws.cell(row, c0, r.get("title") or "政府信息公开工作年度报告")
    row += 2
    if r.get("proactive_disclosure"):
        ws.cell(row, c0, "二、主动公开政府信息情况")
        row += 1
        for title, header, rows in s2_tables(r):
            ws.cell(row, c0, title)
            ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c0 + 3)
            row += 1
            for j, h in enumerate(header):
                ws.cell(row, c0 + j, h)
            row += 1
            for label, cells in rows:
                ws.cell(row, c0, label)
                for j, v in enumerate(cells.values()):
                    ws.cell(row, c0 + 1 + j, as_cell(v, text=(j == 0)))
                row += 1
        row += 1
    if r.get("applications"):
        ws.cell(row, c0, "三、收到和处理政府信息公开申请情况")
        row += 1
        ws.cell(row, c0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
        ws.merge_cells(start_row=row, start_column=c0, end_row=row + 2, end_column=c0 + 2)
        ws.cell(row, c0 + 3, "申请人情况")
        ws.merge_cells(start_row=row, start_column=c0 + 3, end_row=row, end_column=c0 + 9)
        ws.cell(row + 1, c0 + 3, "自然人")
        ws.merge_cells(start_row=row + 1, start_column=c0 + 3, end_row=row + 2, end_column=c0 + 3)
        ws.cell(row + 1, c0 + 4, "法人或其他组织")
        ws.merge_cells(start_row=row + 1, start_column=c0 + 4, end_row=row + 1, end_column=c0 + 8)
        ws.cell(row + 1, c0 + 9, "总计")
        ws.merge_cells(start_row=row + 1, start_column=c0 + 9, end_row=row + 2, end_column=c0 + 9)
        for j, h in enumerate(APPLICANT_LABELS[1:6]):
            ws.cell(row + 2, c0 + 4 + j, h)
        row += 3
        for l1, l2, l3, cells in s3_rows(r):
            for j, lab in enumerate([l1, l2, l3]):
                if lab:
                    ws.cell(row, c0 + j, lab)
            vals = [cells[k] for k in APPLICANTS]
            # The total as a live formula where the report's total equals the sum of its parts;
            # elsewhere a number typed as text (a SUM over text would not count it).
            nums = [v for v in vals[:6] if isinstance(v, (int, float))]
            total = vals[6]
            formula = bool(nums) and isinstance(total, (int, float)) and sum(nums) == total
            for j, v in enumerate(vals[:6]):
                ws.cell(row, c0 + 3 + j, as_cell(v, text=(j == 1 and not formula)))
            col = openpyxl.utils.get_column_letter
            if formula:
                ws.cell(row, c0 + 9, "=SUM(%s%d:%s%d)" % (col(c0 + 3), row, col(c0 + 8), row))
            else:
                ws.cell(row, c0 + 9, as_cell(total))
            row += 1
        row += 1
    if r.get("review_litigation"):
        ws.cell(row, c0, "四、政府信息公开行政复议、行政诉讼情况")
        row += 1
        ws.cell(row, c0, "行政复议")
        ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c0 + 4)
        ws.cell(row, c0 + 5, "行政诉讼")
        ws.merge_cells(start_row=row, start_column=c0 + 5, end_row=row, end_column=c0 + 14)
        ws.cell(row + 1, c0 + 5, "未经复议直接起诉")
        ws.merge_cells(start_row=row + 1, start_column=c0 + 5, end_row=row + 1, end_column=c0 + 9)
        ws.cell(row + 1, c0 + 10, "复议后起诉")
        ws.merge_cells(start_row=row + 1, start_column=c0 + 10, end_row=row + 1, end_column=c0 + 14)
        for j, h in enumerate(OUTCOME_LABELS):
            ws.cell(row + 1, c0 + j, h)
            ws.merge_cells(start_row=row + 1, start_column=c0 + j, end_row=row + 2, end_column=c0 + j)
            ws.cell(row + 2, c0 + 5 + j, h)
            ws.cell(row + 2, c0 + 10 + j, h)
        row += 3
        rl = r["review_litigation"]
        for b, block in enumerate(["administrative_review", "litigation_direct", "litigation_after_review"]):
            for j, k in enumerate(OUTCOMES):
                ws.cell(row, c0 + b * 5 + j, as_cell(rl[block][k]))
    if r["edition"] == "legacy":
        st = r["statistics"]
        ws.cell(row, c0, "指标")
        ws.cell(row, c0 + 1, "单位")
        for j, h in enumerate(st["value_columns"]):
            ws.cell(row, c0 + 2 + j, h)
        row += 1
        group = None
        for ind in st["indicators"]:
            if ind.get("group") and ind["group"] != group:
                group = ind["group"]
                ws.cell(row, c0, group)
                row += 1
            ws.cell(row, c0, ind["label"])
            if ind.get("unit"):
                ws.cell(row, c0 + 1, ind["unit"])
            for j, v in enumerate(ind["values"]):
                ws.cell(row, c0 + 2 + j, as_cell(v))
            row += 1


def spreadsheetml(xlsx_path, out_path):
    """Excel 2003 XML of a workbook's cached values and merges, with ss:Index where cells skip."""
    from xml.sax.saxutils import escape
    wb = openpyxl.load_workbook(xlsx_path, data_only=True)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
             '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
             'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n']
    for ws in wb.worksheets:
        merges = {}
        covered = set()
        for m in ws.merged_cells.ranges:
            merges[(m.min_row, m.min_col)] = (m.max_row - m.min_row, m.max_col - m.min_col)
            for r in range(m.min_row, m.max_row + 1):
                for c in range(m.min_col, m.max_col + 1):
                    if (r, c) != (m.min_row, m.min_col):
                        covered.add((r, c))
        parts.append('<Worksheet ss:Name="%s"><Table>\n' % escape(ws.title, {'"': "&quot;"}))
        last_row = 0
        for row in ws.iter_rows():
            cells = [c for c in row if (c.row, c.column) not in covered and (c.value is not None or (c.row, c.column) in merges)]
            if not cells:
                continue
            r = cells[0].row
            parts.append('<Row%s>' % ("" if r == last_row + 1 else ' ss:Index="%d"' % r))
            last_row = r
            last_col = 0
            for c in cells:
                attrs = "" if c.column == last_col + 1 else ' ss:Index="%d"' % c.column
                down, across = merges.get((c.row, c.column), (0, 0))
                if across:
                    attrs += ' ss:MergeAcross="%d"' % across
                if down:
                    attrs += ' ss:MergeDown="%d"' % down
                last_col = c.column + across
                v = c.value
                if v is None:
                    parts.append("<Cell%s/>" % attrs)
                elif isinstance(v, (int, float)):
                    parts.append('<Cell%s><Data ss:Type="Number">%s</Data></Cell>' % (attrs, repr(v) if isinstance(v, float) else v))
                else:
                    parts.append('<Cell%s><Data ss:Type="String">%s</Data></Cell>' % (attrs, escape(str(v))))
            parts.append("</Row>\n")
        parts.append("</Table></Worksheet>\n")
    parts.append("</Workbook>\n")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


def soffice(src, fmt, outdir):
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src],
                   check=True, capture_output=True, timeout=180)


def recalc(path):
    """Let LibreOffice compute and store the formulas' cached values."""
    with tempfile.TemporaryDirectory() as d:
        soffice(path, "xlsx:Calc MS Excel 2007 XML", d)
        shutil.move(os.path.join(d, os.path.basename(path)), path)


def word(r, path):
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10)
    d.add_paragraph(r.get("title") or "政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph((r.get("narrative") or {}).get("general") or "")
    if r.get("proactive_disclosure"):
        d.add_paragraph("二、主动公开政府信息情况")
        for title, header, rows in s2_tables(r):
            t = d.add_table(rows=2 + len(rows), cols=len(header))
            t.cell(0, 0).merge(t.cell(0, len(header) - 1)).text = title
            for j, h in enumerate(header):
                t.cell(1, j).text = h
            for i, (label, cells) in enumerate(rows):
                t.cell(2 + i, 0).text = label
                for j, v in enumerate(cells.values()):
                    t.cell(2 + i, 1 + j).text = "" if v is None else str(v)
    if r.get("applications"):
        d.add_paragraph("三、收到和处理政府信息公开申请情况")
        rows = s3_rows(r)
        # Split over two Word tables, as a page break does in many published documents.
        cut = 9
        for part, chunk in enumerate([rows[:cut], rows[cut:]]):
            head = 3 if part == 0 else 0
            t = d.add_table(rows=head + len(chunk), cols=10)
            if part == 0:
                t.cell(0, 0).merge(t.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
                t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
                t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
                t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
                t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
                for j, h in enumerate(APPLICANT_LABELS[1:6]):
                    t.cell(2, 4 + j).text = h
            for i, (l1, l2, l3, cells) in enumerate(chunk):
                rr = head + i
                if l1 and not l2:
                    t.cell(rr, 0).merge(t.cell(rr, 2)).text = l1
                else:
                    if l1:
                        t.cell(rr, 0).text = l1
                    if l2 and not l3:
                        t.cell(rr, 1).merge(t.cell(rr, 2)).text = l2
                    else:
                        if l2:
                            t.cell(rr, 1).text = l2
                        t.cell(rr, 2).text = l3 or ""
                for j, k in enumerate(APPLICANTS):
                    v = cells[k]
                    t.cell(rr, 3 + j).text = "" if v is None else str(v)
            # 三、本年度办理结果 spans its rows vertically (vMerge).
            starts = [i for i, x in enumerate(chunk) if x[0] == "三、本年度办理结果"]
            ends = [i for i, x in enumerate(chunk) if x[0] and i > (starts[0] if starts else -1)]
            if starts:
                s0 = head + starts[0]
                e0 = head + (ends[0] - 1 if ends else len(chunk) - 1)
                if e0 > s0:
                    t.cell(s0, 0).merge(t.cell(e0, 0))
    if r.get("review_litigation"):
        d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
        t = d.add_table(rows=4, cols=15)
        t.cell(0, 0).merge(t.cell(0, 4)).text = "行政复议"
        t.cell(0, 5).merge(t.cell(0, 14)).text = "行政诉讼"
        t.cell(1, 5).merge(t.cell(1, 9)).text = "未经复议直接起诉"
        t.cell(1, 10).merge(t.cell(1, 14)).text = "复议后起诉"
        for j, h in enumerate(OUTCOME_LABELS):
            t.cell(1, j).merge(t.cell(2, j)).text = h
            t.cell(2, 5 + j).text = h
            t.cell(2, 10 + j).text = h
        rl = r["review_litigation"]
        for b, block in enumerate(["administrative_review", "litigation_direct", "litigation_after_review"]):
            for j, k in enumerate(OUTCOMES):
                v = rl[block][k]
                t.cell(3, b * 5 + j).text = "" if v is None else str(v)
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph((r.get("narrative") or {}).get("problems_and_improvements") or "")
    d.save(path)


def main():
    if not os.path.exists(XXGK):
        sys.exit("build first: cargo build --release")
    os.makedirs(OUT, exist_ok=True)
    reports = {s: seed_json(s) for s in SEEDS}
    for s, r in reports.items():
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "年报统计表"
        agency_sheet(ws, r)
        p = os.path.join(OUT, "agency-%s.xlsx" % s)
        wb.save(p)
        recalc(p)
        if r["edition"] != "legacy":
            word(r, os.path.join(OUT, "word-%s.docx" % s))
        # xxgk's own workbook, converted by LibreOffice to the other spreadsheet formats.
        with tempfile.TemporaryDirectory() as d:
            js = os.path.join(d, "r.json")
            with open(js, "w") as f:
                json.dump(r, f, ensure_ascii=False)
            own = os.path.join(d, "lo-%s.xlsx" % s)
            subprocess.run([XXGK, "convert", js, "-o", own, "-q"], check=True)
            for fmt, ext in [("xls", "xls"), ("ods", "ods"), ("html", "html")]:
                soffice(own, fmt, d)
                shutil.copy(os.path.join(d, "lo-%s.%s" % (s, ext)), os.path.join(OUT, "lo-%s.%s" % (s, ext)))
            # LibreOffice's own Excel 2003 XML export fails (an XSLT recursion limit), so the
            # SpreadsheetML files are written here from what openpyxl reads out of the workbooks.
            spreadsheetml(own, os.path.join(OUT, "xml2003-own-%s.xml" % s))
        spreadsheetml(p, os.path.join(OUT, "xml2003-agency-%s.xml" % s))
    # Several reports on several sheets of one workbook.
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in ["000", "001", "003"]:
        agency_sheet(wb.create_sheet("报告" + s), reports[s], origin_row=1, origin_col=1)
    p = os.path.join(OUT, "agency-multi.xlsx")
    wb.save(p)
    recalc(p)
    # A real report's Word-exported page as the agency's Word file would print it: LibreOffice
    # opens the page as a document (docx) and exports that to PDF. Its values are underlined.
    with tempfile.TemporaryDirectory() as d:
        page = os.path.join(os.path.dirname(OUT), "corpus", "026_pingtan_2020.html")
        soffice(page, 'docx:MS Word 2007 XML', d)
        soffice(os.path.join(d, "026_pingtan_2020.docx"), "pdf", d)
        shutil.copy(os.path.join(d, "026_pingtan_2020.pdf"), os.path.join(OUT, "lo-word-026.pdf"))
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
