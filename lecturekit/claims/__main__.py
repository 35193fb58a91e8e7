"""python -m lecturekit.claims [--seeds 0-7] [--notebook 07] [--list] [--lang en|zh] [--store]

Runs the lecture's claims and prints one row per claim: id, notebook, statement, seeds, key
numbers, PASS/FAIL. Exits 1 if any claim fails. With --store (seeds 0-7 only), also writes the
runs to lecturekit/claims/measured.json (the tables) and series.json (the figures' data), which
the notebooks show.
"""

import argparse
import sys
import time

from . import CLAIMS, DEFAULT_SEEDS, store


def parse_seeds(text):
    """"0-7" or "1,5,9" or "0-3,10" → a tuple of seeds."""
    seeds = []
    for part in text.split(","):
        part = part.strip()
        first, dash, last = part.partition("-")
        try:
            if dash:
                low, high = int(first), int(last)
                if high < low:
                    raise argparse.ArgumentTypeError(f"seed range {part!r} runs backwards")
                seeds.extend(range(low, high + 1))
            else:
                seeds.append(int(part))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"seeds must be a range like 0-7 or a list like 1,5,9 (non-negative integers), got {text!r}"
            ) from None
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"seed list {text!r} repeats a seed")
    return tuple(seeds)


def markdown_row(cells):
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lecturekit.claims", description=__doc__.split("\n\n")[1])
    parser.add_argument("--seeds", type=parse_seeds, default=DEFAULT_SEEDS,
                        help="a range like 0-7 or a list like 1,5,9 (default: the notebooks' 0-7)")
    parser.add_argument("--notebook", help="only this notebook's claims, e.g. 07")
    parser.add_argument("--list", action="store_true", help="list the claims, run nothing")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the statements")
    parser.add_argument("--store", action="store_true",
                        help="store the runs the notebooks show (lecturekit/claims/*.json)")
    args = parser.parse_args(argv)
    if args.store and args.seeds != DEFAULT_SEEDS:
        parser.error("--store keeps the notebooks' runs: only on the default seeds 0-7")

    claims = list(CLAIMS.values())
    if args.notebook is not None:
        notebooks = sorted({c.notebook for c in claims})
        wanted = args.notebook.zfill(2)
        if wanted not in notebooks:
            parser.error(f"no claims for notebook {args.notebook!r}; "
                         f"notebooks with claims: {', '.join(notebooks)}")
        claims = [c for c in claims if c.notebook == wanted]

    def statement(c):
        return c.zh if args.lang == "zh" else c.en

    if args.list:
        print(markdown_row(["id", "notebook", "statement"]))
        print(markdown_row(["---"] * 3))
        for c in claims:
            print(markdown_row([c.id, c.notebook, statement(c)]))
        return 0

    seeds = args.seeds
    consecutive = seeds == tuple(range(seeds[0], seeds[-1] + 1))
    shown = f"{seeds[0]}-{seeds[-1]}" if consecutive else ",".join(map(str, seeds))
    rows, failed, results = [], [], []
    for i, c in enumerate(claims, 1):
        print(f"[{i}/{len(claims)}] {c.id} ...", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = c.run(seeds)
        print(f" {'PASS' if result.passed else 'FAIL'} in {time.perf_counter() - start:.1f} s",
              file=sys.stderr, flush=True)
        rows.append([c.id, c.notebook, statement(c), shown, result.outcome.summary,
                     "PASS" if result.passed else "**FAIL**"])
        results.append(result)
        if not result.passed:
            failed.append(result)
    if args.store:
        store(results)
        print(f"stored {len(results)} runs in lecturekit/claims/measured.json", file=sys.stderr)
    print(markdown_row(["id", "notebook", "statement", "seeds", "key numbers", "verdict"]))
    print(markdown_row(["---"] * 6))
    for row in rows:
        print(markdown_row(row))
    print(f"\n{len(claims) - len(failed)} of {len(claims)} claims hold on seeds {shown}.")
    for result in failed:
        print("\n" + result.table(args.lang))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
