"""Items of the sentence-by-sentence audit (issue 16, section 2): each test fails on the code before."""

from __future__ import annotations

import ast
import pathlib

import pytest
import sympy as sp
from _cli import run_cli

import gantheory
from gantheory import Claim, Evidence, Twin
from gantheory.symbolic._atoms import _Atom
from gantheory.symbolic._fgan import t, u
from gantheory.topics import REGISTRY
from gantheory.verify import fgan as VF


def test_every_atom_prints_as_a_power():
    """`gantheory prove` crashed on KL(...)**2: the atoms' LaTeX rejected SymPy's ``exp`` keyword."""
    seen = set()
    for claim in REGISTRY.values():
        for st in [claim.statement] + [tw.statement for tw in claim.twins]:
            for node in sp.preorder_traversal(st):
                if isinstance(node, _Atom) and type(node) not in seen:
                    seen.add(type(node))
                    tex = sp.latex(node**2)
                    assert "^{2}" in tex, (type(node).__name__, tex)
    assert len(seen) > 20


def test_a_printer_error_is_a_failed_verdict_not_a_crash():
    class Unprintable(sp.Symbol):
        def _latex(self, printer, exp=None):
            raise RuntimeError("no LaTeX for this")

    x = Unprintable("x")
    claim = Claim("t-unprintable", "x = x", "test", sp.Eq(x, x, evaluate=False),
                  lambda st: Evidence(st.lhs == st.rhs if st.rhs == x else False, "symbolic", "",
                                      None if st.rhs == x else {"x": 1}),
                  (Twin("x = 1", sp.Eq(x, 1, evaluate=False)),))
    v = claim.verify()
    assert v.status == "failed" and "LaTeX printer raised" in v.detail


def test_claim_model_does_not_import_the_registry():
    src = pathlib.Path(gantheory.__file__).with_name("_claim.py").read_text()
    imported = {getattr(n, "module", None) for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.startswith("gantheory.topics") for m in imported)
    # the corrected LaTeX still reaches the JSON, filled in by the registry
    erratum = REGISTRY["div-kl-ratio-as-printed"]
    assert erratum.corrected_latex == REGISTRY["div-kl-ratio"].latex != ""


@pytest.mark.slow
def test_conjugate_domains_are_checked_at_their_boundary_points():
    """Neyman chi^2: f*(1) = lim (2 - 1/u) = 2 is finite, so "f* = +inf outside t < 1" is false at t = 1
    (the old verifier probed only t = 1.5). GAN: f*(0) = +inf (log growth), so t < 0 is right."""
    from gantheory.symbolic._atoms import Conjugate

    neyman = sp.Lambda(u, (1 - u) ** 2 / u)
    open_dom = sp.Eq(Conjugate(neyman, sp.Interval.open(-sp.oo, 1)), 2 - 2 * sp.sqrt(1 - t))
    closed_dom = sp.Eq(Conjugate(neyman, sp.Interval(-sp.oo, 1)), 2 - 2 * sp.sqrt(1 - t))
    ev = VF.conjugate(open_dom)
    assert ev.holds is False and ev.counterexample["t"] == 1.0
    assert ev.counterexample["f*(t) = sup_u (ut - f(u))"] == 2.0
    assert VF.conjugate(closed_dom).holds is True
    gan = sp.Lambda(u, u * sp.log(u) - (u + 1) * sp.log(u + 1))
    assert VF.conjugate(sp.Eq(Conjugate(gan, sp.Interval.open(-sp.oo, 0)), -sp.log(1 - sp.exp(t)))).holds is True
    assert VF.conjugate(sp.Eq(Conjugate(gan, sp.Interval(-sp.oo, 0)), -sp.log(1 - sp.exp(t)))).holds is False


def test_the_neyman_domain_is_an_erratum_with_a_proved_correction(verdicts):
    assert verdicts["fgan-neyman-conjugate-as-printed"].status == "refuted"
    assert verdicts["fgan-neyman-conjugate"].status == "proved"


def test_a_true_consequence_is_not_counted_as_an_erratum(verdicts):
    """altmin-not-equilibrium is a fact the document draws in words, not a wrong statement of it."""
    claim = REGISTRY["altmin-not-equilibrium"]
    assert claim.expected is True and claim.correction is None
    assert verdicts["altmin-not-equilibrium"].status == "checked"


# -- traceability (section 3) -----------------------------------------------------------------------

def test_every_claim_names_a_section_heading_as_printed():
    from gantheory.topics._sources import DOCUMENTS, document_of, section_of

    for claim in REGISTRY.values():
        doc = document_of(claim.source)
        if doc is None:  # literature: a paper (and where a document uses it), not one of the five
            assert not claim.source.startswith(tuple(DOCUMENTS)), claim.source
            continue
        assert section_of(claim.source) in DOCUMENTS[doc][1], (claim.id, claim.source)


def test_sources_json_maps_documents_sections_and_gaps():
    import json

    r = run_cli("sources", "--json", "--no-check")
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    docs = [rec["document"] for rec in records]
    assert docs[:5] == sorted(docs[:5]) and len(docs) == 6 and docs[5] is None
    placed = [c["id"] for rec in records for s in rec["sections"] for c in s["claims"]]
    placed += [c["id"] for rec in records for c in rec["unplaced"]]
    assert sorted(placed) == sorted(REGISTRY)  # every claim appears exactly once
    for rec in records[:5]:
        assert rec["uncovered"] == [s["heading"] for s in rec["sections"]
                                    if not s["claims"] and "restates" not in s and "no_statement" not in s]
        assert rec["unplaced"] == []
    assert all(not rec["uncovered"] for rec in records[:5])  # every section: a claim, a restatement or a reason


def test_restated_sections_name_registered_claims_and_real_headings():
    from gantheory.topics._sources import DOCUMENTS, NO_STATEMENT, RESTATED

    for (doc, heading), (ids, what) in RESTATED.items():
        assert heading in DOCUMENTS[doc][1] and what
        assert all(i in REGISTRY for i in ids), ids
    for (doc, heading), why in NO_STATEMENT.items():
        assert heading in DOCUMENTS[doc][1] and why
        assert (doc, heading) not in RESTATED


def test_prove_prints_a_summary_per_document(verdicts):
    from gantheory.report import per_document

    text = per_document(list(verdicts.values()))
    for doc in ("000_", "001_", "002_", "003_", "004_"):
        line = next(ln for ln in text.splitlines() if doc in ln)
        n = sum(1 for v in verdicts.values() if v.source.startswith(doc))
        assert f"{n} claims" in line


# -- mutations that survived the audit ------------------------------------------------------------

@pytest.mark.slow
def test_small_changes_to_a_derived_closed_form_are_refuted():
    """fgan-kl-conjugate + 1e-8 t^2 and dyn-lemma8-step-bound with 2 -> 2.001 stayed "checked": the
    numeric tolerance was wider than the change. A derived closed form that differs now refutes."""
    from gantheory.verify import games as VG

    kl = REGISTRY["fgan-kl-conjugate"].statement
    ev = VF.conjugate(sp.Eq(kl.lhs, kl.rhs + sp.Rational(1, 10**8) * t**2))
    assert ev.holds is False and ev.method == "symbolic"
    assert abs(ev.counterexample["difference"]) < 1e-6
    assert VF.conjugate(kl).holds is True
    lemma8 = REGISTRY["dyn-lemma8-step-bound"].statement
    assert VG.step_bound(sp.Eq(lemma8.lhs, lemma8.rhs * sp.Rational(2001, 2000))).holds is False
    assert VG.step_bound(lemma8).status == "proved"


def test_rate_as_printed_in_002_is_refuted_on_a_jordan_block(verdicts):
    """||F^k(x0) - x|| in O(|lambda_max|^k) is false for a defective Jacobian: the ratio to rho^k grows
    like k. Property 3 of 004 (rho + eps) is the proved correction."""
    v = verdicts["dyn-local-convergence-rate-as-printed"]
    assert v.status == "refuted"
    ce = v.counterexample
    assert ce["jordan_block"] == 2
    growth = [ce[f"||M^{k}|| / r^{k}"] for k in (10, 100, 1000)]
    assert growth[1] > 9 * growth[0] and growth[2] > 9 * growth[1]  # linear in k
    assert verdicts["dyn-property3-rate"].status == "proved"


def test_reparameterization_identities_see_their_absolute_continuity_caveat(verdicts):
    """Checked only on full-support masses, p_g << p_r could never show; each claim now carries a twin
    on a pair where p_g has mass where p_r has none, which its own verifier must refute."""
    from gantheory.symbolic._atoms import Unrestricted
    from gantheory.verify import general as V

    for cid in ("rep-mean-ratio-one", "rep-change-of-measure", "rep-g-form", "rep-d-form"):
        claim = REGISTRY[cid]
        assert "<<" in claim.title
        twin = next(tw for tw in claim.twins if isinstance(tw.statement, Unrestricted))
        ev = V.discrete_expectation(twin.statement)
        assert ev.holds is False and 0.0 in ev.counterexample["p_r"]
        assert abs(ev.counterexample["lhs"] - ev.counterexample["rhs"]) > 1e-3
        assert verdicts[cid].status == "proved"


@pytest.mark.slow
def test_activation_monotonicity_is_not_fooled_by_underflow():
    """-exp(-exp(v)) is strictly increasing; its float64 values are flat from v ~ 4 on, and the old
    check (differences on [-12, 12]) called it "not monotone", refuting twins for the wrong reason."""
    from gantheory.symbolic._atoms import ImageOf

    v = sp.Symbol("v", real=True)
    ev = VF.activation_image(sp.Eq(ImageOf(sp.Lambda(v, -sp.exp(-sp.exp(v)))), sp.Interval.open(-1, 0),
                                   evaluate=False))
    assert ev.holds is True
    wrong = VF.activation_image(sp.Eq(ImageOf(sp.Lambda(v, -sp.exp(-sp.exp(v)))), sp.Interval.open(-sp.oo, 0),
                                      evaluate=False))
    assert wrong.holds is False and "image" in wrong.detail  # refuted for the right reason: its image


@pytest.mark.slow
def test_activation_image_is_compared_as_a_set():
    """The image of R is derived (strictly monotone: the open interval between the limits; otherwise from
    the critical values) and compared with the claimed set, end points included: [-pi/2, pi/2] was once
    "proved" for atan, x^3 refuted (g' = 0 at 0) and sin's [-1, 1] refuted for not being monotone."""
    from gantheory.symbolic._atoms import ImageOf

    v = sp.Symbol("v", real=True)

    def image(g, S):
        return VF.activation_image(sp.Eq(ImageOf(sp.Lambda(v, g)), S, evaluate=False))

    closed = image(sp.atan(v), sp.Interval(-sp.pi / 2, sp.pi / 2))
    assert closed.holds is False and closed.counterexample["attained"] is False
    assert "into the claimed set, but not onto" in closed.detail
    assert image(sp.atan(v), sp.Interval.open(-sp.pi / 2, sp.pi / 2)).holds is True
    assert image(v**3, sp.S.Reals).holds is True
    assert image(sp.sin(v), sp.Interval(-1, 1)).holds is True
    opened = image(sp.sin(v), sp.Interval.open(-1, 1))
    assert opened.holds is False and opened.counterexample["attained"] is True
    assert image(sp.exp(-v**2), sp.Interval.Lopen(0, 1)).holds is True
    assert image(sp.exp(-v**2), sp.Interval(0, 1)).holds is False
    pole = image(-1 / v, sp.S.Reals)  # not an activation: undefined at 0
    assert pole.holds is False and pole.counterexample["v"] == "0"
    assert image(sp.log(v), sp.S.Reals).holds is False


def test_twin_labels_describe_their_twins():
    """The audit found labels that did not match their twin ("a/(a-b)" was a/(a+2b), "q = 1" was 2/3)."""
    a, b = sp.symbols("a b", positive=True)
    lemma = REGISTRY["disc-lemma"]
    twin = next(tw for tw in lemma.twins if tw.label.startswith("wrong sign"))
    assert sp.simplify(twin.statement.rhs - a / (a - b)) == 0
    entropy = next(c for c in REGISTRY.values() if c.id.startswith("dual-entropy"))
    assert [tw.label for tw in entropy.twins] == ["q = 2/3"] and entropy.twins[0].statement.rhs == sp.Rational(2, 3)


def test_argmax_over_omega_reads_the_claimed_maximizer():
    """omega_minimum ignored the claim: the ArgMaxOmega twins were refuted whatever their value."""
    from gantheory.symbolic._atoms import JSD, ArgMaxOmega, p_data, p_g
    from gantheory.verify import general as V

    two = V.omega_minimum(sp.Eq(ArgMaxOmega(JSD(p_data, p_g)), 2))
    assert two.holds is False and two.counterexample["E[R]"] == 2.0  # outside Omega_g
    one = V.omega_minimum(sp.Eq(ArgMaxOmega(JSD(p_data, p_g)), 1))
    assert one.holds is False and one.counterexample["value_at_R"] > one.counterexample["value_at_R=1"]


def test_kr_duality_reads_both_sides_of_its_statement():
    """The audit planted W1(p_r, p_r) on the left of wass-kr-duality: it stayed "checked"."""
    from gantheory.symbolic._atoms import W1, KRDual, p_R, p_r
    from gantheory.verify import wasserstein as VW

    assert VW.kr_duality(sp.Eq(W1(p_r, p_R), KRDual(p_r, p_R, 1), evaluate=False)).holds is True
    assert VW.kr_duality(sp.Eq(W1(p_r, p_r), KRDual(p_r, p_R, 1), evaluate=False)).holds is False
    assert VW.kr_duality(sp.Eq(W1(p_R, p_r), KRDual(p_r, p_R, 1), evaluate=False)).holds is True  # symmetric


@pytest.mark.slow
def test_matrix_facts_read_their_statement():
    """dyn-lemma6-zero-sum-psd with its right side negated stayed "checked"; the facts were picked by name.
    Now the statement carries the mathematics: negating a side, or the whole, is refuted."""
    from gantheory.verify import calculus as VC

    stmt = REGISTRY["dyn-lemma6-zero-sum-psd"].statement
    assert VC.matrix_logic(stmt).holds is True
    lhs, rhs = stmt.args
    assert VC.matrix_logic(sp.Equivalent(lhs, sp.Not(rhs))).holds is False
    assert VC.matrix_logic(sp.Not(stmt)).holds is False

def test_point_mass_best_response_reads_where_the_mass_sits():
    """The point mass is located by the statement (argmax or argmin of the discriminator), not by a symbol
    name bound inside the verifier; a mass off by a factor is infeasible."""
    from gantheory.symbolic._atoms import ArgMaxCell, ArgMinCell, ArgMinOmega, GenLoss, PointMassRatio, R, f
    from gantheory.verify import general as V

    lhs = ArgMinOmega(GenLoss(R, f))
    assert V.point_mass_best_response(sp.Eq(lhs, PointMassRatio(ArgMaxCell(f)), evaluate=False)).holds is True
    assert V.point_mass_best_response(sp.Eq(lhs, PointMassRatio(ArgMinCell(f)), evaluate=False)).holds is False
    assert V.point_mass_best_response(sp.Eq(lhs, 2 * PointMassRatio(ArgMaxCell(f)), evaluate=False)).holds is False
