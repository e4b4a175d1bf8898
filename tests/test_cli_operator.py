"""The command line an operator trusts at a glance: `--version`; help text on every option; `net
show` only reads (the clock moves by `net step`); shipped scenarios from any working directory;
approval threads that always end approved, rejected or expired, as `run --thread` shows and
`reject` accepts; violation lists grouped by rule and parameter with counts."""

import json
import os
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from ranpilot.agents.report import group_violations, print_run
from ranpilot.agents.runner import RunResult
from ranpilot.agents.state import RoundRecord
from ranpilot.cli import app
from ranpilot.errors import ExitCode
from ranpilot.policies import AuditLog
from ranpilot.policies.audit import audit_path
from ranpilot.policies.base import Violation
from ranpilot.scenarios.model import shipped_scenarios


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version_prints_the_installed_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"ranpilot {version('ranpilot')}"


# Options of commands in other engineers' modules, still without help text (their files): the
# list only shrinks; an option missing from it without help fails the test.
NOT_YET_HELPED = {
    ("verify", "--seed"), ("verify", "--json"), ("serve", "--host"), ("serve", "--port"),
    ("kb search", "--k"), ("kb search", "--json"), ("kb stats", "--json"), ("xapp run", "--seed"),
    ("xapp a1 serve", "--host"), ("xapp a1 serve", "--port"), ("xapp a1 serve", "--seed"),
    ("xapp e2 serve", "--host"), ("xapp e2 serve", "--seed"),
}


def commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


def test_every_option_and_argument_has_help_text():
    missing = {(" ".join(path), param.opts[0]) for path, command in commands(typer.main.get_command(app))
               for param in command.params if param.name != "help" and not getattr(param, "help", None)}
    assert missing <= NOT_YET_HELPED, sorted(missing - NOT_YET_HELPED)
    assert ("run", "--seed") not in missing and ("intent parse", "text") not in missing


def live_network_json() -> str | None:
    return AuditLog(audit_path(Path(os.environ["RANPILOT_DATA_DIR"]))).read_network()


def test_net_show_only_reads_and_net_step_advances_the_clock():
    shown = json.loads(invoke("net", "show", "--json").stdout)
    saved = live_network_json()
    again = json.loads(invoke("net", "show", "--json").stdout)
    assert again["time_s"] == shown["time_s"] and live_network_json() == saved
    refused = invoke("net", "show", "--steps", "3")
    assert refused.exit_code == ExitCode.BAD_INPUT and "net step N" in refused.stderr
    assert live_network_json() == saved
    stepped = invoke("net", "step", "3", "--json")
    assert stepped.exit_code == 0, stepped.output
    step_s = json.loads(stepped.stdout)["time_s"] - shown["time_s"]
    assert step_s > 0 and json.loads(invoke("net", "show", "--json").stdout)["time_s"] == shown["time_s"] + step_s
    assert invoke("net", "step", "0").exit_code == ExitCode.BAD_INPUT


def test_scenario_list_finds_the_shipped_scenarios_outside_the_repository(tmp_path):
    assert Path.cwd() == tmp_path  # conftest: every test runs in its own empty directory
    listing = invoke("scenario", "list")
    assert listing.exit_code == 0
    in_repository = sorted(p.name for p in (Path(__file__).parents[1] / "scenarios").glob("*.yaml"))
    assert sorted(p.name for p in shipped_scenarios()) == in_repository and len(in_repository) >= 7
    assert all(p.stem in listing.stdout for p in shipped_scenarios())
    empty = invoke("scenario", "list", "--dir", str(tmp_path))
    assert empty.exit_code == ExitCode.BAD_INPUT and "no scenario files" in empty.stderr


def test_scenario_run_refuses_a_bad_scenario_before_running(tmp_path):
    late = tmp_path / "late.yaml"
    late.write_text("name: x\ndescription: d\nsteps: 5\nintents: [{at: 99, id: a, text: t}]\n"
                    "expect: [{kind: outcome, intent: a, report: FULFILLED}, {kind: no_regression, tolerance_pct: 5}]\n")
    result = invoke("scenario", "run", str(late))
    assert result.exit_code == ExitCode.BAD_INPUT and "step 99 is outside the timeline" in result.stderr
    unknown = invoke("scenario", "run", "no_such_scenario")
    assert unknown.exit_code == ExitCode.BAD_INPUT and "night_energy_saving" in unknown.stderr


# Approval threads end approved, rejected or expired ------------------------------------------------

def pending(thread: str) -> None:
    result = invoke("run", "put cell 4 to sleep", "--thread", thread)  # at noon: needs approval
    assert result.exit_code == ExitCode.NEEDS_APPROVAL, result.output


def outcome_line(result) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith("Outcome"))


def test_an_approval_that_went_stale_ends_expired_and_reject_accepts_it(tmp_path):
    pending("t3")
    config = tmp_path / "tilted.yaml"
    config.write_text("tilt_deg: 8\n")  # another configuration: the verdict no longer holds
    assert invoke("net", "reset", "--config", str(config)).exit_code == 0
    approved = invoke("approve", "t3")
    assert approved.exit_code == ExitCode.REJECTED and "expired" in approved.stderr
    assert "Outcome: expired" in outcome_line(approved)
    shown = invoke("run", "--thread", "t3")
    assert shown.exit_code == ExitCode.REJECTED and "Outcome: expired" in outcome_line(shown)
    rejected = invoke("reject", "t3", "--json")
    assert rejected.exit_code == ExitCode.REJECTED and json.loads(rejected.stdout)["outcome_kind"].startswith("expired")
    again = invoke("approve", "t3")
    assert again.exit_code == ExitCode.ERROR and "it ended (expired" in again.stderr
    assert not AuditLog(audit_path(Path(os.environ["RANPILOT_DATA_DIR"]))).events(kind="apply")


def test_a_rejected_thread_stays_rejected_and_an_approved_one_shows_its_apply():
    pending("no")
    assert invoke("reject", "no").exit_code == ExitCode.REJECTED
    assert "operator rejected" in outcome_line(invoke("run", "--thread", "no"))
    assert invoke("reject", "no").exit_code == ExitCode.REJECTED  # accepted again, as it stands
    assert invoke("approve", "no").exit_code == ExitCode.ERROR
    pending("yes")
    assert invoke("approve", "yes").exit_code == ExitCode.OK
    shown = invoke("run", "--thread", "yes", "--json")
    assert shown.exit_code == ExitCode.OK and json.loads(shown.stdout)["applied"][0]["status"] == "applied"
    assert "not waiting for approval" in invoke("reject", "yes").stderr


# Violations grouped by rule and parameter --------------------------------------------------------

def conflict(cell: int) -> Violation:
    return Violation(rule_id="conflict.opposite", severity="needs_approval", mode="enforce", object=f"cell {cell}",
                     observed="tx_power_dbm +", limit="scenario:x:save moved it -", source="pack",
                     message=f"conflicts with scenario:x:save on tx_power_dbm of cell {cell}")


def step_violation(cell: int) -> Violation:
    return Violation(rule_id="step.power", severity="deny", mode="enforce", object=f"cell {cell}", observed=4.0,
                     limit=3.0, source="pack", message="tx_power_dbm moves 40 -> 44, a step above 3")


def test_violations_are_grouped_by_rule_and_parameter_with_counts():
    violations = [conflict(4)] * 48 + [conflict(5)] * 2 + [step_violation(1), step_violation(2)]
    groups = group_violations(violations)
    assert [(g.rule_id, g.parameter, g.count, g.objects) for g in groups] == [
        ("conflict.opposite", "tx_power_dbm", 50, ["cell 4", "cell 5"]),
        ("step.power", "tx_power_dbm", 2, ["cell 1", "cell 2"])]
    rounds = [RoundRecord(round=i, target=None, choice=None, tool_uses=[], proposal_id=f"p{i}",
                          verdict_status="needs_approval", violations=[conflict(4)] * 25) for i in (1, 2)]
    console = Console(record=True, width=160)
    print_run(RunResult(thread_id="t", status="done", outcome="x", planner="embedded", rounds=rounds), console)
    text = console.export_text()
    assert "conflict.opposite tx_power_dbm x25 on cell 4" in text and text.count("on cell 4") == 2
    assert "│ conflict.opposite │ tx_power_dbm │    50 │ cell 4" in text


@pytest.mark.parametrize("thread", ["t3"])
def test_the_runner_ends_a_stale_thread_expired(tmp_path, thread):
    from ranpilot.agents.runner import AgentRunner
    from ranpilot.agents.state import Outcome
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.network.actions import SetTilt
    from ranpilot.planning.embedded import EmbeddedPlanner
    from ranpilot.policies import StaleVerdict
    from ranpilot.settings import Settings

    runner = AgentRunner(Settings(data_dir=tmp_path), EmbeddedPlanner(), with_knowledge=False)
    net = Network(NetworkConfig(), 0)
    assert runner.run("put cell 4 to sleep", net, thread).status == "awaiting_approval"
    net.apply([SetTilt(cell=7, tilt_deg=8.0)])
    with pytest.raises(StaleVerdict, match="expired"):
        runner.resume(thread, "approved", net)
    shown = runner.show(thread)
    assert shown.status == "done" and shown.outcome_kind == Outcome.EXPIRED and not shown.applied
    assert not net.configuration().asleep[4]
    assert runner.resume(thread, "rejected").outcome_kind == Outcome.EXPIRED
