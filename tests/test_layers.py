"""The areas depend one way (README, "Architecture"): auth, then catalogue, then
discussion and applications (independent of each other), then moderation. Python imports
are held to the layers contract in pyproject.toml by import-linter; templates, which it
cannot read, by what each one includes, imports or extends."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "tracker" / "templates"
# Bottom to top; the areas of one layer may not use each other either.
LAYERS = (("auth",), ("catalogue",), ("discussion", "applications"), ("moderation",))
LAYER_OF = {area: layer for layer, areas in enumerate(LAYERS) for area in areas}
# A template named in quotes ({% include part %} names none: what an upper area put there).
NAMED_TEMPLATE = re.compile(r"""\{%-?\s*(?:include|import|from|extends)\s+["']([^"'/]+)/[^"']*["']""")


def test_the_contract_lists_the_areas_top_to_bottom():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = [contract["layers"] for contract in contracts if contract["type"] == "layers"]
    assert layers == [[" | ".join(f"tracker.{area}" for area in areas) for areas in reversed(LAYERS)]]


def test_python_imports_keep_to_the_layers():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _reaching_past_their_layer(template: Path) -> list[str]:
    """The templates of other areas in `template`'s layer or above that it names."""
    area = template.relative_to(TEMPLATES).parts[0]
    return [
        found.group(0)
        for found in NAMED_TEMPLATE.finditer(template.read_text())
        if found.group(1) in LAYER_OF and found.group(1) != area and LAYER_OF[found.group(1)] >= LAYER_OF[area]
    ]


def test_templates_keep_to_the_layers():
    templates = [path for area in LAYER_OF for path in sorted((TEMPLATES / area).rglob("*.html"))]
    assert len(templates) > 40  # every area's templates were read
    reaching = {
        str(path.relative_to(TEMPLATES)): names for path in templates if (names := _reaching_past_their_layer(path))
    }
    assert reaching == {}
