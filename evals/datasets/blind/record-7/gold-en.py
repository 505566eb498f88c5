#!/usr/bin/env python3
"""Gold generator for blind record set rb7-en (English).
Usage:
  python3 gold-en.py            # print every case with recomputed gold fields
  python3 gold-en.py --check    # compare recomputed gold fields with en-*.jsonl on disk
  python3 gold-en.py --write N  # write en-0N.jsonl (cases of batch N) if it does not exist yet
Standard library only. Gold is computed from the record files, never typed in.
Rounding of long Synthea floats: the gold string is the value rounded to 1 decimal place
(the raw value is always given in the note, so a grader can apply a tolerance)."""
import json, glob, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
_cache = {}

def bundle(key):
    if key not in _cache:
        fs = sorted(glob.glob(f'{DATA}/synthea/{key}_*.json')) or [f'{DATA}/realworld/{key}.json']
        _cache[key] = json.load(open(fs[0]))
    return _cache[key]

def entries(key, rtype=None):
    for e in bundle(key)['entry']:
        r = e['resource']
        if rtype is None or r['resourceType'] == rtype:
            yield e

def ref(e):
    r = e['resource']
    if r.get('id'):
        return f"{r['resourceType']}/{r['id']}"
    return e['fullUrl']

def cdate(r):
    """clinical date of a resource (string, may be partial)"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate', 'issued', 'date'):
        if k in r:
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period', 'effectivePeriod'):
        if k in r and r[k].get('start'):
            return r[k]['start']
    return ''

def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}

def obs(key, code):
    """Observations with LOINC code, sorted by clinical date"""
    out = [e for e in entries(key, 'Observation') if code in codes(e['resource'].get('code'))]
    return sorted(out, key=lambda e: cdate(e['resource']))

def comp_obs(key, panel, comp):
    """(entry, value) for component `comp` inside panel Observations `panel`, sorted"""
    out = []
    for e in obs(key, panel):
        for c in e['resource'].get('component', []):
            if comp in codes(c.get('code')):
                out.append((e, c['valueQuantity']['value']))
    return out

def qv(e):
    return e['resource']['valueQuantity']['value']

def d10(r):
    return cdate(r)[:10]

def r1(x):
    return f"{x:.1f}"

def r0(x):
    return str(int(round(x)))

def latest_group(lst):
    """all items sharing the latest clinical date (to the day)"""
    if not lst:
        return []
    last = d10(lst[-1]['resource'])
    return [e for e in lst if d10(e['resource']) == last]

def gold(refs, values, match='all', nf=False, note=''):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}

CASES = []  # (batch, dict-without-gold, goldfunc)

def case(batch, cid, patient, kind, turns):
    def deco(fn):
        CASES.append((batch, {'id': f'rb7-en-{cid:03d}', 'lang': 'en', 'patient': patient,
                              'kind': kind, 'turns': turns}, fn))
        return fn
    return deco

# ---------------------------------------------------------------- batch 1
@case(1, 1, 'Liz_Conn', 'latest',
      ["hi, my nurse said at my last physical they did a kidney function blood test. what was the number? i never got the letter lol"])
def _():
    lst = obs('Liz_Conn', '33914-3')  # eGFR
    g = latest_group(lst)
    v = qv(g[-1])
    return gold([ref(e) for e in g], [d10(g[-1]['resource']), r1(v)],
                note=f"latest Observation LOINC 33914-3 (eGFR) by effectiveDateTime = {v} mL/min/1.73m2 on "
                     f"{d10(g[-1]['resource'])}; value rounded to 1 dp; {len(lst)} eGFR results in total")

@case(1, 2, 'Liz_Conn', 'still_on',
      ["Am I still supposed to be on the water tablet for my blood pressure? Hydrochlorothiazide I think it's called. Or did someone stop it, I honestly can't remember"])
def _():
    es = [e for e in entries('Liz_Conn', 'MedicationRequest') if '316049' in codes(e['resource'].get('medicationCodeableConcept'))]
    e = es[-1]; r = e['resource']
    return gold([ref(e)], [d10(r)],
                note=f"MedicationRequest hydrochlorothiazide 25 MG (RxNorm 316049) status={r['status']}, authoredOn {d10(r)}; "
                     f"no later stop -> still on it (active since that date)")

@case(1, 3, 'Annmarie_Doyle', 'count',
      ["My mum (Annmarie) keeps asking how many flu jabs she's actually had with the practice, she's convinced she skipped some years. Can you count them for her?"])
def _():
    es = sorted([e for e in entries('Annmarie_Doyle', 'Immunization') if '140' in codes(e['resource']['vaccineCode'])],
                key=lambda e: cdate(e['resource']))
    ds = [d10(e['resource']) for e in es]
    return gold([ref(e) for e in es], [str(len(es))], match='any',
                note=f"count of Immunization CVX 140 (seasonal influenza) in whole record = {len(es)}: {', '.join(ds)}")

@case(1, 4, 'Annmarie_Doyle', 'ever_had',
      ["has she ever had the shingles vaccine? her friend got shingles really bad and now she's worried"])
def _():
    zos = [e for e in entries('Annmarie_Doyle', 'Immunization')
           if codes(e['resource']['vaccineCode']) & {'121', '187', '188'} or
           'zoster' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert not zos
    return gold([], [], match='any', nf=True,
                note="no Immunization with CVX 121/187/188 or 'zoster' in record -> honest no / not in record")

@case(1, 5, 'Luigi_Wiegand', 'count',
      ["Quick one - how many DTaP shots has my son had so far? Daycare form wants dates and I've lost his red book"])
def _():
    es = sorted([e for e in entries('Luigi_Wiegand', 'Immunization') if '20' in codes(e['resource']['vaccineCode'])],
                key=lambda e: cdate(e['resource']))
    ds = [d10(e['resource']) for e in es]
    return gold([ref(e) for e in es], [str(len(es))] + ds, match='all',
                note=f"Immunization CVX 20 (DTaP) count = {len(es)}, dates {ds}")

@case(1, 6, 'Luigi_Wiegand', 'latest',
      ["what did luigi weigh at his last checkup? hes been feeding loads more and i wanna see if hes going up 🍼"])
def _():
    g = latest_group(obs('Luigi_Wiegand', '29463-7'))
    v = qv(g[-1])
    return gold([ref(e) for e in g], [d10(g[-1]['resource']), r1(v)],
                note=f"latest Observation LOINC 29463-7 body weight = {v} kg on {d10(g[-1]['resource'])}; 1 dp")

@case(1, 7, 'Lupe_Little', 'followup',
      ["What was my last A1c? The diabetes-ish blood test",
       "and the one before that one?"])
def _():
    lst = obs('Lupe_Little', '4548-4')
    prev = lst[-2]; v = qv(prev)
    return gold([ref(prev)], [d10(prev['resource']), r1(v)],
                note=f"second-to-latest HbA1c (LOINC 4548-4) = {v} % on {d10(prev['resource'])} "
                     f"(latest is {qv(lst[-1])} on {d10(lst[-1]['resource'])}); 1 dp")

@case(1, 8, 'Annmarie_Doyle', 'last_visit',
      ["When was my mother last seen at the surgery and what was it for? I'm trying to sort out her paperwork before she moves in with us. She's in her eighties and doesn't remember"])
def _():
    es = sorted(entries('Annmarie_Doyle', 'Encounter'), key=lambda e: cdate(e['resource']))
    e = es[-1]; r = e['resource']
    t = r['type'][0]['coding'][0]['display']
    return gold([ref(e)], [d10(r)],
                note=f"latest Encounter by period.start = {d10(r)}, type '{t}' (annual check-up; flu vaccine that day)")

@case(1, 9, 'Liz_Conn', 'list',
      ["What health problems do you have listed for me? Want to make sure it's right before I fill in a life insurance thing"])
def _():
    es = [e for e in entries('Liz_Conn', 'Condition')]
    ds = [(e['resource']['code']['coding'][0]['display'], e['resource']['clinicalStatus']['coding'][0]['code']) for e in es]
    return gold([ref(e) for e in es], [],
                note=f"all Conditions in record: {ds}; onset {d10(es[0]['resource'])}")

@case(1, 10, 'Lupe_Little', 'not_found',
      ["did they ever check my thyroid? i've been so tired and cold all the time, wondering if it was ever tested"])
def _():
    hits = [e for e in entries('Lupe_Little', 'Observation')
            if codes(e['resource']['code']) & {'3016-3', '11580-8', '3024-7', '3051-0', '3053-6'}
            or 'thyro' in json.dumps(e['resource']['code']).lower()]
    assert not hits
    return gold([], [], match='any', nf=True,
                note="no TSH/T4/T3 or thyroid Observation (LOINC 3016-3/11580-8/3024-7/3051-0) in record -> not found")

# ---------------------------------------------------------------- batch 2
def _ips_allergies(key):
    out = []
    for e in entries(key, 'AllergyIntolerance'):
        txt = json.dumps(e['resource']['code']).lower()
        if 'no known' in txt or codes(e['resource']['code']) & {'429625007', '716186003', '409137002'}:
            continue  # negation entries are not allergies
        out.append(e)
    return out

@case(2, 11, 'IPS_IG-bundle-01', 'list',
      ["Before my op next month the anaesthetist wants a list of my allergies. What have you got on file for me?"])
def _():
    al = _ips_allergies('IPS_IG-bundle-01')
    names = [e['resource']['code']['coding'][0]['display'] for e in al]
    return gold([ref(e) for e in al], [],
                note=f"AllergyIntolerance entries excluding the negation 'No known food allergy' (SNOMED 429625007): {names}; "
                     f"onset {al[0]['resource'].get('onsetDateTime')}, criticality high")

@case(2, 12, 'IPS_IG-bundle-01', 'meaning',
      ["I had a HbA1c done a while back, the diabetes blood test. Was it ok or was it high?? nobody ever rang me about it"])
def _():
    es = [e for e in entries('IPS_IG-bundle-01', 'Observation') if codes(e['resource']['code']) & {'17856-6', '4548-4'}]
    es.sort(key=lambda e: cdate(e['resource']))
    r = es[-1]['resource']
    v = r['valueQuantity']['value']
    nt = '; '.join(n['text'] for n in r.get('note', []))
    return gold([ref(es[-1])], [str(v)],
                note=f"Observation LOINC 17856-6 HbA1c = {v} % on {d10(r)}; no referenceRange; note says '{nt}' "
                     f"-> above the stated goal")

@case(2, 13, 'AT_ELGA_GmbH_01', 'latest',
      ["what was my blood pressure the last time it was taken? I'm seeing a new GP here and they asked"])
def _():
    key = 'AT_ELGA_GmbH_01'
    bp = [e for e in entries(key, 'Observation') if codes(e['resource']['code']) & {'8480-6', '8462-4'}]
    bp.sort(key=lambda e: cdate(e['resource']))
    g = latest_group(bp)
    vals = []
    for e in g:
        v = str(e['resource']['valueQuantity']['value'])
        if v not in vals:
            vals.append(v)
    desc = [(cdate(e['resource']), e['resource']['code']['coding'][0]['code'], e['resource']['valueQuantity']['value']) for e in g]
    return gold([ref(e) for e in g], vals,
                note=f"systolic (8480-6) and diastolic (8462-4) are separate Observations without id (refs = fullUrl); "
                     f"latest day {d10(g[0]['resource'])} has two readings at the same time 08:30 "
                     f"(one via effectivePeriod.start, one via effectiveDateTime): {desc} -> both readings are gold")

@case(2, 14, 'AT_ELGA_GmbH_01', 'meaning',
      ["My blood results from December 2016 say ferritin with two exclamation marks next to it. What does that mean, was it bad?"])
def _():
    es = [e for e in entries('AT_ELGA_GmbH_01', 'Observation') if '2276-4' in codes(e['resource']['code'])]
    e = es[-1]; r = e['resource']
    rr = r['referenceRange'][0]
    v = r['valueQuantity']['value']
    interp = r['interpretation'][0]['coding'][0]['code']
    fmt = lambda x: str(int(x)) if float(x).is_integer() else str(x)
    return gold([ref(e)], [fmt(v), fmt(rr['low']['value']), fmt(rr['high']['value'])],
                note=f"ferritin (LOINC 2276-4) = {v} ug/L on {d10(r)}, reference range {rr['low']['value']}-{rr['high']['value']} ug/L, "
                     f"interpretation {interp} (critical high); ref is the entry fullUrl (no id)")

@case(2, 15, 'US_MEDITECH_ips_2', 'ever_had',
      ["Have I ever had a flu shot? My work is asking for proof"])
def _():
    es = [e for e in entries('US_MEDITECH_ips_2', 'Immunization')
          if 'influenza' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert len(es) == 1 and es[0]['resource']['status'] == 'not-done'
    r = es[0]['resource']
    return gold([ref(es[0])], [d10(r)],
                note=f"only influenza Immunization (CVX 166) has status not-done, statusReason '{r['statusReason']['text']}', "
                     f"{d10(r)} -> no flu vaccine given on record; it was declined that day")

@case(2, 16, 'US_MEDITECH_ips_2', 'still_on',
      ["am i still meant to be getting the aranesp injections (for my blood count, kidney thing) or did they stop those when i left hospital?"])
def _():
    key = 'US_MEDITECH_ips_2'
    meds = {e['resource']['id']: e['resource'] for e in entries(key, 'Medication')}
    hits = []
    for e in entries(key, 'MedicationRequest'):
        mid = e['resource']['medicationReference']['reference'].split('/')[-1]
        if 'darbepoetin' in json.dumps(meds.get(mid, {})).lower():
            hits.append(e)
    # MedicationStatement known only by NDC 55513-0032-01 (Aranesp, Amgen labeler 55513) with the same dose/start
    for e in entries(key, 'MedicationStatement'):
        if '55513003201' in codes(e['resource'].get('medicationCodeableConcept')):
            hits.append(e)
    sts = [(h['resource']['resourceType'], h['resource']['status'], d10(h['resource'])) for h in hits]
    return gold([ref(h) for h in hits], ['2020-11-16'], match='any',
                note=f"darbepoetin alfa (Aranesp): {sts}; both active, no end -> still on it since 2020-11-16 "
                     f"(MedicationRequest authoredOn / MedicationStatement effectivePeriod.start)")

@case(2, 17, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning',
      ["My daughter had a covid swab back when she was really poorly with the fever and breathing. What did it actually show? Was it positive?"])
def _():
    key = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    es = [e for e in entries(key, 'Observation') if '94531-1' in codes(e['resource']['code'])
          and 'valueCodeableConcept' in e['resource']]
    assert len(es) == 1
    r = es[0]['resource']
    return gold([ref(es[0])], [d10(r)],
                note=f"SARS-CoV-2 RNA (LOINC 94531-1) valueCodeableConcept '{r['valueCodeableConcept']['coding'][0]['display']}' on "
                     f"{d10(r)}; the twin Observation with valueString '{{entry.value}}' is a template placeholder, not a result; "
                     f"no reference range")

@case(2, 18, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found',
      ["school nurse needs Lisandra's vaccination history, can you pull up which jabs she's had and when?"])
def _():
    key = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    assert not list(entries(key, 'Immunization'))
    return gold([], [], match='any', nf=True,
                note="no Immunization resources at all in this record -> vaccination history not in the record")

@case(2, 19, 'Daisey_Johns', 'list',
      ["My little girl is starting a new nursery and they want a list of everything she's allergic to. She had the allergy testing when she was a baby. Can you list them all for me?"])
def _():
    al = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')]
    names = [(e['resource']['code']['coding'][0]['display'], e['resource']['clinicalStatus']['coding'][0]['code']) for e in al]
    return gold([ref(e) for e in al], [],
                note=f"all {len(al)} AllergyIntolerance entries (all active, recorded {d10(al[0]['resource'])}): {names}")

@case(2, 20, 'Daisey_Johns', 'not_found',
      ["has daisey ever been tested for coeliac? her tummy's been bad for weeks and my sister's kid has it"])
def _():
    hits = [e for e in entries('Daisey_Johns')
            if e['resource']['resourceType'] in ('Observation', 'Procedure', 'DiagnosticReport', 'Condition')
            and any(w in json.dumps(e['resource'].get('code', {})).lower() for w in ('gliadin', 'transglutaminase', 'celiac', 'coeliac', 'endomys'))]
    assert not hits
    return gold([], [], match='any', nf=True,
                note="no coeliac serology (tTG-IgA, EMA, DGP) or coeliac Condition/Procedure in record -> not found")

# ---------------------------------------------------------------- batch 3
def procs(key, code=None, word=None):
    out = []
    for e in entries(key, 'Procedure'):
        c = e['resource'].get('code', {})
        if (code and code in codes(c)) or (word and word in json.dumps(c).lower()):
            out.append(e)
    return sorted(out, key=lambda e: cdate(e['resource']))

def imms(key, cvx_set):
    return sorted([e for e in entries(key, 'Immunization') if codes(e['resource']['vaccineCode']) & set(cvx_set)],
                  key=lambda e: cdate(e['resource']))

def in_year(lst, year):
    return [e for e in lst if cdate(e['resource']).startswith(str(year))]

@case(3, 21, 'Emery_Purdy', 'ever_had',
      ["Have I ever actually had a colonoscopy? My sister just got diagnosed with bowel polyps and her doctor said I should get checked. I have a vague memory of a prep drink but it might have been a dream lol"])
def _():
    es = procs('Emery_Purdy', code='73761001')
    return gold([ref(e) for e in es], [d10(e['resource']) for e in es],
                note=f"Procedure SNOMED 73761001 colonoscopy: {[d10(e['resource']) for e in es]} -> yes")

@case(3, 22, 'Emery_Purdy', 'count',
      ["how many shingles shots did i get? pharmacist says its a 2 dose thing and wants to know if im done"])
def _():
    es = imms('Emery_Purdy', {'121', '187', '188'})
    ds = [d10(e['resource']) for e in es]
    return gold([ref(e) for e in es], [str(len(es))] + ds,
                note=f"Immunization zoster (CVX 121 zoster live; no 187/188 recombinant) count = {len(es)}: {ds}")

@case(3, 23, 'Emery_Purdy', 'value_in_year',
      ["What was my kidney function (the eGFR number) in 2019? Trying to compare with what the diabetes clinic told me this year."])
def _():
    es = in_year(obs('Emery_Purdy', '33914-3'), 2019)
    v = [qv(e) for e in es]
    return gold([ref(e) for e in es], [d10(es[0]['resource'])] + [r1(x) for x in v],
                note=f"Observation LOINC 33914-3 (eGFR) in 2019: {[(d10(e['resource']), qv(e)) for e in es]}; 1 dp")

@case(3, 24, 'Fidel_Bins', 'not_found',
      ["did i ever get the pneumonia vaccine? asthma nurse mentioned it but i can't remember if i had it done"])
def _():
    pneumo = {'33', '100', '109', '133', '152', '215', '216'}
    hits = [e for e in entries('Fidel_Bins', 'Immunization')
            if codes(e['resource']['vaccineCode']) & pneumo or 'pneumo' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert not hits
    return gold([], [], match='any', nf=True,
                note="no pneumococcal Immunization (CVX 33/100/109/133/152/215/216 or 'pneumo') in record -> not in record")

@case(3, 25, 'Fidel_Bins', 'followup',
      ["When was the last time I ended up in hospital with my asthma?",
       "ok. and how many asthma check-ups / reviews have I had with you altogether?"])
def _():
    es = sorted([e for e in entries('Fidel_Bins', 'Encounter') if '394701000' in codes(e['resource']['type'][0])],
                key=lambda e: cdate(e['resource']))
    ds = [d10(e['resource']) for e in es]
    return gold([ref(e) for e in es], [str(len(es))], match='any',
                note=f"turn 1: emergency hospital admission for asthma (SNOMED 183478001) on 2019-01-23; "
                     f"gold for last turn = count of Encounters type 394701000 'Asthma follow-up' = {len(es)}: {ds}")

@case(3, 26, 'Laurie_McCullough', 'still_on',
      ["Am I still down as being on the mini pill? Jolivette. I came off it ages ago but I want to check before my appointment"])
def _():
    es = [e for e in entries('Laurie_McCullough', 'MedicationRequest') if '757594' in codes(e['resource']['medicationCodeableConcept'])]
    r = es[0]['resource']
    return gold([ref(es[0])], [d10(r)],
                note=f"MedicationRequest Jolivette (RxNorm 757594) status={r['status']}, authoredOn {d10(r)}, no end date recorded "
                     f"-> stopped (prescribed {d10(r)})")

@case(3, 27, 'Laurie_McCullough', 'ever_had',
      ["I got a letter inviting me for cervical screening and it says I'm overdue. Have I ever had a smear test?"])
def _():
    words = ('papanicolaou', 'cervical', 'cytology', 'smear', 'hpv dna', 'human papilloma virus dna')
    hits = [e for e in entries('Laurie_McCullough')
            if e['resource']['resourceType'] in ('Observation', 'Procedure', 'DiagnosticReport')
            and any(w in json.dumps(e['resource'].get('code', {})).lower() for w in words)]
    assert not hits
    return gold([], [], match='any', nf=True,
                note="no cervical screening (Pap/cytology/HPV test) Procedure/Observation/DiagnosticReport in record -> honest no "
                     "(the HPV vaccines 2011/2012 are not screening)")

@case(3, 28, 'Martina_Murazik', 'latest',
      ["My mother had a heart scan last year for her heart failure, the cardiologist mentioned the ejection fraction. What was it? She's asking me and I wasn't there"])
def _():
    g = latest_group(obs('Martina_Murazik', '10230-1'))
    vals = [qv(e) for e in g]
    return gold([ref(e) for e in g], [d10(g[0]['resource'])] + [r1(x) for x in vals],
                note=f"LVEF (LOINC 10230-1): two results on the latest date {d10(g[0]['resource'])}: {vals} -> both gold; "
                     f"1 dp")

@case(3, 29, 'Martina_Murazik', 'value_in_year',
      ["what was my cholesterol in 2015?"])
def _():
    es = in_year(obs('Martina_Murazik', '2093-3'), 2015)
    return gold([ref(e) for e in es], [d10(es[0]['resource'])] + [r1(qv(e)) for e in es],
                note=f"Total cholesterol (LOINC 2093-3) in 2015: {[(d10(e['resource']), qv(e)) for e in es]} mg/dL; 1 dp")

@case(3, 30, 'Renea_Quigley', 'count',
      ["How many colonoscopies have I had with you guys? I feel like it's been loads and I'm dreading the next one"])
def _():
    es = procs('Renea_Quigley', code='73761001')
    ds = [d10(e['resource']) for e in es]
    return gold([ref(e) for e in es], [str(len(es))] + ds,
                note=f"Procedure SNOMED 73761001 colonoscopy count = {len(es)}: {ds}")

# ---------------------------------------------------------------- batch 4
def r2(x):
    return f"{x:.2f}"

@case(4, 31, 'Renea_Quigley', 'previous',
      ["The kidney clinic letter mentions my creatinine from March. What was it the time before that? I want to see if it's going up"])
def _():
    lst = obs('Renea_Quigley', '38483-4')
    last = d10(lst[-1]['resource'])
    earlier = [e for e in lst if d10(e['resource']) < last]
    g = latest_group(earlier)
    vals = [qv(e) for e in g]
    return gold([ref(e) for e in g], [d10(g[0]['resource'])] + [r2(v) for v in vals],
                note=f"creatinine (LOINC 38483-4): latest date {last} (2 results); the previous date is {d10(g[0]['resource'])} "
                     f"with two results {vals} mg/dL -> both gold; 2 dp")

@case(4, 32, 'Josue_Sipes', 'list',
      ["can you list all the medicines I'm currently supposed to be taking? doing one of those dosette boxes with my daughter and want to make sure nothing is missing"])
def _():
    es = [e for e in entries('Josue_Sipes', 'MedicationRequest') if e['resource']['status'] == 'active']
    es.sort(key=lambda e: cdate(e['resource']))
    names = [(e['resource']['medicationCodeableConcept']['coding'][0]['display'], d10(e['resource'])) for e in es]
    stopped = [e['resource']['medicationCodeableConcept']['coding'][0]['display'] for e in entries('Josue_Sipes', 'MedicationRequest')
               if e['resource']['status'] != 'active']
    return gold([ref(e) for e in es], [],
                note=f"MedicationRequest status=active: {names}; excluded (stopped): {stopped}")

@case(4, 33, 'Josue_Sipes', 'previous',
      ["my egfr kidney number from march looks low. what was it before that one?"])
def _():
    lst = obs('Josue_Sipes', '33914-3')
    last = d10(lst[-1]['resource'])
    latest = [(e['resource']['code']['coding'][0]['display'], qv(e)) for e in lst if d10(e['resource']) == last]
    earlier = [e for e in lst if d10(e['resource']) < last]
    g = latest_group(earlier)
    return gold([ref(e) for e in g], [d10(g[0]['resource'])] + [r1(qv(e)) for e in g],
                note=f"LOINC 33914-3: latest date {last} has {latest}; previous date {d10(g[0]['resource'])}: "
                     f"{[qv(e) for e in g]} mL/min/1.73m2; 1 dp")

@case(4, 34, 'Josue_Sipes', 'followup',
      ["whats my latest cholesterol?",
       "is that worse than before?",
       "how many times have they checked it altogether?"])
def _():
    lst = obs('Josue_Sipes', '2093-3')
    yrs = sorted({cdate(e['resource'])[:4] for e in lst})
    return gold([ref(e) for e in lst], [str(len(lst))], match='any',
                note=f"last turn: count of total cholesterol Observations (LOINC 2093-3) in whole record = {len(lst)} "
                     f"({yrs[0]}-{yrs[-1]}); context: latest date {d10(lst[-1]['resource'])} has two results "
                     f"{[qv(e) for e in latest_group(lst)]}")

@case(4, 35, 'Vito_Feeney', 'count',
      ["I'm going through my late father's medical records for my own doctor (family history, prostate). How many prostate biopsies did he have in total?"])
def _():
    es = procs('Vito_Feeney', code='65575008')
    ds = [d10(e['resource']) for e in es]
    cond = [d10(e['resource']) for e in entries('Vito_Feeney', 'Condition') if '126906006' in codes(e['resource']['code'])]
    return gold([ref(e) for e in es], [str(len(es))] + ds,
                note=f"Procedure SNOMED 65575008 biopsy of prostate count = {len(es)}: {ds}; neoplasm of prostate diagnosed {cond} "
                     f"(same day as the last biopsy)")

@case(4, 36, 'Vito_Feeney', 'latest',
      ["what was my late dad's last PSA level on file? he died in the late 70s, I'm his son and have access to his records"])
def _():
    g = latest_group(obs('Vito_Feeney', '2857-1'))
    return gold([ref(e) for e in g], [d10(g[0]['resource'])] + [r1(qv(e)) for e in g],
                note=f"latest PSA (LOINC 2857-1) = {[qv(e) for e in g]} ng/mL on {d10(g[0]['resource'])}; 1 dp")

@case(4, 37, 'IPS_IG-bundle-01', 'still_on',
      ["Is the anastrozole still listed as one of my current meds? I've been on it for years since the breast cancer and wondered if anyone updated it"])
def _():
    key = 'IPS_IG-bundle-01'
    meds = {e['fullUrl']: e['resource'] for e in entries(key, 'Medication')}
    es = [e for e in entries(key, 'MedicationStatement')
          if 'anastrozole' in json.dumps(meds[e['resource']['medicationReference']['reference']]).lower()]
    r = es[0]['resource']
    return gold([ref(e) for e in es], [r['effectivePeriod']['start']],
                note=f"MedicationStatement -> Medication anastrozole 1 mg (ATC L02BG03), status={r['status']}, "
                     f"effectivePeriod.start {r['effectivePeriod']['start']} (partial date), no end -> still on it")

@case(4, 38, 'Laurie_McCullough', 'last_visit',
      ["when was i last seen and what for? need it for a sick note thing"])
def _():
    es = sorted(entries('Laurie_McCullough', 'Encounter'), key=lambda e: cdate(e['resource']))
    e = es[-1]; r = e['resource']
    reason = r['reasonCode'][0]['coding'][0]['display'] if r.get('reasonCode') else None
    return gold([ref(e)], [d10(r)],
                note=f"latest Encounter {d10(r)}, type '{r['type'][0]['coding'][0]['display']}', reason '{reason}'")

@case(4, 39, 'Martina_Murazik', 'last_visit',
      ["My mum (Martina) - when was her most recent appointment with you and what did they do? She came home saying something about an x-ray but she gets confused"])
def _():
    es = sorted(entries('Martina_Murazik', 'Encounter'), key=lambda e: cdate(e['resource']))
    e = es[-1]; r = e['resource']
    pr = [p['resource']['code']['coding'][0]['display'] for p in entries('Martina_Murazik', 'Procedure')
          if d10(p['resource']) == d10(r)]
    return gold([ref(e)], [d10(r)],
                note=f"latest Encounter {d10(r)}, type '{r['type'][0]['coding'][0]['display']}'; procedures that day: {pr}; "
                     f"blood tests (metabolic + liver panel) same day")

@case(4, 40, 'AT_ELGA_GmbH_01', 'meaning',
      ["There's a measles antibody test in my results from 2016 with a number 0.07. I don't understand it - does that mean I'm protected against measles or not? There's an outbreak near us"])
def _():
    es = [e for e in entries('AT_ELGA_GmbH_01', 'Observation') if '7961-6' in codes(e['resource']['code'])]
    r = es[0]['resource']
    rr = r['referenceRange'][0]
    assert not [i for i in entries('AT_ELGA_GmbH_01', 'Immunization')
                if any(w in json.dumps(i['resource']).lower() for w in ('masern', 'measles', 'mmr', 'j07bd'))]
    return gold([ref(es[0])], [str(r['valueQuantity']['value']), str(rr['low']['value'])],
                note=f"measles IgG (LOINC 7961-6) = {r['valueQuantity']['value']} IU/mL on {d10(r)}, reference low "
                     f"{rr['low']['value']} IU/mL, interpretation {r['interpretation'][0]['coding'][0]['code']} (negative) "
                     f"-> below the protective threshold; no measles Immunization in record")

# ================================================================ main (keep last)
def build(batch=None):
    out = []
    for b, base, fn in CASES:
        if batch is None or b == batch:
            d = dict(base); d.update(fn()); out.append((b, d))
    return out

if __name__ == '__main__':
    if '--write' in sys.argv:
        n = int(sys.argv[sys.argv.index('--write') + 1])
        path = os.path.join(OUT, f'en-{n:02d}.jsonl')
        if os.path.exists(path):
            sys.exit(f'{path} exists (saved files are final)')
        rows = [d for _, d in build(n)]
        assert 0 < len(rows) <= 10
        with open(path, 'w', encoding='utf-8') as f:
            for d in rows:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        print('wrote', path, len(rows))
    elif '--check' in sys.argv:
        on_disk = {}
        for p in sorted(glob.glob(os.path.join(OUT, 'en-*.jsonl'))):
            for l in open(p, encoding='utf-8'):
                d = json.loads(l); on_disk[d['id']] = d
        bad = 0
        for _, d in build():
            o = on_disk.get(d['id'])
            if o is None:
                print('not on disk:', d['id']); continue
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
                if o[k] != d[k]:
                    bad += 1; print('MISMATCH', d['id'], k)
        print('checked', len(on_disk), 'cases on disk;', bad, 'mismatches')
    else:
        for _, d in build():
            print(json.dumps(d, ensure_ascii=False))
