"""The typed model of one parsed report: what ``ogi parse`` prints and the corpus stores.

Values are ``int`` or ``float`` as printed (``7926.3139`` stays a float), and
``None`` for a cell that is blank or could not be read — never ``0``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Union

Number = Union[int, float]
Value = Optional[Number]


def any_value(requests: dict, proactive: dict, review: list) -> bool:
    """Whether any of the three tables gave a number (a printed blank is no value): the same for a
    ``Report`` and for its ``to_dict()``."""
    return (any(v is not None for vec in requests.values() for v in vec)
            or any(v is not None for v in review)
            or any(x is not None for v in proactive.values() for x in (v if isinstance(v, list) else (v,))))


@dataclass
class Region:
    """Administrative region as printed names (province, prefecture-level city, county-level unit)."""

    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None


@dataclass
class Check:
    """One identity evaluated at one place, or one value the parser inferred or could not decide.

    ``rule`` is a code from ``ogi.schema.IDENTITIES`` or ``PARSER_RULES``;
    ``scope`` names the column, row or group it was evaluated on; ``ok`` is
    ``None`` when blank cells leave the rule undecidable.
    """

    rule: str
    ok: Optional[bool]
    detail: str
    scope: str = ""
    left: Value = None
    right: Value = None
    cells: list[str] = field(default_factory=list)
    candidates: Optional[list] = None

    def to_dict(self) -> dict[str, Any]:
        d = {"rule": self.rule, "ok": self.ok, "detail": self.detail, "scope": self.scope,
             "left": self.left, "right": self.right, "cells": list(self.cells)}
        if self.candidates is not None:
            d["candidates"] = self.candidates
        return d


@dataclass
class Report:
    """A parsed report. ``to_dict`` gives the JSON object of ``ogi parse --json``."""

    source: str
    status: str = "failed"
    messages: list[str] = field(default_factory=list)
    agency: Optional[str] = None
    year: Optional[int] = None
    published: Optional[str] = None
    region: Region = field(default_factory=Region)
    templates: dict[str, Optional[str]] = field(default_factory=dict)
    proactive: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, list[Value]] = field(default_factory=dict)
    review_litigation: list[Value] = field(default_factory=list)
    sections: dict[str, Optional[str]] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    format: Optional[str] = None
    encoding: Optional[str] = None
    sha256: str = ""
    parser_version: str = ""

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "messages": list(self.messages),
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "region": {"province": self.region.province, "city": self.region.city, "county": self.region.county},
            "templates": dict(self.templates),
            "proactive": {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in self.proactive.items()},
            "requests": {k: list(v) for k, v in self.requests.items()},
            "review_litigation": list(self.review_litigation),
            "sections": dict(self.sections),
            "checks": [c.to_dict() for c in self.checks],
            "format": self.format,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "parser_version": self.parser_version,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        """Rebuild a Report from ``to_dict`` output (the corpus cache stores that)."""
        d = dict(d)
        d["region"] = Region(**(d.get("region") or {}))
        d["checks"] = [Check(**c) for c in d.get("checks") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})
