#!/usr/bin/env python3
"""Gold script for the French blind record set (rb10-fr-001 .. rb10-fr-040).

Every gold field (gold_refs, match, gold_values, expect_not_found, note) is computed
here from the record files; nothing is typed in by hand except the questions and the
search keys (codes / keywords) that say what each question is about.

Usage:
  python3 gold-fr.py                 # recompute every case, compare with the saved fr-NN.jsonl files
  python3 gold-fr.py --print         # print every case as JSON lines
  python3 gold-fr.py --write N       # write batch N (cases 10*(N-1)+1 .. 10*N) to fr-0N.jsonl

Number formatting for gold_values (Synthea stores long floats):
  integral value -> digits only ("26");
  value >= 10: fractional part < 0.45 -> integer part ("90" for 90.0296: it is a substring of
  "90", "90.0", "90,03"); fractional part >= 0.95 -> next integer; otherwise one decimal ("128.7");
  value < 10: as recorded when the record has at most 2 decimals ("7.5", "5.39"), else one decimal ("7.3").
The full recorded value is always given in the note.
"""
import json, glob, os, sys, math, re

SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- record access
def patient_file(key):
    for f in glob.glob(os.path.join(SYN, '*.json')):
        stem = os.path.basename(f)[:-5]
        if '_'.join(stem.split('_')[:2]) == key:
            return f
    f = os.path.join(RW, key + '.json')
    if os.path.exists(f):
        return f
    raise KeyError(key)


_cache = {}


def load(key):
    if key not in _cache:
        b = json.load(open(patient_file(key), encoding='utf-8'))
        ents = []
        for e in b.get('entry', []):
            r = e['resource']
            if r.get('id'):
                ref = '%s/%s' % (r['resourceType'], r['id'])
            else:
                ref = e.get('fullUrl')
            ents.append((ref, r, e))
        _cache[key] = ents
    return _cache[key]


def res(key, rtype):
    return [(ref, r) for ref, r, e in load(key) if r['resourceType'] == rtype]


def by_ref(key, ref):
    for rf, r, e in load(key):
        if rf == ref or e.get('fullUrl') == ref:
            return r
        # relative reference "Medication/<id>" or "urn:uuid:<id>" against id
        if r.get('id') and (ref.endswith('/' + r['id']) or ref == 'urn:uuid:' + r['id']):
            if ref.split('/')[-2:-1] in ([r['resourceType']], []) or ref.startswith('urn:uuid:'):
                return r
    return None


def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]


def displays(cc):
    out = [c.get('display') or '' for c in (cc or {}).get('coding', [])]
    if (cc or {}).get('text'):
        out.append(cc['text'])
    return out


def obs_date(r):
    d = r.get('effectiveDateTime') or (r.get('effectivePeriod') or {}).get('start') or r.get('issued') or ''
    return d


def day(d):
    return (d or '')[:10]


def observations(key, code):
    """Observations whose code has the given LOINC (or local) code, with a valueQuantity or value."""
    out = []
    for ref, r in res(key, 'Observation'):
        if code in codes(r.get('code')):
            out.append((obs_date(r), ref, r))
    out.sort(key=lambda x: x[0])
    return out


def component(r, code):
    for c in r.get('component', []):
        if code in codes(c.get('code')):
            return c.get('valueQuantity', {}).get('value')
    return None


def qty(r):
    return (r.get('valueQuantity') or {}).get('value')


def latest_same_day(items):
    """items sorted by date; returns every item that falls on the latest clinical day."""
    if not items:
        return []
    last = day(items[-1][0])
    return [x for x in items if day(x[0]) == last]


def previous_day(items):
    """items on the last clinical day strictly before the latest one."""
    days = sorted(set(day(x[0]) for x in items))
    if len(days) < 2:
        return []
    prev = days[-2]
    return [x for x in items if day(x[0]) == prev]


def num(v):
    v = float(v)
    if v == int(v):
        return str(int(v))
    if abs(v) >= 10:
        fl = math.floor(v)
        frac = v - fl
        if frac < 0.45:
            return str(int(fl))
        if frac >= 0.95:
            return str(int(fl) + 1)
        return '%.1f' % v
    s = repr(v)
    if '.' in s and len(s.split('.')[1]) <= 2:
        return s
    return '%.1f' % v


def encounters(key):
    out = []
    for ref, r in res(key, 'Encounter'):
        out.append(((r.get('period') or {}).get('start', ''), ref, r))
    out.sort(key=lambda x: x[0])
    return out


def immunizations(key, vcode=None, pred=None):
    out = []
    for ref, r in res(key, 'Immunization'):
        if vcode is not None and vcode not in codes(r.get('vaccineCode')):
            continue
        if pred is not None and not pred(r):
            continue
        out.append((r.get('occurrenceDateTime', ''), ref, r))
    out.sort(key=lambda x: x[0])
    return out


def procedures(key, pcode=None, pred=None):
    out = []
    for ref, r in res(key, 'Procedure'):
        if pcode is not None and pcode not in codes(r.get('code')):
            continue
        if pred is not None and not pred(r):
            continue
        d = r.get('performedDateTime') or (r.get('performedPeriod') or {}).get('start', '')
        out.append((d, ref, r))
    out.sort(key=lambda x: x[0])
    return out


def med_requests(key, pred):
    out = []
    for ref, r in res(key, 'MedicationRequest'):
        if pred(r):
            out.append((r.get('authoredOn', ''), ref, r))
    out.sort(key=lambda x: x[0])
    return out


def clinical_status(r):
    cs = codes(r.get('clinicalStatus'))
    return cs[0] if cs else None


def text_of_record(key, types=None):
    """Lower-cased JSON of all resources (optionally restricted to some types), narrative removed."""
    parts = []
    for ref, r, e in load(key):
        if types and r['resourceType'] not in types:
            continue
        rr = dict(r)
        rr.pop('text', None)
        parts.append(json.dumps(rr, ensure_ascii=False).lower())
    return '\n'.join(parts)


def absent(key, words, types=None):
    t = text_of_record(key, types)
    hits = [w for w in words if w.lower() in t]
    return hits


def disp(r, field='code'):
    d = displays(r.get(field))
    return d[0] if d else ''


CASES = []


def case(pid, patient, kind, turns):
    def deco(fn):
        CASES.append(dict(num=pid, patient=patient, kind=kind, turns=turns, fn=fn))
        return fn
    return deco


def G(refs, values, note, match='all', nf=False):
    return dict(gold_refs=refs, match=match, gold_values=values, expect_not_found=nf, note=note)


# ====================================================================== cases 001-010
@case(1, 'Josue_Sipes', 'latest', [
    "c'est quoi mon dernier taux de sucre dans le sang ? le diabéto veut que je lui envoie avant le rdv de jeudi"])
def c001():
    items = latest_same_day(observations('Josue_Sipes', '2339-0'))
    refs = [ref for d, ref, r in items]
    vals = [num(qty(r)) for d, ref, r in items] + [day(items[0][0])]
    note = ('latest blood glucose (LOINC 2339-0) by effectiveDateTime: %d results on the same latest day %s (%s mg/dL); '
            'both are gold' % (len(items), day(items[0][0]), ', '.join(repr(qty(r)) for d, ref, r in items)))
    return G(refs, vals, note)


@case(2, 'Fidel_Bins', 'list', [
    "Bonjour, je dois me faire opérer du genou le mois prochain (rien de grave, le ménisque) et l'anesthésiste m'a "
    "demandé la liste exacte de mes allergies. Je sais que j'en ai plusieurs depuis que je suis petit mais c'est ma mère "
    "qui gérait tout ça à l'époque et je n'ai jamais su lesquelles exactement. Vous pouvez me dire ce qui est noté dans "
    "mon dossier ? Merci d'avance"])
def c002():
    items = [(ref, r) for ref, r in res('Fidel_Bins', 'AllergyIntolerance') if clinical_status(r) == 'active']
    refs = [ref for ref, r in items]
    note = 'all active AllergyIntolerance entries (%d): %s' % (len(items), '; '.join(disp(r) for ref, r in items))
    return G(refs, [], note)


@case(3, 'Liz_Conn', 'still_on', [
    "je prends toujours l'hydrochlorothiazide ou le médecin l'avait arrêté ? j'ai plus d'ordonnance à jour et je sais plus trop"])
def c003():
    items = med_requests('Liz_Conn', lambda r: any('hydrochlorothiazide' in d.lower() for d in displays(r.get('medicationCodeableConcept'))))
    assert len(items) == 1
    d, ref, r = items[0]
    return G([ref], [day(d)], 'MedicationRequest %s status=%s, authoredOn %s (no later stop in the record) -> still on it' %
             (disp(r, 'medicationCodeableConcept'), r['status'], day(d)))


@case(4, 'AT_ELGA_GmbH_01', 'meaning', [
    "sur ma prise de sang de décembre 2016 il y a « Leukozyten 26 » (le labo était en Autriche, tout est en allemand). "
    "26 c'est normal ou pas ?? je comprends rien"])
def c004():
    items = observations('AT_ELGA_GmbH_01', '26464-8')
    assert len(items) == 1
    d, ref, r = items[0]
    rr = r['referenceRange'][0]
    lo, hi = rr['low']['value'], rr['high']['value']
    interp = codes(r['interpretation'][0])[0]
    return G([ref], [num(qty(r)), num(lo), num(hi)],
             'leukocytes (LOINC 26464-8) %s on %s = %s %s, referenceRange %s-%s, interpretation %s (above range)' %
             (ref, day(d), qty(r), r['valueQuantity']['unit'], lo, hi, interp))


@case(5, 'Annmarie_Doyle', 'not_found', [
    "Bonjour, j'aide ma mère (86 ans) avec ses papiers médicaux. Elle me soutient qu'elle a fait une mammographie "
    "« il n'y a pas longtemps » mais je ne retrouve aucun compte rendu à la maison. C'était quand sa dernière mammo "
    "d'après son dossier ?"])
def c005():
    hits = absent('Annmarie_Doyle', ['mammo', 'breast', '24604-1', '71651007', '24606-6'])
    assert not hits, hits
    return G([], [], 'no Procedure, Observation, DiagnosticReport or ImagingStudy mentions mammography/breast imaging '
             '(keyword and code search over the whole record) -> not in record', nf=True)


@case(6, 'Renea_Quigley', 'followup', [
    "combien de coloscopies j'ai faites en tout ?",
    "et la dernière elle date de quand ?"])
def c006():
    items = procedures('Renea_Quigley', '73761001')
    d, ref, r = items[-1]
    return G([ref], [day(d)], 'Procedure SNOMED 73761001 (colonoscopy): %d in total (%s); last turn asks for the latest: %s' %
             (len(items), ', '.join(day(x[0]) for x in items), day(d)))


@case(7, 'Martina_Murazik', 'last_visit', [
    "Ma mère a été vue en dernier quand, et c'était pour quoi ? Elle ne se rappelle plus, elle parle juste d'une radio"])
def c007():
    d, ref, r = encounters('Martina_Murazik')[-1]
    same = [p for p in procedures('Martina_Murazik') if day(p[0]) == day(d)]
    refs = [ref] + [p[1] for p in same]
    return G(refs, [day(d)], 'latest Encounter by period.start: %s on %s (%s, class %s); procedures that day: %s. '
             'Citing the encounter or its procedure is enough' %
             (ref, day(d), r['type'][0].get('text'), r['class']['code'], '; '.join(disp(p[2]) for p in same)), match='any')


@case(8, 'US_MEDITECH_ips_2', 'ever_had', [
    "J'ai déjà eu le vaccin contre la grippe ? La pharmacienne me propose de le faire et je ne sais plus si je l'ai déjà fait un jour"])
def c008():
    flu = immunizations('US_MEDITECH_ips_2', pred=lambda r: 'influenza' in ' '.join(displays(r.get('vaccineCode'))).lower())
    done = [x for x in flu if x[2]['status'] == 'completed']
    assert not done and len(flu) == 1
    d, ref, r = flu[0]
    return G([ref], [day(d)], 'only influenza Immunization is %s status=%s (%s) on %s -> no flu vaccine ever given; '
             'the answer should say no and mention the refusal' % (ref, r['status'], r.get('statusReason', {}).get('text'), day(d)))


@case(9, 'Daisey_Johns', 'count', [
    "Ma fille a eu combien de doses du vaccin diphtérie-tétanos-coqueluche en tout ? L'école demande le carnet de "
    "santé et on l'a perdu pendant le déménagement 🙄"])
def c009():
    items = immunizations('Daisey_Johns', '20', pred=lambda r: r['status'] == 'completed')
    return G([ref for d, ref, r in items], [str(len(items))],
             'Immunization CVX 20 (DTaP), status completed: %d doses (%s)' % (len(items), ', '.join(day(x[0]) for x in items)))


@case(10, 'Josue_Sipes', 'value_in_year', [
    "mon cholestérol en 2016 il était à combien ? je compare avec des vieux papiers de la mutuelle"])
def c010():
    items = [x for x in observations('Josue_Sipes', '2093-3') if x[0].startswith('2016')]
    return G([ref for d, ref, r in items], [num(qty(r)) for d, ref, r in items],
             'total cholesterol (LOINC 2093-3) in 2016: %s' % '; '.join('%s = %s mg/dL' % (day(d), qty(r)) for d, ref, r in items))



# ====================================================================== cases 011-020
def bp_latest(key):
    items = latest_same_day(observations(key, '55284-4'))
    refs = [ref for d, ref, r in items]
    vals = []
    for d, ref, r in items:
        vals += [num(component(r, '8480-6')), num(component(r, '8462-4'))]
    return items, refs, vals


@case(11, 'Renea_Quigley', 'latest', [
    "ma tension la dernière fois qu'on me l'a prise, c'était combien ? j'ai l'impression qu'elle remonte ces temps-ci, "
    "j'ai des bouffées de chaleur au visage"])
def c011():
    items, refs, vals = bp_latest('Renea_Quigley')
    d = items[0][0]
    return G(refs, vals + [day(d)], 'latest blood pressure panel (LOINC 55284-4) by effectiveDateTime on %s: systolic %s / diastolic %s mmHg' %
             (day(d), component(items[0][2], '8480-6'), component(items[0][2], '8462-4')))


@case(12, 'IPS_IG-bundle-01', 'list', [
    "Quels médicaments je prends en ce moment d'après mon dossier ? Je pars trois semaines chez ma mère à Lyon et je "
    "veux être sûre de ne rien oublier dans la valise"])
def c012():
    items = [(ref, r) for ref, r in res('IPS_IG-bundle-01', 'MedicationStatement') if r.get('status') == 'active']
    names = []
    for ref, r in items:
        m = by_ref('IPS_IG-bundle-01', r['medicationReference']['reference'])
        names.append('%s -> %s (since %s)' % (ref, (m['code'].get('text') or m['code']['coding'][0]['display']), r['effectivePeriod']['start']))
    return G([ref for ref, r in items], [], 'active MedicationStatements (medicationReference resolved to Medication): ' + '; '.join(names))


@case(13, 'Emery_Purdy', 'still_on', [
    "Le naproxène, je suis encore censé en prendre ? J'en ai retrouvé une boîte au fond de l'armoire à pharmacie et "
    "j'ai un peu mal au dos en ce moment"])
def c013():
    items = med_requests('Emery_Purdy', lambda r: 'naproxen' in disp(r, 'medicationCodeableConcept').lower())
    assert len(items) == 1
    d, ref, r = items[0]
    return G([ref], [day(d)], 'MedicationRequest %s status=%s, prescribed %s (whiplash episode, resolved 2011-11-19) -> stopped, not current' %
             (disp(r, 'medicationCodeableConcept'), r['status'], day(d)))


@case(14, 'AT_ELGA_GmbH_01', 'count', [
    "Combien d'injections contre l'encéphalite à tiques (FSME) j'ai eues en tout ? On part randonner dans les Vosges "
    "cet été et je me demande s'il me faut un rappel"])
def c014():
    items = immunizations('AT_ELGA_GmbH_01', pred=lambda r: r['status'] == 'completed' and 'J07BA01' in codes(r.get('vaccineCode')))
    return G([ref for d, ref, r in items], [str(len(items))],
             'Immunization ATC J07BA01 (Encepur, tick-borne encephalitis / FSME), completed: %d doses (%s)' %
             (len(items), ', '.join(day(x[0]) for x in items)))


@case(15, 'Emery_Purdy', 'ever_had', [
    "bonjour, mon mari a reçu le courrier pour le dépistage du cancer colorectal (le test à faire à la maison) mais il "
    "me dit qu'il a déjà eu une coloscopie il y a quelques années et que ça ne le concerne pas. c'est vrai qu'il en a eu "
    "une ? il est un peu de mauvaise foi quand il s'agit de ce genre de test 😅"])
def c015():
    items = procedures('Emery_Purdy', '73761001')
    return G([ref for d, ref, r in items], [day(d) for d, ref, r in items],
             'Procedure SNOMED 73761001 (colonoscopy): %s -> yes' % ', '.join('%s on %s' % (ref, day(d)) for d, ref, r in items))


@case(16, 'Lupe_Little', 'previous', [
    "mon hémoglobine glyquée, pas la dernière mais celle d'avant, elle était à combien ?"])
def c016():
    items = previous_day(observations('Lupe_Little', '4548-4'))
    return G([ref for d, ref, r in items], [num(qty(r)) for d, ref, r in items] + [day(items[0][0])],
             'HbA1c (LOINC 4548-4), second-latest clinical day: %s' % '; '.join('%s = %s %%' % (day(d), qty(r)) for d, ref, r in items))


@case(17, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'meaning', [
    "Ma fille a été vue fin février 2020 quand elle a eu le covid. Il y a une mesure de l'oxygène dans son dossier, "
    "c'était combien et est-ce que c'était normal ? Elle va bien maintenant mais je n'avais rien compris sur le moment"])
def c017():
    key = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    items = observations(key, '59408-5')
    assert len(items) == 1
    d, ref, r = items[0]
    assert 'referenceRange' not in r
    return G([ref], [num(qty(r))], 'oxygen saturation by pulse oximetry (LOINC 59408-5) on %s = %s %%; no referenceRange or '
             'interpretation recorded; well below the usual >=95%% of a healthy child, i.e. abnormally low' % (day(d), qty(r)))


@case(18, 'Liz_Conn', 'not_found', [
    "est-ce que j'ai déjà eu un bilan thyroïdien ? mon nouveau médecin traitant veut savoir ma dernière TSH et moi j'en ai aucune idée"])
def c018():
    hits = absent('Liz_Conn', ['3016-3', '3024-7', '3051-0', 'thyro', 'tsh'])
    assert not hits, hits
    return G([], [], 'no TSH / thyroid test (LOINC 3016-3, 3024-7, 3051-0, keyword thyro/TSH) anywhere in the record -> not in record', nf=True)


@case(19, 'Fidel_Bins', 'last_visit', [
    "c'était quand mon dernier rdv au cabinet et on avait fait quoi ce jour-là ?"])
def c019():
    d, ref, r = encounters('Fidel_Bins')[-1]
    same = [x for x in immunizations('Fidel_Bins') if day(x[0]) == day(d)] + [x for x in procedures('Fidel_Bins') if day(x[0]) == day(d)]
    return G([ref] + [x[1] for x in same], [day(d)],
             'latest Encounter by period.start: %s on %s (%s); same day: %s' %
             (ref, day(d), r['type'][0].get('text'), '; '.join(disp(x[2], 'vaccineCode') or disp(x[2]) for x in same)), match='any')


@case(20, 'Vito_Feeney', 'followup', [
    "Mon père est décédé en 1979 d'un cancer de la prostate et mon urologue me demande des précisions sur ses "
    "antécédents. J'ai accès à son dossier. Il a eu combien de biopsies de la prostate ?",
    "et la dernière, elle avait montré quoi ?"])
def c020():
    items = procedures('Vito_Feeney', '65575008')
    d, ref, r = items[-1]
    res_obs = [x for x in observations('Vito_Feeney', '46288-7') if day(x[0]) == day(d)]
    ro = res_obs[0][2]['valueCodeableConcept']['coding'][0]['display']
    return G([ref] + [x[1] for x in res_obs], [day(d)],
             'Procedure SNOMED 65575008 (prostate biopsy): %d in total (%s). Last one %s on %s; its result Observation LOINC 46288-7 = "%s" '
             '(neoplasm of prostate diagnosed the same day). Citing the procedure or the result is enough' %
             (len(items), ', '.join(day(x[0]) for x in items), ref, day(d), ro), match='any')



# ====================================================================== cases 021-030
@case(21, 'AT_ELGA_GmbH_01', 'latest', [
    "ma tension, la dernière mesure qui est dans mon dossier (celui d'Autriche), c'était combien ? mon cardiologue ici "
    "à Strasbourg me la demande et j'ai pas mon carnet"])
def c021():
    sys_ = observations('AT_ELGA_GmbH_01', '8480-6')
    dia = observations('AT_ELGA_GmbH_01', '8462-4')
    last = max(day(x[0]) for x in sys_ + dia)
    items = [x for x in sys_ + dia if day(x[0]) == last]
    items.sort(key=lambda x: x[1])
    vals = []
    for d, ref, r in sys_ + dia:
        if day(d) == last:
            vals.append(num(qty(r)))
    desc = '; '.join('%s %s=%s' % (ref, codes(r['code'])[0], qty(r)) for d, ref, r in sys_ + dia if day(d) == last)
    return G([x[1] for x in items], vals,
             'systolic (8480-6) and diastolic (8462-4) are separate Observations without id (refs = fullUrl). Latest day %s holds '
             'two readings at 08:30 (one with effectivePeriod 08:30-08:35, one with effectiveDateTime 08:30): %s. Both readings '
             '(110/70 and 117/64) are gold' % (last, desc))


@case(22, 'US_MEDITECH_ips_2', 'list', [
    "je suis allergique à quoi déjà ? je remplis le dossier de pré-admission pour la clinique et il y a une case allergies médicamenteuses"])
def c022():
    items = [(ref, r) for ref, r in res('US_MEDITECH_ips_2', 'AllergyIntolerance') if clinical_status(r) == 'active']
    return G([ref for ref, r in items], [], 'active AllergyIntolerance (%d): %s' % (len(items), '; '.join(
        '%s (%s, reaction %s, criticality %s)' % (disp(r), ref, r['reaction'][0]['manifestation'][0].get('text'), r.get('criticality'))
        for ref, r in items)))


@case(23, 'IPS_IG-bundle-01', 'still_on', [
    "Est-ce que je suis toujours sous anastrozole, ou est-ce qu'ils l'ont arrêté une fois le traitement du cancer fini ? "
    "Je m'embrouille avec toutes ces ordonnances"])
def c023():
    key = 'IPS_IG-bundle-01'
    hits = []
    for ref, r in res(key, 'MedicationStatement'):
        m = by_ref(key, r['medicationReference']['reference'])
        if any('anastrozol' in d.lower() for d in displays(m['code'])):
            hits.append((ref, r))
    assert len(hits) == 1
    ref, r = hits[0]
    return G([ref], [r['effectivePeriod']['start']],
             'MedicationStatement -> Medication anastrozole 1 mg, status=%s, effectivePeriod start %s with no end -> still taking it '
             '(breast cancer Condition is in remission, the hormone therapy continues)' % (r['status'], r['effectivePeriod']['start']))


@case(24, 'Annmarie_Doyle', 'count', [
    "Ma grand-mère a fait combien de vaccins contre la grippe en tout d'après son dossier ? Elle dit qu'elle le fait "
    "« tous les ans depuis toujours », j'ai un doute"])
def c024():
    items = immunizations('Annmarie_Doyle', pred=lambda r: r['status'] == 'completed' and
                          'influenza' in ' '.join(displays(r.get('vaccineCode'))).lower())
    years = [x[0][:4] for x in items]
    return G([ref for d, ref, r in items], [str(len(items))],
             'completed influenza Immunizations (CVX 140): %d, one per year %s-%s (%s)' % (len(items), years[0], years[-1], ', '.join(day(x[0]) for x in items)))


@case(25, 'Laurie_McCullough', 'ever_had', [
    "j'ai été vaccinée contre le papillomavirus quand j'étais ado ? ma gynéco me pose la question avant le frottis et "
    "ma mère se souvient plus"])
def c025():
    items = immunizations('Laurie_McCullough', pred=lambda r: r['status'] == 'completed' and 'hpv' in ' '.join(displays(r.get('vaccineCode'))).lower())
    return G([ref for d, ref, r in items], [day(d) for d, ref, r in items],
             'completed HPV Immunizations (CVX 62, quadrivalent): %d doses on %s -> yes' % (len(items), ', '.join(day(x[0]) for x in items)))


@case(26, 'Laurie_McCullough', 'value_in_year', [
    "Ma tension en 2017 elle était à combien ? C'est l'année où on m'a dit que j'avais de l'hypertension et je voudrais "
    "comparer avec ce que je mesure maintenant avec mon appareil"])
def c026():
    items = [x for x in observations('Laurie_McCullough', '55284-4') if x[0].startswith('2017')]
    vals = []
    for d, ref, r in items:
        vals += [num(component(r, '8480-6')), num(component(r, '8462-4'))]
    return G([ref for d, ref, r in items], vals, 'blood pressure panel (LOINC 55284-4) in 2017: %s' % '; '.join(
        '%s systolic %s / diastolic %s' % (day(d), component(r, '8480-6'), component(r, '8462-4')) for d, ref, r in items))


@case(27, 'IPS_IG-bundle-01', 'meaning', [
    "dans mon dossier il y a une hémoglobine glyquée de novembre 2017. elle est bonne ou pas ? mon médecin m'en avait "
    "parlé vite fait et j'ai pas osé redemander"])
def c027():
    items = observations('IPS_IG-bundle-01', '17856-6')
    assert len(items) == 1
    d, ref, r = items[0]
    assert 'referenceRange' not in r
    return G([ref], [num(qty(r))], 'HbA1c (LOINC 17856-6) on %s = %s %%; no referenceRange recorded; the record note says "%s" '
             '-> above her target' % (day(d), qty(r), r['note'][0]['text']))


@case(28, 'Luigi_Wiegand', 'not_found', [
    "mon bébé avait la jaunisse à la naissance et je crois qu'on lui avait fait une prise de sang pour la bilirubine. "
    "c'était combien le résultat ?"])
def c028():
    hits = absent('Luigi_Wiegand', ['bilirubin', '1975-2', '42035005', 'jaundice', 'icter', 'hyperbilirubin'])
    assert not hits, hits
    return G([], [], 'no bilirubin result (LOINC 1975-2 or any bilirubin code) and no jaundice Condition in the record; the '
             'only newborn blood test is a CBC -> not in record', nf=True)


@case(29, 'Daisey_Johns', 'last_visit', [
    "la dernière fois que ma fille a vu le médecin c'était quand et c'était pour quoi ? je dois remplir la fiche "
    "sanitaire pour le centre aéré"])
def c029():
    d, ref, r = encounters('Daisey_Johns')[-1]
    same = [x for x in immunizations('Daisey_Johns') if day(x[0]) == day(d)] + [x for x in procedures('Daisey_Johns') if day(x[0]) == day(d)]
    return G([ref] + [x[1] for x in same], [day(d)],
             'latest Encounter by period.start (entries are not in date order in the file): %s on %s (%s); same day: %s' %
             (ref, day(d), r['type'][0].get('text'), '; '.join(disp(x[2], 'vaccineCode') or disp(x[2]) for x in same)), match='any')


@case(30, 'Lupe_Little', 'followup', [
    "c'était combien ma tension au dernier contrôle ?",
    "et la fois d'avant ?"])
def c030():
    items = previous_day(observations('Lupe_Little', '55284-4'))
    vals = []
    for d, ref, r in items:
        vals += [num(component(r, '8480-6')), num(component(r, '8462-4'))]
    last = latest_same_day(observations('Lupe_Little', '55284-4'))[0]
    return G([ref for d, ref, r in items], vals + [day(items[0][0])],
             'blood pressure panel (LOINC 55284-4). Latest %s = %s/%s; the follow-up asks for the one before: %s' %
             (day(last[0]), component(last[2], '8480-6'), component(last[2], '8462-4'), '; '.join(
                 '%s systolic %s / diastolic %s' % (day(d), component(r, '8480-6'), component(r, '8462-4')) for d, ref, r in items)))



# ====================================================================== cases 031-040
@case(31, 'Emery_Purdy', 'latest', [
    "Bonsoir, mon diabétologue me demande ma dernière hémoglobine glyquée pour ajuster le traitement, je l'ai pas sous la main. "
    "Elle est à combien ?"])
def c031():
    items = latest_same_day(observations('Emery_Purdy', '4548-4'))
    return G([ref for d, ref, r in items], [num(qty(r)) for d, ref, r in items] + [day(items[0][0])],
             'latest HbA1c (LOINC 4548-4) by effectiveDateTime: %s' % '; '.join('%s = %s %%' % (day(d), qty(r)) for d, ref, r in items))


@case(32, 'Martina_Murazik', 'list', [
    "Bonjour, ma mère entre à l'hôpital la semaine prochaine pour un bilan de son cœur et l'infirmière m'a demandé "
    "d'apporter la liste de TOUS ses traitements en cours. Elle a un pilulier mais elle mélange un peu tout, et moi je ne "
    "suis pas sûre de ce qui est encore d'actualité (il y avait du fer il y a longtemps je crois ?). Qu'est-ce qui est "
    "noté comme traitement actuel dans son dossier ?"])
def c032():
    items = med_requests('Martina_Murazik', lambda r: r['status'] == 'active')
    return G([ref for d, ref, r in items], [], 'MedicationRequests with status=active (%d): %s' % (len(items), '; '.join(
        '%s (since %s)' % (disp(r, 'medicationCodeableConcept'), day(d)) for d, ref, r in items)) +
        '. Ferrous sulfate is still status=active in the record (prescribed 1977) so it belongs to the list')


@case(33, 'Josue_Sipes', 'still_on', [
    "le clopidogrel qu'on m'a donné après mon AVC je dois continuer ou pas ?? dans ma tête c'était à vie mais ma fille "
    "dit qu'il a été arrêté"])
def c033():
    items = med_requests('Josue_Sipes', lambda r: 'clopidogrel' in disp(r, 'medicationCodeableConcept').lower())
    assert len(items) == 1
    d, ref, r = items[0]
    return G([ref], [day(d)], 'MedicationRequest %s status=%s, prescribed %s (stroke encounter) -> stopped according to the record' %
             (disp(r, 'medicationCodeableConcept'), r['status'], day(d)))


@case(34, 'Vito_Feeney', 'count', [
    "question pour le dossier de mon grand-père Vito (décédé en 1979) : on lui a dosé le PSA combien de fois en tout ? "
    "je fais un arbre généalogique médical pour mes frères"])
def c034():
    items = observations('Vito_Feeney', '2857-1')
    return G([ref for d, ref, r in items], [str(len(items))],
             'Observation LOINC 2857-1 (PSA): %d results (%s)' % (len(items), ', '.join('%s=%s' % (day(d), num(qty(r))) for d, ref, r in items)))


@case(35, 'Renea_Quigley', 'ever_had', [
    "Est-ce que j'ai déjà eu le vaccin contre le zona ? Ma voisine vient d'en faire un horrible et ça me fait un peu "
    "peur, j'ai 63 ans"])
def c035():
    zos = immunizations('Renea_Quigley', pred=lambda r: set(codes(r.get('vaccineCode'))) & {'121', '187'} or
                        any(w in ' '.join(displays(r.get('vaccineCode'))).lower() for w in ('zoster', 'shingl')))
    assert not zos
    hits = absent('Renea_Quigley', ['zoster', 'shingles', 'shingrix', 'zostavax'])
    assert not hits, hits
    return G([], [], 'no Immunization with CVX 121/187 or any zoster/shingles display (the record only has influenza and Td '
             'vaccines) -> no shingles vaccine in the record', nf=True)


@case(36, 'Martina_Murazik', 'previous', [
    "Mon test du souffle (spirométrie), pas le dernier mais celui d'avant, ça donnait quoi ? Le pneumologue veut voir "
    "si ça baisse"])
def c036():
    items = previous_day(observations('Martina_Murazik', '19926-5'))
    last = latest_same_day(observations('Martina_Murazik', '19926-5'))[0]
    return G([ref for d, ref, r in items], [num(qty(r)) for d, ref, r in items] + [day(items[0][0])],
             'FEV1/FVC (LOINC 19926-5), second-latest clinical day: %s (latest is %s = %s %%)' % (
                 '; '.join('%s = %s %%' % (day(d), qty(r)) for d, ref, r in items), day(last[0]), qty(last[2])))


@case(37, 'Josue_Sipes', 'meaning', [
    "ma fonction rénale sur la dernière prise de sang, c'est grave ou pas ? on m'a dit que mes reins « fatiguaient un "
    "peu » et depuis je dors mal"])
def c037():
    items = latest_same_day(observations('Josue_Sipes', '33914-3'))
    for d, ref, r in items:
        assert 'referenceRange' not in r
    return G([ref for d, ref, r in items], [num(qty(r)) for d, ref, r in items],
             'eGFR (LOINC 33914-3) on the latest day %s: %s; no referenceRange recorded. Two results the same day with different '
             'displays: both are gold and a careful answer reports both (one below 60 = reduced kidney function, consistent with '
             'the diabetic renal disease / CKD Conditions)' % (day(items[0][0]), '; '.join(
                 '%s "%s" = %s %s' % (ref, r['code']['coding'][0]['display'], qty(r), r['valueQuantity'].get('unit')) for d, ref, r in items)))


@case(38, 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir', 'not_found', [
    "quels médicaments on a donné à ma fille quand elle a eu le covid en février 2020 ? je voudrais savoir si c'était "
    "du doliprane ou autre chose, elle refait de la fièvre"])
def c038():
    key = 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'
    types = set(r['resourceType'] for ref, r, e in load(key))
    assert not types & {'MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'MedicationDispense', 'Medication'}
    comp = [r for ref, r in res(key, 'Composition')][0]
    medsec = [sct for sct in comp['section'] if sct.get('title') == 'Medications'][0]
    assert not medsec.get('entry')
    return G([], [], 'no Medication* resources; the Composition "Medications" section has no entries (the embedded C-CDA '
             'says there are no current medications) -> nothing recorded', nf=True)


@case(39, 'Lupe_Little', 'last_visit', [
    "Je suis allé chez le médecin quand la dernière fois ? Et c'était pour quoi ? Je dois le dire à la médecine du travail"])
def c039():
    d, ref, r = encounters('Lupe_Little')[-1]
    conds = [(cref, c) for cref, c in res('Lupe_Little', 'Condition') if day(c.get('onsetDateTime')) == day(d)]
    return G([ref] + [cref for cref, c in conds], [day(d)],
             'latest Encounter by period.start: %s on %s (%s, reason %s); Condition diagnosed that day: %s' %
             (ref, day(d), r['type'][0].get('text'), disp(r['reasonCode'][0] and {'code': r['reasonCode'][0]}),
              '; '.join('%s %s' % (cref, disp(c)) for cref, c in conds)), match='any')


@case(40, 'Luigi_Wiegand', 'followup', [
    "il a eu combien de vaccins à son dernier rendez-vous mon fils ? il a pleuré tout l'après-midi le pauvre",
    "et depuis sa naissance ça fait combien en tout ?"])
def c040():
    items = immunizations('Luigi_Wiegand', pred=lambda r: r['status'] == 'completed')
    last_enc = encounters('Luigi_Wiegand')[-1]
    at_last = [x for x in items if day(x[0]) == day(last_enc[0])]
    return G([ref for d, ref, r in items], [str(len(items))],
             'completed Immunizations: %d at the last visit %s; the follow-up asks for the total since birth: %d (%s)' %
             (len(at_last), day(last_enc[0]), len(items), ', '.join('%s %s' % (day(d), disp(r, 'vaccineCode')) for d, ref, r in items)))


# ====================================================================== driver
def build(c):
    g = c['fn']()
    line = {'id': 'rb10-fr-%03d' % c['num'], 'lang': 'fr', 'patient': c['patient'], 'kind': c['kind'],
            'turns': c['turns']}
    line.update(g)
    return line


def main():
    args = sys.argv[1:]
    lines = [build(c) for c in sorted(CASES, key=lambda c: c['num'])]
    if args and args[0] == '--print':
        for l in lines:
            print(json.dumps(l, ensure_ascii=False))
        return
    if args and args[0] == '--write':
        n = int(args[1])
        batch = [l for l in lines if 10 * (n - 1) < int(l['id'][-3:]) <= 10 * n]
        path = os.path.join(OUT, 'fr-%02d.jsonl' % n)
        if os.path.exists(path):
            sys.exit('%s already saved (final); not overwriting' % path)
        with open(path, 'w', encoding='utf-8') as f:
            for l in batch:
                f.write(json.dumps(l, ensure_ascii=False) + '\n')
        print('wrote', path, len(batch))
        return
    # default: compare recomputed gold with saved files
    saved = {}
    for f in sorted(glob.glob(os.path.join(OUT, 'fr-*.jsonl'))):
        for l in open(f, encoding='utf-8'):
            d = json.loads(l)
            saved[d['id']] = d
    bad = 0
    for l in lines:
        s = saved.get(l['id'])
        if s is None:
            print('not saved yet:', l['id'])
            continue
        for k in ('gold_refs', 'match', 'gold_values', 'expect_not_found', 'note', 'turns', 'kind', 'patient'):
            if s.get(k) != l.get(k):
                bad += 1
                print('MISMATCH', l['id'], k)
    print('checked %d cases, %d mismatches' % (len(saved), bad))


if __name__ == '__main__':
    main()
