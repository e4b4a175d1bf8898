"""The LLM planner: any OpenAI-compatible endpoint through LangChain's `ChatOpenAI`.

Parsing asks for structured output (the JSON schema of ranpilot's `Understanding`: goals, changes,
or a question or refusal) and allows one repair round on invalid output; text about safety is
refused before the model sees it, and what the model returns passes the same inventory and
plausibility checks as the embedded parser's output. Planning binds one tool per strategy and requires a call: the model picks
the strategy and may narrow its cells. ranpilot then runs the strategy on inputs built from network
observations, within the operator's scope from the graph state, so model output can never widen it.
After the search, the model sees the passages' text and the twin's scored shortlist and picks one
candidate by id (`shortlist.py`); it never writes actions, and the verifier decides on its pick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ranpilot.intents.goals import Reading, Understanding
from ranpilot.intents.inventory import Inventory, checked
from ranpilot.intents.safety import safety_problem
from ranpilot.knowledge.query import Passage
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.shortlist import PICK_SCHEMA, Pick, Shortlist, passages_digest
from ranpilot.planning.situation import Situation, StrategyChoice
from ranpilot.planning.strategies import STRATEGIES
from ranpilot.policies import PolicyPack
from ranpilot.policies.pack import TxPowerLimit
from ranpilot.settings import Settings
from ranpilot.targets import TARGETS

if TYPE_CHECKING:  # the openai SDK and LangChain load with an LlmPlanner (seconds), not with the embedded one
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.runnables import Runnable

CHOOSE_PASSAGE_BUDGET_CHARS = 1200  # all passages' text together in a strategy prompt
PARSE_PROMPT = (
    "You read a radio network operator's request and say what it asks for, as JSON matching the schema. "
    "status: 'parsed' (goals), 'config' (direct parameter changes on cells: power, tilt, CIO, sleep, a slice's "
    "PRB share, p-Max; never turn those into goals), 'clarify' (ask first: reason vague, unknown_cell, "
    "unknown_slice, unknown_area, contradiction, missing_value; the question in message), or 'rejected' "
    "(reason unsafe_value, invalid_value, unsupported_kpi, out_of_domain; why in message). One goal per clause "
    "the operator said. A goal: target; bound min, max or range; exactly one of value (absolute, in the "
    "target's unit), range [low, high], or change_pct (relative to today: 'cut by 10%' is -10; a guard "
    "'without hurting X' is 0; 'improve X' with no amount is 0 with strict true); threshold for share targets "
    "when given; cells (null: whole network); slice; verb ENSURE for keep/maintain/ensure/never/without, "
    "else DELIVER. window ['HH:MM', 'HH:MM'] when the request holds at certain times ('at night' is "
    "22:00-06:00). Targets (name, unit, meaning):\n"
    + "\n".join(f"- {t.name} ({t.unit}): {t.definition}" for t in TARGETS.values())
)
PLAN_PROMPT = ("You plan actions on a radio network. "
               "Call exactly one strategy tool that best moves the target toward its goal.")
PICK_PROMPT = ("You choose one change for a radio network among candidates that ranpilot predicted on a digital "
               "twin. Weigh the predicted values against the goals and the 3GPP passages given. Answer JSON "
               "only: {\"candidate\": \"<id>\", \"rationale\": \"<one or two sentences>\"}, the id being "
               "one of the candidates listed. You cannot write or change actions; the verifier checks the "
               "candidate you pick before anything is applied.")


class LlmError(RuntimeError):
    """The LLM endpoint is unreachable, answers with an error, or keeps returning invalid output."""


class StrategyArgs(BaseModel):
    """A strategy tool's arguments: the cells to work on (fewer than in scope, or all) and why."""

    cells: list[int] | None = None
    reason: str = ""


# A plain JSON schema rather than the pydantic class: with the class, the openai SDK validates the
# reply itself and raises without the raw output, which the repair round needs.
PARSE_SCHEMA = {"name": "intent_parse", "schema": Reading.model_json_schema()}
STRATEGY_TOOLS = [{"type": "function", "function": {"name": name, "description": strategy.description,
                                                    "parameters": StrategyArgs.model_json_schema()}}
                  for name, strategy in STRATEGIES.items()]


class LlmPlanner:
    """Parses and chooses strategies with an OpenAI-compatible model (Chat Completions API)."""

    name = "llm"

    def __init__(self, base_url: str, model: str, api_key: str | None, fallback: EmbeddedPlanner | None = None,
                 timeout_s: float = 30.0):
        from langchain_openai import ChatOpenAI

        chat = ChatOpenAI(base_url=base_url, model=model, api_key=api_key or "not-needed", timeout=timeout_s,
                          max_retries=0, use_responses_api=False)  # local servers speak chat completions
        self._parser = chat.with_structured_output(PARSE_SCHEMA, method="json_schema", include_raw=True)
        self._chooser = chat.bind_tools(STRATEGY_TOOLS, tool_choice="required")
        self._picker = chat.with_structured_output(PICK_SCHEMA, method="json_schema", include_raw=True)
        self.base_url, self.fallback = base_url, fallback

    def parse(self, text: str, inventory: Inventory, pack: PolicyPack) -> Understanding:
        """Goals, changes, a question or a refusal; invalid output gets one repair round. Text about
        safety never reaches the model, and its answer passes the embedded parser's checks."""
        problem = safety_problem(text, pack)
        if problem:
            status, reason, message = problem
            return Understanding(text=text, status=status, reason=reason, message=message)
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(parse_prompt(inventory, pack)), HumanMessage(text)]
        for _ in range(2):
            out = self._invoke(self._parser, messages)
            if out is None:
                return self.fallback.parse(text, inventory, pack)
            error = out["parsing_error"]
            if error is None:
                try:
                    return checked(Understanding(text=text, **Reading.model_validate(out["parsed"]).model_dump()),
                                   inventory)
                except ValidationError as exc:
                    error = exc
            messages += [out["raw"], HumanMessage(f"That output is invalid: {error}. Return corrected JSON only.")]
        raise LlmError(f"the LLM at {self.base_url} returned invalid intents twice")

    def choose(self, situation: Situation, passages: list[Passage]) -> StrategyChoice:
        """The strategy the model calls for this round; an invalid call gets one repair round."""
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(PLAN_PROMPT), HumanMessage(plan_brief(situation, passages))]
        for _ in range(2):
            reply = self._invoke(self._chooser, messages)
            if reply is None:
                return self.fallback.choose(situation, passages)
            try:
                return strategy_choice(reply)
            except ValueError as exc:
                messages.append(HumanMessage(f"That tool call is invalid: {exc}. "
                                             f"Call exactly one of {list(STRATEGIES)}."))
        raise LlmError(f"the LLM at {self.base_url} returned invalid tool calls twice")

    def pick(self, situation: Situation, passages: list[Passage], shortlist: Shortlist) -> Pick | None:
        """The candidate the model names, read but not yet checked against the shortlist; None
        when the endpoint is unreachable and a fallback is set; ValueError for unreadable output
        (no repair round: the twin's best is a sound answer)."""
        from langchain_core.messages import HumanMessage, SystemMessage

        out = self._invoke(self._picker, [SystemMessage(PICK_PROMPT), HumanMessage(shortlist.brief(situation, passages))])
        if out is None:
            return None
        if out["parsing_error"] is not None:
            raise ValueError(f"not JSON of the pick schema: {out['parsing_error']}")
        try:
            return Pick.model_validate(out["parsed"])
        except ValidationError as exc:
            raise ValueError(f"{out['parsed']!r} is no pick: {exc.errors()[0]['msg']}") from exc

    def _invoke(self, runnable: Runnable, messages: list[BaseMessage]) -> Any:
        """The runnable's answer; None when the endpoint is unreachable and a fallback is set.
        ChatOpenAI re-raises the openai SDK's errors as subclasses, so those are caught here."""
        import openai

        try:
            return runnable.invoke(messages)
        except openai.APIConnectionError as exc:  # APITimeoutError is one too
            if self.fallback is not None:
                return None
            raise LlmError(f"the LLM endpoint {self.base_url} is unreachable ({exc}); "
                           "unset RANPILOT_LLM_BASE_URL for the embedded planner, or pass --fallback") from exc
        except openai.APIStatusError as exc:
            raise LlmError(f"the LLM endpoint {self.base_url} answered HTTP {exc.status_code}: {exc.message}") from exc


def parse_prompt(inventory: Inventory, pack: PolicyPack) -> str:
    """The parse instructions with the network's inventory and the pack's transmit power limits, so
    that the model asks and refuses as the embedded parser does (step limits are the verifier's)."""
    limits = ", ".join(f"{r.bs_class.value} {r.max_dbm:g} dBm" for r in pack.rules if isinstance(r, TxPowerLimit))
    return (f"{PARSE_PROMPT}\nThe network: {inventory.describe_cells()}; slices {', '.join(inventory.slices)}; "
            f"named areas (cell ids) {inventory.areas or 'none'}.\nReject as unsafe_value a request to transmit "
            f"above the power limit of a cell's class ({limits}; policy pack {pack.name}) or to switch off every cell.")


def plan_brief(s: Situation, passages: list[Passage]) -> str:
    """What the model needs to pick a strategy: the target and where it stands, the scope, the
    strategies, and the retrieved clauses with an excerpt of their text."""
    current = s.current()
    strategies = "\n".join(f"- {name}: {strategy.description}" for name, strategy in STRATEGIES.items())
    clauses = passages_digest(passages, CHOOSE_PASSAGE_BUDGET_CHARS)
    return (f"Target {s.target} ({TARGETS[s.target].unit}), goal {s.goal:.4g}, currently "
            f"{'unknown' if current is None else f'{current:.4g}'}. "
            f"Cells in scope {s.cells}, slice {s.slice or 'none'}.\n"
            f"Strategies:\n{strategies}\nRelevant clauses:\n{clauses}")


def strategy_choice(reply: AIMessage) -> StrategyChoice:
    """The model's first tool call as a choice; ValueError saying what is wrong with it."""
    if not reply.tool_calls:
        bad = reply.invalid_tool_calls
        raise ValueError(f"the arguments {bad[0]['args']!r} of {bad[0]['name']} are not JSON" if bad
                         else f"no tool call, only {reply.content!r}")
    name, args = reply.tool_calls[0]["name"], reply.tool_calls[0]["args"]
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}")
    try:
        parsed = StrategyArgs.model_validate(args)
    except ValidationError as exc:
        raise ValueError(f"arguments {args} of {name}: {exc}") from exc
    return StrategyChoice(strategy=name, cells=parsed.cells, reason=parsed.reason)


def make_planner(settings: Settings, fallback: bool = False):
    """The LLM planner when RANPILOT_LLM_BASE_URL is set, else the embedded one."""
    if not settings.llm_base_url:
        return EmbeddedPlanner()
    if not settings.llm_model:
        raise LlmError("RANPILOT_LLM_BASE_URL is set but RANPILOT_LLM_MODEL is not")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return LlmPlanner(settings.llm_base_url, settings.llm_model, key, EmbeddedPlanner() if fallback else None)
