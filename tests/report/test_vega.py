"""The Vega bundle is built once per machine and read back from the cache folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autarky.report import vega


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("AUTARKY_CACHE", str(tmp_path / "cache"))
    vega.vega_bundle.cache_clear()
    yield
    vega.vega_bundle.cache_clear()


def test_the_bundle_is_kept_and_read_back_without_building_it_again(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    built = vega.vega_bundle()
    assert "vegaEmbed" in built and len(built) > 100_000
    kept = list((tmp_path / "cache").glob("vega-bundle-*.js"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == built
    assert not list((tmp_path / "cache").glob("*.part"))

    import vl_convert

    def refuse(*_: object, **__: object) -> str:
        raise AssertionError("built again")

    monkeypatch.setattr(vl_convert, "javascript_bundle", refuse)
    vega.vega_bundle.cache_clear()  # as in a new process
    assert vega.vega_bundle() == built


def test_another_vega_lite_version_gets_its_own_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    first = vega._bundle_path()
    monkeypatch.setattr(vega, "VEGA_LITE_VERSION", "5.20")
    assert vega._bundle_path() != first and vega._bundle_path().parent == first.parent


def test_an_empty_file_is_built_again_and_an_unwritable_cache_only_costs_time(monkeypatch: pytest.MonkeyPatch,
                                                                              tmp_path: Path) -> None:
    path = vega._bundle_path()
    path.parent.mkdir(parents=True)
    path.write_text("", encoding="utf-8")  # say, a disk that filled up
    built = vega.vega_bundle()
    assert "vegaEmbed" in built and path.read_text(encoding="utf-8") == built

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("AUTARKY_CACHE", str(blocked))
    vega.vega_bundle.cache_clear()
    assert vega.vega_bundle() == built
