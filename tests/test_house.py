"""The second dimension's Example, in Fractions: every grid the article prints, L2 to L5, and the final 6."""

from __future__ import annotations

from fractions import Fraction

from autograd import Value, count_paths
from nn import Conv2D, Input2D
from nn.data import K2, house

# L2's printed output, before the biases, channels 0..5 (the article's figures)
L2_PRINTED = """
 128  128  128  730  128  429  128 |  128  429  128  730  128  128  128 |  256  557 1159  858  557  557    0
 128  128 1031  128  429 -106  301 |  301  128  429 -106 1031  128  128 |  557 1287 1588  451  752  451  301
 128 1031  429  429 -340  429    0 |    0  429 -106  429  195 1031  128 | 1159 1588  752  585  752  986  301
 730  128  301   26  728  427  173 |  173  193  728  494  301 -106  730 |  730  622 1055 1248 1991  622 -128
 128  301  260  494  535  301 -301 | -301  301  301  728  494   67  128 |  602 1417  990 1224  838  451    0
 301  494  494  301  301  128    0 |    0  128  301  301  494  494  301 |  775 1309  903 1482  903  577  173
 301  366    0    0    0 -366 -301 | -301 -366    0    0    0  366  301 |  346  386 -386  386 -386 -346 -256
 512  557 1159  858  -45  -45    0 |    0  -45  -45  858 1159  557  512 |  512 1069 1671 1972 1671 1069  512
1069 1287 1588 1053  150  317 -301 | -301   83  384 1521 1354 1053 1069 | 1069 2055 2958 3025 2724 1821 1069
1671 1588 1354  585  752  852 -301 | -301  384 1220 1521  886 1120 1671 | 1671 2958 3326 3159 2858 2490 1671
1844 1826 1311  650  925  960 -474 | -474  492 1393 1586  843 1358 1844 | 1844 3196 3629 3354 3161 2728 1844
1716 1763 1376  756 1224  533 -346 | -346  299 1458 1224 1142 1529 1716 | 1716 3133 3438 3590 3204 2899 1716
1287 2001 1675 1096 1289 -195 -519 | -519 -195 1289 1096 1675 2001 1287 | 1287 2769 3481 4060 3481 2769 1287
 858 1334  988  602  988 -130 -346 | -346 -130  988  602  988 1334  858 |  858 1846 2192 2578 2192 1846  858
"""
L3_ONES = [{(1, 2), (2, 1)}, {(1, 4), (2, 5)}, {(3, 4)}, {(5, 1)}, {(5, 5)}, {(5, 3)}]
L4_ONES = [{(1, 3), (2, 2)}, {(1, 3), (2, 4)}, {(3, 4)}, {(4, 2)}, {(4, 4)}, {(4, 3)}]
L5_PRINTED = {(3, 3): 6, (2, 2): 1, (2, 4): 1}


def printed_l2() -> list[list[list[int]]]:
    """The six printed channels [o][i][j]."""
    lines = L2_PRINTED.strip().splitlines()
    channels: list[list[list[int]]] = [[] for _ in range(6)]
    for k, line in enumerate(lines):
        for part, cells in enumerate(line.split("|")):
            channels[3 * (k // 7) + part].append([int(v) for v in cells.split()])
    return channels


def grid_of(ones: dict[tuple[int, int], int] | set[tuple[int, int]]) -> list[list[int]]:
    """A 7x7 grid of zeros with the given values (1 for a set of positions)."""
    values = ones if isinstance(ones, dict) else dict.fromkeys(ones, 1)
    return [[values.get((i, j), 0) for j in range(7)] for i in range(7)]


def numbers(channels: list[list[list[Value]]]) -> list[list[list[Fraction]]]:
    return [[[v.data for v in row] for row in ch] for ch in channels]


def test_the_article_worked_numbers_on_the_red_channel() -> None:
    red = Input2D(1, 7, 7)([house().image[0]])
    out = Conv2D.from_weights([[[list(row) for row in K2[0]]]], padding=1)(red)[0]
    assert out[6][0].data == 152 and out[3][3].data == 53  # r²₆,₀ and r²₃,₃


def test_every_printed_grid_of_the_house_example() -> None:
    model = house().model()
    l1, l2, l3, l4, l5 = model
    o1 = l1(house().image)
    o2 = l2(o1)
    assert l2.bias is not None
    biases = [b.data for b in l2.bias]
    assert [[[v - b for v in row] for row in ch] for ch, b in zip(numbers(o2), biases)] == printed_l2()
    o3 = l3(o2)
    assert numbers(o3) == [grid_of(ones) for ones in L3_ONES]
    o4 = l4(o3)
    assert numbers(o4) == [grid_of(ones) for ones in L4_ONES]
    o5 = l5(o4)
    assert numbers(o5) == [grid_of(L5_PRINTED)]
    assert all(isinstance(v, Fraction) for v in [v for ch in numbers(o5) for row in ch for v in row])
    assert numbers(model(house().image)) == numbers(o5)


def test_the_house_pixel_learns_from_its_roof_kernel() -> None:
    """The final 6 back-propagated to the red centre of the left roof kernel: of its many paths of impacts
    only one has no zero factor, through L3's 1 at (2, 1), L4's at (2, 2) and L5's corner weight."""
    model = house().model()
    out = model(house().image)[0][3][3]
    out.backward()
    centre = model[1].weight[0][0][1][1]
    assert count_paths(out, centre) > 1 and isinstance(centre.grad, Fraction)
    assert centre.grad == house().image[0][2][1] == 147
