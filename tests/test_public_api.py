"""The public API is deliberate: a sorted __all__, every name importable, and the error tree as drawn."""

from __future__ import annotations

import importlib

import pytest

import autarky
import autarky.errors as errors

PACKAGES = ["autarky", "autarky.errors", "autarky.store", "autarky.geo", "autarky.money", "autarky.complexity",
            "autarky.chains"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_unique_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert list(exported) == sorted(exported)
    assert len(set(exported)) == len(exported)
    for member in exported:
        assert hasattr(module, member), f"{name}.{member}"


def test_top_level_names() -> None:
    assert {"open_store", "Store", "AutarkyError", "UnknownEconomyError", "DatasetMeta"} <= set(autarky.__all__)
    assert not [n for n in autarky.__all__ if n.startswith("_") and n != "__version__"]


def test_every_error_is_an_autarky_error_and_drawn_in_the_docstring() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.AutarkyError)
        assert name in doc, f"{name} missing from the drawn tree"


def test_builtin_mixins() -> None:
    assert issubclass(errors.UsageError, ValueError)
    assert issubclass(errors.MissingFileError, FileNotFoundError)
    assert issubclass(errors.UnknownEconomyError, KeyError)
    assert errors.UnknownEconomyError("x").status_code == 404
    assert errors.AuthError("x").status_code == 401
    e = errors.FormatError("bad header", path="a.csv", line=3, field="k")
    assert str(e) == "a.csv, line 3, field 'k': bad header"
