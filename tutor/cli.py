"""The `tutor` command: the app by default, and trace, train, predict, bench and check subcommands."""

from __future__ import annotations

import argparse
import json
import os
import sys

from tutor.errors import InputError
from tutor.check.cli import add_parser as add_check_parser, run_check
from tutor.course.cli import COMMANDS as LESSON_COMMANDS, add_parsers as add_lesson_parsers
from tutor.serve import add_parser as add_serve_parser, run_serve


def _layers(text: str) -> list[int]:
    try:
        return [int(n) for n in text.replace(" ", "").split(",")]  # "784,,10" is a size left out, not 784,10
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes separated by commas, e.g. 784,30,10; got {_cut(repr(text))}")


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {_cut(repr(text))}")
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value
    return parse


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake said in one line (`tutor: --epochs: ...`) and exit status 2, as for bad files."""

    def error(self, message: str):
        command = " ".join(["tutor", *self.prog.split()[1:], "--help"])
        self.exit(2, f"tutor: {message} ({command} lists the options)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="tutor", description="Watch a neural network learn, one number at a time.")
    parser.add_argument("--data", metavar="DIR", help="read MNIST (or Fashion-MNIST) from DIR instead of the bundled copy")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("step", help="open the stepper on a network file")
    p.add_argument("file", help="a network file (.toml) or a shipped example: one-one-one, two-three-two")

    p = sub.add_parser("trace", help="print one training step as the article's REPL transcript")
    p.add_argument("file", help="a network file (.toml) or a shipped example: one-one-one, two-three-two")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")

    p = sub.add_parser("train", help="train on MNIST and print the test accuracy after each epoch")
    p.add_argument("--layers", type=_layers, default=[784, 30, 10], help="layer sizes (default 784,30,10)")
    p.add_argument("--epochs", type=_positive(int), default=30, help="passes over the training images (default 30)")
    p.add_argument("--batch-size", type=_positive(int), default=10, help="examples per gradient step (default 10)")
    p.add_argument("--eta", type=_positive(float), default=3.0, help="step size (default 3.0)")
    p.add_argument("--seed", type=int, default=None, help="seed for the initial weights and the shuffling")
    p.add_argument("--limit", type=_positive(int), default=None, help="train on the first N training images only")
    p.add_argument("--data", metavar="DIR", dest="sub_data", help="MNIST-format data directory (default: the bundled MNIST)")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                   help="float64 (default, the article's precision) or float32 (half the memory; "
                        "`tutor bench` compares their speed on this machine)")
    p.add_argument("--cost", choices=["quadratic", "cross-entropy"], default="quadratic",
                   help="the cost: quadratic (default, the article's) or cross-entropy (Nielsen's chapter 3)")
    p.add_argument("--init", choices=["standard", "scaled"], default="standard",
                   help="initial weights: standard normal (default) or scaled by 1/√(inputs to the neuron)")
    p.add_argument("--lmbda", type=float, default=0.0, metavar="λ",
                   help="L2 regularisation λ (default 0: none; the book uses 5.0 on 50,000 images)")
    p.add_argument("--gradients", action="store_true",
                   help="also print ‖∂C/∂b‖ of each hidden layer, at the start and after each epoch (Nielsen's chapter 5)")
    p.add_argument("--save", metavar="FILE.npz", help="save the trained weights and biases")
    p.add_argument("--json", action="store_true", help="one JSON object per epoch")

    p = sub.add_parser("predict", help="report the test accuracy of a saved network")
    p.add_argument("model", help="a .npz file written by tutor train --save")
    p.add_argument("--data", metavar="DIR", dest="sub_data", help="MNIST-format data directory (default: the bundled MNIST)")

    p = sub.add_parser("bench", help="measure training speed and memory")
    p.add_argument("--epochs", type=_positive(int), default=5, help="epochs to time (default 5)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    p.add_argument("--ui", action="store_true", help="measure the app instead: key-press-to-repaint latency and start-up time")
    p.add_argument("--book", action="store_true",
                   help="reproduce Nielsen's chapter 3 and 5 numbers (cross-entropy, λ, initialisation, overfitting, "
                        "gradients per layer): about 10 minutes, --quick under 1")
    p.add_argument("--serve", action="store_true", help="a classroom: 30 browser tabs on tutor serve (start-up, memory, "
                                                        "idle CPU, key latency while one trains); needs tutor[serve]")
    add_lesson_parsers(sub)
    add_check_parser(sub, _positive)
    add_serve_parser(sub)
    return parser


MAX_MESSAGE = 300  # characters of an error line: one quoting a huge value or name is cut in the middle


def _cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` cut to `limit` characters, keeping its start (what is at fault) and its end (often why)."""
    tail = limit // 3
    return text if len(text) <= limit else f"{text[: limit - tail - 1]}…{text[-tail:]}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "sub_data", None) is not None:
        args.data = args.sub_data
    try:
        if args.data == "":
            raise InputError("--data: expected a directory, got an empty name")
        return COMMANDS.get(args.command, run_app)(args)
    except InputError as e:
        print(f"tutor: {_cut(' '.join(str(e).splitlines()))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `tutor lessons list | head`: the reader left, nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def run_app(args, **options) -> int:
    """The app (with `options`: a network to step through, a lesson to open); its exit status is not 0 if it
    ended on an error."""
    from tutor.app.app import TutorApp

    app = TutorApp(data_dir=args.data, **options)
    app.run()
    return app.return_code or 0


def run_step(args) -> int:
    from tutor.engine.spec import load_spec

    spec = load_spec(args.file)  # a bad file is reported here, before the screen opens
    return run_app(args, spec=spec)


def run_lesson(args) -> int:
    from tutor.course import reader

    lesson = reader.find_lesson(reader.load_lessons(), args.id)  # an unknown id is reported before the app starts
    return run_app(args, lesson_id=lesson.id)


def run_trace(args) -> int:
    from tutor.engine.spec import load_spec

    spec = load_spec(args.file)
    trace = spec.trace()
    try:
        print(trace.to_json() if args.json else trace.transcript())
    except InputError as e:
        raise InputError(f"{spec.source}: {e}") from None
    return 0


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when it is a terminal."""

    def __init__(self, enabled: bool = True, width: int = 30, stream=None):
        self.enabled, self.width, self.stream = enabled, width, stream or sys.stderr

    def show(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = self.width * done // total
        self.stream.write(f"\r{label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()


TRAIN_OPTIONS = {"layers": "--layers", "epochs": "--epochs", "batch_size": "--batch-size", "step_size": "--eta",
                 "limit": "--limit", "seed": "--seed", "dtype": "--dtype", "cost": "--cost", "init": "--init",
                 "lmbda": "--lmbda"}


def _say(line: str) -> None:
    """Print a line of results; once the reader has gone (`| head -1`), print nothing more and carry on."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # later prints, and the exit's flush, go nowhere


def run_train(args) -> int:
    from tutor.engine import mnist, training
    from tutor.engine.model_file import check_save_path, save_network

    config = training.Config(tuple(args.layers), args.epochs, args.batch_size, args.eta, args.limit or 0, args.seed,
                             args.dtype, args.cost, args.init, args.lmbda).checked(TRAIN_OPTIONS)
    if args.save is not None:
        if not args.save:
            raise InputError("--save: expected a file name (e.g. net.npz), got an empty one")
        check_save_path(args.save)  # before training, not after it
    data = mnist.load(args.data)
    training.check_fits(config.layers, data, "--layers")
    bar = ProgressBar(enabled=not args.json and sys.stderr.isatty())
    network = training.new_network(config)
    train = data.train.head(config.limit) if config.limit else data.train

    def sizes() -> list[float] | None:
        if not args.gradients:
            return None
        if len(config.layers) < 3:
            raise InputError("--gradients: the network has no hidden layer (e.g. --layers 784,30,30,10)")
        return [round(g, 6) for g in training.gradient_sizes(network, train.images, train.labels)]

    def gradient_line(label: str, values: list[float]) -> str:
        return f"{label}: ‖∂C/∂b‖ of hidden layers 1 to {len(values)}: " + ", ".join(f"{g:.4g}" for g in values)

    first = sizes()
    if first is not None and not args.json:
        _say(gradient_line("Start", first))

    def on_epoch(r):
        bar.clear()
        gradients = sizes()
        if args.json:
            line = {"epoch": r.epoch, "correct": r.correct, "total": r.total, "seconds": round(r.seconds, 4)}
            if gradients is not None:
                line["gradients"] = gradients
                if r.epoch == 0:
                    line["gradients_at_start"] = first
            _say(json.dumps(line, allow_nan=False))
        else:
            _say(f"Epoch {r.epoch}: {r.correct} / {r.total}")
            if gradients is not None:
                _say(gradient_line(f"  after epoch {r.epoch}", gradients))

    run = training.run(config, data, fields=TRAIN_OPTIONS, on_epoch=on_epoch, network=network,
                       on_progress=lambda e, done, total: bar.show(f"Epoch {e}", done, total))
    if args.save is not None:
        path = save_network(run.network, args.save)
        print(f"Saved {path}", file=sys.stderr)
    return 0


def run_predict(args) -> int:
    from tutor.engine import mnist, training
    from tutor.engine.model_file import load_network

    net = load_network(args.model)
    data = mnist.load(args.data)
    training.check_fits(net.sizes, data, args.model)
    correct = training.evaluate(net, data.test.images, data.test.labels)
    print(f"{correct} / {len(data.test)} test images correct ({100 * correct / len(data.test):.2f}%)")
    return 0


def run_bench(args) -> int:
    if args.serve:
        from tutor.bench.serve import main as serve_bench_main

        return serve_bench_main(args)
    if args.book:
        from tutor.bench.book import main as book_main

        return book_main(args)
    if args.ui:
        from tutor.bench.ui import main as ui_bench_main

        return ui_bench_main(args)
    from tutor.bench.training import main as bench_main

    return bench_main(args)


COMMANDS = {"step": run_step, "lesson": run_lesson, "trace": run_trace, "train": run_train, "predict": run_predict,
            "bench": run_bench, "check": run_check, "serve": run_serve}
COMMANDS.update(LESSON_COMMANDS)
