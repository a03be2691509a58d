"""Online fetchers against recorded responses: no test touches the network."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from indicators_helpers import FETCHED, GDP_GROWTH, KAZ_WORKBOOK

from multilat.errors import FetchError
from multilat.indicators.fetch import HttpClient, fetch_imf_dots, fetch_worldbank_indicator
from multilat.indicators.readers import read_dots_workbook, read_wdi_long


class Replay:
    """A transport answering from recorded files, in order; records every request."""

    def __init__(self, *answers: tuple[int, str | bytes]) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str, headers: Mapping[str, str],
                 timeout: float) -> tuple[int, Mapping[str, str], bytes]:
        self.requests.append((url, dict(headers)))
        status, body = self.answers.pop(0)
        if isinstance(body, str) and body == "OSError":
            raise OSError("connection refused")
        data = (FETCHED / body).read_bytes() if isinstance(body, str) else body
        return status, {}, data


def _client(tmp_path: Path, replay: Replay, **options: object) -> HttpClient:
    waits: list[float] = []
    return HttpClient(cache_dir=tmp_path / "cache", opener=replay, sleep=waits.append,
                      **options)  # type: ignore[arg-type]


def test_worldbank_pages_values_and_user_agent(tmp_path: Path) -> None:
    replay = Replay((200, "worldbank_kaz_gdp_page1.json"), (200, "worldbank_kaz_gdp_page2.json"))
    frame = fetch_worldbank_indicator("NY.GDP.MKTP.KD.ZG", ["KAZ"], years=(2009, 2020),
                                      client=_client(tmp_path, replay))
    assert len(replay.requests) == 2 and "page=2" in replay.requests[1][0]
    assert replay.requests[0][1]["User-Agent"].startswith("multilat/")
    wdi = read_wdi_long(GDP_GROWTH)
    expected = wdi[(wdi.country == "KAZ") & wdi.year.between(2009, 2019)]
    assert frame.year.tolist() == expected.year.tolist()
    assert frame.value.tolist() == pytest.approx(expected.value.tolist())


def test_cache_answers_the_second_call(tmp_path: Path) -> None:
    replay = Replay((200, "worldbank_kaz_gdp_page1.json"), (200, "worldbank_kaz_gdp_page2.json"))
    client = _client(tmp_path, replay)
    first = fetch_worldbank_indicator("NY.GDP.MKTP.KD.ZG", ["KAZ"], client=client)
    second = fetch_worldbank_indicator("NY.GDP.MKTP.KD.ZG", ["KAZ"], client=client)
    assert len(replay.requests) == 2 and first.equals(second)


def test_retries_with_backoff_then_succeeds(tmp_path: Path) -> None:
    waits: list[float] = []
    replay = Replay((503, b""), (200, "OSError"), (429, b""), (200, "imf_dots_kaz_rus_world.json"))
    client = HttpClient(cache_dir=None, opener=replay, sleep=waits.append, retries=3)
    frame = fetch_imf_dots("KAZ", ["RUS", "WORLD"], client=client)
    assert waits == [1.0, 2.0, 4.0] and not frame.empty


def test_gives_up_after_the_retries(tmp_path: Path) -> None:
    replay = Replay((503, b""), (503, b""))
    client = HttpClient(cache_dir=None, opener=replay, sleep=lambda s: None, retries=1)
    with pytest.raises(FetchError, match="gave up after 2 attempts"):
        client.get_json("https://example.invalid/x")


def test_worldbank_error_message_is_reported(tmp_path: Path) -> None:
    replay = Replay((200, "worldbank_error.json"))
    with pytest.raises(FetchError, match="Invalid value"):
        fetch_worldbank_indicator("NOPE", ["KAZ"], client=_client(tmp_path, replay))


def test_not_json_and_http_errors(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="not JSON"):
        _client(tmp_path, Replay((200, b"<html>"))).get_json("https://example.invalid/a")
    with pytest.raises(FetchError) as caught:
        _client(tmp_path, Replay((404, b""))).get_json("https://example.invalid/b")
    assert caught.value.status == 404


def test_imf_values_match_the_workbook(tmp_path: Path) -> None:
    replay = Replay((200, "imf_dots_kaz_rus_world.json"))
    frame = fetch_imf_dots("KAZ", ["RUS", "WORLD"], years=(2009, 2019),
                           client=_client(tmp_path, replay))
    assert "CompactData/DOT/A.KZ.TXG_FOB_USD+TMG_CIF_USD.RU+W00" in replay.requests[0][0]
    book = read_dots_workbook(KAZ_WORKBOOK)
    row = frame[(frame.partner == "RUS") & (frame.flow == "imports") & (frame.year == 2015)]
    expected = book[(book.partner == "RUS") & (book.flow == "imports") & (book.year == 2015)]
    assert row.value.iloc[0] == pytest.approx(expected.value.iloc[0])


def test_imf_single_series_and_unit_multiplier(tmp_path: Path) -> None:
    replay = Replay((200, "imf_dots_single_series.json"))
    frame = fetch_imf_dots("KAZ", ["RUS"], flows=["exports"], client=_client(tmp_path, replay))
    recorded = json.loads((FETCHED / "imf_dots_single_series.json").read_text())
    obs = recorded["CompactData"]["DataSet"]["Series"]["Obs"]
    assert frame.value.iloc[0] == pytest.approx(float(obs["@OBS_VALUE"]) / 1000)
    assert frame.partner.iloc[0] == "RUS"


def test_imf_unexpected_shape(tmp_path: Path) -> None:
    replay = Replay((200, b'{"Error": "x"}'))
    with pytest.raises(FetchError, match="CompactData"):
        fetch_imf_dots("KAZ", ["RUS"], client=_client(tmp_path, replay))
