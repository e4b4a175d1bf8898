"""The long-running side of `ranpilot serve`: one agent (planner, knowledge store, models loaded
once) acting on the CLI's live network, through the same code as the CLI.

Every action on the live network goes through `ranpilot.agents.cli.carry` / `live_agent`: the
live network's inter-process lock (so a CLI command and the service run one after the other),
one transaction for the network and its audit entries, and the verifier. The verifier's change
history is read afresh from the audit log under the lock each time, as a new CLI process would:
changes another process made (or a run that failed and was rolled back) count as they are."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ranpilot import live
from ranpilot.agents.assurance import AssuranceEvent, StandingIntent, check
from ranpilot.agents.cli import carry, check_request, live_agent
from ranpilot.agents.runner import AgentRunner, RunError, RunResult
from ranpilot.errors import InputError
from ranpilot.inputs import MAX_PROPOSAL_ACTIONS, check_cells, check_thread_id
from ranpilot.intents.fulfilment import baselines, report
from ranpilot.intents.inventory import Inventory
from ranpilot.intents.model import Intent, IntentReport
from ranpilot.knowledge import retrieve
from ranpilot.network import Network, NetworkConfig, parse_actions
from ranpilot.network.cli import advance, observe
from ranpilot.network.kpis import Observation
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.planner import Planner
from ranpilot.policies import Verdict, Verifier
from ranpilot.policies.cli import check_scope, open_verifier
from ranpilot.policies.verifier import Proposal
from ranpilot.service.registry import Registry
from ranpilot.settings import Settings

if TYPE_CHECKING:
    from ranpilot.service.a1 import LiveXApp

Cell = Annotated[int, Field(ge=0)]
AreaName = Annotated[str, Field(min_length=1, max_length=64)]


class NewNetwork(BaseModel):
    """A new live network for a run (`ranpilot run --config F --seed N`)."""

    model_config = ConfigDict(extra="forbid")
    config: NetworkConfig = Field(default_factory=NetworkConfig)
    seed: int | None = Field(default=None, description="Default: the service's settings.")


class RunRequest(BaseModel):
    """What `ranpilot run` sends: the request, and the options it has on the command line."""

    model_config = ConfigDict(extra="forbid")
    request: str = Field(description="Plain language, or a TS 28.312 intent as a JSON object in text.")
    thread: str | None = Field(default=None, description="New thread id (default: generated).")
    cells: list[Cell] | None = Field(default=None, description="Operator scope: cells the agent may touch.")
    areas: dict[AreaName, list[Cell]] = Field(default_factory=dict, description="Named areas: {name: cells}.")
    network: NewNetwork | None = Field(default=None, description="Start a new live network first.")


class VerifyRequest(BaseModel):
    """A proposal to verify against the live network (nothing is applied), as `ranpilot verify`."""

    model_config = ConfigDict(extra="forbid")
    actions: list[dict] = Field(min_length=1, max_length=MAX_PROPOSAL_ACTIONS)
    cells: list[Cell] | None = Field(default=None, description="Operator scope: a change outside it is bad input.")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: Literal["approved", "rejected"]


class PendingApproval(BaseModel):
    thread: str
    intentId: str | None = None
    policyId: str | None = Field(default=None, description="The A1 policy whose change this is (`serve --a1`).")
    rules: list[str] = []
    outcome: str


class RanpilotService:
    """The agent and the live network of `settings.data_dir`; request threads share it, one run at a time."""

    def __init__(self, settings: Settings, planner: Planner, with_knowledge: bool = True):
        self.settings = settings
        self.agent = AgentRunner(settings, planner, with_knowledge=with_knowledge)
        self.registry = Registry(settings.data_dir / "service" / "registry.sqlite")
        self.standing: dict[str, StandingIntent] = {}
        self.xapp: LiveXApp | None = None  # the A1 policies' xApp, when mounted (`ranpilot.service.a1`)
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load what a first run would (the embedded parser's model, the lexical index), so it is fast too."""
        if isinstance(self.agent.planner, EmbeddedPlanner):
            self.agent.planner.parse("keep energy below 6.5 kW", Inventory.of(NetworkConfig()), self.agent.verifier.pack)
        if (store := self.agent.knowledge()) is not None:
            retrieve("energy saving cell sleep", store=store)

    # -- runs, as `ranpilot run` / `approve` / `reject` ------------------------------------
    def run(self, body: RunRequest, intent_id: str | None = None) -> RunResult:
        request = check_request(body.request)
        thread = check_thread_id(body.thread) if body.thread is not None else None
        fresh = None
        if body.network is not None:
            seed = self.settings.seed if body.network.seed is None else body.network.seed
            fresh = Network(body.network.config, seed=seed)
        with self._lock:
            result = carry(request, thread, fresh, body.cells, body.areas, False, self.settings, self._agent)
        self.registry.record_run(result.thread_id, result.status, intent_id)
        return result

    def show(self, thread: str) -> RunResult:
        with self._lock:
            return self.agent.show(check_thread_id(thread))

    def answer(self, thread: str, answer: Literal["approved", "rejected"]) -> RunResult:
        """Resume a run awaiting approval (the service's, or the A1 xApp's) with the operator's answer."""
        check_thread_id(thread)
        if self.xapp is not None and self.xapp.waiting(thread):
            self.xapp.answer(thread, answer)
            return self.show(thread)
        with self.live() as (agent, network):
            result = agent.resume(thread, answer, network)
        self.registry.record_run(thread, result.status)
        return result

    @contextmanager
    def live(self) -> Iterator[tuple[AgentRunner, Network]]:
        """The service's agent and the live network, one operation at a time (`live_agent`)."""
        with self._lock, live_agent(False, self.settings, make_agent=self._agent) as (agent, network):
            yield agent, network

    def pending(self) -> list[PendingApproval]:
        """The runs of the service (and of its A1 xApp) that still await an answer (one answered
        elsewhere drops out)."""
        out = [PendingApproval(thread=a["thread"], policyId=a["policyId"], rules=a["rules"],
                               outcome=f"awaiting approval of A1 policy {a['policyId']}: " + "; ".join(a["reasons"]))
               for a in (self.xapp.xapp.approvals() if self.xapp is not None else [])]
        for thread, intent_id in self.registry.waiting():
            with self._lock:
                result = self.agent.show(thread)
            if result.status != "awaiting_approval":
                self.registry.record_run(thread, result.status, intent_id)
                continue
            rules = [v.rule_id for v in result.verdict.violations] if result.verdict else []
            out.append(PendingApproval(thread=thread, intentId=intent_id, rules=rules, outcome=result.outcome))
        return out

    def _agent(self) -> AgentRunner:
        """The service's agent with the change history as the audit log has it now (under the lock)."""
        self.agent.verifier = Verifier(self.agent.verifier.pack, self.agent.audit)
        return self.agent

    # -- verification and network views -----------------------------------------------------
    def verify(self, body: VerifyRequest) -> Verdict:
        proposal = Proposal(actions=parse_actions(body.actions))
        verifier, network = open_verifier(self.agent.verifier.pack, None, self.settings)
        try:
            if body.cells is not None:
                check_scope(proposal, network, check_cells(body.cells, network.num_cells, "cells"))
            return verifier.verify(proposal, network)
        finally:
            verifier.audit.close()

    def network(self, steps: int = 0) -> Observation:
        """The live network's KPIs: read, or advanced `steps` steps first (under the locks)."""
        if not steps:
            return observe(None)
        with self._lock:
            return advance(steps)

    # -- TS 28.312 Intent resources ------------------------------------------------------------
    def pursue(self, intent: Intent) -> RunResult:
        """Run the agent on `intent` (a new thread); keep it as a resource unless ranpilot could
        not take it up (a question or a refusal: InputError with the reason, nothing kept)."""
        thread = check_intent_id(intent.id) + "." + uuid.uuid4().hex[:6]
        result = self.run(RunRequest(request=intent.model_dump_json(), thread=thread), intent.id)
        if result.parse is not None and result.parse.status in ("clarify", "rejected"):
            raise IntentRefused(f"{result.parse.status} ({result.parse.reason}): {result.parse.message}")
        previous = self.registry.intent(intent.id)
        self.registry.put_intent(intent, thread)
        if previous is not None:
            self._retire(previous.thread)
        return result

    def withdraw(self, intent_id: str) -> bool:
        """Delete an Intent resource: nothing more is done for it, and a change of its awaiting
        approval is rejected. Changes already applied stay (the audit log has them)."""
        record = self.registry.intent(intent_id)
        if record is None or not self.registry.delete_intent(intent_id):
            return False
        self._retire(record.thread)
        return True

    def report(self, intent_id: str) -> IntentReport | None:
        """The IntentReport of an Intent resource on the live network now (None: no such intent)."""
        record = self.registry.intent(intent_id)
        if record is None:
            return None
        with self._lock:
            run = self.agent.show(record.thread)
        if run.intent is None:
            return None
        audit = live.open_audit(self.settings)
        try:
            with live.reading(audit, self.settings) as network:
                state = "ACKNOWLEDGED" if run.status == "awaiting_approval" else None
                base = {**baselines(run.intent, network), **run.baselines}  # a run that stopped early has none
                return report(run.intent, network, base, state_name=state)
        finally:
            audit.close()

    # -- assurance of the Intent resources ----------------------------------------------------
    def assure(self, periods: int, steps: int) -> list[AssuranceEvent]:
        """Keep the Intent resources in force (`ranpilot.agents.assurance`): check them on the live
        network now and after each of `periods` periods of `steps` steps, activating and
        deactivating them on its clock and re-planning those that slipped jointly with the others.
        Each period holds the live network's lock, as one CLI command would."""
        events = []
        for period in range(periods + 1):
            with self.live() as (agent, network):
                if period:
                    network.step(steps)
                events += check(self._standing(), network, agent)
        return events

    def _standing(self) -> list[StandingIntent]:
        """The lifecycle of every Intent resource, kept between calls (a replaced one starts anew)."""
        current = {r.intent.id: r.intent for r in self.registry.intents()}
        self.standing = {i: s for i, s in self.standing.items() if i in current and s.intent == current[i]}
        for intent_id, intent in current.items():
            self.standing.setdefault(intent_id, StandingIntent.of(intent))
        return list(self.standing.values())

    def _retire(self, thread: str) -> None:
        try:
            if self.show(thread).status == "awaiting_approval":
                self.answer(thread, "rejected")
        except RunError:
            pass  # the thread is gone already: nothing waits on it


class NotFound(LookupError):
    """No such resource (404)."""


class Conflict(RuntimeError):
    """The resource exists already, or is not in a state to do that (409)."""


class IntentRefused(InputError):
    """An intent ranpilot cannot take up: it asks a question or refuses (the message says which)."""


def check_intent_id(intent_id: str) -> str:
    """An Intent id the service can name a thread after: 1-56 of A-Z a-z 0-9 . _ - (no `..`)."""
    if len(intent_id) > 56:
        raise InputError(f"Intent id {intent_id[:60]!r}...: at most 56 characters")
    try:
        return check_thread_id(intent_id)
    except InputError as exc:
        raise InputError(str(exc).replace("thread id", "Intent id")) from exc
