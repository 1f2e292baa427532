"""The vault: keys, the SQLCipher engine, tables, migrations, search, change log and audit."""

from linksdesk.storage.allocator import tune_before_first_connection

# before any module of the package opens a connection (see allocator.py)
tune_before_first_connection()
