"""When an item is flagged: the thresholds, in one place, and the sentences the page shows for them."""
from __future__ import annotations

import math

#: Fewer students than this and no item is flagged: one or two answers would swing every statistic.
MIN_STUDENTS = 10
#: Facility above this: nearly everybody gets the item right.
FACILITY_HIGH = 0.95
#: Facility below this: nearly nobody does.
FACILITY_LOW = 0.05
#: Discrimination index below this is weak; below 0 the item favours the weaker students.
DISCRIMINATION_WEAK = 0.2
#: Discriminative efficiency below this: Moodle's "dubious" item.
EFFICIENCY_DUBIOUS = 0.15


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def item_flags(n: int, facility: float, discrimination: float, efficiency: float) -> list[str]:
    """The reasons to look at an item again, as short sentences; none below :data:`MIN_STUDENTS`."""
    if n < MIN_STUDENTS:
        return []
    flags = []
    if _known(facility) and facility > FACILITY_HIGH:
        flags.append(f"very easy (facility above {FACILITY_HIGH:.0%}): a giveaway?")
    elif _known(facility) and facility < FACILITY_LOW:
        flags.append(f"very hard (facility below {FACILITY_LOW:.0%}): check the test or the teaching")
    if _known(discrimination) and discrimination < 0:
        flags.append("negative discrimination: students strong on the rest of the test do worse on it; check the key or the test")
    elif _known(discrimination) and discrimination < DISCRIMINATION_WEAK:
        flags.append(f"weak discrimination (below {DISCRIMINATION_WEAK})")
    if is_dubious(n, efficiency):
        flags.append(f"dubious (discriminative efficiency below {EFFICIENCY_DUBIOUS:.0%})")
    return flags


def is_dubious(n: int, efficiency: float) -> bool:
    """Moodle's rule: discriminative efficiency below :data:`EFFICIENCY_DUBIOUS` (from :data:`MIN_STUDENTS` on)."""
    return n >= MIN_STUDENTS and _known(efficiency) and efficiency < EFFICIENCY_DUBIOUS


def rules() -> list[str]:
    """The flagging rules in words, for the page."""
    return [
        f"Flags are shown from {MIN_STUDENTS} students on; with fewer, one answer swings every statistic.",
        f"Facility above {FACILITY_HIGH:.0%} (very easy) or below {FACILITY_LOW:.0%} (very hard).",
        f"Discrimination index below {DISCRIMINATION_WEAK} (weak) or below 0 (the item favours students who do worse on the rest).",
        f"Dubious, as Moodle marks it: discriminative efficiency below {EFFICIENCY_DUBIOUS:.0%}.",
    ]
