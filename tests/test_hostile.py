"""Every hostile input gets its expected status and a message; the parser never raises."""

import os

import pytest

import ogi
from hostile import make_hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make_hostile(folder)


def test_each_hostile_file_gets_its_status(hostile):
    folder, expected = hostile
    wrong = {}
    for name, status in expected.items():
        report = ogi.parse_file(folder / name)
        if report.status != status:
            wrong[name] = (report.status, status, report.messages[:3])
        if report.status != "ok":
            assert report.messages, name
    assert not wrong, wrong


def test_xxe_and_entity_bomb_stay_harmless(hostile):
    folder, _ = hostile
    doc = ogi.readers.read_file(folder / "xxe.html")
    text = doc.text
    assert "root:" not in text  # /etc/passwd never read
    assert len(text) < 10_000  # entities never expanded


def test_values_with_separators_units_and_full_width_digits(hostile):
    folder, _ = hostile
    report = ogi.parse_file(folder / "thousands-fullwidth-units.txt")
    assert report.proactive["licensing"] == 130024
    assert report.proactive["penalty"] == 276451
    assert report.proactive["coercion"] == 3480


def test_negative_count_is_kept_and_flagged(hostile):
    folder, _ = hostile
    report = ogi.parse_file(folder / "negative-and-absurd.txt")
    assert report.requests["new"][0] == -48
    assert any(c.rule == "values.plausible" and not c.ok for c in report.checks)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("一、总体情况", encoding="utf-8")
    f.chmod(0)
    report = ogi.parse_file(f)
    assert report.status == "failed" and "cannot open" in report.messages[-1]


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    # the same path as a permission error, for machines where tests run as root
    import builtins
    f = tmp_path / "secret.txt"
    f.write_text("一、总体情况", encoding="utf-8")
    real_open = builtins.open

    def deny(path, *a, **k):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(builtins, "open", deny)
    report = ogi.parse_file(f)
    assert report.status == "failed" and "Permission denied" in report.messages[-1]
