"""The build refuses a Material its patches were not written for, and every patch has a guard."""

from __future__ import annotations

import pytest

from site_tools.paths import REPO_ROOT
from site_tools.site_build.theme_patches import PATCHES, UnsupportedMaterial, check_material


def test_the_installed_material_is_supported() -> None:
    assert check_material()


@pytest.mark.parametrize("version", ["9.6.20", "10.0.0", "10.0.0b1", "8.5"])
def test_other_versions_are_refused_with_a_message(version: str) -> None:
    with pytest.raises(UnsupportedMaterial, match=f"mkdocs-material {version} is installed"):
        check_material(version)


@pytest.mark.parametrize("patch", PATCHES)
def test_every_patch_names_a_browser_test_that_exists(patch: str) -> None:
    module, _, name = PATCHES[patch].partition("::")
    assert f"def {name}(" in (REPO_ROOT / module).read_text(encoding="utf-8")
