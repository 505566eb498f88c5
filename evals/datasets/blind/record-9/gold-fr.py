#!/usr/bin/env python3
"""Gold computation for the French record cases rb9-fr-001 .. rb9-fr-040.

Standard library only. Every gold field (gold_refs, match, gold_values,
expect_not_found, note) is computed from the record files.

Usage:
  python3 gold-fr.py            -> prints every case (with recomputed gold) as JSON lines
  python3 gold-fr.py --write N  -> writes fr-0N.jsonl (cases 10*(N-1)+1 .. 10*N) if it does not exist yet
  python3 gold-fr.py --check    -> recomputes gold and compares it with the saved fr-0*.jsonl files

Number formatting rule for gold_values: values stored with at most 2 decimals are
kept as recorded (e.g. "7.5", "76.43" -> see fmt), long Synthea floats are rounded
to 1 decimal (trailing ".0" dropped), which is how a lab report / a careful reply
would show them; the exact value is always given in the note.
"""
import glob
import json
import os
import sys

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.dirname(os.path.abspath(__file__))

_cache = {}


def bundle(patient):
    if patient not in _cache:
        f = os.path.join(RW, patient + '.json')
        if not os.path.exists(f):
            cands = glob.glob(os.path.join(SYN, patient + '_*.json'))
            assert len(cands) == 1, (patient, cands)
            f = cands[0]
        with open(f, encoding='utf-8') as fh:
            _cache[patient] = json.load(fh)
    return _cache[patient]


def entries(patient, rtype=None):
    out = []
    for e in bundle(patient).get('entry', []):
        r = e.get('resource', {})
        if rtype is None or r.get('resourceType') == rtype:
            out.append(e)
    return out


def ref(e):
    r = e['resource']
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return e['fullUrl']


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def displays(cc):
    out = [c.get('display') or '' for c in (cc or {}).get('coding', [])]
    if (cc or {}).get('text'):
        out.append(cc['text'])
    return out


def obs_date(r):
    if r.get('effectiveDateTime'):
        return r['effectiveDateTime']
    if r.get('effectivePeriod'):
        return r['effectivePeriod'].get('start', '')
    return ''


def obs_with_code(patient, code):
    return [e for e in entries(patient, 'Observation') if code in codes(e['resource'].get('code'))]


def comp_value(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']
    return None


def day(s):
    return (s or '')[:10]


def latest_by_day(es, datef):
    """All entries sharing the latest clinical day."""
    d = max(day(datef(e['resource'])) for e in es)
    return d, [e for e in es if day(datef(e['resource'])) == d]


def fmt(v):
    if isinstance(v, int):
        return str(v)
    s = repr(v)
    if '.' in s and len(s.split('.')[1]) <= 2:
        return s[:-2] if s.endswith('.0') else s
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


def enc_start(r):
    return r.get('period', {}).get('start', '')


def proc_date(r):
    return r.get('performedDateTime') or r.get('performedPeriod', {}).get('start', '')


def G(refs, match, values, note, nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}


CASES = []


def case(cid, patient, kind, turns):
    def deco(f):
        CASES.append({'id': 'rb9-fr-%03d' % cid, 'lang': 'fr', 'patient': patient,
                      'kind': kind, 'turns': turns, '_gold': f})
        return f
    return deco


IPS = 'IPS_IG-bundle-01'
AT = 'AT_ELGA_GmbH_01'
MT = 'US_MEDITECH_ips_2'
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'


def medication_of(patient, ms):
    """Resolve medicationReference (relative or urn) to the Medication resource."""
    r = ms['resource']
    if 'medicationCodeableConcept' in r:
        return r['medicationCodeableConcept']
    target = r['medicationReference']['reference']
    for e in entries(patient, 'Medication'):
        if e['fullUrl'] == target or e['fullUrl'].endswith('/' + target) or ref(e) == target:
            return e['resource']['code']
    return None


# ---------------------------------------------------------------- file 1 (001-010)

@case(1, IPS, 'still_on', [
    "Bonjour, petite question : je prends toujours mon anastrozole, 1 comprimé le matin, depuis la fin "
    "de mes traitements pour le sein. Mon oncologue avait parlé de 5 ans en tout et hier ma pharmacienne "
    "m'a demandé si c'était encore d'actualité, j'ai pas su quoi lui répondre… Dans mon dossier c'est "
    "marqué comme toujours en cours ou arrêté ? Et c'est noté depuis quand ?"])
def g1():
    hits = []
    for e in entries(IPS, 'MedicationStatement'):
        med = medication_of(IPS, e)
        if med and any('anastroz' in d.lower() for d in displays(med)):
            hits.append(e)
    assert len(hits) == 1
    r = hits[0]['resource']
    start = r.get('effectivePeriod', {}).get('start')
    assert r['status'] == 'active' and 'end' not in r.get('effectivePeriod', {})
    return G([ref(hits[0])], 'all', [start],
             'MedicationStatement (medicationReference -> Medication anastrozole 1 mg) status=%s, '
             'effectivePeriod.start=%s, no end -> still taken (active) since %s (partial date).' % (r['status'], start, start))


@case(2, 'Josue_Sipes', 'latest', [
    "c koi mon cholesterol a la derniere prise de sang ? le cardio va me demander"])
def g2():
    d, es = latest_by_day(obs_with_code('Josue_Sipes', '2093-3'), obs_date)
    vals = [fmt(e['resource']['valueQuantity']['value']) for e in es]
    exact = [e['resource']['valueQuantity']['value'] for e in es]
    return G([ref(e) for e in es], 'all', vals + [d],
             'Latest Observation LOINC 2093-3 (total cholesterol) by effectiveDateTime: %d results on %s '
             '(two lipid panels the same day), exact values %s mg/dL -> both are the latest, both gold.' % (len(es), d, exact))


@case(3, 'Daisey_Johns', 'list', [
    "Bonjour, je suis la maman de Daisey. Elle part en classe verte au printemps et l'école me demande "
    "de remplir une fiche avec toutes ses allergies pour le PAI. Je sais qu'il y a l'œuf et le poisson, "
    "et elle a un stylo d'adrénaline, mais je crois que l'allergologue avait trouvé d'autres choses quand "
    "elle était petite avec la prise de sang (les pollens ? le chat ?). Je ne voudrais rien oublier sur la "
    "fiche, l'infirmière scolaire est très pointilleuse. Vous pouvez me donner la liste complète de ce qui "
    "est noté comme allergie dans son dossier ?"])
def g3():
    es = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')
          if 'active' in codes(e['resource'].get('clinicalStatus'))]
    names = [displays(e['resource']['code'])[0] for e in es]
    return G([ref(e) for e in es], 'all', [],
             'All AllergyIntolerance with clinicalStatus active: %d entries: %s.' % (len(es), '; '.join(names)))


@case(4, AT, 'latest', [
    "Guten Tag, enfin bonjour, je suis autrichienne mais je vis à Strasbourg maintenant. J'ai rendez-vous "
    "chez un cardiologue lundi et il veut savoir ma dernière tension. Qu'est-ce qui est noté dans mon dossier ?"])
def g4():
    sys_ = obs_with_code(AT, '8480-6')
    dia = obs_with_code(AT, '8462-4')
    ds, s_last = latest_by_day(sys_, obs_date)
    dd, d_last = latest_by_day(dia, obs_date)
    assert ds == dd
    # all readings sharing the latest start timestamp
    ts = max(obs_date(e['resource']) for e in s_last)
    s_last = [e for e in s_last if obs_date(e['resource']) == ts]
    d_last = [e for e in d_last if obs_date(e['resource']) == ts]
    vals = []
    for e in s_last + d_last:
        vals.append(fmt(e['resource']['valueQuantity']['value']))
    return G([ref(e) for e in s_last + d_last], 'all', vals,
             'Systolic (8480-6) and diastolic (8462-4) are separate Observations without id (cited by urn). '
             'Two readings share the latest timestamp %s (one as effectiveDateTime, one as effectivePeriod '
             '08:30-08:35): %s/%s and %s/%s mmHg -> both readings are gold.' % (
                 ts, vals[0], vals[2], vals[1], vals[3]))


@case(5, 'Laurie_McCullough', 'last_visit', [
    "jsuis allée chez le médecin quand la dernière fois ?? et c'était pour quoi, j'ai un trou 😅"])
def g5():
    es = entries('Laurie_McCullough', 'Encounter')
    d, last = latest_by_day(es, enc_start)
    assert len(last) == 1
    r = last[0]['resource']
    reason = displays(r['reasonCode'][0]) if r.get('reasonCode') else []
    conds = [e for e in entries('Laurie_McCullough', 'Condition')
             if e['resource'].get('encounter', {}).get('reference', '').endswith(r['id'])]
    return G([ref(last[0])], 'all', [d],
             'Latest Encounter by period.start: %s, type "%s", reasonCode %s (condition on that encounter: %s).' % (
                 d, displays(r['type'][0])[0], reason, [displays(c['resource']['code'])[0] for c in conds]))


@case(6, 'Emery_Purdy', 'followup', [
    "Ma femme me bassine pour que je fasse le vaccin contre le zona, vu que j'ai passé les 50 ans. "
    "Je crois bien que je l'ai déjà fait chez le médecin mais je suis pas sûr du tout. C'est noté quelque part ?",
    "ok. et j'en ai eu combien de doses au total ?"])
def g6():
    es = [e for e in entries('Emery_Purdy', 'Immunization')
          if any('zoster' in d.lower() for d in displays(e['resource']['vaccineCode']))
          and e['resource'].get('status') == 'completed']
    dates = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], 'all', [str(len(es))] + dates,
             'Immunization CVX 121 zoster, status completed: %d doses on %s; last turn asks the total -> %d.' % (
                 len(es), ', '.join(dates), len(es)))


@case(7, MT, 'ever_had', [
    "Bonsoir. Avec l'épidémie de grippe qui démarre, ma néphrologue insiste pour que je me fasse vacciner "
    "à cause de ma greffe de rein. Moi j'ai l'impression de ne l'avoir jamais fait, ou alors il y a très "
    "longtemps. Mon mari soutient que si, que je l'ai eu en 2015 quand j'étais malade avec la fièvre et "
    "qu'on m'a envoyée à l'hôpital. On se dispute là-dessus depuis une heure 🙄 Est-ce que j'ai déjà reçu "
    "le vaccin contre la grippe d'après mon dossier ?"])
def g7():
    es = [e for e in entries(MT, 'Immunization')
          if any('influenza' in d.lower() for d in displays(e['resource']['vaccineCode']))]
    assert len(es) == 1
    r = es[0]['resource']
    assert r['status'] == 'not-done'
    d = day(r['occurrenceDateTime'])
    return G([ref(es[0])], 'all', [d],
             'Only influenza Immunization has status not-done (statusReason "%s") dated %s -> honest NO: '
             'the flu vaccine was not given (refused) on that date; no completed flu vaccine in the record.' % (
                 r['statusReason']['text'], d))


@case(8, 'Lupe_Little', 'not_found', [
    "J'ai une coloscopie le mois prochain et l'anesthésiste m'a envoyé un questionnaire à remplir sur "
    "Doctolib. Il y a une case « traitements en cours » avec les noms et les doses. Franchement je ne "
    "sais plus trop ce que je prends à part le Doliprane de temps en temps. Vous pouvez me dire quels "
    "médicaments sont notés dans mon dossier ?"])
def g8():
    n = len(entries('Lupe_Little', 'MedicationRequest')) + len(entries('Lupe_Little', 'MedicationStatement'))
    assert n == 0
    return G([], 'all', [],
             'No MedicationRequest / MedicationStatement / Medication resource at all in the record -> '
             'honest "no medicine recorded" (Doliprane not in the record).', nf=True)


@case(9, 'Annmarie_Doyle', 'count', [
    "Bonjour, j'écris pour ma mère qui a 86 ans. Elle se fait vacciner contre la grippe tous les ans chez "
    "son médecin traitant mais elle ne se souvient plus depuis quand exactement. Combien de vaccins contre "
    "la grippe sont enregistrés dans son dossier en tout ?"])
def g9():
    es = [e for e in entries('Annmarie_Doyle', 'Immunization')
          if any('influenza' in d.lower() for d in displays(e['resource']['vaccineCode']))
          and e['resource'].get('status') == 'completed']
    dates = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], 'any', [str(len(es))],
             'Count of Immunization CVX 140 (seasonal influenza), status completed: %d, from %s to %s.' % (
                 len(es), dates[0], dates[-1]))


@case(10, LIS, 'meaning', [
    "Ma fille de 9 ans a été testée pour le covid fin février 2020, on avait eu très peur. Dans ses "
    "résultats je vois plein de virus marqués « Negative » (grippe, VRS…) et une ligne covid marquée "
    "« Detected ». Ça veut dire quoi exactement ? Elle l'avait ou pas ?"])
def g10():
    es = [e for e in obs_with_code(LIS, '94531-1')
          if 'valueCodeableConcept' in e['resource']]
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], 'any', [day(obs_date(r))],
             'Observation LOINC 94531-1 (SARS-CoV-2 RNA) valueCodeableConcept "%s" on %s = positive test '
             '(a twin Observation with the same code only holds the template placeholder "{entry.value}"); '
             'consistent with Condition COVID-19 onset the same day. No reference range.' % (
                 displays(r['valueCodeableConcept'])[0], day(obs_date(r))))


# ---------------------------------------------------------------- file 2 (011-020)

@case(11, 'Martina_Murazik', 'latest', [
    "Bonjour, on m'a fait une échographie du cœur pour mon insuffisance cardiaque et le "
    "cardiologue a parlé de ma « fraction d'éjection ». Je ne me rappelle plus du chiffre. C'était combien "
    "la dernière fois ?"])
def g11():
    d, es = latest_by_day(obs_with_code('Martina_Murazik', '10230-1'), obs_date)
    vals = [fmt(e['resource']['valueQuantity']['value']) for e in es]
    exact = [e['resource']['valueQuantity']['value'] for e in es]
    return G([ref(e) for e in es], 'all', vals + [d],
             'Latest Observation LOINC 10230-1 (left ventricular ejection fraction): %d values on the same '
             'date %s, exact %s %% -> both gold (same timestamp, no way to prefer one).' % (len(es), d, exact))


@case(12, 'Vito_Feeney', 'value_in_year', [
    "Mon père est décédé d'un cancer de la prostate en 1979. Je vais avoir 60 ans et mon médecin traitant "
    "me parle de faire un PSA, il voudrait savoir comment ça avait évolué chez mon père. J'ai accès à son "
    "dossier : son PSA en 1976, il était à combien ?"])
def g12():
    es = [e for e in obs_with_code('Vito_Feeney', '2857-1') if obs_date(e['resource']).startswith('1976')]
    assert len(es) == 1
    r = es[0]['resource']
    v = r['valueQuantity']['value']
    return G([ref(es[0])], 'all', [fmt(v), day(obs_date(r))],
             'Observation LOINC 2857-1 (PSA) with effectiveDateTime in 1976: one result on %s, exact %r ng/mL. '
             'No reference range recorded.' % (day(obs_date(r)), v))


@case(13, IPS, 'list', [
    "Je dois me faire opérer du canal carpien et la clinique veut la liste de mes allergies. "
    "Je suis allergique à quoi, d'après mon dossier ?"])
def g13():
    real, neg = [], []
    for e in entries(IPS, 'AllergyIntolerance'):
        ds = ' '.join(displays(e['resource'].get('code'))).lower()
        (neg if 'no known' in ds else real).append(e)
    assert len(real) == 1 and len(neg) == 1
    return G([ref(e) for e in real], 'all', [],
             'AllergyIntolerance entries: one real allergy (%s, onset %s, criticality %s); the other entry is '
             'the negation "%s" and is NOT an allergy (must not be listed as one).' % (
                 displays(real[0]['resource']['code'])[0], real[0]['resource'].get('onsetDateTime'),
                 real[0]['resource'].get('criticality'), displays(neg[0]['resource']['code'])[0]))


@case(14, 'Fidel_Bins', 'last_visit', [
    "c'était quand mon dernier rdv chez le doc ? faut que je le dise à la mutuelle"])
def g14():
    d, last = latest_by_day(entries('Fidel_Bins', 'Encounter'), enc_start)
    assert len(last) == 1
    r = last[0]['resource']
    return G([ref(last[0])], 'all', [d],
             'Latest Encounter by period.start: %s, type "%s", class %s, no reasonCode (routine check-up).' % (
                 d, displays(r['type'][0])[0], r['class']['code']))


@case(15, 'Luigi_Wiegand', 'followup', [
    "Bonjour, mon petit garçon a 5 mois, la PMI m'a demandé son poids à la dernière visite chez le pédiatre. "
    "Vous avez ça ?",
    "et la fois d'avant il pesait combien ? pour voir s'il a bien pris"])
def g15():
    es = sorted(obs_with_code('Luigi_Wiegand', '29463-7'), key=lambda e: obs_date(e['resource']))
    last_d = day(obs_date(es[-1]['resource']))
    prev = [e for e in es if day(obs_date(e['resource'])) < last_d]
    pd = max(day(obs_date(e['resource'])) for e in prev)
    prev = [e for e in prev if day(obs_date(e['resource'])) == pd]
    assert len(prev) == 1
    v = prev[0]['resource']['valueQuantity']['value']
    return G([ref(prev[0])], 'all', [fmt(v), pd],
             'Body weight LOINC 29463-7: latest %s = %r kg (turn 1); turn 2 asks the one before: %s = %r kg.' % (
                 last_d, es[-1]['resource']['valueQuantity']['value'], pd, v))


@case(16, AT, 'meaning', [
    "Mon médecin m'a fait une grosse prise de sang en décembre 2016 et sur la feuille la ferritine "
    "est marquée en gras avec deux H à côté. Ça veut dire que c'est trop haut ? C'est grave ? Je mange "
    "pourtant pas tant de viande rouge que ça, et je ne prends pas de fer. Je suis un peu inquiète, ma sœur "
    "a une hémochromatose."])
def g16():
    es = obs_with_code(AT, '2276-4')
    assert len(es) == 1
    r = es[0]['resource']
    rr = r['referenceRange'][0]
    interp = codes(r['interpretation'][0]) if r.get('interpretation') else []
    return G([ref(es[0])], 'all', [fmt(r['valueQuantity']['value']), fmt(rr['low']['value']), fmt(rr['high']['value'])],
             'Observation LOINC 2276-4 (Ferritin, no id -> urn) on %s: %s %s, referenceRange %s-%s, interpretation %s '
             '-> above the upper limit of the recorded range.' % (
                 day(obs_date(r)), r['valueQuantity']['value'], r['valueQuantity']['unit'],
                 rr['low']['value'], rr['high']['value'], interp))


@case(17, 'Liz_Conn', 'still_on', [
    "Re-bonjour. Le médecin m'avait mis sous hydrochlorothiazide pour la tension il y a des années. J'ai "
    "arrêté de le prendre en rentrant de vacances parce que j'avais plus de boîtes et je ne sais plus si "
    "c'était prévu qu'on l'arrête ou pas. Dans le dossier c'est toujours marqué comme en cours ?"])
def g17():
    es = [e for e in entries('Liz_Conn', 'MedicationRequest')
          if any('hydrochlorothiazide' in d.lower() for d in displays(e['resource']['medicationCodeableConcept']))]
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], 'all', [day(r['authoredOn'])],
             'MedicationRequest Hydrochlorothiazide 25 MG status=%s, authoredOn %s, no later stop -> the record '
             'still lists it as active (the patient says she stopped on her own).' % (r['status'], day(r['authoredOn'])))


@case(18, 'Renea_Quigley', 'followup', [
    "Ma gastro me demande la date de ma dernière coloscopie pour savoir quand refaire la prochaine. C'était quand ?",
    "Et celle d'avant, vous l'avez ?"])
def g18():
    es = sorted([e for e in entries('Renea_Quigley', 'Procedure') if '73761001' in codes(e['resource']['code'])],
                key=lambda e: proc_date(e['resource']))
    assert len(es) >= 2
    prev = es[-2]
    return G([ref(prev)], 'all', [day(proc_date(prev['resource']))],
             'Procedure SNOMED 73761001 colonoscopy: %s. Turn 1 = latest %s; turn 2 asks the one before -> %s.' % (
                 [day(proc_date(e['resource'])) for e in es], day(proc_date(es[-1]['resource'])),
                 day(proc_date(prev['resource']))))


@case(19, 'Josue_Sipes', 'count', [
    "Mon diabéto dit que je ne fais pas assez souvent mon hémoglobine glyquée. Moi j'ai l'impression d'en "
    "faire tout le temps ! Depuis 2018, j'en ai fait combien exactement ?"])
def g19():
    es = [e for e in obs_with_code('Josue_Sipes', '4548-4') if obs_date(e['resource']) >= '2018-01-01']
    dates = sorted(day(obs_date(e['resource'])) for e in es)
    return G([ref(e) for e in es], 'any', [str(len(es))],
             'Count of Observation LOINC 4548-4 (HbA1c) with effectiveDateTime >= 2018-01-01: %d (%s).' % (
                 len(es), ', '.join(dates)))


@case(20, MT, 'list', [
    "Bonjour, je vais chez le dentiste la semaine prochaine et il va sûrement me donner des antibiotiques "
    "pour une dent infectée. Je me souviens avoir fait des plaques rouges partout avec un antibiotique à "
    "l'hôpital il y a quelques années, mais impossible de me rappeler lequel. Qu'est-ce qui est noté "
    "comme allergies dans mon dossier ?"])
def g20():
    es = [e for e in entries(MT, 'AllergyIntolerance') if 'active' in codes(e['resource'].get('clinicalStatus'))]
    names = [displays(e['resource']['code'])[0] for e in es]
    reac = [e['resource']['reaction'][0]['manifestation'][0]['text'] for e in es]
    return G([ref(e) for e in es], 'all', [],
             'Active AllergyIntolerance: %s (reactions %s, criticality high) -> both must be listed.' % (names, reac))


# ---------------------------------------------------------------- file 3 (021-030)

@case(21, 'Emery_Purdy', 'ever_had', [
    "J'ai reçu le courrier de l'Assurance maladie pour le dépistage du cancer colorectal, le kit à faire "
    "à la maison. Mais il me semble qu'on m'a déjà fait une coloscopie il y a quelques années ? Si c'est "
    "le cas je suppose que je n'ai pas besoin du test. C'est dans mon dossier ?"])
def g21():
    es = [e for e in entries('Emery_Purdy', 'Procedure') if '73761001' in codes(e['resource']['code'])]
    assert len(es) == 1
    d = day(proc_date(es[0]['resource']))
    return G([ref(es[0])], 'all', [d],
             'Procedure SNOMED 73761001 colonoscopy, status %s, on %s -> yes, one colonoscopy.' % (es[0]['resource']['status'], d))


@case(22, 'Daisey_Johns', 'still_on', [
    "La pédiatre avait donné à ma fille de la Ventoline (le spray bleu) pour son asthme, elle la prend "
    "encore de temps en temps quand elle court à la récré. Est-ce que c'est toujours noté comme traitement "
    "en cours ou ça a été arrêté ? Il me reste qu'un flacon."])
def g22():
    es = [e for e in entries('Daisey_Johns', 'MedicationRequest')
          if any('albuterol' in d.lower() for d in displays(e['resource']['medicationCodeableConcept']))]
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], 'all', [day(r['authoredOn'])],
             'MedicationRequest albuterol (salbutamol = Ventoline) 0.09 MG/ACTUAT inhaler, status=%s, authoredOn %s '
             '-> still active.' % (r['status'], day(r['authoredOn'])))


@case(23, LIS, 'not_found', [
    "Quand ma fille a eu le covid elle toussait énormément et elle avait du mal à respirer. Est-ce qu'on "
    "lui avait fait une radio des poumons à ce moment-là ? Je voudrais la montrer au pneumo."])
def g23():
    assert not entries(LIS, 'ImagingStudy')
    procs = [displays(e['resource']['code']) for e in entries(LIS, 'Procedure')]
    img_words = ('x-ray', 'radiograph', 'chest', 'imaging', 'ct ', 'scan')
    for e in entries(LIS):
        r = e['resource']
        if r['resourceType'] in ('Procedure', 'Observation', 'DiagnosticReport'):
            ds = ' '.join(displays(r.get('code'))).lower()
            assert not any(w in ds for w in img_words), ds
    return G([], 'all', [],
             'No ImagingStudy, no imaging Procedure/Observation/DiagnosticReport (only Procedure %s); the '
             'Composition "Imaging Studies" section is empty -> no chest X-ray in the record.' % procs, nf=True)


@case(24, 'Annmarie_Doyle', 'previous', [
    "Sur le dernier bilan de maman, le cholestérol total était à 1,68 je crois. Et sur le bilan d'avant, "
    "il était à combien ? C'est pour voir si ça baisse, elle fait beaucoup d'efforts sur le fromage 😄"])
def g24():
    es = obs_with_code('Annmarie_Doyle', '2093-3')
    last_d, _ = latest_by_day(es, obs_date)
    prev_d, prev = latest_by_day([e for e in es if day(obs_date(e['resource'])) < last_d], obs_date)
    assert len(prev) == 1
    v = prev[0]['resource']['valueQuantity']['value']
    lv = [e['resource']['valueQuantity']['value'] for e in es if day(obs_date(e['resource'])) == last_d]
    return G([ref(prev[0])], 'all', [fmt(v), prev_d],
             'Total cholesterol LOINC 2093-3: latest %s = %s mg/dL (the 1,68 g/L the daughter quotes); the one before '
             'is %s = %r mg/dL.' % (last_d, lv, prev_d, v))


@case(25, 'Martina_Murazik', 'list', [
    "Bonjour, c'est moi qui prépare le pilulier de ma mère tous les dimanches. Depuis qu'elle a été suivie "
    "pour son cœur l'an dernier, j'ai peur de mélanger les anciens et les nouveaux médicaments, il y a des "
    "boîtes partout dans sa cuisine. Vous pouvez me dire quels sont ses traitements en cours dans son dossier ?"])
def g25():
    es = [e for e in entries('Martina_Murazik', 'MedicationRequest') if e['resource']['status'] == 'active']
    names = [displays(e['resource']['medicationCodeableConcept'])[0] for e in es]
    return G([ref(e) for e in es], 'all', [],
             'MedicationRequest with status active: %d: %s. No stopped requests in this record.' % (len(es), '; '.join(names)))


@case(26, 'Lupe_Little', 'value_in_year', [
    "on m'a dit que j'étais prédiabétique. mon hémoglobine glyquée en 2016 elle était à combien ?"])
def g26():
    es = [e for e in obs_with_code('Lupe_Little', '4548-4') if obs_date(e['resource']).startswith('2016')]
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], 'all', [fmt(r['valueQuantity']['value']), day(obs_date(r))],
             'Observation LOINC 4548-4 (HbA1c) in 2016: one result on %s, exact %r %%.' % (
                 day(obs_date(r)), r['valueQuantity']['value']))


@case(27, AT, 'count', [
    "Je pars randonner dans les Vosges cet été et il y a plein de tiques. J'ai été vaccinée contre "
    "l'encéphalite à tiques en Autriche (le FSME), mais combien de doses j'ai eues en tout ?"])
def g27():
    es = [e for e in entries(AT, 'Immunization')
          if any('meningoencephalitis' in d.lower() for t in e['resource'].get('protocolApplied', [])
                 for td in t.get('targetDisease', []) for d in displays(td))
          and e['resource']['status'] == 'completed']
    dates = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], 'all', [str(len(es))],
             'Immunization ENCEPUR (ATC J07BA01, target Frühsommer-Meningoencephalitis = TBE/FSME), no ids -> urns: '
             '%d completed doses (%s), doseNumber 1-3.' % (len(es), ', '.join(dates)))


@case(28, 'Laurie_McCullough', 'not_found', [
    "la sage-femme m'a dit qu'il fallait faire un frottis tous les 3 ans. c'était quand mon dernier ?"])
def g28():
    words = ('papanicolaou', 'cervical', 'cervix', 'cytolog', 'smear', 'hpv dna', 'pap ')
    for e in entries('Laurie_McCullough'):
        r = e['resource']
        if r['resourceType'] in ('Procedure', 'Observation', 'DiagnosticReport'):
            ds = ' '.join(displays(r.get('code'))).lower()
            assert not any(w in ds for w in words), ds
    return G([], 'all', [],
             'No Procedure/Observation/DiagnosticReport for a cervical smear / Pap test / HPV test in the record '
             '(HPV vaccine doses exist but are not a smear) -> not in the record.', nf=True)


@case(29, 'Renea_Quigley', 'latest', [
    "Bonjour. Mon médecin m'a dit que mes reins commençaient à fatiguer à cause du diabète et qu'il fallait "
    "surveiller. Depuis je m'inquiète, je bois 2 litres d'eau par jour (on m'a dit que ça aide ?). Ma "
    "fonction rénale, le DFG je crois, c'était combien à la dernière prise de sang ?"])
def g29():
    d, es = latest_by_day(obs_with_code('Renea_Quigley', '33914-3'), obs_date)
    vals = [fmt(e['resource']['valueQuantity']['value']) for e in es]
    names = [displays(e['resource']['code'])[0] for e in es]
    exact = [e['resource']['valueQuantity']['value'] for e in es]
    return G([ref(e) for e in es], 'all', vals + [d],
             'Latest Observation LOINC 33914-3 (eGFR) by date: %d results on %s from two panels (%s), exact %s '
             'mL/min/1.73m2 -> both gold.' % (len(es), d, names, exact))


@case(30, 'Fidel_Bins', 'count', [
    "Depuis 2015, j'ai eu combien de rendez-vous de suivi pour mon asthme ? Sans compter la fois où j'ai "
    "fini aux urgences."])
def g30():
    es = [e for e in entries('Fidel_Bins', 'Encounter')
          if any('394701000' in codes(t) for t in e['resource'].get('type', []))
          and enc_start(e['resource']) >= '2015-01-01']
    dates = sorted(day(enc_start(e['resource'])) for e in es)
    em = [day(enc_start(e['resource'])) for e in entries('Fidel_Bins', 'Encounter')
          if e['resource']['class']['code'] == 'EMER']
    return G([ref(e) for e in es], 'any', [str(len(es))],
             'Encounters of type SNOMED 394701000 "Asthma follow-up" with period.start >= 2015-01-01: %d (%s); '
             'the emergency admission for asthma (%s) is excluded as asked.' % (len(es), ', '.join(dates), em))


# ---------------------------------------------------------------- file 4 (031-040)

@case(31, IPS, 'meaning', [
    "Bonjour, en fouillant dans mes résultats je tombe sur une prise de sang de novembre 2017 avec "
    "« hémoglobine A1c » et un petit commentaire en anglais à côté. On ne m'a jamais dit que j'étais "
    "diabétique ! Ma mère l'était, et j'ai pris pas mal de poids depuis l'hormonothérapie pour mon cancer "
    "du sein… C'est normal ce résultat ou pas ? Je dois m'inquiéter ?"])
def g31():
    es = [e for e in entries(IPS, 'Observation') if '17856-6' in codes(e['resource'].get('code'))]
    assert len(es) == 1
    r = es[0]['resource']
    assert not r.get('referenceRange')
    return G([ref(es[0])], 'all', [fmt(r['valueQuantity']['value'])],
             'Observation LOINC 17856-6 (HbA1c by HPLC) on %s: %s %%. No referenceRange recorded; the record note '
             'says "%s". No diabetes Condition in the record.' % (
                 day(obs_date(r)), r['valueQuantity']['value'], r['note'][0]['text']))


@case(32, MT, 'still_on', [
    "bonjour, depuis ma greffe de rein j'ai une anémie et on me fait des piqûres d'Aranesp. mon infirmière "
    "à domicile passe demain matin et elle me demande si je dois continuer, elle retrouve pas l'ordonnance "
    "dans le classeur (mon fils a tout rangé, merci à lui…). je me sens un peu moins fatiguée ces temps-ci "
    "donc je me demande si le néphrologue voulait pas l'arrêter. c'est toujours marqué en cours dans mon "
    "dossier ou ça a été arrêté ?"])
def g32():
    mreq = [e for e in entries(MT, 'MedicationRequest')
            if any('darbepoetin' in d.lower() for d in displays(medication_of(MT, e)))]
    assert len(mreq) == 1 and mreq[0]['resource']['status'] == 'active'
    mst = [e for e in entries(MT, 'MedicationStatement')
           if e['resource']['status'] == 'active' and
           e['resource']['dosage'][0].get('text') == mreq[0]['resource']['dosageInstruction'][0]['text'].split(',')[0]]
    assert len(mst) == 1
    r = mreq[0]['resource']
    return G([ref(mreq[0]), ref(mst[0])], 'any', [],
             'MedicationRequest -> Medication darbepoetin alfa (Aranesp) status=%s, authoredOn %s, dosage start %s, '
             'no end; matching MedicationStatement (NDC-only code, same dosage "1000 mcg (2 mL) intravenously daily") '
             'status=%s since %s -> still active. No single decisive date (authoredOn vs dosage start), so no '
             'gold_values.' % (r['status'], day(r['authoredOn']),
                               r['dosageInstruction'][0]['timing']['repeat']['boundsPeriod']['start'],
                               mst[0]['resource']['status'], day(mst[0]['resource']['effectivePeriod']['start'])))


@case(33, 'Luigi_Wiegand', 'list', [
    "Coucou, mon fils a eu plein de piqûres au dernier rdv chez le pédiatre, il a pleuré toute la soirée "
    "le pauvre 😢 et il a eu un peu de fièvre le lendemain mais c'est passé avec le Doliprane. Le souci "
    "c'est que le médecin a oublié de coller les étiquettes dans le carnet de santé et la crèche me réclame "
    "les vaccins à jour pour son dossier. Je ne me souviens plus du tout de ce qu'il a eu, il y en avait "
    "au moins trois ou quatre. C'était quels vaccins exactement ce jour-là ?"])
def g33():
    es = entries('Luigi_Wiegand', 'Immunization')
    d, last = latest_by_day(es, lambda r: r['occurrenceDateTime'])
    names = [displays(e['resource']['vaccineCode'])[0] for e in last]
    return G([ref(e) for e in last], 'all', [d],
             'Immunizations on the latest immunization date %s (= last encounter): %d vaccines: %s.' % (
                 d, len(last), '; '.join(names)))


@case(34, 'Josue_Sipes', 'meaning', [
    "Bonjour. Mon néphrologue parle tout le temps de mon « DFG » et moi je hoche la tête mais je ne comprends "
    "pas grand-chose, il va trop vite. Je suis diabétique depuis plus de 20 ans, j'ai de la tension, et "
    "depuis l'an dernier on me dit que mes reins fatiguent. Mon fils voudrait que je lui explique où j'en "
    "suis. Sur ma dernière prise de sang, il est à combien ce DFG ? C'est normal ou c'est mauvais pour mes "
    "reins ?"])
def g34():
    d, es = latest_by_day(obs_with_code('Josue_Sipes', '33914-3'), obs_date)
    vals = [fmt(e['resource']['valueQuantity']['value']) for e in es]
    desc = [(displays(e['resource']['code'])[0], e['resource']['valueQuantity']['value'],
             e['resource']['valueQuantity']['unit']) for e in es]
    assert not any(e['resource'].get('referenceRange') for e in es)
    return G([ref(e) for e in es], 'all', vals + [d],
             'Latest Observation LOINC 33914-3 (GFR) on %s: %d results from two panels %s. No referenceRange '
             'recorded; record also has active Conditions chronic kidney disease stage 1 and 2 / diabetic renal disease.' % (
                 d, len(es), desc))


@case(35, 'Vito_Feeney', 'ever_had', [
    "Bonjour, ma gastro-entérologue me demande mes antécédents familiaux avant de programmer ma première "
    "coloscopie. Mon père est décédé en 1979, j'étais encore jeune. Je sais qu'il avait un cancer de la "
    "prostate avec des métastases à la fin, mais je ne sais pas du tout s'il avait eu des coloscopies, ni "
    "si on lui avait trouvé quelque chose dans l'intestin. Ma mère n'est plus là pour me le dire. J'ai "
    "accès à son dossier : est-ce qu'il en a eu, et quand ?"])
def g35():
    es = [e for e in entries('Vito_Feeney', 'Procedure') if '73761001' in codes(e['resource']['code'])]
    dates = sorted(day(proc_date(e['resource'])) for e in es)
    return G([ref(e) for e in es], 'all', dates,
             'Procedure SNOMED 73761001 colonoscopy: %d, on %s (patient deceased %s).' % (
                 len(es), ', '.join(dates), entries('Vito_Feeney', 'Patient')[0]['resource']['deceasedDateTime'][:10]))


@case(36, 'Liz_Conn', 'not_found', [
    "J'ai senti une petite boule au sein gauche en prenant ma douche hier soir. Ça ne fait pas mal, c'est "
    "mobile, je pense que c'est rien mais bon. Avant d'appeler mon médecin traitant je voulais savoir si "
    "j'avais déjà eu une mammographie ou une échographie des seins, pour qu'il puisse comparer ?"])
def g36():
    words = ('mammo', 'breast', 'mamm')
    for e in entries('Liz_Conn'):
        r = e['resource']
        if r['resourceType'] in ('Procedure', 'Observation', 'DiagnosticReport', 'ImagingStudy', 'Condition'):
            ds = ' '.join(displays(r.get('code'))).lower()
            assert not any(w in ds for w in words), ds
    assert not entries('Liz_Conn', 'ImagingStudy')
    return G([], 'all', [],
             'No mammography, breast ultrasound or any ImagingStudy / breast-related Procedure, Observation, '
             'DiagnosticReport or Condition in the record -> not in the record.', nf=True)


@case(37, 'Emery_Purdy', 'previous', [
    "Pour mon diabète : l'hémoglobine glyquée de ma dernière prise de sang je l'ai sous les yeux, mais "
    "celle d'avant, elle était à combien ? Je veux comparer, j'ai fait des efforts cette année (moins de "
    "pain, marche tous les soirs avec le chien) et j'ai l'impression que ça n'a servi à rien."])
def g37():
    es = obs_with_code('Emery_Purdy', '4548-4')
    last_d, last = latest_by_day(es, obs_date)
    prev_d, prev = latest_by_day([e for e in es if day(obs_date(e['resource'])) < last_d], obs_date)
    assert len(prev) == 1
    v = prev[0]['resource']['valueQuantity']['value']
    return G([ref(prev[0])], 'all', [fmt(v), prev_d],
             'HbA1c LOINC 4548-4: latest %s = %s; the one before is %s = %r %% (identical value to the latest).' % (
                 last_d, [e['resource']['valueQuantity']['value'] for e in last], prev_d, v))


@case(38, 'Daisey_Johns', 'last_visit', [
    "Bonjour, petite question pour ma fille Daisey (5 ans). On est séparés avec son père et on n'est jamais "
    "d'accord sur qui l'a emmenée chez le médecin et pourquoi, c'est pénible. Moi je crois que la dernière "
    "fois c'était pour son nez qui coulait et qu'il lui avait donné des gouttes, lui dit que non, que "
    "c'était une visite de contrôle. C'était quand la dernière fois qu'elle a vu le médecin, et c'était "
    "pour quoi ?"])
def g38():
    es = entries('Daisey_Johns', 'Encounter')
    d, last = latest_by_day(es, enc_start)
    assert len(last) == 1
    r = last[0]['resource']
    before = sorted(day(enc_start(e['resource'])) for e in es if day(enc_start(e['resource'])) < d)[-1]
    b = [e for e in es if day(enc_start(e['resource'])) == before][0]['resource']
    return G([ref(last[0])], 'all', [d],
             'Latest Encounter by period.start: %s, type "%s" (routine check-up, no reason). The visit before (%s) '
             'was "%s" for %s.' % (d, displays(r['type'][0])[0], before, displays(b['type'][0])[0],
                                   displays(b['reasonCode'][0])[0] if b.get('reasonCode') else None))


@case(39, LIS, 'followup', [
    "ma fille avait combien de fièvre quand ils l'ont vue pour le covid ?",
    "et l'oxygène dans le sang, ils l'avaient mesuré ? c'était bien ?"])
def g39():
    es = obs_with_code(LIS, '59408-5')
    assert len(es) == 1
    r = es[0]['resource']
    t = obs_with_code(LIS, '8331-1')[0]['resource']
    return G([ref(es[0])], 'all', [fmt(r['valueQuantity']['value'])],
             'Turn 1: oral temperature %r Cel on %s. Turn 2 asks oxygen: Observation LOINC 59408-5 (SpO2 by pulse '
             'oximetry) = %s %% on %s; no reference range recorded (very low).' % (
                 t['valueQuantity']['value'], day(obs_date(t)), r['valueQuantity']['value'], day(obs_date(r))))


@case(40, 'Martina_Murazik', 'ever_had', [
    "J'ai une BPCO et mon pneumologue veut que je fasse le vaccin contre le pneumocoque si j'ai déjà eu une "
    "pneumonie, enfin c'est ce que j'ai compris. Ma fille me soutient que j'en ai déjà fait une il y a "
    "quelques années, quand j'étais restée au lit dix jours avec de la fièvre, moi je crois que c'était "
    "juste une grosse bronchite. Est-ce que j'ai déjà eu une pneumonie d'après mon dossier ?"])
def g40():
    for e in entries('Martina_Murazik'):
        r = e['resource']
        ds = ' '.join(displays(r.get('code')) + [d for rc in r.get('reasonCode', []) for d in displays(rc)]).lower()
        assert 'pneumonia' not in ds and 'pneumonitis' not in ds
    bron = [day(enc_start(e['resource'])) for e in entries('Martina_Murazik', 'Encounter')
            if any('bronchitis' in d.lower() for rc in e['resource'].get('reasonCode', []) for d in displays(rc))]
    return G([], 'all', [],
             'No pneumonia Condition, encounter reason or any other resource in the record -> honest NO / not in record '
             '(there is an encounter for acute bronchitis on %s and active chronic obstructive bronchitis).' % bron, nf=True)


# ---------------------------------------------------------------- runner

def build(c):
    out = {k: v for k, v in c.items() if k != '_gold'}
    out.update(c['_gold']())
    return out


def main():
    args = sys.argv[1:]
    if args[:1] == ['--write']:
        n = int(args[1])
        path = os.path.join(OUT, 'fr-%02d.jsonl' % n)
        if os.path.exists(path):
            sys.exit('%s already saved (final), not rewriting' % path)
        sel = [c for c in CASES if 10 * (n - 1) < int(c['id'][-3:]) <= 10 * n]
        with open(path, 'w', encoding='utf-8') as fh:
            for c in sel:
                fh.write(json.dumps(build(c), ensure_ascii=False) + '\n')
        print('wrote', path, len(sel))
    elif args[:1] == ['--check']:
        saved = {}
        for p in sorted(glob.glob(os.path.join(OUT, 'fr-*.jsonl'))):
            for line in open(p, encoding='utf-8'):
                o = json.loads(line)
                saved[o['id']] = o
        bad = 0
        for c in CASES:
            if c['id'] in saved and build(c) != saved[c['id']]:
                bad += 1
                print('MISMATCH', c['id'])
        print('checked', len(saved), 'saved cases;', bad, 'mismatches')
    else:
        for c in CASES:
            print(json.dumps(build(c), ensure_ascii=False))


if __name__ == '__main__':
    main()
