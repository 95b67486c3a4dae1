//! `provcheck serve`: turn the arguments into [`ServeOptions`] and run the service.

use std::io::Write;
use std::time::Duration;

use super::args::{LogFormat, ServeArgs};
use provcheck::serve::{self, ServeOptions};
use provcheck::Verifier;

fn seconds(flag: &str, s: f64) -> Result<Duration, String> {
    if s.is_finite() && s > 0.0 && s < 1e9 {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(format!("{flag} must be a positive number of seconds"))
    }
}

pub fn run(a: &ServeArgs, verifier: Verifier) -> Result<u8, String> {
    let token = match &a.token_file {
        Some(p) => {
            let raw = std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Some(raw.trim_ascii().to_vec())
        }
        None => None,
    };
    if a.max_body == 0 {
        return Err("--max-body must be at least 1 byte".into());
    }
    let program = std::env::current_exe()
        .map_err(|e| format!("cannot find the provcheck program for worker processes: {e}"))?;
    let mut verifier_options = verifier.options().clone();
    // A body may not be larger than --max-body, so the workers' own cap is never the one hit.
    verifier_options.max_file_size = verifier_options.max_file_size.max(a.max_body);
    // The defaults carry the test hook's fault (compiled in only with the test-hooks feature,
    // honoured only by the provcheck-test-hooks binary) and one worker per core.
    let mut options = ServeOptions::default();
    options.listen = a.listen;
    options.token = token;
    options.insecure_no_auth = a.insecure_no_auth;
    options.worker.program = program;
    options.worker.verifier = verifier_options;
    options.worker.memory_limit = match a.worker_memory {
        0 => None,
        mib => Some(mib.saturating_mul(1 << 20)),
    };
    if a.workers > 0 {
        options.pool.workers = a.workers;
    }
    options.pool.queue = a.queue;
    options.pool.timeout = seconds("--timeout", a.timeout)?;
    options.pool.queue_timeout = seconds("--queue-timeout", a.queue_timeout)?;
    options.pool.max_buffered = a.max_buffered.max(a.max_body);
    options.http.max_body = a.max_body;
    options.http.max_files = a.max_files.max(1);
    options.http.body_timeout = seconds("--body-timeout", a.body_timeout)?;
    options.header_timeout = seconds("--header-timeout", a.header_timeout)?;
    options.max_connections = a.max_connections.max(1);
    options.drain_timeout = seconds("--drain-timeout", a.drain_timeout)?;
    serve::check_security(&options).map_err(|e| e.to_string())?;
    init_logs(a.log_format);
    serve::run(options, verifier, |addr| {
        // The first line on stdout, for scripts and tests that start the server on port 0.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "provcheck serve: listening on http://{addr}");
        let _ = out.flush();
    })
    .map_err(|e| e.to_string())?;
    Ok(0)
}

fn init_logs(format: LogFormat) {
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
}
