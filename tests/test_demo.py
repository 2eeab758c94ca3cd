"""nn.demo, the main job: the Example end to end writes two pictures and a report of the boxed formulas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nn.demo import Report, main


def test_the_demo_writes_the_pictures_and_the_report(tmp_path, capsys) -> None:
    assert main(tmp_path / "out") is True
    out = tmp_path / "out"
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert report == capsys.readouterr().out
    assert "✗" not in report and report.rstrip().endswith("All boxed formulas hold.")
    assert "✓ δ²ᵢ = δ³₁ · w²ʼ¹ᵢ (Linear, learning flow): (-1/200, 3/11600, -1/5800)" in report
    assert "✓ δw²ʼ¹ᵢ = δ³₁ · o¹ᵢ (Linear, weights): (0, -2000, -3000)" in report
    assert "✓ new outputs o³₁, as printed: (0.43, 1, 1.3)" in report
    assert "^{" not in report and "_{" not in report
    for name in ("example_graph.svg", "linear_structure.svg", "explorer.html"):  # as written, not typeset
        assert str(out / name) in report and (out / name).is_file()
    assert "o¹₁" in (out / "explorer.html").read_text(encoding="utf-8")  # the neurons are named as the series
    assert "✓ new losses, as printed: (0.01, 0, 0.16)" in report
    graph = (out / "example_graph.svg").read_text(encoding="utf-8")
    assert "<svg" in graph and "#dc2626" in graph and "the 2 paths of impacts of w²ʼ¹₃" in graph
    structure = (out / "linear_structure.svg").read_text(encoding="utf-8")
    assert "<svg" in structure and "δw = &#45;3000" in structure and "L2 = Linear" in structure
    page = (out / "explorer.html").read_text(encoding="utf-8")
    assert "<title>The series&#x27; Example, row 3: w²ʼ¹₃</title>" in page and "∂loss/∂w²ʼ¹₃" in page


def test_a_failed_check_is_marked_and_fails_the_report(capsys) -> None:
    report = Report()
    report.check("δ = o - y", [1], [2])
    assert not report.ok and "✗ δ = o - y: (1) expected [2]" in report.text()


def test_python_dash_m_nn_demo_exits_0(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nn.demo", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "All boxed formulas hold." in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "example_graph.svg",
        "explorer.html",
        "linear_structure.svg",
        "report.txt",
    ]
