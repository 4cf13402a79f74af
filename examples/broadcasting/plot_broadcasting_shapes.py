"""
Which sizes stretch when shapes broadcast
=========================================

Shapes are compared from the right; a size of 1, or a missing dimension, is stretched to the
other operand's size. The page :doc:`/broadcasting` states the rule and its pitfalls; the
figures are drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from the
tensors below, each operand's own entries in full colour and the repeats broadcasting makes
of them faded.
"""

# %%
# A column of shape ``(3, 1)`` and a row of shape ``(4,)``: the column stretches along its
# size-1 dimension, the row along the dimension it is missing.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_broadcast

column = torch.tensor([[0], [10], [20]])
row = torch.tensor([1, 2, 3, 4])
print(torch.broadcast_shapes(column.shape, row.shape))
fig = draw_broadcast({"column": column, "row": row}, column + row, result_name="column + row")

# %%
# The silent pitfall: predictions of shape ``(4, 1)`` against targets of shape ``(4,)`` give a
# ``(4, 4)`` table of every prediction minus every target, not 4 differences.
prediction = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
target = torch.tensor([1.0, 2.0, 3.0, 5.0])
difference = prediction - target
print(difference.shape)
fig = draw_broadcast(
    {"prediction": prediction, "target": target},
    difference,
    result_name="prediction - target",
    title="A (4, 1) and a (4,) make a (4, 4)",
)

# %%
# With the shapes made equal, nothing stretches and the result has one entry per sample.
fixed = prediction.squeeze(-1) - target
print(fixed.shape, fixed)
fig = draw_broadcast(
    {"prediction.squeeze(-1)": prediction.squeeze(-1), "target": target},
    fixed,
    result_name="difference",
)

# %%
# ``expand`` does by hand what broadcasting does: a view with stride 0 along the stretched
# dimension, over the row's own memory.
expanded = row.expand(3, 4)
print(expanded.stride(), expanded.untyped_storage().data_ptr() == row.untyped_storage().data_ptr())
plt.show()  # run as a script, the figures open in windows here
