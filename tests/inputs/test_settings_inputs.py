"""Hostile settings files: located problems, never an exception or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from multilat import settings as settings_module
from multilat.errors import SettingsError
from multilat.settings import load_settings

HOSTILE = {
    "deep arrays": ("claims.weak_below = " + "[" * 5000 + "]" * 5000 + "\n", 1,
                    "nested too deep"),
    "deep inline tables": ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", 1,
                           "nested too deep"),
    "5000-digit integer": ("x = 1\nclaims.weak_below = " + "9" * 5000 + "\n", 2,
                           "a number too large"),
    "200-digit integer": ("claims.weak_below = " + "9" * 200 + "\n", 1, '999..."'),
    "syntax error": ("[claims]\nweak_below = \n", 2, "invalid TOML: Invalid value"),
    "unclosed array": ("x = 1\ny = [1,\n", 2, "invalid TOML"),
    "nul": ("x = 1\x00\n", 1, "invalid TOML"),
    "a key twice": ("a = 1\na = 2\n", 2, "Cannot overwrite a value"),
    "date": ("claims.weak_below = 1979-05-27\n", 1, "date 1979-05-27"),
    "array of tables": ("[[claims]]\nweak_below = 0.5\n", 1, "an unknown setting"),
    "a table where a value goes": ("[infer.strength]\nhoop = 1\n", 2, "an unknown setting"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_settings_are_located_problems(tmp_path: Path, name: str) -> None:
    text, line, found = HOSTILE[name]
    path = tmp_path / "multilat.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    problems = caught.value.problems
    assert any(found in p.found and p.line == line for p in problems), [str(p) for p in problems]
    assert all(p.file == str(path) and p.found and p.expected for p in problems)


def test_many_keys_are_located_in_one_pass(tmp_path: Path) -> None:
    path = tmp_path / "multilat.toml"
    path.write_text("".join(f"k{i} = 1\n" for i in range(20_000)))
    started = time.perf_counter()
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert time.perf_counter() - started < 10
    assert caught.value.problems[-1].line == 20_000


def test_a_settings_file_past_the_size_limit_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module, "MAX_SETTINGS_BYTES", 10)
    path = tmp_path / "multilat.toml"
    path.write_text("claims.weak_below = 0.8\n")
    with pytest.raises(SettingsError, match="at most 10 bytes"):
        load_settings(path)
