"""A response cache for the read endpoints: the bytes of each successful ``GET /api/...`` answer, per store
generation and exact path and query.

The store is read-only between imports, and every read endpoint is a pure function of the store and of its
parameters, so an answer stays right until the next import, which bumps the hub's generation (the key's first
part): nothing stale is ever served.  Entries are kept least-recently-used first, within a byte budget; errors,
imports and oversized answers are never kept.  A hit skips routing, validation and serialisation entirely.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from autarky.api.hub import StoreHub

__all__ = ["ResponseCache"]

_Key = tuple[int, str, bytes]


class ResponseCache:
    """ASGI middleware: serve ``GET /api/...`` 200 answers from memory, per store generation."""

    def __init__(self, app: ASGIApp, hub: StoreHub, *, max_bytes: int = 64 * 1024 * 1024,
                 max_entry_bytes: int = 4 * 1024 * 1024) -> None:
        self.app = app
        self.hub = hub
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.entries: OrderedDict[_Key, tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._generation = hub.generation

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path: str = scope["path"]
        return path.startswith("/api/") and not path.startswith(("/api/imports", "/api/health"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        if self.hub.generation != self._generation:  # an import happened: every entry is stale
            self.entries.clear()
            self.size = 0
            self._generation = self.hub.generation
        key: _Key = (self.hub.generation, scope["path"], scope.get("query_string", b""))
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            headers, body = entry
            await send({"type": "http.response.start", "status": 200, "headers": [*headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message["status"] == 200
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                keep = sum(len(c) for c in chunks) <= self.max_entry_bytes
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start:
            self._store(key, list(start.get("headers", [])), b"".join(chunks))

    def _store(self, key: _Key, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if key in self.entries or key[0] != self.hub.generation:
            return
        self.entries[key] = (headers, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= len(old)
