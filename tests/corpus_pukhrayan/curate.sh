#!/usr/bin/env bash
# A real event curated from an EMPTY workspace with the `crosscheck` CLI alone: the derailment of
# the Indore-Patna Express near Pukhrayan, Kanpur Dehat (Uttar Pradesh, India), on Sunday
# 20 November 2016, as seven outlets reported it in its first two days. They disagree on the
# death toll (a running tally: 96, 97, 119, 120, 127, then 145), the number injured (about 100,
# over 150, nearly 200, over 200), how far from Kanpur it happened (60, 65 or about 100 km) and
# how many bodies had been identified. Articles: articles/ (see articles.yaml); outlets: outlets/.
# Replay it on any database:
#
#   CROSSCHECK_DB=/tmp/pukhrayan.sqlite bash tests/corpus_pukhrayan/curate.sh
#
# Every line starting with "$CC " is one command a moderator types (test_corpus.py counts them).
# CROSSCHECK may name the program (default: crosscheck on PATH).
set -euo pipefail
CC="${CROSSCHECK:-crosscheck}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ARTICLES="$HERE/articles"

# 1. An empty workspace of its own.
$CC workspace create pukhrayan --from empty --name "Indore-Patna Express derailment, 2016"
export CROSSCHECK_WORKSPACE=pukhrayan

# 2. The outlets, rated on the nine criteria (one YAML file each).
$CC sources add-outlet "$HERE/outlets/the-hindu.yaml"
$CC sources add-outlet "$HERE/outlets/ndtv.yaml"
$CC sources add-outlet "$HERE/outlets/asian-age.yaml"
$CC sources add-outlet "$HERE/outlets/himalayan-times.yaml"
$CC sources add-outlet "$HERE/outlets/scroll.yaml"
$CC sources add-outlet "$HERE/outlets/socialnews.yaml"
$CC sources add-outlet "$HERE/outlets/newshour-media.yaml"

# 3. The articles, with their text as published (articles.yaml lists the same, for tools).
$CC sources add-article --id asianage-97-dead --outlet asian-age --published 2016-11-20 \
    --title "97 dead and counting as Patna-Indore Express derails near Kanpur" --byline PTI \
    --url "https://asianage.com/india/all-india/201116/indore-patna-express-train-derails-in-kanpur-casualties-feared.html" \
    --text-file "$ARTICLES/asianage-97-dead.txt"
$CC sources add-article --id himalayantimes-96-dead --outlet himalayan-times --published 2016-11-20 \
    --title "Death toll climbs to 96 as train derails in north India" --byline AP \
    --url "https://thehimalayantimes.com/world/death-toll-climbs-96-north-india-train-derails-kanpur" \
    --text-file "$ARTICLES/himalayantimes-96-dead.txt"
$CC sources add-article --id ians-120-killed --outlet socialnews --published 2016-11-20 \
    --title "120 killed in deadly train derailment near Kanpur" --byline IANS \
    --url "https://socialnews.xyz/2016/11/20/120-killed-in-deadly-train-derailment-near-kanpur/amp" \
    --text-file "$ARTICLES/socialnews-ians-120-killed.txt"
$CC sources add-article --id ndtv-127-killed --outlet ndtv --published 2016-11-20 \
    --title "90 dead, 100 injured as Indore-Patna Express derails near Kanpur: 10 updates" \
    --url "https://ndtv.com/india-news/90-dead-100-injured-as-indore-patna-express-derails-near-kanpur-10-updates-1627703" \
    --text-file "$ARTICLES/ndtv-127-killed.txt"
$CC sources add-article --id reuters-119-killed --outlet newshour-media --published 2016-11-21 \
    --title "At least 119 killed, more than 150 injured as India train derails" \
    --url "https://newshour.media/2016/11/21/at-least-119-killed-more-than-150-injured-india-train-derails" \
    --text-file "$ARTICLES/newshour-119-killed.txt"
$CC sources add-article --id hindu-toll-145 --outlet the-hindu --published 2016-11-21 \
    --title "Death toll in Kanpur train derailment goes up to 145" \
    --url "http://www.thehindu.com/news/national/Death-toll-in-Kanpur-train-derailment-goes-up-to-145/article16662265.ece" \
    --text-file "$ARTICLES/thehindu-toll-145.txt"
$CC sources add-article --id scroll-toll-145 --outlet scroll --published 2016-11-21 \
    --title "Patna-Indore Express derailed: Toll rises to 145, minister promises strictest possible action" \
    --url "http://scroll.in/latest/822065/patna-indore-express-derailed-toll-rises-to-128-minister-promises-strictest-possible-action" \
    --text-file "$ARTICLES/scroll-toll-145.txt"

# 4. Where and who, with the names the articles and members use. Countries and states are not
#    known without curation, so India and the states the claims name are added too.
$CC entities add --id india --kind country --name India
$CC entities add --id uttar-pradesh --kind place --name "Uttar Pradesh" --part-of india
$CC entities add --id kanpur-dehat --kind place --name "Kanpur Dehat" --name "Kanpur Dehat district" --part-of uttar-pradesh
$CC entities add --id kanpur --kind place --name Kanpur --name "Kanpur city" --part-of uttar-pradesh
$CC entities add --id pukhrayan --kind place --name Pukhrayan --name Pukhraya --part-of kanpur-dehat
$CC entities add --id patna --kind place --name Patna --part-of india
$CC entities add --id indore --kind place --name Indore --part-of india
$CC entities add --id west-bengal --kind place --name "West Bengal" --part-of india
$CC entities add --id bihar --kind place --name Bihar --part-of india
$CC entities add --id suresh-prabhu --kind person --name "Suresh Prabhu" --name Prabhu
$CC entities add --id manoj-sinha --kind person --name "Manoj Sinha" --name Sinha
$CC entities add --id narendra-modi --kind person --name "Narendra Modi" --name Modi
$CC entities add --id zaki-ahmad --kind person --name "Zaki Ahmad" --name "Zaki Ahmed"
$CC entities add --id javeed-ahmed --kind person --name "Javeed Ahmed"
$CC entities add --id kaushal-raj-sharma --kind person --name "Kaushal Raj Sharma"
$CC entities add --id sk-agarwal --kind person --name "S.K. Agarwal" --name "SK Agarwal"
$CC entities add --id pk-acharya --kind person --name "P.K. Acharya" --name "PK Acharya"
$CC entities add --id ndrf --kind org --name "National Disaster Response Force" --name NDRF

# 5. The claims, each with its first sourced version and every value that version gives; then
#    the other reports of each: more versions where they disagree, more sources where they agree.

# 5a. What happened, where and when.
$CC claims add --id derailed-near-pukhrayan --kind event --topic pukhrayan \
    --statement "The Indore-Patna Express derailed near Pukhrayan in Kanpur Dehat, Uttar Pradesh, on 20 November 2016" \
    --alias "The Indore-Patna Express derailed near Kanpur" \
    --alias "A train went off the tracks near Pukhrayan in Uttar Pradesh in November 2016" \
    --alias "The Patna-Indore Express jumped the tracks near Kanpur on a Sunday" \
    --alias "Did the Indore-Patna Express derail near Kanpur?" \
    --article hindu-toll-145 \
    --quote "14 bogies of the Patna-bound Indore-Rajendranagar Express went off the track in Kanpur Dehat district of Uttar Pradesh in the early hours of Sunday" \
    --date 2016-11-20 --places pukhrayan
$CC claims source add derailed-near-pukhrayan reported --article asianage-97-dead \
    --quote "14 coaches of the Indore-Patna express train derailed near Pukhrayan area in Kanpur Dehat district"
$CC claims source add derailed-near-pukhrayan reported --article ians-120-killed \
    --quote "The tragedy occurred when the coaches of the Patna-bound train ran off the rails shortly after 3 a.m. near Pukhrayan station"
$CC claims source add derailed-near-pukhrayan reported --article himalayantimes-96-dead \
    --quote "The derailment occurred near Pukhrayan, a village near the industrial city of Kanpur."
$CC claims source add derailed-near-pukhrayan reported --article reuters-119-killed \
    --quote "14 carriages of the train traveling between the northeastern city of Patna and the central city of Indore to suddenly roll off the tracks in Pukhrayan"

$CC claims add --id derailed-after-3am --kind event --topic pukhrayan \
    --statement "The Indore-Patna Express derailed shortly after 3 am, while most passengers were asleep" \
    --alias "The train derailed in the early hours while passengers slept" \
    --alias "The Kanpur derailment happened at around 3 in the morning" \
    --alias "The Indore-Patna Express came off the rails a little after 3 am" \
    --article ndtv-127-killed \
    --quote "rolled off track a little after 3 am in Pukhraya, 60 km from Kanpur, when most passengers were sleeping" \
    --date 2016-11-20 --places pukhrayan
$CC claims version add derailed-after-3am --id at-3-10 \
    --text "The derailment took place at 3.10 a.m." --article hindu-toll-145 \
    --quote "The derailment took place between the Pukhrayan and Malasa stations along the Jhansi-Kanpur section at 3.10 a.m." \
    --date 2016-11-20 --places pukhrayan
$CC claims source add derailed-after-3am at-3-10 --article himalayantimes-96-dead \
    --quote "the train derailed at around 3:10 a.m., jolting awake passengers"
$CC claims source add derailed-after-3am reported --article asianage-97-dead \
    --quote "The incident took place at around 3 AM near Pukhrayan"
$CC claims source add derailed-after-3am reported --article ians-120-killed \
    --quote "ran off the rails shortly after 3 a.m. near Pukhrayan station"

$CC claims add --id coaches-derailed --kind quantity --unit coaches --topic pukhrayan \
    --statement "Fourteen coaches of the Indore-Patna Express derailed" \
    --alias "How many coaches of the Indore-Patna Express went off the track?" \
    --alias "14 bogies of the train left the rails near Pukhrayan" \
    --article asianage-97-dead \
    --quote "14 coaches of the Indore-Patna express train derailed near Pukhrayan area in Kanpur Dehat district" \
    --version-id fourteen --version-text "14 coaches of the train derailed" --count 14 --places pukhrayan
$CC claims source add coaches-derailed fourteen --article hindu-toll-145 \
    --quote "14 bogies of the Patna-bound Indore-Rajendranagar Express went off the track"
$CC claims source add coaches-derailed fourteen --article ndtv-127-killed \
    --quote "Fourteen coaches of the train travelling with more than 500 passengers rolled off track"
$CC claims source add coaches-derailed fourteen --article reuters-119-killed \
    --quote "14 carriages of the train"

$CC claims add --id distance-from-kanpur --kind quantity --unit km --topic pukhrayan \
    --statement "The Indore-Patna Express derailed about 60 km from Kanpur" \
    --alias "How far from Kanpur did the train derail?" \
    --alias "Pukhrayan, where the train derailed, is 60 kilometres from Kanpur city" \
    --article ians-120-killed --quote "near Pukhrayan station, about 60 km from Kanpur city in Uttar Pradesh" \
    --version-id about-60 --version-text "It happened about 60 km from Kanpur" --count "~60" --places pukhrayan
$CC claims source add distance-from-kanpur about-60 --article ndtv-127-killed \
    --quote "in Pukhraya, 60 km from Kanpur"
$CC claims version add distance-from-kanpur --id south-65 \
    --text "It happened in Pukhrayan, 65 km south of Kanpur" --article reuters-119-killed \
    --quote "roll off the tracks in Pukhrayan, 65 km south of Kanpur city" --count 65 --places pukhrayan
$CC claims version add distance-from-kanpur --id about-100 \
    --text "It happened near Pukhrayan, about 100 km from Kanpur" --article asianage-97-dead \
    --quote "The incident took place at around 3 AM near Pukhrayan, about 100 kms from here." --count "~100" --places pukhrayan

# The warning on this one says the second alias "already matches derailed-near-pukhrayan better
# (score 80; train-was-patna-bound scores 0)": the new claim is scored as if it had no statement
# yet. Its own statement is about the same words, so it is applied anyway (--yes).
$CC claims add --id train-was-patna-bound --kind fact --topic pukhrayan --yes \
    --statement "The derailed train was travelling from Indore to Patna" \
    --alias "The Indore-Patna Express was bound for Patna" \
    --alias "The train that derailed near Kanpur had left Indore for Patna" \
    --article hindu-toll-145 --quote "14 bogies of the Patna-bound Indore-Rajendranagar Express went off the track" \
    --places indore,patna
$CC claims source add train-was-patna-bound reported --article ians-120-killed \
    --quote "the coaches of the Patna-bound train ran off the rails"

# Warned the same way (its question alias "already matches coaches-derailed better; passengers-on-board
# scores 0"): applied anyway.
$CC claims add --id passengers-on-board --kind quantity --unit passengers --topic pukhrayan --yes \
    --statement "The Indore-Patna Express was carrying more than 500 passengers" \
    --alias "How many passengers were on the Indore-Patna Express?" \
    --article ndtv-127-killed --quote "Fourteen coaches of the train travelling with more than 500 passengers rolled off track" \
    --version-id over-500 --version-text "The train was carrying more than 500 passengers" --count ">=501"

$CC claims add --id sleeper-coaches-worst-hit --kind fact --topic pukhrayan \
    --statement "The sleeper coaches S1, S2, S3 and S4 were the worst hit, S1 and S2 smashing into each other" \
    --alias "Most of the dead were in the sleeper coaches" \
    --alias "Which coaches were worst hit in the Kanpur derailment?" \
    --article ians-120-killed --quote "The worst hit were the sleeper coaches S1, S2, S3 and S4."
$CC claims source add sleeper-coaches-worst-hit reported --article hindu-toll-145 \
    --quote "While the S3 and S4 sleeper coaches were thrown off on to the nearby fields, S1 and S2 in front of them bore the brunt, as the coaches smashed into each other leaving behind mangled iron."

# 5b. The toll, the injured, the identified: running tallies that disagree.
# Warned: its third alias "already matches passengers-on-board better (death-toll scores 0)".
$CC claims add --id death-toll --kind quantity --unit deaths --topic pukhrayan --yes \
    --statement "The derailment of the Indore-Patna Express killed 145 people" \
    --alias "How many people died in the Kanpur train derailment?" \
    --alias "The death toll of the Pukhrayan train crash rose to 145" \
    --alias "How many passengers were killed when the Indore-Patna Express derailed?" \
    --article hindu-toll-145 \
    --quote "The number of dead in the Kanpur train accident climbed to 145 on Monday, with 123 bodies being identified so far, says P DGP Javeed Ahmed." \
    --said-by "Javeed Ahmed" --version-id toll-145 \
    --version-text "Police chief Javeed Ahmed put the toll at 145 on Monday 21 November" \
    --count 145 --as-of 2016-11-21 --speaker javeed-ahmed
$CC claims source add death-toll toll-145 --article scroll-toll-145 \
    --quote "The toll from the Patna-Indore Express derailment rose to 145 on Monday"
$CC claims version add death-toll --id toll-96 \
    --text "Police said at least 96 were killed, on Sunday 20 November" --article himalayantimes-96-dead \
    --quote "At least 96 people were killed Sunday when 14 coaches of an overnight passenger train rolled off the track in northern India" \
    --said-by police --count ">=96" --as-of 2016-11-20
$CC claims version add death-toll --id toll-97 \
    --text "IG Zaki Ahmed said at least 97 were killed, on Sunday 20 November" --article asianage-97-dead \
    --quote "At least 97 people have been killed and several others injured, IG (Kanpur range) Zaki Ahmed told PTI." \
    --said-by "Zaki Ahmed" --count ">=97" --as-of 2016-11-20 --speaker zaki-ahmad
$CC claims version add death-toll --id toll-119 \
    --text "District magistrate Kaushal Raj Sharma said 119 were confirmed dead, on Sunday 20 November" \
    --article reuters-119-killed \
    --quote "Kanpur district magistrate Kaushal Raj Sharma told Reuters that 119 people were confirmed dead" \
    --said-by "Kaushal Raj Sharma" --count 119 --as-of 2016-11-20 --speaker kaushal-raj-sharma
$CC claims version add death-toll --id toll-120 \
    --text "IG Zaki Ahmad said 120 were killed, on Sunday 20 November" --article ians-120-killed \
    --quote "Inspector General of Police, Kanpur, Zaki Ahmad told IANS that 120 people were killed in the accident" \
    --said-by "Zaki Ahmad" --count 120 --as-of 2016-11-20 --speaker zaki-ahmad
$CC claims version add death-toll --id toll-127 \
    --text "At least 127 were killed, on Sunday 20 November" --article ndtv-127-killed \
    --quote "At least 127 people were killed in their sleep and nearly 200 injured" \
    --count ">=127" --as-of 2016-11-20

$CC claims add --id injured --kind quantity --unit injured --topic pukhrayan \
    --statement "More than 200 people were injured in the Indore-Patna Express derailment" \
    --alias "How many people were injured in the Kanpur train accident?" \
    --alias "Over 200 passengers were hurt when the train derailed near Pukhrayan" \
    --article hindu-toll-145 --quote "Over 200 people were injured" \
    --version-id over-200 --version-text "More than 200 were injured" --count ">=201"
$CC claims source add injured over-200 --article himalayantimes-96-dead \
    --quote "More than 200 other passengers were injured as some coaches crumpled when they crashed into others"
$CC claims source add injured over-200 --article scroll-toll-145 \
    --quote "the number of injured climbed to more than 200"
$CC claims version add injured --id nearly-200 --text "Nearly 200 were injured" --article ndtv-127-killed \
    --quote "At least 127 people were killed in their sleep and nearly 200 injured" --count "~200"
$CC claims version add injured --id over-150 --text "More than 150 were injured" --article reuters-119-killed \
    --quote "At least 119 people were killed and more than 150 injured" --count ">=151"
$CC claims version add injured --id about-100 --text "Around 100 were injured" --article ians-120-killed \
    --quote "at least 120 persons were killed and around 100 injured before dawn on Sunday" --count "~100"

$CC claims add --id bodies-identified --kind quantity --unit bodies --topic pukhrayan \
    --statement "123 of the bodies had been identified by Monday 21 November" \
    --alias "How many of the dead had been identified?" \
    --article hindu-toll-145 \
    --quote "The number of dead in the Kanpur train accident climbed to 145 on Monday, with 123 bodies being identified so far, says P DGP Javeed Ahmed." \
    --said-by "Javeed Ahmed" --version-id identified-123 --version-text "Javeed Ahmed said 123 bodies had been identified" \
    --count 123 --as-of 2016-11-21 --speaker javeed-ahmed
$CC claims version add bodies-identified --id identified-110 \
    --text "Zaki Ahmad said 142 bodies had been found and 110 identified" --article scroll-toll-145 \
    --quote "142 bodies have been found so far, out of which 110 have been identified." \
    --said-by "Zaki Ahmad" --count 110 --as-of 2016-11-21 --speaker zaki-ahmad
$CC claims version add bodies-identified --id identified-60 \
    --text "Zaki Ahmad said at least 60 bodies had been identified, on Sunday" --article ians-120-killed \
    --quote "He also said that at least 60 of the bodies have been identified" \
    --said-by "Zaki Ahmad" --count ">=60" --as-of 2016-11-20 --speaker zaki-ahmad

$CC claims add --id ndrf-rescued-55 --kind quantity --unit people --topic pukhrayan \
    --statement "The National Disaster Response Force rescued 55 people and pulled out 74 bodies" \
    --alias "How many people did the NDRF rescue after the derailment?" \
    --article hindu-toll-145 \
    --quote "Search operation is in the final stage, says the NDRF, which has so far rescued 55 people and extricated 74 bodies." \
    --said-by NDRF --version-id rescued-55 --version-text "The NDRF said it had rescued 55 people" --count 55 \
    --actors ndrf --speaker ndrf

# 5c. The cause: suspected, not established.
$CC claims add --id rail-fracture-suspected --kind attribution --topic pukhrayan \
    --statement "Railway officials suspect a rail fracture caused the derailment" \
    --alias "Minister Manoj Sinha said a fracture in the rails could have caused the accident" \
    --alias "Officials think a crack in the track derailed the Indore-Patna Express" \
    --alias "What caused the Kanpur train derailment?" \
    --article ians-120-killed --quote "Sinha said the accident could have been caused due to rail fracture." \
    --said-by "Manoj Sinha" --version-id sinha-could-have \
    --version-text "Minister of State for Railways Manoj Sinha said a rail fracture could have caused it" \
    --speaker manoj-sinha
$CC claims source add rail-fracture-suspected sinha-could-have --article scroll-toll-145 \
    --quote "Minister of State for Railways Manoj Sinha said it could have been caused because of a fracture in the rail tracks" \
    --said-by "Manoj Sinha"
$CC claims version add rail-fracture-suspected --id officials-suspect \
    --text "The cause is not known; railway officials suspect a rail fracture" --article hindu-toll-145 \
    --quote "While the cause of the derailment is not known, railway officials suspect a rail fracture."
$CC claims source add rail-fracture-suspected officials-suspect --article ndtv-127-killed \
    --quote "Top railway officials said a fault in the tracks may have caused the accident"

# (A question alias "Was the track tampered with ...?" was refused with a fair warning: it affirms
# what the claim denies. Left out.)
$CC claims add --id no-tampering --kind attribution --topic pukhrayan \
    --statement "Jhansi divisional railway manager S.K. Agarwal indicated the track had not been tampered with" \
    --alias "Officials said there was no sabotage of the track" \
    --article scroll-toll-145 \
    --quote "Divisional Railway Manager for the Jhansi Division SK Agarwal called the derailment a \"major accident\", but indicated that there was no tampering." \
    --said-by "SK Agarwal" --version-id agarwal --version-text "S.K. Agarwal indicated there was no tampering" \
    --speaker sk-agarwal
# A duration in minutes is refused ("write e.g. '12 days' or '3 years'"): the nine minutes are a
# count of minutes instead.
$CC claims add --id sabarmati-nine-minutes --kind quantity --unit minutes --topic pukhrayan \
    --statement "The Sabarmati Express crossed the same track nine minutes before the derailment" \
    --alias "Another train passed over the same stretch minutes earlier" \
    --article scroll-toll-145 --quote "The Sabarmati Express crossed the same track nine minutes earlier" \
    --said-by "SK Agarwal" --version-id agarwal --version-text "S.K. Agarwal said the Sabarmati Express had crossed nine minutes earlier" \
    --count 9 --speaker sk-agarwal

# 5d. The government's response.
$CC claims add --id prabhu-ordered-inquiry --kind event --topic pukhrayan \
    --statement "Railway Minister Suresh Prabhu ordered an inquiry and promised the strictest possible action against those responsible" \
    --alias "Suresh Prabhu ordered a probe into the derailment" \
    --alias "The railway minister vowed to punish whoever was responsible" \
    --alias "Did the railway minister order an inquiry?" \
    --article ians-120-killed \
    --quote "Prabhu ordered an inquiry and vowed to take \"strictest possible action\" against the guilty." \
    --actors suresh-prabhu --speaker suresh-prabhu
$CC claims source add prabhu-ordered-inquiry reported --article ndtv-127-killed \
    --quote "In tweets, Suresh Prabhu said he had ordered an inquiry and \"strictest possible action will be taken against those who could be responsible.\""
$CC claims source add prabhu-ordered-inquiry reported --article scroll-toll-145 \
    --quote "Railway Minister Suresh Prabhu promised the \"strictest possible action\" against those found responsible for the incident."

$CC claims add --id ex-gratia-3-5-lakh --kind quantity --unit rupees --topic pukhrayan \
    --statement "Suresh Prabhu announced an ex-gratia payment of Rs 3.5 lakh for the family of each person killed" \
    --alias "How much compensation did the families of the dead get?" \
    --alias "The families of the victims were promised 350,000 rupees each" \
    --article scroll-toll-145 \
    --quote "Prabhu announced ex-gratia of Rs 3.5 lakh for families of the deceased and Rs 50,000 compensation for the critically injured" \
    --version-id rs-350000 --version-text "Rs 3.5 lakh (350,000 rupees) for each family of the dead" \
    --count 350000 --speaker suresh-prabhu
$CC claims add --id compensation-injured-50000 --kind quantity --unit rupees --topic pukhrayan \
    --statement "The critically injured were promised Rs 50,000 in compensation" \
    --alias "How much compensation did the seriously injured get?" \
    --article scroll-toll-145 \
    --quote "Prabhu announced ex-gratia of Rs 3.5 lakh for families of the deceased and Rs 50,000 compensation for the critically injured" \
    --version-id rs-50000 --version-text "Rs 50,000 for each critically injured person" --count 50000 --speaker suresh-prabhu

$CC claims add --id statutory-inquiry-acharya --kind plan --topic pukhrayan --due 2016-11 \
    --statement "Commissioner of Railway Safety P.K. Acharya was to hold the statutory inquiry into the derailment" \
    --alias "The Commissioner of Railway Safety will investigate the Kanpur derailment" \
    --alias "Who will hold the inquiry into the Indore-Patna Express derailment?" \
    --article hindu-toll-145 \
    --quote "P.K. Acharya, Commissioner, Railway Safety, Eastern Circle, Kolkata, will hold the statutory inquiry on Monday and Tuesday, a North Central Railway spokesperson said." \
    --version-id planned --version-text "P.K. Acharya was to hold the statutory inquiry on Monday and Tuesday, 21 and 22 November" \
    --date 2016-11-22 --actors pk-acharya

$CC claims add --id modi-anguished --kind attribution --topic pukhrayan \
    --statement "Prime Minister Narendra Modi said he was anguished beyond words by the derailment" \
    --alias "Modi offered his condolences to the families of those killed" \
    --alias "What did Narendra Modi say about the train accident?" \
    --article ndtv-127-killed \
    --quote "Prime Minister Narendra Modi said he was \"anguished beyond words\" and added that he had spoken to Railways Minister Suresh Prabhu who was monitoring the situation closely." \
    --said-by "Narendra Modi" --version-id anguished --version-text "Modi said he was anguished beyond words" \
    --speaker narendra-modi
$CC claims source add modi-anguished anguished --article scroll-toll-145 \
    --quote "Prime Minister Narendra Modi offered his condolences to the families of the deceased."

# 5e. The record it sets.
$CC claims add --id deadliest-since-2010 --kind fact --topic pukhrayan \
    --statement "It was India's deadliest rail accident since a 2010 collision in West Bengal in which more than 140 died" \
    --alias "The Kanpur derailment was the worst train disaster in India since 2010" \
    --article reuters-119-killed \
    --quote "India's deadliest rail tragedy since more than 140 died in a 2010 collision in West Bengal" \
    --date 2010 --places west-bengal
$CC claims add --id bihar-1981-worst --kind quantity --unit deaths --topic pukhrayan \
    --statement "India's worst rail disaster was in 1981 in Bihar, when a train plunged off a bridge into a river, killing an estimated 500 to 800 people" \
    --alias "The 1981 Bihar train disaster killed hundreds of people" \
    --article reuters-119-killed \
    --quote "In what was probably India's worst rail disaster, a train plunged off a bridge and into a river in 1981 in Bihar state, killing an estimated 500 to 800 people." \
    --version-id estimate --version-text "A train plunged off a bridge into a river in Bihar in 1981, killing an estimated 500 to 800" \
    --count 500..800 --date 1981 --places bihar

# 6. A second pass, after checking what members would ask (cases.yaml) against the base above:
#    26 of 40 answers were acceptable at first (31 with the engine fixes of this branch); what
#    follows is what a moderator can fix with the tools, each for a whole class of statements.
# - The train's name holds two cities' names: "Indore-Patna Express" was read as the places
#   Indore and Patna, which contradicted every claim placed at Pukhrayan. The name as one entity
#   (there is no kind for a train or a vehicle: org is the nearest) stops that.
$CC entities add --id indore-patna-express --kind org --name "Indore-Patna Express" \
    --name "Patna-Indore Express" --name "Indore-Rajendranagar Express" --name "Indore Patna Express"
# - Members (and the headlines) say "near Kanpur", "the Kanpur train accident": Kanpur Dehat is
#   rural Kanpur, so it is placed in Kanpur (a "near" place is not something the tools can say).
$CC entities edit kanpur-dehat --part-of kanpur
# - "The railway minister announced ..." left "railway" unaccounted for: the title as his name.
$CC entities alias add suresh-prabhu "Railway Minister"
$CC entities alias add suresh-prabhu "railways minister"
# - The alias "... left the rails ..." made "came off the rails" read as its opposite (come vs
#   leave): a false contradiction, so it goes.
$CC claims alias remove coaches-derailed "14 bogies of the train left the rails near Pukhrayan"
# - "on board" was not matched to "carrying ... passengers".
$CC claims alias add passengers-on-board "There were more than 500 passengers on board the train"
# - The topic's own words (issue 12, point 1): "came off the rails" is how members say derailed
#   (and the reports call the derailment "the crash"), and "lost their lives" is dying; English
#   alone reads neither so.
$CC vocabulary add concept derail derailed derailment derails "came off the rails" "went off the rails" \
    "jumped the tracks" "left the tracks" crash crashed
$CC vocabulary add concept kill "lost their lives" "lost his life" "lost her life" "lost lives"
