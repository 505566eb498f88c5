"""Every string the patient app shows, in English and French, plus dates in the patient's language.

Kept in one table so a missing translation is a test failure (both languages must have the same keys),
not an English sentence in the middle of a French page. Wording is plain on purpose: short sentences,
everyday words, no abbreviations a patient would have to look up.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from assistant.booking.wording import day_text

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
LANG_NAMES: dict[Lang, str] = {"en": "English", "fr": "Français"}

STRINGS: dict[str, dict[Lang, str]] = {
    "app_title": {"en": "My health assistant", "fr": "Mon assistant santé"},
    "language": {"en": "Language", "fr": "Langue"},
    "page": {"en": "Page", "fr": "Page"},
    "page_chat": {"en": "Chat", "fr": "Discussion"},
    "page_record": {"en": "My record", "fr": "Mon dossier"},
    "page_data": {"en": "My data", "fr": "Mes données"},
    "patient_line": {"en": "Record of {name}", "fr": "Dossier de {name}"},
    "no_patient": {
        "en": "No record is open. Choose a demo patient or open your own file in “My data”.",
        "fr": "Aucun dossier ouvert. Choisissez un patient de démonstration ou ouvrez votre fichier dans « Mes données ».",
    },
    # Where answers come from (the visible privacy note).
    "note_offline": {
        "en": "Answers are written by the offline assistant on this computer. Nothing you type leaves this machine.",
        "fr": "Les réponses sont rédigées par l’assistant hors ligne sur cet ordinateur. Rien de ce que vous écrivez ne quitte cette machine.",
    },
    "note_llm_local": {
        "en": "Answers are written by the language model “{model}” running at {host}, on this machine. Nothing leaves it.",
        "fr": "Les réponses sont rédigées par le modèle de langage « {model} » qui tourne sur {host}, sur cette machine. Rien n’en sort.",
    },
    "note_llm_remote": {
        "en": "Answers are written by the language model “{model}” at {host}. Your questions and parts of your record are sent there, with your name, address, identifiers and birth date replaced by stand-ins.",
        "fr": "Les réponses sont rédigées par le modèle de langage « {model} » sur {host}. Vos questions et des extraits de votre dossier y sont envoyés, avec votre nom, votre adresse, vos identifiants et votre date de naissance remplacés.",
    },
    "note_remote_api": {
        "en": "You are connected to your clinic’s service at {host}. Your messages are sent there.",
        "fr": "Vous êtes connecté au service de votre cabinet sur {host}. Vos messages y sont envoyés.",
    },
    "note_safety": {
        "en": "This assistant does not replace a doctor. It never makes a diagnosis or changes a treatment.",
        "fr": "Cet assistant ne remplace pas un médecin. Il ne pose jamais de diagnostic et ne modifie jamais un traitement.",
    },
    # Chat.
    "chat_placeholder": {
        "en": "Ask about your health or your record…",
        "fr": "Posez une question sur votre santé ou votre dossier…",
    },
    "chat_welcome": {
        "en": "Hello! I can answer questions about your own record (for example “What was my last HbA1c?”), help you decide how soon to see someone about a symptom, and book an appointment.",
        "fr": "Bonjour ! Je peux répondre à vos questions sur votre dossier (par exemple « Quelle était ma dernière HbA1c ? »), vous aider à savoir quand consulter pour un symptôme, et prendre un rendez-vous.",
    },
    "chat_welcome_child": {
        "en": "Hello! I can answer questions about your child’s record (for example “What vaccines are recorded?”), help you decide how soon your child should see someone about a symptom, and book an appointment.",
        "fr": "Bonjour ! Je peux répondre à vos questions sur le dossier de votre enfant (par exemple « Quels vaccins sont enregistrés ? »), vous aider à savoir quand votre enfant doit consulter pour un symptôme, et prendre un rendez-vous.",
    },
    "sources": {"en": "Sources from the record", "fr": "Sources dans le dossier"},
    "source_missing": {
        "en": "This entry is not in the record loaded here ({ref}).",
        "fr": "Cette entrée n’est pas dans le dossier chargé ici ({ref}).",
    },
    "emergency_title": {"en": "Call {call} now", "fr": "Appelez le {call} maintenant"},
    "emergency_banner": {
        "en": "This could be an emergency. Do not wait for an appointment.",
        "fr": "Cela peut être une urgence. N’attendez pas un rendez-vous.",
    },
    "call_button": {"en": "Call {call}", "fr": "Appeler le {call}"},
    "triage_emergency": {"en": "Emergency", "fr": "Urgence vitale"},
    "triage_urgent": {"en": "See a clinician today", "fr": "Consultez un soignant aujourd’hui"},
    "triage_soon": {
        "en": "Book a visit within a few days",
        "fr": "Prenez rendez-vous dans les prochains jours",
    },
    "triage_self_care": {
        "en": "You can look after this at home",
        "fr": "Vous pouvez vous soigner à la maison",
    },
    "slots_title": {"en": "Free appointments — choose one:", "fr": "Rendez-vous libres — choisissez-en un :"},
    "questions_title": {
        "en": "A few questions to advise you better — answer with a button or in your own words",
        "fr": "Quelques questions pour mieux vous conseiller — répondez d’un bouton ou avec vos mots",
    },
    "answer_no": {"en": "No", "fr": "Non"},
    "answer_yes_n": {"en": "Yes to question {n}", "fr": "Oui à la question {n}"},
    "answer_yes_to": {"en": "yes to the {which}", "fr": "oui pour la {which}"},
    "confirm_title": {"en": "Please confirm", "fr": "Merci de confirmer"},
    "booked": {"en": "Booked: {when} — {what}", "fr": "Réservé : {when} — {what}"},
    "cancelled": {"en": "Cancelled: {when} — {what}", "fr": "Annulé : {when} — {what}"},
    "rescheduled": {"en": "Moved to {when} — {what}", "fr": "Déplacé au {when} — {what}"},
    "booking_failed": {"en": "Nothing was booked: {reason}", "fr": "Rien n’a été réservé : {reason}"},
    "refusal": {"en": "I can’t help with that part", "fr": "Je ne peux pas vous aider sur ce point"},
    "error_upstream": {
        "en": "The service did not answer ({detail}). Please try again in a moment.",
        "fr": "Le service n’a pas répondu ({detail}). Réessayez dans un instant.",
    },
    "reply_interrupted": {
        "en": "The reply to this message was interrupted. Send it again if you still need an answer.",
        "fr": "La réponse à ce message a été interrompue. Renvoyez-le si vous avez encore besoin d’une réponse.",
    },
    "new_conversation": {"en": "New conversation", "fr": "Nouvelle conversation"},
    "earlier_conversations": {
        "en": "Earlier conversations ({n})",
        "fr": "Conversations précédentes ({n})",
    },
    "conversation_messages": {"en": "{n} messages", "fr": "{n} messages"},
    "command_refused": {
        "en": "That choice is no longer open, so nothing was booked or changed.",
        "fr": "Ce choix n’est plus d’actualité : rien n’a été réservé ni modifié.",
    },
    # My record.
    "summary": {"en": "Summary", "fr": "Résumé"},
    "conditions": {"en": "Current health problems", "fr": "Problèmes de santé en cours"},
    "medications": {"en": "Current medicines", "fr": "Médicaments en cours"},
    "allergies": {"en": "Allergies", "fr": "Allergies"},
    "immunizations": {"en": "Vaccines", "fr": "Vaccins"},
    "encounters": {"en": "Recent visits", "fr": "Consultations récentes"},
    "more": {"en": "and {n} more", "fr": "et {n} de plus"},
    "none_recorded": {"en": "None recorded.", "fr": "Rien d’enregistré."},
    "trends": {"en": "Trends", "fr": "Évolution"},
    "no_values": {"en": "No values in your record.", "fr": "Aucune valeur dans votre dossier."},
    "usual_range": {"en": "Usual range: {source}", "fr": "Valeurs habituelles : {source}"},
    "implausible_left_out": {
        "en": "{n} value(s) that cannot be right (probably recording errors) are not drawn.",
        "fr": "{n} valeur(s) impossible(s) (probablement des erreurs de saisie) ne sont pas tracée(s).",
    },
    "latest_value": {"en": "Latest: {value} on {date}", "fr": "Dernière valeur : {value} le {date}"},
    "out_of_range_count": {
        "en": "{n} of {total} values outside the usual range.",
        "fr": "{n} valeurs sur {total} hors des valeurs habituelles.",
    },
    "chart_hba1c": {"en": "HbA1c (average blood sugar)", "fr": "HbA1c (sucre moyen dans le sang)"},
    "chart_glucose": {"en": "Blood sugar (glucose)", "fr": "Sucre dans le sang (glycémie)"},
    "chart_blood_pressure": {"en": "Blood pressure", "fr": "Tension artérielle"},
    "chart_weight": {"en": "Weight and BMI", "fr": "Poids et IMC"},
    "chart_cholesterol": {"en": "Cholesterol", "fr": "Cholestérol"},
    "chart_kidney": {"en": "Kidney function", "fr": "Fonction des reins"},
    "chart_alt": {
        "en": "Chart of {title}: {n} values from {first} to {last}.",
        "fr": "Graphique {title} : {n} valeurs du {first} au {last}.",
    },
    "appointments": {"en": "Upcoming appointments", "fr": "Prochains rendez-vous"},
    "no_appointments": {"en": "No upcoming appointment.", "fr": "Aucun rendez-vous à venir."},
    "appointments_unavailable": {
        "en": "Appointments are not available for this record (it is not on the clinic’s server).",
        "fr": "Les rendez-vous ne sont pas disponibles pour ce dossier (il n’est pas sur le serveur du cabinet).",
    },
    "cancel": {"en": "Cancel", "fr": "Annuler"},
    "reschedule": {"en": "Move", "fr": "Déplacer"},
    "goes_to_chat": {
        "en": "The assistant will ask you to confirm in the chat before anything changes.",
        "fr": "L’assistant vous demandera de confirmer dans la discussion avant tout changement.",
    },
    # My data.
    "open_own": {"en": "Open my own health record", "fr": "Ouvrir mon propre dossier"},
    "open_own_help": {
        "en": "A FHIR R4 Bundle exported from your patient portal (a .json file). It stays on this computer.",
        "fr": "Un Bundle FHIR R4 exporté de votre portail patient (fichier .json). Il reste sur cet ordinateur.",
    },
    "upload_ok": {
        "en": "Opened the record of {name}: {total} entries.",
        "fr": "Dossier de {name} ouvert : {total} entrées.",
    },
    "upload_skipped": {
        "en": "{n} entries could not be read and were left out:",
        "fr": "{n} entrées n’ont pas pu être lues et ont été laissées de côté :",
    },
    "upload_failed": {
        "en": "This file could not be opened: {reason}",
        "fr": "Ce fichier n’a pas pu être ouvert : {reason}",
    },
    "choose_demo": {"en": "Choose a demo patient", "fr": "Choisir un patient de démonstration"},
    "open_demo": {"en": "Open this record", "fr": "Ouvrir ce dossier"},
    "fixed_patient": {
        "en": "Your clinic’s service decides whose record you see (your sign-in).",
        "fr": "Le service de votre cabinet décide du dossier affiché (votre connexion).",
    },
    "delete_title": {"en": "Delete my data", "fr": "Supprimer mes données"},
    "delete_help": {
        "en": "Deletes your conversations, the search index of your record and the copy kept in memory. Your record at the clinic is not changed.",
        "fr": "Supprime vos conversations, l’index de recherche de votre dossier et la copie gardée en mémoire. Votre dossier au cabinet n’est pas modifié.",
    },
    "delete_confirm": {"en": "I understand, delete my data", "fr": "J’ai compris, supprimer mes données"},
    "delete_button": {"en": "Delete my data", "fr": "Supprimer mes données"},
    "deleted": {
        "en": "Deleted: {sessions} conversations and {messages} messages; search index removed: {index}.",
        "fr": "Supprimé : {sessions} conversations et {messages} messages ; index de recherche supprimé : {index}.",
    },
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    # Connect my health record (SMART sign-in at a clinic) and consent.
    "connect": {"en": "Connect my health record", "fr": "Connecter mon dossier de santé"},
    "connected_title": {"en": "Your clinic connection", "fr": "Votre connexion au cabinet"},
    "connect_help": {
        "en": "Sign in at your clinic and approve: the assistant then answers from the record the clinic holds. You can disconnect at any time.",
        "fr": "Connectez-vous à votre cabinet et autorisez l’accès : l’assistant répond alors à partir du dossier que le cabinet détient. Vous pouvez vous déconnecter à tout moment.",
    },
    "choose_clinic": {"en": "Your clinic", "fr": "Votre cabinet"},
    "connect_failed": {
        "en": "The connection did not work: {reason}",
        "fr": "La connexion n’a pas abouti : {reason}",
    },
    "connect_refused": {
        "en": "The clinic did not connect your record ({reason}). Nothing was shared.",
        "fr": "Le cabinet n’a pas connecté votre dossier ({reason}). Rien n’a été partagé.",
    },
    "connected_line": {
        "en": "Connected to {clinic} with your sign-in.",
        "fr": "Connecté à {clinic} avec votre identifiant.",
    },
    "connected_as": {
        "en": "Connected to **{clinic}**: record of **{name}**.",
        "fr": "Connecté à **{clinic}** : dossier de **{name}**.",
    },
    "proxy_banner": {
        "en": "You are using the record of your child, {name}, from {clinic}. Answers are about your child.",
        "fr": "Vous utilisez le dossier de votre enfant, {name}, du cabinet {clinic}. Les réponses parlent de votre enfant.",
    },
    "patient_line_child": {"en": "Record of {name} (your child)", "fr": "Dossier de {name} (votre enfant)"},
    "consent_record_title": {
        "en": "May the assistant read this record?",
        "fr": "L’assistant peut-il lire ce dossier ?",
    },
    "consent_record_text": {
        "en": "To answer your questions, the assistant reads your record at {clinic}: problems, medicines, allergies, results, visits, vaccines and appointments. It keeps a search index of it on this computer until you disconnect. Your answer is recorded at the clinic, and you can withdraw it at any time in “My data”.",
        "fr": "Pour répondre à vos questions, l’assistant lit votre dossier chez {clinic} : problèmes, médicaments, allergies, résultats, consultations, vaccins et rendez-vous. Il en garde un index de recherche sur cet ordinateur jusqu’à ce que vous vous déconnectiez. Votre réponse est enregistrée au cabinet, et vous pouvez la retirer à tout moment dans « Mes données ».",
    },
    "consent_record_text_child": {
        "en": "To answer your questions about your child, the assistant reads your child’s record at {clinic}: problems, medicines, allergies, results, visits, vaccines and appointments. It keeps a search index of it on this computer until you disconnect. Your answer is recorded at the clinic, and you can withdraw it at any time in “My data”.",
        "fr": "Pour répondre à vos questions sur votre enfant, l’assistant lit le dossier de votre enfant chez {clinic} : problèmes, médicaments, allergies, résultats, consultations, vaccins et rendez-vous. Il en garde un index de recherche sur cet ordinateur jusqu’à ce que vous vous déconnectiez. Votre réponse est enregistrée au cabinet, et vous pouvez la retirer à tout moment dans « Mes données ».",
    },
    "consent_yes": {"en": "I agree", "fr": "J’accepte"},
    "consent_not_now": {"en": "Not now", "fr": "Pas maintenant"},
    "consent_llm_title": {
        "en": "Send parts of the record to the language model?",
        "fr": "Envoyer des extraits du dossier au modèle de langage ?",
    },
    "consent_llm_text": {
        "en": "Answers here can be written by a language model on another company’s computers. To do that, your questions and the parts of the record they need are sent there, with names, addresses, identifiers and birth dates replaced by stand-ins. If you say no, the assistant on this computer answers instead (nothing is sent).",
        "fr": "Les réponses peuvent être rédigées par un modèle de langage sur les ordinateurs d’une autre entreprise. Pour cela, vos questions et les extraits du dossier nécessaires y sont envoyés, avec les noms, adresses, identifiants et dates de naissance remplacés. Si vous refusez, l’assistant de cet ordinateur répond à la place (rien n’est envoyé).",
    },
    "consent_llm_yes": {"en": "Yes, use the model", "fr": "Oui, utiliser le modèle"},
    "consent_llm_no": {"en": "No, answer on this computer", "fr": "Non, répondre sur cet ordinateur"},
    "consents_title": {
        "en": "Your consents (recorded at the clinic)",
        "fr": "Vos consentements (enregistrés au cabinet)",
    },
    "consent_state_record-access_granted": {
        "en": "The assistant may read this record — agreed on {date}.",
        "fr": "L’assistant peut lire ce dossier — accepté le {date}.",
    },
    "consent_state_record-access_refused": {
        "en": "The assistant may not read this record.",
        "fr": "L’assistant ne peut pas lire ce dossier.",
    },
    "consent_state_record-access_missing": {
        "en": "The assistant may not read this record yet: you have not agreed.",
        "fr": "L’assistant ne peut pas encore lire ce dossier : vous n’avez pas donné votre accord.",
    },
    "consent_state_remote-llm_granted": {
        "en": "Parts of the record may go, pseudonymised, to the language model — agreed on {date}.",
        "fr": "Des extraits du dossier peuvent être envoyés, pseudonymisés, au modèle de langage — accepté le {date}.",
    },
    "consent_state_remote-llm_refused": {
        "en": "Nothing goes to the language model: answers are written on this computer — decided on {date}.",
        "fr": "Rien n’est envoyé au modèle de langage : les réponses sont rédigées sur cet ordinateur — décidé le {date}.",
    },
    "consent_state_remote-llm_missing": {
        "en": "You have not decided about the language model yet.",
        "fr": "Vous n’avez pas encore choisi pour le modèle de langage.",
    },
    "consent_withdraw": {"en": "Withdraw", "fr": "Retirer"},
    "consent_withdrawn": {
        "en": "Withdrawn. The assistant stopped reading the record; it will ask you again before it does.",
        "fr": "Retiré. L’assistant a cessé de lire le dossier ; il vous redemandera avant de le faire.",
    },
    "consent_history": {"en": "Earlier decisions ({n})", "fr": "Décisions précédentes ({n})"},
    "consent_purpose_record-access": {"en": "Reading the record", "fr": "Lecture du dossier"},
    "consent_purpose_remote-llm": {"en": "Language model", "fr": "Modèle de langage"},
    "consent_decision_permit": {"en": "agreed", "fr": "accepté"},
    "consent_decision_deny": {"en": "refused", "fr": "refusé"},
    "consent_inactive": {"en": "withdrawn", "fr": "retiré"},
    "disconnect": {"en": "Disconnect", "fr": "Se déconnecter"},
    "disconnect_help": {
        "en": "Disconnect ends the sign-in at the clinic at once and deletes what this app kept for this record (conversations, search index, the copy in memory). The record at the clinic is not changed.",
        "fr": "Se déconnecter met fin tout de suite à la connexion au cabinet et supprime ce que cette application a gardé pour ce dossier (conversations, index de recherche, copie en mémoire). Le dossier au cabinet n’est pas modifié.",
    },
    "disconnect_confirm": {
        "en": "I understand, disconnect and delete",
        "fr": "J’ai compris, déconnecter et supprimer",
    },
    "disconnected": {
        "en": "Disconnected: the clinic no longer accepts this sign-in. Deleted here: {sessions} conversations and {messages} messages.",
        "fr": "Déconnecté : le cabinet n’accepte plus cette connexion. Supprimé ici : {sessions} conversations et {messages} messages.",
    },
}

_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
}


def as_lang(value: object) -> Lang:
    return "fr" if value == "fr" else "en"


def t(key: str, lang: Lang, /, **values: object) -> str:
    """The string for ``key`` in ``lang`` with ``{placeholders}`` filled; a missing key is a KeyError."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def fmt_date(day: date | None, lang: Lang) -> str:
    """ "Tue 24 Nov 2026" / "mar. 24 nov. 2026"."""
    if day is None:
        return "?"
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def fmt_short_date(day: date | None, lang: Lang) -> str:
    """ "24 Nov 2026" / "24 nov. 2026" (lists and charts)."""
    if day is None:
        return "?"
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def fmt_instant(value: str, lang: Lang, timezone: str) -> str:
    """An appointment time in the clinic's time zone: "Tue 24 Nov 2026, 09:00" (24-hour in both)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    sep = "," if lang == "en" else " à"
    return f"{fmt_date(moment.date(), lang)}{sep} {moment:%H:%M}"


def fmt_spoken(value: str, lang: Lang, timezone: str) -> str:
    """A time as a patient would type it, for messages buttons send on the patient's behalf:
    "Tuesday 24 November at 09:00" / "mardi 24 novembre à 09:00" (full words the assistant parses)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    return f"{day_text(moment.date(), lang)} {'at' if lang == 'en' else 'à'} {moment:%H:%M}"
