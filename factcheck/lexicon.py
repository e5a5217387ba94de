"""The English news-copy lexicon that claim extraction runs on: reporting verbs, role nouns, stop words.

These lists describe how news copy in general attributes speech; none is tuned to one article. Each is
written as a single string and split, which keeps long lists readable and their diffs small.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word list written as one string (keeps long lists readable and diff-friendly)."""
    return frozenset(text.split())


SPEECH_VERBS = (
    "say|says|said|tell|tells|told|add|adds|added|note|notes|noted|point out|points out|pointed out|"
    "write|writes|wrote|tweet|tweets|tweeted|post|posts|posted|state|states|stated|explain|explains|"
    "explained|argue|argues|argued|claim|claims|claimed|insist|insists|insisted|assert|asserts|"
    "asserted|declare|declares|declared|acknowledge|acknowledges|acknowledged|admit|admits|"
    "admitted|confirm|confirms|confirmed|deny|denies|denied|recall|recalls|recalled|remark|remarks|"
    "remarked|reply|replies|replied|respond|responds|responded|comment|comments|commented|suggest|"
    "suggests|suggested|continue|continues|continued|conclude|concludes|concluded|emphasise|"
    "emphasises|emphasised|emphasize|emphasizes|emphasized|stress|stresses|stressed|observe|"
    "observes|observed|report|reports|reported|allege|alleges|alleged|maintain|maintains|"
    "maintained|caution|cautions|cautioned|predict|predicts|predicted|warn|warns|warned|ask|asks|"
    "asked|testify|testifies|testified|reveal|reveals|revealed|disclose|discloses|disclosed|"
    "estimate|estimates|estimated|contend|contends|contended|concede|concedes|conceded|reiterate|"
    "reiterates|reiterated|recount|recounts|recounted|wonder|wonders|wondered|quip|quips|quipped|"
    "exclaim|exclaims|exclaimed|find|finds|found|show|shows|showed|conclude|concluded|indicate|"
    "indicates|indicated|believe|believes|believed|fear|fears|feared|promise|promises|promised|"
    "vow|vows|vowed|announce|announces|announced|describe|describes|described|call|calls|called"
)
CHARACTERIZATION_VERBS = (
    "accuse|accuses|accused|condemn|condemns|condemned|criticise|criticises|criticised|criticize|"
    "criticizes|criticized|denounce|denounces|denounced|express|expresses|expressed|blame|blames|"
    "blamed|praise|praises|praised|welcome|welcomes|welcomed|slam|slams|slammed|blast|blasts|"
    "blasted|reject|rejects|rejected|dismiss|dismisses|dismissed|decry|decries|decried|deplore|"
    "deplores|deplored|urge|urges|urged|demand|demands|demanded|call on|calls on|called on|"
    "call upon|calls upon|called upon|call for|calls for|called for|appeal|appeals|appealed|"
    "charge|charges|charged|recommend|recommends|recommended|document|documents|documented|"
    "raise concerns|raised concerns|voice concern|voiced concern|voiced concerns|highlight|"
    "highlights|highlighted|question|questions|questioned|dispute|disputes|disputed|challenge|"
    "challenges|challenged|refuse|refuses|refused"
)
PARTICIPLES = (
    "saying|adding|noting|writing|telling|warning|urging|calling|explaining|arguing|claiming|"
    "insisting|stressing|pointing out|accusing|condemning|describing|asking|stating|declaring"
)
VERB_RE = re.compile(
    rf"\b(?P<verb>{SPEECH_VERBS}|{CHARACTERIZATION_VERBS}|{PARTICIPLES})\b"
    r"(?P<on>\s+(?:on|upon|for)\b)?"
)
CHARACTERIZATION_SET = set(CHARACTERIZATION_VERBS.split("|"))
PARTICIPLE_SET = set(PARTICIPLES.split("|"))
# Words that are verbs only when followed by a clause, a quote or a colon; otherwise often nouns
# ("member states", "the claims", "credible reports", "calls for help").
AMBIGUOUS_NOUNS = words(
    "states notes claims reports calls comments posts questions documents highlights demands fears "
    "shows finds estimates promises charges appeals concerns tweets blasts remarks replies challenges "
    "disputes report post state note claim call comment question document fear show find "
    "estimate promise charge appeal tweet blast remark reply challenge dispute welcome demand praise "
    "blame reject express stress warn urge ask tell add write vow quip refuse found called "
    "described posted documented believed feared show showed concluded estimated indicated announced "
    "charged appealed highlighted questioned refused disputed challenged continued continue continues"
)
# Verbs whose following noun phrase is their object, never an inverted subject ("told Reuters").
INVERTIBLE = words(
    "said says added adds noted notes wrote writes tweeted explained continued replied stated argued "
    "insisted asked recalled remarked observed commented suggested concluded declared warned claimed "
    "posted quipped exclaimed wondered reported stressed emphasised emphasized"
)
THAT_VERBS_FOR_REPORTED = words("warned warns urged charged found showed shows finds")

PRONOUNS = words("he she they it we i you")
DETERMINERS = words("the a an its his her their our this these those that")
CONNECTORS = words(
    "of for at by from in on and to de van von der den al el bin ibn da du la le del della di dos das y &"
)
NP_LINKS_AFTER_DETERMINER = {"of", "for", "by", "at", "from", "with"}
# Lowercase words that end a noun phrase when walking back from the verb.
STOP_WORDS = words(
    "that which who whom whose but or because while when if as than then so yet is was were are be "
    "been being has have had will would could should may might must can do does did not no with about "
    "into over after before during under against between through since until without within toward "
    "towards among across behind beyond despite per via like also said says told there here where how "
    "why what all both each every any some most many more such only even just still very much this "
    "his her their its our my your him them us me"
)
# Adverbs and time phrases that sit between a subject and its verb ("Hunt earlier also condemned").
BETWEEN_SUBJECT_AND_VERB = words(
    "has have had also earlier later then previously further additionally recently reportedly "
    "separately repeatedly publicly already too again once now today yesterday tonight subsequently "
    "first initially since last week month year this on monday tuesday wednesday thursday friday "
    "saturday sunday had has would will previously himself herself themselves itself personally "
    "formally officially openly strongly sharply angrily bluntly simply quickly immediately similarly "
    "likewise however meanwhile instead specifically privately directly"
)
# Nouns naming people by role, and groups or documents that speak.
PERSON_ROLES = words(
    "staff trader traders owner owners shopkeeper shopkeepers farmer farmers teacher teachers parent parents "
    "student students epidemiologist economist economists historian spokespeople chairperson "
    "spokesperson spokesman spokeswoman spokespeople researcher minister secretary director head "
    "chief president leader official officials lawyer lawyers activist activists chairman chairwoman "
    "chair founder author rapporteur expert experts campaigner campaigners ambassador envoy "
    "commissioner coordinator analyst analysts diplomat diplomats prosecutor prosecutors investigator "
    "investigators witness witnesses victim victims survivor resident residents critic critics "
    "observer observers source sources representative deputy adviser advisor doctor doctors police "
    "judge editor reporter journalist correspondent mayor governor senator lawmaker lawmakers mp mps "
    "member members writer professor scientist scientists manager ceo founder organiser organizer "
    "organisers organizers colleague friend relative relatives mother father brother sister man woman "
    "people boss councillor counsel attorney advocate advocates defender defenders nurse surgeon "
    "officer officers general commander spokes"
)
GROUP_NOUNS = words(
    "firm jury monitor network group groups organisations organizations agencies ministries "
    "group organisation organization network ministry department agency office government authorities "
    "administration committee council commission court union association foundation institute party "
    "company campaign embassy kremlin charity ngo watchdog body mission team service parliament "
    "police army military regime coalition alliance board panel center centre newspaper outlet "
    "website channel broadcaster station bureau"
)
DOCUMENT_NOUNS = words(
    "report statement study survey letter article op-ed oped editorial analysis investigation review "
    "paper tweet post release document filing audit ruling verdict resolution briefing interview "
    "speech testimony declaration communique communiqué memo findings book column blog video petition "
    "appeal complaint lawsuit indictment transcript message figures data statistics estimates poll census"
)
ORG_WORDS = words(
    "borders rights trust society league initiative project coalition front movement forum "
    "federation agency ministry monitor commissioner's network council fund "
    "network international department ministry office organization organisation group committee "
    "council agency commission union association foundation watch court government police service "
    "party institute university times news post press bank fund nations mechanism europe state "
    "kremlin parliament embassy federation republic authorities center centre tribune guardian "
    "reuters amnesty alliance coalition board bureau"
)
ABBREVIATIONS = words(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt jan feb mar apr jun jul aug sep sept oct "
    "nov dec no vs etc inc ltd co corp jr sr mt ft approx dept univ fig e.g i.e cf al ave rev hon "
    "pres supt det insp cpl pvt"
)
HEDGE_RE = re.compile(
    r"\b(?:(?:is|are|was|were|has been|have been)\s+(?:widely\s+|generally\s+|also\s+)?"
    r"(?:known|said|believed|thought|reported|alleged|understood|rumou?red|considered|seen|regarded|"
    r"claimed|suspected|estimated|expected)\s+(?:to|as)\b|reportedly|allegedly|purportedly|"
    r"it is (?:claimed|said|believed|alleged|understood|reported)|it was (?:claimed|said|reported|alleged))",
    re.IGNORECASE,
)
NAMING_BEFORE_QUOTE_RE = re.compile(
    r"(?:so-called|so called|dubbed|titled|entitled|headlined|nicknamed|named|known as|the term|"
    r"the word|the words|the phrase|the hashtag|the slogan|the motto|labelled|labeled|the title|"
    r"a sign reading|banners? reading|read)\s*$",
    re.IGNORECASE,
)
FURNITURE_RE = re.compile(
    r"^(?:advertorial|sponsored(?: content)?|advertisement|promoted|partner content|"
    r"get the .{0,40}newsletter|sign up|subscribe|newsletter|leave a (?:reply|comment)|"
    r"your email address will not be published|required fields are marked|send this to a friend|"
    r"share (?:this|on|via)|follow us|read more|related(?: articles| stories| posts)?:?|click here|"
    r"comments?|posted in|filed under|tags?:|©|copyright|all rights reserved|photo:|image:|"
    r"credit:|this article (?:was|is)|you might also like|recommended|most read|trending)",
    re.IGNORECASE,
)

# Figures: a count with its qualifier and what is counted.
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|thousand|million|billion|dozen|dozens|hundreds|thousands|millions|billions|"
    "half|a third|two-thirds|a quarter|three-quarters"
)
QUALIFIERS = (
    "around|about|approximately|roughly|some|nearly|almost|at least|at most|more than|over|"
    "fewer than|less than|up to|as many as|as few as|an estimated|close to|just over|just under|"
    "upwards of|in excess of|no fewer than|no more than|under|a total of|only|just|several"
)
TIME_UNITS = (
    "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|nights?|"
    "mornings?|evenings?|weekends?|times?"
)
FIGURE_RE = re.compile(
    rf"(?<![\w#@.,$£€¥-])(?P<qual>(?:{QUALIFIERS})\s+)?"
    r"(?P<cur>(?:US|A|C|NZ|HK)?[$£€¥])?"  # money: "$4m", "£6 million", "US$4m"
    rf"(?P<num>\d{{1,3}}(?:[,.]\d{{3}})*(?:\.\d+)?|\d+(?:\.\d+)?"
    rf"|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))*)"
    r"(?P<unit>\s?%|\s(?:per ?cent|percent))?"
    # "m" and "k" are millions and thousands only after a currency sign ("a 4m wall" is metres)
    r"(?P<scale>\s(?:million|billion|trillion|thousand|hundred)|(?(cur)(?:bn|mn|tn|m|k)|(?:bn|mn|tn)))?"
    r"(?![\w-])",
    re.IGNORECASE,
)
COUNT_NOUNS = words(
    "people persons person men women children victims individuals deaths dead killed arrests arrested "
    "detained detentions cases incidents attacks refugees migrants protesters prisoners members "
    "voters jobs dollars euros pounds rubles roubles homes houses civilians soldiers troops patients "
    "students residents workers families complaints reports applications asylum lgbt lgbti gay "
    "detainees inmates fatalities injured wounded missing others survivors activists journalists "
    "percent"
)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE_NEAR_RE = re.compile(rf"(?:{MONTHS})\.?\s*$", re.IGNORECASE)
DATE_AFTER_RE = re.compile(rf"^\s*(?:{MONTHS})\b", re.IGNORECASE)

# Generic nouns that refer back to the last organisation or document named ("the group", "the report").
ANAPHORIC_NOUNS = words(
    "group organisation organization body watchdog charity ngo campaign firm company team report "
    "statement study document"
)
NUMBER_WORD_SET = words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "several many some few dozens hundreds thousands"
)

# What a characterisation's verb looks like in the original: "expressed its concern" is borne out by a
# passage that says "deeply disturbed", "condemned" by "totally unacceptable". Keys are verb stems.
STANCE_CUES: dict[str, frozenset[str]] = {
    "concern": words(
        "concern concerned concerning disturbed disturbing alarmed alarming worried worrying troubled "
        "troubling dismayed dismay deplore alarm"
    ),
    "condemn": words(
        "condemn condemns condemned unacceptable deplore deplorable outrageous appalling abhorrent "
        "shameful reprehensible inexcusable"
    ),
    "criticis": words("criticise criticize criticism criticised criticized wrong unacceptable"),
    "accus": words("accuse accused accuses responsible impunity complicit shield shielding blame blamed"),
    "urg": words("urge urges call calls must should ask demand"),
    "call": words("call calls urge must should demand"),
    "demand": words("demand demands must call insist"),
    "welcom": words("welcome welcomes welcomed glad pleased"),
    "prais": words("praise commend applaud"),
    "reject": words("reject rejects deny denies false lies untrue baseless"),
    "deni": words("deny denies false lies untrue baseless"),
    "dismiss": words("dismiss false lies untrue baseless nonsense"),
}
