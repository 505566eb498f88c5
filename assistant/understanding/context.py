"""ConText for patient messages: is a mention negated, over, hypothetical, fictional, explained?

The engine is medspaCy's ConText (Harkema et al. 2009): cues with a category and a direction, scopes that
end at the sentence, at ``max_scope`` tokens, or at a terminating cue. The rules are ours
(``data/context.yaml``, English and French) because the packaged ones were written for clinical notes.

Two behaviours of the engine are relied on and tested: a cue that overlaps a concept's own words is
dropped ("not breathing" is a concept, its "not" negates nothing), and a shorter cue inside a longer one
is dropped ("not sure if" is not a negation). medspaCy only ends a scope with a terminator whose own
scope overlaps it without containing it, so terminators get ``max_scope: 1`` (see the data file).

One ``ContextReader`` per language is built once and shared: spaCy's blank tokenizer and the ConText
component hold no per-message state after a call returns.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from assistant.schemas import Language
from assistant.understanding.model import Assertion
from fhir_client.yaml_data import load_yaml

__all__ = ["ContextReader", "ContextRule", "MentionSpan", "load_context_rules"]

DATA_FILE = Path(__file__).parent / "data" / "context.yaml"

# Categories that set an attribute of ``Assertion``; the others (CURRENT, FIRST_PERSON, PSEUDO,
# TERMINATE) only shape other cues' scopes.
_ATTRIBUTE = {
    "NEGATED_EXISTENCE": "negated",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY_HISTORY": "family_history",
    "FICTION": "fictional",
    "UNCERTAIN": "uncertain",
    "ASKED": "asked",
}
_DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}
# Categories read over a whole sentence by the finding reader (``frame_cue``), never given to the engine:
# a story opened in a remote past, the present-tense words that bring it back to now, a sentence dating the
# one before, examples of a supposition, and a sentence opening by supposing.
_FRAME_ONLY = {"PAST_FRAME", "PRESENT_TENSE", "PAST_AFTER", "EXAMPLE_FRAME", "HYPOTHETICAL_FRAME"}


class ContextRuleError(ValueError):
    """The context rule file is invalid; the message names the rule and the field."""


@dataclass(frozen=True)
class ContextRule:
    id: str
    category: str
    direction: str
    patterns: dict[str, tuple[str, ...]]
    max_scope: int | None = None
    terminated_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class MentionSpan:
    """A mention to read the context of: character offsets into the folded text."""

    start: int
    end: int


def bounded(pattern: str) -> str:
    """``pattern`` as whole words: no letter or digit may touch a match on a side where it has one."""
    return rf"(?:(?<![a-z0-9])(?=[a-z0-9])|(?=[^a-z0-9]))(?:{pattern})(?:(?<=[a-z0-9])(?![a-z0-9])|(?<=[^a-z0-9]))"


def load_context_rules(path: Path = DATA_FILE) -> tuple[ContextRule, ...]:
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    rules: list[ContextRule] = []
    seen: set[str] = set()
    for n, item in enumerate(raw.get("rules") or []):
        rid = str(item.get("id") or f"#{n}")
        if rid in seen:
            raise ContextRuleError(f"{path.name}: rule {rid}: duplicate id")
        seen.add(rid)
        direction = str(item.get("direction", "")).upper()
        if direction not in _DIRECTIONS:
            raise ContextRuleError(
                f"{path.name}: rule {rid}: direction {direction!r} is not one of {_DIRECTIONS}"
            )
        category = str(item.get("category", "")).upper()
        if not category:
            raise ContextRuleError(f"{path.name}: rule {rid}: category is missing")
        patterns = {lang: tuple(str(p) for p in (item.get(lang) or ())) for lang in ("en", "fr")}
        if not any(patterns.values()):
            raise ContextRuleError(f"{path.name}: rule {rid}: no en/fr pattern")
        rules.append(
            ContextRule(
                id=rid,
                category=category,
                direction=direction,
                patterns=patterns,
                max_scope=item.get("max_scope"),
                terminated_by=tuple(str(t).upper() for t in item.get("terminated_by") or ()),
            )
        )
    return tuple(rules)


# medspaCy's ConText keeps an empty token matcher beside the phrase matcher our rules use and spaCy warns
# (W036) on every call; the warning says nothing about our rules, so it is silenced here, and only here.
warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)


class ContextReader:
    """Reads the ConText attributes of mentions in one language's folded text."""

    def __init__(self, language: Language, rules: Sequence[ContextRule]) -> None:
        import spacy  # heavy import kept here: the stage builds readers once, at start-up
        from medspacy.context import ConText, ConTextRule

        self.language = language
        self._nlp = spacy.blank(language)
        self._context = ConText(
            self._nlp,
            rules=None,
            span_attrs=None,
            prune_on_modifier_overlap=True,
            prune_on_target_overlap=True,
        )
        compiled: list[Any] = []
        for rule in rules:
            if rule.category in _FRAME_ONLY:
                continue
            for i, pattern in enumerate(rule.patterns.get(language, ())):
                compiled.append(
                    ConTextRule(
                        literal=f"{rule.id}:{i}",
                        category=rule.category,
                        pattern=bounded(pattern),
                        direction=rule.direction,
                        max_scope=rule.max_scope,
                        terminated_by=set(rule.terminated_by) or None,
                    )
                )
        self._context.add(compiled)
        # spaCy components are not documented as re-entrant; a call is ~0.3 ms, so serialise it.
        self._lock = threading.Lock()

    def read(
        self, folded: str, mentions: Sequence[MentionSpan], sentences: Sequence[tuple[int, int]]
    ) -> list[Assertion]:
        """One ``Assertion`` per mention, in order. Mentions that do not align to tokens are widened.

        Scopes never cross a sentence, so each sentence holding mentions is read on its own: sentences
        without a mention cost nothing, and the engine (whose regex matcher rebuilds the document's text
        for every cue) works on a sentence rather than the whole message.
        """
        if not mentions:
            return []
        groups: dict[int, list[int]] = {}
        for i, m in enumerate(mentions):
            where = next((n for n, (s, e) in enumerate(sentences) if s <= m.start and m.end <= e), None)
            if where is None:  # a mention across a sentence break: read the message as one piece
                return self._read(folded, mentions, sentences)
            groups.setdefault(where, []).append(i)
        out: list[Assertion] = [Assertion()] * len(mentions)
        for n, indices in groups.items():
            start, end = sentences[n]
            piece = [MentionSpan(mentions[i].start - start, mentions[i].end - start) for i in indices]
            for i, assertion in zip(
                indices, self._read(folded[start:end], piece, [(0, end - start)]), strict=True
            ):
                out[i] = assertion
        return out

    def _read(
        self, folded: str, mentions: Sequence[MentionSpan], sentences: Sequence[tuple[int, int]]
    ) -> list[Assertion]:
        with self._lock:
            doc = self._nlp.make_doc(folded)
            starts = {s for s, _ in sentences}
            for token in doc:
                token.is_sent_start = token.i == 0 or token.idx in starts
            spans = []
            for i, m in enumerate(mentions):
                span = doc.char_span(m.start, m.end, label=f"M{i}", alignment_mode="expand")
                spans.append(span)
            # doc.ents may not overlap: keep the spans in a span group instead.
            self._context.input_span_type = "group"
            doc.spans[self._context.span_group_name] = [s for s in spans if s is not None]
            self._context(doc)
            out: list[Assertion] = []
            for span in spans:
                out.append(_assertion(span, folded) if span is not None else Assertion())
            return out


def _assertion(span: Any, folded: str) -> Assertion:
    flags: dict[str, Any] = {}
    for modifier in span._.modifiers:
        attr = _ATTRIBUTE.get(modifier.category)
        if attr is not None:
            flags[attr] = True
        elif modifier.category == "EXPLAINED":
            start, end = modifier.modifier_span
            doc = span.doc
            flags["explained_by"] = doc[start:end].text
    return Assertion(**flags)


def _cue(keep: Callable[[ContextRule], bool]) -> re.Pattern[str]:
    """The patterns of the rules ``keep`` accepts (both languages) as one whole-word pattern over folded text:
    the one way a sentence-level reading asks whether a cue is there at all, whatever it would scope."""
    patterns = [p for rule in load_context_rules() if keep(rule) for ps in rule.patterns.values() for p in ps]
    return re.compile(bounded("|".join(f"(?:{p})" for p in patterns)))


@cache
def fiction_cue() -> re.Pattern[str]:
    """The FICTION rules' patterns (both languages) as one whole-word pattern over folded text.

    ConText ends a fiction scope at the first clause break ("…un roman où le personnage mange un gâteau, il
    gonfle, n'arrive plus à respirer"): the plot goes on past it. The stage uses this cue for a sentence-level
    frame instead (``Understander``: findings about someone else in a sentence that names a film or a book).
    """
    return _cue(lambda rule: rule.category == "FICTION")


@cache
def frame_cue(category: str) -> re.Pattern[str]:
    """The patterns of a sentence-frame category (``PAST_FRAME``, ``PRESENT_TENSE``, ``PAST_AFTER``,
    ``EXAMPLE_FRAME``, ``HYPOTHETICAL_FRAME``), both languages, as one whole-word pattern over folded text
    (see ``findings``)."""
    if category not in _FRAME_ONLY:
        raise ValueError(f"{category} is not a sentence-frame category")
    return _cue(lambda rule: rule.category == category)


@cache
def rule_cue(rule_id: str) -> re.Pattern[str]:
    """One rule's patterns (both languages) as one whole-word pattern over folded text: whether a sentence
    holds that rule's cue at all, whatever it scopes (``findings._example_of_hypothetical`` asks it of the
    sentence before an example)."""
    if not any(rule.id == rule_id and any(rule.patterns.values()) for rule in load_context_rules()):
        raise ValueError(f"no context rule {rule_id}")
    return _cue(lambda rule: rule.id == rule_id)


@cache
def reader(language: Language) -> ContextReader:
    """The shared reader for ``language`` with the packaged rules."""
    return ContextReader(language, load_context_rules())
