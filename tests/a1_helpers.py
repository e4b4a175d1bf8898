"""Helpers for tests of the A1 side: the A1-P service over real HTTP on localhost, standard A1
policy bodies on ranpilot's network, and the bytes the O-RAN SC A1 mediator's Go code sends."""

import json
import threading
import time
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import uvicorn


@contextmanager
def serving(app):
    """Serve `app` on a free localhost port; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=5)


PLMN = {"mcc": "001", "mnc": "01"}  # ranpilot's network
BASE = "/A1-P/v2/policytypes"
REPORTS = "/ranpilot/policies"


def cell(index: int) -> dict:
    """An A1 CellId of ranpilot's network (NR cell identity = cell index)."""
    return {"plmnId": PLMN, "cId": {"ncI": index}}


def slice_id(sst: int) -> dict:
    return {"sst": sst, "plmnId": PLMN}


URLLC_SLA = {"scope": {"sliceId": slice_id(2)}, "sliceSlaObjectives": {"maxDlPacketDelayPerUe": 10}}  # 4.0.1


def wait_report(client, policy_id, seconds=60.0, **kwargs) -> dict:
    """ranpilot's report on a policy once the xApp has acted on it."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        report = client.get(f"{REPORTS}/{policy_id}", **kwargs).json()
        if report.get("acted"):
            return report
        time.sleep(0.2)
    raise AssertionError("policy never acted on")


def go_json(value) -> str:
    """JSON as Go's encoding/json Marshal writes it: map keys sorted, no spaces, <, > and & as
    \\u003c \\u003e \\u0026, numbers (float64 after Unmarshal into interface{}) without a trailing .0."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{go_json(str(k))}:{go_json(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e21 else format(Decimal(repr(number)), "f")
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def mediator_policy_message(type_id: int, instance_id: str, body: dict | None, operation: str) -> bytes:
    """An A1_POLICY_REQ payload as ric-plt-a1 builds it (pkg/rmr/messages.go PolicyMessage): a
    map[string]string, so the type id is a decimal string and the policy body (the PUT body,
    json.Marshal'ed) a JSON string; "" for DELETE."""
    return go_json({"operation": operation, "policy_type_id": str(type_id), "policy_instance_id": instance_id,
                    "payload": "" if body is None else go_json(body)}).encode()


def mediator_reads_response(payload: bytes) -> tuple[int, str, str, str]:
    """What ric-plt-a1's Consume does with an A1_POLICY_RESP (pkg/rmr/rmr.go): Unmarshal into
    map[string]interface{}, then type-assert policy_type_id as float64 and the rest as strings
    (a failed assertion panics: here an AssertionError)."""
    result = json.loads(payload)
    fields = (result["policy_type_id"], result["policy_instance_id"], result["handler_id"], result["status"])
    assert isinstance(fields[0], (int, float)) and not isinstance(fields[0], bool), "policy_type_id.(float64) panics"
    assert all(isinstance(f, str) for f in fields[1:]), "a .(string) assertion panics"
    return int(fields[0]), *fields[1:]


def mediator_reads_query(payload: bytes) -> int:
    """ric-plt-a1's A1_POLICY_QUERY handling: result["policy_type_id"].(float64)."""
    type_id = json.loads(payload)["policy_type_id"]
    assert isinstance(type_id, (int, float)) and not isinstance(type_id, bool), "policy_type_id.(float64) panics"
    return int(type_id)


@contextmanager
def notification_sink():
    """A localhost HTTP server recording the JSON bodies POSTed to it; yields (base URL, bodies)."""
    received = []

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{sink.server_address[1]}", received
    sink.shutdown()


def approval_pack(tmp_path):
    """The default policy pack, with transmit-power changes (not only sleep) outside the
    maintenance window needing an operator's approval."""
    import yaml

    from ranpilot.policies import load_pack
    from ranpilot.policies.pack import PACKS_DIR

    data = yaml.safe_load((PACKS_DIR / "default.yaml").read_text())
    for rule in data["rules"]:
        if rule["id"] == "sleep.maintenance_window":
            rule["parameters"] = ["asleep", "tx_power_dbm"]
    path = tmp_path / "approval-pack.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_pack(path)
