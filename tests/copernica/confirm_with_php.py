"""Rerun the ``[php]`` rows of ``test_value_casts`` through PHP itself (needs ``php`` on PATH):

    python tests/copernica/confirm_with_php.py

Prints each row PHP disagrees with and exits 1 if any does. Not a test (CI has no PHP): a way
to check the tables' claims about PHP, as they were checked when written (PHP 8.2).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_value_casts import DATES, SCALARS

PHP = r'''
date_default_timezone_set("Europe/Amsterdam");
$rows = json_decode(stream_get_contents(STDIN), true);
$out = [];
foreach ($rows["dates"] as $s) { $t = strtotime($s); $out[] = $t === false ? "" : date("Y-m-d H:i:s", $t); }
foreach ($rows["ints"] as $v) { $out[] = (string)(int)$v; }
foreach ($rows["floats"] as $v) { $out[] = (string)(float)$v; }
foreach ($rows["forms"] as $q) { parse_str($q, $o); $out[] = json_encode($o); }
echo json_encode($out);
'''


def main() -> int:
    dates = [(v, e) for v, e, s in DATES if "[php]" in s]
    ints = [(v, e) for t, v, e, s in SCALARS if t == "integer" and "[php]" in s and isinstance(v, str)]
    floats = [(v, e) for t, v, e, s in SCALARS if t == "float" and "[php]" in s and isinstance(v, str)]
    forms = [("a[1]=x&a[]=y", {"a": {"1": "x", "2": "y"}}), ("a[-3]=x&a[]=y", {"a": {"-3": "x", "-2": "y"}}),
             ("a[5]=x&a[07]=z&a[]=y", {"a": {"5": "x", "07": "z", "6": "y"}})]
    rows = {"dates": [v for v, _ in dates], "ints": [v for v, _ in ints], "floats": [v for v, _ in floats],
            "forms": [q for q, _ in forms]}
    answer = json.loads(subprocess.run(["php", "-r", PHP], input=json.dumps(rows), capture_output=True,
                                       text=True, check=True).stdout)
    expected = [e for _, e in dates] + [e for _, e in ints] + [e for _, e in floats] + \
               [json.dumps(e, separators=(",", ":")) for _, e in forms]
    inputs = rows["dates"] + rows["ints"] + rows["floats"] + rows["forms"]
    wrong = [(i, e, a) for i, e, a in zip(inputs, expected, answer, strict=True) if e != a]
    for value, ours, php in wrong:
        print(f"{value!r}: table says {ours!r}, PHP says {php!r}")
    print(f"{len(inputs) - len(wrong)} of {len(inputs)} rows agree with PHP")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
