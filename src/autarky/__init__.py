"""autarky: an observatory for technological self-sufficiency.

The public API is what ``__all__`` names; everything else is internal and may change.  Start with::

    import autarky
    s = autarky.open("autarky.duckdb")      # a Session: one method per question, named like the CLI
    s.assess("CHN").takeaways
    s.trade_dependence("CHN", sector="semiconductors").to_polars()

Heavy parts (the store, the engines) are imported on first use, so ``import autarky`` and the CLI's
``--help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from autarky.errors import (
    AutarkyError,
    AuthError,
    CycleError,
    DataError,
    EngineError,
    FormatError,
    InputFileError,
    MissingFileError,
    ModelError,
    ReadOnlyError,
    SchemaVersionError,
    StoreError,
    UnknownEconomyError,
    UnknownItemError,
    UsageError,
)
from autarky.figures import Basis, Coverage, Figure, SourceRef

if TYPE_CHECKING:
    from autarky.geo import Resolved
    from autarky.session import Session, open
    from autarky.store import DatasetMeta, ImportResult, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "AutarkyError",
    "AuthError",
    "Basis",
    "Coverage",
    "CycleError",
    "DataError",
    "DatasetMeta",
    "EngineError",
    "Figure",
    "FormatError",
    "ImportResult",
    "InputFileError",
    "MissingFileError",
    "ModelError",
    "ReadOnlyError",
    "Resolved",
    "SchemaVersionError",
    "Session",
    "SourceRef",
    "Store",
    "StoreError",
    "UnknownEconomyError",
    "UnknownItemError",
    "UsageError",
    "__version__",
    "open",
    "open_store",
]

_LAZY = {
    "Resolved": "autarky.geo",
    "DatasetMeta": "autarky.store",
    "ImportResult": "autarky.store",
    "Store": "autarky.store",
    "open_store": "autarky.store",
    "Session": "autarky.session",
    "open": "autarky.session",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'autarky' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
