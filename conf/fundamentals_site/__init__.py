"""The Python helpers of the PyTorch Fundamentals site, in one package.

Sphinx extensions (``doctest_fences``, ``verified_with``, ``page_meta``, ``page_notebooks``,
``standalone_downloads`` and the small ones), the choice of device (``docs_device``), seeding,
the gallery's run record and resets, the API reference URLs (``api_docs``) and how the site is
built (``build_command``). conf/conf.py, noxfile.py and the tests import it from ``conf/``:
pytest through its ``pythonpath`` setting (pyproject.toml), Sphinx and nox with one path line
each.
"""
