"""Emitting: plans → bytes. The only package that imports reportlab or python-pptx.

Imported before either of them: what they import and a build may never use loads on first use
(:func:`reportgen.quick_imports.defer_unused`).
"""

from reportgen.quick_imports import defer_unused

defer_unused()
