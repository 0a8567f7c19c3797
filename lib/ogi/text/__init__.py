"""Text of the problems section: segmentation, statements, themes, keywords, boilerplate.

    sections table ─▶ statements (one per problem or measure) ─▶ tokens (private jieba, cached)
                                                   ├▶ themes (codebook in ogi/lexicon/themes.tsv)
                                                   └▶ keywords (TF-IDF, IDF from the corpus)
                   ─▶ similarity (character 3-grams, MinHash + LSH, exact Jaccard for every pair reported:
                                  copied statements and sections, share repeated from earlier years)

``text_tables(sections, reports)`` makes all the tables at once.
"""

from .tables import SCHEMAS, text_tables

__all__ = ["SCHEMAS", "text_tables"]
