"""The overview at the top of an assessment: the headline figure of each section, with its source."""

from __future__ import annotations

from typing import Any

from autarky.assess.model import Assessment, Section

__all__ = ["overview_section"]


def _row(measure: str, value: Any, source: str, link: str) -> dict[str, Any]:
    return {"measure": measure, "value": value, "source": source, "section": link}


def overview_section(a: Assessment) -> Section:
    """One row per headline figure, taken from the sections already built (nothing is recomputed)."""
    rows: list[dict[str, Any]] = []
    for sec in a.sections:
        if sec.key.startswith("stage:") and sec.rows:
            total = sec.rows[0]
            if str(total["input"]).endswith("(stage total)"):
                view = "capacity by site" if total["view"] == "site" else "by supplier HQ"
                rows.append(_row(f"{sec.key[6:]}: {a.economy}'s share of the world market ({view})",
                                 total[f"{a.economy} share"], str(total["source"]), sec.key))
        elif sec.key == "chokepoints" and sec.rows:
            names = ", ".join(str(r["input"]) for r in sec.rows[:3])
            rows.append(_row("chokepoints flagged (top 3)", names, str(sec.rows[0]["source"]), sec.key))
        elif sec.key == "scenario":
            hit = [f"{r['stage or output']}: {r['status']} ({r['available']} available)" for r in sec.rows
                   if not str(r["stage or output"]).startswith("tier:") and r["status"] != "ok"]
            rows.append(_row(sec.title, "; ".join(hit) if hit else "every stage ok",
                             str(sec.rows[0]["source"]) if sec.rows else "", sec.key))
        elif sec.key == "money:flows" and sec.rows:
            rows.append(_row("state investment in the ledger (deals with a sourced amount)",
                             ", ".join(f"phase {r['phase']}: {r['CNY']} CNY" for r in sec.rows),
                             str(sec.rows[0]["source"]), sec.key))
        elif sec.key == "trade:dependence" and sec.rows:
            semis = [r for r in sec.rows if r["sector"] == "semiconductors"]
            if semis:
                r = semis[-1]
                rows.append(_row(f"semiconductor imports {r['year']} (top suppliers)",
                                 f"{r['imports']} ({r['top suppliers']})", str(r["source"]), sec.key))
        elif sec.key == "io:trajectory":
            for r in sec.rows:
                if r.get("sector") == "17":
                    cols = [c for c in sec.columns if c.startswith("SSR ")]
                    rows.append(_row("computer & electronics industry self-sufficiency (IO, Q/(Q+M−X))",
                                     " → ".join(f"{r[c]} ({c[4:]})" for c in cols), str(r["source"]), sec.key))
    datasets = dict.fromkeys(f"{p.dataset} {p.vintage}" + (f" ({p.licence})" if p.licence else "")
                             for sec in a.sections for p in sec.sources)
    return Section(key="overview", title=f"Overview: {a.economy}", columns=["measure", "value", "source"],
                   terminal_columns=["measure", "value"], rows=rows,
                   notes=["Headline figures from the sections below, each with its source there.",
                          "Datasets: " + "; ".join(datasets) + "."])
