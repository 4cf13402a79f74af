"""Figures of tensor shapes, drawn from the tensors a gallery example builds.

Every size, value, stride and storage offset drawn here is read from the tensors passed in, so a
figure cannot drift from the code that made them. The gallery's examples import this one module:
``conf/conf.py`` puts ``examples/`` on ``sys.path`` for the build, and each example's downloads
carry this module's code inline (``conf/_ext/standalone_downloads.py``), so they run alone.

Each function returns a new :class:`matplotlib.figure.Figure` whose suptitle says, in words, what
the figure shows: sphinx-gallery uses a figure's titles as the image's alt text, so panel
headings are plain text artists rather than axes titles (which would be appended to the alt).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

if TYPE_CHECKING:
    from torchinfo import ModelStatistics

# The gid of every drawn tensor cell, so that tests (and readers) can find the cells of a figure.
CELL_GID = "cell"
VECTOR_GID = "vector"
# Colour-blind-safe (Okabe-Ito): sources of values, inner and outer dimensions.
SOURCE_COLORS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#0072B2")
INNER_COLOR = "#009E73"
MISMATCH_COLOR = "#D55E00"
OUTER_COLORS = ("#0072B2", "#CC79A7")
PLAIN_CELL = "#F2F2F2"
INCH_PER_CELL = 0.5
# Space between the stacked slices of a 3-D tensor, in cells.
SLICE_GAP = 0.8


def shape_text(shape: Sequence[int]) -> str:
    """A shape the way Python writes the tuple: ``(2, 3)``, ``(3,)``."""
    return repr(tuple(int(size) for size in shape))


def value_text(value: float | int | bool) -> str:
    """A tensor entry short enough for a cell: integers as they are, floats to 2 places."""
    if isinstance(value, (bool, int)):
        return str(value)
    return f"{value:.2f}"


def _cell(ax: Axes, x: float, y: float, label: str, color: str = PLAIN_CELL) -> None:
    """One unit cell with its lower left corner at (x, y) and ``label`` in the middle."""
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=color, edgecolor="#333333", gid=CELL_GID))
    ax.text(x + 0.5, y + 0.5, label, ha="center", va="center", fontsize=9)


def _fit_to_drawing(fig: Figure, ax: Axes, title: str) -> None:
    """Size the figure to the drawing (one cell = INCH_PER_CELL) plus room for the suptitle,
    and let the axes fill it, so nothing is cut off and no margin is wasted."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    width, height = (x1 - x0) * INCH_PER_CELL, (y1 - y0) * INCH_PER_CELL
    # About 0.075 inch a character at 9 points, 0.17 inch a line.
    title_height = 0.25 + 0.17 * math.ceil(len(title) * 0.075 / width)
    fig.set_size_inches(width, height + title_height)
    ax.set_position((0, 0, 1, height / (height + title_height)))
    fig.suptitle(title, fontsize=9, wrap=True)


def _as_slices(tensor: torch.Tensor) -> torch.Tensor:
    """The tensor as (slices, rows, columns): 1-D is one row, 2-D one grid, 3-D a stack."""
    if not 1 <= tensor.ndim <= 3:
        shape = shape_text(tensor.shape)
        raise ValueError(f"can draw tensors of 1 to 3 dimensions, got shape {shape}")
    return tensor.reshape((1,) * (3 - tensor.ndim) + tuple(tensor.shape))


def _describe_layout(tensor: torch.Tensor) -> str:
    shape = tuple(tensor.shape)
    if tensor.ndim == 1:
        return f"one row of {shape[0]}"
    if tensor.ndim == 2:
        return f"one {shape[0]} x {shape[1]} grid"
    if shape[0] == 1:
        return f"a stack of one {shape[1]} x {shape[2]} grid"
    return f"{shape[0]} stacked {shape[1]} x {shape[2]} grids"


def _source_color(value: torch.Tensor, sources: Mapping[str, torch.Tensor]) -> str:
    for color, source in zip(SOURCE_COLORS, sources.values(), strict=False):
        if bool(torch.isin(value, source)):
            return color
    return PLAIN_CELL


def draw_tensors(
    tensors: Mapping[str, torch.Tensor],
    *,
    sources: Mapping[str, torch.Tensor] | None = None,
    title: str | None = None,
) -> Figure:
    """Draw each tensor as grids of its values, one panel per tensor, side by side.

    A 3-D tensor of shape (d0, d1, d2) is drawn as d0 grids of d1 x d2 cells stacked top to
    bottom, each labelled with its index along dimension 0; every dimension is labelled with its
    size. ``sources`` colours each cell by the tensor (of those given) that holds its value, to
    show where the entries of a result came from. ``title`` starts the suptitle (the alt text).
    """
    sources = dict(sources or {})
    shapes = [tuple(int(size) for size in _as_slices(t).shape) for t in tensors.values()]
    # In cells: the grid plus room for the dimension labels and the heading.
    widths = [cols + 3.4 for _, _, cols in shapes]
    heights = [depth * (rows + SLICE_GAP) + 1.8 for depth, rows, _ in shapes]
    fig, axes = plt.subplots(
        1,
        len(tensors),
        figsize=(INCH_PER_CELL * sum(widths), INCH_PER_CELL * max(heights) + 0.6),
        width_ratios=widths,
        squeeze=False,
    )
    for ax, (name, tensor) in zip(axes[0], tensors.items(), strict=True):
        slices = _as_slices(tensor.detach().cpu())
        depth, rows, cols = (int(size) for size in slices.shape)
        for k in range(depth):
            top = -k * (rows + SLICE_GAP)
            for i, j in itertools.product(range(rows), range(cols)):
                value = slices[k, i, j]
                color = _source_color(value, sources) if sources else PLAIN_CELL
                _cell(ax, j, top - i - 1, value_text(value.item()), color)
            if tensor.ndim == 3:
                ax.text(-0.15, top - rows / 2, f"[{k}]", ha="right", va="center", fontsize=9)
        bottom = -depth * (rows + SLICE_GAP) + SLICE_GAP
        last, second_last = tensor.ndim - 1, tensor.ndim - 2
        ax.text(cols / 2, 0.25, f"dim {last}: size {cols}", ha="center", va="bottom", fontsize=8)
        if tensor.ndim >= 2:
            ax.text(
                cols + 0.2,
                -rows / 2,
                f"dim {second_last}: size {rows}",
                rotation=-90,
                ha="left",
                va="center",
                fontsize=8,
            )
        if tensor.ndim == 3:
            ax.text(
                -1.0,
                bottom / 2,
                f"dim 0: size {depth}",
                rotation=90,
                ha="right",
                va="center",
                fontsize=8,
            )
        ax.text(
            cols / 2,
            1.0,
            f"{name}  shape {shape_text(tensor.shape)}",
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
        )
        ax.set_xlim(-2.2, cols + 1.2)
        ax.set_ylim(bottom - 0.3, 1.6)
        ax.set_aspect("equal")
        ax.axis("off")
    if sources:
        handles = [
            Rectangle((0, 0), 1, 1, facecolor=color, edgecolor="#333333", label=f"values of {n}")
            for color, n in zip(SOURCE_COLORS, sources, strict=False)
        ]
        fig.legend(handles=handles, loc="lower center", ncols=len(handles), frameon=False)
    described = "; ".join(
        f"{name}, shape {shape_text(t.shape)}, as {_describe_layout(t)}"
        for name, t in tensors.items()
    )
    fig.suptitle(f"{title + ': ' if title else ''}{described}", fontsize=9, wrap=True)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.08 if sources else 0.01, top=0.86)
    return fig


def draw_matmul(
    a: torch.Tensor,
    b: torch.Tensor,
    product: torch.Tensor | None,
    names: tuple[str, str] = ("A", "B"),
) -> Figure:
    """Draw ``a @ b`` for 2-D operands: the inner sizes that must match, the outer that remain.

    ``a`` is drawn left of the result and ``b`` above it, so ``a``'s columns meet ``b``'s rows.
    ``product`` is the tensor the example computed (its shape is checked against the rule), or
    None when the inner sizes differ and there is no product to draw.
    """
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(
            f"draw_matmul draws 2-D operands, got {shape_text(a.shape)} and {shape_text(b.shape)}"
        )
    name_a, name_b = names
    (n, k_a), (k_b, m) = (tuple(int(s) for s in t.shape) for t in (a, b))
    match = k_a == k_b
    if match != (product is not None):
        raise ValueError("pass the product exactly when the inner sizes match")
    if product is not None and tuple(product.shape) != (n, m):
        raise ValueError(f"product has shape {shape_text(product.shape)}, expected {(n, m)}")
    inner = INNER_COLOR if match else MISMATCH_COLOR
    gap = 1.2
    fig, ax = plt.subplots()

    def matrix(x: float, y: float, rows: int, cols: int, label: str, fill: str) -> None:
        for i, j in itertools.product(range(rows), range(cols)):
            ax.add_patch(
                Rectangle((x + j, y - i - 1), 1, 1, facecolor=fill, edgecolor="white", gid=CELL_GID)
            )
        ax.add_patch(Rectangle((x, y - rows), cols, rows, fill=False, edgecolor="#333333", lw=1.5))
        ax.text(
            x + cols / 2,
            y - rows / 2,
            label,
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
        )

    def edge_label(x: float, y: float, text: str, color: str, vertical: bool = False) -> None:
        ax.text(
            x,
            y,
            text,
            color=color,
            fontsize=9,
            fontweight="bold",
            ha="center",
            va="center",
            rotation=90 if vertical else 0,
        )

    result_x = k_a + gap
    # a: n rows x k_a columns, left of the result.
    matrix(0, 0, n, k_a, f"{name_a}\n{shape_text(a.shape)}", "#D9D9D9")
    edge_label(k_a / 2, 0.45, f"{name_a}.shape[1] = {k_a}", inner)
    edge_label(-0.45, -n / 2, f"{name_a}.shape[0] = {n}", OUTER_COLORS[0], vertical=True)
    # b: k_b rows x m columns, above the result.
    b_top = gap + k_b
    matrix(result_x, b_top, k_b, m, f"{name_b}\n{shape_text(b.shape)}", "#D9D9D9")
    edge_label(result_x - 0.45, b_top - k_b / 2, f"{name_b}.shape[0] = {k_b}", inner, True)
    edge_label(result_x + m / 2, b_top + 0.45, f"{name_b}.shape[1] = {m}", OUTER_COLORS[1])
    if product is not None:
        matrix(result_x, 0, n, m, f"{name_a} @ {name_b}\n{shape_text(product.shape)}", "#CFE8F3")
        verdict = (
            f"{name_a} {shape_text(a.shape)} @ {name_b} {shape_text(b.shape)} gives "
            f"{shape_text(product.shape)}: the inner sizes {k_a} and {k_b} match, "
            f"the outer sizes {n} and {m} form the result"
        )
    else:
        ax.add_patch(Rectangle((result_x, -n), m, n, fill=False, hatch="//", edgecolor=inner))
        ax.text(
            result_x + m / 2,
            -n / 2,
            f"no product\n{k_a} != {k_b}",
            ha="center",
            va="center",
            color=inner,
            fontsize=10,
            fontweight="bold",
            bbox={"facecolor": "white", "edgecolor": "none"},
        )
        verdict = (
            f"{name_a} {shape_text(a.shape)} @ {name_b} {shape_text(b.shape)} cannot be "
            f"multiplied: the inner sizes {k_a} and {k_b} differ"
        )
    ax.set_xlim(-1.2, max(result_x + m + 0.5, 5.5))
    ax.set_ylim(-n - 0.5, b_top + 1.0)
    ax.axis("off")
    _fit_to_drawing(fig, ax, verdict)
    return fig


def draw_unit_vectors(vectors: torch.Tensor, unit_vectors: torch.Tensor) -> Figure:
    """Draw 2-D vectors (rows of an (n, 2) tensor) before and after normalising, with the unit
    circle; each arrow is labelled with its length, computed here from the tensor itself."""
    for t in (vectors, unit_vectors):
        if t.ndim != 2 or t.shape[1] != 2:
            shape = shape_text(t.shape)
            raise ValueError(f"expected vectors as rows of an (n, 2) tensor, got {shape}")
    if vectors.shape != unit_vectors.shape:
        raise ValueError("vectors and unit_vectors must have the same shape")
    panels = {"before": vectors.detach().cpu(), "after normalising": unit_vectors.detach().cpu()}
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
    lengths = {}
    for ax, (heading, vecs) in zip(axes, panels.items(), strict=True):
        norms = torch.linalg.vector_norm(vecs, dim=-1)
        lengths[heading] = ", ".join(f"{float(v):.2f}" for v in norms)
        reach = max(1.0, float(norms.max())) * 1.3
        ax.add_patch(Circle((0, 0), 1.0, fill=False, linestyle="--", edgecolor="#777777"))
        for color, vec, norm in zip(itertools.cycle(SOURCE_COLORS), vecs, norms, strict=False):
            x, y = float(vec[0]), float(vec[1])
            ax.add_patch(
                FancyArrowPatch(
                    (0, 0),
                    (x, y),
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color=color,
                    lw=2,
                    gid=VECTOR_GID,
                )
            )
            ax.text(
                x * 1.12,
                y * 1.12,
                f"{float(norm):.2f}",
                ha="center",
                va="center",
                fontsize=8,
                color="#222222",
            )
        ax.text(
            0.5,
            1.02,
            f"{heading}: lengths {lengths[heading]}",
            ha="center",
            va="bottom",
            fontsize=9,
            transform=ax.transAxes,
        )
        ax.set_xlim(-reach, reach)
        ax.set_ylim(-reach, reach)
        ax.set_aspect("equal")
        ax.axhline(0, color="#BBBBBB", lw=0.8)
        ax.axvline(0, color="#BBBBBB", lw=0.8)
    fig.suptitle(
        f"{len(vectors)} two-dimensional vectors with the unit circle (dashed): lengths "
        f"{lengths['before']} before normalising, {lengths['after normalising']} after",
        fontsize=9,
        wrap=True,
    )
    return fig


def storage_offsets(tensor: torch.Tensor) -> list[int]:
    """The storage index of each entry, taken in the order the entries are printed."""
    ranges = [range(int(size)) for size in tensor.shape]
    return [
        tensor.storage_offset() + sum(i * s for i, s in zip(index, tensor.stride(), strict=True))
        for index in itertools.product(*ranges)
    ]


def draw_memory_layouts(tensors: Mapping[str, torch.Tensor]) -> Figure:
    """For each 2-D tensor: its values as printed, and under them the storage they live in.

    Each printed entry is labelled with its storage index; arrows over the storage strip follow
    the entries in printed order, so a contiguous tensor walks it left to right in single steps
    and a permuted view jumps. Tensors sharing a storage get the same storage letter.
    """
    letters: dict[int, str] = {}
    rows_of_panels = []
    for name, tensor in tensors.items():
        if tensor.ndim != 2:
            raise ValueError(f"draw_memory_layouts draws 2-D tensors, {name} has {tensor.ndim}")
        pointer = tensor.untyped_storage().data_ptr()
        letters.setdefault(pointer, "ABCDEFGH"[len(letters)])
        rows_of_panels.append((name, tensor.detach(), letters[pointer]))
    widest = max(t.untyped_storage().nbytes() // t.element_size() for t in tensors.values())
    cols = max(int(t.shape[1]) for t in tensors.values())
    fig, ax = plt.subplots()
    described = []
    top = 0.0
    strip_x = cols + 2.5
    for name, tensor, letter in rows_of_panels:
        rows, width = (int(s) for s in tensor.shape)
        offsets = storage_offsets(tensor)
        storage_size = tensor.untyped_storage().nbytes() // tensor.element_size()
        storage = torch.as_strided(tensor, (storage_size,), (1,), 0)
        heading = (
            f"{name}: shape {shape_text(tensor.shape)}, stride {shape_text(tensor.stride())}, "
            f"{'contiguous' if tensor.is_contiguous() else 'not contiguous'}, storage {letter}"
        )
        ax.text(0, top, heading, ha="left", va="bottom", fontsize=9, fontweight="bold")
        positions = itertools.product(range(rows), range(width))
        for (i, j), offset in zip(positions, offsets, strict=True):
            _cell(ax, j, top - 1.2 - i, value_text(tensor[i, j].item()), SOURCE_COLORS[0])
            ax.text(
                j + 0.95,
                top - 1.2 - i + 0.05,
                f"@{offset}",
                ha="right",
                va="bottom",
                fontsize=6,
                color="#333333",
            )
        strip_y = top - 1.2 - rows / 2 - 0.5
        ax.text(
            strip_x - 0.2, strip_y + 0.5, f"storage {letter}", ha="right", va="center", fontsize=8
        )
        for index, value in enumerate(storage.tolist()):
            _cell(ax, strip_x + index, strip_y, value_text(value), SOURCE_COLORS[1])
            ax.text(
                strip_x + index + 0.5, strip_y - 0.15, str(index), ha="center", va="top", fontsize=6
            )
        for start, end in itertools.pairwise(offsets):
            ax.add_patch(
                FancyArrowPatch(
                    (strip_x + start + 0.5, strip_y + 1),
                    (strip_x + end + 0.5, strip_y + 1),
                    # arc3's bend is relative to the direction of travel: keep every arc above.
                    connectionstyle=f"arc3,rad={-0.5 if end > start else 0.5}",
                    arrowstyle="-|>",
                    mutation_scale=8,
                    color="#333333",
                    lw=0.8,
                )
            )
        described.append(
            f"{name}, shape {shape_text(tensor.shape)}, stride {shape_text(tensor.stride())}, "
            f"storage {letter}, read in the order {', '.join(map(str, offsets))}"
        )
        top -= rows + 2.6
    # Wide enough for the longest heading: about 0.16 cell a character in 9-point bold.
    longest_heading = max(len(text.get_text()) for text in ax.texts)
    ax.set_xlim(-0.3, max(strip_x + widest + 0.3, 0.16 * longest_heading))
    ax.set_ylim(top + 0.8, 0.8)
    ax.axis("off")
    _fit_to_drawing(fig, ax, "Memory order: " + "; ".join(described))
    return fig


def draw_layer_shapes(stats: ModelStatistics) -> Figure:
    """One bar per layer of a ``torchinfo.summary`` result: its parameter count, labelled with
    the layer and the shape it outputs, top to bottom in the order the forward pass ran them."""
    layers = [layer for layer in stats.summary_list if layer.is_leaf_layer and layer.executed]
    if not layers:
        raise ValueError("the summary lists no executed layer")
    labels = [f"{layer.class_name} -> {shape_text(layer.output_size)}" for layer in layers]
    counts = [layer.num_params for layer in layers]
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(layers) + 1.4))
    positions = range(len(layers))
    ax.barh(positions, counts, color=SOURCE_COLORS[0], gid="layer")
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("parameters")
    for position, count in zip(positions, counts, strict=True):
        ax.text(count, position, f" {count:,}", va="center", fontsize=7)
    ax.set_xlim(0, max(max(counts), 1) * 1.18)
    fig.suptitle(
        f"Parameters and output shape of each of the {len(layers)} layers, from input "
        f"{shape_text(layers[0].input_size)} to output {shape_text(layers[-1].output_size)}; "
        f"{stats.total_params:,} parameters in all",
        fontsize=9,
        wrap=True,
    )
    fig.tight_layout()
    return fig
