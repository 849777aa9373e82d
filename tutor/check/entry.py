"""`python -m tutor.check.entry MEMORY_BYTES FILE SHOWN_NAME DUMP_FILE`: the child process of `tutor check`. It reads
one JSON request on stdin, sets its memory limit, loads the learner's file (tutor.check.child) and records (check)
or trains (train) as asked, replying on its own copy of stdout; what the learner prints goes nowhere."""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> None:
    import faulthandler
    import resource
    import signal

    memory, path, shown, dump = int(argv[0]), argv[1], argv[2], argv[3]
    pipe = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # what the learner prints goes nowhere, not into the replies
    sys.stdout = open(os.devnull, "w")
    dump_file = open(dump, "w")
    faulthandler.register(signal.SIGUSR1, file=dump_file, all_threads=False)  # the parent's "where are you?"
    request = json.loads(sys.stdin.readline())
    sys.stdin = open(os.devnull)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from tutor.check.child import CallFailed, Child

    if request["mode"] == "train":  # imported before the learner's directory is put on sys.path
        from tutor.check.train_child import train as work
    else:
        from tutor.check.recorder import record as work
    child = Child(path, shown, pipe)
    try:
        child.load()
        work(child, request)
    except CallFailed as failed:
        child.say(fatal=failed.info)
    child.say(done=True)
    pipe.close()
    os._exit(0)  # no atexit of the learner's (nor its threads) runs after the replies


if __name__ == "__main__":
    main(sys.argv[1:])
