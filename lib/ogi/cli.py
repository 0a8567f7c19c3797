"""The ``ogi`` command line: ``ogi parse``, ``ogi manifest`` (and the corpus and text commands).

Each subcommand is a thin face over the library; it never raises on a bad
report: bad input is a status and a message in the output.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from . import schema
from .model import Report


_SHORT_APPLICANTS = ("person", "comm", "resrch", "welfar", "legal", "other", "total")


def _fmt(v) -> str:
    if v is None:
        return "·"
    return str(v)


def summary(report: Report) -> str:
    """A readable summary of one parsed report (what ``ogi parse`` prints without ``--json``)."""
    r = report
    out = [f"{r.source}  [{r.status}]"]
    region = " / ".join(x or "—" for x in (r.region.province, r.region.city, r.region.county))
    out.append(f"  agency: {r.agency or '—'}   year: {r.year or '—'}   published: {r.published or '—'}   "
               f"region: {region}")
    if r.templates and any(r.templates.values()):
        out.append("  templates: " + ", ".join(f"{k} {v or '—'}" for k, v in r.templates.items()))
    if r.proactive:
        out.append("  Table 2 (proactive disclosure):")
        for k, v in r.proactive.items():
            vals = " | ".join(_fmt(x) for x in v) if isinstance(v, list) else _fmt(v)
            out.append(f"    {k:<22} {vals}")
    if r.requests:
        out.append("  Table 3 (requests, by applicant):")
        out.append("    " + " " * 28 + " ".join(f"{a:>6}" for a in _SHORT_APPLICANTS))
        for code, vec in r.requests.items():
            out.append(f"    {code:<28} " + " ".join(f"{_fmt(x):>6}" for x in vec))
    if r.review_litigation:
        groups = [r.review_litigation[i:i + 5] for i in range(0, 15, 5)]
        out.append("  Table 4 (reconsideration and litigation):")
        out.append("    " + " " * 28 + " ".join(f"{o.code[:6]:>6}" for o in schema.REVIEW_OUTCOMES))
        for g, vals in zip(schema.REVIEW_GROUPS, groups):
            out.append(f"    {g.code:<28} " + " ".join(f"{_fmt(x):>6}" for x in vals))
    n_ok = sum(1 for c in r.checks if c.ok is True)
    n_bad = sum(1 for c in r.checks if c.ok is False)
    n_und = sum(1 for c in r.checks if c.ok is None)
    if r.checks:
        out.append(f"  checks: {n_ok} hold, {n_bad} fail, {n_und} undecidable")
    for c in r.checks:
        if c.ok is False:
            out.append(f"    FAIL {c.rule} [{c.scope}]: {c.detail}")
    for m in r.messages:
        out.append(f"  ! {m}")
    return "\n".join(out)


def lines_as_read(lines: list[str]) -> str:
    """The lines a reader made of a file (tables one row a line, cells between ``|``), numbered from 1: to
    check a value against what the parser saw, whatever the file type."""
    width = len(str(len(lines)))
    return "\n".join(f"  {k:>{width}} {line}" for k, line in enumerate(lines, 1))


def cmd_parse(args: argparse.Namespace) -> int:
    from .parse import parse_document
    from .readers import read_file

    counts: dict[str, int] = {}
    for path in args.paths:
        doc = read_file(path)
        report = parse_document(doc)
        counts[report.status] = counts.get(report.status, 0) + 1
        if args.json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=False) + "\n")
        else:
            print(summary(report))
            if args.lines:
                print(f"  lines as read ({doc.format}):")
                print(lines_as_read(doc.lines))
            print()
    if not args.json and len(args.paths) > 1:
        print("status: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import manifest

    if args.add:
        for e in manifest.add([Path(p) for p in args.add], source=args.source or "", notes=args.notes or ""):
            print(f"recorded {e.file} {e.sha256[:12]}")
        return 0
    problems = manifest.verify()
    for p in problems:
        print(p)
    if not problems:
        print(f"manifest ok: {len(manifest.read())} files match their recorded sha256")
    return 1 if problems else 0


def cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

    print(cite(args.out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ogi", description="Open-government-information annual reports as data.")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("parse", help="parse report files and print a summary or JSON Lines")
    sp.add_argument("paths", nargs="+", help="report files (text, HTML, MHTML, .docx, .doc, .pdf)")
    sp.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")
    sp.add_argument("--lines", action="store_true",
                    help="also print the file's lines as the reader made them (tables one row a line)")
    sp.set_defaults(func=cmd_parse)

    sm = sub.add_parser("manifest", help="verify data/raw against its manifest, or record new files")
    sm.add_argument("--add", nargs="+", metavar="FILE", help="record these files of data/raw")
    sm.add_argument("--source", help="where the added files came from (URL, crawl, person)")
    sm.add_argument("--notes", help="notes for the added files")
    sm.set_defaults(func=cmd_manifest)

    sc = sub.add_parser("cite", help="the sentence to cite: versions, and the corpus the tables were built from")
    sc.add_argument("--out", default=None, help="the folder of built tables (default data/processed)")
    sc.set_defaults(func=cmd_cite)

    _add_corpus_commands(sub)
    _add_text_commands(sub)
    return p


def _add_corpus_commands(sub) -> None:
    """Corpus commands live with the corpus module; absent until it is installed."""
    try:
        from . import corpus
    except ImportError:
        return
    corpus.add_cli(sub)


def _add_text_commands(sub) -> None:
    """``ogi text``: the text tables of a built corpus (``ogi.text.store.update_text``, imported when it runs)."""
    from importlib.util import find_spec

    if find_spec("jieba") is None or find_spec("pyarrow") is None:  # the corpus commands still work
        return
    from .text import command

    command.add_cli(sub)


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `ogi parse … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
