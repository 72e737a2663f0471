"""Every slide of every lesson deck (``make slides``) fits a 1280×720 and a 1920×1080 screen.

The decks are built from the lessons into a temporary folder, opened from
file:// in the session's Chromium, and stepped through slide by slide with
reveal.js's own API. On each slide, after the deck's fit script has run, no
element may stick out of the window, no code or output line may be cut off
(``scrollWidth`` beyond ``clientWidth``), no heading may be upper-cased (θ
would read Θ), and the slide may not have been shrunk below ``MIN_ZOOM`` (the
build splits long sections so that text stays readable from the back of a
room). The slide number is shown, and "Next" links point at the next deck.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("classroom", REPO / "tools" / "classroom.py")
classroom = importlib.util.module_from_spec(spec)
spec.loader.exec_module(classroom)

LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SIZES = [(1280, 720), (1920, 1080)]
MIN_ZOOM = 0.75  # the fit script may shrink a slide to 75 % of the deck's type size, no less

# Visit every slide; report what is wrong on each (an empty list when nothing is).
STEP_THROUGH = r"""
async () => {
  const report = [];
  const W = window.innerWidth, H = window.innerHeight;
  for (const slide of Reveal.getSlides()) {
    const at = Reveal.getIndices(slide), key = at.h + "/" + (at.v || 0);
    Reveal.slide(at.h, at.v || 0);
    const start = performance.now();
    while (document.body.dataset.glmFitted !== key && performance.now() - start < 15000) {
      await new Promise(r => setTimeout(r, 10));
    }
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const problems = [];
    if (document.body.dataset.glmFitted !== key) problems.push("the fit script never ran");
    const zoom = parseFloat(slide.dataset.glmZoom || "1");
    for (const el of slide.querySelectorAll("*")) {
      // MathJax's MathML copy for screen readers is clipped out of sight.
      if (el.closest(".MJX_Assistive_MathML")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.top < -1 || r.left < -1 || r.bottom > H + 1 || r.right > W + 1) {
        problems.push(`<${el.tagName.toLowerCase()} class="${el.className}"> reaches `
                      + `(${r.left | 0}, ${r.top | 0})-(${r.right | 0}, ${r.bottom | 0}) `
                      + `in a ${W}x${H} window`);
        break;
      }
      if ((el.tagName === "PRE" || el.classList.contains("jp-OutputArea-output"))
          && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`a line is cut off: ${el.tagName.toLowerCase()} needs ${el.scrollWidth}px `
                      + `of ${el.clientWidth}px: ${el.textContent.slice(0, 60)}`);
        break;
      }
    }
    for (const h of slide.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      if (getComputedStyle(h).textTransform !== "none") {
        problems.push(`heading "${h.textContent}" is shown ${getComputedStyle(h).textTransform}`);
      }
    }
    const heading = slide.querySelector("h1, h2, h3, h4");
    report.push({slide: key, zoom, problems,
                 heading: heading ? heading.textContent.replace("¶", "") : ""});
  }
  return report;
}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The lesson decks, built by tools/classroom.py into a temporary folder."""
    if not classroom.assets_available():
        message = "npm (Node.js) is needed once to fetch reveal.js and MathJax for the decks"
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    out = tmp_path_factory.mktemp("decks")
    return classroom.build_slides(LESSONS, out)


def test_every_slide_of_every_deck_fits(decks, browser):
    """Each deck is stepped through at 1280×720, then at 1920×1080 in the same page."""
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    failures, slides, smallest = [], dict.fromkeys(SIZES, 0), (1.0, "")
    try:
        for deck in decks:
            page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
            page.goto(deck.as_uri())
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            number = page.locator(".reveal .slide-number")
            assert re.fullmatch(r"1\s*/\s*\d+", number.inner_text().strip()), deck.name
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                report = page.evaluate(STEP_THROUGH)
                slides[(width, height)] += len(report)
                for slide in report:
                    where = (f"{deck.name} at {width}x{height}, slide {slide['slide']} "
                             f"({slide['heading'][:40]})")
                    if slide["zoom"] < smallest[0]:
                        smallest = (slide["zoom"], where)
                    if slide["zoom"] < MIN_ZOOM:
                        slide["problems"].append(f"shrunk to {slide['zoom']:.2f} to fit: split it")
                    failures += [f"{where}: {problem}" for problem in slide["problems"]]
    finally:
        context.close()
    print(f"{slides} slides in {len(decks)} decks; "
          f"smallest zoom {smallest[0]:.3f} at {smallest[1]}")
    assert all(n >= 10 * len(decks) for n in slides.values())
    assert slides[SIZES[0]] == slides[SIZES[1]]
    assert not failures, f"{len(failures)} slide(s) do not fit:\n" + "\n".join(failures[:40])


def test_lesson_links_point_at_decks_of_the_build(decks):
    names = {deck.name for deck in decks}
    for deck, following in zip(decks, decks[1:], strict=False):
        text = deck.read_text(encoding="utf-8")
        assert not re.findall(r'href="[^"]*\.ipynb', text), f"{deck.name} links to a notebook"
        targets = re.findall(r'<a href="(\d\d_[^"#]+)', text)
        missing = [t for t in targets if t not in names]
        assert not missing, f"{deck.name} links to {missing}, which are not decks of the build"
        assert following.name in targets, f"{deck.name} has no link to {following.name}"
