from django.db import migrations

# PostgreSQL only, so not in Person.Meta: the SQLite demo has no ICU collation and no pg_trgm.
INDEXES = (
    # The default order of every people list (Vietnamese collation, then id): without it
    # PostgreSQL sorts the province's 150,000 people for each page.
    'CREATE INDEX IF NOT EXISTS person_vi_name_idx ON awards_person ((full_name COLLATE "vi-x-icu"), id)',
    # Person search is `search_text LIKE '%word%'`, which only a trigram index serves.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_trgm_idx ON awards_person USING gin (search_text gin_trgm_ops)",
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in INDEXES:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS person_vi_name_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0006_recent_awards_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
