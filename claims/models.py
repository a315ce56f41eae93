"""The typed shapes of the claim base: outlets, articles, entities, claims and their versions.

These models are the single definition of what a valid base looks like. The YAML loader
(`claims.load`) and every moderator edit validate through them, so a rule written here holds
everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from claims.values import parse_count, parse_date_span, parse_duration

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{1,79}$"
Ident = Annotated[str, Field(pattern=ID_PATTERN)]
# A topic names the file its claims are exported to, so it is a plain file name.
TOPIC_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,79}$"


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, so a typo in a YAML key is caught.

    Models are frozen: a change is a new model (`model_copy`), validated where it enters."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Strict:
        return share_fields_set(self)


# Pydantic gives every model its own set of the fields it was given (`model_fields_set`): at
# 100,000 claims those sets alone took 140 MB. Frozen models never change theirs (a copy gets
# its own), so models given the same fields can share one set.
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
M = TypeVar("M", bound=BaseModel)


def share_fields_set(model: M) -> M:
    """Let `model` use the shared set of the fields it was given; return it."""
    fields = model.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(fields), fields)
    if shared is not fields:
        object.__setattr__(model, "__pydantic_fields_set__", shared)
    return model


# --- credibility -------------------------------------------------------------------------------

# NewsGuard's nine criteria and the points each is worth (they sum to 100).
CRITERIA_POINTS: dict[str, float] = {
    "false_content": 22,
    "responsible": 18,
    "corrections": 12.5,
    "news_opinion": 12.5,
    "headlines": 10,
    "ownership": 7.5,
    "ads": 7.5,
    "management": 5,
    "authors": 5,
}
CRITERIA_LABELS: dict[str, str] = {
    "false_content": "does not repeatedly publish false content",
    "responsible": "gathers and presents information responsibly",
    "corrections": "corrects or clarifies errors",
    "news_opinion": "separates news and opinion",
    "headlines": "avoids deceptive headlines",
    "ownership": "discloses ownership and financing",
    "ads": "labels advertising",
    "management": "reveals who is in charge",
    "authors": "names its authors",
}
RATING_SHARE = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": 0.0}


class Criterion(Strict):
    rating: Literal["yes", "partly", "no", "unknown"]
    note: str = ""

    @field_validator("rating", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: object) -> object:
        # YAML 1.1 reads a bare yes/no as a boolean; the curator meant the word.
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value


def score_criteria(criteria: dict[str, Criterion]) -> int:
    """The 0-100 credibility score the criteria earn (half points round up)."""
    points = sum(CRITERIA_POINTS[name] * RATING_SHARE[c.rating] for name, c in criteria.items())
    return int(points + 0.5)


class Outlet(Strict):
    id: Ident
    name: str = Field(min_length=1)
    url: str | None = None
    identified: bool = True
    credibility: int = Field(ge=0, le=100)
    criteria: dict[str, Criterion]
    affiliation: str | None = None
    notes: str = ""
    unreliable: bool = False

    @field_validator("criteria")
    @classmethod
    def _all_nine(cls, value: dict[str, Criterion]) -> dict[str, Criterion]:
        unknown = sorted(set(value) - set(CRITERIA_POINTS))
        missing = sorted(set(CRITERIA_POINTS) - set(value))
        if unknown:
            raise ValueError(f"unknown criteria {unknown}; the nine are {sorted(CRITERIA_POINTS)}")
        if missing:
            raise ValueError(f"missing criteria {missing}: rate every one (unknown is a rating)")
        return value

    @model_validator(mode="after")
    def _score_matches_criteria(self) -> Outlet:
        earned = score_criteria(self.criteria)
        if earned != self.credibility:
            raise ValueError(
                f"credibility {self.credibility} does not match the {earned} its criteria earn; "
                "change the ratings (with notes) or the score"
            )
        return self

    def reasons(self) -> list[str]:
        """Short human reasons: what the outlet does and does not do, most important first."""
        good = [CRITERIA_LABELS[k] for k, c in self.criteria.items() if c.rating == "yes"]
        weak = [CRITERIA_LABELS[k] for k, c in self.criteria.items() if c.rating in ("no", "unknown")]
        out = []
        if good:
            out.append("✓ " + "; ".join(good))
        if weak:
            out.append("✗ " + "; ".join(weak))
        if self.affiliation:
            out.append("affiliation: " + self.affiliation)
        return out


# --- articles ----------------------------------------------------------------------------------


class Article(Strict):
    id: Ident
    outlet: Ident
    title: str | None = None
    byline: str | None = None
    published: str
    published_estimate: bool = False
    published_note: str = ""
    url: str | None = None
    path: str
    relays: list[str] = []

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        # The path is read on import and written on export, always under the base's folder:
        # never absolute, never climbing out of it.
        parts = value.split("/")
        if (not value or value.startswith("/") or "\\" in value or "\x00" in value or re.match(r"^[A-Za-z]:", value)
                or any(part in ("", ".", "..") for part in parts)):
            raise ValueError(f"path {value!r} must be relative to the base's folder, like "
                             "claims/base/articles/ID.txt (no leading /, no .., no backslashes)")
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: object) -> str:
        text = value.isoformat() if isinstance(value, date) else str(value)
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            raise ValueError("publication date must be YYYY-MM-DD, or YYYY-MM when only the month is known")
        parse_date_span(text)  # raises on an impossible date such as 2024-13
        return text

    def published_date(self) -> date:
        """The (earliest possible) publication day, for ordering and the 'as of' of a report."""
        return parse_date_span(self.published).start

    def published_day_known(self) -> bool:
        """Whether the publication day is known (not only its month or year, nor an estimate):
        only then does a weekday the report names ("on Monday") give a date."""
        span = parse_date_span(self.published)
        return span.start == span.end and not self.published_estimate


# --- entities ----------------------------------------------------------------------------------


class EntityKind(StrEnum):
    COUNTRY = "country"
    PLACE = "place"
    PERSON = "person"
    ORG = "org"
    GROUP = "group"


class Entity(Strict):
    id: Ident
    kind: EntityKind
    names: list[str] = Field(min_length=1)
    part_of: list[Ident] = []


# --- vocabulary --------------------------------------------------------------------------------


class TermKind(StrEnum):
    CONCEPT = "concept"  # words and phrases read as one idea when claims are matched
    UNIT = "unit"  # the nouns a count counts
    TITLE = "title"  # written before a person's name as part of it ("seismologist", "fire chief")


# A concept or unit is one lower-case word; what is read as it may be a phrase ("pulled out").
TERM_NAME = re.compile(r"^[a-z][a-z']{1,39}$")
TERM_WORD = re.compile(r"^(?:[a-z0-9$][a-z0-9$']*)(?:[ -][a-z0-9$][a-z0-9$']*){0,5}$")


class Term(Strict):
    """One entry of a base's vocabulary: a topic's concept or unit and the words read as it.
    English every reader knows is the engine's (`claims.text`); a topic's words are its base's."""

    kind: TermKind
    name: str
    words: list[str] = Field(min_length=1)

    @property
    def id(self) -> str:
        """Its key in the base (a concept and a unit may share a name)."""
        return f"{self.kind}:{self.name}"

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.lower()
        if not TERM_NAME.fullmatch(value):
            raise ValueError(f"{value!r} is not one lower-case word (letters only, 2 to 40 of them)")
        return value

    @field_validator("words")
    @classmethod
    def _words(cls, values: list[str]) -> list[str]:
        out: list[str] = []
        for value in values:
            word = " ".join(str(value).lower().split())
            if not TERM_WORD.fullmatch(word):
                raise ValueError(f"{value!r} is not a word or a phrase of up to six words (letters, digits, "
                                 "apostrophes; words joined by a space or a hyphen)")
            if word in out:
                raise ValueError(f"{word!r} is listed twice")
            out.append(word)
        return out


def term_key(kind: str, name: str) -> str:
    """The key of a vocabulary entry (`Term.id`)."""
    return f"{kind}:{name.lower()}"


# --- claims ------------------------------------------------------------------------------------


class ClaimKind(StrEnum):
    EVENT = "event"  # something that happened
    PLAN = "plan"  # something scheduled or agreed, with a due date: a plan is not an event
    QUANTITY = "quantity"  # a count or amount
    ATTRIBUTION = "attribution"  # who said what
    FACT = "fact"  # a standing state of affairs


RoleName = Literal["agent", "patient", "source", "destination", "recipient"]


class Values(Strict):
    """The details a version commits to; a statement is compared with them slot by slot."""

    date: str | None = None
    # A running tally (a death toll, a count of the displaced) is true only as of a day: a later
    # report replaces it rather than contradicting it. Stored and shown; the verdict weighs it.
    as_of: str | None = None
    count: str | None = None
    duration: str | None = None
    places: list[Ident] = []
    actors: list[Ident] = []
    speaker: Ident | None = None
    scope: Literal["all", "some"] | None = None
    holds: bool = True
    # Who does what, where reading the texts cannot tell (e.g. {agent: [us], patient: [al-saidi]}):
    # the roles of what the version reports, compared with the roles a statement gives.
    roles: dict[RoleName, list[Ident]] = {}

    @field_validator("date", "as_of", "count", "duration", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, int | float):
            return str(value)
        return value

    @field_validator("date", "as_of")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None:
            parse_date_span(value)
        return value

    @field_validator("count")
    @classmethod
    def _count(cls, value: str | None) -> str | None:
        if value is not None:
            parse_count(value)
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


class SourceRef(Strict):
    article: Ident
    quote: str = Field(min_length=8, max_length=1000)
    said_by: str | None = None


class Version(Strict):
    id: Ident
    text: str = Field(min_length=3, max_length=400)
    values: Values = Values()
    sources: list[SourceRef] = Field(min_length=1)


class Claim(Strict):
    id: Ident
    kind: ClaimKind
    statement: str = Field(min_length=8, max_length=300)
    topic: str = Field(default="general", pattern=TOPIC_PATTERN)
    aliases: list[str] = []
    unit: str | None = None
    due: str | None = None  # a plan's due date when its versions do not give one
    versions: list[Version] = Field(min_length=1)
    status: Literal["active", "retired"] = "active"

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, value: object) -> object:
        if isinstance(value, date):
            value = value.isoformat()
        if value is not None:
            parse_date_span(str(value))
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in value:
            if not 3 <= len(alias) <= 300:
                raise ValueError(f"alias {alias!r} must be 3 to 300 characters")
            if alias.casefold() in seen:
                raise ValueError(f"alias {alias!r} is listed twice")
            seen.add(alias.casefold())
        return value

    @model_validator(mode="after")
    def _plans_have_due_dates(self) -> Claim:
        # Duplicate version ids are a reference problem (claims.load), reported at their line.
        if self.kind is ClaimKind.PLAN and not self.due and not any(v.values.date for v in self.versions):
            raise ValueError("a plan needs a due date: set `due` or give a version a `date`")
        return self

    def due_dates(self) -> list[str]:
        """The due dates the versions give, for plans (sorted, distinct)."""
        dates = {v.values.date for v in self.versions if v.values.date}
        if self.due:
            dates.add(self.due)
        return sorted(dates)

    def texts(self) -> list[str]:
        """Every wording the matcher may compare a statement with."""
        return [self.statement, *self.aliases]
