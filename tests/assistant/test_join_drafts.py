"""join_drafts: parts of one reply are numbered as one, and a paragraph is never said twice."""

from __future__ import annotations

from assistant.composer.draft import CitationList, Draft, join_drafts


def _listing(resource: str) -> Draft:
    cites = CitationList()
    marker = cites.cite(resource, "Hydrochlorothiazide 25 MG")
    return Draft(
        text=f"Your record lists one medicine as current:\n- Hydrochlorothiazide {marker}",
        citations=cites.items,
    )


def test_a_paragraph_already_in_the_reply_is_not_repeated() -> None:
    listing = _listing("MedicationRequest/a")
    general = Draft(text="The leaflet in the box and your pharmacist can tell you more.")
    medicine_part = join_drafts([general, _listing("MedicationRequest/a")])
    reply = join_drafts([listing, medicine_part])
    assert reply.text.count("Your record lists one medicine as current") == 1
    assert "The leaflet in the box" in reply.text
    assert [c.resource for c in reply.citations] == ["MedicationRequest/a"]


def test_different_paragraphs_are_all_kept_in_order() -> None:
    reply = join_drafts(
        [_listing("MedicationRequest/a"), Draft(text="Second."), _listing("MedicationRequest/b")]
    )
    assert reply.text.count("Your record lists one medicine as current") == 2
    assert reply.text.index("Second.") < reply.text.rindex("Your record lists")
    assert "[2]" in reply.text
