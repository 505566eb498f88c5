#!/usr/bin/env python3
# Gold computation for blind set record-18 (en). Stdlib only.
# Usage: python3 gold-en.py            -> prints all cases with gold as JSON lines
#        python3 gold-en.py --check    -> compares recomputed gold fields with saved en-*.jsonl
#        python3 gold-en.py --write N  -> writes en-0N.jsonl (only if it does not exist yet)
# ---- shared helpers (stdlib only) ----
import json, glob, os, sys
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
_cache = {}

def load(p):
    if p not in _cache:
        fs = glob.glob(f'{SYN}/{p}_*.json')
        f = fs[0] if fs else f'{RW}/{p}.json'
        _cache[p] = json.load(open(f, encoding='utf-8'))
    return _cache[p]

def ents(p, t=None):
    return [e for e in load(p)['entry'] if t is None or e['resource']['resourceType'] == t]

def ref(e):
    r = e['resource']
    return f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def odate(r):
    return (r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start')
            or r.get('issued') or '')

def edate(r):  # encounter start
    return (r.get('period') or {}).get('start', '')

def pdate(r):  # procedure date
    return r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start', '')

def idate(r):
    return r.get('occurrenceDateTime', '')

def obs(p, code, disp=None):
    out = [e for e in ents(p, 'Observation') if code in codes(e['resource']['code'])
           and (disp is None or disp.lower() in json.dumps(e['resource']['code']).lower())]
    return sorted(out, key=lambda e: odate(e['resource']))

def qv(r):
    return r['valueQuantity']['value']

def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c['code']):
            return c['valueQuantity']['value']

def r0(x):  # integer as a reply would give it
    return str(int(round(x)))

def r1(x):
    return f"{round(x, 1):.1f}"

def d(s):
    return s[:10]

def imms(p, cvx=None, pred=None):
    out = [e for e in ents(p, 'Immunization')
           if (cvx is None or cvx in codes(e['resource']['vaccineCode']))
           and (pred is None or pred(e['resource']))]
    return sorted(out, key=lambda e: idate(e['resource']))

def encs(p, pred=None):
    out = [e for e in ents(p, 'Encounter') if pred is None or pred(e['resource'])]
    return sorted(out, key=lambda e: edate(e['resource']))

def procs(p, code=None):
    out = [e for e in ents(p, 'Procedure') if code is None or code in codes(e['resource']['code'])]
    return sorted(out, key=lambda e: pdate(e['resource']))

def by_id(p, rid):
    for e in load(p)['entry']:
        if e['resource'].get('id') == rid or e.get('fullUrl') == rid:
            return e
    raise KeyError(rid)

def G(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}

def NF(note):
    return G([], [], note, match='all', nf=True)

def run(CASES, prefix, outdir):
    # default: print the cases with freshly computed gold; --write N writes <prefix>-0N.jsonl if absent
    rows = []
    for c in CASES:
        g = c['gold']()
        row = {'id': c['id'], 'lang': c['lang'], 'patient': c['patient'], 'kind': c['kind'],
               'turns': c['turns']}
        row.update(g)
        rows.append(row)
    args = sys.argv[1:]
    if args and args[0] == '--write':
        n = int(args[1])
        chunk = rows[(n - 1) * 10: n * 10]
        path = os.path.join(outdir, f'{prefix}-{n:02d}.jsonl')
        if os.path.exists(path):
            print('exists, not rewriting', path); return
        with open(path, 'w', encoding='utf-8') as f:
            for r in chunk:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
    elif args and args[0] == '--check':
        # compare gold fields with saved files
        saved = {}
        for f in sorted(glob.glob(os.path.join(outdir, f'{prefix}-*.jsonl'))):
            for l in open(f, encoding='utf-8'):
                o = json.loads(l); saved[o['id']] = o
        bad = 0
        for r in rows:
            s = saved.get(r['id'])
            if s is None: print('not saved yet', r['id']); continue
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found'):
                if s[k] != r[k]: print('DIFF', r['id'], k, s[k], r[k]); bad += 1
        print('checked', len(rows), 'diffs', bad)
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
# ---- English cases ----
CASES = []
def case(i, patient, kind, turns):
    def deco(fn):
        CASES.append({'id': f'rb18-en-{i:03d}', 'lang': 'en', 'patient': patient, 'kind': kind,
                      'turns': turns, 'gold': fn})
        return fn
    return deco

@case(1, 'Liz_Conn', 'still_on', [
    "hi quick one, the pharmacy app flagged my water tablet as 'review needed'?? am i still meant to be on the hydrochlorothiazide or did the doctor stop it at some point and nobody told me lol"])
def _():
    e = [x for x in ents('Liz_Conn', 'MedicationRequest') if '316049' in codes(x['resource']['medicationCodeableConcept'])]
    assert len(e) == 1 and e[0]['resource']['status'] == 'active'
    return G([ref(e[0])], [d(e[0]['resource']['authoredOn'])],
             "MedicationRequest hydrochlorothiazide 25 MG (RxNorm 316049), status active, authoredOn 2006-08-04, no later stop: still on it")

@case(2, 'Lupe_Little', 'meaning', [
    "So a few years back they told me I was 'pre-diabetic' and to cut down on the carbs. I've lost a bit of weight since then (well, sort of, the scales say otherwise) and I walk to work most days now. My wife keeps asking whether my sugar number is actually ok or if I'm heading for full-blown diabetes. What was my last A1c and is that in the normal range or not?"])
def _():
    e = obs('Lupe_Little', '4548-4')[-1]; r = e['resource']
    assert 'referenceRange' not in r
    return G([ref(e)], [r1(qv(r))],
             f"latest Observation LOINC 4548-4 by effectiveDateTime: {qv(r)} % on {d(odate(r))}; no referenceRange recorded in the record (answer should say the record gives no range; condition Prediabetes is on file)")

@case(3, 'Luigi_Wiegand', 'count', [
    "how many hep b jabs has my little boy had so far? the nurse asked me at the desk and my mind went blank 🙈"])
def _():
    es = imms('Luigi_Wiegand', '08')
    return G([ref(e) for e in es], [str(len(es))],
             "count of Immunization CVX 08 (Hep B pediatric): " + ', '.join(d(idate(e['resource'])) for e in es))

@case(4, 'Annmarie_Doyle', 'followup', [
    "Hello, I'm Annmarie's daughter and I help her with her appointments. What was her cholesterol the last time they checked it?",
    "and the time before that?"])
def _():
    es = obs('Annmarie_Doyle', '2093-3'); e = es[-2]; r = e['resource']
    return G([ref(e)], [r0(qv(r)), d(odate(r))],
             f"second-latest total cholesterol (LOINC 2093-3) by date: {qv(r)} mg/dL on {d(odate(r))} (latest is {d(odate(es[-1]['resource']))})")

@case(5, 'Laurie_McCullough', 'last_visit', [
    "when was i last seen at the clinic and what was it for? cant remember if it was the throat thing or something else"])
def _():
    e = encs('Laurie_McCullough')[-1]; r = e['resource']
    cond = [x for x in ents('Laurie_McCullough', 'Condition') if x['resource'].get('onsetDateTime', '')[:10] == d(edate(r))]
    return G([ref(e)] + [ref(x) for x in cond], [d(edate(r))],
             f"latest Encounter by period.start: {d(edate(r))}, reason {r['reasonCode'][0]['coding'][0]['display']}; Encounter or the matching Condition may be cited", match='any')

@case(6, 'Fidel_Bins', 'list', [
    "Filling in a form for a new dentist and it wants ALL my allergies. I know there's a bunch but I always forget half of them. Can you list what's on my file?"])
def _():
    es = [x for x in ents('Fidel_Bins', 'AllergyIntolerance')]
    assert all(x['resource']['clinicalStatus']['coding'][0]['code'] == 'active' for x in es)
    return G([ref(x) for x in es], [],
             f"all {len(es)} AllergyIntolerance entries, all clinicalStatus active (latex, mould, dust mite, animal dander, grass pollen, tree pollen, nut)")

@case(7, 'Liz_Conn', 'ever_had', [
    "Bit of an odd question. Did I actually have my tubes tied, or was it only talked about? I've a new GP and she asked about contraception and I honestly can't remember what got done vs what was just discussed, it was a mad year"])
def _():
    e = procs('Liz_Conn', '287664005')
    assert len(e) == 1
    return G([ref(e[0])], [d(pdate(e[0]['resource']))],
             "Procedure SNOMED 287664005 Bilateral tubal ligation, completed, performed 2012-09-29: yes")

@case(8, 'Lupe_Little', 'not_found', [
    "I had a cardiac arrest back when I was a teenager. My new cardiologist wants to know what my last heart ultrasound (echo) showed. Can you pull that up for me?"])
def _():
    s = json.dumps(load('Lupe_Little')).lower()
    assert 'echocardiog' not in s and 'ultrasound' not in s
    return NF("no echocardiogram / cardiac ultrasound Procedure, Observation, DiagnosticReport or ImagingStudy in the record (history of cardiac arrest Condition exists, but no echo)")

@case(9, 'Fidel_Bins', 'value_in_year', [
    "what was my bad cholesterol in 2015"])
def _():
    es = [e for e in obs('Fidel_Bins', '18262-6') if odate(e['resource']).startswith('2015')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"LDL (LOINC 18262-6) in 2015: {qv(r)} mg/dL on {d(odate(r))}")

@case(10, 'Luigi_Wiegand', 'latest', [
    "how heavy was my son at his last weigh in? my mum says he looks tiny but he feeds fine"])
def _():
    e = obs('Luigi_Wiegand', '29463-7')[-1]; r = e['resource']
    return G([ref(e)], [r1(qv(r))],
             f"latest body weight (LOINC 29463-7) by effectiveDateTime: {qv(r)} kg on {d(odate(r))}")

@case(11, 'AT_ELGA_GmbH_01', 'latest', [
    "What was my blood pressure the last time it was taken? I'm starting a new job with a medical questionnaire and they want the most recent reading."])
def _():
    p = 'AT_ELGA_GmbH_01'
    bp = [e for e in ents(p, 'Observation') if set(codes(e['resource']['code'])) & {'8480-6', '8462-4'}]
    last = max(odate(e['resource']) for e in bp)
    es = [e for e in bp if odate(e['resource']) == last]
    assert len(es) == 4
    vals = sorted({str(qv(e['resource'])) for e in es})
    return G([ref(e) for e in es], vals,
             f"systolic (8480-6) and diastolic (8462-4) are separate Observations; two readings share the latest timestamp {last} "
             "(one with effectivePeriod 110/70, one with effectiveDateTime 117/64): all four are gold")

@case(12, 'AT_ELGA_GmbH_01', 'meaning', [
    "I've been feeling wiped out for months so I was looking through my old blood results from Vienna. Most of it is in German which doesn't help lol. There's a ferritin of 724 with a flag next to it. Everyone always tells me to take iron because I'm tired, but is 724 actually high or low? What's the normal range on that report?"])
def _():
    p = 'AT_ELGA_GmbH_01'
    es = obs(p, '2276-4'); assert len(es) == 1; r = es[0]['resource']
    rr = r['referenceRange'][0]
    return G([ref(es[0])], [str(qv(r)), str(rr['low']['value']), str(rr['high']['value'])],
             f"Observation ferritin LOINC 2276-4 = {qv(r)} ug/L on {d(odate(r))}, referenceRange {rr['low']['value']}-{rr['high']['value']}, interpretation HH (critical high): above range")

@case(13, 'IPS_IG-bundle-01', 'list', [
    "what allergies do i have on file? going on holiday and want to put it on my phone's medical ID"])
def _():
    p = 'IPS_IG-bundle-01'
    al = ents(p, 'AllergyIntolerance')
    real = [e for e in al if '429625007' not in codes(e['resource']['code'])]
    assert len(real) == 1
    return G([ref(real[0])], [],
             "one true allergy: penicillin-class substance (SNOMED 373270004), criticality high, onset 2010; the other AllergyIntolerance is 'No known food allergy' (429625007), a negation, NOT an allergy")

@case(14, 'IPS_IG-bundle-01', 'still_on', [
    "I started the anastrozole after my breast cancer treatment and honestly I've lost track of how long I was meant to take it for. Does my record say I'm still on it, or was it stopped?"])
def _():
    p = 'IPS_IG-bundle-01'
    ms = [e for e in ents(p, 'MedicationStatement') if e['resource']['medicationReference']['reference'].endswith('976d0804-cae0-45ae-afe3-a19f3ceba6bc')]
    assert len(ms) == 1; r = ms[0]['resource']
    assert r['status'] == 'active' and 'end' not in r['effectivePeriod']
    return G([ref(ms[0])], [r['effectivePeriod']['start']],
             "MedicationStatement -> Medication anastrozole 1 mg, status active, effectivePeriod start 2015-03 (partial date), no end: still on it")

@case(15, 'US_MEDITECH_ips_2', 'ever_had', [
    "my daughter says i have a pacemaker but i thought that was just discussed at some point?? did they actually put one in"])
def _():
    p = 'US_MEDITECH_ips_2'
    pr = [e for e in ents(p, 'Procedure') if '175135009' in codes(e['resource']['code'])]
    du = ents(p, 'DeviceUseStatement')
    assert len(pr) == 1 and pr[0]['resource']['status'] == 'completed'
    return G([ref(pr[0])] + [ref(x) for x in du], [d(pr[0]['resource']['performedDateTime'])],
             "Procedure 'Intro of Pacemaker via vein' (SNOMED 175135009) completed 2011-10-05; also DeviceUseStatement active for a cardiac resynchronization therapy defibrillator; either may be cited", match='any')

@case(16, 'US_MEDITECH_ips_2', 'list', [
    "Hi. The home health nurse is coming Thursday and needs a list of what I'm currently taking. I had a bunch of stuff in hospital back in 2015 (antibiotics through a drip, tylenol) but I don't think all of that is still going. What medicines does my record say I'm on right now?"])
def _():
    p = 'US_MEDITECH_ips_2'
    act = [e for e in ents(p, 'MedicationRequest') + ents(p, 'MedicationStatement') if e['resource'].get('status') == 'active']
    assert len(act) == 2
    return G([ref(e) for e in act], [],
             "current = status active: MedicationRequest darbepoetin alfa (start 2015-06-22, no end) and MedicationStatement coded only by NDC 55513003201 (no name, active since 2020-11-16); acetaminophen and ceftriaxone requests are stopped, the other two MedicationStatements completed")

@case(17, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest', [
    "When my daughter was sick with covid they put a clip on her finger and the nurse looked worried. What was her oxygen reading?"])
def _():
    p = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    es = obs(p, '59408-5'); assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"Observation LOINC 59408-5 oxygen saturation by pulse oximetry = {qv(r)} % on {d(odate(r))} (only reading)")

@case(18, 'Josue_Sipes', 'count', [
    "How many times have they done my A1c since the start of 2018? My insurance is asking, they think I'm being over-tested"])
def _():
    es = [e for e in obs('Josue_Sipes', '4548-4') if odate(e['resource']) >= '2018-01-01']
    return G([ref(e) for e in es], [str(len(es))],
             f"count of Observation LOINC 4548-4 with effectiveDateTime >= 2018-01-01: {len(es)} (from {d(odate(es[0]['resource']))} to {d(odate(es[-1]['resource']))}); refs listed for completeness, count is decisive", match='any')

@case(19, 'Josue_Sipes', 'latest', [
    "whats my latest kidney function result? the egfr one. doc mentioned stage something ckd and I want to keep an eye on it"])
def _():
    es = obs('Josue_Sipes', '33914-3')
    last = odate(es[-1]['resource'])
    lat = [e for e in es if odate(e['resource']) == last]
    assert len(lat) == 2
    return G([ref(e) for e in lat], [r0(qv(e['resource'])) for e in lat],
             f"two Observations LOINC 33914-3 on the latest date {d(last)}: 'Estimated Glomerular Filtration Rate' and 'Glomerular filtration rate/1.73 sq M.predicted'; both are gold")

@case(20, 'Renea_Quigley', 'ever_had', [
    "have i ever had a colonoscopy? my sister just had polyps removed and her doctor said i should get checked"])
def _():
    es = procs('Renea_Quigley', '73761001')
    assert len(es) == 2
    return G([ref(e) for e in es], [d(pdate(es[-1]['resource']))],
             "Procedure Colonoscopy (SNOMED 73761001) completed twice: 2012-12-25 and 2017-12-24; yes, latest 2017-12-24; citing either counts", match='any')

@case(21, 'Emery_Purdy', 'value_in_year', [
    "Trying to make a graph of my blood sugars for my diabetes educator. What was my glucose on the blood test in 2014?"])
def _():
    es = [e for e in obs('Emery_Purdy', '2339-0') if odate(e['resource']).startswith('2014')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"Observation LOINC 2339-0 glucose in 2014: {qv(r)} mg/dL on {d(odate(r))} (only one that year)")

@case(22, 'Emery_Purdy', 'ever_had', [
    "Bit of a shingles scare at work (a colleague has it). Have I had the shingles vaccine? I know it's meant to be 2 doses, did I get both?"])
def _():
    es = imms('Emery_Purdy', '121')
    assert len(es) == 2
    return G([ref(e) for e in es], [d(idate(e['resource'])) for e in es],
             "Immunization CVX 121 zoster, completed, 2 doses: 2018-01-05 and 2019-01-11: yes, both")

@case(23, 'Martina_Murazik', 'still_on', [
    "My mum (Martina) has heart failure and she's on a water tablet, Lasix I think. She's been having to get up at night a lot and wants to know if she's actually still supposed to be on it or whether it was a short course. Can you check?"])
def _():
    es = [e for e in ents('Martina_Murazik', 'MedicationRequest') if '315971' in codes(e['resource']['medicationCodeableConcept'])]
    assert len(es) == 1 and es[0]['resource']['status'] == 'active'
    return G([ref(es[0])], [d(es[0]['resource']['authoredOn'])],
             "MedicationRequest Lasix 40mg (RxNorm 315971) status active, authoredOn 2020-06-15, no stop: still on it")

@case(24, 'Martina_Murazik', 'last_visit', [
    "when was my last visit and what happened? i remember an xray but my memory isnt what it was"])
def _():
    e = encs('Martina_Murazik')[-1]; r = e['resource']
    px = [x for x in procs('Martina_Murazik') if d(pdate(x['resource'])) == d(edate(r))]
    return G([ref(e)] + [ref(x) for x in px], [d(edate(r))],
             f"latest Encounter by period.start {d(edate(r))} (class {r['class']['code']}, 'Encounter for Problem'), with a plain chest X-ray Procedure the same day; citing the Encounter or the X-ray counts", match='any')

@case(25, 'Daisey_Johns', 'count', [
    "how many DTaP shots has my daughter had altogether? school form wants the number of doses"])
def _():
    es = imms('Daisey_Johns', '20')
    return G([ref(e) for e in es], [str(len(es))],
             "count of Immunization CVX 20 (DTaP): " + ', '.join(d(idate(e['resource'])) for e in es))

@case(26, 'Daisey_Johns', 'followup', [
    "When was Daisey's last asthma review with the doctor?",
    "and the one before that one?"])
def _():
    es = encs('Daisey_Johns', lambda r: '394701000' in codes(r['type'][0]))
    e = es[-2]
    return G([ref(e)], [d(edate(e['resource']))],
             f"asthma follow-up Encounters (SNOMED 394701000): {[d(edate(x['resource'])) for x in es]}; the one before the last is {d(edate(e['resource']))}")

@case(27, 'Vito_Feeney', 'count', [
    "I'm going through my late grandfather Vito's medical records because my dad was just told he needs prostate checks because of family history. Grandad died in 1979 and I know he had prostate cancer. How many PSA blood tests did he have in the record? Just trying to get a picture of how closely he was being watched before they found it."])
def _():
    es = obs('Vito_Feeney', '2857-1')
    return G([ref(e) for e in es], [str(len(es))],
             f"count of Observation LOINC 2857-1 PSA: {len(es)} ({d(odate(es[0]['resource']))} to {d(odate(es[-1]['resource']))}); refs listed, count decisive", match='any')

@case(28, 'Annmarie_Doyle', 'not_found', [
    "Mum is 87 and had a fall last week, no broken bones thank god. The physio asked about her last bone density scan. Can you find the result?"])
def _():
    s = json.dumps(load('Annmarie_Doyle')).lower()
    assert 'bone' not in s and 'dexa' not in s and 'osteopor' not in s
    return NF("no bone density scan / DEXA procedure, observation or report anywhere in the record")

@case(29, 'Laurie_McCullough', 'previous', [
    "My last blood pressure was high I know. What was it the time before that? Want to see if it's been creeping up."])
def _():
    es = obs('Laurie_McCullough', '55284-4'); e = es[-2]; r = e['resource']
    return G([ref(e)], [r0(comp(r, '8480-6')), d(odate(r))],
             f"(diastolic ~{r0(comp(r, '8462-4'))} not required as a string because of rounding) second-latest BP panel (LOINC 55284-4) by date: {comp(r, '8480-6')}/{comp(r, '8462-4')} mmHg on {d(odate(r))} (latest is {d(odate(es[-1]['resource']))})")

@case(30, 'Renea_Quigley', 'count', [
    "how many times have I ended up in the ER? my husband says it's every year lately and I say he's exaggerating 🙄"])
def _():
    es = encs('Renea_Quigley', lambda r: r['class']['code'] == 'EMER')
    return G([ref(e) for e in es], [str(len(es))],
             "count of Encounters class EMER: " + ', '.join(d(edate(e['resource'])) for e in es))

@case(31, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found', [
    "Lisandra is changing schools and they want proof of her MMR and other childhood vaccines. Can you show me which ones she's had and the dates?"])
def _():
    p = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    assert not ents(p, 'Immunization')
    assert 'mmr' not in json.dumps(load(p)).lower()
    return NF("no Immunization resources at all in this record (C-CDA conversion holds only the 2020-02-29 COVID episode); vaccine history not in the record")

@case(32, 'Vito_Feeney', 'last_visit', [
    "What was my grandfather's last doctor's appointment before he passed away, and what was it for? He died in November 1979."])
def _():
    p = 'Vito_Feeney'
    death = load(p)['entry'][0]['resource']['deceasedDateTime']
    es = encs(p, lambda r: edate(r) < death)
    e = es[-1]; r = e['resource']
    return G([ref(e)], [d(edate(r))],
             f"Patient.deceasedDateTime {death[:10]}; last Encounter starting before death is {d(edate(r))} ({r['type'][0]['coding'][0]['display']}); the 'Death Certification' encounter on 1979-11-12 is after death and is not a visit")

@case(33, 'Josue_Sipes', 'followup', [
    "when was my last breathing test, the one where you blow into the tube?",
    "how many of those have I had in total?"])
def _():
    es = procs('Josue_Sipes', '127783003')
    return G([ref(e) for e in es], [str(len(es))],
             f"Procedure Spirometry (SNOMED 127783003) count in whole record: {len(es)} (first {d(pdate(es[0]['resource']))}, last {d(pdate(es[-1]['resource']))}); count is decisive", match='any')

@case(34, 'Martina_Murazik', 'meaning', [
    "The cardiologist did a heart scan on Mum last year and mentioned her 'ejection fraction'. What was the number and is that normal? She's 67 and gets breathless on the stairs."])
def _():
    es = obs('Martina_Murazik', '10230-1')
    assert len(es) == 2 and all('referenceRange' not in e['resource'] for e in es)
    dt = d(odate(es[0]['resource']))
    return G([ref(e) for e in es], [dt],
             f"two Observations LOINC 10230-1 LV ejection fraction on {dt}: {[round(qv(e['resource']), 1) for e in es]} %; no referenceRange in the record (answer should give both values, say the record has no range); numbers not required as strings because of rounding")

@case(35, 'AT_ELGA_GmbH_01', 'meaning', [
    "My sugar test (HbA1c) from the Austrian lab says 1.0 % and it's marked normal. My friend who's diabetic says hers is like 7. Is 1.0 good?? What's the range on the report?"])
def _():
    es = obs('AT_ELGA_GmbH_01', '4548-4'); assert len(es) == 1; r = es[0]['resource']
    rr = r['referenceRange'][0]
    return G([ref(es[0])], [str(qv(r)), str(rr['low']['value']), str(rr['high']['value'])],
             f"Observation HbA1c LOINC 4548-4 = {qv(r)} % on {d(odate(r))}, referenceRange {rr['low']['value']}-{rr['high']['value']} %, interpretation N; the value is actually below the recorded range (implausibly low), so a careful answer notes the discrepancy")

@case(36, 'Emery_Purdy', 'followup', [
    "what was my LDL last time",
    "ok and back in 2019?"])
def _():
    es = [e for e in obs('Emery_Purdy', '18262-6') if odate(e['resource']).startswith('2019')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"LDL LOINC 18262-6 in 2019: {qv(r)} mg/dL on {d(odate(r))}")

@case(37, 'Daisey_Johns', 'list', [
    "Daisey's going to her grandma's for the week. What medicines is she on at the moment so I can pack them? I know there's the inhalers and the epipen but I want to make sure I'm not forgetting anything."])
def _():
    es = [e for e in ents('Daisey_Johns', 'MedicationRequest') if e['resource']['status'] == 'active']
    return G([ref(e) for e in es], [],
             "active MedicationRequests: " + '; '.join(e['resource']['medicationCodeableConcept']['coding'][0]['display'] for e in es) + " (acetaminophen and amoxicillin/clavulanate are stopped)")

@case(38, 'Liz_Conn', 'not_found', [
    "can u tell me what my thyroid levels were? been feeling cold all the time and losing hair"])
def _():
    s = json.dumps(load('Liz_Conn')).lower()
    assert 'tsh' not in s and 'thyro' not in s and '3016-3' not in s
    return NF("no thyroid test (TSH/T4/T3) Observation or report in the record")

@case(39, 'Lupe_Little', 'ever_had', [
    "Starting a new job as a hospital porter and occupational health want to know if I've been vaccinated against hep B. Have I?"])
def _():
    p = 'Lupe_Little'
    hb = [e for e in ents(p, 'Immunization') if set(codes(e['resource']['vaccineCode'])) & {'08', '43', '44', '45', '189'}]
    assert not hb
    return NF("no hepatitis B Immunization in the record (only influenza and Td vaccines): honest no / not recorded")

@case(40, 'Renea_Quigley', 'value_in_year', [
    "What was my kidney function (eGFR) back in 2019? The nephrologist wants to see the trend"])
def _():
    es = [e for e in obs('Renea_Quigley', '33914-3') if odate(e['resource']).startswith('2019')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"eGFR LOINC 33914-3 in 2019: {qv(r)} mL/min/1.73m2 on {d(odate(r))} (only one that year)")

if __name__ == '__main__':
    run(CASES, 'en', os.path.dirname(os.path.abspath(__file__)))
