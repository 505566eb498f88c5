"""Small talk, help and "I can't help with that" replies: short, warm, and pointing to what works."""

from __future__ import annotations

from assistant.composer.draft import Draft
from assistant.composer.formatting import pick
from assistant.schemas import Language
from assistant.understanding.model import BookingAct

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


def acknowledged(language: Language) -> Draft:
    return Draft(
        text=pick(
            language, "Is there anything else I can help with?", "Puis-je vous aider pour autre chose ?"
        )
    )


def emergency_reminder(language: Language, number: str) -> Draft:
    """One line that keeps an emergency of an earlier turn on top of the reply, without repeating it all."""
    return Draft(
        text=pick(
            language,
            f"The emergency comes first: if help is not on its way yet, call {number} now.",
            f"L'urgence passe avant tout : si les secours ne sont pas encore en route, appelez le {number} maintenant.",
        )
    )


def booking_later(language: Language, act: BookingAct | None) -> Draft:
    """Under an emergency or crisis banner, a visit the patient asked to book, move or cancel is left as it
    is: said in one line, so the request is not passed over and nothing changes while they are unsafe."""
    if act == BookingAct.CANCEL:
        done_en, done_fr, later_en, later_fr = (
            "cancelled",
            "annulé",
            "cancel or move it",
            "l'annuler ou le déplacer",
        )
    elif act == BookingAct.RESCHEDULE:
        done_en, done_fr, later_en, later_fr = "moved", "déplacé", "move it", "le déplacer"
    else:
        done_en, done_fr, later_en, later_fr = "booked", "réservé", "find a slot", "trouver un créneau"
    return Draft(
        text=pick(
            language,
            f"About your appointment: I have not {done_en} anything for now — this comes first. Once it is "
            f"taken care of, ask me again and I will {later_en}.",
            f"Pour votre rendez-vous : je n'ai rien {done_fr} pour l'instant, ceci passe avant. Une fois que "
            f"c'est pris en charge, redemandez-moi et je pourrai {later_fr}.",
        )
    )


def general_advice(language: Language) -> Draft:
    """A general health question without written guidance here: where a reliable answer is."""
    return Draft(
        text=pick(
            language,
            "I don't have written guidance on that question here, and I'd rather not guess. Your GP, practice "
            "nurse or pharmacist can answer it for your situation, and the NHS website (nhs.uk) has reliable "
            "pages on most health topics. I can look things up in your record, help with a symptom, or book "
            "you an appointment to talk it through.",
            "Je n'ai pas de conseils écrits sur cette question ici, et je préfère ne pas deviner. Votre médecin, "
            "votre infirmier ou votre pharmacien peut y répondre pour votre situation, et le site ameli.fr a des "
            "pages fiables sur la plupart des sujets de santé. Je peux chercher dans votre dossier, vous aider "
            "pour un symptôme, ou vous prendre un rendez-vous pour en parler.",
        ),
        guidance=True,
    )


def medicine_general(language: Language) -> Draft:
    """A question about a medicine (what it does, side effects, a missed dose) with no record answer."""
    return Draft(
        text=pick(
            language,
            "For how a medicine works, its side effects or what to do after a missed dose, the leaflet in the "
            "box and your pharmacist are the quickest reliable answers; your pharmacist can also check it "
            "against your other medicines. Please don't change how you take a prescribed medicine without "
            "asking your prescriber.",
            "Pour savoir comment agit un médicament, ses effets indésirables ou que faire après un oubli, la "
            "notice dans la boîte et votre pharmacien sont les réponses fiables les plus rapides ; votre "
            "pharmacien peut aussi vérifier avec vos autres traitements. Ne modifiez pas la prise d'un "
            "médicament prescrit sans l'avis de votre prescripteur.",
        ),
        guidance=True,
    )
