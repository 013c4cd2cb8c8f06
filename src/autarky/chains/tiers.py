"""Capability tiers: variant classes whose variants are levels of capability, not complements.

By default a class of variants (``is_type_of``) is a set of complements: the process that consumes it
needs every variant.  A **tiered** class lists its variants as tiers, best first; the consuming process
runs at the best tier whose variants remain available, and everything downstream is reported per tier
(e.g. logic that needs EUV-class lithography, and logic made without it).

Tiers are declared, with their source, in ``autarky/data/chains/tiers.yaml`` per map name, in a generic
map's ``map.yaml`` (``tiers: {class_id: [{label, variants}, ...]}``, kept on the dataset row), or by a
scenario (:attr:`autarky.chains.scenario.ExportControl.tiers`).  Variants a declaration does not name stay
requirements of every tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from autarky.errors import DataError, UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = ["Tier", "TieredClass", "declared_tiers", "parse_tiers", "tiers_for"]


@dataclass(frozen=True)
class Tier:
    """One capability tier of a class: its label, rank (0 = best) and the variants it needs."""

    label: str
    rank: int
    variants: tuple[str, ...]


@dataclass(frozen=True)
class TieredClass:
    """A class whose variants are tiers, best first; ``source`` says what orders them."""

    class_id: str
    tiers: tuple[Tier, ...]
    source: str = ""

    @property
    def tiered_variants(self) -> frozenset[str]:
        return frozenset(v for t in self.tiers for v in t.variants)


@cache
def _bundled() -> dict[str, Any]:
    text = resources.files("autarky.data").joinpath("chains/tiers.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    if not isinstance(raw, dict):
        raise DataError("tiers.yaml must map map names to class declarations")
    return raw


def parse_tiers(spec: Mapping[str, Any], where: str = "tiers") -> dict[str, TieredClass]:
    """``{class_id: {tiers: [{label, variants}], source}}`` or ``{class_id: [{label, variants}, ...]}``."""
    out: dict[str, TieredClass] = {}
    for cls, body in spec.items():
        if isinstance(body, Mapping):
            items, source = body.get("tiers"), str(body.get("source") or "")
        else:
            items, source = body, ""
        if not isinstance(items, Sequence) or isinstance(items, str) or not items:
            raise DataError(f"{where}: class {cls}: give a list of tiers, best first")
        tiers: list[Tier] = []
        for rank, t in enumerate(items):
            if isinstance(t, Mapping):
                label = str(t.get("label") or f"tier {rank + 1}")
                variants = t.get("variants")
            else:
                label, variants = f"tier {rank + 1}", t
            if isinstance(variants, str):
                variants = [variants]
            if not variants:
                raise DataError(f"{where}: class {cls}: tier {label!r} names no variant")
            tiers.append(Tier(label, rank, tuple(str(v) for v in variants)))
        seen: set[str] = set()
        for t in tiers:
            dup = seen & set(t.variants)
            if dup:
                raise DataError(f"{where}: class {cls}: variant(s) {', '.join(sorted(dup))} in two tiers")
            seen |= set(t.variants)
        out[str(cls)] = TieredClass(str(cls), tuple(tiers), " ".join(source.split()))
    return out


def declared_tiers(cmap: ChainMap) -> dict[str, TieredClass]:
    """The tiers declared for this map: the bundled declarations for its dataset name, then the dataset's own
    (a generic map's ``map.yaml``), which win."""
    out: dict[str, TieredClass] = {}
    bundled = _bundled().get(cmap.dataset.name)
    if bundled:
        out.update(parse_tiers(bundled, f"tiers.yaml ({cmap.dataset.name})"))
    own = cmap.dataset.params.get("tiers") if cmap.dataset.params else None
    if own:
        out.update(parse_tiers(own, f"{cmap.dataset.name} map.yaml tiers"))
    return out


def tiers_for(cmap: ChainMap, override: Mapping[str, Any] | None = None) -> dict[str, TieredClass]:
    """The tiered classes to use on ``cmap``: ``override`` (a scenario's) if given, else the declared ones;
    checked against the map (the class exists and each variant is one of its ``is_type_of`` variants).
    A bundled declaration naming nodes this release lacks keeps the tiers it can (a 2022 ETO release has no
    KrF or i-line node); a scenario's own declaration must match the map exactly.  The declared ones are
    worked out once per map (every node page and scenario asks them)."""
    if override is None:
        cached = cmap.cache.get(("tiers",))
        if not isinstance(cached, dict):
            cached = _checked(cmap, declared_tiers(cmap), strict=False)
            cmap.cache[("tiers",)] = cached
        return dict(cached)
    return _checked(cmap, {k: v if isinstance(v, TieredClass) else parse_tiers({k: v}, "scenario tiers")[k]
                           for k, v in override.items()}, strict=True)


def _checked(cmap: ChainMap, chosen: Mapping[str, TieredClass], *, strict: bool) -> dict[str, TieredClass]:
    """``chosen`` as this map has them; ``strict``: every class and variant must be the map's."""
    out: dict[str, TieredClass] = {}
    for cls, tc in chosen.items():
        if not cmap.has_node(cls):
            if strict:
                raise UsageError(f"tiers of {cls}: no node {cls} in {cmap.dataset.name}")
            continue
        variants = set(cmap.variants_of(cls))
        missing = sorted(v for v in tc.tiered_variants if v not in variants)
        if missing and strict:
            raise UsageError(f"tiers of {cls}: {', '.join(missing)} not variants of {cls}")
        # a declaration for another release of the map: keep the tiers whose variants this one has
        kept = [Tier(t.label, t.rank, tuple(v for v in t.variants if v in variants)) for t in tc.tiers]
        kept = [t for t in kept if t.variants]
        if kept:
            out[cls] = TieredClass(cls, tuple(Tier(t.label, k, t.variants) for k, t in enumerate(kept)), tc.source)
    return out
