"""Versioned system prompts, shipped as package data.

A prompt is part of the product's safety behaviour, so it is a file under review, not a string in code:
each reply's audit record can name the exact prompt (version and SHA-256) the model was given, and a
change of wording is a new version that evals can compare with the old one. Files are named
``system-<version>.md`` (English) and ``system-<version>.<lang>.md`` for other languages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["DEFAULT_VERSION", "Prompt", "PromptNotFound", "available_prompts", "load_prompt"]

DEFAULT_VERSION = "v1"
_NAME = re.compile(r"^system-(?P<version>v\d+)(?:\.(?P<lang>[a-z]{2}))?\.md$")


class PromptNotFound(LookupError):
    """No prompt file for that version (and language)."""


@dataclass(frozen=True)
class Prompt:
    version: str
    text: str
    sha256: str
    language: str = "en"

    @property
    def id(self) -> str:
        """Short identity for audit lines: ``system-v1.fr@1a2b3c4d``."""
        suffix = "" if self.language == "en" else f".{self.language}"
        return f"system-{self.version}{suffix}@{self.sha256[:8]}"


def available_prompts() -> list[tuple[str, str]]:
    """(version, language) pairs shipped with the package, sorted."""
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((match["version"], match["lang"] or "en"))
    return sorted(found)


def load_prompt(version: str = DEFAULT_VERSION, language: str = "en") -> Prompt:
    """The system prompt of that version, in that language (English when no translation exists)."""
    if not re.fullmatch(r"v\d+", version):
        raise PromptNotFound(f"prompt versions look like 'v1', got {version!r}")
    names = [f"system-{version}.{language}.md"] if language != "en" else []
    names.append(f"system-{version}.md")
    root = resources.files(__package__)
    for name in names:
        entry = root / name
        if entry.is_file():
            raw = entry.read_bytes()
            lang = language if name.endswith(f".{language}.md") else "en"
            text = raw.decode("utf-8").strip()
            return Prompt(version, text, hashlib.sha256(raw).hexdigest(), lang)
    shipped = ", ".join(f"{v}/{lang}" for v, lang in available_prompts()) or "none"
    raise PromptNotFound(f"no system prompt {version!r} (shipped: {shipped})")
