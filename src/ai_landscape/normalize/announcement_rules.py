"""The phrasings labs announce models in, as regular expressions over title or summary.

"Introducing X", "X is now generally available", a title that is the model's name, "X 发布":
each rule is one pattern run over a whole column at once, built from a `Vocabulary`
(normalize/model_names.py) so that the family words it knows come from the reference tables
and can be withheld for one lab when the rules are measured on that lab. A rule firing is one
feature of the classifier (announcement_features.py), not the decision itself.
"""

from __future__ import annotations

import re

from ai_landscape.normalize.model_names import Vocabulary
from ai_landscape.normalize.once import built_once

_INTRO = (
    r"(?i:introducing|announcing|meet|releasing|launching|unveiling|hello|say hello to"
    r"|open release of|(?:official )?release of)"
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
    r"(?=\s*$|\s*[:,;!?.(—–|]|\s+-\s|\s+(?:and|in|is|are|now|via|series|family|on|API"
    r"|preview)\b|(?:\s+[A-Za-z][\w-]*){0,2}\s+(?i:models?|LLMs?)\b)"
)
# What may follow "model(s)" when it heads the phrase: the end of it, a relative or
# prepositional clause, a name, or the verb of a sentence whose subject it is.
_NOUN_END = (
    r"(?=\s*$|\s*[:;,.!?)(—–&]|\s+(?:and|for|in|with|that|to|designed|built|trained|from"
    r"|called|named|which|developed|is|are|can|will|has|advances|translates|shows|achieves"
    r"|delivers|outperforms|generates|predicts|designs|identifies|accurately|providing|offering)\b"
    r"|\s+[A-Z])"
)
# Words between an adjective and "model": no prepositions ("a framework for ... models").
_TOKEN = r"(?!(?:for|of|to|in|on|with|from|by|at|about|that|and|or)\b(?!-))[\w'’.+-]+,?"
_ANNOUNCING_ADJ = r"(?i:new|newest|latest|next-generation|updated|upgraded|improved)"
_FIRST_ADJ = (
    r"(?i:first|first-ever|breakthrough|state-of-the-art|most capable|most advanced"
    r"|most intelligent|most powerful)"
)
# Lower case only: "Model Spec", "Model Context Protocol" are names of other things.
_MODEL_NOUN = (
    r"(?:(?:(?:suite|family|series|set|collection) of\s+(?:[\w-]+\s+){0,2})?models?"
    r"(?:\s+snapshots?)?|AI systems?)"
)
# A coined one-word name: inner capitals or a hyphen between capitals (`AutoRT`, `SARA-RT`,
# `DolphinGemma`, `Bespoke-Minicheck`).
# Not a benchmark (`LifeSciBench`, `GeneBench-Pro`).
_COINED = r"(?![\w-]*[Bb]ench\b)(?:[A-Z][a-z]+[A-Z][\w-]*|[A-Z][\w]*-[A-Z][\w-]*)"
_SENTENCE = r"(?:^|[.!?:]\s+)"
# "X is now available", "X is live on", "now supports X", "day zero support": a host's words.
AVAILABLE = (
    r"(?i:\b(?:is|are)\s+(?:now\s+)?(?:generally\s+)?(?:available|live)\b|\bnow\s+(?:available"
    r"|live|supports?|in\s+(?:preview|beta))\b|\bday\s+(?:zero|0)\b|\bon\s+day\s+0\b)"
)
# A release word in a title ("Seed 2.0 Official Launch", "Seed3D 2.0 Released", "发布").
RELEASE_WORD = (
    r"(?i:\b(?:official\s+)?(?:launch|release)(?:d|s)?\b|\bopen[- ]sourc(?:e|es|ing)\b)"
    r"|发布|上线|开源"
)
# Rules whose capture may be the feed's own product line ("Windsurf Wave 7", "Windsurf Tab v2:
# ..."): they do not count when the title starts with the feed's organization.
OWN_LINE_RULES = ("title_is_bare_name", "title_name_tagline")
VETO = r"(?i)\b(?:system|model)\s+card\b|\baddendum\b"
# Text a rule cannot match without (case-sensitive, any one of them): `rule_hits` runs the
# rule only on the items that contain one, a substring test far cheaper than the pattern
# (the replay's feeds: 0.36 s of matching for these rules, 0.12 s). Each entry must follow
# from its pattern: a word outside any `(?i)` and not optional; `_MODEL_NOUN` needs
# "model" or "AI system".
_MODEL_NOUN_WORDS = ("model", "AI system")
NEEDS: dict[str, tuple[str, ...]] = {
    "release_zh": ("发布", "上线", "开源", "更新"),
    "title_tagline": ("model", "system"),
    "title_model_phrase": _MODEL_NOUN_WORDS,
    "summary_tagline": _MODEL_NOUN_WORDS,
    "summary_available": ("now",),
    "summary_model_intro": _MODEL_NOUN_WORDS,
    "summary_model_subject": _MODEL_NOUN_WORDS,
    "summary_new_model": _MODEL_NOUN_WORDS,
    "summary_appositive": _MODEL_NOUN_WORDS,
}


def rules(
    org: str,
    name: str,
    named: str,
    generic: str,
    family: str,
    versioned: str = "",
    qualifier: str = "",
    family_folded: str = "",
) -> tuple[tuple[str, str, str], ...]:
    """(rule, field, pattern), in order. `name` groups capture the announced model: `name` and
    `named` are a vocabulary's name patterns (NamePatterns), `org` the optional lab before
    them, `generic` the name shape taken only after a strong cue, `versioned` the shape whose
    version is joined to a word (`M2.5`), strong enough to stand alone as a title;
    `family_folded` is `family` for use under `(?i)`."""
    return (
        (
            "title_intro",
            "title",
            rf"(?:^|[:|]\s+){_INTRO}\s*:?\s+{_LEAD}(?:[a-z][\w-]*\s+){{0,2}}"
            rf"{org}(?P<name>{name}|{generic}){_END}",
        ),
        (
            "title_name",
            "title",
            rf"^(?:The\s+)?{org}(?P<name>{name})"
            r"(?=\s*$|\s*[:!.—–]|\s+-\s|\s+(?:Beta|Preview|Release|API|Series)\b)",
        ),
        (
            "title_name_models",
            "title",
            rf"^{org}(?P<name>{named})\s+models?\s*$",
        ),
        # "Introducing Muse Spark: ...", "Introducing Seed Full-Duplex Speech LLM: ...": a
        # known family and capitalised words, then the tagline.
        (
            "title_intro_phrase",
            "title",
            rf"^{_INTRO}\s+{_LEAD}{org}(?P<name>(?:{family})(?:[- ][A-Z][\w-]*){{1,3}}):",
        ),
        ("title_names", "title", rf"^{org}(?P<name>{named})\s+(?:and|&)\s"),
        (
            "title_available",
            "title",
            rf"^{org}(?P<name>{named}|{generic})[^.;:]{{0,60}}{AVAILABLE}",
        ),
        # A host's "Canopy Labs' Orpheus TTS is live on GroqCloud": a name of two or three
        # capitalised words (one would be a product: "Comet is now available on iOS").
        (
            "title_live_on",
            "title",
            r"^(?:[A-Z][\w’'-]*\s){0,2}(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){1,2})"
            r"(?: from [A-Z][\w-]*(?: [A-Z][\w-]*){0,3})? is (?:now )?(?:live|available)"
            r"(?: (?:on|in)\b|$)",
        ),
        ("title_day_zero", "title", r"(?i:\bday\s+(?:zero|0)\b)"),
        ("title_is_here", "title", rf"^{org}(?P<name>{name})\s+is\s+here\b"),
        (
            "title_new_name",
            "title",
            rf"\b{_ANNOUNCING_ADJ}\s+{org}(?P<name>{named}|{name}(?=\s+(?i:models?)\b))",
        ),
        (
            "title_launches",
            "title",
            r"\b(?i:launches|releases|introduces|unveils|debuts|supports"
            rf"|open-sources)\s+{_LEAD}{org}(?P<name>(?:[A-Z][a-z]+\s)?(?:{name})|{generic}){_END}",
        ),
        (
            "title_released",
            "title",
            rf"^{org}(?P<name>{named}|{generic})(?:\s+(?:\w+\s+){{0,2}})?\s*(?:{RELEASE_WORD})",
        ),
        (
            "release_zh",
            "title",
            rf"(?P<name>{named}|{generic})\s*(?:正式版)?\s*(?:发布|上线|开源|更新)",
        ),
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
        # A release-notes title that is only the model's name, no lab vocabulary needed:
        # "GLM-5.1", "MiniMax M2.5", "Speech-02-turbo / Speech-02-hd", "Music-1.5 (Beta)".
        (
            "title_is_name",
            "title",
            rf"^{org}(?P<name>{versioned})\+?(?:\s*(?:/|&|,|and)\s*(?:{versioned}|[\w.]*\d[\w.+-]*))*"
            r"(?:\s*\((?i:beta|preview)\)|\s+Series)?\s*$",
        ),
        # "Grok Code Fast 1": a title that is a name with a bare version (decide() drops it when
        # the title starts with the feed's own organization: "Windsurf Wave 7" is a release of
        # Windsurf's product).
        ("title_is_bare_name", "title", rf"^(?![A-Z][a-z]+ing\b)(?P<name>{generic})\s*$"),
        ("title_is_family", "title", rf"^(?P<name>(?:{family})(?:[ ](?:{family}))+)\s*$"),
        ("title_is_coined", "title", rf"^(?P<name>{_COINED})\s*$"),
        (
            "title_coined_tagline",
            "title",
            rf"^(?P<name>{_COINED}):\s+(?i:a|an)\s+(?:{_TOKEN}\s+){{0,3}}(?:AI\s+)?"
            r"(?:agent|assistant|system|model)\b",
        ),
        # "Kimi K2: Open Agentic Intelligence": a versioned name, then the tagline.
        ("title_name_tagline", "title", rf"^{org}(?P<name>{versioned}):\s"),
        # "New Kimi K2 Models & Updated Pricing".
        ("title_new_models", "title", rf"\b(?i:new)\s+{org}(?P<name>{generic})\s+(?i:models?)\b"),
        (
            "summary_intro",
            "summary",
            rf"{_VERB}\s+{_LEAD}{org}(?P<name>{name})"
            r"(?=\s*$|\s*[,;:.!?(—–]|\s+-\s|\s+(?:and|in|with|series|family|models?|version|via"
            r"|is|are)\b)",
        ),
        (
            "summary_tagline",
            "summary",
            rf"^(?P<name>{name}):\s+(?:(?i:a|an|the)\s+)?"
            rf"(?:{_TOKEN}\s+){{0,4}}{_MODEL_NOUN}{_NOUN_END}",
        ),
        (
            "summary_available",
            "summary",
            rf"(?P<name>{named}|{generic})[^.;]{{0,60}}?\b(?:is|are)\s+now\s+"
            r"(?:\w+\s+and\s+)?(?:generally\s+available|available|live)",
        ),
        (
            "summary_model_intro",
            "summary",
            rf"(?<!previously ){_VERB}\s+(?:[a-z][\w.]*-[\w.-]*\d[\w.-]*,?\s+)?"
            r"(?:[A-Z][\w-]*,?\s+){0,5}"
            rf"(?:(?i:a|an|our|the|two|three|its)\s+)?(?:{_TOKEN}\s+){{0,4}}{_MODEL_NOUN}{_NOUN_END}",
        ),
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
        # The summary's "a new enterprise-grade Mistral Small", as `title_new_name` in a title
        # (only a hyphenated adjective between: "a new preprint shows GPT-5.2" is no release).
        (
            "summary_new_name",
            "summary",
            rf"\b(?i:a|an)\s+{_ANNOUNCING_ADJ}\s+(?:\w+(?:-\w+)+\s+)?{org}(?P<name>{named})",
        ),
        # Release notes: "Released MiniMax-M2.1.", "We've launched GLM-OCR, a ...",
        # "MiniMax-M2 Released."
        (
            "summary_released",
            "summary",
            r"^(?:(?:We[’']ve|We have|We)\s+)?(?:[Rr]eleased|launched)\s+(?:the\s+)?"
            rf"(?P<name>{generic})",
        ),
        ("summary_name_released", "summary", rf"^(?P<name>{generic})\s+[Rr]eleased\b"),
        # "DolphinGemma, a large language model developed by ...", "Bespoke-Minicheck is a new
        # grounded factuality checking model", "introducing Aeneas, the first AI model for ...".
        (
            "summary_appositive",
            "summary",
            rf"(?:^(?=(?:{versioned}|{_COINED})[\s,])|{_VERB}\s+)(?P<name>{versioned}|{_COINED}|[A-Z][a-z]+)"
            r",?\s+(?:is\s+)?"
            rf"(?:(?i:a|an|our|the)\s+)(?:{_TOKEN}\s+){{0,5}}{_MODEL_NOUN}{_NOUN_END}",
        ),
        # "Introducing AutoRT, SARA-RT, and RT-Trajectory": names listed after the cue.
        (
            "summary_intro_list",
            "summary",
            rf"^{_INTRO}\s+(?P<name>{versioned}|{_COINED}),\s",
        ),
        # The page is named after a model the catalogues' families know, and nothing else:
        # `/blog/qwen2.5-turbo/`, `/news/grok-1212`, `/blog/llama3.2` (a lab's post headed
        # "Extending the Context Length to 1M Tokens!"). Last: its capture is lower case.
        (
            "link_model_slug",
            "slug",
            rf"^(?:(?:introducing|announcing)-)?(?P<name>(?i:{family_folded})[-.]?v?\d[\w.]*"
            rf"(?:-(?:\d[\w.]*|[a-z]{{1,3}}|(?i:{qualifier})))*)$",
        ),
    )


RULE_NAMES = tuple(rule for rule, _, _ in rules("", "", "", "", "", "", "", ""))


@built_once  # the feeds' ingest threads ask together: one compile (0.55 s), not one each
def compiled(vocabulary: Vocabulary) -> tuple[tuple[str, str, re.Pattern], ...]:
    """The rules of a vocabulary, compiled once (each wrapped in a `cue` group)."""
    p = vocabulary.patterns()
    return tuple(
        (rule, field, re.compile(rf"(?P<cue>{regex})"))
        for rule, field, regex in rules(
            p.organization,
            p.name,
            p.named,
            p.generic,
            p.family_words,
            p.versioned,
            p.qualifier,
            p.family_words_folded,
        )
    )
