"""`tutor check FILE.py [--new] [--seed N] [--watch] [--train --limit N --epochs E]`: the parser, and the report
printed as the learner reads it. Exit 0 all agree, 1 a quantity differs, 2 the file cannot be run."""

from __future__ import annotations

import sys

HINT_KEY = "hint: run `tutor check {path} --watch` and press h for a hint"


def add_parser(sub, positive) -> None:
    p = sub.add_parser("check", help="check your own network, quantity by quantity, against the engine")
    p.add_argument("file", metavar="FILE.py", help="your network: the article's shape (tutor check --new writes a "
                                                   "starter) or Nielsen's network.py")
    p.add_argument("--new", action="store_true", help="write a starter file FILE.py to fill in (never overwrites)")
    p.add_argument("--seed", type=int, default=None, help="seed of the random networks (default: a new one each run, "
                                                          "printed so a run can be repeated)")
    p.add_argument("--watch", action="store_true", help="check again each time the file is saved; h: a hint, q: quit")
    p.add_argument("--train", action="store_true", help="train MNIST with your Network, one example at a time, "
                                                        "beside the engine")
    p.add_argument("--limit", type=positive(int), default=None, help="with --train: the first N training images")
    p.add_argument("--epochs", type=positive(int), default=None, help="with --train: passes over them (default 1)")
    p.add_argument("--eta", type=positive(float), default=None, help="with --train: the step size (default 0.5)")


def run_check(args) -> int:
    from tutor.errors import InputError

    if args.seed is not None and args.seed < 0:
        raise InputError(f"--seed: must be a whole number >= 0, got {args.seed}")
    if not args.train and (args.limit is not None or args.epochs is not None or args.eta is not None):
        raise InputError("--limit, --epochs and --eta go with --train")
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


def render(report, hint: str | None = None) -> str:
    """The report as the terminal shows it."""
    from tutor.check.explain import shown

    lines = []
    if report.networks:
        lines.append(f"Checking {report.path} on {_networks(report.networks)}")
    lines += [f"  ✓ {line}" for line in report.passed]
    d = report.difference
    if d is not None:
        yours_shape = "x".join(map(str, getattr(d.yours, "shape", ()))) or ("1 number" if d.yours is not None else "—")
        expected_shape = "x".join(map(str, getattr(d.expected, "shape", ()))) or "1 number"
        lines.append(f"  ✗ {d.level}: {d.quantity} differs")
        lines.append(f"      network    {d.network}")
        shape = f"{yours_shape}" + ("" if yours_shape == expected_shape else f" (the engine's is {expected_shape})")
        lines.append(f"      shape      {shape}")
        if d.note:
            lines.append(f"      yours      {d.note}")
        if d.index is not None and d.yours is not None:
            at = "".join(f"[{i}]" for i in d.index)
            lines.append(f"      element    {d.name}{at}: yours {shown(_at(d.yours, d.index))}, "
                         f"the engine's {shown(_at(d.expected, d.index))}")
        elif d.yours is not None:
            lines.append(f"      yours      {shown(d.yours)}")
        lines.append(f"      engine's   {shown(d.expected)}")
        formula = d.formula.split("\n")
        lines.append(f"      formula    {formula[0]}")
        lines += [f"               {line}" for line in formula[1:]]
        if d.diagnosis is not None:
            lines.append(f"      diagnosis  {d.diagnosis.message}")
        if hint:
            lines.append(f"  {hint}")
    if report.error is not None:
        head, *rest = report.error.split("\n")
        lines.append(f"  ✗ {head}")
        lines += [f"    {line}" for line in rest]
    if report.exit_status == 0:
        lines.append(_seen(report))
        lines.append(f"All agree: your network computes every quantity the engine does, on "
                     f"{len(report.networks)} networks, two of them new to it. Well done!")
    return "\n".join(lines)


def _at(value, index):
    import numpy as np

    array = np.asarray(value, dtype=float)
    try:
        return array[index] if array.ndim == len(index) else array.reshape(-1)[0]
    except IndexError:
        return None


def _networks(labels: list[str]) -> str:
    mine = [label.split(" (")[0] for label in labels if "(the article's)" in label]
    random = [label for label in labels if "(random" in label]
    text = " and ".join(mine) + " (the article's)" if mine else ""
    if random:
        seed = random[0].split("seed ")[-1].rstrip(")")
        text += f", {' and '.join(label.split(' (')[0] for label in random)} (random, seed {seed})"
    return text


def _seen(report) -> str:
    seen = _families(report.seen)
    effect = ", ".join(report.effect_only)
    text = f"  seen: {seen}" if seen else "  seen: nothing inside your network, only its updated weights"
    if effect:
        text += f"\n  checked through their effect only (not seen: {effect})"
    return text


def _families(names: list[str]) -> str:
    """z_l1, z_l2, a_l1 … as "z, a" per layer family, in order."""
    out = []
    for name in names:
        family = name.rsplit("_l", 1)[0] if "_l" in name else name
        if family not in out:
            out.append(family)
    return ", ".join(out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as `tutor check FILE.py`")
