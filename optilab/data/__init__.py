"""MNIST for optilab: IDX reader, sources (folder, cache, bundled sample), downloader.

Pure numpy and the standard library.  The usual entry point is :func:`load`,
which returns a :class:`Dataset` from the first available source; see
:mod:`optilab.data.sources` for the order.
"""

from optilab.data.download import DEFAULT_MIRRORS, MAX_TIMEOUT, check_timeout, download
from optilab.data.errors import DataError, DownloadCancelled
from optilab.data.files import FILES, SHA256, SIZES
from optilab.data.idx import load_mnist, read_idx
from optilab.data.sources import (
    ENV_VAR,
    MNIST,
    Dataset,
    cache_dir,
    clear_cache,
    load,
    load_folder,
    load_sample,
    resolve,
    sample_split,
)

__all__ = [
    "DEFAULT_MIRRORS",
    "ENV_VAR",
    "FILES",
    "MAX_TIMEOUT",
    "MNIST",
    "SHA256",
    "SIZES",
    "DataError",
    "Dataset",
    "DownloadCancelled",
    "cache_dir",
    "check_timeout",
    "clear_cache",
    "download",
    "load",
    "load_folder",
    "load_mnist",
    "load_sample",
    "read_idx",
    "resolve",
    "sample_split",
]
