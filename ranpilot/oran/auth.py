"""Shared-secret checks for the O-RAN interfaces served over the network (the A1-P REST service and
the E2 node's TCP server).

Each interface takes its token from the settings (`RANPILOT_A1_TOKEN`, `RANPILOT_E2_TOKEN`). With a
token, every client must present it; without one, the interface may only listen on a loopback
address, so an unauthenticated service is never reachable from another host. Tokens are compared
in constant time. The in-process paths (`InProcessRuntime`, a test's ASGI client) carry none.
"""

from __future__ import annotations

import ipaddress
import secrets

from pydantic import SecretStr


class InsecureBind(ValueError):
    """A service asked to listen beyond loopback without a token."""


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback IP addresses (127.0.0.0/8, ::1); any other name is not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: SecretStr | None, service: str, setting: str) -> None:
    """Refuse (InsecureBind) to serve `service` on a non-loopback `host` without a token."""
    if token is None and not is_loopback(host):
        raise InsecureBind(f"{service}: refusing to listen on {host!r} without a token; set {setting} "
                           "or listen on 127.0.0.1")


def token_matches(expected: SecretStr | None, given: str | None) -> bool:
    """Whether a client's token is acceptable: always without an expected token, otherwise an exact
    match compared in constant time (so timing reveals nothing of the token)."""
    if expected is None:
        return True
    if not isinstance(given, str):
        return False
    return secrets.compare_digest(given.encode(), expected.get_secret_value().encode())
