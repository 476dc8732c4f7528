"""The shape of the code that the layer rule and the view rule ask for, read with `ast`.

Views parse input, call one service or selector, and render: a view function (one whose
first parameter is `request`) whose body runs past 20 lines is doing work that belongs in a
service, a selector or a form. And apps depend one way (core <- catalog <- earning <-
assessment <- badges): an import of another app tucked inside a function hides a
dependency from import-linter, so none is allowed outside the tests.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent  # microcred/
MAX_VIEW_LINES = 20

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _view_modules() -> list[Path]:
    """Every `views.py` and `views/*.py` under microcred/, outside the tests."""
    found = [
        path
        for path in PACKAGE.rglob("*.py")
        if path.name == "views.py" or path.parent.name == "views"
    ]
    return sorted(path for path in found if "tests" not in path.relative_to(PACKAGE).parts)


def _functions(tree: ast.AST) -> Iterator[FunctionNode]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _body_lines(function: FunctionNode) -> int:
    """Lines from the first statement after the docstring to the end of the last one."""
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body:
        return 0
    last = body[-1].end_lineno or body[-1].lineno
    return last - body[0].lineno + 1


def long_views(path: Path) -> list[tuple[str, int]]:
    """(view, body lines) of each view function in `path` longer than MAX_VIEW_LINES."""
    found = []
    for function in _functions(ast.parse(path.read_text(), filename=str(path))):
        arguments = function.args.posonlyargs + function.args.args
        if not arguments or arguments[0].arg != "request":
            continue
        length = _body_lines(function)
        if length > MAX_VIEW_LINES:
            found.append((function.name, length))
    return sorted(found)


def _app_of(path: Path) -> str:
    """The app a module belongs to: `core` for microcred/core/…; "" for the project package's
    own modules (settings, urls, views), which belong to no app."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def _is_app(name: str) -> bool:
    """microcred.core is an app; microcred.settings or microcred.selectors is not."""
    return (PACKAGE / name / "__init__.py").is_file()


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or node.module is None:
        return []  # a relative import stays inside its own package
    if node.module == "microcred":  # from microcred import catalog
        return [f"microcred.{alias.name}" for alias in node.names]
    return [node.module]


def _outside_tests(path: Path) -> bool:
    inside = path.relative_to(PACKAGE).parts
    return "tests" not in inside and "migrations" not in inside


def _modules_of(app: str) -> list[Path]:
    """The modules of `app` ("" for the project package's own), without tests or migrations."""
    return [p for p in sorted(PACKAGE.rglob("*.py")) if _outside_tests(p) and _app_of(p) == app]


APPS = sorted({_app_of(path) for path in PACKAGE.rglob("*.py") if _outside_tests(path)})


class _ImportsInFunctions(ast.NodeVisitor):
    """Collects (line, innermost function, module) of each import made inside a function."""

    def __init__(self) -> None:
        self.functions: list[str] = []
        self.found: list[tuple[int, str, str]] = []

    def _function(self, node: FunctionNode) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if self.functions:
            for module in _imported_modules(node):
                self.found.append((node.lineno, self.functions[-1], module))

    visit_Import = visit_ImportFrom = _import


def function_level_cross_app_imports(app: str) -> list[tuple[str, int, str, str]]:
    """(file, line, function, module) of each import of another microcred app made inside a
    function in one of `app`'s modules."""
    found = []
    for path in _modules_of(app):
        visitor = _ImportsInFunctions()
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        for line, function, module in visitor.found:
            names = module.split(".")
            if names[0] == "microcred" and len(names) > 1 and _is_app(names[1]) and names[1] != app:
                found.append((_relative(path), line, function, module))
    return found


def test_the_walk_finds_the_view_modules_of_every_app():
    modules = {_relative(path) for path in _view_modules()}
    assert {"microcred/views.py", "microcred/core/views.py"} <= modules
    assert any(module.startswith("microcred/catalog/views/") for module in modules)


def test_the_length_counts_statements_after_the_docstring():
    source = 'def page(request):\n    """Doc\n    string."""\n    a = 1\n\n    return a\n'
    (function,) = _functions(ast.parse(source))
    assert _body_lines(function) == 3


def test_a_view_of_twenty_one_lines_is_flagged_and_one_of_twenty_is_not(tmp_path):
    def view(name: str, lines: int) -> str:
        body = "".join(f"    x{i} = {i}\n" for i in range(lines - 1))
        return f'def {name}(request, slug):\n    """Doc."""\n{body}    return x0\n\n'

    module = tmp_path / "views.py"
    helper = "def _not_a_view(form):\n" + "    pass\n" * 30
    module.write_text(view("fits", 20) + view("too_long", 21) + helper)
    assert long_views(module) == [("too_long", 21)]


@pytest.mark.parametrize("module", [_relative(path) for path in _view_modules()])
def test_no_view_function_runs_past_twenty_lines(module):
    offenders = long_views(PACKAGE.parent / module)
    report = "\n".join(f"{module}: {view} has {n} lines" for view, n in offenders)
    assert not offenders, f"{len(offenders)} views over {MAX_VIEW_LINES} lines:\n{report}"


def test_the_import_check_sees_an_import_of_another_app_inside_a_function():
    source = (
        "from microcred.assessment import models\n"
        "def issue():\n"
        "    from microcred.badges.services import award_issue\n"
        "    import microcred.catalog.selectors\n"
        "    from microcred import earning\n"
        "    from microcred.core import audit\n"
        "    from . import models\n"
        "    def inner():\n"
        "        from microcred.earning import services\n"
    )
    visitor = _ImportsInFunctions()
    visitor.visit(ast.parse(source))
    assert [module for _, _, module in visitor.found] == [
        "microcred.badges.services",
        "microcred.catalog.selectors",
        "microcred.earning",
        "microcred.core",
        "microcred.earning",
    ]
    assert visitor.found[-1][1] == "inner"


@pytest.mark.parametrize("app", APPS, ids=[app or "project" for app in APPS])
def test_no_module_imports_another_app_inside_a_function(app):
    offenders = function_level_cross_app_imports(app)
    report = "\n".join(
        f"{file}:{line} in {function}() imports {module}"
        for file, line, function, module in offenders
    )
    assert not offenders, f"{len(offenders)} imports of another app inside a function:\n{report}"
