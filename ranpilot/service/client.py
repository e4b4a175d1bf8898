"""The client `ranpilot run` uses when a service is configured (`RANPILOT_SERVICE_URL`): the same
request and the same RunResult as in process, with the service's errors as the CLI's (bad input
exit 2; an unreachable service, a refused token, an unknown thread exit 1). It imports none of
the agent's libraries for `--json`, so the command costs little more than the run itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import json

import httpx

from ranpilot.errors import InputError, StateError, reported
from ranpilot.live import LOCK_TIMEOUT_S
from ranpilot.settings import Settings

if TYPE_CHECKING:
    from ranpilot.network import Network

RUNS = "/ranpilot/runs"
EXIT_HEADER = "X-Ranpilot-Exit-Code"


class ServiceClient:
    """Calls on the service at `settings.service_url`, with `settings.service_token` when set."""

    def __init__(self, settings: Settings):
        if settings.service_url is None:
            raise ValueError("ServiceClient needs settings.service_url")
        self.url = settings.service_url.rstrip("/")
        token = settings.service_token
        self.headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}

    def call(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        """The response to a request; the service's 4xx as InputError or StateError with its detail."""
        try:  # a run may wait for the live network's lock, as a CLI command would
            response = httpx.request(method, self.url + path, json=body, headers=self.headers,
                                     timeout=LOCK_TIMEOUT_S + 60.0)
        except httpx.HTTPError as exc:
            raise StateError(f"cannot reach the ranpilot service at {self.url} ({exc}); start it with "
                             "`ranpilot serve`, or unset RANPILOT_SERVICE_URL to run in this process") from exc
        if response.is_success:
            return response
        detail = _detail(response)
        if response.status_code == 401:
            raise StateError(f"the ranpilot service at {self.url} refused the token: set RANPILOT_SERVICE_TOKEN "
                             "to the service's token")
        if response.status_code in (400, 413, 422):
            raise InputError(detail)
        raise StateError(f"the ranpilot service at {self.url}: {detail}")


def run_remote(settings: Settings, request: str | None, thread: str | None, fresh: Network | None,
               cells: list[int] | None, areas: dict[str, list[int]], as_json: bool) -> int:
    """`ranpilot run` through the service: print the run (JSON, or the report) and return the exit
    code the service computed for it (`X-Ranpilot-Exit-Code`), as the in-process command would."""
    with reported():
        client = ServiceClient(settings)
        if request is None:
            response = client.call("GET", f"{RUNS}/{thread}")
        else:
            body = {"request": request, "thread": thread, "cells": cells, "areas": areas}
            if fresh is not None:
                body["network"] = {"config": fresh.config.model_dump(mode="json"), "seed": fresh.seed}
            response = client.call("POST", RUNS, body)
    if as_json:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    else:
        from ranpilot.agents.report import print_run
        from ranpilot.agents.runner import RunResult

        print_run(RunResult.model_validate_json(response.content))
    return int(response.headers.get(EXIT_HEADER, 1))


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json()["detail"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"
