"""A real HTTP server on 127.0.0.1, in a thread, that plays the publishers for the fetch tests.

It serves registered bodies by path (and, for APIs, by a function of the query string), and can
misbehave on purpose, per path:

* ``Range: bytes=N-`` answered with ``206`` and ``Content-Range`` (``If-Range`` honoured), or ignored
  (``ignore_range``) like a server that does not do ranges;
* ``ETag`` / ``Last-Modified`` sent, ``If-None-Match`` answered with ``304``;
* ``fail[path] = [429, 500, …]``: these statuses first (``Retry-After`` from ``retry_after``), then the body;
  ``fail_forever[path] = 500``: that status every time;
* ``drop_after[path] = n``: the next answer promises the whole body but the connection closes after
  ``n`` bytes (once per registration);
* ``rate[path] = bytes per second``: a slow answer, so a process can be killed in the middle;
* as an HTTP proxy: a request line with an absolute URL (``GET http://example.invalid/x``) is served
  by its path and logged with ``proxied=True``.

Every request is logged (method, path, query, headers, status, bytes sent) in :attr:`Loopback.log`.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from autarky.fetch import FetchConfig, RetryPolicy


@dataclass
class Resource:
    body: bytes
    content_type: str = "application/octet-stream"
    etag: str | None = None
    last_modified: str | None = "Wed, 01 Feb 2023 10:00:00 GMT"

    def __post_init__(self) -> None:
        if self.etag is None:
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int = 0
    sent: int = 0
    proxied: bool = False


Dynamic = Callable[[dict[str, list[str]], dict[str, str]], "Resource | int"]


@dataclass
class Loopback:
    """The server's state, shared with its handler threads."""

    resources: dict[str, Resource] = field(default_factory=dict)
    dynamic: dict[str, Dynamic] = field(default_factory=dict)
    fail: dict[str, list[int]] = field(default_factory=dict)
    fail_forever: dict[str, int] = field(default_factory=dict)
    retry_after: str | None = "0"
    drop_after: dict[str, int] = field(default_factory=dict)
    rate: dict[str, int] = field(default_factory=dict)
    ignore_range: set[str] = field(default_factory=set)
    log: list[Hit] = field(default_factory=list)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def add(self, path: str, body: bytes, content_type: str = "application/octet-stream",
            **kwargs: str | None) -> Resource:
        res = Resource(body, content_type, **kwargs)  # type: ignore[arg-type]
        self.resources[path] = res
        return res

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]


def _handler(state: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            proxied = self.path.startswith("http://")
            parts = urlsplit(self.path)
            path = parts.path
            query = parse_qs(parts.query, keep_blank_values=True)
            headers = {k.lower(): v for k, v in self.headers.items()}
            hit = Hit("GET", path, query, headers, proxied=proxied)
            with state.lock:
                state.log.append(hit)
                queued = state.fail.get(path)
                status = queued.pop(0) if queued else state.fail_forever.get(path)
            if status:
                self._status(hit, status)
                return
            res: Resource | int | None = state.resources.get(path)
            if res is None and path in state.dynamic:
                res = state.dynamic[path](query, headers)
            if res is None or isinstance(res, int):
                self._status(hit, res or 404)
                return
            inm = headers.get("if-none-match")
            if inm is not None and inm == res.etag:
                hit.status = 304
                self.send_response(304)
                self.send_header("ETag", res.etag or "")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = res.body
            start = 0
            rng = headers.get("range")
            if_range = headers.get("if-range")
            if rng and path not in state.ignore_range and (if_range is None or if_range in (res.etag,
                                                                                          res.last_modified)):
                first = int(rng.removeprefix("bytes=").split("-")[0])
                if first >= len(body):
                    self._status(hit, 416, {"Content-Range": f"bytes */{len(body)}"})
                    return
                start = first
                hit.status = 206
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                hit.status = 200
                self.send_response(200)
            self.send_header("Content-Type", res.content_type)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("Accept-Ranges", "bytes")
            if res.etag:
                self.send_header("ETag", res.etag)
            if res.last_modified:
                self.send_header("Last-Modified", res.last_modified)
            self.end_headers()
            payload = body[start:]
            with state.lock:
                cut = state.drop_after.pop(path, None)
            rate = state.rate.get(path)
            if cut is not None:
                payload = payload[:cut]
            step = max(1, rate // 20) if rate else 1 << 16
            try:
                for i in range(0, len(payload), step):
                    self.wfile.write(payload[i:i + step])
                    self.wfile.flush()
                    hit.sent += len(payload[i:i + step])
                    if rate:
                        time.sleep(step / rate)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                return
            if cut is not None:
                self.close_connection = True

        def _status(self, hit: Hit, status: int, extra: dict[str, str] | None = None) -> None:
            hit.status = status
            body = f"status {status}".encode()
            self.send_response(status)
            if status in (429, 503) and state.retry_after is not None:
                self.send_header("Retry-After", state.retry_after)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class Server:
    """Start and stop a :class:`Loopback` on a free port."""

    def __init__(self) -> None:
        self.state = Loopback()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.state.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def config_for(url: str, cache: Path, **kwargs: Any) -> FetchConfig:
    """A fetch configuration pointed at the loopback server, with fast retries."""
    retry = kwargs.pop("retry", RetryPolicy(retries=3, backoff=0.01, max_backoff=0.05, max_wait=5))
    return FetchConfig(base_url=url, cache_dir=cache, retry=retry, timeout=10, **kwargs)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
