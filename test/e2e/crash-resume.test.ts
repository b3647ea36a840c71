/**
 * Crash injection: the apply process SIGKILLs itself right after its k-th journal write
 * (NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE=k, test-only). For every k of iteration 1:
 * a resume completes to the same end state as a clean run, and a rollback from the crash
 * point restores the start state — files byte-identical, membership and networks as before.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {runCompose, type ComposeProject} from '../../source/engine/compose.js';
import {runCli} from '../harness/cli.js';
import {copyExampleStack, stopTestEngine, testEngine, type TestEngine} from '../harness/engine.js';
import {stackState, type StackState} from '../harness/state.js';

let engine: TestEngine;
let stack: ReturnType<typeof copyExampleStack>;
let project: ComposeProject;
let start: StackState;
let end: StackState;
let points = 0;

function journalLines(): number {
	try {
		return readFileSync(path.join(stack.root, '.netmigrate/journal.jsonl'), 'utf8').split('\n').filter(Boolean).length;
	} catch {
		return 0;
	}
}

const apply = async (crashAfter?: number) => runCli(['apply', '--yes', '--host', engine.host], {cwd: stack.root, env: crashAfter ? {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: String(crashAfter)} : {}});
const rollback = async () => runCli(['rollback', '--yes', '--host', engine.host], {cwd: stack.root});

before(async () => {
	engine = await testEngine();
	stack = copyExampleStack();
	project = {host: engine.host, directory: stack.root, files: ['docker-compose.yml']};
	await runCompose(project, ['up', '-d', '--wait']);
	start = await stackState(engine.docker, stack.root);
	const before = journalLines();
	const clean = await apply();
	assert.equal(clean.exitCode, 0, clean.all);
	points = journalLines() - before;
	end = await stackState(engine.docker, stack.root);
	const back = await rollback();
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(engine.docker, stack.root), start);
	console.log(`# crash points in iteration 1: ${points} journal writes`);
});

after(async () => {
	await runCompose(project, ['down', '--timeout', '1']).catch(() => undefined);
	stack?.remove();
	await stopTestEngine();
});

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
		assert.deepEqual(await stackState(engine.docker, stack.root), end, `k=${k}: resume ends where a clean run ends`);
		const afterResume = await rollback();
		assert.equal(afterResume.exitCode, 0, `k=${k}: rollback after resume failed\n${afterResume.all}`);
		assert.deepEqual(await stackState(engine.docker, stack.root), start, `k=${k}: rollback after resume restores the start`);

		const crashedAgain = await apply(k);
		assert.equal(crashedAgain.signal, 'SIGKILL', `k=${k}: second crash`);
		const fromCrash = await rollback();
		assert.equal(fromCrash.exitCode, 0, `k=${k}: rollback from the crash point failed\n${fromCrash.all}`);
		assert.deepEqual(await stackState(engine.docker, stack.root), start, `k=${k}: rollback from the crash point restores the start`);
	}
	console.log(`# ${points} crash points × (resume + rollback, rollback) in ${Math.round((Date.now() - started) / 1000)} s`);
});
