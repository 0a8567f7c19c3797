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


def request_row_codes(template: str) -> tuple[str, ...]:
    """The row codes of table 3 in printed order for one template."""
    other = TEMPLATE_2019 if template == TEMPLATE_2021 else TEMPLATE_2021
    return tuple(r.code for r in REQUEST_ROWS if r.template != other)


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
IDENTITY_BY_RULE = {i.rule: i for i in IDENTITIES}

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
