#!/usr/bin/env python3
# Gold for /work/blind/record-23/fr-*.jsonl.  Run: python3 gold-fr.py  (prints + checks)
# python3 gold-fr.py write N   (writes fr-0N.jsonl once; never overwrites)
import json
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *  # noqa

OUT = os.path.dirname(os.path.abspath(__file__))
C = []


def case(id, patient, kind, turns):
    def deco(fn):
        C.append({'id': id, 'patient': patient, 'kind': kind, 'turns': turns, 'fn': fn})
        return fn
    return deco


def latest_obs(code, nd, label):
    def fn(b):
        d, es = latest_day(obs(b, code))
        vals = [fmt(val(e), nd) for e in es]
        return gold([ref(e) for e in es], sorted(set(vals)) + [d],
                    'latest Observation LOINC %s (%s) by effectiveDateTime: %s on %s (rounded to %d dp)'
                    % (code, label, ', '.join(vals), d, nd))
    return fn


# ---------------- file fr-01 ----------------
@case('rb23-fr-001', 'Emery_Purdy', 'latest',
      ["c'était combien ma tension au dernier contrôle ? le médecin a fait une drôle de tête"])
def _(b):
    d, es = latest_day(obs(b, '55284-4'))
    e = es[0]
    sy, di = comp(e, '8480-6'), comp(e, '8462-4')
    return gold([ref(e)], [fmtz(sy, 0), fmtz(di, 0), d],
                'dernier panel TA (LOINC 55284-4) le %s : systolique %.1f / diastolique %.1f (arrondis)'
                % (d, sy, di))


@case('rb23-fr-002', 'Renea_Quigley', 'previous',
      ["Bonjour, mon médecin traitant m'a dit en mars que mon mauvais cholestérol avait bien baissé "
       "et qu'on pouvait attendre avant de parler de statine. Sauf que je ne me souviens plus du "
       "tout du chiffre d'avant, et ma fille (qui est infirmière) veut absolument comparer. Vous "
       "pouvez me donner mon LDL de la prise de sang d'avant la dernière ?"])
def _(b):
    d, es = prev_day(obs(b, '18262-6'))
    return gold([ref(e) for e in es], [fmtz(val(e), 0) for e in es] + [d],
                'LDL (LOINC 18262-6) : avant-dernière date %s, arrondi à l entier mg/dL' % d)


@case('rb23-fr-003', 'Martina_Murazik', 'count',
      ["ma mère fait souvent le test du souffle (spirométrie) pour sa bronchite chronique. ça fait "
       "combien de fois en tout ?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'spirometry' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'nombre total de Procedure Spirometry (%s a %s)' % (day(es[0]['resource']), day(es[-1]['resource'])))


@case('rb23-fr-004', 'Fidel_Bins', 'list',
      ["Je pars en colo avec mon fils comme accompagnateur et on me demande la liste de mes allergies "
       "pour le dossier. Je sais qu'il y a les acariens et les poils de chat, mais il me semble qu'il "
       "y avait aussi un truc alimentaire et le latex ? Je suis asthmatique depuis gamin donc je "
       "préfère ne rien oublier. Vous pouvez me lister toutes mes allergies enregistrées ?"])
def _(b):
    es = find(b, 'AllergyIntolerance', lambda r: True)
    return gold([ref(e) for e in es], [],
                'toutes les AllergyIntolerance (%d) : latex, moisissures, acariens, squames animales, '
                'pollen de graminees, pollen d arbres, fruits a coque' % len(es))


@case('rb23-fr-005', 'Emery_Purdy', 'still_on',
      ["je prends toujours l'hydrochlorothiazide 25 pour la tension, c'est encore d'actualité dans mon dossier ?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'hydrochlorothiazide' in text_of(r.get('medicationCodeableConcept')).lower())
    r = es[-1]['resource']
    return gold([ref(e) for e in es], [day(r)],
                'MedicationRequest hydrochlorothiazide 25 mg status=%s depuis %s' % (r['status'], day(r)))


@case('rb23-fr-006', 'Martina_Murazik', 'ever_had',
      ["Bonsoir, je m'occupe des papiers de ma maman (67 ans, insuffisante cardiaque et une BPCO). "
       "La pharmacienne nous a parlé du vaccin contre le pneumocoque, vu qu'elle tousse tout "
       "l'hiver, mais j'ai l'impression qu'elle l'a déjà eu il y a quelques années, peut-être même "
       "deux fois ? Est-ce qu'elle a déjà été vaccinée contre le pneumocoque, et quand ?"])
def _(b):
    es = imms(b, lambda t, r: 'pneumococcal' in t.lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'Immunization pneumococcique : %s (oui, 2 vaccins differents PCV13 puis PPSV23)'
                % ', '.join(day(e['resource']) for e in es))


@case('rb23-fr-007', 'Josue_Sipes', 'last_visit',
      ["c quand mon dernier rdv et c'était pour quoi"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)], 'derniere Encounter %s, %s' % (day(r), r['type'][0]['text']))


@case('rb23-fr-008', 'AT_ELGA_GmbH_01', 'meaning',
      ["J'ai fait un bilan en Autriche fin 2016 et tout est en allemand. Mon médecin traitant ici me "
       "demande si mon bilan thyroïdien était normal parce que je suis fatigué et que j'ai pris du "
       "poids. Je vois une ligne TSH mais je ne comprends pas les unités. Qu'est-ce que ça donnait "
       "et c'est dans les normes ?"])
def _(b):
    es = obs(b, text='TSH')
    e = es[-1]
    lo, hi = rng(e)[0]
    return gold([ref(e)], [fmt(val(e), 1), fmtz(lo, 2), fmtz(hi, 2), day(e['resource'])],
                'Observation TSH %s uUI/mL le %s, intervalle de reference %s-%s (dans les normes)'
                % (val(e), day(e['resource']), lo, hi))


@case('rb23-fr-009', 'Luigi_Wiegand', 'not_found',
      ["c'est quoi le groupe sanguin de mon bébé ? on me le demande pour la crèche"])
def _(b):
    es = [e for e in obs(b) if any(k in text_of(e['resource']['code']).lower() for k in ('abo', 'blood group', 'rh'))]
    assert not es
    return gold([], [], 'aucune Observation groupe sanguin (ABO/Rh) -> pas dans le dossier', nf=True)


@case('rb23-fr-010', 'Liz_Conn', 'followup',
      ["quand est-ce que j'ai eu mon dernier vaccin contre la grippe ?",
       "et celui d'avant ?"])
def _(b):
    es = imms(b, lambda t, r: 'influenza' in t.lower())
    e = es[-2]
    return gold([ref(e)], [day(e['resource'])],
                'vaccins grippe : dernier %s, precedent %s (gold = 2e tour)'
                % (day(es[-1]['resource']), day(e['resource'])))

# ---------------- file fr-02 ----------------
@case('rb23-fr-011', 'Martina_Murazik', 'latest',
      ["Ma mère a toujours eu tendance à l'anémie, elle prend du fer depuis des années. Là elle "
       "est très essoufflée, mais le cardiologue dit que c'est plutôt le cœur. Je voudrais quand "
       "même savoir où en était son hémoglobine à la dernière prise de sang, c'était combien ?"])
def _(b):
    d, es = latest_day(obs(b, '718-7'))
    return gold([ref(e) for e in es], [fmtz(val(e), 1) for e in es] + [d],
                'hemoglobine (LOINC 718-7) derniere date %s, g/dL arrondi a 1 decimale' % d)


@case('rb23-fr-012', 'Fidel_Bins', 'value_in_year',
      ["mon bon cholestérol en 2015 c'était combien ?"])
def _(b):
    es = [e for e in obs(b, '2085-9') if day(e['resource']).startswith('2015')]
    return gold([ref(e) for e in es], [fmtz(val(e), 0) for e in es] + [day(es[0]['resource'])],
                'HDL (LOINC 2085-9) en 2015 : un seul resultat, arrondi a l entier mg/dL')


@case('rb23-fr-013', 'Renea_Quigley', 'count',
      ["J'essaie de faire le point pour ma mutuelle, ils me demandent combien de fois j'ai consulté "
       "en 2020. Entre le contrôle de février, la brûlure avec la casserole en septembre (j'ai "
       "fini aux urgences) et le suivi derrière, je m'y perds. Combien de consultations j'ai eu en "
       "2020 d'après mon dossier ?"])
def _(b):
    es = [e for e in encounters(b) if day(e['resource']).startswith('2020')]
    return gold([ref(e) for e in es], [str(len(es))],
                'Encounter avec period.start en 2020 : %d (%s)'
                % (len(es), ', '.join(day(e['resource']) for e in es)))


@case('rb23-fr-014', 'Josue_Sipes', 'list',
      ["Je vais chez un nouveau cardiologue la semaine prochaine et il veut la liste de mes "
       "traitements en cours. Entre le diabète, la tension, les poumons et l'AVC j'ai eu tellement "
       "de choses que je ne sais plus ce qui est encore actif. Vous pouvez me dire quels "
       "médicaments je suis censé prendre actuellement ?"])
def _(b):
    es = find(b, 'MedicationRequest', lambda r: r.get('status') == 'active')
    return gold([ref(e) for e in es], [],
                'MedicationRequest status active (%d) : hydrochlorothiazide, metformine LP, '
                'fluticasone/salmeterol, insuline Humulin 70/30 ; clopidogrel et alteplase arretes' % len(es))


@case('rb23-fr-015', 'Renea_Quigley', 'still_on',
      ["est-ce que l'ibuprofène est encore noté comme traitement en cours chez moi ou ça a été arrêté ?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'ibuprofen' in text_of(r.get('medicationCodeableConcept')).lower())
    st = [e['resource']['status'] for e in es]
    return gold([ref(e) for e in es], [day(es[-1]['resource'])],
                'MedicationRequest ibuprofene : %d prescriptions, statuts %s ; la plus recente %s -> arrete'
                % (len(es), st, day(es[-1]['resource'])), match='any')


@case('rb23-fr-016', 'Josue_Sipes', 'ever_had',
      ["mon père a 65 ans, il a eu un AVC ? il dit que non mais il a eu un caillot il y a "
       "quelques années et j'ai un doute"])
def _(b):
    es = find(b, 'Condition', lambda r: 'stroke' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'Condition Stroke, onset %s (oui)' % day(es[0]['resource']))


@case('rb23-fr-017', 'Renea_Quigley', 'last_visit',
      ["c'était quand ma dernière consult et c'était pour quoi déjà ?"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)], 'derniere Encounter %s, %s' % (day(r), r['type'][0]['text']))


@case('rb23-fr-018', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning',
      ["Ma fille de 9 ans a eu un test covid en février 2020, je n'ai jamais eu le résultat écrit. "
       "Dans son dossier je vois deux lignes SARS-CoV-2, une avec un truc bizarre entre accolades "
       "et l'autre je ne comprends pas. Elle était positive ou pas ?"])
def _(b):
    es = [e for e in obs(b, '94531-1') if isinstance(val(e), str) and 'detected' in val(e).lower()]
    return gold([ref(e) for e in es], [day(es[0]['resource'])],
                'Observation SARS-CoV-2 (LOINC 94531-1) valueCodeableConcept Detected le %s ; l autre '
                'Observation porte un gabarit non rempli {entry.value} et n est pas un resultat'
                % day(es[0]['resource']))


@case('rb23-fr-019', 'Laurie_McCullough', 'not_found',
      ["on m'a jamais fait de bilan de cholestérol ? ma mère en a et je me demandais où j'en étais"])
def _(b):
    es = [e for e in obs(b) if any(k in text_of(e['resource']['code']).lower()
                                   for k in ('cholesterol', 'triglycer', 'lipoprotein'))]
    assert not es
    return gold([], [], 'aucune Observation lipidique -> pas dans le dossier', nf=True)


@case('rb23-fr-020', 'Laurie_McCullough', 'followup',
      ["j'ai fait combien de vaccins contre la grippe en tout ?",
       "et le dernier c'était quand ?"])
def _(b):
    es = imms(b, lambda t, r: 'influenza' in t.lower())
    e = es[-1]
    return gold([ref(e)], [day(e['resource'])],
                'vaccins grippe : %d au total, le dernier %s (gold = 2e tour)' % (len(es), day(e['resource'])))

# ---------------- file fr-03 ----------------
@case('rb23-fr-021', 'Lupe_Little', 'latest',
      ["Mon généraliste m'a dit que j'étais « pré-diabétique » et depuis je fais attention, je "
       "marche le soir et j'ai arrêté les sodas. J'aimerais savoir si ça sert à quelque chose : "
       "c'était combien mon sucre dans le sang à la dernière prise de sang ?"])
def _(b):
    d, es = latest_day(obs(b, '2339-0'))
    return gold([ref(e) for e in es], [fmtz(val(e), 0) for e in es] + [d],
                'glucose (LOINC 2339-0) derniere date %s, mg/dL arrondi a l entier' % d)


@case('rb23-fr-022', 'Daisey_Johns', 'previous',
      ["elle pesait combien ma fille à la pesée d'avant la dernière ? la pédiatre trouve qu'elle a pris d'un coup"])
def _(b):
    d, es = prev_day(obs(b, '29463-7'))
    return gold([ref(e) for e in es], [fmtz(val(e), 1) for e in es] + [d],
                'poids (LOINC 29463-7) avant-derniere date %s, kg arrondi a 1 decimale' % d)


@case('rb23-fr-023', 'Daisey_Johns', 'count',
      ["combien de fois ma fille a eu le vaccin de la grippe depuis qu'elle est née ?"])
def _(b):
    es = imms(b, lambda t, r: 'influenza' in t.lower())
    return gold([ref(e) for e in es], [str(len(es))], 'Immunization influenza : %d au total' % len(es))


@case('rb23-fr-024', 'Luigi_Wiegand', 'list',
      ["Coucou, on déménage en France avec notre fils (5 mois) et la PMI veut la liste de ses "
       "vaccins pour le carnet de santé. On a fait tous ceux qu'on nous a proposés mais je n'ai "
       "pas gardé les papiers. Vous pouvez me donner tous les vaccins qu'il a reçus avec les dates ?"])
def _(b):
    es = imms(b, lambda t, r: True)
    return gold([ref(e) for e in es], sorted(set(day(e['resource']) for e in es)),
                'toutes les Immunization (%d) : hep B x2, Hib x2, rotavirus x2, IPV x2, DTaP x2, PCV13 x2' % len(es))


@case('rb23-fr-025', 'Daisey_Johns', 'still_on',
      ["la ventoline de ma fille elle est toujours sur son ordonnance en cours ?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'albuterol' in text_of(r.get('medicationCodeableConcept')).lower())
    r = es[-1]['resource']
    return gold([ref(e) for e in es], [day(r)],
                'MedicationRequest albuterol (salbutamol/Ventoline) status=%s depuis %s' % (r['status'], day(r)))


@case('rb23-fr-026', 'Liz_Conn', 'ever_had',
      ["Ma gynéco me demande si j'ai été vaccinée contre le papillomavirus quand j'étais jeune. "
       "Honnêtement je n'en ai aucune idée, ma mère ne s'en souvient pas non plus. Est-ce que "
       "c'est dans mon dossier ?"])
def _(b):
    es = imms(b, lambda t, r: 'hpv' in t.lower() or 'papilloma' in t.lower())
    assert not es
    return gold([], [], 'aucune Immunization HPV (seulement grippe x3 et Td) -> non / pas dans le dossier', nf=True)


@case('rb23-fr-027', 'Annmarie_Doyle', 'last_visit',
      ["ma grand-mère a vu le médecin quand pour la dernière fois ? et c'était pour quoi ?"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)], 'derniere Encounter %s, %s' % (day(r), r['type'][0]['text']))


@case('rb23-fr-028', 'IPS_IG-bundle-01', 'meaning',
      ["Bonjour, sur mon dossier il y a un résultat de labo de décembre 2017 qui dit « Methicillin "
       "resistant Staphylococcus aureus ». Je n'ai jamais eu d'explication, je venais juste pour "
       "un contrôle après mon cancer. Ça veut dire quoi concrètement, c'est grave ?"])
def _(b):
    es = obs(b, '42803-7')
    e = es[-1]
    return gold([ref(e)], [day(e['resource'])],
                'Observation Bacteria identified in Isolate (LOINC 42803-7) = MRSA (SARM) le %s ; pas de '
                'site de prelevement ni d intervalle' % day(e['resource']))


@case('rb23-fr-029', 'US_MEDITECH_ips_2', 'not_found',
      ["c'était combien mon potassium à ma dernière prise de sang ? avec les reins je dois surveiller"])
def _(b):
    es = entries(b, 'Observation')
    assert not es
    return gold([], [], 'aucune Observation dans ce dossier -> pas de potassium dans le dossier', nf=True)


@case('rb23-fr-030', 'Vito_Feeney', 'followup',
      ["mon père a eu combien de coloscopies ?",
       "la dernière c'était quand ?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'colonoscopy' in text_of(r.get('code')).lower())
    e = es[-1]
    return gold([ref(e)], [day(e['resource'])],
                'Procedure Colonoscopy : %d, la derniere %s (gold = 2e tour)' % (len(es), day(e['resource'])))

# ---------------- file fr-04 ----------------
@case('rb23-fr-031', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'latest',
      ["elle avait combien de fièvre ma fille la dernière fois qu'on l'a prise à l'hôpital ?"])
def _(b):
    d, es = latest_day(obs(b, '8331-1'))
    return gold([ref(e) for e in es], [fmtz(val(e), 1) for e in es] + [d],
                'temperature orale (LOINC 8331-1) derniere %s, degres C arrondi a 1 decimale' % d)


@case('rb23-fr-032', 'Emery_Purdy', 'value_in_year',
      ["Je suis diabétique de type 2 depuis 2007 et on me surveille les reins tous les ans. Mon "
       "néphrologue veut voir l'évolution de ma créatinine mais il lui manque la valeur de 2020, "
       "le labo a perdu le papier. Vous l'avez ? Merci d'avance."])
def _(b):
    es = [e for e in obs(b, '38483-4') if day(e['resource']).startswith('2020')]
    return gold([ref(e) for e in es], [fmtz(val(e), 2) for e in es] + [day(es[0]['resource'])],
                'creatinine (LOINC 38483-4) en 2020 : un resultat, mg/dL arrondi a 2 decimales')


@case('rb23-fr-033', 'Vito_Feeney', 'count',
      ["Mon grand-père est décédé d'un cancer de la prostate. Pour mon dossier de dépistage, "
       "l'urologue voudrait savoir comment ça avait été diagnostiqué chez lui. Combien de biopsies "
       "de la prostate il a eu en tout ?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'biopsy of prostate' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [str(len(es))],
                'Procedure Biopsy of prostate : %d (%s)' % (len(es), ', '.join(day(e['resource']) for e in es)))


@case('rb23-fr-034', 'IPS_IG-bundle-01', 'list',
      ["quels sont mes problèmes de santé enregistrés ?"])
def _(b):
    es = find(b, 'Condition', lambda r: True)
    return gold([ref(e) for e in es], [],
                'toutes les Condition (%d) : bouffees de chaleur de la menopause (active, 2015) et cancer du '
                'sein (remission, 2015-01)' % len(es))


@case('rb23-fr-035', 'US_MEDITECH_ips_2', 'still_on',
      ["à l'hôpital en novembre on m'a mis de la ceftriaxone en perfusion, je dois continuer à "
       "la maison ou c'est arrêté ?"])
def _(b):
    es = find(b, 'MedicationRequest',
              lambda r: 'ceftriaxone' in r.get('medicationReference', {}).get('display', '').lower())
    r = es[0]['resource']
    ms = find(b, 'MedicationStatement', lambda x: x.get('effectivePeriod', {}).get('start') == r['authoredOn'])
    return gold([ref(e) for e in es + ms], [day(r)],
                'MedicationRequest ceftriaxone status=%s, authoredOn %s ; MedicationStatement NDC %s (meme debut) '
                'status %s, fin %s -> arrete ; l une ou l autre ref suffit'
                % (r['status'], day(r), ms[0]['resource']['medicationCodeableConcept']['coding'][0]['code'],
                   ms[0]['resource']['status'], ms[0]['resource']['effectivePeriod']['end'][:10]), match='any')


@case('rb23-fr-036', 'AT_ELGA_GmbH_01', 'ever_had',
      ["Je suis suivi en Autriche et en France. Ma belle-fille est enceinte et elle nous demande si "
       "quelqu'un dans la famille a déjà eu la rubéole, parce qu'elle n'est pas sûre d'être "
       "immunisée. Est-ce que moi j'ai déjà eu la rubéole d'après mon dossier ?"])
def _(b):
    es = find(b, 'Condition', lambda r: 'röteln' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [e['resource']['onsetDateTime'] for e in es],
                'Condition "Röteln" (rubeole), clinicalStatus active, onset %s (oui)'
                % es[0]['resource']['onsetDateTime'])


@case('rb23-fr-037', 'Lupe_Little', 'last_visit',
      ["c'était quand déjà ma dernière visite chez le médecin ? et pour quelle raison ?"])
def _(b):
    e = encounters(b)[-1]
    r = e['resource']
    return gold([ref(e)], [day(r)],
                'derniere Encounter %s, %s, motif %s' % (day(r), r['type'][0]['text'],
                                                         text_of(r['reasonCode'][0]).split(' | ')[-1]))


@case('rb23-fr-038', 'Annmarie_Doyle', 'meaning',
      ["Ma mère a 86 ans et elle se plaint d'être fatiguée. Dans son dossier je vois une prise de "
       "sang de 2016 avec « hemoglobin 13.6 ». C'est bien ou elle est anémiée ?"])
def _(b):
    es = obs(b, '718-7')
    e = es[-1]
    assert not rng(e)
    return gold([ref(e)], [fmtz(val(e), 1), day(e['resource'])],
                'Observation hemoglobine %.2f g/dL le %s ; pas d intervalle de reference dans le dossier '
                '(dans les valeurs usuelles pour une femme)' % (val(e), day(e['resource'])))


@case('rb23-fr-039', 'Vito_Feeney', 'not_found',
      ["est-ce que mon père avait été vacciné contre le zona ?"])
def _(b):
    es = imms(b, lambda t, r: 'zoster' in t.lower())
    assert not es
    return gold([], [], 'aucune Immunization zona (seulement grippe) -> non / pas dans le dossier', nf=True)


@case('rb23-fr-040', 'Martina_Murazik', 'followup',
      ["maman a passé une radio des poumons récemment, c'était quand ?",
       "et l'échographie du cœur, elle date de quand ?"])
def _(b):
    es = find(b, 'Procedure', lambda r: 'echocardiogram' in text_of(r.get('code')).lower())
    x = find(b, 'Procedure', lambda r: 'x-ray' in text_of(r.get('code')).lower())
    return gold([ref(e) for e in es], [day(e['resource']) for e in es],
                'radio thorax %s ; Procedure trans thoracic echocardiogram %s (gold = 2e tour)'
                % (day(x[-1]['resource']), day(es[-1]['resource'])))


if __name__ == '__main__':
    run(C, 'fr', OUT)
