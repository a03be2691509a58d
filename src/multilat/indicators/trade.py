"""Trade-dependence indicators per country-year, from a tidy trade table (pandas only).

Formulas (every share in percent of the reporter's flow with the world, as the reporter
records it in IMF DOTS; values in US$ millions):

- ``share_pct`` of partner *p* in flow *f* (``exports``, ``imports`` or ``turnover`` =
  exports + imports) of country *c* in year *t*: ``100 * X[c,p,f,t] / X[c,WORLD,f,t]``.
- Groups: ``EU`` is the IMF's European Union aggregate; ``EAEU`` sums the regime's members
  in year *t* other than *c* (:func:`~multilat.indicators.groups.eaeu_members`); the
  alternatives ``CHN+EU`` sum China and the EU.
- ``hhi`` (on ``WORLD`` rows only): Herfindahl-Hirschman index of partner concentration,
  ``sum_i share_pct[i]**2`` over individual partner economies (rows with an ISO3 code), from
  0 to 10,000 (Hirschman 1945; Herfindahl 1950).
- ``members`` lists the economies summed for a group, ``missing`` those with no reported
  value that year (the share then understates the group: e.g. Russia's DOTS workbook has no
  trade with Belarus in 2009-2010). Evidence rules skip rows with missing members.
- ``trend_pp_per_year``: least-squares slope of ``share_pct`` over years *t*-2..*t* (three
  observations required), in percentage points per year.

References
----------
International Monetary Fund, Direction of Trade Statistics. Hirschman, A. O. (1945) *National
Power and the Structure of Foreign Trade*. Herfindahl, O. C. (1950) *Concentration in the U.S.
Steel Industry*, PhD thesis, Columbia University.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._deps import require
from ..errors import DataSourceError, InputError
from .groups import eaeu_members

__all__ = ["DEFAULT_PARTNERS", "TRADE_TABLE_COLUMNS", "trade_shares"]

#: Partners reported by default: the established power, the alternatives, the regime.
DEFAULT_PARTNERS = ("RUS", "CHN", "EU", "CHN+EU", "EAEU", "WORLD")
#: Columns of the table :func:`trade_shares` returns.
TRADE_TABLE_COLUMNS = ("country", "partner", "year", "flow", "share_pct", "value_usd_millions",
                       "world_usd_millions", "trend_pp_per_year", "hhi", "estimate",
                       "members", "missing", "source")
_WINDOW = 3


def _partner_values(rows: Any, partner: str, country: str,
                    year: int) -> tuple[float, bool, str, str]:
    """(value, any estimate, members summed, members with no data) of a partner or group."""
    if partner == "EAEU":
        members = [m for m in eaeu_members(year) if m != country]
    elif "+" in partner:
        members = partner.split("+")
    else:
        members = [partner]
    chosen = rows[rows["partner"].isin(members)]
    found = sorted(set(chosen["partner"]))
    missing = [m for m in members if m not in found]
    return (float(chosen["value"].sum()), bool(chosen["estimate"].any()),
            "+".join(found) if len(members) > 1 else "", "+".join(missing))


def trade_shares(trade: Any, country: str, *, partners: Sequence[str] = DEFAULT_PARTNERS,
                 years: tuple[int, int] | None = None) -> Any:
    """Shares of a country's exports, imports and turnover by partner, per year.

    Parameters
    ----------
    trade
        A tidy trade table (any reader of :mod:`multilat.indicators.readers`); rows whose
        ``country`` is ``country`` are used.
    country
        ISO3 code of the reporter.
    partners
        ISO3 codes and groups (``EU``, ``EAEU``, ``WORLD``, or ``A+B`` sums).
    years
        Optional inclusive ``(first, last)``; the trend still uses earlier years.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRADE_TABLE_COLUMNS`, one row per partner x year x flow.

    Raises
    ------
    InputError
        When the table has no row for ``country`` with the world.
    """
    pandas = require("pandas", "data", "Computing trade indicators")
    numpy = require("numpy", "data", "Computing trade indicators")
    own = trade[trade["country"] == country]
    own = own[own["partner"] != ""]
    if own.empty or not (own["partner"] == "WORLD").any():
        known = sorted(set(trade["country"]) - {""})
        raise InputError(f"no trade of {country!r} with WORLD in the table; expected one of: "
                         f"{', '.join(known) or '(no country)'}")
    repeated = own[own.duplicated(["partner", "flow", "year"], keep=False)]
    if not repeated.empty:
        first = repeated.iloc[0]
        same = repeated[(repeated["partner"] == first["partner"])
                        & (repeated["flow"] == first["flow"]) & (repeated["year"] == first["year"])]
        sources = ", ".join(sorted(set(same["source"].astype(str))))
        raise DataSourceError(sources, f"{country}'s {first['flow']} with {first['partner']} in "
                              f"{first['year']} given {len(same)} times",
                              "each flow once: give each reporter's data in one file")
    turnover = (own.groupby(["partner", "year"], as_index=False)
                .agg(value=("value", "sum"), estimate=("estimate", "any"),
                     source=("source", "first")))
    turnover["flow"] = "turnover"
    own = pandas.concat([own, turnover], ignore_index=True)
    records: list[dict[str, Any]] = []
    for (flow, year), rows in own.groupby(["flow", "year"], sort=True):
        world = rows[rows["partner"] == "WORLD"]
        if world.empty or float(world["value"].iloc[0]) <= 0:
            continue
        total = float(world["value"].iloc[0])
        economies = rows[rows["partner"].str.fullmatch(r"[A-Z]{3}") & (rows["partner"] != "EAEU")]
        hhi = float(((economies["value"] / total * 100) ** 2).sum())
        for partner in partners:
            value, estimate, members, missing = _partner_values(rows, partner, country,
                                                                 int(year))
            no_data = bool(missing) and not members  # none of the partner's members reported
            records.append({"country": country, "partner": partner, "year": int(year),
                            "flow": flow,
                            "share_pct": numpy.nan if no_data else 100 * value / total,
                            "value_usd_millions": value, "world_usd_millions": total,
                            "hhi": hhi if partner == "WORLD" else None,
                            "estimate": estimate, "members": members, "missing": missing,
                            "source": str(rows["source"].iloc[0])})
    table = pandas.DataFrame.from_records(records)
    table = table.sort_values(["partner", "flow", "year"]).reset_index(drop=True)
    trend = pandas.Series(numpy.nan, index=table.index, dtype="float64")
    for _, group in table.groupby(["partner", "flow"], sort=False):
        years_ = group["year"].to_numpy()
        shares = group["share_pct"].to_numpy()
        complete = (group["missing"] == "").to_numpy()
        for position, index in enumerate(group.index):
            window = slice(max(0, position - _WINDOW + 1), position + 1)
            x, y = years_[window], shares[window]
            # A trend needs three consecutive years, each with data from every member.
            if (len(x) == _WINDOW and x[-1] - x[0] == _WINDOW - 1
                    and complete[window].all() and numpy.isfinite(y).all()):
                trend[index] = round(float(numpy.polyfit(x, y, 1)[0]), 9)
    table["trend_pp_per_year"] = trend
    if years is not None:
        table = table[(table["year"] >= years[0]) & (table["year"] <= years[1])]
    order = {"exports": 0, "imports": 1, "turnover": 2}
    table = table.assign(_flow=table["flow"].map(order), _partner=table["partner"].map(
        {p: i for i, p in enumerate(partners)}))
    table = table.sort_values(["year", "_flow", "_partner"]).drop(columns=["_flow", "_partner"])
    return table[list(TRADE_TABLE_COLUMNS)].reset_index(drop=True)
