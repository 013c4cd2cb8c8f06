"""The command-line face: ``autarky …``. Importing this package registers every command group.

Question commands (``autarky trade dependence``, ``autarky datasets`` …) are generated from the query
registry (:mod:`autarky.cli.questions`); the modules imported here add the commands that are not
questions (init, import, sql, serve, the scenario and report commands).
"""

from autarky.cli import assess, core, fetch, layouts, money, serve  # noqa: F401
from autarky.cli.app import app, main
from autarky.cli.questions import register_questions
from autarky.queries import QUESTIONS

register_questions(QUESTIONS)

__all__ = ["app", "main"]
