#!/usr/bin/env python3
"""Gold for blind set record-17 (French cases rb17-fr-001..040, written natively).

Run:  python3 gold-fr.py            -> recompute gold of every case, compare with fr-*.jsonl, print diffs
      python3 gold-fr.py --write N -> write fr-0N.jsonl (cases of batch N) if it does not exist yet
Standard library only. Reads the records read-only from /work/shared/data.
"""
import json, glob, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = 'fr'

# ---------------------------------------------------------------- loading
_cache = {}
def path_of(key):
    for d in ('synthea', 'realworld'):
        for f in glob.glob(f'{DATA}/{d}/*.json'):
            stem = os.path.basename(f)[:-5]
            if stem == key or (d == 'synthea' and '_'.join(stem.split('_')[:2]) == key):
                return f
    raise KeyError(key)

def load(key):
    """list of (ref, resource); ref = Type/id when the resource has an id, else the entry fullUrl"""
    if key not in _cache:
        b = json.load(open(path_of(key)))
        out = []
        for e in b['entry']:
            r = e['resource']
            ref = f"{r['resourceType']}/{r['id']}" if r.get('id') else e.get('fullUrl')
            out.append((ref, r, e.get('fullUrl')))
        _cache[key] = out
    return _cache[key]

def by_type(key, t):
    return [(ref, r) for ref, r, _ in load(key) if r['resourceType'] == t]

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def cdate(r):
    """clinical date (YYYY-MM-DD...) of a resource"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate', 'issued', 'date'):
        if isinstance(r.get(k), str):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''

def obs(key, code, display_has=None):
    """Observations with this LOINC code (any coding), oldest first"""
    out = []
    for ref, r in by_type(key, 'Observation'):
        if code in codes(r.get('code')):
            if display_has and display_has.lower() not in r['code']['coding'][0].get('display', '').lower():
                continue
            out.append((ref, r))
    return sorted(out, key=lambda x: cdate(x[1]))

def val(r):
    return r.get('valueQuantity', {}).get('value')

def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c.get('valueQuantity', {}).get('value')

def rs(v, dec=None):
    """number string robust to the roundings a careful answer may use: integer part for values >= 20
    (requires fraction < .5), one decimal below 20 (requires the 2nd decimal, once rounded, < 5).
    Raises if the value is not robust, so that such values are never used as gold strings."""
    if v is None:
        raise ValueError('no value')
    if float(v).is_integer():
        return str(int(v))
    if abs(v) >= 20 and dec != 1:
        if f'{round(v):d}' != f'{v:.1f}'.split('.')[0]:
            raise ValueError(f'not robust: {v}')
        return f'{round(v):d}'
    a, b = f'{v:.1f}', f'{v:.2f}'
    if not b.startswith(a):
        raise ValueError(f'not robust: {v}')
    return a

def d10(s):
    return (s or '')[:10]

def G(refs, values, match='all', nf=False, note=''):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}

def NF(note):
    return G([], [], 'all', True, note)

CASES = []   # (batch, dict(id, patient, kind, turns), gold-function)
def case(batch, n, patient, kind, turns):
    def deco(fn):
        CASES.append((batch, {'id': f'rb17-{LANG}-{n:03d}', 'lang': LANG, 'patient': patient, 'kind': kind,
                              'turns': turns}, fn))
        return fn
    return deco

# ---------------------------------------------------------------- helpers for common questions
def latest_obs(p, code, dh=None):
    """all Observations of this code on the latest clinical date (same-day results are all gold)"""
    o = obs(p, code, dh)
    last = d10(cdate(o[-1][1]))
    return [x for x in o if d10(cdate(x[1])) == last]

def imms(p, cvx=None):
    out = [(ref, r) for ref, r in by_type(p, 'Immunization') if cvx is None or cvx in codes(r.get('vaccineCode'))]
    return sorted(out, key=lambda x: cdate(x[1]))

def last_encounter(p):
    e = sorted(by_type(p, 'Encounter'), key=lambda x: cdate(x[1]))
    last = d10(cdate(e[-1][1]))
    return [x for x in e if d10(cdate(x[1])) == last]

def medreq(p, rxnorm):
    return [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if rxnorm in codes(r.get('medicationCodeableConcept'))]

def proc(p, snomed):
    return sorted([(ref, r) for ref, r in by_type(p, 'Procedure') if snomed in codes(r.get('code'))], key=lambda x: cdate(x[1]))

def refs(xs):
    return [x[0] for x in xs]

# ================================================================ batch 1
@case(1, 1, 'Josue_Sipes', 'latest',
      ["Bonjour, mon néphrologue me parle sans arrêt de mon DFG (la fonction des reins si j'ai bien compris) "
       "à cause du diabète. C'est combien mon dernier résultat ? Je voudrais le noter dans mon carnet avant le "
       "prochain rendez-vous."])
def _(p):
    o = latest_obs(p, '33914-3')
    day = d10(cdate(o[-1][1]))
    return G(refs(o), [rs(val(r)) for _, r in o] + [day], 'all',
             note=f'Observations LOINC 33914-3 on the latest date {day}: two results with different displays '
                  f'(estimated GFR and GFR/1.73 m2 predicted): ' + ', '.join(f'{val(r):.2f}' for _, r in o) +
                  ' -> both gold')

@case(1, 2, 'Liz_Conn', 'value_in_year',
      ["c'était combien ma tension en 2015 ? le cardio me demande l'historique"])
def _(p):
    o = [x for x in obs(p, '55284-4') if cdate(x[1]).startswith('2015')]
    r = o[0][1]
    s, d = comp(r, '8480-6'), comp(r, '8462-4')
    return G(refs(o), [rs(s), rs(d), d10(cdate(r))], 'all',
             note=f'BP panel 55284-4 in 2015: one reading on {d10(cdate(r))}, {s:.1f}/{d:.1f} mmHg (components)')

@case(1, 3, 'Renea_Quigley', 'count',
      ["Combien de fois je suis passée aux urgences en tout ? Ma fille dit que je suis abonnée mdr, entre la "
       "cheville, la brûlure et le coup du lapin en voiture..."])
def _(p):
    e = sorted([(ref, r) for ref, r in by_type(p, 'Encounter') if r['class']['code'] == 'EMER'], key=lambda x: cdate(x[1]))
    return G(refs(e), [str(len(e))], 'any',
             note=f'Encounters with class EMER: {len(e)} on ' + ', '.join(d10(cdate(r)) for _, r in e))

@case(1, 4, 'Daisey_Johns', 'list',
      ["Ma fille rentre à la cantine en septembre et l'école me demande un PAI avec toutes ses allergies. Je "
       "sais qu'il y a l'oeuf et le poisson, mais l'allergologue avait trouvé d'autres trucs avec la prise de "
       "sang, je ne me souviens plus de tout. Vous pouvez me donner la liste complète de ce qui est noté "
       "dans son dossier ?"])
def _(p):
    a = [(ref, r) for ref, r in by_type(p, 'AllergyIntolerance') if r['clinicalStatus']['coding'][0]['code'] == 'active']
    return G(refs(a), [str(len(a))], 'all',
             note=f'{len(a)} active AllergyIntolerance (2016-01-15): bee venom, mould, house dust mite, animal dander, '
                  f'grass pollen, tree pollen, eggs, fish')

@case(1, 5, 'Annmarie_Doyle', 'still_on',
      ["Je range l'armoire à pharmacie de ma mère (86 ans) et je trouve une boîte d'Augmentin "
       "(amoxicilline-acide clavulanique) à son nom. Est-ce qu'elle est toujours censée le prendre ou c'est "
       "un vieux traitement ?"])
def _(p):
    m = medreq(p, '562251')
    r = m[0][1]
    return G(refs(m), [d10(r['authoredOn'])], 'all',
             note=f"MedicationRequest amoxicillin/clavulanate status={r['status']}, authoredOn {d10(r['authoredOn'])} "
                  f"(viral sinusitis episode 2011): stopped long ago")

@case(1, 6, 'Martina_Murazik', 'ever_had',
      ["est ce que j ai deja eu une coloscopie ? j ai recu le kit de depistage par la poste et je sais plus"])
def _(p):
    assert not proc(p, '73761001')
    return NF('no Procedure Colonoscopy (SNOMED 73761001) in the record; procedures are spirometry, echocardiogram, '
              'chest X-ray, medication reviews')

@case(1, 7, 'Daisey_Johns', 'last_visit',
      ["on est allés quand chez le médecin pour la dernière fois avec la petite ? et c'était pour quoi ?"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']} (routine check-up); the visit before was "
                  f"2020-12-15 for viral sinusitis")

@case(1, 8, 'AT_ELGA_GmbH_01', 'meaning',
      ["J'ai fait une prise de sang en Autriche en décembre 2016, tout est en allemand. À la ligne "
       "« Leukozyten » il y a 26 avec un H à côté. C'est grave docteur ? C'est quoi la normale ?"])
def _(p):
    o = obs(p, '26464-8')
    r = o[0][1]
    rr = r['referenceRange'][0]
    return G(refs(o), [rs(val(r)), rs(rr['low']['value']), rs(rr['high']['value'])], 'all',
             note=f"Observation (no id) LOINC 26464-8 leukocytes {val(r)} 10*9/L on {d10(cdate(r))}, referenceRange "
                  f"{rr['low']['value']}-{rr['high']['value']}, interpretation H (high)")

@case(1, 9, 'IPS_IG-bundle-01', 'not_found',
      ["Mon médecin traitant veut savoir quand j'ai fait mon dernier bilan de cholestérol et les résultats. "
       "C'est dans mon dossier ?"])
def _(p):
    assert not any(set(codes(r['code'])) & {'2093-3', '18262-6', '2085-9', '2571-8', '2089-1'} for _, r in by_type(p, 'Observation'))
    return NF('no lipid Observation (2093-3, 2085-9, 18262-6, 2089-1, 2571-8) in the record; results are blood '
              'typing, HbA1c and a bacteria culture only')

@case(1, 10, 'Emery_Purdy', 'followup',
      ["c'est combien mes triglycérides la dernière fois ?", "et en 2014 ?"])
def _(p):
    o = [x for x in obs(p, '2571-8') if cdate(x[1]).startswith('2014')]
    r = o[0][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'triglycerides LOINC 2571-8: latest {d10(cdate(obs(p, "2571-8")[-1][1]))}; in 2014 one result '
                  f'{val(r):.2f} mg/dL on {d10(cdate(r))}')

# ================================================================ batch 2
@case(2, 11, 'Liz_Conn', 'latest',
      ["mon cholestérol il était à combien au dernier bilan ? 🙏"])
def _(p):
    o = latest_obs(p, '2093-3')
    r = o[-1][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'total cholesterol LOINC 2093-3, only/latest result {val(r):.2f} mg/dL on {d10(cdate(r))} '
                  f'(LDL/HDL/TG the same day are not the asked total)')

@case(2, 12, 'Martina_Murazik', 'previous',
      ["Le cardiologue de maman dit que son LDL (le mauvais cholestérol) « remonte ». Elle a 67 ans, insuffisance "
       "cardiaque depuis l'an dernier et une BPCO. Je voudrais comparer : c'était combien son LDL au bilan "
       "d'avant, pas le dernier mais celui d'avant ?"])
def _(p):
    o = obs(p, '18262-6')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'LDL LOINC 18262-6 by date: latest {d10(cdate(o[-1][1]))} {val(o[-1][1]):.1f}; previous '
                  f'{d10(cdate(prev[1]))} {val(prev[1]):.2f} mg/dL')

@case(2, 13, 'Josue_Sipes', 'count',
      ["J'ai fait de la réhabilitation respiratoire pour ma BPCO, les séances au centre avec le kiné. Ma "
       "mutuelle me demande combien de séances j'ai eues en tout. Vous avez ça ?"])
def _(p):
    pr = proc(p, '15081005')
    return G(refs(pr), [str(len(pr))], 'any',
             note=f'Procedures SNOMED 15081005 pulmonary rehabilitation: {len(pr)} (' +
                  ', '.join(d10(cdate(r)) for _, r in pr) + ')')

@case(2, 14, 'Renea_Quigley', 'list',
      ["Je vais chez un nouveau médecin traitant la semaine prochaine (l'ancien part à la retraite) et il veut "
       "la liste de tous mes traitements en cours. Entre le diabète, la tension, la hanche et le reste je m'y "
       "perds un peu. Qu'est-ce qui est noté comme traitement actuel dans mon dossier ?"])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if r['status'] == 'active']
    return G(refs(m), [], 'all',
             note=f'{len(m)} active MedicationRequests: ' + '; '.join(r['medicationCodeableConcept']['text'] for _, r in m) +
                  ' (stopped ones: amoxicillin/clavulanate, ibuprofen x2, acetaminophen)')

@case(2, 15, 'Daisey_Johns', 'still_on',
      ["elle a toujours la ventoline en traitement ou ils l'ont arrêtée ? la pharmacie me demande une nouvelle "
       "ordonnance"])
def _(p):
    m = medreq(p, '745679')
    r = m[0][1]
    return G(refs(m), [d10(r['authoredOn'])], 'all',
             note=f"MedicationRequest albuterol (salbutamol, Ventoline) 200 actuations inhaler status={r['status']} "
                  f"since {d10(r['authoredOn'])}: still active")

@case(2, 16, 'Laurie_McCullough', 'ever_had',
      ["est-ce que j'ai été vaccinée contre le papillomavirus ? la gynéco m'a posé la question et j'en ai aucune "
       "idée, c'était quand j'étais ado"])
def _(p):
    z = [x for x in imms(p) if any(c in codes(x[1]['vaccineCode']) for c in ('62', '118', '137', '165'))]
    return G(refs(z), [d10(cdate(r)) for _, r in z], 'all',
             note='HPV Immunizations (CVX 62 quadrivalent): ' + ', '.join(d10(cdate(r)) for _, r in z))

@case(2, 17, 'Renea_Quigley', 'last_visit',
      ["C'était quand mon dernier rendez-vous au cabinet et on avait fait quoi ?"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']} (check-up; insulin Humulin started that day)")

@case(2, 18, 'IPS_IG-bundle-01', 'meaning',
      ["Dans mon dossier il y a un résultat de labo de décembre 2017 avec « Staphylococcus aureus résistant à "
       "la méticilline ». Ça me fait peur, ça veut dire que j'ai une infection grave ? Personne ne m'a "
       "appelée..."])
def _(p):
    o = [(ref, r) for ref, r in by_type(p, 'Observation') if '42803-7' in codes(r['code'])]
    r = o[0][1]
    return G(refs(o), [d10(cdate(r))], 'all',
             note=f"Observation LOINC 42803-7 bacteria identified: MRSA on {d10(cdate(r))}, note "
                  f"'{r['note'][0]['text']}' (colonisation, not an infection)")

@case(2, 19, 'Lupe_Little', 'not_found',
      ["vous pouvez me redonner mes résultats de thyroïde (TSH) ? je suis crevé en ce moment et je me demande"])
def _(p):
    assert not any(set(codes(r['code'])) & {'3016-3', '11580-8', '3024-7', '3051-0'} for _, r in by_type(p, 'Observation'))
    return NF('no thyroid Observation (TSH 3016-3/11580-8, FT4, FT3) in the record')

@case(2, 20, 'Vito_Feeney', 'followup',
      ["Mon grand-père a eu un cancer de la prostate dans les années 70. Il a eu combien de biopsies de la "
       "prostate en tout d'après son dossier ?", "et la dernière c'était quand ?"])
def _(p):
    pr = proc(p, '65575008')
    return G([pr[-1][0]], [d10(cdate(pr[-1][1]))], 'all',
             note=f'Procedures SNOMED 65575008 biopsy of prostate: {len(pr)} (' +
                  ', '.join(d10(cdate(r)) for _, r in pr) + f'); last {d10(cdate(pr[-1][1]))}')

# ================================================================ batch 3
@case(3, 21, 'AT_ELGA_GmbH_01', 'latest',
      ["Mon cardiologue ici en France veut connaître mon dernier pouls mesuré, avant que je déménage "
       "d'Autriche. Vous l'avez ?"])
def _(p):
    o = latest_obs(p, '8867-4')
    return G(refs(o), [rs(val(r)) for _, r in o] + [d10(cdate(o[0][1]))], 'all',
             note=f'heart rate LOINC 8867-4, Observations without id: two readings at the same time '
                  f'{d10(cdate(o[0][1]))} 08:30 (one with effectivePeriod, one with effectiveDateTime): ' +
                  ', '.join(f'{val(r)}/min' for _, r in o) + ' -> both gold')

@case(3, 22, 'Fidel_Bins', 'value_in_year',
      ["Je pesais combien en 2015 ? Le pneumologue dit que mon poids joue sur mon asthme et je veux voir si "
       "j'ai pris depuis."])
def _(p):
    o = [x for x in obs(p, '29463-7') if cdate(x[1]).startswith('2015')]
    r = o[0][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'body weight LOINC 29463-7 in 2015: one result {val(r):.2f} kg on {d10(cdate(r))} (the value is the '
                  f'same at every check-up)')

@case(3, 23, 'Vito_Feeney', 'count',
      ["Pour l'arbre médical familial que je prépare pour l'urologue : mon grand-père a eu combien de touchers "
       "rectaux en tout dans son dossier ?"])
def _(p):
    pr = proc(p, '410006001')
    return G(refs(pr), [str(len(pr))], 'any',
             note=f'Procedures SNOMED 410006001 digital examination of rectum: {len(pr)} (' +
                  ', '.join(d10(cdate(r)) for _, r in pr) + ')')

@case(3, 24, 'AT_ELGA_GmbH_01', 'list',
      ["Quels sont mes problèmes de santé actuels notés dans mon dossier ? Le résumé autrichien est en allemand "
       "et j'y comprends rien"])
def _(p):
    c = [(ref, r) for ref, r in by_type(p, 'Condition') if r['clinicalStatus']['coding'][0]['code'] == 'active']
    return G(refs(c), [], 'all',
             note='2 active Conditions (no id): impaired physical mobility (Körperliche Mobilität, beeinträchtigt, since '
                  '2013-01-11) and rubella (Röteln, 2016-03); resolved: a second mobility entry, knee/leg effusion '
                  '2016, back pain 2014')

@case(3, 25, 'IPS_IG-bundle-01', 'still_on',
      ["Je prends de l'anastrozole depuis mon cancer du sein. Mon oncologue aux Pays-Bas m'avait dit 5 ans. "
       "Est-ce que c'est toujours marqué comme traitement en cours dans mon dossier, et depuis quand ?"])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationStatement')
         if r['medicationReference']['reference'].endswith('976d0804-cae0-45ae-afe3-a19f3ceba6bc')]
    r = m[0][1]
    return G(refs(m), [r['effectivePeriod']['start'][:4]], 'all',
             note=f"MedicationStatement anastrozole 1 mg (via Medication) status={r['status']}, effectivePeriod.start "
                  f"{r['effectivePeriod']['start']}: still active")

@case(3, 26, 'Fidel_Bins', 'ever_had',
      ["avec mon asthme la pharmacienne m'a dit que je devrais être vacciné contre le pneumocoque. je l'ai déjà "
       "eu ce vaccin ?"])
def _(p):
    z = [x for x in imms(p) if any(c in codes(x[1]['vaccineCode']) for c in ('133', '33', '152', '215', '216'))]
    assert not z
    return NF('no pneumococcal Immunization (CVX 33/133/152/215/216); only influenza, hepatitis A adult and Td')

@case(3, 27, 'Laurie_McCullough', 'last_visit',
      ["c t quand la derniere fois que jsuis allée chez le medecin ? et c'etait pour quoi deja"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']}, reason "
                  f"{r['reasonCode'][0]['coding'][0]['display']} (sore throat)")

@case(3, 28, 'Josue_Sipes', 'meaning',
      ["Le labo a mis mon potassium en gras sur la dernière prise de sang. J'ai une insuffisance rénale et je "
       "prends de l'hydrochlorothiazide. C'était combien exactement, et est-ce que c'est trop haut ?"])
def _(p):
    o = latest_obs(p, '6298-4')
    return G(refs(o), [rs(val(r)) for _, r in o] + [d10(cdate(o[0][1]))], 'all',
             note=f'potassium LOINC 6298-4 on the latest date {d10(cdate(o[0][1]))}: two results ' +
                  ', '.join(f'{val(r):.2f}' for _, r in o) + ' mmol/L; no referenceRange recorded')

@case(3, 29, 'Annmarie_Doyle', 'not_found',
      ["Maman a fait une chute le mois dernier (rien de cassé heureusement). Le kiné demande son taux de "
       "vitamine D. C'était combien à sa dernière prise de sang ?"])
def _(p):
    assert not any(set(codes(r['code'])) & {'1989-3', '62292-8', '14635-7'} for _, r in by_type(p, 'Observation'))
    return NF('no vitamin D Observation (25-OH vitamin D 1989-3/62292-8/14635-7) in the record')

@case(3, 30, 'Martina_Murazik', 'followup',
      ["elle a fait sa dernière spirométrie quand ma mère ?", "et elle en a fait combien en tout ?"])
def _(p):
    pr = proc(p, '127783003')
    return G(refs(pr), [str(len(pr))], 'any',
             note=f'Procedures SNOMED 127783003 spirometry: last {d10(cdate(pr[-1][1]))}; total {len(pr)}')

# ================================================================ batch 4
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

@case(4, 31, 'Emery_Purdy', 'latest',
      ["Salut, mon cholestérol total il était à combien à la dernière analyse ? Mon frère vient de faire un "
       "infarctus à 56 ans et ça m'a un peu secoué, je veux savoir où j'en suis."])
def _(p):
    o = latest_obs(p, '2093-3')
    r = o[-1][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'latest total cholesterol LOINC 2093-3: {val(r):.2f} mg/dL on {d10(cdate(r))}')

@case(4, 32, 'Luigi_Wiegand', 'previous',
      ["Il mesurait combien Luigi à la visite d'avant ? Au dernier rdv la pédiatre a noté 66 cm, je voudrais "
       "voir combien il a pris"])
def _(p):
    o = obs(p, '8302-2')
    prev = o[-2]
    return G([prev[0]], [rs(val(prev[1])), d10(cdate(prev[1]))], 'all',
             note=f'body height LOINC 8302-2 by date: latest {d10(cdate(o[-1][1]))} {val(o[-1][1]):.1f} cm; previous '
                  f'{d10(cdate(prev[1]))} {val(prev[1]):.2f} cm')

@case(4, 33, 'Emery_Purdy', 'count',
      ["combien d'hémoglobines glyquées on m'a faites depuis 2018 ?"])
def _(p):
    o = [x for x in obs(p, '4548-4') if cdate(x[1]) >= '2018']
    return G(refs(o), [str(len(o))], 'any',
             note=f'HbA1c LOINC 4548-4 with effectiveDateTime from 2018-01-01: {len(o)} (' +
                  ', '.join(d10(cdate(r)) for _, r in o) + ')')

@case(4, 34, 'Luigi_Wiegand', 'list',
      ["Bonjour, mon bébé a 5 mois, la crèche me demande la liste de ses vaccins déjà faits et j'ai oublié le "
       "carnet de santé chez ma belle-mère. Vous pouvez me dire tous les vaccins qu'il a reçus ?"])
def _(p):
    o = imms(p)
    return G(refs(o), [str(len(o))], 'all',
             note=f'all {len(o)} Immunizations, by date: ' +
                  ', '.join(f"{d10(cdate(r))} {r['vaccineCode']['text']}" for _, r in o))

@case(4, 35, 'US_MEDITECH_ips_2', 'still_on',
      ["Pour mon anémie avec le rein greffé on m'avait mis des injections d'Aranesp (darbépoétine). C'est "
       "toujours actif dans mon dossier ou ça a été arrêté ?"])
def _(p):
    m = [(ref, r) for ref, r in by_type(p, 'MedicationRequest') if r['medicationReference']['reference'].endswith('e8e38913-6936-56e3-990d-266f5b279bf4')]
    r = m[0][1]
    start = r['dispenseRequest']['validityPeriod']['start']
    return G(refs(m), [start], 'all',
             note=f"MedicationRequest darbepoetin alfa (Aranesp) status={r['status']}, validity/bounds start {start}, "
                  f"no end: still active (a MedicationStatement known only by NDC with the same 1000 mcg IV daily "
                  f"dosage is also active since 2020-11-16)")

@case(4, 36, LIS, 'ever_had',
      ["Ma fille a-t-elle déjà eu le covid d'après son dossier ? On a eu un doute en février 2020, elle avait "
       "beaucoup de fièvre et toussait, mais à l'époque on ne savait pas grand-chose."])
def _(p):
    c = [(ref, r) for ref, r in by_type(p, 'Condition') if '840539006' in codes(r['code'])]
    o = [(ref, r) for ref, r in by_type(p, 'Observation') if '94531-1' in codes(r['code']) and 'valueCodeableConcept' in r]
    return G(refs(c) + refs(o), [d10(c[0][1]['onsetDateTime'])], 'any',
             note='Condition SNOMED 840539006 COVID-19 onset 2020-02-29 and Observation 94531-1 SARS-CoV-2 RNA '
                  '"Detected" the same day (a twin Observation holds only the placeholder "{entry.value}")')

@case(4, 37, 'Annmarie_Doyle', 'last_visit',
      ["ma mère a vu le docteur quand pour la dernière fois ? elle me dit « y a pas longtemps » mais avec elle "
       "ça peut vouloir dire deux ans 😅"])
def _(p):
    e = last_encounter(p)
    r = e[0][1]
    return G(refs(e), [d10(cdate(r))], 'all',
             note=f"latest Encounter {d10(cdate(r))}: {r['type'][0]['text']} (annual check-up)")

@case(4, 38, 'Lupe_Little', 'meaning',
      ["On m'a dit que j'avais de l'anémie depuis des années mais personne ne m'a jamais vraiment expliqué. "
       "Ma dernière hémoglobine c'était combien, et c'est bas comment pour un homme ?"])
def _(p):
    o = latest_obs(p, '718-7')
    r = o[-1][1]
    return G(refs(o), [rs(val(r)), d10(cdate(r))], 'all',
             note=f'only/latest hemoglobin LOINC 718-7: {val(r):.3f} g/dL on {d10(cdate(r))}; no referenceRange in '
                  f'the record (usual adult male range about 13-17 g/dL: mildly low)')

@case(4, 39, LIS, 'not_found',
      ["est-ce qu'il y a des allergies notées pour ma fille ? elle va en classe verte et l'école veut savoir"])
def _(p):
    assert not by_type(p, 'AllergyIntolerance')
    return NF('no AllergyIntolerance resource; the Composition Allergies section is empty')

@case(4, 40, 'US_MEDITECH_ips_2', 'followup',
      ["est-ce que j'ai un pacemaker ou un appareil au coeur noté dans mon dossier ? on me le demande pour "
       "une IRM", "ok et ça a été posé quand ?"])
def _(p):
    pr = [(ref, r) for ref, r in by_type(p, 'Procedure') if '175135009' in codes(r['code'])]
    r = pr[0][1]
    return G(refs(pr), [d10(r['performedDateTime'])], 'all',
             note=f"Procedure SNOMED 175135009 'Intro of Pacemaker via vein' performed {d10(r['performedDateTime'])}; "
                  f"Device/DeviceUseStatement: cardiac resynchronization therapy implantable defibrillator (active, no "
                  f"date)")

# ================================================================ MAIN
def build(batch=None):
    rows = []
    for b, meta, fn in CASES:
        if batch is not None and b != batch:
            continue
        row = dict(meta)
        row.update(fn(meta['patient']))
        rows.append((b, row))
    return rows

def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--write':
        n = int(sys.argv[2])
        fn = os.path.join(OUT, f'{LANG}-{n:02d}.jsonl')
        if os.path.exists(fn):
            sys.exit(f'{fn} exists; saved files are final')
        rows = build(n)
        assert 0 < len(rows) <= 10
        with open(fn, 'w', encoding='utf-8') as f:
            for _, row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + '\n')
        print('wrote', fn, len(rows))
        return
    # check mode: recompute gold and compare with the saved files
    saved = {}
    for fn in sorted(glob.glob(os.path.join(OUT, f'{LANG}-*.jsonl'))):
        for line in open(fn, encoding='utf-8'):
            r = json.loads(line)
            saved[r['id']] = r
    bad = 0
    for _, row in build():
        s = saved.get(row['id'])
        if s is None:
            print('not saved yet:', row['id']); continue
        for k in ('patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
            if s.get(k) != row.get(k):
                bad += 1; print('DIFF', row['id'], k, s.get(k), '!=', row.get(k))
    print(f'{len(saved)} saved cases checked, {bad} differences')
    print(json.dumps([r for _, r in build()], ensure_ascii=False, indent=1) if '--print' in sys.argv else '')

if __name__ == '__main__':
    main()
