"""Helpers for tests that talk to the A1-P service over real HTTP on localhost."""

import json
import threading
import time
from contextlib import contextmanager
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


def wait_status(client, url, seconds=60.0):
    """The policy status once the xApp has acted on the policy."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        status = client.get(url).json()
        if status.get("enforceReason") != "not yet acted on":
            return status
        time.sleep(0.2)
    raise AssertionError("policy never enforced")


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
