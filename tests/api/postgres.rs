//! A real PostgreSQL for the tests: a throwaway cluster made with `initdb` in a temporary
//! directory and run with `pg_ctl` on a free loopback port, stopped and removed when the
//! last test using it is done. As root (CI), the server runs as the package's `postgres`
//! user, since PostgreSQL refuses to run as root. Each test gets a database of its own.
//! Connections over TCP need the superuser's password ([`PASSWORD`]), as on a real server;
//! the tools use the socket in the cluster's directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The superuser's password: connections over TCP must give it, as a real server's do.
pub const PASSWORD: &str = "pledgegraph-test";

/// A running cluster; stopped and removed when dropped.
pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_root: bool,
    databases: Mutex<usize>,
}

/// The cluster the tests running now share: made by the first that asks, stopped once
/// the last holding it is done.
pub fn cluster() -> Arc<Cluster> {
    static SHARED: OnceLock<Mutex<Weak<Cluster>>> = OnceLock::new();
    let shared = SHARED.get_or_init(|| Mutex::new(Weak::new()));
    let mut held = shared.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cluster) = held.upgrade() {
        return cluster;
    }
    let cluster = Arc::new(Cluster::start());
    *held = Arc::downgrade(&cluster);
    cluster
}

impl Cluster {
    /// A cluster for one test alone, to stop and start as it likes.
    pub fn private() -> Arc<Cluster> {
        Arc::new(Cluster::start())
    }

    /// A cluster for one test alone that takes connections over TCP only with TLS (a
    /// self-signed certificate made with openssl).
    pub fn private_with_tls() -> Arc<Cluster> {
        let cluster = Cluster::start();
        cluster.stop();
        let data = cluster.dir.path().join("data");
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=127.0.0.1", "-keyout"])
            .arg(data.join("server.key"))
            .arg("-out")
            .arg(data.join("server.crt")));
        run(Command::new("chmod")
            .arg("600")
            .arg(data.join("server.key")));
        if cluster.as_root {
            for file in ["server.key", "server.crt"] {
                run(Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(data.join(file)));
            }
        }
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap_or_else(|e| panic!("{e}"));
        text.push_str("\nssl = on\n");
        std::fs::write(&conf, text).unwrap_or_else(|e| panic!("{e}"));
        let hba = data.join("pg_hba.conf");
        let text = std::fs::read_to_string(&hba).unwrap_or_else(|e| panic!("{e}"));
        let text = format!("hostnossl all all 127.0.0.1/32 reject\n{text}");
        std::fs::write(&hba, text).unwrap_or_else(|e| panic!("{e}"));
        cluster.start_server();
        Arc::new(cluster)
    }

    fn start() -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("pledgegraph-pg-")
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot make a directory for PostgreSQL: {e}"));
        let as_root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let pwfile = dir.path().join("password");
        std::fs::write(&pwfile, PASSWORD).unwrap_or_else(|e| panic!("{e}"));
        if as_root {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()));
        }
        let data = dir.path().join("data");
        let mut cluster = Cluster {
            bin,
            dir,
            port: 0,
            as_root,
            databases: Mutex::new(0),
        };
        run(cluster
            .tool("initdb")
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .args(["--username=postgres", "--encoding=UTF8", "--no-sync"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .arg("-D")
            .arg(&data));
        cluster.port = free_port();
        cluster.start_server();
        cluster
    }

    /// A command of the server's package, run as the user the server runs as.
    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        if self.as_root {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    /// The URL of a new, empty database.
    pub fn database(&self) -> String {
        let n = {
            let mut made = self.databases.lock().unwrap_or_else(|e| e.into_inner());
            *made += 1;
            *made
        };
        let name = format!("test_{}_{n}", std::process::id());
        // Over the socket, where the superuser needs no password.
        run(self
            .tool("createdb")
            .arg("-h")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres"])
            .arg(&name));
        self.url(&name)
    }

    /// Runs `sql` in the database of `url` as the superuser.
    pub fn sql(&self, url: &str, sql: &str) {
        let name = url.rsplit('/').next().unwrap_or_default();
        // Over the socket, where the superuser needs no password.
        run(self
            .tool("psql")
            .arg("-h")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres"])
            .args(["-v", "ON_ERROR_STOP=1", "-d", name, "-c", sql]));
    }

    /// The URL of database `name`, with the password.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/{name}",
            self.port
        )
    }

    /// Stops the server at once, as a crash or a lost database would.
    pub fn stop(&self) {
        run(&mut self.stop_command());
    }

    fn stop_command(&self) -> Command {
        let mut cmd = self.tool("pg_ctl");
        cmd.arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        cmd
    }

    /// Starts the server on its port: the first time, or again after [`Cluster::stop`].
    pub fn start_server(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            self.dir.path().display()
        );
        run(self
            .tool("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-o", &options, "-l"])
            .arg(self.dir.path().join("log"))
            .args(["-w", "-t", "60", "start"]));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop_command().output();
    }
}

/// The newest PostgreSQL of Debian's packages.
fn bin_dir() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not installed ({}: {e}); install Debian's `postgresql` package, as ./scripts/test does",
                root.display()
            )
        })
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .unwrap_or_else(|| panic!("no PostgreSQL with initdb under {}", root.display()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
