#!/usr/bin/env python3
"""Files and functions that outgrew their room: a source file under sla/, adapters/ or dispatcher/
over 500 lines, or a function over 80. Functions are read by their braces: a definition starts at
a line at namespace depth whose braces open a body, and ends where its braces close (lambdas and
local classes count toward the function they are written in). Exits 1 naming each."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAX_FILE, MAX_FUNCTION = 500, 80
SCOPES = re.compile(r'^\s*(namespace\b|class\b|struct\b|enum\b|union\b|extern "C"|template\s*<.*>\s*(class|struct)\b)')


def strip(line, in_comment):
    """The line's code: no comments, no string or character literals."""
    out, i = [], 0
    while i < len(line):
        if in_comment:
            end = line.find('*/', i)
            if end < 0:
                return ''.join(out), True
            i, in_comment = end + 2, False
        elif line.startswith('//', i):
            break
        elif line.startswith('/*', i):
            in_comment, i = True, i + 2
        elif line[i] in '"\'':
            q, i = line[i], i + 1
            while i < len(line) and line[i] != q:
                i += 2 if line[i] == '\\' else 1
            i += 1
        else:
            out.append(line[i])
            i += 1
    return ''.join(out), in_comment


def functions(path):
    """(name, first line, length) of each function body in the file."""
    lines = path.read_text(encoding='utf-8').splitlines()
    scopes = []       # for each open brace: 'scope' (namespace/class), 'body', 'init' or 'inner'
    header = ''       # code since the last statement at scope depth: the start of a definition
    start = None
    in_comment = False
    found = []
    for n, raw in enumerate(lines, 1):
        code, in_comment = strip(raw, in_comment)
        if code.lstrip().startswith('#'):  # preprocessor lines end whatever came before
            header = ''
            continue
        if 'R"' in raw:  # raw strings (embedded text) are not code
            continue
        for ch in code + ' ':
            at_scope = all(s == 'scope' for s in scopes)
            if ch == '{':
                if at_scope:
                    text = header.strip()
                    if SCOPES.match(text):
                        scopes.append('scope')
                    elif text.endswith('=') or not text.endswith(')') and not re.search(r'\)\s*(const|override|noexcept|final|mutable|->.*)[\s\w:<>,&*]*$', text):
                        scopes.append('init')
                    else:
                        scopes.append('body')
                        start = (' '.join(text.split())[-90:], n)
                else:
                    scopes.append('inner')
                header = ''
            elif ch == '}':
                kind = scopes.pop() if scopes else 'scope'
                if kind == 'body' and start:
                    found.append((start[0], start[1], n - start[1] + 1))
                    start = None
                header = ''
            elif ch == ';' and at_scope:
                header = ''
            elif at_scope:
                header += ch
    return found


def main():
    bad = []
    for top in ('sla', 'adapters', 'dispatcher'):
        for path in sorted((ROOT / top).rglob('*')):
            if path.suffix not in ('.cpp', '.hpp'):
                continue
            rel = path.relative_to(ROOT)
            count = len(path.read_text(encoding='utf-8').splitlines())
            if count > MAX_FILE:
                bad.append(f'{rel}: {count} lines (most {MAX_FILE})')
            for name, line, length in functions(path):
                if length > MAX_FUNCTION:
                    bad.append(f'{rel}:{line}: {length}-line function (most {MAX_FUNCTION}): {name}')
    for b in bad:
        print(b)
    if bad:
        sys.exit(1)
    print(f'sizes: no file over {MAX_FILE} lines, no function over {MAX_FUNCTION}')


if __name__ == '__main__':
    main()
