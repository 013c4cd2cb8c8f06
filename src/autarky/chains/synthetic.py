"""Generated supply-chain maps of any size and depth, for benchmarks and scale tests (never user data).

:func:`layered_map` builds a :class:`~autarky.chains.map.ChainMap` straight from arrays: ``layers`` tiers
of nodes, the first supplied by three or four countries each (shares summing to 100), every later node
requiring ``fanin`` nodes of the previous ``reach`` tiers; processes carry three stages by depth, and the
last tier's nodes are final outputs.  Deterministic for a seed.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from autarky.chains.map import PROVISION_SCHEMA, ChainMap, DatasetInfo, Provider, Stage

__all__ = ["COUNTRIES", "layered_map"]

COUNTRIES = ("USA", "JPN", "NLD", "CHN", "KOR", "TWN", "DEU", "FRA", "GBR", "SGP", "MYS", "ISR")


def layered_map(
    n: int, *, layers: int = 30, fanin: int = 3, reach: int = 3, outputs: int = 8, seed: int = 7
) -> ChainMap:
    """A layered map of ``n`` nodes (see the module docstring)."""
    if layers < 2 or n < layers * 2:
        raise ValueError("need at least two layers and two nodes per layer")
    rng = np.random.default_rng(seed)
    sizes = np.full(layers, n // layers)
    sizes[0] += n - int(sizes.sum())
    starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    src_parts, dst_parts = [], []
    for k in range(1, layers):
        dst = np.repeat(np.arange(starts[k], starts[k + 1]), fanin)
        lo = starts[max(0, k - reach)]
        src = rng.integers(lo, starts[k], size=dst.size)
        src_parts.append(src)
        dst_parts.append(dst)
    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    keep = np.unique(src * n + dst)  # no duplicate requirement
    src, dst = keep // n, keep % n
    ids = np.array([f"N{i}" for i in range(n)], dtype=object)
    layer = np.repeat(np.arange(layers), sizes)
    stage = np.array(["S1", "S2", "S3"], dtype=object)[np.minimum(2, (layer * 3) // layers)]
    stage[layer == 0] = None
    ntype = np.where(layer == 0, "tool_resource", "process").astype(object)
    last = np.arange(starts[-2], starts[-1])
    out_ids = last[: max(1, min(outputs, last.size))]
    ntype[out_ids] = "ultimate_output"
    stage[out_ids] = None
    nodes = pl.DataFrame(
        {
            "node_id": ids.tolist(),
            "name": [f"node {i}" for i in range(n)],
            "type": ntype.tolist(),
            "stage_id": stage.tolist(),
        },
        schema={"node_id": pl.Utf8, "name": pl.Utf8, "type": pl.Utf8, "stage_id": pl.Utf8},
    )
    edges = pl.DataFrame(  # with the endpoints' positions, as a store's load gives them
        {"src": ids[src].tolist(), "dst": ids[dst].tolist(), "kind": ["goes_into"] * int(src.size),
         "si": src, "di": dst},
        schema={"src": pl.Utf8, "dst": pl.Utf8, "kind": pl.Utf8, "si": pl.Int64, "di": pl.Int64},
    )
    supplied = np.arange(starts[1])
    k = 3
    node = np.repeat(supplied, k)
    country = np.array(COUNTRIES, dtype=object)[rng.integers(0, len(COUNTRIES), size=node.size)]
    share = np.round(rng.dirichlet(np.ones(k), size=supplied.size).ravel() * 100, 1)
    prov = pl.DataFrame(
        {
            "provider_id": country.tolist(),
            "node_id": ids[node].tolist(),
            "year": np.full(node.size, 2025, np.int32),
            "share": share,
            "negligible": None,
            "share_view": "hq",
            "source": None,
            "source_line": np.arange(2, node.size + 2, dtype=np.int32),
            "provider_type": "country",
            "country": country.tolist(),
        },
        schema=PROVISION_SCHEMA,
    )
    # a country supplying a node twice is one holder with the sum
    return ChainMap(
        DatasetInfo(dataset_id=0, name=f"synthetic-{n}", kind="chains", vintage="generated"),
        [Stage("S1", "stage 1"), Stage("S2", "stage 2"), Stage("S3", "stage 3")],
        nodes,
        edges,
        [Provider(c, c, "country", c) for c in COUNTRIES],
        prov,
    )
