"""Tests of the classroom builds (tools/classroom.py) and the executor
(tools/execute_notebooks.py) on the tiny fixture notebook in tests/fixtures/.

The fixture has maths ($x^2$), a normal code cell, an exercise stub, a cell
tagged ``solution`` (marked FIXTURE_SOLUTION_MARKER) and an ``interact``
widget cell tagged ``nbval-ignore-output``. It is committed executed, written
by ``python tools/execute_notebooks.py tests/fixtures/99_classroom_fixture.ipynb``.

HTML and slides tests need the offline assets, fetched once with npm into
build/.npm/ (skipped without npm, except in CI). The browser test drives
Debian's /usr/bin/chromium (or $GLMLESSON_CHROMIUM) through Playwright; without
it the browser tests skip, except with CI=true, where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "99_classroom_fixture.ipynb"
MARKER = "FIXTURE_SOLUTION_MARKER"
HINT_MARKER = "HINT_BODY_MARKER"  # inside a hint written over several paragraphs
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def load_tool(name: str):
    """Import tools/<name>.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


classroom = load_tool("classroom")
executor = load_tool("execute_notebooks")


def skip_or_fail(reason: str):
    """Skip with ``reason`` on a workstation; fail in CI (CI=true), where it is required."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def cells_with_tag(nb, tag):
    """The cells of ``nb`` carrying ``tag``."""
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


# --- the fixture itself --------------------------------------------------------


def test_fixture_has_what_the_tests_rely_on():
    nb = nbformat.read(FIXTURE, as_version=4)
    (solution,) = cells_with_tag(nb, "solution")
    assert solution.source.startswith("# Solution — click to reveal")
    assert solution.metadata["jupyter"]["source_hidden"] is True
    assert MARKER in solution.source and solution.outputs
    assert cells_with_tag(nb, "nbval-ignore-output")
    assert "$x^2$" in nb.cells[0].source
    assert any(HINT_MARKER in c.source and "\n\n</details>" in c.source for c in nb.cells)
    assert "widgets" in nb.metadata
    assert all("slide_type" in c.metadata.get("slideshow", {}) for c in nb.cells)


# --- execute ------------------------------------------------------------------------


def test_strip_volatile_renumbers_and_drops_timings():
    timing = {"execution": {"shell.execute_reply": "2024-01-01T00:00:00Z"}}
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("1", execution_count=7, metadata=timing),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("", execution_count=None),
        nbformat.v4.new_code_cell("2", execution_count=9, outputs=[
            nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=9),
        ]),
    ])
    executor.strip_volatile(nb)
    assert [c.get("execution_count") for c in nb.cells] == [1, None, None, 2]
    assert nb.cells[3].outputs[0].execution_count == 2
    assert "execution" not in nb.cells[0].metadata


def test_execute_reproduces_the_fixture(tmp_path):
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    assert executor.main([str(copy)]) == 0
    before, after = nbformat.read(FIXTURE, 4), nbformat.read(copy, 4)
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in before.cells]
    assert [c.get("execution_count") for c in after.cells] == [
        None, 1, None, None, 2, 3, None, 4, None]
    assert after.metadata.widgets == before.metadata.widgets  # stable widget model ids
    assert not any("execution" in c.metadata for c in after.cells)


def test_execute_fails_loudly_and_leaves_the_notebook_alone(tmp_path, capsys):
    path = tmp_path / "bad.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0"),
    ]), path)
    before = path.read_bytes()
    assert executor.main([str(path)]) == 1
    assert "cell 1 failed" in capsys.readouterr().err
    assert path.read_bytes() == before


# --- student ----------------------------------------------------------------------


def test_student_build_drops_solutions_and_clears_outputs(tmp_path):
    (written,) = classroom.build_student([FIXTURE], tmp_path)
    nb = nbformat.read(written, as_version=4)
    original = nbformat.read(FIXTURE, as_version=4)
    assert not cells_with_tag(nb, "solution")
    assert MARKER not in written.read_text(encoding="utf-8")
    assert len(nb.cells) == len(original.cells) - 1
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert "widgets" not in nb.metadata
    assert cells_with_tag(nb, "nbval-ignore-output")  # other tags survive


def test_student_copy_runs_under_nbval_lax(tmp_path):
    classroom.build_student([FIXTURE], tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]


# --- html and slides -------------------------------------------------------------


@pytest.fixture(scope="session")
def npm_assets():
    """The npm cache of the offline assets, fetched once (build/.npm/)."""
    if not classroom.assets_available():
        skip_or_fail("npm (Node.js) is needed once to fetch MathJax, require.js and reveal.js")
    return classroom.NPM_CACHE


@pytest.fixture(scope="session")
def site(tmp_path_factory, npm_assets):
    """The fixture built as both sites and as slides: {'html', 'student', 'slides'}."""
    out = tmp_path_factory.mktemp("classroom")
    (page,) = classroom.build_html([FIXTURE], out / "html", npm_assets)
    (student,) = classroom.build_html_student([FIXTURE], out / "html-student", npm_assets)
    (deck,) = classroom.build_slides([FIXTURE], out / "slides", npm_assets)
    return {"html": page, "student": student, "slides": deck}


def local_references(text: str) -> list[str]:
    """Every src= / href= in ``text`` and the widget renderer URL."""
    refs = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', text)
    refs += re.findall(r"widgetRendererSrc = '([^']+)'", text)
    return refs


def assert_offline(page: Path):
    """``page`` names no CDN, and every script/stylesheet it loads exists beside it."""
    text = page.read_text(encoding="utf-8")
    for cdn in ("cdnjs", "unpkg", "jsdelivr", "googleapis", "mathjax.org"):
        assert cdn not in text, f"{page.name} references {cdn}"
    refs = local_references(text)
    assert refs
    for ref in refs:
        assert not re.match(r"[a-z]+:", ref), f"{page.name} loads {ref}"
        assert (page.parent / ref.split("?")[0]).is_file(), f"{ref} missing beside {page.name}"


def test_html_folds_solution_in_closed_details(site):
    text = site["html"].read_text(encoding="utf-8")
    summary = "<summary>Solution — click to reveal</summary>"
    folded = re.findall(rf'<details class="solution">\s*{summary}(.*?)</details>', text, re.S)
    assert len(folded) == 1 and MARKER in folded[0]
    assert text.count(MARKER) == 1  # only inside the <details>
    assert "<details open" not in text


def test_html_keeps_multi_paragraph_hints_folded(site):
    # nbconvert alone would end the <details> at the first blank line and show the
    # hint's text outside it.
    text = site["html"].read_text(encoding="utf-8")
    folded = re.findall(r"<details><summary>Hint 2</summary>(.*?)</details>", text, re.S)
    assert len(folded) == 1 and HINT_MARKER in folded[0]
    assert text.count(HINT_MARKER) == 1
    assert "A second paragraph." in folded[0] and "\\sum_i x_i^2" in folded[0]


def test_html_uses_local_mathjax_and_shows_the_saved_explorer(site):
    text = site["html"].read_text(encoding="utf-8")
    assert '<script src="_static/mathjax/MathJax.js?config=' in text
    # The interact is shown as what was saved: its slider's value and its output,
    # with a note that it moves only in Jupyter; no dead slider.
    (figure,) = re.findall(r'<figure class="static-explorer">(.*?)</figure>', text, re.S)
    assert "k = <b>3</b>" in figure and "k squared is 9" in figure
    assert "Interactive only in Jupyter" in figure
    assert "application/vnd.jupyter.widget-state+json" not in text
    assert_offline(site["html"])


def test_student_site_has_no_solutions(site):
    text = site["student"].read_text(encoding="utf-8")
    assert MARKER not in text and "click to reveal" not in text
    assert 'class="solution"' not in text
    assert HINT_MARKER in text  # hints stay, folded
    assert "k squared is 9" in text  # other outputs stay
    assert "Instructor edition" not in (site["student"].parent / "index.html").read_text()
    assert "Instructor edition" in (site["html"].parent / "index.html").read_text()


def test_html_index_and_navigation(site):
    index = (site["html"].parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{site["html"].name}"' in index and "99 · Classroom fixture" in index
    text = site["html"].read_text(encoding="utf-8")
    links = re.findall(r"<a\b[^>]*>", text)
    assert sum('rel="index"' in a and 'href="index.html"' in a for a in links) == 2  # top, bottom
    assert "<title>99 · Classroom fixture</title>" in text


def test_lesson_links_point_at_pages_of_the_build():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "**Next:** [Lesson 05](05_logistic_regression.ipynb), see "
        "[its exercises](./05_logistic_regression.ipynb#Exercises), "
        '<a href="06_link_functions.ipynb">06</a> and [the data](../data/README.md); '
        "all lessons: [README](../README.md).")])
    stems = {"05_logistic_regression", "06_link_functions"}
    (cell,) = classroom.rewrite_lesson_links(nb, ".slides.html", stems).cells
    assert cell.source == (
        "**Next:** [Lesson 05](05_logistic_regression.slides.html), see "
        "[its exercises](05_logistic_regression.slides.html#Exercises), "
        '<a href="06_link_functions.slides.html">06</a> and [the data](../data/README.md); '
        "all lessons: [README](index.html).")
    # A lesson that is not built keeps its link.
    (kept,) = classroom.rewrite_lesson_links(nb, ".html", {"06_link_functions"}).cells
    assert "(05_logistic_regression.ipynb)" in kept.source
    assert "06_link_functions.html" in kept.source


def test_saved_readout_uses_the_readout_format():
    assert classroom._readout({"value": 0.05, "readout_format": ".4f"}) == "0.0500"
    assert classroom._readout({"value": 300, "readout_format": "d"}) == "300"
    assert classroom._readout({"value": 0.123456, "readout_format": ".3g"}) == "0.123"
    assert classroom._readout({"value": "logit", "label": "logit"}) == "logit"


def test_an_explorers_status_line_is_shown_as_its_words_not_as_a_control():
    # Explorers keep their message in an HTML widget above the picture; a static page
    # shows its text where it stood, and only real controls as "label = value".
    models = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_c"]}},
        "s": {"model_name": "HTMLModel",
              "state": {"value": '<div style="color: red">Diverged &amp; stopped</div>',
                        "description": ""}},
        "c": {"model_name": "FloatSliderModel",
              "state": {"value": 0.05, "description": "rate", "readout_format": ".3g"}},
    }
    controls, pictures = [], []
    classroom._saved_parts(models, "box", controls, pictures)
    assert controls == [("rate", "0.05")]
    assert pictures == ['<p class="explorer-status">Diverged &amp; stopped</p>']


def test_index_cards_agree_with_the_syllabus_reader():
    # The site's index and docs/syllabus.md take a lesson's lead, objectives and
    # time from the same reader, so they cannot disagree.
    path = ROOT / "notebooks" / "04_poisson_regression.ipynb"
    card = classroom.lesson_card(path, "04.html", "Lesson 04")
    lesson = classroom.lesson_reader.read_lesson(path)
    assert card["minutes"] == lesson.minutes > 0
    assert card["objectives"] == list(lesson.objectives) and len(card["objectives"]) >= 3
    assert card["summary"] == lesson.summary != ""
    # A notebook off the lesson template (the fixture) gets its title alone.
    assert classroom.lesson_card(FIXTURE, "99.html", "99") == {
        "href": "99.html", "title": "99", "summary": "", "minutes": None, "objectives": []}
    page = classroom.index_page("Lessons", [
        {"href": "42_things.html", "title": "Lesson 42", "summary": "Lead.", "minutes": 75,
         "objectives": ["fit $\\beta$;"]},
        {"href": "99.html", "title": "99", "summary": "", "minutes": None, "objectives": []}])
    assert '<a href="42_things.html">Lesson 42</a>' in page and "About 75 minutes" in page
    assert "<li>fit $\\beta$;</li>" in page and page.count("About ") == 1


def test_markdown_blocks_keep_maths_details_and_list_items_whole():
    source = ("Intro.\n\n$$a\n\nb$$\n\n- item\n\n  more of the item\n\n"
              "<details><summary>Hint</summary>\n\nx\n\n</details>\n\nEnd.")
    assert classroom.markdown_blocks(source) == [
        "Intro.", "$$a\n\nb$$", "- item\n\n  more of the item",
        "<details><summary>Hint</summary>\n\nx\n\n</details>", "End."]


def _long_lesson():
    text = "A sentence of about sixty characters that fills a line half. " * 8
    cells = [nbformat.v4.new_markdown_cell("## A long section",
                                           metadata={"slideshow": {"slide_type": "slide"}})]
    cells += [nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": "-"}})
              for _ in range(6)]
    cells.append(nbformat.v4.new_markdown_cell("## Next", metadata={
        "slideshow": {"slide_type": "slide"}}))
    return nbformat.v4.new_notebook(cells=cells)


def test_split_for_slides_starts_continued_subslides_within_budget():
    nb = _long_lesson()
    split = classroom.split_for_slides(nb)
    kinds = [classroom.slide_type(c) for c in split.cells]
    continued = [c.source for c in split.cells if "(continued)" in c.source]
    assert continued and all(s == "#### A long section (continued)" for s in continued)
    assert kinds.count("subslide") == len(continued)
    # Each slide or subslide holds at most the budget (one cell may exceed it alone).
    used = 0
    for cell, kind in zip(split.cells, kinds, strict=True):
        used = 0 if kind in ("slide", "subslide") else used
        used += classroom.estimate_height(cell)
        assert used <= classroom.SLIDE_BUDGET + classroom.estimate_height(cell) * (used == 0)
    assert [c.source for c in split.cells if "(continued)" not in c.source] == [
        c.source for c in nb.cells]  # nothing lost, nothing reordered
    nbformat.validate(split)


def test_present_copy_has_no_dash_slide_type():
    # jupyterlab-slideshow hides cells typed "-"; the present copy leaves them untyped.
    nb = nbformat.read(FIXTURE, as_version=4)
    present = classroom.present_notebook(nb)
    assert all(c.metadata.get("slideshow", {}).get("slide_type") != "-" for c in present.cells)
    assert [classroom.slide_type(c) for c in present.cells] == [
        classroom.slide_type(c) for c in classroom.split_for_slides(nb).cells]
    assert cells_with_tag(present, "solution")  # skipped on slides, there for the instructor
    nbformat.validate(present)


def test_navigation_links_neighbours():
    pages = [("a.html", "A"), ("b.html", "B"), ("c.html", "C")]
    assert classroom.navigation(pages, 0)["prev"] is None
    assert classroom.navigation(pages, 1)["prev"] == {"href": "a.html", "title": "A"}
    assert classroom.navigation(pages, 1)["next"] == {"href": "c.html", "title": "C"}
    assert classroom.navigation(pages, 2)["next"] is None


def test_lesson_title_is_first_markdown_heading():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# not a heading"),
        nbformat.v4.new_markdown_cell("Intro\n\n## 03 · Poisson regression ##"),
    ])
    assert classroom.lesson_title(nb, "fallback") == "03 · Poisson regression"
    assert classroom.lesson_title(nbformat.v4.new_notebook(), "fallback") == "fallback"


def test_slides_drop_solutions_and_use_local_reveal(site):
    text = site["slides"].read_text(encoding="utf-8")
    assert MARKER not in text and "click to reveal" not in text
    assert '"_static/reveal.js/dist/reveal.js"' in text
    assert 'slideNumber: "c/t"' in text and "width: 1280" in text and "height: 720" in text
    assert "text-transform: none" in text
    assert "<section" in text
    assert_offline(site["slides"])


# --- in the browser -------------------------------------------------------------------


# ``browser``: the session-wide Chromium of tests/conftest.py.


def open_offline(browser, page_path: Path):
    """Open ``page_path`` from file://, refusing (and recording) any other request."""
    page = browser.new_page()
    page.blocked, page.failed = [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            page.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    page.goto(page_path.as_uri())
    return page


@pytest.mark.browser
def test_html_page_in_chromium(site, browser):
    page = open_offline(browser, site["html"])
    try:
        page.wait_for_selector(".MathJax_CHTML, mjx-container, .MathJax", timeout=15_000)
        assert page.locator("figure.static-explorer").is_visible()
        assert page.locator(".widget-slider").count() == 0  # no dead sliders
        details = page.locator("details.solution")
        assert details.count() == 1
        assert details.evaluate("d => d.open") is False
        assert not page.get_by_text(MARKER).is_visible()
        details.locator("summary").click()
        assert details.evaluate("d => d.open") is True
        assert page.get_by_text(MARKER).is_visible()
        hint = page.locator("details", has_text="Hint 2")
        assert hint.evaluate("d => d.open") is False
        assert not page.get_by_text(HINT_MARKER).is_visible()
        hint.locator("summary").click()
        assert page.get_by_text(HINT_MARKER).is_visible()
        assert hint.locator(".MathJax_CHTML, mjx-container, .MathJax").count() >= 1
        assert page.blocked == [] and page.failed == []
    finally:
        page.close()


@pytest.mark.browser
def test_slides_in_chromium(site, browser):
    page = open_offline(browser, site["slides"])
    try:
        page.wait_for_selector(".reveal.ready", timeout=15_000)
        page.wait_for_selector(".MathJax_CHTML, mjx-container, .MathJax", timeout=15_000)
        assert page.locator(".reveal .slides section").count() >= 2
        assert page.blocked == [] and page.failed == []
    finally:
        page.close()


@pytest.fixture(scope="session")
def lesson_sites(tmp_path_factory, npm_assets):
    """Lessons 04 and 07 (maths in tables, an explorer, Next links) as both sites."""
    lessons = [ROOT / "notebooks" / n for n in ("04_poisson_regression.ipynb",
                                                 "07_fitting_glms.ipynb")]
    out = tmp_path_factory.mktemp("lesson-sites")
    return {"html": classroom.build_html(lessons, out / "html", npm_assets),
            "student": classroom.build_html_student(lessons, out / "student", npm_assets)}


def test_lesson_links_resolve_in_both_sites(lesson_sites):
    for pages in lesson_sites.values():
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert not re.findall(r'href="0[47]_[^"]*\.ipynb', text), page.name
            for href in re.findall(r'<a href="(\d\d_[^"#]+\.html)', text):
                if href.startswith(("04_", "07_")):
                    assert (page.parent / href).is_file(), f"{page.name}: {href} is missing"
    index = (lesson_sites["html"][0].parent / "index.html").read_text(encoding="utf-8")
    assert "About " in index and "Objectives:" in index and index.count("<li>") >= 8


def test_student_lesson_pages_have_no_solutions(lesson_sites):
    for page in lesson_sites["student"]:
        text = page.read_text(encoding="utf-8")
        assert "# Solution — click to reveal" not in text and 'class="solution"' not in text
    instructor = lesson_sites["html"][0].read_text(encoding="utf-8")
    assert instructor.count('<details class="solution">') >= 3


@pytest.mark.browser
def test_maths_in_lesson_tables_is_typeset_on_one_line(lesson_sites, browser):
    # Lesson 04's Z(θ) row and lesson 07's table of update rules: with the lab
    # template's fixed table layout MathJax broke these formulas into slivers.
    for page_path in lesson_sites["html"]:
        page = open_offline(browser, page_path)
        try:
            page.wait_for_function("() => window.MathJax && MathJax.Hub && "
                                   "MathJax.Hub.queue.pending === 0 && "
                                   "document.querySelectorAll('td .MathJax_CHTML').length > 0",
                                   timeout=30_000)
            heights = page.evaluate("""() => Array.from(document.querySelectorAll(
                'td .MathJax_CHTML')).map(m => [m.getBoundingClientRect().height,
                                                m.closest('td').textContent.slice(0, 40)])""")
            assert len(heights) >= 3
            tall = [(h, text) for h, text in heights if h > 45]
            assert not tall, f"{page_path.name}: maths broken over lines in {tall}"
        finally:
            page.close()
