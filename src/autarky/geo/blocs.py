"""Blocs: named groupings of economies, bundled as data (``autarky/data/blocs.yaml``) and user-editable."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from autarky.errors import DataError
from autarky.geo.economies import iso3_codes

__all__ = ["Bloc", "bundled_blocs", "validate_bloc"]


@dataclass(frozen=True)
class Bloc:
    name: str
    members: tuple[str, ...]
    description: str = ""
    source: str = ""
    origin: str = "bundled"


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


def bundled_blocs() -> list[Bloc]:
    """The blocs shipped in ``autarky/data/blocs.yaml``."""
    text = resources.files("autarky.data").joinpath("blocs.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return [
        Bloc(
            name=name,
            members=validate_bloc(name, list(spec["members"])),
            description=" ".join(str(spec.get("description", "")).split()),
            source=" ".join(str(spec.get("source", "")).split()),
        )
        for name, spec in raw.items()
    ]
