"""Compares the library's DNS name rules with python's idna package (UTS #46 non-transitional,
STD3 rules, IDNA2008 checks) on the issue's examples and a generated corpus of several thousand
names. Usage: python3 -I compare_idna_with_python.py <ocscert_idna_probe>. Exit 0 when every name
is accepted or refused alike and every accepted name has the same ASCII form."""
import random
import subprocess
import sys

import idna

# The findings and the context rules, one per line.
FIXED = [
    "con\u00adtoso.com", "\uff22\uff35\uff23\uff28\uff25\uff32.de", "\u0130stanbul.tr", "\u2603.net",
    "a\u200db.com", "\ufb01.com", "\u2177.com", "\u0132SSEL.nl", "b\u00fccher\u3002de", "bu\u0308cher.de",
    "Stra\u00dfe.de", "\u03c2.gr", "pool01.contoso.com", "Pool01.CONTOSO.com.", "xn--bcher-kva.de",
    "XN--BCHER-KVA.de", "xn--bcher-2pa.de", "xn--abc-.de", "xn--zz.de", "xn--a.com", "xn--e28h.com",
    "ab--c.com", "a--b.com", "-a.com", "a-.com", "a_b.com", "a,b.com", "a b.com", "l\u00b7l.cat",
    "a\u00b7b.cat", "\u0915\u094d\u200d.in", "\u0915\u200d.in", "\u0628\u200c\u0628.ir", "a\u200cb.ir",
    "\u0375\u03b1.gr", "a\u0375.gr", "\u05d0\u05f3.il", "a\u05f3.il", "\u30a2\u30fb\u30a4.jp",
    "a\u30fbb.jp", "\u0660\u0661.eg", "\u0660\u06f0.eg", "\u06f0\u06f1.ir", "\u05d01.il", "1\u05d0.il",
    "\u05d0a.il", "\u0627\u0661.eg", "123.\u05d0.com", "\u0301a.com", "a\uff0cb.com", "a\u2488.com",
    "a\U000e0001.com", "\u0378x.com", "\u00ad.com", "a..b.com", ".a.com", "a.com..", ".", "a",
    "10.0.0.1", "a.123", "*.contoso.com", "b\u00fccher\uff0ede\uff61", "\u00fc" * 60 + ".com",
    "a" * 63 + ".com", "a" * 64 + ".com",
]

# Code point blocks where scripts, compatibility forms, symbols and invisible characters live.
BLOCKS = [(0x21, 0x7E), (0xA0, 0x2FF), (0x300, 0x36F), (0x370, 0x52F), (0x590, 0x6FF), (0x900, 0x97F),
          (0xE00, 0xE7F), (0x10A0, 0x10FF), (0x1100, 0x1112), (0x1E00, 0x1FFF), (0x2000, 0x218F),
          (0x2460, 0x24FF), (0x2600, 0x260F), (0x2C00, 0x2C7F), (0x3000, 0x30FF), (0x3130, 0x318F),
          (0x4E00, 0x4E3F), (0xAC00, 0xAC3F), (0xFB00, 0xFDFF), (0xFE00, 0xFE6F), (0xFF00, 0xFFEF),
          (0x10400, 0x1044F), (0x1D400, 0x1D4FF), (0x1F100, 0x1F1FF), (0x1F600, 0x1F64F), (0xE0000, 0xE007F)]

# Characters mixed at random so joiners, marks, digits and scripts meet in every order.
POOL = ("aZ9-\u00fc\u00dc\u00df\u0130\u0131\u03c3\u03c2\u03a3\u0430\u0416\u05d0\u05d1\u0627\u0628\u0661"
        "\u06f1\u0915\u094d\u093f\u0e01\u0e31\u4e2d\u3042\u30a2\u30fb\u00b7\u0375\u05f3\u200c\u200d\u00ad"
        "\u0301\u0308\uff21\uff10\u2160\ufb01\u3002\uff0e\u2603\u00a0\u200b\u0640\u064b")


# Letters Unicode 14 added (Glagolitic) that python's idna 3.3 knows and libidn2 2.3.3, whose
# tables are older, refuses as unassigned. Only these may differ, and only that way.
NEWER_THAN_LIBIDN2 = {"\u2c2f", "\u2c5f"}


def corpus():
    names = list(FIXED)
    for low, high in BLOCKS:
        for cp in range(low, high + 1):
            c = chr(cp)
            if c in "*\n\r" or 0xD800 <= cp <= 0xDFFF:
                continue
            names.append("a%sb.example" % c)
            names.append("%s.example" % c)
    rng = random.Random(11)
    for _ in range(4000):
        labels = ["".join(rng.choice(POOL) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 3))]
        names.append(".".join(labels) + rng.choice([".example", ".example.", ""]))
    return [n for n in names if "\n" not in n and "\r" not in n]


def expected(name):
    """The ASCII form python's idna gives, with the library's own rules on top, or None."""
    if "*" in name:
        return None  # wildcards are refused before anything else
    try:
        ascii_name = idna.encode(name, uts46=True, std3_rules=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    if ascii_name.endswith("."):
        ascii_name = ascii_name[:-1]
    labels = ascii_name.split(".")
    if len(labels) < 2 or labels[-1].isdigit() or len(ascii_name) > 253:
        return None  # single-label names and IP-like names are refused by the library
    return ascii_name


def main():
    probe = sys.argv[1]
    names = corpus()
    out = subprocess.run([probe], input="\n".join(names) + "\n", capture_output=True, check=True, encoding="utf-8")
    results = out.stdout.split("\n")[:-1]
    if len(results) != len(names):
        print("the probe answered %d lines for %d names" % (len(results), len(names)))
        return 1
    mismatches = []
    known = []
    accepted = 0
    for name, result in zip(names, results):
        want = expected(name)
        got = result[3:] if result.startswith("ok ") else None
        if not result.startswith(("ok ", "refused ")):
            mismatches.append((name, "probe said %r" % result))
        elif got is None and want and set(name) & NEWER_THAN_LIBIDN2 and "not assigned in the Unicode version" in result:
            known.append(name)
        elif got != want:
            mismatches.append((name, "library: %s | python idna: %s" % (result, want if want else "refused")))
        accepted += got is not None
    version = getattr(idna, "__version__", None) or idna.package_data.__version__
    print("%d names, %d accepted, %d refused; python idna %s (Unicode %s) from %s" %
          (len(names), accepted, len(names) - accepted, version, idna.idnadata.__version__, idna.__file__))
    if known:
        print("%d names differ only by code points newer than libidn2's tables: %s" % (len(known), ", ".join(ascii(n) for n in known)))
    for name, why in mismatches[:50]:
        print("MISMATCH %s (%s): %s" % (ascii(name), name, why))
    if mismatches:
        print("%d names differ" % len(mismatches))
        return 1
    print("every name agrees" if not known else "every other name agrees")
    return 0


if __name__ == "__main__":
    sys.exit(main())
