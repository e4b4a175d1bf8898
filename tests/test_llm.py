"""The LLM planner through the real openai client against a local OpenAI-compatible HTTP server
started by the test, answering from a script."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from ranpilot.agents.llm import LlmError, LlmPlanner
from ranpilot.agents.planner import EmbeddedPlanner
from ranpilot.agents.runner import AgentRunner
from ranpilot.cli import app
from ranpilot.network import Network, NetworkConfig
from ranpilot.settings import Settings

ENERGY_INTENT = {
    "status": "parsed",
    "intent": {
        "userLabel": "cut energy by 5%",
        "intentExpectations": [{
            "expectationId": "e1", "expectationVerb": "DELIVER",
            "expectationObject": {"objectType": "RAN_SubNetwork", "objectInstance": ["all"]},
            "expectationTargets": [{
                "targetName": "RANEnergyConsumption", "targetCondition": "IS_EQUAL_TO_OR_LESS_THAN", "targetValueRange": [-5],
                "targetContexts": [{"contextAttribute": "changeRelativeToBaselinePct", "contextCondition": "IS_EQUAL_TO",
                                    "contextValueRange": [-5]}],
            }],
        }],
    },
}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        if not self.server.replies:
            self.send_response(500)
            self.end_headers()
            return
        message = {"role": "assistant", "content": None, **self.server.replies.pop(0)}
        payload = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
                   "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.requests, server.replies = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def tool_call(name: str, arguments: dict) -> dict:
    return {"tool_calls": [{"id": "call-1", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]}


def test_parse_uses_structured_output_and_repairs_invalid_json(llm_server):
    llm_server.replies += [{"content": "not json at all"}, {"content": json.dumps(ENERGY_INTENT)}]
    result = LlmPlanner(url(llm_server), "test-model", "k").parse("cut energy by 5%", {})
    assert result.status == "parsed"
    assert result.intent.intentExpectations[0].expectationTargets[0].targetName == "RANEnergyConsumption"
    first, repair = llm_server.requests
    assert first["model"] == "test-model" and first["response_format"]["type"] == "json_schema"
    assert "invalid" in repair["messages"][-1]["content"]


def test_parse_gives_up_after_one_repair(llm_server):
    llm_server.replies += [{"content": "{}"}, {"content": '{"status": "parsed"}'}]
    with pytest.raises(LlmError, match="invalid intents twice"):
        LlmPlanner(url(llm_server), "m", None).parse("x", {})


def test_run_with_llm_plans_by_tool_calling_within_scope(llm_server, tmp_path):
    llm_server.replies += [{"content": json.dumps(ENERGY_INTENT)}] + [
        tool_call("energy_min_power", {"cells": [3, 4, 5, 99], "reason": "cut power"}) for _ in range(3)]
    runner = AgentRunner(Settings(data_dir=tmp_path), LlmPlanner(url(llm_server), "m", None), with_knowledge=False)
    net = Network(NetworkConfig(num_ues=210), seed=1)
    before = net.configuration()
    result = runner.run("cut energy by 5%", net, scope_cells=[3, 4, 5, 6])
    assert result.planner == "llm" and result.report.fulfilmentStatus.value == "FULFILLED"
    plan_request = llm_server.requests[1]
    assert plan_request["tool_choice"] == "required"
    assert {t["function"]["name"] for t in plan_request["tools"]} >= {"energy_min_power", "allocate_slice_prbs"}
    changed = {c.cell for c in before.changes(net.configuration(), ["eMBB", "URLLC", "mMTC"])}
    assert changed and changed <= {3, 4, 5}  # narrowed by the model, never widened (99 dropped, 6 untouched)


def test_unreachable_endpoint_is_a_clear_error_or_falls_back():
    with pytest.raises(LlmError, match="unreachable"):
        LlmPlanner(closed_port_url(), "m", None).parse("cut energy by 5%", {})
    fallback = LlmPlanner(closed_port_url(), "m", None, fallback=EmbeddedPlanner())
    assert fallback.parse("URLLC latency must stay under 5 ms", {}).status == "parsed"


def test_cli_reports_unreachable_llm(monkeypatch):
    monkeypatch.setenv("RANPILOT_LLM_BASE_URL", closed_port_url())
    monkeypatch.setenv("RANPILOT_LLM_MODEL", "m")
    result = CliRunner().invoke(app, ["intent", "parse", "cut energy by 5%"])
    assert result.exit_code == 1 and "unreachable" in result.output
    fallback = CliRunner().invoke(app, ["intent", "parse", "cut energy by 5%", "--fallback", "--json"])
    assert fallback.exit_code == 0 and json.loads(fallback.output)["status"] == "parsed"
