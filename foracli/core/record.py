"""Records: the part of dataclasses foracli uses, without importing dataclasses.

Every run builds its classes at import. The dataclasses module costs about 10 ms to
import (it imports inspect, ast and dis) and about 0.4 ms for each class (it compiles
six methods per class); with foracli's 55 classes that was 30 ms of a 78 ms first run
(`python -X importtime`). Here a class costs one small `__init__`, compiled when it
is first called; equality, hashing and repr are shared functions over an attrgetter.

`@record` is `@dataclass(frozen=True)`; `@record(frozen=False)` is `@dataclass`.
Type checkers read both as dataclasses (PEP 681). What is supported: fields in
annotation order with defaults or `field(default=..., default_factory=..., compare=...,
repr=..., hash=...)`; eq; hash for frozen records as dataclasses makes it; match
arguments; pickling (the instance dict, as for dataclasses); `replace`. No inheritance
between records, no ClassVar, no keyword-only fields: tests/test_record.py holds it to
the dataclasses behaviour.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform, overload

    T = TypeVar("T")

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


class FrozenError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Field:
    __slots__ = ("compare", "default", "factory", "hash", "repr")

    def __init__(
        self, default: Any, factory: Any, compare: bool, repr: bool, hash: bool | None
    ) -> None:
        self.default = default
        self.factory = factory
        self.compare = compare
        self.repr = repr
        self.hash = compare if hash is None else hash


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] = _MISSING,
    compare: bool = True,
    repr: bool = True,
    hash: bool | None = None,
) -> Any:
    """A field with a default, a default factory, or left out of eq, hash or repr."""
    return _Field(default, default_factory, compare, repr, hash)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r}")


def _build(cls: type[T], frozen: bool) -> type[T]:
    own = cls.__dict__
    names = tuple(own.get("__annotations__", {}))
    params: list[str] = []
    body: list[str] = []
    scope: dict[str, Any] = {"_MISSING": _MISSING}
    compared: list[str] = []
    hashed: list[str] = []
    shown: list[str] = []
    for name in names:
        spec = own.get(name, _MISSING)
        if not isinstance(spec, _Field):
            spec = _Field(spec, _MISSING, True, True, None)
        if spec.factory is not _MISSING:
            scope[f"_f_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            body.append(f"_f_{name}() if {name} is _MISSING else {name}")
        else:
            if spec.default is not _MISSING:
                scope[f"_d_{name}"] = spec.default
                params.append(f"{name}=_d_{name}")
            elif any("=" in p for p in params):
                raise TypeError(
                    f"{cls.__name__}: {name!r} has no default but follows a field that has"
                )
            else:
                params.append(name)
            body.append(name)
        if spec.default is _MISSING:
            if name in own:
                delattr(cls, name)
        else:
            setattr(cls, name, spec.default)  # as dataclasses: the class attribute is the default
        if spec.compare:
            compared.append(name)
        if spec.hash:
            hashed.append(name)
        if spec.repr:
            shown.append(name)
    values = ", ".join(f"{n}={v}" for n, v in zip(names, body, strict=True))
    source = (
        f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({values})\n"
        if names
        else "def __init__(self):\n    pass\n"
    )
    target: Any = cls  # the methods are set on the class, which type checkers cannot follow
    target.__init__ = _deferred(target, source, scope)
    target.__match_args__ = names  # type: ignore[misc]
    target.__record_fields__ = names
    target.__record_key__ = _getter(compared)
    target.__record_shown__ = tuple(shown)
    target.__eq__ = _eq
    target.__repr__ = _repr
    if frozen:
        target.__record_hash__ = _getter(hashed)
        target.__hash__ = _hash
        target.__setattr__ = _frozen_setattr
        target.__delattr__ = _frozen_delattr
    else:
        target.__hash__ = None  # as dataclasses: eq without frozen is unhashable
    return cls


def _deferred(cls: Any, source: str, scope: dict[str, Any]) -> Callable[..., None]:
    """An `__init__` that compiles the real one on its first call and puts it in its
    place: most classes are never called in a run (unpickling does not call
    `__init__`), and compiling them all was about 2 ms of every start."""

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        exec(source, scope)
        init = scope["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _getter(names: list[str]) -> Callable[[object], tuple[object, ...]]:
    """The tuple of *names* of a record (attrgetter gives a bare value for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self.__record_key__
    return key(self) == key(other)


def _hash(self: Any) -> int:
    return hash(self.__record_hash__(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"


if TYPE_CHECKING:

    @overload
    def record(cls: type[T], /) -> type[T]: ...
    @overload
    def record(*, frozen: bool = True) -> Callable[[type[T]], type[T]]: ...
    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(
        cls: type[T] | None = None, /, *, frozen: bool = True
    ) -> type[T] | Callable[[type[T]], type[T]]: ...

else:

    def record(cls=None, /, *, frozen=True):
        """`@record` or `@record(frozen=False)`: see the module's docstring."""
        if cls is None:
            return lambda c: _build(c, frozen)
        return _build(cls, frozen)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record *obj* with *changes*, as dataclasses.replace."""
    names = obj.__record_fields__  # type: ignore[attr-defined]
    given = {n: getattr(obj, n) for n in names}
    given.update(changes)
    return obj.__class__(**given)
