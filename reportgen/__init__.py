"""reportgen: one YAML outline in, a print-ready PDF policy brief and a PowerPoint deck out.

The data flows ``outline → model → plan → reportlab / python-pptx``:

- :mod:`reportgen.read` reads an outline (jinja2, YAML, includes) into the model;
- :mod:`reportgen.model` is the one content model both outputs are made from;

The command line (:mod:`reportgen.cli`) is a thin shell over these.
"""

from pathlib import Path

__version__ = "0.1.0"

FOLDER = Path(__file__).resolve().parent
"""The package's folder: its data files (themes/, data/, starter.yaml) are found from here, the
package being installed as files (``importlib.resources`` is slow to import: docs/performance.md)."""
