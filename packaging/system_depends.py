"""Print the Debian packages a PyInstaller bundle needs from the system, as a `Depends:` value.

Every ELF file in the bundle is read with `objdump -p`; each library it links against that the
bundle does not carry is found with `ldconfig -p` and mapped to its package with `dpkg -S`. This
is what dpkg-shlibdeps does for a source package, for a folder that is not one.
    python3 packaging/system_depends.py BUNDLE_DIR [EXTRA_DEPENDS ...]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_ELF_MAGIC = b"\x7fELF"


def _is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == _ELF_MAGIC


def needed_sonames(elf: Path) -> set[str]:
    out = subprocess.run(  # noqa: S603 - fixed system tool, our own file
        ["objdump", "-p", str(elf)],  # noqa: S607 - found on PATH like PyInstaller finds it
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")}


def system_library_paths() -> dict[str, str]:
    """soname -> path of the x86-64 libraries the dynamic linker knows."""
    ldconfig = ["ldconfig", "-p"]
    out = subprocess.run(ldconfig, capture_output=True, text=True, check=True).stdout  # noqa: S603
    paths: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        if "x86-64" in rest and "=>" in rest:
            paths.setdefault(name, rest.split("=>", 1)[1].strip())
    return paths


def owning_package(path: str) -> str:
    resolved = str(Path(path).resolve())
    for candidate in (path, resolved, resolved.replace("/usr/lib/", "/lib/", 1)):
        query = ["dpkg", "-S", candidate]
        result = subprocess.run(query, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    raise LookupError(f"no Debian package owns {path}")


def bundle_depends(bundle: Path) -> list[str]:
    files = [p for p in bundle.rglob("*") if _is_elf(p)]
    carried = {p.name for p in bundle.rglob("*")}
    missing = set().union(*(needed_sonames(f) for f in files)) - carried
    known = system_library_paths()
    unknown = sorted(name for name in missing if name not in known)
    if unknown:
        raise LookupError(f"libraries neither bundled nor installed here: {', '.join(unknown)}")
    return sorted({owning_package(known[name]) for name in missing})


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        packages = bundle_depends(Path(argv[0]))
    except (LookupError, subprocess.CalledProcessError) as exc:
        print(f"system_depends: {exc}", file=sys.stderr)
        return 1
    print(", ".join([*packages, *argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
