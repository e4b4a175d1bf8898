"""A1-P v2 REST service (FastAPI) in front of the xApp runtime.

GET  /A1-P/v2/policytypes                                  -> ["type id", ...]
GET  /A1-P/v2/policytypes/{typeId}                         -> {"policySchema", "statusSchema"}
GET  /A1-P/v2/policytypes/{typeId}/policies                -> ["policy id", ...]
PUT  /A1-P/v2/policytypes/{typeId}/policies/{policyId}     -> 201 + Location (created) | 200 (updated)
                                                              | 400 application/problem+json (schema)
GET  /A1-P/v2/policytypes/{typeId}/policies/{policyId}     -> the policy object
DELETE .../{policyId}                                      -> 204
GET  .../{policyId}/status                                 -> {"enforceStatus", "enforceReason", ...}
An instance is validated against its type's schema before it is stored, then handed to the
xApps (A1_POLICY_REQ) after the response is sent; its status follows the IntentReport, and is
POSTed to `?notificationDestination=URL` when given.
"""

from __future__ import annotations

from typing import Callable

import httpx
import jsonschema
from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ranpilot.oran.a1.policies import POLICY_TYPES, STATUS_SCHEMA
from ranpilot.oran.messages import A1PolicyRequest, A1PolicyResponse

PREFIX = "/A1-P/v2"


def problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse({"title": title, "status": status, "detail": detail}, status_code=status,
                        media_type="application/problem+json")


def create_app(handle: Callable[[A1PolicyRequest], A1PolicyResponse], status_of: Callable[[str], dict]) -> FastAPI:
    """`handle` routes A1 operations to the xApps; `status_of(policy_id)` reports enforcement."""
    app = FastAPI(title="ranpilot A1-P", version="2.0")
    policies: dict[str, dict[str, dict]] = {t: {} for t in POLICY_TYPES}

    def known(type_id: str) -> JSONResponse | None:
        return None if type_id in POLICY_TYPES else problem(404, "Not Found", f"no policy type {type_id}")

    @app.get(PREFIX + "/policytypes")
    def list_types() -> list[str]:
        return sorted(POLICY_TYPES)

    @app.get(PREFIX + "/policytypes/{type_id}")
    def get_type(type_id: str):
        return known(type_id) or {"policySchema": POLICY_TYPES[type_id], "statusSchema": STATUS_SCHEMA}

    @app.get(PREFIX + "/policytypes/{type_id}/policies")
    def list_policies(type_id: str):
        return known(type_id) or sorted(policies[type_id])

    @app.put(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    async def put_policy(type_id: str, policy_id: str, request: Request, background: BackgroundTasks,
                         notificationDestination: str | None = None):  # noqa: N803 (A1-P parameter name)
        if (missing := known(type_id)) is not None:
            return missing
        try:
            body = await request.json()
            jsonschema.validate(body, POLICY_TYPES[type_id])
        except ValueError as exc:
            return problem(400, "Bad Request", f"body is not JSON: {exc}")
        except jsonschema.ValidationError as exc:
            where = "/".join(map(str, exc.absolute_path)) or "(root)"
            return problem(400, "Bad Request", f"policy does not match {type_id} at {where}: {exc.message}")
        created = policy_id not in policies[type_id]
        policies[type_id][policy_id] = body
        operation = "CREATE" if created else "UPDATE"
        background.add_task(enforce, A1PolicyRequest(operation=operation, policy_type_id=type_id,
                                                     policy_instance_id=policy_id, payload=body), notificationDestination)
        headers = {"Location": f"{PREFIX}/policytypes/{type_id}/policies/{policy_id}"} if created else {}
        return JSONResponse(body, status_code=201 if created else 200, headers=headers)

    @app.get(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    def get_policy(type_id: str, policy_id: str):
        if (missing := known(type_id)) is not None:
            return missing
        body = policies[type_id].get(policy_id)
        return body if body is not None else problem(404, "Not Found", f"no policy {policy_id}")

    @app.delete(PREFIX + "/policytypes/{type_id}/policies/{policy_id}")
    def delete_policy(type_id: str, policy_id: str):
        if (missing := known(type_id)) is not None:
            return missing
        if policies[type_id].pop(policy_id, None) is None:
            return problem(404, "Not Found", f"no policy {policy_id}")
        handle(A1PolicyRequest(operation="DELETE", policy_type_id=type_id, policy_instance_id=policy_id))
        return Response(status_code=204)

    @app.get(PREFIX + "/policytypes/{type_id}/policies/{policy_id}/status")
    def get_status(type_id: str, policy_id: str):
        if (missing := known(type_id)) is not None:
            return missing
        if policy_id not in policies[type_id]:
            return problem(404, "Not Found", f"no policy {policy_id}")
        return status_of(policy_id)

    def enforce(request: A1PolicyRequest, destination: str | None) -> None:
        reply = handle(request)
        if destination:
            status = status_of(request.policy_instance_id) if reply.status == "OK" else {
                "enforceStatus": "NOT_ENFORCED", "enforceReason": reply.reason}
            try:
                httpx.post(destination, json={"policyId": request.policy_instance_id, **status}, timeout=5.0)
            except httpx.HTTPError:
                pass  # the status stays readable with GET .../status

    return app
