#!/usr/bin/env python3
"""Gold des cas record-26 en français.  Lancer : python3 gold-fr.py [--check | --write N]"""
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *  # noqa

OUT = os.path.dirname(os.path.abspath(__file__))
CASES = []


def case(cid, patient, kind, turns):
    def deco(fn):
        CASES.append({'id': 'rb26-fr-%03d' % cid, 'lang': 'fr', 'patient': patient, 'kind': kind,
                      'turns': turns, 'gold': lambda: fn(rec(patient))})
        return fn
    return deco


def obs_gold(items, note, extra_values=(), with_date=True, comp=None, lenient=False):
    """lenient: leave out values whose rounding is ambiguous (e.g. 2.27 -> '2.3' or '2.27')."""
    assert items, 'no observation for: ' + note
    vals = []
    for ref, r in items:
        if comp:
            for c in comp:
                vals.append(num(component(r, c)))
        else:
            v = obs_value(r)
            if v is not None and (num_ok(v) or not lenient):
                vals.append(num(v))
    if with_date:
        vals.append(day(rdate(items[0][1])))
    vals += list(extra_values)
    return gold([x[0] for x in items], vals, note)


# ------------------------------------------------------------------ 001-010
@case(1, 'Josue_Sipes', 'latest', [
    "Bonjour, je suis la femme de Josue. Depuis son AVC il a de l'insuline et on nous a parlé de ses reins "
    "qui fatiguent à cause du diabète. Le néphrologue veut les derniers résultats avant le rendez-vous de "
    "jeudi et bien sûr on ne retrouve plus le papier du labo. C'était quoi sa dernière créatinine ? Il "
    "me semble qu'il y avait deux chiffres différents le même jour, je n'ai pas compris pourquoi"])
def _(R):
    return obs_gold(latest_group(observations(R, ['38483-4'])),
                    'créatinine (LOINC 38483-4) : deux Observations à la dernière date, toutes deux gold '
                    '(2.27 omis des gold_values : arrondi ambigu)', lenient=True)


@case(2, 'Annmarie_Doyle', 'still_on', [
    "ma mère est toujours sous augmentin ?? elle en a pris pour une sinusite il y a longtemps, je sais pas "
    "si c'est encore marqué en cours"])
def _(R):
    m = meds(R, r'amoxicillin')
    assert len(m) == 1 and m[0][1]['status'] == 'stopped'
    return gold([m[0][0]], [day(rdate(m[0][1]))],
                'amoxicilline/acide clavulanique : MedicationRequest status=stopped, date authoredOn')


@case(3, 'AT_ELGA_GmbH_01', 'list', [
    "je dois remplir le questionnaire de l'anesthésiste pour mon genou, il y a une case allergies. "
    "qu'est-ce qui est noté dans mon dossier comme allergie ou intolérance ?"])
def _(R):
    a = allergies(R)
    return gold([x[0] for x in a], [], 'AllergyIntolerance actives (%d) : intolérance pénicilline, texte seul' % len(a))


@case(4, 'US_MEDITECH_ips_2', 'not_found', [
    "Quand j'ai été hospitalisée en juin 2015 pour la fièvre, le médecin pensait à une anémie. C'était combien "
    "mon hémoglobine à ce moment-là ?"])
def _(R):
    assert not R.of('Observation') and not R.of('DiagnosticReport')
    return not_found("aucune Observation ni DiagnosticReport dans l'export ; l'anémie n'est évoquée que dans un "
                     'texte de Condition, sans valeur')


@case(5, 'Martina_Murazik', 'ever_had', [
    "Bonsoir. Ma maman (67 ans, BPCO + insuffisance cardiaque) tousse plus que d'habitude depuis une semaine, "
    "pas de fièvre, elle dit que c'est comme d'hab en hiver. Son médecin traitant veut comparer avec une "
    "ancienne radio des poumons s'il y en a une. Est-ce qu'elle a déjà passé une radio du thorax ? Et si oui "
    "c'était quand ? Merci"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'x-ray|radiograph'))
    assert p
    return gold([x[0] for x in p], [day(rdate(r)) for _, r in p], 'Procedure Plain chest X-ray (toutes)')


@case(6, 'Emery_Purdy', 'last_visit', [
    "c quand mon dernier rdv chez le médecin et c'était pour quoi"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))], 'dernier Encounter par period.start : %s' % enc_type(e[0][1]))


@case(7, 'AT_ELGA_GmbH_01', 'meaning', [
    "J'ai récupéré mon bilan sanguin de décembre 2016, fait en Autriche quand j'habitais là-bas. Tout est en "
    "allemand évidemment. Il y a une ligne 'Calcium' avec un H à côté. Je prends pas de vitamine D ni rien. "
    "Ma voisine infirmière dit que le calcium trop haut ça peut venir des parathyroïdes mais elle est un peu "
    "alarmiste. C'est quoi ma valeur exactement et c'est quoi la norme ? C'est grave docteur ? 😅"])
def _(R):
    o = observations(R, ['2000-8'])
    assert len(o) == 1
    lo, hi, _ = ref_range(o[0][1])[0]
    return obs_gold(o, 'Calcium (2000-8) avec referenceRange low/high', extra_values=[num(lo), num(hi)],
                    with_date=False)


@case(8, 'Renea_Quigley', 'count', [
    "J'ai fait combien de coloscopies en tout ? Ma gastro me demande et franchement j'ai perdu le fil"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'colonoscopy'))
    return gold([x[0] for x in p], [str(len(p))] + [day(rdate(r)) for _, r in p], 'Procedures Colonoscopy, nombre',
                match='any')


@case(9, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'followup', [
    "Ma fille Lisandra a eu le covid en février 2020, le test était bien positif ?",
    "d'accord. et pour la grippe ils l'avaient testée aussi ? ça donnait quoi"])
def _(R):
    o = observations(R, ['92142-9', '92141-1'])
    assert len(o) == 2
    return gold([x[0] for x in o], [day(rdate(o[0][1]))],
                'grippe A (92142-9) et B (92141-1) : résultats codés Negative ; les doublons '
                "'{entry.value}' (gabarit non rempli) sont exclus")


@case(10, 'Emery_Purdy', 'value_in_year', [
    "Mon bon cholestérol, le HDL, il était à combien en 2019 ?"])
def _(R):
    return obs_gold(in_year(observations(R, ['2085-9']), 2019), 'HDL (2085-9) daté 2019')


# ------------------------------------------------------------------ 011-020
@case(11, 'AT_ELGA_GmbH_01', 'latest', [
    "Depuis quelques jours j'ai des petits vertiges quand je me lève trop vite, rien de méchant, ça passe en "
    "10 secondes. Je me demandais si j'ai toujours eu une tension basse. C'était combien ma tension la "
    "dernière fois qu'on me l'a prise ? Sur mon compte-rendu il y a plusieurs lignes systolique/diastolique "
    "à la même heure et je sais pas laquelle est la bonne"])
def _(R):
    sy = latest_group(observations(R, ['8480-6']))
    di = latest_group(observations(R, ['8462-4']))
    assert day(rdate(sy[0][1])) == day(rdate(di[0][1]))
    return gold([x[0] for x in sy + di], [num(obs_value(r)) for _, r in sy + di] + [day(rdate(sy[0][1]))],
                'systolique (8480-6) et diastolique (8462-4) en Observations séparées ; deux mesures à la même '
                'heure (2016-07-30 08:30), les quatre sont gold')


@case(12, 'Josue_Sipes', 'count', [
    "Mon diabétologue me reproche de ne pas faire assez de prises de sang pour l'hémoglobine glyquée. "
    "Moi j'ai l'impression d'y aller tout le temps, entre la BPCO, les reins et le reste je suis plus souvent "
    "au labo qu'au bistrot. Combien d'HbA1c j'ai fait depuis début 2018 ? Comme ça j'aurai le chiffre exact "
    "à lui mettre sous le nez"])
def _(R):
    o = [x for x in observations(R, ['4548-4']) if (rdate(x[1]) or '') >= '2018-01-01']
    return gold([x[0] for x in o], [str(len(o))], 'Observations HbA1c (4548-4) datées du 2018-01-01 ou après',
                match='any')


@case(13, 'IPS_IG-bundle-01', 'list', [
    "quels sont les problèmes de santé notés dans mon dossier ?"])
def _(R):
    c = find(R, 'Condition')
    return gold([x[0] for x in c], [], 'toutes les Conditions (%d) : bouffées de chaleur ménopausiques (active) et '
                'cancer du sein (clinicalStatus remission)' % len(c))


@case(14, 'Emery_Purdy', 'still_on', [
    "Bonjour, j'ai 53 ans, diabétique et hypertendu. Mon pharmacien m'a demandé si je prenais toujours "
    "l'hydrochlorothiazide parce que ma dernière boîte date un peu (j'avoue j'oublie souvent de renouveler). "
    "Ma tension au dernier contrôle était encore haute d'après le médecin. Est-ce que ce médicament est "
    "toujours noté comme en cours dans mon dossier ou est-ce qu'il a été arrêté ?"])
def _(R):
    m = meds(R, r'hydrochlorothiazide')
    assert len(m) == 1 and m[0][1]['status'] == 'active'
    return gold([m[0][0]], [day(rdate(m[0][1]))], 'HCTZ MedicationRequest status=active depuis authoredOn')


@case(15, 'Laurie_McCullough', 'ever_had', [
    "Bonjour, ma fille Laurie a maintenant 21 ans et son gynéco lui demande si elle est vaccinée contre le "
    "papillomavirus. Je crois me souvenir qu'on l'avait fait au collège, peut-être en deux fois, mais j'ai "
    "perdu son carnet de santé dans le déménagement. Est-ce que c'est dans son dossier ? Si oui, les dates svp"])
def _(R):
    im = immunizations(R, r'hpv|papilloma')
    assert im
    return gold([x[0] for x in im], [day(rdate(r)) for _, r in im], 'Immunizations HPV (toutes les doses)')


@case(16, 'Lupe_Little', 'last_visit', [
    "je suis allé chez le médecin quand la dernière fois ? et c'était pour quoi déjà"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))], 'dernier Encounter par period.start (motif : %s)' % ', '.join(
        t for x in e for rc in x[1].get('reasonCode', []) for t in texts(rc)[:1]))


@case(17, 'Renea_Quigley', 'meaning', [
    "Je suis diabétique depuis 2006, sous insuline depuis peu. À chaque prise de sang on me parle de mon "
    "hémoglobine glyquée mais on ne m'explique jamais vraiment. C'est combien la dernière, et est-ce que "
    "c'est bien ou pas ? Ma belle-soeur, diabétique aussi, dit qu'il faut être sous 7 mais elle raconte "
    "beaucoup de choses"])
def _(R):
    o = latest_group(observations(R, ['4548-4']))
    assert not ref_range(o[0][1])
    return obs_gold(o, 'dernière HbA1c (4548-4) ; pas de referenceRange dans le dossier')


@case(18, 'Annmarie_Doyle', 'not_found', [
    "c'était quand le dernier frottis de ma mère ?"])
def _(R):
    assert not search_all(R, r'pap |papanicolaou|cervical|cytolog|smear|10524-7|19762-4')
    return not_found('aucun frottis cervico-utérin (Procedure/Observation) dans le dossier')


@case(19, 'Daisey_Johns', 'followup', [
    "Quand est-ce que Daisey a eu son dernier ROR ?",
    "et la toute première dose c'était quand ?"])
def _(R):
    im = immunizations(R, r'\bMMR\b')
    g = by_day(im)[0]
    return gold([x[0] for x in g], [day(rdate(g[0][1]))], 'première Immunization MMR (réponse au tour 2)')


@case(20, 'Martina_Murazik', 'previous', [
    "Ma mère a eu une prise de sang aux urgences en décembre et le médecin a dit que ses reins allaient "
    "bien. Elle prend du Lasix depuis l'été et moi j'ai toujours peur que ça lui abîme les reins. Je voudrais "
    "comparer : c'était combien sa créatinine à la prise de sang d'avant, pas celle de décembre ?"])
def _(R):
    return obs_gold(previous_group(observations(R, ['38483-4'])), 'créatinine (38483-4) : avant-dernière date')


# ------------------------------------------------------------------ 021-030
@case(21, 'Renea_Quigley', 'latest', [
    "ma tension était à combien au dernier contrôle ? j'ai l'impression qu'elle remonte"])
def _(R):
    return obs_gold(latest_group(observations(R, ['55284-4'])),
                    'panel tension (55284-4), composantes systolique 8480-6 / diastolique 8462-4, dernière date',
                    comp=['8480-6', '8462-4'])


@case(22, 'Fidel_Bins', 'value_in_year', [
    "Salut, question bête : mon père vient de faire un infarctus à 72 ans et le cardiologue nous a dit à "
    "mon frère et moi de surveiller notre cholestérol. J'ai 45 ans, je suis asthmatique, j'ai arrêté de fumer "
    "il y a longtemps. Je me rappelle qu'on m'avait fait un bilan lipidique en 2015. C'était combien le "
    "mauvais cholestérol (LDL) cette année-là ?"])
def _(R):
    return obs_gold(in_year(observations(R, ['18262-6']), 2015), 'LDL (18262-6) daté 2015')


@case(23, 'Daisey_Johns', 'count', [
    "Elle a eu combien de vaccins contre la grippe en tout, ma fille ? La crèche puis l'école nous demandent "
    "à chaque fois et j'ai jamais le compte"])
def _(R):
    im = immunizations(R, r'influenza')
    return gold([x[0] for x in im], [str(len(im))], 'Immunizations grippe (influenza) status completed, nombre',
                match='any')


@case(24, 'Josue_Sipes', 'list', [
    "Je rentre en maison de convalescence la semaine prochaine et l'infirmière coordinatrice veut la liste "
    "exacte de mes traitements en cours. J'ai un sac plein de boîtes, certaines je crois que je ne les prends "
    "plus depuis l'AVC. Vous pouvez me donner ce qui est actuellement prescrit dans mon dossier ? Juste les "
    "médicaments actifs svp, pas l'historique"])
def _(R):
    m = meds(R, statuses={'active'})
    return gold([x[0] for x in m], [], 'MedicationRequests status active (%d) ; clopidogrel et altéplase arrêtés '
                'exclus' % len(m))


@case(25, 'Daisey_Johns', 'still_on', [
    "Bonjour, Daisey a 5 ans et elle a un asthme depuis 2018. On lui donne la ventoline quand elle siffle, "
    "et il y avait aussi un inhalateur orange de fond, la fluticasone, qu'on a un peu laissé tomber cet été "
    "parce qu'elle allait bien. Sa maîtresse demande si elle a un traitement de fond. Est-ce que la "
    "fluticasone est toujours notée en cours dans son dossier ou est-ce que le médecin l'a arrêtée ?"])
def _(R):
    m = meds(R, r'fluticasone')
    assert len(m) == 1 and m[0][1]['status'] == 'active'
    return gold([m[0][0]], [day(rdate(m[0][1]))], 'fluticasone MedicationRequest status=active (authoredOn)')


@case(26, 'Fidel_Bins', 'ever_had', [
    "j'ai déjà eu un électrocardiogramme ? le cardio me demande si j'en ai un ancien pour comparer"])
def _(R):
    assert not search_all(R, r'electrocardiogra|\bECG\b|\bEKG\b|11524-6|29303009|268400002')
    return not_found("aucun ECG (Procedure/Observation/DiagnosticReport) dans le dossier : réponse honnête 'non'")


@case(27, 'Martina_Murazik', 'last_visit', [
    "Ma mère a été vue quand pour la dernière fois ? Je crois qu'elle est passée aux urgences sans nous le "
    "dire, elle fait toujours ça"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))],
                'dernier Encounter par period.start (class %s)' % e[0][1].get('class', {}).get('code'))


@case(28, 'Luigi_Wiegand', 'meaning', [
    "Coucou, je suis la maman de Luigi (5 mois). En relisant son dossier je vois qu'on lui a fait une prise "
    "de sang le jour de sa naissance avec une hémoglobine. Il est tout pâlot en ce moment mais il mange bien, "
    "il sourit, pas de fièvre. C'était combien son hémoglobine, et est-ce que c'est normal pour un "
    "nouveau-né ? Je panique peut-être pour rien"])
def _(R):
    o = observations(R, ['718-7'])
    assert len(o) == 1 and not ref_range(o[0][1])
    return obs_gold(o, 'hémoglobine (718-7), unique valeur, pas de referenceRange')


@case(29, 'Laurie_McCullough', 'not_found', [
    "Je suis tout le temps fatiguée, j'ai froid, je perds mes cheveux, et ma mère a de l'hypothyroïdie. "
    "Ma généraliste veut vérifier la thyroïde mais elle me demande si j'ai déjà eu un bilan thyroïdien avant "
    "pour comparer. C'était quand mon dernier dosage de TSH et c'était combien ?"])
def _(R):
    assert not search_all(R, r'thyro|\bTSH\b|3016-3|3024-7|3053-6|11580-8')
    return not_found('aucune TSH / T4 / bilan thyroïdien dans le dossier')


@case(30, 'Liz_Conn', 'followup', [
    "c'était quand mon dernier vaccin contre la grippe ?",
    "et celui d'avant ?"])
def _(R):
    g = previous_group(immunizations(R, r'influenza'))
    return gold([x[0] for x in g], [day(rdate(g[0][1]))], 'avant-dernière Immunization grippe (réponse au tour 2)')


# ------------------------------------------------------------------ 031-040
@case(31, 'Lupe_Little', 'latest', [
    "Bonjour. J'ai 38 ans, on m'a dit il y a longtemps que j'étais pré-diabétique et j'ai fait un arrêt "
    "cardiaque quand j'étais ado (on n'a jamais vraiment su pourquoi). Du coup je suis un peu parano avec le "
    "coeur. Mon cholestérol total, il était à combien la dernière fois qu'il a été mesuré ? Je crois que ça "
    "remonte à un moment, il faudrait peut-être que je refasse une prise de sang"])
def _(R):
    return obs_gold(latest_group(observations(R, ['2093-3'])), 'cholestérol total (2093-3), dernière date')


@case(32, 'Vito_Feeney', 'value_in_year', [
    "Je fais l'arbre médical de la famille pour mon urologue (mon grand-père est mort d'un cancer de la "
    "prostate). Son PSA en 1974, c'était combien ?"])
def _(R):
    return obs_gold(in_year(observations(R, ['2857-1']), 1974), 'PSA (2857-1) daté 1974')


@case(33, 'Vito_Feeney', 'count', [
    "combien de biopsies de prostate mon grand-père a eu avant qu'on trouve le cancer ? (lui c'est Vito "
    "Feeney, décédé en 79)"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'biopsy of prostate'))
    return gold([x[0] for x in p], [str(len(p))],
                "Procedures 'Biopsy of prostate' (toutes, la dernière étant celle du diagnostic)", match='any')


@case(34, 'Luigi_Wiegand', 'list', [
    "Coucou ! La PMI me demande la liste des vaccins que Luigi a déjà reçus, vous pouvez me la sortir ? "
    "Merci d'avance 🙏"])
def _(R):
    im = immunizations(R)
    return gold([x[0] for x in im], [], 'toutes les Immunizations status completed (%d)' % len(im))


@case(35, 'IPS_IG-bundle-01', 'still_on', [
    "Bonjour, j'ai été traitée pour un cancer du sein en 2015, en rémission depuis. L'oncologue m'avait mise "
    "sous anastrozole pour plusieurs années. Avec les bouffées de chaleur et les douleurs articulaires j'ai "
    "parfois envie d'arrêter, mais avant d'en parler je voudrais savoir : est-ce que l'anastrozole est "
    "toujours noté comme traitement en cours dans mon dossier, et depuis quand ?"])
def _(R):
    m = meds(R, r'anastrozol')
    assert len(m) == 1 and m[0][1]['status'] == 'active'
    return gold([m[0][0]], [rdate(m[0][1])],
                'MedicationStatement (medicationReference -> Medication anastrozole) status=active, '
                'effectivePeriod.start partiel (YYYY-MM)')


@case(36, 'US_MEDITECH_ips_2', 'ever_had', [
    "Je dois passer une IRM pour mon dos et le centre de radiologie me demande si j'ai un pacemaker ou un "
    "appareil implanté dans le corps. J'ai eu tellement d'interventions avec la greffe de rein que je ne sais "
    "plus trop. Est-ce que j'ai déjà eu un pacemaker posé ? Si oui c'était quand ?"])
def _(R):
    p = find(R, 'Procedure', lambda r: has_text(r.get('code'), r'pacemaker'))
    d = R.of('DeviceUseStatement')
    assert p
    return gold([x[0] for x in p] + [x[0] for x in d], [day(rdate(p[0][1]))],
                "Procedure 'Intro of Pacemaker via vein' + DeviceUseStatement actif (défibrillateur de "
                'resynchronisation) ; l\'un ou l\'autre', match='any')


@case(37, 'Annmarie_Doyle', 'last_visit', [
    "Maman a vu son médecin quand pour la dernière fois ? Elle me dit qu'elle y est allée cet été mais avec "
    "elle on ne sait jamais"])
def _(R):
    e = latest_group(encounters(R))
    return gold([x[0] for x in e], [day(rdate(e[0][1]))], 'dernier Encounter par period.start : %s' % enc_type(e[0][1]))


@case(38, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning', [
    "Ce soir ma fille a 38,5 et elle tousse, elle est bien par ailleurs, elle joue. Ça me rappelle février "
    "2020 quand elle avait eu le covid et qu'on était allés aux urgences, je me souviens qu'ils avaient pris "
    "sa température et que l'infirmière avait fait une drôle de tête. C'était combien sa température ce "
    "jour-là ? C'était vraiment très haut ?"])
def _(R):
    o = observations(R, ['8331-1', '8310-5'])
    assert len(o) == 1 and not ref_range(o[0][1])
    v = obs_value(o[0][1])
    return gold([o[0][0]], ['%.1f' % v, day(rdate(o[0][1]))],
                'température buccale (8331-1), unique valeur, pas de referenceRange ; valeur donnée à 1 décimale '
                '(convention des thermomètres)')


@case(39, 'Liz_Conn', 'not_found', [
    "j'ai besoin de la date de mes doses de vaccin covid pour un voyage, elles sont dans mon dossier ?"])
def _(R):
    assert not search_all(R, r'covid|sars|coronavirus')
    return not_found('aucune Immunization COVID-19 dans le dossier')


@case(40, 'Vito_Feeney', 'followup', [
    "mon grand-père a eu combien de dosages de PSA en tout ?",
    "et le dernier était à combien ?"])
def _(R):
    return obs_gold(latest_group(observations(R, ['2857-1'])), 'dernier PSA (2857-1) (réponse au tour 2)')


if __name__ == '__main__':
    main(CASES, 'fr', OUT)
