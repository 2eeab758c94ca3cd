"""Module: named parameters, zero_grad, state_dict and JSON files, repr; Sequential and MLP."""

from __future__ import annotations

import json
import math
import os
import signal
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from nn import MLP, Input1D, LeakyReLU, Linear, Module, Neuron, ReLU, Sequential, Tanh, load, module, save


def model() -> Sequential:
    return Sequential(Linear(3, 2, seed=0), ReLU(), Linear(2, 1, bias=False, seed=1))


def test_named_parameters_have_stable_dotted_names() -> None:
    names = [name for name, _ in model().named_parameters()]
    assert names == [
        "0.weight.0.0", "0.weight.0.1", "0.weight.0.2", "0.weight.1.0", "0.weight.1.1", "0.weight.1.2",
        "0.bias.0", "0.bias.1", "2.weight.0.0", "2.weight.0.1",
    ]
    m = model()
    assert dict(m.named_parameters())["0.weight.1.2"] is m[0].weight[1][2]
    assert m.parameters() == [p for _, p in m.named_parameters()]


def test_zero_grad_resets_every_weight() -> None:
    m = model()
    m([1.0, 2.0, 3.0])[0].backward()
    assert any(p.grad != 0 for p in m.parameters())
    m.zero_grad()
    assert all(p.grad == 0 for p in m.parameters())


def test_state_dict_round_trip() -> None:
    source, target = model(), Sequential(Linear(3, 2, seed=5), ReLU(), Linear(2, 1, bias=False, seed=6))
    state = source.state_dict()
    assert all(isinstance(v, float) for v in state.values())
    target.load_state_dict(state)
    assert target.state_dict() == state
    x = [0.5, -1.0, 2.0]
    assert target(x)[0].data == source(x)[0].data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("0.bias.1"), r"missing 1 \(0.bias.1\)"),
        (lambda s: s.update({"3.weight.0.0": 1.0}), r"unexpected 1 \(3.weight.0.0\)"),
        (lambda s: s.update({"2.weight.0.1": [1.0, 2.0]}), r"2.weight.0.1.*list"),
    ],
)
def test_a_bad_state_dict_is_refused_and_changes_nothing(change, message: str) -> None:
    m = model()
    before = m.state_dict()
    bad = {name: 9.0 for name in before}
    change(bad)
    with pytest.raises((ValueError, TypeError), match=message):
        m.load_state_dict(bad)
    assert m.state_dict() == before


def test_a_state_dict_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="missing"):
        Linear(3, 2).load_state_dict(Linear(2, 3).state_dict())


def test_save_and_load_json_keep_floats_and_fractions_exact(tmp_path: Path) -> None:
    m = Sequential(Linear.from_weights([[Fraction(1, 3), 0.1]], [Fraction(-3, 11600)]))
    path = tmp_path / "weights.json"
    save(m, path)
    written = json.loads(path.read_text())
    assert written == {"0.weight.0.0": "1/3", "0.weight.0.1": 0.1, "0.bias.0": "-3/11600"}
    other = Sequential(Linear(2, 1, seed=3))
    load(other, path)
    assert other.state_dict() == m.state_dict()
    assert isinstance(other.state_dict()["0.bias.0"], Fraction)


def test_save_refuses_symbolic_weights(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"'weight.0.0'.*Symbol"):
        save(Linear.from_weights([[sympy.Symbol("w")]]), tmp_path / "w.json")


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("[1, 2]", ValueError, "JSON object"),
        ('{"weight.0.0": "one third"}', ValueError, "'weight.0.0'.*fraction"),
        ('{"weight.0.0": true}', TypeError, "'weight.0.0'.*bool"),
        ('{"weight.0.1": 1.0}', ValueError, "missing"),
    ],
)
def test_load_refuses_a_bad_file_and_changes_nothing(
    tmp_path: Path, content: str, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    layer = Linear.from_weights([[0.5]])
    with pytest.raises(error, match=message):
        load(layer, path)
    assert layer.state_dict() == {"weight.0.0": 0.5}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"weight.0.0": NaN}', "'weight.0.0' is NaN"),
        ('{"weight.0.0": -Infinity}', "'weight.0.0' is -Infinity"),
        ('{"weight.0.0": "1e30000000"}', "'weight.0.0'.*MAX_STATE_DIGITS"),
        ('{"weight.0.0": "1e-30000000"}', "'weight.0.0'.*MAX_STATE_DIGITS"),
        ('{"weight.0.0": "' + "7" * 70_000 + '"}', "'weight.0.0'.*MAX_STATE_DIGITS"),
        ('{"weight.0.0": "1/' + "3" * 70_000 + '"}', "'weight.0.0'.*MAX_STATE_DIGITS"),
        ('{"weight.0.0": "1/0"}', "'weight.0.0'.*divides by zero"),
        ('{"weight.0.0": ' + "9" * 5000 + "}", "'weight.0.0'.*beyond a float"),
        ('{"weight.0.0": 1e400}', "'weight.0.0'"),
        ('{"weight.0.0": 1.0, "weight.0.0": 2.0}', "'weight.0.0' twice"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"weight.0.0": 1.0', "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_load_refuses_nan_duplicates_and_nesting_by_name(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    layer = Linear.from_weights([[0.5]])
    with pytest.raises(ValueError, match=message) as error:
        load(layer, path)
    assert len(str(error.value)) < 300
    assert layer.state_dict() == {"weight.0.0": 0.5}


def test_load_refuses_a_device_or_a_folder_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "zeros.json"
    link.symlink_to("/dev/zero")
    layer = Linear.from_weights([[0.5]])
    with pytest.raises(ValueError, match="not a regular file"):
        load(layer, link)
    with pytest.raises((ValueError, IsADirectoryError)):
        load(layer, tmp_path)


def test_load_refuses_a_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "MAX_STATE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text('{"weight.0.0": ' + "0" * 200 + "1}")
    with pytest.raises(ValueError, match="MAX_STATE_BYTES = 100"):
        load(Linear.from_weights([[0.5]]), path)


def test_a_state_of_another_shape_says_both_shapes_in_a_short_message(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as error:
        MLP(2, [16, 16, 1], seed=0).load_state_dict(MLP(3, [8, 1], seed=0).state_dict())
    message = str(error.value)
    assert "the model has 0.weight 16×2" in message and "the state has 0.weight 8×3" in message
    assert "missing 304 (0.weight.8.0, 0.weight.8.1, …)" in message and len(message) < 300
    many = {f"extra.{n}": 1.0 for n in range(100_000)}
    with pytest.raises(ValueError, match=r"unexpected 100000 \(extra.0, extra.1, …\)") as error:
        Linear.from_weights([[0.5]]).load_state_dict({"weight.0.0": 1.0, **many})
    assert len(str(error.value)) < 300


def keep_failing_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make os.<name> fail as a full disk would."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module.os, name, fail)


@pytest.mark.parametrize(
    ("weight", "failing", "error", "message"),
    [
        (math.nan, None, ValueError, "'0.weight.0.1'.*nan"),
        (math.inf, None, ValueError, "'0.weight.0.1'.*inf"),
        (0.25, "fsync", OSError, "No space"),
        (0.25, "replace", OSError, "No space"),
    ],
)
def test_save_is_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weight: float, failing: str | None,
    error: type[Exception], message: str,
) -> None:
    path = tmp_path / "weights.json"
    save(Sequential(Linear.from_weights([[1.0, 2.0]])), path)
    good = path.read_bytes()
    model = Sequential(Linear.from_weights([[1.0, weight]]))
    if failing:
        keep_failing_at(monkeypatch, failing)
    with pytest.raises(error, match=message):
        save(model, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["weights.json"]


def test_save_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    save(Linear.from_weights([[0.5]]), path)
    assert path.stat().st_mode & 0o777 == 0o644  # a new file: readable by all, as open() would make it
    path.chmod(0o600)
    save(Linear.from_weights([[0.25]]), path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_load_reads_json_integers_as_floats(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"weight.0.0": 2}')
    layer = Linear.from_weights([[0.5]])
    load(layer, path)
    assert layer.state_dict() == {"weight.0.0": 2.0} and isinstance(layer.weight[0][0].data, float)


def test_repr_reads_like_pytorch() -> None:
    m = Sequential(Input1D(3), Linear(3, 1, bias=False), ReLU(), Sequential(Tanh(), LeakyReLU(0.2)))
    assert repr(m) == (
        "Sequential(\n"
        "  (0): Input1D(n=3)\n"
        "  (1): Linear(in_features=3, out_features=1, bias=False)\n"
        "  (2): ReLU()\n"
        "  (3): Sequential(\n"
        "    (0): Tanh()\n"
        "    (1): LeakyReLU(slope=0.2)\n"
        "  )\n"
        ")"
    )
    assert repr(Neuron(2)) == "Neuron(in_features=2, bias=True)"


def test_sequential_chains_the_layers() -> None:
    m = model()
    x = [1.0, -2.0, 0.5]
    assert m(x)[0].data == m[2](m[1](m[0](x)))[0].data
    assert len(m) == 3 and list(m) == m.layers


def test_sequential_refuses_a_layer_class() -> None:
    with pytest.raises(TypeError, match=r"layer 1 is a type.*'\(\)'"):
        Sequential(Linear(2, 2), ReLU)  # type: ignore[arg-type]


def test_mlp_alternates_linear_and_activation_and_ends_linear() -> None:
    m = MLP(2, [16, 16, 1], seed=0)
    assert [type(layer) for layer in m] == [Linear, ReLU, Linear, ReLU, Linear]
    assert [(layer.in_features, layer.out_features) for layer in m if isinstance(layer, Linear)] == [
        (2, 16), (16, 16), (16, 1),
    ]
    assert MLP(2, [16, 16, 1], seed=0).state_dict() == m.state_dict()
    assert MLP(2, [16, 16, 1], seed=1).state_dict() != m.state_dict()
    assert m[0].state_dict() != m[2].state_dict()  # each layer draws its own weights
    assert [type(layer) for layer in MLP(3, [4, 1], activation=Tanh)] == [Linear, Tanh, Linear]
    assert len(m([0.1, 0.2])) == 1


def test_mlp_needs_a_size() -> None:
    with pytest.raises(ValueError, match="at least one layer"):
        MLP(2, [])


def test_a_module_without_forward_says_so() -> None:
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        Module()([1.0])


# -- issue 21: save and load against special files, big exact weights and costly numbers -----------


def test_a_new_file_follows_the_umask_as_open_would(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        save(Linear.from_weights([[0.5]]), tmp_path / "private.json")
    finally:
        os.umask(previous)
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600


def test_saving_to_a_symbolic_link_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    save(Linear.from_weights([[0.5]]), real)
    link.symlink_to(real.name)
    save(Linear.from_weights([[0.25]]), link)
    assert link.is_symlink() and json.loads(real.read_text()) == {"weight.0.0": 0.25}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


@pytest.mark.parametrize("special", ["", "fifo", "folder", "device"])
def test_save_refuses_an_empty_path_a_fifo_a_folder_and_a_device(tmp_path: Path, special: str) -> None:
    places = {"fifo": tmp_path / "fifo", "folder": tmp_path, "device": tmp_path / "null"}
    target = places.get(special, special)
    if special == "fifo":
        os.mkfifo(target)
    if special == "device":  # reached through a link: code that replaced the link would leave /dev/null be
        target.symlink_to("/dev/null")
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ValueError, match="cannot write") as error:
        save(Linear.from_weights([[0.5]]), target)
    assert repr(os.fspath(target)) in str(error.value)
    assert sorted(tmp_path.iterdir()) == before
    assert Path("/dev/null").is_char_device()


def test_load_of_a_fifo_is_refused_without_waiting_on_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    def stalled(*_: object) -> None:
        raise TimeoutError("load() waited on a FIFO")

    previous = signal.signal(signal.SIGALRM, stalled)  # a hang fails the test instead of stalling the run
    signal.alarm(10)
    try:
        with pytest.raises(ValueError, match="not a regular file"):
            load(Linear.from_weights([[0.5]]), fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_costly_number_is_refused_within_a_second(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text('{"weight.0.0": "1e30000000"}')
    started = time.process_time()
    with pytest.raises(ValueError, match=r"'weight\.0\.0'"):
        load(Linear.from_weights([[0.5]]), path)
    assert time.process_time() - started < 5  # a guard against a stall, not a measure of speed


def test_exact_weights_of_more_than_4300_digits_survive_save_and_load(tmp_path: Path) -> None:
    big = Fraction(-(3**20_000) + 1, 7**9_000)  # 9,543 and 7,606 digits: past Python's int-string limit
    layer = Linear.from_weights([[big]])
    save(layer, tmp_path / "big.json")
    copy = Linear.from_weights([[Fraction(0)]])
    load(copy, tmp_path / "big.json")
    assert copy.state_dict() == {"weight.0.0": big}


def test_the_digit_limits_of_save_and_load_match(tmp_path: Path) -> None:
    widest = Fraction(10 ** (module.MAX_STATE_DIGITS - 1))  # MAX_STATE_DIGITS digits: the widest load reads
    layer = Linear.from_weights([[widest]])
    save(layer, tmp_path / "wide.json")
    load(layer, tmp_path / "wide.json")
    assert layer.state_dict() == {"weight.0.0": widest}
