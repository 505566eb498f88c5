#!/usr/bin/env python3
"""Gold computation for blind set rb19 (French cases).

Standard library only. Reads the FHIR bundles read-only and recomputes gold_refs / match /
gold_values / expect_not_found / note for every case.

  python3 gold-fr.py          -> check every existing fr-NN.jsonl against the recomputed gold
  python3 gold-fr.py --write  -> additionally write any fr-NN.jsonl that does not exist yet
                                 (existing files are never rewritten)
"""
import glob
import json
import os
import sys

DATA = "/work/shared/data"
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = "fr"
PREFIX = "rb19-fr-"

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


def g_fr001():
    P = rec("Annmarie_Doyle")
    xs = sorted(P.of("Immunization", lambda r: has_code(r, "140", "vaccineCode")),
                key=lambda x: x[1]["occurrenceDateTime"])
    return G([x[0] for x in xs], [len(xs)],
             "count of influenza Immunizations (CVX 140) in the whole record: %d (%s)" % (
                 len(xs), ", ".join(d10(r["occurrenceDateTime"]) for _, r in xs)), match="any")


def g_fr002():
    g = bp_obs(rec("Annmarie_Doyle"), "latest")
    g["note"] += " mmHg; no referenceRange recorded (usual clinic target below 140/90)"
    return g


def g_fr003():
    g = latest_obs(rec("Liz_Conn"), "18262-6", "LDL cholesterol")
    g["note"] = "turn 1: date of latest lipid panel (2018-08-17); turn 2 (gold): " + g["note"] + " mg/dL"
    return g


def g_fr004():
    P = rec("Liz_Conn")
    xs = P.of("Immunization", lambda r: has_code(r, "113", "vaccineCode"))
    return G([x[0] for x in xs], [d10(r["occurrenceDateTime"]) for _, r in xs],
             "Immunization CVX 113 Td (adult) (tetanus-diphtheria): %s" % ", ".join(
                 d10(r["occurrenceDateTime"]) for _, r in xs))


def g_fr005():
    P = rec("Luigi_Wiegand")
    xs = sorted(P.of("Encounter"), key=lambda x: enc_date(x[1]))
    ref, r = xs[-1]
    return G([ref], [d10(enc_date(r))],
             "latest Encounter by period.start: %s '%s' (well-child check-up with vaccines)" % (
                 d10(enc_date(r)), enc_type(r)))


def g_fr006():
    P = rec("Luigi_Wiegand")
    last = max(d10(r["occurrenceDateTime"]) for _, r in P.of("Immunization"))
    xs = P.of("Immunization", lambda r: d10(r["occurrenceDateTime"]) == last)
    return G([x[0] for x in xs], [last],
             "Immunizations on the latest vaccination date %s: %s" % (
                 last, "; ".join(r["vaccineCode"]["coding"][0]["display"] for _, r in xs)))


def g_fr007():
    return obs_in_year(rec("Lupe_Little"), "2093-3", "total cholesterol", 2013)


def g_fr008():
    P = rec("Lupe_Little")
    blob = json.dumps([r for _, r in P.entries if r["resourceType"] in ("Observation", "DiagnosticReport")]).lower()
    assert "vitamin d" not in blob and "1989-3" not in blob and "calcidiol" not in blob and "25-hydroxy" not in blob
    return NF("no vitamin D (25-OH vitamin D, LOINC 1989-3 or any vitamin D) Observation or report in the record")


def g_fr009():
    P = rec("Fidel_Bins")
    xs = P.of("MedicationRequest", lambda r: "albuterol" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s (salbutamol reliever) status=%s authoredOn %s; not stopped" % (
                 med_name(r), r["status"], d10(r["authoredOn"])))


def g_fr010():
    return nth_from_last_obs(rec("Fidel_Bins"), "2085-9", "HDL cholesterol", 2)


FILES[1] = [
    c(1, "Annmarie_Doyle", "count",
      ["Bonjour, je m'occupe du dossier de ma mère qui a 86 ans. Le pharmacien me demande combien de vaccins contre la grippe elle a déjà reçus, au total, pour son carnet. Vous pouvez me dire ?"],
      g_fr001),
    c(2, "Annmarie_Doyle", "meaning",
      ["ma mère se plaint de vertiges le matin et elle est persuadée que c'est sa tension. c'était combien la dernière fois qu'on lui a prise et est-ce que c'était normal ou pas ?"],
      g_fr002),
    c(3, "Liz_Conn", "followup",
      ["c'était quand mon dernier bilan de cholestérol ?",
       "ok et le mauvais cholestérol il était à combien ?"],
      g_fr003),
    c(4, "Liz_Conn", "ever_had",
      ["Je me suis entaillé la main avec un sécateur en taillant la haie, rien de grave ça a arrêté de saigner. Mais je me demande si je suis à jour pour le tétanos : est-ce que j'ai eu un rappel et c'était quand ?"],
      g_fr004),
    c(5, "Luigi_Wiegand", "last_visit",
      ["c quand la derniere visite de mon fils chez le pédiatre ? je dois prendre le prochain rdv sur doctolib"],
      g_fr005),
    c(6, "Luigi_Wiegand", "list",
      ["Mon bébé a eu de la fièvre deux jours après sa dernière série de piqûres, la nounou me demande quels vaccins il a reçus ce jour-là exactement. Je n'ai pas le carnet de santé sous la main, pouvez-vous me donner la liste ?"],
      g_fr006),
    c(7, "Lupe_Little", "value_in_year",
      ["J'essaie de voir l'évolution de mon cholestérol sur plusieurs années. Il était à combien en 2013 ?"],
      g_fr007),
    c(8, "Lupe_Little", "not_found",
      ["mon collègue dit que tout le monde manque de vitamine D en hiver. elle était à combien la mienne à ma dernière prise de sang ?"],
      g_fr008),
    c(9, "Fidel_Bins", "still_on",
      ["Est-ce que la Ventoline est toujours sur mon ordonnance en cours ? J'en ai besoin surtout au printemps avec les pollens et il ne me reste qu'un flacon à moitié vide. Je voudrais savoir si le pharmacien peut me la redonner sans repasser par le médecin traitant."],
      g_fr009),
    c(10, "Fidel_Bins", "previous",
      ["Mon bon cholestérol (le HDL) a baissé sur le dernier bilan d'après mon médecin. Il était à combien sur le bilan d'avant ?"],
      g_fr010),
]


# ---- file 02 ----------------------------------------------------------------------------


def g_fr011():
    P = rec("Laurie_McCullough")
    xs = sorted(P.of("Immunization", lambda r: has_code(r, "62", "vaccineCode")),
                key=lambda x: x[1]["occurrenceDateTime"])
    return G([x[0] for x in xs], [d10(r["occurrenceDateTime"]) for _, r in xs],
             "Immunizations CVX 62 HPV quadrivalent: %d doses (%s)" % (
                 len(xs), ", ".join(d10(r["occurrenceDateTime"]) for _, r in xs)))


def g_fr012():
    P = rec("Laurie_McCullough")
    xs = sorted(P.of("Condition", lambda r: has_code(r, "43878008") or has_code(r, "195662009")),
                key=lambda x: x[1]["onsetDateTime"])
    return G([x[0] for x in xs], [len(xs)],
             "Conditions sore throat: Streptococcal sore throat (43878008) + Acute viral pharyngitis (195662009): "
             "%d (%s)" % (len(xs), "; ".join("%s %s" % (d10(r["onsetDateTime"]), r["code"]["coding"][0]["display"])
                                             for _, r in xs)), match="any")


def g_fr013():
    P = rec("Daisey_Johns")
    xs = P.of("Observation", lambda r: has_code(r, "6206-7"))
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [num(r["valueQuantity"]["value"]), d10(eff(r))],
             "Observation LOINC 6206-7 Peanut IgE %s %s on %s; no referenceRange recorded (specific IgE below "
             "0.35 kU/L is usually read as negative/no sensitisation); no peanut AllergyIntolerance in the record "
             "(recorded food allergies: eggs, fish)" % (
                 r["valueQuantity"]["value"], r["valueQuantity"]["unit"], d10(eff(r))))


def g_fr014():
    P = rec("Daisey_Johns")
    xs = P.of("MedicationRequest", lambda r: "epinephrine" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s status=%s authoredOn %s; never stopped" % (
                 med_name(r), r["status"], d10(r["authoredOn"])))


def g_fr015():
    P = rec("Daisey_Johns")
    xs = sorted(P.of("Encounter"), key=lambda x: enc_date(x[1]))
    ref, r = xs[-2]
    reason = ((r.get("reasonCode") or [{}])[0].get("coding") or [{}])[0].get("display")
    return G([ref], [d10(enc_date(r))],
             "turn 1: latest Encounter %s '%s'; turn 2 (gold): the Encounter before it by period.start: %s '%s', "
             "reason %s" % (d10(enc_date(xs[-1][1])), enc_type(xs[-1][1]), d10(enc_date(r)), enc_type(r), reason))


def g_fr016():
    P = rec("Emery_Purdy")
    xs = sorted(P.of("Encounter"), key=lambda x: enc_date(x[1]))
    ref, r = xs[-1]
    return G([ref], [d10(enc_date(r))],
             "latest Encounter by period.start: %s '%s' (annual check-up: labs, flu vaccine)" % (
                 d10(enc_date(r)), enc_type(r)))


def g_fr017():
    P = rec("Emery_Purdy")
    xs = P.of("MedicationRequest", lambda r: "naproxen" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s status=%s authoredOn %s (prescribed at the ER visit for whiplash, Condition "
             "resolved 2011-11-19) -> no longer current" % (med_name(r), r["status"], d10(r["authoredOn"])))


def g_fr018():
    P = rec("Emery_Purdy")
    xs = sorted(P.of("Immunization", lambda r: has_code(r, "121", "vaccineCode")),
                key=lambda x: x[1]["occurrenceDateTime"])
    return G([x[0] for x in xs], [d10(r["occurrenceDateTime"]) for _, r in xs],
             "Immunizations CVX 121 zoster: %s" % ", ".join(d10(r["occurrenceDateTime"]) for _, r in xs))


def g_fr019():
    P = rec("Josue_Sipes")
    xs = sorted(P.of("Procedure", lambda r: has_code(r, "15081005")), key=lambda x: proc_date(x[1]))
    return G([x[0] for x in xs], [len(xs)],
             "Procedures SNOMED 15081005 Pulmonary rehabilitation, all time: %d (%s)" % (
                 len(xs), ", ".join(d10(proc_date(r)) for _, r in xs)), match="any")


def g_fr020():
    P = rec("Josue_Sipes")
    act = P.of("MedicationRequest", lambda r: r.get("status") == "active")
    oth = P.of("MedicationRequest", lambda r: r.get("status") != "active")
    return G([x[0] for x in act], [],
             "MedicationRequests status=active: %s; excluded (stopped): %s" % (
                 "; ".join("%s (%s)" % (med_name(r), d10(r["authoredOn"])) for _, r in act),
                 "; ".join("%s (%s)" % (med_name(r), d10(r["authoredOn"])) for _, r in oth)))


FILES[2] = [
    c(11, "Laurie_McCullough", "ever_had",
      ["Ma gynéco me demande si j'ai été vaccinée contre le papillomavirus quand j'étais ado. Je crois que oui mais je ne sais plus combien d'injections. C'est noté dans mon dossier ?"],
      g_fr011),
    c(12, "Laurie_McCullough", "count",
      ["j'ai l'impression de choper une angine tous les 2 ans 😩 combien j'en ai eu en tout d'après mon dossier ? je me demande si ça vaut le coup de voir un ORL pour les amygdales"],
      g_fr012),
    c(13, "Daisey_Johns", "meaning",
      ["Bonsoir, ma fille a fait des tests d'allergie par prise de sang quand elle était petite. À la crèche on me demande si elle est allergique à l'arachide. Quel était son résultat pour l'arachide et ça veut dire qu'elle est allergique ou pas ? Elle a déjà mangé des cacahuètes chez sa mamie sans problème je crois."],
      g_fr013),
    c(14, "Daisey_Johns", "still_on",
      ["le stylo d'adrénaline de ma fille est toujours prescrit ? celui de son cartable est périmé, je veux savoir si je peux aller direct à la pharmacie"],
      g_fr014),
    c(15, "Daisey_Johns", "followup",
      ["C'était quand le dernier rendez-vous de Daisey chez le médecin ?",
       "Et la fois juste avant, elle y était allée pour quoi ?"],
      g_fr015),
    c(16, "Emery_Purdy", "last_visit",
      ["Je dois remplir un questionnaire pour ma mutuelle. Quelle est la date de ma dernière consultation et c'était pour quoi ?"],
      g_fr016),
    c(17, "Emery_Purdy", "still_on",
      ["Après mon accident de voiture j'avais eu un anti-inflammatoire pour le cou, du naproxène je crois. J'ai encore mal au dos en ce moment et il me reste une boîte. Est-ce que c'est encore une prescription active ou c'était juste pour l'époque ?"],
      g_fr017),
    c(18, "Emery_Purdy", "ever_had",
      ["est ce que j'ai été vacciné contre le zona ? mon frère vient d'en faire un et il dit que c'est l'enfer"],
      g_fr018),
    c(19, "Josue_Sipes", "count",
      ["Combien de séances de réhabilitation respiratoire j'ai faites en tout ? Le pneumologue veut savoir avant de m'en reprogrammer."],
      g_fr019),
    c(20, "Josue_Sipes", "list",
      ["Bonjour, je suis le fils de Josué. Il rentre en EHPAD le mois prochain et l'infirmière coordinatrice demande la liste de ses traitements actuels. Il a eu un AVC il y a quelques années, il est diabétique, il a de la tension et la BPCO, donc ça fait beaucoup de boîtes et on s'y perd un peu. Qu'est-ce qui est noté comme traitement en cours dans son dossier ?"],
      g_fr020),
]


# ---- file 03 ----------------------------------------------------------------------------


def g_fr021():
    P = rec("Josue_Sipes")
    hits = P.of("Procedure", lambda r: "colonoscop" in json.dumps(r.get("code")).lower()
                or "sigmoidoscop" in json.dumps(r.get("code")).lower())
    hits += P.of("DiagnosticReport", lambda r: "colonoscop" in json.dumps(r.get("code")).lower())
    assert not hits
    return NF("no colonoscopy / sigmoidoscopy Procedure or report in the record -> not in record")


def g_fr022():
    P = rec("Martina_Murazik")
    a = latest_obs(P, "1742-6", "ALT")
    b = latest_obs(P, "1920-8", "AST")
    return G(a["gold_refs"] + b["gold_refs"], a["gold_values"] + b["gold_values"][1:],
             a["note"] + " U/L; " + b["note"] + " U/L; liver panel of the latest date, both enzymes are gold")


def g_fr023():
    return obs_in_year(rec("Martina_Murazik"), "18262-6", "LDL cholesterol", 2015)


def g_fr024():
    P = rec("Martina_Murazik")
    xs = P.of("MedicationRequest", lambda r: "lasix" in (med_name(r) or "").lower())
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(r["authoredOn"])],
             "MedicationRequest %s (furosemide) status=%s authoredOn %s, started with the heart-failure plan; "
             "not stopped" % (med_name(r), r["status"], d10(r["authoredOn"])))


def g_fr025():
    P = rec("Renea_Quigley")
    xs = sorted(P.of("Encounter"), key=lambda x: enc_date(x[1]))
    ref, r = xs[-1]
    meds = P.of("MedicationRequest", lambda m: m.get("encounter", {}).get("reference", "").endswith(r["id"]))
    return G([ref], [d10(enc_date(r))],
             "latest Encounter by period.start: %s '%s'; medication started there: %s" % (
                 d10(enc_date(r)), enc_type(r), "; ".join(med_name(m) for _, m in meds)))


def g_fr026():
    P = rec("Renea_Quigley")
    xs = sorted(P.of("Encounter", lambda r: r["class"]["code"] == "EMER"), key=lambda x: enc_date(x[1]))
    details = []
    for ref, r in xs:
        conds = P.of("Condition", lambda c_: c_.get("encounter", {}).get("reference", "").endswith(r["id"]))
        details.append("%s (%s)" % (d10(enc_date(r)), ", ".join(c_["code"]["coding"][0]["display"] for _, c_ in conds)))
    return G([x[0] for x in xs], [len(xs)],
             "Encounters with class EMER (emergency room): %d: %s" % (len(xs), "; ".join(details)), match="any")


def g_fr027():
    return nth_from_last_obs(rec("Renea_Quigley"), "2093-3", "total cholesterol", 2)


def g_fr028():
    return obs_in_year(rec("Vito_Feeney"), "2857-1", "PSA", 1977)


def g_fr029():
    P = rec("Vito_Feeney")
    ca = P.of("Condition", lambda r: has_code(r, "126906006"))
    xs = sorted(P.of("Procedure", lambda r: has_code(r, "65575008")), key=lambda x: proc_date(x[1]))
    return G([x[0] for x in xs], [len(xs)],
             "turn 1: Condition Neoplasm of prostate onset %s; turn 2 (gold): Procedures SNOMED 65575008 Biopsy of "
             "prostate: %d (%s)" % (d10(ca[0][1]["onsetDateTime"]), len(xs),
                                   ", ".join(d10(proc_date(r)) for _, r in xs)), match="any")


def g_fr030():
    P = rec("IPS_IG-bundle-01")
    xs = P.of("Observation", lambda r: has_code(r, "882-1"))
    assert len(xs) == 1
    ref, r = xs[0]
    return G([ref], [d10(eff(r))],
             "Observation LOINC 882-1 ABO and Rh group: '%s' on %s (member of the 'Blood typing' panel)" % (
                 r["valueCodeableConcept"]["coding"][0]["display"], d10(eff(r))))


FILES[3] = [
    c(21, "Josue_Sipes", "not_found",
      ["Mon généraliste m'a envoyé le kit de dépistage du cancer colorectal. Je lui ai dit que j'avais déjà eu une coloscopie mais je ne suis plus sûr de la date. Vous la voyez dans mon dossier ?"],
      g_fr021),
    c(22, "Martina_Murazik", "latest",
      ["Ma mère prend plein de médicaments pour le cœur et le pharmacien s'inquiète pour son foie. C'était quoi ses derniers résultats du bilan hépatique, les transaminases ?"],
      g_fr022),
    c(23, "Martina_Murazik", "value_in_year",
      ["son LDL en 2015 c'était combien ?"],
      g_fr023),
    c(24, "Martina_Murazik", "still_on",
      ["Maman a les chevilles qui gonflent à nouveau 😕 elle dit qu'on lui a arrêté le Lasix mais moi je crois pas. Vous pouvez vérifier s'il est toujours dans ses traitements en cours ?"],
      g_fr024),
    c(25, "Renea_Quigley", "last_visit",
      ["J'ai vu le médecin récemment, il m'a parlé d'insuline et franchement j'étais un peu sous le choc, je n'ai pas tout retenu. C'était quand exactement ce rendez-vous ?"],
      g_fr025),
    c(26, "Renea_Quigley", "count",
      ["Combien de fois je suis passée aux urgences en tout ? Entre l'entorse, le coup du lapin et la brûlure je ne sais plus 🙈"],
      g_fr026),
    c(27, "Renea_Quigley", "previous",
      ["Mon cholestérol total a baissé au dernier bilan, super. Mais il était à combien juste avant ? Je veux voir si le régime a vraiment servi à quelque chose."],
      g_fr027),
    c(28, "Vito_Feeney", "value_in_year",
      ["Je reconstitue l'histoire médicale de mon grand-père (décédé en 79) pour mon urologue, parce que j'ai moi-même un PSA un peu limite. Il avait un PSA à combien en 1977 ?"],
      g_fr028),
    c(29, "Vito_Feeney", "followup",
      ["quand est-ce que le cancer de la prostate de papi a été diagnostiqué ?",
       "et il avait eu combien de biopsies de la prostate en tout ?"],
      g_fr029),
    c(30, "IPS_IG-bundle-01", "latest",
      ["C'est quoi mon groupe sanguin ? Je veux donner mon sang à l'EFS samedi"],
      g_fr030),
]


# ---- file 04 ----------------------------------------------------------------------------


def g_fr031():
    P = rec("IPS_IG-bundle-01")
    xs = P.of("Condition")
    return G([x[0] for x in xs], [],
             "all Conditions: %s" % "; ".join("%s (clinicalStatus %s, onset %s)" % (
                 r["code"]["coding"][0]["display"], r["clinicalStatus"]["coding"][0]["code"], r.get("onsetDateTime"))
                 for _, r in xs))


def g_fr032():
    P = rec("IPS_IG-bundle-01")
    lip = P.of("Observation", lambda r: any(has_code(r, k) for k in ("2093-3", "2085-9", "2089-1", "18262-6", "13457-7", "2571-8"))
               or "cholest" in json.dumps(r.get("code")).lower())
    assert not lip
    return NF("no cholesterol / lipid Observation in the record (Observations are only blood typing panel, HbA1c "
              "and an MRSA culture)")


def g_fr033():
    P = rec("AT_ELGA_GmbH_01")
    xs = P.of("Observation", lambda r: has_code(r, "3016-3"))
    assert len(xs) == 1
    ref, r = xs[0]
    rr = r["referenceRange"][0]
    return G([ref], [str(rr["low"]["value"]), str(rr["high"]["value"]), d10(eff(r))],
             "Observation LOINC 3016-3 TSH %s %s on %s, referenceRange %s-%s, interpretation %s (within range). "
             "The same panel also has T4/free T4/T3/free T3 all at 1.0 (implausible placeholder-like values, T4 "
             "and fT3 flagged low); TSH is the decisive thyroid screening result" % (
                 r["valueQuantity"]["value"], r["valueQuantity"]["unit"], d10(eff(r)), rr["low"]["value"],
                 rr["high"]["value"], r["interpretation"][0]["coding"][0]["code"]))


def g_fr034():
    P = rec("AT_ELGA_GmbH_01")
    xs = sorted(P.of("Immunization"), key=lambda x: x[1]["occurrenceDateTime"])
    assert all("J07BA01" in codes(r["vaccineCode"]) for _, r in xs)
    return G([x[0] for x in xs], [len(xs)],
             "Immunizations ATC J07BA01 (tick-borne encephalitis, FSME, Encepur): %d doses (%s)" % (
                 len(xs), ", ".join(d10(r["occurrenceDateTime"]) for _, r in xs)), match="any")


def g_fr035():
    P = rec("AT_ELGA_GmbH_01")
    xs = P.of("Observation", lambda r: has_code(r, "7961-6"))
    assert len(xs) == 1
    ref, r = xs[0]
    rr = r["referenceRange"][0]
    return G([ref], [str(r["valueQuantity"]["value"]), str(rr["low"]["value"])],
             "Observation LOINC 7961-6 measles IgG antibodies %s %s on %s, referenceRange low %s, interpretation "
             "%s -> below the protective threshold (not immune per this result)" % (
                 r["valueQuantity"]["value"], r["valueQuantity"]["unit"], d10(eff(r)), rr["low"]["value"],
                 r["interpretation"][0]["coding"][0]["code"]))


def g_fr036():
    P = rec("US_MEDITECH_ips_2")
    pr = P.of("Procedure", lambda r: "pacemaker" in json.dumps(r.get("code")).lower()
              or "pacemaker" in json.dumps(r.get("basedOn")).lower())
    du = P.of("DeviceUseStatement")
    assert len(pr) == 1
    return G([pr[0][0]] + [x[0] for x in du], [d10(proc_date(pr[0][1]))],
             "Procedure 'Intro of Pacemaker via vein' status=%s performed %s; DeviceUseStatement status=%s for "
             "'%s' (no date); citing either is acceptable" % (
                 pr[0][1]["status"], d10(proc_date(pr[0][1])), du[0][1]["status"], du[0][1]["device"]["display"]),
             match="any")


def g_fr037():
    P = rec("US_MEDITECH_ips_2")
    xs = P.of("AllergyIntolerance")
    return G([x[0] for x in xs], [],
             "AllergyIntolerance resources: %s" % "; ".join("%s (reaction %s, criticality %s, onset %s)" % (
                 r["code"]["coding"][0]["display"], r["reaction"][0]["manifestation"][0]["text"], r["criticality"],
                 d10(r["onsetDateTime"])) for _, r in xs))


def g_fr038():
    P = rec("US_MEDITECH_ips_2")
    assert not P.of("Observation") and not P.of("DiagnosticReport")
    return NF("the record contains no Observation or DiagnosticReport at all -> no creatinine / kidney blood result "
              "(urinalysis Procedures exist but are not-done / in-progress with no result)")


def g_fr039():
    P = rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir")
    xs = obs_series(P, "8331-1")
    assert len(xs) == 1
    ref, r = xs[0]
    v = r["valueQuantity"]["value"]
    return G([ref], [d10(eff(r)), "%.1f" % v],
             "only body temperature Observation LOINC 8331-1 oral temperature: %s %s on %s (gold value rounded to one "
             "decimal)" % (v, r["valueQuantity"]["unit"], d10(eff(r))))


def g_fr040():
    P = rec("Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir")
    xs = [x for x in P.of("Observation", lambda r: has_code(r, "92142-9") or has_code(r, "92141-1"))
          if "valueCodeableConcept" in x[1]]
    ph = [x for x in P.of("Observation", lambda r: has_code(r, "92142-9") or has_code(r, "92141-1"))
          if x[1].get("valueString") == "{entry.value}"]
    return G([x[0] for x in xs], [d10(eff(xs[0][1]))],
             "Influenza A RNA (92142-9) and influenza B RNA (92141-1) Observations with coded values: %s on %s -> "
             "no influenza; the twin Observations %s hold only the template placeholder '{entry.value}' and are "
             "not results; SARS-CoV-2 was detected the same day (Condition COVID-19)" % (
                 "; ".join(r["valueCodeableConcept"]["coding"][0]["display"] for _, r in xs), d10(eff(xs[0][1])),
                 ", ".join(x[0] for x in ph)))


FILES[4] = [
    c(31, "IPS_IG-bundle-01", "list",
      ["Je change de médecin traitant car je déménage à Lyon. Quels sont les problèmes de santé inscrits dans mon dossier ? Je veux vérifier que mon cancer du sein y figure bien et sous quel statut."],
      g_fr031),
    c(32, "IPS_IG-bundle-01", "not_found",
      ["et mon cholestérol il est bon ? j'ai jamais su le chiffre"],
      g_fr032),
    c(33, "AT_ELGA_GmbH_01", "meaning",
      ["Je suis tout le temps fatiguée et j'ai pris 3 kilos sans raison, ma sœur pense que c'est la thyroïde. Mon bilan thyroïdien de décembre 2016 était normal ? Donnez-moi le chiffre de la TSH et les normes svp."],
      g_fr033),
    c(34, "AT_ELGA_GmbH_01", "count",
      ["On part randonner en Alsace cet été, le médecin m'a parlé du vaccin contre l'encéphalite à tiques. Je l'ai déjà eu quand je vivais en Autriche je crois, mais combien de doses exactement ?"],
      g_fr034),
    c(35, "AT_ELGA_GmbH_01", "meaning",
      ["Il y a une épidémie de rougeole à l'école de mon petit-fils. On m'avait fait une prise de sang pour voir si j'étais protégée contre la rougeole. Le résultat dit quoi, je suis immunisée ou pas ?"],
      g_fr035),
    c(36, "US_MEDITECH_ips_2", "ever_had",
      ["Je dois passer une IRM. Le manip radio me demande si j'ai un pacemaker ou un défibrillateur implanté et depuis quand. Moi je sais que j'ai un boîtier mais je ne me souviens plus de la date, c'est noté ?"],
      g_fr036),
    c(37, "US_MEDITECH_ips_2", "list",
      ["quelles allergies j'ai dans mon dossier ? c'est pour l'anesthésiste"],
      g_fr037),
    c(38, "US_MEDITECH_ips_2", "not_found",
      ["Avec mon greffon rénal on me surveille la créatinine tout le temps. C'était combien à la dernière prise de sang ?"],
      g_fr038),
    c(39, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "latest",
      ["Ma fille a eu le covid au tout début de l'épidémie, elle avait une fièvre de cheval. Elle était montée à combien de température quand ils l'ont prise ?"],
      g_fr039),
    c(40, "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir", "ever_had",
      ["À l'époque où elle a eu le covid, est-ce qu'elle avait aussi la grippe en même temps ? Ils lui avaient fait un gros test avec plein de virus je crois."],
      g_fr040),
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
