"""
Memory order: view, permute and contiguous
==========================================

A tensor is a window on a flat storage: its strides say how many storage places to step for
one step along each dimension. ``permute`` swaps the strides and shares the storage, so the
result is read out of order and ``view`` refuses to flatten it (a ``view`` that only merges
dimensions still adjacent in memory would work); ``contiguous`` copies it into a storage of its
own, in order (on a tensor that is contiguous already, ``contiguous`` returns it as it is).
The page :doc:`/reshaping` has the whole table; the figures are drawn by
:download:`shape_figures.py </auto_examples/shape_figures.py>` from the tensors below.
"""

# %%
# Six numbers in a ``(2, 3)`` tensor, and the same storage seen as ``(3, 2)`` by ``view``. Two
# tensors share memory when their storages start at the same address
# (``untyped_storage().data_ptr()``; a tensor's own ``data_ptr()`` is where its first element is).
import matplotlib.pyplot as plt
import torch
from shape_figures import draw_memory_layouts

x = torch.arange(6).view(2, 3)
v = x.view(3, 2)


def same_storage(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


print("x", x.shape, "stride", x.stride())
print("x.view(3, 2)", v.shape, "stride", v.stride(), "same storage:", same_storage(v, x))
fig = draw_memory_layouts({"x": x, "x.view(3, 2)": v})

# %%
# ``permute`` also gives shape ``(3, 2)`` and shares the storage, but its strides are swapped:
# reading it row by row jumps through the storage.
p = x.permute(1, 0)
print("p", p.shape, "stride", p.stride(), "contiguous:", p.is_contiguous())
try:
    p.view(6)
except RuntimeError as error:
    print("RuntimeError:", error)

# %%
# ``contiguous`` copies the entries of this non-contiguous tensor into a new storage in the
# order they are read, after which ``view`` works. ``reshape`` does the same copy by itself
# when it has to.
c = p.contiguous()
print("c", c.shape, "stride", c.stride(), "same storage as x:", same_storage(c, x))
print(c.view(6))
print(torch.equal(p.reshape(6), c.view(6)))
fig = draw_memory_layouts({"x": x, "p = x.permute(1, 0)": p, "c = p.contiguous()": c})
plt.show()  # run as a script, the figures open in windows here

# sphinx_gallery_thumbnail_number = 2
