"""A base's vocabulary: the topic's own words are data beside its entities, edited by moderators
(audited, undoable) and read by that workspace's engine only; every country and first-level
subdivision is a place without curation."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.curate import CurationError, Curator
from claims.engine import Engine
from claims.export import export_base
from claims.load import Base, LoadError, load_base
from claims.models import Article, Claim, Entity, SourceRef, Term, Values, Version
from claims.notify import changed_claims
from claims.service import Crosscheck
from claims.store import DEFAULT, Store
from claims.store.feed import ChangeRow
from claims.text import ENGLISH, term_of
from tests.claims.test_verdict import OUTLETS
from tests.conftest import TODAY

SLANG = "US troops skedaddled from Iraq in 2011"
WITHDRAWN = "us-full-withdrawal-2011"


def answer(service: Crosscheck, statement: str, guild: str) -> tuple[str, str | None]:
    reply = service.check(statement, guild_id=guild).reply
    return reply.verdict, reply.claim.id if reply.claim else None


# --- English in code, the topic in data ------------------------------------------------------------


def test_the_starter_topics_words_are_its_bases_not_the_engines() -> None:
    # Without a base, "struck" is English's (the past of strike), not an attack: an earthquake strikes too.
    assert term_of("struck") == "strike"
    assert term_of("troops") == "troop" and term_of("soldiers") == "soldier"
    starter = load_base().terms
    assert {"concept:withdraw", "concept:troop", "concept:attack", "unit:troops"} <= set(starter)
    assert "pulled out" in starter["concept:withdraw"].words


def test_english_every_reader_knows_stays_in_the_engine() -> None:
    assert {term_of(w) for w in ("died", "dead", "killed", "deaths")} == {"kill"}
    assert ENGLISH.units == {"dollars": "dollars", "usd": "dollars", "$": "dollars"}


def test_the_starter_base_reads_as_before_with_its_vocabulary_as_data(engine: Engine) -> None:
    normaliser = engine.normaliser
    assert normaliser.terms("US forces pulled out of Iraq") == normaliser.terms("US troops withdrew from Iraq")
    assert normaliser.terms("a drone struck the air base") == ("drone", "attack", "base")
    assert engine.check("US troops pulled out of Iraq in 2011").verdict == "supported"


# --- editing it ------------------------------------------------------------------------------------


def test_a_vocabulary_edit_changes_answers_in_that_workspace_only_and_is_audited_and_undone(
        service: Crosscheck) -> None:
    assert answer(service, SLANG, "111") == ("no_match", None)
    other = service.engine_for(service.workspace_of("222"))
    before = service.engine_for(service.workspace_of("111")).normaliser.fingerprint()
    curator = Curator(service, guild_id="111")

    change = curator.add_words("discord:1:mod", "concept", "withdraw", ["skedaddled", "skedaddle"])

    assert answer(service, SLANG, "111") == ("supported", WITHDRAWN)
    assert answer(service, SLANG, "222") == ("no_match", None)
    assert service.engine_for(service.workspace_of("222")) is other  # the other server's engine was not rebuilt
    edited = service.engine_for(service.workspace_of("111")).normaliser.fingerprint()
    assert edited != before and other.normaliser.fingerprint() == before
    (entry,) = curator.history("concept:withdraw", "term")
    assert (entry.action, entry.actor) == ("term.words.add", "discord:1:mod")
    assert entry.after is not None and "skedaddled" in entry.after["words"]

    curator.undo("discord:1:mod", change.audit_id)

    assert answer(service, SLANG, "111") == ("no_match", None)
    assert service.engine_for(service.workspace_of("111")).normaliser.fingerprint() == before


def test_a_new_concept_joins_a_topics_words_and_can_be_removed(service: Crosscheck) -> None:
    curator = Curator(service, guild_id="111")
    curator.add_words("cli:me", "concept", "quake", ["earthquake", "tremor", "seismic event"])
    normaliser = service.engine_for(service.workspace_of("111")).normaliser
    assert normaliser.terms("a seismic event hit Chile") == normaliser.terms("an earthquake hit Chile")
    curator.remove_words("cli:me", "concept", "quake", ["tremor"])
    assert curator.term("concept", "quake")[0].words == ["earthquake", "seismic event"]
    curator.remove_term("cli:me", "concept", "quake", reason="not this topic")
    with pytest.raises(CurationError, match="no concept 'quake'"):
        curator.term("concept", "quake")


def test_followers_of_every_claim_are_rechecked_after_a_vocabulary_change() -> None:
    # A topic's words decide how every statement reads, so any followed verdict may move.
    assert changed_claims([ChangeRow(1, "default", None, "term", "concept:withdraw")]) is None
    assert changed_claims([ChangeRow(1, "default", None, "claim", "x")]) == {"x"}


def test_a_topics_title_before_a_persons_name_is_read_as_part_of_it(service: Crosscheck) -> None:
    said = "Seismologist Sabit al-Abassi said the tremor was over"
    before = service.engine_for(service.workspace_of("111")).normaliser.words(said)[0]
    assert before[:2] == ["seismologist", "@al-abassi"]
    Curator(service, guild_id="111").add_words("cli:me", "title", "science", ["seismologist", "chief seismologist"])
    after = service.engine_for(service.workspace_of("111")).normaliser.words("Chief Seismologist " + said[13:])[0]
    assert after[:2] == ["@al-abassi", "said"]
    assert service.engine_for(service.workspace_of("222")).normaliser.words(said)[0] == before


def test_a_word_is_read_one_way_only_and_filler_is_refused(curator: Curator) -> None:
    with pytest.raises(CurationError, match="'left' already belongs to concept 'withdraw'"):
        curator.add_words("cli:me", "concept", "remain", ["left"])
    with pytest.raises(CurationError, match="'attack' already belongs to concept 'attack'"):
        curator.add_words("cli:me", "concept", "troop", ["attack"])
    with pytest.raises(CurationError, match="'the' is an English filler word"):
        curator.add_words("cli:me", "concept", "troop", ["the"])
    with pytest.raises(CurationError, match="concept 'which' is an English filler word"):
        curator.add_words("cli:me", "concept", "which", ["whichever"])
    with pytest.raises(CurationError, match="without words: remove the entry instead"):
        curator.remove_words("cli:me", "unit", "bases", ["base", "bases"])
    assert curator.history("concept:remain", "term") == []


def test_the_shipped_base_fingerprint_covers_the_vocabulary() -> None:
    base = load_base()
    edited = base.copy()
    edited.terms["concept:quake"] = Term(kind="concept", name="quake", words=["earthquake"])
    assert edited.fingerprint() != base.fingerprint()


# --- as data beside entities.yaml ------------------------------------------------------------------


def test_the_vocabulary_is_exported_and_imported_with_the_base(tmp_path: Path) -> None:
    base = load_base()
    export_base(base, tmp_path / "out")
    assert (tmp_path / "out" / "claims" / "base" / "vocabulary.yaml").is_file()
    assert load_base(tmp_path / "out").terms == base.terms


def test_a_vocabulary_problem_is_reported_with_file_and_line(base_copy: Path) -> None:
    path = base_copy / "claims" / "base" / "vocabulary.yaml"
    path.write_text("vocabulary:\n"
                    "  - kind: concept\n"
                    "    name: quake\n"
                    "    words: [earthquake, tremor]\n"
                    "  - kind: concept\n"
                    "    name: shake\n"
                    "    words: [shaking,\n"
                    "            tremor]\n"
                    "  - kind: colour\n"
                    "    name: red\n"
                    "    words: [the]\n"
                    "  - kind: concept\n"
                    "    name: Two Words\n"
                    "    words: [x y z a b c d]\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_base(base_copy)
    problems = [str(p) for p in caught.value.problems]
    assert "claims/base/vocabulary.yaml:8: concept 'shake': 'tremor' already belongs to concept 'quake'; " \
           "a word can be read one way only" in problems
    assert any(p.startswith("claims/base/vocabulary.yaml:9: vocabulary[2]: kind:") for p in problems)
    assert any(p.startswith("claims/base/vocabulary.yaml:13: vocabulary[3]: name:") for p in problems)
    assert any(p.startswith("claims/base/vocabulary.yaml:14: vocabulary[3]: words:") for p in problems)


def test_a_release_that_changes_only_the_vocabulary_is_imported_again(db_path: Path, base_copy: Path) -> None:
    seeded_store = Store(db_path)
    path = base_copy / "claims" / "base" / "vocabulary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[drone, drones, uav, uavs]",
                                                             "[drone, drones, uav, uavs, quadcopter]"),
                    encoding="utf-8")
    assert seeded_store.ensure_shipped(base_copy)
    assert "quadcopter" in seeded_store.load_base(DEFAULT).terms["concept:drone"].words
    seeded_store.close()


def test_a_base_without_a_vocabulary_reads_with_english_alone(base_copy: Path) -> None:
    (base_copy / "claims" / "base" / "vocabulary.yaml").unlink()
    base = load_base(base_copy)
    assert base.terms == {}
    engine = Engine(base, today=TODAY)
    assert engine.normaliser.terms("troops left") == ("troop", "left")


# --- places without curation -----------------------------------------------------------------------


def test_every_country_and_major_subdivision_is_a_place(engine: Engine) -> None:
    found = engine.normaliser.words("Quakes shook Chile, Peru's Arequipa and Texas")[1]
    assert found == ["iso-cl", "iso-pe", "iso-pe-are", "iso-us-tx"]
    assert engine.entities.related("iso-us-tx", "us")  # a state of the base's own United States
    # A place name that is also an English word is a place only written as a name.
    assert engine.normaliser.words("Georgia will chad")[1] == ["iso-ge"]


def test_a_subdivision_named_only_by_where_it_lies_is_not_read_alone(engine: Engine) -> None:
    # Fiji's "Eastern" division and Cameroon's "North" region: the words open other names.
    words = engine.normaliser.words("A North Central Railway spokesman said the Eastern Circle will inquire")[1]
    assert not [w for w in words if w.startswith("iso-")]
    # Sri Lanka's "Western Province": a description of part of any country ("the western province of Anbar").
    assert engine.normaliser.words("Troops left the base in the western province of Anbar")[1] == ["anbar"]
    # A subdivision whose name says more than where it lies is still a place.
    assert engine.normaliser.words("Floods hit Western Cape")[1] == ["iso-za-wc"]


def test_a_version_may_name_a_place_the_base_does_not_curate(curator: Curator, tmp_path: Path) -> None:
    quote = "an additional 900 in neighbouring Syria"
    curator.add_version("mod:alice", "troops-in-syria", {
        "id": "peru-900", "text": "Some 900 US troops are in Syria, not Peru.", "values": {"count": "~900",
                                                                                          "places": ["Peru"]},
        "sources": [{"article": "003_0d325b8582dc79ca", "quote": quote}]})
    claim, _ = curator.claim("troops-in-syria")
    assert claim.versions[-1].values.places == ["iso-pe"]
    export_base(curator.store.objects.load(curator.chain), tmp_path / "out")
    assert load_base(tmp_path / "out").claims["troops-in-syria"].versions[-1].values.places == ["iso-pe"]


def test_a_statement_about_a_place_no_claim_covers_is_not_contradicted(engine: Engine) -> None:
    # Bolivia is not in the base: without it, the claim about troops in Iraq contradicted this.
    reply = engine.check("About 9,000 US troops are stationed in Bolivia")
    assert reply.verdict == "no_match"
    assert engine.check("ISIS was defeated in Peru in 2019").verdict == "no_match"


# --- a topic far from the starter's ------------------------------------------------------------------

QUAKE_TEXT = ("A magnitude 8.8 earthquake struck Chile on Saturday, killing at least 700 people. "
              "The quake struck off the coast of the Maule region.")


def quake_engine() -> Engine:
    """A base about one earthquake, with its topic's words: English alone does not know a tremor is a quake."""
    articles = {f"{o}-1": Article(id=f"{o}-1", outlet=o, published="2010-02", path=f"articles/{o}-1.txt")
                for o in OUTLETS}
    quote = "A magnitude 8.8 earthquake struck Chile on Saturday"
    claim = Claim(id="chile-quake", kind="event", statement="A magnitude 8.8 earthquake struck Chile in February 2010.",
                  versions=[Version(id="v1", text="A magnitude 8.8 earthquake struck Chile in February 2010.",
                                    values=Values(date="2010-02", places=["chile"]),
                                    sources=[SourceRef(article="high-outlet-1", quote=quote),
                                             SourceRef(article="mid-outlet-1", quote=quote)])])
    entities = {"chile": Entity(id="chile", kind="country", names=["Chile", "Chilean"])}
    terms = {"concept:quake": Term(kind="concept", name="quake", words=["earthquake", "tremor", "seismic event"])}
    base = Base(dict(OUTLETS), articles, dict.fromkeys(articles, QUAKE_TEXT), entities, {claim.id: claim},
                terms=terms)
    return Engine(base, today=TODAY)


def test_an_earthquake_somewhere_no_claim_covers_gets_no_verdict() -> None:
    engine = quake_engine()
    assert engine.check("A magnitude 8.8 earthquake struck Chile in February 2010").verdict == "supported"
    assert engine.check("A tremor struck Chile in February 2010").verdict == "supported"
    # Peru acts in nothing and is not put "in" anything here, yet the statement is about it.
    reply = engine.check("A magnitude 8.8 earthquake struck Peru in February 2010")
    assert (reply.verdict, reply.claim) == ("no_match", None)
    assert reply.explanation.startswith("No claim in the base is about Peru")
