//! Signing images with c2pa's `Builder` and throw-away certificates.

use std::io::Cursor;

use c2pa::crypto::cose::TimeStampStorage;
use c2pa::crypto::raw_signature::{
    signer_from_cert_chain_and_private_key, RawSigner, RawSignerError,
};
use c2pa::crypto::time_stamp::{TimeStampError, TimeStampProvider};
use c2pa::{Builder, Context, Reader, SigningAlg};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::certs::{pem_bundle, CertKey};
use super::tsa::LocalTsa;

/// IPTC digital source type: made by a generative model.
pub const DST_TRAINED_ALGORITHMIC_MEDIA: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
/// IPTC digital source type: composite including generative output.
pub const DST_COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
/// IPTC digital source type: created by a human with digital tools (claims no AI, no camera).
pub const DST_DIGITAL_CREATION: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation";
/// IPTC digital source type: captured by a camera.
pub const DST_DIGITAL_CAPTURE: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture";

/// Settings used when signing: no network, no thumbnails, no verify-after-sign.
pub const SIGN_SETTINGS: &str = r#"{
  "verify": {"verify_after_sign": false, "remote_manifest_fetch": false, "ocsp_fetch": false},
  "builder": {"thumbnail": {"enabled": false}}
}"#;

/// Label that links the parent ingredient to its `c2pa.opened` action.
const PARENT_LABEL: &str = "parent";

/// A manifest definition (c2pa Builder JSON): title, claim_generator_info, and one
/// `c2pa.created` action with optional softwareAgent and digitalSourceType.
pub fn manifest_json(
    title: &str,
    generator_name: &str,
    software_agent: Option<&str>,
    digital_source_type: Option<&str>,
) -> String {
    let mut action = json!({ "action": "c2pa.created" });
    if let Some(agent) = software_agent {
        action["softwareAgent"] = json!({ "name": agent });
    }
    if let Some(dst) = digital_source_type {
        action["digitalSourceType"] = json!(dst);
    }
    json!({
        "title": title,
        "claim_generator_info": [{ "name": generator_name, "version": "1.0.0" }],
        "assertions": [{ "label": "c2pa.actions", "data": { "actions": [action] } }]
    })
    .to_string()
}

/// An "Acme Imagine" manifest definition for `image.jpg` with a claim of `version` (1 or 2):
/// one `c2pa.created` action (trained algorithmic media) with the fields of `action` added
/// (a JSON object, e.g. `when`), then the assertions `more` (`{label, data}` objects).
pub fn created_manifest_json(version: u8, action: Value, more: &[Value]) -> String {
    let mut created = json!({
        "action": "c2pa.created",
        "digitalSourceType": DST_TRAINED_ALGORITHMIC_MEDIA
    });
    if let (Some(c), Value::Object(extra)) = (created.as_object_mut(), action) {
        c.extend(extra);
    }
    let mut assertions = vec![json!({ "label": "c2pa.actions", "data": { "actions": [created] } })];
    assertions.extend_from_slice(more);
    json!({
        "title": "image.jpg",
        "claim_version": version,
        "claim_generator_info": [{ "name": "Acme Imagine", "version": "1.0.0" }],
        "assertions": assertions
    })
    .to_string()
}

/// A plain JPEG signed by `leaf` (under `root`), created by "Acme Imagine", with one more CBOR
/// assertion `label`: `value`, written as given.
pub fn signed_with_cbor_assertion(
    leaf: &CertKey,
    root: &CertKey,
    label: &str,
    value: coset::cbor::value::Value,
) -> Vec<u8> {
    sign_with_opts(
        &super::plain_jpeg(),
        "jpg",
        &manifest_json(
            "image.jpg",
            "Acme Imagine",
            Some("Acme Imagine"),
            Some(DST_TRAINED_ALGORITHMIC_MEDIA),
        ),
        &[leaf, root],
        &SignOpts {
            cbor_assertions: vec![(label.into(), value)],
            ..SignOpts::default()
        },
    )
    .unwrap()
}

/// How to sign: see [`sign_with_opts`].
#[derive(Clone, Debug, Default)]
pub struct SignOpts<'a> {
    /// An already-signed asset of the same format, added as the parentOf ingredient.
    pub parent: Option<&'a [u8]>,
    /// Local TSA: (TSA chain with the TSA certificate first, genTime of every token).
    pub tsa: Option<(Vec<CertKey>, DateTime<Utc>)>,
    /// Build the COSE signature ourselves (`direct_cose_handling`) with c2pa's own
    /// `crypto::cose::sign`, skipping c2pa's check of the signing certificate's profile
    /// (expiry, CA flag, EKU, keyUsage...). Needed for expired / CA / EKU-less leaves.
    pub unchecked: bool,
    /// Bind the content with a box hash (`c2pa.hash.boxes`, as Microsoft's generators do)
    /// instead of a data hash (JPEG and PNG, no parent): c2pa's Builder with
    /// `builder.prefer_box_hash` hashes the boxes, signs the manifest on its own
    /// (`sign_embeddable`), and the manifest is spliced in where the box map puts it.
    pub box_hash: bool,
    /// Write the manifest brotli-compressed (a `c2cm` box, `core.prefer_compress_manifests`).
    pub compress: bool,
    /// More assertions, as (label, CBOR value) written as given (e.g. a map with integer keys,
    /// which no JSON manifest definition can express).
    pub cbor_assertions: Vec<(String, coset::cbor::value::Value)>,
    /// Resources the manifest definition names by identifier (e.g. a generator's icon), as
    /// (identifier, bytes).
    pub resources: Vec<(String, Vec<u8>)>,
}

/// Sign `asset` (format: MIME type or extension) with `chain` (leaf first, then
/// intermediates, optionally the root; all go into x5chain as given) and the leaf's key.
/// Panics with c2pa's error if c2pa refuses.
pub fn sign(asset: &[u8], format: &str, manifest_json: &str, chain: &[&CertKey]) -> Vec<u8> {
    try_sign(asset, format, manifest_json, chain).unwrap_or_else(|e| panic!("c2pa sign: {e:?}"))
}

/// [`sign`] returning c2pa's error instead of panicking.
pub fn try_sign(
    asset: &[u8],
    format: &str,
    manifest_json: &str,
    chain: &[&CertKey],
) -> c2pa::Result<Vec<u8>> {
    sign_with_opts(asset, format, manifest_json, chain, &SignOpts::default())
}

/// Like [`sign`], bypassing c2pa's signing-certificate profile check (see [`SignOpts::unchecked`]).
pub fn sign_unchecked(
    asset: &[u8],
    format: &str,
    manifest_json: &str,
    chain: &[&CertKey],
) -> Vec<u8> {
    let opts = SignOpts {
        unchecked: true,
        ..SignOpts::default()
    };
    sign_with_opts(asset, format, manifest_json, chain, &opts)
        .unwrap_or_else(|e| panic!("c2pa sign (unchecked): {e:?}"))
}

/// Sign with a parentOf ingredient: `asset_parent_signed` is an already signed asset; it is
/// both the ingredient and the bytes that get the new manifest, so the result carries two
/// manifests (the parent's, and the new active one with a `c2pa.opened` action).
pub fn sign_with_parent(
    asset_parent_signed: &[u8],
    format: &str,
    manifest_json: &str,
    chain: &[&CertKey],
) -> Vec<u8> {
    let opts = SignOpts {
        parent: Some(asset_parent_signed),
        ..SignOpts::default()
    };
    sign_with_opts(asset_parent_signed, format, manifest_json, chain, &opts)
        .unwrap_or_else(|e| panic!("c2pa sign with parent: {e:?}"))
}

/// Sign with an RFC 3161 timestamp (sigTst2) from a local throw-away TSA:
/// `tsa_chain[0]` is the TSA certificate (see `make_tsa_leaf`), `gen_time` its genTime.
pub fn sign_with_tsa(
    asset: &[u8],
    format: &str,
    manifest_json: &str,
    chain: &[&CertKey],
    tsa_chain: &[&CertKey],
    gen_time: DateTime<Utc>,
) -> Vec<u8> {
    let opts = SignOpts {
        tsa: Some((tsa_chain.iter().map(|c| (*c).clone()).collect(), gen_time)),
        ..SignOpts::default()
    };
    sign_with_opts(asset, format, manifest_json, chain, &opts)
        .unwrap_or_else(|e| panic!("c2pa sign with TSA: {e:?}"))
}

/// The general form.
pub fn sign_with_opts(
    asset: &[u8],
    format: &str,
    manifest_json: &str,
    chain: &[&CertKey],
    opts: &SignOpts<'_>,
) -> c2pa::Result<Vec<u8>> {
    assert!(
        !chain.is_empty(),
        "chain must start with the signing certificate"
    );
    let format = super::mime(format);
    let signer = ForgeSigner::new(chain, opts)?;

    let definition = match opts.parent {
        Some(_) => as_edit_of_parent(manifest_json),
        None => manifest_json.to_string(),
    };
    if opts.box_hash {
        assert!(
            opts.parent.is_none(),
            "box hash with a parent is not supported"
        );
        return sign_box_hash(asset, format, &definition, signer);
    }
    let mut settings: Value = serde_json::from_str(SIGN_SETTINGS).expect("settings JSON");
    if opts.compress {
        settings["core"]["prefer_compress_manifests"] = json!(true);
    }
    let context = Context::new().with_settings(settings.to_string().as_str())?;
    let mut builder = Builder::from_context(context).with_definition(definition.as_str())?;
    for (label, value) in &opts.cbor_assertions {
        builder.add_assertion(label.as_str(), value)?;
    }
    for (id, bytes) in &opts.resources {
        builder.add_resource(id, Cursor::new(bytes))?;
    }
    if let Some(parent) = opts.parent {
        let ingredient = json!({
            "title": "parent",
            "relationship": "parentOf",
            "label": PARENT_LABEL
        });
        builder.add_ingredient_from_stream(
            ingredient.to_string(),
            format,
            &mut Cursor::new(parent),
        )?;
    }
    let mut source = Cursor::new(asset);
    let mut dest = Cursor::new(Vec::new());
    builder.sign(&signer, format, &mut source, &mut dest)?;
    Ok(dest.into_inner())
}

/// Sign a WebP (`asset`, a plain RIFF of even length) with a data hash whose one exclusion the
/// caller chooses: the manifest goes into a `C2PA` chunk appended to the RIFF, and
/// `exclusion(chunk_start, chunk_len)` gives the excluded `(start, length)` (c2pa's own writer
/// excludes exactly `(chunk_start, chunk_len)`: the chunk's header and data). For signing
/// exclusions that reach beyond the manifest store, which c2pa's `Builder::sign` never writes.
pub fn sign_webp_with_exclusion(
    asset: &[u8],
    manifest_json: &str,
    chain: &[&CertKey],
    exclusion: impl Fn(u64, u64) -> (u64, u64),
) -> c2pa::Result<Vec<u8>> {
    assert!(
        asset.len().is_multiple_of(2) && asset.starts_with(b"RIFF"),
        "a plain WebP"
    );
    let embed = |store: &[u8]| {
        let mut out = asset.to_vec();
        out.extend(b"C2PA");
        out.extend((store.len() as u32).to_le_bytes());
        out.extend(store);
        if store.len() % 2 == 1 {
            out.push(0);
        }
        let size = (out.len() - 8) as u32;
        out[4..8].copy_from_slice(&size.to_le_bytes());
        (out, asset.len() as u64, 8 + store.len() as u64)
    };
    sign_embedded_with_exclusion(manifest_json, chain, embed, exclusion)
}

/// Sign with a data hash whose one exclusion the caller chooses, for any container:
/// `embed(store)` puts a raw manifest store (JUMBF) into the asset and returns the file with
/// the range `(start, length)` of the store's carrier (chunk, block) in it; the signed data hash
/// excludes `exclusion(start, length)`. The store is signed after a placeholder of the same
/// size was hashed, so `embed` must place stores of equal size identically.
pub fn sign_embedded_with_exclusion(
    manifest_json: &str,
    chain: &[&CertKey],
    embed: impl Fn(&[u8]) -> (Vec<u8>, u64, u64),
    exclusion: impl Fn(u64, u64) -> (u64, u64),
) -> c2pa::Result<Vec<u8>> {
    use c2pa::assertions::DataHash;
    use c2pa::HashRange;
    let signer = ForgeSigner::new(chain, &SignOpts::default())?;
    let context = Context::new().with_settings(SIGN_SETTINGS)?;
    let mut builder = Builder::from_context(context).with_definition(manifest_json)?;
    // the raw store (format "c2pa") is what the container carries
    let placeholder =
        builder.data_hashed_placeholder(c2pa::Signer::reserve_size(&signer), "application/c2pa")?;
    let (unsigned, carrier_start, carrier_len) = embed(&placeholder);
    let (start, length) = exclusion(carrier_start, carrier_len);
    let mut dh = DataHash::new("jumbf manifest", "sha256");
    dh.add_exclusion(HashRange::new(start, length));
    dh.gen_hash_from_stream(&mut Cursor::new(&unsigned))?;
    let manifest = builder.sign_data_hashed_embeddable(&signer, &dh, "application/c2pa")?;
    assert_eq!(manifest.len(), placeholder.len(), "the store kept its size");
    Ok(embed(&manifest).0)
}

/// [`SignOpts::box_hash`]: the manifest goes where c2pa's box map expects the C2PA box of a
/// file that has none (JPEG: after APP0, else after SOI; PNG: after IHDR).
fn sign_box_hash(
    asset: &[u8],
    format: &str,
    definition: &str,
    signer: ForgeSigner,
) -> c2pa::Result<Vec<u8>> {
    let mut settings: Value = serde_json::from_str(SIGN_SETTINGS).expect("settings JSON");
    settings["builder"]["prefer_box_hash"] = json!(true);
    let context = Context::new()
        .with_settings(settings.to_string().as_str())?
        .with_signer(signer);
    let mut builder = Builder::from_context(context).with_definition(definition)?;
    builder.update_hash_from_stream(format, &mut Cursor::new(asset))?;
    let manifest = builder.sign_embeddable(format)?;
    let at = if format == "image/png" {
        // signature, then IHDR (length, type, 13 bytes, CRC)
        8 + 25
    } else {
        let mut pos = 2;
        let mut after_app0 = None;
        while pos + 4 <= asset.len() && asset[pos] == 0xff && asset[pos + 1] != 0xda {
            let end = pos + 2 + usize::from(u16::from_be_bytes([asset[pos + 2], asset[pos + 3]]));
            if asset[pos + 1] == 0xe0 && after_app0.is_none() {
                after_app0 = Some(end);
            }
            pos = end;
        }
        after_app0.unwrap_or(2)
    };
    let mut out = asset.to_vec();
    out.splice(at..at, manifest);
    Ok(out)
}

/// Turn a "created" definition into an edit of the parent ingredient: prepend
/// `c2pa.opened` (linked to the parent) and make `c2pa.created` a `c2pa.edited`.
fn as_edit_of_parent(manifest_json: &str) -> String {
    let mut def: Value = serde_json::from_str(manifest_json).expect("manifest JSON");
    let opened = json!({
        "action": "c2pa.opened",
        "parameters": { "ingredientIds": [PARENT_LABEL] }
    });
    let assertions = def
        .as_object_mut()
        .expect("manifest JSON object")
        .entry("assertions")
        .or_insert_with(|| json!([]));
    let list = assertions.as_array_mut().expect("assertions array");
    let actions = list.iter_mut().find(|a| {
        a["label"]
            .as_str()
            .is_some_and(|l| l.starts_with("c2pa.actions"))
    });
    match actions {
        Some(a) => {
            let acts = a["data"]["actions"].as_array_mut().expect("actions array");
            for act in acts.iter_mut() {
                if act["action"] == "c2pa.created" {
                    act["action"] = json!("c2pa.edited");
                }
            }
            acts.insert(0, opened);
        }
        None => list.push(json!({ "label": "c2pa.actions", "data": { "actions": [opened] } })),
    }
    def.to_string()
}

/// A `c2pa::Signer` over c2pa's own raw signer, with an optional local TSA and an
/// optional "direct COSE" mode that bypasses c2pa's signing-certificate checks.
struct ForgeSigner {
    raw: Box<dyn RawSigner + Send + Sync>,
    /// x5chain exactly as the test gave it (DER). c2pa's OpenSSL signers refuse a chain that is
    /// not in issuing order, and tests need shuffled or broken chains: the raw signer gets the
    /// leaf alone, and the chain goes into the signature as given.
    chain: Vec<Vec<u8>>,
    tsa: Option<LocalTsa>,
    direct: bool,
}

impl ForgeSigner {
    fn new(chain: &[&CertKey], opts: &SignOpts<'_>) -> c2pa::Result<Self> {
        let raw = signer_from_cert_chain_and_private_key(
            pem_bundle(&chain[..1]).as_bytes(),
            chain[0].key_pem.as_bytes(),
            chain[0].alg.signing_alg(),
            None,
        )?;
        let tsa = opts.tsa.as_ref().map(|(c, t)| LocalTsa {
            chain: c.clone(),
            gen_time: *t,
        });
        Ok(ForgeSigner {
            raw,
            chain: chain.iter().map(|c| c.der.clone()).collect(),
            tsa,
            direct: opts.unchecked,
        })
    }

    fn timestamp(&self, message: &[u8]) -> Option<Vec<u8>> {
        self.tsa.as_ref().map(|t| t.response(message))
    }
}

impl c2pa::Signer for ForgeSigner {
    fn sign(&self, data: &[u8]) -> c2pa::Result<Vec<u8>> {
        if self.direct {
            // `data` is the claim; return a complete, padded COSE_Sign1 (claim v2 => sigTst2).
            Ok(c2pa::crypto::cose::sign(
                &Inner(self),
                data,
                Some(self.reserve_size()),
                TimeStampStorage::V2_sigTst2_CTT,
            )?)
        } else {
            Ok(self.raw.sign(data)?)
        }
    }

    fn alg(&self) -> SigningAlg {
        self.raw.alg()
    }

    fn certs(&self) -> c2pa::Result<Vec<Vec<u8>>> {
        Ok(self.chain.clone())
    }

    fn reserve_size(&self) -> usize {
        // the raw signer reserved room for the leaf only
        let rest: usize = self.chain.iter().skip(1).map(Vec::len).sum();
        self.raw.reserve_size() + rest + self.tsa.as_ref().map_or(0, |t| t.size_hint())
    }

    fn send_timestamp_request(&self, message: &[u8]) -> Option<c2pa::Result<Vec<u8>>> {
        self.timestamp(message).map(Ok)
    }

    fn direct_cose_handling(&self) -> bool {
        self.direct
    }
}

struct Inner<'a>(&'a ForgeSigner);

impl RawSigner for Inner<'_> {
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, RawSignerError> {
        self.0.raw.sign(data)
    }

    fn alg(&self) -> SigningAlg {
        self.0.raw.alg()
    }

    fn cert_chain(&self) -> Result<Vec<Vec<u8>>, RawSignerError> {
        Ok(self.0.chain.clone())
    }

    fn reserve_size(&self) -> usize {
        c2pa::Signer::reserve_size(self.0)
    }
}

impl TimeStampProvider for Inner<'_> {
    fn send_time_stamp_request(&self, message: &[u8]) -> Option<Result<Vec<u8>, TimeStampError>> {
        self.0.timestamp(message).map(Ok)
    }
}

/// Validation status codes c2pa's Reader reports (active manifest and ingredient deltas).
#[derive(Clone, Debug, Default)]
pub struct C2paCodes {
    pub success: Vec<String>,
    pub informational: Vec<String>,
    pub failure: Vec<String>,
    /// `Reader::validation_state()` as Debug text: "Invalid", "Valid" or "Trusted".
    pub state: String,
}

impl C2paCodes {
    /// True if `code` appears in any of the three lists.
    pub fn has(&self, code: &str) -> bool {
        self.success
            .iter()
            .chain(&self.informational)
            .chain(&self.failure)
            .any(|c| c == code)
    }
}

/// Reader settings: no network; `trust_anchors` as the C2PA trust list when not empty.
pub fn reader_settings(trust_anchors: &[&CertKey]) -> Value {
    let mut s = json!({
        "verify": { "remote_manifest_fetch": false, "ocsp_fetch": false }
    });
    if !trust_anchors.is_empty() {
        s["trust"] = json!({ "trust_anchors": pem_bundle(trust_anchors) });
    }
    s
}

/// Read `bytes` with c2pa's Reader (no network, optional trust anchors).
pub fn c2pa_read(bytes: &[u8], format: &str, trust_anchors: &[&CertKey]) -> c2pa::Result<Reader> {
    let context = Context::new().with_settings(reader_settings(trust_anchors))?;
    Reader::from_context(context).with_stream(super::mime(format), Cursor::new(bytes))
}

/// The status codes of [`c2pa_read`].
pub fn c2pa_codes(
    bytes: &[u8],
    format: &str,
    trust_anchors: &[&CertKey],
) -> c2pa::Result<C2paCodes> {
    let reader = c2pa_read(bytes, format, trust_anchors)?;
    let mut out = C2paCodes {
        state: format!("{:?}", reader.validation_state()),
        ..C2paCodes::default()
    };
    if let Some(results) = reader.validation_results() {
        let mut lists = Vec::new();
        if let Some(active) = results.active_manifest() {
            lists.push(active.clone());
        }
        for delta in results.ingredient_deltas().into_iter().flatten() {
            lists.push(delta.validation_deltas().clone());
        }
        for l in lists {
            out.success
                .extend(l.success().iter().map(|s| s.code().to_string()));
            out.informational
                .extend(l.informational().iter().map(|s| s.code().to_string()));
            out.failure
                .extend(l.failure().iter().map(|s| s.code().to_string()));
        }
    }
    Ok(out)
}
