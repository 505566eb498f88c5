#!/usr/bin/env python3
"""Gold for the English record-25 cases. Run without arguments to verify the saved files."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import G, day, num, robust, clinical_date, main

LANG = 'en'
CASES = []


def case(patient, kind, turns):
    def deco(fn):
        CASES.append({'id': 'rb25-en-%03d' % (len(CASES) + 1), 'lang': LANG, 'patient': patient,
                      'kind': kind, 'turns': turns, 'gold': fn})
        return fn
    return deco


def status(r):
    return ((r.get('clinicalStatus') or {}).get('coding') or [{}])[0].get('code')


# ---------------------------------------------------------------- file 01
@case('Liz_Conn', 'still_on', [
    "quick one - the water tablet for my blood pressure, hydrochlorothiazide. am I still meant to be "
    "on it or did they take me off it at some point? I honestly can't remember if the last doctor said stop"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['hydrochlorothiazide'])
    assert len(m) == 1
    d, ref, r = m[0]
    assert r['status'] == 'active'
    return G([ref], [day(r['authoredOn'])],
             note='Only MedicationRequest for hydrochlorothiazide 25 MG, status active, authoredOn %s '
                  '-> still on it (never stopped in the record).' % day(r['authoredOn']))


@case('Luigi_Wiegand', 'count', [
    "Hi, I'm Luigi's mum. The nurse asked me how many rotavirus doses he's had so far and I "
    "completely blanked 🙈 how many does his record show?"])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['119', '116', '122'], words=['rotavirus'])
    m = [t for t in m if t[2].get('status') == 'completed']
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Immunizations with rotavirus vaccine code (CVX 119): %d, on %s.'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('IPS_IG-bundle-01', 'list', [
    "Going in for a small procedure next week and the form asks me to list all my allergies. "
    "What allergies have you got on file for me?"])
def _(rec):
    out = []
    for ref, r in rec.of('AllergyIntolerance'):
        codes = {c.get('code') for c in r['code'].get('coding', [])}
        if '429625007' in codes:   # "No known food allergy" is a negation, not an allergy
            continue
        out.append(ref)
    assert len(out) == 1
    return G(out, [],
             note='AllergyIntolerance list minus the SNOMED 429625007 "No known food allergy" '
                  'negation entry -> the penicillin-class allergy (onset 2010) is the only allergy.')


@case('US_MEDITECH_ips_2', 'still_on', [
    "am i still supposed to be doing the aranesp injections (darbepoetin)? they started them when i "
    "was in hospital in november and nobody told me if its long term"])
def _(rec):
    refs, dates = [], []
    for ref, r in rec.of('MedicationRequest'):
        med = rec.resolve(r['medicationReference']['reference'])
        txt = (r['medicationReference'].get('display') or '') + ' ' + (med or {}).get('code', {}).get('text', '')
        if 'darbepoetin' in txt.lower():
            assert r['status'] == 'active'
            refs.append(ref); dates.append(day(r['authoredOn']))
    # the NDC-only MedicationStatement started at the same instant (Amgen labeler 55513) is the same order
    for ref, r in rec.of('MedicationStatement'):
        if day(clinical_date(r)) in dates and r.get('status') == 'active':
            refs.append(ref)
    return G(refs, sorted(set(dates)), match='any',
             note='MedicationRequest for darbepoetin alfa (Aranesp) status active, authoredOn %s, no end; '
                  'the NDC-only MedicationStatement with the same start is also active -> still on it.'
                  % dates[0])


@case('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'ever_had', [
    "My daughter was really poorly back in 2020 with a high temp and couldn't breathe properly. Did she "
    "actually test positive for covid that time or was it just a suspected thing? I'm filling in a "
    "school health form."])
def _(rec):
    refs = []
    for d, ref, r in rec.obs(['94531-1', '94500-6', '94309-2']):
        v = r.get('valueCodeableConcept')
        if v and any(c.get('code') == '260373001' for c in v.get('coding', [])):
            refs.append((d, ref))
    conds = [(clinical_date(r), ref) for ref, r in rec.of('Condition')
             if any(c.get('code') == '840539006' for c in r['code'].get('coding', []))]
    allr = refs + conds
    return G([x[1] for x in allr], sorted({day(x[0]) for x in allr}), match='any',
             note='SARS-CoV-2 RNA Observation with value "Detected" (the twin with the "{entry.value}" '
                  'template placeholder is not a result) and Condition COVID-19 (840539006), both 2020-02-29.')


@case('AT_ELGA_GmbH_01', 'latest', [
    "What's the most recent blood pressure you have for me?"])
def _(rec):
    sys_ = rec.comp_obs('8480-6'); dia = rec.comp_obs('8462-4')
    last = max(day(t[0]) for t in sys_)
    s = [t for t in sys_ if day(t[0]) == last]; d_ = [t for t in dia if day(t[0]) == last]
    refs = [t[1] for t in s] + [t[1] for t in d_]
    vals = [num(t[2]) for t in s] + [num(t[2]) for t in d_] + [last]
    return G(refs, vals,
             note='Systolic (8480-6) and diastolic (8462-4) are separate Observations; the latest date %s '
                  'holds two readings at 08:30 (one with an effectivePeriod, one with effectiveDateTime): '
                  '%s. Both readings are gold.' % (last, ', '.join('%s/%s' % (num(a[2]), num(b[2])) for a, b in zip(s, d_))))


@case('Annmarie_Doyle', 'count', [
    "My mother is 86 and she's adamant she's had a flu jab every single year. How many flu jabs does her "
    "record actually show altogether? I look after her health stuff on here."])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['140', '141', '150', '158', '135', '88', '111', '144', '153', '155', '161', '166', '168', '171', '185', '186', '197', '205'],
                       words=['influenza'])
    m = [t for t in m if t[2].get('status') == 'completed']
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Immunizations with an influenza vaccine code: %d (%s to %s).'
                  % (len(m), day(m[0][0]), day(m[-1][0])))


@case('Laurie_McCullough', 'last_visit', [
    "when was I last seen and what was it for? need it for a sick note thing"])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter'))
    d, ref, r = enc[-1]
    reason = r['reasonCode'][0]['coding'][0]
    return G([ref], [day(d)],
             note='Encounter with the latest period.start: %s, %s, reason %s (SNOMED %s).'
                  % (day(d), r['type'][0]['coding'][0]['display'], reason['display'], reason['code']))


@case('Liz_Conn', 'not_found', [
    "my sister just got diagnosed with diabetes so now I'm paranoid lol. have I ever had my sugar checked, "
    "the A1c one? what did it say"])
def _(rec):
    m = rec.obs(['4548-4', '17856-6', '4549-2', '2339-0', '2345-7', '41653-7'])
    assert not m
    return G([], [], nf=True,
             note='No Observation with LOINC 4548-4/17856-6/4549-2 (HbA1c) or glucose 2339-0/2345-7/41653-7 '
                  'in the record -> not in the record.')


@case('Luigi_Wiegand', 'followup', [
    "how long was Luigi at his last baby check? the health visitor wrote it in the red book but I've lost it",
    "ok and at the check before that one?"])
def _(rec):
    h = rec.obs(['8302-2'])
    d, ref, r = h[-2]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Body height (8302-2) by date; the follow-up asks for the one before the latest '
                  '(latest %s): %s = %s cm (gold value is the part shared by 0/1/2-decimal roundings).'
                  % (day(h[-1][0]), day(d), v))



# ---------------------------------------------------------------- file 02
@case('Daisey_Johns', 'last_visit', [
    "Hiya, I'm Daisey's dad. Can you tell me when she was last seen by you lot and what the appointment "
    "was for? Her mum usually takes her and I'm trying to keep track"])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter'))
    d, ref, r = enc[-1]
    return G([ref], [day(d)],
             note='Encounter with the latest period.start (bundle order is not chronological: a '
                  '2020-12-15 sinusitis visit is listed after it): %s, %s.'
                  % (day(d), r['type'][0]['coding'][0]['display']))


@case('Emery_Purdy', 'ever_had', [
    "My brother just had polyps found and the GP said I should check whether I've ever been scoped myself. "
    "Have I had a colonoscopy, and if so when?"])
def _(rec):
    m = rec.match_code('Procedure', 'code', codes=['73761001'], words=['colonoscopy'])
    m = [t for t in m if t[2].get('status') == 'completed']
    assert m
    return G([t[1] for t in m], [day(t[0]) for t in m],
             note='Completed Procedure colonoscopy (SNOMED 73761001): %s -> yes.'
                  % ', '.join(day(t[0]) for t in m))


@case('Josue_Sipes', 'latest', [
    "the kidney doctor keeps talking about my 'GFR'. what was it on my most recent bloods? I've got CKD "
    "and diabetes so I'm trying to keep an eye on it myself"])
def _(rec):
    m = rec.obs(['33914-3', '62238-1', '48642-3', '48643-1', '69405-9'])
    last = day(m[-1][0])
    same = [t for t in m if day(t[0]) == last]
    vals = [robust(t[2]['valueQuantity']['value']) for t in same]
    return G([t[1] for t in same], vals + [last],
             note='Latest eGFR Observations (LOINC 33914-3) by effectiveDateTime: two results on %s '
                  '(%s) from two panels the same day; both are gold.'
                  % (last, ', '.join('%s = %s' % (t[2]['code']['coding'][0]['display'], t[2]['valueQuantity']['value']) for t in same)))


@case('AT_ELGA_GmbH_01', 'meaning', [
    "My blood results from December 2016 have a ferritin that looks really high to me?? is it out of range? "
    "what is the normal range on the report"])
def _(rec):
    m = rec.obs(['2276-4'])
    assert len(m) == 1
    d, ref, r = m[0]
    rr = r['referenceRange'][0]
    return G([ref], [num(r['valueQuantity']['value']), num(rr['low']['value']), num(rr['high']['value'])],
             note='Ferritin (LOINC 2276-4) %s %s on %s, recorded reference range %s-%s -> above range.'
                  % (num(r['valueQuantity']['value']), r['valueQuantity']['unit'], day(d),
                     num(rr['low']['value']), num(rr['high']['value'])))


@case('Fidel_Bins', 'count', [
    "Weird question but did I get two flu shots in 2015 by mistake? My arm was sore twice that spring and "
    "I'm wondering. How many flu vaccines do you have for me that year?"])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['140', '141', '150', '158', '88'], words=['influenza'])
    m = [t for t in m if t[0].startswith('2015') and t[2].get('status') == 'completed']
    return G([t[1] for t in m], [str(len(m))] + [day(t[0]) for t in m], match='all',
             note='Completed influenza Immunizations with occurrenceDateTime in 2015: %d (%s).'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('Lupe_Little', 'value_in_year', [
    "what was my a1c back in 2016? the diabetes nurse wants to compare it with now"])
def _(rec):
    m = [t for t in rec.obs(['4548-4']) if t[0].startswith('2016')]
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v, 1), day(d)],
             note='HbA1c (LOINC 4548-4) with effectiveDateTime in 2016: one result, %s = %s %% '
                  '(gold value at 1 decimal).' % (day(d), v))


@case('Renea_Quigley', 'still_on', [
    "I've got ibuprofen on my repeat list in my head but I'm not sure it's still there. Am I still "
    "prescribed ibuprofen or was that stopped? My hip's been bad again"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['ibuprofen'])
    assert all(t[2]['status'] == 'stopped' for t in m)
    latest = m[-1]
    return G([latest[1]] + [t[1] for t in m[:-1]], [day(latest[0])], match='any',
             note='MedicationRequests for Ibuprofen 200 MG: %s, all status stopped; the most recent '
                  'was authored %s -> not on it any more (no end date recorded).'
                  % (len(m), day(latest[0])))


@case('Vito_Feeney', 'count', [
    "I'm going through my late grandad's records for a family history form for my own dad (prostate "
    "cancer runs in the family apparently). How many prostate biopsies did grandad have?"])
def _(rec):
    m = rec.match_code('Procedure', 'code', codes=['65575008'], words=['biopsy of prostate'])
    m = [t for t in m if t[2].get('status') == 'completed']
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Procedures "Biopsy of prostate" (SNOMED 65575008): %d (%s).'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('IPS_IG-bundle-01', 'list', [
    "can you list the medicines I'm currently taking? the pharmacist wants to check for interactions "
    "with something new"])
def _(rec):
    refs = []
    for ref, r in rec.of('MedicationStatement'):
        if r.get('status') == 'active':
            refs.append(ref)
    return G(refs, [],
             note='Active MedicationStatements (medicationReference -> Medication): anastrozole 1 mg '
                  '(since 2015-03) and black cohosh extract herbal supplement (since 2016-01).')


@case('Annmarie_Doyle', 'previous', [
    "Mum's cholesterol came back fine this time apparently, but what was it the time before? I want to see "
    "if it's actually gone down"])
def _(rec):
    m = rec.obs(['2093-3'])
    d, ref, r = m[-2]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Total cholesterol (LOINC 2093-3) by date: latest %s; the one before is %s = %s mg/dL.'
                  % (day(m[-1][0]), day(d), v))


# ---------------------------------------------------------------- file 03
@case('Martina_Murazik', 'meaning', [
    "I ended up in A&E in December with my breathing and they did loads of bloods. My daughter looked at "
    "the app and says one of my kidney numbers (the GFR?) is very low and she's worried. I already have heart "
    "failure and COPD so I'm on a fair few things. What was that number exactly and is it in the normal range?"])
def _(rec):
    m = rec.obs(['33914-3'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    return G([ref], [robust(v, 1), day(d)],
             note='Only/latest GFR Observation (LOINC 33914-3) %s = %s mL/min/1.73m2 (gold at 1 decimal); '
                  'no referenceRange recorded, so the answer should say so (value is well below the '
                  'usual >=60/90 adult thresholds, i.e. not normal).' % (day(d), v))


@case('US_MEDITECH_ips_2', 'list', [
    "Can you tell me which vaccines I've had according to my record? The transplant clinic wants an up to "
    "date list"])
def _(rec):
    refs, dates = [], []
    for ref, r in rec.of('Immunization'):
        if r.get('status') == 'completed':
            refs.append(ref); dates.append(day(r['occurrenceDateTime']))
    return G(refs, dates,
             note='Immunizations with status completed: DTaP (CVX 106) on %s. The influenza intradermal '
                  'entry (CVX 166, 2015-06-22) has status not-done and is not a vaccine received.' % dates[0])


@case('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found', [
    "school nurse needs her immunisation history, what jabs has she had?"])
def _(rec):
    assert not rec.of('Immunization')
    return G([], [], nf=True, note='No Immunization resources in this record -> not in the record.')


@case('Laurie_McCullough', 'ever_had', [
    "Did I have the HPV vaccine as a teenager? I'm going for my first smear and the nurse asked. If yes how "
    "many doses?"])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['62', '118', '137', '165'], words=['hpv'])
    m = [t for t in m if t[2].get('status') == 'completed']
    return G([t[1] for t in m], [str(len(m))] + [day(t[0]) for t in m],
             note='Completed Immunizations with HPV vaccine code (CVX 62, quadrivalent): %d doses on %s.'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('Daisey_Johns', 'list', [
    "We're doing a sleepover form for Daisey and it has a big box for allergies. I know about the bees and "
    "the egg one but I think there were loads from the allergy test a few years ago. Can you list everything "
    "she's down as allergic to please?"])
def _(rec):
    refs = []
    for ref, r in rec.of('AllergyIntolerance'):
        st = ((r.get('clinicalStatus') or {}).get('coding') or [{}])[0].get('code')
        if st in (None, 'active'):
            refs.append(ref)
    return G(refs, [],
             note='All %d AllergyIntolerance entries, all clinicalStatus active (bee venom, mould, house '
                  'dust mite, animal dander, grass pollen, tree pollen, eggs, fish); the category "food" on '
                  'every entry is a data quirk.' % len(refs))


@case('Emery_Purdy', 'followup', [
    "what was my blood pressure at my last physical",
    "hmm that seems high. what was it the year before?"])
def _(rec):
    s_ = rec.comp_obs('8480-6'); d_ = rec.comp_obs('8462-4')
    years = sorted({day(t[0])[:4] for t in s_})
    last = s_[-1][0]
    prev = [t for t in s_ if t[0][:4] == str(int(last[:4]) - 1)]
    assert len(prev) == 1
    pd, pref, pv = prev[0]
    dv = [t for t in d_ if t[0] == pd][0][2]
    return G([pref], [robust(pv), robust(dv), day(pd)],
             note='Blood pressure panel (55284-4, components 8480-6/8462-4): latest %s; the year before '
                  'is %s with systolic %s / diastolic %s mmHg.' % (day(last), day(pd), pv, dv))


@case('Josue_Sipes', 'still_on', [
    "after my stroke they put me on a blood thinner, clopidogrel. I haven't had any in my blister packs for "
    "a while. am I meant to still be on it or was it stopped?"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['clopidogrel'])
    assert len(m) == 1
    d, ref, r = m[0]
    assert r['status'] == 'stopped'
    return G([ref], [day(r['authoredOn'])],
             note='MedicationRequest Clopidogrel 75 MG, status stopped, authoredOn %s (no end date '
                  'recorded) -> stopped.' % day(r['authoredOn']))


@case('Fidel_Bins', 'last_visit', [
    "When did I last have an asthma review? Not the ordinary yearly check, the proper asthma one. They're "
    "chasing me to book in and I swear I went not that long ago"])
def _(rec):
    enc = []
    for ref, r in rec.of('Encounter'):
        t = r['type'][0]
        if any(c.get('code') == '394701000' for c in t.get('coding', [])) or 'asthma follow' in (t.get('text') or '').lower():
            enc.append((clinical_date(r), ref))
    enc.sort()
    d, ref = enc[-1]
    return G([ref], [day(d)],
             note='Latest Encounter of type "Asthma follow-up" (SNOMED 394701000): %s. Later check-up '
                  '(2021-03-29) is a general check-up, not an asthma review.' % day(d))


@case('Lupe_Little', 'not_found', [
    "what dose of metformin am i on? ran out and want to ask the pharmacy for more"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['metformin'])
    m += rec.match_code('MedicationStatement', 'medicationCodeableConcept', words=['metformin'])
    assert not m
    return G([], [], nf=True,
             note='No MedicationRequest/MedicationStatement for metformin (the record has no medication '
                  'resources at all) -> not in the record.')


@case('Renea_Quigley', 'followup', [
    "how many colonoscopies have I had?",
    "and when was the last one? trying to work out if I'm due"])
def _(rec):
    m = rec.match_code('Procedure', 'code', codes=['73761001'], words=['colonoscopy'])
    m = [t for t in m if t[2].get('status') == 'completed']
    d, ref, r = m[-1]
    return G([ref], [day(d)],
             note='Completed colonoscopy Procedures: %d (%s); the follow-up asks for the most recent: %s.'
                  % (len(m), ', '.join(day(t[0]) for t in m), day(d)))


# ---------------------------------------------------------------- file 04
@case('Vito_Feeney', 'latest', [
    "My dad's GP wants to know our family history. My grandfather Vito died of prostate cancer in 1979 and "
    "I have access to his old record through this app (mum set it up years ago). What was the last PSA "
    "result recorded for him before he passed?"])
def _(rec):
    m = rec.obs(['2857-1'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v, 1), day(d)],
             note='Latest PSA Observation (LOINC 2857-1) by effectiveDateTime: %s = %s ng/mL (gold at '
                  '1 decimal).' % (day(d), v))


@case('Martina_Murazik', 'ever_had', [
    "have i had the pneumonia jab? the pharmacist offered me one today but i think i might have already had it"])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['33', '133', '152', '215', '216'], words=['pneumococcal'])
    m = [t for t in m if t[2].get('status') == 'completed']
    return G([t[1] for t in m], [day(t[0]) for t in m],
             note='Completed pneumococcal Immunizations: PCV13 (CVX 133) and PPSV23 (CVX 33): %s -> yes, both.'
                  % ', '.join(day(t[0]) for t in m))


@case('Martina_Murazik', 'previous', [
    "At my COPD review they said my breathing test ratio has dropped again. What was the result the time "
    "before the latest one?"])
def _(rec):
    m = rec.obs(['19926-5'])
    d, ref, r = m[-2]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='FEV1/FVC Observations (LOINC 19926-5) by date: latest %s; the one before is %s = %s %%.'
                  % (day(m[-1][0]), day(d), v))


@case('Emery_Purdy', 'value_in_year', [
    "what was my blood sugar (glucose) on the bloods in 2014? trying to make a graph of it lol"])
def _(rec):
    m = [t for t in rec.obs(['2339-0']) if t[0].startswith('2014')]
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Glucose (LOINC 2339-0) in 2014: one result, %s = %s mg/dL.' % (day(d), v))


@case('Renea_Quigley', 'last_visit', [
    "When was the last time I went to the emergency department, and what was it for? The insurance form "
    "asks about ER visits in the past few years."])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter') if r['class'].get('code') == 'EMER')
    d, ref, r = enc[-1]
    conds = [(cref, c) for cref, c in rec.of('Condition') if day(clinical_date(c)) == day(d)]
    return G([ref] + [c[0] for c in conds], [day(d)], match='any',
             note='Latest Encounter with class EMER: %s; the Condition started that day is %s.'
                  % (day(d), ', '.join(c[1]['code']['coding'][0]['display'] for c in conds)))


@case('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning', [
    "When my daughter had covid they wrote down her oxygen level. What was it, and is that a normal number? "
    "She seemed ok-ish at home apart from the cough and being breathless."])
def _(rec):
    m = rec.obs(['59408-5', '2708-6'])
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    return G([ref], [robust(v), day(d)],
             note='Oxygen saturation by pulse oximetry (LOINC 59408-5) %s %% on %s; no referenceRange '
                  'recorded (usual normal is about 95-100%%, so this is low).' % (v, day(d)))


@case('IPS_IG-bundle-01', 'meaning', [
    "my HbA1c was 7.5 the last time - is that bad? what is it supposed to be?"])
def _(rec):
    m = rec.obs(['17856-6', '4548-4'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    return G([ref], [num(v)],
             note='HbA1c (LOINC 17856-6) %s %% on %s; no referenceRange, but the Observation note says '
                  '"%s" -> above the stated target.' % (num(v), day(d), r['note'][0]['text']))


@case('US_MEDITECH_ips_2', 'not_found', [
    "what was my potassium on my last blood test"])
def _(rec):
    assert not rec.of('Observation')
    return G([], [], nf=True,
             note='The record holds no Observation resources (no lab results at all), so no potassium '
                  '(LOINC 2823-3/6298-4) -> not in the record.')


@case('Daisey_Johns', 'latest', [
    "how tall was daisey last time she was measured?? she's convinced she's shot up and wants to know "
    "the 'official' number from the doctor's 😂"])
def _(rec):
    m = rec.obs(['8302-2'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Latest Body Height (LOINC 8302-2) by effectiveDateTime: %s = %s cm.' % (day(d), v))


@case('Josue_Sipes', 'followup', [
    "how many times did I do the breathing test (spirometry) in 2020?",
    "and how many altogether since they started?"])
def _(rec):
    m = rec.match_code('Procedure', 'code', codes=['127783003'], words=['spirometry'])
    m = [t for t in m if t[2].get('status') == 'completed']
    in2020 = [t for t in m if t[0].startswith('2020')]
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Spirometry Procedures (SNOMED 127783003): %d in 2020 (first turn), %d in total '
                  'from %s to %s (the follow-up asks for the total).'
                  % (len(in2020), len(m), day(m[0][0]), day(m[-1][0])))

if __name__ == '__main__':
    main(CASES, LANG)
