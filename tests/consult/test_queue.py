"""The background queue's storage: SQLite under the instance folder, Redis when configured."""

import pytest
from huey.storage import RedisStorage, SqliteStorage

from consult.queue import storage_for


def test_the_queue_is_a_sqlite_file_in_the_instance_folder_by_default(tmp_path):
    storage, options = storage_for("", str(tmp_path))
    assert storage is SqliteStorage and options == {"filename": str(tmp_path / "queue.sqlite3")}


def test_a_redis_url_puts_the_queue_in_redis_for_several_servers(tmp_path):
    url = "redis://redis.internal:6379/1"
    assert storage_for(url, str(tmp_path)) == (RedisStorage, {"url": url})
    assert storage_for("sqlite:////srv/queue.db", str(tmp_path)) == (
        SqliteStorage,
        {"filename": "/srv/queue.db"},
    )


def test_another_url_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="CONSULT_QUEUE_URL"):
        storage_for("amqp://rabbit", str(tmp_path))
