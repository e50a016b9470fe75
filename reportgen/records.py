"""Frozen records validated by pydantic-core: the base of the content model and of the theme.

A record class is written like a dataclass: annotated fields, defaults, ``Field(...)`` for a
constraint. Its annotations are turned once, on first use, into a pydantic-core schema, and
pydantic-core validates outline data into instances, collecting every error with its location
(``ValidationError.errors()``), in the error types and words pydantic uses (pydantic is the
Python layer over the same engine).

Why not pydantic itself: its import and class machinery cost a command about three times what
pydantic-core and these records cost (docs/performance.md, ``bench/records_route.py``), in a
command whose whole ``validate`` budget is 250 ms. The model needs a small part of what pydantic
maps from annotations; that part is :func:`_schema`. What an annotation may hold:

- ``str``, ``bool``, ``int``, ``float``, ``datetime.date``, ``pathlib.Path`` (an instance, as a
  :class:`Before` function makes it), ``Any``, ``Literal[...]``, ``X | None``,
  ``tuple[X, ...]``, ``dict[K, V]`` and record classes (which may refer to themselves);
- ``Annotated[X, Before(function)]``: the value passes through ``function`` first (a
  ``PydanticCustomError`` it raises is reported at the value's place);
- ``Annotated[Union[...], OneOf(...)]``: a union whose member a function picks by tag.

Every string is checked where it enters (:func:`check_characters`): a ``str`` field, a dict's
keys, and the raw value of any ``Annotated`` field (before its :class:`Before` functions see it,
so that a URL, a path or a colour is checked as written) may not hold a character that XML 1.0
cannot store, which neither a PDF nor a .pptx could carry: a control character other than tab,
line feed and carriage return, a lone surrogate, U+FFFE or U+FFFF.

A class may define ``_before`` (a classmethod, given the raw value: shorthands) and ``_after``
(a method, given the validated record: checks across fields). Get a record from data with
``Cls.validate(data, context=...)``, in code with ``Cls(field=value, ...)`` (validated too),
and a changed copy with ``record.replace(field=value)`` (not validated).
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic_core import PydanticCustomError, SchemaValidator
from pydantic_core import core_schema as cs

_REQUIRED = object()

MAX_ITEMS = 10_000
"""Items a list of a record may hold (sections, key points, table rows...): far above real use
(the 1,000-section synthetic outline), and below what lays out in well under a minute
(docs/limits.md)."""


def _check_items(items: tuple) -> tuple:
    if len(items) > MAX_ITEMS:
        raise PydanticCustomError(
            "too_many_items", f"the list has {len(items):,} items; a list may hold at most {MAX_ITEMS:,}")
    return items

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""What no string of a record may hold: XML 1.0 cannot hold C0 controls other than tab, line
feed and carriage return, nor U+FFFE, U+FFFF or a lone surrogate (python-pptx cannot write them,
and a PDF would keep a NUL or show a box); DEL and the C1 controls are refused with them, since
no text means them."""


def unstorable(character: str) -> str:
    """How an error names a character of :data:`UNSTORABLE`."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} (half of a UTF-16 pair, not a character)"
    if code in (0xFFFE, 0xFFFF):
        return f"the noncharacter U+{code:04X}"
    return f"the control character U+{code:04X}"


def check_characters(text: str) -> str:
    """``text``, unless it holds a character of :data:`UNSTORABLE` (a ``PydanticCustomError``)."""
    bad = UNSTORABLE.search(text)
    if bad:
        raise PydanticCustomError(
            "control_character", f"text holds {unstorable(bad.group())}, which neither output can store; remove it")
    return text


def _raw_characters(value: Any) -> Any:
    """A value as written, checked by :func:`check_characters` when it is a string."""
    return check_characters(value) if isinstance(value, str) else value


class Before(typing.NamedTuple):
    """``Annotated[X, Before(function)]``: ``function(value)`` (``function(value, info)`` with
    ``info=True``; ``info.context`` is what ``validate`` was given) runs before ``X`` is checked."""

    function: typing.Callable
    info: bool = False


class OneOf:
    """``Annotated[Union[A, B], OneOf({"a": A, "b": B}, tag_of, error_type, message)]``: the
    member ``tag_of(value)`` names; a value it names none of is the error ``error_type``."""

    def __init__(self, choices: dict[str, type], tag_of: typing.Callable[[Any], str | None], error_type: str,
                 message: str) -> None:
        self.choices, self.tag_of, self.error_type, self.message = choices, tag_of, error_type, message


class FieldSpec(typing.NamedTuple):
    """A field's default (:data:`_REQUIRED`: none) and constraints, made by :func:`Field`."""

    default: Any = _REQUIRED
    min_length: int | None = None
    ge: float | None = None
    le: float | None = None


def Field(default: Any = _REQUIRED, *, min_length: int | None = None, ge: float | None = None,  # noqa: N802
          le: float | None = None) -> Any:
    """A field's default (``Field()`` alone: required) and constraints: ``min_length`` for a
    tuple, ``ge`` and ``le`` for a number. Typed ``Any``, as pydantic's ``Field`` is, so that
    ``points: tuple[Text, ...] = Field(min_length=1)`` type-checks as the field's own type."""
    return FieldSpec(default, min_length, ge, le)


class Record:
    """Base of every model and theme class: immutable, compared by value, and an unknown key is
    an error, never ignored."""

    # pydantic-core's model validator sets these four on every instance it makes.
    __slots__ = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    _fields: ClassVar[dict[str, FieldSpec]] = {}
    _validator: ClassVar[SchemaValidator | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)  # a subclass's fields follow its base's
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if "ClassVar" in str(annotation):
                continue
            written = cls.__dict__.get(name, _REQUIRED)
            fields[name] = written if isinstance(written, FieldSpec) else FieldSpec(written)
            if written is not _REQUIRED:
                delattr(cls, name)  # the value lives on the instance
        cls._fields = fields
        cls._validator = None

    def __init__(self, **data: Any) -> None:
        type(self).validator().validate_python(data, self_instance=self)

    @classmethod
    def validate(cls, data: Any, *, context: dict[str, Any] | None = None) -> typing.Self:
        """``data`` (mappings, lists, scalars) as a record; raises pydantic_core.ValidationError
        listing every problem."""
        return cls.validator().validate_python(data, context=context)

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        """Each field's annotation, resolved (for messages such as "did you mean ...")."""
        hints = typing.get_type_hints(cls, include_extras=True)
        return {name: hints[name] for name in cls._fields}

    def replace(self, **changes: Any) -> typing.Self:
        """A copy with ``changes``, not validated again."""
        copy = object.__new__(type(self))
        copy.__setstate__(self.__dict__ | changes)
        return copy

    @classmethod
    def validator(cls) -> SchemaValidator:
        """The class's pydantic-core validator, made on first use (or now)."""
        if cls.__dict__.get("_validator") is None:
            definitions: dict[type, Any] = {}
            reference = _record_schema(cls, definitions)
            cls._validator = validator = SchemaValidator(cs.definitions_schema(reference, list(definitions.values())))
            return validator
        return cls.__dict__["_validator"]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __iter__(self) -> typing.Iterator[tuple[str, Any]]:
        """Each field as ``(name, value)``: ``dict(record)`` is its fields."""
        return iter(self.__dict__.items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        set_ = object.__setattr__
        set_(self, "__dict__", state)
        set_(self, "__pydantic_fields_set__", set(state))
        set_(self, "__pydantic_extra__", None)
        set_(self, "__pydantic_private__", None)


def _record_schema(cls: type[Record], definitions: dict[type, Any]) -> Any:
    """A reference to ``cls``'s schema, which (with every record it holds) is put in ``definitions``."""
    ref = f"{cls.__module__}.{cls.__qualname__}"
    if cls not in definitions:
        definitions[cls] = None  # being made: a field of the class's own type refers to it
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = {}
        schema: Any
        for name, field in cls._fields.items():
            schema = _schema(hints[name], definitions)
            constraints = {key: value for key, value in field._asdict().items() if key != "default" and value is not None}
            _innermost(schema).update(constraints)
            if field.default is not _REQUIRED:  # (pydantic-core copies a default that is not hashable, such as {})
                schema = cs.with_default_schema(schema, default=field.default)
            fields[name] = cs.model_field(schema)
        inner: Any = cs.model_fields_schema(fields, model_name=cls.__name__, extra_behavior="forbid")
        if hasattr(cls, "_before"):
            inner = cs.no_info_before_validator_function(cls._before, inner)
        config = cs.CoreConfig(title=cls.__name__, extra_fields_behavior="forbid")
        schema = cs.model_schema(cls, inner, config=config, frozen=True)
        if hasattr(cls, "_after"):
            schema = cs.no_info_after_validator_function(cls._after, schema)
        schema["ref"] = ref
        definitions[cls] = schema
    return cs.definition_reference_schema(ref)


def _innermost(schema: Any) -> Any:
    """The schema a constraint applies to, inside the functions that wrap it."""
    while schema["type"] in ("function-before", "function-after"):
        schema = schema["schema"]
    return schema


_SCALARS: dict[Any, typing.Callable[[], Any]] = {
    str: lambda: cs.no_info_after_validator_function(check_characters, cs.str_schema()), bool: cs.bool_schema, int: cs.int_schema, float: cs.float_schema,
    datetime.date: cs.date_schema, Any: cs.any_schema, Path: lambda: cs.is_instance_schema(Path),
}


def _schema(annotation: Any, definitions: dict[type, Any]) -> Any:
    """The pydantic-core schema of an annotation (see the module's docstring for what it may be)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        one_of = next((m for m in annotation.__metadata__ if isinstance(m, OneOf)), None)
        schema: Any
        if one_of:
            schema = cs.tagged_union_schema(
                {tag: _schema(member, definitions) for tag, member in one_of.choices.items()}, one_of.tag_of,
                custom_error_type=one_of.error_type, custom_error_message=one_of.message)
        else:
            schema = _schema(args[0], definitions)
        for before in reversed([m for m in annotation.__metadata__ if isinstance(m, Before)]):
            make = cs.with_info_before_validator_function if before.info else cs.no_info_before_validator_function
            schema = make(before.function, schema)
        return cs.no_info_before_validator_function(_raw_characters, schema)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _record_schema(annotation, definitions)
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        schema = _schema(members[0], definitions) if len(members) == 1 else cs.union_schema(
            [_schema(m, definitions) for m in members])
        return cs.nullable_schema(schema) if len(members) < len(args) else schema
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return cs.no_info_after_validator_function(
            _check_items, cs.tuple_schema([_schema(args[0], definitions)], variadic_item_index=0))
    if origin is dict:
        return cs.dict_schema(_schema(args[0], definitions), _schema(args[1], definitions))
    if origin is Literal:
        return cs.literal_schema(list(args))
    if annotation in _SCALARS:
        return _SCALARS[annotation]()
    raise TypeError(f"a record field cannot be {annotation!r}")
