"""Partner codes and groups: IMF partner names to ISO3, and the EAEU's members by year.

Group codes used in trade tables: ``WORLD`` (the IMF's "World" total), ``EU`` (the IMF's
"European Union" aggregate as the DOTS workbook gives it) and ``EAEU`` (the regime's members
other than the reporter, summed; see :func:`eaeu_members`).
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

__all__ = ["EAEU_CITATION", "GROUP_NAMES", "eaeu_members", "partner_code"]

#: Aggregates of the IMF DOTS workbooks that multilat names with a group code.
GROUP_NAMES = {"World": "WORLD", "European Union": "EU"}

#: Sources of the membership dates (keys of the data bibliography).
EAEU_CITATION = "eaeu2014treaty"

_FOUNDERS = ("BLR", "KAZ", "RUS")


def eaeu_members(year: int) -> tuple[str, ...]:
    """ISO3 codes of the members of the Russia-led customs regime in ``year``.

    The Customs Union of Belarus, Kazakhstan and Russia came into force on 1 January 2010
    (common external tariff from 2010, internal customs borders removed in July 2011), became
    the Common Economic Space in 2012 and the Eurasian Economic Union on 1 January 2015.
    Armenia joined on 2 January 2015 and Kyrgyzstan on 12 August 2015; both count from 2015
    (annual data cannot split a year). Before 2010 the three founders are used, so that the
    series is comparable across the union's entry into force; a table user who wants no
    regime before 2010 filters on the year.

    References
    ----------
    Treaty on the Eurasian Economic Union, Astana, 29 May 2014; Treaties of accession of
    Armenia (10 October 2014) and Kyrgyzstan (23 December 2014).
    """
    return (*_FOUNDERS, "ARM", "KGZ") if year >= 2015 else _FOUNDERS


@functools.cache
def _names() -> dict[str, str]:
    path = resources.files("multilat") / "data" / "dots" / "dots_partner_names.csv"
    with path.open(encoding="utf-8") as stream:
        return {row["name"]: row["iso3"] for row in csv.DictReader(stream)}


def partner_code(name: str) -> str:
    """ISO3 (or group code) of an IMF DOTS country name; ``''`` for other aggregates.

    >>> partner_code("Russian Federation"), partner_code("World"), partner_code("Africa")
    ('RUS', 'WORLD', '')
    """
    name = name.strip()
    return GROUP_NAMES.get(name) or _names().get(name, "")
