"""`rehab-app pack build|validate|inspect|import|key`: packs without a display.

Every command exits 0 on success and 1 with each problem on its own line, named by member and
field, so a therapist can keep pack folders in version control and check them in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rehab_app.formats.pack.reader import PackContents


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = commands.add_parser("pack", help="build, check, inspect and import exercise packs")
    actions = pack.add_subparsers(dest="action", required=True)

    build = actions.add_parser("build", help="build and sign a pack from a source folder")
    build.add_argument("source", type=Path, help="the pack's source folder")
    build.add_argument("-o", "--output", type=Path, required=True, help="the .rehabpack to write")
    build.add_argument(
        "--data-dir", help="the therapist's data folder holding the signing key (made if new)"
    )
    build.add_argument("--unsigned", action="store_true", help="do not sign the pack")
    build.set_defaults(handler=_build)

    validate = actions.add_parser("validate", help="check a pack file completely")
    validate.add_argument("file", type=Path)
    validate.add_argument(
        "--allow-unsigned", action="store_true", help="accept a pack without a signature"
    )
    validate.set_defaults(handler=_validate)

    inspect = actions.add_parser("inspect", help="show a pack's contents and signer")
    inspect.add_argument("file", type=Path)
    inspect.set_defaults(handler=_inspect)

    importing = actions.add_parser("import", help="import a pack into a data folder")
    importing.add_argument("file", type=Path)
    importing.add_argument("--data-dir", help="the patient's data folder")
    importing.add_argument("--yes", action="store_true", help="import without asking")
    importing.add_argument(
        "--accept-warnings",
        action="store_true",
        help="also import when the pack is unsigned, older, or signed by another key",
    )
    importing.set_defaults(handler=_import)

    key = actions.add_parser("key", help="show the fingerprint of this data folder's signing key")
    key.add_argument("--data-dir")
    key.set_defaults(handler=_key)


def _library():  # type: ignore[no-untyped-def]
    from rehab_app.services.catalog import CatalogService

    return CatalogService().load()


def _read(path: Path) -> PackContents:
    """Read and check a pack; staging is removed before returning (only the models are kept)."""
    from datetime import date

    from rehab_app import __version__
    from rehab_app.formats.pack.reader import read_pack, staging_folder

    with staging_folder() as staging:
        return read_pack(path, staging, _library().built_in(), date.today(), __version__)


def _report(error: Exception) -> int:
    from rehab_app.formats.pack.errors import PackError

    if isinstance(error, PackError):
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s).", file=sys.stderr)
    else:
        print(str(error), file=sys.stderr)
    return 1


def _build(options: argparse.Namespace) -> int:
    from rehab_app.cli import resolve_data_dir
    from rehab_app.core.errors import RehabError
    from rehab_app.services.pack_authoring import build

    data_dir = None if options.unsigned else resolve_data_dir(options.data_dir)
    try:
        built = build(options.source, options.output, _library(), data_dir)
    except (RehabError, OSError) as error:
        return _report(error)
    signer = built.contents.signer
    print(
        f"Wrote {built.path} ({built.size} bytes): {built.contents.manifest.title},"
        f" version {built.contents.manifest.version}, "
        + (f"signed by key {signer.fingerprint}." if signer else "not signed.")
    )
    return 0


def _validate(options: argparse.Namespace) -> int:
    from rehab_app.core.errors import RehabError

    try:
        contents = _read(options.file)
    except (RehabError, OSError) as error:
        return _report(error)
    if contents.signer is None and not options.allow_unsigned:
        print(f"{options.file.name}: signature: missing; the pack is not signed", file=sys.stderr)
        return 1
    print(f"{options.file.name}: valid" + ("" if contents.signer else " (not signed)"))
    return 0


def _inspect(options: argparse.Namespace) -> int:
    from rehab_app.core.errors import RehabError

    try:
        contents = _read(options.file)
    except (RehabError, OSError) as error:
        return _report(error)
    print("\n".join(describe(contents)))
    return 0


def describe(contents: PackContents) -> list[str]:
    """The pack in plain lines: who, what, which exercises per phase, and every member's hash."""
    manifest = contents.manifest
    signer = contents.signer
    lines = [
        f"Title:      {manifest.title}",
        f"Pack:       {manifest.pack_id}, version {manifest.version}",
        f"Author:     {manifest.author}",
        f"Created:    {manifest.created.isoformat()}",
        "Signed by:  " + (f"key {signer.fingerprint}" if signer else "nobody (not signed)"),
        f"Limits:     green up to {manifest.thresholds.green_max}, amber up to"
        f" {manifest.thresholds.amber_max}, next morning +{manifest.thresholds.morning_rise_amber}",
    ]
    if manifest.message:
        lines.append(f"Message:    {manifest.message}")
    for phase in contents.plan.phases:
        lines.append(f"Phase from day {phase.starts_on_day}: {phase.name}")
        for item in phase.items:
            lines.append(
                f"  - {item.exercise_id}: {item.sets} x {item.reps}, hold {item.hold_s} s,"
                f" {len(item.schedule.times)} a day"
            )
    for exercise in contents.exercises:
        lines.append(f"Own exercise: {exercise.id} ({exercise.name})")
    lines.append("Members:")
    lines.extend(f"  {sha}  {name}" for name, sha in sorted(contents.member_hashes.items()))
    return lines


def _import(options: argparse.Namespace) -> int:
    from rehab_app.cli import local_zone_name, resolve_data_dir
    from rehab_app.core.errors import RehabError
    from rehab_app.core.timestamps import SystemClock
    from rehab_app.services.bundle import build_services
    from rehab_app.services.maintenance import open_data_folder
    from rehab_app.storage.files import ensure_private_folder
    from rehab_app.ui.single_instance import DataFolderLock

    data_dir = resolve_data_dir(options.data_dir)
    ensure_private_folder(data_dir)
    lock = DataFolderLock(data_dir)
    if not lock.acquire():
        print(
            f"rehab_app is open for {data_dir}. Import the pack from its Packs screen, or close"
            " it and try again.",
            file=sys.stderr,
        )
        return 1
    try:
        opened = open_data_folder(data_dir, SystemClock(local_zone_name()))
        if opened.engine is None:
            print(opened.status.message, file=sys.stderr)
            return 1
        try:
            services = build_services(opened.engine, _library(), SystemClock(local_zone_name()))
            preview = services.packs.preview(options.file)
            print("\n".join(describe(preview.contents)))
            print(f"Changes to your plan: {preview.plan_changes}")
            for text in preview.warnings.values():
                print(f"Warning: {text}", file=sys.stderr)
            if not options.yes:
                preview.close()
                print("Nothing was imported; add --yes to import.", file=sys.stderr)
                return 1
            if preview.warnings and not options.accept_warnings:
                preview.close()
                print(
                    "Nothing was imported: add --accept-warnings to import despite the"
                    " warning(s) above.",
                    file=sys.stderr,
                )
                return 1
            accepted = tuple(preview.warnings)
            result = services.packs.apply(preview, accepted)
        finally:
            opened.engine.dispose()
    except (RehabError, OSError) as error:
        return _report(error)
    finally:
        lock.release()
    print(
        f"Imported. Your plan is now '{result.plan_version.plan.title}'"
        f" (backup first: {result.backup.name})."
    )
    return 0


def _key(options: argparse.Namespace) -> int:
    from rehab_app.cli import resolve_data_dir
    from rehab_app.services.pack_authoring import key_fingerprint

    found = key_fingerprint(resolve_data_dir(options.data_dir))
    if found is None:
        print("No signing key yet; one is made on the first export.")
    else:
        print(f"Signing key fingerprint: {found}")
    return 0
