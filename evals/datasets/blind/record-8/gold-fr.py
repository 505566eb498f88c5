#!/usr/bin/env python3
"""Gold for the French record cases (rb8-fr-*). Standard library only.

Usage:
  python3 gold-fr.py            # recompute every case and compare with the saved fr-0N.jsonl files
  python3 gold-fr.py write N    # write fr-0N.jsonl (only if it does not exist yet)
  python3 gold-fr.py show       # print all recomputed lines
"""
import glob
import json
import os
import sys
from decimal import Decimal

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
_cache = {}


# ---------------------------------------------------------------- helpers
def load(key):
    if key not in _cache:
        fs = []
        for f in glob.glob(f'{DATA}/synthea/*.json') + glob.glob(f'{DATA}/realworld/*.json'):
            b = os.path.basename(f)
            if b == key + '.json' or b.startswith(key + '_'):
                fs.append(f)
        assert len(fs) == 1, (key, fs)
        with open(fs[0], encoding='utf-8') as fh:
            # parse_float=Decimal keeps numbers exactly as written in the record
            _cache[key] = json.load(fh, parse_float=Decimal)
    return _cache[key]


def entries(key, rtype=None):
    for e in load(key)['entry']:
        r = e['resource']
        if rtype is None or r['resourceType'] == rtype:
            yield e


def ref(e):
    r = e['resource']
    if r.get('id'):
        return f"{r['resourceType']}/{r['id']}"
    return e['fullUrl']


def cdate(r):
    """Clinical date of a resource (string, as recorded)."""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'authoredOn',
              'onsetDateTime'):
        if k in r:
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if k in r and isinstance(r[k], dict) and 'start' in r[k]:
            return r[k]['start']
    return ''


def day(r):
    return cdate(r)[:10]


def num(v):
    return str(v)


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def obs(key, loinc):
    out = [e for e in entries(key, 'Observation') if loinc in codes(e['resource'].get('code'))]
    return sorted(out, key=lambda e: cdate(e['resource']))


def latest_same_day(lst):
    """All entries sharing the latest clinical day."""
    dated = [e for e in lst if day(e['resource'])]
    last = max(day(e['resource']) for e in dated)
    return [e for e in dated if day(e['resource']) == last]


def in_year(lst, year):
    return [e for e in lst if day(e['resource']).startswith(str(year))]


def val(e):
    return num(e['resource']['valueQuantity']['value'])


def by_code(key, rtype, code, field='code'):
    out = [e for e in entries(key, rtype) if code in codes(e['resource'].get(field))]
    return sorted(out, key=lambda e: cdate(e['resource']))


def encounters(key):
    return sorted(entries(key, 'Encounter'), key=lambda e: cdate(e['resource']))


def absent(key, words, rtypes=None):
    """Assert no resource (optionally of given types) mentions any of the words."""
    for e in entries(key):
        r = e['resource']
        if rtypes and r['resourceType'] not in rtypes:
            continue
        s = json.dumps(r, default=str, ensure_ascii=False).lower()
        for w in words:
            assert w.lower() not in s, (key, w, ref(e))
    return True


def G(refs, values, match='all', nf=False, note=''):
    return dict(gold_refs=list(refs), match=match, gold_values=list(values),
                expect_not_found=nf, note=note)


CASES = []


def case(n, patient, kind, turns, fileno):
    def deco(fn):
        CASES.append(dict(n=n, patient=patient, kind=kind, turns=turns, fileno=fileno, fn=fn))
        return fn
    return deco


LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
IPS = 'IPS_IG-bundle-01'
AT = 'AT_ELGA_GmbH_01'
MT = 'US_MEDITECH_ips_2'

# ================================================================ file 1

@case(1, 'Luigi_Wiegand', 'count', [
    "bonjour, je suis la maman de Luigi (5 mois). la PMI me demande combien de vaccins il a déjà reçu en tout "
    "et j'ai oublié le carnet de santé chez ma mère 🙈 vous pouvez me donner le nombre exact svp ?"], 1)
def c1():
    imms = [e for e in entries('Luigi_Wiegand', 'Immunization') if e['resource'].get('status') == 'completed']
    return G([ref(e) for e in imms], [str(len(imms))], match='any',
             note='count of completed Immunization resources (all dates); any ref acceptable, the count is decisive')


@case(2, 'Martina_Murazik', 'latest', [
    "Bonjour. Depuis qu'on m'a trouvé une insuffisance cardiaque l'an dernier je suis suivie au cardio, et à la "
    "pharmacie on m'a demandé ma « fraction d'éjection » pour je ne sais quel formulaire. Je ne me souviens plus "
    "du tout de ce qu'on m'avait dit à l'échographie du cœur, il me semble qu'il y avait deux chiffres ? Je prends "
    "toujours mon Lasix et le métoprolol, je m'essouffle un peu dans l'escalier mais pas plus qu'avant. Vous pouvez "
    "me redonner le dernier résultat avec la date ?"], 1)
def c2():
    last = latest_same_day(obs('Martina_Murazik', '10230-1'))
    return G([ref(e) for e in last], [val(e) for e in last] + [day(last[0]['resource'])],
             note='latest LOINC 10230-1 (LV ejection fraction) by effectiveDateTime; two results on the same latest day, both gold')


@case(3, IPS, 'list', [
    "je suis allergique à quoi exactement d'après mon dossier ? le dentiste veut savoir avant de me prescrire "
    "un antibio"], 1)
def c3():
    al = [e for e in entries(IPS, 'AllergyIntolerance')
          if '429625007' not in codes(e['resource'].get('code'))]  # exclude 'No known food allergy'
    return G([ref(e) for e in al], [],
             note='AllergyIntolerance list excluding the negation entry 429625007 (No known food allergy): only the penicillin allergy')


@case(4, 'Liz_Conn', 'last_visit', [
    "C'était quand mon dernier rendez-vous chez vous et c'était pour quoi ? la mutuelle me demande la date "
    "exacte pour un remboursement"], 1)
def c4():
    e = encounters('Liz_Conn')[-1]
    return G([ref(e)], [day(e['resource'])],
             note='latest Encounter by period.start (a general check-up)')


@case(5, 'Josue_Sipes', 'followup', [
    "Mon diabéto me parle tout le temps de mon « hémoglobine glyquée ». Elle était à combien en 2016 ?",
    "et en 2017 alors ?"], 1)
def c5():
    y = in_year(obs('Josue_Sipes', '4548-4'), 2017)
    return G([ref(e) for e in y], [val(e) for e in y],
             note='final turn: HbA1c (LOINC 4548-4) with effectiveDateTime in 2017; two results that year, both gold')


@case(6, AT, 'meaning', [
    "Bonjour, je suis frontalière et j'ai fait une prise de sang en Autriche en décembre 2016, le compte rendu est "
    "tout en allemand. Il y a une ligne « Ferritin » avec un double H à côté et mon médecin traitant ici n'a pas "
    "eu le temps de m'en parler. Je ne suis pas spécialement fatiguée, je ne prends pas de fer, je mange "
    "normalement, je bois peu. C'était combien exactement et c'est quoi la norme ? Je dois m'inquiéter ou c'est "
    "rien ?"], 1)
def c6():
    e = obs(AT, '2276-4')[-1]
    rr = e['resource']['referenceRange'][0]
    return G([ref(e)], [val(e), num(rr['low']['value']), num(rr['high']['value'])],
             note='Observation LOINC 2276-4 (ferritin) with its referenceRange low/high; resource has no id so ref is the fullUrl')


@case(7, 'Laurie_McCullough', 'still_on', [
    "est ce que je suis toujours censée prendre la pilule Jolivette ou elle a été arrêtée ? j'ai retrouvé une "
    "vieille plaquette dans la salle de bain lol"], 1)
def c7():
    e = [x for x in entries('Laurie_McCullough', 'MedicationRequest')
         if '757594' in codes(x['resource']['medicationCodeableConcept'])][0]
    assert e['resource']['status'] == 'stopped'
    return G([ref(e)], [day(e['resource'])],
             note='MedicationRequest RxNorm 757594 (Jolivette) status stopped; authoredOn is the only date recorded')


@case(8, 'Annmarie_Doyle', 'ever_had', [
    "Bonjour, j'écris pour ma mère qui a 86 ans. Son médecin traitant est parti à la retraite et la nouvelle "
    "médecin nous demande si elle a déjà eu le vaccin contre la pneumonie (le pneumocoque je crois). Le vaccin "
    "de la grippe elle le fait tous les ans sans faute, ça je sais, mais le pneumocoque aucune idée et elle ne "
    "s'en souvient pas. Vous voyez quelque chose dans son dossier ?"], 1)
def c8():
    for e in entries('Annmarie_Doyle', 'Immunization'):
        cv = codes(e['resource']['vaccineCode'])
        assert not set(cv) & {'33', '100', '109', '133', '152', '215', '216'}, cv
    absent('Annmarie_Doyle', ['pneumoc'])
    return G([], [], nf=True,
             note='no pneumococcal Immunization (CVX 33/100/109/133/152/215/216) and no mention of pneumococcus: honest no')


@case(9, LIS, 'latest', [
    "ma fille a été vue le 29 février pour le covid, ils lui ont mis la pince au doigt pour l'oxygène. "
    "c'était à combien la saturation ? elle toussait beaucoup ce jour-là"], 1)
def c9():
    e = latest_same_day(obs(LIS, '59408-5'))
    return G([ref(x) for x in e], [val(x) for x in e],
             note='latest Observation LOINC 59408-5 (SpO2 by pulse oximetry)')


@case(10, 'Renea_Quigley', 'value_in_year', [
    "Bonsoir, je remplis un dossier pour une étude sur le diabète et ils veulent ma valeur d'HbA1c de 2019. "
    "Vous l'avez ?"], 1)
def c10():
    y = in_year(obs('Renea_Quigley', '4548-4'), 2019)
    return G([ref(e) for e in y], [val(e) for e in y] + [day(y[0]['resource'])],
             note='HbA1c LOINC 4548-4 with effectiveDateTime in 2019 (one result)')


# ================================================================ file 2

@case(11, 'Daisey_Johns', 'list', [
    "Bonjour, ma fille rentre en CP en septembre et l'école veut un PAI avec la liste complète de ses allergies. "
    "Je sais qu'il y a l'œuf et le poisson, et les piqûres d'abeille (c'est pour ça qu'elle a le stylo "
    "d'adrénaline), mais je crois qu'on en avait trouvé d'autres aux tests chez l'allergologue quand elle était "
    "toute petite, et je ne retrouve plus le papier. Vous pouvez me donner tout ce qui est noté dans son dossier "
    "comme allergies ? merci d'avance"], 2)
def c11():
    al = [e for e in entries('Daisey_Johns', 'AllergyIntolerance')]
    return G([ref(e) for e in al], [],
             note='all AllergyIntolerance resources of the record (8, none is a negation)')


@case(12, MT, 'ever_had', [
    "j'ai déjà été vaccinée contre la grippe ? je crois qu'on me l'avait proposé une fois à une consultation mais "
    "je sais plus si je l'ai fait"], 2)
def c12():
    flu = [e for e in entries(MT, 'Immunization') if 'influenza' in
           json.dumps(e['resource'].get('vaccineCode'), default=str).lower()]
    assert all(e['resource']['status'] == 'not-done' for e in flu)
    return G([ref(e) for e in flu], [day(e['resource']) for e in flu],
             note='only influenza Immunization is status not-done (statusReason: patient refused) on that date: no flu vaccine given; the refusal is the fact to cite')


@case(13, 'Fidel_Bins', 'previous', [
    "mon cholestérol total, pas le dernier résultat mais celui d'avant, c'était combien ? je veux voir si "
    "ça a baissé"], 2)
def c13():
    lst = obs('Fidel_Bins', '2093-3')
    e = lst[-2]
    assert day(lst[-1]['resource']) != day(e['resource'])
    return G([ref(e)], [val(e), day(e['resource'])],
             note='second most recent Observation LOINC 2093-3 (total cholesterol) by effectiveDateTime')


@case(14, 'Vito_Feeney', 'latest', [
    "Bonjour, mon médecin me propose un dépistage de la prostate et me demande les antécédents de la famille. "
    "J'ai accès au dossier de mon père, décédé en 1979, qui avait eu un cancer de la prostate. Quel était son "
    "dernier dosage de PSA avant son décès, et de quand il date ?"], 2)
def c14():
    last = latest_same_day(obs('Vito_Feeney', '2857-1'))
    return G([ref(e) for e in last], [val(e) for e in last] + [day(last[0]['resource'])],
             note='latest Observation LOINC 2857-1 (PSA) by effectiveDateTime')


@case(15, 'Liz_Conn', 'not_found', [
    "est ce que j'ai déjà fait un bilan thyroïdien ? la TSH et tout ça. je suis crevée en ce moment et ma sœur "
    "vient d'être diagnostiquée hypothyroïdie, du coup je me pose la question"], 2)
def c15():
    absent('Liz_Conn', ['thyro', 'tsh', '3016-3', '11580-8', '3024-7', '3026-2', '3053-6', '3051-0'])
    return G([], [], nf=True, note='no thyroid test (TSH/T4/T3 LOINCs) and no thyroid wording anywhere in the record')


@case(16, 'Lupe_Little', 'followup', [
    "mon hémoglobine glyquée, la dernière c'était combien ?",
    "ok et celle d'avant ? pour voir si ça monte"], 2)
def c16():
    lst = obs('Lupe_Little', '4548-4')
    e = lst[-2]
    return G([ref(e)], [val(e), day(e['resource'])],
             note='final turn: second most recent HbA1c (LOINC 4548-4) by effectiveDateTime')


@case(17, 'Josue_Sipes', 'still_on', [
    "Bonjour, je suis l'épouse de Josué. Après son AVC en janvier 2019 on lui avait donné du clopidogrel (le "
    "Plavix). On a fait du tri dans l'armoire à pharmacie ce week-end et on ne sait plus s'il doit encore le "
    "prendre ou si ça avait été arrêté. Il a tellement de médicaments, la metformine, l'insuline, l'inhalateur "
    "pour les bronches... je m'y perds. Il va bien, pas de nouveau souci, pas de saignement. D'après son dossier "
    "il est toujours sous clopidogrel ou pas ?"], 2)
def c17():
    e = [x for x in entries('Josue_Sipes', 'MedicationRequest')
         if '309362' in codes(x['resource']['medicationCodeableConcept'])]
    assert len(e) == 1 and e[0]['resource']['status'] == 'stopped'
    e = e[0]
    return G([ref(e)], [day(e['resource'])],
             note='MedicationRequest RxNorm 309362 (clopidogrel 75 mg) status stopped, authoredOn date (only date recorded)')


@case(18, 'Martina_Murazik', 'meaning', [
    "sur mes analyses de mai 2020 il y a un truc « NT-proBNP » à plus de 1600 😳 c'est grave ? c'est quoi la "
    "valeur normale normalement ?"], 2)
def c18():
    lst = obs('Martina_Murazik', '33762-6')
    assert len(lst) == 1 and 'referenceRange' not in lst[0]['resource']
    e = lst[0]
    return G([ref(e)], [val(e), day(e['resource'])],
             note='Observation LOINC 33762-6 (NT-proBNP); no referenceRange is recorded, so the answer must say the record gives no range')


@case(19, 'Luigi_Wiegand', 'last_visit', [
    "c quand la dernière fois qu'on a vu le médecin avec le petit ? je dois reprendre rdv sur doctolib et je sais "
    "plus si c'était en mars ou avant"], 2)
def c19():
    e = encounters('Luigi_Wiegand')[-1]
    return G([ref(e)], [day(e['resource'])], note='latest Encounter by period.start (well-child check-up)')


@case(20, 'Renea_Quigley', 'count', [
    "combien de coloscopies j'ai eu en tout ? le gastro me pose la question et j'en ai fait plusieurs je crois, "
    "mais je mélange les années"], 2)
def c20():
    lst = by_code('Renea_Quigley', 'Procedure', '73761001')
    return G([ref(e) for e in lst], [str(len(lst))] + [day(e['resource']) for e in lst],
             note='count of Procedure SNOMED 73761001 (colonoscopy), all dates')

# ================================================================ file 3

@case(21, AT, 'latest', [
    "ma tension la dernière fois qu'on me l'a prise c'était combien ? mon tensiomètre à la maison m'affiche "
    "14/9 ce matin et je voudrais comparer"], 3)
def c21():
    s_ = latest_same_day(obs(AT, '8480-6'))
    d_ = latest_same_day(obs(AT, '8462-4'))
    assert len(s_) == 2 and len(d_) == 2 and day(s_[0]['resource']) == day(d_[0]['resource'])
    refs = [ref(e) for e in s_ + d_]
    vals = [val(e) for e in s_ + d_] + [day(s_[0]['resource'])]
    return G(refs, vals,
             note='latest day of systolic (LOINC 8480-6) and diastolic (8462-4), separate Observations without id (fullUrl refs); '
                  'two readings at the same timestamp (one with effectivePeriod, one with effectiveDateTime): both pairs gold')


@case(22, 'Emery_Purdy', 'ever_had', [
    "Salut, j'ai reçu le courrier de l'Assurance Maladie pour le dépistage du cancer colorectal avec le test à "
    "faire à la maison. Sauf que je suis quasi sûr d'avoir déjà eu une coloscopie il y a quelques années, à "
    "l'époque où on surveillait mon diabète de près... ma femme dit que non, que c'était une fibroscopie de "
    "l'estomac. Qui a raison ? 😅 et si j'en ai eu une, c'était quand ?"], 3)
def c22():
    lst = by_code('Emery_Purdy', 'Procedure', '73761001')
    return G([ref(e) for e in lst], [day(e['resource']) for e in lst],
             note='Procedure SNOMED 73761001 (colonoscopy): yes, with its date')


@case(23, 'Daisey_Johns', 'still_on', [
    "le stylo Epipen de ma fille il est toujours sur son traitement ou le médecin l'a arrêté ? il est périmé "
    "et je dois en reprendre un à la pharmacie"], 3)
def c23():
    e = [x for x in entries('Daisey_Johns', 'MedicationRequest')
         if '1870230' in codes(x['resource']['medicationCodeableConcept'])]
    assert len(e) == 1 and e[0]['resource']['status'] == 'active'
    return G([ref(e[0])], [day(e[0]['resource'])],
             note='MedicationRequest RxNorm 1870230 (epinephrine auto-injector) status active since authoredOn')


@case(24, 'Laurie_McCullough', 'count', [
    "combien de vaccins contre la grippe j'ai fait en tout ? c'est pour mon dossier d'inscription en école "
    "d'infirmière"], 3)
def c24():
    lst = [e for e in entries('Laurie_McCullough', 'Immunization')
           if e['resource'].get('status') == 'completed'
           and 'influenza' in json.dumps(e['resource']['vaccineCode']).lower()]
    return G([ref(e) for e in lst], [str(len(lst))], match='any',
             note='count of completed Immunization with influenza vaccine code (CVX 140), all dates; the count is decisive')


@case(25, IPS, 'list', [
    "Bonjour, je pars vivre quelques mois chez ma mère à Lyon et je vais devoir voir un médecin là-bas. Il me "
    "faut la liste de mes traitements en cours pour le premier rendez-vous. Je sais qu'il y a mon comprimé "
    "pour après le cancer du sein, mais je ne sais plus si le complément à base de plantes pour les bouffées "
    "de chaleur est noté aussi. Vous pouvez me lister tout ce que je prends actuellement d'après mon dossier, "
    "et depuis quand ?"], 3)
def c25():
    lst = [e for e in entries(IPS, 'MedicationStatement') if e['resource'].get('status') == 'active']
    return G([ref(e) for e in lst], [],
             note='active MedicationStatements (medicationReference -> Medication: anastrozole since 2015-03, black cohosh since 2016-01; partial dates)')


@case(26, LIS, 'meaning', [
    "le test covid de ma fille en février, sur le compte rendu c'est marqué « Detected », ça veut dire qu'elle "
    "était positive ? il y a aussi une ligne bizarre avec des accolades à la place du résultat je comprends pas"], 3)
def c26():
    lst = [e for e in obs(LIS, '94531-1') if 'valueCodeableConcept' in e['resource']]
    assert len(lst) == 1 and '260373001' in codes(lst[0]['resource']['valueCodeableConcept'])
    return G([ref(lst[0])], [day(lst[0]['resource'])],
             note='SARS-CoV-2 RNA (LOINC 94531-1) valueCodeableConcept Detected; the twin Observation carries the '
                  'unfilled template "{entry.value}" and is not a result')


@case(27, 'Annmarie_Doyle', 'value_in_year', [
    "Bonjour, le cardiologue de maman veut l'évolution de son cholestérol. Celui de 2017 c'était combien ?"], 3)
def c27():
    y = in_year(obs('Annmarie_Doyle', '2093-3'), 2017)
    return G([ref(e) for e in y], [val(e) for e in y] + [day(y[0]['resource'])],
             note='total cholesterol LOINC 2093-3 with effectiveDateTime in 2017 (one result)')


@case(28, 'Fidel_Bins', 'count', [
    "Bonjour, le pneumologue voudrait savoir combien de consultations de suivi pour mon asthme j'ai eues en "
    "tout (je parle des rdv de suivi, pas du passage aux urgences de 2019). Vous pouvez compter ?"], 3)
def c28():
    lst = [e for e in encounters('Fidel_Bins') if '394701000' in codes(e['resource']['type'][0])]
    return G([ref(e) for e in lst], [str(len(lst))], match='any',
             note='count of Encounters typed SNOMED 394701000 (asthma follow-up), all dates; the 2019 emergency admission is excluded')


@case(29, 'Lupe_Little', 'last_visit', [
    "c'était quand ma dernière consultation et pour quoi ? j'avais un gros rhume il me semble"], 3)
def c29():
    e = encounters('Lupe_Little')[-1]
    return G([ref(e)], [day(e['resource'])],
             note='latest Encounter by period.start (reason: viral sinusitis)')


@case(30, MT, 'still_on', [
    "Bonjour, comme ma greffe de rein se passe moins bien, on m'a mis en novembre 2020 des injections pour "
    "l'anémie (darbépoétine, de l'Aranesp je crois). L'infirmière à domicile me demande si c'est toujours "
    "d'actualité ou si ça a été arrêté comme l'antibiotique en perfusion qu'on m'avait fait la même semaine. Je "
    "suis un peu perdue avec tous ces papiers. C'est toujours en cours d'après mon dossier ?"], 3)
def c30():
    mr = [e for e in entries(MT, 'MedicationRequest')
          if 'darbepoetin' in e['resource']['medicationReference'].get('display', '')]
    assert len(mr) == 1 and mr[0]['resource']['status'] == 'active'
    start = mr[0]['resource']['authoredOn']
    ms = [e for e in entries(MT, 'MedicationStatement')
          if e['resource'].get('status') == 'active' and e['resource'].get('effectivePeriod', {}).get('start') == start]
    assert len(ms) == 1
    return G([ref(mr[0]), ref(ms[0])], [start[:10]], match='any',
             note='MedicationRequest darbepoetin alfa status active (authoredOn); the matching MedicationStatement (NDC code only, '
                  'same start, no end) is active too; either may be cited')

# ================================================================ file 4

@case(31, 'Renea_Quigley', 'latest', [
    "Bonjour, on vient de me dire que j'ai une atteinte des reins à cause du diabète, « stade 1 », et on m'a "
    "mise sous insuline le mois dernier. J'ai regardé mes résultats sur le site du labo et je n'y comprends "
    "rien : pour la fonction rénale (le DFG je crois) j'ai l'impression qu'il y a deux chiffres très différents "
    "le même jour. Je ne bois pas beaucoup d'eau, et je prends du naproxène pour ma hanche de temps en temps. "
    "C'est quoi mon dernier résultat exactement ?"], 4)
def c31():
    last = latest_same_day(obs('Renea_Quigley', '33914-3'))
    assert len(last) == 2
    return G([ref(e) for e in last], [val(e) for e in last] + [day(last[0]['resource'])],
             note='latest day of LOINC 33914-3 (eGFR) by effectiveDateTime; two Observations that day (two displays of the '
                  'same code), both gold')


@case(32, 'Vito_Feeney', 'followup', [
    "mon grand-père avait eu des biopsies de la prostate ? je remplis un arbre généalogique médical pour mon "
    "urologue",
    "ok, combien en tout ?"], 4)
def c32():
    lst = by_code('Vito_Feeney', 'Procedure', '65575008')
    return G([ref(e) for e in lst], [str(len(lst))],
             note='final turn: count of Procedure SNOMED 65575008 (biopsy of prostate), all dates')


@case(33, 'Josue_Sipes', 'count', [
    "combien de fois j'ai fait le test où on souffle dans l'appareil (la spiro) en 2020 ? j'ai l'impression que "
    "c'était tous les mois avec la réadaptation respiratoire"], 4)
def c33():
    lst = in_year(by_code('Josue_Sipes', 'Procedure', '127783003'), 2020)
    return G([ref(e) for e in lst], [str(len(lst))], match='any',
             note='count of Procedure SNOMED 127783003 (spirometry) performed in 2020; the count is decisive')


@case(34, 'Martina_Murazik', 'ever_had', [
    "Mon pharmacien me propose le vaccin contre le zona. Est-ce que je l'ai déjà eu ? je voudrais pas le faire "
    "deux fois"], 4)
def c34():
    for e in entries('Martina_Murazik', 'Immunization'):
        assert not set(codes(e['resource']['vaccineCode'])) & {'121', '187', '188'}
    absent('Martina_Murazik', ['zoster', 'shingr', 'zostavax'])
    return G([], [], nf=True, note='no zoster Immunization (CVX 121/187/188) or zoster wording: honest no')


@case(35, 'Emery_Purdy', 'value_in_year', [
    "c'était combien mon A1c en 2018 ? (le test du sucre sur 3 mois)"], 4)
def c35():
    y = in_year(obs('Emery_Purdy', '4548-4'), 2018)
    return G([ref(e) for e in y], [val(e) for e in y] + [day(y[0]['resource'])],
             note='HbA1c LOINC 4548-4 with effectiveDateTime in 2018 (one result)')


@case(36, IPS, 'meaning', [
    "Bonjour, en rangeant mes papiers j'ai retrouvé une analyse de novembre 2017 avec « hemoglobin A1c » et un "
    "petit commentaire en anglais à côté. On ne m'a jamais dit que j'avais du diabète, j'ai juste mon traitement "
    "pour le sein. C'était combien et est-ce que c'est normal ?"], 4)
def c36():
    lst = obs(IPS, '17856-6')
    assert len(lst) == 1 and 'referenceRange' not in lst[0]['resource']
    e = lst[0]
    return G([ref(e)], [val(e), day(e['resource'])],
             note='Observation LOINC 17856-6 (HbA1c by HPLC); no referenceRange, only the note "Above stated goal of 7.0 %"')


@case(37, AT, 'not_found', [
    "j'ai déjà eu un dosage de vitamine D ? ma rhumato m'en parle et je me souviens plus si ça avait été fait "
    "dans la grosse prise de sang"], 4)
def c37():
    absent(AT, ['vitamin d', 'vitamin-d', '1989-3', '62292-8', '14635-7', '25-oh', '25-hydroxy', 'calcidiol',
                'cholecalciferol'])
    return G([], [], nf=True,
             note='no vitamin D test (LOINC 1989-3/62292-8/14635-7) or wording; the panel has folate, B12 and a "Vitamin B15" only')


@case(38, MT, 'list', [
    "Avant mon passage au bloc on me redemande mes allergies. Vous pouvez me dire ce qui est noté ? je sais qu'il "
    "y a un antibiotique mais je sais plus lequel"], 4)
def c38():
    al = list(entries(MT, 'AllergyIntolerance'))
    return G([ref(e) for e in al], [], note='all AllergyIntolerance resources (ampicillin, penicillin G)')


@case(39, 'Daisey_Johns', 'last_visit', [
    "quand est-ce qu'on est allés chez le médecin pour la dernière fois avec ma fille, et c'était pour quoi ? "
    "on y est allés deux fois en décembre je crois"], 4)
def c39():
    e = encounters('Daisey_Johns')[-1]
    return G([ref(e)], [day(e['resource'])],
             note='latest Encounter by period.start (a check-up, after a sinusitis visit a few days earlier; bundle order differs)')


@case(40, LIS, 'not_found', [
    "les vaccins de ma fille sont à jour ? vous pouvez me dire lesquels elle a eu, la maîtresse demande pour la sortie scolaire"], 4)
def c40():
    assert not list(entries(LIS, 'Immunization'))
    return G([], [], nf=True, note='no Immunization resource in this record')

# ================================================================ main

def build(c):
    g = c['fn']()
    d = {'id': f"rb8-fr-{c['n']:03d}", 'lang': 'fr', 'patient': c['patient'], 'kind': c['kind'],
         'turns': c['turns']}
    d.update(g)
    return d


def lines_for(fileno):
    return [json.dumps(build(c), ensure_ascii=False) for c in CASES if c['fileno'] == fileno]


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == 'write':
        n = int(args[1])
        p = os.path.join(OUT, f'fr-{n:02d}.jsonl')
        assert not os.path.exists(p), f'{p} exists (saved files are final)'
        ls = lines_for(n)
        assert 1 <= len(ls) <= 10
        with open(p, 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(ls) + '\n')
        print('wrote', p, len(ls))
    elif args and args[0] == 'show':
        for c in CASES:
            print(json.dumps(build(c), ensure_ascii=False))
    else:
        ok = True
        for n in sorted({c['fileno'] for c in CASES}):
            p = os.path.join(OUT, f'fr-{n:02d}.jsonl')
            if not os.path.exists(p):
                print('missing', p); ok = False; continue
            saved = [json.loads(l) for l in open(p, encoding='utf-8') if l.strip()]
            now = [json.loads(l) for l in lines_for(n)]
            if saved != now:
                ok = False
                print('MISMATCH', p)
            else:
                print('ok', p, len(saved))
        sys.exit(0 if ok else 1)
