"""Classroom builds of the lesson notebooks: student copies, a static site, slides.

Usage (the Makefile's ``student``, ``html`` and ``slides`` targets)::

    python tools/classroom.py student      notebooks/[0-9][0-9]_*.ipynb  # -> build/student/
    python tools/classroom.py html         notebooks/[0-9][0-9]_*.ipynb  # -> build/html/
    python tools/classroom.py html-student notebooks/[0-9][0-9]_*.ipynb  # -> build/html-student/
    python tools/classroom.py slides       notebooks/[0-9][0-9]_*.ipynb  # -> build/slides/
    python tools/classroom.py present      notebooks/[0-9][0-9]_*.ipynb  # -> build/present/

``--out DIR`` writes elsewhere. Solution cells are code cells tagged
``solution``: the student copies, the student site and the slides drop them
(with their outputs), the instructor site folds them into a closed ``<details>``.

On the pages and decks, links between lessons point at the built pages, and a
slider explorer is shown as its saved picture with the saved control values
under it ("interactive only in Jupyter"), both read from the same saved widget
state. Decks are 1280×720 reveal.js slides: long sections are split into
subslides here, and a slide that still does not fit is scaled down in the
browser. ``present`` writes copies for live presenting in JupyterLab with
jupyterlab-slideshow, which knows no ``"-"`` slide type (see present_notebook).

The HTML pages and decks work offline: require.js, MathJax 2, the Jupyter
widget manager, reveal.js and jQuery are copied next to them into
``_static/``. They come from the npm registry, fetched once with ``npm pack``
(no install scripts run) into ``build/.npm/`` and reused from there.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package
import lesson_reader  # noqa: E402  (title, lead, objectives and time of a lesson)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
NPM_CACHE = ROOT / "build" / ".npm"
SOLUTION_TAG = "solution"
STATIC = "_static"

# npm package -> (pinned version, files or globs inside the package to ship).
NPM_ASSETS = {
    "requirejs": ("2.3.8", ["require.js"]),
    "mathjax": (
        "2.7.9",
        [
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions",
            "jax/element",
            "jax/input/TeX",
            "jax/output/CommonHTML",
            "fonts/HTML-CSS/TeX/woff",
        ],
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        ["dist/embed-amd.js", "dist/*.woff", "dist/*.woff2", "dist/*.ttf", "dist/*.svg"],
    ),
    "reveal.js": ("4.6.1", ["dist", "plugin/notes"]),
    "jquery": ("3.7.1", ["dist/jquery.min.js"]),
}
HTML_PACKAGES = ["requirejs", "mathjax", "@jupyter-widgets/html-manager"]
SLIDES_PACKAGES = [*HTML_PACKAGES, "reveal.js", "jquery"]

# Where the exporters find those files, relative to the page.
ASSET_URLS = {
    "require_js_url": f"{STATIC}/requirejs/require.js",
    "mathjax_url": f"{STATIC}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": f"{STATIC}/html-manager/dist/embed-amd.js",
}
SLIDES_URLS = {
    **ASSET_URLS,
    "jquery_url": f"{STATIC}/jquery/dist/jquery.min.js",
    "reveal_url_prefix": f"{STATIC}/reveal.js",
}


# --- notebooks --------------------------------------------------------------


def read_notebook(path: Path):
    """Read a notebook as nbformat v4."""
    return nbformat.read(path, as_version=4)


def without_solutions(nb):
    """Return a copy of ``nb`` without the cells tagged ``solution``."""
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG})
    nb, _ = remover.preprocess(copy.deepcopy(nb), {})
    return nb


_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)


def fold_details(nb):
    """Return a copy of ``nb`` whose markdown ``<details>`` blocks stay folded in HTML.

    Jupyter renders ``<details><summary>Hint</summary>`` + blank line + markdown +
    ``</details>`` as one folded block, but nbconvert's markdown parser ends an HTML
    block at the first blank line, so the hint's text would land outside the
    ``<details>`` and show unasked. Here the inner markdown is rendered to HTML
    first (maths left for MathJax) and the block is written without blank lines.
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    def fold(match):
        inner = markdown2html_mistune(match.group(2).strip())
        inner = re.sub(r"\n\s*\n", "\n", inner.strip())
        return f"<details><summary>{match.group(1)}</summary>\n{inner}\n</details>"

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<details" in cell.source:
            cell.source = _DETAILS.sub(fold, cell.source)
    return nb


# --- links, saved widgets, lesson summaries ----------------------------------------

_LESSON_LINK = re.compile(
    r"(?P<lead>\]\(\s*<?|href=[\"'])(?:\./)?(?P<stem>\d\d_[A-Za-z0-9_]+)\.ipynb(?P<anchor>#[^)\"'\s>]*)?"
)


def rewrite_lesson_links(nb, suffix: str, stems: set[str]):
    """Return a copy of ``nb`` whose links to lessons in ``stems`` end in ``suffix``.

    ``[Lesson 05](05_logistic_regression.ipynb)`` becomes
    ``[Lesson 05](05_logistic_regression.html)`` on the site and ``….slides.html``
    in the decks; links to notebooks that are not built are left alone. The
    repository's README ("the list of all lessons") is not part of a build: a
    link to ``../README.md`` goes to the build's index.html instead.
    """
    def link(match):
        if match["stem"] not in stems:
            return match[0]
        return f"{match['lead']}{match['stem']}{suffix}{match['anchor'] or ''}"

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and ".ipynb" in cell.source:
            cell.source = _LESSON_LINK.sub(link, cell.source)
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"(\]\(\s*|href=[\"'])\.\./README\.md\b", r"\1index.html",
                                 cell.source)
    return nb


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STATIC_NOTE = ("Interactive only in Jupyter: this is the saved picture; "
               "run the lesson to move the sliders.")


def _model_id(ref) -> str:
    return ref[len("IPY_MODEL_"):] if isinstance(ref, str) else ""


def _readout(state: dict) -> str:
    """A control's saved value as its readout shows it (``readout_format`` when numeric)."""
    value = state.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(state.get("label") or value)
    fmt = str(state.get("readout_format") or "")
    try:
        return format(value, fmt) if fmt else f"{value:g}"
    except ValueError:
        return f"{value:g}"


def _saved_parts(models: dict, model_id: str, controls: list, pictures: list) -> None:
    """Collect the controls [(label, readout)] and pictures [html] under a saved widget."""
    model = models.get(model_id)
    if model is None:
        return
    state, name = model.get("state", {}), model.get("model_name", "")
    if name == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                fmt = html.escape(str(state.get("format") or "png"))
                pictures.append(f'<img alt="saved picture" src="data:image/{fmt};base64,'
                                f'{buffer["data"]}">')
    elif name == "OutputModel":
        for output in state.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                pictures.append(f'<img alt="saved picture" src="data:image/png;base64,'
                                f'{data["image/png"]}">')
            elif output.get("output_type") == "stream" or "text/plain" in data:
                text = output.get("text") or data.get("text/plain", "")
                text = "".join(text) if isinstance(text, list) else text
                pictures.append(f"<pre>{html.escape(text)}</pre>")
    elif name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        # an explorer's status line: its saved words, shown as text where it stood
        text = re.sub(r"<[^>]+>", "", str(state.get("value") or "")).strip()
        if text:
            pictures.append(f'<p class="explorer-status">{html.escape(html.unescape(text))}</p>')
    elif "value" in state and "description" in state:
        label = state.get("description") or "value"
        controls.append((label, _readout(state)))
    for child in state.get("children", []):
        _saved_parts(models, _model_id(child), controls, pictures)


def static_widgets(nb):
    """Return a copy of ``nb`` whose widget outputs are their saved pictures.

    A static page cannot run the Python behind a slider, so instead of dead
    sliders the page shows the saved picture, the saved value of every control
    as its readout shows it, and a note that the explorer is interactive only in
    Jupyter. Picture and values come from the same saved widget state, so they
    match. The widget state itself is dropped from the page.
    """
    nb = copy.deepcopy(nb)
    saved = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            controls, pictures = [], []
            _saved_parts(saved, view.get("model_id", ""), controls, pictures)
            values = ", ".join(f"{html.escape(label)} = <b>{html.escape(value)}</b>"
                               for label, value in controls)
            body = "\n".join(pictures) or "<p>(no saved picture: run the lesson in Jupyter)</p>"
            figure = (f'<figure class="static-explorer">\n{body}\n<figcaption>'
                      + (f"Saved at {values}. " if values else "")
                      + f"<em>{STATIC_NOTE}</em></figcaption>\n</figure>")
            outputs.append(nbformat.v4.new_output(
                "display_data", data={"text/html": figure}, metadata={}))
        cell.outputs = outputs
    return nb


def lesson_card(path: Path, href: str, title: str) -> dict:
    """What the index shows of a lesson: title, lead, estimated minutes, objectives.

    The facts come from tools/lesson_reader.py, which the syllabus reads too, so
    the site and the syllabus give the same times. A notebook that does not
    follow the lesson template ("# Lesson NN — Title") gets its title alone.
    """
    try:
        lesson = lesson_reader.read_lesson(Path(path))
    except ValueError:
        return {"href": href, "title": title, "summary": "", "minutes": None, "objectives": []}
    return {"href": href, "title": title, "summary": lesson.summary,
            "minutes": lesson.minutes, "objectives": list(lesson.objectives)}


# --- slides -------------------------------------------------------------------------

SLIDE_SIZE = (1280, 720)  # reveal.js's logical slide, scaled to the screen
SLIDE_BUDGET = 580  # px of estimated content before the build starts a subslide
DECK_IMAGE_MAX = (1180, 440)  # the deck's CSS caps pictures at this width and height
LINE_CHARS = {"markdown": 100, "code": 100}
LINE_PX = {"markdown": 34, "code": 25, "output": 23}


def _png_size(b64: str) -> tuple[int, int]:
    """(width, height) in pixels of a base64 PNG, from its IHDR chunk."""
    import base64
    import struct

    head = base64.b64decode(b64[:44] + "=" * (-len(b64[:44]) % 4))
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return (600, 400)
    return struct.unpack(">II", head[16:24])


def _shown_height(width: int, height: int) -> int:
    """Height of a picture once the deck's CSS has capped its width and height."""
    max_w, max_h = DECK_IMAGE_MAX
    return int(min(height * min(1.0, max_w / max(width, 1)), max_h))


def _text_height(text: str, kind: str) -> int:
    lines = text.splitlines() or [""]
    return sum(math.ceil(max(len(line), 1) / LINE_CHARS.get(kind, 100)) for line in lines) * (
        LINE_PX[kind])


def _markdown_height(source: str) -> int:
    height, in_math = 0, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("$$") or in_math:
            if stripped.startswith("$$"):
                height += 0 if in_math else 90
            if stripped.count("$$") % 2 == 1:
                in_math = not in_math
        elif stripped.startswith("#"):
            height += 75
        elif re.match(r"\|?\s*:?-{3,}", stripped):
            continue
        elif stripped.startswith("|"):
            height += 40
        elif not stripped:
            height += 14
        else:
            height += _text_height(stripped, "markdown")
    return height


def _output_height(output) -> int:
    data = output.get("data", {})
    if "image/png" in data:
        return _shown_height(*_png_size(data["image/png"])) + 16
    if "text/html" in data:
        text = data["text/html"]
        text = "".join(text) if isinstance(text, list) else text
        pictures = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]{44})', text)
        rows = text.count("<tr") * 34 + text.count("<pre>") * 3 * LINE_PX["output"]
        return sum(_shown_height(*_png_size(p)) for p in pictures) + rows + 60
    if WIDGET_VIEW in data:
        return 560
    text = output.get("text") or data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return _text_height(text, "output") + 10


def estimate_height(cell) -> int:
    """Rough height in px of ``cell`` on a 1280×720 slide (the deck's fonts and caps)."""
    if cell.cell_type == "markdown":
        return _markdown_height(cell.source) + 10
    if cell.cell_type != "code":
        return 0
    return 30 + _text_height(cell.source, "code") + sum(map(_output_height, cell.outputs))


def slide_type(cell) -> str:
    """The cell's ``slideshow.slide_type`` ('-' when it has none)."""
    return cell.metadata.get("slideshow", {}).get("slide_type") or "-"


def _with_slide_type(cell, kind: str):
    cell = copy.deepcopy(cell)
    cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
    return cell


def markdown_blocks(source: str) -> list[str]:
    """Split markdown at blank lines that end a block (not inside $$, ``` or <details>)."""
    blocks, current, fence, math_open, details = [], [], False, False, 0
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = not fence
        if not fence:
            if stripped.count("$$") % 2 == 1:
                math_open = not math_open
            details += line.count("<details") - line.count("</details>")
        if not stripped and not (fence or math_open or details > 0):
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    # A list item's indented continuation stays with its item.
    merged = []
    for block in blocks:
        if merged and block.startswith((" ", "\t")):
            merged[-1] += "\n\n" + block
        else:
            merged.append(block)
    return merged


def _heading(source: str) -> str | None:
    match = re.match(r"#+\s+(.*\S)", source.strip())
    return match.group(1).strip("# ") if match else None


def split_for_slides(nb, budget: int = SLIDE_BUDGET):
    """Return a copy of ``nb`` whose slides each hold about ``budget`` px at most.

    Markdown cells taller than half a slide are cut at their block boundaries;
    when the next cell would push a slide past ``budget``, it starts a new
    subslide headed "<section> (continued)". The estimate is rough on purpose:
    the deck scales down, in the browser, any slide that still does not fit.
    """
    nb = copy.deepcopy(nb)
    cells, used, heading = [], 0, None
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind in ("skip", "notes"):
            cells.append(cell)
            continue
        pieces = [cell]
        if cell.cell_type == "markdown" and estimate_height(cell) > budget // 2:
            blocks = markdown_blocks(cell.source)
            pieces = [copy.deepcopy(cell) for _ in blocks]
            for i, (piece, block) in enumerate(zip(pieces, blocks, strict=True)):
                piece.source = block
                if i:
                    piece.metadata["slideshow"] = {"slide_type": "-"}
                    if "id" in cell:
                        piece["id"] = f"{cell['id'][:56]}-{i}"
        for piece in pieces:
            piece_kind, height = slide_type(piece), estimate_height(piece)
            if piece_kind in ("slide", "subslide"):
                used = 0
            elif used and used + height > budget:
                title = f"{heading} (continued)" if heading else "(continued)"
                cont = nbformat.v4.new_markdown_cell(
                    f"#### {title}", metadata={"slideshow": {"slide_type": "subslide"}})
                cont["id"] = f"{str(piece.get('id', 'cell'))[:56]}-cont"
                cells.append(cont)
                used = estimate_height(cont)
                if piece_kind == "fragment":
                    piece = _with_slide_type(piece, "-")
            if piece.cell_type == "markdown" and _heading(piece.source):
                heading = _heading(piece.source)
            used += height
            cells.append(piece)
    nb.cells = cells
    return nb


def present_notebook(nb):
    """A copy of ``nb`` to present live in JupyterLab with jupyterlab-slideshow.

    jupyterlab-slideshow (0.3) shows only cells whose slide type it knows, and
    it does not know nbformat's ``"-"`` (continue the current slide): such cells
    vanish from its slides. Here ``"-"`` is dropped (no type means the same), and
    long sections are split into subslides as for the decks.
    """
    nb = split_for_slides(nb)
    for cell in nb.cells:
        show = cell.metadata.get("slideshow", {})
        if show.get("slide_type") == "-":
            del show["slide_type"]
        if "slideshow" in cell.metadata and not show:
            del cell.metadata["slideshow"]
    return nb


def student_notebook(nb):
    """Return the student copy of ``nb``: no solution cells, no outputs, no widget state."""
    nb = without_solutions(nb)
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    nb.metadata.pop("widgets", None)
    return nb


def lesson_title(nb, fallback: str) -> str:
    """Return the text of the first markdown heading of ``nb``, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"#+\s+(.*\S)", line)
            if match:
                return match.group(1).strip("# ")
    return fallback


def remove_stale(out: Path, pattern: str, keep: set[str]) -> None:
    """Delete files in ``out`` matching ``pattern`` that this build did not write."""
    for old in Path(out).glob(pattern):
        if old.name not in keep:
            old.unlink()


def copy_notebook_assets(src_dir: Path, out: Path) -> None:
    """Copy what sits next to the notebooks (images, small files) into ``out``.

    Notebooks, hidden files, checkpoints and caches are left behind.
    """
    for src in sorted(Path(src_dir).iterdir()):
        if src.suffix == ".ipynb" or src.name.startswith(".") or src.name == "__pycache__":
            continue
        if src.is_dir():
            shutil.copytree(src, out / src.name, dirs_exist_ok=True)
        else:
            shutil.copy2(src, out / src.name)


# --- offline assets -----------------------------------------------------------


def fetch_package(name: str, version: str, cache: Path = NPM_CACHE) -> Path:
    """Return the folder holding npm package ``name@version``, fetching it once.

    ``npm pack`` downloads the package tarball (no dependencies, no scripts);
    it is unpacked into ``cache/<name>-<version>/`` and reused afterwards.
    """
    folder = Path(cache) / f"{name.lstrip('@').replace('/', '+')}-{version}"
    if (folder / "package.json").exists():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm (Node.js) is needed once to fetch {name}@{version} into {cache}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        [npm, "pack", f"{name}@{version}", "--json", "--pack-destination", str(folder.parent)],
        capture_output=True, text=True,
    )
    if packed.returncode != 0:
        raise RuntimeError(f"npm pack {name}@{version} failed:\n{packed.stderr[-2000:]}")
    tarball = folder.parent / json.loads(packed.stdout)[0]["filename"]
    scratch = folder.parent / f"{folder.name}.tmp{os.getpid()}"
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
    with tarfile.open(tarball) as tar:
        tar.extractall(scratch, **safe)
    try:
        (scratch / "package").rename(folder)
    except OSError:  # another process unpacked it first
        pass
    shutil.rmtree(scratch, ignore_errors=True)
    tarball.unlink(missing_ok=True)
    return folder


def assets_available(cache: Path = NPM_CACHE) -> bool:
    """True when every offline asset is cached in ``cache`` or npm can fetch it."""
    cached = all(
        (Path(cache) / f"{name.lstrip('@').replace('/', '+')}-{version}").exists()
        for name, (version, _) in NPM_ASSETS.items()
    )
    return cached or shutil.which("npm") is not None


def install_assets(static: Path, packages: list[str], cache: Path = NPM_CACHE) -> None:
    """Copy the shipped files of ``packages`` into ``static/<short name>/``."""
    for name in packages:
        version, patterns = NPM_ASSETS[name]
        package = fetch_package(name, version, cache)
        dest = Path(static) / name.split("/")[-1]
        for pattern in patterns:
            matches = sorted(package.glob(pattern))
            if not matches:
                raise FileNotFoundError(f"{name}@{version} has no {pattern}")
            for src in matches:
                target = dest / src.relative_to(package)
                if src.is_dir():
                    shutil.copytree(src, target, dirs_exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, target)


# --- pages --------------------------------------------------------------------


def html_exporter() -> HTMLExporter:
    """An HTMLExporter using tools/templates/lesson.html.j2 and local assets."""
    return HTMLExporter(
        template_name="lab", template_file="lesson.html.j2",
        extra_template_paths=[str(TEMPLATES)], embed_images=True, **ASSET_URLS,
    )


def slides_exporter() -> SlidesExporter:
    """A SlidesExporter using tools/templates/deck.html.j2 and local reveal.js.

    1280×720 slides (reveal.js scales them to the screen), no scroll bars,
    slide numbers; the template adds the CSS and the fit-to-slide script.
    """
    return SlidesExporter(
        template_name="reveal", template_file="deck.html.j2",
        extra_template_paths=[str(TEMPLATES)], embed_images=True, reveal_scroll=False,
        reveal_theme="white",  # white, black and serif load no web fonts
        reveal_number="c/t", reveal_transition="none",
        reveal_width=str(SLIDE_SIZE[0]), reveal_height=str(SLIDE_SIZE[1]),
        **SLIDES_URLS,
    )


def export(exporter, nb, path: Path, title: str, **extra) -> str:
    """Render ``nb`` (read from ``path``) with ``exporter``; ``extra`` goes to the template."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    resources = {"metadata": {"name": title, "path": str(Path(path).parent)}, **extra}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def navigation(pages: list[tuple[str, str]], index: int) -> dict:
    """Prev / index / next links for page ``index`` of ``pages`` [(href, title)]."""
    def link(i):
        return {"href": pages[i][0], "title": pages[i][1]} if 0 <= i < len(pages) else None

    return {"prev": link(index - 1), "next": link(index + 1), "index": "index.html"}


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def index_page(heading: str, lessons: list[dict], intro: str = "") -> str:
    """A self-contained index.html: per lesson its title (linked), lead, time, objectives.

    ``lessons``: dicts with href, title, summary, minutes and objectives (markdown);
    maths in them is typeset by the MathJax copied into ``_static/``.
    """
    cards = []
    for lesson in lessons:
        goals = "".join(f"<li>{_markdown(item).strip().removeprefix('<p>').removesuffix('</p>')}"
                        "</li>" for item in lesson["objectives"])
        cards.append(
            f'<section class="lesson">\n<h2><a href="{html.escape(lesson["href"])}">'
            f'{html.escape(lesson["title"])}</a></h2>\n'
            + (f'<p class="time">About {lesson["minutes"]} minutes</p>\n'
               if lesson["minutes"] else "")
            + (_markdown(lesson["summary"]) if lesson["summary"] else "")
            + (f'<p class="goals">Objectives:</p>\n<ul>{goals}</ul>\n' if goals else "")
            + "</section>"
        )
    mathjax = ASSET_URLS["mathjax_url"]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [['$', '$']], processEscapes: true}},
                    messageStyle: 'none'}});
</script>
<script src="{mathjax}"></script>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
  line-height: 1.5; }}
section.lesson {{ border-top: 1px solid #ccc; padding: 0.5em 0; }}
section.lesson h2 {{ margin: 0.3em 0 0; font-size: 1.3em; }}
p.time {{ margin: 0; color: #555; font-size: 0.95em; }}
p.goals {{ margin-bottom: 0; font-weight: 600; }}
li {{ margin: 0.2em 0; }}
</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
{intro}
{chr(10).join(cards)}
</body>
</html>
"""


# --- builds ---------------------------------------------------------------------


def write_notebooks(notebooks: list[Path], out: Path, transform) -> list[Path]:
    """Write ``transform(nb)`` of each notebook into ``out`` (same names); return the paths.

    Notebooks from an earlier build that are no longer listed are removed, and
    what sits next to the notebooks (data, pictures) is copied along.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, notebooks):
        target = out / path.name
        nbformat.write(transform(read_notebook(path)), target)
        written.append(target)
    remove_stale(out, "*.ipynb", {p.name for p in written})
    for folder in sorted({Path(p).parent for p in notebooks}):
        copy_notebook_assets(folder, out)
    return written


def build_student(notebooks: list[Path], out: Path) -> list[Path]:
    """Write student copies of ``notebooks`` into ``out``; return their paths."""
    return write_notebooks(notebooks, out, student_notebook)


def build_site(notebooks, out, exporter, packages, suffix, heading, cache=NPM_CACHE,
               prepare=None, intro=""):
    """Export each notebook to ``out/<stem><suffix>``, copy assets, write index.html.

    ``prepare(nb)`` (optional) transforms each notebook before export, after its
    links to the other lessons have been pointed at their pages. Pages get
    prev / index / next links through ``resources['lesson_nav']``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    install_assets(out / STATIC, packages, cache)
    lessons = [(Path(p), read_notebook(p)) for p in notebooks]
    pages = [(p.stem + suffix, lesson_title(nb, p.stem)) for p, nb in lessons]
    stems = {p.stem for p, _ in lessons}
    for i, (path, nb) in enumerate(lessons):
        nb = rewrite_lesson_links(nb, suffix, stems)
        nb = prepare(nb) if prepare else nb
        body = export(exporter, nb, path, pages[i][1], lesson_nav=navigation(pages, i))
        (out / pages[i][0]).write_text(body, encoding="utf-8")
    cards = [lesson_card(path, href, title)
             for (href, title), (path, _) in zip(pages, lessons, strict=True)]
    (out / "index.html").write_text(index_page(heading, cards, intro), encoding="utf-8")
    remove_stale(out, "*" + suffix, {href for href, _ in pages} | {"index.html"})
    for folder in sorted({Path(p).parent for p in notebooks}):
        copy_notebook_assets(folder, out)
    return [out / href for href, _ in pages]


def instructor_page(nb):
    """The instructor site's lesson: hints and solutions folded, explorers as pictures."""
    return static_widgets(fold_details(nb))


def student_page(nb):
    """The student site's lesson: no solution cells (nor their outputs), hints folded."""
    return instructor_page(without_solutions(nb))


def deck(nb):
    """A lesson as a deck: no solutions, hints folded, explorers as pictures, split to fit."""
    return split_for_slides(static_widgets(fold_details(without_solutions(nb))))


def build_html(notebooks: list[Path], out: Path, cache: Path = NPM_CACHE) -> list[Path]:
    """Write the instructor site (index.html + one page per lesson, solutions folded)."""
    return build_site(notebooks, out, html_exporter(), HTML_PACKAGES, ".html",
                      "GLM lessons", cache, prepare=instructor_page,
                      intro="<p>Instructor edition: each solution is folded under its "
                            "exercise.</p>")


def build_html_student(notebooks: list[Path], out: Path, cache: Path = NPM_CACHE) -> list[Path]:
    """Write the student site: the same pages without solution cells or their outputs."""
    return build_site(notebooks, out, html_exporter(), HTML_PACKAGES, ".html",
                      "GLM lessons", cache, prepare=student_page)


def build_slides(notebooks: list[Path], out: Path, cache: Path = NPM_CACHE) -> list[Path]:
    """Write one reveal.js deck per lesson (solutions removed) into ``out``."""
    return build_site(notebooks, out, slides_exporter(), SLIDES_PACKAGES, ".slides.html",
                      "GLM lesson slides", cache, prepare=deck)


def build_present(notebooks: list[Path], out: Path) -> list[Path]:
    """Write the copies to present live in JupyterLab (see present_notebook) into ``out``."""
    return write_notebooks(notebooks, out, present_notebook)


BUILDS = {"student": build_student, "html": build_html, "html-student": build_html_student,
          "slides": build_slides, "present": build_present}


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", choices=sorted(BUILDS))
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default: build/<build>)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "build" / args.build
    written = BUILDS[args.build](args.notebooks, out)
    print(f"{args.build}: wrote {len(written)} file(s) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
