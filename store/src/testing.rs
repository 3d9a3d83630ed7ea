//! A throw-away PostgreSQL cluster for tests and benchmarks: `initdb` and `pg_ctl` in a
//! temporary folder, a free loopback port, the socket in that folder, stopped and removed on
//! drop (also when a test panics).
//!
//! The binaries are looked up on `PATH`, then in `/usr/lib/postgresql/*/bin` (newest
//! first). When they are not found, [`TempCluster::start`] returns `Ok(None)` after printing
//! one line saying why the PostgreSQL tests did not run, unless the environment variable
//! `RDSR_REQUIRE_POSTGRES` is `1`, when it is an error. PostgreSQL refuses to run as root: as
//! root the cluster runs as the user `nobody`, through `runuser`.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A running temporary cluster; stopped and deleted on drop.
#[derive(Debug)]
pub struct TempCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
    next: AtomicU32,
}

static SKIP_NOTE: Once = Once::new();

fn find_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut versioned: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versioned.sort_by_key(|p| {
        std::cmp::Reverse(
            p.parent()
                .and_then(Path::file_name)
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0),
        )
    });
    on_path
        .into_iter()
        .chain(versioned)
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl TempCluster {
    /// Starts a cluster. `Ok(None)`: no PostgreSQL binaries here (one line says so on
    /// stderr) and `RDSR_REQUIRE_POSTGRES` is not `1`.
    pub fn start() -> Result<Option<TempCluster>, String> {
        let Some(bin) = find_bin() else {
            let why = "no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin";
            if std::env::var("RDSR_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                return Err(format!(
                    "PostgreSQL tests required (RDSR_REQUIRE_POSTGRES=1) but {why}"
                ));
            }
            SKIP_NOTE.call_once(|| {
                // Written past the test harness's capture, so that it is seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "note: the PostgreSQL tests did not run: {why} (install PostgreSQL, or set RDSR_REQUIRE_POSTGRES=1 to make this a failure)"
                );
            });
            return Ok(None);
        };
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("rdsr-pg-{}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let run_as = if root {
            let uid = command_output("id", &["-u", "nobody"]).and_then(|s| s.parse().ok());
            let gid = command_output("id", &["-g", "nobody"]).and_then(|s| s.parse().ok());
            std::os::unix::fs::chown(&dir, uid, gid)
                .map_err(|e| format!("chown {}: {e}", dir.display()))?;
            Some("nobody".to_string())
        } else {
            None
        };
        let mut cluster = TempCluster {
            dir,
            bin,
            port: 0,
            run_as,
            next: AtomicU32::new(0),
        };
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        let mut last = String::new();
        for _ in 0..3 {
            cluster.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                cluster.port,
                cluster.dir.display()
            );
            match cluster.run(
                "pg_ctl",
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &cluster.dir.join("server.log").to_string_lossy(),
                    "-o",
                    &options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            ) {
                Ok(()) => return Ok(Some(cluster)),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let program = self.bin.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                // `runuser` lives in sbin, which a user's PATH may not hold.
                let runuser = ["/usr/sbin/runuser", "/sbin/runuser"]
                    .into_iter()
                    .find(|p| Path::new(p).is_file())
                    .unwrap_or("runuser");
                let mut c = Command::new(runuser);
                c.args(["-u", user, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        let out = cmd
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// CPU time, in s, of the server processes that have exited (the postmaster's reaped
    /// children: the backends of closed connections), for benchmarks. Assumes 100 clock
    /// ticks per second.
    pub fn server_cpu_s(&self) -> Option<f64> {
        let pid = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).ok()?;
        let pid = pid.lines().next()?.trim().to_string();
        children_cpu_s(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `db` of this cluster (user `postgres`, no password).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a new empty database and returns its URL.
    pub fn create_database(&self) -> Result<String, crate::StoreError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let name = format!("rdsr_{n}");
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(self.url(&name))
    }
}

/// The `cutime + cstime` of a `/proc/PID/stat` line, in s.
pub fn children_cpu_s(stat: &str) -> Option<f64> {
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    Some((ticks(13)? + ticks(14)?) / 100.0)
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The backend a conformance test runs against: the same test body, a SQLite file or a
/// database of a temporary PostgreSQL cluster.
#[derive(Debug)]
pub enum Backend {
    /// SQLite files in this folder.
    Sqlite(PathBuf),
    /// Databases of this cluster.
    Postgres(TempCluster),
}

impl Backend {
    /// SQLite stores created in `dir`.
    pub fn sqlite(dir: &Path) -> Backend {
        Backend::Sqlite(dir.to_path_buf())
    }

    /// PostgreSQL stores in a new temporary cluster; `Ok(None)` when PostgreSQL is not
    /// installed here (see [`TempCluster::start`]).
    pub fn postgres() -> Result<Option<Backend>, String> {
        Ok(TempCluster::start()?.map(Backend::Postgres))
    }

    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Where a new, empty store called `name` goes: a file path, or the URL of a new
    /// database. What `rdsr import --db` takes.
    pub fn new_target(&self, name: &str) -> Result<String, crate::StoreError> {
        match self {
            Backend::Sqlite(dir) => Ok(dir
                .join(format!("{name}.sqlite"))
                .to_string_lossy()
                .into_owned()),
            Backend::Postgres(cluster) => cluster.create_database(),
        }
    }

    /// Opens the store at `target` (see [`crate::open_store`]).
    pub fn open(&self, target: &str) -> Result<Box<dyn crate::Registry>, crate::StoreError> {
        crate::open_store(target, None)
    }

    /// Imports `files` (in this order) into the store at `target` and returns it, open.
    pub fn import_files(
        &self,
        target: &str,
        files: &[std::path::PathBuf],
        options: &crate::ImportOptions,
    ) -> Result<Box<dyn crate::Registry>, crate::StoreError> {
        let mut store = self.open(target)?;
        crate::import_inputs(
            store.as_store(),
            files.iter().cloned().map(crate::Input::File),
            options,
            |_, _| {},
        )?;
        Ok(store)
    }

    /// The single integer a query gives (`SELECT count(*) ...`), on either backend.
    pub fn scalar(&self, target: &str, sql: &str) -> Result<i64, crate::StoreError> {
        if crate::is_postgres_url(target) {
            let mut client = postgres::Client::connect(target, postgres::NoTls)?;
            Ok(client.query_one(sql, &[])?.try_get(0)?)
        } else {
            let conn = rusqlite::Connection::open(target)?;
            Ok(conn.query_row(sql, [], |r| r.get(0))?)
        }
    }
}

/// The statements that take a store of the latest schema version back to the tables and
/// columns of `version` (4 or 5), for upgrade tests: `ALTER TABLE … DROP COLUMN …` for every
/// column each later version added, then `DROP TABLE …` for every table it created, latest
/// version first (both backends add the same ones). Derived from the migrations themselves,
/// so the two cannot drift apart. The caller then sets the stored version.
pub fn back_to_version(version: u32) -> String {
    crate::sqlite::back_to_version(version)
}

/// Runs each named test body, `fn NAME(backend: &Backend) -> TestResult` of the calling test
/// file (which defines `TestResult`), once per backend: `sqlite::NAME` on a store in a
/// temporary folder, and `postgres::NAME` on a throw-away cluster (see
/// [`Backend::postgres`]: without PostgreSQL the test says why and passes, unless PostgreSQL
/// is required).
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() -> super::TestResult {
                    let dir = tempfile::tempdir()?;
                    super::$name(&$crate::testing::Backend::sqlite(dir.path()))
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() -> super::TestResult {
                    match $crate::testing::Backend::postgres()? {
                        Some(backend) => super::$name(&backend),
                        None => Ok(()),
                    }
                }
            )*
        }
    };
}
