"""``optilab install-desktop``: add (or remove) the app launcher for this user."""

from __future__ import annotations

import argparse

from optilab import messages
from optilab.cli.common import CLIError

CANNOT_WRITE = messages.declare("cli.install_desktop.cannot_write", "cannot write {path}: {reason}")
THE_LAUNCHER = messages.declare("cli.install_desktop.the_launcher", "the launcher")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add optilab to your desktop's application menu (this user only)",
        description="Install a launcher (optilab.desktop) and the icon in your user folders "
        "($XDG_DATA_HOME, default ~/.local/share), so optilab appears in the application menu "
        "(Linux desktops that follow freedesktop.org).",
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
        raise CLIError(CANNOT_WRITE(path=exc.filename or THE_LAUNCHER(), reason=exc.strerror or str(exc))) from None
    return 0
