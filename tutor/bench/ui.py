"""`tutor bench --ui`: key-press-to-repaint latency of the stepper, time from launch to the first screen, and how
fast the `>>>` prompt answers (tutor.bench.repl)."""

from __future__ import annotations

import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import time

import numpy as np

MARKER = b"watch a neural network learn"  # text of the home screen


def _specs():
    from tutor.engine.network import Network
    from tutor.engine.spec import NetworkSpec, load_spec

    rng = np.random.default_rng(0)
    x = rng.random((784, 1))
    y = np.zeros((10, 1))
    y[7] = 1
    big = NetworkSpec(Network([784, 30, 10], seed=0), x, y, 3.0, title="784-30-10")
    return {"1-1-1": load_spec("one-one-one"), "2-3-2": load_spec("two-three-two"), "784-30-10": big}


KEYS = {"space": b" ", "left": b"\x1b[D", "home": b"\x1b[H"}


def _key_plan(entries: int, presses: int) -> list[tuple[str, int]]:
    """(key, index shown after it): forward to the end, back 5, forward 5, Home, and again."""
    plan, index = [], -1
    while len(plan) < presses:
        for _ in range(entries):
            index += 1
            plan.append(("space", index))
        for _ in range(5):
            index -= 1
            plan.append(("left", index))
        for _ in range(5):
            index += 1
            plan.append(("space", index))
        index = -1
        plan.append(("home", index))
    return plan[:presses]


def _marker(index: int, entries: int) -> bytes:
    """Text of the phase bar at `index`: it changes on every move, so its arrival means the repaint arrived."""
    return f"({index + 1}/{entries})".encode()


class _Terminal:
    """`python -m tutor ARGS` in a pseudo-terminal of the given size, read as a terminal would."""

    def __init__(self, args: list[str], size=(100, 30)) -> None:
        import fcntl
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]))
        env.pop("NO_COLOR", None)
        self.start = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "tutor", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, close_fds=True, start_new_session=True)
        os.close(slave)

    def wait_for(self, marker: bytes, timeout: float = 10.0) -> float:
        """Seconds until `marker` appears in the output (escape sequences removed) since the last call."""
        seen, start = b"", time.perf_counter()
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(self.master, 1 << 16)
                except OSError:
                    break
                if marker in _plain(seen):
                    return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} did not appear within {timeout:.0f} s")

    def press(self, key: str, marker: bytes) -> float:
        os.write(self.master, KEYS[key])
        return self.wait_for(marker)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def _press_latencies(path: str, entries: int, presses: int) -> list[float]:
    """Seconds from writing each key to the terminal until the repainted phase bar has been written back."""
    term = _Terminal(["step", path])
    try:
        term.wait_for(_marker(-1, entries))
        time.sleep(0.3)
        return [term.press(key, _marker(index, entries)) for key, index in _key_plan(entries, presses)]
    finally:
        term.close()


def _training_latencies(presses: int) -> list[float]:
    """Seconds from a Tab pressed on the Train screen, while a 50-epoch run trains in its worker, until the app
    has moved the focus: how long a key waits while the network learns (in-process, as a terminal sends keys)."""
    import asyncio

    from textual import events

    from tutor.app.app import TutorApp

    async def measure() -> list[float]:
        app = TutorApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("t")
            screen = app.screen
            for key, value in (("images", "50000"), ("epochs", "50")):
                screen.query_one(f"#train-{key}").value = value
            await pilot.press("ctrl+t")
            while not screen.running or screen.query_one("ProgressBar").progress == 0:
                await asyncio.sleep(0.01)
            out = []
            for _ in range(presses):
                focused, start = app.focused, time.perf_counter()
                app._driver.send_message(events.Key("tab", None))
                while app.focused is focused:
                    await asyncio.sleep(0.001)
                out.append(time.perf_counter() - start)
                await asyncio.sleep(0.05)  # a person's pace
            screen.stop_asked.set()
            while screen.running:
                await asyncio.sleep(0.01)
        return out

    return asyncio.run(measure())


def _launch_time() -> float:
    """Seconds from starting `python -m tutor` in a 100x30 pseudo-terminal to the home screen's text on it."""
    term = _Terminal([])
    try:
        term.wait_for(MARKER)
        return time.perf_counter() - term.start
    finally:
        term.close()


def _plain(data: bytes) -> bytes:
    """Terminal output with escape sequences removed (text runs can be split by style changes)."""
    import re

    return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]", b"", data)


def _stats(values: list[float]) -> tuple[float, float]:
    ms = sorted(v * 1000 for v in values)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


def main(args=None) -> int:
    import tempfile
    from pathlib import Path

    from tutor.engine.spec import dump_spec

    quick = bool(getattr(args, "quick", False))
    presses = 40 if quick else 100
    print(f"Key-press-to-repaint latency: `tutor step FILE` in a 100x30 pseudo-terminal, {presses} presses each "
          "(Space/Left/Home), timed from writing the key to reading back the repainted phase bar "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; other busy processes add to it):")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in _specs().items():
            path = Path(tmp) / f"{name}.toml"
            path.write_text(dump_spec(spec), encoding="utf-8")
            values = _press_latencies(str(path), len(spec.trace()), presses)
            median, p95 = _stats(values)
            verdict = "ok" if median <= 30 and p95 <= 60 else "SLOW (target median <= 30 ms, p95 <= 60 ms)"
            ok &= verdict == "ok"
            print(f"  {name:>10}: median {median:5.1f} ms   p95 {p95:5.1f} ms   max {max(values) * 1000:5.1f} ms"
                  f"   {verdict}")
    values = _training_latencies(8 if quick else 15)
    median, p95 = _stats(values)
    verdict = "ok" if median <= 100 else "SLOW (target median <= 100 ms)"
    ok &= verdict == "ok"
    print(f"Key-press latency while a run trains (Tab on the Train screen during a 50-epoch run, {len(values)} "
          f"presses): median {median:5.1f} ms   p95 {p95:5.1f} ms   max {max(values) * 1000:5.1f} ms   {verdict}")
    runs = [_launch_time() for _ in range(3 if quick else 5)]
    median = statistics.median(runs)
    verdict = "ok" if median <= 1.5 else "SLOW (target <= 1.5 s)"
    ok &= verdict == "ok"
    print(f"Launch to first screen (`python -m tutor` in a 100x30 pseudo-terminal until the home screen's text "
          f"is written), {len(runs)} runs: median {median:.2f} s, min {min(runs):.2f} s, max {max(runs):.2f} s"
          f"   {verdict}")
    from tutor.bench import repl

    lines, fine = repl.report(repl.measure(30 if quick else 100))
    ok &= fine
    print("\n".join(lines))
    return 0 if ok else 1
