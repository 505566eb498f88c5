#!/usr/bin/env python3
"""Gold computation for blind record set rb8-en (English).
Reads the FHIR bundles read-only (standard library only) and computes the gold fields of every case.
Usage:
  python3 gold-en.py            -> recompute gold for all cases and compare with the saved en-NN.jsonl files
  python3 gold-en.py --write N  -> write en-0N.jsonl (only if it does not exist yet)
  python3 gold-en.py --show ID  -> print the computed case
"""
import json, glob, os, sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
_cache = {}

def load(key):
    if key in _cache:
        return _cache[key]
    p = os.path.join(RW, key + '.json')
    if not os.path.exists(p):
        c = glob.glob(os.path.join(SYN, key + '_*.json'))
        assert len(c) == 1, key
        p = c[0]
    # keep numbers exactly as written in the file
    b = json.load(open(p, encoding='utf-8'), parse_float=Decimal)
    out = []
    for e in b['entry']:
        r = e['resource']
        ref = f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']
        out.append((ref, r))
    _cache[key] = out
    return out

def res(key, rtype):
    return [(ref, r) for ref, r in load(key) if r['resourceType'] == rtype]

def codes(cc):
    if not cc:
        return set()
    return {c.get('code') for c in cc.get('coding', []) if c.get('code')}

def text_of(cc):
    if not cc:
        return ''
    s = [cc.get('text') or '']
    s += [c.get('display') or '' for c in cc.get('coding', [])]
    return ' '.join(s).lower()

def cdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime', 'authoredOn',
              'recordedDate', 'issued'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if r.get(k) and r[k].get('start'):
            return r[k]['start']
    return ''

def day(s):
    return s[:10]

def num(x):
    return str(x)

def obs(key, code, component=False):
    """Observations with LOINC/other code; if component=True also look inside components.
    returns list of (ref, datetime, value-string, resource)"""
    out = []
    for ref, r in res(key, 'Observation'):
        if code in codes(r.get('code')) and 'valueQuantity' in r:
            out.append((ref, cdate(r), num(r['valueQuantity']['value']), r))
        elif code in codes(r.get('code')) and ('valueCodeableConcept' in r or 'valueString' in r):
            v = r.get('valueString') or text_of(r.get('valueCodeableConcept'))
            out.append((ref, cdate(r), v, r))
        elif component:
            for c in r.get('component', []):
                if code in codes(c.get('code')) and 'valueQuantity' in c:
                    out.append((ref, cdate(r), num(c['valueQuantity']['value']), r))
    out.sort(key=lambda x: x[1])
    return out

def latest_day(rows):
    d = max(day(x[1]) for x in rows)
    return [x for x in rows if day(x[1]) == d]

def uniq(seq):
    o = []
    for s in seq:
        if s not in o:
            o.append(s)
    return o

def G(refs, values, match='all', nf=False, note=''):
    return {'gold_refs': uniq(refs), 'match': match, 'gold_values': uniq(values), 'expect_not_found': nf, 'note': note}

def by_code(key, rtype, code, field='code'):
    return [(ref, r) for ref, r in res(key, rtype) if code in codes(r.get(field))]

def by_text(key, rtype, words, field='code'):
    return [(ref, r) for ref, r in res(key, rtype) if any(w in text_of(r.get(field)) for w in words)]

CASES = []
def case(file, cid, patient, kind, turns):
    def deco(fn):
        CASES.append({'file': file, 'id': cid, 'patient': patient, 'kind': kind, 'turns': turns, 'fn': fn})
        return fn
    return deco

IPS = 'IPS_IG-bundle-01'
AT = 'AT_ELGA_GmbH_01'
MT = 'US_MEDITECH_ips_2'
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

# ---------------------------------------------------------------- file 1
@case(1, 'rb8-en-001', IPS, 'list',
      ["I'm seeing a new dentist next week and they want a full list of my allergies before they'll book anything. "
       "What allergies do you have on file for me? I know about one of them, but my husband is convinced there was "
       "something about food allergies written down somewhere too."])
def c001():
    rows = [(ref, r) for ref, r in res(IPS, 'AllergyIntolerance') if 'no known' not in text_of(r.get('code'))]
    return G([ref for ref, _ in rows], [], 'all',
             note='AllergyIntolerance entries excluding the negation entry "No known food allergy" (SNOMED 429625007); '
                  'only the penicillin-class allergy remains. Food: record states no known food allergy, which is not an allergy.')

@case(1, 'rb8-en-002', IPS, 'still_on',
      ["am i still meant to be taking the anastrozole?? or did that get stopped once the breast cancer went into remission, "
       "cant remember what the oncologist said and i'm nearly out"])
def c002():
    meds = {ref: r for ref, r in res(IPS, 'Medication') if 'anastrozol' in text_of(r.get('code'))}
    rows = [(ref, r) for ref, r in res(IPS, 'MedicationStatement')
            if r.get('medicationReference', {}).get('reference', '').replace('urn:uuid:', 'Medication/') in meds]
    assert len(rows) == 1
    ref, r = rows[0]
    return G([ref], [r['effectivePeriod']['start']], 'all',
             note=f"MedicationStatement -> Medication anastrozole; status={r['status']} (active), effectivePeriod.start "
                  f"{r['effectivePeriod']['start']}, no end date: still on it.")

@case(1, 'rb8-en-003', AT, 'latest',
      ["What was my blood pressure the last time somebody measured it?"])
def c003():
    rows = obs(AT, '8480-6') + obs(AT, '8462-4')
    last = latest_day(rows)
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='Systolic (8480-6) and diastolic (8462-4) are separate Observations; two readings share the latest '
                  'timestamp 2016-07-30T08:30 (110/70 and 117/64): all four are gold.')

@case(1, 'rb8-en-004', AT, 'count',
      ["We're going walking in the Wachau in May and my sister keeps nagging me about ticks. My doctor in Vienna gave "
       "me the FSME / tick-borne encephalitis jabs a while back, I think it was the children's dose because the "
       "practice ran out of the adult one? Anyway I've lost the yellow vaccination booklet. How many of those tick "
       "shots have I actually had according to my record, and when was the last one?"])
def c004():
    rows = [(ref, r) for ref, r in res(AT, 'Immunization') if 'J07BA01' in codes(r.get('vaccineCode'))
            and r.get('status') == 'completed']
    rows.sort(key=lambda x: cdate(x[1]))
    return G([ref for ref, _ in rows], [str(len(rows)), day(cdate(rows[-1][1]))], 'all',
             note='Immunization ATC J07BA01 (Encepur, tick-borne encephalitis) status completed: count and latest date.')

@case(1, 'rb8-en-005', MT, 'still_on',
      ["quick q - am I still on the aranesp shots or did the kidney team stop those?"])
def c005():
    meds = {ref for ref, r in res(MT, 'Medication') if 'darbepoetin' in text_of(r.get('code'))}
    mr = [(ref, r) for ref, r in res(MT, 'MedicationRequest') if r['medicationReference']['reference'] in meds]
    ms = [(ref, r) for ref, r in res(MT, 'MedicationStatement') if '55513003201' in codes(r.get('medicationCodeableConcept'))]
    assert all(r['status'] == 'active' for _, r in mr + ms)
    return G([ref for ref, _ in mr + ms], [], 'any',
             note='MedicationRequest -> Medication darbepoetin alfa (Aranesp) status active; matching MedicationStatement '
                  '(NDC 55513003201 = Aranesp, no name in record) status active, no end. Answer: still active. '
                  'No date value required (authoredOn 2020-11-16 vs dosage start 2015-06-22 disagree).')

@case(1, 'rb8-en-006', MT, 'ever_had',
      ["Have I ever actually had a flu vaccine? The pharmacy downstairs is doing them this week and I honestly can't "
       "remember whether I've had one before. With the transplant and all the meds I'd rather check what's on my "
       "record first before I just walk in."])
def c006():
    rows = [(ref, r) for ref, r in res(MT, 'Immunization') if 'influenza' in text_of(r.get('vaccineCode'))]
    assert all(r['status'] == 'not-done' for _, r in rows)
    return G([ref for ref, _ in rows], [day(cdate(r)) for _, r in rows], 'all',
             note='Only influenza Immunization is status not-done (statusReason: Patient Refused) on 2015-06-22: '
                  'no flu vaccine was ever given according to the record; correct answer says no and mentions the declined one.')

@case(1, 'rb8-en-007', LIS, 'latest',
      ["my daughter was really sick at the end of feb 2020, high fever, coughing, she could barely catch her breath and "
       "they swabbed her nose at the clinic for covid and a bunch of other viruses. we never got a phone call about it. "
       "can you see if her covid test was positive or negative? and were the other viruses all clear?"])
def c007():
    cov = [x for x in obs(LIS, '94531-1') if '{' not in x[2]]
    return G([x[0] for x in cov], [day(cov[-1][1])], 'all',
             note='SARS-CoV-2 RNA (LOINC 94531-1) coded result "Detected" on 2020-02-29; the twin Observation with the '
                  'template placeholder {entry.value} is not a result. Other viral panel results are Negative (not required refs).')

@case(1, 'rb8-en-008', LIS, 'not_found',
      ["Her school wants a copy of her immunisation history by Friday. Can you list which vaccines she's had?"])
def c008():
    rows = res(LIS, 'Immunization')
    assert not rows
    return G([], [], 'all', nf=True,
             note='No Immunization resources in this record: honest answer is that no vaccinations are recorded here.')

@case(1, 'rb8-en-009', 'Luigi_Wiegand', 'count',
      ["how many vaccines has my little guy had so far? feels like a LOT for a 5 month old lol"])
def c009():
    rows = [(ref, r) for ref, r in res('Luigi_Wiegand', 'Immunization') if r.get('status') == 'completed']
    return G([ref for ref, _ in rows], [str(len(rows))], 'any',
             note='All completed Immunization resources (each dose counted): 12 doses over 4 check-ups.')

@case(1, 'rb8-en-010', 'Liz_Conn', 'ever_had',
      ["My new gynaecologist asked me whether I've had my tubes tied and I'm a bit embarrassed to say I'm not 100% sure "
       "what they actually did. I had some kind of surgery in 2012, I remember a consultation first and then a day in "
       "the surgical unit, but it was a stressful year and it's all a blur. Does my record say I had a tubal ligation, "
       "and if so what date was it done?"])
def c010():
    rows = [(ref, r) for ref, r in res('Liz_Conn', 'Procedure') if 'tubal ligation' in text_of(r.get('code'))]
    return G([ref for ref, _ in rows], [day(cdate(r)) for _, r in rows], 'all',
             note='Procedure "Bilateral tubal ligation": yes, performed 2012-09-29.')

# ---------------------------------------------------------------- file 2
@case(2, 'rb8-en-011', 'Liz_Conn', 'value_in_year',
      ["what did I weigh at my 2015 physical? trying to work out how much I've put on since then"])
def c011():
    rows = [x for x in obs('Liz_Conn', '29463-7') if x[1].startswith('2015')]
    assert len(rows) == 1
    return G([x[0] for x in rows], [x[2] for x in rows], 'all',
             note='Body Weight (LOINC 29463-7) with effectiveDateTime in 2015 (single value, 2015-08-14, kg).')

@case(2, 'rb8-en-012', 'Lupe_Little', 'meaning',
      ["So my doctor keeps saying 'prediabetes' every time I go in but never really explains it. I'm 37, not on any "
       "medication for it, I've cut back on the soda a lot. Can you tell me what my last A1C result was and whether "
       "that number is actually in the diabetes range or not? I don't want to end up on insulin like my dad."])
def c012():
    last = latest_day(obs('Lupe_Little', '4548-4'))
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='Latest HbA1c (LOINC 4548-4) by effectiveDateTime: 6.188... % on 2019-05-01. No referenceRange in the '
                  'record; a correct answer gives the value and explains it sits in the prediabetes band (5.7-6.4 %), below 6.5 %.')

@case(2, 'rb8-en-013', 'Lupe_Little', 'last_visit',
      ["When was I last seen at the clinic and what was it for?"])
def c013():
    enc = sorted(res('Lupe_Little', 'Encounter'), key=lambda x: cdate(x[1]))
    ref, r = enc[-1]
    d = day(cdate(r))
    cond = [cref for cref, c in res('Lupe_Little', 'Condition') if c['encounter']['reference'].split(':')[-1] == r['id']]
    return G([ref] + cond, [d], 'any',
             note='Latest Encounter by period.start: 2020-09-01, encounter for symptom, reason viral sinusitis '
                  '(Condition recorded at that encounter). Citing the Encounter or the Condition is acceptable.')

@case(2, 'rb8-en-014', 'Laurie_McCullough', 'followup',
      ["hey when did I last get a flu shot?",
       "ok and the one before that?"])
def c014():
    rows = sorted([(ref, r) for ref, r in res('Laurie_McCullough', 'Immunization') if 'influenza' in text_of(r.get('vaccineCode'))],
                  key=lambda x: cdate(x[1]))
    ref, r = rows[-2]
    return G([ref], [day(cdate(r))], 'all',
             note='Influenza Immunizations sorted by occurrenceDateTime: last 2018-09-08; the one before (answer to turn 2) 2017-09-02.')

@case(2, 'rb8-en-015', 'Laurie_McCullough', 'still_on',
      ["Bit of a personal one. I was put on the mini pill (Jolivette) a few years back. My partner and I are talking "
       "about what contraception to use now and I genuinely can't remember whether the clinic still has me down as "
       "taking it, or whether it was stopped at some point. I haven't picked up a pack in ages. What does my record say?"])
def c015():
    rows = [(ref, r) for ref, r in res('Laurie_McCullough', 'MedicationRequest') if 'jolivette' in text_of(r.get('medicationCodeableConcept'))]
    assert len(rows) == 1 and rows[0][1]['status'] == 'stopped'
    ref, r = rows[0]
    return G([ref], [day(r['authoredOn'])], 'all',
             note='MedicationRequest Jolivette 28 Day Pack, status stopped, authoredOn 2015-06-26 (no later prescription): not on it.')

@case(2, 'rb8-en-016', 'Annmarie_Doyle', 'count',
      ["I'm asking for my mum (she's 86, I help with her online account). How many flu jabs has she had since 2015, including 2015?"])
def c016():
    rows = [(ref, r) for ref, r in res('Annmarie_Doyle', 'Immunization')
            if 'influenza' in text_of(r.get('vaccineCode')) and cdate(r)[:4] >= '2015']
    return G([ref for ref, _ in rows], [str(len(rows))], 'any',
             note='Influenza Immunizations with occurrenceDateTime year >= 2015: 2015-06-02 ... 2020-06-30, one per year = 6.')

@case(2, 'rb8-en-017', 'Annmarie_Doyle', 'latest',
      ["Mum's got her yearly review coming up and last time the doctor mumbled something about her cholesterol. "
       "She's 86 and doesn't want to start another tablet if she doesn't have to. What was her most recent cholesterol "
       "reading, the total one? She says she had bloods taken at the summer check-up."])
def c017():
    last = latest_day(obs('Annmarie_Doyle', '2093-3'))
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='Latest Total Cholesterol (LOINC 2093-3) by effectiveDateTime: 2020-06-30, mg/dL.')

@case(2, 'rb8-en-018', 'Fidel_Bins', 'list',
      ["can you list every allergy I have on file. new job has a work canteen and they want it in writing"])
def c018():
    rows = [(ref, r) for ref, r in res('Fidel_Bins', 'AllergyIntolerance')]
    return G([ref for ref, _ in rows], [], 'all',
             note='All AllergyIntolerance resources (7): latex, mould, house dust mite, animal dander, grass pollen, '
                  'tree pollen, nut; every one must be cited.')

@case(2, 'rb8-en-019', 'Fidel_Bins', 'not_found',
      ["With my nut allergy I'm sure they gave me an EpiPen at some point. When was that prescribed and is it still "
       "active on my list? Mine's expired and I need a new one before my holiday."])
def c019():
    rows = [(ref, r) for ref, r in res('Fidel_Bins', 'MedicationRequest')
            if any(w in text_of(r.get('medicationCodeableConcept')) for w in ('epinephrine', 'adrenaline', 'epipen'))]
    assert not rows
    return G([], [], 'all', nf=True,
             note='No epinephrine/adrenaline auto-injector in any MedicationRequest (only diphenhydramine, fluticasone, '
                  'albuterol): honest answer is that no EpiPen prescription is recorded.')

@case(2, 'rb8-en-020', 'Martina_Murazik', 'meaning',
      ["My mother (67) was diagnosed with heart failure last year and had a scan of her heart in June. The cardiologist "
       "said something about her 'pumping percentage' being low and then moved on before we could ask anything. Can "
       "you tell us what that number was in her record, and what normal would be? She gets very breathless on the "
       "stairs and we're trying to understand how serious it is."])
def c020():
    last = latest_day(obs('Martina_Murazik', '10230-1'))
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='Left ventricular ejection fraction (LOINC 10230-1): two Observations with the same timestamp '
                  '2020-06-15 (32.9... % imaging and 38.6... % vital-sign); both are gold. No referenceRange recorded; '
                  'normal LVEF is roughly 50-70 %, so both are reduced.')

# ---------------------------------------------------------------- file 3
@case(3, 'rb8-en-021', 'Martina_Murazik', 'last_visit',
      ["what was my most recent visit and what did they do?"])
def c021():
    enc = sorted(res('Martina_Murazik', 'Encounter'), key=lambda x: cdate(x[1]))
    ref, r = enc[-1]
    procs = [pref for pref, p in res('Martina_Murazik', 'Procedure') if p.get('encounter', {}).get('reference', '').endswith(r['id'])]
    return G([ref] + procs, [day(cdate(r))], 'any',
             note='Latest Encounter by period.start: 2020-12-12 (class EMER, "Encounter for Problem"), during which a plain '
                  'chest X-ray was done (Procedure linked to that encounter) and blood tests taken. Citing the Encounter '
                  'or the X-ray Procedure is acceptable.')

@case(3, 'rb8-en-022', 'Daisey_Johns', 'list',
      ["My daughter's starting at a new childminder next month and I have to fill in a medicines form. She has asthma "
       "and loads of allergies (eggs, fish, bee stings, you name it). Could you list the medicines she's currently "
       "prescribed, and leave out anything that was just a one-off course, like the antibiotics she had for her "
       "sinuses? I want to make sure I don't forget the inhalers or the allergy pen."])
def c022():
    rows = [(ref, r) for ref, r in res('Daisey_Johns', 'MedicationRequest') if r['status'] == 'active']
    return G([ref for ref, _ in rows], [], 'all',
             note='MedicationRequest status active: loratadine 5 mg chewable, epinephrine 0.3 mL auto-injector, fluticasone '
                  '44 mcg inhaler, albuterol inhaler. Stopped acetaminophen and amoxicillin/clavulanate excluded.')

@case(3, 'rb8-en-023', 'Daisey_Johns', 'followup',
      ["how much did Daisey weigh at her last check up?",
       "and the time before? trying to see if shes gaining enough, she's such a fussy eater"])
def c023():
    rows = obs('Daisey_Johns', '29463-7')
    days = sorted({day(x[1]) for x in rows})
    prev = [x for x in rows if day(x[1]) == days[-2]]
    return G([x[0] for x in prev], [x[2] for x in prev] + [days[-2]], 'all',
             note='Body Weight (LOINC 29463-7) by date: latest 2020-12-19 (18.889... kg, turn 1); the one before '
                  '(answer to turn 2) 2020-08-15.')

@case(3, 'rb8-en-024', 'Emery_Purdy', 'ever_had',
      ["Have I had the shingles vaccine? My brother just had shingles and it sounds awful"])
def c024():
    rows = sorted([(ref, r) for ref, r in res('Emery_Purdy', 'Immunization') if 'zoster' in text_of(r.get('vaccineCode'))],
                  key=lambda x: cdate(x[1]))
    return G([ref for ref, _ in rows], [day(cdate(r)) for _, r in rows], 'all',
             note='Immunization "zoster": yes, two doses, 2018-01-05 and 2019-01-11.')

@case(3, 'rb8-en-025', 'Emery_Purdy', 'previous',
      ["I've had type 2 diabetes for years now and my latest A1C came back at about 7.3 in January. The nurse said "
       "'no change' but didn't tell me from what. What was the A1C reading before this latest one, and when was that "
       "taken? I changed my diet quite a bit last year and I'm a bit gutted if it really didn't move at all."])
def c025():
    rows = obs('Emery_Purdy', '4548-4')
    days = sorted({day(x[1]) for x in rows})
    prev = [x for x in rows if day(x[1]) == days[-2]]
    return G([x[0] for x in prev], [x[2] for x in prev] + [days[-2]], 'all',
             note='HbA1c (LOINC 4548-4) by date: latest 2021-01-22; the previous one 2020-01-17 with the identical value '
                  '7.262022744084565 %.')

@case(3, 'rb8-en-026', 'Renea_Quigley', 'latest',
      ["they told me my kidneys are 'stage 1' now. whats my latest kidney function number, the eGFR thing?"])
def c026():
    last = latest_day(obs('Renea_Quigley', '33914-3'))
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='LOINC 33914-3 (eGFR) appears in two series; on the latest date 2021-03-11 there are two results '
                  '(72.99... and 142.76... mL/min/1.73m2): both are gold.')

@case(3, 'rb8-en-027', 'Renea_Quigley', 'ever_had',
      ["My GP's letter says I'm due bowel screening, but I'm pretty sure I've already had a colonoscopy, maybe two? "
       "I'm 63. I don't want to do the stool kit thing if I've already had the camera done. Can you check if there's "
       "a colonoscopy on my record and when?"])
def c027():
    rows = sorted([(ref, r) for ref, r in res('Renea_Quigley', 'Procedure') if 'colonoscopy' in text_of(r.get('code'))],
                  key=lambda x: cdate(x[1]))
    return G([ref for ref, _ in rows], [day(cdate(r)) for _, r in rows], 'all',
             note='Procedure Colonoscopy: yes, two, 2012-12-25 and 2017-12-24.')

@case(3, 'rb8-en-028', 'Josue_Sipes', 'still_on',
      ["After my stroke they put me on Plavix (clopidogrel). Am I still supposed to be on it or was it stopped? "
       "I've got a tooth out next week and the dentist is asking about blood thinners."])
def c028():
    rows = [(ref, r) for ref, r in res('Josue_Sipes', 'MedicationRequest') if 'clopidogrel' in text_of(r.get('medicationCodeableConcept'))]
    assert len(rows) == 1 and rows[0][1]['status'] == 'stopped'
    ref, r = rows[0]
    return G([ref], [day(r['authoredOn'])], 'all',
             note='MedicationRequest Clopidogrel 75 mg, status stopped, authoredOn 2019-01-26 (stroke encounter): '
                  'not current according to the record.')

@case(3, 'rb8-en-029', 'Josue_Sipes', 'count',
      ["how many breathing tests (spirometry) did I have in 2020? feels like I was blowing into that tube every month"])
def c029():
    rows = [(ref, r) for ref, r in res('Josue_Sipes', 'Procedure')
            if 'spirometry' in text_of(r.get('code')) and cdate(r).startswith('2020')]
    return G([ref for ref, _ in rows], [str(len(rows))], 'any',
             note='Procedure Spirometry with performed date in 2020 (2020-04-18 ... 2020-11-14).')

@case(3, 'rb8-en-030', 'Vito_Feeney', 'value_in_year',
      ["I'm going through my late father's records for a family history thing (he was diabetic). What was his A1c in 1974?"])
def c030():
    rows = [x for x in obs('Vito_Feeney', '4548-4') if x[1].startswith('1974')]
    assert len(rows) == 1
    return G([x[0] for x in rows], [x[2] for x in rows], 'all',
             note='HbA1c (LOINC 4548-4) with effectiveDateTime in 1974: single result on 1974-06-03 (value as recorded, '
                  'implausibly low 3.058... %, a careful answer may flag it).')

# ---------------------------------------------------------------- file 4
@case(4, 'rb8-en-031', 'Vito_Feeney', 'last_visit',
      ["My dad passed away in November 1979 and I'm trying to piece together his last few months for my own peace of "
       "mind. He was diabetic and had prostate cancer that had spread. When was the last time he actually saw his "
       "doctor before he died, and what kind of appointment was it? There might be some paperwork entries after his "
       "death, I only care about when he was last seen alive."])
def c031():
    death = res('Vito_Feeney', 'Patient')[0][1]['deceasedDateTime']
    enc = sorted([(ref, r) for ref, r in res('Vito_Feeney', 'Encounter') if cdate(r) < death], key=lambda x: cdate(x[1]))
    ref, r = enc[-1]
    return G([ref], [day(cdate(r))], 'all',
             note='Patient.deceasedDateTime 1979-11-07; the 1979-11-12 "Death Certification" encounter is after death. '
                  'Last Encounter before death by period.start: 1979-09-24, a check-up.')

@case(4, 'rb8-en-032', IPS, 'meaning',
      ["is an HbA1c of 7.5 bad? that's what it says on my last blood test I think. what's the normal range?"])
def c032():
    last = latest_day(obs(IPS, '17856-6'))
    rr = [x[3].get('referenceRange') for x in last]
    assert not any(rr)
    return G([x[0] for x in last], [x[2] for x in last] + [day(last[0][1])], 'all',
             note='HbA1c (LOINC 17856-6) 7.5 % on 2017-11-10; no referenceRange recorded in the record. Correct answer '
                  'confirms 7.5 % and explains it is above the usual target/diagnostic threshold (6.5 %, 48 mmol/mol).')

@case(4, 'rb8-en-033', AT, 'meaning',
      ["Had a big blood panel done in December 2016 and the printout is in German which I don't read very well. "
       "There's a ferritin line with a number that looks really high to me. What was my ferritin, what range does "
       "the lab give as normal, and should I be worried? My iron itself apparently was fine, which confuses me."])
def c033():
    rows = latest_day(obs(AT, '2276-4'))
    assert len(rows) == 1
    ref, dt, v, r = rows[0]
    rr = r['referenceRange'][0]
    return G([ref], [v, num(rr['low']['value']), num(rr['high']['value'])], 'all',
             note='Ferritin (LOINC 2276-4) 724 ug/L on 2016-12-01 with recorded referenceRange 15-400 ug/L: above range. '
                  'Iron (2498-4) 91 ug/dL within 80-150 (not required).')

@case(4, 'rb8-en-034', MT, 'list',
      ["What am I allergic to according to the hospital system?"])
def c034():
    rows = [(ref, r) for ref, r in res(MT, 'AllergyIntolerance')]
    return G([ref for ref, _ in rows], [], 'all',
             note='Both AllergyIntolerance resources (active): ampicillin and penicillin G.')

@case(4, 'rb8-en-035', 'Luigi_Wiegand', 'followup',
      ["how long is my son now, going by his last check up?",
       "wow ok. and how long was he at the very first one, when he was born?"])
def c035():
    rows = obs('Luigi_Wiegand', '8302-2')
    first = [x for x in rows if day(x[1]) == day(rows[0][1])]
    return G([x[0] for x in first], [x[2] for x in first] + [day(first[0][1])], 'all',
             note='Body Height (LOINC 8302-2): latest 2021-03-30 (turn 1); earliest, at the first check-up on the birth '
                  'date 2020-10-20 (answer to turn 2).')

@case(4, 'rb8-en-036', 'Renea_Quigley', 'not_found',
      ["I've been so tired lately and my friend says it could be my thyroid. Can you look up my last thyroid blood "
       "test result? The TSH one I think it's called. I've got diabetes and kidney issues too so I get a lot of "
       "bloods done, it must be in there somewhere."])
def c036():
    rows = [ref for ref, r in res('Renea_Quigley', 'Observation')
            if codes(r.get('code')) & {'3016-3', '11580-8', '3024-7', '3026-2', '3051-0', '3053-6'}
            or 'thyro' in text_of(r.get('code')) or 'tsh' in text_of(r.get('code'))]
    assert not rows
    return G([], [], 'all', nf=True,
             note='No TSH / thyroid hormone Observation (LOINC 3016-3, 11580-8, 3024-7, ...) anywhere in the record: '
                  'honest answer is that no thyroid test is recorded.')

@case(4, 'rb8-en-037', 'Josue_Sipes', 'followup',
      ["whats my most recent a1c",
       "what was it back in 2017?"])
def c037():
    rows = [x for x in obs('Josue_Sipes', '4548-4') if x[1].startswith('2017')]
    return G([x[0] for x in rows], [x[2] for x in rows], 'all',
             note='HbA1c (LOINC 4548-4): latest 2021-03-13 (turn 1); in 2017 there are two results, 2017-03-11 and '
                  '2017-03-18, both gold for turn 2.')

@case(4, 'rb8-en-038', 'Annmarie_Doyle', 'last_visit',
      ["When did mum last see the doctor? She thinks it was for her yearly check but she gets mixed up."])
def c038():
    enc = sorted(res('Annmarie_Doyle', 'Encounter'), key=lambda x: cdate(x[1]))
    ref, r = enc[-1]
    return G([ref], [day(cdate(r))], 'all',
             note='Latest Encounter by period.start: 2020-06-30, "Encounter for check up" (yes, the yearly check-up).')

@case(4, 'rb8-en-039', 'Emery_Purdy', 'value_in_year',
      ["My cardiologist's nurse asked what my total cholesterol was in 2019, before the doctor made any changes. "
       "I had it checked at my January physical that year, I think. Can you find the number for me? I'm diabetic "
       "with high blood pressure so they're keeping an eye on it, and I believe it's gone up since then."])
def c039():
    rows = [x for x in obs('Emery_Purdy', '2093-3') if x[1].startswith('2019')]
    assert len(rows) == 1
    return G([x[0] for x in rows], [x[2] for x in rows], 'all',
             note='Total Cholesterol (LOINC 2093-3) with effectiveDateTime in 2019: single result 2019-01-11, mg/dL.')

@case(4, 'rb8-en-040', 'Lupe_Little', 'not_found',
      ["what did my colonoscopy show? never heard back"])
def c040():
    rows = [ref for ref, r in res('Lupe_Little', 'Procedure') if 'colonoscopy' in text_of(r.get('code'))]
    rows += [ref for ref, r in res('Lupe_Little', 'DiagnosticReport') if 'colon' in text_of(r.get('code'))]
    assert not rows
    return G([], [], 'all', nf=True,
             note='No colonoscopy Procedure or report in the record (only a throat culture procedure): honest '
                  '"not in your record" answer.')

# ==== MAIN
def build(c):
    g = c['fn']()
    return {'id': c['id'], 'lang': 'en', 'patient': c['patient'], 'kind': c['kind'], 'turns': c['turns'], **g}

def main():
    args = sys.argv[1:]
    if args[:1] == ['--show']:
        for c in CASES:
            if c['id'] == args[1]:
                print(json.dumps(build(c), ensure_ascii=False, indent=1))
        return
    if args[:1] == ['--write']:
        n = int(args[1])
        path = os.path.join(HERE, f'en-{n:02d}.jsonl')
        if os.path.exists(path):
            sys.exit(f'{path} exists: saved files are final')
        rows = [build(c) for c in CASES if c['file'] == n]
        assert 0 < len(rows) <= 10
        with open(path, 'w', encoding='utf-8') as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', path, len(rows))
        return
    ok = True
    for n in sorted({c['file'] for c in CASES}):
        path = os.path.join(HERE, f'en-{n:02d}.jsonl')
        if not os.path.exists(path):
            print('not saved yet:', path); continue
        saved = {j['id']: j for j in map(json.loads, open(path, encoding='utf-8'))}
        for c in CASES:
            if c['file'] != n:
                continue
            b = build(c)
            s = saved.get(c['id'])
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found'):
                if s is None or s[k] != b[k]:
                    ok = False
                    print('MISMATCH', c['id'], k)
    print('all gold fields reproduced' if ok else 'differences found')

if __name__ == '__main__':
    main()
