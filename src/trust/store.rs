//! The trust store: anchors, end-entity allow-list, EKU policy and generator pins, each
//! tagged with the list it came from. Built once; immutable (and `Send + Sync`) afterwards.

use std::collections::HashMap;

use base64::Engine as _;

use super::cert::{self, ParsedCert};
use super::lazy::LazyCert;
use super::pem;
use super::types::{CertSummary, Purpose, TrustError, TrustSource};

/// Default claim-signing EKU set, used when [`TrustStore::add_eku_config`] is never called:
/// emailProtection, documentSigning, C2PA claim signing, Microsoft C2PA signing.
pub const DEFAULT_CLAIM_EKUS: [&str; 4] = [
    "1.3.6.1.5.5.7.3.4",
    "1.3.6.1.5.5.7.3.36",
    "1.3.6.1.4.1.62558.2.1",
    "1.3.6.1.4.1.311.76.59.1.9",
];

/// One anchor of a trust list, for `provcheck trust list`: the certificate's summary and the
/// list it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorInfo {
    pub cert: CertSummary,
    pub source: TrustSource,
}

/// `trust list --json` writes an anchor as the certificate's fields without its subject
/// attributes and chain-completion note, then its list.
impl serde::Serialize for AnchorInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let c = &self.cert;
        let mut st = s.serialize_struct("AnchorInfo", 10)?;
        st.serialize_field("subject", &c.subject)?;
        st.serialize_field("issuer", &c.issuer)?;
        st.serialize_field("serial", &c.serial)?;
        st.serialize_field("sha256", &c.sha256)?;
        st.serialize_field("spki_sha256", &c.spki_sha256)?;
        st.serialize_field("not_before", &c.not_before)?;
        st.serialize_field("not_after", &c.not_after)?;
        st.serialize_field("key_algorithm", &c.key_algorithm)?;
        st.serialize_field("is_ca", &c.is_ca)?;
        st.serialize_field("source", &self.source)?;
        st.end()
    }
}

/// Serialisable summary of one generator pin.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PinInfo {
    pub generator: String,
    /// RFC 4514 DN of the pinned CA, as configured.
    pub subject: String,
    /// SHA-256 of the pinned CA's SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
}

pub(crate) struct Anchor {
    cert: LazyCert,
    pub source: TrustSource,
    info: std::sync::OnceLock<AnchorInfo>,
}

impl Anchor {
    /// The anchor's certificate, parsed in full on first use ([`LazyCert`]).
    pub(crate) fn cert(&self) -> &ParsedCert {
        self.cert.get()
    }

    pub(crate) fn info(&self) -> &AnchorInfo {
        self.info.get_or_init(|| AnchorInfo {
            cert: self.cert().summary(),
            source: self.source,
        })
    }
}

pub(crate) struct Pin {
    pub info: PinInfo,
    pub spki: [u8; 32],
    /// Canonical subject key; `None` if the configured subject could not be parsed
    /// (then the name-only check is disabled for this pin).
    pub subject_key: Option<String>,
}

/// A known (subject, key) pair: used for the name-only forgery check.
pub(crate) struct KnownKey<'a> {
    pub spki: &'a [u8; 32],
    /// "interim-anchors", "c2pa-trust-list", ..., or "pin:<generator>".
    pub source: String,
}

/// Immutable once built; Send + Sync; built once per process.
pub struct TrustStore {
    anchors: Vec<Anchor>,
    anchor_by_subject: HashMap<String, Vec<usize>>,
    anchor_by_sha256: HashMap<[u8; 32], Vec<usize>>,
    allowed: HashMap<[u8; 32], TrustSource>,
    ekus: Vec<String>,
    eku_configured: bool,
    enforce_intermediate_eku: bool,
    pins: Vec<Pin>,
    pin_by_spki: HashMap<[u8; 32], Vec<usize>>,
    pin_by_subject: HashMap<String, Vec<usize>>,
    known: Vec<KnownIntermediate>,
    known_by_subject: HashMap<String, Vec<usize>>,
}

/// A CA certificate provcheck holds but that ends no path: a candidate issuer when a file
/// leaves its intermediate out (as browsers keep known intermediates). Every link through it is
/// signature-checked like a presented one; the path must still end at an anchor or a pin.
pub(crate) struct KnownIntermediate {
    pub cert: ParsedCert,
    /// `bundled` or `user` (shown on the path link as `supplied_by`).
    pub supplied_by: &'static str,
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::new()
    }
}

impl TrustStore {
    pub fn new() -> Self {
        TrustStore {
            anchors: Vec::new(),
            anchor_by_subject: HashMap::new(),
            anchor_by_sha256: HashMap::new(),
            allowed: HashMap::new(),
            ekus: DEFAULT_CLAIM_EKUS.iter().map(|s| s.to_string()).collect(),
            eku_configured: false,
            enforce_intermediate_eku: false,
            pins: Vec::new(),
            pin_by_spki: HashMap::new(),
            pin_by_subject: HashMap::new(),
            known: Vec::new(),
            known_by_subject: HashMap::new(),
        }
    }

    /// Known intermediate CA certificates (PEM bundle) used to complete chains whose files
    /// leave them out. `bundled`: provcheck's own bundle (data/generator-cas.pem); otherwise
    /// supplied by the user. They end no path and make nothing trusted by themselves. Returns
    /// how many were added (duplicates are skipped). On error nothing is added.
    pub fn add_known_intermediates_pem(
        &mut self,
        pem: &[u8],
        bundled: bool,
    ) -> Result<usize, TrustError> {
        let certs = parse_cert_bundle(pem)?;
        let mut added = 0;
        for cert in certs {
            if self.known.iter().any(|k| k.cert.sha256 == cert.sha256) {
                continue;
            }
            let idx = self.known.len();
            self.known_by_subject
                .entry(cert.subject_key.clone())
                .or_default()
                .push(idx);
            self.known.push(KnownIntermediate {
                cert,
                supplied_by: if bundled { "bundled" } else { "user" },
            });
            added += 1;
        }
        Ok(added)
    }

    pub(crate) fn known_intermediate(&self, idx: usize) -> &KnownIntermediate {
        &self.known[idx]
    }

    /// Known intermediates whose subject is `name_key`.
    pub(crate) fn known_named(&self, name_key: &str) -> &[usize] {
        self.known_by_subject
            .get(name_key)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Generators with a pin whose configured subject is `name_key`.
    pub(crate) fn pinned_generators_named(&self, name_key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &i in self
            .pin_by_subject
            .get(name_key)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
        {
            let g = &self.pins[i].info.generator;
            if !out.contains(g) {
                out.push(g.clone());
            }
        }
        out
    }

    /// PEM bundle of CA (or any) certificates that end a path. Returns how many were added
    /// (a certificate already present from the same source is not added twice).
    /// Comment lines / text between PEM blocks are ignored; a bad block is an error naming
    /// its index (0-based, counting PEM blocks). On error nothing from this bundle is added.
    pub fn add_anchors_pem(
        &mut self,
        pem: &[u8],
        source: TrustSource,
    ) -> Result<usize, TrustError> {
        let certs = parse_cert_bundle(pem)?;
        Ok(self.add_anchors(certs.into_iter().map(LazyCert::parsed).collect(), source))
    }

    /// Add anchors already read (a bundle indexed once for several stores, [`index_anchors`]).
    /// Returns how many were new for this source.
    pub(crate) fn add_anchors(&mut self, certs: Vec<LazyCert>, source: TrustSource) -> usize {
        let mut added = 0;
        for cert in certs {
            if self.add_anchor(cert, source) {
                added += 1;
            }
        }
        added
    }

    /// Add one DER certificate as an anchor. Returns whether it was new for this source.
    #[cfg(test)]
    pub fn add_anchor_der(&mut self, der: &[u8], source: TrustSource) -> Result<bool, TrustError> {
        let cert = ParsedCert::parse(der, true)
            .map_err(|detail| TrustError::Certificate { index: 0, detail })?;
        Ok(self.add_anchor(LazyCert::parsed(cert), source))
    }

    fn add_anchor(&mut self, cert: LazyCert, source: TrustSource) -> bool {
        if let Some(existing) = self.anchor_by_sha256.get(cert.sha256()) {
            if existing.iter().any(|&i| self.anchors[i].source == source) {
                return false;
            }
        }
        let idx = self.anchors.len();
        self.anchor_by_subject
            .entry(cert.subject_key().to_string())
            .or_default()
            .push(idx);
        self.anchor_by_sha256
            .entry(*cert.sha256())
            .or_default()
            .push(idx);
        self.anchors.push(Anchor {
            cert,
            source,
            info: std::sync::OnceLock::new(),
        });
        true
    }

    /// End-entity allow-list: either a PEM bundle or lines of base64(SHA-256(DER)) (lines
    /// starting with '#' ignored; 64-character hex lines are accepted too). An allowed leaf
    /// is trusted by exact hash, whatever its chain. Returns how many entries were read.
    pub fn add_allowed(&mut self, data: &[u8], source: TrustSource) -> Result<usize, TrustError> {
        let mut hashes = Vec::new();
        if memchr::memmem::find(data, b"-----BEGIN ").is_some() {
            for cert in parse_cert_bundle(data)? {
                hashes.push(cert.sha256);
            }
        } else {
            let text = String::from_utf8_lossy(data);
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                hashes.push(
                    parse_hash_line(line).map_err(|detail| TrustError::AllowedEntry {
                        line: n + 1,
                        detail,
                    })?,
                );
            }
        }
        let n = hashes.len();
        for h in hashes {
            self.allowed.entry(h).or_insert(source);
        }
        Ok(n)
    }

    /// EKU config in the c2pa `store.cfg` format (one OID per line, `//` comments). Adds to
    /// the allowed claim-signing EKU set (the first call replaces the built-in default).
    /// Returns how many OIDs were read.
    pub fn add_eku_config(&mut self, cfg: &str) -> Result<usize, TrustError> {
        let mut oids = Vec::new();
        for (n, line) in cfg.lines().enumerate() {
            let line = match line.find("//") {
                Some(p) => &line[..p],
                None => line,
            }
            .trim();
            if line.is_empty() {
                continue;
            }
            if !is_dotted_oid(line) {
                return Err(TrustError::EkuConfig {
                    line: n + 1,
                    detail: format!(
                        "not an OID: {:?}",
                        line.chars().take(64).collect::<String>()
                    ),
                });
            }
            oids.push(line.to_string());
        }
        if !self.eku_configured {
            self.ekus.clear();
            self.eku_configured = true;
        }
        let n = oids.len();
        for oid in oids {
            if !self.ekus.contains(&oid) {
                self.ekus.push(oid);
            }
        }
        Ok(n)
    }

    /// C2PA EKU chaining for intermediates: when `true`, an intermediate CA whose
    /// extendedKeyUsage extension has neither anyExtendedKeyUsage nor an EKU allowed for
    /// the purpose makes the path fail (`EkuNotAllowed` at that intermediate). When `false`
    /// (the default) the same finding is only reported as a note, because deployed chains
    /// that the interim list and c2pa-rs accept violate it (Adobe Product Services G3/G4
    /// carry only Adobe's private EKU 1.2.840.113583.1.1.7).
    #[cfg(test)]
    pub fn set_enforce_intermediate_eku(&mut self, enforce: bool) {
        self.enforce_intermediate_eku = enforce;
    }

    pub(crate) fn enforces_intermediate_eku(&self) -> bool {
        self.enforce_intermediate_eku
    }

    /// A generator pin: trusted *key* (SHA-256 of the DER SubjectPublicKeyInfo) of a CA that
    /// issues a known generator's signing certificates; `subject` is the RFC 4514 DN of that
    /// CA (used to detect certificates that copy its name with another key); `generator`
    /// is an id such as "microsoft". If `subject` is not a parsable RFC 4514 DN the pin
    /// still works by key, but the name-only forgery check is off for it.
    pub fn add_pin(&mut self, spki_sha256: [u8; 32], subject: &str, generator: &str) {
        if self
            .pins
            .iter()
            .any(|p| p.spki == spki_sha256 && p.info.generator == generator)
        {
            return;
        }
        let subject_key = cert::parse_rfc4514(subject)
            .ok()
            .filter(|r| !r.is_empty())
            .map(|r| cert::canonical_key(&r));
        let idx = self.pins.len();
        self.pin_by_spki.entry(spki_sha256).or_default().push(idx);
        if let Some(k) = &subject_key {
            self.pin_by_subject.entry(k.clone()).or_default().push(idx);
        }
        self.pins.push(Pin {
            info: PinInfo {
                generator: generator.to_string(),
                subject: subject.to_string(),
                spki_sha256: hex::encode(spki_sha256),
            },
            spki: spki_sha256,
            subject_key,
        });
    }

    /// All anchors, in the order added (a certificate on two lists appears twice).
    pub fn anchors(&self) -> impl Iterator<Item = &AnchorInfo> {
        self.anchors.iter().map(Anchor::info)
    }

    /// All generator pins, in the order added.
    pub fn pins(&self) -> impl Iterator<Item = &PinInfo> {
        self.pins.iter().map(|p| &p.info)
    }

    /// Number of allow-listed end-entity hashes.
    #[cfg(test)]
    pub fn allowed_count(&self) -> usize {
        self.allowed.len()
    }

    /// Whether the end-entity certificate with this DER SHA-256 is allow-listed, and by whom.
    pub fn allowed_source(&self, der_sha256: &[u8; 32]) -> Option<TrustSource> {
        self.allowed.get(der_sha256).copied()
    }

    /// The EKU OIDs a leaf must carry (at least one of) for `purpose`.
    #[cfg(test)]
    pub fn eku_oids(&self, purpose: Purpose) -> Vec<&str> {
        match purpose {
            Purpose::TimeStamping => vec![cert::OID_EKU_TIME_STAMPING],
            Purpose::ClaimSigning => self.ekus.iter().map(|s| s.as_str()).collect(),
        }
    }

    /// The claim-signing EKU set (configured, or the built-in default).
    pub(crate) fn claim_ekus(&self) -> &[String] {
        &self.ekus
    }

    pub(crate) fn anchor(&self, idx: usize) -> &Anchor {
        &self.anchors[idx]
    }

    pub(crate) fn pin(&self, idx: usize) -> &Pin {
        &self.pins[idx]
    }

    /// The anchor entry a certificate *is* (same DER, or same subject and key: a
    /// re-encoded or cross-signed copy of the anchor), for `purpose`.
    /// Returns `(anchor index, matched by identical DER)`.
    pub(crate) fn anchor_for(&self, c: &ParsedCert, purpose: Purpose) -> Option<(usize, bool)> {
        if let Some(v) = self.anchor_by_sha256.get(&c.sha256) {
            if let Some(&i) = v
                .iter()
                .find(|&&i| self.anchors[i].source.applies_to(purpose))
            {
                return Some((i, true));
            }
        }
        self.anchor_by_subject.get(&c.subject_key).and_then(|v| {
            v.iter()
                .find(|&&i| {
                    let a = &self.anchors[i];
                    a.source.applies_to(purpose) && a.cert().spki_sha256 == c.spki_sha256
                })
                .map(|&i| (i, false))
        })
    }

    /// Anchors whose subject is `name_key`, usable for `purpose`.
    pub(crate) fn anchors_named<'a>(
        &'a self,
        name_key: &str,
        purpose: Purpose,
    ) -> impl Iterator<Item = usize> + 'a {
        self.anchor_by_subject
            .get(name_key)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(move |&i| self.anchors[i].source.applies_to(purpose))
    }

    /// Pins whose key is `spki_sha256`.
    pub(crate) fn pins_for_key(&self, spki_sha256: &[u8; 32]) -> &[usize] {
        self.pin_by_spki
            .get(spki_sha256)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Every known key for a subject name (anchors of any list, and pins).
    pub(crate) fn known_keys_for_subject(&self, name_key: &str) -> Vec<KnownKey<'_>> {
        let mut out = Vec::new();
        if let Some(v) = self.anchor_by_subject.get(name_key) {
            for &i in v {
                let a = &self.anchors[i];
                out.push(KnownKey {
                    spki: &a.cert().spki_sha256,
                    source: a.source.as_str().to_string(),
                });
            }
        }
        if let Some(v) = self.pin_by_subject.get(name_key) {
            for &i in v {
                let p = &self.pins[i];
                debug_assert!(p.subject_key.is_some());
                out.push(KnownKey {
                    spki: &p.spki,
                    source: format!("pin:{}", p.info.generator),
                });
            }
        }
        out
    }
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchors", &self.anchors.len())
            .field("allowed", &self.allowed.len())
            .field("ekus", &self.ekus)
            .field("eku_configured", &self.eku_configured)
            .field("pins", &self.pins.len())
            .field("known_intermediates", &self.known.len())
            .finish()
    }
}

/// The certificates of a bundled list (DER blocks, [`crate::bundle::der_blocks`]), indexed for
/// [`TrustStore::add_anchors`] and parsed in full when a path first needs one ([`LazyCert`]);
/// errors name the block.
pub(crate) fn index_anchors<'a>(
    ders: impl Iterator<Item = &'a [u8]>,
) -> Result<Vec<LazyCert>, TrustError> {
    ders.enumerate()
        .map(|(index, der)| {
            LazyCert::index(der).map_err(|detail| TrustError::Certificate { index, detail })
        })
        .collect()
}

/// Every certificate of a PEM bundle, parsed (what a user supplies, so that a bad certificate
/// is an error at start); the error is the first bad block's. On the calling thread: a bundle
/// is tens of certificates at some 30 us each, less than starting a thread pool costs.
fn parse_cert_bundle(pem_bytes: &[u8]) -> Result<Vec<ParsedCert>, TrustError> {
    certificate_blocks(pem_bytes)?
        .iter()
        .enumerate()
        .map(|(index, der)| {
            ParsedCert::parse(der, true).map_err(|detail| TrustError::Certificate { index, detail })
        })
        .collect()
}

/// The DER of every block of a PEM bundle, each labelled as a certificate (RFC 7468).
fn certificate_blocks(pem_bytes: &[u8]) -> Result<Vec<Vec<u8>>, TrustError> {
    let blocks = pem::parse_blocks(pem_bytes)
        .map_err(|(index, detail)| TrustError::Pem { index, detail })?;
    blocks
        .into_iter()
        .enumerate()
        .map(|(index, b)| {
            if pem::is_certificate_label(&b.label) {
                Ok(b.der)
            } else {
                Err(TrustError::Pem {
                    index,
                    detail: format!(
                        "not a certificate (BEGIN {})",
                        b.label.chars().take(64).collect::<String>()
                    ),
                })
            }
        })
        .collect()
}

fn parse_hash_line(line: &str) -> Result<[u8; 32], String> {
    let bytes = if line.len() == 64 && line.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(line).map_err(|e| e.to_string())?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(line)
            .map_err(|e| format!("not base64: {e}"))?
    };
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| format!("expected a 32-byte SHA-256, got {} bytes", bytes.len()))
}

fn is_dotted_oid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[0], "0" | "1" | "2")
}
