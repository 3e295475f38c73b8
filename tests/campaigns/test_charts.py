"""Server-rendered SVG charts (campaigns.charts)."""

from __future__ import annotations

import re
from fractions import Fraction
from xml.etree import ElementTree

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from campaigns.charts import ChartRow, achievement_chart, target_bar

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english():
    """Labels are asserted in English, the msgids, whatever the catalogue says."""
    with translation.override("en"):
        yield


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 - our own markup


def _chart(rows=None, elapsed=Fraction(1, 2)) -> str:
    rows = rows or [
        ChartRow("Cụm thi đua số 1", Fraction(3, 4), "on_track"),
        ChartRow("Cụm thi đua số 2", Fraction(2, 5), "at_risk"),
        ChartRow("Khối các sở", None, "not_reported"),
    ]
    return achievement_chart(rows, elapsed=elapsed, title="Mức đạt theo cụm")


def test_chart_is_safe_well_formed_svg_with_accessible_name():
    """The chart is one SVG element with role="img", an aria-label and a <title>."""
    markup = _chart()
    assert isinstance(markup, SafeString)
    root = _parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label").startswith("Mức đạt theo cụm.")
    assert root.find(f"{SVG}title").text == "Mức đạt theo cụm"


def test_chart_has_no_script_no_inline_style_and_no_event_handlers():
    """Strict CSP: colours come from classes and presentation attributes only."""
    markup = _chart()
    assert "<script" not in markup
    assert "style=" not in markup
    assert not re.search(r"\son\w+=", markup)


def test_bars_are_as_long_as_the_achievement_and_carry_the_status_class():
    """On a 0–100 % scale 75 % is three quarters of the bar area, 40 % two fifths."""
    root = _parse(_chart())
    bars = [rect for rect in root.iter(f"{SVG}rect") if "chart__bar" in rect.get("class", "")]
    assert [bar.get("class") for bar in bars] == [
        "chart__bar chart__bar--on_track",
        "chart__bar chart__bar--at_risk",
        "chart__bar chart__bar--not_reported",
    ]
    area = 720 - 250 - 56
    assert float(bars[0].get("width")) == round(area * 0.75, 1)
    assert float(bars[1].get("width")) == round(area * 0.4, 1)
    assert float(bars[2].get("width")) == 0
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__value"]
    assert values == ["75%", "40%", "—"]


def test_elapsed_marker_sits_at_the_elapsed_share():
    root = _parse(_chart(elapsed=Fraction(1, 2)))
    marker = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "chart__elapsed")
    assert float(marker.get("x1")) == 250 + (720 - 250 - 56) / 2
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "chart__elapsed-label")
    assert label.text == "Time elapsed: 50%"


def test_scale_grows_past_100_percent_up_to_200():
    """A unit at 130 % widens the scale to 150 %; beyond 200 % bars are cut at the edge."""
    root = _parse(_chart([ChartRow("Xã A", Fraction(13, 10), "on_track")]))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert ticks == ["0%", "50%", "100%", "150%"]
    root = _parse(_chart([ChartRow("Xã A", Fraction(5), "on_track")]))
    bar = next(rect for rect in root.iter(f"{SVG}rect") if "chart__bar" in rect.get("class", ""))
    assert float(bar.get("width")) == 720 - 250 - 56


def test_unit_names_are_escaped_and_stay_text():
    """A unit named with markup is shown as text, never run or parsed as elements."""
    name = '<script>alert("x")</script> & "Xã" <b>'
    markup = _chart([ChartRow(name, Fraction(1, 2), "on_track")])
    assert "<script>" not in markup
    assert "<b>" not in markup
    assert "&lt;script&gt;" in markup
    root = _parse(markup)
    row_title = next(g.find(f"{SVG}title") for g in root.iter(f"{SVG}g"))
    assert row_title.text.startswith(name)
    assert not list(root.iter(f"{SVG}script"))
    evil_title = achievement_chart([], elapsed=0, title='"><script>x</script>')
    assert "<script>" not in evil_title


def test_long_labels_are_shortened_with_the_full_name_in_the_tooltip():
    name = "Khối thi đua các cơ quan Đảng, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh"
    root = _parse(_chart([ChartRow(name, Fraction(1, 2), "on_track")]))
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "chart__label")
    assert label.text.endswith("…")
    assert len(label.text) <= 34
    assert next(root.iter(f"{SVG}g")).find(f"{SVG}title").text.startswith(name)


def test_target_bar_is_a_small_accessible_svg():
    """The per-target bar fills up to 100 % and marks the elapsed share."""
    markup = target_bar(Fraction(3, 5), elapsed=Fraction(1, 2), status="on_track", label="<Nhà ở>")
    root = _parse(markup)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "<Nhà ở>: 60%, On track; time elapsed 50%"
    assert "&lt;Nhà ở&gt;" in markup
    assert "style=" not in markup
    bar = next(rect for rect in root.iter(f"{SVG}rect") if "chart__bar" in rect.get("class", ""))
    assert float(bar.get("width")) == 72
    over = _parse(target_bar(Fraction(3), elapsed=1, status="on_track", label="x"))
    assert (
        float(next(r for r in over.iter(f"{SVG}rect") if "chart__bar" in r.get("class", "")).get("width"))
        == 120
    )
    empty = target_bar(None, elapsed=0, status="not_reported", label="x")
    assert "—" in empty
