#!/usr/bin/python3
"""PDF test fixtures for the anli PDF text extractor (poppler) and layout reconstruction.

Turns a text report (corpus/guangzhou-2024.md, converted from a published PDF) back into
PDFs that look like real published Chinese annual reports, so that tests can parse the PDF
and the text of the same report and compare the units they get:

  gz-2024.pdf / gz-2024.truth.json        layout A: the seed text as is, typeset like the
                                          original (serif body, cover + TOCs without
                                          header/footer, body with running header and
                                          printed page numbers starting at 1, boxed cases)
  layout-b.md / layout-b.pdf / .truth.json  layout B: the text transformed (一、/（一）/1.
                                          plain-line headings, 【案例k】, no cover/TOCs) and
                                          typeset differently (a TrueType sans, no indent,
                                          第 N 页 共 T 页, a label turned up the margin)
  long.pdf                                layout A body three times (>= 100 pages), for speed
  long-truetype.pdf                       layout B without bold, >= 100 pages, all in a TrueType
                                          font (no Type 3 fonts, as office suites write them)
  encrypted.pdf scanned.pdf truncated.pdf zero-pages.pdf not-a-pdf.pdf   bad inputs

The truth files come from the outline (bookmarks) of the finished PDFs, which Chromium
generates from the h1-h6 headings, not from guesses about pagination.

Usage (Debian's python3 has selenium and pypdf; Chromium + chromedriver + fonts-noto-cjk):
  /usr/bin/python3 tools/pdf-fixtures/generate.py --report corpus/guangzhou-2024.md --out DIR

The generated PDFs are not checked in. Output is deterministic except for PDF dates/ids.
"""

import argparse
import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError as error:  # pragma: no cover
    sys.exit(f"generate.py: {error}; run with Debian's /usr/bin/python3 (selenium + pypdf)")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
A4_W, A4_H = 8.27, 11.69
MM = 1 / 25.4  # inches per mm

REPORT_TITLE = "广州市中等职业教育质量报告（2024年度）"
HEADER_A = REPORT_TITLE
HEADER_B = "2024年度 广州市中职教育质量报告"
TOC_NAMES = ("目录", "案例目录", "图目录", "表目录")
CN_DIGITS = "零一二三四五六七八九十"


class GenerationError(Exception):
    pass


# ---------------------------------------------------------------------------
# Parsing the seed text into blocks
# ---------------------------------------------------------------------------

RE_CHAPTER = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
RE_SECTION = re.compile(r"^(\d{1,2})\.(\d{1,2})\s+(\S.*)$")
RE_SUBSECTION = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})\s+(\S.*)$")
RE_CASE = re.compile(r"^案例\s*(\d+)\s*[-－]\s*(\d+)\s+(\S.*)$")
RE_FIG_CAPTION = re.compile(r"^图\s*\d+\s*[-－]\s*\d+\s*[：:]")
RE_TABLE_CAPTION = re.compile(r"^(续表|表)\s*\d+\s*[-－]\s*\d+")
RE_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
RE_FOOTNOTE = re.compile(r"^<sup>[^<]{1,3}</sup>\s*\S")
RE_NOTE = re.compile(r"^(数据来源|注)\s*[：:]")
RE_TOC_ENTRY = re.compile(r"^(.*?)\s*\.{3,}\s*(\d+)\s*$")


def heading_text(line):
    return line.lstrip("#").strip()


def classify_heading(text):
    """(kind, level) for a heading, from its own numbering (never from the # count)."""
    compact = re.sub(r"\s+", "", text)
    if compact in TOC_NAMES:
        return "toc", 2
    if RE_SUBSECTION.match(text):
        return "subsection", 3
    if RE_SECTION.match(text):
        return "section", 2
    if RE_CHAPTER.match(text):
        return "chapter", 1
    if RE_CASE.match(text):
        return "case", 4
    if compact in ("前言", "基本情况") or compact.startswith("广州市中等职业教育质量报告"):
        return "named", 1
    return "other", 2


def is_table_row(line):
    s = line.strip()
    if "\t" in line:
        return True
    return len(s) > 1 and s.startswith("|") and s.endswith("|")


def split_row(line):
    s = line.rstrip("\n")
    if "\t" in s:
        return [c.strip() for c in s.split("\t")]
    s = s.strip()[1:-1]
    return [c.strip() for c in s.split("|")]


def parse_body(lines):
    """Blocks of the body: dicts with a 'type' key."""
    blocks = []
    i, n = 0, len(lines)
    while i < n:
        raw = lines[i].rstrip()
        s = raw.strip()
        if not s:
            i += 1
            continue
        if s.startswith("#"):
            text = heading_text(s)
            kind, level = classify_heading(text)
            blocks.append({"type": "heading", "text": text, "kind": kind, "level": level, "line": i})
            i += 1
            continue
        if RE_IMAGE.match(s):
            blocks.append({"type": "figure", "line": i})
            i += 1
            continue
        if RE_FIG_CAPTION.match(s):
            # The converted text lost the pictures (blank lines above captions): put an
            # empty placeholder box above each caption that has no image line.
            if not blocks or blocks[-1]["type"] != "figure":
                blocks.append({"type": "figure", "line": i})
            blocks.append({"type": "figcaption", "text": s, "line": i})
            i += 1
            continue
        if RE_TABLE_CAPTION.match(s):
            rows = []
            j = i + 1
            while j < n:
                if not lines[j].strip():
                    k = j
                    while k < n and not lines[k].strip():
                        k += 1
                    if k < n and is_table_row(lines[k]):
                        j = k
                        continue
                    break
                if not is_table_row(lines[j]):
                    break
                cells = split_row(lines[j])
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c) or not any(cells):
                    rows.append(cells)
                j += 1
            if not rows:
                blocks.append({"type": "para", "text": s, "line": i})
                i += 1
                continue
            blocks.append({"type": "table", "caption": s, "rows": rows, "line": i})
            i = j
            # a source/note line right after the table
            k = i
            while k < n and not lines[k].strip():
                k += 1
            if k < n and RE_NOTE.match(lines[k].strip()):
                blocks.append({"type": "note", "text": lines[k].strip(), "line": k})
                i = k + 1
            continue
        if RE_FOOTNOTE.match(s):
            blocks.append({"type": "footnote", "text": s, "line": i})
            i += 1
            continue
        blocks.append({"type": "para", "text": s, "line": i})
        i += 1
    return blocks


def split_report(text):
    lines = text.splitlines()
    first_toc = front_end = None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("#"):
            h = re.sub(r"\s+", "", heading_text(s))
            if h in TOC_NAMES and first_toc is None:
                first_toc = i
            if h == "前言":
                front_end = i
                break
    if first_toc is None or front_end is None:
        raise GenerationError("report has no TOC block or no 前言 heading; cannot find cover/front matter")
    cover = [l.strip() for l in lines[:first_toc] if l.strip()]
    tocs = []
    for line in lines[first_toc:front_end]:
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            tocs.append({"title": heading_text(s), "entries": []})
            continue
        m = RE_TOC_ENTRY.match(s)
        if not m:
            raise GenerationError(f"unreadable TOC line: {s!r}")
        title = re.sub(r"\s+", " ", m.group(1).replace("\t", " ")).strip()
        tocs[-1]["entries"].append((title, m.group(2)))
    return cover, tocs, lines[front_end:]


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

def inline(s):
    out = []
    for part in re.split(r"(<sup>.*?</sup>)", s):
        m = re.fullmatch(r"<sup>(.*?)</sup>", part)
        out.append(f"<sup>{html.escape(m.group(1))}</sup>" if m else html.escape(part, quote=False))
    s = "".join(out)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)


BASE_CSS = """
html, body { margin: 0; padding: 0; }
sup { font-size: 0.7em; line-height: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; line-height: 1.4; margin: 0.2em 0 0.6em; }
th, td { vertical-align: top; text-align: left; }
th { font-weight: bold; }
tr { break-inside: avoid; page-break-inside: avoid; }
.fig { width: 60%; height: 110pt; background: #e2e2e2; margin: 0.6em auto 0.3em; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
"""

CSS_A = BASE_CSS + """
body { font-family: 'Noto Serif CJK SC'; font-size: 10.5pt; line-height: 1.6; color: #000; }
p { text-indent: 2em; margin: 0 0 0.3em; text-align: justify; }
h1, h2, h3, h4 { font-family: 'Noto Sans CJK SC'; font-weight: bold; line-height: 1.4; }
h1 { font-size: 16pt; margin: 0.9em 0 0.5em; }
h2 { font-size: 14pt; margin: 0.8em 0 0.4em; }
h3 { font-size: 12pt; margin: 0.7em 0 0.35em; }
h4 { font-size: 11.5pt; margin: 0 0 0.4em; }
.case { border: 0.6pt solid #7a8ca5; background: #eef3f9; padding: 6pt 9pt 4pt; margin: 0.6em 0 0.8em; }
p.fn { font-size: 9pt; text-indent: 0; line-height: 1.4; }
p.note { font-size: 9pt; text-indent: 0; }
p.figcap { font-size: 10pt; text-align: center; text-indent: 0; margin-bottom: 0.6em; }
p.tcap { font-size: 10pt; font-weight: bold; text-align: center; text-indent: 0; margin: 0.6em 0 0.2em; break-after: avoid; page-break-after: avoid; }
th, td { border: 0.5pt solid #000; padding: 3pt 4pt; }
.cover { height: 250mm; text-align: center; page-break-after: always; break-after: page; }
.cover h1 { font-family: 'Noto Serif CJK SC'; font-size: 26pt; padding-top: 70mm; margin: 0 0 80mm; }
.cover p { text-indent: 0; text-align: center; font-size: 15pt; margin: 0 0 0.6em; }
.tocblock { page-break-before: always; break-before: page; }
.tocblock h2 { text-align: center; }
.toce { display: flex; align-items: baseline; font-size: 10.5pt; line-height: 1.9; }
.toce .tt { flex: 0 0 auto; white-space: nowrap; }
.toce .ld { flex: 1 1 0; min-width: 0; overflow: hidden; white-space: nowrap; margin: 0 3pt; }
.toce .pg { flex: 0 0 auto; white-space: nowrap; }
.bodystart { page-break-before: always; break-before: page; }
h1.newpage { page-break-before: always; break-before: page; margin-top: 0; }
"""

# Layout B is set in a TrueType font (fonts-wqy-microhei), which Chromium
# embeds as a CID font with true sizes, as office suites embed theirs;
# Chromium turns the CFF-outline Noto CJK fonts of layout A into Type 3
# fonts. The rebuilder must read both.
CSS_B = BASE_CSS + """
body { font-family: 'WenQuanYi Micro Hei'; font-size: 10pt; line-height: 1.7; color: #111; }
p { text-indent: 0; margin: 0 0 0.8em; text-align: justify; }
h1, h2, h3, h4 { font-weight: bold; line-height: 1.5; }
h1 { font-size: 15pt; margin: 1.2em 0 0.6em; }
h1.title { font-size: 20pt; text-align: center; margin: 0.5em 0 1.2em; }
h2 { font-size: 13pt; margin: 1em 0 0.5em; }
h3 { font-size: 11pt; margin: 0.9em 0 0.45em; }
h4 { font-size: 10pt; margin: 0 0 0.3em; }
p.fn { font-size: 8.5pt; }
p.note { font-size: 8.5pt; }
p.figcap { font-size: 9pt; text-align: center; }
p.tcap { font-size: 9.5pt; font-weight: bold; text-align: center; margin: 0.8em 0 0.2em; break-after: avoid; page-break-after: avoid; }
th, td { border-top: 0.5pt solid #000; border-bottom: 0.5pt solid #000; padding: 4pt; }
"""

LEADER_JS = """
var probe = document.createElement('span');
probe.style.visibility = 'hidden'; probe.style.whiteSpace = 'nowrap';
probe.textContent = '.'.repeat(200);
document.body.appendChild(probe);
var w = probe.getBoundingClientRect().width / 200;
probe.remove();
document.querySelectorAll('.ld').forEach(function (el) {
  var k = Math.max(3, Math.floor(el.clientWidth / w) - 1);
  el.textContent = '.'.repeat(k);
});
return document.querySelectorAll('.ld').length;
"""


def write_truth(out_dir, name, truth, is_case, expected_cases, detail):
    """Writes NAME.truth.json after checking that its outline holds every case heading."""
    found = sum(1 for h in truth["headings"] if is_case(h["title"]))
    if found != expected_cases:
        raise GenerationError(f"{name} truth has {found} case headings, text has {expected_cases}")
    write_json(os.path.join(out_dir, f"{name}.truth.json"), truth)
    print(f"{os.path.join(out_dir, name + '.pdf')}: {truth['pages']} pages{detail}, {len(truth['headings'])} outline headings")
    print(f"{os.path.join(out_dir, name + '.truth.json')}: {found} case headings")


def print_long(driver, tmp, out_dir, name, css, html, pages_once, separator, what, **print_args):
    """NAME.pdf: `html` repeated (after `separator`) until it fills at least 100 pages."""
    copies = max(2, -(-100 // pages_once))
    pdf = print_pdf(driver, page(css, f"\n{separator}\n".join([html] * copies)), tmp, name,
                    os.path.join(out_dir, f"{name}.pdf"), **print_args)
    pages = page_count(pdf)
    if pages < 100:
        raise GenerationError(f"{name}.pdf has only {pages} pages")
    print(f"{pdf}: {pages} pages ({copies} copies of {what})")


def page(css, body):
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<style>{css}</style></head><body>\n{body}\n</body></html>\n")


def table_html(rows):
    width = max(len(r) for r in rows)
    out = ["<table><tbody>"]  # no <thead>: Chromium would repeat it on every page
    for r, row in enumerate(rows):
        cells = row + [""] * (width - len(row))
        tag = "th" if r == 0 else "td"
        out.append("<tr>" + "".join(f"<{tag}>{inline(c)}</{tag}>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_blocks(blocks, layout, headings):
    """HTML for body blocks; appends (title, level) of every rendered heading to headings."""
    out = []
    in_case = False
    chapter_seen = False

    def close_case():
        nonlocal in_case
        if in_case:
            out.append("</div>")
            in_case = False

    for b in blocks:
        t = b["type"]
        if t == "heading":
            close_case()
            text, level = b["text"], b["level"]
            if layout == "B":
                text, level = b["b_text"], b["b_level"]
                if level is None:  # stray fragment: a plain line in layout B
                    out.append(f"<p>{inline(text)}</p>")
                    continue
            cls = ' class="title"' if b.get("title") else ""
            if layout == "A" and (b["kind"] == "named" or (b["kind"] == "chapter" and not chapter_seen)):
                cls = ' class="newpage"'  # like the original: 前言, 基本情况, 1. each open a page
            chapter_seen = chapter_seen or b["kind"] == "chapter"
            if layout == "A" and b["kind"] == "case":
                out.append('<div class="case">')
                in_case = True
            out.append(f"<h{level}{cls}>{inline(text)}</h{level}>")
            headings.append((re.sub(r"\s+", " ", text).strip(), level))
        elif t == "para":
            out.append(f"<p>{inline(b['text'])}</p>")
        elif t == "footnote":
            out.append(f'<p class="fn">{inline(b["text"])}</p>')
        elif t == "note":
            out.append(f'<p class="note">{inline(b["text"])}</p>')
        elif t == "figure":
            close_case()
            out.append('<div class="fig"></div>')
        elif t == "figcaption":
            close_case()
            out.append(f'<p class="figcap">{inline(b["text"])}</p>')
        elif t == "table":
            close_case()
            out.append(f'<p class="tcap">{inline(b["caption"])}</p>')
            out.append(table_html(b["rows"]))
        else:
            raise GenerationError(f"unknown block {t}")
    close_case()
    return "\n".join(out)


def front_html(cover, tocs, headings):
    out = ['<div class="cover">']
    title, rest = cover[0], cover[1:]
    title = heading_text(title) if title.startswith("#") else title
    out.append(f"<h1>{inline(title)}</h1>")
    headings.append((re.sub(r"\s+", " ", title), 1))
    for line in rest:
        out.append(f"<p>{inline(line.strip())}</p>")
    out.append("</div>")
    for toc in tocs:
        out.append('<div class="tocblock">')
        out.append(f"<h2>{inline(toc['title'])}</h2>")
        headings.append((toc["title"], 2))
        for title, number in toc["entries"]:
            out.append(f'<div class="toce"><span class="tt">{inline(title)}</span>'
                       f'<span class="ld"></span><span class="pg">{number}</span></div>')
        out.append("</div>")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Layout B text transform
# ---------------------------------------------------------------------------

def cn_numeral(n):
    if n <= 0 or n >= 100:
        raise GenerationError(f"no Chinese numeral for {n}")
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def layout_b_headings(blocks):
    """Sets b_text/b_level on heading blocks (b_level None: not a heading in layout B)."""
    case_no = 0
    for b in blocks:
        if b["type"] != "heading":
            continue
        text, kind = b["text"], b["kind"]
        if kind == "subsection":
            m = RE_SUBSECTION.match(text)
            b["b_text"], b["b_level"] = f"{int(m.group(3))}. {m.group(4)}", 3
        elif kind == "section":
            m = RE_SECTION.match(text)
            b["b_text"], b["b_level"] = f"（{cn_numeral(int(m.group(2)))}）{m.group(3)}", 2
        elif kind == "chapter":
            m = RE_CHAPTER.match(text)
            b["b_text"], b["b_level"] = f"{cn_numeral(int(m.group(1)))}、{m.group(2)}", 1
        elif kind == "case":
            case_no += 1
            m = RE_CASE.match(text)
            b["b_text"], b["b_level"] = f"【案例{case_no}】{m.group(3)}", 4
        elif kind == "named":
            b["b_text"], b["b_level"] = re.sub(r"\s+", "", text), 1
        else:
            b["b_text"], b["b_level"] = text, None
    return case_no


def layout_b_text(body_lines, blocks):
    by_line = {b["line"]: b for b in blocks if b["type"] == "heading"}
    out = [f"# {REPORT_TITLE}", ""]
    for i, line in enumerate(body_lines):
        if i in by_line:
            out.append(by_line[i]["b_text"])
        else:
            out.append(line.rstrip())
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------

def start_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--font-render-hinting=none", "--hide-scrollbars"):
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as error:
        raise GenerationError(f"cannot start headless Chromium via {CHROMEDRIVER}: {error}") from error


def header_a():
    return (f"<div style=\"width:100%; box-sizing:border-box; padding:9mm 20mm 0; "
            f"font-family:'Noto Serif CJK SC'; font-size:9pt; color:#000;\">"
            f"<div style=\"text-align:center; border-bottom:0.5pt solid #000; padding-bottom:2pt;\">"
            f"{html.escape(HEADER_A)}</div></div>")


def footer_a():
    return ("<div style=\"width:100%; box-sizing:border-box; padding:0 20mm 9mm; text-align:center; "
            "font-family:'Noto Serif CJK SC'; font-size:9pt; color:#000;\">"
            "<span class=\"pageNumber\"></span></div>")


def header_b():
    return (f"<div style=\"width:100%; box-sizing:border-box; padding:8mm 18mm 0; text-align:left; "
            f"font-family:'WenQuanYi Micro Hei'; font-size:8pt; color:#333;\">{html.escape(HEADER_B)}</div>")


def footer_b():
    return ("<div style=\"width:100%; box-sizing:border-box; padding:0 18mm 8mm; text-align:right; "
            "font-family:'WenQuanYi Micro Hei'; font-size:8pt; color:#333;\">"
            "第 <span class=\"pageNumber\"></span> 页 共 <span class=\"totalPages\"></span> 页</div>")


def print_pdf(driver, html_text, tmp, name, out_path, header=None, footer=None,
              margins=(22, 20, 22, 20), leaders=False):
    html_path = os.path.join(tmp, name + ".html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html_text)
    driver.get("file://" + html_path)
    driver.execute_script("return document.fonts.ready.then(function () { return true; });")
    if leaders:
        driver.execute_script(LEADER_JS)
    top, right, bottom, left = (m * MM for m in margins)
    params = {
        "paperWidth": A4_W, "paperHeight": A4_H,
        "marginTop": top, "marginBottom": bottom, "marginLeft": left, "marginRight": right,
        "printBackground": True, "preferCSSPageSize": False,
        "generateDocumentOutline": True,  # needs the default generateTaggedPDF
        "displayHeaderFooter": bool(header or footer),
    }
    if header or footer:
        params["headerTemplate"] = header or "<span></span>"
        params["footerTemplate"] = footer or "<span></span>"
    result = driver.execute_cdp_cmd("Page.printToPDF", params)
    with open(out_path, "wb") as f:
        f.write(base64.b64decode(result["data"]))
    return out_path


# ---------------------------------------------------------------------------
# Truth from the outline
# ---------------------------------------------------------------------------

def outline_entries(reader):
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            page = reader.get_destination_page_number(item)
            entries.append((re.sub(r"\s+", " ", str(item.title)).strip(), depth, page + 1))

    walk(reader.outline, 1)
    return entries


def merge_pdfs(sources, out_path, rendered):
    """Concatenates PDFs keeping their outlines; repairs one Chromium quirk on the way.

    Chromium's generated outline sometimes doubles a heading's title (`7.2 改革举措7.2 改革举措`)
    when a break-after: avoid heading is pushed to the next page. Such a title is set back
    to the rendered heading text. Returns the number of titles repaired."""
    writer = PdfWriter()
    for source in sources:
        writer.append(source, import_outline=True)
    expected = iter([title for title, _ in rendered])
    repaired = 0

    def walk(node):
        nonlocal repaired
        while node is not None:
            node = node.get_object()
            title = str(node.get("/Title", ""))
            want = next(expected, None)
            if want is not None and title != want and re.sub(r"\s+", " ", title).strip() == want + want:
                node[NameObject("/Title")] = TextStringObject(want)
                print(f"note: outline title {title!r} repaired to {want!r}", file=sys.stderr)
                repaired += 1
            if "/First" in node:
                walk(node["/First"])
            node = node.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    if outlines is not None and "/First" in outlines.get_object():
        walk(outlines.get_object()["/First"])
    with open(out_path, "wb") as f:
        writer.write(f)
    return repaired


def build_truth(pdf_path, name, header, front_pages, rendered, printed_of):
    reader = PdfReader(pdf_path)
    entries = outline_entries(reader)
    if len(entries) != len(rendered):
        raise GenerationError(
            f"{name}: outline has {len(entries)} entries but {len(rendered)} headings were rendered")
    headings = []
    for (title, depth, page), (r_title, level) in zip(entries, rendered):
        if title != r_title:
            raise GenerationError(f"{name}: outline entry {title!r} does not match rendered heading {r_title!r}")
        headings.append({"title": title, "level": level, "outlineDepth": depth, "page": page,
                         "printed": printed_of(page)})
    return {"pdf": name, "pages": len(reader.pages), "frontPages": front_pages,
            "header": header, "headings": headings}


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")


def page_count(path):
    return len(PdfReader(path).pages)


def pdfinfo_summary(path):
    proc = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    text = (proc.stdout + proc.stderr).strip().splitlines()
    wanted = [l for l in text if l.startswith(("Pages:", "Encrypted:", "Syntax Error", "Command Line Error", "Error"))]
    return f"pdfinfo rc={proc.returncode}: " + " | ".join((wanted or text)[:3])


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def generate(report, out_dir):
    started = time.time()
    with open(report, encoding="utf-8") as f:
        seed = f.read()
    cover, tocs, body_lines = split_report(seed)
    blocks = parse_body(body_lines)
    cases = sum(1 for b in blocks if b["type"] == "heading" and b["kind"] == "case")
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="anli-pdf-fixtures-")
    driver = None
    try:
        driver = start_driver()

        # ---- layout A: front matter and body printed separately, then merged
        front_headings, body_headings = [], []
        front_pdf = print_pdf(driver, page(CSS_A, front_html(cover, tocs, front_headings)), tmp, "front",
                              os.path.join(tmp, "front.pdf"), margins=(22, 20, 22, 20), leaders=True)
        body_html = render_blocks(blocks, "A", body_headings)
        body_pdf = print_pdf(driver, page(CSS_A, body_html), tmp, "body", os.path.join(tmp, "body.pdf"),
                             header=header_a(), footer=footer_a())
        front_pages = page_count(front_pdf)
        gz_pdf = os.path.join(out_dir, "gz-2024.pdf")
        repaired = merge_pdfs([front_pdf, body_pdf], gz_pdf, front_headings + body_headings)
        if repaired:
            print(f"note: repaired {repaired} doubled outline title(s) in gz-2024.pdf (Chromium quirk)", file=sys.stderr)
        truth_a = build_truth(gz_pdf, "gz-2024.pdf", HEADER_A, front_pages, front_headings + body_headings,
                              lambda p: None if p <= front_pages else str(p - front_pages))
        write_truth(out_dir, "gz-2024", truth_a, lambda title: RE_CASE.match(title), cases, f" ({front_pages} front)")

        # ---- layout B
        n_case_b = layout_b_headings(blocks)
        b_text = layout_b_text(body_lines, blocks)
        b_md = os.path.join(out_dir, "layout-b.md")
        with open(b_md, "w", encoding="utf-8") as f:
            f.write(b_text)
        print(f"{b_md}: {b_text.count(chr(10))} lines")
        b_headings = []
        title_block = {"type": "heading", "text": REPORT_TITLE, "kind": "named", "level": 1,
                       "b_text": REPORT_TITLE, "b_level": 1, "title": True}
        b_html = render_blocks([title_block] + blocks, "B", b_headings)
        # A label turned up the outer margin of every page (position: fixed
        # repeats it on each printed page), as some reports print a tab with
        # the report's name: rotated text that is not running text.
        b_html = ('<div style="position: fixed; top: 120mm; right: -14mm; transform: rotate(90deg); '
                  'font-size: 8pt; color: #666;">中等职业教育质量年度报告</div>\n') + b_html
        b_raw = print_pdf(driver, page(CSS_B, b_html), tmp, "layout-b", os.path.join(tmp, "layout-b.pdf"),
                          header=header_b(), footer=footer_b(), margins=(20, 18, 20, 18))
        b_pdf = os.path.join(out_dir, "layout-b.pdf")
        repaired = merge_pdfs([b_raw], b_pdf, b_headings)
        if repaired:
            print(f"note: repaired {repaired} doubled outline title(s) in layout-b.pdf (Chromium quirk)", file=sys.stderr)
        truth_b = build_truth(b_pdf, "layout-b.pdf", HEADER_B, 0, b_headings, lambda p: str(p))
        write_truth(out_dir, "layout-b", truth_b, lambda title: title.startswith("【案例"), n_case_b, "")

        # ---- long.pdf: layout A body repeated until >= 100 pages
        print_long(driver, tmp, out_dir, "long", CSS_A, body_html, page_count(body_pdf),
                   '<div class="bodystart"></div>', "the layout A body", header=header_a(), footer=footer_a())

        # ---- long-truetype.pdf: layout B without bold, >= 100 pages. Every
        # glyph is in the TrueType font, embedded as a CID font as office
        # suites embed theirs; Chromium draws the Noto CJK fonts, and any
        # bold it has to fake, as Type 3 fonts, which poppler reads several
        # times slower. The speed benchmark reads both.
        print_long(driver, tmp, out_dir, "long-truetype", CSS_B + "\n* { font-weight: normal !important; }\n",
                   b_html, truth_b["pages"], '<div style="break-before: page"></div>', "layout B, no bold",
                   header=header_b(), footer=footer_b(), margins=(20, 18, 20, 18))

        # ---- bad PDFs
        paras = [b["text"] for b in blocks if b["type"] == "para" and len(b["text"]) > 120][:6]
        small_body = ("<h1>前言</h1>" + "".join(f"<p>{inline(p)}</p>" for p in paras[:3])
                      + '<div class="bodystart"></div><h2>基本情况</h2>'
                      + "".join(f"<p>{inline(p)}</p>" for p in paras[3:6]))
        small_pdf = print_pdf(driver, page(CSS_A, small_body), tmp, "small", os.path.join(tmp, "small.pdf"),
                              header=header_a(), footer=footer_a())
        if page_count(small_pdf) != 2:
            raise GenerationError(f"small source PDF has {page_count(small_pdf)} pages, expected 2")

        enc = PdfWriter()
        enc.append(small_pdf)
        enc.encrypt("secret")
        path = os.path.join(out_dir, "encrypted.pdf")
        with open(path, "wb") as f:
            enc.write(f)
        print(f"{path}: {pdfinfo_summary(path)}")

        subprocess.run(["pdftoppm", "-r", "100", "-png", small_pdf, os.path.join(tmp, "scan")], check=True)
        images = sorted(p for p in os.listdir(tmp) if p.startswith("scan") and p.endswith(".png"))
        scan_body = "".join(
            f'<img src="{html.escape(os.path.join(tmp, p))}" style="display:block; width:210mm; height:296mm;'
            f'{" page-break-after:always;" if k < len(images) - 1 else ""}">' for k, p in enumerate(images))
        path = print_pdf(driver, page("html,body{margin:0;padding:0}", scan_body), tmp, "scanned",
                         os.path.join(out_dir, "scanned.pdf"), margins=(0, 0, 0, 0))
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
        if text.strip():
            raise GenerationError(f"scanned.pdf has extractable text: {text.strip()[:80]!r}")
        print(f"{path}: {pdfinfo_summary(path)} (no extractable text)")

        with open(small_pdf, "rb") as f:
            data = f.read()
        path = os.path.join(out_dir, "truncated.pdf")
        with open(path, "wb") as f:
            f.write(data[: int(len(data) * 0.55)])
        print(f"{path}: {pdfinfo_summary(path)}")

        path = os.path.join(out_dir, "zero-pages.pdf")
        with open(path, "wb") as f:
            PdfWriter().write(f)
        print(f"{path}: {pdfinfo_summary(path)}")

        path = os.path.join(out_dir, "not-a-pdf.pdf")
        with open(path, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404</title></head>\n"
                    "<body><h1>页面不存在</h1><p>您访问的质量年报文件已被移除。</p></body></html>\n")
        print(f"{path}: {pdfinfo_summary(path)}")
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"done in {time.time() - started:.1f}s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", required=True, help="the seed text report (markdown-ish)")
    parser.add_argument("--out", required=True, help="output directory (created)")
    args = parser.parse_args()
    try:
        generate(args.report, args.out)
    except (GenerationError, OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"generate.py: error: {error}")


if __name__ == "__main__":
    main()
