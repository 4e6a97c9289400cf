"""Checks of what residents write, shared by concerns and feedback: personal data to redact
before anything is published, and words that read like an emergency.

Both are heuristics that help a person decide, never decide alone: a moderator confirms
every redaction (and may edit it), and a resident shown the emergency panel may still send.
They lean towards saying nothing: a street name, a crime type or a talk about knife crime is
ordinary PACT business and must not be flagged, or people learn to ignore the flags.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NAME = "name"
ADDRESS = "address"
PHONE = "phone"
EMAIL = "email"
VEHICLE = "vehicle"

LABELS = {
    NAME: _("a name"),
    ADDRESS: _("a house address"),
    PHONE: _("a phone number"),
    EMAIL: _("an email address"),
    VEHICLE: _("a vehicle registration"),
}
REPLACEMENTS = {
    NAME: _("[name removed]"),
    ADDRESS: _("[address removed]"),
    PHONE: _("[phone number removed]"),
    EMAIL: _("[email address removed]"),
    VEHICLE: _("[vehicle registration removed]"),
}

_STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Way|Drive|Crescent|Gardens|Place|Court|Terrace|Hill"
    r"|Grove|Rise|View|Walk|Row|Square|Parade|Mews|Park|Green|Chase|Meadow|Meadows)"
)
_CAPITALISED = r"[A-Z][a-z'’-]+"
_BY_HOUSE = r"(?:at|outside|opposite|next to|near|from|lives at)"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (EMAIL, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    # UK numbers: 0 or +44 then 9 or 10 more digits, spaced or bracketed as people write them
    # (07700 900982, (01622) 123456, +44 7700 900 982). 999, 101 and dates have too few digits.
    (PHONE, re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s-]?\)?[\s-]?\d){8,9}(?!\w)")),
    # A house number and a street (12 Acacia Avenue, 3a High Street); a street alone (St Mary's
    # Road) is where the problem is, not who lives there, and is kept.
    (ADDRESS, re.compile(rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:{_CAPITALISED}\s+){{1,3}}{_STREET}\b")),
    (ADDRESS, re.compile(rf"\b{_BY_HOUSE}\s+(?:number|no\.?)\s?\d{{1,4}}[a-z]?\b", re.I)),
    # People written with a title, or introduced by name (a pub "called The Bull" is not a person).
    (NAME, re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+{_CAPITALISED}(?:\s+{_CAPITALISED})?")),
    (NAME, re.compile(rf"\b(?:called|named|name is)\s+(?!The\b|A\b|An\b){_CAPITALISED}(?:\s+{_CAPITALISED})?")),
    # UK registrations: current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D) formats,
    # in capitals as plates are written; road numbers such as A229 or M20 are not plates.
    (VEHICLE, re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")),
    (VEHICLE, re.compile(r"\b[A-Z]\d{1,3}\s?[A-Z]{3}\b")),
    (VEHICLE, re.compile(r"\b[A-Z]{3}\s?\d{1,3}[A-Z]\b")),
]
# Introductions keep their verb ("called", "named"): only the name itself is redacted.
_NAME_LEAD = re.compile(r"^(?:called|named|name is)\s+")
_ADDRESS_LEAD = re.compile(rf"^{_BY_HOUSE}\s+", re.I)


@dataclass(frozen=True)
class Finding:
    """A stretch of text that looks like personal data: its kind and where it is."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def replacement(self) -> str:
        return str(REPLACEMENTS[self.kind])


def _trimmed(kind: str, match: re.Match) -> Finding:
    start, text = match.start(), match.group(0)
    lead = {NAME: _NAME_LEAD, ADDRESS: _ADDRESS_LEAD}.get(kind)
    if lead is not None and (found := lead.match(text)):
        start, text = start + found.end(), text[found.end() :]
    if kind == PHONE and text.startswith("(") and ")" not in text:
        # A number written in brackets, "(07700 900982)": the bracket is the sentence's.
        start, text = start + 1, text[1:]
    return Finding(kind=kind, start=start, end=start + len(text), text=text)


def personal_data_in(text: str) -> list[Finding]:
    """What looks like personal data in ``text``, in order, without overlaps (the earlier and
    then the longer stretch wins)."""
    found = sorted(
        (_trimmed(kind, match) for kind, pattern in _PATTERNS for match in pattern.finditer(text or "")),
        key=lambda finding: (finding.start, -finding.end),
    )
    kept: list[Finding] = []
    for finding in found:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def redacted(text: str) -> str:
    """``text`` with each stretch that looks like personal data replaced by what it was."""
    parts, position = [], 0
    for finding in personal_data_in(text):
        parts += [text[position : finding.start], finding.replacement]
        position = finding.end
    return "".join([*parts, text[position:]])


def segments(text: str) -> list[tuple[str, Finding | None]]:
    """``text`` cut into plain stretches (None) and findings, to show them marked in a page."""
    parts: list[tuple[str, Finding | None]] = []
    position = 0
    for finding in personal_data_in(text):
        if finding.start > position:
            parts.append((text[position : finding.start], None))
        parts.append((finding.text, finding))
        position = finding.end
    if position < len(text or ""):
        parts.append((text[position:], None))
    return parts


def kinds_found(text: str) -> list[str]:
    """The labels of the kinds of personal data found, each once, in order of appearance."""
    labels: list[str] = []
    for finding in personal_data_in(text):
        if finding.label not in labels:
            labels.append(finding.label)
    return labels


_SUBJECT = r"(?:someone|somebody|some ?one|a man|a woman|a group|people|they|he|she|my \w+)"
_NOW = r"(?:\s+is|\s+are|'s|'re)"
# A weapon named as a thing someone holds, not a topic ("knife crime", "a knife amnesty").
_WEAPON = r"(?:knife|knives|gun|guns|machete|blade|weapon|firearm)\b(?!\s+(?:crime|amnesty|bin|arch|surrender))"
_EMERGENCY = re.compile(
    "|".join(
        [
            # A break-in happening or just happened.
            rf"\b{_SUBJECT}{_NOW}\s+(?:breaking\s+in|trying\s+to\s+(?:break|get)\s+in)",
            rf"\b{_SUBJECT}\s+(?:has|have)\s+(?:just\s+)?broken\s+in",
            rf"\b{_SUBJECT}(?:{_NOW})?\s+in\s+(?:my|our)\s+(?:house|home|flat|garden|room|bedroom|garage)\b",
            # Someone armed: "he has a knife", "a man with a gun", "waving a machete".
            rf"\b(?:has|have|had|got|holding|carrying|waving|pulled|with)\s+(?:out\s+)?(?:a|an|two|some)?\s*{_WEAPON}",
            # Fear for one's safety or life, threats, violence happening.
            r"\b(?:scared|afraid|frightened|terrified|fear(?:ful)?)\s+for\s+(?:my|our|his|her|their|the)\s+(?:own\s+)?(?:safety|life|lives)\b",
            # "I feel unsafe in the park at night" is a PACT concern; "I am in danger" is not.
            r"\b(?:i am|i'm|we are|we're|he is|she is|they are)\s+in\s+danger\b",
            r"\b(?:i am|i'm|we are|we're)\s+not\s+safe\b",
            # A threat to someone, not "someone is going to kill a child driving like that".
            r"\bthreaten(?:s|ed|ing)?\s+to\s+(?:kill|stab|hurt|shoot|attack)\b",
            r"\bgo(?:ing|nna)\s+(?:to\s+)?(?:kill|stab|hurt|shoot|attack)\s+(?:me|us|him|her|them)\b",
            r"\bbeing\s+(?:attacked|assaulted|beaten|stabbed|followed|hurt)\b",
            r"\bhappening\s+(?:right\s+)?now\b",
        ]
    ),
    re.IGNORECASE,
)


def reads_like_emergency(*texts: str) -> bool:
    """Whether any of ``texts`` reads like a crime in progress or someone in danger now."""
    return any(_EMERGENCY.search((text or "").replace("’", "'")) for text in texts)


SEND_ANYWAY = "send_anyway"


def emergency_panel_needed(sent: dict, *texts: str) -> bool:
    """Whether to show, before sending, the "call 999 now" panel: ``texts`` read like an emergency
    and the person has not yet chosen to send anyway (``sent``: the submitted form data)."""
    return reads_like_emergency(*texts) and sent.get(SEND_ANYWAY) != "yes"
