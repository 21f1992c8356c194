"""An amount in English words, as a receipt states it beside the digits."""

from __future__ import annotations

from decimal import Decimal

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return words


def integer_in_words(n: int) -> str:
    if n < 0:
        return "minus " + integer_in_words(-n)
    if n < 1000:
        return " ".join(_below_thousand(n))
    words: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            words += [integer_in_words(n // scale), name]
            n %= scale
    if n:
        words += _below_thousand(n)
    return " ".join(words)


def amount_in_words(amount: Decimal, currency: str) -> str:
    """`150000.50, IDR` → "one hundred fifty thousand IDR and 50/100"."""
    whole = int(amount)
    cents = int((abs(amount) - abs(whole)) * 100)
    text = f"{integer_in_words(whole)} {currency}"
    return f"{text} and {cents:02d}/100" if cents else text
