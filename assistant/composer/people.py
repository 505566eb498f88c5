"""How a reply names the person a message is about, when it is not the record's patient.

"my daughter is 2, 39.8 since this morning…": the advice is for the daughter, from what the message says
about her; the account holder's record is not hers, so nothing from it is applied. The reply says so in its
first line ("About your daughter (2 years old): …") so the reader knows whom the advice is for and that the
clinician needs her own history.
"""

from __future__ import annotations

from assistant.composer.formatting import format_number, pick
from assistant.schemas import Language
from assistant.understanding.model import Relation, Subject

__all__ = ["about_line", "person_name"]

# (en, fr) by relation and sex ("female" / "male" / None).
_NAMES: dict[Relation, dict[str | None, tuple[str, str]]] = {
    Relation.CHILD: {
        "female": ("your daughter", "votre fille"),
        "male": ("your son", "votre fils"),
        None: ("your child", "votre enfant"),
    },
    Relation.PARTNER: {
        "female": ("your partner", "votre conjointe"),
        "male": ("your partner", "votre conjoint"),
        None: ("your partner", "votre conjoint(e)"),
    },
    Relation.PARENT: {
        "female": ("your mother", "votre mère"),
        "male": ("your father", "votre père"),
        None: ("your parent", "votre parent"),
    },
    Relation.GRANDPARENT: {
        "female": ("your grandmother", "votre grand-mère"),
        "male": ("your grandfather", "votre grand-père"),
        None: ("your grandparent", "votre grand-parent"),
    },
    Relation.SIBLING: {
        "female": ("your sister", "votre sœur"),
        "male": ("your brother", "votre frère"),
        None: ("your brother or sister", "votre frère ou sœur"),
    },
    Relation.FRIEND: {None: ("the person you describe", "la personne dont vous parlez")},
    Relation.OTHER: {None: ("the person you describe", "la personne dont vous parlez")},
}


def person_name(subject: Subject, language: Language) -> str:
    """ "your daughter", "votre père", "the person you describe"."""
    by_sex = _NAMES.get(subject.relation) or _NAMES[Relation.OTHER]
    en, fr = by_sex.get(subject.sex) or by_sex.get(None) or _NAMES[Relation.OTHER][None]
    return pick(language, en, fr)


def _age(subject: Subject, language: Language) -> str:
    age = subject.age_years
    if age is None:
        return ""
    if age < 1:
        months = max(1, round(age * 12))
        return pick(language, f" ({months} months old)", f" ({months} mois)")
    years = format_number(float(int(age)), language)
    return pick(language, f" ({years} years old)", f" ({years} ans)")


def about_line(subject: Subject, language: Language) -> str:
    """The first line of advice about someone other than the record's patient."""
    name = person_name(subject, language)
    return pick(
        language,
        f"About {name}{_age(subject, language)}: this advice is for them, from what you describe. Their own "
        "medical record is not open here, so tell the clinician about any conditions, medicines or allergies "
        "they have.",
        f"Pour {name}{_age(subject, language)} : ces conseils sont pour cette personne, d'après ce que vous "
        "décrivez. Son dossier médical n'est pas ouvert ici ; signalez au soignant ses maladies, traitements ou "
        "allergies.",
    )
