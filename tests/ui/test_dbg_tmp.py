def test_dbg(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.apply_formula("log(x) + y**2") if hasattr(pane, "apply_formula") else None
    print("surface", pane.surface)
    pane.set_start(-1.0, 0.0)
    pane.set_step(3)
    print([t.n_points for t in pane.trajectories], pane.view_2d.label_text(0))
