"""The private jieba tokenizer: domain terms whole, stopwords out, no global state, cache, pool, rjieba probe."""

import json
import os
import subprocess
import sys
import types

import pytest

from ogi.text import tokenize as T

TERMS = ["政务公开", "依申请公开", "政策解读", "主动公开", "政务新媒体", "适老化", "三审三校", "政府信息公开",
         "信息公开指南", "保密审查", "政务服务", "一网通办", "基层政务公开"]


@pytest.mark.parametrize("term", TERMS)
def test_domain_terms_stay_whole_in_context(term):
    for sentence in (f"我局{term}工作有待加强", f"进一步做好{term},提高{term}质量。", f"一是{term}不够到位"):
        assert term in T.cut(sentence), (sentence, T.cut(sentence))


def test_every_user_word_stays_whole():
    broken = [w for w, _ in T.user_words() if w not in T.cut(f"做好{w}工作") and w not in T.cut(f"的{w}。")]
    assert not broken


def test_stopwords_and_formulaic_words_are_removed():
    text = "进一步加强政务公开工作,不断提高政策解读质量,切实做好依申请公开情况的办理,积极推进各方面工作。"
    tokens = T.tokenize(text)
    assert {"政务公开", "政策解读", "依申请公开"} <= set(tokens)
    for word in ("进一步", "加强", "不断", "持续", "切实", "认真", "积极", "工作", "情况", "有待", "提高", "方面", "的"):
        assert word in T.stopwords() or len(word) == 1
        assert word not in tokens
    # jieba's dictionary has compounds of formulaic words; they go too
    assert T.tokenize("进一步提高认识,加大工作力度") == ["认识"]
    assert not set(T.tokenize("2024年度 第3项 Web 100%"))


def test_lexicon_files_are_plain_text_with_provenance_and_no_duplicates():
    for name in ("userdict.txt", "stopwords.txt", "themes.tsv"):
        text = (T.LEXICON / name).read_text(encoding="utf-8")
        assert text.startswith("# ") and "Provenance" in text, name
    for name in ("userdict.txt", "stopwords.txt"):
        words = [e.split()[0] for e in T.read_lexicon(name)]
        assert len(words) == len(set(words)), name
    assert not set(w for w, _ in T.user_words()) & T.stopwords()


def test_no_global_jieba_state_touched_and_no_log_lines(tmp_path):
    """In a fresh interpreter: our tokenizer works, jieba.dt is untouched, jieba printed nothing."""
    code = """
import json, logging, jieba
level = jieba.default_logger.level
from ogi.text import tokenize as T
tokens = T.cut("政务新媒体和适老化改造")
print(json.dumps({
    "tokens": tokens,
    "dt_initialized": jieba.dt.initialized,
    "dt_has_user_words": any(w in jieba.dt.FREQ for w, _ in T.user_words()),
    "level_restored": jieba.default_logger.level == level,
    "same_dt": T.get_segmenter()._jieba is not jieba.dt,
}))
"""
    env = {**os.environ, "OGI_CACHE": str(tmp_path / "cache"), "OGI_TOKENIZER": "jieba"}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    out = json.loads(res.stdout)
    assert out["tokens"] == ["政务新媒体", "和", "适老化", "改造"]
    assert out["dt_initialized"] is False and out["dt_has_user_words"] is False
    assert out["level_restored"] and out["same_dt"]
    assert res.stderr == ""  # no "Building prefix dict ..." timing lines
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").exists()  # jieba's cache inside our cache folder


def test_in_process_global_tokenizer_has_none_of_our_words():
    import jieba
    T.cut("三审三校")
    assert not any(w in jieba.dt.FREQ for w, _ in T.user_words())


def test_token_cache_is_used(tmp_path, monkeypatch):
    texts = ["政务公开质量有待提高", "政策解读形式单一", "政务公开质量有待提高"]
    db = tmp_path / "tokens.sqlite"
    first = T.segment(texts, cache=db)
    assert first[0] == first[2] == ["政务公开", "质量", "有待", "提高"]

    def boom(args):
        raise AssertionError("cut again although cached")

    monkeypatch.setattr(T, "_cut_batch", boom)
    assert T.segment(texts, cache=db) == first
    with pytest.raises(AssertionError):
        T.segment(["一段新的文字"], cache=db)


def test_process_pool_gives_the_same_tokens():
    texts = [f"第{i}条:政务新媒体和基层政务公开,一网通办第{i}期。" for i in range(60)]
    serial = T.segment(texts, processes=1, cache=False)
    assert T.segment(texts, processes=2, batch=7, cache=False) == serial


class _FakeRjieba:
    """Stands in for rjieba: wraps a jieba tokenizer, optionally cutting differently."""

    def __init__(self, differ: bool):
        self.differ = differ

    def module(self):
        differ = self.differ

        class Jieba:
            def __init__(self):
                self.tk = T.Segmenter(engine="jieba")._jieba
                self.added = []

            def add_word(self, word, freq, tag):
                self.added.append((word, freq))

            def cut(self, text, hmm):
                return list(text) if differ else self.tk.lcut(text, HMM=hmm)

        return types.SimpleNamespace(Jieba=Jieba)


@pytest.mark.parametrize("differ, engine", [(False, "rjieba"), (True, "jieba")])
def test_rjieba_used_only_when_identical_on_the_probe(monkeypatch, differ, engine):
    monkeypatch.setitem(sys.modules, "rjieba", _FakeRjieba(differ).module())
    monkeypatch.delenv("OGI_TOKENIZER", raising=False)
    seg = T.Segmenter()
    assert seg.engine == engine
    assert seg.cut("基层政务公开标准化规范化") == ["基层政务公开", "标准化规范化"]


def test_rjieba_can_be_refused(monkeypatch):
    monkeypatch.setitem(sys.modules, "rjieba", _FakeRjieba(False).module())
    monkeypatch.setenv("OGI_TOKENIZER", "jieba")
    assert T.Segmenter().engine == "jieba"


def _fuzz_texts(n: int, seed: int = 1) -> list[str]:
    """Mixed strings where two segmenters could part: user words, CJK (extension A, past U+9FD5), ASCII,
    digits with ``+#&._%-``, full-width forms, circled numbers, emoji, whitespace and punctuation."""
    import random

    words = [w for w, _ in T.user_words()]
    pools = ["政府信息公开工作年度报告存在问题改进措施加强培训的了是在和", "abcXYZ", "0123456789", "+#&._%-", " \t\n",
             "，。；：？！（）《》、“”", "\u3400\u3401\u4db5", "\u9fd6\u9fe0\u9fff", "😀①ⅱ", "ａｂ１２"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.3:
                parts.append(rng.choice(words))
            else:
                pool = rng.choice(pools)
                parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
        out.append("".join(parts))
    return out


def test_the_installed_rjieba_cuts_exactly_as_jieba():
    """The accelerator (extra ``fast``) is only worth having if it changes no token: the seeds' sections and
    2,000 fuzzed strings, cut by both. (Measured besides: 60,000 synthetic section texts, 40 MB, all equal;
    rjieba ~11x faster.)"""
    pytest.importorskip("rjieba")
    from test_text_seeds import seed_frames

    fast, ref = T.Segmenter(engine="rjieba"), T.Segmenter(engine="jieba")
    assert (fast.engine, ref.engine) == ("rjieba", "jieba")
    sections, _ = seed_frames()
    texts = [t for t in sections["text"].dropna().tolist() if t] + _fuzz_texts(2000)
    assert len(texts) > 2000
    differ = [t for t in texts if fast.cut(t) != ref.cut(t)]
    assert differ == []


def test_lexicon_version_changes_with_the_user_dictionary(monkeypatch):
    v = T.lexicon_version()
    T.lexicon_version.cache_clear()
    monkeypatch.setattr(T, "user_words", lambda: (("新词", 5),))
    try:
        assert T.lexicon_version() != v
    finally:
        T.lexicon_version.cache_clear()


def test_throughput_on_seed_problem_sections_about_5_mb(capsys):
    """Segmentation speed (printed, not asserted): the seeds' problems-section statements replicated to ~5 MB."""
    from test_text_seeds import _seed_statements

    base = _seed_statements()["text"].tolist()
    size = sum(len(t.encode("utf-8")) for t in base)
    # make each copy distinct, as a corpus is: a numbered prefix
    texts = [f"{i}:{t}" for i in range(5_000_000 // size + 1) for t in base]
    serial = T.throughput(texts, processes=1)
    pooled = T.throughput(texts, processes=2)
    with capsys.disabled():
        print(f"\nsegmentation ({serial['engine']}): {serial['megabytes']} MB, {len(texts)} statements; "
              f"1 process {serial['mb_per_s']} MB/s ({serial['mb_per_cpu_s']} MB per CPU-second), "
              f"{serial['texts_per_s']} statements/s; "
              f"2 processes {pooled['mb_per_s']} MB/s, {pooled['texts_per_s']} statements/s")
    assert serial["megabytes"] > 4.5
