"""Plain-text reports: decode the bytes, saying which encoding was used and why.

Scraped reports come as UTF-8 (with or without BOM), GB18030/GBK, Big5 and
UTF-16, sometimes with broken bytes. The encoding is detected by a fixed
ladder — byte-order mark, strict UTF-8, UTF-16 without BOM, then strict
GB18030 / Big5 checked for plausible Chinese text — and every decision other
than plain UTF-8 is written into the document's messages, so that nothing is
guessed silently.
"""

from __future__ import annotations

import codecs
import re

from .document import Document, sha256_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that are common in GB18030 mis-decodings of other encodings but
# rare in reports (private use area, rare CJK extension A, box drawing, kana).
_UNLIKELY = re.compile(r"[\ue000-\uf8ff\u3400-\u4dbf\u2500-\u257f\u3040-\u30ff\uac00-\ud7af]")


def _plausible_chinese(text: str) -> float:
    """Share of non-ASCII characters that are common CJK ideographs or CJK punctuation."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    good = sum(1 for c in non_ascii if _CJK.match(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    bad = len(_UNLIKELY.findall(text))
    return (good - bad) / len(non_ascii)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows up as NUL bytes in every other position of ASCII text."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:  # no NUL at all: neither pattern (one search, no copies)
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.2 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.2 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str | None, str | None, list[str]]:
    """Decode report bytes; returns ``(text, encoding, messages)``, text None if undecodable."""
    messages: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, messages
            except UnicodeDecodeError as exc:
                text = data[len(bom):].decode(enc, errors="replace")
                messages.append(f"byte-order mark says {enc}, but bytes at {exc.start} do not decode; "
                                f"{text.count(chr(0xFFFD))} characters replaced by U+FFFD")
                return text, enc, messages
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            text = data.decode(enc16)
            messages.append(f"decoded as {enc16.upper()} without byte-order mark (NUL-byte pattern)")
            return text, enc16, messages
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", messages
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausible_chinese(text), enc, text))
    if candidates:
        score, enc, text = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
        if score > 0.9:
            others = [c[1] for c in candidates if c[1] != enc]
            also = f" (also decodes as {', '.join(others)}, less plausibly)" if others else ""
            messages.append(f"not valid UTF-8; decoded as {enc.upper()}{also}")
            return text, enc, messages
    # Mixed or broken bytes (a GB18030 page with a few bytes cut, UTF-8 with a stray legacy byte): keep what the
    # encoding that loses least can read, if its text is Chinese, and say how much was lost.
    readings = []
    for enc in ("utf-8", "gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        lost = text.count("\ufffd")
        readings.append((lost, enc, text))
    lost, enc, text = min(readings, key=lambda r: (r[0], r[1] != "utf-8"))
    if enc != "utf-8" and _plausible_chinese(text.replace("\ufffd", "")) <= 0.9:
        lost, enc, text = readings[0]
    if lost > 0.05 * max(1, len(text)):
        return None, None, [f"not decodable as UTF-8, GB18030 or Big5 (first bad byte at offset {utf8_error.start})"]
    first = text.index("\ufffd")
    messages.append(f"mixed or broken encoding: read as {enc.upper()}, {lost} undecodable byte sequence(s) replaced by "
                    f"U+FFFD (the first after {text[max(0, first - 12):first]!r})")
    return text, enc, messages


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split_lines(text: str) -> list[str]:
    """Normalise line ends and drop control characters; keep every line (blank ones too)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.split("\n")


def read_text(source: str, data: bytes) -> Document:
    """A plain-text report as a Document."""
    doc = Document(source=source, format="text", sha256=sha256_bytes(data))
    text, enc, messages = decode(data)
    doc.messages.extend(messages)
    doc.encoding = enc
    if text is None:
        doc.error = messages[-1] if messages else "undecodable text"
        return doc
    doc.lines = split_lines(text)
    return doc
