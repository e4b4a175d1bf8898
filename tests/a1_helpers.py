"""Helpers for tests that talk to the A1-P service over real HTTP on localhost."""

import threading
import time
from contextlib import contextmanager

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
