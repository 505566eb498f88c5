"""General ways of asking a record or booking question (round-16 development): a planned test asked as
due or "prévu(e) quand", which medicine was given for a past episode, "whether my last check said
anything" said indirectly, "can you pull it up" / "vous pouvez me la redonner" after the thing is named,
and a dose asked to be reminded of ("… again", "… déjà").

Every sentence here is written for the test (paraphrases of what patients write), in English and French.
"""

from __future__ import annotations

import pytest

from assistant.understanding.intents import IntentReader
from assistant.understanding.model import IntentKind
from assistant.understanding.stage import Understander

UNDERSTANDER = Understander.default(intents=IntentReader.load())


def main(text: str) -> tuple[IntentKind | None, str | None]:
    u = UNDERSTANDER.understand(text)
    if not u.intents:
        return None, None
    best = u.intents[0]
    return best.kind, best.detail


@pytest.mark.parametrize(
    "text",
    [
        "when is her next smear test due?",
        "Quick question, when's my next kidney blood test scheduled",
        "ma prise de sang pour le cholestérol, elle est prévue quand ?",
        "quand est programmée ma prochaine radio de contrôle ?",
    ],
)
def test_a_planned_test_asked_as_due_is_an_appointment_lookup(text: str) -> None:
    assert main(text) == (IntentKind.BOOKING, "lookup")


@pytest.mark.parametrize(
    "text",
    [
        "when is the baby due?",
        "le bébé est prévu pour quand d'après la sage-femme ?",
        "mon colis est prévu pour quand ?",
    ],
)
def test_a_birth_or_a_parcel_planned_is_not_an_appointment(text: str) -> None:
    assert main(text)[0] is not IntentKind.BOOKING


@pytest.mark.parametrize(
    "text",
    [
        "for my chest infection two winters ago, which antibiotic was it?",
        "what was the name of that cream they gave me for the rash?",
        "pour son otite de l'an dernier, c'était quel sirop ?",
        "quels comprimés le médecin m'avait prescrits pour mon dos ?",
        "I also wanted to know whether my latest bloods showed anything",
        "je voulais savoir si mon dernier bilan avait trouvé quelque chose",
    ],
)
def test_a_past_medicine_or_a_past_result_asked_indirectly_is_a_record_question(text: str) -> None:
    assert main(text)[0] is IntentKind.RECORD_QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "which painkiller is better for a migraine?",
        "quel sirop est le meilleur pour la toux ?",
    ],
)
def test_which_medicine_in_general_is_not_a_record_question(text: str) -> None:
    assert main(text)[0] is not IntentKind.RECORD_QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "The hospital wants my cholesterol from last year. Can you bring it up?",
        "J'ai oublié mon dernier taux de fer. Vous pouvez me le redonner ?",
        "ses vaccins, tu peux me ressortir tout ça ?",
        "the nurse said a number for my blood pressure, how many tablets is it again?",
        "mon inhalateur du soir, c'est combien de bouffées déjà ?",
    ],
)
def test_asked_again_after_naming_it_is_a_record_question(text: str) -> None:
    assert main(text)[0] is IntentKind.RECORD_QUESTION


@pytest.mark.parametrize(
    "text",
    [
        "the bus timetable to the hospital, can you bring it up?",
        "vous pouvez me redonner le code du portail ?",
    ],
)
def test_asked_again_about_something_outside_the_record_is_not_a_record_question(text: str) -> None:
    assert main(text)[0] is not IntentKind.RECORD_QUESTION
