#!/usr/bin/env python3
"""Gold for the French record questions rb12-fr-001 .. rb12-fr-040 (standard library only).

Usage:
  python3 gold-fr.py            -> recompute every case and compare with fr-0N.jsonl (no writing)
  python3 gold-fr.py --print    -> print the recomputed cases as JSON lines
  python3 gold-fr.py --write N  -> write fr-0N.jsonl (cases 10*(N-1)+1 .. 10*N) only if it does not exist yet

Conventions
- A reference is "Type/id" when the resource has an id, otherwise the entry's fullUrl (AT ELGA file).
- Dates are compared on their first 10 characters (clinical date); "latest" = max clinical date,
  ties on that date are all gold.
- Synthea stores unrounded floats (85.3558774401813). A reply never quotes them like that, so a gold
  number is written in a form that is a substring of every usual rendering: for values >= 10 only
  values whose fraction is < 0.45 are used and the integer part is given ("85" matches 85, 85.4, 85.36);
  for values < 10 only values whose 1-decimal rounding equals their 1-decimal truncation are used
  ("6.2" for 6.215). Values that are already short in the record (7.5, 724, 110) are kept as is.
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = '/work/shared/data'

_cache = {}


def bundle(patient):
    if patient not in _cache:
        cands = glob.glob(os.path.join(DATA, 'synthea', patient + '_*.json'))
        if not cands:
            cands = [os.path.join(DATA, 'realworld', patient + '.json')]
        with open(cands[0], encoding='utf-8') as f:
            _cache[patient] = json.load(f)
    return _cache[patient]


def entries(patient, rtype=None):
    for e in bundle(patient)['entry']:
        r = e['resource']
        if rtype is None or r['resourceType'] == rtype:
            yield e, r


def ref(e, r):
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return e['fullUrl']


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def cdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime', 'authoredOn'):
        if k in r:
            return r[k][:10]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if k in r and 'start' in r[k]:
            return r[k]['start'][:10]
    return None


def obs(patient, code, text=None):
    out = []
    for e, r in entries(patient, 'Observation'):
        if code in codes(r.get('code')) and (text is None or text in (r['code'].get('text') or '')):
            out.append((cdate(r), e, r))
    out.sort(key=lambda x: x[0])
    return out


def latest(items):
    d = max(i[0] for i in items)
    return [i for i in items if i[0] == d]


def qty(r):
    return r['valueQuantity']['value']


def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c['code']):
            return c['valueQuantity']['value']
    raise KeyError(code)


def g(v):
    """Language-neutral gold string for a number (see module docstring)."""
    if isinstance(v, int) or float(v).is_integer() and abs(v) >= 10:
        return str(int(v))
    s = repr(v)
    if len(s.split('.')[-1]) <= 2:          # already short in the record (7.5, 0.49, 4.67)
        return s
    if v >= 10:
        frac = v - int(v)
        assert frac < 0.45, ('unsafe rounding', v)
        return str(int(v))
    r1 = round(v, 1)
    t1 = int(v * 10) / 10.0
    assert abs(r1 - t1) < 1e-9, ('unsafe rounding', v)
    return '%.1f' % r1


def enc_by(patient, pred):
    out = []
    for e, r in entries(patient, 'Encounter'):
        if pred(r):
            out.append((cdate(r), e, r))
    out.sort(key=lambda x: x[0])
    return out


def enc_type(r):
    t = r.get('type') or [{}]
    return ((t[0].get('coding') or [{}])[0].get('display')) or t[0].get('text')


def imms(patient, pred):
    out = []
    for e, r in entries(patient, 'Immunization'):
        if pred(r):
            out.append((cdate(r), e, r))
    out.sort(key=lambda x: x[0])
    return out


def res(patient, rtype, pred):
    out = []
    for e, r in entries(patient, rtype):
        if pred(r):
            out.append((cdate(r), e, r))
    out.sort(key=lambda x: (x[0] or ''))
    return out


def status(r, key='clinicalStatus'):
    v = r.get(key)
    if isinstance(v, dict):
        return (codes(v) or [None])[0]
    return v


def text_of(patient):
    return json.dumps(bundle(patient), ensure_ascii=False).lower()


def G(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}


# ---------------------------------------------------------------- gold functions, one per case

def c001():  # Annmarie latest LDL
    L = latest(obs('Annmarie_Doyle', '18262-6'))
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [g(qty(r)), d],
             'latest Observation LOINC 18262-6 (LDL) by effectiveDateTime: %s = %r mg/dL; no reference range recorded' % (d, qty(r)))


def c002():  # Annmarie flu vaccines total
    L = imms('Annmarie_Doyle', lambda r: '140' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return G([ref(e, r) for _, e, r in L], [str(len(L))],
             'count of completed Immunization CVX 140 (seasonal influenza), all dates: %d (%s)' % (len(L), ', '.join(d for d, _, _ in L)),
             match='any')


def c003():  # Daisey allergies list
    L = res('Daisey_Johns', 'AllergyIntolerance', lambda r: status(r) == 'active')
    names = [r['code']['coding'][0]['display'] for _, _, r in L]
    return G([ref(e, r) for _, e, r in L], [],
             'all active AllergyIntolerance (%d): %s' % (len(L), '; '.join(names)))


def c004():  # Daisey albuterol still on?
    L = res('Daisey_Johns', 'MedicationRequest', lambda r: '745679' in codes(r.get('medicationCodeableConcept')))
    assert len(L) == 1
    d, e, r = L[0]
    assert r['status'] == 'active'
    return G([ref(e, r)], [d],
             'MedicationRequest RxNorm 745679 albuterol (salbutamol) inhaler: status %s, authoredOn %s, no later stop -> still prescribed' % (r['status'], d))


def c005():  # Daisey last visit
    L = enc_by('Daisey_Johns', lambda r: True)
    d, e, r = L[-1]
    prev = L[-2]
    return G([ref(e, r)], [d],
             'latest Encounter by period.start (file order is not chronological): %s %s; the one before is %s %s' % (
                 d, enc_type(r), prev[0], enc_type(prev[2])))


def c006():  # Emery colonoscopy ever
    L = res('Emery_Purdy', 'Procedure', lambda r: '73761001' in codes(r.get('code')))
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [d], 'Procedure SNOMED 73761001 colonoscopy: yes, once, on %s' % d)


def c007():  # Emery followup flu: last, then total
    L = imms('Emery_Purdy', lambda r: '140' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return G([ref(e, r) for _, e, r in L], [str(len(L))],
             'turn 1: latest flu Immunization CVX 140 = %s; final turn (how many in all): %d (%s)' % (
                 L[-1][0], len(L), ', '.join(d for d, _, _ in L)), match='any')


def c008():  # Fidel ER visits for asthma
    L = enc_by('Fidel_Bins', lambda r: (r.get('class') or {}).get('code') == 'EMER')
    assert all('asthma' in (enc_type(r) or '').lower() for _, _, r in L)
    return G([ref(e, r) for _, e, r in L], [str(len(L))] + [d for d, _, _ in L],
             'Encounters with class EMER (all are "Emergency hospital admission for asthma"): %d on %s; asthma follow-up visits are ambulatory and not counted' % (
                 len(L), ', '.join(d for d, _, _ in L)))


def c009():  # Fidel pneumonia ever -> no
    t = text_of('Fidel_Bins')
    assert 'pneumon' not in t
    conds = [r['code']['coding'][0]['display'] for _, r in entries('Fidel_Bins', 'Condition')]
    return G([], [], 'no Condition/Encounter/Observation mentions pneumonia; Conditions recorded: %s -> honest no / not in record' % '; '.join(conds), nf=True)


def c010():  # Fidel last visit
    L = enc_by('Fidel_Bins', lambda r: True)
    d, e, r = L[-1]
    return G([ref(e, r)], [d], 'latest Encounter by period.start: %s %s (flu vaccine given that day)' % (d, enc_type(r)))


def c011():  # Josue latest kidney test (eGFR) - two results on the same latest date
    L = latest(obs('Josue_Sipes', '33914-3'))
    assert len(L) == 2
    vals = [g(qty(r)) for _, _, r in L]
    cre = latest(obs('Josue_Sipes', '38483-4'))
    return G([ref(e, r) for _, e, r in L], vals + [L[0][0]],
             'latest Observations LOINC 33914-3 on %s: two results the same day, "%s" %r and "%s" %r (both gold); creatinine that day %s mg/dL (optional)' % (
                 L[0][0], L[0][2]['code']['text'], qty(L[0][2]), L[1][2]['code']['text'], qty(L[1][2]), ' and '.join(repr(qty(x[2])) for x in cre)))


def c012():  # Josue A1c count since 2018
    L = [x for x in obs('Josue_Sipes', '4548-4') if x[0] >= '2018-01-01']
    return G([ref(e, r) for _, e, r in L], [str(len(L))],
             'count of Observation LOINC 4548-4 (HbA1c) with effectiveDateTime >= 2018-01-01: %d (first %s, last %s)' % (len(L), L[0][0], L[-1][0]),
             match='any')


def c013():  # Josue clopidogrel still on?
    L = res('Josue_Sipes', 'MedicationRequest', lambda r: '309362' in codes(r.get('medicationCodeableConcept')))
    assert len(L) == 1
    d, e, r = L[0]
    assert r['status'] == 'stopped'
    return G([ref(e, r)], [d], 'MedicationRequest RxNorm 309362 clopidogrel 75 mg: status %s, authoredOn %s (prescribed at the stroke visit), no active clopidogrel after -> stopped' % (r['status'], d))


def c014():  # Josue followup spirometry: last, then count
    L = res('Josue_Sipes', 'Procedure', lambda r: '127783003' in codes(r.get('code')))
    return G([ref(e, r) for _, e, r in L], [str(len(L))],
             'turn 1: latest Procedure SNOMED 127783003 spirometry = %s; final turn (how many in all): %d (first %s)' % (L[-1][0], len(L), L[0][0]),
             match='any')


def c015():  # Laurie HPV vaccine ever
    L = imms('Laurie_McCullough', lambda r: '62' in codes(r['vaccineCode']))
    return G([ref(e, r) for _, e, r in L], [d for d, _, _ in L],
             'Immunization CVX 62 HPV quadrivalent: yes, %d doses on %s' % (len(L), ', '.join(d for d, _, _ in L)))


def c016():  # Laurie last visit
    L = enc_by('Laurie_McCullough', lambda r: True)
    d, e, r = L[-1]
    C = res('Laurie_McCullough', 'Condition', lambda c: cdate(c) == d)
    return G([ref(e, r)] + [ref(ce, cr) for _, ce, cr in C], [d],
             'latest Encounter %s %s, reason %s; Condition of that day: %s' % (
                 d, enc_type(r), r['reasonCode'][0]['coding'][0]['display'], '; '.join(cr['code']['coding'][0]['display'] for _, _, cr in C)),
             match='any')


def c017():  # Liz latest cholesterol (total)
    L = latest(obs('Liz_Conn', '2093-3'))
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [g(qty(r)), d],
             'latest Observation LOINC 2093-3 total cholesterol: %s = %r mg/dL (LDL %r, HDL %r, TG %r the same day, optional); no reference range recorded' % (
                 d, qty(r), qty(obs('Liz_Conn', '18262-6')[-1][2]), qty(obs('Liz_Conn', '2085-9')[-1][2]), qty(obs('Liz_Conn', '2571-8')[-1][2])))


def c018():  # Liz vitamin D -> not found
    t = text_of('Liz_Conn')
    assert 'vitamin d' not in t and '1989-3' not in t and '25-hydroxy' not in t
    return G([], [], 'no Observation for vitamin D (LOINC 1989-3 / 62292-8 or any "vitamin D" text) -> not in record', nf=True)


def c019():  # Luigi vaccines list
    L = imms('Luigi_Wiegand', lambda r: r.get('status') == 'completed')
    dates = sorted(set(d for d, _, _ in L))
    return G([ref(e, r) for _, e, r in L], dates,
             'all %d completed Immunizations: %s' % (len(L), '; '.join('%s %s' % (d, r['vaccineCode']['coding'][0]['display']) for d, _, r in L)))


def c020():  # Luigi blood group -> not found
    for _, r in entries('Luigi_Wiegand'):
        s = json.dumps(r.get('code', {})).lower()
        assert '882-1' not in s and '883-9' not in s and 'blood group' not in s and 'abo' not in s
    return G([], [], 'no Observation for ABO/Rh blood group (LOINC 882-1, 883-9, 10331-7) -> not in record', nf=True)


def c021():  # Lupe previous A1c
    L = obs('Lupe_Little', '4548-4')
    d, e, r = L[-2]
    return G([ref(e, r)], [g(qty(r)), d],
             'Observations LOINC 4548-4 by date: %s; the one before the latest (%s) is %s = %r %%' % (
                 ', '.join('%s %r' % (x[0], qty(x[2])) for x in L), L[-1][0], d, qty(r)))


def c022():  # Lupe meaning glucose
    L = latest(obs('Lupe_Little', '2339-0'))
    assert len(L) == 1
    d, e, r = L[0]
    assert 'referenceRange' not in r
    return G([ref(e, r)], [g(qty(r)), d],
             'latest Observation LOINC 2339-0 glucose %s = %r mg/dL; no referenceRange or interpretation in the record (usual fasting range about 70-99 mg/dL); prediabetes Condition active since 2004' % (d, qty(r)))


def c023():  # Lupe PSA -> not found
    t = text_of('Lupe_Little')
    assert '2857-1' not in t and 'prostate' not in t
    return G([], [], 'no Observation LOINC 2857-1 (PSA) nor anything about the prostate -> not in record', nf=True)


def c024():  # Martina previous weight
    L = obs('Martina_Murazik', '29463-7')
    d, e, r = L[-2]
    return G([ref(e, r)], [g(qty(r)), d],
             'Observations LOINC 29463-7 body weight: latest %s %r kg; the one before is %s %r kg (same value)' % (L[-1][0], qty(L[-1][2]), d, qty(r)))


def c025():  # Martina current medicines
    L = res('Martina_Murazik', 'MedicationRequest', lambda r: r['status'] == 'active')
    allm = res('Martina_Murazik', 'MedicationRequest', lambda r: True)
    assert len(L) == len(allm)
    return G([ref(e, r) for _, e, r in L], [],
             'all MedicationRequests with status active (%d): %s' % (len(L), '; '.join('%s (%s)' % (r['medicationCodeableConcept']['coding'][0]['display'], d) for d, _, r in L)))


def c026():  # Martina last visit
    L = enc_by('Martina_Murazik', lambda r: True)
    d, e, r = L[-1]
    P = res('Martina_Murazik', 'Procedure', lambda p: cdate(p) == d)
    return G([ref(e, r)], [d],
             'latest Encounter %s class %s "%s"; procedures that day: %s' % (
                 d, r['class']['code'], enc_type(r), '; '.join(p['code']['coding'][0]['display'] for _, _, p in P)))


def c027():  # Renea BP in 2019
    L = [x for x in obs('Renea_Quigley', '55284-4') if x[0].startswith('2019')]
    assert len(L) == 1
    d, e, r = L[0]
    sbp, dbp = comp(r, '8480-6'), comp(r, '8462-4')
    return G([ref(e, r)], [g(sbp), g(dbp), d],
             'only blood-pressure Observation (LOINC 55284-4 panel, components 8480-6/8462-4) in 2019: %s systolic %r / diastolic %r mmHg' % (d, sbp, dbp))


def c028():  # Renea followup ER visits: count, then reason for the last one
    L = enc_by('Renea_Quigley', lambda r: (r.get('class') or {}).get('code') == 'EMER')
    d, e, r = L[-1]
    C = res('Renea_Quigley', 'Condition', lambda c: cdate(c) == d)
    return G([ref(e, r)] + [ref(ce, cr) for _, ce, cr in C], [d],
             'turn 1: EMER Encounters = %d (%s); final turn: the last one %s, Condition %s (resolved)' % (
                 len(L), ', '.join(x[0] for x in L), d, '; '.join(cr['code']['coding'][0]['display'] for _, _, cr in C)),
             match='any')


def c029():  # Vito PSA in 1971
    L = [x for x in obs('Vito_Feeney', '2857-1') if x[0].startswith('1971')]
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [g(qty(r)), d],
             'Observation LOINC 2857-1 PSA in 1971: %s = %r ng/mL (record of a deceased patient, asked by his son); no reference range recorded' % (d, qty(r)))


def c030():  # Vito followup prostate biopsies: count, then last one
    L = res('Vito_Feeney', 'Procedure', lambda r: '65575008' in codes(r.get('code')))
    d, e, r = L[-1]
    return G([ref(e, r)], [d],
             'turn 1: Procedure SNOMED 65575008 prostate biopsy = %d (%s); final turn: last biopsy %s, same day as Condition "Neoplasm of prostate" onset' % (
                 len(L), ', '.join(x[0] for x in L), d))


def c031():  # IPS allergies (the "no known food allergy" entry is not an allergy)
    L = res('IPS_IG-bundle-01', 'AllergyIntolerance', lambda r: '429625007' not in codes(r.get('code')))
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [],
             'one real allergy: AllergyIntolerance penicillin-class (SNOMED 373270004), criticality high, onset 2010; the other entry is "No known food allergy" (429625007), a negation, not an allergy')


def c032():  # IPS anastrozole still on?
    meds = {e['fullUrl']: r for e, r in entries('IPS_IG-bundle-01', 'Medication')}
    L = []
    for e, r in entries('IPS_IG-bundle-01', 'MedicationStatement'):
        m = meds[r['medicationReference']['reference']]
        if 'L02BG03' in codes(m['code']):
            L.append((e, r))
    assert len(L) == 1
    e, r = L[0]
    return G([ref(e, r)], [r['effectivePeriod']['start']],
             'MedicationStatement -> Medication anastrozole 1 mg (ATC L02BG03): status %s, effectivePeriod.start %s, no end -> still taking (document of 2017-12-11)' % (
                 r['status'], r['effectivePeriod']['start']))


def c033():  # IPS meaning HbA1c
    L = obs('IPS_IG-bundle-01', '17856-6')
    assert len(L) == 1
    d, e, r = L[0]
    return G([ref(e, r)], [repr(qty(r)), d],
             'Observation LOINC 17856-6 HbA1c %s = %r %%, note "%s" (no referenceRange element; the note gives the goal 7.0 %%) -> above goal' % (
                 d, qty(r), r['note'][0]['text']))


def c034():  # AT latest blood pressure: two readings at the same timestamp, separate sys/dia Observations
    S = latest(obs('AT_ELGA_GmbH_01', '8480-6'))
    D = latest(obs('AT_ELGA_GmbH_01', '8462-4'))
    assert len(S) == 2 and len(D) == 2 and S[0][0] == D[0][0]
    vals = [str(qty(r)) for _, _, r in S + D]
    return G([ref(e, r) for _, e, r in S + D], vals + [S[0][0]],
             'latest systolic (8480-6) and diastolic (8462-4) Observations, no ids (fullUrl refs): two readings on %s 08:30, %s/%s and %s/%s mmHg -> all four gold' % (
                 S[0][0], qty(S[0][2]), qty(D[0][2]), qty(S[1][2]), qty(D[1][2])))


def c035():  # AT tick-borne encephalitis vaccine doses
    L = imms('AT_ELGA_GmbH_01', lambda r: 'J07BA01' in codes(r['vaccineCode']))
    return G([ref(e, r) for _, e, r in L], [str(len(L))] + [d for d, _, _ in L],
             'Immunizations ATC J07BA01 (FSME / tick-borne encephalitis, Encepur): %d doses on %s' % (len(L), ', '.join(d for d, _, _ in L)))


def c036():  # AT ferritin meaning
    L = obs('AT_ELGA_GmbH_01', '2276-4')
    assert len(L) == 1
    d, e, r = L[0]
    rr = r['referenceRange'][0]
    lo, hi = rr['low']['value'], rr['high']['value']
    return G([ref(e, r)], [str(qty(r)), str(lo), str(hi)],
             'Observation LOINC 2276-4 Ferritin %s = %r ug/L, referenceRange %s-%s, interpretation %s -> well above range' % (
                 d, qty(r), lo, hi, r['interpretation'][0]['coding'][0]['code']))


def c037():  # MEDITECH darbepoetin still on?
    rq = res('US_MEDITECH_ips_2', 'MedicationRequest', lambda r: 'darbepoetin' in r['medicationReference'].get('display', ''))
    ms = res('US_MEDITECH_ips_2', 'MedicationStatement', lambda r: '55513003201' in codes(r.get('medicationCodeableConcept')))
    assert len(rq) == 1 and len(ms) == 1
    assert rq[0][2]['status'] == 'active' and ms[0][2]['status'] == 'active'
    d = rq[0][2]['authoredOn'][:10]
    assert ms[0][2]['effectivePeriod']['start'][:10] == d and 'end' not in ms[0][2]['effectivePeriod']
    return G([ref(rq[0][1], rq[0][2]), ref(ms[0][1], ms[0][2])], [d],
             'MedicationRequest darbepoetin alfa (Aranesp) status active authoredOn %s; matching MedicationStatement (NDC 55513003201 only, no name) status active, start %s, no end -> still on' % (d, d),
             match='any')


def c038():  # MEDITECH flu vaccine ever -> only a refused (not-done) entry
    L = imms('US_MEDITECH_ips_2', lambda r: 'influenza' in (r['vaccineCode'].get('text') or '').lower())
    assert len(L) == 1 and L[0][2]['status'] == 'not-done'
    d, e, r = L[0]
    return G([ref(e, r)], [d],
             'only influenza Immunization (CVX 166) has status not-done, statusReason "%s" on %s -> no flu vaccine given in the record (the other vaccine is DTaP 2012-01-04)' % (
                 r['statusReason']['text'], d))


def c039():  # Lisandra covid test meaning
    L = [x for x in obs('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '94531-1') if 'valueCodeableConcept' in x[2]]
    assert len(L) == 1
    d, e, r = L[0]
    C = res('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'Condition', lambda c: '840539006' in codes(c.get('code')))
    return G([ref(e, r)] + [ref(ce, cr) for _, ce, cr in C], [d],
             'Observation LOINC 94531-1 SARS-CoV-2 RNA with valueCodeableConcept "%s" on %s (a twin Observation only holds the template placeholder "{entry.value}", not a result); Condition COVID-19 840539006 same day' % (
                 r['valueCodeableConcept']['coding'][0]['display'], d), match='any')


def c040():  # Lisandra vaccines -> not found
    n = len(list(entries('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'Immunization')))
    assert n == 0
    return G([], [], 'no Immunization resource in this C-CDA conversion -> vaccinations not in record', nf=True)


# ---------------------------------------------------------------- the cases

LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

CASES = [
    ('Annmarie_Doyle', 'latest', ["Bonjour, j'ai 86 ans et c'est ma petite-fille qui m'a installé l'application. Ma fille me répète sans arrêt de surveiller mon « mauvais cholestérol » parce que mon frère a fait un infarctus l'an dernier. Moi je mange du beurre depuis toujours et je me porte très bien, mais bon, pour lui faire plaisir : il était à combien la dernière fois qu'on me l'a mesuré, ce mauvais cholestérol ?"], c001),
    ('Annmarie_Doyle', 'count', ["Combien de vaccins contre la grippe j'ai eus en tout d'après mon dossier ? Moi j'ai arrêté de compter lol"], c002),
    ('Daisey_Johns', 'list', ["Bonjour, je remplis le dossier de cantine et le PAI pour ma fille Daisey qui rentre à l'école. Ils veulent la liste complète de ses allergies, alimentaires et autres. Je sais qu'il y a le poisson et les œufs, et je crois les acariens, mais avec tous les tests qu'on a faits quand elle était bébé j'ai peur d'en oublier une. Vous pouvez me redonner tout ce qui est noté dans son dossier ?"], c003),
    ('Daisey_Johns', 'still_on', ["la pharmacienne me demande si ma fille a toujours sa ventoline (le spray bleu) sur ordonnance ou si le médecin l'a arrêtée, vous voyez quoi dans son dossier ?"], c004),
    ('Daisey_Johns', 'last_visit', ["C'était quand le dernier rendez-vous de la petite chez le médecin, et c'était pour quoi ? son père pense que c'était pour le rhume mais je suis pas sûre"], c005),
    ('Emery_Purdy', 'ever_had', ["Mon médecin traitant m'a donné le kit de dépistage du cancer colorectal, le test à faire à la maison avec le petit bâtonnet. Sauf que j'ai le souvenir d'avoir déjà eu une coloscopie il y a quelques années, avec la purge affreuse la veille, et on m'avait dit que j'étais tranquille pour un moment. Vous pouvez vérifier dans mon dossier si j'en ai bien eu une, et quand ?"], c006),
    ('Emery_Purdy', 'followup', ["c'était quand mon dernier vaccin contre la grippe ?", "ok. et j'en ai eu combien en tout depuis le début ?"], c007),
    ('Fidel_Bins', 'count', ["J'ai de l'asthme depuis des années, je fais mes contrôles chez le médecin à peu près tous les six mois. Combien de fois j'ai fini aux urgences à cause d'une crise ?"], c008),
    ('Fidel_Bins', 'ever_had', ["Le pneumologue m'a posé plein de questions sur mes antécédents et quand il m'a demandé si j'avais déjà fait une pneumonie j'ai séché. J'ai été pas mal malade ces dernières années, des angines, des sinusites, je ne sais plus trop ce qui était quoi. Pas de fièvre en ce moment, tout va bien, c'est juste pour compléter son questionnaire. C'est noté quelque part que j'ai eu une pneumonie ?"], c009),
    ('Fidel_Bins', 'last_visit', ["c quand ma derniere visite chez le doc ?"], c010),
    ('Josue_Sipes', 'latest', ["Bonjour, c'est Maria, la femme de Josué. Depuis son AVC c'est moi qui gère ses papiers et ses rendez-vous. Le néphrologue nous a dit la dernière fois que « ça baissait » pour les reins mais on n'a pas bien compris les chiffres, il parlait du DFG je crois. Vous pouvez me dire le résultat de son dernier bilan rénal ? Il est diabétique et il a de la tension, alors ça m'inquiète un peu."], c011),
    ('Josue_Sipes', 'count', ["Combien de fois on m'a fait l'hémoglobine glyquée depuis 2018 ? J'ai l'impression d'avoir une prise de sang tous les mois"], c012),
    ('Josue_Sipes', 'still_on', ["Après mon AVC on m'avait mis du Plavix (clopidogrel), je m'en souviens parce que je saignais du nez pour un rien. Depuis j'ai tellement de boîtes, l'insuline, la metformine, les inhalateurs, que je m'y perds complètement. Là je retrouve plus la boîte de Plavix et le pharmacien n'a rien dans l'historique récent. Je suis toujours censé le prendre ou ça a été arrêté ?"], c013),
    ('Josue_Sipes', 'followup', ["Elle date de quand ma dernière spirométrie, le test où on souffle dans le tube ?", "Et j'en ai fait combien en tout ? J'ai l'impression d'en faire à chaque fois que je viens"], c014),
    ('Laurie_McCullough', 'ever_had', ["est ce que j'ai été vaccinée contre le papillomavirus quand j'étais ado ? ma gynéco me demande et ma mère se souvient plus"], c015),
    ('Laurie_McCullough', 'last_visit', ["Je dois remplir un questionnaire de santé pour la mutuelle de mon nouveau boulot et ils demandent la date de la dernière consultation médicale et le motif. Aucune idée, ça doit faire un moment, j'ai pas été malade depuis un bail. Quand est-ce que j'ai vu un médecin pour la dernière fois, et c'était pour quoi ?"], c016),
    ('Liz_Conn', 'latest', ["Coucou ! Je m'inscris à la salle de sport et ils veulent un certificat, j'ai rdv chez ma médecin traitante la semaine prochaine. Au passage j'ai vu une pub sur les statines à la télé et ça m'a fait penser : c'était combien mon cholestérol à la dernière prise de sang ?"], c017),
    ('Liz_Conn', 'not_found', ["On m'a déjà dosé la vitamine D ? Je suis crevée tout l'hiver, je dors 9h et je me lève fatiguée, pas de fièvre, pas de perte de poids, juste à plat. Ma collègue dit que c'est sûrement une carence et qu'il faut demander une prise de sang. Si ça a déjà été fait je voudrais connaître le résultat avant d'aller voir le médecin."], c018),
    ('Luigi_Wiegand', 'list', ["Bonjour, on a perdu le carnet de santé de notre fils Luigi 😩 et la crèche veut une copie de ses vaccins avant la rentrée. Il a eu les vaccins du 2e et du 4e mois je crois, plus ceux de la maternité, mais je ne suis plus sûre de ce qu'il a eu exactement. Vous pouvez me lister tous les vaccins qu'il a reçus, avec les dates ?"], c019),
    ('Luigi_Wiegand', 'not_found', ["C'est quoi le groupe sanguin de mon bébé ? la crèche le demande sur la fiche"], c020),
    ('Lupe_Little', 'previous', ["Mon hémoglobine glyquée, pas la dernière mais celle d'avant, elle était à combien ? je veux comparer"], c021),
    ('Lupe_Little', 'meaning', ["Il y a des années on m'avait parlé de prédiabète et depuis j'ai fait un peu attention, moins de sodas, un peu de vélo le week-end. Là mon frère vient d'apprendre qu'il est diabétique et ça m'a refait penser à moi. Mon sucre dans le sang à la dernière prise de sang, c'était combien, et c'est normal ou pas ?"], c022),
    ('Lupe_Little', 'not_found', ["Mon père vient d'être opéré d'un cancer de la prostate. Est-ce qu'on m'a déjà fait un dosage du PSA à moi ? Si oui c'était combien"], c023),
    ('Martina_Murazik', 'previous', ["Bonjour, je suis la fille de Martina, je m'occupe de son suivi depuis qu'elle a de l'insuffisance cardiaque. Le cardiologue nous a dit de surveiller son poids de près, qu'une prise de 2 kilos en quelques jours c'est un signal d'alerte. Elle se pèse à la maison mais sa balance est vieille. À la pesée d'avant la dernière chez le médecin, elle faisait combien ?"], c024),
    ('Martina_Murazik', 'list', ["Je vois le cardiologue demain et il veut tous mes médicaments. Vous pouvez me faire la liste de ce que je prends en ce moment svp ? j'ai peur d'oublier un truc, j'ai des boîtes un peu partout dans la cuisine"], c025),
    ('Martina_Murazik', 'last_visit', ["C'était quoi déjà ma dernière consultation ? il me semble que j'ai fini aux urgences avant Noël, on m'avait fait une radio des poumons"], c026),
    ('Renea_Quigley', 'value_in_year', ["J'avais combien de tension en 2019 ? mon médecin dit que ça a monté depuis, moi je trouve pas, à la maison j'ai souvent 15/9"], c027),
    ('Renea_Quigley', 'followup', ["Combien de fois je suis passée aux urgences d'après mon dossier ?", "et la dernière fois c'était pour quoi déjà ?"], c028),
    ('Vito_Feeney', 'value_in_year', ["Bonjour, je reconstitue les antécédents de mon père, décédé en 1979, parce que l'urologue me demande s'il y avait des cancers de la prostate dans la famille. J'ai accès à son dossier en tant qu'ayant droit. Son PSA en 1971, l'année de sa coloscopie, il était à combien ?"], c029),
    ('Vito_Feeney', 'followup', ["Mon père a eu combien de biopsies de la prostate en tout ?", "et la dernière c'était quand ? c'est à ce moment-là qu'on a trouvé le cancer ?"], c030),
    ('IPS_IG-bundle-01', 'list', ["Je pars trois semaines au Portugal et je veux une liste de mes allergies à montrer en cas de souci, surtout si je dois voir un médecin là-bas. Je suis allergique à quoi exactement d'après mon dossier ? Et côté nourriture, il y a quelque chose ?"], c031),
    ('IPS_IG-bundle-01', 'still_on', ["Bonjour, petite question : je suis toujours sous anastrozole ou c'était prévu pour une durée limitée ? J'ai mal aux articulations le matin et ma voisine qui a eu le même cancer du sein dit que c'est à cause de ça. Je l'ai commencé quand déjà ?"], c032),
    ('IPS_IG-bundle-01', 'meaning', ["Mon HbA1c de novembre 2017, c'est bon ou pas ? Je comprends rien aux chiffres"], c033),
    ('AT_ELGA_GmbH_01', 'latest', ["La pharmacie m'a pris la tension ce matin, 14/9. C'était combien la dernière fois qu'on me l'a prise chez le médecin ?"], c034),
    ('AT_ELGA_GmbH_01', 'count', ["Je pars randonner en Autriche cet été. J'ai eu combien de doses du vaccin contre l'encéphalite à tiques ?"], c035),
    ('AT_ELGA_GmbH_01', 'meaning', ["Je viens de récupérer mes résultats de décembre sur l'appli et je vois ferritine 724 ?? avec deux flèches rouges. J'ai cherché sur internet et maintenant je panique un peu, entre l'hémochromatose et le reste. Je suis fatiguée mais pas plus que d'habitude. C'est quoi la normale pour la ferritine, et je suis à combien au-dessus ?"], c036),
    ('US_MEDITECH_ips_2', 'still_on', ["Est-ce que je suis toujours sous Aranesp, les piqûres pour l'anémie à cause de mon rein ? Depuis quand je l'ai ?"], c037),
    ('US_MEDITECH_ips_2', 'ever_had', ["L'infirmière du service de néphrologie veut me faire le vaccin contre la grippe cette année et elle me demande si je l'ai déjà eu, pour savoir si j'avais bien réagi. Franchement je ne m'en souviens plus, je crois que j'avais dit non une fois. Ai-je déjà été vaccinée contre la grippe ?"], c038),
    (LIS, 'meaning', ["le test covid de ma fille fin février 2020, quand elle avait beaucoup de fièvre, il était positif ou négatif ? on ne nous a jamais vraiment dit"], c039),
    (LIS, 'not_found', ["Quels vaccins a eu ma fille d'après son dossier ? je dois vérifier pour la rentrée, le collège veut que le DTP soit à jour"], c040),
]


def build():
    out = []
    for i, (patient, kind, turns, fn) in enumerate(CASES, 1):
        gold = fn()
        rec = {'id': 'rb12-fr-%03d' % i, 'lang': 'fr', 'patient': patient, 'kind': kind, 'turns': turns}
        rec.update(gold)
        out.append(rec)
    return out


def main():
    cases = build()
    args = sys.argv[1:]
    if args[:1] == ['--print']:
        for c in cases:
            print(json.dumps(c, ensure_ascii=False))
        return
    if args[:1] == ['--write']:
        n = int(args[1])
        path = os.path.join(HERE, 'fr-%02d.jsonl' % n)
        if os.path.exists(path):
            sys.exit('%s exists; saved files are final' % path)
        chunk = cases[10 * (n - 1):10 * n]
        with open(path, 'w', encoding='utf-8') as f:
            for c in chunk:
                f.write(json.dumps(c, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
        return
    # verify
    byid = {c['id']: c for c in cases}
    bad = 0
    seen = 0
    for p in sorted(glob.glob(os.path.join(HERE, 'fr-*.jsonl'))):
        for line in open(p, encoding='utf-8'):
            rec = json.loads(line)
            seen += 1
            exp = byid[rec['id']]
            for k in ('patient', 'kind', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
                if rec.get(k) != exp.get(k):
                    bad += 1
                    print('MISMATCH', rec['id'], k)
    print('checked %d cases, %d mismatches' % (seen, bad))


if __name__ == '__main__':
    main()
