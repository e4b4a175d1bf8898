"""The ranpilot agent xApp inside the O-RAN SC Python framework (ricxappframe's RMRXapp), over RMR.

Each run is its own process (tests/osc_loopback.py): the framework's generated protobuf modules
need protobuf's pure-Python implementation, chosen before protobuf is first imported."""

import ctypes.util
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("osc_loopback.py")
pytestmark = pytest.mark.skipif(importlib.util.find_spec("ricxappframe") is None,
                                reason="ricxappframe is not installed (pip install 'ranpilot[osc]', then "
                                       "pip install --no-deps ricxappframe==3.2.2 ricsdl==3.1.3)")


def run_loopback(tmp_path, *flags) -> dict:
    env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), *flags], capture_output=True, text=True,
                          env=env, timeout=300, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads([line for line in done.stdout.splitlines() if line.startswith('{"indication_cells"')][-1])


def check(summary: dict) -> None:
    assert summary["indication_cells"] == 21  # KPM indications reached the xApp through RMR callbacks
    assert "unknown cell 99" in summary["bad_cause"]  # RIC_CONTROL_FAILURE with its cause
    # A1_POLICY_QUERY for every ranpilot type at start; the mediator's CREATE answer enforced, then its
    # DELETE (payload ""); the A1_POLICY_RESPs read as the mediator's Go code reads them
    assert summary["a1_queries"] == [21001, 21002, 21003, 21004, 21101, 21102, 21103, 21104, 21105, 21106, 21901]
    assert summary["a1_replies"] == [{"policy_type_id": 21101, "policy_instance_id": "osc-1", "status": status}
                                     for status in ("OK", "DELETED")]
    assert summary["fulfilment"] == "FULFILLED" and summary["node_changed"]  # RC controls reached the node
    assert summary["twin_matches_node"]


def test_agent_xapp_in_the_osc_framework_with_a_stubbed_rmr_binding(tmp_path):
    check(run_loopback(tmp_path))


@pytest.mark.skipif(ctypes.util.find_library("rmr_si") is None, reason="RMR's C library librmr_si.so is not installed")
def test_agent_xapp_in_the_osc_framework_over_real_rmr(tmp_path):
    check(run_loopback(tmp_path, "--real-rmr"))


@pytest.mark.skipif(ctypes.util.find_library("rmr_si") is not None, reason="with RMR installed the command serves")
def test_cli_chooses_protobufs_python_implementation_itself():
    """Nothing the CLI loads at start-up imports protobuf, so `xapp run --rmr-port` can pick the
    implementation the framework needs; here it gets as far as looking for RMR's C library."""
    env = {key: value for key, value in os.environ.items() if key != "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"}
    done = subprocess.run([sys.executable, "-m", "ranpilot.cli", "xapp", "run", "--rmr-port", "4599"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "librmr_si.so" in done.stderr and "PROTOCOL_BUFFERS" not in done.stderr
