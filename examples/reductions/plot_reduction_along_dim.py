"""
A reduction along a dimension
=============================

A reduction such as ``sum`` along ``dim`` combines the entries that differ only in their index
along that dimension, so that dimension disappears from the shape; with ``keepdim=True`` it
stays, with size 1. The page :doc:`/reductions` states the rule and the other reductions; the
figures are drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from the
tensors below, each entry of a result in the colour of the entries it combines.
"""

# %%
# A ``(3, 4)`` tensor of small whole numbers, so that every sum can be checked by eye.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_reduction

x = torch.tensor([[1, 5, 2, 0], [4, 3, 6, 1], [2, 8, 0, 7]])
print(x.shape)

# %%
# ``dim=0`` runs down the 3 rows: dimension 0 disappears and one sum per column is left, shape
# ``(4,)``; with ``keepdim=True`` the sums form a ``(1, 4)`` row.
column_sums = x.sum(dim=0)
column_sums_kept = x.sum(dim=0, keepdim=True)
print(column_sums, column_sums.shape)
print(column_sums_kept.shape)
fig = draw_reduction(x, 0, column_sums, column_sums_kept)

# %%
# ``dim=1`` runs along the 4 columns: one sum per row, shape ``(3,)``; with ``keepdim=True`` a
# ``(3, 1)`` column, which broadcasts against ``x`` to divide each row by its sum.
row_sums = x.sum(dim=1)
row_sums_kept = x.sum(dim=1, keepdim=True)
print(row_sums, row_sums.shape)
print(row_sums_kept.shape)
print((x / row_sums_kept).sum(dim=1))
fig = draw_reduction(x, 1, row_sums, row_sums_kept)
plt.show()  # run as a script, the figures open in windows here
