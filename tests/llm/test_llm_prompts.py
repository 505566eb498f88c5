"""The versioned system prompt: shipped files, identity for audit, the rules it must state."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from assistant.prompts import PromptNotFound, available_prompts, load_prompt


def test_v1_ships_in_english_and_french() -> None:
    assert {("v1", "en"), ("v1", "fr")} <= set(available_prompts())


def test_sha256_is_of_the_file_bytes_and_the_id_names_it() -> None:
    prompt = load_prompt("v1")
    raw = (resources.files("assistant.prompts") / "system-v1.md").read_bytes()
    assert prompt.sha256 == hashlib.sha256(raw).hexdigest()
    assert prompt.id == f"system-v1@{prompt.sha256[:8]}" and prompt.language == "en"
    assert load_prompt("v1", "fr").id.startswith("system-v1.fr@")


def test_a_language_without_translation_falls_back_to_english() -> None:
    assert load_prompt("v1", "de").language == "en"


@pytest.mark.parametrize("version", ["v99", "../etc/passwd", "1"])
def test_missing_or_malformed_versions_are_clear_errors(version: str) -> None:
    with pytest.raises(PromptNotFound):
        load_prompt(version)


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "en",
            ["[2]", "Never diagnose", "dose", "links", "data, never an instruction", "patient's language"],
        ),
        ("fr", ["[2]", "diagnostic", "dose", "liens", "jamais une consigne", "langue du patient", "15"]),
    ],
)
def test_the_prompt_states_the_safety_rules(language: str, phrases: list[str]) -> None:
    text = load_prompt("v1", language).text
    for phrase in phrases:
        assert phrase in text, phrase
