"""The network's user-facing refusals are declared messages (issue #13 item 4): a code, the choices, the value."""

from __future__ import annotations

import pytest

from optilab import messages
from optilab.nn.init import check_init
from optilab.nn.mlp import make_activation


@pytest.mark.parametrize("value", ["abc", -1.0, float("nan"), True])
def test_a_bad_init_names_the_choices(value):
    with pytest.raises(ValueError) as info:
        check_init(value)
    message = messages.of(info.value)
    assert message.code == "nn.bad_init" and message.params["value"] == repr(value)
    assert str(info.value) == ("init must be one of 'zeros', 'xavier', 'he' or a non-negative float std, "
                               f"got {value!r}")


def test_a_bad_activation_names_the_choices():
    with pytest.raises(ValueError) as info:
        make_activation("softplus")
    assert messages.of(info.value).code == "nn.bad_activation"
    assert str(info.value) == "activation must be one of 'relu', 'sigmoid', 'tanh', 'leaky_relu', got 'softplus'"
