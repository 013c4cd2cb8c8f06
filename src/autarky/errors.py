"""One error tree for the whole library.

Every error autarky raises on purpose is an :class:`AutarkyError`.  Faces translate them at the edge only:
the CLI prints ``error: <message>`` and exits 1, the HTTP API answers with the JSON error envelope and the
status code carried by the class.  Errors that also mean a builtin (a bad value, a missing file) inherit
from it as well, so ``except ValueError`` keeps working for callers who think in builtins.

::

    AutarkyError                         status 400 unless noted
    ├── UsageError (ValueError)           a parameter a caller gave makes no sense
    │   ├── UnknownEconomyError (KeyError)   a code that is no economy or bloc; carries suggestions (404)
    │   └── UnknownItemError (KeyError)      any other unknown name: node, dataset, sector, fund (404)
    ├── InputFileError                    a file (or upload) cannot be read as the format it claims
    │   ├── MissingFileError (FileNotFoundError)  a required file is absent (e.g. provision.csv)
    │   └── FormatError (ValueError)      wrong header, not CSV, truncated, contradicts its name
    ├── DataError (ValueError)            the data are readable but inconsistent
    │   ├── CycleError                    a supply-chain sequence with a cycle; names it
    │   └── ModelError                    an IO table that does not balance, a singular (I - A)
    ├── StoreError                        the store cannot do what was asked
    │   ├── SchemaVersionError            the file was written by a newer autarky
    │   └── ReadOnlyError (PermissionError)  a write through a read-only path (autarky sql) (403)
    ├── EngineError                       an engine (Spark, ...) is missing or cannot do this
    ├── NetworkError (ConnectionError)    a publisher cannot be reached or keeps failing (autarky fetch)
    └── AuthError (PermissionError)       missing or wrong API token (401)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AutarkyError",
    "AuthError",
    "CycleError",
    "DataError",
    "EngineError",
    "FormatError",
    "InputFileError",
    "MissingFileError",
    "ModelError",
    "NetworkError",
    "ReadOnlyError",
    "SchemaVersionError",
    "StoreError",
    "UnknownEconomyError",
    "UnknownItemError",
    "UsageError",
]


class AutarkyError(Exception):
    """Base of every error autarky raises on purpose."""

    status_code: int = 400
    code: str = "autarky_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(AutarkyError, ValueError):
    """A parameter a caller gave makes no sense."""

    code = "usage_error"


class UnknownItemError(UsageError, KeyError):
    """A name that refers to nothing known (node, dataset, sector, fund …)."""

    status_code = 404
    code = "unknown_item"

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        self.suggestions = list(suggestions)
        if self.suggestions:
            message = f"{message}; did you mean {', '.join(self.suggestions)}?"
        super().__init__(message)


class UnknownEconomyError(UnknownItemError):
    """A code that is neither an economy nor a bloc."""

    code = "unknown_economy"


class InputFileError(AutarkyError):
    """A file cannot be read as the format it claims to be.

    The message names the file and, where one is at fault, the line (or sheet, row) and field.
    """

    code = "input_file_error"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = ", ".join(
            part for part in (
                path,
                f"line {line}" if line is not None else None,
                f"field {field!r}" if field else None,
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.field = field


class MissingFileError(InputFileError, FileNotFoundError):
    """A required file is absent."""

    code = "missing_file"


class FormatError(InputFileError, ValueError):
    """A file has the wrong shape: not CSV, wrong header, truncated, or contradicting its own name."""

    code = "format_error"


class DataError(AutarkyError, ValueError):
    """Data that can be read but are inconsistent."""

    code = "data_error"


class CycleError(DataError):
    """A supply-chain sequence that loops back on itself."""

    code = "cycle"


class ModelError(DataError):
    """A model that cannot be built from the data (an IO table that does not balance, a singular system)."""

    code = "model_error"


class StoreError(AutarkyError):
    """The store cannot do what was asked."""

    code = "store_error"


class SchemaVersionError(StoreError):
    """The store file was written by a newer autarky than this one."""

    code = "schema_version"


class ReadOnlyError(StoreError, PermissionError):
    """A statement that would write, sent through a read-only path."""

    status_code = 403
    code = "read_only"


class EngineError(AutarkyError):
    """An engine is missing or cannot run what was asked."""

    code = "engine_error"


class NetworkError(AutarkyError, ConnectionError):
    """A publisher's server cannot be reached, or keeps answering with errors after the retries.

    The message is one line naming the host and what to check (the connection, ``--base-url``).
    """

    code = "network_error"


class AuthError(AutarkyError, PermissionError):
    """A missing or wrong API token."""

    status_code = 401
    code = "unauthorized"
