"""The neural structure of a layer or a model, drawn as the seed's figures: neurons o and weights w
(a Conv2D: its channels as grids and its kernels).

Neurons and weights are numbered from 1, as in the seed: the edge w^{k,j}_i is `layer.weight[j-1][i-1]`;
channels from 1 and kernel positions from 0, as the convolution article. Every name is typeset as the
series prints it (autograd.typeset: w²ʼ¹₃).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise
from typing import Any

from autograd import Scalar, Value, typeset
from autograd.draw import Picture, canvas, caption_label
from autograd.notation import number
from nn.activation import Activation, Input1D
from nn.conv import Conv2D
from nn.linear import Linear
from nn.module import Module, Sequential, depth, shape

DEFAULT_MAX_WEIGHTS = 100
FADED = "80"  # the alpha of unlabelled weight edges: many crossing lines stay readable

NEURON = "#eef2ff"
BIAS = "#fef9c3"
FLOW = "#b91c1c"  # the learning flow δ
WEIGHTS = ("#1d4ed8", "#047857", "#7c3aed", "#b45309", "#0e7490", "#be185d")  # one per output neuron

Neurons = Sequence[Value | Scalar]


def draw(
    module: Module,
    flow: Sequence[Neurons] | None = None,
    *,
    k: int | None = None,
    rankdir: str = "LR",
    show_weights: bool = True,
    max_weights: int = DEFAULT_MAX_WEIGHTS,
    kernel: tuple[int, int] = (0, 0),
) -> Picture:
    """The neural structure of a Linear layer L^k, or of a Sequential model layer by layer.

    Input neurons o^{k-1}_i and output neurons o^k_j are circles, one column per layer; each weight
    w^{k,j}_i (and bias b^k_j) is an edge labelled with its value. `flow` is the information flow the
    module saw: the neurons of each layer, input first (`[o^{k-1}, o^k]` for one layer); given it,
    after a backward, each neuron shows its value o and its learning flow δ, and each weight its δw.
    `k` numbers the layer (the model's first layer); by default a layer's own number, the one its
    model gave it (a model's inputs are o^1), or L^k for a lone layer. `show_weights=False` leaves the
    edges unlabelled and faded (a larger
    model stays readable). The caption names each layer on its own line.
    A Conv2D layer is drawn with its channels as grids (`flow` = [input, output]) and the connections
    of the kernel `weight[o][c]` picked by `kernel=(o, c)` (Python's indices: ker^{k,o+1,c+1}).
    """
    own = module.k if isinstance(module, (Conv2D, Linear, Sequential)) else None
    first: int | str = next(n for n in (k, own, "k") if n is not None)
    if isinstance(module, Conv2D):
        return _draw_conv(module, flow, k=first, kernel=kernel, rankdir=rankdir)
    layers = list(module) if isinstance(module, Sequential) else [module]
    for layer in layers:
        if not isinstance(layer, (Linear, Activation, Input1D)):
            raise TypeError(
                f"nn.draw draws Linear, activation and Input1D layers, alone or in a Sequential, or a "
                f"Conv2D alone; got {type(layer).__name__} (a graph of Values: autograd.draw)"
            )
        if isinstance(layer, Linear) and layer.in_features * layer.out_features > max_weights:
            raise ValueError(
                f"{layer!r} has {layer.in_features * layer.out_features} weights, more than "
                f"max_weights={max_weights}: draw a smaller layer, or pass a larger max_weights"
            )
    widths = _widths(layers, flow)
    data_in = layers[0].input_layer  # the data X^1 go into the input layer L1 (its neurons: o^1)

    picture = canvas(rankdir, nodesep="0.3", ranksep="1.2" if show_weights else "0.7")
    picture.attr("edge", arrowsize="0.6")
    biased = {p for p, layer in enumerate(layers) if isinstance(layer, Linear) and layer.bias is not None}
    for c, width in enumerate(widths):
        neurons = flow[c] if flow is not None else [None] * width
        with picture.subgraph() as column:
            column.attr(rank="same")
            ids = [f"c{c}n{i}" for i in range(width)]
            for i, neuron in enumerate(neurons):
                label = _neuron_label(
                    _level(first, c - 1), _level(first, c), i + 1, neuron, data_in=c == 0 and data_in
                )
                column.node(ids[i], label, shape="circle", style="filled", fillcolor=NEURON, margin="0.02")
            if c in biased:
                ids.append(f"c{c}bias")
                column.node(
                    ids[-1], "1", shape="box", style="filled", fillcolor=BIAS, width="0.3", height="0.3"
                )
            for above, below in pairwise(ids):  # keep the neurons in order, top to bottom, the bias last
                column.edge(above, below, style="invis")
    for p, layer in enumerate(layers):
        if isinstance(layer, Linear):
            labels = _level(first, p) if show_weights else None
            _linear_edges(picture, layer, p, labels, seen=flow is not None)
        else:
            for i in range(widths[p]):
                picture.edge(f"c{p}n{i}", f"c{p + 1}n{i}", xlabel=type(layer).__name__, color="gray40")
    lines = [f"{_layer_name(first, p)} = {' '.join(repr(layer).split())}" for p, layer in enumerate(layers)]
    lines.append("neurons and weights numbered from 1, as in the seed")
    picture.attr(label=caption_label(lines), labelloc="b", labeljust="l")
    return picture


def _widths(layers: list[Module], flow: Sequence[Neurons] | None) -> list[int]:
    """The number of neurons in each column: the module's input, then each layer's output."""
    if flow is not None:
        _check_flow(layers, flow)
        return [len(neurons) for neurons in flow]
    widths: list[int | None] = [None] * (len(layers) + 1)
    for p, layer in enumerate(layers):
        if isinstance(layer, Linear):
            widths[p], widths[p + 1] = layer.in_features, layer.out_features
    for c in range(1, len(widths)):  # a layer without weights keeps the width
        widths[c] = widths[c] if widths[c] is not None else widths[c - 1]
    for c in reversed(range(len(widths) - 1)):
        widths[c] = widths[c] if widths[c] is not None else widths[c + 1]
    known = [w for w in widths if w is not None]
    if len(known) != len(widths):
        raise ValueError("the number of neurons is unknown without a Linear layer: pass the flow it saw")
    return known


def _check_flow(layers: list[Module], flow: Sequence[Neurons]) -> None:
    """The flow must hold the input and each layer's output, of the sizes the layers take and give."""
    if len(flow) != len(layers) + 1:
        raise ValueError(
            f"flow must hold {len(layers) + 1} lists of neurons (the input, then each layer's output), "
            f"got {len(flow)}"
        )
    for p, layer in enumerate(layers):
        n_in, n_out = len(flow[p]), len(flow[p + 1])
        expected = (layer.in_features, layer.out_features) if isinstance(layer, Linear) else (n_in, n_in)
        if (n_in, n_out) != expected:
            raise ValueError(
                f"layer {p} ({layer!r}) takes {expected[0]} and gives {expected[1]} neurons, "
                f"but the flow has {n_in} then {n_out}"
            )


def _linear_edges(picture: Picture, layer: Linear, p: int, k: str | None, seen: bool) -> None:
    """One edge per weight w^{k,j}_i from input neuron i to output neuron j, then one per bias b^k_j.

    The edges into one output neuron share a colour, as the seed draws w^{k,1} and w^{k,2} apart;
    k=None leaves them unlabelled and faded.
    """
    bias = layer.bias or []
    for j, row in enumerate(layer.weight):
        colour = WEIGHTS[j % len(WEIGHTS)] + ("" if k else FADED)
        for i, w in enumerate(row):
            label = _weight_label(_indexed("w", f"{k},{j + 1}", i + 1), w, seen) if k else None
            picture.edge(f"c{p}n{i}", f"c{p + 1}n{j}", label, color=colour, fontcolor=colour)
        if bias:
            label = _weight_label(_indexed("b", k, j + 1), bias[j], seen) if k else None
            picture.edge(f"c{p}bias", f"c{p + 1}n{j}", label, color=colour, fontcolor=colour, style="dashed")


def _weight_label(name: str, weight: Value, seen: bool) -> str:
    """`w^{k,j}_i = value`, and its δw once the layer has seen an input."""
    lines = [f"{name} = {escape(number(weight.data))}"]
    if seen:
        lines.append(f'<FONT COLOR="{FLOW}">δw = {escape(number(weight.grad))}</FONT>')
    return _rows(lines)


def _neuron_label(
    level: str, next_level: str, i: int, neuron: Value | Scalar | None, data_in: bool = False
) -> str:
    """o^level_i in a circle (the data X^{level+1}_i when `data_in`: the input layer's input); under it the
    value and the learning flow δ^{level+1}_i it received."""
    lines = [_indexed("X", next_level, i) if data_in else _indexed("o", level, i)]
    if neuron is not None:
        data = neuron.data if isinstance(neuron, Value) else neuron
        lines[0] += f" = {escape(number(data))}"
    if isinstance(neuron, Value):
        delta = f"{_indexed('δ', next_level, i)} = {escape(number(neuron.grad))}"
        lines.append(f'<FONT POINT-SIZE="10" COLOR="{FLOW}">{delta}</FONT>')
    return _rows(lines)


def _rows(lines: list[str]) -> str:
    """An HTML-like label of one row per line, padded so that indices do not touch the next line."""
    rows = "".join(f"<TR><TD>{line}</TD></TR>" for line in lines)
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def _indexed(name: str, sup: str, sub: int | str | None = None) -> str:
    """name^{sup}_{sub} (or name^{sup}) typeset, escaped for an HTML-like label."""
    return escape(_name(name, sup, sub))


def _name(name: str, sup: str, sub: int | str | None = None) -> str:
    """name^{sup}_{sub} (or name^{sup}) typeset as the series prints it: w²ʼ¹₃."""
    return typeset(f"{name}^{{{sup}}}" + ("" if sub is None else f"_{{{sub}}}"))


def _layer_name(first: int | str, p: int) -> str:
    """L2 for a numbered layer (as the series' Example names them), Lᵏ, Lᵏ⁺¹ for a lone layer's."""
    level = _level(first, p)
    return f"L{level}" if level.isdigit() else _name("L", level)


def _level(first: int | str, c: int) -> str:
    """The superscript of column c: the number first + c, or `k`, `k-1`, `k+1` for a lone layer."""
    if isinstance(first, int):
        return str(first + c)
    return first + (f"{c:+d}" if c else "")


# -- Conv2D: channels as grids, the kernels between them ------------------------------------------

KERNEL = "#1d4ed8"  # the chosen kernel and its connections
MAX_KERNELS = 36
MAX_SIDE = 16


def _draw_conv(
    layer: Conv2D,
    flow: Sequence[Any] | None = None,
    *,
    k: int | str,
    kernel: tuple[int, int],
    rankdir: str,
) -> Picture:
    """Input channels ch^{k-1,c}, kernels ker^{k,o,c} and output channels ch^{k,o} of `layer`.

    `flow` is `[input, output]` the layer saw (each [channel][row][col]): the channels are then drawn
    as grids of their values o, with the learning flow δ of each neuron and the δker of each weight
    after a backward. `kernel=(o, c)` picks the kernel whose connections are coloured.
    """
    c_out, c_in = layer.out_channels, layer.in_channels
    if c_in * c_out > MAX_KERNELS:
        raise ValueError(f"{layer!r} has {c_in * c_out} kernels, more than {MAX_KERNELS}: draw a smaller one")
    pair = isinstance(kernel, tuple) and len(kernel) == 2
    if not (pair and 0 <= kernel[0] < c_out and 0 <= kernel[1] < c_in):
        raise ValueError(f"kernel must be an (o, c) pair with o < {c_out} and c < {c_in}, got {kernel!r}")
    grids = _conv_flow(layer, flow)
    seen = grids is not None and any(isinstance(v, Value) for v in _cells(grids[1]))
    picture = canvas(rankdir, nodesep="0.25", ranksep="0.6")
    picture.attr("node", shape="plaintext")
    sup_in, sup_out = _level(k, -1), _level(k, 0)
    for column, (count, sup, prefix) in enumerate(((c_in, sup_in, "in"), (c_out, sup_out, "out"))):
        with picture.subgraph() as rank:
            rank.attr(rank="same")
            for ch in range(count):
                title = _indexed("ch", f"{sup},{ch + 1}")
                grid = None if grids is None else grids[column][ch]
                rank.node(f"{prefix}{ch}", _table(title, grid, seen, chosen=ch == kernel[1 - column]))
    for o in range(c_out):
        for c in range(c_in):
            chosen = (o, c) == kernel
            colour = KERNEL if chosen else "gray60"
            title = _indexed("ker", f"{sup_out},{o + 1},{c + 1}")
            picture.node(f"ker{o}_{c}", _table(title, layer.weight[o][c], seen, chosen, weights=True))
            width = "2" if chosen else "0.8"
            picture.edge(f"in{c}", f"ker{o}_{c}", color=colour, penwidth=width)
            picture.edge(f"ker{o}_{c}", f"out{o}", color=colour, penwidth=width)
        if layer.bias is not None:
            b = layer.bias[o]
            text = f"{_indexed('b', f'{sup_out},{o + 1}')} = {escape(number(b.data))}"
            if seen:
                text += f'<BR/><FONT COLOR="{FLOW}">δb = {escape(number(b.grad))}</FONT>'
            picture.node(f"bias{o}", f"<{text}>", shape="box", style="filled", fillcolor=BIAS)
            picture.edge(f"bias{o}", f"out{o}", style="dashed", color="gray40")
    o, c = kernel[0] + 1, kernel[1] + 1
    bias = "" if layer.bias is None else f" + {_name('b', f'{sup_out},{o}')}"
    kernels = f"Σ_c {_name('ker', f'{sup_out},{o},c')} ⋆ {_name('ch', f'{sup_in},c')}{bias}"
    lines = [
        f"neural structure of {_layer_name(k, 0)} = {layer!r}",
        f"{_name('ch', f'{sup_out},{o}')} = {kernels}: the connections of "
        f"{_name('ker', f'{sup_out},{o},{c}')} in blue",
        "in red under each number: its learning flow δ (δker under a weight)" if seen else "",
        "channels numbered from 1, kernel positions from 0, as in the convolution article",
    ]
    picture.attr(label=caption_label(lines), labelloc="b", labeljust="l")
    return picture


def _conv_flow(layer: Conv2D, flow: Sequence[Any] | None) -> tuple[Any, Any] | None:
    """[input, output] of the layer's shapes, each [channel][row][col] of a drawable size, or None."""
    if flow is None:
        return None
    if len(flow) != 2 or depth(flow[0]) != 3 or depth(flow[1]) != 3:
        raise ValueError("flow must be [input, output] of the Conv2D, each nested lists [channel][row][col]")
    x, out = flow
    c, h, w = shape(x, "nn.draw")
    expected = (layer.out_channels, *layer.output_size(h, w))
    if c != layer.in_channels or shape(out, "nn.draw") != expected:
        raise ValueError(
            f"flow does not fit {layer!r}: input {(c, h, w)} should give output {expected}, "
            f"got {shape(out, 'nn.draw')}"
        )
    if max(h, w) > MAX_SIDE:
        raise ValueError(f"channels of {h}x{w} are too large to draw as grids (at most {MAX_SIDE} a side)")
    return x, out


def _table(title: str, grid: Any, seen: bool, chosen: bool, weights: bool = False) -> str:
    """An HTML-like grid: the title, then each cell's value and, after a backward, its δ (or δker)."""
    border = KERNEL if chosen else "gray70"
    if grid is None:
        return f'<<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0"><TR><TD>{title}</TD></TR></TABLE>>'
    width = len(grid[0])
    fill = "#fde68a" if weights else "#eef2ff"
    rows = [f'<TR><TD COLSPAN="{width}">{title}</TD></TR>']
    for row in grid:
        cells = []
        for v in row:
            data = v.data if isinstance(v, Value) else v
            text = escape(number(data))
            if seen and isinstance(v, Value):
                text += f'<BR/><FONT POINT-SIZE="8" COLOR="{FLOW}">{escape(number(v.grad))}</FONT>'
            cells.append(f'<TD BGCOLOR="{fill}">{text}</TD>')
        rows.append(f"<TR>{''.join(cells)}</TR>")
    attrs = f'BORDER="{2 if chosen else 1}" COLOR="{border}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"'
    return f"<<TABLE {attrs}>{''.join(rows)}</TABLE>>"


def _cells(grid: Any) -> list[Any]:
    """The neurons of [channel][row][col] in row order."""
    return [v for channel in grid for row in channel for v in row]
