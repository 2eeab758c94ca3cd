"""Beyond one machine: gradient descent on a `to_torch` twin in one process, or spread over several.

`fit_torch` trains a torch module on all rows at once; `fit_distributed` does the same with
`torch.nn.parallel.DistributedDataParallel` in `processes` processes (gloo backend, on 127.0.0.1
only), each holding a copy of the module and its own contiguous share of the rows. After each
backward the processes average their gradients (an all-reduce): each scales its share's loss sum by
processes/n, so the average is the batch learning of the series, δw = 1/n Σ_rows δw_row, and every
process takes the step one process would take. PyTorch is imported only when one of them is called.
"""

from __future__ import annotations

import copy
import itertools
import multiprocessing
import os
import queue
import socket
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from nn.bridge import _torch
from nn.loss import half_squared_error, hinge, mse
from nn.train import Loss

if TYPE_CHECKING:
    import torch

RowLosses = Callable[[Any, Any], Any]  # (outputs (n, k), targets (n, k)) -> a loss per row (n,)


def _hinge_rows(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Σ max(0, 1 - Y·X) over each row's outputs, as nn.hinge."""
    return (1 - outputs * targets).clamp(min=0).sum(dim=1)


def _mse_rows(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1/k Σ (X - Y)² over each row's k outputs, as nn.mse."""
    return ((outputs - targets) ** 2).mean(dim=1)


def _half_squared_error_rows(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Σ 1/2 (X - Y)² over each row's outputs, as nn.half_squared_error."""
    return (0.5 * (outputs - targets) ** 2).sum(dim=1)


# Our loss of one row -> the same loss on every row of a tensor (a module-level function: the
# processes receive it by name).
ROW_LOSSES: dict[Loss, RowLosses] = {
    hinge: _hinge_rows,
    mse: _mse_rows,
    half_squared_error: _half_squared_error_rows,
}


def fit_torch(
    module: torch.nn.Module, inputs: Sequence[Sequence[float]], targets: Sequence[Sequence[float]],
    loss: Loss, lr: float, steps: int,
) -> list[float]:
    """`steps` steps of gradient descent on all rows at once: w ← w - lr · 1/n Σ_rows ∂Loss_row/∂w.

    Trains `module` in place (torch.optim.SGD) and returns the loss history: the mean loss of the
    rows before each step, as `nn.fit(..., batch_size=len(inputs))` would on our model.
    """
    row_losses, x, y = _checked(module, inputs, targets, loss, steps, processes=1)
    return _descend(module, x, y, row_losses, lr, steps, scale=1 / len(x))


def fit_distributed(
    module: torch.nn.Module, inputs: Sequence[Sequence[float]], targets: Sequence[Sequence[float]],
    loss: Loss, lr: float, steps: int, processes: int = 2, timeout: float = 120.0,
) -> list[float]:
    """fit_torch's steps, computed by `processes` processes with DistributedDataParallel (gloo, 127.0.0.1).

    Process r reads rows [r·n/P, (r+1)·n/P) and back-propagates processes/n · Σ its rows' losses;
    DDP averages the gradients, so each step is fit_torch's. The weights of process 0 are then
    written into `module`; returns the loss history (the mean over all rows before each step).
    Raises TimeoutError if the processes take longer than `timeout` seconds and RuntimeError (with
    its traceback) if one fails; either way every process is stopped. The processes are spawned, as
    torch.multiprocessing's: a script that calls this needs the `if __name__ == "__main__":` guard.
    """
    row_losses, x, y = _checked(module, inputs, targets, loss, steps, processes)
    if not timeout > 0:
        raise ValueError(f"timeout must be a number of seconds > 0, got {timeout!r}")
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per process, as torchrun's
    results = context.Queue()
    port = _free_port()
    bounds = [r * len(x) // processes for r in range(processes + 1)]  # process r: rows bounds[r]..bounds[r+1]
    workers = [
        context.Process(
            target=_rank,
            args=(r, processes, port, module, x[start:end], y[start:end], len(x), row_losses, lr, steps,
                  timeout, results),
            daemon=True,
        )
        for r, (start, end) in enumerate(itertools.pairwise(bounds))
    ]
    deadline = time.monotonic() + timeout
    try:
        for worker in workers:
            worker.start()
        answers = [_answer(results, workers, deadline, timeout) for _ in workers]
        for worker in workers:
            worker.join(max(deadline - time.monotonic(), 0.1))
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
    state, history = next((state, history) for rank, state, history in answers if rank == 0)
    torch = _torch()
    module.load_state_dict({name: torch.tensor(value, dtype=torch.float64) for name, value in state.items()})
    return list(history)


def _checked(
    module: Any, inputs: Sequence[Sequence[float]], targets: Sequence[Sequence[float]], loss: Loss,
    steps: int, processes: int,
) -> tuple[RowLosses, torch.Tensor, torch.Tensor]:
    """The loss on tensors and the rows as float64 tensors, or the error that names the bad argument."""
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        given = type(module).__name__
        raise TypeError(f"takes a torch.nn.Module (nn.to_torch(model) gives one), not {given}")
    if loss not in ROW_LOSSES:
        names = ", ".join(f.__name__ for f in ROW_LOSSES)
        raise TypeError(f"no torch form of the loss {getattr(loss, '__name__', loss)!r}: it has {names}")
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an int >= 0, got {steps!r}")
    if not isinstance(processes, int) or not 1 <= processes <= len(inputs):
        raise ValueError(f"processes must be an int in 1..{len(inputs)} (the rows), got {processes!r}")
    x, y = (torch.tensor(rows, dtype=torch.float64) for rows in (inputs, targets))
    return ROW_LOSSES[loss], x, y


def _descend(
    module: Any, x: torch.Tensor, y: torch.Tensor, row_losses: RowLosses, lr: float, steps: int,
    scale: float, mean: Callable[[float], float] = float,
) -> list[float]:
    """`steps` SGD steps on scale · Σ row_losses(module(x), y); `mean` makes each loss the history's."""
    optimizer = _torch().optim.SGD(module.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        batch_loss = row_losses(module(x), y).sum() * scale
        batch_loss.backward()
        optimizer.step()
        history.append(mean(batch_loss.item()))
    return history


def _rank(
    rank: int, processes: int, port: int, module: Any, x: Any, y: Any, n: int, row_losses: RowLosses,
    lr: float, steps: int, timeout: float, results: Any,
) -> None:
    """One process of fit_distributed: join the group, train its DDP copy on its rows, send its answer."""
    try:
        torch = _torch()
        dist = torch.distributed
        torch.set_num_threads(1)  # one core per process
        os.environ["GLOO_SOCKET_IFNAME"] = _loopback()  # gloo's connections on 127.0.0.1 only
        dist.init_process_group(
            "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=processes,
            timeout=timedelta(seconds=timeout),
        )
        try:
            module = copy.deepcopy(module)  # its tensors came in shared memory (torch pickles so): copy
            ddp = torch.nn.parallel.DistributedDataParallel(module)

            def mean(share: float) -> float:
                """The mean loss of all rows: the processes' shares summed, over P."""
                total = torch.tensor(share, dtype=torch.float64)
                dist.all_reduce(total)
                return float(total.item()) / processes

            history = _descend(ddp, x, y, row_losses, lr, steps, scale=processes / n, mean=mean)
            state = {name: value.tolist() for name, value in module.state_dict().items()}
            results.put((rank, state, history))
        finally:
            dist.destroy_process_group()
    except BaseException:
        results.put((rank, None, traceback.format_exc()))


def _answer(results: Any, workers: list[Any], deadline: float, timeout: float) -> tuple[int, Any, Any]:
    """The next process's answer, or the error of a process that failed or of the time that ran out."""
    while True:
        try:
            rank, state, history = results.get(timeout=0.2)
            break
        except queue.Empty:
            for r, worker in enumerate(workers):
                if worker.exitcode:  # died before answering (a script without `if __name__ == "__main__":`)
                    message = f"fit_distributed: process {r} exited with code {worker.exitcode}"
                    raise RuntimeError(message) from None
            if time.monotonic() > deadline:
                message = f"fit_distributed: the processes took longer than timeout={timeout} s"
                raise TimeoutError(message) from None
    if state is None:
        raise RuntimeError(f"fit_distributed: process {rank} failed:\n{history}")
    return rank, state, history


def _free_port() -> int:
    """A TCP port of 127.0.0.1 free at this moment (the system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _loopback() -> str:
    """The name of the loopback network interface (lo on Linux, lo0 on macOS and BSDs)."""
    names = {name for _, name in socket.if_nameindex()}
    for name in ("lo", "lo0"):
        if name in names:
            return name
    raise RuntimeError(f"no loopback interface among {sorted(names)}: fit_distributed runs on 127.0.0.1 only")
