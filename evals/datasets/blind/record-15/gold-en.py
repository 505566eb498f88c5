#!/usr/bin/env python3
"""Gold computation for blind set record-15, English cases (rb15-en-001..040).

Usage:
  python3 gold-en.py            -> print every case (JSON Lines) with gold recomputed from the records
  python3 gold-en.py --check    -> recompute gold and compare with the saved en-*.jsonl files
  python3 gold-en.py --write N  -> write batch N (en-0N.jsonl) only if that file does not exist yet

Numbers: integers and short decimals are given as the record has them; long Synthea floats are rounded
(1 decimal; 2 decimals when below 1; blood pressure and heart rate to whole numbers), as a person would read them.
Standard library only.
"""
import glob, json, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = 'en'
_cache = {}


def bundle_path(patient):
    p = os.path.join(DATA, 'realworld', patient + '.json')
    if os.path.exists(p):
        return p
    p = os.path.join(DATA, 'realworld', patient + '.fhir.json')
    if os.path.exists(p):
        return p
    hits = [h for h in glob.glob(os.path.join(DATA, 'realworld', patient + '_*.json'))]
    hits += glob.glob(os.path.join(DATA, 'synthea', patient + '_*.json'))
    if len(hits) != 1:
        raise SystemExit('cannot resolve patient %s: %s' % (patient, hits))
    return hits[0]


def entries(patient):
    if patient not in _cache:
        b = json.load(open(bundle_path(patient), encoding='utf-8'))
        _cache[patient] = [(e.get('fullUrl'), e['resource']) for e in b.get('entry', [])]
    return _cache[patient]


def ref(fu, r):
    return '%s/%s' % (r['resourceType'], r['id']) if r.get('id') else fu


def cdate(r):
    """Clinical date of a resource, as an ISO string (may be partial)."""
    for k in ('effectiveDateTime', 'performedDateTime', 'occurrenceDateTime', 'onsetDateTime', 'authoredOn'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def day(r):
    return cdate(r)[:10]


def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}


def fmt(v, kind=None):
    if isinstance(v, int):
        return str(v)
    if float(v).is_integer():
        return str(int(v))
    if kind == 'int':
        return str(int(round(v)))
    s = repr(v)
    if len(s.split('.')[1]) <= 2:
        return s
    if abs(v) < 1:
        return '%.2f' % v
    out = '%.1f' % v
    return out[:-2] if out.endswith('.0') else out


def of_type(patient, rtype):
    return [(fu, r) for fu, r in entries(patient) if r['resourceType'] == rtype]


def obs(patient, code, display_has=None):
    out = []
    for fu, r in of_type(patient, 'Observation'):
        if code in codes(r.get('code')):
            if display_has and not any(display_has.lower() in (c.get('display') or '').lower()
                                       for c in r['code'].get('coding', [])):
                continue
            out.append((fu, r))
    out.sort(key=lambda x: cdate(x[1]))
    return out


def qv(r):
    return r.get('valueQuantity', {}).get('value')


def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']


def rng(r):
    rr = (r.get('referenceRange') or [{}])[0]
    lo = rr.get('low', {}).get('value')
    hi = rr.get('high', {}).get('value')
    return lo, hi


def result(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}


# ---------- generic gold builders ----------

def g_latest(patient, code, label, display_has=None, vkind=None):
    L = obs(patient, code, display_has)
    last = max(day(r) for _, r in L)
    sel = [(fu, r) for fu, r in L if day(r) == last]
    vals = [fmt(qv(r), vkind) for _, r in sel] + [last]
    note = 'latest %s (LOINC %s) by effective date: %s; %d result(s) on that date: %s' % (
        label, code, last, len(sel), ', '.join(repr(qv(r)) for _, r in sel))
    return result([ref(fu, r) for fu, r in sel], vals, note)


def g_bp_latest(patient):
    L = obs(patient, '55284-4')
    last = max(day(r) for _, r in L)
    sel = [(fu, r) for fu, r in L if day(r) == last]
    vals = []
    for _, r in sel:
        vals += [fmt(comp(r, '8480-6'), 'int'), fmt(comp(r, '8462-4'), 'int')]
    note = 'latest blood pressure panel (LOINC 55284-4) on %s: systolic %r / diastolic %r (rounded to whole mmHg)' % (
        last, comp(sel[0][1], '8480-6'), comp(sel[0][1], '8462-4'))
    return result([ref(fu, r) for fu, r in sel], vals + [last], note)


def g_in_year(patient, code, year, label, display_has=None, vkind=None):
    L = [(fu, r) for fu, r in obs(patient, code, display_has) if day(r).startswith(str(year))]
    note = '%s (LOINC %s) in %s: %s' % (label, code, year, '; '.join('%s=%r' % (day(r), qv(r)) for _, r in L))
    return result([ref(fu, r) for fu, r in L], [fmt(qv(r), vkind) for _, r in L] + sorted({day(r) for _, r in L}), note)


def g_previous(patient, code, label, display_has=None, vkind=None):
    L = obs(patient, code, display_has)
    dates = sorted({day(r) for _, r in L})
    prev = dates[-2]
    sel = [(fu, r) for fu, r in L if day(r) == prev]
    note = '%s (LOINC %s): latest %s, the one before is %s = %s' % (
        label, code, dates[-1], prev, ', '.join(repr(qv(r)) for _, r in sel))
    return result([ref(fu, r) for fu, r in sel], [fmt(qv(r), vkind) for _, r in sel] + [prev], note)


def g_not_found(note):
    return result([], [], note, match='all', nf=True)


def last_encounter(patient):
    E = of_type(patient, 'Encounter')
    E.sort(key=lambda x: cdate(x[1]))
    fu, r = E[-1]
    linked = []
    for rt in ('Condition', 'Procedure', 'Observation', 'MedicationRequest', 'Immunization'):
        for fu2, r2 in of_type(patient, rt):
            if (r2.get('encounter') or {}).get('reference') in (fu, 'Encounter/' + r['id']):
                linked.append((fu2, r2))
    return fu, r, linked


def disp(cc):
    if not cc:
        return ''
    if cc.get('text'):
        return cc['text']
    return '; '.join(c.get('display') or c.get('code') for c in cc.get('coding', []))


# ---------- cases ----------
CASES = []


def case(n, patient, kind, turns, gold):
    CASES.append(dict(id='rb15-%s-%03d' % (LANG, n), lang=LANG, patient=patient, kind=kind, turns=turns, gold=gold))


# ===== batch 1 (en-01.jsonl) =====

case(1, 'Emery_Purdy', 'latest',
     ["hey so my doc keeps going on about my 'sugar number' from the blood test, the 3 month one. what was it the last time they checked?"],
     lambda: g_latest('Emery_Purdy', '4548-4', 'HbA1c'))


def _g2():
    A = of_type('Daisey_Johns', 'AllergyIntolerance')
    return result([ref(fu, r) for fu, r in A], [str(len(A))],
                  'all AllergyIntolerance resources (%d, all clinicalStatus active): %s' % (
                      len(A), '; '.join(disp(r['code']) for _, r in A)))


case(2, 'Daisey_Johns', 'list',
     ["I'm filling in the forms for my daughter's summer camp and they want every allergy she has. I know about the bees and the eggs but I think there were more from that blood test when she was a baby?? can you list everything her record says she's allergic to"],
     _g2)


def _g3():
    M = [(fu, r) for fu, r in of_type('Laurie_McCullough', 'MedicationRequest')
         if 'jolivette' in disp(r['medicationCodeableConcept']).lower()]
    fu, r = M[0]
    return result([ref(fu, r)], [day(r)],
                  'MedicationRequest Jolivette 28 Day Pack, status %s, authoredOn %s; no later prescription -> stopped' % (
                      r['status'], day(r)))


case(3, 'Laurie_McCullough', 'still_on',
     ["am i still down as being on the mini pill (jolivette)? trying to work out if I need to ask for a new script or if they took me off it"],
     _g3)


def _g4():
    Z = [r for _, r in of_type('Annmarie_Doyle', 'Immunization')
         if 'zoster' in disp(r['vaccineCode']).lower() or 'shingl' in disp(r['vaccineCode']).lower()]
    assert not Z
    vacc = sorted({disp(r['vaccineCode']) for _, r in of_type('Annmarie_Doyle', 'Immunization')})
    return g_not_found('no zoster/shingles Immunization in the record (vaccines present: %s)' % '; '.join(vacc))


case(4, 'Annmarie_Doyle', 'ever_had',
     ["My mum is 86 and her friend just got shingles really badly. Has Mum ever had the shingles vaccine? I'm looking at her record for her because she can't manage the app."],
     _g4)


def _g5():
    fu, r, linked = last_encounter('Martina_Murazik')
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter by period.start: %s, class %s, type "%s"; linked: %s' % (
                      day(r), r['class']['code'], disp(r['type'][0]),
                      ', '.join(sorted({disp(x.get('code')) for _, x in linked if x['resourceType'] == 'Procedure'}))
                      + ' + metabolic panel/liver labs'))


case(5, 'Martina_Murazik', 'last_visit',
     ["when was I last seen and what was it for? I can't remember if the last time was the heart clinic or that trip to A&E"],
     _g5)


def _g6():
    L = obs('AT_ELGA_GmbH_01', '2276-4')
    fu, r = L[-1]
    lo, hi = rng(r)
    return result([ref(fu, r)], [fmt(qv(r)), fmt(lo), fmt(hi)],
                  'Ferritin (LOINC 2276-4) %s %s on %s, reference range %s-%s, interpretation %s' % (
                      qv(r), r['valueQuantity']['unit'], day(r), lo, hi, r['interpretation'][0]['coding'][0]['code']))


case(6, 'AT_ELGA_GmbH_01', 'meaning',
     ["Got my blood results back from December and the ferritin has two little arrows next to it. Is that bad? What's it supposed to be? I'm not anaemic as far as I know, I feel fine apart from being tired from work"],
     _g6)


def _g7():
    s = json.dumps([r for _, r in entries('Fidel_Bins')]).lower()
    assert '3016-3' not in s and 'thyro' not in s and 'tsh' not in s
    return g_not_found('no TSH / thyroid Observation, report, condition or medication anywhere in the record')


case(7, 'Fidel_Bins', 'not_found',
     ["been gaining weight and always cold, my sister has an underactive thyroid. did they ever check my thyroid levels?? whats the result"],
     _g7)


def _g8():
    L = obs('Emery_Purdy', '2093-3')
    dates = sorted({day(r) for _, r in L})
    prev = [(fu, r) for fu, r in L if day(r) == dates[-2]]
    return result([ref(fu, r) for fu, r in prev], [fmt(qv(r)) for _, r in prev] + [dates[-2]],
                  'turn 1: latest total cholesterol (LOINC 2093-3) %s = %r; turn 2 asks for the one before: %s = %s' % (
                      dates[-1], qv([r for _, r in L if day(r) == dates[-1]][0]), dates[-2],
                      ', '.join(repr(qv(r)) for _, r in prev)))


case(8, 'Emery_Purdy', 'followup',
     ["what was my total cholesterol at the last checkup?",
      "ok and the one before that? want to see if it went up"],
     _g8)


case(9, 'Vito_Feeney', 'value_in_year',
     ["I'm going through my late father's papers for a family history thing (prostate cancer runs in the family apparently). What was his PSA reading in 1976?"],
     lambda: g_in_year('Vito_Feeney', '2857-1', 1976, 'PSA'))


def _g10():
    I = [(fu, r) for fu, r in of_type('Lupe_Little', 'Immunization') if '140' in codes(r['vaccineCode'])]
    return result([ref(fu, r) for fu, r in I], [str(len(I))],
                  'Immunization CVX 140 (seasonal influenza) count in all = %d, dates %s' % (
                      len(I), ', '.join(day(r) for _, r in I)), match='any')


case(10, 'Lupe_Little', 'count',
     ["how many flu jabs have I actually had according to you lot? work is asking"],
     _g10)
# ===== batch 2 (en-02.jsonl) =====

case(11, 'Josue_Sipes', 'latest',
     ["my wife says I need to keep an eye on my kidneys because of the diabetes. whats my latest kidney blood test (creatinine)? is it getting worse"],
     lambda: g_latest('Josue_Sipes', '38483-4', 'creatinine'))


def _g12():
    P = 'US_MEDITECH_ips_2'
    sel = []
    txt = []
    for rt in ('MedicationRequest', 'MedicationStatement'):
        for fu, r in of_type(P, rt):
            if r.get('status') == 'active':
                sel.append(ref(fu, r))
                txt.append('%s %s (%s)' % (rt, r['id'], (r.get('medicationReference') or {}).get('display')
                                           or disp(r.get('medicationCodeableConcept'))))
    return result(sel, ['2020-11-16'],
                  'active medication entries: %s. Both are darbepoetin alfa (Aranesp; NDC 55513-0032-01 is the Amgen '
                  'product, no name in the statement) started 2020-11-16; acetaminophen and ceftriaxone are stopped/completed '
                  '-> citing either active entry is enough' % '; '.join(txt), match='any')


case(12, 'US_MEDITECH_ips_2', 'list',
     ["What medications am I currently supposed to be taking? Just the current ones please, not the stuff from when I was in hospital"],
     _g12)


def _g13():
    M = [(fu, r) for fu, r in of_type('Renea_Quigley', 'MedicationRequest')
         if 'naproxen' in disp(r['medicationCodeableConcept']).lower()]
    assert len(M) == 1
    fu, r = M[0]
    return result([ref(fu, r)], [day(r)],
                  'MedicationRequest naproxen sodium 220 MG, status %s, authoredOn %s (for osteoarthritis of hip) -> still active' % (
                      r['status'], day(r)))


case(13, 'Renea_Quigley', 'still_on',
     ["Quick one - am I still meant to be on the naproxen for my hip, or did the doctor take me off it? I've got some left in the cupboard"],
     _g13)


def _g14():
    P = [(fu, r) for fu, r in of_type('Emery_Purdy', 'Procedure') if '73761001' in codes(r['code'])]
    return result([ref(fu, r) for fu, r in P], [day(r) for _, r in P],
                  'Procedure Colonoscopy (SNOMED 73761001): %d, on %s' % (len(P), ', '.join(day(r) for _, r in P)))


case(14, 'Emery_Purdy', 'ever_had',
     ["I just got a letter about bowel cancer screening, the poo test kit. I'm sure I had a camera up there years ago?? have I ever had a colonoscopy and when"],
     _g14)


def _g15():
    fu, r, linked = last_encounter('Lupe_Little')
    conds = [(f, x) for f, x in linked if x['resourceType'] == 'Condition']
    return result(['Encounter/' + r['id']] + [ref(f, x) for f, x in conds], [day(r)],
                  'latest Encounter %s "%s"; Condition recorded at it: %s' % (
                      day(r), disp(r['type'][0]), '; '.join(disp(x['code']) for _, x in conds)), match='all')


case(15, 'Lupe_Little', 'last_visit',
     ["when did I last see a doctor at the practice? and what did they say it was"],
     _g15)


def _g16():
    L = obs('IPS_IG-bundle-01', '17856-6')
    fu, r = L[-1]
    return result([ref(fu, r)], [fmt(qv(r)), day(r)],
                  'HbA1c by HPLC (LOINC 17856-6) %s %% on %s; no referenceRange recorded; note: "%s"' % (
                      qv(r), day(r), r['note'][0]['text']))


case(16, 'IPS_IG-bundle-01', 'meaning',
     ["My HbA1c came back as 7.5. Is that normal or is that high? I never know what these numbers are supposed to be and the letter didn't explain anything"],
     _g16)


def _g17():
    meds = [disp(r['medicationCodeableConcept']) for _, r in of_type('Liz_Conn', 'MedicationRequest')]
    assert not any(s in m.lower() for m in meds for s in ('statin', 'ezetimibe'))
    return g_not_found('no statin / lipid-lowering medication in the record; the only MedicationRequest is %s' % '; '.join(meds))


case(17, 'Liz_Conn', 'not_found',
     ["what dose of statin am i on? pharmacist asked and i blanked lol"],
     _g17)


def _g18():
    P = [(fu, r) for fu, r in of_type('Renea_Quigley', 'Procedure') if '73761001' in codes(r['code'])]
    P.sort(key=lambda x: cdate(x[1]))
    fu, r = P[-2]
    return result([ref(fu, r)], [day(r)],
                  'Colonoscopy procedures: %s; turn 1 -> %s, turn 2 ("before that") -> %s' % (
                      ', '.join(day(x) for _, x in P), day(P[-1][1]), day(r)))


case(18, 'Renea_Quigley', 'followup',
     ["when was my last colonoscopy?", "and was there one before that one?"],
     _g18)


case(19, 'Renea_Quigley', 'previous',
     ["My LDL (the bad cholesterol) dropped a lot on the last test I think. What was the reading before the latest one?"],
     lambda: g_previous('Renea_Quigley', '18262-6', 'LDL cholesterol'))


def _g20():
    E = [(fu, r) for fu, r in of_type('Fidel_Bins', 'Encounter')
         if disp(r['type'][0]).lower() == 'asthma follow-up']
    er = [r for _, r in of_type('Fidel_Bins', 'Encounter') if 'emergency' in disp(r['type'][0]).lower()]
    return result(['Encounter/' + r['id'] for _, r in E], [str(len(E))],
                  'Encounters with type "Asthma follow-up": %d (%s); not counted: emergency admission for asthma on %s' % (
                      len(E), ', '.join(sorted(day(r) for _, r in E)), ', '.join(day(r) for r in er)), match='any')


case(20, 'Fidel_Bins', 'count',
     ["for my life insurance application: how many asthma follow-up appointments have I had in total?"],
     _g20)


# ===== batch 3 (en-03.jsonl) =====

case(21, 'Lisandra920_Schroeder447', 'latest',
     ["my daughter (she's 9) was really poorly with covid and they put the clip on her finger for her oxygen. what was the last oxygen reading they wrote down? it looked low to me but nobody said anything"],
     lambda: g_latest('Lisandra920_Schroeder447', '59408-5', 'oxygen saturation (pulse oximetry)'))


def _g22():
    C = of_type('IPS_IG-bundle-01', 'Condition')
    return result([ref(fu, r) for fu, r in C], [],
                  'Conditions: %s' % '; '.join('%s (clinicalStatus %s, onset %s%s)' % (
                      r['code']['coding'][0]['display'], r['clinicalStatus']['coding'][0]['code'], r.get('onsetDateTime'),
                      ', abatement ' + r['abatementDateTime'] if r.get('abatementDateTime') else '') for _, r in C))


case(22, 'IPS_IG-bundle-01', 'list',
     ["I'm seeing a new GP next week (we moved). What health problems are listed on my record? I want to check they have the breast cancer down properly"],
     _g22)


def _g23():
    M = [(fu, r) for fu, r in of_type('Josue_Sipes', 'MedicationRequest')
         if 'clopidogrel' in disp(r['medicationCodeableConcept']).lower()]
    fu, r = M[0]
    return result([ref(fu, r)], [day(r)],
                  'MedicationRequest Clopidogrel 75 MG, status %s, authoredOn %s (stroke admission); no later clopidogrel order -> stopped' % (
                      r['status'], day(r)))


case(23, 'Josue_Sipes', 'still_on',
     ["After my stroke they put me on a blood thinner, clopi-something. My son is sorting my pill box and there's none in there. Am I still supposed to be taking it or was it stopped?"],
     _g23)


def _g24():
    P = 'Lisandra920_Schroeder447'
    C = [(fu, r) for fu, r in of_type(P, 'Condition') if '840539006' in codes(r['code'])]
    O = [(fu, r) for fu, r in obs(P, '94531-1') if r.get('valueCodeableConcept')]
    return result([ref(fu, r) for fu, r in C + O], ['2020-02-29'],
                  'Condition COVID-19 (SNOMED 840539006) onset %s; SARS-CoV-2 RNA Observation (LOINC 94531-1) value "%s" on %s '
                  '(a duplicate Observation carries the unfilled placeholder {entry.value}); either citation is enough' % (
                      day(C[0][1]), O[0][1]['valueCodeableConcept']['coding'][0]['display'], day(O[0][1])), match='any')


case(24, 'Lisandra920_Schroeder447', 'ever_had',
     ["school is asking if she's had covid before. does her record show she actually had it, like a proper positive test, or was it only suspected?"],
     _g24)


def _g25():
    fu, r, linked = last_encounter('Luigi_Wiegand')
    imm = [x for _, x in linked if x['resourceType'] == 'Immunization']
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter %s "%s"; %d vaccines given at it: %s' % (
                      day(r), disp(r['type'][0]), len(imm), ', '.join(disp(x['vaccineCode']) for x in imm)))


case(25, 'Luigi_Wiegand', 'last_visit',
     ["When was the baby's last appointment? Was that the one where he had his jabs?"],
     _g25)


def _g26():
    L = obs('Martina_Murazik', '33762-6')
    fu, r = L[-1]
    lo, hi = rng(r)
    return result([ref(fu, r)], [fmt(qv(r)), day(r)],
                  'NT-proBNP (LOINC 33762-6) %r pg/mL on %s; reference range recorded: %s; same visit as the chronic heart failure diagnosis' % (
                      qv(r), day(r), 'none' if lo is None and hi is None else '%s-%s' % (lo, hi)))


case(26, 'Martina_Murazik', 'meaning',
     ["My daughter is a nurse and she said my NT-proBNP was 'really quite high' when I had the tests for my heart. what was it and what does that test actually mean? it's all gobbledygook to me"],
     _g26)


def _g27():
    s = json.dumps([r for _, r in entries('Lisandra920_Schroeder447')]).lower()
    assert 'cholest' not in s and '2093-3' not in s and 'lipid' not in s
    return g_not_found('no cholesterol / lipid Observation in the record (only vitals, respiratory virus panel and SARS-CoV-2 test from 2020-02-29)')


case(27, 'Lisandra920_Schroeder447', 'not_found',
     ["There's heart disease in my husband's family and the paediatrician mentioned a cholesterol test for kids. Has Lisandra had her cholesterol checked? What was it?"],
     _g27)


def _g28():
    I = [(fu, r) for fu, r in of_type('Vito_Feeney', 'Immunization') if '140' in codes(r['vaccineCode'])]
    I.sort(key=lambda x: cdate(x[1]))
    fu, r = I[-1]
    return result([ref(fu, r)], [day(r)],
                  'influenza Immunizations (CVX 140): %d in total (%s); turn 1 -> 11, turn 2 ("the last one") -> %s' % (
                      len(I), ', '.join(day(x) for _, x in I), day(r)))


case(28, 'Vito_Feeney', 'followup',
     ["how many flu vaccines did dad have altogether in his record?", "and when was the last one he got?"],
     _g28)


case(29, 'Annmarie_Doyle', 'value_in_year',
     ["hi, mum's cardiologist wants her cholesterol numbers over the years. what was her total cholesterol in 2017?"],
     lambda: g_in_year('Annmarie_Doyle', '2093-3', 2017, 'total cholesterol'))


def _g30():
    I = [(fu, r) for fu, r in of_type('Daisey_Johns', 'Immunization') if '140' in codes(r['vaccineCode'])]
    return result([ref(fu, r) for fu, r in I], [str(len(I))],
                  'Immunization CVX 140 (seasonal influenza): %d, dates %s' % (
                      len(I), ', '.join(sorted(day(r) for _, r in I))), match='any')


case(30, 'Daisey_Johns', 'count',
     ["she's asthmatic so we do the flu jab every year, or at least I think we do 😅 how many flu vaccines has she had in total?"],
     _g30)


# ===== batch 4 (en-04.jsonl) =====

def _g31():
    P = 'AT_ELGA_GmbH_01'
    S = obs(P, '8480-6') + obs(P, '8462-4')
    last = max(day(r) for _, r in S)
    sel = [(fu, r) for fu, r in S if day(r) == last]
    sel.sort(key=lambda x: (cdate(x[1]), x[0]))
    return result([ref(fu, r) for fu, r in sel], [fmt(qv(r)) for _, r in sel] + [last],
                  'systolic (8480-6) and diastolic (8462-4) are separate Observations; two readings at the same time %s '
                  '(one with effectiveDateTime, one with effectivePeriod): %s -> both readings are gold' % (
                      cdate(sel[0][1]), '; '.join('%s=%s' % (r['code']['coding'][0]['display'], qv(r)) for _, r in sel)))


case(31, 'AT_ELGA_GmbH_01', 'latest',
     ["what was my blood pressure the last time it was measured? I need it for the form at the new dentist, they want the numbers"],
     _g31)


def _g32():
    M = [(fu, r) for fu, r in of_type('Martina_Murazik', 'MedicationRequest') if r['status'] == 'active']
    return result([ref(fu, r) for fu, r in M], [str(len(M))],
                  'active MedicationRequests (%d): %s' % (len(M), '; '.join(
                      '%s (since %s)' % (disp(r['medicationCodeableConcept']), day(r)) for _, r in M)))


case(32, 'Martina_Murazik', 'list',
     ["Hello dear, I am going into the hospital for my knee next month and the nurse on the phone asked me to bring a list of all my tablets and inhalers. I have a box full of them and I get muddled. Could you tell me which ones I'm meant to be on at the moment please? Thank you so much"],
     _g32)


def _g33():
    M = [(fu, r) for fu, r in of_type('IPS_IG-bundle-01', 'MedicationStatement')]
    meds = {fu: r for fu, r in of_type('IPS_IG-bundle-01', 'Medication')}
    sel = [(fu, r) for fu, r in M if 'anastrozole' in json.dumps(meds[r['medicationReference']['reference']]).lower()]
    fu, r = sel[0]
    return result([ref(fu, r)], [r['effectivePeriod']['start']],
                  'MedicationStatement -> Medication anastrozole 1 mg tablet, status %s, effectivePeriod.start %s (no end) -> still on it' % (
                      r['status'], r['effectivePeriod']['start']))


case(33, 'IPS_IG-bundle-01', 'still_on',
     ["Is the anastrozole still on my list as something I take? My oncologist mentioned maybe stopping it after 5 years and I'm not sure if that got updated"],
     _g33)


def _g34():
    I = [(fu, r) for fu, r in of_type('US_MEDITECH_ips_2', 'Immunization') if 'influenza' in disp(r['vaccineCode']).lower()]
    fu, r = I[0]
    return result([ref(fu, r)], [day(r)],
                  'only influenza Immunization is "%s" with status %s on %s -> recorded as NOT given; no flu vaccine was '
                  'actually given in this record (the other Immunization is DTaP, 2012-01-04)' % (
                      disp(r['vaccineCode']), r['status'], day(r)))


case(34, 'US_MEDITECH_ips_2', 'ever_had',
     ["have i had a flu shot? the pharmacy wants to know before they give me this years one"],
     _g34)


def _g35():
    fu, r, linked = last_encounter('Laurie_McCullough')
    conds = [(f, x) for f, x in linked if x['resourceType'] == 'Condition']
    return result(['Encounter/' + r['id']] + [ref(f, x) for f, x in conds], [day(r)],
                  'latest Encounter %s "%s"; Condition at it: %s' % (
                      day(r), disp(r['type'][0]), '; '.join(disp(x['code']) for _, x in conds)))


case(35, 'Laurie_McCullough', 'last_visit',
     ["when was my last appointment and what was it about? I feel like I haven't been in ages"],
     _g35)


def _g36():
    L = obs('Laurie_McCullough', '33914-3')
    fu, r = L[-1]
    lo, hi = rng(r)
    return result([ref(fu, r)], [fmt(qv(r)), day(r)],
                  'eGFR (LOINC 33914-3) %r mL/min/1.73m2 on %s (only one); reference range recorded: %s' % (
                      qv(r), day(r), 'none' if lo is None and hi is None else '%s-%s' % (lo, hi)))


case(36, 'Laurie_McCullough', 'meaning',
     ["So I was reading my results and there's something called eGFR. I'm only 21, is my number OK? Google is scaring me with kidney failure stuff. I'm on a water tablet for my blood pressure if that matters"],
     _g36)


def _g37():
    s = json.dumps([r for _, r in entries('Daisey_Johns')]).lower()
    assert 'ferritin' not in s and '2276-4' not in s and 'iron' not in s
    return g_not_found('no ferritin or iron Observation in the record (her blood counts from 2015 and 2020 include haemoglobin, but no iron studies)')


case(37, 'Daisey_Johns', 'not_found',
     ["shes been really pale and tired lately and doesnt eat much meat. did they ever test her iron levels (ferritin)? what did it show"],
     _g37)


def _g38():
    L = obs('Fidel_Bins', '2085-9')
    sel = [(fu, r) for fu, r in L if day(r).startswith('2015')]
    return result([ref(fu, r) for fu, r in sel], [fmt(qv(r)) for _, r in sel] + [day(r) for _, r in sel],
                  'HDL (LOINC 2085-9) values: %s; turn 1 -> latest %s, turn 2 -> 2015 value' % (
                      ', '.join('%s=%r' % (day(r), qv(r)) for _, r in L), day(L[-1][1])))


case(38, 'Fidel_Bins', 'followup',
     ["what was my good cholesterol (HDL) last time?", "hmm. what was it back in 2015?"],
     _g38)


case(39, 'Liz_Conn', 'previous',
     ["I've put on weight since my last checkup I know. What did I weigh at the checkup before the last one? Trying to see how much has crept on"],
     lambda: g_previous('Liz_Conn', '29463-7', 'body weight'))


def _g40():
    I = of_type('Luigi_Wiegand', 'Immunization')
    return result([ref(fu, r) for fu, r in I], [str(len(I))],
                  'all Immunization resources: %d doses on %s (%s); note rotavirus is oral' % (
                      len(I), ', '.join(sorted({day(r) for _, r in I})), '; '.join(sorted({disp(r['vaccineCode']) for _, r in I}))),
                  match='any')


case(40, 'Luigi_Wiegand', 'count',
     ["how many vaccines has my son had so far in total? the nursery wants his vaccination record"],
     _g40)


# ===== main =====
KEYS = ['id', 'lang', 'patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note']


def build(c):
    d = {k: c[k] for k in ('id', 'lang', 'patient', 'kind', 'turns')}
    d.update(c['gold']())
    return {k: d[k] for k in KEYS}


def main():
    args = sys.argv[1:]
    rows = [build(c) for c in CASES]
    if args[:1] == ['--write']:
        n = int(args[1])
        fn = os.path.join(OUT, '%s-%02d.jsonl' % (LANG, n))
        if os.path.exists(fn):
            raise SystemExit('%s exists; saved files are final' % fn)
        part = rows[(n - 1) * 10: n * 10]
        with open(fn, 'w', encoding='utf-8') as f:
            for d in part:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        print('wrote', fn, len(part))
    elif args[:1] == ['--check']:
        saved = {}
        for fn in sorted(glob.glob(os.path.join(OUT, '%s-*.jsonl' % LANG))):
            for line in open(fn, encoding='utf-8'):
                d = json.loads(line)
                saved[d['id']] = d
        bad = 0
        for d in rows:
            s = saved.get(d['id'])
            if s is None:
                print('not saved yet:', d['id'])
            elif s != d:
                bad += 1
                print('MISMATCH', d['id'])
        print('checked %d cases, %d saved, %d mismatches' % (len(rows), len(saved), bad))
    else:
        for d in rows:
            print(json.dumps(d, ensure_ascii=False))


if __name__ == '__main__':
    main()
