"""The synthetic report generator (ogi.synth) on its own, without the parser.

These tests make sure that what the property tests feed the parser is right:
values obey the template's identities, every layout prints every value where
its real-world counterpart would, and a seed always gives the same report.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter

import pytest
from lxml import html as lxml_html

import ogi
from ogi import synth
from ogi.model import Report
from ogi.regions import agency_key, derive_region, printed_region
from ogi.schema import OUTCOME_ROWS, PROACTIVE_ROWS, SECTIONS, request_row_codes

SEEDS = range(150)
_HALF = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


def norm(text: str) -> str:
    """Compare texts whatever the document's punctuation style."""
    return text.translate(_HALF)


def fmt(values) -> list[str]:
    return [synth.fmt_number(v) for v in values]


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("template", synth.TEMPLATES)
def test_values_have_the_template_shape(template):
    for seed in SEEDS:
        v = synth.random_values(random.Random(seed), template)
        assert v["templates"] == {"proactive": template, "requests": template, "review_litigation": template}
        assert tuple(v["requests"]) == request_row_codes(template)
        assert all(len(row) == 7 for row in v["requests"].values())
        assert len(v["review_litigation"]) == 15
        # printed rows follow schema.PROACTIVE_ROWS (codes and widths) ...
        printed = synth.printed_proactive(v)
        assert [(c, len(cells)) for c, cells in printed] == [(r.code, r.width) for r in PROACTIVE_ROWS[template]]
        # ... while the values are in the Report shape the parser returns
        pro = v["proactive"]
        if template == "2021":
            assert list(pro) == [r.code for r in PROACTIVE_ROWS[template]]
            for spec in PROACTIVE_ROWS[template]:
                if spec.width == 1:
                    assert isinstance(pro[spec.code], (int, float)) and not isinstance(pro[spec.code], bool)
        else:
            assert set(pro) == {"regulations", "normative_documents", "licensing", "licensing_items",
                                "other_services", "penalty", "penalty_items", "coercion", "coercion_items",
                                "fee_items", "procurement", "fees"}
            assert pro["fees"] is None
            for code in ("licensing", "penalty", "coercion"):
                assert isinstance(pro[code], int) and len(pro[f"{code}_items"]) == 2


@pytest.mark.parametrize("template,t3", [("2021", None), ("2019", None), ("2021", "2019"), ("2019", "2021")])
def test_values_obey_identities(template, t3):
    for seed in range(400):
        v = synth.random_values(random.Random(seed), template, requests_template=t3)
        assert synth.check_identities(v) == [], (seed, v)
        req = v["requests"]
        outcomes = OUTCOME_ROWS[v["templates"]["requests"]]
        for col in range(7):
            assert req["new"][col] + req["carried_over"][col] == req["total"][col] + req["carry_forward"][col]
            assert sum(req[c][col] for c in outcomes) == req["total"][col]
        for row in req.values():
            assert sum(row[:6]) == row[6] and min(row) >= 0
        rl = v["review_litigation"]
        for g in range(3):
            assert sum(rl[5 * g:5 * g + 4]) == rl[5 * g + 4]


def test_check_identities_catches_a_broken_table():
    v = synth.random_values(random.Random(1), "2021")
    v["requests"]["granted"][0] += 1
    bad = synth.check_identities(v)
    assert any(b.startswith("row_total granted") for b in bad)
    assert "outcomes col 0" in bad


def test_volumes_are_heavy_tailed():
    totals = [synth.random_values(random.Random(s), "2021")["requests"]["new"][6] for s in range(3000)]
    zero_share = sum(t == 0 for t in totals) / len(totals)
    assert 0.5 < zero_share < 0.7
    assert max(totals) >= 1000
    assert sum(t >= 100 for t in totals) > 20
    licensing = [synth.random_values(random.Random(s), "2021")["proactive"]["licensing"] for s in range(500)]
    assert max(licensing) > 10_000


def test_fees_are_amounts_with_up_to_four_decimals():
    fees = [synth.random_values(random.Random(s), "2021")["proactive"]["fees"] for s in range(600)]
    assert Counter(f == 0 for f in fees)[True] > 300  # often 0
    floats = [f for f in fees if isinstance(f, float)]
    assert floats, "some fees carry decimals"
    for f in floats:
        text = synth.fmt_number(f)
        assert re.fullmatch(r"\d+\.\d{1,4}", text), text
        assert float(text) == f


def test_2019_items_change_can_be_negative():
    changes = [synth.random_values(random.Random(s), "2019")["proactive"]["licensing_items"][1] for s in range(800)]
    assert min(changes) < 0 < max(changes)


def test_blank_cells():
    v = synth.random_values(random.Random(3), "2021")
    b = synth.blank_cells(random.Random(4), v, 5)
    cells = synth.value_cells(b)

    def get(d, cell):
        if cell[0] == "review_litigation":
            return d["review_litigation"][cell[1]]
        if cell[0] == "requests":
            return d["requests"][cell[1]][cell[2]]
        x = d["proactive"][cell[1]]
        return x if cell[2] is None else x[cell[2]]

    assert sum(get(b, c) is None for c in cells) == 5
    assert sum(get(v, c) is None for c in cells) == 0  # the original is untouched


def test_blanks_refused_where_invisible():
    for layout in set(synth.LAYOUTS) - synth.BLANK_LAYOUTS:
        with pytest.raises(ValueError):
            synth.generate(random.Random(0), layout, blanks=1)


# ---------------------------------------------------------------------------
# Metadata and narrative
# ---------------------------------------------------------------------------


def test_agencies_span_levels_and_provinces():
    names = [synth.random_agency(random.Random(s)) for s in range(400)]
    provinces = {r["province"] for _, r in names}
    assert len(provinces) >= 6
    suffixes = Counter(re.search(r"(局|厅|委员会|镇人民政府|乡人民政府|办事处|人民政府)$", n).group(1)
                       for n, _ in names)
    assert {"局", "厅", "镇人民政府"} <= set(suffixes)
    for name, region in names:
        # the truth is what the parser reads from the name (定州市…: 河北省, no city, no county)
        assert printed_region(derive_region(name)) == (region["province"], region["city"], region["county"]), name


def test_document_sections_and_year():
    for seed in range(100):
        for t in synth.TEMPLATES:
            text, truth = synth.generate(random.Random(seed), "pipes", t)
            assert 2019 <= truth["year"] <= 2025
            assert set(truth["sections"]) == {s.code for s in SECTIONS}
            problems = truth["sections"]["problems"]
            assert re.search(r"一是|1\.|（一）", problems)


def test_truth_is_a_subset_of_report_to_dict():
    _, truth = synth.generate(random.Random(0), "pipes")
    assert set(truth) <= set(Report(source="x").to_dict())


# ---------------------------------------------------------------------------
# Renderers: every value printed where the layout prints it
# ---------------------------------------------------------------------------


def _all_reports(layouts=synth.LAYOUTS, n=40):
    for layout in layouts:
        for seed in range(n):
            template = synth.TEMPLATES[seed % 2]
            blanks = 2 if (layout in synth.BLANK_LAYOUTS and seed % 4 == 0) else 0
            text, truth = synth.generate(random.Random(seed), layout, template, blanks=blanks)
            yield layout, seed, text, truth


@pytest.mark.parametrize("layout", synth.LAYOUTS)
def test_every_report_is_marked_synthetic_and_has_six_sections(layout):
    for _, seed, text, truth in _all_reports([layout], 20):
        assert isinstance(text, str)
        if layout == "html":
            assert f"<title>{synth.SYNTHETIC_MARK}" in text
            assert f"<p>{synth.SYNTHETIC_MARK}</p>" in text
        else:
            assert text.splitlines()[0] == synth.SYNTHETIC_MARK
        flat = norm(text).replace(" ", "")
        for marker in ("一、总体情况", "二、主动公开政府信息情况", "四、政府信息公开行政复议", "六、其他需要报告的事项"):
            assert marker in flat, (layout, seed, marker)
        assert re.search(r"三、收到和处理政府信息公开(申请)?情况", flat)
        assert "五、" in flat


def test_pipes_rows():
    for _, seed, text, truth in _all_reports(["pipes"]):
        t = norm(text)
        for key, label, values in synth.labelled_rows(truth):
            assert norm(" | ".join([label] + fmt(values)) + " |") in t, (seed, key)
        assert " | ".join(fmt(truth["review_litigation"])) + " |" in t
        # seed 000 padding: table 3 rows padded to ten columns
        line = next(x for x in t.splitlines() if x.startswith("一、本年新收"))
        assert line.endswith(" | ||")


def test_cell_per_line_pipe_rows_and_blank_bar():
    saw_blank = False
    for _, seed, text, truth in _all_reports(["cell_per_line_pipe"]):
        t = norm(text)
        for key, label, values in synth.labelled_rows(truth):
            cells = [norm(label)] + fmt(values)
            block = "\n".join(f"{c} |" if c else "|" for c in cells)
            # the last cell may carry the row's padding on its own line (seed 004)
            assert block in t or block.rsplit("\n", 1)[0] in t, (seed, key)
            if "" in cells[1:-1]:
                assert "\n|\n" in t
                saw_blank = True
    assert saw_blank


def test_cell_per_line_bare_rows_and_split_headers():
    for _, seed, text, truth in _all_reports(["cell_per_line_bare"]):
        t = norm(text)
        for key, label, values in synth.labelled_rows(truth):
            block = "\n\n".join("    " + c for c in [norm(label)] + fmt(values))
            assert block in t, (seed, key)
        assert "    结果\n    纠正" in t
        assert "|" not in t


def test_run_together_rows():
    for _, seed, text, truth in _all_reports(["run_together"]):
        t = norm(text).replace(" ", "")
        for key, label, values in synth.labelled_rows(truth):
            assert norm(label) + "".join(fmt(values)) in t, (seed, key)
        assert "".join(fmt(truth["review_litigation"])) in t
        assert "分享到" in t and "附件下载" in t and "首页>" in t


def test_run_together_table4_is_one_run_after_the_header():
    _, truth = synth.generate(random.Random(2), "run_together")
    text, _ = synth.generate(random.Random(2), "run_together")
    run = "".join(fmt(truth["review_litigation"]))
    assert re.search(r"总计" + run + r"(\n|$)", text.replace(" ", ""))


def _html_grid(table) -> list[list[str]]:
    """Expand rowspan/colspan into a full grid of cell texts (a reference reader for the test)."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr.iter("td"):
            while (r, c) in grid:
                c += 1
            text = "".join(td.itertext()).replace("\xa0", "").strip()
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for i in range(rs):
                for j in range(cs):
                    grid[(r + i, c + j)] = text if (i, j) == (0, 0) else f"<span:{text}>"
            c += cs
    nrows = max(r for r, _ in grid) + 1
    ncols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "<missing>") for c in range(ncols)] for r in range(nrows)]


def test_html_tables_expand_to_the_values():
    saw_blank = False
    for _, seed, text, truth in _all_reports(["html"]):
        tree = lxml_html.fromstring(text.encode("utf-8"))
        tables = tree.findall(".//table")
        assert len(tables) == 3
        t2, t3, t4 = (_html_grid(t) for t in tables)
        assert all(len(row) == 4 for row in t2)
        assert all(len(row) == 10 for row in t3)
        assert all(len(row) == 15 for row in t4)
        # table 3: value rows in template order
        data = t3[3:]
        codes = request_row_codes(truth["templates"]["requests"])
        assert len(data) == len(codes)
        for code, row in zip(codes, data):
            assert row[3:] == fmt(truth["requests"][code]), (seed, code)
        assert t4[3] == fmt(truth["review_litigation"])
        # rowspans of the row groups
        assert re.search(r'<td rowspan="(22|20)"[^>]*>(<p>)?三、本年度办理结果', norm(text))
        assert re.search(r'<td rowspan="8"[^>]*>(<p>)?\(三\)不予公开', norm(text))
        if "&nbsp;" in text:
            saw_blank = True
    assert saw_blank


def test_markdown_rows():
    saw_blank = False
    for _, seed, text, truth in _all_reports(["markdown"]):
        t = norm(text)
        assert "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |" in t
        for key, label, values in synth.labelled_rows(truth):
            row = "| " + " | ".join([norm(label)] + fmt(values)) + " |"
            assert row in t, (seed, key)
            saw_blank |= "|  |" in row
        for line in t.splitlines():
            if line.startswith("|") and not line.startswith("|---"):
                n = line.count("|") - 1
                assert n in (2, 3, 4, 6, 8, 15), line
    assert saw_blank


def test_pdf_text_rows_footer_and_broken_label():
    for _, seed, text, truth in _all_reports(["pdf_text"]):
        t = norm(text)
        lines = t.splitlines()
        missing = []
        for key, label, values in synth.labelled_rows(truth):
            if norm(f"{label} {' '.join(fmt(values))}") not in t:
                missing.append(key)
        assert len(missing) == 1 and missing[0].startswith("requests."), (seed, missing)  # the broken label
        t3 = t[t.index("申请人情况"):t.index("四、政府信息公开行政复议")]
        assert re.search(r"\n— \d —\n", t3)
        assert " ".join(fmt(truth["review_litigation"])) in lines


# ---------------------------------------------------------------------------
# Determinism and the corpus writer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", synth.LAYOUTS)
def test_generate_is_deterministic(layout):
    a = synth.generate(random.Random(42), layout, "2021")
    b = synth.generate(random.Random(42), layout, "2021")
    c = synth.generate(random.Random(43), layout, "2021")
    assert a == b
    assert a[0] != c[0]


def test_write_corpus_is_deterministic(tmp_path):
    p1 = synth.write_corpus(tmp_path / "a", 21, seed=7)
    p2 = synth.write_corpus(tmp_path / "b", 21, seed=7)
    p3 = synth.write_corpus(tmp_path / "c", 21, seed=8)
    files1 = sorted(x.name for x in (tmp_path / "a").iterdir())
    assert files1 == sorted(x.name for x in (tmp_path / "b").iterdir())
    assert len(files1) == 22
    for name in files1:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert p1.read_bytes() != p3.read_bytes()
    lines = [json.loads(x) for x in p2.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 21
    assert {x["layout"] for x in lines} == set(synth.LAYOUTS)
    for x in lines:
        assert x["synthetic"] is True
        assert (tmp_path / "b" / x["file"]).exists()
        body = (tmp_path / "b" / x["file"]).read_text(encoding="utf-8")
        assert synth.SYNTHETIC_MARK in body


def test_write_corpus_refuses_raw(tmp_path):
    with pytest.raises(ValueError):
        synth.write_corpus(tmp_path / "data" / "raw", 1, seed=0)
    assert not (tmp_path / "data" / "raw").exists()


# ---------------------------------------------------------------------------
# The agency population, and the corpus as a panel of agencies over years
# ---------------------------------------------------------------------------


def _names(kind: str) -> dict[str, tuple]:
    """Every name of one kind of the population -> its (province, city, county) truth."""
    pool = synth._population()[kind]
    return {g.prefix + s: g.region for g in pool.groups for s in g.suffixes}


def test_population_is_national():
    sizes = synth.population_size()
    assert 80_000 <= sum(sizes.values()) <= 150_000, sizes
    assert sizes["county_gov"] > 2_800 and sizes["city_gov"] > 300 and sizes["township"] > 20_000, sizes
    provinces = {g.region[0] for g in synth._population()["province_dept"].groups}
    assert len(provinces) == 31  # no 港澳, and 台湾省 has no code in the data


def test_population_reads_back_where_names_repeat():
    """Same county name in two provinces, municipalities, province-administered cities: the truth
    is what the parser reads from the name."""
    govs = _names("county_gov")
    assert govs["北京市朝阳区人民政府"] == ("北京市", None, "朝阳区")
    assert govs["长春市朝阳区人民政府"] == ("吉林省", "长春市", "朝阳区")
    assert govs["重庆市江北区人民政府"] == ("重庆市", None, "江北区")
    assert govs["宁波市江北区人民政府"] == ("浙江省", "宁波市", "江北区")
    assert govs["定州市人民政府"] == ("河北省", None, None)
    assert govs["仙桃市人民政府"] == ("湖北省", None, None)
    assert _names("province_dept")["重庆市发展和改革委员会"] == ("重庆市", None, None)
    codes = {g.prefix: g.code for g in synth._population()["county_gov"].groups}
    for name in ("北京市朝阳区人民政府", "长春市朝阳区人民政府", "重庆市江北区人民政府", "宁波市江北区人民政府",
                 "定州市人民政府", "仙桃市人民政府"):
        assert printed_region(derive_region(name)) == govs[name]
        assert synth._parses_back(name, codes[name.removesuffix("人民政府")])
    assert not synth._parses_back("北京市朝阳区人民政府", codes["长春市朝阳区"])


def test_population_sample_parses_back():
    """A sample of every kind: the parser reads each name as the unit it was built from; the
    few it cannot read back (names over 30 characters) are never drawn."""
    rng = random.Random(0)
    for kind, pool in synth._population().items():
        for k in rng.sample(range(pool.size), min(pool.size, 300)):
            name, g = pool.member(k)
            info = derive_region(name)
            if synth._parses_back(name, g.code):
                assert printed_region(info) == g.region, name
            else:
                assert len(name) > 30, (name, info)
    for s in range(300):
        name, region = synth.random_agency(random.Random(s))
        assert len(name) <= 30 and printed_region(derive_region(name)) == tuple(region.values())


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    n = 3000
    folder = tmp_path_factory.mktemp("panel")
    truth = synth.write_corpus(folder, n, seed=5)
    return folder, [json.loads(x) for x in truth.read_text(encoding="utf-8").splitlines()]


def test_corpus_is_a_panel_of_agencies(panel):
    _, rows = panel
    n, years = len(rows), len(synth.YEARS)
    by_agency: dict[str, list[int]] = {}
    for r in rows:
        by_agency.setdefault(r["agency"], []).append(r["year"])
    assert len(by_agency) >= 0.8 * n / years, len(by_agency)
    assert max(Counter((r["agency"], r["year"]) for r in rows).values()) == 1  # one report per agency and year
    assert {r["year"] for r in rows} == set(synth.YEARS)
    # agencies recur in consecutive years (and a few skip one)
    consecutive = sum(y - 1 in ys for ys in map(set, by_agency.values()) for y in ys)
    assert consecutive > 0.5 * n, consecutive
    assert any(max(ys) - min(ys) + 1 > len(ys) for ys in by_agency.values())
    # distinct agencies keep distinct keys, so the build pairs only an agency with itself
    keys = {agency_key(a) for a in by_agency}
    assert len(keys) == len(by_agency)
    # every level and most provinces
    kinds = Counter(re.search(r"(厅|委员会|局|人民政府|办事处)$", a).group(1) for a in by_agency)
    assert set(kinds) == {"厅", "委员会", "局", "人民政府", "办事处"}, kinds
    assert len({r["region"]["province"] for r in rows}) == 31


def test_corpus_templates_follow_the_year(panel):
    _, rows = panel
    for r in rows:
        assert r["templates"]["proactive"] == r["templates"]["requests"]
        if r["year"] < 2021:
            assert r["templates"]["proactive"] == synth.TEMPLATE_2019
    late = [r["templates"]["proactive"] for r in rows if r["year"] >= 2021]
    assert 0.03 < late.count(synth.TEMPLATE_2019) / len(late) < 0.2  # some keep the old template


def test_corpus_carries_over_last_years_carry_forward(panel):
    """二、上年结转 of a report = 结转下年度继续办理 of the same agency's report of the year before."""
    _, rows = panel
    by_key = {(r["agency"], r["year"]): r for r in rows}
    pairs = nonzero = 0
    for (agency, year), r in by_key.items():
        last = by_key.get((agency, year - 1))
        if last is None:
            continue
        pairs += 1
        for a, b in zip(last["requests"]["carry_forward"][:6], r["requests"]["carried_over"][:6]):
            assert a is None or b is None or a == b, (agency, year)
        nonzero += any(last["requests"]["carry_forward"][:6])
        assert synth.check_identities(r) == []  # blanks skip a rule, never break one
    assert pairs > 0.5 * len(rows) and nonzero > 0.03 * pairs, (pairs, nonzero)


def test_corpus_parses_back_to_its_agency_region_and_year(panel):
    import ogi

    folder, rows = panel
    per_layout: dict[str, int] = Counter()
    for r in rows:
        if per_layout[r["layout"]] >= 25:
            continue
        per_layout[r["layout"]] += 1
        report = ogi.parse_file(folder / r["file"])
        got = (report.agency, report.year, (report.region.province, report.region.city, report.region.county))
        want = (r["agency"], r["year"], tuple(r["region"].values()))
        assert got == want, (r["file"], got, want)
    assert set(per_layout) == set(synth.LAYOUTS)


def test_write_corpus_prefix_is_the_smaller_corpus(tmp_path):
    small = synth.write_corpus(tmp_path / "a", 30, seed=3)
    big = synth.write_corpus(tmp_path / "b", 60, seed=3)
    assert big.read_text(encoding="utf-8").splitlines()[:30] == small.read_text(encoding="utf-8").splitlines()
    for p in (tmp_path / "a").glob("synthetic_*"):
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes()


@pytest.mark.parametrize("template", synth.TEMPLATES)
def test_values_take_the_carried_over_cells(template):
    for seed in range(300):
        rng = random.Random(seed)
        carried = [rng.choice([0, 0, 1, 5, 40]) for _ in range(6)]
        v = synth.random_values(rng, template, carried_over=carried)
        assert v["requests"]["carried_over"] == carried + [sum(carried)]
        assert synth.check_identities(v) == [], (seed, v)
    with pytest.raises(ValueError):
        synth.random_values(random.Random(0), template, carried_over=[1, 2])


def test_score_counts_exact_null_and_wrong_cells():
    text, truth = synth.generate(random.Random(11), "pipes", synth.TEMPLATE_2021)
    report = ogi.parse_text(text)
    n = sum(len(v) for v in truth["requests"].values()) + len(truth["review_litigation"]) + sum(
        len(v) if isinstance(v, list) else 1 for v in truth["proactive"].values())
    assert synth.score(report, truth) == {"exact": n, "null": 0, "wrong": 0}
    d = report.to_dict()
    d["requests"]["granted"][0] += 1            # a misplaced number
    d["requests"]["new"][1] = None              # a cell left unread
    del d["requests"]["carry_forward"]          # a row not found: its cells null
    assert synth.score(d, truth) == {"exact": n - 1 - 1 - 7, "null": 8, "wrong": 1}
