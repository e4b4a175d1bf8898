"""`ranpilot serve`: the service on 127.0.0.1 by default; beyond loopback only with a token."""

from __future__ import annotations

from typing import Annotated

import typer

from ranpilot.agents.cli import FallbackOption, agent_errors
from ranpilot.oran.auth import InsecureBind, check_bind
from ranpilot.settings import load_settings

DEFAULT_PORT = 8750


def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = DEFAULT_PORT,
    fallback: FallbackOption = False,
    a1: Annotated[bool, typer.Option("--a1", help="Also serve the A1-P v2 policy service (/A1-P/v2), its policies "
                                     "enforced by the ranpilot xApp on the same live network and audit log.")] = False,
) -> None:
    """Serve the TS 28.312 intent interface, runs, approvals, verification and network views on the
    live network, holding the agent and its models in memory (OpenAPI at /openapi.json). With
    RANPILOT_SERVICE_TOKEN set every request needs `Authorization: Bearer <token>`; point
    `ranpilot run` at it with RANPILOT_SERVICE_URL=http://HOST:PORT."""
    import uvicorn

    from ranpilot.planning.llm import make_planner
    from ranpilot.service.app import create_app
    from ranpilot.service.core import RanpilotService

    settings = load_settings()
    try:
        check_bind(host, settings.service_token, "ranpilot service", "RANPILOT_SERVICE_TOKEN")
    except InsecureBind as exc:
        raise typer.BadParameter(str(exc), param_hint="--host") from exc
    with agent_errors():  # a corrupt file in the data dir, an LLM setting that cannot work: one line, exit 1
        service = RanpilotService(settings, make_planner(settings, fallback))
        service.warm_up()
        app = create_app(service, settings.service_token, a1=a1)
    uvicorn.run(app, host=host, port=port, log_level="info")
