//! Helpers shared by the integration tests: the real seed, its graph and the source article.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pledgegraph::graph::KnowledgeGraph;
use pledgegraph::model::{EntityId, Node};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real seed directory.
pub fn seed_dir() -> PathBuf {
    root().join("seed")
}

/// The graph of the real seed, built once per test binary.
pub fn graph() -> &'static KnowledgeGraph {
    static GRAPH: OnceLock<KnowledgeGraph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let seed = pledgegraph::seed::load_dir(&seed_dir())
            .unwrap_or_else(|e| panic!("the real seed must load:\n{e}"));
        KnowledgeGraph::from_seed(seed.into_changes())
            .unwrap_or_else(|e| panic!("the real seed must build a graph: {e}"))
    })
}

/// A node of the real seed that must exist.
pub fn node(id: &str) -> &'static Node {
    graph()
        .node(id)
        .unwrap_or_else(|| panic!("the seed has no node `{id}`"))
}

/// Parses an id that the test knows is well formed.
pub fn id(text: &str) -> EntityId {
    EntityId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines of the source article, 1-based (index 0 is empty).
pub fn article_lines() -> Vec<String> {
    let path = root().join("../shared/sources/trade-talks-2025-07.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the source article must sit at {} beside the project: {e}",
            path.display()
        )
    });
    std::iter::once(String::new())
        .chain(text.lines().map(str::to_string))
        .collect()
}

/// A request on a new connection, as `ureq::request` makes, that fails past
/// [`PATIENCE`] rather than waiting forever on a server that never answers.
pub fn request(method: &str, url: &str) -> ureq::Request {
    ureq::AgentBuilder::new()
        .timeout(PATIENCE)
        .build()
        .request(method, url)
}

/// A GET by [`request`].
pub fn get(url: &str) -> ureq::Request {
    request("GET", url)
}

/// A POST by [`request`].
pub fn post(url: &str) -> ureq::Request {
    request("POST", url)
}

/// A running server on an ephemeral loopback port.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// Starts the real server on `127.0.0.1:0` over the seed in `dir`, on its own thread.
pub fn spawn(dir: &Path) -> TestServer {
    let mut config = pledgegraph::app::Config::default();
    config.seed = dir.to_path_buf();
    // The tests share one server and one loopback address: as a client, they are many.
    config.rate_limit_per_second = 0;
    let app = pledgegraph::app::App::load(config)
        .unwrap_or_else(|e| panic!("the seed {} must load: {e}", dir.display()));
    spawn_app(app)
}

/// Starts the real server on `127.0.0.1:0` for `app`, on its own thread.
pub fn spawn_app(app: pledgegraph::app::App) -> TestServer {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind: {e}"));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = pledgegraph::http::serve(listener, app)
                .unwrap_or_else(|e| panic!("cannot serve: {e}"));
            let _ = server.await;
        })
    });
    TestServer {
        base: format!("http://127.0.0.1:{port}"),
    }
}

/// The server over the real seed, started once per test binary.
pub fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| spawn(&seed_dir()))
}

impl TestServer {
    /// POSTs a GraphQL request and returns the status and the JSON body.
    pub fn post(&self, query: &str, variables: serde_json::Value) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let result = post(&format!("{}/graphql", self.base))
            .set("Content-Type", "application/json")
            .send_json(body);
        Self::read(result)
    }

    /// POSTs a GraphQL request with `Authorization: Bearer <token>`.
    pub fn post_as(
        &self,
        token: &str,
        query: &str,
        variables: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let result = post(&format!("{}/graphql", self.base))
            .set("Content-Type", "application/json")
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(body);
        Self::read(result)
    }

    /// Sends a raw body with a content type to `/graphql`.
    pub fn post_raw(&self, content_type: &str, body: &[u8]) -> (u16, serde_json::Value) {
        let result = post(&format!("{}/graphql", self.base))
            .set("Content-Type", content_type)
            .send_bytes(body);
        Self::read(result)
    }

    /// The status and the JSON body of a response (the body as a string when not JSON).
    pub fn read(result: Result<ureq::Response, ureq::Error>) -> (u16, serde_json::Value) {
        let response = answered(result);
        let status = response.status();
        let text = response.into_string().unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// The `data` of a query that must succeed without errors.
    pub fn data(&self, query: &str) -> serde_json::Value {
        self.data_with(query, serde_json::json!({}))
    }

    /// The `data` of a query with variables that must succeed without errors.
    pub fn data_with(&self, query: &str, variables: serde_json::Value) -> serde_json::Value {
        let (status, body) = self.post(query, variables);
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The codes of the errors of a query that must fail.
    pub fn error_codes(&self, query: &str, variables: serde_json::Value) -> Vec<String> {
        self.errors(query, variables)
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    }

    /// The codes and messages of the errors of a query that must fail.
    pub fn errors(&self, query: &str, variables: serde_json::Value) -> Vec<(String, String)> {
        let (_, body) = self.post(query, variables);
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        assert!(!errors.is_empty(), "expected errors: {body}");
        errors
            .iter()
            .map(|e| {
                (
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_string(),
                    e["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// GETs a path and returns status, headers of interest and body.
    pub fn get(&self, path: &str) -> (u16, ureq::Response) {
        match get(&format!("{}{path}", self.base)).call() {
            Ok(r) => (r.status(), r),
            Err(ureq::Error::Status(code, r)) => (code, r),
            Err(e) => panic!("GET {path} failed: {e}"),
        }
    }
}

/// The `pledgegraph` binary as a command run from the repository, with no `PLEDGEGRAPH_*`
/// variable inherited (each one is a setting).
pub fn pledgegraph() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pledgegraph"));
    cmd.current_dir(root());
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("PLEDGEGRAPH_") {
            cmd.env_remove(var);
        }
    }
    cmd
}

/// How long a test waits for a server to start, to exit or to answer: a loaded CI
/// machine is slow, never this slow. Past it, the wait fails and says what it waited for.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(90);

/// Waits for `ready` to answer something, polling; fails past [`PATIENCE`].
pub fn poll<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = std::time::Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(start.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

/// `pledgegraph serve` as a process on `127.0.0.1:0` whose whole log is kept, killed
/// when dropped.
pub struct ServeProcess {
    child: std::process::Child,
    log: std::sync::Arc<std::sync::Mutex<String>>,
    /// `http://127.0.0.1:PORT`, as the server logged it.
    pub base: String,
}

impl ServeProcess {
    /// Starts `pledgegraph serve --addr 127.0.0.1:0` with more arguments and variables,
    /// and waits for the line that says where it listens.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_until(args, env, "listening on http://")
    }

    /// Starts the server and waits for the line `wait_for` (`bound` or `listening on`),
    /// which names its address. A server that has not logged it within [`PATIENCE`] is
    /// killed, and the test fails with its log and where its threads were.
    pub fn start_until(args: &[&str], env: &[(&str, &str)], wait_for: &str) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = pledgegraph()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run pledgegraph: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let kept = log.clone();
        // Reads the log to its end, so the server never writes into a closed pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = kept.lock().unwrap_or_else(|p| p.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = ServeProcess {
            child,
            log,
            base: String::new(),
        };
        let start = std::time::Instant::now();
        loop {
            let log = server.log();
            let addr = log.lines().filter(|l| l.contains(wait_for)).find_map(|l| {
                let at = l.find("http://")? + "http://".len();
                let addr: String = l[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                    .collect();
                Some(addr)
            });
            if let Some(addr) = addr {
                server.base = format!("http://{addr}");
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited ({status}) before `{wait_for}`; its log:\n{log}");
            }
            if start.elapsed() > PATIENCE {
                let threads = stacks(server.pid());
                panic!(
                    "no `{wait_for}` from the server within {PATIENCE:?}; its log:\n{log}\n\
                     its threads:\n{threads}"
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// All the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// POSTs a GraphQL query and returns the JSON body.
    pub fn query(&self, query: &str) -> serde_json::Value {
        self.http().post(query, serde_json::json!({})).1
    }

    /// The server as an HTTP client sees it.
    pub fn http(&self) -> TestServer {
        TestServer {
            base: self.base.clone(),
        }
    }

    /// Sends the signal `name` (`TERM`, `INT`) to the server.
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
        assert!(status.success());
    }

    /// Waits for the process to exit; its status.
    pub fn exit(&mut self) -> std::process::ExitStatus {
        poll("the server to exit", || {
            self.child.try_wait().ok().flatten()
        })
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the threads of process `pid` are, for a test that gave up waiting on it: their
/// stacks by `gdb` when it is installed, else their names and kernel wait channels.
fn stacks(pid: u32) -> String {
    let gdb = std::process::Command::new("timeout")
        .args(["60", "gdb", "-batch", "-nx", "-p", &pid.to_string()])
        .args(["-ex", "thread apply all bt 40"])
        .output();
    if let Ok(out) = gdb
        && out.status.success()
    {
        return String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).map(|dir| {
        dir.filter_map(Result::ok)
            .map(|task| {
                let read = |file: &str| {
                    std::fs::read_to_string(task.path().join(file)).unwrap_or_default()
                };
                format!(
                    "{} {} {}",
                    task.file_name().to_string_lossy(),
                    read("comm").trim(),
                    read("wchan")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    tasks.unwrap_or_else(|e| format!("(cannot list them: {e})"))
}

/// A fresh graph of the real seed, owned.
pub fn graph_owned() -> KnowledgeGraph {
    let seed = pledgegraph::seed::load_dir(&seed_dir()).unwrap_or_else(|e| panic!("{e}"));
    KnowledgeGraph::from_seed(seed.into_changes()).unwrap_or_else(|e| panic!("{e}"))
}

/// Percent-encodes text for a URL's query string.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The response to a request, whatever its status (ureq reports 4xx and 5xx as errors);
/// panics only when no response came.
pub fn answered(result: Result<ureq::Response, ureq::Error>) -> ureq::Response {
    match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    }
}
