//! `provcheck._provcheck`: the Python binding of the provcheck crate (PyO3, abi3 >= 3.9).
//!
//! Reports cross to Python as the exact JSON the CLI prints (`provcheck verify --json`), parsed
//! by Python's `json` module into dicts, so both say the same thing by construction. Every check
//! runs with the GIL released. Bad input gives an `error` report; only misuse (wrong argument
//! types, an unknown `expect` source, a bad option) raises.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use provcheck::{CallOptions, Input, Report, Verifier as RustVerifier, VerifierOptions};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMemoryView, PyString, PyTuple};

/// A panic inside a check (a bug in provcheck or the c2pa SDK) becomes a `provcheck.crashed`
/// report, as in `provcheck scan`, never a Python exception.
fn guarded(input: impl FnOnce() -> Input, check: impl FnOnce() -> Report) -> Report {
    match catch_unwind(AssertUnwindSafe(check)) {
        Ok(r) => r,
        Err(p) => {
            let text = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Report::crashed(input(), &text)
        }
    }
}

/// Test-only fault hook for the Ray crash test: with `PROVCHECK_PY_TEST_FAULT=abort:NEEDLE`
/// a check of a path or name containing NEEDLE aborts the whole process (as a c2pa bug that
/// overflows the stack would); with `hang:NEEDLE` it never finishes (as a parser caught in a
/// loop would). Compiled in only with the `test-hooks` feature, which scripts/test-python.sh
/// turns on for the wheel it tests and a release build does not.
#[cfg(feature = "test-hooks")]
fn test_fault(label: &str) {
    if let Ok(spec) = std::env::var("PROVCHECK_PY_TEST_FAULT") {
        let hit = |needle: &str| !needle.is_empty() && label.contains(needle);
        if spec.strip_prefix("abort:").is_some_and(hit) {
            std::process::abort();
        }
        if spec.strip_prefix("hang:").is_some_and(hit) {
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
}
#[cfg(not(feature = "test-hooks"))]
fn test_fault(_label: &str) {}

enum Item<'a> {
    Path(PathBuf),
    Bytes(Option<String>, Data<'a>),
}

/// Bytes to check: borrowed from an immutable `bytes` object (no copy), or copied from a
/// mutable buffer (bytearray, memoryview) so Python code cannot change them mid-check.
enum Data<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Data<'_> {
    fn as_slice(&self) -> &[u8] {
        match self {
            Data::Borrowed(b) => b,
            Data::Owned(v) => v,
        }
    }
}

fn data_of<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Option<Data<'a>>> {
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(Some(Data::Borrowed(b.as_bytes())));
    }
    if let Ok(b) = obj.downcast::<PyByteArray>() {
        return Ok(Some(Data::Owned(b.to_vec())));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(None);
    }
    if obj.is_instance_of::<PyMemoryView>() {
        let b = obj.call_method0("tobytes")?;
        let b = b.downcast::<PyBytes>()?;
        return Ok(Some(Data::Owned(b.as_bytes().to_vec())));
    }
    Ok(None)
}

fn path_of(obj: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    obj.extract::<PathBuf>().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected a path (str or os.PathLike), got {}",
            type_name(obj)
        ))
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Trust material arguments: None, one item or a list of items; each item a path (str /
/// os.PathLike, read now) or the content itself (bytes).
fn materials(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<Vec<u8>>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    if obj.is_none() {
        return Ok(Vec::new());
    }
    let items: Vec<Bound<'_, PyAny>> =
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            obj.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![obj.clone()]
        };
    let mut out = Vec::new();
    for it in items {
        if let Some(d) = data_of(&it)? {
            out.push(d.as_slice().to_vec());
        } else {
            let p = it.extract::<PathBuf>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{what}: expected a path, bytes or a list of them, got {}",
                    type_name(&it)
                ))
            })?;
            let bytes = std::fs::read(&p).map_err(|e| {
                PyValueError::new_err(format!("{what}: cannot read {}: {e}", p.display()))
            })?;
            out.push(bytes);
        }
    }
    Ok(out)
}

/// Python's `json.loads`, looked up once per interpreter.
static JSON_LOADS: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

/// A report's JSON text (`provcheck::render::json_line`, made off the GIL) as a dict.
fn to_dict(py: Python<'_>, json: String) -> PyResult<PyObject> {
    let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    Ok(loads.bind(py).call1((json,))?.unbind())
}

/// Verifies images for C2PA Content Credentials. Build one per worker process and reuse it:
/// it holds the parsed trust lists, the generator registry and the certificate-chain cache,
/// shared by every call and every thread.
///
/// Args:
///     trust_anchors: extra trust anchors (PEM); a path, bytes, or a list of them.
///     allowed_list: extra allowed end-entity certificates (PEM or base64 SHA-256 lines).
///     generators: generator registry additions / overrides (TOML, as data/generators.toml).
///     default_trust: use the bundled C2PA, C2PA TSA and interim trust lists.
///     max_file_size: files (or bytes) larger than this give a `provcheck.limit.size` report.
///     expect: the source every call expects unless it passes its own (as `--expect`).
///     sdk_trust: also run the c2pa SDK's own trust check (as `--sdk-trust`; off by default
///         for speed: the verdicts are the same, `agrees_with_c2pa` is then not meaningful).
///     at: judge certificate validity at this time (RFC 3339 text or an aware datetime)
///         instead of now when there is no trusted time-stamp.
///
/// Raises:
///     TypeError: an argument of the wrong type.
///     ValueError: unreadable trust material, a bad registry, an unknown `expect` source.
#[pyclass(frozen, module = "provcheck")]
struct Verifier {
    inner: Arc<RustVerifier>,
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (trust_anchors=None, allowed_list=None, generators=None, default_trust=true,
        max_file_size=None, expect=None, sdk_trust=false, at=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        trust_anchors: Option<&Bound<'_, PyAny>>,
        allowed_list: Option<&Bound<'_, PyAny>>,
        generators: Option<&Bound<'_, PyAny>>,
        default_trust: bool,
        max_file_size: Option<u64>,
        expect: Option<String>,
        sdk_trust: bool,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut opts = VerifierOptions::default();
        opts.default_trust = default_trust;
        opts.expect = expect;
        opts.sdk_trust = sdk_trust;
        opts.extra_anchors = materials(trust_anchors, "trust_anchors")?;
        opts.extra_allowed = materials(allowed_list, "allowed_list")?;
        for g in materials(generators, "generators")? {
            let text = String::from_utf8(g)
                .map_err(|_| PyValueError::new_err("generators: not UTF-8 TOML"))?;
            opts.generators.push(text);
        }
        if let Some(m) = max_file_size {
            if m == 0 {
                return Err(PyValueError::new_err("max_file_size must be at least 1"));
            }
            opts.max_file_size = m;
        }
        if let Some(at) = at.filter(|a| !a.is_none()) {
            let text: String = if at.is_instance_of::<PyString>() {
                at.extract()?
            } else if at.hasattr("isoformat")? {
                if at.getattr("tzinfo")?.is_none() {
                    return Err(PyValueError::new_err(
                        "at: a datetime needs a time zone (e.g. datetime.timezone.utc)",
                    ));
                }
                at.call_method0("isoformat")?.extract()?
            } else {
                return Err(PyTypeError::new_err(
                    "at: expected RFC 3339 text or a datetime",
                ));
            };
            let t = chrono::DateTime::parse_from_rfc3339(&text)
                .map_err(|e| PyValueError::new_err(format!("at {text:?}: {e}")))?;
            opts.at = Some(t.with_timezone(&chrono::Utc));
        }
        let inner = RustVerifier::new(opts).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Verifier {
            inner: Arc::new(inner),
        })
    }

    /// Check bytes in memory. `name` is reported as the path and its extension is a format
    /// hint; the file is never opened. Returns the report as a dict (the JSON of
    /// `provcheck verify --json`).
    #[pyo3(signature = (data, name=None, expect=None))]
    fn verify_bytes(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        name: Option<String>,
        expect: Option<String>,
    ) -> PyResult<PyObject> {
        let call = self.call(expect)?;
        let data = data_of(data)?.ok_or_else(|| {
            PyTypeError::new_err(format!(
                "data: expected bytes, bytearray or memoryview, got {}",
                type_name(data)
            ))
        })?;
        let v = &self.inner;
        let json = py.allow_threads(|| {
            provcheck::render::json_line(&check_bytes(v, data.as_slice(), name.as_deref(), &call))
        });
        to_dict(py, json)
    }

    /// Check a file on disk (read at most `max_file_size` bytes; a FIFO, device or folder is
    /// refused without blocking). Returns the report as a dict.
    #[pyo3(signature = (path, expect=None))]
    fn verify_path(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        expect: Option<String>,
    ) -> PyResult<PyObject> {
        let call = self.call(expect)?;
        let path = path_of(path)?;
        let v = &self.inner;
        let json = py.allow_threads(|| provcheck::render::json_line(&check_path(v, &path, &call)));
        to_dict(py, json)
    }

    /// Check many files at once on `threads` threads (default: one per core), the GIL
    /// released. Items are paths (str / os.PathLike), bytes, or `(name, bytes)` tuples.
    /// Returns the reports as a list of dicts, in the order of the items.
    #[pyo3(signature = (items, threads=None, expect=None))]
    fn verify_many(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
        expect: Option<String>,
    ) -> PyResult<Py<PyList>> {
        let call = self.call(expect)?;
        run_many(
            py,
            &self.inner,
            items,
            threads,
            &call,
            |r| provcheck::render::json_line(&r),
            to_dict,
        )
    }

    /// For `provcheck.ray`: check items as `verify_many` does and return one row per item,
    /// `(path, size, sha256, verdict, claimed_source, authenticated_source, signer,
    /// reason_codes, report_json)`, without building the report dicts (the Ray scan stores
    /// the report as JSON text and these columns). Not part of the documented API.
    #[pyo3(signature = (items, threads=None))]
    fn _scan_rows(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Py<PyList>> {
        let call = CallOptions::new();
        run_many(
            py,
            &self.inner,
            items,
            threads,
            &call,
            |r| row_of(&r),
            |py, row| Ok(row.into_pyobject(py)?.into_any().unbind()),
        )
    }

    /// The generator id an `expect` value names (raises ValueError for an unknown source).
    fn resolve_expect(&self, source: &str) -> PyResult<String> {
        self.inner
            .resolve_expect(source)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

impl Verifier {
    fn call(&self, expect: Option<String>) -> PyResult<CallOptions> {
        if let Some(e) = &expect {
            self.inner
                .resolve_expect(e)
                .map_err(|err| PyValueError::new_err(err.to_string()))?;
        }
        let mut call = CallOptions::new();
        call.expect = expect;
        Ok(call)
    }
}

/// The items argument of `verify_many`: an iterable (not one str or bytes), held so the
/// borrowed bytes stay alive while the GIL is released.
fn item_objects<'py>(items: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if items.is_instance_of::<PyString>() || items.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "items: expected an iterable of paths or bytes, not a single str or bytes",
        ));
    }
    items
        .try_iter()
        .map_err(|_| PyTypeError::new_err("items: expected an iterable"))?
        .collect::<PyResult<_>>()
}

/// Each item a path (str / os.PathLike), bytes, or a `(name, bytes)` tuple.
fn items_of<'a>(objs: &'a [Bound<'_, PyAny>]) -> PyResult<Vec<Item<'a>>> {
    let mut work: Vec<Item<'_>> = Vec::with_capacity(objs.len());
    for o in objs {
        if let Some(d) = data_of(o)? {
            work.push(Item::Bytes(None, d));
        } else if let Ok(t) = o.downcast::<PyTuple>() {
            if t.len() != 2 {
                return Err(PyTypeError::new_err("items: a tuple must be (name, bytes)"));
            }
            let name: Option<String> = t.get_item(0)?.extract()?;
            // The tuple's items outlive this call through `objs`.
            let data_obj = t.get_borrowed_item(1)?;
            let d = match data_obj.downcast::<PyBytes>() {
                Ok(b) => Data::Owned(b.as_bytes().to_vec()),
                Err(_) => match data_of(&data_obj)? {
                    Some(Data::Owned(v)) => Data::Owned(v),
                    _ => return Err(PyTypeError::new_err("items: a tuple must be (name, bytes)")),
                },
            };
            work.push(Item::Bytes(name, d));
        } else {
            work.push(Item::Path(path_of(o)?));
        }
    }
    Ok(work)
}

/// Check `items` (see [`items_of`]) with the GIL released on `threads` plain threads (None: one per core) that
/// each take the next item from one queue, so no thread idles while another has a queue of
/// its own left (rayon's halving did that at the end of a batch); on this thread alone for
/// one. Plain threads also keep the c2pa SDK's own rayon use (PDF) off any thread that waits.
///
/// Each report becomes a `T` (its JSON text, a row) through `map` on the thread that checked
/// it, off the GIL; `to_py` turns it into the list's item on this thread, with the GIL, as it
/// arrives, so building the Python objects overlaps the checks still running and no `Report`
/// outlives its check (keeping them all until the last one, then converting them on one core,
/// cost 16 MiB more peak RSS on 2,000 files: docs/performance-log.md, "Session 22"). A check
/// never panics (`guarded` makes a panic a report); a panic elsewhere reaches Python as
/// `PanicException` once every thread has stopped. The first error of `to_py` is returned
/// once every check is done.
fn run_many<T: Send>(
    py: Python<'_>,
    v: &RustVerifier,
    items: &Bound<'_, PyAny>,
    threads: Option<usize>,
    call: &CallOptions,
    map: impl Fn(Report) -> T + Sync,
    to_py: impl Fn(Python<'_>, T) -> PyResult<PyObject> + Sync,
) -> PyResult<Py<PyList>> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let objs = item_objects(items)?;
    let work = items_of(&objs)?;
    let work = work.as_slice();
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let one = |it: &Item<'_>| match it {
        Item::Path(p) => check_path(v, p, call),
        Item::Bytes(n, d) => check_bytes(v, d.as_slice(), n.as_deref(), call),
    };
    let n = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(work.len());
    if n <= 1 {
        let mut out: Vec<PyObject> = Vec::with_capacity(work.len());
        for item in work {
            let value = py.allow_threads(|| map(one(item)));
            out.push(to_py(py, value)?);
        }
        return Ok(PyList::new(py, out)?.unbind());
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<PyObject>> = work.iter().map(|_| None).collect();
    let mut first_error: Option<PyErr> = None;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
    py.allow_threads(|| {
        std::thread::scope(|s| {
            for _ in 0..n {
                let tx = tx.clone();
                let (next, one, map) = (&next, &one, &map);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = work.get(i) else { break };
                    if tx.send((i, map(one(item)))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (i, value) in rx {
                if first_error.is_none() {
                    match Python::with_gil(|py| to_py(py, value)) {
                        Ok(o) => slots[i] = Some(o),
                        Err(e) => first_error = Some(e),
                    }
                }
            }
        })
    });
    if let Some(e) = first_error {
        return Err(e);
    }
    // Every worker ran to the end of the queue (the scope re-raises a panic), so every slot
    // is filled; were one not, the call fails rather than return a shorter list.
    let out: Vec<PyObject> = slots
        .into_iter()
        .collect::<Option<_>>()
        .ok_or_else(|| PyRuntimeError::new_err("provcheck: an item was not checked (a bug)"))?;
    Ok(PyList::new(py, out)?.unbind())
}

/// One row of `provcheck.ray`'s table (see `_scan_rows`).
type Row = (
    Option<String>,
    u64,
    Option<String>,
    &'static str,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
    String,
);

fn row_of(r: &Report) -> Row {
    (
        r.input.path.clone(),
        r.input.size,
        r.input.sha256.clone(),
        r.verdict.as_str(),
        r.claimed_source.summary.clone(),
        r.authenticated_source
            .as_ref()
            .map(|a| a.organization.clone()),
        r.trust
            .as_ref()
            .and_then(|t| t.path.first())
            .map(|c| c.subject.clone()),
        r.reasons.iter().map(|x| x.code.clone()).collect(),
        provcheck::render::json_line(r),
    )
}

fn check_path(v: &RustVerifier, path: &Path, call: &CallOptions) -> Report {
    guarded(
        || Input::for_path(path),
        || {
            test_fault(&path.to_string_lossy());
            v.verify_path_with(path, call)
                .unwrap_or_else(|e| unreachable_config(Input::for_path(path), e))
        },
    )
}

fn check_bytes(v: &RustVerifier, data: &[u8], name: Option<&str>, call: &CallOptions) -> Report {
    let input = || Input::for_bytes(name, data.len() as u64);
    let mut call = call.clone();
    call.name = name.map(str::to_string);
    guarded(input, || {
        if let Some(n) = name {
            test_fault(n);
        }
        v.verify_bytes_with(data, &call)
            .unwrap_or_else(|e| unreachable_config(input(), e))
    })
}

/// `expect` is resolved before the GIL is released, so this is not reached; kept a report.
fn unreachable_config(input: Input, e: provcheck::ConfigError) -> Report {
    Report::error(input, "provcheck.usage", e.to_string())
}

/// The end-of-scan summary text of `provcheck scan` for reports given as JSON strings
/// (used by `provcheck.ray`). Records that do not parse are counted as errors.
#[pyfunction]
#[pyo3(signature = (reports, elapsed_seconds, jobs, skipped=std::collections::HashMap::new()))]
fn scan_summary(
    py: Python<'_>,
    reports: Vec<String>,
    elapsed_seconds: f64,
    jobs: usize,
    skipped: std::collections::HashMap<String, u64>,
) -> PyResult<String> {
    Ok(py.allow_threads(|| {
        let mut b = provcheck::scan::SummaryBuilder::new();
        for (reason, n) in &skipped {
            for _ in 0..*n {
                b.skipped(reason);
            }
        }
        for s in &reports {
            match serde_json::from_str::<Report>(s) {
                Ok(r) => b.add_from_json(r),
                Err(e) => b.add(&Report::error(
                    Input::default(),
                    provcheck::codes::CRASHED,
                    format!("unreadable record: {e}"),
                )),
            }
        }
        let s = b.finish(
            Duration::from_secs_f64(elapsed_seconds.max(0.0)),
            jobs,
            // checked in worker processes (provcheck.ray), so "N worker processes"
            true,
            false,
        );
        provcheck::render::summary::render(&s)
    }))
}

/// Would `provcheck scan` check a file of this name and these first bytes (its extension is a
/// known format, else its first 4096 bytes are)? Other files are passed over as `unsupported`.
#[pyfunction]
fn supported(name: &str, head: &[u8]) -> bool {
    provcheck::scan::is_supported(Path::new(name), head)
}

#[pymodule]
fn _provcheck(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Verifier>()?;
    m.add_function(wrap_pyfunction!(scan_summary, m)?)?;
    m.add_function(wrap_pyfunction!(supported, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("C2PA_SDK_VERSION", provcheck::C2PA_SDK_VERSION)?;
    m.add("TRUST_LIST_DATES", provcheck::TRUST_LIST_DATES)?;
    m.add("LONG_VERSION", provcheck::LONG_VERSION)?;
    m.add("SCHEMA_VERSION", provcheck::SCHEMA_VERSION)?;
    m.add(
        "DEFAULT_MAX_FILE_SIZE",
        VerifierOptions::default().max_file_size,
    )?;
    Ok(())
}
