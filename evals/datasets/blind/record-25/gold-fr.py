#!/usr/bin/env python3
"""Gold for the French record-25 cases. Run without arguments to verify the saved files."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import G, day, num, robust, clinical_date, main

LANG = 'fr'
CASES = []


def case(patient, kind, turns):
    def deco(fn):
        CASES.append({'id': 'rb25-fr-%03d' % (len(CASES) + 1), 'lang': LANG, 'patient': patient,
                      'kind': kind, 'turns': turns, 'gold': fn})
        return fn
    return deco


FLU = ['140', '141', '150', '158', '88', '135', '144', '153', '155', '161', '166', '168', '171', '185', '186', '197', '205']


def completed_imm(rec, codes=(), words=()):
    m = rec.match_code('Immunization', 'vaccineCode', codes=codes, words=words)
    return [t for t in m if t[2].get('status') == 'completed']


# ---------------------------------------------------------------- file 01
@case('Liz_Conn', 'ever_had', [
    "Bonjour, je me suis entaillé la main avec une vieille cisaille rouillée en taillant la haie. "
    "Le pharmacien m'a demandé si j'étais à jour pour le tétanos et franchement aucune idée, mon carnet de "
    "santé est chez ma mère. Est-ce que j'ai déjà eu un rappel du tétanos et si oui c'était quand ?"])
def _(rec):
    m = completed_imm(rec, codes=['09', '113', '115', '138', '139', '20', '106', '107'], words=['td ', 'tetanus', 'tdap'])
    return G([t[1] for t in m], [day(t[0]) for t in m],
             note='Completed tetanus-containing Immunizations: Td (adult) (CVX 113) on %s -> yes.'
                  % ', '.join(day(t[0]) for t in m))


@case('Luigi_Wiegand', 'count', [
    "bonjour c la maman de Luigi, la crèche me demande combien de doses de vaccin contre l'hépatite B il a "
    "eu et j'ai perdu le carnet 😩 vous pouvez me dire ?"])
def _(rec):
    m = completed_imm(rec, codes=['08', '44', '45', '43', '110'], words=['hep b'])
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Immunizations with hepatitis B vaccine code (CVX 08): %d (%s).'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('IPS_IG-bundle-01', 'still_on', [
    "Je suis toujours sous anastrozole d'après mon dossier ? Mon oncologue avait parlé d'arrêter au bout "
    "de quelques années et je ne sais plus si ça a été noté quelque part"])
def _(rec):
    out = []
    for ref, r in rec.of('MedicationStatement'):
        med = rec.resolve(r['medicationReference']['reference'])
        if any('anastrozol' in (c.get('display') or '').lower() for c in med['code'].get('coding', [])):
            out.append((ref, r))
    assert len(out) == 1 and out[0][1]['status'] == 'active'
    start = out[0][1]['effectivePeriod']['start']
    return G([out[0][0]], [start[:4]],
             note='MedicationStatement -> Medication anastrozole 1 mg, status active, effectivePeriod.start '
                  '%s (partial date, no end) -> still on it; gold value is the year of the start.' % start)


@case('US_MEDITECH_ips_2', 'still_on', [
    "Quand j'étais hospitalisé en novembre 2020 on m'a mis de la ceftriaxone en perfusion. Je vois encore "
    "ce nom dans mes papiers, c'est toujours en cours ou ça a été arrêté ?"])
def _(rec):
    refs, dates = [], []
    for ref, r in rec.of('MedicationRequest'):
        if 'ceftriaxone' in (r['medicationReference'].get('display') or '').lower():
            assert r['status'] == 'stopped'
            refs.append(ref); dates.append(r['authoredOn'])
    for ref, r in rec.of('MedicationStatement'):
        if clinical_date(r) in dates:
            assert r['status'] == 'completed'
            refs.append(ref)
            end = r['effectivePeriod']['end']
    return G(refs, [day(dates[0])], match='any',
             note='MedicationRequest ceftriaxone status stopped, authoredOn %s; the NDC-only '
                  'MedicationStatement starting at the same instant is completed with end %s -> stopped '
                  '(given 2020-11-16 to 2020-11-17).' % (day(dates[0]), day(end)))


@case('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest', [
    "elle avait combien de fièvre ma fille quand elle a été vue pour le covid ? je me rappelle juste que "
    "c'était très haut, genre plus de 40"])
def _(rec):
    m = rec.obs(['8331-1', '8310-5', '8332-9'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v, 1), day(d)],
             note='Latest (only) body temperature Observation (LOINC 8331-1 oral) %s = %s Cel (gold at 1 decimal).'
                  % (day(d), v))


@case('AT_ELGA_GmbH_01', 'meaning', [
    "En 2016 j'ai fait une prise de sang pour savoir si j'étais protégé contre la rougeole, avant un voyage. "
    "Le résultat est dans mon dossier mais en allemand (j'habitais à Vienne). Ça veut dire quoi, je suis "
    "immunisé ou pas ? et c'est quoi la valeur normale ?"])
def _(rec):
    m = rec.obs(['7961-6', '22502-1', '35275-7'])
    assert len(m) == 1
    d, ref, r = m[0]
    rr = r['referenceRange'][0]
    return G([ref], [num(r['valueQuantity']['value']), num(rr['low']['value'])],
             note='Measles IgG antibody (LOINC 7961-6, "Masern AK qn.") %s [IU]/mL on %s, reference range '
                  'low %s (no upper limit), interpretation NEG -> below the protective threshold.'
                  % (num(r['valueQuantity']['value']), day(d), num(rr['low']['value'])))


@case('Annmarie_Doyle', 'value_in_year', [
    "Bonjour, je m'occupe du dossier de ma mère qui a 86 ans. Son médecin traitant voudrait comparer son "
    "« bon cholestérol » (HDL je crois) avec celui de 2014. Vous avez la valeur de 2014 ?"])
def _(rec):
    m = [t for t in rec.obs(['2085-9']) if t[0].startswith('2014')]
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='HDL cholesterol (LOINC 2085-9) in 2014: one result, %s = %s mg/dL.' % (day(d), v))


@case('Laurie_McCullough', 'still_on', [
    "je suis encore sous pilule d'après mon dossier ?? la jolivette. je crois que je l'ai arrêtée y a "
    "longtemps mais je sais pas si c'est marqué"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['jolivette', 'norethindrone'])
    assert len(m) == 1
    d, ref, r = m[0]
    assert r['status'] == 'stopped'
    return G([ref], [day(r['authoredOn'])],
             note='MedicationRequest Jolivette 28 Day Pack (norethindrone), status stopped, authoredOn %s '
                  '-> stopped.' % day(r['authoredOn']))


@case('Daisey_Johns', 'count', [
    "Ma fille enchaîne les sinusites, le pédiatre veut savoir combien de fois elle a déjà été vue pour une "
    "sinusite. Vous pouvez compter dans son dossier ?"])
def _(rec):
    enc = []
    for ref, r in rec.of('Encounter'):
        rc = (r.get('reasonCode') or [{}])[0]
        if any('sinusitis' in (c.get('display') or '').lower() for c in rc.get('coding', [])):
            enc.append((clinical_date(r), ref))
    enc.sort()
    conds = [r for ref, r in rec.of('Condition') if 'sinusitis' in r['code']['coding'][0]['display'].lower()]
    return G([e[1] for e in enc], [str(len(enc))], match='any',
             note='Encounters whose reasonCode is a sinusitis (viral or acute bacterial): %d (%s); the record '
                  'also has %d sinusitis Conditions.' % (len(enc), ', '.join(day(e[0]) for e in enc), len(conds)))


@case('Emery_Purdy', 'latest', [
    "c'était combien mon LDL (le mauvais cholestérol) à la dernière prise de sang ? le cardiologue me "
    "parle de me mettre sous statine et je voudrais voir le chiffre"])
def _(rec):
    m = rec.obs(['18262-6', '13457-7', '2089-1'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Latest LDL cholesterol (LOINC 18262-6) by effectiveDateTime: %s = %s mg/dL.' % (day(d), v))



# ---------------------------------------------------------------- file 02
@case('Fidel_Bins', 'list', [
    "Bonjour, je dois remplir un questionnaire pour une anesthésie (on m'enlève une dent de sagesse) et on "
    "me demande mes traitements en cours. Vous pouvez me donner la liste des médicaments que je prends "
    "actuellement selon mon dossier ? Je sais qu'il y a mes deux inhalateurs pour l'asthme mais je crois qu'il "
    "y a autre chose aussi."])
def _(rec):
    m = [(ref, r) for ref, r in rec.of('MedicationRequest') if r['status'] == 'active']
    return G([x[0] for x in m], [],
             note='Active MedicationRequests: %s.' % '; '.join(r['medicationCodeableConcept']['coding'][0]['display'] for _, r in m))


@case('Josue_Sipes', 'latest', [
    "ma créatinine elle était à combien sur le dernier bilan ?? le néphrologue dit que mes reins "
    "fatiguent et je voudrais suivre moi même"])
def _(rec):
    m = rec.obs(['38483-4', '2160-0'])
    last = day(m[-1][0])
    same = [t for t in m if day(t[0]) == last]
    vals = [robust(t[2]['valueQuantity']['value'], 2) for t in same]
    return G([t[1] for t in same], vals + [last],
             note='Latest creatinine Observations (LOINC 38483-4) by effectiveDateTime: two results on %s '
                  '(%s mg/dL) from two panels the same day; both are gold (2 decimals).'
                  % (last, ', '.join(str(t[2]['valueQuantity']['value']) for t in same)))


@case('Lupe_Little', 'latest', [
    "on m'a dit que j'étais prédiabétique. c'était quoi ma glycémie la dernière fois qu'on me l'a mesurée ?"])
def _(rec):
    m = rec.obs(['2339-0', '2345-7', '1558-6'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Latest glucose Observation (LOINC 2339-0) by effectiveDateTime: %s = %s mg/dL.' % (day(d), v))


@case('Martina_Murazik', 'list', [
    "Bonjour, je suis la fille de Martina. Maman a de l'insuffisance cardiaque et une BPCO et elle se perd un "
    "peu dans ses boîtes. Le pharmacien veut faire un bilan de médication partagé. Pouvez-vous me donner la "
    "liste de ses traitements actuels ? Je sais qu'il y a le Lasix mais pour le reste je ne suis pas sûre."])
def _(rec):
    m = [(ref, r) for ref, r in rec.of('MedicationRequest') if r['status'] == 'active']
    return G([x[0] for x in m], [],
             note='Active MedicationRequests: %s.' % '; '.join(r['medicationCodeableConcept']['coding'][0]['display'] for _, r in m))


@case('Renea_Quigley', 'still_on', [
    "Les piqûres de vitamine B12, c'est toujours prescrit pour moi ou on a arrêté ? L'infirmière ne vient "
    "plus et je me demande si c'est normal"])
def _(rec):
    m = rec.match_code('MedicationRequest', 'medicationCodeableConcept', words=['vitamin b 12', 'cyanocobalamin', 'b12'])
    assert len(m) == 1
    d, ref, r = m[0]
    assert r['status'] == 'active'
    return G([ref], [day(r['authoredOn'])],
             note='MedicationRequest Vitamin B 12 5 MG/ML Injectable Solution, status active, authoredOn %s '
                  '-> still prescribed per the record.' % day(r['authoredOn']))


@case('Vito_Feeney', 'last_visit', [
    "Mon grand-père Vito est décédé en novembre 1979 d'un cancer de la prostate. Pour l'arbre "
    "généalogique médical que je prépare, j'aimerais savoir quand il a été vu en consultation pour la dernière "
    "fois de son vivant, et pour quoi."])
def _(rec):
    death = rec.of('Patient')[0][1]['deceasedDateTime']
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter') if clinical_date(r) < death)
    d, ref, r = enc[-1]
    return G([ref], [day(d)],
             note='Patient deceasedDateTime %s; latest Encounter starting before death: %s (%s). The '
                  '1979-11-12 "Death Certification" encounter is after death and is not a visit.'
                  % (day(death), day(d), r['type'][0]['coding'][0]['display']))


@case('AT_ELGA_GmbH_01', 'count', [
    "j'ai eu combien d'injections du vaccin contre l'encéphalite à tiques (FSME / Encepur) ? je pars randonner "
    "en Alsace et je sais plus si j'ai fait le schéma complet"])
def _(rec):
    m = completed_imm(rec, codes=['J07BA01', '2427872', '836403007'], words=['encepur', 'fsme'])
    return G([t[1] for t in m], [str(len(m))], match='any',
             note='Completed Immunizations with tick-borne encephalitis vaccine (ATC J07BA01, ENCEPUR): %d (%s).'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'ever_had', [
    "Quand ma fille a eu le covid en 2020, est-ce qu'elle avait aussi la grippe en même temps ? On m'avait "
    "dit qu'ils avaient testé tout un tas de virus avec l'écouvillon."])
def _(rec):
    refs = []
    for d, ref, r in rec.obs(['92142-9', '92141-1']):
        v = r.get('valueCodeableConcept')
        if v:   # the twins carrying the "{entry.value}" placeholder are not results
            assert v['coding'][0]['code'] == '260385009'
            refs.append((d, ref))
    return G([x[1] for x in refs], [day(refs[0][0])],
             note='Influenza A (92142-9) and B (92141-1) RNA Observations with a coded value are both '
                  '"Negative" on %s (their valueString "{entry.value}" twins are template placeholders) -> '
                  'no, influenza was not detected.' % day(refs[0][0]))


@case('US_MEDITECH_ips_2', 'list', [
    "quelles allergies sont notées dans mon dossier ?"])
def _(rec):
    refs = []
    for ref, r in rec.of('AllergyIntolerance'):
        st = ((r.get('clinicalStatus') or {}).get('coding') or [{}])[0].get('code')
        if st == 'active':
            refs.append(ref)
    return G(refs, [],
             note='Active AllergyIntolerance entries: ampicillin and penicillin G (both confirmed, onset 2020-11-16).')


@case('Luigi_Wiegand', 'last_visit', [
    "c'était quand son dernier rendez-vous de suivi chez le médecin, à Luigi ? je veux vérifier qu'on n'est "
    "pas en retard pour le prochain"])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter'))
    d, ref, r = enc[-1]
    return G([ref], [day(d)],
             note='Encounter with the latest period.start: %s (%s).' % (day(d), r['type'][0]['coding'][0]['display']))


# ---------------------------------------------------------------- file 03
@case('IPS_IG-bundle-01', 'list', [
    "Je change de médecin traitant (déménagement) et le nouveau me demande mes antécédents. Qu'est-ce qui "
    "est noté comme problèmes de santé dans mon dossier ?"])
def _(rec):
    refs = []
    for ref, r in rec.of('Condition'):
        st = ((r.get('clinicalStatus') or {}).get('coding') or [{}])[0].get('code')
        refs.append((ref, st, r['code']['coding'][0]['display']))
    return G([x[0] for x in refs], [],
             note='All Conditions: %s. The breast cancer is in remission (still a relevant history item).'
                  % '; '.join('%s (%s)' % (x[2], x[1]) for x in refs))


@case('Josue_Sipes', 'value_in_year', [
    "Je pesais combien en 2013 ? J'avais fait un régime cette année là et j'aimerais savoir si j'avais "
    "vraiment perdu comme je crois"])
def _(rec):
    m = [t for t in rec.obs(['29463-7']) if t[0].startswith('2013')]
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='Body Weight (LOINC 29463-7) in 2013: one result, %s = %s kg.' % (day(d), v))


@case('Fidel_Bins', 'previous', [
    "mon LDL du dernier bilan je l'ai vu, mais celui d'avant c'était combien ? je veux voir si ça monte ou si ça descend"])
def _(rec):
    m = rec.obs(['18262-6'])
    d, ref, r = m[-2]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v), day(d)],
             note='LDL cholesterol (LOINC 18262-6) by date: latest %s; the one before is %s = %s mg/dL.'
                  % (day(m[-1][0]), day(d), v))


@case('Laurie_McCullough', 'previous', [
    "J'ai l'impression d'avoir pris du poids ces dernières années. À ma dernière visite on m'a pesée mais "
    "je voudrais le poids de la visite d'avant pour comparer."])
def _(rec):
    m = rec.obs(['29463-7'])
    d, ref, r = m[-2]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v, 1), day(d)],
             note='Body Weight (LOINC 29463-7) by date: latest %s; the one before is %s = %s kg (gold at 1 decimal).'
                  % (day(m[-1][0]), day(d), v))


@case('Renea_Quigley', 'count', [
    "Ma mutuelle me demande combien de passages aux urgences j'ai eus. Vous pouvez me dire combien il y en a "
    "dans mon dossier ? Il y a eu l'entorse de la cheville, la brûlure... je ne sais plus"])
def _(rec):
    enc = sorted((clinical_date(r), ref) for ref, r in rec.of('Encounter') if r['class'].get('code') == 'EMER')
    return G([e[1] for e in enc], [str(len(enc))], match='any',
             note='Encounters with class EMER: %d (%s).' % (len(enc), ', '.join(day(e[0]) for e in enc)))


@case('Emery_Purdy', 'ever_had', [
    "J'ai 53 ans et mon pharmacien me propose le vaccin contre le zona. Est-ce que je l'ai déjà eu ? J'ai un "
    "vague souvenir d'une piqûre pour ça il y a quelques années mais je suis pas sûr du tout"])
def _(rec):
    m = completed_imm(rec, codes=['121', '187', '188'], words=['zoster'])
    return G([t[1] for t in m], [str(len(m))] + [day(t[0]) for t in m],
             note='Completed zoster Immunizations (CVX 121): %d doses on %s -> yes.'
                  % (len(m), ', '.join(day(t[0]) for t in m)))


@case('Lupe_Little', 'ever_had', [
    "Est-ce que j'ai déjà été vacciné contre le pneumocoque ? Avec mon histoire de cœur le cardio m'a dit "
    "qu'il faudrait vérifier"])
def _(rec):
    m = completed_imm(rec, codes=['33', '100', '109', '133', '152', '215', '216'], words=['pneumococcal'])
    assert not m
    return G([], [], nf=True,
             note='No Immunization with a pneumococcal vaccine code (CVX 33/100/109/133/152/215/216): only '
                  'influenza and Td -> not in the record (honest no).')


@case('Martina_Murazik', 'last_visit', [
    "Ma mère est passée aux urgences récemment je crois, elle m'en a parlé vaguement au téléphone. C'était "
    "quand son dernier passage aux urgences et qu'est-ce qu'on lui a fait ?"])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter') if r['class'].get('code') == 'EMER')
    d, ref, r = enc[-1]
    procs = [(pref, p) for pref, p in rec.of('Procedure') if p.get('encounter', {}).get('reference', '').endswith(r['id'])]
    return G([ref], [day(d)],
             note='Latest Encounter with class EMER: %s (%s); procedures in it: %s.'
                  % (day(d), r['type'][0]['coding'][0]['display'],
                     ', '.join(p['code']['coding'][0]['display'] for _, p in procs) or 'none'))


@case('Liz_Conn', 'last_visit', [
    "c'était quand mon dernier rdv ici ? je dois refaire une prise de sang et je sais plus depuis quand j'ai "
    "pas vu de médecin"])
def _(rec):
    enc = sorted((clinical_date(r), ref, r) for ref, r in rec.of('Encounter'))
    d, ref, r = enc[-1]
    return G([ref], [day(d)],
             note='Encounter with the latest period.start: %s (%s).' % (day(d), r['type'][0]['coding'][0]['display']))


@case('Daisey_Johns', 'meaning', [
    "Daisey a fait des tests d'allergie par prise de sang quand elle était petite. On va à un anniversaire avec "
    "plein de gâteaux aux cacahuètes... son résultat pour l'arachide c'était combien et est-ce que ça veut dire "
    "qu'elle est allergique ? (on a déjà l'Epipen pour les abeilles)"])
def _(rec):
    m = rec.obs(['6206-7'])
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    allergies = [x['code']['coding'][0]['display'] for _, x in rec.of('AllergyIntolerance')]
    assert not any('peanut' in a.lower() for a in allergies)
    return G([ref], [robust(v, 2), day(d)],
             note='Peanut IgE (LOINC 6206-7) %s = %s %s (gold at 2 decimals); no referenceRange recorded; no '
                  'peanut AllergyIntolerance on file (her food allergies are eggs and fish). The value is '
                  'low compared with her egg/fish IgE.' % (day(d), v, r['valueQuantity'].get('unit')))


# ---------------------------------------------------------------- file 04
def mentions(rec, words, codes=()):
    """Resources (other than billing) whose JSON mentions any of words (case-insensitive) or codes."""
    out = []
    for ref, r in rec.entries:
        if r.get('resourceType') in ('Claim', 'ExplanationOfBenefit'):
            continue
        t = json.dumps(r).lower()
        if any(w in t for w in words) or any('"code": "%s"' % c in t for c in codes):
            out.append(ref)
    return out


@case('Lupe_Little', 'meaning', [
    "J'ai une anémie notée dans mon dossier depuis des années. C'était combien mon hémoglobine sur la dernière "
    "numération ? et c'est normal pour un homme ?"])
def _(rec):
    m = rec.obs(['718-7'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    return G([ref], [robust(v, 1), day(d)],
             note='Latest haemoglobin (LOINC 718-7) %s = %s g/dL (gold at 1 decimal); no referenceRange '
                  'recorded (usual adult male lower limit about 13 g/dL, so slightly low).' % (day(d), v))


@case('Laurie_McCullough', 'meaning', [
    "sur mes analyses il y a marqué « DFG » à 78, c'est quoi et c'est bien ou pas ? j'ai de la tension "
    "depuis quelques années"])
def _(rec):
    m = rec.obs(['33914-3'])
    d, ref, r = m[-1]
    v = r['valueQuantity']['value']
    assert 'referenceRange' not in r
    return G([ref], [robust(v), day(d)],
             note='eGFR (LOINC 33914-3) %s = %s mL/min/1.73m2; no referenceRange recorded (>=90 normal, '
                  '60-89 mildly decreased without other kidney markers).' % (day(d), v))


@case('Annmarie_Doyle', 'not_found', [
    "Ma mère s'est fait une fracture du poignet en glissant. Le rhumato demande si elle a déjà eu une "
    "ostéodensitométrie (densité osseuse) et le résultat. Vous avez ça dans son dossier ?"])
def _(rec):
    hits = mentions(rec, ['bone density', 'densitometry', 'dxa', 'dexa', 'osteopor'],
                    codes=['38263-1', '24701-5', '46278-8', '312681000', '391057001'])
    assert not hits
    return G([], [], nf=True,
             note='No Procedure/Observation/DiagnosticReport mentioning bone density / DXA '
                  '(LOINC 38263-1, 24701-5, 46278-8; SNOMED 312681000, 391057001) -> not in the record.')


@case('Renea_Quigley', 'not_found', [
    "c'était quand ma dernière mammographie et c'était normal ? je reçois des courriers pour le dépistage "
    "organisé et je sais plus si je l'ai faite"])
def _(rec):
    hits = mentions(rec, ['mammogra', 'breast'], codes=['24606-6', '71651007', '241055006', '24604-1'])
    assert not hits
    return G([], [], nf=True,
             note='No resource mentioning mammography or breast imaging (LOINC 24606-6/24604-1, SNOMED '
                  '71651007/241055006) -> not in the record.')


@case('Luigi_Wiegand', 'not_found', [
    "il a eu le BCG Luigi ? ma belle-mère insiste que c'est obligatoire pour la crèche 🙄"])
def _(rec):
    m = rec.match_code('Immunization', 'vaccineCode', codes=['19'], words=['bcg'])
    assert not m
    return G([], [], nf=True,
             note='No Immunization with BCG (CVX 19) among his 12 vaccine entries -> not in the record.')


@case('Fidel_Bins', 'not_found', [
    "mon taux de vitamine D il est à combien ? je suis tout le temps crevé en hiver et un collègue m'a dit "
    "que c'était peut-être ça"])
def _(rec):
    m = rec.obs(['1989-3', '62292-8', '14635-7', '35365-6', '1990-1'])
    assert not m and not mentions(rec, ['vitamin d', 'calcidiol', 'hydroxyvitamin'])
    return G([], [], nf=True,
             note='No vitamin D Observation (LOINC 1989-3, 62292-8, 14635-7, 35365-6, 1990-1) -> not in the record.')


@case('Vito_Feeney', 'followup', [
    "Je reconstitue l'historique de mon grand-père pour mon père, qui vient d'avoir un PSA un peu élevé. "
    "Quel était le PSA de grand-père en 1970 ?",
    "et l'année suivante ?"])
def _(rec):
    m = rec.obs(['2857-1'])
    nxt = [t for t in m if t[0].startswith('1971')]
    assert len(nxt) == 1
    d, ref, r = nxt[0]
    v = r['valueQuantity']['value']
    return G([ref], [robust(v, 1), day(d)],
             note='PSA (LOINC 2857-1): 1970 result %s; the follow-up asks for the following year: %s = %s ng/mL '
                  '(gold at 1 decimal).' % (day([t for t in m if t[0].startswith('1970')][0][0]), day(d), v))


@case('Josue_Sipes', 'followup', [
    "combien d'hémoglobines glyquées (HbA1c) j'ai faites en 2020 ?",
    "et l'année d'avant ?"])
def _(rec):
    m = rec.obs(['4548-4', '17856-6'])
    y2020 = [t for t in m if t[0].startswith('2020')]
    y2019 = [t for t in m if t[0].startswith('2019')]
    return G([t[1] for t in y2019], [str(len(y2019))], match='any',
             note='HbA1c Observations (LOINC 4548-4): %d in 2020 (first turn); the follow-up asks for 2019: %d '
                  '(%s).' % (len(y2020), len(y2019), ', '.join(day(t[0]) for t in y2019)))


@case('Emery_Purdy', 'followup', [
    "Vous avez combien de vaccins contre la grippe dans mon dossier ?",
    "ok et le dernier c'était quand ? je me demande si je dois refaire celui de cette année"])
def _(rec):
    m = completed_imm(rec, codes=FLU, words=['influenza'])
    d, ref, r = m[-1]
    return G([ref], [day(d)],
             note='Completed influenza Immunizations: %d (first turn); the follow-up asks for the most recent: %s.'
                  % (len(m), day(d)))


@case('Martina_Murazik', 'followup', [
    "ma dernière spirométrie (le souffle) c'était quand ?",
    "et le résultat du rapport VEMS/CVF en 2015, vous l'avez ? le pneumologue veut voir l'évolution"])
def _(rec):
    m = [t for t in rec.obs(['19926-5']) if t[0].startswith('2015')]
    assert len(m) == 1
    d, ref, r = m[0]
    v = r['valueQuantity']['value']
    sp = rec.match_code('Procedure', 'code', codes=['127783003'], words=['spirometry'])
    return G([ref], [robust(v, 1), day(d)],
             note='Latest Spirometry Procedure %s (first turn); the follow-up asks for the FEV1/FVC '
                  'Observation (LOINC 19926-5) of 2015: %s = %s %% (gold at 1 decimal).' % (day(sp[-1][0]), day(d), v))

if __name__ == '__main__':
    main(CASES, LANG)
