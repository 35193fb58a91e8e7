"""Notebook 08's claims: Li et al. (2018), Fig. 1 and 5, at a small scale.

Each seed trains its own nets (the weights are drawn from the seed) and draws its own two
filter-normalized directions (from the seed too, on a separate stream), then measures the share
of grid points where the drawn surface curves down in some direction (`nonconvexity`). The data
(64 points of two moons) is the same for every seed. One claim differs: in
`landscape-shares-by-direction` the nets are fixed (DIRECTION_NETS) and the seeds are the
direction seeds only.
"""

import numpy as np

from ..experiments import LANDSCAPE, constant_guess_loss, loss_landscape
from . import Outcome, claim, columns, share, spread

#: The two depths, and the grid: 11 × 11 points over [−1, 1]² (81 inside points).
SHALLOW, DEEP = 4, 20
RESOLUTION = 11
#: The least gap between the medians (percentage points) that counts as "the shortcuts make a
#: difference", and the most that counts as "no clear difference".
GAP, NO_GAP = 25, 10
#: The grids of `landscape-shares-by-grid`: coarser and finer than the claims' 11 × 11 (31 × 31 is
#: the explorer's), and the least gap between the medians that it asks for on every one of them.
RESOLUTIONS = (7, RESOLUTION, 21, 31)
GRID_GAP = 15
#: The nets of `landscape-shares-by-direction` (its seeds are the direction seeds): seed 0's, the
#: notebook's example, and seed 4's, whose residual share came closest to the plain one in the
#: first claim.
DIRECTION_NETS = (0, 4)


def landscapes(seed, depths=(SHALLOW, DEEP), resolution=RESOLUTION):
    """{(kind, depth): Landscape} for the plain and the residual ("res") net of LANDSCAPE at each
    depth, with the weights and the directions drawn from `seed` (no BN; the residual blocks start
    as the identity)."""
    return {(kind, depth): loss_landscape(LANDSCAPE.but(depth=depth, residual=kind == "res", seed=seed),
                                          direction_seed=seed, resolution=resolution)
            for kind in ("plain", "res") for depth in depths}


def batchnorm_landscapes(seed, depth=DEEP, resolution=RESOLUTION, batch_statistics=True):
    """{kind: Landscape} for the plain and the residual net of LANDSCAPE with BN after every hidden
    Linear layer, the residual blocks as built (not started as the identity), as Li et al.'s.
    BN uses the 64 points' own statistics at every grid point (as in training), or with
    batch_statistics=False its fixed running statistics (eval mode, as Li et al.'s code)."""
    setup = LANDSCAPE.but(depth=depth, batchnorm=True, seed=seed)
    return {kind: loss_landscape(setup.but(residual=kind == "res"), direction_seed=seed,
                                 resolution=resolution, identity_blocks=False,
                                 batch_statistics=batch_statistics)
            for kind in ("plain", "res")}


def _column(numbers, seeds, name):
    return np.array([numbers[seed][name] for seed in seeds])


@claim(
    "landscape-chaotic-without-shortcuts",
    "08",
    zh=f"沒有 BN、residual block 從恆等映射開始時：沒有捷徑 (shortcut) 的 {DEEP} 層網路，負曲率格點的比例在 "
       f"≥ 7/8 個 seed 中高於 {SHALLOW} 層，中位數至少高 {GAP} 個百分點；在 {DEEP} 層，residual 網路的比例在 "
       f"≥ 7/8 個 seed 中低於 plain 網路，中位數至少低 {GAP} 個百分點。",
    en=f"Without BN, and with the residual blocks started as the identity: the plain net's share of "
       f"grid points with negative curvature is higher at {DEEP} layers than at {SHALLOW} in >= 7 of 8 "
       f"seeds, its median by at least {GAP} points; at {DEEP} layers the residual net's share is below "
       f"the plain net's in >= 7 of 8 seeds, its median by at least {GAP} points.",
)
def _(seeds):
    numbers, lowest_centre, corners = {}, [], []
    for seed in seeds:
        grids = landscapes(seed)
        # the loss at the slice's corners (α, β) = (−1, −1), (1, −1), (−1, 1), (1, 1), for the notebook
        corners.append(grids["plain", SHALLOW].losses[[0, 0, -1, -1], [0, -1, 0, -1]])
        row = {f"{kind} {depth}": round(100 * grids[kind, depth].share, 1)
               for kind in ("plain", "res") for depth in (SHALLOW, DEEP)}
        for kind in ("plain", "res"):
            for depth in (SHALLOW, DEEP):
                row[f"{kind} {depth} loss"] = grids[kind, depth].trained_loss
        row[f"res {DEEP} branch"] = grids["res", DEEP].branch
        numbers[seed] = row
        lowest_centre.append(grids["plain", DEEP].trained_loss <= grids["plain", DEEP].lowest()[0])

    def column(name):
        return _column(numbers, seeds, name)

    plain_shallow, plain_deep = column(f"plain {SHALLOW}"), column(f"plain {DEEP}")
    res_shallow, res_deep = column(f"res {SHALLOW}"), column(f"res {DEEP}")
    deeper = plain_deep > plain_shallow
    below = res_deep < plain_deep
    far_below = res_deep <= plain_deep - GAP
    res_rises = res_deep > res_shallow + GAP
    rise = np.median(plain_deep) - np.median(plain_shallow)
    gap = np.median(plain_deep) - np.median(res_deep)
    passed = (deeper.sum() >= len(seeds) - 1 and rise >= GAP
              and below.sum() >= len(seeds) - 1 and gap >= GAP)
    # A plain net that did not train sits near the constant guess: its landscape is an untrained
    # net's, and the summary says how many there were.
    trained = column(f"plain {DEEP} loss") < constant_guess_loss() / 2
    summary = (f"plain {DEEP} above plain {SHALLOW} in {share(deeper)} seeds, median "
               f"{np.median(plain_shallow):.0f} → {np.median(plain_deep):.0f} %; residual below plain at "
               f"{DEEP} in {share(below)}, by ≥ {GAP} points in {share(far_below)}, median "
               f"{np.median(res_deep):.0f} % (residual {SHALLOW}: {np.median(res_shallow):.0f} %; residual "
               f"{SHALLOW} → {DEEP} up by > {GAP} points in {share(res_rises)}); plain {DEEP} loss "
               f"{spread(column(f'plain {DEEP} loss'))}, below half the constant guess "
               f"{constant_guess_loss():.3g} in {share(trained)}; its centre is the lowest point of its "
               f"slice in {share(lowest_centre)}; residual branch ‖F(x)‖/‖x‖ "
               f"{spread(column(f'res {DEEP} branch'), 2)}")
    return Outcome(numbers, passed=passed, summary=summary,
                   series={f"plain {SHALLOW} corners": np.array(corners)})


def share_by_resolution(seeds, resolutions=(7, RESOLUTION, 21, 31), depth=DEEP):
    """{resolution: {kind: shares in % over seeds}} for the nets of the first claim at `depth`:
    the same nets and directions, measured on coarser and finer grids."""
    return {resolution: {kind: np.array([100 * landscapes(seed, (depth,), resolution)[kind, depth].share
                                         for seed in seeds])
                         for kind in ("plain", "res")}
            for resolution in resolutions}


def share_by_direction(seed, direction_seeds, depth=DEEP, resolution=RESOLUTION):
    """{kind: shares in % over direction_seeds} for the plain and residual nets of one `seed`:
    the same trained nets, sliced along other pairs of random directions."""
    setup = LANDSCAPE.but(depth=depth, seed=seed)
    return {kind: np.array([100 * loss_landscape(setup.but(residual=kind == "res"), direction_seed=d,
                                                 resolution=resolution).share
                            for d in direction_seeds])
            for kind in ("plain", "res")}


def _grid(resolution):
    return f"{resolution}×{resolution}"


@claim(
    "landscape-shares-by-grid",
    "08",
    zh=f"同樣的 {DEEP} 層網路與方向（沒有 BN、residual block 從恆等映射開始），在 "
       f"{'、'.join(map(_grid, RESOLUTIONS))} 的格子上：每一種格子上，residual 網路負曲率格點的比例都在 "
       f"≥ 3/4 的 seed 中低於 plain 網路；格子越細，plain 比例的中位數越低，兩者中位數的差距也越小，"
       f"但在每一種格子上都至少差 {GRID_GAP} 個百分點。",
    en=f"The same {DEEP}-layer nets and directions (no BN, residual blocks started as the identity) on "
       f"{', '.join(map(_grid, RESOLUTIONS))} grids: on every grid the residual net's share of grid "
       f"points with negative curvature is below the plain net's in >= 3/4 of the seeds; the finer the "
       f"grid, the lower the plain net's median share and the smaller the gap between the two medians, "
       f"which is at least {GRID_GAP} points on every grid.",
)
def _(seeds):
    shares = share_by_resolution(seeds, RESOLUTIONS)
    numbers = {seed: {f"{kind} {_grid(resolution)}": round(float(shares[resolution][kind][i]), 1)
                      for resolution in RESOLUTIONS for kind in ("plain", "res")}
               for i, seed in enumerate(seeds)}
    column = columns(numbers)
    plain = [np.median(column[f"plain {_grid(r)}"]) for r in RESOLUTIONS]
    res = [np.median(column[f"res {_grid(r)}"]) for r in RESOLUTIONS]
    below = [column[f"res {_grid(r)}"] < column[f"plain {_grid(r)}"] for r in RESOLUTIONS]
    gaps = np.subtract(plain, res)
    passed = (all(flags.sum() >= len(seeds) * 3 / 4 for flags in below)
              and all(np.diff(plain) < 0) and all(np.diff(gaps) < 0) and gaps.min() >= GRID_GAP)
    grids = " → ".join(map(_grid, RESOLUTIONS))
    summary = (f"grids {grids}: median plain {' → '.join(f'{m:.3g}' for m in plain)} %, residual "
               f"{' → '.join(f'{m:.3g}' for m in res)} %; gap {' → '.join(f'{g:.3g}' for g in gaps)} "
               f"points; residual below plain in {', '.join(share(flags) for flags in below)} seeds")
    return Outcome(numbers, passed=passed, summary=summary)


@claim(
    "landscape-shares-by-direction",
    "08",
    zh=f"seed {' 與 seed '.join(map(str, DIRECTION_NETS))} 的 {DEEP} 層網路（沒有 BN、residual block "
       f"從恆等映射開始），網路固定，只換兩個隨機方向（這裡的 seed 是方向的 seed，一個 seed 一組方向）："
       f"兩個網路的 residual 比例都在 ≥ 7/8 組方向中低於 plain；residual 比例在這些方向之間的範圍"
       f"（最大減最小）比 plain 的寬。",
    en=f"The {DEEP}-layer nets of seed {' and seed '.join(map(str, DIRECTION_NETS))} (no BN, residual "
       f"blocks started as the identity), the nets fixed and only the two random directions changed "
       f"(here the seeds are the direction seeds, one pair of directions each): for both nets the "
       f"residual share is below the plain share for >= 7 of 8 pairs of directions, and the range "
       f"(max - min) of the residual share over the directions is wider than the plain share's.",
)
def _(seeds):
    shares = {net: share_by_direction(net, seeds) for net in DIRECTION_NETS}
    numbers = {seed: {f"{kind} net {net}": round(float(shares[net][kind][i]), 1)
                      for net in DIRECTION_NETS for kind in ("plain", "res")}
               for i, seed in enumerate(seeds)}
    column = columns(numbers)
    passed, parts = True, []
    for net in DIRECTION_NETS:
        plain, res = column[f"plain net {net}"], column[f"res net {net}"]
        below = res < plain
        passed &= bool(below.sum() >= len(seeds) - 1 and np.ptp(res) > np.ptp(plain))
        parts.append(f"net {net}: plain {spread(plain)}, range {np.ptp(plain):.3g}; residual "
                     f"{spread(res)}, range {np.ptp(res):.3g}; residual below plain for {share(below)}")
    return Outcome(numbers, passed=passed, summary="; ".join(parts))


@claim(
    "landscape-no-gap-with-batchnorm",
    "08",
    zh=f"兩個 {DEEP} 層網路都加上 BN、residual block 不從恆等映射開始（照原樣初始化，如 Li et al.），"
       f"格子上每一點的 BN 都用這 64 個點自己的平均與變異數時，捷徑沒有造成明顯差別："
       f"兩者負曲率格點比例的中位數相差不到 {NO_GAP} 個百分點（沒有 BN 時至少差 {GAP} 個）。",
    en=f"With BN in both {DEEP}-layer nets, the residual blocks as built (not started as the "
       f"identity, as in Li et al.), and BN using the 64 points' own statistics at every grid point, "
       f"the shortcuts make no clear difference: the medians of the two shares of negative curvature "
       f"are less than {NO_GAP} points apart (at least {GAP} without BN).",
)
def _(seeds):
    # Li et al.'s code evaluates the slices in eval mode (fixed running statistics); this grid
    # re-normalizes every perturbed layer with the batch's statistics. The `eval` columns measure
    # the same nets and directions in eval mode; they are shown, not tested.
    numbers = {}
    for seed in seeds:
        grids = batchnorm_landscapes(seed)
        running = batchnorm_landscapes(seed, batch_statistics=False)
        numbers[seed] = {
            f"plain BN {DEEP}": round(100 * grids["plain"].share, 1),
            f"res BN {DEEP}": round(100 * grids["res"].share, 1),
            "plain eval": round(100 * running["plain"].share, 1),
            "res eval": round(100 * running["res"].share, 1),
            "plain BN loss": grids["plain"].trained_loss,
            "res BN loss": grids["res"].trained_loss,
            "res BN branch": grids["res"].branch,
        }

    def column(name):
        return _column(numbers, seeds, name)

    plain, res = column(f"plain BN {DEEP}"), column(f"res BN {DEEP}")
    difference = np.median(res) - np.median(plain)
    plain_eval, res_eval = column("plain eval"), column("res eval")
    eval_difference = np.median(res_eval) - np.median(plain_eval)
    passed = abs(difference) < NO_GAP
    summary = (f"median plain BN {np.median(plain):.0f} % vs residual BN {np.median(res):.0f} % "
               f"(difference {difference:+.1f} points); residual below plain in {share(res < plain)} seeds; "
               f"losses plain {spread(column('plain BN loss'))}, residual {spread(column('res BN loss'))}; "
               f"residual branch ‖F(x)‖/‖x‖ {spread(column('res BN branch'), 2)}; untested, with BN's "
               f"running statistics (eval mode): median plain {np.median(plain_eval):.0f} % vs residual "
               f"{np.median(res_eval):.0f} % (difference {eval_difference:+.1f} points), "
               f"residual below plain in {share(res_eval < plain_eval)}")
    return Outcome(numbers, passed=passed, summary=summary)
