#!/usr/bin/env python3
# Gold for the French record questions (rb24-fr-*). Standard library only.
# Run: python3 gold-fr.py  -> writes missing fr-NN.jsonl files, verifies existing ones.
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *

LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
C = []
def case(id, patient, kind, turns):
    def deco(fn):
        C.append(dict(id=id, patient=patient, kind=kind, turns=turns, gold=fn)); return fn
    return deco
def last_encounter(b):
    L = sorted(((rdate(e['resource']), e) for e in entries(b, 'Encounter')), key=lambda x: x[0])
    d = L[-1][0]; last = [e for dd, e in L if dd == d]
    why = [(e['resource'].get('type') or [{}])[0].get('text') for e in last]
    rc = [((e['resource'].get('reasonCode') or [{}])[0].get('coding') or [{}])[0].get('display') for e in last]
    return G([ref(e) for e in last], [d], f"latest Encounter by period.start = {d}; type {why}; reason {rc}")
def absent(b, types, words, codeset=()):
    for t in types:
        for e in entries(b, t):
            r = e['resource']
            tx = ' '.join(text(r.get(k)) for k in ('code', 'vaccineCode', 'medicationCodeableConcept'))
            tx += ' ' + ((r.get('medicationReference') or {}).get('display') or '').lower()
            cs = codes(r.get('code')) | codes(r.get('vaccineCode')) | codes(r.get('medicationCodeableConcept'))
            assert not any(w in tx for w in words) and not (cs & set(codeset)), ('present!', ref(e))
    return G([], [], f"no {types} matching {words} {list(codeset)} in the record -> honest not found", nf=True)
def in_year(b, code, y, note=''):
    L = [x for x in obs(b, code) if x[0].startswith(str(y))]
    return G([ref(e) for _, e, _ in L], sorted({d for d, _, _ in L}) + vals([r for *_, r in L]), f"Observations {code} dated {y}. {note}")

# ---------- fr-01 ----------
@case('rb24-fr-001', 'Annmarie_Doyle', 'followup', [
    "bonjour, je gère le dossier de ma mère (86 ans). son cholestérol total en 2017 c'était combien ?",
    "et en 2014 ?"])
def _(b):
    return in_year(b, '2093-3', 2014, "Total cholesterol, mg/dL.")

@case('rb24-fr-002', 'Renea_Quigley', 'list', [
    "Je vois un nouveau médecin traitant la semaine prochaine (l'ancien part à la retraite). Pouvez-vous me faire la liste de mes problèmes de santé toujours en cours ? Pas les trucs passés genre entorse ou angine, juste ce qui est actif."])
def _(b):
    L = [e for e in entries(b, 'Condition') if status(e['resource']) == 'active']
    return G([ref(e) for e in L], [], f"all {len(L)} Conditions with clinicalStatus active")

@case('rb24-fr-003', 'Josue_Sipes', 'count', [
    "j'ai fait combien de séances de réadaptation respiratoire en tout ? la mutuelle me demande le nombre"])
def _(b):
    L = res_named(b, 'Procedure', ['pulmonary rehabilitation'])
    return G([ref(e) for _, e, _ in L], [str(len(L))], f"Procedure 'Pulmonary rehabilitation' count = {len(L)}", match='any')

@case('rb24-fr-004', 'IPS_IG-bundle-01', 'latest', [
    "c'est quoi mon groupe sanguin ? on me le demande pour un don du sang"])
def _(b):
    L = by_latest_day(obs(b, '882-1'))
    return G([ref(e) for _, e, _ in L], [L[0][0]], "ABO/Rh Observation 882-1: Blood group A Rh(D) positive")

@case('rb24-fr-005', 'Emery_Purdy', 'last_visit', [
    "Ma dernière consultation c'était quand déjà ? Et c'était pour quoi, le bilan annuel ou autre chose ?"])
def _(b):
    return last_encounter(b)

@case('rb24-fr-006', 'Luigi_Wiegand', 'not_found', [
    "Bonjour, mon fils a 5 mois, la crèche me demande s'il a eu le BCG. Est-ce que c'est noté dans son dossier ? Je crois que la sage-femme en avait parlé à la maternité mais je ne suis plus sûre du tout."])
def _(b):
    return absent(b, ['Immunization'], ['bcg', 'tuberculosis', 'calmette'], ['19'])

@case('rb24-fr-007', 'Martina_Murazik', 'value_in_year', [
    "mon souffle (le test où on souffle dans le tube, spiro) il donnait quoi en 2019 ? j'ai l'impression que ça baisse chaque année"])
def _(b):
    return in_year(b, '19926-5', 2019, "FEV1/FVC %.")

@case('rb24-fr-008', 'Fidel_Bins', 'list', [
    "la liste de mes allergies svp"])
def _(b):
    L = [e for e in entries(b, 'AllergyIntolerance') if status(e['resource']) == 'active']
    return G([ref(e) for e in L], [], f"all {len(L)} active AllergyIntolerance")

@case('rb24-fr-009', 'US_MEDITECH_ips_2', 'still_on', [
    "Je dois toujours faire les injections de ceftriaxone ? À l'hôpital en novembre on m'en faisait tous les jours mais depuis je ne sais plus, personne ne m'a rien dit et le pharmacien n'a rien en stock."])
def _(b):
    L = res_named(b, 'MedicationRequest', ['ceftriaxone'])
    ms = [e for e in entries(b, 'MedicationStatement') if '66288610001' in codes(e['resource'].get('medicationCodeableConcept'))]
    return G([ref(L[-1][1])] + [ref(e) for e in ms], [L[-1][0]],
             f"MedicationRequest ceftriaxone status={L[-1][2]['status']} authoredOn {L[-1][0]}; the NDC-only MedicationStatement with the same start is completed (ended 2020-11-17) -> either cited", match='any')

@case('rb24-fr-010', 'Lupe_Little', 'meaning', [
    "on m'a dit que j'étais prédiabétique. mon hémoglobine glyquée, la dernière, elle est à combien et c'est normal ou pas ?"])
def _(b):
    L = by_latest_day(obs(b, '4548-4'))
    return G([ref(e) for _, e, _ in L], [L[0][0]] + vals([r for *_, r in L]), "latest HbA1c 4548-4 (%); no referenceRange recorded; value 6.19 rounds to 6.2")

# ---------- fr-02 ----------
@case('rb24-fr-011', 'Daisey_Johns', 'ever_had', [
    "ma fille a-t-elle bien eu ses deux doses de ROR ? il y a une épidémie de rougeole à l'école 😬"])
def _(b):
    L = res_named(b, 'Immunization', ['mmr'], 'vaccineCode')
    return G([ref(e) for _, e, _ in L], [str(len(L))] + [d for d, _, _ in L], f"Immunization MMR: {len(L)} doses with dates")

@case('rb24-fr-012', 'Liz_Conn', 'latest', [
    "Bonjour, mon médecin du travail me demande mes derniers résultats pour les reins (la fonction rénale, le DFG je crois). Vous avez ça ?"])
def _(b):
    return latest_obs(b, '33914-3', note="eGFR mL/min/1.73m2.")

@case('rb24-fr-013', 'Vito_Feeney', 'count', [
    "Mon père est décédé en 79 d'un cancer de la prostate. Pour mon urologue : combien de biopsies de prostate il avait eues en tout ?"])
def _(b):
    L = res_named(b, 'Procedure', ['biopsy of prostate'])
    return G([ref(e) for _, e, _ in L], [str(len(L))], f"Procedure 'Biopsy of prostate' count = {len(L)}", match='any')

@case('rb24-fr-014', 'AT_ELGA_GmbH_01', 'meaning', [
    "Sur mon bilan de décembre 2016 fait en Autriche il y a la TSH. Elle est normale ? J'ai pris du poids et je suis crevée tout le temps, je me demandais si c'était la thyroïde."])
def _(b):
    L = by_latest_day(obs(b, '3016-3'))
    out = [L[0][0]] + vals([r for *_, r in L])
    for *_, r in L:
        for rr in r.get('referenceRange', []):
            for k in ('low', 'high'):
                if k in rr: out.append(str(rr[k]['value']))
    return G([ref(e) for _, e, _ in L], out, "TSH 3016-3 value with referenceRange low/high as recorded (interpretation N)")

@case('rb24-fr-015', 'Josue_Sipes', 'list', [
    "je prends quoi comme médicaments en ce moment d'après mon dossier ? je veux faire le point avec le pharmacien, j'ai des boîtes partout"])
def _(b):
    L = [e for e in entries(b, 'MedicationRequest') if e['resource'].get('status') == 'active']
    return G([ref(e) for e in L], [], f"{len(L)} MedicationRequest with status active (stopped ones excluded)")

@case('rb24-fr-016', 'Laurie_McCullough', 'count', [
    "jsuis tout le temps malade de la gorge... j'ai eu combien d'angines ou de pharyngites d'après mon dossier ?"])
def _(b):
    L = [e for e in entries(b, 'Condition') if any(w in text(e['resource'].get('code')) for w in ('pharyngitis', 'sore throat'))]
    return G([ref(e) for e in L], [str(len(L))], f"Conditions pharyngitis / streptococcal sore throat = {len(L)}", match='any')

@case('rb24-fr-017', 'US_MEDITECH_ips_2', 'ever_had', [
    "est-ce que j'ai déjà eu un pacemaker ou un défibrillateur posé ? je passe une IRM bientôt et la secrétaire me pose la question"])
def _(b):
    L = res_named(b, 'Procedure', ['pacemaker'])
    du = entries(b, 'DeviceUseStatement')
    return G([ref(e) for _, e, _ in L] + [ref(e) for e in du], [d for d, _, _ in L],
             "Procedure 'Intro of Pacemaker via vein' 2011-10-05 and DeviceUseStatement (CRT defibrillator, active) -> yes; either cited", match='any')

@case('rb24-fr-018', 'Lupe_Little', 'not_found', [
    "Quels sont mes traitements en cours ? Je dois remplir un questionnaire avant une anesthésie"])
def _(b):
    assert not entries(b, 'MedicationRequest') and not entries(b, 'MedicationStatement')
    return G([], [], "no MedicationRequest or MedicationStatement at all in this record -> honest 'no medicine recorded'", nf=True)

@case('rb24-fr-019', LIS, 'meaning', [
    "Ma fille de 9 ans a été vue pour le covid. Sur le compte-rendu il y a une saturation, c'était combien et c'est grave docteur ? Elle va mieux maintenant mais ça m'inquiète après coup"])
def _(b):
    return latest_obs(b, '59408-5', note="SpO2 %; no referenceRange recorded (clearly below the usual >=95 %).")

@case('rb24-fr-020', 'Martina_Murazik', 'still_on', [
    "le lasix je dois continuer ou pas ?? mes chevilles ont dégonflé"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['lasix', 'furosemide'])
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest Lasix status={L[-1][2]['status']} since {L[-1][0]}")

# ---------- fr-03 ----------
@case('rb24-fr-021', 'Daisey_Johns', 'followup', [
    "elle pèse combien ma fille à la dernière pesée ?",
    "et en 2019 ?"])
def _(b):
    return in_year(b, '29463-7', 2019, "Body weight kg; all 2019 weighings.")

@case('rb24-fr-022', 'Fidel_Bins', 'latest', [
    "mon dernier cholestérol ?"])
def _(b):
    return latest_obs(b, '2093-3', note="Total cholesterol mg/dL.")

@case('rb24-fr-023', 'IPS_IG-bundle-01', 'ever_had', [
    "Est-ce que mon cancer du sein est bien noté dans le dossier ? Et ils ont mis quoi comme statut, guéri ou autre chose ? Je pars à l'étranger et je voudrais que ce soit clair si je dois consulter là-bas."])
def _(b):
    L = [e for e in entries(b, 'Condition') if 'breast' in text(e['resource'].get('code'))]
    r = L[0]['resource']
    od = r.get('onsetDateTime', '')
    return G([ref(e) for e in L], [od[:10]] if od else [], f"Condition malignant tumor of breast, clinicalStatus {status(r)}, onset {od}")

@case('rb24-fr-024', 'Liz_Conn', 'still_on', [
    "Je suis toujours sous hydrochlorothiazide ? Je le prends depuis des années mais on ne me l'a pas represcrit depuis un moment et je me demande s'il est encore actif."])
def _(b):
    L = res_named(b, 'MedicationRequest', ['hydrochlorothiazide'])
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest HCTZ status={L[-1][2]['status']} since {L[-1][0]}")

@case('rb24-fr-025', 'AT_ELGA_GmbH_01', 'list', [
    "Quels vaccins sont dans mon dossier ? j'ai été vaccinée en Autriche, contre les tiques je crois"])
def _(b):
    L = [e for e in entries(b, 'Immunization') if e['resource'].get('status') == 'completed']
    return G([ref(e) for e in L], [rdate(e['resource']) for e in L], f"{len(L)} Immunization (Encepur, tick-borne encephalitis doses 1-3)")

@case('rb24-fr-026', 'Josue_Sipes', 'followup', [
    "c'était combien ma dernière créatinine ?",
    "et celle d'avant ? pour voir si ça monte"])
def _(b):
    P = previous_day(obs(b, '38483-4'))
    return G([ref(e) for _, e, _ in P], [P[0][0]] + vals([r for *_, r in P]), "Creatinine 38483-4: second-latest day (latest day has two results)")

@case('rb24-fr-027', 'Emery_Purdy', 'still_on', [
    "je suis tjrs sous le diurétique pour la tension ? l'hydrochlorothiazide"])
def _(b):
    L = res_named(b, 'MedicationRequest', ['hydrochlorothiazide'])
    return G([ref(L[-1][1])], [L[-1][0]], f"MedicationRequest HCTZ status={L[-1][2]['status']} since {L[-1][0]}")

@case('rb24-fr-028', 'Luigi_Wiegand', 'latest', [
    "il mesurait combien mon bébé à sa dernière visite chez le pédiatre ?"])
def _(b):
    return latest_obs(b, '8302-2', note="Body height cm.")

@case('rb24-fr-029', 'MEDITECH' if False else 'US_MEDITECH_ips_2', 'not_found', [
    "Mon dernier potassium était à combien ? Avec le rein greffé je dois surveiller, on m'a dit qu'il était un peu haut la dernière fois."])
def _(b):
    return absent(b, ['Observation', 'DiagnosticReport'], ['potassium', 'kalium'], ['2823-3', '6298-4'])

@case('rb24-fr-030', 'Laurie_McCullough', 'ever_had', [
    "j'ai eu le vaccin contre le papillomavirus ado ? ma gynéco me pose la question"])
def _(b):
    L = res_named(b, 'Immunization', ['hpv'], 'vaccineCode')
    return G([ref(e) for _, e, _ in L], [d for d, _, _ in L], f"Immunization HPV quadrivalent: {len(L)} doses")

# ---------- fr-04 ----------
@case('rb24-fr-031', 'Annmarie_Doyle', 'ever_had', [
    "Maman a 86 ans, son pharmacien lui propose le vaccin contre le pneumocoque. Elle l'a déjà eu ou pas ? Elle ne se souvient plus et moi non plus."])
def _(b):
    return absent(b, ['Immunization'], ['pneumococcal', 'pneumo', 'pcv', 'ppsv'], ['33', '133', '152', '215', '216'])

@case('rb24-fr-032', 'Daisey_Johns', 'last_visit', [
    "elle a été vue quand la dernière fois ma puce ? et c'était pour quoi"])
def _(b):
    return last_encounter(b)

@case('rb24-fr-033', 'Fidel_Bins', 'not_found', [
    "Ma glycémie à jeun, la dernière, c'était combien ? Mon frère vient d'être diagnostiqué diabétique et je m'inquiète un peu, on a le même mode de vie lol"])
def _(b):
    return absent(b, ['Observation'], ['glucose', 'a1c', 'glycemia', 'glycated'], ['2339-0', '4548-4', '17856-6', '2345-7'])

@case('rb24-fr-034', 'Liz_Conn', 'last_visit', [
    "mon dernier rdv au cabinet remonte à quand ?"])
def _(b):
    return last_encounter(b)

@case('rb24-fr-035', 'Lupe_Little', 'count', [
    "combien de fois j'ai été vacciné contre la grippe ?"])
def _(b):
    L = [x for x in res_named(b, 'Immunization', ['influenza'], 'vaccineCode') if x[2].get('status') == 'completed']
    return G([ref(e) for _, e, _ in L], [str(len(L))], f"completed influenza Immunizations = {len(L)} (two in 2019)", match='any')

@case('rb24-fr-036', 'Martina_Murazik', 'last_visit', [
    "Bonjour, je suis le fils de Mme Murazik. Elle a une insuffisance cardiaque et elle ne se rappelle plus de son dernier rendez-vous, ni pourquoi elle y était allée. Pouvez-vous me dire la date et le motif ? On voudrait savoir s'il faut déjà reprendre rendez-vous."])
def _(b):
    return last_encounter(b)

@case('rb24-fr-037', 'Renea_Quigley', 'meaning', [
    "on m'a parlé de maladie rénale débutante à cause du diabète. mon dernier DFG il est comment, c'est grave ?"])
def _(b):
    return latest_obs(b, '33914-3', note="Two 33914-3 results (different displays) on the latest day -> both gold; no referenceRange recorded.")

@case('rb24-fr-038', 'Vito_Feeney', 'value_in_year', [
    "le PSA de mon père en 1977, il était à combien ? c'est l'année où ils ont trouvé le cancer"])
def _(b):
    return in_year(b, '2857-1', 1977, "PSA ng/mL.")

@case('rb24-fr-039', 'AT_ELGA_GmbH_01', 'value_in_year', [
    "Mon cholestérol en 2016 ?"])
def _(b):
    return in_year(b, '2093-3', 2016, "Total cholesterol (Cholesterin) mg/dL.")

@case('rb24-fr-040', LIS, 'followup', [
    "elle avait combien de fièvre quand on l'a amenée pour le covid ?",
    "et son coeur, le pouls, il était à combien ?"])
def _(b):
    return latest_obs(b, '8867-4', note="Heart rate /min at the same visit.")

if __name__ == '__main__':
    rows = run(C, 'fr', os.path.dirname(os.path.abspath(__file__)))
    import collections
    print(collections.Counter(r['kind'] for r in rows)); print(collections.Counter(r['patient'] for r in rows))
