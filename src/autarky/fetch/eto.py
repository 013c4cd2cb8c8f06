"""ETO chip explorer: the Advanced Semiconductor Supply Chain Dataset as CSVs on GitHub.

Georgetown CSET's Emerging Technology Observatory keeps the dataset in the repository
``georgetown-cset/eto-chip-explorer``, folder ``data/``: ``stages.csv``, ``inputs.csv``,
``providers.csv``, ``provision.csv``, ``sequence.csv``.  A release is fetched from GitHub's raw file
address ``https://raw.githubusercontent.com/georgetown-cset/eto-chip-explorer/<ref>/data/<file>`` for a
branch, tag or commit ``ref``.  A branch moves, so its files are revalidated with the server (ETag)
each time; a 40-digit commit never changes and is re-used from the cache.  autarky writes an
``ATTRIBUTION.md`` beside the files (source, ref, licence) and imports the folder with the ``eto`` loader.
Licence: CC BY-NC 4.0 — attribution, non-commercial use only.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from autarky.errors import UsageError
from autarky.fetch.record import FetchedFile
from autarky.fetch.result import FetchResult, StoreArg, import_and_record, require_loader, resolve_store, safe_name
from autarky.fetch.sources import FetchConfig, base_url, source

log = logging.getLogger(__name__)

__all__ = ["ETO_FILES", "fetch_eto"]

#: The files of a release, in the repository's ``data/`` folder.
ETO_FILES = ("stages.csv", "inputs.csv", "providers.csv", "provision.csv", "sequence.csv")


def fetch_eto(store: StoreArg, *, ref: str = "main", vintage: str | None = None,
              config: FetchConfig | None = None) -> FetchResult:
    """Download the five ETO CSVs at ``ref`` and import them (``vintage`` names the release, e.g. 2026-08)."""
    config = config or FetchConfig()
    src = source("eto")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", ref) or ".." in ref:
        raise UsageError(f"not a git branch, tag or commit: {ref!r}")
    require_loader(store, src.kind)
    root = base_url("eto", config.base_url)
    folder = config.folder("eto") / safe_name(ref)
    immutable = re.fullmatch(r"[0-9a-f]{40}", ref) is not None
    files: list[FetchedFile] = []
    with config.transfer() as t:
        for name in ETO_FILES:
            d = t.download(f"{root}{ref}/data/{name}", folder / name, description=f"ETO {name}",
                           refresh=config.refresh, revalidate=not immutable)
            files.append(FetchedFile.of("eto", d, src.licence))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    (folder / "ATTRIBUTION.md").write_text(
        "# Attribution\n\n"
        "- Dataset: ETO Advanced Semiconductor Supply Chain Dataset (the data behind the ETO Supply Chain "
        "Explorer).\n"
        f"- Publisher: {src.publisher}, https://eto.tech/dataset-docs/chipexplorer\n"
        f"- Source: {root}{ref}/data/ (git ref `{ref}`), downloaded by `autarky fetch eto` on {stamp}.\n"
        f"- Licence: {src.licence} (https://creativecommons.org/licenses/by-nc/4.0/): attribution, "
        "non-commercial use only.\n"
        + (f"- Release: {vintage}\n" if vintage else ""),
        encoding="utf-8")
    st = resolve_store(store)
    if st is None:
        return FetchResult("eto", src.licence, folder, tuple(files))
    options = {"vintage": vintage} if vintage else {}
    result = import_and_record(st, "eto", folder, files, progress=config.progress, **options)
    return FetchResult("eto", src.licence, folder, tuple(files), (result,))
