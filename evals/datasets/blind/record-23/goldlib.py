# Shared helpers for gold-en.py / gold-fr.py (standard library only).
# Reads the record files read-only and computes gold fields.
import glob
import json
import os
import sys

DATA = '/work/shared/data'
_CACHE = {}


def load(patient):
    if patient in _CACHE:
        return _CACHE[patient]
    c = glob.glob(os.path.join(DATA, 'synthea', patient + '_*.json'))
    if not c:
        c = glob.glob(os.path.join(DATA, 'realworld', patient + '.json'))
    assert len(c) == 1, (patient, c)
    b = json.load(open(c[0], encoding='utf-8'))
    _CACHE[patient] = b
    return b


def ref(entry):
    r = entry['resource']
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return entry['fullUrl']


def entries(b, rtype):
    return [e for e in b.get('entry', []) if e['resource']['resourceType'] == rtype]


def codes(concept):
    if not concept:
        return []
    return [c.get('code') for c in concept.get('coding', [])]


def text_of(concept):
    if not concept:
        return ''
    parts = [concept.get('text') or '']
    parts += [c.get('display') or '' for c in concept.get('coding', [])]
    return ' | '.join(parts)


def when(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate'):
        if isinstance(r.get(k), str):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def day(r):
    return when(r)[:10]


def obs(b, code=None, text=None):
    out = []
    for e in entries(b, 'Observation'):
        r = e['resource']
        if code and code not in codes(r.get('code')):
            continue
        if text and text.lower() not in text_of(r.get('code')).lower():
            continue
        out.append(e)
    out.sort(key=lambda e: when(e['resource']))
    return out


def by_day(es):
    d = {}
    for e in es:
        d.setdefault(day(e['resource']), []).append(e)
    return d


def latest_day(es):
    d = by_day(es)
    k = max(d)
    return k, d[k]


def prev_day(es):
    d = by_day(es)
    ks = sorted(d)
    return ks[-2], d[ks[-2]]


def val(e):
    r = e['resource']
    if 'valueQuantity' in r:
        return r['valueQuantity'].get('value')
    if 'valueCodeableConcept' in r:
        return text_of(r['valueCodeableConcept'])
    if 'valueString' in r:
        return r['valueString']
    return None


def comp(e, code):
    for c in e['resource'].get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']
    return None


def fmt(v, nd):
    if nd == 0:
        return str(int(round(v)))
    return ('%.' + str(nd) + 'f') % v


def rng(e):
    out = []
    for rr in e['resource'].get('referenceRange', []):
        out.append((rr.get('low', {}).get('value'), rr.get('high', {}).get('value')))
    return out


def imms(b, pred):
    out = []
    for e in entries(b, 'Immunization'):
        r = e['resource']
        if pred(text_of(r.get('vaccineCode')), r):
            out.append(e)
    out.sort(key=lambda e: when(e['resource']))
    return out


def find(b, rtype, pred):
    out = []
    for e in entries(b, rtype):
        r = e['resource']
        if pred(r):
            out.append(e)
    out.sort(key=lambda e: when(e['resource']))
    return out


def encounters(b):
    es = entries(b, 'Encounter')
    es.sort(key=lambda e: when(e['resource']))
    return es


def gold(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}


def run(cases, lang, outdir):
    """Recompute gold. `write N` writes <lang>-0N.jsonl (refuses to overwrite);
    default: print all lines and compare with existing files."""
    lines = []
    for c in cases:
        b = load(c['patient'])
        g = c['fn'](b)
        d = {'id': c['id'], 'lang': lang, 'patient': c['patient'], 'kind': c['kind'],
             'turns': c['turns']}
        d.update(g)
        lines.append(d)
    if len(sys.argv) > 2 and sys.argv[1] == 'write':
        n = int(sys.argv[2])
        path = os.path.join(outdir, '%s-%02d.jsonl' % (lang, n))
        if os.path.exists(path):
            sys.exit('refusing to overwrite ' + path)
        chunk = lines[(n - 1) * 10:n * 10]
        assert len(chunk) == 10
        with open(path, 'w', encoding='utf-8') as f:
            for d in chunk:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        print('wrote', path)
        return
    existing = {}
    for p in sorted(glob.glob(os.path.join(outdir, lang + '-*.jsonl'))):
        for l in open(p, encoding='utf-8'):
            d = json.loads(l)
            existing[d['id']] = d
    bad = 0
    for d in lines:
        print(json.dumps(d, ensure_ascii=False))
        if d['id'] in existing:
            keys = ['gold_refs', 'match', 'gold_values', 'expect_not_found', 'note']
            if any(existing[d['id']][k] != d[k] for k in keys):
                bad += 1
                print('MISMATCH', d['id'], file=sys.stderr)
    print('cases', len(lines), 'on file', len(existing), 'mismatches', bad, file=sys.stderr)


def fmtz(v, nd):
    """Rounded like fmt, but without trailing zeros (1.00 -> 1, 7.50 -> 7.5)."""
    s = fmt(v, nd)
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s
