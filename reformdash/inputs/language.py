"""The languages the site is published in, and how each one writes text, numbers and dates.

Vietnamese is the source: templates and page code write their text in
Vietnamese, and templates/i18n/<code>.yaml gives each other language its
translation of every such text, its number and date conventions and the
names of units. The catalogue carries its own labels in each language
(label_vi/label_en, name_vi/name_en). Text that exists only in Vietnamese
(notes, narratives, plan tasks) stays Vietnamese and is marked lang="vi".
"""
from __future__ import annotations

import datetime
import string
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .fields import Fields, expect_mapping
from .load import Mapping, Scalar, listed, read_yaml_file
from ..numbers import format_decimal
from ..problems import Collector, Origin, relative_name

SOURCE = "vi"  # the language templates and page code are written in
NAVIGATION = "nav|"  # translation keys of section names as the navigation shows them
_FORMAT = string.Formatter()


@dataclass(frozen=True)
class Language:
    code: str  # "vi", "en": the lang attribute and the suffix of catalogue fields (label_en)
    name: str  # in the language itself, for the switcher: "Tiếng Việt", "English"
    locale: str  # Open Graph locale: "vi_VN"
    prefix: str  # where its pages live under site/: "" for the default language, "en/"
    decimal: str
    thousands: str
    percent: str  # "{number} %": where the sign goes, and whether a space comes before it
    date_format: str  # "{day:02d}/{month:02d}/{year}" or "{day} {month_name} {year}"
    months: tuple[str, ...] = ()  # month names, January first, for {month_name}
    short_periods: tuple[tuple[str, str], ...] = ()  # period kind -> short label pattern, for chart axes
    units: tuple[tuple[str, str], ...] = ()  # Vietnamese unit -> this language's
    codes: tuple[tuple[str, str], ...] = ()  # warning code -> what it means, for pages in this language
    messages: tuple[tuple[str, str], ...] = ()  # Vietnamese text -> this language's
    _lookup: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._lookup.update({("m", k): v for k, v in self.messages})
        self._lookup.update({("u", k): v for k, v in self.units})
        self._lookup.update({("c", k): v for k, v in self.codes})
        self._lookup.update({("p", k): v for k, v in self.short_periods})

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE

    # -- text ----------------------------------------------------------------------
    def t(self, text: str, **values: object) -> str:
        """`text` (Vietnamese, with {named} places) in this language, the places filled in."""
        out = text if self.is_source else self._lookup.get(("m", text), text)
        return out.format(**values) if values else out

    def section(self, text: str) -> str:
        """A section's name in the navigation: Vietnamese "Đơn vị" is "Departments" there, "Department" elsewhere."""
        return text if self.is_source else self._lookup.get(("m", NAVIGATION + text)) or self.t(text)

    def label(self, thing: object, stem: str = "label") -> str:
        """A catalogue object's label in this language (label_en), or its Vietnamese one when it has none."""
        return getattr(thing, f"{stem}_{self.code}", "") or getattr(thing, f"{stem}_{SOURCE}")

    def unit(self, unit: str) -> str:
        return self._lookup.get(("u", unit), unit)

    def code_meaning(self, code: str) -> str:
        """What a warning code means, for pages whose warning details stay in Vietnamese."""
        return self._lookup.get(("c", code), "")

    def period_short(self, period: object) -> str:
        pattern = self._lookup.get(("p", getattr(period, "kind")))
        if pattern:
            return pattern.format(year=getattr(period, "year"))
        return getattr(period, "short_vi") or getattr(period, "label_vi")

    # -- figures -------------------------------------------------------------------
    def number(self, value: Decimal) -> str:
        """Exactly the digits written (never rounded), with this language's separators."""
        return format_decimal(value, self.decimal, self.thousands)

    def percent_text(self, value: Decimal) -> str:
        return self.percent.format(number=self.number(value))

    def date(self, day: datetime.date) -> str:
        return self.date_format.format(day=day.day, month=day.month, year=day.year,
                                       month_name=self.months[day.month - 1] if self.months else day.month)


def _pairs(f: Fields, key: str, problems: Collector) -> tuple[tuple[str, str], ...]:
    node = f.mapping(key)
    pairs = []
    for k, v in node.items if node else ():
        if not isinstance(v, Scalar) or v.is_null:
            problems.error("E408", f"'{k.text}' in '{key}' has no translation", k.origin,
                           "write the translation after the colon, in quotes if it holds a colon")
            continue
        pairs.append((k.text, v.text))
    return tuple(pairs)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in _FORMAT.parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced brace>"}


def _language(path: Path, root: Path, problems: Collector) -> Language | None:
    name = relative_name(path, root)
    node = expect_mapping(read_yaml_file(path, name, problems, root), problems, name)
    if node is None:
        return None
    f = Fields(node, problems, name)
    f.check_keys(["code", "name", "locale", "prefix", "decimal", "thousands", "percent", "date", "months",
                  "period_short", "units", "codes", "messages"])
    code = f.slug("code")
    if code and code != path.stem:
        problems.error("E408", f"language file {path.name} says code '{code}'", f.origin_of("code"),
                       f"name the file {code}.yaml, or set code: {path.stem}")
    messages = _pairs(f, "messages", problems)
    for source, translated in messages:
        if _placeholders(source) != _placeholders(translated):
            problems.error("E408", f"the translation of '{source}' must keep the places "
                                   f"{{{', '.join(sorted(_placeholders(source)))}}}",
                           _origin_of_key(f.mapping("messages"), source, f.origin),
                           "keep every {name} of the Vietnamese text, spelled the same")
    prefix = f.text("prefix", required=False)
    if prefix and not (prefix.endswith("/") and prefix.strip("/").isalnum()):
        problems.error("E408", f"prefix '{prefix}' must be a folder name ending in '/'", f.origin_of("prefix"),
                       "e.g. prefix: en/")
    months = f.text_list("months")
    if months and len(months) != 12:
        problems.error("E408", f"'months' lists {len(months)} names, not 12", f.origin_of("months"),
                       "list the twelve month names, January first")
    return Language(code=code, name=f.text("name"), locale=f.text("locale"), prefix=prefix,
                    decimal=f.raw_text("decimal", "."), thousands=f.raw_text("thousands", ","),
                    percent=f.raw_text("percent", "{number}%"), date_format=f.text("date"), months=months,
                    short_periods=_pairs(f, "period_short", problems), units=_pairs(f, "units", problems),
                    codes=_pairs(f, "codes", problems), messages=messages)


def _origin_of_key(node: Mapping | None, key: str, default: Origin) -> Origin:
    for k, _ in node.items if node else ():
        if k.text == key:
            return k.origin
    return default


def load_languages(templates_dir: Path, root: Path, problems: Collector) -> tuple[Language, ...]:
    """Every language of templates/i18n/, the source language (Vietnamese) first."""
    folder = templates_dir / "i18n"
    languages = [lang for path in sorted(listed(folder, "*.yaml")) if (lang := _language(path, root, problems))]
    languages.sort(key=lambda lang: (not lang.is_source, lang.code))
    if not languages or not languages[0].is_source:
        problems.error("E408", f"no {SOURCE}.yaml in {relative_name(folder, root)}", Origin(relative_name(folder, root)),
                       "the Vietnamese language file sets how numbers and dates are written")
        return tuple(languages)
    if languages[0].prefix:
        problems.error("E408", "the Vietnamese pages are the site's default: vi.yaml must not set a prefix",
                       Origin(relative_name(folder / "vi.yaml", root)), "remove 'prefix:' from vi.yaml")
    for lang in languages[1:]:
        if not lang.prefix:
            problems.error("E408", f"{lang.code}.yaml has no prefix", Origin(relative_name(folder / f"{lang.code}.yaml", root)),
                           f"e.g. prefix: {lang.code}/ (its pages are built under site/{lang.code}/)")
    return tuple(languages)


def language_of(path: str, languages: tuple[Language, ...]) -> Language:
    """The language of a file by its place under site/: the first whose folder holds it, else the default."""
    return next((lang for lang in languages[1:] if path.startswith(lang.prefix)), languages[0])
