"""The PDF reader: text placed by position, tables from ruling lines, page furniture, PDFium's objects."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ogi.readers import read_bytes
from ogi.readers.pdf import (_assemble, _drop_page_numbers, _field_spans, _is_furniture, _join_split_rows,
                             _join_wrapped, _Line, _line_text, _margin_number, _place_blanks, _rejoined, _Rows,
                             read_pdf)

FIXTURES = Path(__file__).parent / "fixtures" / "readers"

# Fixtures made by tests/fixtures/readers/make_pdf_fixtures.py (see there).


@pytest.fixture(scope="module")
def report_pdf():
    return read_pdf("report.pdf", (FIXTURES / "report.pdf").read_bytes())


def test_pdf_fixtures_are_small():
    for name in ("report.pdf", "scanned.pdf", "encrypted.pdf", "word_report_1.pdf", "word_report_14.pdf"):
        assert (FIXTURES / name).stat().st_size < 100_000


def test_pdf_reads_without_error(report_pdf):
    assert report_pdf.error is None
    assert report_pdf.format == "pdf"
    assert any("2 PDF table(s)" in m for m in report_pdf.messages)


def test_pdf_table_rows_with_spans(report_pdf):
    rows = [line for line in report_pdf.lines if line.endswith(" |")]
    assert rows == [
        "申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "一、本年新收政府信息公开申请数量 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |",
        "三、本年度办理结果 | （一）予以公开 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 0 | 0 | 0 | 0 | 0 | 0 |  |",
        "（三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "四、结转下年度继续办理 |  |  |  | 0 | 0 | 0 | 0 |",
        "行政复议 |",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "1 | 0 | 0 | 0 | 1 |",
    ]


def test_pdf_wrapped_lines_join_into_paragraphs(report_pdf):
    assert ("2024年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            "全面推进决策、执行、管理、服务、结果公开，主动公开政府信息一百二十条。") in report_pdf.lines
    assert "本局依法办理政府信息公开申请，全年未发生因政府信息公开引起的行政复议。" in report_pdf.lines


def test_pdf_paragraph_runs_on_across_a_page_break(report_pdf):
    sentences = "".join(f"第{n}句：本机关将进一步完善政府信息公开工作机制，提升公开质量。" for n in "一二三四五六七八九十" * 5)
    assert sentences in report_pdf.lines
    assert report_pdf.lines[-1] == "六、其他需要报告的事项"


@pytest.mark.parametrize("head, tail, expected", [
    ("共收到申请", "17件", "共收到申请17件"), ("申请17", "件", "申请17件"), ("Open", "data", "Open data"),
])
def test_join_wrapped_pdf_lines(head, tail, expected):
    assert _join_wrapped(head, tail) == expected


def test_pdf_table_stays_between_the_paragraphs_around_it(report_pdf):
    at = report_pdf.lines.index
    assert (at("三、收到和处理政府信息公开申请情况")
            < at("一、本年新收政府信息公开申请数量 | 17 | 1 | 0 | 0 | 1 | 0 | 19 |")
            < at("表后说明：以上数据截至2024年12月31日。")
            < at("四、政府信息公开行政复议、行政诉讼情况")
            < at("1 | 0 | 0 | 0 | 1 |")
            < at("五、存在的主要问题及改进情况"))


def test_pdf_page_footers_dropped_and_cells_not_duplicated(report_pdf):
    assert "— 1 —" not in report_pdf.lines and "3" not in report_pdf.lines
    assert not any("页" in line and "共" in line for line in report_pdf.lines)
    # Table text is read once, as rows, not again as loose lines.
    assert sum("一、本年新收政府信息公开申请数量" in line for line in report_pdf.lines) == 1


@pytest.mark.parametrize("text, top, expected", [
    ("— 4 —", 800, True),
    ("- 12 -", 400, True),
    ("第 4 页 共 10 页", 800, True),
    ("第4页/共10页", 10, True),
    ("4 / 10", 800, True),
    ("4", 800, False),   # a bare number: a page number or a cell, told by _drop_page_numbers
    ("4", 400, False),   # a bare number mid-page may be a table value
    ("-4", 400, False),  # so may a negative one (本年增/减)
    ("-4-", 400, True),
    ("Page 3 of 9", 400, True),
    ("17 件", 800, False),
    ("一、总体情况", 800, False),
    # a web page printed to PDF by a browser: date, time and title atop each page, address and page below
    ("11/23/26, 11:50 PM 平潭综合实验区2024年度政府信息公开工作年度报告", 10, True),
    ("2024/1/25 下午3:21 某局2023年政府信息公开工作年度报告", 10, True),
    ("file:///tmp/pages/report.html 3/8", 820, True),
    ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250331_97791.htm 1/6", 820, True),
    ("2024年1月25日 平潭综合实验区管委会办公室", 820, False),  # a report's own date line
    ("2024-01-25 10:21 来源:某局", 10, False),  # a site's own line, printed with the page: metadata
    ("11/23/26, 11:50 PM 平潭综合实验区2024年度政府信息公开工作年度报告", 400, False),  # mid-page: text
])
def test_page_furniture(text, top, expected):
    assert _is_furniture(text, top, top + 10, 842) is expected


@pytest.mark.parametrize("text, top, expected", [
    ("4", 800, 4), ("· 12 ·", 10, 12), ("4", 400, None), ("17 件", 800, None), ("2024", 800, 2024)])
def test_a_bare_number_in_a_margin_zone_is_a_candidate_page_number(text, top, expected):
    assert _margin_number(text, top, top + 10, 842) == expected


def _line(text: str, page: int, top: float) -> _Line:
    return _Line(text=text, x0=50, x1=60, top=top, size=10, font_start=None, font_end=None, page=page,
                 margin_number=_margin_number(text, top, top + 10, 842))


def test_bare_numbers_at_the_pages_feet_are_page_numbers_only_when_they_follow_the_pages():
    """LibreOffice's pages of a table printed one cell a line: the "0" cells in the last tenth of each page
    were taken for page numbers and dropped (42 of seed 003's values)."""
    cells = [_line(t, p, top) for p in (1, 2, 3) for t, top in (("规章", 700), ("0", 770), ("0", 795))]
    assert [ln.text for ln in _drop_page_numbers(cells)] == [ln.text for ln in cells]
    numbered = [_line(t, p, top) for p in (1, 2, 3) for t, top in (("规章", 700), ("0", 770), (str(p + 1), 810))]
    kept = _drop_page_numbers(numbered)
    assert [ln.text for ln in kept] == ["规章", "0"] * 3  # "2", "3", "4": page n prints n + 1
    # one page's number alone: kept out when it is the page's own number
    single = [_line("规章", 1, 700), _line("0", 1, 770), _line("1", 1, 810)]
    assert [ln.text for ln in _drop_page_numbers(single)] == ["规章", "0"]


def test_scanned_pdf_has_no_text_layer():
    doc = read_pdf("scanned.pdf", (FIXTURES / "scanned.pdf").read_bytes())
    assert doc.error == "PDF has no text layer (scanned image?); OCR is not supported"


def test_password_protected_pdf_is_an_error():
    doc = read_pdf("encrypted.pdf", (FIXTURES / "encrypted.pdf").read_bytes())
    assert doc.error == "PDF is password-protected; cannot read it without the password"


@pytest.mark.parametrize("data", [
    (FIXTURES / "report.pdf").read_bytes()[:1500],
    b"%PDF-1.7\n garbage \x00\xff",
    b"not a pdf at all",
])
def test_damaged_pdf_is_an_error_not_an_exception(data):
    doc = read_pdf("broken.pdf", data)
    assert doc.error and doc.error.startswith("PDF is damaged")


def test_dispatcher_routes_pdf():
    doc = read_bytes("report.html", (FIXTURES / "report.pdf").read_bytes())  # sniffed, not trusted
    assert doc.format == "pdf" and doc.error is None
    assert "1 | 0 | 0 | 0 | 1 |" in doc.lines


def test_pdfminer_warnings_are_not_printed_unless_the_user_asked_for_them():
    # a browser-printed PDF made pdfminer warn "Could not get FontBBox …" hundreds of times on stderr
    import logging

    log = logging.getLogger("pdfminer")
    saved = log.level
    try:
        log.setLevel(logging.NOTSET)
        read_pdf("report.pdf", (FIXTURES / "report.pdf").read_bytes())
        assert log.getEffectiveLevel() == logging.ERROR
        log.setLevel(logging.DEBUG)  # a user debugging pdfminer keeps their level
        read_pdf("report.pdf", (FIXTURES / "report.pdf").read_bytes())
        assert log.level == logging.DEBUG
    finally:
        log.setLevel(saved)


def _print_to_pdf(tmp_path, page, *flags: str) -> Path:
    """``page`` (a path, or an HTML text) printed to PDF by the browser the figures use; skips without one."""
    import subprocess

    from ogi import figures

    try:
        browser = figures.find_browser()
    except figures.BrowserNotFound as exc:
        pytest.skip(str(exc))
    if isinstance(page, str):
        path = tmp_path / "page.html"
        path.write_text(page, encoding="utf-8")
        page = path
    pdf = tmp_path / "printed.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", *flags,
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return pdf


@pytest.mark.slow
def test_a_real_page_printed_to_pdf_by_a_browser_reads_as_the_page(tmp_path, capfd):
    # researchers keep web pages as PDFs printed by a browser: each page's margins then hold the date and
    # time, the title, the address and "page/pages", and a table's row may break across two pages
    import ogi

    page = FIXTURES / "pingtan_2024_cms.html"
    pdf = _print_to_pdf(tmp_path, page)
    import logging

    logging.getLogger("pdfminer").setLevel(logging.NOTSET)  # as in a fresh process
    capfd.readouterr()
    printed, served = ogi.parse_file(pdf), ogi.parse_file(page)
    assert "FontBBox" not in capfd.readouterr().err  # pdfminer's font warnings, hundreds of lines
    assert printed.format == "pdf" and printed.status == served.status == "ok"
    assert (printed.proactive, printed.requests, printed.review_litigation) == (
        served.proactive, served.requests, served.review_litigation)
    assert (printed.agency, printed.year) == (served.agency, served.year)
    # the margins' numbers (date, time, page/pages) are not read as cells after a row's own
    assert not [m for m in printed.messages if "ignored" in m]



def _run(text: str, x0: float, top: float, size: float = 24, width: float = 24) -> dict:
    """A line as pdfplumber's ``extract_text_lines`` gives it: one character every ``width`` points."""
    chars = [{"text": c, "x0": x0 + k * width, "x1": x0 + (k + 1) * width, "top": top, "bottom": top + size,
              "size": size}
             for k, c in enumerate(text)]
    return {"text": text, "chars": chars, "x0": x0, "x1": x0 + len(text) * width, "top": top, "bottom": top + size}


def test_a_lines_digits_in_another_font_stay_on_its_line():
    """Chromium's print of a page with a two-line title: its digits (DejaVu, a deeper descent than the Chinese
    font) stand 5.7 points lower, past pdfplumber's 3-point tolerance. The title read
    ``某街道办事处 年政府信息公`` / ``2021`` / ``开工作年度报告``: agency not found (3 % of printed pages)."""
    head = {**_run("锦州市凌海市文化街道办事处", 33.7, 88.5), "text": "锦州市凌海市文化街道办事处 年政府信息公"}
    head["chars"] += _run("年政府信息公", 412.5, 88.5)["chars"]
    head["x1"] = 556.5
    year = _run("2021", 345.7, 94.2, width=16.7)
    tail = _run("开工作年度报告", 33.7, 117.0)
    lines = _rejoined([head, year, tail])
    assert [ln["text"] for ln in lines] == ["锦州市凌海市文化街道办事处2021年政府信息公", "开工作年度报告"]
    assert (lines[0]["top"], lines[0]["bottom"], lines[0]["x1"]) == (88.5, 94.2 + 24, 556.5)
    # two lines of a paragraph, and a run that stands over another line's characters, stay apart
    assert len(_rejoined([_run("第一行", 30, 100, size=12), _run("第二行", 30, 116, size=12)])) == 2
    assert len(_rejoined([_run("正文", 30, 100, size=12), _run("批注", 40, 104, size=12)])) == 2
    # a gap wider than pdfplumber's tolerance is a space, as in the lines it makes
    assert _rejoined([_run("表", 30, 100, size=12, width=12), _run("3", 46, 102, size=12, width=6)])[0]["text"] \
        == "表 3"



def _placed(*runs: tuple[str, float]) -> dict:
    """A 12-point line of runs ``(text, x0)``, each character 12 points wide (a digit 6), as pdfplumber gives it."""
    chars = []
    for text, x in runs:
        for c in text:
            w = 6 if c.isdigit() else 12
            chars.append({"text": c, "x0": x, "x1": x + w, "top": 100, "bottom": 112, "size": 12})
            x += w
    return {"text": " ".join(t for t, _ in runs), "chars": chars}


def test_a_borderless_tables_cells_are_parted_by_tabs():
    """A table drawn without lines comes out as text: ``105 11 3 1 3 123``, a blank cell gone, was read as
    digits run together and split by the row's identity (1 0 5 113 1 3 123). A gap between two digits, or
    one of an em or more, is now a tab: each number a cell."""
    row = _placed(("(一)予以公开", 30), ("105", 230), ("11", 262), ("3", 290), ("1", 350), ("3", 380), ("123", 410))
    assert _line_text(row) == "(一)予以公开\t105\t11\t3\t1\t3\t123"
    assert _line_text(_placed(("全年受理申请", 30), ("15", 106), ("件", 122))) == "全年受理申请 15 件"  # 4-pt gaps
    # a line without such a gap keeps pdfplumber's text as it was
    plain = _placed(("一、总体情况", 30))
    assert _line_text(plain) == plain["text"]


def test_a_borderless_tables_row_is_not_joined_to_the_line_below_as_running_text():
    """A row whose numbers run to the right margin, then its label's second line at the left margin: joined as a
    wrapped paragraph, the row read ``…0 473府信息公开申请 3 3 6``. A line with a column's gap is a table's row."""
    def line(text, x1, top):
        return _Line(text=text, x0=90, x1=x1, top=top, size=16, font_start="F", font_end="F", page=1)

    body = [line("二是加强政务新媒体运营，及时回应社会关切，全面提升公开实效，不断", 510, 100),
            line("增强公开的针对性。", 250, 120)]
    rows = [line("一、本年新收政\t319\t154\t0\t0\t0\t0\t473", 510, 140), line("府信息公开申请\t3\t3\t6", 300, 160)]
    assert _assemble(body + rows) == [
        "二是加强政务新媒体运营，及时回应社会关切，全面提升公开实效，不断增强公开的针对性。",
        "一、本年新收政\t319\t154\t0\t0\t0\t0\t473", "府信息公开申请\t3\t3\t6"]


def _row(label: str, cells: dict[int, str], top: float, columns=(230, 262, 294, 326, 358, 390, 422)) -> _Line:
    """A row of a table drawn without lines, 12-point: ``label`` at x 30, then ``cells`` by column (a number's
    centre under its column's place), the columns not named left blank on the page, as ``_page_items`` makes it."""
    runs = [(label, 30.0)] + [(cells[j], columns[j] - 3 * len(cells[j])) for j in sorted(cells)]
    placed = _placed(*runs)
    placed["chars"] = [{**c, "top": top, "bottom": top + 12} for c in placed["chars"]]
    text = _line_text(placed)
    return _Line(text=text, x0=30, x1=placed["chars"][-1]["x1"], top=top, size=12, font_start="F", font_end="F",
                 page=1, spans=_field_spans(text, placed["chars"]))


def _full(top: float) -> _Line:
    return _row("(一)予以公开", {j: str(10 + j) for j in range(7)}, top)


def test_field_spans_follow_the_tabs():
    line = _row("(一)予以公开", {0: "105", 1: "11", 6: "123"}, 100)
    assert line.text == "(一)予以公开\t105\t11\t123"
    # (x0, x1, x0 of the number a field ends with, else of its last word)
    assert line.spans == ((30, 114, 30), (221, 239, 221), (256, 268, 256), (413, 431, 413))
    glued = _placed(("部分公开16", 30), ("3", 200))
    assert _field_spans("部分公开16\t3", glued["chars"]) == ((30, 90, 78), (200, 206, 200))
    assert _field_spans("no tab here", []) == ()
    assert _field_spans("a\tb", glued["chars"]) == ()  # fields that do not account for the characters


def test_a_borderless_tables_blank_cells_are_put_back_where_their_columns_stand():
    """Printed without lines, a blank cell leaves no trace in the text (``1.属于国家秘密 0 0 0 0 0 0``: which of
    seven is gone?); the rows around it show where each column stands, and each number stands under one."""
    short = _row("1.属于国家秘密", {0: "3", 1: "1", 3: "2", 4: "0", 5: "0", 6: "6"}, 140)  # column 2 blank
    two = _row("2.其他法律行政法规禁止公开", {0: "3", 2: "1", 3: "2", 4: "0", 6: "6"}, 160)  # columns 1 and 5
    items = [_full(100), _full(120), short, two, _full(180)]
    _place_blanks(items)
    # written as a ruled table's row: a blank at the row's end is a cell between two bars, not a line's padding
    assert short.text == "1.属于国家秘密 | 3 | 1 |  | 2 | 0 | 0 | 6 |" and short.blanks_placed == 1
    assert two.text == "2.其他法律行政法规禁止公开 | 3 |  | 1 | 2 | 0 |  | 6 |" and two.blanks_placed == 2
    last = _row("3.危及“三安全一稳定”", {j: "1" for j in range(6)}, 100)
    _place_blanks([_full(80), last, _full(120)])
    assert last.text == "3.危及“三安全一稳定” | 1 | 1 | 1 | 1 | 1 | 1 |  |"
    assert items[0].text == _full(100).text and not items[0].blanks_placed  # full rows as they were


def test_the_parser_reads_a_put_back_blank_cell_in_its_column():
    from ogi.parse import parse_document
    from ogi.readers.document import Document

    short = _row("1.属于国家秘密", {0: "3", 1: "1", 3: "2", 4: "0", 5: "0", 6: "6"}, 140)
    last = _row("2.其他法律行政法规禁止公开", {j: "1" for j in range(6)}, 160)
    _place_blanks([_full(100), _full(120), short, last])
    report = parse_document(Document(source="t.pdf", format="pdf", lines=[
        "三、收到和处理政府信息公开申请情况", "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        short.text, last.text]))
    assert report.requests.get("denied.state_secret") == [3, 1, None, 2, 0, 0, 6]
    assert report.requests.get("denied.prohibited_by_law") == [1, 1, 1, 1, 1, 1, None]


def test_a_rows_first_number_read_into_its_long_label_is_parted_from_it():
    """``(二)部分公开(区分处理的,只计这一情形,不计其他情形)16`` (the label's cell is full, its number 2 points after
    it: no column's gap): the 16 stands at the first column, and is its cell; with a space before it (5 points),
    and a blank cell after it, too."""
    label = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"
    end = 30 + 12 * len(label)
    columns = tuple(end + 6 + 32 * j for j in range(7))
    glued = _row(label + "16", {1: "3", 2: "0", 3: "1", 4: "1", 5: "3", 6: "24"}, 140, columns=columns)
    assert glued.text == label + "16\t3\t0\t1\t1\t3\t24"  # the 16 right after the label, where column 0 stands
    spaced = _row(label, {0: "0", 1: "0", 3: "0", 4: "0", 5: "0", 6: "0"}, 160, columns=(end + 8, *columns[1:]))
    assert spaced.text == label + " 0\t0\t0\t0\t0\t0"  # 5 points after it: a space, not a column's gap
    full = [_row(f"{k}.属于", {j: "10" for j in range(7)}, top, columns=columns) for k, top in ((1, 100), (2, 180))]
    _place_blanks([full[0], glued, spaced, full[1]])
    assert glued.text == label + " | 16 | 3 | 0 | 1 | 1 | 3 | 24 |" and (glued.parted, glued.blanks_placed) == (1, 0)
    assert spaced.text == label + " | 0 | 0 |  | 0 | 0 | 0 | 0 |" and (spaced.parted, spaced.blanks_placed) == (1, 1)
    # a label's own number, not standing at a column, stays in it
    own = _row("其中：网上申请 5", {j: "1" for j in range(1, 7)}, 140)
    text = own.text
    _place_blanks([_full(100), own, _full(180)])
    assert own.text == text


@pytest.mark.parametrize("why, line", [
    # a number set close to a long label's end, no column's gap before it: the column is not blank on the page
    ("glued to its label", _row("(二)部分公开(区分处理的,只计这一情形) 0", {1: "0", 3: "0", 4: "0", 5: "0", 6: "0"}, 140)),
    ("three cells gone", _row("3.危及“三安全一稳定”", {0: "1", 2: "1", 6: "2"}, 140)),
    ("a number between two columns", _row("4.保护第三方合法权益", {0: "1", 1: "0", 2: "0", 3: "0", 4: "0", 5: "1"}, 140,
                                     columns=(230, 262, 294, 326, 358, 375, 422))),
])
def test_a_row_that_does_not_fit_the_columns_is_left_as_it_was(why, line):
    text = line.text
    _place_blanks([_full(100), _full(120), line, _full(160)])
    assert line.text == text and not line.blanks_placed, why


def test_narrow_tables_and_a_single_full_row_give_no_columns():
    # table 2's rows hold one to four cells of different spans: never filled
    rows = [_row("规章", {0: "1", 1: "2", 2: "3"}, 100, columns=(230, 290, 350)),
            _row("行政规范性文件", {0: "1", 1: "2", 2: "3"}, 120, columns=(230, 290, 350)),
            _row("行政许可", {1: "7"}, 140, columns=(230, 290, 350))]
    texts = [r.text for r in rows]
    _place_blanks(rows)
    assert [r.text for r in rows] == texts
    # one full row is no evidence of where the columns stand
    short = _row("1.属于国家秘密", {0: "3", 1: "1", 3: "2", 4: "0", 5: "0", 6: "6"}, 140)
    text = short.text
    _place_blanks([_full(100), short, _row("说明", {0: "1"}, 160)])
    assert short.text == text


def test_a_labels_pieces_wrapped_between_rows_do_not_part_the_table():
    """Word's narrow label columns wrap each label every two or three characters: the pieces stand between the
    rows, on lines of their own (LibreOffice's print of a synthetic report: ``6.属于`` / ``四类过`` / ``程性信``)."""
    def piece(text: str, top: float) -> _Line:
        return _Line(text=text, x0=176, x1=208, top=top, size=12, font_start="F", font_end="F", page=1)

    short = _row("6.属于", {0: "3", 1: "0", 2: "0", 3: "0", 5: "0", 6: "3"}, 200)
    items = [_full(100), piece("三类内", 120), piece("部事务", 140), _full(160), short, piece("四类过", 220),
             _full(240)]
    _place_blanks(items)
    assert short.text == "6.属于 | 3 | 0 | 0 | 0 |  | 0 | 3 |"
    # a longer piece, left of every cell (a browser's print: "政机关不再处理其政府信息公开申请" above "3.其他")
    longer = _Line(text="政机关不再处理其政府信息公开申请", x0=30, x1=222, top=120, size=12, font_start="F", font_end="F",
                   page=1)
    short = _row("3.其他", {0: "3", 1: "0", 2: "0", 4: "0", 5: "0", 6: "3"}, 140)
    _place_blanks([_full(100), longer, short, _full(160)])
    assert short.text == "3.其他 | 3 | 0 | 0 |  | 0 | 0 | 3 |"
    # a heading between them parts two tables
    short = _row("6.属于", {0: "3", 1: "0", 2: "0", 3: "0", 5: "0", 6: "3"}, 200)
    text = short.text
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    _place_blanks([_full(100), _full(120), _Line(text=heading, x0=30, x1=30 + 12 * len(heading), top=140, size=12,
                                                 font_start="F", font_end="F", page=1), short])
    assert short.text == text


@pytest.mark.slow
def test_a_borderless_tables_blank_cells_printed_by_a_browser_are_read_in_their_columns(tmp_path):
    import random

    from ogi import synth
    from ogi.parse import parse_document

    rng = random.Random(20261124 * 31 + 1)  # a report of the fuzz (docs/PARSER.md, "An eleventh round")
    html, truth = synth.generate(rng, "html", "2019" if rng.random() < 0.2 else "2021", blanks=rng.choice([1, 3, 8, 8]))
    page = html.replace('border="1"', 'border="0"').replace(
        "</head>", "<style>table,td,th{border:none !important}</style></head>")
    doc = read_pdf("printed.pdf", _print_to_pdf(tmp_path, page, "--no-pdf-header-footer").read_bytes())
    assert any("blank cell(s)" in m for m in doc.messages)
    score = synth.score(parse_document(doc), truth)
    assert score["wrong"] == 0 and score["null"] == 0, score  # read before: 18 cells null


def _split(last: list[str], first: list[str], pages=(1, 2)) -> tuple[_Rows, _Rows]:
    from ogi.readers.document import render_row

    a = _Rows(top=500, cells=[["二、上年结转政府信息公开申请数量", *"0000000"], last], page=pages[0])
    b = _Rows(top=60, cells=[first, ["（五）不予处理", "1.信访举报投诉类申请", *"1000001"]], page=pages[1])
    for rows in (a, b):
        rows.lines = [render_row(c) for c in rows.cells]
    return a, b


def test_a_row_a_page_break_split_is_joined():
    """Word lets a row break across pages: ``3.补`` and the row's numbers at a page's foot, the rest of the label
    over blank cells at the next page's top; read as two rows, the blanks were taken for the row's."""
    a, b = _split(["3.补", "3", "0", "0", "0", "0", "0", "3"], ["", "", "正后申请内容仍不明确", *[""] * 7])
    assert _join_split_rows([a, b]) == 1
    assert a.lines[-1] == "3.补正后申请内容仍不明确 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"
    assert b.lines == ["（五）不予处理 | 1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"] and len(b.cells) == 1
    # the label's rest in the row's first cell (no group cell before it)
    a, b = _split(["一、本年新收政府", "40", "7", "0", "2", "5", "8", "62"], ["信息公开申请数量", *[""] * 7])
    assert _join_split_rows([a, b]) == 1 and a.lines[-1].startswith("一、本年新收政府信息公开申请数量 | 40 |")


@pytest.mark.parametrize("why, last, first, pages", [
    ("a row of its own, printed blank", ["2.没有现成信息", *"1000001"], ["", "", "3.补正后申请内容仍不明确", *[""] * 7], (1, 2)),
    ("not the next page", ["3.补", *"3000003"], ["", "", "正后申请内容仍不明确", *[""] * 7], (1, 3)),
    ("a number in it", ["3.补", *"3000003"], ["", "", "正后申请内容仍不明确", *[""] * 6, "1"], (1, 2)),
    ("a header row repeated", ["3.补", *"3000003"], ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                                   "其他", "总计"], (1, 2)),
    ("two texts", ["3.补", *"3000003"], ["", "提供", "正后申请内容仍不明确", *[""] * 7], (1, 2)),
    ("not in the label's column", ["3.补", *"3000003"], ["", "正后申请内容仍不明确", "", *[""] * 7], (1, 2)),
    ("table 2's short rows", ["规范性", "3", "1"], ["文件", "", ""], (1, 2)),
])
def test_rows_that_are_not_one_row_split_stay_apart(why, last, first, pages):
    a, b = _split(last, first, pages)
    lines = a.lines + b.lines
    assert _join_split_rows([a, b]) == 0 and a.lines + b.lines == lines, why


def test_a_character_is_read_in_one_cell_only_the_one_fewest_rows_tall():
    """A merged cell cut by a page break got a box over the rows below it: ``3.其他`` and ``(七)总计``, each in a
    cell of its own, were read in it too (``3.其他 (七)总计 | 3.其他 | 0 …``), and the total's label stood on
    3.其他's row: its zeros were read as the total (Chromium's print of a synthetic page, 2 cells wrong)."""
    from types import SimpleNamespace

    from ogi.readers.pdf import _cell_texts

    def char(text, x, top):
        return {"text": text, "x0": x, "x1": x + 10, "top": top, "bottom": top + 10, "doctop": top, "upright": True}

    chars = [char(c, 150 + 10 * k, 90) for k, c in enumerate("3.其他")] + \
            [char(c, 110 + 10 * k, 130) for k, c in enumerate("(七)总计")] + [char("0", 390, 90), char("3", 390, 130)]
    broken, other, zero = (35, 81, 384, 161), (149, 81, 384, 121), (384, 81, 410, 121)
    total, three = (102, 121, 384, 161), (384, 121, 410, 161)
    table = SimpleNamespace(page=SimpleNamespace(chars=chars), rows=[
        SimpleNamespace(bbox=(35, 81, 410, 161), cells=[broken, None, other, zero]),
        SimpleNamespace(bbox=(102, 121, 410, 161), cells=[None, total, None, three])])
    assert _cell_texts(table, 3) == [["", None, "3.其他", "0"], [None, "(七)总计", None, "3"]]


@pytest.mark.slow
def test_a_table_with_lines_printed_by_a_browser_over_a_page_break_reads_every_cell(tmp_path):
    import random

    from ogi import synth
    from ogi.parse import parse_document

    rng = random.Random(20261126 * 41 + 3)  # the page whose merged cell a page break cut (2 cells wrong before)
    html, truth = synth.generate(rng, "html", "2019" if rng.random() < 0.2 else "2021", blanks=rng.choice([1, 3, 8, 8]))
    doc = read_pdf("printed.pdf", _print_to_pdf(tmp_path, html, "--no-pdf-header-footer").read_bytes())
    score = synth.score(parse_document(doc), truth)
    assert score["wrong"] == 0 and score["null"] == 0, score


@pytest.mark.slow
def test_a_title_printed_by_a_browser_keeps_its_year_in_place(tmp_path):
    from ogi.parse import parse_document

    page = ('<html><head><meta charset="utf-8"></head><body><h1 style="font-size:32px">'
            "锦州市凌海市文化街道办事处2021年政府信息公开工作年度报告</h1>"
            "<p>一、总体情况</p><p>2021年，我街道认真落实《条例》。</p></body></html>")
    doc = read_pdf("printed.pdf", _print_to_pdf(tmp_path, page, "--no-pdf-header-footer").read_bytes())
    assert "街道办事处2021年政府信息公" in doc.text
    report = parse_document(doc)
    assert (report.agency, report.year) == ("锦州市凌海市文化街道办事处", 2021)


@pytest.mark.slow
def test_a_borderless_table_printed_by_a_browser_gives_no_number_that_was_not_printed(tmp_path):
    import random

    from ogi import synth
    from ogi.parse import parse_document

    rng = random.Random(210 * 7919 + 5)  # a report of the fuzz that found it: 4 numbers not printed
    html, truth = synth.generate(rng, "html", "2019" if rng.random() < 0.2 else "2021",
                                 blanks=rng.choice([0, 0, 1, 3, 8]))
    page = html.replace('border="1"', 'border="0"').replace(
        "</head>", "<style>table,td,th{border:none !important}</style></head>")
    doc = read_pdf("printed.pdf", _print_to_pdf(tmp_path, page, "--no-pdf-header-footer").read_bytes())
    assert not [m for m in doc.messages if "ruling lines" in m]  # no ruling lines: the tables are text
    assert "(一)予以公开 | 105 | 11 | 3 |  | 1 | 3 | 123 |" in doc.lines  # its blank cell put back in its column
    score = synth.score(parse_document(doc), truth)
    assert score["wrong"] == 0 and score["exact"] > 100, score


@pytest.mark.parametrize("name, nulls", [("word_report_1.pdf", 0), ("word_report_14.pdf", 0)])
def test_word_files_printed_to_pdf_by_libreoffice(name, nulls):
    """Synthetic reports written as Word files, their table 3 in ten columns of one width (its labels wrapped every
    two or three characters), 12- to 16-point text, one with the table grid drawn, one without lines; printed to
    PDF by LibreOffice (make_libreoffice_pdf_fixtures.py). Read before: 179 of 200 cells and 115 of 199 exact, 7
    wrong.
    Report 14's table without lines left a blank cell no trace in its text (the row, 6 cells, null before): it is
    put back where its column stands on the page (``_place_blanks``). Report 1's ruled table 3 has three rows a page
    break split (``3.补`` and its numbers on one page, ``正后申请内容仍不明确`` over blank cells on the next): the
    second part's blanks were taken for the row's (7 null), now the label's rest is put back in its row."""
    import json
    import re
    import unicodedata

    from ogi import synth
    from ogi.parse import parse_document

    truth = json.loads((FIXTURES / "word_pdf_truth.json").read_text(encoding="utf-8"))[name]
    report = parse_document(read_pdf(name, (FIXTURES / name).read_bytes()))
    score = synth.score(report, truth)
    assert (score["wrong"], score["null"]) == (0, nulls) and score["exact"] >= 190
    assert (report.agency, report.year) == (truth["agency"], truth["year"])
    # what the reader did, said
    said = {"word_report_1.pdf": "3 table row(s) split by a page break joined: the rest of a label, read at the top "
                                 "of the next page, put back in its row",
            "word_report_14.pdf": "tables without lines: 1 blank cell(s) put in, in 1 row(s), by where their columns "
                                  "stand on the page"}
    assert said[name] in report.messages

    def plain(text):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    assert {k: plain(report.sections.get(k, "")) for k in ("overview", "problems", "other")} == \
        {k: plain(truth["sections"].get(k, "")) for k in ("overview", "problems", "other")}

# ---------------------------------------------------------------- PDFium reads the pages

def _both_readings(data: bytes, monkeypatch):
    """The Document read with PDFium's page objects and with pdfminer's."""
    from ogi.readers import pdf
    monkeypatch.setattr(pdf, "USE_PDFIUM", True)
    fast = read_pdf("x.pdf", data)
    monkeypatch.setattr(pdf, "USE_PDFIUM", False)
    slow = read_pdf("x.pdf", data)
    return fast, slow


def test_pdfium_and_pdfminer_give_the_same_report(monkeypatch):
    from ogi.parse import parse_document
    fast, slow = _both_readings((FIXTURES / "report.pdf").read_bytes(), monkeypatch)
    assert fast.lines == slow.lines and fast.messages == slow.messages and fast.error is None
    a, b = parse_document(fast), parse_document(slow)
    assert (a.requests, a.proactive, a.review_litigation, a.status) == \
        (b.requests, b.proactive, b.review_litigation, b.status)


def test_pdfium_objects_are_pdfminers():
    """Characters (text, box, size) and the table's ruling edges as pdfminer's layout gives them. The box may
    differ a little: the fixture's font is not embedded, so its glyphs' right edges are a substitute's (up to
    1.1 points here), and a font's descent may be read otherwise (a few points at most on real PDFs)."""
    import pdfplumber

    from ogi.readers import pdfium_objects
    data = (FIXTURES / "report.pdf").read_bytes()
    fast = pdfium_objects.open_document(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for k, page in enumerate(pdf.pages):
            mine = pdfium_objects.page_objects(fast[k], page.initial_doctop)
            theirs = [c for c in page.chars if c["text"].strip()]
            ours = [c for c in mine["char"] if c["text"].strip()]
            assert [c["text"] for c in ours] == [c["text"] for c in theirs]
            for a, b in zip(ours, theirs):
                assert abs(a["x0"] - b["x0"]) < 0.5 and abs(a["x1"] - b["x1"]) < 1.5
                assert abs(a["size"] - b["size"]) < 0.01 and a["upright"] == b["upright"]
                assert abs(a["top"] - b["top"]) < 4
            edges = lambda objs: sorted((round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
                                        for e in objs)
            ours_page = pdfplumber.page.Page.__new__(pdfplumber.page.Page)
            ours_page._objects = mine
            assert edges(ours_page.edges) == edges(page.edges)
    fast.close()


def test_a_rotated_page_is_read_by_pdfminer(monkeypatch):
    import pypdfium2

    from ogi.readers import pdfium_objects
    pdf = pypdfium2.PdfDocument((FIXTURES / "report.pdf").read_bytes())
    pdf[0].set_rotation(90)
    buf = io.BytesIO()
    pdf.save(buf)
    assert pdfium_objects.page_objects(pypdfium2.PdfDocument(buf.getvalue())[0], 0) is None
    fast, slow = _both_readings(buf.getvalue(), monkeypatch)
    assert fast.lines == slow.lines


def test_unique_chars_is_pdfplumbers_dedupe():
    """A glyph drawn twice (fake bold, a shadow) within a point: one kept, as pdfplumber keeps it."""
    import random

    from pdfplumber.utils.text import dedupe_chars

    from ogi.readers.pdf import _unique_chars
    rnd = random.Random(7)
    for _ in range(30):
        chars = [{"text": rnd.choice("0123规章"), "upright": True, "fontname": rnd.choice("AB"), "size": 10.5,
                  "x0": rnd.uniform(0, 60), "doctop": rnd.choice([10.0, 10.4, 11.6, 30.0])} for _ in range(120)]
        assert [id(c) for c in _unique_chars(chars)] == [id(c) for c in dedupe_chars(chars)]
