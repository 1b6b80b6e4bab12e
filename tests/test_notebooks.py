"""The notebooks run from top to bottom (executed with nbclient, as a reader would), and each
asserts its headline numbers in a cell of its own: a notebook whose story stops holding fails."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_without_errors(path, tmp_path):
    book = nbformat.read(path, as_version=4)
    NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(o.output_type in ("execute_result", "display_data") for o in outputs)
    checks = [c for c in book.cells if c.cell_type == "code" and "\nassert " in f"\n{c.source}"]
    assert checks, f"{path.name} asserts nothing"
    assert all(c.outputs and c.outputs[-1].output_type == "execute_result" for c in checks)


def test_the_notebooks_ship():
    assert {p.stem for p in NOTEBOOKS} == {"calibrate", "fire_vs_fix", "sweep"}
