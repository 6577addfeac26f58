"""Chinese and English opening-hours forms rewritten to OSM syntax (see docs/hours.md).

The language modules mark what they recognise as OSM tokens; this module puts the tokens
together into rules (a day selector starts a rule, the times after it belong to it) and
checks the result with the grammar. Prose that follows the hours is kept as a comment;
prose anywhere else means the value is not understood, and nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.hours.grammar import parse_rules
from sitegen.hours.normalise_en import mark_english
from sitegen.hours.normalise_text import CLOSE, OPEN, Notes, clean, take_notes
from sitegen.hours.normalise_zh import mark_chinese
from sitegen.hours.rules import HoursSyntaxError

_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_PIECES = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}|([^{OPEN}]+)")
_SELECTOR = re.compile(r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su|PH))*")
_TIME = re.compile(r"\d\d:\d\d-\d\d:\d\d|24/7")
_STATE = {"off", "open"}
# Words and marks that say nothing more than the tokens around them.
_FILLER = re.compile(
    r"^(?:[\s,;:.、，；：。/&*|+-]|and|from|hrs?|hours|opening|open(?:ing)? hours|每|每週|每周|"
    r"全年|照常|時間|时间|開放時間|开放时间|營業時間|营业时间|开放|開放|期間|期间|[及和與与])*$",
    re.IGNORECASE,
)
_TIMES_ONLY = re.compile(
    r"[\s\d:.apmAPM-]*(?:to|-)[\s\d:.apmAPM]*|(?:上午|下午|晚上|早上)?[\d:\s]+-(?:上午|下午|晚上)?[\d:\s]+"
)


# Prose kept as a comment: two Han characters or two words, and no digits (checked apart).
_NOTE_LIKE = re.compile(r"[\u4e00-\u9fff]{2}|[A-Za-z]{2,}\W+[A-Za-z]{2,}")
# An ASCII value is rewritten only when it reads as English prose, not as mistyped OSM.
ENGLISH_PROSE = re.compile(
    r"\b(?:a\.?m|p\.?m|to|daily|hours|hrs?|noon|mid-?night|every|closed?|except"
    r"|mon|tues?|wed|thurs?|fri|sat|sun)[a-z.]*\b|\d(?:a\.?m|p\.?m)\b",
    re.IGNORECASE,
)


@dataclass
class _Rule:
    wide: list[str] = field(default_factory=list)  # seasons and dates
    days: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    state: str = ""
    comment: str = ""

    @property
    def empty(self) -> bool:
        return not (self.wide or self.days or self.times or self.state or self.comment)

    def osm(self) -> str:
        if self.times == ["24/7"] and self.days == ["Mo-Su"]:
            self.days = []
        parts = [
            ",".join(self.wide).replace("_", " "),
            ",".join(self.days),
            ",".join(self.times),
        ]
        state = self.state or ("open" if self.comment and (self.times or self.days) else "")
        parts += [state, f'"{self.comment}"' if self.comment else ""]
        return " ".join(p for p in parts if p)


def to_osm(text: str) -> str | None:
    """The OSM form of a Chinese or English ``text``, or None when no known form fits."""
    plain, notes = take_notes(clean(text), _TIMES_ONLY)
    marked = mark_english(mark_chinese(plain))
    rules = _assemble(marked)
    if rules is None:
        return None
    osm = "; ".join(r.osm() for r in _with_notes(rules, notes))
    try:
        parse_rules(osm)
    except HoursSyntaxError:
        return None
    return osm


_WIDE = r"(?:\d{4}_)?[A-Z][a-z]{2}(?:_\d\d)?(?![-,#\d_])"
_WIDE_RANGE = re.compile(f"{OPEN}({_WIDE}){CLOSE}\\s*(?:-|至|到)\\s*{OPEN}({_WIDE}){CLOSE}")


def _assemble(marked: str) -> list[_Rule] | None:
    """Rules from marked tokens; None if unrecognised prose comes before or between them."""
    marked = _WIDE_RANGE.sub(lambda m: f"{OPEN}{m[1]}-{m[2]}{CLOSE}", marked)
    rules = [_Rule()]
    trailing: list[str] = []
    for m in _PIECES.finditer(marked):
        token, prose = m[1], m[2]
        if prose is not None:
            if not _FILLER.match(prose.strip()):
                trailing.append(prose.strip())
            continue
        if trailing:
            return None  # prose between recognised parts: not understood
        rule = rules[-1]
        if _SELECTOR.fullmatch(token):
            if rule.times or rule.state:
                rule = _Rule()
                rules.append(rule)
            rule.days.append(token)
        elif _TIME.fullmatch(token):
            if rule.state:
                rule = _Rule(days=list(rule.days))
                rules.append(rule)
            rule.times.append(token)
        elif token in _STATE:
            rule.state = "open" if token == "open" and rule.state != "off" else token
        else:  # a season or a date; lunar dates carry their words after "#"
            if rule.times or rule.state or rule.days:
                rule = _Rule()
                rules.append(rule)
            dates, _, words = token.partition("#")
            rule.wide.append(dates)
            rule.comment = rule.comment or words
    found: list[_Rule] = []
    for rule in rules:
        if rule.empty:
            continue
        before = found[-1] if found else None
        # "7 am to 11 pm daily", "…: Close": days after the times they qualify.
        if before and not (rule.times or rule.state) and not before.days and before.times:
            before.days, before.state = rule.days, rule.state or before.state
            continue
        found.append(rule)
    if not any(r.times or r.days or r.wide or r.state == "off" for r in found):
        return None  # nothing but "open" and prose: no hours to read
    if trailing:
        note = " ".join(trailing).strip(" ,;:.，；：。")
        if not _NOTE_LIKE.search(note) or re.search(r"\d", note):
            return None  # "foo", "08:00-": a typo, not a note
        found[-1].comment = note.replace('"', "'")
    first = found[0]
    if first.times in (["24/7"], ["00:00-24:00"]) and not (first.days or first.wide):
        first.times = ["24/7"]
    elif first.times and not (first.days or first.wide):
        first.days = ["Mo-Su"]  # as the importer has always written times for every day
    for rule in found:
        if rule.state == "open" and not rule.times and not rule.comment and not rule.days:
            rule.state = ""
    return found


def _with_notes(rules: list[_Rule], notes: Notes) -> list[_Rule]:
    """Rules plus what the notes say: comments, "except public holidays", "closed unless PH"."""
    out = list(rules)
    comments = []
    for note in notes.comments:
        # "（除夕休館）": a note that is itself a closing rule becomes that rule.
        extra = _assemble(mark_english(mark_chinese(note)))
        if extra and all(r.state == "off" and (r.days or r.wide) for r in extra):
            out.extend(extra)
        else:
            comments.append(note)
    if comments:
        last = rules[-1]
        last.comment = "; ".join(filter(None, [last.comment, *comments]))
    if notes.closed_unless_ph is not None:
        day = _DAYS[notes.closed_unless_ph]
        times = [t for r in rules for t in r.times]
        out.append(_Rule(days=[day], state="off"))
        if times and len({tuple(r.times) for r in rules if r.times}) == 1:
            out.append(_Rule(days=[f"PH {day}"], times=rules[0].times))  # PH and that day
    if notes.except_ph:
        out.append(_Rule(days=["PH"], state="off"))
    return out
