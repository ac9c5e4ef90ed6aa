from gantheory.cli import _entry

_entry()
