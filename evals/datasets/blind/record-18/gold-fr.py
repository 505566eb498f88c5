#!/usr/bin/env python3
# Gold computation for blind set record-18 (fr). Stdlib only.
# Usage: python3 gold-fr.py            -> prints all cases with gold as JSON lines
#        python3 gold-fr.py --check    -> compares recomputed gold fields with saved fr-*.jsonl
#        python3 gold-fr.py --write N  -> writes fr-0N.jsonl (only if it does not exist yet)
# ---- shared helpers (stdlib only) ----
import json, glob, os, sys
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
_cache = {}

def load(p):
    if p not in _cache:
        fs = glob.glob(f'{SYN}/{p}_*.json')
        f = fs[0] if fs else f'{RW}/{p}.json'
        _cache[p] = json.load(open(f, encoding='utf-8'))
    return _cache[p]

def ents(p, t=None):
    return [e for e in load(p)['entry'] if t is None or e['resource']['resourceType'] == t]

def ref(e):
    r = e['resource']
    return f"{r['resourceType']}/{r['id']}" if r.get('id') else e['fullUrl']

def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def odate(r):
    return (r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start')
            or r.get('issued') or '')

def edate(r):  # encounter start
    return (r.get('period') or {}).get('start', '')

def pdate(r):  # procedure date
    return r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start', '')

def idate(r):
    return r.get('occurrenceDateTime', '')

def obs(p, code, disp=None):
    out = [e for e in ents(p, 'Observation') if code in codes(e['resource']['code'])
           and (disp is None or disp.lower() in json.dumps(e['resource']['code']).lower())]
    return sorted(out, key=lambda e: odate(e['resource']))

def qv(r):
    return r['valueQuantity']['value']

def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c['code']):
            return c['valueQuantity']['value']

def r0(x):  # integer as a reply would give it
    return str(int(round(x)))

def r1(x):
    return f"{round(x, 1):.1f}"

def d(s):
    return s[:10]

def imms(p, cvx=None, pred=None):
    out = [e for e in ents(p, 'Immunization')
           if (cvx is None or cvx in codes(e['resource']['vaccineCode']))
           and (pred is None or pred(e['resource']))]
    return sorted(out, key=lambda e: idate(e['resource']))

def encs(p, pred=None):
    out = [e for e in ents(p, 'Encounter') if pred is None or pred(e['resource'])]
    return sorted(out, key=lambda e: edate(e['resource']))

def procs(p, code=None):
    out = [e for e in ents(p, 'Procedure') if code is None or code in codes(e['resource']['code'])]
    return sorted(out, key=lambda e: pdate(e['resource']))

def by_id(p, rid):
    for e in load(p)['entry']:
        if e['resource'].get('id') == rid or e.get('fullUrl') == rid:
            return e
    raise KeyError(rid)

def G(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values,
            'expect_not_found': nf, 'note': note}

def NF(note):
    return G([], [], note, match='all', nf=True)

def run(CASES, prefix, outdir):
    # default: print the cases with freshly computed gold; --write N writes <prefix>-0N.jsonl if absent
    rows = []
    for c in CASES:
        g = c['gold']()
        row = {'id': c['id'], 'lang': c['lang'], 'patient': c['patient'], 'kind': c['kind'],
               'turns': c['turns']}
        row.update(g)
        rows.append(row)
    args = sys.argv[1:]
    if args and args[0] == '--write':
        n = int(args[1])
        chunk = rows[(n - 1) * 10: n * 10]
        path = os.path.join(outdir, f'{prefix}-{n:02d}.jsonl')
        if os.path.exists(path):
            print('exists, not rewriting', path); return
        with open(path, 'w', encoding='utf-8') as f:
            for r in chunk:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
        print('wrote', path, len(chunk))
    elif args and args[0] == '--check':
        # compare gold fields with saved files
        saved = {}
        for f in sorted(glob.glob(os.path.join(outdir, f'{prefix}-*.jsonl'))):
            for l in open(f, encoding='utf-8'):
                o = json.loads(l); saved[o['id']] = o
        bad = 0
        for r in rows:
            s = saved.get(r['id'])
            if s is None: print('not saved yet', r['id']); continue
            for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found'):
                if s[k] != r[k]: print('DIFF', r['id'], k, s[k], r[k]); bad += 1
        print('checked', len(rows), 'diffs', bad)
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
# ---- French cases (written natively) ----
CASES = []
LIS = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
def case(i, patient, kind, turns):
    def deco(fn):
        CASES.append({'id': f'rb18-fr-{i:03d}', 'lang': 'fr', 'patient': patient, 'kind': kind,
                      'turns': turns, 'gold': fn})
        return fn
    return deco

def medreq(p, rxnorm):
    es = [e for e in ents(p, 'MedicationRequest') if rxnorm in codes(e['resource'].get('medicationCodeableConcept'))]
    assert len(es) == 1, (p, rxnorm, len(es))
    return es[0]

@case(1, 'Josue_Sipes', 'still_on', [
    "Bonjour, depuis qu'on m'a mis sous insuline l'an dernier je ne sais plus si je dois continuer la metformine ou si l'insuline l'a remplacée. Mon pharmacien me pose la question à chaque renouvellement et je n'ose pas lui dire que je ne sais pas 😅 C'est noté où dans mon dossier ?"])
def _():
    e = medreq('Josue_Sipes', '860975'); r = e['resource']
    ins = medreq('Josue_Sipes', '106892')
    assert r['status'] == 'active' and ins['resource']['status'] == 'active'
    return G([ref(e)], [d(r['authoredOn'])],
             f"MedicationRequest metformin 500 MG ER (RxNorm 860975) status active since {d(r['authoredOn'])}, not stopped; insulin (Humulin 70/30, {ref(ins)}) also active since {d(ins['resource']['authoredOn'])}: both ongoing per record")

@case(2, 'Laurie_McCullough', 'still_on', [
    "je suis toujours sous pilule d'après mon dossier ? la jolivette. je l'ai plus depuis un moment je crois mais le gynéco me demande"])
def _():
    e = medreq('Laurie_McCullough', '757594'); r = e['resource']
    assert r['status'] == 'stopped'
    return G([ref(e)], [d(r['authoredOn'])],
             f"MedicationRequest Jolivette 28 Day Pack (RxNorm 757594) status stopped, prescribed {d(r['authoredOn'])}: no longer on it per the record")

@case(3, 'AT_ELGA_GmbH_01', 'count', [
    "On part randonner en Autriche cet été et on m'a parlé du vaccin contre l'encéphalite à tiques. J'en ai déjà eu plusieurs je crois, quand j'habitais là-bas. Combien de doses sont notées dans mon dossier, et à quelles dates ?"])
def _():
    p = 'AT_ELGA_GmbH_01'
    es = sorted([e for e in ents(p, 'Immunization') if 'J07BA01' in codes(e['resource']['vaccineCode'])], key=lambda e: idate(e['resource']))
    return G([ref(e) for e in es], [str(len(es))] + [d(idate(e['resource'])) for e in es],
             "Immunizations ATC J07BA01 (FSME / tick-borne encephalitis, ENCEPUR), completed: " + ', '.join(d(idate(e['resource'])) for e in es) + " (doses 1-3)")

@case(4, 'Daisey_Johns', 'list', [
    "Bonjour, ma fille Daisey part en classe verte et l'école demande la liste complète de ses allergies pour le PAI. Je sais qu'il y a les œufs et le poisson mais je crois qu'il y en a d'autres. Vous pouvez me les lister ?"])
def _():
    es = ents('Daisey_Johns', 'AllergyIntolerance')
    assert all(x['resource']['clinicalStatus']['coding'][0]['code'] == 'active' for x in es)
    return G([ref(x) for x in es], [],
             f"all {len(es)} AllergyIntolerance entries, all active: bee venom, mould, house dust mite, animal dander, grass pollen, tree pollen, eggs, fish")

@case(5, LIS, 'latest', [
    "Quand ma fille a eu le covid en février 2020 elle était brûlante, on l'a emmenée consulter. Elle avait combien de fièvre exactement ce jour-là d'après le dossier ?"])
def _():
    es = obs(LIS, '8331-1'); assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r1(qv(r))],
             f"Observation LOINC 8331-1 oral temperature {qv(r)} Cel on {d(odate(r))} (only temperature; the embedded C-CDA shows the same value)")

@case(6, 'IPS_IG-bundle-01', 'latest', [
    "c'est quoi mon groupe sanguin ? je vais donner mon sang samedi"])
def _():
    es = obs('IPS_IG-bundle-01', '882-1'); assert len(es) == 1
    return G([ref(es[0])], [],
             "Observation LOINC 882-1 ABO and Rh group = 'Blood group A Rh(D) positive' on 2015-10-10 (answer must say A positive)")

@case(7, 'Emery_Purdy', 'followup', [
    "C'était combien ma glycémie sur la dernière prise de sang ?",
    "et en 2018 ?"])
def _():
    es = [e for e in obs('Emery_Purdy', '2339-0') if odate(e['resource']).startswith('2018')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"glucose LOINC 2339-0 in 2018: {qv(r)} mg/dL on {d(odate(r))}")

@case(8, 'Annmarie_Doyle', 'last_visit', [
    "Bonjour, je m'occupe des papiers de ma mère (87 ans). Elle me dit qu'elle n'a pas vu de médecin depuis « des années », moi j'ai un doute. C'était quand sa dernière consultation et pour quoi ?"])
def _():
    e = encs('Annmarie_Doyle')[-1]; r = e['resource']
    return G([ref(e)], [d(edate(r))],
             f"latest Encounter by period.start: {d(edate(r))} ({r['type'][0]['coding'][0]['display']}; flu vaccine and lipid panel that day)")

@case(9, 'Vito_Feeney', 'value_in_year', [
    "Mon grand-père est décédé d'un cancer de la prostate en 1979. Pour le dossier d'oncogénétique de mon père, j'aurais besoin de son PSA de 1973, l'année où ils ont fait une biopsie. C'était combien ?"])
def _():
    es = [e for e in obs('Vito_Feeney', '2857-1') if odate(e['resource']).startswith('1973')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r1(qv(r))],
             f"PSA LOINC 2857-1 in 1973: {qv(r)} ng/mL on {d(odate(r))}")

@case(10, 'US_MEDITECH_ips_2', 'ever_had', [
    "Est-ce que j'ai déjà fait le vaccin contre la grippe ? L'infirmière du centre de dialyse dit qu'avec ma greffe je devrais l'avoir tous les ans."])
def _():
    p = 'US_MEDITECH_ips_2'
    fl = [e for e in ents(p, 'Immunization') if 'influenza' in json.dumps(e['resource']['vaccineCode']).lower()]
    assert len(fl) == 1 and fl[0]['resource']['status'] == 'not-done'
    return G([ref(fl[0])], [d(fl[0]['resource']['occurrenceDateTime'])],
             "only influenza Immunization (Influenza Intradermal, CVX 166) has status not-done, statusReason PATOBJ (patient objection) on 2015-06-22: NO flu vaccine given in the record (it was refused); the other Immunization is DTaP 2012-01-04")

@case(11, 'Martina_Murazik', 'ever_had', [
    "Avec ma BPCO le pneumologue insiste pour que je sois vaccinée contre le pneumocoque. Je crois que c'est déjà fait mais je ne retrouve plus mon carnet. C'est noté quelque part ?"])
def _():
    es = sorted([e for e in ents('Martina_Murazik', 'Immunization') if set(codes(e['resource']['vaccineCode'])) & {'133', '33'}], key=lambda e: idate(e['resource']))
    assert len(es) == 2
    return G([ref(e) for e in es], [d(idate(e['resource'])) for e in es],
             "yes: Immunization PCV13 (CVX 133) 2018-08-18 and PPSV23 (CVX 33) 2019-08-24, both completed")

@case(12, 'Josue_Sipes', 'ever_had', [
    "Mon fils dit que j'ai fait un petit AVC il y a deux ans, moi je me souviens surtout d'avoir été très fatigué et d'un examen aux rayons. C'est vrai ? C'est marqué dans mon dossier ?"])
def _():
    p = 'Josue_Sipes'
    c = [e for e in ents(p, 'Condition') if '230690007' in codes(e['resource']['code'])]
    pr = procs(p, '433112001')
    assert len(c) == 1
    return G([ref(c[0])] + [ref(x) for x in pr], [d(c[0]['resource']['onsetDateTime'])],
             "Condition Stroke (SNOMED 230690007) onset 2019-01-26, active; same day a percutaneous mechanical thrombectomy Procedure, clopidogrel and alteplase prescribed; citing the Condition or the procedure counts", match='any')

@case(13, 'AT_ELGA_GmbH_01', 'meaning', [
    "Mon bilan thyroïdien fait à Vienne : TSH à 1,0. C'est normal ? Je n'arrive pas à lire les normes sur le compte-rendu, tout est en allemand."])
def _():
    es = obs('AT_ELGA_GmbH_01', '3016-3'); assert len(es) == 1; r = es[0]['resource']
    rr = r['referenceRange'][0]
    return G([ref(es[0])], [str(qv(r)), str(rr['low']['value']), str(rr['high']['value'])],
             f"TSH LOINC 3016-3 = {qv(r)} uIU/mL on {d(odate(r))}, referenceRange {rr['low']['value']}-{rr['high']['value']}, interpretation N: within range")

@case(14, 'Liz_Conn', 'last_visit', [
    "c'était quand la dernière fois que j'ai vu un médecin ?? ça fait une éternité j'ai l'impression"])
def _():
    e = encs('Liz_Conn')[-1]; r = e['resource']
    return G([ref(e)], [d(edate(r))],
             f"latest Encounter by period.start: {d(edate(r))} ({r['type'][0]['coding'][0]['display']}; flu + Td vaccines and lipid panel that day)")

@case(15, 'Lupe_Little', 'previous', [
    "J'ai pris pas mal de kilos ces dernières années, je le sais. Sur la pesée d'avant la dernière, je faisais combien ?"])
def _():
    es = obs('Lupe_Little', '29463-7'); e = es[-2]; r = e['resource']
    return G([ref(e)], [r1(qv(r))],
             f"second-latest body weight LOINC 29463-7: {qv(r)} kg on {d(odate(r))} (latest {qv(es[-1]['resource']):.1f} kg on {d(odate(es[-1]['resource']))})")

@case(16, 'Renea_Quigley', 'still_on', [
    "Pour mon arthrose de la hanche on m'avait donné du naproxène. Avec mes reins qui commencent à fatiguer, ma fille (infirmière) me dit que ce n'est pas top. Est-ce que c'est toujours sur mon traitement en cours ?"])
def _():
    e = medreq('Renea_Quigley', '849574'); r = e['resource']
    assert r['status'] == 'active'
    return G([ref(e)], [d(r['authoredOn'])],
             f"MedicationRequest naproxen sodium 220 MG (RxNorm 849574) status active since {d(r['authoredOn'])} (for hip osteoarthritis), never stopped: still on it per record")

@case(17, 'IPS_IG-bundle-01', 'ever_had', [
    "Avant mon opération on me demande si j'ai déjà été porteuse d'un staphylocoque doré résistant (SARM). Je n'en ai aucune idée... vous voyez quelque chose ?"])
def _():
    es = [e for e in ents('IPS_IG-bundle-01', 'Observation') if '115329001' in json.dumps(e['resource'].get('valueCodeableConcept', {}))]
    assert len(es) == 1
    return G([ref(es[0])], [d(odate(es[0]['resource']))],
             "Observation LOINC 42803-7 'Bacteria identified in Isolate' = Methicillin resistant Staphylococcus aureus (SNOMED 115329001) on 2017-12-10: yes, MRSA found")

@case(18, 'Fidel_Bins', 'count', [
    "combien de fois j'ai fini aux urgences à cause de mon asthme ? mon nouveau pneumo veut savoir"])
def _():
    es = encs('Fidel_Bins', lambda r: r['class']['code'] == 'EMER')
    assert all('195967001' in json.dumps(e['resource'].get('reasonCode', [])) for e in es)
    return G([ref(e) for e in es], [str(len(es))],
             "count of Encounters class EMER (emergency hospital admission for asthma): " + ', '.join(d(edate(e['resource'])) for e in es))

@case(19, 'Luigi_Wiegand', 'followup', [
    "Il pesait combien Luigi à sa dernière visite chez le pédiatre ?",
    "et à la toute première pesée ?"])
def _():
    es = obs('Luigi_Wiegand', '29463-7'); e = es[0]; r = e['resource']
    return G([ref(e)], [f"{qv(r):.2f}"],
             f"first body weight LOINC 29463-7: {qv(r)} kg on {d(odate(r))} (the 2020-11-24 weight repeats the same value; the earliest is {d(odate(r))})")

@case(20, 'Martina_Murazik', 'meaning', [
    "Bonsoir. Ma mère a fait une prise de sang au printemps 2020 quand elle a commencé à avoir les jambes gonflées et à s'essouffler. Il y avait un dosage du « NT-proBNP » que le cardiologue a regardé d'un air sérieux. C'était combien, et c'est censé être à combien normalement ? Elle a 67 ans."])
def _():
    es = obs('Martina_Murazik', '33762-6'); assert len(es) == 1; r = es[0]['resource']
    assert 'referenceRange' not in r
    return G([ref(es[0])], [r0(qv(r))],
             f"NT-proBNP LOINC 33762-6 = {qv(r)} pg/mL on {d(odate(r))}; no referenceRange in the record (answer should say so; chronic heart failure diagnosed the same day)")

@case(21, 'Daisey_Johns', 'latest', [
    "Bonjour ! Pour acheter un siège auto adapté j'ai besoin du poids de ma fille. C'était combien à sa dernière pesée chez le médecin ?"])
def _():
    e = obs('Daisey_Johns', '29463-7')[-1]; r = e['resource']
    return G([ref(e)], [r1(qv(r))],
             f"latest body weight LOINC 29463-7: {qv(r)} kg on {d(odate(r))}")

@case(22, 'Josue_Sipes', 'count', [
    "Je me fais vacciner contre la grippe chaque automne à la pharmacie ou chez le médecin, enfin je crois. Au total, combien de vaccins antigrippaux sont enregistrés dans mon dossier ?"])
def _():
    es = imms('Josue_Sipes', '140')
    return G([ref(e) for e in es], [str(len(es))],
             f"count of Immunization CVX 140 (seasonal influenza): {len(es)} (" + ', '.join(d(idate(e['resource'])) for e in es) + ")", match='any')

@case(23, 'US_MEDITECH_ips_2', 'still_on', [
    "En 2015 on m'a donné un antibiotique en perfusion, la ceftriaxone je crois, quand j'avais de la fièvre. Est-ce que c'est toujours actif dans mon dossier ? Mon infirmier à domicile a vu ce nom dans une liste et s'inquiète."])
def _():
    p = 'US_MEDITECH_ips_2'
    es = [e for e in ents(p, 'MedicationRequest') if 'ceftriaxone' in e['resource']['medicationReference'].get('display', '').lower()]
    assert len(es) == 1; r = es[0]['resource']
    assert r['status'] == 'stopped'
    vp = r['dispenseRequest']['validityPeriod']
    return G([ref(es[0])], [vp['end']],
             f"MedicationRequest ceftriaxone status stopped; dosage text 'start: 2015-06-22 ~ end: 2015-06-30', validityPeriod {vp['start']} to {vp['end']}: finished, not current")

@case(24, 'Emery_Purdy', 'not_found', [
    "Je suis diabétique depuis 2007. Mon ophtalmo me demande les résultats de mon dernier fond d'œil, vous pouvez me les retrouver ?"])
def _():
    s = json.dumps(load('Emery_Purdy')).lower()
    assert not any(w in s for w in ['retin', 'ophthal', 'fundus', ' eye'])
    return NF("no eye exam / fundoscopy / retinal screening procedure, observation or report in the record (diabetes since 2007 is recorded)")

@case(25, 'Laurie_McCullough', 'count', [
    "jai eu combien de doses du vaccin contre le papillomavirus ? 2 ou 3 ?? ma gynéco dit qu'il en faut peut-être une autre"])
def _():
    es = imms('Laurie_McCullough', '62')
    return G([ref(e) for e in es], [str(len(es))],
             "count of Immunization CVX 62 (HPV quadrivalent): " + ', '.join(d(idate(e['resource'])) for e in es))

@case(26, 'AT_ELGA_GmbH_01', 'meaning', [
    "Je travaille en crèche et il y a un cas de rougeole. J'ai fait une sérologie rougeole en 2016 en Autriche, résultat 0,07. Ça veut dire que je suis protégée ou pas ? C'est quoi la valeur normale ?"])
def _():
    es = obs('AT_ELGA_GmbH_01', '7961-6'); assert len(es) == 1; r = es[0]['resource']
    rr = r['referenceRange'][0]
    return G([ref(es[0])], [str(qv(r)), str(rr['low']['value'])],
             f"measles IgG LOINC 7961-6 = {qv(r)} IU/mL on {d(odate(r))}, referenceRange low {rr['low']['value']}, interpretation NEG: below threshold, not shown to be immune")

@case(27, 'Lupe_Little', 'last_visit', [
    "Ma dernière consultation c'était pour quoi déjà ? Et c'était quand ? Je dois remplir un formulaire pour la mutuelle."])
def _():
    e = encs('Lupe_Little')[-1]; r = e['resource']
    c = [x for x in ents('Lupe_Little', 'Condition') if x['resource'].get('onsetDateTime', '')[:10] == d(edate(r))]
    return G([ref(e)] + [ref(x) for x in c], [d(edate(r))],
             f"latest Encounter {d(edate(r))}, 'Encounter for symptom', reason Viral sinusitis; Encounter or the matching Condition may be cited", match='any')

@case(28, 'Vito_Feeney', 'followup', [
    "Quelle était la dernière hémoglobine glyquée de mon grand-père Vito avant son décès ?",
    "Et combien de fois on la lui a mesurée en 1978 ?"])
def _():
    es = [e for e in obs('Vito_Feeney', '4548-4') if odate(e['resource']).startswith('1978')]
    return G([ref(e) for e in es], [str(len(es))],
             f"count of Observation LOINC 4548-4 dated 1978: {len(es)}; count decisive", match='any')

@case(29, 'IPS_IG-bundle-01', 'list', [
    "Je vois une nouvelle généraliste la semaine prochaine. Quels sont les problèmes de santé inscrits dans mon dossier ?"])
def _():
    es = ents('IPS_IG-bundle-01', 'Condition')
    assert len(es) == 2
    return G([ref(e) for e in es], [],
             "both Conditions: menopausal flushing (active, onset 2015) and malignant tumour of breast (clinicalStatus remission, onset 2015-01, abatement 2015-03)")

@case(30, 'Renea_Quigley', 'last_visit', [
    "quand est ce que j'ai vu le médecin pour la dernière fois ? c'est là qu'on m'a parlé de l'insuline je crois"])
def _():
    e = encs('Renea_Quigley')[-1]; r = e['resource']
    return G([ref(e)], [d(edate(r))],
             f"latest Encounter by period.start {d(edate(r))} (check-up); insulin Humulin 70/30 MedicationRequest authored the same day")

@case(31, 'Martina_Murazik', 'list', [
    "Bonjour, je prépare le pilulier de maman pour la semaine (elle a 67 ans, insuffisance cardiaque + BPCO). Je me mélange un peu entre ce qu'elle prend encore et ce qui a été arrêté. Quels médicaments sont en cours dans son dossier ?"])
def _():
    es = [e for e in ents('Martina_Murazik', 'MedicationRequest') if e['resource']['status'] == 'active']
    return G([ref(e) for e in es], [],
             "active MedicationRequests: " + '; '.join(e['resource']['medicationCodeableConcept']['coding'][0]['display'] for e in es))

@case(32, 'Josue_Sipes', 'followup', [
    "mon cholestérol total il était à combien à la dernière prise de sang ?",
    "et en 2016 ?"])
def _():
    es = [e for e in obs('Josue_Sipes', '2093-3') if odate(e['resource']).startswith('2016')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r0(qv(r))],
             f"total cholesterol LOINC 2093-3 in 2016: {qv(r)} mg/dL on {d(odate(r))} (the latest date 2021-03-13 has two values, not asked in turn 2)")

@case(33, 'Liz_Conn', 'not_found', [
    "J'ai reçu un courrier de l'Assurance maladie pour le dépistage du cancer du col. C'était quand mon dernier frottis et qu'est-ce qu'il a donné ?"])
def _():
    s = json.dumps(load('Liz_Conn')).lower()
    assert not any(w in s for w in ['cervical', 'papanicolaou', 'cytolog', 'hpv'])
    return NF("no cervical smear / Pap / HPV test procedure, observation or report in the record")

@case(34, 'Fidel_Bins', 'value_in_year', [
    "Mon hémoglobine en 2017, elle était à combien ? Le labo dit qu'elle a baissé depuis la fois d'avant."])
def _():
    es = [e for e in obs('Fidel_Bins', '718-7') if odate(e['resource']).startswith('2017')]
    assert len(es) == 1; r = es[0]['resource']
    return G([ref(es[0])], [r1(qv(r))],
             f"hemoglobin LOINC 718-7 in 2017: {qv(r)} g/dL on {d(odate(r))} (previous 2011: 16.0)")

@case(35, 'Luigi_Wiegand', 'list', [
    "Quels vaccins Luigi a-t-il reçus à son dernier rendez-vous ? Il a eu de la fièvre le soir et je voudrais savoir lequel c'était."])
def _():
    es = imms('Luigi_Wiegand')
    last = max(d(idate(e['resource'])) for e in es)
    lv = [e for e in es if d(idate(e['resource'])) == last]
    return G([ref(e) for e in lv], [last],
             f"Immunizations on the latest date {last}: " + ', '.join(e['resource']['vaccineCode']['coding'][0]['display'] for e in lv))

@case(36, 'Annmarie_Doyle', 'ever_had', [
    "Est-ce que maman a eu le vaccin contre la pneumonie ? Elle a 87 ans et son voisin vient d'être hospitalisé pour ça, ça m'inquiète."])
def _():
    p = 'Annmarie_Doyle'
    pn = [e for e in ents(p, 'Immunization') if set(codes(e['resource']['vaccineCode'])) & {'133', '33', '109', '152', '215', '216'}]
    assert not pn and 'pneumo' not in json.dumps(load(p)).lower()
    return NF("no pneumococcal Immunization (PCV13/PPSV23 etc.) in the record (only influenza and Td): honest no / not recorded")

@case(37, 'Lupe_Little', 'meaning', [
    "on m'a dit il y a longtemps que j'étais un peu anémié. c'était combien mon hémoglobine et c'est bas ou pas pour un homme ?"])
def _():
    es = obs('Lupe_Little', '718-7'); assert len(es) == 1; r = es[0]['resource']
    assert 'referenceRange' not in r
    return G([ref(es[0])], [r1(qv(r))],
             f"only hemoglobin LOINC 718-7: {qv(r)} g/dL on {d(odate(r))}; no referenceRange recorded (Anemia Condition active since 2004); answer should give value and say no range is recorded")

@case(38, 'Emery_Purdy', 'latest', [
    "Ma tension à mon dernier contrôle, c'était combien ? J'ai l'impression qu'elle est toujours trop haute malgré le traitement."])
def _():
    e = obs('Emery_Purdy', '55284-4')[-1]; r = e['resource']
    return G([ref(e)], [r0(comp(r, '8480-6')), d(odate(r))],
             f"latest BP panel LOINC 55284-4: {comp(r, '8480-6')}/{comp(r, '8462-4')} mmHg on {d(odate(r))} (diastolic ~112 not required as a string because of rounding)")

@case(39, LIS, 'last_visit', [
    "C'était quand la dernière visite de Lisandra chez le médecin ? Je sais qu'il y a eu le covid en février 2020 mais je crois qu'elle a eu un contrôle après."])
def _():
    import base64, gzip, re
    dr = ents(LIS, 'DocumentReference'); assert len(dr) == 1
    xml = gzip.decompress(base64.b64decode(dr[0]['resource']['content'][0]['attachment']['data'])).decode('utf-8')
    i = xml.find('<title>Encounters</title>'); j = xml.find('</text>', i)
    starts = re.findall(r'<tr>\s*<td>(\d{4}-\d\d-\d\d)T', xml[i:j])
    last = max(starts)
    assert not ents(LIS, 'Encounter')
    return G([ref(dr[0])], [last],
             f"no Encounter resources; the DocumentReference attachment (gzip C-CDA, contentType text/plain) lists {len(starts)} encounters, the latest a well child visit on {last}, after the COVID encounter of 2020-02-29")

@case(40, 'IPS_IG-bundle-01', 'not_found', [
    "Depuis mon cancer du sein je dois faire une mammographie tous les ans. La dernière, c'était quand et c'était normal ?"])
def _():
    s = json.dumps(load('IPS_IG-bundle-01')).lower()
    assert 'mammo' not in s and 'imaging' not in s
    return NF("no mammography / breast imaging procedure, observation or report in the record (breast cancer in remission is recorded)")

if __name__ == '__main__':
    run(CASES, 'fr', os.path.dirname(os.path.abspath(__file__)))
