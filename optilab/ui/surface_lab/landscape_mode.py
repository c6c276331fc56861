"""The surface lab pane's landscape mode: a network's loss landscape shown by the lab's own views (issue #14).

`SurfaceLabPane.show_landscape` (the training lab's "Show its loss
landscape" calls it) puts the Qt-free model in landscape mode
(`SurfaceLab.show_landscape`); the model's signals then redraw the map, the
3-D view, the player and the numbers as for any surface, and this mixin
swaps the controls column's runs and settings for what the landscape is
(`landscape_info`) and the lesson bar's caption for the landscape's.
"""

from __future__ import annotations

from typing import Any

from optilab.landscape import Landscape, lessons


class LandscapeMode:
    """The landscape-mode part of `SurfaceLabPane` (a mixin: it uses the pane's parts)."""

    lab: Any
    lesson_bar: Any
    landscape_info: Any
    numbers: Any
    view_2d: Any
    run_list: Any
    hparams: Any
    start_controls: Any     # and the pane's pause() and _show_start_notes()

    def show_landscape(self, landscape: Landscape, caption: str | None = None) -> None:
        """Show a network's loss landscape (`SurfaceLab.show_landscape`): the map and the 3-D view
        of the sampled loss, the paths played by the player; ``caption``: its lesson's."""
        self.pause()
        self.view_2d.show_all_runs()
        self.lab.show_landscape(landscape, caption)
        self._show_start_notes()

    def _show_landscape_mode(self, landscape: Landscape | None) -> None:
        """In landscape mode the controls say what the map is, in place of the runs and their settings."""
        self.landscape_info.show_landscape(landscape)
        for widget in (self.run_list, self.hparams, self.start_controls):
            widget.setVisible(landscape is None)
        self.numbers.set_landscape(landscape is not None)

    def _show_lesson(self) -> None:
        lab = self.lab
        if lab.landscape is not None:
            lesson = lessons.by_caption(lab.caption)    # its title in the lesson bar, not on the map
            self.lesson_bar.show_landscape(lab.landscape.title, lab.caption, None if lesson is None else lesson.title)
        else:
            self.lesson_bar.show_lesson(lab.lesson, lab.lesson_edited())
