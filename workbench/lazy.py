"""Modules imported on first use: a command that needs one service does not pay for all of them.

``workbench hotspots`` spent 1.1 s of its 2 s of imports on the gate's services (reports pull in
matplotlib, fpdf and openpyxl; planning pulls in the reports) before reading a row.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands in for a module until an attribute is used, then imports it (importlib's module
    locks make the first use from several threads safe) and hands out the real attribute."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.module, attribute)

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"


def lazy(name: str) -> Any:
    """``planning = lazy("workbench.services.planning")``: the module, imported on first use."""
    return LazyModule(name)
