"""Write the retrieval question set and exact-query checks from the raw Synthea bundles.

Gold references are chosen from the raw JSON by explicit, auditable rules written next to each question
("the latest Observation with LOINC 4548-4", "the Encounter that started in that month"), never by running
the ranker or the retrieval package. Run: ``.venv/bin/python evals/datasets/retrieval/build_gold.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "synthea"
HERE = Path(__file__).parent
PATIENTS = [
    "Josue_Sipes",
    "Renea_Quigley",
    "Emery_Purdy",
    "Fidel_Bins",
    "Daisey_Johns",
    "Martina_Murazik",
    "Laurie_McCullough",
    "Lupe_Little",
]
LOINC, SNOMED, CVX = "http://loinc.org", "http://snomed.info/sct", "http://hl7.org/fhir/sid/cvx"
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

Res = dict[str, Any]


def load(name: str) -> tuple[str, list[Res]]:
    path = next(DATA.glob(f"{name}_*.json"))
    resources = [e["resource"] for e in json.loads(path.read_text(encoding="utf-8"))["entry"]]
    return path.name, resources


def ref(r: Res) -> str:
    return f"{r['resourceType']}/{r['id']}"


def codes(concept: Res | None) -> set[tuple[str, str]]:
    return {(c.get("system", ""), c.get("code", "")) for c in (concept or {}).get("coding", [])}


def when(r: Res) -> str:
    for key in ("effectiveDateTime", "occurrenceDateTime", "onsetDateTime", "authoredOn", "recordedDate"):
        if key in r:
            return str(r[key])[:10]
    for key in ("period", "performedPeriod", "billablePeriod"):
        if key in r:
            return str(r[key].get("start", ""))[:10]
    return str(r.get("started", r.get("performedDateTime", "")))[:10]


def stamp(r: Res) -> str:
    """The full timestamp behind ``when`` (two results of one panel can share it to the second)."""
    for key in ("effectiveDateTime", "occurrenceDateTime", "onsetDateTime", "authoredOn", "recordedDate"):
        if key in r:
            return str(r[key])
    for key in ("period", "performedPeriod"):
        if key in r:
            return str(r[key].get("start", ""))
    return str(r.get("started", r.get("performedDateTime", "")))


def twins(resources: list[Res], target: Res) -> list[str]:
    """Refs of entries indistinguishable from ``target`` for a question: same type, same code, same instant.

    Synthea sometimes records the same panel twice in one visit; either copy answers "my last lipid panel",
    so such questions accept any of them (``"match": "any"``).
    """
    field = "vaccineCode" if target["resourceType"] == "Immunization" else "code"
    key = (target["resourceType"], frozenset(codes(target.get(field))), stamp(target))
    if not key[1] or not key[2]:
        return [ref(target)]
    return sorted(
        ref(r) for r in resources if (r["resourceType"], frozenset(codes(r.get(field))), stamp(r)) == key
    )


def of(resources: list[Res], rtype: str, pred: Callable[[Res], bool] = lambda r: True) -> list[Res]:
    return sorted(
        (r for r in resources if r["resourceType"] == rtype and pred(r)), key=lambda r: (when(r), r["id"])
    )


def coded(field: str, system: str, code: str) -> Callable[[Res], bool]:
    return lambda r: (system, code) in codes(r.get(field))


def latest_obs(resources: list[Res], code: str) -> Res | None:
    items = of(resources, "Observation", coded("code", LOINC, code))
    return items[-1] if items else None


def questions_for(name: str, resources: list[Res]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    patient = of(resources, "Patient")[0]

    by_ref = {ref(r): r for r in resources}

    def add(qid: str, lang: str, question: str, gold: list[str], rule: str) -> None:
        if not gold:
            return
        item = {"id": f"{name}:{qid}", "patient": name, "lang": lang, "question": question, "gold": gold,
                "match": "all", "rule": rule}  # fmt: skip
        same = twins(resources, by_ref[gold[0]]) if len(gold) == 1 else gold
        if len(gold) == 1 and len(same) > 1:
            item.update(gold=same, match="any", rule=f"{rule} (or its same-instant twin)")
        out.append(item)

    for code, qid, en, fr in [
        ("4548-4", "a1c", "What was my last A1c?", "Quelle était ma dernière hémoglobine glyquée ?"),
        ("55284-4", "bp", "What is my latest blood pressure?", "Quelle est ma dernière tension ?"),
        (
            "29463-7",
            "weight",
            "How much did I weigh at my last check?",
            "Combien je pesais à la dernière mesure ?",
        ),
        ("39156-5", "bmi", "What is my BMI?", "Quel est mon IMC ?"),
        ("2093-3", "chol", "What was my cholesterol?", "Quel était mon cholestérol ?"),
        ("33914-3", "egfr", "How are my kidneys working (eGFR)?", "Comment fonctionnent mes reins ?"),
        (
            "72166-2",
            "smoke",
            "Do I smoke according to my record?",
            "Est-ce que je fume d'après mon dossier ?",
        ),
        ("718-7", "hgb", "What was my hemoglobin level?", "Quel était mon taux d'hémoglobine ?"),
    ]:
        obs = latest_obs(resources, code)
        if obs is not None:
            lang = "fr" if (len(out) % 2) else "en"
            add(qid, lang, fr if lang == "fr" else en, [ref(obs)], f"latest Observation LOINC {code}")
    bp = of(resources, "Observation", coded("code", LOINC, "55284-4"))
    if bp and when(bp[-1]) >= "2018":
        add("bp-trend", "en", "How has my blood pressure changed since 2018?", [ref(bp[-1])],
            "latest blood pressure Observation (the trend's end point)")  # fmt: skip
    allergies = of(resources, "AllergyIntolerance")
    if allergies:
        add("allergy-en", "en", "Am I allergic to anything?", [ref(allergies[0])], "first AllergyIntolerance")
        add(
            "allergy-fr",
            "fr",
            "Est-ce que j'ai des allergies ?",
            [ref(allergies[-1])],
            "last AllergyIntolerance",
        )
    meds = of(resources, "MedicationRequest", lambda r: r.get("status") == "active")
    if meds:
        add("meds", "en", "What medicines am I currently taking?", [ref(m) for m in meds][:3],
            "active MedicationRequests (first three)")  # fmt: skip
    flu = of(resources, "Immunization", coded("vaccineCode", CVX, "140"))
    if flu:
        add("flu", "fr", "Quand ai-je eu mon dernier vaccin contre la grippe ?", [ref(flu[-1])],
            "latest Immunization CVX 140")  # fmt: skip
    for code, qid, en, fr in [
        ("44054006", "diabetes", "Do I have diabetes?", "Est-ce que j'ai du diabète ?"),
        ("38341003", "htn", "Do I have high blood pressure?", "Est-ce que je fais de l'hypertension ?"),
        ("195967001", "asthma", "When was my asthma diagnosed?", "Depuis quand ai-je de l'asthme ?"),
        ("233678006", "asthma-child", "When was my asthma diagnosed?", "Depuis quand ai-je de l'asthme ?"),
        ("185086009", "copd", "Do I have COPD?", "Est-ce que j'ai une BPCO ?"),
        ("271737000", "anemia", "Have I been told I have anemia?", "Est-ce que j'ai une anémie ?"),
        ("72892002", "pregnancy", "When was my pregnancy?", "Quand ai-je été enceinte ?"),
        ("88805009", "hf", "Do I have heart failure?", "Est-ce que j'ai une insuffisance cardiaque ?"),
        ("444814009", "sinusitis", "When did I have sinusitis?", "Quand ai-je eu une sinusite ?"),
    ]:
        conds = of(resources, "Condition", coded("code", SNOMED, code))
        if conds:
            lang = "fr" if (len(out) % 2) else "en"
            add(qid, lang, fr if lang == "fr" else en, [ref(conds[-1])], f"latest Condition SNOMED {code}")
    for code, qid, en in [
        ("73761001", "colonoscopy", "Have I had a colonoscopy?"),
        ("127783003", "spirometry", "When was my last breathing test (spirometry)?"),
    ]:
        procs = of(resources, "Procedure", coded("code", SNOMED, code))
        if procs:
            add(qid, "en", en, [ref(procs[-1])], f"latest Procedure SNOMED {code}")
    encounters = of(resources, "Encounter")
    months: dict[str, list[Res]] = {}
    for e in encounters:
        months.setdefault(when(e)[:7], []).append(e)
    unique = [v[0] for k, v in sorted(months.items()) if len(v) == 1 and k >= "2012"]
    if unique:
        e = unique[len(unique) // 2]
        y, m = int(when(e)[:4]), int(when(e)[5:7])
        add("visit-en", "en", f"What did they do at my visit in {MONTHS_EN[m - 1]} {y}?", [ref(e)],
            "the only Encounter that started in that month")  # fmt: skip
        if len(unique) > 2:
            e2 = unique[-1]
            y2, m2 = int(when(e2)[:4]), int(when(e2)[5:7])
            add("visit-fr", "fr", f"Qu'est-ce qui s'est passé lors de ma consultation de {MONTHS_FR[m2 - 1]} {y2} ?",
                [ref(e2)], "the only Encounter that started in that month")  # fmt: skip
    plans = of(resources, "CarePlan", lambda r: r.get("status") == "active")
    if plans:
        add("careplan", "en", "What is my current care plan?", [ref(plans[-1])], "latest active CarePlan")
    goals = of(resources, "Goal")
    if goals:
        add("goals", "fr", "Quels sont mes objectifs de santé ?", [ref(g) for g in goals], "any Goal")
        out[-1]["match"] = "any"  # every goal answers part of the question
    imaging = of(resources, "ImagingStudy")
    if imaging:
        add("imaging", "en", "Did I have any imaging or scans?", [ref(imaging[-1])], "latest ImagingStudy")
    lipid = of(resources, "DiagnosticReport", coded("code", LOINC, "57698-3"))
    if lipid:
        add("lipid-report", "en", "Show me my last lipid panel report", [ref(lipid[-1])],
            "latest DiagnosticReport LOINC 57698-3")  # fmt: skip
    add("born", "fr", "Quelle est ma date de naissance ?", [ref(patient)], "the Patient resource")
    return out


def exact_checks_for(name: str, resources: list[Res]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(qid: str, call: str, args: dict[str, Any], expect: dict[str, Any], rule: str) -> None:
        out.append(
            {
                "id": f"{name}:{qid}",
                "patient": name,
                "call": call,
                "args": args,
                "expect": expect,
                "rule": rule,
            }
        )

    for term, code in [
        ("A1c", "4548-4"),
        ("poids", "29463-7"),
        ("IMC", "39156-5"),
        ("cholesterol", "2093-3"),
    ]:
        obs = latest_obs(resources, code)
        if obs is not None:
            add(f"latest-{code}", "latest", {"term": term},
                {"ref": ref(obs), "value": obs["valueQuantity"]["value"]}, f"latest Observation LOINC {code}")  # fmt: skip
    bp = of(resources, "Observation", coded("code", LOINC, "55284-4"))
    since = "2018-01-01"
    bp_since = [r for r in bp if when(r) >= since]
    if bp_since:
        add("bp-series", "series", {"term": "tension", "since": since},
            {"count": len(bp_since), "first": ref(bp_since[0]), "last": ref(bp_since[-1])},
            "blood pressure Observations on/after 2018-01-01")  # fmt: skip
    a1c = of(resources, "Observation", coded("code", LOINC, "4548-4"))
    if a1c:
        high = [ref(r) for r in a1c if r["valueQuantity"]["value"] >= 5.7]
        add(
            "a1c-out",
            "out_of_range",
            {"term": "hba1c"},
            {"refs": high},
            "A1c Observations with value >= 5.7 %",
        )
    add("conditions", "conditions", {},
        {"refs": [ref(r) for r in of(resources, "Condition", lambda r: "active" in json.dumps(r.get("clinicalStatus")))]},
        "Conditions whose clinicalStatus is active")  # fmt: skip
    add("medications", "medications", {},
        {"refs": [ref(r) for r in of(resources, "MedicationRequest", lambda r: r.get("status") == "active")]},
        "MedicationRequests with status active")  # fmt: skip
    add("allergies", "allergies", {}, {"refs": [ref(r) for r in of(resources, "AllergyIntolerance")]},
        "all AllergyIntolerance (all active in these records)")  # fmt: skip
    flu = of(resources, "Immunization", coded("vaccineCode", CVX, "140"))
    add("flu", "immunizations", {"vaccine": "flu"}, {"refs": [ref(r) for r in flu]}, "Immunizations CVX 140")
    year = "2019"
    add("encounters-2019", "encounters", {"since": f"{year}-01-01", "until": f"{year}-12-31"},
        {"refs": [ref(r) for r in of(resources, "Encounter", lambda r: when(r).startswith(year))]},
        "Encounters whose period starts in 2019")  # fmt: skip
    claims = of(resources, "Claim")
    add("billing", "billing_totals", {},
        {"claims": len(claims), "claimed": round(sum(c.get("total", {}).get("value", 0) for c in claims), 2)},
        "count and sum of Claim.total")  # fmt: skip
    return out


def main() -> None:
    questions, checks = [], []
    for name in PATIENTS:
        _, resources = load(name)
        questions += questions_for(name, resources)
        checks += exact_checks_for(name, resources)
    (HERE / "questions.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8"
    )
    (HERE / "exact_checks.jsonl").write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in checks), encoding="utf-8"
    )
    langs = {lang: sum(q["lang"] == lang for q in questions) for lang in ("en", "fr")}
    print(f"{len(questions)} questions ({langs}), {len(checks)} exact checks, {len(PATIENTS)} patients")


if __name__ == "__main__":
    main()
