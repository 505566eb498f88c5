#!/usr/bin/env python3
"""Gold computation for blind record-question set rb3 (standard library only).

Usage:
  python3 gold.py          -> (re)writes cases.jsonl next to this script
  python3 gold.py --check  -> recomputes every gold field from the FHIR files and compares with cases.jsonl
"""
import json, glob, os, sys, re, collections

HERE = os.path.dirname(os.path.abspath(__file__))
SYN = '/work/shared/data/synthea'
RW = '/work/shared/data/realworld'
OUT = os.path.join(HERE, 'cases.jsonl')

# ---------------------------------------------------------------- loading
_cache = {}
def patient_file(key):
    for f in glob.glob(os.path.join(RW, '*.json')):
        if os.path.basename(f)[:-5] == key:
            return f
    hits = [f for f in glob.glob(os.path.join(SYN, '*.json'))
            if re.sub(r'_[0-9a-f]{8}-[0-9a-f-]+$', '', os.path.basename(f)[:-5]) == key]
    assert len(hits) == 1, (key, hits)
    return hits[0]

def entries(key):
    """list of (ref, resource); ref = Type/id, or the entry fullUrl when the resource has no id"""
    if key not in _cache:
        b = json.load(open(patient_file(key), encoding='utf-8'))
        out = []
        for e in b.get('entry', []):
            r = e.get('resource') or {}
            rt = r.get('resourceType')
            if not rt:
                continue
            ref = f"{rt}/{r['id']}" if r.get('id') else e.get('fullUrl')
            out.append((ref, r))
        _cache[key] = out
    return _cache[key]

def by_type(key, rt):
    return [(ref, r) for ref, r in entries(key) if r['resourceType'] == rt]

def resolve(key, reference):
    """resolve a reference (urn:uuid or Type/id or absolute url) inside the bundle"""
    b = json.load(open(patient_file(key), encoding='utf-8'))
    for e in b['entry']:
        r = e['resource']
        fu = e.get('fullUrl', '')
        if fu == reference or (r.get('id') and (reference == f"{r['resourceType']}/{r['id']}" or fu.endswith('/' + reference))):
            return r
    return None

# ---------------------------------------------------------------- field helpers
def codes(cc):
    return [c.get('code') for c in (cc or {}).get('coding', [])]

def texts(cc):
    cc = cc or {}
    t = [c.get('display') or '' for c in cc.get('coding', [])]
    if cc.get('text'):
        t.append(cc['text'])
    return ' | '.join(t)

def rdate(r):
    """clinical date of a resource, as the record writes it (may be partial)"""
    for k in ('effectiveDateTime', 'occurrenceDateTime', 'performedDateTime', 'authoredOn', 'onsetDateTime'):
        if r.get(k):
            return r[k]
    for k in ('effectivePeriod', 'performedPeriod', 'period'):
        if isinstance(r.get(k), dict) and r[k].get('start'):
            return r[k]['start']
    return ''

def day(r):
    return rdate(r)[:10]

def num(v, nd=None):
    """format a number the way an answer would quote it: whole floats as integers; short decimals as
    written; long floats rounded (>= 20 -> whole number, else 1 decimal) unless nd is given"""
    if isinstance(v, str):
        return v
    if nd is not None:
        return str(int(round(v))) if nd == 0 else f"{v:.{nd}f}"
    if float(v).is_integer():
        return str(int(v))
    s = repr(v)
    if len(s.split('.')[-1]) <= 2:
        return s
    return str(int(round(v))) if abs(v) >= 20 else f"{v:.1f}"

def obs_value(r, code=None):
    """value of an Observation; if code is a component code, the component value"""
    if code and code not in codes(r.get('code')):
        for c in r.get('component', []):
            if code in codes(c.get('code')):
                return c.get('valueQuantity', {}).get('value')
        return None
    if 'valueQuantity' in r:
        return r['valueQuantity'].get('value')
    if 'valueCodeableConcept' in r:
        return texts(r['valueCodeableConcept'])
    if 'valueString' in r:
        return r['valueString']
    return None

def obs_with(key, code, text_has=None):
    """Observations carrying the code (own code or a component code), sorted by date"""
    out = []
    for ref, r in by_type(key, 'Observation'):
        own = code in codes(r.get('code'))
        comp = any(code in codes(c.get('code')) for c in r.get('component', []))
        if not (own or comp):
            continue
        if text_has and text_has.lower() not in texts(r.get('code')).lower():
            continue
        if obs_value(r, code) is None:
            continue
        out.append((rdate(r), ref, r))
    out.sort(key=lambda x: x[0])
    return out

# ---------------------------------------------------------------- gold queries
def G(refs, match='all', values=(), nf=False, note=''):
    return {'gold_refs': list(refs), 'match': match, 'gold_values': list(values),
            'expect_not_found': nf, 'note': note}

def q_latest(key, code_list, text_has=None, nd=None, label=''):
    """latest result(s) by clinical date for one or more codes (e.g. systolic+diastolic); every
    result on the latest date is gold"""
    refs, vals, notes = [], [], []
    for code in code_list:
        obs = [o for o in obs_with(key, code, text_has) if o[0]]
        last = max(o[0][:10] for o in obs)
        for d, ref, r in obs:
            if d[:10] == last:
                v = obs_value(r, code)
                if ref not in refs:
                    refs.append(ref)
                fv = num(v, nd)
                if fv not in vals:
                    vals.append(fv)
                notes.append(f"{code}={v}@{d[:10]}")
        if last not in vals:
            vals.append(last)
    return G(refs, 'all', vals, note=f"latest Observation {'/'.join(code_list)}{' ['+text_has+']' if text_has else ''} by effective date: " + '; '.join(notes) + (' ' + label if label else ''))

def q_in_year(key, code_list, year, text_has=None, nd=None):
    refs, vals, notes = [], [], []
    for code in code_list:
        for d, ref, r in obs_with(key, code, text_has):
            if d[:4] == str(year):
                v = obs_value(r, code)
                if ref not in refs:
                    refs.append(ref)
                fv = num(v, nd)
                if fv not in vals:
                    vals.append(fv)
                notes.append(f"{code}={v}@{d[:10]}")
    assert refs, (key, code_list, year)
    return G(refs, 'all', vals, note=f"Observation(s) {'/'.join(code_list)} dated {year}: " + '; '.join(notes))

def q_previous(key, code_list, text_has=None, nd=None, back=1):
    """result(s) on the distinct date before the latest (back=1), or further back"""
    refs, vals, notes = [], [], []
    for code in code_list:
        obs = obs_with(key, code, text_has)
        dates = sorted({o[0][:10] for o in obs})
        target = dates[-1 - back]
        for d, ref, r in obs:
            if d[:10] == target:
                v = obs_value(r, code)
                if ref not in refs:
                    refs.append(ref)
                fv = num(v, nd)
                if fv not in vals:
                    vals.append(fv)
                notes.append(f"{code}={v}@{target}")
        if target not in vals:
            vals.append(target)
    return G(refs, 'all', vals, note=f"Observation {'/'.join(code_list)}, distinct date #{back+1} from the latest: " + '; '.join(notes))

def _match_res(r, rt, code=None, text=None):
    cc = r.get('vaccineCode') or r.get('code') or r.get('medicationCodeableConcept') or r.get('type', [{}])
    if isinstance(cc, list):
        cc = cc[0] if cc else {}
    if code and code not in codes(cc):
        return False
    if text and text.lower() not in texts(cc).lower():
        return False
    return True

def find(key, rt, code=None, text=None, status_ok=None, start=None, end=None):
    out = []
    for ref, r in by_type(key, rt):
        if not _match_res(r, rt, code, text):
            continue
        if status_ok and r.get('status') not in status_ok:
            continue
        d = day(r)
        if start and d < start:
            continue
        if end and d > end:
            continue
        out.append((rdate(r), ref, r))
    out.sort(key=lambda x: x[0])
    return out

def q_count(key, rt, code=None, text=None, start=None, end=None, status_ok=None, what=''):
    hits = find(key, rt, code, text, status_ok, start, end)
    n = len(hits)
    return G([h[1] for h in hits], 'any', [str(n)],
             note=f"count of {rt}{' code '+code if code else ''}{' text~'+text if text else ''} between {start or 'start'} and {end or 'end'}"
                  f"{' status in '+str(status_ok) if status_ok else ''} = {n} ({', '.join(h[0][:10] for h in hits)}) {what}")

def q_count_distinct_days(key, rt, code=None, text=None, start=None, end=None, what=''):
    hits = find(key, rt, code, text, None, start, end)
    days = sorted({h[0][:10] for h in hits})
    return G([h[1] for h in hits], 'any', [str(len(days))],
             note=f"distinct dates of {rt} {code or text} between {start} and {end} = {len(days)} {days} {what}")

def q_ever(key, rt, code=None, text=None, status_ok=('completed',), what=''):
    hits = find(key, rt, code, text, status_ok)
    if not hits:
        return G([], 'any', [], True, note=f"no {rt} matching {code or text} in the record -> honest NO / not in record {what}")
    return G([h[1] for h in hits], 'any', [hits[-1][0][:10]],
             note=f"{len(hits)} {rt} matching {code or text}: {[h[0][:10] for h in hits]}; most recent date is gold value {what}")

def q_none(key, checks, what=''):
    """not in record: verify that none of (resourceType, substring) occurs in any code text"""
    for rt, sub in checks:
        for ref, r in by_type(key, rt):
            blob = json.dumps(r, ensure_ascii=False).lower()
            assert sub.lower() not in blob, (key, rt, sub, ref)
    return G([], 'any', [], True, note=f"verified absent: {checks} {what}")

def q_last_visit(key, what=''):
    encs = sorted(by_type(key, 'Encounter'), key=lambda x: rdate(x[1]))
    ref, r = encs[-1]
    t = texts((r.get('type') or [{}])[0])
    return G([ref], 'all', [day(r)], note=f"latest Encounter by period.start: {day(r)} type '{t}' reason '{texts((r.get('reasonCode') or [{}])[0])}' {what}")

def q_list(key, rt, refs_filter, what=''):
    """refs_filter(ref, r) -> bool; gold is all matching resources"""
    hits = [(ref, r) for ref, r in by_type(key, rt) if refs_filter(ref, r)]
    return hits

def clin(r):
    c = codes(r.get('clinicalStatus'))
    return c[0] if c else None

def q_active_conditions(key, exclude_text=(), what=''):
    hits = [(ref, r) for ref, r in by_type(key, 'Condition') if clin(r) in ('active', 'recurrence', 'relapse')
            and not any(x.lower() in texts(r.get('code')).lower() for x in exclude_text)]
    return G([h[0] for h in hits], 'all', [],
             note=f"Conditions with clinicalStatus active ({len(hits)}): " + '; '.join(texts(h[1].get('code'))[:60] for h in hits) + ' ' + what)

def q_active_meds(key, what=''):
    hits = []
    for rt in ('MedicationRequest', 'MedicationStatement'):
        for ref, r in by_type(key, rt):
            if r.get('status') == 'active':
                hits.append((ref, r))
    names = []
    for ref, r in hits:
        if 'medicationCodeableConcept' in r:
            names.append(texts(r['medicationCodeableConcept'])[:50])
        else:
            m = resolve(key, r['medicationReference']['reference'])
            names.append(r['medicationReference'].get('display') or (texts(m.get('code'))[:50] if m else r['medicationReference'].get('reference')))
    return G([h[0] for h in hits], 'all', [], note=f"medication resources with status active ({len(hits)}): {names} {what}")

def q_allergies(key, what=''):
    hits = []
    for ref, r in by_type(key, 'AllergyIntolerance'):
        t = texts(r.get('code')).lower()
        if 'no known' in t or codes(r.get('code')) and codes(r.get('code'))[0] in ('716186003', '429625007', '409137002', '428607008'):
            continue
        if clin(r) not in (None, 'active'):
            continue
        hits.append((ref, r))
    return G([h[0] for h in hits], 'all', [], note=f"AllergyIntolerance active, excluding 'no known ...' negations ({len(hits)}): " + '; '.join(texts(h[1].get('code'))[:50] for h in hits) + ' ' + what)

def q_vaccines(key, what=''):
    hits = find(key, 'Immunization', status_ok=('completed',))
    kinds = collections.OrderedDict()
    for d, ref, r in hits:
        kinds.setdefault(texts(r['vaccineCode']), []).append(d[:10])
    return G([h[1] for h in hits], 'any', [],
             note=f"completed Immunizations ({len(hits)}): {dict(kinds)} {what}")

def q_still_on(key, rt, text, what=''):
    hits = find(key, rt, text=text) if rt != 'MedicationStatement' else [
        (rdate(r), ref, r) for ref, r in by_type(key, rt) if text.lower() in json.dumps(r).lower()]
    assert hits, (key, text)
    d, ref, r = hits[-1]
    st = r.get('status')
    return G([ref], 'all', [st if st in ('active', 'stopped', 'completed') else st, d[:10]],
             note=f"most recent {rt} for '{text}': status={st}, date={d[:10]} {what}")

def q_meaning(key, code, text_has=None, nd=None, which='latest', what=''):
    obs = obs_with(key, code, text_has)
    if which == 'latest':
        last = max(o[0][:10] for o in obs)
        sel = [o for o in obs if o[0][:10] == last]
    else:
        sel = [o for o in obs if o[0][:10] == which]
    refs, vals, notes = [], [], []
    for d, ref, r in sel:
        v = obs_value(r, code)
        refs.append(ref)
        fv = num(v, nd)
        if fv not in vals:
            vals.append(fv)
        rr = r.get('referenceRange') or []
        lo = rr[0].get('low', {}).get('value') if rr else None
        hi = rr[0].get('high', {}).get('value') if rr else None
        for x in (lo, hi):
            if x is not None and num(x) not in vals:
                vals.append(num(x))
        interp = texts((r.get('interpretation') or [{}])[0])
        notes.append(f"{ref} value={v} range=[{lo},{hi}] interpretation='{interp}' date={d[:10]}")
    return G(refs, 'all', vals, note=f"meaning: {code}: " + '; '.join(notes) + (' (no reference range recorded)' if not any(r.get('referenceRange') for _, _, r in sel) else '') + ' ' + what)

def merge(*gs, match=None, note_extra=''):
    refs, vals = [], []
    for g in gs:
        for x in g['gold_refs']:
            if x not in refs:
                refs.append(x)
        for v in g['gold_values']:
            if v not in vals:
                vals.append(v)
    return G(refs, match or gs[0]['match'], vals, False, ' || '.join(g['note'] for g in gs) + note_extra)

def pick(g, refs=None, values=None, match=None, note=''):
    g = dict(g)
    if refs is not None:
        g['gold_refs'] = refs
    if values is not None:
        g['gold_values'] = values
    if match:
        g['match'] = match
    if note:
        g['note'] = g['note'] + ' ' + note
    return g

# ================================================================ cases
# Each case: (lang, patient, kind, turns, gold-function). Ids are given in order per language.
A, EP, FB, LM, LC, LW, LL, MM, RQ, JS, VF, DJ = ('Annmarie_Doyle', 'Emery_Purdy', 'Fidel_Bins', 'Laurie_McCullough',
    'Liz_Conn', 'Luigi_Wiegand', 'Lupe_Little', 'Martina_Murazik', 'Renea_Quigley', 'Josue_Sipes', 'Vito_Feeney', 'Daisey_Johns')
IPS, AT, MT, LS = 'IPS_IG-bundle-01', 'AT_ELGA_GmbH_01', 'US_MEDITECH_ips_2', 'Lisandra920_Schroeder447_5391757e-f451-f2fe-d2f0-90a839d4d9c4.fhir'

def meditech_problems(k):
    g = q_active_conditions(k, exclude_text=('Encounter for other specified', 'Ms. Alice Newman', 'Chronic Sickness exhibited'),
                            what='(excluded: Z01.89 encounter code and the two narrative paragraphs, which are not problems; Overweight is resolved)')
    return g

def at_aspirin(k):
    hits = [(rdate(r), ref, r) for ref, r in by_type(k, 'MedicationStatement')
            if 'aspirin' in json.dumps(resolve(k, r['medicationReference']['reference']) or {}).lower()]
    dated = sorted(h[0] for h in hits if h[0])
    return G([h[1] for h in hits], 'any', [dated[-1][:10]],
             note=f"{len(hits)} MedicationStatements for Aspirin 500 mg, all status 'unknown'; latest dated entry {dated[-1][:10]}; "
                  "ANSWER: the record cannot say if it is still taken (status unknown), last recorded 2015-08-25")

def meditech_med(k, word):
    refs, st = [], []
    for ref, r in by_type(k, 'MedicationRequest'):
        if word in (r['medicationReference'].get('display') or '').lower():
            refs.append(ref); st.append((r.get('status'), r.get('authoredOn')))
    # NDC-only MedicationStatements matched by dose/route text and date to the request
    ndc = {'darbepoetin': '55513', 'ceftriaxone': '66288', 'acetaminophen': '47682'}[word]
    for ref, r in by_type(k, 'MedicationStatement'):
        if any(c.startswith(ndc) for c in codes(r.get('medicationCodeableConcept'))):
            refs.append(ref); st.append((r.get('status'), r.get('effectivePeriod')))
    return refs, st

def mt_darbe(k):
    refs, st = meditech_med(k, 'darbepoetin')
    return G(refs, 'any', ['2020-11-16'], note=f"darbepoetin alfa (Aranesp): MedicationRequest active authored 2020-11-16 and NDC 55513-0032-01 MedicationStatement active since 2020-11-16; statuses {st}. ANSWER: still active")

def mt_ceftri(k):
    refs, st = meditech_med(k, 'ceftriaxone')
    return G(refs, 'any', ['2020-11-17'], note=f"ceftriaxone: MedicationRequest stopped (2020-11-16) and NDC 66288-6100-01 MedicationStatement completed, period 2020-11-16..2020-11-17; statuses {st}. ANSWER: stopped/finished, last dose period ended 2020-11-17")

def mt_flu(k):
    hits = [(ref, r) for ref, r in by_type(k, 'Immunization') if 'influenza' in texts(r.get('vaccineCode')).lower()]
    assert len(hits) == 1 and hits[0][1]['status'] == 'not-done'
    return G([hits[0][0]], 'all', ['2015-06-22'], note="only influenza Immunization has status not-done (2015-06-22): ANSWER no flu vaccine was given; it is recorded as not done")

def ips_cancer(k):
    g = q_ever(k, 'Condition', text='breast', status_ok=None)
    return pick(g, values=['2015'], note="clinicalStatus remission, onset 2015-01, abatement 2015-03 (partial dates)")

def ips_anastrozole(k):
    hits = [(ref, r) for ref, r in by_type(k, 'MedicationStatement')
            if 'anastrozole' in json.dumps(resolve(k, r['medicationReference']['reference'])).lower()]
    ref, r = hits[0]
    return G([ref], 'all', ['2015'], note=f"MedicationStatement -> Medication anastrozole 1 mg, status {r['status']}, effectivePeriod.start {r['effectivePeriod']['start']}; ANSWER: active since 2015-03")

def ips_mrsa(k):
    g = q_ever(k, 'Observation', code='42803-7', status_ok=('final',))
    return pick(g, values=['2017-12-10'], note="Bacteria identified: MRSA, note 'Healthy carrier of MRSA'")

def ls_covid(k):
    g = q_ever(k, 'Condition', code='840539006', status_ok=None)
    return g

def ls_problems(k):
    hits = by_type(k, 'Condition')
    return G([h[0] for h in hits], 'all', ['2020-02-29'], note=f"all {len(hits)} Conditions (no clinicalStatus recorded, all onset 2020-02-29): " + '; '.join(texts(h[1].get('code')) for h in hits))

def followup_last_date(k, rt, code):
    hits = find(k, rt, code=code, status_ok=None)
    return G([hits[-1][1]], 'all', [hits[-1][0][:10]], note=f"most recent {rt} {code}: {hits[-1][0][:10]} (of {len(hits)})")

def at_count_fsme(k):
    hits = find(k, 'Immunization', code='J07BA01', status_ok=('completed',))
    return G([h[1] for h in hits], 'any', [str(len(hits))], note=f"Immunization ATC J07BA01 (Encepur, tick-borne encephalitis / FSME) completed: {len(hits)} doses {[h[0][:10] for h in hits]}")

CASES = [
 # ---------------- Annmarie_Doyle
 ('en', A, 'count', ["hi, im helping my mum (Annmarie) keep track of her stuff. her new GP surgery wants to know her flu jab history. how many flu jabs has she actually had according to this record?"],
  lambda: q_count(A, 'Immunization', code='140', status_ok=('completed',), what='(seasonal influenza CVX 140)')),
 ('fr', A, 'latest', ["Bonjour. Mon médecin traitant part à la retraite et le remplaçant veut revoir tout mon bilan avant de renouveler quoi que ce soit. J'ai 86 ans, je mange déjà sans beurre, je marche tous les jours avec ma voisine, bref je fais attention. Ma fille dit que mon cholestérol était « limite » mais elle exagère toujours. Vous pouvez me dire il était à combien la dernière fois qu'on me l'a mesuré ? Et c'était quand exactement ?"],
  lambda: q_latest(A, ['2093-3'])),
 ('en', A, 'ever_had', ["My daughter keeps nagging me about bowel screening. At 86 I think I've done my share of tests lol. Did I ever actually have a colonoscopy? I honestly can't remember one, I had so many appointments over the years and they all blur together. If I did, when was it?"],
  lambda: q_ever(A, 'Procedure', text='colonoscopy')),
 ('fr', A, 'still_on', ["en rangeant l'armoire à pharmacie je suis tombée sur une vieille boîte d'augmentin à moitié entamée. j'ai un peu le nez qui coule en ce moment, rien de méchant, pas de fièvre, et je me disais que je pourrais finir la boîte. mais avant je voulais savoir : c'est un traitement que je suis censée continuer ou le médecin l'avait arrêté ? et ça date de quand ? je ne veux pas faire n'importe quoi à mon âge"],
  lambda: q_still_on(A, 'MedicationRequest', 'Amoxicillin', what='ANSWER: stopped (short course for sinusitis)')),
 ('en', A, 'previous', ["ok so I've been doing the whole porridge-every-morning thing and cut right down on cheese (painful), and my most recent cholesterol looked better I think. whats the cholesterol number from the check BEFORE my most recent one? want to see if its actually going down or if I'm kidding myself. also when was that one done? my daughter made a spreadsheet and she'll want the date lol"],
  lambda: q_previous(A, ['2093-3'])),
 ('fr', A, 'last_visit', ["Bonjour, c'est la fille de Mme Doyle. Ma mère ne se souvient plus de quand elle a vu le médecin pour la dernière fois et elle doit remplir un papier pour sa mutuelle. Vous pouvez me dire la date de sa dernière consultation et c'était pour quoi ?"],
  lambda: q_last_visit(A)),
 ('en', A, 'meaning', ["the nurse said something about my BMI at my last check up and i didnt catch it because my hearing aid was playing up. i've put on a bit of weight since my husband passed, comfort eating i suppose, and my knees are complaining. what was the BMI number and is that a normal number for someone my age? i'm 5 ft 3 ish and i don't want to go on some silly diet if i don't need to"],
  lambda: q_meaning(A, '39156-5')),
 ('fr', A, 'not_found', ["je vais chez le dentiste jeudi pour enlever une dent qui me fait souffrir depuis des semaines, et la secrétaire m'a demandé au téléphone la liste de mes allergies. moi je ne crois pas être allergique à quoi que ce soit, à part peut-être les fraises quand j'étais petite, mais je ne voudrais pas dire une bêtise. qu'est-ce qu'il y a de noté dans mon dossier comme allergies ?"],
  lambda: q_none(A, [('AllergyIntolerance', '')], what='(no AllergyIntolerance resource at all)') if not by_type(A, 'AllergyIntolerance') else None),

 # ---------------- Emery_Purdy
 ('en', EP, 'followup', ["did I get the shingles vaccine? my wife had hers and she says I need it too", "ok and when was the last dose?"],
  lambda: q_ever(EP, 'Immunization', code='121', what='(zoster CVX 121; 2 doses)')),
 ('fr', EP, 'last_visit', ["j'ai rdv chez l'ophtalmo la semaine prochaine pour le fond d'œil (diabète oblige) et sur le questionnaire ils demandent la date de la dernière consultation chez le médecin traitant et le motif. j'ai aussi des fourmis dans les pieds depuis un moment mais ça c'est une autre histoire. c'était quand mon dernier rdv et c'était pour quoi ? merci beaucoup !"],
  lambda: q_last_visit(EP)),
 ('en', EP, 'latest', ["so my diabetes nurse keeps talking about my '3 month sugar test' like I'm supposed to know what that is. I check my finger prick at home and it's usually fine-ish, 120s in the morning, sometimes higher after pasta. Neuropathy in the feet is the annoying part. Anyway, what did the last one of those 3 month tests come back at, and when was it? I want to have it written down before my next review."],
  lambda: q_latest(EP, ['4548-4'])),
 ('fr', EP, 'count', ["Depuis 2019, on m'a fait combien de fois l'hémoglobine glyquée ? Mon diabétologue trouve que ce n'est pas assez souvent, moi j'ai l'impression d'en faire tout le temps."],
  lambda: q_count(EP, 'Observation', code='4548-4', start='2019-01-01', what='(HbA1c since 2019-01-01)')),
 ('en', EP, 'not_found', ["I've got type 2 diabetes for years now and my brother (same thing) is on metformin. Was I ever put on metformin myself? I only remember the blood pressure tablet but my memory isn't great, I had a whiplash thing and a sprained wrist and got loads of different pills back then. Just want to know before I see the new doctor."],
  lambda: q_none(EP, [('MedicationRequest', 'metformin')])),
 ('fr', EP, 'value_in_year', ["Le cardiologue que je vois pour la première fois me demande d'apporter mes anciennes valeurs de tension parce que chez lui j'étais à 16/10 et il veut savoir si c'est nouveau. Moi je prends mon hydrochlorothiazide tous les matins, enfin presque. Est-ce que vous pouvez me dire j'avais combien de tension en 2020, à la visite de cette année-là ?"],
  lambda: q_in_year(EP, ['8480-6', '8462-4'], 2020)),
 ('fr', EP, 'list', ["je dois faire une prise de sang et une fibroscopie le mois prochain et l'infirmière qui m'a appelé veut la liste exacte de ce que je prends. moi j'ai un pilulier mais ma femme s'en occupe et elle est en vacances chez sa sœur. je sais qu'il y a un truc pour la tension. je prends quoi comme médicaments en ce moment d'après le dossier ?"],
  lambda: q_active_meds(EP)),
 ('fr', EP, 'meaning', ["Sur ma prise de sang de 2019 le potassium était noté à 5 et quelque chose. C'est normal ça ou c'est trop haut ? J'ai lu que le potassium élevé c'était dangereux pour le cœur et depuis ça me travaille un peu."],
  lambda: q_meaning(EP, '6298-4', which='2019-01-11')),

 # ---------------- Fidel_Bins
 ('en', FB, 'list', ["can you list everything im allergic to? filling out a form for my kid's school trip as a parent helper and they want mine too 🙄 i know about the nuts obviously and the hay fever stuff but there were a bunch of others from those skin prick tests when i was little and i genuinely can't remember them all. it's a farm visit so animals, hay, the works. dont want to be the dad having a reaction in front of 30 kids lol"],
  lambda: q_allergies(FB)),
 ('fr', FB, 'count', ["Salut. Mon pneumo me demande combien de fois je suis allé aux urgences pour mon asthme, pour savoir si mon asthme est « contrôlé » ou pas. Honnêtement j'ai l'impression que c'était plusieurs fois, il y a eu un hiver horrible où je ne pouvais plus monter les escaliers, mais je mélange peut-être avec les rendez-vous normaux. Qu'est-ce que dit le dossier, combien de passages aux urgences ?"],
  lambda: q_count(FB, 'Encounter', text='emergency', what='(EMER encounters)')),
 ('en', FB, 'still_on', ["quick one - is the blue inhaler (albuterol/salbutamol) still on my active prescriptions or did they take it off? the pharmacy said they couldn't find a repeat for it and i only have one left that's nearly empty. chest is ok at the moment, bit wheezy in the mornings with the pollen but nothing major, no night waking. just don't want to be caught without it"],
  lambda: q_still_on(FB, 'MedicationRequest', 'Albuterol', what='ANSWER: active')),
 ('fr', FB, 'count', ["J'ai eu combien de rendez-vous de suivi pour l'asthme en tout ? Mon pneumologue veut savoir à quelle fréquence j'étais suivi avant de changer de région. Merci d'avance"],
  lambda: q_count(FB, 'Encounter', code='394701000', what='(asthma follow-up encounters)')),
 ('en', FB, 'last_visit', ["When was I last seen at the clinic? Not counting phone calls, just actual visits. I think it was sometime last spring but I could be way off."],
  lambda: q_last_visit(FB)),
 ('fr', FB, 'value_in_year', ["J'ai retrouvé dans un tiroir une vieille feuille d'analyse d'un labo où j'étais allé en vacances, et je voudrais comparer. Le chiffre me semble élevé mais les unités ne sont peut-être pas les mêmes. Mon cholestérol total en 2015 c'était combien d'après mon dossier ? Ça m'aiderait à voir si j'ai dérapé avec les barbecues depuis. Merci."],
  lambda: q_in_year(FB, ['2093-3'], 2015)),
 ('en', FB, 'not_found', ["I'm allergic to nuts and my partner freaked out when she found out I don't carry an epipen. Did a doctor ever prescribe me one? I feel like someone mentioned it years ago but I never picked anything up from the pharmacy. If it's in there I'll go get it filled, if not I'll ask at my next appointment. Thanks in advance."],
  lambda: q_none(FB, [('MedicationRequest', 'epinephrine'), ('MedicationRequest', 'epipen')])),
 ('fr', FB, 'ever_had', ["je pars au Maroc cet été avec des potes, road trip, on va manger un peu partout dans la rue. le site du ministère conseille le vaccin hépatite A. est-ce que j'ai déjà été vacciné contre l'hépatite A ? si oui c'était quand la dernière dose ? je veux pas me refaire piquer pour rien, j'ai déjà assez de trucs avec mes inhalateurs"],
  lambda: q_ever(FB, 'Immunization', code='52', what='(Hep A adult, 2 doses)')),
 ('en', FB, 'previous', ["what was my total cholesterol the time before the last test? the last one was after christmas i think and i'd been eating like a pig so i'm hoping the one before looks better. also when was that earlier test? (random, but also can you remind me if my next asthma review is due, i think i've missed one) cheers"],
  lambda: q_previous(FB, ['2093-3'])),

 # ---------------- Laurie_McCullough
 ('fr', LM, 'still_on', ["Je voudrais savoir si ma pilule (Jolivette) est toujours dans mes traitements en cours ou si elle a été arrêtée. J'ai changé de contraception entre-temps je crois mais je ne suis plus sûre de ce qui a été noté."],
  lambda: q_still_on(LM, 'MedicationRequest', 'Jolivette', what='ANSWER: stopped')),
 ('en', LM, 'followup', ["did i get the hpv vaccine when i was a teenager??", "how many doses did i get"],
  lambda: q_count(LM, 'Immunization', code='62', status_ok=('completed',), what='(HPV quadrivalent)')),
 ('fr', LM, 'last_visit', ["Bonjour, je dois remplir un dossier pour une mutuelle étudiante et ils demandent la date de ma dernière consultation médicale et pour quel motif. J'ai eu une grosse angine à un moment, ou peut-être que c'était autre chose, j'avais mal à la gorge et de la fièvre, ça remonte un peu. Ma dernière consultation c'était quand et pour quoi ?"],
  lambda: q_last_visit(LM)),
 ('en', LM, 'latest', ["hey so they put me on a water pill for blood pressure a few years ago when i was like 18 which felt insane. what was my blood pressure the last time it was taken?"],
  lambda: q_latest(LM, ['8480-6', '8462-4'])),
 ('fr', LM, 'meaning', ["J'ai vu « DFG » sur mes résultats de 2018 en fouillant dans mon espace patient. Ça veut dire quoi ? On m'a mis sous diurétique pour la tension à 18 ans et j'ai peur que ça ait abîmé mes reins, ma tante est dialysée. Mon chiffre est normal ou pas ? Je n'ai aucun symptôme, je fais pipi normalement, pas de gonflement."],
  lambda: q_meaning(LM, '33914-3')),
 ('en', LM, 'ever_had', ["starting uni halls in the autumn (late, i know, took a few years out) and the accommodation form wants proof of the meningitis vaccine. my mum swears i had it at school but she also swears i had chickenpox twice so 🤷‍♀️. do i have a meningitis vaccine on record and what date? need it by friday also is there a booster i'm meant to have?"],
  lambda: q_ever(LM, 'Immunization', code='114')),
 ('fr', LM, 'not_found', ["Coucou, j'ai 25 ans et on m'a dit qu'il fallait faire un frottis régulièrement. Est-ce que j'en ai déjà fait un ? Je ne me rappelle pas, j'ai vu plusieurs médecins différents et une gynéco une fois pour autre chose en 2019."],
  lambda: q_none(LM, [('Procedure', 'papanicolaou'), ('Procedure', 'cervical'), ('Procedure', 'cytolog'), ('Observation', 'cytolog'), ('DiagnosticReport', 'cytolog')])),
 ('en', LM, 'followup', ["whats my weight on file", "and the year before that?"],
  lambda: q_previous(LM, ['29463-7'])),

 # ---------------- Liz_Conn
 ('en', LC, 'ever_had', ["This is a bit personal. I'm 34 and my new partner and I have been talking about kids. I have a vague memory of having my tubes done after my second, back in my twenties, but it was a rough year and honestly I blocked a lot of it out. Does my record show a sterilisation / tubal ligation, and when?"],
  lambda: q_ever(LC, 'Procedure', code='287664005')),
 ('fr', LC, 'followup', ["ma tension c'était combien à mon dernier contrôle ?", "et la fois d'avant ?"],
  lambda: q_previous(LC, ['8480-6', '8462-4'])),
 ('en', LC, 'still_on', ["am i still meant to be taking the hydrochlorothiazide or was that stopped at some point? ran out last month and never renewed it, work has been mad. no headaches or anything, feel totally normal, but my mum (also high blood pressure) told me off. is it still an active prescription on my record and since when? if it is i'll ring the surgery tomorrow"],
  lambda: q_still_on(LC, 'MedicationRequest', 'Hydrochlorothiazide', what='ANSWER: active')),
 ('fr', LC, 'value_in_year', ["Ma tension en 2012 était à combien ? C'est pour un dossier d'assurance emprunteur, ils veulent l'historique."],
  lambda: q_in_year(LC, ['8480-6', '8462-4'], 2012)),
 ('en', LC, 'not_found', ["I've been so tired and cold all the time lately, like wearing a jumper in the office when everyone else is in t-shirts. My hair is coming out more in the shower too. My mum has an underactive thyroid and takes levothyroxine. No weight change really, periods regular. What did my last thyroid blood test show? I'm assuming one was done at some point at a check up."],
  lambda: q_none(LC, [('Observation', '3016-3'), ('Observation', 'thyro'), ('Observation', 'TSH')])),
 ('fr', LC, 'list', ["On part en Thaïlande pour notre voyage de noces (enfin !) et le centre de vaccination internationale me demande la liste de mes vaccins. Mon carnet de santé est resté chez mes parents à l'autre bout de la France. Quels vaccins j'ai eus d'après mon dossier, avec les dates si possible ? Surtout le tétanos, je crois que ça date."],
  lambda: q_vaccines(LC)),
 ('en', LC, 'last_visit', ["when did i last go in for a checkup"],
  lambda: q_last_visit(LC)),

 # ---------------- Luigi_Wiegand (infant)
 ('en', LW, 'count', ["Hi! First time mum here 😅 trying to keep on top of my son's jabs. How many vaccines has Luigi had altogether so far?"],
  lambda: q_count(LW, 'Immunization', status_ok=('completed',), what='(all completed immunizations, each vaccine counted)')),
 ('fr', LW, 'latest', ["il pesait combien mon fils à sa dernière visite chez le médecin ? on l'a pesé à la pharmacie ce matin et la balance dit 7,1 kg, mais avec le body et la couche je sais pas trop. il mange bien, 5 biberons par jour, il commence les purées de carottes. je voulais juste comparer avec le poids officiel de la dernière fois"],
  lambda: q_latest(LW, ['29463-7'])),
 ('fr', LW, 'ever_had', ["il a déjà eu le ROR ? y'a des cas de rougeole à la crèche, la directrice a mis un mot dans le casier ce matin, je panique un peu 😟 il va bien pour l'instant, pas de fièvre, pas de boutons, il mange normalement. mais je voudrais savoir s'il est protégé ou pas. il a eu plein de vaccins je sais plus lesquels"],
  lambda: q_ever(LW, 'Immunization', code='03')),
 ('fr', LW, 'last_visit', ["Bonjour, je suis le papa de Luigi. On a déménagé et le nouveau pédiatre veut savoir quand a eu lieu son dernier rendez-vous et ce qui a été fait. Vous pouvez me dire la date ?"],
  lambda: q_last_visit(LW)),
 ('en', LW, 'followup', ["how much did luigi weigh at his last check?", "and at the appointment before that one?"],
  lambda: q_previous(LW, ['29463-7'])),
 ('fr', LW, 'meaning', ["à la naissance ils lui ont fait une prise de sang au talon ou au bras je sais plus, et une sage-femme a parlé d'hémoglobine mais j'étais complètement dans le brouillard après l'accouchement. maintenant je le trouve un peu pâle (sa mamie dit qu'il est pâle, moi je trouve pas trop). l'hémoglobine c'était combien ? et c'est normal pour un nouveau-né ?"],
  lambda: q_meaning(LW, '718-7')),

 # ---------------- Lupe_Little
 ('fr', LL, 'value_in_year', ["On m'a dit il y a longtemps que j'étais « prédiabétique » et depuis je fais un peu attention, moins de soda, plus de vélo. Je voudrais voir l'évolution. J'avais fait une analyse de sucre (l'hémoglobine glyquée) en 2016, c'était combien ? Je compare avec le chiffre de la pharmacie de l'an dernier qui m'avait paru correct. Merci beaucoup pour votre aide."],
  lambda: q_in_year(LL, ['4548-4'], 2016)),
 ('en', LL, 'followup', ["when was my last flu shot", "how many did I get that year?"],
  lambda: q_count(LL, 'Immunization', code='140', start='2019-01-01', end='2019-12-31', what='(last flu shot 2019-05-01; that year = 2019)')),
 ('en', LL, 'last_visit', ["when did I last see a doctor? I think it was for a blocked nose / sinus thing but not sure"],
  lambda: q_last_visit(LL)),
 ('en', LL, 'list', ["Could you tell me which medications I'm currently taking according to my chart? I'm seeing a dentist tomorrow and they want a full list. I had a cardiac arrest as a teenager so I'm always careful about this kind of thing."],
  lambda: G([], 'any', [], True, note='no MedicationRequest/MedicationStatement in the record at all -> honest: no medicines recorded') if not (by_type(LL, 'MedicationRequest') or by_type(LL, 'MedicationStatement')) else None),
 ('en', LL, 'value_in_year', ["cholesterol in 2013?"],
  lambda: q_in_year(LL, ['2093-3'], 2013)),
 ('en', LL, 'meaning', ["my glucose on the last blood test - is that ok? they told me years ago i was 'pre-diabetic' and nobody has mentioned it since, which either means it's fine or everyone forgot lol. i've been a bit more thirsty lately but it's also been boiling hot and i've been working outside. what was the number and is it in the normal range?"],
  lambda: q_meaning(LL, '2339-0')),

 # ---------------- Martina_Murazik
 ('en', MM, 'latest', ["My mother (Martina) had a heart scan last year, the echo. The cardiologist mentioned a percentage for how well the heart is pumping. What was that number? She's got heart failure and COPD and I'm trying to understand how bad things are."],
  lambda: q_latest(MM, ['10230-1'])),
 ('fr', MM, 'still_on', ["est ce que je dois toujours prendre le lasix ? mes chevilles ont bien dégonflé depuis quelques semaines et je me lève trois fois la nuit pour aller aux toilettes, c'est épuisant. je suis un peu essoufflée quand je monte chez moi mais comme d'habitude avec ma bronchite chronique. c'est toujours noté comme traitement en cours dans mon dossier ?"],
  lambda: q_still_on(MM, 'MedicationRequest', 'Lasix', what='ANSWER: active')),
 ('en', MM, 'count', ["how many breathing tests (spirometry, the blowing into the tube thing) have i had in total? the new respiratory nurse asked and i said 'loads' which wasn't very helpful. i've been doing them every summer at my check up i think, for the COPD. just want to give her a proper number."],
  lambda: q_count(MM, 'Procedure', code='127783003')),
 ('fr', MM, 'list', ["Bonjour, ma mère rentre en EHPAD la semaine prochaine et l'infirmière coordinatrice veut la liste exacte de ses médicaments actuels. Je n'ai pas toutes les ordonnances sous la main. Qu'est-ce qui est noté comme traitement en cours dans son dossier ?"],
  lambda: q_active_meds(MM)),
 ('en', MM, 'last_visit', ["when was mum's last visit and what was it for"],
  lambda: q_last_visit(MM)),
 ('fr', MM, 'ever_had', ["Mon pharmacien me propose le vaccin contre la pneumonie en même temps que celui de la grippe. Avec ma BPCO et mon cœur je sais que je suis « à risque » comme ils disent. Mais j'ai l'impression qu'on me l'a déjà fait, peut-être même deux fois ? Est-ce que c'est noté dans mon dossier et c'était quand ? Je ne veux pas le faire deux fois pour rien."],
  lambda: q_ever(MM, 'Immunization', text='pneumococcal', what='(PCV13 2018 + PPSV23 2019)')),
 ('en', MM, 'meaning', ["what does my NT-proBNP result mean? is it high? it sounds scary. they did it when i first got diagnosed with the heart failure last year. i've been a bit more breathless on the stairs but honestly i've got COPD too so i never know which one it is. what was the number and is there a normal range written on it?"],
  lambda: q_meaning(MM, '33762-6')),
 ('fr', MM, 'followup', ["c'est quoi ma fonction rénale la plus récente ?", "et la créatinine ce jour-là ?"],
  lambda: q_latest(MM, ['38483-4'])),
 ('fr', MM, 'previous', ["mon test de souffle (le rapport VEMS/CVF), il était à combien à l'avant-dernier contrôle ?"],
  lambda: q_previous(MM, ['19926-5'])),

 # ---------------- Renea_Quigley
 ('en', RQ, 'count', ["how many colonoscopies have i had? i feel like i've had a hundred lol. got a letter inviting me for another one and i'm trying to work out if it's actually due or if it's the system being keen. no bleeding or anything, bowels normal. prep is the worst part honestly. can you tell me how many and when? thanks x"],
  lambda: q_count(RQ, 'Procedure', code='73761001')),
 ('fr', RQ, 'still_on', ["Suite à mon entorse de la cheville on m'avait donné de l'ibuprofène. Est-ce que c'est toujours actif dans mon dossier ? Je pose la question parce que mon néphrologue m'a dit d'éviter les anti-inflammatoires avec mes reins."],
  lambda: q_still_on(RQ, 'MedicationRequest', 'Ibuprofen', what='ANSWER: stopped (latest ibuprofen prescription 2019-10-19 stopped; an earlier one 2016 also stopped)')),
 ('en', RQ, 'latest', ["last A1C result? just started the insulin and the diabetes nurse wants me to keep a diary with my readings, she said to write the latest A1C at the top of the page. also the date it was done please"],
  lambda: q_latest(RQ, ['4548-4'])),
 ('fr', RQ, 'value_in_year', ["Mon médecin parle toujours du « mauvais cholestérol », le LDL je crois. Je n'ai pas de statine pour l'instant et il hésite à m'en mettre à cause de mes reins et de mon diabète. Je voudrais suivre l'évolution moi-même. Il était à combien en 2019 ? Je vais faire un petit tableau avec les années. Merci d'avance pour votre aide."],
  lambda: q_in_year(RQ, ['18262-6'], 2019)),
 ('en', RQ, 'list', ["Hi there. I'm 63 and have just moved to a new area, and the new practice asked me to bring a list of all my ongoing health problems. I know about the diabetes and the blood pressure but there's stuff about my kidneys I don't fully understand. Can you list what's currently active on my record? Thank you."],
  lambda: q_active_conditions(RQ)),
 ('fr', RQ, 'ever_had', ["j'ai fait le vaccin contre le zona ? ma voisine l'a eu et elle dit que c'est conseillé après 65 ans, et sa sœur a eu un zona autour de l'œil l'an dernier, elle a souffert pendant des mois. moi j'ai 63 ans et du diabète, je me dis que ça vaut peut-être le coup. c'est noté quelque part dans mon dossier ?"],
  lambda: q_ever(RQ, 'Immunization', text='zoster')),
 ('en', RQ, 'followup', ["what was my a1c in 2020", "and in 2021?"],
  lambda: q_in_year(RQ, ['4548-4'], 2021)),
 ('fr', RQ, 'last_visit', ["derniere consult c'etait quand ?"],
  lambda: q_last_visit(RQ)),

 # ---------------- Josue_Sipes
 ('en', JS, 'latest', ["My dad (Josue) had bloods done at his last appointment. What was his total cholesterol? He's on a dozen things already and the doctor mentioned maybe adding a statin so I want to see the actual figure before we go back."],
  lambda: q_latest(JS, ['2093-3'])),
 ('fr', JS, 'count', ["combien de spirométries j'ai faites en 2020 ? avec la réhabilitation respiratoire j'avais l'impression d'être à l'hôpital toutes les trois semaines, et mon kiné me demande pour remplir son bilan. je ne me plains pas hein, je respire mieux qu'avant, mais je voudrais un chiffre exact"],
  lambda: q_count(JS, 'Procedure', code='127783003', start='2020-01-01', end='2020-12-31')),
 ('en', JS, 'still_on', ["after my stroke they gave me clopidogrel. am i still supposed to be on it? not sure if it was just for a while or for life. i've got so many tablets, metformin, the blood pressure one, inhalers, now insulin, and i've lost track of what's current. i bruise easily but that's about it. does my record say it's still active or was it stopped, and when?"],
  lambda: q_still_on(JS, 'MedicationRequest', 'Clopidogrel', what='ANSWER: stopped')),
 ('fr', JS, 'still_on', ["Bonjour, je prends de la metformine depuis des années. Est-ce qu'elle est toujours active sur mon dossier maintenant qu'on m'a mis sous insuline, ou est-ce que le médecin l'a arrêtée ? Je ne voudrais pas faire de bêtise."],
  lambda: q_still_on(JS, 'MedicationRequest', 'Metformin', what='ANSWER: active (not stopped when insulin started 2020-05-16)')),
 ('en', JS, 'ever_had', ["has dad ever had a stroke on record? the insurance form asks and he says 'just a small one' which I don't think is how strokes work. He recovered pretty well, a bit slower on his left side. If it's on there can you give me the date? Also he had a heart problem as a teenager but that's another question for another day."],
  lambda: q_ever(JS, 'Condition', code='230690007', status_ok=None)),
 ('fr', JS, 'latest', ["c'est combien mon DFG (la fonction des reins) sur la dernière prise de sang ? mon néphrologue a parlé d'« insuffisance rénale » et ça m'a fait un choc, je ne m'y attendais pas. je bois bien, je n'ai pas mal aux reins, j'urine normalement. je voudrais voir le chiffre exact et la date, et s'il y en a plusieurs je veux tout voir"],
  lambda: q_latest(JS, ['33914-3'], label='(two GFR results on 2021-03-13: estimated GFR and predicted GFR, both gold)')),
 ('en', JS, 'count', ["how many times did i go to the clinic in 2020? feels like i lived there. between the lung rehab, the checkups and the kidney stuff, my wife says i was there every other week. i need the number for a tax thing (travel expenses) so an exact count would be great."],
  lambda: q_count(JS, 'Encounter', start='2020-01-01', end='2020-12-31')),
 ('fr', JS, 'not_found', ["j'ai 65 ans, est ce qu'on m'a déjà fait une coloscopie ? mon fils dit qu'il faut, il a reçu le kit de dépistage par la poste lui et il m'a fait la leçon. moi je n'ai pas de sang dans les selles, rien, je vais bien de ce côté-là. mais je veux savoir si c'est déjà fait avant de dire oui ou non"],
  lambda: q_ever(JS, 'Procedure', text='colonoscopy')),
 ('fr', JS, 'previous', ["mon hba1c à l'avant-dernière prise de sang, c'était combien ? je veux comparer avec la dernière"],
  lambda: q_previous(JS, ['4548-4'])),

 # ---------------- Vito_Feeney (deceased 1979; family asking)
 ('en', VF, 'count', ["I'm going through my late grandfather's medical file for a family history thing (prostate cancer runs in the family apparently). How many PSA tests did he have?"],
  lambda: q_count(VF, 'Observation', code='2857-1')),
 ('fr', VF, 'latest', ["Je fais un arbre généalogique médical parce que mon urologue m'a demandé s'il y avait des cancers de la prostate dans la famille. Mon grand-père en a eu un, je crois, avant de mourir en 1979. Le dernier PSA de mon grand-père c'était combien et à quelle date ? Ça m'aiderait à comprendre comment ça a évolué chez lui. Merci d'avance."],
  lambda: q_latest(VF, ['2857-1'])),
 ('fr', VF, 'ever_had', ["Mon médecin traitant me demande s'il y a eu des cancers du côté de mon grand-père paternel. Est-ce que lui avait déjà passé une coloscopie ? J'essaie de reconstituer un peu son parcours, il est décédé quand j'étais tout petit et personne dans la famille ne sait vraiment."],
  lambda: q_ever(VF, 'Procedure', code='73761001')),
 ('fr', VF, 'followup', ["mon grand-père a eu combien de biopsies de la prostate ?", "et la dernière c'était quand ?"],
  lambda: followup_last_date(VF, 'Procedure', '65575008')),
 ('en', VF, 'followup', ["what was grandad's last PSA?", "and the one before that?"],
  lambda: q_previous(VF, ['2857-1'])),
 ('fr', VF, 'not_found', ["Est-ce que mon grand-père avait été vacciné contre le zona ? Mon père fait un zona en ce moment et se demande si c'est héréditaire ou si son père l'avait eu aussi."],
  lambda: q_none(VF, [('Immunization', 'zoster')])),

 # ---------------- Daisey_Johns (child)
 ('fr', DJ, 'list', ["ma fille Daisey part en classe verte, je dois remplir la fiche sanitaire. quelles sont toutes ses allergies notées dans le dossier ?"],
  lambda: q_allergies(DJ)),
 ('en', DJ, 'still_on', ["is daisey's epipen prescription still active? the school nurse wants a new one in date for the classroom and the one in her bag expires next month. she hasn't needed it thank god, but with the bee venom allergy and summer coming i'm paranoid. when was it first prescribed? trying to figure out why the pharmacy says there's no repeat"],
  lambda: q_still_on(DJ, 'MedicationRequest', 'Epinephrine', what='ANSWER: active')),
 ('fr', DJ, 'count', ["Elle a eu combien de doses de DTCaP (diphtérie tétanos coqueluche) en tout ? Le carnet de santé a pris l'eau pendant le déménagement, je ne peux plus rien lire dessus, et l'école veut une copie à jour. Avec ses allergies et son asthme on a toujours eu peur des vaccins mais elle les a tous bien supportés je crois."],
  lambda: q_count(DJ, 'Immunization', code='20')),
 ('en', DJ, 'meaning', ["She had allergy bloods when she was a toddler. What was the egg result and what does that number actually mean? She eats cake with egg in it now without any problem so I'm confused why egg is still listed."],
  lambda: q_meaning(DJ, '6106-9')),
 ('en', DJ, 'last_visit', ["when did she last see the doctor? she's got another sore throat, bit of a temperature (37.9), drinking fine and playing, and i'm trying to remember if she was just seen for something similar or if i'm thinking of her brother. what date and was it a check up?"],
  lambda: q_last_visit(DJ)),
 ('en', DJ, 'followup', ["has she had the chickenpox vaccine?", "how many doses has she had?"],
  lambda: q_count(DJ, 'Immunization', code='21')),
 ('fr', DJ, 'previous', ["son poids à l'avant-dernière visite c'était combien ? je veux voir si elle a bien pris entre les deux, la pédiatre a dit qu'elle était « dans la courbe » mais elle mange comme un oiseau depuis la rentrée. avec ses allergies alimentaires (œuf, poisson) c'est pas toujours simple de varier les repas"],
  lambda: q_previous(DJ, ['29463-7'])),
 ('en', DJ, 'not_found', ["she gets tummy aches a lot, usually after school, sometimes with loose poos but no blood, no weight loss that I can tell. My sister has coeliac disease so I've been reading about it and now I'm worried. Was she ever tested for coeliac disease? I know she had lots of allergy blood tests when she was little, maybe it was one of those?"],
  lambda: q_none(DJ, [('Observation', 'gliadin'), ('Observation', 'transglutaminase'), ('Observation', 'celiac'), ('Condition', 'celiac'), ('Condition', 'coeliac')])),

 # ---------------- IPS_IG-bundle-01
 ('en', IPS, 'list', ["what allergies do I have on file? about to start antibiotics for a tooth abscess, dentist wants to give me amoxicillin and I have a nagging feeling that's a problem for me. I also think there was something about food allergies on an old form but I eat everything. Can you tell me exactly what's listed?"],
  lambda: q_allergies(IPS, what='(the "No known food allergy" entry is a negation, not an allergy)')),
 ('fr', IPS, 'list', ["Quels sont mes traitements en cours d'après mon dossier ? J'ai un rendez-vous avec un nouveau gynécologue et je veux être sûre de ne rien oublier, y compris les trucs naturels que je prends pour les bouffées de chaleur."],
  lambda: q_active_meds(IPS)),
 ('en', IPS, 'latest', ["whats my latest hba1c and when was it done? I'm on the anastrozole and the hot flushes are driving me mad but that's not why I'm asking - my GP wants to recheck my sugar and I'd like to know the starting point."],
  lambda: q_latest(IPS, ['17856-6'])),
 ('fr', IPS, 'meaning', ["mon hémoglobine glyquée est à 7,5, c'est bien ou pas ? il y a un objectif ? je l'ai vu sur mon dossier en ligne mais personne ne m'en a parlé, on me parle surtout de mon cancer du sein et du traitement hormonal. je ne me sens pas diabétique, pas de soif, rien. est-ce qu'il y a une valeur normale ou une remarque notée à côté ?"],
  lambda: q_meaning(IPS, '17856-6', what="(no referenceRange; the result carries the note 'Above stated goal of 7.0 %')")),
 ('fr', IPS, 'ever_had', ["J'ai une nouvelle mutuelle et ils me posent des questions sur mes antécédents. Est-ce que le cancer du sein est noté dans mon dossier ? Et comme quoi : guéri, en cours, en rémission ? Je ne sais jamais quoi répondre, mon oncologue parle de rémission mais je prends toujours un traitement. Ça date de quand d'après le dossier ?"],
  lambda: ips_cancer(IPS)),
 ('en', IPS, 'still_on', ["Am I still on anastrozole? The oncologist said 5 years and I've lost track of when I actually started it. Does my record say it's still active and from when?"],
  lambda: ips_anastrozole(IPS)),
 ('fr', IPS, 'not_found', ["je voudrais la liste de mes vaccins pour un voyage au Sénégal en novembre. le centre de vaccins internationaux de l'hôpital veut savoir ce que j'ai déjà eu (fièvre jaune, hépatite, tétanos...). mon dossier vient des Pays-Bas je crois, tout n'a peut-être pas suivi. qu'est-ce qui est noté ?"],
  lambda: q_none(IPS, [('Immunization', '')]) if not by_type(IPS, 'Immunization') else None),
 ('en', IPS, 'ever_had', ["did any of my tests ever show MRSA? the hospital is asking on the pre-op form before my surgery and I've got a vague memory of a swab years ago and a nurse saying something about 'being a carrier'. I never had an infection though. If it's in my record, what exactly does it say and when was it? Thank you so much."],
  lambda: ips_mrsa(IPS)),

 # ---------------- AT_ELGA_GmbH_01 (German IPS)
 ('fr', AT, 'latest', ["ma tension la plus récente c'était combien ? mon dossier vient d'Autriche, j'habitais à Eisenstadt avant, et tout est en allemand donc je n'y comprends rien. je sais qu'on m'a prise la tension plusieurs fois le même jour à un moment. je voudrais tous les chiffres de la dernière fois s'il y en a plusieurs"],
  lambda: q_latest(AT, ['8480-6', '8462-4'], label='(two readings with the same timestamp 2016-07-30 08:30: 110/70 and 117/64; both gold)')),
 ('en', AT, 'meaning', ["My ferritin came back at 724 on the big blood test. Is that high? What is the normal range on the lab report? I've read that high ferritin can mean iron overload and now I can't stop googling."],
  lambda: q_meaning(AT, '2276-4')),
 ('fr', AT, 'list', ["quelles allergies sont notées chez moi ? j'ai une infection urinaire, le médecin de SOS Médecins hésite entre deux antibiotiques et il me demande si je suis allergique à quelque chose. mon dossier est en allemand et je ne trouve pas la rubrique. je crois qu'il y avait un truc avec la pénicilline mais je n'en suis pas sûre merci"],
  lambda: q_allergies(AT)),
 ('en', AT, 'count', ["how many tick-borne encephalitis (FSME) shots have i had? going hiking in austria again this summer and my friend says you need a booster every few years or it doesn't count. i remember having a few in a row when i lived there. how many doses and what dates?"],
  lambda: at_count_fsme(AT)),
 ('fr', AT, 'meaning', ["Sur mon bilan de décembre 2016 les globules blancs (leucocytes) étaient à 26. C'est normal ? Quelles sont les normes du labo ? J'étais très fatiguée à ce moment-là et personne ne m'a rappelée."],
  lambda: q_meaning(AT, '26464-8')),
 ('en', AT, 'still_on', ["am i still taking aspirin or was that stopped? my austrian doctor had me on it at some point, and I think it's in my file several times, but now I'm in the UK and the new GP wants to know if it's a current medicine before she prescribes anything else. I don't really take it any more unless I have a headache. What does the record say and when was it last noted?"],
  lambda: at_aspirin(AT)),
 ('fr', AT, 'followup', ["c'était combien ma TSH ?", "et la T4 libre le même jour, c'est dans les normes ?"],
  lambda: q_meaning(AT, '3024-7')),

 # ---------------- US_MEDITECH_ips_2
 ('en', MT, 'list', ["what am i allergic to? the pharmacist asked and i always forget which penicillin one it is. i broke out in hives in hospital in 2020 when they were treating a bad infection and they wrote something down but i was too unwell to take it in. is it just one or more than one? what reaction is listed? thanks in advance!"],
  lambda: q_allergies(MT)),
 ('fr', MT, 'still_on', ["Est-ce que l'Aranesp (les injections pour l'anémie) est toujours en cours ou ça a été arrêté ? Je fais mes piqûres mais je ne sais pas si je dois continuer après mon dernier passage à l'hôpital."],
  lambda: mt_darbe(MT)),
 ('en', MT, 'still_on', ["they had me on IV ceftriaxone in hospital in nov 2020 - is that still going or finished?"],
  lambda: mt_ceftri(MT)),
 ('fr', MT, 'ever_had', ["j'ai déjà eu le vaccin contre la grippe ? avec ma greffe de rein mon néphrologue insiste pour que je le fasse chaque année mais je ne me souviens pas l'avoir fait, il me semble qu'une fois il était prévu et puis j'avais de la fièvre donc ça ne s'est pas fait. qu'est-ce qui est noté ? Merci de votre réponse."],
  lambda: mt_flu(MT)),
 ('en', MT, 'ever_had', ["Do I have a pacemaker? I know it sounds silly to ask but I had a lot of procedures around the kidney stuff and I'm filling in an MRI safety form that asks about implanted devices."],
  lambda: q_ever(MT, 'Procedure', text='pacemaker')),
 ('fr', MT, 'list', ["quels problèmes de santé sont actifs dans mon dossier ? je dois voir un nouveau cardiologue à cause de mon pacemaker et il veut la liste de mes antécédents en cours. je sais qu'il y a la tension, la thyroïde et le rein greffé qui pose problème, mais il y a peut-être d'autres choses. j'ai aussi perdu du poids ces dernières années, c'est encore noté ?"],
  lambda: meditech_problems(MT)),
 ('en', MT, 'not_found', ["whats my cholesterol? never seen the number in my life and my sister just got put on a statin at 52. I've got high blood pressure and a transplanted kidney so I imagine someone has checked it, surely? Could you tell me the last result?"],
  lambda: q_none(MT, [('Observation', '2093-3'), ('Observation', 'cholesterol')]) if not by_type(MT, 'Observation') else None),

 # ---------------- Lisandra (C-CDA conversion, child)
 ('en', LS, 'latest', ["my daughter was seen when she had covid back in early 2020. what was her temperature when they checked it? she's got a fever again now (38.6 this morning, eating a bit, drinking, watching telly) and i'm trying to compare with how bad it was back then because that time she was really poorly."],
  lambda: q_latest(LS, ['8331-1'], nd=1)),
 ('fr', LS, 'meaning', ["ils ont mesuré sa saturation quand elle avait le covid, avec la pince sur le doigt. c'était combien et c'est normal ça ? je viens de lire que ça doit être au-dessus de 95 et je me rends compte après coup qu'elle était peut-être plus malade qu'on ne pensait. aujourd'hui elle va très bien, elle fait du hand. Merci beaucoup."],
  lambda: q_meaning(LS, '59408-5')),
 ('en', LS, 'ever_had', ["Has my daughter ever actually been diagnosed with COVID? Her school is doing a survey and I genuinely can't remember if the test came back positive or if it was just a suspected case that time she was really ill with the fever and breathing trouble."],
  lambda: ls_covid(LS)),
 ('fr', LS, 'latest', ["elle pesait combien la dernière fois qu'on l'a pesée chez le médecin ? elle a 13 ans et elle commence à faire attention à son poids, elle saute le petit-déjeuner, ça m'inquiète un peu. je voudrais comparer avec la balance de la maison sans lui en parler directement"],
  lambda: q_latest(LS, ['29463-7'])),
 ('en', LS, 'not_found', ["which vaccines does my daughter have on her record? need it for summer camp, they want the full list with dates by next week. we moved states and her old paper records are somewhere in a box in the garage. she's 13 if that matters for what she should have had."],
  lambda: q_none(LS, [('Immunization', '')]) if not by_type(LS, 'Immunization') else None),
 ('fr', LS, 'list', ["Bonjour, je suis la maman de Lisandra. Quels problèmes de santé sont notés dans son dossier ? Le pédiatre qui la suit maintenant n'a pas accès à l'ancien dossier américain et il veut une liste."],
  lambda: ls_problems(LS)),
]


# ================================================================ build / check
def build():
    out, n = [], {'en': 0, 'fr': 0}
    for lang, pat, kind, turns, fn in CASES:
        n[lang] += 1
        g = fn()
        assert g is not None, (lang, pat, kind, turns)
        d = {'id': f"rb3-{lang}-{n[lang]:03d}", 'lang': lang, 'patient': pat, 'kind': kind, 'turns': turns}
        d.update(g)
        out.append(d)
    return out

def check():
    problems = []
    exp = build()
    try:
        got = [json.loads(l) for l in open(OUT, encoding='utf-8') if l.strip()]
    except Exception as e:
        print('cannot read', OUT, e); return 1
    if len(got) != len(exp):
        problems.append(f"line count {len(got)} != {len(exp)}")
    keys = ['id', 'lang', 'patient', 'kind', 'turns', 'gold_refs', 'match', 'gold_values', 'expect_not_found', 'note']
    for e, g in zip(exp, got):
        for k in keys:
            if e.get(k) != g.get(k):
                problems.append(f"{e['id']}: field {k} differs: expected {e.get(k)!r} got {g.get(k)!r}")
    # sanity checks on the gold itself
    allrefs = {}
    for e in exp:
        p = e['patient']
        if p not in allrefs:
            allrefs[p] = {ref for ref, _ in entries(p)}
        for r in e['gold_refs']:
            if r not in allrefs[p]:
                problems.append(f"{e['id']}: gold ref {r} not in {p}")
        if e['expect_not_found'] and e['gold_refs']:
            problems.append(f"{e['id']}: not-found case with refs")
        if not e['expect_not_found'] and not e['gold_refs']:
            problems.append(f"{e['id']}: no gold refs")
        if e['match'] not in ('all', 'any'):
            problems.append(f"{e['id']}: bad match")
    langs = collections.Counter(e['lang'] for e in exp)
    if langs != {'en': 60, 'fr': 60}:
        problems.append(f"language counts {dict(langs)}")
    pats = collections.Counter(e['patient'] for e in exp)
    for f in glob.glob(os.path.join(RW, '*.json')):
        if pats[os.path.basename(f)[:-5]] < 4:
            problems.append(f"too few cases for {f}")
    for f in glob.glob(os.path.join(SYN, '*.json')):
        k = re.sub(r'_[0-9a-f]{8}-[0-9a-f-]+$', '', os.path.basename(f)[:-5])
        if pats[k] < 5:
            problems.append(f"too few cases for {k}")
    for p in problems:
        print('PROBLEM', p)
    print(f"{len(exp)} cases; kinds {dict(collections.Counter(e['kind'] for e in exp))}; langs {dict(langs)}")
    print(f"{len(problems)} problems")
    return 1 if problems else 0

if __name__ == '__main__':
    if '--check' in sys.argv:
        sys.exit(check())
    rows = build()
    with open(OUT, 'w', encoding='utf-8') as f:
        for d in rows:
            f.write(json.dumps(d, ensure_ascii=False) + '\n')
    print(f"wrote {len(rows)} cases to {OUT}")
