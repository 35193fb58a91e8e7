"""`make student`: the student edition of the notebooks, built from the teacher's edition.

    python tools/student.py [--out build/student]

The committed notebooks are the teacher's edition. In it, each 動手做 answer sits between nbgrader's
markers, `### BEGIN SOLUTION` and `### END SOLUTION`, and each concept question's answers sit in a
markdown cell tagged `solution`. The student edition replaces every marked region by
`raise NotImplementedError()` (the line above it says what to write, and the checker answers with
where to begin) and drops every cell tagged `solution`. A cell that calls a function the student
writes loses its outputs too (they came from the solution); every other cell keeps its outputs.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "raise NotImplementedError()"
SOLUTION_TAG = "solution"


class MarkerError(ValueError):
    """A BEGIN without its END, an END without a BEGIN, or markers outside a code cell."""


def clear_solutions(source):
    """The source with each BEGIN…END region replaced by the stub, indented like BEGIN."""
    lines, out, inside = source.splitlines(), [], False
    for number, line in enumerate(lines, 1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise MarkerError(f"line {number}: {BEGIN} inside another solution region")
            inside = True
            out.append(line[: len(line) - len(line.lstrip())] + STUB)
        elif marker == END:
            if not inside:
                raise MarkerError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{BEGIN} without {END}")
    return "\n".join(out)


def has_solution(cell):
    return cell.cell_type == "code" and any(line.strip() == BEGIN for line in cell.source.splitlines())


def functions_to_write(notebook):
    """The names of the functions whose bodies are solutions."""
    return {name for cell in notebook.cells if has_solution(cell)
            for name in re.findall(r"^\s*def (\w+)\(", cell.source, flags=re.MULTILINE)}


def calls(cell, names):
    return cell.cell_type == "code" and any(re.search(rf"\b{name}\(", cell.source) for name in names)


def student_edition(notebook):
    """A copy of the teacher's `notebook` with the solutions removed."""
    notebook = nbformat.from_dict(notebook)  # a deep copy
    to_write = functions_to_write(notebook)
    cells = []
    for index, cell in enumerate(notebook.cells):
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        if cell.cell_type != "code" and BEGIN in cell.source:
            raise MarkerError(f"cell {index}: solution markers belong in code cells; tag a markdown "
                              f"answer cell '{SOLUTION_TAG}' instead")
        if has_solution(cell):
            try:
                cell.source = clear_solutions(cell.source)
            except MarkerError as error:
                raise MarkerError(f"cell {index}: {error}") from None
            cell.outputs, cell.execution_count = [], None
        elif calls(cell, to_write):
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    notebook.cells = cells
    return notebook


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "student"))
    out = Path(parser.parse_args(argv).out)
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        teacher = nbformat.read(path, as_version=4)
        student = student_edition(teacher)
        nbformat.write(student, out / path.name)
        exercises = sum(has_solution(cell) for cell in teacher.cells)
        answers = len(teacher.cells) - len(student.cells)
        print(f"{path.name}: {exercises} exercises cleared, {answers} answer cells removed")
    print(f"{len(paths)} notebooks: {out}")


if __name__ == "__main__":
    sys.exit(main())
