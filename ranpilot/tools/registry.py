"""The one explicit list of tools, typed input to typed output, for the CLI (`ranpilot tool`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from pydantic import BaseModel

from ranpilot.tools.beam_solver import BeamInput, beam_solver
from ranpilot.tools.channel_prediction import ChannelPredictionInput, channel_prediction
from ranpilot.tools.energy import EnergyInput, energy_min_power
from ranpilot.tools.load_balance import LoadBalanceInput, load_balance_cio
from ranpilot.tools.power_control import PowerControlInput, power_control
from ranpilot.tools.slice_allocation import SliceAllocationInput, slice_prb_allocation


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_model: type[BaseModel]
    run: Callable[[BaseModel], BaseModel]

    def call(self, arguments: dict) -> BaseModel:
        """Validate JSON-like arguments (pydantic.ValidationError names the field) and run."""
        return self.run(self.input_model.model_validate(arguments))


TOOLS: tuple[Tool, ...] = (
    Tool("power_control", "Transmit powers for K interfering links: WMMSE sum-rate, proportional fair, or max-min SINR (GP).",
         PowerControlInput, power_control),
    Tool("beam_solver", "Multi-user downlink precoders: min-power SOCP, max-min SINR, WMMSE, ZF/RZF/MRT, Type-I codebook.",
         BeamInput, beam_solver),
    Tool("channel_prediction", "Next 4 slots of CSI from the last 16 per antenna (learned model, AR or none), with expected NMSE.",
         ChannelPredictionInput, channel_prediction),
    Tool("slice_prb_allocation", "PRBs per slice and cell maximizing weighted log rates under SLA floors and PRB budgets (CVXPY).",
         SliceAllocationInput, slice_prb_allocation),
    Tool("energy_min_power", "Minimum total transmit power meeting per-UE rate targets; lists cells that may sleep (CVXPY LP).",
         EnergyInput, energy_min_power),
    Tool("load_balance_cio", "Cell individual offsets that balance PRB load while keeping coverage (CVXPY LPs).",
         LoadBalanceInput, load_balance_cio),
)


def get_tool(name: str) -> Tool:
    for tool in TOOLS:
        if tool.name == name:
            return tool
    raise KeyError(f"unknown tool {name!r}; tools: {[t.name for t in TOOLS]}")
