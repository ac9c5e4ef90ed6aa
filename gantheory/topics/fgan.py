"""The f-GAN table (seed 003 § Some divergence measures, § Fenchel Duals for various divergence
functions), row by row; reconstructed from Nowozin et al. 2016, Tables 1, 2 and 6 where the OCR
is garbled.

Each row is one entry of :data:`ROWS`; the claims are generated from the table: the divergence the
generator f defines, its conjugate (computed as a supremum over u > 0, as the seed defines
f : R_+ -> R), the output activation's image, f'(1), and the variational bound attained at
T* = f'(p/q).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from gantheory._claim import Claim, Twin
from gantheory.report._math import math_text
from gantheory.symbolic import JSD, KL, p_1, p_2
from gantheory.symbolic._atoms import (
    Biconjugate,
    Conjugate,
    ConjugateAt,
    DerivAtOne,
    FDiv,
    FGenerator,
    ImageOf,
    Int,
    VariationalGap,
)
from gantheory.symbolic._fgan import t, u, v
from gantheory.topics._statement import Eq
from gantheory.verify import calculus as VC
from gantheory.verify import fgan as VF
from gantheory.verify import general as V

S3 = "003_c1c0aa34b0c233a3.txt"
log, exp, sqrt = sp.log, sp.exp, sp.sqrt
PI = sp.Rational(1, 3)  # the weight of the weighted Jensen-Shannon row (the seed keeps pi symbolic)
R = sp.Interval(-sp.oo, sp.oo)


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    f: sp.Expr                       # generator f(u)
    divergence: sp.Expr              # the named divergence D(P||Q), P = p_1, Q = p_2
    conjugate: sp.Expr               # f*(t) as in the table
    domain: sp.Interval              # dom f* as in the table
    activation: sp.Expr              # g_f(v)
    fprime1: sp.Expr                 # f'(1) as in the table
    conjugate_fix: sp.Expr | None = None   # the correct f* on u > 0 where the table's differs
    domain_fix: sp.Interval | None = None  # and its domain, where that differs too
    divergence_fix: sp.Expr | None = None  # the divergence f really defines where the table's differs
    note: str = ""
    extra_twins: tuple = field(default=())


def _alpha_f(a):
    a = sp.sympify(a)
    return (u**a - 1 - a * (u - 1)) / (a * (a - 1))


def _alpha_conj(a):
    a = sp.sympify(a)
    return (t * (a - 1) + 1) ** (a / (a - 1)) / a - 1 / a


M_W = PI * p_1 + (1 - PI) * p_2
ROWS = [
    Row("total-variation", "Total variation", sp.Abs(u - 1) / 2, Int(sp.Abs(p_1 - p_2) / 2), t,
        sp.Interval(-sp.Rational(1, 2), sp.Rational(1, 2)), sp.tanh(v) / 2, 0,
        conjugate_fix=sp.Piecewise((t, t >= -sp.Rational(1, 2)), (-sp.Rational(1, 2), True)),
        domain_fix=sp.Interval(-sp.oo, sp.Rational(1, 2)),
        note="f has a kink at 1: f'(1) is the subdifferential [-1/2, 1/2], which contains 0. With f on "
        "u >= 0 (the seed's f : R_+ -> R), f*(t) = -1/2 for t < -1/2, so dom f* = (-inf, 1/2]; the "
        "table's [-1/2, 1/2] is the domain for f extended to R. Harmless for the GAN: g_f maps into it."),
    Row("kl", "Kullback-Leibler", u * log(u), KL(p_1, p_2), exp(t - 1), R, v, 1),
    Row("reverse-kl", "Reverse KL", -log(u), KL(p_2, p_1), -1 - log(-t), sp.Interval.open(-sp.oo, 0),
        -exp(v), -1, note="The seed prints g_f(v) = -exp(v); Nowozin et al. print -exp(-v): both map R onto R_-."),
    Row("pearson", "Pearson chi^2", (u - 1) ** 2, Int((p_1 - p_2) ** 2 / p_2), t**2 / 4 + t, R, v, 0,
        conjugate_fix=sp.Piecewise((t**2 / 4 + t, t >= -2), (-1, True)),
        note="With f on u >= 0 (the seed's f : R_+ -> R), sup_u (ut - f(u)) = -1 for t < -2: the table's "
        "t^2/4 + t is the conjugate of f extended to all of R. Nowozin et al. (Table 1) print the "
        "divergence as int (q - p)^2 / p; the generator (u - 1)^2 gives int (p - q)^2 / q."),
    Row("neyman", "Neyman chi^2", (1 - u) ** 2 / u, Int((p_1 - p_2) ** 2 / p_1), 2 - 2 * sqrt(1 - t),
        sp.Interval.open(-sp.oo, 1), 1 - exp(v), 0,
        conjugate_fix=2 - 2 * sqrt(1 - t), domain_fix=sp.Interval(-sp.oo, 1),
        note="At the boundary t = 1 the table's domain t < 1 excludes, f*(1) = sup_u (u - (1 - u)^2 / u) = "
        "lim_{u -> oo} (2 - 1/u) = 2 is finite: dom f* = (-inf, 1]. The formula 2 - 2 sqrt(1 - t) holds "
        "there too. Harmless for the GAN (g_f = 1 - e^v maps into t < 1), but the printed domain is "
        "not the domain of f*."),
    Row("squared-hellinger", "Squared Hellinger", (sqrt(u) - 1) ** 2, Int((sqrt(p_1) - sqrt(p_2)) ** 2), t / (1 - t),
        sp.Interval.open(-sp.oo, 1), 1 - exp(v), 0),
    Row("jeffrey", "Jeffrey", (u - 1) * log(u), KL(p_1, p_2) + KL(p_2, p_1),
        sp.LambertW(exp(1 - t)) + 1 / sp.LambertW(exp(1 - t)) + t - 2, R, v, 0),
    Row("jensen-shannon", "Jensen-Shannon", u * log(u) - (u + 1) * log((1 + u) / 2), JSD(p_1, p_2),
        -log(2 - exp(t)), sp.Interval.open(-sp.oo, log(2)), log(2) - log(1 + exp(-v)), 0,
        divergence_fix=2 * JSD(p_1, p_2),
        note="As printed (1/2 int p log(2p/(p+q)) + q log(2q/(p+q)), i.e. JSD) the generator defines "
        "twice that: D_f = 2 JSD. The conjugate -log(2 - e^t) belongs to this f, not to f/2."),
    Row("jensen-shannon-weighted", "Jensen-Shannon, weighted (pi = 1/3)",
        PI * u * log(u) - (1 - PI + PI * u) * log(1 - PI + PI * u),
        PI * KL(p_1, M_W) + (1 - PI) * KL(p_2, M_W),
        (1 - PI) * log((1 - PI) / PI / (1 / PI - exp(t / PI))), sp.Interval.open(-sp.oo, -PI * log(PI)),
        -PI * log(PI) - log(1 + exp(-v)), 0, note="Checked at pi = 1/3."),
    Row("gan", "GAN", u * log(u) - (u + 1) * log(u + 1), 2 * JSD(p_1, p_2) - log(4), -log(1 - exp(t)),
        sp.Interval.open(-sp.oo, 0), -log(1 + exp(-v)), -log(2),
        note="The seed's f'(1) entry is garbled ('-'); f'(1) = -log 2. The exception to f(1) = 0: here "
        "f(1) = -log 4, so D_f = 2 JSD - log 4 is not a divergence in the strict sense (it is negative "
        "near P = Q)."),
    Row("alpha-half", "alpha-divergence, alpha = 1/2 (< 1)", _alpha_f(sp.Rational(1, 2)),
        Int(2 * (sqrt(p_1) - sqrt(p_2)) ** 2), _alpha_conj(sp.Rational(1, 2)), sp.Interval.open(-sp.oo, 2),
        2 - log(1 + exp(-v)), 0, note="Checked at alpha = 1/2; dom f* is t < 1/(1 - alpha)."),
    Row("alpha-minus-half", "alpha-divergence, alpha = -1/2 (< 0)", _alpha_f(-sp.Rational(1, 2)),
        Int(sp.Rational(4, 3) * (p_2 * sqrt(p_2 / p_1) - p_2 + (p_1 - p_2) / 2)), _alpha_conj(-sp.Rational(1, 2)),
        sp.Interval.open(-sp.oo, sp.Rational(2, 3)), sp.Rational(2, 3) - log(1 + exp(-v)), 0,
        conjugate_fix=_alpha_conj(-sp.Rational(1, 2)), domain_fix=sp.Interval(-sp.oo, sp.Rational(2, 3)),
        note="Checked at alpha = -1/2, in the row alpha < 1, alpha != 0. For alpha < 0, u^alpha -> 0 as u -> oo, "
        "so at the end point t = 1/(1 - alpha) = 2/3 the supremum sup_u (2u/3 - f(u)) = lim (2 - (4/3) u^(-1/2)) = 2 "
        "is finite: dom f* = (-inf, 2/3], closed, and the table's formula gives f*(2/3) = 2 there. For "
        "0 < alpha < 1 the open domain is right (u^alpha grows and the supremum is +inf). Neyman chi^2 is "
        "the case alpha = -1 up to a factor 2."),
    Row("alpha-two", "alpha-divergence, alpha = 2 (> 1)", _alpha_f(2), Int((p_1 - p_2) ** 2 / (2 * p_2)),
        _alpha_conj(2), R, v, 0, conjugate_fix=sp.Piecewise((_alpha_conj(2), t >= -1), (-sp.Rational(1, 2), True)),
        note="Checked at alpha = 2. As for Pearson, the table's formula holds for t >= 1/(1 - alpha) = -1 "
        "only; below, sup over u >= 0 is -f(0) = -1/2."),
]


def _claims_for(row: Row) -> list[Claim]:
    src = f"{S3} § Fenchel Duals for various divergence functions ({row.name})"
    src_div = f"{S3} § Some divergence measures ({row.name})"
    lam = sp.Lambda(u, row.f)
    out = []
    div_stmt = Eq(FDiv(lam, p_1, p_2), row.divergence)
    wrong_div = Eq(FDiv(lam, p_1, p_2), row.divergence * 2 + sp.Rational(1, 10))
    if row.divergence_fix is None:
        out.append(Claim(f"fgan-{row.key}-divergence", f"{row.name}: int q f(p/q) is the named divergence",
                         src_div, div_stmt, V.expectation_identity,
                         (Twin("doubled and shifted", wrong_div),
                          Twin("halved", Eq(FDiv(lam, p_1, p_2), row.divergence / 2))), note=row.note))
    else:
        fixed = Eq(FDiv(lam, p_1, p_2), row.divergence_fix)
        out.append(Claim(f"fgan-{row.key}-divergence-as-printed", f"{row.name}: f defines the divergence as printed",
                         src_div, div_stmt, V.expectation_identity, (Twin("corrected", fixed, holds=True),
                                                                    Twin("doubled and shifted", wrong_div)),
                         expected=False, correction=f"fgan-{row.key}-divergence", note=row.note))
        out.append(Claim(f"fgan-{row.key}-divergence", f"{row.name}: int q f(p/q) = {row.divergence_fix}",
                         src_div + " (corrected)", fixed, V.expectation_identity,
                         (Twin("as printed", div_stmt),)))
    src_fam = f"{S3} § A family of alternatives (f-GAN) ({row.name})"
    gen_twins = (Twin("f + 1 (f(1) != 0)", Eq(FGenerator(sp.Lambda(u, row.f + 1)), True, evaluate=False)),
                 Twin("-f (concave)", Eq(FGenerator(sp.Lambda(u, -row.f)), True, evaluate=False)))
    gen_stmt = Eq(FGenerator(lam), True, evaluate=False)
    if row.key != "gan":
        out.append(Claim(f"fgan-{row.key}-generator",
                         f"{row.name}: f(u) = {math_text(row.f)} is convex on u > 0 with f(1) = 0",
                         src_fam, gen_stmt, VC.f_generator, gen_twins))
    else:
        shifted = sp.Lambda(u, row.f + log(4))
        out.append(Claim(f"fgan-{row.key}-generator-as-printed", f"{row.name}: the table's f(u) = {row.f} "
                         "satisfies the family's condition f(1) = 0", src_fam, gen_stmt, VC.f_generator,
                         (Twin("corrected: f + log 4", Eq(FGenerator(shifted), True, evaluate=False), holds=True),
                          gen_twins[1]),
                         expected=False, correction=f"fgan-{row.key}-generator",
                         note="f(1) = -log 4: the GAN row gives D_f = 2 JSD - log 4, negative near P = Q. Adding "
                         "the constant log 4 restores f(1) = 0 without changing the optimal critic."))
        out.append(Claim(f"fgan-{row.key}-generator", f"{row.name}: f(u) + log 4 is convex on u > 0 with f(1) = 0",
                         src_fam + " (corrected)", Eq(FGenerator(shifted), True, evaluate=False), VC.f_generator,
                         (Twin("without the log 4", gen_stmt),
                          Twin("-f (concave)", Eq(FGenerator(sp.Lambda(u, -row.f - log(4))), True,
                                                     evaluate=False)))))
    conj_stmt = Eq(Conjugate(lam, row.domain), row.conjugate)
    wrong_conj = Eq(Conjugate(lam, row.domain), row.conjugate + 1)
    if row.conjugate_fix is None:
        twins = [Twin("+1", wrong_conj)]
        if row.domain != R:
            twins.append(Twin("domain widened", Eq(Conjugate(lam, _widen(row.domain)), row.conjugate)))
        out.append(Claim(f"fgan-{row.key}-conjugate", f"{row.name}: f*(t) = sup_u (ut - f(u)) = {row.conjugate} "
                         f"on {row.domain}", src, conj_stmt, VF.conjugate, tuple(twins)))
    else:
        fixed = Eq(Conjugate(lam, row.domain_fix or row.domain), row.conjugate_fix)
        out.append(Claim(f"fgan-{row.key}-conjugate-as-printed", f"{row.name}: f*(t) = {row.conjugate} on "
                         f"{row.domain}", src, conj_stmt, VF.conjugate, (Twin("corrected", fixed, holds=True),
                                                                          Twin("+1", wrong_conj)),
                         expected=False, correction=f"fgan-{row.key}-conjugate", note=row.note))
        out.append(Claim(f"fgan-{row.key}-conjugate", f"{row.name}: f*(t) on u > 0 is {row.conjugate_fix}",
                         src + " (corrected for f on R_+)", fixed, VF.conjugate,
                         (Twin("as printed", conj_stmt),)))
    # The table says g_f maps R into dom f*; a g_f with limits at the ends of dom f* reaches all of it but
    # end points (tanh(v)/2 never reaches the total variation's +-1/2), so its image is dom f*'s interior.
    interior = sp.Interval.open(row.domain.inf, row.domain.sup)
    act_twins = [Twin("exp of g_f", Eq(ImageOf(sp.Lambda(v, sp.exp(row.activation))), interior, evaluate=False))]
    if interior != row.domain:
        act_twins.append(Twin("end points included", Eq(ImageOf(sp.Lambda(v, row.activation)), row.domain,
                                                          evaluate=False)))
    out.append(Claim(f"fgan-{row.key}-activation", f"{row.name}: g_f(v) = {row.activation} maps R onto "
                     f"{'the interior of ' if interior != row.domain else ''}dom f* = {row.domain}",
                     src, Eq(ImageOf(sp.Lambda(v, row.activation)), interior, evaluate=False),
                     VF.activation_image, tuple(act_twins)))
    out.append(Claim(f"fgan-{row.key}-fprime1", f"{row.name}: f'(1) = {row.fprime1}", src,
                     Eq(DerivAtOne(lam), row.fprime1, evaluate=False), VF.derivative_at_one,
                     (Twin("f'(1) + 1", Eq(DerivAtOne(lam), row.fprime1 + 1, evaluate=False)),)))
    conj = row.conjugate_fix if row.conjugate_fix is not None else row.conjugate
    dom = row.domain_fix or row.domain
    bic = Biconjugate(sp.Lambda(t, conj), dom)
    out.append(Claim(f"fgan-{row.key}-biconjugate", f"{row.name}: f** = f (Fenchel-Moreau)",
                     f"{S3} § Fenchel (Convex) Dual", Eq(bic, row.f), VF.biconjugate,
                     (Twin("f + (u - 1)^2 / 4", Eq(bic, row.f + (u - 1) ** 2 / 4)),)))
    if row.f.has(sp.Abs):
        return out
    fp = sp.diff(row.f, u)
    r = sp.Symbol("r", positive=True)
    out.append(Claim(f"fgan-{row.key}-optimal-critic", f"{row.name}: T* = f'(p/q) attains "
                     "D_f(P||Q) = sup_T E_P[T] - E_Q[f*(T)]", f"{S3} § Fenchel (Convex) Dual",
                     Eq(VariationalGap(lam, sp.Lambda(t, conj), sp.Lambda(r, fp.subs(u, r))), 0, evaluate=False),
                     VF.fenchel_young,
                     (Twin("T = f'(q/p)", Eq(VariationalGap(lam, sp.Lambda(t, conj),
                                                               sp.Lambda(r, fp.subs(u, 1 / r))), 0, evaluate=False)),)))
    return out


def _widen(dom: sp.Interval) -> sp.Interval:
    lo, hi = dom.inf, dom.sup
    return sp.Interval(lo - 1 if lo.is_finite else lo, hi + 1 if hi.is_finite else hi)


#: The "T(x)" column of the seed's "Some divergence measures" table, as printed (r = p(x)/q(x)).
_r = sp.Symbol("r", positive=True)
PRINTED_CRITIC = {
    "kl": 1 + log(_r),                             # 1 + log p/q
    "reverse-kl": -1 / _r,                         # -q/p
    "pearson": 2 * (_r - 1),                       # 2 (p/q - 1)
    "squared-hellinger": (sqrt(_r) - 1) * sqrt(1 / _r),  # (sqrt(p/q) - 1) sqrt(q/p)
    "jensen-shannon": log(2 * _r / (_r + 1)),      # log 2p/(p+q)
    "gan": log(_r / (_r + 1)),                     # log p/(p+q)
}


def _printed_critic_claims():
    out = []
    for row in ROWS:
        if row.key not in PRINTED_CRITIC:
            continue
        conj = row.conjugate_fix if row.conjugate_fix is not None else row.conjugate
        T = PRINTED_CRITIC[row.key]
        stmt = Eq(VariationalGap(sp.Lambda(u, row.f), sp.Lambda(t, conj), sp.Lambda(_r, T)), 0, evaluate=False)
        twin = Eq(VariationalGap(sp.Lambda(u, row.f), sp.Lambda(t, conj), sp.Lambda(_r, T.subs(_r, 1 / _r))), 0,
                     evaluate=False)
        out.append(Claim(f"fgan-{row.key}-table-critic",
                         f"{row.name}: the table's T(x) = {T} (r = p/q) attains D_f = sup_T E_P[T] - E_Q[f*(T)]",
                         f"{S3} § Some divergence measures ({row.name}, column T(x))", stmt, VF.fenchel_young,
                         (Twin("p and q swapped in T", twin),),
                         note="The optimal critic as printed in the seed's table, checked against the generator f "
                         "and its conjugate (Fenchel-Young equality at T = f'(p/q))."))
    return out


_GAN = next(r for r in ROWS if r.key == "gan")
_KL = next(r for r in ROWS if r.key == "kl")
_D = 1 / (1 + exp(-v))  # D_w(x) = 1 / (1 + e^{-V_w(x)})

CLAIMS = [c for row in ROWS for c in _claims_for(row)] + _printed_critic_claims() + [
    Claim(
        id="fgan-standard-gan-objective",
        title="The standard GAN is the f-GAN with g_f(v) = -log(1 + e^-v): F(theta, w) = E_P[g_f(V)] + "
        "E_Q[-f*(g_f(V))] = E_P[log D] + E_Q[log(1 - D)], with f* derived from the GAN row's f",
        source=f"{S3} § New Optimization",
        statement=Eq(_GAN.activation - ConjugateAt(sp.Lambda(u, _GAN.f), _GAN.activation),
                        log(_D) + log(1 - _D), evaluate=False),
        verifier=VC.calculus_identity,
        twins=(Twin("the KL row's conjugate", Eq(_GAN.activation - ConjugateAt(sp.Lambda(u, _KL.f), _GAN.activation),
                                                    log(_D) + log(1 - _D), evaluate=False)),
               Twin("+f*", Eq(_GAN.activation + ConjugateAt(sp.Lambda(u, _GAN.f), _GAN.activation),
                                 log(_D) + log(1 - _D), evaluate=False))),
        note="Pointwise integrands of the two expectations, added: E_P's term g_f(V) = log D and E_Q's term "
        "-f*(g_f(V)) = log(1 - D). f* is derived by the first-order condition (gantheory.symbolic._fgan).",
    ),
]


#: the rows' names as typeset (LaTeX) and as read in a terminal or Markdown (Unicode)
_NAMES = {
    "kl": ("Kullback--Leibler", "Kullback–Leibler"),
    "pearson": (r"Pearson $\chi^2$", "Pearson χ²"),
    "neyman": (r"Neyman $\chi^2$", "Neyman χ²"),
    "jensen-shannon": ("Jensen--Shannon", "Jensen–Shannon"),
    "jensen-shannon-weighted": (r"Jensen--Shannon, $\pi = 1/3$", "Jensen–Shannon, π = 1/3"),
    "alpha-half": (r"$\alpha$-divergence, $\alpha = 1/2$", "α-divergence, α = 1/2"),
    "alpha-minus-half": (r"$\alpha$-divergence, $\alpha = -1/2$", "α-divergence, α = −1/2"),
    "alpha-two": (r"$\alpha$-divergence, $\alpha = 2$", "α-divergence, α = 2"),
}


def _derivative_at_1(f: sp.Expr):
    """f'(1), or the subdifferential [f'(1-), f'(1+)] as an interval where f has a kink at 1."""
    df = sp.diff(f, u)
    left, right = sp.limit(df, u, 1, dir="-"), sp.limit(df, u, 1, dir="+")
    return left if sp.simplify(left - right) == 0 else sp.Interval(left, right)


def table():
    """The f-GAN table, one row per divergence, read from the registry's *corrected* claims.

    Each row has ``key``, ``name`` (plain), ``name_tex``, ``name_unicode``, ``f`` (the generator of the
    registered ``fgan-KEY-generator`` claim, corrected where the seed's is not a generator),
    ``conjugate`` and ``domain`` (f* and dom f* of ``fgan-KEY-conjugate``, shifted by the constant the
    generator's correction adds: (f + c)* = f* - c), ``activation`` (g_f of ``fgan-KEY-activation``),
    ``fprime1`` (f'(1), derived from f; an interval, the subdifferential, where f has a kink) and
    ``claims`` (the ids each cell comes from). The claims are proved by ``gantheory prove``; the table
    restates what they establish, so it agrees with the errata by construction.
    """
    from gantheory.topics import REGISTRY

    rows = []
    for row in ROWS:
        ids = {cell: f"fgan-{row.key}-{cell}" for cell in ("generator", "conjugate", "activation")}
        gen, conj, act = (REGISTRY[ids[c]].statement for c in ("generator", "conjugate", "activation"))
        f = gen.lhs.args[0].expr
        conj_f, conj_dom = conj.lhs.args
        shift = sp.simplify(f - conj_f.expr)
        if shift.free_symbols:
            raise AssertionError(f"{ids['conjugate']} is about another generator than {ids['generator']}")
        tex, uni = _NAMES.get(row.key, (row.name, row.name))
        rows.append({"key": row.key, "name": row.name, "name_tex": tex, "name_unicode": uni, "f": f,
                     "conjugate": conj.rhs - shift, "domain": conj_dom,
                     "activation": act.lhs.args[0](v), "fprime1": _derivative_at_1(f), "claims": ids})
    return rows
