"""The playground of notebook 10: every knob of the lecture on one small classification task.

A `Setting` is every knob at once (the data, the net, the training), frozen and validated, and
writes itself as one line of text, `data=moons;depth=3;…;lr=0.3`, that `Setting.from_text` reads
back: a teacher copies the line and the class pastes it. A `Playground` holds one setting, its
points and the net built from its seed (`nets.build_mlp`), and trains it one step at a time with
softmax cross-entropy (`losses.softmax_cross_entropy`) so that any number of classes works.

`rewind()` puts back the exact initial weights; `but(lr=1.0)` is the same playground with one knob
of the net or the training changed, the same points, classes and seed: an A/B comparison.
"""

import copy
import csv
import hashlib
import re
from dataclasses import dataclass, fields, replace

import numpy as np

from . import data
from .activations import NAMES as ACTIVATION_NAMES
from .batchnorm import BatchNorm
from .checks import Diverged, NonFiniteError
from .diagnostics import dead_fraction, hidden_activations
from .layers import leaves
from .losses import softmax, softmax_cross_entropy
from .nets import build_mlp, linear_layers
from .optim import SGD
from .train import gradient_step

#: The data sets by name, and how many classes each has.
DATA = {"moons": 2, "xor": 2, "circles": 2, "spirals": 2, "spirals3": 3, "blobs4": 4}

#: The knobs that make the points: changing one gives new points, so A/B cannot compare them.
DATA_KNOBS = ("data", "points", "noise", "seed")

#: The activations whose units can be dead (s ≤ 0 on every point: ReLU outputs 0 there, and its
#: slope is 0; leaky ReLU keeps a slope, so its units never die).
CAN_DIE = ("relu",)

#: The momentum μ of optimizer=momentum (plain SGD has μ = 0).
MOMENTUM = 0.9

#: Uploaded or clicked points: at most this many classes, and this many points.
MOST_CLASSES, FEWEST_POINTS, MOST_POINTS = 5, 4, 2000

#: A coordinate further out than this is refused (the plane would be mostly empty).
LARGEST_COORDINATE = 1000.0


@dataclass(frozen=True)
class Knob:
    """What one knob of a Setting may be: a number in [low, high] (an integer if `integer`), one
    of `choices`, or on/off (`onoff`)."""

    low: float = None
    high: float = None
    integer: bool = False
    choices: tuple = ()
    onoff: bool = False

    def allowed(self):
        """The allowed values, as an error message says them."""
        if self.onoff:
            return "on or off"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return f"{'an integer' if self.integer else 'a number'} from {self.low:g} to {self.high:g}"

    def check(self, key, value):
        """value if this knob allows it; else a ValueError naming `key` and what is allowed."""
        if self.onoff:
            ok = isinstance(value, (bool, np.bool_))
        elif self.choices:
            ok = isinstance(value, str) and value in self.choices
        else:
            kind = (int, np.integer) if self.integer else (int, float, np.integer, np.floating)
            ok = (isinstance(value, kind) and not isinstance(value, (bool, np.bool_))
                  and bool(np.isfinite(value)) and self.low <= value <= self.high)
        if not ok:
            raise ValueError(f"{key} must be {self.allowed()}, got {value!r}")
        return value

    def read(self, key, text):
        """The value written as `text` in a setting line; a ValueError naming `key` if it is not."""
        text = text.strip()
        if self.onoff:
            words = {"on": True, "off": False, "1": True, "0": False, "true": True, "false": False}
            if text.lower() not in words:
                raise ValueError(f"{key} must be on or off, got {text!r}")
            return words[text.lower()]
        if self.choices:
            return self.check(key, text)
        # Plain digits only: Python's int() and float() also take 1_0, "nan" and non-ASCII digits.
        if not re.fullmatch(INTEGER if self.integer else NUMBER, text):
            hint = (" (no spaces or underscores inside a value)" if re.search(r"[\s_]", text) else "")
            raise ValueError(f"{key} must be {self.allowed()}, got {text!r}{hint}")
        return self.check(key, int(text) if self.integer else float(text))

    def write(self, value):
        if self.onoff:
            return "on" if value else "off"
        return repr(float(value)) if not (self.integer or self.choices) else str(value)


#: How a number is written in a setting line: ASCII digits, a point, an exponent.
INTEGER = r"[+-]?[0-9]+"
NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"

#: Every knob: what it may be. The Setting below gives the defaults, in the same order.
KNOBS = {
    "data": Knob(choices=tuple(DATA)),
    "points": Knob(8, 500, integer=True),
    "noise": Knob(0.0, 0.5),
    "seed": Knob(0, 9999, integer=True),
    "depth": Knob(1, 12, integer=True),  # weight layers, as build_mlp counts them
    "width": Knob(1, 64, integer=True),
    "activation": Knob(choices=ACTIVATION_NAMES),
    "init": Knob(choices=("xavier", "he", "small", "large")),
    "residual": Knob(onoff=True),
    "batchnorm": Knob(onoff=True),
    "optimizer": Knob(choices=("sgd", "momentum")),
    "lr": Knob(1e-4, 10.0),
    "clip": Knob(choices=("none", "norm", "value")),
    "clip_at": Knob(1e-3, 100.0),
    "penalty": Knob(choices=("none", "l1", "l2")),
    "strength": Knob(1e-6, 1.0),
    "batch": Knob(0, 500, integer=True),  # 0: every point in every step (full batch)
}


@dataclass(frozen=True)
class Setting:
    """Every knob of the playground. Each value is checked against KNOBS when the Setting is made."""

    data: str = "moons"
    points: int = 120
    noise: float = 0.1
    seed: int = 0
    depth: int = 3
    width: int = 8
    activation: str = "tanh"
    init: str = "xavier"
    residual: bool = False
    batchnorm: bool = False
    optimizer: str = "sgd"
    lr: float = 0.3
    clip: str = "none"
    clip_at: float = 1.0
    penalty: str = "none"
    strength: float = 1e-3
    batch: int = 0

    def __post_init__(self):
        for field in fields(self):
            KNOBS[field.name].check(field.name, getattr(self, field.name))
        if self.batchnorm and self.batch == 1:
            raise ValueError("batch must be 0 (all points) or at least 2 with batchnorm=on: BN "
                             "estimates a variance from the batch, got batch=1")

    def but(self, **changes):
        """The same setting with some knobs changed (each checked)."""
        unknown = sorted(set(changes) - set(KNOBS))
        if unknown:
            raise ValueError(f"no knob named {', '.join(unknown)}; the knobs are {', '.join(KNOBS)}")
        return replace(self, **changes)

    def to_text(self):
        """The whole setting as one line, `key=value;key=value;…`."""
        return ";".join(f"{key}={knob.write(getattr(self, key))}" for key, knob in KNOBS.items())

    @classmethod
    def from_text(cls, text, base=None):
        """The setting a line from `to_text` describes. Knobs the line leaves out keep their value
        in `base` (default: the defaults), so "depth=6;lr=0.1" is a setting too. Anything else is
        refused with a ValueError that names the knob and what it may be."""
        if not isinstance(text, str):
            raise TypeError(f"a setting is a line of text like 'depth=3;lr=0.1', got {type(text).__name__}")
        base = cls() if base is None else base
        changes = {}
        for part in text.strip().strip(";").split(";"):
            if not part.strip():
                continue
            key, equals, value = part.partition("=")
            key = key.strip()
            if not equals:
                raise ValueError(f"'{part.strip()}' must be key=value, e.g. depth=3")
            if key not in KNOBS:
                raise ValueError(f"no knob named {key!r}; the knobs are {', '.join(KNOBS)}")
            if key in changes:
                raise ValueError(f"{key} is given twice")
            if "=" in value:
                raise ValueError(f"'{part.strip()}' holds more than one knob: knobs are separated by "
                                 "';', e.g. depth=3;lr=0.1")
            changes[key] = KNOBS[key].read(key, value)
        return replace(base, **changes)

    def differences(self, other):
        """The knobs whose values differ from `other`'s, in KNOBS order."""
        return [key for key in KNOBS if getattr(self, key) != getattr(other, key)]


def make_points(setting):
    """(X (n, 2), labels (n,) integers): the setting's data set, drawn from its seed."""
    n, seed, noise = setting.points, setting.seed, setting.noise
    if setting.data == "spirals3":
        return arms(n, 3, seed, noise)
    if setting.data == "blobs4":
        return blobs(n, 4, seed, noise)
    make = {"moons": data.two_moons, "xor": data.xor, "circles": data.circles,
            "spirals": data.spirals}[setting.data]
    X, Y = make(n=n, seed=seed, noise=noise)
    return X, Y.argmax(axis=1)


def arms(n, classes, seed, noise):
    """`classes` spiral arms from the origin, one turn each, every arm the first one rotated."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    t = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * t + 2 * np.pi * labels / classes
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), labels


def blobs(n, classes, seed, noise):
    """`classes` round clouds on a circle of radius 1 (std 0.15 + noise)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    angle = 2 * np.pi * labels / classes + np.pi / 4
    centres = np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + (0.15 + noise) * rng.standard_normal((n, 2)), labels


def check_points(X, labels):
    """(X, labels) as a float (n, 2) array and integer labels from 0 to 4; else a ValueError
    that says what is wrong."""
    X = np.array(X, dtype=np.float64)
    labels = np.asarray(labels)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"points must be (n, 2) coordinates, got shape {X.shape}")
    if labels.shape != (len(X),) or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be {len(X)} integers, one per point, got {labels.dtype} "
                         f"of shape {labels.shape}")
    if not FEWEST_POINTS <= len(X) <= MOST_POINTS:
        raise ValueError(f"there must be {FEWEST_POINTS} to {MOST_POINTS} points, got {len(X)}")
    if not np.isfinite(X).all() or np.abs(X).max() > LARGEST_COORDINATE:
        raise ValueError(f"coordinates must be finite numbers from −{LARGEST_COORDINATE:g} to "
                         f"{LARGEST_COORDINATE:g}")
    if labels.min() < 0 or labels.max() >= MOST_CLASSES:
        raise ValueError(f"labels must be classes from 0 to {MOST_CLASSES - 1}, got "
                         f"{sorted(set(labels.tolist()))}")
    return X, labels.astype(np.int64)


def read_csv(text):
    """(X, labels) from CSV text with the header x1,x2,label and one point per line.

    Refused, with the line named: a wrong header, missing or extra columns, a value that is not a
    number, NaN or inf, a label that is not a whole number from 0 to 4, labels that skip a class,
    fewer than 4 or more than 2000 points. Blank lines are skipped.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(f"the file must be UTF-8 text (byte {error.start} is not)") from None
    text = text.removeprefix("\ufeff")  # the byte-order mark some editors write first
    rows = [(number, row) for number, row in enumerate(csv.reader(text.splitlines()), 1)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError("the file is empty: it needs the header x1,x2,label and one point per line")
    number, header = rows[0]
    if [cell.strip().lower() for cell in header] != ["x1", "x2", "label"]:
        raise ValueError(f"line {number}: the header must be x1,x2,label, got {','.join(header)!r}")
    points, labels = [], []
    for number, row in rows[1:]:
        if len(row) != 3:
            raise ValueError(f"line {number}: expected 3 columns x1,x2,label, got {len(row)}: "
                             f"{','.join(row)!r}")
        xy = []
        for name, cell in zip(("x1", "x2"), row[:2], strict=True):
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(f"line {number}: {name} must be a number, got {cell.strip()!r}") from None
            if not np.isfinite(value) or abs(value) > LARGEST_COORDINATE:
                raise ValueError(f"line {number}: {name} must be a finite number from "
                                 f"−{LARGEST_COORDINATE:g} to {LARGEST_COORDINATE:g}, got {cell.strip()!r}")
            xy.append(value)
        label = row[2].strip()
        if not (re.fullmatch(INTEGER, label) and 0 <= int(label) < MOST_CLASSES):
            raise ValueError(f"line {number}: label must be a whole number from 0 to "
                             f"{MOST_CLASSES - 1}, got {label!r}")
        points.append(xy)
        labels.append(int(label))
        if len(points) > MOST_POINTS:
            raise ValueError(f"line {number}: more than {MOST_POINTS} points")
    if len(points) < FEWEST_POINTS:
        raise ValueError(f"the file has {len(points)} points; at least {FEWEST_POINTS} are needed")
    classes = max(labels) + 1
    missing = sorted(set(range(classes)) - set(labels))
    if missing or classes < 2:
        what = f"class {missing[0]} has no point" if missing else "every point has label 0"
        raise ValueError(f"labels must be 0 … K − 1 with every class present and K ≥ 2: {what}")
    return np.array(points), np.array(labels, dtype=np.int64)


def checksum(net):
    """A short fingerprint of the weight matrices W of `net`, first layer to last: equal
    fingerprints, identical weights (whatever shortcuts or BN layers sit between them)."""
    digest = hashlib.sha256()
    for layer in linear_layers(net):
        digest.update(np.ascontiguousarray(layer.params["W"]).tobytes())
    return digest.hexdigest()[:10]


def _whole(value):
    """Whether value is an integer (and not True or False)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


class Playground:
    """One setting, its points, the net built from its seed and the steps trained so far.

    `history` holds, per step taken: the loss of the step's batch (before its update) and
    ‖∂L/∂W_l‖ of every layer (before clipping). `dead_units()` measures the net as it is now.

    points=(X, labels) replaces the setting's data (uploaded, clicked or kept points); `classes`
    is then the number of outputs (default: as many as the labels say), so that an A/B pair keeps
    A's classes even when a few points leave one out.
    """

    def __init__(self, setting=None, points=None, classes=None):
        self.setting = s = Setting() if setting is None else setting
        if not isinstance(s, Setting):
            raise TypeError(f"setting must be a Setting, got {type(s).__name__}")
        X, labels = make_points(s) if points is None else points
        self.X, self.labels = check_points(X, labels)
        if classes is None:
            classes = DATA[s.data] if points is None else max(2, int(self.labels.max()) + 1)
        if not (_whole(classes) and max(2, self.labels.max() + 1) <= classes <= MOST_CLASSES):
            raise ValueError(f"classes must be an integer from {max(2, self.labels.max() + 1)} (the "
                             f"labels go to {self.labels.max()}) to {MOST_CLASSES}, got {classes!r}")
        self.classes = int(classes)
        if s.batch > len(self.X):
            raise ValueError(f"batch must be at most the number of points, {len(self.X)} (or 0: all "
                             f"of them in every step), got batch={s.batch}")
        self._start = build_mlp(s.depth, s.width, s.activation, s.init, np.random.default_rng(s.seed),
                                n_in=2, n_out=self.classes, residual=s.residual, batchnorm=s.batchnorm)
        self.start_checksum = checksum(self._start)
        self.rewind()

    def rewind(self):
        """Back to the exact initial weights (and BN statistics), with no step taken."""
        self.net = copy.deepcopy(self._start)
        self.linears = linear_layers(self.net)
        self.activations = hidden_activations(self.net)
        self.optimizer = SGD(self.setting.lr, MOMENTUM if self.setting.optimizer == "momentum" else 0.0)
        self.rng = np.random.default_rng(self.setting.seed)  # the same batches after every rewind
        self.losses, self.grad_norms = [], []
        self.diverged = ""

    def but(self, **change):
        """A/B: this playground's points, classes and seed with one knob of the net or the training
        changed, from its initial weights."""
        if len(change) != 1:
            raise ValueError(f"an A/B comparison changes exactly one knob, got {len(change)}: "
                             f"{', '.join(change) or 'none'}")
        (key,) = change
        if key in DATA_KNOBS:
            raise ValueError(f"A/B compares knobs of the net or the training on the same points; {key} "
                             f"makes new points{' (and new initial weights)' if key == 'seed' else ''}: "
                             f"change it in A instead")
        return Playground(self.setting.but(**change), points=(self.X.copy(), self.labels.copy()),
                          classes=self.classes)

    @property
    def steps(self):
        return len(self.losses)

    @property
    def history(self):
        """(losses (steps,), gradient norms (steps, layers))."""
        return (np.array(self.losses),
                np.array(self.grad_norms, dtype=float).reshape(self.steps, len(self.linears)))

    def _batch(self):
        size = self.setting.batch
        if size == 0 or size >= len(self.X):
            return slice(None)
        return self.rng.choice(len(self.X), size, replace=False)

    def step(self):
        """One update of gradient descent; returns False (and says why in `diverged`) if the
        numbers blew up, in which case the weights stay as they were."""
        if self.diverged:
            return False
        s, rows = self.setting, self._batch()
        try:
            loss, norms = gradient_step(
                self.net, self.X[rows], self.labels[rows], softmax_cross_entropy, self.optimizer,
                first_loss=self.losses[0] if self.losses else None,
                l1=s.strength if s.penalty == "l1" else 0.0, l2=s.strength if s.penalty == "l2" else 0.0,
                clip_norm=s.clip_at if s.clip == "norm" else None,
                clip_value=s.clip_at if s.clip == "value" else None, linears=self.linears)
        except Diverged as why:
            return self._stop(f"diverged at step {self.steps + 1}: {why}")
        self.losses.append(loss)
        self.grad_norms.append(norms)
        return True

    def _stop(self, why):
        self.diverged = why
        return False

    def run(self, n, stop=None, report=None):
        """Up to `n` steps; before each one `stop()` (if given) may end the run early, and after
        each one `report(done)` hears how many were taken. Returns the number of steps taken."""
        if not (_whole(n) and 1 <= n <= 100_000):
            raise ValueError(f"n (steps to run) must be an integer from 1 to 100000, got {n!r}")
        done = 0
        while done < n and not (stop and stop()):
            if not self.step():
                break
            done += 1
            if report:
                report(done)
        return done

    def add_point(self, x1, x2, label):
        """Add one point of class `label` (0 … classes − 1) to the data; the net is kept."""
        if not (_whole(label) and 0 <= label < self.classes):
            raise ValueError(f"label must be a class from 0 to {self.classes - 1}, got {label!r}")
        if len(self.X) >= MOST_POINTS:
            raise ValueError(f"there are already {MOST_POINTS} points, the most the playground takes")
        point = np.array([[x1, x2]], dtype=np.float64)
        if not np.isfinite(point).all() or np.abs(point).max() > LARGEST_COORDINATE:
            raise ValueError(f"a point must have finite coordinates up to {LARGEST_COORDINATE:g}, "
                             f"got {x1}, {x2}")
        self.X = np.vstack([self.X, point])
        self.labels = np.append(self.labels, np.int64(label))

    def probabilities(self, X):
        """softmax of the net's output for the points X (n, 2), in evaluation mode (BN uses its
        running statistics), as (n, classes)."""
        self.net.eval()
        try:
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                return softmax(self.net.forward(np.asarray(X, dtype=np.float64)))
        except NonFiniteError:
            return np.full((len(X), self.classes), np.nan)
        finally:
            self.net.train()

    def dead_units(self):
        """The share of dead units of every hidden layer (hidden layers,): units whose input s is
        ≤ 0 on every point, measured on all the points as training sees them (BN with the points'
        statistics), leaving the weights and BN's running statistics as they were. None unless the
        activation is relu: a sigmoid, tanh or leaky ReLU unit is never dead."""
        if self.setting.activation not in CAN_DIE:
            return None
        norms = [layer for layer in leaves(self.net) if isinstance(layer, BatchNorm)]
        running = [(bn.running_mean.copy(), bn.running_var.copy()) for bn in norms]
        try:
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                self.net.forward(self.X)
        except NonFiniteError:
            return np.full(len(self.activations), np.nan)
        finally:
            for bn, (mean, var) in zip(norms, running, strict=True):
                bn.running_mean, bn.running_var = mean, var
        return dead_fraction(self.activations)

    def accuracy(self):
        """The share of the points the net puts in their own class."""
        return float(np.mean(self.probabilities(self.X).argmax(axis=1) == self.labels))

    def layer_numbers(self, index):
        """{"W": …, "b": …, "∂L/∂W": …, "∂L/∂b": …} of Linear layer `index` (0 = first): its
        weights and the gradients of the last step (none before the first)."""
        if not (_whole(index) and 0 <= index < len(self.linears)):
            raise ValueError(f"layer must be from 0 to {len(self.linears) - 1}, got {index!r}")
        layer = self.linears[index]
        numbers = dict(layer.params)
        if self.steps:
            numbers.update({f"∂L/∂{name}": g for name, g in layer.grads.items()})
        return numbers

    def checksum(self):
        return checksum(self.net)

    def summary(self):
        """One line: steps, last loss, accuracy, and the weights' fingerprint."""
        loss = f"{self.losses[-1]:.3f}" if self.losses else "–"
        return (f"step {self.steps} · loss {loss} · accuracy {self.accuracy():.0%} · "
                f"{len(self.X)} points · weights {self.checksum()} (start {self.start_checksum})")
