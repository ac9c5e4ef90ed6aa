"""The compiled network simplex for the cityblock W1 (:mod:`gantheory.engine._flow`): against the HiGHS LP
and POT, warm-started from any spanning tree, and its refusal of a parent array that is not one."""

from __future__ import annotations

import numpy as np
import ot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from gantheory.engine import Grid, lipschitz_constant, wasserstein1
from gantheory.engine._backend import compiled
from gantheory.engine._wasserstein import _grid_edges, _GridFlow, _signed_difference, _w1_cityblock_unit

pytestmark = pytest.mark.skipif(compiled() is None, reason="the network simplex needs Numba (extra 'fast')")

GRIDS = [Grid.uniform([0, 0], [1, 1], [9, 7]), Grid.uniform([-1, 0], [2, 0.5], [6, 11]),
         Grid.uniform([0, 0, 0], [1, 2, 1], [4, 3, 5])]


def _unit(grid, rng, zeros):
    p, q = rng.random(grid.shape) ** rng.integers(1, 8), rng.random(grid.shape) ** rng.integers(1, 8)
    if zeros:
        p.ravel()[rng.integers(0, grid.size, grid.size // 3)] = 0.0
        q.ravel()[: grid.size // 4] = 0.0
    unit, m = _signed_difference(p.ravel(), q.ravel())
    return unit


def _random_tree(grid, rng):
    """A random spanning tree of the grid graph (random-order Kruskal), as a parent array rooted anywhere."""
    tail, head, _ = _grid_edges(grid)
    boss = list(range(grid.size))

    def find(i):
        while boss[i] != i:
            boss[i] = boss[boss[i]]
            i = boss[i]
        return i

    adj = [[] for _ in range(grid.size)]
    for e in rng.permutation(tail.size):
        a, b = find(tail[e]), find(head[e])
        if a != b:
            boss[a] = b
            adj[tail[e]].append(head[e])
            adj[head[e]].append(tail[e])
    root = int(rng.integers(grid.size))
    parent = np.full(grid.size, -2, dtype=np.int64)
    parent[root], stack = -1, [root]
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if parent[w] == -2:
                parent[w] = v
                stack.append(w)
    assert np.all(parent >= -1)
    return parent


@pytest.mark.parametrize("grid", GRIDS, ids=["9x7", "6x11-oblong", "4x3x5"])
@given(seed=st.integers(0, 2**32 - 1), zeros=st.booleans())
@settings(max_examples=25, deadline=None)
def test_network_simplex_equals_the_highs_lp_and_its_critic_attains_it(grid, seed, zeros):
    rng = np.random.default_rng(seed)
    d = _unit(grid, rng, zeros)
    solver = _GridFlow(grid, compiled().flow)
    est, lo, hi, u = solver.solve(d)
    assert solver.status == compiled().flow.OPTIMAL  # solved by the simplex, not by the LP fallback
    ref, ref_lo, ref_hi, _ = _w1_cityblock_unit(d, grid)  # SciPy's HiGHS on the same edges
    scale = sum(h - lo_ for lo_, h in zip(grid.low, grid.high))
    assert est == pytest.approx(ref, rel=1e-9, abs=1e-12 * scale)
    assert lo <= est <= hi and hi - lo <= 1e-9 * scale  # the bracket is tight: 2^-51 per cell of rounding
    assert float(np.dot(d, u)) == pytest.approx(est, rel=1e-9, abs=1e-12 * scale)  # the critic attains it
    assert lipschitz_constant(u.reshape(grid.shape), grid, "cityblock") <= 1 + 1e-12


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_every_spanning_tree_is_a_starting_basis_for_the_same_optimum(seed):
    grid = GRIDS[1]
    rng = np.random.default_rng(seed)
    solver = _GridFlow(grid, compiled().flow)
    d = _unit(grid, rng, bool(seed % 2))
    est = solver.solve(d)[0]
    last = solver.parent.copy()
    d2 = d + 0.1 * _unit(grid, rng, False)
    d2 = d2 / (0.5 * np.abs(d2).sum())
    fresh = solver.solve(d2)[0]
    # from the last optimal tree (a warm start), from a random spanning tree rooted anywhere: same optimum
    for start in (last, _random_tree(grid, rng)):
        assert solver.solve(d2, start=start)[0] == pytest.approx(fresh, rel=1e-12)
        assert solver.status == compiled().flow.OPTIMAL
    assert solver.solve(d)[0] == est


@pytest.mark.parametrize("shape", [(16, 16), (8, 12, 4), (64, 64)])
def test_the_prolonged_coarse_tree_is_a_spanning_tree_and_starts_a_shorter_solve(shape):
    flow = compiled().flow
    s = np.asarray(shape, dtype=np.int64)
    parent = flow.prolong_tree(flow.comb_tree(s // 2), s)
    grid = Grid.uniform([0] * len(shape), [1] * len(shape), list(shape))
    tail, head, _ = _grid_edges(grid)
    b = np.zeros(grid.size, dtype=np.int64)
    # a spanning tree: the kernel accepts it as a basis (it refuses anything else, see below)
    assert flow.network_simplex(tail, head, np.ones(tail.size), b, parent.copy(), 1e-12, 0)[0] != flow.BAD_TREE
    if shape == (64, 64):  # the prolonged optimum of the coarse problem: fewer pivots than a comb
        rng = np.random.default_rng(5)
        x, y = grid.points[..., 0], grid.points[..., 1]
        p = np.exp(-((x - 0.7) ** 2 + (y - 0.7) ** 2) / 0.02) + np.exp(-((x - 0.2) ** 2 + (y - 0.3) ** 2) / 0.02)
        q = np.exp(-((x - 0.5) ** 2 + (y - 0.5) ** 2) / 0.1) + rng.random(grid.shape) * 1e-3
        d, _ = _signed_difference(p.ravel(), q.ravel())
        solver = _GridFlow(grid, flow)
        est = solver.solve(d)[0]
        coarse_pivots = solver.pivots
        assert solver.solve(d, start=flow.comb_tree(s))[0] == pytest.approx(est, rel=1e-12)
        assert coarse_pivots < solver.pivots / 2


@pytest.mark.parametrize("shape", [(12, 16), (6, 8, 4)])
def test_a_path_through_a_prolonged_block_takes_at_most_one_step_to_its_exit(shape):
    """Each block of 2^d cells is a tree rooted at its exit cell, whose parent is in the parent block; the
    cell a block enters its parent block at is that block's exit cell or one step from it (the exit cells
    are aligned along the other axes). With every exit cell at its face's first cell (the rule before),
    an entry can be d steps away: this fails."""
    flow = compiled().flow
    s = np.asarray(shape, dtype=np.int64)
    coarse = Grid.uniform([0] * len(shape), [1] * len(shape), [k // 2 for k in shape])
    cparent = _random_tree(coarse, np.random.default_rng(3))
    parent = flow.prolong_tree(cparent, s)
    block = np.ravel_multi_index(tuple(np.indices(shape).reshape(len(shape), -1) // 2), s // 2)
    exit_of = {}
    for v in range(parent.size):
        p = parent[v]
        if p < 0 or block[p] != block[v]:  # the root, or the cell that leaves its block
            assert block[v] not in exit_of
            exit_of[block[v]] = v
            assert p < 0 or block[p] == cparent[block[v]]  # into the parent block
    assert len(exit_of) == coarse.size
    steps = []
    for c, v in exit_of.items():
        if cparent[c] < 0:
            continue
        entry, hops = parent[v], 0
        while entry != exit_of[cparent[c]]:
            entry, hops = parent[entry], hops + 1
        steps.append(hops)
    assert max(steps) == 1 and min(steps) == 0
    # a parent array with a cycle is no tree: every cell a root, refused by the solver
    bad = cparent.copy()
    root = int(np.flatnonzero(bad < 0)[0])
    bad[root] = int(np.flatnonzero(bad == root)[0])  # the root's child becomes its parent: a 2-cycle
    assert np.all(flow.prolong_tree(bad, s) == -1)


def _certify(grid, cost, b, parent, out):
    """Check the simplex's answer against the optimality conditions themselves: the tree flow meets every
    supply exactly, the potentials are tight on tree arcs and feasible on every arc, zero-flow tree arcs
    point to the root (strongly feasible), and the cost equals the dual objective."""
    status, pi, total, _, arcs = out
    tail, head, _ = _grid_edges(grid)
    assert status == 0
    div = np.zeros(grid.size, dtype=np.int64)  # out - in of the tree flow at each cell
    for v in np.flatnonzero(parent >= 0):
        e, up, f = arcs[v]
        a, b_ = (v, parent[v]) if up else (parent[v], v)
        assert {a, b_} == {tail[e], head[e]}
        assert f >= 0 and (f > 0 or up), "a zero-flow tree arc must point to the root"
        div[a] += f
        div[b_] -= f
        assert cost[e] + pi[a] - pi[b_] == pytest.approx(0.0, abs=1e-9)  # tight
    assert np.array_equal(div, b)
    assert np.min(cost - np.abs(pi[head] - pi[tail])) >= -1e-9  # dual feasible on every arc
    assert total == pytest.approx(float(np.dot(b, -pi)), rel=1e-12)  # strong duality


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_network_simplex_answer_is_certified_on_degenerate_problems(seed):
    """Small integer supplies with many zeros and unit costs: ties everywhere (many zero flows, many
    optimal trees) -- the case Cunningham's leaving rule is there for."""
    rng = np.random.default_rng(seed)
    grid = GRIDS[0] if seed % 2 else Grid.uniform([0, 0], [1, 1], [5, 5])
    flow = compiled().flow
    tail, head, _ = _grid_edges(grid)
    cost = np.ones(tail.size)
    b = rng.integers(-2, 3, grid.size) * (rng.random(grid.size) < 0.4)
    b[int(rng.integers(grid.size))] -= int(b.sum())
    for parent in (flow.comb_tree(np.asarray(grid.shape, dtype=np.int64)), _random_tree(grid, rng)):
        out = flow.network_simplex(tail, head, cost, b, parent, 1e-12, 10**6)
        _certify(grid, cost, b, parent, out)


@pytest.mark.parametrize("start", ["comb", "random"])
def test_long_potential_shifts_walked_as_three_runs_keep_the_answer_certified(start):
    """On 96 x 64 cells many pivots cut the tree into two parts of more than SPLIT_SHIFT cells each, whose
    potentials are shifted along three runs of the thread side by side: the answer still meets the
    optimality conditions, from a comb and from a random spanning tree."""
    flow = compiled().flow
    grid = Grid.uniform([0, 0], [1.5, 1], [96, 64])
    assert grid.size > 2 * flow.SPLIT_SHIFT
    rng = np.random.default_rng(7)
    x, y = grid.points[..., 0], grid.points[..., 1]
    two = np.exp(-((x - 0.4) ** 2 + (y - 0.3) ** 2) / 0.02) + np.exp(-((x - 1.1) ** 2 + (y - 0.7) ** 2) / 0.02)
    one = np.exp(-((x - 0.75) ** 2 + (y - 0.5) ** 2) / 0.08) * (1 + 0.5 * rng.random(grid.shape))
    d = (two / two.sum() - one / one.sum()).ravel()
    b = np.rint(d * 2.0**40).astype(np.int64)
    b[int(np.argmax(np.abs(b)))] -= int(b.sum())
    tail, head, _ = _grid_edges(grid)
    cost = np.ones(tail.size)
    parent = flow.comb_tree(np.asarray(grid.shape, dtype=np.int64)) if start == "comb" else _random_tree(grid, rng)
    out = flow.network_simplex(tail, head, cost, b, parent, 1e-9, 10**7)
    assert out[3] > 1000  # pivots
    _certify(grid, cost, b, parent, out)


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_edge_costs_that_vary_along_a_run_of_consecutive_edges_are_priced_each(seed):
    """Pricing reads the edges as runs with one step head - tail and one cost; a cost that changes inside a
    run of consecutive tails starts a new run. With a cost of 1 to 4 on every edge the answer still meets
    the optimality conditions."""
    rng = np.random.default_rng(seed)
    grid = GRIDS[int(seed % 2)]
    flow = compiled().flow
    tail, head, _ = _grid_edges(grid)
    cost = rng.integers(1, 5, tail.size).astype(float)
    b = rng.integers(-50, 51, grid.size)
    b[int(rng.integers(grid.size))] -= int(b.sum())
    parent = _random_tree(grid, rng)
    out = flow.network_simplex(tail, head, cost, b, parent, 1e-9, 10**6)
    _certify(grid, cost, b, parent, out)


def test_network_simplex_refuses_a_parent_array_that_is_not_a_spanning_tree():
    grid = GRIDS[0]
    flow = compiled().flow
    tail, head, length = _grid_edges(grid)
    b = np.zeros(grid.size, dtype=np.int64)
    b[0], b[-1] = 5, -5
    good = flow.comb_tree(np.asarray(grid.shape, dtype=np.int64))
    status, pi, total, _, _ = flow.network_simplex(tail, head, length, b, good.copy(), 1e-12, 10**6)
    assert status == flow.OPTIMAL and total == pytest.approx(5 * (grid.high[0] + grid.high[1] - sum(grid.widths)))
    not_an_edge = good.copy()
    not_an_edge[-1] = 0  # the last cell is not a neighbour of the first
    two_roots = good.copy()
    two_roots[5] = -1
    cycle = good.copy()
    cycle[1], cycle[0] = 0, 1  # 0 <-> 1 and no root
    for parent in (not_an_edge, two_roots, cycle):
        assert flow.network_simplex(tail, head, length, b, parent, 1e-12, 10**6)[0] == flow.BAD_TREE
    # the solver object falls back to a cold start when handed a broken tree
    solver = _GridFlow(grid, flow)
    solver.parent = cycle.copy()
    d = b / 5.0
    assert solver.solve(d)[0] == pytest.approx(total / 5)


@pytest.mark.parametrize("n", [32, pytest.param(64, marks=pytest.mark.slow)])
def test_wasserstein1_cityblock_runs_the_network_simplex_and_agrees_with_pot(n):
    grid = Grid.uniform([-4, -4], [4, 4], [n, n])
    x, y = grid.points[..., 0], grid.points[..., 1]
    p = grid.normalize(np.exp(-((x - 1) ** 2 + (y - 1) ** 2) / 0.5) + np.exp(-((x + 1.5) ** 2 + y**2) / 0.3))
    q = grid.normalize(np.exp(-((x + 0.5) ** 2 + (y - 1.5) ** 2)))
    res = wasserstein1(p, q, grid, metric="cityblock")
    assert res.method == "network-simplex"
    pts = grid.points.reshape(-1, 2)
    ref = ot.emd2(p.ravel() / p.sum(), q.ravel() / q.sum(), cdist(pts, pts, "cityblock"), numItermax=10**8)
    assert res.distance == pytest.approx(ref, rel=1e-9)
    assert float(np.sum((p - q) * res.critic)) * grid.cell_volume == pytest.approx(ref, rel=1e-9)
    assert lipschitz_constant(res.critic, grid, "cityblock") <= 1 + 1e-12
