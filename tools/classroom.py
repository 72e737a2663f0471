"""Classroom builds of the lesson notebooks: student copies, a static site, slides.

Usage (the Makefile's ``student``, ``html`` and ``slides`` targets)::

    python tools/classroom.py student notebooks/[0-9][0-9]_*.ipynb   # -> build/student/
    python tools/classroom.py html    notebooks/[0-9][0-9]_*.ipynb   # -> build/html/
    python tools/classroom.py slides  notebooks/[0-9][0-9]_*.ipynb   # -> build/slides/

``--out DIR`` writes elsewhere. Solution cells are code cells tagged
``solution``: the student copies and the slides drop them, the HTML pages fold
them into a closed ``<details>``.

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
    """A SlidesExporter using tools/templates/deck.html.j2 and local reveal.js."""
    return SlidesExporter(
        template_name="reveal", template_file="deck.html.j2",
        extra_template_paths=[str(TEMPLATES)], embed_images=True, reveal_scroll=True,
        reveal_theme="white",  # white, black and serif load no web fonts
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


def index_page(heading: str, pages: list[tuple[str, str]]) -> str:
    """A small self-contained index.html listing ``pages`` [(href, title)]."""
    items = "\n".join(
        f'  <li><a href="{html.escape(href)}">{html.escape(title)}</a></li>'
        for href, title in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
  line-height: 1.5; }}
li {{ margin: 0.3em 0; }}
</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<ol>
{items}
</ol>
</body>
</html>
"""


# --- builds ---------------------------------------------------------------------


def build_student(notebooks: list[Path], out: Path) -> list[Path]:
    """Write student copies of ``notebooks`` into ``out``; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, notebooks):
        target = out / path.name
        nbformat.write(student_notebook(read_notebook(path)), target)
        written.append(target)
    remove_stale(out, "*.ipynb", {p.name for p in written})
    for folder in sorted({Path(p).parent for p in notebooks}):
        copy_notebook_assets(folder, out)
    return written


def build_site(notebooks, out, exporter, packages, suffix, heading, cache=NPM_CACHE, prepare=None):
    """Export each notebook to ``out/<stem><suffix>``, copy assets, write index.html.

    ``prepare`` (optional) transforms each notebook before export. Pages get
    prev / index / next links through ``resources['lesson_nav']``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    install_assets(out / STATIC, packages, cache)
    lessons = [(Path(p), read_notebook(p)) for p in notebooks]
    pages = [(p.stem + suffix, lesson_title(nb, p.stem)) for p, nb in lessons]
    for i, (path, nb) in enumerate(lessons):
        nb = prepare(nb) if prepare else nb
        body = export(exporter, nb, path, pages[i][1], lesson_nav=navigation(pages, i))
        (out / pages[i][0]).write_text(body, encoding="utf-8")
    (out / "index.html").write_text(index_page(heading, pages), encoding="utf-8")
    remove_stale(out, "*" + suffix, {href for href, _ in pages} | {"index.html"})
    return [out / href for href, _ in pages]


def build_html(notebooks: list[Path], out: Path, cache: Path = NPM_CACHE) -> list[Path]:
    """Write the static site (index.html + one page per lesson) into ``out``."""
    return build_site(notebooks, out, html_exporter(), HTML_PACKAGES, ".html",
                      "GLM lessons", cache, prepare=fold_details)


def build_slides(notebooks: list[Path], out: Path, cache: Path = NPM_CACHE) -> list[Path]:
    """Write one reveal.js deck per lesson (solutions removed) into ``out``."""
    return build_site(notebooks, out, slides_exporter(), SLIDES_PACKAGES, ".slides.html",
                      "GLM lesson slides", cache,
                      prepare=lambda nb: fold_details(without_solutions(nb)))


BUILDS = {"student": build_student, "html": build_html, "slides": build_slides}


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
