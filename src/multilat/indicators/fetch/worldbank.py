"""World Bank Indicators API (v2, JSON): one indicator for one or more countries.

``GET https://api.worldbank.org/v2/country/{codes}/indicator/{indicator}?format=json&
per_page=1000&date={first}:{last}&page={n}`` answers ``[metadata, records]`` where the metadata
holds ``page``, ``pages``, ``per_page``, ``total`` and each record ``indicator {id, value}``,
``country {id, value}``, ``countryiso3code``, ``date``, ``value``. An error is a one-element
list ``[{"message": [{"id", "key", "value"}]}]``.

References
----------
World Bank, "API Basic Call Structures" and "Indicator API Queries",
https://datahelpdesk.worldbank.org/knowledgebase/articles/898581
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..._deps import require
from ..._http import HttpClient
from ...errors import FetchError
from ..readers import MACRO_COLUMNS

__all__ = ["WORLD_BANK_API", "fetch_worldbank_indicator"]

WORLD_BANK_API = "https://api.worldbank.org/v2"
_MAX_PAGES = 100


def _is_data(payload: Any) -> bool:
    """Whether an answer is data (not the API's error shape), so that it may be cached."""
    return not (isinstance(payload, list) and len(payload) == 1
                and isinstance(payload[0], dict) and "message" in payload[0])


def fetch_worldbank_indicator(indicator: str, countries: Sequence[str], *,
                              years: tuple[int, int] | None = None,
                              client: HttpClient | None = None,
                              base_url: str = WORLD_BANK_API) -> Any:
    """Download one WDI indicator as a macro table (the columns of the WDI readers).

    Parameters
    ----------
    indicator
        A WDI code, e.g. ``NY.GDP.MKTP.KD.ZG``.
    countries
        ISO3 codes (or World Bank aggregate codes such as ``WLD``).
    years
        Optional inclusive ``(first, last)``.
    client
        The HTTP client (cache, retries, transport); default :class:`HttpClient()`.

    Raises
    ------
    FetchError
        When the API cannot be reached, reports an error, or answers an unexpected shape.
    """
    pandas = require("pandas", "data", "Fetching World Bank data")
    client = client or HttpClient()
    url = f"{base_url}/country/{';'.join(countries)}/indicator/{indicator}"
    params: dict[str, str | int] = {"format": "json", "per_page": 1000}
    if years is not None:
        params["date"] = f"{years[0]}:{years[1]}"
    records: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= min(pages, _MAX_PAGES):
        payload = client.get_json(url, {**params, "page": page}, cacheable=_is_data)
        if (isinstance(payload, list) and len(payload) == 1 and isinstance(payload[0], dict)
                and "message" in payload[0]):
            messages = "; ".join(f"{m.get('key')}: {m.get('value')}"
                                 for m in payload[0]["message"])
            raise FetchError(url, f"the World Bank API reports: {messages}")
        if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
            raise FetchError(url, "an answer that is not [metadata, records]; expected the "
                                  "World Bank API v2 JSON shape")
        meta, rows = payload
        pages = int(meta.get("pages") or 1)
        for row in rows or []:
            if row.get("value") is None:
                continue
            try:
                records.append({"country": row.get("countryiso3code") or row["country"]["id"],
                                "country_name": row["country"]["value"],
                                "indicator": row["indicator"]["id"], "year": int(row["date"]),
                                "value": float(row["value"]), "source": "api.worldbank.org"})
            except (KeyError, TypeError, ValueError) as error:
                raise FetchError(url, f"a record without a usable {error} ({str(row)[:80]})"
                                 "; expected country, indicator, date and value") from None
        page += 1
    frame = pandas.DataFrame.from_records(records, columns=list(MACRO_COLUMNS))
    return frame.sort_values(["country", "year"]).reset_index(drop=True)
