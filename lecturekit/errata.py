"""The slides' errata, numbered in one place (CURRICULUM.md, "Slide errata").

"erratum N" in a lecturekit docstring and "勘誤 N" in a notebook both mean ERRATA[N]: what the
slide says, what is wrong with it, the correction, and the notebook that checks it numerically.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Erratum:
    """One slide statement and its correction."""

    slide: str  # the slide's title, verbatim
    statement: str  # what the slide says
    wrong: str  # what is wrong with it
    correction: str  # the correct statement
    notebook: str  # the notebook that shows it and checks it with numbers

    def __str__(self):
        return (f"slide {self.slide}: {self.statement}\n  wrong: {self.wrong}\n"
                f"  correct: {self.correction} (notebook {self.notebook})")


ERRATA = {
    1: Erratum(
        slide="Back-propagation 輸出層→隱藏層",
        statement="∂loss/∂z = (y − ŷ) f₂′(z), so Δw = (y − ŷ) f₂′(z) h",
        wrong="the sign: with loss = ½(y − ŷ)ᵀ(y − ŷ), ∂loss/∂ŷ = −(y − ŷ); used with w ← w − αΔw "
              "the slide's Δw climbs the loss",
        correction="∂loss/∂z = −(y − ŷ) ⊙ f₂′(z) = (ŷ − y) ⊙ f₂′(z)",
        notebook="03",
    ),
    2: Erratum(
        slide="Forward propagation and Back-propagation",
        statement="the forward slides call the output y = f₂(z); the backprop slides call the output ŷ "
                  "and the target y",
        wrong="one letter, y, names both the output and the target",
        correction="ŷ is the net's output and y the target, throughout",
        notebook="01, 03",
    ),
    3: Erratum(
        slide="Back-propagation",
        statement="Δw = (y − ŷ) f₂′(z) h and Δv = [(y − ŷ) f₂′(z)][wᵀ f₁′(s)] x",
        wrong="scalar-style shorthand: as written, the vectors' product has no shape that fits "
              "w (3×2) or v (2×3)",
        correction="∇w = h δᵀ (3×2) with δ = (ŷ − y) ⊙ f₂′(z), and ∇v = x ((w δ) ⊙ f₁′(s))ᵀ (2×3); "
                   "[wᵀ f₁′(s)] stands for (w δ) ⊙ f₁′(s)",
        notebook="03",
    ),
    4: Erratum(
        slide="Sigmoid在神經網路太深層的問題",
        statement="ΔW₁ = [(y − ŷ) f₄′(h₄)][W₃ᵀ f₃′(h₃)][W₂ᵀ f₂′(h₂)][W₁ᵀ f₁′(h₁)] x",
        wrong="the indices are loose: each f′ belongs at its own layer's pre-activation s_l, and W₁ "
              "is not in its own gradient",
        correction="∂loss/∂s₁ = (ŷ − y)ᵀ diag f_L′(s_L) W_Lᵀ diag f_{L−1}′(s_{L−1}) ⋯ W₂ᵀ diag f₁′(s₁), "
                   "∂loss/∂W₁ = x ⊗ ∂loss/∂s₁ (diagnostics.chain_factors)",
        notebook="04",
    ),
    5: Erratum(
        slide="Sigmoid在神經網路太深層的問題",
        statement="所以0.25¹⁰⁰ ≈ 0",
        wrong="it is not 0, and the gradient is a product of f′ and of the weights, not of f′ alone",
        correction="0.25¹⁰⁰ = 2⁻²⁰⁰ ≈ 6.2e-61 exactly; 0.25^(L−1) bounds the f′ factors only, and "
                   "with large weights a sigmoid net's gradient can still grow",
        notebook="04",
    ),
    6: Erratum(
        slide="如何舒緩Gradient造成的問題",
        statement="Gradient Clipping (Keras預設 clipnorm = 1.0和clipvalue = 0.5)",
        wrong="Keras optimizers default to clipnorm=None and clipvalue=None: no clipping",
        correction="1.0 and 0.5 are the example values of the Keras 2 documentation; Keras 3 refuses "
                   "both at once",
        notebook="06",
    ),
    7: Erratum(
        slide="ReLu在神經網路如何舒緩Gradient的問題",
        statement="ReLU激勵函數會使負數部分的神經元輸出為0 … 如同Dropout的概念，可以緩解過擬合",
        wrong="stated as a fact; ReLU's zeros are set by the input, Dropout's are random at every step",
        correction="ReLU makes activations sparse (measured); that this reduces overfitting is a "
                   "claim, not a theorem",
        notebook="05",
    ),
}
