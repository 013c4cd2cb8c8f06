"""Row handlers shared by the ETO and generic readers: from a CSV row to a :class:`MapBuilder` call, once.

The two formats hold the same things under other column names.  Each names its columns
(:class:`StageColumns`, :class:`NodeColumns`, :class:`ProviderColumns`, :class:`ProvisionColumns`) and
subclasses :class:`MapReader`, whose loops do what is common: the row guard (extra cells, placeholder
rows, missing ids), node and provider types, share / flag / year parsing, and the quarantine reasons
that go with them.  What a format does its own way it says in a hook:

* :meth:`MapReader.stage_view`: the share view of a stage (ETO reads the chart caption; the generic
  format has a ``share_view`` column);
* :meth:`MapReader.provider_country`: a provider's ISO3 economy;
* :meth:`MapReader.provision_view`, :meth:`MapReader.provision_negligible`,
  :meth:`MapReader.provision_added`: a share row's view, its negligible flag, and any note once kept.

A handler or hook sets its row aside by raising :class:`BadCell`; the loop quarantines it with the
cell's column, value and the reason.  Edges differ in shape between the formats (ETO's two target
columns, the generic ``kind`` column), so each format reads its own through :meth:`MapReader.read_rows`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from autarky.chains._build import MapBuilder, normalise_node_type, normalise_provider_type
from autarky.chains._csvio import CsvTable
from autarky.chains._values import BadValue, Share, is_placeholder, parse_flag, parse_share, parse_year

__all__ = [
    "BadCell",
    "Cells",
    "MapReader",
    "NodeColumns",
    "ProviderColumns",
    "ProvisionColumns",
    "ProvisionRow",
    "StageColumns",
    "cell",
]

Cells = list[str | None]
T = TypeVar("T")


class BadCell(Exception):
    """A cell that sets its row aside: the column to quarantine under, and the reason."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def cell(t: CsvTable, cells: Cells, column: str, parse: Callable[[str | None], T]) -> T:
    """``column``'s cell parsed; a :class:`BadValue` becomes a :class:`BadCell` for that column."""
    try:
        return parse(t.get(cells, column))
    except BadValue as exc:
        raise BadCell(column, str(exc)) from exc


@dataclass(frozen=True)
class StageColumns:
    id: str
    name: str
    description: str = "description"


@dataclass(frozen=True)
class NodeColumns:
    id: str
    name: str
    market_size: str
    source: str
    type: str = "type"
    stage_id: str = "stage_id"
    description: str = "description"
    year: str = "year"


@dataclass(frozen=True)
class ProviderColumns:
    name: str
    type: str
    id: str = "provider_id"
    alias: str = "alias"
    country: str = "country"


@dataclass(frozen=True)
class ProvisionColumns:
    node: str
    share: str
    negligible: str
    provider: str = "provider_id"
    year: str = "year"
    source: str = "source"
    names: tuple[str, ...] = ()  # name columns also checked for placeholder rows


@dataclass(frozen=True)
class ProvisionRow:
    """A share row's parsed cells, before its format decides the view and the negligible flag."""

    provider_id: str
    node_id: str
    share: Share
    flag: bool | None  # the negligible column's cell; None when blank or the column is absent
    year: int | None
    source: str | None


class MapReader:
    """The shared loops; a format subclass sets the four column classes and the hooks it needs."""

    stage_columns: ClassVar[StageColumns]
    node_columns: ClassVar[NodeColumns]
    provider_columns: ClassVar[ProviderColumns]
    provision_columns: ClassVar[ProvisionColumns]

    def __init__(self, builder: MapBuilder) -> None:
        self.b = builder

    # -- the loop and its guard --------------------------------------------------------------------------
    def bad(self, t: CsvTable, line: int, cells: Cells, field: str, reason: str) -> None:
        self.b.quarantine(t.name, line, field, t.get(cells, field), reason, t.raw(cells))

    def guard(self, t: CsvTable, line: int, cells: Cells, ids: tuple[str, ...], names: tuple[str, ...]) -> bool:
        """Common row checks: no cells past the header, no placeholder id or name, every id given."""
        extra = [c for c in cells[len(t.header) :] if c is not None]
        if extra:
            reason = f"row has {len(cells)} fields, the header {len(t.header)}"
            self.b.quarantine(t.name, line, None, ", ".join(extra), reason, t.raw(cells))
            return False
        for c in ids + names:
            if is_placeholder(t.get(cells, c)):
                self.bad(t, line, cells, c, f"placeholder or test row ({t.get(cells, c)!r})")
                return False
        for c in ids:
            if t.get(cells, c) is None:
                self.bad(t, line, cells, c, f"no {c}")
                return False
        return True

    def read_rows(
        self, t: CsvTable, ids: tuple[str, ...], names: tuple[str, ...], handle: Callable[[int, Cells], object]
    ) -> None:
        """``handle`` each guarded row; a :class:`BadCell` it raises quarantines the row."""
        for line, cells in t:
            if not self.guard(t, line, cells, ids, names):
                continue
            try:
                handle(line, cells)
            except BadCell as exc:
                self.bad(t, line, cells, exc.column, exc.reason)

    # -- tables ------------------------------------------------------------------------------------------
    def read_stages(self, t: CsvTable) -> None:
        c = self.stage_columns
        self.read_rows(t, (c.id,), (c.name,), lambda line, cells: self._stage(t, line, cells))

    def read_nodes(self, t: CsvTable) -> None:
        c = self.node_columns
        self.read_rows(t, (c.id,), (c.name,), lambda line, cells: self._node(t, line, cells))

    def read_providers(self, t: CsvTable) -> None:
        c = self.provider_columns
        self.read_rows(t, (c.id,), (c.name,), lambda line, cells: self._provider(t, line, cells))

    def read_provision(self, t: CsvTable) -> None:
        c = self.provision_columns
        self.read_rows(t, (c.provider, c.node), c.names, lambda line, cells: self._provision(t, line, cells))

    # -- hooks -------------------------------------------------------------------------------------------
    def stage_view(self, t: CsvTable, cells: Cells) -> str:
        """'hq' or 'site': what the stage's country shares measure."""
        raise NotImplementedError

    def provider_country(
        self, provider_id: str, name: str, provider_type: str, alias: str | None, given: str | None
    ) -> str | None:
        """The provider's ISO3 economy (``given`` is the country column's cell); None if not one economy."""
        raise NotImplementedError

    def provision_view(self, t: CsvTable, cells: Cells, row: ProvisionRow) -> str:
        """'hq' or 'site' for a share row."""
        raise NotImplementedError

    def provision_negligible(self, t: CsvTable, row: ProvisionRow) -> bool | None:
        """A share cell reading negligible ('negligible', '<1%') wins over the flag column."""
        return True if row.share.negligible else row.flag

    def provision_added(self, t: CsvTable, line: int, row: ProvisionRow) -> None:
        """Called for each share row kept; nothing by default."""

    # -- rows --------------------------------------------------------------------------------------------
    def _stage(self, t: CsvTable, line: int, cells: Cells) -> None:
        c = self.stage_columns
        view = self.stage_view(t, cells)
        sid = t.get(cells, c.id) or ""
        self.b.add_stage(
            stage_id=sid,
            name=t.get(cells, c.name) or sid,
            description=t.get(cells, c.description),
            share_view=view,
            file=t.name,
            line=line,
            raw=t.raw(cells),
        )

    def _node(self, t: CsvTable, line: int, cells: Cells) -> None:
        c = self.node_columns
        ntype = normalise_node_type(t.get(cells, c.type))
        if ntype is None:
            raise BadCell(c.type, f"unknown node type {t.get(cells, c.type)!r}")
        year = cell(t, cells, c.year, parse_year)
        nid = t.get(cells, c.id) or ""
        self.b.add_node(
            node_id=nid,
            name=t.get(cells, c.name) or nid,
            type=ntype,
            stage_id=t.get(cells, c.stage_id),
            description=t.get(cells, c.description),
            year=year,
            market_size=t.get(cells, c.market_size),
            source=t.get(cells, c.source),
            file=t.name,
            line=line,
            raw=t.raw(cells),
        )

    def _provider(self, t: CsvTable, line: int, cells: Cells) -> None:
        c = self.provider_columns
        ptype = normalise_provider_type(t.get(cells, c.type))
        if ptype is None:
            raise BadCell(c.type, f"unknown provider type {t.get(cells, c.type)!r} (country or organization)")
        pid = t.get(cells, c.id) or ""
        name = t.get(cells, c.name) or pid
        alias = t.get(cells, c.alias)
        self.b.add_provider(
            provider_id=pid,
            name=name,
            alias=alias,
            provider_type=ptype,
            country=self.provider_country(pid, name, ptype, alias, t.get(cells, c.country)),
            file=t.name,
            line=line,
            raw=t.raw(cells),
        )

    def _provision(self, t: CsvTable, line: int, cells: Cells) -> None:
        c = self.provision_columns
        row = ProvisionRow(
            provider_id=t.get(cells, c.provider) or "",
            node_id=t.get(cells, c.node) or "",
            share=cell(t, cells, c.share, parse_share),
            flag=cell(t, cells, c.negligible, parse_flag) if t.has(c.negligible) else None,
            year=cell(t, cells, c.year, parse_year),
            source=t.get(cells, c.source),
        )
        view = self.provision_view(t, cells, row)
        kept = self.b.add_provision(
            provider_id=row.provider_id,
            node_id=row.node_id,
            year=row.year,
            share=row.share.pct,
            negligible=self.provision_negligible(t, row),
            share_view=view,
            source=row.source,
            file=t.name,
            line=line,
            raw=t.raw(cells),
            node_field=c.node,
            provider_field=c.provider,
        )
        if kept:
            self.provision_added(t, line, row)
