#!/usr/bin/env python3
# Gold for the English record questions (rb24-en-*). Standard library only.
# Run: python3 gold-en.py  -> writes missing en-NN.jsonl files, verifies existing ones.
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *

LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
C = []
def case(id, patient, kind, turns):
    def deco(fn):
        C.append(dict(id=id, patient=patient, kind=kind, turns=turns, gold=fn)); return fn
    return deco

# ---------- en-01 ----------
@case('rb24-en-001', 'Josue_Sipes', 'latest', [
    "my nephrologist keeps going on about my kidney numbers, what did my last kidney function test come back at"])
def _(b):
    return latest_obs(b, '33914-3', note="Two 33914-3 results (different displays) share the latest day -> both gold.")

@case('rb24-en-002', 'Josue_Sipes', 'count', [
    "How many flu jabs have I actually had in total according to your records? I feel like I get one every year but want to check"])
def _(b):
    L = [x for x in res_named(b, 'Immunization', ['influenza'], 'vaccineCode') if x[2].get('status') == 'completed']
    return G([ref(e) for _, e, _ in L], [str(len(L))], f"count of completed Immunization with 'influenza' in vaccineCode = {len(L)}", match='any')

@case('rb24-en-003', 'Josue_Sipes', 'still_on', [
    "after my stroke they put me on a blood thinner, clopidogrel i think. am i still meant to be taking that or was it stopped? the pharmacy says they have nothing on file"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['clopidogrel'])
    r = L[-1][2]
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest clopidogrel status={r['status']} authoredOn {L[-1][0]} -> stopped")

@case('rb24-en-004', 'Daisey_Johns', 'list', [
    "Hi, I'm Daisey's mum. She's starting a new nursery next week and they want a full list of her allergies on the form. Can you tell me everything she's down as allergic to? I know about the eggs and the bee stings but I think there were more from the skin/blood testing"])
def _(b):
    L = [e for e in entries(b, 'AllergyIntolerance') if status(e['resource']) == 'active']
    return G([ref(e) for e in L], [], f"all {len(L)} active AllergyIntolerance resources")

@case('rb24-en-005', 'Daisey_Johns', 'still_on', [
    "does my daughter still have an active prescription for the epipen? the one we have expires soon"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['epinephrine'])
    r = L[-1][2]
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest epinephrine auto-injector status={r['status']} since {L[-1][0]}")

@case('rb24-en-006', 'Emery_Purdy', 'ever_had', [
    "my brother just got diagnosed with polyps and the doc said I should get checked too. have I ever had a colonoscopy? can't remember if that was me or I just talked about it"])
def _(b):
    L = res_named(b, 'Procedure', ['colonoscopy'])
    return G([ref(e) for _, e, _ in L], [d for d, _, _ in L], f"Procedure colonoscopy: {len(L)} found, dates listed")

@case('rb24-en-007', 'Emery_Purdy', 'followup', [
    "whats my cholesterol at now",
    "ok and what was it back in 2019?"])
def _(b):
    L = [x for x in obs(b, '2093-3') if x[0].startswith('2019')]
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]), "Total cholesterol (2093-3) Observations dated 2019")

@case('rb24-en-008', 'Emery_Purdy', 'meaning', [
    "So I'm type 2 diabetic and on my last bloods I saw a glucose number that looked a bit high to me. I'm not on insulin, just watching what I eat and walking the dog. Is that number normal or should I be worried? I had breakfast that morning I think, not sure if that matters"])
def _(b):
    return latest_obs(b, '2339-0', note="No referenceRange recorded in this record; gold = value + date.")

@case('rb24-en-009', 'Fidel_Bins', 'count', [
    "how many times have I been in for asthma follow-ups specifically? not the yearly physicals, just the asthma ones"])
def _(b):
    L = [e for e in entries(b, 'Encounter') if 'asthma' in text((e['resource'].get('type') or [{}])[0])]
    return G([ref(e) for e in L], [str(len(L))], f"Encounters whose type text mentions asthma follow-up: {len(L)}", match='any')

@case('rb24-en-010', 'Fidel_Bins', 'previous', [
    "The cholesterol reading before my most recent one — what was that? I want to compare them, I changed my diet in between."])
def _(b):
    P = previous_day(obs(b, '2093-3'))
    return G([ref(e) for _, e, _ in P], [P[0][0]] + vals([r for *_, r in P]), "second-latest day of Total cholesterol 2093-3")

# ---------- en-02 ----------
def last_encounter(b):
    L = sorted(((rdate(e['resource']), e) for e in entries(b, 'Encounter')), key=lambda x: x[0])
    d = L[-1][0]; last = [e for dd, e in L if dd == d]
    why = [(e['resource'].get('type') or [{}])[0].get('text') for e in last]
    rc = [((e['resource'].get('reasonCode') or [{}])[0].get('coding') or [{}])[0].get('display') for e in last]
    return G([ref(e) for e in last], [d], f"latest Encounter by period.start = {d}; type {why}; reason {rc}")
def absent(b, types, words, codeset=()):
    for t in types:
        for e in entries(b, t):
            r = e['resource']
            tx = ' '.join(text(r.get(k)) for k in ('code', 'vaccineCode', 'medicationCodeableConcept'))
            tx += ' ' + ((r.get('medicationReference') or {}).get('display') or '').lower()
            cs = codes(r.get('code')) | codes(r.get('vaccineCode')) | codes(r.get('medicationCodeableConcept'))
            assert not any(w in tx for w in words) and not (cs & set(codeset)), ('present!', ref(e))
    if 'Medication' not in types:
        pass
    return G([], [], f"no {types} matching {words} {list(codeset)} in the record -> honest not found", nf=True)

@case('rb24-en-011', 'Laurie_McCullough', 'still_on', [
    "hey so am I still on the mini pill (jolivette)? thinking of switching to the coil and my new GP asked what I'm currently taking"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['jolivette'])
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest Jolivette status={L[-1][2]['status']} authoredOn {L[-1][0]} -> stopped")

@case('rb24-en-012', 'Laurie_McCullough', 'last_visit', [
    "When was I last seen at the clinic and what was it for?"])
def _(b):
    return last_encounter(b)

@case('rb24-en-013', 'Liz_Conn', 'value_in_year', [
    "trying to lose the weight I put on over the last few years... what did I weigh at my 2015 check up?"])
def _(b):
    L = [x for x in obs(b, '29463-7') if x[0].startswith('2015')]
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]), "Body weight 29463-7 Observations dated 2015 (kg)")

@case('rb24-en-014', 'Liz_Conn', 'ever_had', [
    "Quick one - my new gyn is asking if I've had my tubes tied. I did, years ago, but is it actually on my record with a date? They want proof before they stop asking me about contraception lol"])
def _(b):
    L = res_named(b, 'Procedure', ['tubal ligation'])
    return G([ref(e) for _, e, _ in L], [d for d, _, _ in L], "Procedure Bilateral tubal ligation")

@case('rb24-en-015', 'Luigi_Wiegand', 'count', [
    "my son is 5 months old, how many vaccines has he had altogether so far? counting each jab separately. the red book got soaked in the bath 🙈"])
def _(b):
    L = [e for e in entries(b, 'Immunization') if e['resource'].get('status') == 'completed']
    return G([ref(e) for e in L], [str(len(L))], f"count of completed Immunization resources = {len(L)}", match='any')

@case('rb24-en-016', 'Luigi_Wiegand', 'last_visit', [
    "when was luigi's last appointment? health visitor wants to know if he's had his latest check"])
def _(b):
    return last_encounter(b)

@case('rb24-en-017', 'Lupe_Little', 'not_found', [
    "I've been tired all winter and my mate said it's probably low vitamin D. Did the doctors ever check my vitamin D level and what was it?"])
def _(b):
    return absent(b, ['Observation', 'Procedure', 'DiagnosticReport'], ['vitamin d', 'calcidiol', 'hydroxyvitamin'], ['1989-3', '62292-8', '14635-7', '35365-6'])

@case('rb24-en-018', 'Lupe_Little', 'value_in_year', [
    "what was my cholesterol in 2016"])
def _(b):
    L = [x for x in obs(b, '2093-3') if x[0].startswith('2016')]
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]), "Total cholesterol 2093-3 dated 2016")

@case('rb24-en-019', 'Martina_Murazik', 'latest', [
    "Mum was diagnosed with heart failure last year and there was a special heart blood test they did, the BNP something. She's asking me what her latest result was, can you look it up for her? I'm her daughter, I help her with the app."])
def _(b):
    return latest_obs(b, '33762-6', note="NT-proBNP.")

@case('rb24-en-020', 'Martina_Murazik', 'meaning', [
    "what does my ejection fraction from the heart scan mean? is it normal??"])
def _(b):
    return latest_obs(b, '10230-1', note="Two LVEF results on the same day, both gold; no referenceRange recorded.")

# ---------- en-03 ----------
@case('rb24-en-021', 'Martina_Murazik', 'not_found', [
    "which statin am I on and what dose? atorvastatin maybe? the heart nurse asked and I went blank"])
def _(b):
    return absent(b, ['MedicationRequest', 'MedicationStatement'], ['statin', 'atorvastatin', 'simvastatin', 'rosuvastatin', 'pravastatin'])

@case('rb24-en-022', 'Renea_Quigley', 'count', [
    "How many colonoscopies have I had? Trying to work out if I'm due another one, I'm 63 now and had some done over the years"])
def _(b):
    L = res_named(b, 'Procedure', ['colonoscopy'])
    return G([ref(e) for _, e, _ in L], [str(len(L))] + [d for d, _, _ in L], f"Procedure colonoscopy count = {len(L)} with dates")

@case('rb24-en-023', 'Renea_Quigley', 'latest', [
    "Been feeling really thirsty the last couple weeks, drinking loads, up at night to pee. No fever or anything, eating normally. I'm diabetic and they just started me on insulin in march. Before I call the nurse, what was my last blood sugar on my bloodwork?"])
def _(b):
    return latest_obs(b, '2339-0', note="Two glucose results on the latest day, both gold.")

@case('rb24-en-024', 'Renea_Quigley', 'followup', [
    "what did my last a1c say",
    "and in 2020?"])
def _(b):
    L = [x for x in obs(b, '4548-4') if x[0].startswith('2020')]
    return G([ref(e) for _, e, _ in L], [d for d, _, _ in L] + vals([r for *_, r in L]), "HbA1c 4548-4 Observations dated 2020")

@case('rb24-en-025', 'Vito_Feeney', 'followup', [
    "I'm going through my late father's records for my own doctor (family history of prostate cancer). What was his last PSA?",
    "and the one before that?"])
def _(b):
    P = previous_day(obs(b, '2857-1'))
    return G([ref(e) for _, e, _ in P], [P[0][0]] + vals([r for *_, r in P]), "PSA 2857-1: second-latest day")

@case('rb24-en-026', 'Vito_Feeney', 'not_found', [
    "did dad ever get the hormone injections for his prostate, like zoladex or lupron? my uncle had those"])
def _(b):
    return absent(b, ['MedicationRequest', 'MedicationStatement', 'Procedure'], ['goserelin', 'zoladex', 'leuprolide', 'lupron', 'triptorelin', 'degarelix', 'hormone', 'androgen'])

@case('rb24-en-027', 'IPS_IG-bundle-01', 'list', [
    "can you list the medicines I'm currently taking? including the herbal one, I keep forgetting its name"])
def _(b):
    L = [e for e in entries(b, 'MedicationStatement') if e['resource'].get('status') == 'active']
    return G([ref(e) for e in L], [], f"{len(L)} active MedicationStatements (anastrozole; black cohosh) via medicationReference")

@case('rb24-en-028', 'IPS_IG-bundle-01', 'list', [
    "Going in for a small procedure next month and the form wants all my allergies. What does my record say I'm allergic to?"])
def _(b):
    L = [e for e in entries(b, 'AllergyIntolerance') if '429625007' not in codes(e['resource'].get('code'))]
    return G([ref(e) for e in L], [], "AllergyIntolerance excluding the 'No known food allergy' negation (429625007) -> penicillin only")

@case('rb24-en-029', 'IPS_IG-bundle-01', 'meaning', [
    "is my hba1c ok? I honestly don't know what that number is supposed to be"])
def _(b):
    L = by_latest_day(obs(b, '17856-6'))
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]) + ['7.0'],
             "latest HbA1c 17856-6; no referenceRange but a note states the goal of 7.0 %")

@case('rb24-en-030', 'AT_ELGA_GmbH_01', 'latest', [
    "what was my blood pressure last time they measured it"])
def _(b):
    L = by_latest_day(obs(b, '8480-6') + obs(b, '8462-4'))
    L.sort(key=lambda x: x[1]['fullUrl'])
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]),
             "systolic 8480-6 and diastolic 8462-4 are separate Observations; two readings at the same time on the latest day -> all four gold")

# ---------- en-04 ----------
def with_range(b, code):
    L = by_latest_day(obs(b, code))
    out = [L[0][0]] + vals([r for *_, r in L])
    for *_, r in L:
        for rr in r.get('referenceRange', []):
            for k in ('low', 'high'):
                if k in rr: out.append(fmt(rr[k]['value']))
    return G([ref(e) for _, e, _ in L], out, f"latest Observation {code} with its referenceRange low/high")

@case('rb24-en-031', 'AT_ELGA_GmbH_01', 'meaning', [
    "My ferritin was flagged on the lab printout from Austria, the whole thing is in German and I can't make sense of it. What was the number and is that too high? I don't drink much and I'm not taking iron pills."])
def _(b):
    return with_range(b, '2276-4')

@case('rb24-en-032', 'AT_ELGA_GmbH_01', 'not_found', [
    "did that big blood panel in december 2016 include vitamin d? what was it"])
def _(b):
    return absent(b, ['Observation'], ['vitamin d', 'vit d', 'calcidiol', '25-oh', 'hydroxyvitamin'], ['1989-3', '62292-8', '14635-7', '35365-6'])

@case('rb24-en-033', 'US_MEDITECH_ips_2', 'list', [
    "what am I allergic to? the hospital gave me antibiotics last time and I broke out in hives, want to make sure it's on file"])
def _(b):
    L = [e for e in entries(b, 'AllergyIntolerance') if status(e['resource']) == 'active']
    return G([ref(e) for e in L], [], "both active AllergyIntolerance (ampicillin, penicillin G; reaction hives)")

@case('rb24-en-034', 'US_MEDITECH_ips_2', 'ever_had', [
    "Have I ever had a flu shot? My transplant team says I should get one every year but honestly I don't remember ever getting one."])
def _(b):
    L = res_named(b, 'Immunization', ['influenza'], 'vaccineCode')
    assert all(x[2]['status'] == 'not-done' for x in L)
    return G([ref(e) for _, e, _ in L], [d for d, _, _ in L],
             "only influenza Immunization is status not-done (patient refused) on that date -> no flu vaccine actually given")

@case('rb24-en-035', 'US_MEDITECH_ips_2', 'still_on', [
    "am I still supposed to be on the aranesp injections (darbepoetin) for my blood count or did they stop them when I left hospital?"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['darbepoetin'])
    ms = [e for e in entries(b, 'MedicationStatement') if e['resource'].get('status') == 'active']
    return G([ref(L[-1][1])] + [ref(e) for e in ms], [L[-1][0]],
             "MedicationRequest darbepoetin status=active authoredOn 2020-11-16; the matching MedicationStatement (NDC only, same start) is active too -> either cited", match='any')

@case('rb24-en-036', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'followup', [
    "my daughter was swabbed for covid when she had that high fever, what did the test show?",
    "and did they test her for flu as well? what did that say"])
def _(b):
    L = [x for x in obs(b, '92142-9') + obs(b, '92141-1') if x[2].get('valueCodeableConcept')]
    return G([ref(e) for _, e, _ in L], [L[0][0]],
             "influenza A (92142-9) and B (92141-1) results with a real value (negative); the duplicate entries holding the '{entry.value}' placeholder are not results")

@case('rb24-en-037', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning', [
    "what temperature did they record for her at that visit? was it really high or normal-ish"])
def _(b):
    return latest_obs(b, '8331-1', note="Oral temperature in Cel; no referenceRange recorded.")

@case('rb24-en-038', 'Annmarie_Doyle', 'ever_had', [
    "My mother is 86 and her friend just got shingles, horrible apparently. Has mum ever had the shingles vaccine? I do her online stuff for her."])
def _(b):
    return absent(b, ['Immunization'], ['zoster', 'shingles', 'shingrix', 'zostavax'], ['121', '187', '188'])

@case('rb24-en-039', 'Annmarie_Doyle', 'last_visit', [
    "when did i last see the doctor"])
def _(b):
    return last_encounter(b)

@case('rb24-en-040', 'Lupe_Little', 'last_visit', [
    "my last appointment, what was the diagnosis? I was in with a blocked nose and face pain, they said it was viral I think but I want to check what they wrote down"])
def _(b):
    return last_encounter(b)

if __name__ == '__main__':
    rows = run(C, 'en', os.path.dirname(os.path.abspath(__file__)))
    import collections
    print(collections.Counter(r['kind'] for r in rows), collections.Counter(r['patient'] for r in rows))
