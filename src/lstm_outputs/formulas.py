"""Parameter-count formulas as text a reader can check, and the same formulas filled in.

A recurrent layer with ``g`` gate blocks and ``b`` bias vectors per block holds
``g·(U·(F+U)+bU)`` parameters: a kernel ``(F, gU)``, a recurrent kernel ``(U, gU)`` and the
biases. Keras: LSTM ``g=4, b=1``; GRU ``g=3`` with ``b=2`` under ``reset_after`` (its
default) or ``b=1``; SimpleRNN ``g=1, b=1``. PyTorch always keeps two bias vectors
(``bias_ih`` and ``bias_hh``), so ``b=2`` for all three. A bidirectional layer holds two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lstm_outputs.configs import LAYERS
from lstm_outputs.limits import check_limited_size
from lstm_outputs.validation import check_choice, check_flag, check_size

#: Gate blocks per layer kind: LSTM's i, f, c, o; GRU's z, r, h; SimpleRNN's one.
GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}


@dataclass(frozen=True)
class ParameterFormula:
    """A parameter-count formula: its text over ``U`` and ``F``, and its coefficients.

    The count is ``uu·U² + uf·U·F + u·U`` with ``(uu, uf, u) = coefficients``, the form
    the explorer page evaluates (a polynomial needs no formula in the browser).
    """

    text: str
    coefficients: tuple[int, int, int]

    def count(self, units: int, features: int) -> int:
        """The number of parameters for ``units`` and ``features``.

        >>> keras_parameter_formula("LSTM").count(16, 10)
        1728
        """
        units = check_limited_size("units", units)
        features = check_limited_size("features", features)
        uu, uf, u = self.coefficients
        return uu * units * units + uf * units * features + u * units

    @property
    def template(self) -> str:
        """The text with every product written out (``2U`` as ``2·U``), ready for numbers.

        >>> keras_parameter_formula("GRU").template
        '3·(U·(F+U)+2·U)'
        """
        return re.sub(r"(\d)U", r"\1·U", self.text)

    def filled(self, units: int, features: int) -> str:
        """The formula with the sizes put in, and its value.

        >>> keras_parameter_formula("LSTM").filled(16, 10)
        '4·(16·(10+16)+16) = 1728'
        >>> keras_parameter_formula("GRU").filled(16, 10)
        '3·(16·(10+16)+2·16) = 1344'
        """
        count = self.count(units, features)
        text = self.template.replace("U", str(units)).replace("F", str(features))
        return f"{text} = {count}"


def _formula(layer: str, biases: int, bidirectional: bool) -> ParameterFormula:
    gates = GATES[layer]
    inner = f"U·(F+U)+{'' if biases == 1 else biases}U"
    text = inner if gates == 1 else f"{gates}·({inner})"
    directions = 2 if bidirectional else 1
    if bidirectional:
        text = f"2·{text}" if gates > 1 else f"2·({text})"
    times = directions * gates
    return ParameterFormula(text, (times, times, times * biases))


def keras_parameter_formula(
    layer: str = "LSTM", *, bidirectional: bool = False, reset_after: bool = True
) -> ParameterFormula:
    """The formula for a Keras layer's trainable parameters.

    ``reset_after`` only changes a GRU (Keras ignores it elsewhere).

    >>> keras_parameter_formula("GRU").text
    '3·(U·(F+U)+2U)'
    >>> keras_parameter_formula("GRU", reset_after=False).text
    '3·(U·(F+U)+U)'
    >>> keras_parameter_formula("SimpleRNN", bidirectional=True).text
    '2·(U·(F+U)+U)'
    >>> keras_parameter_formula("LSTM", bidirectional=True).coefficients
    (8, 8, 8)
    """
    check_choice("layer", layer, LAYERS)
    bidirectional = check_flag("bidirectional", bidirectional)
    reset_after = check_flag("reset_after", reset_after)
    biases = 2 if layer == "GRU" and reset_after else 1
    return _formula(layer, biases, bidirectional)


def pytorch_parameter_formula(layer: str = "LSTM", *, bidirectional: bool = False):
    """The formula for the parameters of PyTorch's ``nn.LSTM``/``nn.GRU``/``nn.RNN``.

    ``layer`` is the Keras layer kind the PyTorch module corresponds to.

    >>> pytorch_parameter_formula("LSTM").text
    '4·(U·(F+U)+2U)'
    >>> pytorch_parameter_formula("SimpleRNN").filled(16, 10)
    '16·(10+16)+2·16 = 448'
    """
    check_choice("layer", layer, LAYERS)
    bidirectional = check_flag("bidirectional", bidirectional)
    return _formula(layer, 2, bidirectional)


@dataclass(frozen=True)
class ProjectedFormula:
    """The parameter count of ``nn.LSTM(..., proj_size=P)``: ``uf·U·F + up·U·P + u·U``.

    Each direction holds ``weight_ih`` ``(4U, F)``, ``weight_hh`` ``(4U, P)`` (it reads the
    projected ``h``), two biases ``(4U,)`` and ``weight_hr`` ``(P, U)``.
    """

    text: str
    coefficients: tuple[int, int, int]

    def count(self, units: int, features: int, proj_size: int) -> int:
        """The number of parameters for ``units``, ``features`` and ``proj_size``.

        >>> pytorch_projected_formula().count(16, 10, 4)
        1088
        """
        units = check_limited_size("units", units)
        features = check_limited_size("features", features)
        proj_size = check_size("proj_size", proj_size)
        uf, up, u = self.coefficients
        return uf * units * features + up * units * proj_size + u * units

    @property
    def template(self) -> str:
        """The text with every product written out, ready for numbers.

        >>> pytorch_projected_formula().template
        '4·(U·(F+P)+2·U)+P·U'
        """
        return re.sub(r"(\d)U", r"\1·U", self.text)


def pytorch_projected_formula(*, bidirectional: bool = False) -> ProjectedFormula:
    """The formula for ``nn.LSTM(F, U, proj_size=P)``'s parameters (one layer).

    >>> pytorch_projected_formula(bidirectional=True).text
    '2·(4·(U·(F+P)+2U)+P·U)'
    """
    bidirectional = check_flag("bidirectional", bidirectional)
    text = "4·(U·(F+P)+2U)+P·U"
    directions = 2 if bidirectional else 1
    return ProjectedFormula(
        f"2·({text})" if bidirectional else text, (4 * directions, 5 * directions, 8 * directions)
    )
