#!/usr/bin/env python3
"""Gold computation for the English record questions rb12-en-001..040.

Run: python3 gold-en.py            -> recomputes every case; writes any missing en-NN.jsonl file and
                                      checks existing files against the recomputation (prints OK / DIFF)
     python3 gold-en.py OUTDIR     -> writes all files into OUTDIR
Standard library only. Reads only the allowed data files.
Number convention in gold_values: the record's value as written when it carries <= 2 decimals,
otherwise rounded to 1 decimal (Synthea floats); dates as YYYY-MM-DD; counts as digits.
"""
import json, glob, os, sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
HERE = os.path.dirname(os.path.abspath(__file__))

_cache = {}
def entries(key):
    if key not in _cache:
        c = glob.glob(os.path.join(SYN, key + '_*.json')) or [os.path.join(RW, key + '.json')]
        fs = [f for f in c if os.path.exists(f)]
        assert len(fs) == 1, (key, fs)
        _cache[key] = json.load(open(fs[0]))['entry']
    return _cache[key]

def ref(e):
    r = e['resource']
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return e['fullUrl']

def res(key, rtype):
    return [e for e in entries(key) if e['resource']['resourceType'] == rtype]

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def num(v):
    s = repr(v)
    if isinstance(v, float) and len(s.split('.')[1]) > 2:
        return '%.1f' % v
    return s

def odate(r):
    d = r.get('effectiveDateTime') or r.get('effectivePeriod', {}).get('start') or ''
    return d[:10]

def obs(key, loinc):
    out = [e for e in res(key, 'Observation') if loinc in codes(e['resource'].get('code')) and 'valueQuantity' in e['resource']]
    return sorted(out, key=lambda e: e['resource'].get('effectiveDateTime') or e['resource'].get('effectivePeriod', {}).get('start'))

def latest_same_date(lst):
    d = odate(lst[-1]['resource'])
    return [e for e in lst if odate(e['resource']) == d]

def val(e):
    return e['resource']['valueQuantity']['value']

def G(refs, match, values, note, nf=False):
    return dict(gold_refs=refs, match=match, gold_values=values, expect_not_found=nf, note=note)

def NF(note):
    return G([], 'all', [], note, nf=True)

# ---------------------------------------------------------------- gold functions
def g_latest_egfr():
    lst = latest_same_date(obs('Josue_Sipes', '33914-3'))
    return G([ref(e) for e in lst], 'all', [num(val(e)) for e in lst] + [odate(lst[0]['resource'])],
             'latest Observation LOINC 33914-3 (eGFR, two displays) by effectiveDateTime; two results on the latest date, both gold: '
             + ', '.join('%s=%r' % (ref(e), val(e)) for e in lst))

def g_at_bp():
    key = 'AT_ELGA_GmbH_01'
    lst = [e for e in res(key, 'Observation') if set(codes(e['resource']['code'])) & {'8480-6', '8462-4'}]
    last = max(odate(e['resource']) for e in lst)
    lst = [e for e in lst if odate(e['resource']) == last]
    vals = [num(val(e)) for e in lst]
    return G([ref(e) for e in lst], 'all', vals + [last],
             'systolic 8480-6 and diastolic 8462-4 are separate Observations without id (fullUrl used); two readings at the same time '
             '2016-07-30T08:30 (one with effectivePeriod, one with effectiveDateTime): %s' % ', '.join('%s=%s' % (ref(e)[9:17], v) for e, v in zip(lst, vals)))

def active_allergies(key, exclude_codes=()):
    out = []
    for e in res(key, 'AllergyIntolerance'):
        r = e['resource']
        if 'active' in codes(r.get('clinicalStatus')) and not (set(codes(r.get('code'))) & set(exclude_codes)):
            out.append(e)
    return out

def g_daisey_allergies():
    lst = active_allergies('Daisey_Johns')
    return G([ref(e) for e in lst], 'all', [],
             'all active AllergyIntolerance (%d): %s' % (len(lst), '; '.join(e['resource']['code']['coding'][0]['display'] for e in lst)))

def g_vito_psa_1970():
    lst = [e for e in obs('Vito_Feeney', '2857-1') if odate(e['resource']).startswith('1970')]
    return G([ref(e) for e in lst], 'all', [num(val(e)) for e in lst] + [odate(e['resource']) for e in lst],
             'PSA LOINC 2857-1 in 1970: %r (no reference range recorded)' % [val(e) for e in lst])

def medreq(key, rxcode):
    return [e for e in res(key, 'MedicationRequest') if rxcode in codes(e['resource'].get('medicationCodeableConcept'))]

def g_still(key, rxcode, label):
    lst = medreq(key, rxcode)
    assert len(lst) == 1
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [r['authoredOn'][:10]],
             '%s: MedicationRequest status=%s, authoredOn %s (no end date recorded)' % (label, r['status'], r['authoredOn'][:10]))

def g_fidel_pneumonia():
    k = 'Fidel_Bins'
    hits = [e for e in entries(k) if e['resource']['resourceType'] in ('Condition', 'Encounter', 'Procedure', 'Immunization')
            and 'pneumo' in json.dumps(e['resource']).lower()]
    assert not hits
    return NF('no Condition/Encounter/Procedure/Immunization mentioning pneumonia/pneumococcal; conditions are allergic rhinitis, obesity, asthma, viral sinusitis, viral pharyngitis -> honest no')

def encounters(key):
    return sorted(res(key, 'Encounter'), key=lambda e: e['resource']['period']['start'])

def g_last_visit(key):
    enc = encounters(key)
    last = enc[-1]['resource']
    d = last['period']['start'][:10]
    same = [e for e in enc if e['resource']['period']['start'][:10] == d]
    assert len(same) == 1
    reason = (last.get('reasonCode') or [{}])[0].get('coding', [{}])[0].get('display')
    return G([ref(enc[-1])], 'all', [d], 'latest Encounter by period.start: %s, type "%s", reason %s' % (d, last['type'][0].get('text'), reason))

def g_ips_a1c():
    lst = obs('IPS_IG-bundle-01', '17856-6')
    assert len(lst) == 1
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(r)],
             'HbA1c 17856-6 = %s %% on %s; no referenceRange in the record; note says "%s"' % (val(lst[0]), odate(r), r['note'][0]['text']))

def g_lupe_meds():
    k = 'Lupe_Little'
    assert not [e for e in entries(k) if e['resource']['resourceType'] in ('MedicationRequest', 'MedicationStatement', 'MedicationAdministration')]
    return NF('no MedicationRequest/MedicationStatement/MedicationAdministration in the record -> no medicines recorded')

def g_liz_weight_2012():
    lst = [e for e in obs('Liz_Conn', '29463-7') if odate(e['resource']).startswith('2012')]
    assert len(lst) == 1
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(lst[0]['resource'])],
             'turn 1 = latest weight (%s kg, %s); gold for last turn: body weight 29463-7 in 2012 = %r kg on %s' % (
                 num(val(obs('Liz_Conn', '29463-7')[-1])), odate(obs('Liz_Conn', '29463-7')[-1]['resource']), val(lst[0]), odate(lst[0]['resource'])))

def g_martina_ef():
    lst = latest_same_date(obs('Martina_Murazik', '10230-1'))
    return G([ref(e) for e in lst], 'all', [num(val(e)) for e in lst] + [odate(lst[0]['resource'])],
             'LV ejection fraction 10230-1: two results on the latest (only) date, both gold: %r' % [val(e) for e in lst])

def g_renea_chol_2016():
    lst = [e for e in obs('Renea_Quigley', '2093-3') if odate(e['resource']).startswith('2016')]
    assert len(lst) == 1
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(lst[0]['resource'])], 'total cholesterol 2093-3 in 2016: %r mg/dL' % val(lst[0]))

def g_prev(key, loinc, label):
    lst = obs(key, loinc)
    last_d = odate(lst[-1]['resource'])
    before = [e for e in lst if odate(e['resource']) < last_d]
    pd = odate(before[-1]['resource'])
    prev = [e for e in before if odate(e['resource']) == pd]
    assert len(prev) == 1
    return G([ref(prev[0])], 'all', [num(val(prev[0])), pd],
             '%s: latest %s (%r); the one before = %r on %s' % (label, last_d, val(lst[-1]), val(prev[0]), pd))

def g_daisey_visits_2017():
    enc = [e for e in encounters('Daisey_Johns') if e['resource']['period']['start'].startswith('2017')]
    return G([ref(e) for e in enc], 'any', [str(len(enc))],
             'Encounters with period.start in 2017: %d (%s)' % (len(enc), ', '.join(e['resource']['period']['start'][:10] for e in enc)))

def g_ips_allergies():
    lst = active_allergies('IPS_IG-bundle-01', exclude_codes=('429625007',))
    assert len(lst) == 1
    return G([ref(e) for e in lst], 'all', [],
             'one real allergy: penicillin-class (373270004), criticality high, onset 2010; the "No known food allergy" entry (429625007) is a negation, not an allergy')

def imms(key, cvx):
    return sorted([e for e in res(key, 'Immunization') if cvx in codes(e['resource']['vaccineCode'])], key=lambda e: e['resource']['occurrenceDateTime'])

def g_emery_zoster():
    lst = imms('Emery_Purdy', '121')
    return G([ref(e) for e in lst], 'any', [e['resource']['occurrenceDateTime'][:10] for e in lst],
             'zoster vaccine CVX 121 given %d times: %s' % (len(lst), [e['resource']['occurrenceDateTime'][:10] for e in lst]))

def g_at_ferritin():
    lst = obs('AT_ELGA_GmbH_01', '2276-4')
    assert len(lst) == 1
    r = lst[0]['resource']
    rr = r['referenceRange'][0]
    return G([ref(lst[0])], 'all', [num(val(lst[0])), num(rr['low']['value']), num(rr['high']['value'])],
             'Ferritin 2276-4 = %s ug/L on %s, reference range %s-%s, interpretation HH (above range)' % (val(lst[0]), odate(r), rr['low']['value'], rr['high']['value']))

def g_luigi_allergies():
    assert not res('Luigi_Wiegand', 'AllergyIntolerance')
    return NF('no AllergyIntolerance resources in the record -> no allergies recorded (not the same as confirmed none)')

def g_lisa_spo2():
    lst = obs('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '59408-5')
    assert len(lst) == 1
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(lst[0]['resource'])], 'SpO2 59408-5 = %r %% on %s (only reading)' % (val(lst[0]), odate(lst[0]['resource'])))

def g_lupe_a1c_2016():
    lst = [e for e in obs('Lupe_Little', '4548-4') if odate(e['resource']).startswith('2016')]
    assert len(lst) == 1
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(lst[0]['resource'])], 'HbA1c 4548-4 in 2016 = %r %%' % val(lst[0]))

def g_fidel_er():
    enc = [e for e in encounters('Fidel_Bins') if e['resource']['class']['code'] == 'EMER']
    return G([ref(e) for e in enc], 'all', [str(len(enc))] + [e['resource']['period']['start'][:10] for e in enc],
             'Encounters with class EMER: %d (%s)' % (len(enc), ', '.join('%s %s' % (e['resource']['period']['start'][:10], e['resource']['type'][0]['text']) for e in enc)))

def g_renea_meds():
    lst = [e for e in res('Renea_Quigley', 'MedicationRequest') if e['resource']['status'] == 'active']
    return G([ref(e) for e in lst], 'all', [],
             'active MedicationRequests (%d): %s' % (len(lst), '; '.join(e['resource']['medicationCodeableConcept']['text'] if 'text' in e['resource']['medicationCodeableConcept'] else e['resource']['medicationCodeableConcept']['coding'][0]['display'] for e in lst)))

def g_meditech_flu():
    lst = [e for e in res('US_MEDITECH_ips_2', 'Immunization') if 'influenza' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert len(lst) == 1 and lst[0]['resource']['status'] == 'not-done'
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [r['occurrenceDateTime'][:10]],
             'only flu entry is Immunization status not-done, statusReason "%s" on %s -> no flu shot recorded as given (she declined)' % (r['statusReason']['text'], r['occurrenceDateTime'][:10]))

def g_martina_bnp():
    lst = obs('Martina_Murazik', '33762-6')
    assert len(lst) == 1
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [num(val(lst[0])), odate(r)],
             'NT-proBNP 33762-6 = %r %s on %s; no referenceRange recorded' % (val(lst[0]), r['valueQuantity'].get('unit'), odate(r)))

def g_meditech_labs():
    assert not res('US_MEDITECH_ips_2', 'Observation') and not res('US_MEDITECH_ips_2', 'DiagnosticReport')
    return NF('no Observation or DiagnosticReport in the bundle; the narrative Condition mentions suspected anemia but no hemoglobin value exists')

def g_josue_flu_total():
    lst = imms('Josue_Sipes', '140')
    return G([ref(e) for e in lst], 'any', [str(len(lst))],
             'turn 1 = last flu shot %s; gold for last turn: Immunization CVX 140 count = %d' % (lst[-1]['resource']['occurrenceDateTime'][:10], len(lst)))

def g_at_fsme():
    lst = sorted(res('AT_ELGA_GmbH_01', 'Immunization'), key=lambda e: e['resource']['occurrenceDateTime'])
    assert all('J07BA01' in codes(e['resource']['vaccineCode']) for e in lst)
    return G([ref(e) for e in lst], 'any', [str(len(lst))],
             'turn 1 = TBE/FSME (Encepur, J07BA01) dates %s; gold for last turn: %d doses in total' % ([e['resource']['occurrenceDateTime'][:10] for e in lst], len(lst)))

def g_luigi_shots():
    enc = encounters('Luigi_Wiegand')
    lastd = enc[-1]['resource']['period']['start'][:10]
    prevd = enc[-2]['resource']['period']['start'][:10]
    lst = [e for e in res('Luigi_Wiegand', 'Immunization') if e['resource']['occurrenceDateTime'][:10] == prevd]
    return G([ref(e) for e in lst], 'all', [prevd],
             'turn 1 = shots at last check-up %s; gold for last turn: the visit before (%s): %s' % (lastd, prevd, '; '.join(e['resource']['vaccineCode']['text'] for e in lst)))

def g_vito_colonoscopy():
    lst = sorted([e for e in res('Vito_Feeney', 'Procedure') if '73761001' in codes(e['resource']['code'])], key=lambda e: e['resource']['performedPeriod']['start'])
    return G([ref(e) for e in lst], 'any', [str(len(lst))] + [e['resource']['performedPeriod']['start'][:10] for e in lst],
             'Procedure SNOMED 73761001 colonoscopy: %d (%s)' % (len(lst), [e['resource']['performedPeriod']['start'][:10] for e in lst]))

def g_meditech_allergies():
    lst = active_allergies('US_MEDITECH_ips_2')
    return G([ref(e) for e in lst], 'all', [],
             'active AllergyIntolerance: %s (reaction hives)' % '; '.join(e['resource']['code']['coding'][0]['display'] for e in lst))

def g_ips_anastrozole():
    key = 'IPS_IG-bundle-01'
    meds = {e['fullUrl']: e['resource'] for e in res(key, 'Medication')}
    lst = [e for e in res(key, 'MedicationStatement') if 'L02BG03' in codes(meds[e['resource']['medicationReference']['reference']]['code'])]
    assert len(lst) == 1
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [r['effectivePeriod']['start']],
             'MedicationStatement -> Medication anastrozole 1 mg, status %s, effectivePeriod.start %s (partial date), no end' % (r['status'], r['effectivePeriod']['start']))

def g_liz_hpv():
    assert not [e for e in res('Liz_Conn', 'Immunization') if set(codes(e['resource']['vaccineCode'])) & {'62', '118', '137', '165'}]
    return NF('Immunizations are only flu (CVX 140) and Td (CVX 113): no HPV vaccine recorded -> honest no')

def g_lisa_covid():
    key = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    lst = [e for e in res(key, 'Observation') if '94531-1' in codes(e['resource']['code']) and 'valueCodeableConcept' in e['resource']]
    assert len(lst) == 1
    r = lst[0]['resource']
    return G([ref(lst[0])], 'all', [odate(r)],
             'SARS-CoV-2 RNA 94531-1 = "%s" on %s (the twin Observation with valueString "{entry.value}" is a placeholder); COVID-19 Condition same day' % (r['valueCodeableConcept']['coding'][0]['display'], odate(r)))

def g_martina_vitd():
    bad = [e for e in res('Martina_Murazik', 'Observation') if set(codes(e['resource']['code'])) & {'1989-3', '62292-8', '14635-7', '35365-6'}
           or 'vitamin d' in json.dumps(e['resource']['code']).lower()]
    assert not bad
    return NF('no vitamin D Observation (LOINC 1989-3/62292-8/14635-7/35365-6 or display) in the record')

CASES = [
    dict(id='rb12-en-001', patient='Josue_Sipes', kind='latest', gold=g_latest_egfr, turns=[
        "ok so my nephrologist keeps going on about my kidney function number, the eGFR or whatever its called. "
        "i'm diabetic, had the stroke a couple years back, and they told me my kidneys are 'stage 2' something. "
        "I don't remember what it was at my last bloodwork and i don't want to bug the office again. what was the most recent one?"]),
    dict(id='rb12-en-002', patient='AT_ELGA_GmbH_01', kind='latest', gold=g_at_bp, turns=[
        "What was my blood pressure the last time it was measured?"]),
    dict(id='rb12-en-003', patient='Daisey_Johns', kind='list', gold=g_daisey_allergies, turns=[
        "Hi, I'm Daisey's mum. She's starting at a new nursery next month and they want a full list of her allergies on the "
        "registration form, food and otherwise. I know about the bee sting one because she has the epipen, and I think eggs, but "
        "honestly I've lost track of what the allergy clinic found when they did the tests. Can you list everything that's on her record?"]),
    dict(id='rb12-en-004', patient='Vito_Feeney', kind='value_in_year', gold=g_vito_psa_1970, turns=[
        "I'm going through my late father's medical file. He died of prostate cancer and my own GP wants to know how his PSA "
        "numbers went over the years because of my risk. Do you have what his PSA was back in 1970?"]),
    dict(id='rb12-en-005', patient='Laurie_McCullough', kind='still_on', gold=lambda: g_still('Laurie_McCullough', '757594', 'Jolivette 28 Day Pack (progestin-only pill)'), turns=[
        "quick one - am i still down as taking the mini pill (jolivette)? pharmacy asked and i genuinely can't remember if that "
        "prescription was ever stopped on paper"]),
    dict(id='rb12-en-006', patient='Fidel_Bins', kind='ever_had', gold=g_fidel_pneumonia, turns=[
        "My life insurance application asks 'have you ever been diagnosed with pneumonia'. With my asthma I've had a few bad chest "
        "episodes and one trip to the ER, so I'm not sure if any of that was officially called pneumonia. Does my record show I ever had it?"]),
    dict(id='rb12-en-007', patient='Annmarie_Doyle', kind='last_visit', gold=lambda: g_last_visit('Annmarie_Doyle'), turns=[
        "Hello dear, this is Annmarie. My daughter set this up for me. Could you tell me when I last went to see the doctor and what it was for? "
        "I am in my eighties and the days run together a bit."]),
    dict(id='rb12-en-008', patient='IPS_IG-bundle-01', kind='meaning', gold=g_ips_a1c, turns=[
        "I saw an HbA1c result in my summary. I'm not diabetic as far as I know?? What was the number and is it in the normal range or not"]),
    dict(id='rb12-en-009', patient='Lupe_Little', kind='not_found', gold=g_lupe_meds, turns=[
        "Filling in a form for a new dentist and it wants every medication I take with the doses. "
        "Can you pull the list of my current meds from my record so I can copy it? Thanks"]),
    dict(id='rb12-en-010', patient='Liz_Conn', kind='followup', gold=g_liz_weight_2012, turns=[
        "what did i weigh at my last check up?",
        "hm. and back in 2012?"]),
]
CASES += [
    dict(id='rb12-en-011', patient='Martina_Murazik', kind='latest', gold=g_martina_ef, turns=[
        "Since the heart failure diagnosis last year I had an echo scan and the cardiologist mentioned my 'ejection fraction'. "
        "My son says that's the number that tells you how well the heart pumps. I didn't write it down at the time and now I'm "
        "worried it was low. What's the latest one in my file?"]),
    dict(id='rb12-en-012', patient='Renea_Quigley', kind='value_in_year', gold=g_renea_chol_2016, turns=[
        "what was my cholesterol in 2016? trying to see if the diet I did that year actually did anything lol"]),
    dict(id='rb12-en-013', patient='Emery_Purdy', kind='previous', gold=lambda: g_prev('Emery_Purdy', '4548-4', 'HbA1c 4548-4'), turns=[
        "I know my most recent A1c, the doctor went over it with me in January. But what was the one before that? "
        "I'd like to compare, I've been trying hard with the type 2 and want to see if it's moving at all"]),
    dict(id='rb12-en-014', patient='Daisey_Johns', kind='count', gold=g_daisey_visits_2017, turns=[
        "how many times was my daughter seen at the clinic in 2017? it felt like we practically lived there that year between "
        "the chest infection, the sinus thing and all the check ups. need the number for an FSA claim"]),
    dict(id='rb12-en-015', patient='IPS_IG-bundle-01', kind='list', gold=g_ips_allergies, turns=[
        "I'm travelling next month and want to carry a card with my allergies in case something happens abroad. "
        "What allergies do I have on record? Including food ones if there are any"]),
    dict(id='rb12-en-016', patient='Josue_Sipes', kind='still_on', gold=lambda: g_still('Josue_Sipes', '309362', 'Clopidogrel 75 MG'), turns=[
        "After my stroke they put me on a blood thinner, clopidogrel I think. My wife found an old box of it in the cupboard "
        "and we're arguing about whether I'm supposed to still be taking it. Am I still on it or was it stopped?"]),
    dict(id='rb12-en-017', patient='Emery_Purdy', kind='ever_had', gold=g_emery_zoster, turns=[
        "My brother just got shingles and it sounds awful. Have I had the shingles vaccine? I'm in my 50s and I can't remember if they gave it to me"]),
    dict(id='rb12-en-018', patient='Laurie_McCullough', kind='last_visit', gold=lambda: g_last_visit('Laurie_McCullough'), turns=[
        "when was i last seen by a doctor and what for?? new job's occupational health wants to know"]),
    dict(id='rb12-en-019', patient='AT_ELGA_GmbH_01', kind='meaning', gold=g_at_ferritin, turns=[
        "I've been reading my lab report from December 2016 and there's a ferritin result that looks very high, marked with two arrows. "
        "I had no idea what ferritin even was until I googled it - something to do with iron stores? "
        "My iron itself looked fine. Can you tell me what the ferritin was exactly and what the normal range is on the report? "
        "I'm trying to decide whether to push my doctor about it."]),
    dict(id='rb12-en-020', patient='Luigi_Wiegand', kind='not_found', gold=g_luigi_allergies, turns=[
        "Hi, my baby boy is starting daycare and the form asks about allergies. Is there anything listed for him in his record? He's only 5 months"]),
]
CASES += [
    dict(id='rb12-en-021', patient='Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', kind='latest', gold=g_lisa_spo2, turns=[
        "My daughter was really sick with covid and they put the clip thing on her finger at the hospital. The nurse looked worried "
        "but nobody told us the actual number. What was her oxygen level?"]),
    dict(id='rb12-en-022', patient='Lupe_Little', kind='value_in_year', gold=g_lupe_a1c_2016, turns=[
        "They told me I'm prediabetic years ago. What was my A1c (the 3 month sugar test) in 2016?"]),
    dict(id='rb12-en-023', patient='Annmarie_Doyle', kind='previous', gold=lambda: g_prev('Annmarie_Doyle', '18262-6', 'LDL 18262-6'), turns=[
        "I'm asking for my mother Annmarie, I help her with her appointments. At her last physical the doctor said her 'bad "
        "cholesterol' had come down and she was quite pleased with herself. I'd like to see it for myself - what was that "
        "LDL number the time before the last one, and when was it done?"]),
    dict(id='rb12-en-024', patient='Fidel_Bins', kind='count', gold=g_fidel_er, turns=[
        "How many times have I ended up in the emergency room? Asthma related or otherwise. My new pulmonologist asked and I said "
        "'a couple?' but I honestly don't know"]),
    dict(id='rb12-en-025', patient='Renea_Quigley', kind='list', gold=g_renea_meds, turns=[
        "I'm having hip surgery consult next week and the pre-op nurse wants a list of everything I currently take. I know I'm on "
        "the insulin now, and something for blood pressure, and I get B12 shots, but I'm sure there's more. Which medicines does my "
        "record say I'm currently on?"]),
    dict(id='rb12-en-026', patient='Daisey_Johns', kind='still_on', gold=lambda: g_still('Daisey_Johns', '1870230', 'Epinephrine 0.3 ML auto-injector'), turns=[
        "is the epipen still an active prescription for my daughter? school nurse says the one they have is expiring and I need a new script"]),
    dict(id='rb12-en-027', patient='US_MEDITECH_ips_2', kind='ever_had', gold=g_meditech_flu, turns=[
        "Have I ever had a flu shot? My kidney doctor says with the transplant I really should be getting one every year, "
        "and I'm embarrassed to say I can't remember if I've had one"]),
    dict(id='rb12-en-028', patient='Renea_Quigley', kind='last_visit', gold=lambda: g_last_visit('Renea_Quigley'), turns=[
        "When was my last appointment? And was it just a routine one or about something specific?"]),
    dict(id='rb12-en-029', patient='Martina_Murazik', kind='meaning', gold=g_martina_bnp, turns=[
        "Back when I was getting short of breath and my ankles were swelling they did a blood test called NT-proBNP or something "
        "like that, right before they told me it was heart failure. What did it come back as, and is that a normal level?"]),
    dict(id='rb12-en-030', patient='US_MEDITECH_ips_2', kind='not_found', gold=g_meditech_labs, turns=[
        "They said years ago they suspected I was anemic. What was my hemoglobin level? I'd like to know the actual number"]),
]
CASES += [
    dict(id='rb12-en-031', patient='Josue_Sipes', kind='followup', gold=g_josue_flu_total, turns=[
        "when was my last flu jab",
        "ok. and how many have i had altogether, all the ones you've got on file?"]),
    dict(id='rb12-en-032', patient='AT_ELGA_GmbH_01', kind='followup', gold=g_at_fsme, turns=[
        "We're planning a hiking holiday in the forests and my friend says I need the tick-borne encephalitis jab. "
        "I'm fairly sure I had some of those a few years ago. When did I get them?",
        "So how many doses is that in total?"]),
    dict(id='rb12-en-033', patient='Luigi_Wiegand', kind='followup', gold=g_luigi_shots, turns=[
        "which vaccines did Luigi get at his last checkup? my husband took him and didn't keep the paper",
        "and the visit before that one, what did he get then?"]),
    dict(id='rb12-en-034', patient='Vito_Feeney', kind='count', gold=g_vito_colonoscopy, turns=[
        "Sorting out my dad's papers after all these years. My gastro asked about family history - "
        "how many colonoscopies did he have, and when?"]),
    dict(id='rb12-en-035', patient='US_MEDITECH_ips_2', kind='list', gold=g_meditech_allergies, turns=[
        "can u tell me exactly which drug allergies are on my chart? I know I break out in hives with some antibiotic but not sure which one(s) they wrote down"]),
    dict(id='rb12-en-036', patient='IPS_IG-bundle-01', kind='still_on', gold=g_ips_anastrozole, turns=[
        "After my breast cancer treatment I was put on anastrozole. My new GP is asking whether I'm still meant to be on it and "
        "since when. What does my record say - is it still current or has it been stopped?"]),
    dict(id='rb12-en-037', patient='Liz_Conn', kind='ever_had', gold=g_liz_hpv, turns=[
        "Did I ever have the HPV vaccine? My gyno wants to know and I think I might have had it as a teenager but no idea honestly"]),
    dict(id='rb12-en-038', patient='Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', kind='meaning', gold=g_lisa_covid, turns=[
        "Back in 2020 my girl had fever, cough, the whole lot and they swabbed her for everything. Her school is now asking for "
        "proof of a past positive covid test. What did her covid swab actually say, and what date was it? I also remember they "
        "checked for flu at the same time but I think that was negative, it's the covid one I need."]),
    dict(id='rb12-en-039', patient='Martina_Murazik', kind='not_found', gold=g_martina_vitd, turns=[
        "what was my vitamin D level? my friend takes supplements and said I should check mine first"]),
    dict(id='rb12-en-040', patient='Vito_Feeney', kind='previous', gold=lambda: g_prev('Vito_Feeney', '38483-4', 'Creatinine 38483-4'), turns=[
        "One more about my father's file. His last creatinine, the kidney blood test, was in September 1979 just before he passed. "
        "What was the one before that and when was it taken?"]),
]
#CASES_HERE

def build():
    out = []
    for c in CASES:
        g = c['gold']()
        d = {'id': c['id'], 'lang': 'en', 'patient': c['patient'], 'kind': c['kind'], 'turns': c['turns']}
        d.update(g)
        out.append(d)
    return out

def main():
    cases = build()
    files = {}
    for i, c in enumerate(cases):
        files.setdefault('en-%02d.jsonl' % (i // 10 + 1), []).append(c)
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    for name, lst in sorted(files.items()):
        text = ''.join(json.dumps(c, ensure_ascii=False) + '\n' for c in lst)
        p = os.path.join(outdir, name)
        if outdir == HERE and os.path.exists(p):
            print(name, 'OK' if open(p, encoding='utf-8').read() == text else 'DIFF')
        elif len(lst) == 10 or outdir != HERE:
            open(p, 'w', encoding='utf-8').write(text)
            print('wrote', p, len(lst))
        else:
            print(name, 'incomplete (%d cases), not written' % len(lst))

if __name__ == '__main__':
    main()
