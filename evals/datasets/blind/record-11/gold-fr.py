#!/usr/bin/env python3
"""Gold computation for the blind record set rb11-fr (French, written natively).

Standard library only. Reads the FHIR bundles (read-only) under
/work/shared/data/synthea/*.json and /work/shared/data/realworld/*.json.

Usage:
  python3 gold-fr.py                 # print every case (JSONL) to stdout
  python3 gold-fr.py --file N        # print the cases of fr-0N.jsonl (10 per file)
  python3 gold-fr.py --check         # recompute the gold fields and compare with fr-*.jsonl
"""
import glob
import json
import os
import sys

DATA = "/work/shared/data"
HERE = os.path.dirname(os.path.abspath(__file__))
PER_FILE = 10

# --------------------------------------------------------------------------- loading

_CACHE = {}


def _path(patient):
    for d in ("synthea", "realworld"):
        for f in glob.glob(os.path.join(DATA, d, "*.json")):
            stem = os.path.basename(f)[:-5]
            if d == "realworld" and stem == patient:
                return f
            if d == "synthea" and "_".join(stem.split("_")[:2]) == patient:
                return f
    raise KeyError(patient)


def entries(patient):
    """List of (ref, resource). ref = 'Type/id' when the resource has an id, else the fullUrl."""
    if patient not in _CACHE:
        b = json.load(open(_path(patient), encoding="utf-8"))
        out = []
        for e in b.get("entry", []):
            r = e.get("resource") or {}
            if r.get("id"):
                ref = "%s/%s" % (r["resourceType"], r["id"])
            else:
                ref = e.get("fullUrl")
            out.append((ref, r))
        _CACHE[patient] = out
    return _CACHE[patient]


def of_type(patient, rtype):
    return [(ref, r) for ref, r in entries(patient) if r.get("resourceType") == rtype]


# --------------------------------------------------------------------------- helpers

def codes(cc):
    return [c.get("code") for c in (cc or {}).get("coding", []) if c.get("code")]


def text_of(cc):
    cc = cc or {}
    parts = [cc.get("text") or ""] + [c.get("display") or "" for c in cc.get("coding", [])]
    return " ".join(parts)


def label(cc):
    cc = cc or {}
    return cc.get("text") or ([c.get("display") for c in cc.get("coding", []) if c.get("display")] or [""])[0]


def when(r):
    """Clinical date of a resource, as an ISO string (may be partial)."""
    for k in ("effectiveDateTime", "occurrenceDateTime", "performedDateTime", "onsetDateTime"):
        if r.get(k):
            return r[k]
    for k in ("effectivePeriod", "performedPeriod", "period"):
        if isinstance(r.get(k), dict) and r[k].get("start"):
            return r[k]["start"]
    for k in ("authoredOn", "recordedDate", "issued"):
        if r.get(k):
            return r[k]
    return ""


def day(r):
    return when(r)[:10]


def fmt(v):
    """Number as a reply would state it: integers as is; <10 -> 1 decimal; >=10 -> integer."""
    if isinstance(v, int) or (isinstance(v, float) and v == int(v) and abs(v) >= 10):
        return str(int(v))
    if abs(v) < 10:
        s = "%.2f" % v if abs(v) < 1 else "%.1f" % v
        return s
    return str(int(round(v)))


def raw(v):
    """Number exactly as the record writes it (for short real-world values)."""
    return repr(v) if isinstance(v, float) else str(v)


def has_real_value(r):
    if "valueQuantity" in r or "valueCodeableConcept" in r or "component" in r:
        return True
    return False


def obs(patient, loincs, real_only=True):
    out = []
    for ref, r in of_type(patient, "Observation"):
        if set(codes(r.get("code"))) & set(loincs):
            if real_only and not has_real_value(r):
                continue  # C-CDA placeholders such as "{entry.value}"
            out.append((ref, r))
    out.sort(key=lambda x: when(x[1]))
    return out


def qty(r):
    return r["valueQuantity"]["value"]


def comp(r, loinc):
    for c in r.get("component", []):
        if loinc in codes(c.get("code")):
            return c["valueQuantity"]["value"]
    raise KeyError(loinc)


def same_day_group(items, which=-1):
    """Group observations by clinical day; return the group at position `which` (-1 = latest)."""
    days = sorted({day(r) for _, r in items})
    d = days[which]
    return d, [(ref, r) for ref, r in items if day(r) == d]


def result(refs, values, match="all", nf=False, note=""):
    return {"gold_refs": refs, "match": match, "gold_values": values,
            "expect_not_found": nf, "note": note}


def not_found(check_empty, note):
    assert not check_empty, "expected nothing but found %r" % (check_empty,)
    return result([], [], "all", True, note)


def med_text(patient, r):
    if "medicationCodeableConcept" in r:
        return text_of(r["medicationCodeableConcept"])
    ref = (r.get("medicationReference") or {}).get("reference", "")
    for mref, m in of_type(patient, "Medication"):
        full = [mref, "urn:uuid:" + m.get("id", "")]
        if ref in full or ref.endswith(m.get("id", "@@")):
            return text_of(m.get("code"))
    return ""


def med_label(patient, r):
    if "medicationCodeableConcept" in r:
        return label(r["medicationCodeableConcept"])
    ref = (r.get("medicationReference") or {}).get("reference", "")
    for mref, m in of_type(patient, "Medication"):
        if ref in (mref, "urn:uuid:" + m.get("id", "")) or ref.endswith(m.get("id", "@@")):
            return label(m.get("code"))
    return (r.get("medicationReference") or {}).get("display", "")


def meds(patient, needle):
    out = []
    for t in ("MedicationRequest", "MedicationStatement"):
        for ref, r in of_type(patient, t):
            if needle.lower() in med_text(patient, r).lower():
                out.append((ref, r))
    return out


def imms(patient, pred):
    return sorted([(ref, r) for ref, r in of_type(patient, "Immunization") if pred(r)],
                  key=lambda x: when(x[1]))


def procs(patient, pred):
    return sorted([(ref, r) for ref, r in of_type(patient, "Procedure") if pred(r)],
                  key=lambda x: when(x[1]))


def encounters(patient):
    return sorted(of_type(patient, "Encounter"), key=lambda x: when(x[1]))


def clin_status(r):
    cs = r.get("clinicalStatus")
    return codes(cs)[0] if cs else ""


# --------------------------------------------------------------------------- gold functions

GFR = ["33914-3"]
A1C = ["4548-4", "17856-6"]


def g_latest_gfr(p):
    d, grp = same_day_group(obs(p, GFR))
    return result([ref for ref, _ in grp], [fmt(qty(r)) for _, r in grp] + [d], "all",
                  note="latest clinical day of LOINC 33914-3 (eGFR); %d Observations share that day (%s), "
                       "both are gold; creatinine of the same day is acceptable extra" % (len(grp), d))


def g_ips_allergies(p):
    refs = []
    for ref, r in of_type(p, "AllergyIntolerance"):
        t = text_of(r.get("code")).lower()
        if "no known" in t or clin_status(r) not in ("active", ""):
            continue
        refs.append(ref)
    return result(refs, [], "all",
                  note="AllergyIntolerance excluding the negation 'No known food allergy' -> penicillin-class "
                       "allergy only (onset 2010)")


def g_count_dtap(p):
    items = imms(p, lambda r: "20" in codes(r.get("vaccineCode")) or "DTaP" in text_of(r.get("vaccineCode")))
    items = [(ref, r) for ref, r in items if r.get("status") == "completed"]
    return result([ref for ref, _ in items], [str(len(items))], "any",
                  note="count of completed Immunization CVX 20 (DTaP), all dates: %s" %
                       ", ".join(day(r) for _, r in items))


def g_last_visit(p, with_imms=False):
    ref, r = encounters(p)[-1]
    note = "latest Encounter by period.start = %s (%s)" % (day(r), label(r["type"][0]))
    if r.get("reasonCode"):
        note += "; reason: %s" % label(r["reasonCode"][0])
    if with_imms:
        same = imms(p, lambda x: day(x) == day(r))
        note += "; vaccines given that day: %s" % ", ".join(label(x["vaccineCode"]) for _, x in same)
    return result([ref], [day(r)], "all", note=note)


def g_at_measles(p):
    items = obs(p, ["7961-6"])
    assert len(items) == 1
    ref, r = items[0]
    low = r["referenceRange"][0]["low"]["value"]
    return result([ref], [raw(qty(r)), raw(low)], "all",
                  note="Observation LOINC 7961-6 measles IgG %s [IU]/mL on %s, reference range low %s, "
                       "interpretation NEG -> below protective threshold (not immune per this result)" %
                       (raw(qty(r)), day(r), raw(low)))


def g_colonoscopy(p):
    items = procs(p, lambda r: "colonoscopy" in text_of(r.get("code")).lower())
    return result([ref for ref, _ in items], [day(r) for _, r in items], "all",
                  note="Procedure '%s' (SNOMED %s), dates: %s" % (label(items[0][1]["code"]), codes(items[0][1]["code"])[0],
                                                          ", ".join(day(r) for _, r in items)))


def g_lisandra_flu(p):
    items = obs(p, ["92142-9", "92141-1"])  # real values only (placeholders skipped)
    vals = [text_of(r["valueCodeableConcept"]) for _, r in items]
    assert all("Negative" in v for v in vals)
    return result([ref for ref, _ in items], [day(items[0][1])], "all",
                  note="last turn: influenza A (92142-9) and B (92141-1) PCR on %s, both Negative; the twin "
                       "Observations valued '{entry.value}' are C-CDA placeholders, not results" % day(items[0][1]))


STATIN = ("statin", "atorvastatin", "simvastatin", "rosuvastatin", "pravastatin", "lovastatin",
          "fluvastatin", "pitavastatin", "ezetimibe")


def g_annmarie_statin(p):
    found = [text_of(r.get("medicationCodeableConcept")) for _, r in of_type(p, "MedicationRequest")
             if any(s in text_of(r.get("medicationCodeableConcept")).lower() for s in STATIN)]
    return not_found(found, "no MedicationRequest for a statin or other lipid-lowering drug; the record's medicines "
                            "are amoxicillin/clavulanate, acetaminophen, penicillin V (all stopped)")


def g_still_on(p, needle, expect_status):
    items = meds(p, needle)
    assert items, needle
    statuses = sorted({r.get("status") for _, r in items})
    assert expect_status in statuses, statuses
    vals = []
    for _, r in items:
        if r.get("authoredOn"):
            vals.append(r["authoredOn"][:10])
        elif isinstance(r.get("effectivePeriod"), dict) and r["effectivePeriod"].get("start"):
            vals.append(r["effectivePeriod"]["start"][:10])
    return result([ref for ref, _ in items], sorted(set(vals)), "all" if len(items) == 1 else "any",
                  note="medication matching '%s': status %s, started/prescribed %s" %
                       (needle, "/".join(statuses), ", ".join(sorted(set(vals)))))


def g_previous_a1c(p):
    d, grp = same_day_group(obs(p, A1C), -2)
    return result([ref for ref, _ in grp], [fmt(qty(r)) for _, r in grp] + [d], "all",
                  note="second latest clinical day of HbA1c (LOINC 4548-4) = %s, value %s %%" %
                       (d, ", ".join(repr(qty(r)) for _, r in grp)))


def g_latest_bp_separate(p):
    items = obs(p, ["8480-6", "8462-4"])
    d, grp = same_day_group(items)
    vals = [fmt(qty(r)) for _, r in grp]
    return result([ref for ref, _ in grp], vals + [d], "all",
                  note="latest systolic (8480-6) and diastolic (8462-4) Observations, separate resources; two "
                       "readings share the same timestamp on %s (%s), all four are gold" %
                       (d, "; ".join("%s=%s" % (codes(r["code"])[0], raw(qty(r))) for _, r in grp)))


def g_active_meds(p):
    items = [(ref, r) for ref, r in of_type(p, "MedicationRequest") if r.get("status") == "active"]
    return result([ref for ref, _ in items], [], "all",
                  note="MedicationRequest with status active: %s" %
                       "; ".join("%s (since %s)" % (med_label(p, r), r["authoredOn"][:10])
                                 for _, r in items))


def g_count_encounters_year(p, year):
    items = [(ref, r) for ref, r in encounters(p) if when(r)[:4] == str(year)]
    return result([ref for ref, _ in items], [str(len(items))], "any",
                  note="count of Encounter with period.start in %s: %d (%s)" %
                       (year, len(items), ", ".join(day(r) for _, r in items)))


def g_no_a1c(p):
    found = obs(p, A1C + ["2339-0", "2345-7", "15074-8"])
    return not_found([ref for ref, _ in found],
                     "no HbA1c (4548-4/17856-6) nor any blood glucose Observation in the record")


def g_value_in_year(p, loincs, year, what):
    items = [(ref, r) for ref, r in obs(p, loincs) if when(r)[:4] == str(year)]
    assert items
    return result([ref for ref, _ in items], [fmt(qty(r)) for _, r in items] + [day(r) for _, r in items], "all",
                  note="%s in %s: %s" % (what, year, "; ".join("%s on %s" % (repr(qty(r)), day(r)) for _, r in items)))


def g_ips_a1c(p):
    items = obs(p, A1C)
    assert len(items) == 1
    ref, r = items[0]
    notes = " ".join(n.get("text", "") for n in r.get("note", []))
    return result([ref], [raw(qty(r)), day(r)], "all",
                  note="only HbA1c Observation (LOINC 17856-6): %s %% on %s; no referenceRange, note says '%s'" %
                       (raw(qty(r)), day(r), notes))


def g_latest_weight(p):
    d, grp = same_day_group(obs(p, ["29463-7"]))
    return result([ref for ref, _ in grp], [fmt(qty(r)) for _, r in grp] + [d], "all",
                  note="latest Body Weight (29463-7) on %s: %s kg" % (d, ", ".join(repr(qty(r)) for _, r in grp)))


def g_meditech_flu(p):
    items = imms(p, lambda r: "influenza" in text_of(r.get("vaccineCode")).lower())
    assert items and all(r.get("status") == "not-done" for _, r in items)
    ref, r = items[0]
    return result([ref for ref, _ in items], [day(r)], "all",
                  note="the only influenza Immunization has status not-done, statusReason '%s' (%s): no flu vaccine "
                       "was given according to this record" % (label(r.get("statusReason")), day(r)))


def g_count_flu(p):
    items = imms(p, lambda r: "influenza" in text_of(r.get("vaccineCode")).lower() and r.get("status") == "completed")
    return result([ref for ref, _ in items], [str(len(items))], "any",
                  note="count of completed influenza Immunization, all dates: %s" % ", ".join(day(r) for _, r in items))


def g_latest(p, loincs, what, extra=""):
    d, grp = same_day_group(obs(p, loincs))
    return result([ref for ref, _ in grp], [fmt(qty(r)) for _, r in grp] + [d], "all",
                  note="latest %s by clinical date: %s on %s%s%s" %
                       (what, ", ".join(repr(qty(r)) for _, r in grp), d,
                        " (%d Observations that day, all gold)" % len(grp) if len(grp) > 1 else "", extra))


def g_all_allergies(p):
    items = [(ref, r) for ref, r in of_type(p, "AllergyIntolerance") if clin_status(r) == "active"
             and "no known" not in text_of(r.get("code")).lower()]
    return result([ref for ref, _ in items], [], "all",
                  note="%d active AllergyIntolerance: %s" % (len(items), "; ".join(label(r["code"]) for _, r in items)))


def g_count_tbe(p):
    items = imms(p, lambda r: "J07BA01" in codes(r.get("vaccineCode")) and r.get("status") == "completed")
    return result([ref for ref, _ in items], [str(len(items))], "all",
                  note="count of completed Immunization ATC J07BA01 (tick-borne encephalitis, ENCEPUR): %s" %
                       ", ".join(day(r) for _, r in items))


def g_bp_on_latest_kidney_day(p):
    d, _ = same_day_group(obs(p, GFR))
    items = [(ref, r) for ref, r in obs(p, ["55284-4"]) if day(r) == d]
    assert len(items) == 1
    ref, r = items[0]
    sbp, dbp = comp(r, "8480-6"), comp(r, "8462-4")
    return result([ref], [fmt(sbp), fmt(dbp), d], "all",
                  note="turn 1 = latest kidney labs (eGFR/creatinine) on %s; last turn = Blood Pressure panel "
                       "(55284-4) of that same day: systolic %r / diastolic %r" % (d, sbp, dbp))


def g_no_vaccine(p, needles):
    found = [label(r.get("vaccineCode")) for _, r in of_type(p, "Immunization")
             if any(n in text_of(r.get("vaccineCode")).lower() for n in needles)]
    return not_found(found, "no Immunization matching %s in the record" % "/".join(needles))


def g_ceftriaxone(p):
    mr = [(ref, r) for ref, r in meds(p, "ceftriaxone") if r["resourceType"] == "MedicationRequest"]
    assert len(mr) == 1 and mr[0][1]["status"] == "stopped"
    start = mr[0][1]["authoredOn"]
    ms = [(ref, r) for ref, r in of_type(p, "MedicationStatement")
          if (r.get("effectivePeriod") or {}).get("start") == start]
    assert len(ms) == 1
    return result([mr[0][0], ms[0][0]], [], "any",
                  note="ceftriaxone MedicationRequest status stopped (authoredOn %s); the matching MedicationStatement "
                       "(NDC %s only, same start, '1 g IV twice a day') is completed, period end %s. Dates in the "
                       "record disagree (dosage text says 2015-06-22..2015-06-30), so no date is required; the "
                       "decisive fact is that it is no longer taken" %
                       (start[:10], codes(ms[0][1]["medicationCodeableConcept"])[0],
                        ms[0][1]["effectivePeriod"].get("end", "")[:10]))


def g_no_imm_at_all(p):
    return not_found([ref for ref, _ in of_type(p, "Immunization")],
                     "the record contains no Immunization resource at all (C-CDA conversion without vaccines)")


def g_previous(p, loincs, what):
    d, grp = same_day_group(obs(p, loincs), -2)
    return result([ref for ref, _ in grp], [fmt(qty(r)) for _, r in grp] + [d], "all",
                  note="second latest clinical day of %s = %s: %s" % (what, d, ", ".join(repr(qty(r)) for _, r in grp)))


THYROID = ["3016-3", "11579-0", "11580-8", "3024-7", "3026-2", "3051-0", "3053-6", "14920-3"]


def g_no_thyroid(p):
    return not_found([ref for ref, _ in obs(p, THYROID, real_only=False)],
                     "no thyroid test (TSH 3016-3/11580-8, free T4, T3...) in the record")


def g_count_in_year(p, loincs, year, what):
    items = [(ref, r) for ref, r in obs(p, loincs) if when(r)[:4] == str(year)]
    return result([ref for ref, _ in items], [str(len(items))], "any",
                  note="last turn: number of %s Observations in %s = %d (%s)" %
                       (what, year, len(items), ", ".join(day(r) for _, r in items)))


def g_pneumo(p):
    items = imms(p, lambda r: "pneumococcal" in text_of(r.get("vaccineCode")).lower() and r.get("status") == "completed")
    return result([ref for ref, _ in items], [day(r) for _, r in items], "all",
                  note="pneumococcal Immunizations: %s" % "; ".join("%s on %s" % (label(r["vaccineCode"]), day(r))
                                                                   for _, r in items))


def g_latest_colonoscopy(p):
    items = procs(p, lambda r: "colonoscopy" in text_of(r.get("code")).lower())
    ref, r = items[-1]
    return result([ref], [day(r)], "all",
                  note="last turn: latest of %d Colonoscopy Procedures (%s) = %s" %
                       (len(items), ", ".join(day(x) for _, x in items), day(r)))


# --------------------------------------------------------------------------- cases

CASES = [
    {"id": "rb11-fr-001", "patient": "Josue_Sipes", "kind": "latest",
     "turns": ["Bonsoir. Depuis qu'on m'a mis sous insuline je fais des prises de sang presque tous les mois, "
               "et mon médecin traitant m'a dit que les reins « fatiguaient un peu ». Je n'ai pas osé redemander "
               "les chiffres, il avait la salle d'attente pleine. Vous pouvez me dire ce que donnait mon dernier "
               "bilan des reins ? Le DFG je crois, ou la clairance, je ne sais plus trop comment ils appellent ça."],
     "gold": lambda p: g_latest_gfr(p)},
    {"id": "rb11-fr-002", "patient": "IPS_IG-bundle-01", "kind": "list",
     "turns": ["je pars 15 jours en Espagne et je voudrais avoir sur moi la liste de mes allergies au cas où, "
               "qu'est-ce qui est marqué dans mon dossier ?"],
     "gold": lambda p: g_ips_allergies(p)},
    {"id": "rb11-fr-003", "patient": "Daisey_Johns", "kind": "count",
     "turns": ["Coucou, l'école réclame le carnet de vaccination de ma fille et bien sûr impossible de remettre la "
               "main dessus 🙄 Elle a eu combien de doses du vaccin diphtérie-tétanos-coqueluche en tout ?"],
     "gold": lambda p: g_count_dtap(p)},
    {"id": "rb11-fr-004", "patient": "Fidel_Bins", "kind": "last_visit",
     "turns": ["c'était quand mon dernier rdv au cabinet deja ? et c'était pour quoi ? j'ai un papier a remplir pour la mutuelle"],
     "gold": lambda p: g_last_visit(p)},
    {"id": "rb11-fr-005", "patient": "AT_ELGA_GmbH_01", "kind": "meaning",
     "turns": ["Bonjour, en 2016 on m'a fait une prise de sang pour voir si j'étais immunisée contre la rougeole et "
               "personne ne m'a vraiment expliqué le résultat. Une collègue vient de me dire que son petit a la "
               "rougeole et que je l'ai croisé lundi, du coup je stresse un peu. Mon résultat, il veut dire que je "
               "suis protégée ou pas ?"],
     "gold": lambda p: g_at_measles(p)},
    {"id": "rb11-fr-006", "patient": "Emery_Purdy", "kind": "ever_had",
     "turns": ["Ma femme me tanne pour que je fasse le test du cancer colorectal, le kit qu'on reçoit par la poste. "
               "Mais il me semble bien qu'on m'a déjà fait une coloscopie il y a quelques années, non ? "
               "C'est noté quelque part ?"],
     "gold": lambda p: g_colonoscopy(p)},
    {"id": "rb11-fr-007", "patient": "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir",
     "kind": "followup",
     "turns": ["Bonjour, c'est la maman de Lisandra. Fin février 2020 elle a été vue avec une grosse fièvre et elle "
               "toussait à s'en étouffer, on lui a fait des prélèvements dans le nez. Le test covid était positif "
               "c'est bien ça ?",
               "et la grippe, ils l'ont cherchée aussi ? ça donnait quoi"],
     "gold": lambda p: g_lisandra_flu(p)},
    {"id": "rb11-fr-008", "patient": "Annmarie_Doyle", "kind": "not_found",
     "turns": ["Ma fille veut savoir si je prends un médicament pour le cholestérol, une statine elle a dit. "
               "Moi je ne me souviens plus du tout, à mon âge vous savez... Il y en a un dans mon dossier ?"],
     "gold": lambda p: g_annmarie_statin(p)},
    {"id": "rb11-fr-009", "patient": "Renea_Quigley", "kind": "still_on",
     "turns": ["est ce que je suis toujours censée prendre le naproxène pour ma hanche ou ils l'ont arrêté ? "
               "il me reste une boîte dans le placard"],
     "gold": lambda p: g_still_on(p, "naproxen", "active")},
    {"id": "rb11-fr-010", "patient": "Lupe_Little", "kind": "previous",
     "turns": ["On m'a dit que mon hémoglobine glyquée de 2019 était un peu limite, pré-diabète tout ça. "
               "Et celle d'avant, c'était combien ? Je veux voir si ça grimpe."],
     "gold": lambda p: g_previous_a1c(p)},
    {"id": "rb11-fr-011", "patient": "AT_ELGA_GmbH_01", "kind": "latest",
     "turns": ["Ma tension, elle était à combien la dernière fois qu'on me l'a prise ? Le cardiologue veut que je "
               "lui apporte les derniers chiffres."],
     "gold": lambda p: g_latest_bp_separate(p)},
    {"id": "rb11-fr-012", "patient": "Martina_Murazik", "kind": "list",
     "turns": ["Bonjour, je suis la fille de Mme Murazik. Je l'aide à remplir son pilulier chaque dimanche et là elle "
               "a un doute, elle dit qu'il y a un cachet « pour le cœur », un autre « pour faire pipi », ses "
               "inhalations pour les bronches et peut-être encore du fer, mais depuis son passage aux urgences elle "
               "mélange un peu tout. D'après son dossier, qu'est-ce qu'elle est censée prendre en ce moment ?"],
     "gold": lambda p: g_active_meds(p)},
    {"id": "rb11-fr-013", "patient": "Josue_Sipes", "kind": "count",
     "turns": ["Combien de fois je suis allé chez le médecin en 2019 ? Avec mon AVC cette année-là j'ai "
               "l'impression d'avoir passé ma vie en salle d'attente"],
     "gold": lambda p: g_count_encounters_year(p, 2019)},
    {"id": "rb11-fr-014", "patient": "Liz_Conn", "kind": "not_found",
     "turns": ["Ma mère vient d'être diagnostiquée diabétique et la pharmacienne m'a conseillé de me faire "
               "contrôler aussi. Est-ce que j'ai déjà eu une prise de sang pour le sucre, l'hémoglobine glyquée ou "
               "une glycémie ?"],
     "gold": lambda p: g_no_a1c(p)},
    {"id": "rb11-fr-015", "patient": "Laurie_McCullough", "kind": "last_visit",
     "turns": ["hello c quand ma derniere consult ? et c'etait pour quoi deja jme rappelle plus du tout lol"],
     "gold": lambda p: g_last_visit(p)},
    {"id": "rb11-fr-016", "patient": "Vito_Feeney", "kind": "value_in_year",
     "turns": ["Bonjour, je reconstitue l'histoire médicale de mon père, décédé en 1979 d'un cancer de la "
               "prostate, pour la généticienne qui me suit (elle parle d'un risque familial). Il avait des "
               "dosages de PSA réguliers. Vous retrouvez celui de 1976 ? La valeur et la date exacte si possible, "
               "elle veut tout noter."],
     "gold": lambda p: g_value_in_year(p, ["2857-1"], 1976, "PSA (LOINC 2857-1)")},
    {"id": "rb11-fr-017", "patient": "IPS_IG-bundle-01", "kind": "meaning",
     "turns": ["mon hémoglobine glyquée de novembre 2017 elle est bonne ou pas ? je sais jamais quoi penser de ces "
               "pourcentages"],
     "gold": lambda p: g_ips_a1c(p)},
    {"id": "rb11-fr-018", "patient": "Luigi_Wiegand", "kind": "latest",
     "turns": ["il pesait combien mon fils à sa dernière pesée chez le pédiatre ? j'ai oublié de le noter dans le "
               "carnet de santé 😅"],
     "gold": lambda p: g_latest_weight(p)},
    {"id": "rb11-fr-019", "patient": "US_MEDITECH_ips_2", "kind": "ever_had",
     "turns": ["Avec ma greffe de rein on n'arrête pas de me dire que le vaccin contre la grippe c'est important. "
               "Est-ce que je l'ai déjà fait un jour ? Je ne m'en souviens vraiment plus."],
     "gold": lambda p: g_meditech_flu(p)},
    {"id": "rb11-fr-020", "patient": "Annmarie_Doyle", "kind": "count",
     "turns": ["Combien de vaccins contre la grippe j'ai faits en tout chez vous ? L'infirmière dit que je suis "
               "une bonne élève, je voudrais bien savoir 😊"],
     "gold": lambda p: g_count_flu(p)},
    {"id": "rb11-fr-021", "patient": "Daisey_Johns", "kind": "list",
     "turns": ["Bonjour, ma fille part en classe verte au printemps et l'école veut une fiche sanitaire avec TOUTES "
               "ses allergies. Je sais qu'elle a le stylo d'adrénaline pour certaines choses et qu'elle éternue dès "
               "qu'un chat passe dans la pièce, mais on avait fait des tests chez l'allergologue quand elle était "
               "toute petite et je ne me rappelle plus de la liste complète. J'ai peur d'en oublier une. Vous "
               "pouvez me dire tout ce qui est noté dans son dossier ?"],
     "gold": lambda p: g_all_allergies(p)},
    {"id": "rb11-fr-022", "patient": "Josue_Sipes", "kind": "still_on",
     "turns": ["Après mon AVC on m'avait donné du clopidogrel, le Plavix. Je dois toujours le prendre ou ça a été "
               "arrêté ? Le pharmacien me pose la question et je sais pas quoi lui répondre"],
     "gold": lambda p: g_still_on(p, "clopidogrel", "stopped")},
    {"id": "rb11-fr-023", "patient": "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir",
     "kind": "latest",
     "turns": ["l'oxygène de ma fille quand elle a été vue pour le covid, le chiffre du petit appareil qu'on met au "
               "doigt, c'était combien ? l'infirmière avait fait une drôle de tête"],
     "gold": lambda p: g_latest(p, ["59408-5", "2708-6"], "oxygen saturation (59408-5)")},
    {"id": "rb11-fr-024", "patient": "Emery_Purdy", "kind": "value_in_year",
     "turns": ["c'était combien mon hba1c en 2019 ? le diabéto veut l'évolution sur plusieurs années"],
     "gold": lambda p: g_value_in_year(p, A1C, 2019, "HbA1c (LOINC 4548-4)")},
    {"id": "rb11-fr-025", "patient": "AT_ELGA_GmbH_01", "kind": "count",
     "turns": ["Je fais beaucoup de randonnée dans le Tyrol. Combien de doses du vaccin contre l'encéphalite à "
               "tiques (le FSME) j'ai reçues en tout ? Je me demande si je dois faire un rappel cette année."],
     "gold": lambda p: g_count_tbe(p)},
    {"id": "rb11-fr-026", "patient": "Laurie_McCullough", "kind": "list",
     "turns": ["Je me fais enlever les dents de sagesse la semaine pro et l'anesthésiste veut la liste de mes "
               "traitements en cours. Qu'est-ce qui est noté comme médicaments que je prends actuellement ?"],
     "gold": lambda p: g_active_meds(p)},
    {"id": "rb11-fr-027", "patient": "Martina_Murazik", "kind": "meaning",
     "turns": ["Ma mère a passé une échographie du cœur en juin 2020 et le cardiologue a parlé de « fraction "
               "d'éjection ». C'était combien, et c'est normal ou pas ? Elle est essoufflée au moindre escalier "
               "depuis des mois."],
     "gold": lambda p: g_latest(p, ["10230-1"], "left ventricular ejection fraction (10230-1, %)",
                                "; no referenceRange in the record (usual normal is about 50-70 %, so reduced)")},
    {"id": "rb11-fr-028", "patient": "Renea_Quigley", "kind": "followup",
     "turns": ["mes derniers résultats de prise de sang pour les reins ça donne quoi ?",
               "et ma tension ce jour-là elle était à combien ?"],
     "gold": lambda p: g_bp_on_latest_kidney_day(p)},
    {"id": "rb11-fr-029", "patient": "Fidel_Bins", "kind": "ever_had",
     "turns": ["Est-ce que j'ai déjà eu le vaccin contre le zona ? Mon père a fait un zona l'an dernier et il a "
               "dégusté, je me demande si je suis couvert."],
     "gold": lambda p: g_no_vaccine(p, ["zoster", "shingles"])},
    {"id": "rb11-fr-030", "patient": "Luigi_Wiegand", "kind": "last_visit",
     "turns": ["C'était quand la dernière visite de Luigi chez le médecin ? Et on lui a fait quoi ce jour-là, je "
               "crois qu'il y avait des vaccins mais c'est son père qui l'avait emmené"],
     "gold": lambda p: g_last_visit(p, with_imms=True)},
    {"id": "rb11-fr-031", "patient": "IPS_IG-bundle-01", "kind": "still_on",
     "turns": ["Je suis toujours sous anastrozole ou c'était prévu pour une durée limitée ? Je ne sais même plus "
               "depuis quand je le prends, ça fait des années que j'avale mon comprimé tous les matins sans y penser."],
     "gold": lambda p: g_still_on(p, "anastrozol", "active")},
    {"id": "rb11-fr-032", "patient": "US_MEDITECH_ips_2", "kind": "still_on",
     "turns": ["Quand j'avais de la fièvre on m'avait mis un antibiotique en perfusion, de la ceftriaxone il me "
               "semble, deux fois par jour. C'est toujours en cours dans mon dossier ou c'est terminé ? "
               "L'infirmière à domicile me pose la question."],
     "gold": lambda p: g_ceftriaxone(p)},
    {"id": "rb11-fr-033", "patient": "Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir",
     "kind": "not_found",
     "turns": ["Bonjour, la colo de l'été me demande les vaccins de ma fille, surtout le ROR. Est-ce qu'ils sont "
               "notés dans ce dossier ? Son carnet de santé est resté chez son père."],
     "gold": lambda p: g_no_imm_at_all(p)},
    {"id": "rb11-fr-034", "patient": "Annmarie_Doyle", "kind": "previous",
     "turns": ["Le docteur m'a dit que mon cholestérol de juin 2020 était meilleur. Il était à combien la fois "
               "d'avant, pour comparer ?"],
     "gold": lambda p: g_previous(p, ["2093-3"], "total cholesterol (2093-3, mg/dL)")},
    {"id": "rb11-fr-035", "patient": "Emery_Purdy", "kind": "not_found",
     "turns": ["J'ai tout le temps froid, je suis crevé dès 15h et j'ai pris du poids alors que je mange pareil. "
               "Ma sœur a un problème de thyroïde et elle m'a dit de vérifier. Est-ce qu'on m'a déjà fait un bilan "
               "thyroïdien, une TSH, quelque chose comme ça ?"],
     "gold": lambda p: g_no_thyroid(p)},
    {"id": "rb11-fr-036", "patient": "Josue_Sipes", "kind": "followup",
     "turns": ["c'est combien ma dernière hémoglobine glyquée ?",
               "ok. et en 2019 on me l'a mesurée combien de fois en tout ?"],
     "gold": lambda p: g_count_in_year(p, A1C, 2019, "HbA1c (4548-4)")},
    {"id": "rb11-fr-037", "patient": "Liz_Conn", "kind": "meaning",
     "turns": ["Sur mon dernier bilan il y a une ligne « débit de filtration glomérulaire » ou DFG. C'est quoi "
               "mon chiffre et est-ce que c'est normal ? J'y comprends rien à ces abréviations"],
     "gold": lambda p: g_latest(p, GFR, "eGFR (33914-3, mL/min/1.73m2)",
                                "; no referenceRange in the record (90 or more is in the normal range)")},
    {"id": "rb11-fr-038", "patient": "Lupe_Little", "kind": "last_visit",
     "turns": ["Je change de médecin traitant (le mien part à la retraite) et la nouvelle veut savoir quand j'ai "
               "consulté pour la dernière fois et pour quelle raison. Vous pouvez me retrouver ça ?"],
     "gold": lambda p: g_last_visit(p)},
    {"id": "rb11-fr-039", "patient": "Martina_Murazik", "kind": "ever_had",
     "turns": ["Le pharmacien me propose le vaccin contre la pneumonie, le pneumocoque, mais j'ai l'impression de "
               "l'avoir déjà eu. C'est dans mon dossier ?"],
     "gold": lambda p: g_pneumo(p)},
    {"id": "rb11-fr-040", "patient": "Vito_Feeney", "kind": "followup",
     "turns": ["Je reviens vers vous pour le dossier de mon père (décédé en 1979). Est-ce qu'il avait eu des "
               "coloscopies ? Ma gastro me pose la question pour savoir quand je dois faire la mienne.",
               "la dernière c'était quand ?"],
     "gold": lambda p: g_latest_colonoscopy(p)},
]

# --------------------------------------------------------------------------- output

KEYS = ["id", "lang", "patient", "kind", "turns", "gold_refs", "match", "gold_values", "expect_not_found", "note"]


def build(case):
    g = case["gold"](case["patient"])
    out = {"id": case["id"], "lang": "fr", "patient": case["patient"], "kind": case["kind"],
           "turns": case["turns"]}
    out.update(g)
    return {k: out[k] for k in KEYS}


def main(argv):
    if "--check" in argv:
        bad = 0
        n = 0
        for f in sorted(glob.glob(os.path.join(HERE, "fr-*.jsonl"))):
            for line in open(f, encoding="utf-8"):
                rec = json.loads(line)
                case = [c for c in CASES if c["id"] == rec["id"]][0]
                new = build(case)
                n += 1
                for k in KEYS:
                    if new[k] != rec[k]:
                        bad += 1
                        print("MISMATCH", rec["id"], k, new[k], rec[k])
        print("checked %d cases, %d mismatches" % (n, bad))
        return 1 if bad else 0
    cases = CASES
    if "--file" in argv:
        n = int(argv[argv.index("--file") + 1])
        cases = CASES[(n - 1) * PER_FILE: n * PER_FILE]
    for c in cases:
        print(json.dumps(build(c), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
