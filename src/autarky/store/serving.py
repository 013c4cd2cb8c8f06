"""Who holds the store: ``autarky serve`` writes a PID file beside the store so other commands can say so.

DuckDB lets one process write a database file, or many read it.  The server reads (a pool of read-only
connections), so reading commands run beside it; a command that writes finds the file locked and, through
:func:`lock_message`, tells the user which server holds it and what to do instead of DuckDB's own advice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["lock_message", "pid_file", "server_pid", "serving"]


def pid_file(store_path: Path) -> Path:
    """Where a server of ``store_path`` records its PID: ``<store file>.serve.pid``."""
    path = Path(os.path.abspath(store_path))
    return path.with_name(path.name + ".serve.pid")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def server_pid(store_path: Path) -> tuple[int, str] | None:
    """The PID and address of a live ``autarky serve`` on ``store_path``, or None (a stale file is ignored)."""
    try:
        info = json.loads(pid_file(store_path).read_text(encoding="utf-8"))
        pid, url = int(info["pid"]), str(info.get("url") or "")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (pid, url) if _alive(pid) else None


@contextmanager
def serving(store_path: Path, url: str) -> Iterator[Path]:
    """Record this process as the server of ``store_path`` for the duration of the block."""
    target = pid_file(store_path)
    tmp = target.with_name(target.name + f".{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
    os.replace(tmp, target)
    try:
        yield target
    finally:
        with suppress(OSError, ValueError, KeyError, TypeError):
            if int(json.loads(target.read_text(encoding="utf-8"))["pid"]) == os.getpid():
                target.unlink()


def lock_message(store_path: Path, detail: str) -> str:
    """What to tell a user whose command could not open ``store_path`` because another process holds it."""
    server = server_pid(store_path)
    if server is not None:
        pid, url = server
        where = f" at {url}" if url else ""
        return (f"{store_path}: the store is in use by `autarky serve` (PID {pid}{where}), which reads it; "
                "commands that only read work beside it, but this one writes. Stop the server (Ctrl+C in its "
                f"terminal, or `kill {pid}`) and run it again, or send the import to the server "
                "(POST /api/imports/<kind> with its AUTARKY_TOKEN)")
    holder = detail.split("Conflicting lock is held in", 1)[-1].split(". However", 1)[0].strip()
    return (f"{store_path}: the store is open for writing in another process ({holder}); wait for it to finish "
            "or stop it, then run this again")
