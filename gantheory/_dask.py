"""The one place a Dask collection is computed: on a local scheduler by name or on a distributed cluster by
address. Used by the stability maps and the training sweeps, so ``--scheduler`` means the same everywhere."""

from __future__ import annotations

LOCAL = ("threads", "processes", "synchronous")


def check_scheduler(scheduler: str | None) -> None:
    """None, a local scheduler's name or a distributed scheduler's address (``tcp://host:port``, or another
    Dask comm such as ``tls://`` or ``inproc://``); ValueError otherwise."""
    if scheduler is None or scheduler in LOCAL or (isinstance(scheduler, str) and "://" in scheduler.strip("/")):
        return
    raise ValueError(f"scheduler must be one of {', '.join(LOCAL)} or an address such as tcp://host:port, got "
                     f"{scheduler!r}")


def compute(collection, scheduler: str):
    """``collection`` computed with ``scheduler``: a local one by name, or the distributed scheduler at an
    address (a client is opened for the call and closed after)."""
    check_scheduler(scheduler)
    if scheduler in LOCAL:
        return collection.compute(scheduler=scheduler)
    from dask.distributed import Client

    with Client(scheduler) as client:
        return client.compute(collection).result()


def imported():
    """dask and dask.bag / dask.array, or ImportError naming the extra that provides them."""
    try:
        import dask  # noqa: F401
        import dask.array  # noqa: F401
        import dask.bag  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the extra
        raise ImportError("--scheduler needs Dask: pip install 'gantheory[dask]'") from None


def map_tasks(fn, items, scheduler: str) -> list:
    """``[fn(item) for item in items]`` computed as a Dask bag with ``scheduler`` (at most 64 partitions), in
    the order given: the batches of runs, claims and statements the commands spread over a cluster."""
    check_scheduler(scheduler)
    imported()
    import dask.bag as db

    items = list(items)
    return list(compute(db.from_sequence(items, npartitions=max(1, min(len(items), 64))).map(fn), scheduler))
