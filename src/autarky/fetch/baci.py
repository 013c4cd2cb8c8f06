"""CEPII BACI: one zip per HS revision and release, ``BACI_HS17_V202301.zip``.

CEPII publishes each revision of each release as one archive under
``https://www.cepii.fr/DATA_DOWNLOAD/baci/data/`` (e.g. ``…/BACI_HS92_V202401.zip``; CEPII, "The
CEPII-BACI dataset", https://www.cepii.fr/DATA_DOWNLOAD/baci/doc/baci_webpage.html).  The archive holds
one CSV per year, ``BACI_HS17_Y2020_V202301.csv`` (``t,i,j,k,v,q``), the country table
``country_codes_V202301.csv``, the product table ``product_codes_HS17_V202301.csv`` and a readme.  The
whole archive must be downloaded even for one year.  Licence: Etalab Open Licence 2.0 (CEPII, BACI FAQ,
question 5: any use, with the source mentioned).

The chosen years (all by default) and the code tables are extracted, their CRC checked, before any of
them is imported; each year then loads as its own dataset (``baci-HS17-2020``, vintage ``V202301``)
through the ``baci`` loader, and the zip is recorded against it in ``fetched_files``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from autarky import loaders
from autarky.errors import UsageError
from autarky.fetch.record import FetchedFile, record_fetched
from autarky.fetch.result import FetchResult, StoreArg, extract, open_zip, require_loader, resolve_store
from autarky.fetch.sources import FetchConfig, base_url, source
from autarky.store import ImportResult, Store
from autarky.trade.baci import find_baci_files
from autarky.trade.codes import revision as hs_revision

log = logging.getLogger(__name__)

__all__ = ["baci_file_name", "fetch_baci"]

_YEAR_FILE = re.compile(r"^BACI_HS\d{2}_Y(\d{4})_V\w+\.csv$", re.IGNORECASE)
_TABLE_FILE = re.compile(r"^(country_codes|product_codes)_.*\.csv$", re.IGNORECASE)


def _release(text: str) -> str:
    m = re.fullmatch(r"[Vv]?(\d{6}[A-Za-z]?)", str(text).strip())
    if m is None:
        raise UsageError(f"not a BACI release {text!r}: use the release's year and month, e.g. 202301 (or 202401b)")
    return m.group(1)


def baci_file_name(release: str, hs: str) -> str:
    """The publisher's archive name: ``BACI_HS17_V202301.zip``."""
    return f"BACI_{hs_revision(hs)}_V{_release(release)}.zip"


def fetch_baci(store: StoreArg, *, release: str, hs: str = "17", years: Sequence[int] | None = None,
               config: FetchConfig | None = None) -> FetchResult:
    """Download a BACI release archive (resumable, verified), extract the chosen ``years`` and import each.

    ``store=None`` downloads and extracts only.  Returns the archive, the extracted folder and one
    import result per year (and one for the product table when the archive has one).
    """
    config = config or FetchConfig()
    src = source("baci")
    require_loader(store, src.kind)
    name = baci_file_name(release, hs)
    url = base_url("baci", config.base_url) + name
    folder = config.folder("baci")
    with config.transfer() as t:
        download = t.download(url, folder / name, description=name, refresh=config.refresh)
    archive = FetchedFile.of("baci", download, src.licence)
    out = folder / name.removesuffix(".zip")
    with open_zip(download.path, url) as zf:
        by_year: dict[int, str] = {}
        tables: list[str] = []
        for info in zf.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            if m := _YEAR_FILE.match(base):
                by_year[int(m.group(1))] = info.filename
            elif _TABLE_FILE.match(base):
                tables.append(info.filename)
        if not by_year:
            raise UsageError(f"{download.path}: no BACI year file (BACI_HS*_Y*_V*.csv) in the archive")
        wanted = sorted(set(years)) if years else sorted(by_year)
        missing = [y for y in wanted if y not in by_year]
        if missing:
            raise UsageError(f"{name} has no year {', '.join(map(str, missing))}; it holds "
                             f"{min(by_year)}–{max(by_year)}")
        year_files = {y: extract(zf, zf.getinfo(by_year[y]), out, download.sha256) for y in wanted}
        table_files = [extract(zf, zf.getinfo(n), out, download.sha256) for n in tables]
    st = resolve_store(store)
    if st is None:
        return FetchResult("baci", src.licence, out, (archive,))
    products = next((p for p in table_files if p.name.lower().startswith("product_codes_")), None)
    results: list[ImportResult] = []
    for year, csv_path in year_files.items():
        bf = find_baci_files(csv_path).files[0]
        log.info("importing BACI %s %d from %s", bf.revision, year, csv_path)
        results.append(loaders.run_loader(st, "baci", csv_path, progress=config.progress))
        rows = [archive.for_dataset(i, member=csv_path.name)
                for i in _dataset_id(st, bf.dataset_name, bf.version)]
        if products is not None:
            rows += [archive.for_dataset(i, member=products.name)
                     for i in _dataset_id(st, f"baci-products-{bf.revision}", bf.version)]
        record_fetched(st, rows)
    return FetchResult("baci", src.licence, out, (archive,), tuple(results))


def _dataset_id(store: Store, name: str, vintage: str) -> list[int]:
    rows = store.raw.execute(
        "SELECT dataset_id FROM datasets WHERE name = ? AND upper(vintage) = upper(?) ORDER BY dataset_id DESC"
        " LIMIT 1", [name, vintage]).fetchall()
    return [int(r[0]) for r in rows]
