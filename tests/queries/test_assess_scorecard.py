"""`autarky assess` in a terminal: one screen of takeaways and evidence (issue 20), the rest on demand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autarky.queries import ask
from autarky.store import open_store


def _assess(store: Path, tmp_path: Path, *args: str) -> list[str]:
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "autarky", "--store", str(store), "assess", "CHN", *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.fixture(scope="module")
def card(bundled_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _assess(bundled_store_path, tmp_path_factory.mktemp("card"))


def test_the_scorecard_fits_one_screen_and_opens_with_takeaways(card: list[str]) -> None:
    assert len(card) <= 60
    assert all(len(line) <= 80 for line in card)
    assert card[0].startswith("CHN")
    bullets = [i for i, line in enumerate(card[:25]) if line.startswith("• ")]
    assert 3 <= len(bullets) <= 6 and bullets[0] == 1  # the takeaways come first
    assert "%" in " ".join(card[1:bullets[-1] + 2])  # sentences that name their figures
    assert any("chokepoints" in line for line in card) and any("What the data lack" in line for line in card)
    assert not any("_" in line.split("│")[0] for line in card if line.startswith("┃"))  # headers are words


def test_detail_prints_what_the_scorecard_leaves_out(card: list[str], bundled_store_path: Path,
                                                    tmp_path: Path) -> None:
    detail = _assess(bundled_store_path, tmp_path, "--detail")
    assert len(detail) > 2 * len(card)
    st = open_store(bundled_store_path, read_only=True)
    try:
        sections = ask(st, "assess", economy="CHN").sections  # type: ignore[attr-defined]
    finally:
        st.close()
    rest = [s.title for s in sections if not s.brief]
    assert rest
    for title in rest:  # every section the scorecard leaves out is printed in full by --detail
        assert any(line.startswith(title[:60]) for line in detail), title
        assert not any(line.startswith(title[:60]) for line in card), title
    one = _assess(bundled_store_path, tmp_path, "--section", "measures")
    assert 0 < len(one) < len(detail)
