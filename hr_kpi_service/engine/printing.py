"""What the project does to wkhtmltopdf's input and output (no Odoo imports).

One print job, one document
---------------------------
Odoo renders a report as one HTML document per record (each ``article``) and
gives them all to one wkhtmltopdf call, with header and footer documents.
wkhtmltopdf built on an unpatched Qt (Debian's) takes a single input document:
with several it writes nothing, and the print ends in PyPDF2's
``EmptyFileError: Cannot read an empty file`` (OCA's payslip report for a batch).
:func:`join_html_documents` makes one document of them, each record's pages
starting on a new page.

The text layer
--------------
Noto CJK (fonts-noto-cjk) draws 月 (U+6708) and the Kangxi radical ⽉ (U+2F49)
with one glyph. wkhtmltopdf's Qt writes, for each glyph of a font, the LOWEST
code point the font maps to it into the font's ToUnicode CMap, so the PDF's text
layer says ⽉ where the page shows 月, and searching 月度 in a printed sheet finds
nothing. :func:`fix_cjk_text_layer` rewrites those destinations to the unified
ideograph in place: every code point concerned and its replacement are four hex
digits, so no byte offset of the PDF moves.
"""

import re
import unicodedata

import lxml.html

# CJK Radicals Supplement code points that Noto CJK draws with the glyph of a
# unified ideograph (they have no compatibility decomposition); found by
# comparing the glyphs of Noto Sans CJK JP/SC/TC.
RADICALS_SUPPLEMENT = {
    0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E85: 0x4EBB, 0x2E89: 0x5202, 0x2E8B: 0x353E,
    0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A,
    0x2E94: 0x5F51, 0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E98: 0x624C, 0x2E99: 0x6535,
    0x2E9B: 0x65E1, 0x2E9E: 0x6B7A, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA3: 0x706C,
    0x2EA4: 0x722B, 0x2EA6: 0x4E2C, 0x2EA8: 0x72AD, 0x2EAB: 0x7F52, 0x2EAD: 0x793B,
    0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52, 0x2EB3: 0x34C1,
    0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC2: 0x8864,
    0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC8: 0x8BA0,
    0x2EC9: 0x8D1D, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6,
    0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8,
    0x2ED6: 0x961D, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE2: 0x9A6C,
    0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50,
    0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C,
    0x2EF2: 0x4E80,
    0x2F3E: 0x6237,  # ⼾: 户 (its decomposition 戶 is the traditional form)
}
RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals

_CMAP = re.compile(rb"begincmap(.*?)endcmap", re.S)
_SECTION = re.compile(rb"(beginbfrange|beginbfchar)(.*?)(endbfrange|endbfchar)", re.S)
_HEX = rb"<([0-9A-Fa-f]+)>"
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)")
_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>)")


def unified(code_point):
    """The unified ideograph a radical code point stands for, else the code point."""
    if code_point not in RADICALS:
        return code_point
    if code_point in RADICALS_SUPPLEMENT:
        return RADICALS_SUPPLEMENT[code_point]
    decomposed = unicodedata.normalize("NFKC", chr(code_point))
    if len(decomposed) == 1 and 0x3400 <= ord(decomposed) <= 0x9FFF:
        return ord(decomposed)
    return code_point


def _destination(match):
    """A <hhhh> destination with a radical replaced (same length)."""
    digits = match.group(1)
    if len(digits) != 4:
        return match.group(0)
    code_point = int(digits, 16)
    target = unified(code_point)
    if target == code_point or target > 0xFFFF:
        return match.group(0)
    return b"<%04X>" % target


def _fix_destinations(text):
    return re.sub(_HEX, _destination, text)


def _fix_range(match):
    first, last, destination = match.group(1), match.group(2), match.group(3)
    if destination.startswith(b"["):
        destination = _fix_destinations(destination)
    elif int(first, 16) == int(last, 16):  # a range of one code: one destination
        destination = _fix_destinations(destination)
    # a longer range that starts at a radical maps the next codes to the next
    # radicals: it cannot be rewritten in place, it stays
    return match.group(0)[: match.start(3) - match.start(0)] + destination


def _fix_char(match):
    return match.group(0)[: match.start(2) - match.start(0)] + _fix_destinations(match.group(2))


def _fix_section(match):
    opening, body, closing = match.groups()
    pattern, fixer = (_RANGE, _fix_range) if opening == b"beginbfrange" else (_CHAR, _fix_char)
    return opening + pattern.sub(fixer, body) + closing


def _fix_cmap(match):
    return b"begincmap" + _SECTION.sub(_fix_section, match.group(1)) + b"endcmap"


def fix_cjk_text_layer(pdf):
    """`pdf` (bytes) with the ToUnicode CMaps mapping glyphs to unified ideographs
    instead of radicals; same length, same offsets. Compressed CMaps (not written
    by wkhtmltopdf) are left alone."""
    if not pdf or b"begincmap" not in pdf:
        return pdf
    fixed = _CMAP.sub(_fix_cmap, pdf)
    return fixed if len(fixed) == len(pdf) else pdf


def join_html_documents(documents):
    """One HTML document (str) with the body of each of `documents` (str), in
    order, each starting on a new page; the head is the first document's."""
    trees = [lxml.html.document_fromstring(document) for document in documents]
    joined = trees[0]
    body = joined.body
    first = lxml.html.Element("div", {"class": "o_kpi_print_document"})
    first.extend(list(body))
    body.append(first)
    for tree in trees[1:]:
        page = lxml.html.Element(
            "div", {"class": "o_kpi_print_document", "style": "page-break-before: always;"}
        )
        page.extend(list(tree.body))
        body.append(page)
    return "<!DOCTYPE html>\n" + lxml.html.tostring(joined, encoding="unicode")
