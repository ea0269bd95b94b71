"""Command line: ingest, index build/info, search, ask, serve, eval, feedback export/stats.

Every PolicyQAError becomes a one-line message and exit status 2; nothing prints a traceback at a user.
The commands live in one module per group (corpus, index, query, evaluation, feedback); this module
puts them on the app, in the order ``policyqa --help`` lists them.
"""

from __future__ import annotations

import sys

import typer

from ..errors import PolicyQAError
from . import corpus, evaluation, index, query
from .common import err
from .feedback import feedback_app

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cited question answering over Chinese policy texts.",
)
app.command()(corpus.ingest)
app.command()(query.search)
app.command()(query.ask)
app.command()(query.serve)
app.command("eval")(evaluation.eval_command)
app.command("check-set")(evaluation.check_set)
app.add_typer(index.index_app, name="index")
app.add_typer(feedback_app, name="feedback")


def main() -> None:
    try:
        app()
    except PolicyQAError as exc:
        # One line, never wrapped or marked up: scripts grep it and operators paste it.
        message = " ".join(str(exc).split("\n")).encode("utf-8", "backslashreplace").decode("utf-8")
        sys.stderr.write(f"error: {message}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
