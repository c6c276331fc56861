"""Qt-free models of the two labs: what a lab *is*, apart from how it is drawn.

`surface` holds the surface lab (surface or formula, runs, start, steps,
current step, lesson, view options) and `training` the training session
(a state machine over idle / running / paused / finished / failed, with
typed messages and results).  The Qt panes in `optilab.ui` only observe and
edit these models, as napari's Qt controls set fields of its Qt-free layer
models: a model announces each change with a `psygnal.Signal`, so it can be
driven and tested without Qt, from a script, the CLI or a test.
"""
