"""`tutor bench --serve`: a classroom on this machine. Starts `tutor serve` on a free port (progress in a temporary
directory), opens TABS browser tabs the way the page does (textual-serve's websocket, aiohttp's client), and measures:
the time to the first screen of each tab (opened one after another, and all at once), the memory of each tab's app
process, the CPU the open tabs use while nobody types, and a key press's latency in one tab while another trains MNIST.
Needs the optional extra: pip install "tutor[serve]"."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tutor.errors import InputError

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
TABS = 30
DOWN, UP = "\x1b[B", "\x1b[A"
TICKS = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> dict[int, str]:
    """The processes descended from `pid`, with their command lines."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    lines = {}
    for p in found:
        try:
            lines[p] = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            pass
    return lines


def _apps(server: int) -> list[int]:
    """The tabs' app processes (python -m tutor, not the shell textual-serve starts it with, not sandboxes)."""
    return [p for p, line in _tree(server).items() if line.split()[1:3] == ["-m", "tutor"]]


def _memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB: PSS shares the pages several processes map (numpy's libraries) among them."""
    fields = {}
    for name in (f"/proc/{pid}/smaps_rollup",):
        for line in Path(name).read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            fields[key] = int(value.split()[0])
    return fields["Rss"] / 1024, fields["Pss"] / 1024


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(stat[11]) + int(stat[12])
        except OSError:
            pass
    return total / TICKS


class Tab:
    """A browser tab: its websocket, read all the time by a task (as the page does; an unread socket misses the
    server's heartbeat and is closed), with what it drew as text and when each piece arrived."""

    def __init__(self, session, url: str) -> None:
        self.session, self.url, self.screen, self.ws = session, url, "", None
        self.arrived: list[float] = []
        self.changed = asyncio.Event()
        self.reader: asyncio.Task | None = None

    async def open(self, width: int = 100, height: int = 30) -> None:
        self.ws = await self.session.ws_connect(f"{self.url}/ws?width={width}&height={height}")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.arrived.append(time.perf_counter())
                self.screen = (self.screen + ANSI.sub("", message.data.decode("utf-8", "replace")))[-20000:]
                self.changed.set()
        self.changed.set()

    async def close(self) -> None:
        await self.ws.close()
        if self.reader is not None:
            await self.reader

    async def until(self, text: str, seconds: float = 120.0) -> None:
        end = time.monotonic() + seconds
        while text not in self.screen:
            if self.ws.closed:
                raise ConnectionError("the tab closed")
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{text!r} did not appear in {seconds} s")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def quiet(self, seconds: float = 0.3) -> None:
        """Wait until nothing came for `seconds`."""
        while self.arrived and time.perf_counter() - self.arrived[-1] < seconds:
            await asyncio.sleep(seconds - (time.perf_counter() - self.arrived[-1]))

    async def keys(self, text: str) -> None:
        for key in ([text] if text.startswith("\x1b") else text):
            await self.ws.send_json(["stdin", key])
            await asyncio.sleep(0.03)

    async def latency(self, key: str) -> float:
        """Seconds from sending `key` to the first bytes of the repaint."""
        await self.quiet()
        seen = len(self.arrived)
        start = time.perf_counter()
        await self.ws.send_json(["stdin", key])
        while len(self.arrived) <= seen:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 30)
        return self.arrived[seen] - start


async def _first_screen(session, url: str, name: str) -> tuple[Tab, float]:
    tab = Tab(session, url)
    start = time.perf_counter()
    await tab.open()
    await tab.until("Your name?")
    seconds = time.perf_counter() - start
    await tab.keys(f"{name}\r")
    await tab.until("Lessons: from one neuron")
    return tab, seconds


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def _classroom(url: str, server: int, tabs: int, say) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        # all at once: a class opening the page together
        start = time.perf_counter()
        burst = await asyncio.gather(*(_first_screen(session, url, f"burst {i}") for i in range(tabs)))
        say(f"{tabs} tabs opened at once: the last showed its first screen after {time.perf_counter() - start:.1f} s "
            f"(median of the {tabs}: {_median([s for _, s in burst]):.2f} s)")
        for tab, _ in burst:
            await tab.close()
        deadline = time.monotonic() + 60
        while _apps(server) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        say(f"closing them: {len(_apps(server))} app processes left after {60 - deadline + time.monotonic():.1f} s")

        # one after another: the Nth tab with N-1 open
        opened, firsts = [], []
        for i in range(tabs):
            tab, seconds = await _first_screen(session, url, f"student {i}")
            opened.append(tab)
            firsts.append(seconds)
        say(f"{tabs} tabs opened one after another: first screen of tab 1 {firsts[0]:.2f} s, of tab {tabs} "
            f"{firsts[-1]:.2f} s, median {_median(firsts):.2f} s")
        apps = _apps(server)
        memory = [_memory(p) for p in apps]
        say(f"memory per app process ({len(apps)}): median RSS {_median([m[0] for m in memory]):.0f} MB "
            f"(max {max(m[0] for m in memory):.0f}), median PSS {_median([m[1] for m in memory]):.0f} MB; "
            f"all {tabs} together {sum(m[1] for m in memory):.0f} MB (PSS)")
        before, wall = _cpu_seconds(apps), time.monotonic()
        await asyncio.sleep(10)
        idle = (_cpu_seconds(apps) - before) / (time.monotonic() - wall)
        say(f"idle: the {len(apps)} app processes used {100 * idle:.1f}% of one core together over 10 s "
            f"({1000 * idle / len(apps):.2f} ms of CPU per second each)")

        probe = opened[-1]
        quiet = [await probe.latency(DOWN if i % 2 == 0 else UP) for i in range(20)]
        say(f"key press to repaint, {tabs} tabs open, nobody else typing: median {1000 * _median(quiet):.0f} ms, "
            f"max {1000 * max(quiet):.0f} ms (20 presses)")
        trainer = opened[0]
        await trainer.keys("t")
        await trainer.until("Train")
        await trainer.quiet(0.5)
        await trainer.keys("\x14")  # Ctrl+T: the article's run, 784-30-10 on 50,000 images
        await asyncio.sleep(3)
        trainer_pid = max(apps, key=lambda p: _cpu_seconds([p]))  # the one training works hardest
        before, wall = _cpu_seconds([trainer_pid]), time.monotonic()
        busy = [await probe.latency(DOWN if i % 2 == 0 else UP) for i in range(20)]
        used = (_cpu_seconds([trainer_pid]) - before) / (time.monotonic() - wall)
        say(f"key press to repaint, {tabs} tabs open, tab 1 training MNIST (its process using {100 * used:.0f}% of a "
            f"core meanwhile, RSS {_memory(trainer_pid)[0]:.0f} MB): median {1000 * _median(busy):.0f} ms, "
            f"max {1000 * max(busy):.0f} ms (20 presses)")
        for tab in opened:
            await tab.close()
        deadline = time.monotonic() + 60
        while _apps(server) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        say(f"closing them: {len(_apps(server))} app processes left")


def main(args) -> int:
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        raise InputError('tutor bench --serve needs textual-serve: pip install "tutor[serve]"') from None
    tabs = 10 if args.quick else TABS
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tempfile.mkdtemp(prefix="tutor-bench-serve-")
    env = os.environ | {"XDG_DATA_HOME": data, "XDG_STATE_HOME": data}
    server = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"tutor bench --serve: {tabs} tabs on {os.cpu_count()} cores, tutor serve on port {port}", flush=True)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(_classroom(f"http://127.0.0.1:{port}", server.pid, tabs, lambda line: print(line, flush=True)))
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(data, ignore_errors=True)
    return 0
