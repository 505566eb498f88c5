# Shared helpers for gold-en.py / gold-fr.py (standard library only)
import json, glob, os, math
SYN = '/work/shared/data/synthea/'
RW = '/work/shared/data/realworld/'
_cache = {}
def load(key):
    if key not in _cache:
        fs = glob.glob(RW + key + '.json') or glob.glob(SYN + key + '_*.json')
        assert len(fs) == 1, (key, fs)
        _cache[key] = json.load(open(fs[0]))
    return _cache[key]
def ref(e):
    r = e['resource']
    return f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']
def entries(b, t):
    return [e for e in b['entry'] if e['resource']['resourceType'] == t]
def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}
def text(cc):
    cc = cc or {}
    return ' '.join([cc.get('text') or ''] + [c.get('display') or '' for c in cc.get('coding', [])]).lower()
def rdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'authoredOn', 'onsetDateTime'):
        if isinstance(r.get(k), str): return r[k][:10]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'): return r[k]['start'][:10]
    return ''
def fmt(v):
    """value as a reply would quote it; None when 1-decimal rounding and truncation disagree"""
    if v is None: return None
    if float(v).is_integer(): return str(int(v))
    s1 = f"{v:.1f}"; t1 = f"{math.trunc(v*10)/10:.1f}"
    if s1 == t1: return s1[:-2] if s1.endswith('.0') else s1
    if abs(v) >= 20 and int(round(v)) == int(v): return str(int(v))
    return None
def obs(b, code, pred=None):
    out = []
    for e in entries(b, 'Observation'):
        r = e['resource']
        if code in codes(r.get('code')) and (pred is None or pred(r)):
            out.append((rdate(r), e, r))
    return sorted(out, key=lambda x: x[0])
def val(r):
    return (r.get('valueQuantity') or {}).get('value')
def vals(rs):
    return [x for x in (fmt(val(r)) for r in rs) if x]
def by_latest_day(lst):
    if not lst: return []
    d = max(x[0] for x in lst)
    return [x for x in lst if x[0] == d]
def previous_day(lst):
    days = sorted({x[0] for x in lst})
    d = days[-2]
    return [x for x in lst if x[0] == d]
def G(refs, values, note, match='all', nf=False):
    return dict(gold_refs=refs, match=match, gold_values=values, expect_not_found=nf, note=note)
def latest_obs(b, code, pred=None, note=''):
    L = by_latest_day(obs(b, code, pred))
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]),
             f"latest Observation LOINC {code} by effective date ({L[0][0]}), all results on that day. {note}")
def res_named(b, t, words, field='code'):
    out = []
    for e in entries(b, t):
        r = e['resource']
        tx = text(r.get(field))
        if t in ('MedicationRequest', 'MedicationStatement'):
            tx = text(r.get('medicationCodeableConcept')) + ' ' + ((r.get('medicationReference') or {}).get('display') or '').lower()
            mref = (r.get('medicationReference') or {}).get('reference')
            if mref:
                for m in entries(b, 'Medication'):
                    if mref.endswith(m['resource'].get('id', '#')) or mref == m.get('fullUrl'):
                        tx += ' ' + text(m['resource'].get('code'))
        if any(w in tx for w in words): out.append((rdate(r), e, r))
    return sorted(out, key=lambda x: x[0])
def status(r):
    cs = r.get('clinicalStatus')
    if isinstance(cs, dict): return (cs.get('coding') or [{}])[0].get('code')
    return r.get('status')
def run(cases, lang, outdir):
    import sys
    ids = [c['id'] for c in cases]; assert len(ids) == len(set(ids))
    rows = []
    for c in cases:
        b = load(c['patient'])
        g = c['gold'](b)
        row = dict(id=c['id'], lang=lang, patient=c['patient'], kind=c['kind'], turns=c['turns'])
        row.update(g)
        rows.append(row)
    # write any file that does not yet exist; verify files that do
    for i in range(0, len(rows), 10):
        fn = os.path.join(outdir, f"{lang}-{i//10+1:02d}.jsonl")
        chunk = rows[i:i+10]
        if os.path.exists(fn):
            saved = [json.loads(l) for l in open(fn, encoding='utf-8')]
            ok = saved == chunk
            print(fn, 'matches' if ok else 'DIFFERS from recomputed gold')
        elif len(chunk) == 10 or '--final' in sys.argv:
            with open(fn, 'w', encoding='utf-8') as f:
                for r in chunk: f.write(json.dumps(r, ensure_ascii=False) + '\n')
            print('wrote', fn)
    return rows
