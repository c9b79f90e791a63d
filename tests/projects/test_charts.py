"""The small line charts of a project's figures: the value axis starts at zero, and the dates are written."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from repairlab.charts import line_chart
from repairlab.projects import services


@pytest.fixture
def project(territory, stages, make_project, talent, mentor):
    return make_project(territory, team=[talent], mentors=[mentor], name="Atelier Vélo Fives")


def test_the_value_axis_starts_at_zero_not_at_the_lowest_value():
    chart = line_chart([(date(2026, 1, 31), Decimal(100)), (date(2026, 2, 28), Decimal(110))])
    assert chart.axis_low == 0 and chart.axis_high == 110
    (_, y_first, _, _), (_, y_last, _, _) = chart.dots
    # 100 -> 110 is a tenth of the height, not all of it.
    assert abs((y_first - y_last) - (chart.bottom - chart.top) / 11) < 0.2
    assert chart.zero_y == chart.bottom


def test_negative_values_put_zero_inside_the_axis():
    chart = line_chart([(date(2026, 1, 31), Decimal(-50)), (date(2026, 2, 28), Decimal(150))])
    assert chart.axis_low == -50 and chart.axis_high == 150
    assert chart.top < chart.zero_y < chart.bottom


def test_only_zeros_still_draw_a_chart():
    chart = line_chart([(date(2026, 1, 31), Decimal(0))])
    assert chart.axis_low == 0 and chart.axis_high == 1 and chart.dots[0][1] == chart.bottom


def test_the_chart_writes_its_first_and_last_dates_and_its_axis_from_zero(db, client, login, project, talent):
    for month, value in ((1, 100), (2, 250), (3, 400)):
        services.add_figure(talent, project, "revenue", date(2026, month, 28), value)
    db.session.commit()
    page = login(talent).get(f"/projects/{project.id}").text
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL).group(0)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "28 Jan 2026" in texts and "28 Mar 2026" in texts
    assert "0" in texts and "400" in texts
