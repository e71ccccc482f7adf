use sqlx::Connection;

use super::*;
use crate::model::Change;

fn rename(id: &str, name: &str) -> ChangeBatch {
    ChangeBatch::new(vec![Change::UpdateEntity {
        id: id.parse().unwrap(),
        name: Some(name.into()),
        aliases: None,
        description: None,
        sources: Vec::new(),
    }])
}

fn entry(name: &str, key: Option<&str>) -> NewEntry {
    NewEntry {
        actor: "ana".into(),
        reason: format!("rename to {name}"),
        idempotency_key: key.map(Into::into),
        batch: rename("country:jp", name),
    }
}

#[tokio::test]
async fn batches_are_numbered_from_one_and_read_back_in_order_after_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    assert_eq!(log.last_seq().await.unwrap(), 0);
    let first = log.append(&entry("Nippon", None)).await.unwrap();
    let second = log.append(&entry("Japan", Some("k2"))).await.unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    assert_eq!(first.actor, "ana");
    assert!(first.committed_at.ends_with('Z') && first.committed_at.starts_with("20"));
    log.close().await.unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let all = log.entries_after(0).await.unwrap();
    assert_eq!(all, vec![first, second.clone()]);
    assert_eq!(log.entries_after(1).await.unwrap(), vec![second]);
    assert!(log.entries_after(2).await.unwrap().is_empty());
    assert_eq!(log.last_seq().await.unwrap(), 2);
}

#[tokio::test]
async fn a_retry_with_the_same_key_is_committed_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let first = log.append(&entry("Nippon", Some("once"))).await.unwrap();
    let retry = log.append(&entry("Nippon", Some("once"))).await.unwrap();
    assert_eq!(first, retry);
    assert_eq!(log.last_seq().await.unwrap(), 1);
    assert_eq!(log.by_idempotency_key("once").await.unwrap(), Some(first));
    assert_eq!(log.by_idempotency_key("other").await.unwrap(), None);
}

#[tokio::test]
async fn the_database_syncs_every_commit_to_a_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let d = log.durability().await.unwrap();
    assert_eq!(d.journal_mode, "wal");
    assert_eq!(d.synchronous, 2, "synchronous=FULL");
}

#[tokio::test]
async fn a_log_refuses_another_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    log.bind_seed("abc").await.unwrap();
    log.bind_seed("abc").await.unwrap();
    log.close().await.unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let err = log.bind_seed("def").await.unwrap_err();
    assert!(matches!(err, StoreError::OtherSeed { .. }), "{err}");
    assert!(err.to_string().contains("abc") && err.to_string().contains("def"));
}

#[tokio::test]
async fn the_log_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    log.append(&entry("Nippon", None)).await.unwrap();
    log.close().await.unwrap();
    let path = dir.path().join(DB_FILE);
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    for sql in [
        "UPDATE change_log SET actor = 'mallory'",
        "DELETE FROM change_log",
    ] {
        let err = sqlx::query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}

#[tokio::test]
async fn damaged_foreign_and_newer_stores_are_refused_and_left_as_they_were() {
    // Not a database at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path()).unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"these are not the bytes of a database, not at all").unwrap();
    let err = Log::open_dir(dir.path()).await.unwrap_err();
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("backup"), "{err}");

    // A store whose pages were damaged after its header.
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    for i in 0..200 {
        log.append(&entry(&format!("name {i}"), None))
            .await
            .unwrap();
    }
    log.close().await.unwrap();
    let path = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join(format!("{DB_FILE}-wal")));
    let err = Log::open_dir(dir.path()).await.unwrap_err();
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err}");

    // Another program's database: refused, and not converted to WAL.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path()).unwrap();
    let path = dir.path().join(DB_FILE);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE recipes (name TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let err = Log::open_dir(dir.path()).await.unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists());

    // A store a newer version has migrated further.
    let dir = tempfile::tempdir().unwrap();
    Log::open_dir(dir.path())
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    let path = dir.path().join(DB_FILE);
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    let err = Log::open_dir(dir.path()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Newer { version: 9999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade"), "{err}");
}

#[tokio::test]
async fn an_unusable_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, b"a file where the directory should be").unwrap();
    let err = Log::open_dir(&file).await.unwrap_err();
    assert!(matches!(err, StoreError::Dir { .. }), "{err}");
}

#[tokio::test]
async fn a_log_missing_a_batch_is_refused_rather_than_replayed_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    for name in ["a", "b", "c"] {
        log.append(&entry(name, None)).await.unwrap();
    }
    log.close().await.unwrap();
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join(DB_FILE));
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    for sql in [
        "DROP TRIGGER change_log_is_append_only_delete",
        "DELETE FROM change_entities WHERE seq = 2",
        "DELETE FROM change_log WHERE seq = 2",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let err = log.entries_after(0).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Gap {
                expected: 2,
                found: 3
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn an_entitys_batches_are_found_and_indexed_again_for_an_older_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    for (i, name) in ["a", "b", "c"].iter().enumerate() {
        let mut e = entry(name, None);
        if i == 1 {
            e.batch = rename("country:kr", name);
        }
        log.append(&e).await.unwrap();
    }
    let seqs = |entries: Vec<Entry>| entries.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(log.naming("country:jp", 0, 10).await.unwrap()), [1, 3]);
    assert_eq!(seqs(log.naming("country:jp", 1, 10).await.unwrap()), [3]);
    assert_eq!(seqs(log.naming("country:kr", 0, 10).await.unwrap()), [2]);
    assert_eq!(seqs(log.page(1, 1).await.unwrap()), [2]);
    log.close().await.unwrap();
    // A log written before the index: its batches are indexed at the next open.
    let path = dir.path().join(DB_FILE);
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("DELETE FROM change_entities")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM meta WHERE key = 'entities_indexed_through'")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    assert_eq!(seqs(log.naming("country:jp", 0, 10).await.unwrap()), [1, 3]);
}

#[tokio::test]
async fn a_backup_taken_while_the_log_is_open_restores_every_committed_batch() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The writer, as a server holds it, and a second connection that takes the backup.
    let mut writer = Log::open_dir(&data).await.unwrap();
    writer.bind_seed("abc").await.unwrap();
    let first = writer.append(&entry("Nippon", None)).await.unwrap();
    let second = writer.append(&entry("Nihon", Some("k2"))).await.unwrap();
    let mut reader = Log::open_dir(&data).await.unwrap();
    let file = dir.path().join("backups").join("b.db");
    assert_eq!(
        reader.backup(&file).await.unwrap(),
        2,
        "the copy's last batch"
    );
    // Committed after the copy: not in it.
    writer.append(&entry("Japan", None)).await.unwrap();
    let left: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["b.db"], "no part file left beside the backup");

    // Never written over, whoever asks.
    let before = std::fs::read(&file).unwrap();
    for log in [&mut reader, &mut writer] {
        let err = log.backup(&file).await.unwrap_err();
        assert!(matches!(err, StoreError::BackupExists { .. }), "{err}");
        assert!(err.to_string().contains("already exists"), "{err}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Restored: the file as the database of a fresh data directory.
    let restored = dir.path().join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(&file, restored.join(DB_FILE)).unwrap();
    let mut log = Log::open_dir(&restored).await.unwrap();
    assert_eq!(log.entries_after(0).await.unwrap(), vec![first, second]);
    assert_eq!(log.last_seq().await.unwrap(), 2);
    log.bind_seed("abc").await.unwrap();
    let err = log.bind_seed("def").await.unwrap_err();
    assert!(
        matches!(err, StoreError::OtherSeed { .. }),
        "the seed is kept"
    );
    let next = log.append(&entry("Japan", None)).await.unwrap();
    assert_eq!(next.seq, 3, "numbering goes on from the backup");
    assert_eq!(log.durability().await.unwrap().journal_mode, "wal");
}

#[tokio::test]
async fn a_backup_to_a_file_that_is_there_is_refused_even_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let file = dir.path().join("empty.db");
    std::fs::write(&file, b"").unwrap();
    let err = log.backup(&file).await.unwrap_err();
    assert!(matches!(err, StoreError::BackupExists { .. }), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"");
}

#[tokio::test]
async fn a_batchs_documents_are_kept_with_it_and_carried_by_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::open_dir(dir.path()).await.unwrap();
    let doc = |file: &str, text: &str| Document {
        file: file.into(),
        text: text.into(),
    };
    log.append(&entry("Nippon", None)).await.unwrap();
    let docs = vec![doc("a.txt", "one\ntwo\n"), doc("b.txt", "three")];
    let second = log.append_with(&entry("Japan", None), &docs).await.unwrap();
    assert_eq!(second.seq, 2);
    assert!(log.documents_of(1).await.unwrap().is_empty());
    assert_eq!(log.documents_of(2).await.unwrap(), docs);
    let copy = dir.path().join("backup.db");
    log.backup(&copy).await.unwrap();
    log.close().await.unwrap();
    // The copy, restored into a data directory of its own, holds them.
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::copy(&copy, restored.join(DB_FILE)).unwrap();
    let mut log = Log::open_dir(&restored).await.unwrap();
    let all = log.documents().await.unwrap();
    let files: Vec<_> = all
        .iter()
        .map(|d| (d.seq, d.document.file.as_str()))
        .collect();
    assert_eq!(files, [(2, "a.txt"), (2, "b.txt")]);
    // The table is append-only, like the log.
    let mut conn =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", restored.join(DB_FILE).display()))
            .await
            .unwrap();
    let changed = sqlx::query("UPDATE change_documents SET text = 'x'")
        .execute(&mut conn)
        .await;
    assert!(changed.is_err());
}
