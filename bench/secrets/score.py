#!/usr/bin/env python3
"""Scores both tools on the planted secrets: recall per kind, findings elsewhere in the generated files (which hold
no other secret, so these are false positives), throughput. Usage: score.py OUT_DIR CORPUS_BYTES"""
import json, os, re, sys
from collections import defaultdict

out, corpus_bytes = sys.argv[1], int(sys.argv[2])
corpus = os.path.realpath(os.path.join(out, 'corpus'))
planted = [json.loads(l) for l in open(os.path.join(out, 'planted.jsonl'))]

def rel(p):
    p = os.path.realpath(p)
    return os.path.relpath(p, corpus) if p.startswith(corpus) else p

def vigil():
    d = json.load(open(os.path.join(out, 'vigil.json')))
    return [(rel(f['path']), f['line']) for f in d['findings']]

def secretlint():
    found = []
    for line in open(os.path.join(out, 'secretlint.txt'), errors='replace'):
        m = re.match(r'^(.*?):(\d+):(\d+): ', line)
        if m:
            found.append((rel(m.group(1)), int(m.group(2))))
    return found

times = json.load(open(os.path.join(out, 'times.json')))
mb = corpus_bytes / 1e6
rows = {}
for tool, findings in (('vigil', vigil()), ('secretlint', secretlint())):
    at = defaultdict(set)
    for path, line in findings:
        at[path].add(line)
    hit = defaultdict(int)
    total = defaultdict(int)
    covered = defaultdict(set)
    for p in planted:
        total[p['kind']] += 1
        span = range(p['line'], p['line'] + p['lines'])
        if any(l in at[p['path']] for l in span):
            hit[p['kind']] += 1
        covered[p['path']].update(span)
    extra = sum(1 for path, line in findings if path.startswith('gen/') and line not in covered[path])
    in_project = sum(1 for path, _ in findings if path.startswith('project/'))
    t = times[tool]
    rows[tool] = dict(recall=sum(hit.values()) / len(planted), hit=sum(hit.values()), planted=len(planted),
                      per_kind={k: f'{hit[k]}/{total[k]}' for k in sorted(total)}, extra_in_generated=extra,
                      findings_in_project_copy=in_project, wall_s=t['wall'], cpu_s=t['cpu'],
                      mb_per_s=mb / t['wall'])
if 'vigil-jar' in times:  # the same Vigil scan started as a bare 'java -jar' (no class-data sharing archive)
    t = times['vigil-jar']
    rows['vigil']['java_jar'] = dict(wall_s=t['wall'], cpu_s=t['cpu'], mb_per_s=mb / t['wall'],
                                     ratio=(mb / t['wall']) / rows['secretlint']['mb_per_s'],
                                     same_findings=json.load(open(os.path.join(out, 'vigil-jar.json')))['findings']
                                     == json.load(open(os.path.join(out, 'vigil.json')))['findings'])
print(json.dumps(dict(corpus_mb=round(mb, 1), tools=rows,
                      throughput_ratio=rows['vigil']['mb_per_s'] / rows['secretlint']['mb_per_s']), indent=2))
