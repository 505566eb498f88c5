#!/usr/bin/env python3
"""Gold for the English record-26 cases.  Run: python3 gold-en.py [--check | --write N]"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *  # noqa

OUT = os.path.dirname(os.path.abspath(__file__))
CASES = []


def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append({'id': 'rb26-en-%03d' % cid, 'lang': 'en', 'patient': patient, 'kind': kind,
                      'turns': turns, 'gold': lambda: fn(rec(patient))})
        return fn
    return deco


def obs_gold(items, note, extra_values=(), with_date=True, comp=None):
    """Gold for a group of observations (all on one day): refs all, values + date."""
    assert items, 'no observation for: ' + note
    vals = []
    for ref, r in items:
        if comp:
            for c in comp:
                vals.append(num(component(r, c)))
        else:
            v = obs_value(r)
            if v is not None:
                vals.append(num(v))
    if with_date:
        vals.append(day(rdate(items[0][1])))
    vals += list(extra_values)
    return gold([x[0] for x in items], vals, note)


# ------------------------------------------------------------------ 001-010
@case(1, 'Emery_Purdy', 'latest', [
    "Had my yearly physical in January and the doctor rushed through everything, didn't explain much. "
    "I'm diabetic and I've got the high blood pressure too, been on the water pill for years. My wife keeps "
    "on at me about cholesterol because her brother just had a stent put in, so I want to look before I go "
    "back and argue with anyone lol. What did my cholesterol come back as the last time they checked it? "
    "Just the total number is fine"])
def _(R):
    return obs_gold(latest_group(observations(R, ['2093-3'])),
                    'latest total cholesterol (LOINC 2093-3) by effectiveDateTime')


@case(2, 'Josue_Sipes', 'still_on', [
    "am i still meant to be taking the clopidogrel they started after my stroke or did they stop it?"])
def _(R):
    m = meds(R, r'clopidogrel')
    assert len(m) == 1 and m[0][1]['status'] == 'stopped'
    return gold([m[0][0]], [day(rdate(m[0][1]))],
                'Clopidogrel MedicationRequest status=stopped; only date recorded is authoredOn')


@case(3, 'Daisey_Johns', 'list', [
    "My daughter Daisey is going on her first school trip and the form wants ALL her allergies. Can you "
    "list everything that's on her file? I know about eggs and the bee sting one but I think the allergy "
    "clinic found more when she was tiny and I've lost the letter"])
def _(R):
    a = allergies(R)
    return gold([x[0] for x in a], [], 'all AllergyIntolerance with clinicalStatus active (%d)' % len(a))


@case(4, 'Fidel_Bins', 'not_found', [
    "whats my vitamin d level? been totally wiped out all winter and my mate says its prob that"])
def _(R):
    assert not search_all(R, r'vitamin d|25-hydroxy|calcidiol|1989-3|62292-8|14635-7')
    return not_found('no vitamin D observation (searched LOINC 1989-3/62292-8/14635-7 and text)')


@case(5, 'Emery_Purdy', 'ever_had', [
    "Have I ever had a colonoscopy? Got a letter saying I'm due bowel screening and honestly can't "
    "remember if I did one or just talked about it"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'colonoscopy'))
    assert p
    return gold([x[0] for x in p], [day(rdate(r)) for _, r in p], 'Procedure Colonoscopy (all of them)')


@case(6, 'Daisey_Johns', 'last_visit', [
    "hi, mum here. when was Daisey last seen at the clinic and what was it for? she had a sinus thing just "
    "before christmas and I'm sure we went back after that for her check-up but my husband says no 🙄"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))],
                'latest Encounter by period.start (file order differs): %s' % enc_type(e[0][1]))


@case(7, 'AT_ELGA_GmbH_01', 'meaning', [
    "I've got a copy of my bloods from the hospital lab (December 2016). There's a ferritin result with a "
    "little flag next to it. My sister says ferritin is about iron and that a high one is bad for the liver?? "
    "I barely drink. I also had a swollen knee that summer but that's gone. Is my ferritin normal or not, and "
    "what range were they going by?"])
def _(R):
    o = latest_group(observations(R, ['2276-4']))
    lo, hi, _ = ref_range(o[0][1])[0]
    return obs_gold(o, 'Ferritin (2276-4) with referenceRange low/high', extra_values=[num(lo), num(hi)],
                    with_date=False)


@case(8, 'Annmarie_Doyle', 'count', [
    "How many flu jabs has my mum had in total according to her record? She's 86 and swears blind she's "
    "never missed a single year"])
def _(R):
    im = immunizations(R, r'influenza')
    return gold([x[0] for x in im], [str(len(im))], 'count of completed influenza Immunizations (CVX 140 etc.)',
                match='any')


@case(9, 'Renea_Quigley', 'followup', [
    "what's my kidney function number, the egfr one?",
    "ok and what was it back in 2019?"])
def _(R):
    o = in_year(observations(R, ['33914-3']), 2019)
    return obs_gold(o, 'eGFR (LOINC 33914-3) observations dated 2019 (answer to turn 2)')


@case(10, 'Renea_Quigley', 'value_in_year', [
    "Going through old paperwork. What was my bad cholesterol, the LDL, back in 2013? I think that was the "
    "year they first said it was too high"])
def _(R):
    o = in_year(observations(R, ['18262-6']), 2013)
    return obs_gold(o, 'LDL (18262-6) dated 2013')


# ------------------------------------------------------------------ 011-020
@case(11, 'Martina_Murazik', 'latest', [
    "My mother (Martina) had the heart ultrasound after they told her she has heart failure. The cardiologist "
    "mentioned a percentage for how well the heart is pumping but she can't remember it and I wasn't in the "
    "room. She's on the metoprolol and the lasix now. What was that pumping number from her most recent scan?"])
def _(R):
    o = latest_group(observations(R, ['10230-1']))
    vals = [num(obs_value(r)) for _, r in o if num_ok(obs_value(r))]
    return gold([x[0] for x in o], vals + [day(rdate(o[0][1]))],
                'LVEF (LOINC 10230-1): two Observations on the same latest date, both gold; values '
                'rounding-ambiguous (32.95 / 38.66) so only the date is a gold value')


@case(12, 'US_MEDITECH_ips_2', 'count', [
    "How many vaccinations are on my record? Need it for a new job at a nursing home"])
def _(R):
    im = immunizations(R)
    return gold([x[0] for x in im], [str(len(im))],
                'Immunizations with status completed; the 2015 influenza entry is status not-done and does not count')


@case(13, 'IPS_IG-bundle-01', 'list', [
    "Quick one - what medications am I on right now according to my summary? The pharmacist asked and I "
    "blanked (the herbal one counts too I guess)"])
def _(R):
    m = meds(R, statuses={'active'})
    return gold([x[0] for x in m], [], 'MedicationStatements status active (medicationReference -> Medication)')


@case(14, 'Renea_Quigley', 'still_on', [
    "Hip's been grumbling again. Am I still down as taking naproxen or did the doctor take me off it? I "
    "remember something about ibuprofen after I sprained my ankle too but that was ages ago"])
def _(R):
    m = meds(R, r'naproxen')
    assert len(m) == 1 and m[0][1]['status'] == 'active'
    return gold([m[0][0]], [day(rdate(m[0][1]))], 'Naproxen MedicationRequest status=active, authoredOn date')


@case(15, 'Lupe_Little', 'ever_had', [
    "Have I ever had pneumonia? Filling in a life insurance form and it asks about chest infections"])
def _(R):
    assert not search_all(R, r'pneumon')
    return not_found('no Condition/Encounter/Observation mentioning pneumonia (honest no); only pharyngitis '
                     'and sinusitis are recorded')


@case(16, 'Laurie_McCullough', 'last_visit', [
    "when was my last appointment and what was it for"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))],
                'latest Encounter by period.start (reason: %s)' % ', '.join(
                    t for x in e for rc in x[1].get('reasonCode', []) for t in texts(rc)[:1]))


@case(17, 'IPS_IG-bundle-01', 'meaning', [
    "I'm on the breast cancer tablets and my friend who is diabetic saw my HbA1c on my printout and went "
    "quiet. I was never told I had diabetes, nobody mentioned it. What was the result and is it normal?"])
def _(R):
    o = latest_group(observations(R, ['17856-6', '4548-4']))
    assert not ref_range(o[0][1])
    return obs_gold(o, 'HbA1c (17856-6) value; no referenceRange recorded in the record')


@case(18, 'IPS_IG-bundle-01', 'not_found', [
    "Can you tell me the date of my last mammogram? The hospital said I should have yearly ones after the "
    "cancer and I want to make sure I haven't slipped"])
def _(R):
    assert not search_all(R, r'mammo')
    assert not R.of('Procedure') and not R.of('DiagnosticReport') and not R.of('ImagingStudy')
    return not_found('no Procedure/DiagnosticReport/ImagingStudy at all; mammogram not in the record')


@case(19, 'Josue_Sipes', 'followup', [
    "how many of those breathing tests have i had, the ones where you blow into the tube",
    "and just in 2020?"])
def _(R):
    p = [x for x in find(R, 'Procedure', lambda r: has_text(r.get('code'), r'spirometry'))
         if year(rdate(x[1])) == '2020']
    return gold([x[0] for x in p], [str(len(p))], 'Spirometry Procedures dated 2020 (answer to turn 2)',
                match='any')


@case(20, 'Josue_Sipes', 'previous', [
    "I've been trying to lose weight for my sugar and the COPD nurse weighed me last time. What did I weigh "
    "the time BEFORE that? Want to see if it's going the right way or I'm kidding myself"])
def _(R):
    return obs_gold(previous_group(observations(R, ['29463-7'])),
                    'Body weight (29463-7): the second-latest date')


# ------------------------------------------------------------------ 021-030
@case(21, 'AT_ELGA_GmbH_01', 'latest', [
    "What was my pulse the last time it was measured? My new smartwatch keeps saying my resting heart rate "
    "is in the 50s and I'm wondering if that's just me or the watch being weird"])
def _(R):
    return obs_gold(latest_group(observations(R, ['8867-4'])),
                    'Heart rate (8867-4): two readings with the same start time 2016-07-30 08:30 '
                    '(one effectiveDateTime, one effectivePeriod) - both gold')


@case(22, 'Fidel_Bins', 'count', [
    "how many asthma follow up appointments have I had? not counting the time I ended up in A&E. my new "
    "asthma nurse wants to know how often I've been reviewed"])
def _(R):
    e = encounters(R, lambda r: re.search(r'asthma follow-up', enc_type(r), re.I))
    return gold([x[0] for x in e], [str(len(e))],
                "Encounters with type 'Asthma follow-up' (the emergency admission for asthma excluded)",
                match='any')


@case(23, 'US_MEDITECH_ips_2', 'list', [
    "I'm having a small op next month and the pre-assessment form asks what I'm allergic to. What's listed on "
    "my file? I know there's something with antibiotics, I came out in hives once but I was little"])
def _(R):
    a = allergies(R)
    return gold([x[0] for x in a], [], 'active AllergyIntolerance entries (%d)' % len(a))


@case(24, 'Laurie_McCullough', 'still_on', [
    "Am I still on the mini pill (Jolivette) on my record? My blood pressure doctor asked if I take any "
    "hormones and I stopped ages ago but want to know what they have down"])
def _(R):
    m = meds(R, r'jolivette')
    assert len(m) == 1 and m[0][1]['status'] == 'stopped'
    return gold([m[0][0]], [day(rdate(m[0][1]))], 'Jolivette MedicationRequest status=stopped (authoredOn)')


@case(25, 'Emery_Purdy', 'ever_had', [
    "My brother-in-law just got shingles and it sounds horrible, he's been in agony for 2 weeks. I'm 53 and "
    "I've got the diabetes nerve pain in my feet already, don't need more. Did I ever get the shingles vaccine? "
    "I have a feeling they gave me something a couple of winters in a row with the flu jab but no idea what it was"])
def _(R):
    im = immunizations(R, r'zoster')
    assert im
    return gold([x[0] for x in im], [day(rdate(r)) for _, r in im], 'zoster Immunizations (all doses)')


@case(26, 'Liz_Conn', 'last_visit', [
    "When did I last see a doctor at the practice? Been ages I think"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))], 'latest Encounter by period.start: %s' % enc_type(e[0][1]))


@case(27, 'Annmarie_Doyle', 'meaning', [
    "My mother is 86 and the GP printout says her LDL was something like 85 at her last check. Is that good "
    "or bad for her age? She's a bit overweight but never smoked. Not on any cholesterol pills"])
def _(R):
    o = latest_group(observations(R, ['18262-6']))
    assert not ref_range(o[0][1])
    return obs_gold(o, 'latest LDL (18262-6); no referenceRange recorded')


@case(28, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found', [
    "my daughter had covid back in 2020 and was really poorly, breathing was bad. what medicines did they give "
    "her? her new doctor wants to know what she had"])
def _(R):
    assert not R.of('MedicationRequest') and not R.of('MedicationStatement') and not R.of('MedicationAdministration')
    return not_found('no MedicationRequest/Statement/Administration in the record (only a face-mask Procedure)')


@case(29, 'Vito_Feeney', 'followup', [
    "I'm going through my late grandad's medical file for the family history. When was his last colonoscopy?",
    "and the one before that?"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'colonoscopy'))
    g = previous_group(p)
    return gold([x[0] for x in g], [day(rdate(g[0][1]))], 'second-latest Colonoscopy Procedure (answer to turn 2)')


@case(30, 'Lupe_Little', 'value_in_year', [
    "They told me years ago I was pre-diabetic. What was my sugar blood test, the A1c, in 2016?"])
def _(R):
    return obs_gold(in_year(observations(R, ['4548-4']), 2016), 'HbA1c (4548-4) dated 2016')


# ------------------------------------------------------------------ 031-040
@case(31, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest', [
    "My girl is asthmatic-ish and wheezy again tonight, we've got a pulse oximeter at home now and it says 95. "
    "She's talking fine and running around, no temp. I just want to compare - what were her oxygen levels the "
    "last time they were checked at the hospital when she had covid? I remember the nurse looking worried"])
def _(R):
    return obs_gold(latest_group(observations(R, ['59408-5', '2708-6'])),
                    'SpO2 (59408-5) latest; the only reading, during the 2020 covid episode')


@case(32, 'Vito_Feeney', 'previous', [
    "My grandfather's file shows a creatinine at his last visit. What was it the time before that? Trying to "
    "understand how his kidneys went downhill near the end"])
def _(R):
    return obs_gold(previous_group(observations(R, ['38483-4'])), 'Creatinine (38483-4): second-latest date')


@case(33, 'Lupe_Little', 'count', [
    "how many times did I go to the clinic in 2019?? insurance says 3 but I only remember the sore throat one"])
def _(R):
    e = [x for x in encounters(R) if year(rdate(x[1])) == '2019']
    return gold([x[0] for x in e], [str(len(e))], 'Encounters with period.start in 2019', match='any')


@case(34, 'Martina_Murazik', 'list', [
    "I do my mum's dosette box every Sunday. Can you give me the list of medicines she's currently supposed "
    "to be on according to her record? Since the heart failure diagnosis last year things got changed and I "
    "want to be sure I'm not missing one. She also has the COPD inhaler, not sure if that's on there"])
def _(R):
    m = meds(R, statuses={'active'})
    return gold([x[0] for x in m], [], 'active MedicationRequests (%d), incl. old ferrous sulfate still active' % len(m))


@case(35, 'US_MEDITECH_ips_2', 'still_on', [
    "was I still on that ceftriaxone antibiotic when I left hospital, or had it been stopped?"])
def _(R):
    m = [x for x in meds(R, r'ceftriaxone') if x[0].startswith('MedicationRequest/')]
    assert len(m) == 1 and m[0][1]['status'] == 'stopped'
    return gold([m[0][0]], [day(rdate(m[0][1]))],
                'ceftriaxone MedicationRequest status=stopped, authoredOn date (the NDC-only MedicationStatement '
                'for the same period is status completed)')


@case(36, 'AT_ELGA_GmbH_01', 'ever_had', [
    "We're going hiking in Austria in June and my friend says I need the tick-borne encephalitis jab. Have I "
    "ever had it? I used to live there so I might have"])
def _(R):
    im = immunizations(R, r'encepur|fsme|encephalitis')
    if not im:
        im = immunizations(R, cvx=None)
        im = [x for x in im if has_code(x[1].get('vaccineCode'), {'J07BA01'})]
    assert im
    return gold([x[0] for x in im], [day(rdate(r)) for _, r in im],
                'Immunizations ATC J07BA01 (Encepur, TBE vaccine), all doses')


@case(37, 'Luigi_Wiegand', 'last_visit', [
    "When was Luigi's last check up and did he have jabs that day? Trying to work out if he's due more"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))],
                'latest Encounter by period.start (%s); vaccines given the same day' % enc_type(e[0][1]))


@case(38, 'Daisey_Johns', 'meaning', [
    "Daisey's allergy blood test from when she was a baby has a peanut number on it. She's never eaten a "
    "peanut because we were scared. Is that result normal, does it mean she's allergic?"])
def _(R):
    o = observations(R, ['6206-7'])
    assert len(o) == 1 and not ref_range(o[0][1])
    return obs_gold(o, 'Peanut IgE (6206-7) value; no referenceRange recorded; peanut is not in the allergy list')


@case(39, 'Luigi_Wiegand', 'not_found', [
    "is his iron level ok? he's 5 months and a really fussy feeder, my mum thinks he looks pale"])
def _(R):
    assert not search_all(R, r'\biron\b|ferritin|2498-4|2276-4|transferrin')
    return not_found('no iron/ferritin test in the record (a CBC with haemoglobin exists, but no iron study)')


@case(40, 'Liz_Conn', 'followup', [
    "whats my blood pressure been like at my check ups? give me the last one",
    "and what about back in 2012?"])
def _(R):
    return obs_gold(in_year(observations(R, ['55284-4']), 2012),
                    'Blood pressure panel (55284-4) dated 2012: systolic/diastolic components (answer to turn 2)',
                    comp=['8480-6', '8462-4'])


if __name__ == '__main__':
    main(CASES, 'en', OUT)
