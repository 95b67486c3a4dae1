//! The end-of-scan summary: counts per verdict and source, what was skipped and why, throughput,
//! and the batch insights no single-file check can give (see [`Insights`]).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::report::{bounded, Report, Verdict};

/// Most entries kept in each list of the summary (the counts stay exact).
pub const MAX_LISTED: usize = 1000;

/// A name and how many files carry it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub name: String,
    pub files: u64,
}

/// A file that needs attention (mismatched, tampered, ...), listed in the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub path: String,
    pub verdict: Verdict,
    pub summary: String,
}

/// What a scan saw, in counts. Built incrementally from the records as they stream past.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Same numbering as the per-file report schema.
    pub schema_version: u32,
    /// `provcheck --version` text: provcheck, c2pa SDK and trust-list versions.
    pub provcheck_version: String,
    /// The scan was stopped (Ctrl-C) before every selected file was checked.
    pub interrupted: bool,
    pub elapsed_seconds: f64,
    /// Records written (exactly one per selected file that was reached).
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    pub files_per_second: f64,
    pub mb_per_second: f64,
    /// Worker threads (or processes with `isolated`).
    pub jobs: usize,
    /// Files were checked in worker processes (the default; `false` with `--in-process`).
    pub isolated: bool,
    /// Files per verdict; every verdict is present, zero or not.
    pub verdicts: BTreeMap<String, u64>,
    /// Files per authenticated organisation (most first).
    pub authenticated_sources: Vec<Count>,
    /// Files per claimed source summary (most first).
    pub claimed_sources: Vec<Count>,
    /// Files that are neither authentic nor unsigned, worst first (mismatched, tampered, error,
    /// untrusted), at most [`MAX_LISTED`] (the worst are kept).
    pub attention: Vec<Listed>,
    /// How many files that list would hold without the cap.
    pub attention_total: u64,
    /// Paths passed over, per reason (`symlink`, `not-regular`, `excluded`, `unsupported`,
    /// `unreadable`, `symlink-loop`, `already-recorded`).
    pub skipped: BTreeMap<String, u64>,
    /// Reason codes over all files (most first), e.g. how many `assertion.dataHash.mismatch`.
    pub codes: Vec<Count>,
    pub insights: Insights,
}

/// Patterns across files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// One active manifest (same label, or same instance ID) on files with different content:
    /// a copied or transplanted manifest.
    pub shared_manifests: Vec<SharedManifest>,
    /// One image content (the hard binding's hash) under different manifests: the same picture
    /// signed twice, or re-signed by someone else.
    pub shared_content: Vec<SharedContent>,
    /// Files per signing certificate.
    pub signers: Vec<SignerCount>,
    /// Files without a manifest whose XMP / EXIF / IPTC / PNG text names an AI generator, says
    /// the image is AI-made, or points at a C2PA manifest: possibly a stripped credential.
    pub stripped_credentials: Vec<StrippedCredential>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharedManifest {
    /// `label` or `instance_id`.
    pub key: String,
    pub value: String,
    /// Distinct contents (file SHA-256 when the binding hash is unknown) carrying it.
    pub distinct_contents: u64,
    pub file_count: u64,
    /// Up to [`MAX_LISTED`] of them.
    pub files: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharedContent {
    /// Hard-binding hash value, lowercase hex.
    pub content_hash: String,
    /// The distinct active manifest labels.
    pub manifests: Vec<String>,
    pub file_count: u64,
    pub files: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignerCount {
    /// SHA-256 of the leaf certificate, lowercase hex.
    pub certificate_sha256: String,
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The chain was trusted (for at least one of these files).
    pub trusted: bool,
    pub files: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StrippedCredential {
    pub path: String,
    /// AI generators (registry ids) the metadata names.
    pub generators: Vec<String>,
    /// Why the file is listed, in words.
    pub reasons: Vec<String>,
    /// `origin: value` of each claim, e.g. `xmp:CreatorTool: Adobe Firefly`.
    pub claims: Vec<String>,
}

impl Summary {
    /// "worker processes" or "threads", for people.
    pub fn worker_kind(&self) -> &'static str {
        if self.isolated {
            "worker processes"
        } else {
            "threads"
        }
    }
}

/// The order used in every summary and report listing: worst first (mismatched, tampered, error,
/// untrusted, unsigned, authentic), as in [`Verdict::ALL`].
pub fn verdict_rank(v: Verdict) -> usize {
    Verdict::ALL
        .iter()
        .position(|x| *x == v)
        .unwrap_or(usize::MAX)
}

/// Builds a [`Summary`] from records as they stream past, in bounded memory: per file it keeps
/// only what the insights need (a 64-bit key of the manifest label, instance ID and content
/// hash, and the first file seen), and full lists only for what turns out to be shared.
#[derive(Default)]
pub struct SummaryBuilder {
    s: Summary,
    authenticated: HashMap<String, u64>,
    claimed: HashMap<String, u64>,
    codes: HashMap<String, u64>,
    attention_total: u64,
    labels: HashMap<u64, Sightings>,
    instances: HashMap<u64, Sightings>,
    contents: HashMap<u64, Sightings>,
    signers: HashMap<String, SignerCount>,
}

/// One manifest label / instance ID / content hash and what it was seen with.
struct Sightings {
    value: String,
    /// Distinct keys of the other side (contents for a label, labels for a content), capped.
    others: Vec<u64>,
    other_names: Vec<String>,
    file_count: u64,
    files: Vec<String>,
}

/// Distinct "other side" keys kept per entry: enough to say "shared by N" for any realistic N.
const MAX_OTHERS: usize = 64;
/// Alphanumeric characters an instance ID needs before sharing it means anything.
const MIN_INSTANCE_ID: usize = 16;
/// Files remembered per entry before it is known to be shared.
const ALWAYS_KEPT: usize = 16;

fn key(s: &str) -> u64 {
    let d = ring::digest::digest(&ring::digest::SHA256, s.as_bytes());
    u64::from_le_bytes(d.as_ref()[..8].try_into().expect("8 bytes"))
}

impl Sightings {
    fn add(&mut self, other: u64, other_name: &str, path: &str) {
        self.file_count += 1;
        if !self.others.contains(&other) && self.others.len() < MAX_OTHERS {
            self.others.push(other);
            self.other_names.push(bounded(other_name, 200));
        }
        // The first few files always; more only once the entry is shared (cheap for the common
        // case of one file, or a few identical copies, per manifest).
        if self.files.len() < ALWAYS_KEPT
            || (self.others.len() > 1 && self.files.len() < MAX_LISTED)
        {
            self.files.push(path.to_string());
        }
    }
}

fn note(map: &mut HashMap<u64, Sightings>, value: &str, other_name: &str, path: &str) {
    let other = key(other_name);
    map.entry(key(value))
        .or_insert_with(|| Sightings {
            value: bounded(value, 400),
            others: Vec::new(),
            other_names: Vec::new(),
            file_count: 0,
            files: Vec::new(),
        })
        .add(other, other_name, path);
}

fn counts(map: HashMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(name, files)| Count { name, files })
        .collect();
    v.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.name.cmp(&b.name)));
    v
}

impl SummaryBuilder {
    pub fn new() -> SummaryBuilder {
        let mut b = SummaryBuilder::default();
        b.s.schema_version = crate::report::SCHEMA_VERSION;
        b.s.provcheck_version = crate::bundle::LONG_VERSION.to_string();
        for v in Verdict::ALL {
            b.s.verdicts.insert(v.as_str().to_string(), 0);
        }
        b
    }

    /// Count one record read back from JSON, which leaves attribution's stripped-credential
    /// finding out: it is derived again from the claims the report keeps, without the registry
    /// (AI-made statements and provenance pointers; no AI product names). For summaries built
    /// from stored reports (the Python package's Ray scan).
    pub fn add_from_json(&mut self, mut r: Report) {
        r.claimed_source.possibly_stripped =
            crate::attribute::possibly_stripped(&r.claimed_source, None);
        self.add(&r);
    }

    /// Count one record.
    pub fn add(&mut self, r: &Report) {
        let s = &mut self.s;
        s.files += 1;
        s.bytes += r.input.size;
        *s.verdicts
            .entry(r.verdict.as_str().to_string())
            .or_default() += 1;
        let path = r.input.path.clone().unwrap_or_default();
        let authenticated = r
            .authenticated_source
            .as_ref()
            .map(|a| {
                let who = match &a.generator {
                    Some(g) => format!("{} [{g}]", a.organization),
                    None => a.organization.clone(),
                };
                a.label(who)
            })
            .unwrap_or_else(|| "(none)".into());
        *self.authenticated.entry(authenticated).or_default() += 1;
        let claimed = r
            .claimed_source
            .summary
            .clone()
            .unwrap_or_else(|| "(none)".into());
        *self.claimed.entry(claimed).or_default() += 1;
        for c in r.codes() {
            *self.codes.entry(c.to_string()).or_default() += 1;
        }
        if r.verdict != Verdict::Authentic && r.verdict != Verdict::Unsigned {
            self.attention_total += 1;
            let item = Listed {
                path: path.clone(),
                verdict: r.verdict,
                summary: r.summary.clone(),
            };
            let list = &mut self.s.attention;
            if list.len() < MAX_LISTED {
                list.push(item);
            } else if let Some(worst) = list.iter().map(|l| verdict_rank(l.verdict)).max() {
                // Full: a worse verdict replaces the mildest entry.
                if verdict_rank(r.verdict) < worst {
                    if let Some(i) = list.iter().rposition(|l| verdict_rank(l.verdict) == worst) {
                        list[i] = item;
                    }
                }
            }
        }
        if let Some(m) = &r.manifest {
            let content = m
                .content_hash
                .clone()
                .or_else(|| r.input.sha256.clone())
                .unwrap_or_default();
            note(&mut self.labels, &m.label, &content, &path);
            // Only identifiers long enough to be unique (a UUID, an xmp:iid); some signers
            // write a constant such as "1.0" into every claim.
            if m.instance_id
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .count()
                >= MIN_INSTANCE_ID
            {
                note(&mut self.instances, &m.instance_id, &content, &path);
            }
            if let Some(h) = &m.content_hash {
                note(&mut self.contents, h, &m.label, &path);
            }
        }
        if let (Some(sig), Some(trust)) = (&r.signature, &r.trust) {
            if let Some(leaf) = &sig.signer {
                let e = self
                    .signers
                    .entry(leaf.sha256.clone())
                    .or_insert_with(|| SignerCount {
                        certificate_sha256: leaf.sha256.clone(),
                        subject: leaf.subject.clone(),
                        organization: leaf.organization.clone(),
                        trusted: false,
                        files: 0,
                    });
                e.files += 1;
                e.trusted |= trust.trusted;
            }
        }
        if let (Verdict::Unsigned, Some(t)) = (r.verdict, &r.claimed_source.possibly_stripped) {
            if self.s.insights.stripped_credentials.len() < MAX_LISTED {
                self.s
                    .insights
                    .stripped_credentials
                    .push(StrippedCredential {
                        path,
                        generators: t.generators.clone(),
                        reasons: t.reasons.clone(),
                        claims: r
                            .claimed_source
                            .claims
                            .iter()
                            .take(16)
                            .map(|c| format!("{}: {}", c.origin, bounded(&c.value, 200)))
                            .collect(),
                    });
            }
        }
    }

    /// A path passed over.
    pub fn skipped(&mut self, reason: &str) {
        *self.s.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// Finish: throughput, sorted counts, insights.
    pub fn finish(
        mut self,
        elapsed: Duration,
        jobs: usize,
        isolated: bool,
        interrupted: bool,
    ) -> Summary {
        let secs = elapsed.as_secs_f64();
        let s = &mut self.s;
        s.elapsed_seconds = secs;
        s.jobs = jobs;
        s.isolated = isolated;
        s.interrupted = interrupted;
        if secs > 0.0 {
            s.files_per_second = s.files as f64 / secs;
            s.mb_per_second = s.bytes as f64 / 1e6 / secs;
        }
        s.authenticated_sources = counts(std::mem::take(&mut self.authenticated));
        s.claimed_sources = counts(std::mem::take(&mut self.claimed));
        s.codes = counts(std::mem::take(&mut self.codes));
        s.attention_total = self.attention_total;
        s.attention
            .sort_by_key(|l| (verdict_rank(l.verdict), l.path.clone()));
        let shared = |map: HashMap<u64, Sightings>, key: &str| {
            let mut v: Vec<SharedManifest> = map
                .into_values()
                .filter(|e| e.others.len() > 1)
                .map(|e| SharedManifest {
                    key: key.to_string(),
                    value: e.value,
                    distinct_contents: e.others.len() as u64,
                    file_count: e.file_count,
                    files: e.files,
                })
                .collect();
            v.sort_by(|a, b| b.file_count.cmp(&a.file_count).then(a.value.cmp(&b.value)));
            v
        };
        let mut sm = shared(std::mem::take(&mut self.labels), "label");
        sm.extend(shared(std::mem::take(&mut self.instances), "instance_id"));
        sm.truncate(MAX_LISTED);
        s.insights.shared_manifests = sm;
        let mut sc: Vec<SharedContent> = std::mem::take(&mut self.contents)
            .into_values()
            .filter(|e| e.others.len() > 1)
            .map(|e| SharedContent {
                content_hash: e.value,
                manifests: e.other_names,
                file_count: e.file_count,
                files: e.files,
            })
            .collect();
        sc.sort_by(|a, b| {
            b.file_count
                .cmp(&a.file_count)
                .then(a.content_hash.cmp(&b.content_hash))
        });
        sc.truncate(MAX_LISTED);
        s.insights.shared_content = sc;
        let mut signers: Vec<SignerCount> =
            std::mem::take(&mut self.signers).into_values().collect();
        signers.sort_by(|a, b| b.files.cmp(&a.files).then(a.subject.cmp(&b.subject)));
        signers.truncate(MAX_LISTED);
        s.insights.signers = signers;
        self.s
    }
}
