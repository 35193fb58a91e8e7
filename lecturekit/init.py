"""Weight initializers, always drawn from an explicit `np.random.Generator`.

Slide "ReLu在神經網路如何舒緩Gradient的問題" names bad initial weights as one cause of dead ReLU;
the depth explorer shows how the scale of the first weights decides whether gradients vanish or
explode. Each initializer returns a (fan_in, fan_out) matrix W for the layer s = xW.

- normal: N(0, std²) with a std you choose ("small" 0.01, "large" 1.0 are the named presets).
- xavier: N(0, 2 / (fan_in + fan_out)), Glorot & Bengio 2010, keeps the variance of s and of the
  gradient about constant through tanh/sigmoid-like layers.
- he: N(0, 2 / fan_in), He et al. 2015, the same for ReLU, which zeroes half its inputs.
"""

import numpy as np

from .checks import check_choice, check_float_dtype, check_generator, check_number, check_positive_int

#: std of the named normal presets.
PRESET_STD = {"small": 0.01, "large": 1.0}

#: The names `init_weights` accepts, for widgets.
NAMES = ("small", "xavier", "he", "large", "normal")


def normal(fan_in, fan_out, rng, std=0.01, dtype=np.float64):
    """W ~ N(0, std²), shape (fan_in, fan_out)."""
    check_generator(rng)
    std = check_number(std, "std", "normal", at_least=0, at_most=100)
    shape = (check_positive_int(fan_in, "fan_in", "normal"),
             check_positive_int(fan_out, "fan_out", "normal"))
    return (std * rng.standard_normal(shape)).astype(dtype, copy=False)


def xavier(fan_in, fan_out, rng, dtype=np.float64):
    """Glorot/Xavier normal: W ~ N(0, 2 / (fan_in + fan_out))."""
    fan_in = check_positive_int(fan_in, "fan_in", "xavier")
    fan_out = check_positive_int(fan_out, "fan_out", "xavier")
    return normal(fan_in, fan_out, rng, std=np.sqrt(2.0 / (fan_in + fan_out)), dtype=dtype)


def he(fan_in, fan_out, rng, dtype=np.float64):
    """He/Kaiming normal: W ~ N(0, 2 / fan_in)."""
    fan_in = check_positive_int(fan_in, "fan_in", "he")
    return normal(fan_in, fan_out, rng, std=np.sqrt(2.0 / fan_in), dtype=dtype)


def init_weights(name, fan_in, fan_out, rng, std=None, dtype=np.float64):
    """W of shape (fan_in, fan_out) by initializer name (one of NAMES).

    "normal" needs `std`; "small" and "large" are normal with std 0.01 and 1.0.
    """
    check_choice(name, "name (the init)", NAMES, "init_weights")
    check_float_dtype(dtype, "init_weights")
    if name != "normal" and std is not None:
        raise ValueError(f"init_weights: std must be None for init {name!r}, which sets its own std "
                         f"(pass std only with 'normal'), got {std!r}")
    if name in ("xavier", "he"):
        return (xavier if name == "xavier" else he)(fan_in, fan_out, rng, dtype=dtype)
    if name in PRESET_STD:
        return normal(fan_in, fan_out, rng, std=PRESET_STD[name], dtype=dtype)
    if std is None:  # name is "normal"
        raise ValueError("init_weights: std must be a number ≥ 0 for init 'normal', e.g. "
                         "init_weights('normal', 2, 3, rng, std=0.5), got None")
    return normal(fan_in, fan_out, rng, std=std, dtype=dtype)
