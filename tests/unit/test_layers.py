"""The import contract of pyproject.toml names every module of src/kg/, each in one layer."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_module_has_one_place_in_the_layers() -> None:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    assert layers["containers"] == ["kg"]
    named = [m for layer in layers["layers"] for m in re.split(r"\s*[|:]\s*", str(layer))]
    assert len(named) == len(set(named)), "a module is in two layers"
    package = REPO / "src" / "kg"
    modules = {
        p.stem if p.is_file() else p.name
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert set(named) == modules


def test_every_module_below_the_cli_is_kept_from_click_and_rich() -> None:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    (free,) = [c for c in _contracts() if c.get("forbidden_modules") == ["click", "rich"]]
    order = [re.split(r"\s*[|:]\s*", str(layer)) for layer in layers["layers"]]
    below = [m for layer in order[order.index(["params", "terminal"]) + 1 :] for m in layer]
    assert sorted(free["source_modules"]) == sorted(f"kg.{m}" for m in below)
