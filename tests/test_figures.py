"""Publication figures: fixed sizes, the stamp, Chinese that renders (not tofu) and embeds, one browser per run.

Tests marked ``slow`` start a headless Chromium (a few seconds each); they are
skipped, with the install hint, where no Chromium is found.
"""

import io
import os
import re
import shutil

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from ogi import figures

try:
    BROWSER = figures.find_browser()
    NO_BROWSER = ""
except figures.BrowserNotFound as e:
    BROWSER, NO_BROWSER = None, str(e)

W, H = 640, 360


def bar(title="政府信息公开申请", **layout):
    return go.Figure(go.Bar(x=["自然人", "商业企业", "科研机构"], y=[12, 5, 1]), layout=dict(title=title, **layout))


def png_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))


# ---------------------------------------------------------------------------
# Without a browser
# ---------------------------------------------------------------------------


def test_corpus_version_is_sample_without_tables_and_a_hash_of_their_bytes(tmp_path):
    assert figures.corpus_version(tmp_path) == "sample"
    assert figures.corpus_version(tmp_path / "missing") == "sample"
    (tmp_path / "reports.parquet").write_bytes(b"one")
    first = figures.corpus_version(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{10}", first)
    assert figures.corpus_version(tmp_path) == first  # stable
    (tmp_path / "reports.parquet").write_bytes(b"two")
    assert figures.corpus_version(tmp_path) != first  # follows the data


def test_corpus_version_reads_the_build_fingerprint(tmp_path):
    from ogi import corpus

    assert figures.BUILD_FILE == corpus.BUILD_FILE
    (tmp_path / "reports.parquet").write_bytes(b"one")
    (tmp_path / figures.BUILD_FILE).write_text('{"fingerprint": "4f9c2e7a1b3d5f60aa"}', encoding="utf-8")
    assert figures.corpus_version(tmp_path) == "4f9c2e7a1b"
    (tmp_path / figures.BUILD_FILE).write_text('{"fingerprint": "incomplete:4f9c2e7a1b3d"}', encoding="utf-8")
    assert figures.corpus_version(tmp_path) == "4f9c2e7a1b-incomplete"
    (tmp_path / figures.BUILD_FILE).write_text("not json", encoding="utf-8")
    assert re.fullmatch(r"[0-9a-f]{10}", figures.corpus_version(tmp_path))  # falls back to the tables' bytes


def test_stamp_text_names_library_and_corpus():
    from ogi import __version__

    assert figures.stamp_text("abc123") == f"ogi {__version__} · corpus abc123"


def test_missing_browser_fails_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome"))
    with pytest.raises(figures.BrowserNotFound, match="BROWSER_PATH") as e:
        figures.find_browser()
    assert "apt-get install chromium fonts-wqy-microhei" in str(e.value)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(figures.sys, "platform", "linux")
    with pytest.raises(figures.BrowserNotFound, match="No Chromium or Chrome found") as e:
        figures.save_figure(bar(), "x", folder=tmp_path)
    assert "BROWSER_PATH" in str(e.value) and "brew install" in str(e.value)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_browser_path_is_used_when_set(monkeypatch, tmp_path):
    exe = tmp_path / "my-chrome"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(exe))
    assert figures.find_browser() == str(exe)


def test_make_figures_lists_the_registered_figures(capsys):
    assert figures.main(["--list"]) == 0
    assert "00-theme-specimen-zh 00-theme-specimen-en" in capsys.readouterr().out


def test_bad_names_and_formats_are_refused(tmp_path):
    for name in ("../outside", "/abs/x"):
        with pytest.raises(ValueError, match="relative name"):
            figures.save_figure(bar(), name, folder=tmp_path)
    with pytest.raises(ValueError, match="formats"):
        figures.save_figure(bar(), "x", formats=("eps",), folder=tmp_path)


def test_png_stamp_adds_text_chunks_and_resolution():
    img = Image.new("RGB", (4, 3), "white")
    raw = io.BytesIO()
    img.save(raw, format="PNG")
    out = figures._stamp_png(raw.getvalue(), {"Keywords": "corpus=abc", "Title": "图一"}, dpi=192)
    back = Image.open(io.BytesIO(out))
    back.load()
    assert back.size == (4, 3)
    assert back.info["Keywords"] == "corpus=abc" and back.info["Title"] == "图一"
    assert round(back.info["dpi"][0]) == 192


def test_stamps_leave_unknown_structures_alone():
    assert figures._stamp_pdf(b"%PDF-1.5 no classic trailer", {}) == b"%PDF-1.5 no classic trailer"
    assert figures._stamp_png(b"GIF89a", {}, 96) == b"GIF89a"


# ---------------------------------------------------------------------------
# With the system Chromium
# ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_save_figure_writes_three_stamped_files_of_the_fixed_size(tmp_path):
    fig = bar()
    with figures.export_session():
        written = figures.save_figure(fig, "requests-by-applicant", width=W, height=H, folder=tmp_path,
                                      corpus="c0ffee1234")
        plain = figures.render(fig, "png", width=W, height=H, scale=2)
    assert set(written) == {"svg", "pdf", "png"}
    assert all(p.parent == tmp_path and p.stem == "requests-by-applicant" for p in written.values())
    assert len(fig.data) == 1 and "legend99" not in fig.layout  # the caller's figure is not stamped
    stamp = figures.stamp_text("c0ffee1234")

    # PNG: W x H layout pixels at scale 2, stamped in its metadata and in the corner
    png = Image.open(written["png"])
    assert png.size == (W * figures.PNG_SCALE, H * figures.PNG_SCALE)
    assert png.info["Keywords"].startswith("corpus=c0ffee1234; ogi=")
    assert round(png.info["dpi"][0]) == 96 * figures.PNG_SCALE
    stamped = png_array(written["png"].read_bytes())
    clean = png_array(plain)
    corner = (slice(-40, None), slice(-320, None))
    assert (stamped[corner] != clean[corner]).any()  # the note is drawn bottom right
    assert (stamped[:-60] == clean[:-60]).all()  # and nowhere else

    # SVG: fixed size, the note as text, metadata
    svg = written["svg"].read_text(encoding="utf-8")
    assert re.search(rf'<svg[^>]*width="{W}"[^>]*height="{H}"', svg)
    assert stamp in svg and '<metadata id="ogi-stamp">' in svg and "c0ffee1234" in svg

    # PDF: 0.75 pt per layout pixel, document information, the note as text
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(written["pdf"]))
    w_pt, h_pt = pdf[0].get_size()
    assert abs(w_pt - W * 0.75) < 1 and abs(h_pt - H * 0.75) < 1
    meta = pdf.get_metadata_dict()
    assert meta["Title"] == "requests-by-applicant"
    assert "corpus=c0ffee1234" in meta["Keywords"] and meta["Creator"].startswith("ogi ")
    assert stamp in pdf[0].get_textpage().get_text_range()
    pdf.close()


def _title_pixels(title: str) -> np.ndarray:
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout=dict(title=dict(text=title, font=dict(size=28))))
    return png_array(figures.render(fig, "png", width=600, height=300))[:60]  # the title band


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_chinese_renders_as_glyphs_not_tofu():
    with figures.export_session():
        a = _title_pixels("政府信息公开申请")
        b = _title_pixels("主动公开行政许可")  # same length, other characters
        # the control: characters no font has render as identical boxes
        tofu1 = _title_pixels("\ue000\ue001\ue002\ue003")
        tofu2 = _title_pixels("\ue010\ue011\ue012\ue013")
    assert (tofu1 == tofu2).all() and (tofu1 < 128).any()  # the method sees tofu as tofu
    assert (a < 128).sum() > 500  # ink in the title band
    assert (a != b).sum() > 500  # different characters, different glyphs: not tofu


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_pdf_embeds_the_cjk_font_as_truetype_not_type3(tmp_path):
    written = figures.save_figure(bar("主动公开政府信息情况"), "cjk", formats=("pdf",), folder=tmp_path)
    data = written["pdf"].read_bytes()
    assert not re.search(rb"/Subtype\s*/Type3", data), "Type 3 fonts: journals reject them (Noto CJK does this)"
    fonts = re.findall(rb"/BaseFont\s*/([A-Z]{6}\+)?([^\s/>]+)", data)
    assert any(b"WenQuanYi" in name for _, name in fonts), fonts
    assert re.search(rb"/Subtype\s*/CIDFontType2", data) and b"/FontFile2" in data  # embedded TrueType
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert "主动公开政府信息情况" in text and "商业企业" in text  # real glyphs with a Unicode map


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
def test_one_browser_start_for_a_whole_run(monkeypatch, tmp_path):
    import kaleido

    opened = []
    real_open = kaleido.Kaleido.open

    async def counting_open(self):
        opened.append(self)
        return await real_open(self)

    monkeypatch.setattr(kaleido.Kaleido, "open", counting_open)
    for name in ("zz-test-a", "zz-test-b"):
        monkeypatch.setitem(figures.REGISTRY, name, figures.FigureSpec(
            name, lambda lang: bar("额外" if lang == "zh" else "Extra"), ("zh", "en"), W, H))
    starts = figures.browser_starts
    lines = []
    written = figures.build_all(["zz-test-a", "zz-test-b"], folder=tmp_path, log=lines.append)
    assert len(opened) == 1 and figures.browser_starts == starts + 1  # four figures, twelve files, one browser
    assert sorted(written) == ["zz-test-a-en", "zz-test-a-zh", "zz-test-b-en", "zz-test-b-zh"]
    assert len(list(tmp_path.glob("*.*"))) == 12
    assert "figure(s) in" in lines[-1]
    # a save_figure outside any session starts (and stops) its own browser, once for all formats
    figures.save_figure(bar(), "alone", folder=tmp_path)
    assert len(opened) == 2 and figures._active is None


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason=NO_BROWSER)
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the browser's command line from /proc")
def test_browser_runs_headless_without_sandbox_or_background_networking():
    with figures.export_session() as exporter:
        figures.render(bar(), "svg")
        cmdlines = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    args = f.read().decode(errors="replace").split("\0")
            except OSError:
                continue
            if "--remote-debugging-pipe" in args and exporter.browser in args:
                cmdlines.append(args)
    assert cmdlines, "the browser process was not found"
    for flag in ("--headless", "--no-sandbox", "--disable-background-networking"):
        assert any(flag in args for args in cmdlines), flag


@pytest.mark.slow
def test_a_browser_that_fails_to_start_raises_instead_of_hanging(monkeypatch, tmp_path):
    # kaleido.start_sync_server would wait forever here
    fake = tmp_path / "broken-chrome"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    monkeypatch.setattr(figures, "STARTUP_TIMEOUT", 30.0)
    with pytest.raises(RuntimeError, match="did not start"):
        with figures.export_session():
            pass
    assert figures._active is None
