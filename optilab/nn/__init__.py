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
from .losses import MeanSquaredError
from .mlp import ACTIVATIONS, LOSSES, MLP, activation_stats, make_activation

__all__ = [
    "ACTIVATIONS",
    "INIT_CHOICES",
    "LOSSES",
    "MLP",
    "Affine",
    "BatchNorm",
    "Dropout",
    "Layer",
    "LeakyReLU",
    "MeanSquaredError",
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
