"""The simulated radio network (digital twin) that agents observe and act on."""

from ranpilot.network.actions import (
    Action, ActionError, SetCellSleep, SetCio, SetCsiPrediction, SetMuLayers, SetPowerVector, SetPrecoder,
    SetSliceQuota, SetTilt, SetTxPower, SetUePMax, dump_actions, parse_actions,
)
from ranpilot.network.configuration import Change, RanConfiguration, action_for_change, apply_actions
from ranpilot.network.config import Hotspot, Mobility, NetworkConfig, Scenario, SliceSpec, Traffic
from ranpilot.network.kpis import Observation
from ranpilot.network.simulator import Network, Snapshot
from ranpilot.network.view import NetworkView

__all__ = [
    "Action", "ActionError", "Change", "Hotspot", "Mobility", "Network", "NetworkConfig", "NetworkView",
    "Observation", "RanConfiguration", "Scenario", "SetCellSleep", "SetCio", "SetCsiPrediction", "SetMuLayers",
    "SetPowerVector", "SetPrecoder", "SetSliceQuota",
    "SetTilt", "SetTxPower", "SetUePMax", "SliceSpec", "Snapshot", "Traffic", "action_for_change", "apply_actions",
    "dump_actions", "parse_actions",
]
