"""The README opens with two commands; the second is exactly what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_test_command() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command -->\s*```bash\n(.+?)\n```\s*<!-- /test-command -->", text, re.S)
    assert block is not None, "README has no test command between its markers"
    return block.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _readme_test_command() in ci


def test_readme_opens_with_the_main_job_then_the_tests() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.+?)\n```", text, re.S)[:2]
    assert "autarky assess CHN" in commands[0] and "pip install ." in commands[0]
    assert commands[1].strip() == _readme_test_command()
    assert "pytest" in commands[1]


def test_the_python_api_snippet_runs_as_documented(tmp_path: Path, bundled_store_path: Path,
                                                   monkeypatch: object) -> None:
    """The README's Python example, run as written in a folder holding a store called autarky.duckdb."""
    import shutil

    import pytest

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- python-api -->\s*```python\n(.+?)\n```\s*<!-- /python-api -->", text, re.S)
    assert block is not None, "README has no Python API example between its markers"
    shutil.copy(bundled_store_path, tmp_path / "autarky.duckdb")
    shutil.copytree(bundled_store_path.with_name(bundled_store_path.name + ".parquet"),
                    tmp_path / "autarky.duckdb.parquet")
    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    try:
        namespace: dict[str, object] = {}
        exec(compile(block.group(1), "README.md", "exec"), namespace)
    finally:
        mp.undo()
    frame = namespace["frame"]
    assert "imports_basis" in frame.columns  # type: ignore[attr-defined]
    assert namespace["doc"]["question"] == "money.flows"  # type: ignore[index]
    assert namespace["report"].economy == "CHN"  # type: ignore[attr-defined]
