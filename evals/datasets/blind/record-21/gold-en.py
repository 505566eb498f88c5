#!/usr/bin/env python3
"""Gold computation for blind record set rb21 (English cases).

Usage:
  python3 gold-en.py            -> prints every case (question + recomputed gold) as JSON Lines
  python3 gold-en.py --check    -> recomputes gold and compares with the saved en-NN.jsonl files
  python3 gold-en.py --write N  -> writes en-0N.jsonl (only if it does not exist yet)
Standard library only. Reads the FHIR bundles read-only.
"""
import json, glob, os, sys, re

DATA = ['/work/shared/data/synthea', '/work/shared/data/realworld']
HERE = os.path.dirname(os.path.abspath(__file__))
LANG = 'en'
_cache = {}

def load(key):
    if key not in _cache:
        fs = []
        for d in DATA:
            fs += [f for f in glob.glob(os.path.join(d, '*.json'))
                   if os.path.basename(f)[:-5] == key or os.path.basename(f).startswith(key + '_')
                   or os.path.basename(f).startswith(key + '.')]
        assert len(fs) == 1, (key, fs)
        _cache[key] = json.load(open(fs[0], encoding='utf-8'))
    return _cache[key]

def entries(key, rtype=None):
    for e in load(key).get('entry', []):
        r = e.get('resource', {})
        if rtype is None or r.get('resourceType') == rtype:
            yield e

def ref(e):
    r = e['resource']
    if r.get('id'):
        return f"{r['resourceType']}/{r['id']}"
    return e['fullUrl']

def codes(cc):
    out = set()
    if not cc:
        return out
    for c in cc.get('coding', []) or []:
        if c.get('code'):
            out.add(c['code'])
    return out

def text_of(cc):
    if not cc:
        return ''
    parts = [cc.get('text', '')] + [c.get('display', '') for c in cc.get('coding', []) or []]
    return ' '.join(p for p in parts if p)

def cdate(r):
    """clinical date of a resource (string, ISO, possibly partial)"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate', 'issued', 'date'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period', 'effectivePeriod'):
        if r.get(k, {}).get('start'):
            return r[k]['start']
    if r.get('occurrenceString'):
        return r['occurrenceString']
    return ''

def d10(s):
    return (s or '')[:10]

def num(v, mode='auto'):
    """A language-neutral string for a measured value.
    Prefer a representation that is both a correct rounding AND a prefix of the raw value, so a reply
    quoting either the raw or the rounded number contains it."""
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return str(int(v))
    raw = repr(v)
    cands = []
    if mode in ('auto', 'int'):
        cands.append(str(int(round(v))))
    if mode in ('auto', 'dec1'):
        cands.insert(0 if mode == 'dec1' else 1, f'{v:.1f}')
    if mode == 'dec2':
        cands = [f'{v:.2f}', f'{v:.1f}']
    for c in cands:
        if raw.startswith(c):
            return c
    return cands[0]

def obs(key, code):
    """Observations carrying `code` (top level), sorted by clinical date."""
    out = [e for e in entries(key, 'Observation') if code in codes(e['resource'].get('code'))]
    return sorted(out, key=lambda e: cdate(e['resource']))

def comp(e, code):
    for c in e['resource'].get('component', []):
        if code in codes(c.get('code')):
            return c.get('valueQuantity', {}).get('value')

def val(e):
    return e['resource'].get('valueQuantity', {}).get('value')

def by_date(es):
    return sorted(es, key=lambda e: cdate(e['resource']))

def last_group(es):
    """entries sharing the latest clinical date (same timestamp, or same day)"""
    es = by_date(es)
    if not es:
        return []
    last = d10(cdate(es[-1]['resource']))
    return [e for e in es if d10(cdate(e['resource'])) == last]

def G(refs, values, note, match='all', nf=False):
    return dict(gold_refs=list(refs), match=match, gold_values=[str(v) for v in values],
                expect_not_found=nf, note=note)

def NF(note):
    return G([], [], note, match='all', nf=True)

CASES = []
def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append(dict(id=f'rb21-{LANG}-{cid:03d}', lang=LANG, patient=patient, kind=kind,
                          turns=turns, fn=fn))
        return fn
    return deco

# ----------------------------------------------------------------------------- cases
BP, SYS, DIA = '55284-4', '8480-6', '8462-4'

def latest_bp(key, idx=-1):
    es = obs(key, BP)
    e = es[idx]
    s, d = comp(e, SYS), comp(e, DIA)
    return e, s, d

@case(1, 'Liz_Conn', 'latest',
      ["hey, whats my blood pressure been reading lately? like the last time they actually took it at the clinic"])
def _(k):
    e, s, d = latest_bp(k)
    return G([ref(e)], [num(s, 'int'), num(d, 'int'), d10(cdate(e['resource']))],
             'latest Observation LOINC 55284-4 (BP panel) by effectiveDateTime; systolic 8480-6 / diastolic 8462-4 '
             f'components, raw {s} / {d}, given rounded to whole mmHg')

def meds(key, word):
    out = []
    for e in entries(key, 'MedicationRequest'):
        if word.lower() in text_of(e['resource'].get('medicationCodeableConcept')).lower():
            out.append(e)
    for e in entries(key, 'MedicationStatement'):
        if word.lower() in text_of(e['resource'].get('medicationCodeableConcept')).lower():
            out.append(e)
    return by_date(out)

@case(2, 'Liz_Conn', 'still_on',
      ["Quick one - am I still meant to be on the water tablet (hydrochlorothiazide I think it's called)? "
       "I ran out a while ago and wasn't sure if the doctor had stopped it or not."])
def _(k):
    es = meds(k, 'hydrochlorothiazide')
    assert len(es) == 1 and es[0]['resource']['status'] == 'active'
    e = es[0]
    return G([ref(e)], [d10(cdate(e['resource']))],
             'single MedicationRequest hydrochlorothiazide 25 MG, status active, authoredOn 2006-08-04, '
             'no later stop -> still on it (active, prescribed 2006-08-04)')

def imms(key, pred=lambda t, c: True):
    return by_date([e for e in entries(key, 'Immunization')
                    if pred(text_of(e['resource'].get('vaccineCode')).lower(), codes(e['resource'].get('vaccineCode')))])

FLU = {'140', '141', '135', '150', '155', '158', '161', '88', '111', '149', '153', '171', '185', '186', '197', '205'}

@case(3, 'Lupe_Little', 'count',
      ["how many flu jabs have i had in total according to you guys? work wants to know lol"])
def _(k):
    es = imms(k, lambda t, c: bool(c & FLU) or 'influenza' in t)
    return G([ref(e) for e in es], [len(es)],
             'count of Immunization with influenza CVX codes (all years, status completed): '
             + ', '.join(d10(cdate(e['resource'])) for e in es))

def encounters(key):
    return by_date(list(entries(key, 'Encounter')))

def conds_of_enc(key, enc):
    full = enc['fullUrl']; rid = enc['resource'].get('id')
    out = []
    for e in entries(key, 'Condition'):
        r = e['resource'].get('encounter', {}).get('reference', '')
        if r == full or (rid and r.endswith(rid)):
            out.append(e)
    return out

@case(4, 'Lupe_Little', 'last_visit',
      ["When was I last seen and what was it for? I can't remember if it was the sore throat thing or something after that"])
def _(k):
    enc = encounters(k)[-1]
    cs = conds_of_enc(k, enc)
    return G([ref(enc)] + [ref(c) for c in cs], [d10(cdate(enc['resource']))],
             'latest Encounter by period.start (2020-09-01, encounter for symptom) and the Condition recorded '
             'at it (viral sinusitis); the sore throat (pharyngitis) was earlier, 2019-04-16', match='any')

@case(5, 'Luigi_Wiegand', 'list',
      ["Hi, I'm Luigi's mum. Can you list all the vaccines he has had so far? The nursery is asking for his "
       "immunisation record and I've lost the little red book 🙈"])
def _(k):
    es = imms(k)
    return G([ref(e) for e in es], [d10(cdate(es[0]['resource'])), d10(cdate(es[-1]['resource']))],
             f'all {len(es)} Immunization resources (Hep B x2, Hib x2, rotavirus x2, IPV x2, DTaP x2, PCV13 x2), '
             'first and last dates as values')

@case(6, 'Lupe_Little', 'previous',
      ["my sugar level - not the newest one, the one before it. what was that? trying to see if its going up"])
def _(k):
    es = obs(k, '2339-0')
    e = es[-2]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'second-latest Observation LOINC 2339-0 (glucose) by effectiveDateTime, raw {val(e)} mg/dL')

def procs(key, words):
    return by_date([e for e in entries(key, 'Procedure')
                    if any(w in text_of(e['resource'].get('code')).lower() for w in words)])

@case(7, 'Liz_Conn', 'ever_had',
      ["have i ever had a colonoscopy? my mum had bowel cancer so my sister says i should have had one by now"])
def _(k):
    assert not procs(k, ['colonoscopy', 'sigmoidoscopy', 'colon'])
    assert not [e for e in entries(k, 'DiagnosticReport') if 'colon' in text_of(e['resource'].get('code')).lower()]
    return NF('no Procedure/DiagnosticReport mentioning colonoscopy/colon in the record -> honest no / not in record')

@case(8, 'Liz_Conn', 'ever_had',
      ["This might be a weird question but does my record actually say I had my tubes tied? A new doctor asked "
       "and I wanted to check it's on there and when it was."])
def _(k):
    es = procs(k, ['tubal ligation'])
    assert len(es) == 1
    return G([ref(es[0])], [d10(cdate(es[0]['resource']))],
             'Procedure SNOMED 287664005 bilateral tubal ligation, performed 2012-09-29')

@case(9, 'Lupe_Little', 'meaning',
      ["Is my cholesterol ok? The total one. I don't really know what the numbers mean"])
def _(k):
    e = obs(k, '2093-3')[-1]
    assert not e['resource'].get('referenceRange')
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'latest Observation LOINC 2093-3 total cholesterol, raw {val(e)} mg/dL; no referenceRange recorded '
             '(answer should say the range is not in the record; <200 mg/dL is the usual desirable threshold)')

@case(10, 'Luigi_Wiegand', 'followup',
      ["how much did my little boy weigh at his last check up?", "and the time before that?"])
def _(k):
    es = obs(k, '29463-7')
    e = es[-2]
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'weights by date: ' + ', '.join(f"{d10(cdate(x['resource']))}={val(x)}" for x in es)
             + '; turn 2 asks for the one before the latest -> second-latest 29463-7')


@case(11, 'Josue_Sipes', 'latest',
      ["So I've had type 2 diabetes for donkey's years and the nurse keeps going on about my 'three month "
       "blood test', the one that shows the average sugar. I've been really good with the insulin since last "
       "spring, cut out the fizzy drinks and everything, and my wife wants to know if it's paid off. What did "
       "the most recent one come back as?"])
def _(k):
    es = last_group(obs(k, '4548-4'))
    return G([ref(e) for e in es], [num(val(es[-1]), 'dec1'), d10(cdate(es[-1]['resource']))],
             'latest Observation LOINC 4548-4 (HbA1c) by effectiveDateTime, raw '
             + ', '.join(str(val(e)) for e in es) + ' %')

@case(12, 'Josue_Sipes', 'value_in_year',
      ["what was my kidney function number (the egfr thing) back in 2016?"])
def _(k):
    es = [e for e in obs(k, '33914-3') if cdate(e['resource']).startswith('2016')]
    assert len(es) == 1
    e = es[0]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'only Observation LOINC 33914-3 (eGFR) dated 2016, raw {val(e)} mL/min/1.73m2')

@case(13, 'Josue_Sipes', 'count',
      ["How many of those blowing-into-a-tube breathing tests have I done since the start of 2019? "
       "Feels like I'm doing one every five minutes."])
def _(k):
    es = [e for e in procs(k, ['spirometry']) if cdate(e['resource'])[:10] >= '2019-01-01']
    return G([ref(e) for e in es], [len(es)],
             'count of Procedure SNOMED 127783003 (spirometry) with performed date >= 2019-01-01: '
             + ', '.join(d10(cdate(e['resource'])) for e in es) + ' (match any: the count is decisive)', match='any')

def at_bp_latest(k):
    sy = obs(k, SYS); di = obs(k, DIA)
    last = max(cdate(e['resource']) for e in sy + di)
    same = lambda e: cdate(e['resource'])[:16] == last[:16]
    return [e for e in sy if same(e)], [e for e in di if same(e)]

@case(14, 'AT_ELGA_GmbH_01', 'latest',
      ["Hello, I moved here from Austria and my records were sent over. Can you tell me what my last blood "
       "pressure was on them? It's all in German so I can't make sense of it."])
def _(k):
    sy, di = at_bp_latest(k)
    assert len(sy) == 2 and len(di) == 2
    vals = [num(val(e)) for e in sy + di]
    return G([ref(e) for e in sy + di], vals + ['2016-07-30'],
             'systolic (8480-6) and diastolic (8462-4) are separate Observations without ids; two readings at the '
             'same latest time 2016-07-30T08:30 (one via effectivePeriod.start, one via effectiveDateTime): '
             '110/70 and 117/64 -> both readings are gold')

@case(15, 'AT_ELGA_GmbH_01', 'meaning',
      ["there's a measles antibody test on my file from 2016, does that mean I'm immune or not?? "
       "thinking about getting the jab before travelling"])
def _(k):
    es = obs(k, '7961-6')
    assert len(es) == 1
    e = es[0]; rr = e['resource']['referenceRange'][0]
    return G([ref(e)], [num(val(e), 'dec2'), num(rr['low']['value'], 'dec2'), d10(cdate(e['resource']))],
             f"Observation LOINC 7961-6 measles IgG {val(e)} [IU]/mL, referenceRange low {rr['low']['value']}, "
             'interpretation NEG -> below the protective threshold (not shown immune)')

@case(16, 'AT_ELGA_GmbH_01', 'count',
      ["How many tick vaccine (FSME / TBE) doses have I actually had? I know I need a booster at some point"])
def _(k):
    es = imms(k, lambda t, c: 'J07BA01' in c)
    return G([ref(e) for e in es], [len(es)] + [d10(cdate(es[-1]['resource']))],
             'Immunization with ATC J07BA01 (tick-borne encephalitis, ENCEPUR), doses 1-3: '
             + ', '.join(d10(cdate(e['resource'])) for e in es))

@case(17, 'IPS_IG-bundle-01', 'list',
      ["Can you give me a list of the medicines I'm currently taking according to my summary? Pharmacist wants "
       "to know before she sells me anything for my hot flushes."])
def _(k):
    es = [e for e in entries(k, 'MedicationStatement') if e['resource'].get('status') == 'active']
    assert len(es) == 2
    return G([ref(e) for e in es], [],
             'two active MedicationStatements, medication by medicationReference -> Medication: anastrozole '
             '(since 2015-03) and black cohosh extract herbal supplement (since 2016-01)')

@case(18, 'IPS_IG-bundle-01', 'list',
      ["what am i allergic to? just the list pls"])
def _(k):
    es = [e for e in entries(k, 'AllergyIntolerance')
          if '429625007' not in codes(e['resource'].get('code'))]
    assert len(es) == 1
    return G([ref(e) for e in es], [],
             'AllergyIntolerance penicillin-class substance (373270004), onset 2010; the other entry is '
             '"No known food allergy" (429625007), a negation, NOT an allergy')

@case(19, 'US_MEDITECH_ips_2', 'still_on',
      ["Am I still down as having the Aranesp injections? The anaemia ones. Or did that get stopped when they "
       "sorted my other meds out?"])
def _(k):
    es = [e for e in entries(k, 'MedicationRequest') if 'darbepoetin' in e['resource'].get('medicationReference', {}).get('display', '').lower()]
    assert len(es) == 1 and es[0]['resource']['status'] == 'active'
    ms = [e for e in entries(k, 'MedicationStatement') if e['resource'].get('id') == 'AE7B942F-181F-4CB9-9B8B-70B2C23CC305']
    return G([ref(es[0])] + [ref(m) for m in ms], [d10(cdate(es[0]['resource']))],
             'MedicationRequest darbepoetin alfa (Aranesp) status active, authoredOn 2020-11-16; the matching '
             'active MedicationStatement is known only by NDC 55513003201 -> still on', match='any')

@case(20, 'Lisandra920_Schroeder447', 'meaning',
      ["My daughter was really poorly with covid and the report says her oxygen was 76 something. "
       "Is that bad? Whats normal?"])
def _(k):
    es = obs(k, '59408-5')
    assert len(es) == 1 and not es[0]['resource'].get('referenceRange')
    e = es[0]
    return G([ref(e)], [num(val(e), 'dec2'), d10(cdate(e['resource']))],
             f'Observation LOINC 59408-5 SpO2 {val(e)} % on 2020-02-29, no referenceRange recorded; normal is '
             'about 95-100%, so this is very low')


@case(21, 'Renea_Quigley', 'ever_had',
      ["My GP surgery sent a letter inviting me for bowel screening. I'm sure I've had the camera up the back "
       "passage before, maybe more than once, but I can't remember when. Is there a colonoscopy on my record "
       "and when was it done? Don't want to go through the prep again if I don't need to!"])
def _(k):
    es = procs(k, ['colonoscopy'])
    assert len(es) == 2
    return G([ref(e) for e in es], [d10(cdate(e['resource'])) for e in es],
             'Procedure SNOMED 73761001 colonoscopy x2: ' + ', '.join(d10(cdate(e['resource'])) for e in es)
             + ' -> yes, most recent 2017-12-24')

@case(22, 'Renea_Quigley', 'still_on',
      ["is the naproxen for my hip still on my list or did they take me off it? "
       "my kidneys are apparently not great now so wondering"])
def _(k):
    es = meds(k, 'naproxen')
    assert len(es) == 1 and es[0]['resource']['status'] == 'active'
    return G([ref(es[0])], [d10(cdate(es[0]['resource']))],
             'MedicationRequest naproxen sodium 220 MG, status active, authoredOn 2014-12-12 (for osteoarthritis '
             'of hip, same date); no stop recorded -> still on the list (active since 2014-12-12)')

@case(23, 'Renea_Quigley', 'value_in_year',
      ["What was my A1C in 2019?"])
def _(k):
    es = [e for e in obs(k, '4548-4') if cdate(e['resource']).startswith('2019')]
    assert len(es) == 1
    e = es[0]
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'only Observation LOINC 4548-4 dated 2019, raw {val(e)} %')

@case(24, 'Vito_Feeney', 'last_visit',
      ["I'm going through my late father's papers for the family history. When was his last proper "
       "check-up with the doctor before he died, and what happened at it?"])
def _(k):
    encs = [e for e in encounters(k) if '308646001' not in codes((e['resource'].get('type') or [{}])[0])]
    enc = encs[-1]
    return G([ref(enc)], [d10(cdate(enc['resource']))],
             'patient deceased 1979-11-07; the last Encounter in the file (1979-11-12) is a Death Certification, '
             'not a visit; the last real visit is the check-up Encounter of 1979-09-24')

@case(25, 'Vito_Feeney', 'count',
      ["how many colonoscopies did dad have in total? the gastro doc asked us because of family risk"])
def _(k):
    es = procs(k, ['colonoscopy'])
    return G([ref(e) for e in es], [len(es)] + [d10(cdate(e['resource'])) for e in es],
             'Procedure SNOMED 73761001 count: ' + ', '.join(d10(cdate(e['resource'])) for e in es))

@case(26, 'Emery_Purdy', 'previous',
      ["my creatinine - what was it the time BEFORE the latest one? the doc said the latest was fine but "
       "I want to compare"])
def _(k):
    es = obs(k, '38483-4')
    e = es[-2]
    return G([ref(e)], [num(val(e), 'dec2'), d10(cdate(e['resource']))],
             f'second-latest Observation LOINC 38483-4 (creatinine) by date, raw {val(e)} mg/dL '
             f'(latest is {d10(cdate(es[-1]["resource"]))})')

@case(27, 'Emery_Purdy', 'not_found',
      ["Ive been so tired lately and my brother has an underactive thyroid. When did I last have my thyroid "
       "checked and what did it show?"])
def _(k):
    assert not obs(k, '3016-3') and not obs(k, '3024-7')
    blob = json.dumps(load(k)).lower()
    assert 'thyroid' not in blob and 'thyrox' not in blob
    return NF('no TSH (3016-3) / free T4 (3024-7) Observation and no mention of thyroid anywhere in the record '
              '-> no thyroid test on record')

@case(28, 'Martina_Murazik', 'latest',
      ["My mum (Martina) has heart failure. The cardiology nurse mentioned a 'heart blood test' number, the "
       "BNP or something. What was her most recent result please? She's 67 and gets breathless on the stairs, "
       "we're trying to keep track for her."])
def _(k):
    es = last_group(obs(k, '33762-6'))
    e = es[-1]
    return G([ref(x) for x in es], [num(val(e)), d10(cdate(e['resource']))],
             f'latest Observation LOINC 33762-6 (NT-proBNP), raw {val(e)} pg/mL; only one in the record')

@case(29, 'Martina_Murazik', 'still_on',
      ["still on the lasix or not?"])
def _(k):
    es = meds(k, 'lasix')
    assert len(es) == 1 and es[0]['resource']['status'] == 'active'
    return G([ref(es[0])], [d10(cdate(es[0]['resource']))],
             'MedicationRequest Lasix 40mg (furosemide) status active, authoredOn 2020-06-15 -> still on it')

@case(30, 'Laurie_McCullough', 'followup',
      ["when did i last have a flu shot?", "ok and how many have i had altogether?"])
def _(k):
    es = imms(k, lambda t, c: bool(c & FLU) or 'influenza' in t)
    return G([ref(e) for e in es], [len(es)],
             'turn 1: latest influenza Immunization ' + d10(cdate(es[-1]['resource'])) + '; turn 2 asks the total: '
             f'{len(es)} influenza Immunizations (' + ', '.join(d10(cdate(e['resource'])) for e in es) + ')')


@case(31, 'Laurie_McCullough', 'not_found',
      ["I'm 21 and my dad just had a heart attack at 50 😢 the nurse said I should know my cholesterol. "
       "What was my last cholesterol result?"])
def _(k):
    assert not obs(k, '2093-3') and not obs(k, '2089-1') and not obs(k, '18262-6')
    blob = json.dumps(load(k)).lower()
    assert 'cholesterol' not in blob and 'lipid' not in blob
    return NF('no cholesterol / lipid Observation or DiagnosticReport in the record -> never tested here')

@case(32, 'Annmarie_Doyle', 'value_in_year',
      ["Hi, I look after my mother Annmarie, she's 86. Her new doctor wants her cholesterol history. "
       "Can you tell me what it was in 2017?"])
def _(k):
    es = [e for e in obs(k, '2093-3') if cdate(e['resource']).startswith('2017')]
    assert len(es) == 1
    e = es[0]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'only Observation LOINC 2093-3 (total cholesterol) dated 2017, raw {val(e)} mg/dL')

@case(33, 'Annmarie_Doyle', 'followup',
      ["how much did mum weigh at her last check up? she's been looking very thin to me",
       "what about back in 2015?"])
def _(k):
    es = [e for e in obs(k, '29463-7') if cdate(e['resource']).startswith('2015')]
    assert len(es) == 1
    e = es[0]
    last = obs(k, '29463-7')[-1]
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'turn 1: latest weight {val(last)} kg on {d10(cdate(last["resource"]))}; turn 2 asks 2015: only '
             f'Observation LOINC 29463-7 dated 2015, raw {val(e)} kg')

@case(34, 'Fidel_Bins', 'last_visit',
      ["when was my last appointment and what was it for? was it the asthma review?"])
def _(k):
    enc = encounters(k)[-1]
    return G([ref(enc)], [d10(cdate(enc['resource']))],
             'latest Encounter by period.start: 2021-03-29 general check-up (flu vaccine given that day); the last '
             'asthma follow-up was 2019-07-23')

@case(35, 'Fidel_Bins', 'not_found',
      ["Because of my nut allergy, do I have an EpiPen prescribed on my record? I cant find mine and want to "
       "know if I can just ask the pharmacy for a repeat"])
def _(k):
    blob = json.dumps(load(k)).lower()
    assert 'epinephrine' not in blob and 'epipen' not in blob and 'adrenaline' not in blob
    return NF('nut allergy is recorded, but no epinephrine/adrenaline auto-injector MedicationRequest in the '
              'record -> not on record')

@case(36, 'Daisey_Johns', 'list',
      ["My daughter's starting a new school and they want a full list of her allergies. Can you tell me "
       "everything that's on her record? I know about the eggs and the bee stings but I think there's more "
       "from when she had the allergy testing as a baby."])
def _(k):
    es = [e for e in entries(k, 'AllergyIntolerance')]
    return G([ref(e) for e in es], [],
             f'all {len(es)} AllergyIntolerance (all active): bee venom, mould, house dust mite, animal dander, '
             'grass pollen, tree pollen, eggs, fish')

@case(37, 'Daisey_Johns', 'meaning',
      ["her egg allergy blood test - what was the number and is that high?"])
def _(k):
    es = obs(k, '6106-9')
    assert len(es) == 1 and not es[0]['resource'].get('referenceRange')
    e = es[0]
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'Observation LOINC 6106-9 egg white IgE {val(e)} kU/L on 2016-01-15; no referenceRange recorded '
             '(<0.35 kU/L is the usual negative cut-off, so clearly raised)')

@case(38, 'US_MEDITECH_ips_2', 'not_found',
      ["what was my cholesterol last time?"])
def _(k):
    assert not list(entries(k, 'Observation'))
    blob = json.dumps(load(k)).lower()
    assert 'cholesterol' not in blob and 'lipid' not in blob
    return NF('the bundle has no Observation at all and no mention of cholesterol/lipids -> not in record')

@case(39, 'Lisandra920_Schroeder447', 'ever_had',
      ["has she actually been diagnosed with covid on her record or was it just 'suspected'? her school is asking"])
def _(k):
    cs = [e for e in entries(k, 'Condition') if '840539006' in codes(e['resource'].get('code'))]
    ob = [e for e in obs(k, '94531-1') if 'valueCodeableConcept' in e['resource']]
    assert len(cs) == 1 and len(ob) == 1
    return G([ref(cs[0]), ref(ob[0])], [d10(cdate(cs[0]['resource']))],
             'Condition SNOMED 840539006 COVID-19 onset 2020-02-29 (beside a separate "Suspected COVID-19" '
             'Condition) and SARS-CoV-2 RNA Observation 94531-1 = Detected -> confirmed', match='any')

@case(40, 'US_MEDITECH_ips_2', 'followup',
      ["is there a pacemaker or heart device in my file?", "when was it put in?"])
def _(k):
    es = procs(k, ['pacemaker'])
    assert len(es) == 1
    return G([ref(es[0])], [d10(cdate(es[0]['resource']))],
             'turn 1: Device/DeviceUseStatement (CRT defibrillator, active) and Procedure "Intro of Pacemaker via '
             'vein"; turn 2 asks the date -> Procedure performedDateTime 2011-10-05')

# === END CASES

def build(c):
    g = c['fn'](c['patient'])
    out = {k: c[k] for k in ('id', 'lang', 'patient', 'kind', 'turns')}
    out.update(g)
    return out

def main():
    args = sys.argv[1:]
    built = [build(c) for c in CASES]
    if args and args[0] == '--write':
        n = int(args[1])
        path = os.path.join(HERE, f'{LANG}-{n:02d}.jsonl')
        if os.path.exists(path):
            sys.exit(f'{path} exists; saved files are final')
        chunk = built[(n - 1) * 10: n * 10]
        with open(path, 'w', encoding='utf-8') as f:
            for o in chunk:
                f.write(json.dumps(o, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
    elif args and args[0] == '--check':
        saved = {}
        for p in sorted(glob.glob(os.path.join(HERE, f'{LANG}-*.jsonl'))):
            for line in open(p, encoding='utf-8'):
                o = json.loads(line); saved[o['id']] = o
        bad = 0
        for o in built:
            s = saved.get(o['id'])
            if s is None:
                continue
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note', 'turns', 'patient', 'kind'):
                if s[k] != o[k]:
                    bad += 1; print('MISMATCH', o['id'], k)
        print(f'checked {len(saved)} saved cases, {bad} mismatches')
    else:
        for o in built:
            print(json.dumps(o, ensure_ascii=False))

if __name__ == '__main__':
    main()
