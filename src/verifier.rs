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
use crate::{bundle, evaluate};

/// Default cap on the size of one file (bytes). Larger files get an `error` verdict.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// How a `Verifier` is set up.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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
    /// (it re-verifies every chain for every file), so `scan` turns it off unless `--sdk-trust`.
    #[serde(default = "yes")]
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
            sdk_trust: true,
            thumbnails: false,
            extra_intermediates: Vec::new(),
        }
    }
}

/// Why a `Verifier` could not be built.
#[derive(Debug, thiserror::Error)]
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

/// Per-call options for [`Verifier::verify_bytes_with`] (a service passes one per request).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// The source this call expects (like `--expect`), instead of the verifier's own.
    pub expect: Option<String>,
}

/// Shared, immutable after construction; `Send + Sync`.
pub struct Verifier {
    /// The c2pa contexts, built on the first file that reaches the SDK (a run that never does,
    /// e.g. `trust list` or only unsupported files, never builds them).
    pub(crate) contexts: std::sync::OnceLock<read::Contexts>,
    pub(crate) claim_trust: TrustEngine,
    pub(crate) tsa_trust: TrustEngine,
    pub(crate) registry: Registry,
    pub(crate) expect: Option<String>,
    pub(crate) options: VerifierOptions,
}

impl Verifier {
    pub fn new(options: VerifierOptions) -> Result<Verifier, ConfigError> {
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
            claim.add_anchors_pem(bundle::C2PA_TRUST_LIST, TrustSource::C2paTrustList)?;
            claim.add_anchors_pem(bundle::INTERIM_ANCHORS, TrustSource::InterimAnchors)?;
            // The same list as SHA-256 lines: no certificate to parse at start (parsing the 86
            // PEM certificates was ~10 % of a single `verify`); the test
            // `bundled_allow_list_hashes_are_the_pem_list` keeps the two files equal.
            claim.add_allowed(
                bundle::INTERIM_ALLOWED_HASHES.as_bytes(),
                TrustSource::InterimAllowed,
            )?;
            claim.add_eku_config(bundle::INTERIM_STORE_CFG)?;
            tsa.add_anchors_pem(bundle::C2PA_TSA_TRUST_LIST, TrustSource::C2paTsaTrustList)?;
            // The interim list carries the TSA CAs that 2023-25 generator output uses (DigiCert,
            // Truepic); the official TSA list does not.
            tsa.add_anchors_pem(bundle::INTERIM_ANCHORS, TrustSource::InterimAnchors)?;
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

        // With user trust material the settings are built now, so a bad file is a usage error
        // at start; the bundled-only settings cannot fail (test `lazy_contexts_build`).
        let contexts = std::sync::OnceLock::new();
        if !(options.extra_anchors.is_empty()
            && options.extra_allowed.is_empty()
            && options.extra_trust_config.is_empty())
        {
            let _ = contexts.set(build_contexts(&options)?);
        }
        Ok(Verifier {
            contexts,
            claim_trust: TrustEngine::new(claim),
            tsa_trust: TrustEngine::new(tsa),
            registry,
            expect,
            options,
        })
    }

    /// The generator registry in use.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The claim-signing trust engine (anchors, allowed list, pins, cache).
    pub fn claim_trust(&self) -> &TrustEngine {
        &self.claim_trust
    }

    /// The time-stamping trust engine.
    pub fn tsa_trust(&self) -> &TrustEngine {
        &self.tsa_trust
    }

    /// Verify a file on disk. Never panics on bad input; every problem becomes a report.
    /// The file is read through [`read::file::read_capped`]: a FIFO, device or folder is refused
    /// without blocking, a file over the size cap without being read.
    pub fn verify_path(&self, path: &Path) -> Report {
        self.verify_path_expecting(path, self.expect.as_deref())
    }

    /// [`Verifier::verify_path`] with per-call options. Fails only when `call.expect` names no
    /// known generator.
    pub fn verify_path_with(&self, path: &Path, call: &CallOptions) -> Result<Report, ConfigError> {
        let expect = match &call.expect {
            Some(e) => Some(self.resolve_expect(e)?),
            None => self.expect.clone(),
        };
        Ok(self.verify_path_expecting(path, expect.as_deref()))
    }

    fn verify_path_expecting(&self, path: &Path, expect: Option<&str>) -> Report {
        let ext_format = path
            .extension()
            .map(|e| sniff::format_from_extension(&e.to_string_lossy()));
        let mut input = input_for_path(path);
        let file = match read::file::read_capped(path, self.options.max_file_size) {
            Ok(f) => f,
            Err(e) => {
                // `stat` never blocks: it fills size and time for the record (and --resume).
                if let Ok(m) = std::fs::metadata(path) {
                    input.size = m.len();
                    input.modified = m.modified().ok().map(rfc3339_nanos);
                }
                let code = match e {
                    read::file::ReadError::TooLarge { size, .. } => {
                        input.size = size.max(input.size);
                        "provcheck.limit.size"
                    }
                    _ => "provcheck.io.error",
                };
                return Report::error(input, code, e.to_string());
            }
        };
        input.modified = file.metadata.modified().ok().map(rfc3339_nanos);
        self.verify_data(&file.bytes, input, ext_format, expect)
    }

    /// Verify bytes already in memory. `name` is reported as the path and its extension is a
    /// format hint.
    pub fn verify_bytes(&self, data: &[u8], name: Option<&str>) -> Report {
        self.verify_bytes_expecting(data, name, self.expect.as_deref())
    }

    fn verify_bytes_expecting(
        &self,
        data: &[u8],
        name: Option<&str>,
        expect: Option<&str>,
    ) -> Report {
        let ext_format = name
            .and_then(|n| Path::new(n).extension())
            .map(|e| sniff::format_from_extension(&e.to_string_lossy()));
        let input = Input {
            path: name.map(str::to_string),
            size: data.len() as u64,
            format: Format::Unknown.name().into(),
            ..Default::default()
        };
        if data.len() as u64 > self.options.max_file_size {
            return Report::error(
                input,
                "provcheck.limit.size",
                self.size_text(data.len() as u64),
            );
        }
        self.verify_data(data, input, ext_format, expect)
    }

    /// [`Verifier::verify_bytes`] with per-call options. Fails only when `call.expect` names no
    /// known generator.
    pub fn verify_bytes_with(
        &self,
        data: &[u8],
        name: Option<&str>,
        call: &CallOptions,
    ) -> Result<Report, ConfigError> {
        let expect = match &call.expect {
            Some(e) => Some(self.resolve_expect(e)?),
            None => self.expect.clone(),
        };
        Ok(self.verify_bytes_expecting(data, name, expect.as_deref()))
    }

    /// The generator id an `--expect` value names.
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
            Err(e) => Report::error(
                Input {
                    path: name.map(str::to_string),
                    format: Format::Unknown.name().into(),
                    ..Default::default()
                },
                "provcheck.io.error",
                io_text(&e),
            ),
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
        expect: Option<&str>,
    ) -> Report {
        input.size = data.len() as u64;
        input.sha256 = Some(hex::encode(ring::digest::digest(
            &ring::digest::SHA256,
            data,
        )));
        let sniffed = sniff::sniff_full(data);
        input.format = sniffed.name().into();
        if let Some(ext) = ext_format {
            if ext != sniffed && !(ext == Format::Tiff && sniffed == Format::Dng) {
                input.extension_format = Some(ext.name().into());
            }
        }
        if data.is_empty() {
            return Report::error(input, "provcheck.asset.empty", "the file is empty");
        }
        if let (Format::Unknown, Some(ext)) = (sniffed, ext_format) {
            if ext != Format::Unknown {
                return Report::error(
                    input,
                    "provcheck.format.contentMismatch",
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
                "provcheck.format.unsupported",
                "the content is not a format provcheck can check (JPEG, PNG, WebP, GIF, TIFF, DNG, HEIC, HEIF, AVIF, JPEG XL, SVG, MP4, MOV, M4A, WAV, AVI, MP3, FLAC)",
            );
        }
        let metadata = read::metadata::extract(data, format);
        let contexts = self
            .contexts
            .get_or_init(|| match build_contexts(&self.options) {
                Ok(c) => c,
                // Only bundled settings get here (see `Verifier::new`); a unit test builds them.
                Err(e) => panic!("c2pa settings from the bundled trust material: {e}"),
            });
        let outcome = read::read_manifest(data, format, contexts);
        if self.options.thumbnails {
            let has_manifest = matches!(outcome, read::ReadOutcome::Manifest(_));
            input.thumbnails = Some(Box::new(crate::render::thumbs::Thumbnails::of(
                data,
                format,
                has_manifest,
            )));
        }
        let policy = evaluate::Policy {
            registry: &self.registry,
            claim_trust: &self.claim_trust,
            tsa_trust: &self.tsa_trust,
            now: self.now(),
            sdk_trust: self.options.sdk_trust,
        };
        evaluate::build_report(&policy, input, outcome, metadata, expect)
    }

    /// The time used for certificate validity when there is no trusted time-stamp.
    pub(crate) fn now(&self) -> (DateTime<Utc>, crate::report::TimeOrigin) {
        match self.options.at {
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

/// The `input` of a report on a file on disk: `path` for display (lossy when the name is not
/// UTF-8) and, only then, `path_bytes`: the name's exact bytes, hex, so the record still leads back
/// to the file.
pub fn input_for_path(path: &Path) -> Input {
    let raw = path.as_os_str().as_encoded_bytes();
    Input {
        path: Some(path.to_string_lossy().into_owned()),
        path_bytes: std::str::from_utf8(raw).is_err().then(|| hex::encode(raw)),
        format: Format::Unknown.name().into(),
        ..Default::default()
    }
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
    let mut trust = serde_json::Map::new();
    if !options.sdk_trust {
        anchors.clear();
        allowed.clear();
        config.clear();
    }
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
        assert_eq!(v.claim_trust().store().allowed_count(), n_pem);
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
                let r = v.verify_path(Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/samples/bing_creator_cloud_surfing_puppy.jpg"
                )));
                assert!(v.contexts.get().is_some());
                assert_ne!(r.verdict, crate::Verdict::Error);
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
