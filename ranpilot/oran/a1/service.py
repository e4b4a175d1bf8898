"""A1-P v2 REST service (FastAPI) in front of the xApp runtime.

GET  /A1-P/v2/policytypes                                  -> ["type id", ...]
GET  /A1-P/v2/policytypes/{typeId}                         -> {"policySchema", "statusSchema"}
GET  /A1-P/v2/policytypes/{typeId}/policies                -> ["policy id", ...]
PUT  /A1-P/v2/policytypes/{typeId}/policies/{policyId}     -> 201 + Location (created) | 200 (updated)
                                                              | 400 application/problem+json
GET  /A1-P/v2/policytypes/{typeId}/policies/{policyId}     -> the policy object
DELETE .../{policyId}                                      -> 204
GET  .../{policyId}/status                                 -> {"enforceStatus"[, "enforceReason"]} (A1TD 7.1.2.2)
GET  /ranpilot/policies/{policyId}                         -> ranpilot's report: the status and why, in words
plus the approvals of the changes the xApp proposes (`approvals`, under /ranpilot/approvals).
Policy ids are unique across types: a PUT of an id another type holds is 409.

With a token (`RANPILOT_A1_TOKEN`) every route needs `Authorization: Bearer <token>` (401
otherwise). A PUT is checked whole before anything is stored (`validation`: the policy id, finite
JSON, the type's schema, cells and slices of this network, a notificationDestination on the
allow-list); policies persist in the data dir (`store`) and are handed to the xApps again when the
service starts. An instance goes to the xApps (A1_POLICY_REQ, its type by integer id) after the
response is sent; its status follows the IntentReport, and the status object alone is POSTed to
`?notificationDestination=URL` when given.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Callable

import httpx
from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ranpilot.oran.a1.approvals import approvals_router
from ranpilot.network.config import DEFAULT_SLICES, SliceSpec
from ranpilot.oran.a1.status import PolicyReport, PolicyStatus
from ranpilot.oran.a1.store import PolicyIdTaken, PolicyStore
from ranpilot.oran.a1.types import POLICY_TYPES, STATUS_SCHEMA, TYPE_IDS
from ranpilot.oran.a1.validation import (
    PolicyError, check_body, check_destination, check_policy_id, checked_allowlist, read_body,
)
from ranpilot.oran.rest import answer_unauthorized, bearer_dependencies, problem
from ranpilot.oran.messages import A1PolicyRequest, A1PolicyResponse
from ranpilot.settings import Settings

PREFIX = "/A1-P/v2"
REPORTS_PATH = "/ranpilot/policies"
log = logging.getLogger(__name__)


@dataclass
class A1Backend:
    """What the service acts through: A1 routing to the xApps, the xApp's report on a policy, the
    number of cells and the slices of the network the xApps act on, and (optionally) the xApp's
    pending approvals."""

    handle: Callable[[A1PolicyRequest], A1PolicyResponse]
    status_of: Callable[[str], PolicyReport]
    num_cells: int
    pending: Callable[[], list[dict]] | None = None
    answer: Callable[[str, str], dict] | None = None
    slices: tuple[SliceSpec, ...] = DEFAULT_SLICES


def create_app(backend: A1Backend, settings: Settings) -> FastAPI:
    """The service for `backend`; token, notification allow-list and data dir from `settings`."""
    store = PolicyStore(settings.data_dir / "a1" / "policies.json")
    allowlist = checked_allowlist(settings.a1_notification_allowlist)
    deliver = _deliverer(backend, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        """Hand the stored policies to the xApps again (in the background), so they stay in force."""
        if stored := store.items():
            threading.Thread(target=_redeliver, args=(stored, deliver), name="a1-redeliver", daemon=True).start()
        yield

    app = FastAPI(title="ranpilot A1-P", version="2.0", lifespan=lifespan, dependencies=bearer_dependencies(settings.a1_token, "RANPILOT_A1_TOKEN"))
    answer_unauthorized(app)
    _policy_routes(app, backend, store, allowlist, deliver)
    if backend.pending is not None and backend.answer is not None:
        def answered(policy_id: str) -> None:
            if (type_id := store.type_of(policy_id)) is not None:
                store.set_status(type_id, policy_id, backend.status_of(policy_id).status().body())

        app.include_router(approvals_router(backend.pending, backend.answer, answered, problem))
    return app


Deliver = Callable[[str, A1PolicyRequest, str | None], None]


def policy_request(operation: str, type_id: str, policy_id: str, body: dict | None = None) -> A1PolicyRequest:
    """The A1_POLICY_REQ for a policy of the named type (its integer id on the wire)."""
    return A1PolicyRequest(operation=operation, policy_type_id=TYPE_IDS[type_id], policy_instance_id=policy_id,
                           payload=body or {})


def _deliverer(backend: A1Backend, store: PolicyStore) -> Deliver:
    """deliver(type name, request, destination): hand a policy to the xApps, record its standard
    status, and POST that status object to `destination` (already checked against the
    allow-list), if given."""

    def deliver(type_id: str, request: A1PolicyRequest, destination: str | None) -> None:
        backend.handle(request)
        report = backend.status_of(request.policy_instance_id)
        status = report.status() if report.acted else PolicyStatus(enforceStatus="NOT_ENFORCED",
                                                                   enforceReason="OTHER_REASON")
        store.set_status(type_id, request.policy_instance_id, status.body())
        if destination:
            try:
                httpx.post(destination, json=status.body(), timeout=5.0, follow_redirects=False)
            except httpx.HTTPError:
                pass  # the status stays readable with GET .../status

    return deliver


def _redeliver(stored: list[tuple[str, str, dict]], deliver: Deliver) -> None:
    """Deliver each stored policy as a CREATE; one that fails is logged and the rest still go."""
    for type_id, policy_id, body in stored:
        try:
            deliver(type_id, policy_request("CREATE", type_id, policy_id, body), None)
        except Exception:  # noqa: BLE001 (a background thread: nobody else would see it)
            log.exception("A1: re-delivering policy %s after a restart failed", policy_id)


def _policy_routes(app: FastAPI, backend: A1Backend, store: PolicyStore, allowlist: list[str],
                   deliver: Deliver) -> None:
    """The A1-P v2 policy type and policy instance routes."""

    def known(type_id: str, policy_id: str | None = None) -> JSONResponse | None:
        """404 for an unknown type, or (given a policy id) an unknown policy of a known type."""
        if type_id not in POLICY_TYPES:
            return problem(404, "Not Found", f"no policy type {type_id}")
        if policy_id is not None and store.body(type_id, policy_id) is None:
            return problem(404, "Not Found", f"no policy {policy_id}")
        return None

    @app.get(PREFIX + "/policytypes")
    def list_types() -> list[str]:
        return sorted(POLICY_TYPES)

    @app.get(PREFIX + "/policytypes/{type_id}")
    def get_type(type_id: str):
        return known(type_id) or {"policySchema": POLICY_TYPES[type_id], "statusSchema": STATUS_SCHEMA}

    @app.get(PREFIX + "/policytypes/{type_id}/policies")
    def list_policies(type_id: str):
        return known(type_id) or store.ids(type_id)

    @app.put(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    async def put_policy(type_id: str, policy_id: str, request: Request, background: BackgroundTasks,
                         notificationDestination: str | None = None):  # noqa: N803 (A1-P parameter name)
        """Create or update a policy: checked whole (400 naming the field, nothing stored), stored,
        then handed to the xApps after the response."""
        if (missing := known(type_id)) is not None:
            return missing
        try:
            check_policy_id(policy_id)
            if notificationDestination is not None:
                check_destination(notificationDestination, allowlist)
            body = read_body(await request.body())
            check_body(type_id, body, backend.num_cells, backend.slices)
            created = store.put(type_id, policy_id, body)
        except PolicyError as exc:
            return problem(400, "Bad Request", str(exc))
        except PolicyIdTaken as exc:
            return problem(409, "Conflict", f"{exc}: a policy id names one policy; DELETE it first or use another id")
        operation = "CREATE" if created else "UPDATE"
        background.add_task(deliver, type_id, policy_request(operation, type_id, policy_id, body),
                            notificationDestination)
        headers = {"Location": f"{PREFIX}/policytypes/{type_id}/policies/{policy_id}"} if created else {}
        return JSONResponse(body, status_code=201 if created else 200, headers=headers)

    @app.get(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    def get_policy(type_id: str, policy_id: str):
        return known(type_id, policy_id) or store.body(type_id, policy_id)

    @app.delete(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    def delete_policy(type_id: str, policy_id: str):
        if (missing := known(type_id)) is not None:
            return missing
        if not store.delete(type_id, policy_id):
            return problem(404, "Not Found", f"no policy {policy_id}")
        backend.handle(policy_request("DELETE", type_id, policy_id))
        return Response(status_code=204)

    @app.get(PREFIX + "/policytypes/{type_id}/policies/{policy_id}/status")
    def get_status(type_id: str, policy_id: str):
        """The xApp's live status; the stored one until the xApp has acted on the policy (e.g. just
        after a restart)."""
        if (missing := known(type_id, policy_id)) is not None:
            return missing
        live = backend.status_of(policy_id)
        return live.status().body() if live.acted else store.status(type_id, policy_id)

    @app.get(REPORTS_PATH + "/{policy_id}")
    def get_report(policy_id: str):
        """ranpilot's report on a policy of any type: its standard status and why, in words (with the
        TS 28.312 IntentReport, or the thread awaiting approval)."""
        if store.type_of(policy_id) is None:
            return problem(404, "Not Found", f"no policy {policy_id}")
        return backend.status_of(policy_id).model_dump(exclude_none=True)
