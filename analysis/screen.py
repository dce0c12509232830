"""Screen free text for possible disclosures of harm, with negation and hypothetical handling.

Recall comes first: a trigger is only set aside when it is plainly negated ("nobody hurts me") or
plainly hypothetical about someone unspecified ("if someone was hurt I'd tell a teacher"), and never
when the sentence suggests it is still happening ("again", "still", "anymore").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

CATEGORIES = (
    "self_harm",
    "physical_abuse",
    "sexual_abuse",
    "emotional_abuse",
    "neglect",
    "domestic_abuse",
    "exploitation",
    "bullying_risk",
    "missing",
)


@dataclass(frozen=True)
class Screening:
    """Whether text may disclose harm, the categories, and the words that triggered each."""

    flag: bool
    categories: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


_ME = r"(?:me|us|my\s+(?:wee\s+|little\s+|big\s+)?(?:brother|sister|sibling|bro|sis))"
_CARER = (
    r"(?:my\s+)?(?:mum|mam|mom|mother|dad|da|father|step-?dad|step-?mum|stepfather|stepmother|parents?|"
    r"carers?|foster\s+(?:carer|mum|dad)|gran|granny|grandad|papa|uncle|auntie|aunt|brother|sister|"
    r"(?:mum|mam|mom)'?s\s+(?:boyfriend|partner)|(?:dad)'?s\s+(?:girlfriend|partner)|he|she|they)"
)
_HIT = r"(?:hit|hits|hitting|beat|beats|beating|beaten|batter|batters|battered|kick|kicks|kicked|kicking|punch|punches|punched|punching|slap|slaps|slapped|smack|smacks|smacked|hurt|hurts|hurting|choke|chokes|choked|strangle[sd]?|burn|burns|burned|burnt|whip|whips|whipped|shove|shoves|shoved|push|pushes|pushed|throw\s+things\s+at|throws\s+things\s+at|threw\s+things\s+at|grab|grabs|grabbed|bit|bites|belted?|thump|thumps|thumped|attack|attacks|attacked)"

# Strong triggers: a disclosure on their own.
_STRONG: dict[str, list[str]] = {
    "self_harm": [
        r"\b(?:kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|cuts|burn|burning|hang|hanging|starve|starving|punish|punishing)\s+(?:my\s?self|myself|maself|mysel)\b",
        r"\bself[\s-]?harm\w*",
        r"\bsuicid\w*",
        r"\bun-?aliv\w*",
        r"\bkms\b",
        r"\b(?:want|wanna|wanted|going|gonna|try|tried|trying|thinking\s+about|think\s+about|thought\s+about)\s+(?:to\s+)?(?:die|dying|end\s+it|end\s+my\s+life|take\s+my\s+(?:own\s+)?life|not\s+(?:be\s+)?(?:here|alive|exist))\b",
        r"\b(?:don'?t|do\s+not|dont|didn'?t)\s+want\s+to\s+(?:be\s+(?:here|alive)|live|exist|wake\s+up|be\s+around)\b",
        r"\b(?:end|ending)\s+(?:it\s+all|my\s+life|things)\b",
        r"\b(?:better\s+off\s+(?:dead|without\s+me)|no\s+(?:point|reason)\s+(?:in\s+)?(?:living|being\s+alive|going\s+on|to\s+live))\b",
        r"\b(?:overdos\w*|took\s+(?:loads\s+of|all\s+(?:my|the))\s+(?:pills|tablets))\b",
        r"\bwish\s+i\s+(?:was|were)(?:n'?t|\s+not)\s+(?:alive|here|born)\b",
        r"\bwish\s+i\s+(?:was|were)\s+dead\b",
        r"\bcan'?t\s+(?:go\s+on|cope\s+any\s*more|take\s+it\s+any\s*more)\b",
    ],
    "physical_abuse": [
        rf"\b{_HIT}\s+{_ME}\b",
        r"\b(?:bruises?|black\s+eye|marks\s+on\s+my|broke\s+my\s+(?:arm|nose|wrist))\b",
        r"\b(?:gets?|got|getting)\s+(?:hit|beaten|battered|belted|smacked|slapped|kicked|punched|hurt|leathered)\b",
        r"\blocks?\s+me\s+in\b|\blocked\s+me\s+in\b",
        r"\b(?:physically|physical)\s+abus\w*",
    ],
    "sexual_abuse": [
        r"\b(?:touch|touches|touched|touching|feel|feels|felt)\s+(?:me|my\s+(?:private|privates|bum|chest|body|breasts?|boobs?))\b(?![\w\s]{0,20}\bshoulder)",
        r"\bprivate\s+(?:parts?|bits|places?)\b|\bprivates\b",
        r"\b(?:rape|raped|raping|molest\w*|sexual(?:ly)?\s+(?:abus\w*|assault\w*|touch\w*)|sexually)\b",
        r"\b(?:sex|sexual)\s+(?:with|to)\s+me\b|\bhave\s+sex\b",
        r"\b(?:send|sent|sending|asks?\s+for|asked\s+(?:me\s+)?for|wants?)\s+(?:me\s+)?(?:nudes|naked\s+(?:pics|pictures|photos)|pics\s+of\s+my\s+body)\b|\bnudes\b",
        r"\b(?:take|took|taking)\s+(?:off\s+)?(?:my|me)\s+clothes\s+off\b|\bmakes?\s+me\s+(?:get\s+)?naked\b",
        r"\b(?:comes?|came|get|gets|got)\s+into\s+my\s+bed\b",
    ],
    "emotional_abuse": [
        r"\b(?:calls?|called|calling)\s+me\s+(?:names|stupid|useless|worthless|fat|ugly|a\s+\w+)\b",
        r"\b(?:tells?|told|says?|said)\s+(?:me\s+)?(?:i'?m|i\s+am|im|i\s+was)\s+(?:worthless|useless|stupid|a\s+mistake|nothing|a\s+waste)\b",
        r"\bwish(?:es|ed)?\s+i\s+(?:was|were|had)\s*(?:n'?t|never|not)\s+(?:been\s+)?born\b",
        r"\b(?:scream|screams|screamed|shouts?|shouted|yells?|yelled)\s+at\s+me\s+(?:all\s+the\s+time|every\s+day|constantly|always)\b",
        r"\b(?:threaten|threatens|threatened)\s+(?:me|to\s+(?:hurt|kill|kick\s+me\s+out|send\s+me\s+away))\b",
        rf"\b(?:scared|afraid|frightened|terrified|feart)\s+(?:of|to\s+go\s+home|at\s+home|when\s+{_CARER})\b(?:\s+{_CARER})?",
        r"\b(?:don'?t|do\s+not|dont|never)\s+feel\s+safe\b|\b(?:not|unsafe)\s+safe\b|\bfeel\s+unsafe\b|\bi'?m\s+not\s+safe\b|\bnot\s+safe\s+at\s+home\b",
        r"\b(?:nobody|no\s+one|noone|no-one)\s+(?:loves|cares\s+about|wants|likes)\s+me\b",
        r"\bemotional(?:ly)?\s+abus\w*",
        r"\bwon'?t\s+let\s+me\s+(?:eat|sleep|see\s+my|leave|go\s+out|have\s+friends)\b",
    ],
    "neglect": [
        r"\b(?:no|not\s+(?:enough|any))\s+food\b|\bnothing\s+to\s+eat\b|\b(?:go|goes|going|went)\s+hungry\b|\bhungry\s+(?:all\s+the\s+time|every\s+day|a\s+lot|at\s+night)\b",
        r"\b(?:don'?t|doesn'?t|never)\s+(?:get|gets)\s+(?:fed|feed|food|dinner|breakfast)\b|\bnever\s+(?:any|enough)\s+food\b",
        r"\b(?:left|leave|leaves)\s+(?:me\s+)?(?:alone|on\s+my\s+own|by\s+myself|home\s+alone)\s+(?:all\s+night|for\s+days|overnight|at\s+night|all\s+weekend|all\s+day)\b",
        r"\b(?:nobody|no\s+one|noone)\s+(?:looks?\s+after|takes?\s+care\s+of|feeds|washes|picks\s+me\s+up)\b|\bhave\s+to\s+look\s+after\s+myself\b",
        r"\b(?:no|dirty)\s+(?:clean\s+)?clothes\b|\bsame\s+clothes\s+every\s+day\b|\bno\s+(?:heating|electricity|bed|hot\s+water)\b|\bsleep\s+on\s+the\s+floor\b",
        rf"\b{_CARER}\s+(?:is|are|gets?|was|were)\s+(?:always\s+|usually\s+|often\s+)?(?:drunk|wasted|high|out\s+of\s+it|on\s+drugs|passed\s+out)\b",
        r"\bneglect(?:ed|s|ing)?\b",
    ],
    "domestic_abuse": [
        rf"\b{_CARER}\s+{_HIT}\s+(?:my\s+)?(?:mum|mam|mom|mother|dad|father|her|him|each\s+other)\b",
        r"\b(?:parents|mum\s+and\s+dad|they)\s+(?:fight|fighting|fights|argue|arguing)\s+(?:all\s+the\s+time|every\s+(?:day|night)|a\s+lot|and\s+(?:hit|hurt|throw|smash))\b",
        r"\bpolice\s+(?:come|came|come\s+round|were\s+called|was\s+called)\s+(?:to|round\s+to)?\s*(?:our|my)\s+(?:house|home|flat)\b",
        r"\bdomestic\s+(?:abuse|violence)\s+(?:at|in)\s+(?:home|my|our)\b",
        r"\b(?:smash|smashes|smashed)\s+(?:things|the\s+house|stuff)\b",
    ],
    "exploitation": [
        r"\bcounty\s+lines\b|\btraffick\w*\b|\bgroom(?:ed|ing|s)?\b",
        r"\b(?:made|makes|make|asked|asks|told|tells|pay|pays|paid)\s+(?:me|us)\s+(?:to\s+)?(?:sell|carry|deliver|hold|move|drop\s+off)\s+(?:drugs|stuff|packages?|bags?|weed|things)\b",
        r"\b(?:sell|selling|sold|deliver|delivering|carry|carrying)\s+(?:drugs|weed|packages?\s+for)\b",
        r"\bolder\s+(?:boys?|men|man|guys?|lads?|girls?|people|friends?)\s+(?:give|gives|gave|buy|buys|bought|pay|pays|paid|take|took|pick\s+me\s+up|picked\s+me\s+up)\b",
        r"\b(?:owe|owes|owed)\s+(?:them|him|her|people|someone)\s+(?:money|for)\b",
        r"\bmeet\s+(?:up\s+with\s+)?(?:someone|a\s+(?:man|guy|boy|girl|person)|him|her)\s+(?:i|that\s+i|who\s+i)?\s*(?:met|talk\s+to|know|chat\s+to)\s+online\b",
        r"\b(?:boyfriend|girlfriend|he|she)\s+is\s+(?:much\s+)?(?:older|\d{2})\b",
    ],
    "bullying_risk": [
        r"\b(?:i'?m|i\s+am|im|i\s+get|i\s+got|i\s+keep\s+getting|getting|being|i\s+was|i'?ve\s+been|i\s+have\s+been)\s+(?:getting\s+|being\s+)?(?:bullied|picked\s+on|jumped|battered|cyber-?bullied)\b",
        r"\b(?:they|people|kids|everyone|some\s+(?:boys|girls|people)|boys|girls|bullies)\s+(?:bully|bullies|bullying|pick\s+on|picks\s+on|hit|hits|beat|batter|kick|punch|jump|threaten|laugh\s+at|spit\s+on)\s+me\b",
        r"\bbull(?:y|ies|ied|ying)\b[^.!?]{0,60}\b(?:every\s+day|all\s+the\s+time|scared|knife|kill|stab|hurt|want\s+to\s+die|threat\w*|beat|hit)\b",
        r"\b(?:scared|afraid|frightened|feart)\s+(?:to|of)\s+(?:go(?:ing)?\s+(?:to\s+)?|)school\b",
        r"\b(?:going\s+to|gonna|will|said\s+they'?d|threaten(?:ed|s)?\s+to)\s+(?:kill|stab|batter|jump|beat\s+up|hurt)\s+me\b",
        r"\b(?:told|tell|tells)\s+me\s+to\s+kill\s+myself\b|\bkys\b",
        r"\b(?:post|posted|share|shared|spread|sends?|sent)\s+(?:pictures|photos|videos|vids|pics|lies|rumours)\s+(?:of|about)\s+me\b",
        r"\b(?:knife|knives|blade)\b",
        r"\beveryone\s+hates\s+me\b",
    ],
    "missing": [
        r"\b(?:ran|run|running|runs)\s+away\b|\b(?:go|goes|went|gone|going)\s+missing\b|\bbeen\s+missing\b",
        r"\b(?:stay|stayed|stays|staying)\s+out\s+all\s+night\b|\bsleep(?:ing)?\s+(?:rough|on\s+the\s+streets?|in\s+(?:a\s+)?(?:park|stair|close))\b",
        r"\bnowhere\s+(?:to\s+(?:sleep|stay|live|go))\b|\b(?:kicked|thrown|chucked|put)\s+out\s+(?:of\s+(?:the|my)\s+(?:house|home))?\b",
        r"\b(?:don'?t|do\s+not|dont)\s+want\s+to\s+go\s+(?:back\s+)?home\b|\bsofa\s*surf\w*\b",
    ],
}

# Topic words: flag only when the same sentence is about the speaker or someone close to them.
_TOPIC: dict[str, list[str]] = {
    "self_harm": [r"\bself[\s-]?harm\w*", r"\b(?:depressed|hopeless)\b"],
    "physical_abuse": [r"\babus(?:e|ed|ive|ing)\b", r"\bviolen(?:t|ce)\b"],
    "sexual_abuse": [r"\b(?:inappropriate|touchy|creepy)\b"],
    "domestic_abuse": [r"\bdomestic\s+(?:abuse|violence)\b", r"\b(?:fighting|arguing)\s+at\s+home\b"],
    "neglect": [r"\b(?:hungry|starving)\b"],
    "exploitation": [r"\b(?:stranger|strangers)\s+(?:online|message|messages|messaged|add|added)\b"],
    "bullying_risk": [r"\bbull(?:y|ies|ied|ying)\b"],
    "missing": [r"\bmissing\b"],
}
_PERSONAL = re.compile(
    r"\b(?:i|i'm|im|i've|me|my|myself|we|our|us|mum|mam|mom|dad|stepdad|brother|sister|friend|pal|home)\b"
)
_SENT_SPLIT = re.compile(r"(?<=[.!?\n])\s*|\s+but\s+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|because|cos|so|although|though)\b")
_NEGATOR = re.compile(
    r"\b(?:not|never|no|nobody|no-one|noone|none|nothing|neither|nor|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|aren'?t|weren'?t|won'?t|wouldn'?t|hasn'?t|haven'?t|hadn'?t|dont|doesnt|didnt|isnt|wasnt|cant|can'?t|without)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what\s+if|in\s+case|whether|would|could|should|might|imagine|suppose|supposing|hypothetically|pretend|lessons?\s+(?:on|about)|learn(?:ing|t)?\s+about|taught\s+about|how\s+to\s+(?:stop|prevent|report|deal)|help\s+(?:with|for|people|children|kids|young\s+people))\b"
)
_GENERIC_SUBJECT = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|a\s+(?:child|kid|friend|person|pupil)|children|kids|people|young\s+people|pupils|you|others|they|them|a\s+lot\s+of)\b"
)
_ONGOING = re.compile(r"\b(?:again|still|any\s*more|no\s+longer|stopped|keeps?|every\s+(?:day|night|time|week)|always|used\s+to)\b")

# One alternation per category (fewer regex passes), and one over everything as a cheap prefilter.
_COMPILED_STRONG = {c: [re.compile("|".join(f"(?:{p})" for p in pats))] for c, pats in _STRONG.items()}
_COMPILED_TOPIC = {c: [re.compile("|".join(f"(?:{p})" for p in pats))] for c, pats in _TOPIC.items()}
_ANY = re.compile("|".join(f"(?:{p})" for pats in (*_STRONG.values(), *_TOPIC.values()) for p in pats))


def _normalise(text: str) -> str:
    t = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"[ \t]+", " ", t)


def _set_aside_reason(sentence: str, start: int, end: int, category: str = "") -> str | None:
    """Return why a trigger in this sentence is not a disclosure, or None if it may be one."""
    if _ONGOING.search(sentence):
        return None
    before = sentence[:start]
    # The clause that holds the trigger: text after the last clause break.
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = clause.split()[-5:]
    if words and _NEGATOR.search(" ".join(words)):
        return "negated"
    # Thoughts of self-harm are never set aside as hypothetical ("if I feel like hurting myself").
    if category != "self_harm" and _HYPOTHETICAL.search(before):
        window = before + sentence[start:end]
        if _GENERIC_SUBJECT.search(window) or not re.search(r"\b(?:he|she|my|mum|dad)\b", before):
            return "hypothetical"
    return None


def screen(text: str) -> Screening:
    """Screen one text for possible disclosure of harm.

    Args:
        text: a free-text answer (raw or redacted).

    Returns:
        Screening with ``flag``, the ``categories`` found (in CATEGORIES order), the ``triggers``
        (matched words) and, for transparency, triggers ``set_aside`` as negated or hypothetical.
    """
    if not text or not text.strip():
        return Screening(False)
    norm = _normalise(text)
    if _ANY.search(norm) is None:
        return Screening(False)
    cats: set[str] = set()
    triggers: list[str] = []
    aside: list[str] = []
    for sentence in _SENT_SPLIT.split(norm):
        if not sentence or not sentence.strip():
            continue
        personal = _PERSONAL.search(sentence) is not None
        for cat in CATEGORIES:
            hits = [(m, True) for rx in _COMPILED_STRONG.get(cat, ()) for m in rx.finditer(sentence)]
            if personal:
                hits += [(m, False) for rx in _COMPILED_TOPIC.get(cat, ()) for m in rx.finditer(sentence)]
            for m, _strong in hits:
                reason = _set_aside_reason(sentence, m.start(), m.end(), cat)
                word = m.group(0).strip()
                if reason is None:
                    cats.add(cat)
                    if word not in triggers:
                        triggers.append(word)
                else:
                    label = f"{word} ({reason})"
                    if label not in aside:
                        aside.append(label)
    categories = [c for c in CATEGORIES if c in cats]
    return Screening(bool(categories), categories, triggers, aside)


def screen_many(texts: Iterable[str]) -> list[Screening]:
    """Screen many texts; one Screening per text, in order."""
    return [screen(t if isinstance(t, str) else "") for t in texts]
