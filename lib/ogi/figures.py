"""Publication figures: ``save_figure`` and the one export session.

``save_figure(fig, name)`` writes ``figures/<name>.svg``, ``.pdf`` and ``.png``
at a fixed size, stamped with the corpus version and the library version (a
small grey note in the bottom-right corner, and the files' own metadata: PNG
text chunks, an SVG ``<metadata>`` element, the PDF document information).

Static export runs kaleido 1.x, which drives a headless Chromium. We start it
ourselves with ``kaleido.Kaleido`` on a private event-loop thread rather than
with ``kaleido.start_sync_server``: the sync server waits forever when the
browser fails to start (its thread dies before reading the queue), while here
start-up errors and time-outs reach the caller. ``plotly.io.write_images`` is
not used either: it needs every figure at once and starts a browser per call.

One browser serves everything inside ``export_session()``; ``make figures``
(``python -m ogi.figures``) opens one session for the whole run. A
``save_figure`` outside a session opens one for its own formats and closes it.

The browser is the system Chromium: ``BROWSER_PATH`` if set, else ``chromium``,
``chromium-browser``, ``google-chrome`` ... on ``PATH``. It runs headless,
without the sandbox (we may be root in a container) and without background
networking (the machine may be offline; MathJax, which kaleido would fetch from
a CDN, is off).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from . import paths, theme  # noqa: F401  (theme: registers the template)

FORMATS = ("svg", "pdf", "png")
#: Layout size in CSS pixels; the PDF page is 0.75 pt per pixel (675 x 412.5 pt at 900 x 550).
WIDTH = 900
HEIGHT = 550
#: PNG pixels per layout pixel (2: 1800 x 1100 px, 192 dpi at the PDF's physical size).
PNG_SCALE = 2
STARTUP_TIMEOUT = 60.0
RENDER_TIMEOUT = 120.0

#: Browser executables looked up on PATH, in order, when BROWSER_PATH is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_MAC_BROWSERS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
                 "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
#: Flags added to choreographer's own (which already has --headless, --no-sandbox, --disable-gpu).
EXTRA_FLAGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--font-render-hinting=none",
)

INSTALL_HINT = (
    "Static figure export needs Chromium or Chrome (kaleido 1.x drives it) and a CJK font.\n"
    "  Debian/Ubuntu:  sudo apt-get install chromium fonts-wqy-microhei   (or: make system)\n"
    "  macOS:          brew install --cask chromium   and a CJK TrueType font (e.g. font-wqy-microhei)\n"
    "  elsewhere:      install Chromium or Chrome, or set BROWSER_PATH=/path/to/chrome"
)


class BrowserNotFound(RuntimeError):
    """No Chromium/Chrome to export figures with; the message says what to install."""


# ---------------------------------------------------------------------------
# Versions for the stamp
# ---------------------------------------------------------------------------

_digest_cache: dict[tuple[str, int, int], bytes] = {}


def _file_digest(path: Path) -> bytes:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _digest_cache:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _digest_cache[key] = h.digest()
    return _digest_cache[key]


#: The build record ``ogi build`` writes last, atomically, beside the tables (``ogi.corpus.BUILD_FILE``).
BUILD_FILE = "BUILD.json"


def corpus_version(processed: Path | str | None = None) -> str:
    """The corpus a figure shows: the first 10 hex digits of the build's fingerprint, or ``"sample"``.

    The fingerprint is the one in ``BUILD.json`` (every input file's hash, the
    parser and table versions), so a stamp can be looked up there. Without a
    build record, the hash of the Parquet tables' bytes stands in (builds are
    deterministic); with no tables at all, ``"sample"``. An interrupted build
    is marked ``-incomplete``.
    """
    folder = Path(processed) if processed is not None else paths.PROCESSED
    record = folder / BUILD_FILE
    if record.is_file():
        try:
            fp = str(json.loads(record.read_text(encoding="utf-8")).get("fingerprint") or "")
        except (OSError, ValueError, AttributeError):
            fp = ""
        if fp:
            incomplete = fp.startswith("incomplete:")
            short = re.sub(r"[^0-9A-Za-z]", "", fp.split(":")[-1])[:10]
            return short + ("-incomplete" if incomplete else "")
    files = sorted(p for p in folder.rglob("*.parquet") if p.is_file()) if folder.is_dir() else []
    if not files:
        return "sample"
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(folder).as_posix().encode("utf-8") + b"\0" + _file_digest(p))
    return h.hexdigest()[:10]


def library_version() -> str:
    from . import __version__

    return __version__


def stamp_text(corpus: str | None = None) -> str:
    return f"ogi {library_version()} · corpus {corpus or corpus_version()}"


# ---------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------


def find_browser() -> str:
    """The Chromium/Chrome executable to export with; raises :class:`BrowserNotFound` with install hints."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise BrowserNotFound(f"BROWSER_PATH={env!r} is not an executable file.\n{INSTALL_HINT}")
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "darwin":
        for candidate in _MAC_BROWSERS:
            if os.access(candidate, os.X_OK):
                return candidate
    raise BrowserNotFound(f"No Chromium or Chrome found on PATH (looked for {', '.join(BROWSER_NAMES)}).\n"
                          f"{INSTALL_HINT}")


def _browser_class():
    """choreographer's Chromium with our extra flags (None: use choreographer's defaults)."""
    try:
        from choreographer.browsers import Chromium
    except ImportError:  # a future choreographer; its defaults still work
        return None

    class OfflineChromium(Chromium):
        def get_cli(self):
            cli = list(super().get_cli())
            return cli + [f for f in EXTRA_FLAGS if f not in cli]

    return OfflineChromium


#: Number of browsers started in this process (``make figures`` reports it; tests count it).
browser_starts = 0


class _Exporter:
    """A kaleido browser on a private event loop thread, driven synchronously."""

    def __init__(self, browser: str, timeout: float | None = None):
        import kaleido

        global browser_starts
        self.browser = browser
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ogi-figure-export", daemon=True)
        self._thread.start()
        kwargs: dict[str, Any] = dict(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=browser)
        cls = _browser_class()
        if cls is not None:
            kwargs["browser_cls"] = cls

        async def open_():
            k = kaleido.Kaleido(**kwargs)
            await k.open()
            return k

        t0 = time.perf_counter()
        try:
            self._k = self._call(open_(), timeout or STARTUP_TIMEOUT)
        except Exception as e:  # start-up errors and time-outs reach the caller (no hang)
            self._stop_loop()
            raise RuntimeError(f"Chromium at {browser} did not start for figure export: {e}\n{INSTALL_HINT}") from e
        browser_starts += 1
        self.startup_s = time.perf_counter() - t0

    def _call(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def render(self, fig: dict, fmt: str, width: int, height: int, scale: float) -> bytes:
        opts = dict(format=fmt, width=width, height=height, scale=scale)
        return self._call(self._k.calc_fig(fig, opts=opts), RENDER_TIMEOUT + 10)

    def close(self) -> None:
        try:
            self._call(self._k.close(), 30)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._loop.is_running():
            self._loop.close()


_lock = threading.RLock()
_active: _Exporter | None = None
_depth = 0


@contextlib.contextmanager
def export_session() -> Iterator[_Exporter]:
    """Start the exporter (one Chromium) once for every figure written inside the block.

    Re-entrant: an inner session, or a ``save_figure`` inside, reuses the outer browser.

    >>> with export_session():                                  # doctest: +SKIP
    ...     for name, fig in figures.items():
    ...         save_figure(fig, name)
    """
    global _active, _depth
    with _lock:
        if _active is None:
            _active = _Exporter(find_browser())
        _depth += 1
        exporter = _active
    try:
        yield exporter
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _active = None
                exporter.close()


# ---------------------------------------------------------------------------
# Stamping
# ---------------------------------------------------------------------------


STAMP_LEGEND = "legend99"


def _add_stamp(fig: go.Figure, text: str) -> None:
    """A small grey note in the bottom-right corner of the image.

    Annotations can only be placed relative to the plot area, which automargin
    moves (a legend on the right, rotated tick labels); legends can be placed
    relative to the whole image (``xref="container"``). So the note is the one
    entry of a legend of its own: an empty, invisible trace named by the text.
    plotly.js decides per legend whether to show it, so the figure's own legend
    shows or hides as it would without the stamp. A horizontal legend anchored
    to the container reserves its height (about 20 px) at the bottom: where the
    bottom margin is already larger nothing moves; where it is not (zero
    margins, tick labels filling the margin) the plot gives way rather than
    the note covering it.
    """
    cartesian = any("xaxis" in trace for trace in fig.data)
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="lines", line=dict(width=0, color="rgba(0,0,0,0)"), name=text,
        legend=STAMP_LEGEND, showlegend=True, hoverinfo="skip"))
    fig.update_layout({STAMP_LEGEND: dict(
        xref="container", yref="container", x=1, y=0, xanchor="right", yanchor="bottom",
        font=dict(size=9, color="#8C8C8C"), bgcolor="rgba(0,0,0,0)", borderwidth=0, itemwidth=30,
        itemclick=False, itemdoubleclick=False, title_text="", orientation="h")})
    if not cartesian:  # a pie or sankey figure: the empty trace must not bring axes with it
        fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _stamp_png(data: bytes, meta: dict[str, str], dpi: float) -> bytes:
    """Add tEXt/iTXt chunks and the physical resolution (pHYs) after IHDR, replacing any pHYs."""
    sig, pos = data[:8], 8
    if sig != b"\x89PNG\r\n\x1a\n":
        return data
    chunks = []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        chunks.append((kind, data[pos:pos + 12 + length]))
        pos += 12 + length
    extra = [_png_chunk(b"pHYs", struct.pack(">IIB", round(dpi / 0.0254), round(dpi / 0.0254), 1))]
    for key, value in meta.items():
        try:
            extra.append(_png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
        except UnicodeEncodeError:  # iTXt: UTF-8, uncompressed
            extra.append(_png_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    out = [sig]
    for kind, raw in chunks:
        if kind == b"pHYs":
            continue
        out.append(raw)
        if kind == b"IHDR":
            out.extend(extra)
    return b"".join(out)


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _stamp_svg(data: bytes, meta: dict[str, str]) -> bytes:
    text = data.decode("utf-8")
    m = re.search(r"<svg\b[^>]*>", text)
    if not m:
        return data
    insert = (f"<title>{_xml_escape(meta['Title'])}</title>"
              f'<metadata id="ogi-stamp">{_xml_escape(json.dumps(meta, ensure_ascii=False))}</metadata>')
    return (text[:m.end()] + insert + text[m.end():]).encode("utf-8")


def _pdf_text(s: str) -> str:
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


def _stamp_pdf(data: bytes, meta: dict[str, str]) -> bytes:
    """Replace the document information by an incremental update (the rendered bytes stay untouched).

    Chromium writes PDF 1.4 with a classic xref table and trailer; anything
    else (an xref stream) is returned unchanged rather than risk a broken file.
    """
    trailers = list(re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", data, re.S))
    if not trailers:
        return data
    trailer, prev = trailers[-1].group(1), int(trailers[-1].group(2))
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", trailer)
    if not (size and root):
        return data
    ident = re.search(rb"/ID\s*\[[^\]]*\]", trailer)
    old_producer = re.search(rb"/Producer\s*(\((?:\\.|[^\\)])*\))", data)
    n = int(size.group(1))
    info = {"Title": meta["Title"], "Subject": meta["Description"], "Keywords": meta["Keywords"],
            "Creator": meta["Software"]}
    body = " ".join(f"/{k} {_pdf_text(v)}" for k, v in info.items())
    if old_producer:
        body += " /Producer " + old_producer.group(1).decode("latin-1")
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offset = len(out)
    out += f"{n} 0 obj\n<< {body} >>\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n{n} 1\n{offset:010d} 00000 n \n".encode("ascii")
    out += (f"trailer\n<< /Size {n + 1} /Root {root.group(1).decode()} /Info {n} 0 R /Prev {prev} "
            f"{ident.group(0).decode('latin-1') if ident else ''} >>\nstartxref\n{xref}\n%%EOF\n").encode("latin-1")
    return bytes(out)


# ---------------------------------------------------------------------------
# Rendering and saving
# ---------------------------------------------------------------------------


def _as_figure(fig: Any) -> go.Figure:
    if isinstance(fig, go.Figure):
        return go.Figure(fig)  # a copy: the caller's figure never carries the stamp
    if isinstance(fig, go.FigureWidget):
        return go.Figure(fig.to_dict())
    if isinstance(fig, dict):
        return go.Figure(fig)
    raise TypeError(f"expected a plotly figure, got {type(fig).__name__}")


def render(fig: Any, fmt: str = "png", *, width: int = WIDTH, height: int = HEIGHT, scale: float = 1) -> bytes:
    """The bytes of one static image (no stamp, nothing written); uses the open session if any."""
    if fmt not in ("png", "svg", "pdf", "jpeg", "webp"):
        raise ValueError(f"unsupported format {fmt!r}")
    spec = _as_figure(fig).to_dict()
    with export_session() as exporter:
        return exporter.render(spec, fmt, width, height, scale)


def _target(name: str, folder: Path) -> Path:
    stem = Path(name)
    if stem.suffix.lower().lstrip(".") in FORMATS:
        stem = stem.with_suffix("")
    if stem.is_absolute() or ".." in stem.parts or not stem.name:
        raise ValueError(f"figure name must be a relative name under figures/, not {name!r}")
    return folder / stem


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save_figure(
    fig: Any,
    name: str,
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    formats: Sequence[str] = FORMATS,
    stamp: bool = True,
    scale: float = PNG_SCALE,
    folder: Path | str | None = None,
    corpus: str | None = None,
) -> dict[str, Path]:
    """Write a publication figure as SVG, PDF and PNG at a fixed size under ``figures/``.

    Parameters
    ----------
    fig : plotly Figure, FigureWidget or figure dict
        Not modified: the stamp goes on a copy.
    name : str
        File name without extension, e.g. ``"outcomes-by-level-zh"`` (subfolders allowed).
    width, height : int
        Layout size in CSS pixels, the same for every format (PDF: 0.75 pt per pixel).
    formats : sequence of {"svg", "pdf", "png"}
    stamp : bool
        Add the corner note ``ogi <version> · corpus <hash>`` and file metadata.
    scale : float
        PNG pixels per layout pixel (SVG and PDF are vector).
    folder : path, optional
        Defaults to ``ogi.paths.FIGURES``.
    corpus : str, optional
        The corpus version to stamp; defaults to :func:`corpus_version`.

    Returns
    -------
    dict
        Format -> path written.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"formats must be among {FORMATS}, not {bad}")
    target = _target(name, Path(folder) if folder is not None else paths.FIGURES)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure = _as_figure(fig)
    corpus = corpus or corpus_version()
    text = stamp_text(corpus)
    if stamp:
        _add_stamp(figure, text)
    spec = figure.to_dict()
    meta = {
        "Title": target.name,
        "Description": f"corpus {corpus}",
        "Keywords": f"corpus={corpus}; ogi={library_version()}",
        "Software": f"ogi {library_version()} (plotly, kaleido, Chromium)",
    }
    written: dict[str, Path] = {}
    with export_session() as exporter:
        for fmt in formats:
            data = exporter.render(spec, fmt, width, height, scale if fmt == "png" else 1)
            if stamp:
                if fmt == "png":
                    data = _stamp_png(data, meta, dpi=96 * scale)
                elif fmt == "svg":
                    data = _stamp_svg(data, meta)
                elif fmt == "pdf":
                    data = _stamp_pdf(data, meta)
            path = target.with_suffix(f".{fmt}")
            _write_atomic(path, data)
            written[fmt] = path
    return written


# ---------------------------------------------------------------------------
# The figure registry behind `make figures`
# ---------------------------------------------------------------------------


@dataclass
class FigureSpec:
    """A publication figure built from code alone: ``build(lang=...)`` returns a plotly figure."""

    name: str
    build: Callable[..., Any]
    langs: tuple[str, ...] = ("zh", "en")
    width: int = WIDTH
    height: int = HEIGHT
    options: dict = field(default_factory=dict)

    def names(self) -> list[str]:
        return [f"{self.name}-{lang}" for lang in self.langs] if self.langs else [self.name]


REGISTRY: dict[str, FigureSpec] = {}
#: Modules whose import registers figures (``make figures`` imports them).
FIGURE_MODULES = ("ogi.plots", "ogi.text.dashboard")


def register(name: str, *, langs: Sequence[str] = ("zh", "en"), width: int = WIDTH, height: int = HEIGHT,
             **options) -> Callable:
    """Decorator: register a builder ``f(lang) -> Figure`` as a publication figure for ``make figures``.

    One file set per language: ``<name>-zh.*`` and ``<name>-en.*``.
    """
    def deco(fn: Callable) -> Callable:
        REGISTRY[name] = FigureSpec(name, fn, tuple(langs), width, height, options)
        return fn

    return deco


def build_all(names: Sequence[str] | None = None, *, folder: Path | str | None = None,
              log: Callable[[str], None] = print) -> dict[str, dict[str, Path]]:
    """Build and save every registered figure in one export session."""
    import importlib

    for module in FIGURE_MODULES:
        importlib.import_module(module)
    specs = [s for s in REGISTRY.values() if names is None or s.name in names]
    written: dict[str, dict[str, Path]] = {}
    if not specs:
        log("no figures registered")
        return written
    t_all = time.perf_counter()
    with export_session() as exporter:
        for spec in specs:
            for lang in spec.langs or (None,):
                t0 = time.perf_counter()
                fig = spec.build(lang=lang) if lang else spec.build()
                out_name = f"{spec.name}-{lang}" if lang else spec.name
                written[out_name] = save_figure(fig, out_name, width=spec.width, height=spec.height,
                                                folder=folder, **spec.options)
                log(f"  {out_name}: {time.perf_counter() - t0:.2f} s")
    log(f"{len(written)} figure(s) in {time.perf_counter() - t_all:.1f} s "
        f"(browser {exporter.browser}, started {browser_starts} time(s) in this process, "
        f"start-up {exporter.startup_s:.1f} s) -> {Path(folder) if folder else paths.FIGURES}")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ogi.figures [NAME ...]``: regenerate the publication figures under figures/."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ogi.figures", description=main.__doc__)
    parser.add_argument("names", nargs="*", help="figure names (default: all registered)")
    parser.add_argument("--list", action="store_true", help="list the registered figures and exit")
    parser.add_argument("--out", help="output folder (default: figures/ or OGI_FIGURES)")
    args = parser.parse_args(argv)
    if args.list:
        import importlib

        for module in FIGURE_MODULES:
            importlib.import_module(module)
        for spec in REGISTRY.values():
            print(" ".join(spec.names()))
        return 0
    try:
        build_all(args.names or None, folder=args.out)
    except BrowserNotFound as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    # `python -m` runs this file as __main__: use the imported module, whose REGISTRY ogi.plots fills
    from ogi.figures import main as _main

    sys.exit(_main())
