"""The `ranpilot` command's light paths: `--help` lists every command without importing the sub-apps
(asn1tools, torch, chromadb, sionna, the O-RAN modules), and `ranpilot run` through a configured
service (`ranpilot.service.remote_run`) answers as the Typer command does while importing neither
pydantic, pydantic-settings nor rich, and leaves everything it does not take to that command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ranpilot.cli import SUBCOMMANDS, app as cli
from ranpilot.service.remote_run import Declined, configured_service, run_through_service
from test_service import TOKEN, served, service  # noqa: F401 (fixtures)


def imported_by(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, set[str]]:
    """The process `python -X importtime -m ranpilot ARGS` and the modules it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ranpilot", *args], env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [ln.split("|")[-1].strip() for ln in done.stderr.splitlines() if ln.startswith("import time:")]
    return done, set(lines)


def test_help_lists_every_command_without_importing_their_libraries(tmp_path):
    done, modules = imported_by(["--help"], {**os.environ, "RANPILOT_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0
    assert all(name in done.stdout for name in SUBCOMMANDS)
    heavy = {"asn1tools", "torch", "chromadb", "sionna"} & modules
    assert not heavy and not [m for m in modules if m.startswith("ranpilot.oran")]


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_summary_is_the_start_of_the_commands_own_help(name):
    command = SUBCOMMANDS[name].load(name)
    own = " ".join((command.short_help or command.help or "").split())
    assert SUBCOMMANDS[name].summary and own.startswith(SUBCOMMANDS[name].summary)


def test_a_run_through_the_service_imports_neither_pydantic_nor_rich(tmp_path):
    env = {**os.environ, "RANPILOT_SERVICE_URL": "http://127.0.0.1:9", "RANPILOT_DATA_DIR": str(tmp_path)}
    done, modules = imported_by(["run", "keep energy below 6.5 kW", "--seed", "0", "--json"], env)
    assert done.returncode == 1 and "cannot reach the ranpilot service at http://127.0.0.1:9" in done.stderr
    assert not {"pydantic", "pydantic_settings", "rich", "ranpilot.agents.cli", "ranpilot.settings"} & modules


def test_the_fast_path_answers_as_the_typer_command(served, capsys):
    code = run_through_service(["run", "tilt cell 4 down 2 degrees", "--thread", "fast-1", "--json"])
    assert code == 5  # a configuration request waits for the operator, as through the Typer command
    assert json.loads(capsys.readouterr().out)["thread_id"] == "fast-1"
    assert [a.thread for a in served.pending()] == ["fast-1"]
    shown = CliRunner().invoke(cli, ["run", "--thread", "fast-1", "--json"])  # the Typer command, same service
    assert run_through_service(["run", "--thread", "fast-1", "--json"]) == shown.exit_code == 5
    assert json.loads(capsys.readouterr().out) == json.loads(shown.stdout)
    assert run_through_service(["run", "keep energy below 6.5 kW", "--thread", "fast-1"]) == 1
    assert "exists already" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["run", "keep energy below 6.5 kW", "--thread", "../up"], "thread id '../up'"),
    (["run", "keep energy below 6.5 kW", "--cells", "0,x"], "--cells '0,x': expected cell numbers"),
    (["run", "keep energy below 6.5 kW", "--cells", "0,99"], "cells [99] are not in the network"),
])
def test_bad_input_exits_2_naming_it(served, capsys, args, message):
    assert run_through_service(args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["run", "--help"], ["run", "x", "--config", "net.json"], ["run", "x", "--area=north=1,2"], ["run", "x", "--bogus"],
    ["run"], ["run", "x", "--seed", "one"], ["net", "show"], [],
])
def test_what_the_fast_path_does_not_take_is_left_to_the_typer_command(served, args):
    assert run_through_service(args) is None


def test_the_service_comes_from_the_environment_then_ranpilot_toml(tmp_path, monkeypatch):
    (tmp_path / "ranpilot.toml").write_text(f'service_url = "http://10.0.0.1:8750"\nservice_token = "{TOKEN}"\n')
    assert configured_service({}, tmp_path) == ("http://10.0.0.1:8750", TOKEN)
    assert configured_service({"RANPILOT_SERVICE_URL": "https://svc.example:1"}, tmp_path) == \
        ("https://svc.example:1", TOKEN)
    for environ in ({"RANPILOT_SERVICE_URL": "ftp://x"}, {"RANPILOT_SERVICE_TOKEN": "short"}):
        with pytest.raises(Declined):  # the settings refuse these: the Typer command reports it
            configured_service(environ, tmp_path)
    (tmp_path / "ranpilot.toml").write_text("service_url = \n")
    with pytest.raises(Declined):
        configured_service({}, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RANPILOT_SERVICE_URL", raising=False)
    (tmp_path / "ranpilot.toml").unlink()
    assert run_through_service(["run", "keep energy below 6.5 kW"]) is None  # no service: run in process
