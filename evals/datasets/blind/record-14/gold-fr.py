#!/usr/bin/env python3
"""Gold computation for blind record set rb14-fr (French).

Usage:
  python3 gold-fr.py            # recompute gold for every case, compare with fr-0N.jsonl files (if present)
  python3 gold-fr.py --write N  # write fr-0N.jsonl (cases 10*(N-1)+1 .. 10*N) if it does not exist yet
  python3 gold-fr.py --show     # print the computed gold fields

Standard library only. Reads the record files read-only.
Number formatting of gold_values (documented in each note with the raw value):
  fmt(v): values >= 20 whose fractional part is < .5 -> integer part (robust to any rounding);
          otherwise rounded to 1 decimal (a trailing ".0" dropped).
  Blood pressure values are rounded to integers (as they are always reported).
"""
import json, glob, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = '/work/shared/data'
SYN = os.path.join(DATA, 'synthea')
RW = os.path.join(DATA, 'realworld')
LIS_KEY = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

_cache = {}
def bundle(patient):
    if patient not in _cache:
        p = os.path.join(RW, patient + '.json')
        if not os.path.exists(p):
            p = glob.glob(os.path.join(SYN, patient + '_*.json'))[0]
        with open(p, encoding='utf-8') as f:
            _cache[patient] = json.load(f)
    return _cache[patient]

def entries(patient, rtype=None):
    for e in bundle(patient).get('entry', []):
        r = e['resource']
        if rtype is None or r['resourceType'] == rtype:
            yield e

def ref(e):
    r = e['resource']
    if r.get('id'):
        return '%s/%s' % (r['resourceType'], r['id'])
    return e['fullUrl']

def cdate(r):
    """clinical date of a resource (string, ISO)"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'onsetDateTime', 'authoredOn', 'recordedDate'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''

def day(s):
    return s[:10]

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def text_of(cc):
    cc = cc or {}
    return ' '.join([cc.get('text') or ''] + [c.get('display') or '' for c in cc.get('coding', [])]).lower()

def obs(patient, loinc, display_contains=None):
    out = []
    for e in entries(patient, 'Observation'):
        r = e['resource']
        if loinc in codes(r.get('code')):
            if display_contains and display_contains.lower() not in text_of(r.get('code')):
                continue
            out.append(e)
    out.sort(key=lambda e: cdate(e['resource']))
    return out

def val(e):
    return e['resource']['valueQuantity']['value']

def latest_day(es):
    """all entries on the latest clinical day"""
    d = max(day(cdate(e['resource'])) for e in es)
    return [e for e in es if day(cdate(e['resource'])) == d], d

def by_year(es, y):
    return [e for e in es if cdate(e['resource']).startswith(str(y))]

def distinct_days(es):
    return sorted(set(day(cdate(e['resource'])) for e in es))

def fmt(v):
    if abs(v) >= 20 and (abs(v) % 1) < 0.5:
        return str(int(v))
    s = '%.1f' % v
    return s[:-2] if s.endswith('.0') else s

def bp_int(v):
    return str(int(round(v)))

def comp(e, loinc):
    for c in e['resource'].get('component', []):
        if loinc in codes(c.get('code')):
            return c['valueQuantity']['value']

def find(patient, rtype, pred):
    return [e for e in entries(patient, rtype) if pred(e['resource'])]

def enc_sorted(patient):
    es = list(entries(patient, 'Encounter'))
    es.sort(key=lambda e: e['resource']['period']['start'])
    return es

def G(refs, values, match='all', nf=False, note=''):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}

# ---------------------------------------------------------------- cases
CASES = []
def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append({'id': 'rb14-fr-%03d' % cid, 'lang': 'fr', 'patient': patient, 'kind': kind, 'turns': turns, '_fn': fn})
        return fn
    return deco

@case(1, 'Emery_Purdy', 'latest', [
    "Bonjour, alors voilà je suis diabétique depuis un bon moment (type 2), je prends mon cachet pour la tension tous les matins et je fais un peu attention à ce que je mange, enfin j'essaie lol. Mon médecin traitant m'a dit au dernier rendez-vous que c'était « à peu près stable » mais j'ai pas retenu le chiffre et j'ai la flemme de rappeler le cabinet, ils décrochent jamais. Le truc de la prise de sang qui montre le sucre sur trois mois, l'hémoglobine machin là, c'était combien la dernière fois ? et c'était quand exactement ?"])
def _():
    es = obs('Emery_Purdy', '4548-4')
    last, d = latest_day(es)
    return G([ref(e) for e in last], [fmt(val(e)) for e in last] + [d],
             note='Latest HbA1c (LOINC 4548-4) by effectiveDateTime: %s = %r %%; %d results in total.' % (d, val(last[0]), len(es)))

@case(2, 'Daisey_Johns', 'list', [
    "Bonjour, ma fille Daisey (5 ans) rentre à l'école et la directrice me demande de remplir le PAI avec toutes ses allergies. Je sais qu'il y a les abeilles, c'est pour ça qu'elle a le stylo d'adrénaline, et les œufs, mais il y en avait d'autres quand l'allergologue a fait les tests et j'ai perdu le compte-rendu dans le déménagement. Vous pouvez me lister tout ce qui est noté comme allergie dans son dossier ? Je veux rien oublier, c'est important pour la cantine."])
def _():
    es = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')
          if 'active' in codes(e['resource'].get('clinicalStatus')) or not e['resource'].get('clinicalStatus')]
    names = [e['resource']['code']['coding'][0]['display'] for e in es]
    return G([ref(e) for e in es], [],
             note='All AllergyIntolerance entries (none is a negation; all clinicalStatus active): %d = %s.' % (len(es), '; '.join(names)))

@case(3, 'Josue_Sipes', 'still_on', [
    "Après mon AVC en janvier 2019 on m'avait mis sous clopidogrel (le Plavix) en sortant de l'hôpital. Là je range l'armoire à pharmacie et je retrouve une vieille boîte à moitié pleine. Je dois encore en prendre ou c'est arrêté ? Mon pharmacien m'a dit de vérifier dans mon dossier avant de faire quoi que ce soit."])
def _():
    es = find('Josue_Sipes', 'MedicationRequest', lambda r: '309362' in codes(r.get('medicationCodeableConcept')))
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], [day(r['authoredOn'])],
             note='MedicationRequest clopidogrel 75 mg (RxNorm 309362): status=%s, authoredOn %s, no later clopidogrel order -> stopped (not current).' % (r['status'], day(r['authoredOn'])))

@case(4, 'AT_ELGA_GmbH_01', 'meaning', [
    "Bonjour, j'ai récupéré mes analyses de décembre 2016 faites en Autriche, tout est en allemand évidemment. Il y a une ligne « Ferritin » avec une valeur qui me paraît énorme à côté des autres. J'ai lu sur un forum que la ferritine trop haute ça peut être grave et du coup je panique un peu. C'était combien exactement, et c'est quoi la norme du labo ? C'est normal ou pas ?"])
def _():
    es = obs('AT_ELGA_GmbH_01', '2276-4')
    assert len(es) == 1
    r = es[0]['resource']; rr = r['referenceRange'][0]
    v = r['valueQuantity']['value']
    return G([ref(es[0])], [fmt(v), fmt(rr['low']['value']), fmt(rr['high']['value'])],
             note='Ferritin (LOINC 2276-4) %s: %s %s, referenceRange %s-%s, interpretation %s -> above range. Resource has no id: cited by entry fullUrl.' % (
                 day(cdate(r)), v, r['valueQuantity']['unit'], rr['low']['value'], rr['high']['value'], r['interpretation'][0]['coding'][0]['code']))

@case(5, 'Annmarie_Doyle', 'count', [
    "combien de vaccins contre la grippe j'ai eu en tout depuis que je suis suivie ici ?"])
def _():
    es = find('Annmarie_Doyle', 'Immunization', lambda r: '140' in codes(r.get('vaccineCode')) and r.get('status', 'completed') == 'completed')
    ds = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], [str(len(es))], match='any',
             note='Count of completed Immunization with CVX 140 (seasonal influenza): %d, from %s to %s.' % (len(es), ds[0], ds[-1]))

def _no_match(patient, words):
    hits = []
    for e in entries(patient):
        r = e['resource']
        t = ' '.join(text_of(r.get(k)) for k in ('code', 'vaccineCode', 'medicationCodeableConcept', 'type') if isinstance(r.get(k), dict))
        for tt in r.get('type', []) if isinstance(r.get('type'), list) else []:
            t += ' ' + text_of(tt)
        if any(w in t for w in words):
            hits.append(ref(e))
    return hits

# NOTE (erratum, kept because fr-01.jsonl is final): the parenthetical remark in this note about HPV vaccines is
# inaccurate -- Liz_Conn has no HPV vaccine in her record. The gold itself (not found, no refs) is unaffected.
@case(6, 'Liz_Conn', 'not_found', [
    "c quand mon dernier frottis ? la sage-femme me demande et jsais plus du tout si c'était il y a 2 ans ou 5 ans"])
def _():
    words = ['pap', 'cervical', 'cytolog', 'papanicolaou', 'hpv dna', 'smear']
    hits = _no_match('Liz_Conn', words)
    assert not hits, hits
    return G([], [], nf=True, note='No Procedure/Observation/DiagnosticReport for a cervical smear (searched %s) -> not in record (record has HPV vaccines, which are not a smear).' % words)

@case(7, 'Luigi_Wiegand', 'ever_had', [
    "Bonsoir, mon fils Luigi a 5 mois. On part en vacances chez ma belle-mère et elle me saoule avec le vaccin contre la gastro, le rotavirus, elle dit que c'est pas obligatoire mais qu'il faudrait l'avoir fait. Franchement je sais plus s'il l'a eu, il a eu tellement de piqûres et de gouttes dans la bouche ces derniers mois 😅 Est-ce que c'est marqué dans son dossier qu'il a eu le rotavirus ? et si oui combien de fois ?"])
def _():
    es = find('Luigi_Wiegand', 'Immunization', lambda r: '119' in codes(r.get('vaccineCode')))
    ds = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], ds,
             note='Immunization CVX 119 (rotavirus, monovalent): %d doses on %s -> yes.' % (len(es), ', '.join(ds)))

@case(8, 'Martina_Murazik', 'previous', [
    "Bonjour. J'ai une bronchite chronique (BPCO) et je fais mon test de souffle une fois par an, vous savez on souffle dans le tube jusqu'à plus pouvoir. Le dernier résultat m'a un peu inquiétée, il paraît que ça baisse. Je voudrais comparer : pas le dernier, celui d'avant, le rapport VEMS/CVF je crois que ça s'appelle. C'était combien et à quelle date ? Je veux voir si ça dégringole vraiment ou si c'était juste un mauvais jour."])
def _():
    es = obs('Martina_Murazik', '19926-5')
    days = distinct_days(es)
    prev = [e for e in es if day(cdate(e['resource'])) == days[-2]]
    return G([ref(e) for e in prev], [fmt(val(e)) for e in prev] + [days[-2]],
             note='FEV1/FVC (LOINC 19926-5): latest %s = %r; the one before (gold) %s = %r %%.' % (
                 days[-1], val(es[-1]), days[-2], val(prev[0])))

@case(9, 'Lupe_Little', 'last_visit', [
    "Mon dernier rendez-vous chez le médecin c'était quand et pour quoi ? je m'en souviens plus du tout"])
def _():
    es = enc_sorted('Lupe_Little')
    last = es[-1]; r = last['resource']
    reason = r.get('reasonCode', [{}])[0].get('coding', [{}])[0].get('display')
    return G([ref(last)], [day(r['period']['start'])],
             note='Latest Encounter by period.start: %s, %s, reason %s.' % (day(r['period']['start']), r['type'][0]['coding'][0]['display'], reason))

@case(10, 'Renea_Quigley', 'followup', [
    "J'ai fait combien de coloscopies en tout ? mon gastro veut savoir",
    "et la dernière remonte à quand ?"])
def _():
    es = find('Renea_Quigley', 'Procedure', lambda r: '73761001' in codes(r.get('code')))
    es.sort(key=lambda e: cdate(e['resource']))
    last = es[-1]
    return G([ref(last)], [day(cdate(last['resource']))],
             note='Procedure colonoscopy (SNOMED 73761001): %d in total (%s); last turn asks for the latest -> %s.' % (
                 len(es), ', '.join(day(cdate(e['resource'])) for e in es), day(cdate(last['resource']))))

@case(11, 'AT_ELGA_GmbH_01', 'latest', [
    "c'était quoi ma tension la dernière fois qu'on me l'a prise ?"])
def _():
    sy = obs('AT_ELGA_GmbH_01', '8480-6'); di = obs('AT_ELGA_GmbH_01', '8462-4')
    ls, d = latest_day(sy); ld, d2 = latest_day(di)
    assert d == d2
    vals = []
    for e in ls + ld:
        vals.append(bp_int(val(e)))
    return G([ref(e) for e in ls + ld], vals,
             note='Systolic (8480-6) and diastolic (8462-4) are separate Observations without id (cited by fullUrl). Latest time %s has two readings at the same timestamp (one with effectivePeriod start, one with effectiveDateTime): %s -> both are gold.' % (
                 d, ' and '.join('%s/%s' % (bp_int(val(a)), bp_int(val(b))) for a, b in zip(ls, ld))))

@case(12, 'IPS_IG-bundle-01', 'list', [
    "Quels médicaments je suis censée prendre en ce moment d'après mon dossier ? j'ai une consultation d'anesthésie jeudi et ils veulent la liste complète, même les trucs à base de plantes"])
def _():
    es = [e for e in entries('IPS_IG-bundle-01', 'MedicationStatement') if e['resource'].get('status') == 'active']
    meds = {}
    for e in entries('IPS_IG-bundle-01', 'Medication'):
        meds[e['fullUrl']] = e['resource']['code']['coding'][0]['display']
    names = [meds.get(e['resource']['medicationReference']['reference'], '?') for e in es]
    return G([ref(e) for e in es], [],
             note='Active MedicationStatements (medicationReference -> Medication): %s; starts %s.' % (
                 '; '.join(names), ', '.join(e['resource']['effectivePeriod']['start'] for e in es)))

@case(13, 'Emery_Purdy', 'still_on', [
    "l'hydrochlorothiazide je suis toujours censé le prendre ou le doc l'a arrêté ? ma boîte est presque finie"])
def _():
    es = find('Emery_Purdy', 'MedicationRequest', lambda r: '316049' in codes(r.get('medicationCodeableConcept')))
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], [day(r['authoredOn'])],
             note='MedicationRequest hydrochlorothiazide 25 mg (RxNorm 316049): status=%s since %s -> still current.' % (r['status'], day(r['authoredOn'])))

@case(14, LIS_KEY, 'meaning', [
    "Je relis le dossier de ma fille de quand elle a eu le covid en février 2020, elle avait 9 ans. Il y a une mesure de saturation en oxygène, le truc qu'on met au bout du doigt. Je comprends pas si le chiffre était normal ou si c'était grave, à l'époque on m'a rien expliqué, ils lui ont juste mis un masque et voilà. C'était combien, et c'est normal comme valeur pour un enfant ?"])
def _():
    es = obs(LIS_KEY, '59408-5')
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], [fmt(val(es[0]))],
             note='Oxygen saturation by pulse oximetry (LOINC 59408-5) %s: %r %%, no referenceRange recorded; well below the usual >=95%% in a child -> abnormal (very low).' % (day(cdate(r)), val(es[0])))

@case(15, 'Fidel_Bins', 'count', [
    "Depuis 2017 j'ai eu combien de rdv de contrôle pour mon asthme ? je compte pas le passage aux urgences, juste les suivis"])
def _():
    es = [e for e in enc_sorted('Fidel_Bins') if '394701000' in codes(e['resource']['type'][0]) and e['resource']['period']['start'] >= '2017']
    ds = [day(e['resource']['period']['start']) for e in es]
    return G([ref(e) for e in es], [str(len(es))], match='any',
             note='Encounters of type 394701000 "Asthma follow-up" with start >= 2017-01-01: %d (%s). The 2019-01-23 emergency admission for asthma is excluded as asked.' % (len(es), ', '.join(ds)))

@case(16, 'Annmarie_Doyle', 'not_found', [
    "Bonjour, je gère le suivi médical de ma mère (elle a 86 ans, elle a un peu de mal avec l'ordi). Son rhumatologue nous demande la date de sa dernière densitométrie osseuse, pour l'ostéoporose, avant de lui prescrire un traitement. Moi j'étais persuadée qu'elle en avait fait une il y a quelques années mais elle dit que non. Vous pouvez regarder dans son dossier si c'est noté quelque part ?"])
def _():
    words = ['densitometr', 'bone density', 'dexa', 'dxa', 'bone mineral', 'osteopor', 'absorptiometry']
    hits = _no_match('Annmarie_Doyle', words)
    assert not hits, hits
    return G([], [], nf=True, note='No bone densitometry (DXA) procedure or observation (searched %s) -> not in record.' % words)

@case(17, 'Laurie_McCullough', 'ever_had', [
    "j'ai eu le vaccin contre le papillomavirus quand j'étais ado ? ma gynéco me demande et ma mère se souvient plus"])
def _():
    es = find('Laurie_McCullough', 'Immunization', lambda r: '62' in codes(r.get('vaccineCode')))
    ds = sorted(day(e['resource']['occurrenceDateTime']) for e in es)
    return G([ref(e) for e in es], ds,
             note='Immunization CVX 62 (HPV, quadrivalent): %d doses on %s -> yes.' % (len(es), ', '.join(ds)))

@case(18, 'Vito_Feeney', 'previous', [
    "Mon père est décédé en 1979 d'un cancer de la prostate, j'ai accès à son dossier. J'ai 50 ans et mon urologue me pose des questions sur l'évolution chez lui. Le dosage du PSA juste avant le tout dernier, il était à combien et c'était quand ?"])
def _():
    es = obs('Vito_Feeney', '2857-1')
    days = distinct_days(es)
    prev = [e for e in es if day(cdate(e['resource'])) == days[-2]]
    return G([ref(e) for e in prev], [fmt(val(e)) for e in prev] + [days[-2]],
             note='PSA (LOINC 2857-1), %d results: latest %s = %r; the one before (gold) %s = %r ng/mL.' % (
                 len(es), days[-1], val(es[-1]), days[-2], val(prev[0])))

@case(19, 'Daisey_Johns', 'last_visit', [
    "c'était quand son dernier rdv chez le médecin à ma fille ? et c'était pour quoi ?"])
def _():
    es = enc_sorted('Daisey_Johns')
    last = es[-1]; r = last['resource']
    return G([ref(last)], [day(r['period']['start'])],
             note='Latest Encounter by period.start: %s, %s (well-child check; influenza vaccine given that day). The visit just before was %s for %s.' % (
                 day(r['period']['start']), r['type'][0]['coding'][0]['display'], day(es[-2]['resource']['period']['start']),
                 es[-2]['resource'].get('reasonCode', [{}])[0].get('coding', [{}])[0].get('display')))

@case(20, 'Josue_Sipes', 'followup', [
    "c'était combien ma tension au dernier rdv ?",
    "et au rendez-vous d'avant ?"])
def _():
    es = obs('Josue_Sipes', '55284-4')
    days = distinct_days(es)
    prev = [e for e in es if day(cdate(e['resource'])) == days[-2]]
    assert len(prev) == 1
    s, d = comp(prev[0], '8480-6'), comp(prev[0], '8462-4')
    return G([ref(prev[0])], [bp_int(s), bp_int(d), days[-2]],
             note='Blood pressure panel (LOINC 55284-4, components 8480-6/8462-4). Latest %s = %s/%s; the visit before (gold for last turn) %s = %r/%r -> %s/%s.' % (
                 days[-1], bp_int(comp(es[-1], '8480-6')), bp_int(comp(es[-1], '8462-4')), days[-2], s, d, bp_int(s), bp_int(d)))

@case(21, 'Josue_Sipes', 'latest', [
    "Bonjour, je vous écris pour mon mari Josue, 65 ans, il a les reins qui fatiguent à cause du diabète et le néphrologue surveille ça de près. Il a eu une prise de sang mi-mars et depuis il rumine parce que l'infirmière a dit en passant « la créatinine est un peu haute » mais personne ne nous a donné le chiffre. Lui et internet ça fait deux, donc c'est moi qui demande. Vous pouvez me dire combien était sa créatinine sur la dernière analyse ? Merci beaucoup"])
def _():
    es = obs('Josue_Sipes', '38483-4')
    last, d = latest_day(es)
    return G([ref(e) for e in last], [fmt(val(e)) for e in last] + [d],
             note='Creatinine (LOINC 38483-4): the latest day %s holds %d results (%s mg/dL) -> all are gold.' % (
                 d, len(last), ' and '.join(repr(val(e)) for e in last)))

@case(22, 'US_MEDITECH_ips_2', 'list', [
    "je suis allergique à quoi exactement ? la pharmacienne m'a demandé et j'étais pas sûre, je crois que c'est un antibiotique"])
def _():
    es = [e for e in entries('US_MEDITECH_ips_2', 'AllergyIntolerance') if 'active' in codes(e['resource'].get('clinicalStatus'))]
    names = [e['resource']['code']['coding'][0]['display'] for e in es]
    return G([ref(e) for e in es], [],
             note='Active AllergyIntolerance entries: %s (both medication, reaction hives, criticality high).' % '; '.join(names))

@case(23, 'Renea_Quigley', 'still_on', [
    "j'ai encore de l'ibuprofène de quand je me suis tordu la cheville, c'est toujours dans mon traitement ou ça a été arrêté ? j'ai mal à la hanche en ce moment et je me demandais si je pouvais en reprendre"])
def _():
    es = find('Renea_Quigley', 'MedicationRequest', lambda r: '310965' in codes(r.get('medicationCodeableConcept')))
    es.sort(key=lambda e: e['resource']['authoredOn'])
    last = es[-1]['resource']
    return G([ref(es[-1])], [day(last['authoredOn'])],
             note='MedicationRequest ibuprofen 200 mg (RxNorm 310965): %d orders, all status stopped (%s); the one for the ankle sprain is %s (status %s) -> not current.' % (
                 len(es), ', '.join('%s %s' % (day(e['resource']['authoredOn']), e['resource']['status']) for e in es), day(last['authoredOn']), last['status']))

@case(24, 'IPS_IG-bundle-01', 'meaning', [
    "mon hba1c de novembre 2017 c'est bon ou pas ? je comprends rien à ces pourcentages"])
def _():
    es = find('IPS_IG-bundle-01', 'Observation', lambda r: '17856-6' in codes(r.get('code')))
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], [fmt(r['valueQuantity']['value'])],
             note='HbA1c by HPLC (LOINC 17856-6) %s: %s %%; no referenceRange, but note "%s" -> above the target.' % (
                 day(cdate(r)), r['valueQuantity']['value'], r['note'][0]['text']))

@case(25, 'Josue_Sipes', 'count', [
    "En 2020 j'ai l'impression d'avoir passé ma vie à souffler dans l'appareil pour les poumons, en plus de la réadaptation respiratoire deux fois par semaine. Par curiosité, j'ai fait combien de spirométries cette année-là ? Ma fille dit que j'exagère."])
def _():
    es = find('Josue_Sipes', 'Procedure', lambda r: '127783003' in codes(r.get('code')) and cdate(r).startswith('2020'))
    ds = sorted(day(cdate(e['resource'])) for e in es)
    return G([ref(e) for e in es], [str(len(es))], match='any',
             note='Procedure spirometry (SNOMED 127783003) performed in 2020: %d (%s). Pulmonary rehabilitation procedures are not counted.' % (len(es), ', '.join(ds)))

@case(26, 'Fidel_Bins', 'not_found', [
    "Bonjour, pour la visite médicale du travail on me demande ma dernière glycémie à jeun. Je suis asthmatique, un peu enrobé on va dire, mais on m'a jamais parlé de diabète. Je voudrais juste recopier le chiffre sur le formulaire, c'était combien mon taux de sucre dans le sang la dernière fois ?"])
def _():
    loincs = ['2339-0', '2345-7', '1558-6', '4548-4', '17856-6', '15074-8']
    for l in loincs:
        assert not obs('Fidel_Bins', l), l
    hits = _no_match('Fidel_Bins', ['glucose', 'glycem', 'glycat', 'glycosyl', 'a1c'])
    assert not hits, hits
    return G([], [], nf=True, note='No glucose or HbA1c Observation (LOINC %s, text glucose/glycem/glycat/glycosyl/a1c) -> not in record.' % ', '.join(loincs))

@case(27, 'Lupe_Little', 'ever_had', [
    "J'ai 39 ans et j'ai fait un arrêt cardiaque quand j'étais ado. Du coup ma pharmacienne me conseille le vaccin contre le pneumocoque, elle dit que c'est recommandé dans mon cas. Mais je sais pas si je l'ai déjà eu, est-ce que c'est dans mon dossier ?"])
def _():
    cvx = ['33', '100', '109', '133', '152', '215', '216']
    es = [e for e in entries('Lupe_Little', 'Immunization') if set(codes(e['resource'].get('vaccineCode'))) & set(cvx)]
    assert not es
    assert not _no_match('Lupe_Little', ['pneumo'])
    have = sorted(set(e['resource']['vaccineCode']['coding'][0]['display'] for e in entries('Lupe_Little', 'Immunization')))
    return G([], [], nf=True, note='No pneumococcal Immunization (CVX %s, or text "pneumo"); the record only holds: %s -> no.' % (', '.join(cvx), '; '.join(have)))

@case(28, 'Annmarie_Doyle', 'value_in_year', [
    "Bonjour, je m'occupe des papiers de ma mère et sa nouvelle cardiologue veut comparer ses bilans de cholestérol. Elle a le résultat de 2020 mais elle demande aussi celui d'avant, de 2017. Maman ne garde rien, elle jette tout au fur et à mesure 🙄 Vous pouvez me retrouver son cholestérol total de 2017 svp ? Juste le total, pas le détail HDL LDL et tout ça."])
def _():
    es = by_year(obs('Annmarie_Doyle', '2093-3'), 2017)
    assert len(es) == 1
    r = es[0]['resource']
    return G([ref(es[0])], [fmt(val(es[0])), day(cdate(r))],
             note='Total cholesterol (LOINC 2093-3) in 2017: one result on %s = %r mg/dL.' % (day(cdate(r)), val(es[0])))

@case(29, 'Luigi_Wiegand', 'last_visit', [
    "quand est-ce que le petit a vu le médecin pour la dernière fois ? et c'était pour quoi, les vaccins ?"])
def _():
    es = enc_sorted('Luigi_Wiegand')
    last = es[-1]; r = last['resource']
    d = day(r['period']['start'])
    vacc = [e['resource']['vaccineCode']['coding'][0]['display'] for e in entries('Luigi_Wiegand', 'Immunization') if day(e['resource']['occurrenceDateTime']) == d]
    return G([ref(last)], [d],
             note='Latest Encounter by period.start: %s, %s (well-child visit); vaccines given that day: %s.' % (d, r['type'][0]['coding'][0]['display'], '; '.join(vacc)))

@case(30, 'Lupe_Little', 'followup', [
    "Mon hémoglobine glyquée la plus récente c'est combien ? on m'a parlé de prédiabète",
    "ok et en 2016 elle était à combien ?"])
def _():
    es = obs('Lupe_Little', '4548-4')
    y = by_year(es, 2016)
    assert len(y) == 1
    return G([ref(y[0])], [fmt(val(y[0]))],
             note='HbA1c (LOINC 4548-4): latest %s = %r; 2016 (gold for last turn) %s = %r %%.' % (
                 day(cdate(es[-1]['resource'])), val(es[-1]), day(cdate(y[0]['resource'])), val(y[0])))

@case(31, LIS_KEY, 'latest', [
    "Ma fille a eu le covid fin février 2020, elle était vraiment pas bien, brûlante. La dernière fois qu'on lui a pris la température chez vous, ça donnait combien ? C'est pour remplir un questionnaire de recherche sur les enfants qui ont eu le covid."])
def _():
    es = obs(LIS_KEY, '8331-1')
    last, d = latest_day(es)
    return G([ref(e) for e in last], [fmt(val(e)) for e in last] + [d],
             note='Oral temperature (LOINC 8331-1): latest (and only) on %s = %r Cel.' % (d, val(last[0])))

@case(32, 'Martina_Murazik', 'list', [
    "Bonjour, ma mère a 67 ans, on lui a découvert une insuffisance cardiaque l'an dernier et elle a une BPCO depuis des années. Elle vient passer quelques semaines chez moi et je veux lui préparer son pilulier correctement parce qu'en ce moment elle mélange un peu tout. Elle me parle de « la pilule pour le cœur », « le diurétique » et « la poudre pour respirer », mais je ne sais pas s'il y a autre chose. Qu'est-ce qui figure comme traitement en cours dans son dossier ?"])
def _():
    es = find('Martina_Murazik', 'MedicationRequest', lambda r: r.get('status') == 'active')
    names = [e['resource']['medicationCodeableConcept']['text'] for e in es]
    return G([ref(e) for e in es], [],
             note='Active MedicationRequests: %d = %s.' % (len(es), '; '.join(names)))

@case(33, 'US_MEDITECH_ips_2', 'still_on', [
    "Bonjour, j'ai une greffe de rein qui marche mal et on me fait des injections pour l'anémie, la darbépoétine (Aranesp je crois). Quand je suis sortie ils ont arrêté l'antibiotique et le paracétamol, mais pour les piqûres personne ne m'a rien dit clairement et l'infirmière à domicile me demande. C'est toujours prescrit ou ça a été arrêté aussi ?"])
def _():
    reqs = [e for e in entries('US_MEDITECH_ips_2', 'MedicationRequest')
            if 'darbepoetin' in (e['resource'].get('medicationReference', {}).get('display') or '').lower()]
    stm = [e for e in entries('US_MEDITECH_ips_2', 'MedicationStatement') if '55513003201' in codes(e['resource'].get('medicationCodeableConcept'))]
    assert len(reqs) == 1 and len(stm) == 1
    rq, st = reqs[0]['resource'], stm[0]['resource']
    return G([ref(reqs[0]), ref(stm[0])], [], match='any',
             note='Darbepoetin alfa: MedicationRequest status=%s (authoredOn %s, dosage "%s") and MedicationStatement known only by NDC 55513003201 status=%s (effectivePeriod start %s, no end) -> still prescribed. Dates differ between the two, so no date is required; the acetaminophen and ceftriaxone orders are stopped.' % (
                 rq['status'], day(rq['authoredOn']), rq['dosageInstruction'][0]['text'], st['status'], day(st['effectivePeriod']['start'])))

@case(34, 'Liz_Conn', 'meaning', [
    "Ma fonction rénale sur ma dernière prise de sang, le DFG je crois, ça donne quoi ? c'est normal ? je prends un diurétique pour la tension depuis des années et j'ai toujours un peu peur pour mes reins"])
def _():
    es = obs('Liz_Conn', '33914-3')
    last, d = latest_day(es)
    assert len(last) == 1 and 'referenceRange' not in last[0]['resource']
    return G([ref(last[0])], [fmt(val(last[0])), d],
             note='eGFR (LOINC 33914-3): latest %s = %r mL/min/1.73m2, no referenceRange recorded; >= 90 is normal kidney function (previous values %s).' % (
                 d, val(last[0]), ', '.join('%s=%s' % (day(cdate(e['resource'])), fmt(val(e))) for e in es[:-1])))

@case(35, 'Laurie_McCullough', 'count', [
    "jsuis allée combien de fois chez le médecin en 2019 ? c'est pour un dossier de remboursement mutuelle, ils veulent le nombre de consultations"])
def _():
    es = [e for e in enc_sorted('Laurie_McCullough') if e['resource']['period']['start'].startswith('2019')]
    ds = [day(e['resource']['period']['start']) for e in es]
    return G([ref(e) for e in es], [str(len(es))], match='any',
             note='Encounters with period.start in 2019: %d (%s).' % (len(es), ', '.join(ds)))

@case(36, 'IPS_IG-bundle-01', 'not_found', [
    "J'ai déjà fait un bilan thyroïdien à un moment ? c'était combien ma TSH ? ma sœur a un problème de thyroïde et mon médecin m'a dit de vérifier"])
def _():
    for l in ['3016-3', '11580-8', '3024-7', '3026-2', '3051-0', '3053-6']:
        assert not find('IPS_IG-bundle-01', 'Observation', lambda r: l in codes(r.get('code')))
    assert not _no_match('IPS_IG-bundle-01', ['thyro', 'tsh', 'thyrox', 'triiodo'])
    return G([], [], nf=True, note='No thyroid test (TSH 3016-3/11580-8, T4, T3; text thyro/tsh) in the record -> not in record.')

@case(37, 'US_MEDITECH_ips_2', 'ever_had', [
    "Est-ce que j'ai déjà eu le vaccin contre la grippe ? Je crois qu'on me l'avait proposé quand j'ai été hospitalisée en juin 2015 pour la fièvre, mais j'étais tellement dans le coltar que je sais plus si on me l'a fait ou pas. Mon néphrologue veut savoir à cause de la greffe."])
def _():
    flu = [e for e in entries('US_MEDITECH_ips_2', 'Immunization') if 'influenza' in text_of(e['resource'].get('vaccineCode'))]
    done = [e for e in flu if e['resource'].get('status') == 'completed']
    assert flu and not done
    r = flu[0]['resource']
    return G([], [], nf=True,
             note='The only influenza Immunization (%s, CVX %s, %s) has status "%s" -> no flu vaccine was given according to the record (the other Immunization is DTaP).' % (
                 ref(flu[0]), codes(r['vaccineCode'])[0], r['occurrenceDateTime'], r['status']))

@case(38, 'Fidel_Bins', 'value_in_year', [
    "mon LDL en 2015 il était à combien ? le mauvais cholestérol quoi"])
def _():
    es = by_year(obs('Fidel_Bins', '18262-6'), 2015)
    assert len(es) == 1
    return G([ref(es[0])], [fmt(val(es[0])), day(cdate(es[0]['resource']))],
             note='LDL cholesterol (LOINC 18262-6) in 2015: one result on %s = %r mg/dL.' % (day(cdate(es[0]['resource'])), val(es[0])))

@case(39, 'Martina_Murazik', 'last_visit', [
    "Bonjour, en décembre je suis passée aux urgences parce que j'étais essoufflée au moindre effort, ils m'ont fait une radio des poumons et des prises de sang. Mon cardiologue me demande la date exacte de ce passage pour son courrier. C'est bien ma dernière consultation enregistrée ? C'était quel jour exactement ?"])
def _():
    es = enc_sorted('Martina_Murazik')
    last = es[-1]; r = last['resource']
    d = day(r['period']['start'])
    return G([ref(last)], [d],
             note='Latest Encounter by period.start: %s, class %s, type "%s" (chest X-ray Procedure and labs that day) -> yes, it is the last visit.' % (d, r['class']['code'], r['type'][0]['coding'][0]['display']))

@case(40, 'Vito_Feeney', 'followup', [
    "Bonjour, je reconstitue l'histoire médicale de mon père (décédé en 1979) parce que mon urologue veut savoir comment son cancer de la prostate a été découvert. Je sais qu'il avait des PSA un peu en dents de scie et qu'on lui a fait plusieurs prélèvements. Il a eu combien de biopsies de la prostate en tout ?",
    "et la dernière c'était quand ?"])
def _():
    es = find('Vito_Feeney', 'Procedure', lambda r: '65575008' in codes(r.get('code')))
    es.sort(key=lambda e: cdate(e['resource']))
    last = es[-1]
    return G([ref(last)], [day(cdate(last['resource']))],
             note='Procedure biopsy of prostate (SNOMED 65575008): %d in total (%s); last turn asks for the latest -> %s (its biopsy result Observation that day is abnormal).' % (
                 len(es), ', '.join(day(cdate(e['resource'])) for e in es), day(cdate(last['resource']))))

# ---------------------------------------------------------------- main
def compute():
    out = []
    for c in CASES:
        g = c['_fn']()
        rec = {k: c[k] for k in ('id', 'lang', 'patient', 'kind', 'turns')}
        rec.update(g)
        out.append(rec)
    out.sort(key=lambda r: r['id'])
    return out

def main():
    recs = compute()
    ids = [r['id'] for r in recs]
    assert len(ids) == len(set(ids)), 'duplicate ids'
    if '--show' in sys.argv:
        for r in recs:
            print(json.dumps({k: r[k] for k in ('id', 'patient', 'kind', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note')}, ensure_ascii=False))
        return
    if '--write' in sys.argv:
        n = int(sys.argv[sys.argv.index('--write') + 1])
        path = os.path.join(HERE, 'fr-%02d.jsonl' % n)
        if os.path.exists(path):
            sys.exit('%s exists; saved files are final' % path)
        chunk = [r for r in recs if (n - 1) * 10 < int(r['id'][-3:]) <= n * 10]
        assert len(chunk) == 10, len(chunk)
        with open(path, 'w', encoding='utf-8') as f:
            for r in chunk:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
        return
    # verify
    byid = {r['id']: r for r in recs}
    nf = 0; bad = 0
    for p in sorted(glob.glob(os.path.join(HERE, 'fr-*.jsonl'))):
        for line in open(p, encoding='utf-8'):
            rec = json.loads(line); nf += 1
            g = byid.get(rec['id'])
            for k in ('patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note'):
                if g is None or g[k] != rec[k]:
                    bad += 1; print('MISMATCH', rec['id'], k)
    print('checked %d saved cases, %d mismatches; %d cases defined' % (nf, bad, len(recs)))

if __name__ == '__main__':
    main()
