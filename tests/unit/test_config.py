"""Config: typed keys with defaults, every error at once, unknown keys warned, init output."""

import re

import pytest
import yaml

from conftest import REPO

from miena_book.config import OPTIONS, BookConfig, ConfigError, default_of, load_config, render_default_config


def test_no_config_file_means_defaults(tmp_path):
    config, warnings = load_config(str(tmp_path))
    assert config == BookConfig() and warnings == []
    assert config.language == "fr-CA" and config.outline == "auto"


def test_values_are_typed(tmp_path):
    (tmp_path / "book.yml").write_text("title: Mon livre\nauthors: Une Autrice\nignore: [Templates]\n"
                                       "outline: folders\nlanguage: fr-FR\n", encoding="utf-8")
    config, _ = load_config(str(tmp_path))
    assert config.title == "Mon livre" and config.authors == ["Une Autrice"]
    assert config.ignore == ["Templates"] and config.outline == "folders" and config.language == "fr-FR"


def test_every_error_is_reported_at_once_with_its_line(tmp_path):
    (tmp_path / "book.yml").write_text("title: [a, b]\noutline: chapitres\nlanguage: français\ntitel: x\n")
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    found = [(d.level.value, d.code, d.line) for d in caught.value.diagnostics]
    assert found == [("error", "config.type", 1), ("error", "config.type", 2), ("error", "config.type", 3),
                     ("warning", "config.unknown-key", 4)]
    assert "did you mean 'title'" in caught.value.diagnostics[3].message


def test_unknown_keys_only_warn(tmp_path):
    (tmp_path / "book.yml").write_text("autor: x\n")
    config, warnings = load_config(str(tmp_path))
    assert config == BookConfig() and [w.code for w in warnings] == ["config.unknown-key"]


def test_invalid_yaml_in_config_is_an_error(tmp_path):
    (tmp_path / "book.yml").write_text("title: [\n")
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path))
    assert caught.value.diagnostics[0].code == "config.invalid"


def test_init_output_lists_every_key_and_uncommented_gives_the_defaults():
    text = render_default_config()
    uncommented = "\n".join(line[2:] for line in text.splitlines()
                            if re.match(r"^# [a-z_]+: ", line))
    assert yaml.safe_load(uncommented) == {name: default_of(name) for name in OPTIONS}


def test_readme_documents_every_key():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in OPTIONS:
        assert f"`{name}`" in readme, name
