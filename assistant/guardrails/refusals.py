"""What the assistant says when it declines: kind, short, and always with something useful to do next.

A bare "I can't help with that" leaves a patient stuck; each category names who can help (the prescriber,
the pharmacist, the clinic) and what the assistant can still do (book a visit, explain the record).
Wording is our own, in the spirit of NHS and ameli.fr patient guidance: never stop or change a treatment
without advice, and in an emergency call the local number. Numbers are never written here: ``{emergency}``
and ``{crisis}`` are filled from the deployment's region (``assistant.region``), so a UK deployment says
999 and 111, a French one 15 and 3114.
"""

from __future__ import annotations

from assistant.region import numbers_for
from assistant.schemas import Language, RefusalCategory

__all__ = ["REFUSAL_TEXTS", "empty_message_text", "oversize_text", "refusal_text"]

REFUSAL_TEXTS: dict[RefusalCategory, dict[Language, str]] = {
    RefusalCategory.OTHER_PATIENT: {
        "en": "I can only look at your own record, so I can't open or share anyone else's health "
        "information. If someone close to you is unwell, I can still go through their symptoms with you "
        "in general terms, or they can sign in with their own account. If you care for them, the clinic "
        "can tell you how to get proxy access.",
        "fr": "Je n'ai accès qu'à votre propre dossier : je ne peux ni ouvrir ni communiquer les données "
        "de santé de quelqu'un d'autre. Si un proche est souffrant, je peux quand même parler de ses "
        "symptômes avec vous de façon générale, ou il peut se connecter avec son propre compte. Si vous "
        "êtes son aidant, le cabinet peut vous expliquer comment obtenir un accès délégué.",
    },
    RefusalCategory.DOSE_CHANGE: {
        "en": "I can't advise starting, stopping or changing a medicine or its dose — that decision "
        "belongs to your prescriber, who knows your whole situation. Please don't change anything "
        "before speaking to them or to a pharmacist. I can book you an appointment, or show you what "
        "your record says about this medicine.",
        "fr": "Je ne peux pas vous conseiller de commencer, d'arrêter ou de modifier un médicament ou "
        "sa dose : c'est une décision à prendre avec votre prescripteur, qui connaît toute votre "
        "situation. Ne changez rien avant d'en avoir parlé avec lui ou avec un pharmacien. Je peux vous "
        "prendre un rendez-vous, ou vous montrer ce que votre dossier indique sur ce médicament.",
    },
    RefusalCategory.PRESCRIPTION: {
        "en": "I can't prescribe or renew medicines. Your doctor can, and for a repeat prescription your "
        "pharmacy or clinic can often help quickly. Would you like me to book an appointment, or list "
        "the medicines currently on your record?",
        "fr": "Je ne peux pas prescrire ni renouveler de médicaments. Votre médecin le peut, et pour un "
        "renouvellement votre pharmacie ou votre cabinet peut souvent aider rapidement. Voulez-vous que "
        "je vous prenne un rendez-vous, ou que je liste les médicaments actuellement dans votre dossier ?",
    },
    RefusalCategory.DIAGNOSIS_CERTAINTY: {
        "en": "I can't tell you for certain whether you have a condition — only a clinician who examines "
        "you and your test results can make a diagnosis. I can explain what your record shows, tell you "
        "how soon to get checked, and book you an appointment.",
        "fr": "Je ne peux pas vous dire avec certitude si vous avez une maladie : seul un soignant qui "
        "vous examine, avec vos résultats, peut poser un diagnostic. Je peux vous expliquer ce que montre "
        "votre dossier, vous dire dans quel délai consulter et vous prendre un rendez-vous.",
    },
    RefusalCategory.OUT_OF_SCOPE: {
        "en": "That's outside what I can help with: I'm here for questions about your health record, "
        "your symptoms and your appointments. Is there something about your health I can help with?",
        "fr": "Cela sort de ce que je peux faire : je suis là pour vos questions sur votre dossier de "
        "santé, vos symptômes et vos rendez-vous. Y a-t-il quelque chose sur votre santé pour lequel je "
        "peux vous aider ?",
    },
    RefusalCategory.INJECTION: {
        "en": "I can't change how I work or share my instructions, but I'm happy to help with your "
        "health record, your symptoms or an appointment.",
        "fr": "Je ne peux pas changer ma façon de fonctionner ni communiquer mes consignes, mais je vous "
        "aide volontiers pour votre dossier, vos symptômes ou un rendez-vous.",
    },
    RefusalCategory.UNSAFE_REQUEST: {
        "en": "I can't help with that. If you are thinking about harming yourself or someone else, "
        "please talk to someone now: call {crisis} (crisis support, free, 24/7); in an emergency call "
        "{emergency}. I can also book you an urgent appointment.",
        "fr": "Je ne peux pas vous aider pour cela. Si vous pensez à vous faire du mal ou à faire du mal "
        "à quelqu'un, parlez-en maintenant : appelez {crisis} (écoute et prévention, gratuit, 24 h/24) ; "
        "en cas d'urgence, {emergency}. Je peux aussi vous prendre un rendez-vous en urgence.",
    },
}


def refusal_text(category: RefusalCategory | str, language: Language, *, region: str = "FR") -> str:
    """The refusal for ``category`` in ``language`` with ``region``'s numbers (an unknown category is a
    programming error)."""
    try:
        texts = REFUSAL_TEXTS[RefusalCategory(category)]
    except ValueError:
        allowed = ", ".join(c.value for c in RefusalCategory)
        raise ValueError(f"unknown refusal category {category!r}; expected one of {allowed}") from None
    if language not in texts:
        raise ValueError(f"unsupported language {language!r}; expected 'en' or 'fr'")
    numbers = numbers_for(region)
    return texts[language].format(
        emergency=numbers.emergency_text(language), crisis=numbers.crisis_text(language)
    )


def oversize_text(length: int, limit: int, language: Language, *, region: str = "FR") -> str:
    """Why an over-long message was not read, and what to do instead."""
    emergency = numbers_for(region).emergency_text(language)
    if language == "fr":
        return (
            f"Votre message fait {length} caractères, au-delà de la limite de {limit}. Pouvez-vous "
            "l'envoyer en plus court, en commençant par ce qui vous inquiète le plus ? En cas d'urgence, "
            f"appelez {emergency}."
        )
    return (
        f"Your message is {length} characters long, over the {limit}-character limit. Could you send a "
        f"shorter one, starting with what worries you most? In an emergency, call {emergency}."
    )


def empty_message_text(language: Language) -> str:
    """What an empty message (nothing left once spaces and invisible characters are removed) gets."""
    if language == "fr":
        return "Votre message est vide. Écrivez votre question ou ce qui vous inquiète, puis envoyez-le."
    return "Your message is empty. Type your question or what is worrying you, then send it."
