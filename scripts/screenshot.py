"""Screenshot a multilat report in headless Chromium (Debian's /usr/bin/chromium).

Usage: python scripts/screenshot.py [CASE] [--out docs/img/report.png] [--full-page]

Builds the report of CASE (default: the built-in case) in a temporary directory, opens its
index.html over file:// and saves a PNG. Uses the same browser set-up as the browser test.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import multilat
from multilat.report import write_report

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default=None)
    parser.add_argument("--out", default="docs/img/report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1800)
    parser.add_argument("--full-page", action="store_true")
    options = parser.parse_args()
    case = multilat.load_case(options.case) if options.case else multilat.load_example()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        report = write_report(multilat.analyze(case), Path(folder) / "report")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": options.width,
                                              "height": options.height})
            page.goto((report.path / "index.html").resolve().as_uri())
            Path(options.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=options.out, full_page=options.full_page)
            browser.close()


if __name__ == "__main__":
    main()
