"""`ranpilot run` through a configured service, before the command tree loads: with
RANPILOT_SERVICE_URL (or `service_url` in ./ranpilot.toml) set, the process parses its arguments
with argparse and makes one HTTP call, importing neither pydantic, pydantic-settings nor rich
(nor typer's command modules), so the command costs a Python start-up more than the call.

It takes the plain cases only and declines (returns None) everything else, which the Typer command
(`ranpilot.agents.cli.run`) then handles as it always does, errors and help included: an option it
does not know, `--help`, `--config` (a file to read and check), `--area`, a missing intent, a
service URL or token the settings would refuse."""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

SETTINGS_FILE = "ranpilot.toml"  # as `ranpilot.settings.Settings` reads it: in the working directory
MIN_TOKEN_CHARS = 16  # `Settings.service_token`'s bound; a shorter one is the settings' error to report


class Declined(Exception):
    """The arguments are not a plain `ranpilot run` this path takes."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit: let the Typer command say it
        raise Declined(message)


def run_options() -> argparse.ArgumentParser:
    """The options of `ranpilot run` (`ranpilot.agents.cli.run`) this path understands."""
    parser = _Parser(prog="ranpilot run", add_help=False, allow_abbrev=False)
    parser.add_argument("text", nargs="?")
    parser.add_argument("--thread")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--cells")
    parser.add_argument("--fallback", "--no-fallback", action="store_true")  # the service's planner decides
    parser.add_argument("--json", dest="as_json", action="store_true")
    return parser


def configured_service(environ: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[str, str | None]:
    """(URL, token or None) of the service `ranpilot run` goes through, from the environment, then
    ./ranpilot.toml, as the settings read them. Declined when none is set, or the settings would
    refuse what is (a URL that is not http(s)://HOST..., a token under 16 characters, a bad file)."""
    environ = os.environ if environ is None else environ
    path = (cwd or Path.cwd()) / SETTINGS_FILE
    try:
        from_file = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Declined(f"{path}: {exc}") from exc
    url = environ.get("RANPILOT_SERVICE_URL", from_file.get("service_url"))
    token = environ.get("RANPILOT_SERVICE_TOKEN", from_file.get("service_token"))
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise Declined("no usable service URL")
    if token is not None and (not isinstance(token, str) or len(token) < MIN_TOKEN_CHARS):
        raise Declined("a service token the settings refuse")
    return url, token


def run_through_service(argv: list[str]) -> int | None:
    """The exit code of `ranpilot <argv>` when it is a plain `run` through a configured service
    (having printed the run as the Typer command would), else None: nothing was done."""
    if not argv or argv[0] != "run" or any(a in ("--help", "-h", "--config", "--area") or
                                           a.startswith(("--config=", "--area=")) for a in argv[1:]):
        return None
    try:
        url, token = configured_service()
        options = run_options().parse_args(argv[1:])
    except Declined:
        return None
    if options.text is None and options.thread is None:
        return None
    return _run(url, token, options)


def _run(url: str, token: str | None, options: argparse.Namespace) -> int:
    import typer  # loaded already: the `ranpilot` app is a Typer app

    from ranpilot.errors import reported
    from ranpilot.service.client import ServiceClient, remote_run

    try:
        with reported():
            thread, cells = _checked(options)
        network = {"seed": options.seed} if options.seed is not None and options.text is not None else None
        return remote_run(ServiceClient(url, token), options.text, thread, cells, {}, network, options.as_json)
    except typer.Exit as exit_:
        return exit_.exit_code


def _checked(options: argparse.Namespace) -> tuple[str | None, list[int] | None]:
    """The thread id and cells as the Typer command checks them (InputError: exit 2)."""
    if options.thread is None and options.cells is None:
        return None, None
    from ranpilot.inputs import check_thread_id, parse_cells

    thread = check_thread_id(options.thread) if options.thread is not None else None
    return thread, parse_cells(options.cells) if options.cells is not None else None
