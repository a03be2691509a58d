"""The report in headless Chromium: renders with no console errors and no network request."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package"),
]


def test_report_renders_offline(builtin_report: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: errors.append(message.text)
                    if message.type in ("error", "warning") else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((builtin_report / "index.html").resolve().as_uri())
            page.wait_for_load_state("load")
            assert page.title().startswith("Kazakhstan")
            assert page.locator("svg").count() == 6
            assert page.locator("#robustness svg").count() == 2
            assert page.locator("#robustness table.theories tbody tr").count() >= 4
            assert page.locator("table.matrix tr.item").count() > 10
            box = page.locator("#map svg").bounding_box()
            assert box is not None and box["width"] > 300
        finally:
            browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith("file://")] == []


def _matrix_sizes(report: Path, width: int) -> dict[str, float]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto((report / "index.html").resolve().as_uri())
            page.wait_for_load_state("load")
            sizes: dict[str, float] = page.evaluate("""() => {
                const box = document.querySelector('#matrix .scroll');
                const table = box.querySelector('table.matrix');
                return {scroll: box.scrollWidth, client: box.clientWidth,
                        table: table.getBoundingClientRect().width,
                        page: document.documentElement.scrollWidth};
            }""")
        finally:
            browser.close()
    return sizes


@pytest.mark.parametrize("width", [1280, 1400])
def test_evidence_matrix_fits_the_page_by_wrapping(builtin_report: Path, width: int) -> None:
    sizes = _matrix_sizes(builtin_report, width)
    assert sizes["scroll"] <= sizes["client"], sizes
    assert sizes["table"] <= sizes["client"] + 0.5, sizes
    assert sizes["page"] <= width, sizes


def test_a_matrix_of_eleven_levels_fits_1280(tmp_path: Path) -> None:
    import multilat
    from multilat.report import write_report

    case = Path(__file__).parents[1] / "data" / "cases" / "good" / "incumbents" / "case.yaml"
    write_report(multilat.analyze(multilat.load_case(case)), tmp_path / "report",
                 formats=("html",))
    sizes = _matrix_sizes(tmp_path / "report", 1280)
    assert sizes["scroll"] <= sizes["client"], sizes
