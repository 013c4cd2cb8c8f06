"""The command-line face: ``autarky …``. Importing this package registers every command group."""

from autarky.cli import assess, chains, complexity, core, io, measures, money, serve, trade  # noqa: F401
from autarky.cli.app import app, main

__all__ = ["app", "main"]
