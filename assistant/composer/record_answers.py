"""Answers to questions about the patient's own record, built from exact queries and retrieval.

Every fact in these answers comes from a ``Reading`` or a ``Card`` and is cited to the resource it came
from, so the output guard can check each number and date against that resource. No language model is
involved: this is the offline backend, and also what replaces an LLM reply that fails a check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.composer.draft import CitationList, Draft
from assistant.composer.formatting import format_date, format_number, format_unit, join_words, pick
from assistant.composer.intents import Intents
from assistant.composer.naming import card_name, clean_display, explanation, lower_first, reading_name
from assistant.schemas import Language
from retrieval import Card, ConceptMap, Reading, RecordQueries, RecordRetriever, UnknownConcept, build_cards
from retrieval.concepts import Concept
from retrieval.query_dates import date_hint

MAX_LISTED = 8
RELEVANT_SIMILARITY = 0.45
# Social and administrative "conditions" Synthea records (employment, stress, education...) are real
# entries but not health problems a patient means by "my conditions"; they stay searchable.
_NOT_A_HEALTH_PROBLEM = (
    "employment", "education", "social", "stress", "housing", "criminal", "unemployed", "isolation",
    "transport", "medication review", "received higher", "limited social", "reports of violence",
    "not in labor force", "part-time", "full-time", "misuses drugs", "intimate partner",
)  # fmt: skip


@dataclass(frozen=True)
class RecordContext:
    """What the record answers read: the patient's queries, optional index, and today's date."""

    queries: RecordQueries
    concepts: ConceptMap
    intents: Intents
    patient_id: str
    today: date
    retriever: RecordRetriever | None = None


def reading_value(reading: Reading, language: Language) -> str:
    """The value as a lab sheet shows it: "7.26 %", "164.5/111.7 mmHg", in French "7,26 %"."""
    if reading.components:
        syst = next((c for c in reading.components if any(x.code == "8480-6" for x in c.codes)), None)
        dias = next((c for c in reading.components if any(x.code == "8462-4" for x in c.codes)), None)
        if syst is not None and dias is not None and _num(syst) is not None and _num(dias) is not None:
            return (
                f"{format_number(_num(syst) or 0, language)}/{format_number(_num(dias) or 0, language)} mmHg"
            )
        return "; ".join(f"{clean_display(c.name)} {reading_value(c, language)}" for c in reading.components)
    if reading.value is None:
        return pick(language, "no value recorded", "aucune valeur enregistrée")
    if isinstance(reading.value, str):
        return reading.value
    unit = format_unit(reading.unit)
    number = format_number(reading.value, language)
    return f"{number} {unit}".strip()


def _num(reading: Reading) -> float | None:
    return reading.value if isinstance(reading.value, (int, float)) else None


def _headline_number(reading: Reading) -> float | None:
    """The number a trend is judged on: the value, or the systolic (top) number of a blood pressure."""
    if reading.components:
        syst = next((c for c in reading.components if any(x.code == "8480-6" for x in c.codes)), None)
        return _num(syst) if syst else None
    return _num(reading)


def _flag_text(reading: Reading, language: Language) -> str:
    flag = reading.flag or next((c.flag for c in reading.components if c.flag), None)
    reference = reading.range_text
    if reading.components:
        # A panel (blood pressure) is judged on each part: name every part's usual range, not just one.
        ordered = sorted(reading.components, key=lambda c: not any(x.code == "8480-6" for x in c.codes))
        parts = [c.range_text for c in ordered if c.range_text]
        reference = "; ".join(dict.fromkeys(parts)) or reference
    if flag is None:
        if reference:
            return pick(
                language,
                f"within the usual range ({reference})",
                f"dans les valeurs habituelles ({reference})",
            )
        return ""
    words = {
        "high": ("above the usual range", "au-dessus des valeurs habituelles"),
        "low": ("below the usual range", "en dessous des valeurs habituelles"),
    }.get(flag, ("outside the usual range", "en dehors des valeurs habituelles"))
    text = pick(language, *words)
    return f"{text} ({reference})" if reference else text


def _label(reading: Reading, concepts: ConceptMap) -> str:
    when = f" ({reading.date.isoformat()})" if reading.date else ""
    return f"{reading_name(reading, concepts, 'en')} {reading_value(reading, 'en')}{when}"


def _card_label(card: Card) -> str:
    return card.title


class RecordAnswers:
    """Chooses and writes the answer for one record question."""

    def __init__(self, ctx: RecordContext) -> None:
        self.ctx = ctx

    def answer(self, text: str, language: Language) -> Draft | None:
        """The answer, or ``None`` when the message is not something the record can answer."""
        intents = self.ctx.intents
        wants = set(
            intents.which(
                text,
                [
                    "allergies",
                    "medications",
                    "conditions",
                    "vaccines",
                    "visits",
                    "procedures",
                    "billing",
                    "care_plans",
                    "goals",
                    "demographics",
                ],
            )
        )
        concepts = self.ctx.concepts.find(text)
        measured = [c for c in concepts if self._has_readings(c)]
        if measured:
            return self.measurement(text, measured, language)
        medicine = [c for c in concepts if self._medication_cards(c)]
        if medicine:
            return self.medicine(medicine[0], language)
        if "allergies" in wants:
            return self.allergies(language)
        if "vaccines" in wants:
            return self.vaccines(text, language)
        if "medications" in wants:
            return self.medications(language)
        if "visits" in wants:
            return self.visits(text, language)
        if "procedures" in wants:
            return self.listed_cards(text, "Procedure", language)
        if "goals" in wants:
            return self.listed_cards(text, "Goal", language)
        if "care_plans" in wants:
            return self.listed_cards(text, "CarePlan", language)
        if "demographics" in wants:
            return self.demographics(language)
        if "billing" in wants:
            return self.billing(language)
        if "conditions" in wants:
            return self.conditions(language)
        unmeasured = [c for c in concepts if c.codes and not self._condition_cards(c)]
        if unmeasured and intents.has(text, "record_words"):
            entries = self._coded_cards(unmeasured[0])
            if entries:
                return self.coded_entries(unmeasured[0], entries, language)
            return self.not_found(unmeasured[0], language)
        conditions = [c for c in concepts if self._condition_cards(c)]
        if conditions and intents.has(text, "record_words"):
            return self.condition(conditions[0], language)
        if intents.has(text, "record_words") and self.ctx.retriever is not None:
            return self.search(text, language)
        return None

    # -- measurements -------------------------------------------------------------------------------

    def _has_readings(self, concept: Concept) -> bool:
        try:
            return bool(self.ctx.queries.series(concept.key))
        except UnknownConcept:
            return False

    def measurement(self, text: str, concepts: Sequence[Concept], language: Language) -> Draft:
        intents = self.ctx.intents
        if intents.has(text, "trend") or (date_hint(text) is not None and not intents.has(text, "latest")):
            return self.trend(text, concepts[0], language)
        if intents.has(text, "out_of_range") and not intents.has(text, "latest"):
            return self.out_of_range(concepts[0], language)
        return self.latest(concepts[:2], language)

    def latest(self, concepts: Sequence[Concept], language: Language) -> Draft:
        cites = CitationList()
        parts: list[str] = []
        read: list[str] = []
        for concept in concepts:
            for reading in self.ctx.queries.latest(concept.key)[:2]:
                read.append(reading.ref)
                parts.append(self._latest_sentence(reading, concept, cites, language))
        intro = explanation(concepts[0].key, self.ctx.concepts, language)
        text = " ".join(parts)
        if intro:
            name = concepts[0].fr if language == "fr" else concepts[0].en
            text += " " + pick(language, f"({name} is {intro}.)", f"({name} : {intro}.)")
        text += " " + pick(
            language,
            "Your care team can tell you what this means for you.",
            "Votre équipe soignante peut vous dire ce que cela signifie pour vous.",
        )
        return Draft(text=text.strip(), citations=cites.items, resources_read=read)

    def _latest_sentence(
        self, reading: Reading, concept: Concept, cites: CitationList, language: Language
    ) -> str:
        marker = cites.cite(reading.ref, _label(reading, self.ctx.concepts))
        name = reading_name(reading, self.ctx.concepts, language)
        value = reading_value(reading, language)
        when = (
            format_date(reading.date, language)
            if reading.date
            else pick(language, "an unknown date", "une date inconnue")
        )
        judged = _flag_text(reading, language)
        sentence = pick(
            language,
            f"Your most recent {lower_first(name)} was {value} on {when} {marker}",
            f"Votre dernier résultat ({name}) était {value} le {when} {marker}",
        )
        if judged:
            sentence += pick(language, f", {judged}.", f", {judged}.")
        else:
            sentence += "."
        return sentence

    def trend(self, text: str, concept: Concept, language: Language) -> Draft:
        hint = date_hint(text)
        since = hint.start if hint else None
        until = hint.end if hint else None
        series = self.ctx.queries.series(concept.key, since, until)
        name = concept.fr if language == "fr" else concept.en
        if not series:
            period = self._period(since, until, language)
            return Draft(
                text=pick(
                    language,
                    f"I found no {name} results in your record{period}.",
                    f"Je n'ai trouvé aucun résultat de {name} dans votre dossier{period}.",
                )
            )
        cites = CitationList()
        first, last = series[0], series[-1]
        previous = series[-2] if len(series) > 1 else None
        out = [r for r in series if r.out_of_range]
        when_last = format_date(last.date, language) if last.date else "?"
        sentences = [
            pick(
                language,
                f"Your {lower_first(name)} has been measured {len(series)} times"
                f"{self._period(since, until, language) or self._since(first, language)}.",
                f"Mesure « {name} » : {len(series)} valeurs"
                f"{self._period(since, until, language) or self._since(first, language)}.",
            ),
            pick(
                language,
                f"The most recent value was {reading_value(last, language)} on {when_last} "
                f"{cites.cite(last.ref, _label(last, self.ctx.concepts))}",
                f"La valeur la plus récente était {reading_value(last, language)} le {when_last} "
                f"{cites.cite(last.ref, _label(last, self.ctx.concepts))}",
            )
            + (f", {_flag_text(last, language)}." if _flag_text(last, language) else "."),
        ]
        if previous is not None and previous.date:
            sentences.append(
                pick(
                    language,
                    f"The one before was {reading_value(previous, language)} on "
                    f"{format_date(previous.date, language)} {cites.cite(previous.ref, _label(previous, self.ctx.concepts))}.",
                    f"La précédente était {reading_value(previous, language)} le "
                    f"{format_date(previous.date, language)} {cites.cite(previous.ref, _label(previous, self.ctx.concepts))}.",
                )
            )
        if len(series) > 2 and first.date:
            direction = _direction(first, last, language)
            sentences.append(
                pick(
                    language,
                    f"Compared with the first value in this period, {reading_value(first, language)} on "
                    f"{format_date(first.date, language)} {cites.cite(first.ref, _label(first, self.ctx.concepts))}, "
                    f"it has {direction}.",
                    f"Par rapport à la première valeur de la période, {reading_value(first, language)} le "
                    f"{format_date(first.date, language)} {cites.cite(first.ref, _label(first, self.ctx.concepts))}, "
                    f"elle {direction}.",
                )
            )
        if out:
            sentences.append(
                pick(
                    language,
                    f"{len(out)} of the {len(series)} values were outside the usual range.",
                    f"{len(out)} des {len(series)} valeurs étaient en dehors des valeurs habituelles.",
                )
            )
        sentences.append(
            pick(
                language,
                "The chart in “My record” shows every value; your care team can explain what the trend means for you.",
                "Le graphique de « Mon dossier » montre toutes les valeurs ; votre équipe soignante peut vous "
                "expliquer ce que cette évolution signifie pour vous.",
            )
        )
        return Draft(text=" ".join(sentences), citations=cites.items, resources_read=[r.ref for r in series])

    def out_of_range(self, concept: Concept, language: Language) -> Draft:
        series = self.ctx.queries.series(concept.key)
        out = [r for r in series if r.out_of_range]
        name = concept.fr if language == "fr" else concept.en
        if not out:
            latest = self.latest([concept], language)
            latest.text = (
                pick(
                    language,
                    f"None of your {len(series)} {name} results were flagged outside the usual range. ",
                    f"Aucun de vos {len(series)} résultats de {name} n'était en dehors des valeurs habituelles. ",
                )
                + latest.text
            )
            return latest
        cites = CitationList()
        shown = out[-5:]
        items = [
            f"{reading_value(r, language)} "
            f"({format_date(r.date, language) if r.date else '?'}) {cites.cite(r.ref, _label(r, self.ctx.concepts))}"
            for r in reversed(shown)
        ]
        text = pick(
            language,
            f"{len(out)} of your {len(series)} {name} results were outside the usual range. The most recent: "
            f"{join_words(items, language)}.",
            f"{len(out)} de vos {len(series)} résultats de {name} étaient en dehors des valeurs habituelles. "
            f"Les plus récents : {join_words(items, language)}.",
        )
        text += " " + pick(
            language,
            "Your care team can tell you whether these need any change in your care.",
            "Votre équipe soignante peut vous dire si cela demande un changement dans votre suivi.",
        )
        return Draft(text=text, citations=cites.items, resources_read=[r.ref for r in series])

    def _period(self, since: date | None, until: date | None, language: Language) -> str:
        if since and until:
            return pick(
                language,
                f" between {format_date(since, language)} and {format_date(until, language)}",
                f" entre le {format_date(since, language)} et le {format_date(until, language)}",
            )
        if since:
            return pick(
                language,
                f" since {format_date(since, language)}",
                f" depuis le {format_date(since, language)}",
            )
        if until:
            return pick(
                language,
                f" before {format_date(until, language)}",
                f" avant le {format_date(until, language)}",
            )
        return ""

    def _since(self, first: Reading, language: Language) -> str:
        if not first.date:
            return ""
        return pick(language, f" since {first.date.year}", f" depuis {first.date.year}")

    # -- lists --------------------------------------------------------------------------------------

    def _list(
        self, cards: Sequence[Card], language: Language, *, describe: bool = True
    ) -> tuple[list[str], CitationList]:
        cites = CitationList()
        lines = []
        for card in cards[:MAX_LISTED]:
            name = card_name(card, self.ctx.concepts, language)
            marker = cites.cite(card.ref, _card_label(card))
            since = (
                pick(
                    language,
                    f" (since {format_date(card.date, language)})",
                    f" (depuis le {format_date(card.date, language)})",
                )
                if card.date and describe
                else ""
            )
            lines.append(f"- {name}{since} {marker}")
        return lines, cites

    def allergies(self, language: Language) -> Draft:
        cards = self.ctx.queries.allergies()
        if not cards:
            return Draft(
                text=pick(
                    language,
                    "Your record lists no allergies or intolerances. If you know of one, tell your care team so "
                    "it can be added.",
                    "Votre dossier ne mentionne aucune allergie ni intolérance. Si vous en connaissez une, "
                    "signalez-la à votre équipe soignante pour qu'elle soit ajoutée.",
                )
            )
        cites = CitationList()
        lines = []
        for card in cards[:MAX_LISTED]:
            name = card_name(card, self.ctx.concepts, language)
            marker = cites.cite(card.ref, _card_label(card))
            detail = _allergy_detail(card, language)
            lines.append(f"- {name}{detail} {marker}")
        more = _more(len(cards), language)
        text = (
            pick(
                language,
                f"Your record lists {len(cards)} allerg{'y' if len(cards) == 1 else 'ies'} or intolerance"
                f"{'' if len(cards) == 1 else 's'}:",
                f"Votre dossier mentionne {len(cards)} allergie{'' if len(cards) == 1 else 's'} ou intolérance"
                f"{'' if len(cards) == 1 else 's'} :",
            )
            + "\n"
            + "\n".join(lines)
            + more
        )
        text += "\n" + pick(
            language,
            "Always mention them before a new medicine or procedure.",
            "Signalez-les toujours avant un nouveau médicament ou un soin.",
        )
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def medications(self, language: Language) -> Draft:
        cards = sorted(self.ctx.queries.medications(), key=lambda c: c.date or date.min, reverse=True)
        if not cards:
            return Draft(
                text=pick(
                    language,
                    "Your record shows no medicines currently prescribed.",
                    "Votre dossier ne montre aucun médicament prescrit actuellement.",
                )
            )
        cites = CitationList()
        lines = []
        for card in cards[:MAX_LISTED]:
            name = card_name(card, self.ctx.concepts, language)
            marker = cites.cite(card.ref, _card_label(card))
            dosage = str(card.extra.get("dosage") or "").strip()
            how = (
                pick(language, f" — as written: “{dosage}”", f" — posologie notée : « {dosage} »")
                if dosage
                else ""
            )
            since = (
                pick(
                    language,
                    f" (prescribed {format_date(card.date, language)})",
                    f" (prescrit le {format_date(card.date, language)})",
                )
                if card.date
                else ""
            )
            lines.append(f"- {name}{since}{how} {marker}")
        text = (
            pick(
                language,
                f"Your record lists {len(cards)} medicine{'' if len(cards) == 1 else 's'} currently prescribed:",
                f"Votre dossier mentionne {len(cards)} médicament{'' if len(cards) == 1 else 's'} prescrit"
                f"{'' if len(cards) == 1 else 's'} actuellement :",
            )
            + "\n"
            + "\n".join(lines)
            + _more(len(cards), language)
            + "\n"
            + pick(
                language,
                "Take them as your prescriber told you; any change should be decided with them.",
                "Prenez-les comme votre prescripteur vous l'a indiqué ; tout changement se décide avec lui.",
            )
        )
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def _medication_cards(self, concept: Concept) -> list[Card]:
        return [c for c in self.ctx.queries.medications(active_only=False) if c.concept == concept.key]

    def medicine(self, concept: Concept, language: Language) -> Draft:
        cards = sorted(self._medication_cards(concept), key=lambda c: c.date or date.min)
        active = [c for c in cards if c.category == "active" or c.status in ("active", "on-hold")]
        card = (active or cards)[-1]
        cites = CitationList()
        marker = cites.cite(card.ref, _card_label(card))
        name = card_name(card, self.ctx.concepts, language)
        what = explanation(concept.key, self.ctx.concepts, language)
        started = format_date(cards[0].date, language) if cards[0].date else None
        first_marker = cites.cite(cards[0].ref, _card_label(cards[0])) if cards[0] is not card else marker
        if active:
            text = pick(
                language,
                f"Your record shows {name} as currently prescribed {marker}",
                f"Votre dossier indique que {name} vous est actuellement prescrit {marker}",
            )
        else:
            text = pick(
                language,
                f"Your record shows {name}, no longer active {marker}",
                f"Votre dossier mentionne {name}, qui n'est plus actif {marker}",
            )
        if started:
            text += pick(
                language,
                f"; first prescribed on {started} {first_marker}.",
                f" ; première prescription le {started} {first_marker}.",
            )
        else:
            text += "."
        if what:
            text += " " + pick(language, f"It is {what}.", f"C'est {what}.")
        text += " " + pick(
            language,
            "For any question about how to take it or whether to change it, ask your prescriber or pharmacist.",
            "Pour toute question sur la façon de le prendre ou de le modifier, demandez à votre prescripteur ou "
            "à votre pharmacien.",
        )
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def _condition_cards(self, concept: Concept) -> list[Card]:
        return [c for c in self.ctx.queries.conditions(active_only=False) if c.concept == concept.key]

    def conditions(self, language: Language) -> Draft:
        cards = [
            c
            for c in self.ctx.queries.conditions()
            if not any(
                word in (c.codes[0].display.lower() if c.codes else c.title.lower())
                for word in _NOT_A_HEALTH_PROBLEM
            )
        ]
        cards.sort(key=lambda c: c.date or date.min, reverse=True)
        if not cards:
            return Draft(
                text=pick(
                    language,
                    "Your record lists no ongoing health problems.",
                    "Votre dossier ne mentionne aucun problème de santé en cours.",
                )
            )
        lines, cites = self._list(cards, language)
        text = (
            pick(
                language,
                f"Your record lists {len(cards)} ongoing health problem{'' if len(cards) == 1 else 's'}, most recent first:",
                f"Votre dossier mentionne {len(cards)} problème{'' if len(cards) == 1 else 's'} de santé en cours, "
                "du plus récent au plus ancien :",
            )
            + "\n"
            + "\n".join(lines)
            + _more(len(cards), language)
        )
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def condition(self, concept: Concept, language: Language) -> Draft:
        cards = sorted(self._condition_cards(concept), key=lambda c: c.date or date.min)
        card = cards[-1]
        cites = CitationList()
        marker = cites.cite(card.ref, _card_label(card))
        name = card_name(card, self.ctx.concepts, language)
        when = format_date(card.date, language) if card.date else None
        if card.status in ("active", "recurrence", "relapse"):
            text = pick(
                language,
                f"Your record lists {name} as an ongoing problem"
                + (f", recorded on {when}" if when else "")
                + f" {marker}.",
                f"Votre dossier mentionne {name} comme problème en cours"
                + (f", noté le {when}" if when else "")
                + f" {marker}.",
            )
        else:
            ended = format_date(card.end, language) if card.end else None
            text = pick(
                language,
                f"Your record lists {name}"
                + (f" from {when}" if when else "")
                + (f", resolved on {ended}" if ended else ", no longer active")
                + f" {marker}.",
                f"Votre dossier mentionne {name}"
                + (f" à partir du {when}" if when else "")
                + (f", résolu le {ended}" if ended else ", qui n'est plus actif")
                + f" {marker}.",
            )
        what = explanation(concept.key, self.ctx.concepts, language)
        if what:
            text += " " + pick(language, f"({name}: {what}.)", f"({name} : {what}.)")
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def vaccines(self, text: str, language: Language) -> Draft:
        cards = self.ctx.queries.immunizations()
        cites = CitationList()
        latest: dict[str, tuple[Card, int]] = {}
        for card in cards:
            key = card.concept or (card.codes[0].code if card.codes else card.title)
            count = latest.get(key, (card, 0))[1] + 1
            latest[key] = (card, count)
        lines = []
        for card, count in sorted(latest.values(), key=lambda x: x[0].date or date.min, reverse=True)[
            :MAX_LISTED
        ]:
            name = card_name(card, self.ctx.concepts, language)
            when = format_date(card.date, language) if card.date else "?"
            marker = cites.cite(card.ref, _card_label(card))
            doses = pick(
                language,
                f"{count} dose{'s' if count > 1 else ''} recorded",
                f"{count} dose{'s' if count > 1 else ''} enregistrée{'s' if count > 1 else ''}",
            )
            lines.append(
                pick(
                    language,
                    f"- {name}: last on {when} {marker} ({doses})",
                    f"- {name} : dernière le {when} {marker} ({doses})",
                )
            )
        if lines:
            body = pick(
                language,
                "Vaccines in your record, most recent first:",
                "Vaccins de votre dossier, du plus récent au plus ancien :",
            )
            body += "\n" + "\n".join(lines)
        else:
            body = pick(
                language,
                "Your record has no vaccinations recorded.",
                "Votre dossier ne contient aucune vaccination.",
            )
        due = self.ctx.queries.vaccines_due(as_of=self.ctx.today)
        if due or self.ctx.intents.has(text, "missing"):
            if due:
                body += "\n" + pick(
                    language,
                    "Possibly due, by the usual adult schedule (not in the record is not always not given):",
                    "Peut-être à faire, selon le calendrier habituel des adultes (absent du dossier ne veut pas "
                    "toujours dire non fait) :",
                )
                for item in due:
                    name = item.name_fr if language == "fr" else item.name_en
                    rule = item.rule_fr if language == "fr" else item.rule_en
                    line = f"- {name} — {rule}"
                    if item.last_given and item.last_ref:
                        marker = cites.cite(item.last_ref, f"{item.name_en} ({item.last_given.isoformat()})")
                        line += pick(
                            language,
                            f"; last recorded {format_date(item.last_given, language)} {marker}",
                            f" ; dernière dose notée le {format_date(item.last_given, language)} {marker}",
                        )
                    body += "\n" + line
            else:
                body += "\n" + pick(
                    language,
                    "By the usual adult schedule, nothing common looks overdue.",
                    "Selon le calendrier habituel des adultes, rien de courant ne semble en retard.",
                )
            body += "\n" + pick(
                language,
                "Your GP or pharmacist can confirm what you need; I can book a visit if you like.",
                "Votre médecin ou votre pharmacien peut confirmer ce qu'il vous faut ; je peux vous prendre un "
                "rendez-vous.",
            )
        return Draft(text=body, citations=cites.items, resources_read=[c.ref for c in cards])

    def visits(self, text: str, language: Language) -> Draft:
        hint = date_hint(text)
        cards = self.ctx.queries.encounters()
        if hint is not None:
            cards = [c for c in cards if hint.contains(c.date, c.end)]
        if not cards:
            return Draft(
                text=pick(
                    language,
                    "I found no visit in your record for that period.",
                    "Je n'ai trouvé aucune consultation dans votre dossier pour cette période.",
                )
            )
        last = cards[-1]
        cites = CitationList()
        marker = cites.cite(last.ref, _card_label(last))
        when = format_date(last.date, language) if last.date else "?"
        what = card_name(last, self.ctx.concepts, language)
        text_out = pick(
            language,
            f"Your visit on {when} {marker}: {what}.",
            f"Votre consultation du {when} {marker} : {what}.",
        )
        recorded = self._recorded_during(last, cites, language)
        if recorded:
            text_out += " " + recorded
        others = cards[-4:-1]
        if others:
            earlier = [
                f"{format_date(c.date, language) if c.date else '?'} {cites.cite(c.ref, _card_label(c))}"
                for c in reversed(others)
            ]
            text_out += " " + pick(
                language,
                f"Other visits in that period: {join_words(earlier, language)}.",
                f"Autres consultations sur la période : {join_words(earlier, language)}.",
            )
        return Draft(text=text_out, citations=cites.items, resources_read=[c.ref for c in cards])

    def _recorded_during(self, encounter: Card, cites: CitationList, language: Language) -> str:
        record = self.ctx.queries.record
        readings = {r.ref: r for r in self.ctx.queries.readings}
        items: list[str] = []
        for ref in encounter.refs[1:]:
            if ref in readings:
                reading = readings[ref]
                items.append(
                    f"{reading_name(reading, self.ctx.concepts, language)} {reading_value(reading, language)} "
                    f"{cites.cite(ref, _label(reading, self.ctx.concepts))}"
                )
            elif ref.startswith(("Immunization/", "Procedure/", "Condition/", "MedicationRequest/")):
                resource = record.get(ref)
                code = getattr(resource, "code", None) or getattr(resource, "vaccineCode", None)
                if code is None and resource is not None:
                    code = getattr(resource, "medicationCodeableConcept", None)
                display = _display(code)
                if display:
                    items.append(f"{clean_display(display)} {cites.cite(ref, clean_display(display))}")
            if len(items) >= 6:
                break
        if not items:
            return ""
        return (
            pick(language, "Recorded during this visit: ", "Noté pendant cette consultation : ")
            + "; ".join(items)
            + "."
        )

    def listed_cards(self, text: str, resource_type: str, language: Language) -> Draft | None:
        if self.ctx.retriever is None:
            return self.search(text, language)
        hits = self.ctx.retriever.search(self.ctx.patient_id, text, k=5, types=[resource_type])
        cards = sorted((h.card for h in hits), key=lambda c: c.date or date.min, reverse=True)
        if not cards:
            return Draft(
                text=pick(
                    language,
                    "I found nothing of that kind in your record.",
                    "Je n'ai rien trouvé de ce type dans votre dossier.",
                )
            )
        lines, cites = self._list(cards, language)
        intro = pick(
            language, "Here is what I found in your record:", "Voici ce que j'ai trouvé dans votre dossier :"
        )
        return Draft(
            text=intro + "\n" + "\n".join(lines), citations=cites.items, resources_read=[c.ref for c in cards]
        )

    def billing(self, language: Language) -> Draft:
        totals = self.ctx.queries.billing_totals()
        data = totals.as_dict()
        refs = list(data.get("refs") or [])
        if not refs:
            return Draft(
                text=pick(
                    language,
                    "Your record holds no billing entries.",
                    "Votre dossier ne contient aucune facturation.",
                )
            )
        claimed = format_number(float(data.get("claimed") or 0), language)
        paid = format_number(float(data.get("paid") or 0), language)
        currency = str(data.get("currency") or "")
        return Draft(
            text=pick(
                language,
                f"Your record holds {len(refs)} billing entries: {claimed} {currency} claimed in total, of which "
                f"{paid} {currency} was paid by your insurer. For a detailed statement, ask the clinic's billing office.",
                f"Votre dossier contient {len(refs)} facturations : {claimed} {currency} demandés au total, dont "
                f"{paid} {currency} payés par votre assurance. Pour un relevé détaillé, adressez-vous au service de "
                "facturation de la clinique.",
            ),
            resources_read=refs,
        )

    def _all_cards(self) -> list[Card]:
        """Every card of the record, built once per record."""
        queries = self.ctx.queries
        cards: list[Card] | None = getattr(queries, "_composer_cards", None)
        if cards is None:
            cards = build_cards(queries.record)
            queries._composer_cards = cards  # type: ignore[attr-defined]  # built once per record
        return cards

    def _coded_cards(self, concept: Concept) -> list[Card]:
        """Procedures, vaccines, reports and plans carrying one of the concept's codes, oldest first."""
        cards = self._all_cards()
        wanted = set(concept.codes)
        found = [
            c
            for c in cards
            if c.resource_type
            in ("Procedure", "Immunization", "DiagnosticReport", "CarePlan", "ImagingStudy")
            and c.kind == c.resource_type
            and {(x.system, x.code) for x in c.codes} & wanted
        ]
        return sorted(found, key=lambda c: (c.date or date.min, c.ref))

    def coded_entries(self, concept: Concept, cards: Sequence[Card], language: Language) -> Draft:
        name = concept.fr if language == "fr" else concept.en
        cites = CitationList()
        last = cards[-1]
        when = format_date(last.date, language) if last.date else "?"
        text = pick(
            language,
            f"Your record shows {lower_first(name)} {len(cards)} time{'s' if len(cards) > 1 else ''}; the most "
            f"recent on {when} {cites.cite(last.ref, _card_label(last))}.",
            f"Votre dossier mentionne « {name} » {len(cards)} fois ; la dernière le {when} "
            f"{cites.cite(last.ref, _card_label(last))}.",
        )
        earlier = [c for c in cards[:-1] if c.date][-3:]
        if earlier:
            items = [
                f"{format_date(c.date, language)} {cites.cite(c.ref, _card_label(c))}"
                for c in reversed(earlier)
                if c.date
            ]
            text += " " + pick(
                language,
                f"Before that: {join_words(items, language)}.",
                f"Avant : {join_words(items, language)}.",
            )
        return Draft(text=text, citations=cites.items, resources_read=[c.ref for c in cards])

    def demographics(self, language: Language) -> Draft:
        patients = self.ctx.queries.record.of_type("Patient")
        if not patients:
            return self.not_found_text(language)
        patient = patients[0]
        ref = f"Patient/{patient.id}"
        cites = CitationList()
        marker = cites.cite(ref, "Patient")
        birth = getattr(patient, "birthDate", None)
        parts: list[str] = []
        if birth is not None:
            parts.append(
                pick(
                    language,
                    f"your date of birth is {format_date(birth, language)}",
                    f"votre date de naissance est le {format_date(birth, language)}",
                )
            )
        gender = getattr(patient, "gender", None)
        if gender in ("male", "female"):
            words = {"male": ("male", "masculin"), "female": ("female", "féminin")}[gender]
            parts.append(
                pick(language, f"your recorded sex is {words[0]}", f"le sexe enregistré est {words[1]}")
            )
        if not parts:
            return self.not_found_text(language)
        text = (
            pick(language, "Your record says ", "Votre dossier indique que ")
            + join_words(parts, language)
            + f" {marker}. "
        )
        text += pick(
            language,
            "If anything is wrong, ask the clinic's reception to correct it.",
            "Si quelque chose est inexact, demandez à l'accueil de la clinique de le corriger.",
        )
        return Draft(text=text, citations=cites.items, resources_read=[ref])

    def not_found_text(self, language: Language) -> Draft:
        return Draft(
            text=pick(
                language,
                "I couldn't find that in your record.",
                "Je n'ai pas trouvé cette information dans votre dossier.",
            )
        )

    def not_found(self, concept: Concept, language: Language) -> Draft:
        name = concept.fr if language == "fr" else concept.en
        return Draft(
            text=pick(
                language,
                f"I couldn't find any {name} in your record. If you had it done elsewhere, the result may not "
                "have reached this record yet; your care team can check.",
                f"Je n'ai trouvé aucun résultat de {name} dans votre dossier. S'il a été fait ailleurs, il n'y est "
                "peut-être pas encore ; votre équipe soignante peut vérifier.",
            )
        )

    def search(self, text: str, language: Language) -> Draft | None:
        """The closest record entries, or an honest "not found" when nothing is about the question.

        A hit counts when the ranker saw the asked concept or resource type in it, or its meaning is
        close (vector similarity ≥ ``RELEVANT_SIMILARITY``); words shared by chance ("records") do not.
        """
        if self.ctx.retriever is None:
            return None
        hits = self.ctx.retriever.search(self.ctx.patient_id, text, k=8)
        relevant = [
            h
            for h in hits
            if h.card.resource_type != "Patient"
            and (
                h.signals.get("concept", 0) > 0
                or h.signals.get("type", 0) > 0
                or h.signals.get("vector", 0) >= RELEVANT_SIMILARITY
            )
        ]
        if not relevant:
            return Draft(
                text=pick(
                    language,
                    "I couldn't find anything about that in your record. Tell me more precisely what you are "
                    "looking for (a test, a medicine, a visit), or ask your care team: some results may not "
                    "have reached this record.",
                    "Je n'ai rien trouvé à ce sujet dans votre dossier. Dites-moi plus précisément ce que vous "
                    "cherchez (un examen, un médicament, une consultation), ou demandez à votre équipe "
                    "soignante : certains résultats ne sont peut-être pas encore dans ce dossier.",
                ),
                resources_read=[h.card.ref for h in hits],
            )
        cites = CitationList()
        lines = []
        seen: set[str] = set()
        for hit in relevant:
            card = hit.card
            if card.ref in seen:
                continue
            seen.add(card.ref)
            when = f" ({format_date(card.date, language)})" if card.date else ""
            lines.append(
                f"- {card_name(card, self.ctx.concepts, language)}{when} {cites.cite(card.ref, _card_label(card))}"
            )
            if len(lines) == 4:
                break
        intro = pick(
            language,
            "These entries of your record look closest to your question:",
            "Voici les éléments de votre dossier les plus proches de votre question :",
        )
        outro = pick(
            language,
            "Tell me more precisely what you are looking for (a test, a medicine, a visit) and I will look again.",
            "Dites-moi plus précisément ce que vous cherchez (un examen, un médicament, une consultation) et je "
            "chercherai à nouveau.",
        )
        return Draft(
            text=intro + "\n" + "\n".join(lines) + "\n" + outro,
            citations=cites.items,
            resources_read=[h.card.ref for h in relevant],
        )


def _display(code: object) -> str:
    codings = getattr(code, "coding", None) or []
    for coding in codings:
        if getattr(coding, "display", None):
            return str(coding.display)
    return str(getattr(code, "text", "") or "")


def _allergy_detail(card: Card, language: Language) -> str:
    bits = []
    criticality = card.extra.get("criticality")
    if criticality == "high":
        bits.append(pick(language, "high risk", "risque élevé"))
    reaction = card.extra.get("reactions") or card.extra.get("reaction")
    if isinstance(reaction, list) and reaction:
        bits.append(pick(language, "reaction: ", "réaction : ") + ", ".join(str(r) for r in reaction[:3]))
    elif isinstance(reaction, str) and reaction:
        bits.append(pick(language, "reaction: ", "réaction : ") + reaction)
    return f" ({'; '.join(bits)})" if bits else ""


def _more(total: int, language: Language) -> str:
    if total <= MAX_LISTED:
        return ""
    extra = total - MAX_LISTED
    return "\n" + pick(
        language, f"…and {extra} more in “My record”.", f"…et {extra} autre(s) dans « Mon dossier »."
    )


def _direction(first: Reading, last: Reading, language: Language) -> str:
    a, b = _headline_number(first), _headline_number(last)
    if a is None or b is None or a == 0:
        return pick(language, "changed over time", "a varié au fil du temps")
    change = (b - a) / abs(a)
    if abs(change) < 0.05:
        return pick(language, "stayed about the same", "est restée à peu près stable")
    if change > 0:
        return pick(language, "gone up", "a augmenté")
    return pick(language, "gone down", "a baissé")
