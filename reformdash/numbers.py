"""Number formatting that keeps the precision as written.

Babel would round (99.99 -> 100 with some patterns); a public figure must
show exactly the digits the department wrote, so we format Decimals here.
"""
from __future__ import annotations

from decimal import Decimal


def format_decimal(value: Decimal, decimal: str, thousands: str) -> str:
    """Exactly the digits written, grouped by three: (1076, ',', '.') -> '1.076'."""
    sign = "-" if value < 0 else ""
    text = format(value.copy_abs(), "f")  # (abs() rounds to the context's 28 digits; copy_abs never rounds)
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + thousands.join(groups)
    return f"{out}{decimal}{fraction}" if fraction else out


def format_vi(value: Decimal) -> str:
    """1076 -> '1.076'; Decimal('99.99') -> '99,99'; Decimal('50.0') -> '50,0'."""
    return format_decimal(value, ",", ".")


def other_digit(text: str) -> str:
    """The first digit of another script in `text` ('੧' in '੧৪'), or "".

    int() and Decimal() read any script's digits: '੧৪' (which looks like 98) would be read as 14.
    A figure is published only when written with 0-9.
    """
    return next((c for c in text if c.isdecimal() and not "0" <= c <= "9"), "")


def digit_named(char: str) -> str:
    """'੧' -> "'੧' (U+0A67)": the code point, since the glyph may look like another digit."""
    return f"'{char}' (U+{ord(char):04X})"


def read_as(text: str) -> str:
    """What int() would have made of a figure: '੧৪' -> '14'."""
    return "".join(str(int(c)) if c.isdecimal() else c for c in text)
