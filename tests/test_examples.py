"""`examples copy`: never overwrites, never follows a link, never writes outside its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import multilat
from multilat.cli import main
from multilat.examples import example_path


def _everything(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_copy(tmp_path: Path) -> None:
    copied = multilat.copy_example("kazakhstan-eaeu", tmp_path / "case")
    assert tmp_path / "case" / "case.yaml" in copied
    source = example_path("kazakhstan-eaeu").parent
    assert all(p.read_bytes() == (source / p.name).read_bytes() for p in copied)


def test_a_dangling_link_in_the_destination_is_refused(tmp_path: Path) -> None:
    destination = tmp_path / "case"
    destination.mkdir()
    outside = tmp_path / "outside" / "stolen.yaml"
    outside.parent.mkdir()
    (destination / "case.yaml").symlink_to(outside)          # points nowhere (yet)
    with pytest.raises(multilat.InputError, match="case.yaml is a symbolic link"):
        multilat.copy_example("kazakhstan-eaeu", destination)
    assert not outside.exists() and _everything(destination) == ["case.yaml"]
    assert _everything(tmp_path / "outside") == []


def test_a_link_to_a_file_in_the_destination_is_refused(tmp_path: Path) -> None:
    destination = tmp_path / "case"
    destination.mkdir()
    precious = tmp_path / "precious.bib"
    precious.write_text("mine", encoding="utf-8")
    (destination / "references.bib").symlink_to(precious)
    with pytest.raises(multilat.InputError, match="symbolic link"):
        multilat.copy_example("kazakhstan-eaeu", destination)
    assert precious.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("pointee", ["folder", "nothing"])
def test_a_destination_that_is_a_link_is_refused(tmp_path: Path, pointee: str) -> None:
    target = tmp_path / "elsewhere"
    if pointee == "folder":
        target.mkdir()
    (tmp_path / "case").symlink_to(target)
    with pytest.raises(multilat.InputError, match="case is a symbolic link"):
        multilat.copy_example("kazakhstan-eaeu", tmp_path / "case")
    assert not target.exists() or _everything(target) == []


def test_a_link_created_after_the_checks_is_never_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a link that appears between the checks and the copy (a race) is not written
    through: each file is created anew, O_EXCL | O_NOFOLLOW."""
    from multilat import examples

    destination = tmp_path / "case"
    outside = tmp_path / "outside.yaml"
    real_mkdir = Path.mkdir

    def mkdir_then_plant(self: Path, *args: object, **kwargs: object) -> None:
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]
        if self == destination:
            (destination / "case.yaml").symlink_to(outside)

    monkeypatch.setattr(examples.Path, "mkdir", mkdir_then_plant)
    with pytest.raises(FileExistsError):
        multilat.copy_example("kazakhstan-eaeu", destination)
    assert not outside.exists()


def test_cli(tmp_path: Path) -> None:
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "case.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = CliRunner().invoke(main, ["examples", "copy", "kazakhstan-eaeu",
                                       str(tmp_path / "case")])
    assert result.exit_code == 1 and result.output.startswith("Error: not copying")
    assert "symbolic link" in result.output and not (tmp_path / "nowhere.yaml").exists()
