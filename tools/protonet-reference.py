#!/usr/bin/env python3
"""A prototypical network (Snell et al. 2017) on a few-shot run's own character split: the reference
that `arcade fewshot` models are compared with (docs/results.md). PyTorch CPU, one thread.

    ~/.cache/procarcade-ref/venv/bin/python tools/protonet-reference.py --splits RUN/splits.txt

(the venv comes from ../shared/bench/torch/setup.sh). Trains a Conv-4 (64 channels, batch norm) on
--ways-way 1-shot episodes of the run's train and valid characters (four classes each by rotation,
images distorted as `--augment` does), and tests on 20-way 1-shot within-alphabet episodes of its
test characters, one query per episode as `arcade fewshot eval --within-alphabet` does.
`--eval-split valid` trains on the train characters alone and evaluates on the validation ones (to compare
settings without looking at the test alphabets); `--side N` shrinks the 105×105 drawings to N×N
instead of 28×28 (the shift of the distortion stays the same fraction of the image). `--views M` also
answers every test episode from M views (the episode as drawn and M−1 distorted copies, log-probabilities
summed), as `arcade fewshot eval --head prototypes --ensemble M --view-jitter 1` does.
"""
import argparse, math, os, struct, time, zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_png(path):
    """A 1-bit grayscale PNG (Omniglot's) as a float ink map (1 = ink)."""
    b = open(path, 'rb').read()
    assert b[:8] == b'\x89PNG\r\n\x1a\n', path
    i, idat = 8, b''
    while i < len(b):
        n, = struct.unpack('>I', b[i:i + 4])
        kind, data = b[i + 4:i + 8], b[i + 8:i + 8 + n]
        i += 12 + n
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', data[:10])
        elif kind == b'IDAT':
            idat += data
    assert depth == 1 and ctype == 0, f'{path}: not a 1-bit grayscale PNG'
    raw, stride = zlib.decompress(idat), (w + 7) // 8
    rows, prev, p = np.zeros((h, stride), np.uint8), np.zeros(stride, np.int32), 0
    for y in range(h):
        f, line = raw[p], np.frombuffer(raw[p + 1:p + 1 + stride], np.uint8).astype(np.int32)
        p += 1 + stride
        cur = np.zeros(stride, np.int32)
        for x in range(stride):
            a, up, c = (cur[x - 1] if x else 0), prev[x], (prev[x - 1] if x else 0)
            if f == 0: v = line[x]
            elif f == 1: v = line[x] + a
            elif f == 2: v = line[x] + up
            elif f == 3: v = line[x] + (a + up) // 2
            else:
                pp = a + up - c
                v = line[x] + (a if abs(pp - a) <= abs(pp - up) and abs(pp - a) <= abs(pp - c) else up if abs(pp - up) <= abs(pp - c) else c)
            cur[x] = v & 255
        rows[y], prev = cur, cur
    return 1.0 - np.unpackbits(rows, axis=1)[:, :w].astype(np.float32)


def shrink(img, side=28):
    """105×105 → side×side by exact area averaging (side divides 420: 28, 35, 42, 60, ...)."""
    big = np.repeat(np.repeat(img, 4, 0), 4, 1)
    f = 420 // side
    return big.reshape(side, f, side, f).mean((1, 3))


def load(data, splits, side):
    keys = dict(reversed(line.split()) for line in open(splits) if line.strip())
    names, images = [], []
    for key in sorted(keys):
        alphabet, character = key.split('/')
        folder = next((os.path.join(data, s, alphabet, character) for s in sorted(os.listdir(data))
                       if os.path.isdir(os.path.join(data, s, alphabet, character))), None)
        if folder is None:
            raise SystemExit(f'{splits}: {key} is not in {data}')
        files = sorted(os.listdir(folder))[:20]
        images.append(np.stack([shrink(read_png(os.path.join(folder, f)), side) for f in files]))
        names.append(key)
    return torch.tensor(np.stack(images)), names, keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--splits', required=True, help="a run's splits.txt (arcade fewshot train writes it)")
    ap.add_argument('--data', default='../shared/data/omniglot')
    ap.add_argument('--ways', type=int, default=20, help='classes per training episode (within one alphabet)')
    ap.add_argument('--queries', type=int, default=5, help='queries per class in a training episode')
    ap.add_argument('--steps', type=int, default=8000)
    ap.add_argument('--episodes', type=int, default=1000, help='test episodes')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--eval-split', choices=('test', 'valid'), default='test',
                    help='valid: train on the train characters only, evaluate on the validation ones')
    ap.add_argument('--side', type=int, default=28, help='image side after shrinking (a divisor of 420)')
    ap.add_argument('--views', type=int, default=1, help='also answer from this many views of each test episode')
    a = ap.parse_args()
    if a.side < 16 or 420 % a.side:
        ap.error(f'--side {a.side}: need a divisor of 420 of at least 16 (28, 30, 35, 42, 60, 70, 84, 105, ...)')
    if a.views < 1:
        ap.error(f'--views {a.views}: need at least 1')
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    X, names, keys = load(a.data, a.splits, a.side)
    alphabet = [n.split('/')[0] for n in names]

    def by_alphabet(splits):
        ids = [i for i, n in enumerate(names) if keys[n] in splits]
        return {al: [i for i in ids if alphabet[i] == al] for al in sorted({alphabet[i] for i in ids})}
    if a.eval_split == 'test':
        train, test = by_alphabet(('train', 'valid')), by_alphabet(('test',))
    else:
        train, test = by_alphabet(('train',)), by_alphabet(('valid',))

    def block(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
    net = nn.Sequential(block(1, 64), block(64, 64), block(64, 64), block(64, 64), nn.Flatten())
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, max(1, a.steps // 4), 0.5)

    def jitter(x):   # shift ±2 px, turn ±10°, scale ±10%: arcade's --augment
        n = x.shape[0]
        turn, scale = (torch.rand(n) * 2 - 1) * math.radians(10), 1 + (torch.rand(n) * 2 - 1) * 0.1
        shift = (torch.rand(n, 2) * 2 - 1) * 2 / 14
        theta = torch.stack([torch.stack([torch.cos(turn) / scale, -torch.sin(turn) / scale, shift[:, 0]], 1),
                             torch.stack([torch.sin(turn) / scale, torch.cos(turn) / scale, shift[:, 1]], 1)], 1)
        return F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), align_corners=False)

    def logits(support, query):
        z = net(torch.cat([support, query]))
        return -torch.cdist(z[len(support):], z[:len(support)]) ** 2

    def training_episode():
        al = rng.choice([k for k, v in train.items() if 4 * len(v) >= a.ways])
        pool = [(c, r) for c in train[al] for r in range(4)]
        support, query = [], []
        for j in rng.choice(len(pool), a.ways, replace=False):
            c, r = pool[j]
            d = rng.permutation(20)
            support.append(torch.rot90(X[c, d[:1]], r, (1, 2)))
            query.append(torch.rot90(X[c, d[1:1 + a.queries]], r, (1, 2)))
        return torch.cat(support)[:, None], torch.cat(query)[:, None]

    def interval(right):
        """Mean and 95% half-width over 10 groups of episodes."""
        groups = np.array(right[:len(right) // 10 * 10]).reshape(10, -1).mean(1)
        return groups.mean(), 1.96 * groups.std(ddof=1) / math.sqrt(10)

    def evaluate():
        """Accuracy over the test episodes: {views: (mean, half-width)} for 1 view and --views, and the
        --views answers by alphabet. The views' distortions come from torch's generator, so the
        episodes are the same whatever --views is."""
        net.eval()
        plain, viewed, per = [], [], {}
        with torch.no_grad():
            for _ in range(a.episodes):
                al = rng.choice(list(test))
                support, query = [], []
                for c in rng.choice(test[al], 20, replace=False):
                    d = rng.permutation(20)
                    support.append(X[c, d[0]]); query.append(X[c, d[1]])
                k = int(rng.integers(20))
                episode = torch.cat([torch.stack(support), query[k][None]])[:, None]
                score = F.log_softmax(logits(episode[:20], episode[20:]), 1)
                plain.append(int(score.argmax(1).item() == k))
                for _ in range(a.views - 1):
                    view = jitter(episode)
                    score = score + F.log_softmax(logits(view[:20], view[20:]), 1)
                viewed.append(int(score.argmax(1).item() == k))
                per.setdefault(al, []).append(viewed[-1])
        net.train()
        return {1: interval(plain), a.views: interval(viewed)}, per

    start = time.time()
    for step in range(1, a.steps + 1):
        support, query = training_episode()
        loss = F.cross_entropy(logits(jitter(support), jitter(query)), torch.arange(a.ways).repeat_interleave(a.queries))
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        if step % 1000 == 0:
            print(f'step {step}  {time.time() - start:.0f}s  loss {loss.item():.3f}', flush=True)
    summary, per = evaluate()
    for m, (mean, ci) in sorted(summary.items()):
        views = f', {m} views' if m > 1 else ''
        print(f'{a.eval_split} 20-way 1-shot within-alphabet accuracy (side {a.side}{views}): {100 * mean:.2f}% ± {100 * ci:.2f}% '
              f'({a.episodes} episodes, {a.steps} steps, {time.time() - start:.0f}s)')
    views = f' ({a.views} views)' if a.views > 1 else ''
    print(f'by alphabet{views}: ' + ', '.join(f'{al} {100 * np.mean(v):.2f}% ({len(v)} episodes)' for al, v in sorted(per.items())))


if __name__ == '__main__':
    main()
