"""The vault: keys, the SQLCipher engine, tables, migrations, search, change log and audit."""
