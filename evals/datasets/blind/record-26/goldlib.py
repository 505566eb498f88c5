"""Shared helpers for the record-26 blind set gold scripts (standard library only).

Each case in gold-en.py / gold-fr.py carries its question turns and a small gold
function that computes gold_refs / match / gold_values / expect_not_found / note
from the FHIR record file.  Nothing here is hand-typed gold: every ref, value and
date comes out of the JSON.
"""
import glob
import json
import os
import re
import sys

DATA = '/work/shared/data'
_CACHE = {}


# ---------------------------------------------------------------- loading
def path_for(key):
    cands = glob.glob(os.path.join(DATA, 'synthea', key + '_*.json'))
    cands += glob.glob(os.path.join(DATA, 'realworld', key + '.json'))
    if len(cands) != 1:
        raise SystemExit('patient key %r matches %r' % (key, cands))
    return cands[0]


class Rec:
    """One patient record: entries with a stable reference string each."""

    def __init__(self, key):
        self.key = key
        self.bundle = json.load(open(path_for(key), encoding='utf-8'))
        self.entries = []
        self.by_ref = {}
        for e in self.bundle.get('entry', []):
            r = e['resource']
            rid = r.get('id')
            ref = '%s/%s' % (r['resourceType'], rid) if rid else e['fullUrl']
            self.entries.append((ref, r, e))
            self.by_ref[ref] = r
            # also index by fullUrl so that urn:uuid / absolute references resolve
            if e.get('fullUrl'):
                self.by_ref.setdefault(e['fullUrl'], r)

    def of(self, rtype):
        return [(ref, r) for ref, r, _ in self.entries if r['resourceType'] == rtype]

    def resolve(self, reference):
        if reference in self.by_ref:
            return self.by_ref[reference]
        for ref, r, e in self.entries:
            if e.get('fullUrl', '').endswith('/' + reference):
                return r
        return None


def rec(key):
    if key not in _CACHE:
        _CACHE[key] = Rec(key)
    return _CACHE[key]


# ---------------------------------------------------------------- text / codes / dates
def texts(cc):
    """All human strings of a CodeableConcept (text + codings' display)."""
    if not cc:
        return []
    out = []
    if cc.get('text'):
        out.append(cc['text'])
    for c in cc.get('coding', []):
        if c.get('display'):
            out.append(c['display'])
    return out


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', []) if c.get('code')]


def has_code(cc, wanted):
    return any(c in wanted for c in codes(cc))


def has_text(cc, pattern):
    rx = re.compile(pattern, re.I)
    return any(rx.search(t) for t in texts(cc))


def rdate(r):
    """Clinical date of a resource (string, possibly partial)."""
    rt = r['resourceType']
    if rt == 'Observation':
        return r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start') or r.get('issued')
    if rt == 'Encounter':
        return (r.get('period') or {}).get('start')
    if rt == 'Immunization':
        return r.get('occurrenceDateTime') or r.get('occurrenceString')
    if rt == 'Procedure':
        return r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start')
    if rt == 'MedicationRequest':
        return r.get('authoredOn')
    if rt == 'MedicationStatement':
        return r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start') or r.get('dateAsserted')
    if rt == 'Condition':
        return r.get('onsetDateTime') or r.get('recordedDate')
    if rt == 'AllergyIntolerance':
        return r.get('onsetDateTime') or r.get('recordedDate')
    if rt == 'DiagnosticReport':
        return r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start')
    return None


def day(s):
    return (s or '')[:10]


def year(s):
    return (s or '')[:4]


# ---------------------------------------------------------------- numbers as strings
def num(v):
    """Language-neutral string that any sensible rounding of v contains.

    Values stored with at most 2 decimals are used as written (x.0 -> x).
    Long Synthea floats: >= 20 -> the integer, when rounding to 0 and to 1 decimal
    agree on it; < 20 -> one decimal, when it is a prefix of the 2-decimal rounding.
    Anything else raises, and the case must pick a decisive value another way.
    """
    if isinstance(v, int):
        return str(v)
    s = repr(v)
    if '.' in s and len(s.split('.')[1]) <= 2:
        if len(s.split('.')[1]) == 2 and abs(v) >= 20 and int(round(v)) == int(round(v, 1)):
            return str(int(round(v)))      # e.g. 76.43 -> '76' (in '76%' and in '76.43%')
        return s[:-2] if s.endswith('.0') else s
    if abs(v) >= 20:
        r0 = int(round(v))
        r1 = round(v, 1)
        if int(r1) == r0 or (r1 == float(r0)):
            return str(r0)
        raise ValueError('ambiguous rounding for %r' % v)
    r1 = '%.1f' % v
    r2 = '%.2f' % v
    if r2.startswith(r1):
        return r1
    raise ValueError('ambiguous rounding for %r' % v)


def num_ok(v):
    try:
        num(v)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------- observations
def obs_value(r):
    q = r.get('valueQuantity')
    if q and 'value' in q:
        return q['value']
    return None


def component(r, code):
    for c in r.get('component', []):
        if has_code(c.get('code'), {code}):
            return (c.get('valueQuantity') or {}).get('value')
    return None


def observations(R, loinc=None, text=None, usable=True):
    """Observations with one of the codes (or a display/text match), sorted by date.
    usable=True drops template placeholders such as '{entry.value}'."""
    out = []
    for ref, r in R.of('Observation'):
        ok = (loinc and has_code(r.get('code'), set(loinc))) or (text and has_text(r.get('code'), text))
        if not ok:
            continue
        if usable and isinstance(r.get('valueString'), str) and r['valueString'].startswith('{'):
            continue
        out.append((ref, r))
    out.sort(key=lambda x: rdate(x[1]) or '')
    return out


def by_day(items):
    days = {}
    for ref, r in items:
        days.setdefault(day(rdate(r)), []).append((ref, r))
    return [days[d] for d in sorted(days)]


def latest_group(items):
    g = by_day(items)
    return g[-1] if g else []


def previous_group(items):
    g = by_day(items)
    return g[-2] if len(g) > 1 else []


def in_year(items, y):
    return [(ref, r) for ref, r in items if year(rdate(r)) == str(y)]


def ref_range(r):
    out = []
    for rr in r.get('referenceRange', []):
        lo = (rr.get('low') or {}).get('value')
        hi = (rr.get('high') or {}).get('value')
        out.append((lo, hi, rr.get('text')))
    return out


# ---------------------------------------------------------------- generic resource filters
def find(R, rtype, pred=None):
    out = [(ref, r) for ref, r in R.of(rtype) if pred is None or pred(r)]
    out.sort(key=lambda x: rdate(x[1]) or '')
    return out


def med_concept(R, r):
    """CodeableConcept of the medicine of a MedicationRequest/Statement (following a reference)."""
    if r.get('medicationCodeableConcept'):
        return r['medicationCodeableConcept']
    mref = (r.get('medicationReference') or {}).get('reference')
    m = R.resolve(mref) if mref else None
    cc = dict((m or {}).get('code') or {})
    disp = (r.get('medicationReference') or {}).get('display')
    if disp:
        cc = dict(cc)
        cc['coding'] = list(cc.get('coding', [])) + [{'display': disp}]
    return cc


def meds(R, pattern=None, statuses=None):
    out = []
    for rt in ('MedicationRequest', 'MedicationStatement'):
        for ref, r in R.of(rt):
            if statuses and r.get('status') not in statuses:
                continue
            if pattern and not has_text(med_concept(R, r), pattern):
                continue
            out.append((ref, r))
    out.sort(key=lambda x: rdate(x[1]) or '')
    return out


NEGATION_ALLERGY = {'716186003', '409137002', '429625007', '428607008', '428197003'}


def allergies(R):
    out = []
    for ref, r in R.of('AllergyIntolerance'):
        if has_code(r.get('code'), NEGATION_ALLERGY) or has_text(r.get('code'), r'^no known'):
            continue
        st = codes(r.get('clinicalStatus'))
        if st and st[0] not in ('active',):
            continue
        out.append((ref, r))
    return out


def immunizations(R, pattern=None, cvx=None, done_only=True):
    out = []
    for ref, r in R.of('Immunization'):
        if done_only and r.get('status') != 'completed':
            continue
        if cvx and not has_code(r.get('vaccineCode'), set(cvx)):
            continue
        if pattern and not has_text(r.get('vaccineCode'), pattern):
            continue
        out.append((ref, r))
    out.sort(key=lambda x: rdate(x[1]) or '')
    return out


def encounters(R, pred=None):
    return find(R, 'Encounter', pred)


def enc_type(r):
    t = r.get('type') or [{}]
    return (texts(t[0]) or [''])[0]


def search_all(R, pattern):
    """Any resource whose coded/text fields mention pattern (for not-found checks)."""
    rx = re.compile(pattern, re.I)
    hits = []
    for ref, r, _ in R.entries:
        if r['resourceType'] in ('Claim', 'ExplanationOfBenefit', 'Composition', 'Patient',
                                 'Organization', 'Practitioner', 'Device'):
            continue
        blob = json.dumps({k: v for k, v in r.items() if k not in ('text',)}, ensure_ascii=False)
        if rx.search(blob):
            hits.append(ref)
    return hits


# ---------------------------------------------------------------- output
def gold(refs, values, note, match='all', not_found=False):
    return {'gold_refs': list(refs), 'match': match, 'gold_values': list(values),
            'expect_not_found': bool(not_found), 'note': note}


def not_found(note):
    return gold([], [], note, match='all', not_found=True)


def build(case):
    g = case['gold']()
    out = {'id': case['id'], 'lang': case['lang'], 'patient': case['patient'], 'kind': case['kind'],
           'turns': case['turns']}
    out.update(g)
    return out


def main(cases, prefix, outdir):
    """python3 gold-xx.py            -> print all re-created lines
       python3 gold-xx.py --check    -> compare with the saved files
       python3 gold-xx.py --write N  -> write <prefix>-0N.jsonl (cases 10N-9..10N) if absent"""
    lines = [build(c) for c in cases]
    args = sys.argv[1:]
    if args[:1] == ['--write']:
        n = int(args[1])
        fn = os.path.join(outdir, '%s-%02d.jsonl' % (prefix, n))
        if os.path.exists(fn):
            raise SystemExit('%s exists; saved files are final' % fn)
        chunk = lines[(n - 1) * 10:n * 10]
        with open(fn, 'w', encoding='utf-8') as f:
            for l in chunk:
                f.write(json.dumps(l, ensure_ascii=False) + '\n')
        print('wrote', fn, len(chunk))
    elif args[:1] == ['--check']:
        saved = []
        for fn in sorted(glob.glob(os.path.join(outdir, prefix + '-*.jsonl'))):
            saved += [json.loads(l) for l in open(fn, encoding='utf-8')]
        bad = 0
        for s in saved:
            c = next((l for l in lines if l['id'] == s['id']), None)
            if c != s:
                bad += 1
                print('MISMATCH', s['id'])
        print('checked', len(saved), 'saved cases; mismatches:', bad)
    else:
        for l in lines:
            print(json.dumps(l, ensure_ascii=False))
