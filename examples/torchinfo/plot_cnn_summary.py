"""
Summary of a small CNN
======================

``torchinfo.summary`` of a small convolutional network: the output shape column shows each
convolution keep the 28 x 28 size (padding 1) and each pooling halve it, until ``Flatten``
turns 16 x 7 x 7 into 784 features. The page :doc:`/torchinfo` explains the columns.
The figure is drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from
the summary's own rows (save it next to this script to run it).
"""

# %%
# Two convolution blocks and a linear classifier, for 1-channel 28 x 28 images.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_layer_shapes
from torch import nn
from torchinfo import summary

model = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(16 * 7 * 7, 10),
)

# %%
# ``input_size`` starts with the batch dimension: 32 images. ``verbose=1`` prints the table
# as a script, at a prompt and in a notebook alike (without it, only a script prints it); the
# result is kept in a name for its numbers.
stats = summary(model, input_size=(32, 1, 28, 28), verbose=1)

# %%
# The totals, as numbers; the convolutions hold few parameters, the last ``Linear`` most of them.
print(f"total parameters: {stats.total_params:,}")
print(f"in the last Linear: {sum(p.numel() for p in model[-1].parameters()):,}")
# ``summary`` moved the model to the GPU if there is one: the input goes where the model is.
model_device = next(model.parameters()).device
print("output:", tuple(model(torch.zeros(32, 1, 28, 28, device=model_device)).shape))

# %%
# The same rows as a figure, drawn from ``stats``: where the parameters are, and the shape
# each layer hands on.
fig = draw_layer_shapes(stats)
plt.show()  # run as a script, the figures open in windows here
