#!/usr/bin/env python3
"""Gold for rb27-en-* : run with no args to print every case with gold recomputed from the records;
--write N writes en-0N.jsonl (never overwrites)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *

L = 'en'
CASES = []
def case(n, patient, kind, turns, gold):
    CASES.append({'id': 'rb27-en-%03d' % n, 'lang': L, 'patient': patient, 'kind': kind, 'turns': turns, 'gold': gold})

# ---------------- file 01 ----------------
case(1, 'Emery_Purdy', 'latest',
     ["whats my most recent sugar test number? the 3 month one not the finger prick"],
     lambda: latest_obs('Emery_Purdy', '4548-4'))

case(2, 'Annmarie_Doyle', 'count',
     ["Hello, I'm writing for my mother, she is 86 and she's convinced she never misses her flu jab but her memory isn't what it was. "
      "Her new carer asked us for a vaccination history and I'm trying to put it together from her clinic record. "
      "Could you tell me how many flu vaccinations she has had altogether according to the record? Thank you"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'count of completed Immunization with vaccineCode influenza: %d (%s)' % (len(lst), ', '.join(d10(imm_date(r)) for _, r in lst)),
              match='any'))(imms('Annmarie_Doyle', vacc_has('influenza'))))

case(3, 'Fidel_Bins', 'list',
     ["Starting a new job in a bakery/warehouse thing next month and the occupational health form wants ALL my allergies listed. "
      "I know about the nuts obviously and I sneeze all spring but I can never remember what else the allergist found back in the day. "
      "Can you list every allergy that's on my file so I can copy it over?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [],
              'all AllergyIntolerance with clinicalStatus active (%d): %s' % (len(lst), '; '.join(text(r) for _, r in lst))))(real_allergies('Fidel_Bins')))

case(4, 'Laurie_McCullough', 'still_on',
     ["am i still down as being on the mini pill (jolivette)?? i havent taken it in ages lol just want to make sure my record is right before my appointment"],
     lambda: (lambda m: G([m[0][0]], [d10(m[0][1]['authoredOn'])],
              'MedicationRequest %s status=%s, authoredOn %s -> not current (stopped)' % (m[0][2], m[0][1]['status'], d10(m[0][1]['authoredOn']))))(find_med('Laurie_McCullough', 'jolivette')))

case(5, 'Emery_Purdy', 'ever_had',
     ["My brother just got diagnosed with polyps and his doctor told him to tell all of us siblings to get checked. I'm 53, "
      "diabetic, I honestly can't remember if they ever did the camera test up the back end on me or if I just talked about it with the doctor. "
      "Does my record show I've ever had a colonoscopy, and if so when?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [d10(proc_date(r)) for _, r in lst],
              'Procedure Colonoscopy completed: %s' % ', '.join(d10(proc_date(r)) for _, r in lst)))(procs('Emery_Purdy', 'colonoscopy')))

case(6, 'Luigi_Wiegand', 'last_visit',
     ["when was my son's last appointment at the clinic? was it his baby check-up or something else"],
     lambda: last_visit('Luigi_Wiegand'))

case(7, 'AT_ELGA_GmbH_01', 'meaning',
     ["Got my lab printout translated by a friend and one thing is flagged twice, 'Ferritin'. Everything is in German. "
      "What was my ferritin and is that in the normal range? I don't drink much and I'm not on iron tablets, so I'm a bit confused."],
     lambda: (lambda lst: G([lst[0][0]], [num(qty(lst[0][1])[0]), num(lst[0][1]['referenceRange'][0]['low']['value']), num(lst[0][1]['referenceRange'][0]['high']['value'])],
              'Observation LOINC 2276-4 Ferritin %r %s, referenceRange %s-%s, interpretation HH (above range)' % (
                  qty(lst[0][1])[0], qty(lst[0][1])[1], lst[0][1]['referenceRange'][0]['low']['value'], lst[0][1]['referenceRange'][0]['high']['value'])))(obs_by_code('AT_ELGA_GmbH_01', '2276-4')))

case(8, 'Daisey_Johns', 'not_found',
     ["Our paediatrician mentioned my daughter is a bit small for her age and I wondered if they'd ever checked her thyroid. "
      "Is there a thyroid blood test anywhere in her record?"],
     lambda: absent('Daisey_Johns', 'thyroid', 'thyrotropin', '3016-3', '"tsh', 'thyroxine') and
             NF('no thyroid test (TSH/T4, LOINC 3016-3/3024-7) or thyroid condition anywhere in the record'))

case(9, 'Josue_Sipes', 'followup',
     ["what did my last kidney function number come out at", "hm ok. and the time before that?"],
     lambda: latest_obs('Josue_Sipes', '33914-3', nth=1))

case(10, 'Annmarie_Doyle', 'value_in_year',
     ["This is Annmarie's daughter again. The cardiologist wants to compare. What was mum's cholesterol when they checked it in 2017?"],
     lambda: year_obs('Annmarie_Doyle', '2093-3', 2017))

# ---------------- file 02 ----------------
case(11, 'Renea_Quigley', 'latest',
     ["I have stage 1 kidney disease on my problem list now which came as a surprise at my February check. "
      "I had more bloods in March. What is my most recent kidney filtration number (eGFR)? My sister says anything under 60 is bad."],
     lambda: latest_obs('Renea_Quigley', '33914-3'))

case(12, 'Lupe_Little', 'previous',
     ["My latest A1c is on the portal, fine, but what was the one before that? trying to see if the prediabetes thing is getting worse"],
     lambda: latest_obs('Lupe_Little', '4548-4', nth=1))

case(13, 'Josue_Sipes', 'count',
     ["My wife reckons I basically lived at the clinic in 2019 between the stroke, the lung rehab and all the diabetes stuff. "
      "For my tax return I need to know: how many visits/encounters did I have during 2019? Just the number is fine, I'll dig out the receipts myself."],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'count of Encounter with period.start in 2019: %d (%s)' % (len(lst), ', '.join(d10(enc_date(r)) for _, r in lst)), match='any'))(
              [x for x in encounters('Josue_Sipes') if enc_date(x[1]).startswith('2019')]))

case(14, 'Martina_Murazik', 'list',
     ["Hi, I'm Martina's son. Mum is going into respite care next week and they want an up-to-date list of her medicines. "
      "Since her heart failure diagnosis last year she got new tablets and I'm not sure which of the older ones she still takes. "
      "She has the purple inhaler for her chest and I think an iron tablet. Can you give me the list of what she's currently prescribed?"],
     lambda: (lambda lst: G([rf for rf, _, _ in lst], [],
              'MedicationRequest with status active (%d): %s' % (len(lst), '; '.join('%s (since %s)' % (n, d10(r.get('authoredOn'))) for _, r, n in lst))))(
              [m for m in meds('Martina_Murazik') if m[1].get('status') == 'active']))

case(15, 'Josue_Sipes', 'still_on',
     ["after the stroke they put me on clopidogrel. am i meant to still be taking it? i ran out and didnt reorder"],
     lambda: (lambda m: G([m[0][0]], [d10(m[0][1]['authoredOn'])],
              'MedicationRequest %s status=%s, authoredOn %s -> not current (stopped)' % (m[0][2], m[0][1]['status'], d10(m[0][1]['authoredOn']))))(find_med('Josue_Sipes', 'clopidogrel')))

case(16, 'Josue_Sipes', 'ever_had',
     ["The pharmacist asked if I've had the shingles vaccine yet since I'm over 65 and diabetic. Have I ever had it? I honestly can't remember, I get so many jabs."],
     lambda: absent('Josue_Sipes', 'zoster', 'shingl', 'shingrix', 'zostavax') and
             NF('no zoster/shingles Immunization in the record (vaccines present: influenza x11, Td, PCV13) -> honest no'))

case(17, 'Fidel_Bins', 'last_visit',
     ["When was I last seen at the clinic and what was it for?"],
     lambda: last_visit('Fidel_Bins'))

case(18, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning',
     ["so back in feb 2020 when i had covid they clipped that thing on my finger and a nurse looked kind of worried. "
      "i only saw the record now. what was my oxygen level that day and is that number normal?? i had a fever and was wheezing but i was home in a week or so. "
      "just curious what it actually said"],
     lambda: (lambda lst: G([lst[0][0]], [num(qty(lst[0][1])[0], 0), d10(obs_date(lst[0][1]))],
              'Observation LOINC 59408-5 pulse oximetry %r %% on %s; no referenceRange recorded (typical normal about 95-100%%, so clearly low)' % (
                  qty(lst[0][1])[0], d10(obs_date(lst[0][1])))))(obs_by_code('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '59408-5')))

case(19, 'Liz_Conn', 'not_found',
     ["Quick one - was I ever put on metformin? A friend with the same blood pressure pills as me was and it got me wondering"],
     lambda: absent('Liz_Conn', 'metformin') and
             NF('no metformin in any MedicationRequest (only Hydrochlorothiazide 25 MG) -> not in record'))

case(20, 'Vito_Feeney', 'followup',
     ["I'm doing a family medical history for my own doctor. My late father's record is linked to my account. How many flu shots did he have on record?",
      "And when was his last one?"],
     lambda: (lambda lst: G([lst[-1][0]], [d10(imm_date(lst[-1][1]))],
              'latest influenza Immunization by occurrenceDateTime: %s (of %d in total)' % (d10(imm_date(lst[-1][1])), len(lst))))(imms('Vito_Feeney', vacc_has('influenza'))))

# ---------------- file 03 ----------------
def _at_bp(key):
    sy = obs_by_code(key, '8480-6'); di = obs_by_code(key, '8462-4')
    d = obs_date(sy[-1][1])[:16]
    lst = [x for x in sy + di if obs_date(x[1])[:16] == d]
    return G([rf for rf, _ in lst], [num(qty(r)[0]) for _, r in lst] + [d[:10]],
             'separate systolic 8480-6 / diastolic 8462-4 Observations; latest time %s has two readings (one effectivePeriod, one effectiveDateTime): %s' % (
                 d, ', '.join('%s=%s' % (text(r), qty(r)[0]) for _, r in lst)))

case(21, 'AT_ELGA_GmbH_01', 'latest',
     ["What was my blood pressure the last time it was measured?"],
     lambda: _at_bp('AT_ELGA_GmbH_01'))

case(22, 'Fidel_Bins', 'value_in_year',
     ["what was my bad cholesterol (LDL) in 2015"],
     lambda: year_obs('Fidel_Bins', '18262-6', 2015))

case(23, 'Luigi_Wiegand', 'count',
     ["Hiya, first-time dad here 🙈 the nursery wants his immunisation record. He's had loads of jabs since he was born and my partner usually does the appointments. "
      "How many vaccinations has he had in total so far according to his record? (we did the 2 month and 4 month ones I think)"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'count of completed Immunization: %d (%s)' % (len(lst), '; '.join('%s %s' % (d10(imm_date(r)), text(r, 'vaccineCode')) for _, r in lst)), match='any'))(imms('Luigi_Wiegand')))

case(24, 'IPS_IG-bundle-01', 'list',
     ["I'm travelling to Spain for work and want to carry a note of my allergies in case I end up at a hospital there. "
      "What allergies are listed in my summary? I remember something about food being mentioned too."],
     lambda: (lambda lst: G([rf for rf, _ in lst], [],
              'real allergies: %s; the "No known food allergy" AllergyIntolerance is a negation and not an allergy' % '; '.join(text(r) for _, r in lst)))(real_allergies('IPS_IG-bundle-01')))

case(25, 'Renea_Quigley', 'still_on',
     ["Now that they've started me on insulin in March, do I keep going with my water tablet hydrochlorothiazide or did that get stopped? "
      "Nobody said anything about it at the appointment and I've got about a week left in the box. Blood pressure was high again that day apparently."],
     lambda: (lambda m: G([m[0][0]], [d10(m[0][1]['authoredOn'])],
              'MedicationRequest %s status=%s since authoredOn %s -> still current' % (m[0][2], m[0][1]['status'], d10(m[0][1]['authoredOn']))))(find_med('Renea_Quigley', 'hydrochlorothiazide')))

case(26, 'Laurie_McCullough', 'ever_had',
     ["did i get the HPV vaccine as a teenager? my mum thinks i did but i had a smear letter and they asked"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [d10(imm_date(r)) for _, r in lst],
              'Immunization HPV quadrivalent x%d: %s' % (len(lst), ', '.join(d10(imm_date(r)) for _, r in lst))))(imms('Laurie_McCullough', vacc_has('hpv'))))

case(27, 'Renea_Quigley', 'last_visit',
     ["when was my last check up"],
     lambda: last_visit('Renea_Quigley'))

case(28, 'Emery_Purdy', 'meaning',
     ["The diabetes nurse keeps talking about a urine test for my kidneys, the albumin creatinine ratio or something. "
      "What was my latest result for that and is it ok? My feet have been numb for a couple of years with the neuropathy and I'm scared the kidneys are next."],
     lambda: (lambda g: dict(g, note=g['note'] + '; no referenceRange recorded in the Observation (commonly <30 mg/g is normal)'))(latest_obs('Emery_Purdy', '14959-1')))

case(29, 'US_MEDITECH_ips_2', 'not_found',
     ["What was my cholesterol at my last blood test?"],
     lambda: absent('US_MEDITECH_ips_2', 'cholest', 'lipid', '2093-3', 'ldl', 'hdl') and
             NF('record has no Observation at all and no cholesterol/lipid result anywhere -> not in record'))

case(30, 'Martina_Murazik', 'followup',
     ["my lung test (the blowing one) what was the number last time", "and back in 2017?"],
     lambda: year_obs('Martina_Murazik', '19926-5', 2017))

# ---------------- file 04 ----------------
case(31, 'Martina_Murazik', 'latest',
     ["Mum's cardiologist mentioned 'the heart blood test' (BNP?) when they diagnosed her heart failure. "
      "She's getting more breathless on the stairs lately and I want to know the last number before her review. What did it show?"],
     lambda: latest_obs('Martina_Murazik', '33762-6'))

case(32, 'Liz_Conn', 'previous',
     ["My BP from the last check is on here but what was the reading the time before that? I want to show my GP it's been up for years, not just nerves"],
     lambda: bp_synthea('Liz_Conn', nth=1))

case(33, 'Daisey_Johns', 'count',
     ["School nurse form asks how many doses of DTaP (diphtheria/tetanus/whooping cough) she's had. How many are in her record?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'count of completed Immunization DTaP: %d (%s)' % (len(lst), ', '.join(d10(imm_date(r)) for _, r in lst)), match='any'))(imms('Daisey_Johns', vacc_has('dtap'))))

def _meditech_current():
    lst = [(rf, r, n) for rf, r, n in meds('US_MEDITECH_ips_2') if r.get('status') == 'active']
    return G([rf for rf, _, _ in lst], [],
             'current = status active: %s. The MedicationStatement is the same darbepoetin (Aranesp) known only by NDC 55513003201 and started the same minute; '
             'acetaminophen and ceftriaxone are stopped/completed. Either active entry suffices.' % '; '.join('%s [%s] since %s' % (rf, n or 'NDC only', d10(r.get('authoredOn') or (r.get('effectivePeriod') or {}).get('start'))) for rf, r, n in lst),
             match='any')

case(34, 'US_MEDITECH_ips_2', 'list',
     ["Hello. I had a hospital stay in November 2020 with a fever, they gave me antibiotics through a drip and some pain tablets. "
      "I also have a kidney transplant and thyroid problems. I'm filling out a form for a new specialist and it asks for my current medications. "
      "Which medicines does my record say I am on right now, and which ones were only for the hospital stay?"],
     lambda: _meditech_current())

case(35, 'IPS_IG-bundle-01', 'still_on',
     ["is anastrozole still on my active medication list? it's been years since the breast cancer treatment and i keep wondering when i can stop"],
     lambda: (lambda lst: G([lst[0][0]], [lst[0][1]['effectivePeriod']['start']],
              'MedicationStatement (medicationReference -> Medication anastrozole 1 mg) status=%s, effectivePeriod.start %s, no end -> still on' % (
                  lst[0][1]['status'], lst[0][1]['effectivePeriod']['start'])))(find_med('IPS_IG-bundle-01', 'anastrozol')))

case(36, 'Lupe_Little', 'ever_had',
     ["Weird question but my new gym wants to know if I have ever had any heart problems. I was a teenager when something happened, I collapsed at a "
      "football game and got taken to A&E, my parents never really talked about it. Is there anything about my heart in my record?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], sorted(set(d10(r.get('onsetDateTime')) for _, r in lst)),
              'Conditions: %s' % '; '.join('%s onset %s' % (text(r), d10(r.get('onsetDateTime'))) for _, r in lst), match='any'))(conds('Lupe_Little', 'cardiac')))

case(37, 'Liz_Conn', 'last_visit',
     ["last time i saw anyone at the surgery?"],
     lambda: last_visit('Liz_Conn'))

case(38, 'IPS_IG-bundle-01', 'meaning',
     ["There's an HbA1c on my summary from 2017 - I don't have diabetes as far as I know. What was the value and is it in the normal range?"],
     lambda: (lambda lst: G([lst[0][0]], [num(qty(lst[0][1])[0]), d10(obs_date(lst[0][1]))],
              'Observation LOINC 17856-6 HbA1c %r %% on %s; no referenceRange in the record (above the usual <6.5%% diabetes threshold)' % (
                  qty(lst[0][1])[0], d10(obs_date(lst[0][1])))))(obs_by_code('IPS_IG-bundle-01', '17856-6')))

case(39, 'Vito_Feeney', 'not_found',
     ["Did my father ever have his thyroid checked? I've just been diagnosed with an underactive thyroid and the endocrinologist asked if it runs in the family."],
     lambda: absent('Vito_Feeney', 'thyro', '3016-3', '"tsh', 'levothyrox') and
             NF('no thyroid test or thyroid condition/medication anywhere in the record'))

def _lis_flu():
    k = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    lst = [x for c in ('92142-9', '92141-1') for x in obs_by_code(k, c) if 'valueCodeableConcept' in x[1]]
    return G([rf for rf, _ in lst], [d10(obs_date(lst[0][1]))],
             'Influenza A (92142-9) and B (92141-1) Observations with a real value: %s. The twin Observations valued "{entry.value}" are template placeholders, not results.' % (
                 '; '.join('%s=%s' % (text(r)[:11], text(r, 'valueCodeableConcept')) for _, r in lst)))

case(40, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'followup',
     ["was my covid swab positive in feb 2020?", "ok and did they test me for flu at the same time? what did that say"],
     lambda: _lis_flu())

if __name__ == '__main__':
    run(CASES, sys.argv, L)
