"""The four standard MNIST files and their checksums.

The sha256 values are those of the *uncompressed* IDX files, so they hold for
any correct copy however it was gzip-compressed.  Code looks hashes up in
``SHA256`` at call time, so tests may substitute entries with monkeypatch.
"""

from __future__ import annotations

FILES: tuple[str, ...] = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Uncompressed sizes in bytes (header + data), for information and progress.
SIZES: dict[str, int] = {
    "train-images-idx3-ubyte": 47040016,
    "train-labels-idx1-ubyte": 60008,
    "t10k-images-idx3-ubyte": 7840016,
    "t10k-labels-idx1-ubyte": 10008,
}

#: Most items (images or labels) an MNIST-format file may declare in its header.
#: MNIST, Fashion-MNIST and KMNIST hold 60,000 per file; a header declaring more
#: is refused before anything is decompressed (a gzip bomb, or not MNIST).
MAX_ITEMS = 70_000

#: Most pixels per image an MNIST-format file may declare (28×28).
MAX_PIXELS = 28 * 28


def max_download_size(name: str) -> int:
    """Largest a genuine ``NAME.gz`` can be: its uncompressed size plus gzip's worst-case overhead.

    Deflate's stored blocks add 5 bytes per 64 kB; the gzip header and
    trailer with a file name stay under 1 kB.  Looked up at call time, so
    tests may substitute ``SIZES`` entries.
    """
    size = SIZES[name]
    return size + 5 * (size // 65535 + 1) + 1024
