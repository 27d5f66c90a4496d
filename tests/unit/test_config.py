import re
from pathlib import Path

import pytest

from workbench.config import SETTINGS, Settings
from workbench.errors import ConfigError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_are_valid_and_frozen():
    settings = Settings.load(env={})
    assert settings.min_count == 3
    assert settings.grid_size_m == 250
    assert settings.status_levels == ("grön", "gul", "orange", "röd")
    assert settings.db_url.startswith("sqlite:///") and settings.db_url.endswith("workbench.sqlite")
    with pytest.raises(AttributeError):
        settings.min_count = 5  # type: ignore[misc]


def test_environment_then_overrides():
    env = {"WORKBENCH_MIN_COUNT": "5", "WORKBENCH_STATUS_LEVELS": "låg, medel, hög",
           "WORKBENCH_DB": "sqlite:////tmp/x.sqlite"}
    settings = Settings.load(env=env, db_url="postgresql+psycopg://u@h/db")
    assert settings.min_count == 5
    assert settings.status_levels == ("låg", "medel", "hög")
    assert settings.db_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("env,fragment", [
    ({"WORKBENCH_MIN_COUNT": "noll"}, "WORKBENCH_MIN_COUNT"),
    ({"WORKBENCH_MIN_COUNT": "0"}, "mellan 1 och 100"),
    ({"WORKBENCH_GRID_SIZE": "5"}, "mellan 25 och 5000"),
    ({"WORKBENCH_STATUS_LEVELS": "bara-en"}, "2–7"),
    ({"WORKBENCH_STATUS_LEVELS": "a,a"}, "olika"),
    ({"WORKBENCH_DB": "inte en url"}, "ingen databas-URL"),
    ({"WORKBENCH_BASEMAP": "google"}, "XYZ"),
])
def test_bad_values_give_one_swedish_sentence(env, fragment):
    with pytest.raises(ConfigError) as info:
        Settings.load(env=env)
    assert fragment in str(info.value)


def test_custom_basemap_url_is_accepted():
    url = "https://karta.example.se/wmts/1.0.0/topo/default/3857/{z}/{y}/{x}.png"
    assert Settings.load(env={"WORKBENCH_BASEMAP": url}).basemap == url


def _readme_settings_table() -> list[str]:
    """The variables named in the first column of the README's settings table (under ## Inställningar)."""
    section = README.read_text(encoding="utf-8").split("\n## Inställningar\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(WORKBENCH_[A-Z_]+)` \|", section, flags=re.MULTILINE)


def test_every_setting_is_documented_in_readme():
    """Each setting has exactly one row in the README's settings table, and the table names no
    variable the program does not read (issue 22, item 10)."""
    documented = _readme_settings_table()
    assert sorted(documented) == sorted(spec.env for spec in SETTINGS)
    assert all(spec.help for spec in SETTINGS)


def test_assessment_levels_are_configurable():
    from workbench.config import Settings as S
    assert S.load(env={}).assessment_levels == ("låg", "måttlig", "allvarlig", "mycket allvarlig")
    assert S.load(env={"WORKBENCH_ASSESSMENT_LEVELS": "liten, stor, akut"}).assessment_levels == (
        "liten", "stor", "akut")


def _environment_reads(source: str) -> list[str]:
    """The WORKBENCH_ names a module reads from the environment itself (os.environ.get/[]/in,
    os.getenv), found in its syntax tree."""
    import ast

    def environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found = []
    for node in ast.walk(ast.parse(source)):
        name = None
        if isinstance(node, ast.Call) and any(environ(a) for a in node.args):
            # a copy of the environment with a setting put in: dict(os.environ, WORKBENCH_X=...)
            found += [k.arg for k in node.keywords if k.arg and k.arg.startswith("WORKBENCH_")]
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in {"get", "pop", "setdefault"} and environ(func.value)) \
                    or (isinstance(func, ast.Attribute | ast.Name) and getattr(func, "attr", getattr(func, "id", "")) == "getenv"):
                name = node.args[0].value
        elif isinstance(node, ast.Subscript) and environ(node.value) and isinstance(node.slice, ast.Constant):
            name = node.slice.value
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and any(environ(c) for c in node.comparators):
            name = node.left.value
        if isinstance(name, str) and name.startswith("WORKBENCH_"):
            found.append(name)
    return found


# The justified exceptions, each with its reason: module → the names it touches.
ENVIRONMENT_EXCEPTIONS = {
    # `workbench app` hands the database it opened (--db or WORKBENCH_DB, read through Settings)
    # to the Streamlit subprocess, which reads it back through Settings: a write, not a read.
    "cli.py": ["WORKBENCH_DB"],
}


def test_no_module_reads_a_workbench_setting_past_the_settings_table():
    """Every WORKBENCH_ variable is declared, parsed and documented once (SETTINGS); a module
    reading os.environ for one itself would skip the check and the README (issue 22, item 10)."""
    package = Path(__file__).resolve().parents[2] / "workbench"
    found = {str(p.relative_to(package)): names for p in package.rglob("*.py")
             if p.name != "config.py" and (names := _environment_reads(p.read_text(encoding="utf-8")))}
    assert found == ENVIRONMENT_EXCEPTIONS, "read it through workbench.config (SETTINGS), or justify it here"
    declared = {spec.env for spec in SETTINGS}
    assert {"WORKBENCH_DEBUG", "WORKBENCH_WARMUP", "WORKBENCH_USER", "WORKBENCH_PASSWORD",
            "WORKBENCH_NEW_PASSWORD", "WORKBENCH_DEMO_DIR"} <= declared


def test_the_environment_scan_sees_each_way_of_reading():
    code = ('import os\nos.environ.get("WORKBENCH_A")\nos.environ["WORKBENCH_B"]\nos.getenv("WORKBENCH_C")\n'
            '"WORKBENCH_D" in os.environ\nos.environ.get("HOME")\nprint("Kör med WORKBENCH_DEBUG=1")\n')
    assert _environment_reads(code) == ["WORKBENCH_A", "WORKBENCH_B", "WORKBENCH_C", "WORKBENCH_D"]


def test_passwords_stay_out_of_repr_and_messages():
    settings = Settings.load(env={"WORKBENCH_PASSWORD": "hemligt-lösen-1", "WORKBENCH_USER": "sara"})
    assert settings.cli_password == "hemligt-lösen-1" and settings.cli_user == "sara"
    assert "hemligt" not in repr(settings)
    assert Settings.load(env={"WORKBENCH_DEBUG": "ja", "WORKBENCH_WARMUP": "0"}).debug is True
    with pytest.raises(ConfigError) as info:
        Settings.load(env={"WORKBENCH_WARMUP": "kanske"})
    assert "warmup (WORKBENCH_WARMUP)" in str(info.value) and "kanske" in str(info.value)


def test_the_environment_scan_sees_a_setting_put_into_a_copy():
    code = 'import os\nenv = dict(os.environ, WORKBENCH_DB=url, PATH="/bin")\nenv2 = dict(os.environ)\n'
    assert _environment_reads(code) == ["WORKBENCH_DB"]


def test_the_database_password_stays_out_of_repr_and_messages():
    url = "postgresql+psycopg://est:hemligt-lösen-2@db.kommun.se/est"
    settings = Settings.load(env={"WORKBENCH_DB": url})
    assert settings.db_url == url  # the program still connects with it
    assert "hemligt" not in repr(settings) and "est:***@db.kommun.se/est" in repr(settings)
    assert "hemligt" not in str(settings)
    with pytest.raises(ConfigError) as info:
        Settings.load(env={"WORKBENCH_DB": "est:hemligt-lösen-2@db.kommun.se/est"})  # no scheme
    assert "hemligt" not in str(info.value) and "ingen databas-URL" in str(info.value)

