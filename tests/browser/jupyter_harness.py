"""Start a private Jupyter server and drive it with Playwright + Debian's Chromium.

Used by the browser tests (``tests/browser``) and by the slider-latency
benchmark (``tests/benchmarks/slider_latency.py``). Nothing here downloads a
browser: Chromium comes from the system (``apt-get install chromium``).

The two front ends differ in a few places, named by ``app``:

* ``"lab"`` -- JupyterLab 4: ``/lab/tree/<name>``; an ipywidgets slider
  moves with ArrowRight once its handle has focus.
* ``"notebook"`` -- Notebook 7: ``/notebooks/<name>``; its keyboard manager
  swallows ArrowLeft/ArrowRight before they reach the slider, so the slider is
  moved by typing a value into its readout and pressing Enter.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import nbformat

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    "Chromium not found (looked for {}); install it with `apt-get install chromium` "
    "(Debian/Ubuntu) or set GLMLESSON_CHROMIUM to its path"
)
APPS = ("lab", "notebook")
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"


def find_chromium() -> str | None:
    """Path of a system Chromium: $GLMLESSON_CHROMIUM, else the Debian paths."""
    override = os.environ.get("GLMLESSON_CHROMIUM")
    if override:
        return override if os.access(override, os.X_OK) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def strip_outputs(source: Path, target: Path) -> None:
    """Copy a notebook with outputs and execution counts removed."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, target)


class JupyterServer:
    """A ``jupyter lab`` / ``jupyter notebook`` process private to one test session.

    It listens on 127.0.0.1 at a free port with a random token, serves a
    temporary directory holding output-stripped copies of ``notebooks``, and
    uses temporary config/data/runtime/IPython directories, so nothing from
    the user's own settings takes part. :meth:`stop` ends only this process.

    Args:
        app: ``"lab"`` or ``"notebook"``.
        notebooks: paths of notebooks to copy into the served directory.
        extra_files: other files to copy there as they are.
        startup_timeout: seconds to wait for ``/api/status``.
    """

    def __init__(
        self,
        app: str,
        notebooks: Iterable[Path],
        extra_files: Iterable[Path] = (),
        startup_timeout: float = 60.0,
    ) -> None:
        if app not in APPS:
            raise ValueError(f"app must be one of {APPS}, not {app!r}")
        import secrets

        self.app = app
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._tmp = Path(tempfile.mkdtemp(prefix=f"glmlesson-{app}-"))
        self.root_dir = self._tmp / "root"
        self.root_dir.mkdir()
        self.notebooks = []
        for path in notebooks:
            path = Path(path)
            strip_outputs(path, self.root_dir / path.name)
            self.notebooks.append(path.name)
        for path in extra_files:
            shutil.copy(path, self.root_dir / Path(path).name)
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.log_path = self._tmp / "server.log"

    # -- lifecycle -------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("config", "data", "runtime", "ipython", "mpl", "settings", "workspaces"):
            (self._tmp / name).mkdir(exist_ok=True)
        env.update(
            JUPYTER_CONFIG_DIR=str(self._tmp / "config"),
            JUPYTER_DATA_DIR=str(self._tmp / "data"),
            JUPYTER_RUNTIME_DIR=str(self._tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self._tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self._tmp / "workspaces"),
            IPYTHONDIR=str(self._tmp / "ipython"),
            MPLCONFIGDIR=str(self._tmp / "mpl"),
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.pop("JUPYTER_PATH", None)
        env.pop("MPLBACKEND", None)
        # The kernel spec says "python": make it this interpreter.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        # No news / update pop-ups.
        labconfig = self._tmp / "config" / "labconfig"
        labconfig.mkdir(exist_ok=True)
        (labconfig / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {ANNOUNCEMENTS: True}})
        )
        return env

    def start(self) -> JupyterServer:
        """Start the server and wait until ``/api/status`` answers."""
        module = "jupyterlab" if self.app == "lab" else "notebook"
        command = [
            sys.executable,
            "-m",
            module,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.open_browser=False",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            command,
            cwd=self.root_dir,
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited early:\n{self.log_tail()}")
            try:
                self.api("status")
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"jupyter {self.app} did not answer in time:\n{self.log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server this object started (and its kernels); nothing else."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # The server runs in its own session; its kernels are its children.
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=timeout)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> JupyterServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- helpers ---------------------------------------------------------

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def api(self, path: str):
        """GET ``/api/<path>`` with the token; returns the decoded JSON."""
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def notebook_url(self, name: str) -> str:
        """URL that opens notebook ``name`` in this front end (token included).

        For JupyterLab the URL also resets the workspace, so notebooks opened
        earlier by other tests are not restored next to this one.
        """
        if self.app == "lab":
            return f"{self.base_url}/lab/tree/{name}?token={self.token}&reset"
        return f"{self.base_url}/notebooks/{name}?token={self.token}"


def launch_chromium(playwright, executable: str | None = None):
    """Launch the system Chromium headless with the sandbox-free flags CI needs."""
    executable = executable or find_chromium()
    if executable is None:
        raise FileNotFoundError(MISSING_CHROMIUM.format(", ".join(CHROMIUM_CANDIDATES)))
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )


# -- page helpers ----------------------------------------------------------

CODE_CELL = ".jp-Notebook .jp-CodeCell"


def open_notebook(page, server: JupyterServer, name: str, timeout: float = 60.0) -> None:
    """Open notebook ``name`` and wait until its kernel is steadily idle."""
    page.goto(server.notebook_url(name))
    page.wait_for_selector(CODE_CELL, timeout=timeout * 1000)
    page.glmlesson_notebook = name  # which session wait_kernel_idle watches
    wait_kernel_idle(page, server, timeout=timeout)


def _kernel_states(server: JupyterServer, name: str | None) -> list[tuple[str, int]]:
    """(execution_state, connections) of the kernels of notebook ``name`` (all if None)."""
    try:
        sessions = server.api("sessions")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return []  # e.g. a 500 while another kernel shuts down: ask again
    return [
        (s["kernel"]["execution_state"], s["kernel"].get("connections", 0))
        for s in sessions
        if s.get("kernel") and (name is None or s.get("path", "").endswith(name))
    ]


def wait_kernel_idle(
    page, server: JupyterServer, timeout: float = 60.0, steady: float = 0.75
) -> None:
    """Wait until a kernel is connected and idle for ``steady`` seconds.

    The toolbar indicator reads "idle" once before the kernel even connects,
    so this asks the server (kernel state and number of connections) and the
    page (no cell shows ``[*]``) and wants both quiet for a while.
    """
    name = getattr(page, "glmlesson_notebook", None)
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        states = _kernel_states(server, name)
        busy_prompts = page.evaluate(
            """() => Array.from(document.querySelectorAll('.jp-InputArea-prompt'))
                   .filter(e => e.textContent.includes('*')).length"""
        )
        ok = bool(states) and all(s == "idle" and c >= 1 for s, c in states) and not busy_prompts
        now = time.monotonic()
        if ok:
            quiet_since = quiet_since or now
            if now - quiet_since >= steady:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    raise TimeoutError(
        f"kernel not steadily idle within {timeout}s: {_kernel_states(server, name)}"
    )


def run_all(page, server: JupyterServer, timeout: float = 120.0) -> None:
    """Run all cells through the Run menu, then wait for the kernel to settle.

    Both front ends have the Lumino menu bar with the command
    ``runmenu:run-all`` ("Run All Cells").
    """
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('[data-command="runmenu:run-all"]').first.click()
    # Cells whose input is collapsed (solutions) show a placeholder, not a prompt.
    n_cells = page.locator(CODE_CELL).count() - page.locator(
        ".jp-CodeCell .jp-InputPlaceholder").count()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompts = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                   '.jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent)"""
        )
        if len(prompts) >= n_cells and all(
            "*" not in p and any(ch.isdigit() for ch in p) for p in prompts
        ):
            break
        time.sleep(0.1)
    else:
        raise TimeoutError("Run All did not finish in time")
    wait_kernel_idle(page, server, timeout=timeout)


def cell_errors(page) -> list[str]:
    """Texts of error outputs (tracebacks) shown in the notebook."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
               '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
               + ' .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]'))
               .map(e => e.textContent)"""
    )


def run_all_without_errors(page, server: JupyterServer, name: str) -> None:
    """Open notebook ``name``, Run All, and fail if any cell printed an error."""
    open_notebook(page, server, name)
    run_all(page, server)
    errors = cell_errors(page)
    assert not errors, f"{name} printed errors:\n" + "\n".join(errors)


def plot_source(page) -> str:
    """The ``src`` (PNG data URL) of the first plot picture, once it is visible."""
    image = page.locator(".widget-image").first
    image.wait_for(state="visible")
    return image.get_attribute("src")


def slider(page, index: int = 0):
    """Locator of the ``index``-th ipywidgets slider (its container)."""
    return page.locator(".widget-slider").nth(index)


def slider_value(page, index: int = 0) -> str:
    """The slider's readout text."""
    return slider(page, index).locator(".widget-readout").inner_text().strip()


# In-page instrumentation: remember the time of the last keydown (the
# event's own timestamp, i.e. when the input reached the page), then watch the
# DOM for a plot picture that changed -- an <img> whose src differs from every
# src seen when armed, or a drawImage on a <canvas> (ipympl). The picture
# counts as shown at the first animation frame after it has been decoded.
WATCH_JS = r"""
(() => {
  if (window.__glmWatch) return;
  const state = {keyTime: null, armed: false, seen: new Set(), resolve: null, result: null,
                 canvasDraws: []};
  window.addEventListener('keydown', ev => {
    // The last key before the picture changes counts (Enter, when typing a value).
    if (state.armed && !state.result) state.keyTime = ev.timeStamp;
  }, true);
  const origDrawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const out = origDrawImage.apply(this, args);
    if (state.armed && state.keyTime !== null && this.canvas.offsetWidth > 100) {
      finish(this.canvas, 'canvas');
    }
    return out;
  };
  function finish(el, kind) {
    if (!state.armed || state.result) return;
    state.result = 'pending';
    requestAnimationFrame(t => {
      const shown = performance.now();
      state.result = {latency_ms: shown - state.keyTime, kind: kind};
      state.armed = false;
      if (state.resolve) state.resolve(state.result);
    });
  }
  function check(img) {
    if (!state.armed || state.keyTime === null || state.result) return;
    const src = img.getAttribute('src') || '';
    if (!src || state.seen.has(src)) return;
    state.seen.add(src);
    // Plots only: icons and the like are small.
    img.decode().then(() => { if (img.naturalWidth >= 100) finish(img, 'img'); }, () => {});
  }
  const observer = new MutationObserver(records => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target.tagName === 'IMG') check(r.target);
      for (const n of r.addedNodes || []) {
        if (n.nodeType !== 1) continue;
        if (n.tagName === 'IMG') check(n);
        n.querySelectorAll && n.querySelectorAll('img').forEach(check);
      }
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                   attributeFilter: ['src']});
  window.__glmWatch = {
    arm() {
      state.seen = new Set(Array.from(document.images).map(i => i.getAttribute('src') || ''));
      state.keyTime = null; state.result = null; state.resolve = null; state.armed = true;
    },
    wait(timeoutMs) {
      return new Promise(resolve => {
        if (state.result && state.result !== 'pending') return resolve(state.result);
        state.resolve = resolve;
        setTimeout(() => resolve(state.result && state.result !== 'pending'
                                 ? state.result : {latency_ms: null, kind: 'timeout'}),
                   timeoutMs);
      });
    },
  };
})();
"""


def install_watch(page) -> None:
    """Install the picture-change watcher in the page (idempotent)."""
    page.evaluate(WATCH_JS)


def step_slider(page, app: str, index: int = 0, direction: int = 1) -> None:
    """Move the ``index``-th slider with the keyboard, as a student would.

    JupyterLab: focus the handle, press ArrowRight (ArrowLeft for -1): one step.
    Notebook 7 keeps the arrow keys for itself, so press PageUp (PageDown),
    which noUiSlider turns into five steps.
    """
    box = slider(page, index)
    box.locator(".noUi-handle").first.focus()
    if app == "lab":
        page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
    else:
        page.keyboard.press("PageUp" if direction > 0 else "PageDown")


def type_slider_value(page, value: str, index: int = 0) -> None:
    """Click the slider's readout, type ``value`` and press Enter (works everywhere)."""
    readout = slider(page, index).locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def measure_steps(
    page, app: str, steps: int = 10, index: int = 0, settle: float = 0.4, timeout: float = 5.0
) -> list[float | None]:
    """Press the slider ``steps`` times; the key-to-picture latency (ms) of each.

    Each step waits for the new picture (or ``timeout``), then ``settle``
    seconds so that the next step starts from a quiet kernel. ``None`` marks a
    step whose picture never changed.
    """
    install_watch(page)
    latencies = []
    for _ in range(steps):
        page.evaluate("() => window.__glmWatch.arm()")
        step_slider(page, app, index=index)
        result = page.evaluate(f"() => window.__glmWatch.wait({int(timeout * 1000)})")
        latencies.append(result["latency_ms"])
        time.sleep(settle)
    return latencies
