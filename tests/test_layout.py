"""The package's layout: layers in the folder names, no import circles, light `--help`."""

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).parent.parent
SIM = ROOT / "sim"
#: the layers of the data flow, in order: a module imports only from its own or earlier ones
LAYERS = ("scenario", "model", "experiments", "reports", "diagnosis", "audit", "workshop", "cli")
COMMANDS = ("run", "compare", "sweep", "sensitivity", "diagnose", "scenarios", "validate")
COMMANDS += ("levers", "workshop", "init", "calibrate", "assumptions")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, at module level?) for every sim import outside `if TYPE_CHECKING`."""
    tree = ast.parse(path.read_text())
    found = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module.split(".")[0] == "sim":
                    found.append((child.module, top))
            elif isinstance(child, ast.Import):
                found.extend((a.name, top) for a in child.names if a.name.split(".")[0] == "sim")
            inner = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, top and not inner)

    visit(tree, True)
    return found


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


MODULES = {module_name(p): p for p in SIM.rglob("*.py")}


def test_every_module_lives_in_a_layer():
    loose = sorted(m for m in MODULES if layer(m) is None and m not in ("sim", "sim.files"))
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_no_module_imports_a_later_layer():
    wrong = [
        f"{module} imports {target}"
        for module, path in MODULES.items()
        for target, _ in imports(path)
        if layer(module) is not None and layer(target) is not None and layer(target) > layer(module)
    ]
    assert not wrong


def test_no_import_circles_between_modules():
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        for target, top in imports(path):
            # `from sim.model import kernel_cache` imports the submodule, not the package's own
            if top and target != module:
                graph.add_edge(module, target)
    # a package's __init__ importing its own submodules is how packages work, not a circle
    cycles = [
        c
        for c in nx.simple_cycles(graph)
        if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)
        and not any(all(m.startswith(p + ".") or m == p for m in c) for p in c)
    ]
    assert not cycles


def test_docs_name_only_files_that_exist():
    import re

    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for path in re.findall(r"`(sim/[\w/]+\.py)`", doc.read_text()):
            if not (ROOT / path).is_file():
                missing.append(f"{doc.name}: {path}")
    assert not missing


def help_of(*args: str) -> tuple[str, set[str]]:
    """`salesorg ARGS --help` in a fresh interpreter: its text and the heavy modules imported."""
    code = (
        "import sys\n"
        "from sim.cli import main\n"
        "try:\n"
        f"    main({[*args, '--help']!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'numba', 'pandas', 'matplotlib', 'mesa', 'scipy', 'networkx', 'pydantic'}\n"
        "print('IMPORTED', ' '.join(sorted(heavy & set(sys.modules))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    text, _, imported = done.stdout.rpartition("IMPORTED")
    return text, set(imported.split())


def test_top_level_help_imports_nothing_heavy():
    text, heavy = help_of()
    assert not heavy
    for command in COMMANDS:
        assert f"\n    {command}" in text or f"{{{command}" in text or f" {command} " in text


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_is_light_and_shows_its_own_examples(command):
    text, heavy = help_of(command)
    assert not heavy, f"`salesorg {command} --help` imported {sorted(heavy)}"
    examples = text.split("examples:", 1)[1]
    assert f"salesorg {command}" in examples
    others = [c for c in COMMANDS if c != command and f"salesorg {c} " in examples]
    # the top-level list names every command; a command's own examples stay on it
    assert len(others) <= 1, others
