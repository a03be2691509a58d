"""IMF Direction of Trade Statistics through the IMF's JSON RESTful web service.

``GET {base}/CompactData/DOT/{freq}.{reporter}.{indicator}.{partner}?startPeriod=&endPeriod=``
answers ``{"CompactData": {"DataSet": {"Series": ...}}}``; ``Series`` is one object or a
list, each with ``@REF_AREA``, ``@INDICATOR``, ``@COUNTERPART_AREA``, ``@UNIT_MULT`` (power of
ten) and ``Obs``: one object or a list of ``{"@TIME_PERIOD", "@OBS_VALUE"}``. Codes are the
IMF's two-letter area codes (``KZ``, ``RU``; ``W00`` = World); indicators ``TXG_FOB_USD``
(exports, FOB) and ``TMG_CIF_USD`` (imports, CIF).

The IMF is moving its data to an SDMX 3.0 portal (data.imf.org, dataset IMTS); ``base_url``
and the indicator codes are parameters so the fetcher can follow, but only this response
shape is parsed. See docs/indicators.md.

References
----------
IMF, "Data Services: JSON RESTful Web Service", https://datahelp.imf.org/knowledgebase/articles/667681
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..._deps import require
from ..._http import HttpClient
from ...errors import FetchError
from ..readers import TRADE_COLUMNS

__all__ = ["IMF_API", "IMF_AREAS", "fetch_imf_dots"]

IMF_API = "http://dataservices.imf.org/REST/SDMX_JSON.svc"
#: ISO3 (or group) -> IMF area code, for the codes multilat's tables use.
IMF_AREAS = {"KAZ": "KZ", "RUS": "RU", "BLR": "BY", "ARM": "AM", "KGZ": "KG", "CHN": "CN",
             "USA": "US", "TUR": "TR", "DEU": "DE", "ITA": "IT", "NLD": "NL", "FRA": "FR",
             "UZB": "UZ", "UKR": "UA", "WORLD": "W00"}
_INDICATORS = {"exports": "TXG_FOB_USD", "imports": "TMG_CIF_USD"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def fetch_imf_dots(reporter: str, partners: Sequence[str], *,
                   flows: Sequence[str] = ("exports", "imports"),
                   years: tuple[int, int] | None = None, client: HttpClient | None = None,
                   base_url: str = IMF_API) -> Any:
    """Download annual DOTS flows of ``reporter`` with ``partners`` as a tidy trade table.

    ``reporter`` and ``partners`` are ISO3 codes (or ``WORLD``); values come back in US$
    millions whatever the series' ``@UNIT_MULT``. Raises :class:`FetchError` when the service
    fails or answers an unexpected shape.
    """
    pandas = require("pandas", "data", "Fetching IMF DOTS data")
    client = client or HttpClient()
    codes = {IMF_AREAS.get(c, c): c for c in (reporter, *partners)}
    key = (f"A.{IMF_AREAS.get(reporter, reporter)}."
           f"{'+'.join(_INDICATORS[f] for f in flows)}."
           f"{'+'.join(IMF_AREAS.get(p, p) for p in partners)}")
    url = f"{base_url}/CompactData/DOT/{key}"
    params: dict[str, str | int] = {}
    if years is not None:
        params = {"startPeriod": years[0], "endPeriod": years[1]}
    payload = client.get_json(url, params)
    try:
        series = _as_list(payload["CompactData"]["DataSet"].get("Series"))
    except (KeyError, TypeError, AttributeError):
        raise FetchError(url, "an answer without CompactData.DataSet; expected the IMF "
                              "CompactData JSON shape") from None
    flow_of = {v: k for k, v in _INDICATORS.items()}
    records = []
    for one in series:
        try:
            scale = 10 ** (int(one.get("@UNIT_MULT", 6)) - 6)
            flow = flow_of[one["@INDICATOR"]]
            partner = codes.get(one["@COUNTERPART_AREA"], one["@COUNTERPART_AREA"])
            country = codes.get(one["@REF_AREA"], one["@REF_AREA"])
            for obs in _as_list(one.get("Obs")):
                if obs.get("@OBS_VALUE") in (None, ""):
                    continue
                records.append({"country": country, "country_name": country,
                                "partner": partner, "partner_name": partner, "flow": flow,
                                "year": int(str(obs["@TIME_PERIOD"])[:4]),
                                "value": float(obs["@OBS_VALUE"]) * scale, "estimate": False,
                                "source": "dataservices.imf.org"})
        except (KeyError, ValueError, TypeError) as error:
            raise FetchError(url, f"a series the parser cannot read ({error!r}); expected "
                                  "@INDICATOR, @REF_AREA, @COUNTERPART_AREA and Obs") from None
    frame = pandas.DataFrame.from_records(records, columns=list(TRADE_COLUMNS))
    return frame.sort_values(["flow", "partner", "year"]).reset_index(drop=True)
