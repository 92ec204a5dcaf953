// Preloaded into benchmarked processes with NODE_OPTIONS=--require (node 20 refuses --cpu-prof
// there). One SIGUSR2 starts V8's sampling profiler, the next writes what it recorded to
// $BENCH_CPU_PROF_DIR/CPU.<pid>.<n>.cpuprofile (n = 1, 2, …): the bench brackets each scenario's
// measured runs with the two.
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      written += 1;
      if (!error)
        fs.writeFileSync(path.join(dir, `CPU.${process.pid}.${written}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
