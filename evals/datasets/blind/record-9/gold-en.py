#!/usr/bin/env python3
"""Gold computation for blind record set rb9-en (standard library only).

Usage:
  python3 gold-en.py            # print every case (id + gold fields) as JSON lines
  python3 gold-en.py --check    # compare gold fields with en-*.jsonl files in this directory
  python3 gold-en.py --write N  # write file en-0N.jsonl (cases 10*(N-1)+1 .. 10*N)
"""
import json, glob, os, sys, re

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
HERE = os.path.dirname(os.path.abspath(__file__))
_cache = {}


def path_for(patient):
    c = glob.glob(os.path.join(SYN, patient + '_*.json'))
    if c:
        return c[0]
    p = os.path.join(RW, patient + '.json')
    if os.path.exists(p):
        return p
    raise FileNotFoundError(patient)


def entries(patient):
    if patient not in _cache:
        b = json.load(open(path_for(patient), encoding='utf-8'))
        _cache[patient] = [(e.get('fullUrl'), e['resource']) for e in b.get('entry', [])]
    return _cache[patient]


def ref(full, r):
    """Reference a correct answer must cite: Type/id, or the fullUrl when the resource has no id."""
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return full


def res(patient, rtype):
    return [(f, r) for f, r in entries(patient) if r['resourceType'] == rtype]


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def disp(cc):
    cc = cc or {}
    for c in cc.get('coding', []):
        if c.get('display'):
            return c['display']
    return cc.get('text')


def odate(r):
    """Clinical date of an Observation/Procedure/Immunization/Encounter etc. (ISO string)."""
    for k in ('effectiveDateTime', 'performedDateTime', 'occurrenceDateTime', 'date', 'onsetDateTime', 'authoredOn'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def d10(s):
    return (s or '')[:10]


def obs(patient, code, component=None):
    """All observations with LOINC code (top-level or in component). Returns sorted list of dicts."""
    out = []
    for f, r in res(patient, 'Observation'):
        if component is None:
            if code in codes(r.get('code')):
                v = r.get('valueQuantity', {}).get('value')
                out.append(dict(ref=ref(f, r), date=odate(r), value=v, r=r))
        else:
            if code in codes(r.get('code')):
                for c in r.get('component', []):
                    if component in codes(c.get('code')):
                        out.append(dict(ref=ref(f, r), date=odate(r), value=c.get('valueQuantity', {}).get('value'), r=r))
    out.sort(key=lambda x: x['date'])
    return out


def latest_group(lst):
    """All items sharing the latest clinical date (day precision)."""
    if not lst:
        return []
    last = max(d10(x['date']) for x in lst)
    return [x for x in lst if d10(x['date']) == last]


def num(v, dec=None):
    """Number as a reply would show it. Integers and short decimals as recorded; long Synthea floats:
    values >= 20 -> integer part when the fraction is < .5 (so '229', '229.4', '229.37' all contain it),
    else 1 decimal; values < 20 -> 1 decimal."""
    if isinstance(v, int) or (isinstance(v, float) and v == int(v) and dec is None and len(repr(v)) <= 6):
        return str(int(v)) if float(v) == int(v) else repr(v)
    s = repr(v)
    if dec is not None:
        return ('%.' + str(dec) + 'f') % v
    if len(s.split('.')[-1]) <= 2:
        return s
    if abs(v) >= 20 and (v - int(v)) < 0.5:
        return str(int(v))
    s1 = '%.1f' % v
    return s1[:-2] if s1.endswith('.0') else s1


def bp(patient):
    """Synthea BP panels (55284-4) -> list of (date, ref, sys, dia)."""
    out = []
    for f, r in res(patient, 'Observation'):
        if '55284-4' in codes(r.get('code')):
            s = d = None
            for c in r.get('component', []):
                if '8480-6' in codes(c.get('code')):
                    s = c['valueQuantity']['value']
                if '8462-4' in codes(c.get('code')):
                    d = c['valueQuantity']['value']
            out.append(dict(date=odate(r), ref=ref(f, r), sys=s, dia=d))
    out.sort(key=lambda x: x['date'])
    return out


def encounters(patient):
    out = [dict(ref=ref(f, r), date=odate(r), r=r, type=disp((r.get('type') or [{}])[0]),
                reason=disp((r.get('reasonCode') or [{}])[0]) if r.get('reasonCode') else None)
           for f, r in res(patient, 'Encounter')]
    out.sort(key=lambda x: x['date'])
    return out


def imms(patient, cvx=None):
    out = []
    for f, r in res(patient, 'Immunization'):
        if cvx is None or set(codes(r.get('vaccineCode'))) & set(cvx):
            out.append(dict(ref=ref(f, r), date=odate(r), r=r, name=disp(r.get('vaccineCode'))))
    out.sort(key=lambda x: x['date'])
    return out


def procs(patient, code=None):
    out = []
    for f, r in res(patient, 'Procedure'):
        if code is None or code in codes(r.get('code')):
            out.append(dict(ref=ref(f, r), date=odate(r), r=r, name=disp(r.get('code'))))
    out.sort(key=lambda x: x['date'])
    return out


def conds(patient):
    out = []
    for f, r in res(patient, 'Condition'):
        cs = (r.get('clinicalStatus') or {})
        st = codes(cs)[0] if isinstance(cs, dict) and codes(cs) else cs
        out.append(dict(ref=ref(f, r), r=r, name=disp(r.get('code')), status=st, onset=r.get('onsetDateTime'),
                        abate=r.get('abatementDateTime')))
    return out


def medreqs(patient):
    out = []
    for f, r in res(patient, 'MedicationRequest'):
        out.append(dict(ref=ref(f, r), r=r, name=disp(r.get('medicationCodeableConcept')) or (r.get('medicationReference') or {}).get('display'),
                        status=r.get('status'), date=r.get('authoredOn')))
    out.sort(key=lambda x: x['date'] or '')
    return out


def contains_any(text, words):
    t = (text or '').lower()
    return any(w in t for w in words)


def any_text_match(patient, words, types=None):
    """Search every resource's JSON text (lower-cased) for any of words: used to confirm NOT-found cases."""
    hits = []
    for f, r in entries(patient):
        if types and r['resourceType'] not in types:
            continue
        s = json.dumps(r, ensure_ascii=False).lower()
        if any(w in s for w in words):
            hits.append(ref(f, r))
    return hits

# ---------------------------------------------------------------------------------------------
CASES = []


def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append(dict(id=cid, patient=patient, kind=kind, turns=turns, fn=fn))
        return fn
    return deco


def G(refs, values, match='all', nf=False, note=''):
    return dict(gold_refs=list(refs), match=match, gold_values=[str(v) for v in values], expect_not_found=nf, note=note)

# =============================== cases 001-010 ===============================

@case('rb9-en-001', 'Josue_Sipes', 'latest', [
    "Hi, so the kidney clinic left me a voicemail saying my kidney numbers had \"dipped a bit\" and to book a "
    "follow up, but they didn't say by how much and now I can't get through on the phone. I've been on the "
    "metformin for years and the insulin since last spring, and honestly I feel ok, no swelling in my ankles, "
    "peeing normally as far as I can tell. Before I panic can you tell me what my most recent kidney function "
    "result was? the GFR thing I think they call it"])
def _():
    p = 'Josue_Sipes'
    grp = latest_group(obs(p, '33914-3'))
    return G([x['ref'] for x in grp], [num(x['value']) for x in grp] + [d10(grp[0]['date'])],
             note='latest Observation(s) LOINC 33914-3 by effectiveDateTime; two GFR results on the same latest day '
                  '(' + ', '.join('%s=%r' % (x['r']['code']['coding'][0]['display'], x['value']) for x in grp) + '), both gold')


@case('rb9-en-002', 'Emery_Purdy', 'latest', [
    "whats my blood pressure been at lately? like the last time they took it"])
def _():
    b = bp('Emery_Purdy')[-1]
    return G([b['ref']], [str(round(b['sys'])), str(round(b['dia'])), d10(b['date'])],
             note='latest BP panel 55284-4 by effectiveDateTime; systolic %r / diastolic %r (rounded)' % (b['sys'], b['dia']))


@case('rb9-en-003', 'Annmarie_Doyle', 'count', [
    "Hello, I'm writing for my mum Annmarie (she's 86 and doesn't do computers). Her care home wants to know how "
    "many flu jabs she's had through your surgery, all of them in total, not just this year. Could you count them "
    "up from her record please?"])
def _():
    fl = imms('Annmarie_Doyle', ['140'])
    return G([x['ref'] for x in fl], [str(len(fl))], match='any',
             note='count of Immunization CVX 140 (seasonal influenza), all dates %s..%s' % (d10(fl[0]['date']), d10(fl[-1]['date'])))


@case('rb9-en-004', 'Daisey_Johns', 'list', [
    "my daughter daisey starts kindergarten in the fall and the school nurse wants a full list of her allergies "
    "for the form. what does her file say?? i know about the epipen obviously but i want to make sure i dont "
    "forget anything 😅"])
def _():
    al = res('Daisey_Johns', 'AllergyIntolerance')
    return G([ref(f, r) for f, r in al], [],
             note='all AllergyIntolerance (%d, all clinicalStatus active): %s' % (len(al), '; '.join(disp(r['code']) for f, r in al)))


@case('rb9-en-005', 'Emery_Purdy', 'ever_had', [
    "My wife keeps on at me to book a colonoscopy now I'm past 50. But didn't I already have one at some point? "
    "I've a vague memory of drinking that horrible prep stuff. Is it on my record?"])
def _():
    pr = procs('Emery_Purdy', '73761001')
    return G([x['ref'] for x in pr], [d10(x['date']) for x in pr],
             note='Procedure SNOMED 73761001 Colonoscopy: yes, %d on record' % len(pr))


@case('rb9-en-006', 'Fidel_Bins', 'still_on', [
    "quick q - is the benadryl (diphenhydramine) still listed as one of my meds or did someone take it off at some point?"])
def _():
    m = [x for x in medreqs('Fidel_Bins') if 'diphenhydramine' in x['name'].lower()]
    return G([x['ref'] for x in m], [d10(x['date']) for x in m],
             note='MedicationRequest diphenhydramine: status %s, authoredOn %s -> still listed as active (no stop recorded)'
                  % (m[0]['status'], d10(m[0]['date'])))


@case('rb9-en-007', 'Laurie_McCullough', 'still_on', [
    "Am I still meant to be on the Jolivette pill? I actually stopped it ages ago but no idea if the clinic ever took "
    "it off my list. I'm trying to sort out contraception again and want to know what they think I'm on"])
def _():
    m = [x for x in medreqs('Laurie_McCullough') if 'jolivette' in x['name'].lower()]
    return G([x['ref'] for x in m], [d10(x['date']) for x in m],
             note='MedicationRequest Jolivette 28 Day Pack: status %s (authoredOn %s) -> stopped, not current' % (m[0]['status'], d10(m[0]['date'])))


@case('rb9-en-008', 'Liz_Conn', 'last_visit', [
    "When was I last in to see you guys and what was it for? It feels like forever"])
def _():
    e = encounters('Liz_Conn')[-1]
    return G([e['ref']], [d10(e['date'])],
             note='latest Encounter by period.start: %s, type %s' % (d10(e['date']), e['type']))


@case('rb9-en-009', 'Luigi_Wiegand', 'count', [
    "How many well baby checkups has Luigi had so far? Ive completely lost track with the sleep deprivation lol"])
def _():
    es = encounters('Luigi_Wiegand')
    ck = [e for e in es if 'check up' in (e['type'] or '').lower()]
    return G([e['ref'] for e in ck], [str(len(ck))], match='any',
             note='count of Encounters of type check up: %d of %d encounters (%s)' % (len(ck), len(es), ', '.join(d10(e['date']) for e in ck)))


@case('rb9-en-010', 'Lupe_Little', 'latest', [
    "What was my last A1C? The doctor told me I was 'prediabetic' a few years back and I never really followed up on it"])
def _():
    x = obs('Lupe_Little', '4548-4')[-1]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='latest Observation LOINC 4548-4 by effectiveDateTime, value %r %%' % x['value'])

# =============================== (more cases appended below) ===============================

# =============================== cases 011-020 ===============================
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'


@case('rb9-en-011', LIS, 'latest', [
    "My daughter Lisandra was really sick at the end of Feb 2020, fever through the roof, coughing, wheezy, "
    "couldn't catch her breath, and they tested her and it came back covid. She's completely fine now thank god, "
    "running around like nothing happened. But her new asthma doctor asked me what her oxygen level was back then "
    "and I honestly don't remember, I was too scared to take anything in. Can you see what the last oxygen reading "
    "on her file is?"])
def _():
    x = obs(LIS, '59408-5')[-1]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='latest Observation LOINC 59408-5 (SpO2 pulse oximetry) by effectiveDateTime, value %r %%; only one reading' % x['value'])


@case('rb9-en-012', 'AT_ELGA_GmbH_01', 'latest', [
    "What was my blood pressure the last time somebody measured it?"])
def _():
    p = 'AT_ELGA_GmbH_01'
    allbp = obs(p, '8480-6') + obs(p, '8462-4')
    grp = latest_group(allbp)
    sysv = [x for x in grp if '8480-6' in codes(x['r']['code'])]
    diav = [x for x in grp if '8462-4' in codes(x['r']['code'])]
    vals = [num(x['value']) for x in sysv] + [num(x['value']) for x in diav]
    per = lambda lst, flag: [x['value'] for x in lst if ('effectivePeriod' in x['r']) == flag][0]
    return G([x['ref'] for x in grp], vals + [d10(grp[0]['date'])],
             note='separate systolic (8480-6) and diastolic (8462-4) Observations without id (refs = fullUrl); two readings '
                  'at the same time 2016-07-30 08:30, one pair with effectivePeriod (%s/%s mmHg) and one with effectiveDateTime '
                  '(%s/%s mmHg); all four are gold' % (per(sysv, True), per(diav, True), per(sysv, False), per(diav, False)))


@case('rb9-en-013', 'Renea_Quigley', 'value_in_year', [
    "Sorry if this is a silly question. I remember a doctor mentioning my kidney function was low at one of my "
    "check ups in 2018, then nobody said anything more about it. What was my kidney result that year?"])
def _():
    xs = [x for x in obs('Renea_Quigley', '33914-3') if x['date'].startswith('2018')]
    return G([x['ref'] for x in xs], [num(x['value']) for x in xs] + [d10(xs[0]['date'])],
             note='Observation LOINC 33914-3 (eGFR) with effectiveDateTime in 2018: %d result(s), value %r mL/min/1.73m2'
                  % (len(xs), xs[0]['value']))


@case('rb9-en-014', 'Vito_Feeney', 'value_in_year', [
    "I'm going through my late father's records because my own GP wants to know about family history for my "
    "prostate screening. Dad had prostate cancer. What was his PSA in 1975?"])
def _():
    xs = [x for x in obs('Vito_Feeney', '2857-1') if x['date'].startswith('1975')]
    return G([x['ref'] for x in xs], [num(x['value']) for x in xs] + [d10(x['date']) for x in xs],
             note='Observation LOINC 2857-1 (PSA) effectiveDateTime in 1975: %d result, value %r ng/mL' % (len(xs), xs[0]['value']))


@case('rb9-en-015', 'Annmarie_Doyle', 'value_in_year', [
    "mum's cholesterol in 2017, what was it? her new doctor is asking whether it's gone up or down"])
def _():
    xs = [x for x in obs('Annmarie_Doyle', '2093-3') if x['date'].startswith('2017')]
    return G([x['ref'] for x in xs], [num(x['value']) for x in xs] + [d10(x['date']) for x in xs],
             note='Observation LOINC 2093-3 (total cholesterol) in 2017: value %r mg/dL' % xs[0]['value'])


@case('rb9-en-016', 'Emery_Purdy', 'previous', [
    "I know my latest LDL was up again, my doc already told me. What was the LDL reading before that one, the previous test?"])
def _():
    xs = obs('Emery_Purdy', '18262-6')
    x = xs[-2]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='second-latest Observation LOINC 18262-6 (LDL) by effectiveDateTime: %r mg/dL (latest is %s)' % (x['value'], d10(xs[-1]['date'])))


@case('rb9-en-017', 'Martina_Murazik', 'previous', [
    "My breathing test, the blowing one they do every year for my COPD. What was the score the time before the "
    "most recent one? I want to see if it's getting worse"])
def _():
    xs = obs('Martina_Murazik', '19926-5')
    x = xs[-2]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='second-latest Observation LOINC 19926-5 (FEV1/FVC) by effectiveDateTime: %r %% (latest %r on %s)' % (x['value'], xs[-1]['value'], d10(xs[-1]['date'])))


@case('rb9-en-018', 'Fidel_Bins', 'previous', [
    "Whats the LDL from the test before my most recent one?"])
def _():
    xs = obs('Fidel_Bins', '18262-6')
    x = xs[-2]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='second-latest Observation LOINC 18262-6 (LDL) by effectiveDateTime: %r mg/dL' % x['value'])


@case('rb9-en-019', 'Josue_Sipes', 'count', [
    "how many times did I actually come in during 2020? my insurance statement says one thing and my wife says "
    "another, and with the lung rehab sessions I've lost count"])
def _():
    es = [e for e in encounters('Josue_Sipes') if e['date'].startswith('2020')]
    return G([e['ref'] for e in es], [str(len(es))], match='any',
             note='count of Encounters with period.start in 2020: %d (%s)' % (len(es), ', '.join(d10(e['date']) for e in es)))


@case('rb9-en-020', 'Daisey_Johns', 'count', [
    "We're doing our FSA paperwork and I need to know how many appointments Daisey had in 2019. Her asthma was bad "
    "that year so I think it was a lot?"])
def _():
    es = [e for e in encounters('Daisey_Johns') if e['date'].startswith('2019')]
    return G([e['ref'] for e in es], [str(len(es))], match='any',
             note='count of Encounters with period.start in 2019: %d (%s)' % (len(es), ', '.join('%s %s' % (d10(e['date']), e['type']) for e in es)))


# =============================== cases 021-030 ===============================
MT = 'US_MEDITECH_ips_2'


@case('rb9-en-021', 'Daisey_Johns', 'last_visit', [
    "When was Daisey last seen by you and what was it for? I can't remember if the last one was for her sinus "
    "thing or her checkup"])
def _():
    e = encounters('Daisey_Johns')[-1]
    prev = encounters('Daisey_Johns')[-2]
    return G([e['ref']], [d10(e['date'])],
             note='latest Encounter by period.start (entries are not in date order in the file): %s %s; the sinusitis '
                  'visit (%s, %s) came before it' % (d10(e['date']), e['type'], d10(prev['date']), prev['reason']))


@case('rb9-en-022', 'Laurie_McCullough', 'last_visit', [
    "ugh my throat is killing me again, third time in like two years. the last time I came in with this they "
    "swabbed me and said it was just viral and sent me home. when was that last appointment exactly and what did "
    "they end up writing down? trying to decide if its worth coming in or just riding it out"])
def _():
    e = encounters('Laurie_McCullough')[-1]
    return G([e['ref']], [d10(e['date'])],
             note='latest Encounter by period.start: %s, %s, reason %s' % (d10(e['date']), e['type'], e['reason']))


@case('rb9-en-023', 'IPS_IG-bundle-01', 'list', [
    "I'm seeing a new GP next week. Can you list the medicines I'm currently on according to my summary, so I "
    "don't forget any?"])
def _():
    ms = [(f, r) for f, r in res('IPS_IG-bundle-01', 'MedicationStatement') if r.get('status') == 'active']
    meds = {ref(f, r): r for f, r in res('IPS_IG-bundle-01', 'Medication')}
    names = [disp(meds[r['medicationReference']['reference'].replace('urn:uuid:', 'Medication/')]['code']) for f, r in ms]
    return G([ref(f, r) for f, r in ms], [],
             note='MedicationStatements with status active (medicationReference -> Medication): %s' % '; '.join(names))


@case('rb9-en-024', MT, 'list', [
    "The pharmacist is asking what I'm allergic to before filling something. What allergies do you have on file for me?"])
def _():
    al = res(MT, 'AllergyIntolerance')
    act = [(f, r) for f, r in al if 'active' in codes(r.get('clinicalStatus'))]
    return G([ref(f, r) for f, r in act], [],
             note='AllergyIntolerance with clinicalStatus active: %s (reaction hives, criticality high)' % '; '.join(disp(r['code']) for f, r in act))


@case('rb9-en-025', 'Martina_Murazik', 'list', [
    "Hi, I'm Martina's daughter. Mum has an appointment with the heart failure nurse on Thursday and they've asked "
    "us to bring a list of everything she's currently prescribed. She keeps her tablets in a big bag and I can't "
    "make sense of it. Could you tell me what current medications are on her record?"])
def _():
    ms = [m for m in medreqs('Martina_Murazik') if m['status'] == 'active']
    return G([m['ref'] for m in ms], [],
             note='MedicationRequests with status active: %s' % '; '.join('%s (since %s)' % (m['name'], d10(m['date'])) for m in ms))


@case('rb9-en-026', MT, 'still_on', [
    "Am I still on the Aranesp injections for my blood count, or did they stop those when I left hospital?"])
def _():
    rq = [m for m in medreqs(MT) if 'darbepoetin' in (m['name'] or '').lower()]
    st = [(f, r) for f, r in res(MT, 'MedicationStatement') if '55513003201' in codes(r.get('medicationCodeableConcept'))]
    refs = [m['ref'] for m in rq] + [ref(f, r) for f, r in st]
    return G(refs, [d10(st[0][1]['effectivePeriod']['start'])], match='any',
             note='darbepoetin alfa (Aranesp): MedicationRequest status %s (authoredOn %s) and MedicationStatement known only by '
                  'NDC 55513003201, status %s, effectivePeriod start %s with no end -> still active'
                  % (rq[0]['status'], d10(rq[0]['date']), st[0][1]['status'], d10(st[0][1]['effectivePeriod']['start'])))


@case('rb9-en-027', 'Renea_Quigley', 'still_on', [
    "Is ibuprofen still on my list of meds? I had it after I sprained my ankle and my hip's been playing up so "
    "I want to know if it's still something I'm meant to take"])
def _():
    ib = [m for m in medreqs('Renea_Quigley') if 'ibuprofen' in m['name'].lower()]
    last = ib[-1]
    return G([m['ref'] for m in ib], [d10(last['date'])], match='any',
             note='MedicationRequests Ibuprofen: %s -> all stopped; most recent prescribed %s (ankle sprain). '
                  '(Naproxen is a separate active request, not asked.)' % (', '.join('%s %s' % (d10(m['date']), m['status']) for m in ib), d10(last['date'])))


@case('rb9-en-028', 'Lupe_Little', 'ever_had', [
    "Have I ever had a colonoscopy? I'm about to turn 40 and my brother just had polyps taken out, so my wife "
    "wants me to check"])
def _():
    pr = procs('Lupe_Little', '73761001')
    hits = any_text_match('Lupe_Little', ['colonoscop', 'sigmoidoscop', 'colon'])
    assert not pr and not hits
    return G([], [], nf=True,
             note='no Procedure 73761001 and no resource mentioning colonoscopy/colon -> honest no / not in record')


@case('rb9-en-029', MT, 'ever_had', [
    "did I ever actually get a flu shot through you guys? my new job wants proof of flu vaccination"])
def _():
    fl = [(f, r) for f, r in res(MT, 'Immunization') if 'influenza' in (disp(r['vaccineCode']) or '').lower()]
    f, r = fl[0]
    return G([ref(f, r)], [d10(r['occurrenceDateTime'])],
             note='only influenza Immunization has status %s (statusReason %s) on %s -> no flu vaccine given; the record '
                  'shows it was refused' % (r['status'], r['statusReason']['text'], d10(r['occurrenceDateTime'])))


@case('rb9-en-030', 'Luigi_Wiegand', 'ever_had', [
    "has luigi had the rotavirus drops yet? daycare form is asking and i can't remember which visit they did them at"])
def _():
    rv = imms('Luigi_Wiegand', ['119', '116', '122'])
    return G([x['ref'] for x in rv], [d10(x['date']) for x in rv],
             note='Immunizations rotavirus (CVX 119 monovalent): %d doses' % len(rv))


# =============================== cases 031-040 ===============================
AT = 'AT_ELGA_GmbH_01'


def rr(x):
    r0 = (x['r'].get('referenceRange') or [{}])[0]
    return (r0.get('low') or {}).get('value'), (r0.get('high') or {}).get('value')


def interp(x):
    return [c.get('code') for i in x['r'].get('interpretation', []) for c in i.get('coding', [])]


@case('rb9-en-031', AT, 'meaning', [
    "So I finally got the printout from the hospital lab and most of it means nothing to me, but my sister (she's "
    "a nurse) saw the ferritin and went a bit quiet. I don't drink much, I'm not on iron tablets, and apart from "
    "being tired I feel alright. What was my ferritin and is that actually high? What's the normal range supposed to be?"])
def _():
    x = obs(AT, '2276-4')[-1]
    lo, hi = rr(x)
    return G([x['ref']], [num(x['value']), num(lo), num(hi)],
             note='Observation LOINC 2276-4 Ferritin %r %s on %s, referenceRange %r-%r, interpretation %s (well above range)'
                  % (x['value'], x['r']['valueQuantity']['unit'], d10(x['date']), lo, hi, interp(x)))


@case('rb9-en-032', AT, 'meaning', [
    "was my B12 ok on the last blood test?"])
def _():
    x = obs(AT, '2132-9')[-1]
    lo, hi = rr(x)
    return G([x['ref']], [num(x['value']), num(lo), num(hi)],
             note='Observation LOINC 2132-9 Vitamin B12 %r pmol/L on %s, referenceRange %r-%r, interpretation %s (within range)'
                  % (x['value'], d10(x['date']), lo, hi, interp(x)))


@case('rb9-en-033', 'IPS_IG-bundle-01', 'meaning', [
    "I've been trying really hard with my diet since the autumn, cut out the biscuits and everything. I saw there "
    "was a blood sugar result on my summary, the HbA1c I think. What was it, and is that good or bad? I never know "
    "what these numbers mean"])
def _():
    x = obs('IPS_IG-bundle-01', '17856-6')[-1]
    return G([x['ref']], [num(x['value']), d10(x['date'])],
             note='Observation LOINC 17856-6 HbA1c %r %% on %s; no referenceRange recorded, note: "%s"'
                  % (x['value'], d10(x['date']), x['r']['note'][0]['text']))


@case('rb9-en-034', 'Martina_Murazik', 'meaning', [
    "Mum had a heart scan last summer and the letter mentioned her 'ejection fraction'. What was the number and is "
    "that normal for someone her age? She gets puffed out walking to the shop"])
def _():
    grp = latest_group(obs('Martina_Murazik', '10230-1'))
    return G([x['ref'] for x in grp], [num(x['value']) for x in grp] + [d10(grp[0]['date'])],
             note='Observations LOINC 10230-1 (LV ejection fraction): two results on %s (%s %%), no referenceRange recorded '
                  '(both are below the usual normal of about 50-70%%; condition chronic congestive heart failure on record)'
                  % (d10(grp[0]['date']), ', '.join(repr(x['value']) for x in grp)))


@case('rb9-en-035', 'Liz_Conn', 'not_found', [
    "can you pull up my last a1c? I bought one of those home finger prick kits and want to compare"])
def _():
    hits = obs('Liz_Conn', '4548-4') + obs('Liz_Conn', '17856-6')
    assert not hits and not any_text_match('Liz_Conn', ['a1c', 'glycated', 'glycohemoglobin'])
    return G([], [], nf=True, note='no Observation LOINC 4548-4/17856-6 (HbA1c) anywhere in the record -> not in record')


@case('rb9-en-036', 'IPS_IG-bundle-01', 'not_found', [
    "What was my cholesterol last time it was checked?"])
def _():
    hits = any_text_match('IPS_IG-bundle-01', ['cholesterol', '2093-3', '18262-6', '2085-9', 'lipid'])
    assert not hits
    return G([], [], nf=True, note='no cholesterol/lipid Observation (2093-3, 18262-6, 2085-9) or mention in the record -> not in record')


@case('rb9-en-037', LIS, 'not_found', [
    "When Lisandra had covid back in 2020 what medicine did they give her? She's got a bad cough again and I want "
    "to know what worked last time"])
def _():
    meds = [r for f, r in entries(LIS) if r['resourceType'] in ('MedicationRequest', 'MedicationStatement',
                                                                'MedicationAdministration', 'Medication', 'MedicationDispense')]
    assert not meds
    return G([], [], nf=True,
             note='no Medication* resources in the bundle; Composition "Medications" section is empty and the attached '
                  'C-CDA says there are no current medications -> not in record')


@case('rb9-en-038', 'Josue_Sipes', 'followup', [
    "what's my cholesterol at these days?",
    "and the one before that?"])
def _():
    xs = obs('Josue_Sipes', '2093-3')
    last = d10(xs[-1]['date'])
    before = [x for x in xs if d10(x['date']) < last]
    grp = latest_group(before)
    return G([x['ref'] for x in grp], [num(x['value']) for x in grp] + [d10(grp[0]['date'])],
             note='total cholesterol LOINC 2093-3: latest day %s has two results (%s); the one before = latest result on an '
                  'earlier day: %r mg/dL on %s' % (last, ', '.join(repr(x['value']) for x in xs if d10(x['date']) == last),
                                                   grp[0]['value'], d10(grp[0]['date'])))


@case('rb9-en-039', 'Vito_Feeney', 'followup', [
    "When did my father have his prostate biopsies done? I'm putting together a family medical history",
    "so how many was that altogether?"])
def _():
    pr = procs('Vito_Feeney', '65575008')
    return G([x['ref'] for x in pr], [str(len(pr))], match='any',
             note='count of Procedure SNOMED 65575008 Biopsy of prostate: %d (%s)' % (len(pr), ', '.join(d10(x['date']) for x in pr)))


@case('rb9-en-040', 'Renea_Quigley', 'followup', [
    "What was my blood pressure at my 2019 check up?",
    "hm ok. and the year before?"])
def _():
    b = [x for x in bp('Renea_Quigley') if x['date'].startswith('2018')]
    return G([x['ref'] for x in b], [str(round(b[0]['sys'])), str(round(b[0]['dia'])), d10(b[0]['date'])],
             note='BP panel 55284-4 in 2018 (year before 2019): %d reading, systolic %r / diastolic %r (rounded)'
                  % (len(b), b[0]['sys'], b[0]['dia']))

# ==== END OF CASES ====


def build(c):
    g = c['fn']()
    out = dict(id=c['id'], lang='en', patient=c['patient'], kind=c['kind'], turns=c['turns'])
    out.update(g)
    return out


def main():
    args = sys.argv[1:]
    built = [build(c) for c in CASES]
    if args and args[0] == '--write':
        n = int(args[1])
        chunk = built[10 * (n - 1):10 * n]
        fn = os.path.join(HERE, 'en-%02d.jsonl' % n)
        if os.path.exists(fn):
            sys.exit('%s exists (saved files are final)' % fn)
        with open(fn, 'w', encoding='utf-8') as fh:
            for o in chunk:
                fh.write(json.dumps(o, ensure_ascii=False) + '\n')
        print('wrote', fn, len(chunk))
    elif args and args[0] == '--check':
        byid = {o['id']: o for o in built}
        bad = 0
        n = 0
        for fn in sorted(glob.glob(os.path.join(HERE, 'en-*.jsonl'))):
            for line in open(fn, encoding='utf-8'):
                o = json.loads(line)
                n += 1
                b = byid.get(o['id'])
                for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found'):
                    if b is None or b[k] != o[k]:
                        bad += 1
                        print('MISMATCH', o['id'], k)
        print('checked', n, 'cases,', bad, 'mismatches')
    else:
        for o in built:
            print(json.dumps({k: o[k] for k in ('id', 'patient', 'kind', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')}, ensure_ascii=False))


if __name__ == '__main__':
    main()
