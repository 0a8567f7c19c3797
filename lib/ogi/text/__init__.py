"""Text of the problems section: segmentation, statements, themes, keywords, boilerplate.

    sections table ─▶ statements (one per problem or measure) ─▶ tokens (private jieba, cached)
                                                   ├▶ themes (codebook in ogi/lexicon/themes.tsv)
                                                   └▶ keywords (TF-IDF, IDF from the corpus)
                   ─▶ similarity (character 3-grams, MinHash + LSH, exact Jaccard for every pair reported:
                                  copied statements and sections, share repeated from earlier years)

``update_text(processed)`` (``ogi text``; the corpus build calls it) computes them from a built
corpus a batch of reports at a time (``stream``) and keeps them as Parquet under
``<processed>/text/`` (``store``), reusing the rows of unchanged reports; ``load_text(corpus)``
returns them from there (computing them first if needed); ``text_tables(sections, reports)`` makes
them in memory, for small corpora and tests. ``explore`` holds what notebook 06 shows of them, and
``dashboard`` its charts, dashboard and keyword-in-context browser (imported on first use: it needs
plotly and ipywidgets).
"""

__all__ = ["SCHEMAS", "TextTables", "TextUpdate", "load_text", "text_tables", "themes_dashboard", "update_text"]

#: Imported on first use: pandas and jieba for the tables, plotly and ipywidgets for the dashboard.
#: A no-change ``ogi build`` asks only ``ogi.text.fresh`` whether the stored tables are current.
_LAZY = {"TextTables": ".store", "TextUpdate": ".fresh", "load_text": ".store", "update_text": ".store",
         "SCHEMAS": ".tables", "text_tables": ".tables", "themes_dashboard": ".dashboard"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'ogi.text' has no attribute {name!r}")
