#!/usr/bin/env python3
"""Gold for rb27-fr-* (questions written natively in French): run with no args to print every case with gold
recomputed from the records; --write N writes fr-0N.jsonl (never overwrites)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *

L = 'fr'
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
CASES = []
def case(n, patient, kind, turns, gold):
    CASES.append({'id': 'rb27-fr-%03d' % n, 'lang': L, 'patient': patient, 'kind': kind, 'turns': turns, 'gold': gold})

def med_status(key, *subs):
    m = find_med(key, *subs)
    rf, r, n = m[0]
    d = d10(r.get('authoredOn') or (r.get('effectivePeriod') or {}).get('start'))
    return G([rf], [d], '%s %s status=%s, authoredOn/start %s' % (rf.split('/')[0], n, r.get('status'), d))

def count_imm(key, *subs):
    lst = imms(key, vacc_has(*subs))
    return G([rf for rf, _ in lst], [str(len(lst))],
             'count of completed Immunization matching %s: %d (%s)' % ('/'.join(subs), len(lst), ', '.join(d10(imm_date(r)) for _, r in lst)), match='any')

# ---------------- file 01 ----------------
case(1, 'Josue_Sipes', 'latest',
     ["c'était combien ma tension au dernier rendez-vous ? mon médecin traitant a fait une tête bizarre en la prenant"],
     lambda: bp_synthea('Josue_Sipes'))

case(2, 'Laurie_McCullough', 'count',
     ["Bonjour, je dois remplir un dossier pour un stage en EHPAD et ils demandent mes vaccinations. Je me fais vacciner contre la grippe "
      "presque tous les ans depuis le lycée mais j'ai perdu mon carnet de santé dans un déménagement. Vous pouvez me dire combien de "
      "vaccins contre la grippe sont notés dans mon dossier en tout ?"],
     lambda: count_imm('Laurie_McCullough', 'influenza'))

case(3, 'Daisey_Johns', 'list',
     ["Ma fille rentre au centre de loisirs cet été et il faut remplir le PAI avec toutes ses allergies. Elle a le stylo d'adrénaline "
      "à cause des piqûres d'abeille, ça je sais, mais l'allergologue avait trouvé plein d'autres trucs et je m'y perds. "
      "Quelles sont toutes les allergies inscrites dans son dossier svp ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [],
              'all AllergyIntolerance active (%d): %s' % (len(lst), '; '.join(text(r) for _, r in lst))))(real_allergies('Daisey_Johns')))

case(4, 'Fidel_Bins', 'still_on',
     ["la ventoline c'est toujours dans mon traitement ou ils l'ont enlevée ? j'en prends presque plus"],
     lambda: med_status('Fidel_Bins', 'albuterol'))

case(5, 'Martina_Murazik', 'ever_had',
     ["Bonsoir, je suis la fille de Mme Murazik. Maman tousse beaucoup en ce moment, avec sa BPCO et son cœur qui fatigue on s'inquiète. "
      "Le pneumologue qu'on voit la semaine prochaine demande si elle a déjà passé une radio des poumons et quand. "
      "Est-ce qu'il y en a une dans son dossier ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [d10(proc_date(r)) for _, r in lst],
              'Procedure Plain chest X-ray: %s' % ', '.join(d10(proc_date(r)) for _, r in lst)))(procs('Martina_Murazik', 'chest x-ray')))

case(6, 'Josue_Sipes', 'last_visit',
     ["Mon dernier passage au cabinet c'était quand déjà ? Et c'était pour quoi ?"],
     lambda: last_visit('Josue_Sipes'))

case(7, 'AT_ELGA_GmbH_01', 'meaning',
     ["J'ai des analyses faites en Autriche (tout est en allemand…). Il y a une ligne « Leukozyten » avec un H à côté. "
      "C'est quoi mon chiffre et c'est dans la norme ou pas ? Je précise que je me sentais juste fatigué à l'époque, pas de fièvre."],
     lambda: (lambda lst: G([lst[0][0]], [num(qty(lst[0][1])[0]), num(lst[0][1]['referenceRange'][0]['low']['value']), num(lst[0][1]['referenceRange'][0]['high']['value'])],
              'Observation 26464-8 Leukozyten %r %s, referenceRange %s-%s, interpretation H (above range)' % (
                  qty(lst[0][1])[0], qty(lst[0][1])[1], lst[0][1]['referenceRange'][0]['low']['value'], lst[0][1]['referenceRange'][0]['high']['value'])))(obs_by_code('AT_ELGA_GmbH_01', '26464-8')))

case(8, 'Luigi_Wiegand', 'not_found',
     ["est-ce que mon fils a des allergies notées dans son dossier ? la crèche demande"],
     lambda: absent('Luigi_Wiegand', 'allerg') and not res('Luigi_Wiegand', 'AllergyIntolerance') and
             NF('no AllergyIntolerance resource and no allergy mention in the record -> nothing recorded'))

case(9, 'Emery_Purdy', 'followup',
     ["c'était quoi ma tension à mon dernier bilan annuel ?", "ah quand même. et l'année d'avant ?"],
     lambda: bp_synthea('Emery_Purdy', nth=1))

case(10, 'Renea_Quigley', 'value_in_year',
     ["Mon hémoglobine glyquée, elle était à combien en 2020 ?"],
     lambda: year_obs('Renea_Quigley', '4548-4', 2020))

# ---------------- file 02 ----------------
case(11, 'Daisey_Johns', 'latest',
     ["Combien pesait ma fille à sa dernière visite chez le médecin ? Elle mange comme un oiseau en ce moment 😕"],
     lambda: latest_obs('Daisey_Johns', '29463-7'))

case(12, 'Annmarie_Doyle', 'previous',
     ["Bonjour, je m'occupe de ma mère de 86 ans. Elle a pris du poids ces dernières années et son médecin en a parlé à la dernière consultation. "
      "Je vois le dernier poids, mais pourriez-vous me dire combien elle pesait la fois d'avant ? Pour comparer."],
     lambda: latest_obs('Annmarie_Doyle', '29463-7', nth=1))

case(13, 'Renea_Quigley', 'count',
     ["J'ai reçu le courrier du dépistage du cancer colorectal avec le test à faire à la maison. Sauf que je crois avoir déjà fait "
      "des coloscopies, dont une qui m'avait bien secouée avec la préparation. Ça fait combien de coloscopies en tout dans mon dossier ? "
      "Je voudrais savoir si je dois vraiment faire le test ou en parler à mon médecin traitant."],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'completed Procedure Colonoscopy: %d (%s)' % (len(lst), ', '.join(d10(proc_date(r)) for _, r in lst)), match='any'))(procs('Renea_Quigley', 'colonoscopy')))

case(14, 'Josue_Sipes', 'list',
     ["Je pars trois semaines chez ma fille à Montréal et je dois demander au pharmacien assez de boîtes pour tenir. "
      "Entre le diabète, la tension, les poumons, j'ai peur d'oublier quelque chose, et depuis l'AVC on m'a changé des trucs. "
      "Vous pouvez me lister les médicaments que je suis censé prendre en ce moment ?"],
     lambda: (lambda lst: G([rf for rf, _, _ in lst], [],
              'MedicationRequest status active (%d): %s; clopidogrel and alteplase are stopped' % (len(lst), '; '.join(n for _, _, n in lst))))(
              [m for m in meds('Josue_Sipes') if m[1].get('status') == 'active']))

case(15, 'Martina_Murazik', 'still_on',
     ["maman doit elle continuer le lasix ? elle dit que ça la fait courir aux toilettes toute la journée et elle voudrait arrêter"],
     lambda: med_status('Martina_Murazik', 'lasix'))

case(16, 'Renea_Quigley', 'ever_had',
     ["Est ce que j'ai déjà eu le vaccin contre le zona ? Ma voisine l'a eu et elle dit qu'à mon âge c'est recommandé"],
     lambda: absent('Renea_Quigley', 'zoster', 'shingl', 'zostavax', 'shingrix') and
             NF('no zoster Immunization in the record (only influenza x10 and Td) -> honest no'))

case(17, 'Daisey_Johns', 'last_visit',
     ["La petite a vu le médecin quand pour la dernière fois ? Mon mari l'a emmenée et il ne se souvient plus de rien évidemment"],
     lambda: last_visit('Daisey_Johns'))

case(18, 'Lupe_Little', 'meaning',
     ["On m'a parlé de « prédiabète ». C'était combien ma dernière hémoglobine glyquée et c'est normal ou pas ? Je fais du sport, je ne comprends pas trop"],
     lambda: (lambda g: dict(g, note=g['note'] + '; no referenceRange recorded (5.7-6.4 % is the usual prediabetes band)'))(latest_obs('Lupe_Little', '4548-4')))

case(19, LIS, 'not_found',
     ["C'est quoi mon groupe sanguin ? Je veux donner mon sang à la collecte de l'EFS samedi"],
     lambda: absent(LIS, '882-1', 'blood group', 'abo group', 'rhesus', 'groupe sanguin') and
             NF('no blood group / ABO-Rh Observation anywhere in the record'))

def _angine_before():
    k = 'Laurie_McCullough'
    throat = [x for x in encounters(k) if any(w in enc_label(x[1]).lower() for w in ('pharyngitis', 'sore throat'))]
    rf, r = throat[-2]
    d = d10(enc_date(r))
    cs = [c for c in conds(k, 'pharyngitis', 'sore throat') if d10(c[1].get('onsetDateTime')) == d]
    return G([rf] + [c[0] for c in cs], [d],
             'throat-infection encounters: %s; the one before the latest is %s (%s)' % (
                 ', '.join(d10(enc_date(x[1])) for x in throat), d, enc_label(r)), match='any')

case(20, 'Laurie_McCullough', 'followup',
     ["la dernière fois que j'ai consulté pour une angine c'était quand ?", "et la fois d'avant ?"],
     lambda: _angine_before())

# ---------------- file 03 ----------------
case(21, LIS, 'latest',
     ["Quand j'ai eu le covid en février 2020 j'étais brûlante, j'avais des frissons, mal partout, je sifflais en respirant. "
      "Mon copain voulait appeler le 15 mais j'ai refusé 🙄. Dans le dossier il y a une température de notée, elle était à combien ? "
      "Juste pour savoir si j'exagérais pas."],
     lambda: latest_obs(LIS, '8331-1'))

case(22, 'Emery_Purdy', 'value_in_year',
     ["mon cholestérol en 2019 c'était combien ? le cardiologue veut voir l'évolution"],
     lambda: year_obs('Emery_Purdy', '2093-3', 2019))

case(23, 'Martina_Murazik', 'count',
     ["Combien de fois maman a fait le test où on souffle dans le tube (spirométrie) ? Le pneumologue veut savoir si elle est suivie régulièrement pour sa BPCO"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'completed Procedure Spirometry: %d (%s)' % (len(lst), ', '.join(d10(proc_date(r)) for _, r in lst)), match='any'))(procs('Martina_Murazik', 'spirometry')))

case(24, 'AT_ELGA_GmbH_01', 'list',
     ["Je viens de m'installer en France et je dois déclarer un médecin traitant. Il m'a demandé la liste de mes problèmes de santé actuels, "
      "mais mon dossier vient d'Autriche et tout est en allemand. J'ai eu un épanchement au genou et mal au dos il y a quelques années, "
      "je crois que c'est guéri. Qu'est-ce qui est encore noté comme actif ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [],
              'Conditions with clinicalStatus active and no abatement: %s; resolved ones (Gelenkerguss, Rückenschmerzen, the resolved duplicate of Mobilität) excluded' % (
                  '; '.join('%s (onset %s)' % (text(r), r.get('onsetDateTime')) for _, r in lst))))(active_conds('AT_ELGA_GmbH_01')))

case(25, 'Emery_Purdy', 'still_on',
     ["Le naproxène qu'on m'avait donné pour le cou après l'accident de voiture, je suis toujours censé le prendre ? j'en ai retrouvé une boîte dans la salle de bain"],
     lambda: med_status('Emery_Purdy', 'naproxen'))

case(26, 'IPS_IG-bundle-01', 'ever_had',
     ["Je remplis un questionnaire pour une mutuelle et on me demande si j'ai déjà eu un cancer. Est-ce que c'est écrit dans mon dossier, et c'est noté comment ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [lst[0][1]['onsetDateTime']],
              'Condition %s clinicalStatus=%s onset %s abatement %s' % (text(lst[0][1]), clin(lst[0][1]), lst[0][1]['onsetDateTime'], lst[0][1].get('abatementDateTime'))))(conds('IPS_IG-bundle-01', 'malignant')))

case(27, 'Lupe_Little', 'last_visit',
     ["ma dernière consultation c'était quand et pourquoi ? je me rappelle plus si c'était le contrôle ou le rhume"],
     lambda: last_visit('Lupe_Little'))

case(28, 'Luigi_Wiegand', 'meaning',
     ["Bonjour, notre bébé a eu une prise de sang à la naissance. Il y a un chiffre d'hémoglobine mais on ne sait pas lire ça. "
      "C'était combien, et c'est normal pour un nouveau-né ?"],
     lambda: (lambda g: dict(g, note=g['note'] + '; no referenceRange recorded (newborn haemoglobin usually about 14-22 g/dL)'))(latest_obs('Luigi_Wiegand', '718-7')))

case(29, 'IPS_IG-bundle-01', 'not_found',
     ["Ma dernière mammographie date de quand ? Avec mes antécédents je suis censée en faire une chaque année et j'ai un doute"],
     lambda: absent('IPS_IG-bundle-01', 'mammo', '24606-6', 'mammogra') and
             NF('no mammography Procedure/DiagnosticReport/Observation anywhere in the record'))

case(30, 'Liz_Conn', 'followup',
     ["Combien je pesais au dernier contrôle ?", "Et en 2012 ?"],
     lambda: year_obs('Liz_Conn', '29463-7', 2012))

# ---------------- file 04 ----------------
case(31, 'Laurie_McCullough', 'latest',
     ["Le gynéco m'a demandé mon dernier bilan rénal (la clairance, le DFG je crois) parce que je prends un diurétique pour la tension. "
      "C'était combien la dernière fois ?"],
     lambda: latest_obs('Laurie_McCullough', '33914-3'))

case(32, 'Vito_Feeney', 'previous',
     ["Je reconstitue le dossier de mon père, décédé en 1979, pour une démarche de succession. Ses reins lâchaient à la fin. "
      "Quelle était sa créatinine à l'avant-dernière prise de sang ?"],
     lambda: latest_obs('Vito_Feeney', '38483-4', nd=2, nth=1))

case(33, 'AT_ELGA_GmbH_01', 'count',
     ["On part randonner dans les Vosges cet été et mon médecin parle de tiques et d'encéphalite. J'ai été vaccinée en Autriche je crois (Encepur ?). "
      "J'ai eu combien de doses d'après mon dossier ?"],
     lambda: count_imm('AT_ELGA_GmbH_01', 'encepur'))

case(34, 'US_MEDITECH_ips_2', 'list',
     ["Quelles allergies sont notées chez moi ? Je sais qu'il y a un antibiotique mais je ne sais plus lequel, et je dois le dire au dentiste mardi."],
     lambda: (lambda lst: G([rf for rf, _ in lst], [],
              'AllergyIntolerance active: %s' % '; '.join(text(r) for _, r in lst)))(real_allergies('US_MEDITECH_ips_2')))

case(35, 'US_MEDITECH_ips_2', 'still_on',
     ["J'ai été hospitalisée en novembre 2020 pour de la fièvre, on m'a mis un antibiotique en perfusion, la ceftriaxone. "
      "Avec ma greffe de rein j'ai toujours peur des infections. Est-ce que cet antibiotique est toujours marqué comme en cours dans mon dossier "
      "ou il a été arrêté ? Je n'ai plus rien à la maison."],
     lambda: med_status('US_MEDITECH_ips_2', 'ceftriaxone'))

case(36, 'Fidel_Bins', 'ever_had',
     ["je pars au Maroc en octobre, le centre de vaccinations internationales me demande si j'ai été vacciné contre l'hépatite A. c'est le cas ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [d10(imm_date(r)) for _, r in lst],
              'Immunization Hep A adult x%d: %s' % (len(lst), ', '.join(d10(imm_date(r)) for _, r in lst))))(imms('Fidel_Bins', vacc_has('hep a'))))

case(37, 'Annmarie_Doyle', 'last_visit',
     ["Ma mère a vu son médecin quand pour la dernière fois ? Elle me dit « la semaine dernière » mais avec elle on ne sait jamais"],
     lambda: last_visit('Annmarie_Doyle'))

case(38, 'Liz_Conn', 'meaning',
     ["J'ai fait une prise de sang en 2018 avec le cholestérol. Le total, il était à combien, et c'est bon ou il faut que je fasse attention ? "
      "Je suis déjà sous traitement pour la tension, je mange pas trop gras, mais mon père a fait un infarctus à 55 ans donc ça me travaille."],
     lambda: (lambda g: dict(g, note=g['note'] + '; no referenceRange recorded (below 200 mg/dL is the usual desirable total)'))(latest_obs('Liz_Conn', '2093-3')))

case(39, 'Fidel_Bins', 'not_found',
     ["Mon taux de vitamine D c'était combien ? Je me sens à plat tout l'hiver"],
     lambda: absent('Fidel_Bins', 'vitamin d', '1989-3', 'calcidiol', '25-hydroxy', 'cholecalciferol') and
             NF('no vitamin D test (LOINC 1989-3/62292-8) anywhere in the record'))

case(40, 'Vito_Feeney', 'followup',
     ["Le dernier PSA de papa, c'était combien ? On m'a conseillé de me faire dépister vu ses antécédents de cancer de la prostate",
      "d'accord. et il en a fait combien en tout, des PSA ?"],
     lambda: (lambda lst: G([rf for rf, _ in lst], [str(len(lst))],
              'count of Observation LOINC 2857-1 PSA: %d (%s)' % (len(lst), ', '.join('%s %s' % (d10(obs_date(r)), num(qty(r)[0], 2)) for _, r in lst)), match='any'))(obs_by_code('Vito_Feeney', '2857-1')))

if __name__ == '__main__':
    run(CASES, sys.argv, L)
