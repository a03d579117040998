"""Benchmark (not a test): peak memory of `mlplay info` on generated files of each shape at the
documented size limit, beside pandas `read_csv` on the same file. Target: mlplay within 3× the
file. Usage: python scripts/bench_memory.py [--mb 200] [--bin target/release/mlplay]

Each measurement runs in a fresh process and reads its peak resident set (ru_maxrss), so one
shape's peak cannot hide another's. pandas' figure includes the interpreter and the pandas
import (about 60–100 MiB)."""
import argparse
import os
import pathlib
import random
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]

PEAK_OF_CHILD = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

PEAK_OF_PANDAS = """
import resource, sys
import pandas as pd
pd.read_csv(sys.argv[1], encoding_errors="replace")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_until(path, limit, header, row, max_rows=2_000_000):
    """Write `header`, then `row(i)` for i = 0, 1, … while the file stays within `limit`
    bytes and the row limit."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        size = len(header.encode()) + 1
        while True:
            line = (row(rows) + "\n").encode()
            if size + len(line) > limit or rows == max_rows:
                return rows
            f.write(line.decode())
            size += len(line)
            rows += 1


def shapes(folder, limit, only):
    rng = random.Random(12)
    ints = [str(rng.randint(0, 99_999)) for _ in range(10_007)]
    wide = ",".join(f"c{j}" for j in range(2000))

    def numeric_row(i):
        return ",".join(ints[(i * 31 + j) % 10_007] for j in range(2000))

    def stray_row(i):
        # One column in ten meets a word in its last rows: read as text, every value kept.
        row = numeric_row(i)
        if i % 997 == 996:
            row = ",".join("n/a?" if j % 10 == 0 else v for j, v in enumerate(row.split(",")))
        return row

    words = ["北", "南", "east", "west", "central"]

    def long_row(i):
        return (f"{i},{words[i % 5]},{ints[i % 10_007]},{ints[(i * 7) % 10_007]}.5,"
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},\"{(i * 13) % 1_000_000:,}\","
                f"{i % 100}%,{ints[(i * 3) % 10_007]},{ints[(i * 5) % 10_007]},x{i % 50}")

    def text_row(i):
        return ",".join([f"C{i:07d}", words[i % 5],
                         f"\"note {i}: call back about order {ints[i % 10_007]}, "
                         f"{words[(i * 3) % 5]} branch\""] + [ints[(i * k) % 10_007] for k in range(8)])

    out = []
    for name, header, row in [
        ("2,000 numeric columns", wide, numeric_row),
        ("2,000 columns, 1 in 10 with stray words", wide, stray_row),
        ("10 columns: numbers, dates, formatted", "id,region,a,b,date,amount,rate,c,d,code", long_row),
        ("11 columns with free text and IDs",
         "id,region,note," + ",".join(f"n{k}" for k in range(8)), text_row),
    ]:
        if only and name.split()[0] not in only and str(len(out) + 1) not in only:
            out.append(None)
            continue
        path = folder / f"{len(out)}.csv"
        rows = write_until(path, limit, header, row)
        out.append((name, path, rows))
    return out


def peak_mib(args):
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mb", type=float, default=200)
    p.add_argument("--bin", default=str(ROOT / "target" / "release" / "mlplay"))
    p.add_argument("--shapes", default="", help="comma-separated shape numbers (1-4); all by default")
    a = p.parse_args()
    limit = int(a.mb * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        files = [f for f in shapes(pathlib.Path(tmp), limit, a.shapes.split(",") if a.shapes else [])
                 if f is not None]
        print(f"| shape | file MiB | rows | mlplay info peak MiB (× file) | pandas read_csv peak MiB (× file) |")
        print("|---|---|---|---|---|")
        for name, path, rows in files:
            size = os.path.getsize(path) / 2**20
            ours = peak_mib([sys.executable, "-c", PEAK_OF_CHILD, a.bin, "info", str(path)])
            theirs = peak_mib([sys.executable, "-c", PEAK_OF_PANDAS, str(path)])
            print(f"| {name} | {size:.0f} | {rows:,} | {ours:.0f} ({ours / size:.1f}×) "
                  f"| {theirs:.0f} ({theirs / size:.1f}×) |", flush=True)


if __name__ == "__main__":
    main()
