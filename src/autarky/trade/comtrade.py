"""UN Comtrade: the 47-column API format and bulk CSV, loaded into the same flows as BACI.

Accepted: the Comtrade+ API/bulk layout (``typeCode, freqCode, refPeriodId, refYear, …, primaryValue,
legacyEstimationFlag, isReported, isAggregate``: 47 columns, camelCase or comtradr's snake_case, with
or without a leading row-number column), comma- or tab-separated, optionally gzipped; and the legacy
bulk layout (``Classification, Year, …, Trade Flow Code, Reporter ISO, Partner ISO, Commodity Code,
Netweight (kg), Trade Value (US$)``).  Column names are matched ignoring case, spaces and punctuation.

How rows become flows (``reported_by`` keeps the reporter's side):

* flow ``M`` (or legacy 1): importer = reporter, exporter = partner, ``reported_by = 'importer'``;
  flow ``X`` (or 2): exporter = reporter, ``reported_by = 'exporter'``.  Other flows (re-exports,
  re-imports …) are quarantined: they would double count.  Loading both sides of the same trade (an
  importer's and its partners' reports) counts it twice; choose a side with ``reported_by`` when reading.
* ``value_usd`` = ``primaryValue`` (US dollars); ``quantity`` = net weight in kg / 1000 (metric tons,
  like BACI's ``q``), NULL where not given.
* ISO3 from ``reporterISO`` / ``partnerISO`` (``S19`` "Other Asia, nes" → ``TWN``); other Comtrade area
  codes (``_X`` areas nes, ``X1`` …) are kept as they are.
* Quarantined with the reason: partner World (``W00``, an aggregate), breakdown rows (a second partner,
  customs procedure or mode of transport other than the total: totals only), non-annual rows, rows
  without a usable year, reporter, product or value.
* Product codes are kept at the level reported (2, 4, 6 digits or ``TOTAL``), leading zero restored
  from ``aggrLevel``; the classification (``H0`` … ``H6``) gives the HS revision.

One file is one dataset (``comtrade-<file stem>``, vintage = the years it covers) and one transaction.
"""

from __future__ import annotations

import csv
import gzip
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import polars as pl
import pyarrow as pa

from autarky.errors import FormatError, MissingFileError, ReadOnlyError, UsageError
from autarky.store import DatasetMeta, ImportResult, Progress, Store
from autarky.trade._csv import (
    CHUNK_BYTES,
    Chunk,
    ContentHash,
    first_match,
    iter_chunks,
    read_header,
    run_chunks,
)
from autarky.trade.codes import COMTRADE_REVISIONS, revision
from autarky.trade.flowstore import Staging, staging
from autarky.trade.importing import BadRow, combine_results, existing_hash, finish_flow_import

log = logging.getLogger(__name__)

__all__ = ["COMTRADE_ATTRIBUTION", "load_comtrade", "load_comtrade_files"]

COMTRADE_PUBLISHER = "United Nations Statistics Division (UN Comtrade)"
COMTRADE_LICENCE = "UN Comtrade terms of use"
COMTRADE_ATTRIBUTION = "UN Comtrade Database, https://comtradeplus.un.org"

#: Role → accepted (normalised) column names, first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("refyear", "year"),
    "freq": ("freqcode",),
    "reporter": ("reporteriso", "reporteriso3"),
    "partner": ("partneriso", "partneriso3"),
    "flow": ("flowcode", "tradeflowcode"),
    "classification": ("classificationcode", "classification"),
    "product": ("cmdcode", "commoditycode"),
    "level": ("aggrlevel", "aggregatelevel"),
    "value": ("primaryvalue", "tradevalueus", "tradevalue"),
    "netweight": ("netwgt", "netweightkg"),
    "partner2": ("partner2iso", "2ndpartneriso"),
    "customs": ("customscode", "customsproccode"),
    "mot": ("motcode", "modeoftransportcode"),
}
REQUIRED = ("year", "reporter", "partner", "flow", "product", "value")
_FLOWS = {"M": "importer", "X": "exporter", "1": "importer", "2": "exporter"}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class _Layout:
    separator: str
    names: list[str]  # the file's own column names (deduplicated)
    role: dict[str, str]  # role -> file column name


def _layout(header: str, label: str) -> _Layout:
    sep = "\t" if header.count("\t") > header.count(",") else ","
    raw = [h.strip().strip('"') for h in header.split(sep)]
    names: list[str] = []
    for i, h in enumerate(raw):
        names.append(h if h and h not in names else f"_col{i}")
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(_norm(name), name)
    role: dict[str, str] = {}
    for r, options in ALIASES.items():
        for o in options:
            if o in by_norm:
                role[r] = by_norm[o]
                break
    missing = [r for r in REQUIRED if r not in role]
    if missing:
        wanted = ", ".join(ALIASES[m][0] for m in missing)
        raise FormatError(f"not a UN Comtrade CSV: no column for {wanted}", path=label, line=1,
                          field=ALIASES[missing[0]][0])
    return _Layout(sep, names, role)


@dataclass
class _Out:
    rows_read: int
    bad: list[tuple[int, str | None, str | None, str, str]]
    parts: list[tuple[int, int, float, set[str], set[str]]]  # year, rows, value, revisions, bases
    codes: set[tuple[str, str]]  # (code in file, iso3 used)


class _Worker:
    def __init__(self, layout: _Layout, stage: Staging, fixed_revision: str | None, label: str) -> None:
        self.label = label
        self.layout = layout
        self.stage = stage
        self.fixed_revision = fixed_revision

    def _lenient(self, chunk: Chunk) -> tuple[pl.DataFrame, list[tuple[int, str | None, str | None, str, str]]]:
        """A chunk Polars refused (a row with too many fields): row by row, the misfits quarantined."""
        names = self.layout.names
        cols, lines, bad = _lenient_rows(chunk.text.decode("utf-8", errors="replace"), self.layout.separator,
                                         len(names), chunk.first_line)
        data = {name: pl.Series(cols.get(str(i), []), dtype=pl.String) for i, name in enumerate(names)}
        df = pl.DataFrame(data).with_columns(_line=pl.Series(lines, dtype=pl.UInt32))
        return df, bad

    def col(self, role: str) -> pl.Expr:
        name = self.layout.role.get(role)
        return pl.col(name).str.strip_chars() if name else pl.lit(None, pl.String)

    def __call__(self, chunk: Chunk) -> _Out:
        lay = self.layout
        ragged: list[tuple[int, str | None, str | None, str, str]] = []
        try:
            df = pl.read_csv(chunk.text, has_header=False, new_columns=lay.names, separator=lay.separator,
                             infer_schema=False, truncate_ragged_lines=False)
            df = df.with_row_index("_line", offset=chunk.first_line)
        except pl.exceptions.PolarsError:
            df, ragged = self._lenient(chunk)
        c = self.col
        flow = c("flow").str.to_uppercase()
        basis = flow.replace_strict(_FLOWS, default=None)
        reporter = c("reporter").str.to_uppercase()
        partner = c("partner").str.to_uppercase()
        iso = {"S19": "TWN"}
        reporter_iso = reporter.replace(iso)
        partner_iso = partner.replace(iso)
        cls = c("classification").str.to_uppercase()
        if self.fixed_revision is not None:
            rev = pl.lit(self.fixed_revision)
        else:
            rev = cls.replace_strict(COMTRADE_REVISIONS, default=None)
        level = c("level").cast(pl.Int32, strict=False)
        prod = c("product")
        digits = prod.str.contains(r"^\d+$")
        product = (pl.when(prod.str.to_uppercase() == "TOTAL").then(pl.lit("TOTAL"))
                   .when(digits & level.is_in([2, 4, 6])).then(prod.str.zfill(level.fill_null(0)))
                   .when(digits & (prod.str.len_chars() % 2 == 1)).then(pl.lit("0") + prod)
                   .when(digits).then(prod))
        value = c("value").cast(pl.Float64, strict=False)
        year = c("year").cast(pl.Int32, strict=False)
        weight = c("netweight").cast(pl.Float64, strict=False)
        df = df.with_columns(
            _year=year, _basis=basis, _rep=reporter_iso, _par=partner_iso, _rev=rev, _product=product,
            _value=value, _weight=weight, _freq=c("freq").str.to_uppercase(), _flow=flow,
            _p2=c("partner2").str.to_uppercase(), _customs=c("customs").str.to_uppercase(), _mot=c("mot"),
            _cls=cls,
        )
        checks: list[tuple[pl.Expr, str | None, str, pl.Expr]] = [
            (pl.col("_year").is_null() | ~pl.col("_year").is_between(1950, 2100), lay.role["year"],
             "not a year", c("year")),
            (pl.col("_freq").is_not_null() & (pl.col("_freq") != "A"), lay.role.get("freq"),
             "not annual data (only freqCode A is loaded)", pl.col("_freq")),
            (pl.col("_basis").is_null(), lay.role["flow"],
             "flow not loaded (only M imports and X exports; re-exports and re-imports would double count)",
             pl.col("_flow")),
            (pl.col("_rep").is_null() | (pl.col("_rep") == "") | (pl.col("_rep") == "W00"),
             lay.role["reporter"], "no reporter", pl.col("_rep")),
            (pl.col("_par").is_null() | (pl.col("_par") == ""), lay.role["partner"], "no partner",
             pl.col("_par")),
            (pl.col("_par") == "W00", lay.role["partner"],
             "partner World is an aggregate, not a bilateral flow", pl.col("_par")),
            (pl.col("_p2").is_not_null() & ~pl.col("_p2").is_in(["W00", "0", ""]), lay.role.get("partner2"),
             "breakdown by second partner (totals only)", pl.col("_p2")),
            (pl.col("_customs").is_not_null() & ~pl.col("_customs").is_in(["C00", ""]),
             lay.role.get("customs"), "breakdown by customs procedure (totals only)", pl.col("_customs")),
            (pl.col("_mot").is_not_null() & ~pl.col("_mot").is_in(["0", ""]), lay.role.get("mot"),
             "breakdown by mode of transport (totals only)", pl.col("_mot")),
            (pl.col("_rev").is_null(), lay.role.get("classification"),
             "classification is not an HS revision (H0…H6); pass revision= to name it", pl.col("_cls")),
            (pl.col("_product").is_null(), lay.role["product"], "not an HS code", c("product")),
            (pl.col("_value").is_null() | (pl.col("_value") < 0) | ~pl.col("_value").is_finite(),
             lay.role["value"], "value is missing, negative or not a number", c("value")),
        ]
        bad_any = pl.any_horizontal([cond.fill_null(False) for cond, *_ in checks])
        df = df.with_columns(_bad=bad_any)
        bad_rows: list[tuple[int, str | None, str | None, str, str]] = []
        if df["_bad"].any():
            bad = df.filter(pl.col("_bad"))
            fld = first_match([(cond, pl.lit(f, pl.String)) for cond, f, _, _ in checks]).cast(pl.String)
            reason = first_match([(cond, pl.lit(r)) for cond, _, r, _ in checks]).cast(pl.String)
            val = first_match([(cond, v) for cond, _, _, v in checks]).cast(pl.String)
            why = bad.select("_line", f=fld, r=reason, v=val)
            lines = chunk.text.split(b"\n")
            for line, f, r, v in why.iter_rows():
                raw = lines[int(line) - chunk.first_line].decode("utf-8", errors="replace").rstrip("\r")
                bad_rows.append((int(line), f, v, str(r), raw))
            df = df.filter(~pl.col("_bad"))
        is_imp = pl.col("_basis") == "importer"
        out = df.select(
            year=pl.col("_year"),
            exporter=pl.when(is_imp).then(pl.col("_par")).otherwise(pl.col("_rep")),
            importer=pl.when(is_imp).then(pl.col("_rep")).otherwise(pl.col("_par")),
            hs_revision=pl.col("_rev").cast(pl.Categorical),
            product=pl.col("_product"),
            value_usd=pl.col("_value"),
            quantity=pl.col("_weight") / 1000.0,
            reported_by=pl.col("_basis").cast(pl.Categorical),
            source_line=pl.col("_line").cast(pl.Int32),
        )
        codes = set(df.select(pl.concat_list(
            pl.concat_str([c("reporter"), pl.col("_rep")], separator="\x00"),
            pl.concat_str([c("partner"), pl.col("_par")], separator="\x00")).explode().unique()
        ).to_series().drop_nulls().to_list())
        parts: list[tuple[int, int, float, set[str], set[str]]] = []
        for (yr,), part in out.partition_by("year", as_dict=True).items():
            target = self.stage.part_file(int(yr), chunk.index)
            part.drop("year").write_parquet(target, compression="lz4")
            parts.append((int(yr), part.height, float(part["value_usd"].sum()),
                          {str(x) for x in part["hs_revision"].unique()},
                          {str(x) for x in part["reported_by"].unique()}))
        return _Out(df.height + len(bad_rows) + len(ragged), ragged + bad_rows, parts,
                    {_pair(s) for s in codes})


def _lenient_rows(text: str, separator: str, width: int, first_line: int
                  ) -> tuple[dict[str, list[str]], list[int], list[tuple[int, str | None, str | None, str, str]]]:
    """Rows of the right width (by column), their lines, and the others as quarantine entries."""
    cols: dict[str, list[str]] = {}
    lines: list[int] = []
    bad: list[tuple[int, str | None, str | None, str, str]] = []
    for n, raw in enumerate(text.split("\n")[:-1]):
        raw = raw.rstrip("\r")
        line = first_line + n
        if not raw.strip():
            continue
        fields = next(csv.reader([raw], delimiter=separator))
        if len(fields) != width:
            bad.append((line, None, f"{len(fields)} fields", f"expected {width} fields, as in the header", raw))
            continue
        for i, value in enumerate(fields):
            cols.setdefault(str(i), []).append(value)
        lines.append(line)
    return cols, lines, bad


def _pair(text: str) -> tuple[str, str]:
    code, _, iso = text.partition("\x00")
    return code, iso


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise MissingFileError(f"{path}: no such file or folder", path=str(path))
    if path.is_file():
        return [path]
    out = sorted(p for p in path.iterdir() if p.is_file() and re.search(r"\.(csv|tsv|txt)(\.gz)?$", p.name))
    if not out:
        raise MissingFileError(f"{path}: no Comtrade CSV here", path=str(path))
    return out


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    if path.suffix == ".gz":
        return lambda: cast(IO[bytes], gzip.open(path, "rb"))
    return lambda: path.open("rb")


def _load_file(store: Store, path: Path, progress: Progress | None, fixed_revision: str | None,
               workers: int, chunk_bytes: int, attribution: str, name: str | None = None,
               vintage: str | None = None) -> ImportResult:
    name = name or f"comtrade-{path.name.split('.')[0]}"
    label = str(path)
    opener = _opener(path)
    known_hash = None
    if existing_hash(store, name) is not None:
        h = ContentHash(path.name)
        with opener() as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                h.update(block)
        known_hash = h.hexdigest()
        loaded = existing_hash(store, name, known_hash, vintage)
        if loaded is not None:  # same content (and the vintage asked for, if one was): unchanged
            meta = DatasetMeta(name=name, kind="comtrade", vintage=loaded, content_hash=known_hash)
            with store.importer(meta) as imp:
                return imp.result
    size = path.stat().st_size
    with staging(store) as stage, opener() as fh:
        hasher = ContentHash(path.name)
        header, used = read_header(fh, label, hasher)
        layout = _layout(header, label)
        worker = _Worker(layout, stage, fixed_revision, label)
        bad: list[BadRow] = []
        counts = {"read": 0}
        seen: set[tuple[str, str]] = set()

        def on_result(chunk: Chunk, res: _Out) -> None:
            counts["read"] += res.rows_read
            bad.extend((path.name, *b) for b in res.bad)
            seen.update(res.codes)
            for yr, rows, value, revs, bases in res.parts:
                stage.record(yr, rows, value, revs, bases)
            if progress is not None:
                progress(min(chunk.offset, size), size, f"Comtrade {path.name}")

        run_chunks(iter_chunks(fh, label, start_offset=used, hasher=hasher, size=chunk_bytes),
                   worker, on_result, workers=workers)
        years = sorted(stage.parts)
        vintage = vintage or ((f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}")
                              if years else "empty")
        meta = DatasetMeta(
            name=name, kind="comtrade", vintage=vintage, content_hash=hasher.hexdigest(),
            publisher=COMTRADE_PUBLISHER, licence=COMTRADE_LICENCE, attribution=attribution, source=label,
            params={"file": path.name, "revision": fixed_revision},
        )
        codes = sorted(seen)
        table = pa.table({
            "scheme": ["comtrade"] * len(codes), "code": [c for c, _ in codes], "iso3": [i for _, i in codes],
            "name": pa.array([None] * len(codes), pa.string()),
            "how": ["S19 'Other Asia, nes' is Taiwan" if c == "S19" else "ISO3 column of the file"
                    for c, _ in codes],
        })
        return finish_flow_import(store, stage, meta, rows_read=counts["read"], bad=bad, codes=table)


def load_comtrade_files(store: Store, path: Path, *, progress: Progress | None = None,
                        revision_name: str | None = None, name: str | None = None, vintage: str | None = None,
                        workers: int = 1, chunk_bytes: int = CHUNK_BYTES,
                        attribution: str = COMTRADE_ATTRIBUTION) -> list[ImportResult]:
    """Load each Comtrade CSV at ``path`` (file or folder): one result per file."""
    if store.read_only:
        raise ReadOnlyError(f"{store.path} is open read-only")
    fixed = revision(revision_name) if revision_name else None
    if workers < 1:
        raise UsageError("workers must be at least 1")
    files = _files(Path(path))
    return [_load_file(store, p, progress, fixed, workers, chunk_bytes, attribution,
                       name=(name if len(files) == 1 else f"{name}-{p.stem}") if name else None,
                       vintage=vintage) for p in files]


_OPTIONS = {"revision", "name", "vintage", "workers", "chunk_bytes", "attribution"}


def load_comtrade(store: Store, path: Path, *, progress: Progress | None = None, **options: Any) -> ImportResult:
    """Load UN Comtrade CSV (a file or a folder of them); one transaction per file.

    Options: ``revision`` (HS revision for files whose classification is just "HS"), ``name``,
    ``vintage``, ``workers``, ``chunk_bytes``, ``attribution`` (kept with the dataset).
    """
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise UsageError(f"option(s) {', '.join(unknown)} do not apply to Comtrade")
    rev = options.pop("revision", None)
    return combine_results(load_comtrade_files(store, path, progress=progress, revision_name=rev, **options))
