"""Imports through the API: only with the server's token, only up to the upload limit, one transaction each.

``POST /api/imports/{kind}?filename=provision.zip`` with the file as the raw request body
(``application/octet-stream``) and ``Authorization: Bearer <AUTARKY_TOKEN>``.  A ``.zip`` is unpacked
(safely: no absolute paths, no ``..``, no links, a cap on the unpacked size) and the folder handed to the
loader, as ``autarky import KIND FOLDER`` would.  Checks run in this order, and nothing touches the store
before all of them pass: server accepts imports (403) → token (401) → kind (404) → options (400/422) →
declared size (413) → streamed size (413) → non-empty (400) → archive (400/413) → the loader's own
transaction (its error, the store unchanged).
"""

from __future__ import annotations

import hmac
import inspect
import logging
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path as FsPath
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from autarky import loaders
from autarky.api.deps import Settings, get_settings
from autarky.api.errors import ErrorEnvelope
from autarky.api.models import ImportOut
from autarky.errors import AutarkyError, AuthError, FormatError, ReadOnlyError, UnknownItemError, UsageError
from autarky.store import ImportResult
from autarky.store.limits import check_input

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["imports"])

#: A file name: no separators, no leading dot.
SAFE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
SAFE_OPTION = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
#: An archive may unpack to at most this many times the upload limit, in at most this many members.
UNPACK_FACTOR = 8
MAX_MEMBERS = 10_000

_bearer = HTTPBearer(auto_error=False, description="The token the server was started with (AUTARKY_TOKEN).")


def _authorise(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    if settings.token is None:
        raise ReadOnlyError("this server is read-only: start it with AUTARKY_TOKEN set to accept imports")
    if credentials is None:
        raise AuthError("an import needs the server's token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(credentials.credentials.encode("utf-8"), settings.token.encode("utf-8")):
        raise AuthError("wrong token")


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the upload exceeds the limit of {limit} bytes")


def _loader_options(kind: str, options: dict[str, str]) -> dict[str, str]:
    loader = loaders.get_loader(kind)
    params = inspect.signature(loader).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for key in options:
        if not takes_any and key not in params:
            raise UsageError(f"import kind {kind!r} takes no option {key!r}")
    return options


def _unpack(archive: FsPath, into: FsPath, limit: int) -> FsPath:
    """Unpack a zip safely; the folder to import (the archive's one top folder, if it has just one)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise FormatError(f"the archive has more than {MAX_MEMBERS} members", path=archive.name)
            if sum(i.file_size for i in infos) > limit * UNPACK_FACTOR:
                raise _too_large(limit * UNPACK_FACTOR)
            for info in infos:
                name = PurePosixPath(info.filename.replace("\\", "/"))
                mode = info.external_attr >> 16
                if (name.is_absolute() or ".." in name.parts or ":" in info.filename
                        or stat.S_ISLNK(mode)):
                    raise FormatError(f"unsafe member {info.filename!r} in the archive", path=archive.name)
            into.mkdir(parents=True, exist_ok=True)
            zf.extractall(into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise FormatError(f"not a readable zip archive ({exc})", path=archive.name) from exc
    entries = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else into


def _run(settings: Settings, kind: str, path: FsPath, options: dict[str, Any]) -> ImportResult:
    loader = loaders.get_loader(kind)
    check_input(kind, path)  # no line over 1 MiB, checked before the store is taken for writing
    with settings.hub.writer() as store:
        try:
            return loader(store, path, **options)
        except AutarkyError:
            raise
        except Exception as exc:  # a loader that fails on hostile input: the transaction rolled back
            log.exception("import of %s as %s failed", path.name, kind)
            raise FormatError(f"cannot import this file as {kind}: {type(exc).__name__}: {exc}",
                              path=path.name) from exc


@router.post(
    "/imports/{kind}",
    response_model=ImportOut,
    status_code=201,
    summary="Import a dataset (token required; raw file or zip as the body)",
    responses={
        200: {"model": ImportOut, "description": "Same content already loaded: nothing changed"},
        **{code: {"model": ErrorEnvelope, "description": text} for code, text in (
            (400, "The file cannot be imported (the store is unchanged)"),
            (401, "Missing or wrong token"),
            (403, "The server is read-only (no token configured)"),
            (404, "Unknown import kind"),
            (413, "Upload larger than the server's limit"),
            (422, "Malformed parameter"),
        )},
    },
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def import_dataset(
    request: Request,
    response: Response,
    kind: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="eto, chains, baci, io, ledger …")],
    filename: Annotated[str, Query(pattern=SAFE_NAME, description="The uploaded file's name (.zip is unpacked).")],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    vintage: Annotated[str | None, Query(pattern=SAFE_OPTION, description="Override the vintage.")] = None,
    name: Annotated[str | None, Query(pattern=SAFE_OPTION, description="Override the dataset name.")] = None,
    layout: Annotated[str | None, Query(pattern=SAFE_OPTION, description="Layout, for kinds with several (io).")]
    = None,
) -> ImportResult:
    settings = get_settings(request)
    _authorise(settings, credentials)
    if kind not in loaders.LOADERS:
        raise UnknownItemError(f"unknown import kind {kind!r}", sorted(loaders.LOADERS))
    options = _loader_options(kind, {k: v for k, v in (("vintage", vintage), ("name", name), ("layout", layout))
                                      if v is not None})
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise _too_large(limit)
    tmp = FsPath(tempfile.mkdtemp(prefix="autarky-upload-"))
    try:
        upload = tmp / "upload" / filename
        upload.parent.mkdir()
        size = 0
        with upload.open("wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                fh.write(chunk)
        if size == 0:
            raise UsageError("the request body is empty: send the file as the body")
        path = upload
        if upload.suffix.lower() == ".zip":
            path = await run_in_threadpool(_unpack, upload, tmp / "unpacked", limit)
        result = await run_in_threadpool(_run, settings, kind, path, options)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if result.status == "unchanged":
        response.status_code = 200
    return result
