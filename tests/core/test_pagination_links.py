"""Pagination links keep the page's filters and stay on the page's own object."""

from __future__ import annotations

from types import SimpleNamespace

from flask import render_template_string

PAGE = SimpleNamespace(pages=3, page=2, has_prev=True, prev_num=1, has_next=True, next_num=3)
MACRO = "{% from '_macros/lists.html' import pagination %}{{ pagination(page, 'inventory.location') }}"


def test_a_query_argument_named_like_the_path_one_changes_neither_the_object_nor_causes_an_error(app):
    with app.test_request_context("/inventory/places/5?location_id=abc&q=vis&page=2"):
        html = render_template_string(MACRO, page=PAGE)
    assert "/inventory/places/5?" in html
    assert "q=vis" in html and "page=3" in html and "location_id=abc" not in html


def test_query_arguments_named_like_url_for_options_are_left_out(app):
    with app.test_request_context("/inventory/places/5?_scheme=javascript&endpoint=x&_external=1&q=vis"):
        html = render_template_string(MACRO, page=PAGE)
    assert 'href="/inventory/places/5?' in html and "q=vis" in html
    assert "javascript" not in html and "endpoint" not in html


def test_a_filter_given_several_times_keeps_every_value(app):
    with app.test_request_context("/inventory/places/5?tag=a&tag=b"):
        html = render_template_string(MACRO, page=PAGE)
    assert "tag=a&amp;tag=b" in html
