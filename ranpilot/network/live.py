"""The live simulated network of the CLI: kept in the data dir between commands, so that
`ranpilot run`, `verify` and `net show` see one network whose changes (and the verifier's
history of them) persist, like a real RAN's. `ranpilot net reset` replaces it."""

from __future__ import annotations

import pickle
from pathlib import Path

from ranpilot.network.config import NetworkConfig
from ranpilot.network.simulator import Network


class LiveNetworkError(RuntimeError):
    """The saved live network cannot be read."""


def live_path(data_dir: Path) -> Path:
    return Path(data_dir) / "network" / "live.pkl"


def load_live(data_dir: Path, config: NetworkConfig | None = None, seed: int = 0) -> Network:
    """The saved live network, or a new one from `config` and `seed` (saved at once)."""
    path = live_path(data_dir)
    if not path.exists():
        return reset_live(data_dir, config or NetworkConfig(), seed)
    try:
        data = pickle.loads(path.read_bytes())
        network = Network(NetworkConfig.model_validate(data["config"]), seed=data["seed"])
        network.restore(data["snapshot"])
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, ValueError) as exc:
        raise LiveNetworkError(f"cannot read the live network {path} ({exc}); `ranpilot net reset` starts a new one") from exc
    return network


def save_live(data_dir: Path, network: Network) -> None:
    path = live_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps({"config": network.config.model_dump(mode="json"), "seed": network.seed,
                                  "snapshot": network.snapshot()}))
    tmp.replace(path)  # atomic: never half-written


def reset_live(data_dir: Path, config: NetworkConfig, seed: int) -> Network:
    network = Network(config, seed=seed)
    save_live(data_dir, network)
    return network
