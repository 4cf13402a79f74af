"""
Which shapes can be multiplied
==============================

For 2-D operands, ``A @ B`` needs ``A``'s last size to equal ``B``'s first (the inner sizes),
and the result takes the outer sizes. The page :doc:`/matmul` proves the rules and where they
stop (1-D and batched operands); the figures are drawn by
:download:`shape_figures.py </auto_examples/shape_figures.py>` from the tensors below.
"""

# %%
# The notes' working case: ``(2, 3) @ (3, 2)`` gives ``(2, 2)``.
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_matmul

A = torch.arange(6.0).reshape(2, 3)
B = torch.arange(6.0).reshape(3, 2)
product = A @ B
print(A.shape, "@", B.shape, "->", product.shape)
fig = draw_matmul(A, B, product)

# %%
# Swapping the operands also works, and gives a different shape: ``(3, 3)``.
product = B @ A
print(B.shape, "@", A.shape, "->", product.shape)
fig = draw_matmul(B, A, product, names=("B", "A"))

# %%
# Two ``(3, 2)`` matrices do not fit: the inner sizes are 2 and 3. This is the error torch
# raises, caught here so that the figure can show where the shapes disagree.
C = torch.ones(3, 2)
try:
    C @ C
except RuntimeError as error:
    print("RuntimeError:", error)
fig = draw_matmul(C, C, None, names=("C", "C"))

# %%
# Transposing one operand makes the inner sizes agree: ``(3, 2) @ (2, 3)``.
product = C @ C.T
print(C.shape, "@", C.T.shape, "->", product.shape)
fig = draw_matmul(C, C.T, product, names=("C", "C.T"))
plt.show()  # run as a script, the figures open in windows here

# sphinx_gallery_thumbnail_number = 3
