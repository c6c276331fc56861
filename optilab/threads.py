"""BLAS thread defaults, set before numpy loads (no numpy import here).

The book's 100-wide layers gain nothing from a second BLAS thread, and
OpenBLAS's spinning threads collapse when the other core is busy (the app's
window, another program): measured here 590 it/s with one thread against
70–590 with two.  A user's own setting of these variables always wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

#: The variables OpenBLAS, OpenMP and MKL read for their thread count.
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def default_one_blas_thread(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set each of `BLAS_THREAD_VARS` to "1" unless already set."""
    for key in BLAS_THREAD_VARS:
        environ.setdefault(key, "1")
