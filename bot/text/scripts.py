"""What the text tools need to know about scripts: sentence marks, case, and unspaced writing.

Sentence-final marks are Unicode's Sentence_Terminal property (UAX #29, as the ``regex``
package exposes it with ``\\p{Sentence_Terminal}``; a test keeps this table equal to it),
split in two. The *weak* ones (``. ! ?`` and their compatibility forms) also occur inside
tokens ("6.5", "example.com", "Yahoo!") and end a sentence only before a space; the *strong*
ones belong to one script each (。 । ။ ។ ። ؟ ۔ ։ ...) and end it even with no space after.
Added to Unicode's list: the Tibetan shads (། ༎), which Unicode leaves out, and Thai's
angkhankhu (๚ ๛). Left out of it: the Myanmar little section (၊), a comma in Burmese.
A few marks are terminal only beside their script, see :data:`SCRIPT_TERMINAL`.
"""

from __future__ import annotations

import re


def _expand(ranges: str) -> str:
    """Expand "a-cx" into "abcx": the ranges below stay short, membership tests stay fast."""
    out = []
    for match in re.finditer(r"(.)-(.)|(.)", ranges, re.DOTALL):
        if match.group(3):
            out.append(match.group(3))
        else:
            out.extend(chr(c) for c in range(ord(match.group(1)), ord(match.group(2)) + 1))
    return "".join(out)


def word_set(*groups: str) -> frozenset[str]:
    """Return the casefolded words of space-separated word lists, as one set."""
    return frozenset(word for group in groups for word in group.casefold().split())


def _words(*groups: str) -> tuple[str, ...]:
    return tuple(word for group in groups for word in group.split())


WEAK_TERMINALS = (
    ".!?…\u037e\u2024\u203c\u203d\u2047\u2048\u2049\u2cf9\u2cfa\u2cfb\u2e2e\u2e3c\u2e53\u2e54"
    "\u2e60\u2e61\ufe52\ufe56\ufe57\uff0e"
)
STRONG_TERMINALS = _expand(
    "\u0589\u061d-\u061f\u06d4\u0700-\u0702\u07f9\u0837\u0839\u083d\u083e\u0964\u0965\u104b"
    "\u1362\u1367\u1368\u166e\u1735\u1736\u17d4\u17d5\u1803\u1809\u1944\u1945\u1aa8-\u1aab"
    "\u1b4e\u1b4f\u1b5a\u1b5b\u1b5e\u1b5f\u1b7d-\u1b7f\u1c3b\u1c3c\u1c7e\u1c7f\u3002\ua4ff"
    "\ua60e\ua60f\ua6f3\ua6f7\ua876\ua877\ua8ce\ua8cf\ua92f\ua9c8\ua9c9\uaa5d-\uaa5f\uaaf0"
    "\uaaf1\uabeb\ufe12\ufe15\ufe16\uff01\uff1f\uff61\U00010a56\U00010a57\U00010f55-\U00010f59"
    "\U00010f86-\U00010f89\U00011047\U00011048\U000110be-\U000110c1\U00011141-\U00011143"
    "\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b"
    "\U0001123c\U000112a9\U000113d4\U000113d5\U0001144b\U0001144c\U000115c2\U000115c3"
    "\U000115c9-\U000115d7\U00011641\U00011642\U0001173c-\U0001173e\U00011944\U00011946"
    "\U00011a42\U00011a43\U00011a9b\U00011a9c\U00011c41\U00011c42\U00011ef7\U00011ef8"
    "\U00011f43\U00011f44\U00016a6e\U00016a6f\U00016af5\U00016b37\U00016b38\U00016b44"
    "\U00016d6e\U00016d6f\U00016e98\U0001bc9f\U0001da88"
    "\u0f0d-\u0f12\u0e5a\u0e5b"  # Tibetan shads, Thai angkhankhu and khomut
)
TERMINALS = WEAK_TERMINALS + STRONG_TERMINALS
# The marks of widely written scripts; the others (Syriac, N'Ko, Mongolian, Javanese, Brahmi...)
# are looked for only in texts that hold one: a shorter character class scans faster.
COMMON_TERMINALS = WEAK_TERMINALS + _expand(
    "\u0589\u061d-\u061f\u06d4\u0964\u0965\u104b\u1362\u1367\u1368\u17d4\u17d5\u3002\uff01"
    "\uff1f\uff61\u0f0d-\u0f12\u0e5a\u0e5b"
)
# Marks that end a sentence only right after a letter of their script, as a weak mark:
# Greek's question mark is the semicolon (U+037E normalizes to ";"), Armenian text often types
# its full stop ։ as ":", and Amharic text types ። as two wordspaces or two colons.
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"
ARMENIAN = "\u0531-\u0587\ufb13-\ufb17"
_ETHIOPIC = "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f"
SCRIPT_TERMINAL = f"፡፡|(?<=[{_ETHIOPIC}])::|(?<=[{ARMENIAN}]):|(?<=[{_GREEK}]);"
MARKED_SCRIPTS = re.compile(f"[{_GREEK}{ARMENIAN}{_ETHIOPIC}]")
_SCRIPT_TAIL = re.compile(f"(?:{SCRIPT_TERMINAL})$")
QUESTION_MARKS = "?？؟⁇⁈⁉‽\u037e፧;\u2e2e\ufe56\u055e"
# Armenian writes its question mark (՞) on the stressed word, inside the sentence.
INNER_QUESTION = "\u055e"

# Thai and Lao put a space between sentences (and between some clauses) but none between words.
_THAI = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"  # letters, not ฯ ๆ or digits
_LAO = "\u0e81-\u0eae\u0eb0-\u0ebd\u0ec0-\u0ec4\u0ec8-\u0ece"  # letters, not ຯ ໆ or digits
THAI_LAO = re.compile(f"[{_THAI}{_LAO}]")
# One scan tells whether a text needs any of the script-bound rules (most texts do not).
_RARE_BMP = "".join(c for c in STRONG_TERMINALS if c not in COMMON_TERMINALS and c <= "\uffff")
RARE_TERMINALS = re.compile(f"[{re.escape(_RARE_BMP)}]")  # the astral ones: see has_astral
SPECIAL_SCRIPTS = re.compile(
    f"[{_THAI}{_LAO}{_GREEK}{ARMENIAN}{_ETHIOPIC}{re.escape(_RARE_BMP)}\U00010000-\U0010ffff]"
)
# Group 1 is the space: between two letters, or after a year ("ในปี 2567 ", "ພ.ສ. 2567 "),
# the one number a sentence often ends on. Other numbers are followed by their unit or noun.
SPACE_BETWEEN_LETTERS = re.compile(
    f"(?:(?<=[{_THAI}{_LAO}])|(?:ปี|ປີ|ศ\\.|ສ\\.) ?\\d{{4}})([ \u00a0]+)(?=[{_THAI}{_LAO}])"
)
# Words that carry a Thai or Lao sentence on past a space: conjunctions, relatives and
# reporting verbs ("กล่าวว่า ...") before it, a title before a name (ທ່ານ). Matched as the end
# of the text before the space, so words that end many compounds are left out: ที่ (พื้นที่,
# เจ้าหน้าที่, เต็มที่ end sentences), ให้, ตาม, ถึง.
CONTINUES_AFTER = _words(
    "ว่า คือ เช่น และ หรือ โดย ซึ่ง ของ กับ ได้แก่ เพื่อ แต่ ระหว่าง "
    "ວ່າ ຄື ເຊັ່ນ ແລະ ຫຼື ຫລື ໂດຍ ຊຶ່ງ ເຊິ່ງ ຂອງ ກັບ ເພື່ອ ແຕ່ ທ່ານ ທ້າວ ນາງ",
)
# ... and after it: conjunctions, particles and verbs a sentence does not start with. Matched
# as the start of the text after the space, so words that open sentences are left out: ที่
# (ที่ประชุม, "the meeting"), ใน (ในปีนี้), จาก (จากนั้น), ตาม (ตามรายงาน), ภายใน, นับ.
CONTINUES_BEFORE = _words(
    "และ แต่ ซึ่ง โดย เพื่อ หรือ ว่า จึง เพราะ ทำให้ กับ ของ ให้ ได้ แล้ว ก็ จน "
    "เช่น คือ เป็น กล่าว เปิดเผย ระบุ เผย แถลง ยืนยัน ถึง ส่งผล ราว กว่า "
    "ແລະ ແຕ່ ຊຶ່ງ ເຊິ່ງ ໂດຍ ເພື່ອ ຫຼື ຫລື ວ່າ ຈຶ່ງ ເພາະ ກັບ ຂອງ ໃຫ້ ໄດ້ ແລ້ວ ກໍ "
    "ເຊັ່ນ ຄື ເປັນ ກ່າວ ເປີດເຜີຍ ລະບຸ ຢືນຢັນ ເຖິງ ກວ່າ",
)
# A Thai or Lao sentence is rarely this short (code points): shorter pieces are a name, a
# title, a dateline, and stay with what follows.
MIN_SPACED_SENTENCE = 30
MIN_SPACED_REST = 20


def is_lowercase(char: str) -> bool:
    """Whether ``char`` is a lowercase letter of a script whose sentences start in capitals.

    Georgian is written in one case (Mkhedruli; Unicode calls it lowercase since its
    capitals, Mtavruli, were encoded for titles only), so it never marks a continuation.
    """
    return char.islower() and not ("\u10d0" <= char <= "\u10ff" or "\u2d00" <= char <= "\u2d2f")


def has_case(text: str) -> bool:
    """Whether ``text`` holds a letter of a script written in two cases (Georgian is not)."""
    return any(char.isupper() or is_lowercase(char) for char in text)


def script_terminal(sentence: str, end: int | None = None) -> str:
    """The script-bound mark ending ``sentence[:end]`` (";" after Greek, ":" after Armenian)."""
    end = len(sentence) if end is None else end
    match = _SCRIPT_TAIL.search(sentence, max(0, end - 2), end)
    return match.group() if match else ""



def has_astral(text: str) -> bool:
    """Whether ``text`` holds a character beyond the BMP (cheaper than ``max(text)``)."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)
