"""Helpers shared by the measures tests."""

from __future__ import annotations

from autarky.store import Store


def quarantine(store: Store) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = store.query(
        "SELECT file, line, field, value, reason FROM quarantine ORDER BY file, line").to_pylist()
    return rows
