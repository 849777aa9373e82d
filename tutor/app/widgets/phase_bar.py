"""One line naming the phase of the step (forward, cost, backward, update, forward with new parameters)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.app.format import PHASE_LABELS, symbol
from tutor.engine.trace import PHASES, Trace


class PhaseBar(Static):
    """The five phases with the current one marked ▶ and shown in reverse, then the entry's position."""

    def show(self, trace: Trace, index: int) -> None:
        entry = trace[index] if index >= 0 else None
        text = Text()
        for i, phase in enumerate(PHASES):
            if i:
                text.append(" › ", style="dim")
            label = PHASE_LABELS[phase]
            if entry is not None and entry.phase == phase:
                text.append(f"▶ {label}", style="reverse bold")
            else:
                text.append(f"  {label}")
        where = f"{symbol(entry.name)} ({index + 1}/{len(trace)})" if entry else f"start (0/{len(trace)})"
        text.append(f"   {where}", style="bold")
        self.update(text, layout=False)
