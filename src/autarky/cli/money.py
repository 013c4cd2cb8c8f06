"""``autarky money resolve``: accept or reject entity-match suggestions (a write; the listing is the
``money suggestions`` question).  The other ``money`` commands are questions, generated from the registry.
"""

from __future__ import annotations

from typing import Annotated

import typer

from autarky.cli.app import StoreOption, err_console, get_reader, get_store
from autarky.cli.questions import group
from autarky.cli.render import Format, render

__all__ = ["resolve_cmd"]

money_app = group("money")


@money_app.command("resolve")
def resolve_cmd(
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Merge: the suggestion's number or key.")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Keep apart: number or key.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Show decided suggestions too.")] = False,
    store: StoreOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Review possible entity matches: list them, then --accept N (merge) or --reject N (distinct)."""
    from autarky.queries import ask, plumbing

    todo = [(w, "merge") for w in accept or []] + [(w, "distinct") for w in reject or []]
    if todo:
        st = get_store(store, ensure_data=True)
        for d in plumbing.decide_suggestions(st, todo):  # numbers as listed before the first decision
            err_console.print(f"{d.decision}: {d.entity_type} {d.entity_id} -> {d.candidate_id}")
        return
    render(ask(get_reader(store), "money.suggestions", all=all_), fmt)
