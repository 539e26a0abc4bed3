"""Numbers and symbols as LaTeX, the way the Learn page prints them.

Plain text with a fixed number of significant digits (`fmt`), LaTeX numbers and matrices, and
the symbols of the formulas: z^{(2)}, dL/dW^{(1)}, a shape written under a symbol.
"""

from __future__ import annotations

import numpy as np


def fmt(value, digits: int = 6) -> str:
    """A number as plain text with `digits` significant digits ('-0' shown as '0')."""
    text = f"{float(value):.{digits}g}"
    return "0" if text in ("-0", "0") else text


def latex_number(value, digits: int = 3) -> str:
    """A number as LaTeX: 1.5e-05 -> 1.5 \\times 10^{-5}."""
    text = fmt(value, digits)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def latex_matrix(array, digits: int = 3) -> str:
    """A 2-D array as a LaTeX bmatrix; a 1-D array (a bias b) as one row, the way it is added."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 0:
        return latex_number(array, digits)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    rows = [" & ".join(latex_number(v, digits) for v in row) for row in array]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def shape_text(array) -> str:
    """(1, 3) -> '1 \\times 3' for LaTeX; a 1-D bias (3,) -> '3'."""
    return r" \times ".join(str(s) for s in np.shape(array))


def fill_formula(formula: str, z: float, digits: int = 4) -> str:
    """An activation's LaTeX formula with the number put in for z: \\max(0, z) -> \\max(0, 1.5)."""
    number = latex_number(z, digits)
    signed = f"({number})" if z < 0 else number  # e^{-(-0.5)}, not e^{--0.5}
    out = []
    for k, char in enumerate(formula):
        if char != "z":
            out.append(char)
        elif k and formula[k - 1].isdigit():  # 0.01z -> 0.01 \cdot 1.5
            out.append(r" \cdot " + signed)
        elif k and formula[k - 1] == "-":
            out.append(signed)
        else:
            out.append(number)
    return "".join(out)


# ----------------------------------------------------------------------------- symbols
def vec(name: str, layer: int) -> str:
    """z^{(2)} and friends: a quantity of layer `layer` (1-based, as in the formulas)."""
    return rf"{name}^{{({layer})}}"


def weight_symbol(layer: int, row: int, col: int) -> str:
    """W^{(2)}_{13}: the weight of layer `layer` from input row+1 to neuron col+1 (0-based in)."""
    return rf"W^{{({layer})}}_{{{row + 1}{col + 1}}}"


def partial(name: str, layer: int) -> str:
    """dL/dz^{(2)} as a LaTeX fraction."""
    return rf"\frac{{\partial L}}{{\partial {vec(name, layer)}}}"


def transposed(symbol: str) -> str:
    """x -> x^T, a^{(1)} -> (a^{(1)})^T (LaTeX allows one superscript per symbol)."""
    return rf"({symbol})^T" if "^" in symbol else rf"{symbol}^T"


def under(body: str, array) -> str:
    """A symbol with the shape of `array` written under it."""
    return rf"\underbrace{{{body}}}_{{{shape_text(array)}}}"
