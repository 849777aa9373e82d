"""Numbers typed by a person, read as they mean them: the one parser behind every field that takes a number.

Read: 1.124, -0.0190, +3, −0.5 (a real minus sign), .5, 1.2e-2, 1.2×10^-3, 28*28, 2^-3, 3/4, (1-0.2)*3,
23,860 and 23 860 (thousands separators, as the app prints 10,000), 0,75 (a decimal comma: 0,75 cannot be a
thousands separator). An ambiguous comma (1,234) is read as a thousands separator and the reading says so.
Never eval: a small grammar, bounded, and a message that says what was not understood.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_LENGTH = 200       # longer text is not a number anyone types
MAX_DEPTH = 20        # brackets inside brackets
MAX_EXPONENT = 1000    # in a ^ b: |b| at most this (2^1000 is still a float; 10^10^10 is not)
SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
GROUPS = SPACES + "_"  # thousands separators besides the comma (1_000 as Python writes it)
_REPLACE = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2217": "*",
            "\u00f7": "/", "\u2044": "/", "**": "^"}
_COMMA_THOUSANDS = re.compile(r"(\d{1,3})((?:,\d{3})+)(?!\d)(\.\d*)?")
_SPACE_THOUSANDS = re.compile(rf"(\d{{1,3}})((?:[{GROUPS}]\d{{3}})+)(?![\d])(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"(\d+),(\d+)(?![\d.,])")
_PLAIN = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_EXPONENT = re.compile(r"[eE][+-]?\d+")


class NotANumber(ValueError):
    """The text is not a number; the message says what was not understood, in words a learner can act on."""


@dataclass(frozen=True)
class Reading:
    """A number read from text, and a note when the text could have meant something else (e.g. '1,234')."""

    value: float
    note: str = ""


class _Parser:
    def __init__(self, text: str):
        self.text, self.i, self.notes, self.depth = text, 0, [], 0

    def error(self, what: str = "") -> NotANumber:
        rest = self.text[self.i:].strip()
        if not what:
            what = f"could not read {rest[:20]!r}" if rest else "it ends too soon"
        return NotANumber(what)

    def skip(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in SPACES:
            self.i += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.i] if self.i < len(self.text) else ""

    def expression(self) -> float:
        value = self.product()
        while self.peek() in ("+", "-"):
            op = self.text[self.i]
            self.i += 1
            right = self.product()
            value = value + right if op == "+" else value - right
        return value

    def product(self) -> float:
        value = self.term()
        while self.peek() in ("*", "/"):
            op = self.text[self.i]
            self.i += 1
            right = self.term()
            if op == "*":
                value *= right
            elif right == 0:
                raise NotANumber("it divides by zero")
            else:
                value /= right
        return value

    def term(self) -> float:
        sign = 1.0
        if self.peek() in ("+", "-"):
            sign = -1.0 if self.text[self.i] == "-" else 1.0
            self.i += 1
            if self.peek() in ("+", "-"):
                raise NotANumber("two signs in a row")
        return sign * self.power()

    def power(self) -> float:
        base = self.atom()
        if self.peek() == "^":
            self.i += 1
            exponent = self.term()  # right-associative, and 2^-3 takes its sign
            if abs(exponent) > MAX_EXPONENT:
                raise NotANumber(f"the power {exponent:g} is too large")
            try:
                return float(base) ** exponent
            except (OverflowError, ZeroDivisionError):
                raise NotANumber("the power is too large (or 0 to a negative power)") from None
            except ValueError:
                raise NotANumber("a negative number to a fractional power is not a real number") from None
        return base

    def atom(self) -> float:
        c = self.peek()
        if c == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise NotANumber(f"more than {MAX_DEPTH} brackets inside each other")
            self.i += 1
            value = self.expression()
            self.depth -= 1
            if self.peek() != ")":
                raise self.error("a '(' is not closed")
            self.i += 1
            return value
        if c.isdigit() or c == ".":
            return self.number()
        if not c:
            raise self.error("it ends too soon" if self.text.strip() else "it is empty")
        raise self.error()

    def number(self) -> float:
        text, i = self.text, self.i
        m = _COMMA_THOUSANDS.match(text, i)
        if m and not _EXPONENT.match(text, m.end()):
            groups = m.group(2).count(",")
            decimal_comma = groups == 1 and not m.group(3) and m.group(1) == "0"  # 0,750 is 0.75
            if not decimal_comma:
                if groups == 1 and not m.group(3):
                    self.notes.append(f"read {m.group(0)} as {m.group(1)}{m.group(2)[1:]} (a thousands separator); "
                                      f"for a decimal comma write {m.group(1)}.{m.group(2)[1:]}")
                self.i = m.end()
                return float(m.group(1) + m.group(2).replace(",", "") + (m.group(3) or ""))
        m = _SPACE_THOUSANDS.match(text, i)
        if m and not _EXPONENT.match(text, m.end()):
            self.i = m.end()
            return float(m.group(1) + re.sub(f"[{GROUPS}]", "", m.group(2)) + (m.group(3) or ""))
        m = _DECIMAL_COMMA.match(text, i)
        if m:
            self.i = m.end()
            return float(f"{m.group(1)}.{m.group(2)}")
        m = _PLAIN.match(text, i)
        if not m:
            raise self.error()
        self.i = m.end()
        return float(m.group(0))


def read_number(text: str) -> Reading:
    """The number `text` means; NotANumber saying what was not understood."""
    t = text.strip()
    if len(t) > MAX_LENGTH:
        raise NotANumber(f"it is {len(t)} characters long (a number is at most {MAX_LENGTH})")
    for old, new in _REPLACE.items():
        t = t.replace(old, new)
    if not t:
        raise NotANumber("it is empty")
    if t.lstrip("+-").lower() in ("nan", "inf", "infinity"):
        raise NotANumber("numbers must be finite (no NaN or inf)")
    parser = _Parser(t)
    try:
        value = parser.expression()
    except OverflowError:
        raise NotANumber("it is too large") from None
    if parser.peek():
        raise parser.error()
    if not math.isfinite(value):
        raise NotANumber("it is too large")
    return Reading(value, "; ".join(parser.notes))


def parse_number(text: str) -> float | None:
    """The number `text` means, or None (see read_number for what is read)."""
    try:
        return read_number(text).value
    except NotANumber:
        return None


def read_whole(text: str) -> int:
    """A whole number: read_number's value when it is one (1e3 and 10,000 are); NotANumber otherwise."""
    value = read_number(text).value
    if not value.is_integer():
        raise NotANumber(f"{value:g} is not a whole number")
    return int(value)
