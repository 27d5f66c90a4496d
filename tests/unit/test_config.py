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


def test_every_setting_is_documented_in_readme():
    text = README.read_text(encoding="utf-8")
    for spec in SETTINGS:
        assert spec.env in text, f"{spec.env} saknas i README"
        assert spec.help, spec.name


def test_assessment_levels_are_configurable():
    from workbench.config import Settings as S
    assert S.load(env={}).assessment_levels == ("låg", "måttlig", "allvarlig", "mycket allvarlig")
    assert S.load(env={"WORKBENCH_ASSESSMENT_LEVELS": "liten, stor, akut"}).assessment_levels == (
        "liten", "stor", "akut")
