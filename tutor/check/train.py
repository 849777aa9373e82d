"""`tutor check FILE.py --train`: MNIST trained with the learner's own Network in the child process, one example
at a time as the article does, beside the engine's per-example run from the same initial weights, in the same
example order: `Epoch 1: yours 9012 / 10000 · engine 9012 / 10000`."""

from __future__ import annotations

import os
import queue
import secrets
import sys
import threading

ETA = 0.5     # per example; Nielsen's 3.0 is for mini-batches of 10 (measured on 10,000 images, 3 epochs, engine:
              # 0.5 gives 86-89%, 3.0 gives 74-77%)
EPOCHS = 1


def time_limit(examples: int, tests: int, epochs: int) -> float:
    """Seconds the learner's training may take: generous (the article's code takes about 50 µs an example)."""
    return 30.0 + epochs * (examples + tests) * 0.002


def main(args) -> int:
    from tutor.check.compare import as_packed
    from tutor.check.runner import run_child
    from tutor.engine import mnist, training
    from tutor.engine.network import Network

    data = mnist.load(args.data)
    layers = [data.image_size, 30, len(data.label_names)]
    seed = secrets.randbelow(10_000) if args.seed is None else args.seed
    epochs, eta = args.epochs or EPOCHS, args.eta or ETA
    train_set = data.train.head(args.limit) if args.limit else data.train
    start = Network(layers, seed=seed)
    request = {"mode": "train", "layers": layers, "w": [as_packed(w) for w in start.weights],
               "b": [as_packed(b) for b in start.biases], "data": args.data, "limit": args.limit or 0,
               "epochs": epochs, "eta": eta, "seed": seed}
    print(f"Training {args.file} and the engine on {len(train_set):,} MNIST images, {epochs} epoch"
          f"{'s' if epochs > 1 else ''}, one example at a time, step size {eta:g}, {'-'.join(map(str, layers))}, "
          f"seed {seed} (same initial weights, same order)", flush=True)
    engine_epochs: queue.Queue = queue.Queue()
    engine: list = []
    thread = threading.Thread(target=training.sgd, daemon=True, kwargs=dict(
        network=Network(layers, start.weights, start.biases), images=train_set.images, labels=train_set.labels,
        epochs=epochs, batch_size=1, step_size=eta, seed=seed, test=(data.test.images, data.test.labels),
        on_epoch=engine_epochs.put))
    thread.start()  # the engine trains beside their child; this thread keeps the child, to end it on Ctrl+C

    def on_message(message: dict) -> None:
        if "epoch" not in message:
            return
        while len(engine) < message["epoch"]:
            engine.append(engine_epochs.get())
        e = engine[message["epoch"] - 1]
        print(f"Epoch {message['epoch']}: yours {message['correct']} / {message['total']} · engine {e.correct} / "
              f"{e.total}", flush=True)

    run = run_child(args.file, os.path.basename(args.file), request,
                    time_limit=time_limit(len(train_set), len(data.test), epochs), on_message=on_message)
    theirs = [m for m in run.messages if "epoch" in m]
    if len(theirs) < epochs:
        return _failed(run)
    gap = abs(theirs[-1]["correct"] - engine[-1].correct)
    print("Your network learned as the engine did: the same count after every epoch." if all(
        m["correct"] == e.correct for m, e in zip(theirs, engine))
        else f"Your network learned: {gap} test image{'s' if gap != 1 else ''} apart from the engine after the last "
             "epoch." + (f" That is far: `tutor check {args.file}` finds the first quantity that differs."
                         if gap > len(data.test) // 50 else ""))
    return 0


def _failed(run) -> int:
    """Why their training stopped, in the words of a check's error."""
    from tutor.check.explain import failure_message

    fatal = next((m["fatal"] for m in run.messages if "fatal" in m), None)
    if fatal is not None:
        text = failure_message(fatal)
    elif run.timed_out:
        at = f" (at {run.where[0]})" if run.where else ""
        text = f"stopped after {run.time_limit:g} s, the time limit for training: your code was still running " \
               f"{run.calling}{at}"
    else:
        text = f"Python ended while running {run.calling} (os._exit() in your file?)"
    print(f"  ✗ {text}", file=sys.stdout)
    return 2

