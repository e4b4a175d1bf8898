"""Progress of long steps goes to stderr on a terminal, nested tasks each on their line, and
nowhere under --json, off a terminal, or without a command showing it (`ranpilot.progress`)."""

import io

from rich.console import Console

from ranpilot import progress


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=120), out


def test_tasks_show_their_count_and_notes_on_a_terminal():
    console, out = terminal()
    with progress.shown(console=console) as display, progress.task("sweep demo: seeds", total=4):
        progress.advance(3)
        with progress.task("scenario demo", total=10):
            progress.say("round 2: verify done")
            progress.advance(5)
            display.refresh()  # what a terminal shows at this moment
            frame = out.getvalue()
    assert "sweep demo: seeds" in frame and "3/4" in frame
    assert "scenario demo" in frame and "5/10" in frame and "round 2: verify done" in frame


def test_nothing_is_shown_when_quiet_or_off_a_terminal_or_without_a_command():
    console, out = terminal()
    with progress.shown(quiet=True, console=console) as display, progress.task("run", total=2):
        assert display is None
        progress.advance()
        progress.say("plan done")
    plain = io.StringIO()
    with progress.shown(console=Console(file=plain)), progress.task("run", total=2):
        progress.advance()
    progress.say("no command shows this")
    progress.advance()
    assert out.getvalue() == "" and plain.getvalue() == ""
