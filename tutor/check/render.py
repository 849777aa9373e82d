"""A check's report as the terminal shows it: a line per level passed, then the first quantity that differs (its
network, shape, first differing element, yours and the engine's, the formula with operands, the diagnosis) or why
the file could not be run, or the success."""

from __future__ import annotations

import numpy as np

from tutor.check.explain import shown


def render(report, hint: str | None = None) -> str:
    """The report as the terminal shows it."""
    lines = []
    if report.networks:
        lines.append(f"Checking {report.path} on {_networks(report.networks)}")
    lines += [f"  ✓ {line}" for line in report.passed]
    d = report.difference
    if d is not None:
        yours_shape = "x".join(map(str, getattr(d.yours, "shape", ()))) or \
            ("1 number" if d.yours is not None else "—")
        expected_shape = "x".join(map(str, getattr(d.expected, "shape", ()))) or "1 number"
        lines.append(f"  ✗ {d.level}: {d.quantity} differs")
        lines.append(f"      network    {d.network}")
        shape = f"{yours_shape}" + ("" if yours_shape == expected_shape else f" (the engine's is {expected_shape})")
        lines.append(f"      shape      {shape}")
        if d.note:
            lines.append(f"      yours      {d.note}")
        single = d.yours is not None and np.size(d.yours) == 1 and np.size(d.expected) == 1
        if d.index is not None and d.yours is not None and not single:
            at = "".join(f"[{i}]" for i in d.index)
            lines.append(f"      first      {d.name}{at}: yours {shown(_at(d.yours, d.index))}, "
                         f"the engine's {shown(_at(d.expected, d.index))}")
        if d.yours is not None:
            lines.append(f"      yours      {shown(d.yours)}")
        lines.append(f"      engine's   {shown(d.expected)}")
        formula = d.formula.split("\n")
        lines.append(f"      formula    {formula[0]}")
        lines += [f"               {line}" for line in formula[1:]]
        if d.diagnosis is not None:
            lines.append(f"      diagnosis  {d.diagnosis.message}")
        if "(random, seed " in d.network:
            seed = d.network.rsplit("seed ", 1)[1].rstrip(")")
            lines.append(f"  this network again: tutor check {report.path} --seed {seed}")
        if hint:
            lines.append(f"  {hint}")
    if report.error is not None:
        head, *rest = report.error.split("\n")
        lines.append(f"  ✗ {head}")
        lines += [f"    {line}" for line in rest]
    if report.exit_status == 0:
        lines.append(_seen(report))
        new = sum("(random" in label for label in report.networks)
        lines.append(f"All agree: your network computes every quantity the engine does, on {len(report.networks)} "
                     f"networks{f', {new} of them never seen before' if new else ''}. Well done!")
        lines.append(f"Now train it: tutor check {report.path} --train --limit 10000 --epochs 3")
    return "\n".join(lines)


def _at(value, index):
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
