"""What the intent tests share: the corpus's network (21 cells and the three named areas of
benchmarks/data/intents/LABELS.md), the parser's verdict on a text, and the phrasing tests' view of
goals and changes."""

from ranpilot.intents.inventory import Inventory
from ranpilot.intents.parser import understand

STADIUM, DOWNTOWN, AIRPORT = [3, 4, 5], [0, 1, 2, 6, 7, 8], [12, 13, 14]
INVENTORY = Inventory(areas={"stadium": STADIUM, "downtown": DOWNTOWN, "airport": AIRPORT})


def verdict(text: str) -> tuple[str, str | None]:
    """(status, reason) of the text on the corpus's network."""
    u = understand(text, INVENTORY)
    return u.status, u.reason


def phrasing_goals(text: str) -> list[tuple]:
    """(target, bound, range or value or change, cells, slice, verb, strict) of each goal; the text must parse."""
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    return [(g.target.value, g.bound, g.range or (g.value if g.value is not None else g.change_pct), g.cells, g.slice, g.verb,
             g.strict) for g in u.goals]


def phrasing_changes(text: str) -> list[tuple]:
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    return [(c.parameter, c.cell, c.value, c.delta) for c in u.changes]
