#!/usr/bin/env python3
"""Generates the secret-scanning benchmark corpus: a copy of the project tree plus generated source, config and log
files (about TARGET_MB in total) with credentials planted at recorded places (planted.jsonl: path, line, kind).

Every planted value is random and generated here (GitHub tokens carry a valid CRC32), so no real secret is involved.
Usage: gen_corpus.py PROJECT_DIR OUT_DIR TARGET_MB SEED
"""
import json, os, random, shutil, string, sys, zlib

project, out, target_mb, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
r = random.Random(seed)
ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

def rs(n, al=ALNUM):
    return ''.join(r.choice(al) for _ in range(n))

def ghp():
    body = rs(30)
    c = zlib.crc32(body.encode()); s = ''
    while c:
        c, d = divmod(c, 62); s = B62[d] + s
    return 'ghp_' + body + s.rjust(6, '0')

def pem():
    lines = [rs(64, ALNUM + '+/') for _ in range(25)]
    return ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEow' + lines[0][6:]] + lines[1:] + ['-----END RSA PRIVATE KEY-----']

# kind -> lines to insert (the first line is the recorded line)
def plant(kind):
    if kind == 'aws':
        return [f'aws_access_key_id = AKIA{rs(16, string.ascii_uppercase + "234567")}',
                f'aws_secret_access_key = {rs(40, ALNUM + "+/")}']
    if kind == 'github':
        return [f'GITHUB_TOKEN={ghp()}']
    if kind == 'slack':
        return [f'SLACK_BOT_TOKEN=xoxb-{rs(12, string.digits)}-{rs(12, string.digits)}-{rs(24)}']
    if kind == 'stripe':
        return [f"stripe.api_key = 'sk_live_{rs(24)}'"]
    if kind == 'sendgrid':
        return [f'SENDGRID_API_KEY=SG.{rs(22, ALNUM + "_-")}.{rs(43, ALNUM + "_-")}']
    if kind == 'npm':
        return [f'//registry.npmjs.org/:_authToken=npm_{rs(36)}']
    if kind == 'gitlab':
        return [f'GITLAB_TOKEN=glpat-{rs(20, ALNUM + "_-")}']
    if kind == 'shopify':
        return [f'SHOPIFY_TOKEN=shpat_{rs(32, "0123456789abcdef")}']
    if kind == 'postgres':
        return [f'DATABASE_URL=postgres://app:{rs(20)}@db-{rs(5, string.ascii_lowercase)}.internal:5432/app']
    if kind == 'privatekey':
        return pem()
    raise ValueError(kind)

KINDS = ['aws', 'github', 'slack', 'stripe', 'sendgrid', 'npm', 'gitlab', 'shopify', 'postgres', 'privatekey']

# credential words (token, password, secret...) appear in a few percent of lines, as in real repositories
WORDS = ('user account request response session value config service handler client '
         'server bucket object region tenant event record message error result buffer stream reader writer cache '
         'index query filter policy role access audit trail log metric alert rule detector finding').split()

def filler_line():
    k = r.random()
    a, b, c = r.choice(WORDS), r.choice(WORDS), r.choice(WORDS)
    if k < 0.25:
        return f'    {a}_{b} = self.{c}.get_{a}({b}, timeout={r.randint(1, 600)})'
    if k < 0.40:
        return f'  const {a}{b.title()} = await {c}.fetch("/{a}/{b}/" + id, {{ method: "GET" }});'
    if k < 0.50:
        return f'{a}.{b}.{c}: ${{{a.upper()}_{b.upper()}}}'
    if k < 0.62:
        return (f'2026-03-19T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{rs(7, string.digits)}Z '
                f'INFO [{a}-{b}] {c} processed in {r.randint(1, 9999)} ms request_id={rs(32, "0123456789abcdef")}')
    if k < 0.68:
        return f'  "{a}_{b}": "{rs(r.randint(4, 30), string.ascii_lowercase)}",'
    if k < 0.72:
        return f'# TODO: check the {a} {b} before the {c} is sent (see {a}_{b}_docs)'
    if k < 0.75:
        return f'    "integrity": "sha512-{rs(86, ALNUM + "+/")}==",'
    if k < 0.78:
        return f'    if {a} is None or not {b}.valid_{c}({a}):'
    if k < 0.79:
        return f'{a}_{b}_password_field = form.cleaned_data["{c}_password"]'
    if k < 0.80:
        return f'    {a}_token = auth.refresh_token({b}.session, scope="{c}")  # secret rotated by vault'
    return ' '.join(r.choice(WORDS) for _ in range(r.randint(3, 14)))

POOL = [filler_line() for _ in range(50000)]
EXT = ['py', 'js', 'yaml', 'env', 'log', 'md', 'json', 'properties']

if os.path.exists(out):
    shutil.rmtree(out)
os.makedirs(out)
# 1. the project tree (sources, docs, poms; no build output, no .git)
shutil.copytree(project, os.path.join(out, 'project'),
                ignore=shutil.ignore_patterns('target', '.git', 'node_modules', '*.class', '*.jar'))
total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)

planted = []
blocks = 0
target = target_mb * 1024 * 1024
n = 0
file_size = 1024 * 1024
while total < target:
    part = f'gen/part-{n // 50:02d}'
    os.makedirs(os.path.join(out, part), exist_ok=True)
    rel = f'{part}/file-{n:05d}.{EXT[n % len(EXT)]}'
    lines = []
    size = 0
    next_plant = r.randint(1500, 6000)
    while size < file_size:
        if len(lines) >= next_plant:
            kind = KINDS[blocks % len(KINDS)]
            blocks += 1
            block = plant(kind)
            if kind == 'aws':  # two secrets: the key id and, on the next line, its secret key
                planted.append({'path': rel, 'line': len(lines) + 1, 'lines': 1, 'kind': 'aws-key-id'})
                planted.append({'path': rel, 'line': len(lines) + 2, 'lines': 1, 'kind': 'aws-secret-key'})
            else:
                planted.append({'path': rel, 'line': len(lines) + 1, 'lines': len(block), 'kind': kind})
            lines.extend(block)
            size += sum(len(x) + 1 for x in block)
            next_plant = len(lines) + r.randint(1500, 6000)
        l = r.choice(POOL)
        lines.append(l)
        size += len(l) + 1
    with open(os.path.join(out, rel), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    total += size
    n += 1

with open(os.path.join(out, '..', 'planted.jsonl'), 'w') as f:
    for p in planted:
        f.write(json.dumps(p) + '\n')
print(json.dumps({'bytes': total, 'generated_files': n, 'planted': len(planted)}))
