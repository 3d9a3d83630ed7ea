//! `docs/store.md` lists exactly the tables and columns of a new store, in their order, with
//! their types.

use std::collections::BTreeMap;
use std::path::Path;

use rdsr_store::SqliteStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Table -> [(column, type)].
type Schema = BTreeMap<String, Vec<(String, String)>>;

/// The schema as `docs/store.md` lists it.
fn documented() -> Result<Schema, Box<dyn std::error::Error>> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/store.md"))?;
    let mut tables = Schema::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("### `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            tables.insert(name.to_string(), Vec::new());
            current = Some(name.to_string());
        } else if let (Some(table), Some(row)) = (&current, line.strip_prefix("| `")) {
            let mut cells = row.split('|');
            let column = cells
                .next()
                .unwrap_or_default()
                .trim()
                .trim_end_matches('`');
            let ty = cells.next().unwrap_or_default().trim();
            if let Some(columns) = tables.get_mut(table) {
                columns.push((column.to_string(), ty.to_string()));
            }
        }
    }
    Ok(tables)
}

#[test]
fn the_schema_page_lists_every_table_and_column_of_a_new_store() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(dir.path().join("s.sqlite"))?;
    let conn = store.connection();
    let mut actual = Schema::new();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for table in names {
        let columns: Vec<(String, String)> = conn
            .prepare(&format!("PRAGMA table_info({table})"))?
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        actual.insert(table, columns);
    }
    let documented = documented()?;
    assert_eq!(
        documented.keys().collect::<Vec<_>>(),
        actual.keys().collect::<Vec<_>>(),
        "tables of docs/store.md"
    );
    for (table, columns) in &actual {
        assert_eq!(
            documented.get(table),
            Some(columns),
            "columns of `{table}` in docs/store.md"
        );
    }
    Ok(())
}
