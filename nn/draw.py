"""The neural structure of a layer or a model, drawn as the seed's figures: neurons o and weights w.

Neurons and weights are numbered from 1, as in the seed: the edge w^{k,j}_i is `layer.weight[j-1][i-1]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise

from autograd import Value
from autograd.draw import Picture, canvas, caption_label, fmt
from nn.activation import Activation, Input1D
from nn.linear import Linear
from nn.module import Module, Scalar, Sequential

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
) -> Picture:
    """The neural structure of a Linear layer L^k, or of a Sequential model layer by layer.

    Input neurons o^{k-1}_i and output neurons o^k_j are circles, one column per layer; each weight
    w^{k,j}_i (and bias b^k_j) is an edge labelled with its value. `flow` is the information flow the
    module saw: the neurons of each layer, input first (`[o^{k-1}, o^k]` for one layer); given it,
    after a backward, each neuron shows its value o and its learning flow δ, and each weight its δw.
    `k` numbers the layer (the model's first layer); by default a lone layer is L^k (or its own `k`)
    and a model starts at L^1. `show_weights=False` leaves the edges unlabelled and faded (a larger
    model stays readable). The caption names each layer on its own line.
    """
    layers = list(module) if isinstance(module, Sequential) else [module]
    for layer in layers:
        if not isinstance(layer, (Linear, Activation, Input1D)):
            raise TypeError(
                f"nn.draw draws Linear, activation and Input1D layers, alone or in a Sequential; "
                f"got {type(layer).__name__}"
            )
        if isinstance(layer, Linear) and layer.in_features * layer.out_features > max_weights:
            raise ValueError(
                f"{layer!r} has {layer.in_features * layer.out_features} weights, more than "
                f"max_weights={max_weights}: draw a smaller layer, or pass a larger max_weights"
            )
    widths = _widths(layers, flow)
    own = module.k if isinstance(module, Linear) else None
    default: int | str = 1 if isinstance(module, Sequential) else "k"
    first: int | str = next(n for n in (k, own, default) if n is not None)

    picture = canvas(rankdir, nodesep="0.3", ranksep="1.2" if show_weights else "0.7")
    picture.attr("edge", arrowsize="0.6")
    biased = {p for p, layer in enumerate(layers) if isinstance(layer, Linear) and layer.bias is not None}
    for c, width in enumerate(widths):
        neurons = flow[c] if flow is not None else [None] * width
        with picture.subgraph() as column:
            column.attr(rank="same")
            ids = [f"c{c}n{i}" for i in range(width)]
            for i, neuron in enumerate(neurons):
                label = _neuron_label(_level(first, c - 1), _level(first, c), i + 1, neuron)
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
    lines = [f"{name} = {escape(fmt(weight.data))}"]
    if seen:
        lines.append(f'<FONT COLOR="{FLOW}">δw = {escape(fmt(weight.grad))}</FONT>')
    return _rows(lines)


def _neuron_label(level: str, next_level: str, i: int, neuron: Value | Scalar | None) -> str:
    """o^level_i in a circle; under it the value o and the learning flow δ^{level+1}_i it received."""
    lines = [_indexed("o", level, i)]
    if neuron is not None:
        data = neuron.data if isinstance(neuron, Value) else neuron
        lines[0] += f" = {escape(fmt(data))}"
    if isinstance(neuron, Value):
        delta = f"{_indexed('δ', next_level, i)} = {escape(fmt(neuron.grad))}"
        lines.append(f'<FONT POINT-SIZE="10" COLOR="{FLOW}">{delta}</FONT>')
    return _rows(lines)


def _rows(lines: list[str]) -> str:
    """An HTML-like label of one row per line, padded so that indices do not touch the next line."""
    rows = "".join(f"<TR><TD>{line}</TD></TR>" for line in lines)
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{rows}</TABLE>>'


def _indexed(name: str, sup: str, sub: int) -> str:
    """name^sup_sub in an HTML-like label, the indices in a smaller font."""
    return f'{name}<SUP><FONT POINT-SIZE="8">{sup}</FONT></SUP><SUB><FONT POINT-SIZE="8">{sub}</FONT></SUB>'


def _layer_name(first: int | str, p: int) -> str:
    """L2 for a numbered layer (as the series' Example names them), L^k, L^{k+1} for a lone layer's."""
    level = _level(first, p)
    return f"L{level}" if level.isdigit() else f"L^{level}" if len(level) == 1 else f"L^{{{level}}}"


def _level(first: int | str, c: int) -> str:
    """The superscript of column c: the number first + c, or `k`, `k-1`, `k+1` for a lone layer."""
    if isinstance(first, int):
        return str(first + c)
    return first + (f"{c:+d}" if c else "")
