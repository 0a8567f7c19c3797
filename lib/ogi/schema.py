"""The national report template as data: sections, table rows and columns,
canonical codes, Chinese and English labels, and the identities the tables obey.

Everything else in ``ogi`` refers to rows and columns by the codes defined
here (they follow ../shared/FORMAT.md), so that a label is written once.
Nothing in this module knows about files, layouts or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATE_2021 = "2021"
TEMPLATE_2019 = "2019"


@dataclass(frozen=True)
class Label:
    """A category with its canonical code and its labels in both languages."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class RowSpec(Label):
    """One row of a standard table.

    ``keys`` are distinctive phrases of the printed label, compared after
    normalisation (see ``ogi.parse.labels``); ``fuzzy`` allows a typo'd label
    to match (real case: 达州市通川区 2021 prints ``2.他法律行政法规禁止公开``).
    ``template`` says which template has the row: ``both``, ``2021`` or ``2019``.
    ``width`` is the number of value cells the row carries.
    """

    group: str = ""
    keys: tuple[str, ...] = ()
    template: str = "both"
    width: int = 7
    columns: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------

SECTIONS: tuple[Label, ...] = (
    Label("overview", "总体情况", "Overview"),
    Label("proactive", "主动公开政府信息情况", "Proactive disclosure"),
    Label("requests", "收到和处理政府信息公开申请情况", "Requests received and handled"),
    Label("review_litigation", "政府信息公开行政复议、行政诉讼情况", "Administrative reconsideration and litigation"),
    Label("problems", "存在的主要问题及改进情况", "Problems and improvements"),
    Label("other", "其他需要报告的事项", "Other matters"),
)
SECTION_CODES = tuple(s.code for s in SECTIONS)

# ---------------------------------------------------------------------------
# Table 3: requests
# ---------------------------------------------------------------------------

APPLICANTS: tuple[Label, ...] = (
    Label("natural_person", "自然人", "Natural persons"),
    Label("commercial", "商业企业", "Commercial enterprises"),
    Label("research", "科研机构", "Research institutions"),
    Label("social_welfare", "社会公益组织", "Social welfare organisations"),
    Label("legal_service", "法律服务机构", "Legal service providers"),
    Label("other_org", "其他", "Other organisations"),
    Label("total", "总计", "Total"),
)
APPLICANT_CODES = tuple(a.code for a in APPLICANTS)

REQUEST_GROUPS: tuple[Label, ...] = (
    Label("new", "本年新收", "New this year"),
    Label("carried_over", "上年结转", "Carried over from last year"),
    Label("granted", "予以公开", "Granted"),
    Label("partial", "部分公开", "Partly granted"),
    Label("denied", "不予公开", "Denied"),
    Label("unavailable", "无法提供", "Unable to provide"),
    Label("not_processed", "不予处理", "Not processed"),
    Label("other", "其他处理", "Other handling"),
    Label("total", "总计", "Total handled"),
    Label("carry_forward", "结转下年度继续办理", "Carried forward to next year"),
)


def _r(code, zh, en, keys, template="both"):
    group = code.split(".")[0]
    return RowSpec(code, zh, en, group=group, keys=tuple(keys), template=template, width=7, columns=APPLICANT_CODES)


REQUEST_ROWS: tuple[RowSpec, ...] = (
    _r("new", "一、本年新收政府信息公开申请数量", "New requests received this year", ["本年新收"]),
    _r("carried_over", "二、上年结转政府信息公开申请数量", "Requests carried over from last year", ["上年结转"]),
    _r("granted", "（一）予以公开", "Granted in full", ["予以公开"]),
    _r("partial", "（二）部分公开", "Granted in part", ["部分公开"]),
    _r("denied.state_secret", "1.属于国家秘密", "Denied: state secret", ["属于国家秘密", "国家秘密"]),
    _r("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", "Denied: prohibited by other laws",
       ["其他法律行政法规禁止公开", "法律行政法规禁止公开", "行政法规禁止公开"]),
    _r("denied.security_stability", "3.危及“三安全一稳定”", "Denied: endangers security or stability",
       ["三安全一稳定", "危及三安全"]),
    _r("denied.third_party", "4.保护第三方合法权益", "Denied: third-party rights", ["保护第三方合法权益", "第三方合法权益"]),
    _r("denied.internal_affairs", "5.属于三类内部事务信息", "Denied: internal affairs", ["三类内部事务", "内部事务信息"]),
    _r("denied.process_info", "6.属于四类过程性信息", "Denied: process information", ["四类过程性", "过程性信息"]),
    _r("denied.enforcement_file", "7.属于行政执法案卷", "Denied: enforcement case file", ["行政执法案卷"]),
    _r("denied.inquiry", "8.属于行政查询事项", "Denied: administrative inquiry matter", ["行政查询事项"]),
    _r("unavailable.not_held", "1.本机关不掌握相关政府信息", "Unavailable: not held", ["不掌握相关政府信息", "本机关不掌握"]),
    _r("unavailable.needs_creation", "2.没有现成信息需要另行制作", "Unavailable: would have to be created",
       ["没有现成信息需要另行制作", "需要另行制作", "另行制作"]),
    _r("unavailable.unclear", "3.补正后申请内容仍不明确", "Unavailable: request still unclear",
       ["补正后申请内容仍不明确", "仍不明确"]),
    _r("not_processed.petition", "1.信访举报投诉类申请", "Not processed: petition or complaint", ["信访举报投诉", "信访"]),
    _r("not_processed.duplicate", "2.重复申请", "Not processed: duplicate request", ["重复申请"]),
    _r("not_processed.publication", "3.要求提供公开出版物", "Not processed: asks for publications", ["公开出版物"]),
    _r("not_processed.excessive", "4.无正当理由大量反复申请", "Not processed: excessive repeated requests",
       ["无正当理由大量反复申请", "大量反复申请"]),
    _r("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息",
       "Not processed: asks to confirm or reissue information", ["确认或重新出具", "重新出具已获取信息"]),
    _r("other", "（六）其他处理", "Other handling", ["其他处理"], template=TEMPLATE_2019),
    _r("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
       "Other: applicant did not supplement in time", ["逾期不补正"], template=TEMPLATE_2021),
    _r("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
       "Other: applicant did not pay the fee", ["缴纳费用", "收费通知"], template=TEMPLATE_2021),
    _r("other.other", "3.其他", "Other: other", ["其他"], template=TEMPLATE_2021),
    _r("total", "（七）总计", "Total handled", ["总计"]),
    _r("carry_forward", "四、结转下年度继续办理", "Carried forward to next year", ["结转下年度", "继续办理"]),
)
REQUEST_ROW_BY_CODE = {r.code: r for r in REQUEST_ROWS}

#: Outcome rows (三、本年度办理结果) per template: these sum to ``total``.
OUTCOME_ROWS = {
    TEMPLATE_2021: tuple(r.code for r in REQUEST_ROWS
                         if r.group in {"granted", "partial", "denied", "unavailable", "not_processed", "other"}
                         and r.template != TEMPLATE_2019),
    TEMPLATE_2019: tuple(r.code for r in REQUEST_ROWS
                         if r.group in {"granted", "partial", "denied", "unavailable", "not_processed", "other"}
                         and r.template != TEMPLATE_2021),
}


#: ``request_row_codes`` of each template, made once (the parser asks once a report).
_ROW_CODES: dict[str, tuple[str, ...]] = {
    t: tuple(r.code for r in REQUEST_ROWS if r.template != other)
    for t, other in ((TEMPLATE_2021, TEMPLATE_2019), (TEMPLATE_2019, TEMPLATE_2021))}


def request_row_codes(template: str) -> tuple[str, ...]:
    """The row codes of table 3 in printed order for one template."""
    codes = _ROW_CODES.get(template)
    if codes is None:  # any other value reads as the 2019 template's rows
        other = TEMPLATE_2019 if template == TEMPLATE_2021 else TEMPLATE_2021
        codes = tuple(r.code for r in REQUEST_ROWS if r.template != other)
    return codes


# ---------------------------------------------------------------------------
# Table 2: proactive disclosure
# ---------------------------------------------------------------------------

PROACTIVE_ROWS: dict[str, tuple[RowSpec, ...]] = {
    TEMPLATE_2021: (
        RowSpec("regulations", "规章", "Regulations (rules)", group="article20_1", keys=("规章",), width=3,
                columns=("issued", "repealed", "in_force"), template=TEMPLATE_2021),
        RowSpec("normative_documents", "行政规范性文件", "Normative documents", group="article20_1",
                keys=("规范性文件",), width=3, columns=("issued", "repealed", "in_force"), template=TEMPLATE_2021),
        RowSpec("licensing", "行政许可", "Administrative licensing decisions", group="article20_5",
                keys=("行政许可",), width=1, columns=("decisions",), template=TEMPLATE_2021),
        RowSpec("penalty", "行政处罚", "Administrative penalty decisions", group="article20_6",
                keys=("行政处罚",), width=1, columns=("decisions",), template=TEMPLATE_2021),
        RowSpec("coercion", "行政强制", "Administrative coercion decisions", group="article20_6",
                keys=("行政强制",), width=1, columns=("decisions",), template=TEMPLATE_2021),
        RowSpec("fees", "行政事业性收费", "Administrative fees (10,000 yuan)", group="article20_8",
                keys=("行政事业性收费", "事业性收费"), width=1, columns=("amount_10k_yuan",), template=TEMPLATE_2021),
    ),
    TEMPLATE_2019: (
        RowSpec("regulations", "规章", "Regulations (rules)", group="article20_1", keys=("规章",), width=3,
                columns=("made", "published", "total_public"), template=TEMPLATE_2019),
        RowSpec("normative_documents", "规范性文件", "Normative documents", group="article20_1",
                keys=("规范性文件",), width=3, columns=("made", "published", "total_public"), template=TEMPLATE_2019),
        RowSpec("licensing", "行政许可", "Administrative licensing", group="article20_5", keys=("行政许可",),
                width=3, columns=("items_last_year", "items_change", "decisions"), template=TEMPLATE_2019),
        RowSpec("other_services", "其他对外管理服务事项", "Other external management services",
                group="article20_5", keys=("其他对外管理服务事项", "对外管理服务"), width=3,
                columns=("items_last_year", "items_change", "decisions"), template=TEMPLATE_2019),
        RowSpec("penalty", "行政处罚", "Administrative penalty", group="article20_6", keys=("行政处罚",),
                width=3, columns=("items_last_year", "items_change", "decisions"), template=TEMPLATE_2019),
        RowSpec("coercion", "行政强制", "Administrative coercion", group="article20_6", keys=("行政强制",),
                width=3, columns=("items_last_year", "items_change", "decisions"), template=TEMPLATE_2019),
        RowSpec("fee_items", "行政事业性收费", "Administrative fee items", group="article20_8",
                keys=("行政事业性收费", "事业性收费"), width=2, columns=("items_last_year", "items_change"),
                template=TEMPLATE_2019),
        RowSpec("procurement", "政府集中采购", "Central government procurement", group="article20_9",
                keys=("政府集中采购", "集中采购"), width=2, columns=("projects", "amount"), template=TEMPLATE_2019),
    ),
}

#: Phrases of table 2's headers that tell the two templates apart.
PROACTIVE_TEMPLATE_MARKERS = {
    TEMPLATE_2021: ("本年制发件数", "本年废止件数", "现行有效件数", "收费金额", "本年处理决定数量"),
    TEMPLATE_2019: ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                    "本年增减", "政府集中采购", "其他对外管理服务事项", "采购总金额"),
}

# ---------------------------------------------------------------------------
# Table 4: reconsideration and litigation
# ---------------------------------------------------------------------------

REVIEW_GROUPS: tuple[Label, ...] = (
    Label("review", "行政复议", "Administrative reconsideration"),
    Label("litigation_direct", "行政诉讼（未经复议直接起诉）", "Litigation without prior reconsideration"),
    Label("litigation_after_review", "行政诉讼（复议后起诉）", "Litigation after reconsideration"),
)
REVIEW_OUTCOMES: tuple[Label, ...] = (
    Label("upheld", "结果维持", "Upheld"),
    Label("corrected", "结果纠正", "Corrected"),
    Label("other", "其他结果", "Other result"),
    Label("pending", "尚未审结", "Pending"),
    Label("total", "总计", "Total"),
)
REVIEW_CODES: tuple[str, ...] = tuple(f"{g.code}.{o.code}" for g in REVIEW_GROUPS for o in REVIEW_OUTCOMES)

# ---------------------------------------------------------------------------
# Identities (勾稽关系) as data; ``ogi.checks`` evaluates them.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A rule the printed tables state or imply; ``scope`` says what it ranges over."""

    rule: str
    zh: str
    en: str
    scope: str
    lhs: tuple[str, ...] = field(default=())
    rhs: tuple[str, ...] = field(default=())


IDENTITIES: tuple[Identity, ...] = (
    Identity("requests.balance", "第一项加第二项之和，等于第三项加第四项之和",
             "new + carried over = total handled + carried forward", "each applicant column",
             ("new", "carried_over"), ("total", "carry_forward")),
    Identity("requests.row_total", "各类申请人之和等于总计",
             "the six applicant columns sum to the total column", "each row",
             APPLICANT_CODES[:-1], ("total",)),
    Identity("requests.outcomes", "办理结果各项之和等于（七）总计",
             "the outcome rows sum to total handled", "each applicant column",
             ("outcomes",), ("total",)),
    Identity("review_litigation.group_total", "结果维持、结果纠正、其他结果、尚未审结之和等于总计",
             "upheld + corrected + other + pending = total", "each of the three groups",
             tuple(o.code for o in REVIEW_OUTCOMES[:-1]), ("total",)),
)
IDENTITIES += (
    Identity("values.plausible", "计数为非负整数且量级合理",
             "counts are whole numbers, not negative, and below an absurd size "
             f"(requests and appeals < {10**7:,}; proactive counts < {10**9:,})", "each cell", (), ()),
)
IDENTITY_BY_RULE = {i.rule: i for i in IDENTITIES}

#: Proactive-disclosure cells that may hold decimals or negative numbers.
PROACTIVE_NON_COUNTS = {"fees", "procurement", "licensing_items", "penalty_items", "coercion_items",
                        "other_services", "fee_items"}

#: Rules the parser adds besides the identities.
PARSER_RULES = {
    "inferred": "a value split or placed by the identities; the printed text did not separate it",
    "ambiguous": "the identities leave more than one reading; the value is null and the candidates are listed",
    "duplicate_table": "the file holds a second, different copy of a table (a report pasted twice); the first is read",
}

STATUSES: tuple[Label, ...] = (
    Label("ok", "完整", "All three tables read, every identity holds"),
    Label("partial", "部分", "A report, but something is missing, unreadable, ambiguous or inconsistent"),
    Label("failed", "失败", "The file could not be read as a report"),
    Label("not_a_report", "非年报", "Not an annual OGI report"),
    Label("pre2019", "旧版年报", "A report for 2008-2018 (older template, not parsed)"),
)

# ---------------------------------------------------------------------------
# Comparable outcome groups, and the labels the corpus tables need
# ---------------------------------------------------------------------------
# Researchers compare Chinese OGI statistics with other freedom-of-information
# regimes. The official outcome rows of table 3 are kept as they are; each one
# also maps to one comparable group below, defined by what happened to the
# request (the information was released, withheld under a rule of law, did
# not exist, or the request was not handled on its merits) rather than by the
# Chinese legal article, which is how the UK and US statistics are built too.


@dataclass(frozen=True)
class OutcomeGroup(Label):
    """A comparable outcome group: labels, why these rows belong together, and analogues abroad."""

    rationale: str = ""
    analogues: str = ""
    rows: tuple[str, ...] = ()


OUTCOME_GROUPS: tuple[OutcomeGroup, ...] = (
    OutcomeGroup(
        "granted", "予以公开", "Granted in full",
        rationale="All the information asked for was released (三（一）予以公开).",
        analogues="UK FOI Act: 'granted in full' in the Cabinet Office FOI statistics; "
                  "US FOIA annual reports: 'full grants'.",
        rows=("granted",)),
    OutcomeGroup(
        "partial", "部分公开", "Granted in part",
        rationale="Some information was released and some withheld (三（二）部分公开). The template "
                  "counts a request handled in parts only here, so partial grants are not double counted.",
        analogues="UK: 'partially withheld'; US FOIA: 'partial grants/partial denials'.",
        rows=("partial",)),
    OutcomeGroup(
        "legal_exemption", "依法不予公开", "Withheld under a legal exemption",
        rationale="The information exists and is held, and a rule of law keeps it from the applicant "
                  "(三（三）不予公开, reasons 1-8: state secrets, other laws, the 'three securities and "
                  "one stability', third-party rights, internal affairs, process information, enforcement "
                  "case files, administrative inquiry matters). These are decisions on the content, like "
                  "the exemptions of other regimes. Administrative inquiry matters (属于行政查询事项) are "
                  "withheld because another procedure gives access, which the UK also treats as an "
                  "exemption (s.21, reasonably accessible by other means).",
        analogues="UK FOI Act Part II exemptions (e.g. s.23-24 security, s.35-36 policy formulation and "
                  "prejudice to the conduct of public affairs, s.30-31 investigations and law enforcement, "
                  "s.40-41 personal data and confidence, s.44 prohibited by other enactments, s.21 "
                  "accessible by other means); US FOIA exemptions (b)(1)-(b)(9), e.g. (b)(1) classified, "
                  "(b)(3) other statutes, (b)(4) business information, (b)(5) deliberative process, (b)(6) "
                  "and (b)(7) privacy and law-enforcement records.",
        rows=("denied.state_secret", "denied.prohibited_by_law", "denied.security_stability",
              "denied.third_party", "denied.internal_affairs", "denied.process_info",
              "denied.enforcement_file", "denied.inquiry")),
    OutcomeGroup(
        "not_held_or_needs_creation", "不掌握或需另行制作", "Not held, or would have to be created",
        rationale="No decision on disclosure was possible because the agency does not hold the "
                  "information or would have to create it (三（四）无法提供 1-2). Every regime counts these "
                  "apart from refusals: nothing was withheld.",
        analogues="UK FOI Act s.1(1)(a): 'information not held'; US FOIA: 'no records' (agencies need not "
                  "create records, NLRB v. Sears, 421 U.S. 132 (1975)).",
        rows=("unavailable.not_held", "unavailable.needs_creation")),
    OutcomeGroup(
        "procedural_or_vexatious", "程序性或滥用申请", "Procedural, improper or vexatious",
        rationale="The request was not decided on its merits: still unclear after a request to clarify "
                  "(三（四）3), not an information request at all (petitions and complaints, requests to "
                  "confirm or reissue information already held, requests for publications), repeated or "
                  "abusive (duplicate requests, large numbers of repeated requests without good reason), "
                  "or dropped because the applicant did not supplement the request or pay the fee in time "
                  "(2021 template 三（六）1-2). Requests for publications go here, not under exemptions, "
                  "because the template files them under 不予处理 (no decision on the content), although the "
                  "UK would count them under the s.21 exemption.",
        analogues="UK FOI Act s.1(3) and s.16 (clarification not given), s.8 (not a valid request), "
                  "s.9 (fees notice not paid), s.14(1) vexatious and s.14(2) repeated requests; US FOIA "
                  "'other reasons' in the DOJ annual reports: records not reasonably described, improper "
                  "FOIA request, duplicate request, fee-related reason, not an agency record.",
        rows=("unavailable.unclear", "not_processed.petition", "not_processed.duplicate",
              "not_processed.publication", "not_processed.excessive", "not_processed.confirmation",
              "other.no_correction", "other.no_fee")),
    OutcomeGroup(
        "other", "其他", "Other outcomes",
        rationale="Outcomes the template does not classify: 2021 template 三（六）3.其他, and the 2019-2020 "
                  "template's single 三（六）其他处理 row, which also holds what the 2021 template splits into "
                  "'did not supplement' and 'did not pay'. Compare this group across templates with care.",
        analogues="UK: 'other'; US FOIA: 'other' among the other reasons (e.g. request withdrawn).",
        rows=("other.other", "other")),
)
OUTCOME_GROUP_OF: dict[str, str] = {row: g.code for g in OUTCOME_GROUPS for row in g.rows}
assert set(OUTCOME_GROUP_OF) == set(OUTCOME_ROWS[TEMPLATE_2021]) | set(OUTCOME_ROWS[TEMPLATE_2019])

#: The columns of table 2, by code (the parser's lists follow ``RowSpec.columns``).
PROACTIVE_COLUMNS: tuple[Label, ...] = (
    Label("issued", "本年制发件数", "Issued this year"),
    Label("repealed", "本年废止件数", "Repealed this year"),
    Label("in_force", "现行有效件数", "In force"),
    Label("decisions", "本年处理决定数量", "Decisions this year"),
    Label("amount_10k_yuan", "本年收费金额（单位：万元）", "Fees collected this year (10,000 yuan)"),
    Label("made", "本年新制作数量", "Newly made this year"),
    Label("published", "本年新公开数量", "Newly published this year"),
    Label("total_public", "对外公开总数量", "Total publicly disclosed"),
    Label("items_last_year", "上一年项目数量", "Items last year"),
    Label("items_change", "本年增/减", "Change in items this year"),
    Label("projects", "采购项目数量", "Procurement projects"),
    Label("amount", "采购总金额",
          "Total procurement amount (unit as printed, yuan or 10,000 yuan: the template names none)"),
)

#: Parts of a section in the corpus: the whole text, and the three parts of section 五.
SECTION_PARTS: tuple[Label, ...] = (
    Label("full", "全文", "The whole section"),
    Label("problems", "存在的主要问题", "Problems of the year"),
    Label("improvements", "改进情况", "Improvements made or planned"),
    Label("rectification", "上年度问题整改情况", "Last year's problems and how they were fixed"),
)

#: Checks the corpus adds across reports.
CORPUS_IDENTITIES: tuple[Identity, ...] = (
    Identity("requests.cross_year", "上年度结转下年度继续办理等于本年度上年结转",
             "last year's carried forward = this year's carried over, same agency", "each applicant column",
             ("carry_forward",), ("carried_over",)),
)

#: A file whose content another file already holds: its own row in ``reports``, its data once.
CORPUS_STATUSES: tuple[Label, ...] = STATUSES + (
    Label("duplicate", "重复", "Same content as another file, or the same report in other bytes (see duplicate_of); "
          "its data are counted once"),
)

#: What a file was read as (``reports.format``, sniffed from its bytes), in the order the readers try them.
FILE_FORMATS: tuple[Label, ...] = (
    Label("text", "文本", "Text"),
    Label("html", "网页（HTML）", "Web page (HTML)"),
    Label("mhtml", "网页存档（MHTML）", "Saved web page (MHTML)"),
    Label("docx", "Word（.docx）", "Word (.docx)"),
    Label("doc", "Word 97-2003（.doc、.wps）", "Word 97-2003 (.doc, .wps)"),
    Label("pdf", "PDF", "PDF"),
    Label("binary", "其他格式（未读取）", "Other formats (not read)"),
)

GOVERNMENT_LEVELS: tuple[Label, ...] = (
    Label("central", "中央", "Central"),
    Label("provincial", "省级", "Provincial"),
    Label("prefecture", "市级", "Prefecture"),
    Label("county", "县级", "County"),
    Label("township", "乡镇级", "Township"),
)

AGENCY_KINDS: tuple[Label, ...] = (
    Label("government", "人民政府", "People's government (whole-government report)"),
    Label("government_office", "政府办公室", "Government general office"),
    Label("department", "政府部门", "Government department"),
    Label("township", "乡镇街道", "Township or street"),
    Label("development_zone", "开发区", "Development zone"),
    Label("other", "其他", "Other"),
)

SECTORS: tuple[Label, ...] = (
    Label("commerce", "商务", "Commerce"),
    Label("industry_it", "工业和信息化", "Industry and information technology"),
    Label("public_security", "公安", "Public security"),
    Label("natural_resources", "自然资源", "Natural resources"),
    Label("education", "教育", "Education"),
    Label("health", "卫生健康", "Health"),
    Label("finance", "财政", "Public finance"),
    Label("human_resources", "人力资源和社会保障", "Human resources and social security"),
    Label("housing", "住房和城乡建设", "Housing and urban-rural development"),
    Label("transport", "交通运输", "Transport"),
    Label("agriculture", "农业农村", "Agriculture and rural affairs"),
    Label("ecology", "生态环境", "Ecology and environment"),
    Label("market_regulation", "市场监督管理", "Market regulation"),
    Label("civil_affairs", "民政", "Civil affairs"),
    Label("justice", "司法", "Justice"),
    Label("culture_tourism", "文化和旅游", "Culture and tourism"),
    Label("emergency", "应急管理", "Emergency management"),
    Label("water", "水利", "Water resources"),
    Label("tax", "税务", "Taxation"),
    Label("statistics", "统计", "Statistics"),
    Label("development_reform", "发展和改革", "Development and reform"),
    Label("audit", "审计", "Audit"),
    Label("veterans", "退役军人事务", "Veterans affairs"),
    Label("medical_security", "医疗保障", "Medical security"),
    Label("forestry", "林业和草原", "Forestry and grassland"),
    Label("sports", "体育", "Sports"),
    Label("ethnic_religious", "民族宗教", "Ethnic and religious affairs"),
    Label("data", "数据和政务服务", "Data and government services"),
    Label("other", "其他", "Other"),
)

#: Labels of the rules the parser adds (``PARSER_RULES`` says what they mean).
PARSER_RULE_LABELS: tuple[Label, ...] = (
    Label("inferred", "据勾稽关系推定", "Value inferred from the identities"),
    Label("ambiguous", "无法唯一确定", "Ambiguous: several readings fit"),
    Label("duplicate_table", "表格重复", "The same table printed twice"),
)
