"""A brand.yml file (the format of posit's brand.yml, which Quarto reads) → a theme overlay.

A brand file (``_brand.yml``, ``brand.yml``, or any YAML file whose top-level keys are brand.yml's:
``meta``, ``color``, ``typography``, ``logo``, ``defaults``) themes a build as a built-in theme
(``policy``, or the one ``defaults.reportgen.extends`` names) overlaid with the brand's values,
mapped onto reportgen's theme keys as docs/brand.md tabulates. :func:`brand_overlay` returns that
overlay as theme data, with where each of its values was written in the brand file, the
warnings (an unknown key, a font reportgen does not have, a logo it cannot draw) and the errors
(a value that is not a colour, a key of the wrong type, a file that is not there), every one of
them collected and placed at its line.

Nothing is downloaded: a font is used when reportgen has it (Source Serif Pro, Source Sans Pro,
Calibri) or when the brand gives it as TrueType files in the project; a logo when it is a PNG
or JPEG file in the project. Paths in a brand file are relative to the brand file (brand.yml's
rule), and may not leave the project.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import Problem, key_path
from reportgen.read.loaded import Position
from reportgen.model.paths import resolve_inside

TOP_KEYS = ("meta", "color", "typography", "logo", "defaults")
FILE_NAMES = ("_brand.yml", "brand.yml", "_brand.yaml", "brand.yaml")
THEME_COLOURS = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info", "warning",
                 "danger", "light", "dark", "link")
"""brand.yml's named theme colours (``color.NAME``), which another colour may name."""

TYPOGRAPHY_KEYS = {
    "fonts": None,
    "base": {"family", "size", "weight", "line-height", "color"},
    "headings": {"family", "weight", "style", "color", "line-height"},
    "monospace": {"family", "size", "weight", "color", "background-color"},
    "monospace-inline": {"family", "size", "weight", "color", "background-color"},
    "monospace-block": {"family", "size", "weight", "color", "background-color", "line-height"},
    "link": {"weight", "color", "background-color", "decoration"},
}
FONT_KEYS = {"family", "source", "files", "weight", "style", "display"}
FONT_SOURCES = ("google", "bunny", "file", "system")
LOGO_KEYS = ("images", "small", "medium", "large")
LOGO_ORDER = ("medium", "small", "large")
"""The logo size reportgen draws, the first the brand gives that it can use: a medium logo (a
website's header mark) suits the cover's corner, the title slide and the footer alike."""
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
DEFAULT_BASE = "policy"

PDF_FAMILIES = {"source serif pro": "serif", "source sans pro": "sans", "serif": "serif", "sans-serif": "sans"}
"""Families the brief has without being given files (the first two from their PyPI wheels; the
generic CSS families of a font stack mapped onto them)."""
DECK_FAMILIES = {"calibri": "Calibri", "sans-serif": "Calibri"}
"""Families the deck can measure without being given files (a stack's generic sans-serif as Calibri)."""
PDF_SHOWN = {"serif": "Source Serif Pro", "sans": "Source Sans Pro"}

TINT, RULE, ON_PRIMARY_MUTED = 0.08, 0.25, 0.70
"""How much of the primary colour a derived colour holds: ``tint`` and ``rule`` over the
background, ``on_primary_muted`` the share of ``on_primary`` over the primary colour (what the
built-in policy theme's are, within a few units)."""


def is_brand(path: Path, data: Any) -> bool:
    """Whether the YAML file at ``path`` (read as ``data``) is a brand file rather than a theme:
    it has no ``name`` (a theme's one required key), and brand.yml's file name or one of its top-level keys."""
    if not isinstance(data, dict) or "name" in data:
        return False  # a reportgen theme (its one required key; a brand's name is meta.name), whatever its name
    return path.name.lower() in FILE_NAMES or any(key in data for key in TOP_KEYS)


@dataclass
class Overlay:
    """What a brand file adds to its base theme."""

    base: str
    """The theme it overlays: ``policy``, or ``defaults.reportgen.extends``."""
    base_where: Position | None
    data: dict
    """Theme data (reportgen's keys): merged over the base theme's, then validated as a theme."""
    positions: dict[tuple, Position]
    """Where each value of ``data`` was written in the brand file, by theme key path."""
    key_positions: dict[tuple, Position]
    keys: dict[tuple, str]
    """The brand key path each theme key path came from (``("colours", "muted")`` → ``color.secondary``)."""
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Brand:
    def __init__(self, data: dict, positions: dict, key_positions: dict, path: Path, root: Path):
        self.data, self.positions, self.key_positions = data, positions, key_positions
        self.path, self.root, self.folder = path, root, path.parent
        self.shown = positions.get((), (str(path), 1, 1))[0]
        self.warnings: list[Problem] = []
        self.problems: dict[tuple, Problem] = {}
        self.out: dict[str, Any] = {}
        self.out_positions: dict[tuple, Position] = {}
        self.out_key_positions: dict[tuple, Position] = {}
        self.keys: dict[tuple, str] = {}

    # -- reporting ---------------------------------------------------------------------------

    def where(self, key: tuple) -> Position:
        return self.positions.get(key) or self.key_positions.get(key) or (self.shown, None, None)  # type: ignore[return-value]

    def error(self, key: tuple, message: str) -> None:
        self.problems.setdefault(key, Problem.at(self.where(key), key_path(key), message))

    def warn(self, key: tuple, message: str, *, at_key: bool = False) -> None:
        where = (self.key_positions.get(key) if at_key else None) or self.where(key)
        self.warnings.append(Problem.at(where, key_path(key), message)._replace(warning=True))

    def unknown(self, mapping: dict, key: tuple, known) -> None:
        """A warning for each key of ``mapping`` (at ``key``) that brand.yml does not define there."""
        for name in mapping:
            if name not in known:
                close = difflib.get_close_matches(str(name), list(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.warn((*key, name), f"unknown key {name!r}{hint}, ignored", at_key=True)

    def mapping(self, value: Any, key: tuple, what: str = "a mapping") -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, f"expected {what}, got {_kind(value)}")
            return None
        return value

    def put(self, theme_key: tuple, value: Any, brand_key: tuple) -> None:
        """Set theme key ``theme_key`` to ``value``, written at ``brand_key`` in the brand file."""
        node = self.out
        for part in theme_key[:-1]:
            node = node.setdefault(part, {})
        node[theme_key[-1]] = value
        self.out_positions[theme_key] = self.where(brand_key)
        self.out_key_positions[theme_key] = self.key_positions.get(brand_key) or self.where(brand_key)
        self.keys[theme_key] = key_path(brand_key)

    # -- the whole file ----------------------------------------------------------------------

    def read(self) -> Overlay:
        self.unknown(self.data, (), TOP_KEYS)
        meta = self.mapping(self.data.get("meta"), ("meta",))
        name = self.brand_name(meta)
        self.out["name"] = name
        self.out_positions[("name",)] = self.where(("meta", "name") if meta and "name" in meta else ())
        self.keys[("name",)] = "meta.name"
        defaults = self.mapping(self.data.get("defaults"), ("defaults",)) or {}
        own = self.mapping(defaults.get("reportgen"), ("defaults", "reportgen"), "a mapping of theme keys") or {}
        base, base_where = DEFAULT_BASE, None
        if "extends" in own:
            if isinstance(own["extends"], str) and own["extends"].strip():
                base, base_where = own["extends"], self.where(("defaults", "reportgen", "extends"))
            else:
                self.error(("defaults", "reportgen", "extends"), f"expected a theme's name or file, got {_kind(own['extends'])}")
        self.colours(own)
        self.typography()
        self.logo()
        self.own_keys(own)
        self.warnings.sort(key=lambda p: (p.line or 0, p.column or 0))
        return Overlay(base, base_where, self.out, self.out_positions, {**self.out_positions, **self.out_key_positions},
                       self.keys, self.warnings,
                       sorted(self.problems.values(), key=lambda p: (p.line or 0, p.column or 0)))

    def brand_name(self, meta: dict | None) -> str:
        name = (meta or {}).get("name")
        if isinstance(name, dict):
            self.unknown(name, ("meta", "name"), ("full", "short"))
            name = name.get("short") or name.get("full")
        if name is not None and not isinstance(name, str):
            self.error(("meta", "name"), f"expected text, or a mapping of full and short, got {_kind(name)}")
            name = None
        return (name or "").strip() or self.path.stem.strip("_") or "brand"

    # -- colours -----------------------------------------------------------------------------

    def colours(self, own: dict) -> None:
        """brand.yml's colours, resolved, mapped onto the theme's (and ``defaults.reportgen.colours``)."""
        color = self.mapping(self.data.get("color"), ("color",)) or {}
        self.unknown(color, ("color",), ("palette", *THEME_COLOURS))
        palette = self.mapping(color.get("palette"), ("color", "palette"), "a mapping of colour names to colours") or {}
        self.palette, self.theme_colours = palette, {k: v for k, v in color.items() if k in THEME_COLOURS and v is not None}
        for name in palette:
            self.resolve(("color", "palette", name), ())
        resolved = {name: self.resolve(("color", name), ()) for name in THEME_COLOURS if name in color}
        typography: dict = self.data["typography"] if isinstance(self.data.get("typography"), dict) else {}
        for part in ("base", "headings", "monospace", "monospace-inline", "monospace-block", "link"):
            options = typography.get(part)
            if isinstance(options, dict):
                for colour_key in ("color", "background-color"):
                    if colour_key in options:
                        value = self.resolve(("typography", part, colour_key), ())
                        if part == "link" and colour_key == "color" and value:
                            resolved["typography.link.color"] = value

        mapped: dict[str, tuple[str, tuple]] = {}  # theme colour → (value, where it came from)

        def take(theme_name: str, *sources: str) -> None:
            for source in sources:
                value = resolved.get(source)
                if value:
                    brand_key = ("typography", "link", "color") if source == "typography.link.color" else ("color", source)
                    mapped[theme_name] = (value, brand_key)
                    return

        take("primary", "primary")
        take("text", "foreground")
        take("background", "background")
        take("muted", "secondary")
        take("tint", "tertiary")
        take("on_primary", "light")
        take("link", "typography.link.color", "link", "primary")
        accent = self.resolve(("color", "palette", "accent"), ()) if "accent" in palette else None
        if accent:
            mapped["accent"] = (accent, ("color", "palette", "accent"))
        elif "primary" in mapped:
            mapped["accent"] = mapped["primary"]
        written = self.mapping(own.get("colours"), ("defaults", "reportgen", "colours")) or {}
        from reportgen.theme import Colours

        for name, value in written.items():  # defaults.reportgen.colours: reportgen's own names, brand colours allowed
            if name not in Colours.__annotations__:  # left for the theme's check: "unknown key ... (did you mean ...)"
                self.put(("colours", name), value, ("defaults", "reportgen", "colours", name))
                continue
            found = self.resolve(("defaults", "reportgen", "colours", name), (), value=value)
            if found:
                mapped[name] = (found, ("defaults", "reportgen", "colours", name))
        if "primary" in mapped:  # what the built-in themes derive from their primary colour, from the brand's
            (primary, source), background = mapped["primary"], mapped.get("background", ("#FFFFFF", ()))[0]
            on_primary, light_source = mapped.get("on_primary", ("#FFFFFF", ()))
            mapped.setdefault("tint", (_mix(primary, background, TINT), source))
            mapped.setdefault("rule", (_mix(primary, background, RULE), source))
            mapped.setdefault("on_primary_muted", (_mix(on_primary, primary, ON_PRIMARY_MUTED), light_source or source))
        for name, (value, brand_key) in mapped.items():
            self.put(("colours", name), value, brand_key)

    def resolve(self, key: tuple, visited: tuple, *, value: Any = None) -> str | None:
        """The ``#RRGGBB`` of the colour written at ``key`` (following names of brand colours
        and palette entries), or None with the error recorded where the bad value was written."""
        if value is None:
            value = _get(self.data, key)
        if isinstance(value, dict) and value and set(value) <= {"light", "dark"} and key[:3] != ("color", "palette", key[-1]):
            # a light/dark pair: the brief is printed on white and the theme is a light one: its light colour
            variant = "light" if "light" in value else "dark"
            return self.resolve((*key, variant), visited, value=value[variant])
        if value is None:
            self.error(key, 'expected a colour, got nothing (a colour written #447099 without quotes is a YAML '
                            'comment: write "#447099")')
            return None
        if not isinstance(value, str):
            self.error(key, f"expected a colour as text (#RRGGBB, #RGB, rgb(r, g, b), a CSS colour name or a "
                            f"palette name), got {_kind(value)}")
            return None
        name = value.strip()
        if name in self.theme_colours and ("color", name) not in visited and key != ("color", name):
            return self.follow(("color", name), visited + (key,))
        if name in self.palette and ("color", "palette", name) not in visited and key != ("color", "palette", name):
            return self.follow(("color", "palette", name), visited + (key,))
        if name in self.theme_colours or name in self.palette:
            chain = " -> ".join(key_path(k) for k in (*visited, key))
            self.error(key, f"colours name each other in a circle: {chain} -> {name}")
            return None
        colour, reason = parse_colour(name)
        if colour is None:
            names = [*self.palette, *self.theme_colours]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.error(key, f"{value!r} is not a colour: {reason}{hint}")
        return colour

    def follow(self, key: tuple, visited: tuple) -> str | None:
        if len(visited) > 64:
            self.error(key, "colours name each other more than 64 deep")
            return None
        return self.resolve(key, visited)

    # -- typography --------------------------------------------------------------------------

    def typography(self) -> None:
        typography = self.mapping(self.data.get("typography"), ("typography",)) or {}
        self.unknown(typography, ("typography",), TYPOGRAPHY_KEYS)
        families: dict[str, dict] = {}
        fonts = typography.get("fonts")
        if fonts is not None and not isinstance(fonts, list):
            self.error(("typography", "fonts"), f"expected a list of fonts, got {_kind(fonts)}")
        for index, font in enumerate(fonts if isinstance(fonts, list) else []):
            key: tuple = ("typography", "fonts", index)
            if not isinstance(font, dict):
                self.error(key, f"expected a font (family, source, ...), got {_kind(font)}")
                continue
            self.unknown(font, key, FONT_KEYS)
            family, source = font.get("family"), font.get("source", "google")
            if not isinstance(family, str) or not family.strip():
                self.error((*key, "family"), f"expected a font family's name, got {_kind(family)}")
                continue
            if source not in FONT_SOURCES:
                self.error((*key, "source"), f"expected one of {', '.join(FONT_SOURCES)}, got {source!r}")
                continue
            families[family.strip().lower()] = {"source": source, "faces": self.font_files(font, key) if source == "file" else None,
                                                "key": key}
        options: dict[str, tuple[tuple, str]] = {}
        for part in ("base", "headings", "monospace", "monospace-inline", "monospace-block", "link"):
            value = typography.get(part)
            if value is None:
                continue
            key = ("typography", part)
            if isinstance(value, str):
                if part != "link":
                    options[part] = ((*key,), value)
                continue
            if not isinstance(value, dict):
                self.error(key, f"expected a family's name or a mapping of {', '.join(sorted(TYPOGRAPHY_KEYS[part] or ()))}, "
                                f"got {_kind(value)}")
                continue
            self.unknown(value, key, TYPOGRAPHY_KEYS[part] or ())
            family = value.get("family")
            if family is not None:
                if isinstance(family, str) and family.strip():
                    options[part] = ((*key, "family"), family)
                else:
                    self.error((*key, "family"), f"expected a font family's name, got {_kind(family)}")
        roles = {"body": options.get("base"), "heading": options.get("headings") or options.get("base"),
                 "mono": options.get("monospace-inline") or options.get("monospace")}
        told: set[str] = set()
        for role, chosen in roles.items():
            if chosen:
                self.font_role(role, chosen[0], chosen[1], families, told)

    def font_files(self, font: dict, key: tuple) -> dict[str, str] | None:
        """A ``source: file`` family's TrueType files in the project, by face (``regular``,
        ``bold``, ``italic``, ``bold_italic``: paths relative to the project root), or None
        (with the reason warned) when reportgen cannot use them."""
        files = font.get("files")
        if not isinstance(files, list) or not files:
            self.error((*key, "files"), f"expected a list of font files, got {_kind(files)}")
            return None
        found: dict[str, tuple[int, str]] = {}
        for index, entry in enumerate(files):
            where = (*key, "files", index)
            weight: Any = "auto"
            style: Any = "normal"
            if isinstance(entry, dict):
                self.unknown(entry, where, ("path", "weight", "style"))
                written, weight, style = entry.get("path"), entry.get("weight", "auto"), entry.get("style", "normal")
                where_path = (*where, "path")
            else:
                written, where_path = entry, where
            if not isinstance(written, str) or not written.strip():
                self.error(where_path, f"expected a path to a font file, got {_kind(written)}")
                continue
            number = _weight(weight)
            if number is None:
                self.error((*where, "weight"), f"expected a font weight (100 to 900, or a name such as bold), got {weight!r}")
                continue
            if style not in ("normal", "italic", "oblique"):
                self.error((*where, "style"), f"expected normal, italic or oblique, got {style!r}")
                continue
            if "://" in written:
                self.warn(where_path, f"{written!r} is a URL: reportgen never downloads fonts at build time")
                continue
            path = self.project_path(written, where_path, "no such font file")
            if path is None:
                continue
            if Path(path).suffix.lower() != ".ttf":
                self.warn(where_path, f"{written!r} is not a TrueType (.ttf) file, the only font files reportgen embeds")
                continue
            face = ("bold" if number >= 600 else "") + ("_italic" if style != "normal" else "")
            face = {"": "regular", "_italic": "italic", "bold_italic": "bold_italic", "bold": "bold"}[face]
            distance = abs(number - (700 if "bold" in face else 400))
            if face not in found or distance < found[face][0]:
                found[face] = (distance, path)
        if "regular" not in found:
            if found:
                self.warn((*key, "files"), "none of the files is an upright face of normal weight (the regular face "
                                           "reportgen needs)")
            return None
        return {face: path for face, (_, path) in found.items()}

    def font_role(self, role: str, key: tuple, stack: str, families: dict[str, dict], told: set[str]) -> None:
        names = [name.strip().strip("'\"").strip() for name in stack.split(",") if name.strip().strip("'\"").strip()]
        pdf = deck = None
        for name in names:
            declared = families.get(name.lower())
            faces = declared["faces"] if declared else None
            if pdf is None:
                pdf = (name, faces) if faces else ((name, PDF_FAMILIES[name.lower()]) if name.lower() in PDF_FAMILIES else None)
            if deck is None:
                deck = (name, faces, name) if faces else (
                    (name, None, DECK_FAMILIES[name.lower()]) if name.lower() in DECK_FAMILIES else None)
        if pdf:
            self.put(("fonts", role, "pdf"), pdf[1], key)
        if deck:
            self.put(("fonts", role, "deck"), deck[2], key)
            self.put(("fonts", role, "metrics"), deck[1], key)
        # As in CSS, a font stack's first family that an output has is used, without a word; a
        # warning when an output has none of them (and keeps the theme's)
        first = names[0] if names else stack
        if (pdf and deck) or first in told:
            return
        told.add(first)
        declared = families.get(first.lower())
        named = f"font {first!r}" + (f" ({declared['source']})" if declared else "")
        if pdf:
            message = (f"{named}: the brief uses it{'' if pdf[0] == first else ' (as ' + pdf[0] + ')'}, but the deck "
                       "measures its text only in Calibri or in a font given as source: file with .ttf files in the "
                       "project: the deck keeps the theme's font")
        elif deck:
            message = (f"{named}: the deck uses it{'' if deck[0] == first else ' (as ' + deck[0] + ')'}, but the brief "
                       "has only Source Serif Pro, Source Sans Pro and fonts given as source: file with .ttf files in "
                       "the project: the brief keeps the theme's face")
        else:
            message = (f"{named} is not one reportgen has, and reportgen never downloads fonts at build time: the brief "
                       "keeps the theme's face and the deck its font; give it as source: file with .ttf files in the "
                       "project (reportgen has Source Serif Pro and Source Sans Pro for the brief, Calibri for the deck)")
        self.warn(key, message)

    # -- logo --------------------------------------------------------------------------------

    def logo(self) -> None:
        logo = self.data.get("logo")
        if logo is None:
            return
        if isinstance(logo, str) or (isinstance(logo, dict) and "path" in logo):
            variants = self.logo_variants(logo, ("logo",), {})
            if variants:
                self.use_logo(variants)
            return
        logo = self.mapping(logo, ("logo",), "a logo's path, or a mapping of images, small, medium, large")
        if logo is None:
            return
        self.unknown(logo, ("logo",), LOGO_KEYS)
        images = self.mapping(logo.get("images"), ("logo", "images"), "a mapping of names to images") or {}
        for size in LOGO_ORDER:
            if logo.get(size) is not None:
                variants = self.logo_variants(logo[size], ("logo", size), images)
                if variants:
                    self.use_logo(variants)
                    return

    def use_logo(self, variants: dict[str, tuple[str, tuple]]) -> None:
        light, dark = variants.get("light"), variants.get("dark")
        plain = variants.get("")
        if plain:
            self.put(("logo",), plain[0], plain[1])
            self.put(("logo_dark",), None, plain[1])
        else:
            self.put(("logo",), light[0] if light else None, (light or dark)[1])  # type: ignore[index]
            self.put(("logo_dark",), dark[0] if dark else None, (dark or light)[1])  # type: ignore[index]

    def logo_variants(self, value: Any, key: tuple, images: dict) -> dict[str, tuple[str, tuple]]:
        """The usable files of one logo size: ``{"": file}`` for one image, ``{"light": ...,
        "dark": ...}`` for a pair (each a path relative to the project root, and where it was written)."""
        if isinstance(value, dict) and "path" not in value:
            if not value or not set(value) <= {"light", "dark"}:
                self.unknown(value, key, ("light", "dark"))
                if not set(value) & {"light", "dark"}:
                    self.error(key, "expected an image (a name in logo.images or a path), or a mapping of light and dark")
                    return {}
            found = {}
            for variant in ("light", "dark"):
                if value.get(variant) is not None:
                    one = self.logo_file(value[variant], (*key, variant), images)
                    if one:
                        found[variant] = one
            return found
        one = self.logo_file(value, key, images)
        return {"": one} if one else {}

    def logo_file(self, value: Any, key: tuple, images: dict) -> tuple[str, tuple] | None:
        if isinstance(value, str) and value in images:
            key, value = ("logo", "images", value), images[value]
        if isinstance(value, dict):
            self.unknown(value, key, ("path", "alt"))
            key, value = (*key, "path"), value.get("path")
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"expected an image's path (or a name in logo.images), got {_kind(value)}")
            return None
        if "://" in value:
            self.warn(key, f"{value!r} is a URL: reportgen never downloads at build time; give a PNG or JPEG file in "
                           "the project")
            return None
        if Path(value).suffix.lower() not in IMAGE_SUFFIXES:
            self.warn(key, f"{value!r} is not a PNG or JPEG file, the logos reportgen draws; give a PNG or JPEG export")
            return None
        path = self.project_path(value, key, "no such image")
        return (path, key) if path else None

    # -- defaults.reportgen ------------------------------------------------------------------

    def own_keys(self, own: dict) -> None:
        """``defaults.reportgen``: reportgen's theme keys, written in the brand file (its
        colours are resolved with the brand's; ``extends`` chose the base)."""
        prefix = ("defaults", "reportgen")
        for name, value in own.items():
            if name in ("extends", "colours"):
                continue
            self.out[name] = _merged(self.out.get(name), value)
            for key, where in list(self.positions.items()):
                if key[:3] == (*prefix, name):
                    self.out_positions[key[2:]] = where
                    self.keys[key[2:]] = key_path(key)
            for key, where in list(self.key_positions.items()):
                if key[:3] == (*prefix, name):
                    self.out_positions.setdefault(key[2:], where)
                    self.out_key_positions[key[2:]] = where
                    self.keys[key[2:]] = key_path(key)

    # -- paths -------------------------------------------------------------------------------

    def project_path(self, written: str, key: tuple, missing: str) -> str | None:
        """``written`` (relative to the brand file) as a path relative to the project root, or
        None with the error recorded (it leaves the project, or it is not there)."""
        if Path(written).is_absolute():
            self.error(key, f"absolute path {written!r}: write it relative to the brand file")
            return None
        relative = os.path.relpath(self.folder.resolve() / written, self.root.resolve())
        try:
            path = resolve_inside(relative, self.root)
        except ValueError as err:
            self.error(key, str(err).replace(repr(relative), repr(written)))
            return None
        if not path.is_file():
            self.error(key, f"{missing}: {written!r} (paths in a brand file are relative to it)")
            return None
        return relative


def brand_overlay(data: dict, positions: dict, key_positions: dict, path: Path, root: Path) -> Overlay:
    """The theme overlay of the brand file at ``path``, read as ``data`` (see the module docstring)."""
    return _Brand(data, positions, key_positions, path, root).read()


# --- values ---------------------------------------------------------------------------------

_HEX = re.compile(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", re.IGNORECASE)
_ALPHA = re.compile(r"#([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})|rgba\(.*\)|hsla\(.*\)|transparent", re.IGNORECASE)
EXPECTED = "reportgen reads #RRGGBB, #RGB, rgb(r, g, b), a CSS colour name, or a name in color.palette"


def parse_colour(text: str) -> tuple[str | None, str]:
    """``text`` as ``#RRGGBB`` (upper case), or None and why not."""
    text = text.strip()
    if match := _HEX.fullmatch(text):
        digits = match.group(1)
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).upper(), ""
    if match := _RGB.fullmatch(text):
        channels = [int(c) for c in match.groups()]
        if all(c <= 255 for c in channels):
            return "#" + "".join(f"{c:02X}" for c in channels), ""
        return None, "rgb() channels are 0 to 255"
    if _ALPHA.fullmatch(text):
        return None, "it is (partly) transparent, and reportgen draws opaque colours: give #RRGGBB"
    from PIL import ImageColor  # the CSS colour names (CSS Color Module Level 4's 148)

    if text.lower() in ImageColor.colormap:
        red, green, blue = ImageColor.getrgb(text.lower())[:3]
        return f"#{red:02X}{green:02X}{blue:02X}", ""
    return None, EXPECTED


def _mix(colour: str, over: str, share: float) -> str:
    """``share`` of ``colour`` over ``over`` (both ``#RRGGBB``)."""
    channels = [round(int(colour[i:i + 2], 16) * share + int(over[i:i + 2], 16) * (1 - share)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in channels)


_WEIGHTS = {"thin": 100, "extra-light": 200, "ultra-light": 200, "light": 300, "normal": 400, "regular": 400,
            "medium": 500, "semi-bold": 600, "demi-bold": 600, "bold": 700, "extra-bold": 800, "ultra-bold": 800,
            "black": 900, "auto": 400}


def _weight(value: Any) -> int | None:
    """A brand.yml font weight as a number; a range (``300..700``: a variable font's file) counts as the regular face."""
    if isinstance(value, str) and ".." in value:
        return 400
    if isinstance(value, str):
        return _WEIGHTS.get(value.strip().lower())
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 900 and value % 100 == 0:
        return value
    return None


def _merged(base: Any, override: Any) -> Any:
    """``override`` over ``base``: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in override.items()}}
    return override


def _get(data: Any, key: tuple) -> Any:
    for part in key:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
