"""The REST application of `ranpilot serve` (FastAPI; the OpenAPI document is at /openapi.json).

    {BASE}/Intent..., {BASE}/IntentReport...   the TS 28.312 intent interface (`intents`)
    POST /ranpilot/runs                        -> RunResult   (what `ranpilot run` does; the CLI uses it)
    GET  /ranpilot/runs/{thread}               -> RunResult   (`ranpilot run --thread ID`)
    GET  /ranpilot/approvals                   -> [PendingApproval] of the runs this service started
    POST /ranpilot/approvals/{thread}          -> RunResult   ({"answer": "approved" | "rejected"})
    POST /ranpilot/verify                      -> Verdict     (`ranpilot verify`: nothing is applied)
    GET  /ranpilot/network                     -> Observation (`ranpilot net show`)
    POST /ranpilot/network/step?steps=N        -> Observation (`ranpilot net step N`)
    POST /ranpilot/assure?periods=N&steps=S    -> [AssuranceEvent] (`ranpilot assure` on the Intent resources)
    GET  /ranpilot/health                      -> {"status": "ok", "planner": ...}
    /A1-P/v2/..., GET /ranpilot/policies/{id}  with `a1`: the A1-P v2 service, its policies enforced by
                                               the ranpilot xApp on the same live network (`a1`)

With a token (`RANPILOT_SERVICE_TOKEN`) every route needs `Authorization: Bearer <token>` (401
otherwise, compared in constant time). Errors are `application/problem+json` with one-line
`detail`: 400 bad input (naming the field), 401, 404 unknown, 409 conflict or stale verdict,
413 body too large, 422 an intent ranpilot cannot take up, 500 a data-dir file that cannot be
used (naming its repair), 502 an unreachable LLM."""

from __future__ import annotations

import json
import math
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import SecretStr, ValidationError

from ranpilot.agents.assurance import AssuranceEvent
from ranpilot.agents.cli import exit_code
from ranpilot.agents.runner import RunError, RunResult
from ranpilot.errors import InputError, StateError
from ranpilot.inputs import MAX_FILE_BYTES, check_json_depth, summary
from ranpilot.intents.model import IntentInputError
from ranpilot.network.kpis import Observation
from ranpilot.oran.rest import answer_unauthorized, bearer_dependencies, problem
from ranpilot.planning.llm import LlmError
from ranpilot.policies import StaleVerdict, Verdict
from ranpilot.service.core import (
    Answer, Conflict, IntentRefused, NotFound, PendingApproval, RanpilotService, RunRequest, VerifyRequest,
)
from ranpilot.service.client import EXIT_HEADER
from ranpilot.service.intents import intents_router

PREFIX = "/ranpilot"


def create_app(service: RanpilotService, token: SecretStr | None, a1: bool = False) -> FastAPI:
    """The service's REST application; with `a1`, the A1-P v2 service mounted on the same network."""
    app = FastAPI(title="ranpilot service", version="1.0", dependencies=bearer_dependencies(token, "RANPILOT_SERVICE_TOKEN"),
                  description="TS 28.312 intent management, runs, approvals, verification and network views "
                              "on ranpilot's live network.")
    _errors(app)

    @app.middleware("http")
    async def bounded(request: Request, call_next):
        """A body within the bounds of every ranpilot input: size, JSON depth, finite numbers."""
        if int(request.headers.get("content-length") or 0) > MAX_FILE_BYTES:
            return problem(413, "Content Too Large", f"the body is over {MAX_FILE_BYTES} bytes")
        try:
            check_body(await request.body())
        except InputError as exc:
            return problem(400, "Bad Request", str(exc))
        return await call_next(request)

    app.include_router(intents_router(service))

    @app.post(PREFIX + "/runs", response_model=RunResult, tags=["runs"])
    def run(body: RunRequest) -> Response:
        """Carry a request (plain language or a TS 28.312 intent as JSON text) through the agent on the
        live network, as `ranpilot run` does. The result's status may be `awaiting_approval`;
        `X-Ranpilot-Exit-Code` is the exit code `ranpilot run` gives it."""
        return _run_response(service.run(body))

    @app.get(PREFIX + "/runs/{thread}", response_model=RunResult, tags=["runs"])
    def show(thread: str) -> Response:
        return _run_response(service.show(thread))

    @app.get(PREFIX + "/approvals", response_model=list[PendingApproval], tags=["approvals"])
    def approvals() -> list[PendingApproval]:
        """Runs started through this service whose change awaits an operator's answer."""
        return service.pending()

    @app.post(PREFIX + "/approvals/{thread}", response_model=RunResult, tags=["approvals"])
    def answer(thread: str, body: Answer) -> RunResult:
        """Approve or reject a pending change on the live network (409 if it changed since the verdict)."""
        return service.answer(thread, body.answer)

    @app.post(PREFIX + "/verify", response_model=Verdict, tags=["verification"])
    def verify(body: VerifyRequest) -> Verdict:
        """The verifier's verdict on a proposal against the live network and its change history."""
        return service.verify(body)

    @app.get(PREFIX + "/network", response_model=Observation, tags=["network"])
    def network() -> Observation:
        """The live network's configuration and KPIs, as `ranpilot net show` (a read)."""
        return service.network()

    @app.post(PREFIX + "/network/step", response_model=Observation, tags=["network"])
    def step(steps: Annotated[int, Query(ge=1, le=100_000, description="Steps to advance the clock.")]) -> Observation:
        """Advance the live network's clock (UEs move, traffic evolves), as `ranpilot net step N`."""
        return service.network(steps)

    @app.post(PREFIX + "/assure", response_model=list[AssuranceEvent], tags=["intents"])
    def assure(periods: Annotated[int, Query(ge=0, le=1000, description="Observation periods after the check now.")] = 1,
               steps: Annotated[int, Query(ge=1, le=100_000, description="Network steps per period.")] = 300,
               ) -> list[AssuranceEvent]:
        """Keep the Intent resources in force, as `ranpilot assure`: each active only inside its time
        window on the network's clock, re-checked every period, re-planned when it slips, with the
        other active Intents' targets as guards."""
        return service.assure(periods, steps)

    @app.get(PREFIX + "/health", tags=["service"])
    def health() -> dict[str, str]:
        return {"status": "ok", "planner": service.agent.planner.name}

    if a1:
        from ranpilot.service.a1 import mount_a1

        mount_a1(app, service)
    return app


def check_body(raw: bytes) -> None:
    """InputError for a body over MAX_FILE_BYTES, not UTF-8, nested too deep, or with a number JSON
    cannot carry (NaN, Infinity, 1e999: Python's json reads them). Malformed JSON is left to the
    route's own validation, which names the position."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"the body is over {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the body is not UTF-8 text (byte {exc.start})") from exc
    check_json_depth(text, "the body")
    try:
        json.loads(text or "null", parse_constant=_not_finite, parse_float=_finite)
    except json.JSONDecodeError:
        pass


def _not_finite(token: str) -> None:
    raise InputError(f"the body: {token} is not a JSON number; numbers must be finite")


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        _not_finite(token)
    return value


def _run_response(result: RunResult) -> Response:
    return Response(result.model_dump_json(), media_type="application/json",
                    headers={EXIT_HEADER: str(int(exit_code(result)))})


def _errors(app: FastAPI) -> None:
    """Each kind of failure as its status and a one-line `detail`."""
    def handle(kind: type[Exception], status: int, title: str, detail=str) -> None:
        app.add_exception_handler(kind, lambda request, exc: problem(status, title, detail(exc)))

    handle(RequestValidationError, 400, "Bad Request", lambda exc: "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    handle(ValidationError, 400, "Bad Request", summary)
    handle(InputError, 400, "Bad Request")
    handle(IntentInputError, 400, "Bad Request")
    handle(IntentRefused, 422, "Unprocessable Content")
    handle(NotFound, 404, "Not Found", lambda exc: str(exc.args[0]))
    app.add_exception_handler(RunError, lambda request, exc: problem(404, "Not Found", str(exc))
                              if str(exc).startswith("no thread") else problem(409, "Conflict", str(exc)))
    handle(Conflict, 409, "Conflict")
    handle(StaleVerdict, 409, "Conflict", lambda exc: f"{exc}: the live network changed after this proposal was "
           "verified; run the intent again")
    handle(StateError, 500, "Internal Server Error")
    handle(LlmError, 502, "Bad Gateway")
    answer_unauthorized(app)
