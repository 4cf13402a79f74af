"""The one place that decides which device the pages and the gallery run on.

``DOCS_DEVICE=cpu`` (the default) or ``DOCS_DEVICE=cuda``. Read here and nowhere else: the
doctests (``conftest.py``), the Sphinx build (``conf/conf.py``, the gallery's reset function and
the verification stamp) and ``noxfile.py`` all ask this module.

:func:`requested` needs no torch (nox imports it from its own environment); :func:`activate`
imports torch and makes the device torch's default, so that tensors a page or an example creates
without naming a device really land on it.
"""

from __future__ import annotations

import doctest
import os
import re
import textwrap

ENV_VAR = "DOCS_DEVICE"
DEVICES = ("cpu", "cuda")

# A tensor on the GPU prints `device='cuda:0'` in its repr (torch names the device whenever it
# is not the CPU); the pages show what a reader on a CPU sees.
CUDA_REPR_SUFFIX = re.compile(r", device='cuda:0'(?=[,)])")


# ``# doctest: +ON_CPU`` on an example of a page: on a CUDA run, that example runs with the CPU
# as torch's default device, as it runs for every reader who never called
# torch.set_default_device. For an example whose point is CPU behaviour (a tensor sharing a NumPy
# array's memory, say); the page's prose says what differs on a GPU. Sphinx strips the comment
# from the rendered block (trim_doctest_flags), so the reader sees plain code. On a CPU run the
# flag changes nothing. Registered here, where the device is decided, so that every parser of
# the pages (pytest, the notebook writer, the tests) knows the name.
ON_CPU = doctest.register_optionflag("ON_CPU")


def run_on_cpu(source: str) -> str:
    """``source`` (one doctest example) wrapped so that it runs with the CPU as default device.

    Python's interactive ("single") mode still echoes every expression inside the ``with``.
    """
    return "with __import__('torch').device('cpu'):\n" + textwrap.indent(source, "    ") + "\n"


def requested() -> str:
    """The device named by ``DOCS_DEVICE``: ``"cpu"`` unless it says ``"cuda"``."""
    value = os.environ.get(ENV_VAR, "").strip().lower() or "cpu"
    if value not in DEVICES:
        raise ValueError(f"{ENV_VAR}={value!r}: expected one of {', '.join(DEVICES)}")
    return value


def activate():
    """Make the requested device torch's default device and return it as a ``torch.device``.

    On ``cuda`` every factory call without an explicit ``device=`` allocates on the GPU
    (:func:`torch.set_default_device`). On ``cpu`` nothing is changed: the CPU is torch's own
    default, and a device context would only add a layer the reader's Python does not have.
    A request for ``cuda`` where torch sees no GPU is an error, never a silent fall-back.
    """
    import torch

    name = requested()
    if name == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"{ENV_VAR}=cuda, but torch {torch.__version__} sees no CUDA device "
                "(torch.cuda.is_available() is False)"
            )
        torch.set_default_device("cuda")
        # The device tensors really land on (cuda:0), so that `t.device == device` holds.
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device(name)


def drop_cuda_repr_suffix(want: str, got: str) -> str:
    """What a CUDA doctest printed (``got``), compared as if on the CPU.

    Only the ``, device='cuda:0'`` of tensor reprs is dropped; every value, shape, dtype and
    ``grad_fn`` is still compared. Where the expected output (``want``) names a device itself,
    nothing is dropped: such a block shows the device on purpose (docs/devices.md).
    """
    return got if "device=" in want else CUDA_REPR_SUFFIX.sub("", got)


class CudaReprOutputChecker(doctest.OutputChecker):
    """On a CUDA run, compare outputs without the ``device='cuda:0'`` of tensor reprs: the one
    tolerance of the CUDA comparison (drop_cuda_repr_suffix says exactly what is
    dropped, and when). Every other character is compared exactly, as on the CPU."""

    def check_output(self, want, got, optionflags):
        got = drop_cuda_repr_suffix(want, got)
        return super().check_output(want, got, optionflags)

    def output_difference(self, example, got, optionflags):
        got = drop_cuda_repr_suffix(example.want, got)
        return super().output_difference(example, got, optionflags)


def cuda_allocations() -> int:
    """How many blocks the CUDA caching allocator has handed out so far in this process.

    The count only grows, so the difference across a page or an example says whether it put
    anything on the GPU (0 on a CPU run).
    """
    import torch

    if requested() != "cuda" or not torch.cuda.is_initialized():
        return 0
    return int(torch.cuda.memory_stats().get("allocation.all.allocated", 0))


def describe() -> dict[str, str]:
    """What this process runs with: the torch build and the device in use (for the stamp).

    The torch build is read from the installed package's metadata (the same string as
    ``torch.__version__``): a no-op rebuild asks for it and should not pay a torch import.
    """
    from importlib import metadata

    name = requested()
    described = {"torch": metadata.version("torch"), "device": name}
    if name == "cuda":
        import torch

        if torch.cuda.is_available():
            described["gpu"] = torch.cuda.get_device_name(0)
    return described
