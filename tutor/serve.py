"""`tutor serve`: the app in the browser for a classroom, one app process per tab (textual-serve, the optional extra
`pip install "tutor[serve]"`). Each tab asks the student's name and keeps their progress apart; served, the learner's
Python is restricted to the article's kind of line (tutor.safe_code) and whole files are not run (tutor.classroom)."""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys

from tutor.classroom import SERVED_ENV
from tutor.errors import InputError

INSTALL = 'tutor serve needs textual-serve: pip install "tutor[serve]" (in a source checkout: pip install ".[serve]")'
WARNING = ("tutor serve: warning: {host} lets other machines connect, and textual-serve has no authentication: "
           "anyone who reaches this port gets a tutor (and can type any name). Put it behind one: students open an "
           "SSH tunnel (ssh -L {port}:127.0.0.1:{port} THIS_MACHINE, with --host 127.0.0.1), or a reverse proxy "
           "with a login (nginx or Caddy with basic auth, websockets passed through) in front of 127.0.0.1.")


def command(data_dir: str | None) -> str:
    """The command textual-serve runs for each tab (in a shell): this Python, this tutor."""
    return shlex.join([sys.executable, "-m", "tutor", *(["--data", data_dir] if data_dir else [])])


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """InputError unless HOST:PORT can be listened on now (said before textual-serve's own start-up)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise InputError(f"--host: cannot use {host!r} ({e.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            raise InputError(f"--port: cannot listen on {host}:{port} ({e.strerror or e}); try another --port") \
                from None


def public_url(host: str, port: int) -> str:
    """The address to open: http://HOST:PORT; for 0.0.0.0 or ::, this machine's name."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def run_serve(args) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise InputError(INSTALL) from None
    if not 1 <= args.port <= 65535:
        raise InputError(f"--port: expected 1 to 65535, got {args.port}")
    check_port(args.host, args.port)
    url = args.url or public_url(args.host, args.port)
    os.environ[SERVED_ENV] = "1"  # every tab's app (and its sandboxes) inherits it: a student cannot turn it off
    if not loopback(args.host):
        print(WARNING.format(host=args.host, port=args.port), file=sys.stderr)
    print(f"tutor serve: open {url} in a browser (one tutor per tab; Ctrl+C stops). Each student's progress: "
          f"$XDG_DATA_HOME/tutor/students/NAME/; the teacher's report: tutor lessons report", flush=True)
    server = Server(command(args.data), host=args.host, port=args.port, title=args.title, public_url=url)
    server.serve()
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="serve the app to a classroom's browsers (needs: pip install \"tutor[serve]\")")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--title", default="tutor", help="the browser tab's title (default tutor)")
    p.add_argument("--url", help="the address students open, when it is not http://HOST:PORT (behind a proxy)")
