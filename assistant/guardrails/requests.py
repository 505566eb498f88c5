"""What kind of request is this? Classifies a patient message into the refusal categories.

The assistant answers questions about the patient's own record and symptoms, and books visits. Some
requests it must decline however they are phrased (DESIGN.md, "Safety principles"): another person's
record, changing a medicine or dose, a prescription, a definitive diagnosis, harmful means, and anything
unrelated to the patient's health. Declining is about the request, not the person: the triage engine
still runs on the same message, so "can I stop my insulin, I'm vomiting and confused" is refused AND
escalated.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.guardrails.patterns import PatternRule, RuleHit, load_rules
from assistant.schemas import RefusalCategory

__all__ = ["CATEGORY_PRIORITY", "classify", "strongest_category"]

# When a message trips several rules, the refusal shown is the first of these; the flags keep them all.
CATEGORY_PRIORITY: tuple[RefusalCategory, ...] = (
    RefusalCategory.INJECTION,
    RefusalCategory.UNSAFE_REQUEST,
    RefusalCategory.OTHER_PATIENT,
    RefusalCategory.DOSE_CHANGE,
    RefusalCategory.PRESCRIPTION,
    RefusalCategory.DIAGNOSIS_CERTAINTY,
    RefusalCategory.OUT_OF_SCOPE,
)


def classify(folded: str, rules: Sequence[PatternRule] | None = None) -> list[RuleHit]:
    """Every rule that fires on the folded message, in rule-file order."""
    hits = []
    for rule in rules if rules is not None else load_rules():
        hit = rule.match(folded)
        if hit is not None:
            hits.append(hit)
    return hits


def strongest_category(hits: Sequence[RuleHit]) -> RefusalCategory | None:
    categories = {hit.category for hit in hits if hit.category is not None}
    for category in CATEGORY_PRIORITY:
        if category in categories:
            return category
    return None
