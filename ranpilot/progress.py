"""Progress of long steps (planner rounds, scenario runs, sweeps) on stderr, never on stdout.

A command opens `shown(quiet=...)` around its work; inside it, each `task(...)` is one line: a
bar with the count, rate and ETA when its total is known (else a spinner), and the latest `say`
note (the agent's node and round). Tasks nest (a sweep's seeds, each seed's scenario steps) and
each line goes when its task ends. Code deep inside (the agent's runner, a scenario's timeline)
reports through `task`, `say` and `advance` without knowing who listens: with no `shown` open
(the service, the tests, a library caller), with `quiet` (`--json`), or when stderr is not a
terminal, they do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

_display: ContextVar[Progress | None] = ContextVar("ranpilot_progress", default=None)
_task: ContextVar[TaskID | None] = ContextVar("ranpilot_progress_task", default=None)


@contextmanager
def shown(quiet: bool = False, console: Console | None = None) -> Iterator[Progress | None]:
    """Show the tasks opened in the block on stderr (or `console`); nothing when `quiet` or not
    on a terminal. Yields the rich Progress showing them (None when nothing is shown)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TaskProgressColumn(), TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[note]}")]
    with Progress(*columns, console=console, transient=True, refresh_per_second=4) as progress:
        token = _display.set(progress)
        try:
            yield progress
        finally:
            _display.reset(token)


@contextmanager
def task(description: str, total: int | None = None) -> Iterator[None]:
    """One line while the block runs; `say` and `advance` inside it act on this line."""
    progress = _display.get()
    if progress is None:
        yield
        return
    task_id = progress.add_task(description, total=total, note="")
    token = _task.set(task_id)
    try:
        yield
    finally:
        _task.reset(token)
        progress.remove_task(task_id)


def say(note: str) -> None:
    """Show `note` on the current task's line (no-op without one)."""
    progress, task_id = _display.get(), _task.get()
    if progress is not None and task_id is not None:
        progress.update(task_id, note=note)


def advance(steps: int = 1) -> None:
    """Count `steps` more done on the current task's line (no-op without one)."""
    progress, task_id = _display.get(), _task.get()
    if progress is not None and task_id is not None:
        progress.advance(task_id, steps)
