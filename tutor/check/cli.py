"""`tutor check FILE.py [--new] [--seed N] [--watch] [--train --limit N --epochs E]`: the parser, and the report
printed as the learner reads it. Exit 0 all agree, 1 a quantity differs, 2 the file cannot be run."""

from __future__ import annotations

HINT_KEY = "hint: run `tutor check {path} --watch` and press h for a hint"


def add_parser(sub, positive) -> None:
    p = sub.add_parser("check", help="check your own network, quantity by quantity, against the engine")
    p.add_argument("file", metavar="FILE.py", help="your network: the article's shape (tutor check --new writes a "
                                                   "starter) or Nielsen's network.py")
    p.add_argument("--new", action="store_true", help="write a starter file FILE.py to fill in (never overwrites)")
    p.add_argument("--seed", type=int, default=None, metavar="N",
                   help="seed of the random networks (default: a new one each run, printed so a run can be repeated)")
    p.add_argument("--watch", action="store_true", help="check again each time the file is saved; h: a hint, q: quit")
    p.add_argument("--train", action="store_true",
                   help="train MNIST with your Network, one example at a time, beside the engine")
    p.add_argument("--limit", type=positive(int), default=None, metavar="N",
                   help="with --train: the first N training images")
    p.add_argument("--epochs", type=positive(int), default=None, metavar="E",
                   help="with --train: passes over them (default 1)")
    p.add_argument("--eta", type=positive(float), default=None, metavar="η",
                   help="with --train: the step size (default 0.5)")
    p.add_argument("--data", metavar="DIR", dest="sub_data", help="with --train: MNIST-format data directory "
                                                                  "(default: the bundled MNIST)")


def run_check(args) -> int:
    from tutor.errors import InputError

    if args.seed is not None and args.seed < 0:
        raise InputError(f"--seed: must be a whole number >= 0, got {args.seed}")
    if not args.train and (args.limit is not None or args.epochs is not None or args.eta is not None or
                           getattr(args, "sub_data", None) is not None):
        raise InputError("--limit, --epochs, --eta and --data go with --train")
    if args.train and args.watch:
        raise InputError("--train and --watch: one at a time (check first, then train)")
    if args.new:
        from tutor.check.starter import write_starter

        path = write_starter(args.file)
        print(f"Wrote {path}: fill in each body that says NotImplementedError, then run `tutor check {path}`.")
        return 0
    _check_path(args.file)
    if args.train:
        from tutor.check.train import main as train_main

        return train_main(args)
    if args.watch:
        from tutor.check.watch import watch_terminal

        return watch_terminal(args.file, args.seed)
    from tutor.check.compare import check_file

    from tutor.check.render import render

    report = check_file(args.file, seed=args.seed)
    print(render(report, hint=HINT_KEY.format(path=args.file)))
    return report.exit_status


def _check_path(path: str) -> None:
    """InputError (one line, exit 2) for a file that is not there, a directory, not a .py."""
    from tutor.check.compare import not_runnable
    from tutor.errors import InputError

    problem = not_runnable(path)
    if problem:
        raise InputError(problem)

