"""docs/DATA.md is generated from the table schemas and kept in step with them."""

from conftest import ROOT

from ogi import tables


def test_data_doc_is_up_to_date():
    committed = (ROOT / "docs" / "DATA.md").read_text(encoding="utf-8")
    assert committed == tables.data_doc(), \
        'docs/DATA.md is stale: run  python -c "import ogi.tables as t; t.write_data_doc()"'


def test_data_doc_describes_every_column():
    doc = tables.data_doc()
    for ts in tables.SCHEMAS.values():
        assert f"## `{ts.name}`" in doc
        for c in ts.columns:
            assert f"| `{c.name}` | {c.dtype} |" in doc and c.zh in doc
