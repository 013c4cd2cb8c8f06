"""autarky.io exports a deliberate, sorted, importable API."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["autarky.io", "autarky.io.tables", "autarky.io.leontief", "autarky.io.extraction",
           "autarky.io.selfsufficiency", "autarky.io.store", "autarky.io.model", "autarky.io.exposure"]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_unique_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert list(exported) == sorted(exported)
    assert len(set(exported)) == len(exported)
    for member in exported:
        assert hasattr(module, member), f"{name}.{member}"
