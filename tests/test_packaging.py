"""The wheel holds every file the package reads at run time: the README's first command installs autarky
non-editable, so a file the package data do not declare works in the (editable) test venv and fails for a
new user.  Checked against the declaration in pyproject.toml, expanded the way setuptools expands it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_declares_every_non_python_file() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = conf["tool"]["setuptools"]["package-data"]["autarky"]
    pkg = ROOT / "src" / "autarky"
    declared = {p for pattern in patterns for p in pkg.glob(pattern) if p.is_file()}
    needed = {p for p in pkg.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
              and "__pycache__" not in p.parts}
    missing = sorted(str(p.relative_to(pkg)) for p in needed - declared)
    assert not missing, missing[:20]
