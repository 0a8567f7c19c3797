"""``ogi text``: the text tables of a built corpus, on the command line.

Registered on every ``ogi`` call, so it imports nothing heavy: ``ogi.text.store`` (pandas, jieba)
is imported when the command runs, not when ``ogi build`` merely parses its arguments.
"""

from __future__ import annotations

import json
import sys


def add_cli(sub) -> None:
    """Register ``ogi text`` on the CLI's subparsers."""
    t = sub.add_parser("text", help="compute the text tables of a built corpus (incremental; ogi.text)")
    t.add_argument("--processed", default=None, help="the corpus folder (default: the project's data/processed)")
    t.add_argument("--out", default=None, help="where the text/ folder goes (default: the corpus folder)")
    t.add_argument("--rebuild", action="store_true", help="compute even if the text tables are current")
    t.add_argument("--batch", type=int, default=None, help="reports per batch")
    t.add_argument("--jobs", "-j", type=int, default=None, help="segmentation processes (default: decided per batch)")
    t.add_argument("--options", default="{}", help="text_tables options as JSON (groups, k, threshold, ...)")
    t.add_argument("--quiet", action="store_true", help="print nothing")
    t.set_defaults(func=_cmd_text)


def _cmd_text(args) -> int:
    options = json.loads(args.options)
    for name in ("groups", "similarity_sections"):
        if name in options:
            options[name] = tuple(options[name])
    processes = options.pop("processes", args.jobs)
    cache = options.pop("cache", True)
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr))
    from .store import update_text

    result = update_text(args.processed, out=args.out, rebuild=args.rebuild, batch_reports=args.batch,
                         processes=processes, cache=cache, log=log, **options)
    if not args.quiet:
        print(result.summary())
    return 0
