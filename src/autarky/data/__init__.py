"""The sample datasets shipped inside the package (each folder with its licence and attribution), and the
folder where autarky keeps files it downloads or builds once per machine."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["bundled_path", "cache_dir"]


def bundled_path(relative: str) -> Path:
    """Absolute path of a bundled file or folder (``relative`` to ``autarky/data``)."""
    return Path(str(resources.files("autarky.data").joinpath(relative)))


def cache_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The local cache: ``explicit``, ``$AUTARKY_CACHE``, ``$XDG_CACHE_HOME/autarky`` or ``~/.cache/autarky``."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("AUTARKY_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "autarky"
