"""Process start-up: what a one-shot ``autarky`` process may leave unloaded.

pyarrow and DuckDB import pandas the first time they see any value (``pa.array``, ``pa.scalar``, a query
parameter), only to recognise pandas objects; pandas then costs some 0.4–0.5 s of a process's start-up
(measured on the 2-core machine of ``bench/trade/bench_ingest_process.py``: a 1,000-row ``autarky import
baci`` takes 1.25 s without it and 1.67 s with it).  The commands in :data:`PANDAS_FREE` run without
pandas (``tests/cli/test_cli_startup.py`` runs them in a real process), so in their process ``import
pandas`` fails at once and pyarrow and DuckDB take pandas as absent.  Only the console entry point does this
(:func:`autarky.cli.app.main` without ``argv``): the process ends with the command, while in-process
callers (tests, notebooks) keep pandas.  Code that does need pandas on such a path (country_converter, when
a new store seeds its economies) calls :func:`need_pandas` first.
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["PANDAS_FREE", "PandasLeftOut", "leave_out_pandas", "need_pandas"]

#: Commands (as the words that name them) whose whole run needs no pandas.
PANDAS_FREE: tuple[tuple[str, ...], ...] = (("import", "baci"),)


class PandasLeftOut:
    """A meta path finder refusing ``pandas`` and its submodules, saying why (a :class:`ModuleNotFoundError`,
    as if absent); the rest it leaves to the next finders."""

    def __init__(self, command: str) -> None:
        self.command = command

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            raise ModuleNotFoundError(
                f"pandas is left out of `autarky {self.command}` processes (start-up time); the code that "
                "needs it must call autarky.startup.need_pandas() first: please report this as a bug",
                name=fullname,
            )
        return None


def leave_out_pandas(args: Sequence[str]) -> bool:
    """In a process running a command of :data:`PANDAS_FREE` (named anywhere in ``args``, options around
    it), make ``import pandas`` fail; returns whether it did.  Nothing changes if pandas is loaded."""
    if "pandas" in sys.modules:
        return False
    words = list(args)
    for command in PANDAS_FREE:
        n = len(command)
        if any(tuple(words[i : i + n]) == command for i in range(len(words) - n + 1)):
            sys.meta_path.insert(0, PandasLeftOut(" ".join(command)))
            return True
    return False


def need_pandas() -> None:
    """Let pandas load again in this process (for code that cannot do without it)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, PandasLeftOut)]
