//! XMP packets: the origin properties of [`super`], prefixes resolved through `xmlns:`.

use super::sink::*;
use crate::read::container::bytes::*;

// ---------------------------------------------------------------------------
// XMP: a small linear-time tokenizer, no full XML parser

struct XmpProp {
    uri: &'static str,
    prefix: &'static str,
    local: &'static str,
    origin: &'static str,
}

const NS_XMP: &str = "http://ns.adobe.com/xap/1.0/";
const NS_IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
const NS_PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_TIFF: &str = "http://ns.adobe.com/tiff/1.0/";

const fn prop(
    uri: &'static str,
    prefix: &'static str,
    local: &'static str,
    origin: &'static str,
) -> XmpProp {
    XmpProp {
        uri,
        prefix,
        local,
        origin,
    }
}

/// The XMP properties reported, in output order.
const XMP_PROPS: [XmpProp; 12] = [
    prop(NS_XMP, "xmp", "CreatorTool", "xmp:CreatorTool"),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "DigitalSourceType",
        ORIGIN_DIGITAL_SOURCE_TYPE,
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AISystemUsed",
        "xmp:Iptc4xmpExt:AISystemUsed",
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AISystemVersionUsed",
        "xmp:Iptc4xmpExt:AISystemVersionUsed",
    ),
    prop(
        NS_IPTC_EXT,
        "Iptc4xmpExt",
        "AIPromptInformation",
        "xmp:Iptc4xmpExt:AIPromptInformation",
    ),
    prop(NS_DCTERMS, "dcterms", "provenance", ORIGIN_PROVENANCE),
    prop(NS_PHOTOSHOP, "photoshop", "Credit", "xmp:photoshop:Credit"),
    prop(NS_DC, "dc", "creator", "xmp:dc:creator"),
    prop(NS_DC, "dc", "description", "xmp:dc:description"),
    prop(NS_TIFF, "tiff", "Make", "xmp:tiff:Make"),
    prop(NS_TIFF, "tiff", "Model", "xmp:tiff:Model"),
    prop(NS_TIFF, "tiff", "Software", "xmp:tiff:Software"),
];
const XMP_PROP_COUNT: usize = XMP_PROPS.len();

fn xmp_props() -> &'static [XmpProp] {
    &XMP_PROPS
}

/// A property value seen in the packet, not yet checked against namespaces.
struct UncheckedValue<'a> {
    prop: usize,
    prefix: &'a [u8],
    value: String,
}

struct XmpScan<'a> {
    decls: Vec<(&'a [u8], &'a [u8])>,
    cands: Vec<UncheckedValue<'a>>,
    per_prop: [usize; XMP_PROP_COUNT],
    attempts: [usize; XMP_PROP_COUNT],
}

impl<'a> XmpScan<'a> {
    /// Record `qname` = `raw` when its local name is one of ours.
    fn offer(&mut self, qname: &'a [u8], value: impl FnOnce() -> Option<String>) {
        let Some(colon) = qname.iter().position(|&c| c == b':') else {
            return;
        };
        let (Some(prefix), Some(local)) =
            (qname.get(..colon), qname.get(colon.saturating_add(1)..))
        else {
            return;
        };
        let Some(idx) = xmp_props().iter().position(|p| p.local.as_bytes() == local) else {
            return;
        };
        let Some(tries) = self.attempts.get_mut(idx) else {
            return;
        };
        if *tries >= MAX_XMP_ATTEMPTS {
            return;
        }
        *tries = tries.saturating_add(1);
        let Some(count) = self.per_prop.get_mut(idx) else {
            return;
        };
        if *count >= MAX_XMP_CANDIDATES {
            return;
        }
        let Some(value) = value() else {
            return;
        };
        if value.trim().is_empty() {
            return;
        }
        *count = count.saturating_add(1);
        self.cands.push(UncheckedValue {
            prop: idx,
            prefix,
            value,
        });
    }

    fn prefix_ok(&self, prefix: &[u8], p: &XmpProp) -> bool {
        if self
            .decls
            .iter()
            .any(|(pre, uri)| *pre == prefix && *uri == p.uri.as_bytes())
        {
            return true;
        }
        // undeclared (e.g. a truncated packet): accept the canonical prefix
        prefix == p.prefix.as_bytes() && !self.decls.iter().any(|(pre, _)| *pre == prefix)
    }
}

/// Decode XML character data: the five predefined entities and numeric
/// character references; anything else is kept literally.
fn xml_unescape(raw: &[u8]) -> String {
    let raw = raw.get(..MAX_XMP_SPAN).unwrap_or(raw);
    let s = String::from_utf8_lossy(raw);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(i) = rest.find('&') {
        let Some((before, after)) = rest.split_at_checked(i) else {
            break;
        };
        out.push_str(before);
        // `after` starts with '&'
        let semi = after.bytes().take(12).position(|c| c == b';');
        if let Some(j) = semi {
            if let Some(c) = after.get(1..j).and_then(xml_entity) {
                out.push(c);
                rest = after.get(j.saturating_add(1)..).unwrap_or("");
                continue;
            }
        }
        out.push('&');
        rest = after.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn xml_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
        }
    }
}

fn is_name_end(c: u8) -> bool {
    is_ws(c) || matches!(c, b'>' | b'/' | b'=')
}

/// Text of an element whose start tag ended just before `from`: either simple
/// character data up to the next tag, or the first `rdf:li` of an
/// `rdf:Alt`/`rdf:Seq`/`rdf:Bag`. Looks at most [`MAX_XMP_SPAN`] bytes ahead.
fn xmp_element_value(b: &[u8], from: usize) -> Option<String> {
    let win = b.get(from..)?;
    let win = win.get(..MAX_XMP_SPAN).unwrap_or(win);
    let lt = win.iter().position(|&c| c == b'<')?;
    let text = win.get(..lt)?;
    if text.iter().any(|&c| !is_ws(c)) {
        return win
            .get(lt..)?
            .starts_with(b"</")
            .then(|| xml_unescape(text));
    }
    let rest = win.get(lt..)?;
    if !(rest.starts_with(b"<rdf:Alt")
        || rest.starts_with(b"<rdf:Seq")
        || rest.starts_with(b"<rdf:Bag"))
    {
        return None;
    }
    let gt = rest.iter().position(|&c| c == b'>')?;
    let after_container = skip_ws(rest, gt.checked_add(1)?);
    let li = rest.get(after_container..)?;
    if !li.starts_with(b"<rdf:li") || !li.get(7).is_some_and(|&c| is_name_end(c)) {
        return None;
    }
    // the li start tag, quote-aware
    let mut i: usize = 7;
    let mut quote: Option<u8> = None;
    let mut resource: Option<String> = None;
    loop {
        let c = *li.get(i)?;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => {
                if li.get(..i)?.ends_with(b"rdf:resource=") {
                    let start = i.checked_add(1)?;
                    let len = li.get(start..)?.iter().position(|&x| x == c)?;
                    resource = Some(xml_unescape(sl(li, start, len)?));
                }
                quote = Some(c)
            }
            None if c == b'>' => break,
            None => {}
        }
        i = i.checked_add(1)?;
    }
    if li.get(i.checked_sub(1)?) == Some(&b'/') {
        return resource;
    }
    let body = li.get(i.checked_add(1)?..)?;
    let end = body.iter().position(|&c| c == b'<')?;
    if !body.get(end..)?.starts_with(b"</rdf:li") {
        return resource;
    }
    Some(xml_unescape(body.get(..end)?))
}

/// Tokenize an XMP packet once (O(n)), collecting namespace declarations and
/// candidate values of the properties in [`XMP_PROPS`].
fn xmp_scan(b: &[u8]) -> XmpScan<'_> {
    let mut scan = XmpScan {
        decls: Vec::new(),
        cands: Vec::new(),
        per_prop: [0; XMP_PROP_COUNT],
        attempts: [0; XMP_PROP_COUNT],
    };
    let mut pos: usize = 0;
    while let Some(off) = b.get(pos..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        let Some(lt) = pos.checked_add(off) else {
            break;
        };
        let p = lt.saturating_add(1);
        let rest = b.get(lt..).unwrap_or(&[]);
        let skip_to =
            |needle: &[u8]| find_from(b, p, needle).map(|i| i.saturating_add(needle.len()));
        let next = match b.get(p) {
            None => break,
            Some(b'?') => skip_to(b"?>"),
            Some(b'!') if rest.starts_with(b"<!--") => skip_to(b"-->"),
            Some(b'!') if rest.starts_with(b"<![CDATA[") => skip_to(b"]]>"),
            Some(b'!') | Some(b'/') => skip_to(b">"),
            Some(_) => xmp_start_tag(b, p, &mut scan),
        };
        match next {
            Some(n) if n > pos => pos = n,
            _ => break, // unterminated construct: stop, never rescan
        }
    }
    scan
}

/// Parse a start tag whose name begins at `p`; returns the offset after '>'.
fn xmp_start_tag<'a>(b: &'a [u8], p: usize, scan: &mut XmpScan<'a>) -> Option<usize> {
    let name_len = b.get(p..)?.iter().position(|&c| is_name_end(c))?;
    let name = sl(b, p, name_len)?;
    let mut i = p.checked_add(name_len)?;
    let mut resource: Option<&[u8]> = None;
    let self_closing;
    loop {
        i = skip_ws(b, i);
        match *b.get(i)? {
            b'>' => {
                self_closing = false;
                i = i.checked_add(1)?;
                break;
            }
            b'/' if b.get(i.saturating_add(1)) == Some(&b'>') => {
                self_closing = true;
                i = i.checked_add(2)?;
                break;
            }
            _ => {}
        }
        let start = i;
        let alen = b.get(i..)?.iter().position(|&c| is_name_end(c))?;
        let aname = sl(b, i, alen)?;
        i = skip_ws(b, i.checked_add(alen)?);
        if b.get(i) == Some(&b'=') {
            i = skip_ws(b, i.checked_add(1)?);
            let q = *b.get(i)?;
            if q == b'"' || q == b'\'' {
                let vstart = i.checked_add(1)?;
                let vlen = b.get(vstart..)?.iter().position(|&c| c == q)?;
                let raw = sl(b, vstart, vlen)?;
                if let Some(prefix) = aname.strip_prefix(b"xmlns:") {
                    if scan.decls.len() < MAX_XMP_DECLS {
                        scan.decls.push((prefix, raw));
                    }
                } else if aname == b"rdf:resource" {
                    resource = Some(raw);
                } else if vlen <= MAX_XMP_SPAN {
                    scan.offer(aname, || Some(xml_unescape(raw)));
                }
                i = vstart.checked_add(vlen)?.checked_add(1)?;
            }
        }
        if i == start {
            i = i.checked_add(1)?; // stray character: always make progress
        }
    }
    let after = i;
    scan.offer(name, || match resource {
        Some(r) => Some(xml_unescape(r)),
        None if self_closing => None,
        None => xmp_element_value(b, after),
    });
    Some(after)
}

pub(super) fn xmp_into(xmp: &[u8], sink: &mut ClaimCollector) {
    if sink.xmp_left == 0 || sink.full() {
        return;
    }
    sink.xmp_left = sink.xmp_left.saturating_sub(1);
    let b = xmp.get(..MAX_XMP_BYTES).unwrap_or(xmp);
    let scan = xmp_scan(b);
    for (idx, p) in xmp_props().iter().enumerate() {
        let hit = scan
            .cands
            .iter()
            .filter(|c| c.prop == idx)
            .find(|c| scan.prefix_ok(c.prefix, p));
        if let Some(c) = hit {
            sink.add_str(p.origin, &c.value, false);
        }
    }
}
