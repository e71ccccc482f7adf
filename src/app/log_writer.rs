//! The log's writer: the threads that log copy each line into one buffer, and a thread of
//! its own writes that buffer out in batches, so a request never waits for a write and the
//! log costs a few writes a second rather than a wake-up and a write for every line.
//!
//! No line is dropped: a thread that logs waits only while the buffer holds
//! [`LogWriter::DEFAULT_CAPACITY`] bytes that have not been written yet. Dropping the
//! [`LogGuard`] writes out everything logged before it.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// Where the lines wait, shared by the threads that log and the one that writes.
struct Shared {
    state: Mutex<State>,
    /// Told when the buffer stops being empty, and when the log closes.
    filled: Condvar,
    /// Told when the writer has taken the buffer.
    drained: Condvar,
    capacity: usize,
}

#[derive(Default)]
struct State {
    lines: Vec<u8>,
    closed: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A thread that panicked while holding it left whole lines behind: each is copied
        // in with one call.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Hands each thread that logs a [`LineWriter`]; see the module's documentation.
#[derive(Clone)]
pub struct LogWriter {
    shared: Arc<Shared>,
}

/// Writes out the rest of the log when dropped, and stops its thread.
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl LogWriter {
    /// The bytes waiting to be written at most, before a thread that logs waits: about
    /// 100,000 lines.
    pub const DEFAULT_CAPACITY: usize = 16 << 20;
    /// How long the writing thread gathers lines after the first of a batch arrives.
    pub const BATCH_WINDOW: Duration = Duration::from_millis(5);

    /// A writer whose lines go to `out`, written by a thread named `name`.
    pub fn start<W: Write + Send + 'static>(
        out: W,
        name: &str,
        capacity: usize,
        window: Duration,
    ) -> io::Result<(LogWriter, LogGuard)> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            filled: Condvar::new(),
            drained: Condvar::new(),
            capacity: capacity.max(1),
        });
        let thread = std::thread::Builder::new().name(name.to_owned()).spawn({
            let shared = Arc::clone(&shared);
            move || write_out(&shared, out, window)
        })?;
        Ok((
            LogWriter {
                shared: Arc::clone(&shared),
            },
            LogGuard {
                shared,
                thread: Some(thread),
            },
        ))
    }
}

/// The writing thread: waits for a first line, lets a batch gather for `window`, then
/// takes the buffer whole and writes it with one call, until the log closes and is empty.
fn write_out<W: Write>(shared: &Shared, mut out: W, window: Duration) {
    let mut batch = Vec::new();
    loop {
        {
            let mut state = shared.lock();
            while state.lines.is_empty() && !state.closed {
                state = shared
                    .filled
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.lines.is_empty() {
                return;
            }
        }
        // Whatever else is logged meanwhile joins this batch; a closing log is written at once.
        if !shared.lock().closed {
            std::thread::sleep(window);
        }
        {
            let mut state = shared.lock();
            std::mem::swap(&mut state.lines, &mut batch);
        }
        shared.drained.notify_all();
        // Standard error gone or full: there is nowhere left to say so, and the lines must
        // not pile up. They are dropped, as a write to a closed standard error would be.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.filled.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One thread's handle on the log: each `write` copies its bytes whole into the buffer, so
/// a line written with one call is never split by another thread's.
pub struct LineWriter<'a> {
    shared: &'a Shared,
}

impl Write for LineWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let shared = self.shared;
        let mut state = shared.lock();
        // Waits for room only when there are lines ahead to make room: a line longer than
        // the whole buffer goes in alone.
        while !state.lines.is_empty()
            && state.lines.len() + bytes.len() > shared.capacity
            && !state.closed
        {
            state = shared
                .drained
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let was_empty = state.lines.is_empty();
        state.lines.extend_from_slice(bytes);
        drop(state);
        if was_empty {
            shared.filled.notify_one();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter {
            shared: &self.shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tracing_subscriber::fmt::MakeWriter;

    use super::LogWriter;

    /// A sink the tests read back, counting the writes it was given.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<(Vec<u8>, usize)>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let mut s = self.0.lock().unwrap();
            s.0.extend_from_slice(bytes);
            s.1 += 1;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().0.clone()).unwrap()
        }
        fn writes(&self) -> usize {
            self.0.lock().unwrap().1
        }
    }

    #[test]
    fn every_line_from_every_thread_is_written_whole_once_the_guard_is_dropped() {
        let sink = Sink::default();
        let (writer, guard) =
            LogWriter::start(sink.clone(), "test-log", 1 << 20, Duration::from_millis(2)).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let writer = writer.clone();
                s.spawn(move || {
                    for i in 0..2_000 {
                        let line = format!("thread {t} line {i} {}\n", "x".repeat(i % 50));
                        writer.make_writer().write_all(line.as_bytes()).unwrap();
                    }
                });
            }
        });
        drop(guard);
        let text = sink.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8_000);
        for t in 0..4 {
            let mine: Vec<usize> = lines
                .iter()
                .filter_map(|l| l.strip_prefix(&format!("thread {t} line ")))
                .map(|rest| {
                    let (i, xs) = rest.split_once(' ').unwrap();
                    let i: usize = i.parse().unwrap();
                    assert_eq!(xs, "x".repeat(i % 50), "a line was split");
                    i
                })
                .collect();
            assert_eq!(
                mine,
                (0..2_000).collect::<Vec<_>>(),
                "thread {t}'s lines in order"
            );
        }
    }

    #[test]
    fn lines_are_written_in_batches_not_one_write_each() {
        let sink = Sink::default();
        let (writer, guard) =
            LogWriter::start(sink.clone(), "test-log", 1 << 20, Duration::from_millis(50)).unwrap();
        for i in 0..1_000 {
            writeln!(writer.make_writer(), "line {i}").unwrap();
        }
        drop(guard);
        assert_eq!(sink.text().lines().count(), 1_000);
        assert!(
            sink.writes() < 10,
            "{} writes for 1,000 lines",
            sink.writes()
        );
    }

    #[test]
    fn a_full_buffer_holds_the_thread_that_logs_until_it_is_written_and_loses_nothing() {
        let sink = Sink::default();
        // Room for about three lines: most writes wait for the writing thread.
        let (writer, guard) =
            LogWriter::start(sink.clone(), "test-log", 64, Duration::from_millis(1)).unwrap();
        for i in 0..200 {
            writeln!(writer.make_writer(), "line number {i:04}").unwrap();
        }
        // A line longer than the whole buffer is not held back for ever.
        let long = "y".repeat(500);
        writeln!(writer.make_writer(), "{long}").unwrap();
        drop(guard);
        let text = sink.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 201);
        assert_eq!(lines[199], "line number 0199");
        assert_eq!(lines[200], long);
    }

    #[test]
    fn a_line_is_written_without_waiting_for_the_guard() {
        let sink = Sink::default();
        let (writer, _guard) =
            LogWriter::start(sink.clone(), "test-log", 1 << 20, Duration::from_millis(1)).unwrap();
        writeln!(writer.make_writer(), "listening").unwrap();
        let mut waited = 0;
        while sink.text().is_empty() && waited < 5_000 {
            std::thread::sleep(Duration::from_millis(1));
            waited += 1;
        }
        assert_eq!(sink.text(), "listening\n");
    }
}
