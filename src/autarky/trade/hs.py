"""The Harmonized System: the 2022 nomenclature, the UN concordances between revisions, and conversion.

Loading (``autarky import hs FOLDER``), one dataset and one transaction per file:

* ``harmonized-system.csv`` (+ ``sections.csv``): HS 2022 codes at 2, 4 and 6 digits with parent and
  section (datasets/harmonized-system, ODC-PDDL-1.0) → ``hs_products`` (sections as level-0 rows);
* ``HS_consolidated_comtrade_concordances.csv``: links between adjacent revisions 1992…2022 built from
  the UN Statistics Division correlation tables (Harvard Growth Lab, Apache-2.0) → ``hs_concordance``,
  in both directions.  Codes lost their leading zeros in that file and get them back (six digits).
  Its SITC links (adjustments before 1992) are not HS and are skipped, with a data warning;
* BACI's ``product_codes_HS*_V*.csv`` (loaded with a BACI release) → ``hs_products`` of that revision.

**Weights.**  A source code linked to n target codes (a 1:n or n:n link) has its value split among them.
The stored weight is the *equal split*, ``1/n`` for each target: the UN tables say which codes a code
became, not in which proportions.  :func:`trade_weights` replaces it with value-proportional weights,
``w(a→b) = T(b) / Σ_{b'∈targets(a)} T(b')`` where ``T`` is world trade of the target codes in a reference
period already in the target revision (the approach of Pierce & Schott and of the Growth Lab's
conversion tables); codes without reference trade keep the equal split.  Weights of a code always sum
to 1, so converting never creates or loses value.  Conversions across several revisions chain the
adjacent steps and multiply weights (HS92 → HS96 → … → HS22).

For a long series, note that CEPII publishes every BACI year back to 1995 in HS92 as well: converting
is needed only when revisions are mixed.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import polars as pl
import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store, hash_paths
from autarky.trade.codes import REVISION_YEAR, REVISIONS, revision

log = logging.getLogger(__name__)

__all__ = [
    "conversion_table",
    "convert_flows",
    "load_hs",
    "load_product_codes",
    "revision_steps",
    "trade_weights",
]

NOMENCLATURE_FILE = "harmonized-system.csv"
SECTIONS_FILE = "sections.csv"
CONCORDANCE_FILE = "HS_consolidated_comtrade_concordances.csv"
_ADJ = re.compile(r"^\s*(\d{4})\s+to\s+(\d{4})\s*$")
_YEAR_REV = {y: r for r, y in REVISION_YEAR.items()}


def _read_csv(path: Path, label: str, required: tuple[str, ...], data: bytes | None = None) -> pl.DataFrame:
    try:
        df = pl.read_csv(data if data is not None else path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise FormatError(f"cannot read as CSV: {exc}".splitlines()[0], path=label) from exc
    df = df.rename({c: c.lstrip("\ufeff").strip() for c in df.columns})
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise FormatError(f"missing column(s) {', '.join(missing)}; found {', '.join(df.columns)}",
                          path=label, line=1, field=missing[0])
    if df.height == 0:
        raise FormatError("no data rows (only a header)", path=label, line=2)
    return df.with_row_index("source_line", offset=2).with_columns(pl.col("source_line").cast(pl.Int32))


# -- loading -----------------------------------------------------------------------------------------------
def _load_nomenclature(store: Store, path: Path, sections: Path | None) -> ImportResult:
    files = [path] + ([sections] if sections else [])
    pkg = path.parent / "datapackage.json"
    version = "2022"
    if pkg.exists():
        try:
            version = str(json.loads(pkg.read_text(encoding="utf-8-sig")).get("version", version))
        except (ValueError, OSError):
            log.warning("%s: unreadable datapackage.json; vintage defaults to 2022", pkg)
    meta = DatasetMeta(
        name="hs-nomenclature", kind="hs", vintage=f"HS22 ({version})", content_hash=hash_paths(files),
        publisher="World Customs Organization, via UN Comtrade (datasets/harmonized-system)",
        licence="ODC-PDDL-1.0", attribution="Harmonized System 2022, datasets/harmonized-system (datahub.io)",
        source=str(path.parent),
    )
    df = _read_csv(path, str(path), ("section", "hscode", "description", "parent", "level"))
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = df.height
        root = df.filter(pl.col("hscode") == "TOTAL")
        if root.height:
            imp.skip(root.height, f"{path.name}: the root row 'TOTAL' (all commodities) is not a product code")
            df = df.filter(pl.col("hscode") != "TOTAL")
        code_ok = pl.col("hscode").str.contains(r"^\d{2}(\d{2}){0,2}$")
        level_ok = pl.col("level").cast(pl.Int32, strict=False) == pl.col("hscode").str.len_chars()
        good = df.filter(code_ok & level_ok.fill_null(False))
        for r in df.filter(~(code_ok & level_ok.fill_null(False))).iter_rows(named=True):
            imp.quarantine(file=path.name, line=r["source_line"], field="hscode", value=r["hscode"],
                           reason="not an HS code of the stated level", raw=None)
        rows = good.select(
            revision=pl.lit("HS22"), code="hscode", description="description",
            parent=pl.when(pl.col("parent") == "TOTAL").then(pl.col("section")).otherwise(pl.col("parent")),
            level=pl.col("level").cast(pl.Int32), section="section", source_line="source_line")
        imp.insert("hs_products", rows.to_arrow())
        if sections is not None:
            sec = _read_csv(sections, str(sections), ("section", "name"))
            imp.rows_read += sec.height
            imp.insert("hs_products", sec.select(
                revision=pl.lit("HS22"), code="section", description="name", parent=pl.lit(None, pl.String),
                level=pl.lit(0, pl.Int32), section="section", source_line="source_line").to_arrow())
    return imp.result


def _links(df: pl.DataFrame) -> pl.DataFrame:
    """Both directions of each adjacent-revision link, with equal-split weights."""
    newer = df.select("from_rev_new", "to_rev_old", "code_new", "code_old", "relationship", "source_line")
    fwd = newer.select(from_revision="to_rev_old", from_code="code_old", to_revision="from_rev_new",
                       to_code="code_new", relationship="relationship", source_line="source_line")
    back = newer.select(from_revision="from_rev_new", from_code="code_new", to_revision="to_rev_old",
                        to_code="code_old", relationship="relationship", source_line="source_line")
    both = pl.concat([fwd, back]).unique(["from_revision", "from_code", "to_revision", "to_code"],
                                         keep="first", maintain_order=True)
    n = pl.len().over("from_revision", "from_code", "to_revision")
    return both.with_columns(weight=1.0 / n.cast(pl.Float64))


def _load_concordance(store: Store, path: Path) -> ImportResult:
    meta = DatasetMeta(
        name="hs-concordance", kind="hs", vintage="growthlab-503c5d89", content_hash=hash_paths([path]),
        publisher="Harvard Growth Lab (comtrade-conversion-weights), from UN Statistics Division "
                  "correlation tables", licence="Apache-2.0",
        attribution="Harvard Growth Lab, Comtrade Conversion Weights (2025), doi:10.5281/zenodo.16051508",
        source=str(path), params={"weights": "equal split among the targets of each code"},
    )
    df = _read_csv(path, str(path), ("code.after", "code.before", "Relationship", "adjustment"))
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = df.height
        years = df["adjustment"].str.extract_groups(_ADJ.pattern)
        df = df.with_columns(y_new=years.struct.field("1"), y_old=years.struct.field("2"))
        df = df.with_columns(
            from_rev_new=pl.col("y_new").cast(pl.Int32, strict=False).replace_strict(
                _YEAR_REV, default=None, return_dtype=pl.String),
            to_rev_old=pl.col("y_old").cast(pl.Int32, strict=False).replace_strict(
                _YEAR_REV, default=None, return_dtype=pl.String))
        is_hs = pl.col("from_rev_new").is_not_null() & pl.col("to_rev_old").is_not_null()
        bad_adj = df.filter(pl.col("y_new").is_null())
        for r in bad_adj.iter_rows(named=True):
            imp.quarantine(file=path.name, line=r["source_line"], field="adjustment", value=r["adjustment"],
                           reason="not 'YYYY to YYYY'", raw=None)
        sitc = df.filter(pl.col("y_new").is_not_null() & ~is_hs)
        if sitc.height:
            imp.warn(path.name, f"{sitc.height} SITC links (adjustments before 1992) are not HS links and "
                                "were not loaded")
        hs = df.filter(is_hs)
        digits = pl.col("code.after").str.contains(r"^\d{1,6}$") & pl.col("code.before").str.contains(
            r"^\d{1,6}$")
        for r in hs.filter(~digits).iter_rows(named=True):
            imp.quarantine(file=path.name, line=r["source_line"], field="code.after", value=r["code.after"],
                           reason="not an HS code", raw=None)
        hs = hs.filter(digits).with_columns(
            code_new=pl.col("code.after").str.zfill(6), code_old=pl.col("code.before").str.zfill(6),
            relationship=pl.col("Relationship"))
        dups = hs.height - hs.unique(["from_rev_new", "code_new", "code_old"]).height
        if dups:
            imp.warn(path.name, f"{dups} duplicate links kept once")
        links = _links(hs)
        imp.insert("hs_concordance", links.select(
            "from_revision", "from_code", "to_revision", "to_code", "relationship", "weight",
            "source_line").to_arrow())
    return imp.result


def load_product_codes(store: Store, data: bytes, *, name: str, revision: str, version: str) -> ImportResult:
    """BACI's ``product_codes_HS*_V*.csv`` (``code,description``) → ``hs_products`` of that revision."""
    import hashlib

    digest = hashlib.sha256(name.encode() + b"\0" + data + b"\0").hexdigest()
    meta = DatasetMeta(name=f"baci-products-{revision}", kind="hs", vintage=version, content_hash=digest,
                       publisher="CEPII", licence="Etalab Open Licence 2.0", attribution="CEPII BACI",
                       source=name)
    df = _read_csv(Path(name), name, ("code", "description"), data=data)
    with store.importer(meta) as imp:
        if imp.unchanged:
            return imp.result
        imp.rows_read = df.height
        ok = pl.col("code").str.strip_chars().str.contains(r"^\d{5,6}$")
        for r in df.filter(~ok).iter_rows(named=True):
            imp.quarantine(file=name, line=r["source_line"], field="code", value=r["code"],
                           reason="not an HS6 code", raw=None)
        good = df.filter(ok).with_columns(code=pl.col("code").str.strip_chars().str.zfill(6))
        imp.insert("hs_products", good.select(
            revision=pl.lit(revision), code="code", description="description",
            parent=pl.col("code").str.slice(0, 4), level=pl.lit(6, pl.Int32), section=pl.lit(None, pl.String),
            source_line="source_line").to_arrow())
    return imp.result


def load_hs(store: Store, path: Path, *, progress: Progress | None = None, **options: Any) -> ImportResult:
    """Load the HS nomenclature and/or the concordances from a folder (or one of the files)."""
    from autarky.trade.importing import combine_results

    if options:
        raise UsageError(f"option(s) {', '.join(sorted(options))} do not apply to the HS files")
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder", path=str(path))
    folder = path if path.is_dir() else path.parent
    want = {path.name} if path.is_file() else {NOMENCLATURE_FILE, CONCORDANCE_FILE}
    results: list[ImportResult] = []
    steps = [n for n in (NOMENCLATURE_FILE, CONCORDANCE_FILE) if n in want and (folder / n).exists()]
    if not steps:
        raise MissingFileError(f"{path}: neither {NOMENCLATURE_FILE} nor {CONCORDANCE_FILE} found",
                               path=str(path))
    for n, name in enumerate(steps):
        if progress is not None:
            progress(n, len(steps), f"HS {name}")
        if name == NOMENCLATURE_FILE:
            sec = folder / SECTIONS_FILE
            results.append(_load_nomenclature(store, folder / name, sec if sec.exists() else None))
        else:
            results.append(_load_concordance(store, folder / name))
    if progress is not None:
        progress(len(steps), len(steps), "HS")
    return combine_results(results)


# -- conversion (engine-neutral Ibis) ---------------------------------------------------------------------
def revision_steps(source: str, target: str) -> list[tuple[str, str]]:
    """The adjacent (from, to) revision steps from ``source`` to ``target``."""
    a, b = REVISIONS.index(revision(source)), REVISIONS.index(revision(target))
    if a == b:
        return []
    step = 1 if b > a else -1
    return [(REVISIONS[i], REVISIONS[i + step]) for i in range(a, b, step)]


def conversion_table(links: ir.Table, source: str, target: str) -> ir.Table:
    """``from_code → to_code`` with composed weights, converting ``source`` codes into ``target`` ones.

    ``links`` has the columns of ``hs_concordance`` (from_revision, from_code, to_revision, to_code,
    weight).  Chained steps multiply weights and sum over the paths between two codes.
    """
    steps = revision_steps(source, target)
    if not steps:
        raise UsageError(f"{source} and {target} are the same revision")
    table: ir.Table | None = None
    for frm, to in steps:
        step = links.filter((links.from_revision == frm) & (links.to_revision == to)).select(
            "from_code", "to_code", "weight")
        if table is None:
            table = step
        else:
            nxt = step.rename(mid="from_code", to2="to_code", w2="weight")
            j = table.join(nxt, table.to_code == nxt.mid)
            table = j.group_by(from_code=j.from_code, to_code=j.to2).agg(weight=(j.weight * j.w2).sum())
    assert table is not None
    return table


def convert_flows(flows: ir.Table, links: ir.Table, target: str) -> ir.Table:
    """Flows re-expressed in ``target``: each row's value and quantity split over the linked codes.

    ``flows`` needs ``hs_revision``, ``product``, ``value_usd`` (and may have ``quantity``); rows already
    in ``target`` pass through; codes the concordance does not list keep their code (a warning case the
    caller can find with :func:`unlinked_codes`).
    """
    target = revision(target)
    revs = [r for r in REVISIONS if r != target]
    same = flows.filter(flows.hs_revision == target)
    pieces = [same]
    for rev in revs:
        part = flows.filter(flows.hs_revision == rev)
        conv = conversion_table(links, rev, target)
        j = part.left_join(conv, part.product == conv.from_code)
        w = j.weight.fill_null(1.0)
        cols: dict[str, Any] = {c: j[c] for c in flows.columns}
        cols["product"] = j.to_code.fill_null(j.product)
        cols["hs_revision"] = ibis.literal(target)
        cols["value_usd"] = j.value_usd * w
        if "quantity" in flows.columns:
            cols["quantity"] = j.quantity * w
        pieces.append(j.select(**cols))
    out = pieces[0]
    for p in pieces[1:]:
        out = out.union(p, distinct=False)
    return out


def unlinked_codes(flows: ir.Table, links: ir.Table, target: str) -> ir.Table:
    """(hs_revision, product) pairs in ``flows`` that the concordance cannot convert to ``target``."""
    target = revision(target)
    other = flows.filter(flows.hs_revision != target).select("hs_revision", "product").distinct()
    first = links.select(rev=links.from_revision, code=links.from_code, to=links.to_revision).distinct()
    return other.anti_join(first, (other.hs_revision == first.rev) & (other.product == first.code))


def trade_weights(links: ir.Table, reference: ir.Table) -> ir.Table:
    """Links with value-proportional weights from ``reference`` flows in the links' target revisions.

    ``w(a→b) = T(b) / Σ_{b'∈targets(a)} T(b')`` with ``T(b)`` the total ``value_usd`` of code ``b`` in
    ``reference`` (columns hs_revision, product, value_usd).  Where no target of ``a`` has reference
    trade, the stored weight (equal split) is kept.
    """
    totals = reference.group_by(rev=reference.hs_revision, code=reference.product).agg(
        t=reference.value_usd.sum())
    j = links.left_join(totals, (links.to_revision == totals.rev) & (links.to_code == totals.code))
    t = j.t.fill_null(0.0)
    denom = t.sum().over(group_by=[j.from_revision, j.from_code, j.to_revision])
    new_w = ibis.cases((denom > 0, t / denom), else_=j.weight)
    return j.select(*[c for c in links.columns if c != "weight"], weight=new_w)


def links_memtable(rows: list[tuple[str, str, str, str, float]]) -> ir.Table:
    """A small in-memory concordance (for tests and examples)."""
    return ibis.memtable(pa.table({
        "from_revision": [r[0] for r in rows], "from_code": [r[1] for r in rows],
        "to_revision": [r[2] for r in rows], "to_code": [r[3] for r in rows],
        "weight": pa.array([r[4] for r in rows], pa.float64()),
    }))
