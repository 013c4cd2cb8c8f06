"""What a fetch did, and the steps every connector shares: check the loader, write pages, import, record."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from autarky import loaders
from autarky.errors import FormatError, UsageError
from autarky.fetch.http import Download
from autarky.fetch.record import FetchedFile, record_fetched
from autarky.store import ImportResult, Progress, Store

log = logging.getLogger(__name__)

__all__ = ["FetchResult", "StoreArg", "resolve_store"]


@dataclass(frozen=True)
class FetchResult:
    """The files a fetch brought into the cache and what was imported from them."""

    source: str
    licence: str
    path: Path  # the folder or file that was (or, with no store, would be) imported
    files: tuple[FetchedFile, ...]
    imported: tuple[ImportResult, ...] = ()
    notes: tuple[str, ...] = ()  # what the user should know (no rows for a query, no loader for the files)


#: Where a fetch imports: a store, a function that opens one (called only once the download is done, so a
#: long download does not hold the store's lock and a failed one never touches it), or None (no import).
StoreArg = Store | Callable[[], Store] | None


def resolve_store(store: StoreArg) -> Store | None:
    """The store to import into, opened now if it was given as a function."""
    if store is None or isinstance(store, Store):
        return store
    return store()


def require_loader(store: StoreArg, kind: str | None) -> None:
    """Before downloading anything: refuse an import whose loader this version lacks."""
    if store is None or kind is None:
        return
    if not loaders.available(kind):
        raise UsageError(f"import kind {kind!r} is not available in this version; fetch with --no-import "
                         "to download the files only")


def page_download(url: str, path: Path, raw: bytes, headers: Any) -> Download:
    """Write an API answer exactly as received and describe it like a download."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)
    return Download(url=url, path=path, bytes=len(raw), sha256=hashlib.sha256(raw).hexdigest(),
                    etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"),
                    fetched_at=datetime.now(UTC).replace(tzinfo=None))


def swap_folder(staging: Path, final: Path) -> None:
    """Replace ``final`` by the completed ``staging`` folder (a killed fetch never leaves a mixed folder)."""
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    if old.exists():
        shutil.rmtree(old)


def import_and_record(store: Store, kind: str, path: Path, files: Sequence[FetchedFile], *,
                      progress: Progress | None, **options: Any) -> ImportResult:
    """``run_loader(store, kind, path)``, then record ``files`` against the dataset it loaded."""
    result = loaders.run_loader(store, kind, path, progress=progress, **options)
    record_fetched(store, [f.for_dataset(result.dataset_id) for f in files])
    return result


def open_zip(path: Path, url: str) -> zipfile.ZipFile:
    """A downloaded zip, or a clear error (an HTML error page saved as .zip is the usual culprit)."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"not a readable zip file ({exc}); downloaded from {url}: nothing was imported; "
                          "fetch again with --refresh", path=str(path)) from exc


def extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: Path, zip_sha256: str) -> Path:
    """Extract one member into ``out`` (via ``.part``; its CRC is checked), unless the same member of the
    same zip (by sha256) is already there."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / Path(info.filename).name
    marker = target.with_name(target.name + ".from-zip")
    if target.exists() and marker.exists() and target.stat().st_size == info.file_size \
            and marker.read_text(encoding="utf-8").strip() == zip_sha256:
        return target
    part = target.with_name(target.name + ".part")
    try:
        with zf.open(info) as src, part.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)  # zipfile checks the CRC-32 when the member ends
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise FormatError(f"member {info.filename} is corrupt ({exc}); nothing was imported; fetch again "
                          "with --refresh", path=zf.filename) from exc
    os.replace(part, target)
    marker.write_text(zip_sha256, encoding="utf-8")
    return target


def safe_name(text: str) -> str:
    """A file-system-safe rendering of a ref, a query or a code list."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "x"
