"""
Summary of nested blocks at two depths
======================================

A model built from blocks inside stages inside the model. ``summary``'s ``depth`` says how many
levels of that nesting the table shows: the same model at ``depth=1`` and at ``depth=3``, with
the same totals. The page :doc:`/torchinfo` explains the columns.
The figure is drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from
the summary's own rows (save it next to this script to run it).
"""

# %%
# A convolution block, two stages of two blocks each, and a head.
from collections import OrderedDict

import matplotlib.pyplot as plt
import torch
from shape_figures import draw_layer_shapes
from torch import nn
from torchinfo import summary


def conv_block(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )


model = nn.Sequential(
    OrderedDict(
        stem=conv_block(3, 16),
        stage1=nn.Sequential(conv_block(16, 16), conv_block(16, 16), nn.MaxPool2d(2)),
        stage2=nn.Sequential(conv_block(16, 32), conv_block(32, 32), nn.MaxPool2d(2)),
        head=nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10)),
    )
)

# %%
# ``depth=1``: one row per top-level part, with the shape each one hands on.
# ``verbose=1`` prints each table in a script, at a prompt and in a notebook alike.
shallow = summary(model, input_size=(8, 3, 32, 32), depth=1, verbose=1)

# %%
# ``depth=3``: down to the layers inside each block.
deep = summary(model, input_size=(8, 3, 32, 32), depth=3, verbose=1)

# %%
# Depth changes only what is listed, not what is counted.
print(shallow.total_params == deep.total_params, f"{deep.total_params:,}")
# ``summary`` moved the model to the GPU if there is one: the input goes where the model is.
model_device = next(model.parameters()).device
print("output:", tuple(model(torch.zeros(8, 3, 32, 32, device=model_device)).shape))

# %%
# The layers of the ``depth=3`` table as a figure, drawn from ``deep``: each layer's
# parameters and the shape it hands on.
fig = draw_layer_shapes(deep)
plt.show()  # run as a script, the figures open in windows here
