"""Splitting runs of digits by the identities (FORMAT.md, layout family 3)."""

from ogi.parse.solve import compositions, resolve_row, sum_blocks
from ogi.parse.tokens import tokenize


def test_format_md_examples():
    assert sum_blocks("3100004", (7,)) == [(3, 1, 0, 0, 0, 0, 4)]
    assert sum_blocks("100010000000000", (5, 5, 5)) == [(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]


def test_no_leading_zeros():
    assert compositions("0000000", 7) == [(0,) * 7]
    assert compositions("01", 1) == []


def test_ambiguous_table2_run_has_all_candidates():
    cands = compositions("124310", 3)
    assert (12, 4, 310) in cands and len(cands) > 1


def test_multi_digit_totals():
    # 48 3 0 0 1 0 52 run together
    assert sum_blocks("4830010 52".replace(" ", ""), (7,)) == [(48, 3, 0, 0, 1, 0, 52)]


def test_resolve_row_prefers_printed_cells():
    toks = tokenize(["0 | 0 | 0 | 0 | 0 | 0 | 0 |"])
    cands, how = resolve_row(toks, 7, (7,))
    assert how == "printed" and cands == [(0,) * 7]


def test_resolve_row_rejoins_stray_spaces():
    # a stray space inside a number: "1 2" is 12 when only that reading satisfies the row total
    toks = tokenize(["一、本年新收政府信息公开申请数量 1 2 00000 12"])
    toks = [t for t in toks if t.kind != "label"]
    cands, how = resolve_row(toks, 7, (7,))
    assert (12, 0, 0, 0, 0, 0, 12) in cands


def test_a_stray_space_in_a_separated_cell_is_no_extra_cell():
    """"| 1300 24 |": a row longer than its cells because a cell holds numbers parted by a space is not
    read as its first cells (1300, the 24 ignored); the identity decides, or the row is left unread."""
    one = [t for t in tokenize(["行政许可 | 1300 24 |"]) if t.kind != "label"]
    assert resolve_row(one, 1) == ([], "spaced")
    row = [t for t in tokenize(["（一）予以公开 | 7 1 | 0 | 0 | 0 | 0 | 0 | 71 |"]) if t.kind != "label"]
    assert resolve_row(row, 7, (7,)) == ([(71, 0, 0, 0, 0, 0, 71)], "split")
    # both readings fit the identity: neither is taken
    both = [t for t in tokenize(["（一）予以公开 | 1 1 | 0 | 0 | 0 | 0 | 1 | 2 |"]) if t.kind != "label"]
    assert resolve_row(both, 7, (7,)) == ([], "spaced")


def test_a_spaced_pdf_row_of_its_own_width_is_read_as_printed():
    row = [t for t in tokenize(["规章 0 0 3"]) if t.kind != "label"]
    assert resolve_row(row, 3) == ([(0, 0, 3)], "printed")


def test_a_number_among_a_rows_cells_that_breaks_its_identity_is_dropped():
    """上海市科委 2024 (PDF to markdown): a stray "1" before the row "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |" was read as
    its first cell; its narrative (其他处理 14 件 = 10 + 0 + 4) says the row is zeros. Only a reading that keeps
    the row identity is taken, and a row whose first cells keep it is read as printed."""
    row = [t for t in tokenize(["1 0 0 0 0 0 0 0"]) if t.kind != "label"]
    assert resolve_row(row, 7, (7,)) == ([(0,) * 7], "dropped")
    page = [t for t in tokenize(["8 |", "1 |", "0 |", "17", "0 |", "0 |", "0 |", "0 |", "9 |"]) if t.kind != "label"]
    assert resolve_row(page, 7, (7,)) == ([(8, 1, 0, 0, 0, 0, 9)], "dropped")
    after = [t for t in tokenize(["3 0 0 0 0 0 3", "17"]) if t.kind != "label"]
    assert resolve_row(after, 7, (7,)) == ([(3, 0, 0, 0, 0, 0, 3)], "printed")
    # without an identity nothing tells which number is none: read as printed, the extra said in a message
    assert resolve_row(row, 7)[1] == "printed"


def test_a_number_alone_on_its_line_without_the_separators_of_the_rows_cells_is_none():
    """The stray "1" of 上海市科委 2024 alone on its line, the row's cells between separators: no cell, with an
    identity to check or without one; a page number left between cells closed by "|" likewise."""
    row = [t for t in tokenize(["1", "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |"]) if t.kind != "label"]
    assert resolve_row(row, 7, (7,)) == ([(0,) * 7], "unseparated")
    assert resolve_row(row, 7) == ([(0,) * 7], "unseparated")
    page = [t for t in tokenize(["8 |", "1 |", "0 |", "17", "0 |", "0 |", "0 |", "9 |"]) if t.kind != "label"]
    assert resolve_row(page, 7, (7,)) == ([(8, 1, 0, 0, 0, 0, 9)], "unseparated")
    after = [t for t in tokenize(["| 3 | 0 | 0 | 0 | 0 | 0 | 3 |", "17"]) if t.kind != "label"]
    assert resolve_row(after, 7, (7,)) == ([(3, 0, 0, 0, 0, 0, 3)], "unseparated")
    # the reading without it breaks the identity: not taken (the identity's own readings are tried)
    odd = [t for t in tokenize(["8 |", "1 |", "17", "0 |", "0 |", "0 |", "0 |", "26 |"]) if t.kind != "label"]
    assert resolve_row(odd, 7, (7,))[1] != "unseparated"
    # a number on a line with others, or cells without separators: no such reading
    same_line = [t for t in tokenize(["| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1"]) if t.kind != "label"]
    assert resolve_row(same_line, 7)[1] == "printed"


def test_a_stray_space_inside_a_number_of_a_spaced_row_is_joined_by_the_identity():
    """Text whose cells are parted by spaces (crawler text of a CMS page, a PDF's text), a stray space inside a
    number: "217 1 0 0 0 0 21 8" was read 217 | 1 | 0 … | 21, the 8 "after its cells" ignored. The reading
    that joins the numbers a space split and keeps the identity is taken; two readings that keep it are
    both candidates; a row whose first cells keep it is read as printed."""
    def row(line):
        return [t for t in tokenize([line]) if t.kind != "label"]

    assert resolve_row(row("（七）总计 217 1 0 0 0 0 21 8"), 7, (7,)) == ([(217, 1, 0, 0, 0, 0, 218)], "joined")
    assert resolve_row(row("（七）总计 2 1 7 1 0 0 0 0 218"), 7, (7,)) == ([(217, 1, 0, 0, 0, 0, 218)], "joined")
    assert resolve_row(row("（七）总计 75 0 0 0 0 0 7 5"), 7, (7,)) == ([(75, 0, 0, 0, 0, 0, 75)], "joined")
    # "0 5" is no number: never joined
    assert resolve_row(row("（七）总计 5 0 0 0 0 0 0 5 0"), 7, (7,))[0] != [(5, 0, 0, 0, 0, 0, 5)]
    kept = row("（七）总计 3 0 0 0 0 0 3 17")
    assert resolve_row(kept, 7, (7,)) == ([(3, 0, 0, 0, 0, 0, 3)], "printed")
    # a number that is no cell, or a stray space: both readings keep the identity, neither is taken alone
    cands, how = resolve_row(row("（七）总计 7 5 0 0 0 0 0 7 5"), 7, (7,))
    assert how == "dropped" and sorted(cands) == [(5, 0, 0, 0, 0, 0, 5), (7, 0, 0, 0, 0, 0, 7), (75, 0, 0, 0, 0, 0, 75)]


def test_a_spaced_row_that_keeps_its_identity_both_as_printed_and_joined_is_not_read_as_printed():
    """"1 0 0 0 0 0 1 11" (10 | 0 | 0 | 0 | 0 | 1 | 11 with a stray space inside 10): the first seven keep the
    identity, with 11 to spare, and so does 10 0 0 0 0 1 11. Read as printed, three cells were wrong; both
    readings are candidates, for the column identities to choose between or to leave null. A page number
    after a row whose joined readings break the identity leaves it read as printed (above)."""
    def row(line):
        return [t for t in tokenize([line]) if t.kind != "label"]

    assert resolve_row(row("（二）部分公开 1 0 0 0 0 0 1 11"), 7, (7,)) == (
        [(1, 0, 0, 0, 0, 0, 1), (10, 0, 0, 0, 0, 1, 11)], "either")
    assert resolve_row(row("（二）部分公开 1 0 0 0 0 0 1 12"), 7, (7,)) == ([(1, 0, 0, 0, 0, 0, 1)], "printed")
    # in a report: the message says so, and the row is no longer read with 1 and 0 for 10
    import ogi

    text = open(__import__("conftest").RAW / "000_a24b6662cf75509f.txt", encoding="utf-8").read()
    report = ogi.parse_text(text, source="x")
    assert report.requests["partial"] == [0] * 7
    line = next(l for l in text.split("\n") if l.startswith("（二）部分公开") or l.startswith("(二)部分公开"))
    spaced = text.replace(line, line.split("|")[0].strip() + " 1 0 0 0 0 0 1 11", 1)
    report = ogi.parse_text(spaced, source="x")
    assert report.requests["partial"] != [1, 0, 0, 0, 0, 0, 1]
    assert any("keeps its identity as printed, and so it does with numbers a stray space may have split joined"
               in m for m in report.messages)


def test_single_spaces_among_wide_gaps_are_no_borders():
    """Cells parted by wide gaps, a single space inside a number ("行政规范性文件  62  33  4 40", a CMS page's
    text): the wide gaps are the borders. Table 2 has no identity to say whether "4 40" is 440 or two cells, so
    the row is unread, where it was read 62 | 33 | 4 and the 40 ignored; table 3's identity joins the pieces."""
    def row(line):
        return [t for t in tokenize([line]) if t.kind != "label"]

    assert resolve_row(row("行政规范性文件  62  33  4 40"), 3) == ([], "spaced")
    assert resolve_row(row("（七）总计  217  1  0  0  0  0  21 8"), 7, (7,)) == ([(217, 1, 0, 0, 0, 0, 218)], "split")
    # gaps all alike, or cells between tabs: as before
    assert resolve_row(row("行政规范性文件 62 33 440 7"), 3) == ([(62, 33, 440)], "printed")
    assert resolve_row(row("行政规范性文件  62  33  440"), 3) == ([(62, 33, 440)], "printed")
    assert resolve_row(row("行政规范性文件\t62\t33 \t440"), 3) == ([(62, 33, 440)], "printed")


def test_a_number_printed_as_its_own_cell_is_never_split():
    """上海市政府办公厅 2019, printed to PDF with its total column cut off: "| 148 | 1 | | | | |" is a cell
    short, and with blanks the row identity holds for any reading; 148 was split into 1 | 4 | 8. A number
    between separators is one value; the missing cell is placed instead (a "gap" reading)."""
    row = [t for t in tokenize(["（五）不予处理 | 1.信访举报投诉类申请 | 148 | 1 |  |  |  |"]) if t.kind != "label"]
    cands, how = resolve_row(row, 7, (7,))
    assert how == "gap" and all(148 in c for c in cands)
    # a run glued to its label in one cell is still split by the identity
    run = [t for t in tokenize(["一、本年新收政府信息公开申请数量3100004 |"]) if t.kind != "label"]
    assert resolve_row(run, 7, (7,)) == ([(3, 1, 0, 0, 0, 0, 4)], "split")


def test_a_number_printed_on_a_line_of_its_own_is_placed_by_the_identity():
    """A real report's PDF through `pdftotext -layout`: the total of （二）部分公开 printed beside the label's
    first line, the other cells two lines below ("3" / "3 0 0 0 0 0"): read as printed, 3 | 3 | 0 … | 0."""
    row = [t for t in tokenize(["（二）部分公开（区        3", "分处理的，只计这一", "3   0   0   0   0   0"])
           if t.kind != "label"]
    assert resolve_row(row, 7, (7,)) == ([(3, 0, 0, 0, 0, 0, 3)], "moved")
    # a row that keeps its identity as printed, or whose numbers share one line, is read as printed
    kept = [t for t in tokenize(["3", "0 0 0 0 0 3"]) if t.kind != "label"]
    assert resolve_row(kept, 7, (7,))[1] == "printed"
    one_line = [t for t in tokenize(["3 3 0 0 0 0 0"]) if t.kind != "label"]
    assert resolve_row(one_line, 7, (7,))[1] != "moved"
    one_a_line = [t for t in tokenize(["3 |", "3 |", "0 |", "0 |", "0 |", "0 |", "0 |"]) if t.kind != "label"]
    assert resolve_row(one_a_line, 7, (7,))[1] != "moved"


def test_a_row_with_numbers_to_spare_that_breaks_its_identity_is_unread():
    """pdfminer's text boxes of a real PDF: a row followed by a block of other rows' numbers (column by column).
    Its first seven numbers break the row identity: they are not its cells, and it is left unread."""
    row = [t for t in tokenize(["2.其他法律行政法规禁止公开", "0", "0", "2", "0", "0", "0", "0", "0", "4", "0", "1"])
           if t.kind != "label"]
    assert resolve_row(row, 7, (7,)) == ([], "jumbled")
    # the first seven keep the identity (the rows after it under labels the table does not know): read so
    kept = [t for t in tokenize(["| 9 | 0 | 0 | 0 | 0 | 0 | 9 |", "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |"]) if t.kind != "label"]
    assert resolve_row(kept, 7, (7,)) == ([(9, 0, 0, 0, 0, 0, 9)], "printed")


def test_unsplittable_run_is_short():
    toks = [t for t in tokenize(["99"]) if t.kind == "num"]
    cands, how = resolve_row(toks, 7, (7,))
    assert how == "short" and cands == []


def test_rows_with_signs_and_decimals_in_a_space_group_are_read_without_error():
    """'263 -7' in one space group was joined into '263-7' (ValueError: the whole report failed), and a decimal
    among a joined reading's cells was read with int() (a fuzz of random rows found both)."""
    signed = [t for t in tokenize(["行政许可 26 3 -7 14129"]) if t.kind != "label"]
    assert resolve_row(signed, 3)[1] == "spaced"
    decimal = [t for t in tokenize(["行政许可 2145  1617  1315  1746  -152  -108  1254  -39  38.95"]) if t.kind != "label"]
    options, how = resolve_row(decimal, 7, (7,))
    assert how in ("dropped", "joined", "jumbled", "printed")


def test_a_row_that_splits_more_ways_than_can_be_tried_is_left_unread_at_once():
    """Nine four-digit numbers for table 4's fifteen cells: every split was tried (seconds for one row, minutes
    for a few); now at most SPLIT_BUDGET readings, then the row is "tangled" and unread."""
    import time

    row = [t for t in tokenize(["859  2410  1924  35.12  1039  660    681  2832  50.50"]) if t.kind != "label"]
    start = time.process_time()
    assert resolve_row(row, 15, (5, 5, 5)) == ([], "tangled")
    assert time.process_time() - start < 1.5
    import ogi
    report = ogi.parse_text("\n".join(["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼",
                                      "113886091103 -91717 -482110 -972445", "五、存在的主要问题及改进情况"]))
    assert report.review_litigation == [None] * 15
    assert any("more ways than can be tried" in m for m in report.messages)


def test_a_line_of_two_numbers_among_numbers_one_a_line_is_not_two_cells_because_the_identity_holds():
    """A row printed one cell a line, a line lost and a stray space in its total: "0 0 1 0 0 5 6" (the truth
    55 0 0 1 0 0 56) keeps the identity as printed, by chance. Two cells sharing a line, or one number split
    where a line was lost: the row is left unread, as when the printed reading breaks the identity."""
    def lines(*ls):
        return [t for t in tokenize(list(ls)) if t.kind != "label"]

    assert resolve_row(lines("0", "0", "1", "0", "0", "5 6"), 7, (7,)) == ([], "spaced line")
    assert resolve_row(lines("55", "0", "0", "1", "0", "0", "56"), 7, (7,)) == ([(55, 0, 0, 1, 0, 0, 56)], "printed")
    assert resolve_row(lines("0 0 1 0 0 5 6"), 7, (7,)) == ([(0, 0, 1, 0, 0, 5, 6)], "printed")  # a spaced row
