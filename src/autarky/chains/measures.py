"""Measures per node for a target economy or bloc, and the chokepoint ranking.

Per node (one view and year, :func:`autarky.chains.supply.supply_table`):

* ``self_share_pct``: the share of the global market the target's own economies supply (percent);
* ``foreign_dependence`` = 1 − self share (fraction): under the market-share proxy (the target buys on
  the world market in proportion to suppliers' shares) the part of its supply that comes from abroad;
* ``foreign_concentration``: HHI of the *foreign* supply, ``Σ_{c∉T} s_c² / (Σ_{c∉T} s_c)²`` (0–1;
  other/unattributed suppliers count as many small ones, i.e. ~0);
* ``bloc_share_pct``: the share held by a named bloc (e.g. who controls the node);
* ``criticality``: the share of the map's final outputs that depend on the node (or, for a map without
  final outputs, of its stages), through ``goes_into`` and ``is_type_of`` edges; ``needed_for`` names them;
* ``substitute_absence``: 1 if the node has no declared substitute variant; else the lowest foreign
  dependence among its substitutes (a fully domestic substitute makes it 0).

**Chokepoint score** = foreign_dependence × foreign_concentration × criticality × substitute_absence,
each in 0–1.  A node is flagged a chokepoint when the score is at least ``min_score`` *and* the
dependence and concentration reach ``min_dependence`` and ``min_concentration`` (all parameters).
Qualitative shares enter through the equal-split estimate; such rows are marked ``estimated`` and
their shares are printed with ``~``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from autarky.chains.graph import downstream
from autarky.chains.shares import countries_to_reach, country_shares, hhi
from autarky.chains.supply import firm_index, supplier_index, supply_table
from autarky.errors import UsageError

if TYPE_CHECKING:
    from autarky.chains.map import ChainMap

__all__ = ["Chokepoint", "NodeMeasures", "chokepoints", "criticality", "measures_table", "node_measures"]


@dataclass(frozen=True)
class NodeMeasures:
    node_id: str
    name: str
    stage_id: str | None
    year: int | None
    view: str
    shares: tuple[tuple[str | None, float | None, str | None], ...]  # (iso3, pct, qualitative)
    hhi: float | None
    countries_to_75: int | None
    self_share_pct: float | None
    foreign_dependence: float | None
    foreign_concentration: float | None
    bloc_share_pct: float | None
    criticality: float
    needed_for: tuple[str, ...]
    estimated: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Chokepoint:
    node_id: str
    name: str
    type: str
    stage_id: str | None
    score: float
    is_chokepoint: bool
    foreign_dependence: float
    foreign_concentration: float
    criticality: float
    substitute_absence: float
    self_share_pct: float
    bloc_share_pct: float | None
    top_suppliers: tuple[tuple[str | None, float, tuple[str, ...]], ...]  # (iso3, pct, firm names)
    needed_for: tuple[str, ...]
    substitutes: tuple[str, ...]
    year: int | None
    view: str
    estimated: bool
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def criticality(cmap: ChainMap) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Per node: (share of final outputs — or stages — that depend on it, their ids) (cached)."""
    key = ("criticality",)
    cached = cmap.cache.get(key)
    if isinstance(cached, dict):
        return cached
    desc = downstream(cmap)
    outputs = cmap.outputs()
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for nid in cmap.nodes:
        reach = desc[nid] | {nid}
        stages = tuple(s for s in cmap.stages if any(cmap.nodes[r].stage_id == s for r in reach))
        if outputs:
            hit = tuple(o for o in outputs if o in reach)
            out[nid] = (len(hit) / len(outputs), stages + hit)
        else:
            out[nid] = (len(stages) / len(cmap.stages) if cmap.stages else 0.0, stages)
    cmap.cache[key] = out
    return out


def _pct(x: float) -> str:
    return f"{x:.0f}%" if x >= 9.95 or x == 0 else f"{x:.1f}%"


def _foreign(rows: Sequence[tuple[str | None, float, bool]], target: Collection[str]) -> tuple[float, float, float]:
    """(self share, foreign dependence, foreign concentration) from (iso3, share, estimated) rows."""
    own = sum(s for c, s, _ in rows if c is not None and c in target)
    foreign = [(c, s) for c, s, _ in rows if c is None or c not in target]
    # the foreign supply includes the unlisted remainder (shares summing below 100%): many small suppliers
    total = max(sum(s for _, s in foreign), 1.0 - own)
    dep = max(0.0, min(1.0, 1.0 - own))
    conc = sum(s * s for c, s in foreign if c is not None) / (total * total) if total > 1e-12 else 0.0
    return own, dep, conc


def node_measures(
    cmap: ChainMap,
    node_id: str,
    target: Collection[str] = (),
    bloc: Collection[str] = (),
    year: int | None = None,
    view: str = "hq",
) -> NodeMeasures:
    """Every measure of one node for a target (ISO3 members) and a bloc; see the module docstring."""
    node_id = cmap.resolve(node_id)
    shares = country_shares(cmap, node_id, year, view)
    rows = supplier_index(cmap, view, year).get(node_id, [])
    sel = supply_table(cmap, view, year).filter(pl.col("node_id") == node_id)
    yrs = sel["year"]
    used_view = str(sel["view"][0]) if sel.height else (view if view != "auto" else "hq")
    crit, needed = criticality(cmap).get(node_id, (0.0, ()))
    own, dep, conc = _foreign(rows, target) if rows else (0.0, 0.0, 0.0)
    quantified = any(s.share_pct is not None for s in shares)
    bloc_pct = (100 * sum(s for c, s, _ in rows if c is not None and c in bloc)) if (bloc and rows) else None
    return NodeMeasures(
        node_id=node_id,
        name=cmap.name_of(node_id),
        stage_id=cmap.stage_of(node_id),
        year=int(yrs[0]) if yrs.len() else None,
        view=used_view,
        shares=tuple((s.iso3, s.share_pct, s.qualitative) for s in shares),
        hhi=hhi(shares),
        countries_to_75=countries_to_reach(shares, 0.75),
        self_share_pct=100 * own if (rows and target) else None,
        foreign_dependence=dep if (rows and target) else None,
        foreign_concentration=conc if (rows and target) else None,
        bloc_share_pct=bloc_pct,
        criticality=crit,
        needed_for=needed,
        estimated=any(e for _, _, e in rows) or (bool(shares) and not quantified),
    )


def measures_table(
    cmap: ChainMap, target: Collection[str] = (), bloc: Collection[str] = (), year: int | None = None, view: str = "hq"
) -> pl.DataFrame:
    """:func:`node_measures` for every node with share data, as a Polars frame (one row per node)."""
    st = supply_table(cmap, view, year)
    rows = [
        node_measures(cmap, n, target, bloc, year, view).to_dict()
        for n in cmap.nodes
        if n in set(st["node_id"].to_list())
    ]
    for r in rows:
        r["shares"] = "; ".join(f"{c or 'other'} {f'{p:g}' if p is not None else q}" for c, p, q in r["shares"])
        r["needed_for"] = ",".join(r["needed_for"])
    return pl.DataFrame(rows)


def chokepoints(
    cmap: ChainMap,
    target: Collection[str],
    *,
    target_label: str | None = None,
    bloc: Collection[str] = (),
    bloc_label: str | None = None,
    stage: str | None = None,
    year: int | None = None,
    view: str = "auto",
    min_dependence: float = 0.5,
    min_concentration: float = 0.25,
    min_score: float = 0.2,
    substitution_groups: Sequence[frozenset[str]] | None = None,
) -> list[Chokepoint]:
    """Rank the nodes with share data by chokepoint score for ``target``, highest first (ties by id)."""
    if not target:
        raise UsageError("chokepoints need a target economy or bloc")
    for name, v in (
        ("min_dependence", min_dependence),
        ("min_concentration", min_concentration),
        ("min_score", min_score),
    ):
        if not 0.0 <= v <= 1.0:
            raise UsageError(f"{name} is a fraction in [0, 1] (got {v})")
    if stage is not None:
        stage = cmap.resolve(stage)
        if stage not in cmap.stages:
            raise UsageError(f"{stage!r} is not a stage of {cmap.dataset.name}; stages: {', '.join(cmap.stages)}")
    tlabel = target_label or ",".join(sorted(target))
    index = supplier_index(cmap, view, year)
    firms = firm_index(cmap, view, year)
    years = dict(supply_table(cmap, view, year).group_by("node_id").agg(pl.col("year").first()).iter_rows())
    views = dict(supply_table(cmap, view, year).group_by("node_id").agg(pl.col("view").first()).iter_rows())
    crit = criticality(cmap)
    groups = cmap.substitution_groups if substitution_groups is None else tuple(substitution_groups)
    out: list[Chokepoint] = []
    for nid, node in cmap.nodes.items():
        rows = index.get(nid)
        if not rows:
            continue
        if stage is not None and stage not in cmap.stages_of(nid):
            continue
        own, dep, conc = _foreign(rows, target)
        k, needed = crit.get(nid, (0.0, ()))
        cls = cmap.class_of(nid)
        subs = sorted(
            {v for g in groups if nid in g for v in g if v != nid and (cls is None or cmap.class_of(v) == cls)}
        )
        sub_deps = [_foreign(index[s], target)[1] for s in subs if s in index]
        absence = min([1.0, *sub_deps]) if subs else 1.0
        score = dep * conc * k * absence
        flagged = score >= min_score and dep >= min_dependence and conc >= min_concentration
        top = []
        est = {c: e for c, _, e in rows}
        for c, s, _ in rows[:3]:
            names = tuple(cmap.providers[p].name for p, _ in firms.get((nid, c), [])[:2] if p in cmap.providers)
            top.append((c, 100 * s, names))
        supp = ", ".join(
            ("~" if est.get(c) else "") + f"{_pct(p)} {c or 'other'}" + (f" ({', '.join(n)})" if n else "")
            for c, p, n in top
            if p > 0
        )
        need_names = [cmap.stages[x].name if x in cmap.stages else cmap.name_of(x) for x in needed]
        text = (
            f"{node.name}: {supp}; {tlabel} {_pct(100 * own)}; "
            + (f"substitutes {', '.join(cmap.name_of(s) for s in subs)}" if subs else "no substitute variant")
            + (f"; needed for {', '.join(need_names)}" if need_names else "; nothing downstream depends on it")
        )
        bloc_pct = 100 * sum(s for c, s, _ in rows if c is not None and c in bloc) if bloc else None
        if bloc_pct is not None:
            text += f"; {bloc_label or 'bloc'} holds {_pct(bloc_pct)}"
        out.append(
            Chokepoint(
                node_id=nid,
                name=node.name,
                type=node.type,
                stage_id=cmap.stage_of(nid),
                score=score,
                is_chokepoint=flagged,
                foreign_dependence=dep,
                foreign_concentration=conc,
                criticality=k,
                substitute_absence=absence,
                self_share_pct=100 * own,
                bloc_share_pct=bloc_pct,
                top_suppliers=tuple(top),
                needed_for=needed,
                substitutes=tuple(subs),
                year=years.get(nid),
                view=str(views.get(nid, view)),
                estimated=any(e for _, _, e in rows),
                explanation=text,
            )
        )
    out.sort(key=lambda c: (-round(c.score, 12), c.node_id))
    return out
