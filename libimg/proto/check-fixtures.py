#!/usr/bin/env python3
# Dev tool: decode every fixture image with protoc and our .proto files, and
# report unknown fields, and field names or integer values that differ from
# the reference JSON.
# Usage: check-fixtures.py [FIXTURE_DIR]   (protoc must be installed)
import glob, json, os, re, struct, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/fixtures/criu-4.2'
COMMON, SERVICE = 0x54564319, 0x55105940

# magic name -> (proto file, entry message, head message or None)
KINDS = {
	'INVENTORY': ('inventory', 'inventory_entry', None),
	'PSTREE': ('pstree', 'pstree_entry', None),
	'CORE': ('core', 'core_entry', None),
	'IDS': ('core', 'task_kobj_ids_entry', None),
	'MM': ('mm', 'mm_entry', None),
	'PAGEMAP': ('pagemap', 'pagemap_entry', 'pagemap_head'),
	'FS': ('fs', 'fs_entry', None),
	'FDINFO': ('fdinfo', 'fdinfo_entry', None),
	'FILES': ('fdinfo', 'file_entry', None),
	'MEMFD_INODE': ('memfd', 'memfd_inode_entry', None),
	'PIPES_DATA': ('pipe-data', 'pipe_data_entry', None),
	'FIFO_DATA': ('pipe-data', 'pipe_data_entry', None),
	'SK_QUEUES': ('sk-packet', 'sk_packet_entry', None),
	'TCP_STREAM': ('tcp-stream', 'tcp_stream_entry', None),
	'GHOST_FILE': ('ghost-file', 'ghost_file_entry', None),
	'REMAP_FPATH': ('remap-file-path', 'remap_file_path_entry', None),
	'SECCOMP': ('seccomp', 'seccomp_entry', None),
	'TIMENS': ('timens', 'timens_entry', None),
	'STATS': ('stats', 'stats_entry', None),
}

def varint(b, i):
	v = s = 0
	while True:
		c = b[i]; i += 1
		v |= (c & 0x7f) << s; s += 7
		if c < 0x80:
			return v, i

def top_ints(msg):
	"""Top-level varint fields of a message: {number: value}."""
	out, i = {}, 0
	while i < len(msg):
		key, i = varint(msg, i)
		wt = key & 7
		if wt == 0:
			out[key >> 3], i = varint(msg, i)
		elif wt == 2:
			n, i = varint(msg, i); i += n
		else:
			i += 8 if wt == 1 else 4
	return out

def payload_len(name, msg):
	"""Bytes of out-of-band data that follow an entry."""
	f = top_ints(msg)
	if name in ('PIPES_DATA', 'FIFO_DATA'):
		return f[2]
	if name == 'SK_QUEUES':
		return f[2]
	if name == 'TCP_STREAM':
		return f[1] + f[3]
	return 0

def entries(path, name):
	b = open(path, 'rb').read()
	m = struct.unpack_from('<I', b)[0]
	i = 8 if m in (COMMON, SERVICE) else 4
	while i < len(b):
		n = struct.unpack_from('<I', b, i)[0]
		msg = b[i + 4:i + 4 + n]
		yield msg
		if name == 'GHOST_FILE':
			return          # the file's contents follow
		i += 4 + n + payload_len(name, msg)

def json_keys(o, acc):
	if isinstance(o, dict):
		for k, v in o.items():
			if k != 'extra':
				acc.add(k); json_keys(v, acc)
	elif isinstance(o, list):
		for v in o:
			json_keys(v, acc)
	return acc

KEY = re.compile(r'^\s*([A-Za-z_0-9]+)(?::| \{)')
LEAF = re.compile(r'^\s*([A-Za-z_0-9]+): (-?[0-9]+|true|false)$')

def text_ints(text):
	"""(path, value) of every integer and bool leaf of protoc's text output."""
	path, out = [], []
	for l in text.splitlines():
		l = l.rstrip()
		if l.endswith('{'):
			path.append(l.split()[0])
		elif l.strip() == '}':
			path.pop()
		else:
			m = LEAF.match(l)
			if m:
				v = m.group(2)
				v = {'true': True, 'false': False}.get(v, v)
				out.append(('.'.join(path + [m.group(1)]), int(v) if isinstance(v, str) else v))
	return sorted(out, key=repr)

def json_ints(o, path, out):
	"""The same from the reference JSON (hex strings and names skipped)."""
	if isinstance(o, dict):
		for k, v in o.items():
			if k != 'extra':
				json_ints(v, path + [k], out)
	elif isinstance(o, list):
		for v in o:
			json_ints(v, path, out)
	elif isinstance(o, (bool, int)):
		out.append(('.'.join(path), o))
	return out

def same_ints(text, want):
	exp = sorted(json_ints(want, [], []), key=repr)
	paths = set(p for p, _ in exp)
	return [x for x in text_ints(text) if x[0] in paths] == exp

def main():
	bad = 0
	for js in sorted(glob.glob(os.path.join(FIX, '*', '*.json'))):
		img = js[:-5]
		ref = json.load(open(js))
		name = ref['magic']
		if name not in KINDS:
			print('NO KIND', img, name); bad += 1; continue
		proto, msg, head = KINDS[name]
		raws = list(entries(img, name))
		if len(raws) != len(ref['entries']):
			print('%s: %d entries, reference has %d' % (img, len(raws), len(ref['entries'])))
			bad += 1
		for k, (raw, want) in enumerate(zip(raws, ref['entries'])):
			typ = head if head and k == 0 else msg
			r = subprocess.run(['protoc', '--proto_path=' + HERE, '--decode=' + typ,
					    proto + '.proto'], input=raw, capture_output=True)
			if r.returncode:
				print('FAIL', img, k, r.stderr.decode().strip()); bad += 1; continue
			got = set(KEY.match(l).group(1) for l in r.stdout.decode().splitlines() if KEY.match(l))
			unknown = sorted(x for x in got if x.isdigit())
			names = got - set(unknown)
			exp = json_keys(want, set())
			if not same_ints(r.stdout.decode(), want):
				bad += 1
				print('%s[%d] %s: integer values differ' % (os.path.relpath(img, FIX), k, typ))
			if unknown or names != exp:
				bad += 1
				print('%s[%d] %s: unknown %s; missing %s; extra %s' % (
					os.path.relpath(img, FIX), k, typ, unknown,
					sorted(exp - names), sorted(names - exp)))
	print('problems:', bad)
	return 1 if bad else 0

sys.exit(main())
