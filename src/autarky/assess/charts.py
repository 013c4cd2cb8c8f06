"""Vega-Lite specs for the assessment (plain dicts: the report and the dashboard embed them as they are)."""

from __future__ import annotations

from typing import Any

__all__ = ["stage_self_supply_chart"]


def stage_self_supply_chart(rows: list[dict[str, Any]], label: str, stage: str) -> dict[str, Any]:
    """Horizontal bars: the economy's share vs the largest foreign supplier's share, per input of a stage."""
    values: list[dict[str, Any]] = []
    for r in rows:
        if r.get("own_share_pct") is None:
            continue
        values.append({"input": r["input"], "who": f"{label} (own)", "share": r["own_share_pct"],
                       "source": r["source"]})
        if r.get("top_foreign_share_pct") is not None:
            values.append({"input": r["input"], "who": "largest foreign supplier",
                           "share": r["top_foreign_share_pct"], "supplier": r["largest foreign supplier"],
                           "source": r["source"]})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": f"{stage}: {label}'s share vs the largest foreign supplier (% of world market)",
        "width": "container",
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "input", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "who"},
            "x": {"field": "share", "type": "quantitative", "title": "% of world market",
                  "scale": {"domain": [0, 100]}},
            "color": {"field": "who", "type": "nominal", "title": None,
                      "scale": {"range": ["#c0392b", "#7f8c8d"]}, "legend": {"orient": "bottom"}},
            "tooltip": [{"field": "input"}, {"field": "who"}, {"field": "share", "format": ".1f"},
                        {"field": "supplier"}, {"field": "source"}],
        },
    }
