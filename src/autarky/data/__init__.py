"""The sample datasets shipped inside the package (each folder with its licence and attribution)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_path"]


def bundled_path(relative: str) -> Path:
    """Absolute path of a bundled file or folder (``relative`` to ``autarky/data``)."""
    return Path(str(resources.files("autarky.data").joinpath(relative)))
