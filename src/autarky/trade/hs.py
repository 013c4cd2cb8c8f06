"""The Harmonized System: the 2022 nomenclature and the UN concordances between revisions.

Loading (``autarky import hs FOLDER``), one dataset and one transaction per file:

* ``harmonized-system.csv`` (+ ``sections.csv``): HS 2022 codes at 2, 4 and 6 digits with parent and
  section (datasets/harmonized-system, ODC-PDDL-1.0) → ``hs_products`` (sections as level-0 rows);
* ``HS_consolidated_comtrade_concordances.csv``: links between adjacent revisions 1992…2022 built from
  the UN Statistics Division correlation tables (Harvard Growth Lab, Apache-2.0) → ``hs_concordance``,
  in both directions.  Codes lost their leading zeros in that file and get them back (six digits).
  Its SITC links (adjustments before 1992) are not HS and are skipped, with a data warning;
* BACI's ``product_codes_HS*_V*.csv`` (loaded with a BACI release) → ``hs_products`` of that revision.

Converting flows between revisions with these links is :mod:`autarky.trade.hs_convert`.

For a long series, note that CEPII publishes every BACI year back to 1995 in HS92 as well: converting
is needed only when revisions are mixed.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import polars as pl

from autarky.errors import FormatError, MissingFileError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store, hash_paths
from autarky.trade.codes import REVISION_YEAR

log = logging.getLogger(__name__)

__all__ = ["load_hs", "load_product_codes"]

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
