#!/usr/bin/env python3
"""Gold computation for blind set record-20, English cases rb20-en-001..040.

Run:  python3 gold-en.py            -> prints the gold fields of every case as JSON lines
      python3 gold-en.py --check    -> also compares them with en-*.jsonl in this directory
Standard library only. Reads the record files read-only.
"""
import json, glob, os, sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
HERE = os.path.dirname(os.path.abspath(__file__))
LANG = 'en'

_cache = {}


def load(pkey):
    if pkey in _cache:
        return _cache[pkey]
    p = os.path.join(RW, pkey + '.json')
    if not os.path.exists(p):
        c = glob.glob(os.path.join(SYN, pkey + '_*.json'))
        assert len(c) == 1, (pkey, c)
        p = c[0]
    b = json.load(open(p))
    _cache[pkey] = b
    return b


def ref(e):
    r = e['resource']
    return '%s/%s' % (r['resourceType'], r['id']) if 'id' in r else e['fullUrl']


def res(b, rtype):
    return [e for e in b['entry'] if e['resource']['resourceType'] == rtype]


def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}


def text(cc):
    cc = cc or {}
    if cc.get('text'):
        return cc['text']
    for c in cc.get('coding', []):
        if c.get('display'):
            return c['display']
    return ''


def odate(r):
    return (r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start')
            or r.get('issued') or '')


def has_value(r):
    return any(k in r for k in ('valueQuantity', 'valueCodeableConcept', 'valueString', 'component'))


def num(x, nd=1):
    """Number as a reply would state it: integers as is, long floats rounded to nd decimals."""
    if isinstance(x, int):
        return str(x)
    if float(x).is_integer():
        return str(int(x))
    s = repr(x)
    if len(s.split('.')[1]) <= nd:
        return s
    return (('%.' + str(nd) + 'f') % x).rstrip('0').rstrip('.')


def obs(b, code, pred=None):
    out = []
    for e in res(b, 'Observation'):
        r = e['resource']
        if code in codes(r.get('code')) and has_value(r) and (pred is None or pred(r)):
            out.append(e)
    out.sort(key=lambda e: odate(e['resource']))
    return out


def qv(e):
    return e['resource']['valueQuantity']['value']


def comp(e, code):
    for c in e['resource'].get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']


def by_day(entries, datef=lambda e: odate(e['resource'])):
    d = {}
    for e in entries:
        d.setdefault(datef(e)[:10], []).append(e)
    return d


def latest_group(entries, datef=lambda e: odate(e['resource'])):
    g = by_day(entries, datef)
    k = max(g)
    return k, g[k]


def previous_group(entries, datef=lambda e: odate(e['resource'])):
    g = by_day(entries, datef)
    ks = sorted(g)
    return ks[-2], g[ks[-2]]


def imms(b, code=None, pred=None):
    out = []
    for e in res(b, 'Immunization'):
        r = e['resource']
        if (code is None or code in codes(r.get('vaccineCode'))) and (pred is None or pred(r)):
            out.append(e)
    out.sort(key=lambda e: e['resource'].get('occurrenceDateTime', ''))
    return out


def pdate(r):
    return r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start') or ''


def procs(b, code=None, pred=None):
    out = []
    for e in res(b, 'Procedure'):
        r = e['resource']
        if (code is None or code in codes(r.get('code'))) and (pred is None or pred(r)):
            out.append(e)
    out.sort(key=lambda e: pdate(e['resource']))
    return out


def edate(r):
    return (r.get('period') or {}).get('start', '')


def encs(b, pred=None):
    out = [e for e in res(b, 'Encounter') if pred is None or pred(e['resource'])]
    out.sort(key=lambda e: edate(e['resource']))
    return out


def conds(b, pred=None):
    return [e for e in res(b, 'Condition') if pred is None or pred(e['resource'])]


def status(r, key='clinicalStatus'):
    return list(codes(r.get(key)))[0] if r.get(key) else None


def medname(b, r):
    if 'medicationCodeableConcept' in r:
        return text(r['medicationCodeableConcept'])
    mr = r.get('medicationReference', {})
    target = mr.get('reference', '')
    for e in b['entry']:
        if e.get('fullUrl') == target or ref(e) == target or (
                target and e.get('fullUrl', '').endswith('/' + target)):
            return text(e['resource'].get('code'))
    return mr.get('display', '')


def meds(b, pred=None):
    out = []
    for t in ('MedicationRequest', 'MedicationStatement'):
        for e in res(b, t):
            if pred is None or pred(e['resource'], medname(b, e['resource'])):
                out.append(e)
    return out


def refs(entries):
    return [ref(e) for e in entries]


def G(refs_, match='all', values=(), nf=False, note=''):
    return {'gold_refs': list(refs_), 'match': match, 'gold_values': list(values),
            'expect_not_found': nf, 'note': note}


def d10(s):
    return s[:10]


# ---------------------------------------------------------------- cases
CASES = {}


def case(cid, patient):
    def deco(f):
        CASES[cid] = (patient, f)
        return f
    return deco


IPS = 'IPS_IG-bundle-01'
AT = 'AT_ELGA_GmbH_01'
MT = 'US_MEDITECH_ips_2'
LS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'


@case('rb20-en-001', IPS)
def _(b):
    k, g = latest_group(obs(b, '17856-6') + obs(b, '4548-4'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest HbA1c (LOINC 17856-6/4548-4) by effectiveDateTime: %s on %s' % (qv(g[0]), k))


@case('rb20-en-002', AT)
def _(b):
    e = obs(b, '26464-8')[-1]
    r = e['resource']
    rr = r['referenceRange'][0]
    return G([ref(e)], 'all', [num(qv(e)), num(rr['high']['value'])],
             note='Leukozyten (LOINC 26464-8) %s 10*9/L on %s, reference range %s-%s: above range' % (
                 qv(e), d10(odate(r)), rr['low']['value'], rr['high']['value']))


@case('rb20-en-003', MT)
def _(b):
    m = meds(b, lambda r, n: 'darbepoetin' in n.lower() or '55513003201' in codes(r.get('medicationCodeableConcept')))
    act = [e for e in m if e['resource']['status'] == 'active']
    return G(refs(act), 'any', ['2020-11-16'],
             note='darbepoetin: MedicationRequest status active authoredOn 2020-11-16 and MedicationStatement '
                  '(NDC 55513003201 = Aranesp/darbepoetin) status active, effective start 2020-11-16, no end -> still on')


@case('rb20-en-004', LS)
def _(b):
    k, g = latest_group(obs(b, '59408-5'))
    return G(refs(g), 'all', [num(qv(e), 2) for e in g] + [k],
             note='only pulse-oximetry SpO2 (LOINC 59408-5): %s %% on %s' % (qv(g[0]), k))


@case('rb20-en-005', 'Annmarie_Doyle')
def _(b):
    f = imms(b, '140')
    return G(refs(f), 'any', [str(len(f))],
             note='count of Immunization CVX 140 (seasonal flu), all completed: %d (%s to %s)' % (
                 len(f), d10(f[0]['resource']['occurrenceDateTime']), d10(f[-1]['resource']['occurrenceDateTime'])))


@case('rb20-en-006', 'Daisey_Johns')
def _(b):
    a = res(b, 'AllergyIntolerance')
    return G(refs(a), 'all', [],
             note='all %d AllergyIntolerance entries: %s' % (len(a), '; '.join(text(e['resource']['code']) for e in a)))


@case('rb20-en-007', 'Emery_Purdy')
def _(b):
    p = procs(b, '73761001')
    return G(refs(p), 'all', [d10(pdate(e['resource'])) for e in p],
             note='Procedure SNOMED 73761001 colonoscopy: %d, on %s -> yes' % (len(p), ', '.join(d10(pdate(e['resource'])) for e in p)))


@case('rb20-en-008', 'Fidel_Bins')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter by period.start: %s, %s' % (d10(edate(r)), text(r['type'][0])))


@case('rb20-en-009', 'Josue_Sipes')
def _(b):
    k, g = latest_group(obs(b, '38483-4'))
    return G(refs(g), 'all', [num(qv(e), 2) for e in g] + [k],
             note='latest creatinine (LOINC 38483-4): two results on %s: %s mg/dL -> both gold' % (
                 k, ' and '.join(str(qv(e)) for e in g)))


@case('rb20-en-010', 'Laurie_McCullough')
def _(b):
    f = imms(b, '140')
    e = f[-2]
    return G([ref(e)], 'all', [d10(e['resource']['occurrenceDateTime'])],
             note='turn1: latest flu Immunization (CVX 140) %s; turn2 "before that" = second latest %s' % (
                 d10(f[-1]['resource']['occurrenceDateTime']), d10(e['resource']['occurrenceDateTime'])))


@case('rb20-en-011', 'Martina_Murazik')
def _(b):
    m = meds(b, lambda r, n: 'lasix' in n.lower() or 'furosemide' in n.lower())
    r = m[0]['resource']
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest Lasix 40mg (furosemide) status %s, authoredOn %s -> still on' % (r['status'], d10(r['authoredOn'])))


@case('rb20-en-012', 'Renea_Quigley')
def _(b):
    g = [e for e in obs(b, '4548-4') if odate(e['resource']).startswith('2020')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='HbA1c (LOINC 4548-4) in 2020: %s' % ['%s on %s' % (qv(e), d10(odate(e['resource']))) for e in g])


@case('rb20-en-013', 'Vito_Feeney')
def _(b):
    k, g = previous_group(obs(b, '2857-1'))
    kl, gl = latest_group(obs(b, '2857-1'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='PSA (LOINC 2857-1): latest %s on %s; the one before = %s on %s' % (
                 qv(gl[0]), kl, qv(g[0]), k))


@case('rb20-en-014', 'Liz_Conn')
def _(b):
    hpv = [e for e in imms(b) if 'hpv' in text(e['resource']['vaccineCode']).lower()]
    assert not hpv
    return G([], 'all', [], True,
             note='no HPV Immunization (only flu CVX 140 x3 and Td CVX 113) -> honest no / not in record')


@case('rb20-en-015', 'Luigi_Wiegand')
def _(b):
    r = imms(b, '119')
    return G(refs(r), 'all', [str(len(r))],
             note='Immunization CVX 119 rotavirus monovalent: %d doses (%s)' % (
                 len(r), ', '.join(d10(e['resource']['occurrenceDateTime']) for e in r)))


@case('rb20-en-016', AT)
def _(b):
    vd = [e for e in res(b, 'Observation') if 'vitamin d' in text(e['resource'].get('code')).lower()
          or codes(e['resource'].get('code')) & {'1989-3', '62292-8', '14635-7', '35365-6'}]
    assert not vd
    return G([], 'all', [], True, note='no vitamin D Observation in the record (vitamins panel has folate, B12, "B15" only)')


@case('rb20-en-017', MT)
def _(b):
    a = res(b, 'AllergyIntolerance')
    return G(refs(a), 'all', [],
             note='AllergyIntolerance entries (both active, confirmed): %s' % '; '.join(text(e['resource']['code']) for e in a))


@case('rb20-en-018', IPS)
def _(b):
    m = meds(b, lambda r, n: 'anastrozole' in n.lower())
    r = m[0]['resource']
    return G(refs(m), 'all', ['2015'],
             note='MedicationStatement anastrozole status %s, effectivePeriod.start %s, no end -> still on' % (
                 r['status'], r['effectivePeriod']['start']))


@case('rb20-en-019', 'Lupe_Little')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s, reason %s' % (d10(edate(r)), text(r['type'][0]), text(r['reasonCode'][0])))


@case('rb20-en-020', 'Josue_Sipes')
def _(b):
    y19 = encs(b, lambda r: edate(r).startswith('2019'))
    y20 = encs(b, lambda r: edate(r).startswith('2020'))
    return G(refs(y20), 'any', [str(len(y20))],
             note='turn1: Encounters with period.start in 2019 = %d; turn2: in 2020 = %d' % (len(y19), len(y20)))


def attachment_texts(b):
    import gzip, base64, re
    out = []
    for e in res(b, 'DocumentReference'):
        for c in e['resource'].get('content', []):
            data = c.get('attachment', {}).get('data')
            if data:
                raw = base64.b64decode(data)
                try:
                    raw = gzip.decompress(raw)
                except OSError:
                    pass
                t = re.sub(r'<[^>]+>', ' ', raw.decode('utf-8', 'replace'))
                out.append(re.sub(r'\s+', ' ', t))
    return out


@case('rb20-en-021', LS)
def _(b):
    hits = [e for e in res(b, 'Procedure') + res(b, 'Observation') + res(b, 'DiagnosticReport')
            if any(k in json.dumps(e['resource']).lower() for k in ('x-ray', 'xray', 'radiograph', '36643-5', '399208008'))]
    att = [t for t in attachment_texts(b) if any(k in t.lower() for k in ('x-ray', 'xray', 'radiograph'))]
    assert not hits and not att
    return G([], 'all', [], True,
             note='no chest X-ray / imaging anywhere (only Procedure "Face mask" 2020-02-29; attached C-CDA text checked too)')


@case('rb20-en-022', 'Annmarie_Doyle')
def _(b):
    k, g = latest_group(obs(b, '2093-3'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest total cholesterol (LOINC 2093-3) %s mg/dL on %s; no referenceRange recorded' % (qv(g[0]), k))


@case('rb20-en-023', 'Daisey_Johns')
def _(b):
    v = imms(b, '21')
    return G(refs(v), 'all', [d10(e['resource']['occurrenceDateTime']) for e in v],
             note='Immunization CVX 21 varicella: %d doses on %s -> yes' % (
                 len(v), ', '.join(d10(e['resource']['occurrenceDateTime']) for e in v)))


@case('rb20-en-024', 'Emery_Purdy')
def _(b):
    k, g = latest_group(obs(b, '55284-4'))
    vals = []
    for e in g:
        vals += [num(comp(e, '8480-6'), 0), num(comp(e, '8462-4'), 0)]
    return G(refs(g), 'all', vals + [k],
             note='latest BP panel (LOINC 55284-4) on %s: systolic %s / diastolic %s (components 8480-6/8462-4)' % (
                 k, comp(g[0], '8480-6'), comp(g[0], '8462-4')))


@case('rb20-en-025', 'Fidel_Bins')
def _(b):
    assert not obs(b, '4548-4') and not obs(b, '17856-6')
    return G([], 'all', [], True, note='no HbA1c Observation (LOINC 4548-4/17856-6) in the record; no diabetes on the problem list')


@case('rb20-en-026', 'Laurie_McCullough')
def _(b):
    m = meds(b, lambda r, n: r['status'] == 'active')
    return G(refs(m), 'all', [],
             note='active MedicationRequests: %s (others: penicillin V and Jolivette are status stopped)' % '; '.join(
                 '%s since %s' % (medname(b, e['resource']), d10(e['resource']['authoredOn'])) for e in m))


@case('rb20-en-027', 'Liz_Conn')
def _(b):
    p = procs(b, '287664005')
    return G(refs(p), 'all', [d10(pdate(e['resource'])) for e in p],
             note='Procedure SNOMED 287664005 bilateral tubal ligation on %s -> yes' % d10(pdate(p[0]['resource'])))


@case('rb20-en-028', 'Luigi_Wiegand')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    day = d10(edate(r))
    v = [x for x in imms(b) if x['resource']['occurrenceDateTime'][:10] == day]
    return G([ref(e)], 'all', [day],
             note='latest Encounter %s, %s; vaccines given that day: %s' % (
                 day, text(r['type'][0]), ', '.join(text(x['resource']['vaccineCode']) for x in v)))


@case('rb20-en-029', 'Lupe_Little')
def _(b):
    a = obs(b, '4548-4')
    kl, gl = latest_group(a)
    g = [e for e in a if odate(e['resource']).startswith('2016')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='turn1: latest HbA1c %s on %s; turn2: HbA1c in 2016 = %s on %s' % (
                 qv(gl[0]), kl, qv(g[0]), d10(odate(g[0]['resource']))))


@case('rb20-en-030', 'Martina_Murazik')
def _(b):
    k, g = latest_group(obs(b, '10230-1'))
    return G(refs(g), 'all', [num(qv(e)) for e in g],
             note='LV ejection fraction (LOINC 10230-1): two results on %s: %s %%; no referenceRange recorded '
                  '(both below the usual normal of about 50-55%%+)' % (k, ' and '.join(str(qv(e)) for e in g)))


@case('rb20-en-031', 'Renea_Quigley')
def _(b):
    p = procs(b, '73761001')
    return G(refs(p), 'all', [str(len(p))] + [d10(pdate(e['resource'])) for e in p],
             note='Procedure SNOMED 73761001 colonoscopy: %d (%s)' % (len(p), ', '.join(d10(pdate(e['resource'])) for e in p)))


@case('rb20-en-032', 'Vito_Feeney')
def _(b):
    p = procs(b, '65575008')
    return G(refs(p), 'all', [str(len(p))],
             note='Procedure SNOMED 65575008 biopsy of prostate: %d (%s); last result abnormal (Obs 46288-7)' % (
                 len(p), ', '.join(d10(pdate(e['resource'])) for e in p)))


@case('rb20-en-033', 'Annmarie_Doyle')
def _(b):
    hits = [e for e in b['entry'] if any(k in json.dumps(e['resource']).lower()
                                         for k in ('bone density', 'densitometry', 'dxa', 'dexa', 'osteopor', '38269-7', '80948-3'))]
    assert not hits
    return G([], 'all', [], True, note='no bone density scan (DXA) procedure or observation, no osteoporosis entry')


@case('rb20-en-034', 'Emery_Purdy')
def _(b):
    g = [e for e in obs(b, '2093-3') if odate(e['resource']).startswith('2019')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='total cholesterol (LOINC 2093-3) in 2019: %s' % ['%s on %s' % (qv(e), d10(odate(e['resource']))) for e in g])


@case('rb20-en-035', 'Daisey_Johns')
def _(b):
    w = obs(b, '29463-7')
    kl, gl = latest_group(w)
    k, g = previous_group(w)
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='turn1: latest body weight (LOINC 29463-7) %s kg on %s; turn2 "the one before" = %s kg on %s' % (
                 qv(gl[0]), kl, qv(g[0]), k))


@case('rb20-en-036', 'Liz_Conn')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s (flu + Td vaccines given that day)' % (d10(edate(r)), text(r['type'][0])))


@case('rb20-en-037', 'Lupe_Little')
def _(b):
    k, g = latest_group(obs(b, '718-7'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest (only) hemoglobin (LOINC 718-7) %s g/dL on %s; no referenceRange recorded '
                  '(below the usual adult male range of about 13-17 g/dL; anemia is on the problem list)' % (qv(g[0]), k))


@case('rb20-en-038', 'Martina_Murazik')
def _(b):
    f = obs(b, '19926-5')
    kl, gl = latest_group(f)
    k, g = previous_group(f)
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='FEV1/FVC (LOINC 19926-5): latest %s on %s; previous %s on %s' % (qv(gl[0]), kl, qv(g[0]), k))


@case('rb20-en-039', 'Renea_Quigley')
def _(b):
    m = meds(b, lambda r, n: r['status'] == 'active')
    return G(refs(m), 'all', [],
             note='active MedicationRequests (%d): %s' % (len(m), '; '.join(medname(b, e['resource']) for e in m)))


@case('rb20-en-040', 'Laurie_McCullough')
def _(b):
    m = meds(b, lambda r, n: 'jolivette' in n.lower())
    r = m[0]['resource']
    assert r['status'] == 'stopped'
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest Jolivette 28 Day Pack status stopped, authoredOn %s (no end date recorded) -> stopped' % d10(r['authoredOn']))


# ---------------------------------------------------------------- main
def compute_all():
    out = {}
    for cid in sorted(CASES):
        patient, f = CASES[cid]
        out[cid] = f(load(patient))
    return out


if __name__ == '__main__':
    gold = compute_all()
    for cid, g in gold.items():
        print(json.dumps(dict(id=cid, patient=CASES[cid][0], **g), ensure_ascii=False))
    if '--check' in sys.argv:
        bad = 0
        seen = 0
        for fn in sorted(glob.glob(os.path.join(HERE, LANG + '-*.jsonl'))):
            for line in open(fn, encoding='utf-8'):
                c = json.loads(line)
                seen += 1
                g = gold[c['id']]
                for k in g:
                    if c[k] != g[k]:
                        bad += 1
                        print('MISMATCH', c['id'], k, c[k], g[k], file=sys.stderr)
                if c['patient'] != CASES[c['id']][0]:
                    bad += 1
                    print('MISMATCH patient', c['id'], file=sys.stderr)
        print('checked %d cases, %d mismatches' % (seen, bad), file=sys.stderr)
