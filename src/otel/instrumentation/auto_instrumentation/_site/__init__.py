"""Only the ``sitecustomize`` that ``otel run`` puts on ``PYTHONPATH`` (a package so it ships)."""
