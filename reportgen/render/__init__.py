"""Emitting: plans → bytes. The only package that imports reportlab or python-pptx."""
