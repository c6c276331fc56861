"""The translation catalogs: extract the texts, update the ``.po`` files, compile the ``.mo`` files, check.

    python tools/catalogs.py extract   # write optilab/locale/optilab.pot
    python tools/catalogs.py update    # extract, then bring every <lang>/LC_MESSAGES/optilab.po up to it
    python tools/catalogs.py compile   # write every optilab.mo from its optilab.po
    python tools/catalogs.py check     # list what is missing, broken or stale; exit status 1 if anything

The catalogs are gettext (``.po``, edited by translators with any PO editor; ``.mo``, loaded at run time
by the standard library's `gettext` in `optilab.ui.i18n`).  This tool uses Babel (`babel.messages`): a
tooling dependency, not a runtime one.

What is extracted (the template, ``optilab.pot``):

* **UI texts** (no context; msgid = the English text): the string literals given to ``tr``, ``bind``
  (3rd argument) and to every function of `optilab/ui` that passes one of its parameters on to them
  (``_menu``, ``_action``, ``HtmlDialog`` …: found by following the calls, so a new helper is found too);
* **data texts** the UI translates: lessons, presets, surfaces, tables of choices (`data_texts`);
* **kept texts**: a text that already has a translation and is still a string literal somewhere in
  `optilab/` (a table this tool does not know yet, a text computed from a literal);
* **messages** (msgctxt = the message's code, msgid = its English template): every entry of
  `optilab.messages.registry()` after importing every module of optilab;
* the language's own name for the Language menu (msgctxt ``language.name``, msgid ``English``);
* **external texts** (msgctxt ``external``): the English of the system and of libraries that reaches
  a message as its ``reason`` (``strerror``: "Permission denied"; `json`: "Expecting value"), kept
  as listed in the catalogs (they cannot be extracted from optilab's sources);
* **legacy templates** (msgctxt ``legacy``): English templates of core messages not declared yet,
  matched by `optilab.ui.i18n`'s fallback for plain text.  A declared message whose template is worded
  as a legacy one gets its translation on ``update`` (placeholders renamed if need be: `migrated`);
  ``update --drop-legacy`` removes them all once the UI passes only `Message` values.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import io
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PACKAGE = ROOT / "optilab"
UI = PACKAGE / "ui"
LOCALE = PACKAGE / "locale"
DOMAIN = "optilab"
POT = LOCALE / f"{DOMAIN}.pot"
LEGACY = "legacy"
#: msgctxt of texts from outside optilab that reach a message as its ``reason`` (the system's
#: ``strerror``, `json`'s and `gzip`'s messages): kept as the translators list them.
EXTERNAL = "external"
LANGUAGE_NAME = ("language.name", "English")
#: A fixed date in the headers, so that running the tool twice changes nothing.
_DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)
_HEADER = ("# {language} translations of optilab (msgid: the English text; msgctxt: a core message's code).\n"
           "# Edit msgstr only; keep every {{placeholder}}.  Then: python tools/catalogs.py compile")
#: Call name → 1-based positions of its text argument(s); completed by `forwarders`.
KEYWORDS: dict[str, set[int]] = {"tr": {1}, "bind": {3}}

Key = tuple[str, str | None]  # (msgid, msgctxt)


# -- extraction --------------------------------------------------------------------------------------

def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _ui_trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(UI.rglob("*.py"))
            if p.name != "i18n.py"]


def forwarders(trees: list[tuple[Path, ast.Module]]) -> dict[str, set[int]]:
    """`KEYWORDS` plus every function (or class, by its ``__init__``) that passes a parameter to one."""
    keywords = {name: set(positions) for name, positions in KEYWORDS.items()}
    changed = True
    while changed:
        changed = False
        for _path, tree in trees:
            scopes: list[ast.AST] = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]
            for scope in scopes:
                for fn in getattr(scope, "body", []):
                    if not isinstance(fn, ast.FunctionDef):
                        continue
                    name = scope.name if fn.name == "__init__" and isinstance(scope, ast.ClassDef) else fn.name
                    params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
                    offset = 1 if params[:1] in (["self"], ["cls"]) else 0
                    for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call)):
                        for pos in keywords.get(_callee(call) or "", ()):
                            arg = call.args[pos - 1] if len(call.args) >= pos else None
                            if isinstance(arg, ast.Name) and arg.id in params[offset:]:
                                index = params.index(arg.id) - offset + 1
                                if index not in keywords.setdefault(name, set()):
                                    keywords[name].add(index)
                                    changed = True
    return keywords


def ui_texts() -> Iterator[tuple[str, str, int]]:
    """(text, file, line) of every literal text argument of a translating call in `optilab/ui`."""
    trees = _ui_trees()
    keywords = forwarders(trees)
    for path, tree in trees:
        for call in (c for c in ast.walk(tree) if isinstance(c, ast.Call)):
            for pos in sorted(keywords.get(_callee(call) or "", ())):
                arg = call.args[pos - 1] if len(call.args) >= pos else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                    yield arg.value, str(path.relative_to(ROOT)), call.lineno


def _tables() -> Iterator[tuple[str, Iterable[str]]]:
    """(where, texts) of each data table the UI translates (imported lazily: a table may move)."""
    from optilab import lessons, optim, surfaces
    from optilab.training import experiments

    optim_names = set(optim.names())

    yield "lessons", [t for lesson in lessons.LESSONS
                      for t in (lesson.title, lesson.caption, lesson.look_at,
                                *(run.label for run in lesson.runs)) if t]
    yield "lessons.NO_BIAS_CORRECTION", [lessons.NO_BIAS_CORRECTION, "bias correction"]
    yield "experiments", [t for n in experiments.names()
                          for t in (experiments.PRESETS[n].title, experiments.PRESETS[n].shows)]
    yield "surfaces", [surfaces.get(name).title for name in surfaces.names()]
    # The experiments' run labels the legends show in the current language (the CSVs keep them in
    # English); optimizer keys and the batch-norm lesson's "BN std=…" pattern stay as they are.
    yield "experiments.runs", [c.label for n in experiments.names() for c in experiments.PRESETS[n].runs
                               if c.label and c.label not in optim_names and "BN std=" not in c.label]

    def attr(module: str, name: str):
        return getattr(importlib.import_module(module), name)

    for where, get in (
        ("ui.dialogs.EXPORT_KINDS", lambda: [t for v in attr("optilab.ui.dialogs", "EXPORT_KINDS").values()
                                             for t in (v[0], v[2])]),
        ("ui.dialogs.GIF_VIEW_TEXTS", lambda: attr("optilab.ui.dialogs", "GIF_VIEW_TEXTS").values()),
        ("ui.help.SHORTCUTS", lambda: [what for _key, what in attr("optilab.ui.help", "SHORTCUTS")]),
        ("ui.palette.PALETTES", lambda: [v[0] for v in attr("optilab.ui.palette", "PALETTES").values()]),
        ("ui.palette.THEME_LABELS", lambda: attr("optilab.ui.palette", "THEME_LABELS").values()),
        ("data.sources.SAMPLE_DESCRIPTION", lambda: [attr("optilab.data.sources", "SAMPLE_DESCRIPTION")]),
        ("ui.training_lab.landscape_dialog.CHOICE_TITLES",
         lambda: attr("optilab.ui.training_lab.landscape_dialog", "CHOICE_TITLES").values()),
        ("landscape.lessons", lambda: [t for lesson in attr("optilab.landscape.lessons", "LESSONS").values()
                                       for t in (lesson.title, lesson.caption,
                                                 *(c.label for c in lesson.configs),
                                                 *attr("optilab.landscape.lessons", "titles")(lesson)) if t]),
        ("ui.training_lab.pane_layout.VIEW_TITLES", lambda: attr("optilab.ui.training_lab.pane_layout", "VIEW_TITLES")),
        ("ui.training_lab.lesson_table_view.COLUMN_TITLES",
         lambda: attr("optilab.ui.training_lab.lesson_table_view", "COLUMN_TITLES").values()),
        ("training.regularisers.SUMMARY_ROWS", lambda: attr("optilab.training.regularisers", "SUMMARY_ROWS")),
        ("rules settings", _setting_texts),
    ):
        try:
            yield where, list(get())
        except (ImportError, AttributeError, TypeError, IndexError) as exc:
            print(f"note: data table {where} not read ({exc}); its texts count as kept texts only",
                  file=sys.stderr)


def _setting_texts() -> list[str]:
    """The labels and descriptions of every `optilab.rules.Setting` found in the core's modules."""
    from optilab.rules import Setting

    out = []
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("optilab.") or module.__name__.startswith("optilab.ui"):
            continue
        for value in list(vars(module).values()):
            values = value.values() if isinstance(value, Mapping) else value if isinstance(value, (tuple, list)) \
                else [value]
            for item in values:
                if isinstance(item, Setting):
                    label = getattr(item, "field_label", None)  # a hyperparameter's "η (lr)"
                    texts = (item.label, item.description, label() if callable(label) else None)
                    out += [t for t in texts if isinstance(t, str) and t.strip()]
    return out


def data_texts() -> set[str]:
    """Every text of `_tables`."""
    return {t for _where, texts in _tables() for t in texts if isinstance(t, str) and t.strip()}


def import_core() -> None:
    """Import every module of optilab (the core and the UI's), so that every `messages.declare` has run."""
    import optilab

    for info in pkgutil.walk_packages(optilab.__path__, "optilab."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def message_entries() -> dict[str, str]:
    """Code → English template of every declared core message."""
    import_core()
    from optilab import messages

    return {code: spec.template for code, spec in sorted(messages.registry().items())}


def source_literals() -> set[str]:
    """Every plain string literal in optilab's sources."""
    out: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def languages() -> list[str]:
    """The languages that have a catalog (folders of `LOCALE`)."""
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalog:
    with open(po_path(lang), "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return msgid, message.context


def translated(catalog: Catalog) -> dict[Key, str]:
    """(msgid, msgctxt) → translation of every entry with a non-empty one."""
    return {_key(m): m.string for m in catalog if m.id and isinstance(m.string, str) and m.string.strip()}


def extract(drop_legacy: bool = False) -> Catalog:
    """The template: every text the program may show (see the module's docstring)."""
    import_core()   # every module imported first, so every declared Setting's texts are found
    pot = Catalog(domain=DOMAIN, project="optilab", version="", charset="utf-8", creation_date=_DATE,
                  revision_date=_DATE, fuzzy=False, msgid_bugs_address="",
                  header_comment=_HEADER.format(language="Template for the"))
    pot.add(LANGUAGE_NAME[1], context=LANGUAGE_NAME[0],
            auto_comments=["This language's own name, shown in the Language menu."])
    for text, file, line in ui_texts():
        pot.add(text, locations=[(file, line)])  # a text used again: its locations are merged
    for text in sorted(data_texts()):
        if text not in pot:
            pot.add(text, auto_comments=["data text"])
    existing = [translated(load(lang)) for lang in languages()]
    templates = message_entries()
    literals = source_literals() - set(templates.values())  # a declared template is no UI text
    for text in sorted({k[0] for t in existing for k in t if k[1] is None} & literals):
        if text not in pot:
            pot.add(text, auto_comments=["kept: a literal of optilab's sources"])
    for code, template in templates.items():
        pot.add(template, context=code, auto_comments=[f"core message {code}"])
    for text in sorted({k[0] for t in existing for k in t if k[1] == EXTERNAL}):
        pot.add(text, context=EXTERNAL, auto_comments=["external: a system's or library's English text"])
    if not drop_legacy:  # kept even once declared: UI code may still pass the English text
        for text in sorted({k[0] for t in existing for k in t if k[1] == LEGACY}):
            pot.add(text, context=LEGACY, auto_comments=["legacy: a core message not declared yet"])
    return pot


# -- update, compile, check ------------------------------------------------------------------------

def _write_po(path: Path, catalog: Catalog) -> None:
    buf = io.BytesIO()
    # No line numbers: a catalog changes when texts do, not when code moves.
    write_po(buf, catalog, width=0, omit_header=False, sort_output=False, include_previous=False,
             include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def _shape(template: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(literal parts, placeholder fields in order) of a template; None when it does not parse."""
    import string

    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return None
    return (tuple(lit for lit, *_ in parts),
            tuple("{" + n + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
                  for _, n, spec, conv in parts if n is not None))


def migrated(template: str, old: dict[Key, str]) -> str:
    """The translation of a legacy (or plain) entry with ``template``'s wording but other placeholder
    names (``{file}`` became ``{path}``), its placeholders renamed; "" when there is none (or several)."""
    shape = _shape(template)
    if shape is None or not shape[1]:
        return ""
    found = set()
    for (msgid, ctx), string in old.items():
        other = _shape(msgid) if ctx in (None, LEGACY) else None
        if other and other[0] == shape[0] and len(other[1]) == len(shape[1]):
            renamed = string
            names = dict(zip(other[1], shape[1], strict=True))
            for a in names:  # via markers, so that {a}->{b}, {b}->{a} swaps do not collide
                renamed = renamed.replace(a, f"\0{list(names).index(a)}\0")
            for i, b in enumerate(names.values()):
                renamed = renamed.replace(f"\0{i}\0", b)
            found.add(renamed)
    return found.pop() if len(found) == 1 else ""


def respecced(string: str, english: str) -> str:
    """``string`` with each placeholder formatted as in ``english`` (``{n}`` → ``{n:,}`` when the
    English became ``{n:,}``); unchanged when the two have other placeholder names."""
    import re

    mine, theirs = _shape(string), _shape(english)
    if not mine or not theirs:
        return string
    name = re.compile(r"\{(\w+)[^{}]*\}")
    by_name = {name.match(f).group(1): f for f in theirs[1] if name.match(f)}
    if {name.match(f).group(1) for f in mine[1] if name.match(f)} != set(by_name):
        return string
    if len(set(theirs[1])) > len(by_name):
        return string   # a name written two ways ({name!r} … {name}): which is which is the translator's
    return name.sub(lambda m: by_name.get(m.group(1), m.group(0)), string)


def updated(template: Catalog, lang: str, old: dict[Key, str]) -> Catalog:
    """A catalog for ``lang`` with every entry of ``template``, translated as in ``old`` where it was
    (a core message without one takes the translation of its legacy template or English text, or of
    one worded alike with other placeholder names: `migrated`)."""
    new = Catalog(locale=lang, domain=DOMAIN, project="optilab", version="", charset="utf-8",
                  creation_date=_DATE, revision_date=_DATE, fuzzy=False, language_team="",
                  last_translator="", msgid_bugs_address="", header_comment=_HEADER.format(language=lang))
    for m in template:
        if not m.id:
            continue
        key = _key(m)
        string = (old.get(key) or old.get((key[0], LEGACY)) or old.get((key[0], None))
                  or (migrated(key[0], old) if key[1] else ""))
        new.add(m.id, respecced(string, m.id) if string else "", context=m.context, locations=m.locations,
                auto_comments=m.auto_comments)
    return new


def update(drop_legacy: bool = False) -> Catalog:
    template = extract(drop_legacy)
    _write_po(POT, template)
    for lang in languages():
        _write_po(po_path(lang), updated(template, lang, translated(load(lang))))
    return template


def mo_bytes(lang: str) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, load(lang), use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> None:
    for lang in languages():
        po_path(lang).with_suffix(".mo").write_bytes(mo_bytes(lang))


def fields(text: str) -> list[str]:
    """The ``{placeholders}`` of a template with their conversion and format, sorted (``{{``
    escapes skipped): a translation must format each value as the English does."""
    shape = _shape(text)
    return sorted(shape[1]) if shape else ["<unbalanced braces>"]


def _shown(path: Path) -> str:
    """``path`` as the check prints it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def problems(template: Catalog | None = None) -> list[str]:
    """One line per fault: a missing or obsolete entry, a changed placeholder, a stale ``.mo``."""
    template = template or extract()
    wanted = {_key(m): m for m in template if m.id}
    out = []
    for lang in languages():
        catalog = load(lang)
        have = {_key(m): m for m in catalog if m.id}
        for key in wanted:
            string = have[key].string if key in have else ""
            where = f"{_shown(po_path(lang))}: " + (f"[{key[1]}] " if key[1] else "") + repr(key[0])
            if not (isinstance(string, str) and string.strip()):
                out.append(f"{where}: no translation")
            elif fields(string) != fields(key[0]):
                out.append(f"{where}: placeholders {fields(string)} differ from the English {fields(key[0])}")
        for key in have.keys() - wanted.keys():
            out.append(f"{_shown(po_path(lang))}: obsolete entry [{key[1]}] {key[0]!r}; "
                       "run 'python tools/catalogs.py update'")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != mo_bytes(lang):
            out.append(f"{_shown(mo)}: not compiled from the current .po; "
                       "run 'python tools/catalogs.py compile'")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    parser.add_argument("--drop-legacy", action="store_true", help="update: remove the legacy templates")
    args = parser.parse_args(argv)
    if args.command == "extract":
        _write_po(POT, extract())
    elif args.command == "update":
        update(args.drop_legacy)
    elif args.command == "compile":
        compile_all()
    else:
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s) in {', '.join(languages())}")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
