"""Write the natural record-question suite (``cases.jsonl``) from the raw bundles, gold computed by code.

Questions are written the way patients ask them (lay names, en/fr, follow-ups, counts, "still on",
"ever had", not-found), over the 12 Synthea records and the 4 real-world exports. Every gold field comes
from the bundle JSON read here with the standard library and explicit rules written next to each question
("every Observation with LOINC 33914-3 or 38483-4 on the latest date they share"), never by running the
assistant or the retrieval package. The rows use the blind-set format (``evals.blind.RecordCase``), so
one judge scores both:

    .venv/bin/python evals/datasets/record_questions/build_gold.py            # write cases.jsonl
    .venv/bin/python -m benchmarks.blind_score record evals/datasets/record_questions --out OUT.json

For the real-world files, a second family checks the Composition: every medicine, allergy and problem a
section lists must be cited when the patient asks for that list, and the latest value of every vital sign
the vital-signs section lists must be given ("composition" in the note).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SYNTHEA = ROOT / "data" / "synthea"
REALWORLD = ROOT / "data" / "realworld"
OUT = Path(__file__).parent / "cases.jsonl"
Res = dict[str, Any]

LOINC = "http://loinc.org"
SNOMED = ("http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.96")
CVX = "http://hl7.org/fhir/sid/cvx"

# Tests and vitals this suite asks about, by LOINC code, with the patient's words (en, fr).
TESTS: dict[str, tuple[set[str], str, str]] = {
    "hba1c": ({"4548-4", "17856-6"}, "my last A1c", "ma dernière hémoglobine glyquée"),
    "cholesterol": ({"2093-3"}, "my total cholesterol", "mon cholestérol total"),
    "ldl": ({"18262-6", "2089-1"}, "my bad cholesterol", "mon mauvais cholestérol"),
    "hdl": ({"2085-9"}, "my good cholesterol", "mon bon cholestérol"),
    "egfr": ({"33914-3"}, "my kidney filtration rate (eGFR)", "mon débit de filtration glomérulaire"),
    "creatinine": ({"38483-4", "2160-0"}, "my creatinine", "ma créatinine"),
    "glucose": ({"2339-0"}, "my blood glucose", "ma glycémie à jeun"),
    "weight": ({"29463-7"}, "my weight", "mon poids"),
    "bmi": ({"39156-5"}, "my BMI", "mon IMC"),
    "hemoglobin": ({"718-7"}, "my hemoglobin", "mon hémoglobine"),
    "platelets": ({"777-3", "26515-7"}, "my platelet count", "mes plaquettes"),
    "tsh": ({"3016-3"}, "my TSH", "ma TSH"),
    "ferritin": ({"2276-4"}, "my ferritin", "ma ferritine"),
    "temperature": ({"8331-1", "8310-5"}, "my temperature", "ma température"),
    "heart_rate": ({"8867-4"}, "my pulse", "mon pouls"),
    "spo2": ({"59408-5", "2708-6"}, "my oxygen level", "mon taux d'oxygène"),
    "fev1": ({"19926-5"}, "my FEV1/FVC breathing result", "mon rapport VEMS/CVF"),
    "psa": ({"2857-1"}, "my PSA", "mon PSA"),
}
# Lay groups: the question names the group, the gold is every member's latest-date results.
GROUPS: dict[str, tuple[list[str], str, str]] = {
    "kidney": (
        ["egfr", "creatinine"],
        "How are my kidneys doing? What was my last kidney test?",
        "Et mes reins, le dernier bilan rénal ?",
    ),
    "sugar": (
        ["hba1c", "glucose"],
        "What was my last blood sugar test?",
        "C'était quoi mon dernier taux de sucre ?",
    ),
    "liver": (["alt", "ast"], "How did my last liver tests look?", "Mon dernier bilan hépatique ?"),
    "iron": (["iron", "ferritin"], "What were my iron levels?", "Mon bilan martial, le fer ?"),
}
EXTRA_CODES = {"alt": {"1742-6"}, "ast": {"1920-8"}, "iron": {"2498-4"}}
BP_PANEL = {"55284-4", "85354-9"}
NOT_IN_RECORD = [
    (
        {"1989-3", "62292-8", "14635-7"},
        "vitamin D",
        "Has my vitamin D ever been checked?",
        "Est-ce qu'on a déjà dosé ma vitamine D ?",
    ),
    (
        {"3016-3", "11580-8"},
        "TSH",
        "Have I ever had my thyroid (TSH) tested?",
        "Ai-je déjà eu un dosage de TSH ?",
    ),
    ({"2857-1"}, "PSA", "Have I ever had a PSA test?", "Est-ce que j'ai déjà fait un PSA ?"),
    (
        {"30934-4", "42637-9", "33762-6"},
        "BNP",
        "Did I ever have the heart strain blood test, the BNP?",
        "Ai-je déjà eu un BNP ?",
    ),
]
VACCINES: dict[str, tuple[set[str], str, str, str]] = {
    "flu": (
        {"140", "141", "150", "158", "88", "166", "135"},
        "flu vaccine",
        "How many flu shots have I had in total?",
        "Combien de vaccins contre la grippe ai-je eus en tout ?",
    ),
    "zoster": (
        {"121", "187"},
        "shingles vaccine",
        "Did I ever get the shingles vaccine?",
        "Ai-je déjà eu le vaccin contre le zona ?",
    ),
    "pneumo": (
        {"133", "33", "152", "215", "109"},
        "pneumococcal vaccine",
        "Have I had the pneumonia vaccine?",
        "Est-ce que j'ai eu le vaccin contre le pneumocoque ?",
    ),
    "hpv": (
        {"62", "165"},
        "HPV vaccine",
        "Did I get the HPV vaccine?",
        "Ai-je été vaccinée contre le papillomavirus (HPV) ?",
    ),
}
PROCEDURES = {
    "73761001": ("colonoscopy", "Have I ever had a colonoscopy?", "Ai-je déjà eu une coloscopie ?"),
    "127783003": (
        "spirometry",
        "How many spirometry tests have I had?",
        "Combien de spirométries ai-je faites ?",
    ),
    "65575008": (
        "prostate biopsy",
        "Did I ever have a prostate biopsy?",
        "Ai-je déjà eu une biopsie de la prostate ?",
    ),
    "287664005": ("tubal ligation", "Did I have my tubes tied?", "Ai-je eu une ligature des trompes ?"),
}
VITAL_SECTION = "8716-3"
MEDS_SECTION = "10160-0"
ALLERGY_SECTION = "48765-2"
PROBLEM_SECTION = "11450-4"
VITAL_QUESTIONS = {
    "8480-6": ("What was my last blood pressure?", "Ma dernière tension, c'était combien ?"),
    "8462-4": ("What was my last blood pressure?", "Ma dernière tension, c'était combien ?"),
    "8867-4": ("What was my last pulse?", "Quel était mon dernier pouls ?"),
    "29463-7": ("What was my last weight?", "Combien je pesais la dernière fois ?"),
    "8302-2": ("How tall was I last measured?", "Quelle est ma dernière taille mesurée ?"),
    "8331-1": ("What was my last temperature?", "Quelle était ma dernière température ?"),
    "59408-5": ("What was my last oxygen level?", "Quel était mon dernier taux d'oxygène ?"),
    "9279-1": ("What was my last breathing rate?", "Quelle était ma dernière fréquence respiratoire ?"),
    "39156-5": ("What was my last BMI?", "Quel était mon dernier IMC ?"),
}


# --- reading the bundles -------------------------------------------------------------------------------


class Bundle:
    def __init__(self, path: Path) -> None:
        self.path = path
        data = json.loads(path.read_text(encoding="utf-8"))
        self.resources: list[Res] = []
        for entry in data["entry"]:
            res = dict(entry["resource"])
            if not res.get("id"):
                res["id"] = str(entry.get("fullUrl", "")).removeprefix("urn:uuid:")
            self.resources.append(res)
        self.by_ref = {f"{r['resourceType']}/{r['id']}": r for r in self.resources}

    @property
    def key(self) -> str:
        if self.path.parent == REALWORLD:
            return self.path.name.removesuffix(".json")
        return "_".join(self.path.stem.split("_")[:2])

    def of(self, rtype: str) -> list[Res]:
        return [r for r in self.resources if r["resourceType"] == rtype]


def ref(r: Res) -> str:
    return f"{r['resourceType']}/{r['id']}"


def codes(concept: Res | None) -> set[str]:
    return {str(c.get("code")) for c in (concept or {}).get("coding", []) if c.get("code")}


def when(r: Res) -> str:
    for key in (
        "effectiveDateTime",
        "occurrenceDateTime",
        "performedDateTime",
        "authoredOn",
        "onsetDateTime",
    ):
        if isinstance(r.get(key), str):
            return str(r[key])
    for key in ("effectivePeriod", "performedPeriod", "period"):
        if isinstance(r.get(key), dict) and r[key].get("start"):
            return str(r[key]["start"])
    return ""


def day(r: Res) -> str:
    return when(r)[:10]


def number(r: Res) -> float | None:
    q = r.get("valueQuantity") or {}
    v = q.get("value")
    return float(v) if isinstance(v, int | float) else None


def shown(value: float) -> str:
    """The gold number rounded to 3 significant digits, as a lab sheet and the judge's tolerance read it."""
    text = f"{value:.3g}"
    return text if "e" not in text else f"{value:.0f}"


def observations(b: Bundle, loincs: set[str]) -> list[Res]:
    bad = ("entered-in-error", "cancelled")
    return sorted(
        (
            o
            for o in b.of("Observation")
            if codes(o.get("code")) & loincs
            and o.get("status") not in bad
            and number(o) is not None
            and day(o)
        ),
        key=lambda o: (day(o), o["id"]),
    )


def bp_readings(b: Bundle) -> list[tuple[str, list[Res], float, float]]:
    """(day, resources, systolic, diastolic): panels, or separate systolic/diastolic at the same instant."""
    out = []
    for o in b.of("Observation"):
        if codes(o.get("code")) & BP_PANEL and o.get("component"):
            parts = {
                next(iter(codes(c.get("code"))), ""): c.get("valueQuantity", {}).get("value")
                for c in o["component"]
            }
            if "8480-6" in parts and "8462-4" in parts:
                out.append((day(o), [o], float(parts["8480-6"]), float(parts["8462-4"])))
    by_instant: dict[str, dict[str, list[Res]]] = defaultdict(lambda: defaultdict(list))
    for o in b.of("Observation"):
        c = codes(o.get("code"))
        key = json.dumps(o.get("effectiveDateTime") or o.get("effectivePeriod"), sort_keys=True)
        if "8480-6" in c and number(o) is not None:
            by_instant[key]["s"].append(o)
        elif "8462-4" in c and number(o) is not None:
            by_instant[key]["d"].append(o)
    for parts in by_instant.values():
        for s, d in zip(
            sorted(parts["s"], key=lambda r: r["id"]), sorted(parts["d"], key=lambda r: r["id"]), strict=False
        ):
            out.append((day(s), [s, d], number(s) or 0.0, number(d) or 0.0))
    return sorted(out, key=lambda x: x[0])


# --- the cases -----------------------------------------------------------------------------------------


class Writer:
    def __init__(self) -> None:
        self.rows: list[Res] = []
        self.count: dict[str, int] = defaultdict(int)

    def add(
        self,
        b: Bundle,
        lang: str,
        kind: str,
        turns: list[str],
        refs: Iterable[str],
        values: Iterable[str],
        note: str,
        *,
        match: str = "all",
        not_found: bool = False,
    ) -> None:
        self.count[b.key] += 1
        self.rows.append(
            {
                "id": f"rq-{b.key[:24]}-{self.count[b.key]:02d}",
                "lang": lang,
                "patient": b.key,
                "kind": kind,
                "turns": turns,
                "gold_refs": sorted(dict.fromkeys(refs)),
                "match": match,
                "gold_values": list(dict.fromkeys(values)),
                "expect_not_found": not_found,
                "note": note,
            }
        )


def latest_group(obs: list[Res]) -> list[Res]:
    last = obs[-1]["effectiveDateTime" if "effectiveDateTime" in obs[-1] else "id"]
    last_day = day(obs[-1])
    return [o for o in obs if day(o) == last_day] if last else obs[-1:]


def record_cases(b: Bundle, w: Writer, index: int) -> None:
    """Questions for one record; the language alternates so each record gets both."""
    lang = "en" if index % 2 == 0 else "fr"

    def other(lg: str) -> str:
        return "fr" if lg == "en" else "en"

    # latest values of tests present (lay and technical names)
    asked = 0
    for loincs, en, fr in TESTS.values():
        obs = observations(b, loincs)
        if not obs or asked >= 4:
            continue
        group = latest_group(obs)
        lg = lang if asked % 2 == 0 else other(lang)
        q = f"What was {en}?" if lg == "en" else f"C'était combien {fr} ?"
        w.add(
            b,
            lg,
            "latest",
            [q],
            (ref(o) for o in group),
            [day(group[0])] + [shown(number(o) or 0) for o in group],
            f"latest Observation {sorted(loincs)} by date: all results on {day(group[0])}",
        )
        asked += 1
        # the value in a given year and the one before the latest
        years = sorted({day(o)[:4] for o in obs})
        if len(years) >= 3 and asked <= 2:
            year = years[len(years) // 2]
            inside = [o for o in obs if day(o).startswith(year)]
            q2 = (
                f"What was {en} in {year}?"
                if lg == "en"
                else f"{fr[0].upper() + fr[1:]} en {year}, c'était combien ?"
            )
            w.add(
                b,
                lg,
                "value_in_year",
                [q2],
                (ref(o) for o in inside),
                [shown(number(o) or 0) for o in inside[-2:]],
                f"Observations {sorted(loincs)} dated {year}",
            )
            days = sorted({day(o) for o in obs})
            prev = [o for o in obs if day(o) == days[-2]]
            q3 = [q, "and the one before that?"] if lg == "en" else [q, "Et celui d'avant ?"]
            w.add(
                b,
                lg,
                "followup",
                q3,
                (ref(o) for o in prev),
                [days[-2]],
                f"second-latest date of {sorted(loincs)}: {days[-2]}",
            )
            year2 = years[0]
            first = [o for o in obs if day(o).startswith(year2)]
            q4 = [q2, f"and in {year2}?"] if lg == "en" else [q2, f"Et en {year2} ?"]
            w.add(
                b,
                lg,
                "followup",
                q4,
                (ref(o) for o in first),
                [shown(number(o) or 0) for o in first[-1:]],
                f"Observations {sorted(loincs)} dated {year2} (follow-up changes the year)",
            )
    # what a result means, next to its usual range
    meant = 0
    for key in (
        "hba1c",
        "creatinine",
        "cholesterol",
        "egfr",
        "glucose",
        "hemoglobin",
        "ferritin",
        "tsh",
        "temperature",
    ):
        loincs, en, fr = TESTS[key]
        obs = observations(b, loincs)
        if not obs or meant >= 2:
            continue
        group = latest_group(obs)
        lg = other(lang) if meant == 0 else lang
        q = f"Is {en} normal?" if lg == "en" else f"Est-ce que {fr} est normal ?"
        w.add(
            b,
            lg,
            "meaning",
            [q],
            (ref(o) for o in group),
            [shown(number(o) or 0) for o in group],
            f"meaning: latest {sorted(loincs)} with its range",
        )
        meant += 1
    # lay groups
    for name, (members, en, fr) in GROUPS.items():
        gold: list[Res] = []
        for m in members:
            loincs = TESTS[m][0] if m in TESTS else EXTRA_CODES[m]
            obs = observations(b, loincs)
            if obs:
                gold.extend(latest_group(obs))
        if gold:
            lg = lang if name in ("kidney", "liver") else other(lang)
            w.add(
                b,
                lg,
                "latest",
                [en if lg == "en" else fr],
                (ref(o) for o in gold),
                [shown(number(o) or 0) for o in gold[:3]],
                f"lay group {name}: every member's results on its latest date",
            )
    # blood pressure
    bps = bp_readings(b)
    if bps:
        last_day = bps[-1][0]
        same = [x for x in bps if x[0] == last_day]
        refs = [ref(r) for x in same for r in x[1]]
        values = [last_day] + [f"{x[2]:.0f}" for x in same] + [f"{x[3]:.0f}" for x in same]
        w.add(
            b,
            lang,
            "latest",
            [
                "What was my last blood pressure?"
                if lang == "en"
                else "Ma dernière tension, c'était combien ?"
            ],
            refs,
            values,
            "blood pressure: panels or paired systolic/diastolic Observations on the latest date",
        )
    # not in the record
    for loincs, label, en, fr in NOT_IN_RECORD:
        present = any(codes(o.get("code")) & loincs for o in b.of("Observation"))
        if not present:
            lg = other(lang) if label in ("TSH", "BNP") else lang
            w.add(
                b,
                lg,
                "not_found",
                [en if lg == "en" else fr],
                [],
                [],
                f"NOT IN RECORD: no Observation with {sorted(loincs)}",
                not_found=True,
            )
            break
    # vaccines: count, ever had (yes/no), follow-up "when was the last one"
    imms = [i for i in b.of("Immunization") if i.get("status") == "completed"]
    for key, (cvx, label, en, fr) in VACCINES.items():
        doses = sorted(
            (i for i in imms if codes(i.get("vaccineCode")) & cvx), key=lambda i: (day(i), i["id"])
        )
        if key == "flu" and doses:
            lg = lang
            w.add(
                b,
                lg,
                "count",
                [en if lg == "en" else fr],
                (ref(i) for i in doses),
                [str(len(doses))],
                f"count of completed {label} Immunizations (CVX {sorted(cvx)})",
                match="any",
            )
            last = [i for i in doses if day(i) == day(doses[-1])]
            fu = (
                [en, "ok, and when was the most recent one?"]
                if lg == "en"
                else [fr, "Et le dernier, c'était quand ?"]
            )
            w.add(b, lg, "followup", fu, (ref(i) for i in last), [day(last[0])], f"latest {label}")
            years = sorted({day(i)[:4] for i in doses})
            if len(years) >= 2:
                year = years[-2]
                in_year = [i for i in doses if day(i).startswith(year)]
                q = (
                    f"How many flu shots did I get in {year}?"
                    if lg == "en"
                    else f"Combien de vaccins contre la grippe en {year} ?"
                )
                w.add(
                    b,
                    other(lg),
                    "count",
                    [
                        q
                        if other(lg) == "en"
                        else f"Combien de vaccins contre la grippe ai-je eus en {year} ?"
                    ],
                    (ref(i) for i in in_year),
                    [str(len(in_year))],
                    f"count of {label} in {year}",
                    match="any",
                )
        elif key != "flu":
            lg = other(lang) if key in ("pneumo", "hpv") else lang
            if doses:
                w.add(
                    b,
                    lg,
                    "ever_had",
                    [en if lg == "en" else fr],
                    (ref(i) for i in doses),
                    [day(doses[-1])],
                    f"YES: completed {label} Immunizations",
                )
            elif key == "zoster":
                w.add(
                    b,
                    lg,
                    "not_found",
                    [en if lg == "en" else fr],
                    [],
                    [],
                    f"NOT IN RECORD: no completed {label}",
                    not_found=True,
                )
    # procedures: ever had / count
    procs = [p for p in b.of("Procedure") if p.get("status") == "completed"]
    for code, (label, en, fr) in PROCEDURES.items():
        done = sorted((p for p in procs if code in codes(p.get("code"))), key=lambda p: (day(p), p["id"]))
        if done:
            kind = "count" if en.startswith("How many") else "ever_had"
            values = [str(len(done))] if kind == "count" else [day(done[-1])]
            w.add(
                b,
                lang,
                kind,
                [en if lang == "en" else fr],
                (ref(p) for p in done),
                values,
                f"completed Procedures SNOMED {code} ({label})",
                match="any" if kind == "count" else "all",
            )
    # medicines: list of current ones, still on (a stopped and a current one)
    meds = [m for m in b.of("MedicationRequest") if m.get("status") in ("active", "stopped", "completed")]
    active = [m for m in meds if m.get("status") == "active"]
    if active and b.path.parent == SYNTHEA:
        q = (
            "What medicines am I currently taking?"
            if lang == "en"
            else "Quels médicaments je prends actuellement ?"
        )
        w.add(
            b,
            lang,
            "list",
            [q],
            (ref(m) for m in active[:8]),
            [],
            "active MedicationRequests (up to 8 listed)",
        )
    for status in ("stopped", "active"):
        pick = next(
            (
                m
                for m in sorted(meds, key=lambda m: (when(m), m["id"]), reverse=True)
                if m.get("status") == status and "medicationCodeableConcept" in m
            ),
            None,
        )
        if pick is None:
            continue
        word = _drug_word(pick["medicationCodeableConcept"])
        if not word:
            continue
        named = [
            m
            for m in meds
            if "medicationCodeableConcept" in m
            and word.lower() in json.dumps(m["medicationCodeableConcept"]).lower()
        ]
        lg = lang if status == "stopped" else other(lang)
        q = (
            f"Am I still on {word} or did they stop it?"
            if lg == "en"
            else f"Est-ce que je suis toujours sous {word} ?"
        )
        w.add(
            b,
            lg,
            "still_on",
            [q],
            (ref(m) for m in named),
            [pick["authoredOn"][:10]],
            f"MedicationRequests naming {word}: latest status {status}",
        )
    # allergies, problems, last visit
    allergies = [a for a in b.of("AllergyIntolerance") if not _is_absence(a)]
    if allergies and b.path.parent == SYNTHEA:
        q = "Do I have any allergies?" if lang == "fr" else "Which allergies are in my record?"
        lg = other(lang)
        w.add(
            b,
            lg,
            "list",
            ["Do I have any allergies?" if lg == "en" else "Ai-je des allergies dans mon dossier ?"],
            (ref(a) for a in allergies[:8]),
            [],
            "AllergyIntolerance entries (not statements of absence), up to 8",
        )
    encounters = sorted((e for e in b.of("Encounter") if day(e)), key=lambda e: (day(e), e["id"]))
    years = sorted({day(e)[:4] for e in encounters})
    if len(years) >= 2:
        year = years[-2]
        in_year = [e for e in encounters if day(e).startswith(year)]
        lg = other(lang)
        q = (
            f"How many times did I see the doctor in {year}?"
            if lg == "en"
            else f"Combien de fois suis-je allé chez le médecin en {year} ?"
        )
        w.add(
            b,
            lg,
            "count",
            [q],
            (ref(e) for e in in_year),
            [str(len(in_year))],
            f"count of Encounters starting in {year}",
            match="any",
        )
    active = [
        c
        for c in b.of("Condition")
        if "active" in codes(c.get("clinicalStatus"))
        and any(str(x.get("display", "")).endswith("(disorder)") for x in c.get("code", {}).get("coding", []))
    ]
    if active and b.path.parent == SYNTHEA:
        newest = sorted(active, key=lambda c: (day(c), c["id"]), reverse=True)[:6]
        q = (
            "What health problems do I have at the moment?"
            if lang == "en"
            else "Quels sont mes problèmes de santé en cours ?"
        )
        w.add(
            b,
            lang,
            "list",
            [q],
            (ref(c) for c in newest),
            [],
            "active Conditions whose display is a (disorder), 6 most recent",
        )
    if encounters:
        latest_visit = encounters[-1]
        q = (
            "When was my last visit and what was it for?"
            if lang == "en"
            else "C'était quand mon dernier rendez-vous et c'était pour quoi ?"
        )
        w.add(
            b,
            lang,
            "last_visit",
            [q],
            [ref(latest_visit)],
            [day(latest_visit)],
            "latest Encounter by period.start",
        )


def _drug_word(concept: Res) -> str:
    text = concept.get("text") or next(
        (c.get("display") for c in concept.get("coding", []) if c.get("display")), ""
    )
    for word in str(text).replace("/", " ").split():
        clean = word.strip("[](),")
        if (
            clean.isalpha()
            and len(clean) >= 5
            and clean.lower()
            not in {
                "actuat",
                "tablet",
                "oral",
                "extended",
                "release",
                "injection",
                "injectable",
                "suspension",
                "solution",
                "human",
                "regular",
                "insulin",
                "isophane",
                "acetaminophen",
                "chewable",
                "topical",
                "cream",
                "metered",
                "inhaler",
                "powder",
            }
        ):
            return clean
    return ""


def _is_absence(res: Res) -> bool:
    return bool(codes(res.get("code")) & {"716186003", "409137002", "429625007", "428607008"})


def composition_cases(b: Bundle, w: Writer) -> None:
    """Every medicine, allergy and problem a section lists is cited; every vital's latest value is given."""
    comp = next(iter(b.of("Composition")), None)
    if comp is None:
        return
    url_to_ref = {}
    raw = json.loads(b.path.read_text(encoding="utf-8"))
    for entry in raw["entry"]:
        res = entry["resource"]
        rid = res.get("id") or str(entry.get("fullUrl", "")).removeprefix("urn:uuid:")
        url_to_ref[entry.get("fullUrl")] = f"{res['resourceType']}/{rid}"
        url_to_ref[f"{res['resourceType']}/{rid}"] = f"{res['resourceType']}/{rid}"

    def section(code: str) -> list[str]:
        for s in comp.get("section", []):
            if code in codes(s.get("code")):
                refs = [url_to_ref.get(e.get("reference")) for e in s.get("entry", [])]
                return [r for r in refs if r and r in b.by_ref]
        return []

    meds = section(MEDS_SECTION)
    if meds:
        for lg, q in (
            ("en", "What medicines does my summary list? I need all of them."),
            ("fr", "Quels sont tous les médicaments de mon dossier ?"),
        ):
            w.add(b, lg, "list", [q], meds, [], f"composition section {MEDS_SECTION}: every entry cited")
    allergies = section(ALLERGY_SECTION)
    if allergies:
        for lg, q in (
            ("en", "What allergies are in my record?"),
            ("fr", "Quelles allergies sont notées dans mon dossier ?"),
        ):
            w.add(
                b,
                lg,
                "list",
                [q],
                allergies,
                [],
                f"composition section {ALLERGY_SECTION}: every entry cited (statements of absence said as such)",
            )
    problems = section(PROBLEM_SECTION)
    if problems:
        for lg, q in (
            ("en", "What health problems are listed as active?"),
            ("fr", "Quels sont mes problèmes de santé en cours ?"),
        ):
            w.add(
                b, lg, "list", [q], problems, [], f"composition section {PROBLEM_SECTION}: every entry cited"
            )
    vitals = [b.by_ref[r] for r in section(VITAL_SECTION)]
    by_code: dict[str, list[Res]] = defaultdict(list)
    for o in vitals:
        for c in codes(o.get("code")):
            if c in VITAL_QUESTIONS:
                by_code[c].append(o)
    asked: set[str] = set()
    for code in sorted(by_code):
        en, fr = VITAL_QUESTIONS[code]
        if en in asked:
            continue
        asked.add(en)
        all_obs = observations(b, {code}) if code not in ("8480-6", "8462-4") else []
        if code in ("8480-6", "8462-4"):
            bps = bp_readings(b)
            last_day = bps[-1][0]
            same = [x for x in bps if x[0] == last_day]
            refs = [ref(r) for x in same for r in x[1]]
            values = [last_day] + [f"{x[2]:.0f}" for x in same] + [f"{x[3]:.0f}" for x in same]
        else:
            group = latest_group(all_obs)
            refs = [ref(o) for o in group]
            values = [day(group[0])] + [shown(number(o) or 0) for o in group]
        lg = "en" if len(asked) % 2 else "fr"
        w.add(
            b,
            lg,
            "latest",
            [en if lg == "en" else fr],
            refs,
            values,
            f"composition section {VITAL_SECTION}: latest {code}",
        )


def build() -> list[Res]:
    w = Writer()
    files = sorted(SYNTHEA.glob("*.json")) + sorted(REALWORLD.glob("*.json"))
    for n, path in enumerate(files):
        b = Bundle(path)
        record_cases(b, w, n)
        composition_cases(b, w)
    return w.rows


def main() -> None:
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    print(f"{len(rows)} cases → {OUT.relative_to(ROOT)}; by kind {dict(kinds)}")


if __name__ == "__main__":
    main()
