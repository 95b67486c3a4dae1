//! The HTML evidence page, end to end: real samples, some of the shared corpus, and files forged
//! at run time (including manifests and certificates full of markup and script) are verified,
//! rendered with `render::html::page`, and opened in headless Chromium. The assertions are made
//! on the DOM Chromium dumps and on its console output:
//!
//! - every summary row and every section shows the verdict of the report's JSON;
//! - every `href` is an internal `#f-N` anchor whose target exists;
//! - every `<img>` is a `data:image/jpeg` URI that decodes to a thumbnail of at most 256 px;
//! - injected markup is text: no injected `<img>`, `<script>` or `<svg>` element, no event
//!   handler attribute, no `PWNED` on the console, no CSP violation (the page's own style and
//!   script are allowed by their hashes, and the script ran);
//! - the console probe works: a control page's `console.log` reaches stderr, and a control page
//!   whose CSP refuses a script shows the refusal.
//!
//! Chromium is required: without it the test fails, unless `PROVCHECK_SKIP_BROWSER=1` (then only
//! the checks on the generated HTML run). `PROVCHECK_CHROMIUM` names another binary.
//!
//! A unit test (it was tests/html.rs) because it builds pages from the page renderer's own
//! parts, which are not public; it shares the integration tests' signing kit (tests/suite/common).

use crate::test_common as common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Cursor, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::render::html::{self, PageEntry, PageMeta};
use crate::render::thumbs;
use crate::scan::{Insights, SharedManifest, SignerCount, Summary};
use crate::{Report, Verdict, Verifier, VerifierOptions};
use base64::Engine as _;
use common::*;
use regex::Regex;

const PAYLOAD_TITLE: &str = "<img src=x onerror=console.log('PWNED-1')>";
const PAYLOAD_GENERATOR: &str = "<script>console.log('PWNED-2')</script>";
const PAYLOAD_AGENT: &str = "javascript:alert(1)";
const PAYLOAD_CN: &str = "\"><svg onload=console.log('PWNED-3')>";
const PAYLOAD_ORG: &str = "Evil & Co <b onmouseover=console.log('PWNED-4')>";
const PAYLOAD_CLAIM: &str = "Adobe Firefly <script>console.log('PWNED-5')</script>";
const PAYLOAD_SVG_THUMB: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"console.log('PWNED-6')\"><script>console.log('PWNED-6')</script></svg>";
/// A file name with markup and quotes.
const PAYLOAD_FILE: &str = "xss-<i onclick=alert(7)>'\"&.jpg";

const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn out_dir() -> PathBuf {
    let d = project().join("target").join("html-test");
    std::fs::create_dir_all(&d).expect("create target/html-test");
    d
}

/// A throw-away CA: "CN=<cn>, O=Example Test PKI".
fn root(cn: &str) -> CertKey {
    make_ca(
        &[("C", "US"), ("O", "Example Test PKI"), ("CN", cn)],
        None,
        KeyAlg::P256,
    )
}

/// A solid-colour JPEG (used as a claim thumbnail that differs from the pixels).
fn solid_jpeg(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    out
}

/// Sign like the kit's `sign`, with an explicit claim thumbnail (`set_thumbnail`).
fn sign_with_thumbnail(
    asset: &[u8],
    format: &str,
    manifest: &str,
    chain: &[&CertKey],
    thumbnail: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let signer = c2pa::create_signer::from_keys(
        pem_bundle(chain).as_bytes(),
        chain[0].key_pem.as_bytes(),
        chain[0].alg.signing_alg(),
        None,
    )
    .expect("signer");
    let context = c2pa::Context::new()
        .with_settings(SIGN_SETTINGS)
        .expect("settings");
    let mut builder = c2pa::Builder::from_context(context)
        .with_definition(manifest)
        .expect("definition");
    if let Some((mime, bytes)) = thumbnail {
        builder
            .set_thumbnail(mime, &mut Cursor::new(bytes))
            .expect("thumbnail");
    }
    let mut dest = Cursor::new(Vec::new());
    builder
        .sign(
            signer.as_ref(),
            common::mime(format),
            &mut Cursor::new(asset),
            &mut dest,
        )
        .expect("c2pa sign");
    dest.into_inner()
}

struct Forged {
    dir: tempfile::TempDir,
    anchor: CertKey,
    files: Vec<PathBuf>,
    authentic: PathBuf,
    tampered: PathBuf,
    payload: PathBuf,
    svg_thumb: PathBuf,
}

/// Files made at run time: authentic (under a user anchor), its tampered copy (same manifest,
/// other content), a file whose manifest and certificate are full of markup (untrusted signer),
/// one that claims "Adobe Firefly" with a script and an SVG claim thumbnail (mismatched), and
/// text named .jpg (error).
fn forge() -> Forged {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = plain_jpeg();
    let trusted_root = root("provcheck html-test root");
    let trusted_leaf = make_leaf(
        &[("O", "Example Org"), ("CN", "Example Signer")],
        &trusted_root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    let evil_root = root("provcheck html-test untrusted root");
    let evil_leaf = make_leaf(
        &[("O", PAYLOAD_ORG), ("CN", PAYLOAD_CN)],
        &evil_root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );

    let neutral = manifest_json(
        "forged-authentic.jpg",
        "provcheck-html-test",
        Some("Example Drawing App"),
        Some(DST_DIGITAL_CREATION),
    );
    let authentic = sign_with_thumbnail(
        &plain,
        "jpeg",
        &neutral,
        &[&trusted_leaf],
        Some(("image/jpeg", &plain)),
    );
    let tampered = flip_image_byte(&authentic, "jpeg");
    let payload_manifest = manifest_json(
        PAYLOAD_TITLE,
        PAYLOAD_GENERATOR,
        Some(PAYLOAD_AGENT),
        Some(DST_DIGITAL_CREATION),
    );
    let payload = sign_with_thumbnail(
        &plain,
        "jpeg",
        &payload_manifest,
        &[&evil_leaf],
        Some(("image/jpeg", &solid_jpeg(80, 60, [220, 30, 30]))),
    );
    let claim_manifest = manifest_json(
        "forged-firefly.jpg",
        "provcheck-html-test",
        Some(PAYLOAD_CLAIM),
        Some(DST_TRAINED_ALGORITHMIC_MEDIA),
    );
    let svg_thumb = sign_with_thumbnail(
        &plain,
        "jpeg",
        &claim_manifest,
        &[&trusted_leaf],
        Some(("image/svg+xml", PAYLOAD_SVG_THUMB.as_bytes())),
    );

    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write forged file");
        p
    };
    let authentic = write("forged-authentic.jpg", &authentic);
    let tampered = write("forged-tampered.jpg", &tampered);
    let payload = write(PAYLOAD_FILE, &payload);
    let svg_thumb = write("forged-firefly-svg-thumbnail.jpg", &svg_thumb);
    let error = write("forged-text.jpg", b"this is not an image\n");
    Forged {
        files: vec![
            authentic.clone(),
            tampered.clone(),
            payload.clone(),
            svg_thumb.clone(),
            error,
        ],
        authentic,
        tampered,
        payload,
        svg_thumb,
        anchor: trusted_root,
        dir,
    }
}

/// A handful of corpus files of each verdict (when ../shared/corpus exists).
fn corpus_files() -> Vec<PathBuf> {
    let Some(corpus) = corpus("the HTML test's corpus files") else {
        return Vec::new();
    };
    let picks = [
        // generators/EXPECTED.tsv: authentic, authentic (webp), tampered, untrusted, unsigned
        // (AI metadata, no manifest), authentic (PNG, two manifests), tampered (Truepic).
        "generators/adobe/Firefly_tabby_cat.jpg",
        "generators/openai/DALL-E_cloud_surfing_puppy.webp",
        "generators/openai/chatgpt_image_gray.png",
        "generators/amazon/amazon-titan-g1.png",
        "generators/none/automatic1111_cropped.png",
        "generators/microsoft/demopod_image.png",
        "generators/truepic/t4.jpg",
        // conformance/EXPECTED.tsv: nested ingredients, data hash broken, BMFF HEIC (no pixel
        // thumbnail), remote manifest, expired signer, SVG, TIFF, PNG thumbnail in a databox.
        "conformance/jpeg/adobe-20220124-CAICAI.jpg",
        "conformance/jpeg/adobe-20220124-E-dat-CA.jpg",
        "conformance/heic/trustnxt-icon-signed-v2-bmff.heic",
        "conformance/jpeg/cloud.jpg",
        "conformance/jpeg/cards_expired_without_timestamp.jpg",
        "conformance/svg/cards_trusted.svg",
        "conformance/tiff/100kb-signed.tiff",
        "conformance/png/thumbnail-in-databox.png",
    ];
    picks
        .iter()
        .map(|p| {
            let path = corpus.join(p);
            assert!(path.is_file(), "corpus file {p} is missing");
            path
        })
        .collect()
}

fn sample_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [project().join("samples"), project().join("samples/plain")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("samples dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_file())
            .filter(|p| dir.ends_with("plain") || p.extension().is_some_and(|e| e == "jpg"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

fn json_verdict(r: &Report) -> String {
    serde_json::to_value(r).expect("report serialises")["verdict"]
        .as_str()
        .expect("verdict string")
        .to_string()
}

/// What a scan would compute, by hand: counts, manifests shared by different contents, signers.
fn hand_summary(reports: &[Report]) -> Summary {
    let mut verdicts: BTreeMap<String, u64> = Verdict::ALL
        .iter()
        .map(|v| (v.as_str().to_string(), 0))
        .collect();
    for r in reports {
        *verdicts.entry(r.verdict.as_str().into()).or_default() += 1;
    }
    let mut by_label: BTreeMap<&str, Vec<&Report>> = BTreeMap::new();
    for r in reports {
        if let Some(m) = &r.manifest {
            by_label.entry(m.label.as_str()).or_default().push(r);
        }
    }
    let shared_manifests = by_label
        .iter()
        .filter_map(|(label, rs)| {
            let contents: BTreeSet<_> = rs.iter().map(|r| r.input.sha256.clone()).collect();
            (contents.len() > 1).then(|| SharedManifest {
                key: "label".into(),
                value: label.to_string(),
                distinct_contents: contents.len() as u64,
                file_count: rs.len() as u64,
                files: rs
                    .iter()
                    .map(|r| r.input.path.clone().unwrap_or_default())
                    .collect(),
            })
        })
        .collect();
    let mut signers: BTreeMap<String, SignerCount> = BTreeMap::new();
    for r in reports {
        if let Some(c) = r.signature.as_ref().and_then(|s| s.signer.as_ref()) {
            let e = signers
                .entry(c.sha256.clone())
                .or_insert_with(|| SignerCount {
                    certificate_sha256: c.sha256.clone(),
                    subject: c.subject.clone(),
                    organization: c.organization.clone(),
                    trusted: false,
                    files: 0,
                });
            e.files += 1;
            e.trusted |= r.trust.as_ref().is_some_and(|t| t.trusted);
        }
    }
    Summary {
        schema_version: crate::SCHEMA_VERSION,
        provcheck_version: crate::LONG_VERSION.into(),
        files: reports.len() as u64,
        bytes: reports.iter().map(|r| r.input.size).sum(),
        jobs: 1,
        verdicts,
        insights: Insights {
            shared_manifests,
            signers: signers.into_values().collect(),
            ..Insights::default()
        },
        ..Summary::default()
    }
}

// ------------------------------------------------------------------------------ browser

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROVCHECK_CHROMIUM") {
        let p = PathBuf::from(p);
        if !p.is_file() {
            eprintln!("PROVCHECK_CHROMIUM={} is not a file", p.display());
        }
        return p.is_file().then_some(p);
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Run {
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Run headless Chromium with a fresh profile, logging the console to stderr.
fn chromium(bin: &Path, extra: &[String], file: &Path) -> Run {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}", file.display());
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if started.elapsed() > BROWSER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within {BROWSER_TIMEOUT:?} on {url}");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let stdout = String::from_utf8_lossy(&t_out.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().expect("stderr reader")).into_owned();
    Run {
        stdout,
        stderr,
        elapsed: started.elapsed(),
    }
}

fn dump_dom(bin: &Path, file: &Path) -> Run {
    let run = chromium(bin, &["--dump-dom".to_string()], file);
    assert!(
        run.stdout.contains("</html>"),
        "chromium dumped no DOM for {}; stderr:\n{}",
        file.display(),
        run.stderr
    );
    run
}

// ------------------------------------------------------------------------------ DOM checks

struct Expect<'a> {
    reports: &'a [Report],
    thumbnails: usize,
    payload_index: usize,
    svg_thumb_index: usize,
    shared: (usize, usize),
}

/// Assertions that hold both for the generated HTML and for the DOM Chromium dumps.
fn check_dom(dom: &str, what: &str, ex: &Expect<'_>) {
    let n = ex.reports.len();

    // Summary rows: verdict attribute, badge attribute and badge text all equal the JSON's.
    let table = dom
        .split("<table id=\"summary\">")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .unwrap_or_else(|| panic!("{what}: no summary table"));
    let row_re = Regex::new(r#"(?s)<tr data-verdict="([a-z]+)"[^>]*>(.*?)</tr>"#).unwrap();
    let badge_re =
        Regex::new(r#"<span class="verdict v-([a-z]+)" data-verdict="([a-z]+)">([a-z]+)</span>"#)
            .unwrap();
    let href_re = Regex::new(r##"href="#f-(\d+)""##).unwrap();
    let mut seen = BTreeSet::new();
    let mut last_rank = 0;
    for row in row_re.captures_iter(table) {
        let body = &row[2];
        let idx: usize = href_re.captures(body).expect("row links its section")[1]
            .parse()
            .unwrap();
        assert!(idx < n, "{what}: row links f-{idx}");
        let expected = json_verdict(&ex.reports[idx]);
        let badge = badge_re.captures(body).expect("row has a badge");
        assert_eq!(&row[1], expected, "{what}: summary row of f-{idx}");
        assert_eq!(
            [&badge[1], &badge[2], &badge[3]],
            [expected.as_str(); 3],
            "{what}: summary badge of f-{idx} (class, data-verdict, text)"
        );
        let rank = Verdict::ALL
            .iter()
            .position(|v| v.as_str() == expected)
            .unwrap();
        assert!(rank >= last_rank, "{what}: rows are sorted worst first");
        last_rank = rank;
        assert!(seen.insert(idx), "{what}: f-{idx} listed twice");
    }
    assert_eq!(seen.len(), n, "{what}: one summary row per report");

    // Sections: exactly one verdict badge each, equal to the JSON's.
    let section_re =
        Regex::new(r#"(?s)<section class="entry[^"]*" id="f-(\d+)">(.*?)</section>"#).unwrap();
    let mut sections = BTreeSet::new();
    for s in section_re.captures_iter(dom) {
        let idx: usize = s[1].parse().unwrap();
        let expected = json_verdict(&ex.reports[idx]);
        let badges: Vec<_> = badge_re.captures_iter(&s[2]).collect();
        assert_eq!(badges.len(), 1, "{what}: one verdict badge in f-{idx}");
        let b = &badges[0];
        assert_eq!(
            [&b[1], &b[2], &b[3]],
            [expected.as_str(); 3],
            "{what}: section f-{idx} badge (class, data-verdict, text)"
        );
        assert!(sections.insert(idx), "{what}: section f-{idx} twice");
        if idx == ex.svg_thumb_index {
            let claim = s[2]
                .split("<figure class=\"claim-thumbnail\">")
                .nth(1)
                .expect("claim thumbnail figure");
            assert!(
                claim.starts_with("<div class=\"none\">none</div>"),
                "{what}: an SVG claim thumbnail is shown as none"
            );
        }
    }
    assert_eq!(sections.len(), n, "{what}: one section per report");
    assert_eq!(
        dom.matches("data-verdict=").count(),
        3 * n,
        "{what}: data-verdict only on summary rows, their badges and section badges"
    );

    // Links: only internal anchors, all resolving.
    let ids: BTreeSet<&str> = Regex::new(r#"\sid="([^"]+)""#)
        .unwrap()
        .captures_iter(dom)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let anchor_re = Regex::new(r"^#f-\d+$").unwrap();
    let mut links = 0;
    for c in Regex::new(r#"\shref="([^"]*)""#)
        .unwrap()
        .captures_iter(dom)
    {
        let target = &c[1];
        assert!(
            anchor_re.is_match(target),
            "{what}: href {target:?} is not an internal anchor"
        );
        assert!(
            ids.contains(&target[1..]),
            "{what}: href {target} has no target"
        );
        links += 1;
    }
    assert!(links >= n, "{what}: every row links its section");
    assert!(
        !Regex::new(r"(?i)\s(src|href|action|formaction|xlink:href)\s*=\s*.?javascript:")
            .unwrap()
            .is_match(dom),
        "{what}: a javascript: URL in an attribute"
    );

    // Images: data:image/jpeg thumbnails that decode, no larger than 256 px.
    let img_re = Regex::new(r"(?i)<img\b[^>]*>").unwrap();
    let src_re = Regex::new(r#"\ssrc="([^"]*)""#).unwrap();
    let wh_re = Regex::new(r#"\swidth="(\d+)" height="(\d+)""#).unwrap();
    let mut images = 0;
    for tag in img_re.find_iter(dom) {
        let tag = tag.as_str();
        let src = &src_re
            .captures(tag)
            .unwrap_or_else(|| panic!("{what}: img without src: {tag}"))[1];
        let b64 = src
            .strip_prefix("data:image/jpeg;base64,")
            .unwrap_or_else(|| panic!("{what}: img src is not a data:image/jpeg URI: {tag:.120}"));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("thumbnail base64");
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
            .expect("thumbnail decodes");
        assert!(img.width() <= 256 && img.height() <= 256);
        let wh = wh_re.captures(tag).expect("img width and height");
        assert_eq!(
            (img.width(), img.height()),
            (wh[1].parse().unwrap(), wh[2].parse().unwrap()),
            "{what}: img size attributes"
        );
        images += 1;
    }
    assert_eq!(images, ex.thumbnails, "{what}: one <img> per thumbnail");

    // Injection: payloads are text; no injected element or handler. (The page's own script is
    // checked separately, then left out: its code has a `<`.)
    let script = dom
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("page script");
    assert_eq!(
        script,
        html::SCRIPT,
        "{what}: the script is the fixed constant"
    );
    let dom = &dom.replacen(script, "", 1);
    let text = dom.replace("&#39;", "'").replace("&quot;", "\"");
    for needle in [
        "&lt;img src=x onerror=console.log('PWNED-1')&gt;",
        "&lt;script&gt;console.log('PWNED-2')&lt;/script&gt;",
        "javascript:alert(1)",
        // Certificate names may carry RFC 4514 backslash escapes.
        "&lt;svg onload=console.log('PWNED-3')",
        "Evil &amp; Co &lt;b onmouseover=console.log('PWNED-4')&gt;",
        "Adobe Firefly &lt;script&gt;console.log('PWNED-5')&lt;/script&gt;",
        "xss-&lt;i onclick=alert(7)&gt;'\"&amp;.jpg",
    ] {
        assert!(
            text.contains(needle),
            "{what}: payload shown as text: {needle}"
        );
    }
    let payload_section = section_re
        .captures_iter(dom)
        .find(|c| c[1].parse::<usize>().unwrap() == ex.payload_index)
        .expect("payload section");
    assert!(payload_section[2].contains("PWNED-1") && payload_section[2].contains("PWNED-3"));
    assert!(
        !Regex::new(r"(?i)<img\s+src=.?x\b").unwrap().is_match(dom),
        "{what}: injected <img src=x> element"
    );
    assert!(
        !Regex::new(r"(?i)<(svg|iframe|object|embed|b|i)\b")
            .unwrap()
            .is_match(dom),
        "{what}: injected element"
    );
    assert_eq!(
        Regex::new(r"(?i)<script\b").unwrap().find_iter(dom).count(),
        1,
        "{what}: only the page's own script"
    );
    assert!(
        !Regex::new(r"(?i)<[^>]*\son[a-z]+\s*=")
            .unwrap()
            .is_match(dom),
        "{what}: an event-handler attribute"
    );
    assert!(
        !dom.contains("PWNED-6"),
        "{what}: SVG thumbnail bytes embedded"
    );

    // Insights: the transplanted manifest (authentic file and its tampered copy) lists both.
    let insights = dom
        .split("<section id=\"insights\">")
        .nth(1)
        .expect("insights section");
    let shared = insights
        .split("<div class=\"insight shared-manifest\">")
        .skip(1)
        .find(|d| {
            d.contains(&format!("href=\"#f-{}\"", ex.shared.0))
                && d.contains(&format!("href=\"#f-{}\"", ex.shared.1))
        });
    assert!(
        shared.is_some(),
        "{what}: shared manifest insight lists both files"
    );
}

#[test]
fn html_report_in_headless_chromium() {
    let started = Instant::now();
    let forged = forge();
    let verifier = Verifier::new(VerifierOptions {
        extra_anchors: vec![forged.anchor.pem.clone().into_bytes()],
        thumbnails: true,
        ..VerifierOptions::default()
    })
    .expect("verifier");
    let mut paths = sample_files();
    paths.extend(corpus_files());
    paths.extend(forged.files.iter().cloned());

    let mut entries = Vec::new();
    for p in &paths {
        let mut report = verifier.verify_path(p);
        // none for a file refused before it is read (samples/plain/LICENSE.md)
        let thumbs = report.input.thumbnails.take().unwrap_or_default();
        let (thumbnail, manifest_thumbnail) = (thumbs.pixels, thumbs.manifest);
        eprintln!(
            "{:<11} pixels={:<9} claim={:<9} {}",
            report.verdict.as_str(),
            thumbnail
                .as_ref()
                .map_or("none".into(), |t| format!("{}x{}", t.width, t.height)),
            manifest_thumbnail
                .as_ref()
                .map_or("none".into(), |t| format!("{}x{}", t.width, t.height)),
            p.display()
        );
        entries.push(PageEntry {
            report,
            thumbnail,
            manifest_thumbnail,
        });
    }
    let reports: Vec<Report> = entries.iter().map(|e| e.report.clone()).collect();
    let index = |p: &Path| {
        paths
            .iter()
            .position(|x| x == p)
            .expect("forged file listed")
    };
    let (authentic, tampered, payload, svg_thumb) = (
        index(&forged.authentic),
        index(&forged.tampered),
        index(&forged.payload),
        index(&forged.svg_thumb),
    );

    // The forged files give the verdicts they were made for, so every verdict is on the page.
    assert_eq!(reports[authentic].verdict, Verdict::Authentic);
    assert_eq!(reports[tampered].verdict, Verdict::Tampered);
    assert_eq!(reports[payload].verdict, Verdict::Untrusted);
    assert_eq!(reports[svg_thumb].verdict, Verdict::Mismatched);
    let verdicts: BTreeSet<Verdict> = reports.iter().map(|r| r.verdict).collect();
    assert_eq!(verdicts.len(), 6, "every verdict present: {verdicts:?}");
    // Thumbnails: the authentic file has both; the payload one has its red claim thumbnail; the
    // SVG claim thumbnail is not shown.
    assert!(
        entries[authentic].thumbnail.is_some() && entries[authentic].manifest_thumbnail.is_some()
    );
    let red = entries[payload]
        .manifest_thumbnail
        .as_ref()
        .expect("payload claim thumbnail");
    assert_eq!((red.width, red.height), (80, 60));
    assert!(entries[svg_thumb].manifest_thumbnail.is_none());

    let summary = hand_summary(&reports);
    let meta = PageMeta {
        title: "provcheck html test <b>report</b>".into(),
        generated_at: chrono::Utc::now().to_rfc3339(),
        omitted: 0,
    };
    let page = html::page(&entries, Some(&summary), &meta);
    let dir = out_dir();
    let report_html = dir.join("report.html");
    std::fs::write(&report_html, &page).expect("write report.html");
    std::fs::write(
        dir.join("reports.json"),
        crate::render::json_document(&reports),
    )
    .expect("write reports.json");
    let thumbs_bytes: usize = entries
        .iter()
        .flat_map(|e| [&e.thumbnail, &e.manifest_thumbnail])
        .flatten()
        .map(|t| t.data_uri().len())
        .sum();
    eprintln!(
        "page: {} entries, {} bytes ({} per entry; thumbnails {} bytes), built in {:?}: {}",
        entries.len(),
        page.len(),
        page.len() / entries.len(),
        thumbs_bytes,
        started.elapsed(),
        report_html.display()
    );

    let expect = Expect {
        reports: &reports,
        thumbnails: entries
            .iter()
            .map(|e| e.thumbnail.is_some() as usize + e.manifest_thumbnail.is_some() as usize)
            .sum(),
        payload_index: payload,
        svg_thumb_index: svg_thumb,
        shared: (authentic, tampered),
    };
    check_dom(&page, "generated HTML", &expect);

    let Some(bin) = find_chromium() else {
        if std::env::var("PROVCHECK_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("\n*** SKIPPED: chromium not found and PROVCHECK_SKIP_BROWSER=1: the page was NOT checked in a browser ***\n");
            return;
        }
        panic!("chromium not found (install it, e.g. `apt-get install -y chromium`, set PROVCHECK_CHROMIUM, or set PROVCHECK_SKIP_BROWSER=1 to skip the browser checks)");
    };
    let browser_started = Instant::now();

    // The probe can detect: a control page's console.log reaches stderr ...
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>control</p><script>console.log('PROBE-OK')</script></body></html>\n",
    )
    .unwrap();
    let run = dump_dom(&bin, &control);
    assert!(
        run.stderr.contains("PROBE-OK"),
        "the console probe sees nothing: chromium stderr:\n{}",
        run.stderr
    );
    // ... and a CSP refusal shows there too (so "no CSP message" below means something).
    let allowed = "console.log('PROBE-CSP-ALLOWED')";
    let control_csp = dir.join("control-csp.html");
    std::fs::write(
        &control_csp,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {}\"></head><body><script>{allowed}</script><script>console.log('PWNED-CONTROL')</script></body></html>\n",
            html::csp_hash(allowed)
        ),
    )
    .unwrap();
    let run = dump_dom(&bin, &control_csp);
    assert!(
        run.stderr.contains("PROBE-CSP-ALLOWED"),
        "hash-allowed script did not run: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("PWNED-CONTROL"), "CSP did not block");
    assert!(
        run.stderr.contains("Content Security Policy"),
        "no CSP refusal message on stderr: {}",
        run.stderr
    );

    // The report.
    let run = dump_dom(&bin, &report_html);
    let dumped = dir.join("report.dom.html");
    std::fs::write(&dumped, &run.stdout).unwrap();
    std::fs::write(dir.join("report.stderr.txt"), &run.stderr).unwrap();
    eprintln!("dump-dom took {:?}", run.elapsed);
    check_dom(&run.stdout, "Chromium DOM", &expect);
    assert!(
        !run.stderr.contains("PWNED"),
        "injected code ran: chromium stderr:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Content Security Policy"),
        "the page violates its own CSP (style/script hash?): {}",
        run.stderr
    );
    assert!(
        Regex::new(r#"<html[^>]*\sdata-js="on""#)
            .unwrap()
            .is_match(&run.stdout),
        "the page's script did not run (CSP hash?)"
    );
    assert!(
        Regex::new(r#"<th[^>]*aria-sort="none""#)
            .unwrap()
            .is_match(&run.stdout),
        "the summary table was not made sortable"
    );

    // A screenshot, for people.
    let png = dir.join("report.png");
    let _ = std::fs::remove_file(&png);
    let run = chromium(
        &bin,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,4000".into(),
            "--hide-scrollbars".into(),
        ],
        &report_html,
    );
    eprintln!("screenshot took {:?}", run.elapsed);
    assert!(!run.stderr.contains("PWNED"));
    let shot = image::open(&png).unwrap_or_else(|e| {
        panic!(
            "screenshot {} missing or unreadable: {e}; stderr:\n{}",
            png.display(),
            run.stderr
        )
    });
    assert_eq!((shot.width(), shot.height()), (1280, 4000));
    eprintln!(
        "browser checks took {:?}; total {:?}; screenshot {}",
        browser_started.elapsed(),
        started.elapsed(),
        png.display()
    );
    let counts: HashMap<&str, usize> = reports.iter().fold(HashMap::new(), |mut m, r| {
        *m.entry(r.verdict.as_str()).or_default() += 1;
        m
    });
    eprintln!("verdicts on the page: {counts:?}");
    drop(forged.dir);
}

/// The claim thumbnail comes from provcheck's own reading of the store (no second SDK parse):
/// over the samples and the HTML test's corpus files it is the thumbnail the c2pa SDK's Reader
/// gives for the active manifest, re-encoded the same way, and some files have one.
#[test]
fn claim_thumbnails_are_the_sdks_active_manifest_thumbnails() {
    let verifier = Verifier::new(VerifierOptions {
        thumbnails: true,
        ..VerifierOptions::default()
    })
    .expect("verifier");
    let context = c2pa::Context::new()
        .with_settings(
            serde_json::json!({
                "verify": {"verify_after_reading": false, "remote_manifest_fetch": false,
                           "ocsp_fetch": false},
                "core": {"decode_identity_assertions": false},
            })
            .to_string()
            .as_str(),
        )
        .expect("settings")
        .into_shared();
    let mut with_thumbnail = 0;
    let mut paths = sample_files();
    paths.extend(corpus_files());
    for p in &paths {
        let data = std::fs::read(p).expect("read file");
        let mut report = verifier.verify_bytes(&data, p.to_str());
        let ours = report.input.thumbnails.take().and_then(|t| t.manifest);
        let mime = crate::read::sniff::sniff_full(&data).mime();
        let sdk = c2pa::Reader::from_shared_context(&context)
            .with_stream(mime, Cursor::new(&data))
            .ok()
            .and_then(|r| {
                let id = r.active_manifest()?.thumbnail_ref()?.identifier.clone();
                let mut out = Cursor::new(Vec::new());
                r.resource_to_stream(&id, &mut out).ok()?;
                Some(out.into_inner())
            })
            .and_then(|bytes| thumbs::of_pixels(&bytes));
        assert_eq!(ours, sdk, "{}", p.display());
        with_thumbnail += usize::from(ours.is_some());
    }
    assert!(
        with_thumbnail >= 3,
        "{with_thumbnail} files with a claim thumbnail"
    );
}
