"""Shared helpers for gold computation (stdlib only)."""
import json, glob, os
from collections import defaultdict

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'

def path_for(key):
    p = os.path.join(RW, key + '.json')
    if os.path.exists(p):
        return p
    m = glob.glob(os.path.join(SYN, key + '_*.json'))
    if len(m) == 1:
        return m[0]
    m = [x for x in glob.glob(os.path.join(RW, key + '*.json'))]
    assert len(m) == 1, key
    return m[0]

_cache = {}
def load(key):
    if key not in _cache:
        b = json.load(open(path_for(key)))
        ents = []
        for e in b.get('entry', []):
            r = e.get('resource')
            if r is None:
                continue
            ents.append((e.get('fullUrl'), r))
        _cache[key] = ents
    return _cache[key]

def ref(full, r):
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return full

def res(key, rtype):
    return [(ref(f, r), r) for f, r in load(key) if r.get('resourceType') == rtype]

def codes(r, field='code'):
    c = r.get(field) or {}
    return [x.get('code') for x in c.get('coding', [])]

def text(r, field='code'):
    c = r.get(field) or {}
    t = c.get('text')
    if t:
        return t
    for x in c.get('coding', []):
        if x.get('display'):
            return x['display']
    return ''

def obs_date(r):
    return r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start') or r.get('issued') or ''

def obs_by_code(key, code):
    out = [(rf, r) for rf, r in res(key, 'Observation') if code in codes(r)]
    out.sort(key=lambda x: obs_date(x[1]))
    return out

def components(r, code):
    for c in r.get('component', []):
        if code in codes(c):
            return c.get('valueQuantity', {}).get('value')
    return None

def qty(r):
    v = r.get('valueQuantity')
    if v:
        return v.get('value'), v.get('unit')
    return None, None

def fmt(v):
    if isinstance(v, float):
        s = ('%.2f' % v).rstrip('0').rstrip('.')
        return s
    return str(v)

def latest(key, code):
    lst = obs_by_code(key, code)
    d = obs_date(lst[-1][1])[:10]
    same = [x for x in lst if obs_date(x[1])[:10] == d]
    return same

def in_year(key, code, year):
    return [x for x in obs_by_code(key, code) if obs_date(x[1]).startswith(str(year))]

def distinct_dates(lst):
    return sorted(set(obs_date(r)[:10] for _, r in lst))

def enc_date(r):
    return (r.get('period') or {}).get('start', '')

def imm_date(r):
    return r.get('occurrenceDateTime', '')

def proc_date(r):
    return r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start', '')

# ---------- formatting ----------
def num(v, nd=None):
    """Round a recorded number the way a person would report it."""
    if isinstance(v, int):
        return str(v)
    if nd is None:
        nd = 0 if abs(v) >= 100 else 1
    s = ('%.*f' % (nd, v))
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s

def d10(s):
    return (s or '')[:10]

# ---------- case helpers: each returns dict(gold_refs, match, gold_values, expect_not_found, note) ----------
def G(refs, values, note, match='all', nf=False):
    return {'gold_refs': list(refs), 'match': match, 'gold_values': list(values),
            'expect_not_found': nf, 'note': note}

def NF(note):
    return G([], [], note, match='all', nf=True)

def obs_dates(key, code):
    return distinct_dates(obs_by_code(key, code))

def obs_on(key, code, date):
    return [x for x in obs_by_code(key, code) if obs_date(x[1])[:10] == date]

def latest_obs(key, code, nd=None, nth=0):
    """nth=0 latest date, nth=1 the date before, ... All results on that date are gold."""
    ds = obs_dates(key, code)
    d = ds[-1 - nth]
    lst = obs_on(key, code, d)
    vals = [num(qty(r)[0], nd) for _, r in lst] + [d]
    return G([rf for rf, _ in lst], vals,
             'Observation LOINC %s, %s date by effectiveDateTime (%s); values %s' % (
                 code, 'latest' if nth == 0 else '%d before latest' % nth, d,
                 ', '.join('%r %s' % (qty(r)[0], qty(r)[1]) for _, r in lst)))

def year_obs(key, code, year, nd=None):
    lst = in_year(key, code, year)
    vals = [num(qty(r)[0], nd) for _, r in lst] + sorted(set(obs_date(r)[:10] for _, r in lst))
    return G([rf for rf, _ in lst], vals,
             'Observation LOINC %s with effectiveDateTime in %s: %s' % (
                 code, year, '; '.join('%s %r %s' % (obs_date(r)[:10], qty(r)[0], qty(r)[1]) for _, r in lst)))

def bp_synthea(key, nth=0):
    ds = obs_dates(key, '55284-4')
    d = ds[-1 - nth]
    lst = obs_on(key, '55284-4', d)
    vals = []
    for _, r in lst:
        vals += [num(components(r, '8480-6'), 0), num(components(r, '8462-4'), 0)]
    return G([rf for rf, _ in lst], vals + [d],
             'Blood pressure panel 55284-4, %s (%s): systolic %r / diastolic %r (components 8480-6/8462-4)' % (
                 'latest' if nth == 0 else '%d before latest' % nth, d,
                 components(lst[0][1], '8480-6'), components(lst[0][1], '8462-4')))

def encounters(key):
    return sorted(res(key, 'Encounter'), key=lambda x: enc_date(x[1]))

def enc_label(r):
    t = (r.get('type') or [{}])[0]
    t = t.get('text') or (t.get('coding') or [{}])[0].get('display', '')
    rc = r.get('reasonCode') or []
    reason = ((rc[0].get('coding') or [{}])[0].get('display', '')) if rc else ''
    return t + (' / reason: ' + reason if reason else '')

def last_visit(key):
    encs = encounters(key)
    d = d10(enc_date(encs[-1][1]))
    same = [x for x in encs if d10(enc_date(x[1])) == d]
    return G([rf for rf, _ in same], [d],
             'latest Encounter by period.start: %s %s' % (d, '; '.join(enc_label(r) for _, r in same)))

def imms(key, pred=lambda r: True):
    lst = [(rf, r) for rf, r in res(key, 'Immunization') if pred(r) and r.get('status', 'completed') == 'completed']
    return sorted(lst, key=lambda x: imm_date(x[1]))

def vacc_has(*subs):
    def p(r):
        t = ' '.join([text(r, 'vaccineCode')] + [c.get('display') or '' for c in (r.get('vaccineCode') or {}).get('coding', [])]).lower()
        return any(s.lower() in t for s in subs)
    return p

def procs(key, *subs):
    out = []
    for rf, r in res(key, 'Procedure'):
        t = text(r).lower()
        if any(s.lower() in t for s in subs) and r.get('status') == 'completed':
            out.append((rf, r))
    return sorted(out, key=lambda x: proc_date(x[1]))

def med_name(key, r):
    if 'medicationCodeableConcept' in r:
        return text(r, 'medicationCodeableConcept')
    mr = (r.get('medicationReference') or {})
    if mr.get('display'):
        return mr['display']
    target = mr.get('reference', '')
    for f, x in load(key):
        if x.get('resourceType') == 'Medication' and (f == target or 'Medication/' + x.get('id', '') == target or (f or '').endswith(target)):
            return text(x)
    return ''

def meds(key):
    out = []
    for rt in ('MedicationRequest', 'MedicationStatement'):
        for rf, r in res(key, rt):
            out.append((rf, r, med_name(key, r)))
    return out

def find_med(key, *subs):
    return [(rf, r, n) for rf, r, n in meds(key) if any(s.lower() in n.lower() for s in subs)]

def clin(r):
    cs = r.get('clinicalStatus') or {}
    return ((cs.get('coding') or [{}])[0]).get('code')

def conds(key, *subs):
    out = []
    for rf, r in res(key, 'Condition'):
        t = text(r).lower() + ' ' + ' '.join((c.get('display') or '').lower() for c in (r.get('code') or {}).get('coding', []))
        if not subs or any(s.lower() in t for s in subs):
            out.append((rf, r))
    return sorted(out, key=lambda x: x[1].get('onsetDateTime', ''))

def active_conds(key):
    """Synthea writes no clinicalStatus change; a Condition is current if clinicalStatus active and no abatement."""
    return [(rf, r) for rf, r in conds(key) if clin(r) in ('active', 'recurrence', 'relapse') and not r.get('abatementDateTime')]

def real_allergies(key):
    out = []
    for rf, r in res(key, 'AllergyIntolerance'):
        t = text(r).lower()
        if 'no known' in t or 'no allerg' in t:
            continue
        if clin(r) in (None, 'active'):
            out.append((rf, r))
    return out

def all_text(key):
    return json.dumps([r for _, r in load(key)], ensure_ascii=False).lower()

def absent(key, *terms):
    """Assert none of the terms occurs anywhere in the record (used for honest not-found gold)."""
    t = all_text(key)
    hits = [s for s in terms if s.lower() in t]
    assert not hits, (key, hits)
    return True

def run(cases, argv, prefix):
    import sys
    out = []
    for c in cases:
        g = c['gold']()
        rec = {'id': c['id'], 'lang': c['lang'], 'patient': c['patient'], 'kind': c['kind'], 'turns': c['turns']}
        rec.update(g)
        out.append(rec)
    if len(argv) > 2 and argv[1] == '--write':
        n = int(argv[2])
        chunk = out[(n - 1) * 10: n * 10]
        p = '/work/blind/record-27/%s-%02d.jsonl' % (prefix, n)
        if os.path.exists(p):
            raise SystemExit('exists, not overwriting: ' + p)
        with open(p, 'w', encoding='utf-8') as f:
            for rec in chunk:
                f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        print('wrote', p, len(chunk))
    else:
        for rec in out:
            print(json.dumps(rec, ensure_ascii=False))
