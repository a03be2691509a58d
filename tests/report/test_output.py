"""Writing a report directory: atomic, never over a user's files without --force."""

from __future__ import annotations

import os
import pickle
import random
import shutil
import subprocess
import sys
import time
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
    with pytest.raises(OSError, match="disk full") as caught:
        write_report(minimal_analysis, out, formats=("html", "md"))
    assert caught.value.filename == str(out) and ".new-" not in str(caught.value)
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
# --- a killed write: what it leaves is recovered or removed by the next one ------------------

def _previous_report(out: Path, analysis: multilat.Analysis) -> dict[str, bytes]:
    write_report(analysis, out, formats=("md",), robustness=False)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def test_a_kill_between_the_renames_is_recovered(tmp_path: Path,
                                                  minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    before = _previous_report(out, minimal_analysis)
    # what a kill between `rename(DIR, .DIR.old-*)` and `rename(.DIR.new-*, DIR)` leaves
    os.rename(out, tmp_path / ".report.old-k1ll3d")
    shutil.copytree(tmp_path / ".report.old-k1ll3d", tmp_path / ".report.new-k1ll3d")
    _output.recover(out)                                 # the first step of the next write
    assert _contents(out) == before and _siblings(out) == ["report"]
    os.rename(out, tmp_path / ".report.old-k1ll3d")
    write_report(minimal_analysis, out, formats=("html",), robustness=False)
    assert (out / "index.html").is_file() and _siblings(out) == ["report"]


def test_a_kill_while_building_or_removing_leaves_nothing_after_the_next_write(
        tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    _previous_report(out, minimal_analysis)
    building = tmp_path / ".report.new-abc123"          # killed while writing the files
    (building / "figures").mkdir(parents=True)
    (building / MARKER).write_text('{"files": ["report.md"]', encoding="utf-8")  # cut short
    (building / "figures" / "half.png").write_bytes(b"\x89PNG")
    (tmp_path / ".report.new-def456").mkdir()           # killed before the marker
    removing = tmp_path / ".report.old-ghi789"          # killed while removing the old one
    removing.mkdir()
    (removing / MARKER).write_text("{}", encoding="utf-8")
    # not multilat's (no marker): never touched
    mine = tmp_path / ".report.new-mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / ".report.old-link").symlink_to(out)
    write_report(minimal_analysis, out, formats=("md",), robustness=False)
    assert is_report(out)
    assert _siblings(out) == [".report.new-mine", ".report.old-link", "report"]
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"


_KILLED_WRITER = """
import pickle, sys
from pathlib import Path
from multilat.report._output import write_directory
files = pickle.loads(Path(sys.argv[1]).read_bytes())
print("ready", flush=True)
version = 0
while True:
    version += 1
    write_directory(Path(sys.argv[2]), {**files, "version.txt": str(version).encode()},
                    {"multilat": "test"})
"""


def test_kill_9_at_random_moments(tmp_path: Path, minimal_analysis: multilat.Analysis) -> None:
    """A writer killed (SIGKILL) at random moments of its writes: the previous report or a new
    one is intact, and after the next write no temporary directory is left."""
    out = tmp_path / "reports" / "report"
    files = {name: data for name, data in _previous_report(out, minimal_analysis).items()
             if name != MARKER}
    (tmp_path / "files.pickle").write_bytes(pickle.dumps(files))
    environment = {**os.environ, "PYTHONPATH": str(Path(multilat.__file__).parents[1])}
    rng = random.Random(12)
    missing = 0
    for _ in range(20):
        with subprocess.Popen(
                [sys.executable, "-c", _KILLED_WRITER, str(tmp_path / "files.pickle"), str(out)],
                stdout=subprocess.PIPE, env=environment) as process:
            assert process.stdout is not None and process.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0.0, 0.08))
            process.kill()
        missing += not out.exists()
        _output.recover(out)                             # what the next write does first
        got = _contents(out)
        version = got.pop("version.txt", b"0")
        assert int(version) >= 0 and set(got) == {*files, MARKER} - {"version.txt"}
        assert all(got[name] == data for name, data in files.items() if name != "version.txt")
        assert is_report(out)
    write_report(minimal_analysis, out, formats=("md",), robustness=False)
    assert _siblings(out) == ["report"]


# --- --out a symbolic link: followed to a previous report, refused otherwise ----------------

def test_a_link_to_a_previous_report_is_followed(tmp_path: Path,
                                                 minimal_analysis: multilat.Analysis) -> None:
    real = tmp_path / "elsewhere" / "report"
    _previous_report(real, minimal_analysis)
    link = tmp_path / "report"
    link.symlink_to(real)
    write_report(minimal_analysis, link, formats=("html",), robustness=False)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "index.html").is_file() and not (real / "report.md").exists()
    assert _siblings(real) == ["report"] and _siblings(link) == ["elsewhere", "report"]


@pytest.mark.parametrize("kind", ["nothing", "file", "directory", "empty directory"])
def test_a_link_to_anything_else_is_refused(tmp_path: Path, kind: str,
                                            minimal_analysis: multilat.Analysis) -> None:
    pointee = tmp_path / "thesis"
    if kind == "file":
        pointee.write_text("precious", encoding="utf-8")
    elif kind != "nothing":
        pointee.mkdir()
        if kind == "directory":
            (pointee / "chapter1.tex").write_text("precious", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(pointee)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for force in (False, True):
        with pytest.raises(multilat.InputError, match=f"{link}: found a link to") as caught:
            write_report(minimal_analysis, link, formats=("md",), robustness=False,
                         force=force)
        assert "never replaced" in str(caught.value)
    assert link.is_symlink() and sorted(p.name for p in tmp_path.rglob("*")) == before


def test_cli_refuses_a_link(tmp_path: Path, minimal_copy: Path) -> None:
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "x.tex").write_text("x", encoding="utf-8")
    (tmp_path / "out").symlink_to(tmp_path / "thesis")
    result = CliRunner().invoke(main, ["report", str(minimal_copy), "--out",
                                       str(tmp_path / "out"), "--format", "md",
                                       "--no-robustness", "--force"])
    assert result.exit_code == 1 and result.output.startswith(f"Error: {tmp_path / 'out'}: ")
    assert "not a multilat report" in result.output and "Traceback" not in result.output


# --- errors name the user's paths ------------------------------------------------------------

def test_errors_name_the_report_not_its_temporary_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        minimal_analysis: multilat.Analysis) -> None:
    out = tmp_path / "report"
    real_write = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name.endswith(".png"):
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError) as caught:
        write_report(minimal_analysis, out, formats=("md",), robustness=False)
    assert caught.value.filename.startswith(f"{out}{os.sep}figures{os.sep}")
    assert ".new-" not in str(caught.value) and caught.value.errno == 28
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".report.new-x1y2"))

    monkeypatch.setattr(_output.tempfile, "mkdtemp", refuse)
    with pytest.raises(PermissionError) as denied:
        write_report(minimal_analysis, out, formats=("md",), robustness=False)
    assert denied.value.filename == str(out) and denied.value.filename2 is None
