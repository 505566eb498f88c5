#!/usr/bin/env python3
"""Gold computation for blind record set rb21 (French cases, written natively).

Usage:
  python3 gold-fr.py            -> prints every case (question + recomputed gold) as JSON Lines
  python3 gold-fr.py --check    -> recomputes gold and compares with the saved fr-NN.jsonl files
  python3 gold-fr.py --write N  -> writes fr-0N.jsonl (only if it does not exist yet)
Standard library only. Reads the FHIR bundles read-only.
"""
import json, glob, os, sys, re

DATA = ['/work/shared/data/synthea', '/work/shared/data/realworld']
HERE = os.path.dirname(os.path.abspath(__file__))
LANG = 'fr'
_cache = {}

def load(key):
    if key not in _cache:
        fs = []
        for d in DATA:
            fs += [f for f in glob.glob(os.path.join(d, '*.json'))
                   if os.path.basename(f)[:-5] == key or os.path.basename(f).startswith(key + '_')
                   or os.path.basename(f).startswith(key + '.')]
        assert len(fs) == 1, (key, fs)
        _cache[key] = json.load(open(fs[0], encoding='utf-8'))
    return _cache[key]

def entries(key, rtype=None):
    for e in load(key).get('entry', []):
        r = e.get('resource', {})
        if rtype is None or r.get('resourceType') == rtype:
            yield e

def ref(e):
    r = e['resource']
    if r.get('id'):
        return f"{r['resourceType']}/{r['id']}"
    return e['fullUrl']

def codes(cc):
    out = set()
    if not cc:
        return out
    for c in cc.get('coding', []) or []:
        if c.get('code'):
            out.add(c['code'])
    return out

def text_of(cc):
    if not cc:
        return ''
    parts = [cc.get('text', '')] + [c.get('display', '') for c in cc.get('coding', []) or []]
    return ' '.join(p for p in parts if p)

def cdate(r):
    """clinical date of a resource (string, ISO, possibly partial)"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime',
              'authoredOn', 'recordedDate', 'issued', 'date'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period', 'effectivePeriod'):
        if r.get(k, {}).get('start'):
            return r[k]['start']
    if r.get('occurrenceString'):
        return r['occurrenceString']
    return ''

def d10(s):
    return (s or '')[:10]

def num(v, mode='auto'):
    """A language-neutral string for a measured value.
    Prefer a representation that is both a correct rounding AND a prefix of the raw value, so a reply
    quoting either the raw or the rounded number contains it."""
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return str(int(v))
    raw = repr(v)
    cands = []
    if mode in ('auto', 'int'):
        cands.append(str(int(round(v))))
    if mode in ('auto', 'dec1'):
        cands.insert(0 if mode == 'dec1' else 1, f'{v:.1f}')
    if mode == 'dec2':
        cands = [f'{v:.2f}', f'{v:.1f}']
    for c in cands:
        if raw.startswith(c):
            return c
    return cands[0]

def obs(key, code):
    """Observations carrying `code` (top level), sorted by clinical date."""
    out = [e for e in entries(key, 'Observation') if code in codes(e['resource'].get('code'))]
    return sorted(out, key=lambda e: cdate(e['resource']))

def comp(e, code):
    for c in e['resource'].get('component', []):
        if code in codes(c.get('code')):
            return c.get('valueQuantity', {}).get('value')

def val(e):
    return e['resource'].get('valueQuantity', {}).get('value')

def by_date(es):
    return sorted(es, key=lambda e: cdate(e['resource']))

def last_group(es):
    """entries sharing the latest clinical date (same timestamp, or same day)"""
    es = by_date(es)
    if not es:
        return []
    last = d10(cdate(es[-1]['resource']))
    return [e for e in es if d10(cdate(e['resource'])) == last]

def G(refs, values, note, match='all', nf=False):
    return dict(gold_refs=list(refs), match=match, gold_values=[str(v) for v in values],
                expect_not_found=nf, note=note)

def NF(note):
    return G([], [], note, match='all', nf=True)

CASES = []
def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append(dict(id=f'rb21-{LANG}-{cid:03d}', lang=LANG, patient=patient, kind=kind,
                          turns=turns, fn=fn))
        return fn
    return deco

# ----------------------------------------------------------------------------- helpers
BP, SYS, DIA = '55284-4', '8480-6', '8462-4'
FLU = {'140', '141', '135', '150', '155', '158', '161', '88', '111', '149', '153', '171', '185', '186', '197', '205', '166'}

def meds(key, word):
    out = []
    for t in ('MedicationRequest', 'MedicationStatement'):
        for e in entries(key, t):
            if word.lower() in text_of(e['resource'].get('medicationCodeableConcept')).lower():
                out.append(e)
    return by_date(out)

def imms(key, pred=lambda t, c: True):
    return by_date([e for e in entries(key, 'Immunization')
                    if pred(text_of(e['resource'].get('vaccineCode')).lower(), codes(e['resource'].get('vaccineCode')))])

def encounters(key):
    return by_date(list(entries(key, 'Encounter')))

def enc_type(e):
    return codes((e['resource'].get('type') or [{}])[0])

def procs(key, words):
    return by_date([e for e in entries(key, 'Procedure')
                    if any(w in text_of(e['resource'].get('code')).lower() for w in words)])

def in_year(es, y):
    return [e for e in es if cdate(e['resource']).startswith(str(y))]

def one(es):
    assert len(es) == 1, len(es)
    return es[0]

def blob(key):
    return json.dumps(load(key), ensure_ascii=False).lower()

# ----------------------------------------------------------------------------- cases


@case(1, 'Liz_Conn', 'value_in_year',
      ["Bonjour, je vois le cardiologue la semaine prochaine pour mon hypertension et il m'a demandé de lui "
       "ramener l'historique de ma tension. J'ai le chiffre de l'an dernier, mais pas celui de 2015. Ça donnait "
       "quoi en 2015 ?"])
def _(k):
    e = one(in_year(obs(k, BP), 2015))
    s_, d_ = comp(e, SYS), comp(e, DIA)
    return G([ref(e)], [num(s_, 'int'), num(d_, 'int'), d10(cdate(e['resource']))],
             f'only Observation LOINC 55284-4 dated 2015; components systolic {s_} / diastolic {d_}, given rounded '
             'to whole mmHg')

@case(2, 'Liz_Conn', 'list',
      ["Vous pouvez me lister tous les vaccins que j'ai eus ? Je commence un poste d'aide-soignante et la "
       "médecine du travail veut savoir si mon DTP est à jour"])
def _(k):
    es = imms(k)
    return G([ref(e) for e in es], [d10(cdate(e['resource'])) for e in es if '113' in codes(e['resource']['vaccineCode'])],
             f'all {len(es)} Immunization: influenza x3 (2012, 2015, 2018) and Td adult 2018-08-17 (value = Td date)')

@case(3, 'Lupe_Little', 'previous',
      ["mon poids, pas le dernier hein, celui d'avant. c'était combien ? j'ai l'impression d'avoir pris "
       "pas mal depuis 😬"])
def _(k):
    es = obs(k, '29463-7')
    e = es[-2]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'second-latest Observation LOINC 29463-7 (body weight), raw {val(e)} kg; latest is '
             f'{d10(cdate(es[-1]["resource"]))}')

@case(4, 'Lupe_Little', 'ever_had',
      ["Je m'inscris dans une salle de sport et sur le questionnaire santé il y a « avez-vous déjà fait un arrêt "
       "cardiaque ? ». Ma mère m'a toujours raconté que j'avais fait un gros malaise au foot quand j'étais ado et "
       "qu'on avait dû me réanimer, mais moi j'ai quasi aucun souvenir, et je me sens en pleine forme. Est-ce que "
       "c'est écrit dans mon dossier ? C'était quand ?"])
def _(k):
    es = [e for e in entries(k, 'Condition') if codes(e['resource'].get('code')) & {'410429000', '429007001'}]
    assert len(es) == 2
    return G([ref(e) for e in es], [d10(cdate(es[0]['resource']))],
             'Condition cardiac arrest (410429000) and history of cardiac arrest (429007001), both onset 1996-01-17 '
             'at an emergency encounter -> yes', match='any')

@case(5, 'Luigi_Wiegand', 'count',
      ["Combien de fois mon fils a été vu en consultation chez vous depuis sa naissance ? c'est pour un "
       "remboursement de la mutuelle"])
def _(k):
    es = encounters(k)
    return G([ref(e) for e in es], [len(es)],
             f'count of Encounter resources (all check-ups): ' + ', '.join(d10(cdate(e['resource'])) for e in es))

@case(6, 'Luigi_Wiegand', 'ever_had',
      ["est ce que Luigi a deja eu le ROR ? la creche me le demande et j'ai oublié le carnet de santé chez "
       "ma belle-mère 😅"])
def _(k):
    assert not imms(k, lambda t, c: bool(c & {'03', '94'}) or 'mmr' in t or 'measles' in t)
    return NF('no MMR (CVX 03/94) Immunization in the record (he is a few months old; 12 other infant '
              'vaccines present) -> honest no')

@case(7, 'Laurie_McCullough', 'still_on',
      ["Je prends toujours la pilule Jolivette ou le médecin l'a arrêtée ? Avec la grossesse et tout ça je "
       "m'y perds dans mes ordonnances, et j'ai encore deux plaquettes dans le tiroir"])
def _(k):
    e = one(meds(k, 'jolivette'))
    assert e['resource']['status'] == 'stopped'
    return G([ref(e)], [d10(cdate(e['resource']))],
             'MedicationRequest Jolivette 28 Day Pack, status stopped, authoredOn 2015-06-26 (no explicit end date '
             'recorded) -> stopped')

@case(8, 'Laurie_McCullough', 'last_visit',
      ["c'était quand ma dernière consult et c'était pour quoi déjà ?"])
def _(k):
    enc = encounters(k)[-1]
    cs = [e for e in entries(k, 'Condition') if e['resource'].get('encounter', {}).get('reference', '') == enc['fullUrl']]
    return G([ref(enc)] + [ref(c) for c in cs], [d10(cdate(enc['resource']))],
             'latest Encounter 2020-11-25 (encounter for symptom) with Condition acute viral pharyngitis',
             match='any')

@case(9, 'Annmarie_Doyle', 'count',
      ["Bonjour, je suis la fille d'Annmarie, elle a 86 ans. Le pharmacien veut faire son vaccin grippe cette "
       "année et il demande combien elle en a déjà eu chez vous. Vous pouvez me dire le nombre ?"])
def _(k):
    es = imms(k, lambda t, c: bool(c & FLU) or 'influenza' in t)
    return G([ref(e) for e in es], [len(es)],
             'count of influenza Immunization: ' + ', '.join(d10(cdate(e['resource'])) for e in es)
             + ' (match any: the count is decisive)', match='any')

@case(10, 'Annmarie_Doyle', 'latest',
      ["le bon cholestérol de maman, le HDL, il était à combien au dernier bilan ?"])
def _(k):
    es = last_group(obs(k, '2085-9'))
    e = es[-1]
    return G([ref(x) for x in es], [num(val(e)), d10(cdate(e['resource']))],
             f'latest Observation LOINC 2085-9 (HDL cholesterol), raw {val(e)} mg/dL')


@case(11, 'Fidel_Bins', 'list',
      ["Je me fais opérer du genou le mois prochain et l'anesthésiste veut la liste complète de mes allergies, "
       "pas seulement les médicaments. Je sais qu'il y a les noix et les acariens, mais je crois qu'on m'en a "
       "trouvé d'autres quand j'étais petit. Vous pouvez me donner tout ce qui est dans mon dossier ?"])
def _(k):
    es = list(entries(k, 'AllergyIntolerance'))
    return G([ref(e) for e in es], [],
             f'all {len(es)} AllergyIntolerance (active, 1977-11-01): latex, mould, house dust mite, animal dander, '
             'grass pollen, tree pollen, nut')

@case(12, 'Fidel_Bins', 'count',
      ["combien de fois j'ai été hospitalisé en urgence pour mon asthme ? le pneumo me pose la question et "
       "franchement je sais plus"])
def _(k):
    es = [e for e in encounters(k) if '183478001' in enc_type(e)]
    return G([ref(e) for e in es], [len(es)] + [d10(cdate(e['resource'])) for e in es],
             'Encounter type 183478001 (emergency hospital admission for asthma): '
             + ', '.join(d10(cdate(e['resource'])) for e in es) + '; the other asthma encounters are follow-ups')

@case(13, 'Martina_Murazik', 'value_in_year',
      ["Ma mère fait son test du souffle tous les ans pour sa bronchite chronique. Le chiffre de 2017, "
       "le pourcentage, c'était combien ? On compare avec celui de cette année."])
def _(k):
    e = one(in_year(obs(k, '19926-5'), 2017))
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'only Observation LOINC 19926-5 (FEV1/FVC) dated 2017, raw {val(e)} %')

@case(14, 'Martina_Murazik', 'last_visit',
      ["Bonjour c'est sa fille. Maman a eu un rendez-vous chez vous en fin d'année je crois, c'était quand "
       "exactement et pourquoi ? On a perdu les papiers dans le déménagement"])
def _(k):
    enc = encounters(k)[-1]
    pr = [e for e in entries(k, 'Procedure') if e['resource'].get('encounter', {}).get('reference', '') == enc['fullUrl']]
    return G([ref(enc)] + [ref(x) for x in pr], [d10(cdate(enc['resource']))],
             'latest Encounter 2020-12-12 (encounter for problem) with a plain chest X-ray Procedure and a '
             'metabolic panel', match='any')

@case(15, 'Martina_Murazik', 'list',
      ["Quels médicaments maman doit prendre en ce moment d'après son dossier ? L'infirmière à domicile passe "
       "demain pour préparer le pilulier de la semaine"])
def _(k):
    es = [e for e in entries(k, 'MedicationRequest') if e['resource']['status'] == 'active']
    return G([ref(e) for e in es], [],
             f'{len(es)} active MedicationRequest: ferrous sulfate 325 MG, fluticasone/salmeterol inhaler, '
             'metoprolol succinate 100 MG ER, Lasix 40mg')

@case(16, 'Emery_Purdy', 'latest',
      ["ma glycémie du dernier bilan ? le diabéto me la demande pour lundi"])
def _(k):
    es = last_group(obs(k, '2339-0'))
    e = es[-1]
    return G([ref(x) for x in es], [num(val(e)), d10(cdate(e['resource']))],
             f'latest Observation LOINC 2339-0 (glucose), raw {val(e)} mg/dL')

@case(17, 'Emery_Purdy', 'count',
      ["Normalement l'hémoglobine glyquée c'est tous les 3 mois quand on est diabétique non ? J'ai "
       "l'impression qu'on m'en fait beaucoup moins. Combien j'en ai fait depuis début 2018 ?"])
def _(k):
    es = [e for e in obs(k, '4548-4') if cdate(e['resource'])[:10] >= '2018-01-01']
    return G([ref(e) for e in es], [len(es)],
             'count of Observation LOINC 4548-4 (HbA1c) dated >= 2018-01-01: '
             + ', '.join(d10(cdate(e['resource'])) for e in es))

@case(18, 'Emery_Purdy', 'still_on',
      ["J'ai encore une boîte de naproxène dans l'armoire, de l'époque de mon accident de voiture (le coup du "
       "lapin). Est-ce que c'est toujours dans mon traitement ? Je voudrais en reprendre pour mon dos qui me "
       "tue depuis une semaine, mais avec mon diabète et ma tension je préfère vérifier."])
def _(k):
    e = one(meds(k, 'naproxen'))
    assert e['resource']['status'] == 'stopped'
    return G([ref(e)], [d10(cdate(e['resource']))],
             'MedicationRequest naproxen sodium 220 MG, status stopped, authoredOn 2011-10-22 (whiplash) -> '
             'no longer on it')

@case(19, 'Daisey_Johns', 'last_visit',
      ["c'était quand le dernier rdv de ma fille chez vous ? et c'était pour quoi ? "
       "je confonds avec la fois où elle avait le nez bouché"])
def _(k):
    enc = encounters(k)[-1]
    return G([ref(enc)], [d10(cdate(enc['resource']))],
             'latest Encounter by period.start: 2020-12-19 check-up (flu vaccine given); the viral sinusitis visit '
             'was just before, 2020-12-15')

@case(20, 'Daisey_Johns', 'still_on',
      ["Est-ce que ma fille a toujours la Ventoline sur son traitement ? L'école veut garder un inhalateur à "
       "l'infirmerie et demande si c'est toujours d'actualité"])
def _(k):
    e = one(meds(k, 'albuterol'))
    assert e['resource']['status'] == 'active'
    return G([ref(e)], [d10(cdate(e['resource']))],
             'MedicationRequest albuterol (salbutamol, Ventoline) 0.09 MG/ACTUAT inhaler, status active, '
             'authoredOn 2018-04-10 -> still on it')


@case(21, 'Renea_Quigley', 'meaning',
      ["Depuis qu'on m'a dit que le diabète touchait un peu mes reins, je surveille. Mon dernier test d'urine, "
       "la microalbumine, il donne quoi ? C'est normal ou pas ? Le labo n'a rien mis en gras cette fois."])
def _(k):
    es = last_group(obs(k, '14959-1'))
    e = one(es)
    assert not e['resource'].get('referenceRange')
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'latest Observation LOINC 14959-1 (microalbumin/creatinine ratio), raw {val(e)} mg/g; no '
             'referenceRange recorded (usual normal < 30 mg/g)')

@case(22, 'Renea_Quigley', 'followup',
      ["Ma dernière glycémie c'était combien ?", "et l'année d'avant ?"])
def _(k):
    es = obs(k, '2339-0')
    last_year = int(cdate(es[-1]['resource'])[:4])
    prev = in_year(es, last_year - 1)
    assert prev
    return G([ref(e) for e in prev], [num(val(e)) for e in prev] + [d10(cdate(prev[-1]['resource']))],
             f'turn 1: latest glucose (2339-0) on {d10(cdate(es[-1]["resource"]))} (two results that day); turn 2 '
             f'asks the year before ({last_year - 1}): ' + ', '.join(f"{d10(cdate(e['resource']))}={val(e)}" for e in prev))

@case(23, 'Josue_Sipes', 'previous',
      ["Ma tension de la dernière fois était vraiment haute, le médecin m'a un peu grondé. Mais celle d'avant, "
       "c'était combien ? Je veux savoir si c'est nouveau ou si ça traîne."])
def _(k):
    es = obs(k, BP)
    e = es[-2]
    s_, d_ = comp(e, SYS), comp(e, DIA)
    return G([ref(e)], [num(s_, 'int'), num(d_, 'int'), d10(cdate(e['resource']))],
             f'second-latest Observation LOINC 55284-4 by date; components {s_} / {d_}, rounded to whole mmHg')

@case(24, 'Josue_Sipes', 'not_found',
      ["J'ai 65 ans et mon frère vient d'apprendre qu'il a un cancer de la prostate. C'était combien mon "
       "dernier PSA ?"])
def _(k):
    assert not obs(k, '2857-1')
    b = blob(k)
    assert 'prostate' not in b and 'psa' not in b
    return NF('no PSA Observation (2857-1) and no prostate-related entry in the record -> not in record')

@case(25, 'Josue_Sipes', 'latest',
      ["mon mauvais cholestérol au dernier bilan ?"])
def _(k):
    es = last_group(obs(k, '18262-6'))
    assert len(es) == 2
    return G([ref(e) for e in es], [num(val(e)) for e in es] + [d10(cdate(es[0]['resource']))],
             'two Observations LOINC 18262-6 (LDL) on the same latest date 2021-03-13: '
             + ', '.join(str(val(e)) for e in es) + ' mg/dL -> both are gold')

@case(26, 'Vito_Feeney', 'ever_had',
      ["Mon père est décédé en 1979. Pour une consultation d'oncogénétique on me demande s'il avait eu des "
       "biopsies de la prostate. Est-ce que c'est dans son dossier, et si oui combien et quand ?"])
def _(k):
    es = procs(k, ['biopsy of prostate'])
    return G([ref(e) for e in es], [len(es)] + [d10(cdate(e['resource'])) for e in es],
             'Procedure SNOMED 65575008 biopsy of prostate: ' + ', '.join(d10(cdate(e['resource'])) for e in es)
             + ' (neoplasm of prostate recorded 1977-11-07)')

@case(27, 'Vito_Feeney', 'followup',
      ["c'était quoi le dernier PSA de papa ?", "et celui d'avant ?"])
def _(k):
    es = obs(k, '2857-1')
    e = es[-2]
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'PSA (2857-1) by date; latest {d10(cdate(es[-1]["resource"]))}={val(es[-1])}; turn 2 asks the one '
             f'before -> {val(e)} ng/mL')

@case(28, 'IPS_IG-bundle-01', 'still_on',
      ["Est-ce que l'anastrozole est toujours noté comme traitement en cours ? Et depuis quand je le prends "
       "d'après le dossier ? Mon oncologue me parle d'arrêter au bout de 5 ans."])
def _(k):
    med = [e for e in entries(k, 'Medication') if 'anastrozole' in text_of(e['resource'].get('code')).lower()]
    ms = [e for e in entries(k, 'MedicationStatement')
          if e['resource'].get('medicationReference', {}).get('reference') == one(med)['fullUrl']]
    e = one(ms)
    assert e['resource']['status'] == 'active'
    return G([ref(e)], [e['resource']['effectivePeriod']['start']],
             'MedicationStatement -> Medication anastrozole, status active, effectivePeriod.start 2015-03 '
             '(partial date) -> still taking it, since March 2015')

@case(29, 'IPS_IG-bundle-01', 'meaning',
      ["Mon hémoglobine glyquée à 7,5 c'est grave docteur ? 😅 non sérieusement c'est trop haut ou ça va ?"])
def _(k):
    e = one(obs(k, '17856-6'))
    assert not e['resource'].get('referenceRange')
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             'Observation LOINC 17856-6 HbA1c 7.5 % on 2017-11-10; no referenceRange, but a note "Above stated goal '
             'of 7.0 %" -> above the target')

@case(30, 'AT_ELGA_GmbH_01', 'meaning',
      ["J'ai un dossier qui vient d'Autriche, tout en allemand. Ma ferritine était à combien sur la prise de "
       "sang de décembre 2016, et est-ce que c'est normal ? J'ai lu que trop de fer c'était mauvais pour le foie."])
def _(k):
    e = one(obs(k, '2276-4'))
    rr = e['resource']['referenceRange'][0]
    return G([ref(e)], [num(val(e)), num(rr['low']['value']), num(rr['high']['value']), d10(cdate(e['resource']))],
             f"Observation LOINC 2276-4 ferritin {val(e)} ug/L, referenceRange {rr['low']['value']}-"
             f"{rr['high']['value']}, interpretation HH (critical high) -> well above range")


@case(31, 'AT_ELGA_GmbH_01', 'value_in_year',
      ["mes globules blancs en 2016 ça donnait quoi ? (c'est écrit Leukozyten je crois)"])
def _(k):
    e = one(in_year(obs(k, '26464-8'), 2016))
    rr = e['resource']['referenceRange'][0]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f"only Observation LOINC 26464-8 (leukocytes) in 2016: {val(e)} 10*9/L, range {rr['low']['value']}-"
             f"{rr['high']['value']}, flagged H; resource has no id -> cited by fullUrl")

@case(32, 'US_MEDITECH_ips_2', 'list',
      ["Je suis allergique à quoi d'après mon dossier ? Juste la liste, c'est pour le dentiste qui veut me "
       "mettre sous antibiotique"])
def _(k):
    es = list(entries(k, 'AllergyIntolerance'))
    return G([ref(e) for e in es], [],
             f'{len(es)} AllergyIntolerance, both active, recorded 2024-04-29: ampicillin and penicillin G')

@case(33, 'US_MEDITECH_ips_2', 'ever_had',
      ["Depuis ma greffe de rein on me répète que le vaccin contre la grippe est super important. Est-ce que "
       "je l'ai déjà fait chez vous ? Je me souviens vaguement qu'on me l'avait proposé une fois il y a "
       "longtemps mais je ne sais plus si je l'ai fait."])
def _(k):
    es = imms(k, lambda t, c: bool(c & FLU) or 'influenza' in t)
    e = one(es)
    assert e['resource']['status'] == 'not-done'
    return G([ref(e)], [d10(cdate(e['resource']))],
             'only influenza Immunization (CVX 166) has status not-done, statusReason "Patient Refused", dated '
             '2015-06-22 -> no flu vaccine given on record (offered and refused)')

@case(34, 'US_MEDITECH_ips_2', 'not_found',
      ["je pesais combien à ma dernière visite ? on me dit de surveiller mon poids"])
def _(k):
    assert not list(entries(k, 'Observation'))
    return NF('no Observation in the bundle (no weight measured); only a resolved "Overweight" Condition and a '
              'note "Watch Weight of patient" -> weight value not in record')

@case(35, 'Lisandra920_Schroeder447', 'latest',
      ["Ma fille a été vue pour le covid, elle avait combien de fièvre exactement quand ils l'ont prise ? "
       "Le médecin traitant veut le chiffre"])
def _(k):
    e = one(last_group(obs(k, '8331-1')))
    return G([ref(e)], [num(val(e), 'dec1'), d10(cdate(e['resource']))],
             f'latest (only) Observation LOINC 8331-1 oral temperature, raw {val(e)} Cel')

@case(36, 'Lisandra920_Schroeder447', 'not_found',
      ["quels médicaments on lui a donné pour le covid ? je retrouve plus l'ordonnance et la pharmacie "
       "me demande"])
def _(k):
    assert not any(e['resource']['resourceType'] in ('MedicationRequest', 'MedicationStatement',
                                                      'MedicationAdministration', 'Medication')
                   for e in entries(k))
    return NF('no Medication* resource in the bundle (the Composition "Medications" section is empty); only a '
              'face mask Procedure -> no prescription in record')

@case(37, 'Daisey_Johns', 'meaning',
      ["Quand elle était bébé on a fait des prises de sang pour les allergies à ma fille. Pour l'arachide ça "
       "donnait un chiffre genre 0,3 quelque chose. Ça veut dire qu'elle est allergique aux cacahuètes ou pas ? "
       "Elle en a jamais mangé, on a trop peur."])
def _(k):
    e = one(obs(k, '6206-7'))
    assert not e['resource'].get('referenceRange')
    assert not [a for a in entries(k, 'AllergyIntolerance') if 'peanut' in text_of(a['resource'].get('code')).lower()]
    return G([ref(e)], [num(val(e), 'dec2'), d10(cdate(e['resource']))],
             f'Observation LOINC 6206-7 peanut IgE {val(e)} kU/L on 2016-01-15, no referenceRange recorded (usual '
             'cut-off 0.35 kU/L -> below it); no peanut AllergyIntolerance recorded')

@case(38, 'Fidel_Bins', 'followup',
      ["mon cholestérol total au dernier bilan c'était combien ?", "et en 2015 ?"])
def _(k):
    es = obs(k, '2093-3')
    e = one(in_year(es, 2015))
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'turn 1: latest 2093-3 {d10(cdate(es[-1]["resource"]))}={val(es[-1])}; turn 2 asks 2015: {val(e)} mg/dL')

@case(39, 'AT_ELGA_GmbH_01', 'followup',
      ["Mon hémoglobine, elle était à combien sur les analyses autrichiennes ?", "et c'est dans les normes ça ?"])
def _(k):
    e = one(obs(k, '718-7'))
    rr = e['resource']['referenceRange'][0]
    return G([ref(e)], [num(val(e)), num(rr['low']['value']), num(rr['high']['value'])],
             f"Observation LOINC 718-7 haemoglobin {val(e)} g/dL on 2016-12-01, referenceRange "
             f"{rr['low']['value']}-{rr['high']['value']}, interpretation N -> within range")

@case(40, 'Renea_Quigley', 'previous',
      ["Mon cholestérol a enfin baissé au dernier contrôle 🎉 mais il était à combien la fois d'avant ?"])
def _(k):
    es = obs(k, '2093-3')
    e = es[-2]
    return G([ref(e)], [num(val(e)), d10(cdate(e['resource']))],
             f'second-latest Observation LOINC 2093-3 (total cholesterol), raw {val(e)} mg/dL; latest '
             f'{d10(cdate(es[-1]["resource"]))}={val(es[-1])}')

# === END CASES

def build(c):
    g = c['fn'](c['patient'])
    out = {k: c[k] for k in ('id', 'lang', 'patient', 'kind', 'turns')}
    out.update(g)
    return out

def main():
    args = sys.argv[1:]
    built = [build(c) for c in CASES]
    if args and args[0] == '--write':
        n = int(args[1])
        path = os.path.join(HERE, f'{LANG}-{n:02d}.jsonl')
        if os.path.exists(path):
            sys.exit(f'{path} exists; saved files are final')
        chunk = built[(n - 1) * 10: n * 10]
        with open(path, 'w', encoding='utf-8') as f:
            for o in chunk:
                f.write(json.dumps(o, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
    elif args and args[0] == '--check':
        saved = {}
        for p in sorted(glob.glob(os.path.join(HERE, f'{LANG}-*.jsonl'))):
            for line in open(p, encoding='utf-8'):
                o = json.loads(line); saved[o['id']] = o
        bad = 0
        for o in built:
            s = saved.get(o['id'])
            if s is None:
                continue
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note', 'turns', 'patient', 'kind'):
                if s[k] != o[k]:
                    bad += 1; print('MISMATCH', o['id'], k)
        print(f'checked {len(saved)} saved cases, {bad} mismatches')
    else:
        for o in built:
            print(json.dumps(o, ensure_ascii=False))

if __name__ == '__main__':
    main()
