#!/usr/bin/env python3
"""Blind record-question set rb1: case texts + gold computed from the FHIR files.

Python standard library only. Running this script re-creates cases.jsonl next to it
(gold_refs, match, gold_values, expect_not_found, note are all computed here from the
record files; nothing is typed in by hand except the question texts and the query spec).

    python3 gold.py            # (re)write cases.jsonl
    python3 gold.py --check    # recompute and compare with the existing cases.jsonl

Number formatting in gold_values: the record value rounded to the number of decimals a
person would quote for that test (nd, given per case), trailing zeros stripped; the raw
value is always in the note. Dates are YYYY-MM-DD (or the partial date as recorded).
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.join(HERE, 'cases.jsonl')


# ----------------------------------------------------------------------------- loading
def patient_files():
    m = {}
    for f in sorted(glob.glob(os.path.join(SYN, '*.json'))):
        stem = os.path.basename(f)[:-5]
        m['_'.join(stem.split('_')[:2])] = f
    for f in sorted(glob.glob(os.path.join(RW, '*.json'))):
        m[os.path.basename(f)[:-5]] = f
    return m


class Rec:
    def __init__(self, path):
        self.b = json.load(open(path, encoding='utf-8'))
        self.items = []
        for e in self.b.get('entry', []):
            r = e.get('resource')
            if not r:
                continue
            rt = r['resourceType']
            ref = f"{rt}/{r['id']}" if r.get('id') else e.get('fullUrl')
            self.items.append((ref, r, e.get('fullUrl')))
        self.refs = [x[0] for x in self.items]

    def of(self, *types):
        return [(ref, r) for ref, r, _ in self.items if r['resourceType'] in types]

    def resolve(self, reference):
        for ref, r, full in self.items:
            if ref == reference or full == reference:
                return r
        if reference and '/' in reference:  # "Medication/<id>" against an absolute fullUrl
            for ref, r, full in self.items:
                if full and full.endswith('/' + reference):
                    return r
        return None


_CACHE = {}


def rec(patient):
    if patient not in _CACHE:
        _CACHE[patient] = Rec(patient_files()[patient])
    return _CACHE[patient]


# ----------------------------------------------------------------------------- helpers
def cdate(r):
    keys = {'Observation': ['effectiveDateTime', 'effectivePeriod', 'effectiveInstant'],
            'Encounter': ['period'],
            'Procedure': ['performedDateTime', 'performedPeriod'],
            'Immunization': ['occurrenceDateTime'],
            'Condition': ['onsetDateTime', 'recordedDate'],
            'MedicationRequest': ['authoredOn'],
            'MedicationStatement': ['effectiveDateTime', 'effectivePeriod', 'dateAsserted'],
            'AllergyIntolerance': ['onsetDateTime', 'recordedDate'],
            'DiagnosticReport': ['effectiveDateTime', 'effectivePeriod'],
            'Device': [], }.get(r['resourceType'], [])
    for k in keys:
        v = r.get(k)
        if isinstance(v, dict):
            v = v.get('start')
        if v:
            return v
    return ''


def day(r):
    return cdate(r)[:10]


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def alltext(cc):
    if not cc:
        return ''
    s = [cc.get('text', '') or '']
    for c in cc.get('coding', []):
        s += [c.get('display', '') or '', c.get('code', '') or '']
    return ' | '.join(s)


def label(r):
    for k in ('code', 'vaccineCode', 'type', 'medicationCodeableConcept'):
        v = r.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        if v:
            t = alltext(v).strip(' |')
            if t:
                return t.split(' | ')[0] if ' | ' in t else t
    return r['resourceType']


def status(r):
    s = r.get('clinicalStatus') or r.get('status')
    if isinstance(s, dict):
        return ','.join(codes(s)) or s.get('text', '')
    return s or ''


def fmt(v, nd, strip=True):
    s = f"{v:.{nd}f}"
    if strip and '.' in s:
        s = s.rstrip('0').rstrip('.')
    return s


def qv(o, comp=None):
    if comp:
        for c in o.get('component', []):
            if comp in codes(c['code']):
                return (c.get('valueQuantity') or {}).get('value')
        return None
    return (o.get('valueQuantity') or {}).get('value')


def unit(o):
    return (o.get('valueQuantity') or {}).get('unit', '')


def out(refs, values, note, match=None, nf=False):
    if match is None:
        match = 'all'
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}


# ----------------------------------------------------------------------------- observations
def _obs(r, code, dispre=None, numeric=True):
    sel = []
    for ref, o in r.of('Observation'):
        if code not in codes(o.get('code')):
            continue
        if dispre and not re.search(dispre, alltext(o['code']), re.I):
            continue
        if numeric and qv(o) is None:
            continue
        sel.append((ref, o))
    assert sel, f'no Observation {code}'
    return sel


def _days(sel):
    return sorted({day(o) for _, o in sel})


def _obs_on(sel, d, nd, code, why, rng=False, strip=True):
    hit = [(ref, o) for ref, o in sel if day(o) == d]
    vals = [d] + [fmt(qv(o), nd, strip) for _, o in hit]
    raw = ', '.join(f"{qv(o)} {unit(o)}" for _, o in hit)
    note = f"{why}: Observation LOINC {code} on {d} -> {raw}"
    if len(hit) > 1:
        note += f" ({len(hit)} results on the same date, all gold)"
    if rng:
        for _, o in hit:
            for rr in o.get('referenceRange', []):
                lo = (rr.get('low') or {}).get('value')
                hi = (rr.get('high') or {}).get('value')
                if lo is not None:
                    vals.append(fmt(lo, 3))
                if hi is not None:
                    vals.append(fmt(hi, 3))
                note += f"; reference range {lo}-{hi}"
            interp = [','.join(codes(i)) for i in o.get('interpretation', [])]
            if interp:
                note += f"; interpretation {'/'.join(interp)}"
            if not o.get('referenceRange'):
                note += '; no reference range recorded'
            for n in o.get('note', []):
                note += f"; note: {n.get('text')}"
    return out([ref for ref, _ in hit], list(dict.fromkeys(vals)), note)


def obs_latest(p, code, nd, dispre=None, rng=False, strip=True):
    sel = _obs(rec(p), code, dispre)
    return _obs_on(sel, _days(sel)[-1], nd, code, 'latest by clinical date', rng, strip)


def obs_prev(p, code, nd, dispre=None):
    sel = _obs(rec(p), code, dispre)
    return _obs_on(sel, _days(sel)[-2], nd, code, 'the one before the latest (second-latest date)')


def obs_year(p, code, year, nd, dispre=None):
    sel = [(ref, o) for ref, o in _obs(rec(p), code, dispre) if day(o).startswith(str(year))]
    assert sel
    ds = _days(sel)
    refs, vals, notes = [], [], []
    for d in ds:
        g = _obs_on(sel, d, nd, code, f'in {year}')
        refs += g['gold_refs']
        vals += g['gold_values']
        notes.append(g['note'])
    return out(refs, list(dict.fromkeys(vals)), ' | '.join(notes))


def obs_coded_latest(p, code, extra_refs=()):
    r = rec(p)
    sel = _obs(r, code, numeric=False)
    d = _days(sel)[-1]
    hit = [(ref, o) for ref, o in sel if day(o) == d]
    for x in extra_refs:
        assert x in r.refs
    vals = [d]
    note = f"latest Observation {code} on {d}: " + '; '.join(
        alltext(o.get('valueCodeableConcept')).strip(' |') or str(o.get('valueString'))
        + ''.join(f" (note: {n['text']})" for n in o.get('note', [])) for _, o in hit)
    return out([ref for ref, _ in hit] + list(extra_refs), vals, note,
               match='all' if not extra_refs else 'any')


# ----------------------------------------------------------------------------- blood pressure
def _bp(r):
    by = {}
    for ref, o in r.of('Observation'):
        cs = codes(o.get('code'))
        if '55284-4' in cs or '85354-9' in cs:
            s, d = qv(o, '8480-6'), qv(o, '8462-4')
            by.setdefault(day(o), []).append((ref, s, d))
        elif '8480-6' in cs:
            by.setdefault(day(o), []).append((ref, qv(o), None))
        elif '8462-4' in cs:
            by.setdefault(day(o), []).append((ref, None, qv(o)))
    assert by
    return by


def _bp_on(by, d, why):
    hit = by[d]
    vals = [d]
    raw = []
    for ref, s, di in hit:
        if s is not None:
            vals.append(fmt(s, 0))
        if di is not None:
            vals.append(fmt(di, 0))
        raw.append(f"{ref.split('/')[-1][:8]} sys={s} dia={di}")
    note = f"{why}: blood pressure on {d} ({len(hit)} Observation(s)): " + '; '.join(raw)
    return out([ref for ref, _, _ in hit], list(dict.fromkeys(vals)), note)


def bp_latest(p):
    by = _bp(rec(p))
    return _bp_on(by, sorted(by)[-1], 'latest by clinical date')


def bp_year(p, year):
    by = _bp(rec(p))
    ds = [d for d in sorted(by) if d.startswith(str(year))]
    assert ds
    refs, vals, notes = [], [], []
    for d in ds:
        g = _bp_on(by, d, f'in {year}')
        refs += g['gold_refs']
        vals += g['gold_values']
        notes.append(g['note'])
    return out(refs, list(dict.fromkeys(vals)), ' | '.join(notes))


# ----------------------------------------------------------------------------- selection / counting
def _select(r, types, codeset=None, rx=None, year=None, completed_only=True):
    sel = []
    for ref, o in r.of(*types):
        txt = ' | '.join(alltext(o.get(k)) for k in ('code', 'vaccineCode'))
        if o['resourceType'] == 'Encounter':
            txt = ' | '.join(alltext(t) for t in o.get('type', []))
        cs = set(codes(o.get('code'))) | set(codes(o.get('vaccineCode')))
        if o['resourceType'] == 'Encounter':
            for t in o.get('type', []):
                cs |= set(codes(t))
        ok = (codeset and cs & set(codeset)) or (rx and re.search(rx, txt, re.I))
        if not ok:
            continue
        if year and not day(o).startswith(str(year)):
            continue
        if completed_only and o['resourceType'] in ('Immunization', 'Procedure') \
                and o.get('status') in ('not-done', 'entered-in-error'):
            continue
        sel.append((ref, o))
    sel.sort(key=lambda x: cdate(x[1]))
    return sel


def count(p, types, codeset=None, rx=None, year=None, what=''):
    sel = _select(rec(p), types, codeset, rx, year)
    n = len(sel)
    note = (f"count of {what or '/'.join(types)}{' in ' + str(year) if year else ' (all time)'}"
            f" = {n}: " + ', '.join(day(o) for _, o in sel))
    return out([ref for ref, _ in sel], [str(n)], note, match='all' if n <= 5 else 'any')


def nth_latest(p, types, codeset=None, rx=None, k=1, what=''):
    sel = _select(rec(p), types, codeset, rx)
    ds = sorted({day(o) for _, o in sel})
    d = ds[-k]
    hit = [(ref, o) for ref, o in sel if day(o) == d]
    note = (f"{'latest' if k == 1 else 'one before the latest'} {what or '/'.join(types)}: {d} "
            f"({len(sel)} in total on " + ', '.join(ds) + ')')
    return out([ref for ref, _ in hit], [d], note)


def ever(p, types, codeset=None, rx=None, what='', extra_refs=(), values=None):
    r = rec(p)
    sel = _select(r, types, codeset, rx)
    assert sel, f'ever(): nothing for {what}'
    for x in extra_refs:
        assert x in r.refs
    ds = sorted({day(o) for _, o in sel})
    vals = ds if len(ds) <= 3 else [ds[0], ds[-1]]
    if values is not None:
        vals = values
    note = f"YES - {what}: " + '; '.join(
        f"{label(o)} {day(o)} status={status(o)}" for _, o in sel)
    refs = [ref for ref, _ in sel] + list(extra_refs)
    return out(refs, vals, note, match='all' if len(refs) <= 3 and not extra_refs else 'any')


# ----------------------------------------------------------------------------- not found
def _searchable(r):
    for ref, o, _ in r.items:
        parts = []
        for k in ('code', 'vaccineCode', 'medicationCodeableConcept', 'valueCodeableConcept'):
            parts.append(alltext(o.get(k)))
        for t in o.get('type', []) if isinstance(o.get('type'), list) else []:
            parts.append(alltext(t))
        mr = (o.get('medicationReference') or {}).get('reference')
        if mr:
            m = r.resolve(mr)
            if m:
                parts.append(alltext(m.get('code')))
        yield ref, o, ' | '.join(parts)


def absent(p, rx, types=None, what=''):
    r = rec(p)
    for ref, o, txt in _searchable(r):
        if types and o['resourceType'] not in types:
            continue
        if re.search(rx, txt, re.I):
            raise AssertionError(f'absent(): found {ref} for {what}: {txt[:120]}')
    scope = '/'.join(types) if types else 'all resources'
    return out([], [], f"NOT IN RECORD - {what}: no match for /{rx}/ in {scope}", nf=True)


def none_of(p, types, what=''):
    r = rec(p)
    assert not r.of(*types), f'none_of(): {types} present'
    return out([], [], f"NOT IN RECORD - {what}: bundle has no {'/'.join(types)} resource", nf=True)


# ----------------------------------------------------------------------------- medicines
def _meds(r):
    res = []
    for ref, o in r.of('MedicationRequest', 'MedicationStatement'):
        name = alltext(o.get('medicationCodeableConcept'))
        mr = (o.get('medicationReference') or {}).get('reference')
        if mr:
            m = r.resolve(mr)
            name += ' | ' + (alltext(m.get('code')) if m else '') + ' | ' + \
                (o['medicationReference'].get('display') or '')
        res.append((ref, o, name))
    return res


def med_start(o):
    for di in o.get('dosageInstruction', []):
        s = (((di.get('timing') or {}).get('repeat') or {}).get('boundsPeriod') or {}).get('start')
        if s:
            return s
    return cdate(o)


def med_end(o):
    for di in o.get('dosageInstruction', []):
        e = (((di.get('timing') or {}).get('repeat') or {}).get('boundsPeriod') or {}).get('end')
        if e:
            return e
    ep = o.get('effectivePeriod') or {}
    return ep.get('end', '')


def still_on(p, rx, extra_refs=(), with_values=True):
    r = rec(p)
    sel = [(ref, o, n) for ref, o, n in _meds(r) if re.search(rx, n, re.I)]
    assert sel, f'still_on(): no med /{rx}/'
    for x in extra_refs:
        assert x in r.refs
    sel.sort(key=lambda x: med_start(x[1]))
    latest = sel[-1][1]
    vals = []
    if with_values:
        vals = [med_start(latest)[:10]]
        if med_end(latest):
            vals.append(med_end(latest)[:10])
    note = 'medicine entries: ' + '; '.join(
        f"{ref.split('/')[0]} {n.strip(' |').split(' | ')[0]} status={o.get('status')} "
        f"start={med_start(o)[:10] or 'unknown'} end={med_end(o)[:10] or '-'}" for ref, o, n in sel)
    refs = [ref for ref, _, _ in sel] + list(extra_refs)
    return out(refs, vals, note, match='all' if len(refs) <= 3 and not extra_refs else 'any')


def active_meds(p, names):
    r = rec(p)
    sel = [(ref, o, n) for ref, o, n in _meds(r) if o.get('status') == 'active']
    assert sel
    for nm in names:
        assert any(nm.lower() in n.lower() for _, _, n in sel), nm
    note = 'active medicines (status=active): ' + '; '.join(
        f"{n.strip(' |').split(' | ')[0]} (since {med_start(o)[:10]})" for _, o, n in sel)
    stopped = [n.strip(' |').split(' | ')[0] for _, o, n in _meds(r) if o.get('status') != 'active']
    if stopped:
        note += ' | not included (not active): ' + '; '.join(stopped)
    return out([ref for ref, _, _ in sel], list(names), note)


# ----------------------------------------------------------------------------- lists
def allergies(p, names=()):
    r = rec(p)
    sel, skipped = [], []
    for ref, o in r.of('AllergyIntolerance'):
        t = alltext(o.get('code'))
        if re.search(r'no known|keine bekannt', t, re.I) or \
                (set(codes(o.get('code'))) & {'716186003', '429625007', '409137002', '428607008'}):
            skipped.append(t.strip(' |'))
            continue
        if 'refuted' in codes(o.get('verificationStatus')) or \
                'entered-in-error' in codes(o.get('verificationStatus')):
            skipped.append(t)
            continue
        sel.append((ref, o))
    assert sel
    for nm in names:
        assert any(nm.lower() in alltext(o.get('code')).lower() for _, o in sel), nm
    note = 'allergies: ' + '; '.join(alltext(o['code']).strip(' |').split(' | ')[0] for _, o in sel)
    if skipped:
        note += ' | excluded (negation, not an allergy): ' + '; '.join(skipped)
    return out([ref for ref, _ in sel], list(names), note)


def conditions(p, active_only=True, category=None, names=()):
    r = rec(p)
    sel = []
    for ref, o in r.of('Condition'):
        if active_only and status(o) not in ('active', 'recurrence', 'relapse'):
            continue
        if category and not any(category in codes(c) for c in o.get('category', [])):
            continue
        sel.append((ref, o))
    sel.sort(key=lambda x: cdate(x[1]))
    for nm in names:
        assert any(nm.lower() in alltext(o.get('code')).lower() for _, o in sel), nm
    note = ('active ' if active_only else '') + 'conditions' + \
        (f' (category {category})' if category else '') + ': ' + '; '.join(
            f"{label(o)} (onset {cdate(o)[:10] or '?'}, status {status(o) or 'none'})" for _, o in sel)
    return out([ref for ref, _ in sel], list(names), note)


# ----------------------------------------------------------------------------- encounters
def last_visit(p, typerx=None):
    r = rec(p)
    sel = [(ref, o) for ref, o in r.of('Encounter')
           if not typerx or re.search(typerx, ' '.join(alltext(t) for t in o.get('type', [])), re.I)]
    d = max(day(o) for _, o in sel)
    hit = [(ref, o) for ref, o in sel if day(o) == d]
    note = f"latest Encounter{' matching /' + typerx + '/' if typerx else ''} by period.start: {d}: " + \
        '; '.join(f"{label(o)} class={o.get('class', {}).get('code')} reason="
                  f"{alltext((o.get('reasonCode') or [None])[0]).strip(' |').split(' | ')[0] or '-'}"
                  for _, o in hit)
    return out([ref for ref, _ in hit], [d], note)


# ============================================================================= the cases
# Each case: (lang, patient, kind, turns, spec, extra_note). spec is a zero-arg callable
# that computes the gold for the LAST turn.
J, V, R, E, M = 'Josue_Sipes', 'Vito_Feeney', 'Renea_Quigley', 'Emery_Purdy', 'Martina_Murazik'
D, A, F, L, U = 'Daisey_Johns', 'Annmarie_Doyle', 'Fidel_Bins', 'Laurie_McCullough', 'Lupe_Little'
Z, G = 'Liz_Conn', 'Luigi_Wiegand'
IPS, AT, MT = 'IPS_IG-bundle-01', 'AT_ELGA_GmbH_01', 'US_MEDITECH_ips_2'
LS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

FLU = ['140', '141', '150', '155', '158', '166', '88', '135', '153', '171', '185', '197', '205']

CASES = [
    # ------------------------------------------------------------------ Josue_Sipes
    ('en', J, 'latest',
     ["hey so my wife keeps nagging me about my cholesterol ever since my brother had his bypass last month "
      "(he's 2 yrs younger than me, scared the hell out of all of us). im already on the metformin and the "
      "insulin and the water pill and honestly I don't want yet another pill if I can avoid it. can you tell "
      "me what my most recent cholesterol number was? just the total one, not all the HDL LDL stuff, she "
      "wants to compare it to his"],
     lambda: obs_latest(J, '2093-3', 0),
     'Total cholesterol; the record has two lipid panels on the latest date.'),
    ('fr', J, 'count',
     ["Bonjour, avec ma BPCO on me fait souffler dans le tube à chaque fois que je viens au cabinet, j'en "
      "peux plus lol. Ma fille, qui est infirmière, dit que c'est normal de surveiller, mais moi j'ai "
      "l'impression qu'on me le fait à chaque visite pour rien. Vous pouvez me dire combien de fois en tout "
      "j'ai fait ce test du souffle depuis le début ? Juste le nombre, ça m'ira."],
     lambda: count(J, ['Procedure'], codeset=['127783003'], what='spirometry Procedures (SNOMED 127783003)'),
     ''),
    ('en', J, 'still_on',
     ["ok so this is confusing me. after my stroke a couple years back they had me on clopidogrel, the "
      "little blood thinner pill, and I kept taking it for a while. then I ran out during the lockdown and "
      "kind of never got it refilled?? I feel fine, no new symptoms, but my daughter is freaking out saying "
      "I'm supposed to be on it for life. am i still supposed to be taking the clopidogrel or did they take "
      "me off it at some point"],
     lambda: still_on(J, 'clopidogrel'),
     'Gold: stopped (status stopped), prescribed 2019-01-26.'),
    ('fr', J, 'ever_had',
     ["Mon pharmacien m'a proposé le vaccin contre la pneumonie la semaine dernière quand je suis passé "
      "chercher mon insuline, il dit qu'avec mon diabète et mes poumons c'est recommandé. Sauf que j'ai "
      "l'impression qu'on me l'a déjà fait au cabinet, mais je suis plus sûr du tout, j'ai 65 ans et la "
      "mémoire c'est plus ça 😅 Ma femme dit que non. Est-ce que c'est noté dans mon dossier que je l'ai "
      "eu, et si oui quand ?"],
     lambda: ever(J, ['Immunization'], codeset=['33', '133', '109', '152', '215', '216'],
                  what='pneumococcal vaccine'),
     ''),
    ('en', J, 'last_visit',
     ["I'm trying to sort out my calendar because between the lung rehab, the diabetes stuff and the kidney "
      "doctor I genuinely lose track of what's what. My son is going to drive me to everything from now on "
      "and he asked me when I was last in, and I couldn't even answer him lol. When was my last "
      "appointment, and what was it for? Just the most recent one please."],
     lambda: last_visit(J), ''),
    ('fr', J, 'list',
     ["Je dois remplir le dossier pour ma nouvelle mutuelle (l'ancienne a encore augmenté ses tarifs, merci "
      "bien) et ils veulent la liste de tous mes traitements en cours, avec les noms exacts. J'ai eu pas mal "
      "de trucs différents ces dernières années, notamment après mon AVC, et je m'y perds un peu. Vous "
      "pouvez me donner la liste de ce que je prends actuellement svp ?"],
     lambda: active_meds(J, ['hydrochlorothiazide', 'metformin', 'insulin', 'fluticasone']),
     'Clopidogrel and alteplase are stopped and must not be listed as current.'),
    ('en', J, 'value_in_year',
     ["what was my a1c back in 2016?"],
     lambda: obs_year(J, '4548-4', 2016, 1), ''),
    ('fr', J, 'not_found',
     ["Mon frère vient de se faire opérer de la prostate et son urologue lui a dit que les frères devaient "
      "faire contrôler leur PSA, rapport à l'hérédité. J'ai 65 ans, je pensais qu'on me l'avait déjà fait "
      "dans une de mes prises de sang avec le cholestérol et le sucre, vu que j'en fais tout le temps, mais "
      "j'en suis pas certain. C'était combien mon dernier PSA ?"],
     lambda: absent(J, r'2857-1|prostate specific|\bPSA\b', ['Observation', 'DiagnosticReport'],
                    what='PSA test'),
     ''),
    ('en', J, 'followup',
     ["how many flu jabs have i had on record?", "ok and when was the most recent one"],
     lambda: nth_latest(J, ['Immunization'], codeset=FLU, what='influenza Immunization'), ''),
    ('fr', J, 'meaning',
     ["Le néphrologue m'a parlé de ma créatinine la dernière fois mais j'ai pas tout compris, il parlait "
      "vite et j'avais oublié mes lunettes pour lire la feuille. Avec mon diabète il dit qu'il faut "
      "surveiller les reins. Elle est à combien sur ma dernière prise de sang ? C'est normal ou pas ? Ma "
      "femme pense que ça a monté mais elle confond peut-être avec le sucre."],
     lambda: obs_latest(J, '38483-4', 2, rng=True),
     'Two creatinine results on the latest date; no reference range in the record.'),

    # ------------------------------------------------------------------ Vito_Feeney (deceased 1979)
    ('en', V, 'latest',
     ["My dad passed away in 1979 from prostate cancer and I'm going through his old records because my "
      "own doctor wants to know the family history. I'm 52 now. Can you tell me what his last PSA number "
      "was before he died? I honestly didn't even know they did that test back then, some of the dates "
      "in here look weird to me."],
     lambda: obs_latest(V, '2857-1', 2), ''),
    ('fr', V, 'count',
     ["Bonjour, mon gastro m'a demandé les antécédents familiaux avant de programmer ma coloscopie, et "
      "comme mon père est décédé en 1979 j'ai récupéré l'accès à son dossier. Il est mort d'un cancer de la "
      "prostate, pas du côlon, mais le gastro veut savoir s'il avait été exploré de ce côté-là. Combien de "
      "coloscopies mon père a eues, et quand ?"],
     lambda: count(V, ['Procedure'], codeset=['73761001'], what='colonoscopy Procedures'), ''),
    ('en', V, 'ever_had',
     ["did my father ever have a biopsy of his prostate?"],
     lambda: ever(V, ['Procedure'], codeset=['65575008'], what='prostate biopsy'), ''),
    ('fr', V, 'value_in_year',
     ["Le PSA de mon père en 1973, il était à combien ?"],
     lambda: obs_year(V, '2857-1', 1973, 2), ''),
    ('en', V, 'followup',
     ["what was dad's psa in 1975", "and the one before that?"],
     lambda: obs_prev_before(V, '2857-1', '1975', 2), ''),
    ('fr', V, 'list',
     ["Je reconstitue l'histoire médicale de mon père pour mes enfants, il est décédé en 1979 et à l'époque "
      "personne ne nous expliquait rien. Je me souviens qu'il avait des piqûres, je crois que c'était de "
      "l'insuline, et des comprimés pour la douleur vers la fin. Mon propre médecin veut savoir s'il était "
      "diabétique comme moi. Quels médicaments prenait-il à la fin de sa vie d'après son dossier ?"],
     lambda: active_meds(V, ['insulin', 'metformin', 'hydrochlorothiazide', 'oxycodone']),
     'Synthea leaves these MedicationRequests active up to the death date.'),
    ('en', V, 'ever_had',
     ["Did my dad ever get a shingles vaccine?"],
     lambda: absent(V, r'zoster|shingles|\b121\b|\b187\b', ['Immunization'], what='shingles vaccine'),
     'Honest NO.'),
    ('fr', V, 'meaning',
     ["Je lis le dossier de papa et je tombe sur plusieurs biopsies de la prostate faites à quelques années "
      "d'écart. Les premières je crois que c'était rien, il nous avait dit que tout allait bien, mais pour "
      "celle de novembre 1977 je comprends pas ce qui est écrit. Ça voulait dire quoi ce résultat ? C'est à "
      "ce moment-là qu'ils ont trouvé le cancer ?"],
     lambda: with_extra(obs_coded_latest(V, '46288-7'),
                        ever(V, ['Condition'], codeset=['126906006'], what='prostate neoplasm')),
     'Biopsy result abnormal on 1977-11-07, same day as the Condition "Neoplasm of prostate".'),
    ('en', V, 'last_visit',
     ["when was his last regular check-up with the doctor?"],
     lambda: last_visit(V, r'check up'),
     'Last encounter of type check-up (the later one is a death certification).'),

    # ------------------------------------------------------------------ Renea_Quigley
    ('fr', R, 'latest',
     ["Bonsoir, j'ai pris ma tension à la pharmacie ce matin, l'appareil a affiché 16/10 et la pharmacienne "
      "m'a dit d'en parler à mon médecin sans trop tarder. Je voudrais comparer avec ce qu'ils avaient "
      "mesuré au cabinet la dernière fois, vous avez ça ? Je prends toujours mon hydrochlorothiazide tous "
      "les matins hein, je l'oublie jamais, donc je comprends pas pourquoi elle reste haute."],
     lambda: bp_latest(R), ''),
    ('en', R, 'count',
     ["how many colonoscopies have i had so far? my gastro office sent a reminder postcard saying I'm "
      "'overdue' but I swear I just had one, and the prep is so miserable I'm not doing it a day earlier "
      "than I have to lol. my mom had polyps so I know I'm on a shorter schedule than most people. can you "
      "count them up for me?"],
     lambda: count(R, ['Procedure'], codeset=['73761001'], what='colonoscopy Procedures'), ''),
    ('en', R, 'still_on',
     ["So I twisted my ankle pretty bad a while ago and they gave me ibuprofen, and before that after the "
      "car accident too I think. Now my hip is acting up again and I found a half bottle in the bathroom "
      "cabinet. Am I still meant to be on the ibuprofen or was that stopped? I don't want to double up "
      "with the naproxen."],
     lambda: still_on(R, 'ibuprofen'), 'Both ibuprofen prescriptions are stopped.'),
    ('en', R, 'meaning',
     ["is my creatinine ok? they said something about my kidneys at the last visit and I honestly didn't "
      "really follow, the doctor was running behind and talking super fast. I know I have diabetes and "
      "they mentioned the kidneys being 'affected', which sounds scary. What was my creatinine on the last "
      "blood work and is that a normal number or not?"],
     lambda: obs_latest(R, '38483-4', 1, rng=True, strip=False),
     'Two creatinine results on the latest date (two metabolic panels).'),
    ('fr', R, 'last_visit',
     ["C'était quand mon dernier rdv au cabinet et c'était pour quoi déjà ?"],
     lambda: last_visit(R), ''),
    ('fr', R, 'value_in_year',
     ["ma tension en 2019 c'était combien ?"],
     lambda: bp_year(R, 2019), ''),
    ('fr', R, 'value_in_year',
     ["Mon mauvais cholestérol, il était à combien en 2019 ?"],
     lambda: obs_year(R, '18262-6', 2019, 0), 'LDL cholesterol.'),
    ('en', R, 'not_found',
     ["I've been so tired lately and my hair is coming out in clumps in the shower. My sister has "
      "hashimotos and she said I should get my thyroid checked. Before I book anything, has my thyroid "
      "ever been tested? like a TSH or whatever it's called. I get my bloods done every year at my "
      "physical so maybe it was already in there?"],
     lambda: absent(R, r'3016-3|3024-7|3026-2|3053-6|3051-0|thyro|\bTSH\b|\bT4\b|\bT3\b',
                    ['Observation', 'DiagnosticReport'], what='thyroid test'), ''),

    # ------------------------------------------------------------------ Emery_Purdy
    ('en', E, 'latest',
     ["My neighbour is on dialysis and it's got me paranoid about my own kidneys since I have diabetes too. "
      "I know they do a blood test every year that estimates how well the kidneys are filtering, the GFR "
      "thing. I don't need the whole panel explained, I just want to know the latest number and when it "
      "was done, so I can keep an eye on it myself going forward."],
     lambda: obs_latest(E, '33914-3', 0), ''),
    ('fr', E, 'ever_had',
     ["J'ai 54 ans et ma femme me répète depuis des mois qu'à partir de 50 ans il faut faire le dépistage du "
      "cancer du côlon, elle a reçu le kit par la poste pour elle. Moi j'ai rien reçu, et je me demande si "
      "c'est parce que j'ai déjà eu une coloscopie il y a quelques années. J'ai un vague souvenir d'une "
      "préparation horrible. Est-ce que j'ai déjà eu une coloscopie ?"],
     lambda: ever(E, ['Procedure'], codeset=['73761001'], what='colonoscopy'), ''),
    ('en', E, 'followup',
     ["did I ever get the shingles shot?", "how many doses did I get in total?"],
     lambda: count(E, ['Immunization'], codeset=['121', '187'], what='zoster Immunizations'), ''),
    ('fr', E, 'count',
     ["J'ai eu combien de vaccins contre la grippe en tout ?"],
     lambda: count(E, ['Immunization'], codeset=FLU, what='influenza Immunizations'), ''),
    ('en', E, 'previous',
     ["My diabetes nurse says my A1c hasn't budged and I'm honestly kind of annoyed because I've really been "
      "trying. Cut out soda completely, walking after dinner most nights, even switched to the brown rice "
      "my wife buys. Can you tell me what it was the time before the latest one? I want to see if she's "
      "right that it's exactly the same number, because it sure doesn't feel that way."],
     lambda: obs_prev(E, '4548-4', 1), ''),
    ('fr', E, 'still_on',
     ["Est-ce que je suis toujours sous naproxène ? On me l'avait donné pour le cou il me semble, après mon "
      "accident de voiture, le fameux coup du lapin. J'ai encore une boîte entamée dans la salle de bain "
      "et j'ai mal au dos depuis le week-end (déménagement chez mon fils). Je me demande si je peux en "
      "reprendre ou si ça avait été arrêté."],
     lambda: still_on(E, 'naproxen'), 'Gold: stopped.'),
    ('en', E, 'list',
     ["Seeing a new doctor tomorrow because my old one retired, and the clinic sent me a form asking for "
      "every medication I currently take with the dose. I had a few things over the years for my neck, a "
      "cough, a sprained wrist, but I think most of that was short term. Can you list all the meds I'm "
      "currently on according to my record? Just the current ones, not stuff from years ago."],
     lambda: active_meds(E, ['hydrochlorothiazide']),
     'Only one active medicine; naproxen, acetaminophen and the cough syrup are stopped.'),
    ('fr', E, 'last_visit',
     ["mon dernier rendez-vous c'était quand ?"],
     lambda: last_visit(E), ''),
    ('en', E, 'meaning',
     ["Got a letter about my urine test, the microalbumin creatinine ratio or something like that. I have "
      "diabetes and high blood pressure so I guess they check my kidneys through the pee now. What was the "
      "latest number and is that a normal result? The letter didn't say anything at all, just 'results "
      "attached', so I'm hoping no news is good news. My wife says I should call but the line is always "
      "busy."],
     lambda: obs_latest(E, '14959-1', 1, rng=True), ''),
    ('fr', E, 'followup',
     ["C'était combien mon cholestérol total en 2018 ?", "Et en 2016 ?"],
     lambda: obs_year(E, '2093-3', 2016, 0), ''),

    # ------------------------------------------------------------------ Martina_Murazik
    ('en', M, 'latest',
     ["I've had heart failure since last year and I'm seeing the cardiologist again next week. He talks "
      "about the 'ejection fraction' every single time and I nod along but I never remember the number "
      "afterwards, and I'm too embarrassed to ask him again. What was it on my last echo? My daughter wants "
      "to write it in her little notebook for me so we can see if it goes up or down."],
     lambda: obs_latest(M, '10230-1', 0), 'Two LVEF values recorded on the same echo date.'),
    ('fr', M, 'count',
     ["combien de spiros j'ai faites depuis que j'ai ma bronchite chronique ?"],
     lambda: count(M, ['Procedure'], codeset=['127783003'], what='spirometry Procedures'), ''),
    ('en', M, 'still_on',
     ["am i still on the water tablet? the lasix"],
     lambda: still_on(M, 'lasix|furosemide'), 'Gold: active.'),
    ('fr', M, 'list',
     ["Bonjour, je pars chez ma fille à Montréal pour un mois et je veux être sûre d'emporter tout ce qu'il "
      "faut. Le pharmacien m'a dit de faire une liste de tous mes médicaments actuels au cas où je serais "
      "hospitalisée là-bas. Vous pouvez me donner cette liste avec les doses ? J'ai peur d'en oublier un, "
      "entre le cœur et les poumons ça commence à faire beaucoup."],
     lambda: active_meds(M, ['metoprolol', 'fluticasone']), 'Four active medicines.'),
    ('en', M, 'last_visit',
     ["When was I last seen and what for?"],
     lambda: last_visit(M), ''),
    ('fr', M, 'meaning',
     ["Sur mon dernier test de souffle il y a écrit un rapport FEV1/FVC avec un pourcentage. Je suis "
      "essoufflée en montant l'escalier depuis un moment mais je mettais ça sur le compte du cœur. J'ai "
      "pourtant arrêté de fumer il y a longtemps. C'est combien ce chiffre sur le dernier test, et est-ce "
      "que c'est grave docteur ? 😬 Mon pneumologue est en vacances jusqu'au mois prochain."],
     lambda: obs_latest(M, '19926-5', 0, rng=True), ''),
    ('en', M, 'not_found',
     ["I'm 67 and I realised I can't remember when I last had a mammogram. My friend from church was just "
      "diagnosed with breast cancer and it scared me. I always go for my yearly physical so I assumed "
      "they were doing it, but now I'm not so sure. Does my record show when my last mammogram was and "
      "what it said?"],
     lambda: absent(M, r'mammo|breast', what='mammogram'), ''),
    ('fr', M, 'followup',
     ["Mon dernier vaccin contre la pneumonie, c'était quand ?", "Et celui d'avant ?"],
     lambda: nth_latest(M, ['Immunization'], codeset=['33', '133', '109', '152', '215', '216'], k=2,
                        what='pneumococcal Immunization'), ''),
    ('fr', M, 'value_in_year',
     ["Mon bon cholestérol, le HDL, il était à combien en 2015 ?"],
     lambda: obs_year(M, '2085-9', 2015, 0), ''),

    # ------------------------------------------------------------------ Daisey_Johns (child)
    ('en', D, 'list',
     ["My daughter starts kindergarten in the fall and the school nurse wants a full list of her allergies "
      "for the emergency form. I know about the bee stings because that's why she has the EpiPen, and "
      "eggs, but I feel like there were a bunch more from that allergy blood test when she was a baby. "
      "Can you list everything that's in her chart?"],
     lambda: allergies(D, ['bee', 'egg', 'fish']), ''),
    ('fr', D, 'still_on',
     ["L'auto-injecteur d'adrénaline de ma fille, il est toujours sur ses prescriptions en cours ? La "
      "pharmacie me dit qu'il faut une nouvelle ordonnance pour le renouveler et celui qu'on a dans le sac "
      "de l'école périme le mois prochain. Elle est allergique aux piqûres d'abeille, donc c'est pas le "
      "moment d'être sans, avec l'été qui arrive. Je peux juste montrer l'ancienne ou il faut reprendre "
      "rendez-vous ?"],
     lambda: still_on(D, 'epinephrine'), 'Gold: active.'),
    ('en', D, 'count',
     ["ok random question. I'm making a baby book for Daisey (very late, she's 5 now, mom guilt lol) and I "
      "wanted a page about her first year. I swear she got poked at every single appointment in 2015, my "
      "husband thinks I'm exaggerating. How many vaccines did she actually get in 2015? Just the number is "
      "fine, I don't need all the names."],
     lambda: count(D, ['Immunization'], rx='.', year=2015, what='Immunizations'), ''),
    ('fr', D, 'followup',
     ["Ma fille a-t-elle eu le ROR ?", "Et la deuxième dose, c'était quand ?"],
     lambda: nth_latest(D, ['Immunization'], codeset=['03', '94'], what='MMR Immunization'), ''),
    ('en', D, 'meaning',
     ["When Daisey was about 9 months old they did an allergy blood panel because of her eczema and the egg "
      "thing. We've avoided peanuts completely ever since just in case, but my mother in law keeps giving "
      "her peanut butter crackers behind my back (!!) and honestly she seems totally fine, no hives no "
      "nothing. What did the peanut result actually say on that blood test? Was it positive?"],
     lambda: obs_latest(D, '6206-7', 2, rng=True),
     'Peanut IgE; peanut is not among the recorded allergies.'),
    ('fr', D, 'last_visit',
     ["C'était quand la dernière fois qu'on a vu le médecin pour Daisey ?"],
     lambda: last_visit(D), ''),
    ('en', D, 'previous',
     ["what did she weigh at the checkup before her last one?"],
     lambda: obs_prev(D, '29463-7', 1), ''),
    ('fr', D, 'not_found',
     ["Bonjour, Daisey a eu de la fièvre et le nez qui coule en décembre 2020, on l'a emmenée au cabinet et "
      "je me souviens plus de ce qu'ils ont dit exactement. L'école nous avait demandé un test covid à "
      "l'époque et je ne sais plus si on l'avait fait là-bas ou à la pharmacie. Est-ce qu'on lui a fait un "
      "test covid à ce moment-là ? C'était positif ?"],
     lambda: absent(D, r'SARS|COVID|coronavirus|94531-1|94500-6', what='COVID test'), ''),

    # ------------------------------------------------------------------ Annmarie_Doyle (elderly)
    ('fr', A, 'latest',
     ["Bonjour, je suis la fille de Mme Doyle, j'ai accès à son dossier. Maman a 86 ans et le médecin parle "
      "de lui donner une statine pour le cholestérol, mais elle déteste prendre des cachets et franchement, "
      "à son âge, je me pose la question aussi. Avant d'en rediscuter avec lui, j'aimerais savoir : c'était "
      "combien son dernier cholestérol ?"],
     lambda: obs_latest(A, '2093-3', 0), ''),
    ('en', A, 'count',
     ["how many flu shots has mum had in total according to this?"],
     lambda: count(A, ['Immunization'], codeset=FLU, what='influenza Immunizations'), ''),
    ('en', A, 'ever_had',
     ["My mother is 86 and she's moving into assisted living next month. The facility wants proof of her "
      "pneumonia vaccine before she can move in, plus the usual TB paperwork. I've been scrolling through "
      "the app for ages and I can see loads of flu shots, one every year it looks like, but I can't find "
      "the pneumonia one anywhere. Did she ever actually have it or am I just missing it somewhere?"],
     lambda: absent(A, r'pneumo|\b33\b|\b133\b|\b109\b|\b152\b', ['Immunization'],
                    what='pneumococcal vaccine'), 'Honest NO.'),
    ('fr', A, 'still_on',
     ["Est-ce que maman prend encore la pénicilline qu'on lui avait donnée pour sa gorge ? Je fais le tri "
      "dans son armoire à pharmacie avant son entrée en résidence et je trouve des boîtes de tout et "
      "n'importe quoi, certaines ont plus de dix ans. Je voudrais savoir ce qui est encore prescrit et ce "
      "que je peux rapporter à la pharmacie."],
     lambda: still_on(A, 'penicillin'), 'Gold: stopped.'),
    ('en', A, 'last_visit',
     ["When was her last doctor visit?"],
     lambda: last_visit(A), ''),
    ('fr', A, 'previous',
     ["Le LDL de maman, pas le dernier mais celui d'avant, c'était combien ?"],
     lambda: obs_prev(A, '18262-6', 0), ''),
    ('en', A, 'list',
     ["what health problems are listed as current for her?"],
     lambda: conditions(A, names=['sinusitis', 'obesity']),
     'Active Conditions as recorded (includes the 1951 miscarriage, which the record keeps active).'),
    ('fr', A, 'followup',
     ["Elle pesait combien à sa visite de 2020 ?", "Et en 2015 ?"],
     lambda: obs_year(A, '29463-7', 2015, 1), ''),

    # ------------------------------------------------------------------ Fidel_Bins
    ('fr', F, 'list',
     ["Je vais voir un nouvel allergologue la semaine prochaine, ça fait des années que je traîne mon asthme "
      "et mes éternuements et mon médecin pense qu'on pourrait tenter une désensibilisation. La secrétaire "
      "m'a dit d'apporter la liste de toutes mes allergies enregistrées. Vous pouvez me la donner ? Je sais "
      "pour les acariens et les chats, mais il y en a d'autres je crois."],
     lambda: allergies(F, ['latex']), ''),
    ('en', F, 'value_in_year',
     ["what was my cholesterol in 2015?"],
     lambda: obs_year(F, '2093-3', 2015, 0), ''),
    ('en', F, 'count',
     ["My insurance is asking how often I see the doctor specifically for my asthma, because they want to "
      "enrol me in some kind of disease management program with a nurse who calls you every month (sounds "
      "annoying tbh). How many asthma follow-up appointments have I had in total? Not counting the ER trip "
      "when I couldn't breathe, just the regular asthma reviews where they check my inhaler technique and "
      "all that."],
     lambda: count(F, ['Encounter'], rx=r'asthma follow-up', what='Encounters of type Asthma follow-up'),
     ''),
    ('en', F, 'still_on',
     ["is my albuterol inhaler still an active prescription? I'm down to the last few puffs and my pharmacy "
      "says they need a current script on file. I mostly use it when I mow the lawn or when the pollen is "
      "bad, and I use the orange steroid one every day like I'm supposed to. I'd rather not book a whole "
      "appointment just to get a refill if it's still valid."],
     lambda: still_on(F, 'albuterol'), 'Gold: active.'),
    ('fr', F, 'last_visit',
     ["c quand mon dernier rdv ?"],
     lambda: last_visit(F), ''),
    ('en', F, 'not_found',
     ["has my vitamin d ever been checked?"],
     lambda: absent(F, r'vitamin d|calcidiol|1989-3|62292-8|25-hydroxy', what='vitamin D test'), ''),
    ('fr', F, 'meaning',
     ["En relisant mes prises de sang je vois que mes plaquettes ont beaucoup bougé d'une fois sur l'autre, "
      "d'après ce que je comprends du tableau. Elles sont à combien sur la dernière et est-ce que c'est "
      "normal ? Je m'inquiète un peu, mon père a eu un problème de sang à peu près à mon âge et on n'a "
      "jamais vraiment su ce que c'était."],
     lambda: obs_latest(F, '777-3', 0, rng=True), ''),
    ('fr', F, 'value_in_year',
     ["mon hémoglobine en 2017 c'était combien ?"],
     lambda: obs_year(F, '718-7', 2017, 1), ''),

    # ------------------------------------------------------------------ Laurie_McCullough
    ('en', L, 'latest',
     ["I'm 21 and got told I have high blood pressure a while back, which is honestly still insane to me, "
      "I'm not even overweight. They started me on a tiny dose of hydrochlorothiazide. I bought a home monitor off "
      "Amazon and I'm getting around 135/88 in the evenings after work. What was it at my last checkup at "
      "the office, so I can compare? Trying to figure out if the pills are doing anything."],
     lambda: bp_latest(L), ''),
    ('en', L, 'still_on',
     ["am i still on the jolivette pill or did that get stopped"],
     lambda: still_on(L, 'jolivette'), 'Gold: stopped.'),
    ('fr', L, 'count',
     ["J'ai eu combien d'angines en tout d'après mon dossier ? J'ai l'impression d'en attraper une tous les "
      "hivers, et ma copine de fac s'est fait retirer les amygdales l'an dernier, elle dit que ça a changé "
      "sa vie. Je me demande si ça vaut le coup de voir un ORL, mais je veux d'abord savoir si c'est "
      "vraiment si fréquent ou si j'exagère."],
     lambda: count(L, ['Condition'], codeset=['43878008', '195662009'],
                   what='sore-throat Conditions (streptococcal sore throat + acute viral pharyngitis)'), ''),
    ('en', L, 'ever_had',
     ["My college is doing a health requirements check and there's a line about the HPV vaccine. My mom "
      "says I definitely had it as a kid because she remembers me crying about my arm, but she can't "
      "remember if I finished all the shots or only got one or two. Did I get the HPV vaccine, and was it "
      "the full course? Also when, if that's in there."],
     lambda: ever(L, ['Immunization'], codeset=['62', '118', '137', '165'], what='HPV vaccine'),
     'Two doses recorded.'),
    ('fr', L, 'last_visit',
     ["Coucou, je suis étudiante et je me rappelle plus du tout quand j'ai vu un médecin pour la dernière "
      "fois. Je dois remplir un questionnaire pour le service de santé de la fac avant la rentrée et ils "
      "demandent la date de la dernière consultation et le motif. C'était quand et c'était pour quoi ? Je "
      "crois que c'était pour la gorge mais je suis pas sûre du tout."],
     lambda: last_visit(L), ''),
    ('en', L, 'not_found',
     ["whats my cholesterol level"],
     lambda: absent(L, r'cholesterol|2093-3|lipid', what='cholesterol test'), ''),
    ('fr', L, 'followup',
     ["J'ai eu combien de vaccins antigrippe ?", "et le dernier c'était quand ?"],
     lambda: nth_latest(L, ['Immunization'], codeset=FLU, what='influenza Immunization'), ''),

    # ------------------------------------------------------------------ Lupe_Little
    ('fr', U, 'latest',
     ["Bonjour, on m'a dit il y a longtemps que j'étais pré-diabétique. Depuis j'ai pris du poids, je sais, "
      "je sais… le télétravail n'aide pas. Mon médecin traitant veut que je refasse une prise de sang à jeun "
      "mais avant j'aimerais savoir où j'en étais, histoire de pas avoir de mauvaise surprise. C'était "
      "combien ma dernière hémoglobine glyquée, et c'était quand ?"],
     lambda: obs_latest(U, '4548-4', 1), ''),
    ('en', U, 'meaning',
     ["my last blood sugar, the glucose one, was it normal?"],
     lambda: obs_latest(U, '2339-0', 0, rng=True), ''),
    ('fr', U, 'ever_had',
     ["ma copine est tombée sur 'arrêt cardiaque' dans mon dossier en m'aidant à remplir un formulaire pour "
      "la salle de sport, et depuis elle panique. c'est vrai que j'en ai fait un ?? je m'en souviens pas du "
      "tout. j'ai juste le souvenir d'être allé aux urgences quand j'étais ado mais ma mère m'a toujours dit "
      "que c'était un malaise. c'était quand et c'est noté comment ?"],
     lambda: ever(U, ['Condition'], codeset=['410429000', '429007001'], what='cardiac arrest'), ''),
    ('en', U, 'last_visit',
     ["when did i last see the doc"],
     lambda: last_visit(U), ''),
    ('fr', U, 'not_found',
     ["Quels médicaments je prends actuellement d'après mon dossier ?"],
     lambda: none_of(U, ['MedicationRequest', 'MedicationStatement', 'MedicationAdministration'],
                     what='medicines'), ''),
    ('en', U, 'count',
     ["Funny thing, I think I got the flu shot twice in 2019 by accident. Once at some outpatient thing they "
      "sent me to after my sore throat, and then again at my physical like a week later. Nobody caught it "
      "and I didn't think to say anything because I figured the computer would flag it. Can you check how "
      "many flu shots I actually got that year? Should I worry about that?"],
     lambda: count(U, ['Immunization'], codeset=FLU, year=2019, what='influenza Immunizations'), ''),
    ('fr', U, 'value_in_year',
     ["Je pesais combien en 2016 ?"],
     lambda: obs_year(U, '29463-7', 2016, 1), ''),

    # ------------------------------------------------------------------ Liz_Conn
    ('en', Z, 'still_on',
     ["Is the hydrochlorothiazide still on my active meds list? Honestly I haven't refilled it since the "
      "spring. I felt kind of dizzy on it sometimes and I figured my blood pressure was fine now that I'm "
      "exercising more, so I just... stopped. I know, I know. Before I go in and get told off, I want to "
      "know if it's still officially prescribed to me or if someone took it off."],
     lambda: still_on(Z, 'hydrochlorothiazide'), 'Gold: active.'),
    ('fr', Z, 'latest',
     ["ma dernière tension au cabinet c'était combien ?"],
     lambda: bp_latest(Z), ''),
    ('en', Z, 'ever_had',
     ["This is kind of personal, but my husband and I were talking about whether we still need to use "
      "anything. I had surgery back in 2012, I was in hospital for it, and I'm pretty sure it was getting "
      "my tubes tied, but it's all a blur because I had a lot going on back then with the kids. Does my "
      "record actually show that procedure, and on what date?"],
     lambda: ever(Z, ['Procedure'], codeset=['287664005'], what='bilateral tubal ligation'), ''),
    ('fr', Z, 'last_visit',
     ["mon dernier passage chez le médecin, c'était quand ?"],
     lambda: last_visit(Z), ''),
    ('en', Z, 'meaning',
     ["my kidney function result, the eGFR - what was the latest and is it normal?"],
     lambda: obs_latest(Z, '33914-3', 0, rng=True), ''),

    # ------------------------------------------------------------------ Luigi_Wiegand (baby)
    ('fr', G, 'count',
     ["Bonjour, on déménage à Lyon et la nouvelle crèche veut le carnet de santé de notre fils pour vérifier "
      "les vaccins obligatoires, mais on l'a perdu quelque part dans les cartons 🙄 Le pédiatre est en congé "
      "et on a rendez-vous avec la directrice lundi. Combien de vaccins il a reçus en tout jusqu'à "
      "maintenant ? Et lesquels si possible."],
     lambda: count(G, ['Immunization'], rx='.', what='Immunizations'), ''),
    ('en', G, 'value_in_year',
     ["what did he weigh at his visits in 2020?"],
     lambda: obs_year(G, '29463-7', 2020, 2), ''),
    ('fr', G, 'followup',
     ["Il a eu le vaccin contre le rotavirus ?", "Combien de doses ?"],
     lambda: count(G, ['Immunization'], codeset=['116', '119', '122'], what='rotavirus Immunizations'), ''),
    ('en', G, 'not_found',
     ["does my son have any allergies on file?"],
     lambda: none_of(G, ['AllergyIntolerance'], what='allergies'), ''),
    ('fr', G, 'last_visit',
     ["Son dernier rendez-vous chez le pédiatre, c'était quand ?"],
     lambda: last_visit(G), ''),
    ('en', G, 'followup',
     ["how long was he when he was born?", "and what's the latest length measurement?"],
     lambda: obs_latest(G, '8302-2', 1), ''),

    # ------------------------------------------------------------------ IPS_IG-bundle-01
    ('en', IPS, 'list',
     ["Hi, I'm going abroad to visit family for a few weeks and I want to carry a list of the medications I "
      "take, in case I need a pharmacy over there or get asked at the airport. Could you tell me what "
      "medications I'm currently taking according to my patient summary? I think there are two but I never "
      "remember the exact names, and one of them isn't even a real prescription I think."],
     lambda: active_meds(IPS, ['anastrozole', 'cohosh']), ''),
    ('fr', IPS, 'list',
     ["Je me fais opérer du genou le mois prochain et l'anesthésiste m'a demandé la liste complète de mes "
      "allergies, médicaments et aliments. Je sais que je suis allergique à la pénicilline depuis 2010, "
      "j'avais fait une grosse réaction, mais est-ce qu'il y a autre chose dans mon dossier ? Je ne veux "
      "rien oublier, surtout pour les aliments, parce qu'à l'hôpital on ne choisit pas ce qu'on mange."],
     lambda: allergies(IPS), 'Only the penicillin allergy; the other entry is "No known food allergy".'),
    ('en', IPS, 'meaning',
     ["what was my hba1c and is it in a good range?"],
     lambda: obs_latest(IPS, '17856-6', 1, rng=True), ''),
    ('fr', IPS, 'still_on',
     ["Je prends toujours l'anastrozole ? Depuis quand déjà ?"],
     lambda: still_on(IPS, 'anastrozol'), 'Gold: active, effectivePeriod.start 2015-03 (partial date).'),
    ('en', IPS, 'ever_had',
     ["I'm filling out a form for life insurance and it asks if I've ever been diagnosed with cancer, and if "
      "so when and what the current status is. I had the breast thing treated a few years ago and the "
      "doctors said it was gone, I'm still on tablets for it though. Is it in my record as cancer, and what "
      "does the record say about it now? I don't want to get the dates wrong on the form."],
     lambda: ever(IPS, ['Condition'], codeset=['254837009'], what='breast cancer',
                  values=['2015-01', '2015-03']),
     'clinicalStatus remission; onset 2015-01, abatement 2015-03 (partial dates).'),
    ('fr', IPS, 'not_found',
     ["quels vaccins j'ai eus ? je pars en voyage en Asie du Sud-Est cet été"],
     lambda: none_of(IPS, ['Immunization'], what='vaccines'), ''),
    ('fr', IPS, 'followup',
     ["C'est quoi mon groupe sanguin ?", "Et le prélèvement pour le staphylocoque doré, ça a donné quoi ?"],
     lambda: obs_coded_latest(IPS, '42803-7'), 'MRSA identified, healthy carrier.'),

    # ------------------------------------------------------------------ AT_ELGA_GmbH_01
    ('en', AT, 'latest',
     ["what was my last blood pressure reading?"],
     lambda: bp_latest(AT),
     'Two readings at the same timestamp, systolic and diastolic in separate Observations.'),
    ('fr', AT, 'meaning',
     ["Bonjour, je suis autrichienne et je vis en France depuis peu. Mon nouveau médecin traitant n'arrive "
      "pas à lire mon dossier qui est en allemand. Il y a une valeur de ferritine qui me paraît énorme sur "
      "ma prise de sang de décembre 2016. C'est quoi la valeur exacte et les normes du labo ? Je n'ai "
      "jamais eu de problème de fer à ma connaissance."],
     lambda: obs_latest(AT, '2276-4', 0, rng=True), ''),
    ('fr', AT, 'count',
     ["Combien de doses de vaccin contre l'encéphalite à tiques j'ai eues ? Je l'ai fait en Autriche, là-bas "
      "tout le monde se fait vacciner, mais maintenant je vis en France et on part randonner dans les Vosges "
      "et en Alsace cet été. Mon médecin ici ne connaît pas trop ce vaccin et me demande si mon schéma de "
      "base est complet."],
     lambda: count(AT, ['Immunization'], codeset=['J07BA01'], what='TBE (FSME) Immunizations'), ''),
    ('en', AT, 'still_on',
     ["My record has aspirin listed like five or six times and I'm confused. I took it for a while for "
      "headaches and once after a dental thing, but I don't think anyone ever told me to take it every day "
      "like for the heart. My husband takes a baby aspirin daily and now he thinks I should too. Am I still "
      "supposed to be on aspirin according to this?"],
     lambda: still_on(AT, 'aspirin', with_values=False),
     'Every aspirin MedicationStatement has status "unknown": the honest answer is that the record does '
     'not say whether it is current.'),
    ('fr', AT, 'ever_had',
     ["est-ce que j'ai eu la rubéole ? c'est pour un dossier chez ma gynéco, elle veut savoir si je suis "
      "immunisée. Mon dossier autrichien est en allemand et je ne reconnais pas tous les mots. Je me "
      "souviens d'avoir eu des boutons et de la fièvre il y a quelques années mais on m'avait dit que "
      "c'était peut-être une allergie à un médicament, donc je ne sais plus trop."],
     lambda: ever(AT, ['Condition'], codeset=['36653000'], what='rubella (Röteln)'), ''),
    ('en', AT, 'not_found',
     ["what's my vitamin d level?"],
     lambda: absent(AT, r'vitamin d|calcidiol|1989-3|62292-8|25-OH|25-hydroxy', what='vitamin D'),
     'B12, folate and "vitamin B15" are present; vitamin D is not.'),
    ('fr', AT, 'latest',
     ["Mon bilan thyroïdien, la TSH, c'était combien la dernière fois ?"],
     lambda: obs_latest(AT, '3016-3', 1, strip=False), ''),

    # ------------------------------------------------------------------ US_MEDITECH_ips_2
    ('en', MT, 'list',
     ["which drug allergies do I have on file?"],
     lambda: allergies(MT, ['ampicillin', 'penicillin']), ''),
    ('fr', MT, 'still_on',
     ["Bonjour, depuis 2015 on me fait des injections d'Aranesp pour l'anémie à cause de mon rein greffé qui "
      "fonctionne de moins en moins bien. J'ai changé de néphrologue cette année et je ne sais plus si c'est "
      "toujours prescrit ou si ça a été arrêté, personne ne m'a rien dit clairement. Vous pouvez vérifier "
      "dans mon dossier ? L'infirmière à domicile me pose la question."],
     lambda: still_on(MT, 'darbepoetin|aranesp',
                      extra_refs=['MedicationStatement/AE7B942F-181F-4CB9-9B8B-70B2C23CC305']),
     'Gold: active. The MedicationStatement (NDC 55513003201 only, no name) is the same product.'),
    ('en', MT, 'ever_had',
     ["have I had a flu shot? my pharmacy says there's no record of one anywhere and they want to give me "
      "one today. I had a kidney transplant so I'm supposed to be careful with vaccines, and I honestly "
      "can't remember what happened the last time one was offered at the clinic. Is there anything in my "
      "record about a flu vaccine?"],
     lambda: ever_not_done(MT, ['166', '140', '141', '150', '88'], 'influenza vaccine'),
     'Honest answer: no flu vaccine given; the only influenza Immunization is status not-done '
     '(patient refused) on 2015-06-22.'),
    ('fr', MT, 'list',
     ["Quels sont mes problèmes de santé actifs dans mon dossier ?"],
     lambda: conditions(MT, category='problem-list-item', names=['hypertension', 'hypothyroidism']),
     'Active problem-list items; the resolved "Overweight" is excluded.'),
    ('en', MT, 'followup',
     ["do I have a pacemaker or some kind of heart device?", "when was it put in?"],
     lambda: ever(MT, ['Procedure'], codeset=['175135009'], what='pacemaker insertion',
                  extra_refs=['Device/ae9d733c-9775-5716-a0a8-ecfd8915f957']), ''),
    ('fr', MT, 'not_found',
     ["C'était combien mon hémoglobine sur ma dernière prise de sang ?"],
     lambda: none_of(MT, ['Observation', 'DiagnosticReport'], what='lab results'), ''),

    # ------------------------------------------------------------------ Lisandra (C-CDA conversion)
    ('en', LS, 'latest',
     ["My daughter had covid back in February 2020, right at the very start of everything, and she was "
      "really sick for a few days. She's doing fine now, but her new pediatrician asked how bad it got and "
      "I blanked. I remember they put a mask on her and the nurse kept looking at the little clip on her "
      "finger. What was her oxygen level when she was seen? I just remember the nurse looking worried."],
     lambda: obs_latest(LS, '59408-5', 0), ''),
    ('fr', LS, 'ever_had',
     ["Est-ce que ma fille a déjà eu le covid d'après son dossier ? Elle part en voyage scolaire en "
      "Angleterre au printemps et l'école demande de remplir une fiche santé avec les maladies déjà eues. "
      "Moi je me souviens qu'elle avait été très malade fin février 2020 avec beaucoup de fièvre, mais à "
      "l'époque on ne savait pas trop ce que c'était."],
     lambda: ever(LS, ['Condition'], codeset=['840539006'], what='COVID-19',
                  extra_refs=['Observation/fae44d70-3c26-3fc6-848b-ed35f8c2fb49']),
     'COVID-19 Condition and SARS-CoV-2 RNA Detected, 2020-02-29.'),
    ('en', LS, 'meaning',
     ["her temperature that day, how high was it? is that dangerous?"],
     lambda: obs_latest(LS, '8331-1', 1, rng=True), ''),
    ('fr', LS, 'not_found',
     ["Ma fille a-t-elle des allergies notées dans son dossier ?"],
     lambda: none_of(LS, ['AllergyIntolerance'], what='allergies (the Allergies section is empty)'), ''),
    ('en', LS, 'list',
     ["what problems or diagnoses are listed for my daughter?"],
     lambda: conditions(LS, active_only=False, names=['COVID-19', 'Fever', 'Cough']),
     'Conditions carry no clinicalStatus; all 8 are listed.'),
]


# ----------------------------------------------------------------------------- special specs
def obs_prev_before(p, code, year, nd):
    """Value on the latest date strictly before the first result of `year`."""
    sel = _obs(rec(p), code)
    ds = _days(sel)
    first = [d for d in ds if d.startswith(year)][0]
    d = [x for x in ds if x < first][-1]
    return _obs_on(sel, d, nd, code, f'the result before the {year} one')


def with_extra(a, b):
    return out(a['gold_refs'] + b['gold_refs'], list(dict.fromkeys(a['gold_values'] + b['gold_values'])),
               a['note'] + ' | ' + b['note'], match='all')


def ever_not_done(p, codeset, what):
    r = rec(p)
    done = _select(r, ['Immunization'], codeset=codeset)
    assert not done, done
    nd = [(ref, o) for ref, o in _select(r, ['Immunization'], codeset=codeset, completed_only=False)]
    assert nd
    note = f"NO {what} given; only not-done entries: " + '; '.join(
        f"{label(o)} {day(o)} status={o.get('status')} reason={alltext(o.get('statusReason')).strip(' |')}"
        for _, o in nd)
    return out([ref for ref, _ in nd], [day(o) for _, o in nd], note)


# ----------------------------------------------------------------------------- build
def build():
    rows = []
    n = {'en': 0, 'fr': 0}
    for lang, patient, kind, turns, spec, extra in CASES:
        n[lang] += 1
        g = spec()
        r = rec(patient)
        for ref in g['gold_refs']:
            assert ref in r.refs, (patient, ref)
        note = g['note'] + (f' || {extra}' if extra else '')
        rows.append({'id': f'rb1-{lang}-{n[lang]:03d}', 'lang': lang, 'patient': patient, 'kind': kind,
                     'turns': turns, 'gold_refs': g['gold_refs'], 'match': g['match'],
                     'gold_values': g['gold_values'], 'expect_not_found': g['expect_not_found'],
                     'note': note})
    rows.sort(key=lambda x: (x['lang'], x['id']))
    return rows


def main():
    rows = build()
    if '--check' in sys.argv:
        old = [json.loads(l) for l in open(OUT, encoding='utf-8')]
        keys = ['gold_refs', 'match', 'gold_values', 'expect_not_found']
        bad = 0
        oldmap = {o['id']: o for o in old}
        for row in rows:
            o = oldmap.get(row['id'])
            if not o or any(o[k] != row[k] for k in keys) or o['turns'] != row['turns']:
                bad += 1
                print('MISMATCH', row['id'])
        print(f'checked {len(rows)} cases, {bad} mismatches, {len(old)} in file')
        sys.exit(1 if bad or len(old) != len(rows) else 0)
    with open(OUT, 'w', encoding='utf-8') as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + '\n')
    print(f'wrote {len(rows)} cases to {OUT}')


if __name__ == '__main__':
    main()
