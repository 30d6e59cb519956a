"""The layout holds: imports point one way (down), no module imports in a circle, view modules
do not import each other, modules stay small, every object has a page, no partial twice.

The import graph is read with `ast` from the source (imports inside functions included), so a
new module is checked the moment it exists.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("canvas_site", "canvases", "segments")
MAX_LINES = 400

# Lower layers first; a module may import its own layer and those below, never above.
LAYERS = [
    (
        "ground floor",
        [r"canvas_site(\.(htmx|live|live_redis|pdf|errors|text|next_url|nul_bytes|email_url))?$"],
    ),
    (
        "models and extension points",
        [r"canvases$", r"canvases\.models(\..*)?$", r"canvases\.registry$"],
    ),
    (
        "access rules and the write funnel",
        [r"canvases\.(access|changes|throttles)$", r"canvases\.templatetags(\..*)?$"],
    ),
    (
        "services of canvases and its features",
        [
            r"canvases\.(services|forms|demo)$",
            r"canvases\.(teams|workshops|history|live|exports|sharing|comments|inbox|activity)$",
            r"canvases\.(teams|workshops|history|live|exports|sharing|comments|inbox|activity)\."
            r"(services|session|access|forms|guests|voting|presence|compare|canvas_file"
            r"|notes_csv|outline|poster|accounts|mail|verification|links|mentions|feed"
            r"|file_types|comments_file|appendix)$",
        ],
    ),
    (
        "the canvas page",
        [
            r"canvases\.page$",
            r"canvases\.live\.push$",
            r"canvases\.workshops\.bar$",
            r".*context_processors$",
        ],
    ),
    (
        "views and routes of canvases",
        [
            r"canvases\.(.*\.)?(views|note_views|account_views|urls|admin|apps)$",
            r"canvases\.management(\..*)?$",
        ],
    ),
    ("segments, built on canvases", [r"segments(\..*)?$"]),
    ("the site", [r"canvas_site\.(urls|settings|asgi|wsgi)$"]),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports (the most specific existing module of each)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
                break
    return targets


def graph() -> dict[str, set[str]]:
    modules = source_modules()
    return {name: imports_of(name, path, set(modules)) for name, path in modules.items()}


def layer_of(name: str) -> int:
    for index, (_, patterns) in enumerate(LAYERS):
        if any(re.match(pattern, name) for pattern in patterns):
            return index
    raise AssertionError(f"{name} has no layer: add it to LAYERS in tests/test_architecture.py")


def test_every_module_has_a_layer():
    for name in source_modules():
        layer_of(name)


def test_imports_point_down_never_up():
    upward = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in graph().items()
        for target in targets
        if layer_of(target) > layer_of(name)
    ]
    assert not upward, "\n".join(upward)


def test_canvases_never_import_segments():
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name.startswith(("canvases", "canvas_site."))
        and name not in ("canvas_site.urls", "canvas_site.settings")
        for target in targets
        if target.startswith("segments")
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_in_a_circle():
    edges = graph()
    cycles, state = [], {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(edges.get(name, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def is_view_module(name: str) -> bool:
    return name.endswith(("views", ".note_views"))


def test_no_view_module_imports_another():
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if is_view_module(name)
        for target in targets
        if is_view_module(target)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_graph_sees_imports():
    """The checks above are not blind: known arrows are found."""
    edges = graph()
    assert "canvases.models" in edges["canvases.services"]
    assert "canvases.registry" in edges["segments.canvas_extension"]
    assert "canvases.workshops.bar" in edges["canvases.page"]


@pytest.mark.parametrize("folder", [*PACKAGES, "tests", "bench"])
def test_no_module_is_over_400_lines(folder):
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)


PAGELESS = {"canvases.AttemptCounter"}  # a count of attempts is no one's page


def test_every_object_has_a_page():
    missing = [
        model._meta.label
        for app in ("canvases", "segments")
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in PAGELESS and not hasattr(model, "get_absolute_url")
    ]
    assert not missing


def test_no_partial_is_defined_twice():
    names = Counter(
        name
        for path in (ROOT / "templates").rglob("*.html")
        for name in re.findall(r"{%\s*partialdef\s+([\w-]+)", path.read_text())
    )
    assert [name for name, count in names.items() if count > 1] == []
