#!/usr/bin/env python3
"""Gold for the French blind record set rb7-fr-001..040.

Usage:
  python3 gold-fr.py            -> recompute gold for every case and compare with the saved fr-0N.jsonl files
  python3 gold-fr.py write N    -> write fr-0N.jsonl (batch N, refuses to overwrite)
Standard library only. Reads only /work/shared/data/synthea/*.json and /work/shared/data/realworld/*.json.
Numbers in gold_values: values the record has with short decimals are given as written; long Synthea floats
are given as their integer part, and only when the fractional part is < 0.5 (so every usual rounding of the
value contains that string); otherwise the decisive date is used instead.
"""
import json, glob, os, sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.dirname(os.path.abspath(__file__))
_cache = {}

def path_of(patient):
    p = os.path.join(RW, patient + '.json')
    if os.path.exists(p):
        return p
    m = [f for f in glob.glob(os.path.join(SYN, patient + '_*.json'))]
    assert len(m) == 1, (patient, m)
    return m[0]

def load(patient):
    if patient not in _cache:
        _cache[patient] = json.load(open(path_of(patient), encoding='utf-8'))
    return _cache[patient]

def entries(patient, rtype=None):
    for e in load(patient).get('entry', []):
        r = e.get('resource', {})
        if rtype is None or r.get('resourceType') == rtype:
            yield e

def ref(e):
    r = e['resource']
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return e['fullUrl']

def cdate(r):
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime', 'authoredOn'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if r.get(k, {}).get('start'):
            return r[k]['start']
    return ''

def day(s):
    return s[:10]

def codes(r, field='code'):
    c = r.get(field) or {}
    return {x.get('code') for x in c.get('coding', [])}

def obs(patient, code):
    """Observations with this code (top-level code), sorted by clinical date."""
    L = [e for e in entries(patient, 'Observation') if code in codes(e['resource'])]
    return sorted(L, key=lambda e: cdate(e['resource']))

def val(e):
    return e['resource']['valueQuantity']['value']

def comp(e, code):
    for c in e['resource'].get('component', []):
        if code in codes(c):
            return c['valueQuantity']['value']
    raise KeyError(code)

def num(x, dp=0):
    """language-neutral string for a number (see docstring): value as recorded when it has <= dp decimals,
    else the value truncated to dp decimals provided truncation equals rounding (next digit < 5), else None."""
    import math
    if float(x).is_integer():
        return str(int(x))
    if round(x, dp) == x:
        return '%.*f' % (dp, x)
    f = x * 10 ** dp
    if f - math.floor(f) >= 0.5:
        return None          # ambiguous under rounding: caller keeps only the date
    return '%.*f' % (dp, math.floor(f) / 10 ** dp)

def vals(*xs):
    return [x for x in xs if x is not None]

def latest_group(L):
    """all entries sharing the latest clinical date (same timestamp)"""
    last = cdate(L[-1]['resource'])
    return [e for e in L if cdate(e['resource']) == last]

def imms(patient, cvx=None):
    L = [e for e in entries(patient, 'Immunization') if cvx is None or codes(e['resource'], 'vaccineCode') & set(cvx)]
    return sorted(L, key=lambda e: cdate(e['resource']))

def encounters(patient):
    return sorted(entries(patient, 'Encounter'), key=lambda e: cdate(e['resource']))

def by_code(patient, rtype, code, field='code'):
    return [e for e in entries(patient, rtype) if code in codes(e['resource'], field)]

def med_code(patient, code):
    return [e for e in entries(patient, 'MedicationRequest') if code in codes(e['resource'], 'medicationCodeableConcept')]

def find_id(patient, rid):
    m = [e for e in entries(patient) if e['resource'].get('id') == rid or e.get('fullUrl') == rid]
    assert len(m) == 1, rid
    return m[0]

CASES = []

def case(n, batch, patient, kind, turns, note, match='all', expect_not_found=False):
    def deco(fn):
        CASES.append(dict(n=n, batch=batch, patient=patient, kind=kind, turns=turns, note=note,
                          match=match, expect_not_found=expect_not_found, fn=fn))
        return fn
    return deco

# ---------------------------------------------------------------- batch 1

@case(1, 1, 'Annmarie_Doyle', 'latest',
      ["bonjour, c'était combien mon mauvais cholestérol (le LDL) la dernière fois qu'on me l'a dosé ? mon fils dit que je mange trop de fromage 🙄"],
      "latest Observation LOINC 18262-6 (LDL cholesterol) by effectiveDateTime; value integer part + date")
def _():
    e = obs('Annmarie_Doyle', '18262-6')[-1]
    return [ref(e)], vals(num(val(e)), day(cdate(e['resource'])))

@case(2, 1, 'Annmarie_Doyle', 'count',
      ["Je voudrais savoir combien de vaccins contre la grippe j'ai eu en tout chez vous. La pharmacienne me demande si je le fais tous les ans et franchement je ne me souviens plus, à mon âge on oublie tout."],
      "count of Immunization with CVX 140 (seasonal influenza), all dates", match='any')
def _():
    L = imms('Annmarie_Doyle', ['140'])
    return [ref(e) for e in L], [str(len(L))]

@case(3, 1, 'Annmarie_Doyle', 'followup',
      ["je pesais combien à ma dernière visite ?", "et l'année d'avant ?"],
      "Body weight LOINC 29463-7 sorted by date; second turn = the one before the latest")
def _():
    L = obs('Annmarie_Doyle', '29463-7')
    e = L[-2]
    return [ref(e)], vals(num(val(e)), day(cdate(e['resource'])))

@case(4, 1, 'Daisey_Johns', 'list',
      ["Bonsoir, je suis la maman de Daisey. Elle part en classe verte la semaine prochaine et l'école me demande la liste de ses allergies pour la fiche sanitaire. Je sais qu'il y a les abeilles et les oeufs mais je crois qu'il y en a d'autres qu'on a vues au test chez l'allergologue... vous pouvez me redonner la liste complète qui est dans son dossier svp ?"],
      "all AllergyIntolerance resources with clinicalStatus active (8)")
def _():
    L = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')
         if 'active' in codes(e['resource'], 'clinicalStatus')]
    return [ref(e) for e in L], []

@case(5, 1, 'Daisey_Johns', 'last_visit',
      ["c quand son dernier rdv au cabinet a ma fille et c'était pour quoi ?"],
      "latest Encounter by period.start (2020-12-19 check-up, after the 2020-12-15 sinusitis visit)")
def _():
    e = encounters('Daisey_Johns')[-1]
    return [ref(e)], [day(cdate(e['resource']))]

@case(6, 1, 'Liz_Conn', 'still_on',
      ["Est-ce que je suis toujours censée prendre l'hydrochlorothiazide ? J'ai un doute, j'ai l'impression qu'on n'en a plus parlé depuis des années et il me reste une boîte."],
      "MedicationRequest hydrochlorothiazide (RxNorm 316049): status active, authoredOn date")
def _():
    L = med_code('Liz_Conn', '316049')
    assert len(L) == 1 and L[0]['resource']['status'] == 'active'
    return [ref(L[0])], [day(L[0]['resource']['authoredOn'])]

@case(7, 1, 'Liz_Conn', 'latest',
      ["mon bilan rénal, le dernier, ça disait quoi ? c'est le chiffre de la filtration que je veux"],
      "latest Observation LOINC 33914-3 (eGFR) by effectiveDateTime")
def _():
    e = obs('Liz_Conn', '33914-3')[-1]
    return [ref(e)], vals(num(val(e)), day(cdate(e['resource'])))

@case(8, 1, 'Luigi_Wiegand', 'ever_had',
      ["Bonjour, mon bébé a-t-il déjà eu le vaccin ROR (rougeole) ? La crèche veut savoir, je trouve plus son carnet de santé 😩"],
      "no Immunization with CVX 03/94 (MMR / MMRV) and no measles vaccine in the record -> not in record",
      match='all', expect_not_found=True)
def _():
    assert not imms('Luigi_Wiegand', ['03', '94', '05'])
    return [], []

@case(9, 1, 'IPS_IG-bundle-01', 'list',
      ["Quels médicaments je prends actuellement d'après mon dossier ?"],
      "MedicationStatements with status active (anastrozole via Medication ref, black cohosh)")
def _():
    L = [e for e in entries('IPS_IG-bundle-01', 'MedicationStatement') if e['resource']['status'] == 'active']
    return [ref(e) for e in L], []

@case(10, 1, 'IPS_IG-bundle-01', 'list',
      ["Je vais me faire opérer des dents et le dentiste veut savoir à quoi je suis allergique. Il y a quoi dans mon dossier ? Pour info je mange de tout, pas de souci avec la nourriture."],
      "AllergyIntolerance that is a real allergy: penicillin; the 'No known food allergy' entry (SNOMED 429625007) is excluded")
def _():
    L = [e for e in entries('IPS_IG-bundle-01', 'AllergyIntolerance') if '429625007' not in codes(e['resource'])]
    return [ref(e) for e in L], []

# ---------------------------------------------------------------- batch 2

@case(11, 2, 'Laurie_McCullough', 'still_on',
      ["Petite question : la pilule Jolivette, elle est toujours sur mon ordonnance ou elle a été arrêtée ? Je l'ai plus prise depuis un moment mais la pharmacie m'a demandé."],
      "MedicationRequest Jolivette (RxNorm 757594): status stopped; authoredOn date (no end date recorded)")
def _():
    L = med_code('Laurie_McCullough', '757594')
    assert len(L) == 1 and L[0]['resource']['status'] == 'stopped'
    return [ref(L[0])], [day(L[0]['resource']['authoredOn'])]

@case(12, 2, 'Laurie_McCullough', 'not_found',
      ["c'était quand mon dernier frottis ? la gynéco me dit que je dois en refaire un mais je sais plus si ça fait 3 ans ou pas"],
      "no cervical screening (Pap smear / cervical cytology / HPV test) anywhere in the record; HPV *vaccines* are not a smear",
      expect_not_found=True)
def _():
    for e in entries('Laurie_McCullough'):
        r = e['resource']
        if r['resourceType'] in ('Procedure', 'Observation', 'DiagnosticReport'):
            t = json.dumps(r.get('code', {})).lower()
            assert not any(w in t for w in ('cervi', 'papanicolaou', 'pap smear', 'cytolog', 'hpv')), t
    return [], []

@case(13, 2, 'Lupe_Little', 'previous',
      ["Bonjour docteur, j'ai vu que ma glycémie moyenne, l'hémoglobine glyquée je crois, a été refaite. Mais je voudrais comparer avec celle d'avant, pas la dernière : c'était combien la fois précédente ? Je suis prédiabétique et je fais attention au sucre depuis deux ans, je voudrais voir si ça sert à quelque chose."],
      "HbA1c LOINC 4548-4 sorted by date; the one before the latest (value to 1 decimal + date)")
def _():
    e = obs('Lupe_Little', '4548-4')[-2]
    return [ref(e)], vals(num(val(e), 1), day(cdate(e['resource'])))

@case(14, 2, 'Lupe_Little', 'last_visit',
      ["Je suis venue quand la dernière fois ?"],
      "latest Encounter by period.start")
def _():
    e = encounters('Lupe_Little')[-1]
    return [ref(e)], [day(cdate(e['resource']))]

@case(15, 2, 'Fidel_Bins', 'ever_had',
      ["mon nouveau pneumologue me demande si j'ai déjà été hospitalisé ou passé aux urgences pour une crise d'asthme. moi je me souviens d'une fois où j'ai vraiment cru y passer mais je sais plus l'année... c'est noté ?"],
      "Encounter class EMER 'Emergency hospital admission for asthma'; gold = that encounter and its date")
def _():
    L = [e for e in encounters('Fidel_Bins') if e['resource']['class']['code'] == 'EMER'
         and 'asthma' in json.dumps(e['resource'].get('type', [])).lower()]
    assert len(L) == 1
    return [ref(L[0])], [day(cdate(L[0]['resource']))]

@case(16, 2, 'Fidel_Bins', 'value_in_year',
      ["Mon LDL (le mauvais cholestérol) en 2015 il était à combien svp"],
      "Observation LOINC 18262-6 with effectiveDateTime in 2015")
def _():
    L = [e for e in obs('Fidel_Bins', '18262-6') if cdate(e['resource']).startswith('2015')]
    assert len(L) == 1
    return [ref(L[0])], vals(num(val(L[0])), day(cdate(L[0]['resource'])))

@case(17, 2, 'Emery_Purdy', 'ever_had',
      ["Ma femme insiste pour que je fasse une coloscopie à cause de mon âge. J'ai l'impression que j'en ai déjà fait une il y a quelques années mais je ne suis pas sûr du tout, peut-être que je confonds avec la prise de sang. C'est dans le dossier ?"],
      "Procedure SNOMED 73761001 (colonoscopy); yes, with its date")
def _():
    L = by_code('Emery_Purdy', 'Procedure', '73761001')
    assert len(L) == 1
    return [ref(L[0])], [day(cdate(L[0]['resource']))]

@case(18, 2, 'Emery_Purdy', 'value_in_year',
      ["la fonction de mes reins en 2016, ça donnait quoi ? (le DFG)"],
      "Observation LOINC 33914-3 (eGFR) with effectiveDateTime in 2016")
def _():
    L = [e for e in obs('Emery_Purdy', '33914-3') if cdate(e['resource']).startswith('2016')]
    assert len(L) == 1
    return [ref(L[0])], vals(num(val(L[0])), day(cdate(L[0]['resource'])))

@case(19, 2, 'AT_ELGA_GmbH_01', 'meaning',
      ["Sur ma prise de sang de décembre 2016 il y a la ferritine marquée en gras. Ça veut dire quoi, c'est grave ? J'ai rien senti de spécial à part de la fatigue mais bon je dors mal."],
      "Observation LOINC 2276-4 (ferritin) value 724 ug/L, referenceRange 15-400, interpretation HH")
def _():
    L = [e for e in entries('AT_ELGA_GmbH_01', 'Observation') if '2276-4' in codes(e['resource'])]
    assert len(L) == 1
    r = L[0]['resource']; rr = r['referenceRange'][0]
    return [ref(L[0])], [num(val(L[0])), num(rr['low']['value']), num(rr['high']['value'])]

@case(20, 2, 'AT_ELGA_GmbH_01', 'latest',
      ["Ma tension la dernière fois qu'on l'a prise, c'était combien ?"],
      "latest dated systolic (8480-6) and diastolic (8462-4) Observations (separate resources, same timestamp); undated readings excluded")
def _():
    refs, vs = [], []
    for code in ('8480-6', '8462-4'):
        L = [e for e in obs('AT_ELGA_GmbH_01', code) if cdate(e['resource'])]
        e = L[-1]; refs.append(ref(e)); vs.append(num(val(e)))
    d = day(cdate(L[-1]['resource']))
    return refs, vs + [d]

# ---------------------------------------------------------------- batch 3

@case(21, 3, 'Martina_Murazik', 'still_on',
      ["Bonjour, je m'occupe de ma mère (Martina). Depuis son problème de cœur l'an dernier elle a un diurétique, le Lasix. L'infirmière à domicile nous demande si c'est toujours d'actualité ou si le cardiologue l'a arrêté, parce que maman se plaint d'aller aux toilettes toute la nuit. Vous pouvez vérifier dans son dossier ?"],
      "MedicationRequest Lasix 40mg (RxNorm 315971): status active, authoredOn date")
def _():
    L = med_code('Martina_Murazik', '315971')
    assert len(L) == 1 and L[0]['resource']['status'] == 'active'
    return [ref(L[0])], [day(L[0]['resource']['authoredOn'])]

@case(22, 3, 'Martina_Murazik', 'meaning',
      ["Le cardiologue a parlé de ma « fraction d'éjection » après l'écho du cœur. C'est quoi mon chiffre et est-ce que c'est normal ?"],
      "two Observations LOINC 10230-1 (LVEF) on the same date 2020-06-15 (both gold); no referenceRange recorded; values ~33 and ~39 % (not used as strings: rounding-ambiguous)")
def _():
    L = latest_group(obs('Martina_Murazik', '10230-1'))
    assert len(L) == 2
    return [ref(e) for e in L], vals(*[num(val(e)) for e in L]) + [day(cdate(L[0]['resource']))]

@case(23, 3, 'Josue_Sipes', 'count',
      ["J'ai fait combien de spiros (les tests de souffle) en 2020 ? J'ai l'impression d'avoir soufflé dans ce tube tous les mois lol"],
      "count of Procedure SNOMED 127783003 (spirometry) with performedPeriod.start in 2020", match='any')
def _():
    L = [e for e in by_code('Josue_Sipes', 'Procedure', '127783003') if cdate(e['resource']).startswith('2020')]
    return [ref(e) for e in L], [str(len(L))]

@case(24, 3, 'Josue_Sipes', 'still_on',
      ["Le Plavix (clopidogrel) qu'on m'a donné pour mon AVC, je dois toujours le prendre ou c'est fini ? J'ai plus de boîte et mon fils veut que je passe à la pharmacie."],
      "MedicationRequest clopidogrel (RxNorm 309362): status stopped; authoredOn 2019-01-26")
def _():
    L = med_code('Josue_Sipes', '309362')
    assert len(L) == 1 and L[0]['resource']['status'] == 'stopped'
    return [ref(L[0])], [day(L[0]['resource']['authoredOn'])]

@case(25, 3, 'Josue_Sipes', 'followup',
      ["mon DFG, le dernier, il est à combien ? le néphrologue surveille mes reins", "et celui d'avant, c'était combien ?"],
      "eGFR LOINC 33914-3 (all displays). Latest date 2021-03-13 carries two results; turn 2 = the result on the previous date (2021-02-13)")
def _():
    L = obs('Josue_Sipes', '33914-3')
    last = day(cdate(L[-1]['resource']))
    prev = [e for e in L if day(cdate(e['resource'])) < last]
    pd = day(cdate(prev[-1]['resource']))
    G = [e for e in prev if day(cdate(e['resource'])) == pd]
    assert len(G) == 1
    return [ref(G[0])], vals(num(val(G[0])), pd)

@case(26, 3, 'Renea_Quigley', 'last_visit',
      ["Bonsoir. Je n'arrive plus à me rappeler quand j'ai vu le médecin pour la dernière fois, entre la brûlure de l'an dernier et les prises de sang pour le diabète je m'y perds complètement. C'était quand exactement et c'était pour quoi ?"],
      "latest Encounter by period.start (a check-up)")
def _():
    e = encounters('Renea_Quigley')[-1]
    return [ref(e)], [day(cdate(e['resource']))]

@case(27, 3, 'Renea_Quigley', 'count',
      ["j'ai eu combien de coloscopies en tout ?"],
      "count of Procedure SNOMED 73761001 (colonoscopy), all dates", match='all')
def _():
    L = by_code('Renea_Quigley', 'Procedure', '73761001')
    return [ref(e) for e in L], [str(len(L))]

@case(28, 3, 'Vito_Feeney', 'value_in_year',
      ["Mon père est décédé d'un cancer de la prostate et mon médecin traitant me demande des infos sur ses antécédents. J'ai accès à son dossier. Son PSA en 1970, il était à combien ?"],
      "Observation LOINC 2857-1 (PSA) with effectiveDateTime in 1970")
def _():
    L = [e for e in obs('Vito_Feeney', '2857-1') if cdate(e['resource']).startswith('1970')]
    assert len(L) == 1
    return [ref(L[0])], vals(num(val(L[0]), 1), day(cdate(L[0]['resource'])))

@case(29, 3, 'Vito_Feeney', 'followup',
      ["toujours pour le dossier de mon papa : il a eu combien de dosages de PSA en tout ?", "et le tout dernier c'était quand, et combien ?"],
      "PSA LOINC 2857-1 sorted by date; turn 2 = the latest one (value to 1 decimal + date)")
def _():
    e = obs('Vito_Feeney', '2857-1')[-1]
    return [ref(e)], vals(num(val(e), 1), day(cdate(e['resource'])))

@case(30, 3, 'US_MEDITECH_ips_2', 'not_found',
      ["Je voudrais mon taux d'hémoglobine de la dernière prise de sang, on m'a parlé d'anémie à l'hôpital."],
      "the bundle has no Observation/DiagnosticReport at all (anemia only suspected in a narrative Condition) -> no haemoglobin value in the record",
      expect_not_found=True)
def _():
    assert not list(entries('US_MEDITECH_ips_2', 'Observation')) and not list(entries('US_MEDITECH_ips_2', 'DiagnosticReport'))
    return [], []

# ---------------------------------------------------------------- batch 4

@case(31, 4, 'US_MEDITECH_ips_2', 'ever_had',
      ["Est-ce que j'ai déjà fait le vaccin contre la grippe ? Mon néphrologue dit qu'avec ma greffe de rein c'est important, et franchement je ne m'en souviens pas."],
      "Immunization CVX 166 (influenza) has status not-done, statusReason 'Patient Refused', 2015-06-22 -> never received (declined); the only completed vaccine is DTaP")
def _():
    L = [e for e in entries('US_MEDITECH_ips_2', 'Immunization') if 'influenza' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert len(L) == 1 and L[0]['resource']['status'] == 'not-done'
    return [ref(L[0])], [day(cdate(L[0]['resource']))]

@case(32, 4, 'US_MEDITECH_ips_2', 'still_on',
      ["On m'a mis sous ceftriaxone en perfusion en novembre, c'est encore en cours ou c'est terminé ?"],
      "ceftriaxone: MedicationRequest status stopped (authoredOn 2020-11-16) and the NDC-only MedicationStatement (same start, status completed, ended 2020-11-17); either cites it", match='any')
def _():
    req = [e for e in entries('US_MEDITECH_ips_2', 'MedicationRequest') if 'ceftriaxone' in e['resource']['medicationReference']['display'].lower()]
    assert len(req) == 1 and req[0]['resource']['status'] == 'stopped'
    d = day(req[0]['resource']['authoredOn'])
    st = [e for e in entries('US_MEDITECH_ips_2', 'MedicationStatement') if day(cdate(e['resource'])) == d
          and e['resource']['effectivePeriod']['start'] == req[0]['resource']['authoredOn']]
    assert len(st) == 1 and st[0]['resource']['status'] == 'completed'
    return [ref(req[0]), ref(st[0])], [d]

@case(33, 4, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning',
      ["Ma fille a été testée pour le covid quand elle avait de la fièvre et du mal à respirer. Le test était positif ou négatif ? Dans l'appli je vois juste un truc bizarre entre accolades à la place du résultat 🤔"],
      "SARS-CoV-2 Observation LOINC 94531-1: two copies on 2020-02-29; the gold one carries valueCodeableConcept 'Detected', the other only the template placeholder '{entry.value}'")
def _():
    P = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    L = [e for e in obs(P, '94531-1') if 'valueCodeableConcept' in e['resource']]
    assert len(L) == 1 and L[0]['resource']['valueCodeableConcept']['coding'][0]['code'] == '260373001'
    return [ref(L[0])], [day(cdate(L[0]['resource']))]

@case(34, 4, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found',
      ["elle est allergique à quelque chose ma fille d'après le dossier ? je remplis le formulaire pour la cantine"],
      "no AllergyIntolerance resource in the bundle (the Composition has an empty 'Allergies' section) -> nothing recorded",
      expect_not_found=True)
def _():
    assert not list(entries('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'AllergyIntolerance'))
    return [], []

@case(35, 4, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest',
      ["Quand ma fille a eu le covid ils ont mesuré son oxygène au doigt, la saturation. Elle était à combien ? On m'avait dit que c'était bas mais sur le moment j'étais paniquée et j'ai rien retenu."],
      "latest Observation LOINC 59408-5 (SpO2) by effectiveDateTime")
def _():
    e = obs('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', '59408-5')[-1]
    return [ref(e)], vals(num(val(e)), day(cdate(e['resource'])))

@case(36, 4, 'AT_ELGA_GmbH_01', 'count',
      ["On part randonner en Autriche cet été. J'ai eu combien d'injections du vaccin contre l'encéphalite à tiques (FSME) ? Je crois que j'ai fait le rappel mais pas sûr."],
      "count of Immunization with ATC J07BA01 (tick-borne encephalitis vaccine)", match='any')
def _():
    L = [e for e in entries('AT_ELGA_GmbH_01', 'Immunization') if 'J07BA01' in codes(e['resource'], 'vaccineCode')]
    return [ref(e) for e in L], [str(len(L))]

@case(37, 4, 'IPS_IG-bundle-01', 'meaning',
      ["mon hba1c à 7,5 c'est bien ou pas ? 😬"],
      "Observation LOINC 17856-6 value 7.5 % (2017-11-10); no referenceRange, note 'Above stated goal of 7.0 %'")
def _():
    e = obs('IPS_IG-bundle-01', '17856-6')[-1]
    assert not e['resource'].get('referenceRange')
    return [ref(e)], [num(val(e), 1), day(cdate(e['resource']))]

@case(38, 4, 'Luigi_Wiegand', 'last_visit',
      ["Bonjour, c'était quand le dernier rendez-vous de mon fils chez le pédiatre ? Je dois noter la date pour la PMI."],
      "latest Encounter by period.start")
def _():
    e = encounters('Luigi_Wiegand')[-1]
    return [ref(e)], [day(cdate(e['resource']))]

@case(39, 4, 'AT_ELGA_GmbH_01', 'not_found',
      ["Ma vitamine D elle était à combien ? J'ai l'impression qu'on me l'a dosée avec le reste en décembre 2016."],
      "no vitamin D Observation (LOINC 1989-3 / 62292-8 / 14635-7 or 'Vitamin D' display); only B12, 'B15' and folate among vitamins",
      expect_not_found=True)
def _():
    for e in entries('AT_ELGA_GmbH_01', 'Observation'):
        c = e['resource'].get('code', {})
        assert not codes(e['resource']) & {'1989-3', '62292-8', '14635-7', '35365-6'}
        assert 'vitamin d' not in json.dumps(c).lower() and 'vit d' not in json.dumps(c).lower()
    return [], []

@case(40, 4, 'Emery_Purdy', 'followup',
      ["est-ce que j'ai eu le vaccin contre le zona ? mon voisin en a fait un, ça a l'air horrible cette maladie", "ok et j'ai eu combien de doses en tout ?"],
      "Immunization CVX 121 (zoster); turn 2 = count of those doses", match='all')
def _():
    L = imms('Emery_Purdy', ['121', '187', '188'])
    return [ref(e) for e in L], [str(len(L))]

# ---------------------------------------------------------------- runner

def build(c):
    refs, vals = c['fn']()
    return {"id": "rb7-fr-%03d" % c['n'], "lang": "fr", "patient": c['patient'], "kind": c['kind'],
            "turns": c['turns'], "gold_refs": refs, "match": c['match'], "gold_values": vals,
            "expect_not_found": c['expect_not_found'], "note": c['note']}

def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'write':
        n = int(sys.argv[2])
        p = os.path.join(OUT, 'fr-%02d.jsonl' % n)
        assert not os.path.exists(p), 'file is final: ' + p
        rows = [build(c) for c in CASES if c['batch'] == n]
        assert 0 < len(rows) <= 10
        with open(p, 'w', encoding='utf-8') as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', p, len(rows))
        return
    bad = 0
    for c in CASES:
        r = build(c)
        p = os.path.join(OUT, 'fr-%02d.jsonl' % c['batch'])
        saved = {}
        if os.path.exists(p):
            for l in open(p, encoding='utf-8'):
                o = json.loads(l); saved[o['id']] = o
        s = saved.get(r['id'])
        ok = s is not None and all(s[k] == r[k] for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found'))
        bad += not ok
        print('OK ' if ok else 'DIFF', r['id'], r['patient'], r['kind'], r['gold_values'], len(r['gold_refs']))
    print('mismatches:', bad)

if __name__ == '__main__':
    main()
