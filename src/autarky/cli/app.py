"""The root Typer app, shared options, and the one place library errors become exit codes.

Exit codes: 0 success; 1 a user error (an :class:`AutarkyError`: one line on stderr, no traceback unless
``--debug``); 2 a usage error (Typer/Click's own).  Domain command groups live in sibling modules and
register themselves on :data:`app` when :mod:`autarky.cli` is imported; none of them computes anything.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from autarky.cli.lazy import LazyGroup
from autarky.errors import AutarkyError

if TYPE_CHECKING:
    from autarky.store import Store

__all__ = ["StoreOption", "app", "console", "err_console", "get_store", "main", "progress_bar", "state"]

app = typer.Typer(
    name="autarky",
    help="Measure technological self-sufficiency: chokepoints, export-control scenarios, trade dependence, "
    "state investment and input-output shocks, from real data in one DuckDB store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)
console = Console()
err_console = Console(stderr=True)


class _State:
    store_path: Path | None = None
    debug: bool = False


state = _State()

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store file (default: $AUTARKY_STORE or ./autarky.duckdb).", show_default=False),
]


@app.callback()
def _root(
    store: StoreOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
) -> None:
    state.store_path = store
    state.debug = debug or bool(os.environ.get("AUTARKY_DEBUG"))
    logging.basicConfig(level=logging.DEBUG if state.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


def get_store(store: Path | None = None, *, read_only: bool = False, ensure_data: bool = False,
              adopt: bool = False) -> Store:
    """Open the store named by ``--store`` (on the command or the root), ``$AUTARKY_STORE`` or the default.

    ``ensure_data`` loads the bundled sample data first if the store has no dataset yet (first use);
    ``adopt`` (``autarky init`` only) lets autarky add its tables to a DuckDB file that holds other tables.
    """
    from autarky.queries.plumbing import open_store

    path = store if store is not None else state.store_path
    st = open_store(path, read_only=read_only, adopt=adopt)
    if ensure_data and not read_only:
        row = st.raw.execute("SELECT count(*) FROM datasets").fetchone()
        if not row or not row[0]:
            err_console.print(f"[dim]first use: loading the bundled sample data into {st.path}[/dim]")
            from autarky.cli.core import load_bundled_with_progress

            load_bundled_with_progress(st)
    return st


def get_reader(store: Path | None = None, *, needs_data: bool = True) -> Store:
    """The store opened read-only for a question (several readers may share it, e.g. beside a server).

    A store that does not exist yet, or holds no dataset when the question needs data, is first created and
    given the bundled sample data (first use), then reopened read-only.
    """
    from autarky.queries.plumbing import open_store, resolve_store_path

    path = resolve_store_path(store if store is not None else state.store_path)
    if path.exists():
        st = open_store(path, read_only=True)
        if not needs_data:
            return st
        row = st.raw.execute("SELECT count(*) FROM datasets").fetchone()
        if row and row[0]:
            return st
        st.close()
    get_store(path, ensure_data=needs_data).close()
    return open_store(path, read_only=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[..., None]]:
    """A Rich progress bar on stderr, handed to library code as a ``progress(done, total, description)``."""
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int | None = None, desc: str | None = None) -> None:
            kwargs: dict[str, Any] = {"completed": done}
            if total is not None:
                kwargs["total"] = total
            if desc:
                kwargs["description"] = desc
            bar.update(task, **kwargs)

        yield update


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning library errors into one line and exit 1."""
    if argv is None:  # a process of its own (see autarky.startup)
        from autarky.startup import leave_out_pandas

        leave_out_pandas(sys.argv[1:])
    import autarky.cli  # noqa: F401  (registers every command group)

    try:
        app(args=argv, prog_name="autarky")  # standalone: usage errors print and exit 2
    except AutarkyError as exc:
        if state.debug:
            raise
        err_console.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        from autarky.queries.plumbing import parquet_missing

        if state.debug or not parquet_missing(exc):
            raise
        # the store's Parquet is gone (a copied store): DuckDB raises the message the view carries
        message = str(exc).split("Error: ", 1)[-1]
        err_console.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)
        sys.exit(1)
