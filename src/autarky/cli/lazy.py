"""Command groups that build their generated commands only when one is run.

:mod:`autarky.cli.questions` registers each question here by group and name, with its summary and a
builder; Click asks the group for a command only when it is invoked (or shown in its own help).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any

from typer import core as _typer_core
from typer.core import TyperCommand, TyperGroup

#: The Click that Typer runs on: vendored as ``typer._click`` by recent Typer releases, the ``click``
#: package before them (its usage error is the one the group raises).
_click: Any = getattr(_typer_core, "_click", None) or importlib.import_module("click")
_UsageError: Any = importlib.import_module(_click.__name__ + ".exceptions").UsageError

__all__ = ["LAZY", "LazyGroup"]

#: Per command group (the root app is "autarky"): command name -> (summary, builder of the Click command).
LAZY: dict[str, dict[str, tuple[str, Callable[[], Any]]]] = {}


class LazyGroup(TyperGroup):
    """A command group whose question commands are built only when run (or asked for their own help).

    Building a command means turning its request's parameters into Click options, ~10 ms a command: done
    for all ~45 questions it made ``autarky --help`` several times slower than importing Typer.  The group's
    own help lists each lazy command by its summary without building it.
    """

    _listing = False

    def _lazy(self) -> dict[str, tuple[str, Callable[[], Any]]]:
        return LAZY.get(self.name or "", {})

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(n for n in self._lazy() if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in self._lazy():
            return self.commands.get(cmd_name)
        summary, build = self._lazy()[cmd_name]
        if self._listing:  # a stand-in that carries the summary for the group's help
            return TyperCommand(cmd_name, help=summary)
        self.commands[cmd_name] = cmd = build()
        return cmd

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except _UsageError as exc:  # "did you mean …" over every command, built or not
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                exc.message = exc.message.rstrip(".") + ". Did you mean " + ", ".join(map(repr, matches)) + "?"
            raise
