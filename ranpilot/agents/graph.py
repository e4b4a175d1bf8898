"""The agent as a LangGraph StateGraph: parse -> retrieve -> baseline -> (plan -> act -> verify ->
[approval] -> apply -> evaluate)* -> report. Nodes return partial state updates; routers
return Literal labels; the network, verifier, planner and store come from the runtime context."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from ranpilot.agents import fulfilment as ff
from pydantic import ValidationError

from ranpilot.agents.context import AgentContext
from ranpilot.agents.intent import Intent
from ranpilot.agents.parser import ParseResult
from ranpilot.agents.state import AgentState
from ranpilot.agents.strategies import Situation
from ranpilot.knowledge import QueryError, retrieve
from ranpilot.network import ActionError, apply_actions
from ranpilot.policies import Proposal
from ranpilot.tools.registry import run_calls


def parse_intent(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Plain language goes to the planner; a TS 28.312 intent given as JSON is validated as is."""
    text = state["text"].strip()
    if text.startswith("{"):
        try:
            intent = Intent.model_validate_json(text)
            result = ParseResult(text=text, status="parsed", intent=intent)
        except ValidationError as exc:
            result = ParseResult(text=text, status="rejected", reason=f"invalid TS 28.312 intent: {exc}")
    else:
        result = runtime.context.planner.parse(state["text"], runtime.context.areas)
    return {"parse": result, "intent": result.intent}


def route_parsed(state: AgentState) -> Literal["retrieve", "report"]:
    return "retrieve" if state["intent"] is not None else "report"


def retrieve_clauses(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    ctx = runtime.context
    if ctx.store is None:
        return {"passages": []}
    targets = " ".join(t.targetName for e in state["intent"].intentExpectations for t in e.expectationTargets)
    try:
        return {"passages": retrieve(f"{state['text']} {targets}", ctx.passages_k, store=ctx.store)}
    except QueryError:
        return {"passages": []}


def baseline(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    net, intent = runtime.context.network, state["intent"]
    named = {c for e in intent.intentExpectations if ff.names_cells(e) for c in ff.scope_of(e, net.num_cells)[0]}
    outside = sorted(named - set(state["scope_cells"]))
    update = {"baselines": ff.baselines(intent, net), "kpis_before": net.observe().network, "round": 0,
              "step_scale": 1.0, "applied": [], "rounds": [], "verdict": None, "approval": None}
    if outside:
        update["outcome"] = f"rejected: cells {outside} are outside the operator's scope"
    window = ff.time_window(intent)
    if not outside and window and not ff.within(net.time_of_day_h, window):
        update["outcome"] = (f"acknowledged: it is {net.time_of_day_h:05.2f} h, outside the intent's time window "
                             f"{window[0]}-{window[1]}; nothing was changed")
    return update


def route_baseline(state: AgentState) -> Literal["plan", "report"]:
    return "report" if state.get("outcome") else "plan"


def situation(state: AgentState, ctx: AgentContext) -> Situation | None:
    return ff.first_unmet_situation(state["intent"], ctx.network, state["baselines"], state["scope_cells"],
                                    ctx.verifier.pack, state["step_scale"])


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    s = situation(state, runtime.context)
    if s is None:
        return {"tool_calls": [], "focus": "", "proposal": None}
    calls = runtime.context.planner.plan(s, state["passages"])
    return {"tool_calls": calls, "focus": s.target, "round": state["round"] + 1}


def act(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    """Run the planned tools, then turn their results into a proposal confined to scope."""
    ctx = runtime.context
    results = run_calls(state["tool_calls"])
    s = situation(state, ctx)
    actions = ctx.planner.propose(s, results) if s else []
    actions = within_scope(actions, ctx.network, set(state["scope_cells"]))
    proposal = Proposal(intent_id=state["intent"].id, actions=actions,
                        rationale=f"round {state['round']}: work on {state['focus']}") if actions else None
    return {"tool_results": results, "proposal": proposal}


def within_scope(actions: list, network, allowed: set[int]) -> list:
    """Only actions whose every changed cell is in the operator's scope (a power vector too)."""
    conf, cfg = network.configuration(), network.config
    slices = [s.name for s in cfg.slices]
    kept = []
    for action in actions:
        try:
            changed = {c.cell for c in conf.changes(apply_actions(conf, [action], cfg, check_ranges=False), slices)}
        except ActionError:
            changed = {getattr(action, "cell", -1)}  # malformed: kept only if its cell is in scope; the verifier rejects it
        if changed <= allowed:
            kept.append(action)
    return kept


def route_acted(state: AgentState) -> Literal["verify", "report"]:
    return "verify" if state["proposal"] is not None else "report"


def verify(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    ctx = runtime.context
    checks = ff.target_checks(state["intent"], state["baselines"], ctx.network.num_cells)
    verdict = ctx.verifier.verify(state["proposal"], ctx.network, checks)
    record = {"round": state["round"], "target": state["focus"],
              "tool_calls": [c.model_dump(exclude={"arguments"}) for c in state["tool_calls"]],
              "verdict_status": verdict.status, "violations": [f"{v.rule_id} on {v.object}" for v in verdict.violations],
              "applied": False}
    scale = state["step_scale"] * (0.5 if verdict.status == "rejected" else 1.0)
    return {"verdict": verdict, "rounds": state["rounds"] + [record], "step_scale": scale, "approval": None}


def route_verdict(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["apply", "ask_approval", "plan", "report"]:
    status = state["verdict"].status
    if status == "approved":
        return "apply"
    if status == "needs_approval":
        return "ask_approval"
    return "plan" if state["round"] < runtime.context.max_rounds else "report"


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
    result = ctx.verifier.apply_verified(state["verdict"], ctx.network, approved_by=approver)
    rounds = list(state["rounds"])
    rounds[-1] = {**rounds[-1], "applied": result.status == "applied"}
    scale = state["step_scale"] * (0.5 if result.status == "rolled_back" else 1.0)
    update = {"applied": state["applied"] + [result], "rounds": rounds, "step_scale": scale}
    if result.status == "refused":
        update["outcome"] = f"refused by the network: {result.reasons[0]}"
    return update


def route_applied(state: AgentState) -> Literal["evaluate", "report"]:
    return "report" if state["applied"][-1].status == "refused" else "evaluate"


def evaluate(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    runtime.context.network.step(runtime.context.observe_steps)
    return {}


def route_evaluated(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["plan", "report"]:
    done = not ff.unmet(state["intent"], runtime.context.network, state["baselines"])
    return "report" if done or state["round"] >= runtime.context.max_rounds else "plan"


def report(state: AgentState, runtime: Runtime[AgentContext]) -> dict:
    intent, net = state["intent"], runtime.context.network
    if intent is None:
        return {"report": None, "outcome": f"{state['parse'].status}: {state['parse'].reason}"}
    if state.get("outcome", "").startswith("refused"):
        return {"report": ff.report(intent, net, state["baselines"])}
    if state.get("outcome", "").startswith("acknowledged"):
        return {"report": ff.report(intent, net, state["baselines"], state_name="ACKNOWLEDGED")}
    if state.get("outcome"):
        return {"report": ff.report(intent, net, state["baselines"], feasible=False, infeasibility=state["outcome"])}
    final = ff.report(intent, net, state["baselines"])
    applied = sum(1 for a in state["applied"] if a.status == "applied")
    if state.get("approval") == "rejected":
        why = "the operator rejected the proposal"
    elif final.fulfilmentStatus.value == "FULFILLED":
        why = "fulfilled"
    elif state["verdict"] is not None and state["verdict"].status == "rejected":
        why = "not fulfilled: the verifier rejected every remaining proposal"
    else:
        why = "not fulfilled within the round limit" if state["round"] >= runtime.context.max_rounds else "not fulfilled: no further action found"
    return {"report": final, "outcome": f"{why} after {state['round']} round(s), {applied} change set(s) applied"}


def build_graph(checkpointer=None):
    g = StateGraph(AgentState, context_schema=AgentContext)
    for name, node in (("parse_intent", parse_intent), ("retrieve", retrieve_clauses), ("baseline", baseline),
                       ("plan", plan), ("act", act), ("verify", verify), ("ask_approval", ask_approval),
                       ("apply", apply), ("evaluate", evaluate), ("report", report)):
        g.add_node(name, node)
    g.add_edge(START, "parse_intent")
    g.add_conditional_edges("parse_intent", route_parsed)
    g.add_edge("retrieve", "baseline")
    g.add_conditional_edges("baseline", route_baseline)
    g.add_edge("plan", "act")
    g.add_conditional_edges("act", route_acted)
    g.add_conditional_edges("verify", route_verdict)
    g.add_conditional_edges("ask_approval", route_approval)
    g.add_conditional_edges("apply", route_applied)
    g.add_conditional_edges("evaluate", route_evaluated)
    g.add_edge("report", END)
    return g.compile(checkpointer=checkpointer)
