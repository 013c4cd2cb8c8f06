"""The command-line face: ``autarky …``. Importing this package registers every command group."""

import autarky.cli.fetch  # noqa: F401  (registers `autarky fetch`)
from autarky.cli import assess, chains, complexity, core, io, money, serve, trade  # noqa: F401
from autarky.cli.app import app, main

__all__ = ["app", "main"]
