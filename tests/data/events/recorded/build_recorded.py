"""Rebuild the recorded GDELT responses in this folder (see README.md).

Run from anywhere: ``python tests/data/events/recorded/build_recorded.py``. The zip is written
with a fixed timestamp, so its bytes (and md5) do not change from one run to the next.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
STAMP = (2013, 2, 3, 0, 0, 0)


def _placeholder(name: str) -> str:
    """A stand-in checksum for a file that is listed but never served in the tests."""
    return hashlib.md5(f"placeholder {name}".encode(), usedforsecurity=False).hexdigest()


def main() -> None:
    rows = (HERE / "aug2012_georgia_head.csv").read_bytes()
    info = zipfile.ZipInfo("201208.csv", date_time=STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(HERE / "201208.zip", "w") as archive:
        archive.writestr(info, rows)
    recorded = (HERE / "201208.zip").read_bytes()
    md5 = hashlib.md5(recorded, usedforsecurity=False).hexdigest()

    names = ["2005.zip", "200601.zip", "201207.zip", "201208.zip", "201209.zip", "201303.zip",
             "20130401.export.CSV.zip", "20130402.export.CSV.zip", "20130404.export.CSV.zip"]
    (HERE / "md5sums").write_text("".join(
        f"{md5 if name == '201208.zip' else _placeholder(name)}  {name}\n" for name in names))
    # GDELT 1.0's filesizes: "<size> <file name>"; made-up sizes except for 201208.zip.
    (HERE / "filesizes").write_text("".join(
        f"{len(recorded) if name == '201208.zip' else 1_000_000 + 1000 * number} {name}\n"
        for number, name in enumerate(names)))

    base = "http://data.gdeltproject.org/gdeltv2/"
    lines = [  # GDELT's own first lines of masterfilelist.txt (2015-02-18, 23:00 to 23:45)
        f"150383 297a16b493de7cf6ca809a7cc31d0b93 {base}20150218230000.export.CSV.zip",
        f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {base}20150218230000.mentions.CSV.zip",
        f"10768507 ea8dde0beb0ba98810a92db068c0ce99 {base}20150218230000.gkg.csv.zip",
        f"149211 2a91041d7e72b0fc6a629e2ff867b240 {base}20150218231500.export.CSV.zip",
        f"339037 dec3f427076b716a8112b9086c342523 {base}20150218231500.mentions.CSV.zip",
        f"10269336 2f1a504a3c4558694ade0442e9a5ae6f {base}20150218231500.gkg.csv.zip",
        f"149723 12268e821823aae2da90882621feda18 {base}20150218233000.export.CSV.zip",
        f"357229 744acad14559f2781a8db67715d63872 {base}20150218233000.mentions.CSV.zip",
        f"11279827 66b03e2efd7d51dabf916b1666910053 {base}20150218233000.gkg.csv.zip",
        f"158842 a5298ce3c6df1a8a759c61b5c0b6f8bb {base}20150218234500.export.CSV.zip",
        f"374528 dd322c888f28311aca2c735468405551 {base}20150218234500.mentions.CSV.zip",
        f"11212939 cd20f295649b214dd16666ca451b9994 {base}20150218234500.gkg.csv.zip",
    ]
    for stamp in ("20150219000000", "20150219001500"):  # served from 201208.zip in the tests
        lines.append(f"{len(recorded)} {md5} {base}{stamp}.export.CSV.zip")
        for kind in ("mentions.CSV.zip", "gkg.csv.zip"):
            name = f"{stamp}.{kind}"
            lines.append(f"{len(recorded)} {_placeholder(name)} {base}{name}")
    name = "20150220000000.export.CSV.zip"
    lines.append(f"{len(recorded)} {_placeholder(name)} {base}{name}")
    (HERE / "masterfilelist.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
