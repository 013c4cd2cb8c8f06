"""OECD input–output tables: the ICIO zipped CSV releases, and national IOT CSVs.

**ICIO.**  OECD publishes each ICIO edition as a few zip bundles of years, each holding one CSV per
year (``ICIO2023_2018.csv``).  The bundles' addresses are ``https://stats.oecd.org/wbos/fileview2.aspx?
IDFile=<id>``; the ids below are the ones pymrio 0.7.0 records (``pymrio.tools.iodownloader.OECD_CONFIG``,
editions 2021 and 2023) with its file names (``ICIO-2016-2020-extended.zip``, ``ICIO2021_2015-2018.zip``).
OECD has been moving its downloads (OECD.Stat → OECD Data Explorer); if a bundle has moved, pass its
address with ``url=`` (``--url``) or a mirror with ``--base-url``.  Each chosen year is extracted (CRC
checked) and imported with the ``io`` loader, layout ``icio`` (dataset ``oecd-icio-2023``, vintage the year).

**National IOTs.**  The ``oecd`` layout (``OECD21ed_CHN_2018.csv``, one file per economy and year)
has no public per-file address that autarky could verify, so this connector needs a base URL
(``--base-url`` or ``AUTARKY_OECD_IOT_URL``) of a folder holding the files; each economy's files load as
one series (``oecd-iot-chn``).  Licence of both: CC BY 4.0 (attribute the OECD).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from autarky.errors import UsageError
from autarky.fetch.http import Download, read_sidecar
from autarky.fetch.record import FetchedFile
from autarky.fetch.result import (
    FetchResult,
    StoreArg,
    extract,
    import_and_record,
    open_zip,
    require_loader,
    resolve_store,
)
from autarky.fetch.sources import FetchConfig, base_url, source
from autarky.store import ImportResult

log = logging.getLogger(__name__)

__all__ = ["ICIO_BUNDLES", "fetch_icio", "fetch_oecd_iot"]

#: edition → {years "first-last": (file name, IDFile)}, as pymrio 0.7.0 records them.
ICIO_BUNDLES: dict[str, dict[str, tuple[str, str]]] = {
    "2021": {
        "1995-1999": ("ICIO2021_1995-1999.zip", "91d8e84b-7406-46b9-af5f-ec096242755c"),
        "2000-2004": ("ICIO2021_2000-2004.zip", "8adf89dd-18b4-40fe-bc7f-c822052eb961"),
        "2005-2009": ("ICIO2021_2005-2009.zip", "fe218690-0a3b-44aa-a82c-b3e3da6d24db"),
        "2010-2014": ("ICIO2021_2010-2014.zip", "2c2f499f-5703-4034-9457-2f7518e8f2fc"),
        "2015-2018": ("ICIO2021_2015-2018.zip", "59a3d7f2-3f23-40d5-95ca-48da84c0f861"),
    },
    "2023": {
        "1995-2000": ("ICIO-1995-2000-extended.zip", "d26ad811-5b58-4f0c-a4e3-06a1469e475c"),
        "2001-2005": ("ICIO-2001-2005-extended.zip", "7cb93dae-e491-4cfd-ac67-889eb7016a4a"),
        "2006-2010": ("ICIO-2006-2010-extended.zip", "ea165bfb-3a85-4e0a-afee-6ba8e6c16052"),
        "2011-2015": ("ICIO-2011-2015-extended.zip", "1f791bc6-befb-45c5-8b34-668d08a1702a"),
        "2016-2020": ("ICIO-2016-2020-extended.zip", "d1ab2315-298c-4e93-9a81-c6f2273139fe"),
    },
}
_ICIO_MEMBER = re.compile(r"^ICIO\d{4}_(\d{4})\.csv$", re.IGNORECASE)


def _bundle(edition: str, year: int) -> tuple[str, str]:
    bundles = ICIO_BUNDLES.get(edition)
    if bundles is None:
        raise UsageError(f"unknown ICIO edition {edition!r}; known: {', '.join(ICIO_BUNDLES)} (or pass --url)")
    for span, entry in bundles.items():
        first, last = (int(x) for x in span.split("-"))
        if first <= year <= last:
            return entry
    raise UsageError(f"the ICIO {edition} edition has no year {year} (it covers {', '.join(bundles)})")


def fetch_icio(store: StoreArg, *, years: Sequence[int], edition: str = "2023", url: str | None = None,
               config: FetchConfig | None = None) -> FetchResult:
    """Download the ICIO bundle(s) holding ``years``, extract those years and import each (layout ``icio``).

    ``url`` fetches one bundle from that address instead of the edition's known ones.
    """
    config = config or FetchConfig()
    src = source("oecd-icio")
    if not years:
        raise UsageError("name the years, e.g. --years 2018,2019")
    require_loader(store, src.kind)
    folder = config.folder("oecd-icio")
    plan: dict[tuple[str, str], list[int]] = {}
    for year in sorted(set(years)):
        if url:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", url.rstrip("/").rsplit("/", 1)[-1]) or "ICIO.zip"
            entry = (name if name.lower().endswith(".zip") else f"{name}.zip", url)
        else:
            file_name, file_id = _bundle(edition, year)
            entry = (file_name, f"{base_url('oecd-icio', config.base_url)}wbos/fileview2.aspx?IDFile={file_id}")
        plan.setdefault(entry, []).append(year)
    out = folder / f"ICIO{edition}"
    extracted: list[tuple[Path, FetchedFile]] = []
    archives: list[FetchedFile] = []
    with config.transfer() as t:
        for (file_name, address), wanted in plan.items():
            d = t.download(address, folder / file_name, description=file_name, refresh=config.refresh)
            archive = FetchedFile.of("oecd-icio", d, src.licence)
            archives.append(archive)
            with open_zip(d.path, address) as zf:
                members = {int(m.group(1)): info for info in zf.infolist()
                           if (m := _ICIO_MEMBER.match(info.filename.rsplit("/", 1)[-1]))}
                missing = [y for y in wanted if y not in members]
                if missing:
                    raise UsageError(f"{file_name} has no ICIO table for {', '.join(map(str, missing))}; it "
                                     f"holds {', '.join(map(str, sorted(members))) or 'none'}")
                for y in wanted:
                    extracted.append((extract(zf, members[y], out, d.sha256), archive))
    st = resolve_store(store)
    if st is None:
        return FetchResult("oecd-icio", src.licence, out, tuple(archives))
    results: list[ImportResult] = []
    for csv_path, archive in extracted:
        results.append(import_and_record(st, "io", csv_path, [archive.for_dataset(-1, member=csv_path.name)],
                                         progress=config.progress, layout="icio"))
    return FetchResult("oecd-icio", src.licence, out, tuple(archives), tuple(results))


def fetch_oecd_iot(store: StoreArg, *, economies: Sequence[str], years: Sequence[int], edition: str = "2021",
                   config: FetchConfig | None = None) -> FetchResult:
    """Download OECD national IOT CSVs (``OECD21ed_CHN_2018.csv``) from the configured base URL and import
    each economy's files as one series (layout ``oecd``)."""
    config = config or FetchConfig()
    src = source("oecd-iot")
    if not economies or not years:
        raise UsageError("name the economies and years, e.g. --economies CHN --years 2015-2018")
    ed = re.fullmatch(r"(?:20)?(\d{2})", str(edition).strip())
    if ed is None:
        raise UsageError(f"not an edition {edition!r}: use the year, e.g. 2021")
    require_loader(store, src.kind)
    root = base_url("oecd-iot", config.base_url)
    folder = config.folder("oecd-iot")
    files: dict[str, list[FetchedFile]] = {}
    with config.transfer() as t:
        for econ in (e.strip().upper() for e in economies):
            if not re.fullmatch(r"[A-Z]{3}", econ):
                raise UsageError(f"not an ISO3 code: {econ!r}")
            sub = folder / f"OECD{ed.group(1)}ed_{econ}"
            for year in sorted(set(years)):
                name = f"OECD{ed.group(1)}ed_{econ}_{year}.csv"
                d = t.download(root + name, sub / name, description=name, refresh=config.refresh)
                files.setdefault(econ, []).append(FetchedFile.of("oecd-iot", d, src.licence))
            # files of this series fetched earlier are part of the import too: record them as well
            have = {f.path for f in files[econ]}
            for csv_path in sorted(sub.glob(f"OECD{ed.group(1)}ed_{econ}_*.csv")):
                rec = read_sidecar(csv_path)
                if str(csv_path) not in have and rec is not None:
                    files[econ].append(FetchedFile.of("oecd-iot", Download(
                        str(rec.get("url")), csv_path, int(rec["bytes"]), str(rec["sha256"]), rec.get("etag"),
                        rec.get("last_modified"), datetime.fromisoformat(str(rec["fetched_at"])), reused=True),
                        src.licence))
    folders = {econ: folder / f"OECD{ed.group(1)}ed_{econ}" for econ in files}
    all_files = tuple(f for fs in files.values() for f in fs)
    st = resolve_store(store)
    if st is None:
        return FetchResult("oecd-iot", src.licence, folder, all_files)
    results = [import_and_record(st, "io", folders[econ], fs, progress=config.progress, layout="oecd")
               for econ, fs in files.items()]
    return FetchResult("oecd-iot", src.licence, folder, all_files, tuple(results))
