#!/usr/bin/env python3
"""Extracts every `wx.*` API name from the seed docs into the capability
manifest js-bridge/src/js/wx_api.txt (one `name<TAB>status` a line, sorted).

Sources (see /work/shared/spec):
- 003_*.txt, its first page (the current API index): the names run
  together with their Chinese descriptions ("wx.getSystemInfoSyncwx.get...",
  "wx.routerrouter 对象"), so a name ends where the next `wx.` starts, and a
  doubled name ("routerrouter") is the name followed by its description's
  first word.
- 004_*.txt (the old full API nav): link texts `[wx.name]`; this adds the
  older APIs (saveFile, getSavedFileList, drawCanvas...).

The status column is the engine's claim: `works` or `unsupported`. It is
kept from the existing manifest; a new name starts `unsupported`. The test
js-bridge/tests/wx_manifest.rs checks every claim against the runtime, so
a stale status fails the build rather than lying to `wx.canIUse`.

Usage: python3 tools/wx-api/extract.py [SPEC_DIR]   (default /work/shared/spec)
"""
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, '..', '..', 'js-bridge', 'src', 'js', 'wx_api.txt')
NAME = re.compile(r'wx\.([A-Za-z][A-Za-z0-9_]*?)(?=wx\.|[^A-Za-z0-9_]|$)')
LINK = re.compile(r'\[wx\.([A-Za-z][A-Za-z0-9_]*)')


def undouble(name):
    half = len(name) // 2
    if len(name) % 2 == 0 and name[:half] == name[half:]:
        return name[:half]
    return name


def index_names(spec_dir):
    names = set()
    for path in glob.glob(os.path.join(spec_dir, '003_*.txt')):
        text = open(path, encoding='utf-8').read()
        pages = re.split(r'^PAGE: ', text, flags=re.M)
        first = pages[1] if len(pages) > 1 else text
        names.update(undouble(m.group(1)) for m in NAME.finditer(first))
    for path in glob.glob(os.path.join(spec_dir, '004_*.txt')):
        text = open(path, encoding='utf-8').read()
        names.update(m.group(1) for m in LINK.finditer(text))
    return names


def existing_status():
    status = {}
    if os.path.exists(MANIFEST):
        for line in open(MANIFEST, encoding='utf-8'):
            line = line.strip()
            if line and not line.startswith('#'):
                name, _, claim = line.partition('\t')
                status[name] = claim or 'unsupported'
    return status


def main():
    spec_dir = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/spec'
    names = index_names(spec_dir)
    if not names:
        sys.exit('no wx.* names found under ' + spec_dir)
    status = existing_status()
    lines = ['# wx API capability manifest: name<TAB>works|unsupported.',
             '# Names: tools/wx-api/extract.py (from the seed API index); statuses are',
             '# kept by hand and checked by js-bridge/tests/wx_manifest.rs.']
    for name in sorted(names):
        lines.append(name + '\t' + status.get(name, 'unsupported'))
    with open(MANIFEST, 'w', encoding='utf-8') as out:
        out.write('\n'.join(lines) + '\n')
    works = sum(1 for n in names if status.get(n) == 'works')
    print(f'{len(names)} names: {works} works, {len(names) - works} unsupported')


if __name__ == '__main__':
    main()
