#!/usr/bin/env python3
"""Gold for the French record questions rb13-fr-001 .. rb13-fr-040.

Standard library only. Reads the FHIR bundles (read-only) and recomputes, for each case id, the
gold fields: gold_refs, match, gold_values, expect_not_found, note.

Usage:
  python3 gold-fr.py            # print the gold fields of every case (JSON lines)
  python3 gold-fr.py --check    # compare with fr-*.jsonl in this directory, report differences

Number formatting used in gold_values (Synthea stores long floats): values are rounded to one
decimal and a trailing ".0" is dropped (192.9994 -> "193", 7.262 -> "7.3"); blood-pressure
components are rounded to whole mmHg. Real-world files keep the value as written (e.g. "7.5").
The full stored value is always quoted in the note.
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = "/work/shared/data/synthea"
RW = "/work/shared/data/realworld"

_cache = {}


def bundle(patient):
    if patient not in _cache:
        p = os.path.join(RW, patient + ".json")
        if not os.path.exists(p):
            p = glob.glob(os.path.join(SYN, patient + "_*.json"))[0]
        with open(p, encoding="utf-8") as f:
            _cache[patient] = json.load(f)
    return _cache[patient]


def entries(patient, rtype=None):
    for e in bundle(patient)["entry"]:
        r = e["resource"]
        if rtype is None or r["resourceType"] == rtype:
            yield e


def ref(e):
    r = e["resource"]
    if r.get("id"):
        return "%s/%s" % (r["resourceType"], r["id"])
    return e["fullUrl"]


def codes(cc):
    return {c.get("code") for c in (cc or {}).get("coding", [])}


def text_of(cc):
    cc = cc or {}
    parts = [c.get("display") or "" for c in cc.get("coding", [])]
    parts.append(cc.get("text") or "")
    seen = []
    for p in parts:
        if p and p not in seen:
            seen.append(p)
    return " | ".join(seen)


def fmt(v, nd=1):
    if isinstance(v, int):
        return str(v)
    s = "%.*f" % (nd, round(v + 0.0, nd))
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def fmt_int(v):
    return str(int(round(v)))


def day(s):
    return (s or "")[:10]


def obs_date(r):
    return r.get("effectiveDateTime") or (r.get("effectivePeriod") or {}).get("start") or r.get("issued")


def observations(patient, code):
    """Observations carrying LOINC `code`, sorted by clinical date (undated last is dropped)."""
    out = []
    for e in entries(patient, "Observation"):
        r = e["resource"]
        if code in codes(r.get("code")):
            out.append(e)
    return sorted(out, key=lambda e: obs_date(e["resource"]) or "")


def dated(es):
    return [e for e in es if obs_date(e["resource"])]


def by_date_groups(es):
    """[(YYYY-MM-DD, [entries])] ascending."""
    g = {}
    for e in dated(es):
        g.setdefault(day(obs_date(e["resource"])), []).append(e)
    return sorted(g.items())


def qv(e):
    return e["resource"]["valueQuantity"]["value"]


def bp_components(e):
    r = e["resource"]
    sys_ = dia = None
    for c in r.get("component", []):
        if "8480-6" in codes(c.get("code")):
            sys_ = c["valueQuantity"]["value"]
        if "8462-4" in codes(c.get("code")):
            dia = c["valueQuantity"]["value"]
    return sys_, dia


def encounters(patient):
    es = list(entries(patient, "Encounter"))
    return sorted(es, key=lambda e: e["resource"]["period"]["start"])


def enc_label(e):
    r = e["resource"]
    t = "; ".join(text_of(x) for x in r.get("type", []))
    rs = "; ".join(text_of(x) for x in r.get("reasonCode", []))
    return "%s [%s]%s" % (t, r.get("class", {}).get("code"), (" reason: " + rs) if rs else "")


def immunizations(patient, cvx=None, pred=None):
    out = []
    for e in entries(patient, "Immunization"):
        r = e["resource"]
        if cvx is not None and not (codes(r.get("vaccineCode")) & set(cvx)):
            continue
        if pred is not None and not pred(r):
            continue
        out.append(e)
    return sorted(out, key=lambda e: e["resource"].get("occurrenceDateTime") or "")


def procedures(patient, code=None, pred=None):
    out = []
    for e in entries(patient, "Procedure"):
        r = e["resource"]
        if code is not None and code not in codes(r.get("code")):
            continue
        if pred is not None and not pred(r):
            continue
        out.append(e)
    return sorted(out, key=lambda e: e["resource"].get("performedDateTime")
                  or (e["resource"].get("performedPeriod") or {}).get("start") or "")


def proc_date(r):
    return r.get("performedDateTime") or (r.get("performedPeriod") or {}).get("start")


def med_requests(patient, rxnorm=None, status=None):
    out = []
    for e in entries(patient, "MedicationRequest"):
        r = e["resource"]
        if rxnorm is not None and rxnorm not in codes(r.get("medicationCodeableConcept")):
            continue
        if status is not None and r.get("status") not in status:
            continue
        out.append(e)
    return sorted(out, key=lambda e: e["resource"].get("authoredOn") or "")


def allergies(patient):
    """Real allergies: negated 'no known ...' entries are excluded, as are inactive ones."""
    out = []
    for e in entries(patient, "AllergyIntolerance"):
        r = e["resource"]
        t = text_of(r.get("code")).lower()
        if "no known" in t or "716186003" in codes(r.get("code")) or "429625007" in codes(r.get("code")):
            continue
        cs = codes(r.get("clinicalStatus"))
        if cs and not (cs & {"active"}):
            continue
        out.append(e)
    return out


def G(refs, match, values, nf, note):
    return {"gold_refs": refs, "match": match, "gold_values": values, "expect_not_found": nf, "note": note}


# ---------------------------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------------------------
CASES = {}


def case(cid, patient, kind):
    def deco(fn):
        CASES[cid] = (patient, kind, fn)
        return fn
    return deco


def latest_obs(patient, code, label):
    groups = by_date_groups(observations(patient, code))
    d, es = groups[-1]
    vals = [qv(e) for e in es]
    return G([ref(e) for e in es], "all", [fmt(v) for v in vals] + [d], False,
             "latest %s (LOINC %s) by effectiveDateTime: %s on %s (%d result(s) that day)"
             % (label, code, ", ".join(repr(v) for v in vals), d, len(es)))


@case("rb13-fr-001", "Emery_Purdy", "latest")
def c001():
    return latest_obs("Emery_Purdy", "4548-4", "HbA1c")


@case("rb13-fr-002", "IPS_IG-bundle-01", "list")
def c002():
    al = allergies("IPS_IG-bundle-01")
    neg = [ref(e) for e in entries("IPS_IG-bundle-01", "AllergyIntolerance") if e not in al]
    return G([ref(e) for e in al], "all", [], False,
             "allergies: %s; the 'No known food allergy' entry (%s) is a negation, not an allergy"
             % ("; ".join(text_of(e["resource"]["code"]) for e in al), ", ".join(neg)))


@case("rb13-fr-003", "Daisey_Johns", "still_on")
def c003():
    es = med_requests("Daisey_Johns", rxnorm="1870230")
    r = es[-1]["resource"]
    return G([ref(e) for e in es], "all", [day(r["authoredOn"])], False,
             "epinephrine auto-injector MedicationRequest status=%s, authoredOn %s, no later stop -> still on"
             % (r["status"], day(r["authoredOn"])))


@case("rb13-fr-004", "AT_ELGA_GmbH_01", "count")
def c004():
    es = immunizations("AT_ELGA_GmbH_01", pred=lambda r: "J07BA01" in codes(r.get("vaccineCode"))
                       and r.get("status") == "completed")
    ds = [day(e["resource"]["occurrenceDateTime"]) for e in es]
    return G([ref(e) for e in es], "all", [str(len(es))] + ds, False,
             "completed Immunizations ATC J07BA01 (FSME/TBE, Encepur): %d doses on %s" % (len(es), ", ".join(ds)))


@case("rb13-fr-005", "Annmarie_Doyle", "value_in_year")
def c005():
    es = [e for e in observations("Annmarie_Doyle", "2093-3") if obs_date(e["resource"]).startswith("2017")]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [day(obs_date(es[0]["resource"]))], False,
             "total cholesterol (LOINC 2093-3) in 2017: %s mg/dL on %s"
             % (", ".join(repr(qv(e)) for e in es), day(obs_date(es[0]["resource"]))))


@case("rb13-fr-006", "Luigi_Wiegand", "ever_had")
def c006():
    mmr = immunizations("Luigi_Wiegand", cvx=["03", "94"])
    allv = immunizations("Luigi_Wiegand")
    assert not mmr
    return G([], "any", [], True,
             "no MMR (CVX 03/94) Immunization in the record (%d immunizations, none MMR) -> honest no / not in record"
             % len(allv))


@case("rb13-fr-007", "US_MEDITECH_ips_2", "not_found")
def c007():
    n = len(list(entries("US_MEDITECH_ips_2", "Observation"))) + len(list(entries("US_MEDITECH_ips_2", "DiagnosticReport")))
    assert n == 0
    return G([], "any", [], True,
             "bundle holds no Observation and no DiagnosticReport: no blood test / haemoglobin result in the record "
             "(anaemia is only mentioned as suspected in a Condition note)")


@case("rb13-fr-008", "Fidel_Bins", "last_visit")
def c008():
    e = encounters("Fidel_Bins")[-1]
    d = day(e["resource"]["period"]["start"])
    return G([ref(e)], "all", [d], False, "latest Encounter by period.start: %s, %s" % (d, enc_label(e)))


@case("rb13-fr-009", "Renea_Quigley", "followup")
def c009():
    es = [e for e in observations("Renea_Quigley", "2093-3") if obs_date(e["resource"]).startswith("2019")]
    last = by_date_groups(observations("Renea_Quigley", "2093-3"))[-1]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [day(obs_date(es[0]["resource"]))], False,
             "turn 1 = latest total cholesterol %s mg/dL on %s; final turn asks 2019: LOINC 2093-3 in 2019 = %s on %s"
             % (", ".join(repr(qv(x)) for x in last[1]), last[0],
                ", ".join(repr(qv(e)) for e in es), day(obs_date(es[0]["resource"]))))


@case("rb13-fr-010", "Martina_Murazik", "meaning")
def c010():
    d, es = by_date_groups(observations("Martina_Murazik", "10230-1"))[-1]
    rr = [e["resource"].get("referenceRange") for e in es]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es], False,
             "left ventricular ejection fraction (LOINC 10230-1): two results on %s: %s %%; no referenceRange recorded "
             "(%s); both are below the usual normal (~50-70%%), in line with her chronic heart failure"
             % (d, ", ".join(repr(qv(e)) for e in es), rr))


@case("rb13-fr-011", "Josue_Sipes", "latest")
def c011():
    return latest_obs("Josue_Sipes", "2093-3", "total cholesterol")


@case("rb13-fr-012", "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "not_found")
def c012():
    p = "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir"
    assert not list(entries(p, "Immunization"))
    return G([], "any", [], True, "no Immunization resource at all in this C-CDA conversion -> vaccinations not in record")


@case("rb13-fr-013", "Laurie_McCullough", "still_on")
def c013():
    es = med_requests("Laurie_McCullough", rxnorm="757594")
    r = es[-1]["resource"]
    return G([ref(e) for e in es], "all", [day(r["authoredOn"])], False,
             "Jolivette 28 Day Pack MedicationRequest status=%s (prescribed %s); no later/active prescription -> stopped"
             % (r["status"], day(r["authoredOn"])))


@case("rb13-fr-014", "Liz_Conn", "previous")
def c014():
    groups = by_date_groups(observations("Liz_Conn", "55284-4"))
    d, es = groups[-2]
    s, di = bp_components(es[0])
    ls, ld = bp_components(groups[-1][1][0])
    return G([ref(e) for e in es], "all", [fmt_int(s), fmt_int(di), d], False,
             "blood pressure panel 55284-4: latest %s = %r/%r; the one before is %s = %r/%r mmHg"
             % (groups[-1][0], ls, ld, d, s, di))


@case("rb13-fr-015", "Vito_Feeney", "count")
def c015():
    es = procedures("Vito_Feeney", code="65575008")
    ds = [day(proc_date(e["resource"])) for e in es]
    return G([ref(e) for e in es], "all", [str(len(es))] + ds, False,
             "Procedure SNOMED 65575008 biopsy of prostate: %d on %s" % (len(es), ", ".join(ds)))


@case("rb13-fr-016", "US_MEDITECH_ips_2", "list")
def c016():
    al = allergies("US_MEDITECH_ips_2")
    return G([ref(e) for e in al], "all", [], False,
             "active AllergyIntolerance: %s (both reaction hives, criticality high)"
             % "; ".join(text_of(e["resource"]["code"]) for e in al))


@case("rb13-fr-017", "Lupe_Little", "meaning")
def c017():
    d, es = by_date_groups(observations("Lupe_Little", "2339-0"))[-1]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [d], False,
             "latest glucose (LOINC 2339-0) %s mg/dL on %s; no referenceRange recorded; within usual fasting range "
             "(70-99 mg/dL); he has prediabetes on the problem list" % (", ".join(repr(qv(e)) for e in es), d))


@case("rb13-fr-018", "Emery_Purdy", "ever_had")
def c018():
    es = procedures("Emery_Purdy", code="73761001")
    ds = [day(proc_date(e["resource"])) for e in es]
    return G([ref(e) for e in es], "all", ds, False, "Procedure 73761001 colonoscopy: yes, %s" % ", ".join(ds))


@case("rb13-fr-019", "Daisey_Johns", "followup")
def c019():
    flu = immunizations("Daisey_Johns", cvx=["140"])
    es = [e for e in flu if e["resource"]["occurrenceDateTime"].startswith("2020")]
    ds = [day(e["resource"]["occurrenceDateTime"]) for e in es]
    return G([ref(e) for e in es], "all", [str(len(es))] + ds, False,
             "turn 1: flu vaccines (CVX 140) in total = %d (%s); final turn asks 2020 only: %d on %s"
             % (len(flu), ", ".join(day(e["resource"]["occurrenceDateTime"]) for e in flu), len(es), ", ".join(ds)))


@case("rb13-fr-020", "AT_ELGA_GmbH_01", "meaning")
def c020():
    es = observations("AT_ELGA_GmbH_01", "2276-4")
    r = es[-1]["resource"]
    rr = r["referenceRange"][0]
    return G([ref(es[-1])], "all", [fmt(r["valueQuantity"]["value"]), fmt(rr["low"]["value"]), fmt(rr["high"]["value"])],
             False, "Ferritin %r %s on %s, reference range %r-%r, interpretation %s -> high"
             % (r["valueQuantity"]["value"], r["valueQuantity"]["unit"], day(obs_date(r)), rr["low"]["value"],
                rr["high"]["value"], [c["code"] for i in r.get("interpretation", []) for c in i["coding"]]))


@case("rb13-fr-021", "IPS_IG-bundle-01", "still_on")
def c021():
    out = []
    for e in entries("IPS_IG-bundle-01", "MedicationStatement"):
        r = e["resource"]
        mref = r["medicationReference"]["reference"]
        med = [m for m in entries("IPS_IG-bundle-01", "Medication") if m["fullUrl"] == mref][0]
        if "L02BG03" in codes(med["resource"]["code"]):
            out.append((e, r))
    e, r = out[0]
    start = r["effectivePeriod"]["start"]
    return G([ref(e)], "all", [start], False,
             "MedicationStatement (anastrozole via medicationReference) status=%s, effectivePeriod.start %s, no end -> still on"
             % (r["status"], start))


@case("rb13-fr-022", "Martina_Murazik", "last_visit")
def c022():
    e = encounters("Martina_Murazik")[-1]
    d = day(e["resource"]["period"]["start"])
    px = [ref(p) for p in procedures("Martina_Murazik") if day(proc_date(p["resource"])) == d]
    return G([ref(e)], "all", [d], False,
             "latest Encounter by period.start: %s, %s; same day: %s (plain chest X-ray)" % (d, enc_label(e), px))


@case("rb13-fr-023", "Josue_Sipes", "count")
def c023():
    es = procedures("Josue_Sipes", code="127783003")
    return G([ref(e) for e in es], "any", [str(len(es))], False,
             "Procedure 127783003 spirometry, all dates: %d (first %s, last %s); match any (citing every one is not required)"
             % (len(es), day(proc_date(es[0]["resource"])), day(proc_date(es[-1]["resource"]))))


@case("rb13-fr-024", "Renea_Quigley", "previous")
def c024():
    groups = by_date_groups(observations("Renea_Quigley", "38483-4"))
    d, es = groups[-2]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [d], False,
             "creatinine (LOINC 38483-4): latest date %s has %s; the previous date %s has two results %s mg/dL "
             "(two panels that day) -> both gold"
             % (groups[-1][0], [qv(e) for e in groups[-1][1]], d, [qv(e) for e in es]))


@case("rb13-fr-025", "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "latest")
def c025():
    p = "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir"
    es = [e for e in observations(p, "94531-1") if "valueCodeableConcept" in e["resource"]]
    ph = [ref(e) for e in observations(p, "94531-1") if "valueCodeableConcept" not in e["resource"]]
    r = es[-1]["resource"]
    return G([ref(es[-1])], "all", [day(obs_date(r))], False,
             "SARS-CoV-2 RNA (LOINC 94531-1) on %s: %s; the twin Observation %s only holds the template placeholder "
             "'{entry.value}'; COVID-19 Condition recorded the same day"
             % (day(obs_date(r)), text_of(r["valueCodeableConcept"]), ph))


@case("rb13-fr-026", "Luigi_Wiegand", "last_visit")
def c026():
    e = encounters("Luigi_Wiegand")[-1]
    d = day(e["resource"]["period"]["start"])
    vx = immunizations("Luigi_Wiegand", pred=lambda r: day(r["occurrenceDateTime"]) == d)
    return G([ref(e)], "all", [d], False,
             "latest Encounter: %s, %s; vaccines given that day: %s"
             % (d, enc_label(e), ", ".join(text_of(v["resource"]["vaccineCode"]) for v in vx)))


@case("rb13-fr-027", "Fidel_Bins", "count")
def c027():
    es = [e for e in encounters("Fidel_Bins") if "asthma follow-up" in enc_label(e).lower()]
    ds = [day(e["resource"]["period"]["start"]) for e in es]
    return G([ref(e) for e in es], "any", [str(len(es))], False,
             "Encounters of type 'Asthma follow-up': %d (%s); the emergency admission for asthma is not a follow-up; match any"
             % (len(es), ", ".join(ds)))


@case("rb13-fr-028", "Laurie_McCullough", "ever_had")
def c028():
    es = immunizations("Laurie_McCullough", cvx=["62", "118", "137", "165"])
    ds = [day(e["resource"]["occurrenceDateTime"]) for e in es]
    return G([ref(e) for e in es], "all", [str(len(es))] + ds, False,
             "HPV vaccine (CVX 62 quadrivalent): yes, %d doses on %s" % (len(es), ", ".join(ds)))


@case("rb13-fr-029", "Annmarie_Doyle", "last_visit")
def c029():
    e = encounters("Annmarie_Doyle")[-1]
    d = day(e["resource"]["period"]["start"])
    return G([ref(e)], "all", [d], False, "latest Encounter by period.start: %s, %s (flu vaccine + lipid panel that day)"
             % (d, enc_label(e)))


@case("rb13-fr-030", "Liz_Conn", "not_found")
def c030():
    hits = [ref(p) for p in procedures("Liz_Conn")
            if any(k in text_of(p["resource"]["code"]).lower() for k in ("papanicolaou", "cervical", "pap ", "smear", "hpv"))]
    assert not hits
    return G([], "any", [], True,
             "no cervical smear / Pap / HPV screening Procedure or Observation in the record -> not in record")


@case("rb13-fr-031", "Vito_Feeney", "followup")
def c031():
    groups = by_date_groups(observations("Vito_Feeney", "2857-1"))
    d, es = groups[-2]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [d], False,
             "PSA (LOINC 2857-1): latest %s = %r ng/mL; final turn asks the one before: %s = %r ng/mL"
             % (groups[-1][0], qv(groups[-1][1][0]), d, qv(es[0])))


@case("rb13-fr-032", "AT_ELGA_GmbH_01", "latest")
def c032():
    sy = by_date_groups(observations("AT_ELGA_GmbH_01", "8480-6"))[-1]
    di = by_date_groups(observations("AT_ELGA_GmbH_01", "8462-4"))[-1]
    assert sy[0] == di[0]
    pairs = []
    for s in sy[1]:
        for d in di[1]:
            # pair readings recorded the same way (effectiveDateTime with effectiveDateTime,
            # effectivePeriod with effectivePeriod): both pairs carry the same start time
            if (obs_date(s["resource"]) == obs_date(d["resource"])
                    and ("effectiveDateTime" in s["resource"]) == ("effectiveDateTime" in d["resource"])):
                pairs.append((s, d))
    refs, vals, desc = [], [], []
    for s, d in pairs:
        refs += [ref(s), ref(d)]
        vals += [fmt(qv(s)), fmt(qv(d))]
        k = "effectiveDateTime" if "effectiveDateTime" in s["resource"] else "effectivePeriod"
        desc.append("%r/%r (%s %s)" % (qv(s), qv(d), k, obs_date(s["resource"])))
    return G(refs, "all", vals + [sy[0]], False,
             "systolic (8480-6) and diastolic (8462-4) are separate Observations; the latest date %s holds two readings "
             "taken at the same time: %s -> both pairs are gold" % (sy[0], "; ".join(desc)))


@case("rb13-fr-033", "Lupe_Little", "value_in_year")
def c033():
    es = [e for e in observations("Lupe_Little", "4548-4") if obs_date(e["resource"]).startswith("2016")]
    return G([ref(e) for e in es], "all", [fmt(qv(e)) for e in es] + [day(obs_date(es[0]["resource"]))], False,
             "HbA1c (LOINC 4548-4) in 2016: %s %% on %s" % (", ".join(repr(qv(e)) for e in es), day(obs_date(es[0]["resource"]))))


@case("rb13-fr-034", "US_MEDITECH_ips_2", "ever_had")
def c034():
    es = procedures("US_MEDITECH_ips_2", code="175135009")
    dev = [ref(e) for e in entries("US_MEDITECH_ips_2", "Device")] + [ref(e) for e in entries("US_MEDITECH_ips_2", "DeviceUseStatement")]
    d = day(proc_date(es[0]["resource"]))
    return G([ref(e) for e in es] + dev, "any", [d], False,
             "Procedure 'Intro of Pacemaker via vein' status completed on %s; also an active implanted cardiac "
             "resynchronization therapy defibrillator (Device/DeviceUseStatement %s) -> yes" % (d, dev))


@case("rb13-fr-035", "Daisey_Johns", "list")
def c035():
    al = allergies("Daisey_Johns")
    return G([ref(e) for e in al], "all", [str(len(al))], False,
             "%d active AllergyIntolerance: %s" % (len(al), "; ".join(text_of(e["resource"]["code"]) for e in al)))


@case("rb13-fr-036", "Emery_Purdy", "followup")
def c036():
    groups = by_date_groups(observations("Emery_Purdy", "55284-4"))
    d, es = groups[-2]
    s, di = bp_components(es[0])
    ls, ld = bp_components(groups[-1][1][0])
    return G([ref(e) for e in es], "all", [fmt_int(s), fmt_int(di), d], False,
             "turn 1 = latest BP %s %r/%r; final turn asks the year before: %s = %r/%r mmHg"
             % (groups[-1][0], ls, ld, d, s, di))


@case("rb13-fr-037", "IPS_IG-bundle-01", "meaning")
def c037():
    es = observations("IPS_IG-bundle-01", "17856-6")
    r = es[-1]["resource"]
    return G([ref(es[-1])], "all", [fmt(r["valueQuantity"]["value"])], False,
             "HbA1c (LOINC 17856-6) %r %% on %s; no referenceRange; note: %r"
             % (r["valueQuantity"]["value"], day(obs_date(r)), [n["text"] for n in r.get("note", [])]))


@case("rb13-fr-038", "Josue_Sipes", "still_on")
def c038():
    es = med_requests("Josue_Sipes", rxnorm="309362")
    r = es[-1]["resource"]
    return G([ref(e) for e in es], "all", [day(r["authoredOn"])], False,
             "Clopidogrel 75 MG MedicationRequest status=%s, authoredOn %s (stroke that day); no active one -> stopped"
             % (r["status"], day(r["authoredOn"])))


@case("rb13-fr-039", "Martina_Murazik", "list")
def c039():
    es = med_requests("Martina_Murazik", status={"active"})
    return G([ref(e) for e in es], "all", [], False,
             "active MedicationRequests: %s" % "; ".join(
                 "%s (since %s)" % (text_of(e["resource"]["medicationCodeableConcept"]), day(e["resource"]["authoredOn"]))
                 for e in es))


@case("rb13-fr-040", "Renea_Quigley", "not_found")
def c040():
    hits = [ref(e) for e in entries("Renea_Quigley", "Observation")
            if "vitamin d" in text_of(e["resource"]["code"]).lower()
            or codes(e["resource"]["code"]) & {"1989-3", "62292-8", "14635-7"}]
    assert not hits
    return G([], "any", [], True, "no vitamin D (25-OH, LOINC 1989-3/62292-8/14635-7) Observation -> not in record")


def compute_all():
    out = {}
    for cid in sorted(CASES):
        patient, kind, fn = CASES[cid]
        g = fn()
        out[cid] = dict(id=cid, patient=patient, kind=kind, **g)
    return out


def main():
    gold = compute_all()
    if "--check" in sys.argv:
        bad = 0
        seen = set()
        for f in sorted(glob.glob(os.path.join(HERE, "fr-*.jsonl"))):
            with open(f, encoding="utf-8") as fh:
                for line in fh:
                    c = json.loads(line)
                    seen.add(c["id"])
                    g = gold[c["id"]]
                    for k in ("patient", "kind", "gold_refs", "match", "gold_values", "expect_not_found", "note"):
                        if c.get(k) != g[k]:
                            bad += 1
                            print("DIFF", c["id"], k, c.get(k), "!=", g[k])
        print("checked %d cases, %d differences" % (len(seen), bad))
        return 1 if bad else 0
    for cid, g in gold.items():
        print(json.dumps(g, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
