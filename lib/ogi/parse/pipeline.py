"""Document → Report: the parse's stages in order (tokens, tables, sections, metadata, checks, status).

``ogi.parse`` is the entry point: it stamps the parser's version and turns an unexpected error into a
``failed`` report. This module is what ``ogi.accel`` compiles with the rest of the core.
"""

from __future__ import annotations

import bisect
import re
from typing import Final, Optional

from .. import checks as checks_mod
from .. import regions, schema
from ..model import Check, Region, Report, any_value
from ..readers import Document
from ..readers.document import IMAGE_LINE, INVISIBLE
from . import metadata, script
from .reflow import unflatten
from .sections import find_headings, split_sections, without_site_text
from .tables import parse_proactive, parse_requests, parse_review
from .tokens import BLANK, LABEL, UNREAD, Token, is_caption, normalize_lines, tokenize

_CJK = re.compile(r"[\u4e00-\u9fff]")


def base_report(doc: Document) -> Report:
    """The Report before anything is read: the Document's source, format and messages, every section None."""
    return Report(source=doc.source, messages=list(doc.messages), format=doc.format, encoding=doc.encoding,
                  sha256=doc.sha256, sections={code: None for code in schema.SECTION_CODES})


def parse(doc: Document) -> Report:
    """A Document's Report (its ``parser_version`` is stamped by the caller, ``ogi.parse``)."""
    report = base_report(doc)
    if doc.error:
        report.status = "failed"
        report.messages.append(doc.error)
        return report
    lines = doc.lines
    text = "\n".join(lines)
    if INVISIBLE.search(text):  # a text file's zero-width characters, inside numbers too (readers of markup drop them)
        text = INVISIBLE.sub("", text)
        lines = text.split("\n")
    if not _CJK.search(text):
        report.status = "not_a_report"
        report.messages.append("no Chinese text: not an annual OGI report")
        return report

    simplified, notes = script.simplify(lines, text)  # a mirror's copy in traditional characters
    if notes:
        lines, text = simplified, "\n".join(simplified)
        report.messages.extend(notes)

    # NFKC line by line: it never adds or removes line breaks. ``lines``, not ``text.split("\n")`` again: the same
    # lines, but for a line holding a line break, where the split's would no longer align with them.
    norm = normalize_lines(lines)
    cut = unflatten(norm)
    if cut is not None:  # a page flattened onto long lines: read as the lines it had
        norm = lines = cut
        report.messages.append("text flattened onto long lines: cut before its section headings and "
                               "table 2's parts before reading")
    headings = find_headings(norm)
    report.sections = split_sections(norm, headings)
    # The metadata readers normalise what they read; NFKC is idempotent, so they are given
    # the lines normalised once above (normalising is most of their cost otherwise).
    head = metadata.head_text(norm)
    report.year, _ = metadata.find_year(norm, head)
    report.agency, _ = metadata.find_agency(norm, head)
    report.published, _ = metadata.find_published(norm, head)
    report.region, read_as = _region(report.agency, lines)
    if read_as:
        report.messages.append(f"the agency's place read as in {read_as} (printed {report.agency}: a character "
                               "OCR confuses with the place name's)")

    if metadata.looks_pre2019(report.year, text):
        report.status = "pre2019"
        report.messages.append(f"report for {report.year or 'a year before 2019'}: the older template "
                               "(2008-2018) is recognised but not parsed")
        return report

    start, stop = _table_stretch(norm, headings)
    tokens = tokenize(norm[start:stop], start_line=start, normalized=True, cut=True)  # table_text of each line
    found, t4_last_line, unread_rows, table_lines = _read_tables(report, tokens, headings)
    _without_appended_tables(report, norm, headings, table_lines)
    _problems_without_heading(report, norm, headings, t4_last_line)
    report.checks.extend(checks_mod.run_checks(report))
    # tokens.tokenize_cell: a number with OCR's letters in it is a cell not read
    unread = [t.raw.strip() for t in tokens if t.text == UNREAD and t.kind == BLANK]
    _set_status(report, found, headings, lines, unread, unread_rows)
    return report


_TABLE_WORDS: Final = ("第二十条", "信息内容", "申请人情况", "本年新收", "规范性文件", "行政许可")


def _table_stretch(norm: list[str], headings) -> tuple[int, int]:
    """The lines that can hold the three tables: from the first table word (or section 二)
    to the problems heading, when that heading comes after table 4's header.

    Tokenizing only this stretch keeps long narratives (and huge files) cheap.
    """
    line_of = {h.code: h.line for h in headings}
    first = next((i for i, line in enumerate(norm) if any(w in line for w in _TABLE_WORDS)), 0)
    # a table's own section heading before any table word: a report (or a page of one) that starts
    # with a later table, whose words come only in the narrative after it
    start = min([first] + [line_of[c] for c in ("proactive", "requests", "review_litigation") if c in line_of])
    last_review = max((i for i, line in enumerate(norm) if "复议" in line), default=-1)
    stop = line_of.get("problems", len(norm))
    if stop <= max(start, last_review):
        stop = len(norm)
    return start, stop


def _region(agency: Optional[str], lines: list[str]) -> tuple[Region, Optional[str]]:
    """The printed region, and the agency name as its place was read when OCR's confusion was undone."""
    info = regions.derive_region(agency, "\n".join(lines[:20]))
    province, city, county = regions.printed_region(info)
    return Region(province, city, county), info.read_as


def _first(tokens, pred, start=0, stop=None) -> Optional[int]:
    stop = len(tokens) if stop is None else stop
    for i in range(start, stop):
        if pred(tokens[i]):
            return i
    return None


def _first_label(tokens: list[Token], keys: tuple[str, ...], start: int = 0, stop: Optional[int] = None
                 ) -> Optional[int]:
    """The first label token from ``start`` holding one of ``keys``: a loop over the tokens before a table's
    anchor, with no call or regular expression a token (that search cost 1.3 % of a parse so)."""
    stop = len(tokens) if stop is None else stop
    for i in range(start, stop):
        t = tokens[i]
        if t.kind == LABEL:
            text = t.text
            for key in keys:
                if key in text:
                    return i
    return None


# A label of the narrative after table 4 ("存在的主要问题及改进情况", "其他需要报告的事项"): where table 4 stops.
#: (Each of its phrases holds 问题 or 其他需要报告: a label without them is not searched.)
_NARRATIVE_LABEL = re.compile(r"存在.{0,4}问题|问题.{0,2}(?:及|和|与)改进|其他需要报告")


def _narrative_start(tokens: list[Token], start: int, stop_line: Optional[int]) -> int:
    """Where table 4's tokens from ``start`` end: at ``stop_line`` or at a label of the narrative after it
    (``_NARRATIVE_LABEL``); ``len(tokens)`` if at neither. A loop, not ``_first`` with a predicate: a call a token."""
    for i in range(start, len(tokens)):
        t = tokens[i]
        if stop_line is not None and t.line >= stop_line:
            return i
        if t.kind == LABEL:
            text = t.text
            if ("问题" in text or "其他需要报告" in text) and _NARRATIVE_LABEL.search(text) is not None:
                return i
    return len(tokens)


def _read_tables(report: Report, tokens, headings) -> tuple[dict[str, bool], int, set[str], list[int]]:
    """Find each table's stretch of tokens by its anchors and read it.

    Returns ``{table: complete}``, the line of table 4's last cell (-1 if none), the rows printed but
    not read (their scopes: null for a reason the messages give, not blank), and the first line of each
    table found.
    """
    t4_last_line = -1
    heading_line = {h.code: h.line for h in headings}

    t3_start = _first_label(tokens, ("申请人情况", "本年新收", "勾稽关系"))
    t2_start = _first_label(tokens, ("第二十条", "信息内容", "本年制发件数", "本年新制作数量"), 0, t3_start)
    if t2_start is None and "proactive" in heading_line:
        t2_start = _first(tokens, lambda t: t.line >= heading_line["proactive"], 0, t3_start)
    t2_stop = t3_start if t3_start is not None else len(tokens)
    if t3_start is None and "requests" in heading_line:
        # a heading bounds a table only after the table's start: tables printed at the end ("附表"), after
        # every section's heading, would otherwise keep one line of their rows
        t2_stop = _first(tokens, lambda t: t.line >= heading_line["requests"], t2_start or 0) or len(tokens)

    templates: dict[str, Optional[str]] = {"proactive": None, "requests": None, "review_litigation": None}
    found: dict[str, bool] = {}
    unread_rows: set[str] = set()
    table_lines: list[int] = []

    def take(table: str, result, start: int) -> bool:
        """Keep a table's checks, messages, template and first line; say whether it was found."""
        if result.found:
            table_lines.append(tokens[start].line)
            report.checks.extend(result.checks)
            report.messages.extend(result.messages)
            unread_rows.update(result.unread)
            templates[table] = result.template
            found[table] = result.complete
        return result.found

    if t2_start is not None:
        t2 = parse_proactive(tokens, t2_start, t2_stop)
        if take("proactive", t2, t2_start):
            report.proactive = t2.values
    t3_end = t3_start or 0
    if t3_start is not None:
        # table 3 ends at table 4's heading: a last row short of cells (blanks a crawler dropped) must not
        # take table 4's numbers as its own
        t4_line = heading_line.get("review_litigation")
        t3_stop = None
        if t4_line is not None and t4_line > tokens[t3_start].line:
            # tokens are in line order: the first token of a line at or after t4_line
            t3_stop = bisect.bisect_left(tokens, max(t4_line, tokens[t3_start].line + 1), lo=t3_start,
                                         key=lambda t: t.line)
            t3_stop = t3_stop if t3_stop < len(tokens) else None
        t3 = parse_requests(tokens if t3_stop is None else tokens[:t3_stop], t3_start)
        if take("requests", t3, t3_start):
            report.requests = t3.values
            t3_end = t3.end_token
            _second_copy(report, tokens, t3_end, t3.values)
    # Table 4 comes after table 2 too: an opening sentence that counts appeals ("引起行政复议0件") is no table.
    t4_from = max(t3_end, t2_start or 0)
    t4_start = _first_label(tokens, ("行政复议", "行政法复议", "复议"), t4_from)
    if t4_start is not None:
        stop_line = heading_line.get("problems", heading_line.get("other"))
        if stop_line is not None and stop_line <= tokens[t4_start].line:
            stop_line = None  # the table printed after the narrative's end ("附表")
        t4_stop = _narrative_start(tokens, t4_start + 1, stop_line)
        t4 = parse_review(tokens, t4_start, t4_stop)
        if take("review_litigation", t4, t4_start):
            report.review_litigation = t4.values["review_litigation"]
            t4_last_line = t4.last_line
    # Table 4 is the same in both templates: it follows the requests table's template.
    if report.review_litigation:
        templates["review_litigation"] = templates["requests"] or templates["proactive"]
    report.templates = templates
    return found, t4_last_line, unread_rows, table_lines


def _without_appended_tables(report: Report, norm: list[str], headings, table_lines: list[int]) -> None:
    """Tables printed after the last section (an appendix, "详见附表"): that section's text ends before
    them and their captions, as it ends before a table's heading anywhere else."""
    if not headings or not table_lines or headings[-1].code in ("proactive", "requests", "review_litigation"):
        return  # a table under its own heading, the last one found
    last = headings[-1].line
    after = [line for line in table_lines if line > last]
    if not after:
        return
    cut = min(after)
    while cut - 1 > last and (not norm[cut - 1].strip() or is_caption(norm[cut - 1].strip())):
        cut -= 1
    report.sections = split_sections(norm[:cut], headings)


_DIGITS_ONLY = re.compile(r"[\d\s|]*")


def _problems_without_heading(report: Report, norm: list[str], headings, t4_last_line: int) -> None:
    """Section 五 printed without its heading (FORMAT.md family 6): the narrative after
    table 4's last cell, up to section 六, is the problems section."""
    if report.sections.get("problems") is not None or t4_last_line < 0 or report.sections.get("review_litigation") is None:
        return
    line_of = {h.code: h for h in headings}
    review = line_of.get("review_litigation")
    if review is None or review.line > t4_last_line:
        return
    other = line_of.get("other")
    end = other.line if other else len(norm)
    tail = [l.strip() for l in norm[t4_last_line + 1:end] if l.strip() and "|" not in l
            and not _DIGITS_ONLY.fullmatch(l) and l.strip() != IMAGE_LINE]
    if other and other.line < len(norm) and other.start > 0:
        tail.append(norm[other.line][:other.start].strip())
    text = "\n".join(t for t in tail if t)
    if other is None:
        text = without_site_text(text)
    if len(text) < 10:
        return
    report.sections["problems"] = text
    head = [l.strip() for l in norm[review.line:t4_last_line + 1] if l.strip() != IMAGE_LINE]
    head[0] = norm[review.line][review.end:].strip()
    report.sections["review_litigation"] = "\n".join(head).strip()
    report.messages.append("section 五 (problems) has no heading: the text after table 4 is taken as it")


def _second_copy(report: Report, tokens, after: int, first: dict) -> None:
    """A report pasted twice into one file: the first copy is read; say whether the second agrees."""
    again = _first_label(tokens, ("本年新收",), after)
    if again is None:
        return
    second = parse_requests(tokens, again)
    if not second.found or len(second.values) < 3:
        return
    if second.values == first:
        report.messages.append("the requests table appears twice with the same values (report pasted twice?); "
                               "the first copy is read")
    else:
        report.messages.append("the requests table appears twice with different values; the first copy is read, "
                               "check the file by hand")
        report.checks.append(Check("duplicate_table", False, "a second, different requests table follows the first",
                                   scope="requests", cells=["requests"]))


def _set_status(report: Report, found: dict[str, bool], headings, lines, unread: list[str],
                unread_rows: frozenset[str] | set[str] = frozenset()) -> None:
    """ok: all three tables fully read, no cell unread (``unread``: their printed text) and every identity
    holds; otherwise say what is not."""
    if unread:
        report.messages.append(f"{len(unread)} cell(s) mix digits with letters, as OCR prints O for 0 or l for 1 "
                               f"({', '.join(unread[:5])}): not read, left null")
    missing = [t for t in ("proactive", "requests", "review_litigation") if t not in found]
    if found and not any_value(report.requests, report.proactive, report.review_litigation) \
            and metadata.looks_like_notice(lines):
        report.status = "not_a_report"
        report.messages.append("a notice about the annual reports or their format, not a report: its tables' "
                               "labels are printed without values")
        return
    images = _images_where_tables(lines, headings) if len(found) < 3 else 0
    if images:
        report.messages.append(f"{images} image(s) in the report where its tables would be: a table not found may be "
                               "printed as an image, which is not read (no OCR)")
    if not found:
        notice = metadata.looks_like_notice(lines)
        attached = _attachment(lines) if len(headings) < 3 else None
        if not notice and attached and metadata.looks_titled(lines):
            report.status = "failed"
            report.messages.append(f"the report is an attachment of this page ({attached}): the page holds its title "
                                   f"but none of the three standard tables and {len(headings)} of 6 section headings; "
                                   "read the attachment itself (.pdf, .docx and .doc are read)")
        elif len(headings) < 3 and (listed := metadata.listed_titles(lines)) >= 3:
            report.status = "not_a_report"
            report.messages.append(f"a list of {listed} reports' titles (a site's index page), with none of the three "
                                   f"standard tables and {len(headings)} of 6 section headings: not a report")
        elif not notice and len(headings) < 3 and metadata.looks_titled(lines):
            report.status = "failed"
            report.messages.append(f"the text may be cut short: titled as an annual OGI report, but none of the three "
                                   f"standard tables found and {len(headings)} of 6 section headings")
        elif notice or len(headings) < 3:
            report.status = "not_a_report"
            report.messages.append(f"none of the three standard tables found and {len(headings)} of 6 section "
                                   "headings: not an annual OGI report (or not in the national template)")
        else:
            report.status = "failed"
            report.messages.append(f"{len(headings)} of 6 section headings found, but none of the three standard "
                                   "tables could be read")
        return
    if missing:
        report.messages.append(f"table(s) not found: {', '.join(missing)}")
    incomplete = [t for t, complete in found.items() if not complete]
    if incomplete:
        report.messages.append(f"table(s) not fully read: {', '.join(incomplete)}")
    failed = report.failed_checks
    identity_failures = [c for c in failed if c.rule in schema.IDENTITY_BY_RULE]
    if identity_failures:
        shown = "; ".join(c.detail for c in identity_failures[:3])
        more = f" (+{len(identity_failures) - 3} more)" if len(identity_failures) > 3 else ""
        report.messages.append(f"{len(identity_failures)} identity check(s) fail as printed: {shown}{more}")
    blanks = _blank_cells(report, unread_rows)
    if blanks:
        report.messages.append(f"blank cell(s) kept as null: {', '.join(blanks[:8])}"
                               f"{' …' if len(blanks) > 8 else ''}")
    no_heading = [code for code in schema.SECTION_CODES if report.sections.get(code) is None]
    if no_heading:
        report.messages.append(f"section heading(s) not found: {', '.join(no_heading)}")
    if report.year is None:
        report.messages.append("reporting year not found")
    if report.agency is None:
        report.messages.append("agency not found")
    report.status = "ok" if not (missing or incomplete or failed or unread) else "partial"


def _images_where_tables(lines: list[str], headings) -> int:
    """Images (``IMAGE_LINE``, written by the readers) from section 二's heading to section 五's, or anywhere when
    those headings are not found: where a page that pastes its tables as pictures has them."""
    line_of = {h.code: h.line for h in headings}
    start = min([line_of[c] for c in ("proactive", "requests", "review_litigation") if c in line_of], default=0)
    stop = line_of.get("problems", line_of.get("other", len(lines)))
    return sum(1 for line in lines[start:stop if stop > start else len(lines)] if line.strip() == IMAGE_LINE)


# A file offered for download on the page (附件: …年度报告.doc): many sites publish the report so.
_ATTACHMENT = re.compile(r"[^\s|:：/\\]{2,80}\.(?:docx?|pdf|wps|ofd|xlsx?|zip|rar)(?![A-Za-z0-9])", re.I)
_REPORT_WORD = re.compile("报告|年报")


def _attachment(lines: list[str]) -> Optional[str]:
    """The name of a document attached to the page: named as a report, or under an 附件 line
    (a file linked from the site's menus is not the report)."""
    attached = False
    for line in lines[:200]:
        m = _ATTACHMENT.search(line)
        if m and (attached or "附件" in line or _REPORT_WORD.search(m.group(0))):
            return m.group(0)
        attached = "附件" in line
    return None


def _blank_cells(report: Report, unread_rows: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Cells printed blank (null), not counting rows left null because they were ambiguous or not read."""
    out = []
    unsure = {c.scope for c in report.checks if c.rule == "ambiguous"} | unread_rows
    for code, vec in report.requests.items():
        if f"requests.{code}" in unsure:
            continue
        for col, v in zip(schema.APPLICANT_CODES, vec):
            if v is None:
                out.append(f"requests.{code}[{col}]")
    for code, v in zip(schema.REVIEW_CODES, report.review_litigation):
        if v is None and "review_litigation.review_litigation" not in unsure:
            out.append(f"review_litigation.{code}")
    for code, cells in report.proactive.items():
        vals = cells if isinstance(cells, list) else [cells]
        if f"proactive.{code}" in unsure:
            continue
        if code == "fees" and report.templates.get("proactive") == schema.TEMPLATE_2019:
            continue
        if any(x is None for x in vals):
            out.append(f"proactive.{code}")
    return out
