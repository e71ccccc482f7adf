//! Admission control: a request is light or heavy by the complexity its document costs.
//! Light requests run at once on the workers that read and write connections; heavy ones
//! run on threads of their own, so they cannot starve the light. Each lane admits a
//! bounded number and refuses the rest with 503 rather than queueing without bound, and a
//! heavy request that outlives its time is answered `TIMEOUT` while its work keeps its
//! slot until it has really stopped. A query of either lane runs within its deadline
//! ([`crate::graph::interrupt`]): its long reads stop there, and it is answered `TIMEOUT`
//! too, so that a query that looked light cannot hold a worker for longer.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use tokio::sync::Semaphore;

use async_graphql::ErrorExtensions;

use crate::api::{RequestId, code};
use crate::app::Config;

/// Why a request was not run to its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Its lane is full: 503, try again shortly.
    Busy(Lane),
    /// It ran out of time: 504.
    Timeout(Duration),
}

impl Refused {
    /// The `extensions.code` that says it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Refused::Busy(_) => code::SERVER_BUSY,
            Refused::Timeout(_) => code::TIMEOUT,
        }
    }

    /// What the client reads.
    pub(crate) fn message(self) -> String {
        match self {
            Refused::Busy(lane) => format!(
                "the server is running as many {} requests as it takes; ask again shortly",
                lane.name()
            ),
            Refused::Timeout(limit) => format!(
                "the request took longer than {} ms (`request_timeout_ms`); ask for less",
                limit.as_millis()
            ),
        }
    }

    /// As a GraphQL error, for a transport without statuses (the websocket).
    pub(crate) fn to_response(self) -> async_graphql::Response {
        let code = self.code();
        let error = async_graphql::Error::new(self.message())
            .extend_with(|_, e| e.set("code", code))
            .into_server_error(async_graphql::Pos::default());
        async_graphql::Response::from_errors(vec![error])
    }
}

/// The two lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// Up to `heavy_complexity`: run at once, on the connection's worker.
    Light,
    /// Above it: run on a heavy worker, with a timeout.
    Heavy,
}

impl Lane {
    /// The lane's name as the configuration and the messages say it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Lane::Light => "light",
            Lane::Heavy => "heavy",
        }
    }
}

/// The lanes of one server, shared by its workers.
#[derive(Clone)]
pub(crate) struct Admission {
    light: Arc<Semaphore>,
    /// Heavy requests admitted: running, or waiting for a heavy worker.
    heavy: Arc<Semaphore>,
    /// Heavy requests running.
    workers: Arc<Semaphore>,
    heavy_complexity: usize,
    timeout: Duration,
}

/// How full the lanes are, for operators.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Occupancy {
    /// Light requests running.
    pub light: usize,
    /// Heavy requests admitted (running or waiting).
    pub heavy: usize,
    /// Heavy requests running.
    pub heavy_running: usize,
}

impl Occupancy {
    /// As Prometheus text, for `/metrics`.
    pub(crate) fn render(&self) -> String {
        format!(
            "# HELP pledgegraph_admitted_requests Requests each lane holds now (heavy: running or waiting for a heavy worker).\n\
             # TYPE pledgegraph_admitted_requests gauge\n\
             pledgegraph_admitted_requests{{lane=\"light\"}} {}\n\
             pledgegraph_admitted_requests{{lane=\"heavy\"}} {}\n\
             # HELP pledgegraph_heavy_running Heavy requests running on a heavy worker.\n\
             # TYPE pledgegraph_heavy_running gauge\n\
             pledgegraph_heavy_running {}\n",
            self.light, self.heavy, self.heavy_running
        )
    }
}

impl Admission {
    /// The lanes `config` sets.
    pub(crate) fn new(config: &Config) -> Self {
        let workers = match config.heavy_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        Admission {
            light: Arc::new(Semaphore::new(config.max_light_requests)),
            heavy: Arc::new(Semaphore::new(config.max_heavy_requests)),
            workers: Arc::new(Semaphore::new(workers)),
            heavy_complexity: config.heavy_complexity,
            timeout: Duration::from_millis(config.request_timeout_ms as u64),
        }
    }

    /// The lane of a request of this complexity.
    pub(crate) fn lane(&self, complexity: usize) -> Lane {
        if complexity > self.heavy_complexity {
            Lane::Heavy
        } else {
            Lane::Light
        }
    }

    /// How many requests each lane holds now.
    pub(crate) fn occupancy(&self, config: &Config) -> Occupancy {
        let workers = match config.heavy_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        Occupancy {
            light: config.max_light_requests - self.light.available_permits(),
            heavy: config.max_heavy_requests - self.heavy.available_permits(),
            heavy_running: workers - self.workers.available_permits(),
        }
    }

    /// Runs `work` in the lane its `complexity` puts it in; `Ok(Err(what it said))` when
    /// it panicked. Work that only reads (`reads_only`: no mutation) runs within its
    /// deadline, and is refused with `Timeout` when a read of it was cut there.
    pub(crate) async fn run<F>(
        &self,
        complexity: usize,
        reads_only: bool,
        work: F,
    ) -> Result<Result<F::Output, String>, Refused>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let deadline = reads_only.then(|| Instant::now() + self.timeout);
        let work = Bounded {
            work: Box::pin(work),
            deadline,
            cut: false,
        };
        let answered = match self.lane(complexity) {
            Lane::Light => {
                let Ok(_slot) = self.light.try_acquire() else {
                    return Err(Refused::Busy(Lane::Light));
                };
                Ok(AssertUnwindSafe(work).catch_unwind().await.map_err(said))
            }
            Lane::Heavy => self.run_heavy(work).await,
        }?;
        match answered {
            Ok((_, true)) => Err(Refused::Timeout(self.timeout)),
            Ok((output, false)) => Ok(Ok(output)),
            Err(said) => Ok(Err(said)),
        }
    }

    async fn run_heavy<F>(&self, work: F) -> Result<Result<F::Output, String>, Refused>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let Ok(slot) = self.heavy.clone().try_acquire_owned() else {
            return Err(Refused::Busy(Lane::Heavy));
        };
        let workers = self.workers.clone();
        // The work stays the request's on its thread: its errors carry the request's id.
        let id = RequestId::current().unwrap_or_else(RequestId::next);
        let admitted = async move {
            // Waiting for a worker: a timeout here drops the slot, as nothing has started.
            let Ok(worker) = workers.acquire_owned().await else {
                return Err("the heavy workers are gone".to_string());
            };
            let runtime = tokio::runtime::Handle::current();
            let job = actix_web::rt::task::spawn_blocking(move || {
                // Held until the work is done, whether or not anyone still waits for it.
                let _held = (slot, worker);
                let run = AssertUnwindSafe(id.scope(work)).catch_unwind();
                runtime.block_on(run).map_err(said)
            });
            job.await
                .unwrap_or_else(|e| Err(format!("a heavy worker failed: {e}")))
        };
        actix_web::rt::time::timeout(self.timeout, admitted)
            .await
            .map_err(|_| Refused::Timeout(self.timeout))
    }
}

/// Work polled within its deadline, if it has one: its output, and whether a read of it
/// was cut there (and so the output is incomplete).
struct Bounded<F> {
    work: Pin<Box<F>>,
    deadline: Option<Instant>,
    cut: bool,
}

impl<F: Future> Future for Bounded<F> {
    type Output = (F::Output, bool);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let polled = match this.deadline {
            Some(deadline) => {
                let (polled, cut) =
                    crate::graph::interrupt::within(deadline, || this.work.as_mut().poll(cx));
                this.cut |= cut;
                polled
            }
            None => this.work.as_mut().poll(cx),
        };
        polled.map(|output| (output, this.cut))
    }
}

/// What a panic said, for the log.
fn said(panic: Box<dyn Any + Send>) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    format!("a resolver panicked: {message}")
}
