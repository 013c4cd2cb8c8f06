"""autarky: an observatory for technological self-sufficiency.

The public API is what ``__all__`` names; everything else is internal and may change.  Domains are
subpackages (``autarky.chains``, ``autarky.trade``, ``autarky.complexity``, ``autarky.io``,
``autarky.money``) with their own ``__all__``.
"""

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
from autarky.geo import Resolved
from autarky.store import DatasetMeta, ImportResult, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "AutarkyError",
    "AuthError",
    "CycleError",
    "DataError",
    "DatasetMeta",
    "EngineError",
    "FormatError",
    "ImportResult",
    "InputFileError",
    "MissingFileError",
    "ModelError",
    "ReadOnlyError",
    "Resolved",
    "SchemaVersionError",
    "Store",
    "StoreError",
    "UnknownEconomyError",
    "UnknownItemError",
    "UsageError",
    "__version__",
    "open_store",
]
