"""CEPII BACI, read exactly as published, loaded into Parquet behind the store.

BACI ("Base pour l'Analyse du Commerce International", CEPII, Etalab Open Licence 2.0) is one CSV per
year, ``BACI_HS17_Y2022_V202401.csv``, with columns ``t,i,j,k,v,q``: year, exporter and importer (BACI
numeric codes), HS6 product, value in thousands of USD, quantity in metric tons.  A release also has
``country_codes_V*.csv`` and ``product_codes_HS*_V*.csv``; all of it may come zipped.

``load_baci`` accepts a year file, a folder or a release zip.  Each year file is one dataset and one
transaction (``baci-HS17-2022``, vintage ``V202401``).  Quirks of real files handled here:

* ``k`` that lost its leading zero (``71120``) is written back with six digits (``071120``);
* ``q`` right-aligned in a padded field, or ``NA``: numbers are read, ``NA`` becomes NULL;
* exporter and importer codes are mapped to ISO3 by :mod:`autarky.trade.codes` (490 → TWN);
* line ends may be ``\\r\\n``; a UTF-8 BOM before the header is accepted.

A malformed *file* raises :class:`~autarky.errors.FormatError` naming file, line and field, and nothing
of it is loaded: a header other than ``t,i,j,k,v,q``, a file that ends inside a line (truncated), a
year column that disagrees with the file name.  A malformed *row* (a missing or non-numeric field, an
unknown country code, a negative value) goes to quarantine with file, line, field, value and reason.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import polars as pl
import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, ReadOnlyError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store
from autarky.trade import codes as C
from autarky.trade._csv import (
    CHUNK_BYTES,
    Chunk,
    ContentHash,
    first_match,
    iter_chunks,
    read_header,
    run_chunks,
)
from autarky.trade.flowstore import Staging, staging
from autarky.trade.hs import load_product_codes
from autarky.trade.importing import BadRow, combine_results, existing_hash, finish_flow_import

log = logging.getLogger(__name__)

__all__ = ["BACI_ATTRIBUTION", "BaciFile", "find_baci_files", "load_baci", "load_baci_files"]

BACI_PUBLISHER = "CEPII"
BACI_LICENCE = "Etalab Open Licence 2.0"
BACI_ATTRIBUTION = (
    "CEPII BACI: Gaulier, G. and Zignago, S. (2010), BACI: International Trade Database at the "
    "Product-Level. The 1994-2007 Version. CEPII Working Paper 2010-23."
)
COLUMNS = ("t", "i", "j", "k", "v", "q")
_NAME = re.compile(r"^BACI_(HS\d{2})_Y(\d{4})_(V\d{6}[A-Za-z0-9]*)(.*)\.csv$", re.IGNORECASE)
_SCHEMA = {"t": pl.Int32, "i": pl.Int32, "j": pl.Int32, "k": pl.Int32, "v": pl.Float64, "q": pl.Float64}
#: Spellings of a missing quantity: BACI pads ``NA`` to the column width.
NA_TEXT = ["NA", "N/A", "na", ""]
#: BACI writes q right-aligned in a 13-character field; other spellings take the slower text path
_NA_FAST = {"q": " " * 11 + "NA"}
HS6_MIN, HS6_MAX = 10000, 999999
COMPRESSION: Literal["lz4"] = "lz4"  # LZ4_RAW: the fastest to write; DuckDB, Polars, Arrow and Spark 3.4+ read it


@dataclass
class BaciFile:
    """One BACI year file, on disk or inside a release zip."""

    label: str
    name: str
    revision: str
    year: int
    version: str
    suffix: str
    size: int
    opener: Callable[[], IO[bytes]]
    path: Path | None = None
    name_override: str | None = None

    @property
    def dataset_name(self) -> str:
        if self.name_override:
            return self.name_override
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.suffix).strip("-_")
        return f"baci-{self.revision}-{self.year}" + (f"-{slug}" if slug else "")


@dataclass
class _Release:
    files: list[BaciFile]
    country_tables: list[tuple[str, list[tuple[int, str, str | None]]]]
    product_tables: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # (name, rev, version, bytes)


def _parse_name(name: str, year: int | None, revision: str | None, version: str | None) -> tuple[str, int, str, str]:
    m = _NAME.match(name)
    if m is None:
        if year is None or revision is None or version is None:
            raise FormatError(
                "not a BACI file name (BACI_HS17_Y2022_V202401.csv); pass year, revision and version "
                "to load a renamed file", path=name)
        return C.revision(revision), int(year), version, ""
    rev, y, ver, suffix = m.groups()
    return (C.revision(revision) if revision else C.revision(rev), int(year) if year else int(y),
            version or ver.upper(), suffix)


def _by_version(tables: list[tuple[str, list[tuple[int, str, str | None]]]],
                version: str) -> list[tuple[str, list[tuple[int, str, str | None]]]]:
    """The release's own country table first, then the other tables of the folder, newest first."""
    def release(name: str) -> str:
        m = re.search(r"V\d{6}", name, re.IGNORECASE)
        return m.group(0).upper() if m else ""

    own = [t for t in tables if release(t[0]) and version.upper().startswith(release(t[0]))]
    others = sorted((t for t in tables if t not in own), key=lambda t: release(t[0]), reverse=True)
    return own + others


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: zf.open(info)


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def find_baci_files(path: Path, *, year: int | None = None, revision: str | None = None,
                    version: str | None = None, stack: ExitStack | None = None) -> _Release:
    """The year files, country and product code tables at ``path`` (file, folder or release zip)."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder", path=str(path))
    files: list[BaciFile] = []
    countries: list[tuple[str, list[tuple[int, str, str | None]]]] = []
    products: list[tuple[str, str, str, bytes]] = []
    prod_re = re.compile(r"^product_codes_(HS\d{2})_(V\d{6}[A-Za-z0-9]*)\.csv$", re.IGNORECASE)

    def add_file(name: str, label: str, size: int, opener: Callable[[], IO[bytes]], p: Path | None) -> None:
        rev, y, ver, suffix = _parse_name(name, year, revision, version)
        files.append(BaciFile(label, name, rev, y, ver, suffix, size, opener, p))

    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise FormatError(f"not a readable zip file ({exc})", path=str(path)) from exc
        if stack is not None:
            stack.enter_context(zf)
        for info in zf.infolist():
            base = Path(info.filename).name
            label = f"{path}:{info.filename}"
            if _NAME.match(base):
                add_file(base, label, info.file_size, _zip_opener(zf, info), None)
            elif base.lower().startswith("country_codes_") and base.lower().endswith(".csv"):
                countries.append((base, C.read_baci_country_codes(zf.read(info), label)))
            elif m := prod_re.match(base):
                products.append((base, C.revision(m.group(1)), m.group(2), zf.read(info)))
    else:
        folder = path if path.is_dir() else path.parent
        candidates = sorted(folder.glob("*.csv")) if path.is_dir() else [path]
        for p in candidates:
            if _NAME.match(p.name) or (not path.is_dir()):
                add_file(p.name, str(p), p.stat().st_size, _file_opener(p), p)
        for p in sorted(folder.glob("country_codes_*.csv")):
            countries.append((p.name, C.read_baci_country_codes(p)))
        for p in sorted(folder.glob("product_codes_*.csv")):
            if m := prod_re.match(p.name):
                products.append((p.name, C.revision(m.group(1)), m.group(2), p.read_bytes()))
    if not files:
        raise MissingFileError(f"{path}: no BACI year file (BACI_HS*_Y*_V*.csv) here", path=str(path))
    files.sort(key=lambda f: (f.revision, f.year, f.name))
    return _Release(files, countries, products)


# -- parsing one chunk -------------------------------------------------------------------------------------
#: A rejected row: line, field, value, reason, raw text.
_Bad = tuple[int, str | None, str | None, str, str]


@dataclass
class _ChunkOut:
    rows_read: int
    rows_loaded: int
    value_usd: float
    file: Path | None
    bad: list[_Bad]  # line, field, value, reason, raw
    year_error: tuple[int, int] | None  # (line, year found)
    codes: set[int]  # BACI codes of the loaded rows


def _parse_fast(data: bytes, lines: int) -> pl.DataFrame | None:
    """Typed parse of the first ``lines`` lines; None if a field does not parse (then :func:`_parse_slow`
    says which and why)."""
    try:
        df = pl.read_csv(data, has_header=False, new_columns=list(COLUMNS), schema=_SCHEMA,
                         null_values=_NA_FAST, quote_char=None, n_rows=lines)
        return df if df.height == lines else None
    except (pl.exceptions.PolarsError, ValueError):
        pass
    try:  # q padded to another width: read it as text
        df = pl.read_csv(data, has_header=False, new_columns=list(COLUMNS),
                         schema={**_SCHEMA, "q": pl.String}, quote_char=None, n_rows=lines)
    except (pl.exceptions.PolarsError, ValueError):
        return None
    q = pl.col("q").str.strip_chars()
    na = q.is_in(NA_TEXT) | q.is_null()
    df = df.with_columns(q=pl.when(na).then(None).otherwise(q.cast(pl.Float64, strict=False)),
                         _qbad=~na & q.cast(pl.Float64, strict=False).is_null())
    if df["_qbad"].any() or df.height != lines:
        return None
    return df.drop("_qbad")


def _parse_slow(data: bytes) -> pl.DataFrame:
    """Field by field, for a chunk the typed reader refused: records why each bad row is bad."""
    lines = data.decode("utf-8", errors="replace").split("\n")[:-1]
    df = pl.DataFrame({"_raw": pl.Series(lines, dtype=pl.String)}).with_columns(
        pl.col("_raw").str.strip_suffix("\r"))
    parts = pl.col("_raw").str.split(",")
    df = df.with_columns(
        _n=pl.when(pl.col("_raw").str.strip_chars() == "").then(0).otherwise(parts.list.len()),
        **{f"_{c}": parts.list.get(n, null_on_oob=True).str.strip_chars() for n, c in enumerate(COLUMNS)},
    )
    typed: dict[str, pl.Expr] = {}
    for c, dtype in _SCHEMA.items():
        raw = pl.col(f"_{c}")
        raw = pl.when(raw.is_in(NA_TEXT)).then(None).otherwise(raw)
        typed[c] = raw.cast(dtype, strict=False)
    df = df.with_columns(**typed)
    conds: list[tuple[pl.Expr, pl.Expr, str, pl.Expr]] = [
        ((pl.col("_n") != 6) & (pl.col("_n") > 0), pl.lit(None, pl.String),
         "expected 6 fields (t,i,j,k,v,q)", pl.col("_n").cast(pl.String) + " fields"),
    ]
    for c, dtype in _SCHEMA.items():
        what = "an integer" if dtype == pl.Int32 else "a number"
        conds.append((pl.col(c).is_null() & pl.col(f"_{c}").is_not_null() & ~pl.col(f"_{c}").is_in(NA_TEXT),
                      pl.lit(c), f"not {what}", pl.col(f"_{c}")))
    field_expr = first_match([(cond, fld) for cond, fld, _, _ in conds]).cast(pl.String)
    reason_expr = first_match([(cond, pl.lit(r)) for cond, _, r, _ in conds]).cast(pl.String)
    value_expr = first_match([(cond, v) for cond, _, _, v in conds]).cast(pl.String)
    df = df.with_columns(_field=field_expr, _reason=reason_expr, _value=value_expr)
    # a blank line is no row: mark it so that it is neither loaded nor counted
    return df.with_columns(_blank=pl.col("_n") == 0).select(
        *COLUMNS, "_field", "_reason", "_value", "_blank")


def _hs6_text(k: pl.Series) -> pl.Series:
    """Six-digit HS codes as text (``71120`` → ``071120``) for codes already checked to lie in
    ``HS6_MIN..HS6_MAX``: the few thousand distinct codes are padded once and gathered by a position table
    indexed by the code, not padded per row nor matched by a hash join."""
    codes = k.to_numpy()
    seen = np.zeros(HS6_MAX + 1, dtype=bool)
    seen[codes] = True
    position = np.cumsum(seen, dtype=np.uint32) - 1
    text = pl.Series(np.flatnonzero(seen), dtype=pl.Int32).cast(pl.String).str.zfill(6).cast(pl.Categorical)
    return text.gather(position[codes]).alias("product")


class _Worker:
    """Turns one chunk of a BACI year file into a Parquet part and a list of rejected rows."""

    def __init__(self, src: BaciFile, code_map: dict[int, C.CountryCode], stage: Staging) -> None:
        self.src = src
        self.stage = stage
        # ISO3 by BACI code, as a table indexed by the code (codes are below 1000): a gather, not a hash join.
        # Categorical (not Enum): written as Parquet dictionaries that Polars, DuckDB and Spark all read back
        self.top = max(code_map, default=0)
        names: list[str | None] = [None] * (self.top + 1)
        for code, c in code_map.items():
            if code >= 0:
                names[code] = c.iso3
        self.iso = pl.Series("iso3", names, dtype=pl.String).cast(pl.Categorical)

    def __call__(self, chunk: Chunk) -> _ChunkOut:
        df = _parse_fast(chunk.data, chunk.lines)
        slow = df is None
        if df is None:
            df = _parse_slow(chunk.text)
        df = df.with_row_index("_line", offset=chunk.first_line).with_columns(
            exporter=self._iso3("i"), importer=self._iso3("j"),
        )
        year = self.src.year
        ok = ((pl.col("t") == year) & pl.col("exporter").is_not_null()
              & pl.col("importer").is_not_null() & pl.col("k").is_between(HS6_MIN, HS6_MAX)
              & (pl.col("v") >= 0) & pl.col("v").is_finite()
              & (pl.col("q").is_null() | ((pl.col("q") >= 0) & pl.col("q").is_finite()))).fill_null(False)
        if slow:
            ok = ok & pl.col("_reason").is_null()
        ok_mask = df.select(ok).to_series()
        rows_read = df.height
        bad_list: list[_Bad] = []
        year_error: tuple[int, int] | None = None
        if not ok_mask.all():
            blank = pl.col("_blank") if slow else pl.all_horizontal(pl.col(c).is_null() for c in COLUMNS)
            df = df.with_columns(_ok=ok_mask, _blank=blank)
            rows_read -= int(df["_blank"].sum())
            bad = df.filter(~pl.col("_ok") & ~pl.col("_blank"))
            wrong_year = bad.filter(pl.col("t").is_not_null() & (pl.col("t") != year))
            if slow:
                wrong_year = wrong_year.filter(pl.col("_reason").is_null())
            if wrong_year.height:
                first = wrong_year.row(0, named=True)
                year_error = (int(first["_line"]), int(first["t"]))
            bad_list = self._reasons(bad, chunk, slow)
            df = df.filter(pl.col("_ok"))
        counts = np.bincount(df["i"].to_numpy(), minlength=1000) + np.bincount(df["j"].to_numpy(), minlength=1000)
        used = set(np.flatnonzero(counts).tolist())
        product = _hs6_text(df["k"])
        out = df.select(
            exporter="exporter", importer="importer",
            hs_revision=pl.lit(self.src.revision).cast(pl.Categorical),
            product=product,
            value_usd=pl.col("v") * 1000.0,
            quantity="q",
            reported_by=pl.lit("reconciled").cast(pl.Categorical),
            source_line=pl.col("_line").cast(pl.Int32),
        )
        target = None
        value = 0.0
        if out.height and year_error is None:
            target = self.stage.part_file(year, chunk.index)
            # no column statistics: indicators scan whole partitions, and they cost a sixth of the write
            out.write_parquet(target, compression=COMPRESSION, statistics=False)
            value = float(out["value_usd"].sum())
        return _ChunkOut(rows_read, out.height, value, target, bad_list, year_error, used)

    def _iso3(self, column: str) -> pl.Expr:
        """The ISO3 code of a BACI code column; NULL for a code the tables do not know."""
        code = pl.col(column)
        return pl.lit(self.iso).gather(pl.when(code.is_between(0, self.top)).then(code))

    def _reasons(self, bad: pl.DataFrame, chunk: Chunk, slow: bool) -> list[_Bad]:
        lines = chunk.text.split(b"\n")
        out: list[_Bad] = []
        for r in bad.iter_rows(named=True):
            line = int(r["_line"])
            raw = lines[line - chunk.first_line].decode("utf-8", errors="replace").rstrip("\r")
            fields = raw.split(",")
            if slow and r["_reason"] is not None:
                out.append((line, r["_field"], r["_value"], str(r["_reason"]), raw))
                continue
            if len(fields) != len(COLUMNS):
                out.append((line, None, f"{len(fields)} fields", "expected 6 fields (t,i,j,k,v,q)", raw))
                continue
            val = dict(zip(COLUMNS, (f.strip() for f in fields), strict=True))
            for c in ("t", "i", "j", "k", "v"):
                if r[c] is None:
                    out.append((line, c, val[c], "missing value", raw))
                    break
            else:
                if r["exporter"] is None:
                    out.append((line, "i", val["i"], "unknown BACI country code", raw))
                elif r["importer"] is None:
                    out.append((line, "j", val["j"], "unknown BACI country code", raw))
                elif not HS6_MIN <= int(r["k"]) <= HS6_MAX:
                    out.append((line, "k", val["k"], "not an HS6 code", raw))
                elif not (r["v"] >= 0 and r["v"] != float("inf")):
                    out.append((line, "v", val["v"], "value is negative or not finite", raw))
                elif r["q"] is not None and not (r["q"] >= 0 and r["q"] != float("inf")):
                    out.append((line, "q", val["q"], "quantity is negative or not finite", raw))
                elif r["t"] != self.src.year:
                    out.append((line, "t", val["t"], "year disagrees with the file name", raw))
                else:  # NaN values fail the checks above without matching a named case
                    out.append((line, "v", val["v"], "value is not a number", raw))
        return out


# -- loading -----------------------------------------------------------------------------------------------
def _check_header(header: str, label: str) -> None:
    cols = [c.strip().strip('"').lower() for c in header.split(",")]
    if cols != list(COLUMNS):
        wrong = next((c for c, e in zip([*cols, *[""] * 6], COLUMNS, strict=False) if c != e), None)
        raise FormatError(f"expected the BACI header 't,i,j,k,v,q', found {header[:80]!r}",
                          path=label, line=1, field=wrong or None)


def _meta(src: BaciFile, content_hash: str) -> DatasetMeta:
    return DatasetMeta(
        name=src.dataset_name, kind="baci", vintage=src.version, content_hash=content_hash,
        publisher=BACI_PUBLISHER, licence=BACI_LICENCE, attribution=BACI_ATTRIBUTION, source=src.label,
        params={"revision": src.revision, "year": src.year, "file": src.name},
    )


def _prehash(src: BaciFile) -> str:
    h = ContentHash(src.name)
    with src.opener() as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


CountryTables = list[tuple[str, list[tuple[int, str, str | None]]]]


def _load_file(store: Store, src: BaciFile, tables: CountryTables, progress: Progress | None,
               workers: int, chunk_bytes: int) -> ImportResult:
    known_hash = None
    if existing_hash(store, src.dataset_name) is not None:
        # a dataset of that name is loaded: hashing first may spare a full read
        known_hash = _prehash(src)
        if existing_hash(store, src.dataset_name, known_hash, src.version) is not None:
            with store.importer(_meta(src, known_hash)) as imp:
                return imp.result
    m49 = _store_m49(store)
    all_codes = {code for _, rows in tables for code, _, _ in rows} | set(C.m49_codes() if m49 is None else m49)
    code_map = C.baci_code_map(tables, sorted(all_codes), m49)
    description = f"BACI {src.revision} {src.year}"
    with staging(store) as stage, src.opener() as fh:
        hasher = ContentHash(src.name)
        header, used = read_header(fh, src.label, hasher)
        _check_header(header, src.label)
        worker = _Worker(src, code_map, stage)
        bad: list[BadRow] = []
        counts = {"read": 0}
        seen_codes: set[int] = set()
        revisions, bases = {src.revision}, {"reconciled"}

        def on_result(chunk: Chunk, res: _ChunkOut) -> None:
            if res.year_error is not None:
                line, found = res.year_error
                raise FormatError(f"year {found} disagrees with the file name (Y{src.year})",
                                  path=src.label, line=line, field="t")
            counts["read"] += res.rows_read
            bad.extend((src.name, *b) for b in res.bad)
            seen_codes.update(res.codes)
            if res.file is not None:
                stage.record(src.year, res.rows_loaded, res.value_usd, revisions, bases)
            if progress is not None:
                progress(chunk.offset, src.size, description)

        run_chunks(iter_chunks(fh, src.label, start_offset=used, hasher=hasher, size=chunk_bytes),
                   worker, on_result, workers=workers)
        content_hash = hasher.hexdigest()
        if known_hash is not None and known_hash != content_hash:
            raise FormatError("the file changed while it was read", path=src.label)
        return finish_flow_import(store, stage, _meta(src, content_hash), rows_read=counts["read"], bad=bad,
                                  codes=_codes_table(code_map, seen_codes))


def _store_m49(store: Store) -> dict[int, tuple[str, str]] | None:
    """UN M49 numeric code → (ISO3, name) from the store's ``economies`` table, which is seeded from the same
    source as :func:`autarky.trade.codes.m49_codes` (so no country_converter to import); None if it is empty."""
    rows = store.raw.execute(
        "SELECT un_code, iso3, name FROM economies WHERE un_code IS NOT NULL ORDER BY un_code").fetchall()
    return {int(u): (str(i), str(n)) for u, i, n in rows} if rows else None


def _codes_table(code_map: dict[int, C.CountryCode], used: set[int]) -> pa.Table:
    """How the BACI codes found in the file were mapped."""
    rows = [code_map[c] for c in sorted(used) if c in code_map]
    return pa.table({
        "scheme": ["baci"] * len(rows), "code": [str(c.code) for c in rows], "iso3": [c.iso3 for c in rows],
        "name": [c.name for c in rows], "how": [c.how for c in rows],
    })


def load_baci_files(store: Store, path: Path, *, progress: Progress | None = None, year: int | None = None,
                    revision: str | None = None, version: str | None = None, name: str | None = None,
                    workers: int = 2, chunk_bytes: int = CHUNK_BYTES) -> list[ImportResult]:
    """Load every BACI year file at ``path``; one :class:`ImportResult` per file (and per code table).

    ``year``, ``revision`` and ``version`` name a renamed file; ``name`` overrides the dataset name
    (``-<year>`` is appended when several files load).
    """
    if store.read_only:
        raise ReadOnlyError(f"{store.path} is open read-only")
    if workers < 1:
        raise UsageError("workers must be at least 1")
    results: list[ImportResult] = []
    with ExitStack() as stack:
        release = find_baci_files(Path(path), year=year, revision=revision, version=version, stack=stack)
        for src in release.files:
            if name:
                src.name_override = name if len(release.files) == 1 else f"{name}-{src.year}"
            tables = _by_version(release.country_tables, src.version) + [
                (n, list(rows)) for n, rows in C.bundled_country_tables()]
            results.append(_load_file(store, src, tables, progress, workers, chunk_bytes))
        for pname, rev, ver, data in release.product_tables:
            results.append(load_product_codes(store, data, name=pname, revision=rev, version=ver))
    return results


_OPTIONS = {"year", "revision", "version", "vintage", "name", "workers", "chunk_bytes"}


def load_baci(store: Store, path: Path, *, progress: Progress | None = None, **options: Any) -> ImportResult:
    """Load BACI (a year file, a folder of them, or a release zip); one transaction per file.

    Returns one result summing the files (``dataset_id`` of the last one); see :func:`load_baci_files`
    for the per-file results.  Options: ``year``, ``revision``, ``version`` (or ``vintage``) for renamed
    files, ``name``, ``workers`` (threads, default 2), ``chunk_bytes``.
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise UsageError(f"option(s) {', '.join(unknown)} do not apply to BACI")
    if "vintage" in options:
        options["version"] = options.pop("vintage")
    return combine_results(load_baci_files(store, path, progress=progress, **options))
