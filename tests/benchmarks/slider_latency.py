"""Slider-step latency: from key press to the new plot on screen.

Two measurements, both for the course's reference figure (two axes: a scatter
of 80 points with a fitted curve, and a 300-point line):

* :func:`measure_python_latency` -- kernel-side cost of one step per display
  strategy (draw + PNG), no browser.
* :func:`measure_browser_latency` -- real JupyterLab 4 / Notebook 7 driven by
  Playwright and Debian's Chromium: the time from the keydown event to the
  first animation frame after the new picture has been decoded.

Run ``python -m tests.benchmarks.slider_latency`` from the repository root
(``--help`` for options). Needs Chromium for the browser part.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "browser"))

import jupyter_harness as harness  # noqa: E402

SETUP = """\
import numpy as np
rng = np.random.default_rng(0)
x = rng.uniform(0, 10, 80)
y = rng.poisson(np.exp(0.1 + 0.25 * x))
xs = np.linspace(0, 10, 300)
"""

# Each strategy: the code of the explorer cell. {cu} = continuous_update, {dpi} = dpi.
SLIDER = "FloatSlider(0.25, min=0.0, max=0.5, step=0.01, continuous_update={cu})"

STRATEGIES = {
    "interact_inline": """\
%matplotlib inline
import matplotlib.pyplot as plt
from ipywidgets import interact, FloatSlider

def show(b):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(6, 4), dpi={dpi})
    a1.scatter(x, y, s=10)
    a1.plot(xs, np.exp(0.1 + b * xs), "r")
    a2.plot(xs, np.sin(8 * b * xs))
    plt.show()

interact(show, b=""" + SLIDER + ")\n",
    "output_clear": """\
%matplotlib inline
from IPython.display import display
from ipywidgets import FloatSlider, Output, VBox
from matplotlib.figure import Figure
fig = Figure(figsize=(6, 4), dpi={dpi})
a1, a2 = fig.subplots(1, 2)
a1.scatter(x, y, s=10)
l1, = a1.plot(xs, np.exp(0.1 + 0.25 * xs), "r")
l2, = a2.plot(xs, np.sin(2 * xs))
a1.set_ylim(0, 40)
fig.tight_layout()
out = Output()
s = """ + SLIDER + """
def update(change):
    b = s.value
    l1.set_ydata(np.exp(0.1 + b * xs)); l2.set_ydata(np.sin(8 * b * xs))
    with out:
        out.clear_output(wait=True)
        display(fig)
s.observe(update, names="value")
update(None)
VBox([s, out])
""",
    "livefigure_update": """\
from ipywidgets import FloatSlider
from glmlesson.widgets import LiveFigure, live_controls
lines = {{}}
def draw(axes, b):
    a1, a2 = axes
    if not lines:
        a1.scatter(x, y, s=10)
        lines["mu"], = a1.plot(xs, np.exp(0.1 + b * xs), "r")
        lines["sin"], = a2.plot(xs, np.sin(8 * b * xs))
        a1.set_ylim(0, 40)
    lines["mu"].set_ydata(np.exp(0.1 + b * xs)); lines["sin"].set_ydata(np.sin(8 * b * xs))
live = LiveFigure(draw, ncols=2, dpi={dpi})
live_controls(live, {{"b": """ + SLIDER + """}})
""",
    "livefigure_blit": """\
from ipywidgets import FloatSlider
from glmlesson.widgets import LiveFigure, live_controls
lines = {{}}
def draw(axes, b):
    a1, a2 = axes
    if not lines:
        a1.scatter(x, y, s=10)
        lines["mu"], = a1.plot(xs, np.exp(0.1 + b * xs), "r", animated=True)
        lines["sin"], = a2.plot(xs, np.sin(8 * b * xs), animated=True)
        a1.set_ylim(0, 40); a2.set_ylim(-1.1, 1.1)
    lines["mu"].set_ydata(np.exp(0.1 + b * xs)); lines["sin"].set_ydata(np.sin(8 * b * xs))
live = LiveFigure(draw, ncols=2, dpi={dpi})
live_controls(live, {{"b": """ + SLIDER + """}})
""",
    "livefigure_clear": """\
from ipywidgets import FloatSlider
from glmlesson.widgets import LiveFigure, live_controls
def draw(axes, b):
    a1, a2 = axes
    a1.clear(); a2.clear()
    a1.scatter(x, y, s=10)
    a1.plot(xs, np.exp(0.1 + b * xs), "r")
    a2.plot(xs, np.sin(8 * b * xs))
live = LiveFigure(draw, ncols=2, dpi={dpi})
live_controls(live, {{"b": """ + SLIDER + """}})
""",
    "ipympl": """\
%matplotlib widget
import matplotlib.pyplot as plt
from ipywidgets import FloatSlider, VBox
plt.ioff()
fig, (a1, a2) = plt.subplots(1, 2, figsize=(6, 4), dpi={dpi})
fig.canvas.header_visible = False
a1.scatter(x, y, s=10)
l1, = a1.plot(xs, np.exp(0.1 + 0.25 * xs), "r")
l2, = a2.plot(xs, np.sin(2 * xs))
a1.set_ylim(0, 40)
fig.tight_layout()
s = """ + SLIDER + """
def update(change):
    b = s.value
    l1.set_ydata(np.exp(0.1 + b * xs)); l2.set_ydata(np.sin(8 * b * xs))
    fig.canvas.draw_idle()
s.observe(update, names="value")
VBox([s, fig.canvas])
""",
}


def strategy_notebook(strategy: str, dpi: int = 100, continuous_update: bool = True):
    """A notebook with the setup cell and one explorer cell for ``strategy``."""
    code = STRATEGIES[strategy].format(dpi=dpi, cu=continuous_update)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(code)]
    return nb


def _summary(latencies: list[float | None]) -> dict:
    done = [v for v in latencies if v is not None]
    return {
        "median_ms": round(statistics.median(done), 1) if done else None,
        "min_ms": round(min(done), 1) if done else None,
        "max_ms": round(max(done), 1) if done else None,
        "missed": len(latencies) - len(done),
        "samples_ms": [None if v is None else round(v, 1) for v in latencies],
    }


def measure_browser_latency(
    strategies=("interact_inline", "output_clear", "livefigure_update", "livefigure_blit"),
    apps=("lab",),
    dpis=(100,),
    continuous_updates=(True,),
    steps: int = 12,
    notebook: Path | None = None,
    slider_index: int = 0,
) -> dict:
    """Median key-press-to-new-picture latency (ms) in a real browser.

    Args:
        strategies: names from :data:`STRATEGIES` (ignored if ``notebook``).
        apps: ``"lab"`` and/or ``"notebook"`` (Notebook 7).
        dpis, continuous_updates: variants to try for each strategy.
        steps: slider steps per variant (the first one is dropped as warm-up).
        notebook: measure this notebook instead (e.g. a lesson); its
            ``slider_index``-th slider is stepped after Run All.

    Returns:
        ``{"<app>/<strategy>/dpi=<d>/cu=<c>": {"median_ms": ..., ...}}``.
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        cases = {}
        if notebook is not None:
            cases[Path(notebook).stem] = Path(notebook)
        else:
            for strategy in strategies:
                for dpi in dpis:
                    for cu in continuous_updates:
                        path = Path(tmp) / f"{strategy}-{dpi}-{cu}.ipynb"
                        nbformat.write(strategy_notebook(strategy, dpi, cu), path)
                        cases[f"{strategy}/dpi={dpi}/cu={cu}"] = path
        results = {}
        with sync_playwright() as playwright:
            browser = harness.launch_chromium(playwright)
            try:
                for app in apps:
                    with harness.JupyterServer(app, cases.values()) as server:
                        for key, path in cases.items():
                            page = browser.new_page(viewport={"width": 1400, "height": 1000})
                            try:
                                harness.open_notebook(page, server, path.name)
                                harness.run_all(page, server)
                                page.locator(".widget-slider").nth(slider_index).wait_for()
                                time.sleep(0.5)
                                latencies = harness.measure_steps(
                                    page, app, steps=steps + 1, index=slider_index
                                )[1:]
                                results[f"{app}/{key}"] = _summary(latencies)
                            except Exception as error:  # report it, measure the rest
                                results[f"{app}/{key}"] = {"error": repr(error)[:300]}
                            finally:
                                print(app, key, results.get(f"{app}/{key}"), file=sys.stderr)
                                page.close()
                                _shutdown_kernels(server)
            finally:
                browser.close()
    return results


def _shutdown_kernels(server) -> None:
    import urllib.request

    for session in server.api("sessions"):
        request = urllib.request.Request(
            f"{server.base_url}/api/sessions/{session['id']}",
            method="DELETE",
            headers={"Authorization": f"token {server.token}"},
        )
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except OSError:
            pass
    time.sleep(1.0)


def measure_python_latency(steps: int = 30, dpis=(100, 72)) -> dict:
    """Kernel-side cost (ms, median) of one slider step per strategy, no browser.

    ``inline`` is what ``interact`` does (new pyplot figure, tight bbox PNG);
    the ``livefigure_*`` entries time :meth:`glmlesson.widgets.LiveFigure.render`.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from glmlesson.widgets import LiveFigure

    namespace: dict = {}
    exec(SETUP, namespace)  # noqa: S102 - our own constant
    x, y, xs = namespace["x"], namespace["y"], namespace["xs"]
    results = {}

    def timed(step) -> float:
        times = []
        for i in range(steps + 1):
            start = time.perf_counter()
            step(0.1 + 0.01 * (i % 20))
            times.append(time.perf_counter() - start)
        return round(1000 * statistics.median(times[1:]), 1)

    for dpi in dpis:

        def inline(b, dpi=dpi):
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(6, 4), dpi=dpi)
            a1.scatter(x, y, s=10)
            a1.plot(xs, np.exp(0.1 + b * xs), "r")
            a2.plot(xs, np.sin(8 * b * xs))
            fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
            plt.close(fig)

        results[f"inline/dpi={dpi}"] = timed(inline)
        for mode in ("update", "blit", "clear"):
            lines: dict = {}

            def draw(axes, b, mode=mode, lines=lines):
                a1, a2 = axes
                if mode == "clear":
                    a1.clear()
                    a2.clear()
                    lines.clear()
                if not lines:
                    animated = mode == "blit"
                    a1.scatter(x, y, s=10)
                    (lines["mu"],) = a1.plot(xs, np.exp(0.1 + b * xs), "r", animated=animated)
                    (lines["sin"],) = a2.plot(xs, np.sin(8 * b * xs), animated=animated)
                    a1.set_ylim(0, 40)
                    a2.set_ylim(-1.1, 1.1)
                lines["mu"].set_ydata(np.exp(0.1 + b * xs))
                lines["sin"].set_ydata(np.sin(8 * b * xs))

            live = LiveFigure(draw, ncols=2, dpi=dpi)
            results[f"livefigure_{mode}/dpi={dpi}"] = timed(lambda b, live=live: live.render(b=b))
    return results


def measure_explorer_latency(steps: int = 30) -> dict:
    """Kernel-side cost of one control step of each course explorer.

    Every step sets a value the explorer has not shown before (no cached fit),
    so the time includes the computation as well as the redraw. Returns
    ``{"explorer: control": {"wall_ms": median, "cpu_ms": median}}``: the wall
    clock, and the CPU time of this process (what a step costs on an idle
    machine; on a busy one the wall clock also counts the waits for a core).
    """
    import numpy as np

    from glmlesson import Binomial, NegativeBinomial, simulate
    from glmlesson.widgets import (
        family_explorer,
        learning_rate_explorer,
        link_explorer,
        ordinal_explorer,
        penalty_explorer,
        random_intercept_explorer,
        tweedie_explorer,
    )

    data = simulate.seed_poisson_counts()

    def timed(explorer, name, values) -> dict:
        wall, cpu = [], []
        for value in values[: steps + 1]:
            start, start_cpu = time.perf_counter(), time.process_time()
            explorer.controls[name].value = value
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return {"wall_ms": round(1000 * statistics.median(wall[1:]), 1),
                "cpu_ms": round(1000 * statistics.median(cpu[1:]), 1)}

    def spread(explorer, name):
        slider = explorer.controls[name]
        return list(np.linspace(slider.min, slider.max, steps + 1))

    rates = [10 ** (-3 + 0.02 * k) for k in range(40, 40 + steps + 1)]
    results = {
        "learning_rate_explorer: learning rate": timed(
            learning_rate_explorer(data.X, data.y, "poisson"), "learning_rate", rates),
        "learning_rate_explorer: iterations": timed(
            learning_rate_explorer(data.X, data.y, "poisson"), "iterations",
            list(range(310, 310 + 10 * (steps + 1), 10))),
    }
    links = link_explorer(data.X, data.y, "poisson")
    names = [value for _, value in links.controls["link"].options]
    results["link_explorer: link"] = timed(links, "link", (names * steps)[1: steps + 2])
    family = family_explorer("poisson")
    results["family_explorer: θ"] = timed(family, "theta", spread(family, "theta"))
    binomial = family_explorer(Binomial(10))
    results["family_explorer: trials"] = timed(binomial, "trials", list(range(11, 12 + steps)))
    negative_binomial = family_explorer(NegativeBinomial(0.5))
    results["family_explorer: α"] = timed(negative_binomial, "alpha",
                                          [10 ** v for v in np.linspace(-2, 1, steps + 1)])
    gamma = family_explorer("gamma")
    results["family_explorer: φ (Gamma)"] = timed(gamma, "scale", spread(gamma, "scale"))
    intercepts = random_intercept_explorer()
    results["random_intercept_explorer: σ"] = timed(intercepts, "sigma",
                                                    spread(intercepts, "sigma"))
    ordinal = ordinal_explorer(thresholds=(-1.0, 0.5, 2.0))
    results["ordinal_explorer: slope"] = timed(ordinal, "slope", spread(ordinal, "slope"))
    results["ordinal_explorer: threshold"] = timed(
        ordinal, "threshold_1", list(np.linspace(-0.9, 1.9, steps + 1)))
    tweedie = tweedie_explorer()
    results["tweedie_explorer: power"] = timed(tweedie, "power", spread(tweedie, "power"))
    results["tweedie_explorer: mean"] = timed(tweedie, "mean", spread(tweedie, "mean"))
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(200), rng.normal(size=(200, 6))])
    y = rng.poisson(np.exp(X @ np.array([0.3, 0.5, -0.4, 0, 0, 0.2, 0]))).astype(float)
    penalties = penalty_explorer(X, y, "poisson")
    slider = penalties.controls["penalty"]
    results["penalty_explorer: penalty"] = timed(
        penalties, "penalty", [10 ** v for v in np.linspace(slider.min, slider.max, steps + 1)])
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", default="lab,notebook")
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--dpis", default="100")
    parser.add_argument("--continuous-update", default="True", help="True, False or both")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--notebook", type=Path, help="measure this notebook's first slider")
    parser.add_argument("--no-browser", action="store_true", help="kernel-side timings only")
    args = parser.parse_args(argv)
    # Turn SIGTERM into SystemExit so the Jupyter servers started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = {"python": measure_python_latency()}
    if not args.no_browser:
        cus = {"True": (True,), "False": (False,), "both": (True, False)}[args.continuous_update]
        report["browser"] = measure_browser_latency(
            strategies=args.strategies.split(","),
            apps=args.apps.split(","),
            dpis=tuple(int(d) for d in args.dpis.split(",")),
            continuous_updates=cus,
            steps=args.steps,
            notebook=args.notebook,
        )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
