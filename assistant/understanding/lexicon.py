"""The clinical lexicon: concepts with codes, and the words patients use for them, in English and French.

Data, not code (``data/lexicon/*.yaml``). Three kinds of entry:

- ``concepts``: a clinical concept (id, SNOMED CT code when there is one, kind, groups) with the terms that
  name it directly ("shortness of breath", "essoufflé", "can't catch my breath");
- ``sites`` and ``sensations``: body sites ("chest", "poitrine") and what is felt there ("pain", "tight",
  "killing me", "me lance", "swollen"); a concept may be ``composed`` of a sensation and a site, so "my
  chest is killing me", "pain across my chest" and "douleur dans la poitrine" are all ``chest_pain``
  without listing every sentence;
- ``vocabulary``: named fragments (``@name``) shared by terms; ``@medicine_name`` is given, not written:
  every medicine name of the shared medicine list (``guardrails/data/medications.yaml``), so a term can say
  "30 of my sertraline" without listing the medicines again.

Terms are regular expressions on the folded text (see ``text.fold``); `` ~ `` allows up to three words in
between, `` ~~ `` up to six. A term may need context it does not mention ("32 weeks pregnant … now
bleeding": the bleeding is vaginal): a named group whose name starts with ``at`` (``(?P<at_bleeding>…)``)
is then the mention, so the finding's words, offsets and context are the group's, not the whole span's.
Every concept may list ``examples`` (must be found) and ``near_misses`` (must not be found as a current
finding of the writer) per language; the test suite runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from assistant.guardrails.lexicon import medicines
from assistant.schemas import Language
from assistant.understanding.model import ConceptKind
from assistant.understanding.prefilter import Grams, Prefilter
from assistant.understanding.text import fold_term
from fhir_client.yaml_data import load_yaml

__all__ = [
    "Composition",
    "Concept",
    "Lexicon",
    "LexiconError",
    "Mention",
    "Part",
]

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"
LANGS: tuple[Language, Language] = ("en", "fr")
_GAP = {"~~": r"(?: \S+){0,6} ", "~": r"(?: \S+){0,3} "}
_MACRO = re.compile(r"@([a-z_][a-z0-9_]*)")


class LexiconError(ValueError):
    """A lexicon file is invalid; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Part:
    """A body site or a sensation: half of a composed concept."""

    id: str
    kind: str  # "site" | "sensation"
    patterns: Mapping[str, re.Pattern[str]]
    laterality: str | None = None  # a site that is one side by nature ("left arm")
    severity: str | None = None  # a sensation that says how bad ("killing me" → severe)


@dataclass(frozen=True)
class Composition:
    sensations: tuple[str, ...]
    sites: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    id: str
    kind: ConceptKind
    code: str | None
    groups: tuple[str, ...]
    patterns: Mapping[str, re.Pattern[str] | None]
    compose: tuple[Composition, ...] = ()
    severity: str | None = None  # a term that says how bad by itself ("crushing chest pain" → severe)
    onset: str | None = None
    guidance: str = ""
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    near_misses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    # concepts this one's own words mean instead, where they overlap ("brûlures d'estomac" is heartburn, not
    # a composed stomach pain; "too breathless to speak" is breathlessness, not a speech problem)
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A span of the folded text that matched an entry (concept, site or sensation)."""

    entry: str
    kind: str  # "concept" | "site" | "sensation"
    start: int
    end: int
    text: str


_UPPER_ESCAPE = re.compile(r"\\[SWDB]")


def _expand(term: str, vocabulary: Mapping[str, str], where: str) -> str:
    if _UPPER_ESCAPE.search(term):
        # terms are folded to lower case, which would turn \S into \s: say so instead of matching wrongly
        raise LexiconError(
            f"{where}: use [^ ] or [^a-z0-9] instead of \\S, \\W, \\D or \\B (terms are folded)"
        )
    term = fold_term(term.strip())

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in vocabulary:
            raise LexiconError(f"{where}: unknown vocabulary @{name}")
        return f"(?:{vocabulary[name]})"

    for _ in range(5):  # vocabulary entries may use each other, a little
        new = _MACRO.sub(repl, term)
        if new == term:
            break
        term = new
    for token, regex in _GAP.items():
        term = term.replace(f" {token} ", regex)
    return term.replace("(?p<", "(?P<")  # folding lowered the named group's marker


def _medicine_names() -> str:
    """An alternation of the shared medicine list's names, folded as terms are (longest first)."""
    names = {fold_term(n) for n in medicines().by_name if len(n) >= 4}
    return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)) if n)


def _compile(terms: Iterable[str], vocabulary: Mapping[str, str], where: str) -> re.Pattern[str] | None:
    expanded = [_expand(t, vocabulary, where) for t in terms if str(t).strip()]
    if not expanded:
        return None
    expanded.sort(key=len, reverse=True)
    source = r"(?<![a-z0-9])(?:" + "|".join(expanded) + r")(?![a-z0-9])"
    try:
        return re.compile(source)
    except re.error as exc:
        raise LexiconError(f"{where}: invalid pattern ({exc})") from exc


def _focus(m: re.Match[str]) -> tuple[int, int]:
    """The span a match stands for: its ``at…`` group when one took part, else the whole match."""
    for name, value in m.groupdict().items():
        if value is not None and name.startswith("at"):
            return m.span(name)
    return m.span()


def _lang_lists(item: Mapping[str, Any], key: str | None = None) -> dict[str, tuple[str, ...]]:
    src = item.get(key) if key else item
    if not isinstance(src, Mapping):
        return {lang: () for lang in LANGS}
    return {lang: tuple(str(t) for t in (src.get(lang) or ())) for lang in LANGS}


class Lexicon:
    """All entries, compiled per language. Build once (``load``); matching is read-only and thread-safe."""

    def __init__(self, concepts: Sequence[Concept], parts: Sequence[Part]) -> None:
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self.parts: dict[str, Part] = {p.id: p for p in parts}
        # (sensation, site) -> concepts composed of them
        self._composed: dict[tuple[str, str], list[str]] = {}
        # Which patterns may match a text, from its letters (see prefilter.py): same results, less scanning.
        self._filters: dict[tuple[str, str], Prefilter] = {}
        for concept in concepts:
            for lang, pattern in concept.patterns.items():
                self._filters[(concept.id, lang)] = Prefilter.of(pattern)
        for part in parts:
            for lang, pattern in part.patterns.items():
                self._filters[(part.id, lang)] = Prefilter.of(pattern)
        for concept in concepts:
            for comp in concept.compose:
                for sensation in comp.sensations:
                    for site in comp.sites:
                        self._composed.setdefault((sensation, site), []).append(concept.id)

    @classmethod
    @cache
    def load(cls, directory: Path = LEXICON_DIR) -> Lexicon:
        files = sorted(Path(directory).glob("*.yaml"))
        if not files:
            raise LexiconError(f"no lexicon files in {directory}")
        raws = []
        vocabulary: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
        medicine_names = _medicine_names()
        for lang in LANGS:
            vocabulary[lang]["medicine_name"] = medicine_names
        for path in files:
            raw = load_yaml(path.read_text(encoding="utf-8")) or {}
            if not isinstance(raw, Mapping):
                raise LexiconError(f"{path.name}: expected a mapping")
            for lang in LANGS:
                for name, value in ((raw.get("vocabulary") or {}).get(lang) or {}).items():
                    vocabulary[lang][str(name)] = fold_term(str(value))
            raws.append((path, raw))
        parts: list[Part] = []
        concepts: list[Concept] = []
        seen: set[str] = set()
        for path, raw in raws:
            for kind in ("sites", "sensations"):
                for item in raw.get(kind) or ():
                    pid = str(item.get("id", ""))
                    where = f"{path.name}: {kind[:-1]} {pid or '?'}"
                    if not pid or pid in seen:
                        raise LexiconError(f"{where}: missing or duplicate id")
                    seen.add(pid)
                    patterns: dict[str, re.Pattern[str]] = {}
                    for lang in LANGS:
                        pattern = _compile(_lang_lists(item)[lang], vocabulary[lang], f"{where} ({lang})")
                        if pattern is None:
                            raise LexiconError(f"{where}: no {lang} terms")
                        patterns[lang] = pattern
                    parts.append(Part(pid, kind[:-1], patterns, item.get("laterality"), item.get("severity")))
            for item in raw.get("concepts") or ():
                cid = str(item.get("id", ""))
                where = f"{path.name}: concept {cid or '?'}"
                if not cid or cid in seen:
                    raise LexiconError(f"{where}: missing or duplicate id")
                seen.add(cid)
                try:
                    kind_value = ConceptKind(str(item.get("kind", "symptom")))
                except ValueError:
                    raise LexiconError(f"{where}: unknown kind {item.get('kind')!r}") from None
                compose = tuple(
                    Composition(tuple(c.get("sensation") or ()), tuple(c.get("site") or ()))
                    for c in (item.get("compose") or ())
                )
                terms = _lang_lists(item)
                compiled: dict[str, re.Pattern[str] | None] = {
                    lang: _compile(terms[lang], vocabulary[lang], f"{where} ({lang})") for lang in LANGS
                }
                if not compose and not all(compiled.values()):
                    raise LexiconError(f"{where}: needs terms in both languages or a composition")
                concepts.append(
                    Concept(
                        id=cid,
                        kind=kind_value,
                        code=item.get("code"),
                        groups=tuple(str(g) for g in item.get("groups") or ()),
                        patterns=compiled,
                        compose=compose,
                        severity=item.get("severity"),
                        onset=item.get("onset"),
                        guidance=str(item.get("guidance", "")),
                        examples=_lang_lists(item, "examples"),
                        near_misses=_lang_lists(item, "near_misses"),
                        source=path.name,
                        supersedes=tuple(str(c) for c in item.get("supersedes") or ()),
                    )
                )
        lexicon = cls(concepts, parts)
        lexicon._check_compositions()
        return lexicon

    def _check_compositions(self) -> None:
        for concept in self.concepts.values():
            for other in concept.supersedes:
                if other not in self.concepts:
                    raise LexiconError(
                        f"{concept.source}: concept {concept.id}: supersedes unknown {other!r}"
                    )
            for comp in concept.compose:
                for pid in (*comp.sensations, *comp.sites):
                    part = self.parts.get(pid)
                    if part is None:
                        raise LexiconError(f"{concept.source}: concept {concept.id}: unknown part {pid!r}")
                for pid in comp.sensations:
                    if self.parts[pid].kind != "sensation":
                        raise LexiconError(
                            f"{concept.source}: concept {concept.id}: {pid} is not a sensation"
                        )
                for pid in comp.sites:
                    if self.parts[pid].kind != "site":
                        raise LexiconError(f"{concept.source}: concept {concept.id}: {pid} is not a site")

    def composed(self, sensation: str, site: str) -> list[str]:
        return self._composed.get((sensation, site), [])

    def mentions(self, folded: str, language: Language) -> list[Mention]:
        """Every concept, site and sensation mention, overlapping ones included, in text order.

        Both languages' terms are tried (the message's language first): people mix them, and a short
        message's language can be misread; a term of one language is rarely a word of the other.
        """
        found: dict[tuple[str, int, int], Mention] = {}
        grams = Grams.of(folded)
        for lang in (language, *(lang for lang in LANGS if lang != language)):
            for concept in self.concepts.values():
                pattern = concept.patterns.get(lang)
                if pattern is None or not self._filters[(concept.id, lang)].may_match(grams):
                    continue
                for m in pattern.finditer(folded):
                    start, end = _focus(m)
                    found.setdefault(
                        (concept.id, start, end),
                        Mention(concept.id, "concept", start, end, folded[start:end]),
                    )
            for part in self.parts.values():
                if not self._filters[(part.id, lang)].may_match(grams):
                    continue
                for m in part.patterns[lang].finditer(folded):
                    start, end = _focus(m)
                    found.setdefault(
                        (part.id, start, end),
                        Mention(part.id, part.kind, start, end, folded[start:end]),
                    )
        return sorted(found.values(), key=lambda m: (m.start, -m.end))
