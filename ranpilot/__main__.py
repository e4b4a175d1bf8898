"""`python -m ranpilot`: the `ranpilot` command."""

from ranpilot.cli import app

app(prog_name="ranpilot")
