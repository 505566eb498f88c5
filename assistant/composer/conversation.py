"""Small talk, help and "I can't help with that" replies: short, warm, and pointing to what works."""

from __future__ import annotations

from assistant.composer.draft import Draft
from assistant.composer.formatting import pick
from assistant.schemas import Language

CAPABILITIES_EN = (
    "I can answer questions about your own health record (for example “what was my last A1c?” or “am I "
    "allergic to anything?”), help you decide where to go with a symptom, give general advice on diabetes, "
    "blood pressure, weight, breathing conditions, vaccines and mental health, and book, move or cancel "
    "appointments with the clinic."
)
CAPABILITIES_FR = (
    "Je peux répondre à vos questions sur votre propre dossier de santé (par exemple « quelle était ma "
    "dernière HbA1c ? » ou « ai-je des allergies ? »), vous aider à savoir où aller pour un symptôme, donner "
    "des conseils généraux sur le diabète, la tension, le poids, les maladies respiratoires, les vaccins et "
    "la santé mentale, et prendre, déplacer ou annuler un rendez-vous avec la clinique."
)


def greeting(language: Language, first_name: str | None = None) -> Draft:
    hello = pick(language, "Hello", "Bonjour") + (f" {first_name}" if first_name else "") + "!"
    return Draft(
        text=f"{hello} {pick(language, CAPABILITIES_EN, CAPABILITIES_FR)} "
        + pick(language, "How can I help?", "Que puis-je faire pour vous ?")
    )


def thanks(language: Language) -> Draft:
    return Draft(
        text=pick(
            language,
            "You're welcome. Anything else I can help with?",
            "Avec plaisir. Puis-je vous aider pour autre chose ?",
        )
    )


def goodbye(language: Language) -> Draft:
    return Draft(text=pick(language, "Goodbye, and take care.", "Au revoir, prenez soin de vous."))


def help_text(language: Language) -> Draft:
    return Draft(text=pick(language, CAPABILITIES_EN, CAPABILITIES_FR))


def not_understood(language: Language) -> Draft:
    return Draft(
        text=pick(
            language,
            "I'm not sure I understood. " + CAPABILITIES_EN + " Could you say it another way?",
            "Je ne suis pas sûr d'avoir compris. " + CAPABILITIES_FR + " Pouvez-vous le dire autrement ?",
        )
    )


def booking_unavailable(language: Language) -> Draft:
    return Draft(
        text=pick(
            language,
            "Booking is not connected in this setup. Please contact the clinic directly to make or change an appointment.",
            "La prise de rendez-vous n'est pas reliée ici. Contactez directement la clinique pour prendre ou "
            "modifier un rendez-vous.",
        )
    )
