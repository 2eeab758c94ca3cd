"""autograd.record_groups / group: the nodes one neuron or layer made, and draw's clusters of them."""

from __future__ import annotations

import re

import pytest

from autograd import Value, draw, group, is_recording_groups, record_groups, topological_order
from autograd.draw import save_svg
from nn import MLP, Linear, half_squared_error


def mlp_loss(**kwargs):  # type: ignore[no-untyped-def]
    """An MLP 2-16-16-1 on one sample (712 Values), its nodes grouped, backward done."""
    model = MLP(2, [16, 16, 1], seed=7)
    with record_groups() as groups:
        out = model([0.5, -1.0])
    loss = half_squared_error(out, [1.0])
    loss.backward()
    return model, groups, loss


def test_outside_record_groups_nothing_is_recorded() -> None:
    x = Value(1.0)
    y = x * 2.0
    assert not is_recording_groups()
    assert group("g", [y], [x]) is None
    with record_groups() as groups:
        assert is_recording_groups()
    assert not is_recording_groups() and len(groups) == 0


def test_a_linear_layer_groups_each_neurons_nodes_inside_the_layer() -> None:
    layer = Linear.from_weights([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5])
    x = [Value(1.0, "x1"), Value(2.0, "x2")]
    with record_groups() as groups:
        outputs = layer(x)
    assert all(v not in groups for v in x)
    for j, output in enumerate(outputs):
        made = [v for v in topological_order(output) if v not in x]
        assert {groups.get(v).name for v in made} == {f"neuron {j + 1}"}  # type: ignore[union-attr]
        neuron = groups.get(output)
        assert neuron is not None and neuron.parent is not None
        assert neuron.parent.name == "Linear(2→2)" and neuron.path() == (neuron.parent, neuron)
        weights = {f"w^{{k,{j + 1}}}_1", f"w^{{k,{j + 1}}}_2", f"b^k_{j + 1}"}
        assert {v.label for v in made if v.is_leaf()} == weights
    assert len(groups) == 2 * 6  # per neuron: 2 weights, 2 products, the bias, the sum


def test_a_second_sample_leaves_the_first_samples_groups_alone() -> None:
    layer = Linear.from_weights([[1.0, 2.0]])
    with record_groups() as groups:
        (first,) = layer([1.0, 2.0])
        (second,) = layer([3.0, 4.0])
    one, two = groups.get(first), groups.get(second)
    assert one is not None and two is not None and one is not two
    w = layer.weight[0][0]
    assert groups.get(w) is one  # a shared weight stays where it was first grouped
    assert one.parent is not two.parent


def test_a_groups_name_must_be_a_str() -> None:
    x = Value(1.0)
    with record_groups(), pytest.raises(TypeError, match="name must be a str, not int"):
        group(3, [x * 2.0], [x])  # type: ignore[arg-type]


def test_draw_boxes_each_group_in_a_nested_cluster() -> None:
    layer = Linear.from_weights([[1.0, 2.0], [3.0, 4.0]])
    x = [Value(1.0, "x1"), Value(2.0, "x2")]
    with record_groups() as groups:
        y = layer(x)
    out = y[0] + y[1]
    source = draw(out, groups=groups).source
    assert source.count("subgraph cluster_") == 3 and 'label="Linear(2→2)"' in source
    layer_at = source.index('label="Linear(2→2)"')
    assert layer_at < source.index('label="neuron 1"') and layer_at < source.index('label="neuron 2"')
    assert "subgraph cluster_" not in draw(out).source


def test_the_issues_mlp_is_refused_flat_and_drawn_collapsed(tmp_path) -> None:
    _, groups, loss = mlp_loss()
    assert len(topological_order(loss)) > 700
    with pytest.raises(ValueError, match=r"more than max_nodes=300.*collapse=True"):
        draw(loss, groups=groups)
    picture = draw(loss, groups=groups, collapse=True)
    boxes = re.findall(r"^\s*(g\d+|v\d+) \[label=", picture.source, flags=re.M)
    assert len(boxes) == 2 + 16 + 16 + 16 + 16 + 1 + 4  # inputs, neurons and relus, the loss's nodes (Σ too)
    assert picture.source.count('label="Linear(') == 3 and "neuron 16 | 34 nodes" in picture.source
    svg = save_svg(picture, tmp_path / "mlp.svg").read_text(encoding="utf-8")
    assert "neuron 16" in svg and "34 nodes" in svg


def test_a_collapsed_layer_lists_its_neurons_1_to_n_top_to_bottom_at_a_readable_size(tmp_path) -> None:
    """The neurons' boxes are declared in order (Graphviz keeps it: neuron 1 on top), the text at least
    6 points once the picture is scaled to the column (COLUMN_INCHES)."""
    _, groups, loss = mlp_loss()
    picture = draw(loss, groups=groups, collapse=True)
    titles = re.findall(r'label="(neuron \d+) \| \d+ nodes', picture.source)
    assert titles[:16] == [f"neuron {j}" for j in range(1, 17)]
    svg = save_svg(picture, tmp_path / "mlp.svg").read_text(encoding="utf-8")
    scale = float(re.search(r"scale\(([\d.]+)", svg).group(1))  # type: ignore[union-attr]
    sizes = {float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)}
    assert min(sizes) * scale >= 6
    ys = {}
    for match in re.finditer(r'<text[^>]* y="([\d.-]+)"[^>]*>(neuron \d+)</text>', svg):
        ys.setdefault(match.group(2), []).append(float(match.group(1)))
    first_layer = [min(ys[f"neuron {j}"]) for j in range(1, 17)]
    assert first_layer == sorted(first_layer)  # 1 at the top, 16 at the bottom


def test_collapse_needs_groups_and_counts_boxes_against_max_nodes() -> None:
    _, groups, loss = mlp_loss()
    with pytest.raises(TypeError, match="collapse=True needs groups"):
        draw(loss, collapse=True)
    with pytest.raises(ValueError, match="collapses to 71 boxes, more than max_nodes=50"):
        draw(loss, groups=groups, collapse=True, max_nodes=50)


def test_collapse_by_name_draws_one_layer_as_one_box(tmp_path) -> None:
    _, groups, loss = mlp_loss()
    picture = draw(loss, groups=groups, collapse={"Linear(16→16)"}, max_nodes=500)
    source = picture.source
    assert "Linear(16→16) | 544 nodes | 16 outputs" in source and "neuron 3 | 34 nodes" not in source
    assert "subgraph cluster_" in source and 'label="neuron 3"' in source  # the other layers stay open
    boxes = re.findall(r"^\s*(g\d+|v\d+) \[label=", source, re.M)
    assert len(boxes) == len(topological_order(loss)) - 544 + 1
    assert "544 nodes" in save_svg(picture, tmp_path / "layer.svg").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"no group is named 'Linear\(3→3\)'.*'neuron 1'"):
        draw(loss, groups=groups, collapse={"Linear(3→3)"})
    with pytest.raises(TypeError, match="collapse must be True or a collection of group names"):
        draw(loss, groups=groups, collapse="Linear(16→16)")
