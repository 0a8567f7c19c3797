"""The sections' MinHash signatures kept beside the text tables (ogi.text.signatures).

An update reuses the stored signatures of unchanged reports and signs only the changed ones; what
it writes must be, byte for byte, what a computation from scratch writes. A stored file of another
MinHash version, text version or a damaged one is not used, and a stored row is used only for a
section of the length it was made from.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from test_text_stream import built  # noqa: F401 - the synthetic corpus of 40 reports, built

from ogi import corpus
from ogi.text import SCHEMAS, signatures, store, update_text
from ogi.text import similarity as S

BATCH = 8  # several batches: the stored rows are read alongside them


@pytest.fixture
def signers(monkeypatch):
    """Every Signer the computations make, to see what they reused."""
    made = []
    real = signatures.Signer

    def record(*a, **k):
        made.append(real(*a, **k))
        return made[-1]

    monkeypatch.setattr(signatures, "Signer", record)
    return made


def _copy(built, tmp_path):
    raw0, out0 = built
    raw, out = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(raw0, raw)
    shutil.copytree(out0, out, ignore=shutil.ignore_patterns("text"))
    return raw, out


def _files(folder):
    """Each table's bytes and the signatures file's, and the manifest's sha256 of each table."""
    manifest = json.loads((folder / "text" / store.MANIFEST).read_text(encoding="utf-8"))
    names = [f"{n}.parquet" for n in SCHEMAS] + [signatures.FILE]
    return {n: (folder / "text" / n).read_bytes() for n in names}, \
        {n: t["sha256"] for n, t in manifest["tables"].items()}


def test_an_update_writes_the_bytes_of_a_computation_from_scratch(built, tmp_path, signers):  # noqa: F811
    raw, out = _copy(built, tmp_path)
    update_text(out, processes=1, batch_reports=BATCH)
    files = sorted(raw.iterdir())
    edited = files[::7][:4]
    for p in edited:  # another problem admitted: new bytes, a new report id, another problems section
        p.write_bytes(p.read_bytes().replace("存在的主要问题".encode(), "存在的主要问题\n一是新增问题：培训次数偏少。\n".encode(), 1))
    files[5].unlink()  # a report gone
    shutil.copyfile(files[6], raw / ("z-copy" + files[6].suffix))  # and one more, the same text as another
    corpus.build(raw, out, jobs=1, progress=False, text=False)
    signers.clear()
    inc = update_text(out, processes=1, batch_reports=BATCH)
    assert inc.status == "computed" and inc.reused > 0
    signer = signers[0]
    assert signer.rows > signer.reused > 0 and signer.rows - signer.reused <= len(edited) + 1  # only those signed
    fresh = update_text(out, out=tmp_path / "fresh", processes=1, batch_reports=BATCH)
    assert fresh.reused == 0 and signers[-1].reused == 0
    a, sha_a = _files(out)
    b, sha_b = _files(tmp_path / "fresh")
    assert sha_a == sha_b
    for name in a:
        assert a[name] == b[name], name


def test_signatures_of_another_version_or_damaged_are_not_used(built, tmp_path, signers, monkeypatch):  # noqa: F811
    _, out = _copy(built, tmp_path)
    update_text(out, processes=1, batch_reports=BATCH)
    first, _ = _files(out)
    sig_file = out / "text" / signatures.FILE

    def again(**options):
        signers.clear()
        update_text(out, processes=1, batch_reports=BATCH, rebuild=True, **options)
        return signers[0].reused

    assert again() > 0  # the same versions: used
    with monkeypatch.context() as m:
        m.setattr(signatures, "VERSION", "minhash of another kind")
        assert again() == 0  # stored with another MinHash version
    assert again() == 0  # stored (just now) with that other version
    assert again() > 0
    data = bytearray(sig_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    sig_file.write_bytes(bytes(data))
    assert again() == 0  # damaged: its sha256 is not the manifest's
    with monkeypatch.context() as m:
        m.setattr(store, "text_version", lambda: "another version")
        assert again() == 0  # another text code or lexicons: nothing is reused
    update_text(out, processes=1, batch_reports=BATCH, rebuild=True)
    assert _files(out)[0] == first  # whatever was reused or not, the same bytes

    # other options: the stored problems sections are reused, another section is signed; as from scratch
    both = ("problems", "requests")
    assert again(similarity_sections=both) > 0
    update_text(out, out=tmp_path / "fresh", processes=1, batch_reports=BATCH, similarity_sections=both)
    assert _files(out) == _files(tmp_path / "fresh")


def test_a_stored_row_is_used_only_for_a_section_of_its_length(tmp_path):
    texts = ["一是政府信息公开培训次数偏少，2023年仅1次。二是网站栏目更新不及时。", "三是依申请公开答复格式不规范的问题仍然存在。",
             "短", None]
    ids = ["a", "b", "c", "d"]
    first = signatures.Signer(out=tmp_path / "s.parquet")
    (norm, sig), = first.batch([("problems", ids, texts)])
    first.close()
    assert norm == [S.normalize(t) for t in texts]
    assert np.array_equal(sig, S.minhash(norm))  # as the similar pairs would sign them
    changed = [texts[0], texts[1] + "增", texts[2], texts[3]]
    second = signatures.Signer(previous=tmp_path / "s.parquet")
    (norm2, sig2), = second.batch([("problems", ids, changed)])
    assert second.reused == 3  # "b" is longer than its stored row: signed again
    assert norm2 == [S.normalize(t) for t in changed] and np.array_equal(sig2, S.minhash(norm2))
    other = signatures.Signer(previous=tmp_path / "s.parquet")
    assert other.batch([("requests", ids, texts)])[0][0] == norm and other.reused == 0  # another section: its own
