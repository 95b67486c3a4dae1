//! The analyst's report: one self-contained HTML5 page of evidence for one file or a folder.
//!
//! # Safety of the page
//!
//! Every string from a report can have been written by an attacker (titles, generator names,
//! certificate subjects, assertion values, file names, URLs). Such strings reach the page only as
//! element text or quoted attribute values, and only through [`escape`] (which also length-bounds
//! them and shows control and bidi characters as `\u{..}`). Nothing from a report is ever put in a
//! URL, CSS or script: the only links are the internal `#f-N` anchors, built from an integer, and
//! the only images are `data:` URIs of thumbnails re-encoded by [`super::thumbs`]. A
//! `javascript:` URL in a manifest is shown as inert text.
//!
//! The page loads nothing: its Content-Security-Policy (`default-src 'none'`, images from
//! `data:` only, the inline [`STYLE`] and [`SCRIPT`] allowed by their SHA-256) forbids every
//! external resource and any other script or style, so even a rendering bug could not run
//! injected code. The script only makes the summary table sortable by clicking a header; the
//! page is complete without it (rows are pre-sorted worst first).
//!
//! # Size
//!
//! A thumbnail is a JPEG of at most 256 x 256 pixels: typically 5-25 KB as base64, at most about
//! 110 KB (pure noise). The text of a typical signed file's section is 5-10 KB, and its summary-table row under
//! 1 KB. The test page (26 files: samples, corpus, forged) is 549 KB, about 21 KB per entry, 60%
//! of it thumbnails. Plan on ~25 KB per entry (1000 entries make a page of about 25 MB); the
//! caller caps the number of detailed sections and reports the rest in [`PageMeta::omitted`].
//!
//! Whatever a file holds, one entry stays bounded: strings are cut to [`MAX_TEXT`] characters,
//! each table to [`MAX_ROWS`] rows, the ingredient tree to [`MAX_INGREDIENTS`] nodes, and once a
//! section (thumbnails included) passes [`MAX_ENTRY_BYTES`] its remaining rows are left out with a
//! note, so a section is at most about 580 KB.

macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

mod assets;
mod common;
mod entry;
mod page;

pub(crate) use common::{PageEntry, PageMeta};
pub(crate) use page::page;
#[cfg(test)]
mod browser_tests;
#[cfg(test)]
use {
    assets::{csp_hash, SCRIPT},
    common::{escape, MAX_ENTRY_BYTES, MAX_TEXT},
};

#[cfg(test)]
mod tests;
