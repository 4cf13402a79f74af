"""
Saving and loading a state_dict
===============================

Save a model's ``state_dict`` (its tensors by name), load it with ``weights_only=True`` into a
fresh model of the same class, and check that the weights came back. Files go into a temporary
directory that is removed at the end. The page :doc:`/saving` explains each step; the figure is
drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>` from the tensors below.
"""

# %%
# A small model: its ``state_dict`` maps each parameter's name to a tensor.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from shape_figures import draw_tensors
from torch import nn

model = nn.Linear(3, 2)
for name, tensor in model.state_dict().items():
    print(name, tuple(tensor.shape))

# %%
# Save, then load into a fresh ``nn.Linear(3, 2)``, whose own random weights differ until then.
# ``weights_only=True`` lets ``torch.load`` rebuild tensors and plain containers only.
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "linear.pt"
    torch.save(model.state_dict(), path)
    loaded = torch.load(path, weights_only=True)

    fresh = nn.Linear(3, 2)
    print("equal before loading:", torch.equal(fresh.weight, model.weight))
    print(fresh.load_state_dict(loaded))
    print("equal after loading: ", torch.equal(fresh.weight, model.weight))
    fresh.eval()

    fig = draw_tensors(
        {"model.weight": model.weight, "fresh.weight (loaded)": fresh.weight},
        title="The weights saved and the weights loaded",
    )

    # %%
    # Saving the whole model pickles a *reference* to its class (the module path and name,
    # ``torch.nn.modules.linear.Linear``), not the class's code: loading imports that
    # class by name, which is also why such files break when code is moved or renamed.
    # ``weights_only=True`` refuses to import a class named in the file, since importing and
    # calling what a file names can run any code. The reason is the last line of the error:
    torch.save(model, path)
    try:
        torch.load(path, weights_only=True)
    except Exception as error:
        print(type(error).__name__)
        reason = next(line for line in str(error).splitlines() if "Unsupported global" in line)
        print(reason.strip())

print("temporary directory removed:", not path.parent.exists())
plt.show()  # run as a script, the figures open in windows here
