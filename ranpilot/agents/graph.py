"""The agent as a LangGraph StateGraph: parse -> retrieve -> baseline -> (plan -> verify ->
[approval] -> apply -> evaluate)* -> report. Nodes return partial state updates (growing lists
through reducers); routers return Literal labels; the network, verifier, planner and store come
from the runtime context, and the operator's scope from the state, never from a model."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from ranpilot.agents.actions import change_actions, within_scope
from ranpilot.agents.context import AgentContext
from ranpilot.agents.grounding import definitions, merged, report_citations, steered
from ranpilot.agents.state import AgentOutput, AgentState, Outcome, RoundRecord
from ranpilot.intents import fulfilment as ff
from ranpilot.intents.inventory import Inventory, checked
from ranpilot.intents.ts28312 import goals_of, to_intent, understanding_of
from ranpilot.network.view import NetworkView
from ranpilot.planning.search import search
from ranpilot.planning.shortlist import Shortlist, pick_among
from ranpilot.planning.situation import StrategyChoice, unmet_situations
from ranpilot.planning.strategies import run_strategy
from ranpilot.policies import Proposal, Verdict


def parse_intent(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Plain language goes to the planner; a TS 28.312 intent given by the caller is read as goals.
    Either way the goals are checked against this network's cells and slices. A refusal the
    caller already made (an invalid intent) stands."""
    ctx = runtime.context
    if state.get("parse") is not None:
        return {"intent": None}
    inventory = Inventory.of(ctx.network.config, ctx.areas)
    given = state.get("intent")
    if given is not None:
        understanding = checked(understanding_of(given), inventory)
        return {"parse": understanding, "intent": given if understanding.status == "parsed" else None}
    understanding = ctx.planner.parse(state["text"], inventory, ctx.verifier.pack)
    return {"parse": understanding, "intent": to_intent(understanding) if understanding.status == "parsed" else None}


def route_parsed(state: AgentState) -> Literal["retrieve", "configure", "report"]:
    status = state["parse"].status
    return "retrieve" if status == "parsed" else "configure" if status == "config" else "report"


def configure(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """A direct configuration request becomes a proposal for the verifier (never a KPI target),
    inside the operator's scope and, when it names one, its time window."""
    net, understanding = runtime.context.network, state["parse"]
    update = {"round": 1, "step_scale": 1.0, "verdict": None, "approval": None, "outcome": None, "outcome_detail": "",
              "kpis_before": net.observe().network, "baselines": {}, "passages": [], "choice": None, "tool_uses": [],
              "focus": None, "proposal": None, "alternatives": [], "candidates": []}
    not_now = not_here_or_now({c.cell for c in understanding.changes}, state, net)
    if not_now:
        return {**update, **not_now}
    actions = change_actions(understanding.changes, net.configuration(), [s.name for s in net.config.slices])
    return {**update, "proposal": Proposal(actions=actions,
                                           rationale=f"operator request: {understanding.text[:120]}")}


def retrieve_clauses(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """The passages that define the intent's targets, and those on the request and its targets
    within the relevance cut (`ranpilot.agents.grounding`)."""
    ctx = runtime.context
    if ctx.store is None:
        return {"passages": []}
    targets = [g.target for _, g in goals_of(state["intent"])]
    return {"passages": merged(definitions(targets, ctx.store), steered(state["text"], targets, [], ctx.store))}


def baseline(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Each goal's value now, unless the caller fixed it (a standing intent keeps its reference)."""
    net, intent = runtime.context.network, state["intent"]
    fixed = state.get("baselines") or {}
    update = {"baselines": {**ff.baselines(intent, net), **fixed}, "kpis_before": net.observe().network, "round": 0,
              "step_scale": 1.0, "verdict": None, "approval": None, "outcome": None, "outcome_detail": ""}
    return {**update, **not_here_or_now(ff.named_cells(intent), state, net)}


def not_here_or_now(cells: set[int], state: AgentState, net: NetworkView) -> dict:
    """The outcome that ends a request before anything is planned: cells outside the operator's
    scope, or a time window (the parse's, for text and TS 28.312 intents alike) that is not now."""
    outside = sorted(cells - set(state["scope_cells"]))
    if outside:
        return {"outcome": Outcome.OUT_OF_SCOPE, "outcome_detail": f"cells {outside} are outside the operator's scope"}
    window = state["parse"].window
    if window and not ff.within(net.time_of_day_h, window):
        return {"outcome": Outcome.OUTSIDE_WINDOW, "outcome_detail": f"it is {net.time_of_day_h:05.2f} h, outside the "
                                                                     f"time window {window[0]}-{window[1]}; nothing was changed"}
    return {}


def route_baseline(state: AgentState) -> Literal["plan", "report"]:
    return "report" if state["outcome"] else "plan"


MAX_VERIFIED = 8  # candidates a round may hand the verifier (those needing approval do not use up verify_top)


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Candidates for the unmet targets, ranked by the twin (or, without search, the planner's one
    strategy for the first unmet target), confined to the operator's scope. The planner's pick
    among them (`shortlist.pick_among`; else the twin's best) is this round's proposal; the next
    ones wait in `alternatives`, in the twin's ranking, for the verifier."""
    ctx = runtime.context
    scope = state["scope_cells"]
    pending = unmet_situations(state["intent"], ctx.network, state["baselines"], scope, ctx.verifier.pack,
                               state["step_scale"])
    empty = {"choice": None, "tool_uses": [], "focus": None, "proposal": None, "alternatives": [], "candidates": []}
    if not pending:
        return empty
    s = pending[0]
    choice = ctx.planner.choose(s, state["passages"])
    update = {**empty, "focus": s.target, "round": state["round"] + 1}
    if not ctx.search:
        result = run_strategy(choice, s)
        actions = within_scope(result.actions, ctx.network, set(scope))
        proposal = Proposal(actions=actions, rationale=f"round {state['round'] + 1}: {choice.strategy} for {s.target}")
        return {**update, "choice": choice, "tool_uses": result.tool_uses, "proposal": proposal if actions else None}
    checks = ff.target_checks(state["intent"], state["baselines"]) + list(ctx.active_checks)
    if choice.cells is not None:  # a planner may narrow the operator's scope, never widen it
        scope = [c for c in scope if c in set(choice.cells)]
    found = search(ctx.network, checks, pending, scope, choice, ctx.verifier.pack.dry_run_steps, ctx.budget)
    proposals = [Proposal(actions=kept, rationale=c.source) for c in found.ranked
                 if (kept := within_scope(c.actions, ctx.network, set(scope))) == c.actions][:MAX_VERIFIED]
    proposals, picked = pick_among(ctx.planner, s, state["passages"], Shortlist.of(proposals, found, checks), proposals,
                                   found.why() if proposals else "")
    return {**update, "tool_uses": found.tool_uses, "candidates": found.scored,
            "proposal": proposals[0] if proposals else None, "alternatives": proposals[1:], "choice": picked}


def route_planned(state: AgentState) -> Literal["verify", "report"]:
    return "verify" if state["proposal"] is not None else "report"


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Verify the proposal, then the search's next candidates in turn until one is approved or
    `verify_top` were rejected (the first needing approval stands only when none is approved);
    every verdict is recorded."""
    ctx = runtime.context
    checks = ff.target_checks(state["intent"], state["baselines"]) + list(ctx.active_checks) \
        if state["intent"] is not None else []
    records, chosen, rejected = [], None, 0
    for i, proposal in enumerate([state["proposal"]] + list(state.get("alternatives") or [])):
        if rejected >= ctx.verify_top:
            break
        verdict = ctx.verifier.verify(proposal, ctx.network, checks, owner=state.get("owner"))
        choice = state["choice"] if i == 0 else StrategyChoice(strategy=proposal.rationale, reason="next best on the twin")
        records.append(RoundRecord(round=state["round"], target=state["focus"], choice=choice,
                                   tool_uses=state["tool_uses"] if i == 0 else [],
                                   proposal_id=verdict.proposal.proposal_id, verdict_status=verdict.status,
                                   violations=verdict.violations, actions=verdict.proposal.actions,
                                   candidates=(state.get("candidates") or []) if i == 0 else []))
        if chosen is None or (chosen.status == "rejected" and verdict.status != "rejected"):
            chosen = verdict
        if verdict.status == "approved":
            if not _worth_asking(chosen, verdict, state.get("candidates") or []):
                chosen = verdict
            break
        rejected += verdict.status == "rejected"
    scale = state["step_scale"] * (0.5 if chosen.status == "rejected" else 1.0)
    return {"verdict": chosen, "rounds": records, "step_scale": scale, "approval": None}


def _worth_asking(pending: Verdict, approved: Verdict, scored: list) -> bool:
    """Whether to ask the operator about `pending` (needing approval) rather than apply `approved`:
    only when the twin predicts that `pending` meets every goal and `approved` does not."""
    if pending.status != "needs_approval":
        return False
    shortfall = {c.source: c.shortfall for c in scored}
    return shortfall.get(pending.proposal.rationale) == 0.0 and (shortfall.get(approved.proposal.rationale) or 0.0) > 0.0


def route_verdict(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["apply", "ask_approval", "plan", "report"]:
    status = state["verdict"].status
    if status == "approved" and state["intent"] is not None:
        return "apply"
    if status in ("approved", "needs_approval"):  # a direct configuration change always asks first
        return "ask_approval"
    return "plan" if state["intent"] is not None and state["round"] < runtime.context.max_rounds else "report"


def ask_approval(state: AgentState) -> dict:
    """Pause for an operator (`ranpilot approve|reject THREAD`). Nothing before the interrupt has side effects."""
    v = state["verdict"]
    answer = interrupt({"proposal": v.proposal.model_dump(mode="json"),
                        "violations": [x.model_dump(mode="json") for x in v.violations]})
    return {"approval": "approved" if answer == "approved" else "rejected"}


def route_approval(state: AgentState) -> Literal["apply", "report"]:
    return "apply" if state["approval"] == "approved" else "report"


def apply(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    ctx = runtime.context
    approver = "operator" if state["approval"] == "approved" else None
    result = ctx.verifier.apply_verified(state["verdict"], ctx.network, approved_by=approver, owner=state.get("owner"))
    scale = state["step_scale"] * (0.5 if result.status == "rolled_back" else 1.0)
    update = {"applied": [result], "step_scale": scale}
    if result.status == "refused":
        update.update(outcome=Outcome.REFUSED, outcome_detail=result.reasons[0])
    return update


def route_applied(state: AgentState) -> Literal["evaluate", "report"]:
    return "report" if state["applied"][-1].status == "refused" or state["intent"] is None else "evaluate"


def evaluate(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    runtime.context.network.step(runtime.context.observe_steps)
    return {}


def route_evaluated(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["plan", "report"]:
    done = not ff.unmet(state["intent"], runtime.context.network, state["baselines"])
    return "report" if done or state["round"] >= runtime.context.max_rounds else "plan"


def report(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    intent, net, parse = state["intent"], runtime.context.network, state["parse"]
    if parse.status == "config":
        return {"report": None, **configured(state)}
    if intent is None:
        return {"report": None, "outcome": Outcome.NOT_PARSED, "outcome_detail": f"{parse.status}: {parse.message}"}
    outcome = state["outcome"]
    if outcome == Outcome.REFUSED:
        return {"report": ff.report(intent, net, state["baselines"])}
    if outcome == Outcome.OUTSIDE_WINDOW:
        return {"report": ff.report(intent, net, state["baselines"], state_name="ACKNOWLEDGED")}
    if outcome is not None:
        return {"report": ff.report(intent, net, state["baselines"], feasible=False, infeasibility=state["outcome_detail"])}
    final = ff.report(intent, net, state["baselines"])
    applied = {a.proposal_id for a in state["applied"] if a.status == "applied"}
    return {"report": final, "outcome": final_outcome(state, final.fulfilled, runtime.context),
            "outcome_detail": f"after {state['round']} round(s), {len(applied)} change set(s) applied",
            "passages": cited(state, runtime.context, applied)}


def cited(state: AgentState, ctx: AgentContext, applied: set[str]) -> list:
    """The run's passages with those on the levers it applied and the rules that bounded it."""
    if ctx.store is None:
        return state["passages"]
    targets = [g.target for _, g in goals_of(state["intent"])]
    return report_citations(state["text"], targets, state["passages"], state["rounds"], applied, ctx.verifier.pack,
                            ctx.store)


def configured(state: AgentState) -> dict:
    """How a direct configuration request ended."""
    if state["outcome"] is not None:
        return {}
    if state["approval"] == "rejected":
        return {"outcome": Outcome.OPERATOR_REJECTED}
    if state["verdict"] is not None and state["verdict"].status == "rejected":
        return {"outcome": Outcome.CHANGE_REJECTED, "outcome_detail": "; ".join(
            f"{v.rule_id} on {v.object}: {v.message}" for v in state["verdict"].violations)}
    applied = state["applied"] and state["applied"][-1].status == "applied"
    return {"outcome": Outcome.CONFIGURED if applied else Outcome.NO_ACTION}


def final_outcome(state: AgentState, fulfilled: bool, ctx: AgentContext) -> Outcome:
    if state["approval"] == "rejected":
        return Outcome.OPERATOR_REJECTED
    if fulfilled:
        return Outcome.FULFILLED
    if state["verdict"] is not None and state["verdict"].status == "rejected":
        return Outcome.VERIFIER_REJECTED
    return Outcome.ROUND_LIMIT if state["round"] >= ctx.max_rounds else Outcome.NO_ACTION


def build_graph(checkpointer=None):
    g = StateGraph(AgentState, context_schema=AgentContext, output_schema=AgentOutput)
    for name, node in (("parse_intent", parse_intent), ("configure", configure), ("retrieve", retrieve_clauses), ("baseline", baseline),
                       ("plan", plan), ("verify", verify), ("ask_approval", ask_approval),
                       ("apply", apply), ("evaluate", evaluate), ("report", report)):
        g.add_node(name, node)
    g.add_edge(START, "parse_intent")
    g.add_conditional_edges("parse_intent", route_parsed)
    g.add_edge("retrieve", "baseline")
    g.add_conditional_edges("baseline", route_baseline)
    g.add_conditional_edges("plan", route_planned)
    g.add_conditional_edges("configure", route_planned)
    g.add_conditional_edges("verify", route_verdict)
    g.add_conditional_edges("ask_approval", route_approval)
    g.add_conditional_edges("apply", route_applied)
    g.add_conditional_edges("evaluate", route_evaluated)
    g.add_edge("report", END)
    return g.compile(checkpointer=checkpointer)
