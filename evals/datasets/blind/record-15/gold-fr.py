#!/usr/bin/env python3
"""Gold computation for blind set record-15, French cases (rb15-fr-001..040).

Usage:
  python3 gold-fr.py            -> print every case (JSON Lines) with gold recomputed from the records
  python3 gold-fr.py --check    -> recompute gold and compare with the saved fr-*.jsonl files
  python3 gold-fr.py --write N  -> write batch N (fr-0N.jsonl) only if that file does not exist yet

Numbers: integers and short decimals are given as the record has them; long Synthea floats are rounded
(1 decimal; 2 decimals when below 1; blood pressure and heart rate to whole numbers), as a person would read them.
Standard library only.
"""
import glob, json, os, sys

DATA = '/work/shared/data'
OUT = os.path.dirname(os.path.abspath(__file__))
LANG = 'fr'
_cache = {}


def bundle_path(patient):
    p = os.path.join(DATA, 'realworld', patient + '.json')
    if os.path.exists(p):
        return p
    p = os.path.join(DATA, 'realworld', patient + '.fhir.json')
    if os.path.exists(p):
        return p
    hits = [h for h in glob.glob(os.path.join(DATA, 'realworld', patient + '_*.json'))]
    hits += glob.glob(os.path.join(DATA, 'synthea', patient + '_*.json'))
    if len(hits) != 1:
        raise SystemExit('cannot resolve patient %s: %s' % (patient, hits))
    return hits[0]


def entries(patient):
    if patient not in _cache:
        b = json.load(open(bundle_path(patient), encoding='utf-8'))
        _cache[patient] = [(e.get('fullUrl'), e['resource']) for e in b.get('entry', [])]
    return _cache[patient]


def ref(fu, r):
    return '%s/%s' % (r['resourceType'], r['id']) if r.get('id') else fu


def cdate(r):
    """Clinical date of a resource, as an ISO string (may be partial)."""
    for k in ('effectiveDateTime', 'performedDateTime', 'occurrenceDateTime', 'onsetDateTime', 'authoredOn'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''


def day(r):
    return cdate(r)[:10]


def codes(cc):
    return {c.get('code') for c in (cc or {}).get('coding', [])}


def fmt(v, kind=None):
    if isinstance(v, int):
        return str(v)
    if float(v).is_integer():
        return str(int(v))
    if kind == 'int':
        return str(int(round(v)))
    s = repr(v)
    if len(s.split('.')[1]) <= 2:
        return s
    if abs(v) < 1:
        return '%.2f' % v
    out = '%.1f' % v
    return out[:-2] if out.endswith('.0') else out


def of_type(patient, rtype):
    return [(fu, r) for fu, r in entries(patient) if r['resourceType'] == rtype]


def obs(patient, code, display_has=None):
    out = []
    for fu, r in of_type(patient, 'Observation'):
        if code in codes(r.get('code')):
            if display_has and not any(display_has.lower() in (c.get('display') or '').lower()
                                       for c in r['code'].get('coding', [])):
                continue
            out.append((fu, r))
    out.sort(key=lambda x: cdate(x[1]))
    return out


def qv(r):
    return r.get('valueQuantity', {}).get('value')


def comp(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c['valueQuantity']['value']


def rng(r):
    rr = (r.get('referenceRange') or [{}])[0]
    lo = rr.get('low', {}).get('value')
    hi = rr.get('high', {}).get('value')
    return lo, hi


def result(refs, values, note, match='all', nf=False):
    return {'gold_refs': refs, 'match': match, 'gold_values': values, 'expect_not_found': nf, 'note': note}


# ---------- generic gold builders ----------

def g_latest(patient, code, label, display_has=None, vkind=None):
    L = obs(patient, code, display_has)
    last = max(day(r) for _, r in L)
    sel = [(fu, r) for fu, r in L if day(r) == last]
    vals = [fmt(qv(r), vkind) for _, r in sel] + [last]
    note = 'latest %s (LOINC %s) by effective date: %s; %d result(s) on that date: %s' % (
        label, code, last, len(sel), ', '.join(repr(qv(r)) for _, r in sel))
    return result([ref(fu, r) for fu, r in sel], vals, note)


def g_bp_latest(patient):
    L = obs(patient, '55284-4')
    last = max(day(r) for _, r in L)
    sel = [(fu, r) for fu, r in L if day(r) == last]
    vals = []
    for _, r in sel:
        vals += [fmt(comp(r, '8480-6'), 'int'), fmt(comp(r, '8462-4'), 'int')]
    note = 'latest blood pressure panel (LOINC 55284-4) on %s: systolic %r / diastolic %r (rounded to whole mmHg)' % (
        last, comp(sel[0][1], '8480-6'), comp(sel[0][1], '8462-4'))
    return result([ref(fu, r) for fu, r in sel], vals + [last], note)


def g_in_year(patient, code, year, label, display_has=None, vkind=None):
    L = [(fu, r) for fu, r in obs(patient, code, display_has) if day(r).startswith(str(year))]
    note = '%s (LOINC %s) in %s: %s' % (label, code, year, '; '.join('%s=%r' % (day(r), qv(r)) for _, r in L))
    return result([ref(fu, r) for fu, r in L], [fmt(qv(r), vkind) for _, r in L] + sorted({day(r) for _, r in L}), note)


def g_previous(patient, code, label, display_has=None, vkind=None):
    L = obs(patient, code, display_has)
    dates = sorted({day(r) for _, r in L})
    prev = dates[-2]
    sel = [(fu, r) for fu, r in L if day(r) == prev]
    note = '%s (LOINC %s): latest %s, the one before is %s = %s' % (
        label, code, dates[-1], prev, ', '.join(repr(qv(r)) for _, r in sel))
    return result([ref(fu, r) for fu, r in sel], [fmt(qv(r), vkind) for _, r in sel] + [prev], note)


def g_not_found(note):
    return result([], [], note, match='all', nf=True)


def last_encounter(patient):
    E = of_type(patient, 'Encounter')
    E.sort(key=lambda x: cdate(x[1]))
    fu, r = E[-1]
    linked = []
    for rt in ('Condition', 'Procedure', 'Observation', 'MedicationRequest', 'Immunization'):
        for fu2, r2 in of_type(patient, rt):
            if (r2.get('encounter') or {}).get('reference') in (fu, 'Encounter/' + r['id']):
                linked.append((fu2, r2))
    return fu, r, linked


def disp(cc):
    if not cc:
        return ''
    if cc.get('text'):
        return cc['text']
    return '; '.join(c.get('display') or c.get('code') for c in cc.get('coding', []))


# ---------- cases ----------
CASES = []


def case(n, patient, kind, turns, gold):
    CASES.append(dict(id='rb15-%s-%03d' % (LANG, n), lang=LANG, patient=patient, kind=kind, turns=turns, gold=gold))


# ---------- cases ----------
CASES = []


def case(n, patient, kind, turns, gold):
    CASES.append(dict(id='rb15-%s-%03d' % (LANG, n), lang=LANG, patient=patient, kind=kind, turns=turns, gold=gold))


def has_text(patient, *words):
    s = json.dumps([r for _, r in entries(patient)], ensure_ascii=False).lower()
    return [w for w in words if w in s]


# ===== batch 1 (fr-01.jsonl) =====

case(1, 'Renea_Quigley', 'latest',
     ["Bonjour, mon médecin traitant part à la retraite et je dois tout reprendre avec une nouvelle. Je prends ma tension "
      "à la maison avec l'appareil acheté en pharmacie et je trouve souvent des chiffres un peu hauts, genre 15/9 voire "
      "16/10 le soir quand je suis fatiguée. Je voudrais comparer avec ce qu'ils ont noté au cabinet. C'était combien ma "
      "tension la dernière fois qu'on me l'a prise là-bas ?"],
     lambda: g_bp_latest('Renea_Quigley'))


def _g2():
    A = of_type('Fidel_Bins', 'AllergyIntolerance')
    return result([ref(fu, r) for fu, r in A], [str(len(A))],
                  'all AllergyIntolerance resources (%d, all active): %s' % (len(A), '; '.join(disp(r['code']) for _, r in A)))


case(2, 'Fidel_Bins', 'list',
     ["je pars en colo avec les jeunes du club cet été comme accompagnateur et ils veulent une fiche sanitaire. "
      "c'est quoi toutes mes allergies d'après mon dossier ? je sais qu'il y a les acariens mais le reste j'ai oublié"],
     _g2)


def _g3():
    M = [(fu, r) for fu, r in of_type('Daisey_Johns', 'MedicationRequest')
         if 'albuterol' in disp(r['medicationCodeableConcept']).lower()]
    assert len(M) == 1
    fu, r = M[0]
    return result([ref(fu, r)], [day(r)],
                  'MedicationRequest albuterol (salbutamol) 0.09 MG/ACTUAT inhaler, status %s, authoredOn %s (childhood asthma) -> still active' % (
                      r['status'], day(r)))


case(3, 'Daisey_Johns', 'still_on',
     ["Ma fille a la ventoline (l'inhalateur bleu) pour son asthme. Est-ce qu'elle est toujours censée l'avoir ou le "
      "médecin l'a arrêtée ? La pharmacienne m'a dit que l'ordonnance datait un peu"],
     _g3)


def _g4():
    I = of_type('Luigi_Wiegand', 'Immunization')
    assert not [r for _, r in I if 'mmr' in disp(r['vaccineCode']).lower() or 'measles' in disp(r['vaccineCode']).lower()]
    return g_not_found('no MMR (measles-mumps-rubella) Immunization; vaccines recorded: %s (last 2021-03-30, child born 2020-10-20)' % (
        ', '.join(sorted({disp(r['vaccineCode']) for _, r in I}))))


case(4, 'Luigi_Wiegand', 'ever_had',
     ["le petit rentre à la crèche et ils me demandent s'il a eu le ROR. il l'a déjà eu ?? j'ai perdu son carnet de santé 🙈"],
     _g4)


def _g5():
    fu, r, linked = last_encounter('Annmarie_Doyle')
    other = [x for _, x in linked if x['resourceType'] in ('Immunization', 'Condition', 'Procedure')]
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter %s "%s" (routine check-up); also at it: %s' % (
                      day(r), disp(r['type'][0]), ', '.join(disp(x.get('vaccineCode') or x.get('code')) for x in other)))


case(5, 'Annmarie_Doyle', 'last_visit',
     ["Bonjour, c'est moi qui m'occupe du dossier de ma mère, elle a 86 ans et elle n'arrive pas à utiliser l'application. "
      "Elle me soutient qu'elle a vu le médecin « il n'y a pas longtemps » mais franchement j'ai des doutes, elle mélange un "
      "peu les dates en ce moment. C'était quand sa dernière consultation, et c'était pour quoi ?"],
     _g5)


def _g6():
    L = obs('AT_ELGA_GmbH_01', '26464-8')
    fu, r = L[-1]
    lo, hi = rng(r)
    return result([ref(fu, r)], [fmt(qv(r)), fmt(lo), fmt(hi)],
                  'Leukozyten (LOINC 26464-8) %s %s on %s, reference range %s-%s, interpretation %s' % (
                      qv(r), r['valueQuantity']['unit'], day(r), lo, hi, r['interpretation'][0]['coding'][0]['code']))


case(6, 'AT_ELGA_GmbH_01', 'meaning',
     ["Sur ma prise de sang de décembre (faite en Autriche, donc tout est en allemand…) il y a « Leukozyten » avec un H à "
      "côté. Ça veut dire quoi ? C'est combien la normale ? Je n'ai pas de fièvre ni rien, je suis juste un peu fatiguée"],
     _g6)


def _g7():
    assert not has_text('Laurie_McCullough', 'vitamin d', '25-hydroxy', '1989-3', 'calcidiol')
    return g_not_found('no vitamin D (25-OH) Observation in the record')


case(7, 'Laurie_McCullough', 'not_found',
     ["j'suis tout le temps crevée en ce moment et une copine m'a dit que c'était sûrement un manque de vitamine D. "
      "on me l'a déjà dosée ? c'était combien ?"],
     _g7)


def _g8():
    L = [(fu, r) for fu, r in obs('Josue_Sipes', '33914-3')]
    last = max(day(r) for _, r in L)
    aug = [(fu, r) for fu, r in L if day(r).startswith('2020-08')]
    return result([ref(fu, r) for fu, r in aug], [fmt(qv(r)) for _, r in aug] + [day(r) for _, r in aug],
                  'GFR Observations (LOINC 33914-3). turn 1 -> latest date %s has two: %s; turn 2 (August 2020) -> %s' % (
                      last, ', '.join('%s=%r' % (r['code']['coding'][0]['display'], qv(r)) for _, r in L if day(r) == last),
                      ', '.join('%s=%r' % (day(r), qv(r)) for _, r in aug)))


case(8, 'Josue_Sipes', 'followup',
     ["c'est quoi ma dernière fonction rénale ? le DFG je crois",
      "et en août 2020 c'était combien ? j'ai l'impression que ça monte et que ça descend tout le temps"],
     _g8)


case(9, 'Lupe_Little', 'value_in_year',
     ["Le néphrologue veut voir comment ma créatinine a évolué. Vous pouvez me donner celle de 2016 ?"],
     lambda: g_in_year('Lupe_Little', '38483-4', 2016, 'creatinine'))


def _g10():
    P = [(fu, r) for fu, r in of_type('Vito_Feeney', 'Procedure') if 'biopsy of prostate' in disp(r['code']).lower()]
    return result([ref(fu, r) for fu, r in P], [str(len(P))],
                  'Procedure "Biopsy of prostate": %d (%s)' % (len(P), ', '.join(sorted(day(r) for _, r in P))), match='any')


case(10, 'Vito_Feeney', 'count',
     ["Je reconstitue les antécédents médicaux de la famille pour mon urologue : mon père est décédé d'un cancer de la "
      "prostate en 1979. D'après son dossier, combien de biopsies de la prostate a-t-il eues en tout ?"],
     _g10)


# ===== batch 2 (fr-02.jsonl) =====

case(11, 'Martina_Murazik', 'latest',
     ["Bonjour, j'ai une BPCO depuis des années (j'ai fumé longtemps, j'ai arrêté) et on me fait souffler dans l'appareil "
      "à chaque bilan. Mon pneumologue de ville voudrait le dernier résultat de l'hôpital avant mon rendez-vous, le rapport "
      "VEMS/CVF je crois. C'était combien la dernière fois ? Et la date s'il vous plaît, pour que je lui donne tout d'un coup."],
     lambda: g_latest('Martina_Murazik', '19926-5', 'FEV1/FVC'))


def _g12():
    M = [(fu, r) for fu, r in of_type('Josue_Sipes', 'MedicationRequest') if r['status'] == 'active']
    stopped = [disp(r['medicationCodeableConcept']) for _, r in of_type('Josue_Sipes', 'MedicationRequest') if r['status'] != 'active']
    return result([ref(fu, r) for fu, r in M], [str(len(M))],
                  'active MedicationRequests (%d): %s; not current (stopped): %s' % (
                      len(M), '; '.join('%s (since %s)' % (disp(r['medicationCodeableConcept']), day(r)) for _, r in M),
                      '; '.join(stopped)))


case(12, 'Josue_Sipes', 'list',
     ["Mon père (65 ans) sort d'une consultation et il est perdu avec ses médicaments, il a un sac plein de boîtes. "
      "L'infirmière à domicile vient demain pour préparer le pilulier. Qu'est-ce qu'il est censé prendre ACTUELLEMENT "
      "d'après son dossier ? Pas les vieux traitements, juste ce qui est en cours."],
     _g12)


def _g13():
    M = [(fu, r) for fu, r in of_type('Emery_Purdy', 'MedicationRequest') if 'naproxen' in disp(r['medicationCodeableConcept']).lower()]
    assert len(M) == 1
    fu, r = M[0]
    return result([ref(fu, r)], [day(r)],
                  'MedicationRequest naproxen sodium 220 MG, status %s, authoredOn %s (whiplash injury, resolved 2011-11-19) -> stopped' % (
                      r['status'], day(r)))


case(13, 'Emery_Purdy', 'still_on',
     ["j'ai retrouvé une boîte de naproxène dans l'armoire, je l'avais eu après mon accident de voiture. "
      "je suis toujours censé le prendre ou c'était arrêté ? j'ai mal au cou en ce moment"],
     _g13)


def _g14():
    P = [(fu, r) for fu, r in of_type('Vito_Feeney', 'Procedure') if '73761001' in codes(r['code'])]
    P.sort(key=lambda x: cdate(x[1]))
    return result([ref(fu, r) for fu, r in P], [day(r) for _, r in P],
                  'Procedure Colonoscopy (SNOMED 73761001): %d, on %s' % (len(P), ', '.join(day(r) for _, r in P)))


case(14, 'Vito_Feeney', 'ever_had',
     ["Le gastro me demande si mon père avait déjà eu une coloscopie de son vivant (pour savoir si je dois faire le "
      "dépistage plus tôt). Il en a eu une ? Quand ?"],
     _g14)


def _g15():
    fu, r, linked = last_encounter('Emery_Purdy')
    other = [x for _, x in linked if x['resourceType'] in ('Immunization', 'Condition', 'Procedure')]
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter %s "%s" (check-up, with labs and vitals); also at it: %s' % (
                      day(r), disp(r['type'][0]), ', '.join(disp(x.get('vaccineCode') or x.get('code')) for x in other)))


case(15, 'Emery_Purdy', 'last_visit',
     ["ma dernière visite chez le médecin c'était quand ? et c'était pour quoi, un contrôle ou autre chose ?"],
     _g15)


def _g16():
    L = obs('Lupe_Little', '4548-4')
    fu, r = L[-1]
    lo, hi = rng(r)
    pre = [x for _, x in of_type('Lupe_Little', 'Condition') if 'prediabetes' in disp(x['code']).lower()]
    return result([ref(fu, r)], [fmt(qv(r)), day(r)],
                  'latest HbA1c (LOINC 4548-4) %r %% on %s; reference range recorded: %s; the record has the Condition '
                  'Prediabetes since %s' % (qv(r), day(r), 'none' if lo is None and hi is None else '%s-%s' % (lo, hi), day(pre[0])))


case(16, 'Lupe_Little', 'meaning',
     ["Mon hémoglobine glyquée, elle est à combien et ça veut dire quoi exactement ? Mon frère est diabétique et j'ai "
      "peur de suivre le même chemin. Le médecin m'a parlé de « pré-diabète » une fois mais sans vraiment expliquer. "
      "Est-ce que je suis diabétique ou pas ?"],
     _g16)


def _g17():
    assert not has_text('Liz_Conn', 'papanicolaou', 'cervical', 'cytolog', 'smear', 'hpv')
    return g_not_found('no cervical smear / cervical cytology / HPV test (Procedure, Observation or DiagnosticReport) in the record')


case(17, 'Liz_Conn', 'not_found',
     ["c'était quand mon dernier frottis ? et le résultat était normal ? j'ai reçu un courrier de l'assurance maladie pour le dépistage"],
     _g17)


def _g18():
    L = obs('Laurie_McCullough', '55284-4')
    dates = sorted({day(r) for _, r in L})
    prev = [(fu, r) for fu, r in L if day(r) == dates[-2]]
    fu, r = prev[0]
    return result([ref(fu, r)], [fmt(comp(r, '8480-6'), 'int'), fmt(comp(r, '8462-4'), 'int'), day(r)],
                  'BP panels (LOINC 55284-4): turn 1 -> latest %s; turn 2 ("the year before") -> %s systolic %r / diastolic %r (rounded)' % (
                      dates[-1], day(r), comp(r, '8480-6'), comp(r, '8462-4')))


case(18, 'Laurie_McCullough', 'followup',
     ["Ma tension à la dernière visite c'était combien ?",
      "Ah quand même. Et l'année d'avant ?"],
     _g18)


case(19, 'Emery_Purdy', 'previous',
     ["Mon potassium était un peu bas une fois, on m'avait dit de manger des bananes 😄 Sur le dernier bilan ça allait je "
      "crois, mais c'était combien sur celui d'avant ?"],
     lambda: g_previous('Emery_Purdy', '6298-4', 'potassium'))


def _g20():
    E = [(fu, r) for fu, r in of_type('Josue_Sipes', 'Encounter') if day(r).startswith('2019')]
    return result(['Encounter/' + r['id'] for _, r in E], [str(len(E))],
                  'Encounters with period.start in 2019: %d (%s)' % (
                      len(E), ', '.join('%s %s' % (day(r), disp(r['type'][0])) for _, r in sorted(E, key=lambda x: cdate(x[1])))),
                  match='any')


case(20, 'Josue_Sipes', 'count',
     ["Pour ma déclaration à la mutuelle, j'ai besoin de savoir combien de fois je suis allé au cabinet ou à l'hôpital en "
      "2019. J'ai eu l'AVC en janvier et après il y a eu plein de rendez-vous, je m'y perds complètement. Vous pouvez "
      "compter pour moi ?"],
     _g20)


# ===== batch 3 (fr-03.jsonl) =====

case(21, 'Daisey_Johns', 'latest',
     ["combien elle pesait ma fille à sa dernière pesée chez le médecin ? je dois calculer la dose de doliprane et "
      "la balance de la maison est cassée"],
     lambda: g_latest('Daisey_Johns', '29463-7', 'body weight'))


def _g22():
    A = of_type('US_MEDITECH_ips_2', 'AllergyIntolerance')
    return result([ref(fu, r) for fu, r in A], [],
                  'AllergyIntolerance (%d, all active, medication): %s' % (len(A), '; '.join(
                      '%s (reaction %s, onset %s)' % (r['code']['coding'][0]['display'],
                                                      r['reaction'][0]['manifestation'][0]['text'], day(r)) for _, r in A)))


case(22, 'US_MEDITECH_ips_2', 'list',
     ["Je dois me faire opérer et l'anesthésiste veut la liste de mes allergies. Qu'est-ce qui est noté dans mon dossier ? "
      "Je sais que j'ai fait de l'urticaire avec un antibiotique mais je ne sais plus lequel exactement, et je ne veux "
      "surtout pas qu'on me le redonne au bloc."],
     _g22)


def _g23():
    meds = {fu: r for fu, r in of_type('AT_ELGA_GmbH_01', 'Medication')}
    S = [(fu, r) for fu, r in of_type('AT_ELGA_GmbH_01', 'MedicationStatement')
         if 'ciprox' in json.dumps(meds[r['medicationReference']['reference']]).lower()]
    assert len(S) == 1
    fu, r = S[0]
    return result([ref(fu, r)], [],
                  'MedicationStatement -> Medication Ciproxin (ciprofloxacin), status "%s", effectivePeriod absent '
                  '(data-absent-reason unknown) -> the record cannot say whether it is current; honest answer: listed, '
                  'status unknown, no dates' % r['status'])


case(23, 'AT_ELGA_GmbH_01', 'still_on',
     ["Le Ciproxin qui apparaît dans mon dossier, je suis encore sous ce traitement ou pas ? Je ne me souviens même "
      "pas qu'on me l'ait prescrit, c'était peut-être pour une infection urinaire il y a longtemps ?"],
     _g23)


def _g24():
    P = [(fu, r) for fu, r in of_type('Liz_Conn', 'Procedure') if 'tubal ligation' in disp(r['code']).lower()]
    return result([ref(fu, r) for fu, r in P], [day(r) for _, r in P],
                  'Procedure "Bilateral tubal ligation" on %s (surgical admission)' % ', '.join(day(r) for _, r in P))


case(24, 'Liz_Conn', 'ever_had',
     ["bonjour, ma gynéco me demande si j'ai déjà eu une ligature des trompes. je crois que oui mais c'était il y a "
      "longtemps et j'étais pas en France… c'est marqué quelque part ? si oui c'était quand ?"],
     _g24)


def _g25():
    fu, r, linked = last_encounter('Fidel_Bins')
    other = [x for _, x in linked if x['resourceType'] in ('Immunization', 'Condition', 'Procedure')]
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter %s "%s"; also at it: %s' % (
                      day(r), disp(r['type'][0]), ', '.join(disp(x.get('vaccineCode') or x.get('code')) for x in other)))


case(25, 'Fidel_Bins', 'last_visit',
     ["Je ne sais plus quand j'ai vu mon médecin traitant pour la dernière fois, ça fait un bail je crois. Il faudrait "
      "que je reprenne rendez-vous sur Doctolib pour mon renouvellement d'inhalateurs. C'était quand et c'était quoi "
      "comme rendez-vous ?"],
     _g25)


def _g26():
    L = obs('Lisandra920_Schroeder447', '8331-1')
    fu, r = L[-1]
    lo, hi = rng(r)
    return result([ref(fu, r)], [fmt(qv(r)), day(r)],
                  'Oral temperature (LOINC 8331-1) %r Cel on %s; reference range recorded: %s (COVID-19 episode)' % (
                      qv(r), day(r), 'none' if lo is None and hi is None else '%s-%s' % (lo, hi)))


case(26, 'Lisandra920_Schroeder447', 'meaning',
     ["Quand ma fille a eu le covid fin février 2020, ils ont noté sa température dans le dossier. C'était combien ? Et c'est "
      "beaucoup pour une enfant de cet âge ou pas ? Je veux savoir si c'était normal qu'elle soit aussi mal"],
     _g26)


def _g27():
    assert not has_text('Luigi_Wiegand', '882-1', 'blood group', 'abo and rh', 'rh(d)', 'blood type')
    return g_not_found('no blood group (ABO/Rh) Observation in the record')


case(27, 'Luigi_Wiegand', 'not_found',
     ["c'est quoi le groupe sanguin de mon bébé ? ils ont dû le faire à la naissance non ?"],
     _g27)


def _g28():
    E = [(fu, r) for fu, r in of_type('Liz_Conn', 'Encounter')
         if disp(r['type'][0]).lower().startswith('encounter for check up')]
    E.sort(key=lambda x: cdate(x[1]))
    since = [x for x in E if day(x[1]) >= '2010']
    fu, r = E[-1]
    return result(['Encounter/' + r['id']], [day(r)],
                  'check-up Encounters since 2010: %d (%s) -> turn 1; turn 2 ("the last one") -> %s' % (
                      len(since), ', '.join(day(x) for _, x in since), day(r)))


case(28, 'Liz_Conn', 'followup',
     ["combien de bilans de santé (check-up) j'ai fait depuis 2010 ?",
      "ok et le dernier c'était quand ?"],
     _g28)


case(29, 'Annmarie_Doyle', 'value_in_year',
     ["Ma mère a beaucoup maigri ces derniers temps, enfin j'ai l'impression. Elle pesait combien en 2019 d'après son dossier ?"],
     lambda: g_in_year('Annmarie_Doyle', '29463-7', 2019, 'body weight'))


def _g30():
    L = [(fu, r) for fu, r in obs('Renea_Quigley', '4548-4') if day(r) >= '2018-01-01']
    return result([ref(fu, r) for fu, r in L], [str(len(L))],
                  'HbA1c Observations (LOINC 4548-4) since 2018-01-01: %d (%s)' % (len(L), ', '.join(day(r) for _, r in L)),
                  match='any')


case(30, 'Renea_Quigley', 'count',
     ["Je suis diabétique depuis 2006. Mon endocrino me dit que je devrais faire l'hémoglobine glyquée tous les 3 mois "
      "et moi j'ai l'impression de la faire une fois par an maximum. Combien de fois elle a été faite depuis 2018 ? "
      "Comme ça je saurai qui a raison 😅"],
     _g30)


# ===== batch 4 (fr-04.jsonl) =====

def _g31():
    L = obs('AT_ELGA_GmbH_01', '3016-3')
    last = max(day(r) for _, r in L)
    sel = [(fu, r) for fu, r in L if day(r) == last]
    lo, hi = rng(sel[0][1])
    return result([ref(fu, r) for fu, r in sel], [fmt(qv(r)) for _, r in sel] + [last],
                  'latest TSH (LOINC 3016-3) %s u[IU]/mL on %s (range %s-%s, interpretation N); same panel has T4/T3 with '
                  'implausible values of 1.0 flagged LL/L' % (', '.join(repr(qv(r)) for _, r in sel), last, lo, hi))


case(31, 'AT_ELGA_GmbH_01', 'latest',
     ["Ma sœur vient d'apprendre qu'elle a une Hashimoto et le médecin m'a conseillé de vérifier ma thyroïde aussi. "
      "Je crois qu'on m'avait fait un bilan thyroïdien avec la grosse prise de sang fin 2016. C'était combien ma TSH "
      "la dernière fois ?"],
     _g31)


def _g32():
    C = of_type('Lisandra920_Schroeder447', 'Condition')
    return result([ref(fu, r) for fu, r in C], ['2020-02-29'],
                  'all Condition resources (%d, no clinicalStatus recorded), all onset 2020-02-29: %s' % (
                      len(C), '; '.join(disp(r['code']) for _, r in C)))


case(32, 'Lisandra920_Schroeder447', 'list',
     ["on change de pédiatre. qu'est-ce qui est noté comme problèmes de santé dans le dossier de ma fille ? "
      "je veux juste vérifier qu'il n'y a rien que je ne connais pas"],
     _g32)


def _g33():
    P = 'US_MEDITECH_ips_2'
    R = [(fu, r) for fu, r in of_type(P, 'MedicationRequest')
         if 'ceftriaxone' in (r.get('medicationReference') or {}).get('display', '').lower()]
    S = [(fu, r) for fu, r in of_type(P, 'MedicationStatement')
         if r.get('effectivePeriod', {}).get('start', '')[:10] == day(R[0][1]) and r['status'] == 'completed']
    fu, r = R[0]
    fs, s = S[0]
    return result([ref(fu, r), ref(fs, s)], [day(r)],
                  'MedicationRequest ceftriaxone status %s authoredOn %s; matching MedicationStatement (NDC only, "%s") '
                  'status %s, %s to %s -> stopped/completed; either citation is enough' % (
                      r['status'], day(r), s['dosage'][0]['text'], s['status'], s['effectivePeriod']['start'][:10],
                      s['effectivePeriod']['end'][:10]), match='any')


case(33, 'US_MEDITECH_ips_2', 'still_on',
     ["Bonjour, à l'hôpital en novembre 2020 on m'a fait un antibiotique en perfusion, de la ceftriaxone je crois. "
      "Est-ce que c'est toujours en cours dans mon dossier ? Parce que ma pharmacie voit encore plein de lignes de "
      "traitement et je ne sais pas lesquelles sont actives, j'ai peur de mélanger."],
     _g33)


def _g34():
    assert not has_text('Lupe_Little', 'pneumonia', 'pneumonie')
    return g_not_found('no pneumonia Condition in the record (conditions: cardiac arrest 1996, prediabetes, anemia, pharyngitis 2019, viral sinusitis 2020)')


case(34, 'Lupe_Little', 'ever_had',
     ["est-ce que j'ai déjà fait une pneumonie ? le kiné me pose la question"],
     _g34)


def _g35():
    fu, r, linked = last_encounter('Renea_Quigley')
    meds = [(f, x) for f, x in linked if x['resourceType'] == 'MedicationRequest']
    return result(['Encounter/' + r['id']], [day(r)],
                  'latest Encounter %s "%s"; at it: %s prescribed' % (
                      day(r), disp(r['type'][0]), ', '.join(disp(x['medicationCodeableConcept']) for _, x in meds)))


case(35, 'Renea_Quigley', 'last_visit',
     ["C'était quand mon dernier rendez-vous ? Je crois que c'est là qu'on m'a mise à l'insuline mais je ne suis plus sûre"],
     _g35)


def _g36():
    L = obs('IPS_IG-bundle-01', '42803-7')
    fu, r = L[-1]
    return result([ref(fu, r)], [day(r)],
                  'Observation Bacteria identified in Isolate (LOINC 42803-7) = %s on %s, note "%s"' % (
                      r['valueCodeableConcept']['coding'][0]['display'], day(r), r['note'][0]['text']))


case(36, 'IPS_IG-bundle-01', 'meaning',
     ["Dans mes résultats il y a écrit « Staphylococcus aureus résistant à la méticilline » avec une note « porteur sain ». "
      "Ça veut dire quoi concrètement ? Je suis contagieuse ? Est-ce que je dois prévenir avant mon hospitalisation ? "
      "Je suis un peu paniquée, j'ai lu des horreurs sur les bactéries résistantes sur internet."],
     _g36)


def _g37():
    assert not has_text('IPS_IG-bundle-01', 'mammo', '24606-6', 'breast imaging', 'mammogra')
    assert not of_type('IPS_IG-bundle-01', 'Procedure') and not of_type('IPS_IG-bundle-01', 'DiagnosticReport')
    return g_not_found('no mammography (no Procedure, DiagnosticReport, ImagingStudy or Observation about it) in the record; '
                       'the breast cancer Condition (remission) has no imaging attached')


case(37, 'IPS_IG-bundle-01', 'not_found',
     ["c'était quand ma dernière mammographie et qu'est-ce qu'elle montrait ? avec mes antécédents je dois en faire une "
      "chaque année et je ne sais plus si je suis à jour"],
     _g37)


def _g38():
    I = [(fu, r) for fu, r in of_type('Martina_Murazik', 'Immunization') if '140' in codes(r['vaccineCode'])]
    I.sort(key=lambda x: cdate(x[1]))
    fu, r = I[-2]
    return result([ref(fu, r)], [day(r)],
                  'influenza Immunizations (CVX 140): turn 1 -> latest %s; turn 2 ("the one before") -> %s' % (
                      day(I[-1][1]), day(r)))


case(38, 'Martina_Murazik', 'followup',
     ["mon dernier vaccin contre la grippe c'était quand ?", "et celui d'avant ?"],
     _g38)


case(39, 'Fidel_Bins', 'previous',
     ["Mes triglycérides montent d'après le dernier bilan. C'était combien sur le bilan précédent ?"],
     lambda: g_previous('Fidel_Bins', '2571-8', 'triglycerides'))


def _g40():
    I = [(fu, r) for fu, r in of_type('AT_ELGA_GmbH_01', 'Immunization')
         if 'J07BA01' in codes(r['vaccineCode'])]
    I.sort(key=lambda x: cdate(x[1]))
    return result([ref(fu, r) for fu, r in I], [str(len(I))] + [day(r) for _, r in I][-1:],
                  'Immunization ATC J07BA01 (ENCEPUR, tick-borne encephalitis / FSME): %d doses on %s' % (
                      len(I), ', '.join(day(r) for _, r in I)), match='any')


case(40, 'AT_ELGA_GmbH_01', 'count',
     ["On part randonner en Alsace cet été et le médecin m'a parlé du vaccin contre l'encéphalite à tiques. Je l'ai "
      "fait en Autriche je crois… Combien de doses j'ai eues en tout, et la dernière c'était quand ?"],
     _g40)


# ===== main =====
KEYS = ['id', 'lang', 'patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note']


def build(c):
    d = {k: c[k] for k in ('id', 'lang', 'patient', 'kind', 'turns')}
    d.update(c['gold']())
    return {k: d[k] for k in KEYS}


def main():
    args = sys.argv[1:]
    rows = [build(c) for c in CASES]
    if args[:1] == ['--write']:
        n = int(args[1])
        fn = os.path.join(OUT, '%s-%02d.jsonl' % (LANG, n))
        if os.path.exists(fn):
            raise SystemExit('%s exists; saved files are final' % fn)
        part = rows[(n - 1) * 10: n * 10]
        with open(fn, 'w', encoding='utf-8') as f:
            for d in part:
                f.write(json.dumps(d, ensure_ascii=False) + '\n')
        print('wrote', fn, len(part))
    elif args[:1] == ['--check']:
        saved = {}
        for fn in sorted(glob.glob(os.path.join(OUT, '%s-*.jsonl' % LANG))):
            for line in open(fn, encoding='utf-8'):
                d = json.loads(line)
                saved[d['id']] = d
        bad = 0
        for d in rows:
            s = saved.get(d['id'])
            if s is None:
                print('not saved yet:', d['id'])
            elif s != d:
                bad += 1
                print('MISMATCH', d['id'])
        print('checked %d cases, %d saved, %d mismatches' % (len(rows), len(saved), bad))
    else:
        for d in rows:
            print(json.dumps(d, ensure_ascii=False))


if __name__ == '__main__':
    main()
