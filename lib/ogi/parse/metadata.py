"""Agency, reporting year and publication date, read from the places reports print them.

Sources in order of trust: the CMS metadata block (``发布机构 | 黄石市经信局``,
``发布日期:2022-01-12``), the title (``达州市通川区经济和信息化局2021年政府信息公开
工作年度报告``), the opening sentence (``向社会公布荆门市东宝区商务局2024年度…``) and
the signature at the end (``定州市清风店镇人民政府`` / ``2024年1月10日``).
The year is the year reported on, never the publication year.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .tokens import normalize

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[二][〇零○Ｏ][一二三四五六七八九〇零○Ｏ]{2}(?=年)")


def _arabic_years(text: str) -> str:
    """``二〇二三年`` → ``2023年``."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS.get(c, c) for c in m.group(0)), text)


# \s* between the words: a title broken over two lines (PDF: "2024年上海市科委政府信息公开工作" / "年度报告").
# "…情况的报告" (宁强县自然资源局关于2021年度政府信息公开情况的报告), "…工作的年度报告" and "…信息公开年报" are
# titles too.
_REPORT = (r"(?:政府)?\s*(?:信息公开|政务公开)\s*(?:工作)?\s*(?:的)?\s*(?:年度)?\s*(?:情况)?\s*(?:工作)?\s*(?:年度)?\s*(?:的)?\s*"
           r"(?:报告|年报)")
_TITLE_YEAR = re.compile(rf"((?:19|20)\d\d)\s*年度?\s*(?:[\u4e00-\u9fff]{{0,16}}?)?{_REPORT}")
_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年\s*1\s*月\s*1\s*日\s*起?\s*(?:至|到|-|—)\s*\1\s*年\s*12\s*月\s*31\s*日")
# "…政府信息公开工作2022年度报告": the year after the report's first words.
_TITLE_YEAR_INSIDE = re.compile(r"(?:信息公开|政务公开)\s*(?:工作)?\s*((?:19|20)\d\d)\s*年度?\s*(?:报告|年报)")
# The overview's heading, markdown's marks allowed ("### 一、总体情况", "**一、总体情况**"): a report title after
# it is one the report mentions (last year's, published).
_OVERVIEW_HEADING = re.compile(r"(?m)^\s*[#*_]*\s*[一1]\s*[、.．]\s*总体情况")
#: What ``_OVERVIEW_HEADING`` matches before its 总体情况: spaces, markdown's marks, the number and its point.
_OVERVIEW_PREFIX = frozenset("#*_一1、.．")


def _overview_heading(text: str) -> Optional[re.Match]:
    """``_OVERVIEW_HEADING.search(text)``, begun where a match can begin: a match holds nothing but spaces and
    ``_OVERVIEW_PREFIX`` before its 总体情况, so none begins before the last other character ahead of the first
    总体情况 (the search from every character of a head cost ~45,000 instructions a report)."""
    at = text.find("总体情况")
    if at < 0:
        return None
    k = at - 1
    while k >= 0 and (text[k].isspace() or text[k] in _OVERVIEW_PREFIX):
        k -= 1
    return _OVERVIEW_HEADING.search(text, k + 1)


# A year in running text, not the year of a full date (the signature is dated the next year).
_YEAR_MENTION = re.compile(r"((?:19|20)\d\d)\s*年度?(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)")
_YEAR_WORK = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?[,，]?\s*(?:我|全|本|在|按照|根据|坚持|深入|认真)")


#: The lines a report names itself in, from its start.
HEAD_LINES = 40
#: How far down a site's menus can push the overview (lines, blank ones counted).
_CHROME_LINES = 3000


def _head_lines(lines: list[str]) -> list[str]:
    """The lines where a report names itself (title, publisher, date): its first ``HEAD_LINES``; and where a
    site's menus pushed the report further down (a crawl of the page, pandoc's markdown of it: the 平潭
    page's title 680 lines down in BeautifulSoup's text), the ``HEAD_LINES`` lines with text above its
    overview's heading too. A title set letter-spaced is read without its spaces (``_unspaced``)."""
    head = lines[:HEAD_LINES]
    if len(lines) > HEAD_LINES and not any("总体情况" in line and _OVERVIEW_HEADING.match(line) for line in head):
        for k in range(HEAD_LINES, min(len(lines), _CHROME_LINES)):
            if "总体情况" in lines[k] and _OVERVIEW_HEADING.match(lines[k]):
                above = [line for line in lines[max(HEAD_LINES, k - 10 * HEAD_LINES):k] if line.strip()]
                head = head + above[-HEAD_LINES:]
                break
    if _letter_spaced(head):
        head = [_unspaced(line) for line in head]
    return head


def _letter_spaced(lines: list[str]) -> bool:
    """Whether ``_LETTER_SPACED_LINE`` is found in the lines joined by line breaks: a line it matches holds six
    spaces at least, and only such a line is tried, from its start (~12 µs for a head's lines searched whole, a
    character at a time). A line holding a line break is tried piece by piece."""
    for line in lines:
        if line.count(" ") + line.count("\u3000") >= 6:  # none of its pieces holds more spaces than the line
            for piece in line.split("\n"):
                if piece.count(" ") + piece.count("\u3000") >= 6 and _LETTER_SPACED_PIECE.match(piece) is not None:
                    return True
    return False


# A line set letter-spaced, as PDF titles are ("达 州 市 通 川 区 … 2 0 2 1 年 …"): a character, then a space
# or two before each of at least six more
_LETTER_SPACED = re.compile(r"\S(?:[ \u3000]{1,2}\S){6,}")
_LETTER_SPACED_LINE = re.compile(r"(?m)^\s*\S[ \u3000]{1,2}\S(?:[ \u3000]{1,2}\S){5,}\s*$")
# The same, matched from the start of a line without a line break (where ^ and $ can stand nowhere else)
_LETTER_SPACED_PIECE = re.compile(r"\s*\S[ \u3000]{1,2}\S(?:[ \u3000]{1,2}\S){5,}\s*$")


def _unspaced(line: str) -> str:
    s = line.strip()
    if len(s) > 12 and s[1] in " \u3000" and _LETTER_SPACED.fullmatch(s):
        return s.replace(" ", "").replace("\u3000", "")
    return line


def head_text(lines: list[str]) -> str:
    """The normalised text of the lines where a report names itself (``_head_lines``): what ``find_year``,
    ``find_agency`` and ``find_published`` read first (the parser computes it once and gives it to the three)."""
    return normalize("\n".join(_head_lines(lines)))


def find_year(lines: list[str], head: Optional[str] = None) -> tuple[Optional[int], str]:
    """The year reported on, and how it was found (``head``: ``head_text(lines)``, if already made)."""
    head = _arabic_years(head_text(lines) if head is None else head)
    # "公开发布《国家新闻出版署2021年…年度报告》" in the 2022 report's overview: last year's, mentioned
    overview = _overview_heading(head)
    head = head[:overview.start()] if overview else head
    for m in _TITLE_YEAR.finditer(head):
        prefix = head[max(0, m.start() - 12):m.start()]
        if "关于做好" in prefix or "编制" in head[m.end():m.end() + 6]:
            continue  # the notice asking for the report names the same year, but prefer a title
        return int(m.group(1)), "title"
    inside = _TITLE_YEAR.search(head) or _TITLE_YEAR_INSIDE.search(head)
    if inside:
        return int(inside.group(1)), "title"
    full = _arabic_years(normalize("\n".join(lines)))
    period = _PERIOD.search(full)
    if period:
        return int(period.group(1)), "statistics period"
    counts = Counter(int(y) for y in _YEAR_WORK.findall(full))
    if counts:
        return counts.most_common(1)[0][0], "most frequent year in the narrative"
    counts = Counter(int(y) for y in _YEAR_MENTION.findall(full))
    if counts:
        return counts.most_common(1)[0][0], "most frequent year mentioned"
    return None, ""


_META_AGENCY = re.compile(r"(?:发布机构|发文机关|发布单位|发文单位|公开主体)\s*[:：|]\s*\|?\s*([^\s|:：]{2,40})")
#: Its labels: a head without them is not searched (a test holds them to the pattern).
_META_AGENCY_LABELS = ("发布机构", "发文机关", "发布单位", "发文单位", "公开主体")
# "来源" often names a short alias or the web desk, so it ranks below the title.
_META_SOURCE = re.compile(r"(?:来源|信息来源)\s*[:：|]\s*\|?\s*([^\s|:：]{2,40})")
# "时间" alone too, as CMS pages print it beside the source ("来源：…办公室时间：2025-03-10 15:35"), not a statistics
# period's ("统计时间：2024年1月1日至…", "截止时间").
_META_DATE = re.compile(r"(?:发布日期|发文日期|发布时间|成文日期|日期|(?<![计限止])时间)\s*[:：|]\s*\|?\s*(\d{4})\s*[-年/.]\s*"
                        r"(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_SIGN_DATE = re.compile(r"^\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
# The date under a signature, the day sometimes left out ("2013年3月"), in figures or in words (also how
# ``sections`` finds the sign-off after the last section).
SIGNED_MONTH = r"(?:(?:19|20)\d\d|二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
SIGNED_DAY = r"\s*[\d一二三四五六七八九十]{1,3}\s*日"
_SIGNED_ON = re.compile(rf"^\s*{SIGNED_MONTH}(?:{SIGNED_DAY})?\s*$")
# 室/馆/会/联/协/处/社/台: 参事室, 档案馆, 红十字会, 残联, 科协, 办事处, 供销合作社, 气象台; 街: 佳荣里街 (a 街道).
_AGENCY_SUFFIX = re.compile(r"(?:人民政府|政府|办公室|办公厅|委员会|管理委员会|管委会|局|厅|委|办|署|院|中心|所|站|队|街道办事处|"
                            r"街道|街|镇|乡|区|县|市|州|盟|旗|公司|集团|部|室|馆|会|联|协|处|社|台)$")
_TITLE_AGENCY = re.compile(rf"([\u4e00-\u9fff（）()]{{2,40}}?)\s*((?:19|20)\d\d)\s*年度?\s*{_REPORT}")
_AFTER_YEAR_AGENCY = re.compile(rf"((?:19|20)\d\d)\s*年度?\s*([\u4e00-\u9fff]{{2,30}}?){_REPORT}")
# A title line that prints no year before the report's words: "湘桥区教育局政府信息公开工作年度报告",
# "保靖县吕洞山镇人民政府信息公开工作2024年度报告" (the year inside).
_LINE_TITLE = re.compile(r"(?m)^\s*([\u4e00-\u9fff（）()]{2,40}?)\s*(?:政府)?\s*(?:信息公开|政务公开)\s*(?:工作)?\s*"
                         r"(?:(?:19|20)\d\d\s*)?(?:年度)?\s*(?:情况)?\s*(?:的)?\s*(?:报告|年报)\s*$")
# "…的要求,现公开锡山区东北塘街道2019年度…报告": the verb, not the name (政务公开办公室 keeps its 公开).
_LEADING_JUNK = re.compile(r"^.*(?:现向社会公布|向社会公布|现向社会公开|向社会公开|现予以?公开|特予?公开|现公开|现将|现发布|"
                           r"发布|公布|关于|印发|根据|《)")


# "……等文件精神，(特)编制X2024年…年度报告": the verb before the title, not the agency's (编制委员会 is).
_COMPILED_BY = re.compile(r"^(?:特|现|现特)?编制了?(?!委员会|办)")


# "现将2020年政府信息公开工作报告如下": the title's own word, naming no one.
_NOT_A_NAME = frozenset({"政府", "人民政府", "本机关", "本单位", "单位"})
# "我局", "本委", "我办": the report speaking of itself.
_SELF = re.compile(r"[我本该](?:局|委|办|厅|院|所|站|队|处|室|会|中心|单位|机关|部门|街道|镇|乡|区|县|市)")


_ABOUT_AT_END = re.compile(r"关于$")
_ANNOUNCED = re.compile(r"公布|发布|向社会公开|现予?以?公开|特予?公开|现将|关于|印发|《")
_SELF_AT_END = re.compile(r"(?:的|本|我)$")
_ALIAS_AT_END = re.compile(r"\([^()]*\)$")


def _clean_agency(name: str) -> Optional[str]:
    name = normalize(name).strip(" 《》<>\"'“”:：,，。")
    name = _ABOUT_AT_END.sub("", name)  # "X关于2021年度政府信息公开情况的报告": X, the agency reporting
    name = _LEADING_JUNK.sub("", name) if _ANNOUNCED.search(name) else name
    name = _COMPILED_BY.sub("", name)
    name = _SELF_AT_END.sub("", name).strip("《》 ")
    # "高新区(新市区)": the suffix is the name's, before its bracketed alias
    if (len(name) < 2 or not _AGENCY_SUFFIX.search(_ALIAS_AT_END.sub("", name)) or name in _NOT_A_NAME
            or _SELF.fullmatch(name)):
        return None
    return name


def _title_agency(head: str) -> Optional[str]:
    """The agency a report's title names (``head``: its first lines, normalised)."""
    for m in _TITLE_AGENCY.finditer(_arabic_years(head)):
        name = _clean_agency(m.group(1))
        if name:
            return name
    for m in _LINE_TITLE.finditer(_arabic_years("\n".join(head.split("\n")[:10]))):
        # "X人民政府信息公开…": the 政府 is the name's (the pattern gave it to the report's words)
        name = _clean_agency(m.group(1) + "政府" if m.group(1).endswith("人民") else m.group(1))
        if name:
            return name
    return None


# What a government's office adds to its name: 人民政府办公室, 政府办公室, 管委会办公室, 办公厅, 政府办.
_OFFICE_WORDS = re.compile(r"^(?:人民政府|政府|管理委员会|管委会)?(?:办公室|办公厅|办)$")


_GOVERNMENT_AT_END = re.compile(r"(?:人民政府|政府|管理委员会|管委会)$")


def _office_of(office: str, government: str) -> bool:
    """Whether ``office`` is the office of ``government`` (平潭综合实验区管委会办公室 of 平潭综合实验区,
    某县人民政府办公室 of 某县人民政府 or of 某县)."""
    base = _GOVERNMENT_AT_END.sub("", government)
    return office != government and office.startswith(base) and bool(_OFFICE_WORDS.match(office[len(base):]))


# A signature's name: Han characters and brackets only.
_HAN_NAME = re.compile(r"[\u4e00-\u9fff（）()]+")


def find_agency(lines: list[str], head: Optional[str] = None) -> tuple[Optional[str], str]:
    """The publishing agency, and where it was read (``head``: ``head_text(lines)``, if already made)."""
    head = head_text(lines) if head is None else head
    m = _META_AGENCY.search(head) if any(label in head for label in _META_AGENCY_LABELS) else None
    published_by = _clean_agency(m.group(1)) if m else None
    title = _title_agency(head)
    if published_by:
        if title and _office_of(published_by, title):
            # "发布机构: 平潭综合实验区管委会办公室" over "平潭综合实验区2023年度…报告": the office
            # publishes the government's report; the report (and its series across years) is the government's
            return title, "title (published by its office)"
        return published_by, "metadata"
    if title:
        return title, "title"
    m = _META_SOURCE.search(head) if "来源" in head else None
    if m:
        name = _clean_agency(m.group(1))
        if name:
            return name, "metadata (source)"
    # Signature: an agency name on one of the last lines, above a date. Undated, a short last line
    # is as likely a table's cell (a page cut off at "本年处[理决定数量]") as a name.
    tail = [normalize(l).strip() for l in lines[-8:] if l.strip()]
    for i in range(len(tail) - 2, -1, -1):
        line = tail[i]
        if not _SIGNED_ON.match(tail[i + 1]):
            continue
        if len(line) <= 30 and _HAN_NAME.fullmatch(line):
            name = _clean_agency(line)
            if name:
                return name, "signature"
    for m in _AFTER_YEAR_AGENCY.finditer(_arabic_years(head)):
        name = _clean_agency(m.group(2))
        if name:
            return name, "title (after year)"
    name = _overview_subject(lines[:40])
    if name:
        return name, "overview"
    return None, ""


# A page kept without its title (a crawler's body text) still names its agency as the subject of the
# overview's first sentence: "2020年,宣城市气象局认真贯彻…", "县卫生健康局的政府信息公开工作严格按照…".
_OVERVIEW_SUBJECT = re.compile(
    r"(?:^|[。:：])\s*(?:(?:19|20)\d\d\s*年度?(?:以来)?\s*[,，]?\s*)?([\u4e00-\u9fff（）()]{3,30}?)\s*"
    r"(?:的?(?:政府)?(?:信息|政务)公开工作)?\s*(?:高度重视|认真贯彻|认真落实|认真执行|严格按照|严格落实|严格贯彻|"
    r"严格执行|深入贯彻|全面贯彻|全面落实|坚持|紧紧围绕|紧密结合|紧扣|始终|扎实|切实|着力|聚焦|持续|不断|进一步)")
# Subjects that are not an agency: "全市…坚持", "各部门…", the report speaking of itself.
_NOT_SUBJECT = re.compile(r"^(?:全|各|本|我|该|上级|县委|区委|市委|省委|党委|在)")


def _overview_subject(lines: list[str]) -> Optional[str]:
    for line in lines:
        m = _OVERVIEW_SUBJECT.search(normalize(line).strip())
        if m and not _NOT_SUBJECT.match(m.group(1)):
            name = _clean_agency(m.group(1))
            if name:
                return name
    return None


def find_published(lines: list[str], head: Optional[str] = None) -> tuple[Optional[str], str]:
    """Publication date as ISO ``YYYY-MM-DD`` where printed (``head``: ``head_text(lines)``, if already made)."""
    head = head_text(lines) if head is None else head
    # each of the date's labels holds 日期 or 时间: without them, no search of the whole head (~20 µs)
    m = _META_DATE.search(head) if "日期" in head or "时间" in head else None
    if m:
        return _iso(*m.groups()), "metadata"
    for line in reversed([normalize(l) for l in lines[-6:]]):
        m = _SIGN_DATE.match(line)
        if m:
            return _iso(*m.groups()), "signature"
    return None, ""


def _iso(year: str, month: str, day: str) -> Optional[str]:
    y, mo, d = int(year), int(month), int(day)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# ---------------------------------------------------------------------------
# What kind of document this is
# ---------------------------------------------------------------------------

_OLD_TABLE = ("申请总数", "同意公开", "统计表", "依申请公开信息目录", "不同意公开", "部分同意公开")
_NOTICE = re.compile(r"关于(?:做好|印发|开展|报送|编制|公布|发布)?.{0,30}(?:年度报告|年报).{0,10}(?:的)?(?:通知|公告|函|说明)")


def looks_pre2019(year: Optional[int], text: str) -> bool:
    if year is not None and year < 2019:
        return True
    return year is None and sum(1 for k in _OLD_TABLE if k in text) >= 2 and "本年新收" not in text


#: A title quoted in running text: real reports open by citing the notice that sets their format
#: (``根据《…关于印发〈…年度报告格式〉的通知》``), which is not what they are.
_QUOTED = re.compile(r"[《<〈][^《》<>〈〉\n]{0,80}[》>〉]")


def _head_unquoted(lines: list[str]) -> str:
    """The first five lines, normalised, without the titles they quote (twice: titles nest)."""
    return _QUOTED.sub("", _QUOTED.sub("", normalize("\n".join(lines[:5]))))


# The format itself, as the notice that sets it is reposted on agencies' sites (国办公开办函〔2021〕30号):
# the template's tables with their labels and no values, under the format's own title.
_FORMAT_TITLE = re.compile(r"(?m)^\s*(?:中华人民共和国)?政府信息公开工作年度报告格式\s*$")


def looks_like_notice(lines: list[str]) -> bool:
    """A notice about the annual reports (asking for them, publishing them, or setting their format)."""
    return bool(_NOTICE.search(_head_unquoted(lines)) or _FORMAT_TITLE.search(normalize("\n".join(lines[:12]))))


# The report announcing itself: "本年度报告根据…编制", "本年度报告由天津市发展改革委编制", "…规定编制本报告".
_ANNOUNCES = re.compile(r"(?:本|此)(?:年度)?报告(?:是|系)?(?:根据|依据|按照|由)|编制(?:了)?本(?:年度)?报告|"
                        r"(?:特|现)编制.{0,30}?年度报告")
# A quoted title that is the report's own: "现发布《临洮县新添镇2022年政府信息公开工作年度报告》".
_OWN_QUOTED = re.compile(r"(?:发布|公布|公开)[《<〈]([^《》<>〈〉\n]{0,80}(?:报告|年报))[》>〉]")


def looks_titled(lines: list[str]) -> bool:
    """The first lines name an annual report of a year (``…2024年政府信息公开工作年度报告``), or announce one.

    A site's menus can push the title below the first five lines (blank lines
    not counted); there, one title (one year) counts, where a list of reports
    names several.
    """
    lines = [line for line in lines[:80] if line.strip()]
    head = _arabic_years(_head_unquoted(lines))
    if _TITLE_YEAR.search(head) or _TITLE_YEAR_INSIDE.search(head) or _ANNOUNCES.search(head):
        return True
    first = _arabic_years(normalize("\n".join(lines[:5])))
    if any(_TITLE_YEAR.search(t) or _TITLE_YEAR_INSIDE.search(t) for t in _OWN_QUOTED.findall(first)):
        return True
    more = _arabic_years(_QUOTED.sub("", _QUOTED.sub("", normalize("\n".join(lines[5:20])))))
    if _ANNOUNCES.search(more):
        return True
    years = {m.group(1) for pat in (_TITLE_YEAR, _TITLE_YEAR_INSIDE) for m in pat.finditer(more)}
    return len(years) == 1


def listed_titles(lines: list[str]) -> int:
    """How many distinct short lines name an annual report (a title, with or without its date): a site's list
    of reports (an index page a crawler saved) names several; a report names itself, and at most a few others."""
    titles = set()
    for line in lines[:400]:
        line = line.strip()
        if 8 <= len(line) <= 90 and "。" not in line:
            t = _arabic_years(normalize(line))
            if _TITLE_YEAR.search(t) or _TITLE_YEAR_INSIDE.search(t):
                titles.add(t)
    return len(titles)

