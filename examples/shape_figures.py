"""Figures of tensor shapes, drawn from the tensors a gallery example builds.

Every size, value, stride and storage offset drawn here is read from the tensors passed in, so a
figure cannot drift from the code that made them. The gallery's examples import this one module:
``conf/conf.py`` puts ``examples/`` on ``sys.path`` for the build, and each example's downloads
carry this module's code inline (``conf/fundamentals_site/standalone_downloads.py``), so they run
alone.

Each function returns a new :class:`matplotlib.figure.Figure` whose suptitle says, in words, what
the figure shows: sphinx-gallery uses a figure's titles as the image's alt text, so panel
headings are plain text artists rather than axes titles (which would be appended to the alt).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
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


def _label(
    ax: Axes,
    x: float,
    y: float,
    text: str,
    *,
    size: float = 9,
    ha: str = "center",
    va: str = "center",
    bold: bool = False,
    **style,
) -> None:
    """Write ``text`` at (x, y), centred on it unless ``ha``/``va`` say otherwise; ``style``
    is passed on to matplotlib (``color``, ``rotation``, ``transform``...)."""
    if bold:
        style["fontweight"] = "bold"
    ax.text(x, y, text, ha=ha, va=va, fontsize=size, **style)


def _cell(ax: Axes, x: float, y: float, label: str, color: str = PLAIN_CELL) -> None:
    """One unit cell with its lower left corner at (x, y) and ``label`` in the middle."""
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=color, edgecolor="#333333", gid=CELL_GID))
    _label(ax, x + 0.5, y + 0.5, label)


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
                _label(ax, -0.15, top - rows / 2, f"[{k}]", ha="right")
        bottom = -depth * (rows + SLICE_GAP) + SLICE_GAP
        last, second_last = tensor.ndim - 1, tensor.ndim - 2
        _label(ax, cols / 2, 0.25, f"dim {last}: size {cols}", size=8, va="bottom")
        if tensor.ndim >= 2:
            _label(
                ax, cols + 0.2, -rows / 2, f"dim {second_last}: size {rows}",
                size=8, ha="left", rotation=-90,
            )  # fmt: skip
        if tensor.ndim == 3:
            _label(ax, -1.0, bottom / 2, f"dim 0: size {depth}", size=8, ha="right", rotation=90)
        heading = f"{name}  shape {shape_text(tensor.shape)}"
        _label(ax, cols / 2, 1.0, heading, size=10, va="bottom", bold=True)
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
        _label(ax, x + cols / 2, y - rows / 2, label, size=10, bold=True)

    def edge_label(x: float, y: float, text: str, color: str, vertical: bool = False) -> None:
        _label(ax, x, y, text, bold=True, color=color, rotation=90 if vertical else 0)

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
        _label(
            ax, result_x + m / 2, -n / 2, f"no product\n{k_a} != {k_b}", size=10, bold=True,
            color=inner, bbox={"facecolor": "white", "edgecolor": "none"},
        )  # fmt: skip
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
            _label(ax, x * 1.12, y * 1.12, f"{float(norm):.2f}", size=8, color="#222222")
        _label(
            ax, 0.5, 1.02, f"{heading}: lengths {lengths[heading]}",
            va="bottom", transform=ax.transAxes,
        )  # fmt: skip
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
        _label(ax, 0, top, heading, ha="left", va="bottom", bold=True)
        positions = itertools.product(range(rows), range(width))
        for (i, j), offset in zip(positions, offsets, strict=True):
            _cell(ax, j, top - 1.2 - i, value_text(tensor[i, j].item()), SOURCE_COLORS[0])
            _label(
                ax, j + 0.95, top - 1.2 - i + 0.05, f"@{offset}",
                size=6, ha="right", va="bottom", color="#333333",
            )  # fmt: skip
        strip_y = top - 1.2 - rows / 2 - 0.5
        _label(ax, strip_x - 0.2, strip_y + 0.5, f"storage {letter}", size=8, ha="right")
        for index, value in enumerate(storage.tolist()):
            _cell(ax, strip_x + index, strip_y, value_text(value), SOURCE_COLORS[1])
            _label(ax, strip_x + index + 0.5, strip_y - 0.15, str(index), size=6, va="top")
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
        _label(ax, count, position, f" {count:,}", size=7, ha="left")
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


# -- broadcasting --

# The gid of a drawn cell that is not an entry of the operand but a repeat of one (a stretched
# size), and the fading of its colour.
STRETCHED_GID = "stretched"
STRETCHED_ALPHA = 0.35


def broadcast_plan(shape: Sequence[int], result_shape: Sequence[int]) -> list[tuple[int, str]]:
    """The dimensions of ``result_shape`` along which an operand of ``shape`` is stretched,
    each with what the operand has there: ``"1"`` or ``"missing"`` (shapes aligned from the
    right). A dimension where the operand already has the result's size is not listed."""
    missing = len(result_shape) - len(shape)
    plan = []
    for dim, size in enumerate(result_shape):
        own = int(shape[dim - missing]) if dim >= missing else None
        if own != int(size):
            plan.append((dim, "missing" if own is None else str(own)))
    return plan


def _aligned_sizes(shape: Sequence[int], ndim: int) -> str:
    """A shape right-aligned in columns of 4 characters, ``-`` where a dimension is missing."""
    sizes = ["-"] * (ndim - len(shape)) + [str(int(s)) for s in shape]
    return "".join(f"{size:>4}" for size in sizes)


def draw_broadcast(
    operands: Mapping[str, torch.Tensor],
    result: torch.Tensor,
    *,
    result_name: str = "result",
    title: str | None = None,
) -> Figure:
    """Draw how operands of up to 2 dimensions broadcast to ``result``'s shape.

    Each operand is drawn at the result's shape: its own entries in full colour, the entries
    that are repeats of them (along a size of 1, or a missing dimension) faded and hatched.
    Under the panels the shapes are written aligned from the right, as the rule compares
    them. The shapes are checked with ``torch.broadcast_shapes``, so a figure cannot show a
    broadcast torch would refuse.
    """
    shapes = {name: tuple(int(s) for s in t.shape) for name, t in operands.items()}
    result_shape = tuple(int(s) for s in result.shape)
    if not 1 <= len(result_shape) <= 2 or any(len(s) > 2 for s in shapes.values()):
        raise ValueError("draw_broadcast draws operands and results of at most 2 dimensions")
    try:
        expected = tuple(torch.broadcast_shapes(*shapes.values()))
    except RuntimeError as error:
        raise ValueError(f"the shapes do not broadcast: {error}") from None
    if expected != result_shape:
        raise ValueError(
            f"the shapes broadcast to {shape_text(expected)}, "
            f"but the result has shape {shape_text(result_shape)}"
        )
    rows, cols = (1, *result_shape)[-2:]
    fig, ax = plt.subplots()
    left = 0.0
    described = []
    panels = [*operands.items(), (result_name, result)]
    for k, (name, tensor) in enumerate(panels):
        is_result = k == len(operands)
        plan = [] if is_result else broadcast_plan(tensor.shape, result_shape)
        stretched_dims = {dim for dim, _ in plan}
        grid = tensor.detach().cpu().expand(result_shape).reshape(rows, cols)
        color = PLAIN_CELL if is_result else SOURCE_COLORS[k % len(SOURCE_COLORS)]
        for i, j in itertools.product(range(rows), range(cols)):
            index = (i, j)[-len(result_shape) :]
            label = value_text(grid[i, j].item())
            if all(index[dim] == 0 for dim in stretched_dims):
                _cell(ax, left + j, -i - 1, label, color)
            else:
                ax.add_patch(
                    Rectangle(
                        (left + j, -i - 1),
                        1,
                        1,
                        facecolor=color,
                        alpha=STRETCHED_ALPHA,
                        hatch="//",
                        edgecolor="#333333",
                        gid=STRETCHED_GID,
                    )
                )
                ax.text(left + j + 0.5, -i - 0.5, label, ha="center", va="center", fontsize=9)
        stretch_text = (
            ", ".join(f"dim {dim}: {had} → {result_shape[dim]}" for dim, had in plan)
            if plan
            else ("the broadcast shape" if is_result else "nothing stretched")
        )
        heading = f"{name}  {shape_text(tensor.shape)}"
        ax.text(left, 0.9, heading, ha="left", va="bottom", fontsize=10, fontweight="bold")
        ax.text(left, 0.2, stretch_text, ha="left", va="bottom", fontsize=8)
        if not is_result:
            stretched = (
                "; ".join(
                    f"stretched along dim {dim} from "
                    f"{'a missing dimension' if had == 'missing' else 'size ' + had} "
                    f"to {result_shape[dim]}"
                    for dim, had in plan
                )
                or "not stretched"
            )
            described.append(f"{name} {shape_text(tensor.shape)} {stretched}")
        longest = max(len(heading), len(stretch_text)) * 0.16
        left += max(cols, longest) + 1.2
    width = max(len(name) for name, _ in panels)
    lines = ["shapes aligned from the right:"] + [
        f"{name:<{width}} {_aligned_sizes(t.shape, len(result_shape))}" for name, t in panels
    ]
    ax.text(0, -rows - 0.6, "\n".join(lines), ha="left", va="top", fontsize=9, family="monospace")
    ax.set_xlim(-0.3, max(left - 0.9, 0.2 * max(map(len, lines))))
    ax.set_ylim(-rows - 1.0 - 0.5 * len(lines), 2.0)
    ax.axis("off")
    verdict = (
        f"{' and '.join(f'{n} {shape_text(s)}' for n, s in shapes.items())} broadcast to "
        f"{shape_text(result_shape)}: " + "; ".join(described)
    )
    _fit_to_drawing(fig, ax, f"{title}: {verdict}" if title else verdict)
    return fig


# -- indexing --

SELECTED_GID = "selected"
VIEW_COLOR, COPY_COLOR = SOURCE_COLORS[0], SOURCE_COLORS[1]


def shares_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether two tensors are over the same storage: a view, not a copy."""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def draw_selections(
    source: torch.Tensor,
    selections: Mapping[str, Callable[[torch.Tensor], torch.Tensor]],
    *,
    source_name: str = "x",
) -> Figure:
    """For each way of indexing a 2-D ``source``: which of its entries are selected, the result,
    and whether the result is a view or a copy.

    Each selection is a function that indexes the tensor it is given, such as
    ``lambda t: t[1:, ::2]``; a mask must be computed beforehand (``lambda t: t[mask]``), so
    that the same entries are selected whatever the values. The function is applied to
    ``source`` for the result, whose storage decides "view" or "copy", and to a tensor of
    positions for which entries it took.
    """
    if source.ndim != 2:
        raise ValueError(f"draw_selections draws a 2-D source, got {source.ndim} dimensions")
    rows, cols = (int(s) for s in source.shape)
    positions = torch.arange(source.numel(), device=source.device).reshape(source.shape)
    flat_values = source.detach().reshape(-1)
    fig, ax = plt.subplots()
    top = 0.0
    right = float(cols)
    described = []
    for name, select in selections.items():
        result = select(source)
        taken = select(positions)
        if result.ndim > 2 or not torch.equal(result.detach(), flat_values[taken]):
            raise ValueError(f"{name}: select must pick the same entries from any tensor")
        view = shares_storage(result, source)
        color = VIEW_COLOR if view else COPY_COLOR
        kind = f"view (shares {source_name}'s storage)" if view else "copy (new storage)"
        heading = f"{name} → shape {shape_text(result.shape)}: {kind}"
        ax.text(0, top, heading, ha="left", va="bottom", fontsize=9, fontweight="bold")
        chosen = set(taken.reshape(-1).tolist())
        for i, j in itertools.product(range(rows), range(cols)):
            label = value_text(source[i, j].item())
            if i * cols + j in chosen:
                ax.add_patch(
                    Rectangle(
                        (j, top - 1.2 - i),
                        1,
                        1,
                        facecolor=color,
                        edgecolor="#333333",
                        lw=2,
                        gid=SELECTED_GID,
                    )
                )
                ax.text(j + 0.5, top - 0.7 - i, label, ha="center", va="center", fontsize=9)
            else:
                _cell(ax, j, top - 1.2 - i, label)
        shown = result.detach().cpu().reshape((1,) * (2 - result.ndim) + tuple(result.shape))
        out_left = cols + 1.5
        ax.text(out_left - 0.6, top - 1.2 - rows / 2 + 1, "→", ha="center", va="center")
        for i, j in itertools.product(range(shown.shape[0]), range(shown.shape[1])):
            _cell(ax, out_left + j, top - 1.2 - i, value_text(shown[i, j].item()), color)
        right = max(right, out_left + int(shown.shape[1]))
        where = ", ".join(f"({p // cols}, {p % cols})" for p in taken.reshape(-1).tolist())
        described.append(
            f"{name} takes the entries at {where} into shape {shape_text(result.shape)}, "
            f"a {'view' if view else 'copy'}"
        )
        top -= max(rows, int(shown.shape[0])) + 2.0
    # Wide enough for the longest heading: about 0.16 cell a character in 9-point bold.
    longest = max(len(t.get_text()) for t in ax.texts)
    ax.set_xlim(-0.3, max(right + 0.3, 0.16 * longest))
    ax.set_ylim(top + 0.8, 0.8)
    ax.axis("off")
    summary = f"Indexing {source_name} {shape_text(source.shape)}: " + "; ".join(described)
    _fit_to_drawing(fig, ax, summary)
    return fig


# -- reductions --


def draw_reduction(
    x: torch.Tensor,
    dim: int,
    reduced: torch.Tensor,
    kept: torch.Tensor,
    op: str = "sum",
    name: str = "x",
) -> Figure:
    """Draw a reduction of a 2-D tensor along ``dim``, with and without ``keepdim``.

    Left, ``x``: the entries that collapse into one entry of the result share a colour, and an
    arrow runs along the dimension that is used up. Then ``kept``, the result computed with
    ``keepdim=True`` (the dimension still there, with size 1), and ``reduced``, the result
    computed without it (the dimension gone), each entry in the colour of the entries it came
    from. Both results are the tensors the example computed: their shapes are checked against
    the rule, and they must hold the same values.
    """
    if x.ndim != 2:
        raise ValueError(f"draw_reduction draws a 2-D tensor, got shape {shape_text(x.shape)}")
    if not -2 <= dim <= 1:
        raise ValueError(f"a 2-D tensor has dimensions -2 to 1, got dim={dim}")
    axis = dim % 2
    rows, cols = (int(size) for size in x.shape)
    expected_kept = (1, cols) if axis == 0 else (rows, 1)
    expected_reduced = (cols,) if axis == 0 else (rows,)
    for label, result, expected in (
        ("kept", kept, expected_kept),
        ("reduced", reduced, expected_reduced),
    ):
        if tuple(result.shape) != expected:
            raise ValueError(
                f"{label} has shape {shape_text(result.shape)}, expected {shape_text(expected)} "
                f"for a reduction of {shape_text(x.shape)} along dim={dim}"
            )
    x, kept, reduced = (t.detach().cpu() for t in (x, kept, reduced))
    if not torch.equal(kept.reshape(-1), reduced):
        raise ValueError("kept and reduced hold different values")

    def color(group: int) -> str:
        return SOURCE_COLORS[group % len(SOURCE_COLORS)]

    call = f"{name}.{op}(dim={dim}"
    # Each panel: heading, the shape it shows, its entries as a grid, and the group of entry
    # (i, j) of that grid: the index, along the dimension that remains, of the result entry it
    # belongs to (for a result, its own index).
    panels = [
        (name, x.shape, x, (lambda i, j: j) if axis == 0 else (lambda i, j: i)),
        (f"{call}, keepdim=True)", kept.shape, kept, lambda i, j: i + j),
        (f"{call})", reduced.shape, reduced.reshape(1, -1), lambda i, j: j),
    ]
    fig, ax = plt.subplots()
    # Room left of x for the arrow along dim 0 and its label.
    left = 1.6
    origins = []
    for heading, shape, grid, group in panels:
        grid_rows, grid_cols = (int(size) for size in grid.shape)
        # About 0.16 cell a character of a 9-point heading.
        width = max(grid_cols, 0.16 * len(heading))
        x0 = left + (width - grid_cols) / 2
        origins.append(x0)
        for i, j in itertools.product(range(grid_rows), range(grid_cols)):
            _cell(ax, x0 + j, -i - 1, value_text(grid[i, j].item()), color(group(i, j)))
        ax.text(x0 + grid_cols / 2, 0.75, heading, ha="center", va="bottom", fontsize=9)
        ax.text(
            x0 + grid_cols / 2,
            0.2,
            f"shape {shape_text(shape)}",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        left += width + 1.5
    # The arrow along the dimension that collapses, beside x.
    x0 = origins[0]
    along = f"dim {axis} (size {x.shape[axis]}) collapses"
    if axis == 0:
        start, end = (x0 - 0.5, -0.15), (x0 - 0.5, -rows + 0.15)
        ax.text(x0 - 0.8, -rows / 2, along, rotation=90, ha="right", va="center", fontsize=8)
        bottom = -rows - 0.3
    else:
        start, end = (x0 + 0.15, -rows - 0.4), (x0 + cols - 0.15, -rows - 0.4)
        ax.text(x0 + cols / 2, -rows - 0.7, along, ha="center", va="top", fontsize=8)
        bottom = -rows - 1.3
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color="#333333"))
    ax.set_xlim(-0.2, left - 1.2)
    ax.set_ylim(bottom, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    _fit_to_drawing(
        fig,
        ax,
        f"{call}) on {name} of shape {shape_text(x.shape)}: dimension {axis}, of size "
        f"{x.shape[axis]}, collapses, and each result entry has the colour of the entries it "
        f"combines; keepdim=True keeps it with size 1, shape {shape_text(kept.shape)}; "
        f"without keepdim it disappears, shape {shape_text(reduced.shape)}",
    )
    return fig
