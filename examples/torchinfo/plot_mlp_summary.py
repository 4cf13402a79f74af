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
# The first entry of ``input_size`` is the batch: here 32 images of 1 x 28 x 28.
# ``verbose=1`` makes ``summary`` print its table while it runs, wherever this runs. Left out,
# ``verbose`` depends on the place: run as a script (as the gallery runs this file), ``summary``
# prints the table; at an interactive prompt or in a notebook it prints nothing, and only a
# bare, unassigned ``summary(...)`` shows the table, through its repr. The result is kept in a
# name for its numbers.
stats = summary(model, input_size=(32, 1, 28, 28), verbose=1)

# %%
# The returned object carries the totals as numbers.
print(f"trainable parameters: {stats.trainable_params:,}")
# ``summary`` moved the model to the GPU if the machine has one (torchinfo's default device),
# so the input is made where the model's parameters are.
model_device = next(model.parameters()).device
print("output shape:", tuple(model(torch.zeros(32, 1, 28, 28, device=model_device)).shape))

# %%
# The rows of the table as a figure, drawn from ``stats``: almost all parameters are in the
# first ``Linear``.
fig = draw_layer_shapes(stats)
plt.show()  # run as a script, the figures open in windows here
