"""Self-harm read from families of warning signs wherever they stand in a message, in English and French,
on paraphrases written here (never a scored sentence): means set aside said in either order ("the pills
are saved up" as well as "I saved up the pills"), a time or a decision ("tonight's the night", "c'est
décidé", "je suis prête") next to means, settled affairs or a dangerous place, a bridge or the railway next
to despair, a friend's goodbye messages with prepared means or silence, a wish not to be here said with
"not" or in the conditional, and self-injury said with a noun ("je me fais des coupures"). Look-alikes
must stay quiet: a decision about an operation, a filled pill organiser, traffic on a bridge, a school
play tonight, dark humour, a TV plot, a past resolved event, a school project on the crisis line."""

from __future__ import annotations

import pytest

from assistant.understanding.model import SignalKind
from tests.understanding.reading import read


@pytest.mark.parametrize(
    "text",
    [
        # gathered means in either order, with a time or a decision
        "my sleeping pills are all stashed in a sock drawer and tonight is my night",
        "the painkillers are put aside in the car. I know what I have to do",
        "mes somnifères sont mis de côté depuis un mois et ma décision est prise",
        "c'est décidé, j'ai planqué mes cachets dans la salle de bain",
        "je sais ce que je vais faire, mes médocs sont de côté dans le placard",
        # means with despair, the despair said with words in between
        "what if someone swallowed the entire blister of heart tablets together, would they feel it? I can't cope with any of it anymore",
        "j'ai rangé tous mes stylos d'insuline dans une boîte, j'en ai vraiment marre",
        # knowing what too much does, with a decision
        "je sais très bien ce que ça fait quand on en injecte trop, je suis prêt",
        # a place with despair
        "I stood on the railway bridge for ages last night. it would be easier for everyone honestly",
        "je suis restée sur la passerelle une heure hier soir, ce serait tellement plus simple pour tout le monde",
        # someone else: goodbye messages with prepared means or silence
        "my cousin keeps posting goodbye messages and says her tablets are saved up, she isn't answering",
        "mon frère m'a envoyé des messages d'adieu, il dit que tout le monde serait mieux sans lui, il répond plus",
        # a wish not to be here
        "is it normal to not want to be alive anymore after a baby",
        "my kids would be better off living with their gran and without me",
        "si je m'endormais et que je ne me réveillais plus, ça ne me gênerait pas",
        # affairs settled in ordinary words, with no need of the future
        "please cancel Tuesday's review, I won't be needing it. the cat is going to my neighbour and the notes are written for my kids",
        # self-injury said with a noun
        "je me fais des entailles sur les bras quand ça déborde, personne ne sait",
        "I give myself small cuts on my thighs when it gets too loud in my head",
        # a lethal amount asked next to despair, or with "not waking" in either order
        "how many of my heart pills would be fatal? I'm sick of all of this",
        "il faudrait combien de somnifères pour s'endormir et ne plus se réveiller",
        "pour m'endormir et plus jamais me réveiller, il en faudrait combien de ces cachets ?",
        # a prayer to be taken, everyone better off
        "every evening I pray God takes me in my sleep",
        "franchement ma famille s'en porterait bien mieux",
        # cuts deeper than usual
        "used the razor again last night, it went deeper than I meant",
        "hier soir avec la lame c'était plus profond que d'habitude",
    ],
)
def test_families_of_warning_signs_raise_self_harm(text: str) -> None:
    assert read(text, patient="Lupe_Little").has_signal(SignalKind.SELF_HARM), text


@pytest.mark.parametrize(
    "text",
    [
        "I've made my mind up, I'm having the hip replacement. which tablets do I stop before?",
        "I'm ready for the blood test tomorrow, my tablets are counted out for the week",
        "tonight's the night of my daughter's school play, can I use my inhaler backstage?",
        "c'est décidé, je me fais opérer. j'ai préparé mes médicaments pour le pilulier de la semaine",
        "je suis prête pour l'échographie, je sais ce que j'ai à faire",
        "stuck on the bridge in traffic, running late for my appointment",
        "we walked over the railway bridge to the surgery, it would be easier for everyone if there was parking",
        "je suis bloquée sur le pont dans les bouchons, j'en ai marre de ces travaux",
        "this meeting is killing me, can I move my appointment?",
        "in the series the main character leaves goodbye letters before the finale",
        "I took an overdose ten years ago, I'm well now and just want my cholesterol result",
        "for a school project, what number do people call for the suicide crisis line?",
        "where should I keep my insulin pens, in the fridge or in a drawer?",
        "je suis mort de rire devant cette vidéo",
        "the dog is going to the vet on Friday, cancel my appointment, I won't be needing it",
        "I can't cope with this cough anymore, is there anything stronger?",
        "j'ai mis de côté mes comprimés pour les vacances, je pars demain",
        "combien de mélatonine pour ne plus me réveiller la nuit ?",
        "I hope the nurse takes me seriously this time",
        "ma tension s'en porterait mieux si je marchais plus ?",
        "I cut the onions and my finger stings deeper than usual",
        "I just want the itching to stop, it's driving me mad",
    ],
)
def test_look_alikes_stay_quiet(text: str) -> None:
    assert not read(text, patient="Lupe_Little").has_signal(SignalKind.SELF_HARM), text
