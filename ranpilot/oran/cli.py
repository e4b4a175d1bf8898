"""`ranpilot xapp run`, `ranpilot xapp e2 serve` and `ranpilot xapp a1 serve`.

Both servers listen on 127.0.0.1 by default; with `RANPILOT_E2_TOKEN` / `RANPILOT_A1_TOKEN` set
they require it from every client (and only then may they listen on other addresses)."""

from __future__ import annotations

import importlib
import json
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.console import Console

from ranpilot.network.cli import ConfigOption, build_network
from ranpilot.oran.auth import InsecureBind, check_bind
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.e2.server import E2NodeServer
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.transport import E2ConnectionLost, TcpTransport
from ranpilot.oran.xapp import InProcessRuntime, XApp
from ranpilot.oran.messages import A1PolicyRequest
from ranpilot.oran.wire import WIRES
from ranpilot.settings import load_settings

WireName = Enum("WireName", {name: name for name in WIRES}, type=str)
WireOption = Annotated[WireName, typer.Option(help=(
    "How E2 messages travel: `json` (ranpilot's co-simulation protocol) or `asn1` (E2AP in aligned PER "
    "with E2SM-KPM / E2SM-RC, as e2term forwards them); both ends must use the same."))]

app = typer.Typer(help="O-RAN: the agent as an xApp (E2 KPM/RC, A1 policies).", no_args_is_help=True)
a1_app = typer.Typer(help="The A1-P v2 policy service.", no_args_is_help=True)
e2_app = typer.Typer(help="The simulated E2 node, served to xApps in other processes.", no_args_is_help=True)
app.add_typer(a1_app, name="a1")
app.add_typer(e2_app, name="e2")
console = Console()


def parse_address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise typer.BadParameter(f"{value!r}: expected HOST:PORT, e.g. 127.0.0.1:36421", param_hint="--e2")
    return host, int(port)


@app.command("run")
def run(
    agent: Annotated[str, typer.Option(help="The xApp to host: `ranpilot`, or your XApp subclass as "
                                            "`package.module:ClassName` (built with no arguments).")] = "ranpilot",
    sim: Annotated[str, typer.Option(help="The simulated RAN behind the E2 node.")] = "default",
    policies: Annotated[Optional[Path], typer.Option(help="JSON list of A1 policy requests to deliver.")] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps to run after delivering the policies.")] = 10,
    e2: Annotated[Optional[str], typer.Option(help="HOST:PORT of an E2 node server (`xapp e2 serve`); "
                                              "default: a node in this process.")] = None,
    rmr_port: Annotated[Optional[int], typer.Option(help="Run inside the O-RAN SC framework on this RMR port "
                                                    "(extra `osc`); serves until interrupted.")] = None,
    wire: WireOption = WireName.json,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Host an xApp (the ranpilot agent by default) against the simulated E2 node; deliver A1 policies."""
    if sim != "default":
        raise typer.BadParameter("this build simulates --sim default", param_hint="--sim")
    try:
        requests = [A1PolicyRequest.model_validate(r) for r in json.loads(policies.read_text())] if policies else []
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise typer.BadParameter(f"{policies}: {exc}", param_hint="--policies") from exc
    runtime, status = host(agent, transport_for(e2, rmr_port, wire.value), config, seed, wire.value)
    if rmr_port:
        console.print(f"xApp on RMR port {rmr_port}: A1 policies and KPM indications arrive over RMR")
        while True:
            runtime.poll(timeout_s=1.0)
    runtime.step(1)
    for request in requests:
        reply = runtime.a1(request)
        outcome = "; {0.enforceStatus} ({0.detail})".format(status(request.policy_instance_id)) if status else ""
        console.print(f"A1 {request.operation} {request.policy_instance_id}: {reply.status}{outcome}", highlight=False)
    runtime.step(steps)
    console.print(f"{runtime.messages} messages exchanged; t = {runtime.network.time_s:g} s")


def transport_for(e2: str | None, rmr_port: int | None, wire: str = "json"):
    """The transport to a node elsewhere, or None for a node in this process."""
    from ranpilot.oran.osc import OscUnavailable, RmrTransport

    try:
        if e2:
            return TcpTransport(*parse_address(e2), token=load_settings().e2_token, wire=wire)
        return RmrTransport(rmr_port=rmr_port, wire=wire) if rmr_port else None
    except (E2ConnectionLost, OscUnavailable) as exc:
        raise typer.BadParameter(str(exc), param_hint="--e2" if e2 else "--rmr-port") from exc


def host(agent: str, transport, config: Path | None, seed: int | None, wire: str = "json"):
    """(runtime, policy status function or None) hosting the named xApp."""
    network = None if transport else build_network(config, seed)
    if agent == "ranpilot":
        from ranpilot.oran.hosting import ranpilot_stack  # the agent: loaded when it is hosted

        stack = ranpilot_stack(network, load_settings(), transport=transport, wire=wire)
        return stack.runtime, stack.xapp.status
    xapp = load_xapp(agent)
    return (RemoteRuntime(transport, [xapp]) if transport else
            InProcessRuntime(SimulatedE2Node(network), [xapp], wire)), None


def load_xapp(spec: str) -> XApp:
    """An instance of the XApp subclass named `package.module:ClassName`."""
    module_name, _, class_name = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name) if class_name else None
    except (ImportError, AttributeError) as exc:
        raise typer.BadParameter(f"{spec!r}: {exc}", param_hint="--agent") from exc
    if not (isinstance(cls, type) and issubclass(cls, XApp)):
        raise typer.BadParameter(f"{spec!r}: expected `ranpilot` or package.module:ClassName naming an XApp "
                                 "subclass (ranpilot.oran.xapp.XApp)", param_hint="--agent")
    return cls()


@e2_app.command("serve")
def e2_serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="0: any free port (printed).")] = 36421,
    tick_ms: Annotated[Optional[int], typer.Option(min=1, help="Run the clock on its own, one step per tick; "
                                                   "default: step when an xApp asks (co-simulation).")] = None,
    wire: WireOption = WireName.json,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Serve the simulated E2 node over TCP until interrupted (`--wire json`: one JSON message a
    line; `--wire asn1`: E2AP PDUs in binary frames); with RANPILOT_E2_TOKEN set, each client's
    first message must carry it."""
    network = build_network(config, seed)
    try:
        server = E2NodeServer(SimulatedE2Node(network), host, port, tick_s=tick_ms / 1000 if tick_ms else None,
                              token=load_settings().e2_token, wire=wire.value)
    except (InsecureBind, OSError) as exc:  # no token beyond loopback, or the address is taken
        raise typer.BadParameter(str(exc), param_hint="--host" if isinstance(exc, InsecureBind) else "--port") from exc
    print(f"E2 node {server.node.meid} listening on {server.address[0]}:{server.address[1]}", flush=True)
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@a1_app.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Serve A1-P v2 under /A1-P/v2, enforcing policies with the ranpilot xApp; with
    RANPILOT_A1_TOKEN set, every request needs `Authorization: Bearer <token>`."""
    import uvicorn

    from ranpilot.oran.hosting import ranpilot_stack

    settings = load_settings()
    try:
        check_bind(host, settings.a1_token, "A1-P service", "RANPILOT_A1_TOKEN")
    except InsecureBind as exc:
        raise typer.BadParameter(str(exc), param_hint="--host") from exc
    stack = ranpilot_stack(build_network(config, seed), settings)
    uvicorn.run(stack.app, host=host, port=port, log_level="info")
