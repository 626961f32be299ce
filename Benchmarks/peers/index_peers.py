#!/usr/bin/env python3
"""Vector-index peers for `colecionador-bench index`: FAISS (IndexFlat, IndexIVFFlat,
IndexHNSWFlat) and hnswlib on the same .npy files, and one side-by-side table with ratios.

  generate  writes the seeded data sets (base, queries, exact ground truth) as .npy
  run       benchmarks the peers; with --swift-json also prints the Swift rows and the ratios
  table     prints the side-by-side table again from saved JSON (peers and one or more Swift runs)

Commands used for Docs/Benchmarks.md ("Vector index") are listed there. Python is only for peers and data.
"""
import argparse
import json
import os
import time

import numpy as np


def generate(args):
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    sets = {}
    # Clustered: a Gaussian mixture of `clusters` components, each spread over a random
    # 16-dimensional subspace (low intrinsic dimension) plus small isotropic noise, L2-normalised.
    d, n, nq, clusters, sub = 512, args.n, args.nq, 100, 16
    centres = rng.standard_normal((clusters, d)).astype(np.float32)
    bases = rng.standard_normal((clusters, d, sub)).astype(np.float32) * 0.35

    def draw(count):
        labels = rng.integers(0, clusters, count)
        z = rng.standard_normal((count, sub)).astype(np.float32)
        x = centres[labels] + np.einsum("nds,ns->nd", bases[labels], z) + 0.05 * rng.standard_normal((count, d)).astype(np.float32)
        return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)

    sets["clustered512"] = (np.concatenate([draw(min(10000, n - i)) for i in range(0, n, 10000)]), draw(nq))
    # Uniform in [0, 1]^128.
    sets["uniform128"] = (rng.random((n, 128), dtype=np.float32), rng.random((nq, 128), dtype=np.float32))
    import faiss
    for name, (base, queries) in sets.items():
        index = faiss.IndexFlatL2(base.shape[1])
        index.add(base)
        _, truth = index.search(queries, 100)
        np.save(os.path.join(args.out, f"{name}_base.npy"), base)
        np.save(os.path.join(args.out, f"{name}_queries.npy"), queries)
        np.save(os.path.join(args.out, f"{name}_groundtruth.npy"), truth.astype(np.int32))
        print(f"{name}: base {base.shape}, queries {queries.shape}, ground truth (k=100, L2) written to {args.out}")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def recall(found, truth):
    r1 = float(np.mean(found[:, 0] == truth[:, 0]))
    r10 = float(np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(found, truth)]))
    return r1, r10


def timed(fn, repeats):
    """Median wall time and median CPU time of the calling thread over `repeats` calls. With one
    search thread (hnswlib num_threads=1, FAISS omp 1) the search runs on the calling thread, so
    queries per thread-CPU-second match the Swift benchmark's `qpsSingleThreadCPU`."""
    times, cpu, out = [], [], None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.thread_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    return out, sorted(times)[len(times) // 2], sorted(cpu)[len(cpu) // 2]


def run_peers(args):
    import faiss
    import hnswlib

    base = np.ascontiguousarray(np.load(args.base).astype(np.float32))
    queries = np.ascontiguousarray(np.load(args.queries).astype(np.float32))
    if args.limit_queries:
        queries = queries[: args.limit_queries]
    truth = np.load(args.groundtruth)[: len(queries), :10]
    n, d = base.shape
    nq = len(queries)
    kinds = args.kind.split(",")
    efs = [int(v) for v in args.ef.split(",")]
    nlist = args.nlist or int(np.sqrt(n))
    nprobes = [int(v) for v in args.nprobe.split(",") if int(v) <= nlist]
    records = []

    def sweep(system, kind, build_s, memory, rss_delta, settings):
        for label, setter, search in settings:
            setter()
            search(queries[:100], 1)
            (_, found), t1, c1 = timed(lambda: search(queries, 1), args.repeats)
            _, tb, _ = timed(lambda: search(queries, args.threads), args.repeats)
            r1, r10 = recall(found, truth)
            records.append(dict(system=system, kind=kind, parameters=label, buildSeconds=build_s, storageBytes=memory,
                                residentBytes=rss_delta, recallAt1=r1, recallAt10=r10, qpsSingleThread=nq / t1,
                                qpsBatched=nq / tb, qpsSingleThreadCPU=nq / c1))
            print(f"  {system:8} {label:30} R@1 {r1:.4f} R@10 {r10:.4f} QPS1 {nq / t1:9.0f} QPSb {nq / tb:9.0f} "
                  f"QPS1/CPU-s {nq / c1:9.0f}", flush=True)

    def faiss_search(index, one_at_a_time=True):
        """With one thread, one query per call by default — what the Swift benchmark and hnswlib's
        C++ loop do. Given all queries in one call, FAISS's IVF ranks the centroids for the
        whole batch with one BLAS sgemm, a batching advantage a request-serving caller does not
        have; `one_at_a_time=False` measures that too (system "faiss-1call"). The per-call
        Python/SWIG overhead (a few µs) counts against FAISS in the one-at-a-time numbers."""
        def search(q, threads):
            faiss.omp_set_num_threads(threads)
            if threads == 1 and one_at_a_time:
                return None, np.vstack([index.search(q[i:i + 1], 10)[1] for i in range(len(q))])
            return index.search(q, 10)
        return search

    if "flat" in kinds:
        index = faiss.IndexFlatL2(d)
        index.add(base)

        def flat_search(q, threads):
            faiss.omp_set_num_threads(threads)
            if threads == 1:  # one query at a time, as a caller serving requests would
                return None, np.vstack([index.search(q[i:i + 1], 10)[1] for i in range(len(q))])
            return index.search(q, 10)
        print(f"faiss flat: n={n} d={d}")
        sweep("faiss", "flat", 0.0, n * d * 4, 0, [("exact", lambda: None, flat_search)])

    if "ivf" in kinds:
        faiss.omp_set_num_threads(args.threads)
        before = rss()
        t = time.perf_counter()
        quantizer = faiss.IndexFlatL2(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist)
        index.train(base)
        index.add(base)
        build = time.perf_counter() - t
        memory = nlist * d * 4 + n * (d * 4 + 8)
        print(f"faiss ivf: nlist={nlist} build {build:.2f} s")
        sweep("faiss", "ivf", build, memory, rss() - before,
              [(f"nlist={nlist} nprobe={p}", (lambda p=p: setattr(index, "nprobe", p)), faiss_search(index)) for p in nprobes])
        sweep("faiss-1call", "ivf", build, memory, rss() - before,
              [(f"nlist={nlist} nprobe={p}", (lambda p=p: setattr(index, "nprobe", p)), faiss_search(index, one_at_a_time=False))
               for p in nprobes])

    if "hnsw" in kinds:
        before = rss()
        t = time.perf_counter()
        index = hnswlib.Index(space="l2", dim=d)
        index.init_index(max_elements=n, M=args.m, ef_construction=args.ef_construction, random_seed=100)
        index.set_num_threads(args.threads)
        index.add_items(base, np.arange(n))
        build = time.perf_counter() - t
        print(f"hnswlib: M={args.m} efC={args.ef_construction} build {build:.2f} s on {args.threads} threads, "
              f"index_file_size {index.index_file_size() / 1e6:.1f} MB")

        def hnswlib_search(q, threads):
            index.set_num_threads(threads)
            labels, distances = index.knn_query(q, k=10)
            return distances, labels
        sweep("hnswlib", "hnsw", build, index.index_file_size(), rss() - before,
              [(f"M={args.m} efC={args.ef_construction} ef={e}", (lambda e=e: index.set_ef(max(e, 10))), hnswlib_search) for e in efs])
        del index

        if not args.skip_faiss_hnsw:
            faiss.omp_set_num_threads(args.threads)
            before = rss()
            t = time.perf_counter()
            index = faiss.IndexHNSWFlat(d, args.m)
            index.hnsw.efConstruction = args.ef_construction
            index.add(base)
            build = time.perf_counter() - t
            links = faiss.vector_to_array(index.hnsw.neighbors).nbytes
            print(f"faiss hnsw: M={args.m} efC={args.ef_construction} build {build:.2f} s")
            sweep("faiss", "hnsw", build, n * d * 4 + links, rss() - before,
                  [(f"M={args.m} efC={args.ef_construction} ef={e}", (lambda e=e: setattr(index.hnsw, "efSearch", max(e, 10))),
                    faiss_search(index)) for e in efs])
    return records


def best_qps(records, system, kind, threshold):
    hits = [r for r in records if r["system"] == system and r["kind"] == kind and r["recallAt10"] >= threshold]
    return max(hits, key=lambda r: r["qpsSingleThread"]) if hits else None


def table(records, swift):
    rows = swift + records
    print("\n| system | index | parameters | build s | MB | R@1 | R@10 | QPS 1 thread | QPS batched | QPS/CPU-s 1t "
          "| Swift/peer QPS 1t | Swift/peer QPS b | Swift/peer QPS/CPU-s 1t |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    peer_of = {"hnsw": "hnswlib", "ivf": "faiss", "flat": "faiss"}
    by_key = {(r["system"], r["kind"], r["parameters"]): r for r in rows}
    for r in rows:
        ratio1 = ratiob = ratioc = ""
        cpu = r.get("qpsSingleThreadCPU")
        if r["system"].startswith("swift"):
            peer = by_key.get((peer_of[r["kind"]], r["kind"], r["parameters"]))
            if peer:
                ratio1 = f"{r['qpsSingleThread'] / peer['qpsSingleThread']:.2f}"
                ratiob = f"{r['qpsBatched'] / peer['qpsBatched']:.2f}"
                if cpu and peer.get("qpsSingleThreadCPU"):
                    ratioc = f"{cpu / peer['qpsSingleThreadCPU']:.2f}"
        print(f"| {r['system']} | {r['kind']} | {r['parameters']} | {r['buildSeconds']:.1f} | {r['storageBytes'] / 1e6:.1f} | "
              f"{r['recallAt1']:.3f} | {r['recallAt10']:.3f} | {r['qpsSingleThread']:.0f} | {r['qpsBatched']:.0f} | "
              f"{cpu or 0:.0f} | {ratio1} | {ratiob} | {ratioc} |")
    print("\nBest single-thread QPS at a recall@10 threshold:")
    for kind in ["hnsw", "ivf", "flat"]:
        for threshold in [0.95, 0.99]:
            line = []
            for system in sorted({r["system"] for r in rows if r["system"].startswith("swift")}) + ["hnswlib", "faiss"]:
                best = best_qps(rows, system, kind, threshold)
                if best:
                    cpu = best.get("qpsSingleThreadCPU")
                    per_cpu = f", {cpu:.0f}/CPU-s" if cpu else ""
                    line.append(f"{system} {best['qpsSingleThread']:.0f}{per_cpu} ({best['parameters']})")
            if line:
                print(f"  {kind} R@10 ≥ {threshold}: " + "; ".join(line))
    for (kind, peer), system in [(pair, system) for pair in [("hnsw", "hnswlib"), ("ivf", "faiss")]
                                 for system in sorted({r["system"] for r in rows if r["system"].startswith("swift")})]:
        s = next((r for r in rows if r["system"] == system and r["kind"] == kind), None)
        p = next((r for r in rows if r["system"] == peer and r["kind"] == kind), None)
        if s and p and p["buildSeconds"] > 0:
            print(f"  {kind} build: {system} {s['buildSeconds']:.1f} s vs {peer} {p['buildSeconds']:.1f} s "
                  f"(ratio {s['buildSeconds'] / p['buildSeconds']:.2f}); storage {s['storageBytes'] / 1e6:.1f} MB "
                  f"vs {peer} {p['storageBytes'] / 1e6:.1f} MB (ratio {s['storageBytes'] / p['storageBytes']:.3f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", default="Benchmarks/data")
    g.add_argument("--n", type=int, default=100_000)
    g.add_argument("--nq", type=int, default=1000)
    g.add_argument("--seed", type=int, default=20261125)
    r = sub.add_parser("run")
    r.add_argument("--base", required=True)
    r.add_argument("--queries", required=True)
    r.add_argument("--groundtruth", required=True)
    r.add_argument("--kind", default="flat,ivf,hnsw")
    r.add_argument("--m", type=int, default=16)
    r.add_argument("--ef-construction", type=int, default=200)
    r.add_argument("--ef", default="16,32,64,128,256,512")
    r.add_argument("--nlist", type=int)
    r.add_argument("--nprobe", default="1,5,10,20,50,100")
    r.add_argument("--threads", type=int, default=os.cpu_count())
    r.add_argument("--repeats", type=int, default=3)
    r.add_argument("--limit-queries", type=int)
    r.add_argument("--skip-faiss-hnsw", action="store_true")
    r.add_argument("--swift-json", action="append", default=[],
                   help="JSON written by `colecionador-bench index --json` (repeatable; LABEL=FILE names the row)")
    r.add_argument("--json", help="write the peer records here")
    t = sub.add_parser("table")
    t.add_argument("--peers-json", required=True)
    t.add_argument("--swift-json", action="append", default=[], help="LABEL=FILE or FILE (repeatable)")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args)
        return
    if args.command == "table":
        records = json.load(open(args.peers_json))
    else:
        records = run_peers(args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(records, f, indent=1)
    table(records, load_swift(args.swift_json))


def load_swift(specs):
    rows = []
    for spec in specs:
        label, _, path = spec.rpartition("=")
        for r in json.load(open(path)):
            r["system"] = label or "swift"
            rows.append(r)
    return rows


if __name__ == "__main__":
    main()
