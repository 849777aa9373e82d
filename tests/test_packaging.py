"""Packaging: a build puts the top-level lessons/ in the package as tutor/lesson_files, and the repository has no symlink."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """What a wheel installs: setuptools' own build_py of this checkout (egg-info kept out of the repository)."""
    out = tmp_path_factory.mktemp("build")
    build = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q",
                            "egg_info", "--egg-base", str(out), "build_py", "--build-lib", str(out / "lib")],
                           cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    return out / "lib"


def test_an_installed_copy_finds_the_lessons_in_the_package(built, tmp_path):
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "from importlib.resources import files\n"
            "from tutor.course.reader import SHIPPED\n"
            "print(SHIPPED)\n"
            "print(*sorted(p.name for p in (files('tutor') / 'lesson_files').iterdir()))\n")
    out = subprocess.run([sys.executable, "-c", code, str(built)], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == str(built / "tutor" / "lesson_files")
    names = out[1].split()
    assert names == sorted(p.name for p in (ROOT / "lessons").iterdir())
    assert len([n for n in names if n.endswith(".toml")]) >= 12


SOURCES = ("tutor", "lessons", "tests", ".ci")  # the project's own folders (a venv inside the checkout is not)


def package_files() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tutor").rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def test_the_build_has_every_file_of_the_package(built):
    # The package list in pyproject.toml is written by hand: a new subpackage must be added to it.
    files = package_files()
    assert "tutor/engine/network.py" in files and "tutor/app/screens/stepper.tcss" in files
    assert [f for f in files if not (built / f).is_file()] == []


def test_no_file_in_the_repository_is_a_symlink():
    paths = [p for folder in SOURCES for p in (ROOT / folder).rglob("*")] + list(ROOT.iterdir())
    assert len(paths) > 100
    assert [str(p.relative_to(ROOT)) for p in paths if p.is_symlink()] == []
