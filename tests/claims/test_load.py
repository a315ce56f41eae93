"""claims/load.py: the base loads whole or not at all, and every problem names its file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claims.load import Base, LoadError, Problem, load_base, quote_in_text

EditFile = Callable[[Path, str, str, str], int]

SOURCES = "sources.yaml"
ENTITIES = "claims/base/entities.yaml"
WITHDRAWAL = "claims/base/topics/withdrawal.yaml"
BACKGROUND = "claims/base/topics/background.yaml"

FINAL_STATEMENT = "    statement: The last U.S.-led coalition troops are to leave Iraq by a set final date.\n"
FINAL_SEPT_VALUES = "values: {date: 2026-09, scope: all, places: [iraq]}"


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        load_base(root)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return caught.value.problems


def the_problem(root: Path, file: str, fragment: str) -> Problem:
    """The one problem in `file` whose message contains `fragment`."""
    problems = problems_of(root)
    found = [p for p in problems if p.file == file and fragment in p.message]
    assert len(found) == 1, f"expected one problem in {file} about {fragment!r}, got:\n" + "\n".join(map(str, problems))
    return found[0]


def line_of(root: Path, relative: str, text: str) -> int:
    content = (root / relative).read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


# --- the shipped base -----------------------------------------------------------------------------


def test_the_shipped_base_loads(shipped_base: Base) -> None:
    assert shipped_base.claims and shipped_base.outlets and shipped_base.articles and shipped_base.entities
    assert set(shipped_base.claim_files.values()) == {WITHDRAWAL, BACKGROUND}
    assert set(shipped_base.texts) == set(shipped_base.articles)


def test_every_shipped_quote_occurs_in_its_article(shipped_base: Base) -> None:
    for claim in shipped_base.claims.values():
        for version in claim.versions:
            for src in version.sources:
                assert quote_in_text(src.quote, shipped_base.texts[src.article]), (claim.id, src.quote)


def test_the_fingerprint_changes_when_a_claim_changes(base_copy: Path, edit_file: EditFile,
                                                      shipped_base: Base) -> None:
    edit_file(base_copy, WITHDRAWAL, FINAL_STATEMENT, FINAL_STATEMENT.replace("set final date", "final date"))
    assert load_base(base_copy).fingerprint() != shipped_base.fingerprint()


# --- quotes ---------------------------------------------------------------------------------------


def test_a_quote_matches_across_curly_quotes_dashes_and_spacing() -> None:
    text = "He said: “We have an agreement” — it’s  now\njust a question of when."
    assert quote_in_text('said: "We have an agreement" - it\'s now just a question', text)


def test_an_ellipsis_in_a_quote_skips_words_in_between_but_keeps_the_order() -> None:
    text = "The first phase ends in 2025. Much later, the second phase ends in 2026."
    assert quote_in_text("The first phase ends in 2025. ... the second phase ends in 2026.", text)
    assert quote_in_text("The first phase ends … the second phase ends", text)
    assert not quote_in_text("the second phase ends in 2026. ... The first phase ends", text)


def test_an_elided_quote_is_made_of_phrases_not_stitched_letters_or_words() -> None:
    text = "US troops will leave Iraq by 2026, and no force will remain there permanently after that."
    assert quote_in_text("US troops will leave Iraq ... no force will remain there", text)
    assert not quote_in_text("US troops ... will remain ... permanently", text)
    assert not quote_in_text("U ... S ... t ... r ... o ... o ... p ... s", text)


def test_a_reworded_quote_is_not_found() -> None:
    assert not quote_in_text("the first stage ends in 2025", "The first phase ends in 2025.")


# --- one broken thing per test --------------------------------------------------------------------


def test_a_yaml_syntax_error_names_its_file_and_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "    kind: plan\n" + FINAL_STATEMENT,
                     "    kind: plan: event\n" + FINAL_STATEMENT)
    problem = the_problem(base_copy, WITHDRAWAL, "YAML syntax error")
    assert problem.line == line
    assert str(problem).startswith(f"{WITHDRAWAL}:{line}: YAML syntax error")


def test_a_misspelt_claim_key_is_refused_at_its_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, FINAL_STATEMENT, FINAL_STATEMENT.replace("statement:", "statment:"))
    problem = the_problem(base_copy, WITHDRAWAL, "statment: Extra inputs are not permitted")
    assert problem.line == line
    assert "final-withdrawal-date" in problem.message


def test_a_misspelt_outlet_key_is_refused_at_its_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, SOURCES, "    credibility: 30\n", "    credibilty: 30\n")
    assert the_problem(base_copy, SOURCES, "credibilty: Extra inputs are not permitted").line == line


def test_a_key_given_twice_is_refused_at_the_second(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "    kind: plan\n" + FINAL_STATEMENT,
                     "    kind: plan\n    kind: fact\n" + FINAL_STATEMENT)
    assert the_problem(base_copy, WITHDRAWAL, "key 'kind' is given twice").line == line + 1


def test_a_missing_required_field_is_reported_at_its_claim(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "  - id: final-withdrawal-date\n    kind: plan\n",
                     "  - id: final-withdrawal-date\n")
    problem = the_problem(base_copy, WITHDRAWAL, "kind: Field required")
    assert problem.line == line
    assert "final-withdrawal-date" in problem.message


def test_a_duplicate_claim_id_names_both_places(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "  - id: kurdistan-departure-date\n", "  - id: final-withdrawal-date\n")
    problem = the_problem(base_copy, WITHDRAWAL, "duplicate claim id 'final-withdrawal-date'")
    assert problem.line == line
    assert f"first at {WITHDRAWAL}:{line_of(base_copy, WITHDRAWAL, '  - id: final-withdrawal-date')}" in problem.message


def test_a_claim_id_used_in_two_topic_files_names_both_files(base_copy: Path, edit_file: EditFile) -> None:
    first = line_of(base_copy, BACKGROUND, "  - id: isis-defeated-iraq-2017\n")
    line = edit_file(base_copy, WITHDRAWAL, "  - id: troops-in-syria\n", "  - id: isis-defeated-iraq-2017\n")
    problem = the_problem(base_copy, WITHDRAWAL, "duplicate claim id 'isis-defeated-iraq-2017'")
    assert problem.line == line
    assert f"first at {BACKGROUND}:{first}" in problem.message


def test_a_duplicate_version_id_is_refused_in_its_file(base_copy: Path, edit_file: EditFile) -> None:
    edit_file(base_copy, WITHDRAWAL, "      - id: end-2026\n        text: The last troops",
              "      - id: september-2026\n        text: The last troops")
    problem = the_problem(base_copy, WITHDRAWAL, "version id 'september-2026' is used twice")
    assert "final-withdrawal-date" in problem.message


def test_a_duplicate_version_id_is_reported_at_the_duplicate(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "      - id: end-2026\n        text: The last troops",
                     "      - id: september-2026\n        text: The last troops")
    assert the_problem(base_copy, WITHDRAWAL, "used twice").line == line


def test_an_unknown_article_is_refused_at_its_source(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "          - article: 001_a545990919b4ebe4\n            quote: the last US",
                     "          - article: 009_missing\n            quote: the last US")
    problem = the_problem(base_copy, WITHDRAWAL, "unknown article '009_missing'")
    assert problem.line == line
    assert "final-withdrawal-date" in problem.message and "end-2026" in problem.message


def test_an_unknown_outlet_is_refused_at_its_article(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, SOURCES, "    outlet: iswnews\n", "    outlet: iswnewz\n")
    problem = the_problem(base_copy, SOURCES, "unknown outlet 'iswnewz'")
    assert problem.line == line
    assert "004_23c18b444b40338d" in problem.message


def test_an_unknown_entity_in_values_is_refused_at_the_values(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, FINAL_SEPT_VALUES, FINAL_SEPT_VALUES.replace("[iraq]", "[irak]"))
    problem = the_problem(base_copy, WITHDRAWAL, "unknown entity 'irak'")
    assert problem.line == line
    assert "entities.yaml" in problem.message


def test_an_unknown_part_of_is_refused_in_entities(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, ENTITIES, "    part_of: [erbil, kurdistan, iraq]\n",
                     "    part_of: [erbil, kurdistan, irak]\n")
    assert the_problem(base_copy, ENTITIES, "unknown part_of 'irak'").line == line


def test_a_quote_missing_from_its_article_is_refused_with_file_and_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, WITHDRAWAL, "quote: the last US personnel would leave by the end of 2026.",
                     "quote: the last US personnel would leave by the end of 2027.")
    problem = the_problem(base_copy, WITHDRAWAL, "quote not found in article 001_a545990919b4ebe4")
    assert problem.line == line
    assert "copy it verbatim" in problem.message


def test_an_article_whose_text_file_is_missing_is_refused_as_missing(base_copy: Path) -> None:
    (base_copy / "claims/base/articles/004_23c18b444b40338d.txt").unlink()
    problem = the_problem(base_copy, SOURCES, "its text is missing")
    assert problem.missing
    assert problem.line == line_of(base_copy, SOURCES, "    path: claims/base/articles/004_23c18b444b40338d.txt")


@pytest.mark.parametrize(("bad", "complaint"), [("2024-13", "month 13 in '2024-13' is out of range"),
                                                ("'2024-02-30'", "out of range: no such day")])
def test_an_impossible_claim_date_is_refused_at_its_line(base_copy: Path, edit_file: EditFile, bad: str,
                                                         complaint: str) -> None:
    line = edit_file(base_copy, WITHDRAWAL, FINAL_SEPT_VALUES, FINAL_SEPT_VALUES.replace("2026-09", bad))
    assert the_problem(base_copy, WITHDRAWAL, complaint).line == line


def test_a_year_out_of_range_is_refused_at_its_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, BACKGROUND, '          date: "2003"\n', '          date: "1800"\n')
    problem = the_problem(base_copy, BACKGROUND, "year 1800 in '1800' is out of range")
    assert problem.line == line


def test_an_impossible_publication_month_is_refused_at_its_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, SOURCES, "    published: 2025-08\n", "    published: 2025-13\n")
    assert the_problem(base_copy, SOURCES, "month 13").line == line


@pytest.mark.parametrize(("file", "old", "new"), [
    (SOURCES, "    published: 2025-08-18\n", "    published: 2025-13-18\n"),
    (WITHDRAWAL, FINAL_SEPT_VALUES, FINAL_SEPT_VALUES.replace("2026-09", "2024-02-30")),
])
def test_an_impossible_unquoted_full_date_is_a_problem_not_a_crash(base_copy: Path, edit_file: EditFile,
                                                                   file: str, old: str, new: str) -> None:
    line = edit_file(base_copy, file, old, new)
    problems = problems_of(base_copy)
    assert [(p.file, p.line) for p in problems if "out of range" in p.message] == [(file, line)]


def test_a_credibility_over_100_is_refused_at_its_line(base_copy: Path, edit_file: EditFile) -> None:
    line = edit_file(base_copy, SOURCES, "    credibility: 30\n", "    credibility: 120\n")
    problem = the_problem(base_copy, SOURCES, "less than or equal to 100")
    assert problem.line == line
    assert "iswnews" in problem.message


def test_a_credibility_its_criteria_do_not_earn_is_refused_at_its_outlet(base_copy: Path,
                                                                         edit_file: EditFile) -> None:
    edit_file(base_copy, SOURCES, "    credibility: 30\n", "    credibility: 35\n")
    problem = the_problem(base_copy, SOURCES, "credibility 35 does not match the 30 its criteria earn")
    assert problem.line == line_of(base_copy, SOURCES, "  - id: iswnews\n")


def test_a_misspelt_criterion_is_refused(base_copy: Path, edit_file: EditFile) -> None:
    edit_file(base_copy, SOURCES, '      ads: {rating: unknown, note: "Not visible in the text."}\n'
                                  '      management: {rating: unknown, note: "Not disclosed',
              '      adz: {rating: unknown, note: "Not visible in the text."}\n'
              '      management: {rating: unknown, note: "Not disclosed')
    problem = the_problem(base_copy, SOURCES, "unknown criteria ['adz']")
    assert problem.line == line_of(base_copy, SOURCES, "    criteria:\n      false_content: {rating: partly, "
                                                       'note: "Partisan')


def test_a_plan_without_a_due_date_is_refused_at_its_claim(base_copy: Path, edit_file: EditFile) -> None:
    edit_file(base_copy, WITHDRAWAL, "        values: {date: 2025-09, places: [baghdad-airport, erbil]}\n",
              "        values: {places: [baghdad-airport, erbil]}\n")
    problem = the_problem(base_copy, WITHDRAWAL, "a plan needs a due date")
    assert problem.line == line_of(base_copy, WITHDRAWAL, "  - id: relocation-to-erbil\n")
    assert "relocation-to-erbil" in problem.message


# --- all or nothing -------------------------------------------------------------------------------


def test_every_problem_across_files_is_listed_and_nothing_is_loaded(base_copy: Path, edit_file: EditFile) -> None:
    typo = edit_file(base_copy, WITHDRAWAL, FINAL_STATEMENT, FINAL_STATEMENT.replace("statement:", "statment:"))
    quote = edit_file(base_copy, BACKGROUND, "quote: Following ISIS’s defeat in 2017\n",
                      "quote: Following ISIS’s victory in 2017\n")
    outlet = edit_file(base_copy, SOURCES, "    outlet: iswnews\n", "    outlet: iswnewz\n")
    where = {(p.file, p.line) for p in problems_of(base_copy)}
    assert {(WITHDRAWAL, typo), (BACKGROUND, quote), (SOURCES, outlet)} <= where


def test_a_missing_sources_file_is_reported_as_missing_not_invalid(base_copy: Path) -> None:
    (base_copy / SOURCES).unlink()
    problems = problems_of(base_copy)
    assert [(p.file, p.missing) for p in problems] == [(SOURCES, True)]
    assert problems[0].message == f"missing: there is no file at {base_copy / SOURCES}"


def test_an_unreadable_sources_file_is_not_called_missing(base_copy: Path) -> None:
    (base_copy / SOURCES).write_bytes(b"outlets: \xff\xfe\n")
    problem = the_problem(base_copy, SOURCES, "cannot read file")
    assert not problem.missing


def test_an_empty_directory_is_missing_every_part_of_the_layout(tmp_path: Path) -> None:
    problems = problems_of(tmp_path)
    assert [p.file for p in problems] == [SOURCES, ENTITIES, "claims/base/topics"]
    assert all(p.missing and p.message.startswith("missing: ") for p in problems)


def test_a_base_without_topic_files_is_refused(base_copy: Path) -> None:
    for path in (base_copy / "claims/base/topics").glob("*.yaml"):
        path.unlink()
    problems = problems_of(base_copy)
    assert [str(p) for p in problems] == ["claims/base/topics: no claim files (*.yaml) found"]


def test_an_empty_topic_file_is_allowed(base_copy: Path, shipped_base: Base) -> None:
    (base_copy / "claims/base/topics/started.yaml").write_text("", encoding="utf-8")
    assert len(load_base(base_copy).claims) == len(shipped_base.claims)


def test_a_topic_file_without_a_claims_list_is_refused(base_copy: Path) -> None:
    (base_copy / "claims/base/topics/notes.yaml").write_text("topic: notes\n", encoding="utf-8")
    assert the_problem(base_copy, "claims/base/topics/notes.yaml", "`claims:` list").line == 1
