"""``autarky serve --workers N``: N server processes, each accepting connections on a socket of its own.

With one listening socket shared by every process (uvicorn's supervisor), the process that wakes first takes
every connection waiting, up to the backlog, in one go (asyncio's accept loop): in ``bench/api/bench_cold.py``
the 32 keep-alive connections, opened together, went all to one of four workers (3.37 s of CPU for the mix
against 0.01 s for each of the others) or ~70% to one of two, which answered them alone while the others
idled.  On Linux every worker listens on its own socket bound to the same address with ``SO_REUSEPORT``, and the
kernel spreads new connections over the sockets by a hash of their addresses: each worker gets its share,
give or take the spread of a fair coin (32 connections over two workers: 16 ± 3).

The parent holds the port (bound with ``SO_REUSEPORT`` but not listening, so the kernel gives it no
connection: a port asked as 0 stays the same for every worker and any restarted one), starts the workers,
announces the address once each listens and has built its app (the store open), replaces a worker that dies
while serving, stops every worker when one fails to start, and stops them all on SIGINT or SIGTERM; a worker
whose supervisor dies otherwise (SIGKILL) gets SIGTERM from the kernel and stops too.
Elsewhere (no ``SO_REUSEPORT`` that balances) uvicorn's supervisor shares one socket.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["PORT_SHARING", "WorkerStartError", "hold_port", "listening_socket", "run_workers", "uvicorn_config"]

#: Whether workers can listen on sockets of their own that the kernel balances (Linux's SO_REUSEPORT).
PORT_SHARING = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
_PR_SET_PDEATHSIG = 1  # prctl(2)
#: The longest a worker may take to listen and build its app (open the store, import the routes).
STARTUP_SECONDS = 120.0
#: How long a worker has to stop after SIGTERM (uvicorn's graceful shutdown takes at most 5 s) before SIGKILL.
STOP_SECONDS = 10.0


class WorkerStartError(RuntimeError):
    """A worker process could not start (its exit code is in the message)."""


def uvicorn_config(app: Any, workers: int = 1) -> Any:
    """uvicorn's configuration for ``app`` (an app, or the import name of an app factory)."""
    import uvicorn

    return uvicorn.Config(app, factory=isinstance(app, str), workers=workers, log_level="warning",
                          access_log=False, lifespan="on", timeout_graceful_shutdown=5)


def listening_socket(host: str, port: int, *, shared_port: bool = False, listen: bool = True) -> socket.socket:
    """A TCP socket bound to ``(host, port)`` (``shared_port``: with SO_REUSEPORT), listening unless told not to.

    Raises OSError if the address cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def hold_port(host: str, port: int) -> socket.socket:
    """A socket holding ``host:port`` (0: a free port) for workers that listen on it with SO_REUSEPORT: bound
    with it, not listening.

    Any process of the same user may join a SO_REUSEPORT group and take a share of its connections, so the
    address is first bound without it: if another server (or another ``autarky serve --workers``) listens
    there, that fails.  Raises OSError if the address cannot be bound."""
    probe = listening_socket(host, port, listen=False)
    try:
        port = probe.getsockname()[1]
        return listening_socket(host, port, shared_port=True, listen=False)
    finally:
        probe.close()


def _exit_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGTERM when the supervisor dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG), so that no worker outlives it holding the port; exit now if it is already gone."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the request took effect
        sys.exit(0)


def _worker(host: str, port: int, ready: Connection, parent: int) -> None:
    """One worker process: listen on a socket of its own, build the app (connections wait in the backlog),
    say it is ready, and serve until SIGTERM (or its supervisor's end)."""
    import uvicorn

    from autarky.api.app import worker_app

    _exit_with_parent(parent)
    sock = listening_socket(host, port, shared_port=True)
    api = worker_app()
    ready.send(True)
    ready.close()
    uvicorn.Server(uvicorn_config(api)).run(sockets=[sock])


class _Workers:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or store of ours
        self.procs: list[Any] = []

    def start(self, slot: int | None = None) -> None:
        """Start a worker (into ``slot``, replacing a dead one) and wait until it is ready to serve."""
        theirs, ours = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=_worker, args=(self.host, self.port, ours, os.getpid()),
                                name="autarky-serve-worker", daemon=False)
        proc.start()
        ours.close()
        ready = False
        with contextlib.suppress(EOFError):  # EOF: it died first
            ready = bool(theirs.poll(STARTUP_SECONDS) and theirs.recv())
        theirs.close()
        if slot is None:
            self.procs.append(proc)
        else:
            self.procs[slot] = proc
        if not ready:
            proc.join(1)
            raise WorkerStartError(f"a server process did not start (exit code {proc.exitcode})")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for proc in self.procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()


def run_workers(holder: socket.socket, count: int, announce: Callable[[], None]) -> None:
    """Serve with ``count`` worker processes on the address ``holder`` is bound to (by :func:`hold_port`) until
    SIGINT or SIGTERM; ``announce()`` once every worker listens and has built its app.  A worker that dies
    once serving is replaced.  Raises WorkerStartError if a worker (first or replacement)
    fails to start: it would fail alike again."""
    host, port = holder.getsockname()[:2]
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = _Workers(host, port)
    try:
        for _ in range(count):
            workers.start()
        announce()
        while not stop.is_set():
            wait([p.sentinel for p in workers.procs], timeout=0.5)
            for slot, proc in enumerate(workers.procs):
                if not proc.is_alive() and not stop.is_set():
                    workers.start(slot)
    finally:
        workers.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
