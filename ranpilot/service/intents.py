"""The TS 28.312 intent management interface of `ranpilot serve`, as REST on the provisioning MnS
naming of TS 28.532: the IntentNrm's `SubNetwork` > `IntentHandlingFunction` > `Intent`,
`IntentReport`, with the Rel-18 `Intent-Single` and `IntentReport-Single` shapes.

    GET    {BASE}/Intent                   -> [Intent]          (Intent-Multiple)
    POST   {BASE}/Intent                   -> 201 Intent + Location (the id may be left out)
    PUT    {BASE}/Intent={id}              -> 201 created | 200 replaced
    GET    {BASE}/Intent={id}              -> Intent
    PATCH  {BASE}/Intent={id}              -> 200 Intent (JSON merge patch, RFC 7386, of its attributes)
    DELETE {BASE}/Intent={id}              -> 204
    GET    {BASE}/IntentReport             -> [IntentReport]    (IntentReport-Multiple)
    GET    {BASE}/IntentReport={id}        -> IntentReport      (id `report-<intent id>`)

Creating, replacing or modifying an Intent runs the agent on it at once (the same run as
`ranpilot run` with the intent as JSON: verifier, lock, audit); the response carries the thread
in `X-Ranpilot-Thread` and `done` or `awaiting_approval` in `X-Ranpilot-Status`. An intent ranpilot
cannot take up (a question, a refusal) is answered 422 with the reason and not kept; one that is
not a valid TS 28.312 intent, 400. A report is measured on the live network when it is read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path
from fastapi.responses import Response
from pydantic import BaseModel

from ranpilot.intents.model import Intent, IntentReport
from ranpilot.intents.ts28312 import NETWORK_DN, goals_of
from ranpilot.errors import InputError
from ranpilot.service.core import Conflict, NotFound, RanpilotService, check_intent_id

HANDLER = "IntentHandlingFunction=ranpilot"
BASE = f"/ProvMnS/v1800/{NETWORK_DN}/{HANDLER}"
IntentId = Annotated[str, Path(description="The Intent's id.")]


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386 JSON merge patch: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def as_json(value: BaseModel | list[BaseModel], status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A resource (or a list of them) as pydantic writes it: fields left unset are not written."""
    body = value.model_dump_json() if isinstance(value, BaseModel) else f"[{','.join(v.model_dump_json() for v in value)}]"
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


def report_reference(intent_id: str) -> str:
    return f"{NETWORK_DN},{HANDLER},IntentReport=report-{intent_id}"


def intents_router(service: RanpilotService) -> APIRouter:
    router = APIRouter(prefix=BASE, tags=["TS 28.312 intents"])

    def pursued(intent: Intent, created: bool) -> Response:
        goals_of(intent)  # IntentInputError (400) for an intent ranpilot cannot read, before any run
        check_intent_id(intent.id)
        kept = intent.model_copy(update={"intentReportReference": report_reference(intent.id)})
        result = service.pursue(kept)
        headers = {"X-Ranpilot-Thread": result.thread_id, "X-Ranpilot-Status": result.status}
        if created:
            headers["Location"] = f"{BASE}/Intent={intent.id}"
        return as_json(kept, status_code=201 if created else 200, headers=headers)

    def stored(intent_id: str) -> Intent:
        record = service.registry.intent(intent_id)
        if record is None:
            raise NotFound(f"no Intent {intent_id}")
        return record.intent

    @router.get("/Intent", response_model=list[Intent])
    def list_intents() -> Response:
        """Every Intent this service manages."""
        return as_json([r.intent for r in service.registry.intents()])

    @router.post("/Intent", status_code=201, response_model=Intent)
    def create_intent(intent: Intent) -> Response:
        """Create an Intent (an id is generated when the body has none) and pursue it; 409 if the id is taken."""
        if service.registry.intent(intent.id) is not None:
            raise Conflict(f"Intent {intent.id} exists: PUT or PATCH {BASE}/Intent={intent.id} to change it")
        return pursued(intent, created=True)

    @router.put("/Intent={intent_id}", response_model=Intent)
    def put_intent(intent_id: IntentId, intent: Intent) -> Response:
        """Create the Intent `intent_id` or replace it (its pending approval, if any, is rejected)."""
        if "id" in intent.model_fields_set and intent.id != intent_id:
            raise InputError(f"the body's id {intent.id!r} is not the id in the path {intent_id!r}")
        created = service.registry.intent(intent_id) is None
        return pursued(intent.model_copy(update={"id": intent_id}), created)

    @router.get("/Intent={intent_id}", response_model=Intent)
    def get_intent(intent_id: IntentId) -> Response:
        return as_json(stored(intent_id))

    @router.patch("/Intent={intent_id}", response_model=Intent)
    def modify_intent(intent_id: IntentId, patch: Annotated[dict, Body(description="RFC 7386 merge patch")]) -> Response:
        """Change some attributes (e.g. `intentExpectations`, `intentPriority`) and pursue the result."""
        if patch.get("id", intent_id) != intent_id:
            raise InputError("the id of an Intent cannot be changed")
        merged = merge_patch(stored(intent_id).model_dump(mode="json"), patch)
        return pursued(Intent.model_validate(merged), created=False)

    @router.delete("/Intent={intent_id}", status_code=204)
    def delete_intent(intent_id: IntentId) -> Response:
        """Stop pursuing the Intent; a change of it awaiting approval is rejected; applied ones stay."""
        if not service.withdraw(intent_id):
            raise NotFound(f"no Intent {intent_id}")
        return Response(status_code=204)

    @router.get("/IntentReport", response_model=list[IntentReport])
    def list_reports() -> Response:
        reports = [service.report(r.intent.id) for r in service.registry.intents()]
        return as_json([r for r in reports if r is not None])

    @router.get("/IntentReport={report_id}", response_model=IntentReport)
    def get_report(report_id: Annotated[str, Path(description="`report-<intent id>`.")]) -> Response:
        """The Intent's fulfilment on the live network now, against its values when it was pursued."""
        found = service.report(report_id.removeprefix("report-")) if report_id.startswith("report-") else None
        if found is None:
            raise NotFound(f"no IntentReport {report_id}")
        return as_json(found)

    return router
