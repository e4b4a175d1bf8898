"""The CLI's live network: one simulated RAN kept in the data dir between commands, so that
`ranpilot run`, `approve`/`reject`, `verify` and `net show` see one network whose changes (and
the verifier's history of them) persist, like a real RAN's. `ranpilot net reset` replaces it.

It lives in the audit database (`ranpilot.policies.audit`, table `live_network`), so a run's
audit entries and the network it changed commit in one SQLite transaction: a process killed
mid-run leaves neither, and the change history never names a change the network lacks.
Commands that change it hold one inter-process lock (`exclusive`) from loading it to saving
it: two at once run one after the other instead of the later one silently undoing the other.
Readers (`verify`, `net show`) take no lock: `reading` gives them one committed state."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ranpilot.errors import StateError

if TYPE_CHECKING:  # loaded when used: not for `ranpilot run` through a service
    from ranpilot.network import Network
    from ranpilot.policies.audit import AuditLog
    from ranpilot.settings import Settings

LOCK_TIMEOUT_S = 600.0


class LiveNetworkError(StateError):
    """The saved live network cannot be read; the message says how to start a new one."""


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / "live.lock"


def open_audit(settings: Settings) -> AuditLog:
    """The audit log (and live network store) of the settings' data dir."""
    from ranpilot.policies.audit import AuditLog, audit_path

    return AuditLog(audit_path(settings.data_dir))


@contextmanager
def exclusive(settings: Settings) -> Iterator[None]:
    """Hold the live network's inter-process lock, waiting (and saying so on stderr) while
    another command holds it; StateError after LOCK_TIMEOUT_S."""
    from filelock import FileLock, Timeout

    path = lock_path(settings.data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"waiting for another ranpilot command to finish with the live network ({path})", file=sys.stderr)
        try:
            lock.acquire(timeout=LOCK_TIMEOUT_S)
        except Timeout as exc:
            raise StateError(f"another ranpilot command has held {path} for {LOCK_TIMEOUT_S:g} s; "
                             "try again when it has finished") from exc
    try:
        yield
    finally:
        lock.release()


@contextmanager
def changing(audit: AuditLog, settings: Settings, replace: Network | None = None) -> Iterator[Network]:
    """Yield the live network (or `replace`, which becomes it) inside `audit.transaction()`;
    when the block ends without an error, save it: it and the audit entries made meanwhile
    commit together. Use while holding `exclusive`."""
    from ranpilot.network.live import network_to_text

    with audit.transaction():
        network = replace if replace is not None else _read(audit, settings)
        yield network
        audit.write_network(network_to_text(network))


@contextmanager
def reading(audit: AuditLog, settings: Settings) -> Iterator[Network]:
    """Yield the live network inside `audit.snapshot()`: the network and the change history
    read in the block are one committed state. Nothing is saved."""
    with audit.snapshot():
        yield _read(audit, settings)


def _read(audit: AuditLog, settings: Settings) -> Network:
    """The saved live network, or before the first save a new one from the settings' seed."""
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.network.live import RESET_HINT, SavedNetworkError, network_from_text

    text, source = audit.read_network(), f"(table live_network of {audit.path})"
    try:
        if text is not None:
            return network_from_text(text, source)[0]
        return Network(NetworkConfig(), seed=settings.seed)
    except SavedNetworkError as exc:
        raise LiveNetworkError(str(exc) if RESET_HINT in str(exc) else f"{exc}; {RESET_HINT}") from exc
