"""A request with nothing about health in it is out of scope (data: ``data/scope.yaml``).

The signal table names out-of-scope topics one by one; patients ask about everything else too (a cake
recipe, the weather, a fraction for homework). This reader decides from what the stage did *not* find: no
finding, vital, intent, record question or other signal, a request, and not one word of health, care, the
record, medicines or appointments. It adds one auditable out-of-scope signal (entry id in the evidence), so
the guard declines kindly instead of answering "I'm not sure I understood".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.schemas import Language
from assistant.understanding.model import Intent, IntentKind, RecordQuery, RecordQueryKind, Signal, SignalKind
from assistant.understanding.signals import DATA_FILE as SIGNALS_FILE
from assistant.understanding.signals import expand_fragments, fragments_of
from fhir_client.yaml_data import load_yaml

__all__ = ["DATA_FILE", "ScopeReader"]

# Intents that keep a message in scope even with no health word ("can I come in on Tuesday?", "hello!").
_IN_SCOPE_ANYWAY = frozenset(
    {
        IntentKind.BOOKING,
        IntentKind.SMALL_TALK,
        IntentKind.SYMPTOM,
        IntentKind.HEALTH_ADVICE,
        IntentKind.MEDICINE_QUESTION,
    }
)

DATA_FILE = Path(__file__).parent / "data" / "scope.yaml"


def _compile(items: Any, where: str, fragments: dict[str, str]) -> tuple[re.Pattern[str], ...]:
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: a non-empty list of patterns is needed")
    return tuple(re.compile(expand_fragments(str(p), fragments, where)) for p in items)


def _fragments() -> dict[str, str]:
    """The signal table's named fragments (health data words, medicines…), so both read the same words."""
    return fragments_of(load_yaml(SIGNALS_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class ScopeReader:
    """Raises the out-of-scope signal for requests without any health content."""

    id: str
    strength: float
    guidance: str
    health: dict[str, tuple[re.Pattern[str], ...]]
    request: dict[str, tuple[re.Pattern[str], ...]]
    about_assistant: dict[str, tuple[re.Pattern[str], ...]]
    capability: dict[str, tuple[re.Pattern[str], ...]]
    disclaimed: dict[str, tuple[re.Pattern[str], ...]]
    examples: dict[str, tuple[str, ...]]
    near_misses: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> ScopeReader:
        data = load_yaml(path.read_text(encoding="utf-8"))
        if SignalKind(data["kind"]) is not SignalKind.OUT_OF_SCOPE:
            raise ValueError(f"{path}: the scope reader raises out_of_scope only")

        fragments = _fragments()

        def per_lang(key: str) -> dict[str, tuple[re.Pattern[str], ...]]:
            return {
                lang: _compile(data[key][lang], f"{path}:{key}.{lang}", fragments) for lang in ("en", "fr")
            }

        return cls(
            id=str(data["id"]),
            strength=float(data["strength"]),
            guidance=str(data["guidance"]),
            health=per_lang("health"),
            request=per_lang("request"),
            about_assistant=per_lang("about_assistant"),
            capability=per_lang("capability"),
            disclaimed=per_lang("disclaimed"),
            examples={k: tuple(v) for k, v in data["examples"].items()},
            near_misses={k: tuple(v) for k, v in data["near_misses"].items()},
        )

    def read(
        self,
        folded: str,
        language: Language,
        *,
        has_findings: bool,
        intents: Sequence[Intent],
        signals: Sequence[Signal],
        record_query: RecordQuery | None,
    ) -> Signal | None:
        """The out-of-scope signal, or None when anything in the message is about health or the assistant.

        Any reading but a record question keeps a message in scope; a record question does when it names a
        concept or a kind of entry — one guessed from generic words alone ("le score d'hier soir", "un texte
        niveau CE2") does not, when no health word is there either."""
        if has_findings or signals:
            return None
        if any(i.kind in _IN_SCOPE_ANYWAY for i in intents):
            return None
        if record_query is not None and (
            record_query.targets
            or record_query.categories
            or record_query.visit_names
            or record_query.kind is RecordQueryKind.LAST_VISIT
        ):
            # "when was I last at the doctors?": a last visit is a kind of entry even with no concept named
            return None
        # both languages' health words count: patients mix them — but not the words with which the writer says
        # the question is not about health ("a weird one for a medical app")
        rest = folded
        for p in (p for lang in ("en", "fr") for p in self.disclaimed[lang]):
            rest = p.sub(" ", rest)
        if any(p.search(rest) for lang in ("en", "fr") for p in self.health[lang]):
            return None
        if not any(p.search(folded) for p in self.request[language]):
            return None
        if any(p.search(folded) for p in self.about_assistant[language]) and len(folded.split()) <= 8:
            return None  # "what can you do?", "bonjour !": small talk the intent table may not have named
        if any(p.search(folded) for lang in ("en", "fr") for p in self.capability[lang]):
            return None  # what the assistant does, asked at any length, is about the assistant
        return Signal(
            kind=SignalKind.OUT_OF_SCOPE, strength=self.strength, evidence=(self.id,), detail="no_health"
        )
