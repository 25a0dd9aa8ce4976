"""Pack import benchmark: a 50 MB pack with 20 exercises and photos, against plain `zipfile`.

Run:  .venv/bin/python tests/benchmarks/bench_pack_import.py [--runs N] [--megabytes 50]

The pack holds a two-phase plan over 20 custom exercises, each with a JPEG photo of about
2.5 MB (noise, so it does not compress: the worst case for both sides). Measured, medians of N
runs, each in the same process on the same file:

- plain extraction: `zipfile.ZipFile.extractall` into an empty folder (the baseline);
- read and check: `PackService.preview` (streaming limits, SHA-256 of every member, the
  signature, TOML and pydantic validation, every photo decoded and re-encoded);
- whole import: preview plus `apply` (backup, pictures into media/, one transaction) into a
  fresh data folder;
- for scale: plain extraction followed by decoding and re-encoding each photo one after the
  other (`formats.pack.pictures.reencode`), which any import that keeps no byte of a pack's
  pictures must do; the reader spreads that work over the processors.

Goal (issue 5): the whole import within 3 s and within 4x plain extraction.
"""

from __future__ import annotations

import argparse
import io
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import write_summary  # noqa: E402


def make_members(megabytes: int, count: int = 20) -> dict[str, bytes]:
    import numpy as np
    from PIL import Image

    generator = np.random.default_rng(7)
    per_picture = megabytes * 1024 * 1024 // count
    # Noise JPEG at quality 92 takes roughly 0.98 bytes a pixel.
    side = int((per_picture / 0.98) ** 0.5)
    template = ROOT / "exercises" / "packs" / "strengthening" / "exercises" / "sit_to_stand.toml"
    exercise_text = template.read_text()
    members: dict[str, bytes] = {}
    items = []
    for index in range(count):
        exercise_id = f"custom_exercise_{index:02d}"
        pixels = generator.integers(0, 256, (side, side, 3), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=92)
        members[f"media/{exercise_id}.jpg"] = buffer.getvalue()
        members[f"exercises/{exercise_id}.toml"] = (
            exercise_text.replace('id = "sit_to_stand"', f'id = "{exercise_id}"')
            .replace('"sit_to_stand.png"', f'"{exercise_id}.jpg"')
            .replace('name = "Sit to stand (from a chair)"', f'name = "Exercise {index + 1}"')
            .encode()
        )
        items.append(
            "[[phases.items]]\n"
            f'exercise_id = "{exercise_id}"\nsets = 2\nreps = 8\nhold_s = 0\nrest_s = 60\n'
            "schedule = { times = [18:00:00], weekdays = [1, 3, 5] }\n"
        )
    members["manifest.toml"] = (
        b'format_version = 1\npack_id = "benchmark"\nversion = 1\ntitle = "Benchmark"\n'
        b'author = "Benchmark"\ncreated = 2026-11-21T10:00:00Z\n'
    )
    members["plan.toml"] = (
        '[[phases]]\nname = "All"\nstarts_on_day = 0\n' + "".join(items)
    ).encode()
    return members


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--summary", help="also write the headline rows here (run_all.py)")
    options = parser.parse_args()

    from rehab_app.core.timestamps import SystemClock
    from rehab_app.formats.pack.signing import new_private_key
    from rehab_app.formats.pack.writer import write_members
    from rehab_app.services.bundle import build_services
    from rehab_app.services.catalog import CatalogService
    from rehab_app.services.maintenance import open_data_folder

    library = CatalogService().load()
    work = Path(tempfile.mkdtemp(prefix="rehab-bench-pack-"))
    try:
        pack = work / "benchmark.rehabpack"
        members = make_members(options.megabytes)
        write_members(members, pack, new_private_key(), library.built_in(), "0.1.0")
        size_mb = pack.stat().st_size / 2**20

        from rehab_app.formats.pack.pictures import reencode

        plain, floor, reads, imports = [], [], [], []
        for run in range(options.runs):
            target = work / f"plain-{run}"
            start = time.perf_counter()
            with zipfile.ZipFile(pack) as archive:
                archive.extractall(target)
            plain.append(time.perf_counter() - start)
            start = time.perf_counter()
            for picture in sorted((target / "media").iterdir()):
                reencode(picture, f"media/{picture.name}")
            floor.append(time.perf_counter() - start + plain[-1])

            clock = SystemClock("UTC")
            opened = open_data_folder(work / f"data-{run}", clock)
            assert opened.engine is not None
            services = build_services(opened.engine, library, clock)
            start = time.perf_counter()
            preview = services.packs.preview(pack)
            reads.append(time.perf_counter() - start)
            services.packs.apply(preview)
            imports.append(time.perf_counter() - start)
            opened.engine.dispose()
            shutil.rmtree(target)

        base = statistics.median(plain)
        rows = [
            ("plain zipfile extraction (baseline)", base, None),
            ("plain extraction + re-encode photos, 1 thread", statistics.median(floor), None),
            ("read and check (preview)", statistics.median(reads), None),
            ("whole import (preview + apply)", statistics.median(imports), (3.0, 4.0)),
        ]
        print(f"Pack import: {size_mb:.1f} MB, 20 exercises with photos, {options.runs} runs")
        print(f"machine: {platform.machine()}, {platform.python_version()}, {platform.system()}")
        print(f"{'':50} {'median':>9} {'x plain':>8}  goal")
        for name, value, goal in rows:
            verdict = ""
            if goal is not None:
                ok = value <= goal[0] and value / base <= goal[1]
                verdict = f"3 s and 4x: {'ok' if ok else 'MISSED'}"
            print(f"{name:50} {value:8.2f}s {value / base:7.1f}x  {verdict}")
        whole = statistics.median(imports)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        write_summary(
            options.summary,
            "pack import",
            "plain zipfile extraction",
            [
                (f"import of a {size_mb:.0f} MB pack, 20 exercises with photos", f"{base:.2f} s",
                 f"{whole:.2f} s", f"{whole / base:.1f}x", "within 3 s and 4x"),
                ("peak memory of the importing process (RSS)", "-", f"{peak:.0f} MB", "-", "-"),
            ],
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
