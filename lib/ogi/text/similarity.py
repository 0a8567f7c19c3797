"""Boilerplate and copying: near-duplicate statements and sections across the corpus.

Evaluations of these reports find up to 90 % of a report repeated from the
year before, and whole sections shared by the agencies of one county. To
find such text among 10^5-10^6 sections without comparing all pairs:

1. Texts are normalised (NFKC; only Chinese characters, letters and digits
   kept; every digit read as 0, so a copy with the year updated still
   matches) and cut into character 3-grams. Characters, not jieba tokens:
   copying is a property of the characters, and a changed character breaks
   at most three 3-grams. Identical normalised texts are one text.
2. Each text gets a MinHash signature (numpy; ``num_perm`` hash functions
   ``a*x + b mod 2^64`` over a mixed 3-gram code), whose share of equal
   values estimates the Jaccard similarity of two texts' 3-gram sets.
3. Within one agency (copying across its own years) every pair of items
   from two of its reports is estimated: agencies have few reports, so this
   is linear in the corpus and misses nothing to LSH.
4. Across agencies, LSH banding of the signatures gives candidate pairs; each
   item is matched to the earliest item of another agency among its text's
   most similar neighbours. A very large LSH bucket is linked to its first
   member only, so the work stays linear in the number of texts.
5. Every pair reported gets its exact Jaccard similarity, which must reach
   the threshold; estimates only choose what to compare.

So a family of 1,000 agencies sharing one template gives about 1,000 pairs,
not 500,000: enough to find, count and exclude boilerplate.

``repeat_shares`` measures, per report, the share of a section's 3-grams
already present in the same agency's previous report and in all its
earlier reports, the measure the evaluations quote.

No dependency beyond numpy and pandas: ``datasketch`` would give the same
MinHash/LSH, but hashes each element in Python, slower than numpy here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ["minhash", "lsh_candidates", "near_duplicates", "normalize", "pair_batches", "repeat_shares",
           "shingles", "similar_pairs", "jaccard"]

K = 3  # characters per shingle
_SYMBOLS = 1 << 15  # distinct characters a code can hold (ASCII and CJK U+3400-U+9FFF)
_CODE_BITS = 3 * 15
_CODE_MASK = (1 << _CODE_BITS) - 1
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_EMPTY = np.uint32(0xFFFFFFFF)  # the signature of a text without 3-grams
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def normalize(text: str) -> str:
    """The characters that make a text: NFKC, lower case, punctuation and spaces dropped, digits as 0."""
    s = _KEEP.sub("", unicodedata.normalize("NFKC", text if isinstance(text, str) else "").lower())
    return re.sub(r"[0-9]", "0", s)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """3-gram codes of normalised texts, concatenated, and each text's start offset in them.

    A character becomes a 15-bit symbol (ASCII as is, U+3400-U+9FFF from 128 up; ``normalize``
    keeps nothing else), so a 3-gram is exactly three symbols in 45 bits, and the 19 bits left
    in an int64 can carry a row number when codes are sorted together with their owners.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.int64)
    sym = np.where(cps >= 0x3400, np.minimum(cps - 0x3400 + 128, _SYMBOLS - 1), np.minimum(cps, 127))
    n = np.maximum(lengths - (K - 1), 0)  # 3-grams per text
    pos = _ranges(np.cumsum(lengths) - lengths, n)
    codes = (sym[pos] << 30) | (sym[pos + 1] << 15) | sym[pos + 2] if len(pos) else np.zeros(0, np.int64)
    return codes, np.concatenate([[0], np.cumsum(n)])


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``starts[k] .. starts[k] + lengths[k] - 1`` for every k, concatenated."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)


def shingles(text: str) -> np.ndarray:
    """Sorted unique 3-gram codes of a normalised text (empty if shorter than three characters)."""
    codes, _ = _codes([text])
    return _sorted_unique(codes)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique code arrays."""
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return inter / union if union else 0.0


def _code_sets(texts: Sequence[str], chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 3-gram codes of each text, concatenated, and the offsets of each text's run.

    One flat array rather than an array or a Python set per text: the pairs
    are then compared in bulk, and memory is 8 bytes a 3-gram.
    """
    runs, sizes = [], []
    for lo in range(0, len(texts), chunk):  # owner numbers stay below 2^18 within a chunk
        codes, offsets = _codes(texts[lo:lo + chunk])
        owner = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        keys = _sorted_unique((owner << _CODE_BITS) | codes)
        runs.append(keys & _CODE_MASK)
        sizes.append(np.bincount(keys >> _CODE_BITS, minlength=len(offsets) - 1))
    sizes = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
    return (np.concatenate(runs) if runs else np.zeros(0, np.int64)), np.concatenate([[0], np.cumsum(sizes)])


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is many times slower on these arrays)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def minhash(texts: Sequence[str], num_perm: int = 128, seed: int = 20240101,
            chunk: int = 4_000_000) -> np.ndarray:
    """MinHash signatures of normalised texts.

    Parameters
    ----------
    texts : sequence of str
        Normalised texts (see ``normalize``).
    num_perm : int
        Hash functions; the estimate's standard error is about ``0.5 / sqrt(num_perm)``.
    seed : int
        Fixed, so signatures are the same in every run.
    chunk : int
        Texts are processed in groups of about this many 3-grams, to bound memory.

    Returns
    -------
    ndarray, shape (len(texts), num_perm), uint32
        The high 32 bits of each minimum (half the memory, the same estimates).
        Texts with no 3-gram get all-ones rows (never candidates).
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    sig = np.full((len(texts), num_perm), _EMPTY, dtype=np.uint32)
    i = 0
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and (size < chunk or j == i):
            size += max(len(texts[j]) - K + 1, 0)
            j += 1
        codes, offsets = _codes(texts[i:j])
        h, buf = _mix(codes.astype(np.uint64)), np.empty(len(codes), np.uint64)
        nonempty = np.flatnonzero(offsets[1:] > offsets[:-1])
        if len(nonempty):
            for p in range(num_perm):
                np.multiply(h, a[p], out=buf)
                np.add(buf, b[p], out=buf)
                sig[i + nonempty, p] = np.minimum.reduceat(buf, offsets[nonempty]) >> np.uint64(32)
        i = j
    return sig


def lsh_candidates(sig: np.ndarray, bands: int = 32, max_bucket: int = 50) -> np.ndarray:
    """Pairs of rows whose signatures agree on all rows of at least one band.

    Parameters
    ----------
    sig : ndarray (n, num_perm)
    bands : int
        ``num_perm / bands`` rows per band; the similarity where a pair becomes
        likely to be a candidate is about ``(1 / bands) ** (bands / num_perm)``
        (0.42 for 32 bands of 4).
    max_bucket : int
        Buckets larger than this are linked to their first member only (a star, not all pairs).

    Returns
    -------
    ndarray (m, 2) int64
        Unique pairs ``i < j``, sorted.
    """
    n, num_perm = sig.shape
    rows = num_perm // bands
    valid = np.flatnonzero(sig[:, 0] != _EMPTY)
    m = max(len(valid), 1)
    keys = np.zeros(0, np.int64)  # pairs of positions in ``valid`` as i * m + j, i < j, unique so far
    found: list[np.ndarray] = []
    held = 0
    for band in range(bands):
        cols = sig[valid, band * rows:(band + 1) * rows]
        key = _mix(cols[:, 0].astype(np.uint64) ^ np.uint64(band))
        for c in range(1, rows):
            key = _mix(key ^ cols[:, c].astype(np.uint64))
        order = np.argsort(key, kind="stable")
        skey = key[order]
        cut = np.flatnonzero(np.diff(skey)) + 1
        starts, ends = np.concatenate([[0], cut]), np.concatenate([cut, [len(skey)]])
        sizes = ends - starts
        pairs = sizes == 2
        found.append(order[starts[pairs]] * m + order[starts[pairs] + 1])
        for s, e in zip(starts[sizes > 2], ends[sizes > 2]):
            members = order[s:e]  # increasing: the argsort is stable
            if e - s <= max_bucket:
                ii, jj = _triu(len(members))
                found.append(members[ii] * m + members[jj])
            else:
                found.append(members[0] * m + members[1:])
        held += sum(len(f) for f in found[-1:])
        if held > max(len(keys), 1 << 20):  # fold into the unique keys: memory stays near the result's
            keys = _sorted_unique(np.concatenate([keys, *found]))
            found, held = [], 0
    keys = _sorted_unique(np.concatenate([keys, *found])) if found else keys
    i, j = keys // m, keys % m
    pairs = np.stack([valid[i], valid[j]], axis=1).astype(np.int64)  # valid is increasing: i < j stays
    return pairs


@lru_cache(maxsize=None)
def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


def near_duplicates(texts: Sequence[str], threshold: float = 0.6, num_perm: int = 128, bands: int = 32,
                    max_bucket: int = 50, margin: float = 0.1) -> pd.DataFrame:
    """Pairs of normalised texts with a 3-gram Jaccard similarity of at least ``threshold``.

    Parameters
    ----------
    texts : sequence of str
        Normalised, preferably distinct, texts.
    threshold : float
        Minimum exact Jaccard similarity.
    num_perm, bands, max_bucket
        See ``minhash`` and ``lsh_candidates``.
    margin : float
        Candidates whose MinHash estimate is below ``threshold - margin`` are dropped
        before the exact comparison (0.1 is over two standard errors at 128 permutations).

    Returns
    -------
    DataFrame
        ``i, j, score`` with ``i < j`` (positions in ``texts``), sorted.
    """
    sig = minhash(texts, num_perm)
    cand = lsh_candidates(sig, bands, max_bucket)
    cand = cand[_estimate(sig, cand) >= threshold - margin]
    score = _exact(texts, cand)
    ok = score >= threshold
    return pd.DataFrame({"i": cand[ok, 0], "j": cand[ok, 1], "score": score[ok]}).astype(
        {"i": "int64", "j": "int64", "score": "float64"})


def _estimate(sig: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity of row pairs (share of equal signature values)."""
    return _matches(sig, pairs) / sig.shape[1]


def _exact(texts: Sequence[str], pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of pairs of texts given by position."""
    if not len(pairs):
        return np.zeros(0)
    which = _sorted_unique(pairs.ravel())
    codes, offsets = _code_sets([texts[w] for w in which.tolist()])
    return _jaccards(codes, offsets, np.searchsorted(which, pairs))


def _jaccards(codes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, budget: int = 4_000_000) -> np.ndarray:
    """Exact Jaccard similarity of many pairs of sets (rows of ``_code_sets``), in bulk.

    Both sets of a pair are tagged with the pair's number and sorted together:
    a key seen twice is a shared 3-gram. Pairs go in batches of about ``budget`` codes.
    """
    size = np.diff(offsets)
    nl, nr = size[pairs[:, 0]], size[pairs[:, 1]]
    out = np.zeros(len(pairs))
    done = np.concatenate([[0], np.cumsum(nl + nr)])  # codes in the pairs before each pair
    lo = 0
    while lo < len(pairs):
        hi = max(lo + 1, int(np.searchsorted(done, done[lo] + budget, side="right")) - 1)
        k = np.arange(hi - lo)
        tag = np.concatenate([np.repeat(k, nl[lo:hi]), np.repeat(k, nr[lo:hi])])
        idx = np.concatenate([_ranges(offsets[pairs[lo:hi, 0]], nl[lo:hi]),
                              _ranges(offsets[pairs[lo:hi, 1]], nr[lo:hi])])
        key = np.sort((tag << _CODE_BITS) | codes[idx])
        inter = np.bincount(key[1:][key[1:] == key[:-1]] >> _CODE_BITS, minlength=hi - lo)
        out[lo:hi] = inter / np.maximum(nl[lo:hi] + nr[lo:hi] - inter, 1)
        lo = hi
    return out


def similar_pairs(items: pd.DataFrame, threshold: float = 0.6, *, min_chars: int = 8, max_neighbours: int = 10,
                  max_agency_items: int = 5000, num_perm: int = 128, bands: int = 32, max_bucket: int = 50,
                  margin: float = 0.1) -> pd.DataFrame:
    """Near-duplicate pairs of items (statements or sections) from different reports.

    Parameters
    ----------
    items : DataFrame
        ``report_id``, ``part``, ``idx``, ``agency_key``, ``year``, ``text``; one row per item.
    threshold : float
        Minimum Jaccard similarity of the normalised texts' 3-gram sets (exact, for every pair reported).
    min_chars : int
        Items with fewer normalised characters are too short to call copied and are skipped.
    max_neighbours : int
        Near-duplicate texts kept per text when looking for matches in other agencies.
    max_agency_items : int
        Within one agency every pair of items is compared; an agency with more items than
        this (a broken agency key) is compared through the LSH neighbours only.
    num_perm, bands, max_bucket, margin
        See ``near_duplicates``.

    Returns
    -------
    DataFrame
        ``left_*`` and ``right_*`` (``report_id``, ``part``, ``idx``), ``score``, ``same_agency``;
        left is the earlier item (year, then report id, part, idx). Every near-duplicate pair
        within one agency, and each item's best match in another agency.
    """
    it = _prepare(items, min_chars)
    texts = it.attrs.pop("texts")
    tid, agency, report = (it[c].to_numpy() for c in ("tid", "agency", "report"))
    found = list(pair_batches(tid, agency, report, texts, threshold, max_neighbours=max_neighbours,
                              max_agency_items=max_agency_items, num_perm=num_perm, bands=bands,
                              max_bucket=max_bucket, margin=margin))
    l, r, score = (np.concatenate([f[k] for f in found]) if found else np.zeros(0, t)
                   for k, t in enumerate((np.int64, np.int64, np.float64)))
    order = np.lexsort((r, l))
    pairs = pd.DataFrame({"l": l[order], "r": r[order], "score": score[order]})
    L, R = it.iloc[pairs["l"]].reset_index(drop=True), it.iloc[pairs["r"]].reset_index(drop=True)
    out = pd.DataFrame({f"left_{c}": L[c] for c in ("report_id", "part", "idx")}
                       | {f"right_{c}": R[c] for c in ("report_id", "part", "idx")})
    out["score"] = pairs["score"].round(6).to_numpy()
    out["same_agency"] = (L["agency"] == R["agency"]).to_numpy()
    return out


def pair_batches(tid: np.ndarray, agency: np.ndarray, report: np.ndarray, texts: Sequence[str],
                 threshold: float = 0.6, *, max_neighbours: int = 10, max_agency_items: int = 5000,
                 num_perm: int = 128, bands: int = 32, max_bucket: int = 50, margin: float = 0.1,
                 budget: int = 1_000_000, sig: np.ndarray | None = None, cross: list | None = None):
    """The near-duplicate pairs of ``similar_pairs`` as arrays, a batch at a time (bounded memory).

    Parameters
    ----------
    tid, agency, report : ndarray
        Per item, items numbered in time order (year, report id, part, idx): its distinct text's
        number (texts numbered by first appearance in that order), agency and report codes.
    texts : sequence of str
        The distinct normalised texts.
    budget : int
        About this many pairs per batch (text pairs compared, item pairs expanded).
    sig : ndarray, optional
        ``minhash(texts, num_perm)``, if already computed.
    cross : list, optional
        Receives the cross-agency batches too (they are few: at most one per item).

    Yields
    ------
    (l, r, score) : ndarray int64, int64, float64
        Item pairs ``l < r`` with their exact Jaccard similarity: first every pair within one agency
        (from two of its reports), then each item's best match in another agency; each pair once.
    """
    floor = threshold - margin
    if sig is None:
        sig = minhash(texts, num_perm)
    yield from _same_agency(tid, agency, report, sig, texts, threshold, floor, max_agency_items, budget)
    l, r, score = _cross_agency(tid, agency, sig, texts, threshold, floor, bands, max_bucket, max_neighbours)
    if cross is not None:
        cross.append((l, r, score))
    yield l, r, score


def _same_agency(tid, agency, report, sig, texts, threshold, floor, max_items, budget):
    """Every pair of items of one agency, from two of its reports, whose texts are near-duplicates.

    Compared by distinct text, not by item: within an agency, the items are grouped by text, every
    pair of groups (a group with itself too) is estimated and verified once, and only the pairs
    that pass are expanded into item pairs. An agency that repeats its statements every year has
    many items and few texts, so this is the number of pairs found, not of items squared.
    """
    n = len(tid)
    if not n:
        return
    size = np.bincount(agency)
    rows = np.flatnonzero(size[agency] <= max_items)
    order = rows[np.lexsort((rows, tid[rows], agency[rows]))]  # by agency, text, item
    ga, gt = agency[order], tid[order]
    new = np.r_[True, (ga[1:] != ga[:-1]) | (gt[1:] != gt[:-1])] if len(order) else np.zeros(0, bool)
    gstart = np.flatnonzero(new)
    gsize = np.diff(np.r_[gstart, len(order)])
    g_ag, g_tid = ga[gstart], gt[gstart]
    # the groups of an agency are consecutive: each group is paired with itself and the groups after it
    a_first = np.flatnonzero(np.r_[True, g_ag[1:] != g_ag[:-1]]) if len(g_ag) else np.zeros(0, np.int64)
    a_size = np.diff(np.r_[a_first, len(g_ag)])
    partners = np.repeat(a_first + a_size, a_size) - np.arange(len(g_ag))
    done = np.r_[0, np.cumsum(partners)]
    lo = 0
    while lo < len(g_ag):
        hi = max(lo + 1, int(np.searchsorted(done, done[lo] + budget, side="right")) - 1)
        k = np.arange(lo, hi)
        left = np.repeat(k, partners[lo:hi])
        right = _ranges(k, partners[lo:hi])
        lo = hi
        diff = left != right  # two groups of one agency hold two different texts
        score = np.ones(len(left))
        if diff.any():
            a, b = g_tid[left[diff]], g_tid[right[diff]]
            keys, inverse = np.unique(a * len(texts) + b, return_inverse=True)  # each text pair once
            ta, tb = keys // len(texts), keys % len(texts)
            est = _estimate(sig, np.stack([ta, tb], axis=1))
            exact = np.zeros(len(keys))
            near = est >= floor
            exact[near] = _exact(texts, np.stack([ta[near], tb[near]], axis=1))
            score[diff] = np.where(near, exact, -1.0)[inverse.ravel()]
        ok = score >= threshold
        yield from _expand(left[ok], right[ok], score[ok], gstart, gsize, order, report, budget)


def _expand(left, right, score, gstart, gsize, order, report, budget):
    """Item pairs of the group pairs (items of two reports; within one group each pair once)."""
    nl, nr = gsize[left], gsize[right]
    count = nl * nr
    done = np.r_[0, np.cumsum(count)]
    lo = 0
    while lo < len(left):
        hi = max(lo + 1, int(np.searchsorted(done, done[lo] + budget, side="right")) - 1)
        c = count[lo:hi]
        which = np.repeat(np.arange(lo, hi), c)
        q = np.arange(done[hi] - done[lo]) - np.repeat(done[lo:hi] - done[lo], c)
        i = order[gstart[left[which]] + q // nr[which]]
        j = order[gstart[right[which]] + q % nr[which]]
        keep = (report[i] != report[j]) & ((left[which] != right[which]) | (i < j))
        i, j = i[keep], j[keep]
        yield np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64), score[which[keep]]
        lo = hi


def _cross_agency(tid, agency, sig, texts, threshold, floor, bands, max_bucket, k, chunk: int = 65_536):
    """Each item's best match in another agency, among the earliest items of its text's LSH neighbours.

    Items are matched ``chunk`` at a time: what an item gets depends only on its text, its agency
    and the first items of each text, so the chunks give what one pass over all items would.
    Returns unique pairs ``l < r`` with their exact score.
    """
    n = len(tid)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if not n:
        return empty
    near = _neighbours(sig, floor, bands, max_bucket, k)
    ni, nj, nest = (near[c].to_numpy() for c in ("i", "j", "est"))
    start = np.searchsorted(ni, np.arange(len(texts)))
    stop = np.searchsorted(ni, np.arange(len(texts)), side="right")
    # per text: its first item, that item's agency, and the first item of another agency (or -1)
    first = np.full(len(texts), -1, np.int64)
    u, at = np.unique(tid, return_index=True)  # items are in time order: the first is the earliest
    first[u] = at
    ag1 = agency[first]
    other = np.flatnonzero(agency != ag1[tid])
    second = np.full(len(texts), -1, np.int64)
    u, at = np.unique(tid[other], return_index=True)
    second[u] = other[at]
    found = []
    for lo in range(0, n, chunk):
        items = np.arange(lo, min(lo + chunk, n))
        t = tid[items]
        c = stop[t] - start[t]
        item = np.repeat(items, c)
        pos = _ranges(start[t], c)
        j, est = nj[pos], nest[pos]
        cand = np.where(ag1[j] != agency[item], first[j], second[j])
        ok = cand >= 0
        item, cand, est = item[ok], cand[ok], est[ok]
        o = np.lexsort((cand, -est, item))  # item, best estimate first, then the earlier item
        item, cand = item[o], cand[o]
        top = _rank_in_runs(item) < 2
        item, cand = item[top], cand[top]
        score = np.ones(len(item))
        differ = tid[item] != tid[cand]
        score[differ] = _exact(texts, np.stack([tid[item[differ]], tid[cand[differ]]], axis=1))
        ok = score >= threshold
        item, cand, score = item[ok], cand[ok], score[ok]
        o = np.lexsort((cand, -score, item))  # the best of the two, by exact score
        item, cand, score = item[o], cand[o], score[o]
        best = _rank_in_runs(item) == 0
        found.append((np.minimum(item, cand)[best], np.maximum(item, cand)[best], score[best]))
    l, r, score = (np.concatenate(x) for x in zip(*found))
    keys, first_seen = np.unique(l * n + r, return_index=True)  # a pair found from both sides, once
    return keys // n, keys % n, score[first_seen]


def _rank_in_runs(x: np.ndarray) -> np.ndarray:
    """0, 1, 2 … within each run of equal values of a sorted array."""
    if not len(x):
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    return np.arange(len(x)) - np.repeat(starts, np.diff(np.r_[starts, len(x)]))


def _prepare(items: pd.DataFrame, min_chars: int) -> pd.DataFrame:
    """Items long enough, in time order, numbered; agencies, reports and distinct texts as integers."""
    it = items[["report_id", "part", "idx", "agency_key", "year"]].copy()
    it["norm"] = [normalize(t) for t in items["text"]]
    it = it[it["norm"].map(len) >= min_chars]
    it = it.sort_values(["year", "report_id", "part", "idx"], kind="mergesort", na_position="first")
    it = it.reset_index(drop=True)
    it["item"] = np.arange(len(it))
    unknown = it["agency_key"].isna()  # an unknown agency is its own agency, never "the same" as another
    key = it["agency_key"].astype("object").where(~unknown, "?" + it["report_id"].astype(str))
    it["agency"] = pd.factorize(key)[0]
    it["report"] = pd.factorize(it["report_id"])[0]
    it["tid"], texts = pd.factorize(it.pop("norm"))
    it.attrs["texts"] = list(texts)
    return it


def _neighbours(sig: np.ndarray, floor: float, bands: int, max_bucket: int, k: int) -> pd.DataFrame:
    """Each text's LSH neighbours with an estimate of at least ``floor``, itself included, the ``k`` best.

    Sorted by text, estimate (best first), neighbour: one sort of an int64 key (an estimate is a
    count of equal signature values), not a three-column sort of every candidate.
    """
    n, num_perm = sig.shape
    cand = lsh_candidates(sig, bands, max_bucket)
    same = _matches(sig, cand)
    ok = same / num_perm >= floor
    cand, same = cand[ok], same[ok]
    width = (num_perm + 1) * max(n, 1)  # the key: text, then best estimate first, then neighbour
    key = np.empty(2 * len(cand) + n, np.int64)
    key[:len(cand)] = cand[:, 0] * width + (num_perm - same) * max(n, 1) + cand[:, 1]
    key[len(cand):2 * len(cand)] = cand[:, 1] * width + (num_perm - same) * max(n, 1) + cand[:, 0]
    key[2 * len(cand):] = np.arange(n) * width + np.arange(n)  # itself, every value equal
    del cand, same
    key.sort()
    i = key // width
    keep = _rank_in_runs(i) <= k
    key, i = key[keep], i[keep]
    rest = key - i * width
    return pd.DataFrame({"i": i, "j": rest % max(n, 1), "est": (num_perm - rest // max(n, 1)) / num_perm})


def _matches(sig: np.ndarray, pairs: np.ndarray, block: int = 16_384) -> np.ndarray:
    """Equal signature values of row pairs (``_estimate`` times ``num_perm``).

    Blocks that stay in the CPU cache and ``count_nonzero``: twice as fast as ``(a == b).sum(axis=1)``.
    """
    out = np.empty(len(pairs), np.int64)
    for lo in range(0, len(pairs), block):
        p = pairs[lo:lo + block]
        out[lo:lo + len(p)] = np.count_nonzero(np.take(sig, p[:, 0], axis=0) == np.take(sig, p[:, 1], axis=0), axis=1)
    return out


def repeat_shares(items: pd.DataFrame, normalized: bool = False) -> pd.DataFrame:
    """Share of each report's text already in the same agency's earlier reports.

    Parameters
    ----------
    items : DataFrame
        ``report_id``, ``agency_key``, ``year``, ``text``: one row per report (e.g. its
        problems section).
    normalized : bool
        The texts are already ``normalize``'d (normalising again would change nothing but the time).

    Returns
    -------
    DataFrame
        ``report_id``, ``prev_report_id`` (the latest earlier report of the same agency),
        ``share_prev`` (share of the text's 3-grams found in it), ``share_earlier`` (found in
        any earlier report of the agency), ``n_earlier``. Shares are null without an earlier
        report or a text of at least three characters.
    """
    it = items[["report_id", "agency_key", "year", "text"]].dropna(subset=["agency_key", "year"])
    it = it.sort_values(["agency_key", "year", "report_id"], kind="mergesort")
    it = it.reset_index(drop=True)
    agency = pd.factorize(it["agency_key"])[0]
    year = it["year"].astype("int64").to_numpy()
    # the latest report of the agency in an earlier year: the last row before this row's year began
    first_of_year = (pd.Series(np.arange(len(it))).groupby([agency, year]).transform("min")).to_numpy()
    prev = first_of_year - 1
    prev[(prev < 0) | (agency[np.maximum(prev, 0)] != agency)] = -1
    first_of_agency = pd.Series(np.arange(len(it))).groupby(agency).transform("min").to_numpy()
    n_earlier = first_of_year - first_of_agency
    found = np.zeros(len(it)), np.zeros(len(it)), np.zeros(len(it))  # 3-grams: all, in prev, in earlier
    for lo, hi in _batches(agency, 4000):  # a batch holds < 2^12 agencies (see _repeat_counts)
        texts = it["text"].iloc[lo:hi].tolist() if normalized else [normalize(t) for t in it["text"].iloc[lo:hi]]
        for total, got in zip(found, _repeat_counts(texts, agency[lo:hi], year[lo:hi], prev[lo:hi] - lo)):
            total[lo:hi] = got
    size, in_prev, in_earlier = found
    ok = (prev >= 0) & (size > 0)
    rid = it["report_id"].astype(str).to_numpy(dtype=object)
    out = pd.DataFrame({
        "report_id": pd.array(rid, dtype="string"),
        "prev_report_id": pd.array(np.where(prev >= 0, rid[np.maximum(prev, 0)], None), dtype="string"),
        "share_prev": pd.array(np.where(ok, in_prev / np.maximum(size, 1), np.nan), dtype="Float64"),
        "share_earlier": pd.array(np.where(ok, in_earlier / np.maximum(size, 1), np.nan), dtype="Float64"),
        "n_earlier": pd.array(n_earlier, dtype="Int64"),
    })
    return out.sort_values("report_id", kind="mergesort").reset_index(drop=True)


def _batches(groups: np.ndarray, size: int):
    """(start, stop) row ranges of about ``size`` rows that never split a group (rows sorted by group)."""
    start = 0
    while start < len(groups):
        stop = min(start + size, len(groups))
        while stop < len(groups) and groups[stop] == groups[stop - 1]:
            stop += 1
        yield start, stop
        start = stop


def _repeat_counts(texts, agency, year, prev):
    """Per text: its distinct 3-grams, those in text ``prev``, those in an earlier year of its agency.

    Vectorised over a batch: (text, 3-gram) and (agency, 3-gram, year) each fit in one
    int64 sort key (45 bits of 3-gram, the rest for the row or agency number and year).
    """
    codes, offsets = _codes(texts)
    doc_of = np.repeat(np.arange(len(texts)), np.diff(offsets))
    entries = _sorted_unique((doc_of << _CODE_BITS) | codes)  # distinct (text, 3-gram), sorted
    doc, code = entries >> _CODE_BITS, entries & ((1 << _CODE_BITS) - 1)
    sizes = np.bincount(doc, minlength=len(texts))
    # earlier: the 3-gram's first year within the agency is before this text's year
    y = (year - year.min())[doc]
    group = ((agency - agency.min())[doc] << _CODE_BITS) | code  # < 2^12 agencies a batch: 57 bits
    order = np.argsort((group << 6) | np.minimum(y, 63))
    g, ys = group[order], y[order]
    starts = np.maximum.accumulate(np.where(np.r_[True, g[1:] != g[:-1]], np.arange(len(g)), 0))
    earlier = np.zeros(len(code), bool)
    earlier[order] = ys[starts] < ys
    # in prev: is (prev, 3-gram) one of the (text, 3-gram) entries?
    q = prev[doc] >= 0
    query = (prev[doc][q] << _CODE_BITS) | code[q]
    pos = np.minimum(np.searchsorted(entries, query), max(len(entries) - 1, 0))
    hit = entries[pos] == query if len(entries) else np.zeros(0, bool)
    in_prev = np.bincount(doc[q], weights=hit, minlength=len(texts))
    return sizes, in_prev, np.bincount(doc, weights=earlier, minlength=len(texts))
