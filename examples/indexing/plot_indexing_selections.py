"""
What a slice, an index list and a mask select
=============================================

Integers and slices give a **view** of the tensor's memory; lists of indices and boolean masks
give a **copy**. The page :doc:`/indexing` proves both and shows the assignment that silently
changes nothing; the figure is drawn by
:download:`shape_figures.py </auto_examples/shape_figures.py>` from the tensors below, and
labels each result view or copy from where its storage is.
"""

# %%
# A ``(3, 4)`` tensor, and a mask computed from it before indexing.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_selections, shares_storage

x = torch.arange(12).reshape(3, 4)
mask = x > 6
print(mask)

# %%
# Three ways to index it. Only the slice shares ``x``'s storage.
print("x[1:, ::2] shares storage:", shares_storage(x[1:, ::2], x))
print("x[[2, 0]] shares storage: ", shares_storage(x[[2, 0]], x))
print("x[mask] shares storage:   ", shares_storage(x[mask], x))
fig = draw_selections(
    x,
    {
        "x[1:, ::2]": lambda t: t[1:, ::2],
        "x[[2, 0]]": lambda t: t[[2, 0]],
        "x[mask]": lambda t: t[mask],
    },
)

# %%
# Hence a write into the result reaches ``x`` only through the view. ``x[mask][0] = -1``
# writes into a copy that is then thrown away; ``x[mask] = -1`` writes into ``x``.
x[mask][0] = -1
print(x)
x[1:, ::2][0, 0] = -1
print(x)
x[mask] = -1
print(x)
plt.show()  # run as a script, the figures open in windows here
