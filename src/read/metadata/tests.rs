use super::super::sniff::{sniff_full, Format};
use super::*;
use crate::test_support::corpus;

fn get<'a>(claims: &'a [MetadataClaim], origin: &str) -> Option<&'a str> {
    claims
        .iter()
        .find(|c| c.origin == origin)
        .map(|c| c.value.as_str())
}

// ---- builders ----

fn png_chunk(out: &mut Vec<u8>, ty: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(ty);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(ty);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut v, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    for (ty, data) in chunks {
        png_chunk(&mut v, ty, data);
    }
    png_chunk(&mut v, b"IEND", &[]);
    v
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn kw_text(kw: &str, text: &[u8]) -> Vec<u8> {
    let mut v = kw.as_bytes().to_vec();
    v.push(0);
    v.extend_from_slice(text);
    v
}

/// A little-endian or big-endian TIFF with ASCII tags in IFD0, an optional
/// Exif IFD holding `user_comment`, and optional XMP (tag 700).
fn tiff(
    le: bool,
    tags: &[(u16, &str)],
    user_comment: Option<&[u8]>,
    xmp: Option<&[u8]>,
) -> Vec<u8> {
    let w16 = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let w32 = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let n = tags.len() + usize::from(user_comment.is_some()) + usize::from(xmp.is_some());
    let ifd0 = 8usize;
    let data_start = ifd0 + 2 + 12 * n + 4;
    let mut data: Vec<u8> = Vec::new();
    let mut entries: Vec<(u16, u16, u32, u32)> = Vec::new();
    let add = |data: &mut Vec<u8>, bytes: &[u8]| -> u32 {
        let off = (data_start + data.len()) as u32;
        data.extend_from_slice(bytes);
        if data.len() % 2 == 1 {
            data.push(0);
        }
        off
    };
    for (tag, s) in tags {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        // values of up to 4 bytes are stored in the entry itself
        let val = if b.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..b.len()].copy_from_slice(&b);
            u32::from_ne_bytes(inline)
        } else {
            add(&mut data, &b)
        };
        entries.push((*tag, 2, b.len() as u32, val));
    }
    if let Some(x) = xmp {
        let off = add(&mut data, x);
        entries.push((700, 1, x.len() as u32, off));
    }
    let mut exif_ifd_at = None;
    if user_comment.is_some() {
        entries.push((0x8769, 4, 1, 0));
        exif_ifd_at = Some(entries.len() - 1);
    }
    entries.sort_by_key(|e| e.0);
    // the Exif IFD after the data
    let mut exif = Vec::new();
    if let Some(uc) = user_comment {
        let exif_off = (data_start + data.len()) as u32;
        let uc_off = exif_off + 2 + 12 + 4;
        exif.extend_from_slice(&w16(1));
        exif.extend_from_slice(&w16(0x9286));
        exif.extend_from_slice(&w16(7));
        exif.extend_from_slice(&w32(uc.len() as u32));
        exif.extend_from_slice(&w32(uc_off));
        exif.extend_from_slice(&w32(0));
        exif.extend_from_slice(uc);
        let _ = exif_ifd_at;
        for e in entries.iter_mut() {
            if e.0 == 0x8769 {
                e.3 = exif_off;
            }
        }
    }
    let mut v = if le {
        b"II*\0".to_vec()
    } else {
        b"MM\0*".to_vec()
    };
    v.extend_from_slice(&w32(ifd0 as u32));
    v.extend_from_slice(&w16(n as u16));
    for (tag, typ, count, val) in &entries {
        v.extend_from_slice(&w16(*tag));
        v.extend_from_slice(&w16(*typ));
        v.extend_from_slice(&w32(*count));
        if *typ == 2 && *count <= 4 {
            v.extend_from_slice(&val.to_ne_bytes());
        } else {
            v.extend_from_slice(&w32(*val));
        }
    }
    v.extend_from_slice(&w32(0));
    assert_eq!(v.len(), data_start);
    v.extend_from_slice(&data);
    v.extend_from_slice(&exif);
    v
}

fn jpeg_seg(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
}

fn jpeg_with(segs: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    jpeg_seg(&mut v, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    for (m, p) in segs {
        jpeg_seg(&mut v, *m, p);
    }
    jpeg_seg(&mut v, 0xDA, &[1, 1, 0, 0, 63, 0]);
    v.extend_from_slice(&[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    v
}

const XMP_ATTR: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:dcterms="http://purl.org/dc/terms/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  xmp:CreatorTool="Adobe Photoshop 27.4 (Macintosh)"
  xmp:CreateDate="2025-01-01"
  photoshop:Credit='Made with &quot;AI&quot; &amp; love &#x263A;&#10;ok'
  Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
  dcterms:provenance="https://cai-manifests.adobe.com/manifests/urn-c2pa-123"/>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"#;

const XMP_ELEM: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xap="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:ext="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 xmlns:other="http://example.com/not-xmp/">
 <!-- <xap:CreatorTool>in a comment</xap:CreatorTool> -->
 <other:CreatorTool>wrong namespace</other:CreatorTool>
 <xap:CreatorTool>  GIMP 2.10
 </xap:CreatorTool>
 <dc:creator><rdf:Seq><rdf:li>Jane &lt;Doe&gt;</rdf:li><rdf:li>Second</rdf:li></rdf:Seq></dc:creator>
 <dc:description><rdf:Alt><rdf:li xml:lang="x-default">A cat in space</rdf:li></rdf:Alt></dc:description>
 <tiff:Make>Canon</tiff:Make>
 <tiff:Model><![CDATA[ignored]]></tiff:Model>
 <ext:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"/>
 <ext:AISystemUsed>Firefly</ext:AISystemUsed>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;

// ---- tests ----

#[test]
fn xmp_attribute_form() {
    let c = parse_xmp(XMP_ATTR.as_bytes());
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );
    assert_eq!(
        get(&c, "xmp:dcterms:provenance"),
        Some("https://cai-manifests.adobe.com/manifests/urn-c2pa-123")
    );
    assert_eq!(
        get(&c, "xmp:photoshop:Credit"),
        Some("Made with \"AI\" & love \u{263A} ok")
    );
    assert_eq!(
        xmp_digital_source_type(XMP_ATTR.as_bytes()).as_deref(),
        Some("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
    );
    assert_eq!(
        digital_source_type_term(digital_source_type(&c).unwrap()),
        "trainedAlgorithmicMedia"
    );
    assert!(get(&c, "xmp:CreateDate").is_none());
    assert_eq!(c.len(), 4, "{c:#?}");
}

#[test]
fn xmp_element_form() {
    let c = parse_xmp(XMP_ELEM.as_bytes());
    assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"), "{c:#?}");
    assert_eq!(get(&c, "xmp:dc:creator"), Some("Jane <Doe>"));
    assert_eq!(get(&c, "xmp:dc:description"), Some("A cat in space"));
    assert_eq!(get(&c, "xmp:tiff:Make"), Some("Canon"));
    assert_eq!(get(&c, "xmp:tiff:Model"), None);
    assert_eq!(
        digital_source_type(&c),
        Some("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia")
    );
    assert_eq!(get(&c, "xmp:Iptc4xmpExt:AISystemUsed"), Some("Firefly"));
    assert!(!c
        .iter()
        .any(|x| x.value.contains("wrong") || x.value.contains("comment")));
    // order follows XMP_PROPS
    assert_eq!(c[0].origin, "xmp:CreatorTool");
}

#[test]
fn xmp_undeclared_and_broken() {
    // no xmlns at all (e.g. a truncated packet): canonical prefixes accepted
    let c = parse_xmp(b"<rdf:Description xmp:CreatorTool=\"Tool\"/>");
    assert_eq!(get(&c, "xmp:CreatorTool"), Some("Tool"));
    // canonical prefix bound to another namespace: rejected
    let c = parse_xmp(b"<d xmlns:xmp=\"urn:other\" xmp:CreatorTool=\"Tool\"/>");
    assert!(c.is_empty());
    // unterminated constructs stop the scan without panicking
    for s in [
        &b"<a b=\"unterminated"[..],
        b"<!-- never closed",
        b"<?pi",
        b"<xmp:CreatorTool>value without end",
        b"<xmp:CreatorTool><rdf:Alt><rdf:li",
        b"<",
        b"<<<<>>>>",
        b"&#xFFFFFFFFFF; &#99999999; &#;",
        b"\xFF\xFE<\0x\0",
    ] {
        let _ = parse_xmp(s);
    }
    let c =
        parse_xmp(b"<xmp:CreatorTool>a &#0;&#7;b&#x202E;c &bogus; &#99999999;</xmp:CreatorTool>");
    assert_eq!(get(&c, "xmp:CreatorTool"), Some("a bc &bogus; \u{FFFD}"));
}

/// Pathological XMP packets stay fast (bounded look-ahead, no rescanning).
#[test]
fn xmp_pathological_inputs_are_linear() {
    let patterns: [&[u8]; 8] = [
        b"<xmp:CreatorTool>",
        b"<xmp:CreatorTool><rdf:Alt><rdf:li a=\"",
        b"<xmp:CreatorTool><rdf:Alt>         ",
        b"<d xmp:CreatorTool=\"\" xmlns:a=\"b\" ",
        b"&#x41;&amp;&",
        b"<x:xmpmet",
        b"<!-- -- <?",
        b"<a:b c='>' d=\"<\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">",
    ];
    let t = std::time::Instant::now();
    for p in patterns {
        let mut v = Vec::new();
        while v.len() < MAX_XMP_BYTES {
            v.extend_from_slice(p);
        }
        let _ = parse_xmp(&v);
        let _ = extract(&v, Format::Svg);
    }
    let secs = t.elapsed().as_secs_f64();
    assert!(secs < 10.0, "took {secs}s");
}

/// Large hostile containers: bounded work, bounded output.
#[test]
fn large_hostile_containers_are_fast() {
    const SIZE: usize = 16 << 20;
    let mut inputs: Vec<(Format, Vec<u8>)> = Vec::new();
    // JPEG: endless tiny COM segments, then fill bytes
    let mut j = vec![0xFF, 0xD8];
    while j.len() < SIZE / 2 {
        j.extend_from_slice(b"\xFF\xFE\0\x03x");
    }
    j.resize(SIZE, 0xFF);
    inputs.push((Format::Jpeg, j));
    // PNG: endless empty unknown chunks
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    while p.len() < SIZE {
        p.extend_from_slice(b"\0\0\0\0abCd\0\0\0\0");
    }
    inputs.push((Format::Png, p));
    // GIF: one comment extension with endless sub-blocks
    let mut g = b"GIF89a\x01\0\x01\0\0\0\0\x21\xFE".to_vec();
    while g.len() < SIZE {
        g.push(255);
        g.extend_from_slice(&[b'a'; 255]);
    }
    inputs.push((Format::Gif, g));
    // WebP: endless empty chunks
    let mut w = b"RIFF\0\0\0\0WEBP".to_vec();
    while w.len() < SIZE {
        w.extend_from_slice(b"JUNK\0\0\0\0");
    }
    inputs.push((Format::WebP, w));
    // fallback scan over near-matches
    let mut h = Vec::new();
    while h.len() < SIZE {
        h.extend_from_slice(b"<x:xmpmet<rdf:RD");
    }
    inputs.push((Format::Heic, h));
    let t = std::time::Instant::now();
    for (f, d) in &inputs {
        let c = extract(d, *f);
        assert!(c.len() <= MAX_CLAIMS);
    }
    let secs = t.elapsed().as_secs_f64();
    eprintln!("large hostile containers: {secs:.2}s");
    assert!(secs < 30.0, "took {secs}s");
}

#[test]
fn value_cleaning_and_truncation() {
    assert_eq!(
        clean_value("  a\tb\r\n\nc \0\x1b[31m\u{9b}x  ", false).as_deref(),
        Some("a b c [31mx")
    );
    assert_eq!(clean_value(" \n\t\0", false), None);
    let long = "é".repeat(600);
    let v = clean_value(&long, false).unwrap();
    assert_eq!(v.chars().count(), MAX_VALUE_CHARS + 1);
    assert!(v.ends_with('…'));
    let exact = "x".repeat(MAX_VALUE_CHARS);
    assert_eq!(clean_value(&format!("{exact}   "), false).unwrap(), exact);
    assert!(clean_value("short", true).unwrap().ends_with('…'));
    // decode: a prefix cut inside a multi-byte char, Latin-1 fallback
    let mut big = vec![b'a'; MAX_VALUE_INPUT - 1];
    big.extend_from_slice("é".as_bytes());
    let (t, more) = decode(&big, Enc::Utf8OrLatin1);
    assert!(more && t.chars().all(|c| c == 'a'));
    let (t, _) = decode(b"caf\xE9", Enc::Utf8OrLatin1);
    assert_eq!(t, "café");
    let (t, _) = decode(b"caf\xE9", Enc::Utf8Lossy);
    assert_eq!(t, "caf\u{FFFD}");
}

#[test]
fn png_text_chunks() {
    let itxt_plain = b"Title\0\0\0en\0Titel\0Ein Bild \xE2\x9C\x93".to_vec();
    let mut itxt_z = b"Description\0\x01\0\0\0".to_vec();
    itxt_z.extend_from_slice(&zlib("compressed ✓".as_bytes()));
    let mut ztxt = b"Software\0\0".to_vec();
    ztxt.extend_from_slice(&zlib(b"NovelAI"));
    let mut xmp_itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    xmp_itxt.extend_from_slice(XMP_ATTR.as_bytes());
    let exif = tiff(false, &[(0x0131, "ExifTool 12")], None, None);
    let png = png_with(&[
        (
            b"tEXt",
            kw_text("parameters", b"a duck\nSteps: 20, Sampler: Euler"),
        ),
        (b"tEXt", kw_text("Comment", b"caf\xE9")),
        (b"zTXt", ztxt),
        (b"iTXt", itxt_plain),
        (b"iTXt", itxt_z),
        (b"iTXt", xmp_itxt),
        (b"eXIf", exif),
        (b"tEXt", kw_text("bad\x1bkey\n", b"v")),
        (b"tEXt", b"no-nul-separator".to_vec()),
        (b"tEXt", kw_text("date:create", b"2025-01-01")),
        (b"tEXt", kw_text("exif:FNumber", b"28/10")),
        (b"tEXt", kw_text("exif:Software", b"Im 7")),
    ]);
    let c = extract(&png, Format::Png);
    assert_eq!(
        get(&c, "png:tEXt:parameters"),
        Some("a duck Steps: 20, Sampler: Euler")
    );
    assert_eq!(get(&c, "png:tEXt:Comment"), Some("café"));
    assert_eq!(get(&c, "png:zTXt:Software"), Some("NovelAI"));
    assert_eq!(get(&c, "png:iTXt:Title"), Some("Ein Bild ✓"));
    assert_eq!(get(&c, "png:iTXt:Description"), Some("compressed ✓"));
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );
    assert_eq!(get(&c, "exif:Software"), Some("ExifTool 12"));
    assert_eq!(get(&c, "png:tEXt:badkey"), Some("v"));
    assert_eq!(get(&c, "png:tEXt:exif:Software"), Some("Im 7"));
    assert!(!c.iter().any(|x| x.origin.contains("XML:com.adobe.xmp")));
    assert!(!c
        .iter()
        .any(|x| x.origin.contains("date:") || x.origin.contains("FNumber")));
    assert_eq!(c.len(), 12, "{c:#?}");
}

#[test]
fn png_raw_profile() {
    let exif = tiff(true, &[(0x010F, "RawMake")], None, None);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&exif);
    let mut text = format!("\nexif\n{:8}\n", payload.len());
    for (i, b) in payload.iter().enumerate() {
        text.push_str(&format!("{b:02x}"));
        if i % 36 == 35 {
            text.push('\n');
        }
    }
    let mut z = b"Raw profile type exif\0\0".to_vec();
    z.extend_from_slice(&zlib(text.as_bytes()));
    let c = extract(&png_with(&[(b"zTXt", z)]), Format::Png);
    assert_eq!(
        c,
        vec![MetadataClaim {
            origin: "exif:Make".into(),
            value: "RawMake".into()
        }]
    );
}

#[test]
fn png_inflate_bomb_is_capped() {
    let zeros = vec![b'A'; 4 << 20];
    let bomb = zlib(&zeros);
    let mut chunks = Vec::new();
    for i in 0..8 {
        let mut z = format!("k{i}\0\0").into_bytes();
        z.extend_from_slice(&bomb);
        chunks.push((b"zTXt", z));
    }
    let mut xmp_bomb = b"XML:com.adobe.xmp\0\x01\0\0\0".to_vec();
    xmp_bomb.extend_from_slice(&bomb);
    chunks.push((b"iTXt", xmp_bomb));
    let png = png_with(&chunks);
    let t = std::time::Instant::now();
    let c = extract(&png, Format::Png);
    assert_eq!(c.len(), 8);
    for x in &c {
        assert_eq!(x.value.chars().count(), MAX_VALUE_CHARS + 1);
    }
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn claim_cap() {
    let chunks: Vec<(&[u8; 4], Vec<u8>)> = (0..300)
        .map(|i| {
            (
                b"tEXt",
                kw_text(&format!("key{i}"), format!("value {i}").as_bytes()),
            )
        })
        .collect();
    let c = extract(&png_with(&chunks), Format::Png);
    assert_eq!(c.len(), MAX_CLAIMS);
    // duplicates are dropped
    let dup: Vec<(&[u8; 4], Vec<u8>)> = (0..10).map(|_| (b"tEXt", kw_text("k", b"same"))).collect();
    assert_eq!(extract(&png_with(&dup), Format::Png).len(), 1);
}

#[test]
fn jpeg_exif_xmp_iptc_com() {
    let mut uc = b"UNICODE\0".to_vec();
    for u in "Steps: 20, Model: sdxl".encode_utf16() {
        uc.extend_from_slice(&u.to_be_bytes());
    }
    let t = tiff(
        true,
        &[
            (0x010E, "A description"),
            (0x010F, "Canon"),
            (0x0110, "EOS R5"),
            (0x0131, "Adobe Photoshop 25.0"),
            (0x013B, "Jane"),
            (0x8298, "(c) nobody"),
        ],
        Some(&uc),
        None,
    );
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&t);
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(XMP_ELEM.as_bytes());
    // Photoshop IRB with IPTC-IIM
    let mut iim = Vec::new();
    for (ds, v) in [
        (65u8, &b"Midjourney"[..]),
        (110, b"Credit line"),
        (25, b"keyword"),
    ] {
        iim.extend_from_slice(&[0x1C, 2, ds]);
        iim.extend_from_slice(&(v.len() as u16).to_be_bytes());
        iim.extend_from_slice(v);
    }
    let mut app13 = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    app13.extend_from_slice(&(iim.len() as u32).to_be_bytes());
    app13.extend_from_slice(&iim);
    let jpg = jpeg_with(&[
        (0xE1, app1),
        (0xE1, xmp),
        (0xED, app13),
        (0xFE, b"made by gd-jpeg".to_vec()),
    ]);
    let c = extract(&jpg, Format::Jpeg);
    assert_eq!(get(&c, "exif:Make"), Some("Canon"));
    assert_eq!(get(&c, "exif:Model"), Some("EOS R5"));
    assert_eq!(get(&c, "exif:Software"), Some("Adobe Photoshop 25.0"));
    assert_eq!(get(&c, "exif:Artist"), Some("Jane"));
    assert_eq!(get(&c, "exif:ImageDescription"), Some("A description"));
    assert_eq!(get(&c, "exif:UserComment"), Some("Steps: 20, Model: sdxl"));
    assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"));
    assert_eq!(get(&c, "iptc:OriginatingProgram"), Some("Midjourney"));
    assert_eq!(get(&c, "iptc:Credit"), Some("Credit line"));
    assert_eq!(get(&c, "jpeg:COM"), Some("made by gd-jpeg"));
    assert!(!c
        .iter()
        .any(|x| x.value.contains("nobody") || x.value == "keyword"));
    // big-endian EXIF too
    let t = tiff(
        false,
        &[(0x010F, "Nikon"), (0x0110, "Z9"), (0x0131, "fw 1.0")],
        None,
        None,
    );
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&t);
    let c = extract(&jpeg_with(&[(0xE1, app1)]), Format::Jpeg);
    assert_eq!(
        c.iter()
            .map(|x| (x.origin.as_str(), x.value.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("exif:Make", "Nikon"),
            ("exif:Model", "Z9"),
            ("exif:Software", "fw 1.0")
        ]
    );
}

#[test]
fn hostile_ifds() {
    // entry count 65535 in a tiny file, ExifIFD pointing back at IFD0,
    // value offsets and counts out of range
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&4u16.to_le_bytes());
    for (tag, typ, count, val) in [
        (0x8769u16, 4u16, 1u32, 8u32),
        (0x010F, 2, 0xFFFF_FFFF, 0xFFFF_FFF0),
        (0x0110, 2, 3, u32::from_le_bytes(*b"ab\0\0")),
        (0x0131, 2, 100, 0xFFFF_FFFF),
    ] {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&val.to_le_bytes());
    }
    let c = extract(&t, Format::Tiff);
    assert_eq!(
        c,
        vec![MetadataClaim {
            origin: "exif:Model".into(),
            value: "ab".into()
        }]
    );
    let mut huge = b"MM\0*\0\0\0\x08\xFF\xFF".to_vec();
    huge.resize(200_000, 0x41);
    assert!(extract(&huge, Format::Tiff).is_empty());
}

#[test]
fn tiff_with_xmp_tag() {
    let t = tiff(
        true,
        &[(0x0131, "DNG Converter")],
        None,
        Some(XMP_ATTR.as_bytes()),
    );
    let c = extract(&t, Format::Dng);
    assert_eq!(get(&c, "exif:Software"), Some("DNG Converter"));
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );
}

#[test]
fn webp_and_gif() {
    let exif = tiff(true, &[(0x0131, "libwebp")], None, None);
    let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
    for (id, body) in [
        (b"VP8X", vec![0u8; 10]),
        (b"EXIF", exif),
        (b"XMP ", XMP_ATTR.as_bytes().to_vec()),
    ] {
        riff.extend_from_slice(id);
        riff.extend_from_slice(&(body.len() as u32).to_le_bytes());
        riff.extend_from_slice(&body);
        if body.len() % 2 == 1 {
            riff.push(0);
        }
    }
    let c = extract(&riff, Format::WebP);
    assert_eq!(get(&c, "exif:Software"), Some("libwebp"));
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );

    let mut gif = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec();
    gif.extend_from_slice(&[0, 0, 0, 255, 255, 255]); // 2-entry GCT
    gif.extend_from_slice(b"\x21\xFE\x05hello\x06 world\0");
    gif.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP");
    gif.extend_from_slice(XMP_ELEM.as_bytes());
    gif.push(1);
    for b in (0..=255u8).rev() {
        gif.push(b);
    }
    gif.extend_from_slice(&[0, 0]);
    gif.extend_from_slice(b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0\x3B");
    let c = extract(&gif, Format::Gif);
    assert_eq!(get(&c, "gif:Comment"), Some("hello world"));
    assert_eq!(get(&c, "xmp:CreatorTool"), Some("GIMP 2.10"), "{c:#?}");
}

#[test]
fn fallback_xmp_scan() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0u8; 100]);
    heic.extend_from_slice(XMP_ATTR.as_bytes());
    let c = extract(&heic, Format::Heic);
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );
    assert!(extract(&heic, Format::Unknown).is_empty());
}

/// A mutated-input smoke test: 20,000 inputs derived from real and
/// constructed files, fed to `extract` (with the sniffed and with
/// other formats) and `sniff_full`; asserts no panic and bounded output.
#[test]
fn fuzz_no_panic_bounded_output() {
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
    }
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    let exif = tiff(
        true,
        &[(0x010F, "Make"), (0x0131, "Soft")],
        Some(b"ASCII\0\0\0hello"),
        Some(XMP_ELEM.as_bytes()),
    );
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&exif);
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(XMP_ATTR.as_bytes());
    seeds.push(jpeg_with(&[
        (0xE1, app1),
        (0xE1, xmp),
        (0xFE, b"c".to_vec()),
    ]));
    let mut z = b"prompt\0\0".to_vec();
    z.extend_from_slice(&zlib(b"{\"a\": 1}"));
    seeds.push(png_with(&[
        (b"tEXt", kw_text("parameters", b"x\ny")),
        (b"zTXt", z),
        (b"eXIf", exif.clone()),
    ]));
    seeds.push(exif);
    seeds.push(XMP_ELEM.as_bytes().to_vec());
    if let Some(root) = corpus("fuzz_no_panic_bounded_output (corpus seeds)") {
        for p in [
            "generators/none/automatic1111_cropped.png",
            "generators/none/img2img_cropped.png",
            "generators/none/novelai1_cropped.png",
            "generators/adobe/PirateShip_save_credentials_to_cloud.jpg",
            "conformance/gif/sample1.gif",
            "conformance/webp/test_xmp.webp",
            "conformance/tiff/test.tiff",
            "conformance/heif/sample1.heif",
        ] {
            if let Ok(mut d) = std::fs::read(root.join(p)) {
                d.truncate(48 << 10);
                seeds.push(d);
            }
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let other = [
        Format::Jpeg,
        Format::Png,
        Format::Gif,
        Format::WebP,
        Format::Tiff,
        Format::Heic,
    ];
    for iter in 0..20_000usize {
        let mut d = if iter % 10 == 0 {
            (0..rng.below(2048)).map(|_| rng.next() as u8).collect()
        } else {
            seeds[rng.below(seeds.len())].clone()
        };
        for _ in 0..=rng.below(8) {
            if d.is_empty() {
                break;
            }
            let i = rng.below(d.len());
            match rng.below(6) {
                0 => d[i] = rng.next() as u8,
                1 => d[i] ^= 1 << rng.below(8),
                2 => d.truncate(i),
                3 => {
                    let end = (i + 4).min(d.len());
                    for b in &mut d[i..end] {
                        *b = 0xFF;
                    }
                }
                4 => {
                    let n = rng.below(64).min(d.len() - i);
                    let chunk = d[i..i + n].to_vec();
                    let at = rng.below(d.len());
                    d.splice(at..at, chunk);
                }
                _ => d.insert(i, rng.next() as u8),
            }
        }
        let f = sniff_full(&d);
        let fmt = if iter % 3 == 0 {
            other[iter / 3 % other.len()]
        } else {
            f
        };
        let claims = extract(&d, fmt);
        assert!(claims.len() <= MAX_CLAIMS);
        for c in &claims {
            assert!(c.value.chars().count() <= MAX_VALUE_CHARS + 1);
            assert!(!c.value.is_empty() && c.value.trim() == c.value);
            assert!(!c.value.chars().any(|ch| ch.is_control()));
            assert!(c.origin.chars().count() <= 100 && !c.origin.chars().any(|ch| ch.is_control()));
        }
    }
}

#[test]
fn corpus_generators() {
    let Some(root) = corpus("corpus_generators") else {
        return;
    };
    let g = root.join("generators");
    let read = |p: &str| {
        let d = std::fs::read(g.join(p)).unwrap();
        let f = sniff_full(&d);
        let c = extract(&d, f);
        eprintln!("{p} ({f}):");
        for x in &c {
            let short: String = x.value.chars().take(100).collect();
            eprintln!("    {} = {short}", x.origin);
        }
        c
    };

    let c = read("none/automatic1111_cropped.png");
    let p = get(&c, "png:tEXt:parameters").unwrap();
    assert!(
        p.starts_with("photo of a duck Negative prompt: monochrome Steps: 15"),
        "{p}"
    );
    assert!(p.contains("Model hash: c0d1994c73"));

    let c = read("none/img2img_cropped.png");
    assert!(get(&c, "png:tEXt:prompt")
        .unwrap()
        .starts_with("{\"3\": {\"inputs\""));
    let w = get(&c, "png:tEXt:workflow").unwrap();
    assert!(w.starts_with("{\"last_node_id\": 13") && w.ends_with('…'));
    assert_eq!(w.chars().count(), MAX_VALUE_CHARS + 1);

    let c = read("none/novelai1_cropped.png");
    assert_eq!(get(&c, "png:tEXt:Software"), Some("NovelAI"));
    assert_eq!(
        get(&c, "png:tEXt:Source"),
        Some("Stable Diffusion 1D44365E")
    );
    assert_eq!(get(&c, "png:tEXt:Title"), Some("AI generated image"));
    assert!(get(&c, "png:tEXt:Comment")
        .unwrap()
        .starts_with("{\"steps\": 50"));

    let c = read("adobe/PirateShip_save_credentials_to_cloud.jpg");
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Photoshop 27.4 (Macintosh)")
    );
    assert!(get(&c, ORIGIN_PROVENANCE)
        .unwrap()
        .starts_with("https://cai-manifests.adobe.com/manifests/urn-c2pa-d41d1251-"));

    let c = read("adobe/crater-lake-cr.jpg");
    assert_eq!(
        get(&c, "xmp:CreatorTool"),
        Some("Adobe Lightroom 8.5.1 (Macintosh)")
    );
    assert_eq!(
        get(&c, ORIGIN_PROVENANCE),
        Some("https://cai-manifests.adobe.com/manifests/urn-uuid-3ad678ce-1d4e-4bc0-a9ea-62185b89c815")
    );

    // control: same picture without credentials: no tool or provenance claim
    let c = read("adobe/crater-lake.jpeg");
    assert!(get(&c, "xmp:CreatorTool").is_none());
    assert!(get(&c, ORIGIN_PROVENANCE).is_none());
    assert!(digital_source_type(&c).is_none());
}

/// Every corpus file: extract never panics and stays bounded; prints a summary.
#[test]
fn corpus_all_files_bounded() {
    let Some(root) = corpus("corpus_all_files_bounded") else {
        return;
    };
    let mut files = Vec::new();
    for sub in ["generators", "conformance"] {
        let Ok(dirs) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        for d in dirs.flatten() {
            if let Ok(entries) = std::fs::read_dir(d.path()) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    files.sort();
    let mut with_claims = 0;
    for p in &files {
        let d = std::fs::read(p).unwrap();
        let f = sniff_full(&d);
        let c = extract(&d, f);
        assert!(c.len() <= MAX_CLAIMS);
        if !c.is_empty() {
            with_claims += 1;
            let origins: Vec<&str> = c.iter().map(|x| x.origin.as_str()).collect();
            eprintln!("{} ({f}): {origins:?}", p.display());
        }
    }
    eprintln!(
        "{with_claims} of {} corpus files have metadata claims",
        files.len()
    );
    assert!(files.len() > 100);
}
