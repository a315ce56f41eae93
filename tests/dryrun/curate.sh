#!/usr/bin/env bash
# A newcomer's dry run: a claim base on a topic far from the shipped one (a made-up ferry
# sinking, reported by three made-up outlets that disagree on the toll and the passenger count),
# curated from an EMPTY workspace with the `crosscheck` CLI alone. Replay it on any database:
#
#   CROSSCHECK_DB=/tmp/ferry.sqlite bash tests/dryrun/curate.sh
#
# Every line starting with "$CC " is one command a moderator types (tests/dryrun/test_dryrun.py
# counts them and checks what the bot answers afterwards). CROSSCHECK may name the program
# (default: crosscheck on PATH).
set -euo pipefail
CC="${CROSSCHECK:-crosscheck}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ARTICLES="$HERE/articles"

# 1. An empty workspace of its own (no shipped claims, outlets or entities in it), used by
#    every command below.
$CC workspace create ferry --from empty --name "Osprey ferry sinking"
export CROSSCHECK_WORKSPACE=ferry

# 2. The outlets, rated on the nine criteria (a YAML file each: rating them one command per
#    criterion would take 27 commands).
$CC sources add-outlet "$HERE/outlets/harbour-herald.yaml"
$CC sources add-outlet "$HERE/outlets/island-wire.yaml"
$CC sources add-outlet "$HERE/outlets/coastal-times.yaml"

# 3. The articles, with their full text.
$CC sources add-article --id herald-osprey --outlet harbour-herald --published 2026-11-24 \
    --title "Ferry capsizes off Kestrel Island; twelve dead" --byline "Mara Quinn" \
    --text-file "$ARTICLES/harbour-herald-osprey.txt"
$CC sources add-article --id wire-osprey-toll --outlet island-wire --published 2026-11-26 \
    --title "Osprey death toll rises to 17 as divers recover more bodies" \
    --text-file "$ARTICLES/island-wire-osprey-toll.txt"
$CC sources add-article --id times-bluewater --outlet coastal-times --published 2026-11-27 \
    --title "Bluewater Lines halts every crossing after Osprey disaster" \
    --text-file "$ARTICLES/coastal-times-bluewater.txt"

# 4. Who and where the claims are about, with the names the articles and members use.
$CC entities add --id kestrel-island --kind place --name "Kestrel Island" --name Kestrel
$CC entities add --id norland-coast-guard --kind org --name "Norland Coast Guard" --name "coast guard"
$CC entities add --id bluewater-lines --kind org --name "Bluewater Lines" --name Bluewater

# 5. The claims, each with its first sourced version and every value that version gives.
$CC claims add --id osprey-capsized --kind event --topic osprey \
    --statement "The ferry MV Osprey capsized off Kestrel Island on 23 November 2026" \
    --alias "The Osprey ferry sank near Kestrel Island" \
    --article herald-osprey \
    --quote "The passenger ferry MV Osprey capsized off Kestrel Island on Sunday evening, 23 November 2026" \
    --date 2026-11-23 --places kestrel-island
$CC claims add --id osprey-death-toll --kind quantity --unit deaths --topic osprey \
    --statement "The sinking of the MV Osprey killed 17 people" \
    --alias "How many people died when the Osprey ferry sank" \
    --article herald-osprey --quote "The Norland Coast Guard said on Monday that 12 people had died" \
    --version-id toll-12 --version-text "The coast guard counted 12 dead on 24 November" \
    --count 12 --as-of 2026-11-24 --speaker "Norland Coast Guard"
$CC claims add --id osprey-passengers --kind quantity --unit passengers --topic osprey \
    --statement "The MV Osprey was carrying about 60 passengers when it sank" \
    --alias "How many passengers were on the Osprey ferry" \
    --article herald-osprey --quote "The ferry was carrying 61 passengers and five crew, according to the coast guard" \
    --version-id coast-guard-61 --version-text "The coast guard said 61 passengers were on board" \
    --count 61 --speaker norland-coast-guard
$CC claims add --id bluewater-suspended-sailings --kind event --topic osprey \
    --statement "Bluewater Lines suspended all its ferry sailings after the Osprey sank" \
    --article wire-osprey-toll --quote "Bluewater Lines suspended all of its sailings on Tuesday pending a safety review" \
    --date 2026-11-25 --actors bluewater-lines

# 6. What the other reports say: a later toll (a running tally, so "as of" its day), the
#    operator's passenger count, and the same facts from more outlets.
$CC claims version add osprey-death-toll --id toll-17 \
    --text "The coast guard counted 17 dead on 26 November" --article wire-osprey-toll \
    --quote "The death toll from the sinking of the MV Osprey rose to 17 on Wednesday, the Norland Coast Guard said" \
    --count 17 --as-of 2026-11-26 --speaker norland-coast-guard
$CC claims version add osprey-passengers --id operator-58 \
    --text "Bluewater Lines said 58 passengers were on board" --article wire-osprey-toll \
    --quote "Its operator, Bluewater Lines, said the Osprey was carrying 58 passengers" \
    --said-by "Bluewater Lines" --count 58 --speaker bluewater-lines
$CC claims source add osprey-capsized reported --article wire-osprey-toll \
    --quote "The ferry sank near Kestrel Island on 23 November"
$CC claims source add osprey-death-toll toll-17 --article times-bluewater \
    --quote "Seventeen people are confirmed dead."
$CC claims source add bluewater-suspended-sailings reported --article times-bluewater \
    --quote "Bluewater Lines has suspended all ferry sailings between Port Alder and the islands"

# 7. Checking what members would ask showed one paraphrase the bot missed ("halted every
#    crossing"): an alias for it.
$CC claims alias add bluewater-suspended-sailings "Bluewater halted every ferry crossing"
