"""Who is typing, relative to the patient whose record the assistant reads: the ``AccountHolder`` seam.

An ``Assistant`` is bound to ONE patient's record. Usually the patient is the one typing; with proxy
access (a parent signed in and picked their child's record at the clinic's SMART patient picker) it is
someone else, and the replies must say "your child" / "votre enfant" and the triage must use the
child's record and age — never the parent's.

The composition root builds the value from the sign-in (the access token's ``fhirUser``: a
``Patient`` means self, a ``RelatedPerson`` with a parent code means parent) and passes it to the
``Assistant`` constructor; nothing below reads tokens. Consumers:

- the wording of replies (``assistant.composer.perspective``: "your child's most recent HbA1c…",
  "call 15 now — this could be an emergency for your child");
- the LLM's system prompt (it is told it speaks with the patient's parent);
- the understanding/triage stage, which can read ``is_proxy`` and ``relation`` to resolve who a
  message is about ("he has a fever" from a parent is about the child, the record's patient).

Keep it small and typed: add fields when a consumer needs them, not before.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Relation(StrEnum):
    SELF = "self"  # the patient is typing
    PARENT = "parent"  # a parent (or legal guardian) of the patient, who is a child, is typing
    OTHER = "other"  # another person the patient authorised (carer, relative)


# v3 RoleCode (PersonalRelationshipRoleType) codes that mean a parent or guardian.
PARENT_ROLE_CODES = frozenset({"PRN", "MTH", "FTH", "NPRN", "NMTH", "NFTH", "STPPRN", "ADOPTP", "GUARD"})


@dataclass(frozen=True)
class AccountHolder:
    """The person using the assistant, as the record's patient sees them."""

    relation: Relation = Relation.SELF
    reference: str | None = (
        None  # FHIR reference of the person typing when not the patient: "RelatedPerson/…"
    )
    name: str | None = None  # their display name, when known (for the app's banner, not for replies)

    @property
    def is_proxy(self) -> bool:
        """True when someone other than the patient is typing (answers speak about the patient)."""
        return self.relation is not Relation.SELF

    @classmethod
    def from_fhir_user(
        cls,
        fhir_user: str | None,
        *,
        relationship_codes: frozenset[str] = frozenset(),
        name: str | None = None,
    ) -> AccountHolder:
        """From a SMART ``fhirUser`` (absolute or relative URL) and, for a RelatedPerson, its relationship
        codes: ``Patient/…`` (or nothing) is the patient themself."""
        if not fhir_user:
            return SELF
        parts = fhir_user.rstrip("/").split("/")
        if len(parts) < 2 or parts[-2] != "RelatedPerson":
            return SELF
        relation = Relation.PARENT if relationship_codes & PARENT_ROLE_CODES else Relation.OTHER
        return cls(relation=relation, reference=f"RelatedPerson/{parts[-1]}", name=name)


SELF = AccountHolder()
