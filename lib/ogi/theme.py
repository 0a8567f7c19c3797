"""The one plotly theme: Chinese-capable fonts, a colour-blind-safe palette,
one colour per category everywhere, and bilingual labels from the schema.

Importing this module registers the plotly template ``"ogi"`` and makes it
plotly's default, so every figure the library (or a notebook) draws uses it::

    from ogi import theme
    theme.set_lang("en")                       # the single language switch
    theme.labels("level")                      # {'central': 'Central', ...}
    theme.color_for("outcome", "denied")       # '#D55E00', in every chart
    px.bar(df, color="level", color_discrete_map=theme.color_map("level"),
           category_orders={"level": theme.order("level")})

Colours are Okabe & Ito's palette (Color Universal Design, 2008), which stays
distinguishable under the common colour-vision deficiencies. Within one kind of
category every code has its own colour, fixed here once; the same code of the
same kind is the same colour in every chart. Meaning carries across kinds where
it should: "denied" (official row) and "legal_exemption" (comparable group) are
both vermillion, "granted" is always bluish green, "other" always grey.

Fonts: "WenQuanYi Micro Hei" first, because Chromium embeds it in PDFs as a
TrueType (CIDFontType2) font; Noto/Source Han Sans CJK are OpenType/CFF fonts
that Chromium's PDF backend writes as Type 3, which journals reject. The other
names are fallbacks for screens (macOS, Windows) where WenQuanYi is absent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import plotly.graph_objects as go
import plotly.io as pio

from . import schema

TEMPLATE = "ogi"

#: CSS font stack: a CJK font that embeds well first, then common CJK fallbacks.
FONT_FAMILY = ", ".join([
    '"WenQuanYi Micro Hei"',
    '"Noto Sans CJK SC"',
    '"Source Han Sans SC"',
    '"PingFang SC"',
    '"Hiragino Sans GB"',
    '"Microsoft YaHei"',
    "SimHei",
    "sans-serif",
])

#: Okabe-Ito colours by name, and the two greys used for "other" and "total".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#999999"
DARK_GREY = "#555555"

_O = OKABE_ITO
#: Order in which uncoded traces take colours (yellow and black last: low contrast, heavy).
COLORWAY = (_O["blue"], _O["orange"], _O["bluish_green"], _O["vermillion"], _O["sky_blue"],
            _O["reddish_purple"], _O["yellow"], _O["black"])

# ---------------------------------------------------------------------------
# Categories: code -> colour, per kind
# ---------------------------------------------------------------------------

_OUTCOME = {
    "granted": _O["bluish_green"],
    "partial": _O["sky_blue"],
    "denied": _O["vermillion"],
    "unavailable": _O["orange"],
    "not_processed": _O["reddish_purple"],
    "other": GREY,
}

_COLORS: dict[str, dict[str, str]] = {
    # the six outcome groups of table 3 (三、本年度办理结果)
    "outcome": _OUTCOME,
    # the comparable groups (schema.OUTCOME_GROUPS), coloured like the official rows they gather
    "outcome_group": {
        "granted": _OUTCOME["granted"],
        "partial": _OUTCOME["partial"],
        "legal_exemption": _OUTCOME["denied"],
        "not_held_or_needs_creation": _OUTCOME["unavailable"],
        "procedural_or_vexatious": _OUTCOME["not_processed"],
        "other": _OUTCOME["other"],
    },
    # the groups of table 3's rows, outcome colours kept (flow views: requests -> outcomes)
    "request_group": {
        "new": _O["blue"],
        "carried_over": _O["yellow"],
        **_OUTCOME,
        "total": DARK_GREY,
        "carry_forward": _O["black"],
    },
    "denial_reason": dict(zip(
        ("denied.state_secret", "denied.prohibited_by_law", "denied.security_stability", "denied.third_party",
         "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.inquiry"),
        COLORWAY)),
    "unavailable_reason": dict(zip(
        ("unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear"), COLORWAY)),
    "not_processed_reason": dict(zip(
        ("not_processed.petition", "not_processed.duplicate", "not_processed.publication",
         "not_processed.excessive", "not_processed.confirmation"), COLORWAY)),
    "other_reason": {
        "other.no_correction": _O["blue"],
        "other.no_fee": _O["orange"],
        "other.other": GREY,
        "other": GREY,  # the 2019 template's single row
    },
    "applicant": {
        "natural_person": _O["blue"],
        "commercial": _O["orange"],
        "research": _O["bluish_green"],
        "social_welfare": _O["reddish_purple"],
        "legal_service": _O["vermillion"],
        "other_org": GREY,
        "total": DARK_GREY,
    },
    "level": {
        "central": _O["vermillion"],
        "provincial": _O["orange"],
        "prefecture": _O["bluish_green"],
        "county": _O["blue"],
        "township": _O["sky_blue"],
    },
    "agency_kind": {
        "government": _O["blue"],
        "government_office": _O["sky_blue"],
        "department": _O["orange"],
        "township": _O["bluish_green"],
        "development_zone": _O["reddish_purple"],
        "other": GREY,
    },
    "template": {
        schema.TEMPLATE_2021: _O["blue"],
        schema.TEMPLATE_2019: _O["orange"],
    },
    "status": {
        "ok": _O["bluish_green"],
        "partial": _O["orange"],
        "failed": _O["vermillion"],
        "not_a_report": GREY,
        "pre2019": _O["sky_blue"],
        "duplicate": _O["reddish_purple"],
    },
    "review_group": {
        "review": _O["blue"],
        "litigation_direct": _O["orange"],
        "litigation_after_review": _O["bluish_green"],
    },
    "review_outcome": {
        "upheld": _O["blue"],
        "corrected": _O["vermillion"],
        "other": GREY,
        "pending": _O["yellow"],
        "total": DARK_GREY,
    },
    "proactive_row": {
        "regulations": _O["blue"],
        "normative_documents": _O["orange"],
        "licensing": _O["bluish_green"],
        "penalty": _O["vermillion"],
        "coercion": _O["reddish_purple"],
        "fees": _O["sky_blue"],
        "fee_items": _O["yellow"],
        "other_services": GREY,
        "procurement": _O["black"],
    },
}

# ---------------------------------------------------------------------------
# Labels, from the schema
# ---------------------------------------------------------------------------

#: Template labels. NOTE: the schema names the templates by code only; these two
#: labels belong in ``ogi.schema`` and should move there.
_TEMPLATE_LABELS = (
    schema.Label(schema.TEMPLATE_2021, "2021年版模板", "2021 template"),
    schema.Label(schema.TEMPLATE_2019, "2019年版模板", "2019-2020 template"),
)

# printed numbering of template rows: 一、 （一） (一) 1. 1．
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+\s*[.．、])\s*")


def _rows(group: str) -> list[schema.Label]:
    return [r for r in schema.REQUEST_ROWS if r.group == group]


def _proactive_rows() -> list[schema.Label]:
    seen: dict[str, schema.Label] = {}
    for rows in schema.PROACTIVE_ROWS.values():
        for r in rows:
            seen.setdefault(r.code, r)
    return list(seen.values())


def _sources() -> dict[str, list]:
    """Each kind's categories in schema order; read at call time (the schema is data, and grows)."""
    outcome_codes = tuple(_OUTCOME)
    return {
        "applicant": list(schema.APPLICANTS),
        "request_group": list(schema.REQUEST_GROUPS),
        "outcome": [g for g in schema.REQUEST_GROUPS if g.code in outcome_codes],
        "outcome_group": list(schema.OUTCOME_GROUPS),
        "request_row": list(schema.REQUEST_ROWS),
        "denial_reason": _rows("denied"),
        "unavailable_reason": _rows("unavailable"),
        "not_processed_reason": _rows("not_processed"),
        "other_reason": _rows("other"),
        "level": list(schema.GOVERNMENT_LEVELS),
        "agency_kind": list(schema.AGENCY_KINDS),
        "sector": list(schema.SECTORS),
        "status": list(schema.CORPUS_STATUSES),
        "file_format": list(schema.FILE_FORMATS),
        "template": list(_TEMPLATE_LABELS),
        "section": list(schema.SECTIONS),
        "section_part": list(schema.SECTION_PARTS),
        "review_group": list(schema.REVIEW_GROUPS),
        "review_outcome": list(schema.REVIEW_OUTCOMES),
        "proactive_row": _proactive_rows(),
        "proactive_column": list(schema.PROACTIVE_COLUMNS),
        "parser_rule": list(schema.PARSER_RULE_LABELS),
        "identity": [schema.Label(i.rule, i.zh, i.en) for i in (*schema.IDENTITIES, *schema.CORPUS_IDENTITIES)],
    }


_ROW_KINDS = {"request_row", "denial_reason", "unavailable_reason", "not_processed_reason", "other_reason"}

LANGS = ("zh", "en")
_lang = os.environ.get("OGI_LANG", "zh")
if _lang not in LANGS:  # a bad environment value must not break imports
    _lang = "zh"


def set_lang(lang: str) -> None:
    """Set the language of every label the library draws: ``"zh"`` or ``"en"`` (the single switch)."""
    global _lang
    _lang = resolve_lang(lang)


def get_lang() -> str:
    """The current label language (``OGI_LANG`` in the environment sets the initial value; default ``zh``)."""
    return _lang


def resolve_lang(lang: str | None) -> str:
    """``lang`` checked, or the current language when ``None``."""
    if lang is None:
        return _lang
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def kinds() -> tuple[str, ...]:
    """Every kind of category that has labels."""
    return tuple(_sources())


def color_kinds() -> tuple[str, ...]:
    """Every kind of category that has fixed colours."""
    return tuple(_COLORS)


def _clean(kind: str, label: schema.Label, lang: str) -> str:
    text = getattr(label, lang)
    if kind in _ROW_KINDS and lang == "zh":
        text = _NUMBERING.sub("", text)
    if kind.endswith("_reason") and lang == "en" and ": " in text:
        text = text.split(": ", 1)[1]  # "Denied: state secret" -> "state secret" under a "Denied" heading
        text = text[:1].upper() + text[1:]
    return text


def labels(kind: str, lang: str | None = None) -> dict[str, str]:
    """Code -> label for one kind of category, in schema order.

    Parameters
    ----------
    kind : str
        One of :func:`kinds`, e.g. ``"applicant"``, ``"level"``, ``"outcome_group"``, ``"denial_reason"``.
    lang : {"zh", "en"}, optional
        Defaults to the current language (:func:`set_lang`).

    Printed numbering (``（一）``, ``1.``) is dropped from row labels, and the
    "Denied: " style prefix from English reason labels, since charts group them.
    """
    lang = resolve_lang(lang)
    src = _sources()
    if kind not in src:
        raise KeyError(f"no labels for kind {kind!r}; known kinds: {', '.join(src)}")
    return {item.code: _clean(kind, item, lang) for item in src[kind]}


def label(kind: str, code: str, lang: str | None = None) -> str:
    """The label of one code; unknown codes raise ``KeyError`` naming the kind."""
    table = labels(kind, lang)
    try:
        return table[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a {kind} code; known: {', '.join(table)}") from None


def order(kind: str, lang: str | None = None, codes: Iterable[str] | None = None) -> list[str]:
    """Labels (or codes, with ``lang="code"``) in schema order, for ``category_orders``.

    ``codes`` restricts the result to those present (e.g. the values in a frame).
    """
    table = labels(kind, None if lang == "code" else lang)
    keep = None if codes is None else set(codes)
    return [code if lang == "code" else text for code, text in table.items() if keep is None or code in keep]


def color_for(kind: str, code: str) -> str:
    """The colour of one category, the same in every chart.

    For ``kind="outcome"`` a row code such as ``"denied.state_secret"`` takes its group's colour.
    Unknown kinds and codes raise ``KeyError``: a silent fallback would give two
    categories one colour.
    """
    if kind not in _COLORS:
        raise KeyError(f"no colours for kind {kind!r}; known kinds: {', '.join(_COLORS)}")
    table = _COLORS[kind]
    if code in table:
        return table[code]
    if kind == "outcome" and isinstance(code, str) and code.split(".")[0] in table:
        return table[code.split(".")[0]]
    raise KeyError(f"{code!r} has no colour in kind {kind!r}; known: {', '.join(table)}")


def color_map(kind: str, lang: str | None = None) -> dict[str, str]:
    """Category -> colour for one kind, for ``color_discrete_map``.

    Keys are codes by default; with ``lang="zh"`` or ``"en"`` they are the labels
    in that language, for charts whose data already carry labels.
    """
    if kind not in _COLORS:
        raise KeyError(f"no colours for kind {kind!r}; known kinds: {', '.join(_COLORS)}")
    colors = dict(_COLORS[kind])
    if lang is None:
        return colors
    names = labels(kind, lang)
    return {names[code]: c for code, c in colors.items() if code in names}


# ---------------------------------------------------------------------------
# The plotly template
# ---------------------------------------------------------------------------


def _build_template() -> go.layout.Template:
    base = go.layout.Template(pio.templates["plotly_white"])
    axis = dict(
        showline=True, linecolor="#444444", linewidth=1, ticks="outside", tickcolor="#444444",
        gridcolor="#E6E6E6", zeroline=False, automargin=True, title=dict(standoff=8),
    )
    base.layout.update(
        font=dict(family=FONT_FAMILY, size=13, color="#222222"),
        title=dict(font=dict(family=FONT_FAMILY, size=17), x=0.0, xanchor="left", xref="paper"),
        colorway=list(COLORWAY),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(axis, showgrid=False),
        yaxis=dict(axis, showgrid=True),
        legend=dict(font=dict(family=FONT_FAMILY, size=12), bgcolor="rgba(255,255,255,0.8)"),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        margin=dict(l=70, r=30, t=70, b=70),
        separators=".,",
    )
    return base


def register(default: bool = True) -> go.layout.Template:
    """Register the ``"ogi"`` template (again) and, by default, make it plotly's default."""
    template = _build_template()
    pio.templates[TEMPLATE] = template
    if default:
        pio.templates.default = TEMPLATE
    return template


register()
