/**
 * A run's journal under concurrent writers, as its own process for the crash test
 * (test/unit/journal-group.test.ts): `writers` loops each journal an intent, "apply" the action
 * (append its id to `applied.txt`, the effect a crash must never find without its intent), and
 * journal it done, for ever. It says `ready` on stdout once writing, then a line per applied action,
 * so the test can kill it mid-way without guessing at start-up time.
 */
import {appendFileSync} from 'node:fs';
import path from 'node:path';
import {Journal} from '../../state/journal.js';

const [stackRoot, writersArgument] = process.argv.slice(2) as [string, string];
const writers = Number(writersArgument);
const journal = new Journal(stackRoot);
const applied = path.join(stackRoot, 'applied.txt');
const action = {kind: 'network.connect' as const, network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']};

async function writer(index: number): Promise<void> {
	for (let round = 1; ; round++) {
		const id = `multihome-${index}-${round}`;
		await journal.commit({
			run: 'apply',
			iteration: 'network-foundation',
			step: 'multihome',
			id,
			phase: 'intent',
			action: {...action, container: `app-${index}`, service: `app-${index}`},
		});
		appendFileSync(applied, `${id}\n`);
		process.stdout.write(`applied ${id}\n`);
		await journal.commit({run: 'apply', iteration: 'network-foundation', step: 'multihome', id, phase: 'done', durationMs: 1});
	}
}

process.stdout.write('ready\n');
await Promise.all(Array.from({length: writers}, (_, index) => writer(index + 1)));
