"""environment.yml (conda, Binder) and pyproject.toml must name the same dependencies."""

import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def requirements(specs):
    return {canonicalize_name(r.name): str(r.specifier) for r in map(Requirement, specs)}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = [d for d in conda if canonicalize_name(Requirement(d).name) not in {"python", "pip"}]
    assert requirements(conda) == requirements(project["dependencies"])
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert str(Requirement(python).specifier) == project["requires-python"]


def test_binder_installs_the_package():
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text(encoding="utf-8")
