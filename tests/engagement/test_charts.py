import pytest

from engagement import charts
from engagement.results import exercise_results
from tests.engagement.conftest import make_exercise, submit

pytestmark = pytest.mark.django_db


def test_the_priorities_chart_has_the_tables_numbers_most_important_first():
    exercise = make_exercise(titles=("A <b>bold</b> aim", "B", "C"))
    submit(exercise, ["B", "A <b>bold</b> aim", "C"])
    submit(exercise, ["B", "C", "A <b>bold</b> aim"])
    results = exercise_results(exercise)
    figure = charts.priorities_figure(results.priorities)
    bar = figure["data"][0]
    assert bar["x"] == [r.borda for r in results.priorities] == [6, 3, 3]
    assert bar["y"][0] == "B"
    assert "A &lt;b&gt;bold&lt;/b&gt; aim" in bar["y"]  # plotly reads HTML in labels: escaped
    assert bar["customdata"][0] == ["1.00", 2]
    assert figure["config"]["displayModeBar"] is False


def test_the_issues_chart_shows_the_ten_most_picked():
    exercise = make_exercise(issues={0: [f"Issue {i}" for i in range(12)]})
    submit(exercise, ["Healthier lives", "Best start", "Safe communities"], issues=["Issue 3"])
    figure = charts.issues_figure(exercise_results(exercise).issues)
    assert figure["data"][0]["x"] == [1]
    assert figure["data"][0]["y"] == ["Issue 3"]
