use super::*;
use crate::report::Input;
use crate::report::{Report, Severity, Verdict};
use crate::scan::Summary;
use crate::scan::{Insights, SharedManifest};
use base64::Engine as _;

fn report(path: &str, verdict: Verdict) -> Report {
    let mut r = Report::error(
        Input {
            path: Some(path.into()),
            size: 10,
            sha256: Some("00".repeat(32)),
            format: "jpeg".into(),
            ..Input::default()
        },
        "provcheck.asset.malformed",
        "test",
    );
    r.verdict = verdict;
    r
}

fn entry(r: Report) -> PageEntry {
    PageEntry {
        report: r,
        thumbnail: None,
        manifest_thumbnail: None,
    }
}

fn meta() -> PageMeta {
    PageMeta {
        title: "t".into(),
        generated_at: "2026-01-01T00:00:00Z".into(),
        omitted: 0,
    }
}

#[test]
fn escape_replaces_markup_quotes_controls_and_bounds() {
    assert_eq!(
        escape(r#"<img src=x onerror="a('b')">&"#),
        "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
    );
    assert_eq!(escape("javascript:alert(1)"), "javascript:alert(1)");
    assert_eq!(escape("&amp;"), "&amp;amp;");
    let e = escape("a\u{202e}b\x1b[2Jc\nd\0");
    assert!(!e.contains('\u{202e}') && !e.contains('\x1b') && !e.contains('\n'));
    assert!(!e.contains('\0'));
    let long = "<".repeat(5000);
    let e = escape(&long);
    assert_eq!(e.matches("&lt;").count(), MAX_TEXT);
    assert!(e.ends_with('…'));
}

#[test]
fn csp_hashes_match_the_inline_style_and_script() {
    let page = page(&[entry(report("a.jpg", Verdict::Error))], None, &meta());
    let style = page
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap();
    let script = page
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    assert_eq!(page.matches("<style>").count(), 1);
    assert_eq!(page.matches("<script>").count(), 1);
    // Independently computed SHA-256 of the exact element text.
    let b64 = |s: &str| {
        base64::engine::general_purpose::STANDARD
            .encode(ring::digest::digest(&ring::digest::SHA256, s.as_bytes()))
    };
    let csp = format!(
        "default-src 'none'; img-src data:; style-src 'sha256-{}'; script-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        b64(style),
        b64(script)
    );
    assert!(
        page.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
        )),
        "CSP meta with the hashes of the inline style and script"
    );
    // Nothing that would need another CSP source.
    assert!(!page.contains(" style=\""));
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!regex::Regex::new(r"<[^>]+\son[a-z]+=")
        .unwrap()
        .is_match(&page));
}

#[test]
fn hostile_strings_stay_text() {
    let mut r = report("<script>alert(1)</script>.jpg", Verdict::Untrusted);
    r.summary = "\"><img src=x onerror=alert(2)>".into();
    r.remote_manifest = Some("javascript:alert(3)".into());
    // status codes an ingesting signer recorded are the file's strings too
    r.ingredients = vec![crate::report::IngredientNode {
        title: Some("<b>t</b>".into()),
        relationship: "parentOf".into(),
        format: None,
        manifest: Some("m".into()),
        integrity: crate::report::Integrity::Invalid,
        claim_generator: None,
        signer_organization: None,
        signer_trusted: None,
        failures: vec!["<i>f</i>".into()],
        recorded_failures: vec!["<script>alert(4)</script>".into()],
        ingredients: Vec::new(),
    }];
    let page = page(&[entry(r)], None, &meta());
    assert!(page.contains("failed when taken in (recorded):</span> <code>&lt;script&gt;alert(4)"));
    assert!(!page.contains("<i>f</i>") && !page.contains("<b>t</b>"));
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img src=x"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;.jpg"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(page.contains("<code class=\"wrap\">javascript:alert(3)</code>"));
    let hrefs: Vec<_> = page.match_indices("href=").collect();
    assert!(hrefs.is_empty(), "one file, no summary: no links");
}

#[test]
fn folder_page_sorts_worst_first_and_links_sections() {
    let entries = vec![
        entry(report("ok.jpg", Verdict::Authentic)),
        entry(report("bad.jpg", Verdict::Tampered)),
        entry(report("none.jpg", Verdict::Unsigned)),
    ];
    let page = page(&entries, None, &meta());
    let table = page.split("<table id=\"summary\">").nth(1).unwrap();
    let rows: Vec<&str> = table
        .split("<tr data-verdict=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(rows, ["tampered", "unsigned", "authentic"]);
    for i in 0..3 {
        assert!(page.contains(&format!("href=\"#f-{i}\"")));
        assert!(page.contains(&format!("id=\"f-{i}\"")));
    }
    let a = page.find("id=\"f-1\"").unwrap();
    let b = page.find("id=\"f-0\"").unwrap();
    assert!(a < b, "sections worst first");
}

#[test]
fn thumbnails_are_embedded_whole_as_data_uris() {
    let big = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
    }));
    let mut png = Vec::new();
    big.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let t = super::super::thumbs::of_pixels(&png).unwrap();
    let uri = t.data_uri();
    assert!(
        uri.len() > MAX_TEXT,
        "long enough to be cut if it were escaped"
    );
    let mut e = entry(report("a.jpg", Verdict::Unsigned));
    e.thumbnail = Some(t);
    let page = page(&[e], None, &meta());
    assert!(page.contains(&format!(
        "<img src=\"{uri}\" width=\"256\" height=\"256\" alt=\"pixels in the file\">"
    )));
    assert!(page.contains("<figure class=\"claim-thumbnail\"><div class=\"none\">none</div>"));
}

#[test]
fn a_pathological_entry_stays_within_its_size_cap() {
    use crate::report::{ActionInfo, Reason};
    let mut r = report("big.jpg", Verdict::Tampered);
    let evil = "\"".repeat(5000);
    r.reasons = (0..5000)
        .map(|_| Reason {
            code: evil.clone(),
            severity: Severity::Failure,
            explanation: evil.clone(),
            scope: Some(evil.clone()),
        })
        .collect();
    r.actions = (0..5000)
        .map(|_| ActionInfo {
            action: evil.clone(),
            software_agent: Some(evil.clone()),
            digital_source_type: None,
            description: Some(evil.clone()),
            manifest: evil.clone(),
        })
        .collect();
    let page = page(&[entry(r)], None, &meta());
    let section = page.split("<section class=\"entry").nth(1).unwrap();
    assert!(
        section.len() < MAX_ENTRY_BYTES + 64 * 1024,
        "entry is {} bytes",
        section.len()
    );
    assert!(section.contains("reached the page's size cap per file"));
    assert!(section.contains("more not shown"));
    assert!(
        section.contains("<h3>File</h3>"),
        "the file facts are always there"
    );
}

#[test]
fn shared_manifest_insight_lists_both_files() {
    let entries = vec![
        entry(report("one.jpg", Verdict::Untrusted)),
        entry(report("two.jpg", Verdict::Tampered)),
    ];
    let summary = Summary {
        files: 3,
        insights: Insights {
            shared_manifests: vec![SharedManifest {
                key: "label".into(),
                value: "urn:c2pa:<b>shared</b>".into(),
                distinct_contents: 2,
                file_count: 3,
                files: vec!["one.jpg".into(), "two.jpg".into(), "gone.jpg".into()],
            }],
            ..Insights::default()
        },
        ..Summary::default()
    };
    let page = page(&entries, Some(&summary), &meta());
    let insights = page
        .split("<section id=\"insights\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    let shared = insights
        .split("<div class=\"insight shared-manifest\">")
        .nth(1)
        .unwrap();
    assert!(shared.contains("urn:c2pa:&lt;b&gt;shared&lt;/b&gt;"));
    assert!(shared.contains("<a href=\"#f-0\">one.jpg</a>"));
    assert!(shared.contains("<a href=\"#f-1\">two.jpg</a>"));
    assert!(shared.contains("gone.jpg <span class=\"muted\">(no detailed section)</span>"));
    assert!(shared.contains("on 3 files with 2 distinct contents"));
}

#[test]
fn a_time_stamp_that_gave_no_time_is_named_as_unusable() {
    let mut r = report("a.jpg", Verdict::Untrusted);
    r.timestamp = Some(crate::report::TimestampInfo::default());
    let page = page(&[entry(r)], None, &meta());
    assert!(page.contains("present, but it could not be read or verified"));
    assert!(!page.contains("unknown TSA"));
}
