"""
Normalising vectors to length 1
===============================

Dividing each vector by its Euclidean norm gives a vector of length 1 pointing the same way: on
the unit circle, in two dimensions. The page :doc:`/norms` covers ``dim``, ``keepdim`` and zero
vectors; the figure is drawn by :download:`shape_figures.py </auto_examples/shape_figures.py>`
from the tensors below.
"""

# %%
# Four 2-D vectors, one per row: a tensor of shape ``(4, 2)``.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_unit_vectors

vectors = torch.tensor([[2.0, 1.0], [-1.0, 1.5], [0.5, -0.5], [-1.5, -2.0]])
print(vectors.shape)

# %%
# One norm per row: ``dim=-1`` reduces the last dimension, and ``keepdim=True`` keeps it with
# size 1, so the ``(4, 1)`` norms broadcast against the ``(4, 2)`` vectors in the division.
norms = torch.linalg.vector_norm(vectors, dim=-1, keepdim=True)
print(norms.shape)
print(norms)
unit_vectors = vectors / norms

# %%
# Every length is now 1, within floating-point tolerance (not necessarily exactly 1).
lengths = torch.linalg.vector_norm(unit_vectors, dim=-1)
print(lengths)
print(torch.allclose(lengths, torch.ones(4)))
fig = draw_unit_vectors(vectors, unit_vectors)
plt.show()  # run as a script, the figures open in windows here
