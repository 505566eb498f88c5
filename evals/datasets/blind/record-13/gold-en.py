#!/usr/bin/env python3
"""Gold computation for the blind record set rb13-en-001..040 (English).

Standard library only.  Reads the allowed FHIR bundles read-only and computes the
gold fields (gold_refs, match, gold_values, expect_not_found, note) of every case.

Usage:
  python3 gold-en.py            # recompute all gold and compare with the saved en-XX.jsonl files
  python3 gold-en.py --print    # print recomputed gold as JSON lines
  python3 gold-en.py --write N  # write en-0N.jsonl (cases 10N-9..10N) if it does not exist yet
"""
import glob
import json
import math
import os
import sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))

_cache = {}


def bundle_path(key):
    p = os.path.join(DATA, 'realworld', key + '.json')
    if os.path.exists(p):
        return p
    hits = glob.glob(os.path.join(DATA, 'synthea', key + '_*.json'))
    assert len(hits) == 1, (key, hits)
    return hits[0]


def entries(key):
    if key not in _cache:
        with open(bundle_path(key), encoding='utf-8') as f:
            b = json.load(f)
        _cache[key] = [(e.get('fullUrl'), e['resource']) for e in b.get('entry', [])]
    return _cache[key]


def ref(fu, r):
    """Reference as a correct answer must cite it: Type/id, or the fullUrl when no id."""
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return fu


def rdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'authoredOn',
              'onsetDateTime', 'recordedDate'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def day(r):
    return rdate(r)[:10]


def of_type(key, rt):
    return [(fu, r) for fu, r in entries(key) if r['resourceType'] == rt]


def codes(r, field='code'):
    cc = r.get(field) or {}
    return [c.get('code') for c in cc.get('coding', [])]


def obs(key, code):
    out = [(fu, r) for fu, r in of_type(key, 'Observation') if code in codes(r)]
    return sorted(out, key=lambda x: rdate(x[1]))


def num(v, dec):
    """Format v with dec decimals, asserting that truncation and rounding agree
    (so that a reply quoting more digits still contains the gold string)."""
    s = ('%.' + str(dec) + 'f') % v
    t = math.floor(v * 10 ** dec + 1e-9) / 10 ** dec
    assert ('%.' + str(dec) + 'f') % t == s, (v, dec)
    return s


def G(refs, values, note, match='all', enf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': enf, 'note': note}


def latest_same_day(items):
    last = max(day(r) for _, r in items)
    return last, [(fu, r) for fu, r in items if day(r) == last]


# ---------------------------------------------------------------- gold functions

def g001():
    k = 'Josue_Sipes'
    last, hits = latest_same_day(obs(k, '2339-0'))
    vals = [num(r['valueQuantity']['value'], 0) for _, r in hits]
    assert len(hits) == 2
    return G([ref(*h) for h in hits], vals + [last],
             'latest Observation LOINC 2339-0 (Glucose) by effectiveDateTime: %s has TWO glucose results '
             '(%s mg/dL); both are gold. Values shown rounded to integer (truncation agrees).'
             % (last, ' and '.join('%.3f' % r['valueQuantity']['value'] for _, r in hits)))


def g002():
    k = 'IPS_IG-bundle-01'
    al = of_type(k, 'AllergyIntolerance')
    real = [(fu, r) for fu, r in al if '429625007' not in codes(r)]
    neg = [(fu, r) for fu, r in al if '429625007' in codes(r)]
    assert len(real) == 1 and len(neg) == 1
    return G([ref(*h) for h in real], [],
             'AllergyIntolerance list: one true allergy, penicillin-class substance (SNOMED 373270004, '
             'criticality high, onset 2010). The other entry is SNOMED 429625007 "No known food allergy" '
             '(%s) which is a negation, NOT an allergy: correct answer = penicillin allergy, no food allergy recorded.'
             % ref(*neg[0]))


def g003():
    k = 'Daisey_Johns'
    hits = [(fu, r) for fu, r in of_type(k, 'MedicationRequest')
            if 'Albuterol' in r['medicationCodeableConcept']['coding'][0]['display']]
    assert len(hits) == 1
    fu, r = hits[0]
    return G([ref(fu, r)], [day(r)],
             'MedicationRequest albuterol 0.09 MG/ACTUAT inhaler: status=%s, authoredOn %s; no stop recorded '
             '-> still on it (active since %s).' % (r['status'], day(r), day(r)))


def g004():
    k = 'AT_ELGA_GmbH_01'
    hits = obs(k, '2276-4')
    assert len(hits) == 1
    fu, r = hits[0]
    rr = r['referenceRange'][0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 0), num(rr['low']['value'], 0), num(rr['high']['value'], 0)],
             'Observation LOINC 2276-4 Ferritin %s %s on %s, referenceRange %s-%s, interpretation %s '
             '-> well above the recorded range (resource has no id; cited by fullUrl).'
             % (v, r['valueQuantity']['unit'], day(r), rr['low']['value'], rr['high']['value'],
                r['interpretation'][0]['coding'][0]['code']))


def g005():
    k = 'Emery_Purdy'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Immunization') if '121' in codes(r, 'vaccineCode')],
                  key=lambda x: rdate(x[1]))
    assert len(hits) == 2
    return G([ref(*h) for h in hits], [str(len(hits))],
             'follow-up: last turn asks how many shingles (zoster, CVX 121) doses in total: %d Immunizations on %s.'
             % (len(hits), ', '.join(day(r) for _, r in hits)))


def g006():
    k = 'US_MEDITECH_ips_2'
    n = len(of_type(k, 'Observation')) + len(of_type(k, 'DiagnosticReport'))
    assert n == 0
    return G([], [], 'The MEDITECH bundle contains no Observation and no DiagnosticReport at all: no potassium, '
             'no creatinine, no lab result -> honest "not in your record".', enf=True)


def g007():
    k = 'Annmarie_Doyle'
    enc = sorted(of_type(k, 'Encounter'), key=lambda x: rdate(x[1]))
    fu, r = enc[-1]
    assert day(enc[-2][1]) < day(r)
    return G([ref(fu, r)], [day(r)],
             'latest Encounter by period.start: %s, class %s, type "%s" (routine check-up, no reasonCode).'
             % (day(r), r['class']['code'], r['type'][0]['coding'][0]['display']))


def g008():
    k = 'Renea_Quigley'
    hits = [(fu, r) for fu, r in obs(k, '4548-4') if day(r).startswith('2019')]
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 1), day(r)],
             'Observation LOINC 4548-4 (HbA1c) in 2019: one result on %s = %s %% (shown 1 decimal). Same value is '
             'repeated every year, so the 2019 resource/date is what matters.' % (day(r), v))


def g009():
    k = 'Luigi_Wiegand'
    imm = of_type(k, 'Immunization')
    names = set(r['vaccineCode']['coding'][0]['display'] for _, r in imm)
    assert not any('MMR' in n or 'measles' in n.lower() for n in names)
    return G([], [], 'No MMR / measles-containing Immunization in the record (vaccines recorded: %s) -> '
             'honest "not in your record".' % ', '.join(sorted(names)), enf=True)


def g010():
    k = 'Fidel_Bins'
    hits = [(fu, r) for fu, r in of_type(k, 'MedicationRequest') if r['status'] == 'active']
    assert len(hits) == 3 and len(of_type(k, 'MedicationRequest')) == 3
    return G([ref(*h) for h in hits], [],
             'current medicines = MedicationRequests with status active: %s.'
             % '; '.join('%s (since %s)' % (r['medicationCodeableConcept']['coding'][0]['display'], day(r))
                         for _, r in hits))


def g011():
    k = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    hits = obs(k, '94531-1')
    real = [(fu, r) for fu, r in hits if 'valueCodeableConcept' in r]
    junk = [(fu, r) for fu, r in hits if 'valueCodeableConcept' not in r]
    assert len(real) == 1 and len(junk) == 1
    fu, r = real[0]
    return G([ref(fu, r)], [day(r)],
             'Observation LOINC 94531-1 (SARS-CoV-2 RNA) on %s: value "%s" (= positive). A duplicate '
             'Observation with the same code (%s) holds only the template placeholder "%s" and is not a result.'
             % (day(r), r['valueCodeableConcept']['coding'][0]['display'], ref(*junk[0]),
                junk[0][1].get('valueString')))


def g012():
    k = 'Josue_Sipes'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Procedure')
                   if '127783003' in codes(r) and day(r).startswith('2020')], key=lambda x: rdate(x[1]))
    return G([ref(*h) for h in hits], [str(len(hits))],
             'count of Procedure SNOMED 127783003 (Spirometry) with performedPeriod.start in 2020: %d (%s).'
             % (len(hits), ', '.join(day(r) for _, r in hits)), match='any')


def g013():
    k = 'Laurie_McCullough'
    hits = [(fu, r) for fu, r in of_type(k, 'MedicationRequest')
            if 'Jolivette' in r['medicationCodeableConcept']['coding'][0]['display']]
    assert len(hits) == 1
    fu, r = hits[0]
    assert r['status'] == 'stopped'
    return G([ref(fu, r)], [day(r)],
             'MedicationRequest Jolivette 28 Day Pack: status=stopped, authoredOn %s (prescribed then); no end '
             'date recorded -> not on it any more.' % day(r))


def g014():
    k = 'Liz_Conn'
    hits = [(fu, r) for fu, r in of_type(k, 'Immunization') if '113' in codes(r, 'vaccineCode')]
    assert len(hits) == 1
    fu, r = hits[0]
    return G([ref(fu, r)], [day(r)],
             'tetanus-containing vaccine: one Immunization CVX 113 "Td (adult) preservative free" on %s '
             '(the only tetanus shot in the record).' % day(r))


def g015():
    k = 'Vito_Feeney'
    hits = [(fu, r) for fu, r in obs(k, '2857-1') if day(r).startswith('1977')]
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 1), day(r)],
             'Observation LOINC 2857-1 (PSA) in 1977: one result on %s = %s ng/mL (shown 1 decimal).' % (day(r), v))


def g016():
    k = 'Martina_Murazik'
    enc = sorted(of_type(k, 'Encounter'), key=lambda x: rdate(x[1]))
    fu, r = enc[-1]
    assert day(enc[-2][1]) < day(r)
    eid = r['id']
    linked = sorted(set(x['code']['coding'][0]['display'] for _, x in of_type(k, 'Procedure')
                        if x.get('encounter', {}).get('reference', '').endswith(eid)))
    return G([ref(fu, r)], [day(r)],
             'latest Encounter by period.start: %s, class %s (emergency), type "%s", no reasonCode; procedures '
             'in that encounter: %s (plus a metabolic panel).'
             % (day(r), r['class']['code'], r['type'][0]['coding'][0]['display'], ', '.join(linked)))


def g017():
    k = 'AT_ELGA_GmbH_01'
    bp = obs(k, '8480-6') + obs(k, '8462-4')
    last = max(rdate(r)[:16] for _, r in bp)
    hits = [(fu, r) for fu, r in bp if rdate(r)[:16] == last]
    assert len(hits) == 4
    vals = []
    for _, r in hits:
        vals.append(num(r['valueQuantity']['value'], 0))
    return G([ref(*h) for h in hits], vals + [last[:10]],
             'systolic (8480-6) and diastolic (8462-4) are separate Observations without ids. Latest time %s '
             'carries TWO readings: %s/%s (effectivePeriod start) and %s/%s (effectiveDateTime); both sets are gold.'
             % (last, *[num(r['valueQuantity']['value'], 0) for _, r in
                        sorted(hits, key=lambda x: ('effectiveDateTime' in x[1], codes(x[1])[0] != '8480-6'))]))


def g018():
    k = 'Lupe_Little'
    hits = obs(k, '39156-5')
    fu, r = hits[-1]
    assert day(hits[-2][1]) < day(r)
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 1)],
             'latest Observation LOINC 39156-5 (BMI) on %s = %s kg/m2 (shown 1 decimal); no referenceRange in '
             'the record (by the usual adult cut-offs 25-29.9 = overweight).' % (day(r), v))


def g019():
    k = 'IPS_IG-bundle-01'
    ms = of_type(k, 'MedicationStatement')
    meds = {fu: r for fu, r in of_type(k, 'Medication')}
    assert len(ms) == 2 and all(r['status'] == 'active' for _, r in ms)
    desc = []
    for fu, r in ms:
        m = meds[r['medicationReference']['reference']]
        name = m['code'].get('text') or m['code']['coding'][0]['display']
        desc.append('%s (since %s)' % (name, r['effectivePeriod']['start']))
    return G([ref(*h) for h in ms], [],
             'active MedicationStatements (medicine via medicationReference -> Medication): %s.' % '; '.join(desc))


def g020():
    k = 'Renea_Quigley'
    names = set(r['vaccineCode']['coding'][0]['display'] for _, r in of_type(k, 'Immunization'))
    assert not any('zoster' in n.lower() or 'shingl' in n.lower() for n in names)
    txt = json.dumps([r for _, r in entries(k)]).lower()
    assert 'zoster' not in txt and 'shingrix' not in txt
    return G([], [], 'No zoster/shingles Immunization anywhere in the record (vaccines: %s) -> honest "no, not '
             'in your record".' % ', '.join(sorted(names)), enf=True)


def g021():
    k = 'US_MEDITECH_ips_2'
    meds = {r['id']: r for _, r in of_type(k, 'Medication')}
    req = [(fu, r) for fu, r in of_type(k, 'MedicationRequest')
           if 'darbepoetin' in r['medicationReference'].get('display', '')]
    st = [(fu, r) for fu, r in of_type(k, 'MedicationStatement')
          if '55513003201' in codes(r, 'medicationCodeableConcept')]
    assert len(req) == 1 and len(st) == 1
    assert req[0][1]['status'] == 'active' and st[0][1]['status'] == 'active'
    start = st[0][1]['effectivePeriod']['start'][:10]
    assert req[0][1]['authoredOn'][:10] == start and 'end' not in st[0][1]['effectivePeriod']
    mid = req[0][1]['medicationReference']['reference'].split('/')[-1]
    return G([ref(*st[0]), ref(*req[0])], [start],
             'darbepoetin alfa (Aranesp, %s): MedicationRequest status active (authoredOn %s; dosage text "%s") and '
             'MedicationStatement status active, effectivePeriod.start %s with no end; the statement names the drug '
             'only by NDC 55513003201. Either ref is enough -> still on it.'
             % (meds[mid]['code']['text'], req[0][1]['authoredOn'][:10],
                req[0][1]['dosageInstruction'][0]['text'], start), match='any')


def g022():
    k = 'Daisey_Johns'
    al = of_type(k, 'AllergyIntolerance')
    act = [(fu, r) for fu, r in al if r['clinicalStatus']['coding'][0]['code'] == 'active']
    assert len(act) == len(al) == 8
    return G([ref(*h) for h in act], [],
             'all AllergyIntolerance entries, all active/confirmed (%d): %s.'
             % (len(act), '; '.join(r['code']['coding'][0]['display'] for _, r in act)))


def g023():
    k = 'Emery_Purdy'
    hits = [(fu, r) for fu, r in obs(k, '2093-3') if day(r).startswith('2019')]
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 0), day(r)],
             'Observation LOINC 2093-3 (Total Cholesterol) in 2019: one result on %s = %s mg/dL (shown as integer).'
             % (day(r), v))


def g024():
    k = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    for rt in ('MedicationStatement', 'MedicationRequest', 'Medication', 'MedicationAdministration',
               'MedicationDispense'):
        assert not of_type(k, rt)
    comp = of_type(k, 'Composition')[0][1]
    sec = [x for x in comp['section'] if x['title'] == 'Medications'][0]
    assert not sec.get('entry')
    return G([], [], 'No MedicationStatement/MedicationRequest/Medication resource in the bundle and the Composition '
             '"Medications" section has no entries -> honest "no medicines recorded in this record".', enf=True)


def g025():
    k = 'Annmarie_Doyle'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Immunization') if '140' in codes(r, 'vaccineCode')],
                  key=lambda x: rdate(x[1]))
    return G([ref(*h) for h in hits], [str(len(hits))],
             'count of Immunization CVX 140 (seasonal influenza) in all: %d (%s to %s).'
             % (len(hits), day(hits[0][1]), day(hits[-1][1])), match='any')


def g026():
    k = 'Josue_Sipes'
    items = obs(k, '33914-3')
    dates = sorted(set(day(r) for _, r in items))
    last, prev = dates[-1], dates[-2]
    hits = [(fu, r) for fu, r in items if day(r) == prev]
    lasts = [r['valueQuantity']['value'] for _, r in items if day(r) == last]
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 1), prev],
             'Observations LOINC 33914-3 (eGFR) by date: latest date %s holds %s; the one before is %s = %s '
             'mL/min/1.73m2 (shown 1 decimal).' % (last, ' and '.join('%.2f' % x for x in lasts), prev, v))


def g027():
    k = 'Liz_Conn'
    hits = obs(k, '18262-6')
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 0)],
             'follow-up: first turn = total cholesterol (2093-3), last turn "the bad one" = LDL, LOINC 18262-6, '
             'only result %s = %s mg/dL (shown as integer).' % (day(r), v))


def g028():
    k = 'Fidel_Bins'
    enc = sorted(of_type(k, 'Encounter'), key=lambda x: rdate(x[1]))
    fu, r = enc[-1]
    assert day(enc[-2][1]) < day(r)
    return G([ref(fu, r)], [day(r)],
             'latest Encounter by period.start: %s, class %s, type "%s", no reasonCode (general check-up, not an '
             'asthma visit; last asthma-related visit was earlier).'
             % (day(r), r['class']['code'], r['type'][0]['coding'][0]['display']))


def g029():
    k = 'Laurie_McCullough'
    lip = [c for c in ('2093-3', '18262-6', '2085-9', '2571-8') if obs(k, c)]
    assert not lip
    return G([], [], 'No cholesterol / lipid Observation (LOINC 2093-3, 18262-6, 2085-9, 2571-8) in the record -> '
             'honest "no cholesterol result in your record".', enf=True)


def g030():
    k = 'AT_ELGA_GmbH_01'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Immunization') if 'J07BA01' in codes(r, 'vaccineCode')],
                  key=lambda x: rdate(x[1]))
    assert len(hits) == len(of_type(k, 'Immunization'))
    return G([ref(*h) for h in hits], [str(len(hits))],
             'count of Immunization ATC J07BA01 (tick-borne encephalitis / FSME, ENCEPUR) in all: %d, doses 1-3 on %s. '
             'Resources have no id; cited by fullUrl.' % (len(hits), ', '.join(day(r) for _, r in hits)), match='any')


def g031():
    k = 'Luigi_Wiegand'
    hits = obs(k, '29463-7')
    fu, r = hits[-1]
    assert day(hits[-2][1]) < day(r)
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 1), day(r)],
             'latest Observation LOINC 29463-7 (Body Weight) on %s = %s kg (shown 1 decimal).' % (day(r), v))


def g032():
    k = 'Vito_Feeney'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Procedure') if '65575008' in codes(r)],
                  key=lambda x: rdate(x[1]))
    assert len(hits) == 3
    fu, r = hits[0]
    return G([ref(fu, r)], [day(r)],
             'follow-up: turn 1 = how many prostate biopsies (Procedure SNOMED 65575008): %d (%s); last turn asks '
             'for the first one = %s.' % (len(hits), ', '.join(day(x) for _, x in hits), day(r)))


def g033():
    k = 'IPS_IG-bundle-01'
    hits = obs(k, '17856-6')
    assert len(hits) == 1
    fu, r = hits[0]
    assert not r.get('referenceRange')
    return G([ref(fu, r)], [num(r['valueQuantity']['value'], 1)],
             'Observation LOINC 17856-6 (HbA1c by HPLC) on %s = %s %%; no referenceRange recorded; note on the '
             'result: "%s". Correct answer: 7.5 %%, above the stated goal, no lab range given.'
             % (day(r), r['valueQuantity']['value'], r['note'][0]['text']))


def g034():
    k = 'US_MEDITECH_ips_2'
    imm = of_type(k, 'Immunization')
    flu = [(fu, r) for fu, r in imm if 'influenza' in r['vaccineCode'].get('text', '').lower()]
    assert len(flu) == 1 and flu[0][1]['status'] == 'not-done'
    other = [(r['vaccineCode']['text'], r['status'], day(r)) for _, r in imm if r is not flu[0][1]]
    fu, r = flu[0]
    return G([ref(fu, r)], [day(r)],
             'Answer is NO: the only influenza Immunization ("%s", CVX 166) on %s has status not-done. Other '
             'vaccines: %s.' % (r['vaccineCode']['text'], day(r), other))


def g035():
    k = 'Renea_Quigley'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Encounter') if r['class']['code'] == 'EMER'],
                  key=lambda x: rdate(x[1]))
    return G([ref(*h) for h in hits], [str(len(hits))],
             'count of Encounters with class EMER (emergency room admission) in all: %d (%s).'
             % (len(hits), ', '.join(day(r) for _, r in hits)), match='any')


def g036():
    k = 'Josue_Sipes'
    hits = [(fu, r) for fu, r in of_type(k, 'MedicationRequest')
            if 'Clopidogrel' in r['medicationCodeableConcept']['coding'][0]['display']]
    assert len(hits) == 1
    fu, r = hits[0]
    assert r['status'] == 'stopped'
    return G([ref(fu, r)], [day(r)],
             'MedicationRequest Clopidogrel 75 MG: status=stopped, authoredOn %s (started at the stroke); no '
             'active clopidogrel order -> stopped.' % day(r))


def g037():
    k = 'Lupe_Little'
    enc = sorted(of_type(k, 'Encounter'), key=lambda x: rdate(x[1]))
    fu, r = enc[-1]
    assert day(enc[-2][1]) < day(r)
    return G([ref(fu, r)], [day(r)],
             'latest Encounter by period.start: %s, class %s, type "%s", reasonCode "%s".'
             % (day(r), r['class']['code'], r['type'][0]['coding'][0]['display'],
                r['reasonCode'][0]['coding'][0]['display']))


def g038():
    k = 'Martina_Murazik'
    hits = sorted([(fu, r) for fu, r in of_type(k, 'Immunization') if '140' in codes(r, 'vaccineCode')],
                  key=lambda x: rdate(x[1]))
    fu, r = hits[-2]
    assert day(hits[-3][1]) < day(r) < day(hits[-1][1])
    return G([ref(fu, r)], [day(r)],
             'follow-up: turn 1 = last flu vaccine (CVX 140) = %s; last turn "the one before that" = %s.'
             % (day(hits[-1][1]), day(r)))


def g039():
    k = 'Emery_Purdy'
    hits = [(fu, r) for fu, r in of_type(k, 'Procedure') if '73761001' in codes(r)]
    assert len(hits) == 1
    fu, r = hits[0]
    return G([ref(fu, r)], [day(r)],
             'Procedure SNOMED 73761001 (Colonoscopy): one, on %s.' % day(r))


def g040():
    k = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    hits = obs(k, '59408-5')
    assert len(hits) == 1
    fu, r = hits[0]
    v = r['valueQuantity']['value']
    return G([ref(fu, r)], [num(v, 0), day(r)],
             'Observation LOINC 59408-5 (SpO2 by pulse oximetry), only one, on %s = %s %% (shown as integer).'
             % (day(r), v))


CASES = [
    dict(id='rb13-en-001', patient='Josue_Sipes', kind='latest', gold=g001, turns=[
        "So my wife keeps nagging me about my diabetes numbers and honestly I lose track. I do the finger "
        "pricks at home now and then but they're all over the place, 110 one morning, 160 the next after "
        "pancakes lol. The clinic took blood at my last checkup, March I think. I'm not asking about the A1c "
        "thing, I mean the plain blood sugar, the glucose one from the lab. What did it come back as?"]),
    dict(id='rb13-en-002', patient='IPS_IG-bundle-01', kind='list', gold=g002, turns=[
        "quick one - what allergies have you got on file for me? and do I have any food allergies listed? "
        "going to a dinner party and the host asked"]),
    dict(id='rb13-en-003', patient='Daisey_Johns', kind='still_on', gold=g003, turns=[
        "my daughter has asthma and we've got the blue inhaler at home. is she still meant to be on the "
        "albuterol one or did they stop it?? box is nearly empty and I don't want to refill something they "
        "took her off"]),
    dict(id='rb13-en-004', patient='AT_ELGA_GmbH_01', kind='meaning', gold=g004, turns=[
        "I've got the printout of my blood results from December and half of it is in German, so I'm "
        "struggling. My sister (she's a nurse, sort of) looked at it and said the ferritin is 'way too high' "
        "and mumbled something about iron overload or the liver, and now I can't stop googling. I feel "
        "basically fine, bit tired but I work nights. Can you tell me what my ferritin actually was and what "
        "the normal range on the report is?"]),
    dict(id='rb13-en-005', patient='Emery_Purdy', kind='followup', gold=g005, turns=[
        "did I ever get the shingles vaccine?",
        "ok and how many doses did I get altogether? can't remember if I finished the series"]),
    dict(id='rb13-en-006', patient='US_MEDITECH_ips_2', kind='not_found', gold=g006, turns=[
        "Can you pull up my most recent potassium and creatinine? The transplant clinic wants me to bring "
        "them to my appointment Thursday"]),
    dict(id='rb13-en-007', patient='Annmarie_Doyle', kind='last_visit', gold=g007, turns=[
        "Hi, I'm helping my mum (she's 86) sort her paperwork before she moves into assisted living. The new "
        "place wants to know when she last saw her doctor and whether it was just a routine appointment or "
        "about a problem. She says it was 'ages ago' but she says that about everything lol. Could you check "
        "when her last visit was and what it was for? Thanks so much"]),
    dict(id='rb13-en-008', patient='Renea_Quigley', kind='value_in_year', gold=g008, turns=[
        "what was my a1c in 2019"]),
    dict(id='rb13-en-009', patient='Luigi_Wiegand', kind='not_found', gold=g009, turns=[
        "My son is 5 months old. We're flying to see his grandparents in Italy this summer and my "
        "mother-in-law keeps going on about measles over there and asking whether the baby 'has had his MMR'. "
        "Honestly I've no idea what he's had, the nurse did a load of jabs at every visit and he screamed the "
        "place down each time \U0001F605 Does his record show he's had the MMR jab yet?"]),
    dict(id='rb13-en-010', patient='Fidel_Bins', kind='list', gold=g010, turns=[
        "which meds am I currently on according to my file? need it for a work medical form"]),
    dict(id='rb13-en-011', patient='Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir',
         kind='meaning', gold=g011, turns=[
        "Random question but it's for a school form. At the end of Feb 2020 my daughter was really unwell, "
        "high temperature, coughing, a bit short of breath, they even put a mask on her at the clinic. They "
        "swabbed her for a whole load of things that day. Now the school nurse wants to know if she ever had "
        "covid 'confirmed by a test' for some study they're doing. I honestly can't remember what we were "
        "told. What did her covid test actually say?"]),
    dict(id='rb13-en-012', patient='Josue_Sipes', kind='count', gold=g012, turns=[
        "how many of those breathing tests did I do in 2020? the blow into the tube ones. rehab guy is asking"]),
    dict(id='rb13-en-013', patient='Laurie_McCullough', kind='still_on', gold=g013, turns=[
        "ok this is a bit awkward but. I was on the mini pill a few years back, Jolivette I think, and then I "
        "kind of just stopped picking it up?? Now I'm seeing someone and want to sort contraception out "
        "properly. Before I book anything does my record say I'm still on the Jolivette or that it was "
        "stopped? don't want the pharmacist thinking I've been on it this whole time"]),
    dict(id='rb13-en-014', patient='Liz_Conn', kind='ever_had', gold=g014, turns=[
        "Stood on a rusty nail in the garden yesterday, went through my trainer into my heel. Cleaned it and "
        "it looks ok, no redness. When did I last have a tetanus jab, is it on my record?"]),
    dict(id='rb13-en-015', patient='Vito_Feeney', kind='value_in_year', gold=g015, turns=[
        "I'm going through my late father's records for a genetics appointment, they asked for his PSA history. "
        "What was his PSA in 1977?"]),
    dict(id='rb13-en-016', patient='Martina_Murazik', kind='last_visit', gold=g016, turns=[
        "When was mum's last appointment and what was it for? I have a feeling she ended up in A&E before "
        "Christmas but she won't tell me anything, she hates fuss"]),
    dict(id='rb13-en-017', patient='AT_ELGA_GmbH_01', kind='latest', gold=g017, turns=[
        "what was my last blood pressure reading"]),
    dict(id='rb13-en-018', patient='Lupe_Little', kind='meaning', gold=g018, turns=[
        "Had a check up a while back and the doctor said something about my BMI but tbh I zoned out. I've put "
        "on a bit since I stopped playing five-a-side, maybe half a stone, and the gym membership is just "
        "sitting there lol. My mate says BMI is rubbish for anyone with muscle anyway. What's the last BMI on "
        "my record and is that normal or is it in the overweight bit?"]),
    dict(id='rb13-en-019', patient='IPS_IG-bundle-01', kind='list', gold=g019, turns=[
        "I'm registering with a new GP and they want a list of everything I take, supplements included. "
        "What medicines do you have for me?"]),
    dict(id='rb13-en-020', patient='Renea_Quigley', kind='ever_had', gold=g020, turns=[
        "My friend just had shingles and honestly it looked horrendous, she was in agony for weeks. Have I "
        "ever had the shingles vaccine? I'm 63 so I'd have thought someone would have offered it by now"]),
    dict(id='rb13-en-021', patient='US_MEDITECH_ips_2', kind='still_on', gold=g021, turns=[
        "am I still meant to be getting the Aranesp injections for my blood count? the nurse asked and I "
        "wasn't sure if the kidney doctor stopped them when they changed my other meds"]),
    dict(id='rb13-en-022', patient='Daisey_Johns', kind='list', gold=g022, turns=[
        "Filling in the forms for my daughter's new school and there's a whole page on allergies. I know about "
        "the bee sting one because she carries the epipen, and the hayfever type stuff, but they tested her for "
        "loads of things when she was a baby and I've lost the letter. Can you list everything she's down as "
        "allergic to please? Don't want to miss one and have the dinner ladies give her something"]),
    dict(id='rb13-en-023', patient='Emery_Purdy', kind='value_in_year', gold=g023, turns=[
        "What was my cholesterol in 2019? The total number"]),
    dict(id='rb13-en-024', patient='Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir',
         kind='not_found', gold=g024, turns=[
        "does my daughter's record have her on any regular medicines? school wants to know if she takes anything "
        "daily. she had that horrible chest thing in 2020 but I don't think they put her on anything after"]),
    dict(id='rb13-en-025', patient='Annmarie_Doyle', kind='count', gold=g025, turns=[
        "My mother is 86 and insists she 'never bothers' with the flu jab, but I'm fairly sure the surgery has "
        "been giving her one most years when she goes in for her check. Settle this for us: how many flu "
        "vaccines has she actually had according to her record?"]),
    dict(id='rb13-en-026', patient='Josue_Sipes', kind='previous', gold=g026, turns=[
        "whats my egfr been doing? not the newest one, the one before that. want to compare"]),
    dict(id='rb13-en-027', patient='Liz_Conn', kind='followup', gold=g027, turns=[
        "what was my cholesterol the last time they checked it?",
        "ok and the bad one?"]),
    dict(id='rb13-en-028', patient='Fidel_Bins', kind='last_visit', gold=g028, turns=[
        "I've been using my reliever a bit more since the weather turned cold, nothing dramatic, still sleeping "
        "ok and can talk fine. My wife reckons I'm overdue a review. I honestly can't remember when I was last "
        "in or whether it was about the asthma or just a general once-over. When was my last appointment and "
        "what was it for?"]),
    dict(id='rb13-en-029', patient='Laurie_McCullough', kind='not_found', gold=g029, turns=[
        "can u tell me what my cholesterol was? my dad just had a heart attack at 52 and the cardiologist said "
        "us kids should know our numbers"]),
    dict(id='rb13-en-030', patient='AT_ELGA_GmbH_01', kind='count', gold=g030, turns=[
        "How many tick vaccine shots (FSME) have I had? We're going hiking in the Alps again in June and I "
        "can't remember if I finished the course"]),
    dict(id='rb13-en-031', patient='Luigi_Wiegand', kind='latest', gold=g031, turns=[
        "Health visitor is coming round Thursday to weigh him and she asked what he was at his last check so she "
        "can plot it. Course I've left the red book at my mum's \U0001F644 He's feeding really well, nearly "
        "draining the 7oz bottles now and his thighs are definitely chunkier. What did he weigh at his last "
        "appointment at the surgery? and what date was that, she'll want that too"]),
    dict(id='rb13-en-032', patient='Vito_Feeney', kind='followup', gold=g032, turns=[
        "My dad passed away in 1979 and I'm trying to piece together his prostate cancer history for my own GP, "
        "apparently it matters for when I should start screening. My mum always said he had several biopsies "
        "over the years before they finally found it. How many prostate biopsies did he have in total?",
        "and when was the very first one?"]),
    dict(id='rb13-en-033', patient='IPS_IG-bundle-01', kind='meaning', gold=g033, turns=[
        "I've had hot flushes for a couple of years now which my doctor puts down to the menopause and the "
        "tablets I take since the breast cancer. At my last review she mentioned my HbA1c and said something "
        "about it being over 'the goal' and I didn't really follow, nobody has ever told me I'm diabetic. What "
        "was the result and is it within the normal range or not?"]),
    dict(id='rb13-en-034', patient='US_MEDITECH_ips_2', kind='ever_had', gold=g034, turns=[
        "The pharmacy is doing flu jabs this week and the pharmacist asked if I've had one before, what with "
        "the transplant and everything. I genuinely can't remember having one at the clinic, I know I had a "
        "DTaP booster at some point. Have I ever actually had a flu vaccine according to my records? Trying "
        "to work out if I'm due one or if it's my first."]),
    dict(id='rb13-en-035', patient='Renea_Quigley', kind='count', gold=g035, turns=[
        "My husband reckons I'm accident prone and I keep telling him I'm not. There was the neck thing after "
        "the car shunt and me burning my hand on the oven tray last year, but that's about it surely?? How many "
        "times have I actually ended up in the emergency room according to my record? Not the normal GP "
        "visits, just the proper A&E ones. Loser buys dinner "
        "\U0001F602"]),
    dict(id='rb13-en-036', patient='Josue_Sipes', kind='still_on', gold=g036, turns=[
        "After my stroke in 2019 the hospital started me on a bunch of new stuff. Now the pharmacy does my "
        "blister packs and I can't see the clopidogrel in there anymore, and my wife is worried somebody forgot "
        "to put it in. I'm still on the metformin and the insulin and the inhaler, I know that much. Am I "
        "supposed to still be taking clopidogrel or did they stop it?"]),
    dict(id='rb13-en-037', patient='Lupe_Little', kind='last_visit', gold=g037, turns=[
        "when did i last see the doctor and what was it for"]),
    dict(id='rb13-en-038', patient='Martina_Murazik', kind='followup', gold=g038, turns=[
        "Mum's care home is asking for her vaccination dates because there's flu going round on another floor. "
        "She's 67 with heart failure and the COPD so they're being quite careful. When did she last have her "
        "flu jab?",
        "and the one before that?"]),
    dict(id='rb13-en-039', patient='Emery_Purdy', kind='ever_had', gold=g039, turns=[
        "Got a letter about bowel cancer screening with one of those poo sample kits \U0001F4A9 and it says to "
        "ignore it if you've had a colonoscopy recently. I'm 53. I have a vague memory of being sedated for "
        "something a few years back but it might have been the dentist lol. Have I ever had a colonoscopy, and "
        "if so when?"]),
    dict(id='rb13-en-040', patient='Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir',
         kind='latest', gold=g040, turns=[
        "When my daughter was seen with covid back in Feb 2020 I remember the nurse going very quiet when she "
        "looked at the little finger clip thing, and then everything happened really fast. I never asked after. "
        "She's completely fine now, running round like nothing happened, but it's been bugging me for ages and "
        "my husband says I should just ask. What was her oxygen level that day?"]),
]


def computed():
    out = []
    for c in CASES:
        g = c['gold']()
        row = {'id': c['id'], 'lang': 'en', 'patient': c['patient'], 'kind': c['kind'], 'turns': c['turns']}
        row.update(g)
        out.append(row)
    return out


GOLD_FIELDS = ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')


def main():
    rows = computed()
    ids = [r['id'] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:  # check every cited ref exists in its bundle
        known = set()
        for fu, res in entries(r['patient']):
            known.add(ref(fu, res))
            if fu:
                known.add(fu)
        for x in r['gold_refs']:
            assert x in known, (r['id'], x)
        assert (not r['expect_not_found']) or not r['gold_refs']
    if '--print' in sys.argv:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return
    if '--write' in sys.argv:
        n = int(sys.argv[sys.argv.index('--write') + 1])
        path = os.path.join(OUT, 'en-%02d.jsonl' % n)
        assert not os.path.exists(path), 'already saved (final): ' + path
        batch = [r for r in rows if (n - 1) * 10 < int(r['id'][-3:]) <= n * 10]
        with open(path, 'w', encoding='utf-8') as f:
            for r in batch:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', path, len(batch))
        return
    # default: compare saved files with recomputed gold
    byid = {r['id']: r for r in rows}
    seen = 0
    bad = 0
    for p in sorted(glob.glob(os.path.join(OUT, 'en-*.jsonl'))):
        with open(p, encoding='utf-8') as f:
            for line in f:
                s = json.loads(line)
                seen += 1
                g = byid.get(s['id'])
                if g is None:
                    print('not recomputed:', s['id'])
                    bad += 1
                    continue
                for k in GOLD_FIELDS:
                    if s[k] != g[k]:
                        print('MISMATCH', s['id'], k, s[k], g[k])
                        bad += 1
    print('checked', seen, 'saved cases;', bad, 'problems;', len(rows), 'cases recomputed')


if __name__ == '__main__':
    main()
