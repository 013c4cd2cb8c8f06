"""docs/io-layouts.md stays true: its national example is the fixture file and reads as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autarky.io import read_national

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "io-layouts.md"


def test_the_documented_national_example_is_the_fixture_and_balances() -> None:
    if not DOC.exists():
        pytest.skip("docs not present in this checkout")
    blocks = re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    national = next(b for b in blocks if b.startswith("# name: example"))
    lines = [re.sub(r"\s{2,}optional.*$", "", line) for line in national.splitlines()]
    fixture = (ROOT / "tests" / "data" / "io" / "national_example.csv").read_text().splitlines()
    assert lines == fixture
    t = read_national(ROOT / "tests" / "data" / "io" / "national_example.csv")
    assert t.value_added_rows == ("VA",)
