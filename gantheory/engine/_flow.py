"""Exact min-cost flow on a grid's neighbour graph by the primal network simplex (Numba), warm-startable.

The cityblock W1 between two densities on a grid is the min-cost flow on the grid's neighbour edges
(both directions, uncapacitated, cost = the edge's length) from d+ to d-; the node potentials of an
optimal basis are a critic that is 1-Lipschitz on every edge. This module is loaded only through
:func:`gantheory.engine._backend.compiled` (Numba installed); without it the engine solves the same
problem as an LP with SciPy's HiGHS.

The algorithm is the primal network simplex on spanning trees (Ahuja, Magnanti & Orlin, *Network
Flows*, 1993, ch. 11), with Cunningham's strongly feasible trees against cycling (Cunningham 1976):

- Supplies are integers (the caller scales the unit-mass difference to 2^50 and rounds), so flows are
  exact and ratio tests have exact ties.
- On an uncapacitated network whose edges exist in both directions *every* spanning tree is a
  feasible basis: each tree edge is oriented the way its subtree's net supply flows (away from the
  root when that is zero, which makes the tree strongly feasible). So the solver starts from any
  spanning tree -- a comb on a cold start, the last optimal tree on a warm start, where the supplies
  changed a little and most of the tree is still optimal.
- Entering arc: block search (the most negative reduced cost within a block of about sqrt(#arcs) arcs,
  the search resuming where it stopped). Leaving arc: Cunningham's rule (the last blocking arc of the
  cycle, traversed from its apex).
- The tree is kept as parent pointers and doubly linked child lists; a pivot re-hangs the subtree cut
  off by the leaving arc and shifts its potentials in one depth-first pass.
"""

from __future__ import annotations

import numba
import numpy as np

_JIT = {"cache": True, "nogil": True, "boundscheck": False}

#: Return codes of :func:`network_simplex`.
OPTIMAL, ITERATION_LIMIT, BAD_TREE = 0, 1, 2


@numba.njit(**_JIT)
def _arc_tail(arc, tail, head):
    e = arc >> 1
    return tail[e] if arc & 1 == 0 else head[e]


@numba.njit(**_JIT)
def _unlink(w, parent, first_child, next_sib, prev_sib):
    if prev_sib[w] >= 0:
        next_sib[prev_sib[w]] = next_sib[w]
    else:
        first_child[parent[w]] = next_sib[w]
    if next_sib[w] >= 0:
        prev_sib[next_sib[w]] = prev_sib[w]


@numba.njit(**_JIT)
def _link(w, p, first_child, next_sib, prev_sib):
    f = first_child[p]
    next_sib[w] = f
    prev_sib[w] = -1
    if f >= 0:
        prev_sib[f] = w
    first_child[p] = w


@numba.njit(**_JIT)
def network_simplex(tail, head, cost, supply, parent, eps, max_pivots):
    """Min-cost flow from ``supply`` (int64, sum 0; > 0 at sources) on the edges (tail[e], head[e]) in
    both directions with cost[e] > 0, starting from the spanning tree ``parent`` (parent[root] = -1;
    overwritten with the final tree).

    Returns ``(status, potentials, cost, pivots)``: the potentials pi satisfy cost[e] + pi[a] - pi[b] >= -eps
    for every arc a -> b (= 0 on tree arcs), status is OPTIMAL, ITERATION_LIMIT or BAD_TREE (``parent``
    is not a spanning tree of the edges' graph), ``cost`` = sum of cost x flow over the tree arcs.
    """
    n = supply.shape[0]
    m = tail.shape[0]
    pi = np.zeros(n)
    # adjacency (CSR): the edge joining a node to its parent in the starting tree
    start = np.zeros(n + 1, dtype=np.int64)
    for e in range(m):
        start[tail[e] + 1] += 1
        start[head[e] + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    fill = start[:n].copy()
    nbr = np.empty(2 * m, dtype=np.int64)
    nbr_edge = np.empty(2 * m, dtype=np.int64)
    for e in range(m):
        a, b = tail[e], head[e]
        nbr[fill[a]] = b
        nbr_edge[fill[a]] = e
        fill[a] += 1
        nbr[fill[b]] = a
        nbr_edge[fill[b]] = e
        fill[b] += 1

    first_child = np.full(n, -1, dtype=np.int64)
    next_sib = np.full(n, -1, dtype=np.int64)
    prev_sib = np.full(n, -1, dtype=np.int64)
    parc = np.full(n, -1, dtype=np.int64)  # arc to the parent: 2e (tail -> head) or 2e + 1 (head -> tail)
    pflow = np.zeros(n, dtype=np.int64)  # flow on that arc, in its direction, >= 0
    depth = np.zeros(n, dtype=np.int64)
    root = -1
    for v in range(n):
        p = parent[v]
        if p < 0:
            if root >= 0:
                return BAD_TREE, pi, 0.0, 0
            root = v
            continue
        if p >= n:
            return BAD_TREE, pi, 0.0, 0
        found = -1
        for k in range(start[v], start[v + 1]):
            if nbr[k] == p:
                found = nbr_edge[k]
                break
        if found < 0:
            return BAD_TREE, pi, 0.0, 0
        parc[v] = 2 * found
        _link(v, p, first_child, next_sib, prev_sib)
    if root < 0:
        return BAD_TREE, pi, 0.0, 0
    # preorder from the root (every node reached once iff parent is a spanning tree)
    order = np.empty(n, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    stack[0] = root
    top = 1
    cnt = 0
    while top > 0:
        top -= 1
        v = stack[top]
        if cnt == n:
            return BAD_TREE, pi, 0.0, 0
        order[cnt] = v
        cnt += 1
        c = first_child[v]
        while c >= 0:
            depth[c] = depth[v] + 1
            stack[top] = c
            top += 1
            c = next_sib[c]
    if cnt != n:
        return BAD_TREE, pi, 0.0, 0
    # tree flows: the net supply of each subtree leaves it through the arc to its parent
    net = supply.copy()
    for k in range(n - 1, 0, -1):
        v = order[k]
        p = parent[v]
        e = parc[v] >> 1
        f = net[v]
        if f > 0:  # v -> p
            parc[v] = 2 * e if tail[e] == v else 2 * e + 1
            pflow[v] = f
        else:  # p -> v, also at zero flow (strongly feasible: zero-flow arcs point away from the root)
            parc[v] = 2 * e if tail[e] == p else 2 * e + 1
            pflow[v] = -f
        net[p] += f
    # potentials: cost + pi[tail] - pi[head] = 0 on tree arcs
    for k in range(1, n):
        v = order[k]
        p = parent[v]
        c = cost[parc[v] >> 1]
        if _arc_tail(parc[v], tail, head) == p:
            pi[v] = pi[p] + c
        else:
            pi[v] = pi[p] - c

    narcs = 2 * m
    block = max(64, int(np.sqrt(narcs)))
    nxt = 0
    pivots = 0
    status = OPTIMAL
    while True:
        # entering arc: block search
        best = -eps
        a_in = -1
        seen = 0
        a = nxt
        for _ in range(narcs):
            e = a >> 1
            if a & 1 == 0:
                rc = cost[e] + pi[tail[e]] - pi[head[e]]
            else:
                rc = cost[e] + pi[head[e]] - pi[tail[e]]
            if rc < best:
                best = rc
                a_in = a
            a += 1
            if a == narcs:
                a = 0
            seen += 1
            if seen == block:
                if a_in >= 0:
                    break
                seen = 0
        if a_in < 0:
            break
        if pivots == max_pivots:
            status = ITERATION_LIMIT
            break
        pivots += 1
        nxt = a
        e = a_in >> 1
        if a_in & 1 == 0:
            x, y = tail[e], head[e]
        else:
            x, y = head[e], tail[e]
        # apex of the cycle x -> y -> ... -> join -> ... -> x
        u, w = x, y
        while u != w:
            if depth[u] > depth[w]:
                u = parent[u]
            elif depth[w] > depth[u]:
                w = parent[w]
            else:
                u = parent[u]
                w = parent[w]
        join = u
        # leaving arc: the last blocking arc of the cycle traversed from the apex (Cunningham)
        delta = np.iinfo(np.int64).max
        out = -1
        out_x_side = True
        w = x
        while w != join:  # traversed parent -> w: arcs w -> parent block
            if _arc_tail(parc[w], tail, head) == w and pflow[w] < delta:
                delta = pflow[w]
                out = w
            w = parent[w]
        w = y
        while w != join:  # traversed w -> parent: arcs parent -> w block
            if _arc_tail(parc[w], tail, head) != w and pflow[w] <= delta:
                delta = pflow[w]
                out = w
                out_x_side = False
            w = parent[w]
        if out < 0:  # a negative cycle of uncapacitated arcs: impossible with positive costs
            return BAD_TREE, pi, 0.0, pivots
        if delta > 0:
            w = x
            while w != join:
                if _arc_tail(parc[w], tail, head) == w:
                    pflow[w] -= delta
                else:
                    pflow[w] += delta
                w = parent[w]
            w = y
            while w != join:
                if _arc_tail(parc[w], tail, head) == w:
                    pflow[w] += delta
                else:
                    pflow[w] -= delta
                w = parent[w]
        # re-hang the subtree cut off by the leaving arc at the entering arc's endpoint s inside it
        rc = cost[e] + pi[x] - pi[y]
        if out_x_side:
            s, q, sigma = x, y, -rc
        else:
            s, q, sigma = y, x, rc
        prev_node, prev_arc, prev_flow = q, a_in, delta
        w = s
        while True:
            old_parent, old_arc, old_flow = parent[w], parc[w], pflow[w]
            _unlink(w, parent, first_child, next_sib, prev_sib)
            _link(w, prev_node, first_child, next_sib, prev_sib)
            parent[w] = prev_node
            parc[w] = prev_arc
            pflow[w] = prev_flow
            if w == out:
                break
            prev_node, prev_arc, prev_flow = w, old_arc, old_flow
            w = old_parent
        stack[0] = s
        top = 1
        while top > 0:
            top -= 1
            v = stack[top]
            pi[v] += sigma
            depth[v] = depth[parent[v]] + 1
            c = first_child[v]
            while c >= 0:
                stack[top] = c
                top += 1
                c = next_sib[c]
    total = 0.0
    for v in range(n):
        if v != root:
            total += cost[parc[v] >> 1] * pflow[v]
    return status, pi, total, pivots


@numba.njit(**_JIT)
def comb_tree(shape):
    """A spanning tree of the grid graph of ``shape`` (C order): each cell's parent decrements its last
    nonzero coordinate; the root is cell 0."""
    nd = shape.shape[0]
    n = 1
    for k in range(nd):
        n *= shape[k]
    strides = np.ones(nd, dtype=np.int64)
    for k in range(nd - 2, -1, -1):
        strides[k] = strides[k + 1] * shape[k + 1]
    parent = np.full(n, -1, dtype=np.int64)
    for v in range(1, n):
        for k in range(nd - 1, -1, -1):
            if (v // strides[k]) % shape[k] > 0:
                parent[v] = v - strides[k]
                break
    return parent
