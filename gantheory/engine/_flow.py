"""Exact min-cost flow on a grid's neighbour graph by the primal network simplex (Numba).

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
  feasible basis: each tree edge is oriented the way its subtree's net supply flows (towards the
  root when that is zero: then flow can be sent from any node to the root along the tree, which is
  what makes a tree strongly feasible). So the solver starts from any spanning tree: a comb, or
  (:func:`prolong_tree`) the optimal tree of the problem coarsened by 2 per axis, prolonged.
- Entering arc: block search (the most negative reduced cost within a block of ``PRICING_BLOCK`` edges,
  the search resuming where it stopped). The edges are priced as runs with one step head - tail and one
  cost over consecutive tails (a grid's edges along one axis, row by row), so a search reads the
  potentials in order and nothing else (a quarter of a late 256 x 256 solve was pricing; 5-12 % off).
- Leaving arc: Cunningham's rule (the last blocking arc of the cycle, traversed from its apex).
- The tree is kept as parent pointers and subtree sizes (a row of four int64 per node: what the walks
  up the cycle read and write, 32 bytes, so a row never straddles two cache lines; 5-6 % off the 256 x 256
  solves against six columns) and as its preorder,
  a cyclic list in which every subtree is the run from its root to its last descendant (``following``,
  ``preceding``, ``rlast``; the thread indices of Ahuja, Magnanti & Orlin, ch. 11). A pivot cuts the run of the
  part the leaving arc cuts off, reorders it for its new root in one pass over the stem, and inserts it
  after its new parent. As only differences of potentials matter, the smaller of the two parts has its
  potentials shifted, in a walk along its run (measured on the Wasserstein descent's 256 x 256 solves:
  3.5 ns a node, against 4.5 ns for the depth-first pass over child lists it replaced); a long one is
  walked as three runs side by side, split at a stem node or an ancestor whose subtree holds about half
  of it (a walk is a chain of dependent loads: three overlap; 12 % off a late solve). The apex of the
  cycle is found by walking up from the side with the smaller subtree. (The starting tree is hung from
  its centroid; with the smaller-side shift the root no longer matters for the cost of a pivot.)
"""

from __future__ import annotations

import numba
import numpy as np

_JIT = {"cache": True, "nogil": True, "boundscheck": False}

#: Edges priced per block: the entering arc is the most negative reduced cost among the first block that
#: has one, the search resuming where it stopped (measured on seven solves along the Wasserstein descent at
#: 256 x 256: 8 edges take 0.98 s with 161 000 pivots; 4 take 0.96-1.0 s, 16 take 1.04-1.11 s with 160 000;
#: 64 take 1.16-1.18 s with 170 000; 128 (a quarter of sqrt(#arcs), the rule before) 1.33-1.37 s with
#: 180 000; one edge, the first eligible arc, 1.0 s with 180 000).
PRICING_BLOCK = 8

#: Return codes of :func:`network_simplex`.
OPTIMAL, ITERATION_LIMIT, BAD_TREE = 0, 1, 2

#: Columns of the per-node row ``nd``: parent, 1 if the tree arc points to the parent, its flow, subtree
#: size; and of the row ``ep``, read only where a tree arc changes: the grid edge of the tree arc, the
#: previous sibling (of the starting tree's child lists).
P, UP, FLOW, SIZE = 0, 1, 2, 3
EDGE, PREV = 0, 1


@numba.njit(**_JIT)
def _unlink(nd, ep, lk, w):
    pv, nx = ep[w, PREV], lk[w, 1]
    if pv >= 0:
        lk[pv, 1] = nx
    else:
        lk[nd[w, P], 0] = nx
    if nx >= 0:
        ep[nx, PREV] = pv


@numba.njit(**_JIT)
def _link(nd, ep, lk, w, p):
    f = lk[p, 0]
    lk[w, 1] = f
    ep[w, PREV] = -1
    if f >= 0:
        ep[f, PREV] = w
    lk[p, 0] = w


@numba.njit(**_JIT)
def _preorder(nd, lk, root, order, stack):
    """Fill ``order`` with the tree's nodes in preorder from ``root``; returns how many were reached."""
    stack[0] = root
    top = 1
    cnt = 0
    while top > 0:
        top -= 1
        v = stack[top]
        if cnt == order.shape[0]:
            return cnt + 1  # more visits than nodes: not a tree
        order[cnt] = v
        cnt += 1
        c = lk[v, 0]
        while c >= 0:
            stack[top] = c
            top += 1
            c = lk[c, 1]
    return cnt


@numba.njit(**_JIT)
def _recentre(nd, ep, lk, pi, cost, root, order, stack):
    """Re-root the tree at its centroid (no subtree has more than half the nodes) and return it.

    Called once, on the starting tree. Tree arcs keep their direction and flow; zero-flow arcs are then
    pointed to the new root (the tree stays strongly feasible), and the subtree sizes and the
    potentials are computed from it.
    """
    n = order.shape[0]
    _preorder(nd, lk, root, order, stack)
    size = np.ones(n, dtype=np.int64)
    for k in range(n - 1, 0, -1):
        v = order[k]
        size[nd[v, P]] += size[v]
    c = root
    moved = True
    while moved:
        moved = False
        ch = lk[c, 0]
        while ch >= 0:
            if 2 * size[ch] > n:
                c = ch
                moved = True
                break
            ch = lk[ch, 1]
    # reverse the path from c up to the old root
    prev_node, prev_edge, prev_up, prev_flow = -1, -1, -1, 0
    w = c
    while w >= 0:
        old_parent, old_edge, old_up, old_flow = nd[w, P], ep[w, EDGE], nd[w, UP], nd[w, FLOW]
        if old_parent >= 0:
            _unlink(nd, ep, lk, w)
        if prev_node >= 0:
            _link(nd, ep, lk, w, prev_node)
        nd[w, P] = prev_node
        ep[w, EDGE] = prev_edge
        nd[w, UP] = prev_up
        nd[w, FLOW] = prev_flow
        prev_node, prev_edge, prev_up, prev_flow = w, old_edge, 1 - old_up, old_flow
        w = old_parent
    _preorder(nd, lk, c, order, stack)
    pi[c] = 0.0
    for k in range(1, n):
        v = order[k]
        p = nd[v, P]
        if nd[v, FLOW] == 0:
            nd[v, UP] = 1
        if nd[v, UP] == 0:
            pi[v] = pi[p] + cost[ep[v, EDGE]]
        else:
            pi[v] = pi[p] - cost[ep[v, EDGE]]
    nd[:, SIZE] = 1
    for k in range(n - 1, 0, -1):
        v = order[k]
        nd[nd[v, P], SIZE] += nd[v, SIZE]
    return c


#: A potential shift of at least this many cells walks three runs side by side (measured on the 256 x 256
#: solves of the Wasserstein descent: a single walk costs 3.5 ns a cell).
SPLIT_SHIFT = 2048


@numba.njit(**_JIT)
def _shift_runs(pi, following, a0, b0, a1, b1, a2, b2, shift):
    """Add ``shift`` to pi along up to three runs of the thread, from a_k to b_k inclusive (a_k < 0: no
    run), walked side by side while more than one is left."""
    while a0 >= 0 and a1 >= 0 and a2 >= 0:
        pi[a0] += shift
        pi[a1] += shift
        pi[a2] += shift
        a0 = -1 if a0 == b0 else following[a0]
        a1 = -1 if a1 == b1 else following[a1]
        a2 = -1 if a2 == b2 else following[a2]
    if a0 < 0:
        a0, b0 = a2, b2
    elif a1 < 0:
        a1, b1 = a2, b2
    while a0 >= 0 and a1 >= 0:
        pi[a0] += shift
        pi[a1] += shift
        a0 = -1 if a0 == b0 else following[a0]
        a1 = -1 if a1 == b1 else following[a1]
    if a0 < 0:
        a0, b0 = a1, b1
    while a0 >= 0:
        pi[a0] += shift
        a0 = -1 if a0 == b0 else following[a0]


@numba.njit(**_JIT)
def network_simplex(tail, head, cost, supply, parent, eps, max_pivots):
    """Min-cost flow from ``supply`` (int64, sum 0; > 0 at sources) on the edges (tail[e], head[e]) in
    both directions with cost[e] > 0, starting from the spanning tree ``parent`` (parent[root] = -1;
    overwritten with the final tree, rooted where the solver left it).

    Returns ``(status, potentials, cost, pivots, arcs)``: status is OPTIMAL, ITERATION_LIMIT or BAD_TREE
    (``parent`` is not a spanning tree of the edges' graph); the potentials pi satisfy
    cost[e] + pi[a] - pi[b] >= -eps on every arc a -> b and = 0 on tree arcs; ``cost`` is the sum of
    cost x flow over the tree arcs; row v of ``arcs`` describes the tree arc joining v to its parent:
    (edge, 1 if it points from v to the parent else 0, flow >= 0); the root's row is (-1, -1, 0).
    """
    n = supply.shape[0]
    m = tail.shape[0]
    pi = np.zeros(n)
    nd = np.full((n, 4), -1, dtype=np.int64)
    ep = np.full((n, 2), -1, dtype=np.int64)
    nd[:, FLOW] = 0
    root = -1
    for v in range(n):
        p = parent[v]
        nd[v, P] = p
        if p < 0:
            if root >= 0:
                return BAD_TREE, pi, 0.0, 0, np.zeros((0, 3), dtype=np.int64)
            root = v
        elif p >= n:
            return BAD_TREE, pi, 0.0, 0, np.zeros((0, 3), dtype=np.int64)
    for e in range(m):  # the edge of each tree arc (the first that joins the two cells), in one pass
        a, b = tail[e], head[e]
        if nd[a, P] == b and ep[a, EDGE] < 0:
            ep[a, EDGE] = e
        elif nd[b, P] == a and ep[b, EDGE] < 0:
            ep[b, EDGE] = e
    lk = np.full((n, 2), -1, dtype=np.int32)  # first child, next sibling: to centre the starting tree
    for v in range(n):
        if v != root:
            if ep[v, EDGE] < 0:  # no edge joins v and its parent
                return BAD_TREE, pi, 0.0, 0, np.zeros((0, 3), dtype=np.int64)
            _link(nd, ep, lk, v, nd[v, P])
    if root < 0:
        return BAD_TREE, pi, 0.0, 0, np.zeros((0, 3), dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    stack = np.empty(n + 1, dtype=np.int64)
    if _preorder(nd, lk, root, order, stack) != n:
        return BAD_TREE, pi, 0.0, 0, np.zeros((0, 3), dtype=np.int64)
    net = supply.copy()
    for k in range(n - 1, 0, -1):
        v = order[k]
        p = nd[v, P]
        f = net[v]
        if f >= 0:  # v -> p; at zero flow too (strongly feasible: zero-flow arcs point to the root)
            nd[v, UP] = 1
            nd[v, FLOW] = f
        else:
            nd[v, UP] = 0
            nd[v, FLOW] = -f
        net[p] += f
    root = _recentre(nd, ep, lk, pi, cost, root, order, stack)
    # the tree as its preorder: a cyclic list (following, preceding) in which every subtree is the run from its root to
    # rlast[root]; a potential shift walks a run, and a pivot moves one run and reorders it
    following = np.empty(n, dtype=np.int32)
    preceding = np.empty(n, dtype=np.int32)
    rlast = np.empty(n, dtype=np.int32)
    for k in range(n):
        v = order[k]
        following[v] = order[k + 1] if k + 1 < n else order[0]
        preceding[v] = order[k - 1] if k > 0 else order[n - 1]
        rlast[v] = order[k + nd[v, SIZE] - 1]
    piece = np.empty(2 * n + 2, dtype=np.int64)  # run ends of the re-rooted part, at most two per stem node

    # the edges as runs of the same step head - tail and cost with consecutive tails (the neighbour edges of a
    # grid along one axis, row by row): pricing a run reads the potentials in order, and nothing else
    run_end = np.empty(m + 1, dtype=np.int64)  # one past each run's last edge
    nrun = 0
    for e in range(1, m):
        if tail[e] != tail[e - 1] + 1 or head[e] - tail[e] != head[e - 1] - tail[e - 1] or cost[e] != cost[e - 1]:
            run_end[nrun] = e
            nrun += 1
    run_end[nrun] = m
    nrun += 1

    block = PRICING_BLOCK
    nxt = 0
    run = 0  # the run holding edge nxt
    pivots = 0
    status = OPTIMAL
    while True:
        best = -eps
        e_in = -1
        seen = 0
        e = nxt
        left = m  # edges not yet priced in this search (one pass over all at most)
        found = False
        while left > 0 and not found:
            end = run_end[run]
            t = tail[e]
            step = head[e] - t
            c = cost[e]
            while e < end:
                r = c - abs(pi[t + step] - pi[t])
                if r < best:
                    best = r
                    e_in = e
                e += 1
                t += 1
                left -= 1
                seen += 1
                if seen == block:
                    if e_in >= 0:
                        found = True
                        break
                    seen = 0
                if left == 0:
                    break
            if e == end:
                run += 1
                if run == nrun:
                    run = 0
                    e = 0
        if e_in < 0:
            break
        if pivots == max_pivots:
            status = ITERATION_LIMIT
            break
        pivots += 1
        nxt = e
        if pi[head[e_in]] > pi[tail[e_in]]:  # tail -> head has the negative reduced cost
            x, y = tail[e_in], head[e_in]
        else:
            x, y = head[e_in], tail[e_in]
        # apex and leaving arc in one walk up from both ends
        dx = np.iinfo(np.int64).max
        dy = np.iinfo(np.int64).max
        ox = -1
        oy = -1
        u, w = x, y
        while u != w:  # an ancestor has the larger subtree: moving the smaller side never passes the apex
            if nd[u, SIZE] < nd[w, SIZE]:  # x side: arcs u -> parent block ('<': nearest x wins ties)
                if nd[u, UP] == 1 and nd[u, FLOW] < dx:
                    dx = nd[u, FLOW]
                    ox = u
                u = nd[u, P]
            else:  # y side: arcs parent -> w block ('<=': the one nearest the apex wins ties)
                if nd[w, UP] == 0 and nd[w, FLOW] <= dy:
                    dy = nd[w, FLOW]
                    oy = w
                w = nd[w, P]
        join = u
        if oy >= 0 and dy <= dx:
            delta, out, out_x_side = dy, oy, False
        elif ox >= 0:
            delta, out, out_x_side = dx, ox, True
        else:
            return BAD_TREE, pi, 0.0, pivots, np.zeros((0, 3), dtype=np.int64)
        rc = cost[e_in] + pi[x] - pi[y]
        if out_x_side:  # x re-hangs under y through x -> y: an arc up from x
            s, q, sigma, s_up = x, y, -rc, 1
        else:  # y re-hangs under x through x -> y: an arc down to y
            s, q, sigma, s_up = y, x, rc, 0
        # potentials: the part cut off (the run out .. rlast[out]) moves by sigma; as only differences
        # matter, the smaller side moves: that run, or the rest of the cyclic list. A long side is walked
        # as three runs side by side (a walk is a chain of dependent loads; three chains overlap them)
        cut = nd[out, SIZE]
        if 2 * cut <= n:
            if cut < SPLIT_SHIFT:
                _shift_runs(pi, following, out, rlast[out], -1, -1, -1, -1, sigma)
            else:  # out's run around the run of the stem node d whose subtree holds about half of it
                d, below_d = s, -1
                while d != out and 2 * nd[d, SIZE] < cut:
                    d, below_d = nd[d, P], d
                if d == out:
                    d = below_d
                if d < 0:  # s is out: no stem
                    _shift_runs(pi, following, out, rlast[out], -1, -1, -1, -1, sigma)
                else:
                    after_d = following[rlast[d]] if rlast[d] != rlast[out] else -1
                    _shift_runs(pi, following, out, preceding[d], d, rlast[d], after_d, rlast[out], sigma)
        else:
            rest = n - cut
            if rest < SPLIT_SHIFT:
                _shift_runs(pi, following, following[rlast[out]], preceding[out], -1, -1, -1, -1, -sigma)
            else:  # inside the run of the ancestor a of out that holds about half of the rest, and outside it
                a = nd[out, P]
                while nd[a, P] >= 0 and 2 * (nd[a, SIZE] - cut) < rest:
                    a = nd[a, P]
                after_out = following[rlast[out]] if rlast[out] != rlast[a] else -1
                outside = following[rlast[a]] if nd[a, SIZE] < n else -1
                _shift_runs(pi, following, a, preceding[out], after_out, rlast[a], outside, preceding[a], -sigma)
        # delta more flow around the cycle (x -> y, then down from the apex to x), and the subtree sizes: the
        # cut-off part leaves the path above out and joins the path from q; one walk up each side
        ds = -delta if out_x_side else delta  # the change of an arc pointing up, on s's side
        above = False
        w = s
        while w != join:
            if nd[w, UP] == 1:
                nd[w, FLOW] += ds
            else:
                nd[w, FLOW] -= ds
            if above:
                nd[w, SIZE] -= cut
            elif w == out:
                above = True
            w = nd[w, P]
        w = q
        while w != join:
            if nd[w, UP] == 1:
                nd[w, FLOW] -= ds
            else:
                nd[w, FLOW] += ds
            nd[w, SIZE] += cut
            w = nd[w, P]
        # the preorder of the part re-rooted at s: s's run, then for each stem node w_i above it (towards
        # out) w_i with the children that came before w_{i-1}, then those after w_{i-1}'s run
        piece[0] = s
        piece[1] = rlast[s]
        npiece = 2
        below_node = s
        w = s
        while w != out:
            w = nd[w, P]
            piece[npiece] = w
            piece[npiece + 1] = preceding[below_node]
            npiece += 2
            if rlast[below_node] != rlast[w]:
                piece[npiece] = following[rlast[below_node]]
                piece[npiece + 1] = rlast[w]
                npiece += 2
            below_node = w
        # cut the run out .. rlast[out] from the list; ancestors of out that ended with it now end before it
        a_end = rlast[out]
        before, after = preceding[out], following[a_end]
        following[before] = after
        preceding[after] = before
        w = nd[out, P]
        while w >= 0 and rlast[w] == a_end:
            rlast[w] = before
            w = nd[w, P]
        # chain the pieces
        for k in range(2, npiece, 2):
            following[piece[k - 1]] = piece[k]
            preceding[piece[k]] = piece[k - 1]
        tail_node = piece[npiece - 1]
        # the stem's arcs flip (the re-hang as before)
        prev_node, prev_edge, prev_up, prev_flow = q, e_in, s_up, delta
        below = 0  # old size of the stem node re-hung just before (it is no longer below the next one)
        w = s
        while True:
            old_parent, old_edge, old_up, old_flow = nd[w, P], ep[w, EDGE], nd[w, UP], nd[w, FLOW]
            old_size = nd[w, SIZE]
            nd[w, P] = prev_node
            ep[w, EDGE] = prev_edge
            nd[w, UP] = prev_up
            nd[w, FLOW] = prev_flow
            nd[w, SIZE] = cut - below
            rlast[w] = tail_node
            if w == out:
                break
            # the arc between w and its old parent now hangs old_parent under w: its direction flips
            prev_node, prev_edge, prev_up, prev_flow = w, old_edge, 1 - old_up, old_flow
            below = old_size
            w = old_parent
        # insert the run s .. tail_node right after q (s becomes q's first child)
        q_next = following[q]
        following[q] = s
        preceding[s] = q
        following[tail_node] = q_next
        preceding[q_next] = tail_node
        w = q  # if q was a leaf, it and the ancestors that ended with it now end with the run
        while w >= 0 and rlast[w] == q:
            rlast[w] = tail_node
            w = nd[w, P]
    total = 0.0
    for v in range(n):
        if v != root:
            total += cost[ep[v, EDGE]] * nd[v, FLOW]
        parent[v] = nd[v, P]
    arcs = np.empty((n, 3), dtype=np.int64)
    for v in range(n):
        arcs[v, 0] = ep[v, EDGE]
        arcs[v, 1] = nd[v, UP]
        arcs[v, 2] = nd[v, FLOW]
    return status, pi, total, pivots, arcs


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


@numba.njit(**_JIT)
def prolong_tree(coarse_parent, shape):
    """A spanning tree of the grid of ``shape`` (every size even) that follows the spanning tree
    ``coarse_parent`` of the grid of ``shape // 2``: the 2^d cells of each coarse cell's block form a
    tree rooted at its exit cell, a cell next to the parent's block, whose parent is its neighbour
    there (the root block is rooted at its first cell). Inside a block a cell's parent flips one
    coordinate that differs from the exit cell's, and the exit cell is aligned with the parent block's
    own exit cell along every other axis, so a path entering a block reaches its exit in at most one
    step. A cold solve started from the prolonged optimal tree of the coarse problem needs far fewer
    pivots than one started from a comb (measured on seven 256 x 256 solves along the Wasserstein
    descent: 101 000 pivots at the fine level, against 161 000 with every exit cell at its face's
    first cell; the time, -7 % to +2 % over four interleaved runs, is within this machine's noise: the
    pivots saved are short ones)."""
    nd = shape.shape[0]
    cshape = shape // 2
    n = 1
    for k in range(nd):
        n *= shape[k]
    strides = np.ones(nd, dtype=np.int64)
    cstrides = np.ones(nd, dtype=np.int64)
    for k in range(nd - 2, -1, -1):
        strides[k] = strides[k + 1] * shape[k + 1]
        cstrides[k] = cstrides[k + 1] * cshape[k + 1]
    # the exit cell of each coarse block (its local coordinates as bits), parents first: a block's exit cell
    # sits on its face next to the parent block, aligned with the parent block's own exit cell along the
    # other axes, so a path through the parent block takes at most one step to its exit
    ncell = 1
    for k in range(nd):
        ncell *= cshape[k]
    exitbits = np.full(ncell, -1, dtype=np.int64)
    exitaxis = np.full(ncell, -1, dtype=np.int64)  # the axis along which the block joins its parent (-1: root)
    chain = np.empty(ncell + 1, dtype=np.int64)
    for c0 in range(ncell):
        top = 0
        c = c0
        while c >= 0 and exitbits[c] < 0:
            if top == ncell:  # a cycle: not a tree; every cell a root, which the solver refuses (BAD_TREE)
                return np.full(n, -1, dtype=np.int64)
            chain[top] = c
            top += 1
            c = coarse_parent[c]
        while top > 0:
            top -= 1
            c = chain[top]
            cp = coarse_parent[c]
            if cp < 0:
                exitbits[c] = 0
                continue
            diff = cp - c
            bits = exitbits[cp]
            for k in range(nd):
                if diff == cstrides[k] or diff == -cstrides[k]:
                    if diff > 0:
                        bits |= 1 << (nd - 1 - k)
                    else:
                        bits &= ~(1 << (nd - 1 - k))
                    exitaxis[c] = k
                    break
            exitbits[c] = bits
    parent = np.full(n, -1, dtype=np.int64)
    coord = np.zeros(nd, dtype=np.int64)
    rho = np.zeros(nd, dtype=np.int64)
    for v in range(n):
        c = 0
        for k in range(nd):
            coord[k] = (v // strides[k]) % shape[k]
            c += (coord[k] // 2) * cstrides[k]
        bits = exitbits[c]
        for k in range(nd):
            rho[k] = (bits >> (nd - 1 - k)) & 1
        axis = exitaxis[c]
        last = -1
        for k in range(nd):
            if coord[k] % 2 != rho[k]:
                last = k
        if last >= 0:  # inside the block: flip the last coordinate that differs from the exit cell's
            step = strides[last] if rho[last] > coord[last] % 2 else -strides[last]
            parent[v] = v + step
        elif axis >= 0:  # the exit cell: into the parent's block
            parent[v] = v + (strides[axis] if rho[axis] == 1 else -strides[axis])
    return parent
