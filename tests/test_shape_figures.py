"""The gallery's drawing module draws what the tensors it is given hold."""

from __future__ import annotations

import matplotlib
import pytest
import torch
from torch import nn

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import shape_figures as sf


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def cells(fig) -> list:
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == sf.CELL_GID]


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def alt_text(fig) -> str:
    """What sphinx-gallery uses as the image's alt text: the suptitle and any axes titles."""
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return ", ".join(t for t in [fig.get_suptitle(), *titles] if t)


def test_a_2_2_2_tensor_is_two_stacked_grids_of_four_cells():
    b = torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    fig = sf.draw_tensors({"b": b})
    assert len(cells(fig)) == 8
    labels = texts(fig)
    assert sorted(label for label in labels if label.isdigit()) == [str(v) for v in range(1, 9)]
    assert {"[0]", "[1]", "dim 0: size 2", "dim 1: size 2", "dim 2: size 2"} <= set(labels)
    assert alt_text(fig) == "b, shape (2, 2, 2), as 2 stacked 2 x 2 grids"


def test_a_1_2_3_tensor_is_one_grid_of_six_cells_with_a_dimension_of_size_1():
    a = torch.tensor([[[1, 2, 3], [4, 5, 6]]])
    fig = sf.draw_tensors({"a": a}, title="The notes' first tensor")
    assert len(cells(fig)) == 6
    labels = texts(fig)
    assert {"[0]", "dim 0: size 1", "dim 1: size 2", "dim 2: size 3"} <= set(labels)
    assert "[1]" not in labels
    assert alt_text(fig).startswith("The notes' first tensor: a, shape (1, 2, 3)")


def test_lower_dimensional_tensors_label_only_their_own_dimensions():
    fig = sf.draw_tensors({"row": torch.arange(4), "grid": torch.zeros(2, 3)})
    assert len(cells(fig)) == 4 + 6
    labels = texts(fig)
    assert "dim 0: size 4" in labels  # the 1-D tensor's only dimension
    assert {"dim 0: size 2", "dim 1: size 3"} <= set(labels)
    assert "0.00" in labels  # floats to two places


def test_cells_are_coloured_by_the_input_their_value_came_from():
    a, b = torch.arange(6).reshape(2, 3), torch.arange(10, 16).reshape(2, 3)
    fig = sf.draw_tensors({"cat": torch.cat([a, b])}, sources={"a": a, "b": b})
    colours = [matplotlib.colors.to_hex(cell.get_facecolor()) for cell in cells(fig)]
    expected = [sf.SOURCE_COLORS[0].lower()] * 6 + [sf.SOURCE_COLORS[1].lower()] * 6
    assert colours == expected


def test_tensors_of_more_than_three_dimensions_are_refused():
    with pytest.raises(ValueError, match=r"got shape \(1, 1, 1, 1\)"):
        sf.draw_tensors({"x": torch.zeros(1, 1, 1, 1)})


def test_matmul_figure_labels_the_dimensions_from_the_shapes_it_is_given():
    a, b = torch.ones(3, 5), torch.ones(5, 4)
    fig = sf.draw_matmul(a, b, a @ b)
    labels = texts(fig)
    assert {"A.shape[0] = 3", "A.shape[1] = 5", "B.shape[0] = 5", "B.shape[1] = 4"} <= set(labels)
    assert "A @ B\n(3, 4)" in labels
    assert len(cells(fig)) == 3 * 5 + 5 * 4 + 3 * 4
    assert alt_text(fig) == (
        "A (3, 5) @ B (5, 4) gives (3, 4): the inner sizes 5 and 5 match, "
        "the outer sizes 3 and 4 form the result"
    )


def test_matmul_figure_marks_inner_sizes_that_differ():
    c = torch.ones(3, 2)
    fig = sf.draw_matmul(c, c, None, names=("C", "C"))
    labels = texts(fig)
    assert "no product\n2 != 3" in labels
    # The inner sizes (the left operand's columns, the right one's rows) and the missing product
    # are marked in the mismatch colour; the outer sizes are not.
    marked = [
        t.get_text()
        for ax in fig.axes
        for t in ax.texts
        if matplotlib.colors.to_hex(t.get_color()) == sf.MISMATCH_COLOR.lower()
    ]
    assert sorted(marked) == ["C.shape[0] = 3", "C.shape[1] = 2", "no product\n2 != 3"]
    assert "cannot be multiplied: the inner sizes 2 and 3 differ" in alt_text(fig)


def test_matmul_figure_checks_the_product_against_the_rule():
    a, b = torch.ones(3, 2), torch.ones(2, 4)
    with pytest.raises(ValueError, match="expected"):
        sf.draw_matmul(a, b, torch.ones(4, 3))
    with pytest.raises(ValueError, match="exactly when"):
        sf.draw_matmul(a, b, None)
    with pytest.raises(ValueError, match="2-D"):
        sf.draw_matmul(torch.ones(2, 3, 2), b, None)


def test_unit_vectors_figure_draws_each_vector_twice_with_its_length():
    vectors = torch.tensor([[3.0, 4.0], [0.0, -2.0], [1.0, 1.0]])
    unit = vectors / torch.linalg.vector_norm(vectors, dim=-1, keepdim=True)
    fig = sf.draw_unit_vectors(vectors, unit)
    arrows = [p for ax in fig.axes for p in ax.patches if p.get_gid() == sf.VECTOR_GID]
    assert len(arrows) == 2 * 3
    assert "lengths 5.00, 2.00, 1.41 before normalising, 1.00, 1.00, 1.00 after" in alt_text(fig)


def test_storage_offsets_follow_the_strides():
    x = torch.arange(6).view(2, 3)
    assert sf.storage_offsets(x) == [0, 1, 2, 3, 4, 5]
    assert sf.storage_offsets(x.permute(1, 0)) == [0, 3, 1, 4, 2, 5]
    assert sf.storage_offsets(x[:, 1:]) == [1, 2, 4, 5]


def test_memory_layout_figure_tells_shared_from_copied_storage():
    x = torch.arange(6).view(2, 3)
    p = x.permute(1, 0)
    fig = sf.draw_memory_layouts({"x": x, "p": p, "c": p.contiguous()})
    labels = texts(fig)
    assert "x: shape (2, 3), stride (3, 1), contiguous, storage A" in labels
    assert "p: shape (3, 2), stride (1, 3), not contiguous, storage A" in labels
    assert "c: shape (3, 2), stride (2, 1), contiguous, storage B" in labels
    # Each tensor's entries, then each storage's 6 places.
    assert len(cells(fig)) == 3 * 6 + 3 * 6
    assert "p, shape (3, 2), stride (1, 3), storage A, read in the order 0, 3, 1, 4, 2, 5" in (
        alt_text(fig)
    )


def test_layer_figure_has_one_bar_per_layer_of_the_summary():
    from torchinfo import summary

    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    stats = summary(model, input_size=(5, 4), verbose=0)
    fig = sf.draw_layer_shapes(stats)
    (ax,) = fig.axes
    bars = [p for p in ax.patches if p.get_gid() == "layer"]
    assert [bar.get_width() for bar in bars] == [15, 0, 8]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Linear -> (5, 3)",
        "ReLU -> (5, 3)",
        "Linear -> (5, 2)",
    ]
    assert alt_text(fig) == (
        "Parameters and output shape of each of the 3 layers, from input (5, 4) to output "
        "(5, 2); 23 parameters in all"
    )


# -- broadcasting --


def test_broadcast_plan_names_the_sizes_that_stretch():
    assert sf.broadcast_plan((3, 1), (3, 4)) == [(1, "1")]
    assert sf.broadcast_plan((4,), (3, 4)) == [(0, "missing")]
    assert sf.broadcast_plan((3, 4), (3, 4)) == []


def test_broadcast_figure_fades_the_repeated_entries_of_each_operand():
    column, row = torch.tensor([[0], [10], [20]]), torch.tensor([1, 2, 3, 4])
    fig = sf.draw_broadcast({"column": column, "row": row}, column + row)
    stretched = [p for ax in fig.axes for p in ax.patches if p.get_gid() == sf.STRETCHED_GID]
    # column: its 3 entries, 9 repeats; row: its 4 entries, 8 repeats; the result: 12 cells.
    assert len(stretched) == 9 + 8
    assert len(cells(fig)) == 3 + 4 + 12
    labels = texts(fig)
    assert {"dim 1: 1 → 4", "dim 0: missing → 3"} <= set(labels)
    assert alt_text(fig) == (
        "column (3, 1) and row (4,) broadcast to (3, 4): column (3, 1) stretched along dim 1 "
        "from size 1 to 4; row (4,) stretched along dim 0 from a missing dimension to 3"
    )


def test_broadcast_figure_refuses_shapes_torch_would_refuse_and_a_wrong_result():
    with pytest.raises(ValueError, match="do not broadcast"):
        sf.draw_broadcast({"a": torch.zeros(3, 2), "b": torch.zeros(3)}, torch.zeros(3, 2))
    with pytest.raises(ValueError, match=r"broadcast to \(3, 4\), but the result has"):
        sf.draw_broadcast({"a": torch.zeros(3, 1), "b": torch.zeros(4)}, torch.zeros(4, 3))


# -- indexing --


def test_selection_figure_tells_views_from_copies_by_their_storage():
    x = torch.arange(12).reshape(3, 4)
    mask = x > 6
    fig = sf.draw_selections(
        x,
        {
            "x[1:, ::2]": lambda t: t[1:, ::2],
            "x[[2, 0]]": lambda t: t[[2, 0]],
            "x[x > 6]": lambda t: t[mask],
        },
    )
    labels = texts(fig)
    assert "x[1:, ::2] → shape (2, 2): view (shares x's storage)" in labels
    assert "x[[2, 0]] → shape (2, 4): copy (new storage)" in labels
    assert "x[x > 6] → shape (5,): copy (new storage)" in labels
    selected = [p for ax in fig.axes for p in ax.patches if p.get_gid() == sf.SELECTED_GID]
    assert len(selected) == 4 + 8 + 5
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in selected]
    assert colours == [sf.VIEW_COLOR.lower()] * 4 + [sf.COPY_COLOR.lower()] * (8 + 5)
    assert "x[x > 6] takes the entries at (1, 3), (2, 0), (2, 1), (2, 2), (2, 3) into shape " in (
        alt_text(fig)
    )


def test_selection_figure_refuses_a_selection_that_depends_on_the_values():
    # Tens, so that the values are not the positions: t > 6 picks other entries of each.
    x = torch.arange(12).reshape(3, 4) * 10
    with pytest.raises(ValueError, match="same entries from any tensor"):
        sf.draw_selections(x, {"x[x > 6]": lambda t: t[t > 6]})


def test_reduction_figure_colours_each_sum_like_the_column_it_adds_up():
    x = torch.tensor([[1, 5, 2, 0], [4, 3, 6, 1], [2, 8, 0, 7]])
    fig = sf.draw_reduction(x, 0, x.sum(dim=0), x.sum(dim=0, keepdim=True))
    colours = [matplotlib.colors.to_hex(cell.get_facecolor()) for cell in cells(fig)]
    per_column = [colour.lower() for colour in sf.SOURCE_COLORS[:4]]
    # x row by row, each entry in its column's colour; then the (1, 4) and the (4,) result.
    assert colours == per_column * 3 + per_column + per_column
    labels = texts(fig)
    assert labels.count("16") == 2  # 5 + 3 + 8, with and without keepdim
    assert {"x.sum(dim=0, keepdim=True)", "x.sum(dim=0)", "shape (1, 4)", "shape (4,)"} <= set(
        labels
    )
    assert "dim 0 (size 3) collapses" in labels
    assert alt_text(fig) == (
        "x.sum(dim=0) on x of shape (3, 4): dimension 0, of size 3, collapses, and each result "
        "entry has the colour of the entries it combines; keepdim=True keeps it with size 1, "
        "shape (1, 4); without keepdim it disappears, shape (4,)"
    )


def test_reduction_figure_along_the_last_dim_keeps_a_column():
    x = torch.tensor([[1.0, 5.0, 2.0, 0.0], [4.0, 3.0, 6.0, 1.0]])
    fig = sf.draw_reduction(
        x, -1, x.mean(dim=-1), x.mean(dim=-1, keepdim=True), op="mean", name="scores"
    )
    colours = [matplotlib.colors.to_hex(cell.get_facecolor()) for cell in cells(fig)]
    first, second = (colour.lower() for colour in sf.SOURCE_COLORS[:2])
    assert colours == [first] * 4 + [second] * 4 + [first, second] + [first, second]
    labels = texts(fig)
    assert {"2.00", "3.50", "shape (2, 1)", "shape (2,)", "dim 1 (size 4) collapses"} <= set(labels)
    assert "scores.mean(dim=-1, keepdim=True)" in labels
    assert alt_text(fig).startswith("scores.mean(dim=-1) on scores of shape (2, 4): dimension 1")


def test_reduction_figure_checks_the_results_against_the_rule():
    x = torch.arange(6).reshape(2, 3)
    with pytest.raises(ValueError, match=r"kept has shape \(3,\), expected \(1, 3\)"):
        sf.draw_reduction(x, 0, x.sum(dim=0), x.sum(dim=0))
    with pytest.raises(ValueError, match=r"reduced has shape \(2,\), expected \(3,\)"):
        sf.draw_reduction(x, 0, x.sum(dim=1), x.sum(dim=0, keepdim=True))
    with pytest.raises(ValueError, match="different values"):
        sf.draw_reduction(x, 0, x.amax(dim=0), x.sum(dim=0, keepdim=True))
    with pytest.raises(ValueError, match="2-D"):
        sf.draw_reduction(x[0], 0, x[0].sum(), x[0].sum(dim=0, keepdim=True))
    with pytest.raises(ValueError, match="dim=2"):
        sf.draw_reduction(x, 2, x.sum(dim=0), x.sum(dim=0, keepdim=True))
