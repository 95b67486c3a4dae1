//! Real trust lists and real signer chains from `../shared/corpus/trust` (when present).
//! Expected answers come from `SIGNER-CHAINS.tsv` (OpenSSL `-partial_chain` results) and
//! the corpus README: in legacy (interim) mode the observed AI-generator chains are
//! trusted via the interim anchors; none chains to the official C2PA lists.

use super::super::*;
use super::ts;

fn read(p: &std::path::Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn pem_chain(p: &std::path::Path) -> Vec<Vec<u8>> {
    pem::parse_blocks(&read(p))
        .unwrap()
        .into_iter()
        .map(|b| b.der)
        .collect()
}

struct Row {
    file: String,
    leaf_subject: String,
    leaf_issuer: String,
    leaf_sha256: String,
    c2pa: bool,
    c2pa_tsa: bool,
    interim: bool,
    allowed: bool,
}

fn rows(dir: &std::path::Path) -> Vec<Row> {
    crate::test_support::read_tsv(&dir.join("SIGNER-CHAINS.tsv"))
        .into_iter()
        .map(|f| Row {
            file: f["file"].clone(),
            leaf_subject: f["leaf_subject"].clone(),
            leaf_issuer: f["leaf_issuer"].clone(),
            leaf_sha256: f["leaf_sha256"].clone(),
            c2pa: f["chains_to_C2PA_TRUST_LIST"] == "OK",
            c2pa_tsa: f["chains_to_C2PA_TSA_TRUST_LIST"] == "OK",
            interim: f["chains_to_interim_anchors"] == "OK",
            allowed: f["leaf_in_interim_allowed"] == "yes",
        })
        .collect()
}

/// The chain for one leaf of a sample file: that leaf first, then the file's other certs.
fn chain_for(dir: &std::path::Path, row: &Row) -> Vec<Vec<u8>> {
    let all = pem_chain(&dir.join(&row.file));
    let leaf_pos = all
        .iter()
        .position(|d| hex::encode(cert::sha256(d)) == row.leaf_sha256)
        .unwrap_or_else(|| panic!("leaf {} not in {}", row.leaf_sha256, row.file));
    let mut out = vec![all[leaf_pos].clone()];
    out.extend(
        all.iter()
            .enumerate()
            .filter(|(i, _)| *i != leaf_pos)
            .map(|(_, d)| d.clone()),
    );
    out
}

fn purpose_of(row: &Row) -> Purpose {
    if row.file.contains("/tsa_") {
        Purpose::TimeStamping
    } else {
        Purpose::ClaimSigning
    }
}

fn legacy_store(dir: &std::path::Path) -> TrustStore {
    let mut s = TrustStore::new();
    let n = s
        .add_anchors_pem(
            &read(&dir.join("interim/anchors.pem")),
            TrustSource::InterimAnchors,
        )
        .unwrap();
    assert_eq!(n, 18, "interim/anchors.pem holds 18 anchors");
    let n = s
        .add_allowed(
            &read(&dir.join("interim/allowed.sha256.txt")),
            TrustSource::InterimAllowed,
        )
        .unwrap();
    assert_eq!(n, 86);
    let n = s
        .add_allowed(
            &read(&dir.join("interim/allowed.pem")),
            TrustSource::InterimAllowed,
        )
        .unwrap();
    assert_eq!(n, 86);
    assert_eq!(
        s.allowed_count(),
        86,
        "PEM and hash forms of the allow-list agree"
    );
    let cfg = String::from_utf8(read(&dir.join("interim/store.cfg"))).unwrap();
    assert_eq!(s.add_eku_config(&cfg).unwrap(), 6);
    s
}

fn official_store(dir: &std::path::Path) -> TrustStore {
    let mut s = TrustStore::new();
    let list = dir.join("c2pa-conformance-public/trust-list");
    let n = s
        .add_anchors_pem(
            &read(&list.join("C2PA-TRUST-LIST.pem")),
            TrustSource::C2paTrustList,
        )
        .unwrap();
    assert_eq!(n, 30);
    let n = s
        .add_anchors_pem(
            &read(&list.join("C2PA-TSA-TRUST-LIST.pem")),
            TrustSource::C2paTsaTrustList,
        )
        .unwrap();
    assert_eq!(n, 22);
    s
}

/// C2PA trust model with the real lists: every observed signer chain evaluates as the
/// corpus says (interim anchors / allow-list in legacy mode; no chain reaches the official
/// C2PA lists), DN strings match the corpus's RFC 4514 strings, and the Microsoft and
/// Adobe Firefly chains are trusted via the interim anchors at their signing times.
#[test]
fn c2pa_real_lists_and_observed_chains() {
    let Some(corpus) = crate::test_support::corpus("c2pa_real_lists_and_observed_chains") else {
        return;
    };
    let dir = corpus.join("trust");
    let legacy = TrustEngine::new(legacy_store(&dir));
    let official = TrustEngine::new(official_store(&dir));
    let rows = rows(&dir);
    assert!(rows.len() >= 19);
    for row in &rows {
        let chain = chain_for(&dir, row);
        let leaf = cert::ParsedCert::parse(&chain[0], false).unwrap();
        assert_eq!(leaf.subject, row.leaf_subject, "{}", row.file);
        assert_eq!(leaf.issuer, row.leaf_issuer, "{}", row.file);
        // Inside the leaf's validity (Truepic device leaves last one day).
        let at = leaf.not_before + 3600;
        let purpose = purpose_of(row);
        let e = legacy.evaluate(&chain, purpose, at);
        let o = official.evaluate(&chain, purpose, at);
        eprintln!(
            "{:<60} {:?} legacy trusted={} end={:?} failures={:?} | official trusted={} failures={:?}",
            row.file,
            purpose,
            e.trusted,
            e.ended_at.as_ref().map(|x| serde_json::to_string(x).unwrap()),
            e.failures.iter().map(|f| f.error.code()).collect::<Vec<_>>(),
            o.trusted,
            o.failures.iter().map(|f| f.error.code()).collect::<Vec<_>>(),
        );
        let expected_legacy = row.interim || row.allowed;
        assert_eq!(e.trusted, expected_legacy, "{} legacy: {e:#?}", row.file);
        if row.allowed {
            assert!(matches!(
                e.ended_at,
                Some(PathEnd::AllowedLeaf {
                    source: TrustSource::InterimAllowed,
                    ..
                })
            ));
        } else if row.interim {
            assert!(matches!(
                e.ended_at,
                Some(PathEnd::Anchor {
                    source: TrustSource::InterimAnchors,
                    ..
                })
            ));
        }
        let expected_official = match purpose {
            Purpose::ClaimSigning => row.c2pa,
            Purpose::TimeStamping => row.c2pa_tsa,
        };
        assert_eq!(
            o.trusted, expected_official,
            "{} official: {o:#?}",
            row.file
        );
        assert!(
            e.name_only_matches.is_empty() && o.name_only_matches.is_empty(),
            "{}",
            row.file
        );
    }

    // Microsoft Bing Image Creator: trusted via the interim Microsoft root at its signing
    // time (2024-03-08T20:41:56Z), with the store.cfg EKU set (Microsoft C2PA EKU only).
    let ms = pem_chain(&dir.join("observed-samples/microsoft_bing_image_creator_2024.pem"));
    let signing_time = chrono::DateTime::parse_from_rfc3339("2024-03-08T20:41:56Z")
        .unwrap()
        .timestamp();
    let e = legacy.evaluate(&ms, Purpose::ClaimSigning, signing_time);
    assert!(e.trusted, "{e:#?}");
    assert_eq!(e.path.len(), 3);
    assert_eq!(
        e.path[0].sha256,
        "7db2e5dbdb80849719cc95a34d35fb92ab0e3f1f5e001f475d91bf3028714117"
    );
    assert_eq!(e.path[0].key_algorithm.split(' ').next(), Some("RSA"));
    match &e.ended_at {
        Some(PathEnd::Anchor {
            source, subject, ..
        }) => {
            assert_eq!(*source, TrustSource::InterimAnchors);
            assert_eq!(
                subject,
                "CN=Microsoft Supply Chain RSA Root CA 2022,O=Microsoft Corporation,C=US"
            );
        }
        other => panic!("{other:?}"),
    }
    // The leaf expired 2024-03-31: after that only a trusted timestamp keeps it valid.
    let late = legacy.evaluate(&ms, Purpose::ClaimSigning, ts(2024, 6, 1));
    assert!(late.failed_only_on_time(), "{late:#?}");

    // A generator pin on the Microsoft issuing CA's key is reported on that path, and a
    // forged CA with its name is caught.
    let ms_ca = cert::ParsedCert::parse(&ms[1], false).unwrap();
    let mut pinned = legacy_store(&dir);
    pinned.add_pin(ms_ca.spki_sha256, &ms_ca.subject, "microsoft");
    let pinned = TrustEngine::new(pinned);
    let e = pinned.evaluate(&ms, Purpose::ClaimSigning, signing_time);
    assert!(e.trusted);
    assert_eq!(e.pinned_generators, ["microsoft"]);
    assert!(
        matches!(e.ended_at, Some(PathEnd::Anchor { .. })),
        "anchor preferred over pin"
    );

    // Adobe Firefly 2025: trusted via the interim Adobe Root CA G2.
    let ff = pem_chain(&dir.join("observed-samples/adobe_firefly_2025.pem"));
    let e = legacy.evaluate(&ff, Purpose::ClaimSigning, ts(2025, 11, 1));
    assert!(e.trusted, "{e:#?}");
    assert!(matches!(
        &e.ended_at,
        Some(PathEnd::Anchor { source: TrustSource::InterimAnchors, subject, .. })
            if subject == "CN=Adobe Root CA G2,OU=Adobe Trust Services,O=Adobe Systems Incorporated,C=US"
    ));
    assert_eq!(
        e.path.len(),
        3,
        "leaf, Adobe Product Services G4, Adobe Root CA G2 (from the store)"
    );

    // Anchor summaries agree with INVENTORY.tsv (sha256 and spki_sha256 columns).
    let mut checked = 0;
    for f in crate::test_support::read_tsv(&dir.join("INVENTORY.tsv")) {
        if f["list"] != "interim-anchors" {
            continue;
        }
        let a = legacy
            .store()
            .anchors()
            .find(|a| a.cert.sha256 == f["sha256"])
            .unwrap_or_else(|| panic!("anchor {} missing", f["sha256"]));
        assert_eq!(a.cert.spki_sha256, f["spki_sha256"]);
        assert_eq!(a.cert.subject, f["subject"]);
        checked += 1;
    }
    assert_eq!(checked, 18);
}
