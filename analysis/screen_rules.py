"""The rule floor of the safeguarding screen: English trigger patterns with negation and hypothetical handling.

``analysis.screen`` combines these rules with the supervised model and the per-language lexicons; the rules
stay as a floor (whatever they find is flagged).

Recall comes first: a trigger is only set aside when it is plainly negated ("nobody hurts me") or
plainly hypothetical about someone unspecified ("if someone was hurt I'd tell a teacher"), and never
when the sentence suggests it is still happening ("again", "still", "anymore").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .categories import CATEGORIES


@dataclass(frozen=True)
class RuleHit:
    """One trigger the rules kept: its category, the matched words and the sentence (lowercased) it stands in."""

    category: str
    trigger: str
    sentence: str


@dataclass(frozen=True)
class RuleScreening:
    """What the rules found: categories in CATEGORIES order, the triggers, and the triggers set aside."""

    flag: bool
    categories: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    hits: list[RuleHit] = field(default_factory=list)


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
        r"\b(?:kill|killing|killin|killed|hurt|hurting|hurtin|harm|harming|harmin|cut|cutting|cuttin|cuts|burn|burning|burnin|hang|hanging|hangin|starve|starving|punish|punishing)\s+(?:my\s?self|myself|maself|masel|mysel)\b",
        # Scots and dropped-g spellings, cutting that has started again, and ways of ending one's life.
        r"\b(?:started|start|been|keep|kept|am)\s+(?:cutting|cuttin|burning|scratching)\s+(?:again|myself|maself|my\s+(?:arms?|legs?|wrists?))\b|\b(?:cutting|cuttin)\s+again\b",
        r"\b(?:take|taking|took|swallow|swallowing)\s+(?:all|loads\s+of|a\s+load\s+of)\s+(?:of\s+)?(?:(?:my|her|his|the)\s+)?(?:(?:mum|mam|dad|gran)'?s\s+)?(?:pills|tablets|paracetamol|meds|medication)\b",
        r"\b(?:jump|jumping|jumped)\s+(?:off|out\s+of|out|in\s+front\s+of)\s+(?:my\s+|the\s+|a\s+)?(?:bridge|window|roof|building|train|car|bus|cliff|flats)\b",
        r"\bself[\s-]?harm\w*",
        r"\bsuicid\w*",
        r"\bun-?aliv\w*",
        r"\bkms\b",
        r"\b(?:want|wanna|wanted|going|gonna|try|tried|trying|thinking\s+about|think\s+about|thought\s+about|thinking\s+of|thought\s+of)\s+(?:to\s+)?(?:die|dying|end\s+it|ending\s+it|end\s+my\s+life|ending\s+my\s+life|ending\s+things|take\s+my\s+(?:own\s+)?life|taking\s+my\s+(?:own\s+)?life|not\s+(?:be\s+)?(?:here|alive|exist)|not\s+being\s+(?:here|alive|around))\b",
        r"\b(?:don'?t|do\s+not|dont|can'?t|cannot|cant)\s+(?:really\s+|even\s+)?see\s+(?:the|any|a)\s+point\s+(?:in|of|to)\s+(?:being\s+(?:here|alive|around)|living|life|going\s+on|carrying\s+on|anything|it\s+all|waking\s+up)\b",
        r"\bno\s+point\s+(?:in\s+)?(?:being\s+(?:here|alive|around)|carrying\s+on|waking\s+up|me\s+being\s+here)\b",
        r"\b(?:don'?t|do\s+not|dont|didn'?t)\s+want\s+to\s+(?:be\s+(?:here|alive)|live|exist|wake\s+up|be\s+around)\b",
        r"\b(?:end|ending)\s+(?:it\s+all|my\s+life|things)\b",
        r"\b(?:better\s+off\s+(?:dead|without\s+me)|no\s+(?:point|reason)\s+(?:in\s+)?(?:living|being\s+alive|going\s+on|to\s+live))\b",
        r"\b(?:overdos\w*|took\s+(?:loads\s+of|all\s+(?:my|the))\s+(?:pills|tablets))\b",
        r"\bwish\s+i\s+(?:was|were)(?:n'?t|\s+not)\s+(?:alive|here|born)\b",
        r"\bwish\s+i\s+(?:was|were)\s+dead\b",
        # "I can't go on" / "can't go on like this", but not "can't go on the trip".
        r"\bcan'?t\s+go\s+on(?=\s*(?:$|[.,!?;:)\n]|\s+(?:like\s+this|any\s*more|living|much\s+longer|with\s+(?:life|this|it\s+all|everything)|and\b|but\b)))",
        r"\bcan'?t\s+(?:cope\s+any\s*more|take\s+it\s+any\s*more)\b",
    ],
    "physical_abuse": [
        rf"\b{_HIT}\s+{_ME}\b",
        r"\b(?:bruises?|black\s+eye|marks\s+on\s+my|broke\s+my\s+(?:arm|nose|wrist))\b",
        r"\b(?:gets?|got|getting)\s+(?:hit|beaten|battered|belted|smacked|slapped|kicked|punched|hurt|leathered)\b",
        r"\blocks?\s+me\s+in\b|\blocked\s+me\s+in\b",
        r"\b(?:physically|physical)\s+abus\w*",
        r"\b(?:is|are|was|were|being|been|gets?|got)\s+(?:being\s+)?(?:abused|beaten|battered|hurt)\s+(?:at\s+home|by\s+(?:his|her|their|my|our)\s+\w+)",
    ],
    "sexual_abuse": [
        r"\b(?:touch|touches|touched|touching|feel|feels|felt)\s+(?:me|my\s+(?:private|privates|bum|chest|body|breasts?|boobs?))\b(?![\w\s]{0,20}\bshoulder)",
        r"\bprivate\s+(?:parts?|bits|places?)\b|\bprivates\b",
        r"\b(?:rape|raped|raping|molest\w*|sexual(?:ly)?\s+(?:abus\w*|assault\w*|touch\w*)|sexually)\b",
        r"\b(?:sex|sexual)\s+(?:with|to)\s+me\b|\bhave\s+sex\b",
        r"\b(?:send|sent|sending|asks?\s+for|asked\s+(?:me\s+)?for|wants?)\s+(?:me\s+)?(?:nudes|naked\s+(?:pics|pictures|photos)|pics\s+of\s+my\s+body)\b|\bnudes\b",
        r"\b(?:take|took|taking)\s+(?:off\s+)?(?:my|me)\s+clothes\s+off\b|\bmakes?\s+me\s+(?:get\s+)?naked\b",
        r"\b(?:comes?|came|get|gets|got)\s+into\s+my\s+bed\b",
        r"\b(?:made|makes|make|forced|forces)\s+me\s+do\s+(?:things|stuff|something)\b",
    ],
    "emotional_abuse": [
        r"\b(?:calls?|called|calling)\s+me\s+(?:names|stupid|useless|worthless|fat|ugly|a\s+\w+)\b",
        r"\b(?:tells?|told|says?|said)\s+(?:me\s+)?(?:i'?m|i\s+am|im|i\s+was)\s+(?:worthless|useless|stupid|a\s+mistake|nothing|a\s+waste)\b",
        r"\bwish(?:es|ed)?\s+i\s+(?:was|were|had)\s*(?:n'?t|never|not)\s+(?:been\s+)?born\b",
        r"\b(?:scream|screams|screamed|shouts?|shouted|yells?|yelled)\s+at\s+me\s+(?:all\s+the\s+time|every\s+day|constantly|always)\b",
        r"\b(?:threaten|threatens|threatened)\s+(?:me|to\s+(?:hurt|kill|kick\s+me\s+out|send\s+me\s+away))\b",
        rf"\b(?:scared|afraid|frightened|terrified|feart)\s+(?:of\s+(?:{_CARER}|him|her|them|going\s+home|being\s+at\s+home|what\s+(?:he|she|they)(?:'ll|\s+will|\s+might)?)|to\s+go\s+home|at\s+home|when\s+{_CARER})\b",
        r"\b(?:don'?t|do\s+not|dont|never)\s+feel\s+safe\b|\b(?:not|unsafe)\s+safe\b|\bfeel\s+unsafe\b|\bi'?m\s+not\s+safe\b|\bnot\s+safe\s+at\s+home\b",
        r"\b(?:nobody|no\s+one|noone|no-one)\s+(?:loves|cares\s+about|wants|likes)\s+me\b",
        r"\bemotional(?:ly)?\s+abus\w*",
        r"\b(?:hate|dread|dreading)\s+(?:going|being|getting)\s+(?:back\s+)?(?:at\s+)?home\b",
        r"\bwon'?t\s+let\s+me\s+(?:eat|sleep|see\s+my|leave|go\s+out|have\s+friends)\b",
    ],
    "neglect": [
        r"\b(?:no|not\s+(?:enough|any))\s+food\b|\bnothing\s+to\s+eat\b|\b(?:go|goes|going|went)\s+hungry\b|\bhungry\s+(?:all\s+the\s+time|every\s+day|a\s+lot|at\s+night)\b",
        r"\b(?:don'?t|doesn'?t|never)\s+(?:get|gets)\s+(?:fed|feed|food|dinner|breakfast)\b|\bnever\s+(?:any|enough)\s+food\b",
        r"\b(?:left|leave|leaves)\s+(?:me\s+)?(?:alone|on\s+my\s+own|by\s+myself|home\s+alone)\s+(?:all\s+night|for\s+days|overnight|at\s+night|all\s+weekend|all\s+day)\b",
        r"\b(?:nobody|no\s+one|noone)\s+(?:at\s+home\s+|in\s+my\s+house\s+|here\s+)?(?:looks?\s+after|takes?\s+care\s+of|feeds|washes|picks\s+me\s+up|makes\s+(?:me\s+|us\s+)?(?:dinner|tea|food))\b|\bhave\s+to\s+look\s+after\s+myself\b",
        r"\b(?:no|dirty)\s+(?:clean\s+)?clothes\b|\bsame\s+clothes\s+every\s+day\b|\bno\s+(?:heating|electricity|bed|hot\s+water)\b|\bsleep\s+on\s+the\s+floor\b",
        rf"\b{_CARER}\s+(?:is|are|gets?|was|were)\s+(?:always\s+|usually\s+|often\s+)?(?:drunk|wasted|high|out\s+of\s+it|on\s+drugs|passed\s+out)\b",
        rf"\b{_CARER}\s+(?:use|uses|take|takes|smoke|smokes|inject|injects|do|does|is\s+on|are\s+on|is\s+addicted\s+to|are\s+addicted\s+to)\s+(?:heroin|cocaine|coke|crack|smack|meth|spice|drugs|weed)\b",
        rf"\b(?:when|after|once|if)\s+{_CARER}\s*(?:'s|has|have)\s+(?:had\s+)?(?:a\s+drink|a\s+few|been\s+drinking)\b",
        rf"\b{_CARER}\s+(?:drinks?|drank)\s+(?:\w+\s+){{0,4}}?(?:and|then)\s+(?:then\s+)?(?:drives?|drove)\b",
        r"\bneglect(?:s|ed|ing)?\s+(?:me|us)\b|\b(?:i'?m|i\s+am|im|i\s+was|i\s+feel|i\s+felt|i'?ve\s+been|we\s+are|we'?re|we\s+were)\s+(?:being\s+|so\s+|really\s+)?neglected\b",
        r"\b(?:we'?re|we\s+are|i'?m|i\s+am|im)\s+(?:always|often|usually)\s+(?:hungry|starving)\b",
    ],
    "domestic_abuse": [
        rf"\b{_CARER}\s+{_HIT}\s+(?:my\s+)?(?:mum|mam|mom|mother|dad|father|her|him|each\s+other)\b",
        r"\b(?:parents|mum\s+and\s+dad|they)\s+(?:fight|fighting|fights|argue|arguing)\s+(?:all\s+the\s+time|every\s+(?:day|night)|a\s+lot|and\s+(?:hit|hurt|throw|smash))\b",
        r"\bpolice\s+(?:come|came|come\s+round|were\s+called|was\s+called)\s+(?:to|round\s+to)?\s*(?:our|my)\s+(?:house|home|flat)\b",
        r"\bdomestic\s+(?:abuse|violence)\s+(?:at|in)\s+(?:home|my|our)\b",
        r"\b(?:smash|smashes|smashed)\s+(?:things|the\s+house|stuff)\b",
        rf"\b{_CARER}\s+(?:shouts?|shouted|shouting|screams?|screamed|screaming|yells?|yelled|yelling|swears?|swore)\s+at\s+(?:my\s+)?(?:mum|mam|mom|mother|dad|father|her|him|each\s+other)\b",
        r"\b(?:throws?|threw|throwing|chucks?|chucked)\s+(?:things|stuff|plates|cups|chairs|stuff)\b",
        r"\b(?:scared|afraid|frightened|terrified|worried|feart)\s+(?:that\s+)?(?:he|she|they|he'?ll|she'?ll|they'?ll)\s*(?:will|is\s+going\s+to|are\s+going\s+to|might|could|'ll)?\s*(?:hurt|hit|kill|batter|beat)\s+(?:my\s+)?(?:mum|mam|mom|mother|dad|her|him)\b",
        r"\bhid(?:e|es|ing)?\s+(?:in\s+my\s+room|in\s+the\s+\w+|under\s+(?:my|the)\s+\w+|upstairs)\b[^.!?]{0,40}\bwhen\b[^.!?]{0,40}\b(?:shout\w*|scream\w*|yell\w*|fight\w*|argu\w*|drunk|angry|hit\w*)",
        r"\b(?:abus\w*|violence|fighting)\s+(?:at|in)\s+(?:home|my\s+(?:house|home|flat)|our\s+(?:house|home|flat))\b",
    ],
    "exploitation": [
        r"\bsextort\w*|\bcounty\s+lines\b|\btraffick\w*\b|\bgroom(?:ed|ing|s)?\b(?!\s+(?:the|my|our|his|her|their)\s+(?:dog|horse|pony|hair)|\s+dogs?)",
        r"\b(?:asks?|asking|asked|keeps\s+asking|kept\s+asking|wants?|wanted|tells?|told|makes?|made|pressur\w*|begging|begs?)\s+(?:me\s+)?(?:to\s+)?(?:send|sending)\s+(?:him\s+|her\s+|them\s+)?(?:pictures|pics|photos|videos|vids|images|selfies|snaps)\b",
        r"\b(?:someone|somebody|a\s+(?:man|guy|boy|girl|woman|lady|person|grown\s*up|stranger)|an\s+(?:adult|older\s+\w+)|people|he|she)(?:\s+older)?\s+(?:i|that\s+i|who\s+i)\s+(?:met|know|talk\s+to|chat\s+to|speak\s+to|play\s+with)\s+(?:online|on\s+line|on\s+(?:a|the|an)\s+(?:game|app|website|chat|server)|on\s+(?:snap\w*|insta\w*|tiktok|discord|roblox|fortnite|minecraft|xbox|ps\d?|playstation|whatsapp|facebook|the\s+internet))\b",
        r"\b(?:gives?|gave|giving|pays?|paid|paying|offers?|offered)\s+(?:me|us)\s+(?:money|cash|£\s?\d+|vapes?|drugs|weed|gifts|presents|alcohol|drink|stuff|phones?|trainers)\s+(?:to|for|if)\b",
        r"\b(?:take|taking|took|carry|carrying|carried|deliver|delivering|delivered|drop|dropping|dropped)\s+(?:packages?|parcels?|bags?|stuff|things)\s+(?:to|for|round\s+to)\s+(?:people|them|him|her|someone|somebody)\b",
        r"\b(?:scared|afraid|frightened|too\s+scared|feart)\s+to\s+say\s+no\b",
        r"\b(?:man|men|guy|guys|someone|somebody|stranger|strangers|he|they|car|van|boys?|lads?|older\s+\w+)\s+(?:\w+\s+){0,3}?(?:follows?|following|followed|stalks?|stalking|stalked)\s+me\b",
        r"\b(?:asks?|asking|asked|keeps\s+asking|kept\s+asking)\s+(?:me\s+)?for\s+(?:pics|pictures|photos|videos|vids|snaps|selfies)\b",
        r"\b(?:says?|said|threatens?|threatened)\s+(?:he|she|they|he'?ll|she'?ll|they'?ll)\s*(?:will|would|is\s+going\s+to|are\s+going\s+to|'ll|'d)?\s*(?:tell|show|send|post|share)\s+(?:my\s+(?:parents|mum|mam|dad|family|friends|school)|everyone|people|the\s+(?:pictures|pics|photos)|my\s+(?:pictures|pics|photos))\b",
        r"\bolder\s+(?:guy|man|men|boy|boys|lad|lads|bloke|person)'?s?\s+(?:flat|house|place|car)\b",
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
        r"\bbull(?:y|ies|ied|ying)\b[^.!?]{0,100}\b(?:every\s+day|all\s+the\s+time|scared|knife|kill|stab|hurt\w*|harm\w*|want\s+to\s+die|threat\w*|beat|hit|so\s+bad|stopped\s+eating|(?:don'?t|dont)\s+(?:want|have)\s+to\s+go\s+to\s+school|can'?t\s+(?:go\s+to|face)\s+school)\b",
        r"\b(?:scared|afraid|frightened|feart)\s+(?:to|of)\s+(?:go(?:ing)?\s+(?:to\s+)?|)school\b",
        r"\b(?:going\s+to|gonna|will|said\s+they'?d|threaten(?:ed|s)?\s+to)\s+(?:kill|stab|batter|jump|beat\s+up|hurt)\s+me\b",
        r"\b(?:told|tell|tells)\s+me\s+to\s+kill\s+myself\b|\bkys\b",
        r"\b(?:post|posts|posted|posting|share|shares|shared|sharing|spread|spreads|spreading|sends?|sent|sending)\s+(?:pictures|photos|videos|vids|pics|lies|rumours)\s+(?:of|about)\s+me\b",
        r"\b(?:knife|knives|blade)\b(?!\s+crime)",
        r"\b(?:my\s+)?(?:son|daughter|child|kid|boy|girl|brother|sister|friend|wee\s+one)\s+(?:is|keeps|gets|has\s+been|'s)\s+(?:getting\s+|being\s+)?bullied\b",
        r"\beveryone\s+hates\s+me\b",
    ],
    "missing": [
        r"\b(?:ran|run|running|runs)\s+away\b|\b(?:go|goes|went|gone|going)\s+missing\b|\bbeen\s+missing\b",
        r"\b(?:stay|stayed|stays|staying)\s+out\s+all\s+night\b|\bsleep(?:ing)?\s+(?:rough|on\s+the\s+streets?|in\s+(?:a\s+)?(?:park|stair|close))\b",
        r"\bnowhere\s+(?:else\s+)?to\s+(?:sleep|stay|live)\b|\b(?:kicked|thrown|chucked|put)\s+(?:me\s+|us\s+)?out\s+(?:of\s+(?:the|my)\s+(?:house|home))?\b",
        r"\b(?:i|we)(?:'ve|'d|\s+have|\s+had|\s+got|\s+have\s+got|\s+'ve\s+got|'ve\s+got)?\s+(?:literally\s+|just\s+|got\s+)?nowhere\s+(?:else\s+)?to\s+go\b",
        r"\b(?:can'?t|cannot|cant|not\s+allowed\s+to|scared\s+to|afraid\s+to|feart\s+to)\s+(?:go|going)\s+(?:back\s+)?home\b|\bnot\s+allowed\s+(?:back\s+)?home\b",
        r"\b(?:don'?t|do\s+not|didn'?t|doesn'?t|dont|didnt|never)\s+know\s+where\s+i\s+(?:was|am|go|went|stay|stayed|sleep|slept|am\s+staying)\b",
        r"\b(?:stay|stayed|staying|slept|sleeping|sleep)\s+(?:at|in|round|over\s+at)\s+(?:an?\s+|some\s+|this\s+)?(?:older\s+)?(?:guy|man|men|boy|boys|lad|lads|stranger|someone|somebody|person|people)'?s?\b",
        r"\b(?:sleeping|sleep|slept|staying|stay|stayed)\s+(?:at|on)\s+(?:a\s+)?(?:friend|mate|pal)'?s\b[^.!?]{0,40}\b(?:because|cos|as|since)\b",
        r"\b(?:don'?t|do\s+not|dont)\s+want\s+to\s+go\s+(?:back\s+)?home\b|\bsofa\s*surf\w*\b",
    ],
}

# Topic words: flag only when the same sentence is about the speaker or someone close to them.
_TOPIC: dict[str, list[str]] = {
    "self_harm": [r"\bself[\s-]?harm\w*", r"\b(?:depressed|hopeless)\b"],
    "physical_abuse": [r"\babus(?:e|ed|ive|ing)\b", r"\bviolen(?:t|ce)\b"],
    "sexual_abuse": [r"\b(?:inappropriate|touchy|creepy)\b"],
    "domestic_abuse": [r"\bdomestic\s+(?:abuse|violence)\b", r"\b(?:fighting|arguing)\s+at\s+home\b"],
    "neglect": [r"\b(?:hungry|starving)\b", r"\bneglect(?:s|ed|ing)?\b"],
    "exploitation": [r"\b(?:stranger|strangers)\s+(?:online|message|messages|messaged|add|added)\b"],
    "missing": [r"\bmissing\b"],
}
# Who a topic word is about: the speaker or someone close ("we", "our" and "us" are as often an organisation).
_PERSONAL = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself|ma|mum|mam|mom|dad|stepdad|brother|sister|friend|pal)\b"
)
# The speaker, or a carer named as theirs: when none of these is anywhere in the text, a trigger in a
# sentence about people in general ("young people who go missing", "a focus on county lines") is a
# topic, not a disclosure.
_FIRST = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|myself|mine|ma|mum|mam|mom|mummy|dad|da|daddy|stepdad|stepmum|gran|granny|nana|papa)\b"
)
_IN_TRIGGER = re.compile(r"\b(?:me|us|my|myself|i|we)\b")
_GENERAL = re.compile(
    r"\b(?:children|child's|young\s+people|young\s+person|kids|families|family|parents|pupils|people|victims|survivors|"
    r"those|anyone|anybody|girls|boys|teenagers|adults|carers|women|men|students|residents|tenants|some|many|staff|"
    r"services?|professionals|agenc\w+|support|referrals?|focus|approach|tackl\w*|address\w*|awareness|prevent\w*|"
    r"training|strateg\w*|polic(?:y|ies)|rates?|cases|issues?|problems?|causes?|impact|risks?|affected|including|"
    r"include|plan|priorit(?:y|ies)|crime|education|lessons|workshops?|campaigns?|protection|partnership|recovery|"
    r"response|pathways?|we\s+see)\b"
)
_AT_HOME = re.compile(r"\b(?:at\s+home|(?:this|our|my|the)\s+(?:house|flat|home))\b")
# "I don't feel safe" about the streets, the dark or the town centre is community safety, not abuse.
_UNSAFE = re.compile(r"feel\s+safe|unsafe|not\s+safe")
_COMMUNITY = re.compile(
    r"\b(?:walk\w*|outside|out\s+(?:at|after|late)|go(?:ing)?\s+out|at\s+night|in\s+the\s+dark|dark|streets?|town|"
    r"city|cent(?:re|er)|park|area|estate|village|neighbourhood|community|bus|buses|train|path|paths|pavement|road|"
    r"roads|crossing|lights?|lighting|gangs?|traffic|cars?|motorbikes?|shops?|underpass|around\s+here|round\s+here)\b"
)
_CLOSE_HARM = re.compile(
    r"\b(?:at\s+home|in\s+(?:my|our|the)\s+(?:house|home|flat|room)|with\s+(?:my|him|her|them)|around\s+(?:him|her|my)|"
    r"when\s+(?:he|she|they|my)|because\s+of\s+(?:him|her|my)|mum|mam|dad|step\w*|boyfriend|girlfriend|partner|carer)\b"
)
# "nowhere to go" about somewhere to spend time, not somewhere to sleep.
_LEISURE = re.compile(
    r"\b(?:club|clubs|park|parks|play|hang(?:ing)?\s+out|boring|bored|youth|things\s+to\s+do|activit\w+|weekends?|"
    r"holidays?|summer|rain\w*|fun|teenagers|young\s+people|kids|children|shops?|cinema|after\s+school|evenings?|"
    r"chippy|bus\s+shelter|in\s+(?:the|this)\s+(?:town|village|area))\b"
)
_NOWHERE_TO_GO = re.compile(r"nowhere\s+(?:else\s+)?to\s+go\b")
_HOME_LOST = re.compile(r"\b(?:kicked|thrown|chucked|put)\s+(?:me\s+|us\s+)?out\b|can'?t\s+go\s+(?:back\s+)?home|not\s+allowed\s+(?:back\s+)?home")
_PET = re.compile(r"\b(?:dog|dogs|cat|cats|puppy|kitten|hamster|rabbit|bunny|pet|budgie|tortoise|guinea\s+pig|horse|pony|ferret|parrot)\b(?:\s+(?:went|has|had|was|is|just|got|keeps|been|ran))*\W*$")
_HUNGER = re.compile(r"hungry|starving")
# Hunger as a complaint about school food or an exaggeration, not going without.
_FOOD_COMPLAINT = re.compile(
    r"\b(?:won'?t|doesn'?t|wouldn'?t|didn'?t|don'?t|dont|wont|doesnt)\s+(?:eat|like)\s+(?:it|the|them|school|that|what)\b|"
    r"\b(?:fussy|picky|disgusting|horrible|minging|rank|yuck|gross)\b|\bafter\s+(?:pe|football|training|swimming|sport|gym)\b"
)
_SENT_SPLIT = re.compile(r"(?<=[.!?\n])\s*|\s+but\s+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|because|cos|so|although|though)\b")
_NEGATOR = re.compile(
    r"\b(?:naebody|naewan|nane|naw|cannae|dinnae|didnae|doesnae|wisnae|isnae|wouldnae|willnae|havenae|"
    r"not|never|no|nobody|no-one|noone|none|nothing|neither|nor|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|aren'?t|weren'?t|won'?t|wouldn'?t|hasn'?t|haven'?t|hadn'?t|dont|doesnt|didnt|isnt|wasnt|cant|can'?t|without)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what\s+if|in\s+case|whether|would|could|should|might|imagine|suppose|supposing|hypothetically|pretend|lessons?\s+(?:on|about)|learn(?:ing|t)?\s+about|taught\s+about|how\s+to\s+(?:stop|prevent|report|deal)|help\s+(?:with|for|people|children|kids|young\s+people))\b"
)
_GENERIC_SUBJECT = re.compile(
    r"\b(?:someone|somebody|anyone|anybody|a\s+(?:child|kid|friend|person|pupil)|children|kids|people|young\s+people|pupils|you|others|they|them|a\s+lot\s+of)\b"
)
_ONGOING = re.compile(r"\b(?:again|still|any\s*more|no\s+longer|stopped|keeps?|every\s+(?:day|night|time|week)|always|used\s+to)\b")

# One alternation per category (fewer regex passes), and one over everything as a prefilter.
_COMPILED_STRONG = {c: [re.compile("|".join(f"(?:{p})" for p in pats))] for c, pats in _STRONG.items()}
_COMPILED_TOPIC = {c: [re.compile("|".join(f"(?:{p})" for p in pats))] for c, pats in _TOPIC.items()}
_ALL_PATTERNS = [p for pats in (*_STRONG.values(), *_TOPIC.values()) for p in pats]
_ANY_PLAIN = re.compile("|".join(f"(?:{p})" for p in _ALL_PATTERNS))


def _top_level(pattern: str) -> list[str]:
    """The pattern's top-level alternatives, as pattern text ("a|(?:b|c)" -> ["a", "(?:b|c)"])."""
    out, cur, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            for lead in ("^", "]"):  # "[^...]" and "[]...]": the first "]" is a member
                if pattern[i + 1 : i + 2] == lead:
                    cur.append(ch)
                    i += 1
                    ch = pattern[i]
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _starts(items, k: int) -> set[tuple[str, bool]]:
    """What every match of a parsed pattern starts with: (text, open) pairs, one of which each match begins
    with. ``open`` means more may follow that is not known here; a closed text shorter than k is a whole
    match. ``("", True)`` means nothing is known. Texts are cut to k characters (and then open)."""
    from re import _constants as sc

    unknown = {("", True)}
    res: set[tuple[str, bool]] = {("", False)}
    for op, av in items:
        if all(open_ for _, open_ in res):
            break
        if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):  # zero width: consumes nothing
            continue
        nxt: set[tuple[str, bool]] | None = None
        if op is sc.LITERAL:
            nxt = {(chr(av), False)}
        elif op is sc.IN and all(o is sc.LITERAL for o, _ in av):
            nxt = {(chr(c), False) for _, c in av}
        elif op is sc.SUBPATTERN and not (av[1] or av[2]):
            nxt = _starts(av[3], k)
        elif op is sc.BRANCH:
            nxt = set().union(*(_starts(a, k) for a in av[1]))
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT, sc.POSSESSIVE_REPEAT):
            lo, hi, body = av
            first = _starts(body, k)
            nxt = first if hi <= 1 else {(t, True) for t, _ in first}  # the first time round, then unknown
            if lo == 0:
                nxt = nxt | {("", False)}
        if nxt is None:  # not a known literal: what follows is unknown
            return {(t, True) for t, _ in res}
        grown: set[tuple[str, bool]] = set()
        for t, open_ in res:
            if open_:
                grown.add((t, True))
                continue
            for u, u_open in nxt:
                v = t + u
                grown.add((v[:k], True) if len(v) >= k else (v, u_open))
        if len(grown) > 256:
            return unknown
        res = grown
    return res


def _dispatch(patterns: list[str], k: int = 3) -> re.Pattern:
    """One regex that matches somewhere in a text exactly when one of ``patterns`` does, but much faster.

    Every pattern's top-level alternatives start with ``\\b`` (each compiles on its own, so the split at
    top-level bars is right); the alternatives are put in a trie on the
    first k characters a match can start with (found from the parsed pattern), each branch guarded by a
    lookahead, so at each word boundary only the alternatives that can start there are tried. Which match
    is found may differ from the plain alternation (the order of alternatives changes); whether one is found
    does not. Falls back to the plain alternation if a pattern is not of that shape.
    """
    plain = re.compile("|".join(f"(?:{p})" for p in patterns))
    try:
        from re import _parser as sp  # the standard library's own pattern parser (Python 3.11+)

        alts = [a for p in patterns for a in _top_level(p)]
        if not all(a.startswith("\\b") for a in alts) or any(re.compile(a).flags != re.UNICODE for a in alts):
            return plain
        bodies = [a[2:] for a in alts]
        keyed: dict[str, list[int]] = {}
        for i, body in enumerate(bodies):
            for text, _ in _starts(sp.parse(body), k):
                keyed.setdefault(text, []).append(i)
    except Exception:  # noqa: BLE001 - an unexpected pattern shape: the plain alternation is always right
        return plain

    def emit(prefix: str, keys: list[str]) -> str:
        here = dict.fromkeys(i for key in keys if key == prefix for i in keyed[key])
        parts = [f"(?:{bodies[i]})" for i in here]
        children: dict[str, list[str]] = {}
        for key in keys:
            if len(key) > len(prefix):
                children.setdefault(key[len(prefix)], []).append(key)
        for ch, sub in sorted(children.items()):
            parts.append(f"(?={re.escape(prefix + ch)})(?:{emit(prefix + ch, sub)})")
        return "|".join(parts)

    try:
        return re.compile(r"\b(?:" + emit("", sorted(keyed)) + ")")
    except (re.error, RecursionError):  # the plain alternation is always right
        return plain


@functools.cache
def _prefilters() -> tuple[re.Pattern, dict[str, re.Pattern]]:
    """Whether a sentence holds any trigger at all (most hold none: this test was most of the rules' cost),
    and whether it holds one of each category's; built on first use (compiling takes about a second)."""
    return _dispatch(_ALL_PATTERNS, 3), {c: _dispatch([*_STRONG[c], *_TOPIC.get(c, [])], 3) for c in _STRONG}


_RULE_CATEGORIES = tuple(_STRONG)


_BLANKS = re.compile(r"[ \t]+")


def _normalise(text: str) -> str:
    t = text.lower().replace("’", "'").replace("‘", "'")
    return _BLANKS.sub(" ", t)


def _set_aside_reason(
    sentence: str, start: int, end: int, category: str = "", *, first_person: bool = True, strong: bool = True
) -> str | None:
    """Return why a trigger in this sentence is not a disclosure, or None if it may be one."""
    word = sentence[start:end]
    if category == "emotional_abuse" and _UNSAFE.search(word):
        if _COMMUNITY.search(sentence) and not _CLOSE_HARM.search(sentence):
            return "community safety"
    if category == "missing" and _NOWHERE_TO_GO.search(word) and _LEISURE.search(sentence) and not _HOME_LOST.search(sentence):
        return "place to go"
    if category == "missing" and _PET.search(sentence[max(0, start - 30) : start]):
        return "an animal"
    if category == "neglect" and not strong and _HUNGER.search(word) and _FOOD_COMPLAINT.search(sentence):
        return "food complaint"
    # About people in general: nobody in the text is the speaker or theirs, and the sentence talks about
    # groups, services or policy. Never when harm is placed at home.
    if (
        not first_person
        and not _IN_TRIGGER.search(word)
        and _GENERAL.search(sentence)
        and not _AT_HOME.search(sentence)
    ):
        return "general"
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


# Self-harm triggers about ending one's life are reported as suicidal thoughts; a carer's drinking or drugs
# (found with the neglect patterns) as harmful parental alcohol or drug use.
_SUICIDAL = re.compile(
    r"kill|hang|jump|suicid|un-?aliv|kms|\bdie|dying|dead|end\s+it|end\w*\s+(?:my\s+life|things)|life|alive|exist|"
    r"point|better\s+off|overdos|pills|tablets|born|go\s+on|cope|take\s+it|be\s+(?:here|around)|wake\s+up"
)
_SELF_HARM_ONLY = re.compile(
    r"self[\s-]?harm|(?:cut\w*|burn\w*|harm\w*|hurt\w*|starv\w*|punish\w*)\s+(?:my\s?self|maself|mysel)"
)
_SUBSTANCE = re.compile(r"drunk|wasted|high|out\s+of\s+it|drugs|passed\s+out|heroin|cocaine|coke|crack|smack|meth|spice|weed|drink|drank|a\s+few")


def _category_of(category: str, word: str) -> str:
    if category == "self_harm" and not _SELF_HARM_ONLY.search(word) and _SUICIDAL.search(word):
        return "suicidal"
    if category == "neglect" and _SUBSTANCE.search(word):
        return "parental_substance"
    return category


def rule_screen(text: str) -> RuleScreening:
    """Screen one text with the rules.

    Args:
        text: a free-text answer (raw or redacted).

    Returns:
        RuleScreening with ``flag``, the ``categories`` found (in CATEGORIES order), the ``triggers``
        (matched words), each kept trigger with its sentence in ``hits`` and, for transparency, triggers
        ``set_aside`` as negated or hypothetical.
    """
    if not text or not text.strip():
        return RuleScreening(False)
    norm = _normalise(text)
    any_trigger, in_category = _prefilters()
    # Only sentences with some trigger need the per-category work (the union is a superset of each).
    sentences = [x for x in _SENT_SPLIT.split(norm) if x and x.strip() and any_trigger.search(x) is not None]
    if not sentences:
        return RuleScreening(False)
    cats: set[str] = set()
    triggers: list[str] = []
    aside: list[str] = []
    kept: list[RuleHit] = []
    first_person = _FIRST.search(norm) is not None
    for sentence in sentences:
        personal = _PERSONAL.search(sentence) is not None
        for cat in _RULE_CATEGORIES:
            if in_category[cat].search(sentence) is None:  # neither a strong nor a topic trigger of cat
                continue
            hits = [(m, True) for rx in _COMPILED_STRONG.get(cat, ()) for m in rx.finditer(sentence)]
            if personal:
                hits += [(m, False) for rx in _COMPILED_TOPIC.get(cat, ()) for m in rx.finditer(sentence)]
            for m, strong in hits:
                reason = _set_aside_reason(
                    sentence, m.start(), m.end(), cat, first_person=first_person, strong=strong
                )
                word = m.group(0).strip()
                if reason is None:
                    reported = _category_of(cat, word)
                    cats.add(reported)
                    kept.append(RuleHit(reported, word, sentence.strip()))
                    if word not in triggers:
                        triggers.append(word)
                else:
                    label = f"{word} ({reason})"
                    if label not in aside:
                        aside.append(label)
    categories = [c for c in CATEGORIES if c in cats]
    return RuleScreening(bool(categories), categories, triggers, aside, kept)
