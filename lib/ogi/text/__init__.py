"""Text of the problems section: segmentation, statements, themes, keywords, boilerplate.

    sections table ─▶ statements (one per problem or measure) ─▶ tokens (private jieba, cached)
                                                   ├▶ themes (codebook in ogi/lexicon/themes.tsv)
                                                   └▶ keywords (TF-IDF, IDF from the corpus)
                   ─▶ similarity (character 3-grams, MinHash + LSH, exact Jaccard for every pair reported:
                                  copied statements and sections, share repeated from earlier years)

``text_tables(sections, reports)`` makes all the tables at once; ``load_text(corpus)`` returns them
cached as Parquet under ``<processed>/text/`` (``store``); ``explore`` holds what notebook 06 shows
of them, and ``dashboard`` its charts, dashboard and keyword-in-context browser (imported on first use:
it needs plotly and ipywidgets).
"""

from .store import TextTables, load_text
from .tables import SCHEMAS, text_tables

__all__ = ["SCHEMAS", "TextTables", "load_text", "text_tables", "themes_dashboard"]


def __getattr__(name: str):
    if name == "themes_dashboard":  # plotly and ipywidgets only when a dashboard is asked for
        from .dashboard import themes_dashboard

        return themes_dashboard
    raise AttributeError(f"module 'ogi.text' has no attribute {name!r}")
