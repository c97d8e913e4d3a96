"""Decode the bytes of an input file into text, or say exactly why not.

Shared by every reader, so that an export and a record file fail the same way on the
same mistake: an empty file, a file saved as UTF-16 or in a legacy code page.
"""

from __future__ import annotations

import codecs

from generator.problems import Problem

SAVE_AS_UTF8 = "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"
UTF16_WITHOUT_BOM = "the file looks like UTF-16 without a byte-order mark, not UTF-8"


def decode(
    data: bytes, path: str, *, allow_utf16: bool = False
) -> tuple[str | None, list[Problem]]:
    """Text with ``\\n`` line ends and no byte-order mark, or ``None`` and the problem.

    ``allow_utf16`` accepts UTF-16 with a byte-order mark, as some reference managers
    export it; record files must be UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not allow_utf16:
            return None, [Problem(path, 1, "the file is saved as UTF-16, not UTF-8", SAVE_AS_UTF8)]
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            return None, [
                Problem(
                    path,
                    line,
                    "the file is UTF-16 but damaged (an incomplete character)",
                    SAVE_AS_UTF8,
                )
            ]
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        head = data[:200]
        # UTF-16 text without a byte-order mark decodes as "UTF-8" full of NUL bytes.
        if head.count(0) * 4 >= len(head) > 0:
            return None, [Problem(path, 1, UTF16_WITHOUT_BOM, SAVE_AS_UTF8)]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            bad = data[error.start : error.start + 1].hex().upper()
            message = f"the file is not UTF-8 (byte 0x{bad} at column {column})"
            if b"\x00" in data[:200]:
                message = UTF16_WITHOUT_BOM
            return None, [Problem(path, line, message, SAVE_AS_UTF8)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [Problem(path, 1, "the file is empty", "add content or delete the file")]
    return text, []
