#!/usr/bin/env python3
"""Synthetic corpora for the benchmark and the load tool. Standard library
only (the load tool runs it with the system python3).

Two kinds:

- `synthesize(copies, directory)`: N byte-identical copies of corpus/'s
  reports with distinct report ids and years. Every term has the same
  statistics in every report: the worst case for posting lists and ranking.
- `synthesize_realistic(count, directory, seed=1)`: N reports of generated
  regions (cities), several report years each (2019–2025), each region with
  its own generated schools and districts, all merged into one
  schools.json. Every report is recombined from the seed report
  (corpus/guangzhou-2024.md) at sentence level, keeping its layout
  (headings, cases, tables, figures, tables of contents, footnotes), so that
  the parser cuts it into the same kinds and about the same numbers of
  units, while the prose, the school names, the numbers and the years
  differ from report to report, and topic terms get different frequencies.
  Deterministic from the seed: the same seed gives byte-identical files.

Command line:

    python3 tools/bench/synthetic.py --realistic N [--seed S] DIR
    python3 tools/bench/synthetic.py --copies N DIR
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "corpus")


def synthesize(copies, directory):
    """Writes `copies` copies of corpus/'s reports with distinct ids and
    years, labelled synthetic in the manifest and the file names."""
    manifest = json.load(open(os.path.join(SOURCE, "reports.json"), encoding="utf-8"))
    os.makedirs(directory, exist_ok=True)
    for name in ("schools.json", "synonyms.json"):
        shutil.copy(os.path.join(SOURCE, name), directory)
    reports = []
    for copy in range(copies):
        for report in manifest["reports"]:
            name = f"synthetic-{copy:04d}-{report['file']}"
            shutil.copy(os.path.join(SOURCE, report["file"]), os.path.join(directory, name))
            entry = dict(report)
            entry.update(id=f"synthetic-{copy:04d}-{report['id']}", year=report["year"] - copy, file=name,
                         title=f"[synthetic copy {copy}] {report['title']}", synthetic=True)
            reports.append(entry)
    json.dump({"reports": reports}, open(os.path.join(directory, "reports.json"), "w", encoding="utf-8"), ensure_ascii=False)


# ---------------------------------------------------------------------------
# Realistic corpora
# ---------------------------------------------------------------------------

REPORT_YEARS = (2019, 2025)
DEFAULT_SEED = 1

# Terms whose frequency should differ from report to report, the way one
# city's report stresses AI and another's apprenticeships. A sentence holding
# one of them is dropped or repeated more or less often depending on the
# weight the report draws for the term.
TOPIC_TERMS = ("产教融合", "人工智能", "专业群", "现代学徒制", "技能大赛", "职普融通", "综合高中", "非遗", "乡村振兴",
               "思政", "劳动教育", "数字化", "校企合作", "双师型", "国际化", "心理健康", "实训基地", "中高企协同",
               "工匠精神", "红色", "虚拟仿真", "精品课程", "岗课赛证", "电商", "1+X", "AI", "职教高考", "订单")

# --- Place names ------------------------------------------------------------
# City names are a first and a second character with their pinyin (the
# region code in report ids). District and county names come from a separate
# pool sharing no character with the city pools, so that a district's short
# name can never be read across the boundary of a city name in the text.
CITY_FIRST = dict(pair.split(":") for pair in (
    "临:lin 清:qing 永:yong 长:chang 金:jin 玉:yu 云:yun 龙:long 凤:feng 鹤:he 松:song 柳:liu 桂:gui 梅:mei 兰:lan "
    "泉:quan 丰:feng 昌:chang 盛:sheng 泰:tai 嘉:jia 瑞:rui 宝:bao 乐:le 康:kang 庆:qing 定:ding 远:yuan 崇:chong "
    "茂:mao 武:wu 文:wen 恩:en 怀:huai 靖:jing 宜:yi 普:pu 连:lian 鸿:hong 合:he 淮:huai 洛:luo 汉:han 湘:xiang "
    "赣:gan 闽:min 黔:qian 滇:dian 蜀:shu 荆:jing 襄:xiang 潞:lu 汾:fen 渭:wei 泾:jing 沂:yi 潍:wei 苍:cang 岑:cen "
    "峨:e 黎:li 涟:lian 濮:pu 漳:zhang 潮:chao 韩:han 梧:wu 榕:rong 樟:zhang 楠:nan 枫:feng 桃:tao 杏:xing 莲:lian "
    "荷:he 菱:ling 蓉:rong 芙:fu 芷:zhi 蕉:jiao 萍:ping 霞:xia 雁:yan 鹰:ying 骏:jun 麒:qi 鹿:lu 岚:lan 崂:lao "
    "岱:dai 嵩:song 衡:heng 恒:heng 昭:zhao 晋:jin 晏:yan 曜:yao 旭:xu 晨:chen 星:xing 辰:chen 弘:hong 振:zhen "
    "兆:zhao 寿:shou 福:fu 禄:lu 吉:ji 祁:qi 郴:chen 邵:shao 郦:li 鄞:yin 郯:tan 琼:qiong 瑶:yao 璧:bi 琳:lin").split())
CITY_SECOND = dict(pair.split(":") for pair in (
    "江:jiang 州:zhou 阳:yang 安:an 宁:ning 平:ping 川:chuan 源:yuan 山:shan 溪:xi 湖:hu 河:he 泽:ze 陵:ling "
    "丘:qiu 坪:ping 岗:gang 桥:qiao 滩:tan 浦:pu 口:kou 门:men 关:guan 塘:tang 田:tian 谷:gu 坝:ba 岭:ling 渡:du").split())
# Sorted, so that choices do not depend on dictionary order.
CITY_FIRST_CHARACTERS = sorted(CITY_FIRST)
CITY_SECOND_CHARACTERS = sorted(CITY_SECOND)
PLACE_POOL = ("东西南北白青红紫翠碧蓝朱丹岳峡湾滨沙洲港堤埠渚屿汀浔涧潭仁义礼智孝忠顺太古老方圆峰森竹梓槐柏杨桑麻禾稻"
              "麦粟茶草苇芦瓦砖陶铜锦绣罗纱棠杉柚橘榴葵菊梨李杜萧秦钟唐宋明元岩石磐樵渔牧耕织坊亭台阁楼")

# --- School name vocabulary -------------------------------------------------
# (full word, short form) for city-run (局属) schools.
CITY_MAJORS = (("信息技术", "信息"), ("轻工", "轻工"), ("交通运输", "交通"), ("旅游商务", "旅商"), ("医药", "医药"),
               ("城市建设", "城建"), ("财经商贸", "财贸"), ("纺织服装", "纺织"), ("机电工程", "机电"), ("电子信息", "电子"),
               ("建筑工程", "建筑"), ("现代农业", "农业"), ("卫生", "卫生"), ("工贸", "工贸"), ("航运", "航运"),
               ("现代服务", "服务"), ("智能制造", "智造"), ("汽车工程", "汽车"), ("化工", "化工"), ("烹饪", "烹饪"),
               ("外事外贸", "外贸"), ("工艺美术", "工美"), ("电力", "电力"), ("水利水电", "水电"), ("园林园艺", "园林"),
               ("商业", "商业"), ("铁路", "铁路"), ("邮电", "邮电"), ("司法", "司法"))
# City schools named without 职业: 艺术学校, 体育学校, 幼儿师范学校.
CITY_SPECIAL = ("艺术", "体育", "幼儿师范")
DISTRICT_WORDS = ("理工", "工商", "卫生", "商贸", "农业", "工艺美术", "旅游", "机电", "财贸", "建筑", "信息", "新城")
PRIVATE_WORDS = ("华成理工", "博文", "育才", "东方", "明德", "启航", "精英", "英才", "南华", "科汇", "鸿图", "远航", "德信",
                 "恒达", "北斗", "天成", "光华", "华夏", "新科")
OTHER_TRAINING_WORDS = ("燃气", "电力", "交通", "港务", "建工")
COLLEGE_WORDS = ("铁路", "卫生", "城市", "工程", "科技", "交通", "建设", "轻工", "工贸", "农林", "商贸", "信息", "航空",
                 "海事")
UNIVERSITY_PATTERNS = ("{c}职业技术大学", "{c}大学", "{c}理工大学", "{c}师范大学", "{c}科技大学")
CHINESE_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")

# What each gazetteer kind of the seed becomes: schools of the seed are
# replaced by generated schools of the same category.
CATEGORY_OF_KIND = {"局属": "city", None: "city", "区属": "district", "民办": "private", "其他": "other", "高职": "college",
                    "本科": "university", "外地": "partner", "境外": "partner"}
KIND_OF_CATEGORY = {"city": "局属", "district": "区属", "private": "民办", "other": "其他", "college": "高职",
                    "university": "本科", "partner": "外地"}
CATEGORIES = ("city", "district", "private", "other", "college", "university", "partner")


# --- Tokens -------------------------------------------------------------------
# Every text of the seed is cut once into pieces: literal strings, and
# tuples the renderer fills in per report:
#   ("N", surface)                          a school, city or district name
#   ("Y", year)                             a year, shifted to the report's
#   ("I", value, grouped, percent)          an integer, perturbed
#   ("D", value, decimals, grouped, percent) a decimal, perturbed
# so that rendering a report is lookups and joins, not regular expressions.

FOOTNOTE_MARKERS = "".join(chr(c) for c in range(0x2460, 0x2474))
SENTENCE_ENDS = set("。！？!?；;…：:")
SPLIT_ENDS = set("。！？!?")
CLOSERS = set("”’」』）)】》\"'")
OPENING = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】"}
CLOSING = set(OPENING.values())
# A page-break continuation starting with one of these could read as a
# caption, case marker or numbered heading.
HEADING_STARTERS = set("图表续案典第【（(一二三四五六七八九十百零〇") | set("0123456789")


def is_ideograph(character):
    return "\u4e00" <= character <= "\u9fff"


def plain(text):
    """The text a reader sees, as the parser's Markup.plainText gives it."""
    text = re.sub(r"<sup>\s*(.*?)\s*</sup>", r"\1", text)
    return text.replace("**", "").strip()


def ends_sentence(paragraph):
    """The parser's PageBreakRepair.endsSentence: a paragraph that does not
    end a sentence is joined with the next one."""
    for character in reversed(plain(paragraph)):
        if character in SENTENCE_ENDS:
            return True
        if character in CLOSERS or character in FOOTNOTE_MARKERS or character.isspace():
            continue
        return False
    return True


class Tokenizer:
    """Cuts seed text into pieces (see above). Names are matched longest
    first, as the parser's NameMatcher does."""

    def __init__(self, surfaces):
        names = "|".join(re.escape(s) for s in sorted(surfaces, key=lambda s: (-len(s), s)))
        sup = r"(?P<sup><sup>.*?</sup>)"
        name = rf"(?P<name>{names})"
        # References (表 1-2, 案例 3-1), ordinals (第 17 届) and product names
        # (双 11) keep their digits.
        ref = r"(?P<ref>(?:续)?[表图]\s*\d+(?:\s*[-－—–]\s*\d+)+|案例\s*\d+(?:\s*[-－—–]\s*\d+)+|第\s*\d+|双\s*\d+)"
        year = r"(?P<year>(?<![\d.,])(?:199\d|20[0-3]\d)(?!\d|\.\d|\s*[%％]))"
        # Numbers glued to Latin letters, +, · or - are names (5S, 3D, 1+X,
        # 5·25, SK-2), and so is a number standing alone in quotes (“618”);
        # days, months and grades (23 级) are not quantities either.
        number = (r"(?P<number>(?<![A-Za-z+·\-\d.,“])(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
                  r"(?![A-Za-z+·\d]|\.\d|\s*[月日号时级届])(?P<suffix>[:：]1(?!\d)|\s*[%％])?)")
        self.title_expression = re.compile("|".join((sup, name, year)))
        self.prose_expression = re.compile("|".join((sup, name, ref, year, number)))

    def title(self, text):
        """Headings, captions, tables of contents, footnotes: names and years
        only, so that a title and its table-of-contents entry stay equal."""
        return self._cut(text, self.title_expression)

    def prose(self, text):
        return self._cut(text, self.prose_expression)

    def cell(self, text):
        # A small whole-cell integer is a running number or rank (序号, 排名).
        if re.fullmatch(r"\s*\d{1,2}\s*", text) and int(text) <= 30:
            return (text,)
        return self._cut(text, self.prose_expression)

    @staticmethod
    def _cut(text, expression):
        pieces = []
        position = 0
        for match in expression.finditer(text):
            if match.start() > position:
                pieces.append(text[position:match.start()])
            found = {group for group, value in match.groupdict().items() if value is not None}
            if "name" in found:
                pieces.append(("N", match.group(0)))
            elif "year" in found:
                pieces.append(("Y", int(match.group(0))))
            elif "number" in found:
                pieces += Tokenizer._number(match)
            else:  # a footnote marker or a reference: kept as written
                pieces.append(match.group(0))
            position = match.end()
        if position < len(text):
            pieces.append(text[position:])
        return Tokenizer._merged(pieces)

    @staticmethod
    def _number(match):
        digits, fraction, suffix = match.group("digits"), match.group("fraction"), match.group("suffix") or ""
        grouped = "," in digits
        value = int(digits.replace(",", ""))
        percent = "%" in suffix or "％" in suffix
        piece = ("D", value + int(fraction) / 10 ** len(fraction), len(fraction), grouped, percent) if fraction \
            else ("I", value, grouped, percent)
        return [piece, suffix] if suffix else [piece]

    @staticmethod
    def _merged(pieces):
        out = []
        for piece in pieces:
            if isinstance(piece, str) and out and isinstance(out[-1], str):
                out[-1] += piece
            elif piece != "":
                out.append(piece)
        return tuple(out)


def split_sentences(text):
    """Sentences of a paragraph, cut after 。！？ outside quotes and brackets,
    each keeping its closing quotes, bold marks and footnote markers. A
    paragraph whose brackets do not balance stays one sentence."""
    sentences, start, depth, index = [], 0, 0, 0
    while index < len(text):
        character = text[index]
        if character in OPENING:
            depth += 1
        elif character in CLOSING:
            depth = max(0, depth - 1)
        elif character in SPLIT_ENDS and depth == 0:
            end = index + 1
            while end < len(text):
                if text.startswith("**", end) and text[start:end].count("**") % 2 == 1:
                    end += 2
                elif text.startswith("<sup>", end) and "</sup>" in text[end:]:
                    end = text.index("</sup>", end) + len("</sup>")
                elif text[end] in CLOSERS:
                    end += 1
                else:
                    break
            sentences.append(text[start:end])
            start = index = end
            continue
        index += 1
    if start < len(text):
        sentences.append(text[start:])
    if depth != 0:
        return [text]
    return sentences


class Paragraph:
    """A prose paragraph of the seed: a lead sentence that stays first (it
    names a case's school and decides whether prose after a case is the
    section's again), sentences that may move, and sentences pinned to it
    (footnote citations, a trailing fragment)."""

    def __init__(self, chapter, text, tokenizer):
        self.chapter = chapter
        sentences = split_sentences(text)
        self.lead = tokenizer.prose(sentences[0])
        self.movable = []   # (pieces, topic indices)
        self.pinned = []    # (position among the paragraph's sentences, pieces)
        self.tail = None
        for position, sentence in enumerate(sentences[1:], start=1):
            pieces = tokenizer.prose(sentence)
            if position == len(sentences) - 1 and not ends_sentence(sentence):
                self.tail = pieces
            elif re.search(rf"<sup>\s*[{FOOTNOTE_MARKERS}]\s*</sup>", sentence):
                # A footnote is cited once: its citation can be neither
                # dropped nor repeated.
                self.pinned.append((position, pieces))
            else:
                topics = tuple(i for i, term in enumerate(TOPIC_TERMS) if term in sentence)
                self.movable.append((pieces, topics))


class SeedModel:
    """The seed report cut once into a skeleton of lines and paragraphs, with
    the seed's gazetteer: what every realistic report is rendered from."""

    def __init__(self):
        manifest = json.load(open(os.path.join(SOURCE, "reports.json"), encoding="utf-8"))
        self.report = manifest["reports"][0]
        self.year = self.report["year"]
        self.region = self.report["region"]                 # 广州市
        self.city = self.region[:-1] if self.region.endswith("市") else self.region
        self.gazetteer = json.load(open(os.path.join(SOURCE, "schools.json"), encoding="utf-8"))
        self.text = open(os.path.join(SOURCE, self.report["file"]), encoding="utf-8").read()
        self.surfaces = self._surfaces()
        self.schools = self.gazetteer["schools"]
        self.districts = [district["name"] for district in self.gazetteer["districts"]]
        self.tokenizer = Tokenizer(self.surfaces)
        self.paragraphs = []
        self.items = self._merge_page_breaks(self._scan(self.text.split("\n")))
        self.chapters = sorted({paragraph.chapter for paragraph in self.paragraphs}, key=self._chapter_order)
        # Chapter → [(paragraph number, (pieces, topics))] in reading order.
        self.movable = {chapter: [] for chapter in self.chapters}
        for number, paragraph in enumerate(self.paragraphs):
            self.movable[paragraph.chapter] += [(number, sentence) for sentence in paragraph.movable]

    def _surfaces(self):
        """Every name of the seed a report replaces: the city (广州市, 广州),
        the districts and the schools, with their aliases."""
        surfaces = [self.region, self.city]
        for district in self.gazetteer["districts"]:
            surfaces += [district["name"]] + district["aliases"]
        for school in self.gazetteer["schools"]:
            surfaces += [school["name"]] + school["aliases"]
        return surfaces

    @staticmethod
    def _chapter_order(chapter):
        return (0, chapter) if not chapter.isdigit() else (1, "%04d" % int(chapter))

    def _scan(self, lines):
        """Lines to skeleton items: ("text", pieces) for lines rendered with
        names and years substituted, ("row", [pieces…]) for table rows,
        ("blank", line), ("footnote", pieces), ("para", raw text, chapter)."""
        items, in_body, chapter = [], False, "front"
        for line in lines:
            stripped = line.strip()
            heading = re.match(r"^(#{1,6})\s+(.*)$", line)
            if not in_body:
                if heading and plain(heading.group(2)).replace(" ", "") == "前言":
                    in_body = True
                else:
                    items.append(("text", self.tokenizer.title(line)) if stripped else ("blank", line))
                    continue
            if not stripped:
                items.append(("blank", line))
            elif heading:
                chapter = self._chapter_of(plain(heading.group(2)), chapter)
                items.append(("text", self.tokenizer.title(line)))
            elif re.match(rf"^<sup>\s*[{FOOTNOTE_MARKERS}]\s*</sup>", stripped):
                items.append(("footnote", self.tokenizer.title(line)))
            elif "\t" in line:
                items.append(("row", [self.tokenizer.cell(cell) for cell in line.split("\t")]))
            elif re.match(r"^(续)?[图表]\s*\d", plain(stripped)) or self._is_source_note(stripped, items):
                items.append(("text", self.tokenizer.title(line)))
            else:
                items.append(("para", stripped, chapter))
        return items

    @staticmethod
    def _chapter_of(heading, current):
        """Chapters are the top-level numbered sections and the named ones
        (前言, 基本情况); sentences move only within their chapter."""
        numbered = re.match(r"^(\d+)\.?\s", heading)
        if numbered:
            return numbered.group(1)
        if re.match(r"^(案例|\d)", heading):
            return current
        compact = heading.replace(" ", "")
        return compact if compact in ("前言", "基本情况") else current

    @staticmethod
    def _is_source_note(line, items):
        previous = next((item for item in reversed(items) if item[0] != "blank"), None)
        return previous is not None and previous[0] == "row" and re.match(r"^(数据来源|资料来源|来源|注)[：:]", line)

    def _merge_page_breaks(self, items):
        """Undoes the seed's page breaks (a paragraph cut mid-sentence, perhaps
        with the page's footnotes in between, perhaps with the character at
        the cut repeated) as the parser does, so that sentences can move; the
        renderer puts page breaks back at places of its own."""
        out = []
        for item in items:
            if item[0] == "para":
                index = len(out) - 1
                while index >= 0 and out[index][0] in ("blank", "footnote"):
                    index -= 1
                if index >= 0 and out[index][0] == "para" and not ends_sentence(out[index][1]):
                    previous, continuation = out[index][1], item[1]
                    last = plain(previous)[-1:]
                    if last and continuation.startswith(last) and len(continuation) > 1 and not is_ideograph(continuation[1]) \
                            and not continuation[1].isalnum():
                        continuation = continuation[1:]
                    footnotes = [x for x in out[index + 1:] if x[0] == "footnote"]
                    out[index + 1:] = []
                    out[index] = ("para", previous + continuation, out[index][2])
                    for footnote in footnotes:
                        out += [("blank", ""), footnote]
                    continue
            out.append(item)
        items = []
        for item in out:
            if item[0] == "para":
                self.paragraphs.append(Paragraph(item[2], item[1], self.tokenizer))
                items.append(("para", len(self.paragraphs) - 1))
            else:
                items.append(item)
        return items


# --- Regions ------------------------------------------------------------------

class PlaceNamer:
    """Unique place names across the whole corpus: a city name must not name
    two regions, and a district's or county's short name must be unique and
    must not occur in the seed's text or inside a school-name word, or the
    parser would find that district where none is named."""

    def __init__(self, rng, forbidden_text):
        self.rng = rng
        self.forbidden = forbidden_text
        self.used = set()
        self.codes = set()

    def city(self):
        for _ in range(10000):
            first = self.rng.choice(CITY_FIRST_CHARACTERS)
            second = self.rng.choice(CITY_SECOND_CHARACTERS)
            name = first + second
            if name not in self.used and name not in self.forbidden:
                self.used.add(name)
                code = CITY_FIRST[first] + CITY_SECOND[second]
                suffix = 2
                while code in self.codes:
                    code, suffix = f"{CITY_FIRST[first]}{CITY_SECOND[second]}{suffix}", suffix + 1
                self.codes.add(code)
                return name, code
        raise RuntimeError("out of city names")

    def place(self):
        """A district or county short name: two characters, three when the
        two-character names run out."""
        pool = PLACE_POOL
        for attempt in range(20000):
            length = 2 if attempt < 2000 else 3
            name = "".join(self.rng.choice(pool) for _ in range(length))
            if len(set(name)) == length and name not in self.used and name not in self.forbidden:
                self.used.add(name)
                return name
        raise RuntimeError("out of place names")


class School:
    def __init__(self, identifier, name, category, district=None, aliases=()):
        self.id, self.name, self.category, self.district, self.aliases = identifier, name, category, district, list(aliases)

    def gazetteer_entry(self, region):
        return {"id": self.id, "name": self.name, "district": self.district, "kind": KIND_OF_CATEGORY[self.category],
                "aliases": self.aliases, "notes": f"synthetic school of {region.city}市"}


class Region:
    """A generated city: its districts, its schools (by category), the years
    it published a report for, and a size factor for its counts."""

    def __init__(self, index, seed, namer, years):
        rng = random.Random(f"{seed}:region:{index}")
        self.city, self.code = namer.city()
        self.years = years
        self.size = math.exp(rng.gauss(0, 0.35))
        self.districts = [namer.place() for _ in range(rng.randint(3, 6))]
        self.schools = {category: [] for category in CATEGORIES}
        self._city_schools(rng)
        self._district_schools(rng)
        self._private_schools(rng)
        self._other_schools(rng)
        self._colleges(rng)
        self._universities(rng)
        self._partner_schools(rng, namer)

    def _add(self, category, name, district=None, aliases=()):
        number = len(self.schools[category]) + 1
        self.schools[category].append(School(f"{self.code}-{category}-{number}", name, category, district, aliases))

    @staticmethod
    def _some(rng, candidates, probability):
        return [candidate for candidate in candidates if rng.random() < probability]

    def _city_schools(self, rng):
        c = self.city
        for full, short in rng.sample(CITY_MAJORS, rng.randint(5, 10)):
            if rng.random() < 0.5 or full.endswith("技术"):  # not 信息技术职业技术学校
                name, variants = f"{c}市{full}职业学校", [f"{c}{short}职校", f"{c}市{full}职业技术学校", f"{c}市{full}职业许校"]
            else:
                name, variants = f"{c}市{full}职业技术学校", [f"{c}{short}职校", f"{c}市{full}职业学校"]
            if short != full:
                variants.append(f"{c}市{short}职业技术学校" if name.endswith("职业学校") else f"{c}市{short}职业学校")
            self._add("city", name, aliases=self._some(rng, variants, 0.3)[:2])
        for word in rng.sample(CITY_SPECIAL, rng.randint(0, 2)):
            self._add("city", f"{c}市{word}学校", aliases=self._some(rng, [f"{c}{word[:1]}校"], 0.4))

    def _district_schools(self, rng):
        c = self.city
        for short in self.districts:
            district = short + "区"
            self._add("district", f"{c}市{district}职业技术学校", district,
                      self._some(rng, [f"{district}职业技术学校", f"{short}职校", f"{c}市{short}职业技术学校"], 0.35))
            words = rng.sample(DISTRICT_WORDS, rng.randint(0, 2))
            for word in words:
                self._add("district", f"{c}市{district}{word}职业技术学校", district,
                          self._some(rng, [f"{district}{word}职业技术学校", f"{c}市{district}{word}职业技术学院"], 0.3)[:1])
            if rng.random() < 0.3:
                self._add("district", f"{c}市{short}职业高级中学", district, self._some(rng, [f"{short}职中"], 0.6))

    def _private_schools(self, rng):
        for word in rng.sample(PRIVATE_WORDS, rng.randint(1, 4)):
            self._add("private", f"{self.city}{word}职业技术学校", aliases=self._some(rng, [f"{self.city}{word}职校"], 0.3))

    def _other_schools(self, rng):
        ordinal = rng.choice(CHINESE_ORDINALS)
        self._add("other", f"{self.city}市第{ordinal}中学", aliases=self._some(rng, [f"{self.city}市{ordinal}中"], 0.7))
        if rng.random() < 0.6:
            self._add("other", f"{self.city}{rng.choice(OTHER_TRAINING_WORDS)}培训学院")

    def _colleges(self, rng):
        for word in rng.sample(COLLEGE_WORDS, rng.randint(2, 5)):
            if rng.random() < 0.6:
                self._add("college", f"{self.city}{word}职业技术学院", aliases=self._some(rng, [f"{self.city}{word}职业学院"], 0.3))
            else:
                self._add("college", f"{self.city}{word}职业学院")
        if rng.random() < 0.4:
            self._add("college", f"{self.city}幼儿师范高等专科学校")

    def _universities(self, rng):
        for pattern in rng.sample(UNIVERSITY_PATTERNS, rng.randint(1, 3)):
            self._add("university", pattern.format(c=self.city))

    def _partner_schools(self, rng, namer):
        for _ in range(rng.randint(3, 6)):
            county = namer.place()
            name = rng.choice((f"{county}县中等职业学校", f"{county}县中等职业技术学校", f"{county}县职业技术学校"))
            self._add("partner", name, aliases=self._some(rng, [f"{county}县中职学校", f"{county}职校", f"{county}县职业学校"], 0.4))

    def all_schools(self):
        return [school for category in CATEGORIES for school in self.schools[category]]


def plan_regions(count, seed, model):
    """Regions in order until `count` reports are planned: each publishes
    for a run of 3–7 consecutive years within 2019–2025."""
    namer = PlaceNamer(random.Random(f"{seed}:names"), model.text + "|".join(vocabulary()))
    regions, planned, index = [], 0, 0
    while planned < count:
        rng = random.Random(f"{seed}:years:{index}")
        span = rng.randint(3, 7)
        first = rng.randint(REPORT_YEARS[0], REPORT_YEARS[1] - span + 1)
        years = list(range(first, first + span))[:count - planned]
        regions.append(Region(index, seed, namer, years))
        planned += len(years)
        index += 1
    return regions


def vocabulary():
    """Words inside generated school names: no district may be named by one."""
    words = [full for full, _ in CITY_MAJORS] + [short for _, short in CITY_MAJORS] + list(CITY_SPECIAL)
    words += list(DISTRICT_WORDS) + list(PRIVATE_WORDS) + list(OTHER_TRAINING_WORDS) + list(COLLEGE_WORDS)
    words += ["职业技术学校", "职业学校", "职业技术学院", "职业学院", "高等专科学校", "幼儿师范", "职业高级中学", "中等职业学校",
              "中等职业技术学校", "中职学校", "职业技术大学", "理工大学", "师范大学", "科技大学", "培训学院", "职校", "职中", "许校"]
    return words


def merged_gazetteer(regions):
    """One schools.json for every region. Names and aliases are unique by
    construction (each holds its region's city or county name); checked
    here because the parser warns gazetteer_ambiguous_name otherwise."""
    districts, schools, owners = [], [], {}
    for region in regions:
        districts += [{"name": short + "区", "aliases": [short]} for short in region.districts]
        for school in region.all_schools():
            for name in [school.name] + school.aliases:
                if owners.setdefault(name, school.id) != school.id:
                    raise RuntimeError(f"generated school name {name} belongs to {owners[name]} and {school.id}")
            schools.append(school.gazetteer_entry(region))
    return {"version": 1, "region": "synthetic", "districts": districts, "schools": schools}


# --- Rendering ----------------------------------------------------------------

class ReportRenderer:
    """One report of a region for one year, rendered from the seed model with
    the report's own random generator."""

    def __init__(self, model, region, year, seed):
        self.model, self.region, self.year = model, region, year
        self.rng = random.Random(f"{seed}:report:{region.code}:{year}")
        self.delta = year - model.year
        self.scale = region.size * self.rng.uniform(0.93, 1.07)
        self.names = self._name_map()
        # Characters of prose per page break: the seed has 25 in 40,000.
        self.page_length = self.rng.uniform(1300, 2200)

    # Names

    def _name_map(self):
        """Seed name or alias → this report's name: the city, the districts
        (cyclically over the region's), and each seed school to one of the
        region's schools of the same category, a seed school of a district
        to a school of the district it maps to where there is one."""
        rng, model, region = self.rng, self.model, self.region
        names = {model.region: region.city + "市", model.city: region.city}
        districts = region.districts[:]
        rng.shuffle(districts)
        district_of = {seed: districts[i % len(districts)] for i, seed in enumerate(model.districts)}
        for seed_district in model.gazetteer["districts"]:
            short = district_of[seed_district["name"]]
            names[seed_district["name"]] = short + "区"
            for alias in seed_district["aliases"]:
                names[alias] = short
        target_of = self._school_targets(district_of)
        for school in model.schools:
            target = target_of[school["id"]]
            forms = [target.name] + target.aliases
            names[school["name"]] = target.name
            for index, alias in enumerate(school["aliases"]):
                # Aliases stay aliases where the target has some: the parser
                # must resolve both kinds of form.
                names[alias] = forms[1 + index % (len(forms) - 1)] if len(forms) > 1 else target.name
        return names

    def _school_targets(self, district_of):
        rng, targets = self.rng, {}
        pools = {category: self.region.schools[category][:] for category in CATEGORIES}
        for pool in pools.values():
            rng.shuffle(pool)
        used = {category: 0 for category in CATEGORIES}
        taken = set()
        for school in self.model.schools:
            category = CATEGORY_OF_KIND.get(school["kind"], "city")
            pool = pools[category]
            if category == "district" and school["district"] in district_of:
                # A school of the district the seed's district became (so that
                # a table's 区 column still fits), reused rather than taken
                # from another district.
                district = district_of[school["district"]] + "区"
                candidates = [s for s in pool if s.district == district and s.id not in taken] or \
                    [s for s in pool if s.district == district] or [s for s in pool if s.id not in taken]
                target = candidates[0] if candidates else pool[used[category] % len(pool)]
            else:
                target = pool[used[category] % len(pool)]
            used[category] += 1
            taken.add(target.id)
            targets[school["id"]] = target
        return targets

    # Pieces

    def render(self, pieces):
        out = []
        for piece in pieces:
            if piece.__class__ is str:
                out.append(piece)
            elif piece[0] == "N":
                out.append(self.names[piece[1]])
            elif piece[0] == "Y":
                out.append(str(piece[1] + self.delta))
            else:
                out.append(self._number(piece))
        return "".join(out)

    def _number(self, piece):
        """A number near the seed's, in the seed's format: percentages stay
        percentages (at most 100 when they were), decimals keep their
        decimals, small counts stay small, counts follow the region's size."""
        rng = self.rng
        if piece[0] == "I":
            _, value, grouped, percent = piece
            if percent:
                new = value if value >= 100 and rng.random() < 0.8 else value * rng.uniform(0.9, 1.06)
                new = round(min(new, 100) if value <= 100 else new)
            elif value <= 3:
                new = value
            elif value <= 12:
                new = max(1, value + rng.randint(-2, 2))
            else:
                new = max(1, round(value * self.scale * rng.uniform(0.85, 1.15)))
                if 1990 <= new <= 2039:
                    new = value  # would read as a year
            return f"{new:,}" if grouped else str(new)
        _, value, decimals, grouped, percent = piece
        if percent:
            new = value * rng.uniform(0.9, 1.06)
            if value <= 100:
                new = min(new, 100.0)
        else:
            new = value * rng.uniform(0.88, 1.12)
            if value <= 100 < new:
                new = 2 * value - new  # a score out of 100 stays one
        return f"{new:,.{decimals}f}" if grouped else f"{new:.{decimals}f}"

    # Prose

    def recombine(self):
        """The sentences of every paragraph of the seed, for this report:
        each chapter's movable sentences, some dropped, some repeated (in
        this chapter or another), shuffled so that most stay near where they
        were and some travel to another section or case of the chapter, then
        dealt back to the chapter's paragraphs in proportion to their
        original sizes."""
        chapters = self._reshuffled_chapters()
        dealt = {}
        for chapter in self.model.chapters:
            dealt.update(self._deal(chapter, chapters[chapter]))
        return [self._assemble(paragraph, dealt.get(number, [])) for number, paragraph in enumerate(self.model.paragraphs)]

    def _reshuffled_chapters(self):
        """Chapter → its sentences in their new order. A report draws a
        weight per topic term: a sentence about a heavy topic is dropped
        less and repeated more, one about a light topic the other way
        round, so that term frequencies differ from report to report."""
        rng, model = self.rng, self.model
        weights = [math.exp(rng.gauss(0, 1.0)) for _ in TOPIC_TERMS]
        drop_rate, repeat_rate = rng.uniform(0.05, 0.25), rng.uniform(0.04, 0.15)
        spread, jump_rate = rng.uniform(1.5, 6.0), rng.uniform(0.04, 0.15)
        keyed = {chapter: [] for chapter in model.chapters}
        movable_chapters = [chapter for chapter in model.chapters if model.movable[chapter]]
        for chapter in model.chapters:
            sentences = model.movable[chapter]
            for position, (_, (pieces, topics)) in enumerate(sentences):
                weight = min(10.0, max(0.1, math.prod(weights[topic] for topic in topics)))
                if rng.random() >= min(0.95, drop_rate / weight):
                    # Near its place (a normal spread), or anywhere in the chapter.
                    key = rng.uniform(0, len(sentences)) if rng.random() < jump_rate else position + rng.gauss(0, spread)
                    keyed[chapter].append((key, pieces))
                copies = 0
                while copies < 3 and rng.random() < min(0.7, repeat_rate * weight):
                    target = chapter if rng.random() < 0.5 else rng.choice(movable_chapters)
                    keyed[target].append((rng.uniform(0, max(1, len(model.movable[target]))), pieces))
                    copies += 1
        return {chapter: [pieces for _, pieces in sorted(keyed[chapter], key=lambda pair: pair[0])] for chapter in model.chapters}

    def _deal(self, chapter, sentences):
        """Paragraph number → its share of the chapter's new sentences, in
        order, each paragraph's share proportional to how many movable
        sentences it had."""
        owners = [number for number, _ in self.model.movable[chapter]]
        counts = {}
        for number in owners:
            counts[number] = counts.get(number, 0) + 1
        dealt, cumulative, start = {}, 0, 0
        for number in sorted(counts):
            cumulative += counts[number]
            end = round(cumulative * len(sentences) / len(owners))
            dealt[number] = sentences[start:end]
            start = end
        return dealt

    @staticmethod
    def _assemble(paragraph, movable):
        sentences = [paragraph.lead] + movable
        for position, pieces in paragraph.pinned:
            sentences.insert(min(position, len(sentences)), pieces)
        if paragraph.tail is not None:
            sentences.append(paragraph.tail)
        return sentences

    def with_page_break(self, text):
        """Cuts a paragraph in two as a page break does, more likely the
        longer it is, between two ideographs (rarely repeating the character
        at the cut, as some PDF converters do); the parser joins the halves
        again and notes it (page_break_joined, page_break_duplicate)."""
        rng = self.rng
        if len(text) < 160 or rng.random() >= len(text) / self.page_length:
            return text
        repeat = rng.random() < 0.05
        start = rng.randint(60, len(text) - 60)
        for cut in range(start, min(start + 40, len(text) - 60)):
            before, after = text[cut - 1], text[cut]
            if not is_ideograph(before) or before in HEADING_STARTERS:
                continue
            if repeat and after in "，、":
                return text[:cut] + "\n\n" + before + text[cut:]
            if not repeat and is_ideograph(after) and after not in HEADING_STARTERS:
                return text[:cut] + "\n\n" + text[cut:]
        return text

    def lines(self):
        paragraphs = self.recombine()
        for item in self.model.items:
            kind = item[0]
            if kind == "para":
                yield self.with_page_break("".join(self.render(sentence) for sentence in paragraphs[item[1]]))
            elif kind == "row":
                yield "\t".join(self.render(cell) for cell in item[1])
            elif kind == "blank":
                yield item[1]
            else:
                yield self.render(item[1])


def manifest_entry(region, year, file_name):
    city = region.city + "市"
    return {"id": f"syn-{region.code}-{year}", "title": f"{city}中等职业教育质量报告（{year}年度）", "region": city,
            "publisher": f"{city}教育局", "year": year, "academicYear": f"{year - 1}-{year}", "published": f"{year}-12",
            "file": file_name, "synthetic": True}


def synthesize_realistic(count, directory, seed=DEFAULT_SEED):
    """Writes `count` realistic synthetic reports (see the module's
    docstring) with reports.json, one merged schools.json and corpus/'s
    synonyms.json into `directory`. Returns the report ids."""
    model = SeedModel()
    regions = plan_regions(count, seed, model)
    os.makedirs(directory, exist_ok=True)
    shutil.copy(os.path.join(SOURCE, "synonyms.json"), directory)
    with open(os.path.join(directory, "schools.json"), "w", encoding="utf-8") as out:
        json.dump(merged_gazetteer(regions), out, ensure_ascii=False, indent=1)
    reports = []
    for region in regions:
        for year in region.years:
            entry = manifest_entry(region, year, f"syn-{region.code}-{year}.md")
            renderer = ReportRenderer(model, region, year, seed)
            with open(os.path.join(directory, entry["file"]), "w", encoding="utf-8") as out:
                out.write("\n".join(renderer.lines()))
            reports.append(entry)
    with open(os.path.join(directory, "reports.json"), "w", encoding="utf-8") as out:
        json.dump({"reports": reports}, out, ensure_ascii=False, indent=1)
    return [entry["id"] for entry in reports]


def seed_names(count, seed=DEFAULT_SEED):
    """What the first report of `synthesize_realistic(count, …, seed)` calls
    each school (name and alias), city and district name of the seed: the
    benchmark rewrites its queries, written against corpus/, with it."""
    model = SeedModel()
    region = plan_regions(count, seed, model)[0]
    return dict(ReportRenderer(model, region, region.years[0], seed).names)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--realistic", type=int, metavar="N", help="N recombined reports of generated regions")
    size.add_argument("--copies", type=int, metavar="N", help="N identical copies of corpus/'s reports")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed of --realistic (default %(default)s)")
    parser.add_argument("directory")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.realistic is not None:
        ids = synthesize_realistic(args.realistic, args.directory, seed=args.seed)
        what = f"{len(ids)} realistic reports (seed {args.seed})"
    else:
        synthesize(args.copies, args.directory)
        what = f"{args.copies} identical copies"
    print(f"wrote {what} to {args.directory} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
