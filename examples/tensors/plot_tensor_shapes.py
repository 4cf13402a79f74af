"""
Tensor shapes drawn as grids
============================

The two tensors of the notes, drawn from the tensors themselves: ``(1, 2, 3)`` is **one**
2 x 3 grid, ``(2, 2, 2)`` is **two** 2 x 2 grids. The page :doc:`/shapes` explains how to read
a shape and :doc:`/tensors` how to make one; the figure is drawn by
:download:`shape_figures.py </auto_examples/shape_figures.py>`
(save it next to this script to run it).
"""

# %%
# Three opening brackets make three dimensions. Read the sizes from the outside in.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_tensors

a = torch.tensor([[[1, 2, 3], [4, 5, 6]]])
b = torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
print("a:", a.shape, "ndim", a.ndim)
print("b:", b.shape, "ndim", b.ndim)

# %%
# Each tensor is drawn as its slices along dimension 0, stacked top to bottom: ``a`` has one
# slice, ``b`` has two. The size of every dimension is written beside the grid it measures.
fig = draw_tensors({"a": a, "b": b})

# %%
# Indexing dimension 0 takes out one slice, and the shape loses its first entry.
print("a[0]:", a[0].shape)
print("b[1]:", b[1].shape)
fig = draw_tensors({"a[0]": a[0], "b[1]": b[1]}, title="One slice each, taken out by indexing")
plt.show()  # run as a script, the figures open in windows here
