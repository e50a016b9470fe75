"""Reading an outline: bytes → jinja2 (sandboxed) → YAML with positions → includes → model.

:func:`reportgen.read.loader.load_outline` is the entry point; it returns a
:class:`reportgen.model.Document` or raises :class:`reportgen.errors.OutlineError` holding every
problem found, each with the file, line, column and key path an editor needs.
"""
