//! The `Verifier`: built once (settings, trust material, registry, limits), shared by all threads,
//! turns a file into a `Report`.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::attribute::registry::{Registry, RegistryError};
use crate::read::{self, sniff, Format};
use crate::report::{Input, Report};
use crate::trust::{TrustEngine, TrustError, TrustSource, TrustStore};
use crate::{bundle, codes, evaluate};

/// Default cap on the size of one file (bytes). Larger files get an `error` verdict.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// How a `Verifier` is set up. Start from [`VerifierOptions::default`] (the bundled trust lists,
/// 512 MiB size cap) and set the fields you need; fields may be added in later versions.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct VerifierOptions {
    /// Use the bundled C2PA, C2PA TSA and interim trust lists.
    pub default_trust: bool,
    /// Extra trust anchors, PEM bundles (`--trust-anchors`).
    pub extra_anchors: Vec<Vec<u8>>,
    /// Extra allowed end-entity certificates: PEM or base64 SHA-256 lines (`--allowed-list`).
    pub extra_allowed: Vec<Vec<u8>>,
    /// Extra EKU configuration, store.cfg format (`--trust-config`).
    pub extra_trust_config: Vec<String>,
    /// Generator registry additions / overrides, TOML (`--generators`).
    pub generators: Vec<String>,
    /// The source the user expects (`--expect`): a generator id, organisation or product.
    pub expect: Option<String>,
    /// Files larger than this are refused with `provcheck.limit.size`.
    pub max_file_size: u64,
    /// Judge certificate validity at this time instead of now when there is no trusted time-stamp.
    pub at: Option<DateTime<Utc>>,
    /// Also run the c2pa SDK's own certificate-trust check, to report its `signingCredential.*`
    /// codes and whether it agrees with provcheck (`trust.agrees_with_c2pa`). provcheck's own
    /// chain evaluation decides either way; the SDK's check costs about half of a scan's time
    /// (it re-verifies every chain for every file), so it is off unless asked for (`--sdk-trust`);
    /// with it on, every file goes through the SDK's `Reader` (the own path does not run it).
    #[serde(default)]
    pub sdk_trust: bool,
    /// Also make the HTML page's thumbnails (`Input::thumbnails`) while the file is in memory,
    /// so the page never reads a file a second time.
    #[serde(default)]
    pub thumbnails: bool,
    /// Extra known intermediate CA certificates (PEM bundles) that complete chains whose files
    /// leave them out; they end no path and make nothing trusted by themselves. provcheck's
    /// own bundle (data/generator-cas.pem) is always loaded.
    #[serde(default)]
    pub extra_intermediates: Vec<Vec<u8>>,
    /// Judge the files provcheck's own validation path covers without the c2pa SDK's `Reader`
    /// (JPEG/PNG with a v1 or v2 claim and a data hash today; see `read::fast`). Off: the SDK judges
    /// every file. The own path never runs with `sdk_trust` (it does not run the SDK's trust
    /// check).
    #[serde(default = "yes")]
    pub own_path: bool,
    /// Run both paths on every file the own path covers; the SDK's result is reported, and a
    /// difference is a reason (`provcheck.crossCheck.differs`).
    #[serde(default)]
    pub cross_check: bool,
    /// Use a second thread within one file: hash a large file for `input.sha256` while it is
    /// validated (the validation hashes it again for its own binding), and verify the
    /// signatures of a store's many ingredient manifests on two threads. Lower latency for one
    /// file at a time; off where many files already keep every core busy (scan, `verify_many`).
    #[serde(default)]
    pub parallel_hash: bool,
}

fn yes() -> bool {
    true
}

impl Default for VerifierOptions {
    fn default() -> Self {
        VerifierOptions {
            default_trust: true,
            extra_anchors: Vec::new(),
            extra_allowed: Vec::new(),
            extra_trust_config: Vec::new(),
            generators: Vec::new(),
            expect: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            at: None,
            sdk_trust: false,
            thumbnails: false,
            extra_intermediates: Vec::new(),
            own_path: true,
            cross_check: false,
            parallel_hash: false,
        }
    }
}

/// Why a `Verifier` could not be built, or a call's options refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("trust material: {0}")]
    Trust(#[from] TrustError),
    #[error("generator registry: {0}")]
    Registry(#[from] RegistryError),
    #[error("--expect {0:?} names no known generator (see `provcheck trust list`)")]
    UnknownExpect(String),
    #[error("c2pa settings: {0}")]
    C2pa(String),
}

/// Per-call options for [`Verifier::verify_path_with`] and [`Verifier::verify_bytes_with`]: what
/// would otherwise need another `Verifier` (a service passes one per request). Unset fields fall
/// back to the verifier's own settings.
///
/// ```
/// let call = provcheck::CallOptions::new()
///     .expect("adobe firefly")
///     .name("upload.png")
///     .at("2025-01-01T00:00:00Z".parse().unwrap());
/// assert_eq!(call.name.as_deref(), Some("upload.png"));
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// The source this call expects (like `--expect`: a generator id, organisation or product),
    /// instead of the verifier's own.
    pub expect: Option<String>,
    /// A file name for bytes without a path: reported as `input.path`, and its extension is the
    /// format hint (`input.extension_format` when the content says otherwise). For
    /// [`Verifier::verify_path_with`] it replaces the path's own extension as the hint (a file
    /// stored under a content hash) while the report keeps the real path.
    pub name: Option<String>,
    /// Judge certificate validity at this time instead of the verifier's (`--at`, else now)
    /// when the file has no trusted time-stamp. Reported as `trust.evaluated_at` with origin
    /// `fixed`.
    pub at: Option<DateTime<Utc>>,
}

impl CallOptions {
    /// No per-call changes: the verifier's own settings.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// Expect this source for this call.
    pub fn expect(mut self, source: impl Into<String>) -> CallOptions {
        self.expect = Some(source.into());
        self
    }

    /// Name the input (bytes) or give a format hint (path).
    pub fn name(mut self, name: impl Into<String>) -> CallOptions {
        self.name = Some(name.into());
        self
    }

    /// Judge certificate validity at this time.
    pub fn at(mut self, at: DateTime<Utc>) -> CallOptions {
        self.at = Some(at);
        self
    }
}

/// A call's settings once resolved against the verifier's.
struct Call<'a> {
    expect: Option<String>,
    name: Option<&'a str>,
    at: Option<DateTime<Utc>>,
}

/// Shared, immutable after construction; `Send + Sync`.
pub struct Verifier {
    /// The c2pa contexts, built on the first file that reaches the SDK (a run that never does,
    /// e.g. `trust list` or only unsupported files, never builds them).
    pub(crate) contexts: std::sync::OnceLock<read::Contexts>,
    /// provcheck's own validation path (`None`: the SDK judges every file).
    pub(crate) fast: Option<read::fast::FastPath>,
    pub(crate) claim_trust: TrustEngine,
    pub(crate) tsa_trust: TrustEngine,
    pub(crate) registry: Registry,
    pub(crate) expect: Option<String>,
    pub(crate) options: VerifierOptions,
}

/// The largest read buffer a thread keeps between files; a larger file's is freed after it.
const KEPT_READ_BUFFER: usize = 32 << 20;

thread_local! {
    /// The buffer [`Verifier::verify_path`] reads a file into, kept between the calls of one
    /// thread: a scan then reads every file into the same memory instead of allocating, faulting
    /// in and freeing a file-sized buffer per file.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Give the read buffer back to this thread for its next file (unless it grew past
/// [`KEPT_READ_BUFFER`]).
fn keep_read_buffer(mut bytes: Vec<u8>) {
    if bytes.capacity() <= KEPT_READ_BUFFER {
        bytes.clear();
        READ_BUFFER.set(bytes);
    }
}

impl Verifier {
    pub fn new(options: VerifierOptions) -> Result<Verifier, ConfigError> {
        // the generator registry (JSON) and the three bundled trust lists; the lists are only
        // indexed (each anchor's hash and subject) and an anchor is parsed in full when a chain
        // first reaches it (`trust::lazy`), the interim list's once for both stores. All of it
        // is well under a millisecond: on one thread, since starting a thread pool for it
        // cost a one-file `verify` more than it saved.
        let index = |der| crate::trust::store::index_anchors(bundle::der_blocks(der));
        let mut registry = Registry::bundled();
        for extra in &options.generators {
            registry.extend(Registry::from_toml(extra)?);
        }
        let expect = match &options.expect {
            Some(e) => Some(
                registry
                    .resolve(e)
                    .map(|g| g.id.clone())
                    .ok_or_else(|| ConfigError::UnknownExpect(e.clone()))?,
            ),
            None => None,
        };

        let mut claim = TrustStore::new();
        let mut tsa = TrustStore::new();
        if options.default_trust {
            let interim = index(bundle::INTERIM_ANCHORS_DER)?;
            claim.add_anchors(
                index(bundle::C2PA_TRUST_LIST_DER)?,
                TrustSource::C2paTrustList,
            );
            claim.add_anchors(interim.clone(), TrustSource::InterimAnchors);
            // The same list as SHA-256 lines: no certificate to parse at start (parsing the 86
            // PEM certificates was ~10 % of a single `verify`); the test
            // `bundled_allow_list_hashes_are_the_pem_list` keeps the two files equal.
            claim.add_allowed(
                bundle::INTERIM_ALLOWED_HASHES.as_bytes(),
                TrustSource::InterimAllowed,
            )?;
            claim.add_eku_config(bundle::INTERIM_STORE_CFG)?;
            tsa.add_anchors(
                index(bundle::C2PA_TSA_TRUST_LIST_DER)?,
                TrustSource::C2paTsaTrustList,
            );
            // The interim list carries the TSA CAs that 2023-25 generator output uses (DigiCert,
            // Truepic); the official TSA list does not.
            tsa.add_anchors(interim, TrustSource::InterimAnchors);
        }
        for pem in &options.extra_anchors {
            claim.add_anchors_pem(pem, TrustSource::UserAnchors)?;
            tsa.add_anchors_pem(pem, TrustSource::UserAnchors)?;
        }
        for allowed in &options.extra_allowed {
            claim.add_allowed(allowed, TrustSource::UserAllowed)?;
        }
        for cfg in &options.extra_trust_config {
            claim.add_eku_config(cfg)?;
        }
        for (g, pin) in registry.pins() {
            claim.add_pin(pin.spki_sha256, &pin.subject, &g.id);
        }
        // Known intermediates complete claim-signing chains only: time-stamp chains keep to
        // what the TSA presents and the TSA lists.
        claim.add_known_intermediates_pem(bundle::GENERATOR_CAS, true)?;
        for pem in &options.extra_intermediates {
            claim.add_known_intermediates_pem(pem, false)?;
        }

        // The own validation path needs no SDK context; the SDK's are built on the first file
        // that reaches the SDK. With user trust material they are built now, so a bad file is a
        // usage error at start; the bundled-only settings cannot fail (test
        // `lazy_contexts_build`).
        let fast = if options.own_path || options.cross_check {
            read::fast::FastPath::new(options.sdk_trust)
        } else {
            None
        };
        let contexts = std::sync::OnceLock::new();
        if !(options.extra_anchors.is_empty()
            && options.extra_allowed.is_empty()
            && options.extra_trust_config.is_empty())
        {
            let _ = contexts.set(build_contexts(&options)?);
        }
        Ok(Verifier {
            contexts,
            fast,
            claim_trust: TrustEngine::new(claim),
            tsa_trust: TrustEngine::new(tsa),
            registry,
            expect,
            options,
        })
    }

    /// The generators this verifier knows (the bundled registry and `generators` additions).
    pub fn generators(&self) -> &[crate::Generator] {
        self.registry.generators()
    }

    /// The ids of the known generators a free text names (a claim generator string, a product
    /// name), by the same matching that reads claims in files.
    pub fn generators_named(&self, text: &str) -> Vec<String> {
        self.registry
            .match_claim(text)
            .into_iter()
            .map(|m| m.generator)
            .collect()
    }

    /// The claim-signing trust anchors and allowed end-entity certificates in use.
    pub fn claim_signing_anchors(&self) -> impl Iterator<Item = &crate::AnchorInfo> {
        self.claim_trust.store().anchors()
    }

    /// The time-stamping authority anchors in use.
    pub fn time_stamping_anchors(&self) -> impl Iterator<Item = &crate::AnchorInfo> {
        self.tsa_trust.store().anchors()
    }

    /// The generator pins (CA keys the registry ties to a generator).
    pub fn generator_pins(&self) -> impl Iterator<Item = &crate::PinInfo> {
        self.claim_trust.store().pins()
    }

    /// How many claim-signing chains were evaluated from scratch so far: a chain seen before is
    /// answered from the verifier's cache (only its validity time is judged again), so this grows
    /// with distinct signers, not with files.
    pub fn chain_evaluations(&self) -> u64 {
        self.claim_trust.evaluations_performed()
    }

    /// The options this verifier was built with.
    pub fn options(&self) -> &VerifierOptions {
        &self.options
    }

    /// Verify a file on disk. Never panics on bad input; every problem becomes a report.
    /// The file is read through a guarded read: a FIFO, device or folder is refused without
    /// blocking, a file over the size cap without being read.
    pub fn verify_path(&self, path: &Path) -> Report {
        self.verify_path_call(path, &self.default_call())
    }

    /// [`Verifier::verify_path`] with per-call options. Fails only when `call.expect` names no
    /// known generator.
    pub fn verify_path_with(&self, path: &Path, call: &CallOptions) -> Result<Report, ConfigError> {
        Ok(self.verify_path_call(path, &self.resolve_call(call)?))
    }

    fn verify_path_call(&self, path: &Path, call: &Call<'_>) -> Report {
        let hint = match call.name {
            Some(n) => Path::new(n).extension(),
            None => path.extension(),
        };
        let ext_format = hint.map(|e| sniff::format_from_extension(&e.to_string_lossy()));
        let mut input = Input::for_path(path);
        let mut bytes = READ_BUFFER.take();
        let metadata =
            match read::file::read_capped_into(path, self.options.max_file_size, &mut bytes) {
                Ok(m) => m,
                Err(e) => {
                    keep_read_buffer(bytes);
                    // `stat` never blocks: it fills size and time for the record (and --resume).
                    if let Ok(m) = std::fs::metadata(path) {
                        input.size = m.len();
                        input.modified = m.modified().ok().map(rfc3339_nanos);
                    }
                    let code = match e {
                        read::file::ReadError::TooLarge { size, .. } => {
                            input.size = size.max(input.size);
                            codes::LIMIT_SIZE
                        }
                        _ => codes::IO_ERROR,
                    };
                    return Report::error(input, code, e.to_string());
                }
            };
        input.modified = metadata.modified().ok().map(rfc3339_nanos);
        let report = self.verify_data(&bytes, input, ext_format, call);
        keep_read_buffer(bytes);
        report
    }

    /// Verify bytes already in memory. `name` is reported as the path and its extension is a
    /// format hint.
    pub fn verify_bytes(&self, data: &[u8], name: Option<&str>) -> Report {
        let mut call = self.default_call();
        call.name = name;
        self.verify_bytes_call(data, &call)
    }

    /// [`Verifier::verify_bytes`] with per-call options (`call.name` names the bytes). Fails
    /// only when `call.expect` names no known generator.
    pub fn verify_bytes_with(
        &self,
        data: &[u8],
        call: &CallOptions,
    ) -> Result<Report, ConfigError> {
        Ok(self.verify_bytes_call(data, &self.resolve_call(call)?))
    }

    fn verify_bytes_call(&self, data: &[u8], call: &Call<'_>) -> Report {
        let ext_format = call
            .name
            .and_then(|n| Path::new(n).extension())
            .map(|e| sniff::format_from_extension(&e.to_string_lossy()));
        let input = Input::for_bytes(call.name, data.len() as u64);
        if data.len() as u64 > self.options.max_file_size {
            return Report::error(input, codes::LIMIT_SIZE, self.size_text(data.len() as u64));
        }
        self.verify_data(data, input, ext_format, call)
    }

    /// The verifier's own settings as a call.
    fn default_call(&self) -> Call<'_> {
        Call {
            expect: self.expect.clone(),
            name: None,
            at: None,
        }
    }

    /// A call's options over the verifier's own: `expect` resolved to a generator id.
    fn resolve_call<'a>(&self, call: &'a CallOptions) -> Result<Call<'a>, ConfigError> {
        let expect = match &call.expect {
            Some(e) => Some(self.resolve_expect(e)?),
            None => self.expect.clone(),
        };
        Ok(Call {
            expect,
            name: call.name.as_deref(),
            at: call.at,
        })
    }

    /// The generator id an expected source (`--expect`, [`CallOptions::expect`]) names.
    pub fn resolve_expect(&self, source: &str) -> Result<String, ConfigError> {
        self.registry
            .resolve(source)
            .map(|g| g.id.clone())
            .ok_or_else(|| ConfigError::UnknownExpect(source.to_string()))
    }

    /// Verify from any reader (read fully, up to the size cap).
    pub fn verify_reader(&self, reader: impl Read, name: Option<&str>) -> Report {
        let mut data = Vec::new();
        let cap = self.options.max_file_size;
        match reader.take(cap.saturating_add(1)).read_to_end(&mut data) {
            Ok(_) => self.verify_bytes(&data, name),
            Err(e) => Report::error(Input::for_bytes(name, 0), codes::IO_ERROR, io_text(&e)),
        }
    }

    fn size_text(&self, size: u64) -> String {
        format!(
            "file is {size} bytes, over the limit of {} bytes (--max-file-size)",
            self.options.max_file_size
        )
    }

    fn verify_data(
        &self,
        data: &[u8],
        mut input: Input,
        ext_format: Option<Format>,
        call: &Call<'_>,
    ) -> Report {
        /// Below this, a thread costs more than the hash it would overlap.
        const PARALLEL_HASH_FROM: usize = 256 * 1024;
        let sha256 = || hex::encode(ring::digest::digest(&ring::digest::SHA256, data));
        input.size = data.len() as u64;
        if self.options.parallel_hash && data.len() >= PARALLEL_HASH_FROM {
            return std::thread::scope(|s| {
                let hash = s.spawn(sha256);
                let mut report = self.verify_hashed_or_crashed(data, input, ext_format, call);
                // a panic in ring's digest is not expected; hash here again if it happens
                report.input.sha256 = Some(hash.join().unwrap_or_else(|_| sha256()));
                report
            });
        }
        input.sha256 = Some(sha256());
        self.verify_hashed_or_crashed(data, input, ext_format, call)
    }

    /// [`Self::verify_hashed`], with a panic on the way (the c2pa SDK panics on some crafted
    /// stores: 0.90.22 slices an assertion label at byte 1 whatever its first character) turned
    /// into this file's `error` report (`provcheck.crashed`), so every entry point (`verify` of
    /// many files, the library, the Python binding, `serve`, `scan --in-process`) loses that
    /// file and nothing else. The verifier holds no state a check leaves half-changed (its
    /// caches are filled only with finished results).
    fn verify_hashed_or_crashed(
        &self,
        data: &[u8],
        input: Input,
        ext_format: Option<Format>,
        call: &Call<'_>,
    ) -> Report {
        let kept = input.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.verify_hashed(data, input, ext_format, call)
        }))
        .unwrap_or_else(|p| {
            let mut input = kept;
            input.format = sniff::sniff_full(data).name().into();
            Report::error(
                input,
                codes::CRASHED,
                crate::report::crashed_text(&crate::report::panic_text(p.as_ref())),
            )
        })
    }

    /// [`Self::verify_data`] after `input.sha256` is taken care of (nothing here reads it).
    fn verify_hashed(
        &self,
        data: &[u8],
        mut input: Input,
        ext_format: Option<Format>,
        call: &Call<'_>,
    ) -> Report {
        let sniffed = sniff::sniff_full(data);
        input.format = sniffed.name().into();
        if let Some(ext) = ext_format {
            if ext != sniffed && !(ext == Format::Tiff && sniffed == Format::Dng) {
                input.extension_format = Some(ext.name().into());
            }
        }
        if data.is_empty() {
            return Report::error(input, codes::ASSET_EMPTY, "the file is empty");
        }
        if let (Format::Unknown, Some(ext)) = (sniffed, ext_format) {
            if ext != Format::Unknown {
                return Report::error(
                    input,
                    codes::FORMAT_CONTENT_MISMATCH,
                    format!(
                        "the name says {} but the content is not a {} file (nor any supported format)",
                        ext.name(),
                        ext.name()
                    ),
                );
            }
        }
        let format = sniffed;
        if format == Format::Unknown {
            return Report::error(
                input,
                codes::FORMAT_UNSUPPORTED,
                format!(
                    "the content is not a format provcheck can check ({})",
                    sniff::SUPPORTED_IN_WORDS
                ),
            );
        }
        let metadata = read::metadata::extract(data, format);
        let sdk = || {
            self.contexts
                .get_or_init(|| match build_contexts(&self.options) {
                    Ok(c) => c,
                    // Only bundled settings get here (see `Verifier::new`); a unit test builds
                    // them.
                    Err(e) => panic!("c2pa settings from the bundled trust material: {e}"),
                })
        };
        let paths = read::Paths {
            fast: self.fast.as_ref(),
            cross_check: self.options.cross_check,
            sdk: &sdk,
            parallel: self.options.parallel_hash,
        };
        let outcome = read::read_manifest(data, format, &paths);
        if self.options.thumbnails {
            let claim_thumbnail = match &outcome {
                read::ReadOutcome::Manifest(f) => f
                    .raw
                    .get(&f.active)
                    .and_then(|m| m.claim_thumbnail.as_deref()),
                _ => None,
            };
            input.thumbnails = Some(Box::new(crate::render::thumbs::Thumbnails::of(
                data,
                claim_thumbnail,
            )));
        }
        let policy = evaluate::Policy {
            registry: &self.registry,
            claim_trust: &self.claim_trust,
            tsa_trust: &self.tsa_trust,
            now: self.now(call.at),
            sdk_trust: self.options.sdk_trust,
        };
        evaluate::build_report(&policy, input, outcome, metadata, call.expect.as_deref())
    }

    /// The time used for certificate validity when there is no trusted time-stamp: the call's,
    /// else the verifier's, else now.
    fn now(&self, call_at: Option<DateTime<Utc>>) -> (DateTime<Utc>, crate::report::TimeOrigin) {
        match call_at.or(self.options.at) {
            Some(t) => (t, crate::report::TimeOrigin::Fixed),
            None => (Utc::now(), crate::report::TimeOrigin::Now),
        }
    }
}

/// The two c2pa contexts of [`read::Contexts`] for these options.
fn build_contexts(options: &VerifierOptions) -> Result<read::Contexts, ConfigError> {
    let context = |identity: bool| -> Result<Arc<c2pa::Context>, ConfigError> {
        let mut settings = c2pa_settings(options);
        settings["core"]["decode_identity_assertions"] = identity.into();
        Ok(c2pa::Context::new()
            .with_settings(settings.to_string().as_str())
            .map_err(|e| ConfigError::C2pa(e.to_string()))?
            .into_shared())
    };
    Ok(read::Contexts {
        full: context(true)?,
        without_identity: context(false)?,
    })
}

/// A file time as RFC 3339 UTC with nanoseconds (what `scan --resume` compares).
pub fn rfc3339_nanos(t: std::time::SystemTime) -> String {
    DateTime::<Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

fn io_text(e: &std::io::Error) -> String {
    format!("could not read the file: {e}")
}

/// The c2pa settings: no network, the bundled claim anchors (so the SDK's own
/// `signingCredential.*` codes are meaningful and can be compared with provcheck's), the allow-list
/// as hashes (cheap to re-parse: c2pa rebuilds its trust policy for every file).
fn c2pa_settings(options: &VerifierOptions) -> serde_json::Value {
    let mut anchors = String::new();
    let mut allowed = String::new();
    let mut config = String::new();
    // the trust material goes to the SDK only for its own trust check (the lists' PEM text is
    // not even assembled without it: that was 3 % of a one-file `verify`)
    if options.sdk_trust {
        if options.default_trust {
            anchors.push_str(&String::from_utf8_lossy(bundle::C2PA_TRUST_LIST));
            anchors.push_str(&String::from_utf8_lossy(bundle::INTERIM_ANCHORS));
            anchors.push_str(&String::from_utf8_lossy(bundle::C2PA_TSA_TRUST_LIST));
            allowed.push_str(bundle::INTERIM_ALLOWED_HASHES);
            config.push_str(bundle::INTERIM_STORE_CFG);
        }
        for a in &options.extra_anchors {
            anchors.push('\n');
            anchors.push_str(&String::from_utf8_lossy(a));
        }
        for a in &options.extra_allowed {
            allowed.push('\n');
            allowed.push_str(&String::from_utf8_lossy(a));
        }
        for c in &options.extra_trust_config {
            config.push('\n');
            config.push_str(c);
        }
    }
    let mut trust = serde_json::Map::new();
    if !anchors.trim().is_empty() {
        trust.insert("trust_anchors".into(), anchors.into());
    }
    if !allowed.trim().is_empty() {
        trust.insert("allowed_list".into(), allowed.into());
    }
    if !config.trim().is_empty() {
        trust.insert("trust_config".into(), config.into());
    }
    serde_json::json!({
        "verify": {
            "verify_after_reading": true,
            "remote_manifest_fetch": false,
            "ocsp_fetch": false,
            "verify_trust": options.sdk_trust,
            "verify_timestamp_trust": options.sdk_trust,
        },
        "core": { "decode_identity_assertions": true },
        "trust": trust,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_allow_list_hashes_are_the_pem_list() {
        let mut from_pem = TrustStore::new();
        let n_pem = from_pem
            .add_allowed(bundle::INTERIM_ALLOWED_PEM, TrustSource::InterimAllowed)
            .unwrap();
        let mut from_hashes = TrustStore::new();
        from_hashes
            .add_allowed(
                bundle::INTERIM_ALLOWED_HASHES.as_bytes(),
                TrustSource::InterimAllowed,
            )
            .unwrap();
        assert!(n_pem >= 80, "{n_pem}");
        assert_eq!(from_pem.allowed_count(), from_hashes.allowed_count());
        // Every PEM certificate's DER hash is allow-listed by the hashes file, and vice versa
        // (equal counts of distinct hashes).
        let blocks = split_pem(bundle::INTERIM_ALLOWED_PEM);
        assert_eq!(blocks.len(), n_pem);
        for (i, pem) in blocks.iter().enumerate() {
            let der = base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                pem.lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>(),
            )
            .unwrap();
            let h: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, &der)
                .as_ref()
                .try_into()
                .unwrap();
            assert!(from_hashes.allowed_source(&h).is_some(), "PEM block {i}");
            assert!(from_pem.allowed_source(&h).is_some(), "PEM block {i}");
        }
        // A Verifier built with the default options allow-lists the same set.
        let v = Verifier::new(VerifierOptions::default()).unwrap();
        assert_eq!(v.claim_trust.store().allowed_count(), n_pem);
    }

    #[test]
    fn lazy_contexts_build() {
        for sdk_trust in [true, false] {
            for default_trust in [true, false] {
                let o = VerifierOptions {
                    sdk_trust,
                    default_trust,
                    ..Default::default()
                };
                assert!(build_contexts(&o).is_ok(), "{sdk_trust} {default_trust}");
                let v = Verifier::new(o).unwrap();
                assert!(v.contexts.get().is_none());
                let sample = std::fs::read(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/samples/bing_creator_cloud_surfing_puppy.jpg"
                ))
                .unwrap();
                // the own path judges the intact sample without the SDK (unless sdk_trust)
                let r = v.verify_bytes(&sample, Some("sample.jpg"));
                assert_eq!(v.contexts.get().is_some(), sdk_trust);
                assert_ne!(r.verdict, crate::Verdict::Error);
                // a letter changed in the actions assertion: its hash no longer matches the
                // claim's reference, which the own path declines, and the SDK judges
                let mut changed = sample;
                let key = b"c2pa.created";
                let at = changed
                    .windows(key.len())
                    .position(|w| w == key)
                    .expect("the actions assertion's action");
                changed[at + 5] ^= 0x20;
                let r = v.verify_bytes(&changed, Some("sample.jpg"));
                assert!(v.contexts.get().is_some());
                assert_eq!(r.verdict, crate::Verdict::Tampered);
            }
        }
        // User trust material: built (and checked) at once.
        let o = VerifierOptions {
            extra_anchors: vec![bundle::INTERIM_ANCHORS.to_vec()],
            ..Default::default()
        };
        assert!(Verifier::new(o).unwrap().contexts.get().is_some());
    }

    fn split_pem(pem: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(pem);
        let mut out = Vec::new();
        let mut cur: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("-----BEGIN CERTIFICATE") {
                cur = Some(String::new());
            }
            if let Some(c) = cur.as_mut() {
                c.push_str(line);
                c.push('\n');
            }
            if line.starts_with("-----END CERTIFICATE") {
                out.extend(cur.take());
            }
        }
        out
    }
}
