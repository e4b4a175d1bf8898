"""The 3GPP text behind a decision: the passage that defines each target, passages on the levers
the plan used, and the clauses behind the rules that bounded the action; each cited with why.

Retrieval is steered by what the decision is about (the targets' definitions and the levers'
names, not only the operator's words) and cut by relevance: a steered passage is cited only when
its fused score is within `RELEVANCE` of the best one's, so a query no passage answers well cites
its definitions and nothing else, rather than always four passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ranpilot.knowledge import Filters, KnowledgeStore, Passage, QueryError, retrieve
from ranpilot.network.action_table import kind_of
from ranpilot.policies import Violation
from ranpilot.policies.pack import PolicyPack, Rule, TxPowerLimit
from ranpilot.targets import Target, spec

#: A steered passage is cited when its score is at least this share of the best passage's.
RELEVANCE = 0.85
STEERED_K = 3
#: What each configuration parameter is called in the specifications' words.
LEVER_TERMS = {
    "tx_power_dbm": "base station transmit output power",
    "tilt_deg": "antenna downtilt beam elevation",
    "cio_db": "cell individual offset handover load balancing",
    "asleep": "cell sleep energy saving switch off",
    "min_prb_ratio": "network slice PRB resource quota",
    "ue_p_max_dbm": "UE maximum output power p-Max",
    "precoder": "MIMO precoding codebook",
    "mu_layers": "MU-MIMO layers rank",
    "csi_prediction": "channel state information CSI",
    "ssb_beams": "SS/PBCH block beam sweeping",
}
CLAUSE = re.compile(r"\b(TS|TR) (\d{2}\.\d{3}(?:-\d)?) (\d+(?:\.\d+)*)")


def defining_spec(target: Target) -> str:
    """Where a target is defined: TS 28.312's expectation targets for the standard's own, and
    TS 28.552's measurements for ranpilot's per-UE shares (they count those measurements per UE)."""
    return "TS 28.312" if spec(target).standard else "TS 28.552"


def definitions(targets: Iterable[Target], store: KnowledgeStore) -> list[Passage]:
    """For each target, the passage of its defining specification that best matches its definition."""
    out = []
    for target in dict.fromkeys(targets):
        s = spec(target)
        try:
            found = retrieve(f"{s.name} {s.definition}", 1, Filters(spec=defining_spec(target)), store=store)
        except QueryError:  # the specification is not in the store
            continue
        out += [p.model_copy(update={"why": f"defines {s.name}"}) for p in found]
    return out


def steered(text: str, targets: Iterable[Target], levers: Iterable[str], store: KnowledgeStore) -> list[Passage]:
    """Passages on the request, its targets and the levers, within `RELEVANCE` of the best."""
    levers = [lever for lever in dict.fromkeys(levers) if lever in LEVER_TERMS]
    query = " ".join([text, *(spec(t).definition for t in dict.fromkeys(targets)), *(LEVER_TERMS[x] for x in levers)])
    try:
        found = retrieve(query, STEERED_K, store=store)
    except QueryError:
        return []
    why = "on the levers: " + ", ".join(levers) if levers else "on the request"
    return [p.model_copy(update={"why": why}) for p in found if p.score >= RELEVANCE * found[0].score]


def bounding_rules(pack: PolicyPack, parameters: Iterable[str], violations: Iterable[Violation]) -> list[Rule]:
    """The rules a plan met: every rule a proposal violated, and every rule that limits a
    parameter the applied change set (steps, ranges, windows)."""
    wanted, broken = set(parameters), {v.rule_id for v in violations}
    out = []
    for rule in pack.rules:
        limits = {getattr(rule, "parameter", None), *getattr(rule, "parameters", [])} | \
            ({"tx_power_dbm"} if isinstance(rule, TxPowerLimit) else set())
        if rule.id in broken or limits & wanted:
            out.append(rule)
    return out


def rule_clauses(rules: Iterable[Rule], store: KnowledgeStore) -> list[Passage]:
    """The clause each rule's `source` names (e.g. `TS 38.104 6.2`), where the store has it."""
    out = []
    for rule in rules:
        for kind, number, clause in CLAUSE.findall(rule.source):
            try:
                found = retrieve(rule.description, 1, Filters(spec=f"{kind} {number}", clause_prefix=clause), store=store)
            except QueryError:
                continue
            out += [p.model_copy(update={"why": f"behind rule {rule.id}"}) for p in found]
    return out


def merged(*groups: list[Passage]) -> list[Passage]:
    """One citation per clause, in first-seen order, with every reason it is cited."""
    by_clause: dict[tuple[str, str], Passage] = {}
    for p in (p for group in groups for p in group):
        key = (p.spec, p.clause)
        if key not in by_clause:
            by_clause[key] = p
        elif p.why and p.why not in by_clause[key].why:
            by_clause[key] = by_clause[key].model_copy(update={"why": f"{by_clause[key].why}; {p.why}"})
    return list(by_clause.values())


def report_citations(text: str, targets: list[Target], passages: list[Passage], rounds: list, applied_ids: set[str],
                     pack: PolicyPack, store: KnowledgeStore) -> list[Passage]:
    """What a finished run cites: its passages so far (definitions, the request), passages on the
    levers its applied changes used, and the clauses behind the rules that bounded its proposals."""
    actions = [a for r in rounds if r.proposal_id in applied_ids for a in r.actions]
    parameters = {kind.parameter for kind in (kind_of(type(a)) for a in actions) if kind is not None}
    violations = [v for r in rounds for v in r.violations]
    levers = steered(text, targets, sorted(parameters), store) if parameters else []
    return merged(passages, levers, rule_clauses(bounding_rules(pack, parameters, violations), store))
