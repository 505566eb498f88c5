#!/usr/bin/env python3
"""Gold for the rb16-en record questions, computed from the FHIR files (stdlib only).
Run: python3 gold-en.py            -> prints the gold fields for every case as JSON lines
     python3 gold-en.py --check    -> compares with en-*.jsonl in this directory
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

# ---------------------------------------------------------------- cases 001-010
@case('rb16-en-001', 'Annmarie_Doyle')
def _(b):
    g = latest_group(obs(b, '2093-3'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"latest Observation LOINC 2093-3 (total cholesterol) by effectiveDateTime: {d(g[-1][0])} raw {[val(x[2]) for x in g]} mg/dL")

@case('rb16-en-002', 'Josue_Sipes')
def _(b):
    hits = obs(b, '3016-3') + obs(b, display='thyro') + obs(b, display='TSH') + obs(b, display='T4')
    assert not hits
    return G([], 'all', [], 'no Observation with LOINC 3016-3 / TSH / thyroid / T4 anywhere in the bundle -> not in record', True)

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

@case('rb16-en-003', 'Daisey_Johns')
def _(b):
    a = allergies(b)
    return G([x[0] for x in a], 'all', [],
             f"all active AllergyIntolerance ({len(a)}): " + '; '.join(disp(x[1]['code']) for x in a))

def medstmt(b, word):
    idx = {e['fullUrl']: e['resource'] for e in b['entry']}
    out = []
    for rf, r in res(b, 'MedicationStatement'):
        m = r.get('medicationCodeableConcept')
        if not m and 'medicationReference' in r:
            mr = r['medicationReference']['reference']
            med = idx.get(mr) or next((e['resource'] for e in b['entry'] if ref(e) == mr), None)
            m = med.get('code') if med else {}
        txt = json.dumps(m).lower()
        if word.lower() in txt:
            out.append((rf, r, m))
    return out

@case('rb16-en-004', 'IPS_IG-bundle-01')
def _(b):
    (rf, r, m), = medstmt(b, 'anastrozol')
    assert r['status'] == 'active' and 'end' not in r['effectivePeriod']
    return G([rf], 'all', [r['effectivePeriod']['start']],
             f"MedicationStatement anastrozole status {r['status']}, effectivePeriod start {r['effectivePeriod']['start']} with no end -> still on it")

def encounters(b):
    out = []
    for rf, r in res(b, 'Encounter'):
        out.append((r['period']['start'], rf, r))
    return sorted(out, key=lambda x: x[0])

@case('rb16-en-005', 'Fidel_Bins')
def _(b):
    enc = encounters(b)
    er = [x for x in enc if x[2]['class']['code'] == 'EMER' and 'asthma' in json.dumps(x[2].get('type')).lower()]
    assert len(er) == 1
    t = er[0][0]
    fu = [x for x in enc if x[0] > t and 'asthma follow-up' in json.dumps(x[2].get('type')).lower()]
    return G([x[1] for x in fu], 'all', [str(len(fu))],
             f"turn 1: emergency Encounter for asthma {d(t)} ({er[0][1]}); last turn: Encounters typed 'Asthma follow-up' after it = {len(fu)} ({', '.join(d(x[0]) for x in fu)})")

@case('rb16-en-006', 'Luigi_Wiegand')
def _(b):
    im = [(rf, r) for rf, r in res(b, 'Immunization') if r.get('status') == 'completed']
    return G([x[0] for x in im], 'any', [str(len(im))],
             f"count of completed Immunization resources (all time) = {len(im)}")

@case('rb16-en-007', 'AT_ELGA_GmbH_01')
def _(b):
    (t, rf, r), = obs(b, '2276-4')
    rr = r['referenceRange'][0]
    return G([rf], 'all', [num(val(r)), num(rr['low']['value']), num(rr['high']['value'])],
             f"Observation LOINC 2276-4 (Ferritin) {d(t)}: {val(r)} {r['valueQuantity']['unit']}, referenceRange {rr['low']['value']}-{rr['high']['value']}, interpretation {codes(r['interpretation'][0])}")

@case('rb16-en-008', 'Laurie_McCullough')
def _(b):
    im = sorted([(when(r), rf) for rf, r in res(b, 'Immunization') if 'hpv' in disp(r['vaccineCode']).lower()])
    return G([x[1] for x in im], 'any', [d(x[0]) for x in im],
             f"Immunization with HPV vaccine: {len(im)} doses on {', '.join(d(x[0]) for x in im)} -> yes")

@case('rb16-en-009', 'Martina_Murazik')
def _(b):
    g = latest_group(obs(b, '33914-3'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"latest Observation LOINC 33914-3 (eGFR) {d(g[-1][0])}: raw {[val(x[2]) for x in g]} mL/min/1.73m2; no referenceRange recorded")

def last_visit(b):
    enc = encounters(b)
    last = d(enc[-1][0])
    return [x for x in enc if d(x[0]) == last]

@case('rb16-en-010', 'Liz_Conn')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}" for x in g))


# ---------------------------------------------------------------- cases 011-020
@case('rb16-en-011', 'Emery_Purdy')
def _(b):
    g = latest_group(obs(b, '4548-4'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"latest Observation LOINC 4548-4 (HbA1c) {d(g[-1][0])}: raw {[val(x[2]) for x in g]} %")

def previous_group(items):
    dates = sorted({d(x[0]) for x in items})
    prev = dates[-2]
    return [x for x in items if d(x[0]) == prev], dates[-1]

@case('rb16-en-012', 'Renea_Quigley')
def _(b):
    g, last = previous_group(obs(b, '2093-3'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"Observation LOINC 2093-3 (total cholesterol): latest date {last}; the one before is {d(g[-1][0])} raw {[val(x[2]) for x in g]} mg/dL")

@case('rb16-en-013', 'US_MEDITECH_ips_2')
def _(b):
    a = allergies(b)
    return G([x[0] for x in a], 'all', [],
             f"all active AllergyIntolerance ({len(a)}): " + '; '.join(disp(x[1]['code']) for x in a))

def procs(b, word):
    return sorted([(when(r), rf, r) for rf, r in res(b, 'Procedure')
                   if word.lower() in json.dumps(r.get('code')).lower()], key=lambda x: x[0])

@case('rb16-en-014', 'Lupe_Little')
def _(b):
    assert not procs(b, 'colonoscop') and 'colonoscop' not in json.dumps(b).lower()
    return G([], 'all', [], 'no Procedure (or any resource) mentioning colonoscopy -> never recorded', True)

@case('rb16-en-015', 'Vito_Feeney')
def _(b):
    p = [x for x in procs(b, 'biopsy of prostate')]
    return G([x[1] for x in p], 'any', [str(len(p))],
             f"count of Procedure 'Biopsy of prostate' = {len(p)} ({', '.join(d(x[0]) for x in p)})")

@case('rb16-en-016', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir')
def _(b):
    cov = [x for x in obs(b, '94531-1') if 'valueCodeableConcept' in x[2]]
    flu = [x for x in obs(b, '92142-9') + obs(b, '92141-1') if 'valueCodeableConcept' in x[2]]
    assert all(disp(x[2]['valueCodeableConcept']).startswith('Negative') for x in flu)
    return G([x[1] for x in flu], 'all', [d(flu[0][0])],
             f"turn 1: SARS-CoV-2 Observation {cov[0][1]} = {disp(cov[0][2]['valueCodeableConcept'])}; last turn: influenza A (92142-9) and B (92141-1) Observations with a coded value, both Negative, {d(flu[0][0])}; the twin Observations whose valueString is the placeholder '{{entry.value}}' carry no result and are not gold")

def medreq(b, word):
    return sorted([(when(r), rf, r) for rf, r in res(b, 'MedicationRequest')
                   if word.lower() in json.dumps(r.get('medicationCodeableConcept') or r.get('medicationReference')).lower()], key=lambda x: x[0])

@case('rb16-en-017', 'Daisey_Johns')
def _(b):
    (t, rf, r), = medreq(b, 'fluticasone')
    assert r['status'] == 'active'
    return G([rf], 'all', [d(t)], f"MedicationRequest fluticasone 44 mcg inhaler status {r['status']}, authoredOn {d(t)}, no later stop -> still on it")

@case('rb16-en-018', 'Josue_Sipes')
def _(b):
    g = [x for x in obs(b, '33914-3') if x[0][:4] == '2016']
    return G([x[1] for x in g], 'all', [d(x[0]) for x in g] + [num(val(x[2])) for x in g],
             f"Observation LOINC 33914-3 (eGFR) in 2016: {[(d(x[0]), val(x[2])) for x in g]}")

@case('rb16-en-019', 'Laurie_McCullough')
def _(b):
    assert not (obs(b, '2093-3') + obs(b, '18262-6') + obs(b, '2085-9') + obs(b, '2571-8') + obs(b, display='cholest'))
    return G([], 'all', [], 'no lipid Observation (2093-3, 18262-6, 2085-9, 2571-8, any *cholest*) in the bundle -> not in record', True)

@case('rb16-en-020', 'Fidel_Bins')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}" for x in g))


# ---------------------------------------------------------------- cases 021-030
@case('rb16-en-021', 'AT_ELGA_GmbH_01')
def _(b):
    bp = sorted(obs(b, '8480-6') + obs(b, '8462-4'), key=lambda x: x[0])
    g = latest_group(bp)
    sy = [num(val(x[2])) for x in g if '8480-6' in codes(x[2]['code'])]
    di = [num(val(x[2])) for x in g if '8462-4' in codes(x[2]['code'])]
    return G([x[1] for x in g], 'all', sy + di + [d(g[-1][0])],
             f"systolic (8480-6) and diastolic (8462-4) are separate Observations; latest date {d(g[-1][0])} has two readings at the same time 08:30: {sy[0]}/{di[0]} and {sy[1]}/{di[1]} mmHg (one with effectivePeriod, one with effectiveDateTime); both are gold")

@case('rb16-en-022', 'IPS_IG-bundle-01')
def _(b):
    (t, rf, r), = obs(b, '17856-6')
    assert 'referenceRange' not in r
    return G([rf], 'all', [num(val(r)), d(t)],
             f"Observation LOINC 17856-6 (HbA1c by HPLC) {d(t)}: {val(r)} %; no referenceRange; note in record: '{r['note'][0]['text']}'")

@case('rb16-en-023', 'Martina_Murazik')
def _(b):
    p = procs(b, 'spirometry')
    return G([x[1] for x in p], 'any', [str(len(p))],
             f"turn 1: latest Procedure Spirometry {d(p[-1][0])} ({p[-1][1]}); last turn: total count of Spirometry Procedures = {len(p)} ({d(p[0][0])} to {d(p[-1][0])})")

@case('rb16-en-024', 'Renea_Quigley')
def _(b):
    p = procs(b, 'colonoscopy')
    return G([x[1] for x in p], 'all', [str(len(p))] + [d(x[0]) for x in p],
             f"count of Procedure Colonoscopy = {len(p)} ({', '.join(d(x[0]) for x in p)})")

@case('rb16-en-025', 'US_MEDITECH_ips_2')
def _(b):
    p = procs(b, 'pacemaker')
    assert len(p) == 1 and p[0][2]['status'] == 'completed'
    dev = [rf for rf, r in res(b, 'DeviceUseStatement')] + [rf for rf, r in res(b, 'Device') if 'defibrillator' in json.dumps(r).lower()]
    return G([p[0][1]] + dev, 'any', [d(p[0][0])],
             f"Procedure 'Intro of Pacemaker via vein' completed {d(p[0][0])}; also an active DeviceUseStatement for a cardiac resynchronization therapy implantable defibrillator -> yes")

@case('rb16-en-026', 'Luigi_Wiegand')
def _(b):
    g, last = previous_group(obs(b, '29463-7'))
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"Body Weight (29463-7): latest date {last}; the one before {d(g[-1][0])} raw {[val(x[2]) for x in g]} kg")

@case('rb16-en-027', 'Emery_Purdy')
def _(b):
    p = procs(b, 'colonoscopy')
    return G([x[1] for x in p], 'all', [d(x[0]) for x in p],
             f"Procedure Colonoscopy: {len(p)} on {', '.join(d(x[0]) for x in p)} -> yes")

def active_meds(b):
    return sorted([(when(r), rf, r) for rf, r in res(b, 'MedicationRequest') if r.get('status') == 'active'], key=lambda x: x[0])

@case('rb16-en-028', 'Liz_Conn')
def _(b):
    m = active_meds(b)
    return G([x[1] for x in m], 'all', [],
             'MedicationRequests with status active: ' + '; '.join(f"{disp(x[2]['medicationCodeableConcept'])} since {d(x[0])}" for x in m))

@case('rb16-en-029', 'Lupe_Little')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start: ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}, reason {disp(x[2]['reasonCode'][0]) if x[2].get('reasonCode') else '-'}" for x in g))

@case('rb16-en-030', 'Vito_Feeney')
def _(b):
    g = [x for x in obs(b, '2857-1') if x[0][:4] == '1976']
    return G([x[1] for x in g], 'all', [d(x[0]) for x in g] + [num(val(x[2])) for x in g],
             f"Observation LOINC 2857-1 (PSA) in 1976: {[(d(x[0]), val(x[2])) for x in g]} ng/mL")


# ---------------------------------------------------------------- cases 031-040
@case('rb16-en-031', 'Josue_Sipes')
def _(b):
    g = latest_group(obs(b, '38483-4'))
    assert len(g) == 2
    return G([x[1] for x in g], 'all', [d(g[-1][0])] + [num(val(x[2])) for x in g],
             f"latest Observation LOINC 38483-4 (creatinine) by date: {d(g[-1][0])} has two results at the same timestamp, raw {[val(x[2]) for x in g]} mg/dL; both are gold")

@case('rb16-en-032', 'Laurie_McCullough')
def _(b):
    (t, rf, r), = medreq(b, 'jolivette')
    assert r['status'] == 'stopped'
    return G([rf], 'all', [d(t)],
             f"MedicationRequest Jolivette (norethindrone) status {r['status']}, authoredOn {d(t)}; no later Jolivette request -> stopped, not current")

@case('rb16-en-033', 'Annmarie_Doyle')
def _(b):
    im = sorted([(when(r), rf) for rf, r in res(b, 'Immunization') if 'influenza' in disp(r['vaccineCode']).lower()])
    return G([x[1] for x in im], 'any', [str(len(im))],
             f"count of Immunization with influenza vaccine (CVX 140) = {len(im)} ({d(im[0][0])} to {d(im[-1][0])})")

@case('rb16-en-034', 'IPS_IG-bundle-01')
def _(b):
    a = allergies(b)
    return G([x[0] for x in a], 'all', [],
             f"active AllergyIntolerance excluding the negation 'No known food allergy' (429625007): " + '; '.join(disp(x[1]['code']) for x in a) + " (criticality high, onset 2010)")

@case('rb16-en-035', 'US_MEDITECH_ips_2')
def _(b):
    assert not res(b, 'Observation') and not res(b, 'DiagnosticReport')
    return G([], 'all', [], 'bundle contains no Observation or DiagnosticReport at all (hypothyroidism is on the problem list, but no TSH/thyroid result) -> not in record', True)

@case('rb16-en-036', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir')
def _(b):
    (t, rf, r), = obs(b, '59408-5')
    assert 'referenceRange' not in r
    return G([rf], 'all', [num(val(r)), d(t)],
             f"Observation LOINC 59408-5 (SpO2 pulse oximetry) {t}: {val(r)} %; no referenceRange in record")

@case('rb16-en-037', 'Daisey_Johns')
def _(b):
    g = last_visit(b)
    return G([x[1] for x in g], 'all', [d(g[-1][0])],
             'latest Encounter by period.start (not file order: the 2020-12-15 sinusitis visit comes later in the file): ' + '; '.join(f"{d(x[0])} {disp(x[2]['type'][0])}" for x in g))

@case('rb16-en-038', 'Martina_Murazik')
def _(b):
    (t, rf, r), = medreq(b, 'lasix')
    assert r['status'] == 'active'
    return G([rf], 'all', [d(t)], f"MedicationRequest Lasix 40mg status {r['status']}, authoredOn {d(t)} -> still on it")

@case('rb16-en-039', 'Emery_Purdy')
def _(b):
    assert not (obs(b, '2857-1') + obs(b, display='prostate'))
    return G([], 'all', [], 'no Observation LOINC 2857-1 / prostate-specific antigen in the bundle -> not in record', True)

@case('rb16-en-040', 'Emery_Purdy')
def _(b):
    tc = obs(b, '2093-3')
    y19 = [x for x in tc if x[0][:4] == '2019']
    y18 = [x for x in tc if x[0][:4] == '2018']
    return G([x[1] for x in y18], 'all', [d(x[0]) for x in y18] + [num(val(x[2])) for x in y18],
             f"turn 1: total cholesterol (2093-3) in 2019 = {[(d(x[0]), val(x[2])) for x in y19]}; last turn ('the year before') = 2018: {[(d(x[0]), val(x[2])) for x in y18]} mg/dL")

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
        for f in sorted(glob.glob(os.path.join(here, 'en-*.jsonl'))):
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
