"""What the booking flow says, in English and French, with dates in the patient's time zone.

Dates are written the way each language writes them on an appointment card: "Tuesday 1 December at
9:30" and "mardi 1 décembre à 9 h 30". Service names come from the clinic's server (usually in one
language); common specialties get a French name here so a French reply does not switch language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.composer.formatting import MONTHS, WEEKDAYS
from assistant.region import numbers_for
from assistant.schemas import Language

# French names of services, by the service code or SNOMED specialty code the server publishes.
_SERVICE_FR = {
    "general-practice": "consultation de médecine générale",
    "nurse": "consultation infirmière",
    "cardiology": "cardiologie",
    "endocrinology-diabetes": "endocrinologie et diabétologie",
    "paediatrics": "pédiatrie",
    "mental-health": "santé mentale",
    "telehealth": "téléconsultation avec un médecin généraliste",
    "394814009": "médecine générale",
    "394579002": "cardiologie",
    "394583002": "endocrinologie",
    "394537008": "pédiatrie",
    "394587001": "psychiatrie",
}


def when_text(moment: dt.datetime, language: Language, tz: dt.tzinfo) -> str:
    local = moment.astimezone(tz)
    day = WEEKDAYS[language][local.weekday()]
    month = MONTHS[language][local.month - 1]
    if language == "fr":
        clock = f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"
        return f"{day} {local.day} {month} à {clock}"
    return f"{day} {local.day} {month} at {local.hour}:{local.minute:02d}"


def day_text(day: dt.date, language: Language) -> str:
    return f"{WEEKDAYS[language][day.weekday()]} {day.day} {MONTHS[language][day.month - 1]}"


def service_text(service: str, code: str | None, specialty: str | None, language: Language) -> str:
    if language == "fr":
        for key in (code, specialty):
            if key and key in _SERVICE_FR:
                return _SERVICE_FR[key]
    return service


def slot_line(slot: Mapping[str, Any], language: Language, tz: dt.tzinfo) -> str:
    """ "Tuesday 1 December at 9:30 with Dr Julie Leroy (specialist annex)"."""
    start = dt.datetime.fromisoformat(str(slot["start"]))
    text = when_text(start, language, tz)
    if slot.get("practitioner"):
        text += f" {'avec' if language == 'fr' else 'with'} {slot['practitioner']}"
    if slot.get("location"):
        text += f" ({slot['location']})"
    return text


def numbered(slots: Sequence[Mapping[str, Any]], language: Language, tz: dt.tzinfo) -> str:
    return "\n".join(f"{i}. {slot_line(s, language, tz)}" for i, s in enumerate(slots, 1))


def _t(language: Language, en: str, fr: str) -> str:
    return fr if language == "fr" else en


def offer(service: str, slots_text: str, language: Language, *, reschedule: bool = False) -> str:
    if reschedule:
        return _t(
            language,
            f"I can move it to one of these free slots ({service}):\n{slots_text}\n"
            'Which one would suit you? You can say "the first one" or "Thursday at 9".',
            f"Je peux le déplacer sur l'un de ces créneaux libres ({service}) :\n{slots_text}\n"
            "Lequel vous convient ? Vous pouvez dire « le premier » ou « jeudi à 9 h ».",
        )
    return _t(
        language,
        f"Here are the next free slots ({service}):\n{slots_text}\n"
        'Which one would suit you? You can say "the first one" or "Tuesday at 9".',
        f"Voici les prochains créneaux libres ({service}) :\n{slots_text}\n"
        "Lequel vous convient ? Vous pouvez dire « le premier » ou « mardi à 9 h ».",
    )


def none_found(language: Language, when: str | None) -> str:
    if when:
        return _t(
            language,
            f"I found no free slot {when}. Would another day or time suit you?",
            f"Je n'ai trouvé aucun créneau libre {when}. Un autre jour ou un autre moment vous irait-il ?",
        )
    return _t(
        language,
        "I found no free slot in the coming weeks. Please call the clinic to book.",
        "Je n'ai trouvé aucun créneau libre dans les semaines à venir. Merci d'appeler le cabinet.",
    )


def confirm_book(service: str, line: str, language: Language) -> str:
    return _t(
        language,
        f"Shall I book {service} on {line}? Nothing is booked until you answer yes.",
        f"Je réserve : {service}, le {line} ? Rien n'est réservé tant que vous n'avez pas répondu oui.",
    )


def confirm_reschedule(old: str, new: str, language: Language) -> str:
    return _t(
        language,
        f"Shall I move your appointment of {old} to {new}? Nothing changes until you answer yes.",
        f"Je déplace votre rendez-vous du {old} au {new} ? Rien ne change tant que vous n'avez pas répondu oui.",
    )


def confirm_cancel(service: str, line: str, language: Language) -> str:
    return _t(
        language,
        f"Shall I cancel your appointment ({service}) on {line}? Nothing changes until you answer yes.",
        f"J'annule votre rendez-vous ({service}) du {line} ? Rien ne change tant que vous n'avez pas répondu oui.",
    )


def booked(service: str, line: str, language: Language) -> str:
    return _t(
        language,
        f"Done: your appointment ({service}) is booked for {line}.",
        f"C'est fait : votre rendez-vous ({service}) est réservé pour le {line}.",
    )


def rescheduled(new: str, old: str, language: Language, *, old_cancelled: bool) -> str:
    if old_cancelled:
        return _t(
            language,
            f"Done: your appointment is moved to {new}. The one on {old} is cancelled.",
            f"C'est fait : votre rendez-vous est déplacé au {new}. Celui du {old} est annulé.",
        )
    return _t(
        language,
        f"Your new appointment on {new} is booked, but I could not cancel the one on {old}: "
        "you now have both. Please ask me again to cancel it, or call the clinic.",
        f"Votre nouveau rendez-vous du {new} est réservé, mais je n'ai pas pu annuler celui du {old} : "
        "vous avez donc les deux. Redemandez-moi de l'annuler, ou appelez le cabinet.",
    )


def cancelled(service: str, line: str, language: Language) -> str:
    return _t(
        language,
        f"Done: your appointment ({service}) on {line} is cancelled.",
        f"C'est fait : votre rendez-vous ({service}) du {line} est annulé.",
    )


def declined(language: Language) -> str:
    return _t(
        language,
        "All right, nothing has been booked or changed.",
        "Très bien, rien n'a été réservé ni modifié.",
    )


def not_confirmed(summary: str, language: Language) -> str:
    return _t(
        language,
        f"Nothing is booked yet. {summary} Please answer yes or no.",
        f"Rien n'est encore réservé. {summary} Répondez simplement oui ou non.",
    )


def pick_again(slots_text: str, language: Language) -> str:
    return _t(
        language,
        f"I'm not sure which slot you mean. The free slots are:\n{slots_text}\n"
        'Say for example "the second one".',
        f"Je ne suis pas sûr du créneau que vous voulez. Les créneaux libres sont :\n{slots_text}\n"
        "Dites par exemple « le deuxième ».",
    )


def taken(line: str, alternatives: str | None, language: Language) -> str:
    if alternatives:
        return _t(
            language,
            f"Sorry, the slot on {line} was taken a moment ago, so nothing was booked. "
            f"The next free slots are:\n{alternatives}\nWhich one would suit you?",
            f"Désolé, le créneau du {line} vient d'être pris : rien n'a été réservé. "
            f"Les prochains créneaux libres sont :\n{alternatives}\nLequel vous convient ?",
        )
    return _t(
        language,
        f"Sorry, the slot on {line} was taken a moment ago, so nothing was booked, "
        "and I found no other free slot nearby.",
        f"Désolé, le créneau du {line} vient d'être pris : rien n'a été réservé, "
        "et je n'ai pas trouvé d'autre créneau libre proche.",
    )


def server_down(language: Language, *, unknown: bool) -> str:
    if unknown:
        return _t(
            language,
            "The clinic's booking system did not answer in time, so I cannot tell yet whether the booking "
            "went through. Answer yes again in a moment: I will check and finish it without booking twice.",
            "Le système de réservation du cabinet n'a pas répondu à temps : je ne sais pas encore si la "
            "réservation a abouti. Répondez oui à nouveau dans un instant : je vérifierai et la terminerai "
            "sans réserver deux fois.",
        )
    return _t(
        language,
        "The clinic's booking system is not working right now, so nothing was booked or changed. "
        "Answer yes again in a few minutes to retry, or call the clinic.",
        "Le système de réservation du cabinet ne fonctionne pas pour le moment : rien n'a été réservé "
        "ni modifié. Répondez oui à nouveau dans quelques minutes pour réessayer, ou appelez le cabinet.",
    )


def upcoming(lines: Sequence[str], language: Language) -> str:
    if not lines:
        return _t(
            language,
            "You have no upcoming appointment. Would you like me to find one?",
            "Vous n'avez aucun rendez-vous à venir. Voulez-vous que je vous en trouve un ?",
        )
    head = _t(language, f"Your next appointment: {lines[0]}.", f"Votre prochain rendez-vous : {lines[0]}.")
    if len(lines) == 1:
        return head
    rest = "\n".join(f"- {line}" for line in lines[1:])
    return head + _t(language, f"\nAfter that:\n{rest}", f"\nEnsuite :\n{rest}")


def which_appointment(lines: Sequence[str], language: Language, *, action: str) -> str:
    listed = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
    verb_en = "cancel" if action == "cancel" else "move"
    verb_fr = "annuler" if action == "cancel" else "déplacer"
    return _t(
        language,
        f"Which appointment should I {verb_en}?\n{listed}",
        f"Quel rendez-vous dois-je {verb_fr} ?\n{listed}",
    )


def no_appointment(language: Language, day: str | None) -> str:
    if day:
        return _t(
            language,
            f"I can't find an appointment of yours on {day}, so nothing was changed.",
            f"Je ne trouve pas de rendez-vous le {day} : rien n'a été modifié.",
        )
    return _t(
        language,
        "You have no upcoming appointment, so there is nothing to change.",
        "Vous n'avez aucun rendez-vous à venir : il n'y a rien à modifier.",
    )


def urgent_intro(language: Language) -> str:
    return _t(
        language,
        "You should be seen today. These are the earliest free slots:",
        "Vous devriez être vu(e) aujourd'hui. Voici les premiers créneaux libres :",
    )


def soon_intro(language: Language) -> str:
    return _t(
        language,
        "It would be wise to see a clinician in the next few days. These are the earliest free slots:",
        "Il serait prudent de consulter dans les prochains jours. Voici les premiers créneaux libres :",
    )


def urgent_none(language: Language, region: str = "FR") -> str:
    numbers = numbers_for(region)  # the one region table: no number is written here
    return _t(
        language,
        f"I found no free slot today: please call the clinic or {numbers.out_of_hours_text('en')} now, "
        f"and {numbers.emergency_text('en')} if it gets worse.",
        "Je n'ai trouvé aucun créneau libre aujourd'hui : appelez dès maintenant le cabinet ou "
        f"{numbers.out_of_hours_text('fr')}, et {numbers.emergency_text('fr')} si cela s'aggrave.",
    )


def pick_prompt(language: Language) -> str:
    return _t(
        language,
        'Tell me which one suits you (for example "the first one") and I will ask you to confirm.',
        "Dites-moi lequel vous convient (par exemple « le premier ») et je vous demanderai de confirmer.",
    )


def emergency(language: Language) -> str:
    return _t(
        language,
        "This needs the emergency number now, not an appointment.",
        "Cela relève du numéro d'urgence maintenant, pas d'un rendez-vous.",
    )


def not_available(language: Language) -> str:
    return _t(
        language,
        "I can't reach the clinic's booking system right now. Please try again later or call the clinic.",
        "Je n'arrive pas à joindre le système de réservation du cabinet. Réessayez plus tard ou appelez "
        "le cabinet.",
    )
