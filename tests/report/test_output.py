"""Writing a report directory: atomic, never over a user's files without --force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.report import _output, write_report
from multilat.report._output import MARKER, is_report


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


def test_new_and_empty_directories(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    result = write_report(minimal_analysis, tmp_path / "new" / "report")
    assert (tmp_path / "new" / "report" / "index.html").is_file()
    assert MARKER in result.files and result.backup is None
    empty = tmp_path / "empty"
    empty.mkdir()
    write_report(minimal_analysis, empty)
    assert (empty / MARKER).is_file()
    assert _siblings(empty) == ["empty", "new"]


def test_previous_report_is_replaced(tmp_path: Path,
                                     minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    write_report(minimal_analysis, out, formats=("html", "md"))
    result = write_report(minimal_analysis, out, formats=("html",))
    assert not (out / "report.md").exists()
    assert result.backup is None
    assert _siblings(out) == ["report"]  # no temporary or old directory left behind


def test_user_file_in_previous_report_is_kept(tmp_path: Path,
                                              minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    write_report(minimal_analysis, out, formats=("html",))
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    with pytest.raises(multilat.InputError, match="notes.md"):
        write_report(minimal_analysis, out, formats=("html",))
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"
    result = write_report(minimal_analysis, out, formats=("html",), force=True)
    assert result.backup is not None
    assert (result.backup / "notes.md").read_text(encoding="utf-8") == "my notes"


def test_foreign_directory_is_refused(tmp_path: Path,
                                      minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(multilat.InputError, match="not a multilat report"):
        write_report(minimal_analysis, out)
    assert sorted(p.name for p in out.iterdir()) == ["chapter1.tex"]
    assert _siblings(out) == ["thesis"]


def test_force_keeps_a_backup(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious", encoding="utf-8")
    result = write_report(minimal_analysis, out, force=True)
    assert (out / "index.html").is_file()
    assert result.backup == tmp_path / "thesis.bak"
    assert (tmp_path / "thesis.bak" / "chapter1.tex").read_text(encoding="utf-8") == "precious"


def test_a_file_is_refused(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(multilat.InputError, match="found a file"):
        write_report(minimal_analysis, target, force=True)
    assert target.read_text(encoding="utf-8") == "keep"


def test_failed_swap_restores_the_previous_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    write_report(minimal_analysis, out)
    before = (out / "index.html").read_bytes()
    real_rename = os.rename

    def failing_rename(source: str | Path, destination: str | Path) -> None:
        if Path(source).name.startswith(".report.new-"):
            raise OSError("disk full")
        real_rename(source, destination)

    monkeypatch.setattr(_output.os, "rename", failing_rename)
    monkeypatch.setattr(_output, "_exchange", lambda first, second: False)  # the fallback
    with pytest.raises(OSError, match="disk full"):
        write_report(minimal_analysis, out, formats=("html", "md"))
    assert (out / "index.html").read_bytes() == before and not (out / "report.md").exists()
    assert _siblings(out) == ["report"]


def test_failed_build_writes_nothing(tmp_path: Path,
                                     minimal_analysis: multilat.Analysis) -> None:
    with pytest.raises(multilat.InputError):
        write_report(minimal_analysis, tmp_path / "report", style="no-such-style")
    assert list(tmp_path.iterdir()) == []


def test_cli(tmp_path: Path, minimal_copy: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["report", str(minimal_copy), "--out", str(out),
                                  "--format", "md", "--format", "tex"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: 15 files")
    assert {"report.md", "report.tex"} <= {p.name for p in out.iterdir()}
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x").write_text("x", encoding="utf-8")
    refused = runner.invoke(main, ["report", str(minimal_copy), "--out", str(foreign)])
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: ") and "--force" in refused.output
    forced = runner.invoke(main, ["report", str(minimal_copy), "--out", str(foreign),
                                  "--force"])
    assert forced.exit_code == 0 and "kept as" in forced.output
    stamped = runner.invoke(main, ["report", str(minimal_copy), "--out", str(out),
                                   "--timestamp"])
    assert stamped.exit_code == 0
    assert "UTC" in (out / "index.html").read_text(encoding="utf-8")


def test_a_failed_exchange_keeps_the_previous_report_and_names_the_users_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    write_report(minimal_analysis, out)
    before = (out / "index.html").read_bytes()

    def failing(first: Path, second: Path) -> bool:
        raise OSError(28, "No space left on device", str(first))

    monkeypatch.setattr(_output, "_exchange", failing)
    with pytest.raises(OSError) as caught:
        write_report(minimal_analysis, out, formats=("html", "md"))
    assert caught.value.filename == str(out)
    assert (out / "index.html").read_bytes() == before
    assert _siblings(out) == ["report"]


def test_leftovers_of_a_killed_write_are_recovered(tmp_path: Path,
                                                   minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    write_report(minimal_analysis, out)
    # Killed between the two renames of the fallback: no report, the old one stranded.
    stranded = tmp_path / ".report.old-abcd1234"
    os.rename(out, stranded)
    half = tmp_path / ".report.new-wxyz9876"
    half.mkdir()
    (half / "index.html").write_text("half")
    (tmp_path / ".report.new-notours").mkdir()  # not this writer's name: left alone
    _output.recover(out)
    assert is_report(out) and (out / "index.html").read_text().startswith("<!DOCTYPE")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.new-notours", "report"]


def test_a_symlink_is_refused(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(multilat.InputError, match="symbolic link"):
        write_report(minimal_analysis, link)
    assert link.is_symlink() and list(real.iterdir()) == []


def test_kill_9_at_random_moments_leaves_a_whole_report(tmp_path: Path) -> None:
    """A report written in a subprocess killed at random moments: DIR is always a whole
    report (the old or the new), and the next run leaves no temporary folder."""
    import random
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "report"
    case = Path(__file__).parents[1] / "data" / "cases" / "good" / "minimal.yaml"
    script = ("import multilat, sys; from multilat.report import write_report;"
              f"a = multilat.analyze(multilat.load_case({str(case)!r}));"
              "[write_report(a, sys.argv[1], formats=('md',), robustness=False) "
              "for _ in range(50)]")
    subprocess.run([sys.executable, "-c", script.replace("range(50)", "range(1)"), str(out)],
                   check=True)
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-c", script, str(out)])
        time.sleep(rng.uniform(0.8, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert out.is_dir() and is_report(out) and (out / "report.md").is_file()
    _output.recover(out)
    assert _siblings(out) == ["report"]
