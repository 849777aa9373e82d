"""The lesson screen's footer: Textual's Footer, rebuilt only when the keys it shows change, once per refresh."""

from __future__ import annotations

from textual.widgets import Footer

from tutor.app.later import after_refresh


class LessonFooter(Footer):
    """A lesson step changes focus, disables the answer box and updates dynamic actions in one go; the stock
    Footer rebuilds itself for each of those signals, this one once, and not at all if the keys are the same."""

    _pending = False
    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        after_refresh(self, self._recompose_once)

    def _keys(self) -> tuple:
        return tuple((key, active.binding.action, active.binding.description, active.enabled)
                     for key, active in self.screen.active_bindings.items() if active.binding.show)

    async def _recompose_once(self) -> None:
        self._pending = False
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
