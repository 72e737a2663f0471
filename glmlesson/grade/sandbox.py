"""How a submission's kernel is started: a scrubbed environment, its own folder, bubblewrap.

Student code is untrusted. Every kernel gets

* a minimal environment (:func:`kernel_environment`): PATH, a HOME and TMPDIR in
  its own working folder, the course on PYTHONPATH, one BLAS thread, and
  ``GLMLESSON_DATA`` if the instructor set it; none of the instructor's other
  variables (tokens, keys, proxies) reach it;
* its own temporary working folder;
* where bubblewrap (``bwrap``) works, a sandbox (:func:`bwrap_prefix`): the whole
  file system read-only, ``/tmp`` and the instructor's home replaced by empty
  folders (other students' folders and the instructor's files cannot be read
  or changed), the working folder the only writable place, its own process,
  IPC and host-name namespaces, and the kernel killed with the grader. The
  network is shared: the kernel talks to the grader over local TCP.

The kernel's address space is capped (``resource.RLIMIT_AS``), so a submission
that allocates without end gets a MemoryError. The kernel is interrupted by a
message (``interrupt_mode="message"``), which reaches it inside the sandbox,
where a signal to the sandbox would not.

Introduced in 00_start_here (the exercises every lesson grades).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

__all__ = ["SANDBOXES", "resolve_sandbox", "kernel_environment", "bwrap_prefix",
           "GradingKernelManager"]

SANDBOXES = ("auto", "bwrap", "none")
# ipykernel's launcher, after capping the kernel's address space at argv[1] bytes (0: no cap),
# so that a submission that allocates without end gets a MemoryError, not the machine's memory.
_LAUNCH = ("import resource, runpy, sys\n"
           "limit = int(sys.argv.pop(1))\n"
           "if limit > 0:\n"
           "    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
           "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)\n")
# Variables a kernel may keep from the grader's environment (course settings, no secrets).
PASSED_THROUGH = ("GLMLESSON_DATA",)


@functools.cache
def bwrap_works() -> bool:
    """True when ``bwrap`` is on PATH and can start a read-only sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    probe = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--unshare-pid", "--die-with-parent", "--", sys.executable, "-c", "pass"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def resolve_sandbox(choice: str = "auto") -> str:
    """"bwrap" or "none": what ``choice`` ("auto", "bwrap" or "none") means on this machine."""
    if choice not in SANDBOXES:
        raise ValueError(f"sandbox must be one of {', '.join(SANDBOXES)}, got {choice!r}")
    if choice == "none":
        return "none"
    if bwrap_works():
        return "bwrap"
    if choice == "bwrap":
        raise ValueError("--sandbox bwrap: bubblewrap is missing or cannot start a sandbox "
                         "here; install it (Debian: apt-get install bubblewrap) or pass "
                         "--sandbox none on a throwaway account or in a container")
    return "none"


def course_path() -> Path:
    """The folder that holds the ``glmlesson`` package the grader itself runs."""
    return Path(__file__).resolve().parents[2]


def kernel_environment(workdir: Path) -> dict[str, str]:
    """The whole environment of a submission's kernel: nothing else of the grader's."""
    workdir = Path(workdir)
    path = os.pathsep.join(dict.fromkeys([str(Path(sys.executable).parent), "/usr/bin", "/bin"]))
    env = {
        "PATH": path,
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": str(course_path()),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        "IPYTHONDIR": str(workdir / ".ipython"),
        "JUPYTER_CONFIG_DIR": str(workdir / ".jupyter"),
        "JUPYTER_DATA_DIR": str(workdir / ".jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(workdir / ".jupyter-runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in PASSED_THROUGH:
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def bwrap_prefix(workdir: Path, readable: list[Path]) -> list[str]:
    """The bubblewrap command line that runs a kernel with ``workdir`` as its only
    writable folder; ``readable`` are folders it must read (the connection file's)."""
    workdir = Path(workdir).resolve()
    masked = [Path(tempfile.gettempdir()).resolve(), Path("/tmp")]
    home = Path.home().resolve()
    if home != Path("/"):
        masked.append(home)
    masked = list(dict.fromkeys(masked))
    needed = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
              Path(sys.executable).parent, course_path(), *map(Path, readable)]
    if os.environ.get("GLMLESSON_DATA"):
        needed.append(Path(os.environ["GLMLESSON_DATA"]))
    needed = sorted({p.resolve() for p in needed if p.exists()}, key=lambda p: len(p.parts))
    command = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/",
               "--dev", "/dev", "--proc", "/proc"]
    for folder in masked:
        if folder.is_dir() and not any(_inside(folder, keep) for keep in needed):
            command += ["--tmpfs", str(folder)]
    for keep in needed:
        if any(_inside(keep, folder) for folder in masked):
            command += ["--ro-bind", str(keep), str(keep)]
    command += ["--bind", str(workdir), str(workdir), "--chdir", str(workdir),
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--"]
    return command


class GradingKernelManager(AsyncKernelManager):
    """An IPython kernel started by ``argv`` (with ``{connection_file}`` in it),
    interrupted by message; no kernel spec is looked up on disk."""

    def __init__(self, argv: list[str], **kwargs):
        super().__init__(kernel_name="python3", **kwargs)
        self._grading_spec = KernelSpec(argv=list(argv), display_name="glmlesson grading",
                                        language="python", interrupt_mode="message")

    @property
    def kernel_spec(self) -> KernelSpec:
        return self._grading_spec


def kernel_manager(workdir: Path, private: Path, sandbox: str,
                   memory_mb: float = 0) -> GradingKernelManager:
    """A kernel manager for one submission: the connection file in ``private`` (the
    grader's, read-only for the kernel), the kernel in ``workdir``, under ``sandbox``,
    its address space capped at ``memory_mb`` megabytes (0: no cap)."""
    argv = [sys.executable, "-c", _LAUNCH, str(int(memory_mb * 2**20)),
            "-f", "{connection_file}"]
    if sandbox == "bwrap":
        # In its own PID namespace the kernel's parent is the sandbox's init (PID 1), which
        # ipykernel would take for "the grader has exited"; --die-with-parent does that job.
        argv = bwrap_prefix(workdir, readable=[private]) + argv + ["--IPKernelApp.parent_handle=1"]
    manager = GradingKernelManager(argv)
    manager.connection_file = str(Path(private) / "kernel.json")
    return manager
