#!/usr/bin/env python3
# Gold for /work/blind/record-23/en-*.jsonl.  Run: python3 gold-en.py  (prints + checks)
# python3 gold-en.py write N   (writes en-0N.jsonl once; never overwrites)
import json
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *  # noqa

OUT = os.path.dirname(os.path.abspath(__file__))
C = []


def case(id, patient, kind, turns):
    def deco(fn):
        C.append({'id': id, 'patient': patient, 'kind': kind, 'turns': turns, 'fn': fn})
        return fn
    return deco


def latest_obs(code, nd, label):
    def fn(b):
        d, es = latest_day(obs(b, code))
        vals = [fmt(val(e), nd) for e in es]
        return gold([ref(e) for e in es], sorted(set(vals)) + [d],
                    'latest Observation LOINC %s (%s) by effectiveDateTime: %s on %s (rounded to %d dp)'
                    % (code, label, ', '.join(vals), d, nd))
    return fn


# ---------------- file en-01 ----------------
case('rb23-en-001', 'Josue_Sipes', 'latest',
     ["whats my most recent sugar test, the 3 month average one. doc keeps going on about it"])(
    latest_obs('4548-4', 1, 'HbA1c'))

case('rb23-en-002', 'Renea_Quigley', 'latest',
     ["Hi, I had bloods done at my March check up and the nurse mentioned my kidneys are 'a bit "
      "sluggish' now, which is new to me. I've been diabetic for years and on the water tablet "
      "for blood pressure forever, I just started the insulin too. My sister has kidney problems "
      "so I'm a bit jumpy about it. I don't really understand all the numbers but someone told me "
      "the creatinine is the one to look at. What was my latest creatinine?"])(
    latest_obs('38483-4', 2, 'creatinine; two panels on the same latest day, both gold'))


@case('rb23-en-003', 'Emery_Purdy', 'value_in_year',
      ["what was my bad cholesterol in 2020?"])
def _(b):
    es = [e for e in obs(b, '18262-6') if day(e['resource']).startswith('2020')]
    return gold([ref(e) for e in es], [fmt(val(e), 0) for e in es] + [day(es[0]['resource'])],
                'LDL (LOINC 18262-6) with effectiveDateTime in 2020: single result, rounded to integer mg/dL')


@case('rb23-en-004', 'Josue_Sipes', 'count',
      ["how many flu jabs have I had since 2018? trying to work out if I'm due one lol"])
def _(b):
    es = [e for e in imms(b, lambda t, r: 'influenza' in t.lower()) if day(e['resource']) >= '2018-01-01']
    return gold([ref(e) for e in es], [str(len(es))],
                'count of Immunization influenza with occurrenceDateTime >= 2018-01-01; refs = those doses')


@case('rb23-en-005', 'Martina_Murazik', 'list',
      ["I'm asking for my mum, she's got the hospital letter but it's a mess. Since her heart "
       "failure diagnosis last year she's been given new tablets and she also has the inhaler for "
       "her chest and some iron thing she's been on since forever. She gets muddled about what's "
       "what and I'm trying to make her a pill chart to stick on the fridge. Can you tell me "
       "exactly what medicines she is meant to be on at the moment according to her record?"])
def _(b):
    es = find(b, 'MedicationRequest', lambda r: r.get('status') == 'active')
    return gold([ref(e) for e in es], [],
                'all MedicationRequest with status active (ferrous sulfate, fluticasone/salmeterol, '
                'metoprolol succinate, Lasix); none stopped')


@case('rb23-en-006', 'Laurie_McCullough', 'still_on',
      ["am i still down as taking the mini pill (jolivette)? or did that get stopped"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'jolivette' in text_of(r.get('medicationCodeableConcept')).lower())
    r = es[-1]['resource']
    return gold([ref(e) for e in es], [day(r)],
                'MedicationRequest Jolivette status=%s, authoredOn %s; no active one -> stopped'
                % (r['status'], day(r)))


@case('rb23-en-007', 'Renea_Quigley', 'ever_had',
      ["My GP surgery sent a letter inviting me for bowel screening. Thing is I'm fairly sure I had "
       "a camera up there a while back, maybe more than once? I don't want to go through the prep "
       "again if I don't need to, that stuff is vile. Have I actually had a colonoscopy and if so "
       "when?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'colonoscopy' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'Procedure Colonoscopy: %d records, dates listed (yes)' % len(es))


@case('rb23-en-008', 'Fidel_Bins', 'last_visit',
      ["when did I last see the doctor and what was it for"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)],
                'latest Encounter by period.start: %s, %s' % (day(r), text_of(r.get('type')[0])))


@case('rb23-en-009', 'AT_ELGA_GmbH_01', 'meaning',
      ["my blood results from Vienna are all in German, one says Ferritin 724 and it has a little "
       "arrow. is that bad? what's normal?"])
def _(b):
    es = obs(b, text='ferritin')
    e = es[-1]
    lo, hi = rng(e)[0]
    return gold([ref(e)], [fmt(val(e), 0), fmt(lo, 0), fmt(hi, 0)],
                'Observation Ferritin %s ug/L on %s, reference range %s-%s (above range)'
                % (val(e), day(e['resource']), lo, hi))


@case('rb23-en-010', 'Annmarie_Doyle', 'not_found',
      ["My granddaughter set this up for me. My friend at church had her HbA1c done and was told "
       "she is borderline diabetic, and we are the same age and both a bit heavy. I am 86. I "
       "would like to know what my own HbA1c result was the last time they did it, please."])
def _(b):
    es = obs(b, '4548-4') + obs(b, '17856-6') + obs(b, text='a1c')
    assert not es
    return gold([], [], 'no HbA1c Observation (LOINC 4548-4/17856-6 or text A1c) in record -> not in record',
                nf=True)

# ---------------- file en-02 ----------------
@case('rb23-en-011', 'AT_ELGA_GmbH_01', 'latest',
      ["what was my blood pressure last time it was measured?"])
def _(b):
    es = obs(b, text='systolic') + obs(b, text='diastolic')
    d, es = latest_day(es)
    es.sort(key=lambda e: (when(e['resource']), ref(e)))
    return gold([ref(e) for e in es], sorted(set(fmtz(val(e), 0) for e in es)) + [d],
                'systolic and diastolic are separate Observations; two readings on %s at 08:30 '
                '(one as effectivePeriod, one as effectiveDateTime): 110/70 and 117/64, all four gold' % d)


@case('rb23-en-012', 'Annmarie_Doyle', 'previous',
      ["They told me at my June check-up that my cholesterol had come down, which pleased me as I "
       "have been trying to cut out cakes since the winter. My son says I should not believe it "
       "until I see the numbers. What was my cholesterol the time before the last one? I would "
       "like to compare."])
def _(b):
    d, es = prev_day(obs(b, '2093-3'))
    return gold([ref(e) for e in es], [fmtz(val(e), 0) for e in es] + [d],
                'total cholesterol (LOINC 2093-3): second-latest date %s, value rounded to integer mg/dL' % d)


@case('rb23-en-013', 'Annmarie_Doyle', 'count',
      ["how many flu vaccines have I had in total that you have on file"])
def _(b):
    es = imms(b, lambda t, r: 'influenza' in t.lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'count of all Immunization influenza in record (Td excluded)')


@case('rb23-en-014', 'Daisey_Johns', 'list',
      ["Hi there, my daughter is starting at a new nursery next week and they want a full list of "
       "her allergies for the form, including food. I know about the eggs and the bee sting one "
       "because that's why she has the EpiPen, but the allergy clinic did loads of tests when she "
       "was a baby and I honestly can't remember the rest. She's 5. Can you list every allergy "
       "that's on her record so I don't miss anything?"])
def _(b):
    es = find(b, 'AllergyIntolerance', lambda r: True)
    return gold([ref(e) for e in es], [],
                'all %d AllergyIntolerance entries (bee venom, mould, dust mite, animal dander, grass '
                'pollen, tree pollen, eggs, fish), all active' % len(es))


@case('rb23-en-015', 'IPS_IG-bundle-01', 'still_on',
      ["after the breast cancer they put me on anastrozole. am I still meant to be on it or has it "
       "been stopped? its been a couple of years and I forget what the oncologist said"])
def _(b):
    ms = [e for e in entries(b, 'Medication') if 'anastrozol' in text_of(e['resource']['code']).lower()]
    murl = ms[0]['fullUrl']
    es = find(b, 'MedicationStatement', lambda r: r.get('medicationReference', {}).get('reference') == murl)
    r = es[0]['resource']
    return gold([ref(e) for e in es], [r['effectivePeriod']['start']],
                'MedicationStatement -> Medication anastrozole 1 mg, status %s, effectivePeriod.start %s, no end'
                % (r['status'], r['effectivePeriod']['start']))


@case('rb23-en-016', 'Emery_Purdy', 'ever_had',
      ["My wife had shingles last month and it was horrendous, she was in bed for a week with the "
       "pain on her side. I'm 53 and my mate says I should get the shingles jab but I have a "
       "feeling the nurse already gave me something for that at one of my diabetes reviews. Have "
       "I had the shingles vaccine?"])
def _(b):
    es = imms(b, lambda t, r: 'zoster' in t.lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'Immunization zoster x%d (yes), dates listed' % len(es))


@case('rb23-en-017', 'Martina_Murazik', 'last_visit',
      ["what was mums last appointment about? the one in december"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    px = find(b, 'Procedure', lambda p: day(p) == day(r))
    return gold([ref(e)], [day(r)],
                'latest Encounter %s, type %s, class %s, no reasonCode; same-day procedure(s): %s'
                % (day(r), r['type'][0]['text'], r['class']['code'],
                   ', '.join(text_of(p['resource']['code']).split(' | ')[-1] for p in px)))


@case('rb23-en-018', 'IPS_IG-bundle-01', 'meaning',
      ["is my HbA1c ok? it says 7.5 percent"])
def _(b):
    es = obs(b, '17856-6')
    e = es[-1]
    assert not rng(e)
    return gold([ref(e)], [fmtz(val(e), 1), day(e['resource'])],
                'Observation HbA1c (LOINC 17856-6) 7.5 %% on %s; no referenceRange recorded in the record'
                % day(e['resource']))


@case('rb23-en-019', 'Fidel_Bins', 'not_found',
      ["can you pull up what my colonoscopy found? want to show my brother, he's going for his"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'colonoscopy' in text_of(r.get('code')).lower())
    es += find(b, 'DiagnosticReport', lambda r: 'colon' in text_of(r.get('code')).lower())
    assert not es
    return gold([], [], 'no colonoscopy Procedure or report in record -> not in record', nf=True)


@case('rb23-en-020', 'Daisey_Johns', 'followup',
      ["when was daisy's last check up with the doctor?",
       "and the one before that?"])
def _(b):
    cu = [e for e in encounters(b) if 'check up' in text_of(e['resource']['type'][0]).lower()]
    e = cu[-2]
    return gold([ref(e)], [day(e['resource'])],
                'check-up Encounters by period.start: last %s, the one before %s (gold = second turn)'
                % (day(cu[-1]['resource']), day(e['resource'])))

# ---------------- file en-03 ----------------
@case('rb23-en-021', 'Liz_Conn', 'latest',
      ["I've been getting these pounding headaches at the back of my head when I get in from work, "
       "usually go after a lie down and some paracetamol, no vision stuff or anything. I know I've "
       "got high blood pressure and I'm on the hydrochlorothiazide but honestly I'm terrible at "
       "taking it and haven't been in for a check in ages. Before I book in, what was my blood "
       "pressure the last time they took it?"])
def _(b):
    d, es = latest_day(obs(b, '55284-4'))
    e = es[0]
    sy, di = comp(e, '8480-6'), comp(e, '8462-4')
    return gold([ref(e)], [fmtz(sy, 0), fmtz(di, 0), d],
                'latest BP panel (LOINC 55284-4) on %s: systolic %.1f / diastolic %.1f (rounded to integers)'
                % (d, sy, di))


@case('rb23-en-022', 'Vito_Feeney', 'value_in_year',
      ["I'm sorting through my late father's medical file for the family history, because my "
       "brother and I want to know whether we should be getting checked for prostate cancer. Dad "
       "had a lot of PSA tests over the years before he was diagnosed. What was his PSA level in "
       "1976?"])
def _(b):
    es = [e for e in obs(b, '2857-1') if day(e['resource']).startswith('1976')]
    return gold([ref(e) for e in es], [fmtz(val(e), 1) for e in es] + [day(es[0]['resource'])],
                'PSA (LOINC 2857-1) with effectiveDateTime in 1976: one result, rounded to 1 dp ng/mL')


@case('rb23-en-023', 'AT_ELGA_GmbH_01', 'count',
      ["going hiking in Austria again this summer. how many tick vaccine shots (FSME) have i had so far?"])
def _(b):
    es = imms(b, lambda t, r: 'J07BA01' in t or 'encepur' in t.lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'Immunization ATC J07BA01 (tick-borne encephalitis, Encepur): %d completed doses, dates %s'
                % (len(es), ', '.join(day(e['resource']) for e in es)))


@case('rb23-en-024', 'IPS_IG-bundle-01', 'list',
      ["what allergies do I have on my file?"])
def _(b):
    es = find(b, 'AllergyIntolerance', lambda r: 'no known' not in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [],
                'AllergyIntolerance: penicillin-class allergy (high criticality) only; the "No known food '
                'allergy" entry is a negation and is not an allergy')


@case('rb23-en-025', 'Josue_Sipes', 'still_on',
      ["After my stroke they put me on a blood thinner, clopidogrel I think it's called. I've got a "
       "pile of old boxes in the cupboard and my wife says I'm not supposed to take them anymore "
       "but I thought you had to stay on them for life after a stroke? Am I still meant to be "
       "taking clopidogrel or was it stopped?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'clopidogrel' in text_of(r.get('medicationCodeableConcept')).lower())
    r = es[-1]['resource']
    return gold([ref(e) for e in es], [day(r)],
                'MedicationRequest clopidogrel status=%s, authoredOn %s; no active clopidogrel -> stopped'
                % (r['status'], day(r)))


@case('rb23-en-026', 'US_MEDITECH_ips_2', 'ever_had',
      ["dentist asking if ive ever had a pacemaker or anything like that put in. have i?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'pacemaker' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'Procedure "Intro of Pacemaker via vein", completed, %s (yes)' % day(es[0]['resource']))


@case('rb23-en-027', 'Laurie_McCullough', 'last_visit',
      ["when was i last seen at the clinic and what for? need it for a work form"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)],
                'latest Encounter %s, %s, reason %s'
                % (day(r), r['type'][0]['coding'][0]['display'], text_of(r['reasonCode'][0]).split(' | ')[-1]))


@case('rb23-en-028', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning',
      ["my daughter was seen back in feb 2020 with that covid thing, she had a fever and was "
       "wheezy. I'm only now reading her notes and it says her oxygen was 76. what does that mean, "
       "is that normal for a kid?"])
def _(b):
    es = obs(b, '59408-5')
    e = es[-1]
    assert not rng(e)
    return gold([ref(e)], [fmtz(val(e), 0), day(e['resource'])],
                'Observation SpO2 (LOINC 59408-5) %s %% on %s; no referenceRange recorded (well below usual '
                '95-100 %%)' % (val(e), day(e['resource'])))


@case('rb23-en-029', 'Liz_Conn', 'not_found',
      ["so tired all the time lately and my hair's coming out in the shower, my mum has an "
       "underactive thyroid. did they ever check my thyroid and what did it show?"])
def _(b):
    es = [e for e in obs(b) if any(k in text_of(e['resource']['code']).lower()
                                   for k in ('tsh', 'thyro', 't4', 't3'))]
    assert not es
    return gold([], [], 'no thyroid test (TSH/T4/T3) Observation in record -> not in record', nf=True)


@case('rb23-en-030', 'Josue_Sipes', 'followup',
      ["when did I start the lung rehab sessions?",
       "how many have I been to altogether?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'rehabilitation' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'Procedure Pulmonary rehabilitation: first %s; total %d (gold = second turn)'
                % (day(es[0]['resource']), len(es)))

# ---------------- file en-04 ----------------
@case('rb23-en-031', 'Lupe_Little', 'value_in_year',
      ["Trying to lose weight because of the prediabetes and I swear I've piled it on over the "
       "last few years, my jeans don't lie lol. The scales at the gym are rubbish though. Do you "
       "have what I weighed at the clinic back in 2016?"])
def _(b):
    es = [e for e in obs(b, '29463-7') if day(e['resource']).startswith('2016')]
    return gold([ref(e) for e in es], [fmtz(val(e), 1) for e in es] + [day(es[0]['resource'])],
                'Body weight (LOINC 29463-7) in 2016: one result, kg rounded to 1 dp')


@case('rb23-en-032', 'Luigi_Wiegand', 'count',
      ["how many of the diphtheria/tetanus/whooping cough jabs has my little boy had so far? "
       "the red book is lost somewhere in the move"])
def _(b):
    es = imms(b, lambda t, r: 'dtap' in t.lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'Immunization DTaP: %d doses (%s)' % (len(es), ', '.join(day(e['resource']) for e in es)))


@case('rb23-en-033', 'US_MEDITECH_ips_2', 'list',
      ["I was in hospital in November with a fever and they gave me a load of stuff through a drip "
       "and some tablets. I've been discharged now and I'm seeing a new kidney doctor next week "
       "who wants to know what I'm currently taking. I'm a bit lost as to what was just for the "
       "hospital stay and what I'm supposed to carry on with. What medications am I on now?"])
def _(b):
    es = find(b, 'MedicationRequest', lambda r: r.get('status') == 'active')
    es += find(b, 'MedicationStatement', lambda r: r.get('status') == 'active')
    return gold([ref(e) for e in es], [],
                'active medication = darbepoetin alfa (MedicationRequest active; MedicationStatement active '
                'known only by NDC 55513003201, same start 2020-11-16); acetaminophen and ceftriaxone '
                'stopped/completed. Either ref suffices', match='any')


@case('rb23-en-034', 'Fidel_Bins', 'still_on',
      ["is my blue inhaler still on repeat or did they take it off?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'albuterol' in text_of(r.get('medicationCodeableConcept')).lower())
    r = es[-1]['resource']
    return gold([ref(e) for e in es], [day(r)],
                'MedicationRequest albuterol (salbutamol) inhaler status=%s since %s' % (r['status'], day(r)))


@case('rb23-en-035', 'Lupe_Little', 'ever_had',
      ["have I ever had pneumonia? filling in a life insurance thing"])
def _(b):
    es = find(b, 'Condition', lambda r: 'pneumon' in text_of(r.get('code')).lower())
    es += [e for e in encounters(b) if 'pneumon' in json.dumps(e['resource']).lower()]
    assert not es
    return gold([], [], 'no Condition/Encounter mentioning pneumonia -> honest no / not in record', nf=True)


@case('rb23-en-036', 'Luigi_Wiegand', 'last_visit',
      ["My partner took the baby to his last appointment because I was at work, and he's useless "
       "at remembering what they said. Luigi's been a bit grizzly since, no temperature, feeding "
       "fine, I think it's his teeth. Can you tell me when that last appointment was and what it "
       "was for?"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    im = [text_of(i['resource']['vaccineCode']).split(' | ')[-1] for i in imms(b, lambda t, x: day(x) == day(r))]
    return gold([ref(e)], [day(r)],
                'latest Encounter %s, %s; vaccines given that day: %s' % (day(r), r['type'][0]['text'], ', '.join(im)))


@case('rb23-en-037', 'Martina_Murazik', 'meaning',
      ["Mum's heart test NT-proBNP, what did it come out as and is it high? the cardiologist "
       "mentioned it but we didn't catch the number"])
def _(b):
    es = obs(b, text='NT-proBNP')
    e = es[-1]
    assert not rng(e)
    return gold([ref(e)], [fmtz(val(e), 0), day(e['resource'])],
                'Observation NT-proBNP %.1f pg/mL on %s; no referenceRange recorded (well above usual cut-offs)'
                % (val(e), day(e['resource'])))


@case('rb23-en-038', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found',
      ["what dose of inhaler was my daughter prescribed when she had covid? she's wheezing again "
       "and I want to know if I can use the old one"])
def _(b):
    es = entries(b, 'MedicationRequest') + entries(b, 'MedicationStatement') + entries(b, 'MedicationAdministration')
    assert not es
    return gold([], [], 'no medication resources at all in this record -> not in record', nf=True)


@case('rb23-en-039', 'Vito_Feeney', 'followup',
      ["what was dad's cholesterol at his last check up?",
       "and the one before that?"])
def _(b):
    d, es = prev_day(obs(b, '2093-3'))
    d1, _e = latest_day(obs(b, '2093-3'))
    return gold([ref(e) for e in es], [fmtz(val(e), 0) for e in es] + [d],
                'total cholesterol (LOINC 2093-3): latest %s, previous %s = %.1f mg/dL (gold = second turn, '
                'rounded to integer)' % (d1, d, val(es[0])))


@case('rb23-en-040', 'Renea_Quigley', 'followup',
      ["whats my a1c been running at?",
       "how many times have they tested it since 2018?"])
def _(b):
    es = [e for e in obs(b, '4548-4') if day(e['resource']) >= '2018-01-01']
    return gold([ref(e) for e in es], [str(len(es))],
                'HbA1c (LOINC 4548-4) Observations with date >= 2018-01-01: %d (%s) (gold = second turn)'
                % (len(es), ', '.join(day(e['resource']) for e in es)))


if __name__ == '__main__':
    run(C, 'en', OUT)
