"""Web pages saved as one file (MHTML: ``.mht``/``.mhtml``) as a Document.

Browsers ("Save as single file") and Word ("Single File Web Page") write the
page as a MIME message: the HTML is a part encoded as quoted-printable or
base64, next to its images and styles. Read as HTML directly, its soft line
breaks (``=`` at a line's end) would cut numbers in two and its Chinese text
would stay ``=E4=B8=AD`` escapes; the standard library's ``email`` parser
decodes the part, and the HTML reader reads it with the part's charset.
"""

from __future__ import annotations

import email
import email.policy
import re

from .document import Document, sha256_bytes
from .html import read_html

# The top of a MIME message holding a web page: its headers name a multipart type.
_MIME_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?mime-version\s*:", re.I)
_MULTIPART = re.compile(rb"content-type\s*:\s*multipart/related", re.I)


def looks_like_mhtml(head: bytes) -> bool:
    """True for the first KBs of a page saved as MHTML (MIME headers naming a multipart/related body)."""
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").replace(b"\r\n", b"\n")
    return bool(_MIME_HEAD.match(head)) and bool(_MULTIPART.search(head[:4096]))


def read_mhtml(source: str, data: bytes) -> Document:
    """The page of an MHTML archive as a Document, the frames it embeds after it; never raises for bad input.

    A CMS may show the report in a frame, which the archive keeps as a part of its own: every HTML part is
    read, in the archive's order (the page first).
    """
    sha = sha256_bytes(data)
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if not parts:
        return Document(source=source, format="mhtml", sha256=sha, error="MHTML archive holds no HTML page")
    read = [read_html(source, part.get_payload(decode=True) or b"", transport=part.get_content_charset())
            for part in parts]
    doc = Document(source=source, format="mhtml", sha256=sha, encoding=read[0].encoding)
    encoding = parts[0].get("Content-Transfer-Encoding", "none").strip().lower()
    doc.messages.append(f"page saved as MHTML: its HTML part decoded ({encoding})")
    if len(parts) > 1:
        doc.messages.append(f"{len(parts)} HTML parts (the page and the frames it shows) read in order")
    for part in read:
        doc.messages.extend(part.messages)
        if part.error is None:
            doc.lines.extend(part.lines)
    if not doc.lines:
        doc.error = read[0].error or "MHTML archive holds no text"
    return doc
