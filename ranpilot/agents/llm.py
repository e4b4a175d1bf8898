"""The LLM planner: any OpenAI-compatible endpoint through the `openai` SDK.

Parsing uses structured output (a JSON schema of the parse envelope) with one repair round on
invalid output. Planning uses tool calling: the model chooses a strategy (and may narrow the
cells); the numeric tool inputs are built from network observations by ranpilot, and the
operator's scope still comes from the graph state, so model output can never widen it.
"""

from __future__ import annotations

import json

import openai
from pydantic import BaseModel, ValidationError

from ranpilot.agents.intent import RADIO_TARGETS, SERVICE_TARGETS, Intent
from ranpilot.agents.parser import ParseResult
from ranpilot.agents.planner import EmbeddedPlanner
from ranpilot.agents.strategies import DEFAULT_STRATEGY, STRATEGIES, STRATEGY_DESCRIPTIONS, Situation, ToolCall
from ranpilot.network import Action
from ranpilot.settings import Settings

PARSE_PROMPT = (
    "You turn a radio network operator's request into a 3GPP TS 28.312 intent. Answer with JSON only, "
    "matching the schema. status is 'parsed' with an intent, 'clarify' with a question in reason, or "
    "'rejected' with the reason (unsafe, out of domain, contradictory). Target names: "
    + ", ".join(RADIO_TARGETS + SERVICE_TARGETS) + ". Throughput in Mbit/s, ratios in %, latency in ms, energy in kW. "
    "objectType NRCellDU with cell ids, NetworkSlice with slice names, or RAN_SubNetwork with ['all']. "
    "A change relative to today goes in targetContexts as changeRelativeToBaselinePct."
)
PLAN_PROMPT = "You plan actions on a radio network. Call exactly one strategy tool that best moves the target toward its goal."


class LlmError(RuntimeError):
    """The LLM endpoint is unreachable or keeps returning invalid output."""


class ParseEnvelope(BaseModel):
    status: str
    intent: Intent | None = None
    reason: str | None = None


class StrategyArgs(BaseModel):
    cells: list[int] | None = None
    reason: str = ""


class LlmPlanner:
    name = "llm"

    def __init__(self, base_url: str, model: str, api_key: str | None, fallback: EmbeddedPlanner | None = None,
                 timeout_s: float = 30.0):
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0)
        self.model, self.base_url, self.fallback = model, base_url, fallback
        self._chosen: dict[str, tuple[str, list[int] | None]] = {}

    def parse(self, text: str, areas: dict[str, list[int]]) -> ParseResult:
        messages = [{"role": "system", "content": PARSE_PROMPT + f" Named areas: {json.dumps(areas)}."},
                    {"role": "user", "content": text}]
        schema = {"type": "json_schema", "json_schema": {"name": "intent_parse", "schema": ParseEnvelope.model_json_schema()}}
        for attempt in range(2):
            reply = self._chat(messages, response_format=schema)
            if reply is None:
                return self.fallback.parse(text, areas)
            content = reply.content or ""
            try:
                envelope = ParseEnvelope.model_validate_json(content)
                if envelope.status not in ("parsed", "clarify", "rejected") or (envelope.status == "parsed") != (envelope.intent is not None):
                    raise ValueError("status must be parsed (with an intent), clarify or rejected (without one)")
                return ParseResult(text=text, status=envelope.status, intent=envelope.intent, reason=envelope.reason)
            except (ValidationError, ValueError) as exc:
                messages += [{"role": "assistant", "content": content},
                             {"role": "user", "content": f"That output is invalid: {exc}. Return corrected JSON only."}]
        raise LlmError(f"the LLM at {self.base_url} returned invalid intents twice")

    def plan(self, situation: Situation, passages: list) -> list[ToolCall]:
        tools = [{"type": "function", "function": {"name": name, "description": STRATEGY_DESCRIPTIONS[name],
                                                   "parameters": StrategyArgs.model_json_schema()}} for name in STRATEGIES]
        cited = "; ".join(f"{p.spec} {p.clause} {p.title}" for p in passages)
        brief = (f"Target {situation.target}, goal {situation.goal:.4g}, currently "
                 f"{situation.network.target_value(situation.target, situation.cells, situation.slice, situation.threshold)}, "
                 f"cells in scope {situation.cells}, slice {situation.slice}. Relevant clauses: {cited or 'none'}.")
        messages = [{"role": "system", "content": PLAN_PROMPT}, {"role": "user", "content": brief}]
        for attempt in range(2):
            reply = self._chat(messages, tools=tools, tool_choice="required")
            if reply is None:
                return self.fallback.plan(situation, passages)
            try:
                call = reply.tool_calls[0]
                name = call.function.name
                if name not in STRATEGIES:
                    raise ValueError(f"unknown strategy {name!r}")
                args = StrategyArgs.model_validate_json(call.function.arguments or "{}")
                break
            except (IndexError, TypeError, ValidationError, ValueError) as exc:
                messages += [{"role": "user", "content": f"Invalid tool call: {exc}. Call one of {list(STRATEGIES)}."}]
        else:
            raise LlmError(f"the LLM at {self.base_url} returned invalid tool calls twice")
        self._chosen[situation.target] = (name, args.cells)
        return STRATEGIES[name][0](_narrow(situation, args.cells))

    def propose(self, situation: Situation, results: list[dict]) -> list[Action]:
        """Actions from the strategy the model chose, over the same (narrowed) cells."""
        name, cells = self._chosen.get(situation.target, (DEFAULT_STRATEGY[situation.target], None))
        return STRATEGIES[name][1](_narrow(situation, cells), results)

    def _chat(self, messages: list[dict], **kwargs):
        """The first choice's message; None when unreachable and a fallback is configured."""
        try:
            response = self.client.chat.completions.create(model=self.model, messages=messages, **kwargs)
        except (openai.APIConnectionError, openai.APITimeoutError) as exc:
            if self.fallback is not None:
                return None
            raise LlmError(f"the LLM endpoint {self.base_url} is unreachable ({exc}); "
                           "unset RANPILOT_LLM_BASE_URL for the embedded planner, or pass --fallback") from exc
        except openai.APIStatusError as exc:
            raise LlmError(f"the LLM endpoint {self.base_url} answered {exc.status_code}: {exc.message}") from exc
        return response.choices[0].message


def _narrow(s: Situation, cells: list[int] | None) -> Situation:
    """The model may narrow the cells it works on, never widen them."""
    kept = [c for c in cells or [] if c in s.cells]
    return Situation(s.network, s.target, s.goal, kept or s.cells, s.slice, s.threshold, s.pack, s.step_scale)


def make_planner(settings: Settings, fallback: bool = False):
    """The LLM planner when RANPILOT_LLM_BASE_URL is set, else the embedded one."""
    if not settings.llm_base_url:
        return EmbeddedPlanner()
    if not settings.llm_model:
        raise LlmError("RANPILOT_LLM_BASE_URL is set but RANPILOT_LLM_MODEL is not")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return LlmPlanner(settings.llm_base_url, settings.llm_model, key, EmbeddedPlanner() if fallback else None)
