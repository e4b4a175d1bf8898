"""What ranpilot's REST services share (the A1-P service and `ranpilot serve`): RFC 9457 problem
documents, and bearer-token authentication on every route when a token is set."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr

from ranpilot.oran.auth import token_matches


class Unauthorized(Exception):
    """No valid bearer token on a request to a service that has one."""


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An RFC 9457 problem document."""
    return JSONResponse({"title": title, "status": status, "detail": detail}, status_code=status,
                        media_type="application/problem+json", headers=headers)


def bearer_dependencies(token: SecretStr | None, setting: str) -> list:
    """The dependency every route gets with a token (`Authorization: Bearer <token>`, compared in
    constant time); none without one, as for the in-process paths. `setting` names where the
    token comes from, for the OpenAPI document."""
    if token is None:
        return []
    scheme = HTTPBearer(auto_error=False, description=setting)

    def authorized(credentials: HTTPAuthorizationCredentials | None = Depends(scheme)) -> None:
        if credentials is None or not token_matches(token, credentials.credentials):
            raise Unauthorized()

    return [Depends(authorized)]


def answer_unauthorized(app: FastAPI) -> None:
    """A missing or wrong token: 401 with a `WWW-Authenticate: Bearer` challenge."""
    app.add_exception_handler(Unauthorized, lambda request, exc: problem(
        401, "Unauthorized", "a valid `Authorization: Bearer <token>` header is required", {"WWW-Authenticate": "Bearer"}))
