"""The A1-P v2 service and the ranpilot xApp mounted in `ranpilot serve --a1`: A1 policies are
enforced on the service's live network, under the same locks and in the same audit log as the
runs and TS 28.312 Intents, so every interface acts on one network.

The xApp (`ranpilot.oran.agent_xapp`) is hosted against a simulated E2 node in this process
whose network is, for each A1 operation or approval, the live network loaded under the service's
lock and the live network's inter-process lock; its RC controls change that network, and the
network and the run's audit entries are saved in one transaction when the operation ends (as a
`ranpilot run` is). Its agent is the service's (one planner, knowledge store and checkpoint store).

Routes (`ranpilot.oran.a1.service`): /A1-P/v2/... and GET /ranpilot/policies/{policyId}, behind
the service's token like every route of it (RANPILOT_A1_TOKEN is for `ranpilot xapp a1 serve`).
A change the xApp proposes that needs an operator's answer is listed and answered with the
service's own: GET /ranpilot/approvals, POST /ranpilot/approvals/{thread}."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from ranpilot import live
from ranpilot.oran.a1.service import A1Backend, create_app
from ranpilot.oran.agent_xapp import RanpilotXApp
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.messages import A1PolicyRequest, A1PolicyResponse
from ranpilot.oran.xapp import InProcessRuntime

if TYPE_CHECKING:
    from ranpilot.service.core import RanpilotService


class LiveXApp:
    """The ranpilot xApp on the service's live network (see the module's docstring)."""

    def __init__(self, service: RanpilotService):
        self.service = service
        self.xapp = RanpilotXApp(service.agent)
        audit = live.open_audit(service.settings)
        try:
            with live.reading(audit, service.settings) as network:  # the node's network until the first operation
                self.runtime = InProcessRuntime(SimulatedE2Node(network), [self.xapp])
        finally:
            audit.close()

    @contextmanager
    def on_live_network(self) -> Iterator[None]:
        """The E2 node on the live network, under the service's locks; saved with its audit entries."""
        with self.service.live() as (_, network):
            self.runtime.node.network = network
            yield

    def handle(self, request: A1PolicyRequest) -> A1PolicyResponse:
        """An A1 policy operation, routed to the xApp, acting on the live network."""
        with self.on_live_network():
            return self.runtime.a1(request)

    def waiting(self, thread: str) -> bool:
        """Whether the xApp's change on `thread` awaits an operator's answer."""
        return thread in self.xapp.pending

    def answer(self, thread: str, answer: str) -> dict:
        """Resume the xApp's pending thread with the operator's answer on the live network."""
        with self.on_live_network():
            return self.xapp.answer(thread, answer)


def mount_a1(app: FastAPI, service: RanpilotService) -> LiveXApp:
    """Add the A1-P v2 routes to `app`, enforced by the xApp on the service's live network (the
    stored policies are handed to it again when the app starts); the service answers the xApp's
    approvals from then on."""
    hosted = LiveXApp(service)
    network = hosted.runtime.network
    backend = A1Backend(handle=hosted.handle, status_of=hosted.xapp.status, num_cells=network.num_cells,
                        slices=network.config.slices)
    a1_app = create_app(backend, service.settings.model_copy(update={"a1_token": None}))  # the service's token only
    routes = APIRouter(lifespan=a1_app.router.lifespan_context)
    routes.routes = [route for route in a1_app.router.routes if isinstance(route, APIRoute)]  # not its /docs
    app.include_router(routes, tags=["A1-P v2"])
    service.xapp = hosted
    return hosted
