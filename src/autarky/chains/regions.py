"""Regions a map names as a provider instead of one economy: declared as data, with their sources.

``autarky/data/chains/regions.yaml`` declares each region: its code, the names a map may use for it,
its kind and (for a fixed region) its members with the source that defines them:

* ``members`` — a fixed set of ISO3 economies (``EUR``: UN M49 Europe; ``EU27``);
* ``rest`` — every economy a node does not list, on its own or through a listed region ("Various
  countries");
* ``unknown`` — any economy (firms without one headquarters economy, "Various companies").

:func:`region_of` tells which region, if any, a provider stands for; the share measures
(:mod:`autarky.chains.pieces`) attribute a region's share to its members as ``[0, share]`` each and
exactly to a bloc that contains every member.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from autarky.errors import DataError

__all__ = ["KINDS", "Region", "region_of", "regions", "universe"]

RegionKind = Literal["members", "rest", "unknown"]
KINDS: tuple[RegionKind, ...] = ("members", "rest", "unknown")


@dataclass(frozen=True)
class Region:
    """A region a map may name: code, display name, kind, members (for ``members``) and its source."""

    code: str
    name: str
    kind: RegionKind
    names: tuple[str, ...]
    members: frozenset[str]
    definition: str
    source: str
    url: str | None = None

    @property
    def label(self) -> str:
        """'Europe (EUR)', 'Various countries'."""
        return self.name if self.kind != "members" or self.name == self.code else f"{self.name} ({self.code})"


@cache
def universe() -> frozenset[str]:
    """Every ISO3 economy autarky knows (country_converter): the members of ``rest`` and ``unknown``."""
    from autarky.geo.economies import iso3_codes

    return iso3_codes()


@cache
def regions() -> tuple[Region, ...]:
    """The declared regions, in file order (validated: known kinds, unique names; that the members are
    ISO3 economies is checked by the test suite, so reading the file needs no country tables)."""
    text = resources.files("autarky.data").joinpath("chains/regions.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out: list[Region] = []
    seen: dict[str, str] = {}
    for code, spec in raw.items():
        kind = spec.get("kind")
        if kind not in KINDS:
            raise DataError(f"regions.yaml: region {code}: kind must be one of {', '.join(KINDS)}")
        members = frozenset(str(m).upper() for m in spec.get("members") or ())
        if kind == "members" and not members:
            raise DataError(f"regions.yaml: region {code}: a fixed region needs members")
        names = tuple(str(n) for n in spec.get("names") or (code,))
        for n in names:
            key = n.strip().lower()
            if key in seen:
                raise DataError(f"regions.yaml: name {n!r} of {code} is also a name of {seen[key]}")
            seen[key] = str(code)
        out.append(
            Region(
                code=str(code),
                name=str(spec.get("name") or code),
                kind=kind,
                names=names,
                members=members,
                definition=" ".join(str(spec.get("definition", "")).split()),
                source=" ".join(str(spec.get("source", "")).split()),
                url=spec.get("url"),
            )
        )
    return tuple(out)


@cache
def _by_name() -> dict[str, Region]:
    return {n.strip().lower(): r for r in regions() for n in r.names}


def region_of(name: str | None, alias: str | None, country: str | None, provider_type: str) -> Region | None:
    """The region a provider stands for, or None when it is one economy (or unknown to the regions file).

    The provider's name, then its aliases (``;``-separated), then its country cell are matched against the
    regions' names.  A firm matched to ``rest`` ("Various countries" as its country) has no one
    headquarters economy: it is attributed as ``unknown``.
    """
    table = _by_name()
    candidates = [name, *((alias or "").split(";")), country]
    for text in candidates:
        if not text or not text.strip():
            continue
        region = table.get(text.strip().lower())
        if region is None:
            continue
        if provider_type != "country" and region.kind == "rest":
            return next(r for r in regions() if r.kind == "unknown")
        if provider_type == "country" and region.kind == "unknown":
            return next(r for r in regions() if r.kind == "rest")
        return region
    return None
