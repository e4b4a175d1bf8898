"""A Typer root group whose subcommands load on first use: `ranpilot run` imports the agent's
CLI module only, not the network, knowledge, xApp or scenario ones (nor what they import).

Help lists every command without loading any: each has a one-line summary in the table (the
start of its own help), so `ranpilot --help` imports none of the sub-apps (nor asn1tools, torch,
chromadb). `FastPathTyper` offers the command line to plain functions first (`ranpilot run` through a
service needs no command tree at all)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, MutableMapping
from importlib import import_module
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup


class LazyCommand(NamedTuple):
    """Where a subcommand lives: `module.attribute`, a Typer sub-app or a command function (or,
    with `args`, a function making one), and the summary help lists it with (the start of its help)."""

    module: str
    attribute: str
    args: tuple = ()
    summary: str = ""

    def load(self, name: str) -> Any:
        """The click command or group named `name`, from a freshly imported module."""
        target = getattr(import_module(self.module), self.attribute)
        if self.args:
            target = target(*self.args)
        if isinstance(target, typer.Typer):
            group = typer.main.get_group(target)
            group.name = name
            return group
        holder = typer.Typer(add_completion=False)
        holder.command(name)(target)
        return typer.main.get_group(holder).commands[name]


class LazyCommands(MutableMapping):
    """A group's commands by name: those given, plus the lazy ones, each loaded when looked up."""

    def __init__(self, loaded: MutableMapping[str, Any], lazy: dict[str, LazyCommand]):
        self.loaded = dict(loaded)
        self.lazy = {name: where for name, where in lazy.items() if name not in self.loaded}
        self.order = [*self.loaded, *self.lazy]  # help lists them in this order, loaded or not
        self.listing = False  # while help lists them: a command not loaded is its summary alone

    def __getitem__(self, name: str) -> Any:
        if self.listing and name not in self.loaded and name in self.lazy:
            return TyperCommand(name, help=self.lazy[name].summary)
        if name not in self.loaded and name in self.lazy:
            self.loaded[name] = self.lazy.pop(name).load(name)
        return self.loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.lazy.pop(name, None)
        self.loaded[name] = command
        if name not in self.order:
            self.order.append(name)

    def __delitem__(self, name: str) -> None:
        if name not in self.order:
            raise KeyError(name)
        self.order.remove(name)
        self.lazy.pop(name, None)
        self.loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from list(self.order)

    def __len__(self) -> int:
        return len(self.loaded) + len(self.lazy)


class LazyGroup(TyperGroup):
    """A TyperGroup over `LazyCommands`; `LazyGroup.of(table)` is the class Typer(cls=...) takes."""

    lazy_commands: dict[str, LazyCommand] = {}

    def __init__(self, *args: Any, commands: MutableMapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, commands=commands, **kwargs)
        self.commands = LazyCommands(self.commands, self.lazy_commands)

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command's name, without loading any."""
        return list(self.commands)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's help, each command not loaded yet listed by its summary (not loaded for it)."""
        self.commands.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.commands.listing = False

    @classmethod
    def of(cls, table: dict[str, LazyCommand]) -> type[LazyGroup]:
        return type(cls.__name__, (cls,), {"lazy_commands": dict(table)})


class FastPathTyper(typer.Typer):
    """A Typer app that first offers the command line to `fast_paths` ("module:function" names, each
    taking the arguments and returning an exit code, or None to decline) before click builds and
    parses its commands; a function that takes it has done the whole command."""

    def __init__(self, *args: Any, fast_paths: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fast_paths = fast_paths

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        given = kwargs.get("args", args[0] if args else None)
        argv = list(sys.argv[1:] if given is None else given)
        for where in self.fast_paths:
            module, _, function = where.partition(":")
            taken: Callable[[list[str]], int | None] = getattr(import_module(module), function)
            code = taken(argv)
            if code is not None:
                sys.exit(code)
        return super().__call__(*args, **kwargs)
