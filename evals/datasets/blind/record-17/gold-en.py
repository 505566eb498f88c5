#!/usr/bin/env python3
"""Gold for blind set record-17 (English cases rb17-en-001..040).

Run:  python3 gold-en.py            -> recompute gold of every case, compare with en-*.jsonl, print diffs
      python3 gold-en.py --write N -> write en-0N.jsonl (cases of batch N) if it does not exist yet
Standard library only. Reads the records read-only from /work/shared/data.
"""
import json, glob, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = 'en'

# ---------------------------------------------------------------- loading
_cache = {}
def path_of(key):
    for d in ('synthea', 'realworld'):
        for f in glob.glob(f'{DATA}/{d}/*.json'):
            stem = os.path.basename(f)[:-5]
            if stem == key or (d == 'synthea' and '_'.join(stem.split('_')[:2]) == key):
                return f
    raise KeyError(key)

def load(key):
    """list of (ref, resource); ref = Type/id when the resource has an id, else the entry fullUrl"""
    if key not in _cache:
        b = json.load(open(path_of(key)))
        out = []
        for e in b['entry']:
            r = e['resource']
            ref = f"{r['resourceType']}/{r['id']}" if r.get('id') else e.get('fullUrl')
            out.append((ref, r, e.get('fullUrl')))
        _cache[key] = out
    return _cache[key]

def by_type(key, t):
    return [(ref, r) for ref, r, _ in load(key) if r['resourceType'] == t]

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def cdate(r):
    """clinical date (YYYY-MM-DD...) of a resource"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate', 'issued', 'date'):
        if isinstance(r.get(k), str):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''

def obs(key, code, display_has=None):
    """Observations with this LOINC code (any coding), oldest first"""
    out = []
    for ref, r in by_type(key, 'Observation'):
        if code in codes(r.get('code')):
            if display_has and display_has.lower() not in r['code']['coding'][0].get('display', '').lower():
                continue
            out.append((ref, r))
    return sorted(out, key=lambda x: cdate(x[1]))

def val(r):
    return r.get('valueQuantity', {}).get('value')

def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c.get('valueQuantity', {}).get('value')

def rs(v, dec=None):
    """number string robust to the roundings a careful answer may use: integer part for values >= 20
    (requires fraction < .5), one decimal below 20 (requires the 2nd decimal, once rounded, < 5).
    Raises if the value is not robust, so that such values are never used as gold strings."""
    if v is None:
        raise ValueError('no value')
    if float(v).is_integer():
        return str(int(v))
    if abs(v) >= 20 and dec != 1:
        if f'{round(v):d}' != f'{v:.1f}'.split('.')[0]:
            raise ValueError(f'not robust: {v}')
        return f'{round(v):d}'
    a, b = f'{v:.1f}', f'{v:.2f}'
    if not b.startswith(a):
        raise ValueError(f'not robust: {v}')
    return a

def d10(s):
    return (s or '')[:10]

def G(refs, values, match='all', nf=False, note=''):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}

def NF(note):
    return G([], [], 'all', True, note)

CASES = []   # (batch, dict(id, patient, kind, turns), gold-function)
def case(batch, n, patient, kind, turns):
    def deco(fn):
        CASES.append((batch, {'id': f'rb17-{LANG}-{n:03d}', 'lang': LANG, 'patient': patient, 'kind': kind,
                              'turns': turns}, fn))
        return fn
    return deco

# ---------------------------------------------------------------- helpers for common questions
def latest_obs(p, code, dh=None):
    """all Observations of this code on the latest clinical date (same-day results are all gold)"""
    o = obs(p, code, dh)
    last = d10(cdate(o[-1][1]))
    return [x for x in o if d10(cdate(x[1])) == last]

def imms(p, cvx=None):
    out = [(ref, r) for ref, r in by_type(p, 'Immunization') if cvx is None or cvx in codes(r.get('vaccineCode'))]
    return sorted(out, key=lambda x: cdate(x[1]))

def last_encounter(p):
    e = sorted(by_type(p, 'Encounter'), key=lambda x: cdate(x[1]))
    last = d10(cdate(e[-1][1]))
    return [x for x in e if d10(cdate(x[1])) == last]

def medreq(p, rxnorm):
    return [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if rxnorm in codes(r.get('medicationCodeableConcept'))]

def proc(p, snomed):
    return sorted([(ref, r) for ref, r in by_type(p, 'Procedure') if snomed in codes(r.get('code'))], key=lambda x: cdate(x[1]))

def refs(xs):
    return [x[0] for x in xs]

# ================================================================ batch 1
@case(1, 1, 'Emery_Purdy', 'latest',
      ["my doctor keeps banging on about my kidneys because of the diabetes. what's the latest kidney "
       "filtration number you have for me? the egfr thing i think"])
def _(p):
    o = latest_obs(p, '33914-3')
    v = val(o[-1][1])
    return G(refs(o), [rs(v), d10(cdate(o[-1][1]))], 'all',
             note=f'latest Observation LOINC 33914-3 (eGFR) by effectiveDateTime: {v} on {d10(cdate(o[-1][1]))}')

@case(1, 2, 'Vito_Feeney', 'value_in_year',
      ["I'm sorting through my late father's medical papers (he passed in 1979) and trying to piece together "
       "his prostate story for my own doctor, since apparently it matters for me and my brothers. He had the "
       "PSA blood test done most years in the 70s. Can you tell me what his PSA came back as in 1974?"])
def _(p):
    o = [x for x in obs(p, '2857-1') if cdate(x[1]).startswith('1974')]
    v = val(o[0][1])
    return G(refs(o), [rs(v), d10(cdate(o[0][1]))], 'all',
             note=f'Observation LOINC 2857-1 (PSA) dated 1974: {v} ng/mL on {d10(cdate(o[0][1]))} (only one in 1974)')

@case(1, 3, 'Daisey_Johns', 'count',
      ["how many flu jabs has my daughter had altogether? nursery is asking and I honestly can't remember "
       "if we skipped a year"])
def _(p):
    o = imms(p, '140')
    return G(refs(o), [str(len(o))], 'any',
             note=f'count of Immunization CVX 140 (seasonal influenza): {len(o)}, dates ' +
                  ', '.join(d10(cdate(r)) for _, r in o))

@case(1, 4, 'IPS_IG-bundle-01', 'list',
      ["Filling in a form for my new dentist and it asks for all current medication incl. supplements. "
       "What does my record say I'm taking at the moment?"])
def _(p):
    ms = [(ref, r) for ref, r in by_type(p, 'MedicationStatement') if r.get('status') == 'active']
    return G(refs(ms), [], 'all',
             note='active MedicationStatements: anastrozole 1 mg (Medication via medicationReference, since 2015-03) '
                  'and black cohosh extract herbal supplement (since 2016-01)')

@case(1, 5, 'Josue_Sipes', 'still_on',
      ["Back in 2019 when I had the stroke they started me on clopidogrel (the blood thinner, plavix?). My wife "
       "thinks I should still be taking it, I think they stopped it at some point. I've got a box left in the "
       "cupboard. Am I still meant to be on it according to my records or was it stopped?"])
def _(p):
    m = medreq(p, '309362')
    r = m[0][1]
    return G(refs(m), [d10(r['authoredOn'])], 'all',
             note=f"MedicationRequest clopidogrel 75 mg status={r['status']} authoredOn {d10(r['authoredOn'])}: stopped, not current")

@case(1, 6, 'Emery_Purdy', 'ever_had',
      ["have i ever actually had a colonoscopy?? my brother just got told he has polyps and the gp said i "
       "should check if ive been scoped. i honestly cant remember, was a rough few years"])
def _(p):
    pr = proc(p, '73761001')
    return G(refs(pr), [d10(cdate(pr[0][1]))], 'all',
             note=f'Procedure SNOMED 73761001 Colonoscopy: yes, {len(pr)} on {d10(cdate(pr[0][1]))}')

@case(1, 7, 'Fidel_Bins', 'last_visit',
      ["when was my last appointment and what was it for"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter by period.start: {d10(cdate(r))}, {r['type'][0]['coding'][0]['display']}")

@case(1, 8, 'AT_ELGA_GmbH_01', 'meaning',
      ["I got my lab results from the hospital in Austria (Dec 2016) and everything is in German. There's a "
       "line 'Ferritin 724' with two little arrows next to it. Is that bad? What is it supposed to be?"])
def _(p):
    o = obs(p, '2276-4')
    r = o[0][1]
    rr = r['referenceRange'][0]
    return G(refs(o), [rs(val(r)), rs(rr['low']['value']), rs(rr['high']['value'])], 'all',
             note=f"Observation (no id, fullUrl) LOINC 2276-4 Ferritin {val(r)} ug/L, referenceRange "
                  f"{rr['low']['value']}-{rr['high']['value']}, interpretation HH (well above range), 2016-12-01")

@case(1, 9, 'Liz_Conn', 'not_found',
      ["what was my last a1c? the 3 month sugar one"])
def _(p):
    assert not obs(p, '4548-4') and not obs(p, '17856-6')
    return NF('no HbA1c Observation (LOINC 4548-4 / 17856-6) in the record; no glucose tests at all')

@case(1, 10, 'Renea_Quigley', 'followup',
      ["whats my most recent a1c", "ok and the one before that?"])
def _(p):
    o = obs(p, '4548-4')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'HbA1c LOINC 4548-4 by date: latest {d10(cdate(o[-1][1]))} {val(o[-1][1])}; the one before = '
                  f'{d10(cdate(prev[1]))} {val(prev[1])} (same value, the date is decisive)')

# ================================================================ batch 2
@case(2, 11, 'AT_ELGA_GmbH_01', 'latest',
      ["what was my blood pressure the last time it was measured? i moved from Austria and the new GP wants "
       "my old readings"])
def _(p):
    sys_ = latest_obs(p, '8480-6'); dia = latest_obs(p, '8462-4')
    day = d10(cdate(sys_[-1][1]))
    vals = [rs(val(r)) for _, r in sys_ + dia]
    return G(refs(sys_) + refs(dia), vals + [day], 'all',
             note=f'systolic (8480-6) and diastolic (8462-4) are separate Observations without id; two readings at the '
                  f'same time {day} 08:30: ' + ', '.join(f'{val(a[1])}/{val(b[1])}' for a, b in zip(sys_, dia)) +
                  ' -> both readings are gold')

@case(2, 12, 'Martina_Murazik', 'previous',
      ["My mum (she has COPD and now the heart failure on top) does a breathing test every year at her check-up. "
       "This year's result looked worse to her and she's fretting. She wants to compare it to the one before - "
       "what was her breathing test score the previous time? She says it's the FEV1/FVC number."])
def _(p):
    o = obs(p, '19926-5')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'FEV1/FVC LOINC 19926-5 by date: latest {d10(cdate(o[-1][1]))} {val(o[-1][1])}; previous '
                  f'{d10(cdate(prev[1]))} {val(prev[1])}')

@case(2, 13, 'Vito_Feeney', 'count',
      ["How many times did my grandfather see the doctors in 1978? Mum says he was practically living at the "
       "clinic that year."])
def _(p):
    e = [(ref, r) for ref, r in by_type(p, 'Encounter') if cdate(r).startswith('1978')]
    e.sort(key=lambda x: cdate(x[1]))
    return G(refs(e), [str(len(e))], 'any',
             note=f'count of Encounters with period.start in 1978: {len(e)} (check-ups and outpatient procedures)')

@case(2, 14, 'US_MEDITECH_ips_2', 'list',
      ["im going in for a small procedure next week, what allergies do you have on file for me? want to make "
       "sure theyre right"])
def _(p):
    a = by_type(p, 'AllergyIntolerance')
    return G(refs(a), [], 'all',
             note='2 AllergyIntolerance: ampicillin and penicillin G, both active, confirmed, high criticality, hives')

@case(2, 15, 'Emery_Purdy', 'still_on',
      ["Quick one - am I still supposed to be on the water pill for blood pressure (hydrochlorothiazide)? "
       "Ran out and wasn't sure if they'd taken me off it"])
def _(p):
    m = medreq(p, '316049')
    r = m[0][1]
    return G(refs(m), [d10(r['authoredOn'])], 'all',
             note=f"MedicationRequest hydrochlorothiazide 25 mg status={r['status']} since {d10(r['authoredOn'])}: still active")

@case(2, 16, 'Annmarie_Doyle', 'ever_had',
      ["My mother is 86 and her friend at church just got shingles, very painful apparently. Has Mum ever had "
       "the shingles vaccine? I know she gets her flu jab every year but I'm not sure about that one."])
def _(p):
    z = [x for x in imms(p) if any(c in codes(x[1]['vaccineCode']) for c in ('121', '187', '188'))]
    assert not z
    return NF('no zoster Immunization (CVX 121/187/188) in the record; only seasonal influenza (10) and Td (1)')

@case(2, 17, 'Lupe_Little', 'last_visit',
      ["when did i last see someone at the practice? what was it about"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']}, reason "
                  f"{r['reasonCode'][0]['coding'][0]['display']}")

@case(2, 18, 'IPS_IG-bundle-01', 'meaning',
      ["there's an A1c result on my summary from November 2017. is it ok or is it high? I'm not diabetic as far "
       "as I know so not sure why they even checked"])
def _(p):
    o = obs(p, '17856-6')
    r = o[0][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f"Observation LOINC 17856-6 HbA1c {val(r)} % on {d10(cdate(r))}; no referenceRange; note: "
                  f"'{r['note'][0]['text']}'")

@case(2, 19, 'Luigi_Wiegand', 'not_found',
      ["does my son have any allergies written down on his file? starting him on solids and my mum is "
       "convinced he's allergic to something"])
def _(p):
    assert not by_type(p, 'AllergyIntolerance')
    return NF('no AllergyIntolerance resource in the record (nothing recorded, which is not the same as "no allergies")')

@case(2, 20, 'Josue_Sipes', 'followup',
      ["when did I last get a flu shot?", "right. and how many have I had in total then, according to you lot?"])
def _(p):
    o = imms(p, '140')
    return G(refs(o), [str(len(o))], 'any',
             note=f'Immunization CVX 140: last {d10(cdate(o[-1][1]))}; total {len(o)}')

# ================================================================ batch 3
@case(3, 21, 'Laurie_McCullough', 'latest',
      ["I was diagnosed with high blood pressure a few years ago and then I got pregnant, had a termination, "
       "and honestly I kind of stopped going to check-ups. I was in last year with a sore throat but I don't "
       "think they did much. I've bought a home monitor and it says 150/98 which seems high?? What was my "
       "blood pressure the last time the clinic actually measured it, so I can compare?"])
def _(p):
    o = latest_obs(p, '55284-4')
    r = o[-1][1]
    s, d = comp(r, '8480-6'), comp(r, '8462-4')
    return G(refs(o), [rs(s), d10(cdate(r))], 'all',
             note=f'latest Observation 55284-4 (BP panel, components 8480-6/8462-4) is {d10(cdate(r))}: {s:.1f}/{d:.1f} '
                  f'mmHg; the later 2020-11-25 sore-throat visit has no BP. Diastolic not in gold_values (101.6 is '
                  f'not rounding-robust)')

@case(3, 22, 'Renea_Quigley', 'value_in_year',
      ["what was my cholesterol in 2016"])
def _(p):
    o = [x for x in obs(p, '2093-3') if cdate(x[1]).startswith('2016')]
    r = o[0][1]
    return G(refs(o), [rs(val(r))], 'all',
             note=f'total cholesterol LOINC 2093-3 in 2016: one result {val(r)} mg/dL on {d10(cdate(r))}')

@case(3, 23, 'AT_ELGA_GmbH_01', 'count',
      ["how many tick vaccine shots (FSME) have i had? going hiking in the alps this summer and want to know "
       "if i need a booster"])
def _(p):
    im = sorted(by_type(p, 'Immunization'), key=lambda x: cdate(x[1]))
    im = [x for x in im if 'J07BA01' in codes(x[1]['vaccineCode'])]
    return G(refs(im), [str(len(im))], 'any',
             note=f'Immunizations ATC J07BA01 (TBE/FSME, Encepur) without id: {len(im)} doses on ' +
                  ', '.join(d10(cdate(r)) for _, r in im) + ' (last 2017-09-17)')

@case(3, 24, 'Martina_Murazik', 'list',
      ["Hello, I'm Martina's daughter and I've taken over sorting her pill box since she came out of hospital "
       "with the heart failure. Her handwriting list is a mess. Could you tell me which medicines she is "
       "currently prescribed according to her record? I want to make sure nothing's been missed or doubled up."])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if r['status'] == 'active']
    return G(refs(m), [], 'all',
             note='active MedicationRequests: ferrous sulfate 325 mg, fluticasone/salmeterol inhaler, metoprolol '
                  'succinate 100 mg ER, Lasix (furosemide) 40 mg')

@case(3, 25, 'US_MEDITECH_ips_2', 'still_on',
      ["am i still meant to be taking the tylenol 500 they prescribed me? it's on my old med list"])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if r['medicationReference']['reference'].endswith('1e43f105-7f22-5206-835f-33b4033603eb')]
    r = m[0][1]
    end = r['dispenseRequest']['validityPeriod']['end']
    return G(refs(m), [end], 'all',
             note=f"MedicationRequest acetaminophen 500 mg status={r['status']} ({r['statusReason']['text']}), "
                  f"2015-06-22 to {end}: stopped")

@case(3, 26, 'Josue_Sipes', 'ever_had',
      ["my sister in law ended up in hospital with pneumonia and she said with my lungs (COPD) I should have "
       "had the pneumonia jab. have I had it?"])
def _(p):
    z = [x for x in imms(p) if any(c in codes(x[1]['vaccineCode']) for c in ('133', '33', '152', '215', '216'))]
    return G(refs(z), [d10(cdate(r)) for _, r in z], 'all',
             note='pneumococcal Immunization: PCV13 (CVX 133) once on ' + ', '.join(d10(cdate(r)) for _, r in z))

@case(3, 27, 'Martina_Murazik', 'last_visit',
      ["what was my last visit and what was it for? my memory isnt great these days"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: class {r['class']['code']} (emergency), type "
                  f"'{r['type'][0]['text']}', no reason coded; labs (metabolic and liver panels) taken that day")

@case(3, 28, 'Renea_Quigley', 'meaning',
      ["The nurse rang and said my potassium was 'a bit on the high side' on the last bloods and to cut down "
       "on bananas lol. I've got kidney disease stage 1 and diabetes so I do worry. What was the actual number "
       "and is it really high or is it fine?"])
def _(p):
    o = latest_obs(p, '6298-4')
    return G(refs(o), [rs(val(r)) for _, r in o] + [d10(cdate(o[0][1]))], 'all',
             note=f'latest potassium LOINC 6298-4: two results on {d10(cdate(o[0][1]))}: ' +
                  ', '.join(str(val(r)) for _, r in o) + ' mmol/L; no referenceRange recorded in the record')

@case(3, 29, 'US_MEDITECH_ips_2', 'not_found',
      ["what was my cholesterol last time they checked"])
def _(p):
    assert not by_type(p, 'Observation')
    return NF('no Observation resources at all in this export; no cholesterol result')

@case(3, 30, 'Vito_Feeney', 'followup',
      ["My grandad's death certificate is hard to read. What does his record say he died of?",
       "and when did they first pick that up?"])
def _(p):
    c = [(ref, r) for ref, r in by_type(p, 'Condition') if codes(r['code'])[0] in ('126906006', '314994000')]
    return G(refs(c), [d10(c[0][1]['onsetDateTime'])], 'any',
             note='cause of death Observation 69453-9 = Neoplasm of prostate (1979-11-12); Conditions Neoplasm of '
                  'prostate and Metastasis from prostate tumour both with onset 1977-11-07')

# ================================================================ batch 4
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

@case(4, 31, LIS, 'latest',
      ["My daughter had covid back in 2020 and was really poorly, they put a mask on her in the clinic. Her "
       "asthma nurse now wants to know what her oxygen level was back then. What's the most recent oxygen "
       "reading on her record?"])
def _(p):
    o = latest_obs(p, '59408-5')
    r = o[-1][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'only/latest Observation LOINC 59408-5 (SpO2 pulse oximetry) {val(r)} % on {d10(cdate(r))}')

@case(4, 32, 'Daisey_Johns', 'previous',
      ["school sent home a letter saying daisy's BMI is 'low for her age' and I'm a bit upset tbh, she eats loads. "
       "what was her BMI at the check up before her last one? want to see if it's dropping"])
def _(p):
    o = obs(p, '39156-5')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'BMI LOINC 39156-5 by date: latest {d10(cdate(o[-1][1]))} {val(o[-1][1]):.2f}; previous '
                  f'{d10(cdate(prev[1]))} {val(prev[1]):.2f} kg/m2')

@case(4, 33, 'Liz_Conn', 'count',
      ["How many flu vaccines have I had in total? Work is doing a flu clinic and the form asks lol"])
def _(p):
    o = imms(p, '140')
    return G(refs(o), [str(len(o))], 'any',
             note=f'Immunization CVX 140 count: {len(o)} (' + ', '.join(d10(cdate(r)) for _, r in o) + '); Td not counted')

@case(4, 34, 'Fidel_Bins', 'list',
      ["Starting a new job in a bakery (yes I know, with my asthma...) and occupational health want a list of "
       "all my allergies. I know about the nuts and the pollen but I think there are more on my file. Can you "
       "give me the full list?"])
def _(p):
    a = [(ref, r) for ref, r in by_type(p, 'AllergyIntolerance') if r['clinicalStatus']['coding'][0]['code'] == 'active']
    return G(refs(a), [str(len(a))], 'all',
             note=f'{len(a)} active AllergyIntolerance: latex, mould, house dust mite, animal dander, grass pollen, '
                  f'tree pollen, nut (all recorded 1977-11-01)')

@case(4, 35, 'Laurie_McCullough', 'still_on',
      ["am i still on the mini pill? jolivette i think it was called. need to know before i start a new one"])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if 'jolivette' in r['medicationCodeableConcept']['text'].lower()]
    r = m[0][1]
    return G(refs(m), [d10(r['authoredOn'])], 'all',
             note=f"MedicationRequest Jolivette 28 Day Pack status={r['status']}, authoredOn {d10(r['authoredOn'])}: stopped")

@case(4, 36, 'IPS_IG-bundle-01', 'ever_had',
      ["Has cancer ever been recorded for me? I'm filling in a travel insurance questionnaire and they ask about "
       "any history of cancer, ever"])
def _(p):
    c = [(ref, r) for ref, r in by_type(p, 'Condition') if '254837009' in codes(r['code'])]
    r = c[0][1]
    return G(refs(c), [r['onsetDateTime'][:4]], 'all',
             note=f"Condition SNOMED 254837009 malignant tumour of breast (infiltrating duct carcinoma, stage II), "
                  f"clinicalStatus {r['clinicalStatus']['coding'][0]['code']}, onset {r['onsetDateTime']}, abatement "
                  f"{r['abatementDateTime']}; still on anastrozole")

@case(4, 37, 'Luigi_Wiegand', 'last_visit',
      ["when was Luigi's last baby check? cant find the red book anywhere"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']} (well-baby check-up)")

@case(4, 38, LIS, 'meaning',
      ["looking at my daughter's covid visit from feb 2020 - her temperature was written down as 41 point "
       "something?? is that right, is that normal for a fever or is it a typo"])
def _(p):
    o = obs(p, '8331-1')
    r = o[-1][1]
    return G(refs(o), [rs(val(r), dec=1), d10(cdate(r))], 'all',
             note=f'Observation LOINC 8331-1 oral temperature {val(r)} Cel on {d10(cdate(r))}; no referenceRange; '
                  f'well above normal (~37), a very high fever')

@case(4, 39, 'Lupe_Little', 'not_found',
      ["With my prediabetes, did they ever start me on metformin? I have a vague memory of a doctor mentioning it"])
def _(p):
    assert not by_type(p, 'MedicationRequest') and not by_type(p, 'MedicationStatement')
    return NF('no MedicationRequest/MedicationStatement at all in the record; metformin never recorded')

@case(4, 40, 'Annmarie_Doyle', 'followup',
      ["when did my mum last have her cholesterol checked?", "what was the number?", "and the time before that?"])
def _(p):
    o = obs(p, '2093-3')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'total cholesterol LOINC 2093-3: latest {d10(cdate(o[-1][1]))} {val(o[-1][1]):.1f}; the time '
                  f'before = {d10(cdate(prev[1]))} {val(prev[1]):.2f} mg/dL')

# ================================================================ MAIN
def build(batch=None):
    rows = []
    for b, meta, fn in CASES:
        if batch is not None and b != batch:
            continue
        row = dict(meta)
        row.update(fn(meta['patient']))
        rows.append((b, row))
    return rows

def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--write':
        n = int(sys.argv[2])
        fn = os.path.join(OUT, f'{LANG}-{n:02d}.jsonl')
        if os.path.exists(fn):
            sys.exit(f'{fn} exists; saved files are final')
        rows = build(n)
        assert 0 < len(rows) <= 10
        with open(fn, 'w', encoding='utf-8') as f:
            for _, row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + '\n')
        print('wrote', fn, len(rows))
        return
    # check mode: recompute gold and compare with the saved files
    saved = {}
    for fn in sorted(glob.glob(os.path.join(OUT, f'{LANG}-*.jsonl'))):
        for line in open(fn, encoding='utf-8'):
            r = json.loads(line)
            saved[r['id']] = r
    bad = 0
    for _, row in build():
        s = saved.get(row['id'])
        if s is None:
            print('not saved yet:', row['id']); continue
        for k in ('patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
            if s.get(k) != row.get(k):
                bad += 1; print('DIFF', row['id'], k, s.get(k), '!=', row.get(k))
    print(f'{len(saved)} saved cases checked, {bad} differences')
    print(json.dumps([r for _, r in build()], ensure_ascii=False, indent=1) if '--print' in sys.argv else '')

if __name__ == '__main__':
    main()
