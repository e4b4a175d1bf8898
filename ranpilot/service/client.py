"""The client `ranpilot run` uses when a service is configured (`RANPILOT_SERVICE_URL`): the same
request and the same RunResult as in process, with the service's errors as the CLI's (bad input
exit 2; an unreachable service, a refused token, an unknown thread exit 1). It imports none of
the agent's or the network's libraries (nor builds a network for `--config`/`--seed`: the service
does), so the command costs little more than the HTTP call itself."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from typing import TYPE_CHECKING

from ranpilot.errors import InputError, StateError, reported
from ranpilot.live import LOCK_TIMEOUT_S

if TYPE_CHECKING:  # pydantic-settings alone costs the client more than its HTTP call
    from ranpilot.settings import Settings

RUNS = "/ranpilot/runs"
EXIT_HEADER = "X-Ranpilot-Exit-Code"


@dataclass
class Response:
    """An HTTP response as the client reads it (urllib, not httpx: a tenth of the start-up)."""

    status_code: int
    headers: Message  # case-insensitive look-ups
    content: bytes

    def json(self):
        return json.loads(self.content)


class ServiceClient:
    """Calls on the service at `url`, with the bearer `token` when given."""

    def __init__(self, url: str, token: str | None = None):
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    @classmethod
    def of(cls, settings: Settings) -> ServiceClient:
        """The client of `settings.service_url` and `settings.service_token`."""
        if settings.service_url is None:
            raise ValueError("ServiceClient needs settings.service_url")
        token = settings.service_token
        return cls(settings.service_url, token.get_secret_value() if token else None)

    def call(self, method: str, path: str, body: dict | None = None) -> Response:
        """The response to a request; the service's 4xx as InputError or StateError with its detail."""
        data = None if body is None else json.dumps(body).encode()
        headers = self.headers | ({"Content-Type": "application/json"} if data is not None else {})
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:  # a run may wait for the live network's lock, as a CLI command would
            with urllib.request.urlopen(request, timeout=LOCK_TIMEOUT_S + 60.0) as reply:
                return Response(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as exc:
            response = Response(exc.code, exc.headers, exc.read())
        except (urllib.error.URLError, OSError) as exc:  # refused, unreachable, timed out
            raise StateError(f"cannot reach the ranpilot service at {self.url} ({exc}); start it with "
                             "`ranpilot serve`, or unset RANPILOT_SERVICE_URL to run in this process") from exc
        detail = _detail(response)
        if response.status_code == 401:
            raise StateError(f"the ranpilot service at {self.url} refused the token: set RANPILOT_SERVICE_TOKEN "
                             "to the service's token")
        if response.status_code in (400, 413, 422):
            raise InputError(detail)
        raise StateError(f"the ranpilot service at {self.url}: {detail}")


def new_network(settings: Settings, config: Path | None, seed: int | None) -> dict | None:
    """The service's `NewNetwork` for `--config`/`--seed` (None: the live network), the config file
    read and checked here (bad input exits 2 before any request), the seed defaulting as in process."""
    if config is None and seed is None:
        return None
    body: dict = {"seed": settings.seed if seed is None else seed}
    if config is not None:  # else the service's default config, which is ours
        from ranpilot.network.config import config_option

        body["config"] = config_option(config).model_dump(mode="json")
    return body


def run_remote(settings: Settings, request: str | None, thread: str | None, config: Path | None, seed: int | None,
               cells: list[int] | None, areas: dict[str, list[int]], as_json: bool) -> int:
    """`ranpilot run` through the service: print the run (JSON, or the report) and return the exit
    code the service computed for it (`X-Ranpilot-Exit-Code`), as the in-process command would."""
    with reported():
        client = ServiceClient.of(settings)
        network = new_network(settings, config, seed) if request is not None else None
    return remote_run(client, request, thread, cells, areas, network, as_json)


def remote_run(client: ServiceClient, request: str | None, thread: str | None, cells: list[int] | None,
               areas: dict[str, list[int]], network: dict | None, as_json: bool) -> int:
    """Start the run of `request` (or show the run `thread`, when `request` is None), print it, and
    return its exit code; the service's errors exit as `reported` says (typer.Exit)."""
    with reported():
        if request is None:
            response = client.call("GET", f"{RUNS}/{thread}")
        else:
            body = {"request": request, "thread": thread, "cells": cells, "areas": areas, "network": network}
            response = client.call("POST", RUNS, body)
    if as_json:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    else:
        from ranpilot.agents.report import print_run
        from ranpilot.agents.result import RunResult

        print_run(RunResult.model_validate_json(response.content))
    return int(response.headers.get(EXIT_HEADER, 1))


def _detail(response: Response) -> str:
    try:
        return str(response.json()["detail"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.content[:200].decode(errors='replace')}"
