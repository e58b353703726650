"""`python -m runtime.settings` prints the settings table; `--readme README.md` writes it into the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from runtime.settings.readme import markdown, with_table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime.settings", description=__doc__)
    parser.add_argument("--readme", type=Path, metavar="PATH",
                        help="replace the table between the markers in this file instead of printing it")
    args = parser.parse_args()
    if args.readme is None:
        print(markdown(), end="")
    else:
        args.readme.write_text(with_table(args.readme.read_text()))


main()
