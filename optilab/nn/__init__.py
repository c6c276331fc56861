"""Neural-network core in numpy: layers, init schemes, the MLP, gradient checks."""

from .gradcheck import numerical_gradient, relative_error
from .init import INIT_CHOICES, check_init, init_weight, weight_std
from .layers import (
    Affine,
    BatchNorm,
    Dropout,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
)
from .mlp import ACTIVATIONS, MLP, activation_stats, make_activation

__all__ = [
    "ACTIVATIONS",
    "INIT_CHOICES",
    "MLP",
    "Affine",
    "BatchNorm",
    "Dropout",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "SoftmaxWithLoss",
    "Tanh",
    "activation_stats",
    "check_init",
    "init_weight",
    "make_activation",
    "numerical_gradient",
    "relative_error",
    "weight_std",
]
