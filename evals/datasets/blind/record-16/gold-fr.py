#!/usr/bin/env python3
"""Gold for the rb16-fr record questions, computed from the FHIR files (stdlib only).
Run: python3 gold-fr.py            -> prints the gold fields for every case as JSON lines
     python3 gold-fr.py --check    -> compares with fr-*.jsonl in this directory
Numbers: values with more than 2 decimals in the record are given rounded to 1 decimal
(the raw value is in the note); shorter values are given as written in the record."""
import json, glob, os, sys, re

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
_cache = {}

def load(pkey):
    if pkey in _cache:
        return _cache[pkey]
    f = os.path.join(RW, pkey + '.json')
    if not os.path.exists(f):
        cands = [p for p in glob.glob(os.path.join(SYN, '*.json'))
                 if re.sub(r'_[0-9a-f]{8}-.*$', '', os.path.basename(p)) == pkey]
        if not cands:
            cands = glob.glob(os.path.join(RW, pkey + '*.json'))
        f = cands[0]
    _cache[pkey] = json.load(open(f))
    return _cache[pkey]

def ref(e):
    r = e['resource']
    return f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']

def res(b, rtype):
    return [(ref(e), e['resource']) for e in b['entry'] if e['resource']['resourceType'] == rtype]

def when(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime', 'authoredOn'):
        if k in r:
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if k in r and 'start' in r[k]:
            return r[k]['start']
    return ''

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def disp(cc):
    cc = cc or {}
    for c in cc.get('coding', []):
        if c.get('display'):
            return c['display']
    return cc.get('text', '')

def obs(b, code=None, display=None):
    out = []
    for rf, r in res(b, 'Observation'):
        if code and code not in codes(r.get('code')):
            continue
        if display and display.lower() not in disp(r.get('code')).lower().replace('\u200b', ''):
            continue
        out.append((when(r), rf, r))
    return sorted(out, key=lambda x: x[0])

def val(r):
    return r.get('valueQuantity', {}).get('value')

def num(v):
    if isinstance(v, float):
        s = repr(v)
        if '.' in s and len(s.split('.')[1]) > 2:
            x = round(v, 1)
            return str(int(x)) if x == int(x) else str(x)
        return str(int(v)) if v == int(v) else s
    return str(v)

def d(s):
    return s[:10]

def latest_group(items):
    """items sorted by date; return all items sharing the latest calendar date"""
    if not items:
        return []
    last = d(items[-1][0])
    return [x for x in items if d(x[0]) == last]

def G(refs, match, values, note, nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}

CASES = {}
def case(cid, patient):
    def deco(fn):
        CASES[cid] = (patient, fn)
        return fn
    return deco


# ---------------------------------------------------------------- shared helpers
NKA = ('429625007', '716186003', '409137002', '428607008', '716184000', '1003774007')
def allergies(b):
    out = []
    for rf, r in res(b, 'AllergyIntolerance'):
        if any(c in NKA for c in codes(r.get('code'))) or 'no known' in disp(r.get('code')).lower():
            continue
        st = codes(r.get('clinicalStatus'))
        if st and st[0] not in ('active',):
            continue
        out.append((rf, r))
    return out

def encounters(b):
    return sorted([(r['period']['start'], rf, r) for rf, r in res(b, 'Encounter')], key=lambda x: x[0])

def last_visit(b):
    enc = encounters(b)
    last = d(enc[-1][0])
    return [x for x in enc if d(x[0]) == last]

def previous_group(items):
    dates = sorted({d(x[0]) for x in items})
    prev = dates[-2]
    return [x for x in items if d(x[0]) == prev], dates[-1]

def procs(b, word):
    return sorted([(when(r), rf, r) for rf, r in res(b, 'Procedure')
                   if word.lower() in json.dumps(r.get('code')).lower()], key=lambda x: x[0])

def medreq(b, word):
    return sorted([(when(r), rf, r) for rf, r in res(b, 'MedicationRequest')
                   if word.lower() in json.dumps(r.get('medicationCodeableConcept') or r.get('medicationReference')).lower()], key=lambda x: x[0])

def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c['code']):
            return c['valueQuantity']['value']

def active_conditions(b):
    return [(when(r), rf, r) for rf, r in res(b, 'Condition') if codes(r.get('clinicalStatus'))[:1] == ['active']]


# ---------------------------------------------------------------- cases 001-010
@case('rb16-fr-001', 'Annmarie_Doyle')
def _(b):
    g = [x for x in obs(b, '55284-4') if x[0][:4] == '2017']
    (t, rf, r), = g
    sy, di = comp(r, '8480-6'), comp(r, '8462-4')
    return G([rf], 'all', [d(t), num(sy), num(di)],
             f"Blood pressure panel (55284-4) in 2017: {d(t)}, components systolic 8480-6 = {sy}, diastolic 8462-4 = {di} mmHg")

@case('rb16-fr-002', 'IPS_IG-bundle-01')
def _(b):
    (t, rf, r), = obs(b, '882-1')
    panel = [x for x in obs(b) if disp(x[2]['code']) == 'Blood typing']
    return G([rf] + [x[1] for x in panel], 'any', [d(t)],
             f"Observation LOINC 882-1 (ABO and Rh group) {d(t)}: {disp(r['valueCodeableConcept'])}; member of the 'Blood typing' panel {panel[0][1]}; only blood group result in the record")

@case('rb16-fr-003', 'Josue_Sipes')
def _(b):
    g = [x for x in obs(b, '4548-4') if x[0][:10] >= '2018-01-01']
    return G([x[1] for x in g], 'any', [str(len(g))],
             f"count of Observation LOINC 4548-4 (HbA1c) with effectiveDateTime >= 2018-01-01 = {len(g)} ({d(g[0][0])} to {d(g[-1][0])})")

@case('rb16-fr-004', 'Fidel_Bins')
def _(b):
    a = allergies(b)
    return G([x[0] for x in a], 'all', [],
             f"all active AllergyIntolerance ({len(a)}): " + '; '.join(disp(x[1]['code']) for x in a))

@case('rb16-fr-005', 'Luigi_Wiegand')
def _(b):
    im = [disp(r['vaccineCode']).lower() for rf, r in res(b, 'Immunization')]
    assert not any(w in v for v in im for w in ('mmr', 'measles', 'mumps', 'rubella'))
    return G([], 'all', [], 'no Immunization for MMR (measles/mumps/rubella) among the ' + str(len(im)) + ' recorded -> not (yet) given', True)

@case('rb16-fr-006', 'AT_ELGA_GmbH_01')
def _(b):
    (t, rf, r), = obs(b, '26464-8')
    rr = r['referenceRange'][0]
    return G([rf], 'all', [num(val(r)), num(rr['low']['value']), num(rr['high']['value'])],
             f"Observation LOINC 26464-8 (Leukozyten) {d(t)}: {val(r)} {r['valueQuantity']['unit']}, referenceRange {rr['low']['value']}-{rr['high']['value']}, interpretation {codes(r['interpretation'][0])}")

@case('rb16-fr-007', 'Laurie_McCullough')
def _(b):
    (t, rf, r), = medreq(b, 'hydrochlorothiazide')
    assert r['status'] == 'active'
    return G([rf], 'all', [d(t)], f"MedicationRequest Hydrochlorothiazide 6.25 MG status {r['status']}, authoredOn {d(t)} -> still on it")

@case('rb16-fr-008', 'Daisey_Johns')
def _(b):
    w = latest_group(obs(b, '29463-7'))
    h = latest_group(obs(b, '8302-2'))
    return G([x[1] for x in h], 'all', [num(val(x[2])) for x in h] + [d(h[-1][0])],
             f"turn 1: latest Body Weight {d(w[-1][0])} raw {val(w[-1][2])} kg; last turn ('et sa taille ?'): latest Body Height (8302-2) {d(h[-1][0])} raw {[val(x[2]) for x in h]} cm")

@case('rb16-fr-009', 'Martina_Murazik')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} class {x[2]['class']['code']} {disp(x[2]['type'][0])}" for x in g)
             + '; same day: ' + '; '.join(disp(r['code']) for t, rf, r in procs(b, '') if d(t) == d(g[-1][0])))

@case('rb16-fr-010', 'Renea_Quigley')
def _(b):
    s = json.dumps(b).lower()
    assert not any(w in s for w in ('bone density', 'bone mineral', 'dxa', 'dexa', 'densitometry', 'osteopor'))
    return G([], 'all', [], 'no Procedure/Observation for bone densitometry (bone density, bone mineral, DXA/DEXA, osteoporosis) in the bundle -> not in record', True)


# ---------------------------------------------------------------- cases 011-020
@case('rb16-fr-011', 'Emery_Purdy')
def _(b):
    c = sorted(active_conditions(b), key=lambda x: x[0])
    return G([x[1] for x in c], 'all', [],
             f"Conditions with clinicalStatus active ({len(c)}): " + '; '.join(f"{disp(x[2]['code'])} (since {d(x[0])})" for x in c))

@case('rb16-fr-012', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir')
def _(b):
    g = latest_group(obs(b, '8331-1'))
    return G([x[1] for x in g], 'all', [num(val(x[2])) for x in g] + [d(g[-1][0])],
             f"latest Observation LOINC 8331-1 (oral temperature) {g[-1][0]}: raw {[val(x[2]) for x in g]} Cel (only temperature in record)")

@case('rb16-fr-013', 'Vito_Feeney')
def _(b):
    p = procs(b, 'colonoscopy')
    return G([x[1] for x in p], 'all', [str(len(p))] + [d(x[0]) for x in p],
             f"count of Procedure Colonoscopy = {len(p)} ({', '.join(d(x[0]) for x in p)})")

@case('rb16-fr-014', 'Liz_Conn')
def _(b):
    g, last = previous_group(obs(b, '55284-4'))
    (t, rf, r), = g
    sy, di = comp(r, '8480-6'), comp(r, '8462-4')
    return G([rf], 'all', [d(t), num(sy), num(di)],
             f"Blood pressure panel (55284-4): latest {last}; the one before {d(t)}: systolic {sy}, diastolic {di} mmHg")

@case('rb16-fr-015', 'Lupe_Little')
def _(b):
    g = latest_group(obs(b, '2339-0'))
    assert all('referenceRange' not in x[2] for x in g)
    return G([x[1] for x in g], 'all', [num(val(x[2])) for x in g] + [d(g[-1][0])],
             f"latest Observation LOINC 2339-0 (glucose) {d(g[-1][0])}: raw {[val(x[2]) for x in g]} mg/dL; no referenceRange in record")

@case('rb16-fr-016', 'US_MEDITECH_ips_2')
def _(b):
    im = res(b, 'Immunization')
    done = [(rf, r) for rf, r in im if r.get('status') == 'completed']
    other = [(rf, r) for rf, r in im if r.get('status') != 'completed']
    return G([x[0] for x in done], 'all', [str(len(done))],
             f"Immunization resources: {len(im)}; completed = {len(done)} ({'; '.join(r['vaccineCode'].get('text','') + ' ' + when(r) for rf, r in done)}); not counted: " + '; '.join(f"{r['vaccineCode'].get('text','')} {when(r)} status {r['status']} ({r.get('statusReason',{}).get('text','')})" for rf, r in other))

@case('rb16-fr-017', 'Fidel_Bins')
def _(b):
    (t, rf, r), = medreq(b, 'albuterol')
    assert r['status'] == 'active'
    return G([rf], 'all', [d(t)], f"MedicationRequest Albuterol 0.09 MG/ACTUAT inhaler (reliever, Ventoline-type) status {r['status']}, authoredOn {d(t)} -> still prescribed")

@case('rb16-fr-018', 'IPS_IG-bundle-01')
def _(b):
    (t, rf, r), = obs(b, '42803-7')
    return G([rf], 'all', [d(t)],
             f"Observation LOINC 42803-7 (bacteria identified) {d(t)}: {disp(r['valueCodeableConcept'])}; note '{r['note'][0]['text']}' -> yes, MRSA carriage found")

@case('rb16-fr-019', 'Josue_Sipes')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}" for x in g)
             + '; same day: ' + '; '.join(sorted({disp(r['code']) for t, rf, r in procs(b, '') if d(t) == d(g[-1][0])})))

@case('rb16-fr-020', 'Annmarie_Doyle')
def _(b):
    tc = obs(b, '2093-3')
    y14 = [x for x in tc if x[0][:4] == '2014']
    y17 = [x for x in tc if x[0][:4] == '2017']
    return G([x[1] for x in y17], 'all', [d(x[0]) for x in y17] + [num(val(x[2])) for x in y17],
             f"turn 1: total cholesterol (2093-3) in 2014 = {[(d(x[0]), val(x[2])) for x in y14]}; last turn ('et en 2017 ?') = {[(d(x[0]), val(x[2])) for x in y17]} mg/dL")


# ---------------------------------------------------------------- cases 021-030
@case('rb16-fr-021', 'Renea_Quigley')
def _(b):
    g = [x for x in obs(b, '4548-4') if x[0][:4] == '2015']
    return G([x[1] for x in g], 'all', [d(x[0]) for x in g] + [num(val(x[2])) for x in g],
             f"Observation LOINC 4548-4 (HbA1c) in 2015: {[(d(x[0]), val(x[2])) for x in g]} %")

@case('rb16-fr-022', 'Martina_Murazik')
def _(b):
    g = latest_group(obs(b, '33762-6'))
    return G([x[1] for x in g], 'all', [num(val(x[2])) for x in g] + [d(g[-1][0])],
             f"latest (only) Observation LOINC 33762-6 (NT-proBNP) {d(g[-1][0])}: raw {[val(x[2]) for x in g]} pg/mL")

@case('rb16-fr-023', 'Daisey_Johns')
def _(b):
    c = sorted([(when(r), rf, r) for rf, r in res(b, 'Condition') if 'sinusitis' in disp(r['code']).lower()], key=lambda x: x[0])
    return G([x[1] for x in c], 'any', [str(len(c))],
             f"count of Condition with 'sinusitis' in code = {len(c)}: " + '; '.join(f"{d(x[0])} {disp(x[2]['code'])}" for x in c))

@case('rb16-fr-024', 'AT_ELGA_GmbH_01')
def _(b):
    im = sorted([(when(r), rf, r) for rf, r in res(b, 'Immunization') if r.get('status') == 'completed'], key=lambda x: x[0])
    return G([x[1] for x in im], 'all', [d(x[0]) for x in im],
             f"all completed Immunization ({len(im)}): " + '; '.join(f"{d(x[0])} {disp(x[2]['vaccineCode'])} (FSME/TBE) dose {x[2]['protocolApplied'][0]['doseNumberPositiveInt']}" for x in im))

@case('rb16-fr-025', 'Emery_Purdy')
def _(b):
    (t, rf, r), = medreq(b, 'hydrochlorothiazide')
    assert r['status'] == 'active'
    return G([rf], 'all', [d(t)], f"MedicationRequest Hydrochlorothiazide 25 MG status {r['status']}, authoredOn {d(t)} -> still on it")

@case('rb16-fr-026', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir')
def _(b):
    assert not res(b, 'Immunization')
    return G([], 'all', [], 'bundle contains no Immunization resource -> vaccinations not in this record', True)

@case('rb16-fr-027', 'Laurie_McCullough')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}, reason {disp(x[2]['reasonCode'][0]) if x[2].get('reasonCode') else '-'}" for x in g))

@case('rb16-fr-028', 'Luigi_Wiegand')
def _(b):
    g, last = previous_group(obs(b, '8302-2'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"Body Height (8302-2): latest {last}; the one before {d(g[-1][0])} raw {[val(x[2]) for x in g]} cm")

@case('rb16-fr-029', 'US_MEDITECH_ips_2')
def _(b):
    c = [x for x in active_conditions(b)
         if 'problem-list-item' in codes((x[2].get('category') or [{}])[0]) and 'R50.9' not in codes(x[2]['code'])]
    extra = [x for x in active_conditions(b) if x not in c]
    return G([x[1] for x in c], 'all', [],
             'active problem-list Conditions (chronic): ' + '; '.join(f"{x[2]['code'].get('text')} (onset {x[0]})" for x in c)
             + '. Also active but not required: Fever (problem list + encounter diagnosis, 2015-06-22), an encounter diagnosis "Initial physical therapy assessment", and two free-text health concerns; Overweight is resolved')

@case('rb16-fr-030', 'Vito_Feeney')
def _(b):
    p = obs(b, '2857-1')
    return G([p[0][1]], 'all', [d(p[0][0]), num(val(p[0][2]))],
             f"turn 1: latest PSA (2857-1) {d(p[-1][0])} raw {val(p[-1][2])}; last turn ('le tout premier'): earliest PSA {d(p[0][0])} raw {val(p[0][2])} ng/mL")


# ---------------------------------------------------------------- cases 031-040
@case('rb16-fr-031', 'Josue_Sipes')
def _(b):
    g = latest_group(obs(b, '55284-4'))
    (t, rf, r), = g
    sy, di = comp(r, '8480-6'), comp(r, '8462-4')
    return G([rf], 'all', [num(sy), num(di), d(t)],
             f"latest Blood pressure panel (55284-4) {d(t)}: systolic {sy}, diastolic {di} mmHg")

@case('rb16-fr-032', 'Fidel_Bins')
def _(b):
    s = json.dumps(b).lower()
    assert not any(w in s for w in ('vitamin d', '25-hydroxy', 'calcidiol', '1989-8', '62292-8', '14635-7'))
    return G([], 'all', [], 'no vitamin D Observation (25-hydroxyvitamin D, LOINC 1989-8/62292-8/14635-7) in the bundle -> not in record', True)

@case('rb16-fr-033', 'Daisey_Johns')
def _(b):
    (t, rf, r), = obs(b, '6206-7')
    assert 'referenceRange' not in r
    return G([rf], 'all', [num(val(r)), d(t)],
             f"Observation LOINC 6206-7 (Peanut IgE Ab) {d(t)}: raw {val(r)} {r['valueQuantity']['unit']}; no referenceRange in record; peanut is not among her recorded allergies")

@case('rb16-fr-034', 'Annmarie_Doyle')
def _(b):
    im = sorted([(when(r), rf) for rf, r in res(b, 'Immunization') if r['vaccineCode']['coding'][0]['code'] in ('113', '115', '09', '138', '139')])
    return G([x[1] for x in im], 'all', [d(x[0]) for x in im],
             f"Immunization with tetanus-containing vaccine (Td adult, CVX 113): {', '.join(d(x[0]) for x in im)} -> yes")

@case('rb16-fr-035', 'Renea_Quigley')
def _(b):
    m = medreq(b, 'ibuprofen')
    assert all(x[2]['status'] == 'stopped' for x in m)
    return G([x[1] for x in m], 'any', [d(m[-1][0])],
             f"MedicationRequests ibuprofen 200 mg: {', '.join(d(x[0]) + ' ' + x[2]['status'] for x in m)}; latest one {d(m[-1][0])} (ankle sprain, emergency) is stopped -> not current (naproxen for the hip is the active anti-inflammatory, not asked)")

@case('rb16-fr-036', 'Liz_Conn')
def _(b):
    g = [x for x in encounters(b) if x[2]['class']['code'] in ('IMP', 'ACUTE', 'EMER')]
    last = [x for x in g if d(x[0]) == d(g[-1][0])]
    pr = [rf for t, rf, r in procs(b, '') if d(t) == d(last[-1][0])]
    return G([x[1] for x in last] + pr, 'any', [d(last[-1][0])],
             'latest inpatient/emergency Encounter: ' + '; '.join(f"{d(x[0])} class {x[2]['class']['code']} {disp(x[2]['type'][0])}" for x in last)
             + '; procedure that day: ' + '; '.join(disp(r['code']) for t, rf, r in procs(b, '') if d(t) == d(last[-1][0])))

@case('rb16-fr-037', 'Martina_Murazik')
def _(b):
    p = procs(b, 'echocardiogram')
    return G([x[1] for x in p], 'all', [d(x[0]) for x in p],
             f"Procedure 'trans thoracic echocardiogram': {', '.join(d(x[0]) for x in p)} -> yes")

@case('rb16-fr-038', 'Emery_Purdy')
def _(b):
    g = latest_group(obs(b, '14959-1'))
    assert all('referenceRange' not in x[2] for x in g)
    return G([x[1] for x in g], 'all', [num(val(x[2])) for x in g] + [d(g[-1][0])],
             f"latest Observation LOINC 14959-1 (microalbumin/creatinine ratio) {d(g[-1][0])}: raw {[val(x[2]) for x in g]} mg/g; no referenceRange in record")

@case('rb16-fr-039', 'IPS_IG-bundle-01')
def _(b):
    s = json.dumps(b).lower()
    assert not (obs(b, '2093-3') + obs(b, '18262-6') + obs(b, '2089-1')) and 'cholest' not in s
    return G([], 'all', [], 'no cholesterol/lipid Observation in the bundle (results are blood group, HbA1c, MRSA only) -> not in record', True)

@case('rb16-fr-040', 'Lupe_Little')
def _(b):
    w = obs(b, '29463-7')
    g, last = previous_group(w)
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"turn 1: latest Body Weight {last} raw {val(w[-1][2])} kg; last turn ('celle d'avant'): {d(g[-1][0])} raw {[val(x[2]) for x in g]} kg")

# ---------------------------------------------------------------- main
def compute():
    out = []
    for cid in sorted(CASES):
        pk, fn = CASES[cid]
        g = fn(load(pk))
        out.append(dict(id=cid, patient=pk, **g))
    return out

if __name__ == '__main__':
    here = os.path.dirname(os.path.abspath(__file__))
    gold = compute()
    if '--check' in sys.argv:
        have = {}
        for f in sorted(glob.glob(os.path.join(here, 'fr-*.jsonl'))):
            for line in open(f, encoding='utf-8'):
                if line.strip():
                    o = json.loads(line); have[o['id']] = o
        bad = 0
        for g in gold:
            o = have.get(g['id'])
            if o is None:
                print('missing in files:', g['id']); continue
            for k in ('patient', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
                if o.get(k) != g[k]:
                    bad += 1; print('DIFF', g['id'], k, o.get(k), '!=', g[k])
        print('checked', len(gold), 'cases,', bad, 'differences')
    else:
        for g in gold:
            print(json.dumps(g, ensure_ascii=False))
