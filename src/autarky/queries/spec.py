"""How a question is asked: request parameters, the question registry entry, input normalisers.

This module is imported by every face at start-up (the CLI builds its commands from the registry), so it
imports nothing heavier than the standard library and :mod:`autarky.errors`.

A request is a frozen dataclass whose fields are declared with :func:`param`: the help text, the type the
faces send (``wire``: text, int, float or bool), the CLI flag and whether it is positional.  The CLI options
and the HTTP query parameters are both generated from these declarations, so the two faces cannot drift
apart.  ``__post_init__`` validates and normalises the inputs once (economies as a list, a comma string or
a set; years as a value, a range or a list; intervals as ``0-0.3``).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any, ClassVar

from autarky.errors import UsageError

__all__ = [
    "Param",
    "Question",
    "Request",
    "as_choice",
    "as_date",
    "as_interval",
    "as_names",
    "as_years",
    "param",
]


@dataclass(frozen=True)
class Param:
    """A request field as the faces see it."""

    help: str
    wire: type = str  # str, int, float or bool: what a command line or a query string carries
    flag: str | None = None  # CLI option name; default ``--field-name``
    positional: bool = False
    choices: tuple[str, ...] = ()
    repeatable: bool = False  # the CLI flag may be given several times (joined with commas)
    pair: bool = False  # the CLI option takes two values (``--between US_ALLIES CHN``), joined with a comma
    minimum: float | None = None
    maximum: float | None = None
    api_max_length: int = 500
    api: bool = True  # False: a CLI-only option (a local file path, a compute engine)


def param(default: Any = MISSING, **kw: Any) -> Any:
    """Declare a request field: ``economy: str = param(help="…", positional=True)``."""
    meta = {"param": Param(**kw)}
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


def params_of(cls: type) -> list[tuple[str, Param, Any]]:
    """(name, Param, default) of every declared field of a request class: the class's own fields first
    (in declaration order), then those it inherits (shared options such as a compute engine)."""
    depth: dict[str, int] = {}
    for i, klass in enumerate(cls.__mro__):
        for name in getattr(klass, "__annotations__", {}):
            depth.setdefault(name, i)
    out = []
    for f in fields(cls):
        p = f.metadata.get("param")
        if p is not None:
            out.append((depth.get(f.name, 0), f.name, p, f.default))
    out.sort(key=lambda x: x[0])  # stable: declaration order within a class
    return [(n, p, d) for _, n, p, d in out]


class Request:
    """Base of every request: a frozen dataclass of normalised inputs (see the module docstring)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = _plain(getattr(self, f.name))
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, frozenset):
        return sorted(v)
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    return v


@dataclass(frozen=True)
class Question:
    """One question the product answers, asked the same way by every face.

    ``command`` is the CLI path (``("trade", "dependence")``), ``path`` the HTTP route, ``request_ref``
    the request type and ``run`` the function answering it, both as ``"module:name"`` (imported on first
    use, so listing the questions is cheap), ``tabular`` whether its result has a main table (csv, parquet
    and data frames).
    """

    name: str
    command: tuple[str, ...]
    path: str
    request_ref: str
    run: str
    summary: str
    tabular: bool = True
    #: a representative request for the face-equality test (field values as the faces would send them)
    example: dict[str, Any] = field(default_factory=dict)
    #: False: the CLI command is written by hand (it adds face-only options, e.g. assess's report), still
    #: asking the question through :func:`autarky.queries.ask` and rendering its JSON the same way
    generated_cli: bool = True
    #: False: answers from the store's own tables (datasets, blocs): the faces do not load the bundled sample
    #: data into an empty store first
    needs_data: bool = True
    #: further requests a server's warm-up answers beside the example: each takes a path of the question the
    #: example does not, whose first run compiles a query or builds a table (assess of a US ally compares with
    #: no bloc: every economy's import dependence without a bloc share)
    warm: tuple[dict[str, Any], ...] = ()
    registry: ClassVar[dict[str, Question]] = {}

    @functools.cached_property
    def request(self) -> type[Request]:
        """The request type (imported on first use)."""
        cls: type[Request] = _resolve(self.request_ref)
        return cls

    def answer_function(self) -> Callable[..., Any]:
        fn: Callable[..., Any] = _resolve(self.run)
        return fn


def _resolve(ref: str) -> Any:
    """The object named ``"module:name"``."""
    import importlib

    module, name = ref.split(":")
    return getattr(importlib.import_module(module), name)


# -- normalisers -------------------------------------------------------------------------------------------


def as_names(value: str | Iterable[str] | None, name: str, *, required: bool = True) -> tuple[str, ...]:
    """Economies, blocs or firms as a list, a set or a comma string → a tuple of stripped names, in order."""
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = value.split(",")
    else:
        items = []
        for v in value:
            if not isinstance(v, str):
                raise UsageError(f"{name}: {v!r} is not a name")
            items.extend(v.split(","))
    out: list[str] = []
    for item in items:
        s = item.strip()
        if s and s not in out:
            out.append(s)
    if required and not out:
        raise UsageError(f"{name}: name at least one economy, bloc or firm")
    if isinstance(value, set | frozenset):
        out.sort()
    return tuple(out)


def as_years(value: str | int | Iterable[int] | range | None, name: str = "years") -> tuple[int, ...] | None:
    """A year, ``"2015-2023"``, ``"2019,2022"``, a range or a list → sorted distinct years (None: all)."""
    if value is None:
        return None
    years: set[int] = set()
    if isinstance(value, bool):
        raise UsageError(f"{name}: {value!r} is not a year")
    if isinstance(value, int):
        years.add(value)
    elif isinstance(value, str):
        text = value.replace(" ", "")
        if not text:
            return None
        for part in text.split(","):
            if not part:
                continue
            m = re.fullmatch(r"(\d{4})(?:(?:-|\.\.|–)(\d{4}))?", part)
            if not m:
                raise UsageError(f"{name}: {value!r} is not a year, a range like 2015-2023 or a list like 2019,2022")
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            if hi < lo:
                raise UsageError(f"{name}: the range {part!r} runs backwards")
            years.update(range(lo, hi + 1))
    else:
        for y in value:
            if isinstance(y, bool) or not isinstance(y, int):
                raise UsageError(f"{name}: {y!r} is not a year")
            years.add(y)
    bad = [y for y in years if not 1900 <= y <= 2100]
    if bad:
        raise UsageError(f"{name}: {bad[0]} is outside 1900-2100")
    return tuple(sorted(years)) or None


_RANGE_SPLIT = re.compile(r"\s*(?:\.\.|–|:|(?<=\d)-)\s*")


def as_interval(value: float | int | str | Sequence[float], name: str, *, lo: float = 0.0,
                hi: float = 1.0) -> tuple[float, float]:
    """A parameter as ``(low, high)``: a number, a pair, or text ``"0.1"`` / ``"0-0.3"`` / ``"0..0.3"``."""
    if isinstance(value, str):
        parts = [p for p in _RANGE_SPLIT.split(value.strip()) if p]
        try:
            nums = [float(p) for p in parts]
        except ValueError as exc:
            raise UsageError(f"{name}: {value!r} is not a number or a range like 0-0.3") from exc
    elif isinstance(value, bool):
        raise UsageError(f"{name}: {value!r} is not a number")
    elif isinstance(value, int | float):
        nums = [float(value)]
    else:
        nums = [float(v) for v in value]
    if len(nums) == 1:
        nums = nums * 2
    if len(nums) != 2 or any(math.isnan(v) or math.isinf(v) for v in nums):
        raise UsageError(f"{name}: give one value or a low-high range (got {value!r})")
    a, b = nums
    if a > b:
        raise UsageError(f"{name}: the low end {a:g} is above the high end {b:g}")
    if a < lo or b > hi:
        raise UsageError(f"{name}: {value!r} is outside {lo:g}-{hi:g}")
    return (a, b)


def as_choice(value: str, allowed: Iterable[str], name: str) -> str:
    options = tuple(allowed)
    v = value.strip().lower() if isinstance(value, str) else value
    if v not in options:
        raise UsageError(f"{name}: {value!r} is not one of {', '.join(options)}")
    return v


def as_date(value: str | date | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if text.lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def set_field(obj: object, name: str, value: Any) -> None:
    """Assign a normalised value to a frozen request's field (inside ``__post_init__``)."""
    object.__setattr__(obj, name, value)
