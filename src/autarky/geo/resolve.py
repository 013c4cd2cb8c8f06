"""Turn what a user typed ('CHN', 'China', 'US_ALLIES', 'NLD,JPN,USA') into a set of ISO3 economies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autarky.errors import UnknownEconomyError
from autarky.geo.economies import suggest, to_iso3

__all__ = ["Resolved", "resolve"]


@dataclass(frozen=True)
class Resolved:
    """A named economy, bloc, or comma-separated list of them, and the ISO3 economies it stands for."""

    label: str
    members: frozenset[str]
    parts: tuple[str, ...]

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.members


def resolve(text: str | Sequence[str], blocs: Mapping[str, Sequence[str]]) -> Resolved:
    """Resolve economies and blocs; a bloc name wins over an economy name only when spelled exactly.

    Raises :class:`UnknownEconomyError` naming the closest valid codes, names and blocs.
    """
    parts = [p.strip() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
    if not parts:
        raise UnknownEconomyError("no economy or bloc given")
    by_upper = {b.upper(): b for b in blocs}
    members: set[str] = set()
    labels: list[str] = []
    for part in parts:
        bloc = by_upper.get(part.upper().replace(" ", "_"))
        if bloc is not None:
            members.update(blocs[bloc])
            labels.append(bloc)
            continue
        iso3 = to_iso3(part)
        if iso3 is None:
            raise UnknownEconomyError(
                f"unknown economy or bloc {part!r}", suggest(part, extra=sorted(blocs))
            )
        members.add(iso3)
        labels.append(iso3)
    return Resolved(label=",".join(labels), members=frozenset(members), parts=tuple(labels))
