"""Operator approvals of changes the xApp proposed for A1 policies, answered on the network the
service acts on (the CLI's `ranpilot approve` answers on the CLI's live network, another one).

GET  /ranpilot/approvals           -> [{"thread", "policyId", "rules", "reasons"}, ...] awaiting an answer
POST /ranpilot/approvals/{thread}  {"answer": "approved" | "rejected"}
                                   -> 200 the policy's status after the resumed run
                                   | 404 no approval pending on that thread | 409 the verdict went stale
Both sit behind the service's bearer token like every A1-P route.
"""

from __future__ import annotations

from typing import Annotated, Callable, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel

from ranpilot.agents.runner import RunError
from ranpilot.policies import StaleVerdict

APPROVALS_PATH = "/ranpilot/approvals"


class PendingApproval(BaseModel):
    thread: str
    policyId: str
    rules: list[str]
    reasons: list[str]


class Answer(BaseModel):
    answer: Literal["approved", "rejected"]


def approvals_router(pending: Callable[[], list[dict]], answer: Callable[[str, str], dict],
                     answered: Callable[[str], None], problem: Callable[..., object]) -> APIRouter:
    """`pending()` lists approvals; `answer(thread, answer)` resumes one (LookupError: none pending
    there) and returns the policy's status; `answered(policy_id)` records it."""
    router = APIRouter(prefix=APPROVALS_PATH, tags=["approvals"])

    @router.get("", response_model=list[PendingApproval])
    def list_approvals() -> list[dict]:
        """Changes awaiting an operator's answer."""
        return pending()

    @router.post("/{thread}")
    def answer_approval(thread: Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,128}$")], body: Answer):
        """Approve or reject a pending change; it is applied (or not) on this service's network."""
        try:
            result = answer(thread, body.answer)
        except LookupError as exc:
            return problem(404, "Not Found", str(exc))
        except StaleVerdict as exc:
            return problem(409, "Conflict", f"{exc}: the network changed since the verdict; PUT the policy again")
        except RunError as exc:
            return problem(409, "Conflict", str(exc))
        answered(result["policyId"])
        return result

    return router
