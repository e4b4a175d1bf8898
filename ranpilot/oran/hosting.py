"""Wiring: simulated network -> E2 node -> runtime -> ranpilot xApp -> A1-P service. The node runs
in this process, or at the other end of a transport (TCP to `ranpilot xapp e2 serve`, or RMR).
The A1-P service validates policies against the network the xApp acts on, and answers the xApp's
pending approvals on it; its token, allow-list and policy file come from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.agents.runner import AgentRunner
from ranpilot.network import Network
from ranpilot.oran.a1.service import A1Backend, create_app
from ranpilot.oran.agent_xapp import RanpilotXApp
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.transport import Transport
from ranpilot.oran.xapp import InProcessRuntime, Runtime
from ranpilot.policies import PolicyPack
from ranpilot.settings import Settings


@dataclass
class XAppStack:
    runtime: Runtime
    xapp: RanpilotXApp
    app: FastAPI


def ranpilot_stack(network: Network | None, settings: Settings, with_knowledge: bool = True,
                   pack: PolicyPack | None = None, transport: Transport | None = None,
                   wire: str = "json") -> XAppStack:
    """Give either the network (an in-process node, its E2 messages crossing `wire`) or the
    transport to a node (which carries its own wire)."""
    if (network is None) == (transport is None):
        raise ValueError("ranpilot_stack: give a network or a transport to an E2 node, not both")
    runner = AgentRunner(settings, EmbeddedPlanner(), pack, with_knowledge=with_knowledge)
    xapp = RanpilotXApp(runner)
    runtime = RemoteRuntime(transport, [xapp]) if transport else \
        InProcessRuntime(SimulatedE2Node(network), [xapp], wire)
    backend = A1Backend(handle=runtime.a1, status_of=xapp.status, num_cells=runtime.network.num_cells,
                        pending=xapp.approvals, answer=xapp.answer, slices=runtime.network.config.slices)
    return XAppStack(runtime=runtime, xapp=xapp, app=create_app(backend, settings))
