"""Every question asked through the CLI and through the HTTP API gives the same JSON document.

Driven by the registry (not a hand-kept list of URLs): a new question is covered as soon as it is registered
with an example request.  Also: every question's ``--format json`` is valid JSON on stdout alone (progress and
messages go to stderr).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autarky.api import create_app
from autarky.cli import app as cli_app
from autarky.queries import QUESTIONS
from autarky.queries.spec import Question, params_of


def cli_args(q: Question, example: dict[str, Any]) -> list[str]:
    """The command line that asks ``q`` with ``example`` (field values as a face sends them)."""
    args = list(q.command)
    declared = {n: p for n, p, _ in params_of(q.request)}
    for name, value in example.items():
        p = declared[name]
        if p.positional:
            args.append(str(value))
        elif p.wire is bool:
            if value:
                args.append(p.flag or "--" + name.replace("_", "-"))
        elif p.pair:
            args += [p.flag or "--" + name.replace("_", "-"), *str(value).split(",")]
        else:
            args += [p.flag or "--" + name.replace("_", "-"), str(value)]
    return args


@pytest.fixture(scope="module")
def api(bundled_store_path: Path) -> Iterator[TestClient]:
    application = create_app(bundled_store_path, response_cache=False)
    with TestClient(application) as client:
        yield client
    application.state.settings.hub.close()


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_cli_json_equals_api_json(q: Question, api: TestClient, bundled_store_path: Path) -> None:
    r = CliRunner().invoke(cli_app, ["--store", str(bundled_store_path), *cli_args(q, q.example), "--format",
                                     "json"])
    assert r.exit_code == 0, r.output
    from_cli = json.loads(r.stdout)  # stdout alone is the document: nothing else is printed there
    response = api.get(q.path, params={k: (str(v).lower() if isinstance(v, bool) else v)
                                       for k, v in q.example.items()})
    assert response.status_code == 200, response.text
    assert from_cli == response.json()
    assert from_cli["question"] == q.name


TABULAR = [q for q in QUESTIONS if q.tabular]


@pytest.mark.parametrize("q", TABULAR, ids=[q.name for q in TABULAR])
def test_a_page_is_the_same_document_too(q: Question, api: TestClient, bundled_store_path: Path) -> None:
    r = CliRunner().invoke(cli_app, ["--store", str(bundled_store_path), *cli_args(q, q.example), "--limit", "2",
                                     "--offset", "1", "--format", "json"])
    assert r.exit_code == 0, r.output
    response = api.get(q.path, params={**{k: (str(v).lower() if isinstance(v, bool) else v)
                                          for k, v in q.example.items()}, "limit": 2, "offset": 1})
    assert response.status_code == 200, response.text
    assert json.loads(r.stdout) == response.json()


def test_every_question_has_an_api_route_and_a_cli_command(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    commands = {tuple(c.split()) for c in _commands()}
    for q in QUESTIONS:
        assert q.path in paths, q.name
        assert q.command in commands, q.name


def _commands() -> Iterator[str]:
    import typer.main

    root: Any = typer.main.get_command(cli_app)
    ctx: Any = None
    for name in root.list_commands(ctx):  # the commands built on first use too
        cmd = root.get_command(ctx, name)
        if hasattr(cmd, "list_commands"):  # a group
            for sub in cmd.list_commands(ctx):
                assert cmd.get_command(ctx, sub) is not None
                yield f"{name} {sub}"
        else:
            yield name
