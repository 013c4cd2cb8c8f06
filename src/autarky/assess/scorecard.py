"""The supply-chain scorecard of an economy: self-supply and foreign suppliers by stage and input.

For every stage of the map and every input that feeds it (tools, materials, design resources):

* **own share** — the percent of the global market held by providers headquartered in the economy (or
  bloc), as a figure (:func:`autarky.chains.node_shares`): a number where the data give one, an interval
  where they do not (a provider listed without a number, a share given for a region such as Europe);
* **largest foreign supplier** — the country outside the economy with the largest share, and that share;
* **HHI** (0–1) and **countries to 75%** of the node's country shares (``autarky.chains``).

HHI and countries to 75% are intervals where the data do not pin them down.  The **most concentrated
inputs the economy does not supply** are those where its share is exactly zero, ranked by the low end of
HHI (then by countries to 75%).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from autarky.assess.model import Provenance, Section
from autarky.chains import ChainMap, node_shares
from autarky.chains.shares import node_rows
from autarky.figures import Figure
from autarky.geo.economies import name_of

__all__ = ["InputRow", "node_provenance", "scorecard", "scorecard_sections"]

INPUT_TYPES = ("tool_resource", "material_resource", "design_resource")


@dataclass(frozen=True)
class InputRow:
    stage: str
    node_id: str
    node: str
    kind: str
    view: str
    own_share: Figure  # percent: reported, derived, bounded (within a region) or qualitative ("major")
    own_is_provider: bool
    top_foreign: str | None
    top_foreign_share: Figure | None
    hhi: Figure
    countries_to_75: Figure
    provenance: Provenance


def node_provenance(cmap: ChainMap, node_id: str, view: str) -> Provenance:
    """The dataset, vintage, year and provision.csv lines behind a node's shares in ``view``."""
    rows = node_rows(cmap, node_id, view=view)
    year = int(rows["year"].max()) if rows.height else None  # type: ignore[arg-type]
    lines = tuple(int(x) for x in rows["source_line"].drop_nulls().to_list())
    sources = [s for s in rows["source"].drop_nulls().unique(maintain_order=True).to_list() if s]
    d = cmap.dataset
    return Provenance(dataset=d.name, dataset_id=d.dataset_id, vintage=d.vintage, licence=d.licence, year=year,
                      file="provision.csv", lines=lines, source=sources[0] if sources else None)


def _row(cmap: ChainMap, stage: str, node_id: str, members: frozenset[str], view: str, label: str) -> InputRow:
    ns = node_shares(cmap, node_id, view=view)
    own = ns.share_of(members, label)
    own_is_provider = any(h.kind == "economy" and h.holder in members for h in ns.holders)
    foreign = [h for h in ns.holders if h.kind == "economy" and h.holder not in members and h.share.point is not None]
    top = max(foreign, key=lambda h: (h.share.point or 0.0, h.holder), default=None)
    node = cmap.nodes.get(node_id)
    return InputRow(
        stage=stage, node_id=node_id, node=cmap.name_of(node_id), kind=node.type if node else "stage",
        view=view, own_share=own, own_is_provider=own_is_provider,
        top_foreign=top.holder if top else None, top_foreign_share=top.share if top else None,
        hhi=ns.hhi, countries_to_75=ns.countries_to_reach(0.75),
        provenance=node_provenance(cmap, node_id, view),
    )


def scorecard(cmap: ChainMap, members: frozenset[str], label: str = "") -> list[InputRow]:
    """One row per (stage, input) and one per stage total, in map order."""
    out: list[InputRow] = []
    has_rows = set(cmap.provision.select(pl.col("node_id")).unique().to_series().to_list())
    for stage_id, stage in cmap.stages.items():
        if stage_id in has_rows:
            out.append(_row(cmap, stage.name, stage_id, members, stage.share_view, label))
        for node in cmap.nodes.values():
            if node.type in INPUT_TYPES and node.node_id in has_rows and stage_id in cmap.stages_of(node.node_id):
                out.append(_row(cmap, stage.name, node.node_id, members, "hq", label))
    return out


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def _fig(f: Figure | None, digits: int = 1, unit: str = "%") -> str:
    """A figure as text: a number, an interval, or a word with its interval (faces format figures)."""
    if f is None:
        return "—"
    if f.point is not None:
        return f"{f.point:.{digits}f}{unit}"
    lo, hi = f.low, f.high
    span = "" if lo is None or hi is None else f"{lo:.{digits}f}–{hi:.{digits}f}{unit}"
    if f.label:
        return f"{f.label}{' ' + span if span else ''}"
    return span


def _count(f: Figure) -> int | str | None:
    if f.point is not None:
        return int(f.point)
    if f.low is None or f.high is None:
        return f.label
    return f"{int(f.low)}–{int(f.high)}"


def _own(r: InputRow, label: str) -> str:
    text = _fig(r.own_share)
    return f"{text} ({r.own_share.note})" if r.own_share.note and r.own_share.point is None else text


def _own_short(r: InputRow) -> str:
    return _fig(r.own_share)


_QUAL_NOTE = ("Shares the data do not pin down are intervals: a provider listed without a number (\"major\") "
              "holds between 0 and what the listed numbers leave; a share given for a region (ETO's "
              "\"Europe\") or for \"Various countries\" is attributed to each possible member as 0 up to it.")


def _hhi(f: Figure) -> float | str | None:
    if f.point is not None:
        return round(f.point, 3)
    if f.low is None or f.high is None:
        return f.label
    return f"{f.low:.3f}–{f.high:.3f}"


def scorecard_sections(cmap: ChainMap, members: frozenset[str], label: str, top: int = 10) -> list[Section]:
    """The scorecard by stage, and the ``top`` most concentrated inputs the economy does not supply."""
    rows = scorecard(cmap, members, label)
    d = cmap.dataset
    dataset_note = (f"Source: {d.publisher or d.name}, {d.name} release {d.vintage} ({d.licence}); shares are "
                    "percent of the global market by supplier headquarters (HQ view) unless marked site.")
    sections: list[Section] = []
    terminal = ["input", "own", "largest foreign", "HHI", "to 75%", "year"]
    cols = ["input", "type", "view", f"{label} share", "largest foreign supplier", "foreign share", "HHI",
            "countries to 75%", "source"]
    for stage in dict.fromkeys(r.stage for r in rows):
        sec = Section(key=f"stage:{stage}", title=f"{stage}: self-supply of {label}", columns=cols,
                      notes=[dataset_note, _QUAL_NOTE], terminal_columns=terminal)
        for r in (r for r in rows if r.stage == stage):
            sec.rows.append({
                "node_id": r.node_id,
                "input": r.node if r.kind != "stage" else f"{r.node} (stage total)",
                "type": r.kind.replace("_resource", ""),
                "view": r.view,
                f"{label} share": _own(r, label),
                "largest foreign supplier": (f"{r.top_foreign} ({name_of(r.top_foreign)})"
                                             if r.top_foreign else "—"),
                "foreign share": _fig(r.top_foreign_share),
                "HHI": _hhi(r.hhi),
                "countries to 75%": _count(r.countries_to_75),
                "source": r.provenance.short(),
                "source_brief": r.provenance.brief(),
                "own": _own_short(r),
                "largest foreign": f"{r.top_foreign} {_fig(r.top_foreign_share)}" if r.top_foreign else "—",
                "to 75%": _count(r.countries_to_75),
                "year": f"{r.provenance.year}{' site' if r.view == 'site' else ''}",
                "own_share_pct": r.own_share.point,
                "own_share": r.own_share.to_dict(),
                "top_foreign_share_pct": None if r.top_foreign_share is None else r.top_foreign_share.point,
            })
            sec.sources.append(r.provenance)
        sections.append(sec)

    gaps = sorted(
        (r for r in rows if r.kind != "stage" and r.own_share.point == 0.0 and r.hhi.low is not None),
        key=lambda r: (-(r.hhi.low or 0.0), r.countries_to_75.low or 99, r.node_id),
    )
    seen: set[str] = set()
    gap_sec = Section(
        key="gaps", title=f"The {top} most concentrated inputs {label} does not supply itself",
        columns=["input", "stages", "HHI", "countries to 75%", "largest supplier", "share", "source"],
        notes=[dataset_note, "Ranked by HHI of the country shares (1 = a single country)."],
        terminal_columns=["input", "HHI", "to 75%", "supplier", "year"],
    )
    for r in gaps:
        if r.node_id in seen:
            continue
        seen.add(r.node_id)
        gap_sec.rows.append({
            "node_id": r.node_id, "input": r.node,
            "stages": ", ".join(cmap.stages[s].name for s in cmap.stages_of(r.node_id)),
            "HHI": _hhi(r.hhi), "countries to 75%": _count(r.countries_to_75),
            "largest supplier": f"{r.top_foreign} ({name_of(r.top_foreign)})" if r.top_foreign else "—",
            "share": _fig(r.top_foreign_share), "source": r.provenance.short(),
            "source_brief": r.provenance.brief(),
            "supplier": f"{r.top_foreign} {_fig(r.top_foreign_share)}" if r.top_foreign else "—",
            "to 75%": _count(r.countries_to_75),
            "year": r.provenance.year,
        })
        gap_sec.sources.append(r.provenance)
        if len(gap_sec.rows) == top:
            break
    sections.append(gap_sec)
    return sections
