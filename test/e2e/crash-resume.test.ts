/**
 * Crash injection: the apply process SIGKILLs itself right after its k-th journal write
 * (NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE=k, test-only). For every k of iteration 1:
 * a resume completes to the same end state as a clean run, and a rollback from the crash
 * point restores the start state — files byte-identical, membership and networks as before.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {stackState, type StackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite(countCrashPoints);
let end: StackState;
let points = 0;

function journalLines(): number {
	try {
		return readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8').split('\n').filter(Boolean).length;
	} catch {
		return 0;
	}
}

const apply = async (crashAfter?: number) => runCli(['apply', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root, env: crashAfter ? {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: String(crashAfter)} : {}});
const rollback = async () => runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});

/** After the shared set-up: a clean run counts the crash points and records the end state. */
async function countCrashPoints(): Promise<void> {
	const before = journalLines();
	const clean = await apply();
	assert.equal(clean.exitCode, 0, clean.all);
	points = journalLines() - before;
	end = await stackState(suite.engine.docker, suite.stack.root);
	const back = await rollback();
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
	console.log(`# crash points in iteration 1: ${points} journal writes`);
}

test('iteration 1 has crash points to test', () => {
	assert.ok(points > 40, `only ${points} journal writes`);
});

test('for every crash point k: resume reaches the clean end state, rollback from k restores the start', async () => {
	const started = Date.now();
	for (let k = 1; k <= points; k++) {
		const crashed = await apply(k);
		assert.equal(crashed.signal, 'SIGKILL', `k=${k}: the process should have been killed (${crashed.all.slice(-300)})`);
		const resumed = await apply();
		assert.equal(resumed.exitCode, 0, `k=${k}: resume failed\n${resumed.all}`);
		assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), end, `k=${k}: resume ends where a clean run ends`);
		const afterResume = await rollback();
		assert.equal(afterResume.exitCode, 0, `k=${k}: rollback after resume failed\n${afterResume.all}`);
		assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start, `k=${k}: rollback after resume restores the start`);

		const crashedAgain = await apply(k);
		assert.equal(crashedAgain.signal, 'SIGKILL', `k=${k}: second crash`);
		const fromCrash = await rollback();
		assert.equal(fromCrash.exitCode, 0, `k=${k}: rollback from the crash point failed\n${fromCrash.all}`);
		assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start, `k=${k}: rollback from the crash point restores the start`);
	}
	console.log(`# ${points} crash points × (resume + rollback, rollback) in ${Math.round((Date.now() - started) / 1000)} s`);
});
