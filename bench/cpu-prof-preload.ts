/**
 * `NODE_OPTIONS=--require dist/.bench/bench/cpu-prof-preload.js` (Node 20 refuses --cpu-prof in NODE_OPTIONS).
 * With $BENCH_CPU_PROF_DIR set: SIGUSR2 starts sampling, the next SIGUSR2 (or exit) writes a .cpuprofile there,
 * so that the bench profiles only its measured window.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  let running = false;
  const stop = () => {
    if (!running) return;
    running = false;
    // The in-process session answers synchronously, so this also works inside 'exit'.
    session.post('Profiler.stop', (err, res) => {
      if (err || !res) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `app-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on('SIGUSR2', () => {
    if (running) return stop();
    running = true;
    session.post('Profiler.start');
  });
  process.on('exit', stop);
}
