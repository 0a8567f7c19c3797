"""Word segmentation of the reports through a private jieba tokenizer.

Why private: ``jieba.add_word`` and ``jieba.initialize`` change one
process-wide tokenizer (``jieba.dt``) that any other code, notebook or
library in the process also uses. We build our own ``jieba.Tokenizer`` once
(cached per process), add the OGI user dictionary to it, and never touch the
default one. jieba writes its prefix-dictionary cache to a temporary folder
and crashes when there is none writable, so the cache lives in
``paths.CACHE / "jieba"``; its timing lines ("Building prefix dict ...") are
silenced only while our tokenizer is built.

HMM is off by default: with HMM on, jieba guesses unknown words, which is
slower and makes tokens depend on the surrounding text; with it off, a word
is either in the dictionary or split into characters, and the user
dictionary decides what stays whole.

``rjieba`` (jieba-rs) is used when installed *and* when, with the same words
and frequencies, it cuts a probe text exactly as jieba does; otherwise, or
with ``OGI_TOKENIZER=jieba``, jieba is used. Either way the tokens are the
same, so the cache does not record the engine.

Segmentation is the slowest step of the text tables, so raw tokens are
cached per (text sha256, segmentation version) in an SQLite file under
``paths.CACHE / "text"``, and ``segment`` spreads the uncached texts over a
process pool (jieba's own ``enable_parallel`` only splits one text by lines
and gives nothing here).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

import jieba

from .. import paths, processes

#: Bump when the raw tokens for the same text and lexicon can change.
TOKENIZER_VERSION = "1"
#: Frequency given to a user word without one: high enough that it stays whole in context.
USER_FREQ = 20000
LEXICON = Path(__file__).resolve().parents[1] / "lexicon"

__all__ = ["LEXICON", "TOKENIZER_VERSION", "Segmenter", "content_tokens", "cut", "get_segmenter",
           "lexicon_version", "read_lexicon", "segment", "stopwords", "throughput", "tokenize",
           "user_words"]

_log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3400-\u9fff]")


# --------------------------------------------------------------------------- lexicons

def read_lexicon(name: str) -> list[str]:
    """The entries of a lexicon file: non-blank lines that are not ``#`` comments, NFKC-normalised."""
    text = (LEXICON / name).read_text(encoding="utf-8")
    return [unicodedata.normalize("NFKC", line.strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def user_words() -> tuple[tuple[str, int], ...]:
    """The user dictionary as (word, frequency), in file order."""
    out = []
    for entry in read_lexicon("userdict.txt"):
        word, _, freq = entry.partition(" ")
        out.append((word, int(freq) if freq.strip() else USER_FREQ))
    return tuple(out)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The explicit stopword list (function words and the reports' formulaic words)."""
    return frozenset(read_lexicon("stopwords.txt"))


@lru_cache(maxsize=None)
def lexicon_version(hmm: bool = False) -> str:
    """What the raw tokens depend on: tokenizer version, jieba version, HMM flag, user dictionary.

    Stopwords are applied after the cache, so editing them does not force re-segmentation.
    """
    h = hashlib.sha256()
    h.update(f"{TOKENIZER_VERSION}|jieba {jieba.__version__}|hmm={int(hmm)}|".encode())
    for word, freq in user_words():
        h.update(f"{word} {freq}\n".encode("utf-8"))
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- the tokenizer

@contextlib.contextmanager
def _quiet_jieba():
    """Silence jieba's DEBUG timing lines while we build, then restore its logger as it was."""
    logger = jieba.default_logger
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# Sentences of the kind we cut, with every user word in context, to compare engines.
_PROBE = ("2024年度存在问题:政府信息公开质量有待提高,政策解读形式不够丰富;一是加强政务新媒体管理,"
          "二是推进基层政务公开标准化规范化。依申请公开答复(含12345热线)及时率达100%,"
          "Web页面适老化改造、三审三校和保密审查制度落实到位!")


class Segmenter:
    """Cuts text into raw tokens (punctuation kept, whitespace dropped).

    Parameters
    ----------
    hmm : bool
        Use jieba's HMM for unknown words (off by default: faster, deterministic per word).
    engine : {"auto", "jieba", "rjieba"}
        ``auto`` takes rjieba when installed and identical on the probe; the
        environment variable ``OGI_TOKENIZER`` overrides ``auto``.
    """

    def __init__(self, hmm: bool = False, engine: str = "auto"):
        self.hmm = hmm
        self._jieba = self._build_jieba()
        self.engine = "jieba"
        self._cut = lambda text: self._jieba.lcut(text, HMM=self.hmm)
        engine = os.environ.get("OGI_TOKENIZER", engine) if engine == "auto" else engine
        if engine in ("auto", "rjieba") and not hmm:
            fast = self._build_rjieba()
            if fast is not None:
                self.engine, self._cut = "rjieba", (lambda text: fast.cut(text, False))
            elif engine == "rjieba":
                _log.warning("rjieba not installed or not identical to jieba on the probe; using jieba")

    def _build_jieba(self) -> "jieba.Tokenizer":
        tmp = paths.CACHE / "jieba"
        tmp.mkdir(parents=True, exist_ok=True)
        tk = jieba.Tokenizer()  # the default dictionary, but our own instance
        tk.tmp_dir = str(tmp)
        with _quiet_jieba():
            tk.initialize()
        for word, freq in user_words():
            tk.add_word(word, freq)
        return tk

    def _build_rjieba(self):
        try:
            import rjieba
        except ImportError:
            return None
        try:
            fast = rjieba.Jieba()
            for word, freq in user_words():
                fast.add_word(word, freq, None)  # rjieba 0.2 requires the tag argument
            probe = [_PROBE, *(f"做好{w}工作" for w, _ in user_words())]
            same = all(_clean(fast.cut(t, False)) == _clean(self._jieba.lcut(t, HMM=False)) for t in probe)
        except Exception as exc:  # an incompatible rjieba version: fall back, say why
            _log.info("rjieba unusable (%s); using jieba", exc)
            return None
        if not same:
            _log.info("rjieba cuts the probe differently from jieba; using jieba")
        return fast if same else None

    def cut(self, text: str) -> list[str]:
        """Raw tokens of ``text``: every token jieba yields, whitespace dropped."""
        return _clean(self._cut(text))


def _clean(tokens: Iterable[str]) -> list[str]:
    out = []
    for t in tokens:
        out.extend(t.split())  # drops whitespace tokens; splits the rare token holding a space
    return out


def get_segmenter(hmm: bool = False) -> Segmenter:
    """The process's private segmenter, built on first use (about a second) and then reused."""
    return _segmenter(bool(hmm))


@lru_cache(maxsize=None)
def _segmenter(hmm: bool) -> Segmenter:  # one cache key per flag, however it is passed
    return Segmenter(hmm=hmm)


def cut(text: str, hmm: bool = False) -> list[str]:
    """Raw tokens of one text (punctuation kept, nothing filtered); see ``Segmenter``."""
    return get_segmenter(hmm).cut(unicodedata.normalize("NFKC", text))


def content_tokens(tokens: Iterable[str]) -> list[str]:
    """The tokens that carry content: at least two characters, one of them Chinese, not a stopword.

    Single characters (的, 网, 是) carry little on their own; digits, Latin
    letters and punctuation are layout, not theme. jieba's dictionary holds
    many compounds of formulaic words (进一步提高, 工作力度), so a token that
    is a run of stopwords counts as a stopword too.
    """
    return [t for t in tokens if len(t) >= 2 and _CJK.search(t) and not _is_stopword(t)]


@lru_cache(maxsize=200_000)
def _is_stopword(token: str) -> bool:
    stop = stopwords()
    if token in stop:
        return True
    # can the token be cut into stopwords (of two or more characters)?
    ok = [True] + [False] * len(token)
    for end in range(2, len(token) + 1):
        ok[end] = any(ok[start] and token[start:end] in stop for start in range(max(0, end - 6), end - 1))
    return ok[-1]


def tokenize(text: str, hmm: bool = False) -> list[str]:
    """Content tokens of one text: ``content_tokens(cut(text))``."""
    return content_tokens(cut(text, hmm))


# --------------------------------------------------------------------------- cache and pool

class TokenCache:
    """Raw tokens (space-joined) keyed by (sha256 of the text, lexicon version), in SQLite.

    SQLite because it is in the standard library, compact, safe to read while
    another process writes, and lets us look up only the texts we need.
    """

    def __init__(self, path: Optional[Path] = None):
        self.path = Path(path or paths.CACHE / "text" / "tokens.sqlite")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS tokens (sha BLOB, version TEXT, tokens TEXT, "
                        "PRIMARY KEY (sha, version)) WITHOUT ROWID")

    def get(self, shas: Sequence[bytes], version: str) -> dict[bytes, str]:
        found: dict[bytes, str] = {}
        for i in range(0, len(shas), 500):
            chunk = list(shas[i:i + 500])
            q = f"SELECT sha, tokens FROM tokens WHERE version = ? AND sha IN ({','.join('?' * len(chunk))})"
            found.update(self.db.execute(q, [version, *chunk]).fetchall())
        return found

    def put(self, rows: Iterable[tuple[bytes, str]], version: str) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)",
                                ((sha, version, toks) for sha, toks in rows))

    def close(self) -> None:
        self.db.close()


def _auto_workers(texts: Sequence[str], hmm: bool) -> int:
    """All cores when the work is worth starting workers for (about 10 s in one process), else 1."""
    mb_per_s = 10.0 if get_segmenter(hmm).engine == "rjieba" else 1.0  # measured per core, see throughput()
    seconds = sum(len(t) for t in texts) * 3 / 1e6 / mb_per_s  # Chinese text: 3 bytes a character
    return (os.cpu_count() or 1) if seconds > 10 else 1


def _pool_context():
    """spawn: forking a process that runs threads (Arrow's, Jupyter's) can deadlock the child, and a fork of the
    build's forkserver would carry its preloads and the parse workers' allocator (~50 MB more a worker: the text
    tables from scratch at 100k peaked at 1.53 GB against 1.42); its processes do not import the caller's script
    again (``ogi.processes``)."""
    return processes.context("spawn")


def _open_cache(cache: bool | Path) -> Optional[TokenCache]:
    if not cache:
        return None
    try:
        return TokenCache(None if cache is True else cache)
    except (OSError, sqlite3.Error) as exc:  # a read-only checkout still segments, only slower
        _log.warning("token cache unavailable (%s); segmenting without it", exc)
        return None


def _cut_batch(args: tuple[list[str], bool]) -> list[str]:
    texts, hmm = args
    seg = get_segmenter(hmm)
    return [" ".join(seg.cut(t)) for t in texts]


def segment(texts: Sequence[str], *, hmm: bool = False, processes: Optional[int] = None,
            cache: bool | Path = True, batch: int = 2000) -> list[list[str]]:
    """Raw tokens for many texts, from the cache where possible, the rest cut in a process pool.

    Parameters
    ----------
    texts : sequence of str
        NFKC-normalised inside; equal texts are cut once.
    hmm : bool
        See ``Segmenter``.
    processes : int, optional
        Worker processes for the uncached texts. By default all cores when
        cutting them here would take more than about ten seconds, else this
        process: each worker starts Python and builds its own tokenizer
        (about two seconds).
    cache : bool or path
        Use the token cache (default file under ``paths.CACHE``), or not, or this file.
    batch : int
        Texts per task sent to a worker.

    Returns
    -------
    list of list of str
        Raw tokens per input text, in input order.
    """
    norm = [unicodedata.normalize("NFKC", t) if isinstance(t, str) else "" for t in texts]
    unique = list(dict.fromkeys(norm))
    shas = [hashlib.sha256(t.encode("utf-8")).digest() for t in unique]
    version = lexicon_version(hmm)
    store = _open_cache(cache)
    done = store.get(shas, version) if store else {}
    todo = [(sha, t) for sha, t in zip(shas, unique) if sha not in done]
    if todo:
        todo_texts = [t for _, t in todo]
        chunks = [(todo_texts[i:i + batch], hmm) for i in range(0, len(todo_texts), batch)]
        workers = processes if processes is not None else _auto_workers(todo_texts, hmm)
        if workers > 1 and len(chunks) > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_pool_context(),
                                     initializer=get_segmenter, initargs=(hmm,)) as pool:
                results = [r for chunk in pool.map(_cut_batch, chunks) for r in chunk]
        else:
            results = [r for chunk in map(_cut_batch, chunks) for r in chunk]
        new = dict(zip((sha for sha, _ in todo), results))
        done.update(new)
        if store:
            store.put(new.items(), version)
    if store:
        store.close()
    by_text = {t: done[sha] for t, sha in zip(unique, shas)}
    return [by_text[t].split() if by_text[t] else [] for t in norm]


def throughput(texts: Sequence[str], processes: Optional[int] = 1) -> dict[str, float | str]:
    """Measure segmentation speed on ``texts`` without the cache (for ``make bench``).

    Parameters
    ----------
    texts : sequence of str
    processes : int, optional
        As in ``segment``; ``None`` lets ``segment`` decide.

    Returns
    -------
    dict
        ``megabytes`` (UTF-8), ``seconds``, ``mb_per_s``, ``texts_per_s``,
        ``engine`` and ``processes``; with one process also ``mb_per_cpu_s``.
        The tokenizer is built before timing.
    """
    seg = get_segmenter()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    start, cpu = time.perf_counter(), time.process_time()
    segment(texts, processes=processes, cache=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out = {"engine": seg.engine, "processes": processes or (os.cpu_count() or 1), "megabytes": round(mb, 3),
           "seconds": round(seconds, 3), "mb_per_s": round(mb / seconds, 3),
           "texts_per_s": round(len(texts) / seconds, 1)}
    if processes == 1:  # CPU time says what a core does, whatever else the machine is running
        out["mb_per_cpu_s"] = round(mb / cpu, 3)
    return out
