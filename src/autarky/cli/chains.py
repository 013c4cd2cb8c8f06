"""CLI for supply-chain maps: ``chains show|compare``, ``chokepoints``, ``scenario export-control``.

Every command parses its arguments, calls the library (:mod:`autarky.chains`) and renders what it
returns as a table, CSV or JSON; nothing is computed here.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from autarky.chains import country_shares, firm_shares, load_map
from autarky.chains.compare import compare_vintages
from autarky.chains.map import ChainMap
from autarky.chains.measures import Thresholds, chokepoints, node_measures
from autarky.chains.scenario import (
    ExportControl,
    Outcome,
    ScenarioResult,
    as_range,
    export_control,
    export_control_timeline,
    resolve_against,
)
from autarky.cli.app import app, console, get_store
from autarky.cli.render import Format
from autarky.errors import UsageError
from autarky.figures import Figure
from autarky.store import Store

__all__ = ["chains_app", "scenario_app"]

chains_app = typer.Typer(help="Supply-chain maps: show a node, compare two vintages.", no_args_is_help=True)
scenario_app = typer.Typer(help="Scenarios on the supply-chain map (export controls).", no_args_is_help=True)
app.add_typer(chains_app, name="chains")
app.add_typer(scenario_app, name="scenario")


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store file.", show_default=False)]
DatasetOpt = Annotated[
    int | None, typer.Option("--dataset", help="Map dataset id (default: latest ETO map).", show_default=False)
]


def _map(store: Store, dataset: int | None) -> ChainMap:
    return load_map(store, dataset)


def _provenance(cmap: ChainMap) -> str:
    d = cmap.dataset
    return f"[dim]{d.name} {d.vintage} (dataset {d.dataset_id}); {d.publisher or ''}; licence {d.licence}[/dim]"


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: Format, title: str = "") -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
        return
    if fmt is Format.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})
        return
    table = Table(title=title or None, show_lines=False, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*["" if r.get(c) is None else str(r.get(c)) for c in columns])
    console.print(table)


def _pct(x: float | None) -> str:
    return "" if x is None else (f"{x:.1f}%" if x < 9.95 else f"{x:.0f}%")


# -- chains show ---------------------------------------------------------------------------------------


@chains_app.command("show")
def show(
    node: Annotated[str, typer.Argument(help="Node or stage id or name, e.g. N20 or 'EUV lithography tools'.")],
    year: Annotated[int | None, typer.Option(help="Share year (default: latest for the node).")] = None,
    view: Annotated[str, typer.Option(help="hq, site or auto.")] = "auto",
    target: Annotated[str | None, typer.Option(help="Economy or bloc for self share and dependence.")] = None,
    fmt: FormatOpt = Format.table,
    dataset: DatasetOpt = None,
    store: StoreOpt = None,
) -> None:
    """A node: what it is, where it sits, who supplies it, how concentrated it is."""
    st = get_store(store, ensure_data=True)
    cmap = _map(st, dataset)
    nid = cmap.resolve(node)
    members = st.resolve(target).members if target else frozenset()
    m = node_measures(cmap, nid, members, (), year, view)
    shares = country_shares(cmap, nid, year, view)
    firms = firm_shares(cmap, nid, year, view if view != "auto" else (m.view or "hq"))
    info: dict[str, Any] = {
        "id": nid,
        "name": m.name,
        "type": cmap.nodes[nid].type if nid in cmap.nodes else "stage",
        "stage": m.stage_id,
        "description": m.description,
        "year": m.year,
        "view": m.view,
        "hhi": m.hhi.to_dict(),
        "countries_to_75": m.countries_to_75.point,
        "countries_to_75_figure": m.countries_to_75.to_dict(),
        "self_share": None if m.self_share is None else m.self_share.to_dict(),
        "foreign_dependence": None if m.foreign_dependence is None else m.foreign_dependence.to_dict(),
        "criticality": m.criticality.share,
        "bounds": list(m.criticality.labels),
        "needed_for": list(m.needed_for),
        "inputs": list(cmap.inputs_of(nid)),
        "goes_into": list(cmap.outputs_of(nid)),
        "variants": list(cmap.variants_of(nid)),
        "type_of": cmap.class_of(nid),
        "holders": [h.to_dict() for h in m.shares.holders],
        "countries": [s._asdict() for s in shares],
        "firms": [f._asdict() for f in firms],
        "dataset": {"name": cmap.dataset.name, "vintage": cmap.dataset.vintage, "licence": cmap.dataset.licence},
    }
    if fmt is Format.json:
        sys.stdout.write(json.dumps(info, indent=2, default=str) + "\n")
        return
    if fmt is Format.csv:
        _emit(
            [{"iso3": s.iso3 or "other", "share_pct": s.share_pct, "qualitative": s.qualitative} for s in shares],
            ["iso3", "share_pct", "qualitative"],
            fmt,
        )
        return
    console.print(
        f"[bold]{nid} {m.name}[/bold] ({info['type']}; stage {m.stage_id or '-'}; {m.view} view; year {m.year or '-'})"
    )
    for label, key in (("inputs", "inputs"), ("goes into", "goes_into"), ("variants", "variants")):
        if info[key]:
            console.print(f"  {label}: " + ", ".join(cmap.label(x) for x in info[key]))
    if info["type_of"]:
        console.print(f"  variant of: {cmap.label(info['type_of'])}")
    console.print(
        f"  HHI {_fig_text(m.hhi, 3, '')}; countries to reach 75%: "
        f"{_fig_text(m.countries_to_75, 0, '')}; needed for: {', '.join(m.needed_for) or '-'}"
    )
    if m.description:
        console.print(f"  {m.description}")
    if target:
        console.print(
            f"  {target}: self share {_fig_text(m.self_share)}, foreign dependence "
            f"{_fig_text(m.foreign_dependence, 2, '')}"
        )
    _emit(
        [{"holder": h.label, "share": _fig_text(h.share), "basis": h.share.basis.value, "note": h.share.note or ""}
         for h in m.shares.holders],
        ["holder", "share", "basis", "note"],
        fmt,
        "Shares (intervals where the map does not pin them down)",
    )
    if firms:
        _emit(
            [{"firm": f.name, "hq": f.iso3 or "-", "share": _pct(f.share_pct) or f.qualitative} for f in firms],
            ["firm", "hq", "share"],
            fmt,
            "Firms",
        )
    console.print(_provenance(cmap))


# -- chains compare ------------------------------------------------------------------------------------


@chains_app.command("compare")
def compare(
    vintage: Annotated[list[str], typer.Option("--vintage", help="Two vintages: release (2026-08) or year (2019).")],
    target: Annotated[str, typer.Option(help="Economy or bloc whose chokepoints are compared.")] = "CHN",
    map_name: Annotated[str | None, typer.Option("--map", help="Map dataset name.")] = None,
    top: Annotated[int, typer.Option(help="Share changes to list.")] = 20,
    fmt: FormatOpt = Format.table,
    store: StoreOpt = None,
) -> None:
    """Compare two vintages: share changes, chokepoints that appeared or disappeared."""
    if len(vintage) != 2:
        raise UsageError("give --vintage twice, e.g. --vintage 2019 --vintage 2025")
    st = get_store(store, ensure_data=True)
    res = st.resolve(target)
    c = compare_vintages(st, vintage[0], vintage[1], target=res.members, target_label=res.label, name=map_name)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(c.to_dict(), indent=2, default=str) + "\n")
        return
    rows = [
        {
            "node": f"{x.node_id} {x.name}",
            "country": x.iso3 or "other",
            "before": _pct(x.before_pct),
            "after": _pct(x.after_pct),
            "change_pp": f"{x.delta_pct:+.1f}",
        }
        for x in sorted(c.changes, key=lambda x: (-abs(x.delta_pct), x.node_id))[:top]
    ]
    _emit(
        rows,
        ["node", "country", "before", "after", "change_pp"],
        fmt,
        f"Share changes {c.label_a} → {c.label_b} (nodes with shares in both)",
    )
    if fmt is Format.csv:
        return
    console.print(
        f"nodes with shares in both: {len(c.hhi_changes)}; only in {c.label_a}: {len(c.only_a)}; "
        f"only in {c.label_b}: {len(c.only_b)}"
    )
    for label, items in (
        (f"chokepoints for {c.target_label} that appeared", c.appeared),
        (f"chokepoints for {c.target_label} that disappeared", c.disappeared),
        (f"chokepoints among nodes with shares only in {c.label_a}", c.chokepoints_only_a),
        (f"chokepoints among nodes with shares only in {c.label_b}", c.chokepoints_only_b),
    ):
        console.print(f"[bold]{label}[/bold]: {len(items)}")
        for cp in items[:top]:
            console.print(f"  {cp.node_id} {cp.explanation}")


# -- chokepoints ---------------------------------------------------------------------------------------


@app.command("chokepoints")
def chokepoints_cmd(
    economy: Annotated[str, typer.Argument(help="Target economy or bloc, e.g. CHN or EU27.")],
    bloc: Annotated[str | None, typer.Option(help="Also show the share a bloc holds, e.g. US_ALLIES.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only nodes feeding this stage (id or name).")] = None,
    top: Annotated[int, typer.Option(help="Rows to show.")] = 15,
    all_nodes: Annotated[bool, typer.Option("--all", help="Rank every node, not only flagged chokepoints.")] = False,
    min_dependence: Annotated[float | None, typer.Option(help="Threshold: foreign dependence (0-1).")] = None,
    min_concentration: Annotated[float | None, typer.Option(help="Threshold: HHI of foreign supply (0-1).")] = None,
    min_score: Annotated[float | None, typer.Option(help="Threshold: chokepoint score (0-1).")] = None,
    min_control: Annotated[
        float | None, typer.Option(help="Threshold: largest foreign economy's share (0-1).")] = None,
    min_criticality: Annotated[
        float | None, typer.Option(help="Threshold: share of capability units the node bounds (0-1).")] = None,
    year: Annotated[int | None, typer.Option(help="Share year (default: latest per node).")] = None,
    fmt: FormatOpt = Format.table,
    dataset: DatasetOpt = None,
    store: StoreOpt = None,
) -> None:
    """Rank an economy's chokepoints: dependence × concentration × criticality × no substitute."""
    st = get_store(store, ensure_data=True)
    cmap = _map(st, dataset)
    res = st.resolve(economy)
    bres = st.resolve(bloc) if bloc else None
    ranked = chokepoints(
        cmap,
        res.members,
        target_label=res.label,
        bloc=bres.members if bres else (),
        bloc_label=bres.label if bres else None,
        stage=stage,
        year=year,
        min_dependence=min_dependence,
        min_concentration=min_concentration,
        min_score=min_score,
        min_control=min_control,
        min_criticality=min_criticality,
    )
    shown = ranked if all_nodes else [c for c in ranked if c.is_chokepoint or c.possible]
    if fmt is Format.json:
        sys.stdout.write(json.dumps([c.to_dict() for c in shown[:top]], indent=2, default=str) + "\n")
        return
    rows = [
        {
            "rank": c.rank,
            "node": c.node_id,
            "name": c.name,
            "stage": c.stage_id,
            "flag": "chokepoint" if c.is_chokepoint else ("possibly" if c.possible else ""),
            "score": _fig_text(c.score, 3, ""),
            "dependence": _fig_text(c.foreign_dependence, 3, ""),
            "concentration": _fig_text(c.foreign_concentration, 3, ""),
            "criticality": _fig_text(c.criticality, 3, ""),
            "no_substitute": round(c.substitute_absence, 3),
            "self_share": _fig_text(c.self_share),
            "bloc_share": _fig_text(c.bloc_share),
            "year": c.year,
            "explanation": c.explanation,
        }
        for c in shown[:top]
    ]
    cols = ["rank", "node", "flag", "score", "dependence", "concentration", "self_share"]
    if bloc:
        cols.append("bloc_share")
    cols.append("explanation")
    if fmt is Format.table:
        _emit(
            rows,
            cols,
            fmt,
            f"Chokepoints for {res.label}: {sum(c.is_chokepoint for c in ranked)} of {len(ranked)} nodes flagged"
            f" ({sum(c.possible for c in ranked)} more possibly)",
        )
        given = (min_dependence, min_concentration, min_score, min_control, min_criticality)
        console.print(f"  {Thresholds().explain() if all(x is None for x in given) else 'thresholds as given'}")
        console.print(_provenance(cmap))
    else:
        _emit(rows, list(rows[0]) if rows else cols, fmt)


# -- scenario export-control ---------------------------------------------------------------------------


def _fig_text(f: Figure | None, digits: int = 1, unit: str = "%") -> str:
    """A figure as text (faces format figures): a number, an interval, or a word with its interval."""
    if f is None:
        return "—"
    if f.point is not None:
        return f"{f.point:.{digits}f}{unit}"
    span = "" if f.low is None or f.high is None else f"{f.low:.{digits}f}–{f.high:.{digits}f}{unit}"
    return f"{f.label} {span}".strip() if f.label else span


def _outcome_row(o: Outcome) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "stage": o.stage_id,
        "status": o.status_label,
        "available": o.available_label,
        "available_low": round(o.available[0], 4),
        "available_high": round(o.available[1], 4),
        "path": " > ".join(o.path),
        "binding": o.binding,
        "causes": ", ".join(o.causes),
        "explanation": o.explanation,
    }


def _parse_profiles(items: list[str]) -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for item in items:
        name, sep, ids = item.partition(":")
        if not sep or not name.strip() or not ids.strip():
            raise UsageError(f"--profile {item!r}: write NAME:ID,ID (the variants it does without)")
        out.append((name.strip(), frozenset(i.strip() for i in ids.split(",") if i.strip())))
    return tuple(out)


@scenario_app.command("export-control")
def export_control_cmd(
    against: Annotated[str, typer.Option(help="Restricted economies, blocs or firms, e.g. NLD,JPN,USA.")],
    target: Annotated[str, typer.Option(help="Target economy or bloc.")] = "CHN",
    domestic_substitution: Annotated[
        str, typer.Option(help="Share of the lost supply the target replaces: a value or a range like 0-0.3.")
    ] = "0",
    third_country: Annotated[
        str, typer.Option(help="Share of the lost supply unrestricted third countries make up (value or range).")
    ] = "0",
    years: Annotated[int | None, typer.Option(help="Show years 0..N, domestic substitution ramping up.")] = None,
    ramp_years: Annotated[float | None, typer.Option(help="Years to reach full domestic substitution.")] = None,
    lost_below: Annotated[str, typer.Option(help="Lost below this availability (value or range).")] = "0.25",
    ok_from: Annotated[str, typer.Option(help="OK from this availability (value or range).")] = "0.95",
    group: Annotated[
        list[str] | None,
        typer.Option(help="Substitution group of variants, e.g. N21,N22 (repeatable; replaces the map's own)."),
    ] = None,
    no_groups: Annotated[bool, typer.Option(help="No substitution between variants at all.")] = False,
    profile: Annotated[
        list[str] | None,
        typer.Option(help="Capability profile NAME:ID,... doing without these variants, e.g. 'mature-node:N20'."),
    ] = None,
    no_domestic_base: Annotated[
        bool, typer.Option(help="Apply domestic substitution even where the target supplies nothing today.")
    ] = False,
    top: Annotated[int, typer.Option(help="Lost-at-source nodes and tiers to list.")] = 12,
    fmt: FormatOpt = Format.table,
    dataset: DatasetOpt = None,
    store: StoreOpt = None,
) -> None:
    """What an export control breaks: stages, final outputs, tiers and nodes, lost or degraded, with paths."""
    st = get_store(store, ensure_data=True)
    cmap = _map(st, dataset)
    econ, firms, label = resolve_against(cmap, against, st.resolve)
    tres = st.resolve(target)
    groups = (
        ()
        if no_groups
        else (tuple(frozenset(x.strip() for x in g.split(",") if x.strip()) for g in group) if group else None)
    )
    sc = ExportControl(
        against=econ,
        firms=firms,
        target=tres.members,
        against_label=label,
        target_label=tres.label,
        domestic_substitution=as_range(domestic_substitution, "--domestic-substitution"),
        third_country_substitution=as_range(third_country, "--third-country"),
        ramp_years=ramp_years or 0.0,
        lost_below=as_range(lost_below, "--lost-below"),
        ok_from=as_range(ok_from, "--ok-from"),
        substitution_groups=groups,
        profiles=_parse_profiles(profile or []),
        require_domestic_base=not no_domestic_base,
    )
    timeline: list[ScenarioResult] = export_control_timeline(cmap, sc, years) if years is not None else []
    result = timeline[-1] if timeline else export_control(cmap, sc)
    if fmt is Format.json:
        doc = result.to_dict()
        if timeline:
            doc["timeline"] = [
                {"year": t, "stages": [o.to_dict() for o in r.stages], "outputs": [o.to_dict() for o in r.outputs]}
                for t, r in enumerate(timeline)
            ]
        sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")
        return
    if fmt is Format.csv:
        rows = [
            _outcome_row(o) | {"kind": o.kind} for o in (*result.stages, *result.outputs, *result.tiers, *result.nodes)
        ]
        _emit(rows, ["kind", *_outcome_row(result.nodes[0])], fmt)
        return
    d = sc.describe()
    console.print(f"[bold]Export control: {label} stop supplying {tres.label}[/bold]")
    console.print(
        f"  domestic substitution {d['domestic_substitution']}, third countries "
        f"{d['third_country_substitution']}, lost below {d['lost_below']}, ok from {d['ok_from']}"
        + (f", year {years} of a {sc.ramp_years or years}-year ramp" if years is not None else "")
        + ("" if sc.require_domestic_base else ", domestic substitution without a domestic base")
    )
    cols = ["id", "name", "status", "available", "explanation"]
    _emit([_outcome_row(o) for o in result.stages], cols, fmt, "Stages")
    _emit([_outcome_row(o) for o in result.outputs], cols, fmt, "Final outputs")
    origins = result.origins()[:top]
    rows = []
    for o in origins:
        down = "; ".join(
            f"{cmap.stages[t].name if t in cmap.stages else cmap.name_of(t)}: "
            + " > ".join(cmap.name_of(x) for x in path)
            for t, path in o.downstream
        )
        rows.append(
            {
                "id": o.id,
                "name": o.name,
                "status": o.status_label,
                "available": o.available_label,
                "restricted": o.explanation,
                "needed for (path)": down,
            }
        )
    _emit(
        rows,
        ["id", "status", "restricted", "needed for (path)"],
        fmt,
        f"Lost or degraded at source ({len(result.origins())} nodes; first {len(origins)})",
    )
    tiers = [o for o in result.tiers if o.status[1] != "ok" or o.status[0] != "ok"]
    _emit(
        [_outcome_row(o) for o in tiers[: top * 2]],
        ["name", "status", "available", "explanation"],
        fmt,
        "Capability per tier (final outputs made with each tier of a tiered class)",
    )
    for cap in result.capability:
        console.print(
            f"  {cap.name}: runs at {cap.runs_at[0] or 'no tier'} (worst case) to {cap.runs_at[1] or 'no tier'} "
            f"(best case); lost: {', '.join(cap.lost) or 'none'}; remaining: {', '.join(cap.remaining) or 'none'}"
        )
    for p in result.profiles:
        _emit(
            [_outcome_row(o) for o in (*p.stages, *p.outputs)],
            cols,
            fmt,
            f"Profile {p.name} (without {', '.join(p.without)})",
        )
    if timeline:
        rows = [
            {"year": t, **{o.id: f"{o.status_label} {o.available_label}" for o in (*r.stages, *r.outputs)}}
            for t, r in enumerate(timeline)
        ]
        _emit(rows, list(rows[0]), fmt, "Timeline (domestic substitution ramping up)")
    console.print(_provenance(cmap))
