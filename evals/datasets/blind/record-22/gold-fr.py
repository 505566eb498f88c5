#!/usr/bin/env python3
# Gold du jeu français rb22-fr-*. Lancer : python3 gold-fr.py  (recrée l'or et compare aux fichiers enregistrés)
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldlib import *
L = 'fr'
C = []
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
def add(patient, kind, turns, refs, match, values, nf, note):
    C.append(case(f"rb22-fr-{len(C)+1:03d}", L, patient, kind, turns, refs, match, values, nf, note))
def enc_last(k): return by_date(find(k, 'Encounter'))[-1]
def med(k, rx): return find(k, 'MedicationRequest', lambda r: rx in codes(r, 'medicationCodeableConcept'))
def none_matching(k, words):
    import json as _j
    for e in load(k):
        r = e['resource']
        t = _j.dumps({x: r.get(x) for x in ('code', 'vaccineCode', 'medicationCodeableConcept')}, ensure_ascii=False).lower()
        if any(w in t for w in words): return False
    return True
def in_year(es, y): return [e for e in es if day(e).startswith(y)]

# 001 Vito: dernier poids
w = latest_group(obs('Vito_Feeney', '29463-7'))
add('Vito_Feeney', 'latest', ["Bonjour, je m'occupe des papiers de mon père décédé. Il pesait combien à sa dernière pesée chez vous ?"],
    [ref(e) for e in w], 'all', [qty(w[0]), day(w[0])], False, "dernière Observation LOINC 29463-7 par date (kg arrondi à 0,1)")
# 002 Renea: dernier potassium, deux résultats le même jour
k = latest_group(obs('Renea_Quigley', '6298-4'))
add('Renea_Quigley', 'latest', ["c'est combien mon potassium sur la derniere prise de sang ? le cardio m'a dit de surveiller"],
    [ref(e) for e in k], 'all', [qty(e) for e in k] + [day(k[0])], False, "dernière Observation LOINC 6298-4 ; deux résultats le même jour, tous deux or (mmol/L arrondi)")
# 003 Renea: toujours sous ibuprofène ?
ib = by_date(med('Renea_Quigley', '310965'))
assert all(e['resource']['status'] == 'stopped' for e in ib)
add('Renea_Quigley', 'still_on', ["Je prends encore de l'ibuprofène de temps en temps pour ma hanche, c'est toujours prescrit chez vous ou ça a été arrêté ?"],
    [ref(e) for e in ib], 'any', [day(ib[-1])], False, "deux MedicationRequest RxNorm 310965 ibuprofène, status stopped (dernière prescription 2019-10-19) ; le naproxène reste actif")
# 004 Martina: vaccin contre le pneumocoque
pn = find('Martina_Murazik', 'Immunization', lambda r: codes(r, 'vaccineCode') & {'133', '33'})
add('Martina_Murazik', 'ever_had', ["Ma mère a 80 ans passés, est-ce qu'elle a déjà eu le vaccin contre la pneumonie ? Le pharmacien nous pose la question."],
    [ref(e) for e in pn], 'all', [day(e) for e in pn], False, "Immunization CVX 133 (PCV13) et CVX 33 (PPSV23), avec dates")
# 005 Josue: nombre de consultations en 2019
e19 = in_year(find('Josue_Sipes', 'Encounter'), '2019')
add('Josue_Sipes', 'count', ["J'ai l'impression d'avoir passé ma vie chez le médecin en 2019, avec l'AVC et tout. Combien de fois je suis venu cette année-là ? C'est pour ma mutuelle"],
    [ref(e) for e in e19], 'any', [str(len(e19))], False, "nombre d'Encounter avec period.start en 2019")
# 006 AT ELGA: ferritine élevée, avec valeurs de référence
fe = obs('AT_ELGA_GmbH_01', '2276-4')
rr = fe[0]['resource']['referenceRange'][0]
add('AT_ELGA_GmbH_01', 'meaning', ["J'ai fait une prise de sang en Autriche pendant mes vacances au ski, il y a marqué Ferritin 724. C'est grave docteur ? c'est pas un peu haut ?"],
    [ref(fe[0])], 'all', [qty(fe[0], 0), str(rr['low']['value']), str(rr['high']['value'])], False, "Observation LOINC 2276-4 ferritine 724 ug/L, referenceRange 15-400")
# 007 Lisandra: température, sans valeurs de référence
t = obs(LIS, '8331-1')
add(LIS, 'meaning', ["Ma fille avait combien de fièvre quand elle a été vue pour le covid ? j'ai cru lire 41 et quelque, c'est énorme non ?"],
    [ref(t[0])], 'all', [qty(t[0]), day(t[0])], False, "Observation LOINC 8331-1 température orale 41.8 °C (arrondi), pas de referenceRange")
# 008 IPS: vitamine D jamais dosée
assert none_matching('IPS_IG-bundle-01', ['vitamin d', '25-hydroxy', '1989-3', '62292-8'])
add('IPS_IG-bundle-01', 'not_found', ["et ma vitamine D elle était à combien ? on me dit qu'avec l'anastrozole faut surveiller les os"],
    [], 'any', [], True, "aucune Observation vitamine D dans le dossier")
# 009 Luigi: suivi poids bébé -> pesée précédente
lw = by_date(obs('Luigi_Wiegand', '29463-7'))
add('Luigi_Wiegand', 'followup', ["Il pesait combien mon fils à sa dernière visite ?", "et à la visite d'avant ? je veux voir s'il a bien pris"],
    [ref(lw[-2])], 'all', [qty(lw[-2]), day(lw[-2])], False, "avant-dernière Observation LOINC 29463-7 par date (kg arrondi) ; tour 1 = dernière")
# 010 Laurie: nombre de doses HPV
hp = find('Laurie_McCullough', 'Immunization', lambda r: 'hpv' in disp(r, 'vaccineCode').lower())
add('Laurie_McCullough', 'count', ["j'ai eu combien d'injections pour le vaccin papillomavirus ? ma gynéco veut savoir si le schéma est complet"],
    [ref(e) for e in hp], 'all', [str(len(hp))], False, "nombre d'Immunization HPV quadrivalent")

# 011 Josue: dernière fonction rénale (DFG) : deux résultats le même jour
g = latest_group(obs('Josue_Sipes', '33914-3'))
add('Josue_Sipes', 'latest', ["Mon néphrologue me demande ma dernière fonction rénale, le DFG. Vous l'avez ?"],
    [ref(e) for e in g], 'all', [qty(e) for e in g] + [day(g[0])], False,
    "dernière date des Observations LOINC 33914-3 : deux résultats le 2021-03-13 (DFG estimé et DFG 'predicted'), tous deux or, arrondis")
# 012 Daisey: traitements en cours
dm = find('Daisey_Johns', 'MedicationRequest', lambda r: r['status'] == 'active')
add('Daisey_Johns', 'list', ["Bonjour, je suis le papa de Daisey. Elle part en colo cet été et la fiche sanitaire demande tous ses traitements en cours. Elle a ses pompes pour l'asthme, un stylo d'adrénaline je crois, et un truc pour les allergies... vous pouvez me donner la liste exacte de ce qui est noté ?"],
    [ref(e) for e in dm], 'all', [], False, "MedicationRequest status active (4) ; le paracétamol et l'amoxicilline-acide clavulanique sont stopped")
# 013 Emery: problèmes de santé actifs
ec = find('Emery_Purdy', 'Condition', lambda r: r['clinicalStatus']['coding'][0]['code'] == 'active')
add('Emery_Purdy', 'list', ["quels sont mes problèmes de santé en cours dans mon dossier ? je change de médecin traitant"],
    [ref(e) for e in ec], 'all', [], False, "Conditions clinicalStatus active ; les résolues (entorse, bronchite, sinusite, coup du lapin) exclues")
# 014 Fidel: toujours sous diphenhydramine ?
dp = med('Fidel_Bins', '1049630')
assert dp[0]['resource']['status'] == 'active'
add('Fidel_Bins', 'still_on', ["Le comprimé antihistaminique qu'on m'a donné pour mes allergies quand j'étais gamin, la diphenhydramine, c'est toujours sur mon ordonnance ? Ça m'endort complètement"],
    [ref(dp[0])], 'all', [day(dp[0])], False, "MedicationRequest RxNorm 1049630 status active depuis 1977-11-01, aucun arrêt enregistré")
# 015 Annmarie: cholestérol en 2017
ac = in_year(obs('Annmarie_Doyle', '2093-3'), '2017')
assert len(ac) == 1
add('Annmarie_Doyle', 'value_in_year', ["Mon cholestérol total en 2017, c'était combien ?"],
    [ref(ac[0])], 'all', [qty(ac[0]), day(ac[0])], False, "Observation LOINC 2093-3 datée 2017 (une), mg/dL arrondi")
# 016 MEDITECH: pacemaker
pm = find('US_MEDITECH_ips_2', 'Procedure', lambda r: '175135009' in codes(r))
add('US_MEDITECH_ips_2', 'ever_had', ["Est-ce que c'est noté dans mon dossier qu'on m'a posé un pacemaker ? Je dois passer une IRM et le manipulateur me demande la date"],
    [ref(e) for e in pm], 'any', [day(e) for e in pm], False, "Procedure SNOMED 175135009 pose de pacemaker par voie veineuse 2011-10-05 (DeviceUseStatement défibrillateur de resynchronisation aussi présent)")
# 017 MEDITECH: toujours sous darbépoétine ?
dr = find('US_MEDITECH_ips_2', 'MedicationRequest', lambda r: 'darbepoetin' in r['medicationReference'].get('display', ''))
ds = find('US_MEDITECH_ips_2', 'MedicationStatement', lambda r: '55513003201' in codes(r, 'medicationCodeableConcept'))
assert dr[0]['resource']['status'] == 'active' and ds[0]['resource']['status'] == 'active'
add('US_MEDITECH_ips_2', 'still_on', ["les piqûres pour l'anémie (aranesp / darbépoétine), je suis toujours censée les faire ?"],
    [ref(dr[0]), ref(ds[0])], 'any', [day(dr[0])], False, "MedicationRequest darbepoetin status active (2020-11-16) ; MedicationStatement NDC 55513003201 active, sans date de fin")
# 018 Liz: dernière tension (panel à composantes)
bp = latest_group(obs('Liz_Conn', '55284-4'))
add('Liz_Conn', 'latest', ["ma tension la dernière fois, c'était combien ? je suis sous hydrochlorothiazide depuis des années"],
    [ref(e) for e in bp], 'all', [comp(bp[0], '8480-6'), comp(bp[0], '8462-4'), day(bp[0])], False,
    "dernière Observation LOINC 55284-4 ; composantes systolique 8480-6 / diastolique 8462-4 arrondies au mmHg")
# 019 Lupe: dernière consultation
lv = enc_last('Lupe_Little')
add('Lupe_Little', 'last_visit', ["C'était quand mon dernier rendez-vous au cabinet et pour quoi ? Je me souviens plus si c'était la sinusite ou le bilan"],
    [ref(lv)], 'all', [day(lv)], False, "dernier Encounter par period.start (consultation pour symptôme, sinusite virale)")
# 020 IPS: cancer du sein (en rémission)
bc = find('IPS_IG-bundle-01', 'Condition', lambda r: '254837009' in codes(r))
add('IPS_IG-bundle-01', 'ever_had', ["Est-ce que mon cancer du sein apparaît dans ce résumé ? et il est noté comment, guéri ?"],
    [ref(e) for e in bc], 'all', ['2015'], False, "Condition SNOMED 254837009 clinicalStatus remission, onset 2015-01 (date partielle), abatement 2015-03")

def etype(r): return {c.get('code') for t in r.get('type', []) for c in t.get('coding', [])}
# 021 AT ELGA: nombre de doses vaccin tique (FSME / Encepur)
ti = find('AT_ELGA_GmbH_01', 'Immunization', lambda r: 'J07BA01' in codes(r, 'vaccineCode') and r['status'] == 'completed')
add('AT_ELGA_GmbH_01', 'count', ["On habite près de la forêt, j'ai eu combien de doses du vaccin contre l'encéphalite à tiques ? Je sais plus si j'ai fait le rappel"],
    [ref(e) for e in ti], 'all', [str(len(ti))] + [day(e) for e in ti], False, "Immunization ATC J07BA01 (Encepur) completed : nombre et dates")
# 022 AT ELGA: liste des allergies
aa = find('AT_ELGA_GmbH_01', 'AllergyIntolerance')
add('AT_ELGA_GmbH_01', 'list', ["j'ai quelles allergies dans mon dossier autrichien ? c'est pour l'anesthésiste"],
    [ref(e) for e in aa], 'all', [], False, "une seule AllergyIntolerance (sans id, fullUrl) : intolérance médicamenteuse à la pénicilline")
# 023 Vito: nombre de biopsies de prostate
bx = find('Vito_Feeney', 'Procedure', lambda r: '65575008' in codes(r))
add('Vito_Feeney', 'count', ["Mon père a eu combien de biopsies de la prostate en tout avant qu'on trouve le cancer ? On fait un arbre médical familial avec mes frères"],
    [ref(e) for e in bx], 'any', [str(len(bx))], False, "nombre de Procedure SNOMED 65575008 biopsie de prostate")
# 024 Renea: dernière consultation
rv = enc_last('Renea_Quigley')
add('Renea_Quigley', 'last_visit', ["je suis venue quand la dernière fois ?"],
    [ref(rv)], 'all', [day(rv)], False, "dernier Encounter par period.start (bilan de santé)")
# 025 Martina: souffle (FEV1/FVC) en 2017
fv = in_year(obs('Martina_Murazik', '19926-5'), '2017')
assert len(fv) == 1
add('Martina_Murazik', 'value_in_year', ["Maman fait des tests de souffle tous les ans pour sa BPCO. Le résultat de 2017 c'était combien ? le rapport là, VEMS sur CVF je crois"],
    [ref(fv[0])], 'all', [qty(fv[0]), day(fv[0])], False, "Observation LOINC 19926-5 FEV1/FVC datée 2017 (une), % arrondi")
# 026 Laurie: vaccin covid absent
assert none_matching('Laurie_McCullough', ['covid', 'sars']) and not find('Laurie_McCullough', 'Immunization', lambda r: codes(r, 'vaccineCode') & {'207', '208', '212', '210', '211', '213'})
add('Laurie_McCullough', 'not_found', ["Vous pouvez me retrouver la date de mon vaccin covid ? j'ai perdu mon attestation et j'en ai besoin pour le boulot"],
    [], 'any', [], True, "aucune Immunization COVID-19 dans le dossier")
# 027 Luigi: ROR pas encore fait
assert none_matching('Luigi_Wiegand', ['mmr', 'measles'])
add('Luigi_Wiegand', 'not_found', ["la crèche demande la date de son vaccin ROR, c'est noté où ?"],
    [], 'any', [], True, "aucune Immunization MMR/ROR (nourrisson, seulement les vaccins des premiers mois)")
# 028 Daisey: nombre de vaccins grippe
fl = find('Daisey_Johns', 'Immunization', lambda r: '140' in codes(r, 'vaccineCode'))
add('Daisey_Johns', 'count', ["Daisey a eu combien de fois le vaccin de la grippe depuis qu'elle est née ?"],
    [ref(e) for e in fl], 'any', [str(len(fl))], False, "nombre d'Immunization CVX 140 sur tout le dossier")
# 029 Annmarie: amoxicilline-acide clavulanique arrêtée
am = med('Annmarie_Doyle', '562251')
assert am[0]['resource']['status'] == 'stopped'
add('Annmarie_Doyle', 'still_on', ["Il me reste une boîte d'augmentin dans l'armoire, c'est encore un traitement en cours pour moi ou pas du tout ?"],
    [ref(am[0])], 'all', [day(am[0])], False, "MedicationRequest RxNorm 562251 amoxicilline/clavulanate status stopped, prescrite le 2011-10-01 (sinusite)")
# 030 Fidel: suivi urgences -> nombre de suivis asthme
fu = find('Fidel_Bins', 'Encounter', lambda r: '394701000' in etype(r))
add('Fidel_Bins', 'followup', ["C'était quand mon passage aux urgences pour l'asthme ?", "et en tout j'ai eu combien de rendez-vous de suivi pour l'asthme ?"],
    [ref(e) for e in fu], 'any', [str(len(fu))], False, "nombre d'Encounter type SNOMED 394701000 (Asthma follow-up) ; tour 1 = Encounter urgence 2019-01-23")

# 031 Lisandra: grippe ? tests A et B négatifs
fl = find(LIS, 'Observation', lambda r: codes(r) & {'92142-9', '92141-1'} and 'valueCodeableConcept' in r)
add(LIS, 'ever_had', ["Et la grippe, elle l'avait aussi en même temps que le covid ou pas ?"],
    [ref(e) for e in fl], 'any', [day(fl[0])], False, "Observations LOINC 92142-9 / 92141-1 (grippe A et B) codées Negative ; les jumelles '{entry.value}' ne portent pas de résultat")
# 032 Emery: dernière consultation
ev = enc_last('Emery_Purdy')
add('Emery_Purdy', 'last_visit', ["mon dernier rdv chez vous remonte à quand ? et c'était un bilan ou autre chose ?"],
    [ref(ev)], 'all', [day(ev)], False, "dernier Encounter par period.start (bilan de santé)")
# 033 Josue: suivi vaccin grippe -> combien depuis 2015
jf = by_date(find('Josue_Sipes', 'Immunization', lambda r: '140' in codes(r, 'vaccineCode')))
since = [e for e in jf if day(e) >= '2015']
add('Josue_Sipes', 'followup', ["mon dernier vaccin contre la grippe, c'était quand ?", "ok et j'en ai fait combien depuis 2015 ?"],
    [ref(e) for e in since], 'any', [str(len(since))], False, "nombre d'Immunization CVX 140 datées à partir du 2015-01-01 ; tour 1 = 2020-09-12")
# 034 Martina: fraction d'éjection, deux mesures le même jour
ef = latest_group(obs('Martina_Murazik', '10230-1'))
add('Martina_Murazik', 'meaning', ["Sur l'écho du cœur de ma mère il y a marqué fraction d'éjection, c'est quoi et son chiffre est normal ? Le cardiologue a parlé d'insuffisance cardiaque mais on n'a pas tout compris"],
    [ref(e) for e in ef], 'all', [qty(e) for e in ef], False, "Observations LOINC 10230-1 : deux valeurs le 2020-06-15 (32.9 et 38.7 %, arrondies), pas de referenceRange ; toutes deux or")
# 035 Liz: poids en 2015
lw = in_year(obs('Liz_Conn', '29463-7'), '2015')
assert len(lw) == 1
add('Liz_Conn', 'value_in_year', ["Je pesais combien à mon bilan de 2015 ? j'ai l'impression d'avoir pris 10 kilos depuis"],
    [ref(lw[0])], 'all', [qty(lw[0])], False, "Observation LOINC 29463-7 datée 2015 (une), kg arrondi")
# 036 Lupe: suivi cholestérol -> valeur de 2013
lc = in_year(obs('Lupe_Little', '2093-3'), '2013')
assert len(lc) == 1
add('Lupe_Little', 'followup', ["Mon dernier cholestérol c'était combien ?", "Et celui de 2013 ? Pour comparer"],
    [ref(lc[0])], 'all', [qty(lc[0])], False, "Observation LOINC 2093-3 datée 2013 (une), mg/dL arrondi ; tour 1 = 2016-07-20")
# 037 Renea: IRM du genou absente
assert none_matching('Renea_Quigley', ['mri', 'magnetic', 'knee']) and not find('Renea_Quigley', 'ImagingStudy')
add('Renea_Quigley', 'not_found', ["Bonjour, j'ai mal au genou depuis ma chute. Le kiné voudrait le compte rendu de mon IRM du genou, il dit qu'elle est dans mon dossier. Vous la voyez ?"],
    [], 'any', [], True, "aucune ImagingStudy, Procedure ou Observation d'IRM du genou dans le dossier")
# 038 IPS: groupe sanguin
gs = obs('IPS_IG-bundle-01', '882-1')
add('IPS_IG-bundle-01', 'latest', ["c'est quoi mon groupe sanguin ?"],
    [ref(e) for e in gs], 'all', [day(gs[0])], False, "Observation LOINC 882-1 (groupe A Rh positif), seule valeur")
# 039 Daisey: IgE arachide
pe = obs('Daisey_Johns', '6206-7')
assert not pe[0]['resource'].get('referenceRange')
add('Daisey_Johns', 'meaning', ["Sur les tests d'allergie de ma fille il y a 'Peanut IgE 0,31'. Ça veut dire qu'elle est allergique à l'arachide ? On hésite à lui donner des cacahuètes"],
    [ref(pe[0])], 'all', [qty(pe[0], 2), day(pe[0])], False, "Observation LOINC 6206-7 IgE arachide 0.31 kU/L, pas de referenceRange ; aucune AllergyIntolerance arachide")
# 040 Emery: vaccin tétanos
td = find('Emery_Purdy', 'Immunization', lambda r: '113' in codes(r, 'vaccineCode'))
add('Emery_Purdy', 'ever_had', ["Je me suis coupé avec un outil rouillé dans le jardin, je suis à jour pour le tétanos ? c'était quand mon dernier rappel"],
    [ref(e) for e in td], 'all', [day(e) for e in td], False, "Immunization CVX 113 Td adulte, une seule, avec date")

main(L, C)
