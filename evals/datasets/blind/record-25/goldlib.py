"""Shared helpers for the record-25 blind set gold scripts (stdlib only).

Each gold script defines CASES: a list of dicts with id, lang, patient, kind, turns and a
function `gold(rec)` returning the gold fields. Running a script re-computes the gold of every
case and compares it with the saved JSONL files (or writes a file that does not exist yet
with --write N)."""
import json, glob, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))


def record_path(key):
    p = os.path.join(DATA, 'realworld', key + '.json')
    if os.path.exists(p):
        return p
    m = glob.glob(os.path.join(DATA, 'synthea', key + '_*.json'))
    if len(m) != 1:
        raise SystemExit('no unique record for ' + key)
    return m[0]


def clinical_date(r):
    """The clinical date/time of a resource as a string (start of a period)."""
    for k in ('effectiveDateTime', 'effectiveInstant', 'occurrenceDateTime', 'performedDateTime',
              'onsetDateTime', 'authoredOn', 'recordedDate', 'issued', 'date'):
        if isinstance(r.get(k), str):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period', 'onsetPeriod'):
        if isinstance(r.get(k), dict) and isinstance(r[k].get('start'), str):
            return r[k]['start']
    return ''


def day(s):
    return (s or '')[:10]


class Rec:
    def __init__(self, key):
        self.key = key
        self.bundle = json.load(open(record_path(key), encoding='utf-8'))
        self.entries = []
        for e in self.bundle.get('entry', []):
            r = e.get('resource') or {}
            self.entries.append((self.ref_of(e), r))
        self.by_full = {e.get('fullUrl'): e.get('resource') for e in self.bundle.get('entry', [])}

    @staticmethod
    def ref_of(e):
        r = e.get('resource') or {}
        if r.get('id'):
            return '%s/%s' % (r['resourceType'], r['id'])
        return e.get('fullUrl')

    def of(self, rtype):
        return [(ref, r) for ref, r in self.entries if r.get('resourceType') == rtype]

    def resolve(self, reference):
        """Resolve a reference string (relative, urn:uuid or absolute) within the bundle."""
        if reference in self.by_full:
            return self.by_full[reference]
        for ref, r in self.entries:
            if ref == reference or (ref and reference.endswith('/' + ref)):
                return r
        return None

    def obs(self, codes, text=None):
        """Observations whose code has one of `codes` (any system), sorted by clinical date."""
        out = []
        for ref, r in self.of('Observation'):
            cs = {c.get('code') for c in (r.get('code') or {}).get('coding', [])}
            if cs & set(codes):
                out.append((clinical_date(r), ref, r))
        out.sort(key=lambda t: t[0])
        return out

    def comp_obs(self, code):
        """(date, ref, value) for a code found either as an Observation's own code with a
        valueQuantity or as a component of a panel Observation (e.g. BP in 55284-4)."""
        out = []
        for ref, r in self.of('Observation'):
            own = {c.get('code') for c in (r.get('code') or {}).get('coding', [])}
            if code in own and 'valueQuantity' in r:
                out.append((clinical_date(r), ref, r['valueQuantity']['value']))
            for c in r.get('component', []) or []:
                cc = {x.get('code') for x in (c.get('code') or {}).get('coding', [])}
                if code in cc and 'valueQuantity' in c:
                    out.append((clinical_date(r), ref, c['valueQuantity']['value']))
        out.sort(key=lambda t: t[0])
        return out

    def match_code(self, rtype, field, codes=(), words=()):
        """Resources of rtype whose CodeableConcept `field` has a code in codes or a
        display/text containing one of words (case-insensitive)."""
        out = []
        for ref, r in self.of(rtype):
            cc = r.get(field) or {}
            if isinstance(cc, list):
                cc = cc[0] if cc else {}
            codings = cc.get('coding', [])
            texts = [cc.get('text') or ''] + [c.get('display') or '' for c in codings]
            hit = any(c.get('code') in codes for c in codings)
            hit = hit or any(w.lower() in t.lower() for w in words for t in texts)
            if hit:
                out.append((clinical_date(r), ref, r))
        out.sort(key=lambda t: t[0])
        return out


def num(v):
    """A record number as text: integers without '.0', others as written in the JSON."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _fmt(v, dp):
    f = '%.*f' % (dp, v)
    if '.' in f:
        f = f.rstrip('0').rstrip('.')
    return f


def robust(v, dp=0):
    """Value rounded to its natural reporting precision `dp` (long Synthea floats such as
    62.07313918579284 -> '62'; 76.43 % saturation -> '76'). Values written with at most dp
    decimals are returned as written. Raises if the value sits on a rounding boundary, i.e. if
    the dp-rounding is not a prefix of the (dp+1)-rounding, so that '62' matches both '62' and
    '62.1' in an answer."""
    s = num(v)
    if '.' not in s or len(s.split('.')[1]) <= dp:
        return s
    base = _fmt(v, dp)
    longer = '%.*f' % (dp + 1, v)
    if not longer.startswith(base):
        raise ValueError('value %r on a rounding boundary at %d dp' % (v, dp))
    return base


def G(refs, values=(), match='all', nf=False, note=''):
    return {'gold_refs': list(refs), 'match': match, 'gold_values': list(values),
            'expect_not_found': nf, 'note': note}


FIELDS = ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')


def build(case):
    rec = Rec(case['patient'])
    g = case['gold'](rec)
    out = {'id': case['id'], 'lang': case['lang'], 'patient': case['patient'], 'kind': case['kind'],
           'turns': case['turns']}
    out.update(g)
    return out


def main(cases, lang):
    args = sys.argv[1:]
    built = [build(c) for c in cases]
    if args and args[0] == '--write':
        n = int(args[1])
        path = os.path.join(OUT, '%s-%02d.jsonl' % (lang, n))
        if os.path.exists(path):
            raise SystemExit('refusing to overwrite ' + path)
        chunk = built[(n - 1) * 10: n * 10]
        with open(path, 'w', encoding='utf-8') as f:
            for c in chunk:
                f.write(json.dumps(c, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
        return
    if args and args[0] == '--show':
        for c in built:
            if not args[1:] or c['id'] in args[1:]:
                print(json.dumps(c, ensure_ascii=False, indent=1))
        return
    # default: verify saved files against re-computed gold
    saved = {}
    for p in sorted(glob.glob(os.path.join(OUT, lang + '-*.jsonl'))):
        for line in open(p, encoding='utf-8'):
            d = json.loads(line)
            saved[d['id']] = d
    bad = 0
    for c in built:
        s = saved.get(c['id'])
        if s is None:
            print('not saved yet:', c['id'])
            continue
        for k in FIELDS + ('patient', 'kind', 'turns'):
            if s.get(k) != c.get(k):
                bad += 1
                print('MISMATCH', c['id'], k, s.get(k), '!=', c.get(k))
    print('%d cases computed, %d saved, %d mismatches' % (len(built), len(saved), bad))
    sys.exit(1 if bad else 0)
