"""The injection phrases kept beside the bytecode: read back equal to what their modules
build, and rebuilt when the file is damaged or missing."""

from __future__ import annotations

from bot.ingest import injection_table


def _rows(table):
    return [(p.label, p.lang, p.leads, p.source, p.start, p.check, p.back) for p in table]


def test_the_stored_table_is_the_built_one(tmp_path, monkeypatch):
    path = tmp_path / "__pycache__" / "injection_table.test.marshal"
    monkeypatch.setattr(injection_table, "_cache_path", lambda: path)
    built = injection_table.phrases()  # nothing stored yet: built, then written
    assert path.is_file()
    again = injection_table.phrases()  # read back
    assert _rows(again) == _rows(built) == _rows(injection_table.build())
    assert again[0] is not built[0]  # really read, not the same objects
    assert len(built) > 300 and {p.lang for p in built} >= {"en", "fr", "zh", "ja", "ar"}


def test_a_damaged_or_unwritable_table_is_built_again(tmp_path, monkeypatch):
    path = tmp_path / "__pycache__" / "injection_table.test.marshal"
    path.parent.mkdir()
    path.write_bytes(b"\x00not marshal")
    monkeypatch.setattr(injection_table, "_cache_path", lambda: path)
    assert _rows(injection_table.phrases()) == _rows(injection_table.build())
    blocked = tmp_path / "file" / "injection_table.test.marshal"
    (tmp_path / "file").write_text("a file where the folder would be")
    monkeypatch.setattr(injection_table, "_cache_path", lambda: blocked)
    assert _rows(injection_table.phrases()) == _rows(injection_table.build())


def test_old_tables_are_removed_when_a_new_one_is_written(tmp_path, monkeypatch):
    folder = tmp_path / "__pycache__"
    folder.mkdir()
    old = folder / "injection_table.0ld.marshal"
    old.write_bytes(b"old")
    path = folder / "injection_table.new.marshal"
    monkeypatch.setattr(injection_table, "_cache_path", lambda: path)
    injection_table.phrases()
    assert path.is_file() and not old.exists()
    assert not list(folder.glob("*.tmp"))
