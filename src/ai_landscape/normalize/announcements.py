"""Feed items -> which announce a model, which models, when: the `announcements` table, and
one candidate per item for resolution.

Labs announce models in a handful of phrasings ("Introducing X", "X is now generally
available", a title that is the model's name, "X 发布"), and model names have recognisable
shapes (a family word plus versions and tier words: `GPT-4.1`, `Gemini 2.5 Flash-Lite`,
`Qwen3-235B-A22B`, `Claude Opus 4`). Each rule below is one regular expression run over the
whole column at once; the first rule that fires names the item's `rule`, so every decision
can be traced to one pattern. Rules are measured against the hand labels in
`data/labels/announcements.csv` (tests/normalize/test_announcements.py): change them only
together with those figures.
"""

from __future__ import annotations

import re

import pandas as pd

from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.text import model_ids, regroup, split_list
from ai_landscape.sources.feeds.constants import SOURCE

# How an item dates its model: a first announcement ("Introducing X"), or news that a model
# announced earlier is now available ("X is now generally available"), which dates the
# release no better than a model page does (resolve/precedence.py ranks the two).
ANNOUNCEMENT_FIELD = "announcement"
AVAILABILITY_FIELD = "availability announcement"

ANNOUNCEMENT_COLUMNS = (
    "feed",
    "organization",
    "kind",
    "item_title",
    "link",
    "published",
    "is_model_announcement",
    "model_names",
    "rule",
)

# Brand words that lead model names but, alone, name a product line or a lab ("Claude",
# "Mistral"): a model name only where a strong cue says so ("Introducing Claude").
_BRAND = (
    r"GPT|Gemini|Gemma|Claude|Code Llama|Llama|Segment Anything(?: Model)?|SAM|DINO|V-JEPA"
    r"|CodeQwen|Qwen|DeepSeek|Mistral|Grok|Command|Aya|Rerank|Phi|Nemotron|Kimi|GLM|MiniMax"
    r"|ERNIE|Hunyuan|Granite|OLMo|Jamba"
)
# Model families by their leading word: the brands, and names that are models on their own.
_FAMILY = (
    rf"o[1-9]|DALL·E|DALL-E|Sora|Whisper|Veo|Imagen|Lyria|Genie|Alpha[A-Z][a-z]+|QwQ|QVQ"
    rf"|Mixtral|Pixtral|Voxtral|(?!Mistral)[A-Z][a-z]+stral|Grok Code Fast|Command (?:A|R\+?)"
    rf"|Tiny Aya|{_BRAND}"
)
# API ids written in lower case (`gpt-image-1`, `grok-code-fast-1`, `codex-1`) need a digit.
_LOWER_ID = r"(?:gpt|grok|codex|claude|gemini)-(?=[a-z\d.-]*\d)[a-z\d.]+(?:-[a-z\d.]+)*"
# Tier and modality words that continue a family name.
_QUALIFIER = (
    r"Pro|Flash|Lite|Ultra|Nano|Mini|mini|nano|Opus|Sonnet|Haiku|Instant|Max|Plus|Turbo"
    r"|Preview|Exp|Experimental|Beta|Instruct|Chat|Coder|Math|Audio|Omni|VLo|VL|Embedding"
    r"|Embed|Guard|Vision|Reasoning|Translate|Large|Medium|Small|Scout|Maverick|Behemoth"
    r"|Fast|OCR|TTS|MT|MoE|LLM|Robotics|ER|On-Device|Image|Video|Edit|Objects|Body"
    r"|Moderation|Expanse|Heavy|Deep Think|Think|Voice|Imagine|Thinking|Realtime"
)
_VERSION = r"[vVrR]?\d+(?:\.\d+)*[a-zA-Z]?|A\d+B"
# A capitalised word directly before a version also continues a name ("Claude Fable 5").
_PART = rf"(?:{_VERSION}|(?:{_QUALIFIER})|[A-Z][a-z]+(?=[- ]\d))(?![a-z\d+]|\.\d)"
_START, _STOP = r"(?<![\w·-])", r"(?![\w-])"
NAME = rf"{_START}(?:{_LOWER_ID}|(?:{_FAMILY})(?:[- ]?{_PART})*){_STOP}"
# A family word followed by at least one version or tier word: safe to take anywhere.
_NAMED = rf"{_START}(?:{_LOWER_ID}|(?:{_FAMILY})(?:[- ]?{_PART})+){_STOP}"
# Any capitalised name ending in a small version number (`TRIBE v2`, `RT-2`, `Muse Spark 1.1`);
# years and long numbers are not versions. Only taken where a strong cue names a model.
_GENERIC = (
    r"(?<![\w-])[A-Z][\w]*(?:[- ][A-Z][\w]*){0,3}[- ]?[vV]?"
    r"(?!(?:19|20)\d\d)\d{1,3}(?:\.\d+)*[a-zA-Z]{0,2}(?![\w.-])"
)
# "OpenAI o3", "Google's Gemma": the lab's name is not part of the model's.
_ORG = (
    r"(?:(?:OpenAI|Google(?: DeepMind)?|Meta|Anthropic|Mistral AI|xAI|Cohere|Alibaba)"
    r"(?:['’]s)? )?"
)
_BRAND_ONLY = re.compile(rf"(?:{_BRAND})")
# Release stages written after a name describe the release, not the model ("Grok 3 Beta");
# hyphenated they are part of it ("QwQ-Max-Preview").
_STAGE = r"\s+(?:Beta|Preview|Experimental)$"
# Subscription plans whose names have a model's shape.
PRODUCT_NAMES = frozenset({"Claude Pro", "Claude Max"})

_INTRO = (
    r"(?i:introducing|announcing|meet|releasing|launching|unveiling|hello|say hello to"
    r"|open release of)"
)
_VERB = (
    r"(?i:introduc(?:e|es|ing)|announc(?:e|es|ing)|releas(?:e|es|ing)|launch(?:es|ing)?"
    r"|unveil(?:s|ing)?|shar(?:e|es|ing)|rolling out|debut(?:s|ing)?"
    r"|(?:excited|thrilled|pleased|proud|happy) to (?:introduce|announce|release|launch|share"
    r"|unveil|open[- ]source))"
)
_LEAD = (
    r"(?:(?i:the|our|a|an|two|its)\s+)?(?:(?i:new|latest|updated|upgraded|quantized|early"
    r"|next[- ]generation|first version of|latest update of|update of|release of"
    r"|preview of|next generation of)\s+)*"
)
# What may follow a name in a title for the name to be the whole subject: "Introducing
# Claude for Teachers" names a product, "Introducing Claude 2.1 in the API" a model.
_END = (
    r"(?=\s*$|\s*[:,;!?.(—–]|\s+-\s|\s+(?:and|in|is|are|now|via|series|family"
    r"|preview)\b|(?:\s+[a-z][\w-]*){0,2}\s+models?\b)"
)
# What may follow "model(s)" when it heads the phrase: the end of it, a relative or
# prepositional clause, a name ("models AlphaProof and ..."), or the verb of a sentence whose
# subject it is ("New AI model advances ..."). Not a noun: "model improvements".
_NOUN_END = (
    r"(?=\s*$|\s*[:;,.!?)(—–]|\s+(?:and|for|in|with|that|to|designed|built|trained|from"
    r"|called|named|which|developed|is|are|can|will|has|advances|translates|shows|achieves"
    r"|delivers|outperforms|generates|predicts|designs|identifies|accurately)\b|\s+[A-Z])"
)
# Words between an adjective and "model": no prepositions ("a framework for ... models").
_TOKEN = r"(?!(?:for|of|to|in|on|with|from|by|at|about|that|and|or)\b(?!-))[\w'’.+-]+,?"
_ANNOUNCING_ADJ = r"(?i:new|newest|latest|next-generation|updated|upgraded)"
_FIRST_ADJ = (
    r"(?i:first|first-ever|breakthrough|state-of-the-art|most capable|most advanced"
    r"|most intelligent|most powerful)"
)
# Lower case only: "Model Spec", "Model Context Protocol" are names of other things.
_MODEL_NOUN = (
    r"(?:(?:(?:suite|family|series|set|collection) of\s+(?:[\w-]+\s+){0,2})?models?|AI systems?)"
)
_SENTENCE = r"(?:^|[.!?:]\s+)"

# (rule, field, pattern), first match wins. `name` groups capture the announced model.
RULES: tuple[tuple[str, str, str], ...] = (
    (
        "title_intro",
        "title",
        rf"(?:^|:\s+){_INTRO}\s*:?\s+{_LEAD}(?:[a-z][\w-]*\s+){{0,2}}"
        rf"{_ORG}(?P<name>{NAME}|{_GENERIC}){_END}",
    ),
    (
        "title_name",
        "title",
        rf"^(?:The\s+)?{_ORG}(?P<name>{NAME})"
        r"(?=\s*$|\s*[:!.—–]|\s+-\s|\s+(?:Beta|Preview|Release|API|Series)\b)",
    ),
    ("title_names", "title", rf"^{_ORG}(?P<name>{_NAMED})\s+(?:and|&)\s"),
    ("title_available", "title", rf"^{_ORG}(?P<name>{_NAMED})\s+(?:is|are)\s+now\b"),
    ("title_is_here", "title", rf"^{_ORG}(?P<name>{NAME})\s+is\s+here\b"),
    (
        "title_new_name",
        "title",
        rf"\b{_ANNOUNCING_ADJ}\s+{_ORG}"
        rf"(?P<name>{_NAMED}|{NAME}(?=\s+models?\b))",
    ),
    (
        "title_launches",
        "title",
        r"\b(?i:launches|releases|introduces|unveils|debuts"
        rf"|open-sources)\s+{_LEAD}{_ORG}(?P<name>{NAME}){_END}",
    ),
    ("release_zh", "title", rf"(?P<name>{_NAMED})\s*(?:正式版)?\s*(?:发布|上线|开源|更新)"),
    (
        "title_tagline",
        "title",
        r"^(?P<name>[A-Z][\w.-]*(?: [A-Z0-9][\w.-]*)?):\s+"
        rf"(?:(?i:a|an|our|the)\s+)?(?:{_TOKEN}\s+){{0,3}}(?:AI\s+)?(?:model|system){_NOUN_END}",
    ),
    (
        "title_model_phrase",
        "title",
        rf"(?:(?:^|:\s*)(?:{_INTRO}\s+|{_VERB}\s+)?"
        rf"(?:(?i:a|an|our|the|two|three|several)\s+)?(?:{_ANNOUNCING_ADJ}|{_FIRST_ADJ})"
        rf"|\b{_ANNOUNCING_ADJ})[\s,]+(?:{_TOKEN}\s+){{0,3}}{_MODEL_NOUN}{_NOUN_END}",
    ),
    (
        "summary_intro",
        "summary",
        rf"{_VERB}\s+{_LEAD}{_ORG}(?P<name>{NAME})"
        r"(?=\s*$|\s*[,;:.!?(—–]|\s+-\s|\s+(?:and|in|with|series|family|models?|version|via"
        r"|is|are)\b)",
    ),
    (
        "summary_tagline",
        "summary",
        rf"^(?P<name>{NAME}):\s+(?:(?i:a|an|the)\s+)?"
        rf"(?:{_TOKEN}\s+){{0,4}}{_MODEL_NOUN}{_NOUN_END}",
    ),
    (
        "summary_available",
        "summary",
        rf"(?P<name>{_NAMED})[^.;]{{0,60}}?\b(?:is|are)\s+now\s+"
        r"(?:\w+\s+and\s+)?(?:generally\s+available|available\s+(?:to\s+(?:all|everyone"
        r"|developers)|in\s+(?:the\s+)?(?:\w+\s+)?API|via\s+(?:the\s+)?API))",
    ),
    # "introducing Aeneas, the first AI model", "We're rolling out a new ... video model"
    (
        "summary_model_intro",
        "summary",
        rf"(?<!previously ){_VERB}\s+(?:[A-Z][\w-]*,?\s+){{0,5}}"
        rf"(?:(?i:a|an|our|the|two|three|its)\s+)?(?:{_TOKEN}\s+){{0,4}}{_MODEL_NOUN}{_NOUN_END}",
    ),
    # "New AI model advances ...", "Our new AI system accurately identifies ..."
    (
        "summary_model_subject",
        "summary",
        rf"{_SENTENCE}(?:(?i:a|an|our|two|three)\s+)?"
        rf"(?:{_ANNOUNCING_ADJ}|{_FIRST_ADJ})[\s,]+(?:{_TOKEN}\s+){{0,2}}{_MODEL_NOUN}{_NOUN_END}",
    ),
    (
        "summary_new_model",
        "summary",
        rf"\b(?i:a|an|our|the|two|three)\s+{_ANNOUNCING_ADJ}[\s,]+"
        rf"(?:{_TOKEN}\s+){{0,4}}{_MODEL_NOUN}{_NOUN_END}",
    ),
)
# Documents about a model announced in another item, whatever their wording.
VETO = ("veto_system_card", r"(?i)\bsystem card\b|\baddendum\b")
# Every value the `rule` column can take (besides null: no rule fired).
RULE_NAMES = (*(rule for rule, _, _ in RULES), VETO[0], "veto_product")

_COMPILED = tuple((rule, field, re.compile(rf"(?P<cue>{regex})")) for rule, field, regex in RULES)
_NAME_RE = re.compile(rf"(?P<model>{NAME})")
# Dashes that look like hyphens (U+2010, U+2011) and no-break spaces would split names.
_TEXT_FIXES = {"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " "}


def _text(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str)
    for bad, good in _TEXT_FIXES.items():
        text = text.str.replace(bad, good, regex=False)
    return text


def detect_announcements(records: pd.DataFrame) -> pd.DataFrame:
    """One row per feed record (same index): whether it announces a model, which, by which
    rule. `records` are parsed feed items (`sources.feeds.parse`)."""
    fields = {"title": _text(records["title"]), "summary": _text(records["summary"])}
    rule = pd.Series(None, index=records.index, dtype=object)
    captured = pd.Series(None, index=records.index, dtype=object)
    for name, field, pattern in _COMPILED:
        match = fields[field].str.extract(pattern)
        hit = match["cue"].notna() & rule.isna()
        rule[hit] = name
        if "name" in match:
            captured[hit] = match["name"][hit].str.strip()
    vetoed = fields["title"].str.contains(VETO[1], regex=True)
    rule[vetoed] = VETO[0]
    product = captured.isin(PRODUCT_NAMES)
    rule[product & ~vetoed] = "veto_product"
    vetoed |= product
    announces = rule.notna() & ~vetoed
    names = _model_names(fields, captured.where(announces), announces)
    return pd.DataFrame(
        {
            "feed": records["feed"],
            "organization": records["organization"],
            "kind": records["kind"],
            "item_title": records["title"],
            "link": records["link"].where(records["link"] != "", records["guid"]),
            "published": announcement_dates(records),
            "is_model_announcement": announces,
            "model_names": names,
            "rule": rule,
        },
        index=records.index,
    )


def _model_names(fields: dict, captured: pd.Series, announces: pd.Series) -> pd.Series:
    """The rule's own capture first, then every versioned name of the title, or of the summary
    when the title has none; bare family words and product names are left out."""
    found = {}
    for field in ("title", "summary"):
        names = fields[field][announces].str.extractall(_NAME_RE)["model"].droplevel("match")
        names = names.str.replace(_STAGE, "", regex=True)
        found[field] = names[~names.str.fullmatch(_BRAND_ONLY) & ~names.isin(PRODUCT_NAMES)]
    from_summary = found["summary"][~found["summary"].index.isin(found["title"].index)]
    rule_names = captured.dropna().str.replace(_STAGE, "", regex=True)
    rule_names = rule_names[~rule_names.isin(PRODUCT_NAMES) & (rule_names != "")]
    # regroup keeps first-seen order within an item: rule capture, title, summary.
    return regroup(pd.concat([rule_names, found["title"], from_summary]), fields["title"].index)


def announcement_dates(records: pd.DataFrame) -> pd.Series:
    """The item's calendar date as the feed wrote it (local to the lab): published, else
    updated; None when the item carries neither."""
    stamp = records["published"].where(records["published"] != "", records["updated"])
    dates = pd.to_datetime(stamp.str[:10], format="%Y-%m-%d", errors="coerce")
    return dates.dt.date.where(dates.notna(), None)


def normalize_records(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """One candidate per feed item (same index). An announcement suggests its first model,
    dated by the item; other items resolve to no model. All names stay in the table above."""
    found = detect_announcements(records)
    name = found["model_names"].str[0].where(found["is_model_announcement"])
    organizations = split_list(records["organization"], "\n")  # one organization per feed
    dated = found["published"].notna() & name.notna()
    return candidates(
        records,
        SOURCE,
        dataset,
        source_key=found["link"],
        model_id=model_ids(records["organization"], name.fillna("")),
        name=name,
        organizations=organizations,
        release_date=found["published"].where(dated, None),
        release_date_field=pd.Series(AVAILABILITY_FIELD, index=records.index)
        .where(found["rule"].str.endswith("_available", na=False), ANNOUNCEMENT_FIELD)
        .where(dated),
    )
