"""A runtime lock: a Python version and exact package pins, in one canonical text.

The canonical text is `python==X.Y` then one `name==version` line per package, names
normalised as the package index does (PEP 503: lower case, runs of `-_.` as `-`), sorted,
each line ending in a newline. Its SHA-256, written `sha256:<64 hex digits>`, is the
runtime digest a spec pins and every receipt repeats: two oracles with the same digest run
submissions on the same packages.
"""

import hashlib
import re
import sys
from dataclasses import dataclass

from oracle.errors import InvalidSpec

_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.+!-]*$")
_PYTHON = re.compile(r"^3\.[0-9]{1,2}$")
MAX_PACKAGES = 200


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class RuntimeLock:
    python: str  # "3.11"
    packages: tuple[tuple[str, str], ...]  # (normalised name, exact version), sorted

    @classmethod
    def of(cls, python: str, pins: list[str]) -> "RuntimeLock":
        """From a spec's `runtime` (python version, `name==version` strings)."""
        if not _PYTHON.match(python):
            raise InvalidSpec(f'runtime.python must be a version such as "3.11", not {python!r}')
        if len(pins) > MAX_PACKAGES:
            raise InvalidSpec(
                f"runtime.packages lists {len(pins)} packages; at most {MAX_PACKAGES}"
            )
        packages: dict[str, str] = {}
        for pin in pins:
            name, sep, version = pin.strip().partition("==")
            if not sep or not _NAME.match(name) or not _VERSION.match(version):
                raise InvalidSpec(
                    f"runtime.packages: {pin!r} is not an exact pin; write name==version "
                    "(e.g. numpy==2.4.6), one per package, dependencies included"
                )
            if normalise(name) in packages:
                raise InvalidSpec(f"runtime.packages pins {normalise(name)!r} twice")
            packages[normalise(name)] = version
        return cls(python, tuple(sorted(packages.items())))

    @classmethod
    def parse(cls, text: str) -> "RuntimeLock":
        """From a lock file: `python==X.Y` and `name==version` lines (# comments allowed)."""
        lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        pythons = [line for line in lines if normalise(line.partition("==")[0]) == "python"]
        if len(pythons) != 1:
            raise InvalidSpec("a runtime lock names its Python once, as python==3.11")
        return cls.of(pythons[0].partition("==")[2], [x for x in lines if x not in pythons])

    @property
    def text(self) -> str:
        return "".join(f"{n}=={v}\n" for n, v in [("python", self.python), *self.packages])

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def pins(self) -> list[str]:
        return [f"{name}=={version}" for name, version in self.packages]

    def check_digest(self, digest: str) -> None:
        if digest != self.digest:
            raise InvalidSpec(
                f"runtime.digest is {digest} but the packages listed hash to {self.digest}; "
                "write the digest `coop runtime lock` prints for this list"
            )


def this_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"
