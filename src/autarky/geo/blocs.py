"""Blocs: named groupings of economies, bundled as data (``autarky/data/blocs.yaml``) and user-editable.

Every bundled bloc names the rule that defines it (``description``), the public source of its membership
(``source``, and ``source_url`` where there is one page to point at) and the date its membership is
stated as of (``as_of``: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -- the last change of membership the
source records, e.g. Sweden joining NATO on 2024-03-07).  A bundled bloc without a source or an as-of
date is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from autarky.errors import DataError
from autarky.geo.economies import iso3_codes

__all__ = ["Bloc", "bundled_as_of", "bundled_blocs", "validate_bloc"]

_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Bloc:
    name: str
    members: tuple[str, ...]
    description: str = ""
    source: str = ""
    origin: str = "bundled"
    as_of: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD: the membership is stated as of this date
    source_url: str | None = None


def validate_bloc(name: str, members: list[str]) -> tuple[str, ...]:
    """Check a bloc's name and members; returns members as sorted unique ISO3."""
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise DataError(f"bloc name {name!r}: use letters, digits, '_' or '-'")
    bad = [m for m in members if m.upper() not in iso3_codes()]
    if bad:
        raise DataError(f"bloc {name}: not ISO3 economies: {', '.join(bad)}")
    if not members:
        raise DataError(f"bloc {name}: no members")
    return tuple(sorted({m.upper() for m in members}))


def _spec_text(spec: dict[str, object], key: str) -> str:
    return " ".join(str(spec.get(key) or "").split())


@lru_cache(maxsize=1)
def _bundled() -> tuple[Bloc, ...]:
    import yaml  # only when the bundled blocs are read (not at every process start)

    text = resources.files("autarky.data").joinpath("blocs.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    out = []
    for name, spec in raw.items():
        source, as_of = _spec_text(spec, "source"), _spec_text(spec, "as_of")
        if not source:
            raise DataError(f"bundled bloc {name}: no source")
        if not _AS_OF.match(as_of):
            raise DataError(f"bundled bloc {name}: as_of {as_of!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        out.append(Bloc(
            name=name,
            members=validate_bloc(name, list(spec["members"])),
            description=_spec_text(spec, "description"),
            source=source,
            as_of=as_of,
            source_url=_spec_text(spec, "source_url") or None,
        ))
    return tuple(out)


def bundled_blocs() -> list[Bloc]:
    """The blocs shipped in ``autarky/data/blocs.yaml``, each with its source and as-of date."""
    return list(_bundled())


def bundled_as_of() -> dict[str, str]:
    """Bundled bloc name -> the date its membership is stated as of (for listing blocs beside the store's)."""
    return {b.name: b.as_of for b in _bundled() if b.as_of}
