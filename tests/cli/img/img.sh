#!/bin/bash
# crtool show/decode/encode on CRIU 4.2's images: every fixture goes through
# decode and encode to the same bytes, show prints the reference JSON, and
# bad input fails with exit code 1 and a message naming the file.
# Usage: img.sh CRTOOL FIXTURES_DIR
set -u
crtool=$1
fixtures=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

n=0
for img in "$fixtures"/*/*.img "$fixtures"/*/stats-dump; do
	[ -e "$img.json" ] || continue
	n=$((n + 1))
	name=${img#"$fixtures"/}
	expect 0 "$crtool" decode -i "$img" -o "$tmp/x.json" --pretty
	expect 0 "$crtool" encode -i "$tmp/x.json" -o "$tmp/x.img"
	cmp -s "$img" "$tmp/x.img" || fail "$name: decode --pretty + encode changed the bytes"
	[ "$(stat -c %a "$tmp/x.img")" = 600 ] || fail "$name: encode did not create mode 0600"
	# Plain JSON, through stdin and stdout.
	"$crtool" decode -i - <"$img" | "$crtool" encode -i - -o - >"$tmp/y.img" ||
		fail "$name: decode | encode through pipes failed"
	cmp -s "$img" "$tmp/y.img" || fail "$name: plain decode + encode changed the bytes"
	# The reference JSON itself encodes back to the image.
	expect 0 "$crtool" encode -i "$img.json" -o "$tmp/z.img"
	cmp -s "$img" "$tmp/z.img" || fail "$name: the reference JSON encodes to other bytes"
done
[ "$n" -gt 50 ] || fail "only $n fixtures found in $fixtures"

# show prints the pretty JSON on stdout, the reference's text plus a newline.
expect 0 "$crtool" show "$fixtures/fdzoo/pstree.img"
{ cat "$fixtures/fdzoo/pstree.img.json"; echo; } | cmp -s - "$tmp/out" ||
	fail "show fdzoo/pstree.img differs from the reference"

# show - reads stdin; decode and encode cope with input that arrives in
# pieces through pipes.
"$crtool" show - <"$fixtures/fdzoo/pstree.img" >"$tmp/out" || fail "show - failed"
{ cat "$fixtures/fdzoo/pstree.img.json"; echo; } | cmp -s - "$tmp/out" ||
	fail "show - differs from the reference"
for img in fdzoo/pipes-data.img fdzoo/ghost-file-1.img tcp/tcp-stream-2f626.img; do
	f=$fixtures/$img
	{ head -c 7 "$f"; sleep 0.1; tail -c +8 "$f"; } | "$crtool" decode -i - |
		{ head -c 5; sleep 0.1; cat; } | "$crtool" encode -i - >"$tmp/y.img" ||
		fail "$img: decode | encode from pipes fed in pieces failed"
	cmp -s "$f" "$tmp/y.img" || fail "$img: decode | encode from pipes changed the bytes"
done

# Errors: exit code 1 and a message naming the file.
expect 1 "$crtool" show "$tmp/missing.img"
grep -q missing.img "$tmp/err" || fail "no message naming a missing file"
head -c 13 "$fixtures/fdzoo/pstree.img" >"$tmp/cut.img"
expect 1 "$crtool" show "$tmp/cut.img"
grep -q 'cut.img.*offset 8' "$tmp/err" || fail "truncation not reported with its offset: $(cat "$tmp/err")"
expect 1 "$crtool" decode -i "$fixtures/fdzoo/pages-1.img"
echo '{"magic": "PSTREE", "entries": [{"pid": 1}]}' >"$tmp/bad.json"
expect 1 "$crtool" encode -i "$tmp/bad.json" -o "$tmp/bad.img"
[ -e "$tmp/bad.img" ] && fail "a failed encode left its output behind"
echo '{"magic": "NOPE", "entries": []}' >"$tmp/bad.json"
expect 1 "$crtool" encode -i "$tmp/bad.json" -o "$tmp/bad.img"
echo '{"magic": ' >"$tmp/bad.json"
expect 1 "$crtool" encode -i "$tmp/bad.json" -o "$tmp/bad.img"
expect 1 "$crtool" decode
expect 1 "$crtool" decode -i "$fixtures/fdzoo/pstree.img" --bogus
expect 1 "$crtool" encode -i "$tmp/bad.json" --pretty
expect 1 "$crtool" show
expect 0 "$crtool" decode --help
grep -q -- '--pretty' "$tmp/out" || fail "decode --help does not describe --pretty"
# --log-file sends errors to the file.
expect 1 "$crtool" decode -i "$tmp/cut.img" --log-file "$tmp/log"
grep -q 'cut.img' "$tmp/log" || fail "--log-file did not receive the error"

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "ok: $n fixtures"
