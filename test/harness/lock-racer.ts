/**
 * One contender in the lock race (test/unit/lock.test.ts), run as its own process: on `take` it
 * tries to take the stack's lock and reports how it went; it keeps a lock it won (its process
 * stays alive, so the others find a live holder) until `release`.
 */
import {acquireLock, type Lock} from '../../state/lock.js';

export type RacerReport = {won: true; id: string; tookOver?: string} | {won: false; code: string; message: string};

const stackRoot = process.argv[2] as string;
let held: Lock | undefined;

process.on('message', (message) => {
	if (message === 'take') {
		try {
			held = acquireLock(stackRoot, 'apply --iteration 1');
			reply({won: true, id: held.id, ...(held.tookOverStale ? {tookOver: held.tookOverStale.id} : {})});
		} catch (error) {
			reply({won: false, code: (error as {code?: string}).code ?? 'crash', message: String((error as Error).message)});
		}
	} else if (message === 'release') {
		held?.release();
		held = undefined;
		process.send?.('released');
	} else if (message === 'exit') {
		process.exit(0);
	}
});
process.send?.('ready');

function reply(report: RacerReport): void {
	process.send?.(report);
}
