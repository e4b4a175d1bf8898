"""What the command line tells the shell: one exit-code scheme for every command, and the two
kinds of error that every command reports as one line on stderr, without a traceback.

Ground floor: imports nothing from ranpilot, so every room may raise these errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of `ranpilot verify`, `run`, `approve`, `reject` (and the other commands)."""

    OK = 0  # approved, done
    ERROR = 1  # a runtime error: a message on stderr
    BAD_INPUT = 2  # bad input: nothing was loaded or changed
    REJECTED = 3  # a rejected verdict, a rejected intent, a failed solve
    EXPECTATION_FAILED = 4  # a scenario expectation failed
    NEEDS_APPROVAL = 5  # a verdict that needs an operator's approval, a run awaiting it
    NEEDS_CLARIFICATION = 6  # the intent needs clarification


class InputError(ValueError):
    """Input the operator gave that ranpilot refuses (malformed, too large, out of scope). The
    message names the input; the CLI exits with BAD_INPUT before anything changes."""


class StateError(RuntimeError):
    """A file in the data dir that cannot be used (corrupt, locked too long). The message names
    the file and the command that repairs it; the CLI exits with ERROR."""


_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def sqlite_error(exc: sqlite3.Error, path: str | Path, store: str, fix: str) -> StateError:
    """A StateError for a failure on the SQLite file `path` holding `store` (e.g. "audit log"):
    a corrupt file names `fix`; any other failure (locked, disk full) is reported as it is."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _CORRUPT:
        return StateError(f"the {store} {path} is corrupt or not a database ({exc}); {fix}")
    return StateError(f"the {store} {path} cannot be used: {exc}")


@contextmanager
def reported() -> Iterator[None]:
    """Inside a command: an InputError or StateError becomes one line on stderr and exit 2 or 1."""
    import typer  # the CLI's library, loaded only where a command runs

    try:
        yield
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    except StateError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(ExitCode.ERROR) from exc
