"""Command line: download data sets ahead of time (the Docker build does this).

    python -m core.data download mnist fashion-mnist [--dest DIR] [--mirror URL ...]

Files go to DIR/<name>/ (DIR defaults to $NEURAL_PLAYGROUND_DATA, else ~/.cache/neural-playground).
Exit code 0 on success, 1 with a one-paragraph explanation (no traceback) on failure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.data.download import IDX_FILES, SOURCES, default_cache_dir, download_file
from core.data.errors import DataError

BAR_WIDTH = 30


class TextProgress:
    """A plain-text progress bar on a stream: redrawn in place on a terminal, else a few lines."""

    def __init__(self, label: str, stream):
        self.label = label
        self.stream = stream
        self.interactive = getattr(stream, "isatty", lambda: False)()
        self.last_step = -1
        self.called = False

    def __call__(self, done: int, total: int | None) -> None:
        self.called = True
        mb = f"{done / 1e6:.1f}" + (f"/{total / 1e6:.1f}" if total else "") + " MB"
        if total:
            fraction = min(done / total, 1.0)
            filled = int(round(fraction * BAR_WIDTH))
            line = f"  {self.label}  [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:4.0%}  {mb}"
            step = int(fraction * 4)  # non-interactive: print at 0, 25, 50, 75, 100 %
        else:
            line, step = f"  {self.label}  {mb}", -1
        if self.interactive:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif step > self.last_step:
            self.last_step = step
            self.stream.write(line + "\n")
            self.stream.flush()


def download_command(names, dest, mirrors, timeout, stream) -> None:
    for name in names:
        folder = Path(dest) / name
        stream.write(f"{name} -> {folder}\n")
        source = SOURCES[name]
        for filename in IDX_FILES:
            bar = TextProgress(filename, stream)
            try:
                download_file(filename, mirrors or source.mirrors, source.md5[filename], folder, bar, timeout)
            finally:
                if bar.called and bar.interactive:
                    stream.write("\n")  # end the line the bar was redrawing
            verdict = "downloaded, checksum OK" if bar.called else "already present, checksum OK"
            stream.write(f"  {filename}  {verdict}\n")
    stream.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.data", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    download = commands.add_parser("download", help="download and verify MNIST-style data sets")
    download.add_argument(
        "names",
        nargs="+",
        choices=sorted(SOURCES),
        metavar="NAME",
        help=f"data sets to download: {', '.join(SOURCES)}",
    )
    download.add_argument(
        "--dest", default=None, help=f"cache folder (default: {default_cache_dir()}); files go to DEST/NAME/"
    )
    download.add_argument(
        "--mirror",
        action="append",
        default=None,
        metavar="URL",
        help="base URL to download from instead of the built-in mirrors (repeatable)",
    )
    download.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for a server (default 30)"
    )
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    dest = Path(args.dest) if args.dest else default_cache_dir()
    try:
        download_command(args.names, dest, args.mirror, args.timeout, sys.stderr)
    except DataError as err:
        sys.stderr.write(f"\nerror: {err}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted; no partial file was kept.\n")
        return 130
    sys.stderr.write("done.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
