"""The theme codebook (``ogi/lexicon/themes.tsv``) and the themes of each statement.

A statement gets every theme one of whose indicator terms occurs in its
text. Matching is on the raw text (NFKC-normalised), not on jieba tokens:
indicators are often parts of words (智能 in 智能化, 基层 in 基层政务公开) or
span two tokens, and a match that does not depend on segmentation stays the
same when the user dictionary changes. A theme's ``exclude`` phrases are
blanked out before its indicators are looked for (监督 must not count inside
监督权). Statements with no theme get the code ``unthemed``: they are counted
and listed, not dropped, so a researcher sees what the codebook misses.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .tokenize import LEXICON

UNTHEMED = "unthemed"
CODEBOOK = LEXICON / "themes.tsv"

__all__ = ["CODEBOOK", "UNTHEMED", "Theme", "codebook", "codebook_version", "load_themes", "match_themes",
           "statement_themes", "theme_codes", "unthemed"]


@dataclass(frozen=True)
class Theme:
    code: str
    name_zh: str
    name_en: str
    definition: str
    indicators: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    @property
    def pattern(self) -> re.Pattern:
        return _alternation(self.indicators)


@lru_cache(maxsize=256)
def _alternation(terms: tuple[str, ...]) -> re.Pattern:
    # longest first, so the reported term is the most specific one at a place; escaped for both
    # Python's re and Arrow's RE2 (re.escape also escapes spaces, which RE2 refuses)
    escaped = (re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile("|".join(escaped))


def _terms(cell: Optional[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(unicodedata.normalize("NFKC", t.strip()) for t in (cell or "").split("|")
                               if t.strip()))


@lru_cache(maxsize=4)
def load_themes(path: Path = CODEBOOK) -> tuple[Theme, ...]:
    """Read a codebook file (TSV, ``#`` comment lines) into themes, in file order.

    Parameters
    ----------
    path : path
        Defaults to the packaged ``themes.tsv``; pass an edited copy to try changes.
    """
    lines = [l for l in Path(path).read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    themes = []
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
        code = row["code"].strip()
        if not code or code == UNTHEMED:
            raise ValueError(f"{path}: bad theme code {code!r}")
        theme = Theme(code, row["name_zh"].strip(), row["name_en"].strip(), row["definition"].strip(),
                      _terms(row["indicators"]), _terms(row.get("exclude")))
        if not theme.indicators:
            raise ValueError(f"{path}: theme {code!r} has no indicator terms")
        themes.append(theme)
    codes = [t.code for t in themes]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: duplicate theme codes")
    return tuple(themes)


def theme_codes(path: Path = CODEBOOK) -> tuple[str, ...]:
    """Theme codes in codebook order, then ``unthemed``: the categories of a theme column."""
    return tuple(t.code for t in load_themes(path)) + (UNTHEMED,)


def codebook_version(path: Path = CODEBOOK) -> str:
    """Short sha256 of the codebook file, to cite the version used."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def codebook(path: Path = CODEBOOK) -> pd.DataFrame:
    """The codebook as a table (indicators and exclusions joined with ``|``), for display and export."""
    rows = [{"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en, "definition": t.definition,
             "indicators": "|".join(t.indicators), "exclude": "|".join(t.exclude)} for t in load_themes(path)]
    return pd.DataFrame(rows).astype("string")


def match_themes(text: str, themes: Optional[tuple[Theme, ...]] = None) -> dict[str, list[str]]:
    """Themes of one text, each with the indicator terms found (in order of first occurrence).

    Parameters
    ----------
    text : str
    themes : tuple of Theme, optional
        Defaults to the packaged codebook.

    Returns
    -------
    dict
        ``{theme code: [terms]}`` in codebook order; ``{"unthemed": []}`` when nothing matches.
    """
    themes = themes if themes is not None else load_themes()
    norm = unicodedata.normalize("NFKC", text or "")
    out: dict[str, list[str]] = {}
    for theme in themes:
        hay = norm
        for phrase in theme.exclude:
            hay = hay.replace(phrase, "\0" * len(phrase))
        found = list(dict.fromkeys(theme.pattern.findall(hay)))
        if found:
            out[theme.code] = found
    return out or {UNTHEMED: []}


def statement_themes(statements: pd.DataFrame, path: Path = CODEBOOK) -> pd.DataFrame:
    """One row per (statement, theme), with the matched terms; unthemed statements get ``unthemed``.

    The same rule as ``match_themes``, vectorised: Arrow's regex kernels find
    the statements a theme matches, and Python lists the terms for those only.

    Parameters
    ----------
    statements : DataFrame
        With ``report_id``, ``part``, ``idx`` and ``text``.
    path : path
        The codebook file.

    Returns
    -------
    DataFrame
        ``report_id, part, idx, theme, terms`` (terms joined with ``|``), in the input's row
        order and codebook order within a statement.
    """
    themes = load_themes(path)
    texts = pa.array([unicodedata.normalize("NFKC", t) if isinstance(t, str) else "" for t in statements["text"]],
                     type=pa.string())
    rows: list[tuple[int, int, str, str]] = []
    themed = np.zeros(len(texts), bool)
    for order, theme in enumerate(themes):
        hay = texts
        for phrase in theme.exclude:
            hay = pc.replace_substring(hay, phrase, "\0" * len(phrase))
        hit = np.flatnonzero(pc.match_substring_regex(hay, theme.pattern.pattern).to_numpy(zero_copy_only=False))
        for i, h in zip(hit.tolist(), hay.take(pa.array(hit)).to_pylist()):
            rows.append((i, order, theme.code, "|".join(dict.fromkeys(theme.pattern.findall(h)))))
        themed[hit] = True
    rows += [(i, len(themes), UNTHEMED, "") for i in np.flatnonzero(~themed).tolist()]
    rows.sort()
    pos = [r[0] for r in rows]
    keys = statements[["report_id", "part", "idx"]].iloc[pos].reset_index(drop=True)
    out = keys.assign(theme=pd.Categorical([r[2] for r in rows], categories=theme_codes(path)),
                      terms=[r[3] for r in rows])
    return out


def unthemed(statements: pd.DataFrame, themes_table: pd.DataFrame) -> pd.DataFrame:
    """The statements no theme matched, to read and improve the codebook from."""
    keys = ["report_id", "part", "idx"]
    none = themes_table.loc[themes_table["theme"] == UNTHEMED, keys]
    return statements.merge(none, on=keys, how="inner")
