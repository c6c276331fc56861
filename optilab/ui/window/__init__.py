"""The main window's parts, each a mixin of `optilab.ui.main_window.MainWindow`.

* `menus` — the File, View (Presentation) and Help menus and their actions;
* `scenarios` — the screen as a scenario, save, open (validated first), recent files;
* `export_actions` — Ctrl+E and the exports of the one registry (`optilab.exporters`);
* `look` — language, zoom steps, theme, palette, full screen.

The window itself (`optilab.ui.main_window`) wires the tabs, the deferred
training lab (typed: `training_pane`/`settings_dock`, set by
`optilab.ui.training_lab.install` through its `LabHost` protocol), the stored
settings, errors and help.
"""
