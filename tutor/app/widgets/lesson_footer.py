"""The lesson screen's footer: Textual's Footer, recomposed at most once per refresh however often bindings change."""

from __future__ import annotations

from textual.widgets import Footer


class LessonFooter(Footer):
    """A lesson step changes focus, disables the answer box and updates dynamic actions in one go; the stock
    Footer rebuilds itself for each of those signals, this one once."""

    _pending = False

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen or self._pending:
            return
        self._pending = True
        self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._pending = False
        await self.recompose()
