"""`make student`: the student edition, built from the teacher's edition that is committed.

The teacher's edition shows every solution (between nbgrader's `### BEGIN SOLUTION` and
`### END SOLUTION`) and the concept questions' answers (cells tagged `solution`). The student
edition has neither, and it runs top to bottom without an error, each checker answering ✗ with
where to begin.
"""

import sys

import nbformat
import pytest
from labserver import ROOT
from nbclient import NotebookClient

sys.path.insert(0, str(ROOT / "tools"))
import student

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00")]
SLIDE_SECTIONS = [p for p in LESSONS if p.name[:2] <= "09"]  # 10, the playground, has no 動手做

TEACHER_CELL = """def my_step(w, gradient, learning_rate):
    # TODO：回傳 w − α∇w
    ### BEGIN SOLUTION
    step = learning_rate * gradient
    return w - step
    ### END SOLUTION


lk.exercises.check_gradient_step(my_step)"""


def test_a_solution_becomes_a_stub_at_its_indentation():
    assert student.clear_solutions(TEACHER_CELL) == """def my_step(w, gradient, learning_rate):
    # TODO：回傳 w − α∇w
    raise NotImplementedError()


lk.exercises.check_gradient_step(my_step)"""


@pytest.mark.parametrize("source, complaint", [
    ("### BEGIN SOLUTION\nx = 1", "without ### END"),
    ("x = 1\n### END SOLUTION", "without ### BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
])
def test_broken_markers_are_refused(source, complaint):
    with pytest.raises(student.MarkerError, match=complaint):
        student.clear_solutions(source)


def test_the_edition_drops_answers_and_clears_only_the_exercises():
    answer = nbformat.v4.new_markdown_cell("1. 因為 …", metadata={"tags": ["solution"]})
    exercise = nbformat.v4.new_code_cell(TEACHER_CELL, outputs=[nbformat.v4.new_output(
        "execute_result", {"text/plain": "✓ w(t+1) is right"}, execution_count=3)], execution_count=3)
    figure = nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
        "display_data", {"text/plain": "<Figure>"})], execution_count=4)
    use = nbformat.v4.new_code_cell("print(my_step(w, g, 0.1))", outputs=[nbformat.v4.new_output(
        "stream", name="stdout", text="[0.9]\n")], execution_count=5)
    teacher = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 觀念題"), answer,
                                              exercise, figure, use])
    edition = student.student_edition(teacher)
    assert [c.source[:6] for c in edition.cells] == ["## 觀念題", "def my", "plot()", "print("]
    assert "raise NotImplementedError()" in edition.cells[1].source
    assert edition.cells[1].outputs == [] and edition.cells[1].execution_count is None
    assert edition.cells[2] == figure
    assert edition.cells[3].outputs == [], "the output of the solution's my_step came along"
    assert len(teacher.cells) == 5 and "BEGIN SOLUTION" in teacher.cells[2].source  # untouched


def test_markers_in_markdown_are_refused():
    teacher = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\n答案")])
    with pytest.raises(student.MarkerError, match="tag a markdown answer cell 'solution'"):
        student.student_edition(teacher)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_every_lesson_has_exercises_and_answers_for_the_teacher_only(path):
    teacher = nbformat.read(path, as_version=4)
    exercises = [c for c in teacher.cells if student.has_solution(c)]
    answers = [c for c in teacher.cells if "solution" in c.metadata.get("tags", [])]
    assert exercises or path not in SLIDE_SECTIONS, "no exercise with a solution"
    assert answers, "no answers to the concept questions"
    assert all("✓" in str(c.outputs) and "✗" not in str(c.outputs) for c in exercises), (
        "the teacher's edition must show ✓ for every exercise")
    edition = student.student_edition(teacher)
    text = "\n".join(c.source for c in edition.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for answer in answers:
        assert answer.source not in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_the_student_edition_runs_and_every_checker_says_where_to_begin(path, tmp_path):
    edition = student.student_edition(nbformat.read(path, as_version=4))
    cleared = [i for i, c in enumerate(edition.cells)
               if c.cell_type == "code" and "raise NotImplementedError()" in c.source]
    NotebookClient(edition, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    for index, cell in enumerate(edition.cells):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"cell {index}: {errors[0].ename}: {errors[0].evalue}"
    for index in cleared:
        shown = "".join(str(o.get("data", {}).get("text/plain", "")) + o.get("text", "")
                        for o in edition.cells[index].outputs)
        assert "✗" in shown and "還沒寫" in shown, f"cell {index} printed {shown!r}"
