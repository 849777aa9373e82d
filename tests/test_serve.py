"""`tutor serve` as a browser uses it: the page's websocket (textual-serve's protocol: JSON ["stdin", text],
["resize", {...}] in, the terminal's bytes out), a student names themself, the home screen answers keys, and closing
the tab ends its app process. Skipped when the optional extra (pip install ".[serve]") is not installed."""

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> set[int]:
    """Every process descended from `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("classroom")
    port = free_port()
    env = os.environ | {"PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(data), "XDG_STATE_HOME": str(data)}
    env.pop("TUTOR_SERVED", None)
    process = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, first
            time.sleep(0.05)
    yield process, port, data, first
    process.terminate()
    process.wait(10)


class Tab:
    """One browser tab: the websocket the page opens, and everything the app drew, as text."""

    def __init__(self, socket_) -> None:
        self.ws, self.screen = socket_, ""

    async def until(self, text: str, seconds: float = 15.0) -> None:
        end = time.monotonic() + seconds
        while text not in self.screen:
            left = end - time.monotonic()
            assert left > 0, f"{text!r} never appeared; the tab shows: {self.screen[-600:]!r}"
            try:
                message = await self.ws.receive(timeout=left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen += ANSI.sub("", message.data.decode("utf-8", "replace"))
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError(f"the tab closed before {text!r}: {self.screen[-600:]!r}")

    async def keys(self, text: str) -> None:
        for key in text:  # as the page sends them: a message per key press, at a fast typist's pace (keys sent
            await self.ws.send_json(["stdin", key])  # back to back, with no gap, were seen to be dropped)
            await asyncio.sleep(0.03)


def test_the_address_is_printed_and_without_the_extra_one_line_says_how_to_get_it(server):
    process, port, data, first = server
    assert f"open http://127.0.0.1:{port} in a browser" in first
    code = "import sys, tutor.cli; sys.modules['textual_serve'] = None; sys.exit(tutor.cli.main(['serve']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ |
                          {"PYTHONPATH": str(ROOT)}, timeout=30)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and 'pip install "tutor[serve]"' in done.stderr


async def test_a_tab_asks_the_name_shows_home_answers_keys_and_its_process_ends_with_the_tab(server):
    process, port, data, _ = server
    before = children(process.pid)
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws:
            tab = Tab(ws)
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            await tab.until("Your name?")
            apps = children(process.pid) - before
            assert apps, "an app process runs for the tab"
            await tab.keys("../../etc\r")
            await tab.until("cannot hold /")
            await tab.keys("\x7f" * 9 + "Ada Lovelace\r")
            await tab.until("Lessons: from one neuron")     # the home screen
            await tab.until("Hello Ada Lovelace")
            await tab.keys("c")                              # Your code: not in the classroom
            await tab.until("Your code is not")
            await tab.keys("\r")                            # Lessons, then the first one: saved as Ada's
            await tab.until("not started")                   # the list, loaded
            await tab.keys("\r")
            await tab.until("Lesson 1")
            saved = data / "tutor" / "students" / "ada lovelace" / "progress.json"
            end = time.monotonic() + 10
            while not saved.exists():
                assert time.monotonic() < end, "no progress saved in the student's directory"
                await asyncio.sleep(0.05)
            assert "one-neuron" in saved.read_text() and not (data / "tutor" / "progress.json").exists()
    deadline = time.monotonic() + 15
    while children(process.pid) & apps:
        assert time.monotonic() < deadline, "the tab's app process is still running after the tab closed"
        await asyncio.sleep(0.05)


class FakeServer:
    """textual-serve's Server, recording what tutor serve gave it instead of serving."""

    made: list = []

    def __init__(self, command, host, port, title, public_url):
        FakeServer.made.append((command, host, port, title, public_url, os.environ.get("TUTOR_SERVED")))

    def serve(self):
        pass


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_it_binds_localhost_unless_told_and_then_warns_there_is_no_authentication(host, warned, monkeypatch, capsys):
    import textual_serve.server

    from tutor.cli import main

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    monkeypatch.delenv("TUTOR_SERVED", raising=False)
    FakeServer.made.clear()
    port = free_port()
    try:
        assert main(["serve", "--host", host, "--port", str(port), "--title", "Class 4B"]) == 0
    finally:
        os.environ.pop("TUTOR_SERVED", None)
    (command, bound, given, title, url, served), = FakeServer.made
    assert (bound, given, title, served) == (host, port, "Class 4B", "1") and command.endswith("-m tutor")
    out, err = capsys.readouterr()
    assert f"open {url} in a browser" in out and url.endswith(f":{port}")
    assert ("no authentication" in err and "ssh -L" in err and "reverse proxy" in err) == warned
    assert err.count("\n") == warned


def test_a_port_in_use_or_out_of_range_is_one_line_and_exit_2(server, capsys):
    from tutor.cli import main

    process, port, data, _ = server
    assert main(["serve", "--port", str(port)]) == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
