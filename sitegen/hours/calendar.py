"""Public-holiday and make-up working-day calendar, backed by the ``holidays`` library."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

import holidays
from holidays import HolidayBase

# Holiday names are only parsed (never shown), so ask for English where the
# country supports it; the parser below adapts to whatever language is used.
_NAME_LANGUAGE = "en_US"


class HolidayCalendar:
    """Days off and make-up working days (调休) for one country or region."""

    __slots__ = ("_country", "_days_off", "_language", "_loaded", "_makeup")

    def __init__(self, country: str = "CN", years: Iterable[int] = ()) -> None:
        """Calendar for ``country`` ("CN", "TW", "HK", "MO", ...); ``years`` are loaded up front."""
        code = country.upper()
        try:
            probe = holidays.country_holidays(code, years=())
        except NotImplementedError as exc:
            raise ValueError(f"unsupported holiday country code {country!r}") from exc
        languages = getattr(probe, "supported_languages", ())
        self._country = code
        self._language = _NAME_LANGUAGE if _NAME_LANGUAGE in languages else None
        self._loaded: set[int] = set()
        self._days_off: set[date] = set()
        self._makeup: dict[date, int] = {}
        for year in years:
            self._ensure(year)

    @property
    def country(self) -> str:
        """The upper-case country code this calendar was built for."""
        return self._country

    def is_public_holiday(self, d: date) -> bool:
        """True if ``d`` is a day off for a public holiday (observed and substituted days too)."""
        if d.year not in self._loaded:
            self._ensure(d.year)
        return d in self._days_off

    def makeup_weekday(self, d: date) -> int | None:
        """For a make-up working day (调休), the weekday (0=Mon) whose hours apply; else None."""
        if d.year not in self._loaded:
            self._ensure(d.year)
        return self._makeup.get(d)

    def weekday(self, d: date) -> int:
        """The weekday whose hours apply on ``d``: its own, or the swapped one on a make-up day."""
        makeup = self.makeup_weekday(d)
        return d.weekday() if makeup is None else makeup

    def is_school_holiday(self, d: date) -> bool:
        """School holidays are not known for any region yet: ``SH`` selects no day."""
        return False

    def _ensure(self, year: int) -> None:
        if year in self._loaded:
            return
        # Neighbouring years are loaded too because a swap can cross New Year
        # (e.g. a working Saturday in late December paid back in January).
        table = holidays.country_holidays(
            self._country, years=(year - 1, year, year + 1), language=self._language
        )
        self._days_off.update(d for d in table if d.year == year)
        swaps = _swapped_days(table)
        for worked in table.weekend_workdays:
            if worked.year != year or worked.weekday() < 5 or worked in table:
                continue
            day_off = swaps.get(worked)
            if day_off is not None and day_off.weekday() < 5:
                self._makeup[worked] = day_off.weekday()
            else:
                self._makeup[worked] = 0  # no usable swap info: follow Monday
        self._loaded.add(year)


class FixedCalendar:
    """A calendar given as lists: days off, make-up working days, school holidays."""

    __slots__ = ("_days_off", "_makeup", "_school", "country")

    def __init__(
        self,
        days_off: Iterable[date] = (),
        makeup: Mapping[date, int] | None = None,
        school: Iterable[date] = (),
        country: str = "",
    ) -> None:
        """``makeup`` maps each make-up working day to the weekday (0 = Monday) it works as."""
        self._days_off = frozenset(days_off)
        self._makeup = dict(makeup or {})
        self._school = frozenset(school)
        self.country = country

    def is_public_holiday(self, d: date) -> bool:
        """True if ``d`` is one of the days off."""
        return d in self._days_off

    def makeup_weekday(self, d: date) -> int | None:
        """For a make-up working day, the weekday whose hours apply; else None."""
        return self._makeup.get(d)

    def weekday(self, d: date) -> int:
        """The weekday whose hours apply on ``d``."""
        return self._makeup.get(d, d.weekday())

    def is_school_holiday(self, d: date) -> bool:
        """True if ``d`` is in the school holidays."""
        return d in self._school


def _swapped_days(table: HolidayBase) -> dict[date, date]:
    """Map make-up working days to the day off they pay for, read from substituted-day names."""
    # ``holidays`` has no public API for this pairing; it only writes the
    # worked date into the day off's name via ``substituted_label`` %
    # ``substituted_date_format``, so invert exactly that formatting.
    translate = getattr(table, "tr", None)
    label = getattr(table, "substituted_label", None)
    date_format = getattr(table, "substituted_date_format", None)
    if not callable(translate) or not isinstance(label, str) or not isinstance(date_format, str):
        return {}
    prefix, marker, suffix = str(translate(label)).partition("%s")
    if not marker:
        return {}
    fmt = str(translate(date_format))
    swaps: dict[date, date] = {}
    for day_off in sorted(table):
        for name in table.get_list(day_off):
            if len(name) <= len(prefix) + len(suffix):
                continue
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            raw = name[len(prefix) : len(name) - len(suffix)]
            try:
                worked = datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
            swaps.setdefault(worked, day_off)
    return swaps
