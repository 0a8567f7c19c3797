"""The theme: one registered default template, fixed colours per category, labels from the schema."""

import re

import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ogi import plots, schema, theme

HEX = re.compile(r"^#[0-9A-F]{6}$")


def test_template_is_registered_and_default():
    assert theme.TEMPLATE in pio.templates
    assert pio.templates.default == "ogi"
    fig = go.Figure(go.Bar(y=[1, 2]))
    assert fig.layout.template.layout.font.family.startswith('"WenQuanYi Micro Hei"')
    assert fig.layout.template.layout.font.family.endswith("sans-serif")
    assert list(fig.layout.template.layout.colorway) == list(theme.COLORWAY)
    # plotly express draws with it too
    assert px.bar(x=["a"], y=[1]).layout.template.layout.font.family == theme.FONT_FAMILY


def test_palette_is_okabe_ito():
    assert set(theme.COLORWAY) == set(theme.OKABE_ITO.values())
    assert len(set(theme.COLORWAY)) == 8


def test_setup_notebook_sets_renderer_template_and_language():
    old_renderer, old_lang = pio.renderers.default, theme.get_lang()
    try:
        pio.templates.default = "plotly"
        plots.setup_notebook("en")
        assert pio.renderers.default == "plotly_mimetype"
        assert pio.templates.default == "ogi"
        assert theme.get_lang() == "en"
    finally:
        pio.renderers.default = old_renderer
        theme.set_lang(old_lang)


@pytest.mark.parametrize("kind", theme.color_kinds())
def test_every_category_has_one_distinct_colour(kind):
    colors = theme.color_map(kind)
    assert all(HEX.match(c) for c in colors.values())
    # every code the schema knows has a colour, and no colour for unknown codes
    assert set(colors) == set(theme.labels(kind))
    # within a kind, one colour per category (the 2019 single "other" row shares other.other's grey)
    distinct = {c for code, c in colors.items() if not (kind == "other_reason" and code == "other")}
    assert len(distinct) == len(colors) - (kind == "other_reason")


def test_same_category_same_colour_across_calls_and_kinds():
    assert theme.color_for("level", "county") == theme.color_for("level", "county") == theme.color_map("level")["county"]
    assert theme.color_map("applicant") == theme.color_map("applicant")
    # meaning carries across kinds: official rows and comparable groups
    assert theme.color_for("outcome", "denied") == theme.color_for("outcome_group", "legal_exemption")
    assert theme.color_for("outcome", "granted") == theme.color_for("outcome_group", "granted") \
        == theme.color_for("request_group", "granted")
    assert theme.color_for("outcome", "denied.state_secret") == theme.color_for("outcome", "denied")
    # a returned map is a copy: a notebook cannot change the colours of the next chart
    theme.color_map("level")["county"] = "#123456"
    assert theme.color_for("level", "county") != "#123456"


def test_status_colours_cover_corpus_statuses():
    assert set(theme.color_map("status")) == {s.code for s in schema.CORPUS_STATUSES}


def test_unknown_kind_or_code_raises():
    with pytest.raises(KeyError, match="kind"):
        theme.color_for("nope", "x")
    with pytest.raises(KeyError, match="county"):  # the message lists the known codes
        theme.color_for("level", "village")
    with pytest.raises(KeyError):
        theme.labels("nope")


def test_labels_come_from_the_schema():
    assert theme.labels("level", "zh") == {g.code: g.zh for g in schema.GOVERNMENT_LEVELS}
    assert theme.labels("level", "en") == {g.code: g.en for g in schema.GOVERNMENT_LEVELS}
    assert theme.labels("applicant", "zh")["natural_person"] == "自然人"
    assert theme.labels("outcome_group", "en")["legal_exemption"] == "Withheld under a legal exemption"
    assert list(theme.labels("outcome", "en")) == ["granted", "partial", "denied", "unavailable",
                                                   "not_processed", "other"]
    # printed numbering and "Denied: " prefixes are dropped for charts
    assert theme.label("denial_reason", "denied.state_secret", "zh") == "属于国家秘密"
    assert theme.label("denial_reason", "denied.state_secret", "en") == "State secret"
    assert theme.label("request_row", "granted", "zh") == "予以公开"
    assert theme.label("request_row", "new", "zh") == "本年新收政府信息公开申请数量"
    for kind in theme.kinds():
        zh, en = theme.labels(kind, "zh"), theme.labels(kind, "en")
        assert list(zh) == list(en) and all(zh.values()) and all(en.values())


def test_single_language_switch():
    old = theme.get_lang()
    try:
        theme.set_lang("en")
        assert theme.labels("level")["county"] == "County"
        assert theme.label("level", "county") == "County"
        assert theme.order("level") == ["Central", "Provincial", "Prefecture", "County", "Township"]
        theme.set_lang("zh")
        assert theme.labels("level")["county"] == "县级"
        assert theme.color_map("level", "zh")["县级"] == theme.color_for("level", "county")
        with pytest.raises(ValueError):
            theme.set_lang("fr")
    finally:
        theme.set_lang(old)


def test_order_for_category_orders():
    assert theme.order("level", "code") == [g.code for g in schema.GOVERNMENT_LEVELS]
    assert theme.order("level", "en", codes={"county", "central"}) == ["Central", "County"]
