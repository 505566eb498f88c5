#!/usr/bin/env python3
# Gold for the English record set rb22-en-*. Run: python3 gold-en.py  (re-creates gold and compares with saved files)
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *
L = 'en'
C = []
def add(patient, kind, turns, refs, match, values, nf, note):
    C.append(case(f"rb22-en-{len(C)+1:03d}", L, patient, kind, turns, refs, match, values, nf, note))

# 001 latest total cholesterol: two lipid panels on the same latest day
g = latest_group(obs('Josue_Sipes', '2093-3'))
add('Josue_Sipes', 'latest', ["whats my cholesterol at now? the last blood test they did on it"],
    [ref(e) for e in g], 'all', [qty(e) for e in g] + [day(g[0])], False,
    "latest Observation LOINC 2093-3 by effectiveDateTime; two results on the same latest day, both gold (values rounded to 1 dp)")
# 002 still on clopidogrel?
m = find('Josue_Sipes', 'MedicationRequest', lambda r: '309362' in codes(r, 'medicationCodeableConcept'))
assert len(m) == 1 and m[0]['resource']['status'] == 'stopped'
add('Josue_Sipes', 'still_on', ["After my stroke they put me on a blood thinner, clopidogrel I think. Am I still supposed to be on it or did they stop it? My wife says I should still be taking it but I ran out ages ago"],
    [ref(m[0])], 'all', [day(m[0])], False, "MedicationRequest RxNorm 309362 clopidogrel, status stopped, authoredOn date")
# 003 count flu shots in total
f = find('Annmarie_Doyle', 'Immunization', lambda r: '140' in codes(r, 'vaccineCode') and r['status'] == 'completed')
add('Annmarie_Doyle', 'count', ["how many flu jabs have i had altogether according to you lot"],
    [ref(e) for e in f], 'any', [str(len(f))], False, "count of completed Immunization CVX 140 (seasonal influenza) over whole record")
# 004 list allergies of a child (parent writing)
a = find('Daisey_Johns', 'AllergyIntolerance')
add('Daisey_Johns', 'list', ["Hi, I'm Daisey's mum. We're filling in a form for her new school and they want all her allergies written down. She had the skin/blood tests when she was little and I honestly can't remember everything that came back, I know eggs and bees for sure. Can you list every allergy that's on her file please?"],
    [ref(e) for e in a], 'all', [], False, "all AllergyIntolerance entries (8, all active, none a negation)")
# 005 ever had colonoscopy
p = find('Emery_Purdy', 'Procedure', lambda r: '73761001' in codes(r))
add('Emery_Purdy', 'ever_had', ["my doctor asked if i'd ever had a colonoscopy and i blanked. have i?"],
    [ref(e) for e in p], 'all', [day(e) for e in p], False, "Procedure SNOMED 73761001 colonoscopy; one, with date")
# 006 last visit
enc = by_date(find('Fidel_Bins', 'Encounter'))[-1]
add('Fidel_Bins', 'last_visit', ["When was I last in to see you guys and what was it for?"],
    [ref(enc)], 'all', [day(enc)], False, "latest Encounter by period.start (general check-up)")
# 007 IPS: list current medicines (MedicationStatement -> Medication)
ms = find('IPS_IG-bundle-01', 'MedicationStatement', lambda r: r['status'] == 'active')
add('IPS_IG-bundle-01', 'list', ["I'm seeing a new GP next week abroad and need to tell them what I take every day. What medicines are on my record at the moment? I think there's the hormone tablet from after the breast cancer and maybe something herbal for the hot flushes"],
    [ref(e) for e in ms], 'all', [], False, "active MedicationStatements (anastrozole via Medication ref; black cohosh extract via Medication ref)")
# 008 AT ELGA: latest blood pressure (systolic/diastolic separate Observations)
sy = latest_group(obs('AT_ELGA_GmbH_01', '8480-6')); di = latest_group(obs('AT_ELGA_GmbH_01', '8462-4'))
add('AT_ELGA_GmbH_01', 'latest', ["what was my blood pressure the last time it was measured"],
    [ref(e) for e in sy + di], 'all', [qty(e, 0) for e in sy + di] + [day(sy[0])], False,
    "latest Observations LOINC 8480-6 / 8462-4 (systolic and diastolic are separate resources); two readings on 2016-07-30 08:30 (one effectivePeriod, one effectiveDateTime): 110/70 and 117/64, all gold")
# 009 not found: statin / cholesterol medicine
assert not find('Lupe_Little', 'MedicationRequest') and not find('Lupe_Little', 'MedicationStatement')
add('Lupe_Little', 'not_found', ["Quick one - which statin am I on and what dose? pharmacist is asking"],
    [], 'any', [], True, "no MedicationRequest/MedicationStatement at all in the record: no statin")
# 010 followup: A1c latest, then the one before
a1 = by_date(obs('Renea_Quigley', '4548-4'))
add('Renea_Quigley', 'followup', ["what did my last diabetes blood test (the 3 month one) come back at", "ok and the one before that?"],
    [ref(a1[-2])], 'all', [qty(a1[-2]), day(a1[-2])], False, "second-latest Observation LOINC 4548-4 (HbA1c) by date; latest is turn 1")

# 011 MEDITECH: still on ceftriaxone? (order stopped; statement completed with end date)
mr = find('US_MEDITECH_ips_2', 'MedicationRequest', lambda r: 'ceftriaxone' in r['medicationReference'].get('display', ''))
st = find('US_MEDITECH_ips_2', 'MedicationStatement', lambda r: '66288610001' in codes(r, 'medicationCodeableConcept'))
assert mr[0]['resource']['status'] == 'stopped' and st[0]['resource']['status'] == 'completed'
add('US_MEDITECH_ips_2', 'still_on', ["I had an IV antibiotic in hospital back in November 2020, ceftriaxone. is that still an active prescription for me or was it finished?"],
    [ref(mr[0]), ref(st[0])], 'any', [st[0]['resource']['effectivePeriod']['end'][:10]], False,
    "MedicationRequest ceftriaxone status stopped; MedicationStatement NDC 66288610001 (no name, dose 1 g IV bid) status completed, effectivePeriod.end = stop date")
# 012 MEDITECH: ever had a flu vaccine? only a refused (not-done) one
im = find('US_MEDITECH_ips_2', 'Immunization', lambda r: '166' in codes(r, 'vaccineCode'))
assert im[0]['resource']['status'] == 'not-done'
add('US_MEDITECH_ips_2', 'ever_had', ["have i ever actually had the flu shot? work wants proof"],
    [ref(im[0])], 'all', [day(im[0])], False,
    "only influenza Immunization is status not-done (Patient Refused) on 2015-06-22: correct answer = no flu vaccine given, one was refused")
# 013 Lisandra: latest oxygen level
o2 = latest_group(obs('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '59408-5'))
add('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest',
    ["Writing for my daughter Lisandra. When she was seen with the covid thing they clipped a thing on her finger for oxygen. What was the number? nobody told us"],
    [ref(e) for e in o2], 'all', [qty(o2[0], 2), day(o2[0])], False, "latest Observation LOINC 59408-5 (pulse oximetry), value as recorded 76.43 %")
# 014 Lisandra: covid test result
cv = [e for e in obs('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '94531-1') if 'valueCodeableConcept' in e['resource']]
add('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'ever_had',
    ["did she actually test positive for covid or was it just suspected?"],
    [ref(e) for e in cv], 'all', [day(cv[0])], False,
    "Observation LOINC 94531-1 with valueCodeableConcept Detected (a twin Observation holds the placeholder '{entry.value}'); Condition COVID-19 also recorded")
# 015 Martina: still on Lasix
lx = find('Martina_Murazik', 'MedicationRequest', lambda r: '315971' in codes(r, 'medicationCodeableConcept'))
assert lx[0]['resource']['status'] == 'active'
add('Martina_Murazik', 'still_on', ["Mum's water tablets, the lasix - is she meant to still be on them? She thinks the hospital stopped them in december when she went in with her breathing. I'm her daughter, I do her pill box"],
    [ref(lx[0])], 'all', [day(lx[0])], False, "MedicationRequest RxNorm 315971 Lasix 40mg, status active, authoredOn 2020-06-15; no stop recorded")
# 016 Martina: meaning of NT-proBNP
bnp = obs('Martina_Murazik', '33762-6')
assert not bnp[0]['resource'].get('referenceRange')
add('Martina_Murazik', 'meaning', ["there's a test on her results called NT-proBNP with a big number. what does it mean, is it bad?"],
    [ref(bnp[0])], 'all', [qty(bnp[0]), day(bnp[0])], False, "only Observation LOINC 33762-6 NT-proBNP (1644.9 pg/mL rounded); no referenceRange recorded")
# 017 Vito: followup PSA latest -> first ever
psa = by_date(obs('Vito_Feeney', '2857-1'))
add('Vito_Feeney', 'followup', ["I'm going through my late father's records. What was his last PSA level?", "and the very first one they ever checked?"],
    [ref(psa[0])], 'all', [qty(psa[0]), day(psa[0])], False, "earliest Observation LOINC 2857-1 (PSA) by date; turn 1 = latest")
# 018 Liz: ever had tubes tied
tl = find('Liz_Conn', 'Procedure', lambda r: '287664005' in codes(r))
add('Liz_Conn', 'ever_had', ["Is it on my file that I had my tubes tied? And when was that, I've lost track, might have been 2011 or 2012"],
    [ref(e) for e in tl], 'all', [day(e) for e in tl], False, "Procedure SNOMED 287664005 bilateral tubal ligation")
# 019 Luigi: count vaccines given so far (baby)
iz = find('Luigi_Wiegand', 'Immunization', lambda r: r['status'] == 'completed')
add('Luigi_Wiegand', 'count', ["how many vaccines has my son had so far in total? counting each jab. he's a baby, we've been to all his check-ups i think"],
    [ref(e) for e in iz], 'any', [str(len(iz))], False, "count of completed Immunization resources over the whole record")
# 020 Annmarie: weight in 2018
wt = [e for e in obs('Annmarie_Doyle', '29463-7') if day(e).startswith('2018')]
assert len(wt) == 1
add('Annmarie_Doyle', 'value_in_year', ["What did I weigh at my 2018 check up? trying to see how much I've put on"],
    [ref(wt[0])], 'all', [qty(wt[0])], False, "Observation LOINC 29463-7 body weight dated 2018 (one), kg rounded to 1 dp")

def enc_last(k):
    return by_date(find(k, 'Encounter'))[-1]
def none_matching(k, words, types=('Observation', 'Procedure', 'DiagnosticReport', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'Condition', 'ImagingStudy')):
    import json as _j
    for e in load(k):
        r = e['resource']
        if r['resourceType'] in types:
            t = _j.dumps({x: r.get(x) for x in ('code', 'vaccineCode', 'medicationCodeableConcept', 'procedureCode')}).lower()
            if any(w in t for w in words): return False
    return True
# 021 Laurie: latest BP (component Observation)
bp = latest_group(obs('Laurie_McCullough', '55284-4'))
add('Laurie_McCullough', 'latest', ["whats my most recent blood pressure reading? got a home monitor now and want to compare"],
    [ref(e) for e in bp], 'all', [comp(bp[0], '8480-6'), comp(bp[0], '8462-4'), day(bp[0])], False,
    "latest Observation LOINC 55284-4 panel; systolic 8480-6 and diastolic 8462-4 components rounded to whole mmHg")
# 022 Laurie: current medicines
lm = find('Laurie_McCullough', 'MedicationRequest', lambda r: r['status'] == 'active')
add('Laurie_McCullough', 'list', ["Can you tell me what meds I'm currently on? I used to be on the mini pill and had penicillin once for strep but not sure what's still listed"],
    [ref(e) for e in lm], 'all', [], False, "active MedicationRequests only (hydrochlorothiazide 6.25 mg); Jolivette and penicillin V are stopped")
# 023 Daisey: last visit
ev = enc_last('Daisey_Johns')
add('Daisey_Johns', 'last_visit', ["when was daisey last seen at the clinic and what for"],
    [ref(ev)], 'all', [day(ev)], False, "latest Encounter by period.start (well-child check-up 2020-12-19, after a sinusitis visit on 2020-12-15)")
# 024 Emery: A1c before the latest
ea = by_date(obs('Emery_Purdy', '4548-4'))
add('Emery_Purdy', 'previous', ["My sugar control number, the A1C. Not the newest one, the one from the time before. Nurse wants to see if it's going up"],
    [ref(ea[-2])], 'all', [qty(ea[-2]), day(ea[-2])], False, "second-latest Observation LOINC 4548-4 by date (same value as the latest, 7.3 %)")
# 025 Fidel: total cholesterol in 2015
fc = [e for e in obs('Fidel_Bins', '2093-3') if day(e).startswith('2015')]
assert len(fc) == 1
add('Fidel_Bins', 'value_in_year', ["what was my cholesterol back in 2015? i remember it being close to 200 and the doc wasn't happy"],
    [ref(fc[0])], 'all', [qty(fc[0]), day(fc[0])], False, "Observation LOINC 2093-3 dated 2015 (one), mg/dL rounded")
# 026 IPS: meaning of A1c 7.5 (no reference range)
ia = obs('IPS_IG-bundle-01', '17856-6')
assert len(ia) == 1 and not ia[0]['resource'].get('referenceRange')
add('IPS_IG-bundle-01', 'meaning', ["I see HbA1c 7.5% on my summary from 2017. I'm not diabetic as far as I know?? Is that normal or high"],
    [ref(ia[0])], 'all', ["7.5", day(ia[0])], False, "Observation LOINC 17856-6 HbA1c 7.5 %, no referenceRange recorded (no diabetes Condition in record)")
# 027 AT ELGA: meaning of TSH, with reference range
ts = obs('AT_ELGA_GmbH_01', '3016-3')
rr = ts[0]['resource']['referenceRange'][0]
add('AT_ELGA_GmbH_01', 'meaning', ["my thyroid result (TSH) - is it normal? it's all in german on the printout"],
    [ref(ts[0])], 'all', [qty(ts[0]), str(rr['low']['value']), str(rr['high']['value'])], False,
    "Observation LOINC 3016-3 TSH 1.0 with referenceRange low/high and interpretation N")
# 028 Lupe: cholesterol in 2016
lc = [e for e in obs('Lupe_Little', '2093-3') if day(e).startswith('2016')]
assert len(lc) == 1
add('Lupe_Little', 'value_in_year', ["cholesterol result 2016??"],
    [ref(lc[0])], 'all', [qty(lc[0])], False, "Observation LOINC 2093-3 dated 2016 (one), mg/dL rounded")
# 029 Renea: thyroid test never done
assert not obs('Renea_Quigley', '3016-3') and none_matching('Renea_Quigley', ['thyro', 'tsh'])
add('Renea_Quigley', 'not_found', ["I've been so tired and cold lately, my sister said to ask about my thyroid. What did my last thyroid blood test show?"],
    [], 'any', [], True, "no TSH/thyroid Observation or report anywhere in the record")
# 030 Vito: number of colonoscopies
vc = find('Vito_Feeney', 'Procedure', lambda r: '73761001' in codes(r))
add('Vito_Feeney', 'count', ["how many colonoscopies did dad have in the end?"],
    [ref(e) for e in vc], 'any', [str(len(vc))], False, "count of Procedure SNOMED 73761001")

# 031 Liz: mammogram never recorded
assert none_matching('Liz_Conn', ['mammo', 'breast'])
add('Liz_Conn', 'not_found', ["when was my last mammogram and was it clear? I'm due one I think"],
    [], 'any', [], True, "no mammography Procedure/ImagingStudy/Observation/DiagnosticReport in the record")
# 032 Luigi: last visit
lv = enc_last('Luigi_Wiegand')
add('Luigi_Wiegand', 'last_visit', ["When was my little boy's last appointment? Think it was his baby check but my partner took him"],
    [ref(lv)], 'all', [day(lv)], False, "latest Encounter by period.start (well-child check-up)")
# 033 Josue: number of breathing tests in 2020
sp = [e for e in find('Josue_Sipes', 'Procedure', lambda r: '127783003' in codes(r)) if day(e).startswith('2020')]
add('Josue_Sipes', 'count', ["How many of those blowing tests for my lungs (spirometry) did I do in 2020? Feels like every month lol, my COPD nurse is keen"],
    [ref(e) for e in sp], 'any', [str(len(sp))], False, "count of Procedure SNOMED 127783003 spirometry with performed date in 2020")
# 034 Annmarie: ever had pneumonia -> honest no
assert none_matching('Annmarie_Doyle', ['pneumonia'])
add('Annmarie_Doyle', 'ever_had', ["Did I ever have pneumonia? I had a really bad chest thing years ago, they gave me paracetamol, was that pneumonia or something else"],
    [], 'any', [], True, "no pneumonia Condition in the record (the 2012 chest illness was acute bronchitis, not pneumonia)")
# 035 MEDITECH: list allergies
ma = find('US_MEDITECH_ips_2', 'AllergyIntolerance')
add('US_MEDITECH_ips_2', 'list', ["what am i allergic to according to my chart"],
    [ref(e) for e in ma], 'all', [], False, "both AllergyIntolerance entries (ampicillin, penicillin G), active, high criticality")
# 036 Emery: followup shingles vaccine -> how many doses
zs = find('Emery_Purdy', 'Immunization', lambda r: '121' in codes(r, 'vaccineCode') or 'zoster' in disp(r, 'vaccineCode').lower())
add('Emery_Purdy', 'followup', ["Did I get the shingles vaccine? Pharmacy is offering it", "How many doses was that? I thought there were supposed to be two"],
    [ref(e) for e in zs], 'all', [str(len(zs))] + [day(e) for e in zs], False, "Immunization vaccineCode zoster; count and dates")
# 037 Lupe: meaning of latest A1c (no reference range)
la = latest_group(obs('Lupe_Little', '4548-4'))
assert not la[0]['resource'].get('referenceRange')
add('Lupe_Little', 'meaning', ["My doctor mentioned I'm borderline for diabetes. My last sugar test, the A1c one, what was it and is that in the normal range or not? I don't really get what the number means"],
    [ref(e) for e in la], 'all', [qty(la[0]), day(la[0])], False, "latest Observation LOINC 4548-4 (6.2 % rounded), no referenceRange recorded; Prediabetes Condition active")
# 038 Fidel: A1c never done
assert not obs('Fidel_Bins', '4548-4')
add('Fidel_Bins', 'not_found', ["whats my latest hba1c"],
    [], 'any', [], True, "no Observation LOINC 4548-4 (or any HbA1c) in the record")
# 039 Daisey: followup height latest -> the measurement before
dh = by_date(obs('Daisey_Johns', '8302-2'))
add('Daisey_Johns', 'followup', ["How tall was Daisey at her last check? She's shot up", "and at the appointment before that one?"],
    [ref(dh[-2])], 'all', [qty(dh[-2]), day(dh[-2])], False, "second-latest Observation LOINC 8302-2 body height by date (cm rounded); turn 1 = latest")
# 040 Laurie: last visit
lav = enc_last('Laurie_McCullough')
add('Laurie_McCullough', 'last_visit', ["last time i came in, what was it for? need it for a sick note thing"],
    [ref(lav)], 'all', [day(lav)], False, "latest Encounter by period.start (symptom visit, acute viral pharyngitis)")

main(L, C)
