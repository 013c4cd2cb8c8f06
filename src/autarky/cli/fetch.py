"""``autarky fetch SOURCE``: download the publishers' data (resumable, verified) and import it.

Thin: parse the options, call :mod:`autarky.fetch`, print what was fetched and imported.  Progress bars
go to stderr; the store is opened only once the download is done (a failed download leaves it alone).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from autarky.cli.app import StoreOption, app, console, err_console, get_store, progress_bar
from autarky.cli.render import Format, print_table
from autarky.errors import UsageError
from autarky.queries import plumbing

fetch_app = typer.Typer(
    help="Download the publishers' data into a local cache (resumable, checksummed, with retries) and import "
    "it. Sources: " + ", ".join(plumbing.FETCH_SOURCES) + " (each records its licence: `autarky fetch files`).",
    no_args_is_help=True,
)
app.add_typer(fetch_app, name="fetch")

BaseUrl = Annotated[str | None, typer.Option("--base-url", help="The publisher's base URL (a mirror); default: "
                                             "the source's AUTARKY_*_URL variable, else the publisher's own.")]
CacheDir = Annotated[Path | None, typer.Option("--cache-dir", help="Download cache (default: $AUTARKY_CACHE or "
                                               "~/.cache/autarky).")]
NoImport = Annotated[bool, typer.Option("--no-import", help="Download only; do not import into the store.")]
Refresh = Annotated[bool, typer.Option("--refresh", help="Download again even if the cache has a verified copy.")]
Retries = Annotated[int, typer.Option("--retries", min=0, help="Retries after a failed attempt (429, 5xx, "
                                      "connection errors), with exponential backoff.")]
Timeout = Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for the server on each read.")]
MaxWait = Annotated[float, typer.Option("--max-wait", min=0, help="Most seconds spent waiting between retries.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def _years(text: str) -> list[int]:
    """``2020``, ``2018-2020`` or ``2015,2018-2020``."""
    out: list[int] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        m = re.fullmatch(r"(\d{4})(?:\s*[-:]\s*(\d{4}))?", part)
        if m is None:
            raise UsageError(f"not a year or range of years: {part!r} (e.g. 2020, 2018-2020)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise UsageError(f"the range {part!r} ends before it starts")
        out.extend(range(first, last + 1))
    if not out:
        raise UsageError("name at least one year")
    return sorted(set(out))


def _list(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _run(source: str, store: Path | None, no_import: bool, fmt: Format, **options: Any) -> None:
    target = None if no_import else (lambda: get_store(store))
    with progress_bar(f"fetching {source}") as progress:
        result = plumbing.fetch(source, target, progress=progress, **options)
    _print(result, fmt)


def _transfer(base_url: str | None, cache_dir: Path | None, refresh: bool, retries: int, timeout: float,
              max_wait: float) -> dict[str, Any]:
    return {"base_url": base_url, "cache_dir": cache_dir, "refresh": refresh, "retries": retries,
            "timeout": timeout, "max_wait": max_wait}


def _print(result: Any, fmt: Format) -> None:
    import pyarrow as pa

    files = pa.Table.from_pylist([
        {"file": Path(f.path).name, "member": f.member, "bytes": f.bytes, "sha256": f.sha256,
         "from": "cache (verified)" if f.reused else "download", "licence": f.licence, "url": f.url}
        for f in result.files
    ], schema=pa.schema([("file", pa.string()), ("member", pa.string()), ("bytes", pa.int64()),
                         ("sha256", pa.string()), ("from", pa.string()), ("licence", pa.string()),
                         ("url", pa.string())]))
    if fmt is Format.table:
        files = files.drop_columns(["member", "url"])
    print_table(console, files, fmt, title=f"fetched from {result.source}", caption=f"in {result.path}")
    if result.imported:
        imported = pa.Table.from_pylist([
            {"dataset": r.name, "vintage": r.vintage, "status": r.status, "id": r.dataset_id, "read": r.rows_read,
             "loaded": r.rows_loaded, "quarantined": r.rows_quarantined} for r in result.imported])
        print_table(console, imported, fmt, title="imported")
        quarantined = sum(r.rows_quarantined for r in result.imported)
        if quarantined:
            err_console.print(f"{quarantined} row(s) quarantined: `autarky quarantine`")
    for note in result.notes:
        err_console.print(f"[yellow]note:[/yellow] {note}", highlight=False)


@fetch_app.command("baci")
def baci(
    release: Annotated[str, typer.Option(help="BACI release, year and month: 202301 (or 202401b).")],
    hs: Annotated[str, typer.Option(help="HS revision: 92, 96, 02, 07, 12, 17 or 22.")] = "17",
    years: Annotated[str | None, typer.Option(help="Years to import, e.g. 2020 or 2018-2021 (default: all).")] = None,
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """CEPII BACI: download BACI_HS{hs}_V{release}.zip, extract the years, import each (Etalab 2.0)."""
    _run("baci", store, no_import, fmt, release=release, hs=hs, years=_years(years) if years else None,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("comtrade")
def comtrade(
    reporters: Annotated[str, typer.Option(help="Reporting economies, ISO3 or Comtrade codes: CHN,USA.")],
    years: Annotated[str, typer.Option(help="Years, e.g. 2020 or 2015-2022.")],
    partners: Annotated[str | None, typer.Option(help="Partner economies (default: all).")] = None,
    hs: Annotated[str, typer.Option(help="HS codes (2, 4 or 6 digits) or TOTAL: 8542,8486.")] = "TOTAL",
    flows: Annotated[str, typer.Option(help="Trade flows: M (imports), X (exports).")] = "M,X",
    max_records: Annotated[int, typer.Option(help="Rows per answer of your subscription (free: 100000).")] = 100_000,
    min_interval: Annotated[float, typer.Option(help="Seconds between two API calls.")] = 1.0,
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """UN Comtrade+ API (key in $COMTRADE_API_KEY): annual trade by HS code, imported as kind comtrade."""
    _run("comtrade", store, no_import, fmt, reporters=_list(reporters), partners=_list(partners) or None,
         hs=_list(hs), years=_years(years), flows=_list(flows), max_records=max_records, min_interval=min_interval,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("wdi")
def wdi(
    indicators: Annotated[str, typer.Option(help="WDI indicator codes: GB.XPD.RSDV.GD.ZS,SP.POP.SCIE.RD.P6.")],
    economies: Annotated[str, typer.Option(help="ISO3 codes, World Bank aggregates, or all.")] = "all",
    years: Annotated[str | None, typer.Option(help="Years, e.g. 2000-2023 (default: all).")] = None,
    per_page: Annotated[int, typer.Option(help="Records per API page.")] = 1000,
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """World Bank WDI API v2: save the JSON pages and import them as kind wdi (CC BY 4.0)."""
    span = None
    if years:
        ys = _years(years)
        span = (ys[0], ys[-1])
    _run("wdi", store, no_import, fmt, indicators=_list(indicators), economies=_list(economies), years=span,
         per_page=per_page, **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("oecd-icio")
def icio(
    years: Annotated[str, typer.Option(help="Years, e.g. 2018-2020.")],
    edition: Annotated[str, typer.Option(help="ICIO edition: 2023 or 2021.")] = "2023",
    url: Annotated[str | None, typer.Option(help="Address of one bundle zip, if OECD has moved it.")] = None,
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """OECD ICIO: download the zipped CSV bundle(s), import each year (layout icio; CC BY 4.0)."""
    _run("oecd-icio", store, no_import, fmt, years=_years(years), edition=edition, url=url,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("oecd-iot")
def oecd_iot(
    economies: Annotated[str, typer.Option(help="ISO3 codes: CHN,JPN.")],
    years: Annotated[str, typer.Option(help="Years, e.g. 1995-2018.")],
    edition: Annotated[str, typer.Option(help="Edition year of the tables.")] = "2021",
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """OECD national IOTs (OECD21ed_CHN_2018.csv…) from --base-url; each economy imports as a series."""
    _run("oecd-iot", store, no_import, fmt, economies=_list(economies), years=_years(years), edition=edition,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("eto")
def eto(
    ref: Annotated[str, typer.Option(help="Git branch, tag or commit of georgetown-cset/eto-chip-explorer.")] = "main",
    vintage: Annotated[str | None, typer.Option(help="Release label, e.g. 2026-08.")] = None,
    store: StoreOption = None, base_url: BaseUrl = None, cache_dir: CacheDir = None, no_import: NoImport = False,
    refresh: Refresh = False, retries: Retries = 5, timeout: Timeout = 60.0, max_wait: MaxWait = 600.0,
    fmt: FormatOption = Format.table,
) -> None:
    """ETO chip explorer CSVs from GitHub, imported as kind eto (CC BY-NC 4.0: non-commercial)."""
    _run("eto", store, no_import, fmt, ref=ref, vintage=vintage,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("usgs")
def usgs(
    item: Annotated[str, typer.Option(help="ScienceBase item id of the data release (from its DOI page).")],
    pattern: Annotated[str, typer.Option(help="Which of the item's files, e.g. '*.csv'.")] = "*.csv",
    base_url: BaseUrl = None, cache_dir: CacheDir = None, refresh: Refresh = False, retries: Retries = 5,
    timeout: Timeout = 60.0, max_wait: MaxWait = 600.0, fmt: FormatOption = Format.table,
) -> None:
    """USGS Mineral Commodity Summaries data release files from ScienceBase (download only; public domain)."""
    _run("usgs", None, True, fmt, item=item, pattern=pattern,
         **_transfer(base_url, cache_dir, refresh, retries, timeout, max_wait))


@fetch_app.command("files")
def files(
    dataset: Annotated[int | None, typer.Option(help="Only this dataset id.")] = None,
    store: StoreOption = None, fmt: FormatOption = Format.table,
) -> None:
    """The files each fetched dataset came from: URL, sha256, licence."""
    import pyarrow as pa

    st = get_store(store, read_only=True)
    rows = plumbing.fetched_files(st, dataset)
    t = pa.Table.from_pylist([
        {"id": f.dataset_id, "source": f.source, "file": Path(f.path).name, "member": f.member, "bytes": f.bytes,
         "sha256": f.sha256, "licence": f.licence, "fetched_at": f.fetched_at, "url": f.url, "path": f.path}
        for f in rows
    ]) if rows else pa.table({"id": pa.array([], pa.int64()), "source": pa.array([], pa.string())})
    if fmt is Format.table and rows:
        t = t.drop_columns(["path", "url", "fetched_at"])
    print_table(console, t, fmt, title="fetched files", caption=f"store {st.path}")
