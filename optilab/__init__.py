"""optilab: watch neural-network optimizers and training tricks at work.

The core packages (`optim`, `surfaces`, `trajectory`, `nn`, `data`,
`training`) are pure numpy; `optilab.ui` is the only package that imports Qt.
"""

__version__ = "0.1.0"
