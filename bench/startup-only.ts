/**
 * `npm run bench:startup`: only the start-up figures, with no Docker engine at all (the wizard's
 * home screen then reports the engine as not answering), printed rather than written to
 * RESULTS.md — for machines without an engine, and for comparing builds quickly.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startup, startupTable} from './startup.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'nm-bench-'));
try {
	const boot = await startup(`unix://${path.join(scratch, 'no-engine.sock')}`);
	process.stdout.write(`${['## Start-up, no engine', '', ...startupTable(boot, 'no engine')].join('\n')}\n`);
} finally {
	rmSync(scratch, {recursive: true, force: true});
}
