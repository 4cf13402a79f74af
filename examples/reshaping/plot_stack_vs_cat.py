"""
Stack versus cat
================

``torch.stack`` joins tensors along a **new** dimension; ``torch.cat`` joins them along an
**existing** one. The page :doc:`/reshaping` covers both; the figure is drawn by
:download:`shape_figures.py </auto_examples/shape_figures.py>` from the tensors below, each cell
coloured by the input its value came from.
"""

# %%
# Two ``(2, 3)`` tensors with values that tell them apart.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_tensors

a = torch.arange(6).reshape(2, 3)
b = torch.arange(10, 16).reshape(2, 3)

# %%
# ``stack`` adds a dimension of size 2 in front; ``cat`` makes dimension 0 longer.
stacked = torch.stack([a, b])
concatenated = torch.cat([a, b])
print("stack:", stacked.shape)
print("cat:  ", concatenated.shape)
fig = draw_tensors(
    {"a": a, "b": b, "torch.stack([a, b])": stacked, "torch.cat([a, b])": concatenated},
    sources={"a": a, "b": b},
    title="stack adds a dimension, cat extends one",
)

# %%
# Along ``dim=1`` the same happens one level in: stack gives ``(2, 2, 3)`` with rows paired,
# cat gives ``(2, 6)`` with rows joined end to end.
stacked = torch.stack([a, b], dim=1)
concatenated = torch.cat([a, b], dim=1)
print("stack(dim=1):", stacked.shape)
print("cat(dim=1):  ", concatenated.shape)
fig = draw_tensors(
    {"torch.stack([a, b], dim=1)": stacked, "torch.cat([a, b], dim=1)": concatenated},
    sources={"a": a, "b": b},
    title="The same along dim=1",
)

# %%
# ``stack`` needs tensors of one shape; ``cat`` only needs the sizes off its dimension to agree.
try:
    torch.stack([a, torch.zeros(1, 3, dtype=a.dtype)])
except RuntimeError as error:
    print("RuntimeError:", error)
print(torch.cat([a, torch.zeros(1, 3, dtype=a.dtype)]).shape)
plt.show()  # run as a script, the figures open in windows here
