#!/usr/bin/env python3
"""Gold builder for blind set rb4 (record questions).

Usage:
  python3 gold.py          -> (re)writes cases.jsonl next to this script
  python3 gold.py --check  -> recomputes every gold field from the FHIR files and
                              compares with cases.jsonl; prints the problems found.
Standard library only.  Case texts and the query that defines each gold live in cases_spec.py.
"""
import json, glob, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
from cases_spec import CASES  # noqa: E402

_cache = {}


def load(patient):
    if patient in _cache:
        return _cache[patient]
    p = os.path.join(RW, patient + '.json')
    if not os.path.exists(p):
        hits = [f for f in glob.glob(os.path.join(SYN, patient + '_*.json'))]
        assert len(hits) == 1, (patient, hits)
        p = hits[0]
    b = json.load(open(p, encoding='utf-8'))
    entries = []
    by_url = {}
    for e in b.get('entry', []):
        r = e['resource']
        ref = f"{r['resourceType']}/{r['id']}" if r.get('id') else e.get('fullUrl')
        entries.append((ref, r, e.get('fullUrl')))
        if e.get('fullUrl'):
            by_url[e['fullUrl']] = r
        if r.get('id'):
            by_url[f"{r['resourceType']}/{r['id']}"] = r
    _cache[patient] = (entries, by_url)
    return _cache[patient]


def rdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'authoredOn',
              'onsetDateTime', 'recordedDate'):
        if isinstance(r.get(k), str):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def day(s):
    return s[:10]


def texts(r, by_url):
    """All lower-cased names of the main concept of a resource."""
    out = []
    for k in ('code', 'vaccineCode', 'medicationCodeableConcept', 'type'):
        v = r.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        if isinstance(v, dict):
            if v.get('text'):
                out.append(v['text'])
            for c in v.get('coding', []):
                if c.get('display'):
                    out.append(c['display'])
                if c.get('code'):
                    out.append(c['code'])
    mr = r.get('medicationReference')
    if mr:
        if mr.get('display'):
            out.append(mr['display'])
        m = by_url.get(mr.get('reference'))
        if m:
            out += texts(m, by_url)
            for ing in m.get('ingredient', []):
                out += texts({'code': ing.get('itemCodeableConcept', {})}, by_url)
    return [t.lower() for t in out]


def codes_of(r):
    return [c.get('code') for c in r.get('code', {}).get('coding', [])]


def fmt(v, kind=None):
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    s = repr(v)
    dec = s.split('.')[1] if '.' in s else ''
    if kind == 'int':
        return str(int(round(v)))
    if len(dec) <= 2:  # value as the record has it
        return s
    if abs(v) >= 100:
        return str(int(round(v)))
    x = f"{v:.1f}"
    return x[:-2] if x.endswith('.0') else x


def status_of(r):
    if 'clinicalStatus' in r:
        cs = r['clinicalStatus']
        return (cs.get('coding') or [{}])[0].get('code') or cs.get('text', '').lower()
    return r.get('status', '')


def obs_values(r):
    """(strings, label) of an Observation's value(s)."""
    if 'valueQuantity' in r:
        return [fmt(r['valueQuantity']['value'])]
    if 'component' in r:
        comp = {c['code']['coding'][0]['code']: c.get('valueQuantity', {}).get('value') for c in r['component']}
        if '8480-6' in comp:
            return [fmt(comp['8480-6'], 'int'), fmt(comp['8462-4'], 'int')]
        return [fmt(v) for v in comp.values() if v is not None]
    return []


def select(patient, q):
    entries, by_url = load(patient)
    rts = q.get('rt', ['Observation'])
    if isinstance(rts, str):
        rts = [rts]
    out = []
    for ref, r, full in entries:
        if r['resourceType'] not in rts:
            continue
        if r['resourceType'] == 'Observation' and r.get('hasMember'):
            continue
        if 'codes' in q and not set(q['codes']) & set(codes_of(r)):
            continue
        if 'text' in q:
            tx = texts(r, by_url)
            if not any(w.lower() in t for w in q['text'] for t in tx):
                continue
        if 'exclude' in q:
            tx = texts(r, by_url)
            if any(w.lower() in t for w in q['exclude'] for t in tx):
                continue
        if 'status' in q and status_of(r) not in q['status']:
            continue
        if q.get('short_only') and len(r.get('code', {}).get('text', '')) > 80:
            continue
        if q.get('placeholder_free') and r.get('valueString') == '{entry.value}':
            continue
        d = day(rdate(r))
        if q.get('year') and not d.startswith(str(q['year'])):
            continue
        if q.get('since') and not (d and d >= q['since']):
            continue
        out.append((ref, r, d))
    return out


def groups_by_day(rows):
    g = {}
    for ref, r, d in rows:
        g.setdefault(d, []).append((ref, r, d))
    return [g[k] for k in sorted(g)]


def compute(c):
    q = c['q']
    op = q['op']
    P = c['patient']
    rows = select(P, q)
    refs, vals, match, nf = [], [], 'all', False
    note = ''
    desc = q.get('desc', '')
    if op in ('latest', 'year', 'previous', 'meaning'):
        gs = groups_by_day(rows)
        assert gs, (c['id'], 'no rows')
        if op == 'previous':
            assert len(gs) >= 2, c['id']
            g = gs[-2]
            note = f"second most recent date of {desc} (before {gs[-1][0][2]}) by clinical date"
        elif op == 'year':
            g = [x for gg in gs for x in gg]
            note = f"all {desc} results dated in {q['year']}"
        else:
            g = gs[-1]
            note = f"most recent {desc} by clinical date; every result on that date is gold"
        for ref, r, d in g:
            refs.append(ref)
            for v in obs_values(r):
                if v not in vals:
                    vals.append(v)
            if op == 'meaning':
                for rr in r.get('referenceRange', []):
                    for k in ('low', 'high'):
                        if k in rr and 'value' in rr[k]:
                            s = fmt(rr[k]['value'])
                            if s not in vals:
                                vals.append(s)
                interp = ','.join(x['coding'][0].get('code', '') for x in r.get('interpretation', []))
                if interp:
                    note += f"; interpretation code {interp}"
                if r.get('referenceRange'):
                    note += "; reference range recorded (low/high in gold_values)"
                else:
                    note += "; no reference range recorded"
                for n in r.get('note', []):
                    note += f"; record note: {n.get('text')}"
        days = sorted({d for _, _, d in g})
        vals += [d for d in days if d not in vals]
        note += f"; {len(g)} resource(s) on {', '.join(days)}"
    elif op == 'count':
        refs = [ref for ref, _, _ in rows]
        vals = [str(len(rows))]
        match = 'any'
        note = f"count of {desc}: {len(rows)}"
        if rows:
            note += f" (from {min(d for _,_,d in rows)} to {max(d for _,_,d in rows)})"
    elif op == 'list':
        refs = [ref for ref, _, _ in rows]
        assert refs, c['id']
        note = f"{desc}: {len(refs)} item(s)"
        if q.get('values'):
            vals = [str(len(refs))]
    elif op == 'still_on':
        assert rows, c['id']
        refs = [ref for ref, _, _ in rows]
        match = 'any' if len(rows) > 1 else 'all'
        last = max(rows, key=lambda x: x[2])
        d = last[2]
        if q.get('partial'):
            d = rdate(last[1])[:4]
        vals = [d]
        note = (f"{desc}: status {status_of(last[1])} (latest order {last[2] or rdate(last[1])}); "
                f"{len(rows)} matching medication resource(s)")
    elif op == 'ever':
        if rows:
            refs = [ref for ref, _, _ in rows]
            match = 'any'
            last = max(rows, key=lambda x: x[2])
            vals = [last[1].get('onsetDateTime', '')[:4]] if q.get('partial') else [last[2]]
            note = f"YES: {desc} found {len(rows)} time(s), latest {rdate(last[1])}"
        else:
            nf = True
            note = f"NO: no {desc} in the record (searched {q.get('rt')} for {q.get('text') or q.get('codes')})"
    elif op == 'last_visit':
        gs = groups_by_day(rows)
        g = gs[-1]
        refs = [ref for ref, _, _ in g]
        vals = [g[0][2]]
        note = "latest Encounter by period.start: " + '; '.join(
            (r.get('type') or [{}])[0].get('coding', [{}])[0].get('display', '') for _, r, _ in g)
    elif op == 'not_found':
        assert not rows, (c['id'], [x[0] for x in rows])
        nf = True
        note = f"not in record: no {desc} (searched {q.get('rt')} for {q.get('text') or q.get('codes')})"
    else:
        raise ValueError(op)
    if nf:
        refs, vals, match = [], [], 'all'
    return {'gold_refs': refs, 'match': match, 'gold_values': vals,
            'expect_not_found': nf, 'note': note}


def build():
    out = []
    for c in CASES:
        g = compute(c)
        row = {'id': c['id'], 'lang': c['lang'], 'patient': c['patient'], 'kind': c['kind'],
               'turns': c['turns']}
        row.update(g)
        out.append(row)
    return out


def main():
    rows = build()
    path = os.path.join(HERE, 'cases.jsonl')
    if '--check' in sys.argv:
        problems = []
        have = {}
        try:
            for i, line in enumerate(open(path, encoding='utf-8')):
                o = json.loads(line)
                have[o['id']] = o
        except Exception as e:  # noqa
            problems.append(f'cannot parse cases.jsonl: {e}')
        ids = [r['id'] for r in rows]
        if len(set(ids)) != len(ids):
            problems.append('duplicate ids')
        for r in rows:
            o = have.get(r['id'])
            if o is None:
                problems.append(f"{r['id']}: missing in cases.jsonl")
                continue
            for k, v in r.items():
                if o.get(k) != v:
                    problems.append(f"{r['id']}: field {k} differs: {o.get(k)!r} != {v!r}")
            if r['expect_not_found'] and r['gold_refs']:
                problems.append(f"{r['id']}: not_found with refs")
            if not r['expect_not_found'] and not r['gold_refs']:
                problems.append(f"{r['id']}: no refs")
            for v in r['gold_values']:
                if any(ch.isalpha() for ch in v):
                    problems.append(f"{r['id']}: non language-neutral gold value {v!r}")
        for k in have:
            if k not in ids:
                problems.append(f'{k}: in file but not in spec')
        langs = {}
        for r in rows:
            langs[r['lang']] = langs.get(r['lang'], 0) + 1
        if langs != {'en': 60, 'fr': 60}:
            problems.append(f'language counts {langs}')
        for p in problems:
            print('PROBLEM', p)
        print(f'{len(rows)} cases checked, {len(problems)} problems')
        sys.exit(1 if problems else 0)
    with open(path, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(f'wrote {len(rows)} cases to {path}')


if __name__ == '__main__':
    main()
