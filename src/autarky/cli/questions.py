"""CLI commands generated from the question registry: one command per question, options from its request.

Every command parses its arguments into the question's request (which validates them), asks the question
through :func:`autarky.queries.ask` and renders the typed result (:mod:`autarky.cli.render`).  The HTTP
API is generated from the same registry, so a command's ``--format json`` is the API's JSON.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import MISSING
from pathlib import Path
from typing import Annotated, Any

import typer

from autarky.cli.app import StoreOption, app
from autarky.cli.lazy import LAZY, LazyGroup
from autarky.cli.render import Format
from autarky.queries.spec import Param, Question, params_of

__all__ = ["groups", "register_questions"]

#: Command groups (``trade``, ``chains`` …) created on demand, with their help text.
GROUP_HELP = {
    "trade": "Product-level trade dependence from BACI or Comtrade (load with `autarky import baci PATH`).",
    "chains": "Supply-chain maps: show a node, compare two vintages.",
    "scenario": "Scenarios on the supply-chain map (export controls).",
    "io": "Input-output tables: multipliers, self-sufficiency, export-control shocks.",
    "money": "State investment ledgers: where the money goes, alignment with chokepoints, redundancy, failures.",
    "blocs": "Economies and blocs (named groupings usable wherever an economy is).",
    "measures": "Export-control measures: who restricts what, to whom, since when.",
    "company": "A company's exposure: a bill of materials against maps, trade and measures.",
    "sectors": "Strategic sectors and the evidence autarky holds for each.",
}

groups: dict[str, typer.Typer] = {}

def group(name: str) -> typer.Typer:
    """The sub-app ``autarky NAME …`` (created once)."""
    if name not in groups:
        groups[name] = typer.Typer(help=GROUP_HELP.get(name, ""), no_args_is_help=True, cls=LazyGroup)
        app.add_typer(groups[name], name=name)
    return groups[name]


def _flag(name: str, p: Param) -> str:
    return p.flag or "--" + name.replace("_", "-")


def _parameter(name: str, p: Param, default: Any) -> inspect.Parameter:
    kind = inspect.Parameter.KEYWORD_ONLY
    required = default is MISSING
    help_text = p.help + (f" ({', '.join(p.choices)})" if p.choices and "(" not in p.help else "")
    if p.positional:
        ann: Any = Annotated[p.wire if required else p.wire | None, typer.Argument(help=help_text,
                                                                                    show_default=False)]
        return inspect.Parameter(name, kind, annotation=ann,
                                 default=inspect.Parameter.empty if required else default)
    if p.wire is bool:
        flag = _flag(name, p)
        ann = Annotated[bool, typer.Option(flag, help=help_text)]
        return inspect.Parameter(name, kind, annotation=ann, default=bool(default))
    opts: dict[str, Any] = {"help": help_text}
    if p.wire in (int, float):
        if p.minimum is not None:
            opts["min"] = p.wire(p.minimum)
        if p.maximum is not None:
            opts["max"] = p.wire(p.maximum)
    if p.repeatable:
        ann = Annotated[list[str] | None, typer.Option(_flag(name, p), **opts)]
        return inspect.Parameter(name, kind, annotation=ann, default=None)
    if p.pair:
        ann = Annotated[tuple[str, str], typer.Option(_flag(name, p), **opts)]
        return inspect.Parameter(name, kind, annotation=ann, default=...)
    typ = p.wire if required else p.wire | None
    ann = Annotated[typ, typer.Option(_flag(name, p), **opts, show_default=default is not None)]
    return inspect.Parameter(name, kind, annotation=ann, default=... if required else default)


_COMMON = ("store", "fmt", "out", "limit", "offset")


def command_for(q: Question, *, extra: Callable[..., None] | None = None) -> Callable[..., None]:
    """The Typer callback of question ``q``."""
    declared = params_of(q.request)
    names = {n for n, _, _ in declared}
    clash = names & set(_COMMON)
    if clash:
        raise RuntimeError(f"{q.name}: request fields {clash} clash with common options")

    def callback(**kw: Any) -> None:
        from autarky.cli.app import get_reader
        from autarky.cli.render import render
        from autarky.queries import ask

        fmt: Format = kw.pop("fmt")
        out: Path | None = kw.pop("out")
        store_path: Path | None = kw.pop("store")
        limit: int | None = kw.pop("limit", None)
        offset: int = kw.pop("offset", 0)
        for n, p, _ in declared:
            if p.repeatable and isinstance(kw.get(n), list):
                kw[n] = ",".join(kw[n]) if kw[n] else None
            if p.pair and isinstance(kw.get(n), tuple):
                kw[n] = ",".join(kw[n])
        request = q.request(**kw)
        st = get_reader(store_path, needs_data=q.needs_data)
        result = ask(st, q.name, request).paged(limit, offset)
        render(result, fmt, out, store=st)

    params = [_parameter(n, p, d) for n, p, d in declared]
    if q.tabular:
        params += [
            inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
                int | None, typer.Option(min=1, help="At most this many rows of the main table.")]),
            inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=Annotated[
                int, typer.Option(min=0, help="Skip this many rows of the main table first.")]),
        ]
    params += [
        inspect.Parameter("store", inspect.Parameter.KEYWORD_ONLY, annotation=StoreOption, default=None),
        inspect.Parameter("fmt", inspect.Parameter.KEYWORD_ONLY, default=Format.table, annotation=Annotated[
            Format, typer.Option("--format", "-f", help="Output format: table, csv, json or parquet.")]),
        inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
            Path | None, typer.Option("--out", "-o", help="Write the output to this file (parquet: required "
                                                          "unless stdout is a pipe; assess: the HTML report).",
                                      show_default=False)]),
    ]
    # positional arguments first, in declaration order (Typer keeps the signature's order)
    params.sort(key=lambda p: 0 if _is_argument(p) else 1)
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__doc__ = q.summary + "."
    callback.__name__ = q.name.replace(".", "_")
    return callback


def _is_argument(p: inspect.Parameter) -> bool:
    meta = getattr(p.annotation, "__metadata__", ())
    return any(isinstance(m, typer.models.ArgumentInfo) for m in meta)


def _builder(q: Question) -> Callable[[], Any]:
    def build() -> Any:
        one = typer.Typer()
        one.command(q.command[-1], help=q.summary + ".")(command_for(q))
        return typer.main.get_command(one)

    return build


def register_questions(questions: tuple[Question, ...]) -> None:
    """Add one command per question to the app (``autarky trade dependence …``), built when first used."""
    for q in questions:
        if not q.generated_cli:
            continue
        if len(q.command) == 1:
            where = "autarky"
        else:
            group(q.command[0])
            where = q.command[0]
        LAZY.setdefault(where, {})[q.command[-1]] = (q.summary + ".", _builder(q))
