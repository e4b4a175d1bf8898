"""The command line's safety gate ("Close the safety gate", CLI part): bad input is exit 2 with
nothing applied, one exit-code scheme for `verify` and `run`, thread ids that stay inside the
data dir, and corrupt files reported in one line naming the file and the command that repairs it."""

import gc
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ranpilot.agents.cli import exit_code, outcome_exits
from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.agents.state import Outcome
from ranpilot.cli import app
from ranpilot.errors import ExitCode, InputError
from ranpilot.inputs import check_thread_id
from ranpilot.network import Network, NetworkConfig
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.policies import AuditLog
from ranpilot.policies.audit import audit_path
from ranpilot.settings import Settings

DEEP = "[" * 100_000 + "]" * 100_000
SMALL_POWER_CUT = [{"type": "set_tx_power", "cell": 0, "tx_power_dbm": 45}]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def data_dir() -> Path:
    return Path(os.environ["RANPILOT_DATA_DIR"])


def write(path: Path, content: str | bytes) -> str:
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def one_line_error(result, code: int, *fragments: str) -> None:
    """Exit `code`, no traceback, one line on stderr containing every fragment."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    assert all(f in lines[0] for f in fragments), lines[0]


def nothing_applied(saved: bool = False) -> None:
    """No apply in the audit log, and (unless `saved`) no live network saved."""
    audit = AuditLog(audit_path(data_dir()))
    assert not audit.events(kind="apply") and (saved or audit.read_network() is None)


# 1. Crashes become clear errors with exit 2, nothing applied -------------------------------------

def actions_file(tmp: Path, name: str = "ok.json", actions: list = SMALL_POWER_CUT) -> str:
    return write(tmp / name, json.dumps(actions))


BAD_INPUTS = {  # name -> (the files in a directory -> arguments, a fragment of the message)
    "deep actions": (lambda t: ["verify", "--actions", write(t / "deep.json", DEEP)], "nested deeper than 32"),
    "deep JSON intent": (lambda t: ["run", '{"intentExpectations": ' + DEEP + "}"], "nested deeper than 32"),
    "non-UTF-8 actions": (lambda t: ["verify", "--actions", write(t / "a.json", b'[{"type": "caf\xe9"}]')],
                          "not UTF-8"),
    "non-UTF-8 intents file": (lambda t: ["intent", "parse", "--file", write(t / "i.txt", b"cut energy \xff")],
                               "not UTF-8"),
    "non-UTF-8 config": (lambda t: ["run", "cut energy by 5%", "--config", write(t / "n.yaml", b"num_ues: 42 #\xff")],
                         "not UTF-8"),
    "non-UTF-8 intent": (lambda t: ["run", "cut energy by 5% \udcff"], "not valid UTF-8"),
    "empty cell": (lambda t: ["run", "cut energy by 5%", "--cells", "0,,1"], "--cells '0,,1'"),
    "not a cell": (lambda t: ["run", "cut energy by 5%", "--cells", "abc"], "--cells 'abc'"),
    "no cells": (lambda t: ["run", "cut energy by 5%", "--cells", ""], "--cells ''"),
    "cell outside the network": (lambda t: ["run", "cut energy by 5%", "--cells", "0,99"], "cells [99] are not in"),
    "area cell outside the network": (lambda t: ["run", "cut energy by 5%", "--area", "north=1,21"], "--area north"),
    "intent too long": (lambda t: ["run", "cut energy " + "x" * 2_000], "the limit is 2,000"),
    "actions file too large": (lambda t: ["verify", "--actions", write(t / "big.json", "[" + " " * 1_000_001 + "]")],
                               "larger than 1,000,000 bytes"),
    "too many actions": (lambda t: ["verify", "--actions", actions_file(t, actions=SMALL_POWER_CUT * 201)],
                         "201 actions; at most 200"),
    "network too large": (lambda t: ["run", "cut energy by 5%", "--config", write(t / "n.yaml", "num_ues: 100000000")],
                          "num_ues"),
    "proposal outside the scope": (lambda t: ["verify", "--actions", actions_file(t), "--cells", "1,2"],
                                   "changes cells [0], outside the operator's scope"),
    "scope outside the network": (lambda t: ["verify", "--actions", actions_file(t), "--cells", "0,21"],
                                  "cells [21] are not in"),
    "deep tool input": (lambda t: ["tool", "run", "power_control", "--input", write(t / "deep.json", DEEP)],
                        "nested deeper than 32"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2_with_nothing_applied(tmp_path, case):
    arguments, fragment = BAD_INPUTS[case]
    one_line_error(invoke(*arguments(tmp_path)), ExitCode.BAD_INPUT, fragment)
    nothing_applied()


def test_a_non_utf8_argument_from_the_shell_is_bad_input():
    """Python hands such an argument over with surrogate escapes: no parser or store can take it."""
    done = subprocess.run([sys.executable, "-m", "ranpilot.cli", "run", b"cut energy by 5% \xff"],
                          capture_output=True, timeout=300)
    assert done.returncode == ExitCode.BAD_INPUT and b"Traceback" not in done.stderr
    assert done.stderr.decode().strip() == "error: the intent is not valid UTF-8 text (byte 17)"


def test_network_size_is_bounded_and_the_documented_networks_fit():
    NetworkConfig(num_rings=2, num_ues=2850, fading_subbands=64)  # the 57-cell benchmark network, with fading
    with pytest.raises(ValidationError, match="num_ues"):
        NetworkConfig(num_ues=100_000_000)
    with pytest.raises(ValidationError, match="num_ues x cells x fading_subbands"):
        NetworkConfig(num_rings=4, num_ues=20_000, fading_subbands=8)
    assert "at most 20,000" in NetworkConfig.model_fields["num_ues"].description


# 2. One exit-code scheme for `verify` and `run` --------------------------------------------------

@pytest.mark.parametrize("actions,status,code", [
    (SMALL_POWER_CUT, "approved", ExitCode.OK),
    ([{"type": "set_cell_sleep", "cell": 4, "asleep": True}], "needs_approval", ExitCode.NEEDS_APPROVAL),  # at noon
    ([{"type": "set_tx_power", "cell": 0, "tx_power_dbm": 80}], "rejected", ExitCode.REJECTED),
])
def test_verify_exits_by_verdict_after_printing_it(tmp_path, actions, status, code):
    result = invoke("verify", "--actions", actions_file(tmp_path, actions=actions), "--json", "--cells", "0,4")
    assert result.exit_code == code and json.loads(result.stdout)["status"] == status


def test_run_exits_by_outcome_after_printing_it():
    for text, status, code in (("order me a pizza", "rejected", ExitCode.REJECTED),
                               ("make the network better", "clarify", ExitCode.NEEDS_CLARIFICATION)):
        result = invoke("run", text, "--json")
        assert result.exit_code == code and json.loads(result.stdout)["parse"]["status"] == status
    waiting = invoke("run", "put cell 4 to sleep", "--thread", "sleep-4", "--json")  # at noon: needs approval
    assert waiting.exit_code == ExitCode.NEEDS_APPROVAL and json.loads(waiting.stdout)["status"] == "awaiting_approval"
    assert invoke("run", "--thread", "sleep-4").exit_code == ExitCode.NEEDS_APPROVAL
    nothing_applied(saved=True)
    done = invoke("approve", "sleep-4", "--json")
    assert done.exit_code == ExitCode.OK and json.loads(done.stdout)["applied"][0]["status"] == "applied"


def test_every_outcome_has_an_exit_code():
    assert set(outcome_exits()) == set(Outcome)

    def result(**fields) -> RunResult:
        return RunResult(**{"thread_id": "t", "status": "done", "outcome": "", "planner": "embedded", **fields})

    assert exit_code(result(status="awaiting_approval")) == ExitCode.NEEDS_APPROVAL
    assert exit_code(result(outcome_kind=Outcome.FULFILLED)) == ExitCode.OK
    for kind in (Outcome.VERIFIER_REJECTED, Outcome.OPERATOR_REJECTED, Outcome.OUT_OF_SCOPE, Outcome.REFUSED):
        assert exit_code(result(outcome_kind=kind)) == ExitCode.REJECTED


# 3. Thread ids stay inside the data dir ---------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["run", "cut energy consumption by 10%", "--thread", "../../x"], ["run", "--thread", "../x"],
    ["approve", "../../x"], ["reject", "a/b"], ["run", "cut energy consumption by 10%", "--thread", "-x"],
    ["run", "cut energy consumption by 10%", "--thread", "a" * 65],
])
def test_thread_ids_that_could_leave_the_data_dir_are_bad_input(tmp_path, args):
    one_line_error(invoke(*args), ExitCode.BAD_INPUT, "thread id")
    assert not [p for p in tmp_path.rglob("*.json") if p.parent.name == "networks"]
    nothing_applied()


def test_the_runner_refuses_them_too(tmp_path):
    runner = AgentRunner(Settings(data_dir=tmp_path / "data"), EmbeddedPlanner(), with_knowledge=False)
    net = Network(NetworkConfig(num_ues=126), seed=1)
    before = net.configuration()
    for call in (lambda: runner.run("cut energy consumption by 10%", net, thread_id="../../x"),
                 lambda: runner.resume("../x", "approved", net), lambda: runner.show("a..b")):
        with pytest.raises(InputError, match="thread id"):
            call()
    assert net.configuration().equals(before) and not list(tmp_path.rglob("x.json"))
    assert check_thread_id("run-1a2b.3_X") == "run-1a2b.3_X"


# 5. Corrupt files: one line naming the file and the repair --------------------------------------

def truncate(path: Path) -> None:
    """Cut a file in half, as a full disk or a bad copy would; SQLite files first lose their
    write-ahead log, folded into them when the last connection closes."""
    gc.collect()
    assert not path.with_name(path.name + "-wal").exists()
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def test_a_corrupt_audit_log_names_the_file_and_how_to_start_anew(tmp_path):
    assert invoke("net", "reset").exit_code == 0
    path = audit_path(data_dir())
    truncate(path)
    actions = actions_file(tmp_path)
    for args in (["net", "show"], ["verify", "--actions", actions], ["run", "cut energy by 5%"], ["net", "reset"]):
        one_line_error(invoke(*args), ExitCode.ERROR, f"audit log {path} is corrupt", f"delete {path} to start")
    path.unlink()
    assert invoke("net", "show").exit_code == 0


def test_a_corrupt_checkpoint_store_names_the_file_and_how_to_start_anew():
    assert invoke("run", "put cell 4 to sleep", "--thread", "t-1").exit_code == ExitCode.NEEDS_APPROVAL
    path = data_dir() / "agent" / "checkpoints.sqlite"
    truncate(path)
    for args in (["run", "--thread", "t-1"], ["approve", "t-1"]):
        one_line_error(invoke(*args), ExitCode.ERROR, f"checkpoint store {path} is corrupt",
                       f"delete {path} to start a new checkpoint store")
    nothing_applied(saved=True)


def test_a_corrupt_live_network_names_the_database_and_net_reset():
    assert invoke("net", "step", "1").exit_code == 0
    audit = AuditLog(audit_path(data_dir()))
    audit.write_network('{"schema": "ranpilot.network/1", "config": {}')
    one_line_error(invoke("net", "show"), ExitCode.ERROR, f"live_network of {audit.path}",
                   "`ranpilot net reset` starts a new network")
    assert invoke("net", "reset").exit_code == 0 and invoke("net", "show").exit_code == 0


def test_a_corrupt_knowledge_store_says_to_rebuild_it():
    from chromadb.api.client import SharedSystemClient

    assert invoke("kb", "ingest", "--rebuild").exit_code == 0  # the shipped notes alone
    truncate(data_dir() / "knowledge" / "chroma" / "chroma.sqlite3")
    SharedSystemClient.clear_system_cache()  # as a new process would find it
    one_line_error(invoke("kb", "stats"), ExitCode.ERROR, f"knowledge store {data_dir() / 'knowledge'}",
                   "`ranpilot kb ingest --rebuild [PATH...]`")
    SharedSystemClient.clear_system_cache()
    assert invoke("kb", "ingest", "--rebuild").exit_code == 0
    assert "TS 28.312" in json.loads(invoke("kb", "stats", "--json").stdout)


def test_sqlite_failures_other_than_corruption_are_reported_as_they_are(tmp_path):
    from ranpilot.errors import sqlite_error

    locked = sqlite_error(sqlite3.OperationalError("database is locked"), tmp_path / "a.sqlite", "audit log", "delete")
    assert "cannot be used: database is locked" in str(locked) and "delete" not in str(locked)
