"""Values from the store and the library as plain JSON types, before they go into a response model.

Store rows carry timestamps, decimals, NamedTuples and, now and then, a NaN; strict JSON has none of them.
``NaN`` and infinities become ``null`` (a missing figure, never a made-up one), timestamps ISO 8601 strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

__all__ = ["plain"]


def plain(value: Any) -> Any:
    """``value`` as plain JSON types (dict, list, str, int, float, bool, None)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [plain(v) for v in items]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(float(value))
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if hasattr(value, "_asdict"):  # NamedTuple
        return plain(value._asdict())
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)
