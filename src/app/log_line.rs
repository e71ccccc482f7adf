//! The text log's fields and times, written as `tracing-subscriber`'s own text format
//! writes them without colours, but without its general formatting machinery: the line
//! logged for each request is on every request's path.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};
use tracing_subscriber::fmt::time::FormatTime;

/// Writes an event's or a span's fields: the message as it is, then `name=value` for each
/// other field, separated by spaces; a string field quoted and escaped, a number as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainFields;

impl<'w> FormatFields<'w> for PlainFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = FieldWriter {
            writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct FieldWriter<'w> {
    writer: Writer<'w>,
    first: bool,
    result: fmt::Result,
}

impl FieldWriter<'_> {
    /// Writes the field's name and `=` (nothing for the message), after a space unless it
    /// is the first.
    fn start(&mut self, field: &Field) -> fmt::Result {
        if !std::mem::take(&mut self.first) {
            self.writer.write_char(' ')?;
        }
        match field.name() {
            "message" => Ok(()),
            name => {
                self.writer
                    .write_str(name.strip_prefix("r#").unwrap_or(name))?;
                self.writer.write_char('=')
            }
        }
    }

    fn write(&mut self, field: &Field, value: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_ok() {
            self.result = self.start(field).and_then(|()| value(&mut self.writer));
        }
    }
}

/// True when `text` is written the same by `{:?}` between its quotes: printable ASCII
/// with no quote or backslash.
fn plain(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

/// Writes `text` with the control characters a terminal would act on escaped, as the
/// default format escapes a message.
fn write_sanitized(writer: &mut Writer<'_>, text: &str) -> fmt::Result {
    if text
        .chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
    {
        return writer.write_str(text);
    }
    for c in text.chars() {
        match c {
            '\x1b' | '\x07' | '\x08' | '\x0c' | '\x7f' => {
                write!(writer, "\\x{:02x}", u32::from(c))?
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) => write!(writer, "\\u{{{:x}}}", u32::from(c))?,
            c => writer.write_char(c)?,
        }
    }
    Ok(())
}

impl Visit for FieldWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let message = field.name() == "message";
        self.write(field, |w| match (message, plain(value)) {
            (true, _) => write_sanitized(w, value),
            (false, true) => {
                w.write_char('"')?;
                w.write_str(value)?;
                w.write_char('"')
            }
            (false, false) => write!(w, "{value:?}"),
        });
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.write(field, |w| write!(w, "{value}"));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.write(field, |w| write!(w, "{value}"));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.write(field, |w| w.write_str(if value { "true" } else { "false" }));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // Rare: the default writes an error and its sources its own way.
        if self.result.is_ok() {
            let mut fallback = DefaultVisitor::new(self.writer.by_ref(), self.first);
            fallback.record_error(field, value);
            self.first = false;
            self.result = tracing_subscriber::field::VisitOutput::finish(fallback);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let message = field.name() == "message";
        self.write(field, |w| match message {
            // A message given as arguments: written out, then sanitized.
            true => write_sanitized(w, &format!("{value:?}")),
            false => write!(w, "{value:?}"),
        });
    }
}

/// The time of a line in UTC to the microsecond, as RFC 3339 writes it
/// (`2026-12-02T07:17:52.388414Z`), worked out from the seconds since 1970.
#[derive(Debug, Clone, Copy, Default)]
pub struct UtcMicros;

impl FormatTime for UtcMicros {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        write_utc_micros(w, micros)
    }
}

/// Writes `micros` after 1970-01-01T00:00:00Z as RFC 3339 with six digits of fraction.
fn write_utc_micros(w: &mut impl fmt::Write, micros: u128) -> fmt::Result {
    let secs = u64::try_from(micros / 1_000_000).unwrap_or(u64::MAX);
    let fraction = u32::try_from(micros % 1_000_000).unwrap_or(0);
    let (days, in_day) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = i64::try_from(days)
        .ok()
        .and_then(crate::model::numbered_day)
        .unwrap_or((9999, 12, 31));
    let mut buf = *b"0000-00-00T00:00:00.000000Z";
    let mut put = |at: usize, width: usize, mut value: u64| {
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, u64::try_from(year).unwrap_or(0));
    put(5, 2, u64::from(month));
    put(8, 2, u64::from(day));
    put(11, 2, in_day / 3600);
    put(14, 2, in_day % 3600 / 60);
    put(17, 2, in_day % 60);
    put(20, 6, u64::from(fraction));
    // Only ASCII digits and punctuation were written.
    w.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    /// A writer into a shared buffer.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into()
        }
    }

    /// Logs the same events, in a span and out of it.
    fn events() {
        let span = tracing::info_span!("request", id = %7u64, r#type = "q");
        span.in_scope(|| {
            tracing::info!(
                request_id = %12u64,
                method = %"POST",
                path = %"/graphql",
                operation = "CountryPledges",
                status = 200u16,
                duration_us = 345u64,
                "request"
            );
            tracing::warn!(
                quoted = "say \"hi\"\\ now",
                control = "a\u{1b}[31mred\nline",
                accents = "Zürich",
                empty = "",
                negative = -3i64,
                yes = true,
                debug = ?Some(4),
                "text {} of {}",
                "with",
                "arguments"
            );
        });
        tracing::error!("a \u{1b}[2Jmessage\u{85} cleared\tand tabbed");
        let e = std::io::Error::other("disk full");
        tracing::error!(error = &e as &(dyn std::error::Error + 'static), "failed");
    }

    #[test]
    fn fields_are_written_as_the_default_format_writes_them() {
        let (ours, theirs) = (Buffer::default(), Buffer::default());
        let subscriber = tracing_subscriber::fmt()
            .with_writer(ours.clone())
            .with_ansi(false)
            .without_time()
            .fmt_fields(PlainFields)
            .finish();
        tracing::subscriber::with_default(subscriber, events);
        let subscriber = tracing_subscriber::fmt()
            .with_writer(theirs.clone())
            .with_ansi(false)
            .without_time()
            .finish();
        tracing::subscriber::with_default(subscriber, events);
        assert!(ours.text().lines().count() == 4, "{}", ours.text());
        assert_eq!(ours.text(), theirs.text());
    }

    #[test]
    fn times_are_rfc_3339_in_utc_to_the_microsecond() {
        let at = |micros: u128| {
            let mut out = String::new();
            write_utc_micros(&mut out, micros).unwrap_or_else(|e| panic!("{e}"));
            out
        };
        assert_eq!(at(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400_000_001), "2000-02-29T00:00:00.000001Z");
        assert_eq!(at(951_868_799_999_999), "2000-02-29T23:59:59.999999Z");
        assert_eq!(at(4_107_542_400_000_000), "2100-03-01T00:00:00.000000Z");
        assert_eq!(at(1_764_660_472_388_414), "2025-12-02T07:27:52.388414Z");
        assert_eq!(at(1_798_761_599_500_000), "2026-12-31T23:59:59.500000Z");
    }
}
