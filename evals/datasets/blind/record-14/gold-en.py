#!/usr/bin/env python3
"""Gold computation for the blind record set rb14-en (40 cases).

Standard library only. Reads the patient records (read-only) and recomputes, for every case,
gold_refs / match / gold_values / expect_not_found / note.

Usage:
  python3 gold-en.py            # recompute all cases and compare with the saved en-XX.jsonl files
  python3 gold-en.py --print    # print every recomputed line (JSON Lines) to stdout
  python3 gold-en.py --write N  # write en-0N.jsonl (cases 10*(N-1)+1 .. 10*N) ONLY if it does not exist yet

Numbers: Synthea stores values with ~15 decimals. A reply rounds them, so a gold value string is the
shortest prefix that every usual rounding (0-3 decimals, or 1-3 decimals for values under 10) shares;
e.g. 236.22 -> "236", 6.912 -> "6.9". Values with no such prefix are left out (date/refs carry the gold).
"""
import glob
import json
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = "/work/shared/data/synthea"
RW = "/work/shared/data/realworld"
LANG = "en"
PREFIX = "rb14-en-"

# ----------------------------------------------------------------------------------------------
# record loading


def record_path(patient):
    p = os.path.join(RW, patient + ".json")
    if os.path.exists(p):
        return p
    hits = glob.glob(os.path.join(RW, patient + "*.json")) + glob.glob(os.path.join(SYN, patient + "_*.json"))
    if len(hits) != 1:
        raise SystemExit("cannot resolve patient %s: %r" % (patient, hits))
    return hits[0]


_CACHE = {}


class Rec:
    def __init__(self, patient):
        self.patient = patient
        with open(record_path(patient), encoding="utf-8") as f:
            self.bundle = json.load(f)
        self.entries = self.bundle.get("entry", [])
        self.by_type = defaultdict(list)
        self.by_ref = {}
        for e in self.entries:
            r = e["resource"]
            self.by_type[r["resourceType"]].append(e)
            self.by_ref[ref(e)] = e
            if e.get("fullUrl"):
                self.by_ref[e["fullUrl"]] = e

    def res(self, rtype):
        return self.by_type.get(rtype, [])


def rec(patient):
    if patient not in _CACHE:
        _CACHE[patient] = Rec(patient)
    return _CACHE[patient]


def ref(e):
    """Reference used in gold: Type/id when the resource has an id, otherwise the entry's fullUrl."""
    r = e["resource"]
    if r.get("id"):
        return "%s/%s" % (r["resourceType"], r["id"])
    return e["fullUrl"]


def cdate(e):
    """Clinical date (string as recorded) of a resource."""
    r = e["resource"]
    for k in ("effectiveDateTime", "performedDateTime", "occurrenceDateTime", "onsetDateTime", "authoredOn"):
        if r.get(k):
            return r[k]
    for k in ("effectivePeriod", "performedPeriod", "period"):
        if isinstance(r.get(k), dict) and r[k].get("start"):
            return r[k]["start"]
    return ""


def day(e):
    return cdate(e)[:10]


def codes(r, field="code"):
    cc = r.get(field) or {}
    return [c.get("code") for c in cc.get("coding", [])]


def displays(r, field="code"):
    cc = r.get(field) or {}
    out = [c.get("display") or "" for c in cc.get("coding", [])]
    if cc.get("text"):
        out.append(cc["text"])
    return out


def obs(patient, code, display_contains=None):
    """Observations with LOINC code (and optional display filter), sorted by clinical date."""
    out = []
    for e in rec(patient).res("Observation"):
        r = e["resource"]
        if code in codes(r):
            if display_contains and not any(display_contains.lower() in d.lower() for d in displays(r)):
                continue
            out.append(e)
    return sorted(out, key=cdate)


def latest_group(entries):
    """All entries on the latest clinical day (same-day results are all gold)."""
    if not entries:
        return []
    d = max(day(e) for e in entries)
    return [e for e in entries if day(e) == d]


def in_year(entries, year):
    return [e for e in entries if day(e).startswith(str(year))]


def val(e):
    r = e["resource"]
    if "valueQuantity" in r:
        return r["valueQuantity"].get("value")
    return None


def comp(e, code):
    for c in e["resource"].get("component", []):
        if code in codes(c):
            return c.get("valueQuantity", {}).get("value")
    return None


def robust(v):
    """Shortest prefix shared by the usual roundings of v (see module docstring); None if none."""
    if v is None:
        return None
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    v = float(v)
    start = 0 if abs(v) >= 10 else 1
    variants = ["%.*f" % (p, v) for p in range(start, 4)]
    for d in range(start, 3):
        t = int(abs(v) * 10 ** d) / 10 ** d
        s = ("-" if v < 0 else "") + ("%.*f" % (d, t))
        if all(x.startswith(s) for x in variants):
            return s
    return None


def rv(e):
    s = robust(val(e))
    if s is None:
        raise SystemExit("no robust value for %s (%r)" % (ref(e), val(e)))
    return s


def status_code(r, field):
    x = r.get(field)
    if isinstance(x, dict):
        c = x.get("coding", [{}])
        return c[0].get("code") if c else x.get("text")
    return x


def enc_sorted(patient):
    return sorted(rec(patient).res("Encounter"), key=cdate)


def med_name(e):
    r = e["resource"]
    if r.get("medicationCodeableConcept"):
        return " | ".join(displays(r, "medicationCodeableConcept"))
    m = r.get("medicationReference", {})
    tgt = rec_current.by_ref.get(m.get("reference")) if rec_current else None
    return (m.get("display") or "") + (" | ".join(displays(tgt["resource"])) if tgt else "")


rec_current = None

# ----------------------------------------------------------------------------------------------
# cases: each is (id-number, patient, kind, turns, gold-function). gold-function returns
# dict(gold_refs, match, gold_values, expect_not_found, note)

CASES = []


def case(n, patient, kind, turns):
    def deco(fn):
        CASES.append((n, patient, kind, turns, fn))
        return fn
    return deco


def G(refs, values, note, match="all", nf=False):
    return {"gold_refs": list(refs), "match": match, "gold_values": list(values),
            "expect_not_found": nf, "note": note}


def NF(note):
    return G([], [], note, match="all", nf=True)


def refs_of(entries):
    return [ref(e) for e in entries]


# ==============================================================================================
# CASES START
# ==============================================================================================


@case(1, "Emery_Purdy", "latest",
      ["hey quick one, what was my cholesterol at the last check up? the doc said it was creeping up but i didnt catch the number"])
def _():
    es = latest_group(obs("Emery_Purdy", "2093-3"))
    return G(refs_of(es), [rv(e) for e in es] + [day(es[0])],
             "latest Observation LOINC 2093-3 (total cholesterol) by effectiveDateTime; value rounded per docstring")


@case(2, "Daisey_Johns", "list",
      ["Hi, I'm Daisey's mum. She's 5 and starting a new after-school club next week and they've sent home a form asking "
       "for ALL her allergies, not just the serious ones. I know about the bee sting one because she has the epipen, and "
       "I'm pretty sure dust and the cat were on there from when she had the skin/blood testing as a baby, but I honestly "
       "can't remember the rest and I don't want to miss a food one. Could you list every allergy that's on her record "
       "please? Thank you!"])
def _():
    es = rec("Daisey_Johns").res("AllergyIntolerance")
    return G(refs_of(es), [], "every AllergyIntolerance in the record (8, all clinicalStatus active, none is a "
             "'no known allergy' entry); a complete answer names all of them")


@case(3, "AT_ELGA_GmbH_01", "latest",
      ["What was my blood pressure the last time it was measured?"])
def _():
    es = [e for e in rec("AT_ELGA_GmbH_01").res("Observation") if set(codes(e["resource"])) & {"8480-6", "8462-4"}]
    lg = latest_group(es)
    return G(refs_of(lg), [str(val(e)) for e in lg] + [day(lg[0])],
             "systolic (8480-6) and diastolic (8462-4) are separate Observations without id (refs = fullUrl); the "
             "latest day 2016-07-30 08:30 has TWO readings (110/70 and 117/64), all four Observations are gold")


@case(4, "Josue_Sipes", "count",
      ["my wife keeps saying i basically lived at the clinic in 2019 after the stroke lol. how many times was i actually "
       "seen there that year? need it for the medical expenses thing"])
def _():
    es = [e for e in enc_sorted("Josue_Sipes") if day(e).startswith("2019")]
    return G(refs_of(es), [str(len(es))], "count of Encounter resources with period.start in 2019 (all classes)",
             match="any")


@case(5, "Laurie_McCullough", "still_on",
      ["After everything in 2019 the nurse told me I should sort out contraception again. I used to take a mini pill, "
       "Jolivette I'm fairly sure, but I genuinely can't remember if I stopped it myself or if the doctor took me off it, "
       "and when. Is it still down on my record as something I'm on, or does it say it was stopped? Asking before I book "
       "the appointment so I don't look clueless"])
def _():
    es = [e for e in rec("Laurie_McCullough").res("MedicationRequest") if "jolivette" in med_name(e).lower()]
    return G(refs_of(es), [day(e) for e in es],
             "MedicationRequest Jolivette: status stopped, authoredOn 2015-06-26 (no end date recorded) -> not current")


@case(6, "Liz_Conn", "not_found",
      ["can you pull up my last thyroid blood test? the TSH one. been sooo tired lately and my sister just got told she "
       "has hashimotos so now im paranoid"])
def _():
    r = rec("Liz_Conn")
    tsh = [e for e in r.res("Observation") if set(codes(e["resource"])) & {"3016-3", "11580-8", "3024-7", "3026-2"}]
    assert not tsh
    return NF("no thyroid Observation (TSH 3016-3/11580-8, T4) anywhere in the record -> not in record")


@case(7, "IPS_IG-bundle-01", "meaning",
      ["I got my A1c done last November. Is that result normal? There was something on the lab sheet about a goal and "
       "now I'm not sure if I'm supposed to worry"])
def _():
    es = obs("IPS_IG-bundle-01", "17856-6")
    assert len(es) == 1
    e = es[0]
    return G(refs_of(es), [str(val(e)), day(e)],
             "Observation LOINC 17856-6 HbA1c = 7.5 % on 2017-11-10; no referenceRange recorded, only a note "
             "'Above stated goal of 7.0 %'")


@case(8, "Vito_Feeney", "value_in_year",
      ["I'm going through my late father's health record because my GP asked about prostate problems in the family. "
       "Dad had prostate cancer in the end. Can you tell me what his PSA reading was in 1977?"])
def _():
    es = in_year(obs("Vito_Feeney", "2857-1"), 1977)
    assert len(es) == 1
    return G(refs_of(es), [rv(es[0]), day(es[0])], "Observation LOINC 2857-1 (PSA) dated in 1977: one result")


@case(9, "Martina_Murazik", "followup",
      ["What medicines am I on at the moment?",
       "and which of those did they only start after they found the heart failure?"])
def _():
    r = rec("Martina_Murazik")
    hf = [e for e in r.res("Condition") if any("heart failure" in d.lower() for d in displays(e["resource"]))]
    onset = min(day(e) for e in hf)
    es = [e for e in r.res("MedicationRequest") if e["resource"]["status"] == "active" and day(e) >= onset]
    return G(refs_of(es), sorted(set(day(e) for e in es)),
             "active MedicationRequests authored on/after heart-failure Condition onset (%s): metoprolol and Lasix, "
             "both authoredOn 2020-06-15" % onset)


@case(10, "Lupe_Little", "last_visit",
      ["when did i last see someone at the clinic and what was it for? new dentist form is asking"])
def _():
    e = enc_sorted("Lupe_Little")[-1]
    return G([ref(e)], [day(e)], "latest Encounter by period.start: 2020-09-01 'Encounter for symptom', "
             "reasonCode viral sinusitis")

@case(11, "Fidel_Bins", "previous",
      ["So I've actually been trying with the diet since my last physical (former smoker, asthma, the works). My latest "
       "lipid results say my good cholesterol, the HDL, went down compared to before, which feels unfair lol. What was "
       "the HDL the time before the most recent one? Just want to see how big the drop really was before I give up on "
       "the oatmeal"])
def _():
    es = obs("Fidel_Bins", "2085-9")
    days = sorted(set(day(e) for e in es))
    prev = [e for e in es if day(e) == days[-2]]
    return G(refs_of(prev), [rv(e) for e in prev] + [days[-2]],
             "second most recent day of Observation LOINC 2085-9 (HDL); latest is %s" % days[-1])


@case(12, "US_MEDITECH_ips_2", "list",
      ["getting a tooth pulled thursday and the dentist wants to know which antibiotics i react to. what does my chart say?"])
def _():
    es = rec("US_MEDITECH_ips_2").res("AllergyIntolerance")
    return G(refs_of(es), [], "both AllergyIntolerance entries (ampicillin, penicillin G; reaction hives, criticality "
             "high)")


@case(13, "Renea_Quigley", "ever_had",
      ["I turned 63 over Christmas and a friend of mine just went through the whole colonoscopy prep ordeal and now "
       "she's nagging me to get one. I have a vague memory of doing that awful drink at some point but I might be "
       "thinking of my husband's. Have I actually ever had a colonoscopy according to my records? And if yes, when was "
       "the most recent one, so I know whether I'm due?"])
def _():
    es = sorted([e for e in rec("Renea_Quigley").res("Procedure")
                 if any("colonoscopy" in d.lower() for d in displays(e["resource"]))], key=cdate)
    return G(refs_of(es), [day(e) for e in es],
             "Procedure 'Colonoscopy' occurs twice (2012-12-25, 2017-12-24); latest 2017-12-24")


@case(14, "Luigi_Wiegand", "list",
      ["which vaccines did Luigi get at his last checkup? writing them in his baby book"])
def _():
    imms = rec("Luigi_Wiegand").res("Immunization")
    last = latest_group(imms)
    return G(refs_of(last), [day(last[0])],
             "Immunizations on the latest immunization day (2021-03-30, also the last Encounter): Hib, rotavirus, "
             "IPV, DTaP, PCV13 -> all 5")


@case(15, "Josue_Sipes", "latest",
      ["whats my latest creatinine? seeing the kidney doctor next week"])
def _():
    lg = latest_group(obs("Josue_Sipes", "38483-4"))
    vals = [robust(val(e)) for e in lg]
    return G(refs_of(lg), [v for v in vals if v] + [day(lg[0])],
             "Observation LOINC 38483-4: two creatinine results on the latest day 2021-03-13 (about 2.27 and 2.50) -> "
             "both gold; only 2.50 has a rounding-stable string")


@case(16, "Annmarie_Doyle", "count",
      ["Hello, I help my mother (she's 86) with her online account. She is convinced she has had her flu jab every "
       "single year since she joined this practice and wants to know how many she's had in total. Could you count them?"])
def _():
    es = [e for e in rec("Annmarie_Doyle").res("Immunization")
          if any("influenza" in d.lower() for d in displays(e["resource"], "vaccineCode"))]
    return G(refs_of(es), [str(len(es))], "count of Immunization with vaccineCode influenza (CVX 140)", match="any")


@case(17, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "meaning",
      ["My daughter Lisandra was really unwell at the end of February 2020, very high fever, struggling to breathe, "
       "they gave her oxygen with a mask. Her school is now doing some kind of survey and asks whether she ever had "
       "covid CONFIRMED by a test, not just suspected. I remember they swabbed her for loads of things. Did the covid "
       "test actually come back positive? And were any of the other viruses positive too?"])
def _():
    r = rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir")
    cov = [e for e in r.res("Observation") if "94531-1" in codes(e["resource"])
           and e["resource"].get("valueCodeableConcept")]
    assert len(cov) == 1 and "detected" in displays(cov[0]["resource"], "valueCodeableConcept")[0].lower()
    cond = [e for e in r.res("Condition") if "840539006" in codes(e["resource"])]
    return G(refs_of(cov + cond), [day(cov[0])],
             "SARS-CoV-2 RNA (94531-1) valueCodeableConcept 'Detected' on 2020-02-29 (a twin Observation holds only "
             "the template placeholder '{entry.value}'); Condition COVID-19 confirmed same day; the other respiratory "
             "virus panels are all 'Negative'. Either the detected test or the COVID-19 condition suffices as citation",
             match="any")


@case(18, "Emery_Purdy", "still_on",
      ["am i still meant to be taking the water pill for my blood pressure? hydrochlorothiazide. ran out last week, "
       "wondering if i even need to refill it"])
def _():
    es = [e for e in rec("Emery_Purdy").res("MedicationRequest") if "hydrochlorothiazide" in med_name(e).lower()]
    assert len(es) == 1 and es[0]["resource"]["status"] == "active"
    return G(refs_of(es), [day(es[0])], "MedicationRequest hydrochlorothiazide 25 MG: status active, authoredOn "
             "2007-08-03 -> still on it")


@case(19, "AT_ELGA_GmbH_01", "meaning",
      ["In my blood results from December 2016 there's a line for ferritin (the iron storage thing?) with two H's next "
       "to it. What does that mean, is that bad?"])
def _():
    es = [e for e in rec("AT_ELGA_GmbH_01").res("Observation") if "2276-4" in codes(e["resource"])]
    assert len(es) == 1
    r = es[0]["resource"]
    rr = r["referenceRange"][0]
    return G(refs_of(es), [robust(val(es[0])), robust(rr["low"]["value"]), robust(rr["high"]["value"])],
             "Observation LOINC 2276-4 ferritin 724 ug/L on 2016-12-01, referenceRange 15-400 ug/L, interpretation HH "
             "(critically high)")


@case(20, "Daisey_Johns", "last_visit",
      ["when was daisey last seen by the doctor? was it the checkup or the sinus visit just before christmas? trying to "
       "remember for the nursery form"])
def _():
    e = enc_sorted("Daisey_Johns")[-1]
    return G([ref(e)], [day(e)], "latest Encounter by period.start: 2020-12-19 well-child check up (the sinusitis "
             "visit was 2020-12-15)")


@case(21, "US_MEDITECH_ips_2", "not_found",
      ["My new endocrinologist's office called and wants my most recent A1c before my first appointment. I don't have "
       "the paper copy anymore. Can you find it in my record? Any blood sugar number would help honestly"])
def _():
    r = rec("US_MEDITECH_ips_2")
    assert not r.res("Observation") and not r.res("DiagnosticReport")
    return NF("the MEDITECH bundle holds no Observation or DiagnosticReport at all -> no A1c / glucose in record")


@case(22, "Vito_Feeney", "followup",
      ["how many colonoscopies did my dad have? (I have his records, he passed in 79)",
       "and when was the last one?"])
def _():
    es = sorted([e for e in rec("Vito_Feeney").res("Procedure")
                 if any("colonoscopy" in d.lower() for d in displays(e["resource"]))], key=cdate)
    assert len(es) == 2
    return G([ref(es[-1])], [day(es[-1])], "Procedures 'Colonoscopy': 2 in total (1971-11-11, 1976-11-09); final turn "
             "asks for the last one -> 1976-11-09")


@case(23, "Martina_Murazik", "ever_had",
      ["The pharmacist offered me the pneumonia jab when I went in for my flu shot. I said I'd check first because I've "
       "a feeling I've had it already, maybe more than once? I have the COPD and now the heart failure so I know I'm "
       "supposed to have it, I just don't want to get it twice for no reason. Have I had a pneumonia vaccine, and when?"])
def _():
    es = sorted([e for e in rec("Martina_Murazik").res("Immunization")
                 if any("pneumococcal" in d.lower() for d in displays(e["resource"], "vaccineCode"))], key=cdate)
    return G(refs_of(es), [day(e) for e in es], "pneumococcal Immunizations: PCV13 2018-08-18 and PPSV23 2019-08-24 "
             "-> yes, both")


@case(24, "Renea_Quigley", "count",
      ["how many A1c tests have i had since 2018? insurance says theres a limit"])
def _():
    es = [e for e in obs("Renea_Quigley", "4548-4") if day(e) >= "2018-01-01"]
    return G(refs_of(es), [str(len(es))], "count of Observation LOINC 4548-4 with effectiveDateTime >= 2018-01-01 "
             "(2018-02-01, 2019-02-07, 2020-02-13, 2021-02-18, 2021-03-11)", match="any")


@case(25, "Lupe_Little", "previous",
      ["The doctor told me at my last physical that I'm prediabetic and my sugar test, the A1c, was about 6.2. Since then "
       "I've been walking every evening with the dog and cut out the soda (mostly lol). I want to know if it was getting "
       "worse before that or if it's always been around there. What was the A1c the time before the last one?"])
def _():
    es = obs("Lupe_Little", "4548-4")
    days = sorted(set(day(e) for e in es))
    prev = [e for e in es if day(e) == days[-2]]
    return G(refs_of(prev), [rv(e) for e in prev] + [days[-2]],
             "second most recent Observation LOINC 4548-4 (A1c) by date; latest is %s" % days[-1])


@case(26, "IPS_IG-bundle-01", "list",
      ["Can you list all the medicines I'm currently taking, supplements included? I'm filling in a form for a clinic "
       "abroad"])
def _():
    es = rec("IPS_IG-bundle-01").res("MedicationStatement")
    assert all(e["resource"]["status"] == "active" for e in es)
    return G(refs_of(es), [], "both MedicationStatements (status active): anastrozole 1 mg tablet via "
             "medicationReference (since 2015-03), black cohosh extract herbal supplement (since 2016-01)")


@case(27, "Josue_Sipes", "still_on",
      ["After my stroke they put me on clopidogrel, the blood thinner. I just found a half-used box of it in the "
       "kitchen drawer and my daughter asked if I'm meant to still be taking it. I take a lot of stuff now (the insulin, "
       "the inhaler, metformin, the water pill) and I honestly lose track. Is clopidogrel still on my list or did they "
       "stop it?"])
def _():
    es = [e for e in rec("Josue_Sipes").res("MedicationRequest") if "clopidogrel" in med_name(e).lower()]
    assert len(es) == 1 and es[0]["resource"]["status"] == "stopped"
    return G(refs_of(es), [day(es[0])], "MedicationRequest clopidogrel 75 MG: status stopped, authoredOn 2019-01-26 "
             "(stroke day); no end date recorded -> not current")


@case(28, "Luigi_Wiegand", "not_found",
      ["does luigi have any allergies on file? daycare needs to know"])
def _():
    assert not rec("Luigi_Wiegand").res("AllergyIntolerance")
    return NF("no AllergyIntolerance resource in the record -> no allergy recorded (not the same as a documented "
              "'no known allergy')")


@case(29, "Laurie_McCullough", "value_in_year",
      ["what did i weigh at my 2016 checkup? trying to compare with now"])
def _():
    es = in_year(obs("Laurie_McCullough", "29463-7"), 2016)
    assert len(es) == 1
    return G(refs_of(es), [rv(es[0]), day(es[0])], "Observation LOINC 29463-7 (body weight) dated in 2016: one result")


@case(30, "Liz_Conn", "last_visit",
      ["It's been ages since I was last in, I keep getting my blood pressure tablets on repeat without seeing anyone. "
       "My husband says I'm overdue a review. When was my last actual appointment and what was it?"])
def _():
    e = enc_sorted("Liz_Conn")[-1]
    return G([ref(e)], [day(e)], "latest Encounter by period.start: 2018-08-17 'Encounter for check up'")


@case(31, "Emery_Purdy", "followup",
      ["when was my last flu shot?",
       "ok and how many have i had altogether?"])
def _():
    es = [e for e in rec("Emery_Purdy").res("Immunization")
          if any("influenza" in d.lower() for d in displays(e["resource"], "vaccineCode"))]
    return G(refs_of(es), [str(len(es))], "final turn = total count of influenza Immunizations (CVX 140) in the "
             "record; last one 2021-01-22", match="any")


@case(32, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "latest",
      ["what were her oxygen levels when they checked her? the nurse looked really worried"])
def _():
    es = latest_group(obs("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "59408-5"))
    assert len(es) == 1
    return G(refs_of(es), [rv(es[0]), day(es[0])], "Observation LOINC 59408-5 (SpO2 by pulse oximetry) 76.43 % on "
             "2020-02-29, the only one in the record")


@case(33, "Fidel_Bins", "ever_had",
      ["I'm doing one of those life insurance questionnaires and it has a long list of 'have you ever been diagnosed "
       "with' questions. One of them is pneumonia. I've had asthma since I was a teenager and I've had my share of "
       "chest infections and sinus stuff over the years, so I genuinely don't know if any of those was ever called "
       "pneumonia officially. I don't want to lie on it either way. Does my record show that I've ever had pneumonia?"])
def _():
    r = rec("Fidel_Bins")
    hit = [e for e in r.res("Condition") if any("pneumon" in d.lower() for d in displays(e["resource"]))]
    assert not hit
    return NF("no Condition mentioning pneumonia (conditions: allergic rhinitis, obesity BMI 30+, asthma, viral "
              "sinusitis 2013, viral pharyngitis 2015) -> honest no / not in record")


@case(34, "AT_ELGA_GmbH_01", "count",
      ["We're going hiking in Austria again this summer and my husband reminded me about the tick vaccine (FSME / "
       "tick-borne encephalitis). I know I started the course a while back but I'm not sure if I got all the doses or "
       "just one or two before life got in the way. How many of those tick shots have I had, and when was the last?"])
def _():
    es = sorted([e for e in rec("AT_ELGA_GmbH_01").res("Immunization")
                 if e["resource"].get("status") == "completed"], key=cdate)
    assert all("J07BA01" in codes(e["resource"], "vaccineCode") for e in es)
    return G(refs_of(es), [str(len(es)), day(es[-1])], "Immunizations (all ENCEPUR / TBE, ATC J07BA01, doses 1-3): "
             "3 in total, 2016-06-17, 2016-09-17, 2017-09-17; refs have no id -> fullUrl", match="any")


@case(35, "Renea_Quigley", "meaning",
      ["Is my blood pressure ok? I saw the last reading on the print out and it looked high to me but nobody said "
       "anything about it at the appointment. I'm on the hydrochlorothiazide for it since forever. Should that number "
       "worry me?"])
def _():
    es = latest_group(obs("Renea_Quigley", "55284-4"))
    assert len(es) == 1
    e = es[0]
    s, d = comp(e, "8480-6"), comp(e, "8462-4")
    return G(refs_of(es), [robust(s), robust(d), day(e)],
             "latest Observation LOINC 55284-4 (components 8480-6 / 8462-4) on 2021-03-11 about 175/111 mmHg; no "
             "referenceRange in the record")


@case(36, "US_MEDITECH_ips_2", "still_on",
      ["Am I still on the Aranesp shots for my anemia (darbepoetin)? My kidney team mentioned maybe stopping them but "
       "I never heard back and I'm not sure if it got changed in the system. I've also had a few different antibiotics "
       "and Tylenol on there at some point, I'm not asking about those, just the anemia injection"])
def _():
    r = rec("US_MEDITECH_ips_2")
    es = [e for e in r.res("MedicationRequest") if "darbepoetin" in json.dumps(e["resource"]).lower()]
    assert len(es) == 1 and es[0]["resource"]["status"] == "active"
    return G(refs_of(es), [], "MedicationRequest darbepoetin alfa (medicationReference -> Medication Aranesp): status "
             "active, dosage start 2015-06-22, authoredOn 2020-11-16, no end -> still on it. (An NDC-only "
             "MedicationStatement, active since 2020-11-16, is likely the same product but has no name.) No date "
             "required because the record carries two different start dates")


@case(37, "Annmarie_Doyle", "not_found",
      ["My mum's friend has just been started on metformin and now mum is adamant she was put on it too, years ago, "
       "'for her sugar'. She's 86 and gets muddled sometimes. Is metformin anywhere in her record, past or present? "
       "I'd like to settle this without a row"])
def _():
    r = rec("Annmarie_Doyle")
    assert not [e for e in r.res("MedicationRequest") if "metformin" in med_name(e).lower()]
    return NF("no MedicationRequest for metformin (only amoxicillin/clavulanate 2011, acetaminophen 2012, penicillin V "
              "2012, all stopped); no diabetes condition either -> not in record")


@case(38, "Martina_Murazik", "last_visit",
      ["Hi, I'm Martina's son. Mum ended up at A&E a couple of weeks before Christmas, breathless again, and she came "
       "home with no letter, just 'they did a scan of my chest and some bloods'. She has heart failure and COPD so we "
       "worry. Can you tell me when her most recent visit was and what kind of visit it was? I just want to make sure "
       "it's been logged and her GP can see it."])
def _():
    e = enc_sorted("Martina_Murazik")[-1]
    assert e["resource"]["class"]["code"] == "EMER"
    return G([ref(e)], [day(e)], "latest Encounter by period.start: 2020-12-12, class EMER 'Encounter for Problem' "
             "(same day: plain chest X-ray Procedure and a comprehensive metabolic panel)")


@case(39, "IPS_IG-bundle-01", "ever_had",
      ["A new doctor asked if I've ever had breast cancer and whether it's in my record properly. Is it in there? "
       "And does it say I'm in remission? I had the treatment years ago and I'm still on the tablets for it"])
def _():
    es = [e for e in rec("IPS_IG-bundle-01").res("Condition")
          if any("breast" in d.lower() for d in displays(e["resource"]))]
    assert len(es) == 1
    return G(refs_of(es), [es[0]["resource"]["onsetDateTime"][:4]],
             "Condition 'Malignant tumor of breast' (ICD-O-3 8500/3), clinicalStatus remission, onset 2015-01, "
             "abatement 2015-03 (partial dates)")


@case(40, "Josue_Sipes", "followup",
      ["have i ever had the shingles vaccine?",
       "ok what about the pneumonia one then"])
def _():
    r = rec("Josue_Sipes")
    zos = [e for e in r.res("Immunization") if any("zoster" in d.lower() or "shingrix" in d.lower()
                                                   for d in displays(e["resource"], "vaccineCode"))]
    assert not zos
    es = [e for e in r.res("Immunization") if any("pneumococcal" in d.lower()
                                                  for d in displays(e["resource"], "vaccineCode"))]
    return G(refs_of(es), [day(e) for e in es], "turn 1: no zoster Immunization in record; final turn: pneumococcal "
             "Immunization PCV13 on 2021-03-13 (only one)")


# ==============================================================================================
# CASES END
# ==============================================================================================


def build():
    global rec_current
    out = []
    for n, patient, kind, turns, fn in sorted(CASES, key=lambda c: c[0]):
        rec_current = rec(patient)
        g = fn()
        line = {"id": "%s%03d" % (PREFIX, n), "lang": LANG, "patient": patient, "kind": kind, "turns": turns}
        line.update(g)
        out.append(line)
    return out


def main():
    lines = build()
    if "--print" in sys.argv:
        for l in lines:
            print(json.dumps(l, ensure_ascii=False))
        return
    if "--write" in sys.argv:
        k = int(sys.argv[sys.argv.index("--write") + 1])
        path = os.path.join(HERE, "%s-%02d.jsonl" % (LANG, k))
        if os.path.exists(path):
            raise SystemExit("%s exists; saved files are final" % path)
        chunk = [l for l in lines if 10 * (k - 1) < int(l["id"][-3:]) <= 10 * k]
        with open(path, "w", encoding="utf-8") as f:
            for l in chunk:
                f.write(json.dumps(l, ensure_ascii=False) + "\n")
        print("wrote %s (%d cases)" % (path, len(chunk)))
        return
    # verify mode
    saved = {}
    for p in sorted(glob.glob(os.path.join(HERE, "%s-*.jsonl" % LANG))):
        for l in open(p, encoding="utf-8"):
            if l.strip():
                d = json.loads(l)
                saved[d["id"]] = d
    bad = 0
    for l in lines:
        s = saved.get(l["id"])
        if s is None:
            print("not saved yet:", l["id"])
            continue
        for k in ("gold_refs", "match", "gold_values", "expect_not_found", "note", "patient", "kind", "turns"):
            if s.get(k) != l.get(k):
                bad += 1
                print("MISMATCH", l["id"], k)
    print("cases computed: %d, saved: %d, mismatches: %d" % (len(lines), len(saved), bad))


if __name__ == "__main__":
    main()
