"""A folder of hostile inputs, each with the status the parser must give it (issue: nothing lost).

``make_hostile(folder)`` writes the files and returns ``{relative name: expected status}``;
the parser tests and the corpus build tests both use it. Files are made at test
time, so that no binary junk is committed.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "data" / "raw" / "004_b06d21084f014798.txt").read_text(encoding="utf-8")


def make_hostile(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, status: str):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = status

    utf8 = SEED.encode("utf-8")
    put("empty.txt", b"", "failed")
    put("whitespace.txt", b" \n\t \r\n", "failed")
    put("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(0) + bytes(range(256)) * 8, "failed")
    put("photo.html", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, "failed")
    put("archive.txt", b"PK\x03\x04" + b"\x00" * 64 + b"not a word document", "failed")
    put("broken.pdf", b"%PDF-1.4\n%broken\n1 0 obj <<>> endobj\n", "failed")
    word = (ROOT / "tests" / "fixtures" / "readers" / "merged.doc").read_bytes()
    put("truncated.doc", word[:len(word) // 2], "failed")
    put("ole-junk.doc", word[:8] + bytes((i * 31) % 256 for i in range(4000)), "failed")
    put("random.bin.txt", bytes((i * 7919) % 256 for i in range(5000)), "failed")
    put("gb18030.txt", SEED.encode("gb18030"), "ok")
    put("gbk.txt", SEED.encode("gbk"), "ok")
    put("utf16-bom.txt", codecs.BOM_UTF16_LE + SEED.encode("utf-16-le"), "ok")
    put("utf16-nobom.txt", SEED.encode("utf-16-le"), "ok")
    put("utf8-bom.txt", codecs.BOM_UTF8 + utf8, "ok")
    put("mixed-encoding.txt", utf8[:2000] + "（乱码）".encode("gbk") + utf8[2000:], "ok")
    put("big5-traditional.txt", "政府資訊公開年度報告\n一、總體情況\n本機關依法公開資訊。\n".encode("big5"), "not_a_report")
    cut = SEED.index("5.属于三类内部事务信息")
    put("truncated-mid-table.txt", SEED[:cut].encode("utf-8"), "partial")
    put("pasted-twice.txt", (SEED + "\n" + SEED).encode("utf-8"), "ok")
    t2_end = SEED.index("三、收到和处理政府信息公开申请情况")
    put("only-table-2.txt", SEED[:t2_end].encode("utf-8"), "partial")
    put("thousands-fullwidth-units.txt",
        SEED.replace("130024", "130,024").replace("276451", "２７６４５１").replace("3480 |", "3480件 |").encode("utf-8"),
        "ok")
    put("negative-and-absurd.txt", SEED.replace("48 |\n3 |", "-48 |\n3 |", 1).encode("utf-8"), "partial")
    put("long-line.txt", utf8 + ("很长的一行，" * 400_000).encode("utf-8"), "ok")
    put("nested.html", b"<html><body>" + b"<div>" * 5000 + "一、总体情况".encode() + b"</div>" * 5000
        + b"</body></html>", "not_a_report")
    put("xxe.html", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
        b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&x;&c;</p>'
        b'<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="http://127.0.0.1:9/s.css">'
        b'</body></html>', "not_a_report")
    put("名字 带空格/黔江区 2024 年报.txt", utf8, "ok")
    put("pre-2019.txt", "某市人民政府2015年政府信息公开工作年度报告\n一、概述\n统计表\n申请总数 | 12 |\n同意公开 | 10 |\n"
        .encode("utf-8"), "pre2019")
    put("notice.txt", "关于做好2023年政府信息公开工作年度报告编制和发布工作的通知\n各单位：请按时发布。\n".encode("utf-8"),
        "not_a_report")
    # a symlink loop: reading it fails, listing it must not hang
    loop_a, loop_b = folder / "loop-a.txt", folder / "loop-b.txt"
    if not loop_a.exists() and not loop_a.is_symlink():
        os.symlink(loop_b.name, loop_a)
        os.symlink(loop_a.name, loop_b)
    expected["loop-a.txt"] = "failed"
    expected["loop-b.txt"] = "failed"
    return expected
