"""VADER entries that name a thing, a place, a time or an event, not a judgement of anything.

VADER's raters scored words out of context, so a word for something people dread or enjoy carries
that feeling ("emergency" -1.6, "cancer" -3.4, "fire" -1.4, "holiday" 1.7, "champagne" 1.2). In an
answer about a business such a word names what the business sells, handles or deals with (an
emergency vet handles emergencies, a clinic treats illness, an insurer pays for fire damage, a hotel
is near the attractions), so it says nothing about how good the business is.

The list was drawn from the whole lexicon by one criterion, not from any answer: an entry (rated
beyond VADER's near-neutral band) is subject matter when in WordNet 3.0
- its most frequent sense is a noun in the lexicographer files for things, places, times and
  occurrences (noun.artifact, body, substance, object, plant, animal, food, location, event,
  process, phenomenon, time), or is a medical condition (noun.state under illness, disease, injury
  or symptom: what a practice treats);
- it has no adjective or adverb sense (a word that can describe a quality is left rated), and no
  more verb senses than noun senses (a verb that judges, "cheat", "die", is left rated).
Then the entries whose noun itself passes a verdict are kept rated, in three named groups
(`JUDGING`): an outcome judged good or bad ("a fiasco", "a success", "a godsend"), a figure for
quality ("hell", "paradise", "a masterpiece"), insults and vulgarisms; and homographs whose rating
is of another word (the initialisms "tx", "nh"; "eagers", "actives", "obsess", "stop").
"""

from __future__ import annotations

WORDS = frozenset(
    """
fatality cancer excruciation death fatalities corpse pita destroyers pain prison bomb damage heroin illnesses
repressors traumas accident stressors contagion destroyer vulture excruciations petrifaction weapons depressor
dysfunction injury stressor trauma battleground decay decays depressors illness scarer traumata battlefield
depressants emergency flu funerals louse tumor weakener collision contagions funeral faulting fire gun leak
repressor shakedowns accidents fatigues interrupters louses pressures scarers trap vultures weakeners
battlefront borers dumper gravers graveyard graveyards pressure strains weapon collisions crudes interrupter
killdeer numbness pileup rigidification devilwoods discard discards dumpsters inhibitors battlefields weaponry
battlefronts comedones devilfish devilwood dumbbell dumpers pityriasis rigidifications scarecrow stinkhorns
strainer gravestone numbfishes scarecrows warship battlegrounds devilfishes dreadnought dumpcart dumpster
lowboys shittim weakfishes barrier battleships battlewagons bitterweeds gravestones pricket warships
battlement battlements bitterns bitters borer dreadlock dreadnoughts numbfish petrifications ragee stinkweed
tranquilizers beneficiation delicatessen delicatessens dumpling flagship freesia freesias nasturtium
passionflowers profiterole resolvents safes tenderizer tenderloins wisents champagnes champaigns
impressionisms panicle profiteroles stronghold trusteeship wellheads harmonica smilax trusteeships dynamite
excelsior freestyle heronries joystick relaxants resolvent solutions strongbox xtc adornments brilliantine
crazyweed harmoniums impressionism energies harmonium spark relaxations strongholds warmers energy invigorator
radiances vitals champagne excitants invigorators relaxins vitamin adornment relievo solution radiance
relaxers strengtheners wellsprings festivals fiestas intellectualization wellspring growth holidays relaxer
holiday relaxin attractions strengthener attraction brilliantines slaw fiesta peacetimes rewards festival
peacetime sunshine relaxation reward
""".split()  # noqa: SIM905 - a word list reads better as text
)

# Entries the criterion above selects but that pass a verdict, kept rated.
JUDGING = {
    "outcomes and figures for quality": """
catastrophe tragedy tragedies fiasco defeat defeats success successes improvement improvements godsend miracle
blockbuster harm harms flops fakes cheat cheats slam smartness smarts smartnesses masterpiece masterpieces
paradise heaven heavens hell jewel jewels innovation disturbance disturbances doomsday doomsdays
""".split(),  # noqa: SIM905
    "insults and vulgarisms": """
shit shits crap piss pisses pissing ass tits cock douche uglies sob sobs whorehouse whorehouses rape rapeseeds
""".split(),  # noqa: SIM905
    "homographs rated as another word": """
po pu np nh tx txs tia eagers actives reluctance defence obsess obsesses pique hand stall stop spam lameness
smarting jollies rig thwarts
""".split(),  # noqa: SIM905
}
