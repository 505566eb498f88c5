#!/usr/bin/env python3
"""Gold for the English record cases rb10-en-001 .. rb10-en-040 (Python standard library only).

Every gold field (gold_refs, match, gold_values, expect_not_found, note) is computed here from the
record files; the question texts are stored here too, so the script re-creates each JSONL line.

Usage:
  python3 gold-en.py            # recompute all cases and compare with en-NN.jsonl files present
  python3 gold-en.py --print    # print the recomputed lines
  python3 gold-en.py --write N  # write en-0N.jsonl (cases 10*(N-1)+1 .. 10*N) if it does not exist yet

Number convention for gold_values: values stored with at most 2 decimals are given exactly as in the
record (e.g. "7.5", "0.07", "110"); long Synthea floats are given as a clinician would quote them:
blood pressure and any value >= 100 rounded to a whole number, other values to 1 decimal. The raw
value is always stated in the note.
"""
import glob
import json
import os
import sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.dirname(os.path.abspath(__file__))

_cache = {}


def bundle(key):
    if key not in _cache:
        fs = glob.glob(f'{SYN}/{key}_*.json') or glob.glob(f'{RW}/{key}.json') or glob.glob(f'{RW}/{key}*.json')
        assert len(fs) == 1, (key, fs)
        with open(fs[0], encoding='utf-8') as fh:
            _cache[key] = json.load(fh)
    return _cache[key]


def entries(key, rtype=None):
    for e in bundle(key).get('entry', []):
        r = e['resource']
        if rtype is None or r['resourceType'] == rtype:
            yield e


def ref(e):
    r = e['resource']
    if r.get('id'):
        return f"{r['resourceType']}/{r['id']}"
    return e['fullUrl']


def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}


def text_of(cc):
    cc = cc or {}
    parts = [cc.get('text') or '']
    parts += [c.get('display') or '' for c in cc.get('coding', [])]
    return ' '.join(parts).lower()


def obs_date(r):
    d = r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start') or ''
    return d


def fmt(v, bp=False):
    s = repr(v)
    if isinstance(v, int):
        return s
    if '.' in s and 'e' not in s and len(s.split('.')[1]) <= 2:
        return s
    if bp or abs(v) >= 100:
        return str(int(round(v)))
    return f'{v:.1f}'


def observations(key, loinc=None, pred=None):
    out = []
    for e in entries(key, 'Observation'):
        r = e['resource']
        if loinc and not (codes(r.get('code')) & set(loinc)):
            continue
        if pred and not pred(r):
            continue
        out.append(e)
    out.sort(key=lambda e: obs_date(e['resource']))
    return out


def qty(e):
    return e['resource']['valueQuantity']['value']


def bp_parts(r):
    sys_ = dia = None
    for c in r.get('component', []):
        if '8480-6' in codes(c['code']):
            sys_ = c['valueQuantity']['value']
        if '8462-4' in codes(c['code']):
            dia = c['valueQuantity']['value']
    return sys_, dia


def by_date(es, datefn=lambda e: obs_date(e['resource'])[:10]):
    d = {}
    for e in es:
        d.setdefault(datefn(e), []).append(e)
    return d


def immunizations(key, pred):
    out = [e for e in entries(key, 'Immunization') if pred(e['resource'])]
    out.sort(key=lambda e: e['resource'].get('occurrenceDateTime', ''))
    return out


def encounters(key, pred=lambda r: True):
    out = [e for e in entries(key, 'Encounter') if pred(e['resource'])]
    out.sort(key=lambda e: e['resource']['period']['start'])
    return out


def none_found(key, rtypes, words=(), codeset=()):
    """True if no resource of rtypes mentions any of words (in code/med/vaccine text) or codes."""
    for e in entries(key):
        r = e['resource']
        if r['resourceType'] not in rtypes:
            continue
        for fld in ('code', 'medicationCodeableConcept', 'vaccineCode', 'type'):
            v = r.get(fld)
            ccs = v if isinstance(v, list) else [v]
            for cc in ccs:
                if not cc:
                    continue
                t = text_of(cc)
                if any(w in t for w in words) or (codes(cc) & set(codeset)):
                    return False
        mref = (r.get('medicationReference') or {})
        if any(w in (mref.get('display') or '').lower() for w in words):
            return False
    return True


def gold(refs, values, match='all', note='', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}


def notfound(note):
    return gold([], [], 'all', note, True)


# ------------------------------------------------------------------ gold functions

def g_josue_creat():
    es = observations('Josue_Sipes', ['38483-4'])
    d = by_date(es)
    last = max(d)
    xs = d[last]
    return gold([ref(e) for e in xs], [fmt(qty(e)) for e in xs], 'all',
                f'latest creatinine (LOINC 38483-4) by effectiveDateTime: {len(xs)} results on {last} '
                f'({", ".join(repr(qty(e)) for e in xs)} mg/dL); both are gold')


def g_ips_allergies():
    refs = []
    for e in entries('IPS_IG-bundle-01', 'AllergyIntolerance'):
        t = text_of(e['resource'].get('code'))
        if 'no known' in t:
            continue
        refs.append(ref(e))
    return gold(refs, [], 'all',
                'AllergyIntolerance entries except the negation "No known food allergy" (SNOMED 429625007): '
                'penicillin-class allergy only (onset 2010, high criticality)')


def g_annmarie_flu():
    xs = immunizations('Annmarie_Doyle', lambda r: '140' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return gold([ref(e) for e in xs], [str(len(xs))], 'all',
                f'count of completed Immunization CVX 140 (seasonal flu): {len(xs)}, '
                f'{xs[0]["resource"]["occurrenceDateTime"][:10]} to {xs[-1]["resource"]["occurrenceDateTime"][:10]}')


def g_meditech_ceftriaxone():
    refs = []
    for e in entries('US_MEDITECH_ips_2', 'MedicationRequest'):
        r = e['resource']
        if 'ceftriaxone' in (r.get('medicationReference') or {}).get('display', '').lower():
            assert r['status'] == 'stopped'
            refs.append(ref(e))
            start = r['authoredOn'][:10]
    for e in entries('US_MEDITECH_ips_2', 'MedicationStatement'):
        r = e['resource']
        if '66288610001' in codes(r.get('medicationCodeableConcept')):
            assert r['status'] == 'completed'
            refs.append(ref(e))
            end = r['effectivePeriod']['end'][:10]
    return gold(refs, [start], 'any',
                f'ceftriaxone MedicationRequest status stopped (authored {start}); matching MedicationStatement '
                f'(NDC 66288610001, no name) completed, effective {start} to {end}; not current')


def g_lupe_meds():
    n = sum(1 for e in entries('Lupe_Little') if e['resource']['resourceType'] in ('MedicationRequest', 'MedicationStatement'))
    assert n == 0
    return notfound('no MedicationRequest/MedicationStatement in the record: no medicines on file')


def g_emery_zoster():
    xs = immunizations('Emery_Purdy', lambda r: '121' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return gold([ref(e) for e in xs], [e['resource']['occurrenceDateTime'][:10] for e in xs], 'all',
                f'Immunization CVX 121 (zoster): {len(xs)} doses')


def g_daisey_last():
    es = encounters('Daisey_Johns')
    last = es[-1]
    r = last['resource']
    return gold([ref(last)], [r['period']['start'][:10]], 'all',
                f'latest Encounter by period.start: {r["period"]["start"][:10]}, '
                f'{r["type"][0].get("text")} (well-child check; flu vaccine given that day)')


def g_at_measles():
    xs = observations('AT_ELGA_GmbH_01', ['7961-6'])
    assert len(xs) == 1
    r = xs[0]['resource']
    lo = r['referenceRange'][0]['low']['value']
    return gold([ref(xs[0])], [fmt(r['valueQuantity']['value']), fmt(lo)], 'all',
                f'measles IgG (LOINC 7961-6) {r["valueQuantity"]["value"]} IU/mL on {obs_date(r)[:10]}, '
                f'reference low {lo}, interpretation NEG: below protective level')


def g_martina_flu_prev():
    xs = immunizations('Martina_Murazik', lambda r: '140' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    prev = xs[-2]
    return gold([ref(prev)], [prev['resource']['occurrenceDateTime'][:10]], 'all',
                f'last turn: flu Immunization (CVX 140) before the latest ({xs[-1]["resource"]["occurrenceDateTime"][:10]}) '
                f'is {prev["resource"]["occurrenceDateTime"][:10]}')


def g_laurie_bp2017():
    es = [e for e in observations('Laurie_McCullough', ['55284-4']) if obs_date(e['resource']).startswith('2017')]
    assert len(es) == 1
    s, d = bp_parts(es[0]['resource'])
    return gold([ref(es[0])], [fmt(s, True), fmt(d, True)], 'all',
                f'BP panel 55284-4 in 2017: {obs_date(es[0]["resource"])[:10]} systolic {s} / diastolic {d}')


def g_lisandra_covid():
    refs = []
    for e in observations('Lisandra920_Schroeder447', ['94531-1']):
        v = e['resource'].get('valueCodeableConcept')
        if v and 'detected' in text_of(v):
            refs.append(ref(e))
            dt = obs_date(e['resource'])[:10]
    for e in entries('Lisandra920_Schroeder447', 'Condition'):
        if '840539006' in codes(e['resource']['code']):
            refs.append(ref(e))
    return gold(refs, [dt], 'any',
                f'SARS-CoV-2 RNA (LOINC 94531-1) coded result Detected on {dt}, and Condition COVID-19 (840539006); '
                'the duplicate with valueString "{entry.value}" is a placeholder and not a result')


def g_fidel_asthma_reviews():
    xs = encounters('Fidel_Bins', lambda r: r['period']['start'] >= '2015'
                    and any('asthma follow-up' in text_of(t) for t in r.get('type', [])))
    return gold([ref(e) for e in xs], [str(len(xs))], 'all',
                f'Encounters of type "Asthma follow-up" since 2015-01-01: {len(xs)} '
                f'({", ".join(e["resource"]["period"]["start"][:10] for e in xs)}); the 2019-01-23 emergency '
                'admission is excluded as the question asks')


def g_vito_psa():
    es = observations('Vito_Feeney', ['2857-1'])
    d = by_date(es)
    last = max(d)
    xs = d[last]
    return gold([ref(e) for e in xs], [fmt(qty(e)) for e in xs], 'all',
                f'latest PSA (LOINC 2857-1) on {last}: {", ".join(repr(qty(e)) for e in xs)} ng/mL')


def g_ips_anastrozole():
    for e in entries('IPS_IG-bundle-01', 'MedicationStatement'):
        r = e['resource']
        mid = r['medicationReference']['reference']
        med = [m for m in entries('IPS_IG-bundle-01', 'Medication') if m['fullUrl'] == mid][0]
        if 'anastrozole' in text_of(med['resource']['code']):
            assert r['status'] == 'active' and 'end' not in r['effectivePeriod']
            return gold([ref(e)], [r['effectivePeriod']['start']], 'all',
                        f'MedicationStatement for anastrozole (via medicationReference) status active, '
                        f'effective from {r["effectivePeriod"]["start"]}, no end: still on it')


def g_liz_thyroid():
    assert none_found('Liz_Conn', ('Observation', 'DiagnosticReport', 'Procedure'),
                      ('thyro', 'tsh', 'thyroxine'), ('3016-3', '3024-7', '3026-2', '11579-0'))
    return notfound('no thyroid test (TSH/T4/T3) in any Observation/DiagnosticReport/Procedure')


def g_renea_er_count():
    xs = encounters('Renea_Quigley', lambda r: r['class']['code'] == 'EMER')
    return gold([ref(e) for e in xs], [str(len(xs))], 'all',
                f'last turn: count of Encounters class EMER: {len(xs)} '
                f'({", ".join(e["resource"]["period"]["start"][:10] for e in xs)}); the latest one is the burn')


def g_luigi_mmr():
    assert not immunizations('Luigi_Wiegand', lambda r: codes(r['vaccineCode']) & {'03', '94'}
                             or 'mmr' in text_of(r['vaccineCode']) or 'measles' in text_of(r['vaccineCode']))
    return notfound('no MMR Immunization (CVX 03/94) in the record (child born 2020-10-20, last visit 2021-03-30)')


def g_meditech_allergies():
    xs = list(entries('US_MEDITECH_ips_2', 'AllergyIntolerance'))
    return gold([ref(e) for e in xs], [], 'all',
                'both AllergyIntolerance entries: ampicillin and penicillin G')


def g_emery_a1c2019():
    es = [e for e in observations('Emery_Purdy', ['4548-4']) if obs_date(e['resource']).startswith('2019')]
    assert len(es) == 1
    return gold([ref(es[0])], [fmt(qty(es[0]))], 'all',
                f'HbA1c (LOINC 4548-4) in 2019: {obs_date(es[0]["resource"])[:10]} = {qty(es[0])} %')


def g_lupe_last():
    es = encounters('Lupe_Little')
    r = es[-1]['resource']
    return gold([ref(es[-1])], [r['period']['start'][:10]], 'all',
                f'latest Encounter {r["period"]["start"][:10]}, {r["type"][0].get("text")}, reason '
                f'{r["reasonCode"][0]["coding"][0]["display"]}')


def g_at_bp():
    es = observations('AT_ELGA_GmbH_01', ['8480-6', '8462-4'])
    d = by_date(es)
    last = max(d)
    xs = d[last]
    return gold([ref(e) for e in xs], [fmt(qty(e)) for e in xs], 'all',
                f'systolic (8480-6) and diastolic (8462-4) are separate Observations; {len(xs)} on {last} '
                f'(two readings at the same 08:30 timestamp, one via effectivePeriod): '
                f'{", ".join(fmt(qty(e)) for e in xs)} mm Hg, i.e. 110/70 and 117/64')


def g_josue_clopidogrel():
    for e in entries('Josue_Sipes', 'MedicationRequest'):
        r = e['resource']
        if 'clopidogrel' in text_of(r['medicationCodeableConcept']):
            assert r['status'] == 'stopped'
            return gold([ref(e)], [r['authoredOn'][:10]], 'all',
                        f'clopidogrel MedicationRequest status stopped, prescribed {r["authoredOn"][:10]} (no end date recorded)')


def g_daisey_allergies():
    xs = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')]
    names = [e['resource']['code'].get('text') for e in xs]
    return gold([ref(e) for e in xs], [], 'all', f'{len(xs)} AllergyIntolerance entries: {"; ".join(names)}')


def g_lisandra_flu():
    refs = []
    for e in observations('Lisandra920_Schroeder447', ['92142-9', '92141-1']):
        v = e['resource'].get('valueCodeableConcept')
        if v:
            assert 'negative' in text_of(v)
            refs.append(ref(e))
            dt = obs_date(e['resource'])[:10]
    return gold(refs, [dt], 'all',
                f'influenza A (92142-9) and B (92141-1) RNA with coded value Negative on {dt}; the twin '
                'Observations holding the template placeholder "{entry.value}" carry no result')


def g_annmarie_prev_chol():
    es = observations('Annmarie_Doyle', ['2093-3'])
    prev, last = es[-2], es[-1]
    return gold([ref(prev)], [fmt(qty(prev)), obs_date(prev['resource'])[:10]], 'all',
                f'total cholesterol (2093-3): latest {obs_date(last["resource"])[:10]} = {qty(last)}; '
                f'previous {obs_date(prev["resource"])[:10]} = {qty(prev)} mg/dL')


def g_martina_ef():
    es = observations('Martina_Murazik', ['10230-1'])
    d = by_date(es)
    last = max(d)
    xs = d[last]
    return gold([ref(e) for e in xs], [fmt(qty(e)) for e in xs], 'all',
                f'LV ejection fraction (10230-1): {len(xs)} results on {last} '
                f'({", ".join(repr(qty(e)) for e in xs)} %); both gold')


def g_ips_a1c_meaning():
    es = observations('IPS_IG-bundle-01', ['17856-6', '4548-4'])
    assert len(es) == 1
    r = es[0]['resource']
    assert 'referenceRange' not in r
    return gold([ref(es[0])], [fmt(r['valueQuantity']['value'])], 'all',
                f'HbA1c {r["valueQuantity"]["value"]} % on {obs_date(r)[:10]}; no referenceRange, but the note says '
                f'"{r["note"][0]["text"]}" (above her goal of 7.0 %)')


def g_fidel_last():
    es = encounters('Fidel_Bins')
    r = es[-1]['resource']
    return gold([ref(es[-1])], [r['period']['start'][:10]], 'all',
                f'latest Encounter {r["period"]["start"][:10]}: {r["type"][0].get("text")} (flu vaccine that day)')


def g_vito_warfarin():
    assert none_found('Vito_Feeney', ('MedicationRequest', 'MedicationStatement', 'Medication'),
                      ('warfarin', 'coumadin', 'heparin', 'apixaban', 'rivaroxaban', 'dabigatran', 'clopidogrel',
                       'aspirin', 'enoxaparin'))
    return notfound('no anticoagulant/antiplatelet (warfarin etc.) in any MedicationRequest; his 4 medicines are '
                    'oxycodone/acetaminophen, hydrochlorothiazide, metformin, insulin')


def g_emery_chol2019():
    es = [e for e in observations('Emery_Purdy', ['2093-3']) if obs_date(e['resource']).startswith('2019')]
    assert len(es) == 1
    return gold([ref(es[0])], [fmt(qty(es[0]))], 'all',
                f'last turn: total cholesterol (2093-3) in 2019: {obs_date(es[0]["resource"])[:10]} = {qty(es[0])} mg/dL '
                f'(latest overall is 2021-01-22)')


def g_luigi_dtap():
    xs = immunizations('Luigi_Wiegand', lambda r: '20' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return gold([ref(e) for e in xs], [str(len(xs))], 'all',
                f'Immunization CVX 20 (DTaP): {len(xs)} doses ({", ".join(e["resource"]["occurrenceDateTime"][:10] for e in xs)})')


def g_laurie_jolivette():
    for e in entries('Laurie_McCullough', 'MedicationRequest'):
        r = e['resource']
        if 'jolivette' in text_of(r['medicationCodeableConcept']):
            assert r['status'] == 'stopped'
            return gold([ref(e)], [r['authoredOn'][:10]], 'all',
                        f'Jolivette (norethindrone pill) MedicationRequest status stopped, prescribed {r["authoredOn"][:10]}')


def g_meditech_flu():
    xs = immunizations('US_MEDITECH_ips_2', lambda r: 'influenza' in text_of(r['vaccineCode']))
    assert len(xs) == 1 and xs[0]['resource']['status'] == 'not-done'
    r = xs[0]['resource']
    return gold([ref(xs[0])], [r['occurrenceDateTime'][:10]], 'all',
                f'only flu Immunization is "Influenza Intradermal" {r["occurrenceDateTime"]} with status not-done '
                f'(statusReason: {r["statusReason"]["text"]}): no flu vaccine actually given in the record')


def g_liz_vaccines():
    xs = immunizations('Liz_Conn', lambda r: r.get('status') == 'completed')
    return gold([ref(e) for e in xs], [], 'all',
                f'all {len(xs)} completed Immunizations: '
                f'{"; ".join(e["resource"]["vaccineCode"]["text"] + " " + e["resource"]["occurrenceDateTime"][:10] for e in xs)}')


def g_renea_urine_protein():
    es = observations('Renea_Quigley', ['5804-0', '20454-5'])
    d = by_date(es)
    last = max(d)
    xs = d[last]
    desc = []
    for e in xs:
        r = e['resource']
        desc.append(repr(r['valueQuantity']['value']) + ' mg/dL' if 'valueQuantity' in r else r['valueCodeableConcept']['text'])
    return gold([ref(e) for e in xs], [last], 'any',
                f'latest urine protein on {last}: {"; ".join(desc)}; no reference range recorded '
                '(patient has diabetic renal disease / CKD stage 1 on the problem list)')


def g_josue_egfr_prev():
    es = observations('Josue_Sipes', ['33914-3'])
    d = by_date(es)
    dates = sorted(d)
    last, prev = dates[-1], dates[-2]
    xs = d[prev]
    return gold([ref(e) for e in xs], [fmt(qty(e)) for e in xs] + [prev], 'all',
                f'last turn: GFR (LOINC 33914-3) on the date before the latest ({last}: '
                f'{", ".join(repr(qty(e)) for e in d[last])}) is {prev}: {", ".join(repr(qty(e)) for e in xs)}')


def g_at_fsme():
    xs = immunizations('AT_ELGA_GmbH_01', lambda r: 'J07BA01' in codes(r['vaccineCode']) and r.get('status') == 'completed')
    return gold([ref(e) for e in xs], [str(len(xs))], 'all',
                f'Immunizations ATC J07BA01 (tick-borne encephalitis, Encepur): {len(xs)} '
                f'({", ".join(e["resource"]["occurrenceDateTime"][:10] for e in xs)})')


def g_lupe_a1c2016():
    es = [e for e in observations('Lupe_Little', ['4548-4']) if obs_date(e['resource']).startswith('2016')]
    assert len(es) == 1
    return gold([ref(es[0])], [fmt(qty(es[0]))], 'all',
                f'HbA1c (4548-4) in 2016: {obs_date(es[0]["resource"])[:10]} = {qty(es[0])} %')


def g_martina_last():
    es = encounters('Martina_Murazik')
    r = es[-1]['resource']
    return gold([ref(es[-1])], [r['period']['start'][:10]], 'all',
                f'latest Encounter {r["period"]["start"][:10]}, class {r["class"]["code"]}, '
                f'{r["type"][0].get("text")}; plain chest X-ray and labs that day')


def g_ips_chol():
    assert none_found('IPS_IG-bundle-01', ('Observation', 'DiagnosticReport'),
                      ('cholesterol', 'lipid', 'ldl', 'hdl', 'triglycer'), ('2093-3', '2089-1', '18262-6', '2085-9'))
    return notfound('no cholesterol/lipid Observation; labs are blood group, antibodies, HbA1c and a culture')


# ------------------------------------------------------------------ cases

P = {
    'josue': 'Josue_Sipes', 'ips': 'IPS_IG-bundle-01', 'ann': 'Annmarie_Doyle', 'med': 'US_MEDITECH_ips_2',
    'lupe': 'Lupe_Little', 'emery': 'Emery_Purdy', 'daisey': 'Daisey_Johns', 'at': 'AT_ELGA_GmbH_01',
    'martina': 'Martina_Murazik', 'laurie': 'Laurie_McCullough',
    'lis': 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir',
    'fidel': 'Fidel_Bins', 'vito': 'Vito_Feeney', 'liz': 'Liz_Conn', 'renea': 'Renea_Quigley', 'luigi': 'Luigi_Wiegand',
}
_lis_key = P['lis']
_orig_bundle = bundle


def bundle(key):  # noqa: F811 - allow the short Lisandra key in gold functions
    if key == 'Lisandra920_Schroeder447':
        key = _lis_key
    return _orig_bundle(key)


CASES = []


def case(p, kind, turns, fn):
    CASES.append((P[p], kind, turns, fn))


# 001-010
case('josue', 'latest', [
    "Had bloods done at my March visit and the nurse mentioned my kidney number had gone up again. I'm diabetic, "
    "been on metformin for years and now the insulin too, and my doctor keeps going on about my kidneys. I didn't "
    "catch what the actual result was because I was half deaf from the waiting room telly lol. Can you tell me what "
    "my latest creatinine was?"], g_josue_creat)
case('ips', 'list', ["do i have any allergies on file? need to tell the dentist"], g_ips_allergies)
case('ann', 'count', [
    "Hi, I'm helping my mum (she's 86) fill in a form for her new care home and it asks how many flu jabs she's had "
    "with her GP practice. She can't remember and honestly neither can I, she just goes every year when they text "
    "her. Does her record say how many flu vaccines she's had in total?"], g_annmarie_flu)
case('med', 'still_on', [
    "quick one - when I was poorly in november they put me on ceftriaxone through the drip. is that still going or "
    "did they stop it?"], g_meditech_ceftriaxone)
case('lupe', 'not_found', ["what meds am i currently on according to my chart"], g_lupe_meds)
case('emery', 'ever_had', [
    "My wife just got over shingles and it was absolutely miserable for her, weeks of burning pain down one side. "
    "Now she's nagging me to get the vaccine. I've got a feeling I might have already had it at one of my annual "
    "checkups but I really can't remember, I get jabbed with something every time I go. Have I had the shingles "
    "vaccine, and if so when?"], g_emery_zoster)
case('daisey', 'last_visit', [
    "When was Daisey last seen at the clinic? I'm her mum, trying to work out if she's due her next check"],
    g_daisey_last)
case('at', 'meaning', [
    "There's a measles outbreak at my kid's school and the letter says adults who aren't immune should talk to "
    "their doctor. I'm pretty sure I had a measles blood test a while back, something about antibodies? I never "
    "really understood what it showed. Can you look at it and tell me if the number was normal, like does it mean "
    "I'm protected or not?"], g_at_measles)
case('martina', 'followup', [
    "when did i last have my flu jab",
    "and the one before that?"], g_martina_flu_prev)
case('laurie', 'value_in_year', [
    "What was my blood pressure at my checkup in 2017? I think that was the year they said it was high and started "
    "me on the water tablet"], g_laurie_bp2017)

# 011-020
case('lis', 'ever_had', [
    "My daughter got a positive covid test yesterday and her school wants to know if anyone in the family has "
    "had it before. I remember being really unwell a few years back with a high fever and struggling to breathe, "
    "they put a mask on me and swabbed me, but it was all a blur and I don't know if it was actually covid in the "
    "end or just a bad flu. Did I ever test positive for covid?"], g_lisandra_covid)
case('fidel', 'count', [
    "how many asthma review appointments have i had since 2015? not counting the time i ended up in A&E, just the "
    "normal follow ups"], g_fidel_asthma_reviews)
case('vito', 'latest', [
    "My father passed away in 1979 and I'm going through his medical records because my own GP wants to know "
    "about prostate problems in the family. I can see he had a lot of tests for his prostate before he died. What "
    "was his last PSA level?"], g_vito_psa)
case('ips', 'still_on', [
    "Am I still supposed to be taking the anastrozole? It's been a couple of years since my breast cancer "
    "treatment and I honestly can't remember if they said 5 years or if I was meant to stop already. Does my "
    "record show it as current or stopped?"], g_ips_anastrozole)
case('liz', 'not_found', [
    "ive been so tired lately, hair falling out, always cold. my friend said get your thyroid checked. have i ever "
    "had a thyroid blood test and what did it say?"], g_liz_thyroid)
case('renea', 'followup', [
    "When was the last time I went to the emergency room?",
    "ok and how many times have I been there in total?"], g_renea_er_count)
case('luigi', 'ever_had', [
    "Hi there, my little one Luigi goes to nursery next month and they need his vaccine history. He's had loads "
    "of jabs already but I'm not sure which ones. Has he had his MMR yet?"], g_luigi_mmr)
case('med', 'list', [
    "i'm going in for a procedure next week and the form asks for drug allergies. i know it's something with "
    "penicillin but i'm not sure if there's more than one. can you list all the allergies on my record?"],
    g_meditech_allergies)
case('emery', 'value_in_year', ["what was my a1c in 2019?"], g_emery_a1c2019)
case('lupe', 'last_visit', [
    "when was my last appointment and what was it for? trying to fill in an insurance claim lol"], g_lupe_last)

# 021-030
case('at', 'latest', [
    "Could you tell me what my most recent blood pressure reading was? My new doctor asked and I only remember "
    "the top number being around 110."], g_at_bp)
case('josue', 'still_on', [
    "After my stroke they gave me clopidogrel, the blood thinner pill. My pharmacist said it's not on my repeat "
    "list any more and I got confused because I thought you had to stay on those for life after a stroke. Am I "
    "still meant to be on clopidogrel or has it been stopped? When was it started?"], g_josue_clopidogrel)
case('daisey', 'list', [
    "Daisey (she's 5) is starting a new after school club and they want a full list of her allergies for the "
    "first aid folder. I know about the bee stings because she has the epipen, and the eggs, but I think there "
    "were a load more from the allergy blood test when she was a baby. What allergies are on her record?"],
    g_daisey_allergies)
case('lis', 'meaning', [
    "back when i had the covid they also did a swab for flu and other viruses. was the flu one negative? the "
    "results page just shows weird brackets for some of them"], g_lisandra_flu)
case('ann', 'previous', [
    "I'm looking at Mum's cholesterol. Her latest one was in June 2020 I think, but what was it the time before "
    "that? Want to see whether it's going up or down."], g_annmarie_prev_chol)
case('martina', 'latest', [
    "I had an echo of my heart around when they diagnosed the heart failure, and the cardiologist mentioned a "
    "percentage for how well my heart pumps. I've been reading online that under 40 is bad and now I'm worried. "
    "What did my echo show for the pumping number, the ejection fraction?"], g_martina_ef)
case('ips', 'meaning', [
    "My sugar blood test from November 2017, the A1c one - is that number ok or is it too high? Nobody rang me about it so "
    "I assumed it was fine"], g_ips_a1c_meaning)
case('fidel', 'last_visit', ["When was I last at the doctors and what did they do?"], g_fidel_last)
case('vito', 'not_found', [
    "Going through my late dad's record for family history. He had diabetes and problems with his kidneys. Was "
    "he ever put on a blood thinner like warfarin?"], g_vito_warfarin)
case('emery', 'followup', [
    "whats my cholesterol at the moment",
    "hmm that seems high. what was it back in 2019?"], g_emery_chol2019)

# 031-040
case('luigi', 'count', [
    "How many DTaP shots has Luigi had so far? The health visitor asked and I said 3 but now I'm doubting myself"],
    g_luigi_dtap)
case('laurie', 'still_on', [
    "Am I still on the Jolivette pill or was it stopped? We're thinking about trying for a baby and I need "
    "to know what's on my record before I see the nurse."], g_laurie_jolivette)
case('med', 'ever_had', [
    "Work is doing free flu jabs this year and HR wants to know if I've had one before, because apparently some "
    "people react to them. I honestly can't remember ever having one. I think there was something about it years "
    "ago at the clinic when I was sick with a fever, but I'm not sure if I actually got it. Have I ever had a flu "
    "shot?"], g_meditech_flu)
case('liz', 'list', ["what vaccines have i had? need it for a new job at a nursing home"], g_liz_vaccines)
case('renea', 'meaning', [
    "My last urine test said something about protein, a plus sign I think. My sister says protein in your wee "
    "means your kidneys are packing up and now I can't sleep. I'm diabetic if that matters. What did the test "
    "actually show and what does it mean?"], g_renea_urine_protein)
case('josue', 'followup', [
    "what was my kidney function number on my last blood test?",
    "and the time before that?"], g_josue_egfr_prev)
case('at', 'count', [
    "We're going hiking in Austria again this summer. How many tick vaccine shots (the FSME one, tick-borne "
    "encephalitis) have I had so far? I'm not sure if I finished the course"], g_at_fsme)
case('lupe', 'value_in_year', [
    "My doctor told me years ago I was borderline diabetic. What was my A1c back in 2016? I want to compare it "
    "with a home test I just did"], g_lupe_a1c2016)
case('martina', 'last_visit', [
    "My mother (Martina) was taken in before Christmas because she was struggling to breathe, she's got heart "
    "failure and COPD. I'm her daughter and I'm trying to piece together what happened because she's a bit "
    "confused about it. When was her most recent visit and what was done?"], g_martina_last)
case('ips', 'not_found', ["what was my last cholesterol result?"], g_ips_chol)


def build():
    lines = []
    for i, (pkey, kind, turns, fn) in enumerate(CASES, 1):
        g = fn()
        rec = {'id': f'rb10-en-{i:03d}', 'lang': 'en', 'patient': pkey, 'kind': kind, 'turns': turns}
        rec.update(g)
        lines.append(rec)
    return lines


def main():
    lines = build()
    assert len(lines) == 40, len(lines)
    args = sys.argv[1:]
    if args[:1] == ['--print']:
        for rec in lines:
            print(json.dumps(rec, ensure_ascii=False))
        return
    if args[:1] == ['--write']:
        n = int(args[1])
        path = os.path.join(OUT, f'en-{n:02d}.jsonl')
        if os.path.exists(path):
            sys.exit(f'{path} exists; saved files are final')
        with open(path, 'w', encoding='utf-8') as fh:
            for rec in lines[10 * (n - 1):10 * n]:
                fh.write(json.dumps(rec, ensure_ascii=False) + '\n')
        print('wrote', path)
        return
    ok = True
    byid = {r['id']: r for r in lines}
    for path in sorted(glob.glob(os.path.join(OUT, 'en-*.jsonl'))):
        with open(path, encoding='utf-8') as fh:
            for ln in fh:
                rec = json.loads(ln)
                exp = byid[rec['id']]
                for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note', 'patient', 'kind', 'turns'):
                    if rec[k] != exp[k]:
                        ok = False
                        print('MISMATCH', rec['id'], k)
    print('OK' if ok else 'DIFFERENCES FOUND')


if __name__ == '__main__':
    main()
