# shared helpers for gold-en.py / gold-fr.py (standard library only)
import json, glob, os, sys
D = '/work/shared/data'
_cache = {}
def load(key):
    if key not in _cache:
        fs = [f for f in glob.glob(D + '/synthea/*.json') + glob.glob(D + '/realworld/*.json')
              if os.path.basename(f).startswith(key + '_') or os.path.basename(f) == key + '.json']
        assert len(fs) == 1, (key, fs)
        _cache[key] = json.load(open(fs[0]))['entry']
    return _cache[key]
def ref(e):
    r = e['resource']
    return f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']
def rdate(r):
    for k in ('effectiveDateTime', 'performedDateTime', 'occurrenceDateTime', 'onsetDateTime', 'authoredOn', 'recordedDate'):
        if isinstance(r.get(k), str): return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and isinstance(r[k].get('start'), str): return r[k]['start']
    return ''
def codes(r, field='code'):
    c = r.get(field) or {}
    return {x.get('code') for x in c.get('coding', [])}
def disp(r, field='code'):
    c = r.get(field) or {}
    return ' '.join([c.get('text') or ''] + [x.get('display') or '' for x in c.get('coding', [])])
def find(key, rtype, pred=lambda r: True):
    return [e for e in load(key) if e['resource']['resourceType'] == rtype and pred(e['resource'])]
def by_date(es):
    return sorted(es, key=lambda e: rdate(e['resource']))
def latest_group(es):
    """all entries sharing the latest clinical date (day)"""
    es = [e for e in es if rdate(e['resource'])]
    if not es: return []
    d = max(rdate(e['resource'])[:10] for e in es)
    return [e for e in es if rdate(e['resource'])[:10] == d]
def day(e): return rdate(e['resource'])[:10]
def qty(e, nd=1):
    v = e['resource']['valueQuantity']['value']
    if isinstance(v, int) or float(v).is_integer() and nd == 0: return str(int(v))
    if isinstance(v, float) and v == round(v, 2) and len(repr(v)) <= 6: return repr(v)  # record already short
    return f"{v:.{nd}f}"
def comp(e, loinc, nd=0):
    for c in e['resource'].get('component', []):
        if loinc in codes(c): return f"{c['valueQuantity']['value']:.{nd}f}"
def obs(key, loinc): return find(key, 'Observation', lambda r: loinc in codes(r))
def case(cid, lang, patient, kind, turns, refs, match, values, nf, note):
    return {"id": cid, "lang": lang, "patient": patient, "kind": kind, "turns": turns,
            "gold_refs": refs, "match": match, "gold_values": values, "expect_not_found": nf, "note": note}
def main(lang, cases, outdir='/work/blind/record-22'):
    args = sys.argv[1:]
    if args and args[0] == 'write':   # write one not-yet-existing file: write NN
        n = int(args[1]); path = f"{outdir}/{lang}-{n:02d}.jsonl"
        assert not os.path.exists(path), 'saved files are final'
        chunk = cases[(n-1)*10:n*10]
        with open(path, 'w', encoding='utf-8') as f:
            for c in chunk: f.write(json.dumps(c, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk)); return
    if args and args[0] == 'show':
        for c in cases: print(c['id'], c['patient'], c['kind'], c['gold_refs'], c['gold_values'], c['expect_not_found'], '|', c['note'])
        return
    # default: re-create gold fields and compare with saved files
    saved = {}
    for f in sorted(glob.glob(f"{outdir}/{lang}-*.jsonl")):
        for l in open(f, encoding='utf-8'):
            c = json.loads(l); saved[c['id']] = c
    bad = 0
    for c in cases:
        s = saved.get(c['id'])
        if s is None: print('not saved yet', c['id']); continue
        for k in ('patient', 'kind', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
            if s[k] != c[k]: bad += 1; print('DIFF', c['id'], k, s[k], c[k])
    print('checked', len(saved), 'saved cases; diffs:', bad)
