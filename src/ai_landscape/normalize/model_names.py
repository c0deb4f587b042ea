"""What a model name looks like in a headline, from data rather than from one lab's habits.

Three kinds of evidence, each a reviewed table or a shape:

- `data/reference/model_words.csv`: brand and family words written by hand (`Claude`,
  `Alpha[A-Z][a-z]+`), each with the lab it belongs to, lower-case API-id prefixes, and the
  qualifier words that continue a name (`Pro`, `Flash`, `Instruct`). Rows carry their lab so a
  leave-one-lab-out measure can drop the words written for the lab it holds out.
- `data/reference/model_families.csv`: the families the catalogues already list (Epoch,
  models.dev, OpenRouter, Hub repositories), built by `scripts/model_families.py`: the next
  lab's earlier models are usually there before its next announcement.
- the shape of a name, for labs nobody listed: a word carrying a version or a size (`GLM-5.1`,
  `MiniMax M2.5`, `Kimi K2`, `Seed1.8`, `Qwen3-32B`), optionally led by capitalised words
  (`Claude Opus 4.7`, `Seedream 5.0 Lite`).

`Vocabulary.patterns()` compiles them into the regular expressions the rules and features use.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace

import pandas as pd

from ai_landscape.normalize.alternation import literal_alternation
from ai_landscape.normalize.once import built_once
from ai_landscape.normalize.organizations import reference as organization_reference
from ai_landscape.settings import REFERENCE_DIR

MODEL_WORDS_CSV = REFERENCE_DIR / "model_words.csv"
MODEL_FAMILIES_CSV = REFERENCE_DIR / "model_families.csv"
# brand: a family word that alone names a product line or lab (`Claude`); family: a word that
# is a model name on its own (`Sora`); lower_id: an API id prefix (`gpt-image-1`); qualifier:
# a word continuing a name (`Flash`).
ROLES = ("brand", "family", "lower_id", "qualifier")
FAMILY_SOURCES = ("epoch", "modelsdev", "openrouter", "huggingface")

# Release stages written after a name describe the release, not the model ("Grok 3 Beta").
STAGE = r"\s+(?:Beta|Preview|Experimental)$"
_VERSION = r"[vVrR]?\d+(?:\.\d+)*[a-zA-Z]?|A\d+B"
_START, _STOP = r"(?<![\w·-])", r"(?![\w-])"
# Shape tokens: a word with letters then digits (`Qwen3`, `M2.5`, `K2-0905`, `o3-mini`), a
# hyphenated word with a version (`GLM-5.1`, `Speech-02-turbo`, `MiniMax-M2.1`), a bare
# version or size; a trailing `+` belongs to the name (`Music2.5+`).
_MIXED = r"[A-Za-z][A-Za-z]*\d[\w.]*\+?(?:-[\w.]+)*"
_HYPHENATED = r"[A-Za-z][\w]*(?:-[A-Za-z][\w]*)*-[A-Za-z]{0,2}\d[\w.]*(?:-[\w.]+)*"
# Not `0.30`: a version below one is software's (`Ollama 0.30`), not a model's.
_NUMBER = r"[vV]?(?!0\.)\d{1,3}(?:\.\d+)*[a-zA-Z]{0,2}"
_CAPITAL = r"[A-Z][\w·'’+]*(?:-[A-Z][\w]*)*"
# Words that begin headlines without being part of a name ("Introducing Kimi K2", "Day Zero
# Support for ..."): a shape match is trimmed of them from the left.
LEAD_WORDS = frozenset(
    [
        "Introducing",
        "Announcing",
        "Meet",
        "Releasing",
        "Launching",
        "Unveiling",
        "Welcoming",
        "Hello",
        "Say",
        "Official",
        "Officially",
        "Release",
        "Released",
        "Releases",
        "Launch",
        "Launches",
        "New",
        "Newer",
        "Latest",
        "The",
        "Our",
        "A",
        "An",
        "Day",
        "Zero",
        "Support",
        "Supports",
        "Now",
        "Live",
        "Open",
        "Opening",
        "How",
        "Why",
        "What",
        "When",
        "Build",
        "Building",
        "Bringing",
        "Start",
        "Starting",
        "Run",
        "Running",
        "Use",
        "Using",
        "Faster",
        "Improved",
        "Updated",
        "Upgraded",
        "Inside",
        "Beyond",
        "With",
        "From",
        "Try",
        "Get",
        "Meet",
        "Experiment",
        "Advancing",
        "Scaling",
        "Towards",
        "Toward",
        "Deeper",
        "Thinking",
        "Our",
        "First",
        "Next",
        "Generation",
        "Model",
        "Models",
        "Model's",
        "Fast",
        "Lower",
        "Higher",
        "More",
        "Better",
        "Today",
    ]
)
_YEAR = re.compile(r"^(?:19|20)\d\d$|^\d{4,}$")


@dataclass(frozen=True)
class Word:
    pattern: str
    role: str
    organization: str


@dataclass(frozen=True)
class Vocabulary:
    """The words a detector may know. `without` removes a lab's, for honest measurement."""

    words: tuple[Word, ...]
    families: tuple[tuple[str, str], ...]  # (catalogue family, organization)

    def without(self, organization: str, catalogue: bool = False) -> Vocabulary:
        """The hand-written words of `organization` removed (its catalogue families too when
        `catalogue`): what a detector would know of a lab nobody wrote rules for."""
        return replace(
            self,
            words=tuple(w for w in self.words if w.organization != organization),
            families=tuple(f for f in self.families if not catalogue or f[1] != organization),
        )

    def _alternation(self, roles: tuple[str, ...]) -> str:
        return "|".join(w.pattern for w in self.words if w.role in roles) or r"(?!x)x"

    @built_once  # a handful of frozen vocabularies per process; 14 feed threads ask at once
    def patterns(self) -> NamePatterns:
        """The hand-written words make the name patterns the rules use; the catalogue's
        families, hundreds of them, make one separate pattern (compiled once per list)."""
        brand = self._alternation(("brand",))
        families = tuple(sorted({f for f, _ in self.families}))
        words = rf"{self._alternation(('family',))}|{brand}"
        family = rf"{words}|{catalogue_alternation(families)}"
        lower = self._alternation(("lower_id",))
        qualifier = self._alternation(("qualifier",))
        lower_id = rf"(?:{lower})-(?=[a-z\d.-]*\d)[a-z\d.]+(?:-[a-z\d.]+)*"
        part = rf"(?:{_VERSION}|(?:{qualifier})|[A-Z][a-z]+(?=[- ]\d))(?![a-z\d+]|\.\d)"
        return NamePatterns(
            name=rf"{_START}(?:{lower_id}|(?:{family})(?:[- ]?{part})*){_STOP}",
            named=rf"{_START}(?:{lower_id}|(?:{family})(?:[- ]?{part})+){_STOP}",
            brand_only=re.compile(rf"(?:{brand})"),
            family=re.compile(rf"{_START}(?:{family})(?![a-z])"),
            family_words=family,
            family_words_folded=rf"{words}|{catalogue_alternation(families, folded=True)}",
            catalogue=catalogue_pattern(tuple(sorted({f for f, _ in self.families}))),
            shape=shape_pattern(qualifier),
            generic=shape_core(qualifier),
            versioned=shape_core(qualifier, bare_number=False),
            qualifier=qualifier,
            organization=organization_prefix(),
        )


@dataclass(frozen=True)
class NamePatterns:
    name: str  # a family word, then versions and qualifiers (`Gemini 2.5 Flash-Lite`)
    named: str  # the same with at least one version or qualifier
    brand_only: re.Pattern
    family: re.Pattern  # a hand-written family or brand word, or a catalogue family
    family_words: str  # the same alternation, as text
    family_words_folded: str  # the same for use under `(?i)` (normalize/alternation.py)
    catalogue: re.Pattern  # a family the catalogues list
    shape: re.Pattern  # a name by its shape alone, one group
    generic: str  # the same as text, without the trailing word, for rules after a cue
    qualifier: str  # the words continuing a name (`Pro|Flash|...`)
    versioned: str  # `generic` with a version joined to a word (`M2.5`, `GLM-5.1`, not `Wave 7`)
    organization: str  # an optional lab name before a model name ("OpenAI o3", "Meta's")


def catalogue_alternation(families: tuple[str, ...], folded: bool = False) -> str:
    """The families, longest first, grouped by first letter (normalize/alternation.py)."""
    return literal_alternation(families, folded)


@built_once
def catalogue_pattern(families: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"{_START}(?:{catalogue_alternation(families)})(?![a-z])")


def shape_core(qualifier: str, bare_number: bool = True) -> str:
    """A name by its shape, without the trailing-word allowance (for use after a cue).
    Without `bare_number`, the version must be joined to a word (`M2.5`, `GLM-5.1`): a word
    and a bare number (`Wave 7`, `Windsurf 2.0`) names product releases as often as models."""
    bare = rf"|{_CAPITAL}[ ]{_NUMBER}" if bare_number else ""
    return (
        rf"(?<![\w.-])(?:{_CAPITAL}[ ]){{0,2}}(?:{_HYPHENATED}|{_MIXED}{bare})"
        rf"(?:[ -](?:{_NUMBER}(?![\w.])|{_MIXED}|(?:{qualifier})(?![\w])))*(?![\w.-])"
    )


@built_once
def shape_pattern(qualifier: str) -> re.Pattern:
    return re.compile(
        rf"((?<![\w.-])(?:{_CAPITAL}[ ]){{0,3}}(?:{_HYPHENATED}|{_MIXED}|{_CAPITAL}[ ]{_NUMBER})"
        rf"(?:[ -](?:{_NUMBER}(?![\w.])|{_MIXED}|(?:{qualifier})(?![\w])))*"
        # One more capitalised word when it ends the name's phrase ("Nemotron 3 Ultra").
        r"(?:[ ][A-Z][a-z]+(?=$|[:,!]| (?:is|are|now|and|on|in)\b))?(?![\w.-]))"
    )


@built_once
def organization_prefix() -> str:
    """Lab names as they lead a model name in prose: every canonical name of
    `organizations.csv` written with a capital (aliases are mostly ids)."""
    names = {org.name for org in organization_reference().values()}
    names |= {"Google DeepMind", "Alibaba Cloud", "Meta Superintelligence Labs"}
    return rf"(?:(?:{literal_alternation(names)})(?:['’]s)? )?"


@built_once
def vocabulary() -> Vocabulary:
    """Both reference tables, checked; a bad row stops the import with its line."""
    words = []
    for line, row in enumerate(_read(MODEL_WORDS_CSV), start=2):
        where = f"{MODEL_WORDS_CSV}:{line}"
        if row["role"] not in ROLES:
            raise ValueError(f"{where}: role {row['role']!r} not in {ROLES}")
        if (row["role"] == "qualifier") == bool(row["organization"]):
            raise ValueError(f"{where}: a qualifier has no organization, every other word one")
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            raise ValueError(f"{where}: pattern {row['pattern']!r}: {exc}") from exc
        words.append(Word(row["pattern"], row["role"], row["organization"]))
    families = []
    for line, row in enumerate(_read(MODEL_FAMILIES_CSV), start=2):
        sources = row["sources"].split("|")
        if not row["family"] or not set(sources) <= set(FAMILY_SOURCES):
            raise ValueError(f"{MODEL_FAMILIES_CSV}:{line}: empty family or unknown source")
        families.append((row["family"], row["organization"]))
    if len({f for f, _ in families}) != len(families):
        raise ValueError(f"{MODEL_FAMILIES_CSV}: a family is listed twice")
    return Vocabulary(tuple(words), tuple(families))


def _read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# Where a name's version starts: after a separator, at a one-letter series mark (`M2.5`, and
# `MiniMaxM2`, `DeBERTaV3` when three letters lead it), or at a digit. A digit inside a coined
# word starts none: one followed by a word of three lower-case letters (`data2vec`, `wave2vec`;
# a size word is still a version's: `V3large`), or one after a single capital that closes a
# short word (`ByT5`). Cut there, those made the families `data`, `wave` and `By`, which then
# matched ordinary words ("data", a byline's "By") as model names.
_SIZE_WORD = r"(?:large|base|small|tiny|mini|medium)\b"
_DIGIT = rf"[vV]?\d(?![\d.]*(?!{_SIZE_WORD})[a-z]{{3}})"
_FAMILY_CUT = (
    rf"(?:[\s_-]+[A-Za-z](?={_DIGIT})|(?<=[A-Za-z]{{2}}[a-z])[A-Z](?=\d)|[\s_-]+"
    rf"|(?<![a-z][A-Z])){_DIGIT}.*$"
)


def family_of(names: pd.Series) -> pd.Series:
    """A catalogue name's family: its words before the first version, without a one-letter
    series mark (`MiniMax M2.5` -> `MiniMax`, `Qwen3-235B` -> `Qwen`, `Claude Opus 4` ->
    `Claude Opus`); a name with no number is its own family (`Command A Vision`), and so is a
    coined word with a digit inside (`data2vec`, `ByT5-XXL`)."""
    head = names.str.replace(_FAMILY_CUT, "", regex=True)
    head = head.str.replace(r"[\s_:-]+$", "", regex=True).str.strip()
    return head.where(head.str.len() >= 2)


def shape_names(text: pd.Series) -> pd.Series:
    """Every name-shaped span of each text (same index, lists), leading headline words and
    bare years trimmed: `Introducing Kimi K2-0905 on GroqCloud` -> [`Kimi K2-0905`].

    A loop over the texts' matches: `str.extractall` then `groupby(...).agg(list)` built a
    frame of every span and sliced it per text, twice the regex's own time (#17)."""
    shape = re.compile(vocabulary().patterns().shape)
    found = []
    for value in text.tolist():
        names = []
        if isinstance(value, str):
            spans = (match.group(1) for match in shape.finditer(value))
            names = [name for span in spans if span and (name := _trim_lead(span))]
        found.append(names)
    return pd.Series(found, index=text.index, dtype=object)


def _trim_lead(span: str) -> str | None:
    words = span.split(" ")
    while words and (words[0] in LEAD_WORDS or words[0].rstrip(":") in LEAD_WORDS):
        words = words[1:]
    name = " ".join(words)
    if not re.search(r"\d", name) or (_YEAR.match(name.split(" ")[-1]) and len(words) <= 1):
        return None
    return name
