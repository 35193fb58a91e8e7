"""The house style's helpers and `Plot`, the figure an explorer updates."""

import io

import numpy as np
from figure_checks import problems
from PIL import Image

from lecturekit import style
from lecturekit.plots import LectureFigure, Plot


def test_three_significant_digits():
    assert [style.three_digits(v) for v in (2.016, 0.001516, -1234.5, 0.0)] == ["2.02", "0.00152",
                                                                                 "−1.23e+03", "0"]


def test_a_colour_bar_has_short_ticks_where_the_default_would_not():
    figure = LectureFigure(figsize=(5, 3))
    ax = figure.add_subplot()
    image = ax.imshow(np.linspace(0.016, 2.016, 12).reshape(3, 4))
    ax.set(xlabel="x", ylabel="y")
    bar = style.colorbar(figure, image, ax, "value")
    assert not problems(figure)
    labels = [t.get_text() for t in bar.ax.get_yticklabels() if t.get_text()]
    assert len(labels) >= 3 and all(len(label.replace(".", "").lstrip("0")) <= 3 for label in labels)


def test_the_checks_catch_what_the_house_style_forbids():
    figure = LectureFigure(figsize=(10, 3))
    ax, heatmap = figure.subplots(1, 2)
    ax.plot([0, 1, 2, 3], [1, 2, 3, 4])
    ax.set_xlim(0, 3)
    ax.set(xlabel="layer l", ylabel="norm")
    ax.text(1, 2, "tiny", fontsize=8)
    heatmap.imshow(np.eye(3))
    heatmap.set(xlabel="i", ylabel="j")
    found = " / ".join(problems(figure))
    assert "over 8.4 in" in found and "8 pt text" in found and "no colour bar" in found
    assert "counts things but has ticks at [0.5" in found
    style.integer_ticks(ax.xaxis)
    assert "counts things" not in " / ".join(problems(figure))


def test_a_short_log_axis_labels_1_2_5_and_no_minor_ticks():
    figure = LectureFigure(figsize=(5, 3))
    ax = figure.add_subplot()
    ax.semilogy([0, 1], [3, 40])
    ax.set(xlabel="x", ylabel="y")
    figure.canvas.draw()
    labels = [t.label1.get_text() for t in ax.yaxis.get_major_ticks() if 3 <= t.get_loc() <= 40]
    assert labels == ["5", "10¹", "2×10¹"]
    assert not [t for t in ax.yaxis.get_minor_ticks() if t.label1.get_text()]
    assert not problems(figure)


class Dot(Plot):
    def __init__(self):
        super().__init__(width=4, height=3)
        self.ax = self.figure.add_subplot()
        self.ax.set(xlim=(0, 10), ylim=(0, 10), xlabel="x", ylabel="y")
        self.dot = self.moves(self.ax.plot([], [], "o", ms=20)[0])

    def update(self, x):
        self.dot.set_data([x], [5])
        self.summary = f"x = {x}"
        return self


def pixels(png):
    return np.array(Image.open(io.BytesIO(png)))


def test_a_plot_redraws_its_moving_artists_and_redraws_all_when_something_else_changed():
    plot = Dot().update(2)
    first = pixels(plot.png())
    background = plot._background
    moved = pixels(plot.update(8).png())
    assert plot._background is background, "only the dot changed: the background is reused"
    assert (first != moved).any()
    np.testing.assert_array_equal(pixels(plot.update(2).png()), first)  # no trace of the dot at 8
    plot.ax.set_xlim(0, 20)  # not a moving artist: the whole figure is drawn again
    wider = pixels(plot.png())
    assert plot._background is not background and (wider != first).any()


class Labels(Plot):
    """Three moving texts: "a" and "b" overlap, "c" stands apart."""

    def __init__(self):
        super().__init__(width=4, height=3)
        ax = self.figure.add_subplot()
        ax.set_axis_off()
        self.texts = {name: self.moves(ax.text(x, 0.5, "", fontsize=20, bbox={"fc": "white"}))
                      for name, x in (("a", 0.1), ("b", 0.2), ("c", 0.8))}

    def update(self, **texts):
        for name, text in texts.items():
            self.texts[name].set_text(text)
        return self


def drawn_by(plot, monkeypatch):
    """The artists the next png draws."""
    drawn = []
    draw = plot.figure.draw_artist
    monkeypatch.setattr(plot.figure, "draw_artist", lambda artist: drawn.append(artist) or draw(artist))
    plot.png()
    return drawn


def test_a_plot_draws_again_only_the_texts_that_changed_and_those_they_overlap(monkeypatch):
    plot = Labels().update(a="one", b="two", c="three")
    plot.png()
    texts = plot.texts
    assert drawn_by(plot.update(c="four", a="one"), monkeypatch) == [texts["c"]], "a's text is the same"
    assert drawn_by(plot.update(a="five"), monkeypatch) == [texts["a"], texts["b"]], "b overlaps a"
    assert drawn_by(plot, monkeypatch) == []
    for changes in ({"a": "a much longer text"}, {"c": ""}, {"b": "x"}, {"a": "", "c": "back"}):
        shown = pixels(plot.update(**changes).png())
        np.testing.assert_array_equal(shown, pixels(Labels().update(**{n: t.get_text() for n, t in
                                                                       texts.items()}).png()))


def test_a_plot_in_a_notebook_shows_its_image_and_summary(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    Dot().update(3)._ipython_display_()
    assert shown[0].data.startswith(b"\x89PNG") and capsys.readouterr().out == "x = 3\n"
    assert repr(Dot().update(4)) == "<Dot: x = 4>"


def test_the_png_encoder_keeps_every_pixel():
    from lecturekit.plots.base import encode_png

    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    np.testing.assert_array_equal(pixels(encode_png(rgb)), rgb)
