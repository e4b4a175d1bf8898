"""The live network and its audit log commit together, under one lock ("Close the safety gate",
state part): two runs at once both keep their changes; a run killed mid-way leaves no audit
apply for a change the saved network lacks; readers see one committed state."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ranpilot import live
from ranpilot.cli import app
from ranpilot.network import Network
from ranpilot.network.config import load_config
from ranpilot.policies import AuditLog
from ranpilot.settings import Settings


def settings() -> Settings:
    return Settings(data_dir=Path(os.environ["RANPILOT_DATA_DIR"]))


def apply_event(audit: AuditLog, proposal: str = "p-1") -> None:
    audit.append("apply", "run:t", proposal, 0.0, {"network_id": "n", "changes": []})


# The audit log's transaction and snapshot ---------------------------------------------------------

def test_a_transaction_commits_the_network_with_its_entries_or_neither(tmp_path):
    path = tmp_path / "audit.sqlite"
    audit, other = AuditLog(path), AuditLog(path)  # `other`: what another process sees
    with pytest.raises(KeyboardInterrupt), audit.transaction():
        apply_event(audit)
        audit.write_network("the changed network")
        assert [e.kind for e in audit.events()] == ["apply"] and audit.read_network() == "the changed network"
        assert not other.events() and other.read_network() is None
        raise KeyboardInterrupt  # e.g. ^C mid-run
    assert not audit.events() and audit.read_network() is None
    with audit.transaction():
        apply_event(audit)
        audit.write_network("the changed network")
    assert [e.kind for e in other.events()] == ["apply"] and other.read_network() == "the changed network"


def test_a_reader_sees_one_committed_state_while_a_run_commits(tmp_path):
    path = tmp_path / "audit.sqlite"
    reader, writer = AuditLog(path), AuditLog(path)
    writer.write_network("before")

    def commit_a_run() -> None:
        with writer.transaction():
            apply_event(writer)
            writer.write_network("after")

    with reader.snapshot():
        assert reader.read_network() == "before"
        run = threading.Thread(target=commit_a_run)
        run.start()
        run.join(timeout=0.5)
        assert run.is_alive()  # the commit waits for the reader
        assert not reader.events(kind="apply") and reader.read_network() == "before"
    run.join(timeout=30)
    assert reader.read_network() == "after" and len(reader.events(kind="apply")) == 1


# Real processes -------------------------------------------------------------------------------------

NIGHT = "start_time_h: 1.0\n"  # energy cuts are applied without an approval at night
CELLS = ("0,1,2", "9,10,11", "15,16,17")


def start_run(cells: str) -> subprocess.Popen:
    text = f"cut energy consumption by 10% in cells {cells.replace(',', ', ')}"
    return subprocess.Popen([sys.executable, "-m", "ranpilot.cli", "run", text, "--cells", cells],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def reset_live_network(tmp_path) -> Network:
    """Reset the live network to a night-time one and build the knowledge store (as a first run
    would: the runs then spend their time running); returns a copy of the network as it starts."""
    config = tmp_path / "night.yaml"
    config.write_text(NIGHT)
    assert CliRunner().invoke(app, ["net", "reset", "--config", str(config)]).exit_code == 0
    assert CliRunner().invoke(app, ["kb", "ingest", "--rebuild"]).exit_code == 0
    return Network(load_config(config), seed=settings().seed)


def applied_and_saved(initial: Network) -> tuple[dict, dict]:
    """(cell, parameter) -> value: as the audit log's applies (not rolled back) leave it, and as the
    saved live network has it, both against the network the runs started from."""
    audit = live.open_audit(settings())
    rolled_back = {e.proposal_id for e in audit.events(kind="rollback")}
    applied = {(c["cell"], c["parameter"]): round(c["after"], 6) for e in audit.events(kind="apply")
               if e.proposal_id not in rolled_back for c in e.payload["changes"]}
    with live.reading(audit, settings()) as saved:
        changes = initial.configuration().changes(saved.configuration(), [s.name for s in initial.config.slices])
    return applied, {(c.cell, c.parameter): round(c.after, 6) for c in changes}


def test_two_runs_at_once_both_keep_their_changes(tmp_path):
    initial = reset_live_network(tmp_path)
    runs = [start_run(cells) for cells in CELLS[:2]]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read().decode()
    applied, saved = applied_and_saved(initial)
    assert applied == saved  # no change recorded as applied is missing from the network
    changed = {cell for cell, _ in saved}
    assert changed & {0, 1, 2} and changed & {9, 10, 11} and changed <= {0, 1, 2, 9, 10, 11}


def apply_reached(data_dir: Path) -> bool:
    """Whether the run's apply node has finished (its checkpoint write) or the audit shows an apply."""
    for name, query in (("checkpoints.sqlite", "SELECT 1 FROM writes WHERE channel = 'applied'"),
                        ("audit.sqlite", "SELECT 1 FROM events WHERE kind = 'apply'")):
        path = data_dir / "agent" / name
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05) as db:
                if db.execute(query).fetchone():
                    return True
        except sqlite3.Error:  # not created yet, or busy
            pass
    return False


def test_a_run_killed_mid_way_leaves_no_apply_the_network_lacks(tmp_path):
    """SIGKILL as soon as the run has applied its change, before it saves the network: the
    audit log must then not record the apply (it did, before the two committed together)."""
    initial, killed = reset_live_network(tmp_path), 0
    for cells in CELLS:  # a run that finishes before the kill lands is tried again on other cells
        run = start_run(cells)
        while run.poll() is None and not apply_reached(settings().data_dir):
            time.sleep(0.002)
        run.send_signal(signal.SIGKILL)
        killed += run.wait(timeout=60) == -signal.SIGKILL
        applied, saved = applied_and_saved(initial)
        assert applied == saved
        if killed:
            break
    assert killed
