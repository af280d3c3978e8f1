// One teardown measurement: bring a contender to a state, close it, report, then do nothing:
// the parent times how long the process takes to exit by itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { contenders } from '../contenders';

const [name = '', url = '', state = 'open', refusedUrl = ''] = process.argv.slice(2);
const contender = contenders.find((c) => c.name === name);
if (!contender) throw new Error(`no contender ${name}`);

const connection = contender.connect(state === 'retrying' ? refusedUrl : url, { zeroDelay: false });
if (state === 'retrying') {
  await sleep(1500); // refused retries under the library's default schedule
} else {
  await new Promise<void>((resolve) => connection.onOpen(resolve));
  if (state === 'waiting') {
    // The parent makes the server close this socket; 200 ms into the library's wait, close.
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => connection.onClose(resolve));
    await sleep(200);
  }
}
await connection.close();
process.stdout.write('closed\n');
