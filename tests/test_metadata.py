"""Agency, year and publication date from the places real pages print them."""

import pytest

from ogi.parse import metadata as m


@pytest.mark.parametrize("text, agency, year, published", [
    ("北京市朝阳区人民政府2022年政府信息公开工作年度报告", "北京市朝阳区人民政府", 2022, None),
    ("国家税务总局2021年政府信息公开工作年度报告", "国家税务总局", 2021, None),
    ("2022年度武汉市财政局政府信息公开工作年度报告", "武汉市财政局", 2022, None),
    # site chrome around; "来源" names a desk alias, the title the agency
    ("首页 > 政务公开 > 年度报告\n【字体：大 中 小】\n广州市天河区人民政府办公室2020年政府信息公开工作年度报告\n"
     "来源：天河区政府办 发布时间：2021-01-28", "广州市天河区人民政府办公室", 2020, "2021-01-28"),
    ("索引号：11/2023-1\n发布机构：沭阳县人民政府\n生成日期：2023-01-20\n沭阳县2022年政府信息公开工作年度报告",
     "沭阳县人民政府", 2022, "2023-01-20"),
    ("二〇二三年度信息公开工作年度报告\n我局认真落实……\n某县水利局\n2024年1月15日", "某县水利局", 2023, "2024-01-15"),
    ("关于印发某县2022年政府信息公开工作年度报告的通知", "某县", 2022, None),
    # a PDF's title broken over two lines, the year first
    ("正文\n2024 年某市科委政府信息公开工作\n年度报告\n根据《条例》的要求，市科委编制了本报告。", "某市科委", 2024, None),
    ("2025 年某市人民政府办公厅政府信息公开\n工作年度报告\n本年度报告根据……", "某市人民政府办公厅", 2025, None),
    # the opening sentence: "现向社会公开X…"
    ("根据《条例》规定，现向社会公开某县某某乡2021年政府信息公开工作年度报告。", "某县某某乡", 2021, None),
    # the verb of the opening sentence before the title, not a part of the name
    ("根据《条例》等文件精神,编制某市某区卫生健康局2024年政府信息公开工作年度报告。", "某市某区卫生健康局", 2024, None),
    ("现根据要求,特编制某市人民政府地方志办公室2023年政府信息公开工作年度报告。", "某市人民政府地方志办公室", 2023, None),
    ("某市委机构编制委员会办公室2022年政府信息公开工作年度报告", "某市委机构编制委员会办公室", 2022, None),
    # the title's own word names no one
    ("根据《条例》，现将2020年政府信息公开工作报告如下:", None, 2020, None),
    ("根据《条例》，现将我局2020年政府信息公开工作年度报告公布如下:", None, 2020, None),
    ("本溪市2021年政府信息公开工作年度报告", "本溪市", 2021, None),  # 本 begins a place name too
    # bodies whose names end in 室, 馆, 会, 联, 协
    ("2022年上海市人民政府参事室政府信息公开工作年度报告\n发布日期:2023/01/18 11:34:01", "上海市人民政府参事室", 2022,
     "2023-01-18"),
    ("某市档案馆2021年政府信息公开工作年度报告", "某市档案馆", 2021, None),
    ("某市红十字会2023年度政府信息公开工作年度报告", "某市红十字会", 2023, None),
    ("某县残联2020年政府信息公开工作年度报告", "某县残联", 2020, None),
    ("某市科协2024年政府信息公开工作年度报告", "某市科协", 2024, None),
    ("佳荣里街2021年政府信息公开工作年度报告\n一、总体情况", "佳荣里街", 2021, None),  # 街 for 街道 (天津, 广州)
    # titles that print no year before the report's words, or call it otherwise (real pages, 2019-2024)
    ("湘桥区教育局政府信息公开工作年度报告\n2024-01-23 16:45 分享到:", "湘桥区教育局", None, None),
    ("保靖县吕洞山镇人民政府信息公开工作2024年度报告\n本报告是根据……", "保靖县吕洞山镇人民政府", 2024, None),
    ("某县人民政府政府信息公开工作年度报告", "某县人民政府", None, None),
    ("2022年湖口县卫生健康委员会信息公开年报\n根据《条例》……", "湖口县卫生健康委员会", 2022, None),
    ("首页 走进宁强\n宁强县自然资源局关于2021年度政府信息公开情况的报告\n宁强县自然资源局", "宁强县自然资源局", 2021, None),
    ("政府信息公开工作年度报告\n正文", None, None, None),
    # "…工作的年度报告": the title was not seen, and the year came from the narrative (next year's plans)
    ("某县水利局关于2023年度政府信息公开工作的年度报告\n2024年,我局将继续……", "某县水利局", 2023, None),
    # the government's report published by its office: the agency (and its series across years) is the government
    ("发布机构: 平潭综合实验区管委会办公室\n平潭综合实验区2023年度政府信息公开工作年度报告", "平潭综合实验区", 2023, None),
    ("发布机构：某县人民政府办公室\n某县人民政府2022年政府信息公开工作年度报告", "某县人民政府", 2022, None),
    ("发布机构：某县人民政府办公室\n某县人民政府办公室2022年政府信息公开工作年度报告", "某县人民政府办公室", 2022, None),
    ("发布机构：某县商务局\n某县2022年政府信息公开工作年度报告", "某县商务局", 2022, None),  # not an office: as published
    # the signature above its date, in figures or in words, the day sometimes left out
    ("年度报告\n我局认真落实……\n某县某局\n二〇二四年一月十日", "某县某局", None, None),
    ("年度报告\n正文……\n某市人民政府\n2013年3月", "某市人民政府", None, None),
    # a page cut off inside table 2: its last cell is no signature (遂溪, a mirror: "本年處[理决定数量]")
    ("年度报告\n第二十条第(六)项\n信息内容\n本年处", None, None, None),
    # "现公开X…报告": the verb, not the name (锡山, a real page)
    ("根据《条例》的规定,现公开锡山区东北塘街道2019年度政府信息公开工作报告。", "锡山区东北塘街道", 2019, None),
    ("某市政务公开办公室2021年政府信息公开工作年度报告", "某市政务公开办公室", 2021, None),
    # a page kept without its title: the subject of the overview's first sentence (real crawler texts)
    ("一、总体情况\n2020年,宣城市气象局认真贯彻落实《条例》精神", "宣城市气象局", 2020, None),
    ("一、总体情况\n(一)总体公开情况说明。2021年,县卫生健康局的政府信息公开工作严格按照省、市、县要求", "县卫生健康局",
     2021, None),
    ("一、总体情况\n文登区住建局高度重视政府信息公开工作", "文登区住建局", None, None),
    ("一、总体情况\n高新区(新市区)严格贯彻落实《条例》", "高新区(新市区)", None, None),  # the suffix before the alias
    # ... and not what is no agency: the whole city, the report itself, the leadership it thanks
    ("一、总体情况\n2023年,全市政务公开工作坚持以人民为中心", None, 2023, None),
    ("一、总体情况\n2022年,我镇紧密结合工作实际", None, 2022, None),
    ("一、总体情况\n2021年,在县委县政府的正确领导下,我局坚持……", None, 2021, None),
])
def test_metadata(text, agency, year, published):
    lines = text.split("\n")
    assert m.find_agency(lines)[0] == agency
    assert m.find_year(lines)[0] == year
    assert m.find_published(lines)[0] == published
    # the parser makes the head once and gives it to the three: the same answers, and the same sources
    head = m.head_text(lines)
    for find in (m.find_agency, m.find_year, m.find_published):
        assert find(lines, head) == find(lines)


def test_a_title_that_a_sites_menus_pushed_down_is_still_read():
    """A crawl of a CMS page (or pandoc's markdown of it): 120 lines of menus, blank lines among them, before the
    report's title, its date and its overview. Only the first 40 lines were searched: no agency, no date."""
    menus = [x for k in range(60) for x in (f"[栏目{k}](https://www.example.gov.cn/{k}/)", "")]
    body = ["某县水利局2023年政府信息公开工作年度报告", "", "发布时间：2024-01-19", "", "本报告根据《条例》编制。", "",
            "一、总体情况", "2023年,我局……", "2024年,我局将……"]
    lines = menus + body
    assert m.find_agency(lines) == ("某县水利局", "title")
    assert m.find_year(lines) == (2023, "title")
    assert m.find_published(lines) == ("2024-01-19", "metadata")
    # a report title in the menus is found first, as before
    assert m.find_agency(["某市财政局2022年政府信息公开工作年度报告"] + lines)[0] == "某市财政局"


@pytest.mark.parametrize("line, published", [
    ("来源：平潭综合实验区管委会办公室时间：2025-03-10 15:35", "2025-03-10"),  # a CMS page's source and time
    ("时间：2025年3月10日", "2025-03-10"),
    ("统计时间：2024年1月1日至2024年12月31日", None),  # a statistics period, not the publication
    ("截止时间：2024-12-31", None),
])
def test_a_pages_time_beside_its_source_is_the_publication_date(line, published):
    lines = ["某县水利局2023年政府信息公开工作年度报告", line, "一、总体情况", "2023年,我局……"]
    assert m.find_published(lines)[0] == published


@pytest.mark.parametrize("space", [" ", "  ", "\u3000"])
def test_a_title_set_letter_spaced_is_read_without_its_spaces(space):
    # a PDF's title, a space between each character: the name was lost
    title = space.join("达州市通川区经济和信息化局2021年政府信息公开工作年度报告")
    lines = [title, "一、总体情况", "2021年,我局……"]
    assert m.find_agency(lines) == ("达州市通川区经济和信息化局", "title")
    assert m.find_year(lines) == (2021, "title")
    # a sentence with spaces here and there is no title set letter-spaced
    assert m._unspaced("我局 共收到 申请 3 件") == "我局 共收到 申请 3 件"


def test_statistics_period_gives_the_year():
    lines = ["年度报告", "所列数据统计时间为2023年1月1日至2023年12月31日。"]
    assert m.find_year(lines) == (2023, "statistics period")
    # 福建省发改委 2021 (no title): "自…1月1日起至…止", where a plan's 2035 came first before
    lines = ["本年度报告是根据《条例》编制,报告所列的数据统计期限自2021年1月1日起至2021年12月31日止。",
             "一、总体情况", "围绕2035年远景目标,2035年全面建成……"]
    assert m.find_year(lines) == (2021, "statistics period")


def test_a_report_title_the_overview_mentions_is_not_the_reports_own():
    # 国家新闻出版署 2022: "公开发布《国家新闻出版署2021年…年度报告》" in its overview (last year's)
    lines = ["根据《条例》有关规定,编制本报告。", "一、总体情况", "2022年,国家新闻出版署坚持……",
             "二是稳妥做好主动公开。公开发布《国家新闻出版署2021年政府信息公开工作年度报告》,……"]
    assert m.find_year(lines)[0] == 2022
    # the year after the report's words: "…政府信息公开工作2022年度报告" (重庆 大足)
    assert m.find_year(["重庆市大足区人民政府外事办公室政府信息公开工作2022年度报告", "根据……"])[0] == 2022


@pytest.mark.parametrize("text, titled", [
    ("重庆市大足区人民政府外事办公室政府信息公开工作2022年度报告\n根据……", True),  # the year inside
    ("根据《条例》要求,现发布《临洮县新添镇2022年政府信息公开工作年度报告》。本报告由……", True),  # its own, quoted
    ("本年度报告由天津市发展改革委编制,根据《条例》……", True),  # the report announcing itself
    ("根据《条例》和《格式》规定编制本报告。本报告所列数据的统计期限为2024年……", True),
    ("根据《条例》,特编制并向社会公布2022年度海口国家高新区公开年度报告。", True),
    # a site's menus push the title down; blank lines do not count
    ("\n".join(["站群导航", "", "海南州人民政府", "", "政府工作部门", "各县政府", "|", "加入收藏", "设为首页",
                "海南州人民政府2022年政府信息公开工作年度报告"]), True),
    # ... but a list of reports is no title
    ("\n".join(["首页", "政务公开", "年度报告", "栏目", "列表", "某县2022年政府信息公开工作年度报告",
                "某县2021年政府信息公开工作年度报告", "某县2020年政府信息公开工作年度报告"]), False),
    # the notice a report cites is not its title; a notice body asking for reports is not one
    ("根据《关于做好2022年政府信息公开工作年度报告编制工作的通知》要求", False),
    ("一、总体情况\n全年主动公开信息。", False),
])
def test_a_page_titled_or_announced_as_a_report(text, titled):
    assert m.looks_titled(text.split("\n")) is titled


def test_notice_and_pre2019():
    assert m.looks_like_notice(["关于做好2023年政府信息公开工作年度报告编制和发布工作的通知"])
    assert m.looks_pre2019(2017, "")
    assert not m.looks_pre2019(2020, "申请总数 同意公开")
