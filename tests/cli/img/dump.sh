#!/bin/bash
# crtool show DIR and crtool x DIR ps|fds|mems|rss on CRIU 4.2's dumps: the
# summaries name the real tasks, fds and memory areas of the fixtures, and a
# dump with missing, truncated or corrupt images gives exit code 1 and a
# message, never a crash.
# Usage: dump.sh CRTOOL FIXTURES_DIR
set -u
crtool=$1
fixtures=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# has REGEX: $tmp/out has a line matching the extended REGEX.
has() {
	grep -Eq -- "$1" "$tmp/out" || fail "no line matching '$1' in: $(head -c 2000 "$tmp/out")"
}

tree=$fixtures/tree fdzoo=$fixtures/fdzoo tcp=$fixtures/tcp

# show DIR: the tree with PID, PPID, PGID, SID, threads and comm, children
# indented under their parent; then the images by kind.
expect 0 "$crtool" show "$tree"
has '^4 tasks:$'
has '^ +24156 +0 +24156 +24156 +1  tree$'
has '^ +24158 +24156 +24156 +24156 +1  \\_ tree \(zombie\)$'
has '^ +24159 +24156 +24159 +24156 +1  \\_ tree$'
has '^ +24160 +24159 +24159 +24156 +1      \\_ tree$'
has '^ +4  core$'
has '^ +3  pages$'
has '^ +3  pagemap$'
has '^ +1  stats-dump$'
expect 0 "$crtool" show "$fdzoo"
has '^ +23897 +0 +23897 +23897 +4  fdzoo$'
has '^ +2  pagemap-shmem$'
has '^ +1  ghost-file$'
expect 0 "$crtool" show "$tcp"
has '^ +24123 +0 +24123 +24123 +1  tcppair$'
has '^ +2  tcp-stream$'

# x ps: PID, PGID, SID, COMM, in tree order.
expect 0 "$crtool" x "$tree" ps
[ "$(awk 'NR > 1 { print $1 }' "$tmp/out" | tr '\n' ' ')" = "24156 24158 24159 24160 " ] ||
	fail "x ps: tasks not in tree order: $(cat "$tmp/out")"
has '^ +24160 +24159 +24156      \\_ tree$'
expect 0 "$crtool" x "$fdzoo" ps
has '^ +23897 +23897 +23897  fdzoo$'

# x fds: each fd resolved through ids, fdinfo and files.img; cwd and root.
expect 0 "$crtool" x "$fdzoo" fds
has '^23897 fdzoo$'
has '^ +0  /dev/null$'
has '^ +3  /tmp/fx/work/fdzoo.data$'
has '^ +4  /tmp/fx/work/fdzoo.unlinked$'
has '^ +5  pipe:\[192563\]$'
has '^ +6  pipe:\[192563\]$'
has '^ +7  fifo:\[10969130\] /tmp/fx/work/fdzoo.fifo$'
has '^ +8  socket:\[192564\] unix stream -> \[192565\]$'
has '^ +11  socket:\[192566\] unix dgram -> \[192567\]$'
has '^ +13  anon_inode:\[eventfd\]$'
has '^ +14  anon_inode:\[eventpoll\]$'
has '^ +15  anon_inode:inotify$'
has '^ +16  anon_inode:\[signalfd\]$'
has '^ +17  anon_inode:\[timerfd\]$'
has '^ +18  memfd:fdzoo-memfd$'
has '^ +251  pipe:\[192558\]$'
has '^ +cwd  /tmp/fx$'
has '^ +root  /$'
[ "$(grep -Ec '^ +[0-9]+  ' "$tmp/out")" = 20 ] || fail "x fds: fdzoo has 20 fds: $(cat "$tmp/out")"
expect 0 "$crtool" x "$tcp" fds
has '^ +3  socket:\[194085\] tcp 127.0.0.1:47001 -> 0.0.0.0:0 LISTEN$'
has '^ +4  socket:\[194086\] tcp 127.0.0.1:42386 -> 127.0.0.1:47001 ESTABLISHED$'
has '^ +6  socket:\[194088\] udp 127.0.0.1:47002 -> 0.0.0.0:0$'
# In the tree fixture, three tasks share a pipe; the zombie has no fds.
expect 0 "$crtool" x "$tree" fds
[ "$(grep -c 'pipe:\[194228\]' "$tmp/out")" = 6 ] || fail "x fds: tree's pipe not in 3 tasks"
grep -A1 '^24158 tree (zombie)$' "$tmp/out" | tail -1 | grep -q '^24159 tree$' ||
	fail "x fds: the zombie should have no fd lines"

# x mems: areas with protection and what backs them.
expect 0 "$crtool" x "$fdzoo" mems
has '^  exe /tmp/fx/fdzoo$'
has '^  560ae78c8000-560ae78e9000 rw-p \[heap\]$'
has '^  560ae5bef000-560ae5bf0000 r-xp /tmp/fx/fdzoo$'
has '^  7f9b41138000-7f9b41148000 rw-s memfd:/dev/zero$'
has '^  7f9b41171000-7f9b412c7000 r-xp /usr/lib/x86_64-linux-gnu/libc.so.6$'
has '^  7f9b4133b000-7f9b41341000 r--p \[vvar\]$'
has '^  7f9b41341000-7f9b41343000 r-xp \[vdso\]$'
has '^  7ffd0ad15000-7ffd0ad36000 rw-p \[stack\]$'
has '^  ffffffffff600000-ffffffffff601000 --xp \[vsyscall\]$'
has '^  7f9b41038000-7f9b41138000 rw-p$'
[ "$(grep -c '^  [0-9a-f]*-' "$tmp/out")" = 31 ] || fail "x mems: fdzoo has 31 areas"

# x rss: present pages per area, as pagemap-PID.img lists them.
expect 0 "$crtool" x "$fdzoo" rss
has '^ +2  560ae78c8000-560ae78e9000 rw-p \[heap\]$'
has '^ +256  7f9b41038000-7f9b41138000 rw-p$'
has '^ +3  7ffd0ad15000-7ffd0ad36000 rw-p \[stack\]$'
has '^ +0  7f9b41171000-7f9b412c7000 r-xp /usr/lib/x86_64-linux-gnu/libc.so.6$'
has '^ +290  pages in all$'
expect 0 "$crtool" x "$tree" rss
[ "$(grep -c 'pages in all' "$tmp/out")" = 3 ] || fail "x rss: tree has 3 live tasks"
has '^ +28  pages in all$'

# Usage errors.
expect 1 "$crtool" x "$tree"
expect 1 "$crtool" x "$tree" nope
grep -q "unknown summary 'nope'" "$tmp/err" || fail "x: no message for an unknown summary"
expect 1 "$crtool" x "$tmp/none" ps
grep -q "$tmp/none" "$tmp/err" || fail "x: no message naming a missing folder"
mkdir "$tmp/empty"
expect 1 "$crtool" show "$tmp/empty"
grep -q "pstree.img.*No such file" "$tmp/err" && grep -q "dump in $tmp/empty" "$tmp/err" ||
	fail "show of a folder that is no dump: $(cat "$tmp/err")"
expect 0 "$crtool" x --help
grep -q rss "$tmp/out" || fail "x --help does not describe rss"

# Broken dumps: each gives exit code 1 and a message naming the image.
broken() {
	rm -rf "$tmp/d"
	cp -r "$tree" "$tmp/d"
}
broken
rm "$tmp/d/core-24159.img"
expect 1 "$crtool" show "$tmp/d"
grep -q core-24159.img "$tmp/err" || fail "missing core: no message naming it"
broken
rm "$tmp/d/fdinfo-3.img"
expect 1 "$crtool" x "$tmp/d" fds
grep -q fdinfo-3.img "$tmp/err" || fail "missing fdinfo: no message naming it"
broken
rm "$tmp/d/mm-24160.img"
expect 1 "$crtool" x "$tmp/d" mems
grep -q mm-24160.img "$tmp/err" || fail "missing mm: no message naming it"
broken
head -c 50 "$tree/pstree.img" >"$tmp/d/pstree.img"
expect 1 "$crtool" x "$tmp/d" ps
grep -q 'pstree.img.*offset' "$tmp/err" || fail "truncated pstree: no offset: $(cat "$tmp/err")"
broken
head -c 100000 "$tree/pages-1.img" >"$tmp/d/pages-1.img"
expect 1 "$crtool" x "$tmp/d" rss
grep -q 'past the end of pages-1.img' "$tmp/err" || fail "short pages file: $(cat "$tmp/err")"
# A parent cycle and a repeated PID, written through encode.
broken
sed 's/"ppid": 0,/"ppid": 24160,/' "$tree/pstree.img.json" >"$tmp/p.json"
"$crtool" encode -i "$tmp/p.json" -o "$tmp/d/pstree.img" || fail "encode of a cyclic pstree"
expect 1 "$crtool" show "$tmp/d"
grep -q cycle "$tmp/err" || fail "pstree cycle: $(cat "$tmp/err")"
sed 's/"pid": 24159,/"pid": 24156,/' "$tree/pstree.img.json" >"$tmp/p.json"
"$crtool" encode -i "$tmp/p.json" -o "$tmp/d/pstree.img" || fail "encode of a pstree with a repeated PID"
expect 1 "$crtool" x "$tmp/d" ps
grep -q 'PID 24156 appears twice' "$tmp/err" || fail "repeated PID: $(cat "$tmp/err")"

# summarize WHAT: "show" for show DIR, else the x summary, on $tmp/d.
summarize() {
	if [ "$1" = show ]; then
		"$crtool" show "$tmp/d"
	else
		"$crtool" x "$tmp/d" "$1"
	fi
}

# Every truncation and every flipped byte of the images each summary reads:
# exit 0 or 1 (a cut at an entry boundary can still be a valid image), never
# a signal, and a message whenever it fails.
fuzz() {
	local img=$1 what=$2 stride=$3 size off code
	size=$(stat -c %s "$tree/$img")
	for ((off = 0; off < size; off += stride)); do
		for how in cut flip; do
			if [ $how = cut ]; then
				head -c "$off" "$tree/$img" >"$tmp/d/$img"
			else
				cp "$tree/$img" "$tmp/d/$img"
				printf "\\x$(printf %02x $((0x$(od -An -tx1 -j "$off" -N1 "$tree/$img" | tr -d ' ') ^ 0xff)))" |
					dd of="$tmp/d/$img" bs=1 seek="$off" conv=notrunc status=none
			fi
			summarize "$what" >/dev/null 2>"$tmp/err"
			code=$?
			if [ "$code" -gt 1 ]; then
				fail "$img $how at $off: $what exited $code"
			elif [ "$code" = 1 ] && [ ! -s "$tmp/err" ]; then
				fail "$img $how at $off: $what failed without a message"
			fi
		done
	done
	cp "$tree/$img" "$tmp/d/$img"
}
broken
fuzz pstree.img show 1
fuzz ids-24156.img fds 1
fuzz fs-24156.img fds 1
fuzz fdinfo-2.img fds 1
fuzz files.img fds 3
fuzz core-24156.img show 11
fuzz mm-24156.img mems 3
fuzz pagemap-24156.img rss 1

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo ok
