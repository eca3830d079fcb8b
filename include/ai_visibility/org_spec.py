"""The definition of an org as users write it (YAML or JSON), validated before anything is stored."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ai_visibility.ai.capabilities import native_location_supported
from ai_visibility.errors import InputError

KEY = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
# Each sample is a paid AI call per cell; ten already narrows a cell's interval well (docs/definitions.md).
MAX_SAMPLES = 10
Provider = Literal["openai", "perplexity", "gemini", "anthropic", "openrouter", "local"]


class FieldError(ValueError):
    """A check over several fields, naming the one at fault: pydantic reports a model validator's
    error at the model (the whole file, for OrgSpec), not at the field the user has to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _encodable(cls, value: object) -> object:
        # A lone surrogate (a JSON escape such as "\udcff") cannot be stored or sent: refuse it here,
        # naming the field, rather than have the database or an engine fail on it later.
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                _check_utf8(text)
        return value


def _check_utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"not valid Unicode text: {text[exc.start]!r} at character {exc.start} is half of a character "
            "(a lone surrogate); write the character itself"
        ) from None


def _website(value: str) -> str:
    # Imported here, as the price table is: DAG files import this module, and parse within a budget.
    from ai_visibility.websites import website_url

    website_url(value)  # checked; stored as written
    return value


# A website with no domain would match no citation, and its brand's own pages would count as others'.
Website = Annotated[str, AfterValidator(_website)]


class CompetitorSpec(_Spec):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1)
    websites: list[Website] = []
    aliases: list[str] = []
    negative_terms: list[str] = []


class ModelSpec(_Spec):
    key: str = Field(pattern=KEY)
    label: str
    provider: Provider
    api_model: str
    conn_id: str = Field(min_length=1, description="Airflow connection with the base URL and key")
    api_style: Literal["chat_completions", "responses"] = "chat_completions"
    web_search: bool = False
    location_method: Literal["native", "prompt"] = "prompt"
    temperature: float | None = Field(None, ge=0, le=2)
    max_output_tokens: int | None = Field(None, gt=0)
    expected_output_tokens: int = Field(800, gt=0, description="for the cost estimate before a run")
    input_usd_per_mtok: float | None = Field(None, ge=0, description="overrides the price table")
    output_usd_per_mtok: float | None = Field(None, ge=0, description="overrides the price table")
    search_usd_per_call: float | None = Field(None, ge=0, description="overrides the price table")

    @model_validator(mode="after")
    def _location_is_possible(self) -> ModelSpec:
        if self.location_method == "native" and not native_location_supported(
            self.provider, self.api_style, self.web_search
        ):
            raise ValueError(
                f"model {self.key!r}: {self.provider} ({self.api_style}, web_search={self.web_search}) has no native "
                "location parameter; use location_method: prompt (native works for openai with web_search, "
                "and for perplexity)"
            )
        if self.api_style == "responses" and self.provider not in ("openai", "openrouter"):
            raise ValueError(
                f"model {self.key!r}: api_style responses is OpenAI's; use chat_completions for {self.provider}"
            )
        return self

    @model_validator(mode="after")
    def _priced(self) -> ModelSpec:
        # Refused here, not when the scheduled run builds its queue and cannot estimate the cost.
        # Imported here: DAG files import this module for MAX_SAMPLES and parse with no price table.
        from ai_visibility.ai.pricing import missing_price

        # Half a price would be dropped for the table's whole one (or, off the table, for none).
        if (self.input_usd_per_mtok is None) != (self.output_usd_per_mtok is None):
            given, missing = (
                ("input_usd_per_mtok", "output_usd_per_mtok")
                if self.output_usd_per_mtok is None
                else ("output_usd_per_mtok", "input_usd_per_mtok")
            )
            raise FieldError(
                missing,
                f"model {self.key!r}: {given} without {missing}: a model's own price is both input_usd_per_mtok "
                "and output_usd_per_mtok (USD per million tokens); give both, or neither to use the price table",
            )
        problem = missing_price(self)
        if problem:
            raise FieldError("api_model", f"model {self.key!r}: {problem}")
        return self


class LocationSpec(_Spec):
    key: str | None = Field(None, pattern=KEY)
    country: str = Field(description="ISO-3166 alpha-2 code; the UK is GB")
    region: str | None = None
    city: str | None = None
    language: str | None = None
    timezone: str | None = Field(None, description="IANA time zone, e.g. Europe/London")

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code == "UK":
            raise ValueError("use the ISO-3166 code GB for the United Kingdom, not UK")
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"{value!r} is not an ISO-3166 alpha-2 country code (e.g. US, GB, DE)")
        return code

    @property
    def resolved_key(self) -> str:
        if self.key:
            return self.key
        parts = [self.country, self.region, self.city]
        return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


MAX_QUESTION_CHARS = 2000
# A group's steps run one cell after another in one task: beyond this, one task holds too much of a run.
MAX_CELLS_PER_TASK = 1000


class QuestionSpec(_Spec):
    key: str = Field(pattern=KEY)
    text: str
    tags: list[str] = []
    branded: bool = False

    @field_validator("text")
    @classmethod
    def _askable(cls, value: str) -> str:
        text = value.strip()
        if len(text) < 3:
            raise ValueError("a question needs its text (at least 3 characters), e.g. 'Best CRM for startups?'")
        # Every cell sends it and every answer is priced from it: a pasted document is a mistake, not a question.
        if len(text) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"a question is at most {MAX_QUESTION_CHARS} characters (got {len(text)}); "
                "shorten it or split it into several questions"
            )
        return text


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ScheduleSpec(_Spec):
    """How often `schedule_orgs` runs the org: every day, or once a week on a weekday."""

    cadence: Literal["daily", "weekly"]
    weekday: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None = None

    @model_validator(mode="after")
    def _weekday_for_weekly(self) -> ScheduleSpec:
        if self.cadence == "weekly" and self.weekday is None:
            raise ValueError("a weekly schedule needs a weekday, e.g. {cadence: weekly, weekday: monday}")
        if self.cadence == "daily" and self.weekday is not None:
            raise ValueError("a daily schedule takes no weekday")
        return self


class AlertSpec(_Spec):
    """When a finished run notifies the alert connection about a change (README, "Alerts")."""

    visibility_drop_points: float = Field(
        5.0, gt=0, le=100, description="alert when visibility falls by at least this many points, beyond noise"
    )
    share_of_voice_drop_points: float = Field(
        2.0, gt=0, le=100, description="alert when share of voice falls by at least this many points, beyond noise"
    )
    competitor_overtakes: bool = Field(True, description="alert when a competitor passes the org")
    overtake_margin_points: float = Field(
        0.0, ge=0, le=100, description="a competitor passes the org when ahead by more than this many points"
    )


class OrgSpec(_Spec):
    id: str = Field(pattern=KEY)
    name: str = Field(min_length=1)
    websites: list[Website] = Field(min_length=1)
    aliases: list[str] = []
    negative_terms: list[str] = []
    exclude_aliases: list[str] = Field([], description="generated aliases to drop, for the org or a competitor")
    synthetic: bool = False
    schedule: ScheduleSpec | None = None
    alerts: AlertSpec = AlertSpec()
    samples: int = Field(
        1, ge=1, le=MAX_SAMPLES, strict=True, description="answers asked per question × model × location"
    )
    cells_per_task: int = Field(
        1, ge=1, le=MAX_CELLS_PER_TASK, strict=True, description="cells each mapped task of process_org works on"
    )
    competitors: list[CompetitorSpec] = []
    models: list[ModelSpec] = Field(min_length=1)
    locations: list[LocationSpec] = Field(min_length=1)
    questions: list[QuestionSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> OrgSpec:
        groups = {
            "competitors": [c.key for c in self.competitors],
            "models": [m.key for m in self.models],
            "locations": [loc.resolved_key for loc in self.locations],
            "questions": [q.key for q in self.questions],
        }
        for field, keys in groups.items():
            for i, key in enumerate(keys):
                if key in keys[:i]:
                    raise FieldError(
                        f"{field}.{i}",
                        f"duplicate key {key!r} (also {field}.{keys.index(key)}); every key in {field} must be "
                        "unique: rename or remove one",
                    )
        return self

    @model_validator(mode="after")
    def _aliases_name_one_brand(self) -> OrgSpec:
        # An alias equal to another brand's name would count every mention of that brand for this one.
        names = {
            self.name.casefold(): "the org",
            **{c.name.casefold(): f"competitor {c.key!r}" for c in self.competitors},
        }
        owners = [("the org", "aliases", self.aliases)] + [
            (f"competitor {c.key!r}", f"competitors.{i}.aliases", c.aliases) for i, c in enumerate(self.competitors)
        ]
        for owner, field, aliases in owners:
            for alias in aliases:
                other = names.get(alias.strip().casefold())
                if other is not None and other != owner:
                    raise FieldError(
                        field, f"{alias!r} of {owner} is the name of {other}; remove it from {owner}'s aliases"
                    )
        return self


def read_org_file(path: Path) -> OrgSpec:
    """Parse and validate an org definition (YAML or JSON), naming the field at fault."""
    try:
        raw = path.read_bytes()
        # Named, so that a syntax error says `in "<the file>", line L` rather than "<unicode string>".
        text = io.StringIO(_utf8(path, raw))
        text.name = str(path)
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the org definition: {exc}") from None
    if not isinstance(data, dict):
        # pydantic would say "a valid dictionary or instance of OrgSpec", naming a class users never see.
        raise InputError(
            f"{path}: {'the file is empty' if data is None else 'the file is not a mapping'}: an org definition "
            "is a mapping with id, name, competitors, models, locations and questions (see "
            "include/ai_visibility/demo/brightpath.yaml)"
        )
    try:
        return OrgSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(dict(e)) for e in exc.errors())
        raise InputError(f"{path}: {problems}") from None


def _problem(error: dict[str, Any]) -> str:
    """One validation error as `field: what is wrong`, with a near-miss key's intended spelling."""
    field = ".".join(str(p) for p in error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        field = f"{field}.{cause.field}" if field else cause.field
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        known = _field_names(error["loc"][:-1])
        close = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
        message += f"; did you mean {close[0]!r}?" if close else f"; the fields here are {', '.join(known)}"
    return f"{field or 'file'}: {message}"


def _field_names(loc: tuple[int | str, ...]) -> list[str]:
    """The fields of the spec found at `loc` (list indexes skipped), e.g. ("models", 0) -> ModelSpec's."""
    spec: type[BaseModel] = OrgSpec
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = spec.model_fields[str(part)].annotation
        nested = [t for t in (annotation, *get_args(annotation)) if isinstance(t, type) and issubclass(t, _Spec)]
        if not nested:
            return []
        spec = nested[0]
    return list(spec.model_fields)


def _utf8(path: Path, raw: bytes) -> str:
    """The file's text; bytes that are not UTF-8 are refused, naming the fields they fall in, never
    replaced (a name with a replacement character would be matched against no answer)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        where = f"byte 0x{raw[exc.start]:02x} at line {line}, column {column}"
        try:
            fields = _fields_with(yaml.safe_load(raw.decode("utf-8", errors="replace")), "\ufffd")
        except yaml.YAMLError:
            fields = []
        named = f"{', '.join(fields)}: " if fields else ""
        raise InputError(f"{path}: {named}not valid UTF-8 ({where}); save the file as UTF-8") from None


def _fields_with(data: object, marker: str, prefix: str = "") -> list[str]:
    """The dotted paths of the strings in `data` that contain `marker`."""
    if isinstance(data, dict):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(str(i), v) for i, v in enumerate(data)]
    else:
        return [prefix or "file"] if isinstance(data, str) and marker in data else []
    return [path for key, value in items for path in _fields_with(value, marker, f"{prefix}.{key}" if prefix else key)]
