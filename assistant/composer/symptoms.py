"""Replies to symptom messages, written around the triage decision of the protocols.

The triage decision (level, the deciding protocol's advice, what to watch for, the number to call, and the
red-flag questions still open) comes from the auditable protocols; this module only puts it into words. An
emergency reply starts with what to do and the number, before anything else, and never offers an
appointment instead. When the protocol asks questions, they come after the advice for the level known so
far (the floor): the patient is never left without advice while the questions wait for an answer.
"""

from __future__ import annotations

from assistant.composer.draft import CitationList, Draft
from assistant.composer.formatting import pick
from assistant.composer.people import about_line
from assistant.ports import TriageDecisionLike
from assistant.region import numbers_for
from assistant.schemas import Language, TriageLevel
from assistant.understanding.model import Subject


def emergency_number(region: str) -> str:
    """The general emergency number for "if it gets worse" lines, from the one region table."""
    return numbers_for(region).emergency


def symptom_answer(
    decision: TriageDecisionLike, language: Language, *, region: str = "FR", about: Subject | None = None
) -> Draft:
    """The reply for the triage decision. ``about``: the person the symptoms are of, when it is not the
    record's patient — the reply names them, and nothing from the account holder's record is applied."""
    level = decision.level
    cites = CitationList()
    lines: list[str] = []
    number = decision.call or emergency_number(region)
    if level == TriageLevel.EMERGENCY:
        lines.append(
            pick(
                language,
                f"Call {number} now — this could be an emergency. Do not wait for an appointment and do not drive yourself.",
                f"Appelez le {number} maintenant — cela peut être une urgence. N'attendez pas un rendez-vous et ne "
                "conduisez pas vous-même.",
            )
        )
    elif level == TriageLevel.URGENT:
        lines.append(
            pick(
                language,
                "This needs to be seen by a clinician today.",
                "Cela doit être vu par un soignant aujourd'hui.",
            )
        )
    elif level == TriageLevel.SOON:
        lines.append(
            pick(
                language,
                "This should be checked by a clinician in the next few days.",
                "Cela mérite d'être vu par un soignant dans les prochains jours.",
            )
        )
    elif level == TriageLevel.SELF_CARE:
        lines.append(
            pick(
                language,
                "This can usually be looked after at home.",
                "Cela se soigne en général à la maison.",
            )
        )
    if about is not None:
        lines.append(about_line(about, language))
    if decision.advice:
        lines.append(decision.advice.strip())
    cited = [m for m in decision.modifiers if m.resource] if about is None else []
    if cited:
        reasons = [f"{m.reason} {cites.cite(m.resource or '', m.reason)}" for m in cited[:3]]
        lines.append(
            pick(
                language,
                "I have taken your record into account: " + "; ".join(reasons) + ".",
                "J'ai tenu compte de votre dossier : " + "; ".join(reasons) + ".",
            )
        )
    if decision.questions:
        lines.append(
            pick(
                language,
                "To advise you better, please tell me:",
                "Pour mieux vous conseiller, pouvez-vous me dire :",
            )
        )
        lines.extend(f"{n}. {q.text}" for n, q in enumerate(decision.questions, 1))
        lines.append(
            pick(
                language,
                'You can answer in a few words ("no", "yes to the first"…). Until then, follow the advice above.',
                "Vous pouvez répondre en quelques mots (« non », « oui pour la première »…). En attendant, suivez les "
                "conseils ci-dessus.",
            )
        )
    if decision.watch_for and level != TriageLevel.EMERGENCY:
        lines.append(pick(language, "Get help sooner if:", "Consultez plus tôt si :"))
        lines.extend(f"- {w}" for w in decision.watch_for[:5])
    if level in (TriageLevel.URGENT, TriageLevel.SOON, TriageLevel.SELF_CARE):
        lines.append(
            pick(
                language,
                f"If you get much worse or feel it is an emergency, call {emergency_number(region)}.",
                f"Si cela s'aggrave nettement ou si vous pensez que c'est une urgence, appelez le {emergency_number(region)}.",
            )
        )
    return Draft(text="\n".join(lines), citations=cites.items, guidance=True)
