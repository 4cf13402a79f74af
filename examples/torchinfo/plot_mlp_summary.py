"""
Summary of a small MLP
======================

``torchinfo.summary`` runs a forward pass on an input of the size you give and reports the
output shape and parameter count of every layer. The page :doc:`/torchinfo` explains the
columns.
The figure is drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from
the summary's own rows (save it next to this script to run it).
"""

# %%
# A two-layer perceptron for 28 x 28 images flattened to 784 inputs.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_layer_shapes
from torch import nn
from torchinfo import summary

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
)

# %%
# The first entry of ``input_size`` is the batch: here 32 images of 1 x 28 x 28. ``summary``
# prints its table and returns it; keeping the result in a name stops the gallery from
# printing the same table a second time through its repr.
stats = summary(model, input_size=(32, 1, 28, 28))

# %%
# The returned object carries the totals as numbers.
print(f"trainable parameters: {stats.trainable_params:,}")
print("output shape:", tuple(model(torch.zeros(32, 1, 28, 28)).shape))

# %%
# The rows of the table as a figure, drawn from ``stats``: almost all parameters are in the
# first ``Linear``.
fig = draw_layer_shapes(stats)
plt.show()  # run as a script, the figures open in windows here
