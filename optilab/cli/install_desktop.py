"""``optilab install-desktop``: add (or remove) the app launcher for this user."""

from __future__ import annotations

import argparse

from optilab.cli.common import CLIError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add optilab to your desktop's application menu (this user only)",
        description="Install a launcher (optilab.desktop) and the icon in your user folders "
        "($XDG_DATA_HOME, default ~/.local/share), so optilab appears in the application menu.",
    )
    p.add_argument("--uninstall", action="store_true", help="remove the launcher and icon again")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    from optilab import desktop

    try:
        if args.uninstall:
            removed = desktop.uninstall()
            print("removed " + ", ".join(str(p) for p in removed) if removed else "nothing to remove")
        else:
            for path in desktop.install():
                print(f"installed {path}")
    except OSError as exc:
        raise CLIError(f"cannot write {exc.filename or 'the launcher'}: {exc.strerror or exc}") from None
    return 0
