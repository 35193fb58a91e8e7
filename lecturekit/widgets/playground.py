"""Notebook 10's playground: every knob of the lecture, its live views, and A/B runs.

The model is `lecturekit.playground` (a Setting and a Playground) and the figures are
`lecturekit.plots.playground`; this module only wires widgets to them. Clicks on the class
plane come from ipyevents, which reports the pixel of the image that was clicked;
`PlanePlot.to_data` turns it into x₁, x₂ with the axes' transform of the figure that was drawn.

Long runs train in a background thread, so the "stop" button is heard while they run; the views
are redrawn a few times a second meanwhile, with a progress bar.
"""

import html
import threading
import time

import ipywidgets
import numpy as np

from .. import style
from ..playground import DATA, DATA_KNOBS, KNOBS, Playground, Setting, read_csv
from ..plots.playground import CurvesPlot, PlanePlot, plane_extent

#: Redraw at most this often while a run trains (seconds).
REDRAW_EVERY = 0.3


def numbers_text(pg, index):
    """The weights and last gradients of Linear layer `index` of pg, as text."""
    parts = [f"layer {index + 1} of {len(pg.linears)}"]
    for name, array in pg.layer_numbers(index).items():
        shown = np.array2string(array, precision=3, threshold=120, edgeitems=3, suppress_small=True)
        parts.append(f"{name} {array.shape}:\n{shown}")
    if not pg.steps:
        parts.append("(no gradient yet: take a step)")
    return "\n".join(parts)


def _control(key, value):
    """The widget for one knob of the Setting, from its Knob."""
    knob, common = KNOBS[key], {"description": key, "style": {"description_width": "initial"},
                                "layout": ipywidgets.Layout(width="auto")}
    if knob.onoff:
        return ipywidgets.Checkbox(value=value, indent=False, **common)
    if knob.choices:
        return ipywidgets.Dropdown(options=knob.choices, value=value, **common)
    if key == "seed":
        return ipywidgets.BoundedIntText(value=value, min=knob.low, max=knob.high, **common)
    if knob.integer:
        return ipywidgets.IntSlider(value=value, min=knob.low, max=knob.high, continuous_update=False,
                                    **common)
    if key == "noise":
        return ipywidgets.FloatSlider(value=value, min=knob.low, max=knob.high, step=0.01,
                                      continuous_update=False, **common)
    return ipywidgets.FloatLogSlider(value=value, min=np.log10(knob.low), max=np.log10(knob.high),
                                     step=0.1, continuous_update=False, readout_format=".3g", **common)


def _button(label, name, **more):
    button = ipywidgets.Button(description=label, layout=ipywidgets.Layout(width="auto"), **more)
    button.add_class(f"lk-{name}")
    return button


class PlaygroundUI:
    """The playground's widgets and what they do; `box` is what the notebook shows."""

    def __init__(self, setting=None):
        from ipyevents import Event  # here: only the playground needs it

        setting = Setting() if setting is None else setting
        self.controls = {key: _control(key, getattr(setting, key)) for key in KNOBS}
        self.steps_n = ipywidgets.BoundedIntText(value=100, min=1, max=10_000, description="N",
                                                 layout=ipywidgets.Layout(width="150px"))
        self.steps_n.add_class("lk-steps-n")
        self.buttons = {"step": _button("step", "step"), "run": _button("run N", "run"),
                        "stop": _button("stop", "stop", disabled=True),
                        "rewind": _button("rewind", "rewind"), "ab": _button("A/B", "ab"),
                        "a_only": _button("A only", "a-only"), "apply": _button("apply", "apply")}
        self.progress = ipywidgets.IntProgress(value=0, min=0, max=1, layout=ipywidgets.Layout(width="160px"))
        self.ab_text = ipywidgets.Text(value="lr=1.0", description="B = A but",
                                       layout=ipywidgets.Layout(width="260px"))
        self.ab_text.add_class("lk-ab-text")
        self.setting_text = ipywidgets.Text(value=setting.to_text(), description="setting",
                                            layout=ipywidgets.Layout(width="100%"))
        self.setting_text.add_class("lk-setting")
        self.add_class = ipywidgets.Dropdown(options=[0, 1], value=0, description="add class",
                                             layout=ipywidgets.Layout(width="auto"))
        self.add_class.add_class("lk-add-class")
        self.upload = ipywidgets.FileUpload(accept=".csv", multiple=False, description="CSV x1,x2,label")
        self.layer = ipywidgets.Dropdown(options=[("–", -1)], value=-1, description="numbers of layer",
                                         style={"description_width": "initial"})
        self.layer.add_class("lk-layer")
        self.numbers = ipywidgets.HTML()
        self.numbers.add_class("lk-numbers")
        self.message = ipywidgets.HTML()
        self.message.add_class("lk-message")
        self.images = {name: ipywidgets.Image(format="png") for name in "AB"}
        self.captions = {name: ipywidgets.HTML() for name in "AB"}
        for name in "AB":
            self.images[name].add_class(f"lk-plane-{name.lower()}")
            self.captions[name].add_class(f"lk-status-{name.lower()}")
        self.curves_image = ipywidgets.Image(format="png")
        self.clicks = Event(source=self.images["A"], watched_events=["click"])
        self.clicks.on_dom_event(self.on_click)
        self.curves = CurvesPlot()
        self.stop_asked = threading.Event()
        self.running = None
        self.quiet = False  # set while the controls are set from a pasted setting
        self.pg, self.b, self.planes = None, None, {}

        for widget in self.controls.values():
            widget.observe(self.on_control, names="value")
        self.buttons["step"].on_click(lambda _: self.act(self.step))
        self.buttons["run"].on_click(lambda _: self.act(self.start_run))
        self.buttons["stop"].on_click(lambda _: self.stop_asked.set())
        self.buttons["rewind"].on_click(lambda _: self.act(self.rewind))
        self.buttons["ab"].on_click(lambda _: self.act(self.start_ab))
        self.buttons["a_only"].on_click(lambda _: self.act(self.end_ab))
        self.buttons["apply"].on_click(lambda _: self.act(self.apply_text))
        self.upload.observe(lambda change: self.act(self.load_csv, change), names="value")
        self.layer.observe(lambda _: self.act(self.show_numbers), names="value")

        self.box = self.layout()
        self.use(Playground(setting))

    def layout(self):
        c = self.controls

        def row(*children):
            return ipywidgets.HBox(list(children), layout=ipywidgets.Layout(flex_flow="row wrap",
                                                                            align_items="center"))

        planes = row(*(ipywidgets.VBox([self.images[n], self.captions[n]]) for n in "AB"))
        self.plane_b = planes.children[1]
        self.plane_b.layout.display = "none"
        box = ipywidgets.VBox([
            row(ipywidgets.HTML("<b>data</b>"), *(c[k] for k in DATA_KNOBS)),
            row(ipywidgets.HTML("<b>net</b>"), *(c[k] for k in ("depth", "width", "activation", "init",
                                                                "residual", "batchnorm"))),
            row(ipywidgets.HTML("<b>training</b>"), *(c[k] for k in ("optimizer", "lr", "clip", "clip_at",
                                                                     "penalty", "strength", "batch"))),
            row(self.buttons["step"], self.buttons["run"], self.steps_n, self.buttons["stop"],
                self.progress, self.buttons["rewind"], self.ab_text, self.buttons["ab"],
                self.buttons["a_only"]),
            row(self.setting_text, self.buttons["apply"]),
            row(self.add_class, ipywidgets.HTML("(click the left plane to add a point)"), self.upload),
            self.message, planes, self.curves_image, self.layer, self.numbers,
        ])
        box.add_class("lk-playground")
        return box

    # What every action shares: one at a time, and an error becomes a message, not a traceback.

    def act(self, action, *args):
        if self.running is not None and action is not self.start_run:
            self.say("training… press stop first")
            return
        try:
            action(*args)
        except ValueError as error:
            self.say(f"⚠ {error}", error=True)

    def say(self, text, error=False):
        color = style.VERMILLION if error else style.BLACK
        self.message.value = f'<span style="color:{color}">{html.escape(text)}</span>'

    def setting(self):
        """The Setting the controls show (a ValueError naming the knob if they do not make one)."""
        return Setting(**{key: widget.value for key, widget in self.controls.items()})

    def use(self, pg, keep_b=False):
        """Show `pg` as A (and end A/B unless asked to keep it)."""
        self.pg = pg
        if not keep_b:
            self.b = None
        extent_changed = not self.planes or self.planes["A"].extent != plane_extent(pg.X)
        if extent_changed:
            self.planes = {name: PlanePlot(pg.X, title=name) for name in "AB"}
        self.add_class.options = list(range(pg.classes))
        self.layer.options = [("–", -1)] + [(str(i + 1), i) for i in range(len(pg.linears))]
        self.setting_text.value = pg.setting.to_text()
        self.redraw()

    def playgrounds(self):
        return {"A": self.pg, "B": self.b} if self.b is not None else {"A": self.pg}

    def redraw(self, curves=True):
        for name, pg in self.playgrounds().items():
            plane = self.planes[name].update(pg)
            self.images[name].value = plane.png()
            status = pg.summary() + (f" · {pg.diverged}" if pg.diverged else "")
            self.captions[name].value = f"<b>{name}</b> {html.escape(status)}"
        self.plane_b.layout.display = None if self.b is not None else "none"
        if curves:
            self.curves_image.value = self.curves.update(self.playgrounds()).png()
        self.show_numbers()

    def show_numbers(self):
        index = self.layer.value
        if index is None or index < 0:
            self.numbers.value = ""
            return
        texts = [f"{name}: " + numbers_text(pg, index) for name, pg in self.playgrounds().items()]
        self.numbers.value = "".join(f"<pre>{html.escape(t)}</pre>" for t in texts)

    # The controls.

    def on_control(self, change):
        if self.quiet:
            return
        if self.running is not None:
            self.say("training… press stop first")
            return
        try:
            setting = self.setting()
        except ValueError as error:
            self.say(f"⚠ {error}", error=True)
            return
        key = change["owner"].description
        if key in DATA_KNOBS:
            self.use(Playground(setting))
            points = None
        else:
            points = (self.pg.X, self.pg.labels)
            self.use(Playground(setting, points=points, classes=self.pg.classes))
        self.say(f"{key} = {change['new']}: a new net from seed {setting.seed}"
                 + (", new points" if points is None else ""))

    def apply_text(self):
        setting = Setting.from_text(self.setting_text.value)
        self.quiet = True
        try:
            for key, widget in self.controls.items():
                widget.value = getattr(setting, key)
        finally:
            self.quiet = False
        self.use(Playground(setting))
        self.say("setting applied")

    # Training.

    def step(self):
        for pg in self.playgrounds().values():
            pg.step()
        self.redraw()

    def rewind(self):
        for pg in self.playgrounds().values():
            pg.rewind()
        self.redraw()
        self.say("rewound: the initial weights again")

    def start_run(self):
        if self.running is not None:
            return
        n = self.steps_n.value
        self.stop_asked.clear()
        self.progress.max, self.progress.value = n, 0
        for name, button in self.buttons.items():
            button.disabled = name != "stop"
        self.running = threading.Thread(target=self.run, args=(n,), daemon=True)
        self.running.start()

    def run(self, n):
        """Train every playground shown for n steps (in a thread), redrawing now and then."""
        taken = 0
        try:
            last = time.perf_counter()
            while taken < n and not self.stop_asked.is_set():
                if not any([pg.step() for pg in self.playgrounds().values()]):
                    break  # every run diverged; its caption says where
                taken += 1
                self.progress.value = taken
                if time.perf_counter() - last > REDRAW_EVERY:
                    self.redraw()
                    last = time.perf_counter()
            self.say(f"stopped after {taken} of {n} steps" if self.stop_asked.is_set()
                     else f"ran {taken} steps")
        except Exception as error:  # in a thread nobody would see it: show it
            self.say(f"⚠ {type(error).__name__}: {error}", error=True)
        finally:
            self.running = None
            for name, button in self.buttons.items():
                button.disabled = name == "stop"
            self.redraw()

    # A/B.

    def start_ab(self):
        a_setting = self.pg.setting
        b_setting = Setting.from_text(self.ab_text.value, base=a_setting)
        changed = b_setting.differences(a_setting)
        if len(changed) != 1:
            raise ValueError(f"A/B changes exactly one knob of A, e.g. lr=1.0; "
                             f"'{self.ab_text.value}' changes {len(changed)}")
        key = changed[0]
        b = self.pg.but(**{key: getattr(b_setting, key)})  # refuses the data knobs, saying why
        self.pg.rewind()
        self.b = b
        self.redraw()
        value = KNOBS[key].write(getattr(b_setting, key))
        weights = ("the same initial weights" if b.start_checksum == self.pg.start_checksum
                   else f"initial weights drawn from the same seed (different: {key} changes them)")
        self.say(f"A/B: B is A with {key} = {value}. The same: the {len(b.X)} points, "
                 f"{b.classes} classes, seed {b.setting.seed}, {weights}, every other knob; "
                 "both start again")

    def end_ab(self):
        self.b = None
        self.redraw()
        self.say("A only")

    # Data.

    def on_click(self, event):
        if self.running is not None:
            self.say("training… press stop first")
            return
        where = self.planes["A"].to_data(event.get("dataX", -1), event.get("dataY", -1))
        if where is None:
            self.say("click inside the plane to add a point")
            return
        try:
            for pg in self.playgrounds().values():
                pg.add_point(*where, self.add_class.value)
        except ValueError as error:
            self.say(f"⚠ {error}", error=True)
            return
        self.redraw(curves=False)
        self.say(f"added ({where[0]:.2f}, {where[1]:.2f}) as class {self.add_class.value}")

    def load_csv(self, change):
        files = change["new"]
        if not files:
            return
        upload = files[0]
        try:
            points = read_csv(upload["content"])
        except ValueError as error:
            raise ValueError(f"{upload['name']}: {error}") from None
        self.use(Playground(self.setting(), points=points))
        self.say(f"{upload['name']}: {len(points[0])} points, {self.pg.classes} classes "
                 "(the setting line does not carry uploaded or clicked points)")


def playground(setting=None):
    """The playground, starting from `setting` (a Setting or its text; default: the defaults)."""
    if isinstance(setting, str):
        setting = Setting.from_text(setting)
    return PlaygroundUI(setting).box


__all__ = ["DATA", "CurvesPlot", "PlanePlot", "PlaygroundUI", "Setting", "playground"]
