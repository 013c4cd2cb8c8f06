"""The trade package's public names load on first use and are the ones it declares for type checkers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import autarky.trade as trade


def test_every_public_name_resolves_from_the_module_it_is_declared_in() -> None:
    tree = ast.parse(Path(trade.__file__).read_text(encoding="utf-8"))
    declared = {alias.name: node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module and node.module.startswith("autarky.trade.") for alias in node.names}
    assert declared == trade._WHERE
    for name, module in trade._WHERE.items():
        assert getattr(trade, name) is getattr(sys.modules[module], name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        trade.nothing  # noqa: B018


def test_the_documented_functions_stay_functions_whatever_loads_first() -> None:
    code = ("import autarky.trade.analysis, autarky.trade.screening; from autarky import trade; "
            "print(all(callable(f) and not hasattr(f, '__path__') and f.__module__ == 'autarky.trade.analysis' "
            "for f in (trade.screen, trade.shift, trade.decoupling, trade.coverage, trade.dependence)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_readers_load_without_ibis() -> None:
    code = "import sys, autarky.trade as t; t.load_baci; t.load_comtrade; print('ibis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
