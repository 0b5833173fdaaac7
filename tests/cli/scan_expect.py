#!/usr/bin/env python3
"""scan_expect.py BINARY AT SCRATCH CASE_DIR...: scan each case directory on its own (a copy under SCRATCH without
its EXPECT file, so that the file's words are not scanned) and check its EXPECT file.

EXPECT lines (`#` starts a comment):
  LOC RULE SEVERITY API RELATED   one finding that must be reported:
      LOC       PATH:LINE of the call, alternatives joined by `|`
      RULE      rule id, or `*`
      SEVERITY  error, warning or info
      API       a substring of the finding's `api`, `*` (any, but set) or `-` (not checked: no call installs it)
      RELATED   PATH[:LINE] of the definition (related[0]): the line where its declaration starts (the related
                location may be on it or on one of the three lines after, where the certificate's data starts),
                alternatives joined by `|`; `-` when not checked
  none                            no warning or error (a note is allowed)
Every warning or error that no line expects is a failure. Prints one line per case and a score:
found at the call / definition right / severity right. Exit 1 when a case fails.
"""
import json, os, shutil, subprocess, sys


def parse(path):
    want, none = [], False
    for raw in open(path):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        if line == 'none':
            none = True
            continue
        loc, rule, sev, api, rel = line.split()
        want.append({'loc': [(p.rsplit(':', 1)[0], int(p.rsplit(':', 1)[1])) for p in loc.split('|')],
                     'rule': rule, 'sev': sev, 'api': api,
                     'rel': None if rel == '-' else rel.split('|')})
    return want, none


def rel_ok(f, alts, case):
    r = (f.get('related') or [None])[0]
    if r is None:
        return False
    p = os.path.relpath(r['path'], case)
    for a in alts:
        ap, _, al = a.partition(':')
        if p == ap and (not al or int(al) <= (r.get('line') or 0) <= int(al) + 3):
            return True
    return False


def main():
    binary, at, scratch, cases = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    tot = {'cases': 0, 'ok': 0, 'want': 0, 'call': 0, 'rel': 0, 'sev': 0, 'extra': 0}
    for src in cases:
        want, none = parse(os.path.join(src, 'EXPECT'))
        case = os.path.join(scratch, os.path.basename(src.rstrip('/')))
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(src, case, ignore=shutil.ignore_patterns('EXPECT'))
        out = subprocess.run([binary, 'scan', '--at', at, '--format', 'json', case],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            print('%s: scan exited %d: %s' % (case, out.returncode, out.stderr.strip()))
            tot['cases'] += 1
            continue
        found = json.loads(out.stdout)['findings']
        used, bad = set(), []
        for w in want:
            tot['want'] += 1
            hit = None
            for i, f in enumerate(found):
                if (os.path.relpath(f['path'], case), f['line']) in w['loc'] and \
                        (w['rule'] == '*' or f['rule'] == w['rule']):
                    hit = i
                    break
            if hit is None:
                bad.append('not at the call %s' % '|'.join('%s:%d' % l for l in w['loc']))
                continue
            used.add(hit)
            f = found[hit]
            tot['call'] += 1
            if w['api'] not in ('*', '-') and w['api'] not in (f.get('api') or ''):
                bad.append('api %r' % f.get('api'))
            if w['api'] == '*' and not f.get('api'):  # `-`: not checked
                bad.append('no api')
            if w['rel'] is None or rel_ok(f, w['rel'], case):
                tot['rel'] += 1
            else:
                bad.append('related %r' % [(os.path.relpath(r['path'], case), r.get('line'))
                                           for r in f.get('related') or []])
            if f['severity'] == w['sev']:
                tot['sev'] += 1
            else:
                bad.append('severity %s' % f['severity'])
        for i, f in enumerate(found):
            if i not in used and f['severity'] in ('error', 'warning'):
                tot['extra'] += 1
                bad.append('unexpected %s %s at %s:%s' % (f['severity'], f['rule'],
                                                          os.path.relpath(f['path'], case), f['line']))
        tot['cases'] += 1
        if not bad:
            tot['ok'] += 1
        print('%-28s %s' % (os.path.basename(case.rstrip('/')), 'ok' if not bad else 'FAIL: ' + '; '.join(bad)))
    print('score: %(ok)d/%(cases)d cases; %(call)d/%(want)d at the call, %(rel)d/%(want)d definition, '
          '%(sev)d/%(want)d severity; %(extra)d unexpected' % tot)
    return 0 if tot['ok'] == tot['cases'] else 1


sys.exit(main())
