"""The progress callback every long task takes (imports, downloads); faces draw it, the library never prints."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress"]


class Progress(Protocol):
    """Called with the work done so far, the total when known, and what is being done."""

    def __call__(self, done: int, total: int | None = None, description: str | None = None) -> None: ...
