"""The words the clause reader (`clauses.py`) recognises: where a request breaks into pieces, what
makes a piece state something (a KPI, a comparison, a quantity), what makes it point back to the
clause before it, continue it, head what follows, or name a scope."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.build import GUARD_CLAUSE
from ranpilot.intents.config_requests import KEEP_ON
from ranpilot.targets import Target

# an adverb after an auxiliary ('it must also be above 15 ms', 'should then stay') is inside its clause
AUXILIARY_BEFORE = "".join(rf"(?<!\b{w})" for w in ("must", "should", "shall", "will", "would", "can", "could", "may", "is", "are",
                                                     "has", "have", "to"))
ABBREVIATION_BEFORE = r"(?<!\bi\.e)(?<!\be\.g)(?<!\betc)(?<!\bvs)"  # 'i.e. cells loaded above 85%' is one sentence
BREAKS = re.compile(r"\s*[;•·▪◦]\s*|" + ABBREVIATION_BEFORE + r"\.\s+(?=\S)|\s*\n\s*|:\s+|"
                    r",?\s+\b(?:but(?: also)?|while|whilst|and also|as well as|plus|whereas|meanwhile|and then|given that)\b\s+|"
                    + AUXILIARY_BEFORE + r",?\s+\b(?:also|yet|then)\b\s+|"
                    r",?\s+(?=(?:without|as long as|so long as|provided|on (?:the )?condition that|with no (?:extra|additional|further))\b)|\s*,\s*|\s+\band\b\s+|\s+[&+]\s+|\s+-\s+", re.I)
LEADING = re.compile(r"^(?:(?:and|but|while|whilst|also|then|yet|so|plus|or)\b[\s,]*)+", re.I)
LIST_NUMBER = re.compile(r"(?:^|(?<=[\s;,:]))(?:\(?\d\)|\[\d\]|\(?[a-e]\)|\d\.(?=\s))\s*")
# 'the airport and downtown need ...', 'cells#3_4 and the stadium': one scope of two places, not two clauses
_PLACE = r"(?:cells?#[\d_]+|(?:" + "|".join(ex.PLACE_WORDS) + r")(?:\s+(?:area|cells|district|zone))?)"
SCOPE_AND = re.compile(rf"(\b{_PLACE})\s+and\s+(?=(?:the\s+|all\s+)?{_PLACE}\b)", re.I)
BETWEEN_AND = re.compile(r"(\bbetween\s+-?[\d.]+(?:\s*[^\s\d]+)?)\s+and\s+(?=-?\d)", re.I)
COMPARATOR_START = re.compile(r"^(?:above|below|under|over|at least|at most|(?:min|max)(?:imum)?:?\s*(?:of\s+)?(?=-?\d)|less|more|"
                              r"no more|no less|to (?=-?\d)|between (?=-?\d)|not (?:above|below|over|under|more|less)|never|>|<|≥|≤)", re.I)
# 'Target: one in fifty', 'the goal is 4 ms': a value named as the target of the KPI before it
TARGET_START = re.compile(r"^(?:the\s+|our\s+|my\s+|new\s+)?(?:target|goal|aim|objective|ask|limit|cap|value|level|bound)\s+"
                          r"(?:is\s+|would be\s+|of\s+)?"
                          r"(?:[<>]=?\s*|at (?:most|least)\s+|under\s+|below\s+|above\s+)?-?\d", re.I)
# 'Restore >= 30 Mbps there', 'reach 5 ms': a verb whose object is only a value, of the KPI before it
VERB_VALUE = re.compile(r"^(?:please\s+)?(?:restore|reach|hit|achieve|deliver|return to|get (?:it |them )?(?:back |down |up )?to|"
                        r"bring (?:it |them )?(?:back |down |up )?to|push (?:it |them )?(?:down |up )?to|"
                        r"go (?:back )?to|aim for|target)\s+(?:[<>]=?\s*|at (?:most|least)\s+|under\s+|below\s+|above\s+|over\s+)?-?\d",
                        re.I)
KPI_WORDS = re.compile(r"\b(slow\w*|" + ex.FASTER_WORDS + r"|downloads?|thr?o?u?g?h?put|thruput|thru(?!\s*(?:-?\d|cells?#))|t-?put|thp|speeds?|data ?rates?|bit ?rates?|bandwidth|laten\w*|delays?|"
                       r"energy|power|electricity|consum\w*|kwh|kw|watts?|coverage|covered|rsrp|signal|reception|sinr|interference|busy|"
                       + ex.LAG_WORDS + r"|"
                       r"loads?|prbs?|resources?|util\w*|congest\w*|overload\w*|hot|efficien\w*|edge|slow|sleep|asleep|awake|wake|offline|online|on[- ]?air|(?:back in|to) service|disabl\w*|"
                       r"\w*activat\w*|back on|power\w* (?:down|up)|(?:switch|turn|shut)\w* (?:\S+ ){0,3}?(?:off|on|up|down)\b|"
                       r"(?:up|down)?-?tilt\w*|cio|p[- ]?max|offset|bits per joule|bills?|greener|" + KEEP_ON + "|"
                       + "|".join(t.value for t in Target) + r")\b", re.I)  # the standard's own names: 'lowSinrUeShare: ...'
STATES = re.compile(r"\bby\s+[+-]?\d|(?:\b(?:above|below|under|over|at least|at most|to|between)|[<>]=?)\s*-?\d|\d\s*(?:%|mbit/s|ms\b|kw\b|bit/j|dbm?\b)|\b(?:better|improve\w*|optimi[sz]\w*|"
                    r"enhance\w*|maximi[sz]\w*|minimi[sz]\w*)\b", re.I)
COMPARATOR = re.compile(r"\b(?:above|below|under|over|at least|at most|less than|more than|no more|no less|fewer)\b|[<>≤≥]", re.I)
# '... must stay above 80% and must never exceed 60%': a clause that starts at its verb shares the subject before it
SUBJECTLESS = re.compile(r"^(?:must|should|shall|has to|have to|needs? to|may|can(?:not|'t)?|will|won't|is|are|stays?|remains?|"
                         r"goes|doesn't|does not)\b", re.I)
# '... so URLLC has room', '... so that the downtown video campaign works', '... because gamers at the stadium complain':
# a reason or a purpose names no scope
REASON = re.compile(r"\s+\b(?:so that|because|since|given that|in order for)\b.*$|"
                    r"\s+\bso\s+(?:\S+\s+){1,4}?(?:has|have|gets?|can|could|will|would|is|are|needs?|keeps?|stays?|remains?|"
                    r"works?|runs?|sees?|feels?|does(?:n't)?|don't|won't)\b.*$", re.I)
POINTS_BACK = re.compile(r"\b(?:it|them|that|this|its|their)\b", re.I)
SCOPE_BACK = re.compile(r"\b(?:there|those cells|these cells|(?:the )?same(?: cells| area| ones)?|in those|in these)\b", re.I)
# '..., please hold it there', '...; keep it that way': the clause before, to be held where it is said to be
HOLDS_IT = r"(?:please\s+)?(?:hold|keep|maintain|leave)\s+(?:it|them|that|things)\s+(?:there|that way|so|as (?:it|they) (?:is|are)|like that)\b"
# 'Hold it on the stadium cells', 'All three must hold network-wide': a sentence without a KPI or a value of its own
# that asks to keep what was said before it: the last clause ('it'), or every one ('all', 'both', 'them')
_HOLD_VERB = r"(?:hold|keep|maintain|sustain|guarantee|ensure|enforce)"
HELD_BACK = re.compile(rf"^(?:please\s+)?(?:{_HOLD_VERB}\s+(?P<one>it|that|this)|{_HOLD_VERB}\s+(?:them|these|those|both|all(?: of them)?)|"
                       r"(?:all(?:\s+\d+|\s+of\s+(?:them|these|those))?|both(?:\s+of\s+them)?|they|these|each(?:\s+of\s+them)?)\s+"
                       r"(?:must|should|shall|need to|needs to|have to|has to)\s+(?:hold|be\s+(?:held|kept|maintained|met|guaranteed|"
                       r"sustained|enforced)))\b", re.I)
CONTINUES = re.compile(rf"^(?:{HOLDS_IT}|by\s+[+-]?[\d.]+\s*%$|which|i\.e\.?|ie|e\.g\.?|meaning|that is|measured|expressed|counted|counting|defined|where (?:a|the)|"
                       r"where\s+['\"]?[\w-]+['\"]?\s+(?:means|is defined as|counts as|=)|"
                       r"with \w+ meaning|(?:with |using )?(?:an? |the )?(?:[\w-]+ ){0,2}thresholds?\b|"
                       r"with (?:[\w-]+ ){1,3}(?:defined|meaning|counted)\b|"
                       r"(?:overloaded|hot|congested|busy|low[- ]?\w+|weak\w*|poor\w*|edge)\s+(?:means\s+|is\s+|=\s*)?"
                       r"(?:prb|load|utili[sz]ation|sinr|rsrp|throughput)\b(?:\s+load)?\s*(?:[<>≤≥]|above|over|below|under))", re.I)
NEGATIVE_HEAD = re.compile(r"^(?:without|under no circumstances|in no case|at no (?:time|point)|never|do not|don't|must not|"
                           r"mustn't|should not|shouldn't|not)\b(?:\s+(?:let|letting|allow|allowing|have|having)\b)?", re.I)
GERUND = re.compile(r"^[a-z]+ing\b(?<!\bbring)(?<!\bthing)", re.I)
CONDITION_START = re.compile(rf"(?:while|whilst)\b|{GUARD_CLAUSE.pattern}", re.I)  # 'while keeping ...', 'without ...'
# '... to the maximum allowed, 46 dBm': a bare quantity restates the clause before it
APPOSITION = re.compile(r"^(?:i\.?e\.?|that is|namely|so|about|around|roughly|approx\w*)?\s*-?\d+(?:\.\d+)?\s*"
                        r"(?:%|mbit/s|ms|dbm|db|kw|bit/j|deg\w*|°)?$", re.I)
# '..., using -105 dBm as the threshold', '..., taking 3 Mbps as the limit': the level that decides what counts
GAPPED = re.compile(r"^(?:(?:for|on|in|of|at(?!\s+(?:most|least)\b)|across)\s+|cells?#)", re.I)  # a piece that opens with its scope
THRESHOLD = re.compile(r"\b(?:thresholds?|cut-?offs?)\b|\bas\s+(?:the|a|our)\s+(?:limit|boundary|bar|line|criterion)\b", re.I)
# 'We consider a cell hot when its PRB load is above 75%. Bring the share of hot cells under 10%': the
# definition is read with the clause after it
DEFINES = re.compile(r"\b(?:consider|define|call|count|treat|regard|deem|class\w*)\w*\s+(?:a |an |the )?(?:cells?|users?|ues?)\s+"
                     r"(?:as\s+)?['\"]?[\w-]+['\"]?\s+(?:when|if|once|whenever|where)\b|"
                     r"\b(?:counts?|(?:is|are)\s+(?:considered|deemed|classed|classified|treated|regarded))\s+as\s+"
                     r"(?:an?\s+)?['\"]?[\w-]+['\"]?$", re.I)  # '... anything over 70% PRB counts as hot; keep ...'

HOLDING_HEADING = re.compile(r"^(?:please\s+)?(?:keep|maintain|ensure|guarantee|hold|make sure|protect|preserve)\b", re.I)
HEADING = re.compile(r"(?:^|(?<=[.;\n]))\s*([^.;:\n]{1,80}?)\s*:\s+(?=\S)")
FILLER = r"(?:(?:ok(?:ay)?|so|hi|hey|hello|um+|uh+|right|well|alright|eh)\b[\s,]*)*"
# 'On cells 9-11 get ...', 'ok for cells ten and eleven reduce ...', 'stadium cells overnight cut ...', 'in airport ...'
LEADING_SCOPE = re.compile(rf"^{FILLER}((?:(?:on|in|at|for|across|within)\s+(?:the\s+)?)?(?:cells#[\d_]+|[\w-]+\s+(?:cells|area)|"
                           rf"(?:{'|'.join(ex.PLACE_WORDS)}))\b)\s*,?\s+(?=[a-z])", re.I)
# a heading that takes every cell the request named before it
EVERY_ONE = re.compile(r"^\W*(?:for\s+)?(?:both|each|all|every one)(?:\s+(?:of\s+)?(?:them|these|those|the|[2-9]|three|four|five|two))?"
                       r"(?:\s+(?:cells|sites|areas))?\W*$", re.I)
NETWORK_WIDE = re.compile(r"\b(?:network[- ]wide|(?:the |our )?(?:whole|entire)[- ]network|across the network|all (?:the )?cells|"
                          r"every(?:where| cell)|all sites|of the network|the network's cells)\b", re.I)

# 'under 75% in every cell', 'make sure every cell keeps ...', 'per cell': each cell of the scope said, not the whole network, when a scope is said
EACH_CELL = re.compile(r"\b(?:every|each)\s+(?:single\s+|one\s+of\s+the\s+)?cells?\b|\bper[- ]cell\b", re.I)


def states_something(piece: str) -> bool:
    return bool(KPI_WORDS.search(piece) or COMPARATOR_START.match(piece) or STATES.search(piece))


def names_cells(piece: str) -> bool:
    return bool(ex.CELLS_RE.search(piece) or any(re.search(rf"\b{w}\b", piece, re.I) for w in ex.PLACE_WORDS))


def names_scope(piece: str) -> bool:
    return bool(ex.CELLS_RE.search(piece) or NETWORK_WIDE.search(piece) or ex.SLICE_RE.search(piece)
                or re.search(r"\b(?:area|cells)\b", piece, re.I) or any(re.search(rf"\b{w}\b", piece, re.I)
                                                                          for w in ex.PLACE_WORDS))
