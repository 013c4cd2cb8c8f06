"""What a set of economies holds of each node, and what a restriction exposes, on arrays (no I/O).

A holder table (:func:`autarky.chains.supply.holder_table`) is compiled once into :class:`Pieces`: one
entry per holder row plus, per node whose unexplained share may sit with economies it does not list
(``unlisted`` in :func:`autarky.chains.supply.node_table`), one implicit ``rest`` piece holding up to ``R``.
Each piece has its reported share ``pct`` (0 if none) and its ``cap`` on the unexplained share ``R``
(``R`` for "major", ``min(R, 2.5)`` for "negligible", else 0).

**Where a piece lies** for a set of economies B (:func:`flags`), with U the economies considered (every
economy autarky knows when any piece is ``rest`` or ``unknown``, else the economies of the sets asked):

* an economy: within B and meeting B when it is in B;
* a fixed region: its members the node does not list on its own (all of them when it lists them all):
  within B when all are in B, meeting B when one is;
* ``rest`` (and the implicit piece): the economies of U the node lists neither on their own nor through a
  region: within B when there are some and all are in B, meeting B when one is;
* ``unknown``: within B when B holds all of U, meeting B when B is not empty.

**Bounds of B** (:func:`set_bounds`, percent)::

    low(B)  = Σ pct of pieces within B  + max(0, R − Σ cap of pieces not within B)
    high(B) = Σ pct of pieces meeting B + min(R, Σ cap of pieces meeting B)

**Exposure** of a target T to restrictions by A (:func:`exposure`), per node, at both ends: worst case
(for T) every piece that may be A's is lost, then every piece that may be T's is domestic; best case only
pieces within A are lost and the rest goes to third countries where it may::

    lost_w     = Σ pct[meets A] + min(R, Σ cap[meets A])
    domestic_w = Σ pct[¬meets A ∧ meets T] + min(R − min(R, Σ cap[meets A]), Σ cap[¬meets A ∧ meets T])
    forced     = max(0, R − Σ cap[¬within A])
    lost_b     = Σ pct[within A] + forced
    third_b    = Σ pct[¬within A ∧ outside] + min(R − forced, Σ cap[¬within A ∧ outside])

(``outside``: the piece may hold an economy outside A and T), each divided by the node's ``total`` and
clipped to [0, 1]; ``third_w = 1 − lost_w − domestic_w`` and ``domestic_b = 1 − lost_b − third_b``.
Restricted firms headquartered outside A and T add their reported share at the best end and, with their
unquantified part of the firms' remainder, at the worst end.

Every sum is a ``bincount`` over the pieces: a set costs a few array passes, whatever the map's size.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from autarky.chains.regions import regions, universe
from autarky.chains.supply import NEGLIGIBLE_PCT, node_table

__all__ = ["Exposure", "Pieces", "compile_pieces", "exposure", "flags", "set_bounds"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

ECONOMY, MEMBERS, REST, UNKNOWN = 0, 1, 2, 3
_KINDS = {"economy": ECONOMY, "members": MEMBERS, "rest": REST, "unknown": UNKNOWN}


@dataclass(frozen=True)
class Pieces:
    """A holder table as arrays (see the module doc); build with :func:`compile_pieces`, treat as read-only.

    Per node (``node_ids``, the node table's order): ``R`` and ``total``.  Per piece: ``node`` (its node's
    position), ``kind``, ``economy`` (position in ``codes`` for an economy, else -1), ``pct``, ``cap``,
    ``qual`` (listed without a number), ``assumed``, ``implicit``.  ``region_piece``/``region_member``: the members each
    region piece stands for; ``covered_node``/``covered_member``: the economies listed (on their own or
    through a region) at the nodes with a ``rest`` or implicit piece.  ``wide``: a piece is ``rest`` or
    ``unknown`` (then U is every economy).
    """

    node_ids: pl.Series
    R: FloatArray
    total: FloatArray
    node: IntArray
    kind: npt.NDArray[np.int8]
    economy: IntArray
    pct: FloatArray
    cap: FloatArray
    qual: BoolArray
    assumed: BoolArray
    implicit: BoolArray
    region_piece: IntArray
    region_member: IntArray
    region_size: IntArray
    covered_node: IntArray
    covered_member: IntArray
    codes: Mapping[str, int]
    wide: bool

    @property
    def n_nodes(self) -> int:
        return len(self.R)

    def per_node(self, weights: FloatArray, where: BoolArray) -> FloatArray:
        """Σ ``weights`` over the pieces ``where`` holds, per node."""
        out = np.bincount(self.node[where], weights=weights[where], minlength=self.n_nodes)
        return out.astype(np.float64, copy=False)

    def any_per_node(self, where: BoolArray) -> BoolArray:
        out: BoolArray = np.bincount(self.node[where], minlength=self.n_nodes) > 0
        return out

    @cached_property
    def position(self) -> dict[str, int]:
        """Node id -> its position in :attr:`node_ids` (built on first use)."""
        return {n: i for i, n in enumerate(self.node_ids.to_list())}

    def restrict(self, ids: Collection[str]) -> Pieces:
        """The pieces of the nodes ``ids`` only (as compiled from the holder table's rows of those nodes)."""
        where = self.position
        keep = np.array(sorted({where[n] for n in ids if n in where}), dtype=np.int64)
        new_node = np.full(self.n_nodes, -1, dtype=np.int64)
        new_node[keep] = np.arange(len(keep))
        kept = new_node[self.node] >= 0
        new_piece = np.cumsum(kept) - 1
        region = kept[self.region_piece]
        covered = new_node[self.covered_node] >= 0
        return Pieces(
            node_ids=self.node_ids.gather(keep), R=self.R[keep], total=self.total[keep], node=new_node[self.node[kept]],
            kind=self.kind[kept], economy=self.economy[kept], pct=self.pct[kept], cap=self.cap[kept],
            qual=self.qual[kept], assumed=self.assumed[kept], implicit=self.implicit[kept],
            region_piece=new_piece[self.region_piece[region]], region_member=self.region_member[region],
            region_size=self.region_size[kept], covered_node=new_node[self.covered_node[covered]],
            covered_member=self.covered_member[covered], codes=self.codes,
            wide=bool(np.any(((self.kind[kept] == REST) | (self.kind[kept] == UNKNOWN)) & ~self.implicit[kept])),
        )

    def mask(self, members: Collection[str]) -> BoolArray:
        """Which of :attr:`codes` are in ``members``."""
        out: BoolArray = np.zeros(len(self.codes), dtype=np.bool_)
        out[[self.codes[c] for c in members if c in self.codes]] = True
        return out


def _int(s: pl.Series) -> IntArray:
    out: IntArray = s.cast(pl.Int64).to_numpy().astype(np.int64, copy=False)
    return out


def compile_pieces(holders: pl.DataFrame, nodes: pl.DataFrame | None = None) -> Pieces:
    """:class:`Pieces` of a holder table (``nodes``: its :func:`node_table`, if already at hand)."""
    nodes = node_table(holders) if nodes is None else nodes
    n_nodes = nodes.height
    index = nodes.select("node_id", pl.int_range(n_nodes, dtype=pl.Int64).alias("_n"))
    members = pl.DataFrame(
        [(r.code, m) for r in regions() for m in sorted(r.members)], schema={"holder": pl.Utf8, "member": pl.Utf8},
        orient="row")
    listed_econ = holders.filter(pl.col("kind") == "economy")["holder"].unique().to_list()
    codes = {c: i for i, c in enumerate(sorted(universe() | set(listed_econ) | set(members["member"])))}
    code_frame = pl.DataFrame({"member": list(codes), "_c": np.arange(len(codes), dtype=np.int64)})

    rows = holders.select("node_id", "holder", "kind", "pct", "qual", "assumed").join(index, on="node_id")
    rows = rows.with_row_index("_p").join(
        code_frame.rename({"member": "holder", "_c": "_e"}), on="holder", how="left")
    rows = rows.with_columns(pl.when(pl.col("kind") == "economy").then(pl.col("_e")).otherwise(-1).alias("_e"))
    rows = rows.sort("_p")
    R_node = nodes["R"].to_numpy().astype(np.float64)
    node = _int(rows["_n"])
    qual = rows["qual"]
    cap = np.where(qual.eq("major").fill_null(False).to_numpy(), R_node[node],
                   np.where(qual.eq("negligible").fill_null(False).to_numpy(), np.minimum(R_node[node], NEGLIGIBLE_PCT),
                            0.0))

    # a region piece stands for its members the node does not list on its own (all of them if it lists all)
    econ_at = rows.filter(pl.col("kind") == "economy").select("node_id", pl.col("holder").alias("member"))
    reg = rows.filter(pl.col("kind") == "members").select("_p", "node_id", "holder")
    full = reg.join(members, on="holder")
    eff = full.join(econ_at, on=["node_id", "member"], how="anti")
    eff = pl.concat([eff, full.join(eff.select("_p").unique(), on="_p", how="anti")])
    eff = eff.join(code_frame, on="member")
    region_piece, region_member = _int(eff["_p"]), _int(eff["_c"])

    # the nodes whose unlisted economies hold a piece: what they list
    unlisted = nodes.filter(pl.col("unlisted")).select("node_id")
    wide_nodes = pl.concat([rows.filter(pl.col("kind") == "rest").select("node_id"), unlisted]).unique()
    covered = (
        pl.concat([econ_at, eff.select("node_id", "member")])
        .join(wide_nodes, on="node_id", how="semi")
        .unique()
        .join(index, on="node_id")
        .join(code_frame, on="member")
    )
    implicit = _int(unlisted.join(index, on="node_id")["_n"])
    n_imp = len(implicit)
    kinds = rows["kind"].replace_strict(_KINDS, default=UNKNOWN, return_dtype=pl.Int8).to_numpy()
    return Pieces(
        node_ids=nodes["node_id"],
        R=R_node,
        total=nodes["total"].to_numpy().astype(np.float64),
        node=np.concatenate([node, implicit]),
        kind=np.concatenate([kinds, np.full(n_imp, REST, dtype=np.int8)]),
        economy=np.concatenate([_int(rows["_e"]), np.full(n_imp, -1, dtype=np.int64)]),
        pct=np.concatenate([rows["pct"].fill_null(0.0).to_numpy().astype(np.float64), np.zeros(n_imp)]),
        cap=np.concatenate([cap, R_node[implicit]]),
        qual=np.concatenate([qual.is_not_null().to_numpy(), np.zeros(n_imp, dtype=np.bool_)]),
        assumed=np.concatenate([rows["assumed"].fill_null(False).to_numpy(), np.zeros(n_imp, dtype=np.bool_)]),
        implicit=np.concatenate([np.zeros(rows.height, dtype=np.bool_), np.ones(n_imp, dtype=np.bool_)]),
        region_piece=region_piece,
        region_member=region_member,
        region_size=np.bincount(region_piece, minlength=rows.height + n_imp),
        covered_node=_int(covered["_n"]),
        covered_member=_int(covered["_c"]),
        codes=codes,
        wide=bool(rows.filter(pl.col("kind").is_in(["rest", "unknown"])).height),
    )


def flags(p: Pieces, sets: Mapping[str, Collection[str]]) -> tuple[dict[str, tuple[BoolArray, BoolArray]], BoolArray]:
    """Per named set B: (within B, meets B) per piece; and per piece whether it may hold an economy outside
    every set (see the module doc)."""
    uni = universe()
    scope = uni if p.wide else frozenset().union(*(frozenset(v) for v in sets.values()))
    named = {k: frozenset(v) & scope for k, v in sets.items()}
    n_u = len(uni)
    u_mask = p.mask(uni)
    # the economies of U a rest piece may stand for: U less what its node lists
    rest_n = (n_u - np.bincount(p.covered_node, weights=u_mask[p.covered_member], minlength=p.n_nodes))[p.node]
    n_pieces = len(p.node)
    is_econ, is_reg, is_rest, is_unknown = (p.kind == k for k in (ECONOMY, MEMBERS, REST, UNKNOWN))
    econ = np.where(is_econ, p.economy, 0)

    def one(members: frozenset[str]) -> tuple[BoolArray, BoolArray]:
        mask = p.mask(members)
        in_u = mask & u_mask  # the rest counts only economies of U
        in_econ = is_econ & mask[econ]
        reg_in = np.bincount(p.region_piece, weights=mask[p.region_member], minlength=n_pieces)
        n_b = len(members & uni)  # the set within U for the rest (U is every economy when a piece is rest)
        rest_in = (n_b - np.bincount(p.covered_node, weights=in_u[p.covered_member], minlength=p.n_nodes))[p.node]
        within = (in_econ | (is_reg & (reg_in == p.region_size) & (p.region_size > 0))
                  | (is_rest & (rest_n > 0) & (rest_in == rest_n)) | (is_unknown & (n_b >= n_u)))
        meets = in_econ | (is_reg & (reg_in > 0)) | (is_rest & (rest_in > 0)) | (is_unknown & (n_b > 0))
        return within, meets

    out = {k: one(v) for k, v in named.items()}
    outside = ~one(frozenset().union(*named.values()))[0]
    return out, outside


def set_bounds(holders: pl.DataFrame, members: Collection[str]) -> pl.DataFrame:
    """Per node: the share (percent) a set of economies holds, as ``low``, ``high`` (see the module doc),
    with ``assumed`` (an assumed share entered) and ``complete`` (low == high)."""
    p = compile_pieces(holders)
    within, meets = flags(p, {"B": members})[0]["B"]
    low = p.per_node(p.pct, within) + np.maximum(0.0, p.R - p.per_node(p.cap, ~within))
    high = p.per_node(p.pct, meets) + np.minimum(p.R, p.per_node(p.cap, meets))
    return pl.DataFrame({
        "node_id": p.node_ids, "low": low, "high": high, "assumed": p.any_per_node(p.assumed & meets),
        "complete": np.abs(high - low) < 1e-9,
    }).sort("node_id")


@dataclass(frozen=True)
class Exposure:
    """Per node (aligned with the ids asked for), as fractions of the node's market, at both ends of what
    the data allow: ``*_w`` the worst case for the target (most restricted, least from third countries),
    ``*_b`` the best case.

    ``lost`` the restricted share, ``domestic`` the target's, ``third`` unrestricted others'; ``base``
    whether the target is a listed provider (a base to substitute from); ``has_data``; ``assumed``;
    ``bounded`` (the two ends differ because of shares the data do not pin down).
    """

    lost_w: FloatArray
    domestic_w: FloatArray
    third_w: FloatArray
    base_w: BoolArray
    lost_b: FloatArray
    domestic_b: FloatArray
    third_b: FloatArray
    base_b: BoolArray
    has_data: BoolArray
    assumed: BoolArray
    bounded: BoolArray


def _firm_shares(firm_rows: pl.DataFrame, firms: Collection[str], excluded: frozenset[str]) -> pl.DataFrame:
    """Per node, the share of restricted firms headquartered outside ``excluded``: ``f_lo`` (reported) and
    ``f_hi`` (with their unquantified part of the firms' remainder)."""
    outside = ~pl.col("iso3").is_in(list(excluded)).fill_null(False)
    f = firm_rows.filter(pl.col("provider_id").is_in(list(firms)) & outside)
    pool = (
        firm_rows.group_by("node_id")
        .agg(pl.col("pct").sum().alias("_fr"), pl.col("qual").is_not_null().any().alias("_fq"))
        .with_columns(
            pl.when(pl.col("_fq")).then(pl.max_horizontal(pl.lit(0.0), 100.0 - pl.col("_fr"))).otherwise(0.0)
            .alias("_fR")
        )
    )
    return (
        f.join(pool, on="node_id", how="left")
        .group_by("node_id")
        .agg(
            pl.col("pct").sum().alias("f_lo"),
            pl.when(pl.col("qual") == "major")
            .then(pl.col("_fR"))
            .when(pl.col("qual") == "negligible")
            .then(pl.min_horizontal(pl.col("_fR"), pl.lit(NEGLIGIBLE_PCT)))
            .otherwise(0.0)
            .sum()
            .alias("f_q"),
            pl.col("_fR").first().alias("_fR"),
        )
        .select("node_id", "f_lo", (pl.col("f_lo") + pl.min_horizontal(pl.col("_fR"), pl.col("f_q"))).alias("f_hi"))
    )


def exposure(
    holders: pl.DataFrame,
    ids: Sequence[str] | pl.Series,
    against: Collection[str],
    target: Collection[str],
    firms: Collection[str] = (),
    firm_rows: pl.DataFrame | None = None,
    *,
    positions: pl.DataFrame | None = None,
    nodes: pl.DataFrame | None = None,
    pieces: Pieces | None = None,
) -> Exposure:
    """Restricted, domestic and third-country shares per node at both ends (see :class:`Exposure` and the
    module doc).  ``positions`` (:func:`autarky.chains.supply.positions`) when ``ids`` is the whole map in
    order; ``nodes`` or ``pieces`` when already built from ``holders``."""
    against, target = frozenset(against), frozenset(target)
    p = compile_pieces(holders, nodes) if pieces is None else pieces
    (sets, out) = flags(p, {"A": against, "T": target})
    (inA, ovA), (inT, ovT) = sets["A"], sets["T"]
    R = p.R
    cA_w = p.per_node(p.cap, ovA)
    L_w = p.per_node(p.pct, ovA) + np.minimum(R, cA_w)
    D_w = p.per_node(p.pct, ~ovA & ovT) + np.minimum(R - np.minimum(R, cA_w), p.per_node(p.cap, ~ovA & ovT))
    forced = np.maximum(0.0, R - p.per_node(p.cap, ~inA))
    L_b = p.per_node(p.pct, inA) + forced
    O_b = p.per_node(p.pct, ~inA & out) + np.minimum(R - forced, p.per_node(p.cap, ~inA & out))
    # base: the target listed on its own (any share), or possibly within a region / the rest
    base_w = p.any_per_node((p.kind == ECONOMY) & inT)
    base_b = p.any_per_node(ovT & ((p.pct > 0) | (p.cap > 0) | p.qual))
    assumed = p.any_per_node(p.assumed)
    total = p.total
    node_ids = p.node_ids
    if firms and firm_rows is not None:
        fl = _firm_shares(firm_rows, firms, against | target)
        at = fl.join(node_ids.to_frame().with_row_index("_n"), on="node_id", how="left")
        extra = at.filter(pl.col("_n").is_null())["node_id"]  # nodes with firm rows only
        grow = len(extra)
        if grow:
            node_ids = pl.concat([node_ids, extra])
            L_w, D_w, L_b, O_b, R = (np.concatenate([a, np.zeros(grow)]) for a in (L_w, D_w, L_b, O_b, R))
            base_w, base_b, assumed = (np.concatenate([a, np.zeros(grow, np.bool_)]) for a in (base_w, base_b, assumed))
            total = np.concatenate([total, np.zeros(grow)])
        where = np.concatenate([_int(at["_n"].drop_nulls()), np.arange(p.n_nodes, p.n_nodes + grow)])
        f_lo, f_hi = np.zeros(len(node_ids)), np.zeros(len(node_ids))
        ordered = pl.concat([at.filter(pl.col("_n").is_not_null()), at.filter(pl.col("_n").is_null())])
        f_lo[where] = ordered["f_lo"].fill_null(0.0).to_numpy()
        f_hi[where] = ordered["f_hi"].fill_null(0.0).to_numpy()
        total = np.where(total <= 0, 100.0, total)
        L_w, L_b, O_b = L_w + f_hi, L_b + f_lo, np.maximum(0.0, O_b - f_lo)
    lost_w = np.clip(L_w / total, 0.0, 1.0)
    domestic_w = np.clip(D_w / total, 0.0, 1.0)
    lost_b = np.clip(L_b / total, 0.0, 1.0)
    third_b = np.clip(O_b / total, 0.0, 1.0)
    third_w = np.clip(1.0 - lost_w - domestic_w, 0.0, 1.0)
    domestic_b = np.clip(1.0 - lost_b - third_b, 0.0, 1.0)
    bounded = (np.abs(lost_w - lost_b) > 1e-12) | (np.abs(third_w - third_b) > 1e-12) | (base_w != base_b)

    # scatter to the ids asked for: by map position, or by name
    n = len(ids)
    if positions is not None:
        placed = node_ids.to_frame().with_row_index("_r").join(positions, on="node_id", how="inner")
        src, dst = _int(placed["_r"]), _int(placed["_i"])
    elif isinstance(ids, pl.Series):
        asked = ids.rename("node_id").cast(pl.Utf8).to_frame().with_row_index("_i")
        placed = asked.join(node_ids.to_frame().with_row_index("_r"), on="node_id", how="inner")
        src, dst = _int(placed["_r"]), _int(placed["_i"])
    else:  # a few ids (a restriction's scope): looked up one by one
        row_of = p.position if node_ids is p.node_ids else {nid: r for r, nid in enumerate(node_ids.to_list())}
        pairs = [(row_of[nid], i) for i, nid in enumerate(ids) if nid in row_of]
        src = np.array([r for r, _ in pairs], dtype=np.int64)
        dst = np.array([i for _, i in pairs], dtype=np.int64)

    def arr(values: FloatArray) -> FloatArray:
        full: FloatArray = np.zeros(n)
        full[dst] = values[src]
        return full

    def barr(values: BoolArray) -> BoolArray:
        full: BoolArray = np.zeros(n, dtype=np.bool_)
        full[dst] = values[src]
        return full

    has: BoolArray = np.zeros(n, dtype=np.bool_)
    has[dst] = True
    return Exposure(
        lost_w=arr(lost_w), domestic_w=arr(domestic_w), third_w=arr(third_w), base_w=barr(base_w),
        lost_b=arr(lost_b), domestic_b=arr(domestic_b), third_b=arr(third_b), base_b=barr(base_b),
        has_data=has, assumed=barr(assumed), bounded=barr(bounded),
    )
