//! Bytes to text: BOM, then strict UTF-8, then detection of legacy encodings.
//!
//! The order matters: a byte-order mark is the strongest evidence, valid UTF-8 the
//! next; only then do we guess (GB18030/GBK, Big5, Shift_JIS, EUC-KR, windows-1252,
//! UTF-16 without BOM) with `chardetng`. A file that is almost all valid UTF-8 with a
//! few broken bytes is reported as broken UTF-8 (with the offset) rather than
//! silently decoded as windows-1252 mojibake. NUL bytes outside UTF-16 mean binary.

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How the text of a document was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoding {
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Whether the input started with a byte-order mark (stripped from the text).
    pub bom: bool,
}

impl Decoding {
    /// Plain UTF-8 without BOM.
    pub const UTF8: Decoding = Decoding { encoding: UTF_8, bom: false };

    /// The bytes to write before UTF-8 output so that the file keeps its UTF-8 BOM.
    pub fn output_prefix(&self) -> &'static [u8] {
        if self.bom && self.encoding == UTF_8 { b"\xEF\xBB\xBF" } else { b"" }
    }
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A NUL byte at this offset: the file is binary.
    #[error("binary data (NUL byte at offset {offset})")]
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// Invalid bytes for `encoding` at `offset`.
    #[error("invalid {} at byte {offset}", encoding.name())]
    Invalid {
        /// The encoding that failed.
        encoding: &'static Encoding,
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

/// Decodes `bytes` to UTF-8 text. `forced` skips detection (as `--encoding` does).
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<(String, Decoding), DecodeError> {
    let with_bom = |enc: &'static Encoding, bom_len: usize| {
        decode_strict(enc, &bytes[bom_len..])
            .map(|text| (text, Decoding { encoding: enc, bom: bom_len > 0 }))
            .map_err(|offset| DecodeError::Invalid { encoding: enc, offset: offset + bom_len })
    };
    if let Some(enc) = forced {
        let bom_len = Encoding::for_bom(bytes).filter(|&(e, _)| e == enc).map_or(0, |(_, len)| len);
        return with_bom(enc, bom_len);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return with_bom(enc, bom_len);
    }
    if let Some(enc) = sniff_utf16(bytes)
        && let Ok(text) = decode_strict(enc, bytes)
    {
        {
            return Ok((text, Decoding { encoding: enc, bom: false }));
        }
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_owned(), Decoding::UTF8)),
        Err(e) if looks_like_broken_utf8(bytes) => {
            return Err(DecodeError::Invalid { encoding: UTF_8, offset: e.valid_up_to() });
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let text = decode_strict(enc, bytes).map_err(|offset| DecodeError::Invalid { encoding: enc, offset })?;
    Ok((text, Decoding { encoding: enc, bom: false }))
}

/// Decodes without replacement; on failure returns the offset of the first bad byte.
fn decode_strict(enc: &'static Encoding, bytes: &[u8]) -> Result<String, usize> {
    if enc == UTF_8 {
        return std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| e.valid_up_to());
    }
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(out),
        DecoderResult::Malformed(bad, extra) => Err(read.saturating_sub(bad as usize + extra as usize)),
        // Capacity was the decoder's own worst case, so this cannot happen; report it
        // as a failure at the point reached rather than panic.
        DecoderResult::OutputFull => Err(read),
    }
}

/// UTF-16 without a BOM: plain text in UTF-16 has a NUL in most high bytes.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when the bytes are UTF-8 with a few damaged sequences rather than text in
/// another encoding: valid multi-byte sequences outnumber the invalid bytes by far.
fn looks_like_broken_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid_multibyte >= 4 && invalid * 8 <= valid_multibyte
}

/// Looks up an encoding by its WHATWG label (`gbk`, `big5`, `shift_jis`, `utf-16le`, ...).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        let (t, d) = decode("Jingdong 京东".as_bytes(), None).unwrap();
        assert_eq!(t, "Jingdong 京东");
        assert_eq!(d, Decoding::UTF8);
        let (t, d) = decode(b"\xEF\xBB\xBFhi", None).unwrap();
        assert_eq!((t.as_str(), d.bom, d.output_prefix()), ("hi", true, &b"\xEF\xBB\xBF"[..]));
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let simplified = "京东商城宣布，从今天起所有员工使用易信进行工作沟通。淘宝和天猫的商家也可以申请加入。";
        let traditional = "京東商城宣布，從今天起所有員工使用易信進行工作溝通。淘寶和天貓的商家也可以申請加入。";
        for (enc, text) in [(encoding_rs::GBK, simplified), (encoding_rs::BIG5, traditional)] {
            let (bytes, _, _) = enc.encode(text);
            let (t, d) = decode(&bytes, None).unwrap();
            assert_eq!(t, text, "{}", enc.name());
            assert!(
                d.encoding == encoding_rs::GBK || d.encoding == encoding_rs::GB18030 || d.encoding == encoding_rs::BIG5
            );
        }
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "WeChat 微信 official account";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&le, None).unwrap(), (s.to_string(), Decoding { encoding: UTF_16LE, bom: false }));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, None).unwrap().0, s);
    }

    #[test]
    fn binary_and_broken_utf8() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00", None), Err(DecodeError::Binary { offset: 4 }));
        let mut b = "京东商城 淘宝 天猫 微信 ".as_bytes().to_vec();
        b.push(0xFF);
        b.extend_from_slice(b" tail");
        assert_eq!(decode(&b, None), Err(DecodeError::Invalid { encoding: UTF_8, offset: b.len() - 6 }));
    }

    #[test]
    fn forced_encoding_reports_offset() {
        let err = decode(b"ab\xFFcd", Some(UTF_8)).unwrap_err();
        assert_eq!(err, DecodeError::Invalid { encoding: UTF_8, offset: 2 });
        let (t, _) = decode(b"caf\xE9", Some(encoding_for_label("latin1").unwrap())).unwrap();
        assert_eq!(t, "café");
    }
}
