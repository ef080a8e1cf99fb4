import ora from 'ora';
import type { Progress, ProgressTask } from '../progress.js';

/** A spinner per task on a terminal; on anything else (CI logs), one timestamped line per event. */
export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? spinnerProgress(stream) : lineProgress(stream);
}

function spinnerProgress(stream: NodeJS.WriteStream): Progress {
  return {
    start(title) {
      const spinner = ora({ text: title, stream }).start();
      return {
        update: (detail) => {
          spinner.text = `${title} — ${detail}`;
        },
        succeed: (detail) => spinner.succeed(detail ?? title),
        fail: (detail) => spinner.fail(detail ?? title),
      };
    },
    info: (message) => stream.write(`${message}\n`),
    warn: (message) => stream.write(`! ${message}\n`),
  };
}

function lineProgress(stream: NodeJS.WriteStream): Progress {
  const stamp = () => new Date().toISOString().slice(11, 19);
  const line = (text: string) => stream.write(`[${stamp()}] ${text}\n`);
  return {
    start(title): ProgressTask {
      line(`${title} …`);
      let lastUpdateMs = 0;
      return {
        // Updates are throttled: a CI log wants a heartbeat, not every tick.
        update: (detail) => {
          const nowMs = Date.now();
          if (nowMs - lastUpdateMs < 5000) return;
          lastUpdateMs = nowMs;
          line(`  ${detail}`);
        },
        succeed: (detail) => line(`✔ ${detail ?? title}`),
        fail: (detail) => line(`✖ ${detail ?? title}`),
      };
    },
    info: line,
    warn: (message) => line(`! ${message}`),
  };
}
