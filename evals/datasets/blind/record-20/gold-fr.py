#!/usr/bin/env python3
"""Gold computation for blind set record-20, French cases rb20-fr-001..040.

Run:  python3 gold-fr.py            -> prints the gold fields of every case as JSON lines
      python3 gold-fr.py --check    -> also compares them with fr-*.jsonl in this directory
Standard library only. Reads the record files read-only.
"""
import json, glob, os, sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
HERE = os.path.dirname(os.path.abspath(__file__))
LANG = 'fr'

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


@case('rb20-fr-001', AT)
def _(b):
    s = obs(b, '8480-6')
    d = obs(b, '8462-4')
    k, gs = latest_group(s)
    k2, gd = latest_group(d)
    assert k == k2
    return G(refs(gs) + refs(gd), 'all', [num(qv(e)) for e in gs + gd] + [k],
             note='systolic (8480-6) and diastolic (8462-4) are separate Observations; two readings at the same '
                  'timestamp %s: %s / %s mmHg -> all four gold' % (
                      k, ' and '.join(str(qv(e)) for e in gs), ' and '.join(str(qv(e)) for e in gd)))


@case('rb20-fr-002', IPS)
def _(b):
    a = [e for e in res(b, 'AllergyIntolerance') if '429625007' not in codes(e['resource'].get('code'))]
    return G(refs(a), 'all', [],
             note='AllergyIntolerance: penicillin-class substance (since 2010, active); the "No known food allergy" '
                  'entry (SNOMED 429625007) is a negation, not an allergy')


@case('rb20-fr-003', MT)
def _(b):
    p = [e for e in procs(b) if 'pacemaker' in text(e['resource']['code']).lower()]
    return G(refs(p), 'all', [d10(pdate(e['resource'])) for e in p],
             note='Procedure "Intro of Pacemaker via vein" (SNOMED 175135009) completed %s -> yes' % d10(pdate(p[0]['resource'])))


@case('rb20-fr-004', LS)
def _(b):
    g = [e for e in obs(b, '92142-9') + obs(b, '92141-1') if 'valueCodeableConcept' in e['resource']]
    cov = [e for e in obs(b, '94531-1') if 'valueCodeableConcept' in e['resource']]
    return G(refs(g), 'all', [d10(odate(g[0]['resource']))],
             note='turn1: SARS-CoV-2 RNA (94531-1) %s; turn2: influenza A (92142-9) and B (92141-1) RNA both %s on %s. '
                  'The duplicate Observations valued "{entry.value}" (template placeholders) are not results' % (
                      text(cov[0]['resource']['valueCodeableConcept']), text(g[0]['resource']['valueCodeableConcept']),
                      d10(odate(g[0]['resource']))))


@case('rb20-fr-005', 'Josue_Sipes')
def _(b):
    f = imms(b, '140', lambda r: r['occurrenceDateTime'][:4] >= '2018')
    return G(refs(f), 'any', [str(len(f))],
             note='flu Immunizations (CVX 140) with occurrence in 2018 or later: %d (%s)' % (
                 len(f), ', '.join(d10(e['resource']['occurrenceDateTime']) for e in f)))


@case('rb20-fr-006', 'Renea_Quigley')
def _(b):
    k, g = latest_group(obs(b, '33914-3'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest GFR (LOINC 33914-3, two differently labelled Observations) on %s: %s -> both gold' % (
                 k, ' and '.join('%s %s' % (qv(e), e['resource']['valueQuantity'].get('unit')) for e in g)))


@case('rb20-fr-007', 'Martina_Murazik')
def _(b):
    c = conds(b, lambda r: status(r) == 'active' and '19169002' not in codes(r.get('code')))
    return G(refs(c), 'all', [],
             note='active Conditions: %s (resolved sinusitis/pharyngitis excluded; the 1984 first-trimester miscarriage '
                  'is also flagged active in the record - citing it is acceptable but not required)' % '; '.join(
                      text(e['resource']['code']) for e in c))


@case('rb20-fr-008', 'Vito_Feeney')
def _(b):
    g = [e for e in obs(b, '2857-1') if odate(e['resource']).startswith('1975')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='PSA (LOINC 2857-1) in 1975: %s' % ['%s on %s' % (qv(e), d10(odate(e['resource']))) for e in g])


@case('rb20-fr-009', 'Daisey_Johns')
def _(b):
    m = meds(b, lambda r, n: 'epinephrine' in n.lower())
    r = m[0]['resource']
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest epinephrine auto-injector status %s, authoredOn %s -> still on' % (r['status'], d10(r['authoredOn'])))


@case('rb20-fr-010', 'Fidel_Bins')
def _(b):
    k, g = latest_group(obs(b, '2093-3'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest total cholesterol (LOINC 2093-3) %s mg/dL on %s; no referenceRange recorded (below 200 mg/dL)' % (qv(g[0]), k))


@case('rb20-fr-011', 'Annmarie_Doyle')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s (flu vaccine and lipid panel that day)' % (d10(edate(r)), text(r['type'][0])))


@case('rb20-fr-012', 'Emery_Purdy')
def _(b):
    assert not obs(b, '2857-1') and 'prostate' not in json.dumps(b).lower()
    return G([], 'all', [], True, note='no PSA Observation (LOINC 2857-1) and nothing about the prostate in the record')


@case('rb20-fr-013', 'Laurie_McCullough')
def _(b):
    e = encs(b, lambda r: edate(r).startswith('2019'))
    return G(refs(e), 'any', [str(len(e))],
             note='Encounters with period.start in 2019: %d (%s)' % (
                 len(e), ', '.join('%s %s' % (d10(edate(x['resource'])), text(x['resource']['type'][0])) for x in e)))


@case('rb20-fr-014', 'Liz_Conn')
def _(b):
    s = json.dumps(b).lower()
    assert not any(k in s for k in ('pap', 'cytolog', 'cervical', 'smear', 'papanicolaou', 'hpv'))
    return G([], 'all', [], True, note='no cervical smear / Pap / HPV test anywhere in the record')


@case('rb20-fr-015', 'Luigi_Wiegand')
def _(b):
    v = imms(b)
    return G(refs(v), 'all', [],
             note='all %d Immunizations: %s' % (len(v), '; '.join('%s %s' % (
                 d10(e['resource']['occurrenceDateTime']), text(e['resource']['vaccineCode'])) for e in v)))


@case('rb20-fr-016', 'Lupe_Little')
def _(b):
    v = imms(b, '113')
    return G(refs(v), 'all', [d10(e['resource']['occurrenceDateTime']) for e in v],
             note='Immunization CVX 113 Td (adult) on %s -> yes' % ', '.join(d10(e['resource']['occurrenceDateTime']) for e in v))


@case('rb20-fr-017', 'Josue_Sipes')
def _(b):
    m = meds(b, lambda r, n: 'clopidogrel' in n.lower())
    r = m[0]['resource']
    assert r['status'] == 'stopped'
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest clopidogrel 75 mg status stopped, authoredOn %s (no end date recorded) -> stopped' % d10(r['authoredOn']))


@case('rb20-fr-018', AT)
def _(b):
    e = obs(b, '4548-4')[-1]
    r = e['resource']
    rr = r['referenceRange'][0]
    return G([ref(e)], 'all', [num(qv(e)), num(rr['low']['value']), num(rr['high']['value'])],
             note='HbA1c (LOINC 4548-4) %s %% on %s, reference range %s-%s: below range (and implausibly low)' % (
                 qv(e), d10(odate(r)), rr['low']['value'], rr['high']['value']))


@case('rb20-fr-019', MT)
def _(b):
    flu = [e for e in imms(b) if 'influenza' in text(e['resource']['vaccineCode']).lower()]
    assert flu and all(e['resource']['status'] == 'not-done' for e in flu)
    return G([], 'all', [], True,
             note='no flu vaccine given: the only influenza Immunization (%s, %s) has status not-done; '
                  'only DTaP 2012-01-04 was completed' % (ref(flu[0]), d10(flu[0]['resource']['occurrenceDateTime'])))


@case('rb20-fr-020', IPS)
def _(b):
    k, g = latest_group(obs(b, '882-1'))
    return G(refs(g), 'all', [k],
             note='ABO/Rh Observation (LOINC 882-1): %s on %s' % (text(g[0]['resource']['valueCodeableConcept']), k))


@case('rb20-fr-021', LS)
def _(b):
    k, g = latest_group(obs(b, '8331-1') + obs(b, '8310-5'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='only body temperature Observation (LOINC 8331-1 oral): %s Cel on %s' % (qv(g[0]), k))


@case('rb20-fr-022', 'Renea_Quigley')
def _(b):
    bp = obs(b, '55284-4')
    kl, gl = latest_group(bp)
    k, g = previous_group(bp)
    vals = []
    for e in g:
        vals += [num(comp(e, '8480-6'), 0), num(comp(e, '8462-4'), 0)]
    return G(refs(g), 'all', vals + [k],
             note='turn1: latest BP panel %s: %s/%s; turn2 "celle d\'avant" = %s: %s/%s (components 8480-6/8462-4)' % (
                 kl, comp(gl[0], '8480-6'), comp(gl[0], '8462-4'), k, comp(g[0], '8480-6'), comp(g[0], '8462-4')))


@case('rb20-fr-023', 'Josue_Sipes')
def _(b):
    k, g = latest_group(obs(b, '6298-4'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest potassium (LOINC 6298-4): two results on %s: %s mmol/L; no referenceRange recorded '
                  '(usual range about 3.5-5.0/5.1; second value at the upper limit)' % (k, ' and '.join(str(qv(e)) for e in g)))


@case('rb20-fr-024', 'Emery_Purdy')
def _(b):
    c = conds(b, lambda r: status(r) == 'active')
    return G(refs(c), 'all', [],
             note='active Conditions (%d): %s' % (len(c), '; '.join(text(e['resource']['code']) for e in c)))


@case('rb20-fr-025', 'Fidel_Bins')
def _(b):
    m = meds(b, lambda r, n: 'albuterol' in n.lower())
    r = m[0]['resource']
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest albuterol (salbutamol) inhaler status %s, authoredOn %s -> still on' % (r['status'], d10(r['authoredOn'])))


@case('rb20-fr-026', 'Martina_Murazik')
def _(b):
    p = procs(b, '127783003')
    return G(refs(p), 'any', [str(len(p))],
             note='Procedure SNOMED 127783003 spirometry: %d (%s)' % (len(p), ', '.join(d10(pdate(e['resource'])) for e in p)))


@case('rb20-fr-027', 'Daisey_Johns')
def _(b):
    h = obs(b, '718-7')
    kl, gl = latest_group(h)
    k, g = previous_group(h)
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='hemoglobin (LOINC 718-7): latest %s on %s; the one before %s on %s' % (qv(gl[0]), kl, qv(g[0]), k))


@case('rb20-fr-028', 'Annmarie_Doyle')
def _(b):
    pn = conds(b, lambda r: 'pneumonia' in text(r.get('code')).lower())
    assert not pn and 'pneumonia' not in json.dumps(b).lower()
    return G([], 'all', [], True,
             note='no pneumonia anywhere; closest entry is Condition acute bronchitis 2012-05-07 (resolved 2012-05-21)')


@case('rb20-fr-029', 'Vito_Feeney')
def _(b):
    k, g = latest_group(obs(b, '38483-4'))
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='latest creatinine (LOINC 38483-4) %s mg/dL on %s; no referenceRange recorded (above the usual '
                  'adult male upper limit of about 1.2-1.3 mg/dL; diabetic kidney disease on problem list)' % (qv(g[0]), k))


@case('rb20-fr-030', 'Liz_Conn')
def _(b):
    g = [e for e in obs(b, '29463-7') if odate(e['resource']).startswith('2015')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='body weight (LOINC 29463-7) in 2015: %s' % ['%s kg on %s' % (qv(e), d10(odate(e['resource']))) for e in g])


@case('rb20-fr-031', 'Luigi_Wiegand')
def _(b):
    w = obs(b, '29463-7')
    kl, gl = latest_group(w)
    k, g = previous_group(w)
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [k],
             note='body weight (LOINC 29463-7): latest %s kg on %s; the one before %s kg on %s' % (qv(gl[0]), kl, qv(g[0]), k))


@case('rb20-fr-032', 'Lupe_Little')
def _(b):
    s = json.dumps(b).lower()
    assert not any(k in s for k in ('ecg', 'ekg', 'electrocardiogra', '11524-6', '268400002', '29303009'))
    return G([], 'all', [], True, note='no ECG / electrocardiogram procedure or observation in the record')


@case('rb20-fr-033', 'Martina_Murazik')
def _(b):
    m = meds(b, lambda r, n: 'metoprolol' in n.lower())
    r = m[0]['resource']
    return G(refs(m), 'all', [d10(r['authoredOn'])],
             note='MedicationRequest metoprolol succinate ER 100 mg status %s, authoredOn %s -> still on' % (r['status'], d10(r['authoredOn'])))


@case('rb20-fr-034', 'Laurie_McCullough')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s, reason %s' % (d10(edate(r)), text(r['type'][0]), text(r['reasonCode'][0])))


@case('rb20-fr-035', 'Emery_Purdy')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s (flu vaccine, metabolic and lipid panels that day)' % (d10(edate(r)), text(r['type'][0])))


@case('rb20-fr-036', 'Daisey_Johns')
def _(b):
    e = encs(b)[-1]
    r = e['resource']
    prev = encs(b)[-2]['resource']
    return G([ref(e)], 'all', [d10(edate(r))],
             note='latest Encounter %s, %s (flu vaccine that day); the visit before was %s %s for %s' % (
                 d10(edate(r)), text(r['type'][0]), d10(edate(prev)), text(prev['type'][0]), text(prev['reasonCode'][0])))


@case('rb20-fr-037', 'Fidel_Bins')
def _(b):
    e = encs(b, lambda r: any('394701000' in codes(t) for t in r.get('type', [])))
    return G(refs(e), 'any', [str(len(e))],
             note='Encounters of type "Asthma follow-up" (SNOMED 394701000): %d (%s); the 2019-01-23 emergency '
                  'admission for asthma is a different type and not counted' % (
                      len(e), ', '.join(d10(edate(x['resource'])) for x in e)))


@case('rb20-fr-038', 'Vito_Feeney')
def _(b):
    p = procs(b, '73761001')
    last = p[-1]
    return G([ref(last)], 'all', [d10(pdate(last['resource']))],
             note='turn1: colonoscopies (SNOMED 73761001) = %d (%s); turn2: the last one = %s' % (
                 len(p), ', '.join(d10(pdate(e['resource'])) for e in p), d10(pdate(last['resource']))))


@case('rb20-fr-039', 'Lupe_Little')
def _(b):
    w = obs(b, '29463-7')
    kl, gl = latest_group(w)
    g = [e for e in w if odate(e['resource']).startswith('2013')]
    return G(refs(g), 'all', [num(qv(e)) for e in g] + [d10(odate(e['resource'])) for e in g],
             note='turn1: latest weight %s kg on %s; turn2: weight in 2013 = %s kg on %s' % (
                 qv(gl[0]), kl, qv(g[0]), d10(odate(g[0]['resource']))))


@case('rb20-fr-040', IPS)
def _(b):
    s = json.dumps(b).lower()
    assert not any(k in s for k in ('mammo', '24606-6', 'imaging', 'ultrasound'))
    return G([], 'all', [], True,
             note='no mammogram / breast imaging in the record (breast cancer 2015 in remission and anastrozole are recorded, but no imaging result)')


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
