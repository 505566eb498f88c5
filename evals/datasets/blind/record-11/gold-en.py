#!/usr/bin/env python3
"""Gold computation for blind record set rb11 (English).
Usage:
  python3 gold-en.py            -> recompute gold for all cases and compare with en-0N.jsonl files
  python3 gold-en.py --print    -> print recomputed cases as JSON lines
  python3 gold-en.py --write N  -> write en-0N.jsonl (cases 10*(N-1)+1 .. 10*N) if it does not exist yet
Standard library only. Reads the record files read-only.
"""
import json, glob, os, sys

SYN = '/work/shared/data/synthea/'
RW = '/work/shared/data/realworld/'
OUT = os.path.dirname(os.path.abspath(__file__))
_cache = {}

def path_for(patient):
    p = glob.glob(SYN + patient + '_*.json')
    if p:
        return p[0]
    return RW + patient + '.json'

def load(patient):
    if patient not in _cache:
        b = json.load(open(path_for(patient)))
        ents = []
        for e in b.get('entry', []):
            r = e['resource']
            ref = (r['resourceType'] + '/' + r['id']) if r.get('id') else e.get('fullUrl')
            ents.append((ref, r))
        _cache[patient] = ents
    return _cache[patient]

def res(patient, rtype):
    return [(ref, r) for ref, r in load(patient) if r['resourceType'] == rtype]

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def eff(r):
    return (r.get('effectiveDateTime') or r.get('effectivePeriod', {}).get('start')
            or r.get('occurrenceDateTime') or r.get('performedDateTime')
            or r.get('performedPeriod', {}).get('start') or r.get('period', {}).get('start')
            or r.get('authoredOn') or '')

def d10(s):
    return s[:10]

def fmt(v, nd=1):
    s = f"{round(float(v), nd):.{nd}f}"
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s

def obs(patient, loinc, display_contains=None):
    out = []
    for ref, r in res(patient, 'Observation'):
        if loinc in codes(r.get('code')):
            disp = ' '.join(c.get('display', '') for c in r['code'].get('coding', []))
            if display_contains and display_contains.lower() not in disp.lower():
                continue
            out.append((eff(r), ref, r))
    out.sort(key=lambda x: x[0])
    return out

def latest_same_date(lst):
    if not lst:
        return []
    last = d10(lst[-1][0])
    return [x for x in lst if d10(x[0]) == last]

def by_date(lst):
    """group list of (date, ref, r) by day, ordered"""
    days = []
    for x in lst:
        if not days or days[-1][0] != d10(x[0]):
            days.append((d10(x[0]), []))
        days[-1][1].append(x)
    return days

def qv(r):
    return r['valueQuantity']['value']

def imms(patient, cvx=None, status='completed'):
    out = []
    for ref, r in res(patient, 'Immunization'):
        if status and r.get('status') != status:
            continue
        if cvx is None or any(c in codes(r.get('vaccineCode')) for c in cvx):
            out.append((eff(r), ref, r))
    out.sort(key=lambda x: x[0])
    return out

def procs(patient, code):
    out = [(eff(r), ref, r) for ref, r in res(patient, 'Procedure') if code in codes(r.get('code'))]
    out.sort(key=lambda x: x[0])
    return out

def encs(patient):
    out = [(eff(r), ref, r) for ref, r in res(patient, 'Encounter')]
    out.sort(key=lambda x: x[0])
    return out

def medreq(patient, rxcode):
    return [(ref, r) for ref, r in res(patient, 'MedicationRequest') if rxcode in codes(r.get('medicationCodeableConcept'))]

def G(refs, values, match='all', nf=False, note=''):
    return dict(gold_refs=refs, match=match, gold_values=values, expect_not_found=nf, note=note)

# ---------------------------------------------------------------- gold functions
def g_josue_chol():
    P = 'Josue_Sipes'
    last = latest_same_date(obs(P, '2093-3'))
    return G([x[1] for x in last], [fmt(qv(x[2])) for x in last] + [d10(last[0][0])], 'all',
             note='latest Total Cholesterol (LOINC 2093-3) by effectiveDateTime; two results on the same latest day '
                  '(%s), both gold; values rounded to 1 decimal (raw %s)' % (d10(last[0][0]), [qv(x[2]) for x in last]))

def g_at_bp():
    P = 'AT_ELGA_GmbH_01'
    sy = obs(P, '8480-6'); di = obs(P, '8462-4')
    sy_l = latest_same_date(sy); di_l = latest_same_date(di)
    return G([x[1] for x in sy_l + di_l],
             [fmt(qv(x[2]), 0) for x in sy_l + di_l] + [d10(sy_l[0][0])], 'all',
             note='systolic 8480-6 and diastolic 8462-4 are separate Observations; date from effectiveDateTime or '
                  'effectivePeriod.start; two readings at the same timestamp %s (one with effectivePeriod, one with '
                  'effectiveDateTime): %s/%s and %s/%s, all four gold' % (
                      sy_l[0][0], qv(sy_l[0][2]), qv(di_l[0][2]), qv(sy_l[1][2]), qv(di_l[1][2])))

def g_annmarie_pneumo():
    P = 'Annmarie_Doyle'
    pn = [x for x in imms(P, None, None) if any(k in json.dumps(x[2]['vaccineCode']).lower() for k in ('pneumo', 'pcv', 'ppsv'))]
    assert not pn
    return G([], [], 'all', True,
             note='no Immunization with a pneumococcal vaccine (CVX 33/133/109/152) in the record; vaccines on file: '
                  'seasonal flu (CVX 140) and Td (113) only -> honest no / not in record')

def g_daisey_allergies():
    P = 'Daisey_Johns'
    al = [(ref, r) for ref, r in res(P, 'AllergyIntolerance')
          if 'active' in codes(r.get('clinicalStatus')) and 'refuted' not in codes(r.get('verificationStatus'))]
    return G([a[0] for a in al], [], 'all',
             note='all %d active confirmed AllergyIntolerance entries (bee venom, mould, dust mite, animal dander, grass '
                  'pollen, tree pollen, eggs, fish), recorded 2016-01-15' % len(al))

def g_emery_kidney():
    P = 'Emery_Purdy'
    eg = latest_same_date(obs(P, '33914-3')); cr = latest_same_date(obs(P, '38483-4'))
    ma = latest_same_date(obs(P, '14959-1'))
    assert d10(eg[0][0]) == d10(cr[0][0]) == d10(ma[0][0])
    return G([x[1] for x in eg + cr + ma], [d10(eg[0][0])], 'any',
             note='"kidney test" = latest eGFR 33914-3 (%s), creatinine 38483-4 (%s) and urine microalbumin/creatinine '
                  '14959-1 (%s), all on %s; citing any of them is acceptable' % (
                      fmt(qv(eg[0][2])), fmt(qv(cr[0][2]), 2), fmt(qv(ma[0][2]), 2), d10(eg[0][0])))

def g_lupe_a1c_2016():
    P = 'Lupe_Little'
    y = [x for x in obs(P, '4548-4') if x[0].startswith('2016')]
    assert len(y) == 1
    return G([y[0][1]], [fmt(qv(y[0][2])), d10(y[0][0])], 'all',
             note='HbA1c 4548-4 with effectiveDateTime in 2016: %s%% (raw %s) on %s' % (fmt(qv(y[0][2])), qv(y[0][2]), d10(y[0][0])))

def g_fidel_visits_2019():
    P = 'Fidel_Bins'
    e = [x for x in encs(P) if x[0].startswith('2019')]
    return G([x[1] for x in e], [str(len(e))], 'any',
             note='Encounters with period.start in 2019: %d (%s)' % (len(e), ', '.join(
                 d10(x[0]) + ' ' + x[2]['type'][0].get('text', '') for x in e)))

def g_ips_a1c():
    P = 'IPS_IG-bundle-01'
    a = obs(P, '17856-6')
    x = a[-1]
    assert 'referenceRange' not in x[2]
    return G([x[1]], [fmt(qv(x[2]))], 'all',
             note='HbA1c 17856-6 = %s %% on %s; no referenceRange recorded; note on the result: "%s"' % (
                 fmt(qv(x[2])), d10(x[0]), x[2]['note'][0]['text']))

def g_liz_hctz():
    P = 'Liz_Conn'
    m = medreq(P, '316049')
    assert len(m) == 1
    ref, r = m[0]
    return G([ref], [d10(r['authoredOn'])], 'all',
             note='MedicationRequest Hydrochlorothiazide 25 MG status=%s, authoredOn %s, no later stop -> still on it' % (
                 r['status'], d10(r['authoredOn'])))

def g_luigi_vacc():
    P = 'Luigi_Wiegand'
    im = imms(P)
    last_day = d10(im[-1][0])
    return G([x[1] for x in im], [str(len(im))], 'any',
             note='turn 1: last check-up %s gave %s; final turn: total completed Immunizations = %d' % (
                 last_day, ', '.join(x[2]['vaccineCode']['coding'][0]['display'] for x in im if d10(x[0]) == last_day), len(im)))

def g_meditech_darbe():
    P = 'US_MEDITECH_ips_2'
    refs = []
    for ref, r in res(P, 'MedicationRequest'):
        if 'darbepoetin' in r.get('medicationReference', {}).get('display', '').lower():
            assert r['status'] == 'active'; refs.append(ref); d = d10(r['authoredOn'])
    for ref, r in res(P, 'MedicationStatement'):
        if '55513003201' in codes(r.get('medicationCodeableConcept')):
            assert r['status'] == 'active' and 'end' not in r['effectivePeriod']; refs.append(ref)
    return G(refs, [d], 'any',
             note='darbepoetin alfa (Aranesp) MedicationRequest status active authoredOn %s; matching MedicationStatement '
                  '(NDC 55513003201, no name) active, effectivePeriod.start %s, no end -> still on it' % (d, d))

def g_annmarie_prev_chol():
    P = 'Annmarie_Doyle'
    days = by_date(obs(P, '2093-3'))
    prev = days[-2]
    return G([x[1] for x in prev[1]], [fmt(qv(x[2])) for x in prev[1]] + [prev[0]], 'all',
             note='Total Cholesterol 2093-3: latest %s, the one before it %s = %s mg/dL (raw %s)' % (
                 days[-1][0], prev[0], fmt(qv(prev[1][0][2])), qv(prev[1][0][2])))

def g_martina_meds():
    P = 'Martina_Murazik'
    m = [(ref, r) for ref, r in res(P, 'MedicationRequest') if r['status'] == 'active']
    return G([x[0] for x in m], [], 'all',
             note='active MedicationRequests: ' + '; '.join(r['medicationCodeableConcept']['text'] for _, r in m))

def g_lisandra_covid():
    P = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    o = [x for x in obs(P, '94531-1') if 'valueCodeableConcept' in x[2]]
    assert len(o) == 1
    return G([o[0][1]], [d10(o[0][0])], 'all',
             note='SARS-CoV-2 RNA 94531-1 valueCodeableConcept "%s" on %s; a twin Observation carries the template '
                  'placeholder "{entry.value}" and is not a result; COVID-19 Condition onset same day' % (
                      o[0][2]['valueCodeableConcept']['coding'][0]['display'], d10(o[0][0])))

def g_renea_ldl_2020():
    P = 'Renea_Quigley'
    y = [x for x in obs(P, '18262-6') if x[0].startswith('2020')]
    assert len(y) == 1
    return G([y[0][1]], [fmt(qv(y[0][2])), d10(y[0][0])], 'all',
             note='LDL 18262-6 in 2020: %s mg/dL (raw %s) on %s' % (fmt(qv(y[0][2])), qv(y[0][2]), d10(y[0][0])))

def last_visit(P):
    e = encs(P)
    last = [x for x in e if d10(x[0]) == d10(e[-1][0])]
    return last

def g_laurie_last():
    P = 'Laurie_McCullough'
    last = last_visit(P)
    day = d10(last[0][0])
    cond = [ref for ref, r in res(P, 'Condition') if d10(r.get('onsetDateTime', '')) == day]
    return G([x[1] for x in last] + cond, [day], 'any',
             note='latest Encounter by period.start: %s, %s, reason %s' % (
                 day, last[0][2]['type'][0].get('text'), last[0][2]['reasonCode'][0]['coding'][0]['display']))

def g_at_tbe():
    P = 'AT_ELGA_GmbH_01'
    im = [x for x in imms(P) if 'J07BA01' in codes(x[2]['vaccineCode'])]
    return G([x[1] for x in im], [str(len(im))], 'all',
             note='completed Immunizations ATC J07BA01 (FSME/TBE, Encepur): %d doses on %s' % (
                 len(im), ', '.join(d10(x[0]) for x in im)))

def g_fidel_a1c():
    P = 'Fidel_Bins'
    assert not obs(P, '4548-4') and not obs(P, '17856-6')
    return G([], [], 'all', True, note='no HbA1c Observation (4548-4/17856-6) in the record -> not in record')

def g_emery_colo():
    P = 'Emery_Purdy'
    p = procs(P, '73761001')
    return G([x[1] for x in p], [d10(x[0]) for x in p], 'all',
             note='Procedure Colonoscopy SNOMED 73761001: %s' % ', '.join(d10(x[0]) for x in p))

def g_josue_spiro():
    P = 'Josue_Sipes'
    p = procs(P, '127783003')
    return G([x[1] for x in p], [str(len(p))], 'any',
             note='turn 1: last Spirometry (127783003) on %s; final turn: total Spirometry procedures = %d (first %s)' % (
                 d10(p[-1][0]), len(p), d10(p[0][0])))

def g_daisey_last():
    P = 'Daisey_Johns'
    last = last_visit(P)
    return G([x[1] for x in last], [d10(last[0][0])], 'all',
             note='latest Encounter by period.start (file order differs: the 2020-12-15 sinusitis visit is listed after '
                  'it): %s %s; flu vaccine given that day' % (d10(last[0][0]), last[0][2]['type'][0].get('text')))

def g_lupe_flu_2019():
    P = 'Lupe_Little'
    im = [x for x in imms(P, ['140']) if x[0].startswith('2019')]
    return G([x[1] for x in im], [str(len(im))], 'all',
             note='completed flu Immunizations (CVX 140) in 2019: %d (%s)' % (len(im), ', '.join(d10(x[0]) for x in im)))

def g_ips_allergies():
    P = 'IPS_IG-bundle-01'
    al = [(ref, r) for ref, r in res(P, 'AllergyIntolerance') if '429625007' not in codes(r.get('code'))]
    return G([a[0] for a in al], [], 'all',
             note='one real allergy: penicillin-class substance (SNOMED 373270004), high criticality; the "No known food '
                  'allergy" (429625007) entry is a negation, not an allergy')

def g_luigi_weight():
    P = 'Luigi_Wiegand'
    w = latest_same_date(obs(P, '29463-7'))
    return G([w[0][1]], [fmt(qv(w[0][2])), d10(w[0][0])], 'all',
             note='latest Body Weight 29463-7: %s kg (raw %s) on %s' % (fmt(qv(w[0][2])), qv(w[0][2]), d10(w[0][0])))

def g_vito_warfarin():
    P = 'Vito_Feeney'
    meds = [r['medicationCodeableConcept']['text'] for _, r in res(P, 'MedicationRequest')]
    assert not any(k in ' '.join(meds).lower() for k in ('warfarin', 'coumadin', 'clopidogrel', 'heparin', 'apixaban', 'rivaroxaban', 'aspirin'))
    return G([], [], 'all', True,
             note='no anticoagulant/antiplatelet in MedicationRequests (%s) -> not in record' % '; '.join(meds))

def g_martina_pneumo():
    P = 'Martina_Murazik'
    im = imms(P, ['133', '33'])
    return G([x[1] for x in im], [d10(x[0]) for x in im], 'all',
             note='pneumococcal vaccines: ' + ', '.join(x[2]['vaccineCode']['coding'][0]['display'] + ' ' + d10(x[0]) for x in im))

def g_laurie_weight_2015():
    P = 'Laurie_McCullough'
    y = [x for x in obs(P, '29463-7') if x[0].startswith('2015')]
    assert len(y) == 1
    return G([y[0][1]], [fmt(qv(y[0][2])), d10(y[0][0])], 'all',
             note='Body Weight 29463-7 in 2015: %s kg (raw %s) on %s' % (fmt(qv(y[0][2])), qv(y[0][2]), d10(y[0][0])))

def g_at_ferritin():
    P = 'AT_ELGA_GmbH_01'
    f = obs(P, '2276-4')
    assert len(f) == 1
    r = f[0][2]; rr = r['referenceRange'][0]
    return G([f[0][1]], [fmt(qv(r)), fmt(rr['low']['value']), fmt(rr['high']['value'])], 'all',
             note='Ferritin 2276-4 = %s ug/L on %s, referenceRange %s-%s -> above range' % (
                 qv(r), d10(f[0][0]), rr['low']['value'], rr['high']['value']))

def g_josue_clopi():
    P = 'Josue_Sipes'
    m = medreq(P, '309362')
    assert len(m) == 1
    ref, r = m[0]
    return G([ref], [d10(r['authoredOn'])], 'all',
             note='MedicationRequest Clopidogrel 75 MG status=%s (stopped), authoredOn %s (stroke encounter); no stop date '
                  'recorded beyond the status' % (r['status'], d10(r['authoredOn'])))

def g_meditech_flu():
    P = 'US_MEDITECH_ips_2'
    im = [(eff(r), ref, r) for ref, r in res(P, 'Immunization') if 'influenza' in r['vaccineCode'].get('text', '').lower()]
    assert len(im) == 1 and im[0][2]['status'] == 'not-done'
    return G([im[0][1]], [d10(im[0][0])], 'all',
             note='only influenza Immunization is status not-done, statusReason "%s", %s -> no flu shot given on record '
                  '(only other vaccine: DTaP 2012-01-04)' % (im[0][2]['statusReason']['text'], d10(im[0][0])))

def g_renea_last():
    P = 'Renea_Quigley'
    last = last_visit(P)
    day = d10(last[0][0])
    m = [ref for ref, r in res(P, 'MedicationRequest') if d10(r['authoredOn']) == day]
    return G([x[1] for x in last] + m, [day], 'any',
             note='latest Encounter by period.start: %s %s; insulin (Humulin 70/30) prescribed that day' % (
                 day, last[0][2]['type'][0].get('text')))

def g_lisandra_vacc():
    P = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    assert not res(P, 'Immunization')
    return G([], [], 'all', True, note='no Immunization resources at all in this record -> not in record')

def g_emery_zoster():
    P = 'Emery_Purdy'
    im = imms(P, ['121', '187'])
    return G([x[1] for x in im], [str(len(im))], 'all',
             note='zoster Immunizations (CVX 121): %d (%s)' % (len(im), ', '.join(d10(x[0]) for x in im)))

def g_annmarie_flu():
    P = 'Annmarie_Doyle'
    im = imms(P, ['140'])
    return G([x[1] for x in im], [str(len(im))], 'any',
             note='completed flu Immunizations CVX 140: %d, %s to %s' % (len(im), d10(im[0][0]), d10(im[-1][0])))

def g_fidel_meds():
    P = 'Fidel_Bins'
    m = [(ref, r) for ref, r in res(P, 'MedicationRequest') if r['status'] == 'active']
    return G([x[0] for x in m], [], 'all',
             note='active MedicationRequests: ' + '; '.join(r['medicationCodeableConcept']['text'] for _, r in m))

def g_liz_bp():
    P = 'Liz_Conn'
    b = latest_same_date(obs(P, '55284-4'))
    r = b[0][2]
    comp = {c['code']['coding'][0]['code']: c['valueQuantity']['value'] for c in r['component']}
    return G([b[0][1]], [fmt(comp['8480-6'], 0), fmt(comp['8462-4'], 0), d10(b[0][0])], 'all',
             note='latest Blood Pressure panel 55284-4 on %s: %s/%s mmHg (raw %s/%s); no referenceRange; Hypertension '
                  'condition active' % (d10(b[0][0]), fmt(comp['8480-6'], 0), fmt(comp['8462-4'], 0), comp['8480-6'], comp['8462-4']))

def g_laurie_chol():
    P = 'Laurie_McCullough'
    assert not obs(P, '2093-3') and not obs(P, '18262-6') and not [1 for _, r in res(P, 'DiagnosticReport') if '57698-3' in codes(r.get('code'))]
    return G([], [], 'all', True, note='no lipid panel / cholesterol Observation in the record -> not in record')

def g_martina_last():
    P = 'Martina_Murazik'
    last = last_visit(P)
    day = d10(last[0][0])
    p = [x[1] for x in procs(P, '399208008') if d10(x[0]) == day]
    return G([x[1] for x in last] + p, [day], 'any',
             note='latest Encounter by period.start: %s class %s "%s"; chest X-ray and metabolic panel that day' % (
                 day, last[0][2]['class']['code'], last[0][2]['type'][0].get('text')))

def g_vito_psa():
    P = 'Vito_Feeney'
    p = obs(P, '2857-1')
    prev = p[-2]
    return G([prev[1]], [fmt(qv(prev[2])), d10(prev[0])], 'all',
             note='PSA 2857-1: latest %s = %s ng/mL; final turn asks the one before: %s = %s ng/mL (raw %s)' % (
                 d10(p[-1][0]), fmt(qv(p[-1][2])), d10(prev[0]), fmt(qv(prev[2])), qv(prev[2])))

def g_ips_anastrozole():
    P = 'IPS_IG-bundle-01'
    ms = []
    for ref, r in res(P, 'MedicationStatement'):
        mref = r['medicationReference']['reference']
        med = [m for rf, m in load(P) if m['resourceType'] == 'Medication' and mref.endswith(m['id'])][0]
        if 'L02BG03' in codes(med['code']):
            ms.append((ref, r))
    assert len(ms) == 1
    ref, r = ms[0]
    return G([ref], [r['effectivePeriod']['start'][:4]], 'all',
             note='MedicationStatement -> Medication anastrozole 1 mg (ATC L02BG03), status %s, effectivePeriod.start %s '
                  '(partial date), no end -> still on it' % (r['status'], r['effectivePeriod']['start']))

# ---------------------------------------------------------------- cases
CASES = [
 ('Josue_Sipes', 'latest', ["Quick one - what did my cholesterol come back at on the most recent blood test? The pharmacist wants to know before she changes anything."], g_josue_chol),
 ('AT_ELGA_GmbH_01', 'latest', ["What was my blood pressure the last time it was measured? I'm filling in a form for a spa stay and it wants a recent reading lol"], g_at_bp),
 ('Annmarie_Doyle', 'ever_had', ["Hi, I'm writing for my mum Annmarie, she's 86 and I do her online stuff for her. Her friend from church got a chest infection that turned into pneumonia and was in hospital over a week, so now mum is fretting. She has her flu jab every year at the surgery, that much I know, but she can't remember if she ever had the pneumonia one (pneumococcal I think it's called?). She says she 'might have had it years ago' but honestly her memory isn't great these days. Is it anywhere on her record?"], g_annmarie_pneumo),
 ('Daisey_Johns', 'list', ["my daughter daisey is going on her first school trip next month and the form wants EVERY allergy listed. i know about eggs and bee stings but im sure there were more from that allergy test when she was tiny. can u list everything thats on her record pls"], g_daisey_allergies),
 ('Emery_Purdy', 'latest', ["what did my last kidney test show"], g_emery_kidney),
 ('Lupe_Little', 'value_in_year', ["What was my sugar test (the 3 month average one) back in 2016?"], g_lupe_a1c_2016),
 ('Fidel_Bins', 'count', ["So my new insurance wants to know how many times I saw a doctor in 2019. I honestly lost track after that asthma attack in January when I ended up in the ER - there were a couple of follow-ups after, I think, and maybe a check-up? Can you count them for me from my record? Just 2019."], g_fidel_visits_2019),
 ('IPS_IG-bundle-01', 'meaning', ["That long-term sugar blood test they did in November 2017 - what did it come out at, and is that number OK or not?"], g_ips_a1c),
 ('Liz_Conn', 'still_on', ["am I still meant to be on the water tablet for my blood pressure or did they stop it at some point? ran out last week and I haven't been in for ages"], g_liz_hctz),
 ('Luigi_Wiegand', 'followup', ["Which vaccines did Luigi get at his last baby check?", "ok thanks. and how many jabs has he had altogether since he was born?"], g_luigi_vacc),
 ('US_MEDITECH_ips_2', 'still_on', ["I've been getting these injections for my blood count - Aranesp, the anaemia shot - ever since November 2020, it's to do with my kidneys apparently. My sister says those are usually just a short course and I should have been taken off them by now. I feel OK, a bit tired but nothing new. Does my record say I'm still on them or were they stopped?"], g_meditech_darbe),
 ('Annmarie_Doyle', 'previous', ["what was mum's cholesterol - not the newest result, the one before that?"], g_annmarie_prev_chol),
 ('Martina_Murazik', 'list', ["My mother Martina is moving into assisted living next week and the nurse there asked me for a full list of the medicines she is on right now. Mum has the heart failure and the COPD, and she's had a couple of hospital trips lately so I'm not sure what got added or taken off. She keeps a pill organiser but I don't trust it. Can you give me everything that's currently active on her record?"], g_martina_meds),
 ('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning', ["my daughter was really sick in feb 2020 with a high fever and struggling to breathe. on her record theres something called 'SARS-CoV-2 RNA Pnl Resp NAA+probe' and I dont understand it. what does it mean, did it show she had covid?"], g_lisandra_covid),
 ('Renea_Quigley', 'value_in_year', ["what was my LDL - the bad cholesterol - in 2020?"], g_renea_ldl_2020),
 ('Laurie_McCullough', 'last_visit', ["When was I last seen at the clinic, and what was it for?"], g_laurie_last),
 ('AT_ELGA_GmbH_01', 'count', ["How many of the tick jabs (FSME / tick-borne encephalitis) have I had so far? Going hiking in Carinthia this summer and trying to work out if I'm due a booster."], g_at_tbe),
 ('Fidel_Bins', 'not_found', ["can you tell me what my last A1c was? my mate just got diagnosed with type 2 and now im paranoid"], g_fidel_a1c),
 ('Emery_Purdy', 'ever_had', ["My brother just had his colonoscopy and they found a couple of polyps, and now he's on at me saying I'm overdue and that it runs in families. I've got the diabetes and the blood pressure so I'm at the doctor enough as it is, and I genuinely can't remember if I had one myself or if I'm mixing it up with him going on about his. I do remember drinking some awful prep stuff once?? Have I ever had a colonoscopy, and if so when?"], g_emery_colo),
 ('Josue_Sipes', 'followup', ["when was my last breathing test, the one where you blow into the tube as hard as you can?", "and how many of those have I done in total? feels like hundreds"], g_josue_spiro),
 ('Daisey_Johns', 'last_visit', ["When was Daisey's last appointment and what was it for? Her dad says it was the sinus thing but I think there was one after that"], g_daisey_last),
 ('Lupe_Little', 'count', ["how many flu jabs did I get in 2019? pretty sure they jabbed me twice by accident"], g_lupe_flu_2019),
 ('IPS_IG-bundle-01', 'list', ["What allergies have I got on file? The dentist wants them before my appointment on Thursday."], g_ips_allergies),
 ('Luigi_Wiegand', 'latest', ["how much did Luigi weigh at his last check up? he feels so heavy now haha"], g_luigi_weight),
 ('Vito_Feeney', 'not_found', ["I have access to my late grandfather's records (Vito). My cardiologist is building a family history and asked whether anyone in the family was on warfarin or another blood thinner. Grandpa had diabetes and the prostate cancer, and my aunt thinks he had 'thin blood pills' near the end but she's not sure. Was he ever prescribed warfarin or any blood thinner?"], g_vito_warfarin),
 ('Martina_Murazik', 'ever_had', ["has mum ever had the pneumonia vaccine? the hospital asked and she says no but she says no to everything"], g_martina_pneumo),
 ('Laurie_McCullough', 'value_in_year', ["What did I weigh in 2015? Trying to see how much I've put on since college"], g_laurie_weight_2015),
 ('AT_ELGA_GmbH_01', 'meaning', ["In my blood results from December 2016 there's a line that says Ferritin. I looked it up and it's something to do with iron? I've been feeling a bit run down and my sister had low iron, so I was wondering if that's it. Was my ferritin normal, and what was the number?"], g_at_ferritin),
 ('Josue_Sipes', 'still_on', ["am i still supposed to be taking clopidogrel? they put me on it after the stroke and nobody ever told me if it was just for a while or for good"], g_josue_clopi),
 ('US_MEDITECH_ips_2', 'ever_had', ["Have I ever actually had a flu shot? The transplant clinic asked and I genuinely can't remember."], g_meditech_flu),
 ('Renea_Quigley', 'last_visit', ["When was my last appointment and what happened at it? My daughter says they changed my diabetes medicine - something about starting insulin? - but I was so flustered that day I can't remember a thing they said, and I didn't write anything down. I've had a lot of appointments this year with the kidney business too so they all blur together."], g_renea_last),
 ('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found', ["Is my daughter Lisandra up to date with her MMR? School is asking for proof. Can you see her vaccines on there?"], g_lisandra_vacc),
 ('Emery_Purdy', 'followup', ["did I ever get the shingles vaccine?", "how many doses altogether? I thought it was meant to be two"], g_emery_zoster),
 ('Annmarie_Doyle', 'count', ["How many flu jabs has mum had in total according to her record? She swears she's never missed a year"], g_annmarie_flu),
 ('Fidel_Bins', 'list', ["what meds am i on at the moment? doing a new pharmacy signup online"], g_fidel_meds),
 ('Liz_Conn', 'meaning', ["Got a letter saying I need to come in about my blood pressure. What was it at my last check - and is that actually high or are they just being cautious? I've got two kids and a job, I really don't have time for appointments that aren't needed."], g_liz_bp),
 ('Laurie_McCullough', 'not_found', ["when did i last have my cholesterol checked? my dad just had a heart attack at 52 so im a bit freaked out"], g_laurie_chol),
 ('Martina_Murazik', 'last_visit', ["what was my mom's last visit about? she mentioned going to the ER before christmas because she couldn't catch her breath, but she's very vague about it and just says 'they took a picture and sent me home'. I live 3 hours away and I'd just like to know what actually happened"], g_martina_last),
 ('Vito_Feeney', 'followup', ["What was granddad's last PSA result?", "and the one before that?"], g_vito_psa),
 ('IPS_IG-bundle-01', 'still_on', ["I'm still taking my anastrozole every morning - is it still on my list as a current medicine, or does the record say it was stopped? My oncologist mentioned 5 years and I'm losing count of when I started."], g_ips_anastrozole),
]

def build():
    out = []
    for i, (pat, kind, turns, fn) in enumerate(CASES, 1):
        g = fn()
        d = {'id': 'rb11-en-%03d' % i, 'lang': 'en', 'patient': pat, 'kind': kind, 'turns': turns}
        d.update(g)
        out.append(d)
    return out

GOLD_KEYS = ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')

if __name__ == '__main__':
    cases = build()
    if len(sys.argv) > 1 and sys.argv[1] == '--print':
        for c in cases:
            print(json.dumps(c, ensure_ascii=False))
    elif len(sys.argv) > 2 and sys.argv[1] == '--write':
        n = int(sys.argv[2])
        fn = os.path.join(OUT, 'en-%02d.jsonl' % n)
        if os.path.exists(fn):
            sys.exit('exists, not rewriting: ' + fn)
        with open(fn, 'w', encoding='utf-8') as f:
            for c in cases[10 * (n - 1): 10 * n]:
                f.write(json.dumps(c, ensure_ascii=False) + '\n')
        print('wrote', fn)
    else:
        bad = 0
        byid = {c['id']: c for c in cases}
        for fn in sorted(glob.glob(os.path.join(OUT, 'en-*.jsonl'))):
            for line in open(fn, encoding='utf-8'):
                c = json.loads(line)
                g = byid[c['id']]
                for k in GOLD_KEYS + ('patient', 'kind', 'turns'):
                    if c[k] != g[k]:
                        bad += 1
                        print('MISMATCH', c['id'], k)
        print('checked; mismatches:', bad)
