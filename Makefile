# reportgen: `make brief` builds the PDF brief, `make test` runs the tests.
# The first run creates .venv and installs reportgen into it; nothing needs root.
# OUTLINE=outlines/other.yaml picks another outline; THEME=lecture (or a theme file) another look;
# PPTX_TEMPLATE=assets/university.pptx makes the deck from an institution's template.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OUTLINE ?= outlines/trilateral-alliance.yaml
NAME    := $(basename $(notdir $(OUTLINE)))
OUT     := output
THEME   ?=
PPTX_TEMPLATE ?=
LOOK    := $(if $(THEME),--theme $(THEME)) $(if $(PPTX_TEMPLATE),--pptx-template $(PPTX_TEMPLATE))
# The outputs depend on the look chosen: a stamp file holds it, rewritten only when it changes.
LOOK_STAMP := $(OUT)/.look
$(shell mkdir -p $(OUT) && (echo '$(LOOK)' | cmp -s - $(LOOK_STAMP) || echo '$(LOOK)' > $(LOOK_STAMP)))
SOURCES := $(shell find reportgen -name '*.py' -o -name '*.yaml' 2>/dev/null)
# What an outline may read: the outline, its includes, the assets.
INPUTS  := $(OUTLINE) $(shell find outlines assets -type f 2>/dev/null) $(filter %.yaml %.yml,$(THEME)) $(LOOK_STAMP)

.PHONY: brief slides all validate watch sheets test test-latest typecheck fuzz bench clean distclean help
.DEFAULT_GOAL := help

help:
	@echo "make brief      build $(OUT)/$(NAME).pdf (OUTLINE=... for another outline)"
	@echo "make slides     build $(OUT)/$(NAME).pptx (THEME=lecture, PPTX_TEMPLATE=assets/x.pptx for another look)"
	@echo "make all        build both"
	@echo "make validate   check the outline"
	@echo "make watch      build both, then rebuild on every save of the outline or a file it uses (Ctrl-C stops)"
	@echo "make sheets     build the trilateral brief and deck in both themes, draw docs/sheets/*.png (poppler, LibreOffice)"
	@echo "make test       run the tests"
	@echo "make test-latest  run the tests against the newest releases (a fresh .venv-latest)"
	@echo "make typecheck  run mypy over reportgen/ (pyproject.toml [tool.mypy])"
	@echo "make fuzz       run the property-based tests at full size (about 5 minutes)"
	@echo "make bench      time reportgen (and pandoc on the same content); writes $(OUT)/bench.json"
	@echo "make clean      remove built files; make distclean also removes .venv"

# Installed with constraints.txt: the exact versions that make the outputs byte-identical.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

brief: $(OUT)/$(NAME).pdf
slides: $(OUT)/$(NAME).pptx
all: brief slides

$(OUT)/$(NAME).pdf: $(INPUTS) $(SOURCES) $(STAMP)
	$(BIN)/reportgen build $(OUTLINE) --format pdf --out $(OUT) $(LOOK)

$(OUT)/$(NAME).pptx: $(INPUTS) $(SOURCES) $(STAMP)
	$(BIN)/reportgen build $(OUTLINE) --format pptx --out $(OUT) $(LOOK)

validate: $(STAMP)
	$(BIN)/reportgen validate $(OUTLINE) $(LOOK)

watch: $(STAMP)
	$(BIN)/reportgen watch $(OUTLINE) --out $(OUT) $(LOOK)

# Contact sheets of the trilateral brief and deck in both built-in themes, from the current code:
# small PNGs under docs/sheets/ (committed; docs/design.md says what they show).
SHEETS := docs/sheets
sheets: $(STAMP)
	for theme in policy lecture; do \
		$(BIN)/reportgen build outlines/trilateral-alliance.yaml --theme $$theme --out $(OUT)/sheets/$$theme && \
		$(BIN)/python tools/contact_sheet.py $(OUT)/sheets/$$theme/trilateral-alliance.pdf $(SHEETS)/brief-$$theme.png --columns 6 --width 200 && \
		$(BIN)/python tools/contact_sheet.py $(OUT)/sheets/$$theme/trilateral-alliance.pptx $(SHEETS)/deck-$$theme.png --columns 5 --width 260 \
		|| exit 1; \
		$(BIN)/reportgen build outlines/example.yaml --format pptx --theme $$theme --out $(OUT)/sheets/$$theme && \
		$(BIN)/python tools/contact_sheet.py $(OUT)/sheets/$$theme/example.pptx $(SHEETS)/deck-example-$$theme.png --columns 6 --width 220 \
		|| exit 1; \
	done
	$(BIN)/reportgen build outlines/trilateral-alliance.yaml --format pptx --pptx-template assets/university.pptx --out $(OUT)/sheets/university
	$(BIN)/python tools/contact_sheet.py $(OUT)/sheets/university/trilateral-alliance.pptx $(SHEETS)/deck-university.png --columns 5 --width 220

test: $(STAMP)
	$(BIN)/python -m pytest

typecheck: $(STAMP)
	$(BIN)/python -m mypy

# The tests against the newest releases pyproject.toml's ranges admit, in a venv of their own.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --disable-pip-version-check --upgrade -e '.[test]'
	.venv-latest/bin/python -m pytest

# Property-based tests at full size: 500 random documents rendered, 2,000 random outline edits,
# 1,000 hostile outlines built (any length, any character, wide tables, includes, jinja that grows).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz REPORTGEN_FUZZ_EDITS=2000 REPORTGEN_FUZZ_HOSTILE=1000 $(BIN)/python -m pytest -p no:cacheprovider \
		tests/hostile/test_properties.py --hypothesis-show-statistics

# The benchmark needs pandoc and typst (PyPI wheels, the `bench` extra); bench/run.py says what it measures.
$(VENV)/.bench-installed: pyproject.toml constraints.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py --json $(OUT)/bench.json

clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

distclean: clean
	rm -rf $(VENV) *.egg-info
