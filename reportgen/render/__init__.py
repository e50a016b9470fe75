"""Emitting: plans → bytes. The package that imports reportlab and python-pptx (and, for the
patches fenced off in :mod:`reportgen._compat`, that package)."""
