"""What the booking flow says, in English and French, with dates in the patient's time zone.

Dates are written the way each language writes them on an appointment card: "Tuesday 1 December at
9:30" and "mardi 1 décembre à 9 h 30". Service names come from the clinic's server (usually in one
language); common specialties get a French name here so a French reply does not switch language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.booking.state import HeldAppointment, OfferedSlot, SlotRequest
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


def slot_line(item: OfferedSlot | HeldAppointment, language: Language, tz: dt.tzinfo) -> str:
    """ "Tuesday 1 December at 9:30 with Dr Julie Leroy (specialist annex)" — the full date, as
    on the slot's button and in every sentence about it."""
    start = item.starts
    text = (
        when_text(start, language, tz)
        if start is not None
        else _t(language, "(time unknown)", "(heure inconnue)")
    )
    if item.practitioner:
        text += f" {'avec' if language == 'fr' else 'with'} {item.practitioner}"
    if item.location:
        text += f" ({item.location})"
    return text


def _t(language: Language, en: str, fr: str) -> str:
    return fr if language == "fr" else en


def clock_text(value: dt.time, language: Language) -> str:
    if language == "fr":
        return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"
    return f"{value.hour}:{value.minute:02d}"


_PART_OF_DAY = {
    "morning": ("in the morning", "le matin"),
    "afternoon": ("in the afternoon", "l'après-midi"),
    "evening": ("in the evening", "en soirée"),
}


def describe(request: SlotRequest, language: Language, who: str | None = None) -> str:
    """What the patient asked for, as words: "on Saturday 5 December in the afternoon, after 14:00,
    with Dr Claire Martin". ``who`` is the named clinician's display name."""
    parts: list[str] = []
    if request.first_day is not None and request.last_day is not None:
        first, last = request.first_day, request.last_day - dt.timedelta(days=1)
        if first == last:
            parts.append(_t(language, f"on {day_text(first, language)}", f"le {day_text(first, language)}"))
        else:
            parts.append(
                _t(
                    language,
                    f"between {day_text(first, language)} and {day_text(last, language)}",
                    f"entre le {day_text(first, language)} et le {day_text(last, language)}",
                )
            )
    redundant = request.clock is not None or (
        request.time_of_day == "afternoon" and request.earliest is not None and request.earliest.hour >= 12
    )
    if request.time_of_day is not None and not redundant:
        en, fr = _PART_OF_DAY[request.time_of_day]
        parts.append(_t(language, en, fr))
    if request.earliest is not None:
        parts.append(_t(language, "after ", "après ") + clock_text(request.earliest, language))
    if request.latest is not None:
        parts.append(_t(language, "before ", "avant ") + clock_text(request.latest, language))
    if request.clock is not None:
        parts.append(_t(language, "at ", "à ") + clock_text(request.clock, language))
    if who:
        parts.append(_t(language, f"with {who}", f"avec {who}"))
    elif request.gender == "female":
        parts.append(_t(language, "with a woman doctor", "avec une femme médecin"))
    elif request.gender == "male":
        parts.append(_t(language, "with a male doctor", "avec un homme médecin"))
    if request.kind == "video":
        parts.append(_t(language, "by video", "en vidéo"))
    return " ".join(parts)


def offers_intro(
    service: str,
    asked: str,
    relaxed: Sequence[str],
    language: Language,
    *,
    reschedule: bool = False,
    who: str | None = None,
) -> str:
    """The sentence above the slot buttons. When nothing matched the request as asked, it says so
    and what the offers are instead, in the same reply: a request never ends without a choice."""
    pick = _t(
        language,
        "Choose one below, or tell me another day or time.",
        "Choisissez-en un ci-dessous, ou indiquez-moi un autre jour ou un autre moment.",
    )
    if not relaxed:
        if reschedule:
            head = _t(
                language,
                f"I can move it to one of these free slots{' ' + asked if asked else ''} ({service}).",
                f"Je peux le déplacer sur l'un de ces créneaux libres{' ' + asked if asked else ''} ({service}).",
            )
        elif asked:
            head = _t(language, f"Free slots {asked} ({service}).", f"Créneaux libres {asked} ({service}).")
        else:
            head = _t(
                language, f"The next free slots ({service}).", f"Les prochains créneaux libres ({service})."
            )
        return f"{head} {pick}"
    if "who" in relaxed and who:
        missing = _t(
            language,
            f"{who} has no free slot{' ' + asked if asked else ' in the coming weeks'}.",
            f"{who} n'a aucun créneau libre{' ' + asked if asked else ' dans les semaines à venir'}.",
        )
    elif "who" in relaxed:
        missing = _t(
            language,
            f"I found no free slot {asked}."
            if asked
            else "I found no free slot with the doctor you asked for.",
            f"Je n'ai trouvé aucun créneau libre {asked}."
            if asked
            else "Je n'ai trouvé aucun créneau libre avec le médecin demandé.",
        )
    else:
        missing = _t(
            language, f"I found no free slot {asked}.", f"Je n'ai trouvé aucun créneau libre {asked}."
        )
    if "who" in relaxed:
        instead = _t(
            language,
            f"These are the nearest free slots with another clinician ({service}).",
            f"Voici les créneaux libres les plus proches avec un autre soignant ({service}).",
        )
    elif "days" in relaxed and "time" in relaxed:
        instead = _t(
            language,
            f"These are the nearest free slots on other days and at other times ({service}).",
            f"Voici les créneaux libres les plus proches, d'autres jours et à d'autres heures ({service}).",
        )
    elif "days" in relaxed:
        instead = _t(
            language,
            f"These are the nearest free slots before and after ({service}).",
            f"Voici les créneaux libres les plus proches, avant et après ({service}).",
        )
    else:
        instead = _t(
            language,
            f"These are the nearest free times ({service}).",
            f"Voici les horaires libres les plus proches ({service}).",
        )
    return f"{missing} {instead} {pick}"


def none_found(language: Language) -> str:
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
        f"Do you want to cancel your appointment ({service}) on {line}? Answer “Cancel the appointment” "
        "or “Keep it”. Nothing changes until you choose.",
        f"Voulez-vous annuler votre rendez-vous ({service}) du {line} ? Répondez « Annuler le rendez-vous » "
        "ou « Le garder ». Rien ne change tant que vous n'avez pas choisi.",
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


def not_confirmed(summary: str, language: Language, *, operation: str = "book") -> str:
    if operation == "cancel":
        return _t(
            language,
            f"Nothing has changed yet. {summary}",
            f"Rien n'a encore changé. {summary}",
        )
    return _t(
        language,
        f"Nothing is booked yet. {summary} Please answer yes or no.",
        f"Rien n'est encore réservé. {summary} Répondez simplement oui ou non.",
    )


def kept(line: str, language: Language) -> str:
    return _t(
        language,
        f"All right, your appointment on {line} is kept; nothing has changed.",
        f"Très bien, votre rendez-vous du {line} est maintenu : rien n'a changé.",
    )


def pick_again(language: Language) -> str:
    return _t(
        language,
        "I'm not sure which slot you mean. Choose one of the free slots below, for example "
        "“the second one” or “the 9 o'clock one”.",
        "Je ne suis pas sûr du créneau que vous voulez. Choisissez l'un des créneaux libres ci-dessous, "
        "par exemple « le deuxième » ou « celui de 9 h ».",
    )


def taken(line: str, alternatives: bool, language: Language) -> str:
    if alternatives:
        return _t(
            language,
            f"Sorry, the slot on {line} was taken a moment ago, so nothing was booked. "
            "The nearest free slots are below: which one would suit you?",
            f"Désolé, le créneau du {line} vient d'être pris : rien n'a été réservé. "
            "Les créneaux libres les plus proches sont ci-dessous : lequel vous convient ?",
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
        "Choose one below (or say “the first one”) and I will ask you to confirm.",
        "Choisissez-en un ci-dessous (ou dites « le premier ») et je vous demanderai de confirmer.",
    )


def which_appointment_again(language: Language) -> str:
    return _t(
        language,
        "I'm not sure which appointment you mean: say “the first one”, or give its day.",
        "Je ne suis pas sûr du rendez-vous dont vous parlez : dites « le premier », ou donnez son jour.",
    )


def not_pending(language: Language) -> str:
    return _t(
        language,
        "That choice is no longer open, so nothing was booked or changed.",
        "Ce choix n'est plus d'actualité : rien n'a été réservé ni modifié.",
    )


# What a button press reads as in the conversation's history, in the patient's words.
def said_confirm(operation: str, language: Language) -> str:
    return {
        "book": _t(language, "Yes, book it", "Oui, réservez-le"),
        "reschedule": _t(language, "Yes, move it", "Oui, déplacez-le"),
        "cancel": _t(language, "Cancel the appointment", "Annuler le rendez-vous"),
    }.get(operation, _t(language, "Yes", "Oui"))


def said_decline(operation: str, language: Language) -> str:
    return {
        "book": _t(language, "No, don't book", "Non, ne réservez pas"),
        "reschedule": _t(language, "No, keep the current time", "Non, gardez l'horaire actuel"),
        "cancel": _t(language, "Keep it", "Le garder"),
    }.get(operation, _t(language, "No", "Non"))


def said_choose(line: str, language: Language) -> str:
    return _t(language, f"I'll take {line}", f"Je prends le {line}")


def said_cancel(line: str, language: Language) -> str:
    return _t(language, f"Cancel my appointment on {line}", f"Annuler mon rendez-vous du {line}")


def said_move(line: str, language: Language) -> str:
    return _t(language, f"Move my appointment on {line}", f"Déplacer mon rendez-vous du {line}")


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
