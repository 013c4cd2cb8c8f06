"""The Python face: ``autarky.open(path)`` gives a :class:`Session` whose methods are the questions.

Every question of the registry is a method named like its CLI command (``autarky trade dependence`` →
``s.trade_dependence(...)``, ``autarky io self-sufficiency`` → ``s.io_self_sufficiency(...)``), taking the
request's fields as keywords (positional CLI arguments may be given positionally) and returning the typed
result: figures with their basis and sources, tables with ``to_polars()``, ``to_pandas()``, ``to_arrow()``,
and ``to_dict()`` (the CLI's and the API's JSON).

    >>> import autarky
    >>> s = autarky.open("autarky.duckdb")                # doctest: +SKIP
    >>> s.chokepoints("CHN").table.to_polars().head()     # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autarky.queries import QUESTIONS, Result, ask, plumbing
from autarky.queries.spec import Question, params_of

if TYPE_CHECKING:
    from autarky.store import ImportResult, Store

__all__ = ["Session", "open"]


def _method_name(q: Question) -> str:
    return "_".join(q.command).replace("-", "_")


_METHODS: dict[str, Question] = {_method_name(q): q for q in QUESTIONS}


class Session:
    """An open store and every question as a method (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"Session({str(self.store.path)!r})"

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ask(self, question: str, **inputs: Any) -> Result:
        """Answer a question by its registry name (``"trade.dependence"``)."""
        return ask(self.store, question, **inputs)

    def questions(self) -> list[str]:
        """The method names of every question."""
        return sorted(_METHODS)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(_METHODS))

    def __getattr__(self, name: str) -> Callable[..., Result]:
        q = _METHODS.get(name)
        if q is None:
            raise AttributeError(f"Session has no method {name!r}; questions: {', '.join(sorted(_METHODS))}")
        positional = [n for n, p, _ in params_of(q.request) if p.positional]

        def method(*args: Any, **inputs: Any) -> Result:
            if len(args) > len(positional):
                raise TypeError(f"{name}() takes {len(positional)} positional argument(s)")
            inputs.update(zip(positional, args, strict=False))
            return ask(self.store, q.name, **inputs)

        method.__name__ = name
        method.__doc__ = q.summary + "."
        return method

    # -- writing ---------------------------------------------------------------------------------------------
    def init(self) -> list[ImportResult]:
        """Load every bundled sample dataset (what ``autarky init`` does)."""
        return plumbing.init_store(self.store)

    def import_(self, kind: str, path: str | os.PathLike[str], **options: Any) -> ImportResult:
        """Import a dataset (one transaction; bad rows go to quarantine), like ``autarky import KIND PATH``."""
        return plumbing.run_import(self.store, kind, Path(path), **options)

    def sql(self, query: str) -> Any:
        """Read-only SQL over the store, as an Arrow table."""
        return plumbing.read_only_sql(self.store, query)


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
         init: bool = True) -> Session:
    """Open (creating if needed) the store at ``path`` (default ``$AUTARKY_STORE`` or ``./autarky.duckdb``).

    ``init`` loads the bundled sample data into a store that holds no dataset yet (first use), as the CLI
    does.  ``read_only`` opens an existing store without writing.
    """
    store = plumbing.open_store(path, read_only=read_only)
    if init and not read_only:
        row = store.raw.execute("SELECT count(*) FROM datasets").fetchone()
        if not row or not row[0]:
            plumbing.init_store(store)
    return Session(store)
