"""Where each source is fetched from, where the cache is, and the package's public names."""

from __future__ import annotations

from pathlib import Path

import pytest

import autarky.fetch
from autarky.errors import UsageError
from autarky.fetch import base_url, cache_dir
from autarky.fetch.sources import SOURCES


def test_base_url_explicit_then_environment_then_publisher(monkeypatch: pytest.MonkeyPatch) -> None:
    assert base_url("baci") == "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/"
    monkeypatch.setenv("AUTARKY_BACI_URL", "http://mirror.example/baci")
    assert base_url("baci") == "http://mirror.example/baci/"
    assert base_url("baci", "http://127.0.0.1:8/") == "http://127.0.0.1:8/"
    with pytest.raises(UsageError, match="unknown source"):
        base_url("nope")


def test_cache_dir_option_then_environment_then_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUTARKY_CACHE", str(tmp_path / "env"))
    assert cache_dir(tmp_path / "opt") == tmp_path / "opt"
    assert cache_dir() == tmp_path / "env"
    monkeypatch.delenv("AUTARKY_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "autarky"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "autarky"


def test_every_source_names_its_licence_and_override() -> None:
    assert set(SOURCES) == {"baci", "comtrade", "wdi", "oecd-icio", "oecd-iot", "eto", "usgs"}
    for s in SOURCES.values():
        assert s.licence and s.env.startswith("AUTARKY_") and s.env.endswith("_URL")
    assert SOURCES["eto"].licence == "CC BY-NC 4.0" and SOURCES["baci"].licence == "Etalab Open Licence 2.0"


def test_public_names_are_sorted_and_importable() -> None:
    names = autarky.fetch.__all__
    assert list(names) == sorted(names) and len(set(names)) == len(names)
    assert all(hasattr(autarky.fetch, n) for n in names)


def test_the_readme_gives_each_source_its_command_and_licence() -> None:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Get the real data", 1)[1].split("\n## ", 1)[0]
    for s in SOURCES.values():
        assert f"autarky fetch {s.name} " in section, s.name
        row = next(line for line in section.splitlines() if line.startswith(f"| `{s.name}` |"))
        licence = s.licence.split(" (")[0].lower()
        assert licence in row.lower(), (s.name, s.licence)
