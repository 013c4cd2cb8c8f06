"""``autarky serve``: the HTTP API and the dashboard on one address (uvicorn), over the store."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Annotated

import typer

from autarky.cli.app import StoreOption, app, err_console, get_store
from autarky.cli.workers import PORT_SHARING, hold_port, listening_socket, uvicorn_config

#: The largest import upload accepted by default (the API's own default, repeated to keep start-up light).
DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024


def _bind(host: str, port: int, *, shared_port: bool = False) -> socket.socket:
    """The server's socket: listening, or with ``shared_port`` holding the port for worker processes that each
    listen on their own (:mod:`autarky.cli.workers`)."""
    try:
        sock = hold_port(host, port) if shared_port else listening_socket(host, port)
    except OSError as exc:
        raise typer.BadParameter(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.set_inheritable(True)
    return sock


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port; the address is printed).")]
    = 8000,
    store: StoreOption = None,
    max_upload_mb: Annotated[float, typer.Option(min=0.001, help="Largest import upload accepted, in MiB.")]
    = DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024,
    pool: Annotated[int, typer.Option(min=1, max=64, help=(
        "Requests computed at once per process (each on its own store cursor); the others wait their turn, "
        "first come, first served."))] = 2,
    workers: Annotated[int, typer.Option(min=1, max=64, help=(
        "Server processes (each with its own read-only connection): more than one answers on every core at "
        "once, read-only (imports need one process)."))] = 1,
    warm: Annotated[bool, typer.Option(help=(
        "At start-up, answer every question's example once in the background (in each process), so that "
        "what answers rest on (maps, complexity, ledgers) is ready before the first request."))] = True,
) -> None:
    """Serve the JSON API (OpenAPI at /openapi.json) and the dashboard; read-only unless AUTARKY_TOKEN is set."""
    import uvicorn

    from autarky.queries.plumbing import serving

    token = os.environ.get("AUTARKY_TOKEN") or None
    if token and workers > 1:
        raise typer.BadParameter("imports (AUTARKY_TOKEN) need a single process: the store takes one writer "
                                 "and no other process may hold it open meanwhile; use --workers 1",
                                 param_hint="--workers")
    st = get_store(store, ensure_data=True)  # creates the store and loads the sample data on first use
    path = st.path
    st.close()
    upload = int(max_upload_mb * 1024 * 1024)
    own_sockets = workers > 1 and PORT_SHARING
    sock = _bind(host, port, shared_port=own_sockets)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    mode = "imports accepted with the token" if token else "read-only"
    if workers > 1:
        mode += f", {workers} processes"
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/yellow] listening on {host}: reachable from other machines")

    def announce() -> None:
        typer.echo(f"autarky serving {path} at http://{shown}:{bound}/ ({mode}); Ctrl+C stops")

    with serving(path, f"http://{shown}:{bound}/"):  # a PID file other commands name when the store is busy
        if workers == 1:
            from autarky.api import create_app

            announce()
            api = create_app(path, token=token, max_upload_bytes=upload, pool_size=pool, warm=warm,
                             own_process=True)
            uvicorn.Server(uvicorn_config(api)).run(sockets=[sock])
            return
        _run_workers(workers, sock, path, upload, pool, warm, announce, own_sockets)


def _run_workers(workers: int, sock: socket.socket, path: object, upload: int, pool: int, warm: bool,
                 announce: Callable[[], None], own_sockets: bool) -> None:
    """``workers`` spawned processes, each building its app with :func:`autarky.api.app.worker_app` from the
    environment, which spawned processes inherit; each listening on a socket of its own where the kernel
    balances them (:mod:`autarky.cli.workers`), else uvicorn's supervisor over ``sock`` shared.  DuckDB's
    memory limit is shared out among them unless the user set one."""
    from autarky.api.app import WORKER_ENV
    from autarky.cli.workers import WorkerStartError, run_workers

    for key, value in zip(WORKER_ENV, (str(path), str(upload), str(pool), "1" if warm else "0"), strict=True):
        os.environ[key] = value
    os.environ.setdefault("AUTARKY_MEMORY_LIMIT", f"{max(1, 50 // workers)}%")
    if own_sockets:
        try:
            run_workers(sock, workers, announce)
        except WorkerStartError as exc:
            err_console.print(f"[red]error:[/red] {exc}; see its messages above")
            raise typer.Exit(1) from exc
        finally:
            sock.close()
        return
    from uvicorn.supervisors import Multiprocess

    announce()
    Multiprocess(uvicorn_config("autarky.api.app:worker_app", workers), sockets=[sock]).run()
