#!/usr/bin/env python3
"""Gold computation for blind set rb19 (English cases).

Standard library only. Reads the FHIR bundles read-only and recomputes gold_refs / match /
gold_values / expect_not_found / note for every case.

  python3 gold-en.py          -> check every existing en-NN.jsonl against the recomputed gold
  python3 gold-en.py --write  -> additionally write any en-NN.jsonl that does not exist yet
                                 (existing files are never rewritten)
"""
import glob
import json
import os
import sys

DATA = "/work/shared/data"
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = "en"
PREFIX = "rb19-en-"

# ----------------------------------------------------------------------------- helpers

_cache = {}


def bundle_path(key):
    p = glob.glob(os.path.join(DATA, "synthea", key + "_*.json"))
    if p:
        return p[0]
    p = os.path.join(DATA, "realworld", key + ".json")
    if os.path.exists(p):
        return p
    raise SystemExit("no record for " + key)


class Rec:
    def __init__(self, key):
        self.key = key
        b = json.load(open(bundle_path(key)))
        self.entries = []  # (ref, resource)
        for e in b.get("entry", []):
            r = e["resource"]
            if r.get("id"):
                ref = r["resourceType"] + "/" + r["id"]
            else:
                ref = e.get("fullUrl")
            self.entries.append((ref, r))

    def of(self, rtype, pred=lambda r: True):
        return [(ref, r) for ref, r in self.entries if r["resourceType"] == rtype and pred(r)]

    def by_id(self, ref):
        for rf, r in self.entries:
            if rf == ref:
                return r
        raise KeyError(ref)


def rec(key):
    if key not in _cache:
        _cache[key] = Rec(key)
    return _cache[key]


def codes(cc):
    return [c.get("code") for c in (cc or {}).get("coding", [])]


def has_code(r, code, field="code"):
    return code in codes(r.get(field))


def eff(r):
    """clinical date of an Observation / DiagnosticReport"""
    if r.get("effectiveDateTime"):
        return r["effectiveDateTime"]
    if r.get("effectivePeriod"):
        return r["effectivePeriod"].get("start", "")
    return r.get("issued", "")


def proc_date(r):
    if r.get("performedDateTime"):
        return r["performedDateTime"]
    return (r.get("performedPeriod") or {}).get("start", "")


def obs_series(P, code):
    """Observations with LOINC `code` (top-level code), sorted by clinical date."""
    xs = P.of("Observation", lambda r: has_code(r, code))
    return sorted(xs, key=lambda x: eff(x[1]))


def comp_value(r, code):
    for c in r.get("component", []):
        if code in codes(c.get("code")):
            return c["valueQuantity"]["value"]
    return None


def num(v):
    """A language-neutral rendering of a number that any reasonable rounding of it contains.

    >=20: integer part, only if the fractional part is < .5 (so 85.36 -> '85' is inside '85', '85.4',
    '85,36'); <20: one decimal, only if the second decimal is < 5 (6.214 -> '6.2' inside '6.21').
    Returns None when no such robust string exists (then only the date is used as gold value).
    """
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    v = float(v)
    if v >= 20:
        f = v - int(v)
        return str(int(v)) if f < 0.5 else None
    s2 = "%.2f" % v
    s1 = "%.1f" % v
    return s1 if (s2.startswith(s1) and not s1.endswith(".0")) else None


def d10(s):
    return (s or "")[:10]


def G(refs, values, note, match="all", nf=False):
    return {"gold_refs": list(refs), "match": match, "gold_values": [str(v) for v in values],
            "expect_not_found": nf, "note": note}


def NF(note):
    return G([], [], note, match="all", nf=True)


def latest_obs(P, code, label):
    xs = obs_series(P, code)
    last_date = d10(eff(xs[-1][1]))
    same = [x for x in xs if d10(eff(x[1])) == last_date]
    vals = [last_date]
    for ref, r in same:
        n = num(r["valueQuantity"]["value"])
        if n:
            vals.append(n)
    return G([x[0] for x in same], vals,
             "latest Observation LOINC %s (%s) by effectiveDateTime: %s = %s" % (
                 code, label, last_date,
                 ", ".join(str(x[1]["valueQuantity"]["value"]) for x in same)))


def nth_from_last_obs(P, code, label, n=2):
    xs = obs_series(P, code)
    dates = sorted({d10(eff(r)) for _, r in xs})
    d = dates[-n]
    same = [x for x in xs if d10(eff(x[1])) == d]
    vals = [d] + [num(r["valueQuantity"]["value"]) for _, r in same if num(r["valueQuantity"]["value"])]
    return G([x[0] for x in same], vals,
             "Observation LOINC %s (%s), result date number %d from the latest: %s = %s (all dates: %s)" % (
                 code, label, n, d, ", ".join(str(x[1]["valueQuantity"]["value"]) for x in same),
                 ", ".join(dates)))


def obs_in_year(P, code, label, year):
    xs = [x for x in obs_series(P, code) if eff(x[1]).startswith(str(year))]
    vals = []
    for ref, r in xs:
        vals.append(d10(eff(r)))
        n = num(r["valueQuantity"]["value"])
        if n:
            vals.append(n)
    return G([x[0] for x in xs], vals,
             "Observation LOINC %s (%s) with effectiveDateTime in %s: %s" % (
                 code, label, year, "; ".join("%s = %s" % (d10(eff(r)), r["valueQuantity"]["value"]) for _, r in xs)))


def bp_obs(P, which="latest", year=None):
    xs = obs_series(P, "55284-4")
    if year:
        xs = [x for x in xs if eff(x[1]).startswith(str(year))]
        pick = xs
    elif which == "latest":
        pick = [xs[-1]]
    else:
        pick = [xs[-2]]
    vals = []
    desc = []
    for ref, r in pick:
        s = comp_value(r, "8480-6")
        di = comp_value(r, "8462-4")
        vals += [d10(eff(r))] + [x for x in (num(s), num(di)) if x]
        desc.append("%s %s/%s" % (d10(eff(r)), s, di))
    return G([x[0] for x in pick], vals,
             "Blood pressure panel LOINC 55284-4 (%s), components 8480-6 systolic / 8462-4 diastolic: %s" % (
                 which if not year else "year %s" % year, "; ".join(desc)))


def med_name(r):
    cc = r.get("medicationCodeableConcept") or {}
    return cc.get("text") or (cc.get("coding") or [{}])[0].get("display")


def enc_date(r):
    return (r.get("period") or {}).get("start", "")


def enc_type(r):
    return ((r.get("type") or [{}])[0].get("coding") or [{}])[0].get("display") or (r.get("type") or [{}])[0].get("text")


# ----------------------------------------------------------------------------- cases

def c(id_, patient, kind, turns, gold):
    return {"id": PREFIX + "%03d" % id_, "lang": LANG, "patient": patient, "kind": kind,
            "turns": turns, "gold": gold}


FILES = {}

# ---- file 01 ----------------------------------------------------------------------------


def g_en001():
    return latest_obs(rec("Annmarie_Doyle"), "18262-6", "LDL cholesterol")


def g_en002():
    P = rec("Liz_Conn")
    xs = P.of("MedicationRequest", lambda r: "hydrochlorothiazide" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "single MedicationRequest for %s, status=%s, authoredOn %s, no later stop -> still on it" % (
                 med_name(r), r["status"], d10(r["authoredOn"])))


def g_en003():
    P = rec("Luigi_Wiegand")
    xs = P.of("Immunization")
    return G([x[0] for x in xs], [len(xs)],
             "count of all Immunization resources in the record (%d, %s to %s)" % (
                 len(xs), min(d10(r["occurrenceDateTime"]) for _, r in xs),
                 max(d10(r["occurrenceDateTime"]) for _, r in xs)), match="any")


def g_en004():
    P = rec("Lupe_Little")
    g = latest_obs(P, "2339-0", "glucose")
    g["note"] += " mg/dL; no referenceRange recorded in the Observation (usual fasting range about 70-99 mg/dL); the record also lists Condition Prediabetes (active since 2004-06-09)"
    return g


def g_en005():
    P = rec("Fidel_Bins")
    xs = P.of("AllergyIntolerance")
    return G([x[0] for x in xs], [],
             "all %d AllergyIntolerance resources (all clinicalStatus active, recorded 1977-11-01): %s" % (
                 len(xs), ", ".join(((r["code"].get("coding") or [{}])[0].get("display")) for _, r in xs)))


def g_en006():
    P = rec("Laurie_McCullough")
    xs = [x for x in P.of("Encounter")]
    xs.sort(key=lambda x: enc_date(x[1]))
    ref, r = xs[-1]
    reason = ((r.get("reasonCode") or [{}])[0].get("coding") or [{}])[0].get("display")
    return G([ref], [d10(enc_date(r))],
             "latest Encounter by period.start: %s, %s, reason %s" % (d10(enc_date(r)), enc_type(r), reason))


def g_en007():
    P = rec("Annmarie_Doyle")
    hits = P.of("Procedure", lambda r: "colonoscop" in json.dumps(r.get("code")).lower())
    hits += P.of("DiagnosticReport", lambda r: "colonoscop" in json.dumps(r.get("code")).lower())
    assert not hits
    return NF("no Procedure / DiagnosticReport mentioning colonoscopy (or any bowel screening) in the record -> not in record")


def g_en008():
    # turn 1: weight at last check-up; turn 2: and the one before that
    return nth_from_last_obs(rec("Lupe_Little"), "29463-7", "body weight", 2)


def g_en009():
    P = rec("Fidel_Bins")
    xs = P.of("Encounter", lambda r: enc_date(r).startswith("2019"))
    return G([x[0] for x in xs], [len(xs)],
             "Encounters with period.start in 2019: %s" % "; ".join(
                 "%s %s" % (d10(enc_date(r)), enc_type(r)) for _, r in sorted(xs, key=lambda x: enc_date(x[1]))),
             match="any")


def g_en010():
    P = rec("Liz_Conn")
    xs = P.of("Procedure", lambda r: has_code(r, "287664005"))
    ref, r = xs[0]
    return G([ref], [d10(proc_date(r))],
             "Procedure SNOMED 287664005 Bilateral tubal ligation, performed %s" % d10(proc_date(r)))


FILES[1] = [
    c(1, "Annmarie_Doyle", "latest",
      ["Hi, I'm helping my mum (she's 86) with her portal because her eyesight isn't great. The GP mentioned at her last check up that her 'bad cholesterol' was fine but she can't remember the number and wants to know whether it went up or down, she worries about it since her sister had a stroke. What was her most recent bad cholesterol result and when was it taken?"],
      g_en001),
    c(2, "Liz_Conn", "still_on",
      ["am i still supposed to be on the water pill for my blood pressure or did someone stop it? ran out last week and not sure if i need a refill"],
      g_en002),
    c(3, "Luigi_Wiegand", "count",
      ["how many vaccines has my son had so far in total? daycare form wants to know and i lost the red book \U0001F648"],
      g_en003),
    c(4, "Lupe_Little", "meaning",
      ["They keep telling me I'm 'borderline' for diabetes so I get paranoid. What was my last blood sugar reading from the lab and is that number actually normal or not?"],
      g_en004),
    c(5, "Fidel_Bins", "list",
      ["Starting a new job in a warehouse and occupational health asked me to list everything I'm allergic to. I know about the nuts obviously but I think there were a bunch more from when I was a kid, something about gloves? Can you give me the full list from my file?"],
      g_en005),
    c(6, "Laurie_McCullough", "last_visit",
      ["when was i last seen and what for"],
      g_en006),
    c(7, "Annmarie_Doyle", "not_found",
      ["Did Mum ever have a colonoscopy? Her brother was just diagnosed with bowel cancer at 80 and the specialist asked whether she'd been screened."],
      g_en007),
    c(8, "Lupe_Little", "followup",
      ["what did i weigh at my last physical",
       "and the time before that?"],
      g_en008),
    c(9, "Fidel_Bins", "count",
      ["2019 was a rough year with my chest, I ended up in A&E at one point. How many times did I actually see the doctors that year, all visits included? Need it for an insurance thing."],
      g_en009),
    c(10, "Liz_Conn", "ever_had",
      ["random question but did I have my tubes tied? my new gyno asked and I was pretty out of it back then, I remember a surgery but not exactly what they did or when"],
      g_en010),
]


# ---- file 02 ----------------------------------------------------------------------------


def g_en011():
    P = rec("Daisey_Johns")
    act = P.of("MedicationRequest", lambda r: r.get("status") == "active")
    stopped = P.of("MedicationRequest", lambda r: r.get("status") != "active")
    return G([x[0] for x in act], [],
             "MedicationRequests with status active: %s; excluded (status stopped): %s" % (
                 "; ".join("%s (authored %s)" % (med_name(r), d10(r["authoredOn"])) for _, r in act),
                 "; ".join("%s (%s)" % (med_name(r), d10(r["authoredOn"])) for _, r in stopped)))


def g_en012():
    P = rec("Emery_Purdy")
    xs = P.of("Procedure", lambda r: has_code(r, "73761001"))
    return G([x[0] for x in xs], [d10(proc_date(r)) for _, r in xs],
             "Procedure SNOMED 73761001 Colonoscopy: %s" % ", ".join(d10(proc_date(r)) for _, r in xs))


def g_en013():
    P = rec("Josue_Sipes")
    g = latest_obs(P, "33914-3", "GFR")
    xs = obs_series(P, "33914-3")
    last = d10(eff(xs[-1][1]))
    g["note"] += ("; two LOINC 33914-3 Observations share the latest date %s (%s) -> both are gold" % (
        last, "; ".join("%s = %s" % (r["code"]["coding"][0]["display"], r["valueQuantity"]["value"])
                        for _, r in xs if d10(eff(r)) == last)))
    return g


def g_en014():
    P = rec("Martina_Murazik")
    xs = P.of("MedicationRequest", lambda r: "ferrous" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s status=%s authoredOn %s; no later stopped request -> still listed as current" % (
                 med_name(r), r["status"], d10(r["authoredOn"])))


def g_en015():
    return obs_in_year(rec("Renea_Quigley"), "4548-4", "HbA1c", 2020)


def g_en016():
    P = rec("IPS_IG-bundle-01")
    allx = P.of("AllergyIntolerance")
    real = [x for x in allx if not has_code(x[1], "429625007")]
    neg = [x for x in allx if has_code(x[1], "429625007")]
    return G([x[0] for x in real], [],
             "AllergyIntolerance resources excluding the negation 'No known food allergy' (SNOMED 429625007, %s): "
             "%s (onset %s, criticality %s)" % (
                 neg[0][0], real[0][1]["code"]["coding"][0]["display"], real[0][1].get("onsetDateTime"),
                 real[0][1].get("criticality")))


def g_en017():
    P = rec("AT_ELGA_GmbH_01")
    sy = sorted(P.of("Observation", lambda r: has_code(r, "8480-6")), key=lambda x: eff(x[1]))
    di = sorted(P.of("Observation", lambda r: has_code(r, "8462-4")), key=lambda x: eff(x[1]))
    last = eff(sy[-1][1])[:16]
    s_last = [x for x in sy if eff(x[1])[:16] == last]
    d_last = [x for x in di if eff(x[1])[:16] == last]
    vals = [last[:10]] + [str(r["valueQuantity"]["value"]) for _, r in s_last + d_last]
    return G([x[0] for x in s_last + d_last], vals,
             "separate systolic (8480-6) and diastolic (8462-4) Observations; two readings share the latest "
             "timestamp %s (one via effectivePeriod.start, one via effectiveDateTime): systolic %s, diastolic %s "
             "-> all four are gold" % (last, [r["valueQuantity"]["value"] for _, r in s_last],
                                       [r["valueQuantity"]["value"] for _, r in d_last]))


def g_en018():
    P = rec("US_MEDITECH_ips_2")
    mr = [x for x in P.of("MedicationRequest")
          if "darbepoetin" in json.dumps(x[1]["medicationReference"]).lower()]
    ms = [x for x in P.of("MedicationStatement") if x[1].get("status") == "active"]
    assert len(mr) == 1 and len(ms) == 1
    return G([mr[0][0], ms[0][0]], [d10(mr[0][1]["authoredOn"])],
             "MedicationRequest for darbepoetin alfa (Aranesp), status=%s, authoredOn %s; matching "
             "MedicationStatement (NDC %s only, same dose text '%s') status=%s since %s; either citation is "
             "acceptable" % (mr[0][1]["status"], d10(mr[0][1]["authoredOn"]),
                             ms[0][1]["medicationCodeableConcept"]["coding"][0]["code"],
                             ms[0][1]["dosage"][0]["text"], ms[0][1]["status"],
                             d10(ms[0][1]["effectivePeriod"]["start"])), match="any")


def g_en019():
    return latest_obs(rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir"),
                      "59408-5", "SpO2 pulse oximetry")


def g_en020():
    P = rec("Vito_Feeney")
    xs = obs_series(P, "2857-1")
    return G([x[0] for x in xs], [len(xs)],
             "count of Observations LOINC 2857-1 PSA: %d (%s)" % (
                 len(xs), ", ".join("%s=%s" % (d10(eff(r)), r["valueQuantity"]["value"]) for _, r in xs)),
             match="any")


FILES[2] = [
    c(11, "Daisey_Johns", "list",
      ["Hi, filling in the school medication form for my daughter for September. Can you tell me which medicines she's currently prescribed? I know she's got the inhalers and the epipen but I'm blanking on the rest. Thanks"],
      g_en011),
    c(12, "Emery_Purdy", "ever_had",
      ["My wife is nagging me to get the camera up the backside test done. Pretty sure I already had one a few years back?? when was it"],
      g_en012),
    c(13, "Josue_Sipes", "latest",
      ["what's my most recent kidney function number? the nurse said something about stage 2 or 3 and I want to see the actual result"],
      g_en013),
    c(14, "Martina_Murazik", "still_on",
      ["I'm Martina's daughter. Mum's been taking iron tablets since forever, honestly I think since before I was born. Now she's on all these heart pills and I'm wondering, is the iron still on her official list or did someone stop it when they sorted out her heart meds last year?"],
      g_en014),
    c(15, "Renea_Quigley", "value_in_year",
      ["whats my average sugar blood test (the 3 month one) from 2020"],
      g_en015),
    c(16, "IPS_IG-bundle-01", "list",
      ["I'm going into hospital for a small procedure next week and the pre-op nurse wants a list of my allergies. What does my record say?"],
      g_en016),
    c(17, "AT_ELGA_GmbH_01", "latest",
      ["Was ist... sorry, english. What was my last blood pressure they measured? I remember they did it twice in a row because the first one looked off"],
      g_en017),
    c(18, "US_MEDITECH_ips_2", "still_on",
      ["After my kidney transplant problems they started me on injections for my blood count, the Aranesp. I had a bad week in November and was in hospital, got antibiotics and paracetamol too. Is the Aranesp still an active prescription or was it only for while I was inpatient? I don't want to just stop it."],
      g_en018),
    c(19, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "latest",
      ["my daughter was really poorly with covid and they put the clip thing on her finger. what was her oxygen level"],
      g_en019),
    c(20, "Vito_Feeney", "count",
      ["I'm putting together family medical history for my own doctor since my grandfather died of prostate cancer in the late 70s. I have access to his old file. How many PSA blood tests did he have in total? Trying to understand whether it was picked up through screening."],
      g_en020),
]


# ---- file 03 ----------------------------------------------------------------------------


def g_en021():
    P = rec("Daisey_Johns")
    xs = sorted(P.of("Immunization", lambda r: has_code(r, "140", "vaccineCode")),
                key=lambda x: x[1]["occurrenceDateTime"])
    return G([x[0] for x in xs], [len(xs)],
             "turn 1: latest influenza Immunization (CVX 140) = %s; turn 2 (gold): total count of CVX 140 "
             "Immunizations = %d (%s)" % (d10(xs[-1][1]["occurrenceDateTime"]), len(xs),
                                           ", ".join(d10(r["occurrenceDateTime"]) for _, r in xs)), match="any")


def g_en022():
    return nth_from_last_obs(rec("Emery_Purdy"), "2093-3", "total cholesterol", 2)


def g_en023():
    P = rec("Josue_Sipes")
    xs = sorted(P.of("Procedure", lambda r: has_code(r, "127783003") and proc_date(r).startswith("2020")),
                key=lambda x: proc_date(x[1]))
    return G([x[0] for x in xs], [len(xs)],
             "Procedures SNOMED 127783003 Spirometry performed in 2020: %d (%s)" % (
                 len(xs), ", ".join(d10(proc_date(r)) for _, r in xs)), match="any")


def g_en024():
    P = rec("Martina_Murazik")
    g = latest_obs(P, "19926-5", "FEV1/FVC")
    g["note"] += (" %; no referenceRange in the Observation (a ratio below 70% indicates airflow obstruction); "
                  "record has Condition Chronic obstructive bronchitis active since 1993-05-23")
    return g


def g_en025():
    g = latest_obs(rec("Renea_Quigley"), "38483-4", "creatinine")
    g["note"] += " mg/dL; two creatinine results on the same latest date -> both gold"
    return g


def g_en026():
    P = rec("IPS_IG-bundle-01")
    xs = P.of("Observation", lambda r: has_code(r, "17856-6"))
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [str(r["valueQuantity"]["value"]), d10(eff(r))],
             "Observation LOINC 17856-6 HbA1c by HPLC %s %s on %s; no referenceRange; note on the result: '%s'" % (
                 r["valueQuantity"]["value"], r["valueQuantity"]["unit"], d10(eff(r)), r["note"][0]["text"]))


def g_en027():
    P = rec("AT_ELGA_GmbH_01")
    blob = json.dumps([r for _, r in P.entries if r["resourceType"] != "Composition"], ensure_ascii=False).lower()
    assert "mammo" not in blob and "brust" not in blob and "breast" not in blob
    assert not P.of("Procedure") and not P.of("DiagnosticReport")
    return NF("no Procedure, DiagnosticReport or Observation about mammography / breast imaging in the record "
              "(record has no Procedure resources at all)")


def g_en028():
    P = rec("US_MEDITECH_ips_2")

    def cat(r):
        return [c2.get("code") for cc in r.get("category", []) for c2 in cc.get("coding", [])]
    chronic = P.of("Condition", lambda r: r["clinicalStatus"]["coding"][0]["code"] == "active"
                   and "problem-list-item" in cat(r) and "encounter-diagnosis" not in cat(r))
    other = [x for x in P.of("Condition") if x not in chronic]
    return G([x[0] for x in chronic], [],
             "active problem-list Conditions: %s. Not required: Fever (problem-list + encounter diagnosis, onset "
             "2015-06-22) may also be mentioned; excluded: resolved Overweight, the 'Initial physical therapy "
             "assessment' encounter diagnosis, and two health-concern narrative paragraphs. Other: %s" % (
                 "; ".join("%s (onset %s)" % (r["code"]["text"], r.get("onsetDateTime", "")[:10]) for _, r in chronic),
                 "; ".join("%s [%s]" % (r["code"].get("text", "")[:40], r["clinicalStatus"]["coding"][0]["code"])
                           for _, r in other)))


def g_en029():
    P = rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir")
    obs = P.of("Observation", lambda r: has_code(r, "94531-1") and "valueCodeableConcept" in r)
    cond = P.of("Condition", lambda r: has_code(r, "840539006"))
    ph = P.of("Observation", lambda r: has_code(r, "94531-1") and r.get("valueString") == "{entry.value}")
    return G([x[0] for x in obs + cond], [d10(eff(obs[0][1]))],
             "SARS-CoV-2 RNA Observation LOINC 94531-1 value '%s' on %s, and Condition SNOMED 840539006 COVID-19 "
             "onset %s; a duplicate Observation %s carries only the template placeholder '{entry.value}' and is "
             "not evidence; citing either gold ref is acceptable" % (
                 obs[0][1]["valueCodeableConcept"]["coding"][0]["display"], d10(eff(obs[0][1])),
                 d10(cond[0][1]["onsetDateTime"]), ph[0][0]), match="any")


def g_en030():
    g = nth_from_last_obs(rec("Luigi_Wiegand"), "8302-2", "body height/length", 2)
    g["note"] += " cm"
    return g


FILES[3] = [
    c(21, "Daisey_Johns", "followup",
      ["when did Daisey last have her flu vaccine?",
       "ok and how many flu jabs has she had altogether since she was a baby?"],
      g_en021),
    c(22, "Emery_Purdy", "previous",
      ["Doc says my cholesterol jumped up this year and wants to talk statins again. I'm not convinced, I think it's been high for ages and it's just bouncing around. What was the total cholesterol number on the test before this latest one?"],
      g_en022),
    c(23, "Josue_Sipes", "count",
      ["how many of those blowing-into-a-tube lung tests did I do in 2020? felt like every month"],
      g_en023),
    c(24, "Martina_Murazik", "meaning",
      ["Mum had her yearly breathing test in August and the report has some FEV1/FVC percentage on it. Can you tell me what her last number was and whether that's normal? She gets so breathless on the stairs now, though she also has the heart failure so I don't know which one it is."],
      g_en024),
    c(25, "Renea_Quigley", "latest",
      ["latest creatinine please"],
      g_en025),
    c(26, "IPS_IG-bundle-01", "meaning",
      ["My friend has diabetes and says her HbA1c is 6.8 and that's 'good'. What was mine and is it in a good place or not? I don't think anyone ever really explained the target to me."],
      g_en026),
    c(27, "AT_ELGA_GmbH_01", "not_found",
      ["When was my last mammogram? I'm in my 60s now and think I'm overdue but can't remember if the last one was 2 or 3 years ago."],
      g_en027),
    c(28, "US_MEDITECH_ips_2", "list",
      ["Seeing a new cardiologist next month (they're checking on my defibrillator thing). What ongoing health problems are listed in my chart so I can tell them properly?"],
      g_en028),
    c(29, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "ever_had",
      ["Did my daughter's covid swab actually come back positive back in 2020? She was so sick, high fever and struggling to breathe, but we never got a proper answer on the test itself and her school is now asking."],
      g_en029),
    c(30, "Luigi_Wiegand", "previous",
      ["how long was Luigi at the visit before his last one? want to compare growth, the last one looked like a big jump"],
      g_en030),
]


# ---- file 04 ----------------------------------------------------------------------------


def g_en031():
    P = rec("Laurie_McCullough")
    xs = P.of("MedicationRequest", lambda r: "jolivette" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s (progestogen-only contraceptive pill) status=%s, authoredOn %s; no later "
             "contraceptive request -> no longer current" % (med_name(r), r["status"], d10(r["authoredOn"])))


def g_en032():
    P = rec("Josue_Sipes")
    stroke = P.of("Condition", lambda r: has_code(r, "230690007"))
    clop = P.of("MedicationRequest", lambda r: "clopidogrel" in (med_name(r) or "").lower())
    alte = P.of("MedicationRequest", lambda r: "alteplase" in (med_name(r) or "").lower())
    assert len(clop) == 1
    return G([clop[0][0]], [d10(clop[0][1]["authoredOn"])],
             "turn 1: Condition Stroke onset %s; turn 2 (gold): MedicationRequest %s status=%s authoredOn %s "
             "(not current). Also on that date: %s status=%s (one-off clot-busting injection)" % (
                 d10(stroke[0][1]["onsetDateTime"]), med_name(clop[0][1]), clop[0][1]["status"],
                 d10(clop[0][1]["authoredOn"]), med_name(alte[0][1]), alte[0][1]["status"]))


def g_en033():
    P = rec("Martina_Murazik")
    xs = sorted(P.of("Encounter"), key=lambda x: enc_date(x[1]))
    ref, r = xs[-1]
    procs = P.of("Procedure", lambda p: p.get("encounter", {}).get("reference", "").endswith(r["id"]))
    return G([ref], [d10(enc_date(r))],
             "latest Encounter by period.start: %s, class %s, type '%s'; procedures at it: %s" % (
                 d10(enc_date(r)), r["class"]["code"], enc_type(r),
                 ", ".join(p["code"]["coding"][0]["display"] for _, p in procs)))


def g_en034():
    P = rec("Renea_Quigley")
    z = P.of("Immunization", lambda r: "zoster" in json.dumps(r["vaccineCode"]).lower()
             or has_code(r, "121", "vaccineCode") or has_code(r, "187", "vaccineCode"))
    assert not z
    kinds = sorted({r["vaccineCode"]["coding"][0]["display"] for _, r in P.of("Immunization")})
    return NF("no zoster / shingles Immunization (CVX 121 or 187) in the record; vaccines recorded are only: %s"
              % "; ".join(kinds))


def g_en035():
    P = rec("Vito_Feeney")
    pat = P.of("Patient")[0][1]
    death = pat["deceasedDateTime"]
    xs = sorted(P.of("Encounter", lambda r: enc_date(r) < death), key=lambda x: enc_date(x[1]))
    after = P.of("Encounter", lambda r: enc_date(r) >= death)
    ref, r = xs[-1]
    return G([ref], [d10(enc_date(r))],
             "Patient.deceasedDateTime %s; latest Encounter before death: %s '%s'; excluded the encounter(s) after "
             "death: %s" % (d10(death), d10(enc_date(r)), enc_type(r),
                            "; ".join("%s %s" % (d10(enc_date(e)), enc_type(e)) for _, e in after)))


def g_en036():
    P = rec("AT_ELGA_GmbH_01")
    xs = P.of("Observation", lambda r: has_code(r, "2276-4"))
    assert len(xs) == 1
    ref, r = xs[0]
    rr = r["referenceRange"][0]
    return G([ref], [str(r["valueQuantity"]["value"]), str(rr["low"]["value"]), str(rr["high"]["value"])],
             "Observation LOINC 2276-4 Ferritin %s %s on %s, referenceRange %s-%s, interpretation %s (above range)" % (
                 r["valueQuantity"]["value"], r["valueQuantity"]["unit"], d10(eff(r)), rr["low"]["value"],
                 rr["high"]["value"], r["interpretation"][0]["coding"][0]["code"]))


def g_en037():
    P = rec("IPS_IG-bundle-01")
    xs = [x for x in P.of("MedicationStatement")
          if "anastrozole" in json.dumps(P.by_id("Medication/" + x[1]["medicationReference"]["reference"].split(":")[-1])).lower()]
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [r["effectivePeriod"]["start"]],
             "MedicationStatement -> Medication anastrozole 1 mg, status=%s, effectivePeriod.start %s (partial "
             "date), no end -> still taking" % (r["status"], r["effectivePeriod"]["start"]))


def g_en038():
    P = rec("US_MEDITECH_ips_2")
    flu = P.of("Immunization", lambda r: "influenza" in json.dumps(r["vaccineCode"]).lower())
    assert len(flu) == 1
    ref, r = flu[0]
    return G([ref], [d10(r["occurrenceDateTime"])],
             "only influenza Immunization has status=%s, statusReason '%s', date %s -> no flu vaccine was given "
             "according to the record; the answer must say it was declined/not done, not that one was given" % (
                 r["status"], r["statusReason"]["text"], d10(r["occurrenceDateTime"])))


def g_en039():
    P = rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir")
    assert not P.of("Immunization")
    comp = P.of("Composition")[0][1]
    sec = [s for s in comp["section"] if s.get("title") == "Immunizations"][0]
    return NF("no Immunization resources in the bundle; the Composition 'Immunizations' section lists %d "
              "references that do not resolve to any entry -> vaccine history not available in this record"
              % len(sec.get("entry", [])))


def g_en040():
    return obs_in_year(rec("Emery_Purdy"), "18262-6", "LDL cholesterol", 2020)


FILES[4] = [
    c(31, "Laurie_McCullough", "still_on",
      ["Am I still down as taking the mini pill? Jolivette I think it was called. Getting asked at the dentist what meds I'm on and I honestly don't know what's on my file anymore, I haven't taken it in ages"],
      g_en031),
    c(32, "Josue_Sipes", "followup",
      ["when exactly was my stroke, the date",
       "and that blood thinner pill they started me on then, am I still supposed to be on it? my daughter found an old box in the cupboard"],
      g_en032),
    c(33, "Martina_Murazik", "last_visit",
      ["Hi it's Martina's son. What was Mum's most recent visit and what was it for? She said she went somewhere before Christmas but she's a bit muddled about it."],
      g_en033),
    c(34, "Renea_Quigley", "ever_had",
      ["have i had the shingles vaccine yet? my sister had shingles on her face and it was awful"],
      g_en034),
    c(35, "Vito_Feeney", "last_visit",
      ["Looking at my late grandad's file for a family history project. When was the last time he actually saw a doctor before he passed away in November '79?"],
      g_en035),
    c(36, "AT_ELGA_GmbH_01", "meaning",
      ["My blood results from December 2016 have a ferritin line with two little arrows next to it. What was the value, what's the normal range, and what does it mean? I'm a bit scared because I've read high ferritin can be linked to all sorts."],
      g_en036),
    c(37, "IPS_IG-bundle-01", "still_on",
      ["Quick one: is the anastrozole still on my active list? My oncologist in Lyon wants to know when I started it too."],
      g_en037),
    c(38, "US_MEDITECH_ips_2", "ever_had",
      ["have I ever had a flu shot? they keep pushing it at the pharmacy and I genuinely can't remember if I've had one, with the transplant meds I'm not sure I should"],
      g_en038),
    c(39, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "not_found",
      ["We're moving states and her new school needs her full vaccination history. Can you pull up all the vaccines she's had and the dates?"],
      g_en039),
    c(40, "Emery_Purdy", "value_in_year",
      ["What was my LDL back in 2020? Comparing with this year's result before I see the doc about the statins"],
      g_en040),
]

# ----------------------------------------------------------------------------- driver


def build(case):
    g = case["gold"]()
    out = {k: case[k] for k in ("id", "lang", "patient", "kind", "turns")}
    out.update(g)
    return out


def main():
    write = "--write" in sys.argv
    bad = 0
    for n, cases in sorted(FILES.items()):
        fn = os.path.join(OUT, "%s-%02d.jsonl" % (LANG, n))
        assert len(cases) <= 10
        lines = [build(cs) for cs in cases]
        if os.path.exists(fn):
            have = [json.loads(l) for l in open(fn, encoding="utf-8") if l.strip()]
            if have != lines:
                bad += 1
                print("MISMATCH", fn)
            else:
                print("ok", fn, len(have))
        elif write:
            with open(fn, "w", encoding="utf-8") as f:
                for l in lines:
                    f.write(json.dumps(l, ensure_ascii=False) + "\n")
            print("wrote", fn, len(lines))
        else:
            for l in lines:
                print(json.dumps(l, ensure_ascii=False))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
