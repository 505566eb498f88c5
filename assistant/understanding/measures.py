"""Numbers as people give them: vital signs, durations and ages, converted to one unit each.

"39,5" and "104F" are temperatures (39.5 °C, 40.0 °C); "sats 92" is an oxygen saturation; "tension 14/9"
is 140/90 mmHg (French patients give it in cmHg); "sucre à 0,5" is 0.5 g/L of glucose (2.8 mmol/L), "450"
after "sugar" is mg/dL (25 mmol/L); "since yesterday" is one day; "my 18-month-old" is 1.5 years. The text
is already folded (decimal commas are points), so each pattern is written once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.schemas import Language
from assistant.understanding.model import Vital, VitalKind

__all__ = [
    "AgeMention",
    "DurationMention",
    "find_ages",
    "find_durations",
    "find_vitals",
    "read_from_record",
    "words_to_number",
]

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "couple of": 2,
    "few": 3,
    "a few": 3,
    "several": 4,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six ": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quelques": 3,
    "plusieurs": 4,
}
_NUM = r"(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|couple of|a few|few|several|un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quelques|plusieurs)"


def words_to_number(text: str) -> float | None:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        return _NUMBER_WORDS.get(text)


_UNIT_DAYS = {
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "mn": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "h": 1 / 24,
    "heure": 1 / 24,
    "day": 1.0,
    "jour": 1.0,
    "journee": 1.0,
    "night": 1.0,
    "nuit": 1.0,
    "week": 7.0,
    "semaine": 7.0,
    "fortnight": 14.0,
    "month": 30.0,
    "mois": 30.0,
    "year": 365.0,
    "an": 365.0,
    "annee": 365.0,
}
_UNIT = r"(minutes?|mins?|mn|hours?|hrs?|h|heures?|days?|jours?|journees?|nights?|nuits?|weeks?|semaines?|fortnights?|months?|mois|years?|ans?|annees?)"


def _unit_days(unit: str) -> float:
    unit = unit.rstrip("s") if unit not in ("mois",) else unit
    return _UNIT_DAYS.get(unit, _UNIT_DAYS.get(unit.rstrip("s"), 1.0))


@dataclass(frozen=True)
class DurationMention:
    days: float
    start: int
    end: int
    text: str


_DURATION_PATTERNS: list[tuple[re.Pattern[str], float | None]] = [
    # "for 3 days", "3 days now", "depuis 3 jours", "ca fait 2 semaines", "past 48 hours", "over a week"
    (
        re.compile(
            rf"(?:for|since|past|last|over|about|almost|nearly|depuis|pendant|ca fait|cela fait|ca dure depuis|il y a|voila)(?: the| about| almost| nearly| plus de| presque| environ| au moins| at least)? {_NUM} {_UNIT}"
        ),
        None,
    ),
    (
        re.compile(rf"{_NUM} {_UNIT} (?:now|already|straight|in a row|running|deja|maintenant|que ca dure)"),
        None,
    ),
    # unquantified
    (
        re.compile(r"(?:for|since) (?:weeks|several weeks)|depuis des semaines|depuis plusieurs semaines"),
        21.0,
    ),
    (
        re.compile(
            r"(?:for|since) (?:months|ages|a long time)|depuis des mois|depuis longtemps|depuis plusieurs mois"
        ),
        90.0,
    ),
    (re.compile(r"(?:for|since) (?:years)|depuis des annees"), 365.0),
    (
        re.compile(
            r"(?:for|since|over) (?:days|a few days|several days)|depuis (?:des|quelques|plusieurs) jours"
        ),
        3.0,
    ),
    (
        re.compile(r"since (?:yesterday|last night)|depuis hier|depuis cette nuit|depuis la nuit derniere"),
        1.0,
    ),
    # an episode told by when it happened ("yesterday afternoon his hand went weak"): about a day ago
    (
        re.compile(
            r"(?<!since )(?<!until )(?<!till )\byesterday (?:morning|afternoon|evening|lunchtime)|(?<!depuis )\bhier (?:matin|apres midi|midi)"
        ),
        1.0,
    ),
    (
        re.compile(
            r"(?:for|over|in|during) (?:the|this) (?:past|last) week|depuis (?:une|la) semaine|cette semaine"
        ),
        7.0,
    ),
    (
        re.compile(
            r"(?:for|over|in|during) (?:the|this) (?:past|last) (?:fortnight|two weeks)|depuis quinze jours"
        ),
        14.0,
    ),
    (re.compile(r"(?:for|over|in|during) (?:the|this) (?:past|last) month|depuis un mois|ce mois ci"), 30.0),
    (
        re.compile(
            r"since (?:this morning|earlier|lunch|breakfast|an hour ago)|depuis ce matin|depuis midi|depuis tout a l heure"
        ),
        0.25,
    ),
    (
        re.compile(
            r"since (?:last week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|depuis (?:la semaine derniere|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le week end)"
        ),
        4.0,
    ),
    (re.compile(r"since (?:last month)|depuis le mois dernier"), 30.0),
    (
        re.compile(
            r"since (?:christmas|the summer|september|october|november|january|february|march|april|may|june|july|august|december)|depuis (?:noel|l ete|septembre|octobre|novembre|janvier|fevrier|mars|avril|mai|juin|juillet|aout|decembre)"
        ),
        60.0,
    ),
]


def find_durations(folded: str) -> list[DurationMention]:
    out: list[DurationMention] = []
    for pattern, fixed in _DURATION_PATTERNS:
        for m in pattern.finditer(folded):
            if fixed is not None:
                days = fixed
            else:
                n = words_to_number(m.group(1))
                if n is None:
                    continue
                days = n * _unit_days(m.group(2))
            out.append(DurationMention(days, m.start(), m.end(), m.group()))
    out.sort(key=lambda d: d.start)
    return out


@dataclass(frozen=True)
class AgeMention:
    years: float
    start: int
    end: int
    text: str


_AGE_PATTERNS: list[tuple[re.Pattern[str], float]] = [
    (
        re.compile(
            rf"{_NUM} ?[- ]?(?:year|yr)s? ?[- ]?old|{_NUM} ?(?:yo|y o|y/o|yrs old)\b|(?<![a-z])aged? {_NUM}(?![a-z])|{_NUM} (?:ans|an)(?![a-z])(?! (?:de|d) )|(?<![a-z])agee? de {_NUM} ans"
        ),
        1.0,
    ),
    (
        re.compile(
            rf"{_NUM} ?[- ]?months? ?[- ]?old|{_NUM} ?(?:mo|m o)\b(?: old)?|{_NUM} mois(?! (?:de grossesse|enceinte))|(?:is|hes|shes|was|aged|turned|just turned) {_NUM} ?months?\b|(?:baby|infant|girl|boy|son|daughter) {_NUM} ?(?:months?|mo|mos)\b(?! ago)"
        ),
        1 / 12,
    ),
    (
        re.compile(
            rf"{_NUM} ?[- ]?weeks? ?[- ]?old|{_NUM} ?wk old|(?:is|hes|shes|was|aged|just|baby|infant|girl|boy|son|daughter) {_NUM} ?weeks?\b(?! (?:pregnant|gone|along|ago))|{_NUM} semaines(?! (?:de grossesse|d amenorrhee))(?=\s*(?:et\b|qui\b|a\b|,|\.|$))|{_NUM} semaines? de vie|(?:(?:fille|fils|bebe|nourrisson|garcon|petite?|enfant) (?:a|de)|(?:fille|fils|bebe|nourrisson|garcon|petite?|enfant) (?:qui )?a (?:tout juste |juste |seulement )?) ?{_NUM} semaines\b(?! (?:de grossesse|d amenorrhee|de retard|d arret|de conge))"
        ),
        7 / 365,
    ),
    (
        re.compile(
            rf"{_NUM} ?[- ]?days? ?[- ]?old|{_NUM} jours de vie|(?:bebe|fille|fils|nourrisson|garcon|petite?|enfant) (?:de|d) {_NUM} jours\b"
        ),
        1 / 365,
    ),
    (re.compile(r"newborn|nouveau ne|nouvelle nee|just born|vient de naitre"), 0.02),
]
# "4 and a half months old", "she's 2 and a half", "3 mois et demi", "2 ans et demi": the half counts (a baby
# of four and a half months is not four years old, nor four months for the rules that count in weeks)
_HALF_AGE = re.compile(
    rf"{_NUM} and a half ?[- ]?(?:(years?|yrs?)|(months?|mos?)|(weeks?|wks?))(?: ?[- ]?old)?"
    rf"|{_NUM} (?:(ans)|(mois)|(semaines)) et demie?"
)
_HALF_FACTORS = (1.0, 1 / 12, 7 / 365)
# "my son is 2", "she's 87", "il a 2 ans" — a bare number right after a person and "is"/"a".
_BARE_AGE = re.compile(
    r"(?<![a-z0-9])(?:is|hes|shes|was|turned|turning|just turned|who is|whos|aged|im|i am) (\d{1,3})(?!\d|\.\d|,\d)"
    r"(?! and a half ?[- ]?(?:weeks?|wks?|days?|months?|mos?)\b)"
    r"(?! ?(?:weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|months?|mo|mos|kg|kgs|lbs?|st|stone|ft|foot|feet|cm|percent|%|"
    r"degrees?|c|f|mmol|mg|miles?|km|times|x|out of|of)\b)"
)


_MEASURE_BEFORE = re.compile(
    r"(?<![a-z])(?:temp\w*|fever|sats?|saturation|oxygen|o2|pulse|heart ?rate|rate|sugars?|glucose|bms?|reading|"
    r"bp|pressure|level|score|ketones|flow|weight|count|number|result|hba1c|inr|it|its|that|thats|this|which|"
    r"thermometer|machine|monitor|meter|watch)\s+$"
)


_AGO_BEFORE = re.compile(
    r"(?:il y a|depuis|pendant|fait|dans|pour|en|avant|apres|sous|d ici|since|for|over|about|last|past|in|before|after|within)"
    r"(?: (?:environ|about|around|roughly|approximately|presque|plus de|moins de|pres de|bien|deja|almost|nearly|over|just over|a good))?"
    r"(?: \d+(?: ?(?:-|a|to|or|ou))?)? ?$"  # "depuis 3-4 mois", "for 2 or 3 months": a range of time
    # "rentré d'un mois en Côte d'Ivoire", "un séjour d'un mois": a length of time, unless a baby is named
    r"|(?<!bebe )(?<!fille )(?<!fils )(?<!garcon )(?<!enfant )(?<!nourrisson )(?<!petit )(?<!petite )d $"
)


# "my son (25) went over on his ankle", "mon père (72 ans)", "my mother, 79, says…": a number right after a
# person's noun is their age (the brackets are gone after folding), unless a unit follows it
_RELATION_AGE = re.compile(
    r"(?<![a-z])(?:son|daughter|husband|wife|partner|boyfriend|girlfriend|mum|mom|mother|dad|father|brother|"
    r"sister|grandma|grandad|grandmother|grandfather|nan|friend|colleague|neighbour|neighbor|fils|fille|mari|"
    r"femme|pere|mere|frere|soeur|copain|copine|compagnon|compagne|collegue|ami|amie|voisin|voisine|papa|maman|"
    r"papi|mamie|grand pere|grand mere),? (\d{1,3})(?![\d.]|,\d)(?! ?(?:weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|"
    r"months?|mo|mos|kg|kgs|lbs?|st|percent|%|degrees?|c|f|mmol|mg|times|x|fois|jours?|semaines?|mois|heures?|"
    r"cm|mm|ml|puffs?|tablets?|comprimes?|h)\b)"
)


def _age_number(m: re.Match[str]) -> float | None:
    for group in m.groups():
        if group is not None:
            return words_to_number(group)
    return None


_PREGNANCY_BEFORE = re.compile(
    r"(?:enceinte|grossesse|pregnant|(?:je suis|j en suis|elle est|on est|suis) a|terme|retard|en retard|late|overdue) (?:de |d |by )?$"
)


def _half_ages(folded: str) -> list[AgeMention]:
    out: list[AgeMention] = []
    for m in _HALF_AGE.finditer(folded):
        number = m.group(1) if m.group(1) is not None else m.group(5)
        units = (m.group(2), m.group(3), m.group(4)) if m.group(1) is not None else m.group(6, 7, 8)
        n = words_to_number(number) if number is not None else None
        factor = next((f for unit, f in zip(units, _HALF_FACTORS, strict=True) if unit is not None), None)
        if n is None or factor is None:
            continue
        if _AGO_BEFORE.search(folded[max(0, m.start() - 24) : m.start()]) and not m.group().endswith(" old"):
            continue  # "for 2 and a half years", "depuis 3 ans et demi": a time, not an age
        if factor != 1.0 and _PREGNANCY_BEFORE.search(folded[max(0, m.start() - 20) : m.start()]):
            continue  # "enceinte de 5 mois et demi": how far along a pregnancy is
        out.append(AgeMention(round((n + 0.5) * factor, 3), m.start(), m.end(), m.group()))
    return out


def find_ages(folded: str) -> list[AgeMention]:
    halves = _half_ages(folded)
    out: list[AgeMention] = []
    for pattern, factor in _AGE_PATTERNS:
        for m in pattern.finditer(folded):
            if not m.group().endswith(" old") and _AGO_BEFORE.search(
                folded[max(0, m.start() - 24) : m.start()]
            ):
                continue  # "il y a 3 ans", "depuis 2 ans": a time, not an age
            if factor in (7 / 365, 1 / 12) and _PREGNANCY_BEFORE.search(
                folded[max(0, m.start() - 20) : m.start()]
            ):
                continue  # "enceinte de 24 semaines / de 4 mois": how far along a pregnancy is, not a baby's age
            n = _age_number(m) if m.groups() else 1.0
            if n is None:
                continue
            out.append(AgeMention(round(n * factor, 3), m.start(), m.end(), m.group()))
    for m in _BARE_AGE.finditer(folded):
        value = float(m.group(1))
        if _MEASURE_BEFORE.search(folded, max(0, m.start() - 24), m.start()):
            continue  # "his temp is 39", "the reading was 38": a measurement, not an age
        if 0 < value <= 110:
            out.append(AgeMention(value, m.start(), m.end(), m.group()))
    for m in _RELATION_AGE.finditer(folded):
        value = float(m.group(1))
        if 0 < value <= 110:
            out.append(AgeMention(value, m.start(1), m.end(1), m.group(1)))
    # a half age wins over the whole number inside it ("is 4 and a half months": not "is 4", not "4 months")
    out = halves + [a for a in out if not any(h.start < a.end and a.start < h.end for h in halves)]
    out.sort(key=lambda a: a.start)
    # keep the first of overlapping mentions
    kept: list[AgeMention] = []
    for a in out:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept


# --- vital signs ------------------------------------------------------------------------------------------

_N = r"(\d{1,3}(?:\.\d{1,2})?)"
_TEMP_CONTEXT = (
    r"(?:temp(?:erature)?s?|fever|fevers|febrile|thermometer|temp is|temp was|fievre|temperature|thermometre)"
)
_TEMP_EXPLICIT = re.compile(
    rf"{_N} ?(?:°|deg(?:rees?)?|degres?) ?(c|f|celsius|fahrenheit)?\b|{_N} ?(c|f)(?![a-z])"
)
_TEMP_AFTER_WORD = re.compile(
    rf"{_TEMP_CONTEXT}(?: (?:is|was|of|at|reached|hit|up to|de|a|monte a|est a|a atteint|around|about|over|above|plus de|jusqu a))* {_N}(?! ?(?:kg|mmol|mg|g|%|percent|bpm|/|years|ans|mois|months|weeks|semaines|days|jours|hours|heures|times|fois|mins?|minutes))"
)
_TEMP_BARE = re.compile(
    r"(?<![\d./])(?<!room )(?<!ward )(?<!bed )(?<!bay )(?<!fm )(?<!channel )(?<!version )(?<!chambre )(?<!salle )"
    r"(3[5-9]\.\d|4[0-2]\.\d|9[89]\.\d|10[0-6]\.\d)(?![\d/]|\.\d)(?! ?(?:kg|mmol|mg|g/l|%|percent|bpm|weeks|semaines|years|ans|mois|months|days|jours))"
)
_BARE_TEMP_CONTEXT = re.compile(
    r"(?<![a-z])(?:since|depuis|this morning|ce matin|tonight|last night|cette nuit|overnight|all night|hot|chaud|"
    r"has|had|got|running|reached|hit|a|fait|est a|monte a|cold|flu|rhume|grippe|baby|bebe|child|enfant|son|"
    r"ce soir|hier soir|en rectal|rectal|axillaire|sous le bras|"
    # "le soir j'ai 38,6", "il a 39,2 au réveil": a decimal between 35 and 42 that a person "has" in the
    # evening or at night is their temperature (an age is whole and says "ans")
    r"j ai|il a|elle a|on a|le soir|la nuit|le matin|au reveil|in the evening|at night|this evening|"
    r"daughter|fils|fille|calpol|nurofen|doliprane|paracetamol|ibuprofen|chemo|chimio|"
    r"brulant\w*|burning|fever\w*|fievre|feverish|temp\w*|thermo\w*|sick|malade|unwell|poorly|shiver\w*|frisson\w*|"
    r"degrees?|degres?|under the arm|rectal|ear thermometer|forehead)(?![a-z])"
)
_SPO2 = re.compile(
    rf"(?:sats?|saturation|saturating|saturates|spo2|sp02|o2 ?(?:sats?|level|saturation|reading)?|oxygen(?: level| sat(?:uration)?s?| reading)?|oxymeter|oximeter|pulse ox(?:imeter)?|oxymetre|saturometre)(?: (?:de|du) (?:mon |ma |son |sa |notre |la |l )?(?!\d)\w+)?(?: (?:is|are|was|were|at|of|says|say|reads|read|showing|shows|down to|dropped to|only|de|a|est a|sont a|affiche|indique|seulement|descendue a|tombe a|around|about|like))* {_N} ?(?:%|percent|pourcent)?"
)
_SPO2_PERCENT = re.compile(
    rf"{_N} ?(?:%|percent) (?:oxygen|o2|sats?|saturation|on the (?:oximeter|pulse ox))"
)
# The oximeter as people name it ("the finger thing says 91", "le truc au doigt affiche 90"). Such a device
# shows the pulse too, so without a % only a reading of 85 or more is taken as the saturation. Who owns it
# may sit between the device and its reading ("the finger clip we bought says 90", "le capteur au doigt qu'on a
# à la maison affiche 91").
_SPO2_DEVICE = re.compile(
    rf"(?:finger (?:thing|clip|monitor|probe|sensor|gadget|reader|machine)|(?:oxygen|o2|sats?) (?:thing|clip|monitor|probe|machine|gadget)|(?:truc|machin|appareil|capteur|pince|bidule) (?:au|sur le|du|pour le) doigt)(?: (?:that )?(?:we|i|they|he|she|you) (?:have|has|got|ve got|bought|use|uses)(?: at home)?| at home| (?:qu )?(?:on a|j ai|il a|elle a|ils ont)(?: a la maison)?| a la maison)?(?: (?:thing|is|was|says|said|say|reads|read|showing|shows|showed|only|at|on|affiche|affichait|indique|indiquait|dit|marque|est a|me dit))* {_N} ?(%|percent|pourcent)?"
)
_BP = re.compile(r"(?<![\d/.])(\d{2,3}) ?(?:/|over|sur) ?(\d{2,3})(?![\d/])")
_BP_FR_SINGLE = re.compile(
    r"(?:tension|ta)(?: (?:est|a|de|monte a|est montee a|a|de|à))* (\d{1,2}(?:\.\d)?)(?![\d/])"
)
_PULSE = re.compile(
    rf"(?:pulse|heart ?rate|hr|heartbeat|heart is (?:at|going)|pouls|frequence cardiaque|fc|coeur a|coeur bat a|coeur qui bat a)(?: (?:is|was|at|of|de|a|est a|around|about|over|nearly|almost|like|roughly|environ|vers|pres de|plus de|au moins|genre))* {_N}|{_N} ?(?:bpm|beats (?:per|a) (?:minute|min)|battements)"
)
_RESP = re.compile(
    rf"(?:breathing|breaths|respiratory rate|resp rate|rr|respire|respiration|frequence respiratoire)(?: (?:rate|is|at|of|de|a))* {_N} (?:times |breaths |fois )?(?:a|per|par) (?:minute|min)|{_N} (?:breaths|respirations|mouvements respiratoires) (?:a|per|par) (?:minute|min)"
)
_GLUCOSE = re.compile(
    rf"(?:sugar|sugars|glucose|bg|bm|bms|blood sugar|sugar level|reading|readings|(?<!flow )(?<!peak )(?<!thermo)(?<!oxi)(?<!oxy)(?:glucose |sugar )?meter|glucometer|(?:glucose |sugar )?monitor|lecteur de glycemie|lecteur|capteur|glycemie|glycemie capillaire|sucre|dextro|hgt|glucometre|libre|freestyle|cgm)(?: (?:level|levels|reading|readings|is|was|its|it s|it was|thats|that s|at|of|de|a|est a|(?:il|elle) (?:est|etait) a|c est|c etait|have been|has been|been|running|running at|between|staying|stayed|sitting|hovering|dropped to|down to|up to|went to|only|over|above|monte a|descendu a|tombe a|around|about|like|reads|read|says|said|shows|showed|showing|just|now|gave|gives|dit|affiche|affichait|indique|indiquait|marque|me dit|m affiche|vient d afficher))*(?: ?[:=])? {_N}(?!\d|\.\d) ?(mmol(?:/l)?|mg(?: ?/ ?dl)?|mg/dl|g(?: ?/ ?l)?|g/l)?"
    r"(?! ?(?:weeks?|days?|hours?|hrs?|minutes?|mins?|months?|years?|times|x\b|fois|jours?|semaines?|heures?|mois|ans|%|percent|kg|bpm|am\b|pm\b|h\b))"
)
# "peak flow is 180, normally I'm around 550", "DEP à 200 alors que d'habitude je suis à 450": asthma
# guidance (BTS/SIGN, NHS asthma action plans) judges an attack on the reading as a share of the person's
# best or usual one, so both numbers are read and only the share is kept.
_PEAK_FLOW = re.compile(
    r"(?<![a-z])(?:peak ?flow|peak ?flo|pef|pefr|debit expiratoire de pointe|debit de pointe|dep|peak)"
    r"(?: (?:is|was|s|at|of|only|down to|dropped to|reading|reads|de|a|est a|est|seulement|descendu a|tombe a|around|about))* (\d{2,3})(?! ?(?:%|percent|pourcent))"
)
_PEAK_FLOW_BEST = re.compile(
    r"(?:normally|usually|normal is|my normal|my best|best is|best of|usual is|my usual|when well|d habitude|habituellement"
    r"|normalement|mon meilleur|ma valeur habituelle|en temps normal)"
    r"(?: (?:i m|im|i am|it s|its|is|i get|i blow|around|about|at|de|a|vers|autour de|environ|je suis a|je suis|je fais|c est|il est|my|best))*"
    r" (\d{2,3})"
)


# A watch or a pulse oximeter read out in a message about the heart: "the watch says 180".
_PULSE_DEVICE = re.compile(
    rf"(?:watch|montre|fitbit|smartwatch|garmin|oximeter|oxymetre|tensiometre|blood pressure machine)(?: (?:connectee|says|said|shows|showed|reads|read|showing|is showing|affiche|affichait|indique|indiquait|dit|marque|est a|was at|is at|at|a))+ {_N}(?! ?(?:%|percent|pourcent|/|mmol|mg|g/l|steps|pas|km|kcal))"
)
_HEART_WORDS = re.compile(
    r"\b(?:heart|pulse|palpitation\w*|racing|pounding|coeur|pouls|tachy\w*|battements?|bpm)\b"
)
# A glucose meter showing "HI" / "HIGH" is above its range (about 33 mmol/L, 600 mg/dL): a very high sugar.
_GLUCOSE_HIGH_READING = re.compile(
    r"(?:meter|glucometer|monitor|reader|libre|freestyle|sensor|cgm|lecteur|glucometre|capteur|appareil)(?: (?:says|said|shows|showed|reads|read|showing|just says|only says|affiche|affichait|indique|indiquait|marque|dit))+ (?:hi|high)\b(?! (?:there|everyone|all|tout le monde))"
)
_GLUCOSE_UNIT = re.compile(rf"(?<![\d.]){_N} ?(mmol(?:/l)?|mg ?/ ?dl)(?![a-z])")
# "J'ai piqué son doigt : 0,45 g/L": a French meter's unit with no word before it is a blood sugar when the
# message speaks of diabetes or sugar (and the number is not a urine protein, also given in g/L).
_GLUCOSE_GL = re.compile(rf"(?<![\d.]){_N} ?g ?/ ?l(?![a-z])")
_SUGAR_CONTEXT = re.compile(
    r"\b(?:diabet\w*|glyc\w*|sucres?|sugars?|insulin\w*|hypo|hypoglyc\w*|dextro|glucose)\b"
)
_NOT_SUGAR_BEFORE = re.compile(
    r"(?:protein\w*|urine\w*|albumin\w*|proteinurie|hemoglobin\w*|fibrinogen\w*|ferritin\w*)\W+(?:\w+\W+){0,3}$"
)
# "0,55 g/l … 15 min après 0,92 et là 1,15", "it was 3.1, then 4.6 after juice, now 6.2": the readings
# that follow a blood sugar, joined by a word of sequence, are in the same unit even when it is not repeated.
_GLUCOSE_FOLLOW_ON = re.compile(
    r"[^?!]{0,80}?\b(?:then|now|after|afterwards|later|back up to|up to|came up to|went up to|rose to|"
    r"puis|apres|et la|maintenant|ensuite|remonte a|remontee a|remontait a|monte a|passe a)"
    r"(?: (?:it was|it s|its|i m|im|i was|he was|she was|it|was|at|a|je suis a|j etais a|il etait a|elle etait a|c est|on est a|ca|est a))* "
    r"(\d{1,2}\.\d{1,2})(?![\d.])(?! ?(?:%|kg|mg|ml|h\b|min|minutes?|heures?|hours?|jours?|days?|ans|years?|mmhg|cm|°|degres?|c\b))"
)
_KETONES = re.compile(rf"(?:ketones?|cetones?|acetone|cetonemie)(?: (?:are|is|at|of|de|a|were))* {_N}")


# A document of the record that a value is read out of ("her notes say…", "my discharge letter shows…",
# "dans son dossier je vois…", "sur le compte rendu c'est marqué…"); a device's screen is not one.
_RECORD_SOURCE = re.compile(
    r"\b(?:(?:my|her|his|their|our|the|mon|ma|mes|son|sa|ses|leur|le|la|les) )(?:[a-z]+s )?"
    r"(?:(?:medical|hospital|gp|doctor s|doctors|clinic|discharge|old|medicaux|medical|de sante) )?"
    r"(?:notes|records?|file|chart|letter|discharge summary|summary|dossier|compte rendu|carnet|courrier|lettre)\b"
)
# Words that make what follows a reading of now ("…my notes. today my sats are 89"): the document no longer
# holds the value
_NOW_WORDS = re.compile(
    r"\b(?:right now|now|today|tonight|this morning|currently|at the moment|maintenant|aujourd hui|ce matin|"
    r"ce soir|en ce moment|actuellement)\b"
)


def read_from_record(folded: str, sentences: Sequence[tuple[int, int]], start: int) -> bool:
    """The value at ``start`` is read out of a document of the record named before it in its sentence ("im
    only now reading her notes and it says her oxygen was 76", "dans son dossier je vois une saturation à
    91"), with no word of now between the two: a value the record holds, not a measurement of today."""
    begin = max((s for s, _ in sentences if s <= start), default=0)
    before = folded[begin:start]
    sources = list(_RECORD_SOURCE.finditer(before))
    return bool(sources) and _NOW_WORDS.search(before[sources[-1].end() :]) is None


def _span_overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_vitals(folded: str, language: Language) -> list[Vital]:
    """Vital signs with their values converted (see module docstring). Clause and subject are set later."""
    vitals: list[Vital] = []
    used: list[tuple[int, int]] = []

    def add(kind: VitalKind, value: float, unit: str, m: re.Match[str], value2: float | None = None) -> None:
        vitals.append(
            Vital(
                kind=kind,
                value=round(value, 2),
                value2=value2,
                unit=unit,
                raw=m.group(),
                start=m.start(),
                end=m.end(),
                clause=0,
            )
        )
        used.append((m.start(), m.end()))

    for m in _BP.finditer(folded):
        sys_v, dia_v = float(m.group(1)), float(m.group(2))
        if 60 <= sys_v <= 300 and 30 <= dia_v <= 200 and sys_v > dia_v:
            add(VitalKind.BLOOD_PRESSURE, sys_v, "mmHg", m, dia_v)
    # French cmHg: "14/9", "tension 18/11"
    for m in re.finditer(
        r"(?:tension|ta|pression)?(?: (?:est|a|de|monte a|est montee a))* (?<![\d/.])(\d{1,2}) ?/ ?(\d{1,2})(?![\d/])",
        folded,
    ):
        if _span_overlaps(used, m.start(1), m.end(2)):
            continue
        sys_c, dia_c = float(m.group(1)), float(m.group(2))
        if (
            ("tension" in m.group() or "ta " in m.group() or language == "fr")
            and 7 <= sys_c <= 30
            and 4 <= dia_c <= 20
            and sys_c > dia_c
        ):
            add(VitalKind.BLOOD_PRESSURE, sys_c * 10, "mmHg", m, dia_c * 10)
    for m in _BP_FR_SINGLE.finditer(folded):
        if _span_overlaps(used, m.start(), m.end()):
            continue
        v = float(m.group(1))
        if 7 <= v <= 30:
            add(VitalKind.BLOOD_PRESSURE, v * 10, "mmHg", m)
    for m in _SPO2.finditer(folded):
        v = float(m.group(1))
        if 50 <= v <= 100 and not _span_overlaps(used, m.start(1), m.end(1)):
            add(VitalKind.SPO2, v, "%", m)
    for m in _SPO2_DEVICE.finditer(folded):
        v = float(m.group(1))
        if (85 if m.group(2) is None else 50) <= v <= 100 and not _span_overlaps(used, m.start(1), m.end(1)):
            add(VitalKind.SPO2, v, "%", m)
    for m in _SPO2_PERCENT.finditer(folded):
        v = float(m.group(1))
        if 50 <= v <= 100 and not _span_overlaps(used, m.start(), m.end()):
            add(VitalKind.SPO2, v, "%", m)
    for m in _KETONES.finditer(folded):
        v = float(m.group(1))
        if 0 <= v <= 15 and not _span_overlaps(used, m.start(1), m.end(1)):
            add(VitalKind.KETONES, v, "mmol/L", m)
    for m in _GLUCOSE.finditer(folded):
        if _span_overlaps(used, m.start(1), m.end(1)):
            continue
        v, unit = float(m.group(1)), (m.group(2) or "").replace(" ", "")
        if unit.startswith("mmol"):
            mmol = v
        elif unit.startswith("mg"):
            mmol = v / 18.0
        elif unit.startswith("g"):
            mmol = v * 5.55
        elif v >= 40:
            mmol = v / 18.0
        elif language == "fr" and v < 6:
            mmol = v * 5.55  # French meters and labs give g/L
        else:
            mmol = v
        if 0.5 <= mmol <= 60:
            add(VitalKind.GLUCOSE, mmol, "mmol/L", m)
    for m in _GLUCOSE_UNIT.finditer(folded):
        # "it said 22.4 mmol": a number in mmol/L or mg/dL with no other word is a blood sugar
        if _span_overlaps(used, m.start(1), m.end(1)):
            continue
        v = float(m.group(1))
        mmol = v / 18.0 if m.group(2).startswith("mg") else v
        if 0.5 <= mmol <= 60:
            add(VitalKind.GLUCOSE, mmol, "mmol/L", m)
    if _SUGAR_CONTEXT.search(folded):
        for m in _GLUCOSE_GL.finditer(folded):
            if _span_overlaps(used, m.start(1), m.end(1)) or _NOT_SUGAR_BEFORE.search(folded[: m.start()]):
                continue
            v = float(m.group(1))
            if 0.2 <= v <= 6:
                add(VitalKind.GLUCOSE, v * 5.55, "mmol/L", m)
    _glucose_follow_ons(folded, vitals, used)
    for m in _GLUCOSE_HIGH_READING.finditer(folded):
        if not _span_overlaps(used, m.start(), m.end()):
            add(VitalKind.GLUCOSE, 33.3, "mmol/L", m)
    if _HEART_WORDS.search(folded):
        for m in _PULSE_DEVICE.finditer(folded):
            v = float(m.group(1))
            if 30 <= v <= 250 and not _span_overlaps(used, m.start(), m.end()):
                add(VitalKind.PULSE, v, "/min", m)
    for m in _PULSE.finditer(folded):
        raw = m.group(1) or m.group(2)
        if raw is None:
            continue
        v = float(raw)
        if 20 <= v <= 250 and not _span_overlaps(used, m.start(), m.end()):
            add(VitalKind.PULSE, v, "/min", m)
    for m in _RESP.finditer(folded):
        raw = m.group(1) or m.group(2)
        if raw is not None and 4 <= float(raw) <= 120 and not _span_overlaps(used, m.start(), m.end()):
            add(VitalKind.RESPIRATORY_RATE, float(raw), "/min", m)
    temps: list[tuple[float, re.Match[str]]] = []
    for m in _TEMP_EXPLICIT.finditer(folded):
        raw = m.group(1) or m.group(3)
        unit = (m.group(2) or m.group(4) or "").lower()
        if raw is None:
            continue
        temps.append((_celsius(float(raw), unit), m))
    for m in _TEMP_AFTER_WORD.finditer(folded):
        temps.append((_celsius(float(m.group(1)), ""), m))
    for m in _TEMP_BARE.finditer(folded):
        # a bare "39.8" is a temperature when the words around it talk about being ill or about time
        # ("39.8 since this morning"), not in "version 40.2"; a bare "102.5" there is in Fahrenheit (a US
        # thermometer: "forehead 101.9, then rectal 102.5")
        window = folded[max(0, m.start() - 40) : m.end() + 40]
        if _BARE_TEMP_CONTEXT.search(window):
            temps.append((_celsius(float(m.group(1)), ""), m))
    for value, m in sorted(temps, key=lambda t: t[1].start()):
        if value is None or not (33.0 <= value <= 44.0) or _span_overlaps(used, m.start(), m.end()):
            continue
        add(VitalKind.TEMPERATURE, value, "°C", m)
    flow = _PEAK_FLOW.search(folded)
    best = _PEAK_FLOW_BEST.search(folded, flow.end()) if flow is not None else None
    if flow is not None and best is not None and best.start() - flow.end() <= 60:
        reading, usual = float(flow.group(1)), float(best.group(1))
        if 60 <= reading < usual <= 900:
            add(VitalKind.PEAK_FLOW_PERCENT, 100 * reading / usual, "%", flow)
    vitals.sort(key=lambda v: v.start)
    return vitals


def _glucose_follow_ons(folded: str, vitals: list[Vital], used: list[tuple[int, int]]) -> None:
    """Decimal readings told in sequence after a blood sugar ("then 0,92 and now 1,15") are blood sugars in
    the unit of the first one; the chain stops after 80 characters with no reading, or at a reading out of
    the range of that unit."""
    for first in [v for v in vitals if v.kind is VitalKind.GLUCOSE]:
        raw_value = re.search(r"\d+(?:\.\d+)?", first.raw)
        if raw_value is None or float(raw_value.group()) == 0:
            continue
        factor = first.value / float(raw_value.group())  # the first reading's unit, as mmol/L per unit told
        low, high = (0.2, 6.0) if factor > 3 else (1.0, 35.0) if factor > 0.5 else (0.0, 0.0)
        pos = first.end
        while True:
            m = _GLUCOSE_FOLLOW_ON.match(folded, pos)
            if m is None or _span_overlaps(used, m.start(1), m.end(1)):
                break
            v = float(m.group(1))
            if not low <= v <= high:
                break
            vitals.append(
                Vital(
                    kind=VitalKind.GLUCOSE,
                    value=round(v * factor, 2),
                    unit="mmol/L",
                    raw=m.group(1),
                    start=m.start(1),
                    end=m.end(1),
                    clause=0,
                )
            )
            used.append((m.start(1), m.end(1)))
            pos = m.end()


def _celsius(value: float, unit: str) -> float:
    if unit.startswith("f") or (not unit.startswith("c") and 93 <= value <= 112):
        return (value - 32) * 5 / 9
    return value
