"""The simulated radio network (digital twin) that agents observe and act on."""

from ranpilot.network.actions import (
    Action, ActionError, SetCellSleep, SetCio, SetPowerVector, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
    dump_actions, parse_actions,
)
from ranpilot.network.configuration import Change, RanConfiguration, apply_actions
from ranpilot.network.config import Hotspot, Mobility, NetworkConfig, Scenario, SliceSpec, Traffic
from ranpilot.network.kpis import NETWORK_TARGETS, Observation
from ranpilot.network.simulator import Network, Snapshot

__all__ = [
    "Action", "ActionError", "Change", "RanConfiguration", "apply_actions", "Hotspot", "Mobility", "NETWORK_TARGETS", "Network", "NetworkConfig",
    "Observation", "Scenario", "SetCellSleep", "SetCio", "SetPowerVector", "SetSliceQuota",
    "SetTilt", "SetTxPower", "SetUePMax", "SliceSpec", "Snapshot", "Traffic", "dump_actions", "parse_actions",
]
