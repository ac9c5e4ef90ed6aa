"""The certified joint optimum of ``gantheory stability --optimize P,Q``: the cost of the proof against the
numeric search it certifies, timed in the same run.

For each problem: ``joint_optimum(..., certify=False)`` (the baseline: a grid of 201 x 201 points, Nelder-Mead,
and the exact solve at a multiple root) and ``joint_optimum(...)`` (the same, then the certificate: the upper
end exact at a rational point or at the exact optimum, the lower end by branch and bound over the box). Each
row prints the two times, their ratio, the bracket, its width and the boxes the branch and bound used.

    python benchmarks/bench_joint_optimum.py [--repeat 3]
"""

from __future__ import annotations

import argparse

from _timing import median_of

from gantheory import stability as S

H_BETA = {"h": (1e-3, 2.0), "beta": (-0.999, 0.999)}
PROBLEMS = [
    ("negative momentum, altgd on the bilinear game (a triple root)",
     S.Setup("bilinear", "gan", "none", "altgd", momentum=True), ["h", "beta"], H_BETA),
    ("extragradient on the Dirac-GAN, h x gamma (gamma unused)",
     S.Setup("dirac", "nsgan", "none", "extragradient"), ["h", "gamma"], {"h": (1e-3, 2.0), "gamma": (0.0, 3.0)}),
    ("consensus, simgd on the Dirac-GAN (optimum on the box's edge)",
     S.Setup("dirac", "gan", "consensus", "simgd"), ["h", "gamma"], {"h": (1e-3, 4.0), "gamma": (0.0, 20.0)}),
    ("simgd with momentum on the bilinear game (diverges: rho >= 1)",
     S.Setup("bilinear", "gan", "none", "simgd", momentum=True), ["h", "beta"], H_BETA),
]


def main(argv=None) -> list:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    rows = []
    for title, setup, params, ranges in PROBLEMS:
        base = median_of(lambda: S.joint_optimum(setup, params, {}, ranges, certify=False), repeat=args.repeat)
        full = median_of(lambda: S.joint_optimum(setup, params, {}, ranges), repeat=args.repeat)
        j = S.joint_optimum(setup, params, {}, ranges)
        c = j["certificate"]
        bracket = (f"[{c['lower']:.10g}, {c['upper']:.10g}] (width {c['upper'] - c['lower']:.2g}, {c['boxes']} boxes)"
                   if c["holds"] else f"NOT certified: {c['reason']}")
        print(f"{title}:\n  search {base:.2f} s, certified {full:.2f} s ({full / base:.1f}x the search); "
              f"min rho in {bracket}")
        rows.append({"problem": title, "search": base, "certified": full, "holds": c["holds"]})
    return rows


if __name__ == "__main__":
    main()
