"""`make bench`: fit speed against statsmodels and scikit-learn, slider latency, notebooks,
and the time to grade a class of 30 lesson-04 notebooks.

Run from the repository root: ``python -m tests.benchmarks [--quick] [--no-browser]``.
Prints tables; asserts nothing (the timed targets are reported, not tested).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np

from glmlesson import fit

ROOT = Path(__file__).resolve().parents[2]
N_FEATURES = 10


def _median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def _problem(kind, n, rng):
    X = np.column_stack([np.ones(n), rng.normal(0.0, 0.5, (n, N_FEATURES))])
    beta = rng.normal(0.0, 0.4, N_FEATURES + 1)
    eta = X @ beta
    if kind == "poisson":
        return X, rng.poisson(np.exp(eta)).astype(float)
    return X, rng.binomial(1, 1.0 / (1.0 + np.exp(-eta))).astype(float)


def _statsmodels(kind, X, y):
    import statsmodels.api as sm

    family = sm.families.Poisson() if kind == "poisson" else sm.families.Binomial()
    return sm.GLM(y, X, family=family).fit(tol=1e-10).params


def _sklearn(kind, X, y):
    from sklearn.linear_model import LogisticRegression, PoissonRegressor

    if kind == "poisson":
        model = PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-8, max_iter=100)
    else:
        model = LogisticRegression(penalty=None, solver="newton-cholesky", tol=1e-8,
                                   max_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[:, 1:], y)
    return np.concatenate([np.ravel(model.intercept_), np.ravel(model.coef_)])


def _one_gram(X):
    weights = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[0])
    X = np.asfortranarray(X)
    seconds, _ = _median_time(lambda: (lambda s: s.T @ s)(X * np.sqrt(weights)[:, None]), 3)
    return seconds


def fit_speed(sizes):
    """Print ours vs statsmodels vs scikit-learn for Poisson and logistic regression."""
    print(f"\nFit speed, {N_FEATURES} features + intercept (median seconds; diff = max |coef − "
          "statsmodels coef|)")
    header = (f"{'model':<9}{'n':>9}{'glmlesson':>11}{'iters':>6}{'statsmodels':>13}"
              f"{'sklearn':>9}{'sm/ours':>9}{'sk/ours':>9}{'ours/(it×XᵀWX)':>16}"
              f"{'diff ours':>11}{'diff sk':>10}")
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(2024)
    for kind in ("poisson", "logistic"):
        for n in sizes:
            X, y = _problem(kind, n, rng)
            # median of 5 (statsmodels, slow at 1e6: of 3); a first, cold run counts too
            family = "poisson" if kind == "poisson" else "bernoulli"
            ours_time, result = _median_time(partial(fit, X, y, family), 5)
            sm_time, sm_coef = _median_time(partial(_statsmodels, kind, X, y),
                                            5 if n <= 100_000 else 3)
            sk_time, sk_coef = _median_time(partial(_sklearn, kind, X, y), 5)
            gram = _one_gram(X)
            print(
                f"{kind:<9}{n:>9}{ours_time:>11.4f}{result.n_iter:>6}{sm_time:>13.4f}"
                f"{sk_time:>9.4f}{sm_time / ours_time:>9.2f}{sk_time / ours_time:>9.2f}"
                f"{ours_time / (result.n_iter * gram):>16.2f}"
                f"{np.max(np.abs(result.coef - sm_coef)):>11.1e}"
                f"{np.max(np.abs(sk_coef - sm_coef)):>10.1e}"
            )


def slider_latency(browser: bool):
    """Python-level redraw time of each explorer, and the browser step latency if possible."""
    try:
        from tests.benchmarks import slider_latency as latency
    except ImportError as error:  # pragma: no cover - reported, not fatal
        print(f"\nSlider latency: not measured ({error})")
        return
    print("\nSlider step latency")
    for name, ms in latency.measure_explorer_latency().items():
        verdict = "ok" if ms["cpu_ms"] <= 50 else "OVER 50 ms"
        print(f"  python  {name:<46} median {ms['wall_ms']:6.1f} ms wall, "
              f"{ms['cpu_ms']:6.1f} ms CPU  {verdict}")
    for name, figures in latency.measure_python_latency().items():
        print(f"  python  {'stand-in ' + name:<46} median {figures:.1f} ms")
    if not browser:
        return
    if not Path("/usr/bin/chromium").exists():
        print("  browser: skipped (no /usr/bin/chromium; apt-get install chromium)")
        return
    lesson = ROOT / "notebooks" / "04_poisson_regression.ipynb"
    measured = latency.measure_browser_latency(notebook=lesson, apps=("lab", "notebook"))
    measured.update(latency.measure_browser_latency(
        strategies=("interact_inline", "livefigure_blit"), apps=("lab",)))
    for name, figures in measured.items():
        figures = {k: v for k, v in figures.items() if k != "samples_ms"}
        print(f"  browser {name:<46} {_describe(figures)}")


def _describe(figures):
    if isinstance(figures, dict):
        return ", ".join(
            f"{key.removesuffix('_ms')} {value:.1f} ms" if isinstance(value, (int, float))
            and key.endswith("_ms") else f"{key} {value}"
            for key, value in figures.items()
        )
    return str(figures)


def notebook_suite():
    """Time the nbval run over every lesson, as `make test` runs it."""
    command = [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env",
               "--nbval-sanitize-with", "tests/sanitize.cfg", "notebooks", "-q", "-p",
               "no:cacheprovider"]
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    last = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else "?"
    print(f"\nNotebook suite (nbval over notebooks/): {seconds:.1f} s — {last}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="n up to 1e5 only")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium latency")
    parser.add_argument("--only", choices=["fit", "slider", "notebooks", "grading"],
                        default=None)
    args = parser.parse_args(argv)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    if args.only in (None, "fit"):
        fit_speed(sizes)
    if args.only in (None, "slider"):
        slider_latency(browser=not args.no_browser)
    if args.only in (None, "notebooks"):
        notebook_suite()
    if args.only in (None, "grading"):
        from tests.benchmarks.grading import grading_time

        grading_time(30)


if __name__ == "__main__":
    main()
