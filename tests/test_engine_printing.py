"""Pure tests of engine/printing.py (issue 20, finding 6); no Odoo.

wkhtmltopdf's Qt maps each glyph of a Noto CJK font back to the lowest code point
that uses it: 月 (U+6708) is written as the Kangxi radical ⽉ (U+2F49) in the PDF's
ToUnicode CMap. The fix rewrites those destinations in place (same length); and
Odoo's one-document-per-record HTML is joined into one document for a wkhtmltopdf
on an unpatched Qt.
"""

import importlib

try:
    from .engine_loader import load_engine
except ImportError:
    from engine_loader import load_engine

engine = load_engine()
printing = importlib.import_module(f"{engine.__name__}.printing")

CMAP = b"""16 0 obj
<< /Length 441 >>
stream
/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfrange
<0000> <0000> <0000>
<0001> <000B> [<2F49> <5EA6> <8003> <6838> <8868> <5E74> <2F47> <2F08> <2F12> <8D44> <6E90> ]
<000C> <000C> <2EA6>
endbfrange
1 beginbfchar
<2F49> <2F3E>
endbfchar
endcmap
endstream
"""


def test_radicals_become_the_ideographs_the_page_shows():
    fixed = printing.fix_cjk_text_layer(CMAP)
    assert len(fixed) == len(CMAP)
    # 月 日 人 力 for ⽉ ⽇ ⼈ ⼒, 丬 for ⺦, 户 for ⼾ (a bfchar destination)
    assert b"[<6708> <5EA6> <8003> <6838> <8868> <5E74> <65E5> <4EBA> <529B>" in fixed
    assert b"<000C> <000C> <4E2C>" in fixed
    # a source code (a CID) is never changed, only destinations
    assert b"<2F49> <6237>" in fixed


def test_a_range_starting_at_a_radical_stays():
    """<a> <b> <2F06> maps a+1 to ⼇: it cannot be rewritten in place; left alone."""
    pdf = b"begincmap\n1 beginbfrange\n<0001> <0002> <2F06>\nendbfrange\nendcmap"
    assert printing.fix_cjk_text_layer(pdf) == pdf


def test_other_pdfs_are_untouched():
    assert printing.fix_cjk_text_layer(b"%PDF-1.4 no cmap") == b"%PDF-1.4 no cmap"
    assert printing.fix_cjk_text_layer(b"") == b""
    assert printing.unified(0x6708) == 0x6708
    assert printing.unified(0x2F49) == 0x6708


def test_documents_joined_into_one_each_on_its_own_page():
    documents = [
        f"<!DOCTYPE html><html><head><style>p {{}}</style></head>"
        f"<body><main><div class='article'>工资单 {name}</div></main></body></html>"
        for name in ("赵敏", "张伟", "王建国")
    ]
    joined = printing.join_html_documents(documents)
    assert joined.count("<html") == 1 and joined.count("<body") == 1
    assert joined.count("<style>") == 1
    assert joined.index("赵敏") < joined.index("张伟") < joined.index("王建国")
    assert joined.count("page-break-before: always") == 2
