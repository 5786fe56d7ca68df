"""The filter playground of notebook 06: every widget change recomputes and redraws."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import interactive
from helpers.interactive import convolutional_networks as playground_module

IMAGE = np.arange(64.0).reshape(8, 8) % 7


def test_is_exported_by_the_package():
    assert interactive.filter_playground is playground_module.filter_playground
    assert all(kernel.shape == (3, 3) for kernel in interactive.FILTERS.values())


def test_starts_with_the_named_filter_and_draws():
    p = interactive.filter_playground(IMAGE, start="blur")
    np.testing.assert_allclose(p.kernel, np.full((3, 3), 0.111))  # boxes show 3 decimals
    assert bytes(p.picture.value).startswith(b"\x89PNG")
    assert p.position.max == 6 * 6 - 1
    assert "out[0, 0]" in p.formula.value


def test_the_formula_is_the_feature_map_value():
    p = interactive.filter_playground(IMAGE)
    p.position.value = 9  # row 1, column 3 of the 6x6 map
    assert p.row_col() == (1, 3)
    value = playground_module.feature_map(IMAGE, p.kernel)[1, 3]
    patch = IMAGE[1:4, 3:6]
    assert value == pytest.approx(np.sum(patch * p.kernel))
    assert f"<b>{value:.3g}</b>" in p.formula.value


def test_choosing_a_filter_fills_the_boxes_and_redraws():
    p = interactive.filter_playground(IMAGE)
    before = bytes(p.picture.value)
    p.preset.value = "sharpen"
    np.testing.assert_array_equal(p.kernel, interactive.FILTERS["sharpen"])
    assert bytes(p.picture.value) != before


def test_editing_a_box_makes_the_filter_custom():
    p = interactive.filter_playground(IMAGE)
    before = bytes(p.picture.value)
    p.boxes[4].value = 2.5
    assert p.preset.value == playground_module.CUSTOM
    assert p.kernel[1, 1] == 2.5
    assert bytes(p.picture.value) != before
    p.preset.value = "identity"  # back to a named filter
    np.testing.assert_array_equal(p.kernel, interactive.FILTERS["identity"])


def test_displays_as_its_widgets():
    p = interactive.filter_playground(IMAGE)
    bundle = p._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize(("image", "start", "message"), [
    (np.zeros(9), "blur", "2-D array"),
    (np.zeros((2, 5)), "blur", "at least 3x3"),
    (IMAGE, "edges", "start must be one of"),
])
def test_bad_arguments_are_named(image, start, message):
    with pytest.raises(ValueError, match=message):
        interactive.filter_playground(image, start=start)
