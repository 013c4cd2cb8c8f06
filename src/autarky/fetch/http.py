"""Robust transfers: resumable, verified downloads and patient API calls over httpx.

:class:`Transfer` wraps one ``httpx.Client`` (proxies and certificates from the environment:
``trust_env=True`` honours ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` and
``SSL_CERT_FILE``) and does two things:

``download(url, dest)``
    Streams ``url`` into ``dest.part`` and renames it to ``dest`` once complete, then writes a sidecar
    ``dest.autarky.json`` with the size, sha256 and the server's validators.  A ``.part`` left by a
    dropped connection or a killed process is continued with a ``Range: bytes=N-`` request (guarded by
    ``If-Range`` with the ETag or Last-Modified seen when it started); a server that ignores the range
    (``200``) or no longer has it (``416``, a ``Content-Range`` that starts elsewhere) restarts the file
    cleanly.  A cached ``dest`` is re-used only if its sha256 still matches the sidecar; otherwise it is
    downloaded again.  ``revalidate=True`` asks the server first (``If-None-Match`` /
    ``If-Modified-Since``; ``304`` keeps the cached file) for resources that change under one URL.

``get_json(url)``
    One API call, parsed; ``min_interval`` spaces calls to a rate-limited API.

Both retry on connection errors, timeouts, an incomplete body and HTTP 429/500/502/503/504, waiting
``backoff · 2^(n-1)`` seconds (capped at ``max_backoff``) or what ``Retry-After`` asks, until ``retries``
retries or ``max_wait`` seconds of waiting are spent.  Then one clear line is raised: a
:class:`~autarky.errors.NetworkError` ("cannot reach api.worldbank.org: …; check your connection or
--base-url").  HTTP 401/403 raise :class:`~autarky.errors.AuthError`, 404 an
:class:`~autarky.errors.UnknownItemError`.  Progress goes to ``progress(done, total, description)``; the
library never prints.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from autarky.errors import AuthError, FormatError, NetworkError, UnknownItemError, UsageError
from autarky.store import Progress

log = logging.getLogger(__name__)

__all__ = [
    "RETRY_STATUSES",
    "Download",
    "RetryPolicy",
    "Transfer",
    "file_sha256",
    "read_sidecar",
    "sidecar_path",
]

#: HTTP statuses worth another try: rate limiting and server-side failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SIDECAR_SUFFIX = ".autarky.json"


@dataclass(frozen=True)
class RetryPolicy:
    """How patient a transfer is.

    ``retries`` further attempts after the first; the n-th retry waits ``backoff · 2^(n-1)`` seconds,
    at most ``max_backoff``, or the server's ``Retry-After``; all waits of one request together stay
    within ``max_wait`` seconds.  A server that cannot be reached at all (refused, no route, no DNS:
    usually offline) gets at most ``connect_retries`` of them, so that being offline is said quickly.
    """

    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_wait: float = 600.0
    connect_retries: int = 2

    def delay(self, retry: int) -> float:
        """Seconds before retry number ``retry`` (1-based) when the server gives no Retry-After."""
        return float(min(self.max_backoff, self.backoff * 2 ** (retry - 1)))


@dataclass(frozen=True)
class Download:
    """A file in the cache and how it got there."""

    url: str
    path: Path
    bytes: int
    sha256: str
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    reused: bool = False  # served from the cache, verified, without a new download
    resumed_from: int = 0  # bytes already on disk when the last (successful) request started


class _Retry(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, why: str, retry_after: float | None = None, *, unreachable: bool = False) -> None:
        super().__init__(why)
        self.why = why
        self.retry_after = retry_after
        self.unreachable = unreachable


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sidecar_path(dest: Path) -> Path:
    """Where the size, sha256 and validators of a cached file are kept."""
    return dest.with_name(dest.name + SIDECAR_SUFFIX)


def read_sidecar(dest: Path) -> dict[str, Any] | None:
    """The sidecar of a cached file, or None if there is none (or it cannot be read)."""
    try:
        data = json.loads(sidecar_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _strong(etag: str | None) -> str | None:
    return etag if etag and not etag.startswith("W/") else None


def _content_range(value: str | None) -> tuple[int, int | None] | None:
    """(first byte, complete length or None) of ``Content-Range: bytes a-b/len``."""
    if not value or not value.startswith("bytes "):
        return None
    span, _, length = value[6:].partition("/")
    first, _, _ = span.partition("-")
    try:
        return int(first), (None if length.strip() == "*" else int(length))
    except ValueError:
        return None


class Transfer:
    """One HTTP client with retries, resumable downloads and progress (see the module docstring)."""

    def __init__(self, *, timeout: float = 60.0, retry: RetryPolicy | None = None,
                 progress: Progress | None = None, min_interval: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep, headers: Mapping[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        from autarky import __version__

        self.retry = retry or RetryPolicy()
        self.progress = progress
        self.min_interval = min_interval
        self.sleep = sleep
        self.timeout = timeout
        self._last_call: float | None = None
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 30.0)),
            trust_env=True,
            follow_redirects=True,
            headers={"User-Agent": f"autarky/{__version__}", **(headers or {})},
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Transfer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the retry loop ---------------------------------------------------------------------------------
    def _run(self, url: str, attempt: Callable[[], Any]) -> Any:
        """Call ``attempt`` until it succeeds, retrying what :class:`_Retry` and transport errors signal."""
        host = _host(url)
        waited = 0.0
        last: _Retry | None = None
        tries = 0
        for n in range(self.retry.retries + 1):
            if n:
                assert last is not None
                if last.unreachable and n > self.retry.connect_retries:
                    break
                wait = last.retry_after if last.retry_after is not None else self.retry.delay(n)
                if waited + wait > self.retry.max_wait:
                    raise NetworkError(f"{host}: {last.why}; giving up: waiting {wait:.0f}s more would pass "
                                       f"the limit of {self.retry.max_wait:.0f}s")
                log.info("%s: %s; retry %d/%d in %.1fs", host, last.why, n, self.retry.retries, wait)
                self.sleep(wait)
                waited += wait
            tries += 1
            try:
                return attempt()
            except _Retry as exc:
                last = exc
            except httpx.ConnectError as exc:
                last = _Retry(_one_line(exc) or type(exc).__name__, unreachable=True)
            except httpx.TimeoutException as exc:
                last = _Retry(f"no answer within {self.timeout:g}s ({type(exc).__name__})")
            except httpx.TransportError as exc:
                last = _Retry(f"the connection failed: {_one_line(exc) or type(exc).__name__}")
        assert last is not None
        if last.unreachable:
            raise NetworkError(f"cannot reach {host}: {last.why}; check your connection or --base-url")
        raise NetworkError(f"{host}: {last.why} (tried {tries} times); try again later")

    def _check(self, response: httpx.Response, url: str) -> None:
        status = response.status_code
        if status < 400:
            return
        if status in RETRY_STATUSES:
            raise _Retry(f"HTTP {status} {response.reason_phrase}".strip(),
                         _retry_after(response.headers.get("Retry-After")))
        response.read()
        body = _one_line(response.text[:200]) if response.content else ""
        detail = f": {body}" if body else ""
        if status in (401, 403):
            raise AuthError(f"{_host(url)} refused the request (HTTP {status}){detail}; check the API key")
        if status == 404:
            raise UnknownItemError(f"{_redact(url)}: not found (HTTP 404); check the release, years and --base-url")
        raise NetworkError(f"{_host(url)} answered HTTP {status} {response.reason_phrase}{detail}")

    # -- API calls --------------------------------------------------------------------------------------
    def get_json(self, url: str, *, params: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None) -> tuple[Any, bytes, httpx.Headers]:
        """GET ``url`` and parse its JSON body; returns (data, raw bytes, response headers)."""

        def attempt() -> tuple[Any, bytes, httpx.Headers]:
            self._space_calls()
            response = self.client.get(url, params=params, headers=headers)
            self._check(response, url)
            raw = response.content
            try:
                return json.loads(raw), raw, response.headers
            except ValueError as exc:
                raise FormatError(f"the answer is not JSON ({_one_line(exc)})", path=_redact(str(response.url))
                                  ) from exc

        result: tuple[Any, bytes, httpx.Headers] = self._run(url, attempt)
        return result

    def _space_calls(self) -> None:
        if self.min_interval > 0 and self._last_call is not None:
            wait = self._last_call + self.min_interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_call = time.monotonic()

    # -- downloads --------------------------------------------------------------------------------------
    def download(self, url: str, dest: Path, *, description: str | None = None, refresh: bool = False,
                 revalidate: bool = False, expected: tuple[str, str] | None = None) -> Download:
        """``url`` into ``dest`` (resumable, verified); see the module docstring.

        ``expected`` is the publisher's own checksum ``(algorithm, hex)`` (``md5``, ``sha256``…): a
        download that does not match it is deleted and refused.
        """
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(dest):
            return self._download(url, dest, description or dest.name, refresh, revalidate, expected)

    def _download(self, url: str, dest: Path, desc: str, refresh: bool, revalidate: bool,
                  expected: tuple[str, str] | None) -> Download:
        cached = None if refresh else self._cached(dest, url)
        if cached is not None and not revalidate:
            return cached
        part = dest.with_name(dest.name + ".part")

        def attempt() -> Download:
            return self._fetch_once(url, dest, part, desc, cached)

        done: Download = self._run(url, attempt)
        if done.reused:
            return done
        if expected is not None:
            algorithm, want = expected
            h = hashlib.new(algorithm.lower())
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            if h.hexdigest().lower() != want.lower():
                part.unlink(missing_ok=True)
                _part_meta(part).unlink(missing_ok=True)
                raise FormatError(f"the download does not match the publisher's {algorithm} checksum "
                                  f"({h.hexdigest()} ≠ {want}); it was deleted: fetch again", path=_redact(url))
        os.replace(part, dest)
        _write_json(sidecar_path(dest), {
            "url": _redact(url), "bytes": done.bytes, "sha256": done.sha256, "etag": done.etag,
            "last_modified": done.last_modified, "fetched_at": done.fetched_at.isoformat(),
        })
        _part_meta(part).unlink(missing_ok=True)
        log.info("downloaded %s (%d bytes, sha256 %s)", dest, done.bytes, done.sha256)
        return Download(done.url, dest, done.bytes, done.sha256, done.etag, done.last_modified, done.fetched_at,
                        False, done.resumed_from)

    def _cached(self, dest: Path, url: str) -> Download | None:
        if not dest.exists():
            return None
        record = read_sidecar(dest)
        if record is None:
            log.warning("%s has no checksum record: downloading it again", dest)
            dest.unlink()
            return None
        size = dest.stat().st_size
        actual = file_sha256(dest)
        if actual != record.get("sha256") or size != record.get("bytes"):
            log.warning("%s no longer matches its recorded sha256 (%s, found %s): downloading it again",
                        dest, record.get("sha256"), actual)
            dest.unlink()
            sidecar_path(dest).unlink(missing_ok=True)
            return None
        fetched = datetime.fromisoformat(str(record.get("fetched_at")))
        if self.progress is not None:
            self.progress(size, size, f"{dest.name} (cached, verified)")
        return Download(str(record.get("url") or _redact(url)), dest, size, actual, record.get("etag"),
                        record.get("last_modified"), fetched, reused=True)

    def _fetch_once(self, url: str, dest: Path, part: Path, desc: str, cached: Download | None) -> Download:
        headers = {"Accept-Encoding": "identity"}
        offset = 0
        pmeta = _read_part_meta(part)
        if part.exists() and pmeta is not None and pmeta.get("url") == _redact(url):
            offset = part.stat().st_size
        else:
            part.unlink(missing_ok=True)
        if offset:
            headers["Range"] = f"bytes={offset}-"
            validator = _strong(pmeta.get("etag") if pmeta else None) or (pmeta or {}).get("last_modified")
            if validator:
                headers["If-Range"] = str(validator)
        elif cached is not None:  # revalidating a cached file
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        with self.client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 and cached is not None:
                log.info("%s: not modified since it was cached", dest)
                return cached
            if response.status_code == 416 and offset:
                complete = (response.headers.get("Content-Range") or "").rpartition("/")[2].strip()
                if complete.isdigit() and int(complete) == offset:  # killed after the last byte, before the rename
                    pm = pmeta or {}
                    return Download(_redact(url), part, offset, file_sha256(part), pm.get("etag"),
                                    pm.get("last_modified"), datetime.now(UTC).replace(tzinfo=None), False, offset)
                log.info("%s: the server has no bytes past %d any more: restarting", dest, offset)
                part.unlink(missing_ok=True)
                raise _Retry("the partial download no longer matches the server's file", 0.0)
            self._check(response, url)
            total: int | None = None
            length = response.headers.get("Content-Length")
            if response.status_code == 206:
                span = _content_range(response.headers.get("Content-Range"))
                if span is None or span[0] != offset:
                    part.unlink(missing_ok=True)
                    raise _Retry("the server answered another byte range than asked: restarting", 0.0)
                total = span[1]
                mode = "ab"
                log.info("%s: resuming at byte %d", dest, offset)
            else:
                if offset:
                    log.info("%s: the server ignored the range request: restarting from the beginning", dest)
                offset = 0
                mode = "wb"
                total = int(length) if length and length.isdigit() else None
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if mode == "wb":  # a new file: remember the validators that a resume must match
                _write_json(_part_meta(part), {"url": _redact(url), "etag": etag, "last_modified": last_modified})
            hasher = hashlib.sha256()
            if mode == "ab":
                with part.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        hasher.update(block)
            done = offset
            with part.open(mode) as fh:
                try:
                    for chunk in response.iter_raw():  # as received: a dropped connection loses nothing read
                        fh.write(chunk)
                        hasher.update(chunk)
                        done += len(chunk)
                        if self.progress is not None:
                            self.progress(done, total, desc)
                finally:
                    fh.flush()
                    os.fsync(fh.fileno())
            if total is not None and done != total:
                raise _Retry(f"the download of {dest.name} stopped at {done} of {total} bytes")
            pm = _read_part_meta(part) or {}
            return Download(_redact(url), part, done, hasher.hexdigest(), pm.get("etag", etag),
                            pm.get("last_modified", last_modified), datetime.now(UTC).replace(tzinfo=None),
                            False, offset)


@contextmanager
def _exclusive(dest: Path) -> Iterator[None]:
    """One download of ``dest`` at a time: a second fetch of the same file stops with a clear error."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover  (not POSIX: no lock)
        yield
        return
    lock = dest.with_name(dest.name + ".lock")
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise UsageError(f"{dest}: another autarky fetch is downloading this file; wait for it to finish"
                             ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _part_meta(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _read_part_meta(part: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(_part_meta(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


_SECRET_PARAMS = ("subscription-key", "token", "key", "apikey", "api_key")


def _redact(url: str) -> str:
    """``url`` without credentials in its query string (they never reach a log or the store)."""
    try:
        u = httpx.URL(url)
    except httpx.InvalidURL:
        return url
    if not u.query:
        return url
    params = [(k, "…" if k.lower() in _SECRET_PARAMS else v) for k, v in u.params.multi_items()]
    return str(u.copy_with(params=params))
