"""What the content model costs a command on each route: reportgen's records on pydantic-core
(reportgen/records.py) against pydantic's own models of the same size.

    python bench/records_route.py PYTHON_WITH_PYDANTIC

PYTHON_WITH_PYDANTIC is an interpreter of a scratch venv with pydantic installed (pydantic is
no dependency of reportgen): ``python3 -m venv /tmp/pyd && /tmp/pyd/bin/pip install pydantic``.
Each figure is the median of 21 new processes: the imports and the classes made, nothing read.
The pydantic side is 29 frozen models with 120 fields of the content model's kinds of types
(text, optional text, tuples, literals, bounded numbers, nested models, a before-validator),
which is what the model and the theme hold.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PYDANTIC_MODELS = '''
import datetime, pathlib
from typing import Literal, Optional, Annotated
from pydantic import BaseModel, ConfigDict, Field, BeforeValidator
Str = Annotated[str, BeforeValidator(lambda v: v)]
class Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
ns = {"Base": Base, "Str": Str, "Optional": Optional, "Literal": Literal, "Field": Field}
src = []
for i in range(29):
    fields = []
    for j in range(120 // 29 + (1 if i < 120 % 29 else 0)):
        kind = (i + j) % 6
        t = ["Str", "Optional[str] = None", "tuple[Str, ...] = ()", "Literal['a','b','c'] = 'a'", "int = Field(0, ge=0)",
             f"Optional['M{i-1}'] = None" if i else "bool = False"][kind]
        fields.append(f"    f{j}: {t}")
    src.append(f"class M{i}(Base):\\n" + "\\n".join(fields))
src.append("M28.model_rebuild()")
exec("\\n".join(src), ns)
'''


def median_ms(python: str, code: str, cwd: Path, runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        done = subprocess.run([python, "-c", f"import time; t = time.perf_counter()\n{code}\nprint(time.perf_counter() - t)"],
                              capture_output=True, text=True, cwd=cwd, check=True)
        times.append(float(done.stdout.split()[-1]))
    return statistics.median(times) * 1000


def main() -> int:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "models.py").write_text(PYDANTIC_MODELS, encoding="utf-8")
        rows = [
            ("pydantic-core imported", sys.executable, "import pydantic_core", REPO),
            ("reportgen's records: the model, the theme and their validators", sys.executable,
             "from reportgen.model import Document\nimport reportgen.theme as theme\n"
             "Document.validator(); theme.Theme.validator()", REPO),
            ("pydantic imported", sys.argv[1], "from pydantic import BaseModel", Path(scratch)),
            ("pydantic: 29 models, 120 fields", sys.argv[1], "import models", Path(scratch)),
        ]
        print("| route | ms |\n|---|---|")
        for label, python, code, cwd in rows:
            print(f"| {label} | {median_ms(python, code, cwd):.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
