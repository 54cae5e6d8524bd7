/** Reads V8 .cpuprofile files (node --cpu-prof) and lists the top self-time frames, mapped to src/*.ts:line via dist's source maps. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './lib';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}

const consumers = new Map<string, any>();
function mapToSource(url: string, line: number, col: number): string {
  const file = url.replace(/^file:\/\//, '');
  const rel = path.relative(REPO, file);
  if (!rel.startsWith('dist/') || rel.startsWith('dist/.bench')) {
    const nm = rel.lastIndexOf('node_modules/');
    return nm >= 0 ? `${rel.slice(nm)}:${line + 1}` : `${rel || url || '(native)'}:${line + 1}`;
  }
  try {
    let c = consumers.get(file);
    if (c === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { SourceMapConsumer } = require('source-map');
      c = fs.existsSync(`${file}.map`) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'))) : null;
      consumers.set(file, c);
    }
    if (c) {
      const pos = c.originalPositionFor({ line: line + 1, column: Math.max(0, col) });
      if (pos.source) return `src/${path.relative(path.join(REPO, 'src'), path.resolve(path.dirname(file), pos.source))}:${pos.line}`;
    }
  } catch {
    /* no source-map package: keep the dist location */
  }
  return `${rel}:${line + 1}`;
}

export interface ProfileTop {
  totalMs: number;
  top: { ms: number; pct: number; fn: string; at: string }[];
  byFile: { ms: number; pct: number; file: string }[];
  /** self time of library/native code charged to the nearest src/ frame that called it (what to fix in src/) */
  bySrcCaller: { ms: number; pct: number; fn: string; at: string }[];
}

/** Profile files of a directory in the order they were written (app-<pid>-<ms>.cpuprofile). */
export function profileFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => Number(a.split('-')[2].split('.')[0]) - Number(b.split('-')[2].split('.')[0]))
    .map((f) => path.join(dir, f));
}

export function analyseProfiles(files: string[], limit = 20): ProfileTop | null {
  if (!files.length) return null;
  const self = new Map<string, { ms: number; fn: string; at: string }>();
  const byFile = new Map<string, number>();
  const bySrc = new Map<string, { ms: number; fn: string; at: string }>();
  let total = 0;
  for (const f of files) {
    const prof = JSON.parse(fs.readFileSync(f, 'utf8'));
    const nodes = new Map<number, { callFrame: Frame & { columnNumber: number }; children?: number[] }>();
    const parent = new Map<number, number>();
    for (const n of prof.nodes) {
      nodes.set(n.id, n);
      for (const c of n.children ?? []) parent.set(c, n.id);
    }
    const isSrc = (cf: Frame) => /\/dist\//.test(cf.url) && !/\/dist\/\.bench\//.test(cf.url) && !/node_modules/.test(cf.url);
    const counts = new Map<number, number>();
    const deltas: number[] = prof.timeDeltas;
    for (let i = 0; i < prof.samples.length; i++) counts.set(prof.samples[i], (counts.get(prof.samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
    for (const [id, ms] of counts) {
      const cf = nodes.get(id)!.callFrame;
      if (cf.functionName === '(idle)' || cf.functionName === '(program)') continue;
      total += ms;
      const at = cf.url ? mapToSource(cf.url, cf.lineNumber, cf.columnNumber) : '(native)';
      const key = `${cf.functionName}|${at}`;
      const e = self.get(key) ?? { ms: 0, fn: cf.functionName || '(anonymous)', at };
      e.ms += ms;
      self.set(key, e);
      const file = at.replace(/:\d+$/, '').replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+).*$/, '$1');
      byFile.set(file, (byFile.get(file) ?? 0) + ms);
      let up: number | undefined = id;
      while (up !== undefined && !isSrc(nodes.get(up)!.callFrame)) up = parent.get(up);
      if (up !== undefined) {
        const sf = nodes.get(up)!.callFrame;
        const sat = mapToSource(sf.url, sf.lineNumber, sf.columnNumber);
        const skey = `${sf.functionName}|${sat}`;
        const se = bySrc.get(skey) ?? { ms: 0, fn: sf.functionName || '(anonymous)', at: sat };
        se.ms += ms;
        bySrc.set(skey, se);
      }
    }
  }
  const pct = (ms: number) => Math.round((ms / total) * 1000) / 10;
  return {
    totalMs: Math.round(total),
    top: [...self.values()].sort((a, b) => b.ms - a.ms).slice(0, limit).map((e) => ({ ms: Math.round(e.ms), pct: pct(e.ms), fn: e.fn, at: e.at })),
    bySrcCaller: [...bySrc.values()].sort((a, b) => b.ms - a.ms).slice(0, limit).map((e) => ({ ms: Math.round(e.ms), pct: pct(e.ms), fn: e.fn, at: e.at })),
    byFile: [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([file, ms]) => ({ ms: Math.round(ms), pct: pct(ms), file })),
  };
}

export function printProfile(title: string, p: ProfileTop | null) {
  if (!p) return;
  process.stdout.write(`\nProfile: ${title} (busy CPU ${p.totalMs} ms over all app processes; self time)\n`);
  for (const t of p.top) process.stdout.write(`  ${String(t.pct).padStart(5)}%  ${String(t.ms).padStart(7)} ms  ${t.fn}  ${t.at}\n`);
  process.stdout.write('  charged to the nearest src/ caller (self time below it in libraries):\n');
  for (const t of p.bySrcCaller.slice(0, 15)) process.stdout.write(`  ${String(t.pct).padStart(5)}%  ${String(t.ms).padStart(7)} ms  ${t.fn}  ${t.at}\n`);
  process.stdout.write('  by file/package:\n');
  for (const t of p.byFile.slice(0, 12)) process.stdout.write(`  ${String(t.pct).padStart(5)}%  ${String(t.ms).padStart(7)} ms  ${t.file}\n`);
}
