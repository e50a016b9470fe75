"""The ``reportgen`` command: a thin shell over :mod:`reportgen.read` and the builders.

Every user mistake is a :class:`reportgen.errors.ReportgenError`: printed as one line per
problem on stderr, exit code 2, no traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import time
from pathlib import Path

from reportgen import FOLDER, __version__
from reportgen.errors import EXIT_INTERNAL, ReportgenError

FORMATS = ("pdf", "pptx")

EXAMPLES = """\
examples:
  reportgen validate outlines/trilateral-alliance.yaml
  reportgen build outlines/trilateral-alliance.yaml --format pdf
  reportgen build outlines/trilateral-alliance.yaml --format pdf,pptx --out output/
  reportgen build outlines/example.yaml --var edition=2 --vars outlines/vars/example-lisbon.yaml
  reportgen build outlines/example.yaml --draft       # missing figure images drawn as boxes
  reportgen build outlines/trilateral-alliance.yaml --theme lecture --pptx-template assets/university.pptx
  reportgen watch outlines/trilateral-alliance.yaml
  reportgen templates inspect assets/university.pptx
  reportgen new my-brief
  reportgen schema        # the outline's JSON Schema, for editors

Errors name the file, line, column and key: outlines/x.yaml:12:5: sections[0].heading: ...
Exit codes: 0 done, 2 the input (outline, option, file) is wrong.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen",
        description="Turn one YAML outline into a PDF policy brief and a PowerPoint deck.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def outline_command(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_argument("outline", metavar="OUTLINE", help="the outline, a .yaml file")
        command.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                             help="set a template variable (repeatable; overrides --vars and the outline's vars:)")
        command.add_argument("--vars", metavar="FILE", help="a YAML file of template variables")
        command.add_argument("--theme", metavar="NAME|FILE",
                             help="a built-in theme (policy, lecture) or a theme file; overrides the outline's theme:")
        command.add_argument("--pptx-template", metavar="FILE",
                             help="an institution's .pptx template for the deck; overrides the outline's pptx_template:")
        command.add_argument("--root", metavar="DIR",
                             help="the project root that paths are relative to (default: the nearest folder up with assets/)")
        command.add_argument("--draft", action="store_true",
                             help="a draft: a figure whose image file is missing is drawn as a placeholder box, with a "
                                  "warning, instead of being an error")
        return command

    for name, help_text in (("build", "build the brief (pdf) and/or the deck (pptx) from an outline"),
                            ("watch", "build, then rebuild whenever the outline or a file it uses is saved (Ctrl-C stops)")):
        build = outline_command(name, help_text)
        build.add_argument("--format", default="pdf,pptx", metavar="LIST",
                           help="comma-separated formats to build: pdf, pptx (default: both)")
        build.add_argument("--out", default="output", metavar="DIR", help="where to write the files (default: output/)")
        build.add_argument("--page-size", choices=("a4", "letter"), help="the brief's page size (default: the theme's, a4)")
        build.add_argument("--slide-size", choices=("16:9", "4:3"),
                           help="the deck's slide size (default: the theme's, 16:9)")
    outline_command("validate", "check an outline and print a one-line summary")
    templates = commands.add_parser("templates", help="look into an institution's .pptx template",
                                    description="Look into an institution's .pptx template.")
    template_commands = templates.add_subparsers(dest="template_command", required=True, metavar="COMMAND")
    inspect = template_commands.add_parser(
        "inspect", help="list the template's layouts and placeholders, and the layout used for each kind of slide",
        description="List the template's layouts with their placeholders (type, index, name, size), its theme "
                    "fonts, and the layout reportgen uses for each kind of slide, to write pptx_template.layouts.")
    inspect.add_argument("template", metavar="FILE", help="a .pptx file")
    new = commands.add_parser("new", help="write a commented starter outline",
                              description="Write a commented starter outline that validates, to edit from there.")
    new.add_argument("name", metavar="NAME", help="a name such as my-brief (written to outlines/NAME.yaml)")
    commands.add_parser("schema", help="print the outline's JSON Schema (for an editor's YAML language server)",
                        description="Print the outline's JSON Schema, made from reportgen's model: the file an "
                                    "editor's YAML language server reads to complete keys and flag mistakes. "
                                    "reportgen ships a copy; the outlines' first line names it.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {"build": _build, "watch": _watch, "validate": _validate, "new": _new, "templates": _templates,
                    "schema": _schema}
        return commands[args.command](args)
    except ReportgenError as err:
        print(err, file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # what was printed had no reader left (reportgen … | head)
        _quiet_if_broken(sys.stdout)
        return 0
    except Exception as err:  # a bug in reportgen, not the user's mistake: one line, unless debugging
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        print(f"reportgen: internal error: {type(err).__name__}: {err}; please report it "
              "(REPORTGEN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The ``reportgen`` command (the console script and ``python -m reportgen``).

    The cyclic garbage collector is paused while the command imports its libraries and reads
    the outline, which makes a great many objects that live to the end and no garbage worth a
    collection; a build resumes it once the outline is loaded (``build.resume_collection``).
    docs/performance.md gives what this pays."""
    gc.disable()
    code = main()
    _quiet_if_broken(sys.stdout)  # reportgen … | head: the reader may have gone
    sys.exit(code)


def _quiet_if_broken(stream) -> None:
    """Where the reader of ``stream`` has gone, point it at /dev/null, so that the interpreter's
    final flush says nothing (Python's own advice for SIGPIPE)."""
    try:
        stream.flush()
    except (BrokenPipeError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def _variables(pairs: list[str]) -> dict[str, str | bool]:
    """``--var`` values: text, except ``true`` and ``false``, so ``{% if draft %}`` works from the command line."""
    variables = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ReportgenError(f"--var {pair!r}: expected NAME=VALUE, NAME being letters, digits and _")
        variables[name] = {"true": True, "false": False}.get(value, value)
    return variables


def _import_model() -> None:
    """pydantic-core, the model, and the document's validator."""
    from reportgen.model import Document

    Document.validator()


def _load(args: argparse.Namespace):
    """The loaded outline."""
    from reportgen import _compat
    from reportgen.read.loader import load_outline

    _compat.start("read")  # (before YAML is imported)

    loaded = load_outline(args.outline, variables=_variables(args.var), vars_file=args.vars, root=args.root,
                          theme=args.theme, pptx_template=args.pptx_template, draft=args.draft)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    return loaded


def _validate(args: argparse.Namespace) -> int:
    """Every check ``build`` makes, for every format, with nothing rendered or written."""
    loaded = _load(args)
    document = loaded.document
    from reportgen import build as builder

    builder.check(loaded, list(FORMATS))
    if loaded.template is not None:  # planned where python-pptx reads it, as the deck's renderer does
        from reportgen.render.pptx_template import template_warnings

        template = builder.template_deck_plan(loaded, None).template
        for warning in template_warnings(template, loaded) if template else ():
            print(warning, file=sys.stderr)
    paragraphs = [p for s in document.sections for p in s.paragraphs()]
    words = sum(len(p.text.plain.split()) for p in paragraphs)
    figures, charts = len(document.figures()), len(document.charts())
    print(f"{args.outline}: valid{' as a draft' if args.draft else ''}: {_count(len(document.sections), 'section')}, "
          f"{_count(len(paragraphs), 'paragraph')}, {_count(words, 'word')}, {_count(figures, 'figure')}"
          f"{_draft_note(document) if args.draft else ''}, {_count(charts, 'chart')}")
    return 0


def _draft_note(document) -> str:
    """What a summary line adds in a draft: how many figures are placeholder boxes."""
    missing = len({figure.image for figure in document.figures() if not figure.image.is_file()})
    return f" ({_count(missing, 'missing image')} drawn as {'a box' if missing == 1 else 'boxes'})" if missing else ""


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _formats(args: argparse.Namespace) -> list[str]:
    formats = list(dict.fromkeys(f.strip() for f in args.format.split(",") if f.strip()))  # pdf,pdf is pdf
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ReportgenError(f"--format {args.format!r}: expected a comma-separated list of {', '.join(FORMATS)}")
    return formats


def _output_name(args: argparse.Namespace) -> str:
    return Path(args.outline).name.removesuffix(".yaml").removesuffix(".yml")


def _watch(args: argparse.Namespace) -> int:
    """Build, then rebuild on every save (reportgen.watch), the process kept warm: the model, both
    renderers, the fonts and the deck's default presentation loaded once, before the first build."""
    formats = _formats(args)
    from reportgen import build as builder
    from reportgen.watch import watch

    _import_model()
    for fmt in formats:
        builder._prepare(fmt)
    builder.resume_collection()
    out = Path(args.out)

    def build_once():
        loaded = _load(args)
        built = builder.build(loaded, _output_name(args), formats, out, page_size=args.page_size,
                              slide_size=args.slide_size)
        for warning in (warning for each in built for warning in each.warnings):
            print(warning, file=sys.stderr)
        return loaded, built

    return watch(build_once, Path(args.outline), out=out, say=lambda line: print(line, flush=True))


def _build(args: argparse.Namespace) -> int:
    formats = _formats(args)
    started = time.perf_counter()
    from reportgen import build as builder

    # The renderers start now, each in a process of its own that imports its renderer while this
    # one imports the model and reads the outline: each is handed a plan of plain values and
    # needs nothing of the model, nor of the loader's libraries (YAML, jinja2).
    workers = builder.fork_workers(formats, started)
    try:
        _import_model()
        import reportgen.theme  # noqa: F401  (both plans read the theme: imported once, here)

        # Read here, in turn: the renderers' processes keep both cores busy by now.
        loaded = _load(args)
        builder.resume_collection()
        built = builder.build(loaded, _output_name(args), formats, Path(args.out), page_size=args.page_size,
                              slide_size=args.slide_size, started=started, workers=workers)
    except BaseException:
        for worker in workers.values():
            worker.stop()
        raise
    for warning in (warning for each in built for warning in each.warnings):
        print(warning, file=sys.stderr)
    draft = f", draft{_draft_note(loaded.document)}" if args.draft else ""
    for each in built:
        print(each.summary() + draft)
    return 0


def _templates(args: argparse.Namespace) -> int:
    from reportgen.render.pptx_template import describe, read_template, template_warnings

    path = Path(args.template)
    if not path.is_file():
        raise ReportgenError(f"{path}: no such file")
    template = read_template(path)
    for warning in template_warnings(template):
        print(warning, file=sys.stderr)
    print(describe(template))
    return 0


def _new(args: argparse.Namespace) -> int:
    name = args.name.removesuffix(".yaml")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", Path(name).name):
        raise ReportgenError(f"new {args.name!r}: expected a name of a-z, 0-9 and hyphens, such as my-brief")
    target = Path(name + ".yaml") if "/" in name or not Path("outlines").is_dir() else Path("outlines", name + ".yaml")
    if target.exists():
        raise ReportgenError(f"{target}: already exists; choose another name or remove it")
    title = Path(name).name.replace("-", " ").capitalize()
    import datetime

    text = (FOLDER / "starter.yaml").read_text(encoding="utf-8")
    schema = os.path.relpath(FOLDER / "data" / SCHEMA_FILE, target.parent.absolute())
    text = text.replace("__TITLE__", title).replace("__DATE__", datetime.date.today().isoformat())
    text = text.replace("__SCHEMA__", Path(schema).as_posix())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"{target}: written; check it with: reportgen validate {target}")
    return 0


SCHEMA_FILE = "outline.schema.json"
"""The shipped copy of ``reportgen schema``'s output, in the package's data folder."""


def _schema(args: argparse.Namespace) -> int:
    import json

    from reportgen.model.schema import outline_schema

    print(json.dumps(outline_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
