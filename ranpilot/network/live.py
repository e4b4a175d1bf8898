"""Saved networks: `save_network` / `load_network` write and read a network's exact state
(the agent keeps one per thread for approvals). The CLI's live network is one of them, kept in
the data dir between commands, so that `ranpilot run`, `verify` and `net show` see one network
whose changes (and the verifier's history of them) persist, like a real RAN's.
`ranpilot net reset` replaces it."""

from __future__ import annotations

import pickle
from pathlib import Path

from ranpilot.network.config import NetworkConfig
from ranpilot.network.simulator import Network


class LiveNetworkError(RuntimeError):
    """The saved live network cannot be read."""


class SavedNetworkError(ValueError):
    """A saved network file is missing, corrupt or from an incompatible version."""


def save_network(path: Path, network: Network, **extra) -> None:
    """Write a network (config, seed, exact state) and any extra data, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps({"config": network.config.model_dump(mode="json"), "seed": network.seed,
                                  "snapshot": network.snapshot(), **extra}))
    tmp.replace(path)  # atomic: a crash never leaves a half-written network


def load_network(path: Path) -> tuple[Network, dict]:
    """The network saved at `path` and the extra data saved with it."""
    try:
        data = pickle.loads(path.read_bytes())
        network = Network.from_state(NetworkConfig.model_validate(data.pop("config")), data.pop("seed"),
                                     data.pop("snapshot").state)
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, ValueError, AttributeError) as exc:
        raise SavedNetworkError(f"cannot read the saved network {path}: {exc}") from exc
    return network, data


def live_path(data_dir: Path) -> Path:
    return Path(data_dir) / "network" / "live.pkl"


def load_live(data_dir: Path, config: NetworkConfig | None = None, seed: int = 0) -> Network:
    """The saved live network, or a new one from `config` and `seed` (saved at once)."""
    path = live_path(data_dir)
    if not path.exists():
        return reset_live(data_dir, config or NetworkConfig(), seed)
    try:
        return load_network(path)[0]
    except SavedNetworkError as exc:
        raise LiveNetworkError(f"{exc}; `ranpilot net reset` starts a new one") from exc


def save_live(data_dir: Path, network: Network) -> None:
    save_network(live_path(data_dir), network)


def reset_live(data_dir: Path, config: NetworkConfig, seed: int) -> Network:
    network = Network(config, seed=seed)
    save_live(data_dir, network)
    return network
