#!/usr/bin/env python3
"""Render the layout variants of real reports into fixtures/variants/, each with the cells its import
must give (NAME.expected.json).

Run from the repository root after `cargo build --release`:

    python3 scripts/make_variants.py

Needs openpyxl and opencc-python-reimplemented (PyPI). The numbers come from xxgk's reading of
the seed texts (fixtures/seeds/000.txt, 2021 edition; 001.txt, 2019 edition); every file is laid
out here, in Python, the way real copies look (../shared/design/variants-seen.md), never by
xxgk's writers:

* agency workbooks with merged headers and a column nobody filled (科研机构 empty in every row);
* Excel copied as text: tabs, merged cells as runs of empty fields;
* markdown in the style of PDF converters: one small table per row group under a heading that
  repeats the row label, header cells 数据1 … 数据6 | 总计, list numbers `1. 属于…`, a stray
  header row mid-table, section 四 as three small tables;
* space-aligned text as `pdftotext -layout` gives it: section 三's header split over three lines,
  labels wrapped with their values on the middle line, a cell left empty, page footers and a page
  break inside the table;
* the seed in traditional script (OpenCC s2t);
* a blank 规章 row label (workbook and tab copy);
* a mixed form: the 2021 report with （六）其他处理 printed as the one row of the 2019 form;
* PDFs printed by LibreOffice: the python-docx Word documents of fixtures/built restyled in
  several fonts and sizes (with and without cell borders; at 16 pt section 三 breaks across
  pages with no repeated header), and xxgk's fillable workbook printed by LibreOffice Calc.
"""
import copy
import json
import os
import shutil
import subprocess
import tempfile

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

import opencc
import openpyxl
from openpyxl.styles import Alignment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "variants")
XXGK = os.path.join(ROOT, "target", "release", "xxgk")

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "public_welfare_org", "legal_service_agency", "other_org", "total"]
OUTCOMES = ["upheld", "corrected", "other_outcome", "pending", "total"]
GROUPS = ["administrative_review", "litigation_direct", "litigation_after_review"]

S3_LABELS = {
    "new_applications": "一、本年新收政府信息公开申请数量",
    "carried_over_from_previous_year": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied": ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                             "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                             "7.属于行政执法案卷", "8.属于行政查询事项"]),
    "unable_to_provide": ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                                        "3.补正后申请内容仍不明确"]),
    "not_processed": ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                                    "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]),
    "other_handling": ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                                     "3.其他"]),
    "total": "（七）总计",
    "carried_forward_to_next_year": "四、结转下年度继续办理",
}


def seed_json(name):
    path = os.path.join(ROOT, "fixtures", "seeds", name + ".txt")
    out = subprocess.run([XXGK, "convert", path, "-o", "-", "-q"], check=True,
                         capture_output=True).stdout
    return json.loads(out)


def cells(r):
    """Every cell of the tables, path -> value, in form order."""
    out = {}

    def walk(v, p):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, p + "." + k if p else k)
        else:
            out[p] = v

    for sec in ["proactive_disclosure", "applications", "review_litigation"]:
        if r.get(sec) is not None:
            walk(r[sec], sec)
    out.pop("proactive_disclosure.art20_item9.centralized_procurement.total_amount_unit", None)
    return out


def show(v):
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def s3_rows(r):
    """(group label or None, row label, path under applications, values) in printed order."""
    a = r["applications"]
    res = a["results"]
    rows = [(None, S3_LABELS["new_applications"], "new_applications", a["new_applications"]),
            (None, S3_LABELS["carried_over_from_previous_year"], "carried_over_from_previous_year",
             a["carried_over_from_previous_year"]),
            ("三、本年度办理结果", S3_LABELS["granted"], "results.granted", res["granted"]),
            (None, S3_LABELS["partially_granted"], "results.partially_granted", res["partially_granted"])]
    for key in ["denied", "unable_to_provide", "not_processed"]:
        title, labels = S3_LABELS[key]
        for i, (k, v) in enumerate(res[key].items()):
            rows.append((title if i == 0 else None, labels[i], f"results.{key}.{k}", v))
    oh = res["other_handling"]
    if "correction_overdue" in oh:
        title, labels = S3_LABELS["other_handling"]
        for i, k in enumerate(["correction_overdue", "fee_unpaid", "other"]):
            rows.append((title if i == 0 else None, labels[i], f"results.other_handling.{k}", oh[k]))
    else:
        rows.append((None, "（六）其他处理", "results.other_handling", oh))
    rows.append((None, S3_LABELS["total"], "results.total", res["total"]))
    rows.append((None, S3_LABELS["carried_forward_to_next_year"], "carried_forward_to_next_year",
                 a["carried_forward_to_next_year"]))
    return rows


def s2_items(r):
    """(heading, header cells, [(label, values)]) per item, as the form prints them."""
    p = r["proactive_disclosure"]
    if r["edition"] == "2021":
        i1 = p["art20_item1"]
        return [
            ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", list(i1["rules"].values())), ("行政规范性文件", list(i1["normative_documents"].values()))]),
            ("第二十条第（五）项", ["信息内容", "本年处理决定数量"],
             [("行政许可", list(p["art20_item5"]["administrative_licensing"].values()))]),
            ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
             [("行政处罚", list(p["art20_item6"]["administrative_penalty"].values())),
              ("行政强制", list(p["art20_item6"]["administrative_compulsion"].values()))]),
            ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"],
             [("行政事业性收费", list(p["art20_item8"]["administrative_fees"].values()))]),
        ]
    i1 = p["art20_item1"]
    proc = p["art20_item9"]["centralized_procurement"]
    return [
        ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", list(i1["rules"].values())), ("规范性文件", list(i1["normative_documents"].values()))]),
        ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", list(p["art20_item5"]["administrative_licensing"].values())),
          ("其他对外管理服务事项", list(p["art20_item5"]["other_external_services"].values()))]),
        ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", list(p["art20_item6"]["administrative_penalty"].values())),
          ("行政强制", list(p["art20_item6"]["administrative_compulsion"].values()))]),
        ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
         [("行政事业性收费", list(p["art20_item8"]["administrative_fees"].values()))]),
        ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"],
         [("政府集中采购", [proc["projects_count"], proc["total_amount"]])]),
    ]


def s4_values(r):
    rl = r["review_litigation"]
    return [rl[g][o] for g in GROUPS for o in OUTCOMES]


def preamble(r):
    year = r.get("report_year") or 2021
    return [f"{r.get('agency') or '某市人民政府'}{year}年政府信息公开工作年度报告", "",
            "一、总体情况", "本年度政府信息公开工作有序推进。", "",
            "二、主动公开政府信息情况"]


def tail():
    return ["", "五、政府信息公开工作存在的主要问题及改进情况", "存在的问题和改进措施。", "",
            "六、其他需要报告的事项", "无。"]


def write(name, text, expected, diagnostics=()):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    save_expected(name, expected, diagnostics)


def save_expected(name, r, diagnostics=()):
    exp = {"edition": r["edition"], "cells": cells(r), "diagnostics": list(diagnostics)}
    with open(os.path.join(OUT, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, ensure_ascii=False, indent=1)
        f.write("\n")


# --- agency workbook with merged headers and an empty column ---------------------------------

def blank_column_workbook(r, name, blank_rules_label=False):
    r = copy.deepcopy(r)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年报表格"
    row = 1
    ws.cell(row, 1, preamble(r)[0])
    row += 2
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(row, 1, "二、主动公开政府信息情况")
    row += 1
    for heading, header, rows in s2_items(r):
        width = 4
        ws.cell(row, 1, heading)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
        # Header and values spread over the 4-column grid (a single value column is merged).
        spans = {2: [(2, 4)], 3: [(2, 2), (3, 4)], 4: [(2, 2), (3, 3), (4, 4)]}[len(header)]
        ws.cell(row, 1, header[0])
        for (c0, c1), h in zip(spans, header[1:]):
            ws.cell(row, c0, h).alignment = center
            if c1 > c0:
                ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c1)
        row += 1
        for label, values in rows:
            if not (blank_rules_label and label == "规章"):
                ws.cell(row, 1, label)
            for (c0, c1), v in zip(spans, values):
                if v is not None:
                    ws.cell(row, c0, v)
                if c1 > c0:
                    ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c1)
            row += 1
    row += 1
    ws.cell(row, 1, "三、收到和处理政府信息公开申请情况")
    row += 1
    # Three-level header: corner note (3×3), 申请人情况 (1×7); 自然人 and 总计 rowspan 2;
    # 法人或其他组织 over five columns; the five organisation columns.
    top = row
    ws.cell(top, 1, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 2, end_column=3)
    ws.cell(top, 4, "申请人情况")
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=10)
    ws.cell(top + 1, 4, "自然人")
    ws.merge_cells(start_row=top + 1, start_column=4, end_row=top + 2, end_column=4)
    ws.cell(top + 1, 5, "法人或其他组织")
    ws.merge_cells(start_row=top + 1, start_column=5, end_row=top + 1, end_column=9)
    ws.cell(top + 1, 10, "总计")
    ws.merge_cells(start_row=top + 1, start_column=10, end_row=top + 2, end_column=10)
    for i, h in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        ws.cell(top + 2, 5 + i, h)
    row = top + 3
    results_top = None
    for group, label, path, values in s3_rows(r):
        if path.startswith("results.") and results_top is None:
            results_top = row
        if not path.startswith("results."):
            ws.cell(row, 1, label)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        elif label.startswith("（"):
            ws.cell(row, 2, label)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        else:
            if group:
                ws.cell(row, 2, group)
            ws.cell(row, 3, label)
        for i, k in enumerate(APPLICANTS):
            v = values[k]
            if k == "research_institution":
                values[k] = None  # nobody filled this column
                continue
            if v is not None:
                ws.cell(row, 4 + i, v)
        row += 1
    ws.cell(results_top, 1, "三、本年度办理结果")
    row += 1
    ws.cell(row, 1, "四、政府信息公开行政复议、行政诉讼情况")
    row += 1
    ws.cell(row, 1, "行政复议")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    ws.cell(row, 6, "行政诉讼")
    ws.merge_cells(start_row=row, start_column=6, end_row=row, end_column=15)
    ws.cell(row + 1, 6, "未经复议直接起诉")
    ws.merge_cells(start_row=row + 1, start_column=6, end_row=row + 1, end_column=10)
    ws.cell(row + 1, 11, "复议后起诉")
    ws.merge_cells(start_row=row + 1, start_column=11, end_row=row + 1, end_column=15)
    for i, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]):
        ws.cell(row + 1, 1 + i, h)
        ws.merge_cells(start_row=row + 1, start_column=1 + i, end_row=row + 2, end_column=1 + i)
        ws.cell(row + 2, 6 + i, h)
        ws.cell(row + 2, 11 + i, h)
    for i, v in enumerate(s4_values(r)):
        if v is not None:
            ws.cell(row + 3, 1 + i, v)
    wb.save(os.path.join(OUT, name))
    save_expected(name, r)


# --- Excel copied as text --------------------------------------------------------------------

def tab_copy(r, name, blank_rules_label=False):
    lines = preamble(r)
    for heading, header, rows in s2_items(r):
        lines.append(heading + "\t\t\t")
        spans = {2: [3], 3: [1, 2], 4: [1, 1, 1]}[len(header)]
        lines.append("\t".join([header[0]] + sum(([h] + [""] * (n - 1) for h, n in zip(header[1:], spans)), [])))
        for label, values in rows:
            if blank_rules_label and label == "规章":
                label = ""
            cells_ = [label]
            for v, n in zip(values, spans):
                cells_ += [show(v)] + [""] * (n - 1)
            lines.append("\t".join(cells_))
    lines += ["三、收到和处理政府信息公开申请情况",
              "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
              "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
              "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    for group, label, path, values in s3_rows(r):
        vals = [show(values[k]) for k in APPLICANTS]
        if not path.startswith("results."):
            lines.append("\t".join([label, "", ""] + vals))
        elif label.startswith("（"):
            lines.append("\t".join([group or "", label, ""] + vals))
        else:
            lines.append("\t".join(["", group or "", label] + vals))
    lines += ["四、政府信息公开行政复议、行政诉讼情况",
              "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
              "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
              "\t".join(show(v) for v in s4_values(r))]
    write(name, "\n".join(lines + tail()) + "\n", r)


# --- markdown as PDF converters write it -----------------------------------------------------

def markdown(r, name):
    lines = ["# " + preamble(r)[0], "", "## 一、总体情况", "本年度政府信息公开工作有序推进。", "",
             "## 二、主动公开政府信息情况", ""]
    for heading, header, rows in s2_items(r):
        lines.append(f"### {heading}")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for label, values in rows:
            lines.append("| " + " | ".join([label] + [show(v) for v in values]) + " |")
        lines.append("")
    lines += ["## 三、收到和处理政府信息公开申请情况", "",
              "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "",
              "### 申请人情况 (法人或其他组织)",
              "| 商业企业 | 科研机构 | 社会公益 | 法律服务机构 | 其他 |", "|---|---|---|---|---|",
              "| - | - | - | - | - |", ""]
    head = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |"
    sep = "|---|---|---|---|---|---|---|---|"
    current = None
    rows = s3_rows(r)
    for i, (group, label, path, values) in enumerate(rows):
        title = group if group and not group.startswith("三") else (label if group is None else label)
        if group and group.startswith("三"):
            lines += ["### 三、本年度办理结果", ""]
        if group or not path.startswith("results.") or label.startswith("（"):
            lines += ["", f"### {title}", head, sep]
        lab = label
        if lab[:1].isdigit():
            lab = lab[0] + ". " + lab[2:]  # `1. 属于国家秘密`
        elif lab.startswith("（"):
            lab = lab.split("）", 1)[1]  # the heading above already says （一）
        if i == len(rows) - 3:
            # A stray header row copied into the middle of the table.
            lines += ["", "| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |", sep]
        lines.append("| " + " | ".join([lab] + [show(values[k]) for k in APPLICANTS]) + " |")
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", ""]
    v = s4_values(r)
    for g, title in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
        lines += [f"### {title}", "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
                  "|----------|----------|----------|----------|------|",
                  "| " + " | ".join(show(x) for x in v[g * 5:g * 5 + 5]) + " |", ""]
    write(name, "\n".join(lines + tail()) + "\n", r)


# --- space-aligned text, as pdftotext -layout gives it -----------------------------------------

def width(s):
    return sum(2 if ord(c) > 0x2e80 else 1 for c in s)


def pad_to(line, col):
    return line + " " * max(1, col - width(line))


def aligned(r, name):
    """Section 三 (and 四) as a PDF's text layer laid out: right-aligned numbers under columns."""
    r = copy.deepcopy(r)
    lines = preamble(r)
    for heading, header, rows in s2_items(r):
        lines.append("    " + heading)
        cols = [40 + 18 * i for i in range(len(header) - 1)]
        h = "    " + header[0]
        for c, t in zip(cols, header[1:]):
            h = pad_to(h, c) + t
        lines.append(h)
        for label, values in rows:
            line = "    " + label
            for c, v in zip(cols, values):
                s = show(v)
                line = pad_to(line, c + 8 - width(s)) + s
            lines.append(line)
    lines += ["", "三、收到和处理政府信息公开申请情况", ""]
    # Columns: right edges of the seven value columns.
    right = [58, 66, 74, 82, 90, 98, 108]
    centre = [r - 3 for r in right]

    def header_line(words):
        line = ""
        for c, w in zip(centre, words):
            if w:
                line = pad_to(line, c - width(w) // 2) + w
        return line

    lines.append(pad_to("   （本列数据的勾稽关系为：第一项加", 70) + "申请人情况")
    lines.append(pad_to("   第二项之和，等于第三项加第四项", 68) + "法人或其他组织")
    lines.append(pad_to("   之和）", 8) + header_line(["", "商业", "科研", "社会", "法律", "", ""])[8:])
    lines.append(header_line(["自然人", "企业", "机构", "公益", "服务", "其他", "总计"]))
    lines.append(header_line(["", "", "", "组织", "机构", "", ""]))

    def value_line(prefix, values, blank=()):
        line = prefix
        for i, (k, rr) in enumerate(zip(APPLICANTS, right)):
            s = show(values[k])
            if k in blank:
                values[k] = None
                continue
            if s:
                line = pad_to(line, rr - width(s)) + s
        return line

    page = 3
    # The group label 三、本年度办理结果 printed down the left edge, a character or two per line.
    vertical = iter(["三", "、本", "年", "度办", "理", "结果"])
    for n, (group, label, path, values) in enumerate(s3_rows(r)):
        blank = ("research_institution",) if n % 4 == 1 else ()
        margin = "  " + (next(vertical, "  ") if n >= 2 else "  ") + "  "
        if len(label) > 16:
            # Wrapped over two or three lines, values on the middle one.
            parts = [label[i:i + 14] for i in range(0, len(label), 14)]
            if len(parts) == 2:
                parts = [parts[0], parts[1], ""]
            lines.append(margin + parts[0])
            lines.append(value_line("      " + parts[1], values, blank))
            if parts[2]:
                lines.append("      " + parts[2])
        else:
            lines.append(value_line(margin + label, values, blank))
        if n in (9, 18):
            # A page ends inside the table: footer, page break, no repeated header.
            lines += ["", " " * 50 + f"— {page} —", "\f"]
            page += 1
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
    # Outcome headers over two lines (`结果`/`维持`, …), right edges every 8 columns.
    s4_right = [8 + 8 * i for i in range(1, 16)]
    lines.append(pad_to("", 20) + "行政复议" + " " * 56 + "行政诉讼")
    lines.append(pad_to("", 60) + "未经复议直接起诉" + " " * 24 + "复议后起诉")
    top = ["结果", "结果", "其他", "尚未", ""] * 3
    bottom = ["维持", "纠正", "结果", "审结", "总计"] * 3
    for words in (top, bottom):
        line = ""
        for w, rr in zip(words, s4_right):
            if w:
                line = pad_to(line, rr - width(w)) + w
        lines.append(line)
    v = s4_values(r)
    line = ""
    for x, rr in zip(v, s4_right):
        s = show(x)
        line = pad_to(line, rr - width(s)) + s if s else line
    lines.append(line)
    write(name, "\n".join(lines + tail()) + "\n", r)


# --- traditional script ------------------------------------------------------------------------

def traditional(seed, r, name):
    text = open(os.path.join(ROOT, "fixtures", "seeds", seed + ".txt"), encoding="utf-8").read()
    write(name, opencc.OpenCC("s2t").convert(text), r)


# --- a mixed form --------------------------------------------------------------------------------

def mixed(r, name):
    r = copy.deepcopy(r)
    oh = r["applications"]["results"]["other_handling"]
    one = {k: sum((oh[s][k] or 0) for s in ["correction_overdue", "fee_unpaid", "other"])
           for k in APPLICANTS}
    src = copy.deepcopy(r)
    src["applications"]["results"]["other_handling"] = one  # printed the 2019 way
    lines = preamble(r)
    for heading, header, rows in s2_items(r):
        lines += [heading] + header
        for label, values in rows:
            lines += [label] + [show(v) for v in values]
    lines += ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
              "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    for group, label, path, values in s3_rows(src):
        if group:
            lines.append(group)
        lines.append(label)
        lines += [show(values[k]) for k in APPLICANTS]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果",
              "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    lines += ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    lines += [show(v) for v in s4_values(r)]
    exp = copy.deepcopy(r)
    oh_exp = exp["applications"]["results"]["other_handling"]
    for s in ["correction_overdue", "fee_unpaid", "other"]:
        oh_exp[s] = {k: None for k in APPLICANTS}
    oh_exp["subtotal"] = one
    write(name, "\n".join(lines + tail()) + "\n", exp, ["recognize.mixed_form"])


# --- PDFs printed by LibreOffice ----------------------------------------------------------------

def soffice_pdf(src, name):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", d, src],
                       check=True, capture_output=True)
        out = os.path.join(d, os.path.splitext(os.path.basename(src))[0] + ".pdf")
        shutil.copy(out, os.path.join(OUT, name))


def restyled_word_pdf(seed, r, name, font, size, borders):
    """fixtures/built/word-SEED.docx (python-docx) in another font and size, printed to PDF."""
    d = docx.Document(os.path.join(ROOT, "fixtures", "built", f"word-{seed}.docx"))
    for p in d.paragraphs + [p for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]:
        for run in p.runs:
            run.font.size = Pt(size)
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if borders:
        for t in d.tables:
            t.style = d.styles["Table Grid"]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, os.path.splitext(name)[0] + ".docx")
        d.save(src)
        soffice_pdf(src, name)
    save_expected(name, r)


def workbook_pdf(seed, r, name):
    """xxgk's fillable workbook of the seed, printed by LibreOffice Calc."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, os.path.splitext(name)[0] + ".xlsx")
        subprocess.run([XXGK, "convert", os.path.join(ROOT, "fixtures", "seeds", seed + ".txt"),
                        "-o", src, "-q"], check=True)
        soffice_pdf(src, name)
    save_expected(name, r)


def main():
    os.makedirs(OUT, exist_ok=True)
    r21 = seed_json("000")
    r19 = seed_json("001")
    blank_column_workbook(r21, "workbook-blank-column-000.xlsx")
    blank_column_workbook(r19, "workbook-blank-column-001.xlsx")
    blank_column_workbook(r21, "workbook-blank-rules-label-000.xlsx", blank_rules_label=True)
    tab_copy(r21, "tab-copy-000.txt")
    tab_copy(r19, "tab-copy-001.txt")
    tab_copy(r21, "tab-copy-blank-rules-label-000.txt", blank_rules_label=True)
    markdown(r21, "markdown-000.md")
    markdown(r19, "markdown-001.md")
    aligned(r21, "aligned-000.txt")
    aligned(r19, "aligned-001.txt")
    traditional("000", r21, "traditional-000.txt")
    traditional("001", r19, "traditional-001.txt")
    mixed(r21, "mixed-form-000.txt")
    restyled_word_pdf("000", r21, "pdf-serif-grid-000.pdf", "Noto Serif CJK SC", 10.5, True)
    restyled_word_pdf("001", r19, "pdf-sans-001.pdf", "Noto Sans CJK SC", 12, False)
    restyled_word_pdf("000", r21, "pdf-large-broken-000.pdf", "Noto Sans CJK SC", 16, True)
    workbook_pdf("000", r21, "pdf-workbook-000.pdf")
    workbook_pdf("001", r19, "pdf-workbook-001.pdf")
    print("fixtures/variants:", len([f for f in os.listdir(OUT) if not f.endswith(".json")]), "files")


if __name__ == "__main__":
    main()
