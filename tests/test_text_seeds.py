"""Statements and themes of the five seeds' problems sections, as a reader lists them.

Also holds ``seed_frames``: small ``sections`` and ``reports`` frames made from the
seeds with ``ogi.parse_file`` and ``split_problems`` (the other text tests import it),
so these tests do not depend on the corpus build.
"""

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi
from ogi.parse.sections import split_problems
from ogi.text.statements import split_statements
from ogi.text.themes import UNTHEMED, codebook, load_themes, match_themes, statement_themes, unthemed

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
LEVELS = {"000": "county", "001": "prefecture", "002": "township", "003": "county", "004": "county"}


@lru_cache(maxsize=1)
def _parsed():
    return tuple(ogi.parse_file(p) for p in sorted(RAW.glob("*.txt")))


def seed_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sections, reports) for the five seeds, shaped like the corpus tables (report_id = file name stem)."""
    secs, reps = [], []
    for path, r in zip(sorted(RAW.glob("*.txt")), _parsed()):
        rid = path.stem[:3]
        reps.append({"report_id": rid, "agency_key": r.agency, "year": r.year, "province": r.region.province,
                     "level": LEVELS[rid], "agency_kind": "government" if rid in ("002", "004") else "department"})
        for code, text in r.sections.items():
            if text is None:
                continue
            secs.append({"report_id": rid, "section": code, "part": "full", "text": text})
            if code == "problems":
                for part, t in split_problems(text, r.year).items():
                    if t:
                        secs.append({"report_id": rid, "section": code, "part": part, "text": t})
    return pd.DataFrame(secs), pd.DataFrame(reps)


def seed_parts() -> dict[tuple[str, str], str]:
    sections, _ = seed_frames()
    parts = sections[(sections["section"] == "problems") & (sections["part"] != "full")]
    return {(r, p): t for r, p, t in parts[["report_id", "part", "text"]].itertuples(index=False)}


L = "LEAD:"  # marks a statement that introduces a list

#: What a reader lists, read off the seeds by hand (texts as the parser normalises them: half-width commas).
EXPECTED = {
    ("000", "problems"): ["政府信息公开质量有待提高"],
    ("000", "improvements"): [
        "强化政府信息公开工作管理,提高工作效率",
        "完善政府信息公开监督机制,对政府信息公开工作开展有效监督",
        "完善信息共享机制,加强政府部门之间的信息共享,提高信息共享的效率",
    ],
    ("000", "rectification"): [
        "对相关政策法规的宣传、解读方式不够丰富,缺乏运用图解、动画视频等多元化解读方式等问题",
        "加强专业化培训,提高政府信息公开的严谨意识和工作能力",
        "充分发挥政府网站作为政府信息公开第一平台的作用,及时更新信息公开指南,回应民生关切",
        "运用图解等方式宣传、解读相关政策,优化信息公开的内容和质量,做到应公开尽公开",
    ],
    ("001", "problems"): [
        "在网站建设方面存在智能问答、适老化及无障碍功能的设计缺陷问题和现行规章和行政规范性文件归集推送不及时",
        "在政务新媒体方面存在与市政府政务新媒体联动力度不足",
    ],
    ("001", "improvements"): [
        "加强政务新媒体动态管理。一方面,定期对我局官网运行情况进行检查,看栏目是否存在“僵尸”和“睡眠”现象,"
        "数据信息是否有缺失和失真现象,并对新政策进行及时解读回应。另一方面,在我局微信公众号内增设留言板块和办事服务板块,"
        "强化公众号的互动服务能力,巩固政民沟通的桥梁",
        "强化与市政府政务新媒体联动力度。严格按照有关要求,全面转载市政府要求转载的重要信息,共同策划、"
        "制作重要政策或重大主题的新媒体解读与宣传,全面加强联动力度",
        "增加网站的人性化智能功能。在确保用户数据的隐私和安全,并尊重用户个人偏好和选择的基础上,允许用户自定义界面设置,"
        "包括主题、布局、字体大小等,通过用户偏好自动调整界面元素的显示和排列;集成智能聊天机器人提供实时支持;"
        "集成语音识别技术,使用户能够通过语音与网站进行交互,增加用户操作的便捷性",
    ],
    ("001", "rectification"): [
        "主动公开意识有待增强,部分业务科室对政务公开重视度不够,公开形式较为单一",
        "定期举办学习培训,提高工作人员对政务信息公开工作重要性的认识,增强其主动性和自觉性",
        "牢牢把握信息公开的主体和原则、范围和内容、方式和程序,确保信息全面、及时、准确的公开",
    ],
    ("002", "problems"): ["信息公开的力度有待进一步加强", "政策文件解读的形式不够丰富"],
    ("002", "improvements"): [
        "加大主动公开力度。对标对表新时代政务公开新要求,及时更新完善政府信息,加强信息发布源头管理,"
        "严格落实政府公开保密和信息管理三级审核制度,加强信息安全监管工作",
        "加强新媒体的运营管理。充分发挥新媒体受众广、传播快的特点,及时做好政策发布解读,对社会关注的热点问题及时予以回应。"
        "针对群众关注的问题领域,做到“能公开多公开,应公开尽公开”",
    ],
    ("003", "problems"): [
        L + "一年来,我局的政府信息公开工作取得了一定的成绩,但因我局政府信息公开工作人手相对短缺,还存在着不足",
        "信息公开工作宣传培训力度不够",
        "完善长效工作机制等方面有待加强",
    ],
    ("003", "improvements"): [
        L + "2022年,我局将从以下几个方面做好信息公开工作",
        "进一步提高认识,加大工作力度,创新工作方式",
        "加强政府信息公开工作的宣传教育工作",
        "完善长效工作机制。坚持责任到科室,落实到人的工作机制,形成纵到底、横到边、上下联动、整体推进的工作体系",
    ],
    ("004", "problems"): [
        L + "2024年,政府信息公开工作虽然取得了一定的成效,但与高标准严要求还存在一定差距",
        "政府网站的智能化服务水平仍有待提升",
        "政策解读的多样性和针对性仍需加强",
        "基层政务公开的标准化和规范化程度有待提高",
    ],
    ("004", "improvements"): [
        "下一步黔江区将严格按照新时代政务公开工作的要求,依法保障人民群众的知情权、参与权、表达权和监督权",
        "持续推进政务公开工作的创新与发展,不断提升政府工作的透明度和公众的满意度",
        "深化大数据、人工智能等现代信息技术运用,对政府网站和政务新媒体进行智能化改造,提升信息检索的精准度和便捷性",
        "坚持把政策解读放到与政策制定同等重要位置,进一步落实解读材料与政策文件同步起草、同步审签、同步发布要求,"
        "加强政策解读效果评估和反馈机制建设,不断提高政策解读质效",
        "加强对基层政务公开工作的指导和培训力度;将基层政务公开与主动公开事项目录结合,提升基层政务公开标准化规范化程度,"
        "推动基层政务公开与村(居)务公开的深度融合和协同发展",
    ],
}


def test_the_seeds_have_the_parts_we_read():
    assert set(seed_parts()) == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "-".join(k))
def test_statements_are_what_a_reader_lists(key):
    got = [(L if s.lead else "") + s.text for s in split_statements(seed_parts()[key])]
    assert got == EXPECTED[key]


def test_part_headings_are_dropped_but_the_text_after_them_kept():
    text = "(一)2022年问题及改进情况\n存在问题:网站更新慢。\n下年度改进措施:一是加强培训;二是完善制度。"
    assert [s.text for s in split_statements(text)] == ["网站更新慢", "加强培训", "完善制度"]


@pytest.mark.parametrize("text, expected", [
    ("存在的问题:信息更新不及时;政策解读形式单一;依申请公开答复不规范。",
     ["信息更新不及时", "政策解读形式单一", "依申请公开答复不规范"]),
    ("第一,网站栏目更新不及时;第二,解读形式单一。", ["网站栏目更新不及时", "解读形式单一"]),
    ("(1)网站改版。(2)新媒体整合。", ["网站改版", "新媒体整合"]),
    ("下一步工作打算:\n1、加强培训。\n2、完善制度。\n3、强化考核。", ["加强培训", "完善制度", "强化考核"]),
    # not lists: 第一平台, a lone (一), decimals
    ("发挥政府网站作为第一平台的作用。", ["发挥政府网站作为第一平台的作用"]),
    ("按照条例第二十条第(一)项公开。增长12.5%。", ["按照条例第二十条第(一)项公开", "增长12.5%"]),
    # an item with a title line keeps its body and its own sub-points
    ("(一)加强政策解读\n围绕重大政策做好解读。1.图解;2.视频。\n(二)强化培训\n每年培训两次。",
     ["加强政策解读\n围绕重大政策做好解读。1.图解;2.视频", "强化培训\n每年培训两次"]),
])
def test_list_styles(text, expected):
    assert [s.text for s in split_statements(text)] == expected


def test_empty_part_has_no_statements():
    assert split_statements("") == [] and split_statements("(二)改进措施\n") == []


def test_a_block_with_two_numbered_lists():
    # a real problems section numbered 1., 2. twice in one block: the first list ran to where the second
    # starts, and the statement splitter raised (the text tables of that corpus were not built)
    one_line = "下一步:1.加强培训;2.完善制度。同时:1.强化监督;2.定期通报。"
    expected = [("下一步", True), ("加强培训", False), ("完善制度", False), ("同时", True), ("强化监督", False),
                ("定期通报", False)]
    for text in (one_line, one_line.replace(":", ":\n").replace(";", ";\n").replace("。", "。\n")):
        assert [(s.text, s.lead) for s in split_statements(text)] == expected


_PIECES = ["一是", "二是", "三是", "1.", "2.", "3、", "(一)", "(二)", "(1)", "(2)", "第一,", "第二,", "一、", "二、",
           "加强培训", "公开不及时", "。", ";", ":", "\n", " ", "(二)改进措施\n", "存在的问题:"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_mix_of_list_numbers_splits_without_error(text):
    for statement in split_statements(text):
        assert statement.text and statement.text in text


# --------------------------------------------------------------------------- themes

def _seed_statements() -> pd.DataFrame:
    rows = [(rid, part, i, s.text, s.lead) for (rid, part), text in sorted(seed_parts().items())
            for i, s in enumerate(split_statements(text))]
    return pd.DataFrame(rows, columns=["report_id", "part", "idx", "text", "lead"])


def test_codebook_has_10_to_20_documented_themes():
    book = codebook()
    assert 10 <= len(book) <= 20
    assert book["code"].is_unique
    for col in ("name_zh", "name_en", "definition", "indicators"):
        assert book[col].str.len().min() > 1, col
    assert all(len(t.indicators) >= 3 for t in load_themes())


def test_every_seed_statement_gets_a_theme_or_is_listed_unthemed():
    st = _seed_statements()
    th = statement_themes(st)
    keys = ["report_id", "part", "idx"]
    assert set(map(tuple, th[keys].drop_duplicates().to_numpy())) == set(map(tuple, st[keys].to_numpy()))
    listed = unthemed(st, th)
    assert len(listed) == (th["theme"] == UNTHEMED).sum()
    # the reader's judgement: two framing sentences and one generic measure carry no theme
    assert sorted(listed["text"].str[:8]) == ["2022年,我局", "2024年,政府", "强化政府信息公开"]
    assert (th["theme"] != UNTHEMED).groupby([th[k] for k in keys]).any().mean() > 0.85


def test_themes_of_some_seed_statements():
    assert set(match_themes("基层政务公开的标准化和规范化程度有待提高")) == {"grassroots", "standardisation"}
    assert set(match_themes("政策解读的多样性和针对性仍需加强")) == {"interpretation"}
    assert "staffing" in match_themes("但因我局政府信息公开工作人手相对短缺")
    assert set(match_themes("在政务新媒体方面存在与市政府政务新媒体联动力度不足")) == {"new_media", "coordination"}


def test_exclusions_and_terms():
    assert "oversight" not in match_themes("依法保障人民群众的知情权和监督权")
    assert match_themes("完善监督机制")["oversight"] == ["监督"]
    assert "documents" in match_themes("规范性文件归集") and "standardisation" not in match_themes("规范性文件归集")
    assert match_themes("今天天气很好") == {UNTHEMED: []}


def test_codebook_is_documented_in_the_lexicon_readme():
    from ogi.text.tokenize import LEXICON

    readme = (LEXICON / "README.md").read_text(encoding="utf-8")
    for t in load_themes():
        assert f"| `{t.code}` | {t.name_zh} | {t.name_en} | {t.definition} |" in readme, t.code


def test_vectorised_theme_table_agrees_with_match_themes():
    st = _seed_statements()
    th = statement_themes(st)
    for (rid, part, idx), group in th.groupby(["report_id", "part", "idx"], sort=False):
        text = st[(st["report_id"] == rid) & (st["part"] == part) & (st["idx"] == idx)]["text"].iloc[0]
        expected = match_themes(text)
        assert list(group["theme"].astype(str)) == list(expected)
        assert list(group["terms"]) == ["|".join(t) for t in expected.values()]
