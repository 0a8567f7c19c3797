"""Chart builders by question, one module per notebook: ``overview`` (corpus and quality),
``requests`` (volumes), ``outcomes`` (answers and refusal reasons), ``appeals`` (reconsideration and
litigation), ``proactive`` (proactive disclosure).

Every builder has the signature ``f(corpus, lang=None, filters=None) -> go.Figure``: the corpus tables
(``ogi.load()``), the label language (``"zh"`` or ``"en"``; default ``ogi.theme.get_lang()``) and the
filters of ``ogi.analysis``. The numbers come from ``ogi.analysis``; the builders only draw. Importing
this package registers every chart for ``make figures`` (``ogi.figures.REGISTRY``), in notebook order.
"""

from . import overview  # noqa: I001  (import order = figure order in `make figures`)
from . import requests
from . import outcomes
from . import appeals
from . import proactive

__all__ = ["appeals", "outcomes", "overview", "proactive", "requests"]
