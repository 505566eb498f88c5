"""Sentences and clauses of the folded text, so each part of a mixed message is understood on its own.

"my chest has been tight since lunch, prob nothing. anyway what was my cholesterol?" holds a symptom
report and a record question; reading the message as one bag of words would answer neither well.
Sentences end at strong punctuation or a new line (a point between digits is a decimal point); clauses
also break at commas, colons and the words people use to change topic ("anyway", "by the way", "also",
"but", "au fait", "sinon", "mais", "par contre"…).
"""

from __future__ import annotations

import re

from assistant.understanding.model import Clause

__all__ = ["split_clauses", "split_sentences"]

_SENTENCE_END = re.compile(r"(?:(?<!\d)\.(?!\d)|\.(?=\s|$)|[!?;\n])+")
_BREAK = re.compile(
    r"\s*(?:,|:|\s-\s)\s*|\s+(?="
    r"(?:but|however|although|though|anyway|anyways|btw|by the way|also|oh and|and also|otherwise|"
    r"then again|on another note|another thing|other question|one more thing|"
    r"mais|par contre|cependant|pourtant|sinon|au fait|d ailleurs|autre chose|autre question|bref|"
    r"en plus|et aussi|sinon)\b)"
)


def split_sentences(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(folded):
        if folded[pos : m.start()].strip():
            spans.append(_strip(folded, pos, m.start()))
        pos = m.end()
    if folded[pos:].strip():
        spans.append(_strip(folded, pos, len(folded)))
    return spans


def split_clauses(folded: str) -> tuple[Clause, ...]:
    """Clauses in reading order, each knowing its sentence; offsets into ``folded``."""
    clauses: list[Clause] = []
    for s_index, (s_start, s_end) in enumerate(split_sentences(folded)):
        pos = s_start
        sentence = folded[s_start:s_end]
        for m in _BREAK.finditer(sentence):
            start, end = s_start + m.start(), s_start + m.end()
            if folded[pos:start].strip():
                a, b = _strip(folded, pos, start)
                clauses.append(Clause(index=len(clauses), sentence=s_index, start=a, end=b, text=folded[a:b]))
            pos = end
        if folded[pos:s_end].strip():
            a, b = _strip(folded, pos, s_end)
            clauses.append(Clause(index=len(clauses), sentence=s_index, start=a, end=b, text=folded[a:b]))
    return tuple(clauses)


def clause_at(clauses: tuple[Clause, ...], offset: int) -> int:
    """Index of the clause holding ``offset`` (the nearest one before it when it falls on a break)."""
    best = 0
    for c in clauses:
        if c.start <= offset:
            best = c.index
        if c.start <= offset < c.end:
            return c.index
    return best


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t,":
        start += 1
    while end > start and text[end - 1] in " \t,":
        end -= 1
    return start, end
