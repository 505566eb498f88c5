#!/usr/bin/env python3
"""Gold computation for the blind record set rb2 (written independently).

Usage:
  python3 gold.py            -> (re)writes cases.jsonl next to this script
  python3 gold.py --check    -> recomputes the gold fields from the record files
                                and compares them with cases.jsonl
Only the Python standard library is used.
"""
import glob
import json
import os
import sys
from decimal import Decimal, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.join(HERE, 'cases.jsonl')

# ----------------------------------------------------------------- loading
_CACHE = {}


def record_path(patient):
    p = os.path.join(RW, patient + '.json')
    if os.path.exists(p):
        return p
    hits = [f for f in glob.glob(os.path.join(SYN, '*.json'))
            if '_'.join(os.path.basename(f).split('_')[:2]) == patient]
    if len(hits) != 1:
        raise SystemExit('cannot find record for %s' % patient)
    return hits[0]


class Rec:
    def __init__(self, patient):
        with open(record_path(patient), encoding='utf-8') as fh:
            self.bundle = json.load(fh, parse_float=Decimal)
        self.entries = [(e.get('fullUrl'), e['resource']) for e in self.bundle['entry']]

    def ref(self, res):
        for fu, r in self.entries:
            if r is res:
                if r.get('id'):
                    return '%s/%s' % (r['resourceType'], r['id'])
                return fu
        raise KeyError('resource not in bundle')

    def of(self, rtype):
        return [r for _, r in self.entries if r['resourceType'] == rtype]

    def resolve(self, reference):
        """Resolve a reference (relative, absolute or urn) to a resource in the bundle."""
        for fu, r in self.entries:
            if fu == reference or (r.get('id') and reference.endswith('%s/%s' % (r['resourceType'], r['id']))):
                return r
        return None


def rec(patient):
    if patient not in _CACHE:
        _CACHE[patient] = Rec(patient)
    return _CACHE[patient]


# ----------------------------------------------------------------- helpers
def when(r):
    """Clinical date/time string of a resource."""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate'):
        if k in r:
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if k in r and 'start' in r[k]:
            return r[k]['start']
    return ''


def day(r):
    return when(r)[:10]


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def text_of(cc):
    cc = cc or {}
    parts = [cc.get('text') or '']
    parts += [c.get('display') or '' for c in cc.get('coding', [])]
    return ' '.join(parts)


def obs(R, code=None, disp=None, pred=None):
    out = []
    for r in R.of('Observation'):
        if code and code not in codes(r.get('code')):
            continue
        if disp and disp.lower() not in text_of(r.get('code')).lower():
            continue
        if pred and not pred(r):
            continue
        out.append(r)
    return sorted(out, key=when)


def fmt(v, prec=None):
    """Number as an answer should show it: record value if short, else rounded."""
    d = Decimal(str(v))
    if prec is not None and d.as_tuple().exponent < -prec:
        q = Decimal(1) if prec == 0 else Decimal(1).scaleb(-prec)
        d = d.quantize(q, rounding=ROUND_HALF_UP)
    s = format(d, 'f')
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


def qty(r):
    return r['valueQuantity']['value']


def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']
    return None


def groups_by_day(items):
    g = {}
    for r in items:
        g.setdefault(day(r), []).append(r)
    return [g[k] for k in sorted(g)]


def G(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}


PREC = {'55284-4': 0, '8480-6': 0, '8462-4': 0, '2093-3': 0, '18262-6': 0, '2085-9': 0,
        '2571-8': 0, '2339-0': 0, '4548-4': 1, '38483-4': 1, '33914-3': 0, '29463-7': 1,
        '39156-5': 1, '8302-2': 1, '718-7': 1, '8331-1': 1, '14959-1': 1, '6298-4': 1,
        '2947-0': 0, '33762-6': 0, '10230-1': 0, '19926-5': 0, '2857-1': 1, '777-3': 0,
        '6690-2': 1, '59408-5': 0, '9279-1': 0, '8867-4': 0, '6299-2': 0, '49765-1': 1,
        '2069-3': 0, '20565-8': 0, '1742-6': 0, '1920-8': 0, '4544-3': 1, '787-2': 0}


def show(r, code):
    """Value strings of an observation (BP panel gives systolic and diastolic)."""
    if code == '55284-4':
        return [fmt(comp(r, '8480-6'), 0), fmt(comp(r, '8462-4'), 0)]
    if 'valueQuantity' in r:
        return [fmt(qty(r), PREC.get(code))]
    return []


def obs_group_gold(R, group, code, label, extra_note=''):
    refs = [R.ref(r) for r in group]
    vals = []
    for r in group:
        for v in show(r, code):
            if v not in vals:
                vals.append(v)
    d = day(group[0])
    raw = '; '.join('%s=%s' % (R.ref(r).split('/')[-1][:8],
                               ('%s/%s' % (comp(r, '8480-6'), comp(r, '8462-4')) if code == '55284-4'
                                else r.get('valueQuantity', {}).get('value', r.get('valueCodeableConcept', r.get('valueString')))))
                    for r in group)
    return refs, vals + [d], '%s on %s (%d result(s)): %s%s' % (label, d, len(group), raw, extra_note)


def g_latest(code, label, disp=None, pred=None):
    def f(R):
        items = obs(R, code, disp, pred)
        grp = groups_by_day(items)[-1]
        refs, vals, note = obs_group_gold(R, grp, code, 'latest ' + label)
        return G(refs, vals, note + ' [latest Observation LOINC %s by effective date; all results of that day are gold]' % code)
    return f


def g_previous(code, label, disp=None, pred=None):
    def f(R):
        grp = groups_by_day(obs(R, code, disp, pred))[-2]
        refs, vals, note = obs_group_gold(R, grp, code, 'previous (before latest) ' + label)
        return G(refs, vals, note + ' [second most recent date of LOINC %s]' % code)
    return f


def g_year(code, label, year, disp=None, pred=None):
    def f(R):
        items = [r for r in obs(R, code, disp, pred) if day(r).startswith(str(year))]
        if not items:
            return G([], [], 'no %s in %s' % (label, year), nf=True)
        refs, vals = [], []
        for r in items:
            refs.append(R.ref(r))
            for v in show(r, code):
                if v not in vals:
                    vals.append(v)
        return G(refs, vals, '%s in %s: %d result(s) on %s [LOINC %s filtered by year]' % (
            label, year, len(items), ', '.join(day(r) for r in items), code))
    return f


def match_res(R, rtype, words=None, codeset=None, field='code', pred=None):
    out = []
    for r in R.of(rtype):
        cc = r.get(field)
        if field == 'medication':
            cc = r.get('medicationCodeableConcept')
            if cc is None and 'medicationReference' in r:
                m = R.resolve(r['medicationReference']['reference'])
                cc = (m or {}).get('code') or {'text': r['medicationReference'].get('display', '')}
        t = text_of(cc).lower()
        ok = True
        if words is not None:
            ok = any(w.lower() in t for w in words)
        if codeset is not None:
            ok = ok and any(c in codeset for c in codes(cc))
        if ok and pred is not None:
            ok = pred(r)
        if ok:
            out.append(r)
    return sorted(out, key=when)


def status(r, key='clinicalStatus'):
    v = r.get(key)
    if isinstance(v, dict):
        return (v.get('coding') or [{}])[0].get('code')
    return v


def period_filter(items, start=None, end=None):
    out = []
    for r in items:
        d = day(r)
        if start and d < start:
            continue
        if end and d > end:
            continue
        out.append(r)
    return out


# ----------------------------------------------------------------- gold builders
def show_p(r, code, prec):
    if prec is not None and 'valueQuantity' in r:
        return [fmt(qty(r), prec)]
    return show(r, code)


def g_latest_p(code, label, prec, disp=None):
    """latest with an explicit precision (codes missing from PREC)."""
    def f(R):
        grp = groups_by_day(obs(R, code, disp))[-1]
        vals = []
        for r in grp:
            for v in show_p(r, code, prec):
                if v not in vals:
                    vals.append(v)
        return G([R.ref(r) for r in grp], vals + [day(grp[0])],
                 'latest %s on %s: %s [latest Observation LOINC %s]' % (
                     label, day(grp[0]), ', '.join(str(qty(r)) for r in grp), code))
    return f


def rr_values(r):
    out = []
    for rr in r.get('referenceRange', []):
        for k in ('low', 'high'):
            if k in rr:
                out.append(fmt(rr[k]['value']))
    return out


def rr_text(r):
    parts = []
    for rr in r.get('referenceRange', []):
        parts.append('%s-%s' % (rr.get('low', {}).get('value', ''), rr.get('high', {}).get('value', '')))
    interp = ','.join(c.get('code', '') for i in r.get('interpretation', []) for c in i.get('coding', []))
    return ('range ' + ';'.join(parts) if parts else 'no reference range recorded') + (
        ' interpretation ' + interp if interp else '')


def g_meaning(code, label, prec=None, disp=None, which=-1, values_extra=()):
    """Latest (or given) result day of a test: value(s) + reference range if recorded."""
    def f(R):
        grp = groups_by_day(obs(R, code, disp))[which]
        vals = []
        notes = []
        for r in grp:
            for v in (show_p(r, code, prec) if prec is not None else show(r, code)):
                if v not in vals:
                    vals.append(v)
            for v in rr_values(r):
                if v not in vals and v not in ('0',):
                    vals.append(v)
            notes.append('%s value=%s %s' % (R.ref(r)[-36:][:8], r.get('valueQuantity', {}).get('value'), rr_text(r)))
        vals += [v for v in values_extra if v not in vals]
        return G([R.ref(r) for r in grp], vals,
                 'meaning of %s on %s: %s [Observation LOINC %s, value and referenceRange]' % (
                     label, day(grp[0]), ' | '.join(notes), code))
    return f


def enc_label(r):
    t = text_of((r.get('type') or [{}])[0])
    reason = text_of((r.get('reasonCode') or [{}])[0]).strip()
    return '%s %s%s' % (r['class'].get('code'), t.strip(), (' / reason: ' + reason) if reason else '')


def g_last_enc(pred=None, label='encounter'):
    def f(R):
        encs = [r for r in R.of('Encounter') if pred is None or pred(r)]
        grp = groups_by_day(sorted(encs, key=when))[-1]
        return G([R.ref(r) for r in grp], [day(grp[0])],
                 'last %s on %s: %s [Encounter by period.start]' % (label, day(grp[0]), ' + '.join(enc_label(r) for r in grp)))
    return f


def g_count(items_fn, label, extra_values=()):
    def f(R):
        items = items_fn(R)
        return G([R.ref(r) for r in items], [str(len(items))] + list(extra_values),
                 'count of %s = %d (%s)' % (label, len(items), ', '.join(day(r) for r in items)), match='any')
    return f


def g_list(items_fn, label, values=(), match='all'):
    def f(R):
        items = items_fn(R)
        desc = '; '.join('%s (%s)' % (text_of(r.get('code') or r.get('vaccineCode') or r.get('medicationCodeableConcept')).strip()[:70], day(r)) for r in items)
        return G([R.ref(r) for r in items], list(values), '%s: %d item(s): %s' % (label, len(items), desc), match=match)
    return f


def g_med(words, label):
    """still_on: latest MedicationRequest/Statement matching words -> status and date."""
    def f(R):
        items = match_res(R, 'MedicationRequest', words, field='medication') + \
            match_res(R, 'MedicationStatement', words, field='medication')
        if not items:
            return G([], [], 'no medication matching %s in record' % label, nf=True)
        items = sorted(items, key=when)
        last = items[-1]
        vals = [day(last)]
        return G([R.ref(last)], vals, '%s: %s, status=%s, authored/started %s (%d order(s) in record)' % (
            label, text_of(last.get('medicationCodeableConcept')).strip()[:60], last.get('status'), day(last), len(items)))
    return f


def g_ever(rtype, words=None, codeset=None, field='code', label='', pred=None, all_dates=True):
    def f(R):
        items = match_res(R, rtype, words, codeset, field, pred)
        if not items:
            return G([], [], 'never: no %s matching %s' % (rtype, label), nf=True)
        if not all_dates:   # only the most recent one is asked for
            last = items[-1]
            return G([R.ref(last)], [day(last)], 'most recent %s: %s on %s (%d in record: %s)' % (
                label, rtype, day(last), len(items), ', '.join(day(r) for r in items)))
        dates = []
        for r in items:
            if day(r) not in dates:
                dates.append(day(r))
        vals = dates if all_dates else [dates[-1]]
        return G([R.ref(r) for r in items], vals, 'yes: %s %s on %s' % (label, rtype, ', '.join(dates)), match='any')
    return f


SEARCH_TYPES = ('Observation', 'Procedure', 'Condition', 'MedicationRequest', 'MedicationStatement',
                'Medication', 'Immunization', 'DiagnosticReport', 'ImagingStudy', 'AllergyIntolerance',
                'Encounter', 'CarePlan', 'Device', 'DeviceUseStatement')


def all_text(r):
    bits = []
    for k in ('code', 'vaccineCode', 'medicationCodeableConcept', 'type', 'category', 'reasonCode',
              'procedureCode', 'series', 'deviceName'):
        v = r.get(k)
        if v is not None:
            bits.append(json.dumps(v, ensure_ascii=False, default=str))
    return ' '.join(bits).lower()


def g_absent(words, label, types=SEARCH_TYPES):
    """not_found: nothing in the record matches any of the words."""
    def f(R):
        hits = [r for _, r in R.entries if r['resourceType'] in types and
                (not words or any(w.lower() in all_text(r) for w in words))]
        if hits:
            return G([R.ref(r) for r in hits], [], 'FOUND (unexpected): %s' % label, match='any')
        return G([], [], 'not in record: %s (searched %s for %s)' % (label, '/'.join(types), ', '.join(words)), nf=True)
    return f


def refs_by(R, fulls):
    out = []
    for key in fulls:
        hit = [fu for fu, r in R.entries if (fu or '').endswith(key) or (r.get('id') or '') == key]
        if len(hit) != 1:
            raise SystemExit('ambiguous/missing %s' % key)
        out.append(hit[0])
    return out


def res_by(R, key):
    for fu, r in R.entries:
        if (fu or '').endswith(key) or (r.get('id') or '') == key:
            return r
    raise SystemExit('missing %s' % key)


def active_meds(R):
    return sorted([r for r in R.of('MedicationRequest') if r.get('status') == 'active'], key=when)


def active_conditions(R):
    return sorted([r for r in R.of('Condition') if status(r) == 'active'], key=when)


def active_allergies(R):
    out = []
    for r in R.of('AllergyIntolerance'):
        if status(r) not in (None, 'active'):
            continue
        t = text_of(r.get('code')).lower()
        if 'no known' in t:      # negation entry, not an allergy
            continue
        out.append(r)
    return sorted(out, key=when)


def imm(R, cvx=None, words=None):
    out = []
    for r in R.of('Immunization'):
        if r.get('status') != 'completed':
            continue
        if cvx and not any(c in cvx for c in codes(r.get('vaccineCode'))):
            continue
        if words and not any(w.lower() in text_of(r.get('vaccineCode')).lower() for w in words):
            continue
        out.append(r)
    return sorted(out, key=when)


# ----------------------------------------------------------------- real-world specific gold
def at_bp(R):
    items = [r for r in obs(R, '8480-6') + obs(R, '8462-4')]
    last = max(day(r) for r in items)
    grp = [r for r in items if day(r) == last]
    vals = []
    for r in sorted(grp, key=lambda r: -int(qty(r))):
        v = fmt(qty(r))
        if v not in vals:
            vals.append(v)
    return G([R.ref(r) for r in grp], vals + [last],
             'latest BP %s: two readings at 08:30 (one with effectivePeriod 08:30-08:35: 110/70, one effectiveDateTime: 117/64); '
             'systolic and diastolic are separate Observations -> all four are gold' % last)


def at_aspirin(R):
    items = [r for r in match_res(R, 'MedicationStatement', ['aspirin'], field='medication')]
    dated = sorted([day(r) for r in items if day(r)])
    return G([R.ref(r) for r in items], [dated[-1]],
             'still_on aspirin: %d MedicationStatements for ASPIRIN 500 mg, all status=%s; dates %s (others without date) '
             '-> record does not say whether it is still taken' % (
                 len(items), ','.join(sorted(set(r['status'] for r in items))), ', '.join(dated)), match='any')


def ips_meds_followup(word):
    def f(R):
        ms = match_res(R, 'MedicationStatement', [word], field='medication')
        assert len(ms) == 1
        r = ms[0]
        return G([R.ref(r)], [r['effectivePeriod']['start']],
                 '%s: MedicationStatement status=%s, effectivePeriod.start=%s (medicationReference -> Medication)' % (
                     word, r['status'], r['effectivePeriod']['start']))
    return f


def ips_a1c(R):
    r = obs(R, '17856-6')[-1]
    return G([R.ref(r)], [fmt(qty(r))],
             'HbA1c %s %% on %s; no referenceRange, note: "%s"' % (qty(r), day(r), r['note'][0]['text']))


def ips_blood_group(R):
    r = obs(R, '882-1')[-1]
    panel = [x for x in R.of('Observation') if any(m['reference'].endswith(r['id']) for m in x.get('hasMember', []))]
    return G([R.ref(r)] + [R.ref(p) for p in panel], [day(r)],
             'blood group: %s on %s (member of panel "Blood typing")' % (
                 r['valueCodeableConcept']['coding'][0]['display'], day(r)), match='any')


def ips_cancer(R):
    items = match_res(R, 'Condition', ['malignant', 'carcinoma', 'cancer'])
    r = items[0]
    return G([R.ref(x) for x in items], [r['onsetDateTime'][:4]],
             'yes: %s, clinicalStatus=%s, onset %s, abatement %s' % (
                 text_of(r['code']).strip()[:40], status(r), r['onsetDateTime'], r.get('abatementDateTime')), match='any')


def ips_problems(R):
    items = active_conditions(R)
    other = [r for r in R.of('Condition') if r not in items]
    return G([R.ref(r) for r in items], [],
             'active problems: %s; not active: %s' % (
                 '; '.join(text_of(r['code']).strip()[:40] for r in items),
                 '; '.join('%s (%s)' % (text_of(r['code']).strip()[:30], status(r)) for r in other)))


def med_list_meditech(R):
    reqs = [r for r in R.of('MedicationRequest') if r.get('status') == 'active']
    stm = [r for r in R.of('MedicationStatement') if r.get('status') == 'active']
    names = []
    for r in reqs:
        m = R.resolve(r['medicationReference']['reference'])
        names.append(text_of(m['code'])[:60])
    return G([R.ref(r) for r in reqs + stm], ['darbepoetin'],
             'active: MedicationRequest %s (start %s) and MedicationStatement with NDC only %s (active since %s, same dosing)' % (
                 names, reqs[0]['dispenseRequest']['validityPeriod']['start'],
                 [codes(r['medicationCodeableConcept']) for r in stm], day(stm[0])), match='any')


def meditech_flu(R):
    items = [r for r in R.of('Immunization') if 'influenza' in text_of(r.get('vaccineCode')).lower()]
    assert all(r['status'] == 'not-done' for r in items)
    return G([R.ref(r) for r in items], [day(r) for r in items],
             'no flu vaccine given: Immunization status=not-done (%s) on %s' % (
                 items[0]['statusReason']['text'], day(items[0])))


def meditech_stopped(word):
    def f(R):
        items = match_res(R, 'MedicationRequest', [word], field='medication')
        assert len(items) == 1
        r = items[0]
        vp = r['dispenseRequest']['validityPeriod']
        return G([R.ref(r)], [vp['end']],
                 '%s: MedicationRequest status=%s (%s), validity %s to %s' % (
                     word, r['status'], r.get('statusReason', {}).get('text'), vp['start'], vp['end']))
    return f


def meditech_pacemaker(R):
    p = match_res(R, 'Procedure', ['pacemaker'])
    d = [r for r in R.of('DeviceUseStatement')]
    return G([R.ref(r) for r in p + d], [day(p[0])],
             'pacemaker inserted (Procedure completed %s); active DeviceUseStatement: CRT defibrillator' % day(p[0]),
             match='any')


def lis_flu(R):
    items = [r for r in obs(R, '92142-9') + obs(R, '92141-1') if 'valueCodeableConcept' in r]
    return G([R.ref(r) for r in items], [day(items[0])],
             'influenza A and B: %s on %s (the laboratory copies hold the placeholder "{entry.value}" and are not results)' % (
                 ', '.join(r['valueCodeableConcept']['coding'][0]['display'] for r in items), day(items[0])))


def lis_covid(R):
    c = match_res(R, 'Condition', codeset={'840539006'})
    o = [r for r in obs(R, '94531-1') if 'valueCodeableConcept' in r]
    return G([R.ref(r) for r in c + o], [day(c[0])],
             'COVID-19 Condition onset %s; SARS-CoV-2 RNA %s' % (day(c[0]), o[0]['valueCodeableConcept']['coding'][0]['display']),
             match='any')


# ----------------------------------------------------------------- cases
AN, DA, EM, FI, JO = 'Annmarie_Doyle', 'Daisey_Johns', 'Emery_Purdy', 'Fidel_Bins', 'Josue_Sipes'
LA, LI, LU, LP, MA = 'Laurie_McCullough', 'Liz_Conn', 'Luigi_Wiegand', 'Lupe_Little', 'Martina_Murazik'
RE, VI = 'Renea_Quigley', 'Vito_Feeney'
IPS, AT, MED = 'IPS_IG-bundle-01', 'AT_ELGA_GmbH_01', 'US_MEDITECH_ips_2'
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

EN = [
    (AN, 'latest', [
        "Hello dear. I'm 86 and I live on my own, my daughter usually deals with all this computer business but she's away in Portugal for two weeks. My doctor keeps going on about my bad cholesterol and wanting me on a statin, and I keep saying no because my friend Doreen had terrible muscle aches on them. I'd like to know the number myself before I go back and argue with him, ha. I eat porridge every morning and hardly any butter. What was my bad cholesterol the last time they checked it?"],
     g_latest('18262-6', 'LDL cholesterol')),
    (AN, 'count', [
        "Morning. My daughter is filling in a form for the sheltered housing I'm moving into next spring and one of the questions is about vaccinations, flu in particular, and apparently they want to know how many I've had, not just whether I'm 'up to date'. Silly question if you ask me. I've had the flu jab pretty much every year at my check-up since I started going regularly again, never had a reaction apart from a sore arm. How many flu shots are on my record altogether?"],
     g_count(lambda R: imm(R, {'140'}), 'completed influenza immunizations (CVX 140), all time')),
    (AN, 'ever_had', [
        "Hello. My neighbour had shingles last winter and she said it was the worst pain of her life, she couldn't even wear a bra for weeks. She told me there's a vaccine for it now and that people my age should have it. I honestly can't remember whether I've had it or not, I get so many injections at my yearly check-up. Can you look in my file and tell me if I've ever had the shingles vaccine?"],
     g_ever('Immunization', ['zoster', 'shingles'], field='vaccineCode', label='zoster vaccine')),
    (AN, 'followup', [
        "how much did i weigh at my last check up",
        "and the year before that?"],
     g_previous('29463-7', 'body weight')),
    (DA, 'list', [
        "Hi, my daughter Daisey is starting at a new school next month and they've given me a form that asks for ALL her allergies, not just food. I know about the eggs because she came up in hives once, and I'm pretty sure there was something with fish, but she had a big allergy test done when she was tiny and I can't remember everything it showed. Could you list every allergy that's recorded for her please?"],
     g_list(active_allergies, 'active AllergyIntolerance', values=['egg', 'fish', 'bee', 'pollen'])),
    (DA, 'followup', [
        "what meds is my daughter on right now",
        "ok and the epipen, is that one still current or was it stopped?"],
     g_med(['epinephrine'], 'epinephrine auto-injector')),
    (DA, 'value_in_year', [
        "what height was my little girl measured at in 2019? trying to fill in her growth chart"],
     g_year('8302-2', 'body height', 2019)),
    (DA, 'meaning', [
        "So the school nurse asked if Daisey has a peanut allergy and I said no but now I'm second-guessing myself. Back when she was about 9 months old she had that blood test for allergies because of the egg reaction. She eats peanut butter on toast sometimes and nothing happens lol, no swelling, no rash, nothing. Her dad thinks we should just avoid peanuts to be safe but I don't want to ban stuff for no reason. What did the peanut part of that test actually say and is it normal?"],
     g_meaning('6206-7', 'peanut IgE', prec=2)),
    (EM, 'latest', [
        "ok so I've been diabetic since about 2007 and honestly I've been pretty bad at it, I don't check my sugars at home as much as I should and the numbness in my feet is a constant reminder. My new year's resolution is to actually get my numbers down and my wife has made me a spreadsheet (she's an accountant, can you tell). I need the starting point. whats my latest a1c? and the date please so she can put it in the right column"],
     g_latest('4548-4', 'HbA1c')),
    (EM, 'ever_had', [
        "I turned 50 a while back and my wife keeps nagging me about getting a colonoscopy because her dad had bowel cancer at 60. I have a vague memory of drinking that horrible prep stuff at some point and spending the whole night on the toilet, but it might have been my brother telling me about his, we're always swapping health horror stories. No symptoms by the way, no blood or anything, it's just for peace of mind. Have I actually had one? When?"],
     g_ever('Procedure', codeset={'73761001'}, label='colonoscopy')),
    (EM, 'count', [
        "how many times have I ended up in the emergency room according to my records"],
     g_count(lambda R: sorted([r for r in R.of('Encounter') if r['class'].get('code') == 'EMER'], key=when),
             'emergency encounters (class EMER)')),
    (EM, 'previous', [
        "My doc said my kidney function number looked fine at my last physical, which was a relief because with the diabetes and the blood pressure I know the kidneys can take a hit. She said something like 'it's over a hundred' but she was rushing and I didn't catch much else. I like keeping track of things like this in a notebook. I don't need the latest one, I'll get that from the portal. What was it the time before that, the one before the latest?"],
     g_previous('33914-3', 'eGFR')),
    (FI, 'still_on', [
        "quick one - am i still meant to be taking the diphenhydramine (benadryl)? i've been on it since i was a kid basically and i just keep buying it at the pharmacy. my hay fever is bad every spring and the dust mites make me sneeze all year. the pharmacist today said i shouldn't really be taking it every night long term because it can make you drowsy and foggy and theres newer ones, so now im confused. is it still on my list as a current med or did someone stop it?"],
     g_med(['diphenhydramine'], 'diphenhydramine')),
    (FI, 'last_visit', [
        "When was the last time I actually saw someone at the clinic and what was it for? I'm trying to work out if I'm due my asthma review. My inhalers are running low, I've been using the blue one a bit more than usual since the weather turned cold, maybe 3-4 times a week, no night waking though. I don't want to book the wrong kind of appointment and waste everyone's time, the receptionist gets a bit snappy."],
     g_last_enc()),
    (FI, 'not_found', [
        "I had a bad chest infection a few years back (or was it the time my asthma flared and I ended up in A&E? it all blurs) and I'm sure they sent me for a chest x-ray. I'm applying for a job offshore that needs a full medical and the form wants to know if I've ever had an abnormal chest x-ray, with the date. I'd rather not guess and get it wrong. What did my chest x-ray show?"],
     g_absent(['x-ray', 'radiograph', 'chest x', 'thoracic'], 'chest X-ray')),
    (JO, 'latest', [
        "Hi there. I'm 65, type 2 diabetic for years, and I had a stroke a couple of years ago. Last month the nurse mentioned something about my kidneys not being great and that they'd keep an eye on it. I didn't really understand what she meant and I was too embarrassed to ask. What did my most recent kidney test show?"],
     g_latest('33914-3', 'eGFR (kidney function)')),
    (JO, 'list', [
        "can you give me a list of the medicines I'm currently on? going to see a new pharmacist and want to have it written down"],
     g_list(active_meds, 'active MedicationRequest', values=['metformin', 'insulin', 'hydrochlorothiazide', 'salmeterol'])),
    (JO, 'still_on', [
        "After my stroke they put me on clopidogrel, the blood thinner. I ran out a while ago and never got a new prescription because nobody said anything, and to be honest I was glad because I was bruising like a peach. Now my son is worried because his friend's dad had a second stroke after stopping his. I feel fine, no weakness, speech normal, nothing new. Am I still supposed to be on it or did they stop it?"],
     g_med(['clopidogrel'], 'clopidogrel')),
    (JO, 'count', [
        "I feel like I do that blow-into-the-tube breathing test every time I go in. How many of those have I had in total?"],
     g_count(lambda R: match_res(R, 'Procedure', codeset={'127783003'}), 'spirometry procedures (SNOMED 127783003), all time')),
    (JO, 'meaning', [
        "my potassium from the last blood test — is that ok or is it high? had a cousin with kidney problems who had to watch his potassium and ended up on dialysis, so now I'm paranoid. I eat a banana every morning and my wife makes a lot of tomato sauce. I know my kidneys aren't perfect (diabetes for 20+ years will do that). No palpitations or anything, just want to know the number and whether I should cut back on the bananas."],
     g_meaning('6298-4', 'potassium')),
    (LA, 'still_on', [
        "I was put on Jolivette a few years back and honestly I've been a bit random with it, some months I take it every day and some months I forget for a week. My boyfriend and I are now thinking about trying for a baby next year so I'm trying to sort out what I'm actually meant to be taking. I'm also on the water tablet for my blood pressure, which I do take. Is the Jolivette still listed as one of my current medicines or was it stopped?"],
     g_med(['jolivette'], 'Jolivette (norethindrone)')),
    (LA, 'ever_had', [
        "did i get the HPV vaccine as a teen? my gyno asked and i have no clue. my mom says she signed the form at school but she also says that about everything lol. im 21 if that matters. if i didn't get it i want to know so i can get it done before i'm too old for it to be free. can you check and tell me when i had it if i did?"],
     g_ever('Immunization', codeset={'62'}, field='vaccineCode', label='HPV vaccine')),
    (LA, 'value_in_year', [
        "So I was diagnosed with high blood pressure at 18 which my friends find hilarious because I'm tiny and I run. My doctor put me on a tablet straight away. I'm trying to see whether it was already creeping up before that or if it just appeared out of nowhere, because my mum and my nan both have it and I'm curious if it's genetic. I know I had a check-up every summer as a teenager. What was my blood pressure reading in 2016?"],
     g_year('55284-4', 'blood pressure', 2016)),
    (LA, 'last_visit', [
        "when was my last appointment and what was it about?"],
     g_last_enc()),
    (LI, 'ever_had', [
        "Hi, I'm filling in a pre-op questionnaire for a totally unrelated thing (knee arthroscopy, netball injury, don't ask) and it asks about previous surgeries and any anaesthetic problems. I had my tubes tied years ago after my last baby but I can't remember the exact year, the kids were small and it's all a blur. No problems with the anaesthetic that I remember. Is it on my record, and when was it done?"],
     g_ever('Procedure', codeset={'287664005'}, label='bilateral tubal ligation')),
    (LI, 'last_visit', [
        "how long has it been since i last came in? feel like its been ages"],
     g_last_enc()),
    (LI, 'followup', [
        "when did I last have my cholesterol checked?",
        "what was the LDL in that one?"],
     g_latest('18262-6', 'LDL cholesterol')),
    (LU, 'count', [
        "My son Luigi is 5 months old and honestly it feels like he gets jabbed every time we walk into the surgery, poor thing, he screams the place down and then sleeps for 4 hours. My mum is convinced babies get too many vaccines now and that in her day it was 'just polio'. I want to show her the actual number so we can have a proper conversation instead of an argument. He's had no reactions apart from a slight temperature once. How many vaccines has he actually had so far?"],
     g_count(lambda R: imm(R), 'completed immunizations (all vaccines, each dose counted)')),
    (LU, 'followup', [
        "how long is my baby now, going by his last check?",
        "and what did he weigh at that same visit?"],
     g_latest('29463-7', 'body weight')),
    (LU, 'not_found', [
        "does my son have any allergies on his record? grandma wants to give him some mashed banana"],
     g_absent([], 'any allergy', types=('AllergyIntolerance',))),
    (LP, 'previous', [
        "They told me I'm pre-diabetic years ago and I've been cutting back on sugar ever since, well mostly, I still have a donut on Fridays. My brother just got diagnosed with full-on type 2 and it's given me a scare. I know my most recent sugar blood test from the portal, I want to see whether anything changed compared with the one before that. Whats the sugar blood test number from before my latest one?"],
     g_previous('4548-4', 'HbA1c')),
    (LP, 'list', [
        "Going to a new GP next week. What health problems are listed as current on my file? I know about the prediabetes, not sure what else is on there."],
     g_list(active_conditions, 'active Condition', values=['prediabet', 'cardiac arrest'])),
    (LP, 'not_found', [
        "My chest has been fluttering a bit when I climb stairs (it settles after a minute, no pain, no dizziness, not short of breath, I'm fine right now). I know I had that cardiac arrest as a teenager, so I'm a bit paranoid about anything heart-related. I'm sure I had an ECG done at some point since then, probably at a check-up. I want to compare before I see my doctor next week. What did my last ECG show?"],
     g_absent(['ecg', 'electrocardiogram', 'ekg'], 'ECG')),
    (MA, 'latest', [
        "My mum Martina has heart failure and the cardiologist mentioned a blood test called BNP or pro-BNP that shows how strained the heart is. I'm her carer and I keep a notebook of her results, weights and tablets because she gets muddled. Her ankles have been about the same, not more swollen, and she sleeps on two pillows like always. I just want the notebook to be complete before her next clinic. What was her latest result for that test?"],
     g_latest('33762-6', 'NT-proBNP')),
    (MA, 'still_on', [
        "am i still supposed to take the iron tablets? i've been on them since forever (since I was anaemic in my twenties!) and they make me constipated and my poo goes black which my daughter panicked about until I reminded her. now I'm on all these heart tablets as well, the metoprolol and the water tablet, and I'd love to drop one if I can. is the iron still listed as current?"],
     g_med(['ferrous'], 'ferrous sulfate')),
    (MA, 'ever_had', [
        "have I had the pneumonia vaccine? my COPD nurse says I should, especially now with the heart failure as well, and she wanted me to check before she orders one. I know I had something in the arm at my check-ups along with the flu jab but I never really know what they're giving me, I just roll up my sleeve. I'd rather not get it twice if I already had it. Can you tell me if and when?"],
     g_ever('Immunization', codeset={'133', '33'}, field='vaccineCode', label='pneumococcal vaccines (PCV13/PPSV23)')),
    (MA, 'last_visit', [
        "Writing for my mother. She was seen somewhere in December, she says they did an x-ray of her chest but she doesn't remember why. When was her last visit and what kind of visit was it?"],
     g_last_enc()),
    (MA, 'meaning', [
        "I had a heart scan (echo) last year and the letter mentioned my 'ejection fraction'. What was mine and what does that mean? Is it normal?"],
     g_meaning('10230-1', 'left ventricular ejection fraction')),
    (RE, 'count', [
        "how many colonoscopies have i had? dreading another one. my doctor mentioned at my last check-up that I might be due again and honestly I'd rather eat glass than do that prep again. I'm 63, no bleeding, no change in bowel habit, nothing, so it's just the routine screening. I want to know how many I've had and roughly how long since the last one so I can argue my case lol"],
     g_count(lambda R: match_res(R, 'Procedure', codeset={'73761001'}), 'colonoscopies')),
    (RE, 'value_in_year', [
        "I have diabetes and they started checking some urine test for protein because of my kidneys. At the last appointment they told me I now have early kidney disease from the diabetes and I'm trying to work out how long this has been going on. I keep all my results in a folder but the 2019 page is missing (the dog, long story). I want to compare. What was the urine albumin result in 2019?"],
     g_year('14959-1', 'urine microalbumin/creatinine ratio', 2019)),
    (RE, 'last_visit', [
        "Hi, my husband says I have a check-up coming but I thought I'd just been. When was my last appointment and was it a check-up or something else?"],
     g_last_enc()),
    (RE, 'previous', [
        "the kidney number from the blood test BEFORE my most recent one, what was it?"],
     g_previous('33914-3', 'eGFR')),
    (VI, 'value_in_year', [
        "I'm going through my late father's papers (Vito, he passed in 1979 from prostate cancer) because my own doctor is asking about family history and whether I should start PSA testing at 50. Dad had his PSA checked quite a few times in the seventies as far as I can tell, and his numbers seemed to jump around a lot. I'm trying to piece together the timeline. Do you have his PSA result from 1975?"],
     g_year('2857-1', 'PSA', 1975)),
    (VI, 'followup', [
        "did my dad ever have a prostate biopsy?",
        "how many altogether?"],
     g_count(lambda R: match_res(R, 'Procedure', codeset={'65575008'}), 'prostate biopsies')),
    (VI, 'list', [
        "what medications was my father still on at the end? the ones that were active"],
     g_list(active_meds, 'active MedicationRequest at death', values=['oxycodone', 'metformin', 'insulin', 'hydrochlorothiazide'])),
    (IPS, 'list', [
        "Going on holiday to Spain and I'd like to carry a little card with my allergies on it, in case something happens and I can't speak for myself. I had breast cancer a few years ago so I'm a bit more careful with everything now. I know penicillin is a big one for me. I don't think I have any food allergies but I'd like to see exactly what's on file so the card matches. What allergies do I have on file?"],
     g_list(active_allergies, 'allergies (the "No known food allergy" entry is a negation, not an allergy)', values=['penicillin'])),
    (IPS, 'followup', [
        "what medicines am i on at the moment",
        "the anastrozole — since when, and am I supposed to still be taking it?"],
     ips_meds_followup('anastrozole')),
    (IPS, 'meaning', [
        "My A1c came back at 7.5. My sister has diabetes and hers is 6-something and she says mine is 'bad'. Is 7.5 bad? What does the result say?"],
     lambda R: ips_a1c(R)),
    (IPS, 'not_found', [
        "What were my cholesterol levels the last time?"],
     g_absent(['cholesterol', 'lipid', 'ldl', 'hdl'], 'cholesterol / lipid test')),
    (AT, 'latest', [
        "what was my last blood pressure reading? the one in my summary from Austria"],
     at_bp),
    (AT, 'meaning', [
        "I got my blood results from the hospital in Vienna translated and there's one that's flagged really high, the ferritin. The translation just says 'HH' next to it. My white cells were also flagged and I've had a letter asking me to see a haematologist, which has me terrified. I'm not tired, no weight loss, eating fine. What was the ferritin and what is the normal range? Should I be worried?"],
     g_meaning('2276-4', 'ferritin')),
    (AT, 'still_on', [
        "Am I still taking aspirin according to my records? There are like five aspirin entries and it's confusing me."],
     at_aspirin),
    (AT, 'count', [
        "We're going hiking in the mountains again this summer and my husband asked if I'm covered for that tick brain infection thing. How many of those tick vaccines (FSME) have I had?"],
     g_count(lambda R: imm(R, {'J07BA01'}), 'tick-borne encephalitis (FSME, ATC J07BA01) immunizations')),
    (MED, 'list', [
        "I'm getting a new nephrologist after my transplant problems and they want my current medication list. What am I currently on?"],
     med_list_meditech),
    (MED, 'ever_had', [
        "Have I ever had a flu shot? It's flu season and I'm on immunosuppressants after my kidney transplant, so I guess I should. Last time someone offered one I think I said no because I had a fever at the time and felt awful, but I really don't remember. My new transplant nurse is pretty strict about vaccines and I want to have the facts straight before I see her on Tuesday."],
     meditech_flu),
    (MED, 'still_on', [
        "Is the ceftriaxone still active? I had IV antibiotics when I had that fever and I'm not sure if it was ever officially stopped."],
     meditech_stopped('ceftriaxone')),
    (MED, 'not_found', [
        "I've been so tired lately and I know I had anemia issues with my kidney. What was my last hemoglobin?"],
     g_absent(['hemoglobin', 'haemoglobin', 'hgb'], 'hemoglobin result', types=('Observation', 'DiagnosticReport'))),
    (LIS, 'meaning', [
        "My daughter was really poorly with covid in Feb 2020 and they put a mask on her at the clinic. I remember the nurse looking worried at the finger clip thing. What was her oxygen reading and is that low?"],
     g_meaning('59408-5', 'oxygen saturation', prec=0)),
    (LIS, 'latest', [
        "what was my kid's temperature at her last visit"],
     g_latest('8331-1', 'oral temperature')),
    (LIS, 'not_found', [
        "What medicines does Lisandra take? Filling in a summer camp form."],
     g_absent([], 'any medication', types=('MedicationRequest', 'MedicationStatement', 'Medication',
                                              'MedicationAdministration', 'MedicationDispense'))),
]


def g_last_er_with_reason(R):
    encs = sorted([r for r in R.of('Encounter') if r['class'].get('code') == 'EMER'], key=when)
    last = encs[-1]
    conds = [c for c in R.of('Condition') if day(c) == day(last)]
    return G([R.ref(last)] + [R.ref(c) for c in conds], [day(last)],
             'last emergency encounter %s; condition(s) starting that day: %s' % (
                 day(last), ', '.join(text_of(c['code']).strip()[:40] for c in conds)), match='any' if conds else 'all')


def enc_in_year(year):
    return lambda R: sorted([r for r in R.of('Encounter') if day(r).startswith(str(year))], key=when)


FR = [
    (AN, 'last_visit', [
        "Bonjour, c'est quand mon dernier rendez-vous et c'était pour quoi ? Je ne me souviens plus du tout, à mon âge ça part vite."],
     g_last_enc()),
    (AN, 'meaning', [
        "Mon médecin m'a dit que mon « bon cholestérol » était correct mais je voudrais le chiffre. Ma voisine a le sien à 0,45 et elle en fait tout un plat, alors je voudrais comparer, c'est bête mais bon, on s'occupe comme on peut. Je mange du poisson deux fois par semaine et je marche tous les jours jusqu'à la boulangerie. C'était combien la dernière fois le HDL, et c'est normal pour une femme de 86 ans ?"],
     g_meaning('2085-9', 'HDL cholesterol')),
    (AN, 'still_on', [
        "J'avais eu une angine avec un streptocoque il y a des années et on m'avait donné de la pénicilline en comprimés (Penicillin V). Il m'en reste une boîte dans l'armoire de la salle de bain. Là j'ai un peu mal à la gorge depuis hier, pas de fièvre, j'avale bien, et ma fille me dit surtout de ne rien prendre sans demander. Est-ce que ce traitement est toujours noté comme en cours dans mon dossier ou il a été arrêté ?"],
     g_med(['penicillin'], 'penicillin V')),
    (AN, 'not_found', [
        "je suis tout le temps fatiguée et frileuse depuis cet hiver, je mets deux pulls dans la maison alors que le chauffage est à 21. ma fille pense que c'est la thyroïde parce que sa belle-mère avait la même chose et elle prend du Levothyrox maintenant. moi je pense que c'est l'âge, 86 ans ça pèse. avant de prendre rendez-vous avec mon médecin traitant je voudrais savoir : c'était quoi le résultat de ma dernière TSH ?"],
     g_absent(['tsh', 'thyroid', 'thyrotropin', 'thyroxine'], 'thyroid test (TSH/T4)')),
    (DA, 'latest', [
        "elle pesait combien ma fille à la dernière visite ? le pédiatre l'a pesée mais j'ai oublié de noter dans le carnet de santé. elle mange comme un oiseau en ce moment, elle trie tout dans son assiette, et sa grand-mère trouve qu'elle a maigri. moi je la trouve pareille mais bon. elle a 5 ans et demi, elle est en forme, elle court partout, pas de fièvre. je voudrais juste comparer avec la balance de la maison"],
     g_latest('29463-7', 'body weight')),
    (DA, 'count', [
        "Bonjour, je remplis le dossier d'inscription à l'école de ma fille Daisey et ils demandent les dates des vaccins ROR (rougeole-oreillons-rubéole). Le carnet de santé est chez son père cette semaine, on est séparés et c'est compliqué de le récupérer. Je sais qu'elle a eu des piqûres vers un an et avant sa rentrée en grande section, mais je ne sais plus lesquelles. Vous pouvez me dire combien de doses de ROR elle a eues en tout ?"],
     g_count(lambda R: imm(R, {'03'}), 'MMR doses (CVX 03)')),
    (DA, 'last_visit', [
        "c'était quand son dernier rdv chez le médecin, à la petite ?"],
     g_last_enc()),
    (DA, 'followup', [
        "On lui a fait une prise de sang (une numération) l'année dernière je crois, c'était quand exactement ?",
        "et son taux d'hémoglobine, il était à combien ?"],
     g_latest('718-7', 'hemoglobin')),
    (EM, 'still_on', [
        "Je prends toujours l'hydrochlorothiazide le matin pour la tension, le pharmacien me le renouvelle sans rien dire. Mais à mon dernier bilan ma tension était encore haute et mon fils, qui est infirmier, me dit que c'est bizarre qu'on ne m'ait rien changé depuis des années. Je me demande si le traitement a été arrêté ou remplacé sans que je le sache, ou si c'est moi qui ai mal compris. Est-ce que c'est bien toujours un traitement actif sur mon dossier ?"],
     g_med(['hydrochlorothiazide'], 'hydrochlorothiazide')),
    (EM, 'ever_had', [
        "Mon beau-frère vient d'avoir un zona et il a morflé, il a encore des douleurs trois mois après. Ça m'a fait peur. Mon médecin traitant m'avait parlé d'un vaccin contre le zona il y a quelques années, je crois que je l'ai fait mais je ne suis pas sûr du tout, je mélange avec le vaccin de la grippe. Est-ce que j'ai été vacciné contre le zona, et quand ?"],
     g_ever('Immunization', codeset={'121'}, field='vaccineCode', label='zoster vaccine')),
    (EM, 'value_in_year', [
        "ma tension en 2016 c'était combien ? je veux comparer avec mon tensiomètre. je viens d'acheter un appareil au bras chez le pharmacien et je prends ma tension matin et soir depuis une semaine, ça tourne autour de 16/10 ce qui me semble beaucoup. pas de mal de tête ni rien, je me sens bien. je voudrais voir si c'était déjà comme ça il y a quelques années ou si ça a grimpé"],
     g_year('55284-4', 'blood pressure', 2016)),
    (EM, 'count', [
        "J'ai l'impression d'être allé chez le médecin tout le temps en 2018. Entre la sinusite qui n'en finissait pas, le bilan annuel, les prises de sang pour le diabète et les papiers pour le travail, j'ai passé mon hiver en salle d'attente, ou du moins c'est ce qu'il me semble. Je fais le point pour ma mutuelle qui me demande un récapitulatif des consultations de l'année. Combien de consultations j'ai eues cette année-là ?"],
     g_count(enc_in_year(2018), 'encounters in 2018')),
    (EM, 'list', [
        "Je vais voir un nouveau médecin traitant le mois prochain (le mien part à la retraite). Je voudrais arriver avec la liste de mes problèmes de santé actuels. Je sais qu'il y a le diabète et la tension, mais il me semble qu'on m'avait aussi parlé de nerfs abîmés dans les pieds, d'anémie... Vous pouvez me faire la liste de ce qui est noté comme actif ?"],
     g_list(active_conditions, 'active Condition', values=['hypertension', 'diab', 'neuropath'])),
    (FI, 'list', [
        "je pars en colo avec des ados cet été comme animateur et on me demande toutes mes allergies pour la fiche sanitaire. je sais que je suis allergique à plein de trucs depuis tout petit (poussière, poils de chat, les pollens au printemps, je pleure comme une madeleine) mais je me rappelle jamais de la liste complète et je voudrais pas oublier un truc important genre un aliment. vous pouvez me la donner ?"],
     g_list(active_allergies, 'active AllergyIntolerance', values=['latex'])),
    (FI, 'count', [
        "Combien de fois je suis allé aux urgences pour mon asthme ? L'assurance me pose la question pour un prêt immobilier et évidemment ils veulent tout savoir, les hospitalisations, les urgences, le nombre de crises... Je me souviens d'une fois où j'étais vraiment mal, je n'arrivais plus à finir mes phrases, mais je ne sais plus si c'était une ou deux fois. Je veux répondre honnêtement sans en rajouter."],
     g_count(lambda R: sorted([r for r in R.of('Encounter') if r['class'].get('code') == 'EMER'], key=when),
             'emergency encounters (class EMER)', extra_values=('2019-01-23',))),
    (FI, 'value_in_year', [
        "mon mauvais cholestérol (LDL) en 2015, il était à combien ?"],
     g_year('18262-6', 'LDL cholesterol', 2015)),
    (FI, 'count', [
        "Je pars en Inde pour le boulot en septembre (trois semaines à Bangalore puis Delhi) et le centre de vaccinations internationales me demande si mon vaccin hépatite A est complet. Il faut deux doses normalement, avec au moins six mois d'écart. Je me souviens d'une injection à un bilan mais pas de la deuxième. Je n'ai pas mon carnet, il est chez mes parents à Lyon. J'en ai eu combien d'après mon dossier ?"],
     g_count(lambda R: imm(R, {'52', '83'}), 'hepatitis A doses')),
    (JO, 'latest', [
        "Bonjour. Je suis diabétique, j'ai fait un AVC il y a deux ans et mon cardiologue veut que mon cholestérol soit bien bas. Je prends ma metformine et mon insuline, je fais attention au fromage, enfin j'essaie, on est en Savoie quand même. J'ai fait une prise de sang le mois dernier mais je n'ai pas eu le temps de passer récupérer les résultats au labo. C'était combien mon cholestérol total ?"],
     g_latest('2093-3', 'total cholesterol')),
    (JO, 'value_in_year', [
        "mes hémoglobines glyquées en 2019, ça donnait quoi ?"],
     g_year('4548-4', 'HbA1c', 2019)),
    (JO, 'ever_had', [
        "Ma femme dit que j'ai fait un AVC mais moi je me souviens juste d'avoir été hospitalisé parce que je parlais bizarrement et que ma main droite ne voulait plus tenir la fourchette. Ça s'est arrangé en quelques jours. Maintenant l'assurance de la voiture me demande si j'ai des antécédents neurologiques et je ne veux pas mentir. C'est noté comme un AVC dans mon dossier ? C'était quand ?"],
     g_ever('Condition', codeset={'230690007'}, label='stroke')),
    (JO, 'last_visit', [
        "c'était quand la dernière fois que j'ai vu quelqu'un au cabinet ?"],
     g_last_enc()),
    (JO, 'followup', [
        "ma créatinine, elle était à combien la dernière fois ?",
        "et en 2019, on me l'a dosée combien de fois ?"],
     g_count(lambda R: [r for r in obs(R, '38483-4') if day(r).startswith('2019')], 'creatinine results in 2019')),
    (LA, 'list', [
        "Je dois envoyer mon carnet de vaccination pour mon stage à l'hôpital (je suis étudiante infirmière) mais je l'ai perdu pendant mon déménagement, évidemment. L'école exige le DTP et l'hépatite B, et ils demandent aussi la grippe et tout le reste. Je me souviens de la grippe presque tous les ans et d'un vaccin au collège, mais c'est tout. Quels vaccins j'ai eus d'après mon dossier ?"],
     g_list(lambda R: imm(R), 'completed immunizations', values=['HPV'], match='any')),
    (LA, 'meaning', [
        "On m'a fait une prise de sang pour les reins un an après avoir commencé le traitement pour la tension, à 19 ans, ce qui m'a paru un peu jeune pour tout ça. J'ai regardé sur internet et le DFG normal c'est au-dessus de 90 apparemment, alors je m'inquiète un peu. Je ne bois pas beaucoup d'eau, c'est vrai. Le DFG était à combien ? C'est normal à mon âge ?"],
     g_meaning('33914-3', 'eGFR')),
    (LA, 'not_found', [
        "c'était quand mon dernier frottis ? la sage-femme me demande"],
     g_absent(['pap', 'cervical', 'cytolog', 'smear', 'hpv test', 'papanicolaou'], 'cervical smear', types=(
         'Observation', 'Procedure', 'DiagnosticReport'))),
    (LI, 'still_on', [
        "mon traitement pour la tension, il est toujours en cours ou pas ? j'ai arrêté de le prendre cet été parce que j'allais bien, je n'avais plus de maux de tête et j'en avais marre d'aller aux toilettes toutes les heures. ma sœur qui est aide-soignante m'a engueulée en disant qu'on n'arrête pas ça comme ça. du coup je voudrais savoir si c'est toujours noté comme un traitement en cours. j'espère que c'était pas une bêtise"],
     g_med(['hydrochlorothiazide'], 'hydrochlorothiazide')),
    (LI, 'value_in_year', [
        "J'ai pris pas mal de poids ces dernières années, surtout depuis que je suis en télétravail, et je voudrais voir l'évolution. Ma médecin m'a parlé de mon IMC au dernier rendez-vous et ça m'a vexée, je l'avoue. Je me suis inscrite à la piscine et j'essaie de faire attention. Pour me motiver j'aimerais avoir les chiffres d'avant. Combien je pesais en 2015 ?"],
     g_year('29463-7', 'body weight', 2015)),
    (LI, 'not_found', [
        "Tout le monde autour de moi prend de la vitamine D l'hiver, ma collègue prend des ampoules tous les trois mois et elle dit que ça a changé sa vie. Moi je suis fatiguée en ce moment mais je travaille beaucoup, et je dors mal. Avant d'aller à la pharmacie en acheter, je voudrais savoir où j'en suis. C'était quoi mon taux de vitamine D à ma dernière prise de sang ?"],
     g_absent(['vitamin d', 'calcidiol', 'hydroxyvitamin', '25-oh'], 'vitamin D level')),
    (LU, 'last_visit', [
        "Bonjour, c'était quand le dernier rendez-vous de mon fils Luigi ? Je dois le noter dans le carnet de santé et je ne retrouve plus le papier."],
     g_last_enc()),
    (LU, 'followup', [
        "il pesait combien à la naissance mon bébé ?",
        "et au dernier rdv ?"],
     g_latest('29463-7', 'body weight')),
    (LU, 'still_on', [
        "On nous avait dit à la maternité de lui donner des gouttes de vitamine D tous les jours. Ça fait cinq mois et j'avoue que j'oublie une fois sur deux, entre les biberons et les nuits blanches. Mon conjoint dit qu'on peut arrêter puisqu'il est en bonne santé et qu'il prend du lait infantile enrichi. Le pédiatre n'en a pas reparlé au dernier rendez-vous. Est-ce qu'il doit toujours les prendre d'après son dossier ?"],
     g_med(['vitamin d', 'cholecalciferol', 'colecalciferol', 'ergocalciferol'], 'vitamin D drops')),
    (LP, 'meaning', [
        "Ma glycémie de la dernière prise de sang, c'était combien ? On m'a dit que j'étais prédiabétique il y a des années et depuis j'ai fait pas mal d'efforts : plus de sodas, du vélo le week-end, j'ai même arrêté le sucre dans le café. J'ai l'impression qu'elle était plutôt basse cette fois, le labo avait mis un petit astérisque je crois. C'est normal ?"],
     g_meaning('2339-0', 'glucose')),
    (LP, 'value_in_year', [
        "cholesterol total en 2013 ?"],
     g_year('2093-3', 'total cholesterol', 2013)),
    (LP, 'count', [
        "Combien de vaccins contre la grippe j'ai faits depuis 2015 ? Mon employeur organise une campagne et ils veulent savoir si on est à jour."],
     g_count(lambda R: [r for r in imm(R, {'140'}) if day(r) >= '2015-01-01'], 'flu vaccines since 2015')),
    (LP, 'still_on', [
        "Après mon arrêt cardiaque quand j'étais ado, je crois qu'on m'avait mis sous aspirine. Je suis toujours censé en prendre ? Je n'en prends plus depuis des années à vrai dire, je ne sais même plus pourquoi j'ai arrêté. Je vais bien, je fais du sport, pas de douleur dans la poitrine, rien. Mais mon cousin cardiologue m'a regardé avec de gros yeux quand je lui ai raconté ça au mariage de ma sœur."],
     g_med(['aspirin', 'acetylsalicyl'], 'aspirin')),
    (MA, 'list', [
        "Bonjour, j'écris pour ma mère Martina, 67 ans, insuffisante cardiaque. Elle doit être hospitalisée la semaine prochaine pour un examen et l'infirmière veut la liste exacte de ses médicaments actuels. Depuis juin elle a des nouveaux comprimés pour le cœur et un diurétique, en plus de ses inhalateurs pour la BPCO. Elle a un pilulier mais elle mélange un peu tout. Vous pouvez me donner ce qui est prescrit en ce moment ?"],
     g_list(active_meds, 'active MedicationRequest', values=['Lasix', 'fluticasone'])),
    (MA, 'count', [
        "combien de spirométries j'ai faites en tout ? j'en ai marre de souffler dans ce tube"],
     g_count(lambda R: match_res(R, 'Procedure', codeset={'127783003'}), 'spirometry procedures')),
    (MA, 'previous', [
        "Pour ma BPCO, on me mesure le rapport VEMS/CVF à chaque fois que je vais au bilan, je souffle dans le tube jusqu'à devenir toute rouge. J'ai arrêté de fumer il y a longtemps et je voudrais savoir si ça continue de baisser ou si ça s'est stabilisé. Je connais le dernier chiffre, le pneumologue me l'a dit, mais c'était combien celui d'avant ?"],
     g_previous('19926-5', 'FEV1/FVC')),
    (MA, 'not_found', [
        "Ma fille me dit qu'à mon âge il faut faire une coloscopie. Je croyais l'avoir déjà faite. Ça avait donné quoi ma coloscopie ?"],
     g_absent(['colonoscop', 'coloscop', 'sigmoidoscop'], 'colonoscopy')),
    (RE, 'latest', [
        "Depuis qu'on m'a mise sous insuline je surveille tout, j'ai un petit carnet, je pique mon doigt matin et soir et le lecteur affiche entre 1,10 et 1,60. L'infirmière à domicile m'a dit de comparer avec les prises de sang du labo parce que le lecteur n'est pas toujours juste. Je n'ai pas eu de malaise, pas de sueurs. Ma glycémie de la dernière prise de sang, elle était à combien ?"],
     g_latest('2339-0', 'glucose')),
    (RE, 'ever_had', [
        "je me suis tordu la cheville il y a quelques temps (en descendant du bus, la honte) et je me suis brûlée aussi l'an dernier avec la plaque de cuisson, mais est-ce que j'ai déjà eu une fracture ? la kiné me demande parce qu'elle veut savoir si j'ai les os fragiles avant de me faire faire des exercices. j'ai 63 ans et ma mère avait de l'ostéoporose"],
     g_absent(['fracture'], 'any fracture')),
    (RE, 'last_visit', [
        "C'était quand la dernière fois que je suis passée aux urgences, et c'était pour quoi déjà ?"],
     g_last_er_with_reason),
    (RE, 'followup', [
        "ma dernière hémoglobine glyquée ?",
        "et en 2017 ?"],
     g_year('4548-4', 'HbA1c', 2017)),
    (VI, 'followup', [
        "Bonjour, mon père Vito est décédé en 1979. Mon gastro me demande s'il y avait des antécédents et s'il avait eu des coloscopies. Il en a eu ?",
        "et la dernière, elle remonte à quand ?"],
     g_ever('Procedure', codeset={'73761001'}, label='last colonoscopy', all_dates=False)),
    (VI, 'last_visit', [
        "quand est-ce que papa avait eu son dernier bilan de contrôle avant son décès ?"],
     g_last_enc(pred=lambda r: '185349003' in codes((r.get('type') or [{}])[0]), label='check-up encounter')),
    (VI, 'not_found', [
        "Mon père avait un cancer de la prostate avec des métastases, il est décédé en novembre 1979. J'étais jeune à l'époque et on ne m'expliquait pas grand-chose. Je me souviens qu'il avait très mal et qu'il prenait des médicaments contre la douleur. Aujourd'hui mon frère vient d'avoir un diagnostic de cancer de la prostate lui aussi et on se pose plein de questions. Je me suis toujours demandé s'il avait eu de la chimiothérapie à la fin. Est-ce que c'est noté quelque part ?"],
     g_absent(['chemotherapy', 'chimioth', 'antineoplastic', 'docetaxel', 'cyclophosphamide'], 'chemotherapy')),
    (IPS, 'latest', [
        "c'est quoi mon groupe sanguin déjà ? je veux donner mon sang"],
     ips_blood_group),
    (IPS, 'ever_had', [
        "Je remplis un questionnaire pour une mutuelle et ils demandent si j'ai déjà eu un cancer, avec la date et si je suis en rémission. J'ai eu un cancer du sein il y a quelques années, traité, et je prends toujours un comprimé tous les jours pour éviter la récidive. Je ne veux pas me tromper dans les dates parce qu'avec le droit à l'oubli ça compte apparemment. Qu'est-ce qui est marqué dans mon dossier ?"],
     ips_cancer),
    (IPS, 'list', [
        "Quels sont mes problèmes de santé actuels dans mon dossier ? J'ai l'impression qu'il y a des choses anciennes mélangées avec des choses récentes."],
     ips_problems),
    (IPS, 'followup', [
        "qu'est-ce que je prends comme traitement en ce moment ?",
        "et le cohosh noir (l'actée à grappes noire), c'est depuis quand ?"],
     ips_meds_followup('cohosh')),
    (AT, 'meaning', [
        "Sur mes résultats de l'hôpital de Vienne, l'INR est à 1,1 avec un L à côté, donc bas apparemment. Je ne prends aucun anticoagulant, juste de l'aspirine de temps en temps pour la tête. J'ai lu sur un forum qu'un INR bas voulait dire que le sang coagule trop et qu'on risque une phlébite, et depuis je regarde mes mollets tous les soirs. C'est grave d'avoir un INR bas ? Quelle est la norme indiquée ?"],
     g_meaning('6301-6', 'INR')),
    (AT, 'latest', [
        "Bonjour, j'ai des palpitations de temps en temps et je me demandais si ça pouvait venir de la thyroïde. Ma TSH, elle était à combien au dernier bilan ?"],
     g_latest_p('3016-3', 'TSH', None)),
    (AT, 'meaning', [
        "Il y a une ligne « Masern AK » sur mes analyses, c'est bien la rougeole ? Qu'est-ce que le chiffre veut dire, je suis protégée ou pas ? Ma petite-fille n'est pas encore vaccinée et je la garde souvent."],
     g_meaning('7961-6', 'measles IgG antibodies')),
    (MED, 'list', [
        "je fais une réaction à quels antibiotiques déjà ? j'ai eu de l'urticaire une fois"],
     g_list(active_allergies, 'active AllergyIntolerance', values=['ampicillin'])),
    (MED, 'ever_had', [
        "Je dois passer une IRM pour mon dos et la secrétaire me demande si j'ai un pacemaker ou un appareil cardiaque. Je sais qu'on m'a posé quelque chose au cœur il y a longtemps. C'est noté où, et quand est-ce que ça a été posé ?"],
     meditech_pacemaker),
    (MED, 'still_on', [
        "Le paracétamol 500 qu'on m'avait prescrit quand j'avais de la fièvre, je dois toujours le prendre ?"],
     meditech_stopped('acetaminophen')),
    (LIS, 'ever_had', [
        "ma fille a eu le covid ? je suis pas sûre qu'on ait eu le résultat du test à l'époque, c'était au tout début de l'épidémie"],
     lis_covid),
    (LIS, 'meaning', [
        "Quand ma fille était très malade en février 2020, ils lui ont fait un test pour plein de virus, dont la grippe. Le test de la grippe, il était positif ou négatif ?"],
     lis_flu),
    (LIS, 'latest', [
        "Bonjour, la pédiatre me demande le dernier poids connu de Lisandra pour calculer une dose. C'était combien ?"],
     g_latest('29463-7', 'body weight')),
    (LIS, 'not_found', [
        "est-ce que ma fille a des allergies notées dans son dossier ?"],
     g_absent([], 'any allergy', types=('AllergyIntolerance',))),
]


# ----------------------------------------------------------------- main
def build():
    out = []
    for lang, cases in (('en', EN), ('fr', FR)):
        for i, (patient, kind, turns, fn) in enumerate(cases, 1):
            g = fn(rec(patient))
            row = {'id': 'rb2-%s-%03d' % (lang, i), 'lang': lang, 'patient': patient, 'kind': kind,
                   'turns': turns}
            row.update(g)
            out.append(row)
    return out


GOLD_FIELDS = ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')


def main():
    rows = build()
    if '--check' in sys.argv:
        with open(OUT, encoding='utf-8') as fh:
            have = [json.loads(l) for l in fh if l.strip()]
        bad = 0
        if len(have) != len(rows):
            print('count mismatch: file %d, computed %d' % (len(have), len(rows)))
            bad += 1
        byid = {r['id']: r for r in have}
        for r in rows:
            h = byid.get(r['id'])
            if h is None:
                print('missing', r['id'])
                bad += 1
                continue
            for k in ('lang', 'patient', 'kind', 'turns') + GOLD_FIELDS:
                if h.get(k) != r[k]:
                    print('%s: field %s differs: file=%r computed=%r' % (r['id'], k, h.get(k), r[k]))
                    bad += 1
        # sanity: refs must resolve inside the record
        for r in rows:
            R = rec(r['patient'])
            for ref in r['gold_refs']:
                ok = any(fu == ref or ('%s/%s' % (x['resourceType'], x.get('id')) == ref) for fu, x in R.entries)
                if not ok:
                    print('%s: unresolved ref %s' % (r['id'], ref))
                    bad += 1
            if r['expect_not_found'] and r['gold_refs']:
                print('%s: not-found case with refs' % r['id'])
                bad += 1
            if not r['expect_not_found'] and not r['gold_refs']:
                print('%s: case without refs' % r['id'])
                bad += 1
        print('check %s: %d cases, %d problem(s)' % ('PASSED' if not bad else 'FAILED', len(rows), bad))
        sys.exit(1 if bad else 0)
    with open(OUT, 'w', encoding='utf-8') as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + '\n')
    print('wrote %d cases to %s' % (len(rows), OUT))


if __name__ == '__main__':
    main()
