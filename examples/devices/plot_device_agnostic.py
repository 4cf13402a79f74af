"""
Device-agnostic training
========================

The same script trains a small model on a GPU when there is one and on the CPU otherwise: the
device is chosen once and passed to everything that makes a tensor or holds parameters. Only
what leaves torch (a printed number, a plot) comes back to the CPU.
"""

# %%
# Choose the device once. On the site's GPU run, torch's default device is ``cuda``, so a
# tensor made without ``device=`` lands there too.
import matplotlib.pyplot as plt
import torch
from torch import nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
_ = torch.manual_seed(0)  # the seed; the returned generator is not needed

# %%
# Points on the line ``y = 2x + 1`` with a little noise, made on the chosen device.
x = torch.linspace(-1, 1, 64, device=device).unsqueeze(1)
y = 2 * x + 1 + 0.1 * torch.randn(64, 1, device=device)

# %%
# A one-weight model moved to the same device, and a few steps of gradient descent. The
# parameters, the data and the loss all live on ``device``.
model = nn.Linear(1, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
losses = []
for _ in range(40):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())  # .item() copies one number back to the CPU

print("parameters on:", model.weight.device.type, "| loss on:", loss.device.type)
print(f"weight {model.weight.item():.2f}, bias {model.bias.item():.2f} (the line: 2 and 1)")

# %%
# Matplotlib draws from CPU memory: ``.cpu()`` brings the tensors back (on the CPU it returns
# the tensor itself), ``.detach()`` drops the autograd graph of the prediction.
fig, (curve, fit) = plt.subplots(1, 2, figsize=(8, 3), layout="constrained")
curve.plot(losses)
curve.set(xlabel="step", ylabel="mean squared error", title="Loss while training")
fit.scatter(x.cpu(), y.cpu(), s=8, label="data")
fit.plot(x.cpu(), model(x).detach().cpu(), color="C1", label="fitted line")
fit.set(xlabel="x", ylabel="y", title="Fitted line over the data")
fit.legend()
fig.suptitle("Training on the chosen device: loss falls and the line fits the data")
plt.show()
