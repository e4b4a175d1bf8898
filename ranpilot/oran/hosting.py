"""Wiring: simulated network -> E2 node -> in-process runtime -> ranpilot xApp -> A1-P service."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from ranpilot.agents.planner import EmbeddedPlanner
from ranpilot.agents.runner import AgentRunner
from ranpilot.network import Network
from ranpilot.oran.a1.service import create_app
from ranpilot.oran.agent_xapp import RanpilotXApp
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.xapp import InProcessRuntime
from ranpilot.policies import PolicyPack
from ranpilot.settings import Settings


@dataclass
class XAppStack:
    runtime: InProcessRuntime
    xapp: RanpilotXApp
    app: FastAPI


def ranpilot_stack(network: Network, settings: Settings, with_knowledge: bool = True,
                   pack: PolicyPack | None = None) -> XAppStack:
    runner = AgentRunner(settings, EmbeddedPlanner(), pack, with_knowledge=with_knowledge)
    xapp = RanpilotXApp(runner)
    runtime = InProcessRuntime(SimulatedE2Node(network), [xapp])
    return XAppStack(runtime=runtime, xapp=xapp, app=create_app(runtime.a1, xapp.status))
