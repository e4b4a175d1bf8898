"""Requests refused before any goal is read: text about safety itself (an intent cannot change
policy), values beyond the policy pack's limits, and KPIs ranpilot does not manage."""

from __future__ import annotations

import re

from ranpilot.intents.goals import ConfigChange
from ranpilot.intents.inventory import Inventory, Problem
from ranpilot.policies.pack import PolicyPack
from ranpilot.targets import TARGETS

DEFEAT = (r"ignor\w*|disregard\w*|bypass\w*|skip\w*|disabl\w*|overrid\w*|overrul\w*|suspend\w*|circumvent\w*|deactivat\w*|"
          r"remov\w*|relax\w*|waiv\w*|turn\w* off|switch\w* off|get around|work around|forget|neutrali[sz]e|"
          r"pretend|act as if|no need for|don't (?:bother with|run|apply|use|check|wait for)|do not (?:run|apply|use|check|wait for)|"
          r"without waiting for|no need to (?:wait for|run|ask for|get|use|(?:double[- ]?)?check\w*|verify|validate|consult|apply|go through)|"
          r"needn't|need not|"
          r"(?:rather than|instead of) (?:waiting for|going through|asking for|getting|running)|(?:never ?mind|forget about)|"
          r"(?:takes?|taking|has|have|with) (?:precedence|priority) over|supersed\w*|trumps?|outranks?|prevails? over")
SAFEGUARD = (r"safety|safeguards?|polic(?:y|ies)|guard ?rails?|rules?|constraints?|limits?|verifier|verification|verdicts?|"
             r"rejections?|"
             r"approvals?|protections?|checks?|restrictions?|caps?|dry[- ]?runs?|sign[- ]?off|validation|gatekeep\w*")
PRONOUN_DEFEAT = (r"(?:turn|switch|shut)\w*\s+(?:it|them|this|that|those)\s+off\b|"
                  r"(?:treat|consider|regard|take)\w*\s+(?:it|them|this|that|those)\s+as\s+(?:merely |only |purely )?"
                  r"(?:advisory|optional|a suggestion|suggestions|non-?binding|guidance|informational)\b|"
                  r"(?:ignor|disabl|bypass|skip|remov|suspend|deactivat|overrid|waiv|relax|lift)\w*\s+(?:it|them|this|that|those)\b")
OVERRIDE = re.compile(rf"\b(?:{DEFEAT})\b(?:\W+\w+){{0,6}}?\W+(?:{SAFEGUARD})\b|"
                      rf"\b(?:{SAFEGUARD})\b[^.]{{0,80}}[.;:,]?\s*(?:\w+\s+){{0,3}}?(?:{PRONOUN_DEFEAT})|"
                      rf"\b(?:{SAFEGUARD})\s+(?:do|does|should|shall|must)\s*(?:not|n't)\s+apply\b|"
                      rf"\bwithout (?:any |the |a |an )?(?:usual |normal |regular |extra )?(?:{SAFEGUARD})\b", re.I)
SPEAKER = (r"<\s*/?\s*system\s*>|\[\s*system\s*\]|(?:^|[\s(.;])system\s*(?:note|message|prompt|override|instruction|notice)?\s*:|"
           r"\b(?:message|note|notice|instruction)s? from (?:the )?(?:system|admin\w*|root|vendor|developers?)\b|"
           r"\bsystem\s*(?:note|message|prompt|override|instruction|notice)\b|\b(?:tool|function)_?output\b")
CLAIM = (r"\b(?:as|i'?m|i am|speaking as|acting as)\s+(?:the |an |your |a )?(?:on-?call |network |system |senior |chief )*"
         r"(?:admin\w*|root|super ?user|operator in charge|developer|owner|vendor)\b|"
         r"\b(?:authori[sz]ed|approved|sanctioned|signed off|cleared) by (?:the )?(?:root|admin\w*|system|vendor|management|"
         r"operator|noc|security)\b|\b(?:coming|comes|came|sent|issued|originat\w*|on behalf)\s+(?:from|of)\s+(?:the\s+)?"
         r"(?:root|admin\w*|system|vendor|super ?user)(?:\s+team)?\b(?!\s+[a-z])|"  # not 'from the system monitor'
         r"\b(?:admin\w*|root|vendor|operator|super ?user) (?:override|rights|privileges?|access|mode|"
         r"authority|permissions?)\b|"
         r"\bi (?:hereby )?(?:authori[sz]e|approve|allow|permit|grant)\b|\b(?:you have|with|on|under) my (?:permission|authority|"
         r"authori[sz]ation|approval|sign-?off)\b|\bapprovals? (?:is |has been |was )?(?:already )?"
         r"(?:granted|given|obtained)\b|\bno (?:checks?|approvals?|verification|validation|review) (?:is |are )?"
         r"(?:needed|required|necessary)\b")
LIFTED = (rf"\b(?:{SAFEGUARD})\s+(?:(?:are|is|have been|has been|were|was|got|being)\s+)?(?:now |already |temporarily |)"
          r"(?:disabled|off|lifted|suspended|switched off|turned off|removed|waived|bypassed|relaxed|deactivated|overridden|"
          r"not (?:needed|required|applicable)|(?:only |merely |purely )?(?:advisory|optional|non-?binding))\b")
# 'exceed the power limit', 'go beyond the policy cap' (not 'must not exceed the limit'): a request to break a safeguard
BREAK_LIMIT = re.compile(rf"(?<!\bnot )(?<!\bwithout )(?<!\bnever )(?<!n't )(?<!\bno )\b(?:exceed\w*|go(?:ing)? (?:beyond|past|over|above)|break\w*|"
                         rf"violat\w*|breach\w*|overstep\w*|push\w* (?:past|beyond))\s+(?:the\s+|any\s+|our\s+|its\s+|their\s+)?"
                         rf"(?:[\w-]+\s+){{0,2}}?(?:{SAFEGUARD})\b", re.I)
AUTHORITY = re.compile(
    rf"{SPEAKER}|{CLAIM}|{LIFTED}|\byou are (?:now )?(?:authori[sz]ed|allowed|permitted|in (?:developer|maintenance|god) mode)\b|"
    r"\b(?:developer|maintenance|god|unrestricted|jailbreak) mode\b|\bprevious instructions\b|\bnew instructions\b", re.I)
UNSUPPORTED = re.compile(
    r"\b(?:uplink|up-link|ul)\b|\buploads?\b|\bjitter\b|\bpacket[- ]?loss\b|\bcall[- ]?drops?\b|\bdropped calls?\b|\bdrop(?:ped)?[- ]call\b|"
    r"\bdrop(?:ped|s)?\s+(?:\w+\s+)?calls?\b|\bcalls?\s+(?:\w+\s+)?drop(?:ped|s)?\b|\bhandover success\b|\bho success\b|\bbler\b|\bblock(?:ing|ed) rate\b|\bmos\b|\bvoice quality\b|\baccessibility\b|"
    r"\bretainability\b|\bpaging\b|\brrc (?:setup|connection)\b|\bcall setup\b|\bsetup success\b|"
    r"\b(?:dropped|lost) (?:connections?|sessions?)\b|\bconnection (?:drops?|loss(?:es)?)\b|\bdisconnect(?:s|ions)\b|"
    r"\b(?:cell |site |network )?(?:availability|uptime|downtime)\b|\bhandover (?:failures?|fail\w*|drops?)\b|\bping-?pong\b|"
    r"\bblock error rate\b|\b(?:attach|registration) (?:success|failure)\w*\b|\bcqi\b|"
    r"\bradio link failures?\b|\brlfs?\b|\bcsfb\b|\bvolte\b|\bspectr(?:al|um) efficiency\b", re.I)
SWITCH_ALL_OFF = re.compile(r"\b(?:switch|turn|shut|power|put|deactivat|disabl|sleep|kill)\w*\s*(?:off|down)?\s+(?:all|every|"
                            r"the whole|each|the entire)\b(?:\W+\w+){0,3}?\W+(?:cells?|sites?|network)\b|"
                            r"\b(?:switch|turn|shut|power)\w*\s+(?:off\s+|down\s+)?everything\b|\beverything\s+(?:off|down)\b|"
                            r"\b(?:all|every|each) (?:cells?|sites?) (?:off|asleep|to sleep|down)\b", re.I)


def safety_override(text: str) -> Problem | None:
    """The refusal for text that asks to defeat a safeguard or claims authority, or None."""
    if OVERRIDE.search(text) or AUTHORITY.search(text) or BREAK_LIMIT.search(text):
        return ("rejected", "safety_override", "an intent cannot change, ignore or override the policies or the "
                "verifier, and text claiming system authority is not obeyed; nothing in this request was acted on")
    return None


def safety_problem(text: str, pack: PolicyPack) -> Problem | None:
    """The refusal a text calls for before its goals are read, or None."""
    override = safety_override(text)
    if override:
        return override
    unsafe = unsafe_value(text, pack)
    if unsafe:
        return "rejected", "unsafe_value", unsafe
    if UNSUPPORTED.search(text):
        supported = ", ".join(t.value for t in TARGETS)
        return ("rejected", "unsupported_kpi", "ranpilot manages the downlink radio network only; "
                f"the targets it can pursue are {supported}")
    return None


def unsafe_value(text: str, pack: PolicyPack) -> str | None:
    """A transmit power beyond the pack's limit, or switching off every cell."""
    t = text.lower()
    limit = pack.tx_power_limit()
    for m in re.finditer(r"(?<![\w.-])(\d+(?:\.\d+)?(?:e\d+)?)\s*dbm", t):
        value = float(m.group(1))
        if limit and value > limit.max_dbm:
            return (f"{value:g} dBm exceeds the {limit.max_dbm:g} dBm transmit power limit of {limit.bs_class.value} "
                    f"cells (rule {limit.id}, {limit.source}); nothing was applied")
    if SWITCH_ALL_OFF.search(t) and not re.search(r"\b(?:on|up|wake)\b", t[:20]):
        return ALL_OFF
    return None


ALL_OFF = "switching off every cell would leave all users without coverage (TS 38.300 15.4); nothing was applied"


def unsafe_changes(changes: list[ConfigChange], inventory: Inventory) -> Problem | None:
    """Changes that put every cell of the network to sleep."""
    asleep = {c.cell for c in changes if c.parameter == "asleep" and c.value == 1}
    return ("rejected", "unsafe_value", ALL_OFF) if len(asleep) >= inventory.num_cells else None
