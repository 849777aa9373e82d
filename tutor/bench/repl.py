"""`tutor bench --ui`, the `>>>` prompt's part: how long a line typed there takes to answer, with a warm child
process, and how long the lines that must be stopped (a loop, a huge allocation, a blocking import) take."""

from __future__ import annotations

import statistics
import time

ORDINARY = ("dc_dw(a_l1, dc_db_l2)", "np.dot(w_l2.T, dc_db_l2)", "a_l1 * (1 - a_l1)", "z_l2.shape")
HOSTILE = ("while True: pass", "np.ones(10**12)", "import this", "import time; time.sleep(60)")


def measure(lines: int = 60) -> dict:
    """Seconds: the first line (the child starts), the median and 95th percentile of `lines` ordinary lines
    after it, each hostile line's answer, and the ordinary line right after each (a new child, replayed)."""
    from tutor.engine.spec import load_spec
    from tutor.sandbox import Sandbox, namespace_of

    sandbox = Sandbox(namespace_of(load_spec("two-three-two").trace()))
    try:
        def timed(line: str):
            start = time.perf_counter()
            outcome = sandbox.run(line)
            return time.perf_counter() - start, outcome

        first, _ = timed("a_l1")
        ordinary = [timed(ORDINARY[i % len(ORDINARY)])[0] for i in range(lines)]
        hostile = {}
        for line in HOSTILE:
            seconds, outcome = timed(line)
            after, again = timed("dc_dw(a_l1, dc_db_l2)")
            hostile[line] = (seconds, outcome.error or outcome.output.split("\n")[0], after, again.error is None)
        return {"first": first, "ordinary": ordinary, "hostile": hostile}
    finally:
        sandbox.close()


def report(figures: dict) -> tuple[list[str], bool]:
    """The lines `tutor bench --ui` prints, and whether every target was met (ordinary median <= 100 ms, every
    hostile line answered in <= 3 s and the prompt working right after)."""
    ms = sorted(s * 1000 for s in figures["ordinary"])
    median, p95 = statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    ok = median <= 100
    lines = [f">>> prompt (the sandbox over 2-3-2, a warm child process): first line {figures['first'] * 1000:.0f} ms "
             f"(the child starts); {len(ms)} ordinary lines: median {median:.1f} ms   p95 {p95:.1f} ms   "
             f"{'ok' if ok else 'SLOW (target median <= 100 ms)'}"]
    for line, (seconds, said, after, works) in figures["hostile"].items():
        fine = seconds <= 3.0 and works
        ok &= fine
        lines.append(f"  {line!r:32} answered in {seconds:.2f} s ({said[:60]}); the next line {after * 1000:.0f} ms"
                     f"{'' if works else ' FAILED'}   {'ok' if fine else 'SLOW (target <= 3 s, then working)'}")
    return lines, ok
