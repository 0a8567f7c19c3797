#!/usr/bin/env python
"""Strip widget state, run metadata and stderr from notebooks before committing.

    python scripts/clean_notebook.py notebooks/*.ipynb
    python scripts/clean_notebook.py --check notebooks/*.ipynb   # CI: exit 1 if any needs cleaning

The rules live in ``ogi.notebooks`` (tested there).
"""

import sys

from ogi.notebooks import main

if __name__ == "__main__":
    sys.exit(main())
